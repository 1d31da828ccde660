"""What the terminal shows after a run: compact tables instead of Google Benchmark's wide rows.
The XSAVE family as a grid (instruction x component set, ticks per instruction in each state
condition), and every round-trip family (ping-pong per mechanism and placement, signal, KVM) as
state x (p50, p99, xstate cost, predicted, unexplained). Medians over the run's repetitions."""
import re
import statistics

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


def xsave_grid(result):
    ticks = _medians(result, "ticks_per_insn")
    grid = {}
    for name, value in ticks.items():
        m = _XSAVE.match(name)
        if m:
            grid.setdefault((m["insn"], m["set"]), {})[m["condition"]] = value
    if not grid:
        return ""
    lines = [f"{'XSAVE family, ticks per instruction':38}" + "".join(f"{c:>12}" for c in CONDITIONS),
             "-" * (38 + 12 * len(CONDITIONS))]
    for (insn, cset), cells in sorted(grid.items()):
        lines.append(f"{insn + ' ' + cset:38}" + "".join(f"{cells[c]:12.1f}" if c in cells else f"{'-':>12}"
                                                          for c in CONDITIONS))
    return "\n".join(lines)


def round_trip_tables(result, prediction=None):
    p50, p99 = _medians(result, "rtt_p50_ns"), _medians(result, "rtt_p99_ns")
    explained = {r["benchmark"]: r for r in (prediction or {}).get("rows", [])}
    families = {}
    for name in p50:
        for pattern in _ROUND_TRIP:
            m = pattern.match(name)
            if m:
                families.setdefault(m["family"], []).append((m["state"], name))
                break
    out = []
    for family, states in sorted(families.items()):
        out.append(f"{family:34}{'p50 ns':>10}{'p99 ns':>10}{'xstate':>10}{'predicted':>11}{'unexplained':>12}")
        for state, name in sorted(states):
            r = explained.get(name, {})
            cells = [f"{r[k]:+.1f}" if k in r else "-" for k in ("measured_ns", "predicted_ns", "unexplained_ns")]
            out.append(f"  {state:32}{p50[name]:10.1f}{p99.get(name, float('nan')):10.1f}"
                       f"{cells[0]:>10}{cells[1]:>11}{cells[2]:>12}")
    return "\n".join(out)


def all_tables(result):
    parts = [xsave_grid(result), round_trip_tables(result, result.get("xstate_prediction"))]
    return "\n\n".join(p for p in parts if p)
