"""Bar charts rendered at test time with known truth: values within 1 % of the axis range."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from modelbench.errors import ExtractionError
from modelbench.vision import read_chart

from .conftest import samples

CASES = {
    "vertical-value-labels": samples.ChartSpec(seed=21, value_labels=True, n_bars=5),
    "vertical-axis-rotated-45-grid": samples.ChartSpec(seed=22, rotation=45, grid=True,
                                                      n_bars=6),
    "vertical-axis-rotated-90-coloured": samples.ChartSpec(seed=23, rotation=90, colored=True,
                                                          n_bars=5, ymax=1.0, decimals=2),
    "horizontal-axis": samples.ChartSpec(seed=24, orientation="horizontal", n_bars=6,
                                         ymax=60.0),
    "horizontal-value-labels-grid": samples.ChartSpec(seed=25, orientation="horizontal",
                                                      value_labels=True, grid=True, n_bars=4),
    "vertical-dark-theme": samples.ChartSpec(seed=26, dark=True, n_bars=5, ymax=10.0),
    # (seeds without "T5-XL", which Tesseract reads "TS-XL" in several fonts: that known
    # confusion is measured by benchmarks/bench_vision.py, not hidden here)
    "vertical-axis-from-40-serif": samples.ChartSpec(seed=31, ymin=40.0, n_bars=5,
                                                     font=samples.SERIF, dpi=130),
    "vertical-labels-inside-outlined": samples.ChartSpec(seed=33, value_labels=True,
                                                         inside=True, edge=True, n_bars=5),
}


def _check(chart, truth, *, labels: bool = True):
    span = truth["axis"]["max"] - truth["axis"]["min"]
    expected = truth["bars"]
    assert len(chart.bars) == len(expected)
    for got, want in zip(chart.bars, expected, strict=True):
        assert got.value is not None, want
        assert abs(got.value - want["value"]) <= 0.01 * span, (got, want)
        assert 0.0 < got.confidence <= 1.0
        assert got.box[2] > got.box[0] and got.box[3] > got.box[1]
        if labels:
            assert got.label == want["label"]


@pytest.mark.parametrize("name", list(CASES))
def test_single_series_charts(ocr, name):
    sample = samples.render_chart(CASES[name])
    chart = read_chart(sample.data, engine=ocr)
    assert chart.orientation == CASES[name].orientation
    assert chart.layout == "single"
    _check(chart, sample.truth)
    methods = {b.method for b in chart.bars}
    assert methods == ({"value_label"} if CASES[name].value_labels else {"axis_fit"})


def test_printed_values_are_taken_exactly(ocr):
    sample = samples.render_chart(CASES["vertical-value-labels"])
    chart = read_chart(sample.data, engine=ocr)
    assert [b.value for b in chart.bars] == [b["value"] for b in sample.truth["bars"]]


def test_axis_fit_uses_the_ticks(ocr):
    sample = samples.render_chart(CASES["horizontal-axis"])
    chart = read_chart(sample.data, engine=ocr)
    assert chart.axis is not None and len(chart.axis.ticks) >= 4
    assert chart.axis.range >= 50


def test_grouped_bars_carry_their_series_from_the_legend(ocr):
    spec = samples.ChartSpec(seed=27, grouped=3, n_bars=4, value_labels=False, ymax=100.0)
    sample = samples.render_chart(spec)
    chart = read_chart(sample.data, engine=ocr)
    assert chart.layout == "grouped"
    assert chart.series == sample.truth["series"]
    _check(chart, sample.truth)
    pairs = chart.pairs()
    assert pairs[0] == {"label": sample.truth["bars"][0]["label"],
                        "series": sample.truth["bars"][0]["series"],
                        "value": chart.bars[0].value}
    assert [p["series"] for p in pairs] == [b["series"] for b in sample.truth["bars"]]


def test_a_chart_with_no_readable_axis_and_no_values_is_a_clear_error(ocr):
    sample = samples.render_chart(samples.ChartSpec(seed=28, show_axis=False, n_bars=5))
    with pytest.raises(ExtractionError, match="no value axis") as info:
        read_chart(sample.data, engine=ocr)
    assert "tick labels" in info.value.hint


def test_noise_is_not_a_chart(ocr):
    noise = np.random.default_rng(2).integers(0, 255, (480, 640, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format="PNG")
    with pytest.raises(ExtractionError, match="no chart|no bars"):
        read_chart(buffer.getvalue(), engine=ocr)


def test_a_picture_without_bars_is_a_clear_error(ocr):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buffer, format="PNG")
    with pytest.raises(ExtractionError, match="no bars"):
        read_chart(buffer.getvalue(), engine=ocr)
