"""What the terminal shows after a run: compact tables instead of Google Benchmark's wide rows.
The XSAVE family as a grid (instruction x component set, ticks per instruction in each state
condition), and every round-trip family (ping-pong per mechanism and placement, signal, KVM) as
state x (p50, p99, xstate cost, predicted, unexplained). Medians over the run's repetitions."""
import re
import statistics

from . import text_table
from .results import bare_name

CONDITIONS = ["init", "modified", "unmodified"]
_XSAVE = re.compile(r"^xsave/(?P<insn>[^/]+)/(?P<set>[^/]+)/(?P<condition>[^/]+)$")
# family, state: the last path element that varies the FPU state.
_ROUND_TRIP = [re.compile(r"^(?P<family>pingpong/[^/]+/[^/]+|signal/self)/(?P<state>[^/]+)$"),
               re.compile(r"^(?P<family>kvm/[^/]+)/(?P<state>guest-[^/]+/host-[^/]+)$"),
               re.compile(r"^(?P<family>kvm/[^/]+/[^/]+)/(?P<state>guest-[^/]+)$"),
               re.compile(r"^(?P<family>kvm/ipi-pingpong)/(?P<state>[^/]+)$")]


def _medians(result, counter):
    values = {}
    for b in result.get("benchmarks", []):
        if b.get("run_type") == "iteration" and counter in b:
            values.setdefault(bare_name(b.get("run_name", b["name"])), []).append(float(b[counter]))
    return {name: statistics.median(v) for name, v in values.items()}


def _values(result, counter):
    values = {}
    for b in result.get("benchmarks", []):
        if b.get("run_type") == "iteration" and counter in b:
            values.setdefault(bare_name(b.get("run_name", b["name"])), []).append(float(b[counter]))
    return values


def xsave_grid(result):
    ticks = _medians(result, "ticks_per_insn")
    grid = {}
    for name, value in ticks.items():
        m = _XSAVE.match(name)
        if m:
            grid.setdefault((m["insn"], m["set"]), {})[m["condition"]] = value
    if not grid:
        return ""
    rows = [[f"{insn} {cset}", *(f"{cells[c]:.1f}" if c in cells else "-" for c in CONDITIONS)]
            for (insn, cset), cells in sorted(grid.items())]
    return text_table.render(["XSAVE family, ticks per instruction", *CONDITIONS], rows)


def round_trip_tables(result, prediction=None):
    p50, p99 = _medians(result, "rtt_p50_ns"), _medians(result, "rtt_p99_ns")
    reps = _values(result, "rtt_p50_ns")
    families = {}
    for name in p50:
        for pattern in _ROUND_TRIP:
            m = pattern.match(name)
            if m:
                families.setdefault(m["family"], []).append((m["state"], name))
                break
    rows = []
    for family, states in sorted(families.items()):
        for state, name in sorted(states):
            values = reps.get(name, [])
            spread = f"{min(values):.0f}..{max(values):.0f}" if len(values) >= 2 else "-"  # a range needs two
            rows.append([f"{family}/{state}", f"{p50[name]:.1f}", spread,
                         f"{p99[name]:.1f}" if name in p99 else "-"])
    if not rows:
        return ""
    return text_table.render(["round trip (median of repetitions)", "p50 ns", "p50 range", "p99 ns"], rows)


# A row whose repetitions differ by more than this factor was disturbed, not measured.
SPREAD_FACTOR = 3.0


def remarks(result):
    """Impossible or absurd figures, named: repetitions that differ by more than SPREAD_FACTOR, and
    a spin floor (a cross-PU cache-line round trip) above the futex round trip on the same pair."""
    out = []
    for name, values in sorted(_values(result, "rtt_p50_ns").items()):
        if len(values) >= 2 and min(values) > 0 and max(values) / min(values) > SPREAD_FACTOR:
            out.append(f"{name}: its repetitions differ {max(values) / min(values):.1f}x (p50 {min(values):.0f} to "
                       f"{max(values):.0f} ns): something else ran on its PUs; run again")
    p50 = _medians(result, "rtt_p50_ns")
    for name, value in sorted(p50.items()):
        m = re.match(r"^pingpong/spin/(?P<placement>[^/]+)/(?P<state>[^/]+)$", name)
        futex = m and p50.get(f"pingpong/futex/{m['placement']}/{m['state']}")
        if futex and value > futex:
            out.append(f"{name}: the spin floor ({value:.0f} ns) is above the futex round trip on the same PUs "
                       f"({futex:.0f} ns), which no spinning pair does: a spinning thread lost its PU")
    return out


def all_tables(result):
    parts = [xsave_grid(result), round_trip_tables(result, result.get("xstate_prediction"))]
    notes = remarks(result)
    if notes:
        parts.append("\n".join("note: " + n for n in notes))
    return "\n\n".join(p for p in parts if p)
