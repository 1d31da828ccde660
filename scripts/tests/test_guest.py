"""Full Linux guests: the result channel, vCPU pinning specs, and (where QEMU is installed) a real
TCG boot with two pinned vCPUs, the timeout path and a panicking kernel."""
import json
import os
import shutil
import subprocess
import time

import pytest

from fpubench_cli import paths
from fpubench_cli.errors import UserError
from fpubench_cli.linux_guest import boot, vcpu_pinning


def block(name, text):
    return f"{boot.BEGIN} {name} {len(text.encode())}\n{text}\n{boot.END} {name}\n"


def test_channel_blocks_and_status():
    text = "FPUBENCH-STATUS 0\n" + block("result", '{"a": 1}\n{"b"}') + block("histograms", "{}")
    status, blocks = boot.parse_channel(text)
    assert status == 0
    assert blocks == {"result": '{"a": 1}\n{"b"}', "histograms": "{}"}


def test_a_block_cut_short_is_an_error():
    text = "FPUBENCH-STATUS 0\n" + f"{boot.BEGIN} result 100\n" + '{"truncated'
    with pytest.raises(UserError, match="incomplete"):
        boot.parse_channel(text)


SHOW_PLACEMENTS_ZEN5_VM = """same-pu package:0.core:0.pu:0 package:0.core:0.pu:0
cross-llc package:0.core:0.pu:0 package:0.core:1.pu:0
smt unavailable: no core has two PUs (SMT is off or absent)
shared-l3 unavailable: no two cores have an L3 as their closest shared cache
"""


def test_pinning_specs():
    known = {"shared-l3": ("package:0.core:0.pu:0", "package:0.core:1.pu:0")}
    assert vcpu_pinning.locations_for("shared-l3", 2, known) == list(known["shared-l3"])
    assert vcpu_pinning.locations_for("pu:1,pu:0", 2, known) == ["pu:1", "pu:0"]
    with pytest.raises(UserError, match="one hwloc location per vCPU"):
        vcpu_pinning.locations_for("pu:0", 2, known)


needs_qemu = pytest.mark.skipif(not shutil.which("qemu-system-x86_64"),
                                reason="qemu-system-x86 is not installed (scripts/fpubench setup installs it)")


def test_auto_pinning_takes_the_closest_pair_of_different_pus(capsys):
    # The recorded AMD family 0x1a VM: its two cores share no cache, and that pair is what exists.
    known = vcpu_pinning.parse_placements(SHOW_PLACEMENTS_ZEN5_VM)
    assert set(known) == {"same-pu", "cross-llc"}
    assert vcpu_pinning.locations_for("auto", 2, known) == ["package:0.core:0.pu:0", "package:0.core:1.pu:0"]
    assert "cross-llc" in capsys.readouterr().out
    smt_too = dict(known, smt=("pu:0", "pu:1"))
    assert vcpu_pinning.auto_placement(smt_too) == "smt"


def test_auto_pinning_on_one_pu_shares_it():
    known = {"same-pu": ("package:0.core:0.pu:0", "package:0.core:0.pu:0")}
    assert vcpu_pinning.locations_for("auto", 2, known) == ["package:0.core:0.pu:0"] * 2


def two_pus():
    return "auto"


@pytest.mark.slow
@needs_qemu
def test_tcg_guest_with_two_pinned_vcpus_stores_both_contexts(tmp_path):
    start = time.monotonic()
    final = boot.run_guest(accel="tcg", smp=2, pin=two_pus(), label="t", quick=True,
                            extra=["--benchmark_filter=xsave/XSAVE/sse/init|signal/self/none"],
                            timeout=300, results_dir=tmp_path, do_setup=False)
    print(f"TCG guest run took {time.monotonic() - start:.1f} s")
    data = json.loads(final.read_text())
    c = data["context"]
    assert c["accelerator"] == "tcg" and c["timing_validity"].startswith("functional only")
    assert c["kernel_release"] and c["host.kernel_release"] and c["host.kernel_release"] != c["kernel_release"]
    assert "vCPU0->" in c["vcpu_pinning"] and "vCPU1->" in c["vcpu_pinning"]
    assert "-smp 2" in c["qemu_command"]
    assert {b["run_name"].split("/manual_time")[0] for b in data["benchmarks"]} == {"xsave/XSAVE/sse/init", "signal/self/none"}
    assert final.with_name(final.stem + ".histograms.json").exists()


@pytest.mark.slow
@needs_qemu
def test_timeout_kills_qemu_and_shows_the_console(tmp_path):
    with pytest.raises(UserError, match="QEMU was killed") as e:
        boot.run_guest(accel="tcg", smp=1, pin="", label="t", quick=True, timeout=1,
                        results_dir=tmp_path, do_setup=False)
    assert "Console tail" in str(e.value)
    assert not (tmp_path / "t").exists() or not list((tmp_path / "t").iterdir())


@pytest.mark.slow
@needs_qemu
def test_a_panicking_kernel_is_a_clear_error(tmp_path):
    with pytest.raises(UserError, match="panicked"):
        boot.run_guest(accel="tcg", smp=1, pin="", label="t", append="rdinit=/nonexistent", quick=True,
                        timeout=120, results_dir=tmp_path, do_setup=False)


def test_ab_labels_differ_even_for_one_image_and_boots_alternate():
    from fpubench_cli.linux_guest import ab
    assert ab.labels_for(["debian", "debian"]) == ["ab-A-debian", "ab-B-debian"]
    assert ab.boot_order(2) == [(1, 0), (1, 1), (2, 0), (2, 1)]
    with pytest.raises(UserError, match="give --kernel twice"):
        ab.labels_for(["debian"])
    with pytest.raises(UserError, match="no such file"):
        ab.labels_for(["debian", "/nonexistent/bzImage"])


@pytest.mark.slow
@needs_qemu
def test_ab_under_tcg_stores_each_boot_as_a_run_and_gives_no_timing_verdict(tmp_path):
    env = dict(os.environ, FPUBENCH_RESULTS=str(tmp_path))
    out = subprocess.run([str(paths.REPO / "scripts" / "fpubench"), "ab", "--kernel", "debian", "--kernel", "debian",
                          "--boots", "2", "--accel", "tcg", "--quick", "--",
                          "--benchmark_filter=^(signal/self/(none|sse)|reference/user-loop)/"],
                         capture_output=True, text=True, env=env, timeout=900)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    for label in ("ab-A-debian", "ab-B-debian"):
        assert len([f for f in (tmp_path / label).glob("*Z*.json") if not f.name.endswith(".histograms.json")]) == 2
    assert "functional only" in out.stdout and "runs: ab-A-debian 2, ab-B-debian 2" in out.stdout
    assert " slower" not in out.stdout and " faster" not in out.stdout
    assert (tmp_path / "reports" / "ab-A-debian_vs_ab-B-debian.html").exists()


@pytest.mark.slow
@needs_qemu
def test_a_guest_run_is_labelled_by_the_guests_kernel_and_records_the_fpubench_commit(tmp_path):
    final = boot.run_guest(accel="tcg", smp=1, pin="", label=None, quick=True,
                            extra=["--benchmark_filter=signal/self/none"], timeout=300, results_dir=tmp_path,
                            do_setup=False)
    c = json.loads(final.read_text())["context"]
    assert final.parent.name == f"guest-{c['kernel_release']}" != f"guest-{c['host.kernel_release']}"
    assert c["fpubench_commit"] not in ("", "-")
