"""The Debian packages fpubench builds and runs with, and installing the missing ones."""
import os
import subprocess

from fpubench_cli.errors import UserError

REQUIRED = [
    "cmake", "ninja-build", "g++", "pkg-config", "git", "clang-format",
    "libbenchmark-dev", "libgtest-dev", "libhwloc-dev", "hwloc", "libpfm4-dev", "nlohmann-json3-dev", "libcli11-dev",
    "python3-numpy", "python3-scipy", "python3-matplotlib", "python3-pytest", "pyflakes3",
    "chromium",  # the report test opens the HTML report headless
    "qemu-system-x86", "busybox-static", "cpio",  # full Linux guests
]


def parse_installed(dpkg_query_output):
    """Package names dpkg-query reports as installed, from '${Package} ${db:Status-Abbrev}' lines."""
    installed = set()
    for line in dpkg_query_output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].startswith("ii"):
            installed.add(parts[0].split(":")[0])
    return installed


def missing(required=REQUIRED, query=None):
    """The required packages not installed, in the order listed."""
    if query is None:
        proc = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Package} ${db:Status-Abbrev}\n", *required],
            capture_output=True, text=True)
        query = proc.stdout
    installed = parse_installed(query)
    return [p for p in required if p not in installed]


def install(packages, is_root=None):
    """apt-get installs `packages`; refuses with the command to run when not root."""
    if not packages:
        return
    root = os.geteuid() == 0 if is_root is None else is_root
    command = "apt-get update && apt-get install -y " + " ".join(packages)
    if not root:
        raise UserError(f"missing Debian packages {', '.join(packages)}: installing them needs root; "
                        f"run as root: {command}")
    print(f"fpubench: installing {', '.join(packages)}", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for step in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *packages]):
        if subprocess.run(step, env=env).returncode != 0:
            raise UserError(f"'{' '.join(step)}' failed: see apt's output above; retry with: {command}")
