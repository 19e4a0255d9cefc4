"""Serving results in the analysis layer and the HTML report: curves against load."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from modelbench import get_database_manager
from modelbench.analysis import serving_curves
from modelbench.records import BenchmarkResult
from modelbench.report import build_report

from .stored import store_serving_results


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return store_serving_results(tmp_path_factory.mktemp("serving"))


def test_curves_order_cells_by_load_with_the_stored_percentiles(db_path: Path, tmp_path: Path):
    copy = tmp_path / "copy.db"
    shutil.copy(db_path, copy)
    with get_database_manager("sqlite", path=str(copy)) as store:
        # a newer re-measurement of concurrency 2 replaces the older point; a model result
        # without serving series is no curve
        old = next(r for r in store.query_results() if r.params["concurrency"] == 2)
        newer = BenchmarkResult.from_dict({**old.to_dict(), "id": "", "timestamp": None})
        newer.series_stats = {**old.series_stats,
                              "ttft": {**old.series_stats["ttft"], "p99_ms": 123.0}}
        store.insert_results([newer, BenchmarkResult(model_name="cls", dataset="d",
                                                     metric="accuracy", score=0.5)])
        curves = serving_curves(store)
        results = {r.params["concurrency"]: r for r in store.query_results()
                   if r.model_name == "tiny-llm"}
    assert len(curves) == 1
    curve = curves[0]
    assert (curve.model_name, curve.axis, curve.load_kind) == ("tiny-llm", "concurrency",
                                                               "concurrency")
    assert [p.load for p in curve.points] == [1.0, 2.0, 4.0]
    one = curve.points[0]
    assert one.latency["ttft"]["p50"] == results[1].series_stats["ttft"]["median_ms"]
    assert one.latency["e2e"]["p99"] == results[1].series_stats["e2e"]["p99_ms"]
    assert curve.points[1].latency["ttft"]["p99"] == 123.0
    assert curve.points[2].requests_per_s == results[4].extra["requests_per_s"]
    assert all(p.goodput == 1.0 and p.error_rate == 0.0 for p in curve.points)


def test_report_draws_latency_and_throughput_against_concurrency(db_path: Path):
    with get_database_manager("sqlite", path=str(db_path)) as store:
        page = build_report(store)
        curve = serving_curves(store)[0]
    assert "<h2>Serving (LLM endpoints)</h2>" in page
    assert "Serving latency vs concurrency" in page
    assert "Serving throughput vs concurrency" in page
    rows = re.findall(r"<tr><td>tiny-llm · synthetic-in3-out6 · concurrency</td><td>(\d+)</td>",
                      page)
    assert rows == ["1", "2", "4"]
    # each of the six latency traces has one y value per load
    assert page.count('"name":"tiny-llm ttft p99"') == 1
    assert len(curve.points) == 3
