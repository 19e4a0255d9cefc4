"""Move data between stores: export to Parquet (every table) or CSV/JSON (results), import Parquet.

A Parquet export is a folder: one ``<table>.parquet`` per data table (``model_benchmarks``,
``benchmark_samples``, ``model_metadata``, ``dataset_metadata``), typed by
:func:`.schema.arrow_schema`, plus ``manifest.json`` with the row counts. Importing it into
any backend gives identical rows and values. Import skips results whose id is already stored
(and samples of results that already have samples), so running it twice doubles nothing.

Example:
    >>> import tempfile
    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult
    >>> src = get_database_manager("sqlite", path=":memory:"); src.setup()
    >>> _ = src.insert_result(BenchmarkResult(model_name="m", metric="acc", score=0.5))
    >>> folder = tempfile.mkdtemp()
    >>> export_store(src, folder)["model_benchmarks"]
    1
    >>> dst = get_database_manager("sqlite", path=":memory:"); dst.setup()
    >>> import_store(dst, folder)["model_benchmarks"]
    {'written': 1, 'skipped': 0}
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from ..errors import StoreError, ValidationError
from ..records import BenchmarkResult
from .base import DatabaseManager, ResultFilter
from .schema import (
    SCHEMA_VERSION,
    TABLES,
    Column,
    arrow_schema,
    column_names,
    conform_arrow,
    rows_to_arrow,
)

log = logging.getLogger("modelbench.store")

__all__ = ["export_store", "import_store", "check_format", "DATA_TABLES", "FORMATS"]

DATA_TABLES = ("model_benchmarks", "benchmark_samples", "item_results", "model_metadata",
               "dataset_metadata")
FORMATS = ("parquet", "csv", "json")
_ID_CHUNK = 5_000


def export_store(store: DatabaseManager, output: str | Path, fmt: str = "parquet",
                 flt: ResultFilter | None = None) -> dict[str, int]:
    """Write the store (or the results matching ``flt``) to ``output``; returns rows per table.

    ``parquet``: ``output`` is a folder (created) holding every data table; with a filter, only
    the matching results and their samples (metadata tables in full). ``csv``/``json``:
    ``output`` is one file of results (flat columns / :meth:`BenchmarkResult.to_dict`).
    """
    fmt = check_format(fmt)
    to_stdout = str(output) == "-"
    if fmt == "parquet":
        if to_stdout:
            raise ValidationError("a parquet export is a folder; it cannot go to stdout",
                                  hint="use --format csv or json with -o -, or name a folder")
        return _export_parquet(store, Path(output), flt)
    results = store.query_results(flt, order_by="timestamp", descending=False)
    if to_stdout:
        _write_results(results, fmt, sys.stdout)
        sys.stdout.flush()
    else:
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", newline="", encoding="utf-8") as handle:
            _write_results(results, fmt, handle)
    return {"model_benchmarks": len(results)}


def check_format(fmt: str) -> str:
    """``fmt`` in lower case if it is an export format, else a :class:`ValidationError`.

    >>> check_format("CSV")
    'csv'
    """
    if fmt.lower() not in FORMATS:
        raise ValidationError(f"unknown export format {fmt!r}",
                              hint=f"one of: {', '.join(FORMATS)}")
    return fmt.lower()


def _write_results(results: list[BenchmarkResult], fmt: str, handle: TextIO) -> None:
    if fmt == "json":
        handle.write(json.dumps([r.to_dict() for r in results], indent=1, ensure_ascii=False))
        return
    columns = column_names("model_benchmarks")
    writer = csv.DictWriter(handle, fieldnames=columns)
    writer.writeheader()
    for result in results:
        row = result.to_row()
        writer.writerow({c: _csv_value(row[c]) for c in columns})


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _from_csv(text: str, column: Column) -> Any:
    """A CSV cell back to its column's type ('' is NULL where the column may be NULL).

    >>> from .schema import Column
    >>> _from_csv("0.25", Column("score", "float")), _from_csv("", Column("score", "float"))
    (0.25, None)
    """
    if text == "":
        return None if column.nullable else ""
    if column.kind == "float":
        return float(text)
    if column.kind in ("int", "bigint"):
        return int(text)
    if column.kind == "timestamp":
        return datetime.fromisoformat(text)
    return text


def _export_parquet(store: DatabaseManager, folder: Path, flt: ResultFilter | None
                    ) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    wanted: Any = None
    if flt is not None and flt.active():
        rows = [r.to_row() for r in store.query_results(flt, descending=False)]
        wanted = pa.array([row["id"] for row in rows], pa.string())
    for table in DATA_TABLES:
        schema = arrow_schema(table)
        counts[table] = 0
        with pq.ParquetWriter(folder / f"{table}.parquet", schema) as writer:
            if table == "model_benchmarks" and wanted is not None:
                sources: Any = [rows_to_arrow(table, rows)]
            else:
                sources = store.fetch_arrow(table)
            for batch in sources:
                data = batch
                if table in ("benchmark_samples", "item_results") and wanted is not None:
                    data = data.filter(pc.is_in(data.column("result_id"), value_set=wanted))
                if data.num_rows:
                    writer.write_table(data.cast(schema))
                    counts[table] += data.num_rows
    manifest = {"format": "modelbench-export", "schema_version": SCHEMA_VERSION,
                "source": store.describe(), "tables": counts,
                "filter": {k: str(v) for k, v in (flt.active() if flt else {}).items()}}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return counts


#: Where imported results go when the caller hands one in: ``modelbench.ingest``'s
#: ``Ingestor(store).add`` (validation, canonical scale, natural-key de-duplication); it
#: returns a report with ``stored``, ``duplicates``, ``skipped`` and the stored ``ids``.
Ingest = Callable[[list[BenchmarkResult]], Any]


def import_store(store: DatabaseManager, path: str | Path, *, ingest: Ingest | None = None
                 ) -> dict[str, dict[str, int]]:
    """Load an export (a Parquet folder, or a JSON or CSV file of results) into ``store``.

    Returns ``{table: {"written": n, "skipped": m}}``; skipped rows were already stored.
    With ``ingest`` every result goes through it (the store cannot import ``ingest``
    itself): ``skipped`` counts natural-key duplicates, ``rejected`` invalid values, and
    samples and item results come only with the results it stored.
    """
    path = Path(path)
    if path.is_file() and path.suffix == ".json":
        return {"model_benchmarks": _import_json(store, path, ingest)}
    if path.is_file() and path.suffix == ".csv":
        return {"model_benchmarks": _import_csv(store, path, ingest)}
    if not (path / "manifest.json").is_file():
        raise StoreError(f"{path} is not a modelbench Parquet export (no manifest.json)",
                         hint="export with `modelbench export --format parquet --output DIR`")
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("schema_version", 0) > SCHEMA_VERSION:
        raise StoreError(f"{path} has schema version {manifest['schema_version']}, newer than "
                         f"this modelbench ({SCHEMA_VERSION})", hint="upgrade modelbench")
    # One transaction (SQLite, PostgreSQL): a full disk or a lost connection halfway leaves
    # the store as it was, never half an import. (ClickHouse has no transactions.)
    with store.atomic():
        kept: set[str] | None = None
        if ingest is None:
            results = _import_results(store, path / "model_benchmarks.parquet")
        else:
            kept = set()
            results = _ingest_parquet(path / "model_benchmarks.parquet", ingest, kept)
        report = {"model_benchmarks": results,
                  "benchmark_samples": _import_samples(store,
                                                       path / "benchmark_samples.parquet",
                                                       kept),
                  "item_results": _import_items(store, path / "item_results.parquet", kept)}
        for table in ("model_metadata", "dataset_metadata"):
            report[table] = _import_plain(store, table, path / f"{table}.parquet")
    return report


def _parquet_batches(file: Path, batch_size: int = 200_000) -> Iterator[Any]:
    import pyarrow.parquet as pq

    if not file.is_file():
        return
    reader = pq.ParquetFile(file)
    yield from reader.iter_batches(batch_size=batch_size)


def _import_results(store: DatabaseManager, file: Path) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.compute as pc

    written = skipped = 0
    rejected: list[str] = []
    for batch in _parquet_batches(file, _ID_CHUNK):
        data = pa.Table.from_batches([batch])
        bad = []
        for row in data.to_pylist():  # one bad value costs its row, not the import
            try:
                BenchmarkResult.from_row(row).validate()
            except ValidationError as exc:
                bad.append(row["id"])
                rejected.append(f"{row['id']}: {exc.message}")
        if bad:
            data = data.filter(pc.invert(pc.is_in(data.column("id"),
                                                  value_set=pa.array(bad, pa.string()))))
        stored = store.stored_result_ids(data.column("id").to_pylist())
        if stored:
            data = data.filter(pc.invert(pc.is_in(data.column("id"),
                                                  value_set=pa.array(sorted(stored)))))
            skipped += len(stored)
        if data.num_rows:
            written += store.load_arrow("model_benchmarks",
                                        conform_arrow("model_benchmarks", data))
    if not rejected:
        return {"written": written, "skipped": skipped}
    log.warning("%d result(s) not imported: %s", len(rejected), "; ".join(rejected[:5]))
    return {"written": written, "skipped": skipped, "rejected": len(rejected)}


def _ingest_parquet(file: Path, ingest: Ingest, kept: set[str]) -> dict[str, int]:
    """Results of a Parquet export through ``ingest``, batch by batch; ``kept`` gets the
    ids it stored (their samples and item results follow)."""
    import pyarrow as pa

    counts = {"written": 0, "skipped": 0, "rejected": 0}
    for batch in _parquet_batches(file, _ID_CHUNK):
        results = [BenchmarkResult.from_row(row)
                   for row in pa.Table.from_batches([batch]).to_pylist()]
        _count(counts, ingest(results))
        kept.update(counts.pop("ids"))
    return counts


def _count(counts: dict[str, Any], report: Any) -> dict[str, Any]:
    counts["written"] += report.stored
    counts["skipped"] += report.duplicates
    counts["rejected"] += len(report.skipped)
    counts["ids"] = list(report.ids)
    for result, reason in report.skipped[:5]:
        log.warning("result %s not imported: %s", result.id, reason)
    return counts


def _only(data: Any, column: str, kept: set[str] | None) -> Any:
    """Rows of ``data`` whose ``column`` is a kept result id (all rows without ``kept``)."""
    if kept is None:
        return data
    import pyarrow as pa
    import pyarrow.compute as pc

    return data.filter(pc.is_in(data.column(column),
                                value_set=pa.array(sorted(kept), pa.string())))


def _import_samples(store: DatabaseManager, file: Path, kept: set[str] | None = None
                    ) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not file.is_file():
        return {"written": 0, "skipped": 0}
    ids = pc.unique(pq.read_table(file, columns=["result_id"]).column("result_id")).to_pylist()
    # Decided before writing anything: a result's samples may span several batches.
    have = set()
    for start in range(0, len(ids), _ID_CHUNK):
        have |= store.result_ids_with_samples(ids[start:start + _ID_CHUNK])
    skip = pa.array(sorted(have), pa.string())
    written = skipped = 0
    for batch in _parquet_batches(file):
        data = _only(pa.Table.from_batches([batch]), "result_id", kept)
        if have:
            keep = pc.invert(pc.is_in(data.column("result_id"), value_set=skip))
            skipped += data.num_rows - pc.sum(keep).as_py()
            data = data.filter(keep)
        if data.num_rows:
            written += store.load_arrow("benchmark_samples",
                                        conform_arrow("benchmark_samples", data))
    return {"written": written, "skipped": skipped}


def _import_items(store: DatabaseManager, file: Path, kept: set[str] | None = None
                  ) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.compute as pc

    written = skipped = 0
    for batch in _parquet_batches(file):  # absent in v1 exports: nothing to do
        data = _only(pa.Table.from_batches([batch]), "result_id", kept)
        ids = pc.unique(data.column("result_id")).to_pylist()
        have = {rid for rid in ids if store.get_item_results(rid)[0].size}
        if have:
            keep = pc.invert(pc.is_in(data.column("result_id"),
                                      value_set=pa.array(sorted(have), pa.string())))
            skipped += data.num_rows - pc.sum(keep).as_py()
            data = data.filter(keep)
        if data.num_rows:
            written += store.load_arrow("item_results", conform_arrow("item_results", data))
    return {"written": written, "skipped": skipped}


def _import_plain(store: DatabaseManager, table: str, file: Path) -> dict[str, int]:
    import pyarrow as pa

    written = 0
    for batch in _parquet_batches(file):
        written += store.load_arrow(table, conform_arrow(table, pa.Table.from_batches([batch])))
    return {"written": written, "skipped": 0}


def _import_json(store: DatabaseManager, file: Path, ingest: Ingest | None = None
                 ) -> dict[str, int]:
    try:
        items = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{file}: not JSON ({exc})",
                              hint="give a file written by `modelbench export --format json`"
                              ) from exc
    if not isinstance(items, list):
        raise ValidationError(f"{file}: expected a JSON list of results")
    if ingest is not None:  # ingest validates each result: a bad one is one skipped
        counts = _count({"written": 0, "skipped": 0, "rejected": 0},
                        ingest([BenchmarkResult.from_dict(item) for item in items]))
        counts.pop("ids")
        return counts
    results = [BenchmarkResult.from_dict(item).validate() for item in items]
    return _insert_new(store, results)


def _import_csv(store: DatabaseManager, file: Path, ingest: Ingest | None = None
                ) -> dict[str, int]:
    columns = {c.name: c for c in TABLES["model_benchmarks"].columns}
    with file.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"id", "model_name", "metric"} - set(reader.fieldnames or ())
        if missing:
            raise ValidationError(f"{file}: not a results CSV (no {', '.join(sorted(missing))} "
                                  "column)", hint="give a file written by "
                                  "`modelbench export --format csv`")
        try:
            results = [BenchmarkResult.from_row(
                {k: _from_csv(v, columns[k]) for k, v in row.items() if k in columns})
                for row in reader]
            if ingest is None:
                results = [r.validate() for r in results]
        except ValueError as exc:
            raise ValidationError(f"{file} line {reader.line_num}: {exc}",
                                  hint="nothing was imported; fix that line") from exc
    if ingest is not None:
        counts = _count({"written": 0, "skipped": 0, "rejected": 0}, ingest(results))
        counts.pop("ids")
        return counts
    return _insert_new(store, results)


def _insert_new(store: DatabaseManager, results: list[BenchmarkResult]) -> dict[str, int]:
    stored = store.stored_result_ids([r.id for r in results]) if results else set()
    fresh = [r for r in results if r.id not in stored]
    store.insert_results(fresh)
    return {"written": len(fresh), "skipped": len(results) - len(fresh)}
