"""Plots of result sets (PNG and SVG, headless Agg): latency by percentile (HdrHistogram style)
per benchmark family, XSAVE-family cost against bytes moved, and for a comparison the forest plot
of every row's change, per-run dots of the key rows, measured against predicted xstate costs, and
counts per operation. Every figure has a title and units; CAPTIONS says what each one shows. Axes
hold every point: linear over the bulk of the data, and where a few points lie far out, a
symmetric log scale beyond the bulk (so nothing sits pinned at an edge). Figures are laid out with
matplotlib's constrained layout, so no label falls outside its figure; series are named by what
differs between them (state, set), never by a file."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ticker  # noqa: E402
import numpy as np  # noqa: E402

from fpubench_cli import folders  # noqa: E402
from fpubench_cli.presentation import key_rows  # noqa: E402
from fpubench_cli.errors import UserError  # noqa: E402

PERCENTILE_TICKS = [50, 90, 99, 99.9, 99.99]
# Captions by file stem (prefix), for the report and for anyone opening the folder.
CAPTIONS = {
    "forest-relative": "Every compared row's change from A to B, with its 95% interval across runs. The grey band "
                       "is what the comparison resolves (the change it finds 4 times in 5); red slower, green "
                       "faster, grey no significant change (false discovery rate controlled over the rows).",
    "forest-xstate-cost": "The paired xstate-cost rows (each state minus its init sibling, inside each run), "
                          "change in ns with 95% interval; grey band: what the comparison resolves.",
    "runs-key-rows": "Each run of A and B on the key rows, relative to A's median: the run-to-run spread the "
                     "verdicts are judged against.",
    "xstate-costs": "The paired xstate costs per run (dots) and each side's median (bar), ns.",
    "measured-vs-predicted": "Each xstate-cost row: measured (median of runs, whiskers from the lowest to the highest "
                             "run) beside predicted (the run's XSAVE-family costs times the saves and restores per "
                             "operation).",
    "counters": "Counts per operation, A against B (exact: no runs needed).",
    "xsave-cost-vs-bytes": "XSAVE-family instructions: TSC ticks per instruction against the bytes they move, "
                           "one panel per state condition, a line per instruction; filled A, open B.",
    "latency-": "Latency by percentile, per state: each run thin, all runs pooled bold; A solid, B dashed.",
}


def caption(stem):
    return next((text for prefix, text in CAPTIONS.items() if stem.startswith(prefix)), "")


def set_name(rs):
    """What a person calls a result set: its label, or for one result file its label (the folder)
    and its time (the file's stem), never the file's name."""
    p = Path(str(rs.label))
    if p.suffix == ".json":
        return f"{p.parent.name} {p.stem}".strip()
    return p.name or str(rs.label)


def axis_scale(values, margin=0.08):
    """(lo, hi, linthresh) holding every finite value and zero: linthresh None for a linear axis;
    else the bulk (inside Tukey's far-out fences, quartiles -/+ 3 interquartile ranges) stays linear
    within ±linthresh and what lies beyond is on a log scale, so one wild run neither flattens the
    rest nor gets pinned at an edge."""
    v = np.asarray([x for x in values if np.isfinite(x)], float)
    if v.size == 0 or not v.any():  # nothing, or only zeros (a label compared with itself)
        return -1.0, 1.0, None
    q1, q3 = np.percentile(v, [25, 75])
    fence = 3 * (q3 - q1)
    inside = v[(v >= q1 - fence) & (v <= q3 + fence)]
    lo, hi = min(v.min(), 0.0), max(v.max(), 0.0)
    bulk = max(abs(inside.min()), abs(inside.max()))
    if bulk == 0:  # a bulk of zeros: the linear part reaches the smallest value that is not
        bulk = float(np.abs(v[v != 0]).min())
    if inside.size == v.size or max(abs(lo), abs(hi)) <= 2 * bulk:
        pad = (hi - lo) * margin or 1.0
        return lo - pad, hi + pad, None
    grow = 1 + 2 * margin  # a pad on the log part: a fixed share of a decade
    return (lo * grow if lo < -bulk else lo - bulk * margin), (hi * grow if hi > bulk else hi + bulk * margin), bulk


def apply_scale(ax, scale):
    """Sets the x axis of `ax` to axis_scale()'s result; returns a note for its label ("" when linear)."""
    lo, hi, linthresh = scale
    if linthresh is not None:
        ax.set_xscale("symlog", linthresh=linthresh, linscale=2.0)
    ax.set_xlim(lo, hi)
    return "" if linthresh is None else f" (linear within ±{linthresh:.3g}, log beyond)"


def figure(width, height, **kw):
    """A figure whose layout keeps every label inside it."""
    return plt.subplots(figsize=(width, height), layout="constrained", **kw)


LINESTYLES = ["-", "--", ":", "-."]


def _save(fig, out_dir, stem):
    png = out_dir / f"{stem}.png"
    try:
        fig.savefig(png, dpi=110, bbox_inches="tight")
        fig.savefig(out_dir / f"{stem}.svg", bbox_inches="tight")
    except OSError as e:
        raise UserError(folders.why(out_dir, e)) from None
    finally:
        plt.close(fig)
    return png


def percentile_curve(histograms):
    """(percentiles, latency ns) from pooled (bucket_lower_ns, counts) pairs."""
    lower = np.concatenate([np.asarray(l, float) for l, _ in histograms])
    counts = np.concatenate([np.asarray(c, float) for _, c in histograms])
    order = np.argsort(lower)
    lower, counts = lower[order], counts[order]
    cum = np.cumsum(counts) / counts.sum() * 100.0
    return cum, lower


def label_log_values(axis):
    """Labels a log axis with plain values a reader can read off (2,000 5,000 10,000): its decades
    alone leave a span of one decade with a single label, or none. The first of decades, 1-2-5 and
    every integer multiple that puts 3 to 8 labels in view; else evenly spaced values."""
    lo, hi = sorted(axis.get_view_interval())
    locators = [ticker.LogLocator(subs=subs) for subs in ((1.0,), (1.0, 2.0, 5.0), tuple(range(1, 10)))]
    inside = [loc for loc in locators if 3 <= sum(lo <= v <= hi for v in loc.tick_values(lo, hi)) <= 8]
    axis.set_major_locator(inside[0] if inside else ticker.MaxNLocator(nbins=5))
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 10 else f"{v:g}"))
    axis.set_minor_formatter(ticker.NullFormatter())


def latency_plots(sets, out_dir):
    one = len(sets) == 1
    names = [set_name(rs) for rs in sets]
    families = {}
    for i, rs in enumerate(sets):
        for name, hist in rs.histograms.items():
            if name in rs.rows:  # a failed benchmark's histogram has no entry to say what it is
                families.setdefault(rs.rows[name].family, []).append((i, name, hist))
    pngs = []
    for family, entries in sorted(families.items()):
        fig, ax = figure(7, 4.2)
        colors = {}
        for i, name, hist in sorted(entries, key=lambda e: (e[1], e[0])):
            color = colors.setdefault(name, f"C{len(colors) % 10}")
            style = LINESTYLES[i % len(LINESTYLES)]
            runs_of = [h[name] for _, h in sets[i].histograms_by_file if name in h]
            for run_hist in runs_of if len(runs_of) > 1 else []:  # each run thin, so its spread shows
                pct, lat = percentile_curve(run_hist)
                keep = pct < 100.0
                ax.plot(1.0 / (1.0 - pct[keep] / 100.0), lat[keep], style, color=color, lw=0.5, alpha=0.35)
            pct, lat = percentile_curve(hist)
            keep = pct < 100.0
            x = 1.0 / (1.0 - pct[keep] / 100.0)
            state = name[len(family) + 1:] or name
            ax.plot(x, lat[keep], style, color=color, lw=1.8, label=state if one else f"{state}, {names[i]}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks([1.0 / (1.0 - p / 100.0) for p in PERCENTILE_TICKS])
        ax.set_xticklabels([f"{p:g}%" for p in PERCENTILE_TICKS])
        label_log_values(ax.yaxis)
        ax.set_xlabel("percentile")
        ax.set_ylabel("round trip (ns)")
        ax.set_title(f"{family}: round-trip latency by percentile" + (f"\n{names[0]}" if one else ""))
        ax.legend(fontsize=7, ncol=2, loc="upper left")
        ax.grid(True, which="both", alpha=0.3)
        pngs.append(_save(fig, out_dir, "latency-" + family.replace("/", "-")))
    return pngs


def xsave_plot(sets, out_dir):
    conditions = ["init", "modified", "unmodified"]
    points = {}  # (condition, label index, insn) -> [(bytes, ticks)]
    for i, rs in enumerate(sets):
        for name, entries in sorted(rs.runs.items()):
            row = rs.rows[name]
            if row.suite != "xsave" or "ticks_per_insn" not in entries[0]:
                continue
            ticks = float(np.median([e["ticks_per_insn"] for e in entries]))
            points.setdefault((row.condition, i, row.mechanism), []).append(
                (entries[0].get("bytes_per_insn", 0), ticks))
    if not points:
        return []
    insns = sorted({k[2] for k in points})
    names = [set_name(rs) for rs in sets]
    fig, axes = figure(11, 4.6, ncols=len(conditions), sharey=True)
    for ax, condition in zip(axes, conditions):
        for (state, i, insn), xy in sorted(points.items()):
            if state != condition:
                continue
            xy = sorted(xy)
            color = f"C{insns.index(insn) % 10}"
            ax.plot([x for x, _ in xy], [y for _, y in xy], LINESTYLES[i % len(LINESTYLES)], marker="o", ms=4,
                    color=color, markerfacecolor=color if i == 0 else "none",
                    label=(insn if len(sets) == 1 else f"{insn}, {names[i]}") if condition == conditions[0] else None)
        ax.set_xscale("log")
        ax.set_title(condition)
        ax.set_xlabel("bytes moved per instruction")
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("TSC ticks per instruction")
    fig.suptitle("XSAVE family: cost against bytes moved, per state condition" +
                 (f" ({names[0]})" if len(sets) == 1 else ""))
    axes[0].legend(fontsize=6, loc="best", ncol=1 if len(sets) == 1 else 2)  # inside: no width taken
    return [_save(fig, out_dir, "xsave-cost-vs-bytes")]


def _verdict_color(r):
    return "C3" if r.timing == "slower" else "C2" if r.timing == "faster" else "C7"


def _forest(ax, rows, scale, unit, a_label, b_label):
    """Δ with its 95% interval per row, the resolution band shaded, verdict coloured; the axis
    holds every point, interval and band (axis_scale)."""
    y = np.arange(len(rows))
    change = np.array([r.change * scale for r in rows])
    lo = np.array([r.ci[0] * scale if r.run_sd is not None else r.change * scale for r in rows])
    hi = np.array([r.ci[1] * scale if r.run_sd is not None else r.change * scale for r in rows])
    bands = np.array([abs(r.resolves * scale) for r in rows if r.resolves is not None])
    axis = axis_scale(np.concatenate([change, lo, hi, bands, -bands]))
    for i, r in enumerate(rows):
        if r.resolves is not None:
            band = abs(r.resolves * scale)
            ax.fill_betweenx([i - 0.4, i + 0.4], -band, band, color="0.9", lw=0)
        color = _verdict_color(r)
        ax.plot([lo[i], hi[i]], [i, i], color=color, lw=1.2)
        ax.plot([change[i]], [i], "o", color=color, ms=4)
    ax.axvline(0, color="black", lw=0.6)
    note = apply_scale(ax, axis)
    ax.set_yticks(y)
    ax.set_yticklabels([r.name + ("  *" if r.timing else "") for r in rows], fontsize=6)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(f"change {a_label} → {b_label}, {unit}{note}, 95% interval across runs")


def forest_plots(comparison, out_dir, names):
    """forest-relative (absolute rows, %) and forest-xstate-cost (paired rows, ns)."""
    a_label, b_label = names
    pngs = []
    for stem, kind, scale, unit in (("forest-relative", "ratio", 100.0, "%"),
                                    ("forest-xstate-cost", "difference", 1.0, "ns")):
        rows = [r for r in comparison.rows if r.kind == kind and r.verdict != "not comparable"]
        if not rows:
            continue
        fig, ax = figure(8, 0.16 * len(rows) + 1.6)
        _forest(ax, rows, scale, unit, a_label, b_label)
        ax.set_title(("Every absolute row" if kind == "ratio" else "Every xstate-cost row") +
                     f": {a_label} → {b_label}\n(* changed; red slower, green faster; grey band: resolves)")
        pngs.append(_save(fig, out_dir, stem))
    return pngs


def runs_plot(comparison, out_dir, names):
    """One dot per run of A and B on the key rows, relative to A's median."""
    rows = [r for r in key_rows.key_rows(comparison.rows) if r.kind == "ratio" and r.a_values]
    if not rows:
        return []
    fig, ax = figure(8, 0.45 * len(rows) + 1.4)
    rel = [(np.asarray(r.a_values) / np.median(r.a_values) - 1) * 100 for r in rows] + \
          [(np.asarray(r.b_values) / np.median(r.a_values) - 1) * 100 for r in rows]
    axis = axis_scale(np.concatenate(rel))
    for i, r in enumerate(rows):
        for values, dy, color, label in ((rel[i], -0.12, "C0", names[0]), (rel[len(rows) + i], 0.12, "C1", names[1])):
            ax.plot(values, np.full(len(values), i + dy), "o", ms=3.5, color=color, label=label if i == 0 else None)
    note = apply_scale(ax, axis)
    ax.set_yticks(np.arange(len(rows)))
    ax.set_yticklabels([r.name for r in rows], fontsize=7)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(f"each run against {names[0]}'s median, %{note}")
    ax.set_title("Key rows, run by run")
    ax.legend(fontsize=7)
    return [_save(fig, out_dir, "runs-key-rows")]


def cost_plot(comparison, out_dir, names):
    """The paired xstate-cost rows in ns: one dot per run of each side, and each side's median."""
    rows = [r for r in comparison.rows if r.kind == "difference" and r.a_values]
    if not rows:
        return []
    fig, ax = figure(7.5, 0.3 * len(rows) + 1.4)
    axis = axis_scale(np.concatenate([np.asarray(r.a_values + r.b_values, float) for r in rows]))
    for i, r in enumerate(rows):
        for values, dy, color, label in ((r.a_values, -0.15, "C0", names[0]), (r.b_values, 0.15, "C1", names[1])):
            ax.plot(values, np.full(len(values), i + dy), "o", ms=3, color=color, label=label if i == 0 else None)
            ax.plot([float(np.median(values))], [i + dy], "|", ms=10, color=color)
    note = apply_scale(ax, axis)
    ax.set_title("xstate cost per operation, run by run")
    ax.set_yticks(np.arange(len(rows)))
    ax.set_yticklabels([r.of + f"  [{r.verdict}]" for r in rows], fontsize=6)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel(f"xstate cost per operation, ns{note}\nstate minus init, paired in time in each run\n"
                  "dots: runs, bars: medians")
    ax.legend(fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    return [_save(fig, out_dir, "xstate-costs")]


def counters_plot(comparison, out_dir, names):
    items = [(f"{r.name}\n{k}", a, b) for r in comparison.rows for k, a, b in r.counters
             if a is not None and b is not None and (a or b)]
    if not items:
        return []
    fig, ax = figure(7, 0.3 * len(items) + 1.2)
    y = np.arange(len(items))
    ax.barh(y - 0.2, [a for _, a, _ in items], height=0.4, label=names[0])
    ax.barh(y + 0.2, [b for _, _, b in items], height=0.4, label=names[1])
    ax.set_yticks(y)
    ax.set_yticklabels([n for n, _, _ in items], fontsize=6)
    ax.set_xlabel("count per operation")
    ax.set_title("Counts per operation")
    ax.legend(fontsize=7)
    ax.invert_yaxis()
    return [_save(fig, out_dir, "counters")]


def explained_plot(comparison, out_dir, names):
    """Per xstate-cost row and side: measured (median of runs, whiskers lowest to highest run) beside
    predicted (a diamond)."""
    rows = [r for r in comparison.rows if r.predicted and r.a_values and r.b_values]
    if not rows:
        return []
    fig, ax = figure(8, 0.5 * len(rows) + 1.4)
    labels, everything = [], []
    for r in rows:
        everything += r.a_values + r.b_values + list(r.predicted)
    axis = axis_scale(everything)
    for i, r in enumerate(rows):
        for j, (side, values, predicted, color) in enumerate(((names[0], r.a_values, r.predicted[0], "C0"),
                                                               (names[1], r.b_values, r.predicted[1], "C1"))):
            y = 2 * i + j
            labels.append(f"{r.of} ({side})")
            ax.plot([min(values), max(values)], [y, y], color=color, lw=1.2)
            ax.plot([float(np.median(values))], [y], "o", color=color, ms=4, label="measured (runs)" if y == 0 else None)
            ax.plot([predicted], [y], "D", color="black", ms=4, mfc="none", label="predicted" if y == 0 else None)
    note = apply_scale(ax, axis)
    ax.set_yticks(np.arange(len(labels)))
    ax.set_yticklabels(labels, fontsize=6)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlabel(f"xstate cost per operation, ns{note}")
    ax.set_title("xstate costs: measured against predicted")
    ax.legend(fontsize=7)
    return [_save(fig, out_dir, "measured-vs-predicted")]


def plot_all(sets, out_dir, comparison=None, progress=None):
    """Every figure for `sets` (and the comparison of two) into out_dir; `progress(text)` hears of
    each group before it is drawn (default: a line on stderr, as drawing takes seconds)."""
    import sys
    say = progress or (lambda text: print(f"fpubench: {text}", file=sys.stderr, flush=True))
    out_dir = folders.make_folder(out_dir)
    groups = [("latency percentiles", lambda: latency_plots(sets, out_dir)),
              ("XSAVE family", lambda: xsave_plot(sets, out_dir))]
    if comparison is not None:
        names = [set_name(rs) for rs in sets]
        if names[0] == names[1]:  # two sets a person calls alike: tell them apart by side
            names = [f"A: {names[0]}", f"B: {names[1]}"]
        groups = [("forest plots", lambda: forest_plots(comparison, out_dir, names)),
                  ("key rows run by run", lambda: runs_plot(comparison, out_dir, names)),
                  ("xstate costs", lambda: cost_plot(comparison, out_dir, names)),
                  ("measured vs predicted", lambda: explained_plot(comparison, out_dir, names))] + groups + \
                 [("counts per operation", lambda: counters_plot(comparison, out_dir, names))]
    pngs = []
    for i, (what, draw) in enumerate(groups, 1):
        say(f"drawing {what} ({i}/{len(groups)})")
        pngs += draw()
    return pngs
