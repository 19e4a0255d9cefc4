"""From runs to results: one :class:`~modelbench.records.Measurement` per metric asked for.

The runs of a model are pooled with their run index: the result's median (the typical run's
median) and its 95 % CI come from the variation between runs (``stats.median_ci_runs``), so
one run's drift is not mistaken for precision. With a single run there is no between-run
CI (``None``, a warning).

Latency is per call (a call is one batch of ``items_per_call`` items); ``per_item_median_ms``
and ``throughput`` (items/s) stand beside it. p90/p95/p99 are *not estimable* (``None``, a
warning) unless at least :data:`MIN_TAIL_SAMPLES` samples lie beyond them — the rule of
MLPerf LoadGen, which sizes a run so that enough queries fall in the tail it reports.

Every metric is its own result, all sharing the run's latency. The samples are stored once,
with the first metric's result; the others name it in ``extra["samples_of"]``.

Named series kept with the first result: ``call`` (every timed full-batch call),
``first_call`` (each run's cold first call), ``load`` (each run's set-up) and, when the data
do not fill the last batch, ``partial_batch`` (that call, timed apart).

Example:
    >>> import numpy as np
    >>> from modelbench.measure.runs import RunRecord
    >>> runs = [RunRecord(i, latencies=np.full(50, 1_000_000 + i * 1000), items_per_call=10,
    ...                   scores={"accuracy": 1.0}) for i in range(3)]
    >>> (m,) = summarize_runs(CellInfo(labels={"model_name": "m"}, metrics=["accuracy"]), runs)
    >>> m.result.n_runs, round(m.result.latency.median_ms, 6), round(m.result.per_item_median_ms, 7)
    (3, 1.001, 0.1001)
"""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .. import stats
from ..records import BenchmarkResult, LatencyStats, Measurement
from . import hostcheck
from .environment import fingerprint
from .runs import RunRecord

__all__ = ["CellInfo", "summarize_runs", "cell_measurements", "failed_measurement", "cell_key",
           "tail_estimable", "MIN_TAIL_SAMPLES", "median_ci_runs", "speed_verdict", "batch_count"]

#: A percentile is reported only when at least this many samples lie beyond it.
MIN_TAIL_SAMPLES = 10

median_ci_runs = stats.median_ci_runs
speed_verdict = stats.speed_verdict


def batch_count(n_items: int | None, items_per_call: int | None) -> int:
    """How many different full batches a result's calls cycle through (1: every call
    holds the same items); what :func:`stats.speed_verdict` takes as ``batches``.

    >>> batch_count(540, 64), batch_count(540, None), batch_count(None, 64)
    (8, 1, 1)
    """
    if not items_per_call or not n_items:
        return 1
    return max(1, int(n_items) // int(items_per_call))


@dataclass
class CellInfo:
    """What a result is about: labels, metric names, timing, swept values and extras."""

    labels: dict[str, Any]
    metrics: list[str]
    timing: Any = None
    threads: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    n_items: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    runs_planned: int | None = None
    #: A plan run's cell, the only one of its key under its run id: its results say so
    #: (``extra["one_per_cell"]``), and a store keeps one of them per metric, however often
    #: the cell is measured under that run id (a node lost, a spool replayed late).
    one_per_cell: bool = False


def cell_key(labels: dict[str, Any], params: dict[str, Any]) -> str:
    """A cell's identity: model, task, data, metric and swept values (for resume/grouping).

    >>> cell_key({"model_name": "m"}, {"batch_size": 8}) == cell_key({"model_name": "m"},
    ...                                                             {"batch_size": 8})
    True
    """
    text = json.dumps({"labels": {k: labels.get(k) for k in (
        "model_name", "model_version", "task_type", "dataset", "dataset_split")},
        "params": params}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def tail_estimable(n_samples: int, quantile: float) -> bool:
    """Whether ``n_samples`` put at least :data:`MIN_TAIL_SAMPLES` beyond ``quantile``.

    >>> tail_estimable(100, 0.90), tail_estimable(100, 0.99), tail_estimable(1000, 0.99)
    (True, False, True)
    """
    return n_samples * (1.0 - quantile) >= MIN_TAIL_SAMPLES - 1e-9


def _base(info: CellInfo, metric: str) -> BenchmarkResult:
    labels = info.labels
    result = BenchmarkResult(
        model_name=labels["model_name"], model_version=labels.get("model_version") or "",
        task_type=labels.get("task_type") or "", dataset=labels.get("dataset") or "",
        dataset_split=labels.get("dataset_split") or "", run_id=labels.get("run_id") or "",
        metric=metric)
    result.threads = info.threads
    result.params = dict(info.params)
    result.cell_key = info.key or cell_key(labels, info.params)
    result.n_items = info.n_items
    result.batch_size = getattr(info.timing, "batch_size", None)
    result.warnings = list(info.warnings)
    result.extra = dict(info.extra)
    if info.timing is not None:
        result.extra["timing"] = info.timing.to_dict()
    if info.one_per_cell and result.run_id:
        result.extra["one_per_cell"] = True
    for key in ("git_commit", "git_branch", "git_dirty"):
        if key in labels:
            setattr(result, key, labels[key])
    return result


def failed_measurement(info: CellInfo, status: str, message: str,
                       environment: dict[str, Any] | None = None) -> list[Measurement]:
    """One result per metric for a model that produced no usable run."""
    environment = environment or fingerprint()
    out = []
    for metric in info.metrics:
        result = _base(info, metric)
        result.status, result.error_message = status, message
        result.environment, result.env_hash = environment, environment.get("env_hash", "")
        out.append(Measurement(result=result))
    return out


def _latency(latencies: np.ndarray, run_index: np.ndarray, items_per_call: int,
             warnings: list[str]) -> LatencyStats:
    summary = stats.summarize(latencies, items_per_call=items_per_call)
    n_runs = len(np.unique(run_index))
    if n_runs >= 2:
        median, low, high = median_ci_runs(latencies, run_index)
        summary.median_ms = summary.p50_ms = float(median) / 1e6
        summary.ci_low_ms, summary.ci_high_ms = float(low) / 1e6, float(high) / 1e6
        summary.throughput = items_per_call / (summary.median_ms / 1e3)
    else:
        summary.ci_low_ms = summary.ci_high_ms = None
        warnings.append("one run only: no between-run confidence interval (measure with "
                        "runs >= 2 to compare)")
    hidden = _hide_tails(summary, len(latencies))
    if hidden:
        warnings.append(f"{', '.join(hidden)} not estimable from {len(latencies)} calls (fewer "
                        f"than {MIN_TAIL_SAMPLES} beyond them)")
    return summary


def _rerun_median_ms(latencies: np.ndarray, run_index: np.ndarray) -> list[float] | None:
    """95 % prediction interval (ms) of a rerun's median from these runs' own spread (the
    CI bounds the true median, and holds a rerun's less often); None with one run. It has
    no calibrated floor here (measure never reads the store): on a busy testbed it is too
    narrow, which ``modelbench check`` corrects with ``modelbench calibrate``'s spread."""
    if len(np.unique(run_index)) < 2:
        return None
    _, low, high = stats.rerun_interval(latencies, run_index)
    return [float(low) / 1e6, float(high) / 1e6]


def _hide_tails(summary: LatencyStats, n_samples: int) -> list[str]:
    """Set the percentiles that ``n_samples`` cannot support to ``None``; their names."""
    hidden = [name for name, q in (("p90", 0.90), ("p95", 0.95), ("p99", 0.99))
              if not tail_estimable(n_samples, q)]
    for name in hidden:
        setattr(summary, f"{name}_ms", None)
    return hidden


def _series(ok: list[RunRecord]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    calls = np.concatenate([r.latencies for r in ok]).astype(np.int64)
    index = np.concatenate([np.full(len(r.latencies), r.run_index, dtype=np.int64)
                            for r in ok])
    series = {"call": (calls, index)}
    for name, attr in (("first_call", "first_call_ns"), ("load", "load_ns"),
                       ("partial_batch", "partial_ns")):
        pairs = [(getattr(r, attr), r.run_index) for r in ok if getattr(r, attr) is not None]
        if pairs:
            series[name] = (np.array([p[0] for p in pairs], dtype=np.int64),
                            np.array([p[1] for p in pairs], dtype=np.int64))
    return series


def _median(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return float(np.median(kept)) if kept else None


def _fill_memory(result: BenchmarkResult, ok: list[RunRecord]) -> None:
    """Median over runs of set-up RSS and of the model's share; the largest peaks."""
    result.memory_setup_mb = _median([r.memory.get("setup_mb") for r in ok])
    result.model_memory_mb = _median([r.memory.get("model_mb") for r in ok])
    peaks = [r.memory.get("peak_mb") for r in ok if r.memory.get("peak_mb") is not None]
    result.memory_peak_mb = max(peaks) if peaks else None
    process = [r.memory.get("process_peak_mb") for r in ok
               if r.memory.get("process_peak_mb") is not None]
    result.memory_usage_mb = max(process) if process else result.memory_peak_mb
    python = [r.memory.get("python_peak_mb") for r in ok if r.memory.get("python_peak_mb")]
    gpu = [r.memory.get("gpu_peak_mb") for r in ok if r.memory.get("gpu_peak_mb")]
    result.python_peak_mb = max(python) if python else None
    result.gpu_peak_mb = max(gpu) if gpu else None


def _score_warnings(ok: list[RunRecord]) -> list[str]:
    first = ok[0].scores
    differ = sorted({name for r in ok[1:] for name, v in r.scores.items()
                     if first.get(name) != v})
    if not differ:
        return []
    return [f"{', '.join(differ)} differ between runs (the model is not deterministic); the "
            "first run's score is reported"]


def _set_aside(ok: list[RunRecord], disturbed: Sequence[int], warnings: list[str], *,
               remeasured: bool = True) -> tuple[list[RunRecord], list[RunRecord]]:
    """(steady runs, disturbed runs): the second are kept apart, never compared — the same
    rule for every model of a comparison, so that none is judged on its slow moments and
    another on its fast ones. Only when no run at all was steady are all compared (a
    result needs calls), and a warning says so; with one steady run the verdicts say
    inconclusive, which is what such a host allows. ``remeasured``: whether the scheduler
    measured runs again in their place (runs made one at a time here); a Ray cell's runs
    come back together, so its disturbed runs are set aside without replacements, and the
    warning says that instead."""
    skip = set(disturbed)
    aside = [r for r in ok if r.run_index in skip]
    if not aside:
        return ok, []
    steady = [r for r in ok if r.run_index not in skip]
    if not steady:
        warnings.append(f"the host was slow during all {len(ok)} runs (reference probe), so "
                        "all are compared: rerun when the machine is quieter")
        return ok, []
    what = (f"{len(aside)} run(s) measured again" if remeasured else
            f"{len(aside)} of {len(ok)} run(s) set aside, not replaced (the cell's runs were "
            f"measured together in one task; {len(steady)} steady run(s) are compared)")
    warnings.append(f"{what}: the host was slow during them "
                    f"({hostcheck.SLOW_HOST_FACTOR:g}x+ on the reference probe); their calls are "
                    "kept as the series call_disturbed, out of the statistics and verdicts")
    if len(steady) < 2:
        warnings.append(f"only {len(steady)} of {len(ok)} runs were steady: too few for a "
                        "verdict; rerun when the machine is quieter")
    return steady, aside


def _leave_out_slow_windows(ok: list[RunRecord], floor_ns: int | None, warnings: list[str]
                            ) -> tuple[list[RunRecord], list[RunRecord]]:
    """The steady runs with only their calls of steady windows (:mod:`.hostcheck`), and
    the same runs with only the calls left out (those that had any)."""
    kept, slow = [], []
    for record in ok:
        steady, disturbed = hostcheck.split_calls(record, floor_ns)
        if disturbed.size:
            slow.append(replace(record, latencies=disturbed))
            record = replace(record, latencies=steady)
        kept.append(record)
    if slow:
        n_slow = sum(r.latencies.size for r in slow)
        total = n_slow + sum(r.latencies.size for r in kept)
        warnings.append(f"{n_slow} of {total} calls, in {len(slow)} run(s), were timed while "
                        f"the host was slow ({hostcheck.SLOW_HOST_FACTOR:g}x+ on the probes "
                        "around them); they are kept as the series call_disturbed, out of "
                        "the statistics and verdicts")
    return kept, slow


def summarize_runs(info: CellInfo, runs: list[RunRecord],
                   environment: dict[str, Any] | None = None, *,
                   disturbed: Sequence[int] = (), remeasured: bool = True,
                   host_floor_ns: int | None = None) -> list[Measurement]:
    """The results of a model's runs: one per metric, the first carrying the samples.

    A failed run (error/timeout) makes the result failed with that run's message; the
    samples of the runs before it are kept with it. With no good run at all, a failed
    result without samples. ``disturbed``: indices of runs during which the host was slow
    (:mod:`.hostcheck`); their calls become the series ``call_disturbed``, and so do the
    calls of the other runs timed in a slow window, judged against ``host_floor_ns`` (the
    fastest probe of the runs compared). ``remeasured``: whether other runs were measured
    in their place (what the warning says).
    """
    ok = [r for r in runs if r.status == "ok"]
    bad = next((r for r in runs if r.status != "ok"), None)
    if not ok:
        status, message = (bad.status, bad.message) if bad else ("error", "no run finished")
        return failed_measurement(info, status, message, environment)
    environment = environment or fingerprint()
    warnings = list(info.warnings)
    for record in ok:
        warnings.extend(w for w in record.warnings if w not in warnings)
    warnings.extend(_score_warnings(ok))
    ok, aside = _set_aside(ok, disturbed, warnings, remeasured=remeasured)
    slow: list[RunRecord] = []
    if aside or not disturbed:  # not when the host was slow throughout: all are compared
        ok, slow = _leave_out_slow_windows(ok, host_floor_ns, warnings)
    series = _series(ok)
    if aside or slow:
        series["call_disturbed"] = _series(
            sorted(aside + slow, key=lambda r: r.run_index))["call"]
    ipc = ok[0].items_per_call or 1
    latency = _latency(*series["call"], ipc, warnings)
    rerun = _rerun_median_ms(*series["call"])
    warnings.extend(stats.spread_warnings(series["call"][0]))
    if info.runs_planned and len(runs) < info.runs_planned and bad is None:
        warnings.append(f"interrupted after {len(ok)} of {info.runs_planned} runs")
    series_stats = {"call": latency.to_dict()}
    for name in ("first_call", "load", "partial_batch"):
        if name in series:
            summary = stats.summarize(series[name][0])
            _hide_tails(summary, len(series[name][0]))
            series_stats[name] = summary.to_dict()
    out: list[Measurement] = []
    for metric in info.metrics:
        result = _base(info, metric)
        result.status = bad.status if bad else "ok"
        result.error_message = bad.message if bad else ""
        result.score = ok[0].scores.get(metric) if bad is None else None
        result.latency = LatencyStats.from_dict(latency.to_dict())
        result.per_item_median_ms = latency.median_ms / ipc
        result.runtime_ms = _median([r.runtime_ms for r in ok])
        result.n_runs = len(ok)
        result.environment, result.env_hash = environment, environment.get("env_hash", "")
        result.warnings = list(warnings)
        result.series_stats = series_stats
        if result.batch_size is not None and ipc < result.batch_size:
            result.batch_size = ipc  # the calls were smaller than asked: record what ran
        result.extra.update(items_per_call=ipc, scores={
            name: value for name, value in ok[0].scores.items() if name != metric})
        if rerun is not None:
            result.extra["rerun_median_ms"] = rerun
        if aside:
            result.extra["disturbed_runs"] = {str(r.run_index): r.host_ns for r in aside}
        if slow:
            result.extra["disturbed_calls"] = int(sum(r.latencies.size for r in slow))
        hosts = [r.host_ns for r in ok if r.host_ns]
        if hosts:
            result.extra["host_probe_ns"] = int(min(hosts))
        if ok[0].partial_items:
            result.extra["partial_batch_items"] = ok[0].partial_items
        if ok[0].threads_applied:
            result.extra["threads_applied"] = ok[0].threads_applied
        if ok[0].runtime:  # providers, device, dtype ... as the runtime took them
            result.extra["runtime"] = ok[0].runtime
        _fill_memory(result, ok)
        out.append(Measurement(result=result,
                               item_values=_values(ok[0].item_values.get(metric)),
                               item_predictions=ok[0].predictions))
    primary = out[0]
    primary.samples = series
    for other in out[1:]:
        other.result.extra["samples_of"] = primary.result.id
    return out


def _values(values: list[float] | None) -> np.ndarray | None:
    return None if values is None else np.asarray(values, dtype=np.float64)


def cell_measurements(info: CellInfo, runs: list[RunRecord],
                      environment: dict[str, Any] | None, *, isolate: bool, jobs: int,
                      executor: str, cores: list[int] | None, node: str,
                      warnings: Sequence[str] = (), complete: bool = True,
                      planned_runs: int = 1, disturbed: Sequence[int] = (),
                      remeasured: bool = True,
                      host_floor_ns: int | None = None) -> list[Measurement]:
    """A measured cell's results (one per metric): where and how it ran in ``extra``, the
    executor's warnings, then :func:`summarize_runs`. The driver calls it, and so does a
    Ray worker (:mod:`.executors`) that writes its cell's results itself
    (``results = "direct"``). ``disturbed``: runs the host check set aside;
    ``remeasured``: whether runs were measured again in their place (runs scheduled one at a
    time; not a Ray cell, whose runs come back together).

    >>> info = CellInfo({"model_name": "m"}, ["accuracy"])
    >>> (m,) = cell_measurements(info, [RunRecord(0, status="error", message="boom")], {},
    ...                          isolate=True, jobs=1, executor="ray", cores=None, node="n1")
    >>> m.result.status, m.result.extra["node"], m.result.extra["executor"]
    ('error', 'n1', 'ray')
    """
    info.extra.update(isolated=isolate, parallel=jobs > 1 and isolate,
                      jobs=jobs if isolate else 1, cores=cores,
                      executor=executor if isolate else "in-process",
                      node=node or socket.gethostname())
    info.warnings.extend(w for w in warnings if w not in info.warnings)
    if not complete:
        info.runs_planned = max(planned_runs, len(runs) + 1)
    return summarize_runs(info, runs, environment, disturbed=disturbed, remeasured=remeasured,
                          host_floor_ns=host_floor_ns)
