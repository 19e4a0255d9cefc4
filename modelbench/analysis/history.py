"""A model's history: one series per task, dataset (+ config), split, metric and batch size,
never averaged across them, with the change points :func:`modelbench.stats.change_points`
finds and the environment fields that changed across each one.

Example:
    >>> from datetime import datetime, timedelta, UTC
    >>> from modelbench.records import BenchmarkResult as R
    >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
    >>> runs = [R(model_name="m", dataset="d", metric="accuracy", score=s,
    ...           timestamp=t0 + timedelta(days=i), environment={"python": p})
    ...         for i, (s, p) in enumerate([(0.90, "3.11")] * 4 + [(0.80, "3.12")] * 4)]
    >>> [series] = build_series(runs)
    >>> change = series.changes[0]
    >>> change.what, change.before_value, change.after_value, change.changed
    ('score', 0.9, 0.8, {'python': ('3.11', '3.12')})
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .. import metrics, stats
from ..records import BenchmarkResult
from .scores import from_result

__all__ = ["Point", "ChangePoint", "Series", "history", "build_series", "fingerprint_diff",
           "FINGERPRINT_FIELDS"]

#: Environment fields compared across a change point (packages compared one by one).
FINGERPRINT_FIELDS = ("cpu_model", "physical_cores", "logical_cores", "ram_gb", "gpus", "os",
                      "kernel", "machine", "python", "python_implementation", "hostname",
                      "packages")
#: Result fields that are part of the fingerprint too (schema v2 records git state).
_RESULT_FIELDS = ("git_commit", "git_branch", "git_dirty", "threads")


@dataclass
class Point:
    """One run in a series."""

    id: str
    timestamp: datetime
    score: float | None  # on the metric's canonical scale
    latency_ms: float | None
    source: str
    env_hash: str
    git_commit: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ChangePoint:
    """Where a series' level shifts: ``what`` (``score``/``latency_ms``), the runs either
    side, the levels (medians of the segments either side) and the fingerprint fields that
    differ between the two runs (``field -> (before, after)``)."""

    what: str
    index: int
    before: Point
    after: Point
    before_value: float
    after_value: float
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"what": self.what, "index": self.index, "before": self.before.as_dict(),
                "after": self.after.as_dict(), "before_value": self.before_value,
                "after_value": self.after_value,
                "changed": {k: list(v) for k, v in self.changed.items()}}

    def describe(self) -> str:
        """One line: level before → after, between which runs, what changed."""
        fields = ", ".join(f"{k} {_short(a)} → {_short(b)}" for k, (a, b) in
                           self.changed.items()) or "no fingerprint field changed"
        return (f"{self.what} {self.before_value:.4g} → {self.after_value:.4g} between "
                f"{self.before.id[:8]} ({self.before.timestamp:%Y-%m-%d %H:%M}) and "
                f"{self.after.id[:8]} ({self.after.timestamp:%Y-%m-%d %H:%M}): {fields}")


def _short(value: Any) -> str:
    text = "-" if value is None or value == "" else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass
class Series:
    """The runs of one model on one task/dataset/config/split/metric/batch size, oldest first."""

    model_name: str
    task_type: str
    dataset: str
    dataset_config: str
    dataset_split: str
    metric: str
    batch_size: int | None
    points: list[Point]
    changes: list[ChangePoint] = field(default_factory=list)

    @property
    def label(self) -> str:
        dataset = "/".join(p for p in (self.dataset, self.dataset_config) if p)
        parts = [p for p in (self.task_type, dataset, self.dataset_split, self.metric) if p]
        if self.batch_size is not None:
            parts.append(f"bs {self.batch_size}")
        return " / ".join(parts) or "(unnamed)"

    def values(self, what: str) -> list[float]:
        """The non-missing values of ``score`` or ``latency_ms``, oldest first."""
        return [float(getattr(p, what)) for p in self.points if getattr(p, what) is not None]

    def buckets(self, seconds: int) -> list[dict[str, Any]]:
        """The points grouped into time buckets of ``seconds`` (within this series only):
        ``bucket`` start, ``n``, ``score_mean/min/max``, ``latency_median_ms`` (median)."""
        from datetime import UTC, datetime

        groups: dict[int, list[Point]] = {}
        for p in self.points:
            start = int(p.timestamp.timestamp()) // seconds * seconds
            groups.setdefault(start, []).append(p)
        out = []
        for start in sorted(groups):
            members = groups[start]
            values = [p.score for p in members if p.score is not None]
            latency = [p.latency_ms for p in members if p.latency_ms is not None]
            out.append({"bucket": datetime.fromtimestamp(start, tz=UTC), "n": len(members),
                        "score_mean": statistics.fmean(values) if values else None,
                        "score_min": min(values) if values else None,
                        "score_max": max(values) if values else None,
                        "latency_median_ms": statistics.median(latency) if latency else None})
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "task_type": self.task_type,
                "dataset": self.dataset, "dataset_config": self.dataset_config,
                "dataset_split": self.dataset_split, "metric": self.metric,
                "batch_size": self.batch_size, "label": self.label,
                "points": [p.as_dict() for p in self.points],
                "changes": [c.as_dict() for c in self.changes]}


def fingerprint_diff(before: BenchmarkResult, after: BenchmarkResult
                     ) -> dict[str, tuple[Any, Any]]:
    """Fingerprint fields that differ between two runs (``packages.numpy`` one by one).

    >>> a = BenchmarkResult(model_name="m", environment={"python": "3.11",
    ...                                                   "packages": {"numpy": "2.1"}})
    >>> b = BenchmarkResult(model_name="m", environment={"python": "3.11",
    ...                                                   "packages": {"numpy": "2.2"}})
    >>> fingerprint_diff(a, b)
    {'packages.numpy': ('2.1', '2.2')}
    """
    changed: dict[str, tuple[Any, Any]] = {}
    env_a, env_b = before.environment or {}, after.environment or {}
    for name in FINGERPRINT_FIELDS:
        a, b = env_a.get(name), env_b.get(name)
        if name == "packages" and isinstance(a, dict) and isinstance(b, dict):
            for package in sorted(set(a) | set(b)):
                if a.get(package) != b.get(package):
                    changed[f"packages.{package}"] = (a.get(package), b.get(package))
        elif a != b:
            changed[name] = (a, b)
    for name in _RESULT_FIELDS:
        a, b = getattr(before, name, None), getattr(after, name, None)
        if a != b:
            changed[name] = (a, b)
    return changed


def _point(result: BenchmarkResult) -> Point:
    score = from_result(result)
    return Point(id=result.id, timestamp=result.timestamp,
                 score=score.value if score is not None else None,
                 latency_ms=result.latency.median_ms if result.latency else None,
                 source=result.source, env_hash=result.env_hash,
                 git_commit=str(getattr(result, "git_commit", "") or ""))


def _changes(points: list[Point], runs: list[BenchmarkResult], what: str) -> list[ChangePoint]:
    indexed = [(i, getattr(p, what)) for i, p in enumerate(points) if getattr(p, what) is not None]
    if len(indexed) < 6:  # change_points needs at least two segments of three
        return []
    values = [float(v) for _, v in indexed]
    cuts = stats.change_points(values)
    bounds = [0, *cuts, len(values)]
    out = []
    for n, cut in enumerate(cuts, 1):
        left, right = values[bounds[n - 1]:cut], values[cut:bounds[n + 1]]
        i_before, i_after = indexed[cut - 1][0], indexed[cut][0]
        out.append(ChangePoint(what, i_after, points[i_before], points[i_after],
                               statistics.median(left), statistics.median(right),
                               fingerprint_diff(runs[i_before], runs[i_after])))
    return out


def build_series(results: Iterable[BenchmarkResult]) -> list[Series]:
    """Group a model's results into series (never mixing datasets, metrics or batch sizes),
    oldest first, with the change points of score and of median latency."""
    groups: dict[tuple, list[BenchmarkResult]] = {}
    for r in results:
        if r.status != "ok" or (r.score is None and r.latency is None):
            continue
        if r.metric and not metrics.info(r.metric).ranked:
            continue  # a parameter count is not a history
        key = (r.model_name, r.task_type, r.dataset, str(getattr(r, "dataset_config", "") or ""),
               r.dataset_split, r.metric, r.batch_size)
        groups.setdefault(key, []).append(r)
    out = []
    for key in sorted(groups, key=lambda k: (-len(groups[k]), tuple(str(x) for x in k))):
        runs = sorted(groups[key], key=lambda r: (r.timestamp, r.id))
        points = [_point(r) for r in runs]
        series = Series(*key, points=points)
        series.changes = _changes(points, runs, "score") + _changes(points, runs, "latency_ms")
        out.append(series)
    return out


def history(store: Any, model_name: str, *, metric: str | None = None,
            task_type: str | None = None, dataset: str | None = None) -> list[Series]:
    """The series of one model in a store, most runs first."""
    from ..store import ResultFilter

    flt = ResultFilter(model_name=model_name, metric=metric, task_type=task_type,
                       dataset=dataset, status="ok")
    return build_series(store.query_results(flt, order_by="timestamp", descending=False))
