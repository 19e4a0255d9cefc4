"""Sixteenth set of real images (helper h13f, issue 12): seven tables and seven bar charts, held out
and measured once on the session's final reader (see tests/vision/fixtures/real/README.md,
"Sixteenth set"). Truth typed by eye (unprinted bar tops read in PIL) and committed before the
reader ran on these images.

Until the held-out measurement, the reader floors are placeholders that any score meets
(``UNMEASURED``), so the suite stays green whatever the reader does; after it, they are the
figures measured there (a regression fails, a fix may raise them). Images the reader refuses are
``REFUSED``: the test fails if an image that was read is later refused.
Scores come from ``benchmarks/vision_scoring.py`` (what ``bench_vision.py --real`` prints).
"""

from __future__ import annotations

import pytest

from modelbench.errors import ModelBenchError
from modelbench.vision import read_table

from .test_real_images import REAL, _assert_floors, _h12c_score, _truth, scoring

#: a floor every score meets: (right cell, labels exact) >= 0, (phantom, confident wrong) <= big
UNMEASURED = (0, 0, 10**6, 10**6)
#: the reader refuses the image (measured so): a fix that reads it may raise the floor
REFUSED = None

# (right cell, labels exact, phantom, confident wrong); UNMEASURED until the held-out run
SIXTEENTH_TABLE_FLOORS = {
    "adaptiveattacks_success_table": UNMEASURED,
    "bas_buv2022_table": UNMEASURED,
    "clear_pope_chair_table": UNMEASURED,
    "concur_benchmarkdotnet_summary": UNMEASURED,
    "globem_depression_auc_table": UNMEASURED,
    "itp_task_success_table": UNMEASURED,
    "nspbert_fewclue_table": UNMEASURED,
}

# (within 1 % of the axis range, confident wrong); UNMEASURED until the held-out run
SIXTEENTH_CHART_FLOORS = {
    "deepseekv3_benchmark_bars": (0, 10**6),
    "ndarray_runtime_bars": (0, 10**6),
    "nvfp4dit_quality_panels": (0, 10**6),
    "percolation_runtime_bars": (0, 10**6),
    "qgnn_fraud_metrics": (0, 10**6),
    "schmittbo_method_errors": (0, 10**6),
    "smartcourse_context_metrics": (0, 10**6),
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
        assert floors is REFUSED or floors == UNMEASURED, f"{name} refused; measured {floors}"
        return
    if floors is not REFUSED:  # a refused image that now reads has no floor yet
        _assert_floors(sixteenth[name], name, floors)


@pytest.mark.parametrize("name", sorted(SIXTEENTH_CHART_FLOORS))
def test_sixteenth_set_charts_meet_their_measured_floors(name, ocr):
    floors = SIXTEENTH_CHART_FLOORS[name]
    try:
        _chart, score = _h12c_score(name, ocr)
    except ModelBenchError:
        assert floors is REFUSED or floors == (0, 10**6), f"{name} refused; measured {floors}"
        return
    if floors is not REFUSED:
        within, confident_wrong = floors
        assert score.within >= within and score.confident_wrong <= confident_wrong, score.misses
