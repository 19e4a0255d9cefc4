"""One ranking: a plan run's summary and the leaderboards place the same results alike."""

from __future__ import annotations

import pytest

from modelbench.analysis import build_boards
from modelbench.analysis.scores import from_result
from modelbench.measure.runner import rank_order, rank_rows
from modelbench.ranking import rank
from modelbench.records import BenchmarkResult

# (model, accuracy, per-item ms): two cells tie on the score, one row failed
CELLS = [("slow-tie", 0.90, 3.0), ("best", 0.95, 9.0), ("fast-tie", 0.90, 1.0),
         ("worst", 0.50, 0.5)]


def _rows() -> list[dict]:
    rows = [{"model_name": m, "status": "ok", "score": s, "per_item_median_ms": ms}
            for m, s, ms in CELLS]
    return rows + [{"model_name": "broken", "status": "error", "score": None}]


def test_equal_values_share_a_rank_and_missing_ones_come_last():
    places = rank([0.5, None, 0.9, 0.9 * (1 + 1e-12)], higher_is_better=True)
    assert [(p.index, p.rank, p.tied) for p in places] == \
        [(3, 1, True), (2, 1, True), (0, 3, False), (1, 4, False)]
    lower = rank([3.0, 1.0, 2.0], higher_is_better=False, tie_break=["c", "a", "b"])
    assert [p.index for p in lower] == [1, 2, 0]


def test_a_run_summary_ranks_as_the_leaderboard_does():
    by_score, _ = rank_rows(_rows(), "accuracy")
    summary = {r["model_name"]: (r["rank"], r["tied"]) for r in by_score}
    results = [BenchmarkResult(model_name=m, task_type="t", dataset="d", metric="accuracy",
                               score=s) for m, s, _ in CELLS]
    (board,) = build_boards([from_result(r) for r in results])
    assert summary == {e.model_name: (e.rank, e.tied) for e in board.entries}
    assert summary == {"best": (1, False), "fast-tie": (2, True), "slow-tie": (2, True),
                       "worst": (4, False)}
    # within a tie the summary lists the cheaper cell first; a failed row is not ranked
    assert [r["model_name"] for r in by_score] == ["best", "fast-tie", "slow-tie", "worst"]


@pytest.mark.parametrize("metric, best", [("accuracy", "best"), ("mse", "worst")])
def test_the_summary_orders_follow_the_metric_direction(metric, best):
    rows = _rows()
    by_score, by_runtime = rank_order(rows, metric)
    assert rows[by_score[0]]["model_name"] == best
    assert [rows[i]["model_name"] for i in by_runtime] == \
        ["worst", "fast-tie", "slow-tie", "best"]
    assert 4 not in by_score and 4 not in by_runtime
