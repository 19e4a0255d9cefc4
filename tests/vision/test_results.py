"""ImageValue → BenchmarkResult: who is the model, dataset and metric, provenance."""

from __future__ import annotations

from modelbench.vision import ImageValue, to_benchmark_results


def _value(**kwargs):
    base = dict(label="GPT-4", value=86.4, confidence=0.9, box=(1, 2, 3, 4), method="table_ocr")
    base.update(kwargs)
    return ImageValue(**base)


def test_table_rows_are_models_and_columns_datasets():
    [result] = to_benchmark_results([_value(column="MMLU")], source_path="t.png")
    assert (result.model_name, result.dataset, result.metric) == ("GPT-4", "MMLU", "score")
    assert result.source == "image" and result.source_url == "t.png"
    assert result.extraction_method == "tesseract/table_ocr" and result.confidence == 0.9
    result.validate()  # a storable record


def test_dataset_option_turns_columns_into_metrics():
    [result] = to_benchmark_results([_value(column="F1")], source_path="t.png", dataset="SQuAD")
    assert (result.dataset, result.metric) == ("SQuAD", "F1")


def test_two_level_header_gives_the_metric():
    [result] = to_benchmark_results([_value(label="ECL", column="iTransformer / MSE")],
                                    source_path="t.png", models_in="columns")
    assert (result.model_name, result.dataset, result.metric) == ("iTransformer", "ECL", "MSE")


def test_grouped_bars_series_are_models_by_default():
    [result] = to_benchmark_results([_value(label="MMLU", series="Model-A", method="axis_fit")],
                                    source_path="c.png", metric="accuracy")
    assert (result.model_name, result.dataset, result.metric) == ("Model-A", "MMLU", "accuracy")


def test_missing_values_are_not_stored():
    assert to_benchmark_results([_value(column="MMLU", value=None)], source_path="t.png") == []
