"""Kernel A vs kernel B, with runs (boots) as the unit of evidence. Each run is summarised per
benchmark (per_run.py); A's run summaries are tested against B's with a t-test whose per-row variance
is moderated toward a prior that follows the row's within-run noise (stats.variance_prior); the
false discovery rate over all rows of the comparison is held at --alpha (Benjamini-Hochberg), and
a row is called changed only when that procedure rejects it and, for ratio rows, the change is at
least --min-change. Also: the environment diff,
protocol and drift warnings, percentiles and counts per operation. compare_within_run keeps the
repetition-level statistics for the self-check, which compares variants inside one process."""
import datetime
import math
from dataclasses import dataclass, field

import numpy as np

from fpubench_cli.analysis import per_run, result_sets, schema, stats
from fpubench_cli.errors import UserError

# What can explain a difference besides the kernel, in the order it is shown.
ENV_KEYS = ["kernel_release", "kernel_version", "kernel_cmdline", "cpu_brand", "cpu_model",
            "cpu_microcode", "hypervisor", "accelerator", "xcr0", "cpufreq_governor", "cpu_boost",
            "smt_active", "topology", "tsc_hz", "fpubench_commit", "label"]
KERNEL_KEYS = {"kernel_release", "kernel_version", "kernel_cmdline", "label"}
MIN_RUNS = 3
INSUFFICIENT = "insufficient runs"


@dataclass
class Thresholds:
    alpha: float = 0.05        # false discovery rate over the rows of one comparison (and 1 - CI confidence)
    min_change: float = 0.01   # relative change below which a ratio row is not reported as changed
    counter_delta: float = 0.01  # per-operation count difference that is a change


@dataclass
class Row:
    name: str
    metric: str
    unit: str
    a_median: float
    b_median: float
    change: float              # relative (kind "ratio") or in `unit` (kind "difference")
    ci: tuple
    p: float
    kind: str = "ratio"
    q: float = None            # the Benjamini-Hochberg adjusted p over the comparison's timed rows
    runs: tuple = (0, 0)       # runs (or, within one run, repetitions) on each side
    run_sd: float = None       # one run's run-to-run noise, on the scale of `change`
    resolves: float = None     # the change detected with 80% power at these numbers of runs
    a_values: list = field(default_factory=list)  # one per run, for plots
    b_values: list = field(default_factory=list)
    predicted: tuple = None    # xstate-cost rows: (A, B) median predicted cost of the copy, ns
    percentiles: dict = field(default_factory=dict)  # counter -> (a, b)
    counters: list = field(default_factory=list)      # (event/op, a, b)
    verdict: str = ""
    timing: str = ""           # "slower"/"faster" when the timing alone says so, whatever the verdict
    notes: list = field(default_factory=list)
    family: str = ""           # schema.Row.family: the rows one summary line groups
    kernel_free: bool = False  # schema.Row.kernel_free: judged apart from the kernel's rows
    of: str = ""               # an xstate-cost row: the benchmark it is the cost of (per_run.RowRuns.of)
    fields: schema.Row = None  # what the row is (for an xstate-cost row, the row it is the cost of, renamed)


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
    runs: tuple = (0, 0)   # runs on each side (the most any row has)
    unit: str = "runs"     # what the statistics treat as independent: "runs" or "repetitions"
    fdr: float = 0.05      # the false discovery rate the timing verdicts are controlled at
    plan: str = None       # how many repetitions and runs would resolve the rows that do not (design.py)
    all_differences: list = field(default_factory=list)  # every differing context field (every_difference)
    a_files: list = field(default_factory=list)  # the result files behind each side
    b_files: list = field(default_factory=list)
    resolution: str = None  # this machine's self-check across runs, when one was made (selfcheck_runs.py)

    @property
    def regressions(self):
        return [r for r in self.rows if r.timing == "slower"]

    @property
    def changed(self):
        return [r for r in self.rows if r.timing in ("slower", "faster") or r.verdict == "counts changed"]

    @property
    def tested(self):
        """Rows whose timing took part in the error control."""
        return [r for r in self.rows if r.q is not None]

    @property
    def insufficient(self):
        return self.unit == "runs" and min(self.runs) < MIN_RUNS


def _differs(key, a, b):
    if key == "tsc_hz" and a and b:
        # Calibrated per run: a difference below 0.1% is the calibration's own noise.
        try:
            return abs(float(a) / float(b) - 1.0) > 1e-3
        except ValueError:
            pass
    return a != b


# Context fields that differ between any two runs and say nothing about the kernel or machine.
VOLATILE_KEYS = {"date", "load_avg", "executable", "host_name", "run.wall_seconds", "run.repetitions",
                 "measured_alone", "mhz_per_cpu", "label"}


def every_difference(a, b):
    """(key, a, b) for every recorded context field that differs, volatile ones aside: the report's
    environment table."""
    keys = sorted((set(a) | set(b)) - VOLATILE_KEYS)
    return [(k, a.get(k, "-"), b.get(k, "-")) for k in keys if _differs(k, a.get(k), b.get(k))]


def environment_diff(a, b):
    keys = ENV_KEYS + sorted(k for k in set(a) | set(b) if k.startswith(("vulnerability.", "system.", "pm_qos.")))
    diff = [(k, a.get(k, "-"), b.get(k, "-")) for k in keys if _differs(k, a.get(k), b.get(k))]
    others = [k for k, _, _ in diff if k not in KERNEL_KEYS]
    warnings = []
    if others:
        warnings.append("besides the kernel, these differ and may explain changes: " + ", ".join(others))
    return diff, warnings


def timing_comparable(a, b, force):
    """(timings may be judged, the warning if not): TCG emulates the CPU, and accelerators differ."""
    acc_a, acc_b = a.context.get("accelerator"), b.context.get("accelerator")
    if force:
        return True, None
    if "tcg" in (acc_a, acc_b):
        return False, ("functional only: a side ran under TCG, which emulates the CPU, so no timing "
                       "verdict is given (--force to compare timings anyway); counts still are compared")
    if acc_a != acc_b:
        return False, (f"accelerators differ ({acc_a} vs {acc_b}): timings are not compared "
                       f"(--force compares them anyway); counts still are")
    return True, None


def _run_dates(rs):
    dates = []
    for _, context in rs.file_contexts:
        try:
            dates.append(datetime.datetime.fromisoformat(context["date"]))
        except (KeyError, TypeError, ValueError):
            pass
    return dates


def protocol_warnings(a, b):
    """Runs made in one block per kernel let slow drift of the machine read as a kernel change."""
    da, db = _run_dates(a), _run_dates(b)
    if len(da) >= 2 and len(db) >= 2 and (max(da) < min(db) or max(db) < min(da)):
        first, second = (a, b) if max(da) < min(db) else (b, a)
        return [f"all of {first.label}'s runs were made before all of {second.label}'s: drift of the machine "
                f"reads as a kernel change; alternate the boots (A B A B ...), see the README's protocol"]
    return []


def _counters(ra, rb):
    out = []
    for key in sorted(set(ra.counters) & set(rb.counters)):
        out.append((key, float(np.median(ra.counters[key])), float(np.median(rb.counters[key]))))
    return out


# Rows no kernel change should move: user-mode work with no system call in it (the kernel-free
# reference loop, the XSAVE family's instructions, the spin floor's cache-line ping-pong). They get
# a verdict of their own, outside the kernel's error control and exit status. The steady ones are
# the controls whose common drift from run to run is the machine's own speed (stats.machine_factor);
# the spin floor is too bimodal for that. Each row says which it is (its role, host/plan/suite_plan.h).
KERNEL_FREE = "kernel-free: "
# Above this |correlation| of the machine factor with the side, machine and kernel cannot be told apart.
CONFOUNDED = 0.99


def machine_factors(pairs):
    """({run file: the machine's log speed factor in that run}, warning or None) from the control
    rows that every run of both labels has; ({}, None) when there are none, and ({}, why) when the
    factor moves with the side so closely that adjusting for it would remove the kernel's effect."""
    controls = [(ra, rb) for ra, rb in pairs if ra.row.control and _log_scale(ra, rb)]
    # Fewer runs give no verdict anyway, and with two a side the factor follows the side by chance.
    if not controls or min(len(controls[0][0].files), len(controls[0][1].files)) < MIN_RUNS:
        return {}, None
    files = controls[0][0].files + controls[0][1].files
    n_a = len(controls[0][0].files)
    controls = [(ra, rb) for ra, rb in controls if ra.files + rb.files == files]
    factor = stats.machine_factor([np.log(ra.values + rb.values) for ra, rb in controls])
    if factor is None or np.ptp(factor) == 0:
        return {}, None
    side = np.r_[np.zeros(n_a), np.ones(len(files) - n_a)]
    if abs(np.corrcoef(factor, side)[0, 1]) > CONFOUNDED:
        return {}, ("the machine's speed, measured by the kernel-free rows, moved with the side run for run "
                    "(every run of one label at another speed than every run of the other): machine and kernel "
                    "cannot be told apart, so no row is adjusted for the machine; alternate the boots and make "
                    "more runs")
    return dict(zip(files, factor)), None


def _fit(name, ra, rb, factors):
    """The row's fit on its comparison scale, adjusted for the machine factor where every run has one."""
    a, b = np.asarray(ra.values, float), np.asarray(rb.values, float)
    if _log_scale(ra, rb):
        a, b = np.log(a), np.log(b)
    adjust = (factors and not ra.row.control and all(f in factors for f in ra.files + rb.files)
              and min(a.size, b.size) >= MIN_RUNS)  # as stats.fit_row needs, so the note is true
    wa, wb = ([factors[f] for f in ra.files], [factors[f] for f in rb.files]) if adjust else (None, None)
    return stats.fit_row(a, b, wa, wb), bool(adjust)


def _row_across_runs(name, ra, rb, fit, prior):
    """The row's figures and its own test; the timing verdict comes after the error control."""
    a, b = np.asarray(ra.values, float), np.asarray(rb.values, float)
    n = (a.size, b.size)
    row = Row(name, ra.metric, ra.unit, per_run.summarise(a, kind=ra.kind), per_run.summarise(b, kind=ra.kind), 0.0, (0.0, 0.0), 1.0,
              kind=ra.kind, runs=n, a_values=list(a), b_values=list(b),
              percentiles={p: (float(np.median(ra.percentiles[p])), float(np.median(rb.percentiles[p])))
                           for p in set(ra.percentiles) & set(rb.percentiles)},
              counters=_counters(ra, rb), family=ra.row.family, kernel_free=ra.row.kernel_free, of=ra.of,
              fields=ra.row)
    if ra.predicted and rb.predicted:
        row.predicted = (float(np.median(ra.predicted)), float(np.median(rb.predicted)))
    log = _log_scale(ra, rb)
    if fit is not None:
        c = stats.moderated_change(fit, prior)
        to_change = (lambda x: math.expm1(x)) if log else (lambda x: x)
        row.change, row.ci, row.p = to_change(c.estimate), (to_change(c.low), to_change(c.high)), c.p
        row.run_sd, row.resolves = to_change(c.run_sd), to_change(c.resolves)
        # The columns come from the statistic Δ does, so the three agree: A's runs on the scale
        # compared (geometric mean for ratio rows) and B as A moved by Δ (adjusted, when it was).
        row.a_median = float(np.exp(np.log(a).mean())) if log else float(a.mean())
        row.b_median = row.a_median * (1 + row.change) if log else row.a_median + row.change
    elif log:
        row.change = float(row.b_median / row.a_median - 1)
    else:
        row.change = float(row.b_median - row.a_median)
    return row


def _judge(rows, eligible, t, timing_ok):
    """Benjamini-Hochberg over the eligible rows' p-values at FDR t.alpha, kernel rows and
    kernel-free rows as two families, then each row's verdict."""
    for kernel_free in (False, True):
        tested = [r for r, ok in zip(rows, eligible) if ok and r.kernel_free == kernel_free]
        rejected, adjusted = stats.benjamini_hochberg([r.p for r in tested], t.alpha)
        for r, rej, q in zip(tested, rejected, adjusted):
            r.q = float(q)
            big_enough = r.kind != "ratio" or abs(r.change) >= t.min_change
            r.timing = ("slower" if r.change > 0 else "faster") if rej and big_enough else ""
            if kernel_free:  # not the kernel's: a verdict of its own, outside the exit status
                r.verdict, r.timing = (KERNEL_FREE + r.timing) if r.timing else "", ""
    for r in rows:
        if r.verdict:
            continue
        if any(abs(vb - va) > t.counter_delta for _, va, vb in r.counters):
            r.verdict = "counts changed"  # counts per operation are exact: no runs needed
            if r.timing:
                r.notes.append(f"and {r.timing}")
        elif not timing_ok:
            r.verdict = "timing not compared"
        elif min(r.runs) < MIN_RUNS:
            r.verdict = INSUFFICIENT
        else:
            r.verdict = r.timing or "no significant change"


def _log_scale(ra, rb):
    return ra.kind == "ratio" and min(ra.values + rb.values, default=0) > 0


def _priors(pairs, fits):
    """{row index: (d0, s0^2)}: one prior per kind of row, from the rows' residual variances; the
    absolute rows' prior follows their within-run noise (limma-trend). The paired costs' does not:
    pairing in time removes most of a cost's within-run noise but none of what differs between
    boots (130 to 240 ns for one row across ten runs whose repetitions agree within 40 ns), so
    their within-run noise does not predict their run-to-run noise, and a trend in it made 10% of
    3-vs-3 A/A comparisons report a change (3.5% with a constant prior; README). Rows without a
    fit get none."""
    out = {}
    for kind in ("ratio", "difference"):
        index = [i for i, (ra, _) in enumerate(pairs) if ra.kind == kind and fits[i] is not None]
        covariates = []
        for i in index:
            ra, rb = pairs[i]
            within = [w for w in ra.within_var + rb.within_var if w > 0]
            covariates.append(float(np.mean(within)) if within else 0.0)
        use_trend = kind == "ratio" and bool(covariates) and all(c > 0 for c in covariates)
        d0, s0 = stats.variance_prior([fits[i].s2 for i in index], [fits[i].df for i in index],
                                      covariates if use_trend else None)
        out.update({i: (d0, s0[k]) for k, i in enumerate(index)})
    return out


def compare_rows(rows_a, rows_b, thresholds=Thresholds(), timing_ok=True, adjust=True, warnings=None):
    """Rows (per_run.RowRuns by name) of A against B's: xstate-cost rows first, then by name. The
    timing verdicts hold the false discovery rate over all of them at thresholds.alpha. With
    `adjust`, each kernel row is judged with the machine's speed per run as a covariate (RUV-2,
    stats.machine_factor); warnings about it are appended to `warnings`."""
    names = sorted(set(rows_a) & set(rows_b), key=lambda n: (rows_a[n].kind != "difference", n))
    pairs = [(rows_a[n], rows_b[n]) for n in names]
    factors, why = machine_factors(pairs) if adjust and timing_ok else ({}, None)
    if why and warnings is not None:
        warnings.append(why)
    fitted = [_fit(name, ra, rb, factors) if ra.metric == rb.metric and min(len(ra.values), len(rb.values)) >= 2
              else (None, False) for name, (ra, rb) in zip(names, pairs)]
    fits = [f for f, _ in fitted]
    priors = _priors(pairs, fits)
    rows, eligible = [], []
    for i, (name, (ra, rb)) in enumerate(zip(names, pairs)):
        if ra.metric != rb.metric:
            rows.append(Row(name, f"{ra.metric} vs {rb.metric}", "", 0, 0, 0, (0, 0), 1.0,
                            verdict="not comparable", notes=["different metrics on each side"],
                            family=ra.row.family, kernel_free=ra.row.kernel_free))
            eligible.append(False)
            continue
        rows.append(_row_across_runs(name, ra, rb, fits[i], priors.get(i, (0.0, 0.0))))
        if fitted[i][1]:
            rows[-1].notes.append("adjusted for the machine's speed in each run (kernel-free rows)")
        eligible.append(timing_ok and min(rows[-1].runs) >= MIN_RUNS)
    _judge(rows, eligible, thresholds, timing_ok)
    return rows


def kernel_free_warning(rows):
    """When rows no kernel change moves did move, the machine's speed differed between the labels."""
    moved = [r for r in rows if r.verdict.startswith(KERNEL_FREE)]
    if not moved:
        return []
    median = float(np.median([r.change for r in moved if r.kind == "ratio"] or [0.0]))
    adjusted = any(any("adjusted for the machine" in n for n in r.notes) for r in rows)
    return [f"{len(moved)} kernel-free rows (reference loop, XSAVE instructions, spin floor) changed, by "
            f"{median:+.1%} in the median: the machine itself ran at another speed in one label's runs"
            + ("; the kernel rows are adjusted for it run by run" if adjusted else "")
            + " (--no-adjust shows them raw)"]


def compare_sets(a, b, thresholds=Thresholds(), force_timing=False, adjust=True):
    """A vs B across runs. Rows: every benchmark in both, xstate-cost rows first."""
    env, warnings = environment_diff(a.context, b.context)
    timing_ok, why = timing_comparable(a, b, force_timing)
    if why:
        warnings.append(why)
    warnings += protocol_warnings(a, b)
    rows_a, rows_b = per_run.by_row(a), per_run.by_row(b)
    for rs, rows in (((a, rows_a), (b, rows_b)) if timing_ok else ()):  # TCG speed says nothing
        warnings += per_run.changed_machine_runs(per_run.reference_row(rows), rs.label)
    rows = compare_rows(rows_a, rows_b, thresholds, timing_ok, adjust, warnings)
    warnings += kernel_free_warning(rows)
    n_runs = (max((len(r.values) for r in rows_a.values()), default=0),
              max((len(r.values) for r in rows_b.values()), default=0))
    return Comparison(a.label, b.label, env, warnings, rows,
                      sorted(set(rows_a) - set(rows_b)), sorted(set(rows_b) - set(rows_a)),
                      [(rs.label, integrity_line(rs.integrity)) for rs in (a, b) if rs.integrity],
                      runs=n_runs, fdr=thresholds.alpha,
                      all_differences=every_difference(a.context, b.context), a_files=list(a.files),
                      b_files=list(b.files))


def compare_within_run(a, b, thresholds=Thresholds(), kind="ratio"):
    """Variants measured interleaved in one process (the self-check): repetitions are the unit,
    which is right there and only there. kind "difference": the rows' figures are xstate costs,
    compared as B - A in their unit (min_change does not apply)."""
    rows = []
    for name in sorted(set(a.runs) & set(b.runs)):
        ma, unit, va = per_run.figure(a, a.rows[name], a.runs[name])
        mb, _, vb = per_run.figure(b, b.rows[name], b.runs[name])
        if ma != mb:
            continue
        ci = stats.difference_ci if kind == "difference" else stats.relative_change_ci
        change, lo, hi = ci(va, vb)
        row = Row(name, ma, unit, float(np.median(va)), float(np.median(vb)), change, (lo, hi),
                  stats.mann_whitney_p(va, vb), kind=kind, runs=(len(va), len(vb)), family=a.rows[name].family)
        big_enough = kind == "difference" or abs(change) >= thresholds.min_change
        significant = row.p < thresholds.alpha and (lo > 0 or hi < 0) and big_enough
        row.timing = ("slower" if change > 0 else "faster") if significant else ""
        row.verdict = row.timing or "no significant change"
        rows.append(row)
    return Comparison(a.label, b.label, [], [], rows, [], [], unit="repetitions")


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
        mixed = result_sets.mixed_machines(rs)
        if mixed and not force:
            raise UserError(f"'{rs.label}' mixes results of different machines or builds ({mixed}): compare "
                            f"--by-machine for a lab's runs of many machines, move the foreign files to a label "
                            f"of their own, or --force to compare anyway")
        if mixed:
            warnings.append(f"'{rs.label}' mixes machines or builds ({mixed}); compared anyway (--force)")
    return warnings


# What makes a label one kernel: runs of two kernels pooled in one label would be compared as one.
KERNEL_IDENTITY = ["kernel_release", "kernel_version", "kernel_cmdline"]


def check_one_kernel_per_label(sets, force=False):
    """Refuses a label whose runs come from different kernels (release, build or command line),
    listing the files per kernel; with force, warns instead."""
    warnings = []
    for rs in sets:
        kernels = {}
        for path, context in rs.file_contexts:
            if context.get("torture") is not None or not any(k in context for k in KERNEL_IDENTITY):
                continue
            kernels.setdefault(tuple(context.get(k, "-") for k in KERNEL_IDENTITY), []).append(path.name)
        if len(kernels) < 2:
            continue
        listing = "; ".join(f"{key[0]} (cmdline '{key[2][:40]}'): {', '.join(files[:4])}"
                            + (f" and {len(files) - 4} more" if len(files) > 4 else "")
                            for key, files in kernels.items())
        if not force:
            raise UserError(f"'{rs.label}' holds runs of {len(kernels)} kernels, which would be compared as one: "
                            f"{listing}. Move each kernel's runs into a label of its own, or --force")
        warnings.append(f"'{rs.label}' holds runs of {len(kernels)} kernels (--force): {listing}")
    return warnings


def same_files_warning(a, b):
    common = {f.resolve() for f in a.files} & {f.resolve() for f in b.files}
    if common and len(common) == len(a.files) == len(b.files):
        return [f"A and B are the same {len(common)} files: this compares a label with itself, so it can only "
                f"say 'no change'"]
    if common:
        return [f"A and B share {len(common)} files: those runs count on both sides"]
    return []


def check_pair(a, b, force=False):
    """What every command comparing two sides (compare, report, ab) checks first: one machine and one
    kernel per side (with force, warnings instead), shared files said, a benchmark in common.
    Returns the warnings for the comparison."""
    warnings = check_one_machine_per_label([a, b], force) + check_one_kernel_per_label([a, b], force)
    check_comparable(a, b)
    return warnings + same_files_warning(a, b)


def check_comparable(a, b):
    if not set(a.runs) & set(b.runs):
        raise UserError(f"{a.label} and {b.label} have no benchmark in common: compare runs of "
                        f"the same suite (same --benchmark_filter)")
