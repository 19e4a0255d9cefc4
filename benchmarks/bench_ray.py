"""The Ray executor against the local one, on tiny models: what a cell costs on Ray beyond
its runs (goal: under 0.5 s per cell), and whether the same model measures the same latency
under both (goal: the run-level verdict says ``same``).

Both executors make every run a fresh child process pinned to its cores; Ray adds a task per
cell (on a reused worker: the model lives only in the run's child). The local Ray is started
here (2 CPUs).
"""

from __future__ import annotations

import time

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


def rows(quick: bool = False) -> list[Row]:
    count, runs = (6, 2) if quick else (12, 3)
    local = LocalExecutor(jobs=2)
    ray = RayExecutor(None, num_cpus=1, init_options={"num_cpus": 2})
    try:
        _grid(ray, 2, 1, 10)  # the first tasks pay for Ray's start: not a cell's cost
        local_s, _ = _grid(local, count, runs, 10)
        ray_s, _ = _grid(ray, count, runs, 10)
        # the same model, many runs each, interleaving unavailable across executors: A then B
        _, (a,) = _grid(local, 1, 8, 2000)
        _, (b,) = _grid(ray, 1, 8, 2000)
    finally:
        local.close()
        ray.close()
    overhead = (ray_s - local_s) / count
    for outcome in (a, b):
        if outcome.result.status != "ok":
            raise RuntimeError(f"{outcome.result.status}: {outcome.result.error_message}")
    lat_a, run_a = a.measurements[0].samples["call"]
    lat_b, run_b = b.measurements[0].samples["call"]
    verdict = stats.speed_verdict(lat_a, run_a, lat_b, run_b, margin=0.02)
    return [
        Row("ray: per-cell overhead vs local", "local executor", overhead, "< 0.5 s per cell",
            overhead < 0.5, f"{count} cells x {runs} runs: local {local_s:.2f} s, ray "
            f"{ray_s:.2f} s (2 slots each)"),
        Row("ray: same model, same latency", "local executor", verdict.ratio,
            "verdict 'same' (±2 %)", verdict.verdict == "same",
            f"verdict {verdict.verdict}, ratio local/ray {verdict.ratio:.3f} CI "
            f"{verdict.ci_low:.3f}-{verdict.ci_high:.3f}, 8 runs each"),
    ]
