"""`fpubench export --format lava|lkp|kcidb RESULT...`: runs in the form each lab engine takes.

- lava: the line format of test-definitions' result.txt, which integrations/lava/fpubench.sh hands
  to lava-test-case: "<name> <pass|fail|skip> [<measurement> <units>]", one line per sample; a
  skip's or failure's reason and the run's context are "#" lines before it (LAVA keeps them in the
  job's log, where `import lava` reads the context back).
- lkp: a program's parse output, "<key>: <number>" with the key repeated once per sample; LKP
  prefixes the program's name. Cases without a measurement are "<key>.pass|fail|skip: 1".
- kcidb: a KCIDB v5 submission: a node per sample (status DONE, number with unit), PASS/FAIL/SKIP
  nodes for cases without one, and a node "fpubench" per run whose misc holds the run's context."""
import json
import re

from fpubench_cli.errors import UserError
from fpubench_cli.lab import cases as lab_cases
from fpubench_cli.lab import case_names

CONTEXT_LINE = "# fpubench-context "
KCIDB_VERSION = {"major": 5, "minor": 0}
_ORIGIN = re.compile(r"^[a-z0-9_]+$")


def _number(v):
    return f"{v:.6g}"


def lava_lines(run):
    yield CONTEXT_LINE + json.dumps(run.context, sort_keys=True, separators=(",", ":"))
    for c in run.cases:
        if c.reason:
            yield f"# {c.result} {c.name}: {c.reason}"
        if c.samples:
            for v in c.samples:
                yield f"{c.name} {c.result} {_number(v)} {c.unit}".rstrip()
        else:
            yield f"{c.name} {c.result}"


def lkp_lines(run, prefix=case_names.PREFIX + "."):
    for c in run.cases:
        key = c.name.removeprefix(prefix)
        if c.samples:
            for v in c.samples:
                yield f"{key}: {_number(v)}"
        else:
            yield f"{key}.{c.result}: 1"


def _run_id(run, index):
    """Unique per run within a submission: the run's start time and host when it has them."""
    date = re.sub(r"[^0-9A-Za-z]", "", str(run.context.get("date", "")))
    host = re.sub(r"[^0-9A-Za-z_-]", "", str(run.context.get("host_name", "")))
    return "-".join(p for p in (host, date, str(index)) if p)


def kcidb_submission(runs, origin="fpubench", build_id=None):
    if not _ORIGIN.match(origin):
        raise UserError(f"--origin {origin}: KCIDB origins are lower case [a-z0-9_]; e.g. --origin my_lab")
    tests = []
    for i, run in enumerate(runs):
        run_id = _run_id(run, i)
        build = build_id or f"{origin}:{run.context.get('kernel_release', 'unknown-kernel')}"
        status = "FAIL" if any(c.result == lab_cases.FAIL for c in run.cases) else "PASS"
        tests.append({"id": f"{origin}:{run_id}", "origin": origin, "build_id": build, "path": "fpubench",
                      "status": status, "misc": {"fpubench_run": run_id, "context": run.context}})
        for c in run.cases:
            path = c.name
            base = {"origin": origin, "build_id": build, "path": path}
            misc = {"fpubench_run": run_id}
            if c.reason:
                misc["reason"] = c.reason
            if not c.samples:
                tests.append(base | {"id": f"{origin}:{run_id}.{path}", "status": c.result.upper(), "misc": misc})
                continue
            for rep, v in enumerate(c.samples):
                tests.append(base | {"id": f"{origin}:{run_id}.{path}.{rep}", "status": "DONE",
                                     "number": {"value": v, "unit": c.unit} if c.unit else {"value": v},
                                     "misc": misc | {"repetition": rep}})
    return {"version": KCIDB_VERSION, "tests": tests}


def export(paths, fmt, out, origin="fpubench", build_id=None):
    runs = lab_cases.of_files(paths)
    if fmt == "kcidb":
        out.write(json.dumps(kcidb_submission(runs, origin, build_id), indent=1) + "\n")
        return 0
    lines = lava_lines if fmt == "lava" else lkp_lines
    for run in runs:
        for line in lines(run):
            out.write(line + "\n")
    return 0
