"""Leaderboards: one per task, dataset (+ config), split and metric, ranked on one scale.

Every value is on its metric's canonical scale (a published 97.2 % and a measured 0.9778
meet as 0.972 and 0.9778), ranked in the metric's direction from the registry. A value
outside its metric's bounds is flagged and not ranked; model properties (parameter counts,
FLOPs) are never ranked. A model measured at several batch sizes has one entry per batch size
(latency is never mixed across them). Equal values share a rank; so do measured results whose
per-item results a paired quality test calls "same".

Example:
    >>> from modelbench.analysis.scores import from_result
    >>> from modelbench.records import BenchmarkResult as R
    >>> rows = [from_result(R(model_name=m, task_type="t", dataset="d", metric="mse", score=s))
    ...         for m, s in (("a", 0.3), ("b", 0.1), ("c", 0.3))]
    >>> board = build_boards(rows)[0]
    >>> [(e.rank, e.model_name) for e in board.entries]
    [(1, 'b'), (2, 'a'), (2, 'c')]
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import ranking
from ..metrics import MetricInfo
from .scores import Score, board_scores

__all__ = ["BoardKey", "Board", "Entry", "leaderboards", "build_boards", "rank_with_ties",
           "rank_results",
           "measured_vs_published", "pareto_front", "board_pareto", "format_value"]


@dataclass(frozen=True, order=True)
class BoardKey:
    """What makes two results comparable: same task, dataset (+ config), split, metric."""

    task_type: str
    dataset: str
    dataset_config: str
    dataset_split: str
    metric: str

    @property
    def label(self) -> str:
        dataset = "/".join(p for p in (self.dataset, self.dataset_config) if p) or "dataset?"
        parts = [self.task_type or "task?", dataset]
        if self.dataset_split:
            parts.append(self.dataset_split)
        return " · ".join([*parts, self.metric])


@dataclass
class Entry:
    """One model (at one batch size) on a board."""

    model_name: str
    batch_size: int | None = None
    value: float | None = None  # the best value, any source: what the rank is by
    measured: float | None = None  # best measured here (source local)
    published: float | None = None  # best published (any other source)
    published_by: str = ""
    printed: str = ""  # the printed form of the best published value
    sources: list[str] = field(default_factory=list)
    n_results: int = 0
    latency_ms: float | None = None  # median of the measured results' median latencies
    best_id: str = ""  # the result that gave ``value``
    measured_id: str = ""  # the best measured result (item results for ties live there)
    rank: int = 0
    tied: bool = False  # shares its rank with another entry
    model_version: str = ""

    @property
    def label(self) -> str:
        return self.model_name if self.batch_size is None else \
            f"{self.model_name} (bs {self.batch_size})"

    def as_row(self, board: Board) -> dict[str, Any]:
        """A plain dict for faces and JSON."""
        return {"rank": self.rank, "tied": self.tied, "model_name": self.model_name,
                "batch_size": self.batch_size, "value": self.value, "measured": self.measured,
                "published": self.published, "published_by": self.published_by,
                "best_score": self.value,
                "printed": self.printed, "sources": ",".join(self.sources),
                "n_results": self.n_results, "median_latency_ms": self.latency_ms,
                "best_id": self.best_id, **board.key.__dict__,
                "direction": board.info.direction, "direction_guessed": board.info.guessed}


@dataclass
class Board:
    """A leaderboard: entries best first, and the values that were flagged and not ranked."""

    key: BoardKey
    info: MetricInfo
    entries: list[Entry]
    flagged: list[Score] = field(default_factory=list)
    n_results: int = 0

    @property
    def direction_label(self) -> str:
        """``higher is better``, ``lower is better``, plus ``(direction guessed)`` if so."""
        text = f"{self.info.direction} is better"
        return f"{text} (direction guessed)" if self.info.guessed else text

    @property
    def sources(self) -> list[str]:
        return sorted({s for e in self.entries for s in e.sources})

    def best(self, column: str) -> float | None:
        """The best ``measured`` or ``published`` value among the entries, in the metric's
        direction (:func:`modelbench.ranking.rank`); ``None`` when no entry has one. A face
        marks the winners of a column with it, never by ranking on its own."""
        values = [getattr(e, column) for e in self.entries if getattr(e, column) is not None]
        if not values:
            return None
        return values[ranking.rank(values, higher_is_better=self.info.higher_is_better)[0].index]

    def as_dict(self) -> dict[str, Any]:
        return {**self.key.__dict__, "direction": self.info.direction,
                "direction_guessed": self.info.guessed, "kind": self.info.kind,
                "entries": [e.as_row(self) for e in self.entries],
                "flagged": [{"model_name": s.model_name, "score": s.raw, "id": s.id,
                             "flag": s.flag} for s in self.flagged]}


def format_value(info: MetricInfo, value: float | None) -> str:
    """One form per metric: the canonical value, 4 significant digits (blank for None).

    >>> from modelbench.metrics import info
    >>> format_value(info("accuracy"), 0.97781), format_value(info("mse"), 1234.5)
    ('0.9778', '1,234')
    """
    if value is None:
        return ""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _better(info: MetricInfo, a: float | None, b: float | None) -> bool:
    """Whether ``a`` beats ``b`` (a missing value never wins)."""
    if a is None:
        return False
    if b is None:
        return True
    return a > b if info.higher_is_better else a < b


Latencies = Callable[[Sequence[Score]], list[float]]


def _entries(members: Sequence[Score], info: MetricInfo,
             exact: Latencies | None = None) -> list[Entry]:
    by_model: dict[tuple[str, int | None], Entry] = {}
    latencies: dict[tuple[str, int | None], list[Score]] = {}
    for s in members:
        key = (s.model_name, s.batch_size)
        entry = by_model.setdefault(key, Entry(model_name=s.model_name, batch_size=s.batch_size,
                                               model_version=s.model_version))
        entry.n_results += s.n_results
        if s.source not in entry.sources:
            entry.sources.append(s.source)
        if _better(info, s.value, entry.value):
            entry.value, entry.best_id = s.value, s.id
        if s.measured:
            if _better(info, s.value, entry.measured):
                entry.measured, entry.measured_id = s.value, s.id
            if s.latency_ms is not None:
                latencies.setdefault(key, []).append(s)
        elif _better(info, s.value, entry.published) or (
                ranking.same_value(s.value, entry.published) and s.source < entry.published_by):
            # Equal published values: the source first by name, however rows were grouped.
            entry.published, entry.published_by, entry.printed = s.value, s.source, s.printed
    for key, parts in latencies.items():
        by_model[key].latency_ms = _median_latency(parts, exact)
    for entry in by_model.values():
        entry.sources.sort()
    return list(by_model.values())


def _median_latency(parts: Sequence[Score], exact: Latencies | None) -> float:
    """The median of every measured latency behind ``parts``: one aggregated group's median
    is already it; medians of several groups are not, so their values are read again."""
    if len(parts) == 1:
        return float(parts[0].latency_ms)  # type: ignore[arg-type]
    if all(p.latency_count == 1 for p in parts) or exact is None:
        return statistics.median(float(p.latency_ms) for p in parts)  # type: ignore[arg-type]
    return statistics.median(exact(parts))


Same = Callable[[Entry, Entry], bool]


def rank_with_ties(entries: list[Entry], info: MetricInfo, same: Same | None = None
                   ) -> list[Entry]:
    """Entries best first with competition ranks (1, 2, 2, 4): equal values share a rank,
    and so do neighbours that ``same(a, b)`` calls the same (a paired quality test) —
    :func:`modelbench.ranking.rank`, the one ranking.

    Ties in order are broken by name, so every face lists a board the same way.
    """
    places = ranking.rank(
        [e.value for e in entries], higher_is_better=info.higher_is_better,
        tie_break=[(e.model_name.lower(), e.batch_size or 0) for e in entries],
        same=None if same is None else lambda a, b: same(entries[a], entries[b]))
    ordered = []
    for place in places:
        entry = entries[place.index]
        entry.rank, entry.tied = place.rank, place.tied
        ordered.append(entry)
    return ordered


def _group(rows: Iterable[Score]) -> dict[BoardKey, list[Score]]:
    """Scores by board. A result that names no split joins the board of its task, dataset
    and metric when exactly one split is named there (a published "test" number meets a
    measurement that did not say); with several splits named it stays on its own board."""
    by_base: dict[tuple[str, str, str, str], list[Score]] = {}
    for s in rows:
        if s.info.ranked:  # model properties are shown beside the model, never ranked
            by_base.setdefault((s.task_type, s.dataset, s.dataset_config, s.metric), []).append(s)
    groups: dict[BoardKey, list[Score]] = {}
    for (task, dataset, config, metric), members in by_base.items():
        splits = {s.dataset_split for s in members if s.dataset_split}
        only = next(iter(splits)) if len(splits) == 1 else ""
        for s in members:
            key = BoardKey(task, dataset, config, s.dataset_split or only, metric)
            groups.setdefault(key, []).append(s)
    return groups


def build_boards(rows: Iterable[Score], *, limit: int | None = None, same: Same | None = None,
                 direction: str | None = None, exact: Latencies | None = None) -> list[Board]:
    """Group scores into boards, rank each one; boards sorted by task, dataset, metric.

    ``direction`` (``"higher"``/``"lower"``) overrides the registry's, e.g. for a metric whose
    direction was guessed from its name.
    """
    groups = _group(rows)
    boards = []
    for key in sorted(groups):
        members = groups[key]
        info = members[0].info
        if direction in ("higher", "lower") and direction != info.direction:
            info = dataclasses.replace(info, direction=direction, guessed=False)
        ranked = [s for s in members if not s.flag]
        entries = rank_with_ties(_entries(ranked, info, exact), info, same)
        if limit is not None:
            entries = [e for e in entries if e.rank <= limit]
        boards.append(Board(key, info, entries, [s for s in members if s.flag],
                            n_results=sum(s.n_results for s in members)))
    return boards


def leaderboards(store: Any, flt: Any = None, *, limit: int | None = None,
                 quality_ties: bool = True, direction: str | None = None) -> list[Board]:
    """Every leaderboard of the results matching ``flt``; ``limit`` ranks per board.

    With ``quality_ties`` measured neighbours whose stored per-item results a paired test
    calls "same" share a rank.
    """
    same = _quality_same(store) if quality_ties else None
    return build_boards(board_scores(store, flt, direction=direction), limit=limit, same=same,
                        direction=direction, exact=_exact_latencies(store, flt))


def _exact_latencies(store: Any, flt: Any) -> Latencies:
    """Every measured latency behind some aggregated scores of one model (rare: a board
    that joined results naming no split with those naming its one split)."""
    from dataclasses import replace

    from ..store import ResultFilter

    def read(parts: Sequence[Score]) -> list[float]:
        first = parts[0]
        base = flt if flt is not None else ResultFilter()
        wanted = replace(base, model_name=first.model_name, task_type=first.task_type,
                         dataset=first.dataset, metric=first.metric, source="local",
                         status="ok")
        groups = {(p.dataset_config, p.dataset_split, p.batch_size) for p in parts}
        rows = store.select_columns(("dataset_config", "dataset_split", "batch_size",
                                     "latency_median_ms", "score_canonical", "quality_flag",
                                     "score"), wanted)
        return [float(r["latency_median_ms"]) for r in rows
                if r["latency_median_ms"] is not None and r["score"] is not None
                and r["score_canonical"] is not None and not r["quality_flag"]
                and (r["dataset_config"] or "", r["dataset_split"] or "",
                     r["batch_size"]) in groups]
    return read


def _quality_same(store: Any) -> Same | None:
    """``same(a, b)``: both measured, item results stored, and the paired verdict is "same"."""
    getter = getattr(type(store), "get_item_results", None)
    if getter is None:  # a store without per-item results (schema v1)
        return None
    import numpy as np

    cache: dict[str, Any] = {}

    def items(result_id: str) -> Any:
        if result_id not in cache:
            values, _ = store.get_item_results(result_id)
            cache[result_id] = np.asarray(values, dtype=np.float64)
        return cache[result_id]

    def same(a: Entry, b: Entry) -> bool:
        if not (a.measured_id and b.measured_id) or a.value != a.measured \
                or b.value != b.measured or a.value is None or b.value is None:
            return False
        # "same" needs the difference inside the verdict's margin (1 point, or 1 % of the
        # value): farther neighbours are not worth reading item results for.
        if abs(a.value - b.value) > 0.01 * max(1.0, abs(b.value)):
            return False
        values_a, values_b = items(a.measured_id), items(b.measured_id)
        if len(values_a) == 0 or len(values_a) != len(values_b):
            return False
        from .. import stats

        binary = bool(np.isin(values_a, (0.0, 1.0)).all() and np.isin(values_b, (0.0, 1.0)).all())
        verdict = stats.quality_verdict(values_a, values_b, paired=True,
                                        kind="binary" if binary else "continuous")
        return verdict.verdict == "same"

    return same


def rank_results(results: Sequence[Any]) -> list[tuple[int, bool, float, Any]]:
    """Results of one metric ranked on the canonical scale: ``(rank, tied, value, result)``
    best first; results without a usable score are left out.

    >>> from modelbench.records import BenchmarkResult as R
    >>> ranked = rank_results([R(model_name="rf", metric="accuracy", score=0.9778),
    ...                        R(model_name="paper", metric="accuracy", score=97.5,
    ...                          source="paperswithcode")])
    >>> [(rank, r.model_name, value) for rank, _, value, r in ranked]
    [(1, 'rf', 0.9778), (2, 'paper', 0.975)]
    """
    from .scores import from_result

    scored = [(from_result(r), r) for r in results]
    scored = [(s, r) for s, r in scored if s is not None and not s.flag]
    if not scored:
        return []
    info = scored[0][0].info
    entries = [Entry(model_name=f"{r.model_name} {r.model_version}".strip(), value=s.value,
                     best_id=r.id) for s, r in scored]
    by_id = {r.id: r for _, r in scored}
    return [(e.rank, e.tied, e.value, by_id[e.best_id])  # type: ignore[misc]
            for e in rank_with_ties(entries, info)]


def measured_vs_published(boards: Iterable[Board]) -> list[dict[str, Any]]:
    """Per model and board: best measured, best published, Δ = measured − published.

    All on the canonical scale. Rows where both exist come first, then the rest by name.
    """
    rows = []
    for board in boards:
        for entry in board.entries:
            both = entry.measured is not None and entry.published is not None
            rows.append({**entry.as_row(board),
                         "delta": entry.measured - entry.published if both else None,
                         "direction_label": board.direction_label})
    return sorted(rows, key=lambda r: (r["delta"] is None, r["model_name"].lower(),
                                       r["dataset"], r["metric"]))


def pareto_front(points: Sequence[tuple[float, float]], *, higher_score_is_better: bool = True
                 ) -> list[int]:
    """Indices of points (latency, score) that no other point beats on both axes.

    >>> pareto_front([(1.0, 0.8), (2.0, 0.9), (3.0, 0.85), (0.5, 0.5)])
    [3, 0, 1]
    """
    sign = 1.0 if higher_score_is_better else -1.0
    order = sorted(range(len(points)), key=lambda i: (points[i][0], -sign * points[i][1]))
    front, best = [], float("-inf")
    for i in order:
        score = sign * points[i][1]
        if score > best:
            front.append(i)
            best = score
    return front


def board_pareto(board: Board) -> tuple[list[Entry], set[int]]:
    """The measured entries with a latency, and the indices of those on the Pareto front."""
    points = [e for e in board.entries if e.measured is not None and e.latency_ms is not None]
    front = pareto_front([(e.latency_ms, e.measured) for e in points],  # type: ignore[misc]
                         higher_score_is_better=board.info.higher_is_better)
    return points, set(front)
