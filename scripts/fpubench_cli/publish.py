"""Where result files go and how they get there: results/<label>/<timestamp>[.kind].json. Every
kind of result (run, torture summary, self-check, guest run) is written through PendingResult:
partial files whose names no other process can have, then published under a name no existing file
has, or removed. A run never leaves a half-written result and never overwrites one."""
import datetime
import json
import os
import re
import secrets
import sys
from pathlib import Path

from fpubench_cli import result_checks, folders
from fpubench_cli.errors import UserError

_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
# Folders under results/ that hold something other than a label's runs.
RESERVED_LABELS = {"plots": "plot output", "reports": "HTML reports", "reference": "the reference data"}
MAX_LABEL = 100
# .<stamp>.<pid>-<random>.<part>.partial.<ext>
_PARTIAL = re.compile(r"^\.(?P<stamp>[0-9TZ]+)\.(?P<pid>\d+)-[0-9a-f]+\.(?P<part>[a-z]+)\.partial\.[a-z]+$")


def check_label(label):
    """Labels name directories and travel in Google Benchmark's key=value,... context flag."""
    if not _LABEL.match(label):
        raise UserError(f"label '{label[:60]}' is not usable: start with a letter or digit and use letters, "
                        f"digits and . _ + - only (it names a directory under results/), e.g. --label 6.1.0-patched")
    if len(label) > MAX_LABEL:
        raise UserError(f"label '{label[:40]}...' is {len(label)} characters long: use at most {MAX_LABEL} "
                        f"(it names a directory, and plots name files after two labels)")
    if label in RESERVED_LABELS:
        raise UserError(f"label '{label}' is reserved: results/{label}/ holds {RESERVED_LABELS[label]}; "
                        f"pick another name, e.g. --label {label}-run")
    return label


def label_or_default(label, default):
    """--label as given (an empty one is refused, not replaced), or `default` when there is none."""
    return check_label(default if label is None else label)


def timestamp(now=None):
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ")


def label_dir(results_dir, label):
    """results/<label>/, created if needed and writable, or one line saying whose it is."""
    return folders.make_folder(Path(results_dir) / check_label(label))


def histograms_path(result):
    """The latency histograms that go with a result file."""
    return result.with_name(f"{result.stem}.histograms.json")


def check_result_file(path):
    """Raises UserError unless `path` is a valid result with benchmarks in it (result_checks.py)."""
    return result_checks.load_result(path, need_benchmarks=True)


def _check_json(path):
    try:
        with open(path) as f:
            json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise UserError(f"{path} is not complete JSON ({e}); run again") from None


class PendingResult:
    """A result being written into results/<label>/. `path(part)` names a partial file for the
    main result ("result") or a companion ("histograms", "log"); publish() moves them into place
    together under <stamp>[-N][.kind].json (the result file linked last, so once it exists
    everything is there); leaving the `with` block without publishing removes them."""

    def __init__(self, results_dir, label, kind=""):
        self._new_folder = not (Path(results_dir) / label).exists()
        self.dir = label_dir(results_dir, label)
        sweep_leftovers(self.dir)  # a new run in the folder clears what a killed one left
        self.kind = kind
        self.stamp = timestamp()
        self._token = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._parts = {}
        self.final = None

    def path(self, part="result", ext="json"):
        """The partial file for `part`, created empty and exclusively (no other run can hold it)."""
        if part not in self._parts:
            p = self.dir / f".{self.stamp}.{self._token}.{part}.partial.{ext}"
            os.close(os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            self._parts[part] = p
        return self._parts[part]

    def _final_names(self, n):
        stem = self.stamp + (f"-{n}" if n > 1 else "") + (f".{self.kind}" if self.kind else "")
        main = self.dir / f"{stem}.json"
        def name(part, suffix):  # <stem>.histograms.json; <stem>.log for the part "log"
            return main if part == "result" else self.dir / f"{stem}{'' if suffix == '.' + part else '.' + part}{suffix}"
        return main, {part: name(part, p.suffix) for part, p in self._parts.items()}

    def publish(self, check=check_result_file):
        """Validates the partial result with `check`, then links every part into place. A name
        taken by another run (same label, same second) moves this one to <stamp>-2, -3, ..."""
        check(self._parts["result"])
        for part, p in self._parts.items():
            if part != "result" and p.suffix == ".json" and p.stat().st_size > 0:
                _check_json(p)
        for n in range(1, 1000):
            main, names = self._final_names(n)
            linked = []
            try:
                for part in sorted(self._parts, key=lambda q: q == "result"):  # the result last
                    if part != "result" and self._parts[part].stat().st_size == 0:
                        continue  # a companion the run did not write
                    os.link(self._parts[part], names[part])
                    linked.append(names[part])
            except FileExistsError:
                for q in linked:
                    os.unlink(q)
                continue
            self.final = main
            self.discard()
            return main
        raise UserError(f"{self.dir} has 999 results from second {self.stamp}: "
                        f"your run is kept as {self._parts['result']}")

    def discard(self):
        for p in self._parts.values():
            try:
                os.unlink(p)
            except FileNotFoundError:
                pass
        self._parts = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.discard()
        if self.final is None and self._new_folder:
            try:
                self.dir.rmdir()  # made for this result, which was not kept: an empty label helps nobody
            except OSError:
                pass  # not empty: another run wrote there meanwhile
        return False


def leftover_partials(directory):
    """Partial files in a label folder whose writing process is gone (a killed run)."""
    found = []
    for f in sorted(Path(directory).glob(".*.partial.*")):
        m = _PARTIAL.match(f.name)
        if not m:
            found.append(f)  # an older naming: nothing is writing it any more
            continue
        try:
            os.kill(int(m["pid"]), 0)
        except ProcessLookupError:
            found.append(f)
        except PermissionError:
            pass  # another user's live process
    return found


def warn_leftovers(directory):
    """One line per leftover partial file, with the command that removes it."""
    for f in leftover_partials(directory):
        print(f"fpubench: {f} is left over from a run that was killed; remove it with: rm '{f}'",
              file=sys.stderr)


def sweep_leftovers(directory):
    """Removes the partial files a killed run left, with a line naming them."""
    for f in leftover_partials(directory):
        try:
            f.unlink()
        except OSError as e:
            print(f"fpubench: {f} is left over from a run that was killed and cannot be removed "
                  f"({e.strerror}): remove it by hand", file=sys.stderr)
            continue
        print(f"fpubench: removed {f.name}, left over in {directory} by a run that was killed", file=sys.stderr)
