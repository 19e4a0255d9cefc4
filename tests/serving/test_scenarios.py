"""Arrival processes and scenario validation (seeded, no clock)."""

from __future__ import annotations

import numpy as np
import pytest

from modelbench.errors import ConfigError
from modelbench.measure.serving import Scenario, arrival_offsets_ns


def gaps_s(arrival: str, burstiness: float = 1.0, seed: int = 0) -> np.ndarray:
    return np.diff(arrival_offsets_ns(20_001, rate=50.0, arrival=arrival,
                                      burstiness=burstiness, seed=seed)) / 1e9


def test_arrivals_have_the_asked_rate_and_burstiness():
    assert np.allclose(gaps_s("constant"), 0.02)
    poisson = gaps_s("poisson")
    assert poisson.mean() == pytest.approx(0.02, rel=0.03)
    assert poisson.std() / poisson.mean() == pytest.approx(1.0, rel=0.05)  # exponential
    bursty = gaps_s("gamma", burstiness=0.25)
    assert bursty.mean() == pytest.approx(0.02, rel=0.05)
    assert bursty.std() / bursty.mean() == pytest.approx(2.0, rel=0.08)  # CV = 1/sqrt(shape)


def test_arrivals_are_seeded():
    assert np.array_equal(gaps_s("poisson", seed=3), gaps_s("poisson", seed=3))
    assert not np.array_equal(gaps_s("poisson", seed=3), gaps_s("poisson", seed=4))


def test_scenarios_reject_bad_values_with_named_errors():
    with pytest.raises(ConfigError, match="needs rate"):
        Scenario(kind="rate")
    with pytest.raises(ConfigError, match="arrival"):
        Scenario(kind="rate", rate=1, arrival="uniform")
    with pytest.raises(ConfigError, match="kind"):
        Scenario(kind="burst")
    with pytest.raises(ConfigError, match=">= 1"):
        Scenario(concurrency=0)


def test_warm_up_is_as_wide_as_the_load():
    assert Scenario(kind="concurrency", concurrency=64).warmup_requests == 64
    assert Scenario(kind="rate", rate=10, max_concurrency=4).warmup_requests == 4
    assert Scenario(kind="offline", requests=100).warmup_requests == 100
    assert Scenario(kind="single-stream").warmup_requests == 2


def test_the_sender_process_runs_real_time_only_when_asked_and_granted():
    import os

    from modelbench.measure.serving.sender import Sender

    for realtime in (False, True):
        with Sender(realtime=realtime) as sender:
            policy = os.sched_getscheduler(sender._proc.pid)  # the kernel's word, not ours
            assert sender.realtime == (policy == os.SCHED_FIFO)
            assert sender.realtime <= realtime
            assert sender.finish() == {}


def test_a_send_the_sender_did_not_report_is_an_error_never_a_lag_of_zero():
    from modelbench.measure.serving.scenarios import _sent_times

    class Out:
        def sent(self, ns: int) -> None:
            self.ns = ns

    done, lost = Out(), Out()
    with pytest.raises(RuntimeError, match="no send time for 1 request"):
        _sent_times({0: done, 1: lost}, {0: (123, 0)})
    _sent_times({0: done}, {0: (123, 0)})
    assert done.ns == 123
