"""`fpubench report A B`: one self-contained HTML file (images embedded), readable offline: the
summary (what changed, what to do next), the forest plot, every environment field that differs,
the rows with the changed ones marked and first, and every plot with its caption."""
import base64
import html

from fpubench_cli.presentation import compare_format, plots


def _table(head, rows, marked=()):
    cells = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    body = "".join(f"<tr{' class=changed' if i in marked else ''}>" +
                   "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for i, r in enumerate(rows))
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _figure(png, sources=""):
    data = base64.b64encode(png.read_bytes()).decode()
    return (f'<figure><img alt="{html.escape(png.stem)}" src="data:image/png;base64,{data}">'
            f"<figcaption><b>{html.escape(png.stem)}</b>: {html.escape(plots.caption(png.stem))}"
            f"{' ' + html.escape(sources) if sources else ''}</figcaption></figure>")


def sources(c, most=6):
    """'A = label: run1.json, ...; B = ...': the files behind the legends' short labels."""
    def side(letter, label, files):
        names = [f.name for f in files]
        listed = ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")
        return f"{letter} = {label}: {listed}"
    return "Files: " + "; ".join(side(x, label, files) for x, label, files in
                                 (("A", c.a_label, c.a_files), ("B", c.b_label, c.b_files))) + "."


def summary(c):
    """The opening paragraph: what was compared, how much evidence, what came out, the noise."""
    counts = compare_format.summary_counts(c)
    ratio_sd = [r.run_sd for r in c.rows if r.kind == "ratio" and r.run_sd is not None]
    cost_sd = [r.run_sd for r in c.rows if r.kind == "difference" and r.run_sd is not None]
    changed = compare_format.changed_first(c)
    items = [f"Compared: {c.a_label} (A) and {c.b_label} (B).",
             compare_format.runs_line(c).replace("\n", " "),
             "Verdict: " + compare_format.verdict_line(c) + ".",
             ("Changed: " + "; ".join(f"{r.name} {r.verdict} ({compare_format.change_text(r)})" for r in changed[:12])
              + (f"; and {len(changed) - 12} more" if len(changed) > 12 else "") + ".") if changed
             else "Changed: no row.",
             "All verdicts: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) + "."]
    if ratio_sd:
        items.append(f"Run-to-run noise of one run: median ±{sorted(ratio_sd)[len(ratio_sd) // 2]:.1%} over the "
                     f"timing rows" + (f", ±{sorted(cost_sd)[len(cost_sd) // 2]:.1f} ns over the xstate-cost rows"
                                       if cost_sd else "") + ".")
    items.append("Next: " + next_step(c))
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def next_step(c):
    if c.insufficient:
        return ("make at least 3 runs of each kernel, alternating boots (A B A B ...), then report again")
    if c.changed:
        return ("confirm the changed rows with more runs of each kernel, alternating boots; "
                "`scripts/fpubench compare A B --format email` gives the table to paste under the patch")
    return ("no row changed at this resolution; for smaller effects make more runs (the plan in "
            "`scripts/fpubench compare A B` says how many)")


def render(comparison, pngs):
    c = comparison
    parts = [f"<h1>fpubench: {html.escape(c.a_label)} → {html.escape(c.b_label)}</h1>",
             "<h2>Summary</h2>", summary(c)]
    forest = [p for p in pngs if p.stem.startswith("forest")]
    files = sources(c)
    parts += [_figure(p, files) for p in forest]
    parts += [f'<p class="warning">{html.escape(w)}</p>' for w in c.warnings]
    parts.append("<h2>Environment</h2>")
    if c.all_differences:
        parts.append(_table(["field that differs", c.a_label, c.b_label], c.all_differences))
    else:
        parts.append("<p>Identical in every recorded field.</p>")
    parts.append("<h2>Comparison</h2>")
    changed = compare_format.changed_first(c)
    ordered = changed + [r for r in c.rows if r not in changed]
    head, rows = compare_format.table_rows(c, ordered)
    parts.append("<p>Changed rows first, marked.</p>" if changed else "<p>No row changed.</p>")
    parts.append(_table(head, rows, marked=set(range(len(changed)))))
    details = compare_format.details(c)
    if details:
        parts.append("<h3>Percentiles and counts per operation</h3>" +
                     "".join(f"<p>Note: {html.escape(n)}.</p>" for n in compare_format.shared_notes(c)) + "<ul>" +
                     "".join(f"<li>{html.escape(d.strip())}</li>" for d in details) + "</ul>")
    for side, names in (("A", c.only_a), ("B", c.only_b)):
        if names:
            parts.append(f"<p>Only in {side}: {html.escape(', '.join(names))}</p>")
    parts.append("<h2>Plots</h2>")
    parts += [_figure(p, files) for p in pngs if p not in forest]
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;"
             "text-align:left}.warning{color:#a40}img{max-width:100%}tr.changed td{background:#fde2dc;font-weight:bold}"
             "figcaption{font-size:13px;color:#444;margin-bottom:1.5em}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>fpubench {html.escape(c.a_label)} vs "
            f"{html.escape(c.b_label)}</title><style>{style}</style></head><body>{''.join(parts)}</body></html>")
