"""``modelbench compare``'s rows: the latest stored result of each model, ranked by score and
by speed with the one ranking (:func:`modelbench.ranking.rank`), and run-level speed verdicts
from the stored samples. A face draws these rows in the order given; it never sorts them.

Example:
    >>> import numpy as np
    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult, LatencyStats
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> def _latency(ms):
    ...     return LatencyStats(mean_ms=ms, median_ms=ms, stdev_ms=0, min_ms=ms, max_ms=ms,
    ...                         p50_ms=ms, p90_ms=ms, p95_ms=ms, p99_ms=ms)
    >>> for name, ms, batch in (("slow", 2.0, 1), ("fast", 9.0, 8)):  # 9 ms for 8 items
    ...     _ = db.insert_result(BenchmarkResult(
    ...         model_name=name, task_type="tc", dataset="d", metric="accuracy", score=0.9,
    ...         batch_size=batch, latency=_latency(ms)))
    >>> out = compare_stored(db, task="tc", dataset="d", metric="accuracy", models=[])
    >>> [(r["model_name"], r["speed_rank"]) for r in out["by_runtime"]]
    [('fast', 1), ('slow', 2)]
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any

import numpy as np

from .. import ranking
from ..errors import ValidationError
from ..metrics import higher_is_better
from ..store.base import ResultFilter
from .boards import rank_results

__all__ = ["compare_stored", "latest_per_model", "rank_by_speed"]


def latest_per_model(store: Any, task: str | None, dataset: str | None, metric: str | None,
                     models: list[str]) -> list[Any]:
    """The newest ``ok`` result of each model (and version) matching the filter."""
    flt = ResultFilter(task_type=task, dataset=dataset, metric=metric, status="ok")
    latest: dict[tuple[str, str], Any] = {}
    if models:  # the store finds each model's latest result: never every row (1M+ rows)
        for name in dict.fromkeys(models):
            named = replace(flt, model_name=name)
            for version in store.distinct_values("model_version", named):
                rows = store.query_results(replace(named, model_version=version),
                                           order_by="timestamp", descending=True, limit=1)
                if rows:
                    latest[(name, version)] = rows[0]
    else:
        for result in store.query_results(flt, order_by="timestamp", descending=True):
            latest.setdefault((result.model_name, result.model_version), result)
    missing = [m for m in models if not any(k[0] == m for k in latest)]
    if missing:
        raise ValidationError(f"no stored ok results for: {', '.join(missing)}",
                              hint="check the names with `modelbench results`, or measure "
                                   "them with `modelbench run`")
    return list(latest.values())


def _sample_runs(store: Any, result_id: str) -> tuple[np.ndarray, np.ndarray]:
    getter = getattr(store, "get_sample_runs", None)
    if getter is not None:
        return getter(result_id)
    latencies = np.asarray(store.get_samples(result_id), dtype=np.int64)
    return latencies, np.zeros(len(latencies), dtype=np.int64)  # a v1 store: one run


def _per_item_ms(row: dict[str, Any]) -> float:
    """What one item costs: the stored per-item median, else the call median over the
    items a call holds (models of different batch sizes rank by it, never per call)."""
    value = row.get("per_item_median_ms")
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    return row["latency"]["median_ms"] / row["extra"]["items_per_call"]


def rank_by_speed(rows: list[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
    """The rows with a latency, cheapest per item first (:func:`modelbench.ranking.rank`;
    equal costs share a ``speed_rank``, the better score first among them). Each row gets
    ``median_ms``, ``per_item_median_ms`` and ``speed_rank``/``speed_tied``.

    >>> rows = [{"label": "a", "score": 0.9, "latency": {"median_ms": 4.0},
    ...          "extra": {"items_per_call": 4}},
    ...         {"label": "b", "score": 0.8, "latency": {"median_ms": 2.0},
    ...          "extra": {"items_per_call": 1}}]
    >>> [(r["label"], r["per_item_median_ms"], r["speed_rank"]) for r in
    ...  rank_by_speed(rows, "accuracy")]
    [('a', 1.0, 1), ('b', 2.0, 2)]
    """
    timed = [r for r in rows if r.get("latency")]
    for row in timed:
        row.setdefault("median_ms", row["latency"]["median_ms"])
        row["per_item_median_ms"] = _per_item_ms(row)
    sign = -1.0 if higher_is_better(metric) else 1.0
    places = ranking.rank([r["per_item_median_ms"] for r in timed], higher_is_better=False,
                          tie_break=[(sign * (r.get("score_canonical") or r.get("score") or 0.0),
                                      r.get("label", "")) for r in timed])
    ordered = []
    for place in places:
        row = timed[place.index]
        row.update(speed_rank=place.rank, speed_tied=place.tied)
        ordered.append(row)
    return ordered


def compare_stored(store: Any, *, task: str | None, dataset: str | None, metric: str | None,
                   models: list[str], alpha: float = 0.05, margin: float = 0.02,
                   across_testbeds: bool = False) -> dict[str, Any]:
    """Rank the latest stored result of each model; run-level verdicts from stored samples.

    ``by_score`` (best first, canonical scale, equal scores share a ``rank``) and
    ``by_runtime`` (:func:`rank_by_speed`) are the orders a face draws. Results of other swept
    values (batch size, threads) are not compared with each other, nor results of different
    testbeds unless ``across_testbeds`` (``testbed_notes`` says so).
    """
    from ..measure.runner import cross_testbed_notes, speed_pairs

    results = latest_per_model(store, task, dataset, metric, models)
    metrics_seen = sorted({r.metric for r in results})
    if len(metrics_seen) > 1:
        raise ValidationError(f"the results use several metrics: {', '.join(metrics_seen)}",
                              hint="pick one with --metric")
    if len(results) < 2:
        raise ValidationError(f"found {len(results)} model(s) to compare; at least 2 are needed",
                              hint="widen --task/--dataset/--metric or measure more models")
    rows, by_id = [], {}
    for result in results:
        row = result.to_dict()
        row["label"] = f"{result.model_name} {result.model_version}".strip()
        row["extra"].setdefault("items_per_call", result.batch_size or result.n_items or 1)
        rows.append(row)
        by_id[result.id] = row
    by_score = []  # on the metric's canonical scale: a published 97.5 % is 0.975
    for rank, tied, value, result in rank_results(results):
        by_id[result.id].update(rank=rank, tied=tied, score_canonical=value)
        by_score.append(by_id[result.id])
    samples = {row["id"]: _sample_runs(store, row["samples_of"] if row.get("samples_of")
                                       else row["extra"].get("samples_of", row["id"]))
               for row in rows}
    by_speed = rank_by_speed(rows, metrics_seen[0])
    # the label already holds the version: blank it so the pair's label does not repeat it
    entries = [({**r, "model_name": r["label"], "model_version": ""}, samples[r["id"]],
                json.dumps(r.get("params") or {}, sort_keys=True, default=str))
               for r in by_speed if len(samples[r["id"]][0])]
    return {"metric": metrics_seen[0], "results": rows, "by_score": by_score,
            "by_runtime": by_speed,
            "comparison": speed_pairs(entries, margin=margin, alpha=alpha,
                                      across_testbeds=across_testbeds),
            "testbed_notes": [] if across_testbeds else
            cross_testbed_notes([e[0] for e in entries]),
            "without_samples": [r["label"] for r in rows if len(samples[r["id"]][0]) == 0]}
