"""Honesty and power of the verdicts: false alarms, power, the smallest slowdown found, coverage.

Rows (issue 9, "Measured honesty"); these machines are noisy, so the figures are rates:
  * A/A: over >= 100 comparisons of identical models at default settings (5 runs each,
    margin 2 %, 95 %), the share called 'faster' or 'slower' (must be <= 5 %, goal <= 1 %);
  * an injected 10 % slowdown is called 'slower' >= 95 % of the time;
  * the smallest slowdown called 'slower' 95 % of the time within 10 s of measuring per model
    (as many default runs as fit in 10 s of the runner's wall time per run) — printed;
  * coverage: the prediction interval of a rerun's median (:func:`stats.rerun_interval`, with
    ``modelbench calibrate``'s spread as a floor) holds an independent rerun's median >= 90 %
    of the time; the CI of the median (same floor) holds the true median (synthetic only).

Speed verdicts compare each run's *floor* (its 10th-percentile call, :func:`stats.run_floors`)
by default; every real-run figure is given for the floor (the default) and for the run
median (the statistic before, and what a verdict falls back to with < 50 calls a run), so
the gain can be read off the same runs. The paired design (run i of A against run i of B:
the runner interleaves A B A B) is measured too.

A real A/A through the runner comes first: three copies of one function in one
``compare_models`` call at default settings (the issue found every pair "significant"); its
wall time gives the runner's seconds per run, hence how many runs fit in 10 s.

Then real runs on this machine: a calibration as ``modelbench calibrate`` measures it (10
fresh-process runs of its reference workload, a ~10 µs loop, 0.2 s each), then a pool of two
identical models (``sorted`` of 2000 floats, ~60 µs: not the probe's loop) measured through
the runner at default settings but ``runs=rounds``: fresh processes, interleaved in rotating
order, the host check on (slow windows left out, disturbed runs measured again). The rows
marked "real runs" are computed from the steady runs of that pool only: coverage of an
independent rerun (two disjoint random sets of 5 runs; and, drift included, a window of 5
and the 5 after it), false alarms (5 A runs against 5 B runs), power (the A runs times 1.10,
an injected slowdown of real runs) and the smallest slowdown found 95 % of the time with the
runs of 10 s; each with its n. Draws from one pool share runs, so they are not independent:
the n says how many comparisons, not how much independent evidence.

The spread of the same pool (of the statistic compared) calibrates three synthetic run-level
noise models: "empirical" (a smoothed bootstrap of the observed deviations), "normal"
(log-normal with their standard deviation) and "heavy" (Student t with 3 df, same standard
deviation: the occasional run that lands on a busy core). Their rates come from seeded
draws through :func:`modelbench.stats.speed_verdict` — exact and fast; such a row is met
only when every noise model meets it.

The machine's load is part of every figure: the 1-minute load average at the start and end,
the CPU the *other* processes used meanwhile (all CPU time in /proc/stat minus this
benchmark's own, in cores of the machine's ``os.cpu_count()``), the host's steal time, and
how many other processes there were and how many of them were busy.

Every row and figure (with the real run medians and floors) is written to
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
from modelbench.measure import hostcheck
from modelbench.measure.calibration import measure_spread

RUN_TIME = 0.2  # the runner's default min_time per run
DEFAULT_RUNS = 5
BUDGET_S = 10.0
MAX_RUNS = 30
CALIBRATION_RUNS = 10  # `modelbench calibrate`'s default
STATISTICS = ("floor", "median")  # the default first


# -- the machine's load while we measure ---------------------------------------------------
def _own_tree() -> set[int]:
    """This process and its living descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    ours, grew = {os.getpid()}, True
    while grew:
        new = {pid for pid, parent in parents.items() if parent in ours} - ours
        ours |= new
        grew = bool(new)
    return ours


def _process_times() -> dict[int, float]:
    """CPU seconds (user + system) of every process now alive."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                out[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
            except (OSError, IndexError, ValueError):
                continue
    return out


def load_snapshot() -> dict[str, object]:
    """Now: wall clock, all CPU time of the machine (busy, steal), our own, the load
    average and every process's CPU time."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    tick = os.sysconf("SC_CLK_TCK")
    own = os.times()
    return {"wall": time.monotonic(), "busy": (user + nice + system + irq + softirq) / tick,
            "steal": steal / tick, "ours": own.user + own.system + own.children_user
            + own.children_system, "loadavg": os.getloadavg(), "procs": _process_times()}


def load_summary(start: dict[str, object], end: dict[str, object]) -> dict[str, float]:
    """What the others did between two snapshots: cores of CPU they used (the machine's
    busy time minus ours), steal, load averages, other processes alive and busy (> 0.5 s
    of CPU between the snapshots)."""
    wall = end["wall"] - start["wall"]
    others_cpu = (end["busy"] - start["busy"]) - (end["ours"] - start["ours"])
    ours = _own_tree()
    before, after = start["procs"], end["procs"]
    others = [pid for pid in after if pid not in ours]
    busy = [pid for pid in others if after[pid] - before.get(pid, 0.0) > 0.5]
    return {"wall_s": wall, "cores": float(os.cpu_count() or 1),
            "others_cores": max(0.0, others_cpu / wall),
            "steal_cores": (end["steal"] - start["steal"]) / wall,
            "loadavg_start": start["loadavg"][0], "loadavg_end": end["loadavg"][0],
            "other_processes": float(len(others)), "other_busy_processes": float(len(busy))}


def describe_load(load: dict[str, float]) -> str:
    return (f"load avg {load['loadavg_start']:.2f} -> {load['loadavg_end']:.2f} on "
            f"{load['cores']:.0f} cores; other processes used {load['others_cores']:.2f} cores "
            f"on average over {load['wall_s']:.0f} s (steal {load['steal_cores']:.2f}); "
            f"{load['other_processes']:.0f} other processes, "
            f"{load['other_busy_processes']:.0f} of them busy (> 0.5 s CPU)")


# -- real runs -----------------------------------------------------------------------------
def _side_figures(sides: dict[str, list[float]], rounds: int) -> dict[str, object]:
    logs = {k: np.log(v) for k, v in sides.items()}
    deviations = np.concatenate([v - v.mean() for v in logs.values()]) * math.sqrt(
        rounds / max(1, rounds - 1))
    n = min(len(sides["A"]), len(sides["B"]))
    return {"a": np.asarray(sides["A"]), "b": np.asarray(sides["B"]),
            "deviations": deviations, "sd": float(deviations.std(ddof=1)),
            "paired_sd": float((logs["A"][:n] - logs["B"][:n]).std(ddof=1) / math.sqrt(2))}


def _per_run(series: tuple[np.ndarray, np.ndarray] | None) -> dict[int, np.ndarray]:
    if series is None:
        return {}
    calls, index = series
    return {int(i): calls[index == i] for i in np.unique(index)}


def _run_values(calls: np.ndarray) -> dict[str, float]:
    return {"floor": float(np.quantile(calls, stats.FLOOR_QUANTILE)),
            "median": float(np.median(calls))}


def real_a_a(rounds: int) -> dict[str, object]:
    """Two identical models (``sorted`` of 2000 floats, ~10 µs a call: not the probe's
    loop) measured through the runner at default settings but ``runs=rounds``: fresh
    processes, interleaved A B A B, the host check on (:mod:`modelbench.measure.hostcheck`:
    calls timed in a slow window and runs with too few steady calls are kept apart, and a
    disturbed run is measured again, at most ``rounds`` more).

    Each statistic's ``a``/``b`` hold the steady runs of each side, reduced to their steady
    calls (what the verdicts see: drawing from them is re-measuring until there are
    enough), ``pa``/``pb`` the run indices steady on both sides (the paired design), and
    ``unchecked`` every run with all its calls (the figures without the check)."""
    from modelbench.measure.runner import ModelBenchmark

    kept: dict[str, object] = {}

    def sink(measurement: object) -> dict[str, bool]:
        kept[measurement.result.model_name] = measurement
        return {"stored": True}

    inputs = np.random.default_rng(0).random(2000).tolist()
    start = time.perf_counter()
    ModelBenchmark(sink, runs=rounds).compare_models(
        [{"name": name, "target": "builtins:sorted"} for name in ("A", "B")],
        metric="accuracy", inputs=inputs, expected_outputs=inputs)
    wall = time.perf_counter() - start
    steady: dict[str, dict[int, np.ndarray]] = {}
    everything: dict[str, dict[int, np.ndarray]] = {}
    host: dict[str, object] = {"rounds": rounds, "disturbed": {}, "calls_left_out": {},
                               "probe_ns": {}}
    n_runs = 0
    for side in ("A", "B"):
        measurement = kept[side]
        steady[side] = _per_run(measurement.samples["call"])
        aside = _per_run(measurement.samples.get("call_disturbed"))
        runs = set(steady[side]) | set(aside)
        n_runs += len(runs)
        everything[side] = {i: np.concatenate([steady[side].get(i, np.empty(0, np.int64)),
                                               aside.get(i, np.empty(0, np.int64))])
                            for i in sorted(runs)}
        extra = measurement.result.extra
        host["disturbed"][side] = len(extra.get("disturbed_runs", {}))
        host["calls_left_out"][side] = int(extra.get("disturbed_calls", 0))
        host["probe_ns"][side] = extra.get("host_probe_ns")
    both = sorted(set(steady["A"]) & set(steady["B"]))
    host["both_steady"] = len(both)
    out: dict[str, object] = {"wall_per_run": wall / max(1, n_runs), "host": host}
    for statistic in STATISTICS:
        values = {side: [_run_values(c)[statistic] for c in steady[side].values()]
                  for side in ("A", "B")}
        figures = _side_figures(values, rounds)
        figures["runs_a"], figures["runs_b"] = list(steady["A"]), list(steady["B"])
        figures["pa"] = np.asarray([_run_values(steady["A"][i])[statistic] for i in both])
        figures["pb"] = np.asarray([_run_values(steady["B"][i])[statistic] for i in both])
        figures["ordered"] = np.asarray([_run_values(steady[side][i])[statistic]  # in time
                                         for i in sorted(set(steady["A"]) | set(steady["B"]))
                                         for side in ("A", "B") if i in steady[side]])
        figures["unchecked"] = _side_figures(
            {side: [_run_values(c)[statistic] for c in everything[side].values()]
             for side in ("A", "B")}, rounds)
        out[statistic] = figures
    return out


def runner_a_a(trials: int) -> tuple[int, int, list[str], float]:
    """The issue's first finding, replayed: three copies of one function in one
    ``compare_models`` call at default settings (5 interleaved runs each, fresh processes).
    Returns (pairs called different, pairs, the verdicts, wall seconds per run)."""
    from modelbench.measure.runner import ModelBenchmark

    inputs = np.random.default_rng(0).random(2000).tolist()  # sorted(): ~60 µs a call
    called, pairs, words, walls = 0, 0, [], []
    for _ in range(trials):
        start = time.perf_counter()
        out = ModelBenchmark().compare_models(
            [{"name": f"copy-{i}", "target": "builtins:sorted"} for i in range(3)],
            metric="accuracy", inputs=inputs, expected_outputs=inputs)
        walls.append((time.perf_counter() - start) / (3 * DEFAULT_RUNS))
        for pair in out["comparison"]:
            pairs += 1
            called += pair["verdict"] in ("faster", "slower")
            words.append(f"{pair['verdict']} ({pair.get('statistic')})")
    return called, pairs, words, float(np.median(walls))


def real_pool(rounds: int) -> dict[str, object]:
    """A calibration as ``modelbench calibrate`` measures it, then ``rounds`` interleaved
    A B pairs of fresh-process runs of the same reference workload (an A/A pool)."""
    cal = measure_spread(runs=CALIBRATION_RUNS, run_time=RUN_TIME)
    real = real_a_a(rounds)
    return {"calibration": {"median": (cal.sd, cal.df), "floor": (cal.floor_sd, cal.df)},
            **real}


def real_coverage(pool: dict[str, object], n_runs: int, draws: int,
                  seed: int = 0) -> dict[str, float]:
    """Share of rerun medians inside the rerun interval, on real runs only: the interval from
    ``n_runs`` run medians, the rerun's median (geometric mean of its run medians, what the
    tool prints) from ``n_runs`` other runs. 'random': disjoint random subsets of the A/A
    pool (runs exchangeable); 'consecutive': a window of runs in time order and the window
    after it (drift included). Each with and without the calibrated floor."""
    rng = np.random.default_rng(seed)
    runs = np.arange(n_runs)
    medians = pool["median"]
    everything = np.concatenate([medians["a"], medians["b"]])
    ordered = medians["ordered"]  # A0 B0 A1 B1 ..., the steady ones
    pairs = [(everything[p[:n_runs]], everything[p[n_runs:2 * n_runs]])
             for p in (rng.permutation(everything.size) for _ in range(draws))]
    windows = [(ordered[s:s + n_runs], ordered[s + n_runs:s + 2 * n_runs])
               for s in range(ordered.size - 2 * n_runs + 1)]
    out: dict[str, float] = {}
    for name, sample in (("random", pairs), ("consecutive", windows)):
        for floor, cal in (("", None), (" +calibration", pool["calibration"]["median"])):
            held = 0
            for first, again in sample:
                _, low, high = stats.rerun_interval(first, runs, calibration=cal)
                held += low <= float(np.exp(np.log(again).mean())) <= high
            out[name + floor] = held / len(sample)
    out["n_random"], out["n_consecutive"] = float(len(pairs)), float(len(windows))
    return out


def _called(verdict: stats.Verdict, slowdown: float) -> bool:
    return verdict.decided if slowdown == 0 else verdict.verdict == "slower"


def real_rates(pool: dict[str, object], statistic: str, slowdown: float, n_runs: int,
               draws: int, seed: int = 1) -> dict[str, float]:
    """Verdicts on real runs, each run reduced to ``statistic``: ``n_runs`` of the A pool
    (times 1 + ``slowdown``, an injected slowdown of real runs) against ``n_runs`` of the B
    pool, drawn at random. With no slowdown: the share called faster/slower (false alarms);
    else the share called slower. Default settings, and with the calibration of that
    statistic; 'paired': windows of interleaved pairs in time order, paired test."""
    rng = np.random.default_rng(seed)
    side = pool[statistic]
    a, b = side["a"] * (1 + slowdown), side["b"]
    n_runs = min(n_runs, a.size, b.size)
    runs = np.arange(n_runs)
    calibration = pool["calibration"][statistic]
    hits = {"default": 0, "+calibration": 0}
    for _ in range(draws):
        pa = a[rng.choice(a.size, n_runs, replace=False)]
        pb = b[rng.choice(b.size, n_runs, replace=False)]
        hits["default"] += _called(stats.speed_verdict(pa, runs, pb, runs), slowdown)
        hits["+calibration"] += _called(stats.speed_verdict(
            pa, runs, pb, runs, calibration=calibration), slowdown)
    out = {k: v / draws for k, v in hits.items()}
    wa, wb = side["pa"] * (1 + slowdown), side["pb"]  # time-ordered windows, both steady
    starts = range(wa.size - n_runs + 1)
    out["paired"] = float(np.mean([_called(stats.speed_verdict(
        wa[s:s + n_runs], runs, wb[s:s + n_runs], runs, paired=True), slowdown)
        for s in starts])) if len(starts) else math.nan
    out["n"], out["n_paired"] = float(draws), float(len(starts))
    return out


def real_smallest(pool: dict[str, object], statistic: str, n_runs: int,
                  draws: int) -> float:
    """Smallest slowdown (0.5 % steps) of real runs called 'slower' in >= 95 % of
    ``draws`` random draws of ``n_runs`` a side (as many as the pool holds, at most)."""
    n_runs = min(n_runs, pool[statistic]["a"].size, pool[statistic]["b"].size)
    for step in range(1, 200):
        if real_rates(pool, statistic, step * 0.005, n_runs, draws)["default"] >= 0.95:
            return step * 0.005
    return math.inf


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
    ``word=None``, the share given any difference (faster or slower). Each run is one
    value of the run statistic the noise was calibrated on."""
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


def each(figures: dict[str, float], fmt: str = "{:.1%}") -> str:
    return ", ".join(f"{k} {fmt.format(v)}" for k, v in figures.items())


def measure(quick: bool) -> dict[str, object]:
    """Every figure, real and synthetic, with the machine's load while measuring."""
    rounds, trials = (30, 400) if quick else (40, 2000)
    start = load_snapshot()
    copies_called, copies_pairs, copies_words, runner_wall = runner_a_a(1 if quick else 3)
    pool = real_pool(rounds)
    load = load_summary(start, load_snapshot())
    n_in_budget = max(2, min(MAX_RUNS, int(BUDGET_S // runner_wall)))
    fig: dict[str, object] = {
        "rounds": rounds, "trials": trials, "load": load, "runner_wall_per_run": runner_wall,
        "runs_in_10s": n_in_budget, "copies": (copies_called, copies_pairs, copies_words),
        "pool": pool, "real_coverage": real_coverage(pool, DEFAULT_RUNS, trials * 2)}
    for statistic in STATISTICS:
        fig[statistic] = {
            "false_alarm": real_rates(pool, statistic, 0.0, DEFAULT_RUNS, trials * 2),
            "power": {f"{s:.0%}": real_rates(pool, statistic, s, DEFAULT_RUNS, trials)
                      for s in (0.05, 0.10)},
            "power_budget": real_rates(pool, statistic, 0.10, n_in_budget, trials // 2),
            "smallest_budget": real_smallest(pool, statistic, n_in_budget, trials // 4),
            "more_runs": {n: (real_rates(pool, statistic, 0.0, n, trials // 2)["default"],
                              real_rates(pool, statistic, 0.10, n, trials // 2)["default"])
                          for n in (8, 10)}}
    models = [Noise(kind, pool["floor"]["deviations"], seed) for seed, kind in
              enumerate(("empirical", "normal", "heavy"))]
    fig["synthetic"] = {
        "false_alarm": {m.kind: rate_called(m, 0.0, DEFAULT_RUNS, trials) for m in models},
        "power": {m.kind: rate_called(m, 0.10, DEFAULT_RUNS, trials // 2, "slower")
                  for m in models},
        "smallest": {m.kind: smallest_found(m, n_in_budget, trials // 4) for m in models}}
    medians = [Noise(kind, pool["median"]["deviations"], seed) for seed, kind in
               enumerate(("empirical", "normal", "heavy"))]
    fig["synthetic"]["coverage"] = {m.kind: coverage(m, DEFAULT_RUNS, trials // 2)
                                    for m in medians}
    fig["allowed_sd"] = noise_allowed(trials // 4)
    return fig


def rows(quick: bool = False) -> list[Row]:
    fig = measure(quick)
    pool, load, rounds = fig["pool"], fig["load"], fig["rounds"]
    floor, median, synthetic = fig["floor"], fig["median"], fig["synthetic"]
    n_budget, allowed = fig["runs_in_10s"], fig["allowed_sd"]
    copies_called, copies_pairs, copies_words = fig["copies"]
    cover = fig["real_coverage"]
    spread = (f"run-to-run sd of run floors {pool['floor']['sd']:.2%} (paired "
              f"{pool['floor']['paired_sd']:.2%}), of run medians {pool['median']['sd']:.2%} "
              f"(paired {pool['median']['paired_sd']:.2%}) over "
              f"{pool['floor']['a'].size}+{pool['floor']['b'].size} steady real runs of "
              f"{RUN_TIME} s or more")
    machine = describe_load(load)
    host = pool["host"]
    left_out = host["calls_left_out"]["A"] + host["calls_left_out"]["B"]
    checked = (f"host check: {host['disturbed']['A'] + host['disturbed']['B']} runs "
               f"disturbed and measured again, {left_out} calls of steady runs left out "
               f"(probes over {hostcheck.SLOW_HOST_FACTOR:g}x the fastest); without the check "
               f"run floors spread {pool['floor']['unchecked']['sd']:.2%}, medians "
               f"{pool['median']['unchecked']['sd']:.2%}")
    spread = f"{spread}; {checked}"

    def real_fa(figures: dict[str, float]) -> float:
        return max(figures["default"], figures["+calibration"], figures["paired"])

    def real_detail(figures: dict[str, float]) -> str:
        return (f"default {figures['default']:.1%}, +calibration {figures['+calibration']:.1%} "
                f"(n={figures['n']:.0f} draws), paired {figures['paired']:.1%} "
                f"(n={figures['n_paired']:.0f} windows)")

    power10 = floor["power"]["10%"]["default"]
    worst_fa, worst_power = max(synthetic["false_alarm"].values()), \
        min(synthetic["power"].values())
    worst_small = max(synthetic["smallest"].values())
    covered = synthetic["coverage"]
    true_cov = min(c[0] for c in covered.values())
    rerun_cov = min(c[1] for c in covered.values())
    copies_rate = copies_called / copies_pairs
    summary = (f"verdicts: A/A false alarms {real_fa(floor['false_alarm']):.1%} (real, "
               f"worst design; median statistic {real_fa(median['false_alarm']):.1%}); "
               f"10 % slowdown found {power10:.1%} (median statistic "
               f"{median['power']['10%']['default']:.1%}); smallest slowdown found 95 % in "
               f"10 s/model ({n_budget} runs) {floor['smallest_budget']:.1%} (median "
               f"{median['smallest_budget']:.1%}); rerun coverage "
               f"{cover['random +calibration']:.1%}; {spread}; {machine}")
    print(summary, file=sys.stderr)
    out = [
        Row("verdicts: compare_models of 3 copies of one function (real)", "identical models",
            copies_rate, "<= 5%", copies_rate <= 0.05,
            f"{copies_called} of {copies_pairs} pairs called faster/slower: "
            f"{', '.join(sorted(set(copies_words)))} (the issue found 9 of 9); "
            f"{fig['runner_wall_per_run']:.2f} s wall per run"),
        Row("verdicts: A/A called faster/slower (real runs, 5 a side, run floors)",
            "identical models", real_fa(floor["false_alarm"]), "<= 5% (goal 1%)",
            real_fa(floor["false_alarm"]) <= 0.05,
            f"{real_detail(floor['false_alarm'])}; with run medians "
            f"{real_detail(median['false_alarm'])}; {machine}"),
        Row("verdicts: 10 % slowdown called slower (real runs, 5 a side, run floors)",
            "real runs x 1.10", power10, ">= 95%", power10 >= 0.95,
            f"{real_detail(floor['power']['10%'])}; with run medians "
            f"{real_detail(median['power']['10%'])}; more runs a side (A/A, 10 %): "
            + ", ".join(f"{n} runs {fa:.1%}, {found:.1%}"
                        for n, (fa, found) in floor["more_runs"].items())
            + f"; {spread}; 95 % at 5 runs needs a log-normal sd <= {allowed:.2%}; "
            f"{machine}"),
        Row("verdicts: 5 % slowdown called slower (real runs, 5 a side, run floors)",
            "real runs x 1.05", floor["power"]["5%"]["default"], "printed", True,
            f"{real_detail(floor['power']['5%'])}; with run medians "
            f"{real_detail(median['power']['5%'])}"),
        Row(f"verdicts: smallest slowdown found 95 % in 10 s/model (real, {n_budget} runs)",
            "real runs, slowed", floor["smallest_budget"], "printed",
            math.isfinite(floor["smallest_budget"]),
            f"run floors {floor['smallest_budget']:.1%}, run medians "
            f"{median['smallest_budget']:.1%} ({n_budget} runs of "
            f"{fig['runner_wall_per_run']:.2f} s in 10 s; draws of {rounds} pool runs a side, "
            f"overlapping); 10 % with {n_budget} runs: "
            f"{floor['power_budget']['default']:.1%}"),
        Row("verdicts: A/A called faster/slower (synthetic, floor-calibrated)",
            "identical models", worst_fa, "<= 5% (goal 1%)", worst_fa <= 0.05,
            f"{fig['trials']} pairs each: {each(synthetic['false_alarm'])}"),
        Row("verdicts: 10 % slowdown called slower (synthetic, floor-calibrated, 5 runs)",
            "the same model, 10 % slower", worst_power, ">= 95%", worst_power >= 0.95,
            each(synthetic["power"])),
        Row(f"verdicts: smallest slowdown found 95 % in 10 s/model (synthetic, {n_budget} "
            "runs)", "the same model, slowed", worst_small, "printed",
            math.isfinite(worst_small), each(synthetic["smallest"])),
        Row("verdicts: CI of the median (+10-run calibration) holds the true median, synthetic",
            "synthetic truth", true_cov, ">= 90% (nominal 95%)", true_cov >= 0.90,
            f"{each({k: c[0] for k, c in covered.items()})} (noise of run medians; the floor: "
            f"each trial's own {CALIBRATION_RUNS}-run calibration of the same noise)"),
        Row("verdicts: rerun interval (+10-run calibration) holds a rerun's median, synthetic",
            "a rerun", rerun_cov, ">= 90%", rerun_cov >= 0.90,
            f"{each({k: c[1] for k, c in covered.items()})}; the CI of the median alone "
            f"holds it {each({k: c[2] for k, c in covered.items()})} (a correct 95 % CI: "
            "~88 % at 5 runs)"),
        Row("verdicts: rerun interval holds an independent rerun's median (real runs, 5)",
            "a rerun on this machine", cover["random +calibration"], ">= 90%",
            cover["random +calibration"] >= 0.90,
            f"with `calibrate`'s floor (sd of run medians {pool['calibration']['median'][0]:.2%}"
            f" over {CALIBRATION_RUNS} runs): {cover['random +calibration']:.1%} of "
            f"n={cover['n_random']:.0f} draws of disjoint 5+5 of the steady real runs; "
            f"without the floor {cover['random']:.1%}"),
        Row("verdicts: rerun interval holds the next 5 runs' median (real, in time order)",
            "the rerun right after", cover["consecutive +calibration"], ">= 90%",
            cover["consecutive +calibration"] >= 0.90,
            f"n={cover['n_consecutive']:.0f} overlapping windows (busy spells last "
            f"seconds, so few are independent); without the floor "
            f"{cover['consecutive']:.1%}"),
    ]
    path = write_results(out, {key: fig[key] for key in (
        "load", "runner_wall_per_run", "runs_in_10s", "trials", "real_coverage", "floor",
        "median", "synthetic", "allowed_sd")} | {
        "calibration": pool["calibration"], "summary": summary,
        "host_check": pool["host"],
        "real_runs_ns": {k: {"A": pool[k]["unchecked"]["a"].tolist(),
                             "B": pool[k]["unchecked"]["b"].tolist(),
                             "sd": pool[k]["sd"], "paired_sd": pool[k]["paired_sd"]}
                         for k in STATISTICS}})
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
