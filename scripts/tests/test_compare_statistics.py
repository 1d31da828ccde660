"""The across-runs statistics on synthetic run sets with a known run-to-run spread: how often
identical kernels are called different, how often a real shift is found, and what too few runs
give. Each simulated comparison has 20 rows, half with 1% and half with 3% run-to-run noise."""
import numpy as np
import pytest

from fpubench_cli import compare, runs, stats

SIGMAS = np.array([0.01] * 10 + [0.03] * 10)
SIMULATIONS = 1000


def label(rng, n, shift_in_sigmas=0.0):
    rows = {}
    for i, sigma in enumerate(SIGMAS):
        values = 1000.0 * (i + 1) * np.exp(rng.normal(shift_in_sigmas * sigma, sigma, n))
        rows[f"row{i}"] = runs.RowRuns("rtt_p50_ns", "ns", "ratio", list(values))
    return rows


def called(shift_in_sigmas, n=3, seed=11):
    """The fraction of rows called faster or slower, over SIMULATIONS comparisons."""
    rng = np.random.default_rng(seed)
    calls = total = 0
    for _ in range(SIMULATIONS):
        rows = compare.compare_rows(label(rng, n), label(rng, n, shift_in_sigmas))
        calls += sum(r.verdict in ("faster", "slower") for r in rows)
        total += len(rows)
    return calls / total


def test_identical_kernels_are_called_different_at_most_alpha_plus_two_points():
    assert called(0.0) <= compare.Thresholds().alpha + 0.02


def test_a_shift_of_three_run_to_run_sigmas_is_found_in_four_of_five_comparisons_with_three_runs_a_side():
    assert called(3.0) >= 0.80


def test_fewer_than_three_runs_give_insufficient_runs_and_no_verdict():
    rng = np.random.default_rng(3)
    for n in (1, 2):
        rows = compare.compare_rows(label(rng, n), label(rng, n, 10.0))
        assert {r.verdict for r in rows} == {compare.INSUFFICIENT}


def test_the_interval_and_the_minimum_detectable_effect_follow_the_numbers_of_runs():
    rng = np.random.default_rng(5)
    a, b = rng.normal(0, 1, 3), rng.normal(0, 1, 3)
    few = stats.run_level_change(a, b)
    many = stats.run_level_change(np.concatenate([a, rng.normal(0, 1, 9)]), np.concatenate([b, rng.normal(0, 1, 9)]))
    assert few.high - few.low > many.high - many.low
    assert few.resolves > many.resolves > 0
    assert few.low < few.estimate < few.high


def test_the_variance_prior_is_strong_when_rows_vary_alike_and_absent_with_too_few_rows():
    rng = np.random.default_rng(2)
    alike = [np.var(rng.normal(0, 1, 6), ddof=1) for _ in range(200)]
    d0, s0 = stats.variance_prior(alike, [5] * 200)
    assert d0 > 20 and s0 == pytest.approx(1.0, rel=0.2)
    assert stats.variance_prior([1.0, 2.0], [4, 4]) == (0.0, 0.0)
