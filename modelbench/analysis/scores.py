"""Stored results as scores on one scale: the rows every leaderboard, Δ and Pareto front use.

A stored result keeps its printed form and (schema v2) its value on the metric's canonical
scale. Results stored before that have no canonical value; it is worked out here from the
score and what was printed, by the same rule :mod:`modelbench.ingest` applies.

Example:
    >>> from modelbench.records import BenchmarkResult
    >>> s = from_result(BenchmarkResult(model_name="m", metric="accuracy", score=97.2,
    ...                                 source="web", extra={"raw": "97.2%"}))
    >>> s.value, s.rule
    (0.972, 'percent -> fraction (printed with %)')
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .. import metrics
from ..metrics import MetricInfo
from ..records import BenchmarkResult

__all__ = ["Score", "scores", "board_scores", "from_row", "from_group", "from_result",
           "SCORE_COLUMNS", "printed_of", "canonical_of"]

#: The columns a score needs (those the schema has: v1 stores lack the canonical ones).
_WANTED = ("id", "timestamp", "model_name", "model_version", "task_type", "dataset",
           "dataset_config", "dataset_split", "metric", "score", "score_canonical",
           "score_printed", "quality_flag", "source", "status", "batch_size",
           "latency_median_ms", "extra")


def _schema_columns() -> tuple[str, ...]:
    from ..store.schema import column_names

    have = set(column_names("model_benchmarks"))
    return tuple(c for c in _WANTED if c in have)


SCORE_COLUMNS = _schema_columns()


@dataclass(frozen=True)
class Score:
    """One scored result: its value on the metric's canonical scale and where it came from."""

    id: str
    model_name: str
    task_type: str
    dataset: str
    dataset_config: str
    dataset_split: str
    metric: str
    value: float
    raw: float
    printed: str
    source: str
    batch_size: int | None
    latency_ms: float | None
    timestamp: datetime | None
    info: MetricInfo
    flag: str = ""
    rule: str = ""
    model_version: str = ""
    #: How many results this score stands for: 1, or a group the store aggregated (its best
    #: value, with ``latency_ms`` the median of ``n_latency`` measured latencies).
    n_results: int = 1
    n_latency: int | None = None

    @property
    def latency_count(self) -> int:
        """How many latencies ``latency_ms`` summarises (0 without one)."""
        if self.n_latency is not None:
            return self.n_latency
        return 0 if self.latency_ms is None else 1

    @property
    def measured(self) -> bool:
        return self.source == "local"


def printed_of(score: float | None, extra: dict[str, Any], stored: str = "") -> str | None:
    """What was printed for a value: the stored form, the page's text, or a bare percent sign."""
    if stored:
        return stored
    if extra.get("raw"):
        return str(extra["raw"])
    if extra.get("percent"):
        return f"{score}%"
    return None


def _extra(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        data = json.loads(value or "{}")
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def from_row(row: dict[str, Any]) -> Score | None:
    """A :class:`Score` from a plain store row, or ``None`` when it has no usable score."""
    raw = row.get("score")
    if raw is None or (row.get("status") or "ok") != "ok" or not row.get("metric"):
        return None
    record = metrics.info(row["metric"])
    canonical, rule = row.get("score_canonical"), ""
    extra: dict[str, Any] | None = None
    if canonical is None:  # stored before schema v2: apply the ingest rule now
        extra = _extra(row.get("extra"))
        canonical, rule = metrics.canonical_value(
            row["metric"], float(raw), printed_of(raw, extra, row.get("score_printed") or ""),
            printed_name=str(extra.get("metric_name") or ""))
    flag = row.get("quality_flag") or metrics.range_flag(row["metric"], float(canonical))
    printed = row.get("score_printed") or ""
    if not printed and extra is not None:
        printed = printed_of(raw, extra) or ""
    batch = row.get("batch_size")
    return Score(
        id=str(row.get("id") or ""), model_name=str(row.get("model_name") or ""),
        task_type=str(row.get("task_type") or ""), dataset=str(row.get("dataset") or ""),
        dataset_config=str(row.get("dataset_config") or ""),
        dataset_split=str(row.get("dataset_split") or ""), metric=str(row["metric"]),
        value=float(canonical), raw=float(raw), printed=printed,
        source=str(row.get("source") or ""), batch_size=None if batch is None else int(batch),
        latency_ms=row.get("latency_median_ms"), timestamp=row.get("timestamp"), info=record,
        flag=flag, rule=rule, model_version=str(row.get("model_version") or ""))


def canonical_of(row: dict[str, Any]) -> tuple[float | None, str, str]:
    """``(canonical value, quality flag, printed form)`` of a stored row that has no
    canonical value (schema v1), by the rule :mod:`modelbench.ingest` applies: what the
    store keeps once (``fill_canonical``).

    >>> canonical_of({"metric": "accuracy", "score": 97.2, "extra": '{"raw": "97.2%"}'})
    (0.972, '', '97.2%')
    """
    raw, metric = row.get("score"), row.get("metric")
    if raw is None or not metric:
        return None, "", ""
    extra = _extra(row.get("extra"))
    printed = printed_of(raw, extra, row.get("score_printed") or "")
    value, _ = metrics.canonical_value(metric, float(raw), printed,
                                       printed_name=str(extra.get("metric_name") or ""))
    flag = row.get("quality_flag") or metrics.range_flag(metric, float(value))
    return value, flag, printed or ""


def from_group(group: dict[str, Any]) -> Score:
    """A :class:`Score` standing for a group the store aggregated (``score_groups``)."""
    batch = group.get("batch_size")
    return Score(
        id=str(group.get("best_id") or ""), model_name=str(group.get("model_name") or ""),
        task_type=str(group.get("task_type") or ""), dataset=str(group.get("dataset") or ""),
        dataset_config=str(group.get("dataset_config") or ""),
        dataset_split=str(group.get("dataset_split") or ""), metric=str(group["metric"]),
        value=float(group["value"]), raw=float(group.get("raw") or group["value"]),
        printed=str(group.get("printed") or ""), source=str(group.get("source") or ""),
        batch_size=None if batch is None else int(batch), latency_ms=group.get("latency_ms"),
        timestamp=None, info=metrics.info(group["metric"]),
        model_version=str(group.get("model_version") or ""),
        n_results=int(group["n_results"]), n_latency=int(group.get("n_latency") or 0))


def board_scores(store: Any, flt: Any = None, *, direction: str | None = None) -> list[Score]:
    """The scores a leaderboard needs, aggregated by the store where it can (one row per
    board, model, batch size and source: its best value and count) plus the results it could
    not aggregate (flagged ones, one by one). Rows still without a canonical value (migrated
    from schema v1) get it stored once, so later reads do not work it out again.

    ``direction`` (``"higher"``/``"lower"``) overrides the registry's for every metric.

    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult as R
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> _ = db.insert_results([R(model_name="m", metric="accuracy", score=s, source="web",
    ...                          extra={"raw": f"{s}%"}) for s in (97.2, 91.0)])
    >>> [(s.model_name, s.value, s.n_results) for s in board_scores(db)]
    [('m', 0.972, 2)]
    """
    @functools.cache
    def is_lower(metric: str) -> bool:
        if direction in ("higher", "lower"):
            return direction == "lower"
        return not metrics.info(metric).higher_is_better

    groups, loose = store.score_groups(flt, is_lower, SCORE_COLUMNS)
    if any(row.get("score_canonical") is None for row in loose) and \
            "score_canonical" in SCORE_COLUMNS:
        from ..errors import StoreError

        try:
            if store.fill_canonical(canonical_of, SCORE_COLUMNS):
                groups, loose = store.score_groups(flt, is_lower, SCORE_COLUMNS)
        except StoreError:  # a read-only store: work the values out on every read instead
            pass
    return [*map(from_group, groups), *filter(None, map(from_row, loose))]


def from_result(result: BenchmarkResult) -> Score | None:
    """A :class:`Score` from a result record (``None`` without a usable score)."""
    row = result.to_row()
    row["extra"] = result.extra
    return from_row(row)


def scores(store: Any, flt: Any = None) -> list[Score]:
    """Every scored ``ok`` result matching ``flt`` (a :class:`ResultFilter`), as scores.

    Reads only the columns a score needs (``store.select_columns``), so a leaderboard over
    100,000 results does not build 100,000 full records.
    """
    from dataclasses import replace

    from ..store import ResultFilter

    flt = replace(flt, status="ok") if flt is not None else ResultFilter(status="ok")
    rows = store.select_columns(SCORE_COLUMNS, flt)
    return [s for s in map(from_row, rows) if s is not None]
