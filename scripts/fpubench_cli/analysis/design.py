"""How many repetitions per run and runs per kernel a row needs: the variance components of a
label's runs and the optimal replication of Kalibera & Jones ("Rigorous benchmarking in reasonable
time", ISMM 2013). A row's run summary varies by T2^2 + T1^2 / r: T1^2 is the variance between
repetitions inside a run (averaged away by more repetitions), T2^2 the variance between runs
(averaged away only by more runs, i.e. boots). With a repetition costing c1 and a run c2 on top of
its repetitions, the cheapest design for a given precision has r = sqrt(c2 T1^2 / (c1 T2^2))
repetitions per run; the runs per kernel then follow from the resolution wanted."""
import math
from dataclasses import dataclass

import numpy as np
from fpubench_cli.analysis import per_run, stats

MAX_REPETITIONS = 50   # a suite run with more takes too long to be one step of a boot loop
MIN_RUNS = 3
POWER = 0.8


@dataclass
class Components:
    within: float      # T1^2: between repetitions inside a run (on the row's comparison scale)
    between: float     # T2^2: between runs, what is left once repetitions are averaged
    repetitions: int   # the repetitions per run these were estimated from (their median)
    runs: int


@dataclass
class Design:
    row: str
    components: Components
    repetitions: int   # per run, the cheapest for the precision (Kalibera & Jones)
    runs: int          # per kernel at that many repetitions, to resolve `target`; None if over max_runs
    target: float      # on the row's comparison scale (log ratio, or ns)
    resolves_now: float
    log: bool = True   # a ratio row (judged on the log scale); False: a difference (xstate cost, ns)


def components(per_run_values, log):
    """Variance components from [[repetition figures of run 1], [run 2], ...] (ANOVA estimators,
    unequal repetitions allowed): T1^2 the pooled within-run variance; T2^2 the variance of the run
    means less T1^2 over the repetitions, floored at 0."""
    groups = [np.log(np.asarray(v, float)) if log else np.asarray(v, float)
              for v in per_run_values if len(v) >= 2 and (not log or min(v) > 0)]
    if len(groups) < 2:
        return None
    within = float(sum(((g - g.mean()) ** 2).sum() for g in groups) / sum(g.size - 1 for g in groups))
    r = float(np.median([g.size for g in groups]))
    means = np.array([g.mean() for g in groups])
    between = max(float(np.var(means, ddof=1)) - within / r, 0.0)
    return Components(within, between, int(r), len(groups))


def optimal_repetitions(c, repetition_cost, run_cost):
    """Kalibera & Jones' r = ceil(sqrt(c2 T1^2 / (c1 T2^2))), from 2 to MAX_REPETITIONS."""
    if c.between <= 0:
        return MAX_REPETITIONS
    r = math.ceil(math.sqrt(run_cost * c.within / (repetition_cost * c.between)))
    return int(min(max(r, 2), MAX_REPETITIONS))


def detectable(variance_of_run, runs_a_side, alpha=0.05, power=POWER):
    """The change a two-sample t on `runs_a_side` runs each finds with `power`: the same figure
    compare prints as 'resolves'."""
    return stats.detectable_change(math.sqrt(2 * variance_of_run / runs_a_side), 2 * runs_a_side - 2, alpha, power)


def runs_needed(variance_of_run, target, max_runs=100, alpha=0.05):
    for n in range(MIN_RUNS, max_runs + 1):
        if detectable(variance_of_run, n, alpha) <= target:
            return n
    return None


def design(row, c, target, repetition_cost, run_cost, log=True):
    r = optimal_repetitions(c, repetition_cost, run_cost)
    now = detectable(c.between + c.within / c.repetitions, c.runs if c.runs >= 2 else 2)
    return Design(row, c, r, runs_needed(c.between + c.within / r, target), target, now, log)


def repetition_figures(rs, name, cost_of=""):
    """[[figure per repetition] per run] of one row of a result set; an xstate-cost row (the cost of
    benchmark `cost_of`) as paired per-repetition differences (as per_run.by_row pairs them)."""
    out = []
    for _, benchmarks in rs.by_file:
        if cost_of:
            if cost_of not in benchmarks:
                continue
            row = rs.rows[cost_of]
            found = per_run.cost_differences(rs, row, benchmarks[cost_of], benchmarks.get(row.baseline))
            if found is not None:
                out.append(found[2])
        elif name in benchmarks:
            out.append(per_run.figure(rs, rs.rows[name], benchmarks[name])[2])
    return out


def repetition_cost(rs, default_per_row=0.1):
    """Seconds one more repetition costs a run: --benchmark_repetitions repeats every row, so it is
    the run's wall time over its repetitions per row (recorded by run; else 0.1 s per row)."""
    costs = []
    rows = {path: len(benchmarks) for path, benchmarks in rs.by_file}
    for path, context in rs.file_contexts:
        try:
            per_row = float(context["run.repetitions"]) / rows[path]
            costs.append(float(context["run.wall_seconds"]) / per_row)
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            pass
    if costs:
        return float(np.median(costs))
    return default_per_row * float(np.median(list(rows.values()) or [1]))


def label_designs(rs, min_change=0.01, target_ns=100.0, run_cost=120.0):
    """A Design per row of a label with two runs or more: ratio rows for a relative change of
    min_change, xstate-cost rows for target_ns."""
    cost = repetition_cost(rs)
    out = []
    for name, runs in sorted(per_run.by_row(rs).items()):
        log = runs.kind != "difference"
        c = components(repetition_figures(rs, name, runs.of), log)
        if c is None:
            continue
        out.append(design(name, c, math.log1p(min_change) if log else target_ns, cost, run_cost, log))
    return out


def suite_repetitions(designs):
    """One --benchmark_repetitions for the whole suite (the library takes one): the median of the
    rows' optimal counts, so half the rows get at least what they need and the run stays short."""
    if not designs:
        return None
    return int(np.median([d.repetitions for d in designs]))


def plan_lines(designs, rows_of_interest=None):
    """One line per row whose current resolution is worse than its target."""
    lines = []
    for d in designs:
        if rows_of_interest is not None and d.row not in rows_of_interest:
            continue
        if d.resolves_now <= d.target:
            continue
        fmt = (lambda v: f"{math.expm1(v):.1%}") if d.log else (lambda v: f"{v:.0f} ns")
        sd = (lambda v: f"{math.sqrt(v):.1%}") if d.log else (lambda v: f"{math.sqrt(v):.0f} ns")
        need = f"{d.runs} runs a side" if d.runs else "more than 100 runs a side"
        lines.append(f"{d.row}: resolves ±{fmt(d.resolves_now)} now; for ±{fmt(d.target)}: {d.repetitions} "
                     f"repetitions per run and {need} (within-run SD {sd(d.components.within)}, between-run "
                     f"SD {sd(d.components.between)})")
    return lines


def pooled_components(sides):
    """Components of one row over two labels: each label's runs estimated apart (a kernel change
    moves one side's mean and must not read as run-to-run variance), then averaged."""
    found = [c for c in sides if c is not None]
    if not found:
        return None
    return Components(float(np.mean([c.within for c in found])), float(np.mean([c.between for c in found])),
                      int(np.median([c.repetitions for c in found])), min(c.runs for c in found))


def comparison_designs(a, b, min_change=0.01, target_ns=100.0, run_cost=120.0):
    """A Design per row of A vs B, from both labels' runs."""
    cost = float(np.mean([repetition_cost(a), repetition_cost(b)]))
    out = []
    rows_a, rows_b = per_run.by_row(a), per_run.by_row(b)
    for name in sorted(set(rows_a) & set(rows_b)):
        log = rows_a[name].kind != "difference"
        c = pooled_components([components(repetition_figures(rs, name, rows_a[name].of), log) for rs in (a, b)])
        if c is not None:
            out.append(design(name, c, math.log1p(min_change) if log else target_ns, cost, run_cost, log))
    return out


def at_repetitions(d, r):
    """Runs a side that resolve d.target with r repetitions per run (None: over 100)."""
    return runs_needed(d.components.between + d.components.within / r, d.target)


def summary(designs, run_cost=120.0):
    """The suite-wide plan in two sentences, or None when every row already resolves its target."""
    worse = [d for d in designs if d.resolves_now > d.target]
    if not worse:
        return None
    r = suite_repetitions(designs)
    needed = sorted((at_repetitions(d, r) or 101) for d in worse)
    median, most = needed[len(needed) // 2], needed[int(0.8 * (len(needed) - 1))]
    fmt = lambda n: f"{n}" if n <= 100 else "more than 100"  # noqa: E731
    return (f"{len(worse)} of {len(designs)} rows resolve worse than their target (--min-change for ratio "
            f"rows, --target-ns for xstate-cost rows). Cheapest design (Kalibera & Jones, a run costing "
            f"{run_cost:.0f} s beside its repetitions): {r} repetitions per run (run --benchmark_repetitions "
            f"or run --design-from a label), then {fmt(median)} runs a side for half of those rows and "
            f"{fmt(most)} for 80% of them")
