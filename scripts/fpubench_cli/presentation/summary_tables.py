"""What the terminal shows after a run: compact tables instead of Google Benchmark's wide rows.
The XSAVE family as a grid (instruction x component set, ticks per instruction in each state
condition), every round-trip row by family (p50, its range over repetitions, p99), and the xstate
costs measured against xstate_model's prediction. Medians over the run's repetitions."""
import statistics

from fpubench_cli import idle
from fpubench_cli.analysis import xstate_model
from fpubench_cli.presentation import text_table

CONDITIONS = ["init", "modified", "unmodified"]


def _values(rs, counter):
    """{benchmark: [counter per repetition]} for the benchmarks that report it."""
    return {name: v for name in rs.runs if (v := rs.values(name, counter))}


def xsave_grid(rs):
    grid = {}
    for name, row in rs.rows.items():
        value = rs.median(name, "ticks_per_insn")
        if row.suite == "xsave" and value is not None:
            grid.setdefault((row.mechanism, row.state), {})[row.condition] = value
    if not grid:
        return ""
    rows = [[f"{insn} {cset}", *(f"{cells[c]:.1f}" if c in cells else "-" for c in CONDITIONS)]
            for (insn, cset), cells in sorted(grid.items())]
    return text_table.render(["XSAVE family, ticks per instruction", *CONDITIONS], rows)


def round_trip_tables(rs):
    reps = _values(rs, "rtt_p50_ns")
    families = {}
    for name in reps:
        if not rs.rows[name].selfcheck:
            families.setdefault(rs.rows[name].family, []).append((rs.rows[name].variant, name))
    rows = []
    for family, states in sorted(families.items()):
        for state, name in sorted(states):
            values, p99 = reps[name], rs.median(name, "rtt_p99_ns")
            spread = f"{min(values):.0f}..{max(values):.0f}" if len(values) >= 2 else "-"  # a range needs two
            rows.append([name, f"{rs.median(name, 'rtt_p50_ns'):.1f}", spread,
                         f"{p99:.1f}" if p99 is not None else "-"])
    if not rows:
        return ""
    return text_table.render(["round trip (median of repetitions)", "p50 ns", "p50 range", "p99 ns"], rows)


# A row whose repetitions differ by more than this factor was disturbed, not measured.
SPREAD_FACTOR = 3.0


def remarks(rs):
    """Impossible or absurd figures, named: repetitions that differ by more than SPREAD_FACTOR, and
    a spin floor (a cross-PU cache-line round trip) above the futex round trip on the same pair."""
    out = []
    for name, values in sorted(_values(rs, "rtt_p50_ns").items()):
        if len(values) >= 2 and min(values) > 0 and max(values) / min(values) > SPREAD_FACTOR:
            out.append(f"{name}: its repetitions differ {max(values) / min(values):.1f}x (p50 {min(values):.0f} to "
                       f"{max(values):.0f} ns): something else ran on its PUs; run again")
    p50 = {name: statistics.median(v) for name, v in _values(rs, "rtt_p50_ns").items()}
    futex_of = {(r.placement, r.variant): p50[n] for n, r in rs.rows.items()
                if r.suite == "pingpong" and r.mechanism == "futex" and n in p50}
    for name, value in sorted(p50.items()):
        row = rs.rows[name]
        futex = row.suite == "pingpong" and row.mechanism == "spin" and futex_of.get((row.placement, row.variant))
        if futex and value > futex:
            out.append(f"{name}: the spin floor ({value:.0f} ns) is above the futex round trip on the same PUs "
                       f"({futex:.0f} ns), which no spinning pair does: a spinning thread lost its PU")
    futex_init = {n: r.placement for n, r in rs.rows.items()
                  if n in p50 and r.suite == "pingpong" and r.mechanism == "futex" and r.held_state == "none"}
    cross = [p50[n] for n, placement in futex_init.items() if placement not in ("", "same-pu")]
    same = [p50[n] for n, placement in futex_init.items() if placement == "same-pu"]
    if cross and idle.halts(rs.context.get("system.cpuidle")):
        versus = f" against {same[0] / 1000:.1f} us on one PU" if same else ""
        out.append(f"cross-PU rows: a futex round trip across PUs takes {max(cross) / 1000:.1f} us{versus} because "
                   + idle.explanation(rs.context.get("hypervisor", "")))
    return out


def all_tables(rs):
    parts = [xsave_grid(rs), round_trip_tables(rs)]
    notes = remarks(rs)
    if notes:
        parts.append("\n".join("note: " + n for n in notes))
    return "\n\n".join(p for p in parts if p)


def _with_interval(r, key):
    if f"{key}_low_ns" in r:
        return f"{r[key + '_ns']:+.1f} [{r[key + '_low_ns']:+.0f}, {r[key + '_high_ns']:+.0f}]"
    return f"{r[key + '_ns']:+.1f}"


def xstate_table(prediction):
    """The run's xstate costs as a person reads them: measured with its 95% interval, predicted,
    and what the one says of the other; each row's counts and instructions as a numbered footnote."""
    if "unavailable" in prediction:
        return f"xstate costs: prediction unavailable: {prediction['unavailable']}"
    rows = prediction["rows"]
    if not rows:
        return ""
    notes, table = [], []
    paired = any("aa_ns" in r for r in rows)
    for r in rows:
        measured = _with_interval(r, "measured")
        aa = [_with_interval(r, "aa") if "aa_ns" in r else "-"] if paired else []
        if "predicted_ns" in r:
            note = f"counts: {r['counts_source']}; instructions: {r['instructions']}"
            if note not in notes:
                notes.append(note)
            table.append([r["benchmark"], measured, *aa, f"{r['predicted_ns']:+.1f}",
                          f"{xstate_model.explanation(r)} [{notes.index(note) + 1}]"])
        else:
            table.append([r["benchmark"], measured, *aa, "-", r["unavailable"]])
    head = ["xstate cost per operation (minus its baseline)", "measured ns [95% interval]",
            *(["A/A ns [95%]"] if paired else []), "predicted ns", "measured vs predicted"]
    lines = [text_table.render(head, table)]
    judged = [r for r in rows if "aa_low_ns" in r]
    if judged:
        off = [r["benchmark"] for r in judged if not r["aa_low_ns"] <= 0 <= r["aa_high_ns"]]
        lines.append(f"  A/A: init blocks of even quads minus those of odd quads, zero for an honest pairing: "
                     f"its 95% interval holds 0 in {len(judged) - len(off)} of {len(judged)} rows (by chance "
                     f"about 1 in 20 misses)" + (f"; misses: {', '.join(off)}" if off else ""))
    lines += [f"  [{i}] {note}" for i, note in enumerate(notes, 1)]
    return "\n".join(lines)
