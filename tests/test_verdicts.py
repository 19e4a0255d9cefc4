"""modelbench.stats run-level verdicts: t distribution, run medians, intervals, speed and
quality verdicts, Holm. SciPy is the reference; rates come from seeded synthetic noise."""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest
from conftest import IN_CI

from modelbench import stats
from modelbench.errors import ValidationError

HAVE_SCIPY = importlib.util.find_spec("scipy") is not None
needs_scipy = pytest.mark.skipif(not HAVE_SCIPY and not IN_CI,
                                 reason="scipy is the optional reference (pip install scipy)")


def measured(rng, scale, n_runs, *, run_sigma=0.02, calls=40, call_sigma=0.1, start=0):
    """Per-call latencies (ns) and run indices: each run has its own level (log-normal,
    ``run_sigma``) shared by all its calls, as a process placed on a slow core would."""
    runs = np.repeat(np.arange(start, start + n_runs), calls)
    levels = np.exp(rng.normal(0, run_sigma, n_runs))
    return scale * levels[runs - start] * rng.lognormal(0, call_sigma, runs.size), runs


@needs_scipy
def test_t_distribution_agrees_with_scipy():
    from scipy.stats import t

    for df in (1, 2, 3.5, 7, 30, 250, 1e4):
        for x in (-4.0, -1.0, 0.0, 1e-9, 0.3, 2.0, 6.0, 8.0):
            assert stats.t_sf(x, df) == pytest.approx(t.sf(x, df), rel=1e-9, abs=1e-14)
        for p in (0.6, 0.9, 0.975, 0.995, 0.1):
            assert stats.t_quantile(p, df) == pytest.approx(t.ppf(p, df), rel=1e-9)


def test_run_medians_are_per_run_in_index_order():
    values = [9, 1, 5, 100, 300, 200, 7, 8]
    runs = [2, 2, 2, 0, 0, 0, 5, 5]
    assert stats.run_medians(values, runs).tolist() == [200.0, 5.0, 7.5]
    with pytest.raises(ValidationError, match="run indices"):
        stats.run_medians([1, 2, 3], [0, 0])


@needs_scipy
def test_median_ci_runs_is_the_t_interval_of_log_run_medians():
    from scipy.stats import t

    rng = np.random.default_rng(10)
    for n_runs in (2, 3, 5, 12):
        ns, runs = measured(rng, 1e6, n_runs)
        logs = np.log(stats.run_medians(ns, runs))
        low, high = t.interval(0.9, n_runs - 1, loc=logs.mean(),
                               scale=logs.std(ddof=1) / math.sqrt(n_runs))
        centre, ours_low, ours_high = stats.median_ci_runs(ns, runs, confidence=0.9)
        assert centre == pytest.approx(math.exp(logs.mean()), rel=1e-12)
        assert (ours_low, ours_high) == pytest.approx((math.exp(low), math.exp(high)), rel=1e-9)


def test_median_ci_runs_covers_the_true_median_across_runs():
    rng = np.random.default_rng(11)
    covered = {"t": 0, "bootstrap": 0}
    trials = 200
    for _ in range(trials):
        ns, runs = measured(rng, 1e6, 10, calls=30)
        for method in covered:
            _, low, high = stats.median_ci_runs(ns, runs, method=method, n_resamples=400)
            covered[method] += low <= 1e6 <= high
    # 95 % nominal; 200 trials put a correct method above 90 % with near certainty.
    assert covered["t"] / trials >= 0.9
    assert covered["bootstrap"] / trials >= 0.88


def test_one_run_gives_the_within_run_interval_and_no_speed_verdict():
    rng = np.random.default_rng(12)
    ns, runs = measured(rng, 1e6, 1, calls=500)
    centre, low, high = stats.median_ci_runs(ns, runs)
    assert (low, high) == stats.bootstrap_ci(ns)
    assert centre == float(np.median(ns))
    verdict = stats.speed_verdict(ns, runs, ns * 2, runs)
    assert verdict.verdict == "inconclusive" and "1 run" in verdict.reason
    assert verdict.to_dict()["ci_low"] is None


@needs_scipy
def test_speed_verdict_p_value_and_interval_match_scipy_t_tests():
    from scipy.stats import mannwhitneyu, ttest_ind, ttest_rel

    rng = np.random.default_rng(13)
    for trial in range(20):
        statistic = ("floor", "median")[trial % 2]

        def logs(ns, runs, statistic=statistic):
            return np.log(stats.run_statistics(ns, runs, statistic=statistic))

        na, nb = rng.integers(2, 9, 2)
        a, ar = measured(rng, 1e5, na, calls=60)
        b, br = measured(rng, 1.03e5, nb, calls=60)
        ours = stats.speed_verdict(a, ar, b, br, statistic=statistic, test="t")
        assert ours.statistic == statistic and statistic in ours.method
        la, lb = logs(a, ar), logs(b, br)
        ref = ttest_ind(la, lb, equal_var=False)
        assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-7)
        ranks = mannwhitneyu(la, lb, method="exact").pvalue
        assert ours.rank_p == pytest.approx(ranks, rel=1e-9)
        ci = ref.confidence_interval(0.95)
        assert (ours.ci_low, ours.ci_high) == pytest.approx((math.exp(ci.low),
                                                             math.exp(ci.high)), rel=1e-8)
        assert ours.ratio == pytest.approx(math.exp(la.mean() - lb.mean()))
        b2, br2 = measured(rng, 1.03e5, na, calls=60)
        paired = stats.speed_verdict(a, ar, b2, br2, paired=True, statistic=statistic)
        ref = ttest_rel(la, logs(b2, br2))
        assert paired.p_value == pytest.approx(ref.pvalue, rel=1e-7)


def test_verdict_rule_same_faster_slower_inconclusive():
    runs = np.repeat(np.arange(5), 2)
    steady = np.full(10, 1e5) * (1 + 0.001 * runs)  # 0.1 % run-to-run wobble
    assert stats.speed_verdict(steady, runs, steady * 1.005, runs).verdict == "same"
    assert stats.speed_verdict(steady, runs, steady * 1.10, runs).verdict == "faster"
    assert stats.speed_verdict(steady * 1.10, runs, steady, runs).verdict == "slower"
    noisy = np.full(10, 1e5) * np.exp(np.array([0, 0.3, -0.2, 0.25, -0.3]))[runs]
    wide = stats.speed_verdict(noisy, runs, steady, runs)
    assert wide.verdict == "inconclusive" and wide.ci_low < 1 < wide.ci_high
    # A real difference below the margin, with an interval reaching past it: not 'slower'.
    wobble = np.full(10, 1e5) * (1 + 0.006 * np.array([0, 1, -1, 1, -1]))[runs]
    small = stats.speed_verdict(wobble * 1.015, runs, steady, runs)
    assert small.p_value < 0.05 and small.verdict == "inconclusive"
    assert "too small" in small.reason


def test_a_a_false_alarms_and_power_on_seeded_run_noise():
    """Seeded synthetic run-level noise: 400 A/A pairs, 200 pairs with a 10 % slowdown."""
    rng = np.random.default_rng(14)
    false_alarms = sum(stats.speed_verdict(*measured(rng, 1e5, 5), *measured(rng, 1e5, 5))
                       .decided for _ in range(400))
    assert false_alarms / 400 <= 0.03  # nominal at most 5 %; the margin keeps it lower
    found = sum(stats.speed_verdict(*measured(rng, 1.1e5, 5), *measured(rng, 1e5, 5))
                .verdict == "slower" for _ in range(200))
    assert found / 200 >= 0.95


def contended(rng, scale, n_runs, *, calls=300):
    """Runs as a shared machine gives them: each run's calls are slowed 10-40 % during a
    spell of a random share (0-90 %) of the run (another process on the core), on top of
    per-call noise; the fastest tenth of a run is rarely touched."""
    runs = np.repeat(np.arange(n_runs), calls)
    out = scale * rng.lognormal(0, 0.03, runs.size)
    for run in range(n_runs):
        spell = int(rng.uniform(0, 0.9) * calls)
        start = int(rng.integers(0, calls - spell + 1))
        out[run * calls + start:run * calls + start + spell] *= 1 + rng.uniform(0.1, 0.4)
    return out, runs


def test_the_run_floor_keeps_power_where_partial_contention_sinks_the_median():
    rng = np.random.default_rng(21)
    rates = {}
    for statistic in ("floor", "median"):
        alarms = sum(stats.speed_verdict(*contended(rng, 1e5, 5), *contended(rng, 1e5, 5),
                                         statistic=statistic).decided for _ in range(150))
        found = sum(stats.speed_verdict(*contended(rng, 1.1e5, 5), *contended(rng, 1e5, 5),
                                        statistic=statistic).verdict == "slower"
                    for _ in range(100))
        rates[statistic] = (alarms / 150, found / 100)
    assert rates["floor"][0] <= 0.05  # both tests are exact (3.2 % at 5 v 5), see above
    assert rates["floor"][1] >= 0.95
    assert rates["median"][1] < 0.8  # why the floor is the default


def test_the_floor_falls_back_to_the_median_when_it_would_rest_on_few_calls():
    rng = np.random.default_rng(22)
    many, many_runs = contended(rng, 1e5, 5, calls=stats.MIN_FLOOR_CALLS)
    few, few_runs = contended(rng, 1e5, 5, calls=stats.MIN_FLOOR_CALLS - 1)
    assert stats.speed_verdict(many, many_runs, many, many_runs).statistic == "floor"
    verdict = stats.speed_verdict(few, few_runs, many, many_runs)
    assert verdict.statistic == "median" and "medians" in verdict.method
    # batches: every run must reach every batch, else the floors would weigh them unlike
    assert stats.speed_verdict(many, many_runs, many, many_runs,
                               batches=stats.MIN_FLOOR_CALLS).statistic == "floor"
    assert stats.speed_verdict(many, many_runs, many, many_runs,
                               batches=(1, stats.MIN_FLOOR_CALLS + 1)).statistic == "median"
    with pytest.raises(ValidationError, match="run statistic"):
        stats.speed_verdict(many, many_runs, many, many_runs, statistic="mean")


def test_run_floors_weigh_every_batch_alike():
    cheap, dear = np.full(60, 100.0), np.full(60, 1000.0)
    calls = np.ravel(np.column_stack([cheap, dear]))  # batches alternate: cheap, dear, ...
    runs = np.zeros(calls.size, dtype=int)
    assert stats.run_floors(calls, runs).tolist() == [100.0]  # the cheap batch alone
    assert stats.run_floors(calls, runs, batches=2).tolist() == [550.0]
    assert math.isnan(stats.run_floors(calls[:1], runs[:1], batches=2)[0])


def test_paired_runs_cancel_shared_drift():
    rng = np.random.default_rng(15)
    drift = np.exp(np.linspace(0, 0.3, 6))  # the machine slows down 35 % over the session
    runs = np.repeat(np.arange(6), 50)
    a = 1.05e5 * drift[runs] * rng.lognormal(0, 0.05, runs.size)
    b = 1.00e5 * drift[runs] * rng.lognormal(0, 0.05, runs.size)
    assert stats.speed_verdict(a, runs, b, runs).verdict == "inconclusive"
    assert stats.speed_verdict(a, runs, b, runs, paired=True).verdict == "slower"
    with pytest.raises(ValidationError, match="same run indices"):
        stats.speed_verdict(a, runs, b, runs + 1, paired=True)


@needs_scipy
def test_mcnemar_exact_and_mid_p_match_scipy():
    from scipy.stats import binom, binomtest

    rng = np.random.default_rng(16)
    for _ in range(30):
        n = int(rng.integers(5, 400))
        a = (rng.random(n) < 0.8).astype(int)
        b = np.where(rng.random(n) < 0.15, 1 - a, a)
        out = stats.mcnemar(a, b)
        k, m = min(out["a_only"], out["b_only"]), out["a_only"] + out["b_only"]
        if m == 0:
            assert out["p_exact"] == out["p_mid"] == 1.0
            continue
        assert out["p_exact"] == pytest.approx(binomtest(k, m, 0.5).pvalue, rel=1e-9)
        mid = 2 * binom.cdf(k, m, 0.5) - binom.pmf(k, m, 0.5)
        assert out["p_mid"] == pytest.approx(min(1.0, mid), rel=1e-9)


def test_quality_verdict_binary_is_paired():
    rng = np.random.default_rng(17)
    hard = rng.random(3000)
    a = (hard < 0.85).astype(int)
    b = a.copy()
    flip = rng.choice(3000, 90, replace=False)
    b[flip] = 0  # B gets 90 items wrong that A gets right (where A was right)
    b[flip[a[flip] == 0]] = 1
    v = stats.quality_verdict(a, b)
    assert v.verdict == "better" and v.effect == "difference"
    assert v.estimate == pytest.approx(a.mean() - b.mean())
    assert v.ci_low < v.estimate < v.ci_high
    assert stats.quality_verdict(b, a).verdict == "worse"
    assert stats.quality_verdict(a, a).verdict == "same"
    few = stats.quality_verdict(a[:60], b[:60])
    assert few.verdict == "inconclusive"
    with pytest.raises(ValidationError, match="differ in length"):
        stats.quality_verdict(a, b[:-1])


def test_quality_verdict_continuous_losses_paired_bootstrap():
    rng = np.random.default_rng(18)
    difficulty = rng.gamma(2.0, 1.0, 500)  # items differ far more than the models do
    loss_a = difficulty * 0.97 + rng.normal(0, 0.02, 500)
    loss_b = difficulty + rng.normal(0, 0.02, 500)
    v = stats.quality_verdict(loss_a, loss_b, higher_is_better=False)
    assert v.verdict == "better" and v.estimate < 0
    assert stats.quality_verdict(loss_a, loss_b, higher_is_better=True).verdict == "worse"
    # Unpaired, the item-to-item spread swamps a 3 % difference in 500 items.
    unpaired = stats.quality_verdict(loss_a, loss_b, higher_is_better=False, paired=False)
    assert unpaired.verdict == "inconclusive"
    assert stats.quality_verdict(loss_a, loss_b, seed=3).p_value == \
        stats.quality_verdict(loss_a, loss_b, seed=3).p_value


@needs_scipy
def test_paired_bootstrap_interval_agrees_with_scipy_bootstrap():
    from scipy.stats import bootstrap

    rng = np.random.default_rng(19)
    a = rng.normal(1.0, 1.0, 300)
    b = a - 0.1 + rng.normal(0, 0.3, 300)
    ours = stats.quality_verdict(a, b, n_resamples=4000, kind="continuous")
    ref = bootstrap((a - b,), np.mean, confidence_level=0.95, method="percentile",
                    n_resamples=4000, random_state=1).confidence_interval
    assert ours.ci_low == pytest.approx(ref.low, abs=0.01)
    assert ours.ci_high == pytest.approx(ref.high, abs=0.01)


def test_adjust_verdicts_withdraws_claims_holm_does_not_support():
    rng = np.random.default_rng(20)
    verdicts = [stats.speed_verdict(*measured(rng, 1e5, 5), *measured(rng, 1e5, 5))
                for _ in range(45)]
    marginal = next(v for v in verdicts if v.p_value > 0.001)
    claims = [stats.Verdict(**{**marginal.__dict__, "verdict": "faster", "p_value": 0.02})] * 3
    adjusted = stats.adjust_verdicts(claims + verdicts)
    assert [v.verdict for v in adjusted[:3]] == ["inconclusive"] * 3
    assert "Holm" in adjusted[0].reason and adjusted[0].p_adjusted > 0.05
    strong = stats.Verdict(**{**marginal.__dict__, "verdict": "slower", "p_value": 1e-6})
    assert stats.adjust_verdicts([strong, *claims])[0].verdict == "slower"


def test_pairwise_with_runs_calls_three_copies_of_one_model_not_different():
    """The issue's first finding: three copies of one function, every pair 'significant'."""
    rng = np.random.default_rng(21)
    samples, runs = {}, {}
    for name in ("copy-1", "copy-2", "copy-3"):
        samples[name], runs[name] = measured(rng, 1e5, 5, calls=2000)
    per_call = stats.pairwise(samples)
    assert any(p["significant"] for p in per_call)  # 10^4 calls: run drift looks "real"
    honest = stats.pairwise(samples, runs=runs)
    assert [p["faster"] for p in honest] == [None, None, None]
    assert {p["verdict"] for p in honest} <= {"same", "inconclusive"}
    assert all(p["p_adjusted"] >= p["p_value"] for p in honest)


def test_rerun_interval_covers_an_independent_rerun_and_the_ci_alone_does_not():
    rng = np.random.default_rng(22)
    in_rerun, in_ci = 0, 0
    trials = 600
    for _ in range(trials):
        first, first_runs = measured(rng, 1e5, 5, calls=10)
        rerun = stats.median_ci_runs(*measured(rng, 1e5, 5, calls=10))[0]
        _, low, high = stats.rerun_interval(first, first_runs)
        in_rerun += low <= rerun <= high
        _, low, high = stats.median_ci_runs(first, first_runs)
        in_ci += low <= rerun <= high
    assert in_rerun / trials >= 0.92  # nominal 95 %
    assert in_ci / trials < 0.92  # nominal 88 %: a CI is not a prediction of the rerun
    assert math.isnan(stats.rerun_interval([1.0, 2.0], [0, 0])[1])


def busy_runs(rng, shape, *, busy=0.2, slow=1.7, sigma=0.005):
    """Log run levels of a shared machine: most runs within ``sigma``, a ``busy`` share of
    them ``slow`` times slower in all their calls (a busy SMT sibling)."""
    return rng.normal(0, sigma, shape) + np.log(slow) * (rng.random(shape) < busy)


def test_calibrated_floor_keeps_the_rerun_interval_honest_when_rare_runs_are_slow():
    rng = np.random.default_rng(31)
    runs, trials = np.arange(5), 800
    held = {"own spread": 0, "calibrated floor": 0}
    for _ in range(trials):
        first, again = np.exp(busy_runs(rng, 5)), np.exp(busy_runs(rng, 5))
        rerun = stats.median_ci_runs(again, runs)[0]
        calibration = (float(busy_runs(rng, 10).std(ddof=1)), 9)  # `calibrate --runs 10`
        for name, cal in (("own spread", None), ("calibrated floor", calibration)):
            _, low, high = stats.rerun_interval(first, runs, calibration=cal)
            held[name] += low <= rerun <= high
    assert held["own spread"] / trials < 0.85  # five calm runs say nothing of busy ones
    assert held["calibrated floor"] / trials >= 0.90


def test_calibration_is_a_floor_of_the_spread_not_a_replacement():
    runs = np.arange(5)
    calm = 1e5 * np.exp(np.array([0.0, 0.01, -0.01, 0.02, -0.02]))
    sd_own = float(np.log(calm).std(ddof=1))
    plain = stats.rerun_interval(calm, runs)
    # a calibration below the runs' own spread changes nothing
    assert stats.rerun_interval(calm, runs, calibration=(sd_own / 2, 9)) == plain
    # above it, the half-width is t(df of the calibration) * sd_c * sqrt(1/n + 1/m)
    centre, low, high = stats.rerun_interval(calm, runs, calibration=(0.1, 9), rerun_runs=3)
    expected = stats.t_quantile(0.975, 9) * 0.1 * math.sqrt(1 / 5 + 1 / 3)
    assert math.log(high / centre) == pytest.approx(expected)
    assert math.log(centre / low) == pytest.approx(expected)
    # the CI of the median takes the same floor: t(df_c) * sd_c / sqrt(n)
    assert stats.median_ci_runs(calm, runs, calibration=(sd_own / 2, 9)) == pytest.approx(
        stats.median_ci_runs(calm, runs))
    centre, low, high = stats.median_ci_runs(calm, runs, calibration=(0.1, 9))
    assert math.log(high / centre) == pytest.approx(stats.t_quantile(0.975, 9) * 0.1 / 5**0.5)
    # one run: the calibration alone gives the interval; without it there is none
    one = stats.rerun_interval([1e5, 1e5], [0, 0], calibration=(0.1, 9))
    assert one[1] < 1e5 < one[2]
    with pytest.raises(ValidationError):
        stats.rerun_interval(calm, runs, calibration=(0.1, 0))
    with pytest.raises(ValidationError):
        stats.rerun_interval(calm, runs, rerun_runs=0)


@needs_scipy
def test_rank_test_on_run_medians_matches_scipy_exact_mann_whitney():
    from scipy.stats import mannwhitneyu

    rng = np.random.default_rng(23)
    for _ in range(25):
        m, n = rng.integers(2, 12, 2)
        x, y = rng.normal(0, 1, m), rng.normal(0.8, 1, n)
        ref = mannwhitneyu(x, y, alternative="two-sided", method="exact").pvalue
        assert stats.rank_test_runs(x, y) == pytest.approx(ref, rel=1e-9)


def test_one_outlying_run_does_not_make_a_verdict():
    runs = np.arange(5)
    a = 1e5 * np.array([1.2, 1.21, 1.19, 1.2, 0.995])  # four slow runs and one fast one
    b = 1e5 * np.array([1.0, 1.001, 1.002, 0.999, 0.998])
    t_alone = stats.t_sf(abs(np.log(a).mean() - np.log(b).mean()) / math.sqrt(
        np.log(a).var(ddof=1) / 5 + np.log(b).var(ddof=1) / 5), 4.2) * 2
    assert t_alone < 0.05  # the t interval alone would call it
    verdict = stats.speed_verdict(a, runs, b, runs, test="t")
    assert verdict.ci_low > 1 and verdict.p_value < 0.05
    assert verdict.rank_p == pytest.approx(stats.rank_test_runs(a, b)) and verdict.rank_p > 0.05
    assert verdict.verdict == "inconclusive" and "ranks" in verdict.reason
    ranked = stats.speed_verdict(a, runs, b, runs)  # the default: the ranks' own interval
    assert ranked.ci_low < 1 < ranked.ci_high and ranked.verdict == "inconclusive"


@needs_scipy
def test_rank_interval_is_the_inverted_exact_mann_whitney_test():
    """The default interval holds exactly the shifts the exact two-sided Mann–Whitney test
    does not reject: just inside either bound p >= 5 %, just outside p < 5 %."""
    from scipy.stats import mannwhitneyu

    rng = np.random.default_rng(25)
    for m, n in ((5, 5), (4, 7), (10, 10), (8, 6)):
        la, lb = rng.normal(0.05, 0.02, m), rng.normal(0, 0.02, n)
        runs_a, runs_b = np.arange(m), np.arange(n)
        verdict = stats.speed_verdict(np.exp(la), runs_a, np.exp(lb), runs_b)
        assert "Hodges-Lehmann" in verdict.method
        low, high = math.log(verdict.ci_low), math.log(verdict.ci_high)
        diffs = la[:, None] - lb[None, :]
        assert math.log(verdict.ratio) == pytest.approx(np.median(diffs))
        gap = np.diff(np.unique(diffs)).min() / 4

        def p_at(shift, la=la, lb=lb):
            return mannwhitneyu(la - shift, lb, alternative="two-sided", method="exact").pvalue

        assert p_at(low + gap) >= 0.05 > p_at(low - gap)
        assert p_at(high - gap) >= 0.05 > p_at(high + gap)
        assert verdict.p_value == pytest.approx(p_at(0.0), rel=1e-9)
    # 2 and 3 runs a side: no 95 % rank interval exists
    two = stats.speed_verdict([1e5, 1.01e5], [0, 1], [2e5, 2.01e5], [0, 1])
    assert two.verdict == "inconclusive" and math.isnan(two.ci_high)
    assert two.to_dict()["ci_low"] is None


@needs_scipy
def test_calibrated_verdict_is_a_pooled_t_test_and_judges_single_runs():
    from scipy.stats import t, ttest_ind

    rng = np.random.default_rng(24)
    a, ar = measured(rng, 1.10e5, 1, run_sigma=0.01)
    b, br = measured(rng, 1.00e5, 3, run_sigma=0.01)
    la, lb = np.log(stats.run_medians(a, ar)), np.log(stats.run_medians(b, br))
    squares = 9 * 0.01**2 + ((lb - lb.mean()) ** 2).sum()  # the one run adds no spread
    se = math.sqrt(squares / (9 + 1 + 3 - 2)) * math.sqrt(1 / 1 + 1 / 3)
    diff = la.mean() - lb.mean()
    v = stats.speed_verdict(a, ar, b, br, calibration=(0.01, 9))
    assert v.p_value == pytest.approx(2 * t.sf(abs(diff) / se, 11), rel=1e-7)
    assert v.ci_high == pytest.approx(math.exp(diff + t.ppf(0.975, 11) * se), rel=1e-9)
    assert v.verdict == "slower" and "calibrated" in v.method
    # With runs on both sides the calibration is a floor: a tiny calibration changes nothing.
    a5, ar5 = measured(rng, 1.1e5, 5)
    b5, br5 = measured(rng, 1.0e5, 5)
    ref = ttest_ind(np.log(stats.run_medians(a5, ar5)), np.log(stats.run_medians(b5, br5)),
                    equal_var=False)
    floored = stats.speed_verdict(a5, ar5, b5, br5, calibration=(1e-6, 9))
    assert floored.p_value == pytest.approx(ref.pvalue, rel=1e-7)
    wide = stats.speed_verdict(a5, ar5, b5, br5, calibration=(0.2, 9))
    assert wide.verdict == "inconclusive" and wide.ci_high - wide.ci_low > 0.3
    one_a, one_b = np.full(50, 1.2e5), np.full(50, 1.0e5)
    runs = np.zeros(50, dtype=int)
    assert stats.speed_verdict(one_a, runs, one_b, runs).verdict == "inconclusive"
    assert stats.speed_verdict(one_a, runs, one_b, runs,
                               calibration=(0.01, 9)).verdict == "slower"
    assert stats.speed_verdict(one_a, runs, one_b, runs,
                               calibration=(0.30, 9)).verdict == "inconclusive"
    with pytest.raises(ValidationError, match="calibration"):
        stats.speed_verdict(one_a, runs, one_b, runs, calibration=(0.01, 0))


def test_holm_over_many_pairs_still_decides_clear_differences_with_five_runs():
    """The rank guard is not adjusted: with 5 runs its smallest p (0.008) times 6 pairs
    would otherwise make every pair of 4 models undecidable."""
    rng = np.random.default_rng(25)
    models = {name: measured(rng, scale, 5, run_sigma=0.01)
              for name, scale in (("a", 1e5), ("b", 1e5), ("c", 1e5), ("d", 1.2e5))}
    names = list(models)
    pairs = [(x, y) for i, x in enumerate(names) for y in names[i + 1:]]
    verdicts = stats.adjust_verdicts([stats.speed_verdict(*models[x], *models[y])
                                      for x, y in pairs])
    words = {pair: v.verdict for pair, v in zip(pairs, verdicts, strict=True)}
    assert [words[(x, "d")] for x in "abc"] == ["faster"] * 3
    assert {words[p] for p in pairs if "d" not in p} <= {"same", "inconclusive"}


def test_each_pair_reports_the_ratio_of_medians_beside_the_verdicts_floors():
    """Floors alike, medians 30 % apart: the verdict's ratio (floors) stays near 1 while
    the pair's ``median_ratio`` and its between-run interval show the typical call's 1.3."""
    from modelbench.measure.runner import speed_pairs

    def entry(name, slow_share_ns):
        runs = []
        for run in range(6):
            jitter = 1 + 0.002 * run
            calls = np.r_[np.full(20, 100_000.0), np.full(80, slow_share_ns)] * jitter
            runs.append(calls)
        row = {"model_name": name, "id": name, "median_ms": float(np.median(runs[0])) / 1e6,
               "extra": {"items_per_call": 1}, "n_items": 1}
        return row, (np.concatenate(runs), np.repeat(np.arange(6), 100)), ()

    (pair,) = speed_pairs([entry("a", 130_000.0), entry("b", 100_000.0)])
    assert pair["statistic"] == "floor" and pair["ratio"] == pytest.approx(1.0, abs=0.01)
    assert pair["median_ratio"] == pytest.approx(1.3, abs=0.01)
    assert pair["median_ci_low"] > 1.2 and pair["median_ci_high"] < 1.4
