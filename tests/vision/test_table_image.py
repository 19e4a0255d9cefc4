"""Tables rendered at test time with known truth: ruled, booktabs, unruled; two fonts; JPEG."""

from __future__ import annotations

import io

import numpy as np
import pytest

from modelbench.errors import ExtractionError
from modelbench.vision import read_table

from .conftest import samples

HEADER = ["Model", "MMLU", "GSM8K", "HumanEval", "ARC-C"]
ROWS = [
    ["Llama-3-8B", "66.6", "79.6", "62.2%", "78.6"],
    ["Mistral-7B", "62.5", "52.2", "30.5%", "-"],
    ["Qwen2-72B", "84.2", "91.1", "86.0%", "68.9"],
    ["Gemma-2-9B", "71.3 ± 0.4", "68.6", "40.2%", "89.1"],
    ["Phi-3-mini", "68.8", "82.5", "58.5%", "84.9"],
]


def _spec(style, font=samples.SANS, **kwargs):
    return samples.TableSpec(seed=5, style=style, font=font, header=HEADER, rows=ROWS,
                             **kwargs)


CASES = {
    "grid-sans": _spec("grid"),
    "booktabs-serif": _spec("booktabs", samples.SERIF),
    "plain-sans": _spec("plain"),
    "grid-serif": _spec("grid", samples.SERIF, dpi=150),
    "booktabs-sans-lowres-jpeg": _spec("booktabs", fmt="jpeg", dpi=80),
}


@pytest.mark.parametrize("name", list(CASES))
def test_every_cell_is_read_exactly(ocr, name):
    sample = samples.render_table(CASES[name])
    table = read_table(sample.data, engine=ocr)
    assert table.texts() == ROWS
    if "lowres" in name:
        # 80 dpi JPEG: Tesseract reads the bold header "HumanEval" as "HumaneEval" here;
        # the body above must still be exact.
        assert sum(a == b for a, b in zip(table.header, HEADER, strict=True)) >= 4
    else:
        assert table.header == HEADER


def test_numbers_are_parsed_by_the_project_parser(ocr):
    table = read_table(samples.render_table(CASES["grid-sans"]).data, engine=ocr)
    gemma = table.rows[3]
    assert gemma[1].value == 71.3 and gemma[1].parsed.plus_minus == 0.4
    assert table.rows[0][3].value == 62.2 and table.rows[0][3].parsed.percent
    assert table.rows[1][4].missing and table.rows[1][4].value is None
    values = {(v.label, v.column): v for v in table.values()}
    assert values[("Qwen2-72B", "GSM8K")].value == 91.1
    assert values[("Qwen2-72B", "GSM8K")].method == "table_ocr"
    assert 0.5 < values[("Qwen2-72B", "GSM8K")].confidence <= 1.0
    x0, y0, x1, y1 = values[("Qwen2-72B", "GSM8K")].box
    assert 0 <= x0 < x1 and 0 <= y0 < y1


@pytest.mark.parametrize("name", ["grid-sans", "booktabs-serif", "plain-sans"])
def test_bold_marks_the_best_of_each_column(ocr, name):
    sample = samples.render_table(CASES[name])
    table = read_table(sample.data, engine=ocr)
    bold = sorted([c.row, c.col] for row in table.rows for c in row if c.bold)
    assert bold == sorted(sample.truth["styles"]["bold"])


def test_section_rows_are_labels_not_models(ocr):
    spec = samples.TableSpec(seed=9, style="grid", header=HEADER,
                             rows=[["Open models", "", "", "", ""]] + ROWS[:3], section=False)
    sample = samples.render_table(spec)
    table = read_table(sample.data, engine=ocr)
    assert table.section_rows == [0]
    assert table.texts()[0] == ["Open models", "", "", "", ""]
    assert {v.section for v in table.values()} == {"Open models"}
    assert "Open models" not in {v.label for v in table.values()}


def test_a_photo_with_no_table_is_a_clear_error(ocr):
    noise = np.random.default_rng(1).integers(0, 255, (400, 600, 3), dtype=np.uint8)
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format="PNG")
    with pytest.raises(ExtractionError, match="no table") as info:
        read_table(buffer.getvalue(), engine=ocr)
    assert info.value.hint


def test_a_blank_page_is_a_clear_error(ocr):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (500, 300), "white").save(buffer, format="PNG")
    with pytest.raises(ExtractionError, match="no table"):
        read_table(buffer.getvalue(), engine=ocr)


def test_light_on_dark_table(ocr):
    from PIL import Image, ImageOps

    rendered = Image.open(io.BytesIO(samples.render_table(CASES["grid-sans"]).data))
    buffer = io.BytesIO()
    ImageOps.invert(rendered.convert("RGB")).save(buffer, format="PNG")
    table = read_table(buffer.getvalue(), engine=ocr)
    assert table.texts() == ROWS and table.header == HEADER
    assert sorted([c.row, c.col] for row in table.rows for c in row if c.bold) == \
        [[2, 1], [2, 2], [2, 3], [3, 4]]


@pytest.mark.parametrize("printed", ["CCPEN", "CCPFN"])
def test_e_or_f_is_told_by_the_letters_foot(printed):
    """A vote that turns an "F" into an "E" (or back) is checked on the glyph: an "E" has a
    bar along the baseline, an "F" does not (serif letters drawn by OpenCV)."""
    import cv2

    from modelbench.vision.table_image import _e_or_f_by_foot

    image = np.full((60, 200), 255, np.uint8)
    cv2.putText(image, printed, (5, 45), cv2.FONT_HERSHEY_TRIPLEX, 1.3, 0, 3)
    other = printed.replace("E", "#").replace("F", "E").replace("#", "F")
    assert _e_or_f_by_foot(other, printed, image < 128, 30.0) == printed
    assert _e_or_f_by_foot(printed, other, image < 128, 30.0) == printed
    assert _e_or_f_by_foot("CCPEX", printed, image < 128, 30.0) == "CCPEX"  # not E/F alone


@pytest.mark.parametrize(("text", "short"), [("+25.5", True), ("425.5", False), ("48.0", False)])
def test_a_plus_is_told_from_a_four_by_its_height(text, short):
    """A plus is shorter than the digits after it; a '4' is as tall (_plus_read_as_four)."""
    import cv2

    from modelbench.vision.table_image import _first_glyph_short, _Page

    gray = np.full((40, 140), 255, np.uint8)
    cv2.putText(gray, text, (5, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    page = _Page(gray, None, 1.0, [], [], 20.0)
    assert _first_glyph_short(page, (0, 0, 140, 40)) is short
