"""This testbed's run-to-run spread, measured with a fixed reference workload.

Every run is a fresh Python process that warms up, then times a ~10 µs pure-Python loop for
``run_time`` seconds (the runner's default run length) and sends back its per-call
latencies. The standard deviation of the log run medians is the testbed's run-to-run spread:
how much a model's median moves between runs for reasons that are not the model's (core
placement, an SMT sibling's load, frequency). ``modelbench calibrate`` stores it and
``modelbench check`` uses it as the spread of a one-run result and as a floor for the spread
of the others (see :func:`modelbench.stats.speed_verdict`). The spread of the run floors
(10th-percentile calls: what speed verdicts compare) is stored beside it.

Nothing here imports the store: :func:`calibration_result` returns a record for the caller
to store.

Example:
    >>> cal = measure_spread(runs=2, run_time=0.01)
    >>> cal.n_runs, cal.df, cal.sd >= 0, cal.floor_sd >= 0, len(cal.run_floors_ns)
    (2, 1, True, True, 2)
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from array import array
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..errors import BenchmarkError, ValidationError
from ..records import BenchmarkResult, new_id
from .environment import fingerprint
from .hostcheck import REFERENCE_LOOP, WINDOW_NS, steady_mask, steady_needed

__all__ = ["Calibration", "reference_run", "measure_spread", "calibration_result",
           "CALIBRATION_TASK", "CALIBRATION_METRIC"]

#: How a calibration is stored: task_type and metric of its result (score = the spread).
CALIBRATION_TASK = "calibration"
CALIBRATION_METRIC = "run_to_run_sd"

#: The child: warm up 50 ms, time the reference loop, write int64 latencies to stdout.
_CHILD = r"""
import sys, time
from array import array
def reference(n):
    total = 0
    for i in range(n):
        total += i
    return total
run_time, n = float(sys.argv[1]), int(sys.argv[2])
pc = time.perf_counter_ns
end = pc() + 50_000_000
while pc() < end:
    reference(n)
out = array("q")
end = pc() + int(run_time * 1e9)
while True:
    t0 = pc(); reference(n); t1 = pc()
    out.append(t1 - t0)
    if t1 >= end:
        break
sys.stdout.buffer.write(out.tobytes())
"""


@dataclass
class Calibration:
    """Run medians (ns) of the reference workload and their spread on the log scale."""

    run_medians_ns: list[float]
    latencies_ns: np.ndarray = field(repr=False)
    run_index: np.ndarray = field(repr=False)
    run_time: float = 0.2
    wall_per_run_s: float = 0.0

    @property
    def n_runs(self) -> int:
        return len(self.run_medians_ns)

    @property
    def df(self) -> int:
        """Degrees of freedom of :attr:`sd` (steady runs − 1)."""
        return max(0, np.unique(self.steady_calls()[1]).size - 1)

    @property
    def sd(self) -> float:
        """Standard deviation of the log run medians of the steady calls (0.03 ≈ 3 % run
        to run), as the runner's host check leaves them (:meth:`steady_calls`)."""
        from ..stats import run_medians

        return _log_sd(run_medians(*self.steady_calls()).tolist())

    def steady_calls(self) -> tuple[np.ndarray, np.ndarray]:
        """(latencies, run index) of the calls timed while the host was steady, as the
        runner's host check (:mod:`.hostcheck`) judges a model's: the calls in windows of
        ~2 ms, each window's probe its own fastest call (the workload *is* the probe's
        loop), against the fastest of all; runs with too few such calls are left out."""
        return self._steady

    @cached_property
    def _steady(self) -> tuple[np.ndarray, np.ndarray]:  # the data never change: once
        runs = {run: self.latencies_ns[self.run_index == run]
                for run in np.unique(self.run_index)}
        windows = {}
        for run, calls in runs.items():
            edges = np.searchsorted(np.cumsum(calls), np.arange(0, calls.sum(), WINDOW_NS))
            windows[run] = [[int(e), int(calls[e:f].min())] for e, f in
                            zip(edges, [*edges[1:], calls.size], strict=True) if f > e]
        floor = min(w[1] for ws in windows.values() for w in ws)
        kept, index = [], []
        for run, calls in runs.items():
            steady = calls[steady_mask(windows[run], calls.size, floor)]
            if steady.size >= steady_needed(calls.size):
                kept.append(steady)
                index.append(np.full(steady.size, run))
        if len(kept) < 2:  # the host was never steady for long: judge all calls
            return self.latencies_ns, self.run_index
        return np.concatenate(kept), np.concatenate(index)

    @property
    def run_floors_ns(self) -> list[float]:
        """Each run's floor (10th-percentile call) of its steady calls, the statistic of
        speed verdicts."""
        from ..stats import run_floors

        return run_floors(*self.steady_calls()).tolist()

    @property
    def floor_sd(self) -> float:
        """Standard deviation of the log run floors (what :func:`stats.speed_verdict`
        compares by default; on a shared machine a quarter of :attr:`sd` or less)."""
        return _log_sd(self.run_floors_ns)


def _log_sd(values: list[float]) -> float:
    logs = np.log(np.asarray(values, dtype=np.float64))
    return float(logs.std(ddof=1)) if logs.size > 1 else math.nan


def reference_run(run_time: float = 0.2, *, loop: int = REFERENCE_LOOP,
                  timeout: float = 60.0) -> np.ndarray:
    """Per-call latencies (ns, int64) of one fresh process timing the reference loop."""
    try:
        out = subprocess.run([sys.executable, "-c", _CHILD, str(run_time), str(loop)],
                             capture_output=True, timeout=timeout, check=False,
                             env={**os.environ, "PYTHONHASHSEED": "0"})
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"the calibration run took over {timeout:.0f} s",
                             hint="the machine is overloaded; try again later") from exc
    if out.returncode != 0 or not out.stdout:
        raise BenchmarkError("the calibration child process failed: "
                             f"{out.stderr.decode(errors='replace')[-300:]}")
    return np.frombuffer(array("q", out.stdout).tobytes(), dtype=np.int64).copy()


def measure_spread(runs: int = 10, run_time: float = 0.2) -> Calibration:
    """Measure ``runs`` fresh-process runs of the reference loop, one after another."""
    if runs < 2:
        raise ValidationError(f"calibration needs at least 2 runs, got {runs}",
                              hint="use --runs 10 (the default)")
    if not run_time > 0:
        raise ValidationError(f"run time must be above 0 s, got {run_time}")
    latencies, indices, medians = [], [], []
    start = time.perf_counter()
    for index in range(runs):
        calls = reference_run(run_time)
        latencies.append(calls)
        indices.append(np.full(calls.size, index, dtype=np.int64))
        medians.append(float(np.median(calls)))
    wall = (time.perf_counter() - start) / runs
    return Calibration(medians, np.concatenate(latencies), np.concatenate(indices),
                       run_time=run_time, wall_per_run_s=wall)


def calibration_result(cal: Calibration, *, run_id: str | None = None) -> BenchmarkResult:
    """The calibration as a stored result: score = run-to-run sd, ``extra['df']`` its
    degrees of freedom; the caller stores it with ``cal.latencies_ns``/``cal.run_index``
    as samples. The environment fingerprint says which testbed it describes;
    ``extra['floor_sd']`` is the spread of the run floors, what speed verdicts compare."""
    from ..stats import summarize

    env = fingerprint()
    return BenchmarkResult(
        model_name="testbed", task_type=CALIBRATION_TASK, dataset="reference-loop",
        metric=CALIBRATION_METRIC, score=cal.sd, n_runs=cal.n_runs,
        latency=summarize(cal.latencies_ns), environment=env, env_hash=env["env_hash"],
        run_id=run_id or new_id()[:12], metric_kind="property", direction="lower",
        git_commit=env.get("git_commit") or "", git_branch=env.get("git_branch") or "",
        git_dirty=env.get("git_dirty"),
        extra={"df": cal.df, "run_time_s": cal.run_time, "wall_per_run_s": cal.wall_per_run_s,
               "reference": f"pure-Python loop of {REFERENCE_LOOP} additions per call",
               "run_medians_ns": cal.run_medians_ns, "floor_sd": cal.floor_sd,
               "run_floors_ns": cal.run_floors_ns})
