"""One run's result files as a lab's test cases: every figure of every row with one sample per
repetition, the xstate cost of a row with a baseline beside it, what the binary skipped with its
reason, and the integrity torture and the self-check as pass/fail cases without a measurement."""
from dataclasses import dataclass, field

from fpubench_cli.analysis import result_sets
from fpubench_cli.errors import UserError
from fpubench_cli.lab import case_names

PASS, FAIL, SKIP = "pass", "fail", "skip"


@dataclass
class Case:
    name: str
    result: str                                   # pass, fail or skip
    samples: list = field(default_factory=list)   # one value per repetition ([] : no measurement)
    unit: str = ""
    reason: str = ""                              # why it was skipped or failed
    row: dict = field(default_factory=dict)       # the row's fields (measured cases)
    cost: bool = False                            # the row's xstate cost (its difference to the baseline)


@dataclass
class Run:
    """What one lab job reports: its cases and the context of the run."""
    cases: list
    context: dict


def _measured(path, data):
    """The binary's lab names ("lab" in every entry) with one sample per repetition, in the order run."""
    cases = {}
    for e in data.get("benchmarks", []):
        if e.get("run_type", "iteration") != "iteration" or e.get("error_occurred"):
            continue
        lab, row = e.get("lab"), e.get("row")
        if not isinstance(lab, dict) or not isinstance(row, dict):
            raise UserError(f"{path}: {e.get('name')} has no lab name: the file is from an fpubench older than "
                            f"its export; run again with this one")
        for key, figure in (("figure", row.get("figure")), ("cost", row.get("cost_figure"))):
            name = lab.get(key)
            if not name or figure not in e:
                continue
            if not case_names.valid(name):
                raise UserError(f"{path}: '{name}' is not a name a lab takes (dot-separated [a-z0-9_-], at most "
                                f"{case_names.MAX_LENGTH} characters): the file was edited; run again")
            case = cases.setdefault(name, Case(name, PASS, unit=row.get("unit", ""), row=row, cost=key == "cost"))
            if case.row != row or case.cost != (key == "cost"):  # a lab would merge the two into one case
                raise UserError(f"{path}: two rows would share the lab name {name} ({e.get('name')} and another): "
                                f"it cannot be exported without mixing their figures; report this as a bug")
            case.samples.append(float(e[figure]))
    return list(cases.values())


def _skipped(context):
    return [Case(case_names.name_of("skipped", key.removeprefix("skipped.")), SKIP, reason=str(why))
            for key, why in context.items() if key.startswith("skipped.")]


def _torture(summary):
    verdict = summary.get("verdict", "")
    if summary.get("passed"):
        cases = [Case(case_names.name_of("torture", ""), PASS)]
    elif verdict == "nothing tested":
        cases = [Case(case_names.name_of("torture", ""), SKIP, reason="no scenario could run on this machine")]
    else:
        cases = [Case(case_names.name_of("torture", ""), FAIL, reason=verdict or "failed")]
    for s in summary.get("scenarios", []):
        name = case_names.name_of("torture", s["name"])
        status = s.get("status")
        if status == "ok":
            cases.append(Case(name, PASS))
        elif status in ("skipped", "not run"):
            cases.append(Case(name, SKIP, reason=s.get("skipped") or "not run in the time given"))
        else:
            cases.append(Case(name, FAIL, reason=s.get("corruption") or s.get("error") or str(status)))
    return cases


def _selfcheck(summary):
    name = case_names.name_of("selfcheck", summary["benchmark"] + ("/cost" if summary.get("cost") else ""))
    found = summary.get("smallest_detected_ns")
    if found is None:
        return [Case(name, FAIL, reason="no injected delay was detected")]
    return [Case(name, PASS, reason=f"smallest injected delay detected: {found:.0f} ns")]


def of_file(path):
    """The cases and context of one result, torture or self-check file."""
    data = result_sets.load_file(path)
    context = data.get("context", {})
    cases = _measured(path, data) + _skipped(context)
    if isinstance(data.get("torture"), dict):
        cases += _torture(data["torture"])
    if isinstance(data.get("selfcheck"), dict):
        cases += _selfcheck(data["selfcheck"])
    return Run(cases, context)


def of_files(paths):
    """One Run per file; a name two cases of one run share is an error (a lab would merge them)."""
    runs = []
    for path in paths:
        for f in result_sets.result_files(path):
            run = of_file(f)
            seen = set()
            for c in run.cases:
                if c.name in seen:
                    raise UserError(f"{f}: two cases would share the lab name {c.name}, which a lab would "
                                    f"merge: this result cannot be exported; report it as a bug")
                seen.add(c.name)
            runs.append(run)
    if not runs:
        raise UserError("nothing to export: give result files, folders of them or labels")
    return runs
