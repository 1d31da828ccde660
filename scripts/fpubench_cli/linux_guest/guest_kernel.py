"""The kernel a full guest boots: a file the user built (bzImage or vmlinux), or Debian's current
kernel, fetched with apt-get download and unpacked with dpkg -x (cached in build/guest-kernel)."""
import glob
import os
import re
import subprocess
from pathlib import Path

from fpubench_cli import paths
from fpubench_cli.errors import MachineError, UserError

CACHE = paths.BUILD_DIR / "guest-kernel"


def debian_kernel_package():
    """linux-image-amd64 is a metapackage; the kernel is in the package it depends on."""
    out = subprocess.run(["apt-cache", "depends", "linux-image-amd64"], capture_output=True, text=True).stdout
    m = re.search(r"Depends:\s*(linux-image-\S+-amd64)", out)
    if not m:
        raise MachineError("apt-cache does not know linux-image-amd64's kernel package: run apt-get update "
                        "(as root), or pass --kernel PATH")
    return m.group(1)


def fetch_debian_kernel(cache=CACHE):
    package = debian_kernel_package()
    target = cache / package
    kernels = sorted(glob.glob(str(target / "boot" / "vmlinuz-*")))
    if kernels:
        return Path(kernels[-1])
    cache.mkdir(parents=True, exist_ok=True)
    print(f"fpubench: fetching {package} with apt-get download", flush=True)
    # As root apt drops to _apt, which cannot write into our cache and warns; root may write it itself.
    sandbox = ["-o", "APT::Sandbox::User=root"] if os.geteuid() == 0 else []
    if subprocess.run(["apt-get", *sandbox, "download", package], cwd=cache).returncode != 0:
        raise MachineError(f"'apt-get download {package}' failed (see above): check the network and apt's lists")
    debs = sorted(cache.glob(f"{package}_*.deb"))
    if not debs or subprocess.run(["dpkg", "-x", str(debs[-1]), str(target)]).returncode != 0:
        raise MachineError(f"could not unpack {package} with dpkg -x")
    for deb in debs:
        deb.unlink()
    kernels = sorted(glob.glob(str(target / "boot" / "vmlinuz-*")))
    if not kernels:
        raise MachineError(f"{package} holds no boot/vmlinuz-*")
    return Path(kernels[-1])


def kernel_kind(path):
    """'bzImage' (the x86 boot protocol's "HdrS" at 0x202), 'vmlinux' (an ELF file), or None."""
    try:
        with open(path, "rb") as f:
            head = f.read(0x206)
    except OSError:
        return None
    if head[:4] == b"\x7fELF":
        return "vmlinux"
    if len(head) >= 0x206 and head[0x202:0x206] == b"HdrS":
        return "bzImage"
    return None


def check_kernel(spec):
    """--kernel as given, checked before anything boots: a file, and a kernel."""
    if spec == "debian":
        return
    p = Path(spec)
    if not p.is_file():
        raise UserError(f"--kernel {spec}: no such file; pass a bzImage or vmlinux you built, or --kernel debian")
    if kernel_kind(p) is None:
        raise UserError(f"--kernel {spec} is not a kernel image (no bzImage boot header, not an ELF vmlinux): pass "
                        f"arch/x86/boot/bzImage or vmlinux from a kernel build, or --kernel debian")


def resolve_kernel(spec):
    check_kernel(spec)
    return fetch_debian_kernel() if spec == "debian" else Path(spec)
