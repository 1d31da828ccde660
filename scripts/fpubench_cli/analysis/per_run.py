"""A label as runs. Each result file is one run (ideally one boot); for every benchmark in it the
run's summary is one statistic (SUMMARY, chosen by measurement: see the README) over its
repetitions of the benchmark's figure, with the within-run variance of that summary beside it. Paired rows come from
inside each run: xstate-cost/<name> is, per repetition, <name>'s state held minus all state in init
(same mechanism and placement, or the guest-init KVM row), so drift that moves a whole run cancels
before runs are compared. A row measured in time-paired blocks carries that difference itself (its
cost_figure, both sides timed in alternating blocks of one benchmark); an older one is paired with
its baseline sibling, a separate benchmark, by repetition index."""
from dataclasses import dataclass, field

import numpy as np
from scipy import stats as sps

from fpubench_cli.analysis import schema

PERCENTILES = ["rtt_p50_ns", "rtt_p90_ns", "rtt_p99_ns", "rtt_p999_ns"]


# Candidate per-run summaries of a row's repetitions. The README gives, per candidate, its
# run-to-run spread and how it follows an injected delay on this project's machines.
SUMMARIES = {
    "median": lambda v: float(np.median(v)),
    "mean": lambda v: float(np.mean(v)),
    "trimmed-mean": lambda v: float(sps.trim_mean(v, 0.2)),
    "lower-quartile": lambda v: float(np.percentile(v, 25)),
}
# Chosen per kind of row by measurement (README, "Choosing the run summary"): absolute rows by
# the 20% trimmed mean, which averages a run whose repetitions straddle two speeds of the host
# instead of jumping between them, and still drops outlying repetitions; paired xstate costs by
# the median, as an outlier in either sibling's repetition makes an outlier difference.
SUMMARY = {"ratio": "trimmed-mean", "difference": "median"}


def summarise(values, how=None, kind="ratio"):
    return SUMMARIES[how or SUMMARY[kind]](np.asarray(values, float))


def summary_variance(values, log):
    """The within-run variance of a run's summary, the covariate the across-run prior follows: the
    repetitions' spread (MAD, robust to the outlying repetitions the median ignores; the SD when
    the MAD is 0) squared, over their number, times pi/2 (a median's variance, normal case; for the
    trimmed mean the factor differs, a constant the prior's log-linear trend absorbs); on the log
    scale for ratio rows. 0 with one value."""
    v = np.asarray(values, float)
    if v.size < 2 or (log and np.any(v <= 0)):
        return 0.0
    x = np.log(v) if log else v
    spread = 1.4826 * float(np.median(np.abs(x - np.median(x)))) or float(np.std(x, ddof=1))
    return spread ** 2 * np.pi / 2 / v.size


def figure(rs, row, entries):
    """(metric, unit, one value per entry) for a benchmark's repetitions: the row's figure, or the
    time Google Benchmark measured where an entry lacks it."""
    if row.figure and all(row.figure in e for e in entries):
        return row.figure, row.unit, [float(e[row.figure]) for e in entries]
    return "real_time", "ns", [rs.real_time_ns(e) for e in entries]


@dataclass
class RowRuns:
    """One row of a label: a value per run, with where each came from."""
    metric: str
    unit: str
    kind: str                    # "ratio" (compared as B/A) or "difference" (B - A, in unit)
    values: list = field(default_factory=list)
    files: list = field(default_factory=list)
    within_cv: list = field(default_factory=list)     # per run: SD/mean of its repetitions
    within_var: list = field(default_factory=list)    # per run: variance of its summary, from its repetitions
    counters: dict = field(default_factory=dict)      # event/op -> [per-run median]
    percentiles: dict = field(default_factory=dict)   # rtt_pXX_ns -> [per-run median]
    predicted: list = field(default_factory=list)     # xstate-cost rows: per run, the copy's predicted cost
    row: schema.Row = field(default_factory=schema.Row)   # what the row is (its fields)
    of: str = ""                 # a difference row (xstate cost): the benchmark it is the cost of


def _median(values):
    return float(np.median(values))


def _add_plain(out, rs, path, name, entries, how):
    metric, unit, values = figure(rs, rs.rows[name], entries)
    row = out.setdefault(name, RowRuns(metric, unit, "ratio", row=rs.rows[name]))
    if row.metric != metric:
        return  # another figure in another run: not comparable, left out
    row.values.append(summarise(values, how))
    row.within_var.append(summary_variance(values, log=True))
    row.files.append(path)
    mean = float(np.mean(values))
    row.within_cv.append(float(np.std(values, ddof=1) / mean) if len(values) > 1 and mean else 0.0)
    for key in sorted(k for k in entries[0] if k.endswith("/op")):
        row.counters.setdefault(key, []).append(_median([float(e.get(key, 0.0)) for e in entries]))
    for p in PERCENTILES:
        if all(p in e for e in entries):
            row.percentiles.setdefault(p, []).append(_median([float(e[p]) for e in entries]))


def _predicted(rs, path, name):
    for row in rs.predictions.get(path, {}).get("rows", []):
        if row.get("benchmark") == name and "predicted_ns" in row:
            return row["predicted_ns"]
    return None


def cost_differences(rs, row, entries, base_entries):
    """(metric, unit, [xstate cost per repetition]) of a row with a baseline: its paired cost figure,
    or its figure minus the baseline sibling's, paired by repetition index; None when neither is there."""
    metric, unit, values = figure(rs, row, entries)
    if row.cost_figure:
        diffs = [float(e[row.cost_figure]) for e in entries if row.cost_figure in e]
        return (metric, unit, diffs) if diffs else None
    if base_entries is None:
        return None
    base_metric, _, base_values = figure(rs, rs.rows[row.baseline], base_entries)
    if metric != base_metric:
        return None
    base = {e.get("repetition_index", i): v for i, (e, v) in enumerate(zip(base_entries, base_values))}
    diffs = [v - base[e.get("repetition_index", i)] for i, (e, v) in enumerate(zip(entries, values))
             if e.get("repetition_index", i) in base]
    return (metric, unit, diffs) if diffs else None


def _add_cost(out, rs, path, name, entries, base_entries, how):
    row_fields = rs.rows[name]
    found = cost_differences(rs, row_fields, entries, base_entries)
    if found is None:
        return
    metric, unit, diffs = found
    cost = schema.cost_row(row_fields)
    row = out.setdefault(cost.name, RowRuns(metric, unit, "difference", row=cost, of=name))
    row.values.append(summarise(diffs, how, "difference"))
    row.within_var.append(summary_variance(diffs, log=False))
    row.files.append(path)
    predicted = _predicted(rs, path, name)
    if predicted is not None:
        row.predicted.append(predicted)


def by_row(rs, how=None):
    """{row name: RowRuns} over every run of a result set, xstate-cost rows included; each run
    summarised by SUMMARIES[how] (default SUMMARY)."""
    out = {}
    for path, benchmarks in rs.by_file:
        for name, entries in sorted(benchmarks.items()):
            _add_plain(out, rs, path, name, entries, how)
            row = rs.rows[name]
            if row.cost_figure or (row.baseline and row.baseline in benchmarks):
                _add_cost(out, rs, path, name, entries, benchmarks.get(row.baseline), how)
    return out


def reference_row(rows):
    """The kernel-free reference loop among {name: RowRuns}, or None: the machine's own speed."""
    return next((r for r in rows.values() if r.row.suite == "reference" and r.kind == "ratio"), None)


def changed_machine_runs(row, label):
    """Runs whose kernel-free reference row differs from the label's median by more than its own
    noise: the machine itself changed speed. One sentence per run."""
    if row is None or len(row.values) < 3:  # a median of two is their mean: both look off
        return []
    median = _median(row.values)
    noise = max(3 * _median(row.within_cv), 0.01)
    return [f"{label}: run {path.name} ran the kernel-free reference {v / median - 1:+.1%} off the label's "
            f"median (its noise is ±{noise:.1%}): the machine itself changed speed in that run"
            for v, path in zip(row.values, row.files) if abs(v / median - 1) > noise]
