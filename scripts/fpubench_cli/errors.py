"""One error type whose message is the single line the user sees (what, why, how to fix), and the
exception a termination signal becomes."""
import signal


class UserError(Exception):
    """A problem the user can fix; main() prints it as one line and exits 2."""


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like KeyboardInterrupt so partial files are removed."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self):
        return signal.Signals(self.signum).name
