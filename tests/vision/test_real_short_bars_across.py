"""Horizontal bars a pixel or two long (helper h12v, issue 12): Farm's HMR times, 7-37 ms on
a 9000 ms axis in ``farm_hmr_startup`` (thirteenth set), each with its value printed beside
it. They are too short to survive the opening that finds bars; the slots beside a group's
bars are searched as for vertical bars near zero (``_with_short_bars_across``)."""

from __future__ import annotations

from modelbench.vision import read_chart

from .test_real_images import REAL, _truth


def test_a_printed_value_beside_a_near_zero_bar_yields_the_bar(ocr):
    chart = read_chart(REAL / _truth("farm_hmr_startup")["image"], engine=ocr)
    found = {(b.label, round(b.value)) for b in chart.bars}
    assert {("Farm", 12), ("Vite", 25), ("Vite", 37)} <= found  # printed beside 1-4 px bars
    assert ("Farm", 439) in found and ("webpack", 8050) in found  # the long bars stay
    farm = [b for b in chart.bars if b.label == "Farm"]
    assert len(farm) == 3 and abs(farm[1].value - 8) <= 90  # 1 % of the 9000 ms axis


def test_an_empty_framed_bar_is_no_short_bar(ocr):
    # 'MLX · v2 Q4 quant' failed: an empty red frame, value null; its left side is two pixels
    # of colour on the axis, like a bar near zero, but the colour runs on along the frame
    chart = read_chart(REAL / _truth("zerank_mlx_throughput")["image"], engine=ocr)
    assert len(chart.bars) == 5 and not any(b.label.endswith("Q4 quant") for b in chart.bars)
