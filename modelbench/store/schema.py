"""The one logical schema, rendered as DDL per dialect (``sqlite``, ``postgres``, ``clickhouse``).

Every backend creates its tables from :data:`TABLES`; a column added here reaches all three.
Bump :data:`SCHEMA_VERSION` and add a step to :data:`MIGRATIONS` when the schema changes.

Example:
    >>> print(create_table_sql("schema_version", "sqlite"))  # doctest: +NORMALIZE_WHITESPACE
    CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Column", "Table", "TABLES", "SCHEMA_VERSION", "MIGRATIONS", "column_names",
           "arrow_schema", "rows_to_arrow",
           "create_table_sql", "TYPE_NAMES"]

SCHEMA_VERSION = 1

#: Per-dialect step lists keyed by the version they migrate *to* (v1 is created fresh).
MIGRATIONS: dict[int, dict[str, list[str]]] = {}


@dataclass(frozen=True)
class Column:
    """A logical column. ``kind`` is one of the keys of :data:`TYPE_NAMES`."""

    name: str
    kind: str
    nullable: bool = True


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
    ),
    primary_key=("id",),
    time_column="timestamp",
    order_by=("model_name", "task_type", "metric", "timestamp"),
)

BENCHMARK_SAMPLES = Table(
    "benchmark_samples",
    (C("result_id", "text", False), C("timestamp", "timestamp", False),
     C("seq", "int", False), C("latency_ns", "bigint", False)),
    primary_key=("result_id", "seq"),
    time_column="timestamp",
    order_by=("result_id", "seq"),
    bulk=True,
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
    MODEL_BENCHMARKS, BENCHMARK_SAMPLES, MODEL_METADATA, DATASET_METADATA, SCHEMA_VERSION_TABLE)}


def column_names(table: str) -> list[str]:
    """Column names of a table, in schema order."""
    return [c.name for c in TABLES[table].columns]


def _column_sql(column: Column, dialect: str) -> str:
    sql_type = TYPE_NAMES[column.kind][dialect]
    if dialect == "clickhouse":
        return f"{column.name} {sql_type if not column.nullable else f'Nullable({sql_type})'}"
    return f"{column.name} {sql_type}{'' if column.nullable else ' NOT NULL'}"


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


def rows_to_arrow(name: str, rows: list[dict]):  # -> pyarrow.Table
    """Row dicts (schema column -> value) as an Arrow table with :func:`arrow_schema`."""
    import pyarrow as pa

    schema = arrow_schema(name)
    columns = {f.name: [row.get(f.name) for row in rows] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)
