"""The DatabaseManager contract, run in full on every backend (see conftest.BACKENDS)."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest

from modelbench.errors import StoreError, ValidationError
from modelbench.records import DatasetMetadata, ModelMetadata
from modelbench.store import ResultFilter
from modelbench.store.schema import SCHEMA_VERSION

from .data import (
    MODELS,
    T0,
    dataset,
    expected_buckets,
    expected_medians,
    full_result,
    latency,
)


def approx_rows(rows: list[dict], expected: list[dict]) -> None:
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        assert set(got) >= set(want), f"missing keys: {set(want) - set(got)}"
        for key, value in want.items():
            if isinstance(value, float):
                assert got[key] == pytest.approx(value, rel=1e-9), key
            else:
                assert got[key] == value, key


# -- lifecycle ----------------------------------------------------------------------------
def test_setup_is_idempotent_and_keeps_data(backend, store):
    rid = store.insert_result(full_result())
    store.setup()
    store.close()
    again = backend.open()
    try:
        again.setup()
        assert again.get_result(rid) is not None
        assert again.count_results() == 1
        versions = [row for batch in again.fetch_table("schema_version") for row in batch]
        assert [v["version"] for v in versions] == [SCHEMA_VERSION]
        assert backend.name.split("_")[0] in again.describe() or \
            again.describe().startswith(("postgresql", "timescaledb"))
        assert "password" not in again.describe()
    finally:
        again.close()


# -- inserting ----------------------------------------------------------------------------
def test_insert_one_round_trips_every_field(store):
    result = full_result()
    rid = store.insert_result(result)
    assert rid == result.id
    got = store.get_result(rid)
    assert got == result
    assert got.timestamp.utcoffset() == timedelta(0)
    assert store.get_result(rid[:8]) == result
    assert store.get_result("ffffffffffff") is None


def test_insert_bulk_and_count(store):
    results = dataset(n_per=5)
    ids = store.insert_results(results)
    assert len(ids) == len(set(ids)) == 100
    assert store.count_results() == 100
    assert store.stored_result_ids(ids[:10] + ["missing"]) == set(ids[:10])
    assert store.insert_results([]) == []


def test_nan_and_inf_are_refused_and_nothing_is_written(store):
    good = full_result()
    for bad in (full_result(score=float("nan")), full_result(score=float("inf")),
                full_result(runtime_ms=float("-inf"))):
        with pytest.raises(ValidationError) as info:
            store.insert_results([good, bad])
        assert "NaN/inf" in str(info.value)
        assert info.value.hint
    stats = latency(2.0)
    stats.p99_ms = math.nan
    with pytest.raises(ValidationError, match="latency.p99_ms"):
        store.insert_result(full_result(latency=stats))
    assert store.count_results() == 0


def test_unicode_and_very_long_strings(store):
    long_text = "Ω≈ç√ 模型 🚀 " * 20_000  # ~200k characters
    result = full_result(model_name="模型-ü-🚀 «bert»", dataset="données/ü", metric="F1-ß",
                         error_message=long_text, source_url="https://例え.jp/" + "x" * 5000,
                         extra={"表": long_text[:1000], "quote": "it's \"quoted\" \\ back"})
    rid = store.insert_result(result)
    got = store.get_result(rid)
    assert got == result
    assert len(got.error_message) == len(long_text)
    assert store.count_results(ResultFilter(model_name="模型-ü-🚀 «bert»")) == 1
    assert store.count_results(ResultFilter(search="«BERT»")) == 1
    assert store.distinct_values("model_name") == ["模型-ü-🚀 «bert»"]


# -- samples ------------------------------------------------------------------------------
def test_samples_keep_order_and_int64(store):
    rid = store.insert_result(full_result())
    values = np.array([5, 2**40, 3, 0, 2**62, 7] * 500, dtype=np.int64)
    assert store.insert_samples(rid, values) == len(values)
    got = store.get_samples(rid)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, values)
    assert store.get_samples("nope").size == 0
    other = [(f"r{i}", np.arange(i + 1, dtype=np.int64) * 10, T0) for i in range(20)]
    assert store.insert_samples_many(other) == sum(range(1, 21))
    for rid_i, vals, _ in other:
        np.testing.assert_array_equal(store.get_samples(rid_i), vals)
    assert store.result_ids_with_samples([rid, "r3", "zzz"]) == {rid, "r3"}


# -- filters ------------------------------------------------------------------------------
def test_samples_keep_series_and_run_index(store):
    rid = store.insert_result(full_result())
    calls = np.array([10, 11, 12, 20, 21, 30], dtype=np.int64)
    runs = np.array([0, 0, 0, 1, 1, 2], dtype=np.int64)
    store.insert_samples(rid, calls, series="call", run_index=runs)
    store.insert_samples_many([(rid, [900], None, "load", 4), ("other", [5, 6], T0)])
    got, got_runs = store.get_sample_runs(rid)
    np.testing.assert_array_equal(got, calls)
    np.testing.assert_array_equal(got_runs, runs)
    load, load_runs = store.get_sample_runs(rid, series="load")
    assert load.tolist() == [900] and load_runs.tolist() == [4]
    assert store.get_sample_runs("other")[1].tolist() == [0, 0]  # default run index
    assert store.get_samples(rid, series="ttft").size == 0
    with pytest.raises(ValidationError):
        store.insert_samples(rid, [1, 2, 3], series="e2e", run_index=[0, 1])


def test_item_results_round_trip(store):
    rid = store.insert_result(full_result())
    assert store.insert_item_results(rid, [1, 0, 1, 1], [3, "b", [0.1, 0.9], None]) == 4
    values, predictions = store.get_item_results(rid)
    assert values.tolist() == [1.0, 0.0, 1.0, 1.0]
    assert predictions == [3, "b", [0.1, 0.9], None]
    assert store.get_item_results("missing")[0].size == 0


def test_delete_results_removes_the_result_its_samples_and_items_only(store):
    gone, kept = store.insert_result(full_result()), store.insert_result(full_result())
    for rid in (gone, kept):
        store.insert_samples(rid, [10, 20, 30])
        store.insert_item_results(rid, [1, 0], [1, 0])
    store.delete_results([gone, "never-stored"])
    store.delete_results([])
    assert store.stored_result_ids([gone, kept]) == {kept}
    assert store.result_ids_with_samples([gone, kept]) == {kept}
    assert store.get_item_results(gone)[0].size == 0
    assert store.get_item_results(kept)[0].tolist() == [1.0, 0.0]


def test_a_retried_failed_cell_keeps_one_row_on_every_backend(store):
    from modelbench.analysis.resume import ReplacingSink, failed_cells
    from modelbench.ingest import StoreSink
    from modelbench.records import BenchmarkResult, Measurement

    cell = {"model_name": "m", "metric": "accuracy", "run_id": "r1", "cell_key": "k1",
            "source": "local"}
    store.insert_results([BenchmarkResult(**cell, status="error", error_message="boom"),
                          BenchmarkResult(**{**cell, "cell_key": "k2"}, score=0.5)])
    retry = failed_cells(store, "r1")
    assert list(retry) == [("k1", "accuracy")]  # the ok cell k2 is not retried
    new = Measurement(BenchmarkResult(**cell, score=1.0))
    new.add_series("call", [1000, 1100], run_index=0)
    assert ReplacingSink(StoreSink(store), store, retry)(new)["stored"] is True
    rows = store.query_results(ResultFilter(run_id="r1"))
    assert sorted((r.cell_key, r.status) for r in rows) == [("k1", "ok"), ("k2", "ok")]
    assert failed_cells(store, "r1") == {}


def test_v2_fields_round_trip(store):
    result = full_result()
    result.params = {"batch_size": 8, "threads": 2}
    result.series_stats = {"load": {"median_ms": 12.5}}
    result.git_dirty, result.git_commit, result.direction_guessed = True, "abc123", True
    result.score_canonical, result.dataset_config, result.n_runs = 0.5, "de-en", 5
    rid = store.insert_result(result)
    got = store.get_result(rid)
    assert (got.params, got.series_stats, got.git_dirty, got.git_commit) == (
        result.params, result.series_stats, True, "abc123")
    assert (got.direction_guessed, got.score_canonical, got.dataset_config, got.n_runs) == (
        True, 0.5, "de-en", 5)


def test_filters(store):
    results = dataset(n_per=3)
    store.insert_results(results)

    def count(**kw) -> int:
        return sum(1 for r in results if all(getattr(r, k) == v for k, v in kw.items()))

    for key in ("model_name", "task_type", "dataset", "metric", "source", "status", "run_id"):
        value = getattr(results[7], key)
        assert store.count_results(ResultFilter(**{key: value})) == count(**{key: value}), key
    flt = ResultFilter(model_name="gpt2", metric="f1", source="local")
    assert store.count_results(flt) == count(model_name="gpt2", metric="f1", source="local")
    assert {r.model_name for r in store.query_results(flt)} == {"gpt2"}
    # search: case-insensitive substring of model/task/dataset/metric/source; % and _ literal
    assert store.count_results(ResultFilter(search="ROBERTA")) == count(model_name="roberta-large")
    assert store.count_results(ResultFilter(search="cnn_daily")) == count(dataset="cnn_dailymail")
    assert store.count_results(ResultFilter(search="cnn%daily")) == 0
    assert store.count_results(ResultFilter(search="n_d")) == count(dataset="cnn_dailymail")
    assert store.count_results(ResultFilter(search="paperswith")) == count(
        source="paperswithcode")
    # time range: since inclusive, until exclusive
    since, until = results[10].timestamp, results[30].timestamp
    window = store.query_results(ResultFilter(since=since, until=until), descending=False)
    assert [r.id for r in window] == [r.id for r in results[10:30]]
    assert store.count_results(ResultFilter(until=T0)) == 0


def test_ordering_paging_and_distinct(store):
    results = dataset(n_per=3)
    store.insert_results(results)
    newest = store.query_results(limit=5)
    assert [r.id for r in newest] == [r.id for r in results[::-1][:5]]
    page = store.query_results(limit=5, offset=5, descending=False)
    assert [r.id for r in page] == [r.id for r in results[5:10]]
    assert len(store.query_results(offset=55)) == 5
    by_score = store.query_results(order_by="score", descending=True)
    scores = [r.score for r in by_score]
    numeric = [s for s in scores if s is not None]
    assert numeric == sorted(numeric, reverse=True)
    assert scores[-1] is None and scores[0] is not None  # NULLs last when descending
    ascending = [r.score for r in store.query_results(order_by="score", descending=False)]
    assert ascending[0] is None  # and first when ascending
    with pytest.raises(ValidationError):
        store.query_results(order_by="score; DROP TABLE model_benchmarks")
    assert store.distinct_values("model_name") == sorted(MODELS)
    assert store.distinct_values("metric", ResultFilter(task_type="summarization")) == ["rouge1"]
    with pytest.raises(StoreError):
        store.distinct_values("error_message")


def test_ambiguous_id_prefix(store):
    store.insert_results([full_result(id="abcdef111111"), full_result(id="abcdef222222")])
    with pytest.raises(ValidationError, match="matches 2"):
        store.get_result("abcdef")
    assert store.get_result("abcdef2").id == "abcdef222222"


# -- analysis -----------------------------------------------------------------------------
def test_select_columns_gives_plain_rows(store):
    results = dataset(n_per=2)
    store.insert_results(results)
    rows = store.select_columns(["id", "model_name", "score", "timestamp"],
                                ResultFilter(metric="mse", status="ok"))
    expected = {r.id: r for r in results if r.metric == "mse" and r.status == "ok"}
    assert {row["id"] for row in rows} == set(expected)
    for row in rows:
        assert row["model_name"] == expected[row["id"]].model_name
        assert row["score"] == pytest.approx(expected[row["id"]].score)
        assert row["timestamp"] == expected[row["id"]].timestamp
    with pytest.raises(ValidationError):
        store.select_columns(["id; DROP TABLE model_benchmarks"])


def test_leaderboards_are_the_same_on_every_backend(store):
    from modelbench import analysis

    results = dataset(n_per=4)
    store.insert_results(results)
    expected = analysis.build_boards(filter(None, map(analysis.from_result, results)))
    got = analysis.leaderboards(store)
    assert [b.key for b in got] == [b.key for b in expected]
    for mine, theirs in zip(got, expected, strict=True):
        assert [(e.rank, e.model_name, e.n_results, e.sources) for e in mine.entries] == \
            [(e.rank, e.model_name, e.n_results, e.sources) for e in theirs.entries]
        assert [e.value for e in mine.entries] == pytest.approx([e.value for e in theirs.entries])


def test_latency_medians_over_every_sample(store):
    results = dataset(n_per=3)
    store.insert_results(results)
    rng = np.random.default_rng(3)
    samples = {r.id: rng.integers(100_000, 9_000_000, size=int(rng.integers(1, 40)))
               for r in results[::2]}
    store.insert_samples_many([(rid, values, None) for rid, values in samples.items()])
    store.insert_samples(results[0].id, [1, 2, 3], series="load")  # another series: not calls
    approx_rows(store.latency_medians(), expected_medians(results, samples))
    only = store.latency_medians(ResultFilter(metric="mse"))
    approx_rows(only, expected_medians([r for r in results if r.metric == "mse"], samples))


def test_model_history(store):
    results = dataset(n_per=4)
    store.insert_results(results)
    rows = store.model_history("gpt2")
    mine = sorted((r for r in results if r.model_name == "gpt2"), key=lambda r: r.timestamp)
    assert [row["id"] for row in rows] == [r.id for r in mine]
    assert [row["timestamp"] for row in rows] == [r.timestamp for r in mine]
    assert [row["score"] for row in rows] == [r.score for r in mine]
    for spec, seconds in (("1h", 3600), ("1 day", 86400), ("15 minutes", 900)):
        approx_rows(store.model_history("gpt2", bucket=spec),
                    expected_buckets(results, "gpt2", seconds))
    only = store.model_history("gpt2", metric="rouge1", bucket="1w")
    assert sum(row["n"] for row in only) == sum(
        1 for r in results if r.model_name == "gpt2" and r.metric == "rouge1")
    with pytest.raises(ValidationError):
        store.model_history("gpt2", bucket="fortnight")


# -- metadata -----------------------------------------------------------------------------
def test_metadata_tables(store):
    first = [ModelMetadata("bert-base-uncased", architecture="BERT", parameters=110_000_000,
                           framework="pytorch", task_type="fill-mask", license="apache-2.0",
                           tags=["nlp", "英語"], downloads=10, likes=2, source="huggingface"),
             ModelMetadata("gpt2", "v2", parameters=124_000_000, extra={"ctx": 1024})]
    assert store.upsert_models(first) == 2
    changed = ModelMetadata("bert-base-uncased", architecture="BERT", parameters=110_000_001,
                            downloads=11)
    store.upsert_models([changed])
    models = store.list_models()
    assert [m.model_name for m in models] == ["bert-base-uncased", "gpt2"]
    assert models[0] == changed
    assert models[1] == first[1]
    assert [m.model_name for m in store.list_models(search="GPT")] == ["gpt2"]
    assert store.list_models(search="%") == []
    data = [DatasetMetadata("sst2", "text-classification", num_samples=872,
                            metrics=["accuracy"], citation="Socher et al. 2013"),
            DatasetMetadata("imdb", num_samples=25_000)]
    assert store.upsert_datasets(data) == 2
    store.upsert_datasets([DatasetMetadata("imdb", num_samples=50_000)])
    got = store.list_datasets()
    assert [d.name for d in got] == ["imdb", "sst2"]
    assert got[0].num_samples == 50_000 and got[1] == data[0]


def test_a_newer_schema_is_refused(backend, store):
    from modelbench.errors import SchemaVersionError

    store.load_table("schema_version", [{"version": SCHEMA_VERSION + 97, "applied_at": T0}])
    again = backend.open()
    try:
        with pytest.raises(SchemaVersionError) as info:
            again.setup()
        assert info.value.found == SCHEMA_VERSION + 97 and info.value.supported == SCHEMA_VERSION
        assert "upgrade modelbench" in info.value.hint
    finally:
        again.close()
        if backend.name in ("postgres", "timescaledb"):  # one database per session: undo
            store._execute("DELETE FROM schema_version WHERE version > %s", (SCHEMA_VERSION,))


@pytest.mark.parametrize("kind", ["sqlite", "clickhouse"])
def test_reading_a_store_without_the_schema_is_a_named_error(kind, tmp_path):
    from modelbench import get_database_manager
    from modelbench.errors import SchemaMissingError

    store = get_database_manager(kind, path=str(tmp_path / "fresh"))
    try:
        with pytest.raises(SchemaMissingError) as info:
            store.query_results()
        assert info.value.hint == "run `modelbench setup` first"
    finally:
        store.close()
