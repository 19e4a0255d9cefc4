"""Sixteenth set of real images (helper h13f, issue 12): seven tables and seven bar charts, held out
and measured once on the session's final reader (see tests/vision/fixtures/real/README.md,
"Sixteenth set"). Truth typed by eye (unprinted bar tops read in PIL) and committed before the
reader ran on these images.

The floors are the figures measured once at the held-out run (h13f 40c2cb0 = main df3b4fb merged
in, ``bench_vision.py --real --folder`` on these fourteen images alone): a regression fails, a fix
may raise them. Images the reader refused there are ``REFUSED``: the test fails if an image that
was read is later refused, and lets a refused one start reading.
Scores come from ``benchmarks/vision_scoring.py`` (what ``bench_vision.py --real`` prints).
"""

from __future__ import annotations

import pytest

from modelbench.errors import ModelBenchError
from modelbench.vision import read_table

from .test_real_images import REAL, _assert_floors, _h12c_score, _truth, scoring

#: the reader refuses the image (measured so): a fix that reads it may raise the floor
REFUSED = None

# (right cell, labels exact, phantom, confident wrong) as measured at 40c2cb0 (= main df3b4fb)
SIXTEENTH_TABLE_FLOORS = {
    # open: 14/20 found, none in the right cell (three text columns before the numbers), 4 sure
    # wrong; the three Llama-2 labels read None
    "adaptiveattacks_success_table": (0, 9, 0, 4),
    "bas_buv2022_table": (70, 14, 0, 0),
    # open: the multirow Model Group column is taken for the labels (0/13): label_col 1 not found
    "clear_pope_chair_table": (83, 0, 0, 0),
    # open: refused ('no row of numbers'): dark terminal markdown table, unit cells ('9.354 s')
    "concur_benchmarkdotnet_summary": REFUSED,
    # open: refused ('only 33% of the rows have a label'): wrapped multirow Category column
    "globem_depression_auc_table": REFUSED,
    # open: 240/240 found, 1 in the right cell (columns shifted by the multirow Type column);
    # labels 11/24 ('WKM' read 'ITPr (Ours)')
    "itp_task_success_table": (1, 11, 0, 0),
    # open: the subscript 'Ours' glued ('NSP-BERTours')
    "nspbert_fewclue_table": (110, 10, 0, 0),
}

# (within 1 % of the axis range, confident wrong) as measured at 40c2cb0 (= main df3b4fb)
SIXTEENTH_CHART_FLOORS = {
    "deepseekv3_benchmark_bars": (36, 0),
    # open: of two adjacent bars of equal height (0.0579) one reads None
    "ndarray_runtime_bars": (8, 0),
    # open: the LPIPS panel (0-0.150) read about twice too high ('0.0876 read 0.1755'): 5 sure wrong
    "nvfp4dit_quality_panels": (15, 5),
    "percolation_runtime_bars": (2, 0),
    # open: 45-degree rotated overlapping labels: 10 of 20 bars None
    "qgnn_fraud_metrics": (10, 0),
    # open: the 1-px and 0.7 bars ('0.2', '0.7' printed) read None
    "schmittbo_method_errors": (6, 0),
    # open: the zero bar and the sub-pixel bar read None
    "smartcourse_context_metrics": (14, 0),
}

#: numbers printed in each table's body that the scorer counts (cells of one number)
SCORED_NUMBERS = {
    "adaptiveattacks_success_table": 20,  # four 'None' cells; '30%*' scores 30
    "bas_buv2022_table": 70,  # the Citation years are text
    "clear_pope_chair_table": 83,  # eight en-dash cells
    "concur_benchmarkdotnet_summary": 28,  # unit cells ('9.354 s', '1.5 GB') score their number
    "globem_depression_auc_table": 104,  # '0.536±0.026' scores 0.536
    "itp_task_success_table": 240,
    "nspbert_fewclue_table": 110,  # '37.4*' scores 37.4
}


@pytest.mark.parametrize("name", sorted(SIXTEENTH_TABLE_FLOORS))
def test_sixteenth_set_table_truth_is_well_formed(name):
    truth = _truth(name)
    assert truth["kind"] == "table" and (REAL / truth["image"]).is_file()
    width = len(truth["header"])
    assert all(len(row) == width for row in truth["rows"]), name
    empty = scoring.score_table_texts([], truth)
    assert empty.numbers == SCORED_NUMBERS[name]


@pytest.mark.parametrize("name", sorted(SIXTEENTH_CHART_FLOORS))
def test_sixteenth_set_chart_truth_is_well_formed(name):
    truth = _truth(name)
    assert truth["kind"] == "bar_chart" and (REAL / truth["image"]).is_file()
    assert truth["bars"] and all(b["series"] in truth["series"] for b in truth["bars"])
    assert all(b["label"] in truth["groups"] for b in truth["bars"])


def _read_or_none(name: str, ocr):
    """The table read, or None where the reader refuses it."""
    try:
        return read_table(REAL / _truth(name)["image"], engine=ocr)
    except ModelBenchError:
        return None


@pytest.fixture(scope="module")
def sixteenth(ocr):
    return {name: _read_or_none(name, ocr) for name in SIXTEENTH_TABLE_FLOORS}


@pytest.mark.parametrize("name", sorted(SIXTEENTH_TABLE_FLOORS))
def test_sixteenth_set_tables_meet_their_measured_floors(sixteenth, name):
    floors = SIXTEENTH_TABLE_FLOORS[name]
    if sixteenth[name] is None:
        assert floors is REFUSED, f"{name} refused; measured {floors}"
        return
    if floors is not REFUSED:  # a refused image that now reads has no floor yet
        _assert_floors(sixteenth[name], name, floors)


@pytest.mark.parametrize("name", sorted(SIXTEENTH_CHART_FLOORS))
def test_sixteenth_set_charts_meet_their_measured_floors(name, ocr):
    floors = SIXTEENTH_CHART_FLOORS[name]
    try:
        _chart, score = _h12c_score(name, ocr)
    except ModelBenchError:
        assert floors is REFUSED, f"{name} refused; measured {floors}"
        return
    if floors is not REFUSED:
        within, confident_wrong = floors
        assert score.within >= within and score.confident_wrong <= confident_wrong, score.misses
