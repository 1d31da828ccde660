"""Variance components and the optimal replication (Kalibera & Jones 2013) on synthetic runs whose
components are known, and the plan compare prints on recorded result files."""
import math

import numpy as np
import pytest

from fpubench_cli.analysis import design, result_sets, stats
from fpubench_cli.presentation import compare_format
from test_compare import make_label


def synthetic_runs(rng, within_sd, between_sd, runs, repetitions, level=1000.0):
    """Log-normal figures: a run effect of between_sd, a repetition effect of within_sd."""
    return [list(level * np.exp(rng.normal(0, between_sd) + rng.normal(0, within_sd, repetitions)))
            for _ in range(runs)]


def test_the_components_come_back_from_runs_whose_components_are_known():
    rng = np.random.default_rng(1)
    c = design.components(synthetic_runs(rng, 0.20, 0.04, runs=3000, repetitions=5), log=True)
    assert math.sqrt(c.within) == pytest.approx(0.20, rel=0.05)
    assert math.sqrt(c.between) == pytest.approx(0.04, rel=0.15)
    assert (c.repetitions, c.runs) == (5, 3000)


def test_a_run_effect_smaller_than_repetition_noise_over_repetitions_is_floored_at_zero():
    rng = np.random.default_rng(2)
    c = design.components(synthetic_runs(rng, 0.20, 0.0, runs=3, repetitions=5), log=True)
    assert c.between >= 0.0


def test_optimal_repetitions_follow_kalibera_and_jones():
    c = design.Components(within=1.0, between=1.0, repetitions=5, runs=10)
    assert design.optimal_repetitions(c, repetition_cost=1.0, run_cost=100.0) == 10  # sqrt(100 * 1 / 1)
    assert design.optimal_repetitions(c, repetition_cost=1.0, run_cost=1.0) == 2     # never below 2
    noisy = design.Components(within=0.04, between=0.0004, repetitions=5, runs=10)
    assert design.optimal_repetitions(noisy, 0.1, 120.0) == design.MAX_REPETITIONS
    quiet_runs = design.Components(within=0.04, between=0.0, repetitions=5, runs=10)
    assert design.optimal_repetitions(quiet_runs, 0.1, 120.0) == design.MAX_REPETITIONS


def test_detectable_is_the_same_figure_compare_prints_as_resolves():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 5), rng.normal(0, 1, 5)
    variance, _ = stats.pooled_variance(a, b)
    assert design.detectable(variance, 5) == pytest.approx(stats.run_level_change(a, b).resolves)


def test_more_runs_are_needed_for_a_finer_target_and_none_past_the_limit():
    assert design.runs_needed(0.01, 0.05) > design.runs_needed(0.01, 0.2) >= design.MIN_RUNS
    assert design.runs_needed(1.0, 1e-3) is None


def test_compare_prints_a_plan_for_rows_that_resolve_worse_than_the_target(tmp_path):
    spread = [1.00, 1.08, 0.93]  # 8% run-to-run: nothing resolves 1% at 3 runs a side
    a = result_sets.load(make_label(tmp_path, "A", spread, first_hour=0, hour_step=2))
    b = result_sets.load(make_label(tmp_path, "B", spread[::-1], first_hour=1, hour_step=2))
    designs = design.comparison_designs(a, b)
    assert designs and all(d.repetitions >= 2 for d in designs)
    line = design.summary(designs)
    assert line.startswith(f"{sum(d.resolves_now > d.target for d in designs)} of {len(designs)} rows resolve worse")
    assert "repetitions per run" in line and "runs a side" in line
    assert design.plan_lines(designs, {"pingpong/futex/same-pu/none"})[0].startswith("pingpong/futex/same-pu/none: "
                                                                                      "resolves ±")


def test_a_comparison_prints_its_plan_before_its_verdict(tmp_path):
    from fpubench_cli.analysis import compare
    a = result_sets.load(make_label(tmp_path, "A", [1.00, 1.08, 0.93], first_hour=0, hour_step=2))
    b = result_sets.load(make_label(tmp_path, "B", [0.93, 1.08, 1.00], first_hour=1, hour_step=2))
    c = compare.compare_sets(a, b)
    c.plan = design.summary(design.comparison_designs(a, b))
    text = compare_format.as_text(c).splitlines()
    assert text[-1].startswith("verdict: ") and text[-3].startswith("plan: ")
