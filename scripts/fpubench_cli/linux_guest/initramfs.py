"""The guest's initramfs: build/host/fpubench with the shared libraries it needs (Debian's Google
Benchmark ships no static library), busybox from busybox-static, and an init that mounts proc,
sys, devtmpfs and tracefs, runs the suite and sends the result out on a serial port of its own.
Cached by the hash of everything that goes in; rebuilt only when an input changes."""
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from fpubench_cli import paths
from fpubench_cli.errors import MachineError, UserError

CACHE = paths.BUILD_DIR / "guest-initramfs"
BUSYBOX = Path("/bin/busybox")
# The result channel: the guest's second UART, which nothing else writes to (the console is the
# first). Blocks are framed and carry their length so a short read is caught.
INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
mkdir -p /tmp && mount -t tmpfs tmp /tmp
mkdir -p /run/lock
echo "fpubench guest: running fpubench $(cat /fpubench.args)"
/fpubench/fpubench --benchmark_out=/tmp/result.json --benchmark_out_format=json \\
  --histograms-out=/tmp/histograms.json $(cat /fpubench.args)
rc=$?
send() {
  [ -f "$2" ] || return
  echo "FPUBENCH-BLOCK-BEGIN $1 $(wc -c < "$2")"
  cat "$2"
  echo
  echo "FPUBENCH-BLOCK-END $1"
}
{ echo "FPUBENCH-STATUS $rc"; send result /tmp/result.json; send histograms /tmp/histograms.json; } > /dev/ttyS1
sync
poweroff -f
"""


def shared_libraries(binary):
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True)
    if out.returncode != 0:
        raise MachineError(f"ldd {binary} failed: {out.stderr.strip()}")
    libs = set()
    for line in out.stdout.splitlines():
        m = re.search(r"(/\S+)\s*\(0x", line)
        if m:
            libs.add(m.group(1))
    return sorted(libs)


def build_initramfs(args, binary=paths.BINARY, cache=CACHE, init=INIT, files=None):
    """`init` as /init; `files`: more {path in the guest: file} (the LAVA guest's test script)."""
    if not BUSYBOX.exists():
        raise UserError("no /bin/busybox: install busybox-static (scripts/fpubench setup does)")
    inputs = {"/fpubench/fpubench": binary, "/bin/busybox": BUSYBOX, **(files or {})}
    for lib in shared_libraries(binary):
        inputs[lib] = Path(lib)
    h = hashlib.sha256(init.encode() + " ".join(args).encode())
    for name, path in sorted(inputs.items()):
        h.update(name.encode() + Path(path).read_bytes())
    target = cache / f"{h.hexdigest()[:16]}.cpio.gz"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as stage:
        root = Path(stage) / "root"
        for name, path in inputs.items():
            dest = root / name.lstrip("/")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
            dest.chmod(0o755)
        for d in ("dev", "proc", "sys", "tmp"):
            (root / d).mkdir(exist_ok=True)
        (root / "init").write_text(init)
        (root / "init").chmod(0o755)
        (root / "fpubench.args").write_text(" ".join(args))
        names = subprocess.run(["find", "."], cwd=root, capture_output=True, text=True, check=True).stdout
        archive = subprocess.run(["cpio", "--quiet", "-o", "-H", "newc"], cwd=root, input=names.encode(),
                                 capture_output=True)
        if archive.returncode != 0:
            raise MachineError(f"cpio failed: {archive.stderr.decode().strip()} (install cpio)")
        partial = Path(stage) / "initramfs.cpio.gz"
        partial.write_bytes(gzip.compress(archive.stdout, compresslevel=1))
        os.replace(partial, target)
    return target
