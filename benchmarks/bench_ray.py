"""The Ray executor against the local one, on tiny models: what a cell costs on Ray beyond
its runs (goal: under 0.5 s per cell), and whether the same model measures the same latency
under both (goal: the run-level verdict says ``same``).

Both executors make every run a fresh child process pinned to its cores; Ray adds a task per
cell (on a reused worker: the model lives only in the run's child). The local Ray is started
here (2 CPUs).
"""

from __future__ import annotations

import time

import numpy as np
from common import Row

from modelbench import stats
from modelbench.measure.executors import LocalExecutor, RayExecutor
from modelbench.measure.runs import RunSpec
from modelbench.measure.schedule import Cell, measure_cells
from modelbench.measure.summary import CellInfo
from modelbench.measure.timing import TimingConfig

INPUTS = list(range(64))
EXPECTED = list(INPUTS)


def _cells(count: int, runs: int, min_calls: int) -> list[Cell]:
    timing = TimingConfig(runs=runs, min_calls=min_calls, min_time=0, warmup_calls=20,
                          warmup_time=0, batch_size=8)
    return [Cell(info=CellInfo(labels={"model_name": f"neg{i}"}, metrics=["accuracy"],
                               timing=timing), spec=RunSpec(timing=timing),
                 target="builtins:list", isolate=True) for i in range(count)]


def _grid(executor, count: int, runs: int, min_calls: int):
    start = time.perf_counter()
    outcomes = measure_cells(_cells(count, runs, min_calls), INPUTS, EXPECTED, jobs=2,
                             executor=executor)
    return time.perf_counter() - start, outcomes


RUNS = 8


def _one_run(executor) -> np.ndarray:
    """One run of the same tiny model (2000 calls) under ``executor``: its call latencies."""
    _, (outcome,) = _grid(executor, 1, 1, 2000)
    if outcome.result.status != "ok":
        raise RuntimeError(f"{outcome.result.status}: {outcome.result.error_message}")
    return outcome.measurements[0].samples["call"][0]


def _paired_verdict(pairs: list[tuple[np.ndarray, np.ndarray]]) -> stats.Verdict:
    """Local (A) against Ray (B), run i of each paired."""
    index = [np.full(len(a), i) for i, (a, _) in enumerate(pairs)]
    index_b = [np.full(len(b), i) for i, (_, b) in enumerate(pairs)]
    return stats.speed_verdict(np.concatenate([a for a, _ in pairs]), np.concatenate(index),
                               np.concatenate([b for _, b in pairs]), np.concatenate(index_b),
                               margin=0.02, paired=True)


def rows(quick: bool = False) -> list[Row]:
    count, runs = (6, 2) if quick else (12, 3)
    local = LocalExecutor(jobs=2)
    ray = RayExecutor(None, num_cpus=1, init_options={"num_cpus": 2})
    try:
        _grid(ray, 2, 1, 10)  # the first tasks pay for Ray's start: not a cell's cost
        local_s, _ = _grid(local, count, runs, 10)
        ray_s, _ = _grid(ray, count, runs, 10)
        # the same model, one run at a time, interleaved A B A B: run i of both saw the
        # same machine state, so the verdict is paired (stats.speed_verdict's own rule)
        pairs = [(_one_run(local), _one_run(ray)) for _ in range(RUNS)]
    finally:
        local.close()
        ray.close()
    overhead = (ray_s - local_s) / count
    verdict = _paired_verdict(pairs)
    return [
        Row("ray: per-cell overhead vs local", "local executor", overhead, "< 0.5 s per cell",
            overhead < 0.5, f"{count} cells x {runs} runs: local {local_s:.2f} s, ray "
            f"{ray_s:.2f} s (2 slots each)"),
        Row("ray: same model, same latency", "local executor", verdict.ratio,
            "verdict 'same' (±2 %)", verdict.verdict == "same",
            f"verdict {verdict.verdict}, ratio local/ray {verdict.ratio:.3f} CI "
            f"{verdict.ci_low:.3f}-{verdict.ci_high:.3f}, {RUNS} runs each, interleaved A B A B "
            "(paired)"),
    ]
