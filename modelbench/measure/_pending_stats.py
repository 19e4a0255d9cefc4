"""Stand-ins for h9s's run-level statistics until its branch is merged (then deleted).

Same names and signatures as the agreed interface in ``modelbench.stats``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


def run_medians(latencies_ns: Any, run_index: Any) -> np.ndarray:
    lat, runs = np.asarray(latencies_ns, dtype=np.float64), np.asarray(run_index)
    return np.array([np.median(lat[runs == r]) for r in np.unique(runs)])


def _boot(medians: np.ndarray, rng: np.random.Generator, n: int = 2000) -> np.ndarray:
    picks = rng.integers(0, len(medians), size=(n, len(medians)))
    return np.median(medians[picks], axis=1)


def median_ci_runs(latencies_ns: Any, run_index: Any, *, confidence: float = 0.95,
                   seed: int = 0) -> tuple[float, float, float]:
    medians = run_medians(latencies_ns, run_index)
    centre = float(np.median(medians))
    if len(medians) < 2:
        return centre, centre, centre
    boot = _boot(medians, np.random.default_rng(seed))
    tail = (1 - confidence) / 2
    return centre, float(np.quantile(boot, tail)), float(np.quantile(boot, 1 - tail))


@dataclass
class Verdict:
    ratio: float
    ci_low: float
    ci_high: float
    verdict: str
    p_value: float
    n_runs_a: int
    n_runs_b: int
    reason: str = ""


def speed_verdict(a_ns: Any, a_runs: Any, b_ns: Any, b_runs: Any, *, margin: float = 0.02,
                  confidence: float = 0.95) -> Verdict:
    ma, mb = run_medians(a_ns, a_runs), run_medians(b_ns, b_runs)
    rng = np.random.default_rng(0)
    ratios = _boot(ma, rng) / _boot(mb, rng)
    tail = (1 - confidence) / 2
    low, high = float(np.quantile(ratios, tail)), float(np.quantile(ratios, 1 - tail))
    ratio = float(np.median(ma) / np.median(mb))
    p = float(min(1.0, 2 * min(np.mean(ratios >= 1), np.mean(ratios <= 1))))
    if len(ma) < 2 or len(mb) < 2:
        word, reason = "inconclusive", "fewer than 2 runs"
    elif 1 - margin <= low and high <= 1 + margin:
        word, reason = "same", "CI inside the margin"
    elif high < 1:
        word, reason = "faster", "CI below 1"
    elif low > 1:
        word, reason = "slower", "CI above 1"
    else:
        word, reason = "inconclusive", "CI spans 1 and leaves the margin"
    return Verdict(ratio, low, high, word, p, len(ma), len(mb), reason)
