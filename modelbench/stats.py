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

import dataclasses
import functools
import math
from dataclasses import asdict, dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from .errors import ValidationError
from .records import LatencyStats

__all__ = ["summarize", "bootstrap_ci", "iqr_outliers", "spread_warnings", "mann_whitney",
           "MannWhitney", "holm", "pairwise", "change_points", "segments", "NS_PER_MS",
           "run_medians", "run_floors", "run_statistics", "median_ci_runs", "speed_verdict",
           "quality_verdict", "mcnemar",
           "adjust_verdicts", "Verdict", "t_sf", "t_quantile", "rerun_interval", "rank_test_runs"]

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


def pairwise(samples_ns: dict[str, Any], *, alpha: float = 0.05,
             runs: dict[str, Any] | None = None, margin: float = 0.02) -> list[dict[str, Any]]:
    """Every pair of named latency sample sets (ns), in the given order.

    With ``runs`` (name -> run index of each sample) the pairs are judged the honest way:
    :func:`speed_verdict` on run medians, Holm-adjusted over all pairs
    (:func:`adjust_verdicts`); ``verdict`` describes ``a`` against ``b``, ``ratio`` is
    median b / median a as before, ``ci_low``/``ci_high`` bound it. Without ``runs`` (old
    callers) the per-call samples go through :func:`mann_whitney`, which treats every call
    as independent: with 10^4 calls any run-to-run drift becomes "significant". Such output
    says ``method: 'per-call Mann-Whitney'`` and must not be printed as a verdict.

    Each dict has ``a, b, median_a_ms, median_b_ms, ratio, p_value, p_adjusted,
    significant`` and ``faster`` (the faster name, or ``None``). Empty sets are skipped.

    >>> runs = {"x": [0, 1, 2, 3, 4], "y": [0, 1, 2, 3, 4]}
    >>> out = pairwise({"x": [100, 101, 102, 101, 100], "y": [200, 201, 203, 202, 200]},
    ...                runs=runs)
    >>> out[0]["verdict"], out[0]["faster"], out[0]["ratio"] > 1.9
    ('faster', 'x', True)
    """
    names = [k for k, v in samples_ns.items() if np.asarray(v).size]
    if runs is not None:
        return _pairwise_runs(samples_ns, runs, names, alpha=alpha, margin=margin)
    pairs = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            test = mann_whitney(samples_ns[a], samples_ns[b], alpha=alpha)
            pairs.append({
                "a": a, "b": b,
                "median_a_ms": test.median_a / NS_PER_MS, "median_b_ms": test.median_b / NS_PER_MS,
                "ratio": test.median_b / test.median_a if test.median_a else math.inf,
                "p_value": test.p_value, "effect_size": test.effect_size,
                "method": "per-call Mann-Whitney"})
    for pair, adjusted in zip(pairs, holm([p["p_value"] for p in pairs]), strict=True):
        pair["p_adjusted"] = adjusted
        pair["significant"] = adjusted < alpha
        faster = pair["a"] if pair["median_a_ms"] <= pair["median_b_ms"] else pair["b"]
        pair["faster"] = faster if pair["significant"] else None
    return pairs


def _pairwise_runs(samples_ns: dict[str, Any], runs: dict[str, Any], names: list[str], *,
                   alpha: float, margin: float) -> list[dict[str, Any]]:
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    verdicts = adjust_verdicts([speed_verdict(samples_ns[a], runs[a], samples_ns[b], runs[b],
                                              margin=margin, confidence=1 - alpha)
                                for a, b in pairs])
    out = []
    for (a, b), v in zip(pairs, verdicts, strict=True):
        centre_a = median_ci_runs(samples_ns[a], runs[a])[0]
        centre_b = median_ci_runs(samples_ns[b], runs[b])[0]
        faster = {"faster": a, "slower": b}.get(v.verdict)
        out.append({"a": a, "b": b, "median_a_ms": centre_a / NS_PER_MS,
                    "median_b_ms": centre_b / NS_PER_MS, "ratio": 1 / v.ratio,
                    "ci_low": 1 / v.ci_high, "ci_high": 1 / v.ci_low, "verdict": v.verdict,
                    "reason": v.reason, "p_value": v.p_value, "p_adjusted": v.p_adjusted,
                    "significant": v.decided, "faster": faster, "method": v.method,
                    "n_runs_a": v.n_runs_a, "n_runs_b": v.n_runs_b})
    return out


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


# -- Student's t (numpy/math only; SciPy is a test reference, not a dependency) -----------
def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz, as in
    Numerical Recipes 6.4); converges fast for ``x < (a + 1) / (a + b + 2)``."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                          -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float, y: float | None = None) -> float:
    """Regularised incomplete beta function I_x(a, b); ``y`` = 1 − x when known exactly
    (for x near 1, ``1 - x`` in floating point has lost the digits that matter)."""
    y = 1.0 - x if y is None else y
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log(y))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, y) / b


def t_sf(t: float, df: float) -> float:
    """Upper tail P(T > t) of Student's t with ``df`` degrees of freedom.

    >>> round(t_sf(2.0, 10), 6)
    0.036694
    """
    if math.isinf(df):
        return 0.5 * math.erfc(t / math.sqrt(2.0))
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t), t * t / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


def _t_pdf(t: float, df: float) -> float:
    log_pdf = (math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
               - (df + 1) / 2 * math.log1p(t * t / df))
    return math.exp(log_pdf)


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t: Newton steps on :func:`t_sf` from the normal
    quantile, kept inside a bracket that bisection narrows when a step leaves it.

    >>> round(t_quantile(0.975, 4), 4)
    2.7764
    """
    if not 0.0 < p < 1.0:
        raise ValidationError(f"quantile level {p} is not inside (0, 1)")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    target = 1.0 - p
    if math.isinf(df):
        return NormalDist().inv_cdf(p)
    low, high = 0.0, 1.0
    while t_sf(high, df) > target:
        low, high = high, high * 2.0
    x = min(max(NormalDist().inv_cdf(p), low), high)
    for _ in range(100):
        excess = t_sf(x, df) - target  # > 0: x is too small
        if excess > 0:
            low = x
        else:
            high = x
        if abs(excess) <= 1e-15 * target or high - low < 1e-13 * max(1.0, high):
            break
        step = x + excess / _t_pdf(x, df)
        x = step if low < step < high else (low + high) / 2.0
    return x


# -- runs: the unit of evidence -------------------------------------------------------------
def _calls_and_runs(latencies_ns: Any, run_index: Any) -> tuple[np.ndarray, np.ndarray]:
    """Finite latencies and their run indices, one each."""
    values = _finite_1d(latencies_ns, "latencies")
    runs = np.asarray(run_index).ravel()
    if runs.size != values.size:
        raise ValidationError(f"{values.size} latencies but {runs.size} run indices",
                              hint="pass one run index per latency (get_sample_runs)")
    return values, runs


def run_medians(latencies_ns: Any, run_index: Any) -> np.ndarray:
    """The median latency of each run, in the order of the run indices (ascending).

    A run is one independent measurement (its own process, by default); its calls share
    whatever that run's placement, frequency and memory layout did to them, so only the
    run medians, not the calls, are independent observations of the model's speed.

    >>> run_medians([5, 1, 3, 10, 30, 20], [0, 0, 0, 1, 1, 1]).tolist()
    [3.0, 20.0]
    """
    values, runs = _calls_and_runs(latencies_ns, run_index)
    order = np.lexsort((values, runs))
    ordered, ordered_runs = values[order], runs[order]
    starts = np.flatnonzero(np.r_[True, ordered_runs[1:] != ordered_runs[:-1]])
    sizes = np.diff(np.r_[starts, ordered.size])
    low_mid = starts + (sizes - 1) // 2
    high_mid = starts + sizes // 2
    return (ordered[low_mid] + ordered[high_mid]) / 2.0


#: The run statistic of speed verdicts: each run's 10th-percentile call (its "floor"),
#: used when every run has at least MIN_FLOOR_CALLS calls (5+ of them below the floor).
FLOOR_QUANTILE = 0.10
MIN_FLOOR_CALLS = 50
RUN_STATISTICS = ("floor", "median")


def run_floors(latencies_ns: Any, run_index: Any, *, batches: int = 1,
               quantile: float = FLOOR_QUANTILE) -> np.ndarray:
    """The fast end of each run: its calls' ``quantile`` (10th percentile), by run index.

    Why this, and not the median, carries speed verdicts: on a shared machine a run's calls
    are slowed for part of the run (another process on the core, a busy neighbour of the
    VM); the bulk of a disturbed run moves 5-25 % while its fastest tenth stays put. Between
    fresh-process runs of one function on this 2-core machine the log run medians spread
    2.5-3 %, the floors 0.5-0.8 % (benchmarks/bench_verdicts.py): four times less spread is
    sixteen times fewer runs for the same power. A change of the model's own speed moves
    its floor as it moves its median; what the floor does not see is a change confined to
    the slow calls (a tail; compare p99 for that).

    ``batches`` (> 1): the calls carry different batches in turn (call k of a run holds
    batch k mod ``batches``, as the runner times them), which may differ in work; then the
    floor is the mean over batches of each batch's own ``quantile``, so that the cheapest
    batches do not stand for all. A run that did not reach every batch gets NaN.

    >>> runs = np.repeat([0, 1], 10)
    >>> calls = np.r_[np.arange(100, 110), np.arange(100, 110) * 2]  # run 1 disturbed throughout
    >>> run_floors(calls, runs).tolist(), run_medians(calls, runs).tolist()
    ([100.9, 201.8], [104.5, 209.0])
    >>> run_floors([10, 50, 11, 52, 10, 51], [0] * 6, batches=2).tolist()  # (10 + 50.2) / 2
    [30.1]
    """
    values, runs = _calls_and_runs(latencies_ns, run_index)
    if not (isinstance(batches, (int, np.integer)) and batches >= 1):
        raise ValidationError(f"batches must be a whole number >= 1, got {batches!r}")
    out = []
    for run in np.unique(runs):
        calls = values[runs == run]  # in call order
        if batches == 1:
            out.append(float(np.quantile(calls, quantile)))
            continue
        position = np.arange(calls.size) % batches
        if calls.size < batches:
            out.append(math.nan)
            continue
        out.append(float(np.mean([np.quantile(calls[position == j], quantile)
                                  for j in range(batches)])))
    return np.asarray(out, dtype=np.float64)


def run_statistics(latencies_ns: Any, run_index: Any, *, statistic: str = "floor",
                   batches: int = 1) -> np.ndarray:
    """One value per run: ``'floor'`` (:func:`run_floors`) or ``'median'``
    (:func:`run_medians`, which ignores ``batches``).

    >>> run_statistics([1, 2, 3, 4], [0, 0, 1, 1], statistic="median").tolist()
    [1.5, 3.5]
    """
    if statistic == "floor":
        return run_floors(latencies_ns, run_index, batches=batches)
    _check_statistic(statistic)
    return run_medians(latencies_ns, run_index)


def _check_statistic(statistic: str) -> None:
    if statistic not in RUN_STATISTICS:
        raise ValidationError(f"unknown run statistic {statistic!r}",
                              hint=f"use one of {', '.join(RUN_STATISTICS)}")


def _log_run_medians(latencies_ns: Any, run_index: Any, what: str) -> np.ndarray:
    medians = run_medians(latencies_ns, run_index)
    if (medians <= 0).any():
        raise ValidationError(f"{what}: a run's median latency is not positive",
                              hint="latencies are durations in nanoseconds, above zero")
    return np.log(medians)


def _t_interval(logs: np.ndarray, confidence: float) -> tuple[float, float, float]:
    """Centre and t interval (log scale) of the mean of ``logs``; needs 2+ values."""
    n = logs.size
    centre = float(logs.mean())
    half = t_quantile(0.5 + confidence / 2, n - 1) * float(logs.std(ddof=1)) / math.sqrt(n)
    return centre, centre - half, centre + half


def _hierarchical_bootstrap(values: np.ndarray, runs: np.ndarray, *, confidence: float,
                            n_resamples: int, seed: int) -> tuple[float, float]:
    """Two-stage bootstrap (log scale): resample runs, then each chosen run's median from
    its own large-sample distribution (the order statistic at rank m/2 + z·sqrt(m)/2, z
    standard normal; exact resampling of 10^5 calls per run would cost 10^5 times more).
    The percentile interval is expanded after Hesterberg (2015) so that it matches the t
    interval for normal data: the percentile bootstrap is too narrow for few runs."""
    rng = np.random.default_rng(seed)
    order = np.lexsort((values, runs))
    ordered, ordered_runs = values[order], runs[order]
    starts = np.flatnonzero(np.r_[True, ordered_runs[1:] != ordered_runs[:-1]])
    sizes = np.diff(np.r_[starts, ordered.size])
    n = starts.size
    chosen = rng.integers(0, n, size=(n_resamples, n))
    z = rng.standard_normal((n_resamples, n))
    m = sizes[chosen]
    rank = np.clip(np.rint((m - 1) / 2 + z * np.sqrt(m) / 2), 0, m - 1).astype(np.int64)
    logs = np.log(ordered[starts[chosen] + rank]).mean(axis=1)
    t = t_quantile(0.5 + confidence / 2, n - 1) * math.sqrt(n / (n - 1))
    tail = NormalDist().cdf(-t) * 100
    low, high = np.percentile(logs, [tail, 100 - tail])
    return float(low), float(high)


def _floored_spread(logs: np.ndarray,
                    calibration: tuple[float, int] | None) -> tuple[float, int]:
    """(sd, df) of log run medians, the calibrated testbed spread as a floor; df 0: none."""
    n = logs.size
    sd, df = (float(logs.std(ddof=1)), n - 1) if n >= 2 else (math.nan, 0)
    if calibration is not None:
        sd_c, df_c = calibration
        if not (sd_c >= 0 and df_c >= 1):
            raise ValidationError(f"calibration (sd {sd_c}, df {df_c}) is not usable",
                                  hint="run `modelbench calibrate` with 2+ runs")
        if n < 2 or sd_c > sd:
            sd, df = float(sd_c), int(df_c)
    return sd, df


def median_ci_runs(latencies_ns: Any, run_index: Any, *, confidence: float = 0.95,
                   seed: int = 0, method: str = "t", n_resamples: int = 2000,
                   calibration: tuple[float, int] | None = None) -> tuple[float, float, float]:
    """The typical median latency across runs and its confidence interval: (centre, low, high).

    The centre is the geometric mean of the run medians (the median of a typical run); the
    interval comes from between-run variation only, because calls within one run are not
    independent (a run that landed on a slow core is slow in all its calls).

    ``method="t"`` (default): Student's t interval of the mean log run median. Why not a
    bootstrap: a benchmark affords 3-10 runs, and a bootstrap over runs never reaches
    beyond the range of the run medians (with 3 runs that range holds the true median only
    75 % of the time), while the percentile bootstrap under-covers in small samples anyway
    (Hesterberg 2015). A run median summarises thousands of calls, so its logarithm is
    close to normal, where t is exact; heavy-tailed run noise (an occasional disturbed run)
    widens s, which makes t conservative rather than wrong. The spread of the observed run
    medians already contains their within-run sampling error, so nothing is left out.

    ``method="bootstrap"``: a hierarchical (two-stage) bootstrap: runs resampled with
    replacement, then calls within each chosen run (Davison & Hinkley 1997, §3.8), with the
    expanded percentile interval. Use it with many runs (10+) when the run medians are far
    from log-normal.

    One run: nothing is known about run-to-run spread; the within-run bootstrap interval
    is returned, and it describes that run only, not what a rerun would give.

    ``calibration=(sd, df)`` (``modelbench calibrate``'s run-to-run spread of this testbed)
    is a floor for the t interval's s, as in :func:`rerun_interval`: five runs that missed
    the testbed's occasional slow run under-state the spread (the interval then holds the
    true median ~80 % of the time on a busy machine, benchmarks/bench_verdicts.py).

    >>> rng = np.random.default_rng(1)
    >>> runs = np.repeat(np.arange(5), 200)
    >>> calls = 1e5 * np.exp(rng.normal(0, 0.02, 5))[runs] * rng.lognormal(0, 0.1, 1000)
    >>> centre, low, high = median_ci_runs(calls, runs)
    >>> low < centre < high, 0.9e5 < low < high < 1.1e5
    (True, True)
    """
    values = _finite_1d(latencies_ns, "latencies")
    runs = np.asarray(run_index).ravel()
    logs = _log_run_medians(values, runs, "median_ci_runs")
    if calibration is not None and method == "t":
        sd, df = _floored_spread(logs, calibration)
        centre = float(logs.mean())
        half = t_quantile(0.5 + confidence / 2, df) * sd / math.sqrt(logs.size)
        return math.exp(centre), math.exp(centre - half), math.exp(centre + half)
    if logs.size == 1:
        low, high = bootstrap_ci(values, confidence=confidence, seed=seed)
        return float(np.median(values)), low, high
    if method == "t":
        centre, low, high = _t_interval(logs, confidence)
    elif method == "bootstrap":
        centre = float(logs.mean())
        low, high = _hierarchical_bootstrap(values, runs, confidence=confidence,
                                            n_resamples=n_resamples, seed=seed)
    else:
        raise ValidationError(f"unknown interval method {method!r}", hint="use 't' or 'bootstrap'")
    return math.exp(centre), math.exp(low), math.exp(high)


def rerun_interval(latencies_ns: Any, run_index: Any, *, rerun_runs: int | None = None,
                   confidence: float = 0.95,
                   calibration: tuple[float, int] | None = None) -> tuple[float, float, float]:
    """Prediction interval of an independent rerun's median: (centre, low, high).

    This, not :func:`median_ci_runs`, answers "where will the median of my next run of this
    benchmark fall?". That interval bounds the true median, and a rerun's own estimate
    wobbles too, so a correct 95 % CI holds a rerun's median only P(|T| < t/√2) of the time
    (88 % with 5 runs). This is the t prediction interval of a mean of ``rerun_runs``
    (default: as many runs as here) new log run medians, centre ± t·s·sqrt(1/n + 1/m).
    It needs 2+ runs (NaN bounds otherwise), or a calibration.

    ``calibration=(sd, df)`` — this testbed's run-to-run spread of log run medians as
    ``modelbench calibrate`` stores it — is a floor for s (t on its df when it is the larger):
    on a busy machine one run in four or five may be 1.5-1.8x slow, and five runs that all
    missed such a run show a spread of ~0.5 %, while the rerun may well catch one. Only a
    spread measured over many runs knows how often that happens (benchmarks/
    bench_verdicts.py: on real runs of a busy machine, 5-run coverage rises from ~85 % to
    the goal with the floor).

    >>> runs = np.repeat(np.arange(5), 2)
    >>> calls = 1e5 * np.array([1.0, 1.01, 0.99, 1.02, 0.98])[runs]
    >>> centre, low, high = rerun_interval(calls, runs)
    >>> _, ci_low, ci_high = median_ci_runs(calls, runs)
    >>> low < ci_low < centre < ci_high < high
    True
    >>> _, wide_low, wide_high = rerun_interval(calls, runs, calibration=(0.2, 19))
    >>> wide_low < 0.8e5 and wide_high > 1.25e5  # the testbed's spread, not these 5 runs'
    True
    """
    logs = _log_run_medians(latencies_ns, run_index, "rerun_interval")
    n = logs.size
    m = n if rerun_runs is None else rerun_runs
    if m < 1:
        raise ValidationError(f"rerun_runs must be at least 1, got {m}")
    centre = float(logs.mean())
    own_sd, df = _floored_spread(logs, calibration)
    if df < 1:
        return math.exp(centre), math.nan, math.nan
    half = t_quantile(0.5 + confidence / 2, df) * own_sd * math.sqrt(1 / n + 1 / m)
    return math.exp(centre), math.exp(centre - half), math.exp(centre + half)


# -- verdicts -------------------------------------------------------------------------------
SPEED_WORDS = ("faster", "slower", "same", "inconclusive")
QUALITY_WORDS = ("better", "worse", "same", "inconclusive")


@dataclass(frozen=True)
class Verdict:
    """What a comparison of A with B supports, in words, with the numbers behind it.

    Speed (:func:`speed_verdict`): ``ratio`` is A's typical run ``statistic`` ('floor': the
    10th-percentile call; 'median') over B's (< 1: A takes less time) and
    ``ci_low``/``ci_high`` its interval; ``verdict`` describes
    A: 'faster', 'slower', 'same' (the interval lies inside ±margin: any difference is too
    small to matter) or 'inconclusive' (the runs cannot tell). Quality
    (:func:`quality_verdict`): ``effect == 'difference'``, ``ratio`` holds score(A) −
    score(B) (read it as :attr:`estimate`) and the words are 'better'/'worse'/'same'/
    'inconclusive'. ``n_runs_*`` count runs (speed) or items (quality); ``p_value`` tests
    "no difference"; ``p_adjusted`` is set by :func:`adjust_verdicts` for many pairs;
    ``rank_p`` is the exact rank test's p on the run values, a guard a speed difference
    must also pass (unadjusted: it checks the runs agree, Holm works on ``p_value``).
    """

    ratio: float
    ci_low: float
    ci_high: float
    verdict: str
    p_value: float
    n_runs_a: int
    n_runs_b: int
    reason: str
    effect: str = "ratio"
    margin: float = 0.02
    confidence: float = 0.95
    method: str = ""
    p_adjusted: float | None = None
    rank_p: float | None = None
    statistic: str = ""

    @property
    def estimate(self) -> float:
        """The effect: a time ratio (speed) or a score difference (quality)."""
        return self.ratio

    @property
    def decided(self) -> bool:
        """True when the verdict claims a difference (faster/slower/better/worse)."""
        return self.verdict not in ("same", "inconclusive")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; NaN (no interval) becomes ``None``."""
        data = asdict(self)
        return {k: (None if isinstance(v, float) and math.isnan(v) else v)
                for k, v in data.items()}


def _words_for(low: float, high: float, estimate: float, p_value: float, *, alpha: float,
               neutral: float, same_low: float, same_high: float,
               words: tuple[str, str]) -> tuple[str, str]:
    """The four-verdict rule shared by speed and quality; ``words`` = (below, above).

    'same': the interval lies inside (same_low, same_high). A difference: the interval
    excludes ``neutral`` (p < alpha) AND the estimate lies beyond the margin (a real and
    practically relevant change). Anything else: 'inconclusive'.
    """
    below, above = words
    if same_low < low and high < same_high:
        return "same", "the interval lies inside the margin"
    if p_value < alpha and high < neutral and estimate <= same_low:
        return below, "the interval excludes no change and the estimate is beyond the margin"
    if p_value < alpha and low > neutral and estimate >= same_high:
        return above, "the interval excludes no change and the estimate is beyond the margin"
    if p_value < alpha:
        return "inconclusive", ("a difference is likely, but the interval reaches inside the "
                                "margin: it may be too small to matter")
    return "inconclusive", "the interval holds both no change and a change beyond the margin"


def _check_level(confidence: float, margin: float) -> None:
    if not 0.5 <= confidence < 1.0:
        raise ValidationError(f"confidence {confidence} is outside [0.5, 1)",
                              hint="use e.g. 0.95")
    if not margin >= 0:
        raise ValidationError(f"margin {margin} is negative", hint="use e.g. 0.02 for 2 %")


@functools.lru_cache(maxsize=256)
def _u_distribution(m: int, n: int) -> np.ndarray:
    """Counts of the Mann–Whitney U statistic over all C(m+n, m) orderings (no ties), by
    the recursion f(u; m, n) = f(u − n; m − 1, n) + f(u; m, n − 1)."""
    table = [[np.ones(1)] * (n + 1)] + [[np.ones(1)] + [np.empty(0)] * n for _ in range(m)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            counts = np.zeros(i * j + 1)
            counts[j:j + table[i - 1][j].size] += table[i - 1][j]
            counts[:table[i][j - 1].size] += table[i][j - 1]
            table[i][j] = counts
    return table[m][n]


def rank_test_runs(x: Any, y: Any) -> float:
    """Two-sided Mann–Whitney p-value for two small sets of run medians: exact (all
    orderings counted) up to 30 runs a side without ties, the normal approximation beyond.

    Why beside the t test: run noise on a shared machine is often bimodal (a run placed
    beside a busy SMT sibling is 1.5-2x slower in all its calls); one such run can swing a
    mean of 5 log medians, while the ranks move by one place.

    >>> round(rank_test_runs([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]), 4)  # 2 / C(10, 5)
    0.0079
    """
    a = _finite_1d(x, "first run set")
    b = _finite_1d(y, "second run set")
    m, n = a.size, b.size
    pooled = np.concatenate([a, b])
    if m > 30 or n > 30 or np.unique(pooled).size < pooled.size:
        return mann_whitney(a, b).p_value
    u = int((a[:, None] > b[None, :]).sum())
    counts = _u_distribution(m, n)
    total = counts.sum()
    lower, upper = counts[:u + 1].sum() / total, counts[u:].sum() / total
    return float(min(1.0, 2.0 * min(lower, upper)))


def _paired_log_difference(la: np.ndarray, lb: np.ndarray) -> tuple[float, float, float]:
    diffs = la - lb
    return float(diffs.mean()), float(diffs.std(ddof=1)) / math.sqrt(diffs.size), diffs.size - 1


def _welch_log_difference(la: np.ndarray, lb: np.ndarray) -> tuple[float, float, float]:
    na, nb = la.size, lb.size
    va, vb = float(la.var(ddof=1)) / na, float(lb.var(ddof=1)) / nb
    se = math.sqrt(va + vb)
    # Welch–Satterthwaite; with both variances zero any df gives a zero-width interval.
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1)) if se > 0 else na + nb - 2
    return float(la.mean() - lb.mean()), se, df


def _calibrated_log_difference(la: np.ndarray, lb: np.ndarray,
                               calibration: tuple[float, int]) -> tuple[float, float, float]:
    """Both sides ran on one testbed whose run-to-run sd (log scale) was calibrated with
    ``df_c`` degrees of freedom. A side with one run has no spread of its own: then the
    calibration is pooled with whatever spread the other side shows (pooled-variance t,
    df_c + na + nb − 2 degrees of freedom). With 2+ runs a side the calibration is a floor:
    each side's variance is at least sd_c² (a model's runs may agree by chance, or the model
    may be noisier than the reference loop — then its own spread counts), Welch on the
    result with the calibration's df standing in for a floored side's."""
    sd_c, df_c = calibration
    if not (sd_c >= 0 and df_c >= 1):
        raise ValidationError(f"calibration (sd {sd_c}, df {df_c}) is not usable",
                              hint="run `modelbench calibrate` with 2+ runs")
    na, nb = la.size, lb.size
    centre = float(la.mean() - lb.mean())
    if min(na, nb) < 2:
        squares = df_c * sd_c**2 + float(((la - la.mean()) ** 2).sum()
                                         + ((lb - lb.mean()) ** 2).sum())
        df = df_c + na + nb - 2
        return centre, math.sqrt(squares / df) * math.sqrt(1 / na + 1 / nb), df
    sides = []
    for logs in (la, lb):
        own = float(logs.var(ddof=1))
        variance, side_df = (own, logs.size - 1) if own >= sd_c**2 else (sd_c**2, df_c)
        sides.append((variance / logs.size, side_df))
    se2 = sum(v for v, _ in sides)
    df = se2**2 / sum(v**2 / d for v, d in sides) if se2 > 0 else df_c
    return centre, math.sqrt(se2), df


def _fewest_calls(run_index: Any) -> int:
    counts = np.unique(np.asarray(run_index).ravel(), return_counts=True)[1]
    return int(counts.min()) if counts.size else 0


def _log_run_values(a_ns: Any, a_runs: Any, b_ns: Any, b_runs: Any, statistic: str,
                    batches: int | tuple[int, int]) -> tuple[np.ndarray, np.ndarray, str]:
    """Log run statistics of both sides, and the statistic used: the floor falls back to
    the median when a run missed one of its batches (NaN floor) or has fewer than
    :data:`MIN_FLOOR_CALLS` calls (then its 10th percentile rests on too few calls: with
    40 calls it spreads more than the median does)."""
    batch_a, batch_b = (batches, batches) if isinstance(batches, (int, np.integer)) else batches
    if statistic == "floor" and min(_fewest_calls(a_runs), _fewest_calls(b_runs)) < \
            MIN_FLOOR_CALLS:
        statistic = "median"
    if statistic == "floor":
        fa = run_floors(a_ns, a_runs, batches=int(batch_a))
        fb = run_floors(b_ns, b_runs, batches=int(batch_b))
        if np.isfinite(fa).all() and np.isfinite(fb).all():
            if (fa <= 0).any() or (fb <= 0).any():
                raise ValidationError("a run's floor latency is not positive",
                                      hint="latencies are durations in nanoseconds, above zero")
            return np.log(fa), np.log(fb), "floor"
        statistic = "median"
    else:
        _check_statistic(statistic)
    return (_log_run_medians(a_ns, a_runs, "first model"),
            _log_run_medians(b_ns, b_runs, "second model"), statistic)


def speed_verdict(a_ns: Any, a_runs: Any, b_ns: Any, b_runs: Any, *, margin: float = 0.02,
                  confidence: float = 0.95, paired: bool = False,
                  calibration: tuple[float, int] | dict[str, tuple[float, int]] | None = None,
                  statistic: str = "floor", batches: int | tuple[int, int] = 1,
                  test: str = "rank") -> Verdict:
    """Is A faster than B? A test on one statistic per run, not on calls.

    Each side is reduced to one value per run: by default its floor (:func:`run_floors`,
    the 10th-percentile call: on a shared machine it spreads a quarter as much from run to
    run as the median, so the same runs find far smaller changes at the same false-alarm
    rate), or ``statistic="median"`` (:func:`run_medians`). ``batches``: how many different
    batches the calls of each side cycle through (one int for both, or (a, b)). The medians
    are used instead of the floors when a run has fewer than :data:`MIN_FLOOR_CALLS` calls
    or did not reach every batch (``statistic`` of the verdict says which). The effect is
    the ratio of the run values, A over B, on the log scale. ``test="rank"`` (default): the
    Hodges–Lehmann shift (median of all pairwise log differences) with the exact
    distribution-free interval of the Mann–Whitney test inverted (96.8 % at 5 v 5, the
    nearest to 95 % that exists; 4+ runs a side are needed). Why not t: on a shared
    machine about one run in twenty lands on a shared core and is 1.3-1.5x slow even at
    its floor; such a run inflates a t interval's s for the whole comparison (on real runs
    of this machine at load 8, a 10 % slowdown found 52-60 % of the time with 5-10 runs, no
    better with more), while it moves a rank interval by one difference in m·n (70 % with
    5 runs, 96 % with 8, 100 % with 10: benchmarks/bench_verdicts.py). ``test="t"``: the
    ratio of geometric means with a Welch t interval, a difference also confirmed by the
    exact rank test. With ``paired=True`` and the same run indices on both sides — runs
    interleaved A B A B, so that run i of A and of B saw the same machine state — a
    paired t interval of the log ratios. The p-value is the test's own, so "the interval
    excludes 1" and "p < 1 − confidence" say the same thing.

    ``calibration=(sd, df)``: the testbed's run-to-run spread of the log run statistic
    (``modelbench calibrate``), a floor for each side's own (it also lets a one-run side be
    judged); a dict ``{"floor": (sd, df), "median": (sd, df)}`` gives each statistic its
    own, since floors spread far less than medians.

    The rule (A relative to B), with ``margin`` m (relative, default 2 %):
      * 'same' when the whole interval lies inside (1/(1+m), 1+m);
      * 'slower' when the interval lies above 1 and the ratio is at least 1+m; 'faster'
        when it lies below 1 and the ratio is at most 1/(1+m);
      * 'inconclusive' otherwise, and always with fewer than 2 runs on a side.
    Requiring the estimate beyond the margin as well as p < alpha keeps an A/A comparison
    from calling a difference that is both tiny and just significant: with noise small
    against the margin the false-alarm rate falls well below alpha (benchmarks/
    bench_verdicts.py measures it; at worst, with noise large against the margin, it is
    alpha). For many pairs at once, pass the verdicts through :func:`adjust_verdicts`.

    >>> rng = np.random.default_rng(2)
    >>> runs = np.repeat(np.arange(6), 100)
    >>> def model(scale):
    ...     return scale * np.exp(rng.normal(0, 0.005, 6))[runs] * rng.lognormal(0, 0.05, 600)
    >>> speed_verdict(model(1.0e5), runs, model(1.2e5), runs).verdict
    'faster'
    >>> speed_verdict(model(1.0e5), runs, model(1.0e5), runs).verdict
    'same'
    >>> one_run = np.zeros(600, dtype=int)
    >>> speed_verdict(model(1.0e5), one_run, model(1.2e5), one_run).verdict
    'inconclusive'
    """
    _check_level(confidence, margin)
    la, lb, statistic = _log_run_values(a_ns, a_runs, b_ns, b_runs, statistic, batches)
    if isinstance(calibration, dict):  # the testbed's spread of each run statistic
        calibration = calibration.get(statistic)
    na, nb = la.size, lb.size
    base = {"n_runs_a": na, "n_runs_b": nb, "margin": margin, "confidence": confidence,
            "statistic": statistic}
    if calibration is None and (na < 2 or nb < 2):
        ratio = math.exp(float(la.mean() - lb.mean()))
        return Verdict(ratio, math.nan, math.nan, "inconclusive", math.nan, reason=(
            f"{min(na, nb)} run on a side: calls within one run are not independent, so "
            "nothing can be said about a rerun (measure 2+ runs, 5 by default, or calibrate "
            "the testbed)"), method="none", **base)
    if paired:
        if not np.array_equal(np.unique(np.asarray(a_runs)), np.unique(np.asarray(b_runs))):
            raise ValidationError("paired=True needs the same run indices on both sides",
                                  hint="interleave the runs, or use paired=False")
        centre, se, df = _paired_log_difference(la, lb)
        method = f"paired t on log run {statistic}s"
    elif calibration is not None:
        centre, se, df = _calibrated_log_difference(la, lb, calibration)
        method = f"t on log run {statistic}s with the testbed's calibrated spread"
    elif test == "rank":
        return _rank_verdict(la, lb, base, statistic)
    elif test == "t":
        centre, se, df = _welch_log_difference(la, lb)
        method = f"Welch t on log run {statistic}s"
    else:
        raise ValidationError(f"unknown test {test!r}", hint="use 'rank' or 't'")
    half = t_quantile(0.5 + confidence / 2, df) * se
    low, high = centre - half, centre + half
    if se > 0:
        p_value = min(1.0, 2.0 * t_sf(abs(centre) / se, df))
    else:
        p_value = 1.0 if centre == 0 else 0.0
    # One outlying run must not carry a verdict: the ranks must agree (with 2-3 runs a side
    # they never can at 95 %; a calibration stands in for the missing runs).
    rank_p = None
    if not paired and (calibration is None or min(na, nb) >= 4):
        rank_p = rank_test_runs(la, lb)
        method += ", confirmed by an exact rank test"
    bound = math.log1p(margin)
    alpha = 1 - confidence
    word, reason = _words_for(low, high, centre, p_value, alpha=alpha, neutral=0.0,
                              same_low=-bound, same_high=bound, words=("faster", "slower"))
    if word in ("faster", "slower") and rank_p is not None and rank_p >= alpha:
        word = "inconclusive"
        reason = (f"the t interval excludes no change, but the ranks of the runs do not "
                  f"confirm it (p = {rank_p:.2g}): the runs overlap, e.g. an outlying run")
    return Verdict(math.exp(centre), math.exp(low), math.exp(high), word, p_value,
                   reason=reason, method=method, rank_p=rank_p, **base)


def _rank_order(m: int, n: int, alpha: float) -> int:
    """How many of the sorted m·n differences lie outside the exact (1 − alpha) interval
    on each side: the largest c with P(U < c) <= alpha/2 (0: no interval at this level)."""
    if m <= 30 and n <= 30:
        counts = _u_distribution(m, n)
        cdf = np.cumsum(counts) / counts.sum()
        return int(np.searchsorted(cdf, alpha / 2 * (1 + 1e-12), side="right"))
    z = NormalDist().inv_cdf(1 - alpha / 2)
    return max(0, int(math.floor(m * n / 2 - z * math.sqrt(m * n * (m + n + 1) / 12))))


def _rank_verdict(la: np.ndarray, lb: np.ndarray, base: dict[str, Any],
                  statistic: str) -> Verdict:
    """Hodges–Lehmann shift of the log run values with its distribution-free interval
    (the Mann–Whitney test inverted: Lehmann 1975, §2.6): the median of all m·n differences
    log a_i − log b_j, bounded by the c-th smallest and largest of them. It assumes only
    that runs of one side are exchangeable, so a run that landed on a shared core (on
    this machine ~1 run in 20 is 1.3-1.5x slow even at its floor) moves the interval by
    one difference of m·n, where it inflates a t interval's s for all of them."""
    confidence, margin = base["confidence"], base["margin"]
    alpha = 1 - confidence
    diffs = np.sort((la[:, None] - lb[None, :]).ravel())
    centre = float(np.median(diffs))
    c = _rank_order(la.size, lb.size, alpha)
    low, high = (float(diffs[c - 1]), float(diffs[diffs.size - c])) if c else \
        (math.nan, math.nan)
    rank_p = rank_test_runs(la, lb)
    bound = math.log1p(margin)
    word, reason = _words_for(low, high, centre, rank_p if c else 1.0, alpha=alpha,
                              neutral=0.0, same_low=-bound, same_high=bound,
                              words=("faster", "slower"))
    if not c:
        reason = (f"{la.size} and {lb.size} runs: too few for a {confidence:.0%} rank "
                  "interval (4+ a side)")
    method = (f"Hodges-Lehmann shift of log run {statistic}s, exact Mann-Whitney interval")
    return Verdict(math.exp(centre), math.exp(low), math.exp(high), word, rank_p,
                   reason=reason, method=method, rank_p=rank_p, **base)


def _binom_cdf_half(k: int, n: int) -> tuple[float, float]:
    """P(X <= k) and P(X = k) for X ~ Binomial(n, 1/2), in log space (n may be 10^6)."""
    if n == 0:
        return 1.0, 1.0
    log_half_n = -n * math.log(2.0)
    logs = np.array([math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                     for i in range(k + 1)]) + log_half_n
    top = float(logs.max())
    cdf = math.exp(top) * float(np.exp(logs - top).sum())
    return min(1.0, cdf), math.exp(float(logs[-1]))


def mcnemar(values_a: Any, values_b: Any) -> dict[str, float]:
    """McNemar's test for paired 0/1 outcomes (e.g. per-item correctness of two models).

    Returns the discordant counts ``a_only`` (A right, B wrong) and ``b_only``, the exact
    two-sided binomial p-value and the mid-p value (the exact one less the point probability
    of the observed count; Fagerland, Lydersen & Laake 2013 recommend it: exact is
    conservative).

    >>> out = mcnemar([1, 1, 1, 1, 1, 0, 1, 1], [0, 0, 0, 0, 0, 0, 1, 1])
    >>> out["a_only"], out["b_only"], round(out["p_exact"], 4), round(out["p_mid"], 4)
    (5, 0, 0.0625, 0.0312)
    """
    a = _binary(values_a, "first model's values")
    b = _binary(values_b, "second model's values")
    if a.size != b.size:
        raise ValidationError(f"paired values differ in length: {a.size} vs {b.size}",
                              hint="score both models on the same items")
    a_only = int(np.count_nonzero(a & ~b))
    b_only = int(np.count_nonzero(~a & b))
    n = a_only + b_only
    cdf, point = _binom_cdf_half(min(a_only, b_only), n)
    p_exact = min(1.0, 2.0 * cdf)
    p_mid = min(1.0, 2.0 * cdf - point) if n else 1.0
    return {"a_only": a_only, "b_only": b_only, "p_exact": p_exact, "p_mid": p_mid}


def _binary(values: Any, what: str) -> np.ndarray:
    array = _finite_1d(values, what)
    if not np.isin(array, (0.0, 1.0)).all():
        raise ValidationError(f"{what} are not all 0 or 1", hint="use kind='continuous'")
    return array.astype(bool)


def _paired_binary_interval(a: np.ndarray, b: np.ndarray,
                            confidence: float) -> tuple[float, float, float]:
    """Accuracy difference A − B and its Agresti–Min (2005) interval: the Wald interval of
    the paired difference after adding 1/2 to each cell of the 2x2 table (good coverage even
    with few discordant items, where the plain Wald interval collapses)."""
    n = a.size
    a_only = np.count_nonzero(a & ~b) + 0.5
    b_only = np.count_nonzero(~a & b) + 0.5
    n_adj = n + 2.0
    diff = (a_only - b_only) / n_adj
    var = ((a_only + b_only) / n_adj - diff**2) / n_adj
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    estimate = float(a.mean() - b.mean())
    return estimate, diff - z * math.sqrt(var), diff + z * math.sqrt(var)


def _bootstrap_difference(a: np.ndarray, b: np.ndarray, *, paired: bool, confidence: float,
                          n_resamples: int, seed: int) -> tuple[float, float, float, float]:
    """Mean difference A − B, percentile interval and two-sided bootstrap p-value.

    Paired: the same resampled items for both (the item-to-item variation cancels).
    The p-value is the share of centred resampled differences at least as far from 0 as
    the observed one, with the +1 correction (Davison & Hinkley 1997, eq. 4.11)."""
    rng = np.random.default_rng(seed)
    estimate = float(a.mean() - b.mean())
    block = max(1, min(n_resamples, 4_000_000 // max(a.size, b.size)))
    diffs = np.empty(n_resamples)
    for start in range(0, n_resamples, block):
        rows = min(n_resamples, start + block) - start
        ia = rng.integers(0, a.size, size=(rows, a.size))
        ib = ia if paired else rng.integers(0, b.size, size=(rows, b.size))
        diffs[start:start + rows] = a[ia].mean(axis=1) - b[ib].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail])
    extreme = np.count_nonzero(np.abs(diffs - estimate) >= abs(estimate) - 1e-15)
    p_value = (extreme + 1) / (n_resamples + 1)
    return estimate, float(low), float(high), float(p_value)


def quality_verdict(values_a: Any, values_b: Any, *, paired: bool = True,
                    higher_is_better: bool = True, margin: float | None = None,
                    kind: str | None = None, confidence: float = 0.95, seed: int = 0,
                    n_resamples: int = 2000) -> Verdict:
    """Is A better than B on the same items? Per-item values: 0/1 correctness, or any
    per-item score or loss (``higher_is_better=False`` for a loss).

    ``kind='binary'`` (inferred when every value is 0 or 1) and paired: McNemar's mid-p
    test on the discordant items, Agresti–Min interval of the accuracy difference.
    Otherwise a bootstrap of the mean difference (paired: the same items resampled for
    both; unpaired: each side on its own). ``margin`` is in score units: by default 0.01
    (one accuracy point) for binary values, 1 % of |mean of B| for continuous ones. The
    rule is :func:`speed_verdict`'s, around a difference of 0: 'same' when the interval
    lies inside ±margin; 'better'/'worse' when p < 1 − confidence and the difference lies
    beyond the margin in that direction; 'inconclusive' otherwise.

    >>> rng = np.random.default_rng(3)
    >>> truth = rng.random(2000)
    >>> a, b = (truth < 0.9).astype(int), (truth < 0.8).astype(int)
    >>> quality_verdict(a, b).verdict, quality_verdict(b, a).verdict
    ('better', 'worse')
    >>> quality_verdict(a, a).verdict
    'same'
    """
    a = _finite_1d(values_a, "first model's values")
    b = _finite_1d(values_b, "second model's values")
    if paired and a.size != b.size:
        raise ValidationError(f"paired values differ in length: {a.size} vs {b.size}",
                              hint="score both models on the same items, or paired=False")
    if kind is None:
        kind = "binary" if np.isin(a, (0.0, 1.0)).all() and np.isin(b, (0.0, 1.0)).all() \
            else "continuous"
    if kind not in ("binary", "continuous"):
        raise ValidationError(f"unknown kind {kind!r}", hint="use 'binary' or 'continuous'")
    if margin is None:
        margin = 0.01 if kind == "binary" else 0.01 * (abs(float(b.mean())) or 1.0)
    _check_level(confidence, margin)
    if kind == "binary" and paired:
        test = mcnemar(a, b)
        estimate, low, high = _paired_binary_interval(a.astype(bool), b.astype(bool),
                                                      confidence)
        p_value, method = test["p_mid"], "McNemar mid-p, Agresti-Min interval"
    else:
        if kind == "binary":
            _binary(a, "first model's values"), _binary(b, "second model's values")
        estimate, low, high, p_value = _bootstrap_difference(
            a, b, paired=paired, confidence=confidence, n_resamples=n_resamples, seed=seed)
        method = f"{'paired' if paired else 'unpaired'} bootstrap of the mean difference"
    sign = 1.0 if higher_is_better else -1.0
    # Work in "goodness" units so one rule serves scores and losses alike.
    g_est, g_low, g_high = sign * estimate, *sorted((sign * low, sign * high))
    word, reason = _words_for(g_low, g_high, g_est, p_value, alpha=1 - confidence,
                              neutral=0.0, same_low=-margin, same_high=margin,
                              words=("worse", "better"))
    return Verdict(estimate, low, high, word, p_value, a.size, b.size, reason,
                   effect="difference", margin=margin, confidence=confidence, method=method)


def adjust_verdicts(verdicts: list[Verdict], *, alpha: float | None = None) -> list[Verdict]:
    """Holm-adjust the p-values of many comparisons made at once, and withdraw a claimed
    difference whose adjusted p-value no longer passes (it becomes 'inconclusive').

    With 10 models there are 45 pairs: at alpha = 5 % each, about two of 45 identical pairs
    would be called different by chance. Holm keeps the chance of any false claim among
    them at alpha (family-wise), and is never less powerful than Bonferroni. 'same' needs
    no adjustment: it is claimed from the interval lying inside the margin, and an
    equivalence claim under many tests errs towards caution only. ``alpha`` defaults to
    1 − each verdict's confidence.

    >>> runs = np.repeat(np.arange(5), 3)
    >>> v = [speed_verdict(np.r_[[1.0] * 15] * 100 * (1 + 0.002 * runs), runs,
    ...                    np.r_[[1.0] * 15] * 110 * (1 + 0.002 * runs), runs)] * 3
    >>> [x.verdict for x in adjust_verdicts(v)]
    ['faster', 'faster', 'faster']
    """
    adjusted = holm([1.0 if math.isnan(v.p_value) else v.p_value for v in verdicts])
    out = []
    for verdict, p_adj in zip(verdicts, adjusted, strict=True):
        level = (1 - verdict.confidence) if alpha is None else alpha
        changes: dict[str, Any] = {"p_adjusted": p_adj}
        if verdict.decided and p_adj >= level:
            changes.update(verdict="inconclusive", reason=(
                f"p = {verdict.p_value:.3g} passes alone, but not after Holm's adjustment for "
                f"{len(verdicts)} comparisons (p = {p_adj:.3g})"))
        out.append(dataclasses.replace(verdict, **changes))
    return out
