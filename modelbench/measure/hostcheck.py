"""Was the host itself slow while a run timed its calls? A short reference probe every ~2 ms.

On shared virtual machines the host slows every process at once for seconds at a time (an
SMT sibling or a neighbour busy on the physical core): measured here, a ~10 µs loop's floor
switched between two modes, 14.5 µs and 21.5 µs, in spells of a few seconds, inside one
process as well as across processes. A run that falls in such a spell is 1.45x slow whatever
the model, and with five runs a side no test can tell a 10 % change through that (run-to-run
sd 18 %: ``benchmarks/bench_verdicts.py``).

So the runner probes the host *between windows* of the timed calls: before every window of
about :data:`WINDOW_NS` of calls (and once after the last) it times the calibration's
reference loop :data:`WINDOW_PROBE_CALLS` times and keeps the fastest (:func:`window_probe_ns`).
A window is *disturbed* when either probe around it is over :data:`SLOW_HOST_FACTOR` times
the fastest probe of the runs compared with it (the same machine, interleaved). Its calls
are kept as the series ``call_disturbed`` — stored, never compared; the run's other calls
are its evidence. Measured on this machine (20 s traces of three workloads, cut into 0.2 s
runs), leaving disturbed windows out cut the run-to-run spread of floors from 14-22 % to
3-5 % (``benchmarks/bench_verdicts.py`` measures it through the runner). A run keeps timing
(up to :data:`HOST_EXTENSION` times ``min_time``) while fewer than :func:`steady_needed` of its
calls are steady; a run that still has too few is *disturbed* as a whole: the runner measures
another in its place (at most ``runs`` extra). ``RunRecord.host_ns`` is the run's fastest
probe (one is also taken before the model loads); a run recorded without windows (an older
version's) is judged by it as a whole.

The rule looks only at the probe, never at the model's own latencies, and is the same for
every model of a comparison, so it cannot favour one side by what it measures. A model
whose own threads keep the core busy after its calls (a spinning BLAS pool) can slow the
probes; then most of its runs are disturbed and its verdicts inconclusive (with no steady
run at all, all are compared and a warning says so).

Example:
    >>> disturbed_runs({0: 14_500, 1: 21_400, 2: 14_900}, floor_ns=14_500)
    [1]
    >>> window_probe_ns(calls=5) > 0
    True
    >>> steady_mask([[0, 6_000], [4, 9_900], [8, 6_100], [10, 6_000]], 10, 6_000).tolist()
    [False, False, False, False, False, False, False, False, True, True]
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["SLOW_HOST_FACTOR", "WINDOW_NS", "WINDOW_PROBE_CALLS",
           "HOST_EXTENSION", "window_probe_ns", "HostWindows", "steady_mask",
           "steady_needed", "split_calls", "disturbed_runs", "disturbed_records",
           "HostFloor"]

#: Iterations of the reference loop (the calibration's too): ~5-10 µs on current CPUs.
REFERENCE_LOOP = 300
#: A run is disturbed when its probe floor is over this times the fastest one compared
#: with it. The two modes seen here differ by 1.45x; within a mode probes spread ~3 %.
SLOW_HOST_FACTOR = 1.15
#: Timed calls between two window probes. The host's slow spells seen here last 0.1-9 s,
#: so a 2 ms window lies within one state; its probe costs ~4 % of it.
WINDOW_NS = 2_000_000
#: Reference calls per window probe; the fastest of them is the window's probe.
WINDOW_PROBE_CALLS = 10
#: A run with too few steady calls keeps timing up to this many times ``min_time``.
HOST_EXTENSION = 5
#: Steady calls a run needs (or half its calls, if fewer). Measured here, runs with fewer
#: than 300 steady calls had floors 2-5 % slower and twice as spread: their "steady" windows
#: lay in mostly slow spells.
MIN_STEADY_CALLS = 300


def _reference(n: int) -> int:
    total = 0
    for i in range(n):  # the calibration child's loop, the same bytecode
        total += i
    return total


def window_probe_ns(calls: int = WINDOW_PROBE_CALLS, *, loop: int = REFERENCE_LOOP,
                    clock: Callable[[], int] | None = None) -> int:
    """The fastest of ``calls`` reference loops (ns): one window's probe, ~70 µs here."""
    pc = clock or time.perf_counter_ns
    best = 1 << 62
    for _ in range(max(1, calls)):
        t0 = pc()
        _reference(loop)
        best = min(best, pc() - t0)
    return int(best)


def steady_needed(n_calls: int) -> int:
    """Steady calls a run needs to count: :data:`MIN_STEADY_CALLS`, or half its calls.

    >>> steady_needed(10_000), steady_needed(20), steady_needed(1)
    (300, 10, 1)
    """
    return max(1, min(MIN_STEADY_CALLS, math.ceil(n_calls / 2)))


def steady_mask(windows: Sequence[Sequence[int]], n_calls: int,
                floor_ns: int | None) -> np.ndarray:
    """Which of ``n_calls`` calls ran in a steady window: ``windows`` are
    ``[first_call, probe_ns]`` in order, the last one the probe after the last call; a
    window is steady when the probes before and after it are both within
    :data:`SLOW_HOST_FACTOR` of ``floor_ns`` (the fastest probe compared; without one, the
    run's own fastest)."""
    if not windows:
        return np.zeros(n_calls, dtype=bool)
    starts = np.array([int(w[0]) for w in windows], dtype=np.int64)
    probes = np.array([int(w[1]) for w in windows], dtype=np.int64)
    floor = probes.min() if not floor_ns or floor_ns <= 0 else min(floor_ns, probes.min())
    limit = SLOW_HOST_FACTOR * floor
    after = np.r_[probes[1:], probes[-1]]  # the last window's own probe stands for both
    steady = (probes <= limit) & (after <= limit)
    starts = starts.clip(max=n_calls)
    lengths = (np.r_[starts[1:], n_calls] - starts).clip(min=0)
    mask = np.zeros(n_calls, dtype=bool)  # calls before the first probe are not steady
    mask[starts[0]:starts[0] + lengths.sum()] = np.repeat(steady, lengths)
    return mask


def split_calls(record: Any, floor_ns: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(steady calls, disturbed calls) of a run, in call order; a run without windows is
    all steady here (:func:`disturbed_records` judges it by its probe)."""
    calls = np.asarray(record.latencies, dtype=np.int64)
    windows = getattr(record, "host_windows", None)
    if not windows:
        return calls, calls[:0]
    mask = steady_mask(windows, calls.size, floor_ns)
    return calls[mask], calls[~mask]


def disturbed_records(records: Sequence[Any], floor_ns: int | None) -> list[int]:
    """Run indices of the good runs (``status`` ok) that do not count: too few steady calls
    (:func:`steady_needed`) by their windows, or, for a run without windows, a probe over
    :data:`SLOW_HOST_FACTOR` x ``floor_ns``."""
    out, whole = [], {}
    for record in records:
        if record.status != "ok":
            continue
        if getattr(record, "host_windows", None):
            steady, _ = split_calls(record, floor_ns)
            if steady.size < steady_needed(len(record.latencies)):
                out.append(record.run_index)
        else:
            whole[record.run_index] = record.host_ns
    return sorted(out + disturbed_runs(whole, floor_ns))


class HostWindows:
    """The window probes of one run, taken as its calls are timed.

    >>> ticks = iter(range(0, 10**9, 1000))
    >>> host = HostWindows(probe=lambda: next(ticks))
    >>> host.mark(0); host.mark(30); host.mark(60)
    >>> host.windows, host.fastest()
    ([[0, 0], [30, 1000], [60, 2000]], 0)
    """

    def __init__(self, probe: Callable[[], int] = window_probe_ns) -> None:
        self.probe = probe
        self.windows: list[list[int]] = []

    def mark(self, next_call: int) -> None:
        """Probe now, before call ``next_call`` (or after the last one)."""
        if self.windows and self.windows[-1][0] == next_call:
            return  # no call since the last probe
        self.windows.append([int(next_call), int(self.probe())])

    def fastest(self) -> int | None:
        return min((w[1] for w in self.windows), default=None)

    def enough(self, n_calls: int) -> bool:
        """Whether enough of the ``n_calls`` so far are steady, by this run's own probes."""
        self.mark(n_calls)
        steady = int(steady_mask(self.windows, n_calls, None).sum())
        return steady >= steady_needed(n_calls)

    def window_calls(self, wanted: int, per_call_ns: float, cycle: int) -> int:
        """Calls in the next window: ``wanted``, at most :data:`WINDOW_NS` of them, in
        whole passes over the ``cycle`` different inputs (so that leaving a window out
        keeps the others' calls on their inputs: call k holds input k mod ``cycle``)."""
        fit = max(1, int(WINDOW_NS // max(per_call_ns, 1.0)))
        calls = min(wanted, fit)
        return cycle * max(1, round(calls / cycle)) if cycle > 1 else max(1, calls)


def disturbed_runs(host_ns: Mapping[int, int | None], floor_ns: int | None) -> list[int]:
    """Run indices whose probe is over :data:`SLOW_HOST_FACTOR` x ``floor_ns``, sorted."""
    if not floor_ns or floor_ns <= 0:
        return []
    limit = SLOW_HOST_FACTOR * floor_ns
    return sorted(i for i, value in host_ns.items() if value is not None and value > limit)


class HostFloor:
    """The fastest probe seen per node: the baseline the runs compared together share.

    >>> floor = HostFloor()
    >>> floor.see("n1", 15_000); floor.see("n1", 14_000); floor.see("n1", None)
    >>> floor.get("n1"), floor.get("n2")
    (14000, None)
    """

    def __init__(self) -> None:
        self._fastest: dict[str, int] = {}

    def see(self, node: str, host_ns: int | None) -> None:
        if host_ns is not None and host_ns > 0:
            self._fastest[node] = min(host_ns, self._fastest.get(node, host_ns))

    def get(self, node: str) -> int | None:
        return self._fastest.get(node)
