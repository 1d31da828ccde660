"""Running build/host/fpubench (or QEMU) as a child that never outlives fpubench: the kernel sends
it SIGTERM if fpubench dies (PR_SET_PDEATHSIG), and when fpubench is interrupted or terminated it
ends the child before its own partial files are removed."""
import contextlib
import ctypes
import os
import signal
import subprocess

from fpubench_cli import errors
from fpubench_cli.errors import IntegrityError, MachineError, Terminated, UserError

_PR_SET_PDEATHSIG = 1
# Held while the child is being created: a signal handled inside Popen would lose the child.
_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def _die_with(parent):
    def in_child():
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # the mask is inherited: undo it
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the line above took effect
            os.kill(os.getpid(), signal.SIGTERM)
    return in_child


def stop(proc, grace=10):
    """Ends a child that is still running: SIGTERM, then SIGKILL after `grace` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def started(cmd, **kw):
    """The running child (a subprocess.Popen); ended, if it still runs, however the block is left."""
    proc = None
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            proc = subprocess.Popen(cmd, preexec_fn=_die_with(os.getpid()), **kw)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # a held signal is raised from here
        yield proc
    finally:
        if proc is not None:
            stop(proc)


def run(cmd, on_interrupt=None, on_output_line=None, **kw):
    """The child's exit status. `on_output_line` sees each line the child writes, to stdout or
    stderr, as it comes. On Ctrl-C, `on_interrupt(proc)` may let it finish on its own (the
    torture writes its partial summary) before it is ended."""
    if on_output_line:
        kw.update(stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    with started(cmd, **kw) as proc:
        try:
            if on_output_line:
                for line in proc.stdout:
                    on_output_line(line)
            return proc.wait()
        except KeyboardInterrupt:
            if on_interrupt:
                on_interrupt(proc)
            raise


def raise_on_termination():
    """SIGTERM and SIGHUP become Terminated, so that cleanup runs as it does for Ctrl-C."""
    def handler(signum, frame):
        raise Terminated(signum)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, handler)


def raise_for_status(rc, what="build/host/fpubench", left="no result was written"):
    """A child's non-zero exit status as the contract's error (errors.py): an interrupted child
    interrupts us too; its own bad input stays bad input; anything else is the machine's failure."""
    if rc == 0:
        return
    if rc in (errors.INTERRUPTED, -signal.SIGINT):
        raise KeyboardInterrupt
    if rc in (128 + signal.SIGTERM, -signal.SIGTERM):
        raise Terminated(signal.SIGTERM)
    if rc < 0:
        raise MachineError(f"{what} was killed by signal {-rc}; {left}")
    raise error_for(rc)(f"{what} exited with status {rc} (its message is above); {left}")


def error_for(status):
    """The contract's error for a child's exit status that is not a signal: its bad input stays bad
    input, an integrity failure stays one, anything else is the machine's failure."""
    return {errors.BAD_INPUT: UserError, errors.INTEGRITY: IntegrityError}.get(status, MachineError)
