"""Comparisons on real result data (the binary's reference run), copied and shifted synthetically."""
import csv
import io
import json

import pytest

from fpubench_cli import cli
from fpubench_cli.analysis import compare, per_run, result_sets
from fpubench_cli.errors import UserError
from fpubench_cli.presentation import compare_email, compare_format, plots
from written import REFERENCE, reference

SCALED = ("rtt_mean_ns", "rtt_p50_ns", "rtt_p90_ns", "rtt_p99_ns", "rtt_p999_ns", "rtt_max_ns", "init_rtt_p50_ns",
          "cost_p50_ns", "aa_cost_p50_ns", "ticks_per_insn", "ticks_per_insn_min", "ns_per_insn", "ns_per_op",
          "real_time", "cpu_time")


def reference_copy(factor=1.0, edit=None, run=0):
    """The reference run (and its histograms) with every timing scaled by `factor`, dated `run`
    hours into the day so runs can be ordered."""
    data, hist = reference()
    for b in data["benchmarks"]:
        for k in SCALED:
            if b.get(k) is not None:
                b[k] *= factor
    for h in hist["histograms"]:
        h["bucket_lower_ns"] = [x * factor for x in h["bucket_lower_ns"]]
    data["context"]["date"] = f"2026-11-25T{run:02d}:00:00+00:00"
    if edit:
        edit(data)
    return data, hist


def make_label(tmp_path, name, factors, edit=None, first_hour=0, hour_step=1):
    """A label of len(factors) runs, each the reference scaled by its factor."""
    d = tmp_path / name
    d.mkdir()
    for i, factor in enumerate(factors):
        data, hist = reference_copy(factor, edit, first_hour + i * hour_step)
        (d / f"run{i}.json").write_text(json.dumps(data))
        (d / f"run{i}.histograms.json").write_text(json.dumps(hist))
    return d


def copy_reference(tmp_path, name, factor=1.0, edit=None):
    """A label holding one run."""
    return make_label(tmp_path, name, [factor], edit)


# Run-to-run drift of a few tenths of a percent, as seen between boots of one kernel.
A_RUNS = [1.000, 1.004, 0.997]
B_RUNS = [1.002, 0.998, 1.003]


def compared(tmp_path, factor=1.0, edit=None, a_runs=A_RUNS, b_runs=B_RUNS):
    """A and B labels of three runs each, alternating in time; B's runs scaled by `factor`."""
    a = result_sets.load(make_label(tmp_path, "A", a_runs, first_hour=0, hour_step=2))
    b = result_sets.load(make_label(tmp_path, "B", [f * factor for f in b_runs], edit, first_hour=1, hour_step=2))
    return compare.compare_sets(a, b)


def row(c, name):
    return next(r for r in c.rows if r.name == name)


def test_reference_loads_with_histograms():
    rs = result_sets.load(REFERENCE)
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
    for name in ("pingpong/futex/same-pu/none", "signal/self/avx", "xsave/XSAVEOPT/avx512/unmodified"):
        r = row(c, name)
        # The XSAVE family is user-mode work no kernel change moves: its verdict is its own.
        assert r.verdict == (compare.KERNEL_FREE + verdict if r.fields.kernel_free else verdict), name
        assert r.change == pytest.approx(factor - 1, abs=0.005)
        assert r.ci[0] <= factor - 1 <= r.ci[1]
        assert r.p < 0.05 and r.runs == (3, 3)


def test_counter_deltas_are_exact_and_named(tmp_path):
    counter = "x86_fpu:x86_fpu_regs_activated/op"
    def no_fpu_switches(data):
        for b in data["benchmarks"]:
            if b["row"]["name"] == "pingpong/futex/same-pu/none" and counter in b:
                b[counter] = 0.0
    c = compared(tmp_path, edit=no_fpu_switches)
    r = row(c, "pingpong/futex/same-pu/none")
    assert r.verdict == "counts changed"
    assert (counter, 2.0, 0.0) in r.counters
    assert f"{counter} 2.00 → 0.00" in compare_format.as_text(c, show_details=True)


def test_one_sided_benchmarks_and_repetition_counts_are_said(tmp_path):
    def drop(data):
        data["benchmarks"] = [b for b in data["benchmarks"]
                              if b["row"]["suite"] != "signal"
                              and not (b["row"]["name"] == "pingpong/futex/same-pu/none" and b.get("repetition_index") == 4)]
    c = compared(tmp_path, edit=drop)
    assert "signal/self/none" in c.only_a and all("signal/" in name for name in c.only_a)
    assert "only in A (" in compare_format.as_text(c)


def test_time_units_are_converted(tmp_path):
    rs = result_sets.load(copy_reference(tmp_path, "A"))
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
    # Every absolute row is 10% slower; an xstate cost 10% larger is a change of either sign.
    as_json = json.loads(compare_format.as_json(c))["rows"]
    assert next(r for r in as_json if r["name"] == "pingpong/futex/same-pu/none")["verdict"] == "slower"
    rows = [r for r in csv.DictReader(io.StringIO(compare_format.as_csv(c))) if r["kind"] == "ratio"]
    kernel_free = {r.name: r.kernel_free for r in c.rows}
    assert rows and all(r["verdict"] == ("kernel-free: slower" if kernel_free[r["benchmark"]] else "slower") for r in rows)
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
        result_sets.load(bad)
    assert "\n" not in str(e.value) and "bad.json" in str(e.value)


def test_unknown_label_says_how_to_make_it(tmp_path):
    with pytest.raises(UserError, match="scripts/fpubench run --label nosuch"):
        result_sets.load("nosuch", results_dir=tmp_path)


def test_cli_exit_status_follows_regressions(tmp_path, capsys):
    a = make_label(tmp_path, "A", A_RUNS, first_hour=0, hour_step=2)
    b = make_label(tmp_path, "B", [f * 1.10 for f in B_RUNS], first_hour=1, hour_step=2)
    assert cli.main(["compare", str(a), str(b)]) == 1
    assert cli.main(["compare", str(a), str(b), "--no-fail"]) == 0
    assert cli.main(["compare", str(a), str(a)]) == 0
    assert cli.main(["compare", str(a), str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_timings_across_accelerators_need_force(tmp_path):
    def under_tcg(data):
        data["context"]["accelerator"] = "tcg"
    a = result_sets.load(make_label(tmp_path, "A", A_RUNS))
    b = result_sets.load(make_label(tmp_path, "B", [f * 1.5 for f in B_RUNS], under_tcg))
    refused = compare.compare_sets(a, b)
    assert any("functional only" in w and "--force" in w for w in refused.warnings)
    assert not refused.regressions
    assert {r.verdict for r in refused.rows} <= {"timing not compared", "counts changed"}
    assert compare.compare_sets(a, b, force_timing=True).regressions


def test_fewer_than_three_runs_give_figures_but_no_verdict(tmp_path, capsys):
    a = result_sets.load(copy_reference(tmp_path, "A"))
    b = result_sets.load(copy_reference(tmp_path, "B", 1.10))
    c = compare.compare_sets(a, b)
    assert c.insufficient and c.runs == (1, 1) and not c.regressions
    r = row(c, "pingpong/futex/same-pu/none")
    assert r.verdict == "insufficient runs" and r.change == pytest.approx(0.10)
    text = compare_format.as_text(c)
    assert "needs at least 3 runs on each side" in text and "alternating A B A B" in text
    assert cli.main(["compare", str(tmp_path / "A"), str(tmp_path / "B")]) == 0


def test_xstate_cost_rows_come_first_and_take_each_runs_paired_costs(tmp_path):
    c = compared(tmp_path)
    assert c.rows[0].kind == "difference"
    data, _ = reference()
    diffs = [b["cost_p50_ns"] for b in data["benchmarks"]
             if b["run_type"] == "iteration" and b["row"]["name"] == "pingpong/futex/same-pu/avx512"]
    assert len(diffs) == 5
    r = row(c, "xstate-cost/pingpong/futex/same-pu/avx512")
    assert r.kind == "difference" and r.unit == "ns"
    assert r.a_values[0] == pytest.approx(per_run.summarise(diffs, kind="difference"))  # run 0 is the unscaled reference


def test_runs_made_in_one_block_per_kernel_are_warned_about(tmp_path):
    a = result_sets.load(make_label(tmp_path, "A", A_RUNS, first_hour=0))
    b = result_sets.load(make_label(tmp_path, "B", B_RUNS, first_hour=10))
    c = compare.compare_sets(a, b)
    assert any("were made before all of" in w and "alternate" in w for w in c.warnings)
    (tmp_path / "alternating").mkdir()
    assert not any("were made before" in w for w in compared(tmp_path / "alternating").warnings)


def test_a_run_whose_kernel_free_reference_moved_is_flagged(tmp_path):
    def with_reference(value):
        def edit(data):
            for b in data["benchmarks"]:
                if b["row"]["role"] == "control" and b["row"]["suite"] == "reference":
                    b["ns_per_op"] = b["real_time"] = value
        return edit
    d = tmp_path / "A"
    d.mkdir()
    for i, value in enumerate([2000.0, 2004.0, 2300.0]):
        data, _ = reference_copy(edit=with_reference(value), run=i)
        (d / f"run{i}.json").write_text(json.dumps(data))
    c = compare.compare_sets(result_sets.load(d), result_sets.load(make_label(tmp_path, "B", B_RUNS)))
    [flag] = [w for w in c.warnings if "kernel-free reference" in w]
    assert "run2.json" in flag and "+14" in flag


def test_compare_shows_each_sides_predicted_copy_and_what_it_leaves_unexplained(tmp_path):
    def with_prediction(data):
        data["xstate_prediction"] = {"rows": [{"benchmark": "pingpong/futex/same-pu/avx512", "predicted_ns": 40.0,
                                               "measured_ns": 62.0}]}
    a = result_sets.load(make_label(tmp_path, "A", A_RUNS, with_prediction))
    b = result_sets.load(make_label(tmp_path, "B", B_RUNS, with_prediction))
    c = compare.compare_sets(a, b)
    r = row(c, "xstate-cost/pingpong/futex/same-pu/avx512")
    assert r.predicted == (40.0, 40.0)
    assert "predicted copy +40.0 → +40.0 ns, unexplained" in compare_format.as_text(c, show_details=True)
    assert any(p.name == "measured-vs-predicted.png" for p in plots.plot_all([a, b], tmp_path / "plots", c))


def test_the_email_format_keeps_to_72_columns_puts_changed_rows_first_and_names_the_command(tmp_path):
    c = compared(tmp_path, 1.10)
    text = compare_email.as_email(c)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 72
    assert any(line.startswith("command: scripts/fpubench") for line in lines[:6])
    table = lines.index(next(line for line in lines if line.strip().startswith("base")))
    first_row = next(line for line in lines[table + 2:] if line.strip())
    assert "(slower)" in first_row or "(slower)" in lines[lines.index(first_row) + 1]
    verdict = " ".join(lines[-4:])
    assert "timed kernel rows changed" in verdict and lines[-1].endswith("exit status 1 (a row is slower)")


def shift_kernel_rows(factor):
    """An edit that slows only rows a kernel change can move (not the kernel-free ones)."""
    def edit(data):
        for b in data["benchmarks"]:
            if b["row"]["role"] == "kernel":
                for k in SCALED:
                    if b.get(k) is not None:
                        b[k] *= factor
    return edit


def test_a_machine_that_changes_speed_between_runs_is_adjusted_for_and_not_called_a_kernel_change(tmp_path):
    # Every row, kernel-free ones included, moves with the machine: +8% in two runs of each label.
    speeds_a, speeds_b = [1.00, 1.08, 0.99, 1.08], [1.08, 1.00, 1.08, 1.01]
    a = result_sets.load(make_label(tmp_path, "A", speeds_a, first_hour=0, hour_step=2))
    b = result_sets.load(make_label(tmp_path, "B", speeds_b, first_hour=1, hour_step=2))
    c = compare.compare_sets(a, b)
    assert not c.regressions and not [r for r in c.rows if r.timing]
    assert any("adjusted for the machine" in n for r in c.rows for n in r.notes)


def test_a_kernel_change_is_found_through_the_machines_changes_of_speed(tmp_path):
    speeds_a, speeds_b = [1.00, 1.08, 0.99, 1.08], [1.08, 1.00, 1.08, 1.01]
    a = result_sets.load(make_label(tmp_path, "A", speeds_a, first_hour=0, hour_step=2))
    b = result_sets.load(make_label(tmp_path, "B", speeds_b, shift_kernel_rows(1.05), first_hour=1, hour_step=2))
    c = compare.compare_sets(a, b)
    r = row(c, "pingpong/futex/same-pu/none")
    assert r.verdict == "slower" and r.change == pytest.approx(0.05, abs=0.01)
    assert row(c, "xsave/XSAVEOPT/avx512/unmodified").verdict == "no significant change"
    raw = compare.compare_sets(a, b, adjust=False)
    assert row(raw, "pingpong/futex/same-pu/none").resolves > r.resolves  # the machine's noise, left in


def test_when_the_machine_changed_with_the_side_nothing_is_adjusted_and_the_warning_says_why(tmp_path):
    c = compared(tmp_path, 1.10)  # every row of B, kernel-free ones too, 10% slower: all of B's runs
    assert any("machine and kernel cannot be told apart" in w for w in c.warnings)
    assert any("kernel-free rows" in w and "changed" in w for w in c.warnings)
    assert row(c, "pingpong/futex/same-pu/none").verdict == "slower"


def test_the_columns_and_the_change_come_from_one_statistic_and_agree(tmp_path):
    c = compared(tmp_path, 1.07)
    for r in c.rows:
        if r.run_sd is None:
            continue
        if r.kind == "ratio":
            assert r.b_median / r.a_median - 1 == pytest.approx(r.change)
            assert r.ci[0] <= r.change <= r.ci[1]
        else:
            assert r.b_median - r.a_median == pytest.approx(r.change)


def test_three_against_three_puts_every_changed_row_on_the_first_screen_and_the_verdict_last(tmp_path):
    c = compared(tmp_path, 1.10)
    lines = compare_format.as_text(c).splitlines()
    changed = [r.name for r in c.changed]
    assert changed and all(any(line.startswith(name + " ") for line in lines[:50]) for name in changed)
    assert lines[-1].startswith("verdict: ")


def test_a_number_column_keeps_one_format_whatever_the_magnitudes(tmp_path):
    c = compared(tmp_path, 1.10)
    head, rows = compare_format.table_rows(c)
    a_column = [row[2] for row in rows if row[2] != "-"]
    decimals = {len(cell.split(".")[1]) if "." in cell else 0 for cell in a_column}
    assert len(decimals) == 1 and not any("e+" in cell for cell in a_column)


def test_no_machine_adjustment_or_warning_with_two_runs_a_side_or_timing_not_compared(tmp_path):
    a = result_sets.load(make_label(tmp_path, "A", [1.00, 1.01], first_hour=0, hour_step=2))
    b = result_sets.load(make_label(tmp_path, "B", [1.10, 1.11], first_hour=1, hour_step=2))
    warnings = []
    rows = compare.compare_rows(per_run.by_row(a), per_run.by_row(b), warnings=warnings)
    assert not warnings and not [r for r in rows if r.notes and "adjusted" in r.notes[0]]
    a3 = result_sets.load(make_label(tmp_path, "A3", [1.00, 1.01, 0.99], first_hour=0, hour_step=2))
    b3 = result_sets.load(make_label(tmp_path, "B3", [1.10, 1.11, 1.09], first_hour=1, hour_step=2))
    compare.compare_rows(per_run.by_row(a3), per_run.by_row(b3), timing_ok=False, warnings=warnings)
    assert not warnings
