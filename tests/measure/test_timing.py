"""Warm-up, calibration (min calls AND min time), per-call samples, batch and whole-dataset."""

from __future__ import annotations

import gc
import sys
import time

import numpy as np
import pytest

from modelbench.errors import BenchmarkError, ConfigError
from modelbench.measure.timing import TimingConfig, scored_pass, split_batches, time_calls


def _counter():
    calls = []

    def fn(batch):
        calls.append(len(batch))
        return batch

    return fn, calls


def test_runs_until_min_calls_when_calls_are_fast():
    fn, calls = _counter()
    cfg = TimingConfig(min_calls=200, min_time=0.0, warmup_calls=3, warmup_time=0.0)
    samples = time_calls(fn, [[1, 2]], cfg)
    assert len(samples) == 200
    assert len(calls) == 203  # 3 warm-up calls are not timed
    assert samples.dtype == np.int64 and (samples > 0).all()


def test_runs_until_min_time_when_calls_are_few():
    def sleeper(batch):
        time.sleep(0.002)

    cfg = TimingConfig(min_calls=2, min_time=0.1, warmup_calls=0, warmup_time=0.0)
    start = time.perf_counter_ns()
    samples = time_calls(sleeper, [[1]], cfg)
    # min_time bounds the timing loop's wall time; the calls' own sum is a little less (the
    # loop's bookkeeping between calls), so it is not what min_time guarantees
    assert time.perf_counter_ns() - start >= 0.1e9
    assert samples.sum() <= time.perf_counter_ns() - start
    assert 10 <= len(samples) <= 60  # ~0.1 s / >=2 ms per call


def test_max_time_and_max_calls_cap_the_run():
    def sleeper(batch):
        time.sleep(0.01)

    capped = time_calls(sleeper, [[1]], TimingConfig(min_calls=10_000, min_time=0, max_time=0.1,
                                                      warmup_calls=0, warmup_time=0))
    assert 1 <= len(capped) <= 15
    fn, _ = _counter()
    assert len(time_calls(fn, [[1]], TimingConfig(min_calls=50, min_time=5, max_calls=30,
                                                   warmup_calls=0, warmup_time=0))) == 30


def test_each_sample_is_one_call():
    def sleeper(batch):
        time.sleep(0.003)

    samples = time_calls(sleeper, [[1]], TimingConfig(min_calls=10, min_time=0, warmup_calls=0,
                                                       warmup_time=0))
    assert np.median(samples) >= 3e6  # never less than the sleep
    assert np.median(samples) < 6e6  # and not several calls summed


def test_warmup_runs_for_its_time_too():
    fn, calls = _counter()
    time_calls(fn, [[1]], TimingConfig(min_calls=1, min_time=0, warmup_calls=1,
                                       warmup_time=0.02))
    assert len(calls) > 50  # a 20 ms warm-up of a ~µs call makes many calls


def test_batch_mode_cycles_through_every_batch():
    fn, calls = _counter()
    batches = split_batches(list(range(10)), 4)
    assert batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    time_calls(fn, batches, TimingConfig(min_calls=7, min_time=0, warmup_calls=0,
                                         warmup_time=0))
    assert calls == [4, 4, 2, 4, 4, 2, 4]
    assert split_batches(np.arange(5), None)[0].tolist() == [0, 1, 2, 3, 4]


def test_scored_pass_joins_outputs_and_checks_lengths():
    outputs, wall = scored_pass(lambda b: np.asarray(b) * 2, split_batches(np.arange(5), 2))
    assert outputs.tolist() == [0, 2, 4, 6, 8] and wall > 0
    outputs, _ = scored_pass(lambda b: [str(x) for x in b], split_batches([1, 2, 3], 2))
    assert outputs == ["1", "2", "3"]
    with pytest.raises(BenchmarkError, match="batch 1: the model returned 0 outputs for 1"):
        scored_pass(lambda b: b if len(b) == 2 else [], split_batches([1, 2, 3], 2))
    with pytest.raises(BenchmarkError, match="returned int"):
        scored_pass(lambda b: 42, [[1, 2]])


def test_gc_can_be_switched_off_while_timing_and_comes_back():
    seen = []

    def fn(batch):
        seen.append(gc.isenabled())

    assert gc.isenabled()
    time_calls(fn, [[1]], TimingConfig(min_calls=5, min_time=0, warmup_calls=0, warmup_time=0,
                                       disable_gc=True))
    assert seen and not any(seen) and gc.isenabled()


@pytest.mark.parametrize("bad", [{"min_calls": -1}, {"min_time": -0.5}, {"batch_size": 0},
                                 {"max_calls": 0}, {"min_time": float("nan")},
                                 {"min_calls": 2.5}])
def test_bad_timing_values_are_config_errors(bad):
    with pytest.raises(ConfigError):
        TimingConfig(**bad)


def test_replace_refuses_unknown_options():
    assert TimingConfig().replace(min_time=0.3).min_time == 0.3
    with pytest.raises(ConfigError, match="min_tme"):
        TimingConfig().replace(min_tme=0.3)


def test_a_sync_hook_is_inside_each_timed_call():
    waits = []

    def sync():  # stands in for torch.cuda.synchronize: queued work finishes here
        time.sleep(0.002)
        waits.append(1)

    samples = time_calls(lambda b: b, [[1], [2]], TimingConfig(min_calls=5, min_time=0,
                                                               warmup_calls=0, warmup_time=0),
                         sync=sync)
    assert len(waits) == len(samples) >= 5
    assert np.min(samples) >= 2e6  # the wait is part of every sample
    _, wall = scored_pass(lambda b: b, [[1]], sync=sync)
    assert wall >= 2e6


def test_no_gpu_sync_without_torch(monkeypatch):
    from modelbench.measure.timing import cuda_synchronizer

    monkeypatch.delitem(sys.modules, "torch", raising=False)  # whatever other tests imported
    assert cuda_synchronizer() is None
    assert cuda_synchronizer(TimingConfig(cuda_sync=True)) is None
    assert "torch" not in sys.modules  # never imported by the timer


def test_gpu_sync_follows_the_imported_torch(monkeypatch):
    """A stand-in for an imported torch (this machine has no GPU): sync when CUDA is in use or
    asked for, never when switched off, unavailable or broken."""
    from types import SimpleNamespace

    from modelbench.measure.timing import cuda_synchronizer

    def synchronize() -> None:
        pass

    cuda = SimpleNamespace(is_available=lambda: True, is_initialized=lambda: False,
                           synchronize=synchronize)
    monkeypatch.setitem(sys.modules, "torch", SimpleNamespace(cuda=cuda))
    assert cuda_synchronizer() is None  # CUDA present but unused by the model
    assert cuda_synchronizer(TimingConfig(cuda_sync=True)) is synchronize
    cuda.is_initialized = lambda: True
    assert cuda_synchronizer() is synchronize
    assert cuda_synchronizer(TimingConfig(cuda_sync=False)) is None
    for available in (lambda: False, lambda: 1 / 0):
        cuda.is_available = available
        assert cuda_synchronizer(TimingConfig(cuda_sync=True)) is None
