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


def difference_ci(a, b, confidence=0.95, seed=1):
    """median(b) - median(a) and its bootstrap CI (resampling repetitions of each side): for figures
    that are themselves differences (an xstate cost), whose ratio means nothing near zero."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    rng = np.random.default_rng(seed)
    ra = rng.choice(a, size=(BOOTSTRAP_RESAMPLES, a.size), replace=True)
    rb = rng.choice(b, size=(BOOTSTRAP_RESAMPLES, b.size), replace=True)
    tail = (1.0 - confidence) / 2.0 * 100.0
    lo, hi = np.percentile(np.median(rb, axis=1) - np.median(ra, axis=1), [tail, 100.0 - tail])
    return float(np.median(b) - np.median(a)), float(lo), float(hi)


def mann_whitney_p(a, b):
    """Two-sided Mann-Whitney U p-value; 1.0 when either side has fewer than two values."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.size < 2 or b.size < 2:
        return 1.0
    if np.all(a == a[0]) and np.all(b == b[0]) and a[0] == b[0]:
        return 1.0
    return float(sps.mannwhitneyu(a, b, alternative="two-sided").pvalue)


def median_interval(values, confidence=0.95):
    """A distribution-free interval for the median of `values` (order statistics, binomial: the
    sign-test interval), or None with fewer than 6 values, which cannot give a 95% one."""
    v = np.sort(np.asarray(values, float))
    n = v.size
    if n < 6:
        return None
    k = int(sps.binom.ppf((1 - confidence) / 2, n, 0.5))  # 0-based index of the lower bound
    k = max(k - 1, 0) if sps.binom.cdf(k, n, 0.5) > (1 - confidence) / 2 else k
    return float(v[k]), float(v[n - 1 - k])


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

def variance_prior(variances, dfs, covariates=None):
    """Empirical-Bayes prior for per-row run-to-run variances (Smyth 2004, the limma method): the
    degrees of freedom d0 and, per row, the prior variance s0^2 that best describe how the rows'
    sample variances scatter. With `covariates` (each row's within-run variance of its run
    summary, known from its repetitions), the prior follows a trend in them (limma-trend): rows
    whose noise differs by 10x each get a prior of their own size instead of one shared value,
    which both keeps p-values calibrated and lets d0 be large. d0 is large when the rows scatter
    about the trend no more than sampling explains, small when they do; (0, zeros) with fewer
    than three usable rows. Returns (d0, array of s0^2, one per input row; 0 where unusable)."""
    s2, d = np.asarray(variances, float), np.asarray(dfs, float)
    cov = None if covariates is None else np.asarray(covariates, float)
    ok = (s2 > 0) & (d > 0) & np.isfinite(s2)
    if cov is not None:
        ok &= (cov > 0) & np.isfinite(cov)
    prior = np.zeros(s2.size)
    if ok.sum() < 3:
        return 0.0, prior
    e = np.log(s2[ok]) - special.digamma(d[ok] / 2) + np.log(d[ok] / 2)
    if cov is not None and np.ptp(np.log(cov[ok])) > 0 and ok.sum() >= 4:
        design = np.column_stack([np.ones(e.size), np.log(cov[ok])])
        beta = np.linalg.lstsq(design, e, rcond=None)[0]
        trend = lambda c: beta[0] + beta[1] * np.log(c)  # noqa: E731
        used = 2
    else:
        trend = lambda c: np.full(np.shape(c), e.mean())  # noqa: E731
        used = 1
    excess = np.sum((e - trend(cov[ok] if cov is not None else e)) ** 2) / (e.size - used) \
        - np.mean(special.polygamma(1, d[ok] / 2))
    where = cov if cov is not None else s2
    usable = (where > 0) & np.isfinite(where)
    if excess <= special.polygamma(1, 1e6):  # the rows scatter no more than sampling alone would
        prior[usable] = np.exp(trend(where[usable]))
        return np.inf, prior
    if excess >= special.polygamma(1, 1e-4):
        return 0.0, prior
    half_d0 = optimize.brentq(lambda x: special.polygamma(1, x) - excess, 1e-4, 1e6)
    prior[usable] = np.exp(trend(where[usable]) + special.digamma(half_d0) - np.log(half_d0))
    return float(2 * half_d0), prior


def benjamini_hochberg(pvalues, q=0.05):
    """(rejected, adjusted p) under the Benjamini-Hochberg step-up procedure at false discovery
    rate q. Written out because Debian 12's scipy (1.10) predates stats.false_discovery_control."""
    p = np.asarray(pvalues, float)
    m = p.size
    if m == 0:
        return np.zeros(0, bool), np.zeros(0)
    order = np.argsort(p)
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    out = np.empty(m)
    out[order] = adjusted
    return out <= q, out


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


@dataclass
class RowFit:
    """One row's B - A before moderation: the estimate, its variance per unit of run variance
    (1/na + 1/nb without a covariate), the residual variance and its degrees of freedom."""
    estimate: float
    scale: float
    s2: float
    df: int


def fit_row(a, b, wa=None, wb=None):
    """B - A from run summaries; with a machine factor per run (wa, wb), by least squares on
    [1, side, factor], so a run the machine slowed is judged for what the factor does not explain,
    with the row's own sensitivity to it. Without one (or too few runs for it), the two-sample
    difference of means with the pooled variance."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if wa is None or wb is None or a.size + b.size < 6:
        s2, d = pooled_variance(a, b)
        return RowFit(float(b.mean() - a.mean()), 1 / a.size + 1 / b.size, float(s2), int(d))
    y = np.concatenate([a, b])
    w = np.concatenate([np.asarray(wa, float), np.asarray(wb, float)])
    x = np.column_stack([np.ones(y.size), np.r_[np.zeros(a.size), np.ones(b.size)], w - w.mean()])
    inv = np.linalg.pinv(x.T @ x)
    beta = inv @ x.T @ y
    d = y.size - 3
    s2 = float(((y - x @ beta) ** 2).sum() / d)
    return RowFit(float(beta[1]), float(inv[1, 1]), s2, d)


def detectable_change(se, df, alpha=0.05, power=0.8):
    """The change a two-sided t-test with standard error `se` and `df` degrees of freedom finds
    with probability `power`: what compare prints as 'resolves'."""
    return float((special.stdtrit(df, 1 - alpha / 2) + special.stdtrit(df, power)) * se)


def moderated_change(fit, prior=(0.0, 0.0), alpha=0.05, power=0.8):
    """The fit's t-test with its variance moderated toward the prior (d0, s0^2): B - A, its CI, p,
    one run's SD and the minimum detectable effect."""
    d0, s0 = prior
    s2, d = fit.s2, fit.df
    if np.isinf(d0):
        s2_mod, df = s0, 1e6
    elif d0 > 0:
        s2_mod, df = (d0 * s0 + d * s2) / (d0 + d), d0 + d
    else:
        s2_mod, df = s2, d
    se = np.sqrt(s2_mod * fit.scale)
    estimate = fit.estimate
    # scipy.special's Student t functions: the same values as scipy.stats.t, a hundred times faster.
    t_crit = special.stdtrit(df, 1 - alpha / 2)
    if se == 0:
        p = 1.0 if estimate == 0 else 0.0
    else:
        p = float(2 * special.stdtr(df, -abs(estimate) / se))
    return RunLevelChange(estimate, estimate - t_crit * se, estimate + t_crit * se, p,
                          float(np.sqrt(s2_mod)), detectable_change(se, df, alpha, power), float(df))


def run_level_change(a, b, prior=(0.0, 0.0), alpha=0.05, power=0.8):
    """Two-sample t on run summaries with the row's variance moderated toward its prior (d0, s0^2):
    B - A, its CI, p, one run's SD and the minimum detectable effect. Needs two runs on each side."""
    return moderated_change(fit_row(a, b), prior, alpha, power)


def machine_factor(control_runs):
    """Per run, how much faster or slower the machine ran (RUV-2 with one factor, Gagnon-Bartsch &
    Speed 2012): the median over control rows, rows no kernel change should move, of each run's
    deviation from that row's mean over all runs. `control_runs`: one array per control row, a
    value per run on the log scale. None without controls."""
    if not control_runs:
        return None
    m = np.asarray(control_runs, float)
    return np.median(m - m.mean(axis=1, keepdims=True), axis=0)
