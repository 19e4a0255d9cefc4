"""`modelbench compare` draws the orders the analysis layer gives (one ranking,
``modelbench.ranking``): the face never sorts by score or speed on its own."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.analysis import compare as compare_module
from modelbench.analysis.compare import compare_stored, rank_by_speed
from modelbench.cli import _register, app
from modelbench.records import BenchmarkResult, LatencyStats

_register()


def _latency(median_ms: float) -> LatencyStats:
    return LatencyStats(
        mean_ms=median_ms, median_ms=median_ms, stdev_ms=0.0, min_ms=median_ms,
        max_ms=median_ms, p50_ms=median_ms, p90_ms=median_ms, p95_ms=median_ms,
        p99_ms=median_ms)


def _row(label: str, score: float, median_ms: float, rank: int) -> dict:
    return {"id": label, "model_name": label, "model_version": "", "label": label,
            "status": "ok", "score": score, "score_canonical": score, "rank": rank,
            "tied": False, "metric": "accuracy", "latency": {"median_ms": median_ms},
            "extra": {"items_per_call": 1}, "warnings": [], "environment": {}}


def test_the_compare_table_is_drawn_in_the_order_analysis_gives(tmp_path, monkeypatch):
    """The analysis here puts the worse score and the slower model first: a face that sorted
    by score or by latency itself would print them the other way round."""
    worse, better = _row("worse", 0.1, 9.0, 1), _row("better", 0.9, 1.0, 2)
    given = {"metric": "accuracy", "results": [better, worse], "by_score": [worse, better],
             "by_runtime": [worse, better], "comparison": [], "testbed_notes": [],
             "without_samples": []}
    monkeypatch.setattr(compare_module, "compare_stored", lambda *a, **k: given)
    db = tmp_path / "bench.db"
    get_database_manager("sqlite", path=str(db)).setup()
    shown = CliRunner().invoke(app, ["compare", "-m", "worse", "-m", "better",
                                     "--db-path", str(db)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    lines = [line for line in shown.output.splitlines() if "worse" in line or "better" in line]
    assert [("worse" in line) for line in lines[:2]] == [True, False], shown.output
    as_json = CliRunner().invoke(app, ["compare", "-m", "worse", "-m", "better", "--db-path",
                                       str(db), "--json"])
    data = json.loads(as_json.output)
    assert [r["label"] for r in data["by_score"]] == ["worse", "better"]
    assert [r["label"] for r in data["by_runtime"]] == ["worse", "better"]


def test_speed_is_ranked_per_item_with_the_one_ranking(tmp_path):
    """A batch of 8 in 9 ms (1.1 ms an item) is cheaper than 1 item in 2 ms: ranked per item,
    not per call; equal costs share a speed rank, the better score first."""
    db = get_database_manager("sqlite", path=str(tmp_path / "b.db"))
    db.setup()
    for name, ms, batch, score in (("single", 2.0, 1, 0.9), ("batched", 9.0, 8, 0.8),
                                   ("twin", 2.0, 1, 0.95)):
        db.insert_result(BenchmarkResult(
            model_name=name, task_type="tc", dataset="d", metric="accuracy", score=score,
            batch_size=batch, latency=_latency(ms)))
    out = compare_stored(db, task="tc", dataset="d", metric="accuracy", models=[])
    assert [(r["model_name"], r["speed_rank"], r["speed_tied"]) for r in out["by_runtime"]] == \
        [("batched", 1, False), ("twin", 2, True), ("single", 2, True)]
    assert [r["model_name"] for r in out["by_score"]] == ["twin", "single", "batched"]
    db.close()


def test_rows_without_latency_are_not_ranked_by_speed():
    rows = [{"label": "published", "score": 0.99, "latency": None, "extra": {}},
            {"label": "measured", "score": 0.5, "latency": {"median_ms": 1.0},
             "extra": {"items_per_call": 1}}]
    assert [r["label"] for r in rank_by_speed(rows, "accuracy")] == ["measured"]
