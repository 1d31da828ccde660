"""Rows of result files from before the binary wrote them whole: the one place that parses
benchmark names. A file without fpubench_schema (Google Benchmark wrote it) gets its rows from its
names as the binary built them then (host/*/..._bench.cc); one of fpubench_schema 2 has rows
without their name and, the oldest, without their role. result_sets says when it reads one."""
import re
from dataclasses import replace

from fpubench_cli.analysis import schema
from fpubench_cli.analysis.schema import Row
from fpubench_cli.errors import UserError

WHAT = "its rows are read from benchmark names (scripts/fpubench_cli/analysis/legacy_names.py)"

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
    return bare_name(str(entry.get("run_name", entry.get("name", ""))))


def name_for(fields):
    """A row's name made from its fields as row_name in host/plan/suite_plan.cc makes it, for a row written
    before rows said their names (fpubench_schema 2)."""
    name = f"{fields['family']}/{fields['variant']}" if fields.get("variant") else fields.get("family", "")
    return f"selfcheck/{fields['selfcheck']}/{name}" if fields.get("selfcheck") else name


def row_of(entry, where):
    """The Row of an entry of an older file: its row fields completed, or its name's."""
    given = entry.get("row")
    if isinstance(given, dict):
        kept = {k: str(given[k]) for k in schema.FIELDS if isinstance(given.get(k), str)}
        row = Row(**kept | {"name": kept.get("name") or name_for(kept)})
    else:
        row = from_name(name_of(entry), where)
    return row if row.role else with_role(row)


def with_role(row):
    """A row of an older file with the role and direction the binary gives its rows now."""
    return replace(row, role=role_of(row.suite, row.mechanism), better="lower")


def role_of(suite, mechanism):
    """The role the binary gives a row of this suite and mechanism (host/plan/suite_plan.h), for rows that
    do not say it: an older file's, or one imported from a lab, whose case names leave it out."""
    if suite in ("reference", "xsave"):
        return "control"
    return "kernel-free" if mechanism == "spin" else "kernel"


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


def from_name(name, where="-"):
    """The Row a benchmark name of an older file stands for; a name fpubench never made is an error."""
    row = _from_name(name)
    if row is None:
        raise UserError(f"{where}: '{name[:100]}' is not a benchmark fpubench made, and the file predates "
                        f"fpubench_schema (no row says what it is): remove the entry or run again")
    return with_role(replace(row, name=name))


def _from_name(name):
    if name.startswith(schema.COST_PREFIX):
        row = _from_name(name[len(schema.COST_PREFIX):])
        return row and schema.cost_row(replace(row, name=name[len(schema.COST_PREFIX):]))
    m = _SELFCHECK.match(name)
    if m:
        row = _from_name(m["name"])
        return row and replace(row, baseline="", selfcheck=m["variant"])
    if m := _PINGPONG.match(name):
        s = m["variant"].removesuffix("-pong")
        return Row(suite="pingpong", family=m["family"], variant=m["variant"], mechanism=m["mechanism"],
                   placement=m["placement"], state="none" if m["variant"].endswith("-pong") else s,
                   partner_state=s, baseline="" if s == "none" else f"{m['family']}/none",
                   figure="rtt_p50_ns", unit="ns")
    if m := _SIGNAL.match(name):
        return Row(suite="signal", family=m["family"], variant=m["variant"], mechanism="signal", state=m["variant"],
                   baseline="" if m["variant"] == "none" else f"{m['family']}/none", figure="rtt_p50_ns", unit="ns")
    if m := _KVM_EXIT.match(name):
        base = "" if m["guest"] == "guest-init" else f"{m['family']}/guest-init/{m['host']}"
        return Row(suite="kvm", family=m["family"], variant=f"{m['guest']}/{m['host']}", mechanism=m["mechanism"],
                   state=m["host"], partner_state=_guest_set(m["guest"]), baseline=base,
                   figure="rtt_p50_ns", unit="ns")
    if m := _KVM_IRQFD.match(name):
        base = "" if m["guest"] == "guest-init" else f"{m['family']}/guest-init"
        return Row(suite="kvm", family=m["family"], variant=m["guest"], mechanism="irqfd-pingpong",
                   placement=m["placement"], partner_state=_guest_set(m["guest"]), baseline=base,
                   figure="rtt_p50_ns", unit="ns")
    if m := _KVM_IPI.match(name):
        return Row(suite="kvm", family="kvm/ipi-pingpong", variant=m["placement"], mechanism="ipi-pingpong",
                   placement=m["placement"], figure="rtt_p50_ns", unit="ns")
    if m := _KVM_INKERNEL.match(name):
        return Row(suite="kvm", family="kvm/inkernel-exit", variant=m["variant"], mechanism=f"{m['variant']}-exit",
                   figure="ns_per_op", unit="ns")
    if m := _KVM_XSAVE.match(name):
        return Row(suite="kvm", family="kvm/xsave", variant=f"{m['insn']}/all", mechanism=m["insn"], state="all",
                   figure="ns_per_op", unit="ns")
    if m := _XSAVE.match(name):
        return Row(suite="xsave", family=m["family"], variant=f"{m['set']}/{m['condition']}", mechanism=m["insn"],
                   state=m["set"], condition=m["condition"], figure="ticks_per_insn", unit="ticks")
    if name == "reference/user-loop":
        return Row(suite="reference", family=name, mechanism="user-loop", figure="ns_per_op", unit="ns")
    return None
