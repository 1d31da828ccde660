"""One measurement at a time per machine, and PM QoS held while measuring: the Python side (a full
guest) and the binary share one lock file, so each excludes the other."""
import json
import struct
import subprocess
import threading
import time

import pytest

from fpubench_cli import paths
from fpubench_cli.errors import UserError
from fpubench_cli.running import measuring


@pytest.fixture
def lock(tmp_path, monkeypatch):
    path = tmp_path / "fpubench.lock"
    monkeypatch.setenv("FPUBENCH_LOCK", str(path))
    return path


def test_a_second_measurement_that_must_not_wait_is_refused_and_named_the_holder(lock):
    with measuring.machine_lock("guest") as alone:
        assert alone == "yes"
        with pytest.raises(UserError, match=r"another measurement is running on this machine \(pid \d+, "
                                            r"fpubench guest, since .*--no-wait"):
            with measuring.machine_lock("benchmarks", wait=False):
                pass


def test_a_second_measurement_waits_then_records_whom_it_waited_for(lock, capsys):
    first = measuring.machine_lock("guest")
    first.__enter__()
    threading.Timer(0.2, lambda: first.__exit__(None, None, None)).start()
    with measuring.machine_lock("benchmarks") as alone:
        assert alone.startswith("yes, after waiting for pid ") and "fpubench guest" in alone
    assert "waiting for another measurement" in capsys.readouterr().err


def test_the_binary_refuses_while_the_python_side_measures(lock):
    with measuring.machine_lock("guest"):
        out = subprocess.run([str(paths.BINARY), "--benchmark_filter=^reference/", "--benchmark_repetitions=1",
                              "--benchmark_min_time=0.001", "--no-wait"], capture_output=True, text=True,
                             timeout=60)
    assert out.returncode != 0
    errors = [line for line in out.stderr.splitlines() if "another measurement" in line]
    assert len(errors) == 1 and "fpubench guest" in errors[0] and "--no-wait" in errors[0]


def test_the_binary_records_that_it_measured_alone_and_its_pm_qos(lock, tmp_path):
    out = tmp_path / "r.json"
    subprocess.run([str(paths.BINARY), "--benchmark_filter=^reference/", "--benchmark_repetitions=1",
                    "--benchmark_min_time=0.001", f"--benchmark_out={out}"], capture_output=True, check=True,
                   timeout=60)
    context = json.loads(out.read_text())["context"]
    assert context["measured_alone"] == "yes"
    assert context["pm_qos.cpu_dma_latency"] in ("held at 0 us", "not present (/dev/cpu_dma_latency)") \
        or context["pm_qos.cpu_dma_latency"].startswith("not held: ")
    assert lock.read_text() == ""  # released, and the holder line with it


def test_pm_qos_writes_a_binary_zero_and_keeps_it_while_inside(tmp_path):
    device = tmp_path / "cpu_dma_latency"
    device.write_bytes(b"")
    with measuring.pm_qos(device=str(device)) as state:
        assert state == "held at 0 us"
        assert device.read_bytes() == struct.pack("i", 0)
    with measuring.pm_qos(device=str(tmp_path / "missing")) as state:
        assert state.startswith("not present")
    with measuring.pm_qos(on=False) as state:
        assert state == "off (--no-pm-qos)"


def test_an_unwritable_lock_folder_is_one_line_naming_fpubench_lock(monkeypatch):
    monkeypatch.setenv("FPUBENCH_LOCK", "/nonexistent-folder/fpubench.lock")
    with pytest.raises(UserError, match="FPUBENCH_LOCK"):
        with measuring.machine_lock("guest"):
            time.sleep(0)
