"""`fpubench run`: the default suite on this machine, into results/<label>/<timestamp>.json."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from fpubench_cli import errors, paths, publish
from fpubench_cli.errors import IntegrityError, UserError
from fpubench_cli.running import build, child

# The result files are the wrapper's to name; flags that would move or reformat them are refused.
_OWN_FLAGS = ("--benchmark_out", "--benchmark_out_format", "--histograms-out")


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


def check_extra_flags(extra):
    for flag in extra:
        if flag in ("plan", "torture", "probe"):
            raise UserError(f"'{flag}' after -- is a command of build/host/fpubench, not a flag: run passes flags "
                            f"to the binary's measurement; run build/host/fpubench {flag} directly")
        if flag.split("=", 1)[0] == "--benchmark_format":
            raise UserError(f"'{flag}': run shows the binary's progress itself and keeps its whole output in the "
                            f"log beside the result; the result file is JSON already")
        if flag.split("=", 1)[0] in _OWN_FLAGS:
            raise UserError(f"'{flag}': run writes its own result files under results/<label>/ (JSON, "
                            f"with histograms); to write elsewhere or in another format, run "
                            f"build/host/fpubench directly")


def planned_rows(binary=paths.BINARY):
    """`build/host/fpubench plan --json`'s rows for this machine: what a run will measure."""
    out = subprocess.run([str(binary), "plan", "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr, end="")
        child.raise_for_status(out.returncode, "build/host/fpubench plan", "nothing was measured")
    return json.loads(out.stdout)["rows"]


def binary_command(binary, partial, partial_histograms, label, commit, quick, extra):
    cmd = [str(binary), f"--benchmark_out={partial}", "--benchmark_out_format=json",
           f"--histograms-out={partial_histograms}",
           f"--benchmark_context=label={label},fpubench_commit={commit}"]
    if quick:
        cmd.append("--quick")
    return cmd + list(extra)


def explain_exit(rc):
    if rc == errors.INTEGRITY:
        raise IntegrityError("a thread's FPU state changed across a switch (the message above names the "
                             "suite, benchmark, component and bytes): the kernel under test corrupts "
                             "state, so no timing was kept")
    child.raise_for_status(rc)


def add_prediction(path, wall_seconds=None):
    """Stores the run's xstate-cost prediction in its result (key xstate_prediction), the
    noise-relevant system settings in its context (system.*, see system_settings.py), and what the
    run cost (run.wall_seconds over run.repetitions: a repetition's cost, for design.py)."""
    from fpubench_cli.running import system_settings
    from fpubench_cli.analysis import result_sets, xstate_model  # numpy, after set-up
    data = publish.check_result_file(path)
    data["xstate_prediction"] = xstate_model.predict(result_sets.of_result(data, path))
    data["context"].update(system_settings.state_for_result())
    if wall_seconds is not None:
        data["context"]["run.wall_seconds"] = f"{wall_seconds:.1f}"
        data["context"]["run.repetitions"] = str(sum(b.get("run_type") == "iteration" for b in data["benchmarks"]))
    Path(path).write_text(json.dumps(data, indent=1))


class Console:
    """The binary's output: all of it to the run's log; on the terminal its progress (one line,
    rewritten in place on a terminal), its warnings and errors, and a count of what was skipped.
    Everything with `verbose`."""

    def __init__(self, log, verbose=False, terminal=None):
        self.log, self.verbose, self.skipped = log, verbose, 0
        self.terminal = sys.stderr if terminal is None else terminal
        self.tty = self.terminal.isatty()

    def line(self, text):
        self.log.write(text)
        self.log.flush()
        if self.verbose:
            self.terminal.write(text)
        elif text.startswith("fpubench: skipped "):
            self.skipped += 1
        elif text.startswith("fpubench: ["):
            self.terminal.write(("\r\033[K" + text.rstrip("\n")) if self.tty else text)
        elif text.startswith("fpubench:"):
            self.terminal.write(("\n" if self.tty else "") + text)
        self.terminal.flush()

    def close(self):
        if self.tty and not self.verbose:
            self.terminal.write("\n")
        if self.skipped and not self.verbose:
            self.terminal.write(f"fpubench: {self.skipped} benchmark patterns are skipped on this machine, "
                                f"each for a reason: see the log or build/host/fpubench plan\n")


def run_suite(label=None, quick=False, extra=(), results_dir=paths.RESULTS_DIR,
              binary=paths.BINARY, do_setup=True, verbose=False, console_lines=True):
    """Runs the binary and publishes its result (with its console log beside it); returns the
    result file's path. `console_lines` False: nothing on the terminal but errors (a run inside
    a longer protocol)."""
    check_extra_flags(extra)
    label = publish.label_or_default(label, os.uname().release)
    if do_setup:
        build.setup("run")
    with publish.PendingResult(results_dir, label) as pending:
        cmd = binary_command(binary, pending.path(), pending.path("histograms"), label, git_commit(),
                             quick, ["--progress", *extra])
        with open(pending.path("log", "log"), "w") as log:
            console = Console(log, verbose, None if console_lines else open(os.devnull, "w"))
            started = time.monotonic()
            try:
                # Both streams through the console, so the log holds them in the order they came.
                rc = child.run(cmd, on_output_line=console.line)
            finally:
                console.close()
        explain_exit(rc)
        add_prediction(pending.path(), time.monotonic() - started)
        final = pending.publish()
    if not console_lines:
        return final
    print(f"fpubench: results written to {final}")
    runs = len(list(final.parent.glob("[0-9]*[0-9Z].json")))
    print(f"fpubench: {final.parent} now holds {runs} run{'s' if runs != 1 else ''} of label '{label}'")
    return final


def print_tables(final):
    """The tables a person reads after any run (host or full guest): the families, the xstate
    costs measured against predicted, and what disturbed the repetitions."""
    from fpubench_cli.analysis import disturbance, result_sets, xstate_model
    from fpubench_cli.presentation import summary_tables  # numpy, after set-up
    data = publish.check_result_file(final)
    rs = result_sets.of_result(data, final)
    print(summary_tables.all_tables(rs))
    disturbed = disturbance.summary_line(rs)
    if disturbed:
        print(f"fpubench: {disturbed}")
    table = summary_tables.xstate_table(data.get("xstate_prediction") or xstate_model.predict(rs))
    if table:
        print(table)


def report_run(final, results_dir=paths.RESULTS_DIR):
    """What a person reads after a run: the tables, the plots, and what to do next."""
    from fpubench_cli.presentation import plots
    from fpubench_cli.analysis import result_sets  # matplotlib, after set-up
    print_tables(final)
    print(f"fpubench: the binary's whole console output is in {final.with_name(final.stem + '.log')}")
    plot_dir = Path(results_dir) / "plots" / final.parent.name / final.stem
    pngs = plots.plot_all([result_sets.load(final)], plot_dir)
    print(f"fpubench: {len(pngs)} plots (PNG and SVG) written to {plot_dir}")
    print(next_step(final))


def next_step(final):
    """The last line after a run: what a kernel comparison needs next."""
    from fpubench_cli.analysis import compare
    label = final.parent.name
    held = len(list(final.parent.glob("[0-9]*[0-9Z].json")))
    if held < compare.MIN_RUNS:
        return (f"next: a kernel comparison needs {compare.MIN_RUNS} runs per kernel, alternating boots ('{label}' "
                f"holds {held}): boot the other kernel and 'scripts/fpubench run --label <other>', then this one again")
    return (f"next: '{label}' holds {held} runs; with as many of the other kernel (boots alternating): "
            f"'scripts/fpubench compare {label} <other>'")
