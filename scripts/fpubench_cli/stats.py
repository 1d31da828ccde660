"""Statistics for comparing two sets of repetitions: medians, a bootstrap confidence interval of
the relative change, and Mann-Whitney U p-values (over repetitions, and over per-round-trip
samples rebuilt from histograms)."""
import numpy as np
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
