"""Comparisons on real result data (results/reference/), copied and shifted synthetically."""
import csv
import io
import json
from pathlib import Path

import pytest

from fpubench_cli import cli, compare, compare_format, results
from fpubench_cli.errors import UserError

REFERENCE = Path(__file__).resolve().parents[2] / "results" / "reference" / "kvm-guest-spr-amx.json"
SCALED = ("rtt_mean_ns", "rtt_p50_ns", "rtt_p90_ns", "rtt_p99_ns", "rtt_p999_ns", "rtt_max_ns",
          "ticks_per_insn", "ticks_per_insn_min", "ns_per_insn", "real_time", "cpu_time")


def copy_reference(tmp_path, name, factor=1.0, edit=None):
    """A copy of the reference run (and its histograms) with every timing scaled by `factor`."""
    data = json.loads(REFERENCE.read_text())
    hist = json.loads(REFERENCE.with_name(REFERENCE.stem + ".histograms.json").read_text())
    for b in data["benchmarks"]:
        for k in SCALED:
            if k in b:
                b[k] *= factor
    for h in hist["histograms"]:
        h["bucket_lower_ns"] = [x * factor for x in h["bucket_lower_ns"]]
    if edit:
        edit(data)
    d = tmp_path / name
    d.mkdir()
    (d / "run.json").write_text(json.dumps(data))
    (d / "run.histograms.json").write_text(json.dumps(hist))
    return d


def compared(tmp_path, factor=1.0, edit=None):
    a = results.load(copy_reference(tmp_path, "A"))
    b = results.load(copy_reference(tmp_path, "B", factor, edit))
    return compare.compare_sets(a, b)


def row(c, name):
    return next(r for r in c.rows if r.name == name)


def test_reference_loads_with_histograms():
    rs = results.load(REFERENCE)
    assert "pingpong/futex/same-pu/none" in rs.runs
    assert len(rs.runs["pingpong/futex/same-pu/none"]) == 5
    assert "pingpong/futex/same-pu/none" in rs.histograms
    assert rs.context["label"] == "reference-build"


def test_a_a_comparison_reports_no_change(tmp_path):
    c = compared(tmp_path)
    assert c.rows and all(r.verdict == "no significant change" for r in c.rows)
    assert not c.regressions and not c.only_a and not c.only_b


@pytest.mark.parametrize("factor, verdict", [(1.10, "slower"), (0.90, "faster")])
def test_shifted_copy_is_detected_with_sign_and_size(tmp_path, factor, verdict):
    c = compared(tmp_path, factor)
    for name in ("pingpong/futex/same-pu/none", "kvm/pio-exit/guest-sse/host-init",
                 "xsave/XSAVEOPT/avx512/unmodified"):
        r = row(c, name)
        assert r.verdict == verdict, name
        assert r.change == pytest.approx(factor - 1, abs=1e-9)
        assert r.ci[0] <= factor - 1 <= r.ci[1]
        assert r.p_repetitions < 0.05


def test_counter_deltas_are_exact_and_named(tmp_path):
    def no_fpu_swaps(data):
        for b in data["benchmarks"]:
            if b["name"].startswith("kvm/pio-exit") and "kvm:kvm_fpu/op" in b:
                b["kvm:kvm_fpu/op"] = 0.0
    c = compared(tmp_path, edit=no_fpu_swaps)
    r = row(c, "kvm/pio-exit/guest-sse/host-init")
    assert r.verdict == "counts changed"
    assert ("kvm:kvm_fpu/op", 2.0, 0.0) in r.counters
    assert "kvm:kvm_fpu/op 2.00 → 0.00" in compare_format.as_text(c)


def test_one_sided_benchmarks_and_repetition_counts_are_said(tmp_path):
    def drop(data):
        data["benchmarks"] = [b for b in data["benchmarks"]
                              if not b["name"].startswith("signal/")
                              and not (b["name"].startswith("pingpong/futex/same-pu/none") and b.get("repetition_index") == 4)]
    c = compared(tmp_path, edit=drop)
    assert c.only_a == ["signal/self/none"]
    assert "repetitions differ (5 vs 4)" in row(c, "pingpong/futex/same-pu/none").notes
    assert "only in A (1): signal/self/none" in compare_format.as_text(c)


def test_time_units_are_converted(tmp_path):
    rs = results.load(copy_reference(tmp_path, "A"))
    entry = {"real_time": 2.5, "time_unit": "us", "name": "x"}
    assert rs.real_time_ns(entry) == 2500.0
    with pytest.raises(UserError, match="unknown time unit"):
        rs.real_time_ns({"real_time": 1, "time_unit": "fortnight", "name": "x"})


def test_environment_differences_other_than_the_kernel_warn(tmp_path):
    def other_microcode(data):
        data["context"]["cpu_microcode"] = "0xdead"
        data["context"]["kernel_release"] = "6.99"
    c = compared(tmp_path, edit=other_microcode)
    keys = [k for k, _, _ in c.environment]
    assert "kernel_release" in keys and "cpu_microcode" in keys
    assert any("cpu_microcode" in w for w in c.warnings)


def test_formats(tmp_path):
    c = compared(tmp_path, 1.10)
    assert json.loads(compare_format.as_json(c))["rows"][0]["verdict"] == "slower"
    rows = list(csv.DictReader(io.StringIO(compare_format.as_csv(c))))
    assert rows and all(r["verdict"] == "slower" for r in rows)
    md = compare_format.as_markdown(c)
    assert md.splitlines()[0].startswith("## ") and "| benchmark |" in md


@pytest.mark.parametrize("content, message", [
    ('{"context": {}, "benchmarks": [{"name": "x"', "not valid JSON"),
    ('{"benchmarks": []}', "not a Google Benchmark result"),
])
def test_malformed_files_are_one_clear_line(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(UserError, match=message) as e:
        results.load(bad)
    assert "\n" not in str(e.value) and "bad.json" in str(e.value)


def test_unknown_label_says_how_to_make_it(tmp_path):
    with pytest.raises(UserError, match="scripts/fpubench run --label nosuch"):
        results.load("nosuch", results_dir=tmp_path)


def test_cli_exit_status_follows_regressions(tmp_path, capsys):
    a = copy_reference(tmp_path, "A")
    b = copy_reference(tmp_path, "B", 1.10)
    assert cli.main(["compare", str(a), str(b)]) == 1
    assert cli.main(["compare", str(a), str(b), "--no-fail"]) == 0
    assert cli.main(["compare", str(a), str(a)]) == 0
    assert cli.main(["compare", str(a), str(tmp_path / "missing")]) == 2
    assert "neither a result file" in capsys.readouterr().err


def test_timings_across_accelerators_need_force(tmp_path):
    def under_tcg(data):
        data["context"]["accelerator"] = "tcg"
    a = results.load(copy_reference(tmp_path, "A"))
    b = results.load(copy_reference(tmp_path, "B", 1.5, under_tcg))
    refused = compare.compare_sets(a, b)
    assert any("accelerators differ" in w and "--force" in w for w in refused.warnings)
    assert not refused.regressions
    assert compare.compare_sets(a, b, force_timing=True).regressions
