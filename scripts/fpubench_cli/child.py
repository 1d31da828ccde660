"""Running build/host/fpubench (or QEMU) as a child that never outlives fpubench: the kernel sends
it SIGTERM if fpubench dies (PR_SET_PDEATHSIG), and when fpubench is interrupted or terminated it
ends the child before its own partial files are removed."""
import ctypes
import signal
import subprocess

from .errors import Terminated

_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def popen(cmd, **kw):
    return subprocess.Popen(cmd, preexec_fn=_die_with_parent, **kw)


def stop(proc, grace=10):
    """Ends a child that is still running: SIGTERM, then SIGKILL after `grace` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run(cmd, on_interrupt=None, **kw):
    """The child's exit status. On Ctrl-C, `on_interrupt(proc)` may let it finish on its own
    (the torture writes its partial summary); otherwise, and on SIGTERM/SIGHUP, it is ended."""
    proc = popen(cmd, **kw)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        if on_interrupt:
            on_interrupt(proc)
        stop(proc)
        raise
    except BaseException:
        stop(proc)
        raise


def raise_on_termination():
    """SIGTERM and SIGHUP become Terminated, so that cleanup runs as it does for Ctrl-C."""
    def handler(signum, frame):
        raise Terminated(signum)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, handler)
