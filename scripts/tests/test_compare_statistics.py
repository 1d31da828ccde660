"""The across-runs statistics on synthetic labels shaped like real ones: ~200 rows whose run-to-run
noise differs by 10x between rows (log-uniform, 0.5% to 5%), heavy-tailed (Student t, 4 degrees
of freedom) and correlated (a third of each run's noise is a machine factor shared by every row of
that run). Each row's within-run variance of its summary (the prior's covariate, known from its
repetitions) is its run-to-run variance times a row factor between 1 and 3, estimated from ten
repetitions: informative, not exact. A comparison is judged as compare judges it: per-row moderated
t, then Benjamini-Hochberg over all rows."""
import numpy as np
import pytest

from fpubench_cli.analysis import compare, per_run, schema, stats

ROWS = 200
SIMULATIONS = 1000
SHARED = 0.3        # share of a run's variance that every row of the run has in common
TAIL_DF = 4
REPETITIONS = 10


class Machine:
    """Rows with fixed noise levels; label() draws runs of one kernel, shifted where asked."""

    def __init__(self, rng):
        self.rng = rng
        self.sigma = np.exp(rng.uniform(np.log(0.005), np.log(0.05), ROWS))
        self.within = self.sigma * np.exp(rng.uniform(0, np.log(3), ROWS))

    def label(self, n, shifted=(), shift_in_sigmas=0.0):
        rng = self.rng
        machine = rng.normal(size=n)
        own = rng.standard_t(TAIL_DF, size=(ROWS, n)) / np.sqrt(TAIL_DF / (TAIL_DF - 2))
        log_values = self.sigma[:, None] * (np.sqrt(SHARED) * machine + np.sqrt(1 - SHARED) * own)
        log_values[list(shifted)] += shift_in_sigmas * self.sigma[list(shifted), None]
        dof = REPETITIONS - 1
        within = self.within[:, None] ** 2 * rng.chisquare(dof, size=(ROWS, n)) / dof
        return {f"row{i:03d}": per_run.RowRuns("rtt_p50_ns", "ns", "ratio", list(1000.0 * (i + 1) * np.exp(log_values[i])),
                                            within_var=list(within[i]))
                for i in range(ROWS)}


def comparisons(n, shifted=(), shift_in_sigmas=0.0, simulations=SIMULATIONS, seed=11):
    """Yields the rows of each simulated comparison, n runs a side."""
    rng = np.random.default_rng(seed)
    thresholds = compare.Thresholds(min_change=0.0)
    for _ in range(simulations):
        machine = Machine(rng)
        yield compare.compare_rows(machine.label(n), machine.label(n, shifted, shift_in_sigmas), thresholds)


def changed(rows):
    return [r for r in rows if r.verdict in ("faster", "slower")]


@pytest.mark.slow
@pytest.mark.parametrize("n", [3, 5])
def test_identical_kernels_report_any_change_in_at_most_five_percent_of_comparisons(n):
    reporting = sum(bool(changed(rows)) for rows in comparisons(n))
    assert reporting / SIMULATIONS <= 0.05


@pytest.mark.slow
def test_a_three_sd_shift_in_ten_of_two_hundred_rows_is_found_in_four_of_five_shifted_rows_at_five_runs_a_side():
    shifted = range(0, ROWS, ROWS // 10)
    names = {f"row{i:03d}" for i in shifted}
    found = total = 0
    false_shares = []
    for rows in comparisons(5, shifted, 3.0, simulations=300):
        calls = {r.name for r in changed(rows)}
        found += len(calls & names)
        total += len(names)
        false_shares.append(len(calls - names) / max(len(calls), 1))
    assert found / total >= 0.80
    # The false discovery rate itself: the mean share of false calls per comparison. (Correlated
    # rows make false calls cluster, so the share over all calls pooled is higher: not the FDR.)
    assert np.mean(false_shares) <= 0.05


def test_only_the_controlled_verdicts_name_a_row_changed_and_each_row_keeps_its_own_p():
    rows = next(comparisons(5))
    assert all(r.q is not None and r.q >= r.p for r in rows)
    assert all((r.verdict in ("faster", "slower")) == (r.q <= 0.05) for r in rows)


def test_benjamini_hochberg_matches_the_step_up_rule_on_a_known_case():
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216]
    rejected, adjusted = stats.benjamini_hochberg(p, 0.05)
    assert list(rejected) == [True, True] + [False] * 8
    assert adjusted[0] == pytest.approx(0.01) and adjusted[1] == pytest.approx(0.04)
    assert list(adjusted) == sorted(adjusted)


def test_the_prior_follows_the_within_run_noise_when_rows_differ_tenfold():
    rng = np.random.default_rng(4)
    sigma = np.exp(rng.uniform(np.log(0.005), np.log(0.05), 300))
    variances = sigma ** 2 * rng.chisquare(8, 300) / 8
    d0, prior = stats.variance_prior(variances, [8] * 300, covariates=sigma ** 2)
    assert d0 > 20
    assert np.median(prior / sigma ** 2) == pytest.approx(1.0, rel=0.2)
    d0_flat, _ = stats.variance_prior(variances, [8] * 300)
    assert d0_flat < 5  # without the trend the tenfold spread leaves almost nothing to borrow


def test_fewer_than_three_runs_give_insufficient_runs_and_no_verdict():
    machine = Machine(np.random.default_rng(3))
    for n in (1, 2):
        rows = compare.compare_rows(machine.label(n), machine.label(n, range(ROWS), 10.0))
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
    assert d0 > 20 and np.median(s0) == pytest.approx(1.0, rel=0.2)
    d0, s0 = stats.variance_prior([1.0, 2.0], [4, 4])
    assert d0 == 0.0 and not s0.any()


class ModalMachine(Machine):
    """Machine plus speed modes: in 40% of runs the whole machine is 10% slower; kernel rows feel it
    with their own sensitivity (0.5x to 3x, as same-PU round trips feel it more than instructions),
    and 20 kernel-free control rows (XSAVE-family rows) feel it one-for-one."""
    CONTROLS = 20

    def __init__(self, rng):
        super().__init__(rng)
        self.sensitivity = rng.uniform(0.5, 3.0, ROWS)
        self.sensitivity[:self.CONTROLS] = 1.0

    def label(self, n, shifted=(), shift_in_sigmas=0.0):
        slow = np.log(1.10) * (self.rng.random(n) < 0.4)
        rows = super().label(n, shifted, shift_in_sigmas)
        out = {}
        for i, (name, r) in enumerate(sorted(rows.items())):
            r.values = list(np.asarray(r.values) * np.exp(self.sensitivity[i] * slow))
            r.files = [f"run{j}" for j in range(n)]
            if i < self.CONTROLS:
                name = f"xsave/control{i:03d}"
                r.row = schema.Row(suite="xsave", family=name, role="control")  # as the binary writes it
            out[name] = r
        return out


@pytest.mark.slow
def test_a_machine_with_speed_modes_stays_quiet_and_adjusting_for_it_finds_more_of_a_real_shift():
    rng = np.random.default_rng(21)
    thresholds = compare.Thresholds(min_change=0.0)
    shifted = range(ModalMachine.CONTROLS, ROWS, (ROWS - ModalMachine.CONTROLS) // 10)
    names = {f"row{i:03d}" for i in shifted}
    reporting, found = 0, {True: 0, False: 0}
    for _ in range(200):
        machine = ModalMachine(rng)
        a, b = machine.label(5), machine.label(5)
        a2, b2 = machine.label(5), machine.label(5, shifted, 3.0)
        for r in list(b.values()) + list(b2.values()):
            r.files = [f + "b" for f in r.files]
        reporting += bool([r for r in compare.compare_rows(a, b, thresholds) if r.timing])
        for adjust in (True, False):
            rows = compare.compare_rows(a2, b2, thresholds, adjust=adjust)
            found[adjust] += len({r.name for r in rows if r.timing} & names)
    assert reporting / 200 <= 0.05
    assert found[True] > 1.2 * found[False]
