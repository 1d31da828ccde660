"""Plots of result sets (PNG and SVG, headless Agg): latency by percentile (HdrHistogram style)
per benchmark family, XSAVE-family cost against bytes moved, relative changes with confidence
intervals, and counts per operation A vs B."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import folders  # noqa: E402
from .errors import UserError  # noqa: E402

PERCENTILE_TICKS = [50, 90, 99, 99.9, 99.99]
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


def family_of(name):
    parts = name.split("/")
    return "/".join(parts[:3]) if parts[0] in ("pingpong", "kvm") and len(parts) > 3 else "/".join(parts[:2])


def latency_plots(sets, out_dir):
    families = {}
    for i, rs in enumerate(sets):
        for name, hist in rs.histograms.items():
            families.setdefault(family_of(name), []).append((i, name, hist))
    pngs = []
    for family, entries in sorted(families.items()):
        fig, ax = plt.subplots(figsize=(7, 4.2))
        colors = {}
        for i, name, hist in sorted(entries, key=lambda e: (e[1], e[0])):
            pct, lat = percentile_curve(hist)
            keep = pct < 100.0
            x = 1.0 / (1.0 - pct[keep] / 100.0)
            color = colors.setdefault(name, f"C{len(colors) % 10}")
            ax.plot(x, lat[keep], LINESTYLES[i % len(LINESTYLES)], color=color,
                    label=f"{name[len(family) + 1:] or name} ({sets[i].label})")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks([1.0 / (1.0 - p / 100.0) for p in PERCENTILE_TICKS])
        ax.set_xticklabels([f"{p:g}%" for p in PERCENTILE_TICKS])
        ax.set_xlabel("percentile")
        ax.set_ylabel("round trip (ns)")
        ax.set_title(f"{family}: latency by percentile")
        ax.legend(fontsize=7, ncol=2)
        ax.grid(True, which="both", alpha=0.3)
        pngs.append(_save(fig, out_dir, "latency-" + family.replace("/", "-")))
    return pngs


def xsave_plot(sets, out_dir):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    markers = {"init": "o", "modified": "s", "unmodified": "^"}
    found = False
    labeled = set()
    for i, rs in enumerate(sets):
        for name, entries in sorted(rs.runs.items()):
            if not name.startswith("xsave/") or "ticks_per_insn" not in entries[0]:
                continue
            _, insn, _, state = name.split("/")
            ticks = np.median([e["ticks_per_insn"] for e in entries])
            insns = sorted({n.split("/")[1] for n in rs.runs if n.startswith("xsave/")})
            color = f"C{insns.index(insn) % 10}"
            label = f"{insn} ({rs.label})"
            ax.scatter(entries[0]["bytes_per_insn"], ticks, marker=markers.get(state, "x"),
                       facecolors=color if i == 0 else "none", edgecolors=color,
                       label=None if label in labeled else label)
            labeled.add(label)
            found = True
    if not found:
        plt.close(fig)
        return []
    ax.set_xscale("log")
    ax.set_xlabel("bytes moved per instruction (from XSTATE_BV and the format)")
    ax.set_ylabel("TSC ticks per instruction")
    ax.set_title("XSAVE family: cost against bytes (o init, s modified, ^ unmodified)")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(True, alpha=0.3)
    return [_save(fig, out_dir, "xsave-cost-vs-bytes")]


def _verdict_color(r):
    return "C3" if r.timing == "slower" else "C2" if r.timing == "faster" else "C7"


def change_plot(comparison, out_dir):
    """Relative changes with their 95% intervals, and one dot per run (A's and B's runs, each
    relative to A's median) so the run-to-run spread is in view."""
    rows = [r for r in comparison.rows if r.kind == "ratio" and r.verdict != "not comparable" and r.a_values]
    if not rows:
        return []
    fig, ax = plt.subplots(figsize=(7.5, 0.24 * len(rows) + 1.4))
    y = np.arange(len(rows))
    change = np.array([r.change for r in rows]) * 100
    # Rows with fewer than two runs a side have no interval: no whisker.
    has_ci = np.array([r.run_sd is not None for r in rows])
    lo = np.where(has_ci, change - np.array([r.ci[0] for r in rows]) * 100, 0)
    hi = np.where(has_ci, np.array([r.ci[1] for r in rows]) * 100 - change, 0)
    ax.barh(y, change, xerr=[lo, hi], color=[_verdict_color(r) for r in rows], alpha=0.5,
            error_kw={"elinewidth": 0.8})
    for i, r in enumerate(rows):
        base = np.median(r.a_values)
        ax.plot((np.asarray(r.a_values) / base - 1) * 100, np.full(len(r.a_values), i - 0.15), "o",
                ms=2.5, color="C0", label=comparison.a_label if i == 0 else None)
        ax.plot((np.asarray(r.b_values) / base - 1) * 100, np.full(len(r.b_values), i + 0.15), "o",
                ms=2.5, color="C1", label=comparison.b_label if i == 0 else None)
    ax.set_yticks(y)
    ax.set_yticklabels([r.name for r in rows], fontsize=6)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel(f"change, % ({comparison.a_label} → {comparison.b_label}), 95% interval across runs\n"
                  f"dots: each run against {comparison.a_label}'s median")
    ax.legend(fontsize=7)
    ax.invert_yaxis()
    return [_save(fig, out_dir, "changes")]


def cost_plot(comparison, out_dir):
    """The paired xstate-cost rows in ns: one dot per run of each side, and each side's median."""
    rows = [r for r in comparison.rows if r.kind == "difference" and r.a_values]
    if not rows:
        return []
    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(rows) + 1.4))
    for i, r in enumerate(rows):
        for side, values, dy, color, label in ((0, r.a_values, -0.15, "C0", comparison.a_label),
                                               (1, r.b_values, 0.15, "C1", comparison.b_label)):
            ax.plot(values, np.full(len(values), i + dy), "o", ms=3, color=color,
                    label=label if i == 0 else None)
            ax.plot([np.median(values)], [i + dy], "|", ms=10, color=color)
    ax.set_yticks(np.arange(len(rows)))
    ax.set_yticklabels([r.name[len("xstate-cost/"):] + f"  [{r.verdict}]" for r in rows], fontsize=6)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel("xstate cost per operation, ns (state minus init, paired inside each run)\n"
                  "dots: runs, bars: medians")
    ax.legend(fontsize=7)
    ax.invert_yaxis()
    return [_save(fig, out_dir, "xstate-costs")]


def counters_plot(comparison, out_dir):
    items = [(f"{r.name}\n{k}", a, b) for r in comparison.rows for k, a, b in r.counters
             if a is not None and b is not None and (a or b)]
    if not items:
        return []
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(items) + 1.2))
    y = np.arange(len(items))
    ax.barh(y - 0.2, [a for _, a, _ in items], height=0.4, label=comparison.a_label)
    ax.barh(y + 0.2, [b for _, _, b in items], height=0.4, label=comparison.b_label)
    ax.set_yticks(y)
    ax.set_yticklabels([n for n, _, _ in items], fontsize=6)
    ax.set_xlabel("count per operation")
    ax.legend(fontsize=7)
    ax.invert_yaxis()
    return [_save(fig, out_dir, "counters")]


def explained_plot(comparison, out_dir):
    """Per xstate-cost row, A and B: the part of the measured cost the state copy explains, and the
    rest, stacked."""
    rows = [r for r in comparison.rows if r.predicted]
    if not rows:
        return []
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(rows) + 1.4))
    labels, explained, unexplained = [], [], []
    for r in rows:
        for side, measured, predicted in ((comparison.a_label, r.a_median, r.predicted[0]),
                                          (comparison.b_label, r.b_median, r.predicted[1])):
            labels.append(f"{r.name[len('xstate-cost/'):]} ({side})")
            explained.append(predicted)
            unexplained.append(measured - predicted)
    y = np.arange(len(labels))
    ax.barh(y, explained, color="C0", label="explained by the state copy (predicted)")
    ax.barh(y, unexplained, left=explained, color="C3", alpha=0.6, label="unexplained")
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=6)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel("xstate cost per operation, ns")
    ax.legend(fontsize=7)
    ax.invert_yaxis()
    return [_save(fig, out_dir, "xstate-explained")]


def plot_all(sets, out_dir, comparison=None, progress=None):
    """Every figure for `sets` (and the comparison of two) into out_dir; `progress(text)` hears of
    each group before it is drawn (default: a line on stderr, as drawing takes seconds)."""
    import sys
    say = progress or (lambda text: print(f"fpubench: {text}", file=sys.stderr, flush=True))
    out_dir = folders.make_folder(out_dir)
    groups = [("latency percentiles", lambda: latency_plots(sets, out_dir)),
              ("XSAVE family", lambda: xsave_plot(sets, out_dir))]
    if comparison is not None:
        groups = [("xstate costs", lambda: cost_plot(comparison, out_dir)),
                  ("measured vs predicted", lambda: explained_plot(comparison, out_dir)),
                  ("changes", lambda: change_plot(comparison, out_dir))] + groups + \
                 [("counts per operation", lambda: counters_plot(comparison, out_dir))]
    pngs = []
    for i, (what, draw) in enumerate(groups, 1):
        say(f"drawing {what} ({i}/{len(groups)})")
        pngs += draw()
    return pngs
