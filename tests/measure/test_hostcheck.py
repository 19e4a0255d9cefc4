"""The host check: runs during which the host itself was slow are measured again and kept
apart from the statistics, by the reference probe only (never the model's own latencies)."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from modelbench.errors import ConfigError
from modelbench.measure import TimingConfig, hostcheck
from modelbench.measure.runs import RunRecord, RunSpec, measure_run
from modelbench.measure.schedule import Cell, _State, measure_cells
from modelbench.measure.summary import CellInfo, summarize_runs


def _run(index: int, host_ns: int | None, latency: int = 1000) -> RunRecord:
    return RunRecord(index, latencies=np.full(60, latency, dtype=np.int64), items_per_call=1,
                     host_ns=host_ns)


def _state(runs: list[RunRecord], n_runs: int = 3) -> _State:
    timing = TimingConfig(runs=n_runs, min_time=0, warmup_time=0)
    cell = Cell(CellInfo({"model_name": "m"}, ["accuracy"], timing=timing),
                RunSpec(timing=timing), function=list, isolate=False)
    state = _State(cell, runs=runs, node="n1")
    for record in runs:
        state.host_floor.see("n1", record.host_ns)
    return state


def test_a_run_with_a_slow_probe_is_disturbed_and_replaced():
    state = _state([_run(0, 14_500), _run(1, 21_400), _run(2, 14_800)])
    assert state.disturbed() == [1]
    assert state.needs_more()  # two steady runs of three
    state.runs.append(_run(3, 14_600))
    state.host_floor.see("n1", 14_600)
    assert not state.needs_more()


def test_replacements_stop_after_as_many_runs_again():
    runs = [_run(0, 14_500)] + [_run(i, 21_000) for i in range(1, 6)]
    assert not _state(runs).needs_more()  # 6 runs = 2 x 3: enough tries
    assert _state(runs[:5]).needs_more()


def test_the_rule_looks_at_the_probe_not_the_models_latency():
    # a run 10x slower whose probe was fine is the model's own: it stays in
    runs = [_run(0, 14_500), _run(1, 14_600, latency=10_000), _run(2, 14_400)]
    assert _state(runs).disturbed() == []


def test_disturbed_calls_are_kept_as_their_own_series_out_of_the_statistics():
    runs = [_run(0, 14_500), _run(1, 21_400, latency=1500), _run(2, 14_800),
            _run(3, 14_600)]
    info = CellInfo({"model_name": "m"}, ["accuracy"])
    (measurement,) = summarize_runs(info, runs, {"env_hash": "e"}, disturbed=[1])
    result = measurement.result
    calls, index = measurement.samples["call"]
    assert sorted(set(index.tolist())) == [0, 2, 3] and set(calls.tolist()) == {1000}
    aside, aside_index = measurement.samples["call_disturbed"]
    assert set(aside.tolist()) == {1500} and set(aside_index.tolist()) == {1}
    assert result.n_runs == 3 and result.latency.median_ms == pytest.approx(0.001)
    assert result.extra["disturbed_runs"] == {"1": 21_400}
    assert result.extra["host_probe_ns"] == 14_500
    assert any("measured again" in w for w in result.warnings)


def test_with_one_steady_run_only_it_is_compared_and_a_warning_says_too_few():
    # the same rule for every model: none is judged on its slow runs while another is not
    runs = [_run(0, 14_500), _run(1, 21_400, latency=1500), _run(2, 21_800, latency=1500)]
    (measurement,) = summarize_runs(CellInfo({"model_name": "m"}, ["accuracy"]), runs,
                                    {"env_hash": "e"}, disturbed=[1, 2])
    assert set(measurement.samples["call_disturbed"][1].tolist()) == {1, 2}
    assert measurement.result.n_runs == 1
    assert any("too few for a verdict" in w for w in measurement.result.warnings)


def test_when_every_run_was_disturbed_all_are_compared_and_a_warning_says_so():
    runs = [_run(0, 21_400), _run(1, 21_800)]
    (measurement,) = summarize_runs(CellInfo({"model_name": "m"}, ["accuracy"]), runs,
                                    {"env_hash": "e"}, disturbed=[0, 1])
    assert "call_disturbed" not in measurement.samples and measurement.result.n_runs == 2
    assert any("slow during all 2 runs" in w for w in measurement.result.warnings)


def _windowed(index: int, probes: list[int], latency: int = 1000, per_window: int = 30,
              slow_latency: int = 1500) -> RunRecord:
    """A run of len(probes) - 1 windows of ``per_window`` calls; a window whose probes
    around it are both fast (6 000) holds calls of ``latency``, others ``slow_latency``."""
    windows, calls = [], []
    for k, probe in enumerate(probes[:-1]):
        windows.append([k * per_window, probe])
        fast = probe <= 6_900 and probes[k + 1] <= 6_900
        calls += [latency if fast else slow_latency] * per_window
    windows.append([len(calls), probes[-1]])
    return RunRecord(index, latencies=np.array(calls, dtype=np.int64), items_per_call=1,
                     host_ns=min(probes), host_windows=windows)


def test_calls_of_slow_windows_are_left_out_of_a_steady_run():
    fast, slow = 6_000, 9_900
    runs = [_windowed(0, [fast, fast, slow, fast, fast]), _windowed(1, [fast] * 5)]
    assert hostcheck.disturbed_records(runs, 6_000) == []
    (measurement,) = summarize_runs(CellInfo({"model_name": "m"}, ["accuracy"]), runs,
                                    {"env_hash": "e"}, host_floor_ns=6_000)
    calls, index = measurement.samples["call"]
    assert set(calls.tolist()) == {1000}  # the windows around the slow probe are out
    assert np.bincount(index).tolist() == [60, 120]
    aside, aside_index = measurement.samples["call_disturbed"]
    assert set(aside.tolist()) == {1500} and set(aside_index.tolist()) == {0}
    assert measurement.result.extra["disturbed_calls"] == 60
    assert measurement.result.n_runs == 2
    assert any("60 of 240 calls" in w for w in measurement.result.warnings)


def test_a_run_with_too_few_steady_calls_is_disturbed_by_its_windows():
    fast, slow = 6_000, 9_900
    mostly_slow = _windowed(0, [fast, slow, slow, slow, fast])  # 0 steady calls of 120
    one_steady = _windowed(1, [fast, fast, slow, slow, slow])  # 30 of 120: below 50
    steady = _windowed(2, [fast, fast, fast, slow, slow])  # 60 of 120
    assert hostcheck.disturbed_records([mostly_slow, one_steady, steady], 6_000) == [0, 1]
    # judged against the floor of the runs compared, not the run's own fastest probe
    assert hostcheck.disturbed_records([steady], 4_000) == [2]
    # a run without windows is judged by its probe, as before
    assert hostcheck.disturbed_records([_run(3, 9_900)], 6_000) == [3]


def test_timing_goes_in_whole_passes_between_probes_and_on_while_the_host_is_slow():
    from modelbench.measure.timing import time_calls

    def clock():  # every clock read: +0.1 ms
        return next(ticks)

    config = TimingConfig(min_calls=10, min_time=0.05, warmup_calls=0, warmup_time=0,
                          host_check=True)
    ticks = iter(range(0, 10**15, 100_000))
    plain = time_calls(lambda x: x, [1, 2, 3], config, clock=clock)
    ticks = iter(range(0, 10**15, 100_000))
    probes = iter([6_000] + [9_900] * 40 + [6_000] * 10**6)  # then slow for 40 windows
    host = hostcheck.HostWindows(probe=lambda: next(probes))
    calls = time_calls(lambda x: x, [1, 2, 3], config, clock=clock, host=host)
    starts = [w[0] for w in host.windows]
    assert starts[0] == 0 and all(s % 3 == 0 for s in starts[:-1])  # whole passes
    assert starts[-1] == calls.size  # the probe after the last window
    steady, _ = hostcheck.split_calls(
        RunRecord(0, latencies=calls, host_windows=host.windows), None)
    # went on past min_time (where timing without probes stops) until enough were steady
    assert steady.size >= hostcheck.steady_needed(calls.size)
    assert calls.size > plain.size + hostcheck.steady_needed(calls.size)


def test_timing_stops_at_its_extension_when_the_host_stays_slow():
    from modelbench.measure.timing import time_calls

    ticks = iter(range(0, 10**15, 100_000))
    slow_then = iter([6_000] + [9_900] * 10**6)  # one fast probe, then slow for good
    host = hostcheck.HostWindows(probe=lambda: next(slow_then))
    config = TimingConfig(min_calls=10, min_time=0.02, warmup_calls=0, warmup_time=0,
                          host_check=True)
    calls = time_calls(lambda x: x, [1], config, clock=lambda: next(ticks), host=host)
    wall = calls.size * 0.2e-3  # two clock reads per call
    assert hostcheck.HOST_EXTENSION * 0.02 * 0.9 <= wall <= hostcheck.HOST_EXTENSION * 0.02 * 1.2


def test_leaving_windows_out_keeps_each_call_on_its_batch():
    # calls cycle through 2 batches (a cheap one, a dear one); a left-out window must not
    # shift which calls are which, or the floor of batches would mix them
    calls = np.array([10, 50] * 60, dtype=np.int64)
    windows = [[0, 6_000], [30, 9_900], [60, 6_000], [90, 6_000], [120, 6_000]]
    steady, _ = hostcheck.split_calls(RunRecord(0, latencies=calls, host_windows=windows),
                                      6_000)
    assert steady.size == 60 and steady[0::2].tolist() == [10] * 30
    assert steady[1::2].tolist() == [50] * 30


def test_a_real_run_records_its_host_probe_and_a_fake_clock_run_does_not():
    timing = TimingConfig(min_calls=5, min_time=0, warmup_time=0, runs=1, host_check=True)
    real = measure_run(lambda: list, [1, 2, 3], [1, 2, 3], RunSpec(timing=timing), 0)
    assert real.status == "ok" and real.host_ns is not None and real.host_ns > 0
    ticks = iter(range(0, 10**12, 1000))
    fake = measure_run(lambda: list, [1, 2, 3], [1, 2, 3], RunSpec(timing=timing), 0,
                       clock=lambda: next(ticks))
    assert fake.host_ns is None
    off = measure_run(lambda: list, [1, 2, 3], None,
                      RunSpec(timing=timing.replace(host_check=False)), 0)
    assert off.host_ns is None


def test_the_runner_replaces_disturbed_runs_and_keeps_their_calls():
    # whatever the machine does meanwhile: every run is either compared or kept apart
    timing = TimingConfig(min_calls=60, min_time=0, warmup_time=0, runs=3, host_check=True)
    cells = [Cell(CellInfo({"model_name": n}, ["accuracy"], timing=timing),
                  RunSpec(timing=timing), function=sorted, isolate=False) for n in "ab"]
    for outcome in measure_cells(cells, [[3, 1, 2]] * 4, [[1, 2, 3]] * 4):
        measurement = outcome.measurements[0]
        aside = measurement.result.extra.get("disturbed_runs", {})
        steady = set(measurement.samples["call"][1].tolist())
        assert measurement.result.n_runs == len(steady) and not steady & {int(k) for k in aside}
        # replaced until 3 were steady, or 3 replacements were spent
        assert len(steady) == 3 or len(steady) + len(aside) == 6
        if aside:  # the disturbed runs, and calls of steady runs timed in a slow window
            assert set(measurement.samples["call_disturbed"][1].tolist()) >= \
                {int(k) for k in aside}
        left_out = measurement.result.extra.get("disturbed_calls", 0)
        if left_out:
            aside_runs = measurement.samples["call_disturbed"][1]
            assert np.isin(aside_runs, list(steady)).sum() == left_out
        assert measurement.result.extra["host_probe_ns"] > 0


def test_host_check_is_off_by_default_only_where_the_environment_says(monkeypatch):
    monkeypatch.setenv("MODELBENCH_HOST_CHECK", "1")
    assert TimingConfig().host_check is True
    monkeypatch.setenv("MODELBENCH_HOST_CHECK", "0")
    assert TimingConfig().host_check is False


def test_host_check_must_be_true_or_false():
    with pytest.raises(ConfigError, match="host_check"):
        TimingConfig(host_check="yes")


def test_the_floor_is_kept_per_node():
    floor = hostcheck.HostFloor()
    floor.see("a", 10_000)
    floor.see("b", 20_000)
    assert hostcheck.disturbed_runs({0: 20_000}, floor.get("b")) == []
    assert hostcheck.disturbed_runs({0: 20_000}, floor.get("a")) == [0]


def test_runs_of_several_calls_can_be_judged_against_one_floor():
    # a floor no real probe reaches: every run of this call is disturbed against it
    timing = TimingConfig(min_calls=60, min_time=0, warmup_time=0, runs=2, host_check=True)
    cell = Cell(CellInfo({"model_name": "m"}, ["accuracy"], timing=timing),
                RunSpec(timing=timing), function=sorted, isolate=False)
    floor = hostcheck.HostFloor()
    floor.see(socket.gethostname(), 1)
    (outcome,) = measure_cells([cell], [[3, 1, 2]] * 4, [[1, 2, 3]] * 4, host_floor=floor)
    result = outcome.measurements[0].result
    assert any("slow during all 4 runs" in w for w in result.warnings)  # 2 + 2 replacements
    assert floor.get(socket.gethostname()) == 1


def test_disturbed_runs_of_a_cell_measured_in_one_task_are_set_aside_not_measured_again():
    """A Ray cell's runs come back together: its disturbed runs are not replaced, and the
    warning must not say they were (the local scheduler's do get replaced)."""
    from modelbench.measure.executors import LocalExecutor
    from modelbench.measure.schedule import _finish, _Runner

    runs = [_run(0, 14_500), _run(1, 21_400, latency=1500), _run(2, 14_800),
            _run(3, 14_600)]
    said = {}
    for interleaves in (True, False):
        state = _state(list(runs))
        state.cell.isolate = True
        executor = LocalExecutor(jobs=1)
        executor.interleaves = interleaves  # False: whole cells, as the Ray executor
        try:
            outcome = _finish(state, None, _Runner([1], [1], executor, None, None), True)
        finally:
            executor.close()
        (said[interleaves],) = [w for w in outcome.result.warnings if "host was slow" in w]
        assert outcome.result.n_runs == 3 and "call_disturbed" in outcome.measurements[0].samples
    assert said[True].startswith("1 run(s) measured again")
    assert "measured again" not in said[False] and "set aside, not replaced" in said[False]
