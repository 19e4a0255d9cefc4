"""ModelBenchmark: the seed's API, storing to a real SQLite store, ranking and significance."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from modelbench import ModelBenchmark, get_database_manager
from modelbench.errors import ConfigError, ValidationError
from modelbench.store import ResultFilter


def test_the_seed_example_exactly(sqlite_store):
    # As in the seed README, with a store and fast timing settings.
    db = sqlite_store
    benchmark = ModelBenchmark(db_manager=db, min_time=0.02, min_calls=5)

    def my_model(inputs):
        return [x * 2 for x in inputs]

    test_inputs = list(range(50))
    expected_outputs = [x * 2 for x in test_inputs]
    result = benchmark.benchmark_model(
        model_name="my-model", model_version="1.0.0", task_type="classification",
        dataset="test-dataset", metric="accuracy", model_fn=my_model, inputs=test_inputs,
        expected_outputs=expected_outputs)
    assert result["score"] == 1.0 and result["status"] == "ok"
    assert result["runtime_ms"] > 0 and result["memory_usage_mb"] > 0
    for key in ("median_ms", "mean_ms", "stdev_ms", "p50_ms", "p90_ms", "p95_ms", "p99_ms",
                "ci_low_ms", "ci_high_ms", "outliers", "throughput", "n_samples"):
        assert key in result, key
    assert result["ci_low_ms"] <= result["median_ms"] <= result["ci_high_ms"]
    assert result["throughput"] == pytest.approx(50 / (result["median_ms"] / 1000))
    assert result["environment"]["env_hash"] == result["env_hash"]
    assert result["stored"] is True

    stored = db.get_result(result["id"])
    assert stored.score == 1.0 and stored.model_version == "1.0.0"
    assert stored.latency.median_ms == pytest.approx(result["median_ms"])
    samples = db.get_samples(result["id"])
    assert len(samples) == result["n_samples"] <= result["samples_stored"]  # + other series
    # the median is that of the run medians (runs are the unit of evidence)
    assert result["n_runs"] == 5
    assert np.min(samples) / 1e6 <= result["median_ms"] <= np.max(samples) / 1e6


def _models(mb):
    return [
        {"name": "model-a", "version": "1.0.0", "function": mb.double_slow},
        {"name": "model-b", "version": "1.0.0", "function": mb.double},
        {"name": "model-c", "version": "1.0.0", "function": mb.wrong_half},
        {"name": "model-d", "version": "1.0.0", "function": mb.boom},
    ]


def test_compare_models_as_in_the_seed(sqlite_store, models_on_path):
    benchmark = ModelBenchmark(db_manager=sqlite_store, min_time=0.03, min_calls=10)
    inputs = list(range(100))
    results = benchmark.compare_models(
        models=_models(models_on_path), task_type="classification", dataset="test-dataset",
        metric="accuracy", inputs=inputs, expected_outputs=[x * 2 for x in inputs])
    assert [r["model_name"] for r in results["results"]] == ["model-a", "model-b", "model-c",
                                                            "model-d"]
    # equal scores: the faster one ranks first; the failed model is not ranked
    assert [r["model_name"] for r in results["by_score"]] == ["model-b", "model-a", "model-c"]
    assert results["by_runtime"][-1]["model_name"] == "model-a"
    assert results["failed"] == ["model-d"]
    failed = results["results"][3]
    assert failed["status"] == "error" and "boom" in failed["error_message"]
    pair = next(p for p in results["comparison"] if {p["a"], p["b"]} == {"model-a", "model-b"})
    # ~20x the work: a verdict across 5 runs each, that survives Holm over the 3 pairs
    assert pair["significant"] and pair["faster"] == "model-b" and pair["p_adjusted"] < 0.05
    assert pair["verdict"] == ("faster" if pair["a"] == "model-b" else "slower")
    assert pair["n_runs_a"] == pair["n_runs_b"] == 5 and pair["ci_high"] < 1
    assert sqlite_store.count_results(ResultFilter(dataset="test-dataset")) == 4
    assert sqlite_store.count_results(ResultFilter(status="error")) == 1


def test_lower_is_better_metrics_rank_ascending(models_on_path):
    benchmark = ModelBenchmark(min_time=0.01)
    inputs = np.arange(20, dtype=float)
    results = benchmark.compare_models(
        models=[{"name": "off", "version": "", "function": lambda xs: np.asarray(xs) * 2 + 5},
                {"name": "close", "version": "", "function": lambda xs: np.asarray(xs) * 2 + 1}],
        metric="mse", inputs=inputs, expected_outputs=inputs * 2)
    assert [r["model_name"] for r in results["by_score"]] == ["close", "off"]
    assert results["by_score"][0]["score"] == pytest.approx(1.0)


def test_parallel_compare_runs_models_in_children(models_on_path):
    benchmark = ModelBenchmark(min_time=0.02, min_calls=5)
    inputs = list(range(50))
    results = benchmark.compare_models(
        models=[{"name": "a", "version": "1", "target": "mb_models:double"},
                {"name": "b", "version": "1", "function": models_on_path.double_slow},
                {"name": "local", "version": "1", "function": lambda xs: [x * 2 for x in xs]}],
        metric="accuracy", inputs=inputs, expected_outputs=[x * 2 for x in inputs], jobs=2)
    by_name = {r["model_name"]: r for r in results["results"]}
    assert by_name["a"]["extra"]["parallel"] and by_name["b"]["extra"]["isolated"]
    assert by_name["local"]["extra"]["isolated"] is False  # a lambda cannot go to a child
    assert any("cannot be sent" in w for w in by_name["local"]["warnings"])
    assert all(r["score"] == 1.0 for r in results["results"])


def test_failures_in_targets_are_stored_not_raised(sqlite_store, models_on_path):
    benchmark = ModelBenchmark(db_manager=sqlite_store, min_time=0.01)
    results = benchmark.compare_models(
        models=[{"name": "hangs", "version": "", "target": "mb_models:hang"},
                {"name": "ok", "version": "", "target": "mb_models:double"}],
        metric="accuracy", inputs=[1, 2], expected_outputs=[2, 4], timeout=2)
    statuses = {r["model_name"]: r["status"] for r in results["results"]}
    assert statuses == {"hangs": "timeout", "ok": "ok"}
    assert sqlite_store.count_results(ResultFilter(status="timeout")) == 1


def test_batch_mode_and_extra_metrics():
    benchmark = ModelBenchmark(min_time=0.01)
    inputs = np.arange(10)
    result = benchmark.benchmark_model(
        model_name="m", metric="accuracy", model_fn=lambda xs: np.asarray(xs) % 3,
        inputs=inputs, expected_outputs=inputs % 3, batch_size=4,
        extra_metrics=["f1_macro", "precision_weighted"])
    assert result["batch_size"] == 4 and result["n_items"] == 10
    assert result["extra"]["scores"] == {"f1_macro": 1.0, "precision_weighted": 1.0}
    # per call is per full batch of 4: the last 2 items are timed apart, never mixed in
    assert result["extra"]["items_per_call"] == 4 and result["extra"]["partial_batch_items"] == 2
    assert result["throughput"] == pytest.approx(4 / (result["median_ms"] / 1000))
    assert result["per_item_median_ms"] == pytest.approx(result["median_ms"] / 4)


def test_caller_mistakes_raise_before_running():
    benchmark = ModelBenchmark(min_time=0.01)
    with pytest.raises(ValidationError, match="lengths differ: 3 inputs but 2 expected"):
        benchmark.benchmark_model(model_name="m", model_fn=list, inputs=[1, 2, 3],
                                  expected_outputs=[1, 2])
    with pytest.raises(ValidationError, match="unknown metric"):
        benchmark.benchmark_model(model_name="m", metric="acuracy", model_fn=list,
                                  inputs=[1], expected_outputs=[1])
    with pytest.raises(ConfigError, match="exactly one"):
        benchmark.benchmark_model(model_name="m", inputs=[1], expected_outputs=[1])
    with pytest.raises(ConfigError, match="min_tim"):
        benchmark.benchmark_model(model_name="m", model_fn=list, inputs=[1],
                                  expected_outputs=[1], min_tim=1)
    with pytest.raises(ConfigError, match="unknown key"):
        benchmark.compare_models(models=[{"name": "x", "fn": list}], inputs=[1],
                                 expected_outputs=[1])


def test_nan_predictions_make_an_error_result_not_a_stored_nan(sqlite_store):
    benchmark = ModelBenchmark(db_manager=sqlite_store, min_time=0.01)
    result = benchmark.benchmark_model(
        model_name="nan", metric="mse", model_fn=lambda xs: [float("nan")] * len(xs),
        inputs=[1.0, 2.0], expected_outputs=[1.0, 2.0])
    assert result["status"] == "error" and "NaN" in result["error_message"]
    assert sqlite_store.get_result(result["id"]).status == "error"


def test_a_store_that_was_never_set_up_is_set_up_first(tmp_path):
    store = get_database_manager("sqlite", path=str(tmp_path / "fresh.db"))  # no tables yet
    result = ModelBenchmark(db_manager=store, min_time=0.01).benchmark_model(
        model_name="m", model_fn=list, inputs=[1, 2], expected_outputs=[1, 2])
    assert result["stored"] and store.get_result(result["id"]).score == 1.0
    store.close()


def test_a_store_failure_keeps_the_measured_result(tmp_path):
    path = tmp_path / "locked.db"
    store = get_database_manager("sqlite", path=str(path), timeout=0.2)
    store.setup()
    other = sqlite3.connect(path, isolation_level=None)  # another process's long write
    other.execute("BEGIN EXCLUSIVE")
    try:
        benchmark = ModelBenchmark(db_manager=store, min_time=0.01)
        with pytest.warns(RuntimeWarning, match="result not stored"):
            result = benchmark.benchmark_model(model_name="m", model_fn=list, inputs=[1, 2],
                                               expected_outputs=[1, 2])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result["score"] == 1.0 and result["stored"] is False and result["n_samples"] >= 5
    assert any("not stored" in w and "locked" in w for w in result["warnings"])
    assert store.count_results() == 0  # and the store itself is intact
    store.close()


def test_per_item_values_and_predictions_are_stored_for_paired_tests(sqlite_store):
    from modelbench.benchmark import ModelBenchmark as Public

    row = Public(db_manager=sqlite_store, min_time=0, min_calls=2, warmup_time=0, runs=2,
                 isolate=False).benchmark_model(
        model_name="m", metric="accuracy", model_fn=list, inputs=[1, 2, 3],
        expected_outputs=[1, 0, 3])
    values, predictions = sqlite_store.get_item_results(row["id"])
    assert values.tolist() == [1.0, 0.0, 1.0] and predictions == [1, 2, 3]
    latencies, runs = sqlite_store.get_sample_runs(row["id"])
    assert len(latencies) == row["n_samples"] and sorted(set(runs.tolist())) == [0, 1]
    first, first_runs = sqlite_store.get_sample_runs(row["id"], series="first_call")
    assert len(first) == 2 and first_runs.tolist() == [0, 1]
