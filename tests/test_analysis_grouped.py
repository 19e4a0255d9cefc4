"""Leaderboards from the store's pre-aggregated rows rank exactly as the per-row path did,
and rows without a canonical value (schema v1) get it stored once."""

from __future__ import annotations

import functools
import importlib
from datetime import UTC, datetime, timedelta

import pytest

from modelbench import analysis, get_database_manager
from modelbench.records import BenchmarkResult, LatencyStats
from modelbench.store.base import DatabaseManager

_scores = importlib.import_module("modelbench.analysis.scores")
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _latency(median: float) -> LatencyStats:
    return LatencyStats(mean_ms=median, median_ms=median, stdev_ms=0.1, min_ms=median,
                        max_ms=median, p50_ms=median, p90_ms=median, p95_ms=median,
                        p99_ms=median, n_samples=3)


def _r(model: str, metric: str, score: float, **kw) -> BenchmarkResult:
    kw.setdefault("task_type", "cls")
    kw.setdefault("dataset", "iris")
    result = BenchmarkResult(model_name=model, metric=metric, score=score, **kw)
    if "score_canonical" not in kw and result.source == "local":
        result.score_canonical = score
    return result


def _store(path: str) -> DatabaseManager:
    db = get_database_manager("sqlite", path=path)
    db.setup()
    rows = [
        # accuracy: equal published values from two sources (published_by: first by name)
        _r("a", "accuracy", 97.0, source="web", score_printed="97.0", score_canonical=0.97),
        _r("a", "accuracy", 97.0, source="huggingface", score_printed="97.0",
           score_canonical=0.97),
        _r("a", "accuracy", 0.95, latency=_latency(2.0)),
        _r("a", "accuracy", 0.96, latency=_latency(4.0)),
        _r("a", "accuracy", 0.90, latency=_latency(9.0), dataset_split="test"),  # joins
        _r("b", "accuracy", 0.97, latency=_latency(1.0), batch_size=8),
        _r("b", "accuracy", 0.93, latency=_latency(3.0), batch_size=1),
        _r("c", "accuracy", 2.5, source="web", score_canonical=2.5,
           quality_flag="out of range"),  # flagged: shown, never ranked
        # mse: lower is better, best is the minimum
        _r("a", "mse", 0.3), _r("a", "mse", 0.1), _r("b", "mse", 0.2),
        # a v1-style row: no canonical value stored, a printed percent
        _r("d", "accuracy", 91.0, source="paperswithcode", extra={"raw": "91.0%"},
           score_canonical=None),
        _r("e", "number of params", 5e6, source="web", score_canonical=5e6),
    ]
    for i, row in enumerate(rows):
        row.timestamp = T0 + timedelta(minutes=i)
    db.insert_results(rows)
    return db


def _boards(boards) -> list[dict]:
    """Boards as dicts; ``best_id`` set apart (any of several results with the best value
    may stand for it)."""
    rows = [b.as_dict() for b in boards]
    for board in rows:
        for entry in board["entries"]:
            entry["best_id"] = bool(entry["best_id"])
    return rows


def _per_row(db: DatabaseManager) -> list[dict]:
    return _boards(analysis.build_boards(_scores.scores(db)))


@pytest.mark.parametrize("path", ["sql", "generic"])
def test_grouped_boards_rank_as_the_per_row_path(tmp_path, path):
    db = _store(str(tmp_path / "s.db"))
    expected = _per_row(db)
    if path == "generic":  # the Python version the server backends use
        db.score_groups = functools.partial(DatabaseManager.score_groups, db)
    got = _boards(analysis.leaderboards(db, quality_ties=False))
    assert got == expected
    by_metric = {b["metric"]: b for b in got}
    acc = [(e["model_name"], e["batch_size"], e["value"], e["n_results"], e["published_by"],
            e["median_latency_ms"]) for e in by_metric["accuracy"]["entries"]]
    assert acc == [("a", None, 0.97, 5, "huggingface", 4.0), ("b", 8, 0.97, 1, "", 1.0),
                   ("b", 1, 0.93, 1, "", 3.0), ("d", None, 0.91, 1, "paperswithcode", None)]
    assert [f["model_name"] for f in by_metric["accuracy"]["flagged"]] == ["c"]
    assert [(e["model_name"], e["value"]) for e in by_metric["mse"]["entries"]] == [
        ("a", 0.1), ("b", 0.2)]
    assert "number of params" not in by_metric


def test_rows_without_a_canonical_value_get_it_stored_once(tmp_path):
    db = _store(str(tmp_path / "s.db"))
    [v1] = [r for r in db.query_results() if r.model_name == "d"]
    assert v1.score_canonical is None
    analysis.leaderboards(db)
    [v1] = [r for r in db.query_results() if r.model_name == "d"]
    assert v1.score_canonical == pytest.approx(0.91) and v1.score == 91.0
    assert v1.score_printed == "91.0%"
    calls = []
    original = db.fill_canonical
    db.fill_canonical = lambda *a: calls.append(a) or original(*a)
    boards = analysis.leaderboards(db)
    assert calls == []  # nothing left to work out: reads do not recompute
    assert any(e.model_name == "d" and e.value == pytest.approx(0.91)
               for b in boards for e in b.entries)
