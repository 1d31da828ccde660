"""The Debian packages fpubench builds and runs with, and installing the missing ones."""
import os
import subprocess

from fpubench_cli.errors import MachineError, UserError

# The Debian packages by what needs them. Each command installs only its groups, without apt's
# recommends: with them, QEMU and Chromium alone bring a desktop (GUI and audio libraries,
# avahi-daemon, cups helpers), services that are noise on a benchmark machine.
GROUPS = {
    "build": ["cmake", "ninja-build", "g++", "pkg-config", "libbenchmark-dev", "libgtest-dev", "libhwloc-dev", "hwloc",
              "libpfm4-dev", "nlohmann-json3-dev", "libcli11-dev"],
    "reporting": ["python3-numpy", "python3-scipy", "python3-matplotlib"],  # tables, statistics, plots
    "guest": ["qemu-system-x86", "busybox-static", "cpio"],                  # full Linux guests: guest, ab
    "test": ["python3-pytest", "pyflakes3", "clang-format", "git"],
    "browser": ["chromium"],                                                # the report's browser test
    "lab": ["python3-yaml"],                                                # reading LAVA's logs
    "lava": ["lava-dispatcher"],                 # the LAVA test's real lava-run (it enables lava-worker)
}
# What each command needs; a command not named needs nothing beyond Debian's python3.
COMMAND_GROUPS = {
    "setup": ("build", "reporting"), "run": ("build", "reporting"), "selfcheck": ("build", "reporting"),
    "torture": ("build",), "counters": ("build",), "compare": ("reporting",), "plot": ("reporting",),
    "report": ("reporting",), "export": ("reporting",), "import": ("reporting", "lab"), "guest": ("build", "reporting", "guest"), "ab": ("build", "reporting", "guest"),
    "test": ("build", "reporting", "test", "lab"), "test-all": ("build", "reporting", "guest", "test", "browser", "lab", "lava"),
    "test-sanitize": ("build", "test"),
}
REQUIRED = [p for group in GROUPS.values() for p in group]


def for_command(command):
    """The packages `command` needs, in the groups' order."""
    return [p for group in COMMAND_GROUPS.get(command, ()) for p in GROUPS[group]]


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
    command = "apt-get update && apt-get install -y --no-install-recommends " + " ".join(packages)
    if not root:
        raise UserError(f"missing Debian packages {', '.join(packages)}: installing them needs root; "
                        f"run as root: {command}")
    print(f"fpubench: installing {', '.join(packages)}", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for step in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]):
        if subprocess.run(step, env=env).returncode != 0:
            raise MachineError(f"'{' '.join(step)}' failed: see apt's output above; retry with: {command}")
