"""`fpubench system show|tune|reset`: each kernel and machine setting that adds noise to
fpubench's figures, its value here and advice; `tune` (root) applies what is safe and saves the
values it replaced; `reset` restores exactly those (not defaults: pyperf's reset writes defaults,
which is wrong on a machine that was never at them). Every path is read under `root`, so the tests
run on a fake sysfs/procfs tree. The saved values live in /run (tmpfs): they are for this boot,
as the settings themselves are."""
import json
import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from fpubench_cli import idle
from fpubench_cli.errors import UserError

STATE_FILE = "run/fpubench/system-tune.json"


@dataclass
class Setting:
    name: str
    value: str          # what is set now, or "not present" with why
    advice: str         # "" when the value is already the quiet one
    tune: dict = None   # {relative path: new text} that `tune` would write; None or {} when it changes nothing


def _read(root, rel):
    try:
        return (root / rel).read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        return f"unreadable ({e.strerror})"


def _cpus(root):
    """Online CPU numbers ("0-3,8" in cpu/online)."""
    text = _read(root, "sys/devices/system/cpu/online") or "0"
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out += range(int(lo), int(hi or lo) + 1)
    return out


def governor(root):
    paths = {f"sys/devices/system/cpu/cpu{c}/cpufreq/scaling_governor": _read(root, f"sys/devices/system/cpu/cpu{c}/cpufreq/scaling_governor")
             for c in _cpus(root)}
    present = {p: v for p, v in paths.items() if v is not None}
    if not present:
        return Setting("cpufreq governor", "not present (no cpufreq driver: the hypervisor or firmware sets the "
                       "clock)", "")
    values = sorted(set(present.values()))
    slow = {p: "performance" for p, v in present.items() if v != "performance"}
    return Setting("cpufreq governor", ", ".join(values),
                   "performance keeps the clock from ramping between repetitions" if slow else "", slow)


def boost(root):
    for rel, quiet, label in (("sys/devices/system/cpu/intel_pstate/no_turbo", "1", "intel_pstate no_turbo"),
                              ("sys/devices/system/cpu/cpufreq/boost", "0", "cpufreq boost")):
        value = _read(root, rel)
        if value is not None:
            return Setting("turbo/boost", f"{label} = {value}",
                           "" if value == quiet else "turbo makes the clock depend on temperature and on the "
                                                     "other cores' load", {} if value == quiet else {rel: quiet})
    return Setting("turbo/boost", "not present (no boost control here)", "")


def cpuidle(root):
    driver = _read(root, "sys/devices/system/cpu/cpuidle/current_driver")
    hypervisor = "a hypervisor" if "hypervisor" in (_read(root, "proc/cpuinfo") or "") else ""
    if driver is None:
        return Setting("cpuidle", "not present (no cpuidle)", idle.explanation(hypervisor))
    states = []
    base = root / "sys/devices/system/cpu/cpu0/cpuidle"
    if base.is_dir():
        for d in sorted(base.glob("state*"), key=lambda p: int(p.name[5:])):
            states.append(f"{_read(root, d.relative_to(root) / 'name')} ({_read(root, d.relative_to(root) / 'latency')} us)")
    value = f"driver {driver}" + (": " + ", ".join(states) if states else "")
    advice = (idle.explanation(hypervisor) if idle.halts(value) else
              "deep idle states add their exit latency to every wake-up: fpubench holds PM QoS at 0 while it "
              "measures, so idle PUs poll (see pm qos)")
    return Setting("cpuidle", value, advice)


def pm_qos(root):
    path = root / "dev/cpu_dma_latency"
    if not path.exists():
        return Setting("pm qos", "not present (/dev/cpu_dma_latency)", "")
    try:
        with open(path, "rb") as f:
            raw = f.read(4)
        us = struct.unpack('i', raw)[0] if len(raw) == 4 else None
        value = ("unreadable" if us is None else "no request now (the 2000 s default)" if us >= 2_000_000_000
                 else f"{us} us now")
    except OSError as e:
        value = f"unreadable ({e.strerror})"
    return Setting("pm qos", f"/dev/cpu_dma_latency {value}", "held at 0 by every fpubench measurement "
                   "(--no-pm-qos to leave it); nothing to tune")


def isolation(root):
    cmdline = _read(root, "proc/cmdline") or ""
    found = [m.group(0) for m in re.finditer(r"\b(isolcpus|nohz_full|rcu_nocbs)=\S+", cmdline)]
    return Setting("isolcpus/nohz_full/rcu_nocbs", ", ".join(found) or "none on the kernel command line",
                   "" if len(found) == 3 else "boot with isolcpus=, nohz_full= and rcu_nocbs= naming the benchmark "
                                              "PUs to keep the scheduler tick, RCU callbacks and other tasks off them "
                                              "(a boot parameter: tune cannot set it)")


def irqbalance(root):
    proc = root / "proc"
    running = any(_read(root, f"proc/{p.name}/comm") == "irqbalance"
                  for p in (proc.iterdir() if proc.is_dir() else []) if p.name.isdigit())
    return Setting("irqbalance", "running" if running else "not running",
                   "irqbalance moves device interrupts onto the benchmark PUs at any time: stop it while measuring "
                   "(systemctl stop irqbalance; tune does not stop services)" if running else "")


def irq_affinity(root):
    cpus = _cpus(root)
    irqs = sorted((p for p in (root / "proc/irq").glob("[0-9]*") if (p / "smp_affinity_list").exists()),
                  key=lambda p: int(p.name)) if (root / "proc/irq").is_dir() else []
    if not irqs:
        return Setting("irq affinity", "not present (/proc/irq)", "")
    if len(cpus) < 3:
        return Setting("irq affinity", f"{len(irqs)} IRQs; {len(cpus)} PUs, all of them benchmark PUs",
                       "with two PUs a cross-PU benchmark uses both: there is no PU to move device interrupts to")
    keep = f"{cpus[-1]}"  # the benchmarks' default placements start from the first PUs
    moves = {f"proc/irq/{p.name}/smp_affinity_list": keep for p in irqs
             if _read(root, f"proc/irq/{p.name}/smp_affinity_list") != keep}
    return Setting("irq affinity", f"{len(irqs)} IRQs, {len(moves)} may land on the benchmark PUs",
                   f"device interrupts on PU {keep} only, away from the benchmark PUs" if moves else "", moves)


def smt(root):
    active = _read(root, "sys/devices/system/cpu/smt/active")
    control = _read(root, "sys/devices/system/cpu/smt/control")
    if active is None:
        return Setting("smt", "not present", "")
    return Setting("smt", f"active {active}, control {control}",
                   "an SMT sibling shares the core's execution units: keep it idle, or off (echo off > "
                   "/sys/devices/system/cpu/smt/control; tune leaves CPUs online)" if active == "1" else "")


def _sysctl(name, rel, quiet, why, tunable=True):
    def check(root):
        value = _read(root, rel)
        if value is None:
            return Setting(name, f"not present ({rel})", "")
        bad = value != quiet
        return Setting(name, value, why if bad else "", {rel: quiet} if bad and tunable else {})
    return check


def thp(root):
    value = _read(root, "sys/kernel/mm/transparent_hugepage/enabled")
    if value is None:
        return Setting("transparent hugepages", "not present", "")
    current = re.search(r"\[(\w+)\]", value)
    current = current.group(1) if current else value
    bad = current == "always"
    return Setting("transparent hugepages", current,
                   "khugepaged compacts memory behind the benchmark's back: madvise" if bad else "",
                   {"sys/kernel/mm/transparent_hugepage/enabled": "madvise"} if bad else {})


def hypervisor(root):
    cpuinfo = _read(root, "proc/cpuinfo") or ""
    virtual = bool(re.search(r"^flags\s*:.*\bhypervisor\b", cpuinfo, re.M))
    steal = 0
    for line in (_read(root, "proc/stat") or "").splitlines():
        if line.startswith("cpu "):
            fields = line.split()
            steal = int(fields[8]) if len(fields) > 8 else 0
    if not virtual:
        return Setting("hypervisor", "none (bare metal)", "")
    return Setting("hypervisor", f"a virtual machine; steal since boot {steal / 100:.1f} s",
                   "the host's load reaches every figure: compare only runs made in alternation, and read each "
                   "run's disturbed repetitions")


CHECKS = [governor, boost, cpuidle, pm_qos, isolation, irqbalance, irq_affinity, smt,
          _sysctl("aslr", "proc/sys/kernel/randomize_va_space", "0",
                  "address-space randomisation moves code and stacks between runs (alignment noise); set 0 by hand "
                  "if you accept the lower security: tune leaves it", tunable=False),
          thp,
          _sysctl("perf_event_max_sample_rate", "proc/sys/kernel/perf_event_max_sample_rate", "1",
                  "sampling perf events interrupt the benchmark PUs; fpubench only counts"),
          _sysctl("nmi watchdog", "proc/sys/kernel/nmi_watchdog", "0",
                  "the NMI watchdog interrupts every PU periodically"),
          hypervisor]


def show(root=Path("/")):
    return [check(Path(root)) for check in CHECKS]


def state_for_result(root=Path("/")):
    """{'system.<name>': value} for a result's context; compare warns when these differ."""
    return {"system." + s.name.replace(" ", "_").replace("/", "_"): s.value for s in show(root)
            if s.name not in ("hypervisor", "pm qos")}  # steal and the QoS value move by themselves


def format_settings(settings):
    width = max(len(s.name) for s in settings)
    lines = []
    for s in settings:
        lines.append(f"{s.name.ljust(width)}  {s.value}")
        if s.advice:
            lines.append(f"{''.ljust(width)}  -> {s.advice}" + ("  [tune sets it]" if s.tune else ""))
    return "\n".join(lines)


def tune(root=Path("/"), euid=None):
    """Applies every safe change; saves the values replaced (the first ones, if tune ran before on
    this boot). Returns the lines to print."""
    root = Path(root)
    if (os.geteuid() if euid is None else euid) != 0:
        raise UserError("system tune writes kernel settings: run it as root (sudo scripts/fpubench system tune)")
    state_path = root / STATE_FILE
    saved = json.loads(state_path.read_text()) if state_path.exists() else {}
    lines = []
    for s in show(root):
        for rel, new in (s.tune or {}).items():
            old = (root / rel).read_text()
            try:
                (root / rel).write_text(new + "\n")
            except OSError as e:
                lines.append(f"{s.name}: could not write /{rel} ({e.strerror}); left as it was")
                continue
            saved.setdefault(rel, _restorable(rel, old))
            lines.append(f"{s.name}: /{rel} {old.strip()} -> {new}")
            state_path.parent.mkdir(parents=True, exist_ok=True)
            state_path.write_text(json.dumps(saved, indent=1))  # after every write: nothing is lost midway
    return lines or ["nothing to tune: every setting tune may change is already quiet"]


def _restorable(rel, text):
    """What to write back: sysfs choice files show '[current]' among the options."""
    m = re.search(r"\[(\w+)\]", text)
    return m.group(1) if m and rel.startswith("sys/kernel/mm/") else text.strip()


def reset(root=Path("/"), euid=None):
    root = Path(root)
    state_path = root / STATE_FILE
    if not state_path.exists():
        return ["nothing to reset: system tune saved nothing on this boot"]
    if (os.geteuid() if euid is None else euid) != 0:
        raise UserError("system reset writes kernel settings: run it as root (sudo scripts/fpubench system reset)")
    saved = json.loads(state_path.read_text())
    lines = []
    for rel, old in saved.items():
        (root / rel).write_text(old + "\n")
        lines.append(f"/{rel} -> {old}")
    state_path.unlink()
    try:
        state_path.parent.rmdir()  # tune made it for this file alone
    except OSError:
        pass
    return lines
