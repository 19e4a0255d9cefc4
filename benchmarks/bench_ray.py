"""The Ray executor against the local one: what a cell costs on Ray beyond its runs, on a tiny
model (goal: under 0.5 s per cell), and whether a real model of about 110 us a call measures
the same latency under both (goal: the run-level verdict says ``same``).

Both executors make every run a fresh child process pinned to its cores; Ray adds a task per
cell (on a reused worker: the model lives only in the run's child). The measuring child under
Ray must run as a local one does: at the driver's niceness (a Ray worker's is 15), without
the ``OMP_NUM_THREADS`` Ray sets for a task, pinned before its thread pools start; the
detail shows each side's cores and niceness. The local Ray is started here (2 CPUs).

The same-latency row is a paired design, judged as one: each pair is one run under each
executor, back to back (A B, B A, ...), so a host-level mode shift of a few seconds (seen
here: run floors of one loop switching between two levels ~1.5x apart) hits both members of
a pair alike. The headline verdict is the project's paired one (``speed_verdict(paired=True)``:
the CI of the ratio from the pairs' log ratios) at the verdict's ``same`` margin (±2 %); the
unpaired rank test on run floors, which spends the between-pair drift as noise, is shown
beside it (earlier runs under load: rank test CI 0.963-1.040; on another day, paired t
0.995-1.017 and 0.990-1.016).

A pair is judged only when both its runs saw a steady host: the host check would replace a
disturbed local run with a later one (a local cell's runs are made one at a time) but only
set a Ray cell's aside (its runs come back together), so one side would be filtered more
than the other and a replacement would no longer sit beside its partner. Such pairs are
measured again, at most half as many more, and counted in the detail; when fewer than half
are steady, the host's slow state is its usual one, so every pair is kept and the detail
says so. ``MODELBENCH_BENCH_RAY_PAIRS`` sets the number of pairs (default 24, quick 16; were
20 and 12): a pair is two runs of 0.2 s of calls plus two process starts, and the paired CI
narrows with the square root of the number of pairs.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
from common import Row

from modelbench import stats
from modelbench.measure.executors import LocalExecutor, RayExecutor
from modelbench.measure.hostcheck import HostFloor
from modelbench.measure.runs import RunSpec
from modelbench.measure.schedule import Cell, measure_cells
from modelbench.measure.summary import CellInfo
from modelbench.measure.timing import TimingConfig

INPUTS = list(range(64))
EXPECTED = list(INPUTS)

# The same-latency model: the example plan's iris nearest-centroid classifier (numpy, about
# 110 us per call on all 150 rows here), a real model of real data (examples/iris.csv).
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
if str(EXAMPLES) not in sys.path:  # the children start with this import path (the job's)
    sys.path.insert(0, str(EXAMPLES))
IRIS = np.genfromtxt(EXAMPLES / "iris.csv", delimiter=",", skip_header=1, usecols=(0, 1, 2, 3))
IRIS_LABELS = np.genfromtxt(EXAMPLES / "iris.csv", delimiter=",", skip_header=1, usecols=4,
                            dtype=str).tolist()
MODEL = "iris_models:nearest_centroid"


def _cells(count: int, runs: int, min_calls: int, target: str = "builtins:list",
           batch_size: int = 8, min_time: float = 0) -> list[Cell]:
    timing = TimingConfig(runs=runs, min_calls=min_calls, min_time=min_time, warmup_calls=20,
                          warmup_time=0, batch_size=batch_size)
    return [Cell(info=CellInfo(labels={"model_name": f"m{i}"}, metrics=["accuracy"],
                               timing=timing), spec=RunSpec(timing=timing),
                 target=target, isolate=True) for i in range(count)]


def _grid(executor, count: int, runs: int, min_calls: int):
    start = time.perf_counter()
    outcomes = measure_cells(_cells(count, runs, min_calls), INPUTS, EXPECTED, jobs=2,
                             executor=executor)
    return time.perf_counter() - start, outcomes




HOST_FLOOR = HostFloor()  # every run of both executors judged against one fastest probe


def _one_run(executor) -> tuple[np.ndarray, dict, bool]:
    """One run of the iris model (1000+ calls of all 150 rows, 0.2 s at least, as a
    default run) under ``executor``: its steady call latencies (the host check, on by
    default, against the fastest probe of all runs of both executors), the measuring
    child's fingerprint, and whether the host check found the run disturbed (set aside or
    replaced)."""
    cells = _cells(1, 1, 1000, MODEL, len(IRIS), min_time=0.2)
    (outcome,) = measure_cells(cells, IRIS.tolist(), IRIS_LABELS, jobs=2, executor=executor,
                               host_floor=HOST_FLOOR)
    if outcome.result.status != "ok":
        raise RuntimeError(f"{outcome.result.status}: {outcome.result.error_message}")
    disturbed = bool((outcome.result.extra or {}).get("disturbed_runs"))
    return (outcome.measurements[0].samples["call"][0], outcome.result.environment or {},
            disturbed)


def _pair(local, ray, index: int) -> tuple[tuple[np.ndarray, dict, bool],
                                           tuple[np.ndarray, dict, bool]]:
    """Run ``index`` of the iris model under both executors, back to back (both saw about
    the same machine state, so drift hits them alike), local first in even pairs and Ray
    first in odd ones (A B B A ...): the second run of a pair measured about 1 % apart from
    the first here at load 14, whichever executor it was, and the alternation cancels that."""
    if index % 2:
        second, first = _one_run(ray), _one_run(local)
        return first, second
    return _one_run(local), _one_run(ray)


def _steady_pairs(local, ray, wanted: int) -> tuple[list, int, bool]:
    """``wanted`` pairs whose two runs both saw a steady host, measuring at most half as
    many more in place of those that did not; how many pairs were measured again; and
    whether every pair measured is kept instead, because the steady ones were fewer than
    half of ``wanted`` (the host's slow state was its usual one, not a spell: the project's
    rule for runs too). The order alternates over every pair measured."""
    steady, every, index = [], [], 0
    while len(steady) < wanted and index < wanted + wanted // 2:
        (a, env_a, bad_a), (b, env_b, bad_b) = _pair(local, ray, index)
        index += 1
        every.append(((a, env_a), (b, env_b)))
        if not (bad_a or bad_b):
            steady.append(every[-1])
    if len(steady) < max(2, wanted // 2):
        return every, len(every) - len(steady), True
    return steady, len(every) - len(steady), False


def _verdict(pairs: list[tuple[np.ndarray, np.ndarray]], **options) -> stats.Verdict:
    """Local (A) against Ray (B): the project's verdict on run floors (the rank test, which
    one run landing on a busy core moves by one difference), or ``options`` for another."""
    index = [np.full(len(a), i) for i, (a, _) in enumerate(pairs)]
    index_b = [np.full(len(b), i) for i, (_, b) in enumerate(pairs)]
    return stats.speed_verdict(np.concatenate([a for a, _ in pairs]), np.concatenate(index),
                               np.concatenate([b for _, b in pairs]), np.concatenate(index_b),
                               margin=0.02, **options)


def _said(verdict: stats.Verdict) -> str:
    return f"{verdict.verdict} {verdict.ratio:.3f} CI {verdict.ci_low:.3f}-{verdict.ci_high:.3f}"


def _conditions(environment: dict) -> str:
    """What the measuring child ran with: its cores and niceness."""
    return f"cores {environment.get('cpu_affinity')} nice {environment.get('niceness', '?')}"


def rows(quick: bool = False) -> list[Row]:
    count, runs = (6, 2) if quick else (12, 3)
    pairs = int(os.environ.get("MODELBENCH_BENCH_RAY_PAIRS") or (16 if quick else 24))
    load_before = os.getloadavg()[0]
    local = LocalExecutor(jobs=2)
    ray = RayExecutor(None, num_cpus=1, init_options={"num_cpus": 2})
    try:
        _grid(ray, 2, 1, 10)  # the first tasks pay for Ray's start: not a cell's cost
        local_s, _ = _grid(local, count, runs, 10)
        ray_s, _ = _grid(ray, count, runs, 10)
        runs_ab, again, all_kept = _steady_pairs(local, ray, pairs)
    finally:
        local.close()
        ray.close()
    load = f"load {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    overhead = (ray_s - local_s) / count
    measured = [(a, b) for (a, _), (b, _) in runs_ab]
    # the design is paired (see the module): the paired verdict is the one that fits it
    verdict = _verdict(measured, paired=True)
    unpaired, by_median = _verdict(measured), _verdict(measured, statistic="median")
    medians = np.array([(np.median(a), np.median(b)) for (a, _), (b, _) in runs_ab]) / 1e3
    (_, env_a), (_, env_b) = runs_ab[0]
    return [
        Row("ray: per-cell overhead vs local", "local executor", overhead, "< 0.5 s per cell",
            overhead < 0.5, f"{count} cells x {runs} runs: local {local_s:.2f} s, ray "
            f"{ray_s:.2f} s (2 slots each); {load}"),
        Row("ray: same model, same latency", "local executor", verdict.ratio,
            "verdict 'same' (±2 %)", verdict.verdict == "same",
            f"{MODEL}, 150 rows a call: paired verdict {verdict.verdict}, ratio local/ray "
            f"{verdict.ratio:.3f} CI {verdict.ci_low:.3f}-{verdict.ci_high:.3f} (run "
            f"{verdict.statistic}s, {verdict.method}; unpaired rank test: {_said(unpaired)}; "
            f"by medians: {_said(by_median)}), {len(runs_ab)} "
            f"{'pairs (all kept: most were disturbed)' if all_kept else 'steady pairs'} "
            f"interleaved A B B A ({again} with a disturbed run); run medians "
            f"{medians[:, 0].min():.0f}-"
            f"{medians[:, 0].max():.0f} us local, {medians[:, 1].min():.0f}-"
            f"{medians[:, 1].max():.0f} us ray; "
            f"child local {_conditions(env_a)}, ray {_conditions(env_b)}; {load}"),
    ]
