"""The LAVA QEMU job of integrations/lava run by the real LAVA dispatcher (Debian's lava-run, no
server): Debian's kernel and fpubench's guest initramfs boot under TCG, the test definition runs
in the guest, and LAVA's own results are checked: the job completed, the cases carry
measurements with units (three samples each), the integrity case passed, every skip has its
reason in the log; and the log imports as a run that compare reads."""
import os
import shutil
import subprocess

import pytest

from fpubench_cli import paths
from fpubench_cli.lab import lava_job
from fpubench_cli.linux_guest import guest_kernel

pytestmark = pytest.mark.slow
ROWS = "signal/self/(none|sse)/|xsave/XSAVE/sse/init/"


def needs_lava():
    for tool, package in (("lava-run", "lava-dispatcher"), ("qemu-system-x86_64", "qemu-system-x86")):
        if shutil.which(tool, path="/usr/bin:/usr/sbin:/bin:/sbin") is None:
            pytest.skip(f"{tool} is not installed ({package}; scripts/fpubench test --all installs it)")
    if os.geteuid() != 0:
        pytest.skip("lava-run runs only as root")
    if not paths.BINARY.exists():
        pytest.skip("build/host/fpubench is not built (scripts/fpubench setup)")


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    needs_lava()
    workdir = tmp_path_factory.mktemp("lava")
    status, log, run = lava_job.run_job(guest_kernel.fetch_debian_kernel(), workdir, suite=ROWS, repetitions=3,
                                        quick=True, torture_seconds=2)
    return status, log, run, workdir


def test_the_job_completes_and_lava_records_each_figure_with_its_units(job):
    status, log, run, workdir = job
    assert status == 0, log[-3000:]
    assert '"case": "job"' in log and '"result": "pass"' in log  # LAVA's own verdict on the job
    measured = {n: c for n, c in run.cases.items() if c.samples}
    # signal none, sse and sse's xstate cost, XSAVE sse init: three samples each, with units
    assert len(measured) == 4, sorted(run.cases)
    assert all(len(c.samples) == 3 and c.unit in ("ns", "ticks") for c in measured.values())
    assert run.context["kernel_release"].endswith("-amd64")  # the guest's: Debian's kernel


def test_the_integrity_case_passed_and_every_skip_has_its_reason(job):
    status, log, run, workdir = job
    assert run.cases["fpubench.torture"].result == "pass"
    skips = [n for n, c in run.cases.items() if c.result == "skip"]
    assert skips and all(f"# skip {name}: " in log and run.cases[name].reason for name in skips)
    assert not [n for n, c in run.cases.items() if c.result == "fail"]


def test_both_jobs_pass_the_strict_validation_a_lava_server_applies_on_submission(tmp_path):
    needs_lava()
    import yaml
    from lava_common import schemas
    qemu = lava_job.job_text(tmp_path / "bzImage", tmp_path / "initramfs.cpio.gz")
    schemas.validate(yaml.safe_load(qemu), strict=True, extra_context_variables=[])
    x86 = (lava_job.LAVA_DIR / "x86-job.yaml").read_text()
    schemas.validate(yaml.safe_load(x86), strict=True, extra_context_variables=[])


def test_the_jobs_log_imports_as_a_run_compare_reads(job, tmp_path):
    status, log, run, workdir = job
    env = dict(os.environ, FPUBENCH_RESULTS=str(tmp_path))
    fpubench = str(paths.REPO / "scripts" / "fpubench")
    out = subprocess.run([fpubench, "import", "lava", str(workdir / "lava-run.log"), "--label", "tcg"],
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    out = subprocess.run([fpubench, "compare", "tcg", "tcg"], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and "integrity (tcg): passed" in out.stdout, out.stdout + out.stderr
