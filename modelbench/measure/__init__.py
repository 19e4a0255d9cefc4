"""Running a model here: runs, timing, memory, environment, isolation, and the runner.

Names resolve on first use, so that a measuring child process (which imports only
:mod:`.isolation` and what a run needs) starts quickly.

Example:
    >>> from modelbench.measure import ModelBenchmark, TimingConfig
    >>> bench = ModelBenchmark(timing=TimingConfig(min_time=0.01, runs=2), isolate=False)
    >>> bench.benchmark_model(model_name="neg", metric="accuracy",
    ...                       model_fn=lambda xs: [-x for x in xs],
    ...                       inputs=[1, 2], expected_outputs=[-1, -2])["score"]
    1.0
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "ModelBenchmark": "runner", "failed_result": "runner", "result_dict": "runner",
    "speed_pairs": "runner", "fingerprint": "environment", "env_hash": "environment",
    "git_state": "environment", "MemoryProbe": "memory", "Job": "isolation",
    "resolve_target": "isolation", "run_child": "isolation", "assign_cores": "isolation",
    "TimingConfig": "timing", "split_batches": "timing", "time_calls": "timing",
    "RunSpec": "runs", "RunRecord": "runs", "measure_run": "runs", "Cell": "schedule",
    "measure_cells": "schedule", "MeasurementInterrupted": "schedule", "CellInfo": "summary",
    "summarize_runs": "summary", "RunPlan": "plan", "load_plan": "plan",
    "load_dataset": "plan", "run_plan": "plan",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'modelbench.measure' has no attribute {name!r}")
