"""`fpubench run`: the default suite on this machine, into results/<label>/<timestamp>.json."""
import os
import subprocess
from pathlib import Path

from . import build, paths, pingpong_summary, plots, results, results_store
from .errors import UserError


def git_commit(repo=paths.REPO):
    """The checkout's commit, '+dirty' when it has local changes, 'unknown' outside git."""
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def binary_command(binary, partial, partial_histograms, label, commit, quick, extra):
    cmd = [str(binary), f"--benchmark_out={partial}", "--benchmark_out_format=json",
           f"--histograms-out={partial_histograms}",
           f"--benchmark_context=label={label},fpubench_commit={commit}"]
    if quick:
        cmd.append("--quick")
    return cmd + list(extra)


def run_suite(label=None, quick=False, extra=(), results_dir=paths.RESULTS_DIR,
              binary=paths.BINARY, do_setup=True):
    if do_setup:
        build.setup()
    label = results_store.check_label(label or os.uname().release)
    final = results_store.result_path(results_dir, label, results_store.timestamp())
    partial = results_store.partial_path(final)
    partial_histograms = results_store.partial_path(results_store.histograms_path(final))
    cmd = binary_command(binary, partial, partial_histograms, label, git_commit(), quick, extra)
    try:
        rc = subprocess.run(cmd).returncode
        if rc == 3:
            raise UserError("a thread's FPU state changed across a switch (the message above names "
                            "the component): the kernel under test corrupts state, so no timing "
                            "was kept")
        if rc != 0:
            raise UserError(f"build/host/fpubench exited with status {rc} (its message is above); "
                            f"no result was written")
        results_store.publish(partial, final, partial_histograms)
    finally:
        for leftover in (partial, partial_histograms):
            if leftover.exists():
                leftover.unlink()
    print(f"fpubench: results written to {final}")
    summary = pingpong_summary.format_xstate_costs(results_store.check_result_file(final))
    if summary:
        print(summary)
    plot_dir = Path(results_dir) / "plots" / label / final.stem
    pngs = plots.plot_all([results.load(final)], plot_dir)
    print(f"fpubench: {len(pngs)} plots (PNG and SVG) written to {plot_dir}")
    return final
