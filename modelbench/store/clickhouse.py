"""ClickHouse backend: a server over HTTP, or embedded ClickHouse (chdb) in a data folder.

Both go through one client API, clickhouse-connect (its ``interface="chdb"`` runs the
ClickHouse engine in-process). Tables are MergeTree sorted by (model, task, metric, time),
partitioned by month, with ``DateTime64`` timestamps and ``LowCardinality`` keys (see
:mod:`.schema`); every insert is one columnar Arrow block, never row by row. Every query binds
its values server-side (``{name:Type}``).

Which one you get:
  * ``path=...`` (``--path data/clickhouse``): embedded chdb. chdb allows one data folder per
    process, and a folder is locked by the process that opened it.
  * ``host=...`` (+ ``port``, ``user``, ``password``, ``database``, ``secure``) or a URL
    (``url=`` or ``MODELBENCH_CLICKHOUSE_URL``, e.g. ``clickhouse://user@host:8123/bench``): a
    server. Results that cannot be written because the server went away are kept on local disk
    (:mod:`.spool`) and written on the next successful connection.
  * neither: embedded chdb in ``data/clickhouse``.

Example:
    >>> import tempfile
    >>> from modelbench.store.clickhouse import ClickHouseManager
    >>> db = ClickHouseManager(path=tempfile.mkdtemp())  # doctest: +SKIP
    >>> db.setup(); db.count_results()  # doctest: +SKIP
    0
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
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
    rows_to_arrow,
)
from .spool import Spool, SpooledWrites, default_spool_dir

__all__ = ["ClickHouseManager", "DEFAULT_CHDB_PATH"]

log = logging.getLogger("modelbench.store")
#: Tables :meth:`ClickHouseManager.atomic` undoes, and the result id column of each.
_UNDO_KEYS = dict(RESULT_ROW_KEYS)
DEFAULT_CHDB_PATH = "data/clickhouse"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_TIMESTAMP_COLUMNS = frozenset(c.name for t in TABLES.values() for c in t.columns
                               if c.kind == "timestamp")
_PARAM_TYPES = {"since": "DateTime64(6, 'UTC')", "until": "DateTime64(6, 'UTC')",
                "limit": "UInt64", "offset": "UInt64", "us": "Int64", "ids": "Array(String)"}
_MAX_ROWS = 2**62

# chdb runs one engine per process, on one data folder: remember which one is open.
_CHDB_LOCK = threading.Lock()
_CHDB_OPEN: dict[str, int] = {}


def _param(name: str) -> str:
    return f"{{{name}:{_PARAM_TYPES.get(name, 'String')}}}"


def _like_pattern(text: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def _utc(value: Any) -> Any:
    """chdb drops the zone of DateTime64 values in some outputs: they are UTC."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _import_driver() -> Any:
    try:
        import clickhouse_connect
    except ModuleNotFoundError as exc:
        raise ConfigError("the ClickHouse backend needs clickhouse-connect (and chdb for "
                          "embedded use)", hint="pip install 'modelbench[clickhouse]'") from exc
    return clickhouse_connect


class ClickHouseManager(SpooledWrites, DatabaseManager):
    """ClickHouse store (server or embedded chdb). Safe to share between threads."""

    backend = "clickhouse"
    SPOOL_HINT = ("they are written on the next successful connection; start the server "
                  "or check --host/--port")

    def __init__(self, path: str | Path | None = None, host: str | None = None,
                 port: int | None = None, user: str | None = None, password: str | None = None,
                 database: str | None = None, *, url: str | None = None,
                 secure: bool | None = None, spool_dir: str | Path | None = None,
                 connect_timeout: float = 10.0) -> None:
        if path is None and host is None:
            url = url or os.environ.get("MODELBENCH_CLICKHOUSE_URL")
            if url:
                host, port, user, password, database, secure = _parse_url(
                    url, port, user, password, database, secure)
            else:
                path = DEFAULT_CHDB_PATH
        self.database = database or "modelbench"
        if not _IDENTIFIER.match(self.database):
            raise ConfigError(f"database name {self.database!r} is not a plain identifier",
                              hint="use letters, digits and underscores")
        self.embedded = path is not None
        self.path = str(path) if path is not None else None
        self.host, self.user = host, user or "default"
        self.secure = bool(secure)
        self.port = int(port) if port else (8443 if self.secure else 8123)
        self._password = password or ""
        self._timeout = connect_timeout
        self._lock = threading.RLock()
        #: Inside :meth:`atomic`: the keys written per table, deleted again on failure.
        self._undo: dict[str, set[str]] | None = None
        self._client: Any = None
        self._spool = None if self.embedded else Spool(
            spool_dir or default_spool_dir(), "clickhouse", self.host or "", self.port,
            self.database)
        self._chdb_key: str | None = None
        self._ready = False
        if self.embedded:
            self._open_chdb()

    # -- connection -----------------------------------------------------------------------
    def describe(self) -> str:
        if self.embedded:
            return f"clickhouse:chdb:{self.path} (database {self.database})"
        return f"clickhouse://{self.user}@{self.host}:{self.port}/{self.database}"

    def _open_chdb(self) -> None:
        driver = _import_driver()
        key = os.path.realpath(self.path or DEFAULT_CHDB_PATH)
        with _CHDB_LOCK:
            other = next((p for p in _CHDB_OPEN if p != key), None)
            if other:
                raise StoreError(f"embedded ClickHouse (chdb) already has {other} open in this "
                                 f"process; it cannot also open {key}",
                                 hint="use one chdb --path per process (close the other store)")
            try:
                Path(key).mkdir(parents=True, exist_ok=True)
                self._client = driver.get_client(interface="chdb", path=key)
            except OSError as exc:
                raise StoreError(f"cannot create the chdb folder {key}: {exc.strerror}",
                                 hint="pass --path to a writable folder") from exc
            except Exception as exc:  # the driver raises ProgrammingError for a locked folder
                raise StoreError(f"cannot open embedded ClickHouse at {key}: "
                                 f"{_first_line(exc)}",
                                 hint="another process may be using this folder (chdb locks "
                                      "it); use another --path or stop that process") from exc
            _CHDB_OPEN[key] = _CHDB_OPEN.get(key, 0) + 1
            self._chdb_key = key

    def _connect_server(self) -> Any:
        driver = _import_driver()
        try:
            client = driver.get_client(host=self.host, port=self.port, username=self.user,
                                       password=self._password, secure=self.secure,
                                       connect_timeout=self._timeout,
                                       send_receive_timeout=max(self._timeout, 60))
        except Exception as exc:
            raise self._translate(exc) from None
        self._client = client
        self._flush_spool()
        return client

    def _get_client(self) -> Any:
        if self._client is None:
            if self.embedded:
                raise StoreError(f"{self.describe()} is closed", hint="open a new store")
            self._connect_server()
        return self._client

    def _translate(self, exc: Exception) -> StoreError:
        """A driver error as a named error; never includes the password."""
        from clickhouse_connect.driver.exceptions import OperationalError

        text = _first_line(exc).replace(self._password, "***") if self._password else \
            _first_line(exc)
        if isinstance(exc, OperationalError) and not self.embedded:
            self._client = None
            return StoreUnavailableError(
                f"cannot reach ClickHouse at {self.host}:{self.port}: {text}",
                hint="start the server or check --host/--port (MODELBENCH_CLICKHOUSE_URL)")
        if "UNKNOWN_TABLE" in text or "UNKNOWN_DATABASE" in text:
            return SchemaMissingError(f"{self.describe()}: {text}", hint=SETUP_HINT)
        if "AUTHENTICATION_FAILED" in text or "REQUIRED_PASSWORD" in text:
            return StoreError(f"ClickHouse at {self.host}:{self.port} refused user "
                              f"{self.user!r}", hint="check --user and MODELBENCH_DB_PASSWORD")
        return StoreError(f"{self.describe()}: {text}", hint="see the message above")

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            client = self._get_client()
            try:
                return getattr(client, method)(*args, **kwargs)
            except StoreError:
                raise
            except Exception as exc:
                raise self._translate(exc) from None

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        result = self._call("query", sql, parameters=params or {})
        return [{k: _utc(v) for k, v in row.items()} for row in result.named_results()]

    def _scalar(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        result = self._call("query", sql, parameters=params or {})
        return result.result_rows[0][0] if result.result_rows else None

    def _t(self, table: str) -> str:
        return f"`{self.database}`.{table}"

    def _insert_arrow(self, table: str, arrow_table: Any) -> None:
        if arrow_table.num_rows:
            if self._undo is not None and table in _UNDO_KEYS:  # noted first: an insert
                self._undo.setdefault(table, set()).update(  # that fails may leave parts
                    arrow_table.column(_UNDO_KEYS[table]).to_pylist())
            self._call("insert_arrow", table, arrow_table, database=self.database)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Writes inside are stored together or not at all. ClickHouse has no transactions:
        the results, samples and item results written inside are noted by id and deleted
        again (a synchronous mutation) when the block fails, so a failed import leaves
        nothing. Callers write only new ids inside (the import skips stored ones)."""
        with self._lock:
            if self._undo is not None:
                yield
                return
            self._undo = {}
            try:
                yield
            except BaseException:
                written, self._undo = self._undo, None
                self._roll_back(written)
                raise
            finally:
                self._undo = None

    def _roll_back(self, written: dict[str, set[str]]) -> None:
        for table, ids in written.items():
            column = _UNDO_KEYS[table]
            try:
                self._delete_keys(table, column, ids)
            except StoreError as exc:  # the original failure is what the caller sees
                log.error("could not undo %d row key(s) of %s after a failed write: %s",
                          len(ids), table, exc)

    # -- lifecycle ------------------------------------------------------------------------
    def setup(self) -> None:
        with self._lock:
            self._call("command", f"CREATE DATABASE IF NOT EXISTS `{self.database}`")
            existing = self._existing_columns()
            if "schema_version" in existing:
                check_version(self._scalar(
                    f"SELECT max(version) FROM {self._t('schema_version')}"), self.describe())
            for name in TABLES:
                if name in existing:
                    for column in missing_columns(name, existing[name]):
                        self._call("command", add_column_sql(name, column, "clickhouse",
                                                             f"`{self.database}`."))
                else:
                    self._call("command",
                               create_table_sql(name, "clickhouse", f"`{self.database}`."))
            current = self._scalar(f"SELECT max(version) FROM {self._t('schema_version')}")
            if not current or int(current) < SCHEMA_VERSION:
                self._insert_arrow("schema_version", rows_to_arrow(
                    "schema_version", [{"version": SCHEMA_VERSION, "applied_at": utcnow()}]))
            self._ready = True
            self._flush_spool()

    def _existing_columns(self) -> dict[str, list[str]]:
        rows = self._rows("SELECT table, name FROM system.columns WHERE database = {d:String}",
                          {"d": self.database})
        tables: dict[str, list[str]] = {}
        for row in rows:
            tables.setdefault(row["table"], []).append(row["name"])
        return tables

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                try:
                    self._client.close()
                except Exception:  # closing a dead connection must not hide the real error
                    pass
                self._client = None
            if self._chdb_key:
                with _CHDB_LOCK:
                    _CHDB_OPEN[self._chdb_key] -= 1
                    if not _CHDB_OPEN[self._chdb_key]:
                        del _CHDB_OPEN[self._chdb_key]
                self._chdb_key = None

    def drop_database(self) -> None:
        """Remove this store's database and everything in it (tests, throwaway stores)."""
        self._call("command", f"DROP DATABASE IF EXISTS `{self.database}`")

    # -- results --------------------------------------------------------------------------
    def _write_results(self, batch: list[BenchmarkResult]) -> None:
        self._insert_arrow("model_benchmarks",
                           rows_to_arrow("model_benchmarks", [r.to_row() for r in batch]))

    def _select(self, where: str, params: dict[str, Any], tail: str = "") -> list[BenchmarkResult]:
        rows = self._rows(f"SELECT * FROM {self._t('model_benchmarks')}{where}{tail}", params)
        return [BenchmarkResult.from_row(r) for r in rows]

    def query_results(self, flt: ResultFilter | None = None, *, order_by: str = "timestamp",
                      descending: bool = True, limit: int | None = None,
                      offset: int = 0) -> list[BenchmarkResult]:
        where, params = filter_conditions(flt, _param, like="ILIKE")
        # NULLs sort as in SQLite: first when ascending, last when descending.
        direction = "DESC NULLS LAST" if descending else "ASC NULLS FIRST"
        tail = f" ORDER BY {check_order(order_by)} {direction}, id {direction.split()[0]}"
        if limit is not None or offset:
            tail += f" LIMIT {_param('limit')} OFFSET {_param('offset')}"
            params.update(limit=_MAX_ROWS if limit is None else int(limit), offset=int(offset))
        return self._select(where, params, tail)

    def count_results(self, flt: ResultFilter | None = None) -> int:
        where, params = filter_conditions(flt, _param, like="ILIKE")
        return int(self._scalar(f"SELECT count() FROM {self._t('model_benchmarks')}{where}",
                                params))

    def _results_by_id_prefix(self, prefix: str) -> list[BenchmarkResult]:
        return self._select(" WHERE startsWith(id, {p:String})", {"p": prefix}, " LIMIT 2")

    def select_columns(self, columns: Sequence[str], flt: ResultFilter | None = None
                       ) -> list[dict[str, Any]]:
        where, params = filter_conditions(flt, _param, like="ILIKE")
        return self._rows(f"SELECT {check_columns(columns)} FROM "
                          f"{self._t('model_benchmarks')}{where}", params)

    def distinct_values(self, column: str, flt: ResultFilter | None = None) -> list[str]:
        check_key_column(column)
        where, params = filter_conditions(flt, _param, like="ILIKE")
        sql = (f"SELECT DISTINCT toString({column}) AS v FROM {self._t('model_benchmarks')}"
               f"{where} ORDER BY v")
        return [r["v"] for r in self._rows(sql, params)]

    def stored_result_ids(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        sql = (f"SELECT DISTINCT id FROM {self._t('model_benchmarks')} "
               "WHERE has({ids:Array(String)}, id)")
        return {r["id"] for r in self._rows(sql, {"ids": list(ids)})}

    def delete_results(self, ids: Sequence[str]) -> None:
        for table, column in _UNDO_KEYS.items():  # synchronous mutations, as atomic's undo
            if ids:
                self._delete_keys(table, column, ids)

    def _delete_keys(self, table: str, column: str, ids: Collection[str]) -> None:
        """Delete the rows of ``table`` whose ``column`` is among ``ids``, waiting for the
        mutation (ClickHouse deletes are asynchronous unless told otherwise)."""
        self._call("command", f"ALTER TABLE {self._t(table)} DELETE WHERE "
                   f"has({{ids:Array(String)}}, {column}) SETTINGS mutations_sync = 2",
                   parameters={"ids": sorted(ids)})

    def result_ids_with_samples(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        sql = (f"SELECT DISTINCT result_id FROM {self._t('benchmark_samples')} "
               "WHERE has({ids:Array(String)}, result_id)")
        return {r["result_id"] for r in self._rows(sql, {"ids": list(ids)})}

    # -- samples --------------------------------------------------------------------------
    def _write_sample_batch(self, batch: list[tuple[str, np.ndarray, datetime, str,
                                                    np.ndarray]]) -> int:
        table = samples_arrow(batch)
        self._insert_arrow("benchmark_samples", table)
        return table.num_rows

    def get_sample_runs(self, result_id: str, *, series: str = "call"
                        ) -> tuple[np.ndarray, np.ndarray]:
        table = self._call("query_arrow", f"SELECT latency_ns, run_index FROM "
                           f"{self._t('benchmark_samples')} WHERE result_id = {{r:String}} "
                           "AND series = {s:String} ORDER BY seq",
                           parameters={"r": result_id, "s": series})
        return (table.column("latency_ns").to_numpy().astype(np.int64, copy=False),
                table.column("run_index").to_numpy().astype(np.int64, copy=False))

    def get_item_results(self, result_id: str) -> tuple[np.ndarray, list[Any]]:
        rows = self._rows(f"SELECT value, prediction FROM {self._t('item_results')} "
                          "WHERE result_id = {r:String} ORDER BY item", {"r": result_id})
        values = np.array([np.nan if r["value"] is None else r["value"] for r in rows],
                          dtype=np.float64)
        return values, parse_predictions(r["prediction"] for r in rows)

    # -- analysis -------------------------------------------------------------------------
    def latency_medians(self, flt: ResultFilter | None = None) -> list[dict[str, Any]]:
        flt = dataclasses.replace(flt, status="ok") if flt else ResultFilter(status="ok")
        where, params = filter_conditions(flt, _param, like="ILIKE")
        results, samples = self._t("model_benchmarks"), self._t("benchmark_samples")
        sql = f"""
            WITH ok AS (SELECT id, toString(task_type) AS task_type,
                               toString(model_name) AS model_name FROM {results}{where}),
            n AS (SELECT task_type, model_name, count() AS n_results FROM ok
                  GROUP BY task_type, model_name),
            med AS (SELECT ok.task_type AS task_type, ok.model_name AS model_name,
                           quantileExactInclusive(0.5)(s.latency_ns) / 1e6 AS median_latency_ms
                    FROM {samples} AS s INNER JOIN ok ON s.result_id = ok.id
                    WHERE s.series = 'call'
                    GROUP BY ok.task_type, ok.model_name)
            SELECT n.task_type AS task_type, n.model_name AS model_name,
                   n.n_results AS n_results,
                   if(med.model_name = '', NULL, med.median_latency_ms) AS median_latency_ms
            FROM n LEFT JOIN med ON med.task_type = n.task_type
                                AND med.model_name = n.model_name
            ORDER BY task_type, model_name"""
        rows = self._rows(sql, params)
        for row in rows:
            row["n_results"] = int(row["n_results"])
        return rows

    def model_history(self, model_name: str, *, metric: str | None = None,
                      task_type: str | None = None, dataset: str | None = None,
                      bucket: str | None = None) -> list[dict[str, Any]]:
        flt = ResultFilter(model_name=model_name, metric=metric, task_type=task_type,
                           dataset=dataset)
        where, params = filter_conditions(flt, _param, like="ILIKE")
        table = self._t("model_benchmarks")
        if bucket is None:
            sql = ("SELECT id, timestamp, score, latency_median_ms, toString(status) AS status "
                   f"FROM {table}{where} ORDER BY timestamp, id")
            return self._rows(sql, params)
        params["us"] = parse_bucket(bucket) * 1_000_000
        start = ("fromUnixTimestamp64Micro(intDiv(toUnixTimestamp64Micro(timestamp), {us:Int64})"
                 " * {us:Int64}, 'UTC')")
        sql = (f"SELECT {start} AS bucket, count() AS n, avg(score) AS score_mean, "
               "min(score) AS score_min, max(score) AS score_max, "
               f"avg(latency_median_ms) AS latency_median_ms FROM {table}{where} "
               "GROUP BY bucket ORDER BY bucket")
        rows = self._rows(sql, params)
        for row in rows:
            row["n"] = int(row["n"])
        return rows

    # -- metadata -------------------------------------------------------------------------
    def upsert_models(self, models: Iterable[ModelMetadata]) -> int:
        rows = [m.to_row() for m in models]
        self._insert_arrow("model_metadata", rows_to_arrow("model_metadata", rows))
        return len(rows)

    def list_models(self, search: str | None = None) -> list[ModelMetadata]:
        sql, params = f"SELECT * FROM {self._t('model_metadata')} FINAL", {}
        if search:
            sql += " WHERE model_name ILIKE {s:String}"
            params["s"] = _like_pattern(search)
        rows = self._rows(sql + " ORDER BY model_name, model_version", params)
        return [ModelMetadata.from_row(r) for r in rows]

    def upsert_datasets(self, datasets: Iterable[DatasetMetadata]) -> int:
        rows = [d.to_row() for d in datasets]
        self._insert_arrow("dataset_metadata", rows_to_arrow("dataset_metadata", rows))
        return len(rows)

    def list_datasets(self) -> list[DatasetMetadata]:
        rows = self._rows(f"SELECT * FROM {self._t('dataset_metadata')} FINAL ORDER BY name")
        return [DatasetMetadata.from_row(r) for r in rows]

    # -- bulk transfer --------------------------------------------------------------------
    def fetch_table(self, table: str, batch_size: int = 50_000) -> Iterator[list[dict[str, Any]]]:
        for block in self.fetch_arrow(table, batch_size):
            yield block.to_pylist()

    def fetch_arrow(self, table: str, batch_size: int = 200_000) -> Iterator[Any]:
        import pyarrow as pa

        from .schema import arrow_schema

        self.check_table(table)
        schema = arrow_schema(table)
        final = " FINAL" if table in ("model_metadata", "dataset_metadata") else ""
        names = ", ".join(column_names(table))
        sql = f"SELECT {names} FROM {self._t(table)}{final}"
        with self._lock:  # streamed: the whole table is never in memory at once
            stream = self._call("query_arrow_stream", sql)
            try:
                with stream:
                    pending: list[Any] = []
                    size = 0
                    for batch in stream:
                        pending.append(batch)
                        size += batch.num_rows
                        if size >= batch_size:
                            yield pa.Table.from_batches(pending).cast(schema)
                            pending, size = [], 0
                    if pending:
                        yield pa.Table.from_batches(pending).cast(schema)
            except StoreError:
                raise
            except Exception as exc:
                raise self._translate(exc) from None

    def load_table(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        self.check_table(table)
        rows = list(rows)
        self._insert_arrow(table, rows_to_arrow(table, rows))
        return len(rows)

    def load_arrow(self, table: str, data: Any) -> int:
        from .schema import arrow_schema

        self.check_table(table)
        data = data.select(column_names(table)).cast(arrow_schema(table))
        self._insert_arrow(table, data)
        return data.num_rows


def samples_arrow(batch: list[tuple[str, np.ndarray, datetime, str, np.ndarray]]) -> Any:
    """``(result_id, latencies_ns, timestamp, series, run_index)`` items as one Arrow table."""
    import pyarrow as pa

    from .schema import arrow_schema

    lengths = np.array([len(item[1]) for item in batch], dtype=np.int64)
    total = int(lengths.sum())
    owner = np.repeat(np.arange(len(batch)), lengths)
    stamps = np.array([_micros(item[2] or utcnow()) for item in batch], dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    seq = (np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)).astype(np.int32)
    latencies = (np.concatenate([item[1] for item in batch]) if batch
                 else np.empty(0, dtype=np.int64)).astype(np.int64, copy=False)
    runs = (np.concatenate([item[4] for item in batch]) if batch
            else np.empty(0, dtype=np.int64)).astype(np.int32)
    take = pa.array(owner)
    return pa.Table.from_arrays(
        [pa.array([item[0] for item in batch], pa.string()).take(take),
         pa.array(stamps[owner], pa.int64()).cast(pa.timestamp("us", tz="UTC")),
         pa.array(seq), pa.array(latencies),
         pa.array([item[3] for item in batch], pa.string()).take(take), pa.array(runs)],
        schema=arrow_schema("benchmark_samples"))


def _micros(stamp: datetime) -> int:
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    delta = stamp - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _parse_url(url: str, port: int | None, user: str | None, password: str | None,
               database: str | None, secure: bool | None
               ) -> tuple[str, int | None, str | None, str | None, str | None, bool | None]:
    """``clickhouse://user:pw@host:8123/db`` (or ``http(s)://``); flags win over the URL."""
    parsed = urlparse(url)
    if parsed.scheme not in ("clickhouse", "http", "https", "clickhouses") or not parsed.hostname:
        raise ConfigError("MODELBENCH_CLICKHOUSE_URL is not a clickhouse:// or http(s):// URL",
                          hint="e.g. clickhouse://default@127.0.0.1:8123/modelbench")
    return (parsed.hostname, port or parsed.port,
            user or (unquote(parsed.username) if parsed.username else None),
            password or (unquote(parsed.password) if parsed.password else None),
            database or (parsed.path.lstrip("/") or None),
            secure if secure is not None else parsed.scheme in ("https", "clickhouses"))
