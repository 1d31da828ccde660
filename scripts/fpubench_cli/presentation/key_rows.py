"""The rows a reader wants even when nothing changed there, chosen by what they are: the machine's
own speed (the control reference), the round trips with no FPU state (same-PU first, where the
FPU cost is isolated best; across PUs the futex alone), and the xstate costs of AVX-512 in the futex round trip on one PU and
in the signal."""


def rank(r):
    """The place of a comparison row (compare.Row) among the key rows, or None for another row."""
    f = r.fields
    if f is None:
        return None
    if r.kind == "ratio":
        if f.control and f.suite == "reference":
            return (0, f.name)
        if f.held_state != "none" or f.mechanism not in ("futex", "pipe", "signal"):
            return None
        if f.placement in ("", "same-pu"):
            return (1, f.mechanism != "futex", f.name)
        return (2, False, f.name) if f.mechanism == "futex" else None  # across PUs: the futex alone
    if f.held_state == "avx512" and not f.partner_only and (f.mechanism, f.placement) in (("futex", "same-pu"),
                                                                                          ("signal", "")):
        return (3, f.name)
    return None


def key_rows(rows):
    """The key rows among comparison rows, in reading order."""
    return sorted((r for r in rows if rank(r) is not None), key=rank)
