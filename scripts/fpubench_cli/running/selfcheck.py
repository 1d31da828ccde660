"""`fpubench selfcheck`: proves the suite can see a delay of a given size. For each size, one
process runs the chosen round-trip benchmark three ways, interleaved: A, A again, and A with
--inject-ns. The comparison must flag A vs injected (slower) and must not flag A vs A. The smallest
size it detects is this machine's resolution for that benchmark. With --cost the benchmark is a
paired row and the delay --inject-cost-ns (its held side only): what is judged is its xstate cost,
as a difference in ns, so the smallest size found is the resolution of a cost change."""
import dataclasses
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fpubench_cli import paths, publish
from fpubench_cli.analysis import compare, result_sets, schema
from fpubench_cli.errors import UserError
from fpubench_cli.running import child


@dataclass
class Trial:
    inject_ns: float
    aa_verdict: str
    aa_change: float
    inject_verdict: str
    inject_change: float
    inject_delta_ns: float
    kind: str = "ratio"   # "difference": the changes are xstate costs in ns

    @property
    def detected(self):
        return self.inject_verdict == "slower" and self.aa_verdict != "slower" and self.aa_verdict != "faster"


def split_variants(rs, benchmark, cost=False):
    """The three variants of one self-check run as ResultSets named like the benchmark itself;
    with `cost`, each judged by its paired xstate cost instead of its round trip."""
    sides = {}
    for variant in ("a", "a-again", "inject"):
        name = next((n for n, r in rs.rows.items() if r.selfcheck == variant), None)
        if name is None:
            raise UserError(f"the self-check run has no row of variant '{variant}' of {benchmark}: did the "
                            f"benchmark fail? (see above)")
        row = dataclasses.replace(rs.rows[name], name=benchmark, selfcheck="")  # the sides compare as one row
        if cost:
            if not row.cost_figure:
                raise UserError(f"--cost needs a row measured in time-paired blocks (one with a state held); "
                                f"{benchmark} has no xstate cost of its own")
            row = dataclasses.replace(row, figure=row.cost_figure)
        sides[variant] = result_sets.ResultSet(variant, rs.files, rs.context, {benchmark: rs.runs[name]},
                                               {benchmark: rs.histograms[name]} if name in rs.histograms else {},
                                               rows={benchmark: row})
    return sides


def judge(sides, benchmark, inject_ns, thresholds, cost=False):
    kind = "difference" if cost else "ratio"
    aa = compare.compare_within_run(sides["a"], sides["a-again"], thresholds, kind).rows[0]
    ai = compare.compare_within_run(sides["a"], sides["inject"], thresholds, kind).rows[0]
    return Trial(inject_ns, aa.verdict, aa.change, ai.verdict, ai.change, ai.b_median - ai.a_median, kind)


def run_trial(benchmark, inject_ns, repetitions, min_time, thresholds, binary=paths.BINARY, measuring=(),
              cost=False):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "selfcheck.json"
        cmd = [str(binary), f"--selfcheck={benchmark}", f"--inject-{'cost-' if cost else ''}ns={inject_ns}",
               f"--benchmark_repetitions={repetitions}", f"--benchmark_min_time={min_time}",
               "--benchmark_enable_random_interleaving=true", f"--benchmark_out={out}",
               "--benchmark_out_format=json", f"--histograms-out={out.with_name('selfcheck.histograms.json')}",
               *measuring]
        with child.started(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
            _, stderr = proc.communicate()
        if proc.returncode != 0:
            tail = " / ".join(l for l in stderr.splitlines() if l.startswith("fpubench:"))[-400:]
            print(tail, file=sys.stderr)
            child.raise_for_status(proc.returncode, "the self-check run", "no summary was kept")
        rs = result_sets.load(out)
        return judge(split_variants(rs, benchmark, cost), benchmark, inject_ns, thresholds, cost), rs.context


def default_benchmark(planned, cost=False):
    """The row a self-check takes when none is named, from `plan --json`'s rows: the futex round trip
    on one PU, with no state held (with `cost`, with AVX-512 held on both sides, else the widest set
    both hold), where the FPU cost is isolated best."""
    rows = [schema.Row(**r["row"]) for r in planned]
    same_pu = [r for r in rows if r.mechanism == "futex" and r.placement == "same-pu" and not r.selfcheck]
    if cost:
        held = [r for r in same_pu if r.cost_figure and r.state == r.partner_state]
        found = next((r for r in held if r.state == "avx512"), held[-1] if held else None)
    else:
        found = next((r for r in same_pu if r.held_state == "none"), None)
    if found is None:
        raise UserError("this machine plans no futex round trip on one PU"
                        f"{' with a state held' if cost else ''} (see `build/host/fpubench plan`): name one "
                        f"with --benchmark")
    return found.name


def format_trials(benchmark, trials):
    cost = any(t.kind == "difference" for t in trials)
    what = "its xstate cost, A vs A + a delay of the held side only" if cost else "A vs A + injected delay"
    change = (lambda c: f"{c:+.0f} ns") if cost else (lambda c: f"{c:+.1%}")  # noqa: E731
    lines = [f"self-check of {benchmark}: A vs A again, and {what}, interleaved",
             f"{'inject':>8}  {'A vs A':32}  {'A vs A+inject':32}  {'measured':>10}  detected"]
    for t in trials:
        lines.append(f"{t.inject_ns:6.0f}ns  {t.aa_verdict + f' ({change(t.aa_change)})':32}  "
                     f"{t.inject_verdict + f' ({change(t.inject_change)})':32}  {t.inject_delta_ns:+8.0f}ns  "
                     f"{'yes' if t.detected else 'no'}")
    smallest = smallest_detected(trials)
    lines.append(f"smallest injected delay detected: {smallest:.0f} ns" if smallest is not None
                 else "no injected delay was detected")
    return "\n".join(lines)


def smallest_detected(trials):
    found = [t.inject_ns for t in trials if t.detected]
    return min(found) if found else None


def write_summary(results_dir, label, benchmark, trials, context, cost=False):
    """results/<label>/<timestamp>.selfcheck.json: the trials, with the binary's context and the
    figure added to it."""
    context = dict(context)
    smallest = smallest_detected(trials)
    what = "smallest_cost_change_detected_ns" if cost else "smallest_detected_ns"
    context[f"selfcheck.{benchmark}.{what}"] = "none" if smallest is None else f"{smallest:.0f}"
    data = {"context": context, "benchmarks": [], "selfcheck": {
        "benchmark": benchmark, "cost": cost, "smallest_detected_ns": smallest,
        "trials": [t.__dict__ | {"detected": t.detected} for t in trials]}}
    with publish.PendingResult(results_dir, label, "selfcheck") as pending:
        pending.path().write_text(json.dumps(data, indent=1))
        return pending.publish(check=lambda path: None)


def selfcheck(benchmark, sizes, repetitions, min_time, label, thresholds, stop_at_first=True, measuring=(),
              cost=False):
    publish.label_dir(paths.RESULTS_DIR, label)  # a bad label or folder fails before any trial
    trials, context = [], {}
    for size in sorted(sizes):
        trial, context = run_trial(benchmark, size, repetitions, min_time, thresholds, measuring=measuring,
                                   cost=cost)
        trials.append(trial)
        print(f"  inject {size:.0f} ns: A/A {trial.aa_verdict}, A/inject {trial.inject_verdict}", flush=True)
        if stop_at_first and trial.detected:
            break
    print(format_trials(benchmark, trials))
    final = write_summary(paths.RESULTS_DIR, label, benchmark, trials, context, cost)
    print(f"fpubench: self-check written to {final}")
    return trials
