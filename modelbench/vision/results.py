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
                         dataset: str = "", task: str = "", models_in: str = "rows",
                         engine: str = "tesseract") -> list[BenchmarkResult]:
    """Turn read values into records (``source="image"``), skipping values that are missing.

    ``models_in``: ``"rows"`` (the row label or chart category is the model; the column or
    series names the dataset) or ``"columns"`` (the column/series is the model, the row label
    or category the dataset). ``dataset``/``metric`` fill in what the image does not say;
    a two-level header ``"X / MSE"`` gives the metric ``MSE`` when ``metric`` is not given.
    """
    collected = utcnow()
    results = []
    for value in values:
        if value.value is None:
            continue
        across = value.column or value.series
        model, named = (value.label, across) if models_in == "rows" else (across, value.label)
        if not model:
            model, named = named, ""
        upper, _, lower = named.rpartition(" / ")
        result_dataset = dataset or (upper if upper and not metric else named) or ""
        result_metric = metric or (lower if upper else "") or ("score" if not dataset else "")
        if dataset and not metric and named:
            result_metric = named
        extra = {"text": value.text, "box": list(value.box)}
        if value.bold:
            extra["bold"] = True
        if value.section:
            extra["section"] = value.section
        if value.plus_minus is not None:
            extra["plus_minus"] = value.plus_minus
        if value.percent:
            extra["percent"] = True
        results.append(BenchmarkResult(
            model_name=model, task_type=task, dataset=result_dataset, metric=result_metric,
            score=value.value, source="image", source_url=source_path, collected_at=collected,
            extraction_method=f"{engine}/{value.method}", confidence=round(value.confidence, 4),
            extra=extra))
    return results
