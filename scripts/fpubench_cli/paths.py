"""Where things live in a checkout."""
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUILD_DIR = REPO / "build"
BINARY = BUILD_DIR / "host" / "fpubench"
SANITIZE_BUILD_DIR = REPO / "build-sanitize"  # the C++ tests with ASan and UBSan
# FPUBENCH_RESULTS puts results elsewhere (a checkout another user owns, tests).
RESULTS_DIR = Path(os.environ.get("FPUBENCH_RESULTS") or REPO / "results")
PYTHON_TESTS = REPO / "scripts" / "tests"
# Debian's numpy/scipy/matplotlib/pytest are visible to this interpreter only.
SYSTEM_PYTHON = "/usr/bin/python3"
