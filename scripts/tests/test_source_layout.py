"""The tree's layout rules. C++ (host/CMakeLists.txt): every include names its folder, no two
folders include each other, and only *_regs_loaded.cc files are built without vector registers.
Python: the base imports no subpackage, no two subpackages import each other, and no module but
the legacy one names a benchmark (Python reads the rows the binary writes)."""
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INCLUDE = re.compile(r'^#include "([^"]+)"', re.M)
SOURCES = ("*.h", "*.cc", "*.c")


def sources(top):
    return [f for pattern in SOURCES for f in (REPO / top).rglob(pattern) if "/tests/" not in str(f)]


def folder_of(path):
    """host/kvm/kvm_vm.h -> host/kvm; bench/xstate.h -> bench."""
    parts = Path(path).parts
    return "/".join(parts[:2]) if parts[0] == "host" else parts[0]


def folder_includes():
    """{(including folder, included folder)} over host/ and bench/, tests left out."""
    edges = set()
    for f in sources("host") + sources("bench"):
        here = folder_of(f.relative_to(REPO))
        for name in INCLUDE.findall(f.read_text()):
            there = folder_of(name)
            if there != here:
                edges.add((here, there))
    return edges


def test_every_include_names_its_folder_from_the_project_root():
    unresolved = []
    for top in ("host", "bench"):
        for f in (REPO / top).rglob("*"):
            if f.suffix not in (".h", ".cc", ".c"):
                continue
            for name in INCLUDE.findall(f.read_text()):
                if not (REPO / name).is_file():
                    unresolved.append(f"{f.relative_to(REPO)}: \"{name}\"")
    assert not unresolved, "includes that do not name a file from the project root:\n" + "\n".join(unresolved)


def test_no_two_folders_include_each_other():
    edges = folder_includes()
    both_ways = sorted({tuple(sorted(e)) for e in edges if (e[1], e[0]) in edges})
    assert not both_ways, f"folders that include each other: {both_ways}"


def test_the_measurement_library_includes_nothing_of_the_binary():
    assert not [e for e in folder_includes() if e[0] == "bench" and e[1].startswith("host")]


def test_the_layering_has_no_cycle():
    edges = folder_includes()
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    state = {}

    def visit(node, path):
        if state.get(node) == "open":
            raise AssertionError("an include cycle between folders: " + " -> ".join(path + [node]))
        if state.get(node) == "done":
            return
        state[node] = "open"
        for nxt in graph.get(node, ()):
            visit(nxt, path + [node])
        state[node] = "done"

    for node in list(graph):
        visit(node, [])


def test_the_layout_check_sees_a_two_way_dependency(tmp_path, monkeypatch):
    """The check itself, on a made-up tree: a include b and b include a."""
    for folder, other in (("a", "b"), ("b", "a")):
        (tmp_path / "host" / folder).mkdir(parents=True)
        (tmp_path / "host" / folder / "x.h").write_text(f'#include "host/{other}/x.h"\n')
    (tmp_path / "bench").mkdir()
    monkeypatch.setattr(__import__(__name__), "REPO", tmp_path)
    with pytest.raises(AssertionError, match="include each other"):
        test_no_two_folders_include_each_other()


def test_only_regs_loaded_files_are_built_without_vector_registers():
    commands = REPO / "build" / "compile_commands.json"
    if not commands.exists():
        pytest.skip("no build/compile_commands.json: build first (scripts/fpubench setup)")
    wrong = []
    for entry in json.loads(commands.read_text()):
        path = Path(entry["file"]).resolve()
        if not path.is_relative_to(REPO) or path.relative_to(REPO).parts[0] not in ("host", "bench"):
            continue  # the guest payloads are freestanding: built that way throughout
        flagged = "-mgeneral-regs-only" in entry.get("command", " ".join(entry.get("arguments", [])))
        if flagged != path.name.endswith("_regs_loaded.cc"):
            wrong.append(f"{path.relative_to(REPO)}: {'with' if flagged else 'without'} -mgeneral-regs-only")
    assert not wrong, "\n".join(wrong)


def test_every_kvm_ioctl_goes_through_the_checked_layer():
    """host/kvm/kvm_ioctl.h (and the flexible-array calls in kvm_flex_ioctl.c) issue them all."""
    layer = {"host/kvm/kvm_ioctl.h", "host/kvm/kvm_flex_ioctl.c"}
    raw = re.compile(r"\bioctl\s*\([^;]*KVM_", re.S)
    outside = [str(f.relative_to(REPO)) for f in sources("host")
               if str(f.relative_to(REPO)) not in layer and raw.search(f.read_text())]
    assert not outside, f"KVM ioctls issued outside the checked layer: {outside}"


# The Python side: cli and commands wire everything; the shared base (paths, errors, python_deps, folders,
# publish, result_checks) imports no subpackage; subpackages import each other one way only.
PYTHON = REPO / "scripts" / "fpubench_cli"
PY_IMPORT = re.compile(r"^\s*from fpubench_cli(?:\.(\w+))?(?:\.\w+)? import", re.M)
SUBPACKAGES = {p.name for p in PYTHON.iterdir() if (p / "__init__.py").exists()}


def python_imports():
    """{(importing part, imported part)}: a part is a subpackage, or "base" for a top-level module."""
    edges = set()
    for f in PYTHON.rglob("*.py"):
        rel = f.relative_to(PYTHON)
        if rel.name in ("cli.py", "commands.py") and len(rel.parts) == 1:
            continue  # the top: the arguments and the commands wire everything
        here = rel.parts[0] if len(rel.parts) > 1 else "base"
        for pkg in PY_IMPORT.findall(f.read_text()):
            there = pkg if pkg in SUBPACKAGES else "base"
            if there != here:
                edges.add((here, there))
    return edges


def test_the_python_base_imports_no_subpackage_and_no_two_subpackages_import_each_other():
    edges = python_imports()
    assert not [e for e in edges if e[0] == "base"], sorted(edges)
    both_ways = sorted({tuple(sorted(e)) for e in edges if (e[1], e[0]) in edges})
    assert not both_ways, f"subpackages that import each other: {both_ways}"


BENCHMARK_NAME = re.compile(r"^(pingpong|signal|kvm|xsave|reference|selfcheck|xstate-cost)/")
# The one module that reads rows from names: result files older than the row schema.
LEGACY = "fpubench_cli/analysis/legacy_names.py"
# Names Python makes for rows of its own: a row's xstate cost, derived from two figures.
DERIVED = {("fpubench_cli/analysis/schema.py", "xstate-cost/")}


def benchmark_name_literals(path):
    """(line, text) of every string in a module that starts like a benchmark name (docstrings aside)."""
    import ast
    tree = ast.parse(path.read_text())
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings and BENCHMARK_NAME.match(n.value)]


def test_python_reads_rows_and_no_module_but_the_legacy_one_names_a_benchmark():
    scripts = REPO / "scripts"
    found = {}
    for f in sorted((scripts / "fpubench_cli").rglob("*.py")):
        module = str(f.relative_to(scripts))
        hits = [(line, text) for line, text in benchmark_name_literals(f) if (module, text) not in DERIVED]
        if hits and module != LEGACY:
            found[module] = hits
    assert not found, f"benchmark names or name prefixes in Python (read the row's fields instead): {found}"
    assert benchmark_name_literals(scripts / LEGACY)  # the check sees a name where there is one
