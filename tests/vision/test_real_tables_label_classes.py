"""Row labels of real tables (helper h12l2, issue 12): five classes of label slips left on the
53 real tables (labels 487/504 exact before these rules, ``benchmarks/bench_vision.py --real
--tables``):

- a model's ISO snapshot date with a letter for a digit ("Claude-3.5-Sonnet-2024-1o-22"),
- a "Mon D, YYYY" date among others with a month and a day misread ("Dev 2@, 2019"),
- a text column run into cited labels ("EgoTaskQA [33] Spatial / Temporal / Causal"),
- a name printed against its bracket ("MMMU(val)") read with a space,
- a subscript closing a name ("SEEDBench" + small low "IMG") read as "SEEDBenchimc".
"""

from __future__ import annotations

import pytest

from modelbench.vision import read_table
from modelbench.vision.table_image import TableCell, _mend_dates, _text_after_citation

from .test_real_images import REAL, _truth

NAMES = ["visfactor_heatmap_top8", "rich_terminal_table", "egothink_comparison",
         "spikingbrain_vlm_table", "sdar_science_results"]


@pytest.fixture(scope="module")
def tables(ocr):
    return {name: read_table(REAL / _truth(name)["image"], engine=ocr) for name in NAMES}


def _labels(table, col: int = 0) -> list[str]:
    return [row[col].text for row in table.rows]


def test_an_iso_snapshot_date_has_only_digits(tables):
    labels = _labels(tables["visfactor_heatmap_top8"])
    assert "Claude-3.5-Sonnet-2024-10-22" in labels  # was "2024-1o-22"
    assert "GPT-4o-2024-11-20" in labels  # the model's own "o" stays


def test_a_month_date_among_dates_is_mended(tables):
    assert _labels(tables["rich_terminal_table"]) == ["Dec 20, 2019", "May 25, 2018",
                                                      "Dec 15, 2017"]  # was "Dev 2@, 2019"


def test_a_lone_month_like_word_is_left_alone():
    cells = [TableCell(t, 0, 0, (0, 0, 0, 0), 0.9) for t in ["Dev 2@, 2019", "GPT-4"]]
    _mend_dates(cells)  # no column of dates to go by
    assert [c.text for c in cells] == ["Dev 2@, 2019", "GPT-4"]


def test_words_after_a_citation_belong_to_the_next_column(tables):
    table = tables["egothink_comparison"]
    labels = _labels(table)
    assert labels[0] == "VL-CheckList [81]" and labels[6] == "EgoTaskQA [33]"
    assert table.rows[0][1].text.startswith("Object / Attribute / Relation")
    assert labels[8] == "EgoThink (Ours)"  # an uncited label keeps its words


def test_a_number_in_the_next_column_takes_no_words():
    cell = lambda text, col: TableCell(text, 0, col, (0, 0, 0, 0), 0.9)  # noqa: E731
    rows = [[cell("MME [18] extra", 0), cell("86.4", 1)], [cell("MMB [5]", 0), cell("", 1)]]
    rows[0][1].parsed = object()  # a parsed number
    _text_after_citation(rows, 0)
    assert rows[0][0].text == "MME [18] extra" and rows[0][1].text == "86.4"


def test_a_name_printed_against_its_bracket_has_no_space(tables):
    assert "MMMU(val)" in _labels(tables["spikingbrain_vlm_table"])  # was "MMMU (val)"
    labels = _labels(tables["sdar_science_results"], _truth("sdar_science_results")["label_col"])
    assert "Intern-S1 (235B-A22B)" in labels and "SDAR-30B-A3B-Sci(S)" in labels


def test_a_subscript_after_a_name_is_written_with_an_underscore(tables):
    labels = _labels(tables["spikingbrain_vlm_table"])
    assert "SEEDBench_IMG" in labels  # was "SEEDBenchimc"
    assert {"MMBench", "ScienceQA", "RealWorldQA", "OCRBench"} <= set(labels)
