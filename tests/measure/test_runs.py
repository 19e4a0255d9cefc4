"""Runs as the unit of evidence: interleaving, partial batches, stopping rules (fake clock),
tails that are not estimable, memory the model is responsible for, sweeps, every metric."""

from __future__ import annotations

import numpy as np
import pytest

from modelbench import stats
from modelbench.measure import ModelBenchmark, TimingConfig
from modelbench.measure.runs import RunSpec, item_values, measure_run
from modelbench.measure.schedule import Cell, measure_cells
from modelbench.measure.summary import CellInfo, median_ci_runs


class FakeClock:
    """An injectable clock: time moves only when a model says so."""

    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now

    def advance_ms(self, ms: float) -> None:
        self.now += int(ms * 1e6)


def _clocked_model(clock, ms_per_item=1.0, seen=None, per_run=None):
    """A model that costs ``ms_per_item`` per item on the fake clock (x ``per_run[run]``)."""
    state = {"run": -1}

    def load():
        state["run"] += 1

        def model(batch):
            if seen is not None:
                seen.append(len(batch))
            factor = per_run[state["run"]] if per_run else 1.0
            clock.advance_ms(ms_per_item * len(batch) * factor)
            return list(batch)

        return model

    return load


def _cells(loads, timing, clock, **info):
    cells = []
    for name, load in loads:
        cell = Cell(info=CellInfo(labels={"model_name": name}, metrics=["accuracy"],
                                  timing=timing, **info),
                    spec=RunSpec(timing=timing), function=None, isolate=False)
        cells.append((cell, load))
    return cells


def _measure_loads(loads, timing, clock, inputs):
    """measure_cells with in-process cells whose model is built by ``load`` once per run."""
    records = []
    for name, load in loads:
        for run in range(timing.runs):
            records.append((name, measure_run(load, inputs, inputs, RunSpec(timing=timing), run,
                                              clock=clock)))
    return records


def test_the_fake_clock_gives_the_exact_number_of_calls():
    clock = FakeClock()
    timing = TimingConfig(min_calls=10, min_time=0.05, warmup_calls=2, warmup_time=0, runs=1)
    record = measure_run(_clocked_model(clock), [1, 2], [1, 2], RunSpec(timing=timing), 0,
                         clock=clock)
    # 2 ms per call, 50 ms asked: 25 calls, each exactly 2 ms
    assert len(record.latencies) == 25 and set(record.latencies.tolist()) == {2_000_000}
    assert record.timed_s == pytest.approx(0.054)  # with the two 2 ms warm-up calls


def test_a_partial_last_batch_never_enters_the_per_call_samples():
    clock = FakeClock()
    seen: list[int] = []
    timing = TimingConfig(min_calls=30, min_time=0, warmup_calls=0, warmup_time=0,
                          batch_size=4, runs=1)
    record = measure_run(_clocked_model(clock, seen=seen), list(range(10)), list(range(10)),
                         RunSpec(timing=timing), 0, clock=clock)
    # a 2-item call would take 2 ms: every per-call sample is a full 4-item batch (4 ms)
    assert len(record.latencies) == 30 and set(record.latencies.tolist()) == {4_000_000}
    assert record.partial_items == 2 and record.partial_ns == 2_000_000  # timed apart
    assert seen[:3] == [4, 4, 2]  # the scored pass saw every item, once
    assert 2 not in seen[3:]  # timing cycled over full batches only
    assert record.items_per_call == 4


def test_results_keep_the_partial_batch_as_its_own_series():
    bench = ModelBenchmark(min_time=0, min_calls=5, warmup_time=0, runs=2, isolate=False)
    row = bench.benchmark_model(model_name="m", model_fn=lambda xs: list(xs),
                                inputs=list(range(10)), expected_outputs=list(range(10)),
                                batch_size=4)
    assert row["extra"]["partial_batch_items"] == 2
    assert set(row["series_stats"]) >= {"call", "first_call", "load", "partial_batch"}
    assert row["series_stats"]["partial_batch"]["n_samples"] == 2  # one per run


def test_runs_are_interleaved_across_models_in_children(models_on_path, fast_timing, tmp_path,
                                                        monkeypatch):
    log = tmp_path / "order.log"
    monkeypatch.setenv("MB_ORDER_LOG", str(log))
    bench = ModelBenchmark(timing=fast_timing.replace(runs=3))
    inputs = list(range(8))
    out = bench.compare_models(
        models=[{"name": n, "target": f"mb_models:order_{n}()"} for n in "abc"],
        metric="accuracy", inputs=inputs, expected_outputs=[2 * x for x in inputs])
    # each round starts one model later, so that none always runs first
    assert log.read_text().split() == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    assert [r["n_runs"] for r in out["results"]] == [3, 3, 3]


def test_in_process_runs_are_interleaved_too():
    order = []

    def model(name):
        def fn(xs):
            if not order or order[-1] != name:
                order.append(name)
            return list(xs)
        return fn

    bench = ModelBenchmark(min_time=0, min_calls=2, warmup_time=0, runs=3, isolate=False)
    bench.compare_models(models=[{"name": n, "function": model(n)} for n in "xyz"],
                         inputs=[1, 2], expected_outputs=[1, 2])
    assert order == ["x", "y", "z", "y", "z", "x", "z", "x", "y"]


def test_every_call_sample_keeps_its_run_index():
    clock = FakeClock()
    timing = TimingConfig(min_calls=5, min_time=0, warmup_calls=0, warmup_time=0, runs=3)
    cell = Cell(info=CellInfo(labels={"model_name": "m"}, metrics=["accuracy"], timing=timing),
                spec=RunSpec(timing=timing), function=lambda xs: (clock.advance_ms(1), xs)[1],
                isolate=False)
    (outcome,) = measure_cells([cell], [1, 2], [1, 2], clock=clock)
    latencies, runs = outcome.measurements[0].samples["call"]
    assert runs.tolist() == [0] * 5 + [1] * 5 + [2] * 5
    assert latencies.dtype == np.int64 and outcome.result.n_runs == 3


def test_precision_adds_runs_until_the_between_run_ci_is_narrow_enough():
    clock = FakeClock()
    levels = [1.00, 1.06, 0.95, 1.02, 0.99, 1.01, 1.00, 0.99, 1.01, 1.00, 1.00, 0.99]
    timing = TimingConfig(min_calls=5, min_time=0, warmup_calls=0, warmup_time=0, runs=3,
                          max_runs=12, precision=0.025, max_time=60)
    run = {"n": -1}

    def fn(xs):
        clock.advance_ms(levels[run["n"]])
        return xs

    def first_call_of_a_run(xs):  # the scored pass is each run's first call
        run["n"] += 1
        return fn(xs)

    calls = {"in_run": 0}

    def model(xs):
        calls["in_run"] += 1
        if calls["in_run"] == 1:
            return first_call_of_a_run(xs)
        if calls["in_run"] == 1 + 5:
            calls["in_run"] = 0
        return fn(xs)

    cell = Cell(info=CellInfo(labels={"model_name": "m"}, metrics=["accuracy"], timing=timing),
                spec=RunSpec(timing=timing), function=model, isolate=False)
    (outcome,) = measure_cells([cell], [1], [1], clock=clock)
    # the rule, applied by hand to the same levels: first k >= 3 whose CI is within ±2.5 %
    expected = None
    for k in range(3, 13):
        lat = np.repeat(np.array(levels[:k]) * 1e6, 5)
        median, low, high = median_ci_runs(lat, np.repeat(np.arange(k), 5))
        if (high - low) / 2 / median <= 0.025:
            expected = k
            break
    assert expected == 9  # (the CI of 8 runs is ±2.6 %)
    assert outcome.result.n_runs == expected


def test_precision_is_capped_by_max_time():
    clock = FakeClock()
    timing = TimingConfig(min_calls=10, min_time=0, warmup_calls=0, warmup_time=0, runs=2,
                          max_runs=50, precision=1e-9, max_time=0.5)
    rng = np.random.default_rng(1)
    cell = Cell(info=CellInfo(labels={"model_name": "m"}, metrics=["accuracy"], timing=timing),
                spec=RunSpec(timing=timing),
                function=lambda xs: (clock.advance_ms(10 * rng.uniform(0.5, 1.5)), xs)[1],
                isolate=False)
    (outcome,) = measure_cells([cell], [1], [1], clock=clock)
    # each run times 10 calls of ~10 ms (~0.1 s): max_time 0.5 s stops it at 5 or 6 runs
    assert 5 <= outcome.result.n_runs <= 6 < 50


def test_tail_percentiles_are_not_estimable_from_too_few_samples():
    clock = FakeClock()
    timing = TimingConfig(min_calls=50, max_calls=50, min_time=0, warmup_calls=0,
                          warmup_time=0, runs=2)
    cell = Cell(info=CellInfo(labels={"model_name": "m"}, metrics=["accuracy"], timing=timing),
                spec=RunSpec(timing=timing), function=lambda xs: (clock.advance_ms(1), xs)[1],
                isolate=False)
    (outcome,) = measure_cells([cell], [1], [1], clock=clock)
    latency = outcome.result.latency
    assert latency.n_samples == 100
    assert latency.p90_ms == 1.0  # 10 samples lie beyond it
    assert latency.p95_ms is None and latency.p99_ms is None
    assert any("p95, p99 not estimable from 100 calls" in w for w in outcome.result.warnings)


def test_one_run_has_no_between_run_ci():
    bench = ModelBenchmark(min_time=0, min_calls=3, warmup_time=0, runs=1, isolate=False)
    row = bench.benchmark_model(model_name="m", model_fn=list, inputs=[1], expected_outputs=[1])
    assert row["ci_low_ms"] is None and row["n_runs"] == 1
    assert any("one run only" in w for w in row["warnings"])


def test_memory_the_model_is_responsible_for(models_on_path, fast_timing):
    bench = ModelBenchmark(timing=fast_timing.replace(runs=1))
    inputs = list(range(4))
    out = bench.compare_models(
        models=[{"name": "big-setup", "target": "mb_models:make_big_setup()"},
                {"name": "big-call", "target": "mb_models:big_call"},
                {"name": "small", "target": "mb_models:double"}],
        metric="accuracy", inputs=inputs, expected_outputs=[2 * x for x in inputs])
    rows = {r["model_name"]: r for r in out["results"]}
    small, setup, call = rows["small"], rows["big-setup"], rows["big-call"]
    assert setup["memory_setup_mb"] - small["memory_setup_mb"] > 50  # held from set-up on
    assert setup["model_memory_mb"] < 40  # but its calls add little
    assert call["model_memory_mb"] > 80  # its calls take ~96 MB
    assert call["memory_peak_mb"] >= call["memory_setup_mb"] + call["model_memory_mb"] - 1
    for row in rows.values():  # the whole-process peak stays as the secondary figure
        assert row["memory_usage_mb"] >= row["memory_peak_mb"] - 1


def test_batch_size_sweep_gives_one_result_per_cell_compared_only_within_it():
    bench = ModelBenchmark(min_time=0, min_calls=3, warmup_time=0, runs=2, isolate=False)
    out = bench.compare_models(
        models=[{"name": "a", "function": list}, {"name": "b", "function": list}],
        inputs=list(range(12)), expected_outputs=list(range(12)), batch_sizes=[2, 6])
    cells = [(r["model_name"], r["params"]["batch_size"], r["batch_size"])
             for r in out["results"]]
    assert cells == [("a", 2, 2), ("b", 2, 2), ("a", 6, 6), ("b", 6, 6)]
    assert sorted(p["params"]["batch_size"] for p in out["comparison"]) == [2, 6]
    assert all(p["basis"] == "per call" for p in out["comparison"])


def test_models_of_different_batch_sizes_are_compared_per_item():
    bench = ModelBenchmark(min_time=0, min_calls=3, warmup_time=0, runs=2, isolate=False)
    out = bench.compare_models(
        models=[{"name": "bs1", "function": list, "batch_size": 1},
                {"name": "bs6", "function": list, "batch_size": 6}],
        inputs=list(range(12)), expected_outputs=list(range(12)))
    (pair,) = out["comparison"]
    assert pair["basis"] == "per item"
    rows = {r["model_name"]: r for r in out["results"]}
    assert rows["bs6"]["per_item_median_ms"] == pytest.approx(rows["bs6"]["median_ms"] / 6)


def test_thread_sweep_sets_the_thread_variables_in_each_child(models_on_path, fast_timing):
    bench = ModelBenchmark(timing=fast_timing.replace(runs=1))
    out = bench.compare_models(models=[{"name": "t", "target": "mb_models:report_threads"}],
                               inputs=[0, 0, 0], expected_outputs=[1, 1, 1], threads=[1, 2])
    by_threads = {r["threads"]: r for r in out["results"]}
    assert by_threads[1]["score"] == 1.0 and by_threads[2]["score"] == 0.0
    assert by_threads[2]["params"] == {"threads": 2}
    assert "OMP_NUM_THREADS" in by_threads[2]["extra"]["threads_applied"]["environment"]


def test_every_metric_is_its_own_result_with_shared_latency_and_item_values():
    bench = ModelBenchmark(min_time=0, min_calls=3, warmup_time=0, runs=2, isolate=False)
    stored = []

    def sink(measurement):
        stored.append(measurement)
        return {"stored": True}

    bench.sink = sink
    row = bench.benchmark_model(model_name="m", metric="accuracy", model_fn=list,
                                inputs=[1, 2, 3], expected_outputs=[1, 0, 3],
                                extra_metrics=["f1_macro", "mae"])
    assert [m.result.metric for m in stored] == ["accuracy", "f1_macro", "mae"]
    first, f1, mae = stored
    assert first.samples["call"][0].size > 0 and f1.samples == {} and mae.samples == {}
    assert f1.result.extra["samples_of"] == first.result.id
    assert f1.result.latency == first.result.latency
    assert first.item_values.tolist() == [1.0, 0.0, 1.0]
    assert mae.item_values.tolist() == [0.0, 2.0, 0.0]
    assert f1.item_values is None and f1.item_predictions == [1, 2, 3]
    assert [r["metric"] for r in row["metric_results"]] == ["f1_macro", "mae"]


def test_item_values_per_metric():
    assert item_values("exact_match", [[1, 2], [3, 4]], [[1, 2], [3, 5]]) == [1.0, 0.0]
    assert item_values("mse", [1.0, 2.0], [2.0, 2.0]) == [1.0, 0.0]
    assert item_values("top2_accuracy", [1, 0], [[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]]) == [1.0, 0.0]
    assert item_values("r2", [1.0, 2.0], [1.0, 2.0]) is None


def test_results_go_to_the_sink_as_soon_as_they_are_measured():
    seen_at_c = []
    handed = []

    def sink(measurement):
        handed.append(measurement.result.model_name)
        return {"stored": True}

    def c(xs):
        seen_at_c.append(list(handed))
        return list(xs)

    bench = ModelBenchmark(sink, min_time=0, min_calls=2, warmup_time=0, runs=1, isolate=False)
    out = bench.compare_models(models=[{"name": "a", "function": list},
                                       {"name": "b", "function": list},
                                       {"name": "c", "function": c}],
                               inputs=[1], expected_outputs=[1])
    assert seen_at_c[0] == ["a", "b"]  # a and b were handed over before c was called
    assert all(r["stored"] for r in out["results"]) and out["not_stored"] == 0


def test_each_result_stores_a_prediction_interval_of_a_rerun_median():
    clock = FakeClock()
    timing = TimingConfig(min_calls=10, max_calls=10, min_time=0, warmup_calls=0,
                          warmup_time=0, runs=3)
    calls = []

    def model(xs):
        clock.advance_ms(1.0 + 0.1 * (len(calls) // 11 % 3))  # runs at different levels
        calls.append(1)
        return xs

    cell = Cell(info=CellInfo(labels={"model_name": "m"}, metrics=["accuracy"], timing=timing),
                spec=RunSpec(timing=timing), function=model, isolate=False)
    (outcome,) = measure_cells([cell], [1], [1], clock=clock)
    result = outcome.result
    latencies, runs = outcome.measurements[0].samples["call"]
    assert len(np.unique(runs)) == 3 and len(set(np.round(latencies))) > 1
    _, low, high = stats.rerun_interval(latencies, runs)
    assert result.extra["rerun_median_ms"] == pytest.approx([low / 1e6, high / 1e6])
    # wider than the CI of the median: a rerun's own median wobbles too
    assert low / 1e6 < result.latency.ci_low_ms < result.latency.ci_high_ms < high / 1e6
