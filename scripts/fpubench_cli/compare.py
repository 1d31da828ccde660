"""Kernel A vs kernel B: the environment diff, then per benchmark in both: medians, the relative
change with a bootstrap CI, Mann-Whitney p-values, percentiles side by side, counter deltas per
operation, and a verdict."""
from dataclasses import dataclass, field

import numpy as np

from . import results, stats
from .errors import UserError

# What can explain a difference besides the kernel, in the order it is shown.
ENV_KEYS = ["kernel_release", "kernel_version", "kernel_cmdline", "cpu_brand", "cpu_model",
            "cpu_microcode", "hypervisor", "accelerator", "xcr0", "cpufreq_governor", "cpu_boost",
            "smt_active", "topology", "tsc_hz", "fpubench_commit", "label"]
KERNEL_KEYS = {"kernel_release", "kernel_version", "kernel_cmdline", "label"}
PERCENTILES = ["rtt_p50_ns", "rtt_p90_ns", "rtt_p99_ns", "rtt_p999_ns"]
# The figure a benchmark is judged by, first present wins.
PRIMARY_METRICS = [("rtt_p50_ns", "ns"), ("ticks_per_insn", "ticks"), ("ns_per_op", "ns")]


@dataclass
class Thresholds:
    alpha: float = 0.05        # p-value below which a change is significant
    min_change: float = 0.02   # relative change below which it is not reported as one
    counter_delta: float = 0.01  # per-operation count difference that is a change


@dataclass
class Row:
    name: str
    metric: str
    unit: str
    a_median: float
    b_median: float
    change: float
    ci: tuple
    p_repetitions: float
    p_samples: float = None
    repetitions: tuple = (0, 0)
    percentiles: dict = field(default_factory=dict)  # counter -> (a, b)
    counters: list = field(default_factory=list)      # (event/op, a, b)
    verdict: str = ""
    notes: list = field(default_factory=list)


@dataclass
class Comparison:
    a_label: str
    b_label: str
    environment: list      # (key, a, b) for keys that differ
    warnings: list
    rows: list
    only_a: list
    only_b: list
    integrity: list = field(default_factory=list)  # (side label, one-line verdict)

    @property
    def regressions(self):
        return [r for r in self.rows if r.verdict == "slower"]


def _differs(key, a, b):
    if key == "tsc_hz" and a and b:
        # Calibrated per run: a difference below 0.1% is the calibration's own noise.
        try:
            return abs(float(a) / float(b) - 1.0) > 1e-3
        except ValueError:
            pass
    return a != b


def environment_diff(a, b):
    keys = ENV_KEYS + sorted(k for k in set(a) | set(b) if k.startswith("vulnerability."))
    diff = [(k, a.get(k, "-"), b.get(k, "-")) for k in keys if _differs(k, a.get(k), b.get(k))]
    others = [k for k, _, _ in diff if k not in KERNEL_KEYS]
    warnings = []
    if others:
        warnings.append("besides the kernel, these differ and may explain changes: " + ", ".join(others))
    return diff, warnings


def _metric(result_set, entries):
    for metric, unit in PRIMARY_METRICS:
        if all(metric in e for e in entries):
            return metric, unit, [float(e[metric]) for e in entries]
    return "real_time", "ns", [result_set.real_time_ns(e) for e in entries]


def _median(entries, key):
    values = [float(e[key]) for e in entries if key in e]
    return float(np.median(values)) if values else None


def compare_sets(a, b, thresholds=Thresholds(), force_timing=False):
    env, warnings = environment_diff(a.context, b.context)
    acc_a, acc_b = a.context.get("accelerator"), b.context.get("accelerator")
    timing_ok = force_timing or acc_a == acc_b
    if not timing_ok:
        warnings.append(f"accelerators differ ({acc_a} vs {acc_b}): timings are not compared "
                        f"(--force compares them anyway); counts still are")
    rows = []
    for name in sorted(set(a.runs) & set(b.runs)):
        ea, eb = a.runs[name], b.runs[name]
        ma, unit_a, va = _metric(a, ea)
        mb, unit_b, vb = _metric(b, eb)
        notes = []
        if len(va) != len(vb):
            notes.append(f"repetitions differ ({len(va)} vs {len(vb)})")
        if ma != mb:
            rows.append(Row(name, f"{ma} vs {mb}", "", 0, 0, 0, (0, 0), 1.0,
                            verdict="not comparable", notes=["different metrics on each side"]))
            continue
        change, lo, hi = stats.relative_change_ci(va, vb)
        row = Row(name, ma, unit_a, float(np.median(va)), float(np.median(vb)), change, (lo, hi),
                  stats.mann_whitney_p(va, vb), repetitions=(len(va), len(vb)), notes=notes)
        if name in a.histograms and name in b.histograms:
            row.p_samples = stats.mann_whitney_p(stats.samples_from_histograms(a.histograms[name]),
                                                 stats.samples_from_histograms(b.histograms[name]))
        for p in PERCENTILES:
            if _median(ea, p) is not None and _median(eb, p) is not None:
                row.percentiles[p] = (_median(ea, p), _median(eb, p))
        for key in sorted(k for k in set(ea[0]) & set(eb[0]) if k.endswith("/op")):
            row.counters.append((key, _median(ea, key), _median(eb, key)))
        row.verdict = _verdict(row, thresholds, timing_ok)
        rows.append(row)
    return Comparison(a.label, b.label, env, warnings, rows,
                      sorted(set(a.runs) - set(b.runs)), sorted(set(b.runs) - set(a.runs)),
                      [(rs.label, integrity_line(rs.integrity)) for rs in (a, b) if rs.integrity])


def integrity_line(summaries):
    """'passed (3 runs, 10 scenarios)' or the first failure of the torture runs in a set."""
    for t in summaries:
        verdict = t.get("verdict")
        if verdict in ("nothing tested", "interrupted", "incomplete"):
            return f"not established: a torture run was {verdict if verdict != 'nothing tested' else 'empty (nothing tested)'}"
        if not t.get("passed"):
            bad = [f"{s['name']}: {s['corruption']}" for s in t.get("scenarios", []) if s.get("corruption")]
            bad += [f"kernel log: {line}" for line in t.get("kernel_log", [])]
            return "FAILED: " + (bad[0] if bad else "see the torture summary")
    scenarios = max(len(t.get("scenarios", [])) for t in summaries)
    return f"passed ({len(summaries)} torture run{'s' if len(summaries) != 1 else ''}, {scenarios} scenarios)"


def _verdict(row, t, timing_ok):
    counts_changed = any(abs(vb - va) > t.counter_delta for _, va, vb in row.counters)
    if timing_ok:
        # Few repetitions cannot reach a small p-value; per-round-trip samples can.
        p = row.p_repetitions if min(row.repetitions) >= 3 or row.p_samples is None else row.p_samples
        ci_excludes_zero = row.ci[0] > 0 or row.ci[1] < 0
        if p < t.alpha and abs(row.change) >= t.min_change and ci_excludes_zero:
            return "slower" if row.change > 0 else "faster"
    return "counts changed" if counts_changed else "no significant change"


def check_thresholds(t):
    if not 0 < t.alpha < 1:
        raise UserError(f"--alpha is a significance level between 0 and 1 (like 0.05), got {t.alpha}")
    if not t.min_change >= 0:
        raise UserError(f"--min-change is a relative change of 0 or more (0.02 = 2%), got {t.min_change}")
    if not t.counter_delta >= 0:
        raise UserError(f"--counter-delta is a count difference of 0 or more, got {t.counter_delta}")


def check_one_machine_per_label(sets, force=False):
    """A label is one machine and one fpubench build; a foreign file in it would be pooled."""
    warnings = []
    for rs in sets:
        mixed = results.mixed_machines(rs)
        if mixed and not force:
            raise UserError(f"'{rs.label}' mixes results of different machines or builds ({mixed}): move "
                            f"the foreign files to a label of their own, or --force to compare anyway")
        if mixed:
            warnings.append(f"'{rs.label}' mixes machines or builds ({mixed}); compared anyway (--force)")
    return warnings


def check_comparable(a, b):
    if not set(a.runs) & set(b.runs):
        raise UserError(f"{a.label} and {b.label} have no benchmark in common: compare runs of "
                        f"the same suite (same --benchmark_filter)")
