"""Running a model here: timing, memory, environment, isolation, and the ModelBenchmark runner.

Example:
    >>> from modelbench.measure import ModelBenchmark, TimingConfig
    >>> bench = ModelBenchmark(timing=TimingConfig(min_time=0.01))
    >>> bench.benchmark_model(model_name="neg", metric="accuracy",
    ...                       model_fn=lambda xs: [-x for x in xs],
    ...                       inputs=[1, 2], expected_outputs=[-1, -2])["score"]
    1.0
"""

from __future__ import annotations

from .environment import env_hash, fingerprint
from .isolation import IsolatedTask, assign_cores, resolve_target, run_isolated, run_parallel
from .memory import MemoryProbe
from .plan import RunPlan, load_dataset, load_plan, run_plan
from .runner import ModelBenchmark, failed_result, measure, result_dict
from .timing import TimingConfig, split_batches, time_calls

__all__ = ["ModelBenchmark", "TimingConfig", "measure", "failed_result", "result_dict",
           "fingerprint", "env_hash", "MemoryProbe", "IsolatedTask", "resolve_target",
           "run_isolated", "run_parallel", "assign_cores", "split_batches", "time_calls",
           "RunPlan", "load_plan", "load_dataset", "run_plan"]
