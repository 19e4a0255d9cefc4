"""Peak RSS (sampled + getrusage), tracemalloc peak (opt-in), GPU peak only with torch+CUDA."""

from __future__ import annotations

import mmap
import sys
import time
from types import SimpleNamespace

import numpy as np
import pytest

from modelbench.measure.memory import (
    MemoryProbe,
    RSSSampler,
    current_rss_bytes,
    lifetime_peak_rss_bytes,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

MB = 1024 * 1024


def _vm_rss() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_current_rss_agrees_with_proc_status():
    assert abs(current_rss_bytes() - _vm_rss()) < 8 * MB


def _resident_block(nbytes: int) -> mmap.mmap:
    """Fresh anonymous pages, each written once: resident whatever allocator the process
    uses (a malloc that keeps freed memory would hand back pages that are already resident,
    and RSS would not move)."""
    block = mmap.mmap(-1, nbytes)
    pages = np.frombuffer(block, dtype=np.uint8)
    pages[::mmap.PAGESIZE] = 1
    del pages  # a live view would keep the mapping from closing
    return block


def _rose_or_skip(before: int, now: int, wanted: int) -> None:
    # the precondition of both tests below, read from /proc/self/status independently of the
    # sampler: if this machine did not make the pages resident, there is no peak to find
    if now - before < wanted:
        pytest.skip(f"VmRSS rose {(now - before) / MB:.1f} MB for a {wanted / MB:.0f} MB "
                    "written mapping: this machine does not make fresh pages resident")


def test_peak_rss_sees_memory_held_during_the_block():
    # lift the lifetime peak above the block first, so that only the sampling thread can
    # find the block (getrusage's maximum will not move)
    _resident_block(200 * MB).close()
    before = _vm_rss()
    with MemoryProbe() as probe:
        block = _resident_block(120 * MB)
        held = _vm_rss()
        time.sleep(0.1)  # twenty sampling intervals
        block.close()  # gone before the probe's last read: the thread must have seen it
    _rose_or_skip(before, held, 100 * MB)
    report = probe.report()
    assert report["rss_delta_mb"] >= 100
    assert report["memory_usage_mb"] >= held / MB - 2  # the sampler saw what /proc saw


def test_peak_rss_sees_a_short_lived_allocation():
    # getrusage keeps the process's lifetime peak: rise 150 MB above it, whatever earlier
    # tests in this process allocated, or the short allocation could not show
    lifetime = lifetime_peak_rss_bytes()
    headroom = max(0, lifetime - current_rss_bytes())
    with RSSSampler(interval=0.5) as sampler:  # far slower than the allocation below
        block = _resident_block(headroom + 150 * MB)
        top = _vm_rss()
        block.close()
    _rose_or_skip(lifetime, top, 120 * MB)
    assert sampler.peak - sampler.baseline >= 120 * MB  # found via getrusage's maximum
    assert sampler.peak >= top - 2 * MB


def test_a_short_peak_below_the_lifetime_peak_is_seen_and_the_lifetime_peak_kept():
    # the case sampling and getrusage both miss: a brief 80 MB, under an earlier 200 MB peak
    big = _resident_block(200 * MB)
    high = _vm_rss()
    big.close()
    with RSSSampler(interval=0.5) as sampler:  # far slower than the allocation below
        block = _resident_block(80 * MB)
        top = _vm_rss()
        block.close()
    _rose_or_skip(sampler.baseline, top, 70 * MB)
    if not sampler._exact:
        pytest.skip("this kernel does not let a process reset its peak RSS (clear_refs)")
    assert sampler.peak - sampler.baseline >= 70 * MB
    assert lifetime_peak_rss_bytes() >= high - 2 * MB  # the reset lowered no lifetime figure


def test_python_peak_only_when_asked():
    with MemoryProbe(trace_python=True) as traced:
        data = [str(i) for i in range(300_000)]
    assert traced.report()["python_peak_mb"] >= 15
    del data
    with MemoryProbe() as untraced:
        assert len([str(i) for i in range(1000)]) == 1000
    assert untraced.report()["python_peak_mb"] is None


def test_no_gpu_figure_without_torch(monkeypatch):
    monkeypatch.delitem(sys.modules, "torch", raising=False)  # whatever other tests imported
    with MemoryProbe() as probe:
        pass
    assert probe.report()["gpu_peak_mb"] is None
    assert "torch" not in sys.modules  # the probe never imports it


def test_gpu_figure_comes_from_torch_cuda_when_the_caller_imported_it(monkeypatch):
    """A stand-in for an imported torch with CUDA (this machine has no GPU): the probe resets
    the peak on entry, synchronises and reads it on exit; broken or absent CUDA gives None."""
    calls = []
    cuda = SimpleNamespace(is_available=lambda: True,
                           reset_peak_memory_stats=lambda: calls.append("reset"),
                           synchronize=lambda: calls.append("sync"),
                           max_memory_allocated=lambda: 64 * MB)
    monkeypatch.setitem(sys.modules, "torch", SimpleNamespace(cuda=cuda))
    with MemoryProbe() as probe:
        calls.append("work")
    assert calls == ["reset", "work", "sync"]
    assert probe.report()["gpu_peak_mb"] == 64.0
    for available in (lambda: False, lambda: 1 / 0):  # no CUDA; a broken CUDA install
        cuda.is_available = available
        with MemoryProbe() as probe:
            pass
        assert probe.report()["gpu_peak_mb"] is None


def test_gpu_figure_on_a_real_gpu():
    torch = sys.modules.get("torch") or pytest.importorskip(
        "torch", reason="needs torch with CUDA (runs on a GPU machine)")
    if not torch.cuda.is_available():
        pytest.skip("needs torch with CUDA (runs on a GPU machine)")
    with MemoryProbe() as probe:
        block = torch.empty(32 * MB, dtype=torch.uint8, device="cuda")
    del block
    assert probe.report()["gpu_peak_mb"] >= 32
