"""Disturbed repetitions: the binary records, per repetition, device interrupts and steal time on
the benchmark's PUs and (where they are not the benchmark itself) involuntary switches of its
threads, as counters named disturbed.*. A repetition with any of them above zero is disturbed."""
KEYS = ("disturbed.device_irqs", "disturbed.steal_ticks", "disturbed.preemptions")


def is_disturbed(entry):
    return any(float(entry.get(k, 0) or 0) > 0 for k in KEYS)


def what_disturbed(entries):
    """{key without prefix: repetitions where it was above zero}."""
    return {k.split(".", 1)[1]: sum(float(e.get(k, 0) or 0) > 0 for e in entries) for k in KEYS}


def iterations(rs):
    """The repetitions of a result set that record their disturbances."""
    return [e for entries in rs.runs.values() for e in entries if any(k in e for k in KEYS)]


def summary_line(rs):
    """'4 of 605 repetitions (0.7%) were disturbed on their PUs: 3 by device interrupts, ...', or
    None when the result has no record of it (older files)."""
    entries = iterations(rs)
    if not entries:
        return None
    bad = sum(is_disturbed(e) for e in entries)
    if not bad:
        return f"none of the {len(entries)} repetitions was disturbed on its PUs (device interrupts, steal, preemption)"
    parts = [f"{n} by {name.replace('_', ' ')}" for name, n in what_disturbed(entries).items() if n]
    return (f"{bad} of {len(entries)} repetitions ({bad / len(entries):.1%}) were disturbed on their PUs: "
            + ", ".join(parts) + " (marked per repetition in the result as disturbed.*)")
