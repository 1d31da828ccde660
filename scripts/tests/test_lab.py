"""Kernel labs: the lab names the binary gives rows, `export` in LAVA's, LKP's and KCIDB's forms,
`import` back, the LKP program, and the LAVA test definition outside LAVA. (The job under the
real lava-run is test_lava_dispatcher.py.)"""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from fpubench_cli import paths
from fpubench_cli.lab import case_names, export, importing
from fpubench_cli.running import packages
import written
from written import PROFILES, needs_binary, planned_rows

SCRIPT = paths.REPO / "scripts" / "fpubench"
LKP = paths.REPO / "integrations" / "lkp"
LAVA = paths.REPO / "integrations" / "lava"
# A paired row and its baseline: fast, and it has an xstate cost.
ROWS = "--benchmark_filter=pingpong/futex/same-pu/(none|avx)/"
KCIDB_PATH = re.compile(r"^[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*$")
KCIDB_STATUS = {"FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP"}


def fpubench(results, *args):
    env = dict(os.environ, FPUBENCH_RESULTS=str(results))
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300)


def measure(out, *flags, lab_out=None):
    """One real run of the binary (3 repetitions of ROWS) into `out`."""
    cmd = [str(paths.BINARY), ROWS, "--benchmark_repetitions=3", f"--benchmark_out={out}", *flags]
    if lab_out:
        cmd.append(f"--lab-out={lab_out}")
    subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120)
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three runs of a kernel A and three of a "kernel" B 5 us slower (--inject-ns: found by any run), alternating."""
    needs_binary()
    root = tmp_path_factory.mktemp("runs")
    for side in ("a", "b"):
        (root / side).mkdir()
    for i in range(3):
        measure(root / "a" / f"run{i}.json")
        measure(root / "b" / f"run{i}.json", "--inject-ns=5000")
    return root


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_a_self_check_of_the_longest_named_row_still_has_names_a_lab_takes(profile):
    needs_binary()
    rows = [r for r in planned_rows(profile) if r["row"]["suite"] in ("pingpong", "kvm") and r["lab"]["cost"]]
    if not rows:
        pytest.skip(f"{profile.name} plans no paired round-trip row")
    longest = max(rows, key=lambda r: len(r["lab"]["cost"]))
    checked = [r for r in planned_rows(profile, f"--selfcheck={longest['name']}") if r["row"]["selfcheck"]]
    assert checked and all(case_names.valid(n) for r in checked for n in r["lab"].values() if n)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_every_planned_row_has_valid_distinct_lab_names_that_read_back_as_its_fields(profile):
    needs_binary()
    seen = set()
    for r in planned_rows(profile):
        row, lab = r["row"], r["lab"]
        names = [(lab["figure"], row["figure"], False)] + ([(lab["cost"], row["cost_figure"], True)] if lab["cost"] else [])
        assert bool(lab["cost"]) == bool(row["cost_figure"]), r["name"]
        for name, figure, cost in names:
            assert case_names.valid(name) and KCIDB_PATH.match(name), name
            assert name not in seen, f"{name} names two figures"
            seen.add(name)
            fields, read_figure, read_cost = case_names.fields_of(name)
            assert (read_figure, read_cost) == (figure, cost)
            wanted = {k: row[k].lower() for k in ("suite", "mechanism", "placement", "state", "partner_state",
                                                  "condition", "selfcheck") if row[k]}
            assert {k: v for k, v in fields.items() if v} == wanted, name


def test_the_binary_and_export_write_the_same_lava_lines(tmp_path):
    needs_binary()
    result = measure(tmp_path / "r.json", lab_out=tmp_path / "lab.txt")
    binary = (tmp_path / "lab.txt").read_text().splitlines()
    out = fpubench(tmp_path, "export", "--format", "lava", str(result))
    assert out.returncode == 0, out.stderr
    exported = out.stdout.splitlines()
    context = [line for line in binary if line.startswith(export.CONTEXT_LINE)]
    assert len(context) == 1 and json.loads(context[0][len(export.CONTEXT_LINE):]) == \
        json.loads(result.read_text())["context"]
    assert sorted(line for line in binary if line not in context) == \
        sorted(line for line in exported if not line.startswith(export.CONTEXT_LINE))
    measured = [line.split() for line in exported if not line.startswith("#") and " pass " in line]
    assert len(measured) == 3 * 3  # 3 repetitions of none, avx and avx's xstate cost
    assert all(len(m) == 4 and m[3] == "ns" and float(m[2]) == float(m[2]) for m in measured)
    skips = [line.split()[0] for line in exported if line.endswith(" skip")]
    reasons = {line.split()[2].rstrip(":") for line in exported if line.startswith("# skip ")}
    assert skips and set(skips) == reasons  # every skip has its reason


def test_lkp_export_follows_lkps_rules_and_every_key_says_lower_is_better(runs):
    out = fpubench(runs, "export", "--format", "lkp", str(runs / "a" / "run0.json"))
    assert out.returncode == 0, out.stderr
    keys = {}
    for line in out.stdout.splitlines():
        key, sep, value = line.partition(": ")
        assert sep and key and not re.search(r"\s", key) and not key.startswith("fpubench."), line
        float(value)
        keys[key] = keys.get(key, 0) + 1
    measured = {k: n for k, n in keys.items() if not k.endswith((".skip", ".pass", ".fail"))}
    assert measured and set(measured.values()) == {3}  # a key once per sample
    index = yaml.safe_load((LKP / "etc" / "index-perf-fpubench.yaml").read_text())
    for key in measured:
        assert [d for pattern, d in index.items() if re.fullmatch(pattern, "fpubench." + key)] == [-1], key


def test_the_lkp_program_parses_a_real_run_and_its_header_matches_the_job(runs, tmp_path):
    (tmp_path / "fpubench").symlink_to(paths.REPO)
    result = runs / "a" / "run1.json"
    parse = subprocess.run(["sh", str(LKP / "programs" / "fpubench" / "parse")], text=True, capture_output=True,
                           input=f"noise\nfpubench-result: {result}\n", env=dict(os.environ, BENCHMARK_ROOT=str(tmp_path)))
    assert parse.returncode == 0, parse.stderr
    assert parse.stdout == fpubench(runs, "export", "--format", "lkp", str(result)).stdout
    header = re.findall(r"^# - (\w+)$", (LKP / "programs" / "fpubench" / "run").read_text(), re.M)
    job = yaml.safe_load((LKP / "jobs" / "fpubench.yaml").read_text())
    meta = yaml.safe_load((LKP / "programs" / "fpubench" / "meta.yaml").read_text())
    assert header == list(job["fpubench"]) == list(meta["parameters"])
    assert job["fpubench"]["repetitions"] >= 3  # LKP calls a change with 3 samples a side or more
    depends = (LKP / "distro" / "depends" / "fpubench").read_text().split()
    assert depends == packages.for_command("run")


def test_kcidb_export_is_a_v5_submission_with_a_node_per_sample(runs):
    out = fpubench(runs, "export", "--format", "kcidb", "--origin", "my_lab", str(runs / "a"))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["version"] == {"major": 5, "minor": 0}
    tests = data["tests"]
    assert len({t["id"] for t in tests}) == len(tests)
    for t in tests:
        assert {"id", "origin", "build_id"} <= set(t) and t["id"].startswith("my_lab:") and t["origin"] == "my_lab"
        assert KCIDB_PATH.match(t["path"]) and t["status"] in KCIDB_STATUS
        if t["status"] == "DONE":
            assert isinstance(t["number"]["value"], float) and t["number"]["unit"] == "ns"
        if t["status"] == "SKIP":
            assert t["misc"]["reason"]
    runs_seen = [t for t in tests if t["path"] == "fpubench"]
    assert len(runs_seen) == 3 and all(t["misc"]["context"]["kernel_release"] == os.uname().release for t in runs_seen)
    assert sum(t["status"] == "DONE" for t in tests) == 3 * 9


def verdicts(results, a, b):
    """{lab name: verdict} of `compare a b`, each row named by its lab name from the files."""
    out = fpubench(results, "compare", str(a), str(b), "--format", "json")
    assert out.returncode in (0, 1), out.stderr
    names = {}
    for f in Path(a).glob("*.json"):
        for e in json.loads(f.read_text())["benchmarks"]:
            bare = e["name"].removesuffix("/manual_time")
            names[bare], names["xstate-cost/" + bare] = e["lab"]["figure"], e["lab"]["cost"]
    return {names[r["name"]]: r["verdict"] for r in json.loads(out.stdout)["rows"]}


@pytest.mark.parametrize("fmt", ["kcidb", "lkp", "lava"])
def test_lab_runs_imported_back_give_the_verdicts_of_the_same_runs_files(runs, tmp_path, fmt):
    local = verdicts(tmp_path, runs / "a", runs / "b")
    assert "slower" in local.values()  # the injected 5 us is found: the check below has teeth
    for side in ("a", "b"):
        files = []
        for i, result in enumerate(sorted((runs / side).glob("*.json"))):
            out = fpubench(tmp_path, "export", "--format", fmt, str(result))
            assert out.returncode == 0, out.stderr
            text = out.stdout
            if fmt == "lava":  # as lava-run's log carries a test definition's lines
                text = "\n".join(json.dumps({"lvl": "target", "msg": line}) if line.startswith("#") else
                                 json.dumps({"lvl": "results", "msg": dict(zip(
                                     ("case", "result", "measurement", "units"), line.split()))})
                                 for line in text.splitlines())
            files.append(tmp_path / f"{side}{i}.{fmt}")
            files[-1].write_text(text)
        out = fpubench(tmp_path, "import", fmt, *map(str, files), "--label", f"lab-{side}")
        assert out.returncode == 0, out.stderr
    out = fpubench(tmp_path, "import", fmt, str(files[0]), "--label", "lab-b")
    assert out.returncode == 2 and "imported already" in out.stderr  # a run counts once
    assert verdicts(tmp_path, tmp_path / "lab-a", tmp_path / "lab-b") == local


def test_a_file_without_lab_names_or_with_two_rows_of_one_name_is_refused_in_one_line(runs, tmp_path):
    out = fpubench(tmp_path, "export", "--format", "lkp", str(written.LEGACY))
    assert out.returncode == 2 and "has no lab name" in out.stderr and len(out.stderr.splitlines()) == 1
    data = json.loads((runs / "a" / "run0.json").read_text())
    names = {e["lab"]["figure"] for e in data["benchmarks"] if "lab" in e}
    first, second = sorted(names)[:2]
    for e in data["benchmarks"]:
        if e.get("lab", {}).get("figure") == second:
            e["lab"]["figure"] = first  # two rows, one name: a lab would merge their samples
    (tmp_path / "collide.json").write_text(json.dumps(data))
    out = fpubench(tmp_path, "export", "--format", "lava", str(tmp_path / "collide.json"))
    assert out.returncode == 2 and f"share the lab name {first}" in out.stderr
    out = fpubench(tmp_path, "export", "--format", "kcidb", "--origin", "My Lab", str(runs / "a"))
    assert out.returncode == 2 and "origin" in out.stderr


def test_a_file_that_is_no_lab_result_is_one_line(tmp_path):
    (tmp_path / "other.json").write_text(json.dumps({"hackbench.throughput": [1.0, 2.0]}))
    out = fpubench(tmp_path, "import", "lkp", str(tmp_path / "other.json"), "--label", "x")
    assert out.returncode == 2 and "holds no fpubench case" in out.stderr and len(out.stderr.splitlines()) == 1
    (tmp_path / "bad.json").write_text("{")
    out = fpubench(tmp_path, "import", "kcidb", str(tmp_path / "bad.json"), "--label", "x")
    assert out.returncode == 2 and "not valid JSON" in out.stderr
    (tmp_path / "odd.json").write_text(json.dumps({"tests": [1, "x", {"path": "fpubench.a.b.c", "misc": 3}]}))
    out = fpubench(tmp_path, "import", "kcidb", str(tmp_path / "odd.json"), "--label", "x")
    assert out.returncode == 2 and "holds no measured fpubench case" in out.stderr
    out = fpubench(tmp_path, "import", "lkp", "/dev/zero", "--label", "x")  # read with a limit, not forever
    assert out.returncode == 2 and "larger than" in out.stderr
    assert not (tmp_path / "x").exists()


def test_a_lava_log_gives_back_its_context_cases_and_integrity(tmp_path):
    # Lines as lava-run writes them: YAML flow mappings, quotes in target messages escaped as \".
    context = {"kernel_release": "6.1.0-57-amd64", "cpu_model": "0x2"}
    log = "\n".join([
        '{"dt": "t", "lvl": "results", "msg": {"case": "job", "definition": "lava", "result": "pass"}}',
        '{"dt": "t", "lvl": "target", "msg": "# fpubench-context %s"}' % json.dumps(context).replace('"', r'\\\"'),
        '{"dt": "t", "lvl": "results", "msg": {"case": "fpubench.signal.signal.fpu-none.rtt_p50_ns", '
        '"definition": "0_fpubench", "measurement": ! "3100.0", "result": "pass", "units": "ns"}}',
        '{"dt": "t", "lvl": "results", "msg": {"case": "fpubench.signal.signal.fpu-none.rtt_p50_ns", '
        '"definition": "0_fpubench", "measurement": ! "3200.0", "result": "pass", "units": "ns"}}',
        '{"dt": "t", "lvl": "results", "msg": {"case": "fpubench.torture", "definition": "0_fpubench", '
        '"result": "pass"}}',
        '{"dt": "t", "lvl": "target", "msg": "# skip fpubench.skipped.kvm.any: no /dev/kvm"}',
        '{"dt": "t", "lvl": "results", "msg": {"case": "fpubench.skipped.kvm.any", "result": "skip"}}',
    ])
    run = importing.read_lava(tmp_path / "log", log)
    assert run.context == context
    data = importing.result_of(run)
    assert [e["rtt_p50_ns"] for e in data["benchmarks"]] == [3100.0, 3200.0]
    assert data["torture"]["passed"] and data["context"]["kernel_release"] == "6.1.0-57-amd64"
    assert data["context"]["skipped.kvm.any"] == "no /dev/kvm"


def test_the_lava_test_definition_outside_lava_writes_result_txt(tmp_path):
    needs_binary()
    definition = yaml.safe_load((LAVA / "fpubench.yaml").read_text())
    assert definition["metadata"]["format"] == "Lava-Test Test Definition 1.0"
    step = definition["run"]["steps"][0]
    assert all(f"${{{p}}}" in step for p in definition["params"])  # every parameter reaches the script
    out = subprocess.run(["sh", str(LAVA / "fpubench.sh"), "-s", "signal/self/(none|sse)/", "-r", "3", "-q", "true",
                          "-t", "1", "-b", str(paths.BINARY)], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, TMPDIR=str(tmp_path)))
    assert out.returncode == 0, out.stdout + out.stderr
    lines = (tmp_path / "result.txt").read_text().splitlines()
    measured = [line.split() for line in lines if " pass " in line and len(line.split()) == 4]
    assert len(measured) == 3 * 3 and all(case_names.valid(m[0]) and m[3] == "ns" for m in measured)
    assert "fpubench.torture pass" in lines
    assert all(f"# skip {line.split()[0]}:" in out.stdout for line in lines if line.endswith(" skip"))


def test_the_lava_job_templates_are_jobs_with_the_repositorys_definition():
    for name in ("qemu-job.yaml", "x86-job.yaml"):
        job = yaml.safe_load((LAVA / name).read_text())
        assert job["context"]["arch"] == "amd64"
        tests = [a["test"] for a in job["actions"] if "test" in a]
        params = yaml.safe_load((LAVA / "fpubench.yaml").read_text())["params"]
        for d in tests[0]["definitions"]:
            assert set(d["parameters"]) <= set(params)
            if d["from"] == "git":
                assert (paths.REPO / d["path"]).is_file()


def test_a_labs_runs_of_two_machines_are_compared_machine_by_machine_never_pooled(runs, tmp_path):
    for side in ("a", "b"):
        for f in sorted((runs / side).glob("*.json")):
            data = json.loads(f.read_text())
            (tmp_path / f"lab-{side}").mkdir(exist_ok=True)
            (tmp_path / f"lab-{side}" / f.name).write_text(json.dumps(data))
            data["context"] |= {"cpu_brand": "Other CPU", "cpu_model": "0x99"}
            (tmp_path / f"lab-{side}" / ("other-" + f.name)).write_text(json.dumps(data))
    out = fpubench(tmp_path, "compare", "lab-a", "lab-b")
    assert out.returncode == 2 and "--by-machine" in out.stderr
    out = fpubench(tmp_path, "compare", "lab-a", "lab-b", "--by-machine", "--format", "json")
    assert out.returncode == 1, out.stderr
    by_machine = json.loads(out.stdout)
    assert len(by_machine) == 2 and any(m.startswith("Other CPU (family") for m in by_machine)
    assert all(c["runs"] == [3, 3] for c in by_machine.values())  # each machine's own runs, none pooled
    for f in (tmp_path / "lab-b").glob("other-*"):
        f.unlink()
    out = fpubench(tmp_path, "compare", "lab-a", "lab-b", "--by-machine")
    assert out.stdout.count("=== machine: ") == 1 and "only 'lab-a' ran on Other CPU" in out.stderr


def test_the_results_lavacli_prints_import_as_a_run(tmp_path):
    # `lavacli results JOB --yaml`: a list of cases (measurements as decimal strings), LAVA's own too.
    text = """- {id: '1', job: '7', name: job, result: pass, suite: lava, measurement: null, unit: ''}
- {id: '2', job: '7', name: fpubench.signal.signal.fpu-none.rtt_p50_ns, result: pass, suite: 0_fpubench,
   measurement: '3100.0000000000', unit: ns}
- {id: '3', job: '7', name: fpubench.signal.signal.fpu-none.rtt_p50_ns, result: pass, suite: 0_fpubench,
   measurement: '3150.0000000000', unit: ns}
- {id: '4', job: '7', name: fpubench.torture, result: fail, suite: 0_fpubench, measurement: null, unit: ''}
"""
    run = importing.read_lava(tmp_path / "results.yaml", text)
    assert run.cases["fpubench.signal.signal.fpu-none.rtt_p50_ns"].samples == [3100.0, 3150.0]
    assert "job" not in run.cases
    data = importing.result_of(run)
    assert data["torture"]["passed"] is False and data["benchmarks"][0]["row"]["unit"] == "ns"


def test_lkps_stats_json_imports_as_a_run_and_other_programs_stats_are_passed_over(tmp_path):
    stats = {"fpubench.signal.signal.fpu-sse.rtt_p50_ns": [3100.0, 3200.0, 3150.0],
             "fpubench.signal.signal.fpu-sse.cost.cost_p50_ns": [20.0, -5.0, 10.0],
             "fpubench.torture.pass": 1, "fpubench.skipped.kvm.any.skip": 1, "vmstat.nr_free_pages": 5}
    run = importing.read_lkp(tmp_path / "stats.json", json.dumps(stats))
    data = importing.result_of(run)
    entries = data["benchmarks"]
    assert [e["rtt_p50_ns"] for e in entries] == [3100.0, 3200.0, 3150.0]
    assert [e["cost_p50_ns"] for e in entries] == [20.0, -5.0, 10.0] and entries[0]["row"]["cost_figure"]
    assert data["torture"]["passed"] and "skipped.kvm.any" in data["context"]
