"""ModelBenchmark: the seed's API — ``benchmark_model`` and ``compare_models`` — measured properly.

One measurement of a model is: a scored pass over every input (its wall time is the seed's
``runtime_ms``; peak memory is sampled around it), then warm-up, then calibrated per-call
timing (:mod:`.timing`), summarised by :mod:`modelbench.stats`. The raw latencies are kept
with the result (the store's samples table) so any statistic can be recomputed later.

Example:
    >>> from modelbench import get_database_manager, ModelBenchmark
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> bench = ModelBenchmark(db_manager=db, min_time=0.01)
    >>> def my_model(inputs):
    ...     return [x * 2 for x in inputs]
    >>> result = bench.benchmark_model(model_name="my-model", model_version="1.0.0",
    ...     task_type="classification", dataset="test-dataset", metric="accuracy",
    ...     model_fn=my_model, inputs=[1, 2, 3], expected_outputs=[2, 4, 6])
    >>> result["score"], result["status"], result["stored"]
    (1.0, 'ok', True)
"""

from __future__ import annotations

import itertools
import math
import traceback
import warnings as pywarnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import metrics as metric_lib
from .. import stats
from ..errors import BenchmarkError, ConfigError, StoreError, StoreUnavailableError, ValidationError
from ..records import BenchmarkResult, new_id
from .environment import fingerprint
from .isolation import IsolatedTask, Outcome, check_target, picklable, run_isolated, run_parallel
from .memory import MemoryProbe
from .timing import TimingConfig, cuda_synchronizer, scored_pass, split_batches, time_calls

__all__ = ["ModelBenchmark", "measure", "failed_result", "Measurement", "result_dict"]

Measurement = Outcome
_TIMING_KEYS = ("min_calls", "min_time", "warmup_calls", "warmup_time", "max_calls", "max_time",
                "batch_size", "disable_gc", "cuda_sync")


def _base_result(*, model_name: str, model_version: str = "", task_type: str = "",
                 dataset: str = "", metric: Any = "accuracy", dataset_split: str = "",
                 run_id: str = "", **_: Any) -> BenchmarkResult:
    name = metric if isinstance(metric, str) else getattr(metric, "__name__", "custom")
    return BenchmarkResult(model_name=model_name, model_version=model_version,
                           task_type=task_type, dataset=dataset, metric=name,
                           dataset_split=dataset_split, run_id=run_id)


def failed_result(*, status: str, message: str, **options: Any) -> BenchmarkResult:
    """A result for a model that could not be measured (``status`` ``error``/``timeout``)."""
    result = _base_result(**options)
    result.status = status
    result.error_message = message
    result.environment = fingerprint()
    result.env_hash = result.environment["env_hash"]
    timing = options.get("timing")
    if isinstance(timing, TimingConfig):
        result.batch_size = timing.batch_size
    return result


def _describe(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    model_frames = [f for f in frames if "/modelbench/" not in f.filename.replace("\\", "/")]
    where = ""
    if model_frames:  # point at the model's code, never at the harness
        frame = model_frames[-1]
        where = f" (at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})"
    if isinstance(exc, (BenchmarkError, ValidationError)):
        return f"{exc}{where}"
    return f"{type(exc).__name__}: {exc}{where}"


def _check_dataset(inputs: Any, expected_outputs: Any) -> int:
    try:
        n_in, n_out = len(inputs), len(expected_outputs)
    except TypeError:
        raise ValidationError("inputs and expected_outputs must be sequences",
                              hint="pass lists or arrays with one entry per item") from None
    if n_in == 0:
        raise ValidationError("inputs are empty", hint="give at least one input")
    if n_in != n_out:
        raise ValidationError(f"lengths differ: {n_in} inputs but {n_out} expected outputs",
                              hint="give exactly one expected output per input")
    return n_in


def measure(model_fn: Callable[[Any], Any], inputs: Any, expected_outputs: Any, *,
            model_name: str, metric: Any = "accuracy", timing: TimingConfig | None = None,
            trace_python: bool = False, extra_metrics: Sequence[Any] = (),
            **labels: Any) -> Outcome:
    """Measure one model here, in this process; the model's own faults become error results.

    ``labels`` are ``model_version, task_type, dataset, dataset_split, run_id``.
    Bad input from the caller (mismatched lengths, unknown metric) raises ValidationError.
    """
    timing = timing or TimingConfig()
    n_items = _check_dataset(inputs, expected_outputs)
    metric_lib.get_metric(metric)
    for extra_metric in extra_metrics:
        metric_lib.get_metric(extra_metric)
    result = _base_result(model_name=model_name, metric=metric, **labels)
    result.environment = fingerprint()
    result.env_hash = result.environment["env_hash"]
    result.batch_size, result.n_items = timing.batch_size, n_items
    result.extra["timing"] = timing.to_dict()
    batches = split_batches(inputs, timing.batch_size)
    samples = np.empty(0, dtype=np.int64)
    try:
        with MemoryProbe(trace_python=trace_python) as probe:
            outputs, wall_ns = scored_pass(model_fn, batches, cuda_synchronizer(timing))
        result.runtime_ms = wall_ns / 1e6
        memory = probe.report()
        result.memory_usage_mb = memory["memory_usage_mb"]
        result.python_peak_mb = memory["python_peak_mb"]
        result.gpu_peak_mb = memory["gpu_peak_mb"]
        result.extra["rss_delta_mb"] = memory["rss_delta_mb"]
        result.score = metric_lib.compute(metric, expected_outputs, outputs)
        if extra_metrics:
            result.extra["scores"] = {
                (m if isinstance(m, str) else getattr(m, "__name__", "custom")):
                    metric_lib.compute(m, expected_outputs, outputs) for m in extra_metrics}
        samples = time_calls(model_fn, batches, timing)
        result.latency = stats.summarize(samples, items_per_call=n_items / len(batches))
        result.warnings.extend(stats.spread_warnings(samples))
        if len(samples) < timing.min_calls:
            result.warnings.append(f"stopped after {len(samples)} of {timing.min_calls} calls "
                                   f"(max_time {timing.max_time:g} s reached)")
    except Exception as exc:  # the model's fault: a recorded result, not a crash
        result.status, result.score, result.latency = "error", None, None
        result.error_message = _describe(exc)
        samples = np.empty(0, dtype=np.int64)
    return Outcome(result, samples)


def result_dict(result: BenchmarkResult, **more: Any) -> dict[str, Any]:
    """The seed's result dict: every field of the result, latency figures also at top level."""
    data = result.to_dict()
    latency = data.get("latency") or {}
    for key, value in latency.items():
        data.setdefault(key, value)
    data.update(more)
    return data


def _is_finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def _speed_key(item: dict[str, Any]) -> float:
    value = item.get("median_ms")
    return value if _is_finite(value) else (item.get("runtime_ms") or math.inf)


class ModelBenchmark:
    """Benchmark model callables and keep the results in a store (optional).

    Timing options (``min_calls``, ``min_time``, ``warmup_calls``, ``warmup_time``,
    ``max_calls``, ``max_time``, ``batch_size``, ``disable_gc``) set the defaults for every
    run; each call may override them. ``trace_python`` turns on tracemalloc for the scored pass.
    """

    def __init__(self, db_manager: Any = None, *, timing: TimingConfig | None = None,
                 trace_python: bool = False, timeout: float | None = None,
                 store_samples: bool = True, run_id: str | None = None,
                 **timing_options: Any) -> None:
        self.db_manager = db_manager
        self.timing = (timing or TimingConfig()).replace(**timing_options)
        self.trace_python = trace_python
        self.timeout = timeout
        self.store_samples = store_samples
        self.run_id = run_id or new_id()[:12]
        self._store_ready = False

    # -- storing -----------------------------------------------------------------------
    def _store(self, outcome: Outcome) -> dict[str, Any]:
        """Write a result (and its samples); a store failure keeps the result, with a warning."""
        result = outcome.result
        if self.db_manager is None:
            return {"stored": False}
        if hasattr(self.db_manager, "keep_result"):  # a store that spools what it cannot take
            samples = [outcome.samples] if self.store_samples and len(outcome.samples) else []
            info = self.db_manager.keep_result(result, samples)
            if info["store_error"]:
                kept = (f"; kept in {info['spool_path']} (written on the next setup)"
                        if info["spool_path"] else "; it could not be kept on disk either")
                message = f"result not stored: {info['store_error']}{kept}"
                result.warnings.append(message)
                pywarnings.warn(message, RuntimeWarning, stacklevel=3)
            return info
        try:
            if not self._store_ready:  # setup() is idempotent; the seed never called it
                self.db_manager.setup()
                self._store_ready = True
            self.db_manager.insert_result(result)
        except StoreError as exc:
            where = f"; kept in {exc.spool_path}" if isinstance(exc, StoreUnavailableError) \
                and exc.spool_path else ""
            message = f"result not stored: {exc}{where}"
            result.warnings.append(message)
            pywarnings.warn(message, RuntimeWarning, stacklevel=3)
            return {"stored": False, "store_error": str(exc)}
        info: dict[str, Any] = {"stored": True, "samples_stored": 0}
        if self.store_samples and len(outcome.samples):
            try:
                info["samples_stored"] = self.db_manager.insert_samples(
                    result.id, outcome.samples, result.timestamp)
            except StoreError as exc:
                message = f"samples not stored: {exc}"
                result.warnings.append(message)
                pywarnings.warn(message, RuntimeWarning, stacklevel=3)
                info["store_error"] = str(exc)
        return info

    def _options(self, *, model_name: str, model_version: str, task_type: str, dataset: str,
                 metric: Any, dataset_split: str = "", extra_metrics: Sequence[Any] = (),
                 trace_python: bool | None = None, **timing_options: Any) -> dict[str, Any]:
        unknown = set(timing_options) - set(_TIMING_KEYS)
        if unknown:
            raise ConfigError(f"unknown option(s): {', '.join(sorted(unknown))}",
                              hint=f"timing options are: {', '.join(_TIMING_KEYS)}")
        timing = self.timing.replace(**timing_options) if timing_options else self.timing
        return {"model_name": model_name, "model_version": model_version or "",
                "task_type": task_type or "", "dataset": dataset or "", "metric": metric,
                "dataset_split": dataset_split or "", "run_id": self.run_id, "timing": timing,
                "trace_python": self.trace_python if trace_python is None else trace_python,
                "extra_metrics": tuple(extra_metrics)}

    # -- the seed's API ------------------------------------------------------------------
    def benchmark_model(self, model_name: str, model_version: str = "", task_type: str = "",
                        dataset: str = "", metric: Any = "accuracy",
                        model_fn: Callable[[Any], Any] | None = None, inputs: Any = None,
                        expected_outputs: Any = None, *, target: str | None = None,
                        isolate: bool = False, timeout: float | None = None,
                        **options: Any) -> dict[str, Any]:
        """Measure one model and store the result; returns the result as a dict.

        Give ``model_fn`` (a callable taking a batch of inputs) or ``target``
        (``"package.module:callable"``, always run in a child process). ``isolate=True``
        runs ``model_fn`` in a child too (it must be a picklable top-level function);
        ``timeout`` (seconds) applies to child processes.

        The dict has every :class:`~modelbench.records.BenchmarkResult` field (``id``,
        ``score``, ``runtime_ms``, ``memory_usage_mb``, ``status``, ``error_message``,
        ``environment``, ``latency``, ``warnings`` ...), the latency figures at top level
        (``median_ms``, ``p95_ms``, ``throughput`` ...) and ``stored``.
        """
        opts = self._options(model_name=model_name, model_version=model_version,
                             task_type=task_type, dataset=dataset, metric=metric, **options)
        _check_dataset(inputs, expected_outputs)
        if (model_fn is None) == (target is None):
            raise ConfigError("give exactly one of model_fn and target",
                              hint="model_fn=callable, or target='package.module:callable'")
        if target is not None or isolate:
            task = self._task(inputs, expected_outputs, opts, target=target, function=model_fn)
            outcome = run_isolated(task, timeout=timeout or self.timeout)
            outcome.result.extra.update(isolated=True, parallel=False, jobs=1, cores=None)
        else:
            outcome = measure(model_fn, inputs, expected_outputs, **opts)
        return result_dict(outcome.result, **self._store(outcome))

    def _task(self, inputs: Any, expected: Any, opts: dict[str, Any], *, target: str | None,
              function: Callable[[Any], Any] | None) -> IsolatedTask:
        metric_lib.get_metric(opts["metric"])
        if target is not None:
            check_target(target)
        elif not picklable(function):
            raise ConfigError(f"model {opts['model_name']!r} cannot be sent to a child process",
                              hint="define it as a top-level function, or give a target "
                                   "'package.module:callable'")
        return IsolatedTask(inputs=inputs, expected_outputs=expected, options=opts,
                            target=target, function=function)

    def compare_models(self, models: Sequence[dict[str, Any]], task_type: str = "",
                       dataset: str = "", metric: Any = "accuracy", inputs: Any = None,
                       expected_outputs: Any = None, *, jobs: int = 1,
                       timeout: float | None = None, alpha: float = 0.05,
                       progress: Callable[[dict[str, Any]], None] | None = None,
                       **options: Any) -> dict[str, Any]:
        """Measure several models on the same data; rank them and test their differences.

        Each model is ``{"name", "version", "function"}`` or ``{"name", "version", "target"}``
        (plus an optional ``"batch_size"``). With ``jobs=1`` functions run here, one after
        another, and targets run in child processes; with ``jobs > 1`` every model runs in
        its own child process, ``jobs`` at a time, pinned to separate cores where possible.

        Returns ``results`` (every model, in the given order), ``by_score`` and
        ``by_runtime`` (successful models only, best first), ``comparison`` (one entry per
        pair: Mann–Whitney U on the raw latencies, Holm-adjusted p-value, which is faster)
        and ``failed`` (names of models that errored or timed out).
        """
        _check_dataset(inputs, expected_outputs)
        if not models:
            raise ValidationError("no models to compare", hint="give at least one model")
        if not isinstance(jobs, int) or jobs < 1:
            raise ConfigError(f"jobs must be a whole number >= 1, got {jobs!r}")
        prepared = [self._prepare(m, task_type, dataset, metric, options) for m in models]
        outcomes = self._run_all(prepared, inputs, expected_outputs, jobs, timeout, progress)
        rows = [result_dict(o.result, **self._store(o)) for o in outcomes]
        return self._rank(rows, outcomes, metric, alpha)

    def _prepare(self, model: dict[str, Any], task_type: str, dataset: str, metric: Any,
                 options: dict[str, Any]) -> tuple[dict[str, Any], Any, str | None]:
        if not isinstance(model, dict) or not model.get("name"):
            raise ConfigError(f"model entry {model!r} has no name",
                              hint='give {"name": ..., "version": ..., "function": ...}')
        unknown = set(model) - {"name", "version", "function", "target", "batch_size"}
        if unknown:
            raise ConfigError(f"model {model['name']!r}: unknown key(s) "
                              f"{', '.join(sorted(unknown))}",
                              hint="keys are name, version, function or target, batch_size")
        function, target = model.get("function"), model.get("target")
        if (function is None) == (target is None):
            raise ConfigError(f"model {model['name']!r} needs exactly one of function/target")
        if target is not None:
            check_target(target)
        per_model = dict(options)
        if "batch_size" in model:
            per_model["batch_size"] = model["batch_size"]
        opts = self._options(model_name=str(model["name"]),
                             model_version=str(model.get("version") or ""),
                             task_type=task_type, dataset=dataset, metric=metric, **per_model)
        return opts, function, target

    def _run_all(self, prepared: list[tuple[dict[str, Any], Any, str | None]], inputs: Any,
                 expected: Any, jobs: int, timeout: float | None,
                 progress: Callable[[dict[str, Any]], None] | None) -> list[Outcome]:
        limit = timeout or self.timeout
        total = len(prepared)
        counter = itertools.count(1)

        def report(outcome: Outcome) -> None:
            if progress is not None:
                progress({"done": next(counter), "total": total,
                          "model_name": outcome.result.model_name,
                          "status": outcome.result.status})

        outcomes: list[Outcome | None] = [None] * total
        isolated: list[int] = []
        for index, (_opts, function, target) in enumerate(prepared):
            if target is not None or (jobs > 1 and picklable(function)):
                isolated.append(index)
        local = [i for i in range(total) if i not in isolated]
        tasks = [IsolatedTask(inputs=inputs, expected_outputs=expected, options=prepared[i][0],
                              target=prepared[i][2], function=prepared[i][1]) for i in isolated]
        for index, outcome in zip(isolated, run_parallel(tasks, jobs=jobs, timeout=limit,
                                                         on_done=report), strict=True):
            outcomes[index] = outcome
        for index in local:
            opts, function, _ = prepared[index]
            outcome = measure(function, inputs, expected, **opts)
            if jobs > 1:
                outcome.result.warnings.append("ran in this process after the parallel jobs: "
                                               "its function cannot be sent to a child process")
            report(outcome)
            outcomes[index] = outcome
        return [o for o in outcomes if o is not None]

    @staticmethod
    def _rank(rows: list[dict[str, Any]], outcomes: list[Outcome], metric: Any,
              alpha: float) -> dict[str, Any]:
        ok = [i for i, r in enumerate(rows) if r["status"] == "ok" and _is_finite(r["score"])]
        sign = -1.0 if metric_lib.higher_is_better(metric) else 1.0
        by_score = sorted(ok, key=lambda i: (sign * rows[i]["score"], _speed_key(rows[i])))
        by_runtime = sorted(ok, key=lambda i: (_speed_key(rows[i]), sign * rows[i]["score"]))
        keyed = {rows[i]["id"]: outcomes[i].samples for i in by_runtime}
        names = {rows[i]["id"]: rows[i]["model_name"] for i in by_runtime}
        pairs = stats.pairwise(keyed, alpha=alpha)
        for pair in pairs:  # ids keep two versions of one model apart
            pair["a_id"], pair["b_id"] = pair["a"], pair["b"]
            pair["a"], pair["b"] = names[pair["a_id"]], names[pair["b_id"]]
            if pair["faster"] is not None:
                pair["faster"] = names[pair["faster"]]
        return {"results": rows,
                "by_score": [rows[i] for i in by_score],
                "by_runtime": [rows[i] for i in by_runtime],
                "comparison": pairs,
                "failed": [r["model_name"] for r in rows if r["status"] != "ok"]}
