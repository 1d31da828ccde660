"""What an idle PU does when nothing can keep it polling, and what that means for a cross-PU
round trip: shared by `system show` (the setting) and the notes after a run (the figure)."""

REMEDY = ("boot with idle=poll, or load the guest halt-polling cpuidle driver (cpuidle_haltpoll.force=1 on "
          "the kernel command line of a KVM guest), or isolate the benchmark PUs (isolcpus=, nohz_full=); "
          "else read the same-PU rows, which no wake-up of an idle PU is part of")


def halts(cpuidle_setting):
    """Whether an idle PU halts whatever PM QoS asks, from system.cpuidle's value ("driver none",
    "not present (no cpuidle)", "driver haltpoll: ..."): with no cpuidle driver the kernel's
    default idle is HLT, and no latency request can turn it into polling."""
    value = (cpuidle_setting or "").strip()
    return value == "driver none" or value.startswith("not present")


def explanation(hypervisor=""):
    """Why a cross-PU round trip is slow on such a machine, and what to do."""
    woken = ("the hypervisor to wake the halted vCPU" if hypervisor and hypervisor != "none"
             else "the halted PU to wake up")
    return (f"an idle PU halts here (no cpuidle driver: HLT, whatever PM QoS asks), so every cross-PU round trip "
            f"waits for {woken}: it measures that wake-up, tens of microseconds, not the kernel's switch; "
            f"{REMEDY}")
