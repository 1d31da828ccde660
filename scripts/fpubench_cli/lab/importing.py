"""`fpubench import lava|lkp|kcidb FILE... --label L`: a lab's results as fpubench result files in
results/<L>/, one per run (a LAVA job, an LKP stats file, a run of a KCIDB submission), which
compare, plot and report read as they read local runs.

A row comes back from its lab name (case_names.fields_of): its fields, its figure with one entry
per sample (repetition), and its xstate cost beside it as the entry's cost figure. The display
name of an imported row is made of those fields ("pingpong/futex/same-pu/fpu-avx512/peer-avx512"),
so imported labels compare with imported labels."""
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from fpubench_cli import paths, publish, result_checks
from fpubench_cli.analysis import legacy_names, schema
from fpubench_cli.errors import UserError
from fpubench_cli.lab import case_names, export

# The figure an imported xstate cost is kept under: the binary's own name for a paired cost.
COST_FIGURE = "cost_p50_ns"


@dataclass
class LabCase:
    result: str = "pass"
    samples: list = field(default_factory=list)
    unit: str = ""
    reason: str = ""


@dataclass
class LabRun:
    source: str
    context: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)   # lab name -> LabCase

    def add(self, name, result, value=None, unit="", reason=""):
        case = self.cases.setdefault(name, LabCase(result))
        if result != "pass":
            case.result = result
        if value is not None:
            case.samples.append(float(value))
        case.unit = case.unit or unit
        case.reason = case.reason or reason


def _yaml():
    try:
        import yaml
    except ImportError:
        raise UserError("reading LAVA's logs needs PyYAML: apt-get install python3-yaml") from None
    return yaml


def _measurement(value):
    try:
        return None if value in (None, "", "None") else float(value)
    except (TypeError, ValueError):
        return None


def _context_of(text):
    """The run's context from its "# fpubench-context" line; LAVA's log writes its quotes as \\"."""
    if not text.startswith(export.CONTEXT_LINE):
        return None
    body = text[len(export.CONTEXT_LINE):]
    for candidate in (body, body.replace('\\"', '"')):
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            continue
    return None


def read_lava(path, text):
    """A LAVA job's log (lava-run's stderr, or a server's job log: one YAML mapping per line) or
    the results `lavacli results JOB --yaml` prints (a list of cases)."""
    yaml = _yaml()
    run = LabRun(f"lava:{path.name}")
    reasons = {}  # fpubench.sh writes "# skip <name>: <reason>" before the case
    if text.lstrip().startswith("- "):
        cases = yaml.safe_load(text)
        for c in cases if isinstance(cases, list) else []:
            if isinstance(c, dict) and str(c.get("name", "")).startswith(case_names.PREFIX + "."):
                run.add(c["name"], str(c.get("result", "pass")), _measurement(c.get("measurement")), c.get("unit") or "")
        return run
    for line in text.splitlines():
        line = line.strip().removeprefix("- ")
        if not line.startswith("{"):
            continue
        try:
            entry = yaml.safe_load(line)
        except yaml.YAMLError:
            continue
        if not isinstance(entry, dict):
            continue
        msg = entry.get("msg")
        if entry.get("lvl") == "results" and isinstance(msg, dict):
            name = str(msg.get("case", ""))
            if name.startswith(case_names.PREFIX + "."):
                run.add(name, str(msg.get("result", "pass")), _measurement(msg.get("measurement")), msg.get("units") or "")
        elif isinstance(msg, str):
            context = _context_of(msg.strip())
            if context is not None:
                run.context = context
            elif msg.startswith("# skip ") and ": " in msg:
                name, _, why = msg[len("# skip "):].partition(": ")
                reasons[name] = why.strip()
    for name, why in reasons.items():
        if name in run.cases:
            run.cases[name].reason = why
    return run


def read_lkp(path, text):
    """LKP's stats of a run (stats.json: "fpubench.<key>": a number or a list, one per sample), or
    the program's parse output ("<key>: <number>" lines)."""
    run = LabRun(f"lkp:{path.name}")
    prefix = case_names.PREFIX + "."
    try:
        stats = json.loads(text)
        items = [(k, v) for k, vs in stats.items() for v in (vs if isinstance(vs, list) else [vs])]
    except (json.JSONDecodeError, AttributeError):
        items = [(prefix + k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in text.splitlines())
                 if v.strip()]
    for key, value in items:
        if not key.startswith(prefix):
            continue  # another program's or a monitor's stat
        number = _measurement(value)
        if number is None:
            raise UserError(f"{path}: {key} is {value!r}, not a number: is this an LKP stats file?")
        base, _, outcome = key.rpartition(".")
        if outcome in ("pass", "fail", "skip") and base.count(".") >= 1:
            run.add(base, outcome)
        else:
            run.add(key, "pass", number, case_names.unit_of_figure(key.rsplit(".", 1)[-1]))
    return run


def read_kcidb(path, text):
    """A KCIDB v5 submission: one run per misc.fpubench_run (its context on the node 'fpubench')."""
    data = json.loads(text)
    tests = data.get("tests") if isinstance(data, dict) else None
    if not isinstance(tests, list):
        raise UserError(f"{path} is not a KCIDB submission (no 'tests' list)")
    runs = {}
    for t in tests:
        if not isinstance(t, dict):
            continue
        misc = t.get("misc") if isinstance(t.get("misc"), dict) else {}
        run = runs.setdefault(str(misc.get("fpubench_run", "")), LabRun(f"kcidb:{path.name}"))
        name, status = t.get("path", ""), t.get("status", "")
        if name == case_names.PREFIX:
            run.context = misc.get("context") or {}
        elif name.startswith(case_names.PREFIX + "."):
            number = t.get("number") if isinstance(t.get("number"), dict) else {}
            result = {"DONE": "pass", "PASS": "pass", "SKIP": "skip"}.get(status, "fail")
            run.add(name, result, number.get("value"), number.get("unit", ""), misc.get("reason", ""))
    return list(runs.values())


READERS = {"lava": read_lava, "lkp": read_lkp, "kcidb": read_kcidb}


def _runs_of(source, path, text):
    """The fpubench runs in one lab file's text."""
    try:
        found = READERS[source](path, text)
    except json.JSONDecodeError as e:
        raise UserError(f"{path} is not valid JSON (line {e.lineno}: {e.msg}): give the {source} file itself") from None
    runs = found if isinstance(found, list) else [found]
    runs = [r for r in runs if r.cases]
    if not runs:
        raise UserError(f"{path} holds no fpubench case (no name starting with '{case_names.PREFIX}.'): is it "
                        f"a {source} file of an fpubench job?")
    return runs


def _row_of(fields, figure, unit, cost):
    family = "/".join(v for v in (fields["suite"], fields["mechanism"], fields.get("placement", "")) if v)
    tags = {"state": "fpu", "partner_state": "peer", "condition": "condition", "selfcheck": "check"}
    variant = "/".join(f"{tag}-{fields[k]}" for k, tag in tags.items() if fields.get(k))
    return {"suite": fields["suite"], "family": family, "variant": variant,
            "mechanism": fields["mechanism"], "placement": fields.get("placement", ""),
            "state": fields.get("state", ""), "partner_state": fields.get("partner_state", ""),
            "condition": fields.get("condition", ""), "baseline": "", "cost_figure": COST_FIGURE if cost else "",
            "figure": figure, "unit": unit, "selfcheck": fields.get("selfcheck", ""),
            "role": legacy_names.role_of(fields["suite"], fields["mechanism"]), "better": "lower"}


def result_of(run):
    """The result file (as data) of one lab run."""
    rows = {}
    for name, case in run.cases.items():
        parsed = case_names.fields_of(name)
        if parsed is None or not case.samples:
            continue
        fields, figure, cost = parsed
        rows.setdefault(tuple(sorted(fields.items())), {})["cost" if cost else "figure"] = (figure, case, name)
    benchmarks = []
    for key, parts in sorted(rows.items()):
        if "figure" not in parts:
            continue  # a cost without its row's own figure: nothing to pair it with
        figure, case, lab_name = parts["figure"]
        cost = parts.get("cost")
        lab = {"figure": lab_name, "cost": cost[2] if cost else ""}  # as the binary writes them: exportable again
        row = _row_of(dict(key), figure, case.unit or case_names.unit_of_figure(figure), cost is not None)
        name = f"{row['family']}/{row['variant']}" if row["variant"] else row["family"]  # the lab's fields, not the binary's name
        row["name"] = name
        for i, v in enumerate(case.samples):
            entry = {"name": name, "run_name": name, "run_type": "iteration", "repetitions": len(case.samples),
                     "repetition_index": i, "iterations": 1, "row": row, "lab": lab, figure: v}
            if row["unit"] == "ns":
                entry |= {"real_time": v, "time_unit": "ns"}
            if cost is not None and i < len(cost[1].samples):
                entry[COST_FIGURE] = cost[1].samples[i]
            benchmarks.append(entry)
    skipped = {"skipped." + n.removeprefix(case_names.PREFIX + ".").removeprefix("skipped."): c.reason or "skipped"
               for n, c in run.cases.items() if c.result == "skip"}
    failed = sorted(n for n, c in run.cases.items() if c.result == "fail")
    context = dict(run.context) | skipped | {"imported_from": run.source}
    if failed:
        context["lab_failed_cases"] = " ".join(failed)
    data = {"fpubench_schema": schema.CURRENT, "context": context, "benchmarks": benchmarks}
    torture = {n: c for n, c in run.cases.items() if n.split(".")[:2] == [case_names.PREFIX, "torture"]}
    if torture:  # the integrity verdict, as compare and report read it from a local torture run
        data["torture"] = {"passed": not any(c.result == "fail" for c in torture.values()), "scenarios": [
            {"name": n, "status": c.result, "corruption" if c.result == "fail" else "skipped": c.reason}
            for n, c in sorted(torture.items())]}
    return data


def _imported_already(folder):
    """{digest of a lab file: the result made from it} in a label folder."""
    found = {}
    for f in sorted(Path(folder).glob("*.imported.json")) if Path(folder).is_dir() else []:
        digest = result_checks.read_json(f).get("context", {}).get("imported_sha256")
        if digest:
            found[digest] = f
    return found


def import_files(source, files, label, results_dir=None):
    results_dir = Path(results_dir or paths.RESULTS_DIR)
    publish.check_label(label)
    seen = _imported_already(results_dir / label)
    written = []
    for f in files:
        text = result_checks.read_text(f, f"{source} lab")
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in seen:  # the same runs twice would count as more evidence than there is
            raise UserError(f"{f} was imported already (as {seen[digest]}): a run counts once; remove that "
                            f"file first to import it again")
        seen[digest] = f
        for i, run in enumerate(_runs_of(source, Path(f), text)):
            data = result_of(run)
            data["context"]["imported_sha256"] = digest if i == 0 else f"{digest}-{i}"
            if not data["benchmarks"]:
                raise UserError(f"{f}: {run.source} holds no measured fpubench case to compare (only "
                                f"pass/fail/skip cases)")
            with publish.PendingResult(results_dir, label, "imported") as pending:
                pending.path().write_text(json.dumps(data, indent=1) + "\n")
                written.append(pending.publish(check=lambda p: result_checks.load_result(p, need_benchmarks=True)))
    for w in written:
        print(f"fpubench: imported {w}")
    return 0
