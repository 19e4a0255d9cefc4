"""The contract every storage backend keeps (SQLite, ClickHouse, TimescaleDB/PostgreSQL).

A backend subclasses :class:`DatabaseManager` and implements the abstract methods. The contract
test suite (``tests/store/test_contract.py``) runs in full against every backend.

Rules every backend keeps:
  * ``setup()`` is idempotent and brings an older schema up to :data:`schema.SCHEMA_VERSION`.
  * Every statement is parameterised; column names only ever come from :mod:`.schema`.
  * Results are validated (:meth:`BenchmarkResult.validate`) before any row is written; a batch
    with one invalid result writes nothing and raises :class:`ValidationError`.
  * Connection failures raise :class:`StoreUnavailableError` naming the host (never the password);
    other database failures raise :class:`StoreError`.
  * Timestamps go in and come out as timezone-aware UTC ``datetime``.

Example:
    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult
    >>> db = get_database_manager("sqlite", path=":memory:")
    >>> db.setup()
    >>> rid = db.insert_result(BenchmarkResult(model_name="m", metric="accuracy", score=0.9))
    >>> db.get_result(rid).score
    0.9
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import statistics
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelBenchError, StoreError, ValidationError
from ..records import BenchmarkResult, DatasetMetadata, ModelMetadata
from .samples import sample_items
from .schema import TABLES, column_names

log = logging.getLogger("modelbench.store")

__all__ = ["redact_secrets", "DatabaseManager", "ResultFilter", "ORDERABLE_COLUMNS",
           "parse_bucket", "filter_conditions", "check_columns", "sample_items", "item_rows",
           "GROUP_KEYS"]

#: What to do about a store without the schema (:class:`~modelbench.errors.SchemaMissingError`).
SETUP_HINT = "run `modelbench setup` first"
#: What makes results one group for a leaderboard: board, model, batch size, source.
GROUP_KEYS = ("task_type", "dataset", "dataset_config", "dataset_split", "metric",
              "model_name", "batch_size", "source")
_GROUP_VALUES = ("id", "score", "score_canonical", "score_printed", "quality_flag",
                 "model_version", "latency_median_ms")

#: Columns ``query_results`` may sort by (anything else is refused, never pasted into SQL).
ORDERABLE_COLUMNS = frozenset(column_names("model_benchmarks"))


@dataclass
class ResultFilter:
    """Which results to return. ``None`` means no condition; ``search`` is a case-insensitive
    substring matched against model, task, dataset, metric and source.

    >>> ResultFilter(model_name="bert", since=None).active()
    {'model_name': 'bert'}
    """

    model_name: str | None = None
    model_version: str | None = None
    task_type: str | None = None
    dataset: str | None = None
    metric: str | None = None
    source: str | None = None
    status: str | None = None
    run_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None

    def active(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) not in (None, "")}


_EQUALITY = ("model_name", "model_version", "task_type", "dataset", "metric", "source", "status",
             "run_id")
SEARCH_COLUMNS = ("model_name", "task_type", "dataset", "metric", "source")


def filter_conditions(flt: ResultFilter | None, param: Any, like: str = "LIKE"
                      ) -> tuple[str, dict[str, Any]]:
    """Render a filter as ``WHERE ...`` and a dict of named parameters.

    ``param(name)`` returns the dialect's placeholder for a named parameter, e.g.
    ``lambda n: f":{n}"`` (sqlite) or ``lambda n: f"%({n})s"`` (psycopg, clickhouse-connect).
    ``like`` is the case-insensitive LIKE operator of the dialect (``LIKE`` in SQLite,
    ``ILIKE`` in PostgreSQL and ClickHouse).
    """
    if flt is None:
        return "", {}
    clauses: list[str] = []
    params: dict[str, Any] = {}
    for name, value in flt.active().items():
        if name in _EQUALITY:
            clauses.append(f"{name} = {param(name)}")
            params[name] = value
        elif name == "since":
            clauses.append(f"timestamp >= {param('since')}")
            params["since"] = value
        elif name == "until":
            clauses.append(f"timestamp < {param('until')}")
            params["until"] = value
        elif name == "search":
            escaped = re.sub(r"([\\%_])", r"\\\1", str(value))
            params["search"] = f"%{escaped}%"
            ors = " OR ".join(f"{c} {like} {param('search')} ESCAPE '\\'" if like == "LIKE"
                              else f"{c} {like} {param('search')}" for c in SEARCH_COLUMNS)
            clauses.append(f"({ors})")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


_BUCKET = re.compile(r"^\s*(\d+)\s*(s|sec|second|m|min|minute|h|hour|d|day|w|week)s?\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
                 "h": 3600, "hour": 3600, "d": 86400, "day": 86400, "w": 604800, "week": 604800}


def parse_bucket(spec: str) -> int:
    """Seconds in a bucket spec such as ``"1h"``, ``"15 minutes"``, ``"1 day"``, ``"1w"``.

    >>> parse_bucket("1 day"), parse_bucket("15m")
    (86400, 900)
    """
    match = _BUCKET.match(spec or "")
    if not match or int(match.group(1)) <= 0:
        raise ValidationError(f"bucket {spec!r} is not understood",
                              hint="use e.g. '1h', '15 minutes', '1 day' or '1w'")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]


#: Key columns of ``model_benchmarks`` whose distinct values may be listed.
KEY_COLUMNS = frozenset(c.name for c in TABLES["model_benchmarks"].columns if c.kind == "key")


def check_key_column(column: str) -> str:
    """``column`` if it is a key column (safe to name in SQL), else a :class:`StoreError`."""
    if column not in KEY_COLUMNS:
        raise StoreError(f"cannot list distinct values of {column!r}",
                         hint=f"one of: {', '.join(sorted(KEY_COLUMNS))}")
    return column


def check_columns(columns: Sequence[str]) -> str:
    """``columns`` joined for a SELECT when every one is a schema column, else an error."""
    unknown = [c for c in columns if c not in ORDERABLE_COLUMNS]
    if unknown or not columns:
        raise ValidationError(f"cannot select {unknown or 'no columns'}",
                              hint=f"choose from: {', '.join(sorted(ORDERABLE_COLUMNS))}")
    return ", ".join(columns)


def check_order(order_by: str) -> str:
    if order_by not in ORDERABLE_COLUMNS:
        raise ValidationError(f"cannot sort by {order_by!r}",
                              hint=f"choose one of: {', '.join(sorted(ORDERABLE_COLUMNS))}")
    return order_by


def item_rows(result_id: str, values: Any, predictions: Any = None) -> list[dict[str, Any]]:
    """Rows of ``item_results`` for one result (predictions as JSON text)."""
    import json

    numbers = np.asarray(values, dtype=np.float64).ravel()
    if predictions is not None and len(predictions) != numbers.size:
        raise ValidationError(f"{len(predictions)} predictions for {numbers.size} items")
    preds = list(predictions) if predictions is not None else [None] * numbers.size
    return [{"result_id": result_id, "item": i,
             "value": None if not np.isfinite(v) else float(v),
             "prediction": json.dumps(p, default=_json_default)}
            for i, (v, p) in enumerate(zip(numbers.tolist(), preds, strict=True))]


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def parse_predictions(texts: Iterable[str | None]) -> list[Any]:
    import json

    return [json.loads(t) if t else None for t in texts]


#: Environment variables whose values never reach a stored message.
SECRET_VARIABLES = ("MODELBENCH_DB_PASSWORD", "PGPASSWORD", "CLICKHOUSE_PASSWORD", "HF_TOKEN")


def redact_secrets(result: BenchmarkResult, store: Any = None) -> BenchmarkResult:
    """Blank store passwords and tokens out of a result's error message and warnings.

    A measured model may print its environment in an exception; the secret must not be
    stored (and shown by every command) with it.

    >>> import os
    >>> os.environ["MODELBENCH_DB_PASSWORD"] = "hunter2-secret"
    >>> redact_secrets(BenchmarkResult(model_name="m", status="error",
    ...                                error_message="env: hunter2-secret")).error_message
    'env: ***'
    >>> del os.environ["MODELBENCH_DB_PASSWORD"]
    """
    secrets = {os.environ.get(name) or "" for name in SECRET_VARIABLES}
    secrets.add(getattr(store, "_password", None) or "")
    secrets = {s for s in secrets if len(s) >= 4}  # a 1-3 character "secret" would mangle text
    if not secrets:
        return result

    def clean(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, "***")
        return text

    result.error_message = clean(result.error_message or "")
    result.warnings = [clean(w) for w in result.warnings]
    return result


def _sample_parts(samples: Any) -> list[tuple[np.ndarray, str, Any]]:
    """``(latencies, series, run_index)`` items from what :meth:`keep_result` accepts."""
    if isinstance(samples, np.ndarray) or (
            isinstance(samples, (list, tuple)) and samples and
            isinstance(samples[0], (int, np.integer))):
        samples = [(samples, "call", None)]
    parts = []
    for item in samples or ():
        if isinstance(item, np.ndarray) or not isinstance(item, (list, tuple)) or (
                item and isinstance(item[0], (int, np.integer))):
            item = (item, "call", None)
        values = np.asarray(item[0], dtype=np.int64).ravel()
        series = item[1] if len(item) > 1 and item[1] else "call"
        runs = item[2] if len(item) > 2 else None
        if values.size:
            parts.append((values, str(series), runs))
    return parts


def _fallback_spools(store: Any) -> list[Any]:
    """A second spool in the system temp folder, for when the first one's disk is full."""
    import tempfile

    from .spool import Spool

    primary = store.local_spool()
    folder = Path(tempfile.gettempdir()) / "modelbench-spool"
    if primary.path.parent.resolve() == folder.resolve():
        return []
    return [Spool(folder, "", "", None, "", name=primary.path.name)]


def _spool_measured(store: Any, keep: dict[str, Any]) -> str | None:
    """Keep a measured result's unwritten parts in the store's spool (or the fallback)."""
    for spool in (store.local_spool(), *_fallback_spools(store)):
        try:
            spool.add_measured(keep["result"], keep["samples"], keep["item_values"],
                               keep["predictions"])
            return str(spool.path)
        except StoreError as exc:
            log.warning("cannot keep a result in %s: %s", spool.path, exc.message)
    return None


class DatabaseManager(ABC):
    """Abstract store. Use :func:`modelbench.get_database_manager` to get one.

    Subclasses set :attr:`backend` (``"sqlite"``, ``"clickhouse"``, ``"timescaledb"``).
    """

    backend: str = "abstract"

    # -- lifecycle ----------------------------------------------------------------------
    @abstractmethod
    def setup(self) -> None:
        """Create or migrate the schema. Idempotent."""

    @abstractmethod
    def close(self) -> None:
        """Release connections. The manager may not be used afterwards."""

    @abstractmethod
    def describe(self) -> str:
        """Where the data lives, for messages (``sqlite:data/benchmarks.db``); no secrets."""

    def __enter__(self) -> DatabaseManager:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- results ------------------------------------------------------------------------
    @abstractmethod
    def insert_results(self, results: Iterable[BenchmarkResult]) -> list[str]:
        """Validate then insert results in one batch (all or nothing); returns their ids."""

    def insert_result(self, result: BenchmarkResult) -> str:
        """Insert one result; returns its id."""
        return self.insert_results([result])[0]

    @abstractmethod
    def query_results(self, flt: ResultFilter | None = None, *, order_by: str = "timestamp",
                      descending: bool = True, limit: int | None = None,
                      offset: int = 0) -> list[BenchmarkResult]:
        """Results matching ``flt``, sorted by a column of ``model_benchmarks``."""

    @abstractmethod
    def count_results(self, flt: ResultFilter | None = None) -> int:
        """How many results match ``flt``."""

    def get_result(self, result_id: str) -> BenchmarkResult | None:
        """One result by id, or ``None``. Accepts a unique id prefix of 6+ characters."""
        rows = self._results_by_id_prefix(result_id)
        if len(rows) > 1:
            raise ValidationError(f"id prefix {result_id!r} matches {len(rows)} results",
                                  hint="give more characters of the id")
        return rows[0] if rows else None

    @abstractmethod
    def _results_by_id_prefix(self, prefix: str) -> list[BenchmarkResult]:
        """Results whose id starts with ``prefix`` (at most 2 are needed)."""

    @abstractmethod
    def select_columns(self, columns: Sequence[str], flt: ResultFilter | None = None
                       ) -> list[dict[str, Any]]:
        """Plain rows (column -> value) of some columns of ``model_benchmarks`` matching
        ``flt``, in no promised order: what :mod:`modelbench.analysis` ranks and groups.

        >>> from modelbench import get_database_manager
        >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
        >>> _ = db.insert_result(BenchmarkResult(model_name="m", metric="f1", score=0.5))
        >>> db.select_columns(["model_name", "score"])
        [{'model_name': 'm', 'score': 0.5}]
        """

    def score_groups(self, flt: ResultFilter | None, is_lower: Callable[[str], bool],
                     loose_columns: Sequence[str]) -> tuple[list[dict[str, Any]],
                                                            list[dict[str, Any]]]:
        """Scored ``ok`` results matching ``flt``, pre-aggregated for leaderboards.

        Returns ``(groups, loose)``. ``groups``: one row per :data:`GROUP_KEYS` (board,
        model, batch size, source) of the results with a canonical value and no quality
        flag: ``n_results``, ``value`` (the best canonical value: the lowest where
        ``is_lower(metric)``, else the highest), the best result's ``best_id``, ``raw``,
        ``printed`` and ``model_version``, and the median of the group's
        ``latency_median_ms`` with how many there were (``latency_ms``, ``n_latency``).
        ``loose``: ``loose_columns`` of the other scored results (no canonical value yet,
        or flagged), one row each. This generic version groups in Python; backends with
        SQL do it in the database.

        >>> from modelbench import get_database_manager
        >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
        >>> _ = db.insert_results([BenchmarkResult(model_name="m", metric="mse", score=s,
        ...                                        score_canonical=s) for s in (0.3, 0.1)])
        >>> groups, loose = DatabaseManager.score_groups(db, None, lambda m: True, ["id"])
        >>> [(g["model_name"], g["n_results"], g["value"]) for g in groups], loose
        ([('m', 2, 0.1)], [])
        """
        wanted = tuple(dict.fromkeys((*GROUP_KEYS, *_GROUP_VALUES, *loose_columns)))
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        latencies: dict[tuple[Any, ...], list[float]] = {}
        loose: list[dict[str, Any]] = []
        for row in self.select_columns(wanted, dataclasses.replace(flt or ResultFilter(),
                                                                   status="ok")):
            if row.get("score") is None or not row.get("metric"):
                continue
            if row.get("score_canonical") is None or row.get("quality_flag"):
                loose.append({c: row.get(c) for c in loose_columns})
                continue
            key = tuple(row.get(k) for k in GROUP_KEYS)
            value = float(row["score_canonical"])
            group = groups.get(key)
            if group is None:
                group = groups[key] = {**dict(zip(GROUP_KEYS, key, strict=True)), "n_results": 0,
                                       "value": None}
            group["n_results"] += 1
            best = group["value"]
            if best is None or (value < best if is_lower(row["metric"]) else value > best):
                group.update(value=value, best_id=row["id"], raw=row["score"],
                             printed=row.get("score_printed") or "",
                             model_version=row.get("model_version") or "")
            if row.get("latency_median_ms") is not None:
                latencies.setdefault(key, []).append(float(row["latency_median_ms"]))
        for key, group in groups.items():
            values = latencies.get(key, [])
            group["latency_ms"] = statistics.median(values) if values else None
            group["n_latency"] = len(values)
        return list(groups.values()), loose

    def count_values(self, column: str, flt: ResultFilter | None = None) -> dict[str, int]:
        """How many results have each value of a key column (e.g. per ``source``).

        >>> from modelbench import get_database_manager
        >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
        >>> _ = db.insert_results([BenchmarkResult(model_name="m", source=s)
        ...                        for s in ("web", "local", "web")])
        >>> db.count_values("source")
        {'local': 1, 'web': 2}
        """
        found = {}
        for value in self.distinct_values(column, flt):
            wanted = dataclasses.replace(flt or ResultFilter(), **{column: value})
            found[value] = self.count_results(wanted)
        return found

    def fill_canonical(self, compute: Callable[[dict[str, Any]], tuple[float | None, str, str]],
                       columns: Sequence[str]) -> int:
        """Store ``score_canonical``, ``quality_flag`` and ``score_printed`` once for scored
        results that have no canonical value (rows migrated from schema v1):
        ``compute(row)`` (``columns`` of the row) gives them, by the rule
        :mod:`modelbench.ingest` applies to new results.
        Returns how many rows were filled; a backend that cannot update returns 0."""
        return 0

    @abstractmethod
    def distinct_values(self, column: str, flt: ResultFilter | None = None) -> list[str]:
        """Sorted distinct values of a key column of ``model_benchmarks`` (e.g. ``task_type``)."""

    # -- samples ------------------------------------------------------------------------
    def insert_samples(self, result_id: str, latencies_ns: Sequence[int] | np.ndarray,
                       timestamp: datetime | None = None, *, series: str = "call",
                       run_index: int | Sequence[int] | np.ndarray | None = None) -> int:
        """Store raw latencies (nanoseconds) of one series of one result; returns the row count.

        ``run_index`` is the independent run each latency came from: one int for all, or one
        per latency (default 0). ``seq`` numbers the calls of a series from 0.
        """
        return self.insert_samples_many([(result_id, latencies_ns, timestamp, series,
                                          run_index)])

    @abstractmethod
    def insert_samples_many(self, batch: Iterable[tuple[Any, ...]]) -> int:
        """Samples of many results in one write: items ``(result_id, latencies_ns, timestamp)``
        or ``(result_id, latencies_ns, timestamp, series, run_index)``.

        Backends write the whole batch columnar (ClickHouse: one Arrow block; PostgreSQL: one
        binary COPY); returns the row count.

        >>> from modelbench import get_database_manager
        >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
        >>> db.insert_samples_many([("a", [1, 2], None), ("b", [3], None, "load", 0)])
        3
        """

    def get_samples(self, result_id: str, *, series: str = "call") -> np.ndarray:
        """Raw latencies of one series of one result in call order, as ``int64`` nanoseconds."""
        return self.get_sample_runs(result_id, series=series)[0]

    @abstractmethod
    def get_sample_runs(self, result_id: str, *, series: str = "call"
                        ) -> tuple[np.ndarray, np.ndarray]:
        """``(latencies_ns, run_index)`` of one series of one result, in call order."""

    def insert_item_results(self, result_id: str, values: Sequence[float] | np.ndarray,
                            predictions: Sequence[Any] | None = None) -> int:
        """Per-item outcomes of one result (correctness 0/1 or a loss) and predictions.

        >>> from modelbench import get_database_manager
        >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
        >>> db.insert_item_results("r1", [1, 0, 1], predictions=["a", "b", "a"])
        3
        >>> values, predictions = db.get_item_results("r1")
        >>> values.tolist(), predictions
        ([1.0, 0.0, 1.0], ['a', 'b', 'a'])
        """
        rows = item_rows(result_id, values, predictions)
        return self.load_table("item_results", rows) if rows else 0

    @abstractmethod
    def get_item_results(self, result_id: str) -> tuple[np.ndarray, list[Any]]:
        """``(values, predictions)`` of one result in item order (empty when none stored)."""

    @abstractmethod
    def stored_result_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are stored in ``model_benchmarks`` (import and spool use it)."""

    @abstractmethod
    def result_ids_with_samples(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` have at least one row in ``benchmark_samples``."""

    def stored_natural_keys(self, results: Sequence[BenchmarkResult]) -> dict[str, str]:
        """``natural_key -> id`` of the stored rows whose natural key is one of ``results``'
        (looked up by their source, run id, model and metric, never the whole table): a plan
        cell's result stored by another attempt under another id, which a replayed spool or
        a late writer must not store again.

        >>> from modelbench import get_database_manager
        >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
        >>> kept = BenchmarkResult(model_name="m", metric="f1", score=0.5, run_id="r",
        ...                        natural_key="local:r/cell/f1")
        >>> _ = db.insert_results([kept])
        >>> again = BenchmarkResult(model_name="m", metric="f1", score=0.6, run_id="r",
        ...                         natural_key="local:r/cell/f1")
        >>> db.stored_natural_keys([again]) == {"local:r/cell/f1": kept.id}
        True
        """
        wanted = {r.natural_key for r in results if r.natural_key}
        groups = sorted({(r.source, r.run_id, r.model_name, r.metric) for r in results
                         if r.natural_key})
        found: dict[str, str] = {}
        for source, run_id, model_name, metric in groups:
            flt = ResultFilter(source=source or None, run_id=run_id or None,
                               model_name=model_name or None, metric=metric or None)
            for row in self.select_columns(("id", "natural_key"), flt):
                if row["natural_key"] in wanted:
                    found[row["natural_key"]] = row["id"]
        return found

    def delete_results(self, ids: Sequence[str]) -> None:
        """Delete these results with their samples and item results (a failed cell that
        ``--retry-failed`` measured again). Every backend implements it; ids not stored
        are no error.

        >>> from modelbench import get_database_manager
        >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
        >>> rid = db.insert_result(BenchmarkResult(model_name="m", score=1.0))
        >>> db.delete_results([rid]); db.count_results()
        0
        """
        raise StoreError(f"{type(self).__name__} cannot delete results")

    # -- writes that lose nothing ---------------------------------------------------------
    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Writes inside are stored together or not at all (SQLite, PostgreSQL).

        ClickHouse has no transactions: there, this is a plain block.
        """
        yield

    def insert_valid(self, results: Iterable[BenchmarkResult]
                     ) -> tuple[list[str], list[tuple[BenchmarkResult, str]]]:
        """Insert the valid results in one batch; return their ids and the rejected ones.

        One bad value costs one result (with the reason), never its batch:

        >>> from modelbench import get_database_manager
        >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
        >>> ids, rejected = db.insert_valid([BenchmarkResult(model_name="a", score=1.0),
        ...                                  BenchmarkResult(model_name="b", score=1e400)])
        >>> len(ids), [(r.model_name, why) for r, why in rejected]
        (1, [('b', 'score is inf; NaN/inf values are not stored')])
        """
        good: list[BenchmarkResult] = []
        rejected: list[tuple[BenchmarkResult, str]] = []
        for result in results:
            try:
                good.append(result.validate())
            except ValidationError as exc:
                rejected.append((result, exc.message))
        return (self.insert_results(good) if good else []), rejected

    def local_spool(self) -> Any:
        """The spool file of this store: results that could not be written wait there."""
        from .spool import Spool, default_spool_dir

        own = getattr(self, "_spool", None)
        if own is not None:
            return own
        return Spool.for_store(default_spool_dir(), self.backend, self.describe())

    def flush_spool(self) -> int:
        """Write what :meth:`keep_result` spooled for this store; returns results written.

        Called by ``setup()``; entries already stored are skipped, so it never doubles.
        A failure leaves the spool as it was (logged), to be tried on the next setup.
        """
        spools = [s for s in (self.local_spool(), *_fallback_spools(self)) if s.pending()]
        written = 0
        for spool in spools:
            try:
                written += spool.flush(
                    self.insert_results, self.insert_samples, self.stored_result_ids,
                    self.result_ids_with_samples, write_items=self.insert_item_results,
                    has_items=lambda rid: len(self.get_item_results(rid)[0]) > 0,
                    stored_keys=self.stored_natural_keys)
            except ModelBenchError as exc:
                log.warning("results kept in %s are not written yet: %s", spool.path, exc)
        return written

    def keep_result(self, result: BenchmarkResult, samples: Sequence[Any] = (), *,
                    item_values: Any = None, predictions: Any = None) -> dict[str, Any]:
        """Store one measured result with its samples and per-item outcomes; lose none of it.

        ``samples`` are ``(latencies_ns, series, run_index)`` items (or one array of call
        latencies). Store secrets (``MODELBENCH_DB_PASSWORD``) are blanked out of the error
        message and warnings first. When the store cannot take it — server gone, SQLite lock
        held past the busy timeout, read-only file, full disk — everything not yet written
        is kept in one spool entry (written on the next ``setup()``), and the answer says
        where: ``{"stored": bool, "samples_stored": int, "spool_path": str | None,
        "store_error": str | None}``. Only when the spool cannot be written either is
        ``spool_path`` ``None``: then nothing is kept and the caller must say so.

        >>> from modelbench import get_database_manager
        >>> db = get_database_manager("sqlite", path=":memory:")
        >>> db.keep_result(BenchmarkResult(model_name="m", score=1.0), [[10, 20, 30]])
        {'stored': True, 'samples_stored': 3, 'spool_path': None, 'store_error': None}
        """
        redact_secrets(result, self)
        items = _sample_parts(samples)
        info: dict[str, Any] = {"stored": False, "samples_stored": 0, "spool_path": None,
                                "store_error": None}
        step = "result"
        try:
            if not getattr(self, "_kept_ready", False):
                self.setup()
                self._kept_ready = True
            self.insert_results([result])
            info["stored"] = True
            step = "samples"
            if items:
                info["samples_stored"] = self.insert_samples_many(
                    [(result.id, values, result.timestamp, series, runs)
                     for values, series, runs in items])
            step = "items"
            if item_values is not None:
                self.insert_item_results(result.id, item_values, predictions)
            return info
        except StoreError as exc:
            info["store_error"] = str(exc)
            keep = {"result": result if step == "result" else None,
                    "samples": items if step in ("result", "samples") else [],
                    "item_values": item_values, "predictions": predictions}
            info["spool_path"] = _spool_measured(self, keep)
            return info

    # -- analysis -----------------------------------------------------------------------
    @abstractmethod
    def model_history(self, model_name: str, *, metric: str | None = None,
                      task_type: str | None = None, dataset: str | None = None,
                      bucket: str | None = None) -> list[dict[str, Any]]:
        """Score and latency over time, oldest first.

        Without ``bucket``: one dict per result (``timestamp, score, latency_median_ms, id``).
        With ``bucket`` (see :func:`parse_bucket`): one dict per bucket (``bucket`` start as a
        UTC datetime, ``n, score_mean, score_min, score_max, latency_median_ms`` as the mean of
        per-result medians).
        """

    @abstractmethod
    def latency_medians(self, flt: ResultFilter | None = None) -> list[dict[str, Any]]:
        """The exact median of every stored per-call sample, per (task, model), over the
        ``ok`` results matching ``flt``: a plain aggregate (no ranking; analysis ranks).

        Each dict: ``task_type, model_name, n_results, median_latency_ms`` (the middle two
        averaged; ``None`` without samples), sorted by task then model.
        """

    @abstractmethod
    def upsert_models(self, models: Iterable[ModelMetadata]) -> int:
        """Insert or replace model metadata keyed by (model_name, model_version)."""

    @abstractmethod
    def list_models(self, search: str | None = None) -> list[ModelMetadata]:
        """All model metadata, by name; ``search`` is a case-insensitive substring of the name."""

    @abstractmethod
    def upsert_datasets(self, datasets: Iterable[DatasetMetadata]) -> int:
        """Insert or replace dataset metadata keyed by name."""

    @abstractmethod
    def list_datasets(self) -> list[DatasetMetadata]:
        """All dataset metadata, by name."""

    # -- bulk transfer (export/import between stores) -------------------------------------
    @abstractmethod
    def fetch_table(self, table: str, batch_size: int = 50_000) -> Iterator[list[dict[str, Any]]]:
        """All rows of a schema table in batches of dicts (column -> value, schema types)."""

    @abstractmethod
    def load_table(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Append raw rows (as from :meth:`fetch_table`) to a schema table; returns the count."""

    def fetch_arrow(self, table: str, batch_size: int = 200_000) -> Iterator[Any]:
        """All rows of a schema table as Arrow tables typed by :func:`.schema.arrow_schema`.

        Columnar backends override this; the default converts :meth:`fetch_table` batches.
        """
        from .schema import rows_to_arrow

        for rows in self.fetch_table(table, batch_size):
            yield rows_to_arrow(table, rows)

    def load_arrow(self, table: str, data: Any) -> int:
        """Append an Arrow table with the schema's columns; returns the row count."""
        return self.load_table(table, data.to_pylist())

    @staticmethod
    def check_table(table: str) -> str:
        if table not in TABLES:
            raise ValidationError(f"unknown table {table!r}",
                                  hint=f"one of: {', '.join(TABLES)}")
        return table
