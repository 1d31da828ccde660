"""Loading result files for comparison: a label under results/, a result file, or a directory.
Validates what it reads; anything malformed is one UserError line naming the file."""
import errno
import math
import os
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fpubench_cli import folders, paths, result_checks, publish
from fpubench_cli.analysis import legacy_names, schema
from fpubench_cli.errors import UserError

_NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


@dataclass
class ResultSet:
    """Every repetition of every benchmark in one side of a comparison."""
    label: str
    files: list
    context: dict
    runs: dict = field(default_factory=dict)        # bare name -> [iteration entries]
    histograms: dict = field(default_factory=dict)  # bare name -> [(lower_ns list, counts list)]
    integrity: list = field(default_factory=list)   # torture summaries in this set
    file_contexts: list = field(default_factory=list)  # (path, context) of every file
    by_file: list = field(default_factory=list)  # (path, {bare name: [entries]}) per result file: a run
    predictions: dict = field(default_factory=dict)  # path -> the run's xstate_prediction
    histograms_by_file: list = field(default_factory=list)  # (path, {bare name: [(lower_ns, counts)]}) per run
    rows: dict = field(default_factory=dict)        # bare name -> its schema.Row (its fields)
    legacy: list = field(default_factory=list)      # files whose rows legacy_names read from names

    def values(self, name, key):
        """`key` in every repetition of benchmark `name` that has it, over all runs."""
        return [float(e[key]) for e in self.runs.get(name, []) if key in e]

    def median(self, name, key):
        """The median of values(name, key), None when there are none: the one per-repetition median."""
        values = self.values(name, key)
        return statistics.median(values) if values else None

    def by_repetition(self, name, key):
        """{repetition index: value} of one run's benchmark (the pairing of xstate costs)."""
        return {e.get("repetition_index", i): float(e[key]) for i, e in enumerate(self.runs.get(name, [])) if key in e}

    def real_time_ns(self, entry):
        unit = entry.get("time_unit", "ns")
        if unit not in _NS_PER_UNIT:
            raise UserError(f"{self.label}: unknown time unit '{unit}' in {entry.get('name')}")
        return entry["real_time"] * _NS_PER_UNIT[unit]


def result_files(spec, results_dir=None):
    """The result files `spec` names: a file, a directory, or a label under results/."""
    results_dir = Path(results_dir or paths.RESULTS_DIR)
    p = Path(spec)
    _check_path(p)
    if p.is_file():
        if not os.access(p, os.R_OK):
            raise UserError(f"{p} is not readable by this user: run as its owner (or root), or copy it")
        return [p]
    directory = p if p.is_dir() else results_dir / spec
    if not directory.is_dir():
        if "/" in str(spec) or str(spec).endswith(".json"):  # a path, not a label: running would not help
            raise UserError(f"'{spec}' does not exist: give a result file, a folder of them, or a label under "
                            f"{results_dir}")
        raise UserError(f"'{spec}' is neither a result file, a directory, nor a label under "
                        f"{results_dir}: run 'scripts/fpubench run --label {spec}' first")
    if not os.access(directory, os.R_OK | os.X_OK):
        raise UserError(f"{directory} is not readable by this user: run as its owner (or root)")
    publish.warn_leftovers(directory)
    files = sorted(f for f in directory.glob("*.json")
                   if not f.name.endswith(".histograms.json") and not f.name.startswith("."))
    if not files:
        raise UserError(f"{directory} holds no result files")
    return files


def _check_path(p):
    """What is wrong with a path that names something unusable, said as its own cause."""
    try:
        p.stat()
    except OSError as e:
        if e.errno == errno.ENAMETOOLONG:
            raise UserError(folders.why(p, e)) from None
        if e.errno == errno.ELOOP:
            raise UserError(f"{p} goes through a symbolic link loop: fix or remove the link") from None
        if e.errno == errno.ENOENT and p.is_symlink():
            raise UserError(f"{p} is a symbolic link to {os.readlink(p)}, which does not exist: fix the "
                            f"link or give the file itself") from None
        if e.errno in (errno.EACCES, errno.EPERM):
            raise UserError(f"{p} cannot be reached by this user ({e.strerror}): run as its owner (or root)") from None


def load_file(path):
    return result_checks.load_result(path)


def load_histograms(path):
    """[(name, bucket_lower_ns, counts)] of a .histograms.json file; anything malformed is one line."""
    data = result_checks.read_json(path, "histogram")
    entries = data.get("histograms") if isinstance(data, dict) else None
    bad = UserError(f"{path} is not an fpubench histogram file (it needs 'histograms': a list of "
                    f"objects with name, bucket_lower_ns and counts of equal length): remove it or "
                    f"run again")
    if not isinstance(entries, list):
        raise bad
    out = []
    for h in entries:
        if not (isinstance(h, dict) and isinstance(h.get("name"), str)
                and isinstance(h.get("bucket_lower_ns"), list) and isinstance(h.get("counts"), list)
                and len(h["bucket_lower_ns"]) == len(h["counts"])
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
                        for v in h["bucket_lower_ns"] + h["counts"])):
            raise bad
        out.append((h["name"], h["bucket_lower_ns"], h["counts"]))
    return out


# What must be the same for every file of one label: one machine, one build of fpubench.
MACHINE_KEYS = ["cpu_vendor", "cpu_brand", "cpu_family", "cpu_model", "xcr0", "hypervisor", "fpubench_commit"]


def mixed_machines(rs):
    """The first key whose value differs between two files of the set, as one sentence, or None."""
    for key in MACHINE_KEYS:
        seen = {}
        for path, context in rs.file_contexts:
            if key in context:
                seen.setdefault(context[key], path)
        if len(seen) > 1:
            (v1, f1), (v2, f2) = list(seen.items())[:2]
            return f"{key} is '{v1}' in {f1.name} but '{v2}' in {f2.name}"
    return None


def _add_run(rs, path, data):
    """One result file's parsed (and checked) content into `rs`: a run."""
    if "torture" in data:
        rs.integrity.append(data["torture"])
    if not rs.context and data.get("benchmarks"):
        rs.context = data.get("context", {})
    in_file = {}
    schema.check_version(data, path)
    current = data.get("fpubench_schema") == schema.CURRENT
    if not current and data.get("benchmarks"):
        rs.legacy.append(path)
    for b in data.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        row = schema.of_entry(b, path) if current else legacy_names.row_of(b, path)
        rs.runs.setdefault(row.name, []).append(b)
        rs.rows.setdefault(row.name, row)
        in_file.setdefault(row.name, []).append(b)
    if in_file:
        rs.by_file.append((path, in_file))
    if isinstance(data.get("xstate_prediction"), dict):
        rs.predictions[path] = data["xstate_prediction"]
    rs.file_contexts.append((path, data.get("context", {})))


def of_result(data, path=None, label=""):
    """A result already read (and checked) as a set of one run: what a run reports on."""
    path = Path(path) if path else Path("-")
    rs = ResultSet(label=label or path.stem, files=[path], context={})
    _add_run(rs, path, data)
    rs.context = rs.context or data.get("context", {})
    return rs


def load(spec, results_dir=None):
    return load_files(result_files(spec, results_dir), str(spec))


# What tells one machine from another for a comparison: a lab's label may hold runs of many.
MACHINE_IDENTITY = ["cpu_vendor", "cpu_brand", "cpu_family", "cpu_model", "cpu_microcode", "hypervisor"]


def machine_of(context):
    """One line naming the machine a run's context comes from."""
    c = {k: str(context.get(k, "?")).strip() or "?" for k in MACHINE_IDENTITY}
    hypervisor = f", under {c['hypervisor']}" if c["hypervisor"] not in ("?", "none", "") else ""
    return (f"{c['cpu_brand']} (family {c['cpu_family']} model {c['cpu_model']}, microcode "
            f"{c['cpu_microcode']}{hypervisor})")


def by_machine(rs):
    """{machine: the set's runs on that machine}, each a ResultSet of its own."""
    files = {}
    for path, context in rs.file_contexts:
        files.setdefault(machine_of(context), []).append(path)
    return {machine: load_files(group, rs.label) for machine, group in files.items()}


def load_files(files, label):
    rs = ResultSet(label=label, files=files, context={})
    for path in files:
        _add_run(rs, path, load_file(path))
        hist_path = path.with_name(path.stem + ".histograms.json")
        if hist_path.exists():
            per_run = {}
            for name, lower, counts in load_histograms(hist_path):
                rs.histograms.setdefault(name, []).append((lower, counts))
                per_run.setdefault(name, []).append((lower, counts))
            rs.histograms_by_file.append((path, per_run))
    if not rs.context:  # a set of torture or self-check summaries only
        rs.context = load_file(files[0])["context"]
    if rs.legacy:
        which = f"{rs.legacy[0]} and {len(rs.legacy) - 1} more predate" if len(rs.legacy) > 1 else \
            f"{rs.legacy[0]} predates"
        print(f"fpubench: {which} fpubench_schema {schema.CURRENT}: {legacy_names.WHAT}", file=sys.stderr)
    return rs
