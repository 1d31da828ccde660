"""Where result files go and how they get there: results/<label>/<timestamp>.json, written to a
partial file first and published with a hard link, so a run never leaves a half-written result and
never overwrites an existing one."""
import datetime
import json
import os
import re
from pathlib import Path

from .errors import UserError

_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


def check_label(label):
    """Labels name directories and travel in Google Benchmark's key=value,... context flag."""
    if not _LABEL.match(label):
        raise UserError(f"label '{label}' is not usable: use letters, digits and . _ + - only "
                        f"(it names a directory under results/), e.g. --label 6.1.0-patched")
    return label


def timestamp(now=None):
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ")


def label_dir(results_dir, label):
    """results/<label>/, created if needed and writable, or one line saying whose it is."""
    path = Path(results_dir) / check_label(label)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create {path} ({e.strerror}): run fpubench as the owner of "
                        f"{results_dir}, or from a checkout of your own") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UserError(f"{path} is not writable by this user: run fpubench as its owner, "
                        f"or from a checkout of your own") from None
    return path


def result_path(results_dir, label, stamp, kind=""):
    """results/<label>/<stamp>[.kind].json, its folder ready; refuses a name that exists."""
    path = label_dir(results_dir, label) / f"{stamp}{'.' + kind if kind else ''}.json"
    if path.exists():
        raise UserError(f"{path} already exists and fpubench never overwrites results: "
                        f"wait a second and run again, or move that file away")
    return path


def partial_path(final):
    return final.with_name(f".{final.stem}.partial.json")


def histograms_path(result):
    """The latency histograms that go with a result file."""
    return result.with_name(f"{result.stem}.histograms.json")


def check_result_file(path):
    """Raises UserError unless `path` is a Google Benchmark JSON result with benchmarks in it."""
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise UserError(f"{path} is not a readable JSON result ({e}); the run did not finish: "
                        f"run again") from None
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list) \
            or "context" not in data:
        raise UserError(f"{path} is not a Google Benchmark result (no context/benchmarks); "
                        f"was it written by build/host/fpubench?")
    if not data["benchmarks"]:
        raise UserError(f"{path} holds no benchmarks: the filter matched nothing, "
                        f"check --benchmark_filter")
    return data


def _link(partial, final):
    try:
        os.link(partial, final)
    except FileExistsError:
        raise UserError(f"{final} appeared while this run was going; fpubench never overwrites "
                        f"results: your run is kept as {partial}") from None


def publish(partial, final, partial_histograms=None):
    """Moves a complete result (and its histograms, if any) into place; fails rather than replace
    an existing file. The result file is linked last: once it exists, everything is there."""
    check_result_file(partial)
    if partial_histograms is not None and partial_histograms.exists():
        with open(partial_histograms) as f:
            try:
                json.load(f)
            except json.JSONDecodeError as e:
                raise UserError(f"{partial_histograms} is not complete JSON ({e}); run again") from None
        _link(partial_histograms, histograms_path(final))
        try:
            _link(partial, final)
        except UserError:
            os.unlink(histograms_path(final))
            raise
        os.unlink(partial_histograms)
    else:
        _link(partial, final)
    os.unlink(partial)
