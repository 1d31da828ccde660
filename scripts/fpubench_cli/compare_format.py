"""A comparison as an aligned text table, Markdown, JSON or CSV."""
import csv
import io
import json
from dataclasses import asdict


def _num(v, unit=""):
    if v is None:
        return "-"
    if abs(v) >= 1e5:
        return f"{v:.4g}{unit}"
    return f"{v:.1f}{unit}" if abs(v) >= 10 else f"{v:.3g}{unit}"


def _p(p):
    return "-" if p is None else (f"{p:.2g}" if p >= 1e-4 else "<1e-4")


def table_rows(c):
    head = ["benchmark", "metric", c.a_label, c.b_label, "change [95% CI]", "p(reps)", "p(samples)", "verdict"]
    rows = []
    for r in c.rows:
        change = f"{r.change:+.1%} [{r.ci[0]:+.1%}, {r.ci[1]:+.1%}]" if r.verdict != "not comparable" else "-"
        rows.append([r.name, r.metric, _num(r.a_median), _num(r.b_median), change,
                     _p(r.p_repetitions), _p(r.p_samples), r.verdict])
    return head, rows


def _aligned(head, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    line = lambda cells: "  ".join(str(x).ljust(w) for x, w in zip(cells, widths)).rstrip()
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])


def _details(c):
    out = []
    for r in c.rows:
        parts = [f"{p[4:-3]} {_num(a)} → {_num(b)}" for p, (a, b) in r.percentiles.items()]
        parts += [f"{k} {a:.2f} → {b:.2f}" for k, a, b in r.counters if a is not None and b is not None]
        parts += r.notes
        if parts:
            out.append(f"  {r.name}: " + "; ".join(parts))
    return out


def as_text(c):
    lines = [f"fpubench compare: A = {c.a_label}, B = {c.b_label}", ""]
    if c.environment:
        lines.append("environment differences:")
        w = max(len(k) for k, _, _ in c.environment)
        lines += [f"  {k.ljust(w)}  A: {a}\n  {''.ljust(w)}  B: {b}" for k, a, b in c.environment]
    else:
        lines.append("environment: identical in every recorded field")
    lines += [f"warning: {w}" for w in c.warnings]
    lines += [f"integrity ({label}): {verdict}" for label, verdict in c.integrity] + [""]
    lines.append(_aligned(*table_rows(c)))
    details = _details(c)
    if details:
        lines += ["", "percentiles (ns) and counts per operation, A → B:"] + details
    for side, names in (("A", c.only_a), ("B", c.only_b)):
        if names:
            lines.append(f"only in {side} ({len(names)}): " + ", ".join(names))
    return "\n".join(lines)


def as_markdown(c):
    head, rows = table_rows(c)
    lines = [f"## {c.a_label} → {c.b_label}", ""]
    if c.environment:
        lines += ["| environment | A | B |", "|---|---|---|"]
        lines += [f"| {k} | {a} | {b} |" for k, a, b in c.environment]
        lines.append("")
    lines += [f"> warning: {w}" for w in c.warnings]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    details = _details(c)
    if details:
        lines += ["", "Percentiles (ns) and counts per operation, A → B:", ""] + ["-" + d[1:] for d in details]
    return "\n".join(lines)


def as_json(c):
    d = {"a": c.a_label, "b": c.b_label, "warnings": c.warnings,
         "environment": [{"key": k, "a": a, "b": b} for k, a, b in c.environment],
         "rows": [asdict(r) for r in c.rows], "only_a": c.only_a, "only_b": c.only_b}
    return json.dumps(d, indent=1)


def as_csv(c):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["benchmark", "metric", "a_median", "b_median", "change", "ci_low", "ci_high",
                "p_repetitions", "p_samples", "verdict"])
    for r in c.rows:
        w.writerow([r.name, r.metric, r.a_median, r.b_median, r.change, r.ci[0], r.ci[1],
                    r.p_repetitions, r.p_samples, r.verdict])
    return buf.getvalue()


FORMATS = {"text": as_text, "markdown": as_markdown, "json": as_json, "csv": as_csv}
