"""Explaining an xstate cost. For every benchmark with a baseline (state `none`, or `guest-init`
for KVM), the measured cost is the per-repetition difference S - baseline: measured in time-paired
blocks inside the benchmark (its cost figure; with the pairing's own A/A beside it), or in older
results the difference of two benchmarks of the same run. The predicted cost is what copying the state costs the kernel:

    saves x (save(S) - save(init)) + restores x (restore(S) - restore(init))

with the counts per operation from the FPU tracepoints when the run counted them (--counters=fpu),
else from the documented model of each benchmark, and the instruction costs from this run's
XSAVE-family rows for the instructions the kernel uses (context keys kernel_*_insn, with the
user-mode proxy measured in place of XSAVES/XRSTORS). Unexplained = measured - predicted: first-use
traps, cache misses, or a kernel that copies more (or less) often than the model says."""
import statistics

from fpubench_cli.analysis import stats

# The component sets a held state can be, each measured by XSAVE-family rows of that name.
STATE_SETS = {"sse", "avx", "avx512", "amx"}
# The kernel's choice (context) -> the row fpubench measures for it in user mode.
SAVE_ROW = {"XSAVES": "XSAVEC", "XSAVEC": "XSAVEC", "XSAVEOPT": "XSAVEOPT", "XSAVE": "XSAVE"}
RESTORE_ROW = {"XRSTORS": "XRSTOR-compacted", "XRSTOR-compacted": "XRSTOR-compacted", "XRSTOR": "XRSTOR"}


def switch_counts(rs, name):
    """(saves, restores, source, which instructions) of state S per operation in the run `rs`, or
    None when no model covers the benchmark."""
    row = rs.rows[name]
    if row.suite == "pingpong":
        share = 0.5 if row.partner_only else 1.0  # only the partner holds S
        restores = rs.median(name, "x86_fpu:x86_fpu_regs_activated/op")
        switches = rs.median(name, "perf::CONTEXT-SWITCHES/op")
        if restores is not None and switches is not None:
            return switches * share, restores * share, "counted (context switches, x86_fpu_regs_activated)", "kernel"
        if row.placement == "same-pu":
            return 2 * share, 2 * share, "model (same PU: two switches, each saves one thread and restores the other)", "kernel"
        return 0.0, 0.0, "model (threads on different PUs keep their registers loaded)", "kernel"
    if row.suite == "signal":
        return 1.0, 1.0, "model (one save to the signal frame, one restore at sigreturn)", "signal"
    if row.suite == "kvm" and row.mechanism in ("pio-exit", "mmio-exit"):
        loads = rs.median(name, "kvm:kvm_fpu/op")
        if loads is not None:
            return loads / 2, loads / 2, "counted (kvm:kvm_fpu load and put)", "kernel"
        return 1.0, 1.0, "model (each exit puts the guest FPU and each entry loads it)", "kernel"
    return None


def _state_of(row):
    """The component set an xstate cost is about, for the rows switch_counts models."""
    return row.held_state if row.suite in ("pingpong", "signal", "kvm") else None


def instructions(context, kind):
    """(save row, restore row, how they were chosen) for the kernel's task and KVM switches, or
    for signal frames, which use the standard format; None when the context does not say."""
    if kind == "signal":
        return "XSAVE", "XRSTOR", "signal frames: XSAVE/XRSTOR, standard format"
    save, restore = context.get("kernel_xsave_insn"), context.get("kernel_xrstor_insn")
    if save not in SAVE_ROW or restore not in RESTORE_ROW:
        return None
    how = f"kernel {save}/{restore}"
    if SAVE_ROW[save] != save or RESTORE_ROW[restore] != restore:
        how += f", measured as {SAVE_ROW[save]}/{RESTORE_ROW[restore]} in user mode"
    return SAVE_ROW[save], RESTORE_ROW[restore], how


def _ticks(rs, insn, component_set, condition):
    """The median ticks per instruction of the XSAVE-family row for insn, set and condition."""
    for name, row in rs.rows.items():
        if (row.suite, row.mechanism, row.state, row.condition) == ("xsave", insn, component_set, condition):
            return rs.median(name, "ticks_per_insn")
    return None


def measured_costs(rs, name):
    """The xstate cost of benchmark `name` per repetition: its time-paired cost figure, or (a row
    measured apart from its baseline) its p50 minus the baseline's, by repetition index."""
    row = rs.rows[name]
    if row.cost_figure:
        return rs.values(name, row.cost_figure)
    measured, baseline = rs.by_repetition(name, "rtt_p50_ns"), rs.by_repetition(row.baseline, "rtt_p50_ns")
    return [measured[r] - baseline[r] for r in sorted(set(measured) & set(baseline))]


def predict(rs):
    """{"rows": [...]} with one row per benchmark of the run `rs` that has a baseline, or
    {"unavailable": why}."""
    context = rs.context
    try:
        ns_per_tick = 1e9 / float(context["tsc_hz"])
    except (KeyError, ValueError, ZeroDivisionError):
        return {"unavailable": "the result has no tsc_hz to turn instruction ticks into ns"}
    if not any(r.suite == "xsave" for r in rs.rows.values()):
        return {"unavailable": "this run has no XSAVE-family rows (filtered out?): run them in the same "
                               "run, e.g. --benchmark_filter='^(xsave|pingpong|signal)/'"}
    rows = []
    for name in sorted(rs.rows):
        base = rs.rows[name].baseline
        if not base or (not rs.rows[name].cost_figure and base not in rs.rows):
            continue
        diffs = measured_costs(rs, name)
        if not diffs:
            continue
        row = {"benchmark": name, "baseline": base, "measured_ns": statistics.median(diffs),
               "measured_min_ns": min(diffs), "measured_max_ns": max(diffs), "repetitions": len(diffs)}
        interval = stats.median_interval(diffs)
        if interval:
            row["measured_low_ns"], row["measured_high_ns"] = interval
        aa = rs.values(name, "aa_cost_p50_ns")
        if aa:
            row["aa_ns"] = statistics.median(aa)
            if interval := stats.median_interval(aa):
                row["aa_low_ns"], row["aa_high_ns"] = interval
        rows.append(row)
        counts, state = switch_counts(rs, name), _state_of(rs.rows[name])
        if counts is None or state not in STATE_SETS:
            row["unavailable"] = "no model of this benchmark's saves and restores"
            continue
        saves, restores, source, kind = counts
        insns = instructions(context, kind)
        if insns is None:
            row["unavailable"] = "the result does not say which instructions the kernel uses (kernel_xsave_insn)"
            continue
        save_insn, restore_insn, how = insns
        cost = {}
        for what, insn, condition in (("save", save_insn, "unmodified"), ("restore", restore_insn, "modified")):
            dirty = _ticks(rs, insn, state, condition)
            clean = _ticks(rs, insn, state, "init")
            if dirty is None or clean is None:
                row["unavailable"] = f"this run has no xsave/{insn}/{state} rows"
                break
            cost[what] = (dirty - clean) * ns_per_tick
        else:
            predicted = saves * cost["save"] + restores * cost["restore"]
            row.update(saves=saves, restores=restores, counts_source=source, instructions=how,
                       save_delta_ns=cost["save"], restore_delta_ns=cost["restore"], predicted_ns=predicted,
                       unexplained_ns=row["measured_ns"] - predicted)
    return {"rows": rows}


# Below this the interval says nothing about a prediction of a few ns.
TOO_NOISY_NS = 200.0


def explanation(row):
    """What the measurement says of the prediction: consistent, more or less than predicted, too
    noisy to say, or too few repetitions for an interval."""
    if "predicted_ns" not in row:
        return "no prediction"
    if "measured_low_ns" not in row:
        return f"too few repetitions ({row['repetitions']}) for an interval"
    lo, hi, predicted = row["measured_low_ns"], row["measured_high_ns"], row["predicted_ns"]
    if lo > predicted:
        return "more than predicted"
    if hi < predicted:
        return "less than predicted"
    if hi - lo > max(TOO_NOISY_NS, 4 * abs(predicted)):
        return "too noisy to say"
    return "consistent"
