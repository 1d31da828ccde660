"""What a benchmark row is, as fields: the schema the binary owns (host/plan/suite_plan.h) and writes as
each result entry's "row" (fpubench_schema 3, the row's name among them), and lists with
`build/host/fpubench plan --json`. Python reads these fields and parses no benchmark name: a file
from before the binary wrote its rows whole is read by analysis/legacy_names, which says so."""
from dataclasses import dataclass, fields, replace

from fpubench_cli.errors import UserError

CURRENT = 3  # host/app/result_file.h kResultSchemaVersion
ROLES = ("kernel", "control", "kernel-free")
BETTER = ("lower",)


@dataclass(frozen=True)
class Row:
    name: str = ""           # the benchmark, as the binary names it (row_name in host/plan/suite_plan.cc)
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
    def kernel_free(self):
        """No system call in the timed region: the machine's speed, not the kernel's."""
        return self.role in ("control", "kernel-free")

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
_NEEDED = ("name", "suite", "family", "figure", "unit", "role", "better")


def of_entry(entry, where):
    """The Row of one entry of a current file (fpubench_schema CURRENT): its "row", which must be
    whole and known; anything else is one UserError line naming `where` (the file)."""
    given = entry.get("row")
    what = f"{where}: the entry {str(entry.get('name', '?'))[:80]!r}"
    if not isinstance(given, dict):
        raise UserError(f"{what} has no row, although the file is fpubench_schema {CURRENT}, whose every "
                        f"entry has one: the file was edited or cut; run again")
    unknown = sorted(set(given) - set(FIELDS))
    missing = [k for k in _NEEDED if not (isinstance(given.get(k), str) and given[k])]
    odd = [k for k in FIELDS if k in given and not isinstance(given[k], str)]
    if unknown or missing or odd:
        why = (f"unknown fields {', '.join(unknown)}" if unknown else
               f"{', '.join(odd)} not text" if odd else f"no {', '.join(missing)}")
        raise UserError(f"{what} has a row this fpubench does not know ({why}): run the same checkout's "
                        f"binary, or update this checkout")
    row = Row(**given)
    if row.role not in ROLES or row.better not in BETTER:
        raise UserError(f"{what} has a row with role {row.role!r}, better {row.better!r}; this fpubench knows "
                        f"roles {', '.join(ROLES)} and better {', '.join(BETTER)}: update this checkout")
    return row


def check_version(data, where):
    """None for a current file; a newer one is an error (its rows may mean what this code does not know)."""
    version = data.get("fpubench_schema")
    if version is None or version == CURRENT:
        return
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UserError(f"{where}: fpubench_schema is {version!r}, not a version number: the file was edited; run again")
    if version > CURRENT:
        raise UserError(f"{where} is fpubench_schema {version}, newer than this fpubench reads ({CURRENT}): "
                        f"update this checkout")


COST_PREFIX = "xstate-cost/"


def cost_row(row):
    """The xstate-cost row derived from `row`: its difference to its baseline, per repetition."""
    return replace(row, name=COST_PREFIX + row.name, family=COST_PREFIX + row.family, condition="", baseline="",
                   cost_figure="", selfcheck="")
