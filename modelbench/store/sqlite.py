"""SQLite backend: the embedded default, one file (``data/benchmarks.db``) in WAL mode.

Example:
    >>> from modelbench.store.sqlite import SQLiteManager
    >>> with SQLiteManager(":memory:") as db:
    ...     db.setup()
    ...     db.count_results()
    0
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import SchemaMissingError, StoreDamagedError, StoreError
from ..records import BenchmarkResult, DatasetMetadata, ModelMetadata, utcnow
from .base import (
    GROUP_KEYS,
    SETUP_HINT,
    DatabaseManager,
    ResultFilter,
    check_columns,
    check_key_column,
    check_order,
    filter_conditions,
    parse_bucket,
    parse_predictions,
    sample_items,
)
from .schema import (
    RESULT_ROW_KEYS,
    SCHEMA_VERSION,
    TABLES,
    add_column_sql,
    check_version,
    column_names,
    create_table_sql,
    missing_columns,
)

__all__ = ["SQLiteManager"]

_TIMESTAMP_COLUMNS = frozenset(c.name for t in TABLES.values() for c in t.columns
                               if c.kind == "timestamp")


def _ts(value: datetime | None) -> str | None:
    """One fixed text form, so that text order is time order."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _param(name: str) -> str:
    return f":{name}"


def _damaged(exc: Exception) -> bool:
    text = str(exc)
    return "malformed" in text or "not a database" in text or "corrupt" in text


class SQLiteManager(DatabaseManager):
    """SQLite store. ``path`` may be ``":memory:"``. Safe to share between threads."""

    backend = "sqlite"

    def __init__(self, path: str | Path = "data/benchmarks.db", *, timeout: float = 30.0) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            if Path(self.path).is_dir():
                raise StoreError(f"{self.path} is a folder; a SQLite store is a file",
                                 hint=f"pass --db-path {Path(self.path) / 'benchmarks.db'}")
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for {self.path}: {exc.strerror}",
                                 hint="pass --db-path to a writable location") from exc
        try:
            self._conn = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False,
                                         isolation_level=None)
            self._conn.row_factory = sqlite3.Row
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        except sqlite3.Error as exc:
            if _damaged(exc):
                raise self._damaged_error(exc) from exc
            raise StoreError(f"cannot open SQLite database {self.path}: {exc}",
                             hint="check that the path is writable, or pass --db-path") from exc
        self._lock = threading.RLock()
        self._atomic_depth = 0  # > 0 inside atomic(): writes join its one transaction

    def describe(self) -> str:
        return f"sqlite:{self.path}"

    # -- plumbing -------------------------------------------------------------------------
    def _execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        try:
            with self._lock:
                return self._conn.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc

    def _error(self, exc: sqlite3.Error, doing: str = "") -> StoreError:
        """A named error for a driver error: no schema, damaged file, full disk, lock ..."""
        if _damaged(exc):
            return self._damaged_error(exc)
        if "no such table" in str(exc):
            return SchemaMissingError(f"{self.describe()}: {exc}", hint=SETUP_HINT)
        return StoreError(f"{self.describe()}: {doing}{exc}", hint=self._hint(exc))

    def _damaged_error(self, exc: sqlite3.Error) -> StoreDamagedError:
        return StoreDamagedError(
            f"{self.describe()} is damaged ({exc})",
            hint=f"keep a copy of the file, then recover what is readable: sqlite3 {self.path} "
                 f"'.recover' | sqlite3 recovered.db (and pass --db-path recovered.db), or "
                 "restore it from a `modelbench export` backup")

    def _hint(self, exc: Exception) -> str:
        text = str(exc)
        if "no such table" in text:
            return SETUP_HINT
        if "readonly" in text or "unable to open" in text:
            return "the database file is not writable; pass --db-path to a writable file"
        if "locked" in text or "busy" in text:
            return "another process holds a long write lock; retry when it finishes"
        if "full" in text:
            return "the disk is full; free space (or pass --db-path on another disk) and retry"
        return "see the message above"

    def _write_many(self, sql: str, rows: Iterable[Any]) -> None:
        with self._lock:
            if self._atomic_depth:  # part of atomic(): it commits or rolls back everything
                try:
                    self._conn.executemany(sql, rows)
                except sqlite3.Error as exc:
                    raise self._error(exc, "write failed: ") from exc
                return
            with self._transaction("write failed: "):
                self._conn.executemany(sql, rows)

    @contextmanager
    def _transaction(self, doing: str) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; on any failure, roll back if SQLite has not.

        SQLite ends the transaction itself on some errors (a full disk): a second ROLLBACK
        would hide the real error behind "cannot rollback - no transaction is active".
        """
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self._error(exc, doing) from exc

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Every write inside is one transaction: all of it is stored, or none of it.

        >>> from modelbench.records import BenchmarkResult
        >>> db = SQLiteManager(":memory:"); db.setup()
        >>> try:
        ...     with db.atomic():
        ...         _ = db.insert_result(BenchmarkResult(model_name="m", score=1.0))
        ...         raise KeyboardInterrupt
        ... except KeyboardInterrupt:
        ...     pass
        >>> db.count_results()
        0
        """
        with self._lock:
            if self._atomic_depth:
                yield
                return
            with self._transaction("import failed: "):
                self._atomic_depth += 1
                try:
                    yield
                finally:
                    self._atomic_depth -= 1

    @staticmethod
    def _insert_sql(table: str, columns: Sequence[str], verb: str = "INSERT") -> str:
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        return f"{verb} INTO {table} ({names}) VALUES ({marks})"

    @staticmethod
    def _db_value(column: str, value: Any) -> Any:
        if column in _TIMESTAMP_COLUMNS and isinstance(value, datetime):
            return _ts(value)
        return value

    @staticmethod
    def _py_row(row: sqlite3.Row) -> dict[str, Any]:
        data = dict(row)
        for column in _TIMESTAMP_COLUMNS.intersection(data):
            if isinstance(data[column], str):
                data[column] = datetime.fromisoformat(data[column])
        return data

    # -- lifecycle ------------------------------------------------------------------------
    def setup(self) -> None:
        with self._lock:
            self._check_schema_version()
            self._migrate()
        self.flush_spool()

    def _check_schema_version(self) -> None:
        has = self._execute("SELECT name FROM sqlite_master WHERE type='table' AND "
                            "name='schema_version'").fetchone()
        if has:
            found = self._execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
            check_version(found, self.describe())

    def _table_columns(self, table: str) -> list[str]:
        return [r[1] for r in self._execute(f"PRAGMA table_info({table})").fetchall()]

    def _migrate(self) -> None:
        """Create missing tables, add missing columns, record the version (one transaction)."""
        statements = [create_table_sql(name, "sqlite") for name in TABLES]
        for name in TABLES:
            existing = self._table_columns(name)
            if existing:
                statements += [add_column_sql(name, c, "sqlite")
                               for c in missing_columns(name, existing)]
            if name == "benchmark_samples" and existing and "series" not in existing:
                statements += self._rebuild_samples_sql()
        statements += [
            "CREATE INDEX IF NOT EXISTS idx_mb_time ON model_benchmarks (timestamp)",
            "CREATE INDEX IF NOT EXISTS idx_mb_model ON model_benchmarks "
            "(model_name, task_type, metric, timestamp)",
            "CREATE INDEX IF NOT EXISTS idx_mb_task ON model_benchmarks "
            "(task_type, dataset, metric, score)",
            # Covers the leaderboard aggregate (score_groups): grouped without a sort and
            # without reading the table.
            f"CREATE INDEX IF NOT EXISTS idx_mb_scores ON model_benchmarks "
            f"({', '.join(GROUP_KEYS)}, status, quality_flag, score_canonical, "
            "latency_median_ms)",
        ]
        with self._transaction("setup failed: "):
            for sql in statements:
                self._conn.execute(sql)
            current = self._conn.execute(
                "SELECT MAX(version) FROM schema_version").fetchone()[0]
            if current is None or int(current) < SCHEMA_VERSION:
                self._conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (SCHEMA_VERSION, _ts(utcnow())))

    @staticmethod
    def _rebuild_samples_sql() -> list[str]:
        # v1 keyed samples by (result_id, seq); v2 by (result_id, series, seq). SQLite cannot
        # change a primary key in place: copy into a new table (series 'call', run 0).
        return [
            "ALTER TABLE benchmark_samples RENAME TO benchmark_samples_v1",
            create_table_sql("benchmark_samples", "sqlite"),
            "INSERT INTO benchmark_samples (result_id, timestamp, seq, latency_ns, series, "
            "run_index) SELECT result_id, timestamp, seq, latency_ns, 'call', 0 "
            "FROM benchmark_samples_v1",
            "DROP TABLE benchmark_samples_v1",
        ]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- results --------------------------------------------------------------------------
    def insert_results(self, results: Iterable[BenchmarkResult]) -> list[str]:
        batch = [r.validate() for r in results]
        if not batch:
            return []
        columns = column_names("model_benchmarks")
        rows = []
        for result in batch:
            row = result.to_row()
            rows.append(tuple(self._db_value(c, row[c]) for c in columns))
        self._write_many(self._insert_sql("model_benchmarks", columns), rows)
        return [r.id for r in batch]

    def _select(self, where: str, params: dict[str, Any], tail: str = "") -> list[BenchmarkResult]:
        sql = f"SELECT * FROM model_benchmarks{where}{tail}"
        rows = self._execute(sql, self._params(params)).fetchall()
        return [BenchmarkResult.from_row(self._py_row(r)) for r in rows]

    @staticmethod
    def _params(params: dict[str, Any]) -> dict[str, Any]:
        return {k: _ts(v) if isinstance(v, datetime) else v for k, v in params.items()}

    def query_results(self, flt: ResultFilter | None = None, *, order_by: str = "timestamp",
                      descending: bool = True, limit: int | None = None,
                      offset: int = 0) -> list[BenchmarkResult]:
        where, params = filter_conditions(flt, _param)
        direction = "DESC" if descending else "ASC"
        tail = f" ORDER BY {check_order(order_by)} {direction}, id {direction}"
        if limit is not None or offset:
            tail += " LIMIT :limit OFFSET :offset"
            params.update(limit=-1 if limit is None else int(limit), offset=int(offset))
        return self._select(where, params, tail)

    def count_results(self, flt: ResultFilter | None = None) -> int:
        where, params = filter_conditions(flt, _param)
        sql = f"SELECT COUNT(*) FROM model_benchmarks{where}"
        return int(self._execute(sql, self._params(params)).fetchone()[0])

    def _results_by_id_prefix(self, prefix: str) -> list[BenchmarkResult]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self._select(" WHERE id LIKE :p ESCAPE '\\'", {"p": f"{escaped}%"}, " LIMIT 2")

    def select_columns(self, columns: Sequence[str], flt: ResultFilter | None = None
                       ) -> list[dict[str, Any]]:
        where, params = filter_conditions(flt, _param)
        sql = f"SELECT {check_columns(columns)} FROM model_benchmarks{where}"
        return [self._py_row(r) for r in self._execute(sql, self._params(params)).fetchall()]

    def _scored(self, flt: ResultFilter | None, canonical: bool = False
                ) -> tuple[str, dict[str, Any]]:
        """``WHERE`` of scored ``ok`` results; with ``canonical`` only those with a canonical
        value and no flag (a canonical value implies a score: the index covers the query)."""
        where, params = filter_conditions(dataclasses.replace(flt or ResultFilter(),
                                                              status="ok"), _param)
        where += " AND metric != ''"
        where += (" AND score_canonical IS NOT NULL AND quality_flag = ''" if canonical
                  else " AND score IS NOT NULL")
        return where, self._params(params)

    def score_groups(self, flt: ResultFilter | None, is_lower: Callable[[str], bool],
                     loose_columns: Sequence[str]) -> tuple[list[dict[str, Any]],
                                                            list[dict[str, Any]]]:
        """The leaderboard aggregate in SQL (see :meth:`DatabaseManager.score_groups`): a
        GROUP BY over the covering index ``idx_mb_board``, then one index look-up per group
        for its best result and a window median of the measured latencies."""
        where, params = self._scored(flt)
        grouped, _ = self._scored(flt, canonical=True)
        keys = ", ".join(GROUP_KEYS)
        with self._lock:
            try:
                found = self._conn.execute(
                    f"SELECT {keys}, COUNT(*), MAX(score_canonical), MIN(score_canonical) "
                    f"FROM model_benchmarks{grouped} GROUP BY {keys}", params).fetchall()
                groups = {tuple(r[:len(GROUP_KEYS)]): {
                    **dict(zip(GROUP_KEYS, r[:len(GROUP_KEYS)], strict=True)), "n_results": r[-3],
                    "value": r[-1] if is_lower(r[4]) else r[-2], "latency_ms": None,
                    "n_latency": 0} for r in found}
                self._best_rows(groups, grouped, params)
                self._latency_medians(groups, grouped, params)
                loose = self._conn.execute(
                    f"SELECT {check_columns(loose_columns)} FROM model_benchmarks{where} "
                    "AND (score_canonical IS NULL OR quality_flag != '')", params).fetchall()
                self._conn.execute("DROP TABLE IF EXISTS temp.mb_best")
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
        return list(groups.values()), [self._py_row(r) for r in loose]

    def _best_rows(self, groups: dict[tuple[Any, ...], dict[str, Any]], grouped: str,
                   params: dict[str, Any]) -> None:
        """Each group's best result (the first stored, on equal values): id, raw score,
        printed form, model version — one index seek per group, then rows by rowid."""
        keys = list(groups)
        self._conn.execute("DROP TABLE IF EXISTS temp.mb_best")
        names = [f"k{i}" for i in range(len(GROUP_KEYS))]
        self._conn.execute(f"CREATE TEMP TABLE mb_best (g INTEGER PRIMARY KEY, "
                           f"{', '.join(names)}, best)")
        self._conn.executemany(
            f"INSERT INTO temp.mb_best VALUES ({', '.join('?' * (len(GROUP_KEYS) + 2))})",
            [(i, *key, groups[key]["value"]) for i, key in enumerate(keys)])
        match = " AND ".join(f"{k} IS b.{n}" for k, n in zip(GROUP_KEYS, names, strict=True))
        rows = self._conn.execute(
            f"SELECT p.g, m.id, m.score, m.score_printed, m.model_version FROM (SELECT b.g AS g,"
            f" MIN(model_benchmarks.rowid) AS r FROM temp.mb_best b JOIN model_benchmarks ON "
            f"{match} AND score_canonical = b.best AND {grouped.removeprefix(' WHERE ')} "
            "GROUP BY b.g) p JOIN model_benchmarks m ON m.rowid = p.r", params).fetchall()
        for g, best_id, raw, printed, version in rows:
            groups[keys[g]].update(best_id=best_id, raw=raw, printed=printed or "",
                                   model_version=version or "")

    def _latency_medians(self, groups: dict[tuple[Any, ...], dict[str, Any]], grouped: str,
                         params: dict[str, Any]) -> None:
        keys = ", ".join(GROUP_KEYS)
        rows = self._conn.execute(
            f"SELECT {keys}, AVG(lat), MAX(n) FROM (SELECT {keys}, latency_median_ms AS lat, "
            f"ROW_NUMBER() OVER (PARTITION BY {keys} ORDER BY latency_median_ms) AS k, "
            f"COUNT(*) OVER (PARTITION BY {keys}) AS n FROM model_benchmarks{grouped} "
            "AND latency_median_ms IS NOT NULL) WHERE k IN ((n + 1) / 2, (n + 2) / 2) "
            f"GROUP BY {keys}", params).fetchall()
        for row in rows:
            groups[tuple(row[:len(GROUP_KEYS)])].update(latency_ms=row[-2], n_latency=row[-1])

    def count_values(self, column: str, flt: ResultFilter | None = None) -> dict[str, int]:
        check_key_column(column)
        where, params = filter_conditions(flt, _param)
        sql = (f"SELECT {column}, COUNT(*) FROM model_benchmarks{where} GROUP BY {column} "
               f"ORDER BY {column}")
        return {r[0]: int(r[1]) for r in self._execute(sql, self._params(params)).fetchall()}

    def fill_canonical(self, compute: Any, columns: Sequence[str]) -> int:
        where, params = self._scored(None)
        with self._lock:
            try:
                rows = self._conn.execute(
                    f"SELECT {check_columns(columns)} FROM model_benchmarks{where} "
                    "AND score_canonical IS NULL", params).fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
        updates = []
        for row in map(self._py_row, rows):
            value, flag, printed = compute(row)
            if value is not None:
                updates.append((value, flag, printed, row["id"]))
        if updates:
            self._write_many("UPDATE model_benchmarks SET score_canonical = ?, "
                             "quality_flag = ?, score_printed = ? WHERE id = ?", updates)
        return len(updates)

    def distinct_values(self, column: str, flt: ResultFilter | None = None) -> list[str]:
        check_key_column(column)
        where, params = filter_conditions(flt, _param)
        sql = f"SELECT DISTINCT {column} FROM model_benchmarks{where} ORDER BY {column}"
        return [r[0] for r in self._execute(sql, self._params(params)).fetchall()]

    # -- samples --------------------------------------------------------------------------
    def insert_samples_many(self, batch: Iterable[tuple[Any, ...]]) -> int:
        count = 0
        items = sample_items(batch)

        def rows() -> Iterator[tuple[str, str | None, int, int, str, int]]:
            nonlocal count
            for result_id, values, timestamp, series, runs in items:
                stamp = _ts(timestamp or utcnow())
                count += len(values)
                yield from zip([result_id] * len(values), [stamp] * len(values),
                               range(len(values)), values.tolist(), [series] * len(values),
                               runs.tolist(), strict=True)

        self._write_many("INSERT INTO benchmark_samples (result_id, timestamp, seq, latency_ns, "
                         "series, run_index) VALUES (?, ?, ?, ?, ?, ?)", rows())
        return count

    @staticmethod
    def _id_chunks(ids: Sequence[str]) -> Iterator[tuple[list[str], str]]:
        """``ids`` in chunks with their ``?`` marks: SQLite caps bound parameters per
        statement."""
        ids = list(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            yield chunk, ", ".join("?" for _ in chunk)

    def _ids_in(self, sql: str, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk, marks in self._id_chunks(ids):
            found.update(r[0] for r in self._execute(sql.format(marks=marks), chunk).fetchall())
        return found

    def stored_result_ids(self, ids: Sequence[str]) -> set[str]:
        return self._ids_in("SELECT id FROM model_benchmarks WHERE id IN ({marks})", ids)

    def delete_results(self, ids: Sequence[str]) -> None:
        for chunk, marks in self._id_chunks(ids):
            for table, column in RESULT_ROW_KEYS:
                self._write_many(f"DELETE FROM {table} WHERE {column} IN ({marks})", [chunk])

    def result_ids_with_samples(self, ids: Sequence[str]) -> set[str]:
        return self._ids_in("SELECT DISTINCT result_id FROM benchmark_samples "
                            "WHERE result_id IN ({marks})", ids)

    def get_sample_runs(self, result_id: str, *, series: str = "call"
                        ) -> tuple[np.ndarray, np.ndarray]:
        rows = self._execute("SELECT latency_ns, run_index FROM benchmark_samples "
                             "WHERE result_id = ? AND series = ? ORDER BY seq",
                             (result_id, series)).fetchall()
        array = np.array([tuple(r) for r in rows], dtype=np.int64).reshape(-1, 2)
        return array[:, 0].copy(), array[:, 1].copy()

    def get_item_results(self, result_id: str) -> tuple[np.ndarray, list[Any]]:
        rows = self._execute("SELECT value, prediction FROM item_results WHERE result_id = ? "
                             "ORDER BY item", (result_id,)).fetchall()
        values = np.array([np.nan if r[0] is None else r[0] for r in rows], dtype=np.float64)
        return values, parse_predictions(r[1] for r in rows)

    # -- analysis -------------------------------------------------------------------------
    def latency_medians(self, flt: ResultFilter | None = None) -> list[dict[str, Any]]:
        flt = dataclasses.replace(flt, status="ok") if flt else ResultFilter(status="ok")
        where, params = filter_conditions(flt, _param)
        # SQLite has no median aggregate: number the samples per group and average the
        # middle one or two (the same exact median the other backends compute).
        sql = f"""
            WITH ok AS (SELECT id, task_type, model_name FROM model_benchmarks{where}),
            n AS (SELECT task_type, model_name, COUNT(*) AS n_results FROM ok
                  GROUP BY task_type, model_name),
            lat AS (SELECT ok.task_type, ok.model_name, s.latency_ns,
                           ROW_NUMBER() OVER (PARTITION BY ok.task_type, ok.model_name
                                              ORDER BY s.latency_ns) AS pos,
                           COUNT(*) OVER (PARTITION BY ok.task_type, ok.model_name) AS cnt
                    FROM ok JOIN benchmark_samples s ON s.result_id = ok.id
                    WHERE s.series = 'call'),
            med AS (SELECT task_type, model_name, AVG(latency_ns) / 1e6 AS median_latency_ms
                    FROM lat WHERE pos IN ((cnt + 1) / 2, (cnt + 2) / 2)
                    GROUP BY task_type, model_name)
            SELECT n.task_type, n.model_name, n.n_results, med.median_latency_ms
            FROM n LEFT JOIN med ON med.task_type = n.task_type
                                AND med.model_name = n.model_name
            ORDER BY n.task_type, n.model_name"""
        return [dict(r) for r in self._execute(sql, self._params(params)).fetchall()]

    def model_history(self, model_name: str, *, metric: str | None = None,
                      task_type: str | None = None, dataset: str | None = None,
                      bucket: str | None = None) -> list[dict[str, Any]]:
        flt = ResultFilter(model_name=model_name, metric=metric, task_type=task_type,
                           dataset=dataset)
        where, params = filter_conditions(flt, _param)
        if bucket is None:
            sql = ("SELECT id, timestamp, score, latency_median_ms, status FROM model_benchmarks"
                   f"{where} ORDER BY timestamp, id")
            return [self._py_row(r) for r in self._execute(sql, self._params(params)).fetchall()]
        params["secs"] = parse_bucket(bucket)
        start = "(CAST(strftime('%s', timestamp) AS INTEGER) / :secs) * :secs"
        sql = (f"SELECT {start} AS bucket, COUNT(*) AS n, AVG(score) AS score_mean, "
               "MIN(score) AS score_min, MAX(score) AS score_max, "
               "AVG(latency_median_ms) AS latency_median_ms "
               f"FROM model_benchmarks{where} GROUP BY bucket ORDER BY bucket")
        out = []
        for row in self._execute(sql, self._params(params)).fetchall():
            data = dict(row)
            data["bucket"] = datetime.fromtimestamp(data["bucket"], tz=UTC)
            out.append(data)
        return out

    # -- metadata -------------------------------------------------------------------------
    def _upsert(self, table: str, rows: list[dict[str, Any]]) -> int:
        columns = column_names(table)
        values = [tuple(self._db_value(c, row[c]) for c in columns) for row in rows]
        self._write_many(self._insert_sql(table, columns, "INSERT OR REPLACE"), values)
        return len(values)

    def upsert_models(self, models: Iterable[ModelMetadata]) -> int:
        return self._upsert("model_metadata", [m.to_row() for m in models])

    def list_models(self, search: str | None = None) -> list[ModelMetadata]:
        sql, params = "SELECT * FROM model_metadata", {}
        if search:
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            sql += " WHERE model_name LIKE :s ESCAPE '\\'"
            params["s"] = f"%{escaped}%"
        rows = self._execute(sql + " ORDER BY model_name, model_version", params).fetchall()
        return [ModelMetadata.from_row(self._py_row(r)) for r in rows]

    def upsert_datasets(self, datasets: Iterable[DatasetMetadata]) -> int:
        return self._upsert("dataset_metadata", [d.to_row() for d in datasets])

    def list_datasets(self) -> list[DatasetMetadata]:
        rows = self._execute("SELECT * FROM dataset_metadata ORDER BY name").fetchall()
        return [DatasetMetadata.from_row(self._py_row(r)) for r in rows]

    # -- bulk transfer --------------------------------------------------------------------
    def fetch_table(self, table: str, batch_size: int = 50_000) -> Iterator[list[dict[str, Any]]]:
        self.check_table(table)
        columns = ", ".join(column_names(table))
        with self._lock:  # streamed: a big table is never all in memory
            try:
                cursor = self._conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid")
                while rows := cursor.fetchmany(batch_size):
                    yield [self._py_row(r) for r in rows]
            except sqlite3.DatabaseError as exc:
                raise self._error(exc) from exc

    def load_table(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        self.check_table(table)
        columns = column_names(table)
        values = [tuple(self._db_value(c, row.get(c)) for c in columns) for row in rows]
        verb = "INSERT OR REPLACE" if table in ("model_metadata", "dataset_metadata") else "INSERT"
        self._write_many(self._insert_sql(table, columns, verb), values)
        return len(values)
