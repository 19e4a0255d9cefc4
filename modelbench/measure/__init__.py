"""Running a model here: runs, timing, memory, environment, isolation, and the runner.

Example:
    >>> from modelbench.measure import ModelBenchmark, TimingConfig
    >>> bench = ModelBenchmark(timing=TimingConfig(min_time=0.01, runs=2), isolate=False)
    >>> bench.benchmark_model(model_name="neg", metric="accuracy",
    ...                       model_fn=lambda xs: [-x for x in xs],
    ...                       inputs=[1, 2], expected_outputs=[-1, -2])["score"]
    1.0
"""

from __future__ import annotations

from .environment import env_hash, fingerprint, git_state
from .isolation import Job, assign_cores, resolve_target, run_child
from .memory import MemoryProbe
from .plan import RunPlan, load_dataset, load_plan, run_plan
from .runner import ModelBenchmark, failed_result, result_dict
from .runs import RunRecord, RunSpec, measure_run
from .schedule import Cell, MeasurementInterrupted, measure_cells
from .summary import CellInfo, summarize_runs
from .timing import TimingConfig, split_batches, time_calls

__all__ = ["ModelBenchmark", "TimingConfig", "failed_result", "result_dict",
           "fingerprint", "env_hash", "git_state", "MemoryProbe", "Job", "resolve_target",
           "run_child", "assign_cores", "split_batches", "time_calls", "RunSpec", "RunRecord",
           "measure_run", "Cell", "CellInfo", "measure_cells", "summarize_runs",
           "MeasurementInterrupted", "RunPlan", "load_plan", "load_dataset", "run_plan"]
