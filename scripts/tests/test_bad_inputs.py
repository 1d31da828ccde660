"""The careless user's inputs from the reliability issue, one test per behaviour: each checks the
exit status, the one-line message, and that no file is left behind or changed. They run the real
entry point and binary, with results in a temporary folder (FPUBENCH_RESULTS)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fpubench_cli import paths
from fpubench_cli.errors import UserError
from fpubench_cli.linux_guest import boot
from fpubench_cli.running import run
from written import REFERENCE

SCRIPT = paths.REPO / "scripts" / "fpubench"
BINARY = paths.BINARY
QUICK_ROW = ["--benchmark_filter=^signal/self/none/", "--benchmark_min_time=0.001"]  # has a histogram


def fpubench(results, *args, timeout=300):
    env = dict(os.environ, FPUBENCH_RESULTS=str(results))
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=timeout)


def files_in(folder):
    return sorted(p.relative_to(folder) for p in Path(folder).rglob("*") if p.is_file()) if Path(folder).exists() else []


def last_line(out):
    return out.stderr.strip().splitlines()[-1]


def one_label_file(tmp_path, name, data, histograms=None):
    d = tmp_path / name
    d.mkdir(exist_ok=True)
    (d / "run.json").write_text(json.dumps(data))
    if histograms is not None:
        (d / "run.histograms.json").write_text(histograms)
    return d


# 1. Two (or twenty) runs with one label in the same second.
@pytest.mark.slow
def test_twenty_concurrent_runs_with_one_label_give_twenty_valid_distinct_results(tmp_path):
    code = ("import sys; sys.path.insert(0, %r); from fpubench_cli.running import run; "
            "run.run_suite(label='race', results_dir=%r, quick=True, extra=%r, do_setup=False)"
            % (str(paths.REPO / "scripts"), str(tmp_path), QUICK_ROW))
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True) for _ in range(20)]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    results = sorted((tmp_path / "race").glob("*Z*.json"))
    mains = [r for r in results if not r.name.endswith(".histograms.json")]
    assert len(mains) == 20
    for r in mains:
        assert json.loads(r.read_text())["benchmarks"]
        assert json.loads(r.with_name(r.stem + ".histograms.json").read_text())["histograms"]
    assert not list((tmp_path / "race").glob(".*"))


# 2. Every repetition's histogram.
def test_every_repetition_keeps_its_own_histogram(tmp_path):
    out = tmp_path / "h.json"
    subprocess.run([str(BINARY), "--benchmark_filter=^signal/self/none/", "--benchmark_min_time=0.001",
                    "--benchmark_repetitions=3", f"--histograms-out={out}"], capture_output=True, check=True)
    reps = [h["repetition_index"] for h in json.loads(out.read_text())["histograms"]]
    assert sorted(reps) == [0, 1, 2]


# 3. SIGTERM, and a killed wrapper.
def _start_run(tmp_path, label, seconds):
    env = dict(os.environ, FPUBENCH_RESULTS=str(tmp_path))
    return subprocess.Popen([str(SCRIPT), "run", "--label", label, "--", "--benchmark_filter=^signal/self/none/",
                             f"--benchmark_min_time={seconds}", "--benchmark_repetitions=1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)


def _binary_alive(label):
    return subprocess.run(["pgrep", "-f", f"label={label},"], capture_output=True).returncode == 0


def _wait_for_partial(folder, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if list(Path(folder).glob(".*.partial.json")):
            return
        time.sleep(0.1)
    raise AssertionError("the run never started writing")


def test_sigterm_stops_the_run_and_its_binary_and_leaves_nothing(tmp_path):
    p = _start_run(tmp_path, "term", 30)
    _wait_for_partial(tmp_path / "term")
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 128 + signal.SIGTERM
    assert "stopped by SIGTERM" in err.strip().splitlines()[-1] and "Traceback" not in err
    time.sleep(0.5)
    assert not _binary_alive("term")
    assert files_in(tmp_path / "term") == []


def test_a_killed_wrapper_takes_its_binary_along_and_the_next_run_sweeps_the_leftover(tmp_path):
    p = _start_run(tmp_path, "kill", 30)
    _wait_for_partial(tmp_path / "kill")
    p.kill()
    p.wait()
    time.sleep(1)
    assert not _binary_alive("kill")
    leftovers = list((tmp_path / "kill").glob(".*.partial.json"))
    assert leftovers
    out = fpubench(tmp_path, "run", "--label", "kill", "--", *QUICK_ROW)
    assert out.returncode == 0, out.stderr
    assert f"removed {leftovers[0].name}" in out.stderr
    assert not list((tmp_path / "kill").glob(".*.partial.*"))


# 4. and 5. Torture that tested nothing, or was interrupted.
def test_torture_with_a_vanishing_duration_still_tests_each_scenario(tmp_path):
    out = fpubench(tmp_path, "torture", "--seconds", "1e-9", "--only", "host/signals", "--label", "t")
    assert out.returncode == 0, out.stdout + out.stderr
    [summary] = (tmp_path / "t").glob("*.torture.json")
    scenario = json.loads(summary.read_text())["torture"]["scenarios"][0]
    assert scenario["status"] == "ok" and scenario["count"] > 0


def test_interrupted_torture_keeps_its_partial_summary_and_fails(tmp_path):
    env = dict(os.environ, FPUBENCH_RESULTS=str(tmp_path))
    # A shell without job control starts background jobs with SIGINT ignored, and Python keeps an
    # ignored SIGINT ignored: give the wrapper the default, whatever started this test run.
    p = subprocess.Popen([str(SCRIPT), "torture", "--seconds", "60", "--only", "host", "--label", "t"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_for_partial(tmp_path / "t")
    time.sleep(1)
    p.send_signal(signal.SIGINT)  # to the wrapper only, as a kill -INT would
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    [summary] = (tmp_path / "t").glob("*.torture.json")
    torture = json.loads(summary.read_text())["torture"]
    assert torture["verdict"] == "interrupted" and torture["interrupted"] and not torture["passed"]
    assert not list((tmp_path / "t").glob(".*"))


# 8. compare: foreign files in a label, bad thresholds.
def test_a_label_mixing_machines_is_refused_and_force_separates_it_in_a_warning(tmp_path):
    data = json.loads(REFERENCE.read_text())
    a = one_label_file(tmp_path, "A", data)
    b = one_label_file(tmp_path, "B", data)
    foreign = json.loads(REFERENCE.read_text())
    foreign["context"]["cpu_model"] = "0x11"
    (b / "foreign.json").write_text(json.dumps(foreign))
    out = fpubench(tmp_path, "compare", str(a), str(b))
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "mixes results of different machines" in out.stderr and "cpu_model" in out.stderr
    forced = fpubench(tmp_path, "compare", str(a), str(b), "--force", "--no-fail")
    assert forced.returncode == 0 and "mixes machines or builds" in forced.stdout


@pytest.mark.parametrize("flag,value", [("--alpha", "2"), ("--alpha", "0"), ("--min-change", "-0.1"),
                                        ("--counter-delta", "-1")])
def test_impossible_thresholds_are_refused(tmp_path, flag, value):
    out = fpubench(tmp_path, "compare", "a", "b", flag, value)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and flag in out.stderr


# 10. Malformed histogram files.
@pytest.mark.parametrize("content", ["[1,2]", '{"histograms":[{"foo":1}]}', '{"histograms": 3}', "{"])
@pytest.mark.parametrize("command", ["compare", "plot", "report"])
def test_a_malformed_histogram_file_is_one_line_naming_it(tmp_path, content, command):
    data = json.loads(REFERENCE.read_text())
    a = one_label_file(tmp_path, "A", data, content)
    b = one_label_file(tmp_path, "B", data)
    before = files_in(tmp_path)
    out = fpubench(tmp_path, command, str(a), str(b))
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1
    assert "run.histograms.json" in out.stderr
    assert files_in(tmp_path) == before


# 11. Wrong diagnoses.
def test_a_filter_that_matches_nothing_says_so(tmp_path):
    out = fpubench(tmp_path, "run", "--label", "k", "--", "--benchmark_filter=nomatch")
    assert out.returncode == 2
    assert "matches none of the" in out.stderr and "did not finish" not in out.stderr
    assert files_in(tmp_path / "k") == []


@pytest.mark.parametrize("flag", ["--benchmark_out=F", "--benchmark_out_format=csv", "--histograms-out=h.json"])
def test_flags_that_would_move_the_result_are_refused_before_running(tmp_path, flag):
    out = fpubench(tmp_path, "run", "--label", "k", "--", flag)
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "run writes its own result files" in out.stderr
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("value", ["0", "-3"])
def test_repetitions_below_one_are_refused(tmp_path, value):
    out = fpubench(tmp_path, "run", "--label", "k", "--", f"--benchmark_repetitions={value}")
    assert out.returncode == 2
    assert "--benchmark_repetitions takes a whole number from 1 to 10000" in out.stderr
    assert "vector::reserve" not in out.stderr and files_in(tmp_path / "k") == []


def test_guest_without_dev_kvm_says_use_tcg_at_once(tmp_path):
    with pytest.raises(UserError, match="has none .*--accel tcg"):
        boot.check_accelerator("kvm", dev_kvm=str(tmp_path / "no-kvm"))
    boot.check_accelerator("tcg", dev_kvm=str(tmp_path / "no-kvm"))


# 12. Checks that used to come after the work.
def test_selfcheck_rejects_a_bad_label_before_any_trial(tmp_path):
    start = time.monotonic()
    out = fpubench(tmp_path, "selfcheck", "--label", "../x")
    assert out.returncode == 2 and "label '../x'" in out.stderr
    assert time.monotonic() - start < 20 and files_in(tmp_path) == []


@pytest.mark.parametrize("args,message", [
    (["--histograms-out=nodir/h.json"], "its folder does not exist"),
    (["--pin=,"], "leaves one empty"),
    (["--pin"], "--pin needs a value"),
    (["--inject-ns"], "--inject-ns needs a value"),
    (["--histograms-out"], "--histograms-out needs a value"),
])
def test_the_binary_refuses_bad_arguments_before_measuring(tmp_path, args, message):
    start = time.monotonic()
    out = subprocess.run([str(BINARY), *args], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 2 and message in last_line(out)
    assert "Benchmark" not in out.stdout and time.monotonic() - start < 20


def test_run_extra_flags_are_checked_without_a_binary():
    with pytest.raises(UserError, match="run writes its own"):
        run.check_extra_flags(["--benchmark_out_format=csv"])


@pytest.mark.parametrize("args,message", [
    (["run", "--label", ""], "label '' is not usable"),
    (["run", "--counters", ""], "--counters needs a value"),
    (["guest", "--smp", "0", "--accel", "tcg"], "must be above zero"),
    (["guest", "--memory", "-5", "--accel", "tcg"], "must be above zero"),
    (["torture", "--seconds", "0"], "must be above zero"),
])
def test_empty_or_impossible_values_are_refused_not_replaced_by_defaults(tmp_path, args, message):
    out = fpubench(tmp_path, *args)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr
    assert files_in(tmp_path) == []
