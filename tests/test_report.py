"""HTML report over a real store: leaderboards, escaping, plots, Pareto front."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from modelbench import get_database_manager
from modelbench.records import BenchmarkResult, LatencyStats
from modelbench.report import build_report, pareto_front, write_report


def _stats(median):
    return LatencyStats(mean_ms=median, median_ms=median, stdev_ms=0.1, min_ms=median,
                        max_ms=median, p50_ms=median, p90_ms=median, p95_ms=median,
                        p99_ms=median, n_samples=3)


@pytest.fixture
def store(tmp_path):
    db = get_database_manager("sqlite", path=str(tmp_path / "r.db"))
    db.setup()
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    rows = [
        BenchmarkResult(model_name="<script>alert(1)</script>", task_type="cls", dataset="d",
                        metric="accuracy", score=0.5, source="web"),
        BenchmarkResult(model_name="fast", task_type="cls", dataset="d", metric="accuracy",
                        score=0.8, latency=_stats(1.0), timestamp=t0),
        BenchmarkResult(model_name="fast", task_type="cls", dataset="d", metric="accuracy",
                        score=0.82, latency=_stats(1.1), timestamp=t0 + timedelta(days=1)),
        BenchmarkResult(model_name="slow-good", task_type="cls", dataset="d", metric="accuracy",
                        score=0.9, latency=_stats(10.0)),
        BenchmarkResult(model_name="dominated", task_type="cls", dataset="d", metric="accuracy",
                        score=0.7, latency=_stats(20.0)),
        BenchmarkResult(model_name="crashy", status="error", error_message="RuntimeError: x"),
    ]
    db.insert_results(rows)
    db.insert_samples(rows[2].id, np.array([1_000_000, 1_100_000, 1_300_000]))
    yield db
    db.close()


def test_pareto_front_minimises_latency_and_maximises_score():
    pts = [(1.0, 0.8), (10.0, 0.9), (20.0, 0.7), (0.5, 0.5)]
    assert sorted(pareto_front(pts)) == [0, 1, 3]
    assert sorted(pareto_front(pts, higher_score_is_better=False)) == [3]


def test_report_content_is_escaped_and_complete(store):
    html = build_report(store)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.index("slow-good") < html.index(">fast<")  # ranked by best score
    assert "Latency per call" in html and "Pareto front" in html and "Score over time" in html
    assert "RuntimeError: x" in html
    assert html.count("plotly.js v") <= 1  # plotly.js embedded once, so it opens offline


def test_empty_store_report_says_what_to_do(tmp_path):
    db = get_database_manager("sqlite", path=str(tmp_path / "empty.db"))
    db.setup()
    assert "No scored results yet" in build_report(db)


def test_write_report_with_pngs(store, tmp_path):
    path = write_report(store, tmp_path / "out" / "r.html", png_dir=tmp_path / "png")
    assert path.stat().st_size > 100_000
    pngs = sorted(p.name for p in (tmp_path / "png").iterdir())
    assert pngs == ["latency.png", "pareto_d_accuracy.png"]
    assert (tmp_path / "png" / "latency.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_size_does_not_grow_with_samples(store):
    small = len(build_report(store))
    fast = store.query_results()[0]
    store.insert_samples(fast.id + "x", np.arange(200_000) + 1_000_000)  # unrelated samples
    latest = [r for r in store.query_results() if r.model_name == "slow-good"][0]
    store.insert_samples(latest.id, np.random.default_rng(1).integers(1e6, 2e7, 200_000))
    big = build_report(store)
    assert len(big) < small + 20_000  # five numbers per model, not 200,000 samples


def test_history_is_per_dataset_and_metric(store):
    store.insert_result(BenchmarkResult(model_name="fast", task_type="cls", dataset="other",
                                        metric="accuracy", score=0.1, latency=_stats(1.0)))
    html = build_report(store)
    assert "fast (d, accuracy)" in html
    assert "fast (other, accuracy)" not in html  # one point only: no line to draw
