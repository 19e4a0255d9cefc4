"""``modelbench.ingest``: the one way into a store, on a real SQLite file (and a PostgreSQL
port with nothing behind it for the sink's failure path)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from modelbench import get_database_manager
from modelbench.ingest import IngestReport, StoreSink, ingest, natural_key
from modelbench.records import BenchmarkResult, Measurement


@pytest.fixture
def db(tmp_path):
    store = get_database_manager("sqlite", path=str(tmp_path / "in.db"))
    store.setup()
    yield store
    store.close()


def _web(model, metric, value, printed="", row=0, url="https://example.org/board"):
    return BenchmarkResult(model_name=model, dataset="sst2", metric=metric, score=value,
                           source="web", source_url=url,
                           extra={"raw": printed or f"{value:g}", "row": row,
                                  "metric_name": metric})


def test_one_bad_value_is_one_skipped_value(db):
    batch = [_web("a", "accuracy", 0.9), _web("", "accuracy", 0.8, row=1),
             _web("c", "accuracy", float("inf"), row=2), _web("d", "accuracy", 0.7, row=3)]
    report = ingest(db, batch)
    assert report.stored == 2 and sorted(r.model_name for r in db.query_results()) == ["a", "d"]
    reasons = [why for _, why in report.skipped]
    assert "model_name is empty" in reasons[0] and "inf" in reasons[1]


def test_values_arrive_on_the_canonical_scale_with_the_rule_recorded(db):
    ingest(db, [_web("a", "Top-1 Accuracy (%)", 97.2, "97.2%"),
                _web("a", "Number of params", 66e6, "66M", row=1),
                _web("a", "Accuracy", 250.0, "250", row=2),
                _web("a", "Odd Loss", 3.0, row=3)])
    got = {r.extra["metric_name"]: r for r in db.query_results()}
    top1 = got["Top-1 Accuracy (%)"]
    assert (top1.metric, top1.score, top1.score_canonical, top1.score_printed) == (
        "accuracy", 97.2, 0.972, "97.2%")
    assert top1.extra["canonical_rule"] == "percent -> fraction (printed with %)"
    assert (top1.metric_kind, top1.direction, top1.direction_guessed) == ("score", "higher", False)
    params = got["Number of params"]
    assert (params.metric, params.metric_kind, params.direction) == ("parameters", "property", "")
    assert got["Accuracy"].quality_flag == "out of range"
    odd = got["Odd Loss"]
    assert (odd.direction, odd.direction_guessed) == ("lower", True)


def test_a_published_parameter_count_goes_into_the_models_metadata(db):
    from modelbench.records import ModelMetadata

    db.upsert_models([ModelMetadata(model_name="hub-model", parameters=110_000_000)])
    report = ingest(db, [_web("effnet", "Params (M)", 5.3, "5.3"),
                         _web("hub-model", "Number of params", 66e6, "66M", row=1)])
    assert report.models == 1
    counts = {m.model_name: m.parameters for m in db.list_models()}
    assert counts == {"effnet": 5_300_000, "hub-model": 110_000_000}  # the Hub's count stays


def test_the_same_page_twice_stores_nothing_new_and_rows_stay_apart(db):
    page = [_web("a", "accuracy", 0.9), _web("a", "accuracy", 0.8, row=1)]  # two rows, one name
    assert ingest(db, page).stored == 2
    again = ingest(db, [_web("a", "accuracy", 0.9), _web("a", "accuracy", 0.8, row=1)])
    assert (again.stored, again.duplicates) == (0, 2)
    other_page = ingest(db, [_web("a", "accuracy", 0.9, url="https://example.org/other")])
    assert other_page.stored == 1
    within = ingest(db, [_web("z", "f1", 0.5), _web("z", "f1", 0.5)])  # twice in one batch
    assert (within.stored, within.duplicates) == (1, 1)


def test_rows_stored_before_natural_keys_are_recognised(db):
    old = _web("a", "accuracy", 0.9)
    db.insert_results([old])  # the way v1 stored: no natural key
    assert db.query_results()[0].natural_key == ""
    assert ingest(db, [_web("a", "accuracy", 0.9)]).duplicates == 1


def test_measured_results_repeat_only_as_the_same_result(db):
    result = BenchmarkResult(model_name="m", metric="accuracy", score=0.9)
    assert ingest(db, [result]).stored == 1
    assert ingest(db, [result]).duplicates == 1  # the same id, e.g. a replayed import
    assert ingest(db, [BenchmarkResult(model_name="m", metric="accuracy", score=0.9)]).stored == 1
    assert natural_key(result) == f"local:{result.id}"


def test_dry_run_writes_nothing(db):
    report = ingest(db, [_web("a", "accuracy", 0.9)], dry_run=True)
    assert report.stored == 1 and db.count_results() == 0
    assert isinstance(report, IngestReport) and "stored 1 result(s)" in report.summary()


def test_store_sink_writes_series_run_index_and_items(db):
    m = Measurement(BenchmarkResult(model_name="m", metric="accuracy", score=0.75))
    m.add_series("call", [100, 110, 120, 130], run_index=[0, 0, 1, 1])
    m.add_series("load", [5000], run_index=0)
    m.item_values, m.item_predictions = np.array([1.0, 0.0, 1.0, 1.0]), ["a", "b", "a", "a"]
    info = StoreSink(db)(m)
    assert info == {"stored": True, "samples_stored": 5, "items_stored": 4}
    values, runs = db.get_sample_runs(m.result.id)
    assert values.tolist() == [100, 110, 120, 130] and runs.tolist() == [0, 0, 1, 1]
    assert db.get_samples(m.result.id, series="load").tolist() == [5000]
    assert db.get_item_results(m.result.id)[1] == ["a", "b", "a", "a"]
    assert db.get_result(m.result.id).score_canonical == 0.75


def test_store_sink_warns_and_spools_when_the_server_is_away(tmp_path):
    db = get_database_manager("timescaledb", host="127.0.0.1", port=1, user="u",
                              password="secret-pw", database="nothing",
                              spool_dir=str(tmp_path / "spool"), connect_timeout=1)
    m = Measurement(BenchmarkResult(model_name="m", metric="accuracy", score=1.0))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        info = StoreSink(db)(m)  # never raises
    assert info["stored"] is False and "127.0.0.1:1" in info["store_error"]
    assert any("result not stored" in str(w.message) for w in caught)
    assert "secret-pw" not in info["store_error"] and m.result.warnings
    assert list((tmp_path / "spool").iterdir())  # kept for the next connection
