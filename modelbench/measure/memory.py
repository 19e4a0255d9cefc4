"""Memory during a run: peak RSS (sampled from a thread), Python peak (tracemalloc, opt-in),
GPU peak (when torch with CUDA is already imported).

The RSS sampler reads ``/proc/self/statm`` every few milliseconds. On Linux the kernel's
peak mark (``VmHWM``) is reset when a window opens and read when it closes, so a peak too
short for the sampler (which needs the GIL an allocating call holds) is still exact;
elsewhere short peaks are recovered from ``getrusage``'s lifetime maximum when it grew.

Example:
    >>> with MemoryProbe() as probe:
    ...     block = bytearray(50 * 1024 * 1024)
    >>> probe.report()["memory_usage_mb"] > 40
    True
"""

from __future__ import annotations

import os
import sys
import threading
import tracemalloc
from typing import Any

__all__ = ["current_rss_bytes", "lifetime_peak_rss_bytes", "reset_peak_rss",
           "kernel_peak_rss_bytes", "RSSSampler", "MemoryProbe"]

MB = 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def current_rss_bytes() -> int | None:
    """Resident set size of this process now, or ``None`` where /proc is missing."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return None


_peak_before_reset = 0  # the lifetime peak when the kernel's high-water mark was last reset


def lifetime_peak_rss_bytes() -> int | None:
    """``getrusage`` maximum RSS of this process so far (kB on Linux, bytes on macOS),
    including what it was before :func:`reset_peak_rss` lowered the kernel's mark."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = int(peak) if sys.platform == "darwin" else int(peak) * 1024
    return max(peak, _peak_before_reset)


def reset_peak_rss() -> bool:
    """Lower the kernel's peak-RSS mark to the current RSS (Linux: ``5`` to clear_refs).

    A window's peak is then read exactly from ``VmHWM`` (:func:`kernel_peak_rss_bytes`), however
    short it was: a sampling thread needs the GIL, which an allocating call holds.
    False where the kernel does not allow it.

    >>> reset_peak_rss() in (True, False)
    True
    """
    global _peak_before_reset
    before = lifetime_peak_rss_bytes() or 0
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    _peak_before_reset = max(_peak_before_reset, before)
    return True


def kernel_peak_rss_bytes() -> int | None:
    """``VmHWM`` of /proc/self/status: the peak RSS since start or the last reset."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        return None
    return None


class RSSSampler:
    """Peak RSS over a ``with`` block, read from /proc every ``interval`` seconds."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.baseline: int | None = None
        self.peak: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._fd: int | None = None
        self._lifetime_before: int | None = None
        self._exact = False

    def _read(self) -> int | None:
        if self._fd is None:
            return current_rss_bytes()
        try:
            return int(os.pread(self._fd, 128, 0).split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            return None

    def _note(self, value: int | None) -> None:
        if value is not None and (self.peak is None or value > self.peak):
            self.peak = value

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self._note(self._read())

    def __enter__(self) -> RSSSampler:
        try:
            self._fd = os.open("/proc/self/statm", os.O_RDONLY)
        except OSError:
            self._fd = None
        self._lifetime_before = lifetime_peak_rss_bytes()
        self._exact = reset_peak_rss()
        self.baseline = self._read()
        self._note(self.baseline)
        if self._fd is not None:
            self._thread = threading.Thread(target=self._sample, name="modelbench-rss",
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._note(self._read())
        if self._exact:  # the kernel's mark was reset on entry: it is this block's peak
            self._note(kernel_peak_rss_bytes())
        after = lifetime_peak_rss_bytes()
        if after is not None and self._lifetime_before is not None \
                and after > self._lifetime_before:
            self._note(after)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _cuda_torch() -> Any | None:
    """torch, when the caller already imported it and CUDA is usable (we never import it)."""
    torch = sys.modules.get("torch")
    try:
        if torch is not None and torch.cuda.is_available():
            return torch
    except Exception:  # a broken CUDA set-up must not break a CPU benchmark
        return None
    return None


class MemoryProbe:
    """Every memory figure over a ``with`` block: :meth:`report` gives them in MB.

    ``trace_python=True`` turns on tracemalloc for the block (it slows Python code, so it is
    opt-in and never active while latencies are timed).
    """

    def __init__(self, *, trace_python: bool = False, interval: float = 0.005) -> None:
        self.trace_python = trace_python
        self.rss = RSSSampler(interval)
        self.python_peak: int | None = None
        self.gpu_peak: int | None = None
        self._started_tracing = False
        self._torch: Any | None = None

    def __enter__(self) -> MemoryProbe:
        if self.trace_python:
            self._started_tracing = not tracemalloc.is_tracing()
            if self._started_tracing:
                tracemalloc.start()
            tracemalloc.reset_peak()
        self._torch = _cuda_torch()
        if self._torch is not None:
            self._torch.cuda.reset_peak_memory_stats()
        self.rss.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.rss.__exit__(*exc)
        if self._torch is not None:
            self._torch.cuda.synchronize()
            self.gpu_peak = int(self._torch.cuda.max_memory_allocated())
        if self.trace_python:
            self.python_peak = tracemalloc.get_traced_memory()[1]
            if self._started_tracing:
                tracemalloc.stop()

    def report(self) -> dict[str, float | None]:
        """``memory_usage_mb`` (peak RSS), ``rss_baseline_mb``, ``rss_delta_mb``,
        ``python_peak_mb`` and ``gpu_peak_mb`` (``None`` when not measured)."""
        def mb(value: int | None) -> float | None:
            return None if value is None else round(value / MB, 3)

        peak, base = self.rss.peak, self.rss.baseline
        return {
            "memory_usage_mb": mb(peak),
            "rss_baseline_mb": mb(base),
            "rss_delta_mb": mb(peak - base) if peak is not None and base is not None else None,
            "python_peak_mb": mb(self.python_peak),
            "gpu_peak_mb": mb(self.gpu_peak),
        }
