"""Load scenarios for serving benchmarks, and one :class:`Measurement` per scenario cell.

* ``single-stream`` — one request at a time.
* ``concurrency`` — closed loop: N workers, each sends its next request when the last one
  finished. Latency counts from the send time.
* ``rate`` — open loop: requests are *scheduled* at rate R with ``constant``, ``poisson`` or
  ``gamma`` gaps (``burstiness`` is gamma's shape: below 1 is burstier than Poisson). An
  optional ``max_concurrency`` caps requests in flight; pacing happens *after* the cap (a
  request waits for a slot, then for its scheduled time), so the cap never turns the rate
  into bursts above it. TTFT and E2E count from the *scheduled* time, so waiting behind the
  cap or a late scheduler is measured (no coordinated omission); the scheduler's own lag
  (send time − the scheduled time, or the time a slot came free when the cap made it wait)
  is reported. With the stdlib transports a request is made ready ahead (a pooled, connected
  keep-alive connection and the request's bytes) and passed 50 ms early to the sender process
  (:mod:`.sender`), which writes it at its time and reports the send time; a reader thread or
  task, handed the request before its time, reads the response. No thread has to wake up or
  take the GIL on the way to the write. ``Scenario(realtime=True)`` asks for ``SCHED_FIFO``
  for the sender alone: on a loaded machine an ordinary task wakes up milliseconds late
  (``benchmarks/bench_serving.py`` measures a bare sleeper beside it). Other targets (httpx,
  callables) are handed to their worker 2 ms early, and the worker sends.
  While requests run, the GIL switch interval is 0.2 ms (CPython's default is 5 ms) and the
  scheduling thread's timer slack is 1 ns; both are restored after, and each result records
  ``gil_switch_interval_s``, ``sender`` and ``sender_realtime`` in ``extra``.
* ``offline`` — every request scheduled at once (capped by ``max_concurrency``): throughput.

Warm-up runs the same scenario (same concurrency, rate and cap) for ``warmup`` requests,
at least as many as requests in flight, and is discarded. Arrivals and prompt order come from
``seed``. ``runs`` repeats the measured part; each run's samples carry its run index.

Two drivers: ``thread`` (one OS thread per stream) and ``asyncio`` (one event loop);
``benchmarks/bench_serving.py`` compares them.

Example:
    >>> arrival_offsets_ns(4, rate=10.0, arrival="constant").tolist()
    [0, 100000000, 200000000, 300000000]
    >>> Scenario(kind="rate", rate=5, arrival="poisson", max_concurrency=4).label
    'rate=5/s poisson cap=4'
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import math
import queue
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ...errors import ConfigError
from ...records import BenchmarkResult, Measurement
from .metrics import RequestRecord, count_tokens, meets_slo
from .prompts import Prompt, PromptSet, score_answer
from .sender import AVAILABLE as SENDER
from .sender import MAX_WIRE, Sender, timer_slack
from .sender import sleep_until as _sleep_until

__all__ = ["Scenario", "arrival_offsets_ns", "run_requests", "measure_scenario", "sweep",
           "find_peak", "Peak", "KINDS", "ARRIVALS", "DRIVERS"]

KINDS = ("single-stream", "concurrency", "rate", "offline")
ARRIVALS = ("constant", "poisson", "gamma")
DRIVERS = ("thread", "asyncio")
_LEAD_NS = 5_000_000  # the schedule starts 5 ms after the dispatcher is ready
#: The GIL switch interval while requests run (CPython's default is 5 ms): a thread that
#: wakes up to send or to read waits for the GIL at most about this long before the holder
#: is asked to drop it. Restored after; recorded in each result's ``extra``.
_SWITCH_INTERVAL_S = 0.0002
#: Linux timer slack of the scheduling thread while requests run (the default, 50 us, lets
#: a sleep end up to that late); restored after.
_TIMER_SLACK_NS = 1
#: Open loop: a request is handed to its worker this long before its scheduled time, and the
#: worker (awake by then) waits out the rest itself — the send does not wait for a thread or
#: task to wake up (see benchmarks/bench_serving.py, schedule lag).
_HANDOFF_NS = 2_000_000
#: With the sender process, a request is made ready and passed to it this long before its
#: time: the scheduling thread (which needs the GIL, and may wait for a core on a busy
#: machine) can be that late without the send being late.
_PASS_AHEAD_NS = 50_000_000
_MAX_THREADS = 512


@dataclass(frozen=True)
class Scenario:
    """One cell of load: kind, concurrency or rate, and how many requests."""

    kind: str = "concurrency"
    concurrency: int = 1
    rate: float | None = None
    arrival: str = "poisson"
    burstiness: float = 1.0
    max_concurrency: int | None = None
    requests: int = 32
    warmup: int | None = None
    runs: int = 1
    seed: int = 0
    #: the open loop's sender process asks for real-time priority (see :mod:`.sender`)
    realtime: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ConfigError(f"scenario kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.kind == "rate" and not (self.rate and self.rate > 0):
            raise ConfigError("an open-loop scenario needs rate > 0 (requests per second)")
        if self.arrival not in ARRIVALS:
            raise ConfigError(f"arrival {self.arrival!r} is not one of {', '.join(ARRIVALS)}")
        if self.concurrency < 1 or self.requests < 1 or self.runs < 1 or self.burstiness <= 0:
            raise ConfigError("concurrency, requests and runs must be >= 1, burstiness > 0")
        if self.max_concurrency is not None and self.max_concurrency < 1:
            raise ConfigError("max_concurrency must be >= 1")

    @property
    def in_flight(self) -> int:
        """Requests in flight this scenario aims at (for warm-up and connection pools)."""
        if self.kind == "single-stream":
            return 1
        if self.kind == "concurrency":
            return self.concurrency
        cap = self.max_concurrency or self.requests
        if self.kind == "offline":
            return min(cap, self.requests)
        return min(cap, max(1, math.ceil(self.rate or 1)))

    @property
    def warmup_requests(self) -> int:
        return self.warmup if self.warmup is not None else max(2, self.in_flight)

    @property
    def label(self) -> str:
        if self.kind == "concurrency":
            return f"concurrency={self.concurrency}"
        cap = f" cap={self.max_concurrency}" if self.max_concurrency else ""
        if self.kind == "rate":
            shape = f" burstiness={self.burstiness:g}" if self.arrival == "gamma" else ""
            return f"rate={self.rate:g}/s {self.arrival}{shape}{cap}"
        return f"{self.kind}{cap}"

    def params(self) -> dict[str, Any]:
        """The cell's parameters, as stored in ``BenchmarkResult.params``."""
        out: dict[str, Any] = {"scenario": self.kind, "requests": self.requests,
                               "warmup": self.warmup_requests, "seed": self.seed}
        if self.kind == "concurrency":
            out["concurrency"] = self.concurrency
        if self.kind == "single-stream":
            out["concurrency"] = 1
        if self.kind == "rate":
            out.update(rate=self.rate, arrival=self.arrival)
            if self.arrival == "gamma":
                out["burstiness"] = self.burstiness
        if self.max_concurrency:
            out["max_concurrency"] = self.max_concurrency
        if self.realtime:
            out["realtime"] = True
        return out


def arrival_offsets_ns(n: int, *, rate: float, arrival: str = "poisson", burstiness: float = 1.0,
                       seed: int = 0) -> np.ndarray:
    """Scheduled send times (ns from the first) of ``n`` requests at ``rate`` per second."""
    mean = 1.0 / rate
    rng = np.random.default_rng(seed)
    if arrival == "constant":
        gaps = np.full(n, mean)
    elif arrival == "poisson":
        gaps = rng.exponential(mean, n)
    elif arrival == "gamma":
        gaps = rng.gamma(burstiness, mean / burstiness, n)
    else:
        raise ConfigError(f"arrival {arrival!r} is not one of {', '.join(ARRIVALS)}")
    offsets = np.concatenate([[0.0], np.cumsum(gaps[:-1])]) if n else np.zeros(0)
    return np.round(offsets * 1e9).astype(np.int64)


# -- drivers ---------------------------------------------------------------------------------
async def _asleep_until(deadline_ns: int) -> None:
    while True:
        remaining = deadline_ns - time.perf_counter_ns()
        if remaining <= 0:
            return
        await asyncio.sleep((remaining - 1_500_000) / 1e9 if remaining > 2_000_000 else 0)


def _closed_threads(target: Any, prompts: Sequence[Prompt], workers: int
                    ) -> list[RequestRecord]:
    records: list[RequestRecord | None] = [None] * len(prompts)
    counter = itertools.count()  # next() on a count is atomic under the GIL

    def work() -> None:
        while (i := next(counter)) < len(prompts):
            records[i] = target.request(prompts[i], defer=True)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return records  # type: ignore[return-value]


def _open_threads(target: Any, prompts: Sequence[Prompt], offsets: np.ndarray,
                  cap: int | None, realtime: bool = False, info: dict | None = None
                  ) -> list[RequestRecord]:
    if getattr(target, "sends_apart", False):
        return _open_sending(target, prompts, offsets, cap, realtime, info)
    n = len(prompts)
    records: list[RequestRecord | None] = [None] * n
    slots = threading.BoundedSemaphore(cap) if cap else None
    jobs: queue.SimpleQueue[tuple[int, int, int] | None] = queue.SimpleQueue()

    def work() -> None:
        while (job := jobs.get()) is not None:
            i, scheduled, ready = job
            _sleep_until(scheduled)
            record = target.request(prompts[i], scheduled_ns=scheduled, defer=True)
            record.ready_ns = ready
            records[i] = record
            if slots:
                slots.release()

    threads = _workers(work, min(cap or n, n, _MAX_THREADS))
    t0 = time.perf_counter_ns() + _LEAD_NS
    for i, offset in enumerate(offsets.tolist()):
        scheduled = t0 + offset
        ready = _slot(slots, scheduled)  # the cap first, then the pace
        _sleep_until(scheduled - _HANDOFF_NS)
        jobs.put((i, scheduled, ready))
    _join(threads, jobs)
    return records  # type: ignore[return-value]


def _open_sending(target: Any, prompts: Sequence[Prompt], offsets: np.ndarray,
                  cap: int | None, realtime: bool = False, info: dict | None = None
                  ) -> list[RequestRecord]:
    """Open loop where requests are made ready ahead (``target.prepare``: a connected
    keep-alive connection, the request's bytes) and written at their time by the sender
    process (:mod:`.sender`), or where it cannot be had, by this thread; a worker thread,
    handed the request before its time, reads the response. No thread has to wake up, nor
    take the GIL, between the scheduled time and the write."""
    n = len(prompts)
    records: list[RequestRecord | None] = [None] * n
    slots = threading.BoundedSemaphore(cap) if cap else None
    jobs: queue.SimpleQueue[tuple[int, Any, int] | None] = queue.SimpleQueue()

    def work() -> None:
        while (job := jobs.get()) is not None:
            i, out, ready = job
            record = target.receive(out, defer=True)
            record.ready_ns = ready
            records[i] = record
            if slots:
                slots.release()

    threads = _workers(work, min(cap or n, n, _MAX_THREADS))
    passed: dict[int, Any] = {}
    with contextlib.ExitStack() as stack:
        sender = stack.enter_context(Sender(realtime=realtime)) if SENDER else None
        t0 = time.perf_counter_ns() + _LEAD_NS
        for i, offset in enumerate(offsets.tolist()):
            scheduled = t0 + offset
            ready = _slot(slots, scheduled)  # the cap first, then the pace
            out = target.prepare(prompts[i])
            if sender is not None and out.passable(MAX_WIRE):
                _sleep_until(scheduled - _PASS_AHEAD_NS)
                passed[i] = target.send_by(sender, i, out, scheduled)
            else:
                _sleep_until(scheduled)
                target.send(out, scheduled)
            jobs.put((i, out, ready))
        _join(threads, jobs)
        if sender is not None:
            _sent_times(passed, sender.finish())
        if info is not None:
            info.update(sender="process" if sender else "thread",
                        sender_realtime=bool(sender and sender.realtime))
    return records  # type: ignore[return-value]


def _sent_times(passed: dict[int, Any], sent: dict[int, tuple[int, int]]) -> None:
    """Each request the sender wrote gets the send time it reported; one it did not report
    is an error of the measurement, never a lag of 0."""
    missing = sorted(set(passed) - set(sent))
    if missing:
        raise RuntimeError(f"the sender process reported no send time for {len(missing)} "
                           f"request(s) (first: {missing[0]})")
    for i, out in passed.items():
        out.sent(sent[i][0])


def _slot(slots: threading.BoundedSemaphore | None, scheduled: int) -> int:
    """Take a slot under the cap (waiting for one if none is free); when the request was
    ready to go: its scheduled time, or when a slot came free if it had to wait and that was
    later. A dispatcher late by itself is lag, never queueing."""
    if slots is None or slots.acquire(blocking=False):
        return scheduled
    slots.acquire()
    return max(scheduled, time.perf_counter_ns())


def _workers(work: Any, count: int) -> list[threading.Thread]:
    threads = [threading.Thread(target=work, daemon=True) for _ in range(count)]
    for t in threads:
        t.start()
    return threads


def _join(threads: list[threading.Thread], jobs: queue.SimpleQueue) -> None:
    """Stop the workers (one ``None`` each) and wait for them."""
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join()


async def _closed_async(target: Any, prompts: Sequence[Prompt], workers: int
                        ) -> list[RequestRecord]:
    records: list[RequestRecord | None] = [None] * len(prompts)
    counter = itertools.count()

    async def work() -> None:
        while (i := next(counter)) < len(prompts):
            records[i] = await target.arequest(prompts[i], defer=True)

    await asyncio.gather(*(work() for _ in range(workers)))
    return records  # type: ignore[return-value]


async def _open_async(target: Any, prompts: Sequence[Prompt], offsets: np.ndarray,
                      cap: int | None, realtime: bool = False, info: dict | None = None
                      ) -> list[RequestRecord]:
    """Open loop on the event loop. With the lean client (``target.aprepare``) requests
    are made ready ahead and written at their time by the sender process, as in
    :func:`_open_sending`; otherwise a task wakes up at the time and sends."""
    records: list[RequestRecord | None] = [None] * len(prompts)
    slots = asyncio.Semaphore(cap) if cap else None

    async def one(i: int, scheduled: int, ready: int, out: Any) -> None:
        try:
            if out is not None:
                if i not in passed:  # too big for the sender: written from here
                    await _asleep_until(scheduled)
                    await target.asend(out, scheduled)
                record = await target.areceive(out, defer=True)
            else:
                await _asleep_until(scheduled)
                record = await target.arequest(prompts[i], scheduled_ns=scheduled,
                                               defer=True)
            record.ready_ns = ready
            records[i] = record
        finally:
            if slots:
                slots.release()

    tasks, passed = [], {}
    with contextlib.ExitStack() as stack:
        sender = stack.enter_context(Sender(realtime=realtime)) \
            if SENDER and getattr(target, "sends_apart_async", False) else None
        t0 = time.perf_counter_ns() + _LEAD_NS
        for i, offset in enumerate(offsets.tolist()):
            scheduled = t0 + offset
            free = slots is None or not slots.locked()
            if slots:
                await slots.acquire()
            ready = scheduled if free else max(scheduled, time.perf_counter_ns())
            out = await target.aprepare(prompts[i]) if sender is not None else None
            if out is not None and out.passable(MAX_WIRE):
                await _asleep_until(scheduled - _PASS_AHEAD_NS)
                passed[i] = target.send_by(sender, i, out, scheduled)
            else:
                out = out if out is not None and out.failure is None else None
                await _asleep_until(scheduled - _HANDOFF_NS)
            tasks.append(asyncio.create_task(one(i, scheduled, ready, out)))
        await asyncio.gather(*tasks)
        if sender is not None:
            _sent_times(passed, sender.finish())
        if info is not None:
            info.update(sender="process" if sender else "worker",
                        sender_realtime=bool(sender and sender.realtime))
    return records  # type: ignore[return-value]


def _plan(scenario: Scenario, n: int, seed: int) -> tuple[str, int, np.ndarray | None, int | None]:
    """(loop, workers, offsets, cap) for ``n`` requests of ``scenario``."""
    if scenario.kind == "single-stream":
        return "closed", 1, None, None
    if scenario.kind == "concurrency":
        return "closed", scenario.concurrency, None, None
    if scenario.kind == "offline":
        return "open", 0, np.zeros(n, dtype=np.int64), scenario.max_concurrency
    offsets = arrival_offsets_ns(n, rate=float(scenario.rate or 1), arrival=scenario.arrival,
                                 burstiness=scenario.burstiness, seed=seed)
    return "open", 0, offsets, scenario.max_concurrency


def run_requests(target: Any, prompts: Sequence[Prompt], scenario: Scenario, *,
                 driver: str = "thread", seed: int | None = None,
                 loop_runner: Any = None, realtime: bool = False,
                 info: dict[str, Any] | None = None) -> list[RequestRecord]:
    """Send ``prompts`` (one request each, in order) under ``scenario``; records in order.

    ``realtime`` (or ``scenario.realtime``): the open loop's sender process asks for
    ``SCHED_FIFO`` (:mod:`.sender`).
    ``info`` (a dict) gets how requests were sent: ``sender`` (``process``, ``thread`` or
    ``worker``) and ``sender_realtime`` (whether ``SCHED_FIFO`` was granted)."""
    loop, workers, offsets, cap = _plan(scenario, len(prompts),
                                        scenario.seed if seed is None else seed)
    info = {} if info is None else info
    info.update(sender="worker", sender_realtime=False)
    realtime = realtime or scenario.realtime
    with _collector_paused(), _fine_timing():
        records = _drive(target, prompts, driver, loop, workers, offsets, cap, loop_runner,
                         realtime=realtime, info=info)
    # Streams were kept as stamped bytes during the run; parse them now, outside the window.
    return [r.settle() for r in records]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while streams are stamped: a full collection stops every
    thread for milliseconds (as timeit does; the run allocates little, and settles after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _fine_timing() -> Iterator[None]:
    """The GIL switch interval and this thread's timer slack lowered while requests run
    (``_SWITCH_INTERVAL_S``, ``_TIMER_SLACK_NS``), and restored after."""
    interval = sys.getswitchinterval()
    slack = timer_slack(_TIMER_SLACK_NS)
    sys.setswitchinterval(min(interval, _SWITCH_INTERVAL_S))
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        if slack is not None:
            timer_slack(slack)


def _drive(target: Any, prompts: Sequence[Prompt], driver: str, loop: str, workers: int,
           offsets: np.ndarray | None, cap: int | None, loop_runner: Any, *,
           realtime: bool, info: dict[str, Any]) -> list[RequestRecord]:
    if driver == "thread":
        records = _closed_threads(target, prompts, workers) if loop == "closed" \
            else _open_threads(target, prompts, offsets, cap, realtime,  # type: ignore[arg-type]
                               info)
    elif driver == "asyncio":
        coroutine = _closed_async(target, prompts, workers) if loop == "closed" \
            else _open_async(target, prompts, offsets, cap, realtime,  # type: ignore[arg-type]
                             info)
        records = (loop_runner or asyncio.run)(coroutine)
    else:
        raise ConfigError(f"driver {driver!r} is not one of {', '.join(DRIVERS)}")
    return records


# -- one cell -> one Measurement -------------------------------------------------------------
@dataclass
class _Run:
    records: list[RequestRecord]
    wall_ns: int


def _wall_ns(records: list[RequestRecord]) -> int:
    begin = min(r.start_ns for r in records)
    end = max(r.end_ns for r in records)
    return max(end - begin, 1)


def _series(runs: list[_Run]) -> dict[str, tuple[list[int], list[int]]]:
    series: dict[str, tuple[list[int], list[int]]] = {
        name: ([], []) for name in ("ttft", "tpot", "itl", "e2e")}

    def add(name: str, values: list[Any], run: int) -> None:
        series[name][0].extend(int(round(v)) for v in values)
        series[name][1].extend([run] * len(values))

    for run_index, run in enumerate(runs):
        for r in run.records:
            if not r.ok:
                continue
            if r.ttft_ns is not None:
                add("ttft", [r.ttft_ns], run_index)
            if r.tpot_ns is not None:
                add("tpot", [r.tpot_ns], run_index)
            add("itl", r.itl_ns, run_index)
            add("e2e", [r.e2e_ns], run_index)
    return series


def _percentiles_ms(values: list[int]) -> dict[str, float] | None:
    if not values:
        return None
    p50, p99 = np.percentile(np.asarray(values) / 1e6, [50, 99])
    return {"p50": round(float(p50), 4), "p99": round(float(p99), 4),
            "max": round(max(values) / 1e6, 4)}


def _quality(records: list[RequestRecord], prompts: PromptSet
             ) -> tuple[float | None, np.ndarray | None, list[Any] | None]:
    if not prompts.has_references:
        return None, None, None
    scores: dict[int, list[float]] = {}
    answers: dict[int, str] = {}
    for r in records:
        reference = prompts.prompts[r.prompt_index].reference
        if reference is None:
            continue
        value = score_answer(r.text, reference, prompts.scoring) if r.ok else 0.0
        scores.setdefault(r.prompt_index, []).append(value)
        answers.setdefault(r.prompt_index, r.text)
    items = sorted(scores)
    values = np.array([float(np.mean(scores[i])) for i in items])
    predictions = [{"item": prompts.prompts[i].item, "text": answers[i]} for i in items]
    return (float(values.mean()) if values.size else None), values, predictions


def _read_together(records: list[RequestRecord]) -> float:
    """Share of token chunks after the first stamped exactly as the one before: bytes that
    waited in the socket for the next chunk, since the client did not read in between (a
    read's stamp is its last byte's arrival; see .stamps).

    >>> _read_together([RequestRecord(chunk_times_ns=[1, 5, 5, 9, 12])])
    0.25
    """
    pairs = shared = 0
    for r in records:
        times = r.chunk_times_ns
        pairs += max(len(times) - 1, 0)
        shared += sum(a == b for a, b in zip(times, times[1:], strict=False))
    return shared / pairs if pairs else 0.0


def _summaries(samples: dict[str, tuple[list[int], list[int]]]) -> dict[str, Any]:
    from ...stats import summarize

    return {name: summarize(values).to_dict() for name, (values, _) in samples.items() if values}


def _build(target: Any, prompts: PromptSet, scenario: Scenario, runs: list[_Run],
           slo: dict[str, float], driver: str) -> Measurement:
    from ...records import LatencyStats
    from ..environment import fingerprint

    records = [r for run in runs for r in run.records]
    total = len(records)
    ok = [r for r in records if r.ok]
    errors: dict[str, int] = {}
    for r in records:
        if not r.ok:
            errors[r.error_kind] = errors.get(r.error_kind, 0) + 1
    wall_s = sum(run.wall_ns for run in runs) / 1e9
    out_tokens = sum(r.output_tokens for r in ok)
    # Input tokens from the server's usage; without it, counted from the prompt (estimated).
    in_tokens = [r.input_tokens if r.input_tokens is not None
                 else count_tokens(prompts.prompts[r.prompt_index].as_text()) for r in ok]
    in_estimated = any(r.input_tokens is None for r in ok)
    good = sum(meets_slo(r, slo) for r in records) if slo else None
    per_request_tps = [r.output_tokens / (r.e2e_ns / 1e9) for r in ok if r.e2e_ns > 0]
    lags = [r.sent_ns - (r.ready_ns or r.scheduled_ns) for r in records
            if r.scheduled_ns is not None]
    queue_waits = [(r.ready_ns or r.scheduled_ns) - r.scheduled_ns for r in records
                   if r.scheduled_ns is not None]
    samples = _series(runs)
    series_stats = _summaries(samples)
    score, item_values, predictions = _quality(records, prompts)
    quality_metric = prompts.scoring if prompts.has_references else ""
    extra: dict[str, Any] = {
        **target.describe(), "driver": driver, "scenario": scenario.label,
        "requests_total": total, "requests_ok": len(ok), "error_rate": (total - len(ok)) / total,
        "errors": errors, "output_tokens_total": out_tokens,
        "input_tokens_total": sum(in_tokens) if in_tokens else None,
        "tokens_estimated": any(r.tokens_estimated for r in ok),
        "input_tokens_estimated": in_estimated,
        "requests_per_s": len(ok) / wall_s, "output_tokens_per_s": out_tokens / wall_s,
        "input_tokens_per_s": (sum(in_tokens) / wall_s) if in_tokens else None,
        "per_request_tokens_per_s_median":
            float(np.median(per_request_tps)) if per_request_tps else None,
        "runs_output_tokens_per_s": [sum(r.output_tokens for r in run.records if r.ok)
                                     / (run.wall_ns / 1e9) for run in runs],
    }
    if slo:
        extra.update(slo=slo, goodput=good / total, goodput_requests_per_s=good / wall_s)
    extra["gil_switch_interval_s"] = min(sys.getswitchinterval(), _SWITCH_INTERVAL_S)
    if lags:
        extra["schedule_lag_ms"] = _percentiles_ms(lags)
        extra["queue_wait_ms"] = _percentiles_ms(queue_waits)
    together = _read_together(ok)
    extra["chunks_read_together"] = together
    warnings = [f"{n} request(s) failed: {kind}" for kind, n in sorted(errors.items())]
    if together > 0.01:
        warnings.append(f"{together:.1%} of token chunks were read together with the next one:"
                        " the client fell behind the stream, and their times are late")
    warnings += sorted({r.error for r in records if not r.ok})[:3]
    if extra["tokens_estimated"]:
        warnings.append("output tokens counted from the text (no usage from the server)")
    env = fingerprint()
    e2e = series_stats.get("e2e")
    result = BenchmarkResult(
        model_name=target.name, task_type="text-generation", dataset=prompts.name,
        metric=quality_metric or ("goodput" if slo else ""),
        score=score if quality_metric else (extra.get("goodput") if slo else None),
        status="ok" if ok else "error",
        error_message="" if ok else (records[0].error if records else "no requests"),
        runtime_ms=wall_s * 1000, latency=LatencyStats.from_dict(e2e) if e2e else None,
        n_items=total, n_runs=len(runs), params=scenario.params(), series_stats=series_stats,
        extra=extra, warnings=warnings, environment=env, env_hash=env.get("env_hash", ""),
        cell_key=f"serve|{target.name}|{prompts.name}|{scenario.label}")
    measurement = Measurement(result, item_values=item_values, item_predictions=predictions)
    for name, (values, run_index) in samples.items():
        if values:
            measurement.add_series(name, values, run_index)
    return measurement


def measure_scenario(target: Any, prompts: PromptSet, scenario: Scenario, *,
                     slo: dict[str, float] | None = None, driver: str = "thread",
                     realtime: bool = False) -> Measurement:
    """Warm up, run ``scenario.runs`` times, and return one :class:`Measurement`
    (``realtime``: see :func:`run_requests`; how requests were sent is in ``extra``)."""
    if driver not in DRIVERS:
        raise ConfigError(f"driver {driver!r} is not one of {', '.join(DRIVERS)}")
    n = scenario.requests
    order = prompts.order(scenario.warmup_requests + n * scenario.runs, scenario.seed)

    def batch(start: int, count: int) -> list[Prompt]:
        return [prompts.prompts[i] for i in order[start:start + count]]

    def all_runs(runner: Any) -> list[_Run]:
        warm = scenario.warmup_requests
        run_requests(target, batch(0, warm), scenario, driver=driver,
                     seed=scenario.seed + 7919, loop_runner=runner, realtime=realtime)
        runs = []
        for k in range(scenario.runs):
            first = warm + k * n
            records = run_requests(target, batch(first, n), scenario, driver=driver,
                                   seed=scenario.seed + k, loop_runner=runner,
                                   realtime=realtime, info=info)
            for j, r in enumerate(records):
                r.prompt_index = order[first + j]
            runs.append(_Run(records, _wall_ns(records)))
        return runs

    info: dict[str, Any] = {}
    if driver == "asyncio":
        runs = _with_event_loop(target, all_runs)
    else:
        runs = all_runs(None)
    measurement = _build(target, prompts, scenario, runs, slo or {}, driver)
    measurement.result.extra.update(info)
    return measurement


def _with_event_loop(target: Any, body: Any) -> Any:
    """Run ``body(runner)`` with one event loop for warm-up and runs (connections persist)."""
    loop = asyncio.new_event_loop()
    try:
        return body(loop.run_until_complete)
    finally:
        aclose = getattr(target, "aclose", None)
        if aclose is not None:
            loop.run_until_complete(aclose())
        loop.close()


def sweep(target: Any, prompts: PromptSet, scenarios: Sequence[Scenario], *,
          slo: dict[str, float] | None = None, driver: str = "thread") -> list[Measurement]:
    """One :class:`Measurement` per scenario, in order."""
    return [measure_scenario(target, prompts, s, slo=slo, driver=driver) for s in scenarios]


@dataclass
class Peak:
    """The highest concurrency or rate that met the SLOs, and every cell measured on the way."""

    axis: str
    value: float | None
    goodput_target: float
    measurements: list[Measurement] = field(default_factory=list)

    def passed(self, m: Measurement) -> bool:
        return (m.result.extra.get("goodput") or 0.0) >= self.goodput_target


def find_peak(target: Any, prompts: PromptSet, base: Scenario, slo: dict[str, float], *,
              axis: str = "concurrency", start: float = 1, limit: float = 1024,
              goodput_target: float = 0.95, refine: int = 3, driver: str = "thread") -> Peak:
    """Double ``axis`` (``concurrency`` or ``rate``) from ``start`` while goodput ≥ target,
    then bisect between the last pass and the first failure (``refine`` steps for rates)."""
    if not slo:
        raise ConfigError("find-peak needs SLOs", hint="e.g. --slo ttft_ms=500,tpot_ms=50")
    if axis not in ("concurrency", "rate"):
        raise ConfigError(f"find-peak axis {axis!r} is not 'concurrency' or 'rate'")
    peak = Peak(axis=axis, value=None, goodput_target=goodput_target)

    def cell(value: float) -> bool:
        if axis == "concurrency":
            c = int(value)
            scenario = replace(base, kind="concurrency", concurrency=c,
                               requests=max(base.requests, 2 * c))
        else:
            scenario = replace(base, kind="rate", rate=float(value))
        m = measure_scenario(target, prompts, scenario, slo=slo, driver=driver)
        m.result.extra["peak_search"] = axis
        peak.measurements.append(m)
        return peak.passed(m)

    low, high, value = None, None, start
    while value <= limit:
        if not cell(value):
            high = value
            break
        low, value = value, value * 2
    if low is None:
        return peak
    if high is not None:
        for _ in range(64 if axis == "concurrency" else refine):
            mid = (low + high) // 2 if axis == "concurrency" else (low + high) / 2
            if mid in (low, high):
                break
            low, high = (mid, high) if cell(mid) else (low, mid)
    peak.value = low
    return peak
