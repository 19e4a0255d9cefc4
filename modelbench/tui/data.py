"""What the terminal UI shows, computed through the store contract only (no Textual here).

Every number on screen comes from :class:`~modelbench.store.base.DatabaseManager` methods:
``query_results``/``count_results`` (paged), ``distinct_values``, ``top_models``,
``model_history``, ``list_models``. Nothing here builds SQL, so the UI works on every backend.

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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .. import metrics
from ..numbers import format_duration
from ..records import BenchmarkResult, ModelMetadata
from ..store.base import DatabaseManager, ResultFilter

__all__ = [
    "StoreView", "ResultsPager", "Column", "RESULT_COLUMNS", "MODEL_COLUMNS", "TASK_COLUMNS",
    "SOURCE_COLUMNS", "LEADERBOARD_COLUMNS", "higher_is_better", "model_rows", "task_rows",
    "source_rows", "leaderboard_rows", "ModelDetails", "model_details", "fmt_score",
    "fmt_count", "fmt_time", "matches", "sort_rows", "fill_measured",
]

#: ``top_models`` limit meaning "all groups" (the contract has no unlimited form).
ALL = 1_000_000

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
    """The Results tab's fields of one result."""
    return {
        "id": result.id, "model_name": result.model_name, "task_type": result.task_type,
        "dataset": result.dataset, "metric": result.metric, "score": result.score,
        "source": result.source, "status": result.status,
        "p50": result.latency.p50_ms if result.latency else None,
        "timestamp": result.timestamp,
    }


# -- models -----------------------------------------------------------------------------------
def model_rows(view: StoreView, search: str = "") -> list[dict[str, Any]]:
    """One row per model: stored metadata, plus models that only have results.

    A model is listed when its name matches ``search`` or when any of its results matches
    (task, dataset, metric, source) — the store's ``ResultFilter.search``.
    """
    needle = search.strip()
    flt = ResultFilter(search=needle) if needle else None
    named = set(view.call("distinct_values", "model_name", flt))
    rows: dict[str, dict[str, Any]] = {}
    for meta in view.call("list_models"):
        if needle and meta.model_name not in named and needle.lower() not in (
                meta.model_name.lower() + " " + meta.task_type.lower()):
            continue
        rows.setdefault(meta.model_name, _meta_row(meta))
    for name in named - rows.keys():
        # Known only from results (measured here, or published without metadata).
        rows[name] = {"model_name": name, "task_type": "", "parameters": None,
                      "downloads": None, "likes": None, "framework": "", "source": "",
                      "license": ""}
    return sorted(rows.values(), key=lambda r: r["model_name"].lower())


def _meta_row(meta: ModelMetadata) -> dict[str, Any]:
    return {"model_name": meta.model_name, "task_type": meta.task_type,
            "parameters": meta.parameters, "downloads": meta.downloads, "likes": meta.likes,
            "framework": meta.framework, "source": meta.source, "license": meta.license}


# -- best score per (model, task, dataset, metric) ---------------------------------------------
Group = tuple[str, str, str, str]


def best_per_group(view: StoreView, *, source: str | None = None, task_type: str | None = None,
                   dataset: str | None = None, metric: str | None = None
                   ) -> dict[Group, dict[str, Any]]:
    """``top_models`` for every group, each with its best score in the metric's direction."""
    scope = {"source": source, "task_type": task_type, "dataset": dataset, "metric": metric}
    rows = view.call("top_models", limit=ALL, **scope)
    lower = sorted({r["metric"] for r in rows if not higher_is_better(r["metric"])})
    best = {_group(r): r for r in rows if higher_is_better(r["metric"])}
    for name in lower:
        scope["metric"] = name
        for row in view.call("top_models", limit=ALL, higher_is_better=False, **scope):
            best[_group(row)] = row
    return best


def _group(row: dict[str, Any]) -> Group:
    return (row["model_name"], row["task_type"], row["dataset"], row["metric"])


def _better(metric: str, a: float | None, b: float | None) -> bool:
    """Whether score ``a`` beats ``b`` for ``metric`` (a missing score never wins)."""
    if a is None:
        return False
    if b is None:
        return True
    return a > b if higher_is_better(metric) else a < b


# -- tasks / leaderboards ---------------------------------------------------------------------
def task_rows(view: StoreView) -> list[dict[str, Any]]:
    """One row per (task, dataset, metric): how many models, the best one, which sources."""
    boards: dict[tuple[str, str, str], dict[str, Any]] = {}
    for (model, task, dataset, metric), row in best_per_group(view).items():
        board = boards.setdefault((task, dataset, metric), {
            "task_type": task, "dataset": dataset, "metric": metric, "n_models": 0,
            "best_model": "", "best_score": None, "source_set": set(), "models": []})
        board["n_models"] += 1
        board["models"].append(model)
        board["source_set"].update(s for s in (row.get("sources") or "").split(",") if s)
        if _better(metric, row["best_score"], board["best_score"]):
            board["best_model"], board["best_score"] = model, row["best_score"]
    for board in boards.values():
        board["sources"] = ",".join(sorted(board.pop("source_set")))
        # So that filtering by a model name finds the leaderboards it is on.
        board["model_names"] = "\n".join(board.pop("models"))
    return sorted(boards.values(), key=lambda b: (b["task_type"], b["dataset"], b["metric"]))


def leaderboard_rows(view: StoreView, task_type: str, dataset: str, metric: str
                     ) -> list[dict[str, Any]]:
    """Models on one (task, dataset, metric): measured (``local``) and published side by side.

    Ranked by the better of the two numbers; ``best_measured``/``best_published`` mark the
    winners of each column.
    """
    sources = view.call("distinct_values", "source",
                        ResultFilter(task_type=task_type, dataset=dataset, metric=metric))
    models: dict[str, dict[str, Any]] = {}
    for source in sources:
        groups = best_per_group(view, source=source, task_type=task_type, dataset=dataset,
                                metric=metric)
        for (model, *_), row in groups.items():
            entry = models.setdefault(model, {"model_name": model, "measured": None,
                                              "published": None, "published_by": "",
                                              "latency": None, "n_results": 0})
            _merge_source(entry, source, row, metric)
    ranked = sorted(models.values(), key=lambda e: _rank_key(e, metric))
    _mark_best(ranked, metric)
    for rank, entry in enumerate(ranked, 1):
        entry["rank"] = rank
    return ranked


def _merge_source(entry: dict[str, Any], source: str, row: dict[str, Any], metric: str) -> None:
    entry["n_results"] += row["n_results"]
    if source == "local":
        entry["measured"] = row["best_score"]
        entry["latency"] = row.get("median_latency_ms")
    elif _better(metric, row["best_score"], entry["published"]):
        entry["published"], entry["published_by"] = row["best_score"], source


def _rank_key(entry: dict[str, Any], metric: str) -> tuple[int, float, str]:
    scores = [s for s in (entry["measured"], entry["published"]) if s is not None]
    if not scores:
        return (1, 0.0, entry["model_name"])
    best = max(scores) if higher_is_better(metric) else min(scores)
    return (0, -best if higher_is_better(metric) else best, entry["model_name"])


def _mark_best(entries: list[dict[str, Any]], metric: str) -> None:
    for column in ("measured", "published"):
        best = None
        for entry in entries:
            entry[f"best_{column}"] = False
            if _better(metric, entry[column], best):
                best = entry[column]
        for entry in entries:
            entry[f"best_{column}"] = best is not None and entry[column] == best


# -- sources: measured vs published -----------------------------------------------------------
def source_rows(view: StoreView) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Measured vs published per (model, task, dataset, metric), and results per source.

    Rows where both exist come first (they are the point of this view), then the rest.
    """
    counts = {s: view.call("count_results", ResultFilter(source=s))
              for s in view.call("distinct_values", "source")}
    pairs: dict[Group, dict[str, Any]] = {}
    for source in counts:
        for group, row in best_per_group(view, source=source).items():
            entry = pairs.setdefault(group, dict(zip(
                ("model_name", "task_type", "dataset", "metric"), group, strict=True),
                measured=None, published=None, published_by="", n_results=0))
            _merge_source(entry, source, row, group[3])
    for entry in pairs.values():
        both = entry["measured"] is not None and entry["published"] is not None
        entry["delta"] = entry["measured"] - entry["published"] if both else None
        entry["source"] = ",".join(filter(None, (
            "local" if entry["measured"] is not None else "", entry["published_by"])))
    rows = sorted(pairs.values(), key=lambda e: (e["delta"] is None, e["model_name"].lower(),
                                                 e["dataset"], e["metric"]))
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

    @property
    def latency_results(self) -> list[BenchmarkResult]:
        """Results that carry latency statistics, newest first."""
        return [r for r in self.results if r.latency is not None]


#: How many of a model's results the details screen lists (newest first).
DETAIL_RESULTS = 200


def model_details(view: StoreView, name: str, series_index: int = 0) -> ModelDetails:
    """Metadata, newest results, and the score history of one series (task, dataset, metric).

    Series are ordered by how many results they have; ``series_index`` picks one.
    """
    flt = ResultFilter(model_name=name)
    metadata = [m for m in view.call("list_models", search=name) if m.model_name == name]
    results = view.call("query_results", flt, limit=DETAIL_RESULTS)
    details = ModelDetails(name=name, metadata=metadata, results=results,
                           n_results=view.call("count_results", flt))
    details.series = _series(results)
    if details.series:
        details.series_index = series_index % len(details.series)
        task, dataset, metric, _ = details.series[details.series_index]
        details.history = view.call("model_history", name, metric=metric, task_type=task,
                                    dataset=dataset)
    return details


def _series(results: Iterable[BenchmarkResult]) -> list[Group]:
    counts = Counter((r.task_type, r.dataset, r.metric) for r in results
                     if r.score is not None or r.latency is not None)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(t, d, m, " / ".join(p for p in (t, d, m) if p) or "(unnamed)")
            for (t, d, m), _ in ordered]


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
