"""TimescaleDB / PostgreSQL backend (psycopg 3).

With the ``timescaledb`` extension, ``model_benchmarks`` and ``benchmark_samples`` are
hypertables on ``timestamp`` and history buckets use ``time_bucket``. On plain PostgreSQL the
same tables get a BRIN index on time, buckets use ``date_bin``, and the store says once (a
``logging`` warning) that it runs without TimescaleDB. Bulk writes go through binary ``COPY``
(samples: the COPY stream is built with numpy, no Python loop per row).

Connection failures raise :class:`~modelbench.errors.StoreUnavailableError` naming
``host:port`` (never the password); results that could not be written are kept on local disk
(:mod:`.spool`) and written on the next successful connection.

Example:
    >>> from modelbench.store.timescale import TimescaleManager
    >>> db = TimescaleManager(host="127.0.0.1", port=55432, user="modelbench",
    ...                       password="...", database="modelbench")  # doctest: +SKIP
    >>> db.setup(); db.timescale  # doctest: +SKIP
    False
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import struct
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import numpy as np

from ..errors import ConfigError, SchemaMissingError, StoreError, StoreUnavailableError
from ..records import BenchmarkResult, DatasetMetadata, ModelMetadata, utcnow
from .base import (
    SETUP_HINT,
    DatabaseManager,
    ResultFilter,
    check_columns,
    check_key_column,
    check_order,
    filter_conditions,
    parse_bucket,
    parse_predictions,
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
from .spool import Spool, SpooledWrites, default_spool_dir

__all__ = ["TimescaleManager"]

log = logging.getLogger("modelbench.store")

_TEXT_COLUMNS = frozenset(c.name for t in TABLES.values() for c in t.columns
                          if c.kind in ("text", "key", "json"))
_PG_TYPES = {"text": "text", "key": "text", "json": "text", "int": "int4", "bigint": "int8",
             "float": "float8", "timestamp": "timestamptz"}
_HYPERTABLES = ("model_benchmarks", "benchmark_samples")
_METADATA = ("model_metadata", "dataset_metadata")
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_COPY_TRAILER = b"\xff\xff"
_NOTICED: set[str] = set()  # endpoints already told they run without TimescaleDB


def _param(name: str) -> str:
    return f"%({name})s"


def _import_driver() -> Any:
    try:
        import psycopg
    except ModuleNotFoundError as exc:
        raise ConfigError("the TimescaleDB/PostgreSQL backend needs psycopg 3",
                          hint="pip install 'modelbench[timescale]'") from exc
    return psycopg


class TimescaleManager(SpooledWrites, DatabaseManager):
    """PostgreSQL store, with TimescaleDB when the extension is there. Thread-safe."""

    backend = "timescaledb"

    def __init__(self, host: str | None = None, port: int | None = None,
                 user: str | None = None, password: str | None = None,
                 database: str | None = None, *, url: str | None = None,
                 spool_dir: str | Path | None = None, connect_timeout: float = 10.0,
                 path: str | None = None) -> None:
        if path is not None:
            raise ConfigError("TimescaleDB/PostgreSQL is a server: it takes no --path",
                              hint="give --host/--port (or MODELBENCH_DB_URL)")
        url = url or (None if host else os.environ.get("MODELBENCH_TIMESCALE_URL"))
        if url:
            host, port, user, password, database = _parse_url(url, host, port, user, password,
                                                              database)
        self.host = host or "localhost"
        self.port = int(port or 5432)
        self.user = user or os.environ.get("PGUSER") or "postgres"
        self.database = database or "modelbench"
        self._password = password
        self._timeout = connect_timeout
        self._lock = threading.RLock()
        self._conn: Any = None
        self.timescale = False
        self._unanalyzed = 0  # sample rows written since this manager last ran ANALYZE
        self._analyzed_at = 0
        self._spool = Spool(spool_dir or default_spool_dir(), "timescaledb", self.host,
                            self.port, self.database)

    def describe(self) -> str:
        kind = "timescaledb" if self.timescale else "postgresql"
        return f"{kind}://{self.user}@{self.host}:{self.port}/{self.database}"

    # -- connection -----------------------------------------------------------------------
    def _connect(self) -> Any:
        psycopg = _import_driver()
        try:
            conn = psycopg.connect(host=self.host, port=self.port, user=self.user,
                                   password=self._password, dbname=self.database,
                                   connect_timeout=max(1, int(self._timeout)),
                                   options="-c TimeZone=UTC", application_name="modelbench",
                                   autocommit=True)
        except psycopg.OperationalError as exc:
            text = self._clean(exc)
            if "authentication failed" in text or "no password supplied" in text:
                raise StoreError(f"PostgreSQL at {self.host}:{self.port} refused user "
                                 f"{self.user!r}: {text}",
                                 hint="check --user and MODELBENCH_DB_PASSWORD") from None
            if "does not exist" in text and "database" in text:
                raise StoreError(f"PostgreSQL at {self.host}:{self.port}: {text}",
                                 hint="create it (createdb) or pass --database") from None
            raise self._unavailable(exc) from None
        self._conn = conn
        row = conn.execute("SELECT extversion FROM pg_extension "
                           "WHERE extname = 'timescaledb'").fetchone()
        self.timescale = row is not None
        self._flush_spool()
        return conn

    def _unavailable(self, exc: Exception) -> StoreUnavailableError:
        self._conn = None
        return StoreUnavailableError(
            f"cannot reach PostgreSQL at {self.host}:{self.port} "
            f"(database {self.database}): {self._clean(exc)}",
            hint="start the server (./scripts/run.sh start-db) or check --host/--port")

    def _clean(self, exc: BaseException) -> str:
        lines = [line for line in str(exc).strip().splitlines() if line.strip()]
        text = lines[0].strip() if lines else type(exc).__name__
        text = re.sub(r"^connection failed: ", "", text)
        return text.replace(self._password, "***") if self._password else text

    def _translate(self, exc: Exception) -> StoreError:
        psycopg = _import_driver()
        errors = psycopg.errors
        if isinstance(exc, psycopg.OperationalError) and (
                self._conn is None or self._conn.broken or self._conn.closed):
            return self._unavailable(exc)
        text = self._clean(exc)
        if isinstance(exc, (errors.UndefinedTable, errors.InvalidSchemaName)):
            return SchemaMissingError(f"{self.describe()}: {text}", hint=SETUP_HINT)
        if isinstance(exc, errors.InsufficientPrivilege):
            return StoreError(f"{self.describe()}: {text}",
                              hint=f"grant user {self.user!r} the rights it needs")
        if isinstance(exc, errors.UniqueViolation):
            return StoreError(f"{self.describe()}: {text}",
                              hint="these rows are already stored (import skips stored ids)")
        return StoreError(f"{self.describe()}: {text}", hint="see the message above")

    def _conn_or_connect(self) -> Any:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._connect()
        return self._conn

    def _run(self, work: Any) -> Any:
        """Run ``work(conn)`` under the lock, translating driver errors."""
        psycopg = _import_driver()
        with self._lock:
            conn = self._conn_or_connect()
            try:
                return work(conn)
            except StoreError:
                raise
            except psycopg.Error as exc:
                raise self._translate(exc) from None

    def _rows(self, sql: str, params: dict[str, Any] | Sequence[Any] | None = None
              ) -> list[dict[str, Any]]:
        from psycopg.rows import dict_row

        def work(conn: Any) -> list[dict[str, Any]]:
            with conn.cursor(row_factory=dict_row) as cur:
                cur.execute(sql, params)
                return list(cur.fetchall())
        return self._run(work)

    def _execute(self, sql: str, params: Any = None) -> None:
        self._run(lambda conn: conn.execute(sql, params))

    # -- lifecycle ------------------------------------------------------------------------
    def setup(self) -> None:
        with self._lock:
            self._run(self._create_schema)
            self._flush_spool()

    def _create_schema(self, conn: Any) -> None:
        psycopg = _import_driver()
        self.timescale = self._enable_timescale(conn, psycopg)
        with conn.transaction():
            # One setup at a time: concurrent CREATE ... IF NOT EXISTS can still collide.
            conn.execute("SELECT pg_advisory_xact_lock(727274)")
            existing: dict[str, list[str]] = {}
            for table, column in conn.execute(
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema()").fetchall():
                existing.setdefault(table, []).append(column)
            if "schema_version" in existing:
                check_version(conn.execute("SELECT MAX(version) FROM schema_version"
                                           ).fetchone()[0], self.describe())
            for name in TABLES:
                conn.execute(create_table_sql(name, "postgres"))
                for column in missing_columns(name, existing.get(name, column_names(name))):
                    conn.execute(add_column_sql(name, column, "postgres"))
            for table in _HYPERTABLES:
                if self.timescale:
                    # Samples are read by result id, never by time alone: no time index
                    # (it would slow bulk COPY for nothing).
                    conn.execute("SELECT create_hypertable(%s::regclass, 'timestamp', "
                                 "if_not_exists => TRUE, migrate_data => TRUE, "
                                 "create_default_indexes => %s)",
                                 (table, table != "benchmark_samples"))
                else:
                    conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_time_brin ON {table} "
                                 "USING BRIN (timestamp)")
            # Samples are found by result id only. Not a hash index: every sample of one
            # result has the same id, and a hash bucket holding one key 400k times makes
            # each insert walk its overflow chain (COPY of one result grew quadratically:
            # 100k rows 1.4 s, 400k 21.9 s). A btree deduplicates equal keys and appends.
            conn.execute("DROP INDEX IF EXISTS benchmark_samples_result_hash")
            conn.execute("CREATE INDEX IF NOT EXISTS benchmark_samples_result_idx ON "
                         "benchmark_samples (result_id)")
            conn.execute("CREATE INDEX IF NOT EXISTS model_benchmarks_model_idx ON "
                         "model_benchmarks (model_name, task_type, metric, timestamp)")
            conn.execute("CREATE INDEX IF NOT EXISTS model_benchmarks_task_idx ON "
                         "model_benchmarks (task_type, dataset, metric, score)")
            current = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
            if current is None or int(current) < SCHEMA_VERSION:
                conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (%s, %s)",
                             (SCHEMA_VERSION, utcnow()))

    def _enable_timescale(self, conn: Any, psycopg: Any) -> bool:
        row = conn.execute("SELECT installed_version FROM pg_available_extensions "
                           "WHERE name = 'timescaledb'").fetchone()
        reason = "the timescaledb extension is not installed on the server"
        if row is not None and row[0]:
            return True
        if row is not None:
            try:
                conn.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
                return True
            except psycopg.Error as exc:
                reason = f"CREATE EXTENSION timescaledb failed: {self._clean(exc)}"
        endpoint = f"{self.host}:{self.port}/{self.database}"
        if endpoint not in _NOTICED:
            _NOTICED.add(endpoint)
            log.warning("PostgreSQL at %s runs WITHOUT TimescaleDB (%s): plain tables with "
                        "BRIN time indexes and date_bin buckets; everything works, history "
                        "queries are slower on large tables.", endpoint, reason)
        return False

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Every write inside is one transaction (each write's own becomes a savepoint)."""
        psycopg = _import_driver()
        with self._lock:
            conn = self._conn_or_connect()
            try:
                with conn.transaction():
                    yield
            except psycopg.Error as exc:
                raise self._translate(exc) from None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except Exception:  # closing a dead connection must not hide the real error
                    pass
                self._conn = None

    # -- writing --------------------------------------------------------------------------
    def _copy_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        columns = column_names(table)
        types = [_PG_TYPES[c.kind] for c in TABLES[table].columns]
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"

        text = [c.name in _TEXT_COLUMNS for c in TABLES[table].columns]

        def work(conn: Any) -> None:
            with conn.transaction(), conn.cursor() as cur, cur.copy(sql) as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row([_no_nul(row.get(c)) if is_text else row.get(c)
                                    for c, is_text in zip(columns, text, strict=True)])
        self._run(work)

    def _write_results(self, batch: list[BenchmarkResult]) -> None:
        self._copy_rows("model_benchmarks", [r.to_row() for r in batch])

    def _write_sample_batch(self, batch: list[tuple[str, np.ndarray, datetime, str,
                                                    np.ndarray]]) -> int:
        total = sum(len(item[1]) for item in batch)
        if total:
            self._copy_blocks(_sample_copy_blocks(batch))
            self._analyze_after_bulk(total)
        return total

    def _copy_blocks(self, blocks: Iterable[bytes]) -> None:
        """One binary COPY of prepared sample tuples, in one transaction."""
        sql = ("COPY benchmark_samples (result_id, timestamp, seq, latency_ns, series, "
               "run_index) FROM STDIN (FORMAT BINARY)")

        def work(conn: Any) -> None:
            with conn.transaction(), conn.cursor() as cur, cur.copy(sql) as copy:
                copy.write(_COPY_SIGNATURE)
                for block in blocks:
                    copy.write(block)
                copy.write(_COPY_TRAILER)
        self._run(work)

    def _analyze_after_bulk(self, rows: int) -> None:
        """Refresh planner statistics after big loads (geometric, so amortised cheap).

        Without them a freshly loaded table is planned as empty and the leaderboard query
        runs ~100x slower until autovacuum gets to it.
        """
        self._unanalyzed += rows
        if self._unanalyzed >= max(100_000, self._analyzed_at // 2):
            self._execute("ANALYZE benchmark_samples")
            self._execute("ANALYZE model_benchmarks")
            self._analyzed_at += self._unanalyzed
            self._unanalyzed = 0

    # -- reading --------------------------------------------------------------------------
    def _select(self, where: str, params: dict[str, Any], tail: str = "") -> list[BenchmarkResult]:
        rows = self._rows(f"SELECT * FROM model_benchmarks{where}{tail}", params)
        return [BenchmarkResult.from_row(r) for r in rows]

    def query_results(self, flt: ResultFilter | None = None, *, order_by: str = "timestamp",
                      descending: bool = True, limit: int | None = None,
                      offset: int = 0) -> list[BenchmarkResult]:
        where, params = filter_conditions(flt, _param, like="ILIKE")
        column = check_order(order_by)
        # Sort as SQLite does: byte order for text, NULLs first ascending / last descending.
        key = f'{column} COLLATE "C"' if column in _TEXT_COLUMNS else column
        direction = "DESC NULLS LAST" if descending else "ASC NULLS FIRST"
        tail = f' ORDER BY {key} {direction}, id COLLATE "C" {direction.split()[0]}'
        if limit is not None or offset:
            tail += " LIMIT %(limit)s OFFSET %(offset)s"
            params.update(limit=limit, offset=int(offset))
        return self._select(where, params, tail)

    def count_results(self, flt: ResultFilter | None = None) -> int:
        where, params = filter_conditions(flt, _param, like="ILIKE")
        return int(self._rows(f"SELECT COUNT(*) AS n FROM model_benchmarks{where}",
                              params)[0]["n"])

    def _results_by_id_prefix(self, prefix: str) -> list[BenchmarkResult]:
        return self._select(" WHERE starts_with(id, %(p)s)", {"p": prefix}, " LIMIT 2")

    def select_columns(self, columns: Sequence[str], flt: ResultFilter | None = None
                       ) -> list[dict[str, Any]]:
        where, params = filter_conditions(flt, _param, like="ILIKE")
        return self._rows(f"SELECT {check_columns(columns)} FROM model_benchmarks{where}",
                          params)

    def distinct_values(self, column: str, flt: ResultFilter | None = None) -> list[str]:
        check_key_column(column)
        where, params = filter_conditions(flt, _param, like="ILIKE")
        sql = (f'SELECT DISTINCT {column} COLLATE "C" AS v FROM model_benchmarks{where} '
               "ORDER BY v")
        return [r["v"] for r in self._rows(sql, params)]

    def stored_result_ids(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        rows = self._rows("SELECT DISTINCT id FROM model_benchmarks WHERE id = ANY(%(ids)s)",
                          {"ids": list(ids)})
        return {r["id"] for r in rows}

    def delete_results(self, ids: Sequence[str]) -> None:
        if not ids:
            return

        def work(conn: Any) -> None:
            with conn.transaction():
                for table, column in RESULT_ROW_KEYS:
                    conn.execute(f"DELETE FROM {table} WHERE {column} = ANY(%(ids)s)",
                                 {"ids": list(ids)})
        self._run(work)

    def result_ids_with_samples(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        rows = self._rows("SELECT DISTINCT result_id FROM benchmark_samples "
                          "WHERE result_id = ANY(%(ids)s)", {"ids": list(ids)})
        return {r["result_id"] for r in rows}

    def get_sample_runs(self, result_id: str, *, series: str = "call"
                        ) -> tuple[np.ndarray, np.ndarray]:
        rows = self._run(lambda conn: conn.execute(
            "SELECT latency_ns, run_index FROM benchmark_samples WHERE result_id = %s "
            "AND series = %s ORDER BY seq", (result_id, series)).fetchall())
        array = np.array([tuple(r) for r in rows], dtype=np.int64).reshape(-1, 2)
        return array[:, 0].copy(), array[:, 1].copy()

    def get_item_results(self, result_id: str) -> tuple[np.ndarray, list[Any]]:
        rows = self._run(lambda conn: conn.execute(
            "SELECT value, prediction FROM item_results WHERE result_id = %s ORDER BY item",
            (result_id,)).fetchall())
        values = np.array([np.nan if r[0] is None else r[0] for r in rows], dtype=np.float64)
        return values, parse_predictions(r[1] for r in rows)

    # -- analysis -------------------------------------------------------------------------
    def latency_medians(self, flt: ResultFilter | None = None) -> list[dict[str, Any]]:
        flt = dataclasses.replace(flt, status="ok") if flt else ResultFilter(status="ok")
        where, params = filter_conditions(flt, _param, like="ILIKE")
        sql = f"""
            WITH ok AS (SELECT id, task_type, model_name FROM model_benchmarks{where}),
            n AS (SELECT task_type, model_name, COUNT(*) AS n_results FROM ok
                  GROUP BY task_type, model_name),
            med AS (SELECT ok.task_type, ok.model_name,
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.latency_ns) / 1e6
                           AS median_latency_ms
                    FROM ok JOIN benchmark_samples s ON s.result_id = ok.id
                    WHERE s.series = 'call'
                    GROUP BY ok.task_type, ok.model_name)
            SELECT n.task_type, n.model_name, n.n_results, med.median_latency_ms
            FROM n LEFT JOIN med ON med.task_type = n.task_type
                                AND med.model_name = n.model_name
            ORDER BY n.task_type COLLATE "C", n.model_name COLLATE "C"
        """
        return self._rows(sql, params)

    def model_history(self, model_name: str, *, metric: str | None = None,
                      task_type: str | None = None, dataset: str | None = None,
                      bucket: str | None = None) -> list[dict[str, Any]]:
        flt = ResultFilter(model_name=model_name, metric=metric, task_type=task_type,
                           dataset=dataset)
        where, params = filter_conditions(flt, _param, like="ILIKE")
        if bucket is None:
            sql = ("SELECT id, timestamp, score, latency_median_ms, status FROM "
                   f'model_benchmarks{where} ORDER BY timestamp, id COLLATE "C"')
            return self._rows(sql, params)
        params["secs"] = parse_bucket(bucket)
        # Buckets start at multiples of the width from the Unix epoch, on every backend.
        bucket_fn = "time_bucket" if self.timescale else "date_bin"
        start = (f"{bucket_fn}(make_interval(secs => %(secs)s), timestamp, "
                 "TIMESTAMPTZ '1970-01-01 00:00:00+00')")
        sql = (f"SELECT {start} AS bucket, COUNT(*) AS n, AVG(score) AS score_mean, "
               "MIN(score) AS score_min, MAX(score) AS score_max, "
               "AVG(latency_median_ms) AS latency_median_ms "
               f"FROM model_benchmarks{where} GROUP BY 1 ORDER BY 1")
        return self._rows(sql, params)

    # -- metadata -------------------------------------------------------------------------
    def _upsert(self, table: str, rows: list[dict[str, Any]]) -> int:
        columns = column_names(table)
        keys = TABLES[table].primary_key
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in keys)
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
               f"({', '.join('%s' for _ in columns)}) "
               f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}")
        values = [tuple(_no_nul(row.get(c)) for c in columns) for row in rows]

        def work(conn: Any) -> None:
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(sql, values)
        if values:
            self._run(work)
        return len(values)

    def upsert_models(self, models: Iterable[ModelMetadata]) -> int:
        return self._upsert("model_metadata", [m.to_row() for m in models])

    def list_models(self, search: str | None = None) -> list[ModelMetadata]:
        sql, params = "SELECT * FROM model_metadata", {}
        if search:
            sql += " WHERE model_name ILIKE %(s)s"
            params["s"] = "%" + re.sub(r"([\\%_])", r"\\\1", search) + "%"
        sql += ' ORDER BY model_name COLLATE "C", model_version COLLATE "C"'
        return [ModelMetadata.from_row(r) for r in self._rows(sql, params)]

    def upsert_datasets(self, datasets: Iterable[DatasetMetadata]) -> int:
        return self._upsert("dataset_metadata", [d.to_row() for d in datasets])

    def list_datasets(self) -> list[DatasetMetadata]:
        rows = self._rows('SELECT * FROM dataset_metadata ORDER BY name COLLATE "C"')
        return [DatasetMetadata.from_row(r) for r in rows]

    # -- bulk transfer --------------------------------------------------------------------
    def _stream(self, table: str, batch_size: int) -> Iterator[list[tuple]]:
        """Rows of a table in batches, through a server-side cursor (never all in memory)."""
        psycopg = _import_driver()
        self.check_table(table)
        columns = ", ".join(column_names(table))
        with self._lock:
            conn = self._conn_or_connect()
            try:
                with conn.transaction(), conn.cursor(name="modelbench_fetch") as cur:
                    cur.itersize = batch_size
                    cur.execute(f"SELECT {columns} FROM {table}")
                    while rows := cur.fetchmany(batch_size):
                        yield rows
            except psycopg.Error as exc:
                raise self._translate(exc) from None

    def fetch_table(self, table: str, batch_size: int = 50_000) -> Iterator[list[dict[str, Any]]]:
        names = column_names(table)
        for rows in self._stream(table, batch_size):
            yield [dict(zip(names, row, strict=True)) for row in rows]

    def fetch_arrow(self, table: str, batch_size: int = 200_000) -> Iterator[Any]:
        import pyarrow as pa

        from .schema import arrow_schema

        schema = arrow_schema(table)
        for rows in self._stream(table, batch_size):
            columns = list(zip(*rows, strict=True))
            yield pa.Table.from_arrays([pa.array(col, type=f.type)
                                        for col, f in zip(columns, schema, strict=True)],
                                       schema=schema)

    def load_table(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        self.check_table(table)
        rows = list(rows)
        if table in _METADATA:
            return self._upsert(table, rows)
        if table == "benchmark_samples":
            return self._load_sample_rows(rows)
        if rows:
            self._copy_rows(table, rows)
        return len(rows)

    def load_arrow(self, table: str, data: Any) -> int:
        if table != "benchmark_samples":
            return super().load_arrow(table, data)
        import pyarrow as pa
        import pyarrow.compute as pc

        if not data.num_rows:
            return 0
        epoch_us = pc.cast(data.column("timestamp"), "int64").to_numpy()
        stamps = epoch_us - 946_684_800_000_000  # Unix -> PostgreSQL epoch (2000-01-01)
        names = data.column_names
        series = data.column("series") if "series" in names else \
            pa.array(["call"] * data.num_rows, pa.string())
        runs = data.column("run_index").to_numpy() if "run_index" in names else \
            np.zeros(data.num_rows, dtype=np.int64)
        blocks = list(_copy_sample_columns(data.column("result_id"), stamps,
                                           data.column("seq").to_numpy(),
                                           data.column("latency_ns").to_numpy(), series, runs))
        self._copy_blocks(blocks)
        self._analyze_after_bulk(data.num_rows)
        return data.num_rows

    def _load_sample_rows(self, rows: list[dict[str, Any]]) -> int:
        # Exact rows (own seq and timestamp per row) through the typed COPY path.
        if rows:
            self._copy_rows("benchmark_samples", rows)
            self._analyze_after_bulk(len(rows))
        return len(rows)


def _sample_copy_blocks(batch: list[tuple[str, np.ndarray, datetime, str, np.ndarray]]
                        ) -> Iterator[bytes]:
    """Binary COPY tuples for ``(result_id, latencies, timestamp, series, run_index)`` items."""
    import pyarrow as pa

    lengths = np.array([len(item[1]) for item in batch], dtype=np.int64)
    owner = np.repeat(np.arange(len(batch)), lengths)
    starts = np.cumsum(lengths) - lengths
    take = pa.array(owner)
    ids = pa.array([item[0] for item in batch], pa.string()).take(take)
    series = pa.array([item[3] for item in batch], pa.string()).take(take)
    stamps = np.array([_pg_micros(item[2]) for item in batch], dtype=np.int64)[owner]
    seq = np.arange(len(owner), dtype=np.int64) - np.repeat(starts, lengths)
    latencies = (np.concatenate([item[1] for item in batch]) if len(owner)
                 else np.empty(0, dtype=np.int64))
    runs = (np.concatenate([item[4] for item in batch]) if len(owner)
            else np.empty(0, dtype=np.int64))
    yield from _copy_sample_columns(ids, stamps, seq, latencies, series, runs)


def _string_bytes(strings: Any) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, data) of an Arrow string array, for gathering fixed-width fields."""
    import pyarrow as pa

    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[
        strings.offset:strings.offset + len(strings) + 1]
    data = np.frombuffer(strings.buffers()[2], dtype=np.uint8) if strings.buffers()[2] else \
        np.empty(0, dtype=np.uint8)
    return offsets, data


def _gather(offsets: np.ndarray, data: np.ndarray, rows: np.ndarray, length: int) -> np.ndarray:
    gathered = data[offsets[rows][:, None] + np.arange(length)]
    return np.ascontiguousarray(gathered).view(f"V{length}").ravel()


def _copy_sample_columns(ids: Any, stamps_pg_us: np.ndarray, seq: np.ndarray,
                         latencies: np.ndarray, series: Any, runs: np.ndarray
                         ) -> Iterator[bytes]:
    """Binary COPY tuples for sample columns, built with numpy (no Python loop per row).

    ``ids`` and ``series`` are Arrow string arrays; ``stamps_pg_us`` counts microseconds from
    2000-01-01, PostgreSQL's epoch. Rows are grouped by (id length, series length), each
    group one fixed-width record array: field count, then (length, value) per field,
    big-endian.
    """
    if len(ids) == 0:
        return
    id_offsets, id_data = _string_bytes(ids)
    series_offsets, series_data = _string_bytes(series)
    id_lengths = np.diff(id_offsets)
    series_lengths = np.diff(series_offsets)
    pairs = np.unique(np.stack([id_lengths, series_lengths], axis=1), axis=0)
    for id_length, series_length in pairs.tolist():
        rows = np.flatnonzero((id_lengths == id_length) & (series_lengths == series_length))
        id_field = [("id", f"V{id_length}")] if id_length else []
        series_field = [("series", f"V{series_length}")] if series_length else []
        dtype = np.dtype([("n", ">i2"), ("l1", ">i4"), *id_field, ("l2", ">i4"),
                          ("ts", ">i8"), ("l3", ">i4"), ("seq", ">i4"), ("l4", ">i4"),
                          ("lat", ">i8"), ("l5", ">i4"), *series_field, ("l6", ">i4"),
                          ("run", ">i4")])
        template = np.zeros(1, dtype)
        for name, value in (("n", 6), ("l1", id_length), ("l2", 8), ("l3", 4), ("l4", 8),
                            ("l5", series_length), ("l6", 4)):
            template[name] = value
        out = np.empty(len(rows), dtype=dtype)
        out[:] = template
        if id_length:
            out["id"] = _gather(id_offsets, id_data, rows, id_length)
        if series_length:
            out["series"] = _gather(series_offsets, series_data, rows, series_length)
        out["ts"] = stamps_pg_us[rows]
        out["seq"] = seq[rows]
        out["lat"] = latencies[rows]
        out["run"] = runs[rows]
        yield out.tobytes()


def _no_nul(value: Any) -> Any:
    r"""PostgreSQL text cannot hold NUL: it is stored as U+FFFD (and said so), never dropped.

    >>> _no_nul("bad\x00name"), _no_nul(3)
    ('bad\ufffdname', 3)
    """
    if isinstance(value, str) and "\x00" in value:
        log.warning("a NUL character in %r is stored as U+FFFD (PostgreSQL text cannot hold "
                    "NUL)", value.replace("\x00", "\\0")[:80])
        return value.replace("\x00", "\ufffd")
    return value


def _pg_micros(stamp: datetime | None) -> int:
    stamp = stamp or utcnow()
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    delta = stamp - datetime(2000, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _parse_url(url: str, host: str | None, port: int | None, user: str | None,
               password: str | None, database: str | None
               ) -> tuple[str | None, int | None, str | None, str | None, str | None]:
    """``postgresql://user:pw@host:5432/db``; explicit options win over the URL."""
    parsed = urlparse(url)
    if parsed.scheme.split("+")[0] not in ("postgres", "postgresql", "timescaledb"):
        raise ConfigError("the PostgreSQL URL must start with postgresql://",
                          hint="e.g. postgresql://modelbench@127.0.0.1:5432/modelbench")
    return (host or parsed.hostname, port or parsed.port,
            user or (unquote(parsed.username) if parsed.username else None),
            password or (unquote(parsed.password) if parsed.password else None),
            database or (parsed.path.lstrip("/") or None))
