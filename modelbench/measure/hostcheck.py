"""Was the host itself slow during a run? A reference probe before and after the timed calls.

On shared virtual machines the host slows every process at once for seconds at a time (an
SMT sibling or a neighbour busy on the physical core): measured here, a ~10 µs loop's floor
switched between two modes, 14.5 µs and 21.5 µs, in spells of a few seconds, inside one
process as well as across processes. A run that falls in such a spell is 1.45x slow whatever
the model, and with five runs a side no test can tell a 10 % change through that (run-to-run
sd 18 %: ``benchmarks/bench_verdicts.py``).

So each run times the calibration's reference loop (:mod:`.calibration`) for a few
milliseconds before the model loads and again after its timed calls, and keeps the faster
of the two floors as ``RunRecord.host_ns``: slow both times means the host, since nothing
of the model's runs before the first probe. A run whose probe is over
:data:`SLOW_HOST_FACTOR` times the fastest probe of the runs compared with it (the same
machine, interleaved) is *disturbed*:
the runner measures another run in its place (at most ``runs`` extra), and the result keeps
the disturbed run's calls as the series ``call_disturbed`` — stored, never compared. The rule
looks only at the probe, never at the model's own latencies, and is the same for every model
of a comparison, so it cannot favour one side.

Example:
    >>> disturbed_runs({0: 14_500, 1: 21_400, 2: 14_900}, floor_ns=14_500)
    [1]
    >>> probe_ns(calls=20) > 0
    True
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import numpy as np

from ..stats import FLOOR_QUANTILE
from .calibration import REFERENCE_LOOP

__all__ = ["SLOW_HOST_FACTOR", "PROBE_CALLS", "probe_ns", "disturbed_runs", "HostFloor"]

#: A run is disturbed when its probe floor is over this times the fastest one compared
#: with it. The two modes seen here differ by 1.45x; within a mode probes spread ~3 %.
SLOW_HOST_FACTOR = 1.15
#: Reference calls per probe: ~300 x 10 µs = 3 ms, twice a run (~3 % of a 0.2 s run).
PROBE_CALLS = 300


def _reference(n: int) -> int:
    total = 0
    for i in range(n):  # the calibration child's loop, the same bytecode
        total += i
    return total


def probe_ns(calls: int = PROBE_CALLS, *, loop: int = REFERENCE_LOOP,
             clock: Callable[[], int] | None = None) -> int:
    """The floor (as the verdicts': 10th-percentile call, ns) of ``calls`` reference loops."""
    pc = clock or time.perf_counter_ns
    times = np.empty(max(1, calls), dtype=np.int64)
    for k in range(times.size):
        t0 = pc()
        _reference(loop)
        times[k] = pc() - t0
    return int(np.quantile(times, FLOOR_QUANTILE))


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
