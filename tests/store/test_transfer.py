"""Export/import between stores: every table, row counts and values identical, nothing doubled."""

from __future__ import annotations

import csv
import json

import numpy as np
import pyarrow.parquet as pq
import pytest

from modelbench import get_database_manager
from modelbench.errors import StoreError, ValidationError
from modelbench.records import DatasetMetadata, ModelMetadata
from modelbench.store import ResultFilter
from modelbench.store.transfer import DATA_TABLES, export_store, import_store

from .data import dataset, full_result

SORT_KEYS = {"model_benchmarks": ["id"], "benchmark_samples": ["result_id", "series", "seq"],
             "item_results": ["result_id", "item"],
             "model_metadata": ["model_name", "model_version"], "dataset_metadata": ["name"]}


@pytest.fixture
def source(tmp_path):
    """A SQLite store holding a bit of everything, unicode and long text included."""
    src = get_database_manager("sqlite", path=str(tmp_path / "src.db"))
    src.setup()
    results = dataset(n_per=3) + [full_result(model_name="模型 🚀", error_message="é" * 70_000)]
    src.insert_results(results)
    rng = np.random.default_rng(5)
    src.insert_samples_many([(r.id, rng.integers(0, 2**40, size=250), r.timestamp, "call",
                              np.repeat(np.arange(5), 50)) for r in results[::3]])
    src.insert_samples_many([(r.id, [11, 12, 13, 14, 15, 16, 17], r.timestamp, "load", 0)
                             for r in results[::3]])
    for r in results[:4]:
        src.insert_item_results(r.id, [1, 0, 1], predictions=["a", "b", [1, 2]])
    src.upsert_models([ModelMetadata("gpt2", parameters=124_000_000, tags=["a", "ü"]),
                       ModelMetadata("t5-small", "v1", description="x" * 10_000)])
    src.upsert_datasets([DatasetMetadata("sst2", num_samples=872, metrics=["accuracy"])])
    yield src
    src.close()


def read(folder, table):
    return pq.read_table(folder / f"{table}.parquet").sort_by(
        [(key, "ascending") for key in SORT_KEYS[table]])


def test_round_trip_through_every_backend(source, store, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    counts = export_store(source, first)
    assert counts == {"model_benchmarks": 61, "benchmark_samples": 21 * 257,
                      "item_results": 12, "model_metadata": 2, "dataset_metadata": 1}
    report = import_store(store, first)
    assert {t: r["written"] for t, r in report.items()} == counts
    assert export_store(store, second) == counts
    for table in DATA_TABLES:
        a, b = read(first, table), read(second, table)
        assert a.num_rows == b.num_rows == counts[table]
        assert a.equals(b), f"{table} differs after the round trip"
    # the same results, as records, on both sides
    assert store.query_results(limit=500) == source.query_results(limit=500)
    # importing again doubles nothing
    again = import_store(store, first)
    assert again["model_benchmarks"] == {"written": 0, "skipped": 61}
    assert again["benchmark_samples"] == {"written": 0, "skipped": 21 * 257}
    assert again["item_results"] == {"written": 0, "skipped": 12}
    assert store.count_results() == 61


def test_filtered_export_takes_matching_results_and_their_samples(source, tmp_path):
    folder = tmp_path / "gpt2"
    counts = export_store(source, folder, flt=ResultFilter(model_name="gpt2"))
    wanted = source.query_results(ResultFilter(model_name="gpt2"))
    assert counts["model_benchmarks"] == len(wanted) == 12
    with_samples = source.result_ids_with_samples([r.id for r in wanted])
    assert counts["benchmark_samples"] == 257 * len(with_samples)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["filter"] == {"model_name": "gpt2"}
    assert manifest["tables"] == counts


def test_csv_and_json_exports(source, tmp_path):
    results = source.query_results(descending=False)
    export_store(source, tmp_path / "r.csv", fmt="csv")
    with (tmp_path / "r.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == [r.id for r in results]
    unicode_row = next(row for row in rows if row["model_name"] == "模型 🚀")
    assert len(unicode_row["error_message"]) == 70_000
    export_store(source, tmp_path / "r.json", fmt="json")
    target = get_database_manager("sqlite", path=":memory:")
    target.setup()
    assert import_store(target, tmp_path / "r.json") == {
        "model_benchmarks": {"written": 61, "skipped": 0}}
    assert target.query_results(descending=False) == results
    with pytest.raises(ValidationError, match="format"):
        export_store(source, tmp_path / "x", fmt="xlsx")


def test_import_refuses_what_is_not_an_export(tmp_path):
    target = get_database_manager("sqlite", path=":memory:")
    target.setup()
    with pytest.raises(StoreError, match="manifest"):
        import_store(target, tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('[{"model_name": "m", "score": NaN}]')
    with pytest.raises(ValidationError, match="NaN"):
        import_store(target, bad)
    assert target.count_results() == 0


def test_a_failed_import_leaves_nothing_on_every_backend(source, store, tmp_path):
    """Results are written, then the samples file turns out damaged halfway through the
    import: every backend ends as it began (ClickHouse by deleting what it wrote)."""
    folder = tmp_path / "a"
    export_store(source, folder)
    samples = folder / "benchmark_samples.parquet"
    samples.write_bytes(samples.read_bytes()[: samples.stat().st_size // 2])  # truncated
    before = store.count_results()
    with pytest.raises(Exception):  # noqa: B017 - pyarrow's own error for a damaged file
        import_store(store, folder)
    assert store.count_results() == before == 0
    assert store.result_ids_with_samples([r.id for r in source.query_results()]) == set()
    # and the store still takes the import once the file is whole
    export_store(source, folder)
    assert import_store(store, folder)["model_benchmarks"]["written"] == 61
