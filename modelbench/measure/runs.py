"""One run of one model: set-up, a scored pass, warm-up and timed calls — in this process.

A run is the unit of evidence: :mod:`.schedule` makes several per model (each in a fresh
child process by default, see :mod:`.isolation`) and :mod:`.summary` turns them into results.
What a run measures is a :class:`RunRecord` (plain data, so it crosses process boundaries):

- ``load_ns``: time to set the model up (import a target, call a ``factory()``);
- memory: RSS after set-up and before the first call (``setup_mb``), peak RSS during the
  scored pass over every item (``peak_mb``), and the process's lifetime peak;
- ``first_call_ns``: the run's first (cold) call; the scored pass gives the score(s) and, in
  the first run, per-item values and predictions for paired quality tests;
- ``latencies``: per-call times of *full* batches after warm-up; a last partial batch is
  timed apart (``partial_ns``, ``partial_items``) and never mixed in.

Example:
    >>> from modelbench.measure.timing import TimingConfig
    >>> spec = RunSpec(metric="accuracy",
    ...                timing=TimingConfig(min_calls=3, min_time=0, warmup_time=0))
    >>> record = measure_run(lambda: (lambda xs: list(xs)), [1, 2, 3], [1, 2, 3], spec, 0)
    >>> record.status, record.scores["accuracy"], len(record.latencies) >= 3
    ('ok', 1.0, True)
"""

from __future__ import annotations

import itertools
import json
import math
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .. import metrics as metric_lib
from ..errors import BenchmarkError, ValidationError
from .guards import ModelExited, ModelTimeout, guarded_call, redact, thread_settings
from .hostcheck import HostWindows, window_probe_ns
from .memory import MB, MemoryProbe, current_rss_bytes, lifetime_peak_rss_bytes
from .timing import (
    Clock,
    TimingConfig,
    cuda_synchronizer,
    full_batches,
    scored_pass,
    split_batches,
    time_calls,
)

__all__ = ["RunSpec", "RunRecord", "measure_run", "metric_name", "item_values", "jsonable",
           "describe_error", "MAX_PREDICTIONS"]

#: Predictions are kept (for paired tests) up to this many items; beyond, a warning says so.
MAX_PREDICTIONS = 100_000


def metric_name(metric: Any) -> str:
    """A metric's stored name: the string, or a callable's ``__name__``."""
    return metric if isinstance(metric, str) else getattr(metric, "__name__", "custom")


@dataclass
class RunSpec:
    """What to measure in a run: the metric(s), timing, thread count, guards."""

    metric: Any = "accuracy"
    extra_metrics: Sequence[Any] = ()
    timing: TimingConfig = field(default_factory=TimingConfig)
    threads: int | None = None
    trace_python: bool = False
    timeout: float | None = None  # in-process guard; a child's is enforced by its parent

    @property
    def metrics(self) -> list[Any]:
        return [self.metric, *self.extra_metrics]


@dataclass
class RunRecord:
    """What one run measured; ``status`` ``ok``, ``error`` or ``timeout``."""

    run_index: int
    status: str = "ok"
    message: str = ""
    latencies: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    items_per_call: int = 0
    first_call_ns: int | None = None
    load_ns: int | None = None
    partial_ns: int | None = None
    partial_items: int = 0
    scores: dict[str, float] = field(default_factory=dict)
    item_values: dict[str, list[float] | None] = field(default_factory=dict)
    predictions: list[Any] | None = None
    memory: dict[str, float | None] = field(default_factory=dict)
    timed_s: float = 0.0
    runtime_ms: float | None = None
    warnings: list[str] = field(default_factory=list)
    threads_applied: dict[str, Any] = field(default_factory=dict)
    runtime: dict[str, Any] = field(default_factory=dict)  # what a runtime target applied
    host_ns: int | None = None  # the fastest host probe of the run (.hostcheck)
    host_windows: list[list[int]] = field(default_factory=list)  # [first call, probe ns]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["latencies"] = self.latencies
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        record = cls(**data)
        record.latencies = np.asarray(record.latencies, dtype=np.int64)
        return record


def describe_error(exc: BaseException) -> str:
    """A one-line message for a model's fault, pointing at the model's code, secrets removed."""
    frames = traceback.extract_tb(exc.__traceback__)
    model_frames = [f for f in frames if "/modelbench/" not in f.filename.replace("\\", "/")]
    where = ""
    if model_frames:  # point at the model's code, never at the harness
        frame = model_frames[-1]
        where = f" (at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})"
    if isinstance(exc, (BenchmarkError, ValidationError, ModelExited)):
        return redact(f"{exc}{where}")
    return redact(f"{type(exc).__name__}: {exc}{where}")


def item_values(metric: Any, expected: Any, outputs: Any) -> list[float] | None:
    """Per-item correctness (1/0) or loss for metrics that are a mean over items.

    ``accuracy``/``exact_match``/``top_k``: 1.0 when right; ``mse``/``rmse``: squared
    error; ``mae``: absolute error. Other metrics (F1, R², callables) are not per-item:
    ``None`` (their predictions are kept for paired tests instead).

    >>> item_values("accuracy", [1, 2, 3], [1, 0, 3])
    [1.0, 0.0, 1.0]
    >>> item_values("mae", [1.0, 2.0], [1.5, 2.0])
    [0.5, 0.0]
    """
    if not isinstance(metric, str):
        return None
    name = metric.strip().lower()
    truth, pred = np.asarray(expected), np.asarray(outputs)
    try:
        if name in ("accuracy", "exact_match"):
            same = truth == pred
            values = same.reshape(len(truth), -1).all(axis=1) if same.ndim > 1 else same
        elif name in ("mse", "rmse", "mae"):
            diff = truth.astype(np.float64) - pred.astype(np.float64)
            per = np.abs(diff) if name == "mae" else diff * diff
            values = per.reshape(len(truth), -1).mean(axis=1)
        elif name.startswith("top"):
            k = int("".join(ch for ch in name if ch.isdigit()) or 1)
            top = np.argsort(pred, axis=1)[:, -k:]
            values = (top == truth.reshape(-1, 1)).any(axis=1)
        else:
            return None
    except (TypeError, ValueError, IndexError):
        return None
    return [float(v) for v in np.asarray(values, dtype=np.float64)]


def jsonable(outputs: Any) -> list[Any] | None:
    """The model's outputs as plain JSON values (one per item), or ``None`` if they are not."""
    try:
        values = outputs.tolist() if isinstance(outputs, np.ndarray) else list(outputs)
    except TypeError:
        return None
    plain = []
    for value in values:
        if isinstance(value, np.generic):
            value = value.item()
        elif isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if value is not None and not isinstance(value, (bool, int, float, str, list, dict)):
            return None
        plain.append(value)
    return plain


def jsonable_dict(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with anything JSON cannot hold written as text.

    >>> jsonable_dict({"shape": ["N", 64], "dtype": np.dtype("float32")})
    {'shape': ['N', 64], 'dtype': 'float32'}
    """
    return json.loads(json.dumps(values, default=str))


_WORD = {"text": "text", "number": "numeric"}


def _kind(value: Any) -> str:
    if isinstance(value, (str, bytes)):
        return "text"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    return "number" if isinstance(value, (int, float, np.number)) else "other"


def check_prediction_types(labels: Any, predictions: Any, sample: int = 1000) -> None:
    """Raise :class:`BenchmarkError` when the predictions are text and the labels numbers (or
    the reverse): ``'1' != 1``, so every item would count as wrong and the score would be a
    silent 0 that says nothing about the model.

    >>> check_prediction_types([0, 1], ["0", "1"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    modelbench.errors.BenchmarkError: the model returned text predictions (e.g. '0') but ...
    >>> check_prediction_types([0, 1], np.array([0, 1]))  # numbers on both sides: fine
    """
    kinds = []
    for values in (labels, predictions):
        head = list(itertools.islice(iter(values), sample))
        found = {_kind(v) for v in head}
        first = head[0] if head else None
        first = first.item() if isinstance(first, np.generic) else first  # '1', not np.str_('1')
        kinds.append((found.pop() if len(found) == 1 else None, first))
    (label_kind, label), (pred_kind, pred) = kinds
    if {label_kind, pred_kind} == {"text", "number"}:
        raise BenchmarkError(
            f"the model returned {_WORD[pred_kind]} predictions (e.g. {pred!r}) but the labels "
            f"are {_WORD[label_kind]} (e.g. {label!r}): none can be equal, so the score would "
            "be 0",
            hint="return predictions of the labels' type (e.g. int(...)), or convert the "
                 "labels in the dataset file")


def _score(spec: RunSpec, record: RunRecord, expected: Any, outputs: Any,
           keep_items: bool) -> None:
    if any(isinstance(m, str) for m in spec.metrics):  # a callable metric may convert
        check_prediction_types(expected, outputs)
    for metric in spec.metrics:
        name = metric_name(metric)
        record.scores[name] = metric_lib.compute(metric, expected, outputs)
        if keep_items:
            record.item_values[name] = item_values(metric, expected, outputs)
    if keep_items:
        if len(expected) > MAX_PREDICTIONS:
            record.warnings.append(f"predictions not kept: more than {MAX_PREDICTIONS} items")
        else:
            record.predictions = jsonable(outputs)


def _measure(load: Callable[[], Callable[[Any], Any]], inputs: Any, expected: Any,
             spec: RunSpec, record: RunRecord, clock: Clock | None, keep_items: bool,
             call: Callable[[Callable[[], Any]], Any]) -> None:
    pc = clock or time.perf_counter_ns
    timing = spec.timing
    # The host probe runs with the real clock only (a fake clock's time is the test's), and
    # first before the model loads, so nothing of the model's (threads left spinning, a
    # warm cache) can slow both probes.
    before = window_probe_ns() if timing.host_check and clock is None else None
    host = HostWindows() if before is not None else None
    t0 = pc()
    fn = call(load)
    record.load_ns = pc() - t0
    applied = getattr(fn, "modelbench_info", None)  # set by targets.ModelTarget only
    if isinstance(applied, dict):
        record.runtime = jsonable_dict(applied)
    setup = current_rss_bytes()
    batches = split_batches(inputs, timing.batch_size)
    full, partial = full_batches(batches, timing.batch_size)
    record.items_per_call = len(full[0])
    if timing.batch_size is not None and len(full[0]) < timing.batch_size:
        record.warnings.append(f"batch_size {timing.batch_size} is larger than the dataset: "
                               f"every call had all {len(full[0])} items")
    sync = cuda_synchronizer(timing)
    call_times: list[int] = []
    with MemoryProbe(trace_python=spec.trace_python) as probe:
        outputs, wall = call(lambda: scored_pass(fn, batches, sync, clock=clock,
                                                 call_times=call_times))
    record.runtime_ms = wall / 1e6
    record.first_call_ns = call_times[0] if call_times else None
    if partial is not None:
        record.partial_ns, record.partial_items = call_times[-1], len(partial)
    record.memory = _memory(setup, probe.rss.peak)
    report = probe.report()
    record.memory.update(python_peak_mb=report["python_peak_mb"],
                         gpu_peak_mb=report["gpu_peak_mb"])
    _score(spec, record, expected, outputs, keep_items)
    begin = pc()
    record.latencies = call(lambda: time_calls(fn, full, timing, sync=sync, clock=clock,
                                               host=host))
    record.timed_s = (pc() - begin) / 1e9
    if host is not None:
        # the windows judge the calls; the run's probe (for a run without windows and
        # the result's host_probe_ns) is the fastest of them, the one before loading too
        record.host_windows = host.windows
        record.host_ns = min(before, host.fastest() or before)
    if len(record.latencies) < timing.min_calls:
        record.warnings.append(f"stopped after {len(record.latencies)} of {timing.min_calls} "
                               f"calls (max_time {timing.max_time:g} s reached)")
    lifetime = lifetime_peak_rss_bytes()
    record.memory["process_peak_mb"] = round(lifetime / MB, 3) if lifetime else \
        record.memory.get("peak_mb")


def _memory(setup: int | None, peak: int | None) -> dict[str, float | None]:
    def mb(value: int | None) -> float | None:
        return None if value is None else round(value / MB, 3)

    peak = max(p for p in (peak, setup) if p is not None) if (peak or setup) else None
    return {"setup_mb": mb(setup), "peak_mb": mb(peak),
            "model_mb": mb(peak - setup) if peak is not None and setup is not None else None}


def measure_run(load: Callable[[], Callable[[Any], Any]], inputs: Any, expected: Any,
                spec: RunSpec, run_index: int, *, clock: Clock | None = None,
                keep_items: bool | None = None, guard: bool = False) -> RunRecord:
    """Measure one run here; the model's faults become the record's status and message.

    ``load`` sets the model up and returns the callable (timed as ``load_ns``).
    ``guard=True`` (in-process runs) adds :func:`~.guards.guarded_call` around each phase:
    exits trapped, working directory restored, ``spec.timeout`` enforced for the whole run.
    """
    record = RunRecord(run_index=run_index)
    keep = run_index == 0 if keep_items is None else keep_items
    deadline_at = None
    if guard and spec.timeout:
        deadline_at = (clock or time.perf_counter_ns)() + int(spec.timeout * 1e9)

    def call(phase: Callable[[], Any]) -> Any:
        if not guard:
            return phase()
        left = None
        if deadline_at is not None:
            left = max((deadline_at - (clock or time.perf_counter_ns)()) / 1e9,
                       1e-3)
        return guarded_call(phase, timeout=left, warnings=record.warnings)

    try:
        with thread_settings(spec.threads) as applied:
            record.threads_applied = applied
            _measure(load, inputs, expected, spec, record, clock, keep, call)
    except ModelTimeout:
        record.status, record.latencies = "timeout", np.empty(0, dtype=np.int64)
        record.message = f"no result after {spec.timeout:g} s (stopped inside this process)"
    except Exception as exc:  # the model's fault: a recorded result, not a crash
        record.status, record.latencies = "error", np.empty(0, dtype=np.int64)
        record.message = describe_error(exc)
    except ModelExited as exc:
        record.status, record.latencies = "error", np.empty(0, dtype=np.int64)
        record.message = describe_error(exc)
    return record
