"""Row labels of the thirteenth set (helper h12v, issue 12): citations printed in hyperref's
green link boxes lose a bracket to the box's side ("[42", "[68)", "(2,", "| (14)", "168."),
OpenAI's o1 and o3 read "OpenAI-ol" and "OpenAI 03", a lone "Δ" read "A", a digit in a
hyphenated name read apart ("DeepSeek-R 1 -Distill"), a small italic lowercase subscript glued
to the name ("BC_base" read "BCtase")."""

from __future__ import annotations

import pytest

from modelbench.vision import read_table
from modelbench.vision.table_image import TableCell, _closed_citations

from .test_real_images import REAL, _truth

NAMES = ["ocrreasoning_main_results", "toolcua_osworld_mcp_table", "agentgym_main_results"]


@pytest.fixture(scope="module")
def tables(ocr):
    return {name: read_table(REAL / _truth(name)["image"], engine=ocr) for name in NAMES}


def _labels(table) -> list[str]:
    return [row[0].text for row in table.rows]


def test_boxed_citations_keep_both_brackets(tables):
    labels = _labels(tables["ocrreasoning_main_results"])
    for name in ("OpenAI-o3-mini [42]", "Claude-3.7-Sonnet [1]", "Qwen2.5-VL-32B [2]",
                 "InternVL3-2B [68]", "InternVL3-78B [68]", "DouBao-1.5-Vision-Pro [14]",
                 "VLAA-Thinker-Qwen2.5VL-7B [6]"):
        assert name in labels


def test_a_lone_digit_in_a_hyphenated_name_is_joined(tables):
    assert "DeepSeek-R1-Distill-Qwen-32B [13]" in _labels(tables["ocrreasoning_main_results"])


def test_o1_and_o3_are_read_as_letters(tables):
    assert "OpenAI-o1 [21]" in _labels(tables["ocrreasoning_main_results"])
    labels = _labels(tables["toolcua_osworld_mcp_table"])
    assert "OpenAI o3" in labels and "Δ" in labels


def test_a_column_without_square_citations_is_left_alone():
    texts = ["Model (7", "Model (13", "Other (2,", "Ours"]
    cells = [TableCell(t, 0, 0, (0, 0, 0, 0), 0.9) for t in texts]
    _closed_citations(cells)  # no label reads "[n]": nothing says the column cites
    assert [c.text for c in cells] == texts


def test_a_small_lowercase_subscript_is_written_with_an_underscore(tables):
    labels = _labels(tables["agentgym_main_results"])
    assert "BC_base" in labels and "BC_large" in labels  # were "BCtase", "BCrarge"
    assert "DeepSeek-Chat" in labels and "Llama2-Chat-13B" in labels
