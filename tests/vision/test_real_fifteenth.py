"""Fifteenth set of real images (helper h13c, issue 12): six tables and six bar charts, held out
and measured once on the session's final reader (see tests/vision/fixtures/real/README.md,
"Fifteenth set"). Truth typed by eye (bar tops checked in PIL) and committed before the reader
ran on these images.

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
FIFTEENTH_TABLE_FLOORS = {
    "adavar_benchmarks_table": UNMEASURED,
    "fblnet_dada_bdda_table": UNMEASURED,
    "sdanet_security_ap_table": UNMEASURED,
    "selftranslate_main_results": UNMEASURED,
    "synthiasf_compression_table": UNMEASURED,
    "toi_baselines_table": UNMEASURED,
}

# (within 1 % of the axis range, confident wrong); UNMEASURED until the held-out run
FIFTEENTH_CHART_FLOORS = {
    "ddos_early_exit_flows": (0, 10**6),
    "easyreact_operator_benchmark": (0, 10**6),
    "openmldb_normalized_latency": (0, 10**6),
    "planthealth_model_metrics": (0, 10**6),
    "revisualr1_accuracy_comparison": (0, 10**6),
    "studies_per_year_counts": (0, 10**6),
}

#: numbers printed in each table's body that the scorer counts (cells of one number)
SCORED_NUMBERS = {
    "adavar_benchmarks_table": 158,  # four '-' cells; '31.2*' scores 31.2
    "fblnet_dada_bdda_table": 96,
    "sdanet_security_ap_table": 80,  # 24 '-' cells
    "selftranslate_main_results": 91,  # 84 values ('52.8 (-0.8)' scores 52.8) + 7 Size cells
    "synthiasf_compression_table": 36,
    "toi_baselines_table": 57,  # six '-' cells; the check-mark columns hold no number
}


@pytest.mark.parametrize("name", sorted(FIFTEENTH_TABLE_FLOORS))
def test_fifteenth_set_table_truth_is_well_formed(name):
    truth = _truth(name)
    assert truth["kind"] == "table" and (REAL / truth["image"]).is_file()
    width = len(truth["header"])
    assert all(len(row) == width for row in truth["rows"]), name
    empty = scoring.score_table_texts([], truth)
    assert empty.numbers == SCORED_NUMBERS[name]


@pytest.mark.parametrize("name", sorted(FIFTEENTH_CHART_FLOORS))
def test_fifteenth_set_chart_truth_is_well_formed(name):
    truth = _truth(name)
    assert truth["kind"] == "bar_chart" and (REAL / truth["image"]).is_file()
    assert truth["bars"] and all(b["series"] in truth["series"] for b in truth["bars"])
    assert all(b["label"] in truth["groups"] for b in truth["bars"])


@pytest.fixture(scope="module")
def fifteenth(ocr):
    return {name: read_table(REAL / _truth(name)["image"], engine=ocr)
            for name in FIFTEENTH_TABLE_FLOORS}


@pytest.mark.parametrize("name", sorted(FIFTEENTH_TABLE_FLOORS))
def test_fifteenth_set_tables_meet_their_measured_floors(fifteenth, name):
    _assert_floors(fifteenth[name], name, FIFTEENTH_TABLE_FLOORS[name])


@pytest.mark.parametrize("name", sorted(FIFTEENTH_CHART_FLOORS))
def test_fifteenth_set_charts_meet_their_measured_floors(name, ocr):
    within, confident_wrong = FIFTEENTH_CHART_FLOORS[name]
    _chart, score = _h12c_score(name, ocr)
    assert score.within >= within and score.confident_wrong <= confident_wrong, score.misses
