"""`fpubench selfcheck --across-runs`: the resolution of a kernel comparison on this machine, found
the way a kernel comparison is made. Runs without and with an injected delay alternate in separate
processes (base, inject, base, inject, ...), so each is a run in the sense compare uses; the first
3, 5 and 10 of each side are then compared exactly as compare does (per-row moderated t, false
discovery rate over the rows). A size is found at n runs a side when at least FOUND_SHARE of the
delayed rows are called slower. Also measured from the same runs: each candidate per-run summary's
run-to-run spread and how it follows the injected delay (README: choosing the run summary). With
`cost` the delay is --inject-cost-ns, in the held side of paired rows only: the delayed rows are then
the xstate-cost rows, and what is found is the smallest change of an xstate cost."""
import json
import re
from pathlib import Path

import numpy as np

from fpubench_cli import paths, publish
from fpubench_cli.analysis import compare, per_run, result_sets, schema
from fpubench_cli.errors import UserError
from fpubench_cli.running import run

RUNS_A_SIDE = (3, 5, 10)
FOUND_SHARE = 0.8


def default_filter(planned, cost=False):
    """A --benchmark_filter of `plan --json`'s rows that --inject-ns lengthens most cleanly: the
    futex, eventfd and pipe round trips on one PU; with `cost`, those and the signal, whose held
    side --inject-cost-ns delays (their none rows come along, absolute rows the delay leaves alone)."""
    rows = [schema.Row(**r["row"]) for r in planned]
    mechanisms = ("futex", "eventfd", "pipe") + (("signal",) if cost else ())
    names = [r.name for r in rows if r.mechanism in mechanisms and r.placement in ("same-pu", "") and not r.selfcheck]
    if not names:
        raise UserError("this machine plans none of the round trips a self-check across runs delays (futex, eventfd "
                        "or pipe on one PU): give --filter")
    # A name holds letters, digits and "/_-" (a "." or "+" escaped in case); Google Benchmark matches
    # the filter to the name with its "/manual_time" after it, so each name ends at a slash.
    return "^(" + "|".join(re.sub(r"([.+])", r"\\\1", n) for n in names) + ")/"


def alternating_runs(folder, sizes, n_runs, benchmark_filter, measuring=(), run_suite=run.run_suite, cost=False):
    """{size: (base label folder, inject label folder)} after n_runs of each, alternating."""
    out = {}
    flag = "--inject-cost-ns" if cost else "--inject-ns"
    for size in sizes:
        base, inject = f"base-for-{size:g}ns", f"inject-{'cost-' if cost else ''}{size:g}ns"
        for i in range(n_runs):
            for label, flags in ((base, []), (inject, [f"{flag}={size:g}"])):
                print(f"fpubench: across runs, {size:g} ns: run {i + 1}/{n_runs} of {label}", flush=True)
                run_suite(label=label, extra=[f"--benchmark_filter={benchmark_filter}", *measuring, *flags],
                          results_dir=folder, do_setup=False, console_lines=False)
        out[size] = (folder / base, folder / inject)
    return out


def _first(rs, n):
    return result_sets.ResultSet(rs.label, rs.files[:n], rs.context, by_file=rs.by_file[:n],
                                 file_contexts=rs.file_contexts[:n], predictions=rs.predictions, rows=rs.rows)


def _delayed(runs, cost=False):
    """Rows (per_run.RowRuns) --inject-ns lengthens that a comparison judges as the kernel's:
    ping-pong and KVM exit round trips (not their paired xstate costs, where the delay cancels, nor
    the spin floor, judged apart as kernel-free); with `cost` (--inject-cost-ns) the xstate costs alone."""
    row = runs.row
    if row.role != "kernel":
        return False
    if runs.kind == "difference":
        return cost
    return not cost and (row.suite == "pingpong" or (row.suite == "kvm" and row.mechanism in ("pio-exit", "mmio-exit")))


def share_found(base, inject, n, cost=False):
    """The share of delayed rows called slower with the first n runs a side, and how many rows."""
    fields = per_run.by_row(_first(base, n))
    rows = compare.compare_rows(fields, per_run.by_row(_first(inject, n)))
    delayed = [r for r in rows if _delayed(fields[r.name], cost)]
    if not delayed:
        raise UserError("the filter left no row the delay lengthens (ping-pong or KVM round trips; with --cost, "
                        "rows with an FPU state): use a filter that keeps some")
    return sum(r.timing == "slower" for r in delayed) / len(delayed), len(delayed)


def summary_candidates(base, inject, size, cost=False):
    """Per candidate summary: median over delayed rows of its run-to-run CV on the base runs (with
    `cost`, the SD in ns: a cost has no scale to be relative to), and of (inject - base) / size:
    1.0 moves one-for-one with the delay."""
    out = {}
    for how in per_run.SUMMARIES:
        rows_b, rows_i = per_run.by_row(base, how), per_run.by_row(inject, how)
        cvs, slopes = [], []
        for name in sorted(set(rows_b) & set(rows_i)):
            if not _delayed(rows_b[name], cost) or len(rows_b[name].values) < 2:
                continue
            b, i = np.asarray(rows_b[name].values), np.asarray(rows_i[name].values)
            cvs.append(float(np.std(b, ddof=1) / (1.0 if cost else np.mean(b))))
            slopes.append(float((np.mean(i) - np.mean(b)) / size))
        if cvs:
            out[how] = {"run_to_run_cv": float(np.median(cvs)), "response": float(np.median(slopes))}
    return out


def evaluate(labels, n_runs, cost=False):
    found, candidates = {}, {}
    for size, (base_dir, inject_dir) in labels.items():
        base, inject = result_sets.load(base_dir), result_sets.load(inject_dir)
        found[f"{size:g}"] = {str(n): share_found(base, inject, n, cost)[0] for n in RUNS_A_SIDE if n <= n_runs}
        candidates[f"{size:g}"] = summary_candidates(base, inject, size, cost)
    smallest = {}
    for n in (n for n in RUNS_A_SIDE if n <= n_runs):
        hits = [float(s) for s, by_n in found.items() if by_n[str(n)] >= FOUND_SHARE]
        smallest[str(n)] = min(hits) if hits else None
    return {"found": found, "smallest_found_ns": smallest, "summary_candidates": candidates, "cost": cost}


def format_evaluation(e, benchmark_filter):
    ns = sorted({n for by_n in e["found"].values() for n in by_n}, key=int)
    cost = e.get("cost", False)
    what = "xstate-cost rows called slower with the delay in the held side only" if cost else \
        "delayed rows called slower"
    lines = [f"self-check across runs ({benchmark_filter}): share of {what} "
             f"(false discovery rate {compare.Thresholds().alpha:.0%})",
             f"{'inject':>8}  " + "  ".join(f"{n + ' runs a side':>16}" for n in ns)]
    for size, by_n in sorted(e["found"].items(), key=lambda kv: float(kv[0])):
        lines.append(f"{size + ' ns':>8}  " + "  ".join(f"{by_n[n]:>16.0%}" for n in ns))
    lines.append("smallest delay found in at least {:.0%} of the delayed rows: ".format(FOUND_SHARE) + ", ".join(
        f"{n} runs a side {'none' if v is None else f'{v:g} ns'}" for n, v in e["smallest_found_ns"].items()))
    spread = (lambda v: f"{v:.0f} ns") if cost else (lambda v: f"{v:.1%}")  # noqa: E731
    lines.append(f"run summaries (median over delayed rows): run-to-run {'SD' if cost else 'CV'} / response to "
                 f"the delay (1.0 = one-for-one)")
    for size, cands in e["summary_candidates"].items():
        lines.append(f"  {size} ns: " + ", ".join(f"{how} {spread(c['run_to_run_cv'])} / {c['response']:.2f}"
                                                for how, c in cands.items())
                     + f"  (in use for these rows: {per_run.SUMMARY['difference' if cost else 'ratio']})")
    return "\n".join(lines)


def selfcheck_across_runs(sizes, n_runs, label, benchmark_filter, measuring=(),
                          results_dir=paths.RESULTS_DIR, run_suite=run.run_suite, cost=False):
    if not sizes:
        raise UserError("--sizes gave no delay to try: name at least one, like --sizes 100,250")
    if n_runs < 3:
        raise UserError(f"--runs must be at least 3 (a comparison needs 3 runs a side), got {n_runs}")
    out_dir = publish.label_dir(results_dir, label)
    folder = out_dir / f"across-runs-{publish.timestamp()}"
    labels = alternating_runs(folder, sizes, n_runs, benchmark_filter, measuring, run_suite, cost)
    e = evaluate(labels, n_runs, cost)
    print(format_evaluation(e, benchmark_filter))
    context = result_sets.load(next(iter(labels.values()))[0]).context
    data = {"context": context, "benchmarks": [], "selfcheck_across_runs": {
        "filter": benchmark_filter, "runs_a_side": n_runs, "runs_folder": folder.name, **e}}
    with publish.PendingResult(results_dir, label, "across-runs") as pending:
        pending.path().write_text(json.dumps(data, indent=1))
        final = pending.publish(check=lambda path: None)
    print(f"fpubench: self-check across runs written to {final} (its runs in {folder})")
    return e


def latest_for_machine(context, results_dir=paths.RESULTS_DIR):
    """The newest across-runs self-check made on the machine of `context`, as one line, or None."""
    found = []
    for path in Path(results_dir).glob("*/*.across-runs.json"):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        ctx = data.get("context", {})
        if all(ctx.get(k) == context.get(k) for k in result_sets.MACHINE_KEYS if k != "fpubench_commit"):
            found.append((path.name, data))
    if not found:
        return None
    name, data = max(found, key=lambda f: f[0])
    s = data["selfcheck_across_runs"]
    what = "xstate-cost change" if s.get("cost") else "injected delay"
    return (f"self-check across runs on this machine ({name}): smallest {what} found, "
            + ", ".join(f"{n} runs a side {'none' if v is None else f'{v:g} ns'}"
                        for n, v in s["smallest_found_ns"].items()))
