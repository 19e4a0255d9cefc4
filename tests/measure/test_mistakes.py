"""A newcomer's mistakes in a model or plan get a named answer, never a silent 0 or a bare
TypeError."""

from __future__ import annotations

import numpy as np
import pytest

from modelbench import ModelBenchmark


@pytest.mark.parametrize("predict", [lambda xs: [str(x % 2) for x in xs],
                                     lambda xs: np.array([str(x % 2) for x in xs])])
def test_text_predictions_against_numeric_labels_are_an_error_not_a_zero(sqlite_store, predict):
    benchmark = ModelBenchmark(db_manager=sqlite_store, min_time=0.01)
    result = benchmark.benchmark_model(model_name="texty", metric="accuracy", model_fn=predict,
                                       inputs=[1, 2, 3, 4], expected_outputs=[1, 0, 1, 0])
    assert result["status"] == "error" and result["score"] is None
    assert "text predictions (e.g. '1') but the labels are numeric (e.g. 1)" in \
        result["error_message"]
    assert sqlite_store.get_result(result["id"]).status == "error"


def test_numeric_predictions_against_text_labels_are_named_too(sqlite_store):
    result = ModelBenchmark(db_manager=sqlite_store, min_time=0.01).benchmark_model(
        model_name="numeric", metric="accuracy", model_fn=lambda xs: [1] * len(xs),
        inputs=[1, 2], expected_outputs=["cat", "dog"])
    assert result["status"] == "error"
    assert "numeric predictions (e.g. 1) but the labels are text (e.g. 'cat')" in \
        result["error_message"]


def test_matching_kinds_and_custom_metrics_are_left_alone(sqlite_store):
    benchmark = ModelBenchmark(db_manager=sqlite_store, min_time=0.01)
    same = benchmark.benchmark_model(model_name="ok", metric="accuracy",
                                     model_fn=lambda xs: list(xs), inputs=["a", "b"],
                                     expected_outputs=["a", "c"])
    assert same["status"] == "ok" and same["score"] == 0.5
    custom = benchmark.benchmark_model(
        model_name="converts", model_fn=lambda xs: [str(x) for x in xs], inputs=[1, 2],
        expected_outputs=[1, 2],
        metric=lambda y, p: float(np.mean([int(a) == int(b) for a, b in zip(y, p, strict=True)])))
    assert custom["status"] == "ok" and custom["score"] == 1.0


def test_a_factory_written_without_parentheses_says_so(models_on_path, fast_timing):
    result = ModelBenchmark(timing=fast_timing).benchmark_model(
        model_name="make_scaler", metric="accuracy", target="mb_models:make_scaler",
        inputs=[1, 2], expected_outputs=[2, 4], timeout=60)
    assert result["status"] == "error"
    assert "'mb_models:make_scaler' takes no arguments" in result["error_message"]
    assert "TypeError" not in result["error_message"]
