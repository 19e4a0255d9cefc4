"""The one analysis layer: leaderboards, measured vs published, ranking with ties, Pareto
fronts, history with change points, models with their properties.

It reads a store (through the :class:`~modelbench.store.base.DatabaseManager` contract) and
returns plain rows; the CLI, the TUI and the HTML report only call it and draw.

Example:
    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult as R
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> _ = db.insert_results([
    ...     R(model_name="ours", task_type="tc", dataset="sst2", metric="accuracy", score=0.9243),
    ...     R(model_name="paper", task_type="tc", dataset="sst2", metric="accuracy", score=91.3,
    ...       source="paperswithcode")])
    >>> [(e.rank, e.model_name, e.value) for e in leaderboards(db)[0].entries]
    [(1, 'ours', 0.9243), (2, 'paper', 0.913)]
"""

from __future__ import annotations

from .boards import (
    Board,
    BoardKey,
    Entry,
    board_pareto,
    build_boards,
    format_value,
    leaderboards,
    measured_vs_published,
    pareto_front,
    rank_results,
    rank_with_ties,
)
from .compare import compare_stored, latest_per_model, rank_by_speed
from .history import ChangePoint, Point, Series, build_series, fingerprint_diff, history
from .models import model_properties, model_rows
from .scores import Score, from_result, from_row, scores
from .serving import (
    SERVING_SERIES,
    ServingCurve,
    ServingPoint,
    is_serving_result,
    series_rows,
    serving_curves,
    serving_results,
)

__all__ = [
    "Board", "BoardKey", "Entry", "leaderboards", "build_boards", "rank_with_ties", "rank_results",
    "measured_vs_published", "pareto_front", "board_pareto", "format_value",
    "Series", "Point", "ChangePoint", "history", "build_series", "fingerprint_diff",
    "model_rows", "model_properties", "Score", "scores", "from_row", "from_result",
    "SERVING_SERIES", "ServingCurve", "ServingPoint", "serving_curves", "serving_results",
    "is_serving_result", "series_rows", "compare_stored", "latest_per_model", "rank_by_speed",
]
