"""Configuring and building the C++ side with CMake (Release)."""
import shutil
import subprocess

from . import packages, paths
from .errors import UserError


def configure_and_build():
    """Configures once, then lets the build tool decide what is out of date (a no-op is quick)."""
    if not (paths.BUILD_DIR / "CMakeCache.txt").exists():
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        _run(["cmake", "-S", str(paths.REPO), "-B", str(paths.BUILD_DIR),
              "-DCMAKE_BUILD_TYPE=Release", *generator], "configuring")
    _run(["cmake", "--build", str(paths.BUILD_DIR), "--parallel"], "building")


def _run(cmd, what):
    if subprocess.run(cmd).returncode != 0:
        raise UserError(f"{what} failed (see the compiler output above); fix it, or remove "
                        f"{paths.BUILD_DIR} to configure afresh")


def setup():
    """Installs missing packages, then builds. Idempotent."""
    packages.install(packages.missing())
    configure_and_build()
