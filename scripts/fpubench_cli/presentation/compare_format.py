"""A comparison as an aligned text table, Markdown, JSON or CSV."""
import csv
import io
import json
from dataclasses import asdict

from fpubench_cli.analysis import compare
from fpubench_cli.presentation import text_table


def _num(v, unit=""):
    if v is None:
        return "-"
    if abs(v) >= 1e5:
        return f"{v:.4g}{unit}"
    return f"{v:.1f}{unit}" if abs(v) >= 10 else f"{v:.3g}{unit}"


def _p(p):
    return "-" if p is None else (f"{p:.2g}" if p >= 1e-4 else "<1e-4")


def _amount(r, v):
    """A change on the row's scale: % for ratio rows, the unit for difference rows."""
    if v is None:
        return "-"
    if r.kind == "ratio":
        return f"{v:+.1%}"
    return f"{v:+.0f} {r.unit}" if abs(v) >= 100 else f"{v:+.1f} {r.unit}"


def change_text(r):
    """'+2.1% [+0.5%, +3.8%]' for ratio rows, whose interval (from the log scale) is asymmetric;
    '+40.1 ns ± 12.0 ns' for difference rows; the point change alone without an interval."""
    if r.verdict == "not comparable":
        return "-"
    if r.run_sd is None and r.ci == (0.0, 0.0):
        return f"{_amount(r, r.change)} (no interval)"
    if r.kind == "ratio":
        return f"{_amount(r, r.change)} [{_amount(r, r.ci[0])}, {_amount(r, r.ci[1])}]"
    half = (r.ci[1] - r.ci[0]) / 2
    return f"{_amount(r, r.change)} ± {_amount(r, half).lstrip('+')}"


def runs_line(c):
    a, b = c.runs
    if c.unit == "repetitions":
        return "statistics over repetitions inside one process (a self-check), not across runs"
    line = f"runs: {c.a_label} {a}, {c.b_label} {b} (a run is one result file, ideally one boot)"
    if c.insufficient:
        line += (f"\nnot enough runs for a verdict: a kernel comparison needs at least {compare.MIN_RUNS} runs "
                 f"on each side. Boot each kernel {compare.MIN_RUNS} times or more, alternating A B A B, and run "
                 f"'scripts/fpubench run --label <kernel>' after each boot; the figures below carry no verdict")
    return line


def summary_counts(c):
    counts = {}
    for r in c.rows:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    return counts


def _column_format(values):
    """One format for a whole column: decimals from its largest magnitude, never exponents."""
    biggest = max((abs(v) for v in values if v is not None), default=0.0)
    decimals = 0 if biggest >= 1000 else 1 if biggest >= 10 else 2
    return lambda v: "-" if v is None else f"{v:.{decimals}f}"


def table_rows(c, only=None):
    what = "runs" if c.unit == "runs" else "reps"
    head = ["benchmark", "metric", c.a_label, c.b_label, f"Δ, 95% interval ({what})", "resolves", "p", "q", "verdict"]
    rows = []
    chosen = c.rows if only is None else only
    fmt = _column_format([r.a_median for r in chosen] + [r.b_median for r in chosen])
    for r in chosen:
        resolves = "-" if r.resolves is None else "±" + _amount(r, r.resolves).lstrip("+")
        rows.append([r.name, r.metric, fmt(r.a_median), fmt(r.b_median),
                     f"{change_text(r)} ({r.runs[0]}+{r.runs[1]})", resolves, _p(r.p), _p(r.q), r.verdict])
    return head, rows


def verdict_line(c):
    """'3 of 187 rows changed (2 slower, 1 faster) at a false discovery rate of 5% ...'."""
    if c.unit == "repetitions":
        changed = [r for r in c.rows if r.timing]
        return f"{len(changed)} of {len(c.rows)} rows changed (repetitions inside one process, p < alpha each)"
    tested = [r for r in c.tested if not r.kernel_free]
    slower = sum(r.timing == "slower" for r in c.rows)
    faster = sum(r.timing == "faster" for r in c.rows)
    counts = sum(r.verdict == "counts changed" for r in c.rows)
    machine = sum(r.verdict.startswith(compare.KERNEL_FREE) for r in c.rows)
    if not tested:
        why = "too few runs" if c.insufficient else "timing not compared"
        line = f"no timing verdict ({why})"
    else:
        line = (f"{slower + faster} of {len(tested)} timed kernel rows changed ({slower} slower, {faster} faster) "
                f"at a false discovery rate of {c.fdr:.0%} (Benjamini-Hochberg over the rows; q is each "
                f"row's adjusted p)")
    if machine:
        line += f"; {machine} kernel-free rows changed too: the machine's speed, not the kernel's"
    if counts:
        line += f"; counts per operation changed in {counts} rows"
    exit_status = 1 if slower else 0
    return line + f"; exit status {exit_status}" + (" (a row is slower)" if slower else "")


def shared_notes(c):
    """Notes that more than one row carries, each said once (above the rows) with how many carry it."""
    counts = {}
    for r in c.rows:
        for note in r.notes:
            counts[note] = counts.get(note, 0) + 1
    return [f"{note} ({n} rows)" for note, n in counts.items() if n > 1]


def details(c):
    """A line per row: its percentiles, counts, prediction and notes (shared_notes() aside)."""
    shared = {note for r in c.rows for note in r.notes if sum(note in o.notes for o in c.rows) > 1}
    out = []
    for r in c.rows:
        by_rank = sorted(r.percentiles.items(), key=lambda kv: float("0." + kv[0][5:-3]) if kv[0][5:-3] else 0.0)
        parts = [f"{p[4:-3]} {_num(a)} → {_num(b)}" for p, (a, b) in by_rank]
        parts += [f"{k} {a:.2f} → {b:.2f}" for k, a, b in r.counters if a is not None and b is not None]
        if r.predicted:
            (pa, pb), (ua, ub) = r.predicted, (r.a_median - r.predicted[0], r.b_median - r.predicted[1])
            parts.append(f"predicted copy {pa:+.1f} → {pb:+.1f} ns, unexplained {ua:+.1f} → {ub:+.1f} ns")
        parts += [n for n in r.notes if n not in shared]
        if parts:
            out.append(f"  {r.name}: " + "; ".join(parts))
    return out


_ORDER = {"slower": 0, "faster": 1, "counts changed": 2}


def changed_first(c):
    """The changed rows, slower first, each group by the size of its change."""
    return sorted(c.changed, key=lambda r: (_ORDER.get(r.verdict if r.verdict == "counts changed" else r.timing, 3),
                                            -abs(r.change)))


def family_lines(rows):
    """One line per family of rows: how many, their verdicts, the range of what they resolve."""
    groups = {}
    for r in rows:
        groups.setdefault(r.family or r.name, []).append(r)
    out = []
    for name, members in groups.items():
        verdicts = {}
        for r in members:
            verdicts[r.verdict] = verdicts.get(r.verdict, 0) + 1
        line = f"  {name}: {len(members)} row{'s' if len(members) != 1 else ''}, " + ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))
        resolves = sorted(r.resolves for r in members if r.resolves is not None)
        if resolves:
            lo, hi = (_amount(members[0], v).lstrip("+") for v in (resolves[0], resolves[-1]))
            line += f"; resolves ±{lo}" + (f" to ±{hi}" if hi != lo else "")
        out.append(line)
    return out


def as_text(c, show_details=False):
    lines = [f"fpubench compare: A = {c.a_label}, B = {c.b_label}", runs_line(c), ""]
    if c.environment:
        lines.append("environment differences:")
        w = max(len(k) for k, _, _ in c.environment)
        lines += [f"  {k.ljust(w)}  A: {a}\n  {''.ljust(w)}  B: {b}" for k, a, b in c.environment]
    else:
        lines.append("environment: identical in every recorded field")
    lines += [f"warning: {w}" for w in c.warnings]
    lines += [f"integrity ({label}): {verdict}" for label, verdict in c.integrity] + [""]
    changed = changed_first(c)
    if show_details:
        lines.append(text_table.render(*table_rows(c)))
    elif changed:
        lines += [f"changed ({len(changed)} rows, slower first):", text_table.render(*table_rows(c, changed))]
    else:
        lines.append("changed: no row")
    if not show_details:
        rest = [r for r in c.rows if r not in changed]
        if rest:
            lines += ["", f"the other {len(rest)} rows, by family (every row: --details):"] + family_lines(rest)
    lines.append("")
    lines.append("resolves: the change these runs would detect 4 times in 5 (one row alone); xstate-cost rows "
                 "are paired differences inside each run")
    if c.resolution:
        lines.append(c.resolution)
    more = details(c) if show_details else []
    if more:
        lines += ["", "percentiles (ns) and counts per operation, A → B (medians of runs):"]
        lines += [f"  note: {n}" for n in shared_notes(c)] + more
    for side, names in (("A", c.only_a), ("B", c.only_b)):
        if names:
            lines.append(f"only in {side} ({len(names)}): " + ", ".join(names))
    if c.plan:
        lines += ["", "plan: " + c.plan]
    lines += ["", "verdict: " + verdict_line(c)]
    return "\n".join(lines)


def as_markdown(c):
    head, rows = table_rows(c)
    lines = [f"## {c.a_label} → {c.b_label}", "", runs_line(c), ""]
    if c.environment:
        lines += ["| environment | A | B |", "|---|---|---|"]
        lines += [f"| {k} | {a} | {b} |" for k, a, b in c.environment]
        lines.append("")
    lines += [f"> warning: {w}" for w in c.warnings]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    more = details(c)
    if more:
        lines += ["", "Percentiles (ns) and counts per operation, A → B:", ""]
        lines += [f"Note: {n}." for n in shared_notes(c)] + ([""] if shared_notes(c) else []) + ["-" + d[1:] for d in more]
    return "\n".join(lines)


def as_json(c):
    d = {"a": c.a_label, "b": c.b_label, "runs": list(c.runs), "unit": c.unit, "fdr": c.fdr,
         "verdict": verdict_line(c),
         "insufficient_runs": c.insufficient, "warnings": c.warnings,
         "environment": [{"key": k, "a": a, "b": b} for k, a, b in c.environment],
         "rows": [asdict(r) for r in c.rows], "only_a": c.only_a, "only_b": c.only_b}
    return json.dumps(d, indent=1)


def as_csv(c):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["benchmark", "metric", "kind", "a_summary", "b_summary", "change", "ci_low", "ci_high",
                "p", "q", "runs_a", "runs_b", "run_sd", "resolves", "verdict"])
    for r in c.rows:
        w.writerow([r.name, r.metric, r.kind, r.a_median, r.b_median, r.change, r.ci[0], r.ci[1],
                    r.p, r.q, r.runs[0], r.runs[1], r.run_sd, r.resolves, r.verdict])
    return buf.getvalue()


# "email" is compare_email's, which builds on this module (cli picks it).
FORMATS = {"text": as_text, "markdown": as_markdown, "json": as_json, "csv": as_csv}
