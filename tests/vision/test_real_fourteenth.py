"""Fourteenth set of real images (helper h12w, issue 12): seven tables and four bar charts,
held out and measured once on the session's final reader (see
tests/vision/fixtures/real/README.md, "Fourteenth set"). Truth typed by eye and committed
before the reader ran on these images.

Until the held-out measurement, the reader floors are placeholders that any score meets
(``UNMEASURED``), so the suite stays green whatever the reader does; after it, they are the
figures measured there (a regression fails, a fix may raise them).
Scores come from ``benchmarks/vision_scoring.py`` (what ``bench_vision.py --real`` prints).
"""

from __future__ import annotations

import pytest

from modelbench.vision import read_table

from .test_real_images import REAL, _assert_floors, _h12c_score, _truth, scoring

#: a floor every score meets: (right cell, labels exact) >= 0, (phantom, confident wrong) <= big
UNMEASURED = (0, 0, 10**6, 10**6)

# (right cell, labels exact, phantom, confident wrong); UNMEASURED until the held-out run
FOURTEENTH_TABLE_FLOORS = {
    "aiwaves_llm_benchmarks": UNMEASURED,
    "atf_formalizers_table": UNMEASURED,
    "magicdrive_fidelity_table": UNMEASURED,
    "optmath_benchmarks_table": UNMEASURED,
    "rangebev_kitti_recall": UNMEASURED,
    "stepsearch_main_results": UNMEASURED,
    "vicur_main_results": UNMEASURED,
}

# (within 1 % of the axis range, confident wrong); UNMEASURED until the held-out run
FOURTEENTH_CHART_FLOORS = {
    "akaraalpha_cer_benchmark": (0, 10**6),
    "hypershadow_tier_accuracy": (0, 10**6),
    "tmllm_imdb_counterfactual": (0, 10**6),
    "uirft_screenspot_scores": (0, 10**6),
}

#: numbers printed in each table's body that the scorer counts (cells of one number)
SCORED_NUMBERS = {
    "aiwaves_llm_benchmarks": 20,  # the two HotPotQA columns hold "24 / 38.8": not scored
    "atf_formalizers_table": 150,
    "magicdrive_fidelity_table": 20,
    "optmath_benchmarks_table": 103,  # two '*' cells
    "rangebev_kitti_recall": 0,  # every cell "a / b / c": labels only
    "stepsearch_main_results": 252,  # 28 '-' cells
    "vicur_main_results": 96,
}


@pytest.mark.parametrize("name", sorted(FOURTEENTH_TABLE_FLOORS))
def test_fourteenth_set_table_truth_is_well_formed(name):
    truth = _truth(name)
    assert truth["kind"] == "table" and (REAL / truth["image"]).is_file()
    width = len(truth["header"])
    assert all(len(row) == width for row in truth["rows"]), name
    empty = scoring.score_table_texts([], truth)
    assert empty.numbers == SCORED_NUMBERS[name]


@pytest.mark.parametrize("name", sorted(FOURTEENTH_CHART_FLOORS))
def test_fourteenth_set_chart_truth_is_well_formed(name):
    truth = _truth(name)
    assert truth["kind"] == "bar_chart" and (REAL / truth["image"]).is_file()
    assert truth["bars"] and all(b["series"] in truth["series"] for b in truth["bars"])
    assert all(b["label"] in truth["groups"] for b in truth["bars"])


@pytest.fixture(scope="module")
def fourteenth(ocr):
    return {name: read_table(REAL / _truth(name)["image"], engine=ocr)
            for name in FOURTEENTH_TABLE_FLOORS}


@pytest.mark.parametrize("name", sorted(FOURTEENTH_TABLE_FLOORS))
def test_fourteenth_set_tables_meet_their_measured_floors(fourteenth, name):
    _assert_floors(fourteenth[name], name, FOURTEENTH_TABLE_FLOORS[name])


@pytest.mark.parametrize("name", sorted(FOURTEENTH_CHART_FLOORS))
def test_fourteenth_set_charts_meet_their_measured_floors(name, ocr):
    within, confident_wrong = FOURTEENTH_CHART_FLOORS[name]
    _chart, score = _h12c_score(name, ocr)
    assert score.within >= within and score.confident_wrong <= confident_wrong, score.misses
