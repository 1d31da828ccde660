"""Configuring and building the C++ side with CMake (Release)."""
import os
import shutil
import subprocess

from fpubench_cli import paths
from fpubench_cli.errors import MachineError, UserError
from fpubench_cli.running import packages


def configure_and_build(build_dir=paths.BUILD_DIR, options=(), build_type="Release"):
    """Configures once, then lets the build tool decide what is out of date (a no-op is quick)."""
    build_cmd = ["cmake", "--build", str(build_dir), "--parallel"]
    if build_dir.exists() and not os.access(build_dir, os.W_OK | os.X_OK):
        # Another user's build: one with nothing to do may still pass; one that fails, fails for
        # want of rights, and says so rather than "failed".
        if subprocess.run(build_cmd, capture_output=True).returncode != 0:
            raise UserError(f"cannot build in {build_dir}: it is not writable by this user; run fpubench "
                            f"as its owner, or from a checkout of your own")
        return
    if not (build_dir / "CMakeCache.txt").exists():
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        _run(["cmake", "-S", str(paths.REPO), "-B", str(build_dir),
              f"-DCMAKE_BUILD_TYPE={build_type}", *generator, *options], "configuring")
        _run(build_cmd, "building")  # the first build: its progress is worth seeing
        return
    # An up-to-date tree says so in two lines before every command, not worth a look: those are
    # held back, and everything from the first line of real work on is shown as it comes.
    proc = subprocess.Popen(build_cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    held = []
    for line in proc.stdout:
        if held is not None and _idle(line):
            held.append(line)
            continue
        if held:
            print("".join(held), end="")
        held = None
        print(line, end="", flush=True)
    if proc.wait() != 0:
        print("".join(held or []), end="")
        raise MachineError(f"building failed (see the compiler output above); fix it, or remove "
                        f"{build_dir} to configure afresh")


def _idle(line):
    """A line of the build tool's that says nothing was out of date (ninja's or make's)."""
    return not line.strip() or any(s in line for s in ("Re-checking globbed directories", "no work to do",
                                                       "Nothing to be done", "Built target"))


def _run(cmd, what):
    if subprocess.run(cmd).returncode != 0:
        raise MachineError(f"{what} failed (see the compiler output above); fix it, or remove "
                        f"{paths.BUILD_DIR} to configure afresh")


def setup(command="setup"):
    """Installs the packages `command` needs that are missing, then builds. Idempotent."""
    packages.install(packages.missing(packages.for_command(command)))
    configure_and_build()


def install_for(command):
    """Installs the packages `command` needs that are missing; builds nothing."""
    packages.install(packages.missing(packages.for_command(command)))
