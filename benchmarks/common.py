"""What every benchmark module returns: rows of (benchmark, peer, ratio, goal, met).

A module ``benchmarks/bench_<area>.py`` defines ``rows(quick: bool) -> list[Row]``;
``python benchmarks/run.py`` runs them all and prints one table. Ratios compare with a named
peer measured in the same run (these machines are noisy: take medians, never absolute times).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    benchmark: str
    peer: str
    ratio: float  # how many times better than the peer (speed-up), or the figure's own ratio
    goal: str  # human text, e.g. ">= 50x"
    met: bool
    detail: str = ""


def median_time(func: Callable[[], object], repeat: int = 5) -> float:
    """Median wall seconds of ``repeat`` calls of ``func``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
