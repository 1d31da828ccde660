"""What a run says about the xstate part of a switch: for each ping-pong mechanism and placement,
the round-trip median with dirty state minus the same with all state in init, per repetition
(repetitions of the two ran interleaved), and the spread of that difference."""
import re

import numpy as np

_NAME = re.compile(r"^(?P<family>pingpong/[^/]+/[^/]+|signal/self)/(?P<state>[^/]+)/")


def per_repetition(result, counter="rtt_p50_ns"):
    """{(family, state): {repetition_index: value}} for the non-aggregate ping-pong/signal runs."""
    out = {}
    for b in result.get("benchmarks", []):
        if b.get("run_type") != "iteration" or counter not in b:
            continue
        m = _NAME.match(b.get("run_name", b.get("name", "")) + "/")
        if m:
            out.setdefault((m["family"], m["state"]), {})[b.get("repetition_index", 0)] = b[counter]
    return out


def xstate_costs(result, dirty="avx512", counter="rtt_p50_ns"):
    """Rows (family, median difference ns, min, max, repetitions) of `dirty` minus `none`."""
    runs = per_repetition(result, counter)
    rows = []
    for (family, state), by_rep in sorted(runs.items()):
        if state != dirty or (family, "none") not in runs:
            continue
        base = runs[(family, "none")]
        reps = sorted(set(by_rep) & set(base))
        if not reps:
            continue
        diffs = np.array([by_rep[r] - base[r] for r in reps])
        rows.append((family, float(np.median(diffs)), float(diffs.min()), float(diffs.max()),
                     len(reps)))
    return rows


def format_xstate_costs(result, dirty="avx512"):
    rows = xstate_costs(result, dirty)
    if not rows:
        return ""
    lines = [f"xstate cost per round trip ({dirty} minus none, median round trip, "
             f"paired by repetition):"]
    for family, median, lo, hi, n in rows:
        lines.append(f"  {family:34} {median:+9.1f} ns   (range {lo:+.1f} .. {hi:+.1f}, "
                     f"{n} repetition{'s' if n != 1 else ''})")
    return "\n".join(lines)
