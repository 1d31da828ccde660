"""What a measurement run from Python holds while it measures (a full guest under QEMU): the
machine-wide measurement lock and PM QoS at 0. The binary does the same for its own runs
(bench/measurement_lock.h, bench/pm_qos.h); both use the one lock file, so they exclude each other."""
import contextlib
import datetime
import fcntl
import os
import struct
import sys

from fpubench_cli.errors import UserError

PM_QOS_DEVICE = "/dev/cpu_dma_latency"


def lock_path():
    return os.environ.get("FPUBENCH_LOCK") or "/run/lock/fpubench.lock"


def _holder(fd):
    text = os.pread(fd, 512, 0).decode(errors="replace").strip()
    return text or "another fpubench measurement"


@contextlib.contextmanager
def machine_lock(what, wait=True, path=None):
    """Yields 'yes' or 'yes, after waiting for <holder>' once the lock is this process's."""
    path = path or lock_path()
    old = os.umask(0)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as e:
        raise UserError(f"cannot open the measurement lock {path} ({e.strerror}): set FPUBENCH_LOCK to a "
                        f"file every user of this machine can write") from None
    finally:
        os.umask(old)
    try:
        alone = "yes"
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise UserError(f"another measurement is running on this machine ({holder}); two at once "
                                f"would time each other: wait for it, or drop --no-wait") from None
            print(f"fpubench: waiting for another measurement on this machine to finish ({holder}); two at "
                  f"once would time each other (--no-wait refuses instead)", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
            alone = f"yes, after waiting for {holder}"
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, fpubench {what}, since {stamp}\n".encode(), 0)
        yield alone
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock


@contextlib.contextmanager
def pm_qos(on=True, device=PM_QOS_DEVICE):
    """Holds `device` at 0 us while inside; yields what was held, as the binary records it."""
    if not on:
        yield "off (--no-pm-qos)"
        return
    try:
        fd = os.open(device, os.O_WRONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        yield f"not present ({device})"
        return
    except OSError as e:
        yield f"not held: cannot open {device} ({e.strerror})"
        return
    try:
        os.write(fd, struct.pack("i", 0))  # a binary 32-bit value; held while the file is open
        yield "held at 0 us"
    finally:
        os.close(fd)


@contextlib.contextmanager
def measuring_alone(what, wait=True, hold_pm_qos=True):
    """Both, as context keys: {'measured_alone': ..., 'pm_qos.cpu_dma_latency': ...}."""
    with machine_lock(what, wait) as alone, pm_qos(hold_pm_qos) as qos:
        yield {"measured_alone": alone, "pm_qos.cpu_dma_latency": qos}
