"""What the terminal UI shows, computed through the store contract only (no Textual here).

Results are paged straight from the store (``query_results``/``count_results``); leaderboards,
measured vs published, models and history come from :mod:`modelbench.analysis`, the ranking
the CLI and the report use. Nothing here builds SQL or ranks, so the UI works on every backend.

Example:
    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> _ = db.insert_result(BenchmarkResult(model_name="bert", metric="accuracy", score=0.9))
    >>> view = StoreView(db)
    >>> pager = ResultsPager(view, page_size=50)
    >>> pager.total(), [r.model_name for r in pager.page(0)]
    (1, ['bert'])
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .. import analysis, metrics
from ..numbers import format_duration
from ..records import BenchmarkResult, ModelMetadata
from ..store.base import DatabaseManager, ResultFilter

__all__ = [
    "StoreView", "ResultsPager", "Column", "RESULT_COLUMNS", "MODEL_COLUMNS", "TASK_COLUMNS",
    "SOURCE_COLUMNS", "LEADERBOARD_COLUMNS", "higher_is_better", "model_rows", "task_rows",
    "source_rows", "leaderboard_rows", "ModelDetails", "model_details", "fmt_score",
    "fmt_count", "fmt_time", "matches", "sort_rows", "fill_measured",
]

def higher_is_better(metric: str) -> bool:
    """Whether a bigger score is better for ``metric`` (the one rule, in :mod:`metrics`)."""
    return metrics.higher_is_better(metric)


class StoreView:
    """A store shared by the UI's worker threads: one call at a time.

    The SQLite backend is thread-safe already; server clients (psycopg, clickhouse-connect)
    are not promised to be, so every call goes through one lock.
    """

    def __init__(self, store: DatabaseManager) -> None:
        self.store = store
        self._lock = threading.Lock()

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """``store.<method>(*args, **kwargs)`` under the lock."""
        with self._lock:
            return getattr(self.store, method)(*args, **kwargs)

    def analyse(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """``function(store, *args, **kwargs)`` (an :mod:`modelbench.analysis` call) under
        the lock."""
        with self._lock:
            return function(self.store, *args, **kwargs)

    def describe(self) -> str:
        return self.store.describe()

    def close(self) -> None:
        """Close the store once running calls are done."""
        with self._lock:
            self.store.close()


# -- formatting --------------------------------------------------------------------------------
def fmt_score(value: float | None) -> str:
    """Compact score text: 4 significant digits, thousands grouped, blank for ``None``.

    >>> fmt_score(0.91234), fmt_score(88.5), fmt_score(12345.6), fmt_score(None)
    ('0.9123', '88.5', '12,346', '')
    """
    if value is None:
        return ""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def fmt_count(value: int | None) -> str:
    """Human count: ``110M``, ``1.2k``; blank for ``None``.

    >>> fmt_count(110_000_000), fmt_count(1234), fmt_count(7), fmt_count(None)
    ('110M', '1.2k', '7', '')
    """
    if value is None:
        return ""
    for size, unit in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "k")):
        if abs(value) >= size:
            text = f"{value / size:.1f}".removesuffix(".0")
            return f"{text}{unit}"
    return str(value)


def fmt_time(value: datetime | None) -> str:
    """``YYYY-MM-DD HH:MM`` in UTC; blank for ``None``."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


# -- columns and in-memory rows ----------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A table column: ``key`` names the row field; ``store_key`` the store column to sort by
    (paged tables); ``width`` the cells' width (longer text is cut with an ellipsis);
    ``kind`` how values are written: ``text``, ``score``, ``count``, ``time`` or ``duration``
    (milliseconds, written in the unit that suits them: ``228 ns``, ``3.2 ms``)."""

    key: str
    label: str
    width: int
    store_key: str | None = None
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in ("score", "count", "duration")

    def render(self, value: Any) -> str:
        """The cell text of ``value`` (without cutting to width).

        >>> Column("s", "Score", 8, kind="score").render(0.123456)
        '0.1235'
        >>> Column("p50", "p50", 8, kind="duration").render(0.000228)
        '228 ns'
        """
        if self.kind == "duration":
            return "" if value is None else format_duration(value)
        if self.kind == "score":
            return fmt_score(value)
        if self.kind == "count":
            return fmt_count(value)
        if self.kind == "time":
            return fmt_time(value)
        return "" if value is None else str(value)


RESULT_COLUMNS = (
    Column("model_name", "Model", 20, "model_name"),
    Column("task_type", "Task", 12, "task_type"),
    Column("dataset", "Dataset", 10, "dataset"),
    Column("metric", "Metric", 8, "metric"),
    Column("score", "Score", 7, "score", kind="score"),
    Column("source", "Source", 11, "source"),
    Column("p50", "p50", 8, "latency_p50_ms", kind="duration"),
    Column("status", "Status", 7, "status"),
    Column("timestamp", "When (UTC)", 16, "timestamp", kind="time"),
)
MODEL_COLUMNS = (
    Column("model_name", "Model", 24),
    Column("task_type", "Task", 14),
    Column("parameters", "Params", 6, kind="count"),
    Column("downloads", "Downloads", 9, kind="count"),
    Column("likes", "Likes", 6, kind="count"),
    Column("framework", "Framework", 10),
    Column("source", "Source", 11),
    Column("license", "License", 10),
)
TASK_COLUMNS = (
    Column("task_type", "Task", 14),
    Column("dataset", "Dataset", 12),
    Column("metric", "Metric", 9),
    Column("n_models", "Models", 6, kind="count"),
    Column("best_model", "Best model", 16),
    Column("best_score", "Best", 7, kind="score"),
    Column("sources", "Sources", 14),
)
SOURCE_COLUMNS = (
    Column("model_name", "Model", 18),
    Column("dataset", "Dataset", 10),
    Column("metric", "Metric", 8),
    Column("measured", "Measured", 8, kind="score"),
    Column("published", "Published", 9, kind="score"),
    Column("delta", "Δ", 7, kind="score"),
    Column("published_by", "Published by", 14),
    Column("task_type", "Task", 14),
)
LEADERBOARD_COLUMNS = (
    Column("rank", "#", 3, kind="count"),
    Column("model_name", "Model", 24),
    Column("measured", "Measured", 10, kind="score"),
    Column("published", "Published", 10, kind="score"),
    Column("published_by", "Published by", 14),
    Column("latency", "p50", 8, kind="duration"),
    Column("n_results", "n", 4, kind="count"),
)

#: Row fields the filter box matches in in-memory tables (the same fields as the store's
#: ``ResultFilter.search``: model, task, dataset, metric, source).
SEARCH_FIELDS = ("model_name", "task_type", "dataset", "metric", "source", "sources",
                 "best_model", "published_by", "model_names")


def matches(row: dict[str, Any], search: str) -> bool:
    """Case-insensitive substring match of ``search`` in the row's searchable fields.

    >>> matches({"model_name": "BERT-base", "dataset": "sst2"}, "bert")
    True
    """
    needle = search.strip().lower()
    if not needle:
        return True
    return any(needle in str(row.get(f) or "").lower() for f in SEARCH_FIELDS)


def sort_rows(rows: list[dict[str, Any]], key: str, descending: bool) -> list[dict[str, Any]]:
    """Rows sorted by ``key``; blanks always last, whichever the direction.

    >>> [r["s"] for r in sort_rows([{"s": 1}, {"s": None}, {"s": 3}], "s", True)]
    [3, 1, None]
    """
    present = [r for r in rows if r.get(key) not in (None, "")]
    blank = [r for r in rows if r.get(key) in (None, "")]

    def value(row: dict[str, Any]) -> Any:
        v = row[key]
        return v.lower() if isinstance(v, str) else v

    try:
        present.sort(key=value, reverse=descending)
    except TypeError:  # mixed types in one column: compare as text
        present.sort(key=lambda r: str(r[key]).lower(), reverse=descending)
    return present + blank


# -- results (paged through the store) ---------------------------------------------------------
class ResultsPager:
    """Pages of results for a search and an order, straight from ``query_results``.

    Never loads more than one page per call; the Results tab asks for the next page when the
    cursor nears the end of what it holds.
    """

    def __init__(self, view: StoreView, page_size: int = 100) -> None:
        self.view = view
        self.page_size = page_size
        self.search = ""
        self.order_by = "timestamp"
        self.descending = True

    def _filter(self) -> ResultFilter | None:
        return ResultFilter(search=self.search) if self.search.strip() else None

    def total(self) -> int:
        """How many results match the current search."""
        return self.view.call("count_results", self._filter())

    def page(self, offset: int) -> list[BenchmarkResult]:
        """One page of results starting at ``offset``."""
        return self.view.call("query_results", self._filter(), order_by=self.order_by,
                              descending=self.descending, limit=self.page_size, offset=offset)


def result_row(result: BenchmarkResult) -> dict[str, Any]:
    """The Results tab's fields of one result; the score on the metric's canonical scale
    (one form per metric on a screen: a published 97.2 % shows as 0.972)."""
    scored = analysis.from_result(result)
    return {
        "id": result.id, "model_name": result.model_name, "task_type": result.task_type,
        "dataset": result.dataset, "metric": result.metric,
        "score": scored.value if scored is not None else result.score,
        "source": result.source, "status": result.status,
        "p50": result.latency.p50_ms if result.latency else None,
        "timestamp": result.timestamp,
    }


# -- models -----------------------------------------------------------------------------------
def model_rows(view: StoreView, search: str = "") -> list[dict[str, Any]]:
    """One row per model: stored metadata and published properties (parameter counts,
    FLOPs), plus models that only have results (:func:`modelbench.analysis.model_rows`)."""
    return view.analyse(analysis.model_rows, search)


# -- leaderboards, measured vs published: all from modelbench.analysis ------------------------
Group = tuple[str, str, str, str]


def direction_label(metric: str) -> str:
    """``higher is better`` / ``lower is better``, with ``(direction guessed)`` when it was."""
    record = metrics.info(metric)
    text = f"{record.direction or 'higher'} is better"
    return f"{text} (direction guessed)" if record.guessed else text


def _boards(view: StoreView, flt: ResultFilter | None = None) -> list[analysis.Board]:
    return view.analyse(analysis.leaderboards, flt)


def task_rows(view: StoreView) -> list[dict[str, Any]]:
    """One row per leaderboard (task, dataset, config, split, metric): its size, best model,
    sources."""
    rows = []
    for board in _boards(view):
        key = board.key
        best = board.entries[0] if board.entries else None
        rows.append({"task_type": key.task_type,
                     "dataset": "/".join(p for p in (key.dataset, key.dataset_config) if p),
                     "dataset_name": key.dataset, "dataset_config": key.dataset_config,
                     "dataset_split": key.dataset_split, "metric": key.metric,
                     "n_models": len(board.entries),
                     "best_model": best.label if best else "",
                     "best_score": best.value if best else None,
                     "sources": ",".join(board.sources),
                     "direction": board.direction_label,
                     # So that filtering by a model name finds the leaderboards it is on.
                     "model_names": "\n".join(e.model_name for e in board.entries)})
    return rows


def leaderboard_rows(view: StoreView, task_type: str, dataset: str, metric: str,
                     dataset_config: str = "", dataset_split: str = "") -> list[dict[str, Any]]:
    """Models on one leaderboard: measured (``local``) and published side by side, ranked by
    :mod:`modelbench.analysis` (the CLI's and the report's ranking).

    ``best_measured``/``best_published`` mark the winners of each column.
    """
    flt = ResultFilter(task_type=task_type, dataset=dataset, metric=metric)
    wanted = analysis.BoardKey(task_type, dataset, dataset_config, dataset_split, metric)
    boards = [b for b in _boards(view, flt) if b.key == wanted]
    if not boards:
        return []
    board = boards[0]
    rows = []
    for entry in board.entries:
        # model_name is what the row shows (with its batch size); name opens the model.
        rows.append({"rank": entry.rank, "tied": entry.tied, "model_name": entry.label,
                     "name": entry.model_name, "batch_size": entry.batch_size,
                     "measured": entry.measured, "published": entry.published,
                     "published_by": entry.published_by, "latency": entry.latency_ms,
                     "n_results": entry.n_results})
    for column in ("measured", "published"):
        best = board.best(column)  # the analysis layer's ranking, not the face's
        for row in rows:
            row[f"best_{column}"] = best is not None and row[column] == best
    return rows


def source_rows(view: StoreView) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Measured vs published per model and leaderboard (Δ on the canonical scale), and the
    number of results per source. Rows where both exist come first."""
    counts = view.call("count_values", "source")
    rows = []
    for row in analysis.measured_vs_published(_boards(view)):
        row["source"] = ",".join(filter(None, (
            "local" if row["measured"] is not None else "", row["published_by"])))
        rows.append(row)
    return rows, counts


# -- one model --------------------------------------------------------------------------------
@dataclass
class ModelDetails:
    """Everything the details screen shows about one model."""

    name: str
    metadata: list[ModelMetadata]
    results: list[BenchmarkResult]
    n_results: int
    series: list[Group] = field(default_factory=list)  # (task, dataset, metric, label) choices
    history: list[dict[str, Any]] = field(default_factory=list)
    series_index: int = 0
    changes: list[str] = field(default_factory=list)  # change points, described

    @property
    def latency_results(self) -> list[BenchmarkResult]:
        """Results that carry latency statistics, newest first."""
        return [r for r in self.results if r.latency is not None
                and not analysis.is_serving_result(r)]

    @property
    def serving_results(self) -> list[BenchmarkResult]:
        """Serving scenario cells (TTFT/TPOT/ITL/E2E series), newest first."""
        return [r for r in self.results if analysis.is_serving_result(r)]


#: How many of a model's results the details screen lists (newest first).
DETAIL_RESULTS = 200


def model_details(view: StoreView, name: str, series_index: int = 0) -> ModelDetails:
    """Metadata, newest results, and the history of one series (task, dataset, config, split,
    metric, batch size — never averaged across them) with its change points.

    Series are ordered by how many results they have; ``series_index`` picks one.
    """
    flt = ResultFilter(model_name=name)
    metadata = [m for m in view.call("list_models", search=name) if m.model_name == name]
    results = view.call("query_results", flt, limit=DETAIL_RESULTS)
    details = ModelDetails(name=name, metadata=metadata, results=results,
                           n_results=view.call("count_results", flt))
    series = view.analyse(analysis.history, name)
    details.series = [(s.task_type, s.dataset, s.metric, s.label) for s in series]
    if series:
        details.series_index = series_index % len(series)
        chosen = series[details.series_index]
        details.history = [{"timestamp": p.timestamp, "score": p.score, "id": p.id,
                            "latency_median_ms": p.latency_ms} for p in chosen.points]
        details.changes = [c.describe() for c in chosen.changes]
    return details


def history_values(history: Sequence[dict[str, Any]], key: str) -> list[float]:
    """The non-missing values of ``key`` (``score`` or ``latency_median_ms``), oldest first."""
    return [float(h[key]) for h in history if h.get(key) is not None]


def apply(rows: list[dict[str, Any]], search: str, key: str | None,
          descending: bool) -> list[dict[str, Any]]:
    """Filter then sort in-memory rows (``key=None`` keeps the given order)."""
    kept = [r for r in rows if matches(r, search)]
    return sort_rows(kept, key, descending) if key else kept


def fill_measured(view: StoreView, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Models known only from results measured here get what the measurements say: their
    task(s) and ``source`` ``local`` (a Models row is more than a bare name).

    Only measured models are looked up (few; published ones without metadata may be many).
    """
    bare = {r["model_name"] for r in rows if not r.get("task_type") and not r.get("source")}
    if not bare:
        return rows
    measured = bare & set(view.call("distinct_values", "model_name",
                                    ResultFilter(source="local")))
    for row in rows:
        name = row["model_name"]
        if name in measured:
            tasks = view.call("distinct_values", "task_type",
                              ResultFilter(model_name=name, source="local"))
            row["task_type"] = ", ".join(t for t in tasks if t)
            row["source"] = "local"
    return rows
