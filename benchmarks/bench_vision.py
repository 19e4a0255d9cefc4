"""Accuracy and speed of reading tables and bar charts from images.

Generated set (seeded, ``vision_samples.py``): ≥ 40 tables, ≥ 20 charts in varied styles;
plus the real images (``tests/vision/fixtures/real`` and the first set in
``tests/fixtures/images``, or ``../shared/fixtures/images``) with truth transcribed by eye,
scored by ``vision_scoring.py``: per image and in total, the printed numbers found, in the
right cell, row labels exact, phantom numbers, refusals, chart bars within 1 % of the axis
range, wrong values given high confidence, CPU seconds per image.

Rows: numeric cells exact (goal ≥ 99 %), text cells exact (≥ 97 %), chart values within 1 %
of the axis range (≥ 95 % of bars), seconds per table image on one core (≤ 0.5 s; the
peer is the OCR pass alone, the floor any OCR reader pays), and the real images.

Usage: ``python benchmarks/bench_vision.py [--quick]``; ``--real``: the real images alone;
``--real --engine rapidocr``: the real images read with another OCR engine;
``--real --folder DIR``: only the images with truth files in ``DIR`` (a held-out set kept
outside the repository, measured before it joins the fixtures).
``--engine tesseract+rapidocr``: charts read by both engines' vote (``read_chart_voted``);
``--charts`` / ``--tables``: the real charts / tables alone (a table's detail names its
first label misses: printed label, label read).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import vision_samples as samples  # noqa: E402
import vision_scoring as scoring  # noqa: E402
from common import Row  # noqa: E402


def _is_numeric(text: str) -> bool:
    from modelbench.numbers import parse_number

    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def score_table(got: list[list[str]], truth: list[list[str]]) -> tuple[int, int, int, int]:
    """(numeric exact, numeric total, text exact, text total) over the truth's body cells."""
    numeric_ok = numeric_n = text_ok = text_n = 0
    for i, row in enumerate(truth):
        for j, cell in enumerate(row):
            if cell == "" and j > 0:
                continue
            hit = i < len(got) and j < len(got[i]) and got[i][j] == cell
            if j > 0 and _is_numeric(cell):
                numeric_n += 1
                numeric_ok += hit
            else:
                text_n += 1
                text_ok += hit
    return numeric_ok, numeric_n, text_ok, text_n


def score_chart(bars, truth: dict) -> tuple[int, int]:
    """Bars whose value is within 1 % of the axis range, matched in reading order."""
    expected = [b for b in truth["bars"] if b["value"] is not None]
    span = (truth["axis"].get("max") or 1.0) - (truth["axis"].get("min") or 0.0)
    ok = 0
    for index, bar in enumerate(expected):
        if index < len(bars) and bars[index].value is not None and \
                abs(bars[index].value - bar["value"]) <= 0.01 * span:
            ok += 1
    return ok, len(expected)


def _tables(quick: bool):
    from modelbench.vision import get_engine, load_image, read_table
    from modelbench.vision.table_image import _prepare

    counts = [0, 0, 0, 0]
    bold = [0, 0, 0]  # found and right, found but wrong, missed
    seconds, ocr_only = [], []
    failures = []
    for spec in samples.table_specs(12 if quick else 40):
        sample = samples.render_table(spec)
        start = time.perf_counter()
        try:
            table = read_table(sample.data)
            got = [[c.text for c in row] for row in table.rows]
            found = {(c.row, c.col) for row in table.rows for c in row if c.bold and c.col}
            truth = {tuple(x) for x in sample.truth["styles"]["bold"]}
            bold[0] += len(found & truth)
            bold[1] += len(found - truth)
            bold[2] += len(truth - found)
        except Exception as exc:  # a failed read scores zero, it does not stop the run
            got = []
            failures.append(f"{sample.name}: {exc}")
        seconds.append(time.perf_counter() - start)
        page = _prepare(load_image(sample.data))
        start = time.perf_counter()
        get_engine().words(page.gray)
        ocr_only.append(time.perf_counter() - start)
        for k, v in enumerate(score_table(got, sample.truth["rows"])):
            counts[k] += v
    return counts, bold, statistics.median(seconds), statistics.median(ocr_only), failures


def _charts(quick: bool):
    from modelbench.vision import read_chart

    ok = total = labels = 0
    failures = []
    seconds = []
    for spec in samples.chart_specs(8 if quick else 24):
        sample = samples.render_chart(spec)
        start = time.perf_counter()
        try:
            bars = read_chart(sample.data).bars
        except Exception as exc:
            bars = []
            failures.append(f"{sample.name}: {exc}")
        seconds.append(time.perf_counter() - start)
        good, n = score_chart(bars, sample.truth)
        ok += good
        total += n
        labels += sum(1 for got, want in zip(bars, sample.truth["bars"], strict=False)
                      if got.label == want["label"] and got.series == want.get("series", ""))
    return ok, total, labels, statistics.median(seconds), failures


def fixture_rows(engine_name: str | None = None, folder: str | None = None,
                 charts_only: bool = False, tables_only: bool = False) -> list[Row]:
    """One row per real image, then the totals (timed on one core: OpenCV threads off;
    Tesseract's OpenMP is capped by the engine itself, RapidOCR runs one ONNX thread).
    ``engine_name``: the OCR engine to read with (``tesseract``, ``rapidocr``), or engines
    joined by ``+`` (``tesseract+rapidocr``: charts read by ``read_chart_voted``);
    ``folder``: score that folder's images instead of the fixtures; ``charts_only`` /
    ``tables_only``: one kind of image alone."""
    import cv2

    from modelbench.vision.ocr import get_engine

    cv2.setNumThreads(1)
    engine = None
    if engine_name:
        names = engine_name.split("+")
        engine = [get_engine(n) for n in names] if len(names) > 1 else get_engine(names[0])
    kinds = ("bar_chart",) if charts_only else ("table",) if tables_only else (
        "table", "bar_chart")
    folders = (Path(folder),) if folder else (scoring.REAL, scoring.EARLIER)
    tables, charts = scoring.score_all(scoring.fixtures(*folders), engine, kinds)
    out = []
    for t in tables:
        share = t.right_cell / max(1, t.numbers)
        out.append(Row(f"vision real table {t.name}", "transcribed truth", share, "reported",
                       True, _table_detail(t)))
    for c in charts:
        out.append(Row(f"vision real chart {c.name}", "transcribed truth",
                       c.within / max(1, c.bars), "reported", True, _chart_detail(c)))
    tt, ct = scoring.totals(tables), scoring.totals(charts)
    if tables:
        right = tt["right_cell"] / max(1, tt["numbers"])
        labels = tt["labels_ok"] / max(1, tt["labels"])
        phantom = tt["phantom"] / max(1, tt["numbers"])
        out += [
            Row("vision real tables: numbers in the right cell", "truth", right, ">= 0.99",
                right >= 0.99, _table_detail_totals(tt, len(tables))),
            Row("vision real tables: row labels exact", "truth", labels, ">= 0.97",
                labels >= 0.97, f"{tt['labels_ok']}/{tt['labels']}"),
            Row("vision real tables: phantom numbers per printed number", "truth", phantom,
                "<= 0.01", phantom <= 0.01, f"{tt['phantom']} phantom"),
        ]
    if charts:
        within = ct["within"] / max(1, ct["bars"])
        out.append(Row("vision real charts: bars within 1% of axis range", "truth", within,
                       ">= 0.95", within >= 0.95,
                       f"{ct['within']}/{ct['bars']}; N/A bars given a value "
                       f"{ct['na_given_value']}/{ct['na_bars']}; refused {ct['refused']}"
                       f"/{len(charts)}; wrong at any confidence {ct['wrong']}, of them "
                       f"confident {ct['confident_wrong']}"))
    wrong = (tt.get("confident_wrong", 0) + ct.get("confident_wrong", 0)) / max(
        1, tt.get("numbers", 0) + ct.get("bars", 0))
    out.append(Row("vision real: wrong values with high confidence", "truth", wrong,
                   "<= 0.01", wrong <= 0.01,
                   f"confidence >= {scoring.HIGH_CONFIDENCE}: "
                   f"{tt.get('confident_wrong', 0) + ct.get('confident_wrong', 0)}"))
    seconds = sorted([t.seconds for t in tables] + [c.seconds for c in charts])
    if seconds:
        median = seconds[len(seconds) // 2]
        out.append(Row("vision real: seconds per image (median, one core)", "goal 2 s",
                       median / 2.0, "<= 2 s", median <= 2.0, f"median {median:.2f} s"))
    return out


def _table_detail(t) -> str:
    if t.refused:
        return f"REFUSED ({t.error}); {t.numbers} numbers printed"
    misses = "; ".join(f"{want!r} read {got!r}" for want, got in t.label_misses[:4])
    return (f"found {t.found}/{t.numbers}, right cell {t.right_cell}, labels "
            f"{t.labels_ok}/{t.labels}, phantom {t.phantom}, confident wrong "
            f"{t.confident_wrong}; {t.seconds:.1f} s"
            + (f"; label misses: {misses}" if misses else ""))


def _table_detail_totals(tt: dict, n: int) -> str:
    return (f"{tt['right_cell']}/{tt['numbers']}; found anywhere {tt['found']}; "
            f"refused {tt['refused']}/{n}")


def _chart_detail(c) -> str:
    if c.refused:
        return f"REFUSED ({c.error}); {c.bars} bars"
    misses = "; ".join(f"{m[0]}/{m[1]}: {m[2]} read {m[3]}" for m in c.misses[:4])
    return (f"within {c.within}/{c.bars}, N/A given value {c.na_given_value}/{c.na_bars}, "
            f"wrong {c.wrong} (confident {c.confident_wrong}); {c.seconds:.1f} s"
            + (f"; misses: {misses}" if misses else ""))


def rows(quick: bool = False) -> list[Row]:
    """The vision area's benchmark rows (timed on one core: OpenMP and OpenCV threads off)."""
    import cv2

    cv2.setNumThreads(1)
    (n_ok, n_n, t_ok, t_n), bold, per_table, ocr_only, table_failures = _tables(quick)
    chart_ok, chart_n, chart_labels, per_chart, chart_failures = _charts(quick)
    bold_f1 = 2 * bold[0] / max(1, 2 * bold[0] + bold[1] + bold[2])
    numeric = n_ok / max(1, n_n)
    text = t_ok / max(1, t_n)
    charts = chart_ok / max(1, chart_n)
    out = [
        Row("vision table numeric cells exact", "truth", numeric, ">= 0.99", numeric >= 0.99,
            f"{n_ok}/{n_n}" + (f"; failed: {table_failures[:3]}" if table_failures else "")),
        Row("vision table text cells exact", "truth", text, ">= 0.97", text >= 0.97,
            f"{t_ok}/{t_n}"),
        Row("vision chart values within 1% of axis range", "truth", charts, ">= 0.95",
            charts >= 0.95,
            f"{chart_ok}/{chart_n}" + (f"; failed: {chart_failures[:3]}" if chart_failures
                                       else "")),
        Row("vision seconds per table image (one core)", "OCR pass alone",
            ocr_only / per_table, "<= 0.5 s", per_table <= 0.5,
            f"median {per_table:.3f} s per image, OCR alone {ocr_only:.3f} s"),
        Row("vision table bold cells (F1)", "truth", bold_f1, "reported", True,
            f"right {bold[0]}, false {bold[1]}, missed {bold[2]}"),
        Row("vision chart labels+series exact", "truth", chart_labels / max(1, chart_n),
            "reported", True, f"{chart_labels}/{chart_n}; median {per_chart:.2f} s per chart"),
    ]
    out.extend(fixture_rows())
    return out


if __name__ == "__main__":
    from rich.console import Console
    from rich.table import Table

    table = Table("benchmark", "peer", "ratio", "goal", "result", "detail")
    def option(name: str) -> str | None:
        return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None

    chosen = (fixture_rows(option("--engine"), option("--folder"), "--charts" in sys.argv,
                           "--tables" in sys.argv)
              if "--real" in sys.argv
              else rows(quick="--quick" in sys.argv))
    for row in chosen:
        table.add_row(row.benchmark, row.peer, f"{row.ratio:.3f}", row.goal,
                      "met" if row.met else "not met", row.detail)
    Console(width=200).print(table)
