"""Honesty of the verdicts: false alarms, power, the smallest slowdown found, CI coverage.

Rows (issue 9, "Measured honesty"); these machines are noisy, so the figures are rates:
  * A/A: over >= 100 comparisons of identical models at default settings (5 runs each,
    margin 2 %, 95 %), the share called 'faster' or 'slower' (must be <= 5 %, goal <= 1 %);
  * an injected 10 % slowdown is called 'slower' >= 95 % of the time;
  * the smallest slowdown called 'slower' 95 % of the time within 10 s of measuring per model
    (as many default runs as fit in 10 s of wall time, at most max_runs = 30) — printed;
  * coverage: the prediction interval of a rerun's median (:func:`stats.rerun_interval`, with
    ``modelbench calibrate``'s spread as a floor) holds an independent rerun's median >= 90 %
    of the time; the CI of the median (same floor) holds the true median (synthetic only).

A real A/A through the runner comes first: three copies of one function in one
``compare_models`` call at default settings (the issue found every pair "significant").

Then real runs on this machine: a calibration as ``modelbench calibrate`` measures it (10
fresh-process runs of its reference workload, a ~10 µs loop, 0.2 s each: the runner's default
run), then a pool of interleaved A B A B runs of the same workload (an A/A). The rows marked
"real runs" are computed from those run medians only: coverage of an independent rerun (two
disjoint random sets of 5 runs; and, drift included, a window of 5 and the 5 after it),
false alarms (5 A runs against 5 B runs) and power (the A runs times 1.05 / 1.10, an injected
slowdown of real runs), each at default settings and with the calibration; every figure
comes with its n. Draws from one pool of 60 runs share runs, so they are not independent:
the n says how many comparisons, not how much independent evidence.

The spread of the same pool calibrates three synthetic run-level noise models: "empirical"
(a smoothed bootstrap of the observed deviations), "normal" (log-normal with their standard
deviation) and "heavy" (Student t with 3 df, same standard deviation: the occasional run
that lands on a busy core). Their rates come from seeded draws through
:func:`modelbench.stats.speed_verdict` — exact and fast, so thousands of comparisons cost
seconds; such a row is met only when every noise model meets it.

Every row and figure (with the real run medians) is written to
``data/benchmarks/verdicts.json`` (``MODELBENCH_BENCH_RESULTS`` to move it).
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
from common import Row

from modelbench import stats
from modelbench.measure.calibration import measure_spread, reference_run

RUN_TIME = 0.2  # the runner's default min_time per run
DEFAULT_RUNS = 5
BUDGET_S = 10.0
MAX_RUNS = 30


def real_a_a(rounds: int) -> dict[str, object]:
    """Interleaved runs of two identical models in fresh processes; run medians and walls."""
    medians: dict[str, list[float]] = {"A": [], "B": []}
    walls = []
    for _ in range(rounds):
        for name in ("A", "B"):
            start = time.perf_counter()
            # the calibration's reference workload (a ~10 µs loop) in a fresh process
            latencies = reference_run(RUN_TIME, loop=300)
            walls.append(time.perf_counter() - start)
            medians[name].append(float(np.median(latencies)))
    logs = {k: np.log(v) for k, v in medians.items()}
    n = rounds
    deviations = np.concatenate([v - v.mean() for v in logs.values()]) * math.sqrt(n / (n - 1))
    pairs = logs["A"] - logs["B"]
    runs = np.arange(n)
    verdict = stats.speed_verdict(np.exp(logs["A"]), runs, np.exp(logs["B"]), runs)
    paired = stats.speed_verdict(np.exp(logs["A"]), runs, np.exp(logs["B"]), runs, paired=True)
    return {"deviations": deviations, "sd": float(deviations.std(ddof=1)),
            "paired_sd": float(pairs.std(ddof=1) / math.sqrt(2)),
            "wall_per_run": float(np.median(walls)), "verdict": verdict, "paired": paired,
            "median_ns": float(np.median(np.concatenate(list(medians.values())))),
            "medians": medians}


def runner_a_a(trials: int) -> tuple[int, int, list[str]]:
    """The issue's first finding, replayed: three copies of one function in one
    ``compare_models`` call at default settings (5 interleaved runs each, fresh processes).
    Returns (pairs called different, pairs, the verdicts)."""
    from modelbench.measure.runner import ModelBenchmark

    inputs = np.random.default_rng(0).random(2000).tolist()  # sorted(): ~60 µs a call
    called, pairs, words = 0, 0, []
    for _ in range(trials):
        out = ModelBenchmark().compare_models(
            [{"name": f"copy-{i}", "target": "builtins:sorted"} for i in range(3)],
            metric="accuracy", inputs=inputs, expected_outputs=inputs)
        for pair in out["comparison"]:
            pairs += 1
            called += pair["verdict"] in ("faster", "slower")
            words.append(pair["verdict"])
    return called, pairs, words



# -- real runs: the figures that decide the rows ------------------------------------------
CALIBRATION_RUNS = 10  # `modelbench calibrate`'s default


def real_pool(rounds: int) -> dict[str, object]:
    """A calibration as ``modelbench calibrate`` measures it, then ``rounds`` interleaved
    A B pairs of fresh-process runs of the same reference workload (an A/A pool)."""
    cal = measure_spread(runs=CALIBRATION_RUNS, run_time=RUN_TIME)
    real = real_a_a(rounds)
    return {"calibration": (cal.sd, cal.df), "a": np.asarray(real["medians"]["A"]),
            "b": np.asarray(real["medians"]["B"]), **real}


def real_coverage(pool: dict[str, object], n_runs: int, draws: int,
                  seed: int = 0) -> dict[str, float]:
    """Share of rerun medians inside the rerun interval, on real runs only: the interval from
    ``n_runs`` runs, the rerun's median (geometric mean of its run medians, what the tool
    prints) from ``n_runs`` other runs. 'random': disjoint random subsets of the A/A pool
    (runs exchangeable); 'consecutive': a window of runs in time order and the window after
    it (drift included). Each with and without the calibrated floor."""
    rng = np.random.default_rng(seed)
    runs = np.arange(n_runs)
    everything = np.concatenate([pool["a"], pool["b"]])
    ordered = np.ravel(np.column_stack([pool["a"], pool["b"]]))  # A0 B0 A1 B1 ...: time order
    pairs = [(everything[p[:n_runs]], everything[p[n_runs:2 * n_runs]])
             for p in (rng.permutation(everything.size) for _ in range(draws))]
    windows = [(ordered[s:s + n_runs], ordered[s + n_runs:s + 2 * n_runs])
               for s in range(ordered.size - 2 * n_runs + 1)]
    out: dict[str, float] = {}
    for name, sample in (("random", pairs), ("consecutive", windows)):
        for floor, cal in (("", None), (" +calibration", pool["calibration"])):
            held = 0
            for first, again in sample:
                _, low, high = stats.rerun_interval(first, runs, calibration=cal)
                held += low <= float(np.exp(np.log(again).mean())) <= high
            out[name + floor] = held / len(sample)
    out["n_random"], out["n_consecutive"] = float(len(pairs)), float(len(windows))
    return out


def real_rates(pool: dict[str, object], slowdown: float, n_runs: int, draws: int,
               seed: int = 1) -> dict[str, float]:
    """Verdicts on real runs: ``n_runs`` of the A pool (times 1 + ``slowdown``, an injected
    slowdown of real runs) against ``n_runs`` of the B pool, drawn at random. With no
    slowdown: the share called faster/slower (false alarms); else the share called slower.
    Default settings, and with the calibration; 'paired': windows of interleaved pairs in
    time order, paired test (drift hits both)."""
    rng = np.random.default_rng(seed)
    runs = np.arange(n_runs)
    a, b = pool["a"] * (1 + slowdown), pool["b"]

    def called(verdict: stats.Verdict) -> bool:
        return verdict.decided if slowdown == 0 else verdict.verdict == "slower"

    hits = {"default": 0, "+calibration": 0}
    for _ in range(draws):
        pa = a[rng.choice(a.size, n_runs, replace=False)]
        pb = b[rng.choice(b.size, n_runs, replace=False)]
        hits["default"] += called(stats.speed_verdict(pa, runs, pb, runs))
        hits["+calibration"] += called(stats.speed_verdict(
            pa, runs, pb, runs, calibration=pool["calibration"]))
    out = {k: v / draws for k, v in hits.items()}
    starts = range(a.size - n_runs + 1)
    out["paired"] = float(np.mean([called(stats.speed_verdict(
        a[s:s + n_runs], runs, b[s:s + n_runs], runs, paired=True)) for s in starts]))
    out["n"], out["n_paired"] = float(draws), float(len(starts))
    return out


class Noise:
    """Seeded run-level noise (log scale) of one calibrated shape."""

    def __init__(self, kind: str, deviations: np.ndarray, seed: int) -> None:
        self.kind, self.deviations = kind, deviations
        self.sd = float(deviations.std(ddof=1))
        self.rng = np.random.default_rng(seed)

    def draw(self, shape: tuple[int, ...]) -> np.ndarray:
        if self.kind == "empirical":  # smoothed bootstrap: resampled deviations + a little
            picked = self.rng.choice(self.deviations, size=shape)
            return picked + self.rng.normal(0, 0.25 * self.sd, shape)
        if self.kind == "normal":
            return self.rng.normal(0, self.sd, shape)
        return self.rng.standard_t(3, shape) * self.sd / math.sqrt(3)  # t3 has variance 3


def rate_called(noise: Noise, slowdown: float, n_runs: int, trials: int,
                word: str | None = None) -> float:
    """Share of ``trials`` comparisons (A slowed by ``slowdown``) given ``word``; with
    ``word=None``, the share given any difference (faster or slower)."""
    runs = np.arange(n_runs)
    a = 1e5 * (1 + slowdown) * np.exp(noise.draw((trials, n_runs)))
    b = 1e5 * np.exp(noise.draw((trials, n_runs)))
    hits = 0
    for row_a, row_b in zip(a, b, strict=True):
        verdict = stats.speed_verdict(row_a, runs, row_b, runs)
        hits += verdict.decided if word is None else verdict.verdict == word
    return hits / trials


def smallest_found(noise: Noise, n_runs: int, trials: int) -> float:
    """Smallest slowdown (0.5 % steps) called 'slower' in >= 95 % of ``trials``."""
    for step in range(1, 200):
        slowdown = step * 0.005
        if rate_called(noise, slowdown, n_runs, trials, "slower") >= 0.95:
            return slowdown
    return math.inf


def noise_allowed(trials: int) -> float:
    """Largest run-to-run sd (log-normal, 0.25 % steps) at which a 10 % slowdown is still
    called 'slower' 95 % of the time with 5 runs: what a machine must offer."""
    allowed = 0.0
    for step in range(1, 60):
        sd = step * 0.0025
        noise = Noise("normal", np.zeros(2), seed=step)
        noise.sd = sd
        if rate_called(noise, 0.10, DEFAULT_RUNS, trials, "slower") < 0.95:
            return allowed
        allowed = sd
    return allowed


def coverage(noise: Noise, n_runs: int, trials: int) -> tuple[float, float, float]:
    """With a 10-run calibration of the same noise as the floor: (CI holds the true median,
    rerun interval holds a rerun's median); and the plain CI holds a rerun's median."""
    runs = np.arange(n_runs)
    first = 1e5 * np.exp(noise.draw((trials, n_runs)))
    rerun = 1e5 * np.exp(noise.draw((trials, n_runs)))
    calibrations = noise.draw((trials, CALIBRATION_RUNS)).std(axis=1, ddof=1)
    true_in = rerun_in = rerun_in_ci = 0
    for row, again, sd_c in zip(first, rerun, calibrations, strict=True):
        calibration = (float(sd_c), CALIBRATION_RUNS - 1)
        centre = stats.median_ci_runs(again, runs)[0]
        _, low, high = stats.median_ci_runs(row, runs)
        rerun_in_ci += low <= centre <= high
        _, low, high = stats.median_ci_runs(row, runs, calibration=calibration)
        true_in += low <= 1e5 <= high
        _, low, high = stats.rerun_interval(row, runs, calibration=calibration)
        rerun_in += low <= centre <= high
    return true_in / trials, rerun_in / trials, rerun_in_ci / trials


def rows(quick: bool = False) -> list[Row]:
    rounds, trials = (30, 400) if quick else (40, 2000)
    real = real_pool(rounds)
    real_cover = real_coverage(real, DEFAULT_RUNS, trials * 2)
    real_fa = real_rates(real, 0.0, DEFAULT_RUNS, trials * 2)
    real_power = {f"{s:.0%}": real_rates(real, s, DEFAULT_RUNS, trials) for s in (0.05, 0.10)}
    copies_called, copies_pairs, copies_words = runner_a_a(1 if quick else 3)
    n_in_budget = max(2, min(MAX_RUNS, int(BUDGET_S // real["wall_per_run"])))
    models = [Noise(kind, real["deviations"], seed) for seed, kind in
              enumerate(("empirical", "normal", "heavy"))]
    false_alarm = {m.kind: rate_called(m, 0.0, DEFAULT_RUNS, trials) for m in models}
    power = {m.kind: rate_called(m, 0.10, DEFAULT_RUNS, trials // 2, "slower") for m in models}
    power_budget = {m.kind: rate_called(m, 0.10, n_in_budget, trials // 4, "slower")
                    for m in models}
    smallest = {m.kind: smallest_found(m, n_in_budget, trials // 4) for m in models}
    covered = {m.kind: coverage(m, DEFAULT_RUNS, trials // 2) for m in models}
    allowed = noise_allowed(trials // 4)

    def each(figures: dict[str, float], fmt: str = "{:.1%}") -> str:
        return ", ".join(f"{k} {fmt.format(v)}" for k, v in figures.items())

    calibration = (f"real A/A: {2 * rounds} runs of {RUN_TIME} s, run-to-run sd "
                   f"{real['sd']:.2%} (paired {real['paired_sd']:.2%}; its runs span "
                   f"{math.expm1(real['deviations'].min()):+.1%} to "
                   f"{math.expm1(real['deviations'].max()):+.1%}), "
                   f"{real['wall_per_run']:.2f} s wall per run; its verdict "
                   f"{real['verdict'].verdict} (ratio {real['verdict'].ratio:.3f}), "
                   f"paired {real['paired'].verdict}")
    worst_fa, worst_power = max(false_alarm.values()), min(power.values())
    worst_small = max(smallest.values())
    true_cov = min(c[0] for c in covered.values())
    rerun_cov = min(c[1] for c in covered.values())
    ci_rerun = {k: c[2] for k, c in covered.items()}
    worst_real_fa = max(real_fa["default"], real_fa["+calibration"], real_fa["paired"])
    print(calibration, file=sys.stderr)
    copies_rate = copies_called / copies_pairs
    out = [
        Row("verdicts: compare_models of 3 copies of one function (real)", "identical models",
            copies_rate, "<= 5%", copies_rate <= 0.05,
            f"{copies_called} of {copies_pairs} pairs called faster/slower: "
            f"{', '.join(sorted(set(copies_words)))} (the issue found 9 of 9)"),
        Row("verdicts: A/A called faster/slower (5 runs, 2 % margin)", "identical models",
            worst_fa, "<= 5% (goal 1%)", worst_fa <= 0.05,
            f"{trials} pairs each: {each(false_alarm)}; {calibration}"),
        Row("verdicts: 10 % slowdown called slower (5 runs)", "the same model, 10 % slower",
            worst_power, ">= 95%", worst_power >= 0.95,
            f"{each(power)}; needs run-to-run sd <= {allowed:.2%} (this machine now: "
            f"{real['sd']:.1%}); with the {n_in_budget} runs of 10 s: {each(power_budget)}"),
        Row(f"verdicts: smallest slowdown found 95 % in 10 s/model ({n_in_budget} runs)",
            "the same model, slowed", worst_small, "printed", math.isfinite(worst_small),
            each(smallest)),
        Row("verdicts: CI of the median (+10-run calibration) holds the true median, synthetic",
            "synthetic truth",
            true_cov, ">= 90% (nominal 95%)", true_cov >= 0.90,
            f"{each({k: c[0] for k, c in covered.items()})} (the floor: each trial's own "
            f"{CALIBRATION_RUNS}-run calibration of the same noise)"),
        Row("verdicts: rerun interval (+10-run calibration) holds a rerun's median, synthetic",
            "a rerun", rerun_cov, ">= 90%", rerun_cov >= 0.90,
            f"{each({k: c[1] for k, c in covered.items()})}; the CI of the median alone "
            f"holds it {each(ci_rerun)} (a correct 95 % CI: ~88 % at 5 runs)"),
        Row("verdicts: rerun interval holds an independent rerun's median (real runs, 5)",
            "a rerun on this machine", real_cover["random +calibration"], ">= 90%",
            real_cover["random +calibration"] >= 0.90,
            f"with `calibrate`'s floor (sd {real['calibration'][0]:.2%} over "
            f"{CALIBRATION_RUNS} runs): {real_cover['random +calibration']:.1%} of "
            f"n={real_cover['n_random']:.0f} draws of disjoint 5+5 of {2 * rounds} real runs; "
            f"without the floor {real_cover['random']:.1%}"),
        Row("verdicts: rerun interval holds the next 5 runs' median (real, in time order)",
            "the rerun right after", real_cover["consecutive +calibration"], ">= 90%",
            real_cover["consecutive +calibration"] >= 0.90,
            f"n={real_cover['n_consecutive']:.0f} overlapping windows (busy spells last "
            f"seconds, so few are independent); without the floor "
            f"{real_cover['consecutive']:.1%}"),
        Row("verdicts: A/A called faster/slower (real runs, 5 a side)", "identical models",
            worst_real_fa, "<= 5% (goal 1%)", worst_real_fa <= 0.05,
            f"default {real_fa['default']:.1%}, +calibration {real_fa['+calibration']:.1%} "
            f"(n={real_fa['n']:.0f} draws of {rounds}+{rounds} real runs), paired "
            f"{real_fa['paired']:.1%} (n={real_fa['n_paired']:.0f} windows)"),
        *[Row(f"verdicts: {size} slowdown called slower (real runs, 5 a side, this machine)",
              f"real runs x {1 + float(size[:-1]) / 100:.2f}", figures["default"], goal,
              figures["default"] >= 0.95 if goal != "printed" else True,
              f"default {figures['default']:.1%}, +calibration {figures['+calibration']:.1%} "
              f"(n={figures['n']:.0f} draws), paired {figures['paired']:.1%} "
              f"(n={figures['n_paired']:.0f} windows); run-to-run sd now {real['sd']:.1%} "
              f"(needs <= {allowed:.2%} for 95 %)")
          for size, figures, goal in (("5%", real_power["5%"], "printed"),
                                      ("10%", real_power["10%"], ">= 95%"))],
    ]
    path = write_results(out, {
        "real_coverage": real_cover, "real_false_alarm": real_fa, "real_power": real_power,
        "calibration_sd": real["calibration"][0], "calibration_df": real["calibration"][1],
        "real_run_medians_ns": {"A": real["a"].tolist(), "B": real["b"].tolist()},
        "synthetic_false_alarm": false_alarm, "synthetic_power": power,
        "synthetic_coverage": covered, "runs_in_10s": n_in_budget, "trials": trials})
    print(f"verdicts: figures written to {path}", file=sys.stderr)
    return out


def write_results(rows_out: list[Row], figures: dict[str, object]) -> Path:
    """The rows and the raw figures as JSON (``MODELBENCH_BENCH_RESULTS`` folder, default
    data/benchmarks/): what a later run or the README can quote without rerunning."""
    folder = Path(os.environ.get("MODELBENCH_BENCH_RESULTS",
                                 Path(__file__).resolve().parent.parent / "data" / "benchmarks"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "verdicts.json"
    path.write_text(json.dumps({"rows": [asdict(r) for r in rows_out], "figures": figures,
                                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                               indent=1, default=float))
    return path


if __name__ == "__main__":
    for row in rows(quick="--quick" in sys.argv):
        print(row)
