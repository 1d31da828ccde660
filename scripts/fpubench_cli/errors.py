"""The exit-status contract of every command (README, "Exit status"; the binary's is
bench/exit_status.h), the errors that carry it, and the exception a termination signal becomes.
Every error's message is the single line the user sees: what, why, how to fix."""
import signal

OK = 0            # measured, passed, or no comparison asked
CHANGED = 1       # a comparison found a row slower (compare, ab), or tests failed (test)
BAD_INPUT = 2     # bad input, or what was asked cannot run on this machine
INTEGRITY = 3     # FPU state integrity failure (torture, corruption seen in a run)
MACHINE = 4       # the machine or an outside dependency failed (apt, the build, QEMU, the disk)
INTERRUPTED = 130  # SIGINT; a signal N in general ends with 128 + N (143 for SIGTERM)

CONTRACT = [(OK, "measured, passed, or no comparison asked"),
            (CHANGED, "a comparison found a row slower (compare, ab), or a test failed (test)"),
            (BAD_INPUT, "bad input, or what was asked cannot run on this machine (a lab's skip)"),
            (INTEGRITY, "FPU state integrity failure (torture, or corruption seen in a run)"),
            (MACHINE, "the machine or an outside dependency failed (apt, the build, QEMU, a full disk)"),
            (INTERRUPTED, "interrupted by SIGINT (143: SIGTERM); nothing half-written is left")]


def contract_text():
    """The contract as --help's epilog prints it."""
    return "exit status:\n" + "\n".join(f"  {code:<4} {meaning}" for code, meaning in CONTRACT)


class UserError(Exception):
    """A problem the user can fix; main() prints it as one line and exits with `status` (2)."""
    status = BAD_INPUT


class MachineError(UserError):
    """The machine or an outside dependency failed (exit 4): apt, the build, QEMU, a full disk."""
    status = MACHINE


class IntegrityError(UserError):
    """FPU state was seen corrupted (exit 3)."""
    status = INTEGRITY


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like KeyboardInterrupt so partial files are removed."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self):
        return signal.Signals(self.signum).name
