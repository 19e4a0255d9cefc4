"""The one logical schema, rendered as DDL per dialect (``sqlite``, ``postgres``, ``clickhouse``).

Every backend creates its tables from :data:`TABLES`; a column added here reaches all three.
A schema change bumps :data:`SCHEMA_VERSION` and marks what it adds with ``since``: a column
(with a ``default``, so existing rows get a value) or a whole table. Migrating a store is then
derived, not hand-written: :func:`missing_columns` compares a store's columns with the schema
and :func:`add_column_sql` renders each missing one per dialect, so a store of any older
version (or a half-migrated one) is brought up to date by the same code that creates it.

Example:
    >>> print(create_table_sql("schema_version", "sqlite"))  # doctest: +NORMALIZE_WHITESPACE
    CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SchemaVersionError

__all__ = ["Column", "Table", "TABLES", "SCHEMA_VERSION", "column_names", "arrow_schema",
           "rows_to_arrow", "conform_arrow", "create_table_sql", "add_column_sql",
           "missing_columns", "check_version", "TYPE_NAMES", "RESULT_ROW_KEYS"]

#: v1: the first release. v2: canonical scores, metric kind/direction, swept parameters,
#: model memory, git state, named latency series; samples carry series and run index;
#: per-item results (``item_results``).
SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Column:
    """A logical column. ``kind`` is one of the keys of :data:`TYPE_NAMES`."""

    name: str
    kind: str
    nullable: bool = True
    default: str | int | None = None  # a literal every existing row gets when added later
    since: int = 1  # the schema version that added it


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    time_column: str | None = None  # the time axis (hypertables, partitions, history)
    order_by: tuple[str, ...] = ()  # ClickHouse sort key / common query order
    # Bulk tables: on PostgreSQL the key is a plain index, not a constraint (a unique index
    # halves binary COPY speed); uniqueness is then kept by the writers (spool, import).
    bulk: bool = False
    since: int = 1  # the schema version that added the table


#: Logical kind -> SQL type per dialect. ``key`` is a short, repeated string (LowCardinality).
TYPE_NAMES: dict[str, dict[str, str]] = {
    "text": {"sqlite": "TEXT", "postgres": "TEXT", "clickhouse": "String"},
    "key": {"sqlite": "TEXT", "postgres": "TEXT", "clickhouse": "LowCardinality(String)"},
    "int": {"sqlite": "INTEGER", "postgres": "INTEGER", "clickhouse": "Int32"},
    "bigint": {"sqlite": "INTEGER", "postgres": "BIGINT", "clickhouse": "Int64"},
    "float": {"sqlite": "REAL", "postgres": "DOUBLE PRECISION", "clickhouse": "Float64"},
    "timestamp": {"sqlite": "TEXT", "postgres": "TIMESTAMPTZ",
                  "clickhouse": "DateTime64(6, 'UTC')"},
    "json": {"sqlite": "TEXT", "postgres": "TEXT", "clickhouse": "String"},
}

C = Column


def _v2(name: str, kind: str, default: str | int | None = None) -> Column:
    """A column added by schema v2: NOT NULL with its default, or nullable without one."""
    return Column(name, kind, nullable=default is None, default=default, since=2)

_LATENCY = tuple(C(f"latency_{n}_ms", "float") for n in (
    "mean", "median", "stdev", "min", "max", "p50", "p90", "p95", "p99", "ci_low", "ci_high"))

MODEL_BENCHMARKS = Table(
    "model_benchmarks",
    (
        C("id", "text", False), C("timestamp", "timestamp", False),
        C("model_name", "key", False), C("model_version", "key", False),
        C("task_type", "key", False), C("dataset", "key", False), C("dataset_split", "key", False),
        C("metric", "key", False), C("score", "float"),
        C("status", "key", False), C("error_message", "text", False),
        C("runtime_ms", "float"), C("memory_usage_mb", "float"), C("python_peak_mb", "float"),
        C("gpu_peak_mb", "float"),
        *_LATENCY,
        C("outliers", "int"), C("n_samples", "bigint"), C("throughput", "float"),
        C("batch_size", "int"), C("n_items", "bigint"),
        C("warnings", "json", False), C("environment", "json", False), C("env_hash", "key", False),
        C("run_id", "text", False),
        C("source", "key", False), C("source_url", "text", False),
        C("collected_at", "timestamp"), C("extraction_method", "key", False),
        C("confidence", "float"), C("extra", "json", False),
        # v2
        _v2("score_canonical", "float"), _v2("score_printed", "text", ""),
        _v2("metric_kind", "key", ""), _v2("direction", "key", ""),
        _v2("direction_guessed", "int", 0), _v2("dataset_config", "key", ""),
        _v2("quality_flag", "key", ""), _v2("natural_key", "text", ""),
        _v2("n_runs", "int"), _v2("threads", "int"), _v2("params", "json", "{}"),
        _v2("memory_setup_mb", "float"), _v2("memory_peak_mb", "float"),
        _v2("model_memory_mb", "float"), _v2("per_item_median_ms", "float"),
        _v2("git_commit", "key", ""), _v2("git_branch", "key", ""), _v2("git_dirty", "int"),
        _v2("cell_key", "text", ""), _v2("series_stats", "json", "{}"),
    ),
    primary_key=("id",),
    time_column="timestamp",
    order_by=("model_name", "task_type", "metric", "timestamp"),
)

BENCHMARK_SAMPLES = Table(
    "benchmark_samples",
    (C("result_id", "text", False), C("timestamp", "timestamp", False),
     C("seq", "int", False), C("latency_ns", "bigint", False),
     _v2("series", "key", "call"), _v2("run_index", "int", 0)),
    # seq counts calls within one series of one result; v1 stores had (result_id, seq).
    primary_key=("result_id", "series", "seq"),
    time_column="timestamp",
    order_by=("result_id", "series", "seq"),
    bulk=True,
)

#: Per-item outcomes of a measured result (correctness 0/1, or a per-item loss) and the
#: model's prediction as JSON: what paired quality tests (McNemar, paired bootstrap) need.
ITEM_RESULTS = Table(
    "item_results",
    (C("result_id", "text", False), C("item", "int", False), C("value", "float"),
     C("prediction", "json", False, default="null")),
    primary_key=("result_id", "item"),
    order_by=("result_id", "item"),
    bulk=True,
    since=2,
)

MODEL_METADATA = Table(
    "model_metadata",
    (C("model_name", "key", False), C("model_version", "key", False),
     C("architecture", "text", False), C("parameters", "bigint"), C("framework", "key", False),
     C("task_type", "key", False), C("license", "key", False), C("description", "text", False),
     C("tags", "json", False), C("downloads", "bigint"), C("likes", "bigint"),
     C("source", "key", False), C("source_url", "text", False),
     C("updated_at", "timestamp", False), C("extra", "json", False)),
    primary_key=("model_name", "model_version"),
    order_by=("model_name", "model_version"),
)

DATASET_METADATA = Table(
    "dataset_metadata",
    (C("name", "key", False), C("task_type", "key", False), C("description", "text", False),
     C("num_samples", "bigint"), C("citation", "text", False), C("url", "text", False),
     C("metrics", "json", False), C("source", "key", False),
     C("updated_at", "timestamp", False), C("extra", "json", False)),
    primary_key=("name",),
    order_by=("name",),
)

SCHEMA_VERSION_TABLE = Table(
    "schema_version",
    (C("version", "int", False), C("applied_at", "timestamp", False)),
)

TABLES: dict[str, Table] = {t.name: t for t in (
    MODEL_BENCHMARKS, BENCHMARK_SAMPLES, ITEM_RESULTS, MODEL_METADATA, DATASET_METADATA,
    SCHEMA_VERSION_TABLE)}

#: The tables that hold a result's rows, each with its result id column, children first:
#: what deleting a result (or undoing its write) must reach.
RESULT_ROW_KEYS: tuple[tuple[str, str], ...] = (
    ("benchmark_samples", "result_id"), ("item_results", "result_id"), ("model_benchmarks", "id"))


def column_names(table: str) -> list[str]:
    """Column names of a table, in schema order."""
    return [c.name for c in TABLES[table].columns]


def _literal(value: str | int) -> str:
    # Defaults are the schema's own constants, never user input; quoted for the record.
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def _column_sql(column: Column, dialect: str) -> str:
    sql_type = TYPE_NAMES[column.kind][dialect]
    default = "" if column.default is None else f" DEFAULT {_literal(column.default)}"
    if dialect == "clickhouse":
        typed = sql_type if not column.nullable else f"Nullable({sql_type})"
        return f"{column.name} {typed}{default}"
    return f"{column.name} {sql_type}{'' if column.nullable else ' NOT NULL'}{default}"


def missing_columns(table: str, existing: set[str] | list[str]) -> list[Column]:
    """Schema columns of ``table`` that a store's copy of it lacks (what a migration adds).

    >>> [c.name for c in missing_columns("benchmark_samples",
    ...                                  ["result_id", "timestamp", "seq", "latency_ns"])]
    ['series', 'run_index']
    """
    have = set(existing)
    return [c for c in TABLES[table].columns if c.name not in have]


def add_column_sql(table: str, column: Column, dialect: str, qualifier: str = "") -> str:
    """``ALTER TABLE ... ADD COLUMN`` for one schema column in one dialect.

    >>> add_column_sql("model_benchmarks", TABLES["model_benchmarks"].columns[-1], "postgres")
    "ALTER TABLE model_benchmarks ADD COLUMN IF NOT EXISTS series_stats TEXT NOT NULL DEFAULT '{}'"
    """
    exists = "" if dialect == "sqlite" else "IF NOT EXISTS "
    return (f"ALTER TABLE {qualifier}{table} ADD COLUMN {exists}"
            f"{_column_sql(column, dialect)}")


def check_version(found: int | None, where: str) -> None:
    """Refuse a store written by a newer modelbench (its columns may mean other things).

    >>> check_version(1, "sqlite:x.db")
    >>> try:
    ...     check_version(99, "sqlite:x.db")
    ... except Exception as exc:
    ...     print(type(exc).__name__, exc.found, exc.supported)
    SchemaVersionError 99 2
    """
    if found is not None and int(found) > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{where} has schema version {found}; this modelbench reads up to {SCHEMA_VERSION}",
            found=int(found), supported=SCHEMA_VERSION,
            hint="upgrade modelbench (pip install -U modelbench) or use another --db-path")


def create_table_sql(name: str, dialect: str, qualifier: str = "") -> str:
    """``CREATE TABLE IF NOT EXISTS`` for one table in one dialect (names come from the schema).

    ``qualifier`` prefixes the table name (a validated database name, e.g. ``"bench."`` for
    ClickHouse, where every statement names its database).
    """
    table = TABLES[name]
    parts = [_column_sql(c, dialect) for c in table.columns]
    if dialect == "sqlite" and table.primary_key or (
            dialect == "postgres" and table.primary_key and not table.bulk):
        # Hypertables need the time column inside every unique index.
        key = table.primary_key
        if dialect == "postgres" and table.time_column and table.time_column not in key:
            key = (*key, table.time_column)
        parts.append(f"PRIMARY KEY ({', '.join(key)})")
    sql = f"CREATE TABLE IF NOT EXISTS {qualifier}{name} ({', '.join(parts)})"
    if dialect == "clickhouse":
        # Metadata is keyed (upsert): ReplacingMergeTree without a version keeps the row
        # inserted last, the same rule as INSERT OR REPLACE / ON CONFLICT DO UPDATE.
        engine = "ReplacingMergeTree" if name in ("model_metadata",
                                                  "dataset_metadata") else "MergeTree"
        order = ", ".join(table.order_by) or "tuple()"
        sql += f" ENGINE = {engine}"
        if table.time_column:
            sql += f" PARTITION BY toYYYYMM({table.time_column})"
        sql += f" ORDER BY ({order})"
    return sql


_ARROW_TYPES = {"text": "string", "key": "string", "json": "string", "int": "int32",
                "bigint": "int64", "float": "float64", "timestamp": "timestamp"}


def arrow_schema(name: str):  # -> pyarrow.Schema (pyarrow imported lazily)
    """The Arrow schema of a table: what Parquet export files and columnar inserts use.

    >>> arrow_schema("benchmark_samples").field("timestamp").type
    TimestampType(timestamp[us, tz=UTC])
    """
    import pyarrow as pa

    def arrow_type(kind: str):
        logical = _ARROW_TYPES[kind]
        if logical == "timestamp":
            return pa.timestamp("us", tz="UTC")
        return pa.type_for_alias(logical)

    return pa.schema([pa.field(c.name, arrow_type(c.kind), nullable=c.nullable)
                      for c in TABLES[name].columns])


def conform_arrow(name: str, data):  # (pyarrow.Table) -> pyarrow.Table
    """An Arrow table of an older schema version brought to this one: columns added since
    get their default (or nulls), then everything is cast to :func:`arrow_schema`.

    >>> import pyarrow as pa
    >>> old = pa.table({"result_id": ["r"], "seq": [0], "latency_ns": [5],
    ...                 "timestamp": pa.array([0], pa.timestamp("us", tz="UTC"))})
    >>> conform_arrow("benchmark_samples", old).column("series").to_pylist()
    ['call']
    """
    import pyarrow as pa

    schema = arrow_schema(name)
    columns = []
    for column, field_type in zip(TABLES[name].columns, schema, strict=True):
        if column.name in data.column_names:
            columns.append(data.column(column.name).cast(field_type.type))
        else:
            columns.append(pa.array([column.default] * data.num_rows, field_type.type))
    return pa.Table.from_arrays(columns, schema=schema)


def rows_to_arrow(name: str, rows: list[dict]):  # -> pyarrow.Table
    """Row dicts (schema column -> value) as an Arrow table with :func:`arrow_schema`."""
    import pyarrow as pa

    schema = arrow_schema(name)
    columns = {f.name: [row.get(f.name) for row in rows] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)
