"""What a benchmark row is, as fields: the schema the binary owns (host/plan/row.h) and writes as
each result entry's "row", and lists with `build/host/fpubench plan --json`. Everything in
fpubench reads these fields. Result files from before the binary wrote them get the same fields
from the benchmark's name, here: the one place that knows how names are built."""
import re
from dataclasses import dataclass, fields, replace


# Google Benchmark appends run settings to names; fpubench uses the bare benchmark name.
_SUFFIX = re.compile(r"/(manual_time|real_time|process_time|iterations:\d+|repeats:\d+|"
                     r"min_time:[0-9.]+|min_warmup_time:[0-9.]+|threads:\d+)$")


def bare_name(name):
    while True:
        stripped = _SUFFIX.sub("", name)
        if stripped == name:
            return name
        name = stripped


def name_of(entry):
    """A result entry's benchmark, without Google Benchmark's suffixes."""
    return bare_name(entry.get("run_name", entry.get("name", "")))


@dataclass(frozen=True)
class Row:
    suite: str = ""          # pingpong, signal, kvm, xsave, reference
    family: str = ""         # the rows that differ only in FPU state: the name without `variant`
    variant: str = ""        # the rest of the name
    mechanism: str = ""      # futex ... spin, signal, pio-exit, irqfd-pingpong, XSAVE ..., user-loop
    placement: str = ""      # same-pu, cross-llc, ...; "" for one thread
    state: str = ""          # the measuring thread's FPU state (component set; host-init/-dirty in KVM exits)
    partner_state: str = ""  # the partner thread's, or the guest's
    condition: str = ""      # xsave: init, modified, unmodified
    baseline: str = ""       # the row this row's xstate cost is measured against
    cost_figure: str = ""    # the counter of this row's own entries holding its xstate cost, measured
                             # against the baseline's state in time-paired blocks; "": the cost is this
                             # row's figure minus the baseline's, per repetition (two benchmarks)
    figure: str = ""         # the counter the row is judged by
    unit: str = ""           # of that figure
    selfcheck: str = ""      # --selfcheck's variant, "" otherwise
    role: str = ""           # what can move it: kernel, control (user mode alone, steady), kernel-free
    better: str = ""         # which way of the figure is better: lower

    @property
    def name(self):
        return f"{self.family}/{self.variant}" if self.variant else self.family

    @property
    def kernel_free(self):
        """No system call in the timed region: the machine's speed, not the kernel's."""
        return self.role in ("control", "kernel-free")

    @property
    def is_cost(self):
        """The xstate cost of a row (cost_row), not a benchmark of its own."""
        return self.family.startswith(COST_PREFIX)

    @property
    def control(self):
        """Kernel-free and steady: the evidence of the machine's own speed in a run."""
        return self.role == "control"

    @property
    def held_state(self):
        """The component set whose copying the row's xstate cost is about ("none": nothing held)."""
        if self.suite == "kvm":
            return self.partner_state or "none"
        return self.state if self.state not in ("", "none") else (self.partner_state or "none")

    @property
    def partner_only(self):
        """Only the partner holds the state (the measuring thread stays in init)."""
        return self.state == "none" and self.partner_state not in ("", "none")


FIELDS = [f.name for f in fields(Row)]


def of_entry(entry):
    """The Row of one result entry: its "row" fields, or (an older file) its name's."""
    given = entry.get("row")
    if isinstance(given, dict):
        row = Row(**{k: str(given[k]) for k in FIELDS if isinstance(given.get(k), str)})
        return row if row.role else _with_role(row)  # written before the binary said the role
    return from_name(name_of(entry))


def _with_role(row):
    """A row of an older file with the role and direction the binary gives its rows now."""
    if row.suite in ("reference", "xsave"):
        role = "control"
    else:
        role = "kernel-free" if row.mechanism == "spin" else "kernel"
    return replace(row, role=role, better="lower")


COST_PREFIX = "xstate-cost/"


def cost_row(row):
    """The xstate-cost row derived from `row` (its difference to its baseline, per repetition)."""
    return replace(row, family=COST_PREFIX + row.family, condition="", baseline="", cost_figure="", selfcheck="")


# Names as the binary built them before it wrote fields (host/*/..._bench.cc).
_SELFCHECK = re.compile(r"^selfcheck/(?P<variant>a|a-again|inject)/(?P<name>.+)$")
_PINGPONG = re.compile(r"^(?P<family>pingpong/(?P<mechanism>[^/]+)/(?P<placement>[^/]+))/(?P<variant>[^/]+)$")
_SIGNAL = re.compile(r"^(?P<family>signal/self)/(?P<variant>[^/]+)$")
_KVM_EXIT = re.compile(r"^(?P<family>kvm/(?P<mechanism>pio-exit|mmio-exit))/(?P<guest>guest-[^/]+)/(?P<host>host-[^/]+)$")
_KVM_IRQFD = re.compile(r"^(?P<family>kvm/irqfd-pingpong/(?P<placement>[^/]+))/(?P<guest>guest-[^/]+)$")
_KVM_IPI = re.compile(r"^kvm/ipi-pingpong/(?P<placement>[^/]+)$")
_KVM_INKERNEL = re.compile(r"^kvm/inkernel-exit/(?P<variant>[^/]+)$")
_KVM_XSAVE = re.compile(r"^kvm/xsave/(?P<insn>[^/]+)/all$")
_XSAVE = re.compile(r"^(?P<family>xsave/(?P<insn>[^/]+))/(?P<set>[^/]+)/(?P<condition>[^/]+)$")


def _guest_set(guest_state):
    s = guest_state.removeprefix("guest-")
    return "none" if s == "init" else s


def from_name(name):
    return _with_role(_from_name(name))


def _from_name(name):
    if name.startswith(COST_PREFIX):
        return cost_row(_from_name(name[len(COST_PREFIX):]))
    m = _SELFCHECK.match(name)
    if m:
        row = _from_name(m["name"])
        return replace(row, baseline="", selfcheck=m["variant"])
    if m := _PINGPONG.match(name):
        s = m["variant"].removesuffix("-pong")
        return Row("pingpong", m["family"], m["variant"], m["mechanism"], m["placement"],
                   "none" if m["variant"].endswith("-pong") else s, s,
                   baseline="" if s == "none" else f"{m['family']}/none", figure="rtt_p50_ns", unit="ns")
    if m := _SIGNAL.match(name):
        return Row("signal", m["family"], m["variant"], "signal", state=m["variant"],
                   baseline="" if m["variant"] == "none" else f"{m['family']}/none", figure="rtt_p50_ns", unit="ns")
    if m := _KVM_EXIT.match(name):
        base = "" if m["guest"] == "guest-init" else f"{m['family']}/guest-init/{m['host']}"
        return Row("kvm", m["family"], f"{m['guest']}/{m['host']}", m["mechanism"], state=m["host"],
                   partner_state=_guest_set(m["guest"]), baseline=base, figure="rtt_p50_ns", unit="ns")
    if m := _KVM_IRQFD.match(name):
        base = "" if m["guest"] == "guest-init" else f"{m['family']}/guest-init"
        return Row("kvm", m["family"], m["guest"], "irqfd-pingpong", m["placement"],
                   partner_state=_guest_set(m["guest"]), baseline=base, figure="rtt_p50_ns", unit="ns")
    if m := _KVM_IPI.match(name):
        return Row("kvm", "kvm/ipi-pingpong", m["placement"], "ipi-pingpong", m["placement"],
                   figure="rtt_p50_ns", unit="ns")
    if m := _KVM_INKERNEL.match(name):
        return Row("kvm", "kvm/inkernel-exit", m["variant"], f"{m['variant']}-exit", figure="ns_per_op", unit="ns")
    if m := _KVM_XSAVE.match(name):
        return Row("kvm", "kvm/xsave", f"{m['insn']}/all", m["insn"], state="all", figure="ns_per_op", unit="ns")
    if m := _XSAVE.match(name):
        return Row("xsave", m["family"], f"{m['set']}/{m['condition']}", m["insn"], state=m["set"],
                   condition=m["condition"], figure="ticks_per_insn", unit="ticks")
    if name == "reference/user-loop":
        return Row("reference", name, mechanism="user-loop", figure="ns_per_op", unit="ns")
    return Row(name.split("/")[0], name)  # not a name fpubench made: a family of its own
