"""What the image readers return, and how it becomes :class:`~modelbench.records.BenchmarkResult`.

Every value keeps where it came from: the pixel box, the method (``value_label``,
``axis_fit``, ``table_ocr``...) and a confidence in 0..1.

Example:
    >>> v = ImageValue(label="GPT-4", column="MMLU", value=86.4, text="86.4",
    ...                confidence=0.97, box=(10, 20, 60, 40), method="table_ocr")
    >>> to_benchmark_results([v], source_path="t.png")[0].dataset
    'MMLU'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..records import BenchmarkResult, utcnow

__all__ = ["ImageValue", "to_benchmark_results"]


@dataclass
class ImageValue:
    """One number read from an image.

    For tables ``label`` is the row label (usually the model) and ``column`` the column header;
    for charts ``label`` is the category on the axis and ``series`` the legend entry (grouped
    bars). ``value`` is ``None`` for a printed missing marker ("-", "/") or a bar with no value.
    """

    label: str
    value: float | None
    confidence: float
    box: tuple[int, int, int, int]
    method: str
    column: str = ""
    series: str = ""
    text: str = ""
    bold: bool = False
    section: str = ""
    percent: bool = False
    plus_minus: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["box"] = list(self.box)
        return data


def to_benchmark_results(values: list[ImageValue], *, source_path: str, metric: str = "",
                         dataset: str = "", task: str = "", models_in: str = "auto",
                         engine: str = "tesseract") -> list[BenchmarkResult]:
    """Turn read values into records (``source="image"``), skipping values that are missing.

    Who is the model: ``models_in="rows"`` — the row label or chart category;
    ``"columns"`` — the column header or legend series; ``"auto"`` — the series for grouped
    bars (categories are benchmarks), the row label or bar label otherwise.
    The other name is the dataset, unless ``dataset`` is given (then it names the metric).
    A two-level header ``"SQuAD / EM"`` splits into dataset/model ``SQuAD`` and metric ``EM``.
    ``metric`` fills in what the image does not say (default ``"score"``).
    """
    collected = utcnow()
    results = []
    for value in values:
        if value.value is None:
            continue
        across = value.column or value.series
        by_columns = models_in == "columns" or (models_in == "auto" and bool(value.series))
        model, other = (across, value.label) if by_columns else (value.label, across)
        model, model_metric = _split_level(model)
        other, other_metric = _split_level(other)
        result_dataset = dataset or other
        result_metric = metric or model_metric or other_metric or (
            other if dataset and other else "score")
        extra = {"text": value.text, "box": list(value.box), **value.extra}
        for key in ("bold", "section", "plus_minus", "percent"):
            if getattr(value, key):
                extra[key] = getattr(value, key)
        if value.series and not by_columns:
            extra["series"] = value.series
        results.append(BenchmarkResult(
            model_name=model or "unknown", task_type=task, dataset=result_dataset,
            metric=result_metric, score=value.value, source="image", source_url=source_path,
            collected_at=collected, extraction_method=f"{engine}/{value.method}",
            confidence=round(value.confidence, 4), extra=extra))
    return results


def _split_level(name: str) -> tuple[str, str]:
    """``"iTransformer / MSE"`` → (``"iTransformer"``, ``"MSE"``); a plain name → (name, "")."""
    upper, separator, lower = name.rpartition(" / ")
    return (upper, lower) if separator else (name, "")
