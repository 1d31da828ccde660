"""`compare --format email`: a plain-text table of at most 72 columns in the shape LKP's reports
use (base value, %stddev, %change, new value, %stddev, row), changed rows first, with the
environment difference and the command that produced it: ready to paste under a patch."""
import math
import shlex
import sys

import numpy as np

from fpubench_cli.presentation import compare_format, key_rows

WIDTH = 72


def _value(v, unit):
    if v is None or not math.isfinite(v):
        return "-"
    if unit == "ticks" or abs(v) < 100:
        return f"{v:.1f}"
    return f"{v:.0f}"


def _spread(values, kind):
    """LKP's %stddev: the runs' relative SD; for difference rows (ns near zero) the SD in ns."""
    v = np.asarray(values, float)
    if v.size < 2:
        return ""
    sd = float(np.std(v, ddof=1))
    if kind != "ratio":
        return f"±{sd:.0f}ns"
    mean = float(np.mean(v))
    return f"±{sd / mean:.0%}" if mean else ""


def _change(r):
    if r.kind == "ratio":
        return f"{r.change:+.1%}"
    return f"{r.change:+.0f}ns"


def _line(r):
    numbers = (f"{_value(r.a_median, r.unit):>10} {_spread(r.a_values, r.kind):>7} {_change(r):>9} "
               f"{_value(r.b_median, r.unit):>10} {_spread(r.b_values, r.kind):>7}")
    mark = {"slower": "  (slower)", "faster": "  (faster)"}.get(r.timing, "")
    if r.verdict == "counts changed":
        mark = "  (counts)"
    tail = f"  {r.name}{mark}"
    if len(numbers) + len(tail) <= WIDTH:
        return [numbers + tail]
    return [numbers, f"{'':>4}{r.name}{mark}"[:WIDTH]]


def _wrap(text, indent="  "):
    room = WIDTH - len(indent) - 2
    words = [w[i:i + room] for w in text.split() for i in range(0, len(w), room)]  # paths longer than a line
    lines, line = [], indent
    for w in words:
        if len(line) + len(w) + 1 > WIDTH and line.strip():
            lines.append(line.rstrip())
            line = indent + "  "
        line += w + " "
    if line.strip():
        lines.append(line.rstrip())
    return lines


def as_email(c, argv=None):
    argv = sys.argv if argv is None else argv
    out = _wrap(f"fpubench: {c.a_label} (base) vs {c.b_label} (new), {c.runs[0]}+{c.runs[1]} runs", "")
    out += _wrap("command: " + " ".join(shlex.quote(a) for a in ["scripts/fpubench", *argv[1:]]), "")
    if c.environment:
        out.append("environment differences (base -> new):")
        for k, a, b in c.environment:
            out += _wrap(f"{k}: {a} -> {b}")
    for w in c.warnings:
        out += _wrap("warning: " + w, "")
    out += ["", f"{'base':>10} {'%stddev':>7} {'%change':>9} {'new':>10} {'%stddev':>7}",
            f"{'':>10} {'|':>7} {'':>9} {'':>10} {'|':>7}"]
    changed = compare_format.changed_first(c)
    for r in changed:
        out += _line(r)
    others = [r for r in key_rows.key_rows(c.rows) if r not in changed]
    if others:  # what a reader of a patch mail wants even when nothing changed there
        out += ["", "unchanged, for reference:"]
        for r in others:
            out += _line(r)
    out += [""] + _wrap(compare_format.verdict_line(c), "")
    return "\n".join(out)
