"""Serving results as curves: latency percentiles and throughput against load.

A serving result (``modelbench serve`` or a serving plan) has ``params.scenario`` and the
named series ``ttft``/``tpot``/``itl``/``e2e`` in ``series_stats``. Results of one model,
version, prompt set and kind of load (closed-loop concurrency, or open-loop rate with its
arrival process and cap) form a curve; its points are ordered by load, and when one load was
measured more than once the newest result is the point. The faces only draw these rows.

Example:
    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult as R
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> stats = {"ttft": {"median_ms": 20.0, "p90_ms": 25.0, "p99_ms": 30.0, "n_samples": 8}}
    >>> _ = db.insert_results([R(model_name="llm", task_type="text-generation", dataset="p",
    ...     params={"scenario": "concurrency", "concurrency": c}, series_stats=stats,
    ...     extra={"requests_per_s": 10.0 * c, "output_tokens_per_s": 100.0 * c})
    ...     for c in (4, 1)])
    >>> curve = serving_curves(db)[0]
    >>> curve.axis, [p.load for p in curve.points], curve.points[0].latency["ttft"]["p99"]
    ('concurrency', [1.0, 4.0], 30.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..records import BenchmarkResult
from ..store import DatabaseManager, ResultFilter

__all__ = ["SERVING_SERIES", "ServingPoint", "ServingCurve", "serving_curves",
           "serving_results", "is_serving_result", "series_rows"]

SERVING_SERIES = ("ttft", "tpot", "itl", "e2e")
_PERCENTILES = {"p50": "median_ms", "p90": "p90_ms", "p99": "p99_ms"}


def is_serving_result(result: BenchmarkResult) -> bool:
    """True for a result measured by a serving scenario (it has TTFT or E2E series)."""
    return bool((result.params or {}).get("scenario")) and any(
        name in (result.series_stats or {}) for name in ("ttft", "e2e"))


@dataclass
class ServingPoint:
    """One scenario cell: its load, throughput, goodput and latency percentiles (ms)."""

    load: float
    result_id: str
    requests_per_s: float | None
    output_tokens_per_s: float | None
    goodput: float | None
    error_rate: float | None
    latency: dict[str, dict[str, float | None]]  # series -> p50/p90/p99 in ms


@dataclass
class ServingCurve:
    """Points of one model under one kind of load, ordered by load."""

    model_name: str
    model_version: str
    dataset: str
    axis: str  # concurrency | rate
    load_kind: str  # e.g. "concurrency" or "rate poisson cap=32"
    points: list[ServingPoint] = field(default_factory=list)

    @property
    def label(self) -> str:
        version = f" {self.model_version}" if self.model_version else ""
        return f"{self.model_name}{version} · {self.dataset} · {self.load_kind}"


def serving_results(store: DatabaseManager, flt: ResultFilter | None = None, *,
                    limit: int = 2000) -> list[BenchmarkResult]:
    """Serving results matching ``flt``, newest first."""
    return [r for r in store.query_results(flt, limit=limit) if is_serving_result(r)]


def _axis(params: dict[str, Any]) -> tuple[str, str, float] | None:
    kind = params.get("scenario")
    if kind in ("concurrency", "single-stream"):
        return "concurrency", "concurrency", float(params.get("concurrency") or 1)
    if kind == "rate" and params.get("rate"):
        shape = f" burstiness={params['burstiness']:g}" if "burstiness" in params else ""
        cap = f" cap={params['max_concurrency']}" if params.get("max_concurrency") else ""
        return "rate", f"rate {params.get('arrival', '')}{shape}{cap}", float(params["rate"])
    return None  # offline: one point, no load axis


def _point(result: BenchmarkResult, load: float) -> ServingPoint:
    extra = result.extra or {}
    latency = {name: {p: (result.series_stats[name] or {}).get(key)
                      for p, key in _PERCENTILES.items()}
               for name in SERVING_SERIES if name in result.series_stats}
    return ServingPoint(load=load, result_id=result.id, latency=latency,
                        requests_per_s=extra.get("requests_per_s"),
                        output_tokens_per_s=extra.get("output_tokens_per_s"),
                        goodput=extra.get("goodput"), error_rate=extra.get("error_rate"))


def serving_curves(store: DatabaseManager, flt: ResultFilter | None = None
                   ) -> list[ServingCurve]:
    """One :class:`ServingCurve` per model/version/prompt set/kind of load."""
    curves: dict[tuple[str, ...], ServingCurve] = {}
    seen: set[tuple[Any, ...]] = set()
    for result in serving_results(store, flt):  # newest first: the first at a load wins
        where = _axis(result.params or {})
        if where is None:
            continue
        axis, load_kind, load = where
        key = (result.model_name, result.model_version, result.dataset, axis, load_kind)
        if (*key, load) in seen:
            continue
        seen.add((*key, load))
        curve = curves.setdefault(key, ServingCurve(result.model_name, result.model_version,
                                                    result.dataset, axis, load_kind))
        curve.points.append(_point(result, load))
    for curve in curves.values():
        curve.points.sort(key=lambda p: p.load)
    return sorted(curves.values(), key=lambda c: (c.dataset, c.axis, c.load_kind, c.model_name,
                                                  c.model_version))


def series_rows(result: BenchmarkResult) -> list[dict[str, Any]]:
    """The named serving series of one result as rows (n, median, p90, p99, mean, min, max
    in ms), in the order ttft, tpot, itl, e2e.

    >>> r = BenchmarkResult(model_name="m", series_stats={"e2e": {"n_samples": 2,
    ...     "median_ms": 5.0}, "ttft": {"n_samples": 2, "median_ms": 1.0}})
    >>> [(row["series"], row["median_ms"]) for row in series_rows(r)]
    [('ttft', 1.0), ('e2e', 5.0)]
    """
    rows = []
    for name in SERVING_SERIES:
        stats = (result.series_stats or {}).get(name)
        if stats:
            rows.append({"series": name, "n": stats.get("n_samples"),
                         **{k: stats.get(k) for k in ("median_ms", "p90_ms", "p99_ms",
                                                      "mean_ms", "min_ms", "max_ms")}})
    return rows
