"""The opt-in RapidOCR engine (PP-OCRv4 through ``rapidocr-onnxruntime``) on a real fixture.

The ``rapidocr`` extra stays out of ``all`` (a user opts in), but the test tools (``dev``)
install it, so where ``rapidocr_onnxruntime`` is absent the tests skip naming the install
command, and fail under ``CI=true``. A crop of the body keeps the test well under 5 s:
detection time grows with the image's area.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import installed, require

from modelbench.vision import load_image
from modelbench.vision.ocr import RAPIDOCR_HINT, get_engine

REAL = Path(__file__).resolve().parent / "fixtures" / "real"

@pytest.fixture(scope="module")
def rows():
    """The body's right half of a real dataframe render (dfi_bikes_html.png, 790x288): the
    detector scales the short side up to 736 px, so a squarish crop is the cheap one."""
    require(installed("rapidocr_onnxruntime"), "rapidocr-onnxruntime", RAPIDOCR_HINT)
    gray = load_image(REAL / "dfi_bikes_html.png").gray
    return gray[40:288, 340:790]


def test_rapidocr_reads_the_printed_numbers_with_their_boxes(rows):
    words = get_engine("rapidocr").words(rows)
    texts = [w.text for w in words]
    for printed in ("993", "73.9", "623", "69.1"):
        assert printed in texts, texts
    by_text = {w.text: w for w in words}
    # same row: the same height; the duration column stands left of the temperature column
    assert abs(by_text["993"].cy - by_text["73.9"].cy) < 8
    assert by_text["993"].cx < by_text["73.9"].cx
    assert by_text["993"].cy < by_text["623"].cy  # row 0 above row 1
    assert all(0.0 <= w.confidence <= 1.0 for w in words)


def test_rapidocr_reads_one_cell_as_a_line(rows):
    # the "993" cell with its margins (measured: cut tight to the digits it reads "999" at 0.77)
    word = get_engine("rapidocr").line(rows[5:50, 50:140])
    assert word is not None and word.text == "993", word
    assert word.confidence > 0.9, word
