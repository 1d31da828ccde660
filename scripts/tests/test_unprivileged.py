"""An ordinary user: the binary's --show-* and a run of host benchmarks work, and a checkout owned
by root is one clear line, never a traceback. Run as root, the tests drop to 'nobody' for each
command (setpriv); as any other user they already are one."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from fpubench_cli import paths

SCRIPT = paths.REPO / "scripts" / "fpubench"


def _nobody_cannot_reach_the_checkout():
    """As root: whether user nobody cannot open scripts/fpubench (a checkout under /root, say)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return False
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "test", "-r", str(SCRIPT)])
    return probe.returncode != 0


pytestmark = [
    pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"),
                       reason="setpriv (util-linux) is needed to drop root for these tests"),
    pytest.mark.skipif(_nobody_cannot_reach_the_checkout(),
                       reason=f"user nobody cannot read {SCRIPT}: clone fpubench where other users can read it "
                              f"(not under /root) to run the unprivileged tests"),
]


def as_user(*args, **kw):
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    return subprocess.run([*drop, *map(str, args)], capture_output=True, text=True, timeout=300, **kw)


@pytest.mark.parametrize("command", [["--help"], ["plan"], ["probe", "context"], ["probe", "placements"]])
def test_the_binary_shows_everything_to_an_ordinary_user(command):
    out = as_user(paths.BINARY, *command)
    assert out.returncode == 0, out.stderr
    assert "terminate called" not in out.stderr and out.stdout


def test_an_ordinary_user_is_told_why_kvm_is_skipped():
    plan = as_user(paths.BINARY, "plan").stdout
    if os.path.exists("/dev/kvm") and os.access("/dev/kvm", os.R_OK | os.W_OK) and os.geteuid() != 0:
        pytest.skip("this user may open /dev/kvm")
    assert "skip kvm/*: no " in plan  # no permission, or no /dev/kvm at all


def test_an_ordinary_user_runs_the_host_benchmarks():
    # Not pytest's tmp_path: its parent is private to root.
    tmp_path = Path(tempfile.mkdtemp(prefix="fpubench-user-"))
    os.chmod(tmp_path, 0o777)
    out = as_user(paths.BINARY, "--benchmark_filter=pingpong/futex/same-pu/none|xsave/XSAVE/sse/init",
                  "--quick", "--benchmark_min_time=0.001", f"--benchmark_out={tmp_path}/r.json",
                  f"--histograms-out={tmp_path}/h.json")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "r.json").exists() and (tmp_path / "h.json").exists()
    shutil.rmtree(tmp_path)


RUN_WITHOUT_BUILD = """
import sys
sys.path.insert(0, {scripts!r})
from fpubench_cli import cli
from fpubench_cli.running import build
build.setup = lambda *command: None  # this test is about the results folder, not the (root's) build folder
sys.exit(cli.main(["run", "--quick", "--label", "x", "--", "--benchmark_filter=^signal/self/none/"]))
"""

BUILD_IN = """
import sys
from pathlib import Path
sys.path.insert(0, {scripts!r})
from fpubench_cli.errors import UserError
from fpubench_cli.running import build
try:
    build.configure_and_build(Path({folder!r}))
except UserError as e:
    print(e, file=sys.stderr)
    sys.exit(2)
"""


def test_a_results_folder_the_user_cannot_write_is_one_line():
    if os.geteuid() != 0:
        pytest.skip("needs a results folder owned by another user")
    private = Path(tempfile.mkdtemp(prefix="fpubench-results-"))  # root's, 0700
    env = dict(os.environ, FPUBENCH_RESULTS=str(private / "results"))
    out = as_user(paths.SYSTEM_PYTHON, "-c", RUN_WITHOUT_BUILD.format(scripts=str(paths.REPO / "scripts")), env=env)
    shutil.rmtree(private)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    last = out.stderr.strip().splitlines()[-1]
    assert "results" in last and "owner" in last


def test_a_build_folder_the_user_cannot_write_is_one_line():
    if os.geteuid() != 0:
        pytest.skip("needs a build folder owned by another user")
    private = Path(tempfile.mkdtemp(prefix="fpubench-build-"))  # root's, 0700: nothing can be built there
    (private / "CMakeCache.txt").write_text("")
    out = as_user(paths.SYSTEM_PYTHON, "-c", BUILD_IN.format(scripts=str(paths.REPO / "scripts"), folder=str(private)))
    shutil.rmtree(private)
    assert out.returncode == 2 and "not writable by this user" in out.stderr


def test_an_unreadable_or_unmounted_tracefs_is_named_as_such():
    out = as_user(paths.BINARY, "--counters=x86_fpu:x86_fpu_regs_activated", "--benchmark_filter=^signal/self/none/")
    if out.returncode == 0:
        pytest.skip("this user can read tracefs")
    last = out.stderr.strip().splitlines()[-1]
    assert out.returncode == 2 and "tracefs" in last
    assert ("not readable by this user" in last) == os.path.isdir("/sys/kernel/tracing/events")


def test_a_results_folder_the_user_cannot_read_is_one_line():
    if os.geteuid() != 0:
        pytest.skip("needs a folder owned by another user")
    private = Path(tempfile.mkdtemp(prefix="fpubench-private-"))  # 0700, root's
    out = as_user(SCRIPT, "compare", private, private)
    shutil.rmtree(private)
    assert out.returncode == 2 and "not readable by this user" in out.stderr and "Traceback" not in out.stderr
