"""modelbench.stats: summaries, bootstrap CIs, spread warnings, Mann–Whitney U, change points."""

from __future__ import annotations

import importlib.util
import statistics

import numpy as np
import pytest
from conftest import IN_CI

from modelbench import stats
from modelbench.errors import ValidationError

HAVE_SCIPY = importlib.util.find_spec("scipy") is not None


def test_summary_matches_direct_computation_in_milliseconds():
    rng = np.random.default_rng(0)
    ns = rng.integers(900_000, 1_500_000, 501)
    s = stats.summarize(ns, items_per_call=8)
    ms = ns / 1e6
    assert s.mean_ms == pytest.approx(statistics.fmean(ms), rel=1e-12)
    assert s.median_ms == pytest.approx(statistics.median(ms), rel=1e-12)
    assert s.stdev_ms == pytest.approx(statistics.stdev(ms), rel=1e-9)
    assert (s.min_ms, s.max_ms) == (ms.min(), ms.max())
    assert s.p99_ms == pytest.approx(np.percentile(ms, 99))
    assert s.n_samples == 501
    assert s.throughput == pytest.approx(8 / (s.median_ms / 1000))
    assert s.ci_low_ms <= s.median_ms <= s.ci_high_ms


def test_iqr_outliers_counts_only_far_values():
    values = [10.0] * 20 + [10.5] * 20 + [100.0, 200.0, -50.0]
    assert stats.iqr_outliers(values) == 3
    assert stats.iqr_outliers(np.arange(100)) == 0


def test_bootstrap_ci_is_seeded_and_covers_the_true_median():
    rng = np.random.default_rng(1)
    hits = 0
    for trial in range(40):
        sample = rng.exponential(1.0, 200)  # true median ln 2
        low, high = stats.bootstrap_ci(sample, seed=trial)
        hits += low <= np.log(2) <= high
    assert hits >= 33  # ~95 % nominal coverage; 33/40 leaves room for chance
    sample = rng.normal(size=300)
    assert stats.bootstrap_ci(sample, seed=7) == stats.bootstrap_ci(sample, seed=7)
    wide = stats.bootstrap_ci(rng.normal(0, 10, 300))
    narrow = stats.bootstrap_ci(rng.normal(0, 1, 300))
    assert wide[1] - wide[0] > 3 * (narrow[1] - narrow[0])


def test_long_series_use_the_bootstrap_large_sample_limit():
    rng = np.random.default_rng(2)
    sample = rng.lognormal(0, 0.3, 20_000)
    resampled = stats.bootstrap_ci(sample, exact_above=10**9)
    limit = stats.bootstrap_ci(sample, exact_above=100)
    width = resampled[1] - resampled[0]
    assert abs(limit[0] - resampled[0]) < 0.15 * width
    assert abs(limit[1] - resampled[1]) < 0.15 * width
    huge = rng.normal(size=1_000_000)
    low, high = stats.bootstrap_ci(huge)
    assert low < np.median(huge) < high and high - low < 0.01


def test_spread_warnings_follow_pyperf_rules():
    assert stats.spread_warnings(np.full(100, 50_000)) == []
    noisy = stats.spread_warnings(np.r_[np.full(50, 50_000), np.full(50, 80_000)])
    assert any("spread" in w for w in noisy)
    one_spike = np.r_[np.random.default_rng(0).normal(50_000, 500, 999), [5_000_000]]
    assert stats.spread_warnings(one_spike) == []  # one interrupted call is normal
    spikes = stats.spread_warnings(np.r_[np.full(90, 50_000), np.full(10, 500_000)])
    assert any("10% of the calls are outliers" in w for w in spikes)
    bimodal_low = stats.spread_warnings(np.r_[np.full(60, 50_000), np.full(40, 10_000)])
    assert any("minimum is 80% below the median" in w for w in bimodal_low)
    few = stats.spread_warnings([50_000] * 3)
    assert any("only 3 timed calls" in w for w in few)
    tiny = stats.spread_warnings([120] * 100)
    assert any("timer" in w for w in tiny)


def test_mann_whitney_detects_a_shift_and_not_noise():
    rng = np.random.default_rng(3)
    a, b = rng.normal(100, 5, 300), rng.normal(103, 5, 300)
    shift = stats.mann_whitney(a, b)
    assert shift.significant and shift.effect_size < 0 and shift.prob_a_greater < 0.5
    same = stats.mann_whitney(rng.normal(100, 5, 300), rng.normal(100, 5, 300))
    assert not same.significant
    identical = stats.mann_whitney([5, 5, 5], [5, 5, 5])
    assert identical.p_value == 1.0 and identical.effect_size == 0.0


def test_mann_whitney_hand_computed_example():
    # a = [1, 2], b = [3, 4]: U_a = 0, mu = 2, var = 2*2/12 * 5 = 5/3.
    result = stats.mann_whitney([1, 2], [3, 4])
    z = (4 - 2 - 0.5) / np.sqrt(5 / 3)
    assert result.u == 0 and result.z == pytest.approx(z)
    from math import erfc, sqrt

    assert result.p_value == pytest.approx(erfc(z / sqrt(2)))
    assert result.effect_size == -1.0


@pytest.mark.skipif(not HAVE_SCIPY and not IN_CI,
                    reason="scipy is the optional reference (pip install scipy)")
def test_mann_whitney_agrees_with_scipy_including_ties():
    from scipy.stats import mannwhitneyu

    rng = np.random.default_rng(4)
    for trial in range(30):
        n1, n2 = rng.integers(5, 400, 2)
        a = rng.normal(0, 1, n1)
        b = rng.normal(0.2, 1, n2)
        if trial % 2:
            a, b = np.round(a, 1), np.round(b, 1)  # heavy ties
        ours = stats.mann_whitney(a, b)
        ref = mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
        assert ours.u == pytest.approx(ref.statistic, abs=1e-9)
        assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)


def test_holm_adjustment_is_monotone_and_capped():
    adjusted = stats.holm([0.001, 0.2, 0.04, 0.5])
    assert adjusted == [0.004, 0.4, 0.12, 0.5]


def test_change_points_find_level_shifts_in_a_noisy_history():
    rng = np.random.default_rng(5)
    series = np.r_[rng.normal(10, 0.2, 30), rng.normal(12, 0.2, 25), rng.normal(9, 0.2, 20)]
    assert stats.change_points(series) == [30, 55]
    seg = stats.segments(series)
    assert [s["start"] for s in seg] == [0, 30, 55]
    assert seg[1]["mean"] == pytest.approx(12, abs=0.2)


def test_change_points_stay_quiet_on_noise_and_outliers():
    rng = np.random.default_rng(6)
    for seed in range(10):
        noise = np.random.default_rng(seed).normal(5, 1, 80)
        assert stats.change_points(noise) == [], seed
    flat_with_spike = np.r_[np.full(20, 3.0) + rng.normal(0, 0.01, 20)]
    flat_with_spike[10] = 4.0  # one outlier is not a level change (segments need 3 points)
    assert stats.change_points(flat_with_spike) == []


def test_empty_and_nan_samples_are_refused():
    with pytest.raises(ValidationError, match="no samples"):
        stats.summarize([])
    with pytest.raises(ValidationError, match="NaN"):
        stats.mann_whitney([1.0, float("nan")], [1.0])
