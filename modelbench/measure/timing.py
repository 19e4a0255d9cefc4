"""Warm-up, calibrated repetition and one ``perf_counter_ns`` timing per call; when to stop.

A *call* is one invocation of the model on one batch (batch mode) or on the whole dataset
(``batch_size=None``). Within one *run*, timing goes on until both ``min_calls`` calls and
``min_time`` seconds are reached (capped by ``max_calls``/``max_time``), cycling through the
*full* batches only: a last partial batch (540 items in batches of 512 leave 28) is a call of
another size, so it never enters the per-call distribution (:func:`full_batches`).
A model is measured in ``runs`` independent runs; with ``precision`` set, more runs follow
until the between-run confidence interval of the median is that narrow, capped by
``max_runs`` and ``max_time`` (:func:`more_runs_wanted`).

The timed loop is kept bare on purpose: two clock reads around the call and a list append
outside the timed region, so its own cost stays near the timer's. The clock is injectable
(``clock=``, an ``int``-nanosecond function) so stopping rules are tested exactly.

Example:
    >>> cfg = TimingConfig(min_calls=5, min_time=0.001, warmup_calls=1, warmup_time=0)
    >>> samples = time_calls(lambda xs: [x * 2 for x in xs], [[1, 2, 3]], cfg)
    >>> len(samples) >= 5, samples.dtype.name
    (True, 'int64')
"""

from __future__ import annotations

import gc
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from ..errors import BenchmarkError, ConfigError
from .hostcheck import HOST_EXTENSION, HostWindows

__all__ = ["TimingConfig", "TIMING_KEYS", "split_batches", "full_batches", "time_calls",
           "scored_pass", "count_outputs", "cuda_synchronizer", "more_runs_wanted", "Clock"]

#: A clock returning integer nanoseconds (``time.perf_counter_ns`` unless a test injects one).
Clock = Callable[[], int]


@dataclass
class TimingConfig:
    """How long and how often to time a model.

    ``batch_size=None`` times whole-dataset calls; an int splits the inputs into batches of
    that size. Warm-up runs until both ``warmup_calls`` and ``warmup_time`` are reached.
    ``disable_gc`` switches the garbage collector off while timing (as ``timeit`` does).
    ``cuda_sync``: wait for queued GPU work inside each timed call (``torch.cuda.synchronize``);
    ``None`` (default) does so when the caller's torch has CUDA initialised, since GPU kernels
    run asynchronously and a call would otherwise be timed before its work is done.

    ``min_calls``/``min_time``/``max_calls`` apply to each run; ``runs`` is how many
    independent runs are made (the unit of evidence of every CI and verdict). ``precision``
    (e.g. ``0.01``): after ``runs`` runs, add runs until the relative half-width of the
    between-run CI of the median is at most this, or ``max_runs`` runs, or ``max_time``
    seconds of warm-up and timed calls in all.

    ``host_check`` (default on): time the calibration's reference loop briefly before every
    ~2 ms window of calls (~4 % of the time); calls timed while the host itself was slow are
    left out of the statistics, a run goes on (up to 5x ``min_time``) until enough of its
    calls were steady, and one that has too few is measured again (at most ``runs`` more)
    (:mod:`.hostcheck`).
    ``MODELBENCH_HOST_CHECK=0`` turns it off by default (the test suite does: a loaded test
    machine would add runs that tests count).
    """

    min_calls: int = 10
    min_time: float = 0.2
    warmup_calls: int = 1
    warmup_time: float = 0.05
    # Every call's latency is stored; 100k samples pin the median and p99 far below noise
    # while keeping a fast model's samples at ~1 MB instead of tens of MB per result.
    max_calls: int = 100_000
    max_time: float = 60.0
    batch_size: int | None = None
    disable_gc: bool = False
    cuda_sync: bool | None = None
    runs: int = 5
    max_runs: int = 30
    precision: float | None = None
    host_check: bool = field(default_factory=lambda: os.environ.get(
        "MODELBENCH_HOST_CHECK", "1") != "0")

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> TimingConfig:
        """Raise :class:`ConfigError` for a value that cannot work."""
        for name in ("min_calls", "warmup_calls", "max_calls", "runs", "max_runs"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"timing {name} must be a whole number >= 0, got {value!r}")
        for name in ("min_time", "warmup_time", "max_time"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0 \
                    or not math.isfinite(value):
                raise ConfigError(f"timing {name} must be seconds >= 0, got {value!r}")
        for name in ("disable_gc", "cuda_sync", "host_check"):
            if getattr(self, name) not in (True, False, None) or \
                    (name != "cuda_sync" and getattr(self, name) is None):
                raise ConfigError(f"timing {name} must be true or false, got "
                                  f"{getattr(self, name)!r}")
        if self.max_calls < 1:
            raise ConfigError("timing max_calls must be at least 1")
        if self.runs < 1 or self.max_runs < self.runs:
            raise ConfigError(f"timing runs must be at least 1 and at most max_runs "
                              f"({self.max_runs}), got {self.runs}",
                              hint="runs = 5 is the default; raise max_runs for more")
        if self.precision is not None and (
                not isinstance(self.precision, (int, float)) or isinstance(self.precision, bool)
                or not 0 < self.precision < 1):
            raise ConfigError(f"timing precision must be a fraction between 0 and 1 (0.01 = "
                              f"1 %), got {self.precision!r}")
        if self.batch_size is not None and (not isinstance(self.batch_size, int)
                                            or isinstance(self.batch_size, bool)
                                            or self.batch_size < 1):
            raise ConfigError(f"batch_size must be a whole number >= 1, got {self.batch_size!r}",
                              hint="or leave it out to time whole-dataset calls")
        return self

    def replace(self, **changes: Any) -> TimingConfig:
        """A copy with some fields changed; ``None`` values are ignored (except batch_size)."""
        names = {f.name for f in fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise ConfigError(f"unknown timing option(s): {', '.join(sorted(unknown))}",
                              hint=f"known: {', '.join(sorted(names))}")
        data = asdict(self)
        data.update({k: v for k, v in changes.items()
                     if v is not None or k in ("batch_size", "precision")})
        return TimingConfig(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

#: The options a ``[timing]`` table or ``ModelBenchmark(**options)`` may set, in field order.
TIMING_KEYS = tuple(f.name for f in fields(TimingConfig))


def split_batches(inputs: Any, batch_size: int | None) -> list[Any]:
    """The inputs as a list of call arguments: ``[inputs]`` or slices of ``batch_size``.

    >>> split_batches([1, 2, 3, 4, 5], 2)
    [[1, 2], [3, 4], [5]]
    """
    if batch_size is None:
        return [inputs]
    n = len(inputs)
    return [inputs[i:i + batch_size] for i in range(0, n, batch_size)]


def full_batches(batches: Sequence[Any], batch_size: int | None) -> tuple[list[Any], Any]:
    """The batches that hold ``batch_size`` items, and the last partial one (or ``None``).

    A dataset smaller than one batch is a single call of every item: it is returned as the
    only "full" batch (the caller records the real call size).

    >>> full_batches([[1, 2], [3, 4], [5]], 2)
    ([[1, 2], [3, 4]], [5])
    >>> full_batches([[1, 2, 3]], 8)
    ([[1, 2, 3]], None)
    """
    if batch_size is None or len(batches) == 1 or len(batches[-1]) == batch_size:
        return list(batches), None
    return list(batches[:-1]), batches[-1]


def count_outputs(outputs: Any) -> int:
    """How many outputs a model returned; :class:`BenchmarkError` if it is not a sequence."""
    try:
        return len(outputs)
    except TypeError:
        raise BenchmarkError(
            f"the model returned {type(outputs).__name__} ({outputs!r:.60}), not a sequence",
            hint="return one output per input (a list or an array)") from None


def _join(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    if all(isinstance(p, np.ndarray) for p in parts):
        return np.concatenate(parts)
    joined: list[Any] = []
    for part in parts:
        joined.extend(part)
    return joined


def cuda_synchronizer(config: TimingConfig | None = None) -> Callable[[], None] | None:
    """``torch.cuda.synchronize`` when timings must wait for the GPU, else ``None``.

    torch is never imported here: only a torch the caller already imported counts.
    """
    wanted = None if config is None else config.cuda_sync
    if wanted is False:
        return None
    torch = sys.modules.get("torch")
    try:
        if torch is not None and torch.cuda.is_available() and (
                wanted or torch.cuda.is_initialized()):
            return torch.cuda.synchronize
    except Exception:  # a broken CUDA install must not break CPU timing
        return None
    return None


def scored_pass(fn: Callable[[Any], Any], batches: Sequence[Any],
                sync: Callable[[], None] | None = None, *, clock: Clock | None = None,
                call_times: list[int] | None = None) -> tuple[Any, int]:
    """Run every batch once; returns the joined outputs and the pass's wall time (ns).

    ``call_times``, when given, receives each call's time (ns) in batch order (the first
    one is the run's cold first call). Raises :class:`BenchmarkError` when a call returns
    a different number of outputs than it was given inputs.
    """
    pc = clock or time.perf_counter_ns
    parts = []
    start = pc()
    for batch in batches:
        t0 = pc()
        parts.append(fn(batch))
        if sync is not None:
            sync()
        if call_times is not None:
            call_times.append(pc() - t0)
    wall = pc() - start
    for index, (batch, out) in enumerate(zip(batches, parts, strict=True)):
        got, want = count_outputs(out), len(batch)
        if got != want:
            where = f"batch {index}: " if len(batches) > 1 else ""
            raise BenchmarkError(f"{where}the model returned {got} outputs for {want} inputs",
                                 hint="return exactly one output per input")
    return _join(parts), wall


def _run_chunk(fn: Callable[[Any], Any], args: Sequence[Any], first: int, count: int,
               out: list[int], sync: Callable[[], None] | None = None,
               pc: Clock = time.perf_counter_ns) -> None:
    """Time ``count`` calls, cycling through ``args`` from index ``first``."""
    append = out.append
    n = len(args)
    if sync is not None:
        for i in range(first, first + count):
            arg = args[i % n]
            t0 = pc()
            fn(arg)
            sync()
            t1 = pc()
            append(t1 - t0)
        return
    if n == 1:
        arg = args[0]
        for _ in range(count):
            t0 = pc()
            fn(arg)
            t1 = pc()
            append(t1 - t0)
        return
    for i in range(first, first + count):
        arg = args[i % n]
        t0 = pc()
        fn(arg)
        t1 = pc()
        append(t1 - t0)


def _warm_up(fn: Callable[[Any], Any], args: Sequence[Any], config: TimingConfig,
             pc: Clock = time.perf_counter_ns) -> None:
    deadline = pc() + int(min(config.warmup_time, config.max_time) * 1e9)
    done = 0
    while done < config.warmup_calls or pc() < deadline:
        fn(args[done % len(args)])
        done += 1
        if done >= config.max_calls:
            break


def time_calls(fn: Callable[[Any], Any], args: Sequence[Any], config: TimingConfig,
               *, skip_warmup: bool = False,
               sync: Callable[[], None] | None = None,
               clock: Clock | None = None, host: HostWindows | None = None) -> np.ndarray:
    """Per-call latencies (int64 ns) after warm-up, until ``min_calls`` and ``min_time``.

    ``sync`` is called inside each timed call, after the model (default: see
    :func:`cuda_synchronizer`). ``clock`` replaces ``time.perf_counter_ns`` (tests).
    ``host``: probe the host between windows of calls (:mod:`.hostcheck`); the calls then
    go in windows of whole passes over ``args``, and timing goes on (up to
    ``HOST_EXTENSION`` x ``min_time``, within ``max_time``) while too few calls ran in
    steady windows.
    """
    pc = clock or time.perf_counter_ns
    sync = sync if sync is not None else cuda_synchronizer(config)
    if not args:
        raise BenchmarkError("nothing to time: no inputs", hint="give at least one input")
    if not skip_warmup:
        _warm_up(fn, args, config, pc)
    samples: list[int] = []
    gc_was_on = gc.isenabled()
    if config.disable_gc:
        gc.disable()
    try:
        _calibrated(fn, args, config, samples, sync, pc, host)
    finally:
        if host is not None:
            host.mark(len(samples))  # the probe after the last window
        if config.disable_gc and gc_was_on:
            gc.enable()
    return np.asarray(samples, dtype=np.int64)


def _calibrated(fn: Callable[[Any], Any], args: Sequence[Any], config: TimingConfig,
                samples: list[int], sync: Callable[[], None] | None,
                pc: Clock = time.perf_counter_ns, host: HostWindows | None = None) -> None:
    """Chunks of calls, each sized from the time per call so far (<= ~0.2 s per chunk;
    with ``host``, windows of <= ~2 ms, each after a host probe)."""
    min_ns = int(config.min_time * 1e9)
    max_ns = int(config.max_time * 1e9)
    extended_ns = min(max_ns, HOST_EXTENSION * min_ns)
    begin = pc()
    chunk = 1 if host is None else len(args)  # the first call(s) tell how many fit
    while True:
        if host is not None:
            host.mark(len(samples))
        _run_chunk(fn, args, len(samples), chunk, samples, sync, pc)
        elapsed = pc() - begin
        done = len(samples)
        if done >= config.max_calls or elapsed >= max_ns:
            return
        if done >= config.min_calls and elapsed >= min_ns and (
                host is None or elapsed >= extended_ns or host.enough(done)):
            return
        per_call = max(elapsed / done, 1.0)
        if host is not None:  # a whole window each time, ~2 ms
            chunk = min(host.window_calls(config.max_calls, per_call, len(args)),
                        config.max_calls - done)
            continue
        wanted_by_time = math.ceil((min_ns - elapsed) / per_call) if elapsed < min_ns else 0
        wanted = max(config.min_calls - done, wanted_by_time, 1)
        left_by_time = max(1, math.ceil((max_ns - elapsed) / per_call))
        chunk = int(min(wanted, max(1, 200_000_000 // per_call), config.max_calls - done,
                        left_by_time))


def more_runs_wanted(config: TimingConfig, runs_done: int, rel_half_width: float | None,
                     timed_s: float) -> bool:
    """Whether a model needs another run: fewer than ``runs`` so far, or (with ``precision``)
    a between-run CI still wider than asked, while ``max_runs`` and ``max_time`` allow.

    ``rel_half_width`` is the CI half-width of the median over the median (``None`` when it
    cannot be computed yet); ``timed_s`` the seconds of timed calls over all runs so far.

    >>> cfg = TimingConfig(runs=3, precision=0.01, max_runs=10, max_time=5)
    >>> more_runs_wanted(cfg, 2, 0.001, 0.1), more_runs_wanted(cfg, 3, 0.02, 0.1)
    (True, True)
    >>> more_runs_wanted(cfg, 3, 0.009, 0.1), more_runs_wanted(cfg, 3, 0.02, 5.0)
    (False, False)
    """
    if runs_done < config.runs:
        return True
    if config.precision is None or runs_done >= config.max_runs or timed_s >= config.max_time:
        return False
    return rel_half_width is None or rel_half_width > config.precision
