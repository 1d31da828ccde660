"""system show|tune|reset on fake sysfs/procfs trees: a tuned-then-reset machine is as it was, a
machine without cpufreq or cpuidle says "not present" per check, and misuse is one line."""
import shutil
import struct
import subprocess

import pytest

from fpubench_cli import paths
from fpubench_cli.errors import UserError
from fpubench_cli.running import system_settings as ss


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def noisy(tmp_path):
    """A 4-PU bare-metal-like machine with every noisy setting on."""
    root = tmp_path / "root"
    write(root, "sys/devices/system/cpu/online", "0-3\n")
    for c in range(4):
        write(root, f"sys/devices/system/cpu/cpu{c}/cpufreq/scaling_governor", "powersave\n")
    write(root, "sys/devices/system/cpu/cpufreq/boost", "1\n")
    write(root, "sys/devices/system/cpu/cpuidle/current_driver", "intel_idle\n")
    for i, (name, lat) in enumerate([("POLL", 0), ("C1", 2), ("C6", 170)]):
        write(root, f"sys/devices/system/cpu/cpu0/cpuidle/state{i}/name", name + "\n")
        write(root, f"sys/devices/system/cpu/cpu0/cpuidle/state{i}/latency", f"{lat}\n")
    write(root, "sys/devices/system/cpu/smt/active", "1\n")
    write(root, "sys/devices/system/cpu/smt/control", "on\n")
    write(root, "proc/cmdline", "root=/dev/sda1 quiet\n")
    for irq, aff in ((1, "0-3"), (24, "0-3"), (25, "3")):
        write(root, f"proc/irq/{irq}/smp_affinity_list", aff + "\n")
    write(root, "proc/123/comm", "irqbalance\n")
    write(root, "proc/sys/kernel/randomize_va_space", "2\n")
    write(root, "sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n")
    write(root, "proc/sys/kernel/perf_event_max_sample_rate", "100000\n")
    write(root, "proc/sys/kernel/nmi_watchdog", "1\n")
    write(root, "proc/cpuinfo", "processor : 0\nflags : fpu sse hypervisor\n")
    write(root, "proc/stat", "cpu  1 2 3 4 5 6 7 250 0 0\n")
    (root / "dev").mkdir()
    (root / "dev/cpu_dma_latency").write_bytes(struct.pack("i", 2_000_000_000))
    return root


def values(root):
    return {s.name: s.value for s in ss.show(root)}


def test_show_names_every_noisy_setting_with_its_value_and_advice(noisy):
    shown = {s.name: s for s in ss.show(noisy)}
    assert shown["cpufreq governor"].value == "powersave" and "performance" in shown["cpufreq governor"].advice
    assert shown["turbo/boost"].value == "cpufreq boost = 1"
    assert shown["cpuidle"].value == "driver intel_idle: POLL (0 us), C1 (2 us), C6 (170 us)"
    assert shown["pm qos"].value == "/dev/cpu_dma_latency no request now (the 2000 s default)"
    assert shown["isolcpus/nohz_full/rcu_nocbs"].value == "none on the kernel command line"
    assert shown["irqbalance"].value == "running" and "systemctl stop irqbalance" in shown["irqbalance"].advice
    assert shown["irq affinity"].value == "3 IRQs, 2 may land on the benchmark PUs"
    assert shown["smt"].value == "active 1, control on"
    assert shown["aslr"].value == "2" and not shown["aslr"].tune
    assert shown["transparent hugepages"].value == "always"
    assert shown["hypervisor"].value == "a virtual machine; steal since boot 2.5 s"
    assert "[tune sets it]" in ss.format_settings(ss.show(noisy))


def test_tune_then_reset_leaves_every_value_as_it_was(noisy):
    before = values(noisy)
    lines = ss.tune(noisy, euid=0)
    tuned = values(noisy)
    assert tuned["cpufreq governor"] == "performance" and tuned["turbo/boost"] == "cpufreq boost = 0"
    assert tuned["transparent hugepages"] == "madvise" and tuned["nmi watchdog"] == "0"
    assert tuned["perf_event_max_sample_rate"] == "1" and tuned["aslr"] == "2"
    assert (noisy / "proc/irq/24/smp_affinity_list").read_text().strip() == "3"
    assert any("scaling_governor powersave -> performance" in line for line in lines)
    ss.tune(noisy, euid=0)  # a second tune must not save the tuned values over the originals
    ss.reset(noisy, euid=0)
    assert values(noisy) == before
    assert (noisy / "proc/irq/1/smp_affinity_list").read_text().strip() == "0-3"
    assert not (noisy / ss.STATE_FILE).exists()
    assert ss.reset(noisy, euid=0) == ["nothing to reset: system tune saved nothing on this boot"]


def test_a_machine_without_cpufreq_or_cpuidle_says_not_present_per_check(tmp_path):
    root = tmp_path / "bare"
    write(root, "sys/devices/system/cpu/online", "0-1\n")
    shown = {s.name: s.value for s in ss.show(root)}
    for name in ("cpufreq governor", "turbo/boost", "cpuidle", "pm qos", "smt", "transparent hugepages"):
        assert shown[name].startswith("not present"), name
    assert ss.tune(root, euid=0) == ["nothing to tune: every setting tune may change is already quiet"]


def test_tune_as_an_ordinary_user_is_one_line_naming_root(noisy):
    with pytest.raises(UserError, match="run it as root"):
        ss.tune(noisy, euid=1000)
    assert values(noisy)["cpufreq governor"] == "powersave"


def test_an_unknown_verb_is_one_line_and_status_2():
    out = subprocess.run([paths.SYSTEM_PYTHON,
                          str(paths.REPO / "scripts/fpubench"), "system", "bogus"], capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == ["fpubench: system takes show, tune or reset, got 'bogus'"]


def test_a_result_records_the_settings_that_compare_checks(noisy):
    state = ss.state_for_result(noisy)
    assert state["system.cpufreq_governor"] == "powersave"
    assert "system.hypervisor" not in state  # steal grows by itself: not a difference between kernels


def test_compare_warns_when_a_recorded_setting_differs_between_the_labels():
    from fpubench_cli.analysis import compare
    diff, warnings = compare.environment_diff({"system.cpufreq_governor": "powersave", "kernel_release": "a"},
                                              {"system.cpufreq_governor": "performance", "kernel_release": "b"})
    assert ("system.cpufreq_governor", "powersave", "performance") in diff
    assert warnings and "system.cpufreq_governor" in warnings[0]


def test_no_cpuidle_driver_in_a_vm_explains_the_cross_pu_figure_and_the_remedies(noisy):
    write(noisy, "sys/devices/system/cpu/cpuidle/current_driver", "none\n")
    shutil.rmtree(noisy / "sys/devices/system/cpu/cpu0/cpuidle")
    shown = {s.name: s for s in ss.show(noisy)}["cpuidle"]
    assert shown.value == "driver none"
    assert "cross-PU round trip" in shown.advice and "hypervisor to wake the halted vCPU" in shown.advice
    assert "idle=poll" in shown.advice and "cpuidle_haltpoll.force=1" in shown.advice and "same-PU rows" in shown.advice
