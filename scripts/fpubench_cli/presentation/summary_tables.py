"""What the terminal shows after a run: compact tables instead of Google Benchmark's wide rows.
The XSAVE family as a grid (instruction x component set, ticks per instruction in each state
condition), and every round-trip family (ping-pong per mechanism and placement, signal, KVM) as
state x (p50, p99, xstate cost, predicted, unexplained). Medians over the run's repetitions."""
import statistics

from fpubench_cli.analysis import schema
from fpubench_cli.presentation import text_table

CONDITIONS = ["init", "modified", "unmodified"]


def _fields(result):
    """{benchmark: its schema.Row} of the run's iterations."""
    return {schema.name_of(b): schema.of_entry(b) for b in result.get("benchmarks", [])
            if b.get("run_type") == "iteration"}


def _values(result, counter):
    values = {}
    for b in result.get("benchmarks", []):
        if b.get("run_type") == "iteration" and counter in b:
            values.setdefault(schema.name_of(b), []).append(float(b[counter]))
    return values


def _medians(result, counter):
    return {name: statistics.median(v) for name, v in _values(result, counter).items()}


def xsave_grid(result):
    ticks, fields = _medians(result, "ticks_per_insn"), _fields(result)
    grid = {}
    for name, value in ticks.items():
        row = fields[name]
        if row.suite == "xsave":
            grid.setdefault((row.mechanism, row.state), {})[row.condition] = value
    if not grid:
        return ""
    rows = [[f"{insn} {cset}", *(f"{cells[c]:.1f}" if c in cells else "-" for c in CONDITIONS)]
            for (insn, cset), cells in sorted(grid.items())]
    return text_table.render(["XSAVE family, ticks per instruction", *CONDITIONS], rows)


def round_trip_tables(result, prediction=None):
    p50, p99 = _medians(result, "rtt_p50_ns"), _medians(result, "rtt_p99_ns")
    reps = _values(result, "rtt_p50_ns")
    fields = _fields(result)
    families = {}
    for name in p50:
        if not fields[name].selfcheck:
            families.setdefault(fields[name].family, []).append((fields[name].variant, name))
    rows = []
    for family, states in sorted(families.items()):
        for state, name in sorted(states):
            values = reps.get(name, [])
            spread = f"{min(values):.0f}..{max(values):.0f}" if len(values) >= 2 else "-"  # a range needs two
            rows.append([name, f"{p50[name]:.1f}", spread,
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
    p50, fields = _medians(result, "rtt_p50_ns"), _fields(result)
    futex_of = {(r.placement, r.variant): p50[n] for n, r in fields.items()
                if r.suite == "pingpong" and r.mechanism == "futex" and n in p50}
    for name, value in sorted(p50.items()):
        row = fields[name]
        futex = row.suite == "pingpong" and row.mechanism == "spin" and futex_of.get((row.placement, row.variant))
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
