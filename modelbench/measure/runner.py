"""ModelBenchmark: the seed's API — ``benchmark_model`` and ``compare_models`` — measured so
that its verdicts can be trusted.

A model is measured in several independent **runs** (``runs=5`` by default), each in a fresh
child process by default (``isolate=False`` measures in this process: quicker, but its runs
share one interpreter and are less independent). Compared models are interleaved run by run
(A B C, B C A, C A B …: no model always runs first). Every per-call sample is kept with its
run index; the result's median and CI come from the variation *between* runs, and each pair
of models gets a verdict —
``faster``, ``slower``, ``same`` (the ratio's CI lies within ±``margin``, 2 % by default) or
``inconclusive`` (the data cannot tell) — from ``stats.speed_verdict``.

Each result is handed to the ``sink`` as soon as it is measured (the public class in
:mod:`modelbench.benchmark` binds a store); this module never imports the store.

Example:
    >>> bench = ModelBenchmark(min_time=0.01, runs=2, isolate=False)
    >>> def my_model(inputs):
    ...     return [x * 2 for x in inputs]
    >>> result = bench.benchmark_model(model_name="my-model", model_version="1.0.0",
    ...     task_type="classification", dataset="test-dataset", metric="accuracy",
    ...     model_fn=my_model, inputs=[1, 2, 3], expected_outputs=[2, 4, 6])
    >>> result["score"], result["status"], result["n_runs"], result["stored"]
    (1.0, 'ok', 2, False)
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from itertools import combinations, product
from typing import Any

from .. import metrics as metric_lib
from .. import stats
from ..errors import ConfigError, ValidationError
from ..ranking import Placed, rank
from ..records import BenchmarkResult, new_id
from .environment import env_testbed, fingerprint, git_state
from .guards import THREAD_VARIABLES, recorded_environment
from .isolation import check_target, picklable
from .runs import RunSpec, metric_name
from .schedule import Cell, CellOutcome, MeasurementInterrupted, Sink, measure_cells
from .summary import CellInfo, batch_count, cell_key, speed_verdict
from .targets import ModelTarget
from .timing import TIMING_KEYS, TimingConfig

__all__ = ["ModelBenchmark", "failed_result", "result_dict", "MeasurementInterrupted",
           "speed_pairs", "cross_testbed_notes", "rank_order", "rank_rows", "DEFAULT_MARGIN"]

#: A difference within ±2 % of the median is called ``same`` (when the CI says so).
DEFAULT_MARGIN = 0.02
_MODEL_KEYS = {"name", "version", "function", "target", "batch_size", "threads", "env"}
#: The target axes a sweep may hold besides batch sizes and threads (see :mod:`.targets`).
_TARGET_AXES = ("providers", "device", "dtype")
_UNPICKLABLE = ("ran in this process: its function cannot be sent to a child process (a "
                "lambda, a closure or a function of the __main__ script), so its runs share "
                "this interpreter; define it in a module or give target='module:function'")


def failed_result(*, status: str, message: str, model_name: str, metric: Any = "accuracy",
                  **labels: Any) -> BenchmarkResult:
    """A result for a model that could not be measured (``status`` ``error``/``timeout``)."""
    result = BenchmarkResult(model_name=model_name, metric=metric_name(metric),
                             **{k: v for k, v in labels.items() if k in (
                                 "model_version", "task_type", "dataset", "dataset_split",
                                 "run_id")})
    result.status, result.error_message = status, message
    result.environment = fingerprint()
    result.env_hash = result.environment["env_hash"]
    return result


def result_dict(result: BenchmarkResult, **more: Any) -> dict[str, Any]:
    """The seed's result dict: every field of the result, latency figures also at top level."""
    data = result.to_dict()
    latency = data.get("latency") or {}
    for key, value in latency.items():
        data.setdefault(key, value)
    data.update(more)
    return data


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


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def _speed_key(row: dict[str, Any]) -> float:
    """Per-item median: models of different batch sizes rank by what an item costs."""
    value = row.get("per_item_median_ms")
    return value if _finite(value) else (row.get("runtime_ms") or math.inf)


def rank_order(rows: Sequence[dict[str, Any]], metric: Any) -> tuple[list[int], list[int]]:
    """The ranking of a run's summary: the indices of the ``ok`` rows with a finite score,
    best score first (ties: cheaper per item first), and cheapest per item first (ties:
    better score first). Every summary of cells ranks by it, fresh or resumed; both orders
    are :func:`modelbench.ranking.rank`, the ranking of the leaderboards.

    >>> rows = [{"status": "ok", "score": 0.9, "per_item_median_ms": 2.0},
    ...         {"status": "error", "score": None},
    ...         {"status": "ok", "score": 0.9, "per_item_median_ms": 1.0},
    ...         {"status": "ok", "score": 0.5, "per_item_median_ms": 0.5}]
    >>> rank_order(rows, "accuracy")
    ([2, 0, 3], [3, 2, 0])
    """
    by_score, by_runtime = _ranked(rows, metric)
    return [i for i, _ in by_score], by_runtime


def _ranked(rows: Sequence[dict[str, Any]], metric: Any
            ) -> tuple[list[tuple[int, Placed]], list[int]]:
    """``(row index, place)`` best score first, and the row indices cheapest first."""
    ok = [i for i, r in enumerate(rows) if r["status"] == "ok" and _finite(r["score"])]
    higher = metric_lib.higher_is_better(metric)
    sign = -1.0 if higher else 1.0
    speed = [_speed_key(rows[i]) for i in ok]
    by_score = rank([rows[i]["score"] for i in ok], higher_is_better=higher, tie_break=speed)
    by_runtime = rank(speed, higher_is_better=False,
                      tie_break=[sign * rows[i]["score"] for i in ok])
    return [(ok[p.index], p) for p in by_score], [ok[p.index] for p in by_runtime]


def rank_rows(rows: Sequence[dict[str, Any]], metric: Any
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(by_score, by_runtime)``: the rows in :func:`rank_order`, each ranked row given its
    ``rank`` and ``tied`` (equal scores share a rank, as on a leaderboard); what a run's
    summary shows, fresh or resumed.

    >>> rows = [{"status": "ok", "score": 0.9, "per_item_median_ms": 2.0},
    ...         {"status": "ok", "score": 0.9, "per_item_median_ms": 1.0}]
    >>> [(r["per_item_median_ms"], r["rank"], r["tied"]) for r in rank_rows(rows, "f1")[0]]
    [(1.0, 1, True), (2.0, 1, True)]
    """
    by_score, by_runtime = _ranked(rows, metric)
    for index, place in by_score:
        rows[index].update(rank=place.rank, tied=place.tied)
    return [rows[i] for i, _ in by_score], [rows[i] for i in by_runtime]


def _axis_sweep(values: Sequence[Any] | None, axis: str) -> list[Any]:
    """A target axis's values (``providers`` lists, ``device``/``dtype`` names)."""
    if values is None:
        return [None]
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
        raise ConfigError(f"{axis} must be a non-empty list, got {values!r}",
                          hint='providers = [["CPUExecutionProvider"]], device = ["cpu"], '
                               'dtype = ["float32", "bfloat16"]')
    if axis == "providers":
        from .targets import provider_list

        return [provider_list(v) for v in values]
    for value in values:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{axis} values must be names, got {value!r}")
    return list(values)


def _hashable(value: Any) -> Any:
    return tuple(_hashable(v) for v in value) if isinstance(value, list | tuple) else value


def _model_env(model: dict[str, Any], threads_set: bool) -> dict[str, str]:
    """A model's own environment variables (for its child processes), checked."""
    env = model.get("env") or {}
    if not isinstance(env, dict):
        raise ConfigError(f"model {model['name']!r}: env must be a table of NAME = value")
    out = {}
    for name, value in env.items():
        if not isinstance(name, str) or not name or "=" in name or "\0" in name:
            raise ConfigError(f"model {model['name']!r}: env name {name!r} is not a variable "
                              "name")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ConfigError(f"model {model['name']!r}: env {name} must be text or a number, "
                              f"got {value!r}")
        out[name] = str(value)
    clash = sorted(set(out) & set(THREAD_VARIABLES)) if threads_set else []
    if clash:
        raise ConfigError(f"model {model['name']!r} sets {', '.join(clash)} in env while its "
                          "threads are set", hint="leave the thread variables to threads = ...")
    return out


def _sweep(values: Sequence[Any] | None, what: str) -> list[Any]:
    if values is None:
        return [None]
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
        raise ConfigError(f"{what} must be a non-empty list, got {values!r}")
    for value in values:
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 1):
            raise ConfigError(f"{what} values must be whole numbers >= 1, got {value!r}")
    return list(values)


class ModelBenchmark:
    """Benchmark model callables; each result goes to ``sink`` (optional) once measured.

    Timing options (``runs``, ``min_calls``, ``min_time``, ``warmup_calls``,
    ``warmup_time``, ``max_calls``, ``max_time``, ``batch_size``, ``precision``,
    ``disable_gc``) set the defaults of every measurement; each call may override them.
    ``isolate`` (default ``True``): each run in a fresh child process; ``False`` measures in
    this process (see :mod:`.guards` for what ``timeout`` can do there). ``pass_env``: names
    of variables the children may see although they look like store secrets.
    """

    def __init__(self, sink: Sink | None = None, *, timing: TimingConfig | None = None,
                 trace_python: bool = False, timeout: float | None = None,
                 run_id: str | None = None, isolate: bool = True, pass_env: Sequence[str] = (),
                 margin: float = DEFAULT_MARGIN, **timing_options: Any) -> None:
        self.sink = sink
        self.timing = (timing or TimingConfig()).replace(**timing_options)
        self.trace_python = trace_python
        self.timeout = timeout
        self.isolate = isolate
        self.pass_env = tuple(pass_env)
        self.margin = margin
        self.run_id = run_id or new_id()[:12]

    # -- building cells ------------------------------------------------------------------
    def _timing(self, options: dict[str, Any]) -> TimingConfig:
        unknown = set(options) - set(TIMING_KEYS)
        if unknown:
            raise ConfigError(f"unknown option(s): {', '.join(sorted(unknown))}",
                              hint=f"timing options are: {', '.join(TIMING_KEYS)}")
        return self.timing.replace(**options) if options else self.timing

    def _labels(self, name: str, version: str, task_type: str, dataset: str,
                dataset_split: str) -> dict[str, Any]:
        git = git_state(os.getcwd())
        return {"model_name": name, "model_version": version or "", "task_type": task_type or "",
                "dataset": dataset or "", "dataset_split": dataset_split or "",
                "run_id": self.run_id, "git_commit": git["git_commit"] or "",
                "git_branch": git["git_branch"] or "", "git_dirty": git["git_dirty"]}

    def _cell(self, labels: dict[str, Any], metrics: list[Any], timing: TimingConfig,
              function: Callable[[Any], Any] | None, target: str | None, isolate: bool,
              threads: int | None, params: dict[str, Any], n_items: int,
              group: tuple[Any, ...], trace_python: bool,
              env: dict[str, str] | None = None) -> Cell:
        warnings = []
        if target is not None:
            check_target(target)  # in this process too, when isolate is False
        elif isolate and not picklable(function):
            isolate = False
            warnings.append(_UNPICKLABLE)
        if isinstance(function, ModelTarget):
            try:  # before anything is measured: cuda without a GPU, a missing provider ...
                function.check_here()
            except ConfigError as exc:
                raise ConfigError(f"model {labels['model_name']!r}: {exc.message}",
                                  hint=exc.hint) from None
        extra: dict[str, Any] = {}
        if env:
            extra["env"] = recorded_environment(env)
            if not isolate:
                extra["env_applied"] = False
                warnings.append(f"env ({', '.join(sorted(env))}) not applied: the model ran in "
                                "this process, and env is set only in its child processes")
        info = CellInfo(labels=labels, metrics=[metric_name(m) for m in metrics], timing=timing,
                        threads=threads, params=params, key=cell_key(labels, params),
                        n_items=n_items, warnings=warnings, extra=extra)
        spec = RunSpec(metric=metrics[0], extra_metrics=tuple(metrics[1:]), timing=timing,
                       threads=threads, trace_python=trace_python)
        return Cell(info=info, spec=spec, function=function, target=target, isolate=isolate,
                    group=group, pass_env=self.pass_env, env=dict(env or {}))

    # -- the seed's API ------------------------------------------------------------------
    def benchmark_model(self, model_name: str, model_version: str = "", task_type: str = "",
                        dataset: str = "", metric: Any = "accuracy",
                        model_fn: Callable[[Any], Any] | None = None, inputs: Any = None,
                        expected_outputs: Any = None, *, target: str | None = None,
                        isolate: bool | None = None, timeout: float | None = None,
                        threads: int | None = None, dataset_split: str = "",
                        extra_metrics: Sequence[Any] = (), trace_python: bool | None = None,
                        env: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
        """Measure one model and hand each result to the sink; returns the result as a dict.

        Give ``model_fn`` (a callable taking a batch of inputs) or ``target``
        (``"package.module:callable"`` or ``:factory()``; in child processes unless
        ``isolate=False``).
        ``timeout`` is seconds per run. ``env``: variables set in this model's child
        processes only (recorded, secret-looking values masked). The dict has every
        :class:`~modelbench.records.BenchmarkResult` field, the latency figures at top level
        (``median_ms``, ``p95_ms``, ``throughput`` …), ``stored``, and ``metric_results``
        (one dict per metric in ``extra_metrics``, each its own stored result).
        """
        n_items = _check_dataset(inputs, expected_outputs)
        if (model_fn is None) == (target is None):
            raise ConfigError("give exactly one of model_fn and target",
                              hint="model_fn=callable, or target='package.module:callable'")
        metrics = self._metrics(metric, extra_metrics)
        timing = self._timing(options)
        if isinstance(model_fn, ModelTarget) and threads is not None:
            model_fn = model_fn.with_axes({"threads": threads})
        cell = self._cell(self._labels(model_name, model_version, task_type, dataset,
                                       dataset_split), metrics, timing, model_fn, target,
                          self.isolate if isolate is None else isolate, threads, {}, n_items,
                          (), self.trace_python if trace_python is None else trace_python,
                          _model_env({"name": model_name, "env": env}, threads is not None))
        try:
            (outcome,) = measure_cells([cell], inputs, expected_outputs, sink=self.sink,
                                       timeout=timeout or self.timeout)
        except MeasurementInterrupted as stop:
            stop.rows = [self._rows(o) for o in stop.outcomes]  # type: ignore[attr-defined]
            raise
        return self._rows(outcome)

    @staticmethod
    def _metrics(metric: Any, extra_metrics: Sequence[Any]) -> list[Any]:
        metrics = [metric, *extra_metrics]
        for each in metrics:
            metric_lib.get_metric(each)
        return metrics

    @staticmethod
    def _rows(outcome: CellOutcome) -> dict[str, Any]:
        rows = [result_dict(m.result, **info)
                for m, info in zip(outcome.measurements, outcome.sink_info, strict=True)]
        primary = rows[0]
        primary["metric_results"] = rows[1:]
        return primary

    def compare_models(self, models: list[dict[str, Any]], task_type: str = "",
                       dataset: str = "", metric: Any = "accuracy", inputs: Any = None,
                       expected_outputs: Any = None, *, jobs: int = 1,
                       timeout: float | None = None, alpha: float = 0.05,
                       progress: Callable[[dict[str, Any]], None] | None = None,
                       isolate: bool | None = None, batch_sizes: Sequence[int | None] | None = None,
                       threads: Sequence[int | None] | None = None, margin: float | None = None,
                       dataset_split: str = "", extra_metrics: Sequence[Any] = (),
                       trace_python: bool | None = None,
                       providers: Sequence[Any] | None = None,
                       device: Sequence[str] | None = None, dtype: Sequence[str] | None = None,
                       executor: Any = None, done: Collection[tuple[str, str]] = (),
                       one_per_cell: bool = False, **options: Any) -> dict[str, Any]:
        """Measure several models interleaved and compare them run against run.

        ``models``: dicts with ``name``, ``version`` and ``function`` or ``target``
        (optionally ``batch_size``, ``threads``, ``env`` — variables for its child
        processes only). ``batch_sizes``/``threads`` sweep every model over those values
        (one result per cell, the values in ``params``); cells are compared only with cells
        of the same swept values. ``providers`` (lists of ONNX Runtime providers),
        ``device`` and ``dtype`` sweep the runtime targets (:class:`~.targets.ModelTarget`)
        the same way; a value a model's kind or this machine cannot run is a
        :class:`ConfigError` before anything is measured. ``jobs``: runs measured at once
        in children, each on its own cores.

        Returns ``results`` (the first metric's result of every cell, in order; each has
        ``metric_results`` for the other metrics), ``by_score`` and ``by_runtime``
        (successful cells, best first, each with its ``rank`` and ``tied``: equal scores
        share a rank, as on a leaderboard; runtime is per item), ``comparison`` (one entry per
        pair of the same swept values: ``a``, ``b``, ``ratio`` = median time of a / b, its
        ``ci_low``/``ci_high``, ``verdict`` of a against b, ``faster`` — a name only when
        the verdict says so —, ``p_value``/``p_adjusted`` (Holm), ``basis`` "per call" or
        "per item" when batch sizes differ) and ``failed`` (names of failed models).
        ``alpha`` is the family-wise level of ``significant``. ``executor``: where the
        isolated cells run (:mod:`.executors`; default: child processes here). ``done``:
        ``(cell_key, metric)`` pairs already stored for this run id (a resumed run): a cell
        with every metric among them is not measured again. ``one_per_cell`` (a plan run,
        which may be resumed): a store keeps one result per cell and metric under this run
        id, however often the cell is measured under it (a lost node, a spool replayed
        late); a cell whose key another cell shares (one model listed twice) is exempt.
        Without it every call's results are stored, as the seed's API always did.
        """
        n_items = _check_dataset(inputs, expected_outputs)
        if not models:
            raise ValidationError("no models to compare", hint="give at least one model")
        if not isinstance(jobs, int) or jobs < 1:
            raise ConfigError(f"jobs must be a whole number >= 1, got {jobs!r}")
        metrics = self._metrics(metric, extra_metrics)
        timing = self._timing(options)
        cells = self._compare_cells(models, metrics, timing, n_items, task_type, dataset,
                                    dataset_split, self.isolate if isolate is None else isolate,
                                    sweep_axes(batch_sizes=batch_sizes, threads=threads,
                                               providers=providers, device=device, dtype=dtype),
                                    self.trace_python if trace_python is None else trace_python)
        if one_per_cell:
            keys = Counter(c.info.key for c in cells)
            for cell in cells:  # one result per cell and metric under this run id
                cell.info.one_per_cell = keys[cell.info.key] == 1
        stored = set(done)
        cells = [c for c in cells if not all((c.info.key, m) in stored for m in c.info.metrics)]
        try:
            outcomes = measure_cells(cells, inputs, expected_outputs, sink=self.sink, jobs=jobs,
                                     timeout=timeout or self.timeout, progress=progress,
                                     executor=executor)
        except MeasurementInterrupted as stop:
            stop.outcome = self._rank(stop.outcomes, metric, alpha,  # type: ignore[attr-defined]
                                      self.margin if margin is None else margin)
            raise
        return self._rank(outcomes, metric, alpha, self.margin if margin is None else margin)

    def _compare_cells(self, models: list[dict[str, Any]], metrics: list[Any],
                       timing: TimingConfig, n_items: int, task_type: str, dataset: str,
                       split: str, isolate: bool, axes: dict[str, list[Any]],
                       trace_python: bool) -> list[Cell]:
        swept = {axis: values for axis, values in axes.items() if values != [None]}
        checked = [self._check_model(m, set(swept)) for m in models]
        cells = []
        for combination in product(*swept.values()):  # batch sizes outermost, as listed
            params: dict[str, Any] = dict(zip(swept, combination, strict=True))
            group = tuple((k, _hashable(v)) for k, v in params.items())
            for model in checked:
                labels = self._labels(str(model["name"]), str(model.get("version") or ""),
                                      task_type, dataset, split)
                cell_timing = timing.replace(batch_size=params["batch_size"]
                                             if "batch_size" in params
                                             else model.get("batch_size", timing.batch_size))
                count = params.get("threads", model.get("threads"))
                function = self._cell_function(model, params, count)
                cells.append(self._cell(labels, metrics, cell_timing, function,
                                        model.get("target"), isolate, count, params, n_items,
                                        group, trace_python,
                                        _model_env(model, count is not None)))
        return cells

    @staticmethod
    def _cell_function(model: dict[str, Any], params: dict[str, Any],
                       threads: int | None) -> Any:
        """The model's function at this cell: a runtime target gets the cell's axes."""
        function = model.get("function")
        target_axes = {k: params[k] for k in _TARGET_AXES if k in params}
        if isinstance(function, ModelTarget):
            try:
                return function.with_axes({**target_axes, "threads": threads})
            except ConfigError as exc:
                raise ConfigError(f"model {model['name']!r}: {exc.message}",
                                  hint=exc.hint) from None
        if target_axes:
            axes = ", ".join(target_axes)
            raise ConfigError(f"model {model['name']!r} is a python callable: it cannot take "
                              f"{axes}", hint=f"sweep {axes} only over runtime models (kind = "
                                              "onnx, torch, transformers, sklearn), in a plan "
                                              "of their own")
        return function

    @staticmethod
    def _check_model(model: Any, swept: set[str]) -> dict[str, Any]:
        if not isinstance(model, dict) or not model.get("name"):
            raise ConfigError(f"model entry {model!r} has no name",
                              hint='give {"name": ..., "version": ..., "function": ...}')
        unknown = set(model) - _MODEL_KEYS
        if unknown:
            raise ConfigError(f"model {model['name']!r}: unknown key(s) "
                              f"{', '.join(sorted(unknown))}",
                              hint=f"keys are {', '.join(sorted(_MODEL_KEYS))}")
        if (model.get("function") is None) == (model.get("target") is None):
            raise ConfigError(f"model {model['name']!r} needs exactly one of function/target")
        if model.get("target") is not None:
            check_target(model["target"])
        for key in ("batch_size", "threads"):
            if key in swept and key in model:
                raise ConfigError(f"model {model['name']!r} sets {key} while {key} is swept",
                                  hint=f"leave {key} out of the model or out of the sweep")
        return model

    # -- ranking and verdicts ------------------------------------------------------------
    def _rank(self, outcomes: list[CellOutcome], metric: Any, alpha: float,
              margin: float) -> dict[str, Any]:
        rows = [self._rows(o) for o in outcomes]
        outcome_of = {id(row): outcome for row, outcome in zip(rows, outcomes, strict=True)}
        by_score, by_runtime = rank_rows(rows, metric)
        entries = [(row, outcome_of[id(row)].measurements[0].samples["call"],
                    outcome_of[id(row)].cell.group) for row in by_runtime
                   if outcome_of[id(row)].measurements[0].samples]
        pairs = speed_pairs(entries, margin=margin, alpha=alpha)
        return {"results": rows, "testbed_notes": cross_testbed_notes([e[0] for e in entries]),
                "by_score": by_score, "by_runtime": by_runtime,
                "comparison": pairs,
                "failed": [r["model_name"] for r in rows if r["status"] != "ok"],
                "not_stored": sum(1 for r in rows for x in [r, *r["metric_results"]]
                                  if self.sink is not None and not x.get("stored")
                                  and not x.get("duplicate"))}


def _testbed(row: dict[str, Any]) -> str:
    return env_testbed(row.get("environment"))


def cross_testbed_notes(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Why verdicts were withheld: one line per pair of testbeds the rows span.

    >>> cross_testbed_notes([{"environment": {"hostname": "a", "env_hash": "111111"}},
    ...                   {"environment": {"hostname": "b", "env_hash": "111111"}}])
    ['not compared across testbeds: a-111111 vs b-111111 (pass --across-testbeds to compare)']
    >>> cross_testbed_notes([{"environment": {"hostname": "a"}}] * 2)
    []
    """
    beds = list(dict.fromkeys(_testbed(r) for r in rows))
    return [f"not compared across testbeds: {a} vs {b} (pass --across-testbeds to compare)"
            for a, b in combinations(beds, 2)]


def sweep_axes(*, batch_sizes: Sequence[Any] | None = None, threads: Sequence[Any] | None = None,
               providers: Sequence[Any] | None = None, device: Sequence[Any] | None = None,
               dtype: Sequence[Any] | None = None) -> dict[str, list[Any]]:
    """The swept values of every grid axis (``[None]``: not swept), checked.

    >>> sweep_axes(batch_sizes=[1, 8])["batch_size"], sweep_axes()["dtype"]
    ([1, 8], [None])
    """
    return {"batch_size": _sweep(batch_sizes, "batch_sizes"), "threads": _sweep(threads, "threads"),
            "providers": _axis_sweep(providers, "providers"),
            "device": _axis_sweep(device, "device"), "dtype": _axis_sweep(dtype, "dtype")}


def _batches(row: dict[str, Any]) -> int:
    return batch_count(row.get("n_items"), (row.get("extra") or {}).get("items_per_call"))


def _label(row: dict[str, Any]) -> str:
    version = row.get("model_version") or ""
    return f"{row['model_name']} {version}".strip()


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else value


def speed_pairs(entries: Sequence[tuple[dict[str, Any], tuple[Any, Any], Any]], *,
                margin: float = DEFAULT_MARGIN, alpha: float = 0.05,
                across_testbeds: bool = False) -> list[dict[str, Any]]:
    """A verdict for every pair of results of the same group (swept values) and testbed.

    Results measured on different testbeds (:func:`.environment.env_testbed` of the row's
    ``environment``) are never paired unless ``across_testbeds``; :func:`cross_testbed_notes`
    names the pairs left out so a face can say so.

    ``entries``: ``(row, (latencies_ns, run_index), group)`` — a row has ``model_name``,
    ``id``, ``median_ms``, ``per_item_median_ms`` and ``extra["items_per_call"]``. Results
    whose calls hold different numbers of items are compared per item, never per call.
    The verdicts of all pairs are Holm-adjusted together (``stats.adjust_verdicts`` at
    ``alpha``): a claimed difference that does not survive becomes ``inconclusive``.
    ``ratio`` compares the runs' floors (10th-percentile calls, each batch alike:
    :func:`stats.run_floors`) or, where a run has too few calls, their medians;
    ``statistic`` says which. ``median_ratio`` with ``median_ci_low``/``median_ci_high`` is
    the same interval on the runs' medians (what a change of the typical call shows; no
    verdict is drawn from it).
    ``significant`` is true when the adjusted verdict claims a difference.
    """
    pairs, verdicts = [], []
    for (a, (lat_a, run_a), group_a), (b, (lat_b, run_b), group_b) in combinations(entries, 2):
        if group_a != group_b:
            continue  # cells of other swept values are never compared
        if not across_testbeds and _testbed(a) != _testbed(b):
            continue  # another machine's latency says nothing about this one's
        ipc_a = (a.get("extra") or {}).get("items_per_call") or 1
        ipc_b = (b.get("extra") or {}).get("items_per_call") or 1
        basis = "per call" if ipc_a == ipc_b else "per item"
        if basis == "per item":  # different batch sizes: what one item costs
            lat_a, lat_b = lat_a / ipc_a, lat_b / ipc_b
        batches = (_batches(a), _batches(b))
        verdicts.append(speed_verdict(lat_a, run_a, lat_b, run_b, margin=margin,
                                      batches=batches))
        median_key = "per_item_median_ms" if basis == "per item" else "median_ms"
        # the ratio of medians with its between-run interval, beside the verdict's floors
        medians = speed_verdict(lat_a, run_a, lat_b, run_b, margin=margin, statistic="median",
                                batches=batches)
        pairs.append({
            "a": a["model_name"], "b": b["model_name"], "a_id": a["id"], "b_id": b["id"],
            # names alone are ambiguous when one model is compared across versions
            "a_label": _label(a), "b_label": _label(b),
            "margin": margin, "basis": basis, "params": dict(a.get("params") or {}),
            "median_a_ms": a.get(median_key), "median_b_ms": b.get(median_key),
            "median_ratio": medians.ratio, "median_ci_low": _number(medians.ci_low),
            "median_ci_high": _number(medians.ci_high)})
    for pair, verdict in zip(pairs, stats.adjust_verdicts(verdicts, alpha=alpha) if verdicts
                             else [], strict=True):
        pair.update(
            faster={"faster": pair["a"], "slower": pair["b"]}.get(verdict.verdict),
            verdict=verdict.verdict, ratio=verdict.ratio, ci_low=_number(verdict.ci_low),
            ci_high=_number(verdict.ci_high), p_value=_number(verdict.p_value),
            p_adjusted=_number(verdict.p_adjusted), significant=verdict.decided,
            n_runs_a=verdict.n_runs_a, n_runs_b=verdict.n_runs_b, reason=verdict.reason,
            method=verdict.method, statistic=verdict.statistic)
    return pairs

