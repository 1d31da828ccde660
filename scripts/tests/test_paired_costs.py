"""Rows measured in time-paired blocks carry their xstate cost themselves (cost_figure): every
reader takes it from there, never from the difference of two benchmarks, and says what the
pairing's A/A shows. Entries are built with the fields the binary writes (`fpubench plan --json`)."""
import subprocess

import pytest

from fpubench_cli import paths, result_checks
from fpubench_cli.analysis import design, per_run, result_sets, xstate_model
from fpubench_cli.errors import UserError
from fpubench_cli.presentation import summary_tables
from fpubench_cli.running import selfcheck, selfcheck_runs
import written
from written import entry

PROFILE = written.ENTRY_PROFILES[0]


def planned(*flags):
    return written.planned(PROFILE, *flags)


COSTS = [100.0, 120.0, 90.0, 110.0, 105.0, 95.0, 115.0]
AA = [0.0, 10.0, -10.0, 0.0, 10.0, -10.0, 0.0]


def paired_run(name="pingpong/futex/same-pu/avx512", none_p50=5000.0):
    """A run's entries: the none row and a paired row whose held side is 6000 ns."""
    family = name.rsplit("/", 1)[0]
    out = []
    for rep, (cost, aa) in enumerate(zip(COSTS, AA)):
        out.append(entry(f"{family}/none", rep, rtt_p50_ns=none_p50))
        out.append(entry(name, rep, rtt_p50_ns=6000.0, init_rtt_p50_ns=6000.0 - cost, cost_p50_ns=cost,
                         aa_cost_p50_ns=aa))
    return out


def result(benchmarks):
    return result_sets.of_result(written.result(benchmarks, tsc_hz="1000000000"))


def test_the_binary_marks_every_row_with_a_state_as_paired():
    rows = planned()
    assert rows["pingpong/futex/same-pu/avx512"]["cost_figure"] == "cost_p50_ns"
    assert rows["signal/self/avx512"]["cost_figure"] == "cost_p50_ns"
    assert rows["pingpong/futex/same-pu/none"]["cost_figure"] == ""


def test_a_paired_cost_is_the_median_of_its_own_cost_not_the_difference_of_two_rows():
    # The none benchmark, run at another moment, says 1000 ns: the pair says what it measured.
    rows = per_run.by_row(result(paired_run()))
    cost = rows["xstate-cost/pingpong/futex/same-pu/avx512"]
    assert cost.kind == "difference" and cost.values == [105.0]
    assert "xstate-cost/pingpong/futex/same-pu/none" not in rows


def test_a_paired_cost_needs_no_baseline_benchmark_in_the_run():
    only_paired = [e for e in paired_run() if not e["name"].startswith("pingpong/futex/same-pu/none")]
    assert per_run.by_row(result(only_paired))["xstate-cost/pingpong/futex/same-pu/avx512"].values == [105.0]


def test_the_design_reads_the_same_paired_costs():
    rs = result(paired_run())
    assert design.repetition_figures(rs, "xstate-cost/pingpong/futex/same-pu/avx512",
                                     cost_of="pingpong/futex/same-pu/avx512") == [COSTS]


def test_an_old_file_without_the_field_still_subtracts_its_baseline():
    old = [dict(e, row={k: v for k, v in e["row"].items() if k != "cost_figure"}) for e in paired_run()]
    assert per_run.by_row(result(old))["xstate-cost/pingpong/futex/same-pu/avx512"].values == [1000.0]


def test_the_explanation_takes_the_paired_cost_and_judges_the_a_a():
    xsave = [entry("xsave/XSAVEC/avx/init", 0, ticks_per_insn=50.0)]  # the prediction wants the family there
    rows = {r["benchmark"]: r for r in xstate_model.predict(result(paired_run() + xsave))["rows"]}
    r = rows["pingpong/futex/same-pu/avx512"]
    assert r["measured_ns"] == 105.0 and r["aa_ns"] == 0.0
    assert r["aa_low_ns"] <= 0 <= r["aa_high_ns"]
    table = summary_tables.xstate_table({"rows": [r]})
    assert "A/A ns [95%]" in table and "holds 0 in 1 of 1 rows" in table


def test_a_cost_or_its_a_a_may_be_negative_a_round_trip_may_not(tmp_path):
    e = entry("pingpong/futex/same-pu/avx512", 0, rtt_p50_ns=6000.0, cost_p50_ns=-20.0, aa_cost_p50_ns=-10.0)
    result_checks.check_entry(tmp_path / "r.json", e)
    with pytest.raises(UserError, match="'rtt_p50_ns' is -1.0"):
        result_checks.check_entry(tmp_path / "r.json", dict(e, rtt_p50_ns=-1.0))
    with pytest.raises(UserError, match="must be a finite number"):
        result_checks.check_entry(tmp_path / "r.json", dict(e, cost_p50_ns=float("nan")))


def test_the_cost_self_check_judges_the_cost_in_ns():
    name = "pingpong/futex/same-pu/avx512"
    rows = planned(f"--selfcheck={name}", "--inject-cost-ns=100")
    benchmarks = []
    for variant, shift in (("a", 0.0), ("a-again", 0.0), ("inject", 100.0)):
        full = f"selfcheck/{variant}/{name}"
        benchmarks += [entry(full, rep, rows[full], rtt_p50_ns=6000.0 + shift, cost_p50_ns=cost + shift)
                       for rep, cost in enumerate(COSTS * 2)]
    sides = selfcheck.split_variants(result(benchmarks), name, cost=True)
    trial = selfcheck.judge(sides, name, 100.0, selfcheck.compare.Thresholds(), cost=True)
    assert trial.detected and trial.inject_change == pytest.approx(100.0) and trial.aa_verdict != "slower"
    assert "+100 ns" in selfcheck.format_trials(name, [trial])


def test_the_cost_self_check_refuses_a_row_without_a_paired_cost():
    name = "pingpong/futex/same-pu/none"
    planned()  # skips when there is no binary
    proc = subprocess.run([str(paths.BINARY), "plan", f"--profile={PROFILE}", f"--selfcheck={name}",
                           "--inject-cost-ns=100"], capture_output=True, text=True)
    assert proc.returncode == 2 and "--inject-cost-ns delays the held side of a row with an FPU state" in proc.stderr
    assert proc.stderr.count("\n") == 1
    # A result of such a row (made with --inject-ns) is refused by the judging side too.
    rows = planned(f"--selfcheck={name}", "--inject-ns=100")
    benchmarks = [entry(f"selfcheck/{v}/{name}", 0, rows[f"selfcheck/{v}/{name}"], rtt_p50_ns=5000.0)
                  for v in ("a", "a-again", "inject")]
    with pytest.raises(UserError, match="--cost needs a row measured in time-paired blocks"):
        selfcheck.split_variants(result(benchmarks), name, cost=True)


def test_a_cost_delay_lengthens_the_cost_rows_and_nothing_else():
    rows = per_run.by_row(result(paired_run()))
    cost_row, round_trip = rows["xstate-cost/pingpong/futex/same-pu/avx512"], rows["pingpong/futex/same-pu/avx512"]
    assert selfcheck_runs._delayed(cost_row, cost=True) and not selfcheck_runs._delayed(round_trip, cost=True)
    assert selfcheck_runs._delayed(round_trip) and not selfcheck_runs._delayed(cost_row)
