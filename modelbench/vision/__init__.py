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

from .chart_image import AxisFit, ChartResult, read_chart
from .loader import MAX_PIXELS, LoadedImage, load_image
from .ocr import OcrEngine, OcrWord, TesseractEngine, get_engine, ocr_available
from .results import ImageValue, to_benchmark_results
from .table_image import TableCell, TableResult, read_table

__all__ = [
    "read_table", "read_chart", "read_image", "TableResult", "TableCell", "ChartResult",
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
    try:
        chart = read_chart(image)
        if len(chart.bars) >= 2 and sum(b.value is not None for b in chart.bars) >= 2:
            return chart
    except ExtractionError:
        pass
    try:
        return read_table(image)
    except ExtractionError as exc:
        raise ExtractionError(f"{image.source}: found neither a table nor a bar chart",
                              hint="pass --kind table or --kind chart, or a clearer image"
                              ) from exc
