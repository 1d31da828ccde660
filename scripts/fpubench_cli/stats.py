"""Statistics. Within one run (the self-check): a bootstrap confidence interval of the relative
change over repetitions and Mann-Whitney U p-values. Across runs (a kernel comparison): a t-test
on run summaries whose variances are moderated across rows, with the minimum detectable effect."""
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special
from scipy import stats as sps

BOOTSTRAP_RESAMPLES = 4000


def relative_change_ci(a, b, confidence=0.95, seed=1):
    """median(b)/median(a) - 1 and its bootstrap CI (resampling repetitions of each side)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    change = float(np.median(b) / np.median(a) - 1.0)
    rng = np.random.default_rng(seed)
    ra = rng.choice(a, size=(BOOTSTRAP_RESAMPLES, a.size), replace=True)
    rb = rng.choice(b, size=(BOOTSTRAP_RESAMPLES, b.size), replace=True)
    ratios = np.median(rb, axis=1) / np.median(ra, axis=1) - 1.0
    tail = (1.0 - confidence) / 2.0 * 100.0
    lo, hi = np.percentile(ratios, [tail, 100.0 - tail])
    return change, float(lo), float(hi)


def mann_whitney_p(a, b):
    """Two-sided Mann-Whitney U p-value; 1.0 when either side has fewer than two values."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.size < 2 or b.size < 2:
        return 1.0
    if np.all(a == a[0]) and np.all(b == b[0]) and a[0] == b[0]:
        return 1.0
    return float(sps.mannwhitneyu(a, b, alternative="two-sided").pvalue)


def samples_from_histograms(histograms, limit=200_000):
    """Per-round-trip samples (bucket lower edges, repeated by count) pooled over repetitions,
    thinned evenly to at most `limit` so the test stays fast."""
    values = [np.repeat(np.asarray(lower, float), np.asarray(counts, int))
              for lower, counts in histograms]
    if not values:
        return np.array([])
    s = np.concatenate(values)
    if s.size > limit:
        s = np.sort(s)[np.linspace(0, s.size - 1, limit).astype(int)]
    return s


# Across runs (boots): the unit of a kernel comparison.

def variance_prior(variances, dfs):
    """Empirical-Bayes prior for per-row run-to-run variances (Smyth 2004, the limma method): the
    (degrees of freedom d0, variance s0^2) that best describe how the rows' sample variances
    scatter. d0 is large when the rows vary alike, small when they do not; (0, 0) with fewer than
    three usable rows."""
    s2, d = np.asarray(variances, float), np.asarray(dfs, float)
    ok = (s2 > 0) & (d > 0)
    s2, d = s2[ok], d[ok]
    if s2.size < 3:
        return 0.0, 0.0
    e = np.log(s2) - special.digamma(d / 2) + np.log(d / 2)
    excess = np.var(e, ddof=1) - np.mean(special.polygamma(1, d / 2))
    if excess <= special.polygamma(1, 1e6):  # the rows scatter no more than sampling alone would
        return np.inf, float(np.exp(e.mean()))
    if excess >= special.polygamma(1, 1e-4):
        return 0.0, 0.0
    half_d0 = optimize.brentq(lambda x: special.polygamma(1, x) - excess, 1e-4, 1e6)
    d0 = 2 * half_d0
    return float(d0), float(np.exp(e.mean() + special.digamma(half_d0) - np.log(half_d0)))


def pooled_variance(a, b):
    """(the two samples' pooled variance, its degrees of freedom)."""
    d = a.size + b.size - 2
    return (np.var(a, ddof=1) * (a.size - 1) + np.var(b, ddof=1) * (b.size - 1)) / d, d


@dataclass
class RunLevelChange:
    estimate: float   # B - A on the scale compared (log ratio, or ns)
    low: float        # 95% confidence interval of the estimate
    high: float
    p: float
    run_sd: float     # run-to-run standard deviation of one run (moderated)
    resolves: float   # the change detected with 80% power at these numbers of runs
    df: float


def run_level_change(a, b, prior=(0.0, 0.0), alpha=0.05, power=0.8):
    """Two-sample t on run summaries with the row's variance moderated toward the prior: B - A,
    its CI, p, one run's SD and the minimum detectable effect. Needs two runs on each side."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    s2, d = pooled_variance(a, b)
    d0, s0 = prior
    if np.isinf(d0):
        s2_mod, df = s0, 1e6
    elif d0 > 0:
        s2_mod, df = (d0 * s0 + d * s2) / (d0 + d), d0 + d
    else:
        s2_mod, df = s2, d
    se = np.sqrt(s2_mod * (1 / a.size + 1 / b.size))
    estimate = float(b.mean() - a.mean())
    # scipy.special's Student t functions: the same values as scipy.stats.t, a hundred times faster.
    t_crit = special.stdtrit(df, 1 - alpha / 2)
    if se == 0:
        p = 1.0 if estimate == 0 else 0.0
    else:
        p = float(2 * special.stdtr(df, -abs(estimate) / se))
    return RunLevelChange(estimate, estimate - t_crit * se, estimate + t_crit * se, p,
                          float(np.sqrt(s2_mod)), float((t_crit + special.stdtrit(df, power)) * se), float(df))
