"""Numbers from images: results tables and bar charts, read with OCR (Tesseract).

Readers return records with a per-value confidence, the pixel box and the method used;
:func:`to_benchmark_results` turns them into :class:`~modelbench.records.BenchmarkResult`
(``source="image"``). Nothing here writes to a store.

Example:
    >>> from modelbench.vision import read_table, read_chart
    >>> table = read_table("results.png")               # doctest: +SKIP
    >>> [(v.label, v.column, v.value) for v in table.values()][:1]  # doctest: +SKIP
    [('GPT-4V', 'MMMU', 56.8)]
    >>> read_chart("chart.png").pairs()[:1]             # doctest: +SKIP
    [{'label': 'MMLU', 'series': 'Model-A', 'value': 75.9}]
"""

from __future__ import annotations

from .chart_image import AXIS_DROPPED, AxisFit, ChartResult, read_chart, read_chart_voted
from .loader import MAX_PIXELS, LoadedImage, load_image
from .ocr import OcrEngine, OcrWord, TesseractEngine, get_engine, ocr_available
from .results import ImageValue, to_benchmark_results
from .table_image import TableCell, TableResult, grid_evidence, read_table

__all__ = [
    "read_table", "read_chart", "read_chart_voted", "read_image", "TableResult", "TableCell",
    "ChartResult",
    "AxisFit", "ImageValue", "to_benchmark_results", "load_image", "LoadedImage", "MAX_PIXELS",
    "OcrEngine", "OcrWord", "TesseractEngine", "get_engine", "ocr_available",
]


def read_image(source, *, kind: str = "auto") -> TableResult | ChartResult:
    """Read a table or a chart. ``kind="auto"``: a chart when filled bars stand on a common
    baseline and the reader finds values for them, otherwise a table.

    Raises:
        ExtractionError: neither a table nor a chart could be read.
    """
    from ..errors import ConfigError, ExtractionError

    if kind not in ("auto", "table", "chart"):
        raise ConfigError(f"unknown kind {kind!r}", hint="use table, chart or auto")
    image = source if isinstance(source, LoadedImage) else load_image(source)
    if kind == "table":
        return read_table(image)
    if kind == "chart":
        return read_chart(image)
    chart = None
    try:
        chart = read_chart(image)
        if _plausible_chart(chart, image):
            return chart
    except ExtractionError:
        pass
    try:
        table = read_table(image)
    except ExtractionError as exc:
        if chart is not None and sum(b.value is not None for b in chart.bars) >= 2:
            return chart  # a doubtful chart is still better than nothing: values say so
        raise ExtractionError(f"{image.source}: found neither a table nor a bar chart",
                              hint="pass --kind table or --kind chart, or a clearer image"
                              ) from exc
    if chart is not None and _bar_share(chart, image) >= 0.03 and \
            grid_evidence(table.rows, table.section_rows)[1] < 0.7:
        # bars on a baseline, and "cells" that are mostly not values: a chart's tick labels
        # and annotations read as a table (measured on a two-panel README chart: 51 %
        # numeric cells; real tables here: 86-100 %) -- refuse rather than store them
        raise ExtractionError(
            f"{image.source}: looks like a bar chart whose values could not be read "
            f"({len(chart.bars)} bars; its text does not form a table)",
            hint="pass --kind chart to see what the chart reader finds, or crop one chart")
    return table


def _plausible_chart(chart: ChartResult, image: LoadedImage) -> bool:
    """Bars that are really a chart's: several, covering a visible share of the picture,
    read with some confidence and not all one value (coloured boxes in a table are not)."""
    values = [b.value for b in chart.bars if b.value is not None]
    if len(values) < 2 or len(set(values)) < 2:
        return False
    if any(note.startswith(AXIS_DROPPED) for note in chart.notes):
        return False  # its printed values contradicted its axis: two panels, or misread
    confidence = sorted(b.confidence for b in chart.bars)[len(chart.bars) // 2]
    return _bar_share(chart, image) >= 0.01 and confidence >= 0.6


def _bar_share(chart: ChartResult, image: LoadedImage) -> float:
    """The share of the picture covered by the chart reader's bars."""
    height, width = image.rgb.shape[:2]
    area = sum((b.box[2] - b.box[0]) * (b.box[3] - b.box[1]) for b in chart.bars)
    return area / (height * width)
