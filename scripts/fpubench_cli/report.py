"""`fpubench report A B`: one self-contained HTML file (images embedded) with the environment
diff, the comparison table and the plots, readable offline."""
import base64
import html

from . import compare_format


def _table(head, rows):
    cells = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def summary(c):
    """The opening paragraph: what was compared, how much evidence, what came out, the noise."""
    counts = compare_format.summary_counts(c)
    ratio_sd = [r.run_sd for r in c.rows if r.kind == "ratio" and r.run_sd is not None]
    cost_sd = [r.run_sd for r in c.rows if r.kind == "difference" and r.run_sd is not None]
    items = [f"Compared: {c.a_label} (A) and {c.b_label} (B).",
             compare_format.runs_line(c).replace("\n", " "),
             "Verdicts: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) + "."]
    if ratio_sd:
        items.append(f"Run-to-run noise of one run: median ±{sorted(ratio_sd)[len(ratio_sd) // 2]:.1%} over the "
                     f"timing rows" + (f", ±{sorted(cost_sd)[len(cost_sd) // 2]:.1f} ns over the xstate-cost rows"
                                       if cost_sd else "") + ".")
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def render(comparison, pngs):
    c = comparison
    parts = [f"<h1>fpubench: {html.escape(c.a_label)} → {html.escape(c.b_label)}</h1>",
             "<h2>Summary</h2>", summary(c)]
    parts.append("<h2>Environment</h2>")
    if c.environment:
        parts.append(_table(["field", c.a_label, c.b_label], c.environment))
    else:
        parts.append("<p>Identical in every recorded field.</p>")
    parts += [f'<p class="warning">{html.escape(w)}</p>' for w in c.warnings]
    parts.append("<h2>Comparison</h2>")
    parts.append(_table(*compare_format.table_rows(c)))
    details = compare_format.details(c)
    if details:
        parts.append("<h3>Percentiles and counts per operation</h3><ul>" +
                     "".join(f"<li>{html.escape(d.strip())}</li>" for d in details) + "</ul>")
    for side, names in (("A", c.only_a), ("B", c.only_b)):
        if names:
            parts.append(f"<p>Only in {side}: {html.escape(', '.join(names))}</p>")
    parts.append("<h2>Plots</h2>")
    for png in pngs:
        data = base64.b64encode(png.read_bytes()).decode()
        parts.append(f'<figure><img alt="{html.escape(png.stem)}" src="data:image/png;base64,{data}">'
                     f"<figcaption>{html.escape(png.stem)}</figcaption></figure>")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;"
             "text-align:left}.warning{color:#a40}img{max-width:100%}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>fpubench {html.escape(c.a_label)} vs "
            f"{html.escape(c.b_label)}</title><style>{style}</style></head><body>{''.join(parts)}</body></html>")
