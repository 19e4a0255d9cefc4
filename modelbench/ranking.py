"""The one ranking: values best first in their metric's direction, equal values sharing a
competition rank (1, 2, 2, 4), ties in order broken by a key the caller gives.

Values closer than :data:`EQUAL` (relative) are equal: a published 97.2 % and a measured
0.972 meet on the canonical scale. Leaderboards (:func:`modelbench.analysis.rank_with_ties`,
ties in order by name) and a plan run's summary (:func:`modelbench.measure.runner.rank_order`,
fresh or resumed, ties in order by what an item costs) both rank with :func:`rank`. It knows
numbers only, so every layer may use it (``measure`` may not import ``analysis``).

Example:
    >>> [(p.index, p.rank, p.tied) for p in rank([0.3, 0.1, 0.3], higher_is_better=False)]
    [(1, 1, False), (0, 2, True), (2, 2, True)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["EQUAL", "Placed", "rank", "same_value"]

#: Values closer than this, relative to the larger, are equal.
EQUAL = 1e-9


def same_value(a: float | None, b: float | None) -> bool:
    """Whether two values are equal for ranking (``None`` equals nothing).

    >>> same_value(0.972, 97.2 / 100), same_value(0.97, 0.972), same_value(None, None)
    (True, False, False)
    """
    if a is None or b is None:
        return False
    return abs(a - b) <= EQUAL * max(abs(a), abs(b), 1e-300)


@dataclass(frozen=True)
class Placed:
    """One value's place: its ``index`` in the values given, its ``rank``, whether it
    shares that rank (``tied``)."""

    index: int
    rank: int
    tied: bool


def rank(values: Sequence[float | None], *, higher_is_better: bool,
         tie_break: Sequence[Any] | None = None,
         same: Callable[[int, int], bool] | None = None) -> list[Placed]:
    """Every value's place, best first; ``None`` (no value) last.

    Equal values (:func:`same_value`) share a rank, and so do neighbours for which
    ``same(index_a, index_b)`` is true (e.g. a paired quality test says "same").
    ``tie_break``: one sortable key per value, the order among equal values (default: the
    order given).

    >>> places = rank([0.9, 0.9, 0.5], higher_is_better=True, tie_break=[2.0, 1.0, 0.5])
    >>> [(p.index, p.rank, p.tied) for p in places]
    [(1, 1, True), (0, 1, True), (2, 3, False)]
    >>> [p.rank for p in rank([0.5, 0.6], higher_is_better=True, same=lambda a, b: True)]
    [1, 1]
    """
    sign = -1.0 if higher_is_better else 1.0
    keys = list(tie_break) if tie_break is not None else [0] * len(values)
    order = sorted(range(len(values)), key=lambda i: (
        values[i] is None, sign * (values[i] or 0.0), keys[i]))
    placed: list[Placed] = []
    for position, index in enumerate(order):
        previous = placed[-1] if placed else None
        if previous is not None and (
                same_value(values[index], values[previous.index])
                or (same is not None and same(previous.index, index))):
            placed[-1] = Placed(previous.index, previous.rank, True)
            placed.append(Placed(index, previous.rank, True))
        else:
            placed.append(Placed(index, position + 1, False))
    return placed
