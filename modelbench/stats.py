"""Statistics of latency samples: summaries, bootstrap CIs, spread warnings, significance of a
difference (Mann–Whitney U) and change points in a history series. numpy only.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> fast, slow = rng.normal(100, 5, 200), rng.normal(110, 5, 200)
    >>> test = mann_whitney(fast, slow)
    >>> test.significant, test.p_value < 1e-6
    (True, True)
    >>> change_points([1.0, 1.1, 0.9, 1.0, 1.05, 2.0, 2.1, 1.9, 2.0, 2.05])
    [5]
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from .errors import ValidationError
from .records import LatencyStats

__all__ = ["summarize", "bootstrap_ci", "iqr_outliers", "spread_warnings", "mann_whitney",
           "MannWhitney", "holm", "pairwise", "change_points", "segments", "NS_PER_MS"]

NS_PER_MS = 1e6
#: Spread rules after pyperf (see :func:`spread_warnings`).
MAX_REL_SPREAD = 0.10
MAX_OUTLIER_SHARE = 0.05
MIN_BELOW_MEDIAN = 0.50
MIN_SAMPLES = 10
#: A per-call time below this is dominated by the timer's own cost (perf_counter_ns ~ 50-70 ns).
MIN_CALL_NS = 1_000


def _finite_1d(values: Any, what: str = "samples") -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).ravel()
    if array.size == 0:
        raise ValidationError(f"no {what} to summarise", hint="run at least one timed call")
    if not np.isfinite(array).all():
        raise ValidationError(f"{what} contain NaN/inf", hint="check how the samples were made")
    return array


def iqr_outliers(values: Any) -> int:
    """How many values lie beyond 1.5 interquartile ranges outside the quartiles (Tukey).

    >>> iqr_outliers([10, 11, 10, 12, 11, 10, 50])
    1
    """
    array = _finite_1d(values)
    q1, q3 = np.percentile(array, [25, 75])
    fence = 1.5 * (q3 - q1)
    return int(np.count_nonzero((array < q1 - fence) | (array > q3 + fence)))


def bootstrap_ci(values: Any, *, confidence: float = 0.95, n_resamples: int = 1000,
                 seed: int = 0, exact_above: int = 5_000) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of the median, seeded and vectorised.

    Up to ``exact_above`` samples: ``n_resamples`` resamples drawn as one ``(block, n)``
    index array at a time. Above it (a 1 µs model timed for 1 s gives ~10^6 samples), the
    resampling would cost ``n_resamples * n`` and is replaced by its large-sample limit: the
    order statistics at ranks ``n/2 ± z·sqrt(n)/2``, found with one ``np.partition``.

    >>> low, high = bootstrap_ci(np.arange(1.0, 101.0))
    >>> low < 50.5 < high
    True
    """
    array = _finite_1d(values)
    n = array.size
    if n == 1:
        return float(array[0]), float(array[0])
    if n > exact_above:
        z = NormalDist().inv_cdf(0.5 + confidence / 2)
        half = z * math.sqrt(n) / 2
        ranks = [max(0, math.floor(n / 2 - half) - 1), min(n - 1, math.ceil(n / 2 + half) - 1)]
        low, high = np.partition(array, ranks)[ranks]
        return float(low), float(high)
    rng = np.random.default_rng(seed)
    block = max(1, min(n_resamples, 4_000_000 // n))
    medians = np.empty(n_resamples)
    for start in range(0, n_resamples, block):
        stop = min(n_resamples, start + block)
        idx = rng.integers(0, n, size=(stop - start, n))
        medians[start:stop] = np.median(array[idx], axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(medians, [tail, 100 - tail])
    return float(low), float(high)


def summarize(samples_ns: Any, *, items_per_call: float = 1.0, seed: int = 0) -> LatencyStats:
    """Latency statistics (milliseconds) of per-call samples given in nanoseconds.

    ``throughput`` is items per second at the median call time.

    >>> s = summarize([1_000_000, 2_000_000, 3_000_000])
    >>> s.median_ms, s.p90_ms, s.n_samples
    (2.0, 2.8, 3)
    """
    ns = _finite_1d(samples_ns)
    ms = ns / NS_PER_MS
    p50, p90, p95, p99 = np.percentile(ms, [50, 90, 95, 99])
    low, high = bootstrap_ci(ms, seed=seed)
    median = float(np.median(ms))
    return LatencyStats(
        mean_ms=float(ms.mean()), median_ms=median,
        stdev_ms=float(ms.std(ddof=1)) if ms.size > 1 else 0.0,
        min_ms=float(ms.min()), max_ms=float(ms.max()),
        p50_ms=float(p50), p90_ms=float(p90), p95_ms=float(p95), p99_ms=float(p99),
        ci_low_ms=low, ci_high_ms=high, outliers=iqr_outliers(ms), n_samples=int(ms.size),
        throughput=(items_per_call / (median / 1000.0)) if median > 0 else None)


def spread_warnings(samples_ns: Any) -> list[str]:
    """Why these samples may not be trusted; empty when they look fine.

    After pyperf's checks, adapted to per-call samples (which, unlike pyperf's averaged
    values, always have a long right tail of interrupted calls, so the stdev and the
    maximum are not used): too few samples; an interquartile range above 10 % of the median
    (pyperf: stdev above 10 % of the mean); more than 5 % of calls beyond the IQR fences; a
    minimum below half the median; a median so short that the timer's own cost dominates.

    >>> spread_warnings([100_000] * 50)
    []
    >>> spread_warnings([100_000, 300_000] * 10)[0].startswith("the spread")
    True
    """
    ns = _finite_1d(samples_ns)
    out: list[str] = []
    if ns.size < MIN_SAMPLES:
        out.append(f"only {ns.size} timed calls; at least {MIN_SAMPLES} are needed to trust "
                   "the spread (raise min_calls or min_time)")
    q1, median, q3 = (float(v) for v in np.percentile(ns, [25, 50, 75]))
    if median > 0 and (q3 - q1) / median > MAX_REL_SPREAD:
        out.append(f"the spread (interquartile range) is {(q3 - q1) / median:.0%} of the "
                   f"median, more than {MAX_REL_SPREAD:.0%}: the benchmark looks unstable "
                   "(busy machine, CPU frequency changes, GC?)")
    outliers = iqr_outliers(ns)
    if ns.size >= MIN_SAMPLES and outliers / ns.size > MAX_OUTLIER_SHARE:
        out.append(f"{outliers / ns.size:.0%} of the calls are outliers (beyond 1.5 IQR); "
                   "something else competed for the machine")
    if median > 0 and float(ns.min()) < median * (1 - MIN_BELOW_MEDIAN):
        out.append(f"the minimum is {(median - ns.min()) / median:.0%} below the median "
                   "(calls of very different cost?)")
    if median < MIN_CALL_NS:
        out.append(f"the median call takes {median:.0f} ns; below {MIN_CALL_NS} ns the timer's "
                   "own cost is a large part of each sample (use a larger batch_size)")
    return out


# -- significance -------------------------------------------------------------------------
@dataclass(frozen=True)
class MannWhitney:
    """Result of :func:`mann_whitney` for samples ``a`` and ``b``.

    ``effect_size`` is the rank-biserial correlation in [-1, 1] (positive: ``a`` tends to be
    larger); ``prob_a_greater`` is P(a > b) + P(a = b)/2, the common-language effect size.
    """

    u: float
    z: float
    p_value: float
    effect_size: float
    prob_a_greater: float
    n_a: int
    n_b: int
    median_a: float
    median_b: float
    alpha: float

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["significant"] = self.significant
        return data


def _average_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """1-based ranks with ties averaged, and the sizes of the tie groups."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, ordered.size])
    group_rank = starts + (sizes + 1) / 2.0
    ranks = np.empty(values.size)
    ranks[order] = np.repeat(group_rank, sizes)
    return ranks, sizes


def mann_whitney(a: Any, b: Any, *, alpha: float = 0.05) -> MannWhitney:
    """Two-sided Mann–Whitney U test of whether ``a`` and ``b`` differ in location.

    Normal approximation with tie correction and continuity correction (as
    ``scipy.stats.mannwhitneyu(method="asymptotic")``); accurate for the sample counts a
    benchmark produces (tens and more per side). ``u`` is the statistic of ``a``.
    """
    x = _finite_1d(a, "first sample set")
    y = _finite_1d(b, "second sample set")
    n1, n2 = x.size, y.size
    ranks, ties = _average_ranks(np.concatenate([x, y]))
    u1 = float(ranks[:n1].sum() - n1 * (n1 + 1) / 2.0)
    u2 = n1 * n2 - u1
    n = n1 + n2
    mu = n1 * n2 / 2.0
    tie_term = float((ties.astype(np.float64) ** 3 - ties).sum())
    var = n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1))) if n > 1 else 0.0
    if var <= 0:  # every value identical: no evidence of a difference
        z, p = 0.0, 1.0
    else:
        z = (max(u1, u2) - mu - 0.5) / math.sqrt(var)
        p = min(1.0, math.erfc(z / math.sqrt(2.0)))
    prob = u1 / (n1 * n2)
    return MannWhitney(u=u1, z=z, p_value=p, effect_size=2 * prob - 1, prob_a_greater=prob,
                       n_a=n1, n_b=n2, median_a=float(np.median(x)),
                       median_b=float(np.median(y)), alpha=alpha)


def holm(p_values: list[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values (for many pairwise comparisons at once).

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = round(running, 15)
    return adjusted


def pairwise(samples_ns: dict[str, Any], *, alpha: float = 0.05) -> list[dict[str, Any]]:
    """Every pair of named latency sample sets (ns), tested with :func:`mann_whitney`.

    In the given order, each dict has ``a, b, median_a_ms, median_b_ms``, ``ratio``
    (median b / median a), ``p_value``, ``p_adjusted`` (Holm over all pairs), ``effect_size``,
    ``significant`` and ``faster`` (the faster name, or ``None`` when not significant).
    Sets with no samples are skipped.

    >>> out = pairwise({"x": [100] * 30 + [101] * 30, "y": [200] * 30 + [201] * 30})
    >>> out[0]["faster"], out[0]["ratio"] > 1.9
    ('x', True)
    """
    names = [k for k, v in samples_ns.items() if np.asarray(v).size]
    pairs = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            test = mann_whitney(samples_ns[a], samples_ns[b], alpha=alpha)
            pairs.append({
                "a": a, "b": b,
                "median_a_ms": test.median_a / NS_PER_MS, "median_b_ms": test.median_b / NS_PER_MS,
                "ratio": test.median_b / test.median_a if test.median_a else math.inf,
                "p_value": test.p_value, "effect_size": test.effect_size})
    for pair, adjusted in zip(pairs, holm([p["p_value"] for p in pairs]), strict=True):
        pair["p_adjusted"] = adjusted
        pair["significant"] = adjusted < alpha
        faster = pair["a"] if pair["median_a_ms"] <= pair["median_b_ms"] else pair["b"]
        pair["faster"] = faster if pair["significant"] else None
    return pairs


# -- change points ---------------------------------------------------------------------------
def _noise_sigma(x: np.ndarray) -> float:
    """Robust noise level: MAD of first differences / (0.6745 * sqrt 2), immune to the shifts."""
    if x.size < 3:
        return 0.0
    diffs = np.diff(x)
    mad = float(np.median(np.abs(diffs - np.median(diffs))))
    return mad / (0.6745 * math.sqrt(2.0))


def _best_split(x: np.ndarray, min_size: int) -> tuple[int, float]:
    """Index and cost reduction of the best single mean-shift split of ``x``."""
    n = x.size
    cums = np.cumsum(x)
    total = cums[-1]
    k = np.arange(min_size, n - min_size + 1)
    if k.size == 0:
        return -1, 0.0
    left = cums[k - 1]
    # Reduction of the sum of squared errors from splitting at k: n_l n_r / n (mean_l - mean_r)^2
    mean_l = left / k
    mean_r = (total - left) / (n - k)
    gain = k * (n - k) / n * (mean_l - mean_r) ** 2
    best = int(np.argmax(gain))
    return int(k[best]), float(gain[best])


def _median_gain(x: np.ndarray, k: int) -> float:
    """The split gain recomputed with medians: a lone outlier moves a mean, not a median."""
    n = x.size
    return k * (n - k) / n * float(np.median(x[:k]) - np.median(x[k:])) ** 2


def change_points(series: Any, *, min_size: int = 3, penalty: float = 3.0) -> list[int]:
    """Indices where the level of a series shifts (each index starts a new segment).

    Method: binary segmentation on the mean. The best split of a segment (the one that most
    reduces its sum of squared errors) is kept when the reduction exceeds
    ``penalty * sigma**2 * log(n)``, with ``sigma`` a robust noise estimate from the MAD of
    first differences of the whole series, and when the same gain computed from the medians
    of the two sides also exceeds it (so a single outlier is not a level change); kept
    halves are split again. Segments are at least ``min_size`` long. Suited to a history of
    scores or latency medians.
    """
    x = _finite_1d(series, "series values")
    sigma = _noise_sigma(x)
    scale = float(np.abs(x).mean()) or 1.0
    floor = (1e-9 * scale) ** 2  # a perfectly flat series still needs a real shift
    threshold = penalty * max(sigma**2, floor) * math.log(max(x.size, 2))
    found: list[int] = []
    pending = [(0, x.size)]
    while pending:
        start, stop = pending.pop()
        if stop - start < 2 * min_size:
            continue
        part = x[start:stop]
        split, gain = _best_split(part, min_size)
        if split < 0 or gain <= threshold or _median_gain(part, split) <= threshold:
            continue
        found.append(start + split)
        pending.extend([(start, start + split), (start + split, stop)])
    return sorted(found)


def segments(series: Any, **options: Any) -> list[dict[str, float | int]]:
    """The series cut at :func:`change_points`: start, stop (exclusive), mean of each segment.

    >>> [s["mean"] for s in segments([1, 1, 1, 1, 5, 5, 5, 5])]
    [1.0, 5.0]
    """
    x = _finite_1d(series, "series values")
    cuts = [0, *change_points(x, **options), x.size]
    return [{"start": a, "stop": b, "mean": float(x[a:b].mean())}
            for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
