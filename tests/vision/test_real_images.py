"""The second set of real images (tests/vision/fixtures/real) against their transcribed truth.

Scores come from ``benchmarks/vision_scoring.py`` (what ``bench_vision.py --real`` prints).
Floors are what the readers measurably reach on each image, set at or just under the measured
figure so a regression fails; each failure class of issue 12 seen in these images has its own
assertion on the cells that showed it.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from conftest import REPO

from modelbench.vision import read_chart, read_table


def _load_scoring():
    sys.path.insert(0, str(REPO))
    spec = importlib.util.spec_from_file_location(
        "vision_scoring", REPO / "benchmarks" / "vision_scoring.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("vision_scoring", module)
    spec.loader.exec_module(module)
    return module


REAL = Path(__file__).resolve().parent / "fixtures" / "real"
scoring = _load_scoring()
TABLES = ["miro_main_results", "icl-calibration_main_results", "toolbench_comparison",
          "flashfftconv_benchmark", "macagentbench_leaderboard", "four-path-mlx_benchmark",
          "viscoder_main_results", "edgeface_benchmark"]


def _truth(name: str) -> dict:
    return json.loads((REAL / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def tables(ocr):
    return {name: read_table(REAL / _truth(name)["image"], engine=ocr) for name in TABLES}


def _score(table, name):
    truth = _truth(name)
    confidences = [[c.confidence for c in row] for row in table.rows]
    return scoring.score_table_texts(table.texts(), truth, confidences, table.header)


def _assert_floors(table, name, floors: tuple[int, int, int, int]) -> None:
    """The table's score meets its floors: (right cell, labels exact) at least, (phantom,
    confident wrong) at most."""
    score = _score(table, name)
    right, labels, phantom, confident_wrong = floors
    assert score.right_cell >= right and score.labels_ok >= labels, score
    assert score.phantom <= phantom and score.confident_wrong <= confident_wrong, score


# measured (found, right cell, labels exact, phantom, confident wrong) -> floors
FLOORS = {
    # labels 22 -> 26 (h12l: broken daggers, a cited range's en dash, "DANN† [ILI]")
    "miro_main_results": dict(right=156, labels=26, phantom=0),
    "icl-calibration_main_results": dict(right=94, labels=8, phantom=0),
    "toolbench_comparison": dict(right=25, labels=10, phantom=0),
    "flashfftconv_benchmark": dict(right=36, labels=4, phantom=0),
    # labels 8 -> 10: "Thinkin 9" (a descender read apart), "Q wen" glued (h12l); "OpenAl"
    # for "OpenAI" mended (h12s)
    "macagentbench_leaderboard": dict(right=30, labels=10, phantom=0),
    "four-path-mlx_benchmark": dict(right=20, labels=5, phantom=0),
    # held out (transcribed after the fixes above): first measured 202/210, 10 phantom,
    # 10 confident wrong -- the same as before them; then fixed (next test)
    "viscoder_main_results": dict(right=210, labels=14, phantom=0),
    # third set (measured as it came: 149/149, labels 17/20 -- "EdgeFace - S (γ = 0.5) (ours)")
    "edgeface_benchmark": dict(right=149, labels=17, phantom=0),
}


@pytest.mark.parametrize("name", TABLES)
def test_numbers_land_in_their_cells(tables, name):
    score = _score(tables[name], name)
    floor = FLOORS[name]
    assert score.right_cell >= floor["right"], score
    assert score.labels_ok >= floor["labels"], score
    assert score.phantom <= floor["phantom"], score
    assert score.confident_wrong == 0, score


def test_lowered_plus_minus_is_split_from_the_value(tables):
    values = {(v.label, v.column): v for v in tables["miro_main_results"].values()}
    # read "42.2416" and "64.34 ± 2.2" before the ± glyph split the reading
    terra = values[("MMD† [12]", "TerraInc")]
    assert (terra.value, terra.plus_minus) == (42.2, 1.6)
    office = values[("IRM† [22]", "OfficeHome")]
    assert (office.value, office.plus_minus) == (64.3, 2.2)


def test_daggers_after_names_are_read_as_printed(tables):
    labels = [row[0].text for row in tables["miro_main_results"].rows]
    # were "MMD* [12]", "Mixstyle? [28]", "GroupDROt [24]", "SagNet! [29]"
    for expected in ("MMD† [12]", "Mixstyle‡ [28]", "GroupDRO† [24]", "SagNet† [29]",
                     "ERM‡ [57]", "CORAL + SWAD‡"):
        assert expected in labels


def test_caption_rows_are_sections_not_values(tables):
    table, truth = tables["miro_main_results"], _truth("miro_main_results")
    assert table.section_rows == truth["section_rows"]
    assert table.rows[19][0].text == "Combined with SWAD [34]"  # was cut into two columns
    # a bold name Tesseract gives 0.08 confidence is kept (the last row lost its label)
    assert table.rows[-1][0].text == "MIRO + SWAD"


def test_check_mark_rows_are_body_and_a_dashed_rule_is_a_rule(tables):
    table, truth = tables["toolbench_comparison"], _truth("toolbench_comparison")
    # the ✓/✗ rows were pushed into the header; the dashed rule's dashes garbled a row
    assert table.header[0] == "Resource"
    assert table.texts()[:5] == truth["rows"][:5]
    assert table.texts()[5] == ["Number of tools", "3451", "3", "53", "400", "8"]


def test_a_header_of_sizes_is_not_a_row_of_numbers(tables):
    table = tables["flashfftconv_benchmark"]
    assert table.header == ["Sequence Length", "256", "1K", "4K", "8K", "16K", "32K",
                            "1M", "2M", "4M"]
    values = {(v.label, v.column): v.value for v in table.values()}
    assert values[("PyTorch", "4M")] == 13031.2  # "13,031.2"
    assert values[("Speedup", "256")] == 5.64  # "5.64×"


def test_web_leaderboard_prose_logos_ranks_and_scores_out_of_100(tables):
    table = tables["macagentbench_leaderboard"]
    # the page's heading and blurb were two header rows; the logo column took "MODEL"
    assert table.header == ["RANK", "MODEL", "AGENT", "SCORE", "TIME / TASK", "PRICE / TASK"]
    assert any("Aggregate score" in note for note in table.notes)
    values = table.values()
    # "83.64 / 100" was three columns: 83.64, a missing "/", and a phantom 100 per row
    scores = [v for v in values if v.column == "SCORE"]
    assert [v.value for v in scores][:3] == [83.64, 82.73, 78.18]
    assert not any(v.value == 100 for v in values)
    # the rank column is labels ("#5" read "45" was a confident phantom 45)
    assert [row[0].text for row in table.rows] == [f"#{k}" for k in range(1, 11)]
    assert not any(v.column == "RANK" for v in values)
    # "72.66s" read "72.668" (the unit as a digit) is re-read against the column's shape
    times = {v.label.split()[0]: v for v in values if v.column == "TIME / TASK"}
    assert times["Gemini"].value == 72.66


def test_dark_monospace_table_labels_and_footer(tables):
    table = tables["four-path-mlx_benchmark"]
    # monospace word spaces cut each task name into three "columns" ("Single | Filing | …")
    assert [row[0].text for row in table.rows] == [
        row[0] for row in _truth("four-path-mlx_benchmark")["rows"]]
    assert table.header[:5] == ["TASK", "TOKENS", "TOK/S", "SPEEDUP", "DRAFT %"]
    # the footer line under the table was two body rows
    assert len(table.rows) == 5
    assert any(note.startswith("text below the table: Baseline") for note in table.notes)


def test_printed_values_far_above_bars_on_a_log_chart(ocr):
    truth = _truth("litellm-rust_benchmark")
    chart = read_chart(REAL / truth["image"], engine=ocr)
    # the log axis's ticks (10⁻¹ 10⁰ 10¹) give no linear fit; the values printed five lines
    # above the bars were refused as missing ("bars found but no … printed values")
    assert [b.value for b in chart.bars] == [0.05, 0.06, 2.0, 11.5]
    assert chart.axis is None


def test_two_stacked_charts_are_read_panel_by_panel(ocr):
    from modelbench.vision import ChartResult, read_image

    truth = _truth("contextpilot_deepseek_r1_results")
    # read as one chart, its panels shared one axis (8/16) and auto refused it (its tick
    # labels read as a 4-column "table"); cut at the gutter between them, each panel is read
    # on its own axis, and auto takes it for the chart it is
    chart = read_image(REAL / truth["image"])
    assert isinstance(chart, ChartResult)
    score = scoring.score_chart_bars(chart.bars, truth)
    assert chart.notes[0] == "2 panels, each read on its own"
    assert score.within == score.bars == 16, score.misses
    assert score.confident_wrong == 0


def test_underlined_values_keep_their_point_and_centred_captions_are_sections(tables):
    table, truth = tables["viscoder_main_results"], _truth("viscoder_main_results")
    values = table.values()
    # the underline's removal took the decimal point: "83.4" read "834" at 0.95 confidence
    assert [v.value for v in values if v.label == "GPT-4o"][5] == 83.4
    assert not any(v.value is not None and v.value > 100 for v in values)
    # "∼ 3B Scale", centred over a value column, was the value 3e9 ("3B" marked "Scale")
    assert table.section_rows == truth["section_rows"]


def test_grouped_chart_without_printed_values(ocr):
    truth = _truth("flashattn_speedup_t4")
    chart = read_chart(REAL / truth["image"], engine=ocr)
    score = scoring.score_chart_bars(chart.bars, truth)
    assert score.within == score.bars == 15  # measured: 15/15 from the pixels alone
    assert chart.series == truth["series"]


# ----------------------------------------------------------------- third set (h12i)


def _chart_score(name, ocr, image=None):
    truth = _truth(name)
    chart = read_chart(image if image is not None else REAL / truth["image"], engine=ocr)
    return chart, scoring.score_chart_bars(chart.bars, truth)


def test_a_printed_value_the_bar_disagrees_with_is_never_stored_as_sure(ocr):
    import io

    from PIL import Image

    truth = _truth("bitnet_embedding_throughput")
    # the left half (four groups) of the chart keeps the misreadings and the test fast
    with Image.open(REAL / truth["image"]) as image:
        buffer = io.BytesIO()
        image.crop((0, 0, 1070, image.height)).save(buffer, format="PNG")
    chart = read_chart(buffer.getvalue(), engine=ocr)
    half = dict(truth, bars=truth["bars"][:16])
    score = scoring.score_chart_bars(chart.bars, half)
    # tiny labels lost their decimals ("37.9" read "37", "43.8" read "43") at 0.97 confidence
    # although the bars' ends, on a six-tick axis, said 37.87 and 43.81
    assert score.confident_wrong == 0, score.misses
    assert score.within >= 15, score.misses  # measured 16/16 (one kept, doubted, within 1 %)
    values = [b.value for b in chart.bars]
    assert values[10:12] == [37.9, 56.8]  # read again, confirmed by the bar


def test_oom_bars_and_a_bar_under_a_translucent_legend(ocr):
    chart, score = _chart_score("flash2_a100_hdim64", ocr)
    assert score.na_given_value == 0  # "OOM": no bar, no number
    assert score.confident_wrong == 0, score.misses
    assert score.within >= 28, score.misses  # measured 28/29 (27 before: 153 under the legend)
    # the bar's fill stopped at the legend's frame; its tint through the legend is followed up
    under = [b for b in chart.bars if b.label == "1k" and b.series == "FlashAttention-2"]
    assert len(under) == 1 and abs(under[0].value - 153) <= 0.01 * 240, under


def test_log_axis_without_printed_values_is_read_in_decades(ocr):
    # a linear fit through 10^-4 .. 10^-1 would give every bar a confident wrong value; it
    # was refused until the raised exponents were read ("10" and a small "-4" above it):
    # the three ticks 10^-4, 10^-3, 10^-2 fit in decades ("10^-1" read "1071" is left out)
    chart, score = _chart_score("tinyvector_query_time", ocr)
    assert chart.axis is not None and chart.axis.log
    assert [v for _, v in chart.axis.ticks] == [0.0001, 0.001, 0.01]
    assert score.within == score.bars == 10 and score.confident_wrong == 0, score.misses


def test_single_series_from_pixels_only(ocr):
    _chart, score = _chart_score("flashattn_memory", ocr)
    assert score.within == score.bars == 6, score.misses


def test_hatched_bars_beside_a_scatter_panel(ocr):
    chart, score = _chart_score("januspro_teaser", ocr)
    # the scatter panel's ticks (46-64), then "60" read "6", fitted every bar wrong (at 0.5-0.7);
    # the axis was then dropped as the printed values contradicted it (6/16, later 7/16). h13e:
    # the ticks' last "0" was cut off by the spine's erasing band ("60" read "6"); read whole,
    # the 0-80 axis is kept, and grey bars' tops, raised by their labels' anti-aliasing glued
    # on, are trimmed back (_without_glued_text): 14/16, none confidently wrong
    assert chart.axis is not None and sorted(v for _, v in chart.axis.ticks) == [0, 20, 40, 60, 80]
    assert score.within >= 14 and score.confident_wrong == 0, score


def _panels(name: str, box=None) -> list[tuple[int, int, int, int]]:
    """The panel boxes the chart reader cuts an image (or a crop of it) into: pixels only."""
    from modelbench.vision import chart_image as ci
    from modelbench.vision import load_image

    rgb = load_image(REAL / name).rgb
    if box is not None:
        rgb = rgb[box[1]:box[3], box[0]:box[2]]
    background = ci._background(rgb)
    kernel = max(5, min(rgb.shape[:2]) // 120)
    return ci._panel_boxes(ci._distance(rgb, background) > 40,
                           ci._find_rects(rgb, background), kernel)


def test_a_figure_of_four_panels_is_cut_into_rows_then_panels():
    # read as one chart, the top panels' bars shared one axis and the legend's lower edge gave
    # two occluded bars a sure 148.8 (printed 153 and 173); then it was refused (0/116); cut
    # at its gutters, each panel reads on its own (111/116, none confidently wrong)
    rows = _panels("flash2_a100_fwd_bwd_benchmark.png")
    assert rows == [(0, 0, 1878, 589), (0, 589, 1878, 1314)]
    assert _panels("flash2_a100_fwd_bwd_benchmark.png", rows[0]) == [(0, 0, 930, 589),
                                                                   (930, 0, 1878, 589)]
    # fifth set, held out (0/40 before: refused): hand-drawn frames, same cuts
    assert len(_panels("thunderkittens_attn_h100.png")) == 2


@pytest.mark.parametrize("name", ["xformers_mha_vit_memory.png", "xformers_mha_vit_speedup.png",
                                  "eagle_mtbench_speedup.png", "daft_ai_benchmarks.png"])
def test_gutters_inside_one_chart_are_no_panels(name):
    # xformers: blank columns between categories (seaborn's grey plot is not ink), bars on one
    # baseline and no axis of their own right of them; eagle: a legend row above the plot;
    # daft: a legend column beside it
    assert len(_panels(name)) == 1


def test_a_value_hidden_by_the_legend_is_never_stored_as_sure(ocr):
    # fourth set, held out: the legend box hides the 1k FlashAttention-3 bar top and its
    # printed value (628, measured on the pixels); the reader gives 610.7, never as sure
    chart, score = _chart_score("flash3_h100_hdim256", ocr)
    assert score.confident_wrong == 0, score.misses
    assert score.within >= 17, score.misses  # measured 17/18 before any change
    hidden = [b for b in chart.bars if b.value is not None and abs(b.value - 628) > 8
              and 600 < b.value < 650]
    assert all(b.confidence < scoring.HIGH_CONFIDENCE for b in hidden)


def test_a_dataframe_index_column_counts_as_row_labels(ocr):
    # held out (issue 12): refused as "no table found: only 0% of the rows have a label" while
    # the index "0, 1, 2, …" was taken for values; measured after the fix: 10/10, labels 5/5
    table = read_table(REAL / _truth("dfi_bikes_html")["image"], engine=ocr)
    score = _score(table, "dfi_bikes_html")
    assert (score.right_cell, score.labels_ok, score.phantom) == (10, 5, 0), score
    assert [row[0] for row in table.texts()] == ["0", "1", "2", "3", "4"]
    assert all(row[0].parsed is None for row in table.rows)  # labels, not values


# fifth set (h12s): measured once as they came, before any change (see the fixtures README)
FIFTH = ["alpacafarm_win_rates", "concisereasoning_results_table", "bitnet_llama_bench_markdown",
         "dfi_gradient_small", "dfi_gradient_large", "dfi_bikes_text"]


@pytest.fixture(scope="module")
def fifth(ocr):
    return {name: read_table(REAL / _truth(name)["image"], engine=ocr) for name in FIFTH}


# (right cell, labels exact) measured after the fixes; before: alpacafarm 7/22 with 20 phantoms,
# the markdown table and both gradients refused
FIFTH_FLOORS = {"alpacafarm_win_rates": (22, 12), "concisereasoning_results_table": (40, 5),
                "bitnet_llama_bench_markdown": (10, 2), "dfi_gradient_small": (23, 6),
                "dfi_gradient_large": (22, 6), "dfi_bikes_text": (10, 5)}


@pytest.mark.parametrize("name", FIFTH)
def test_fifth_set_numbers_land_in_their_cells(fifth, name):
    score = _score(fifth[name], name)
    right, labels = FIFTH_FLOORS[name]
    assert score.right_cell >= right and score.labels_ok >= labels, score
    assert score.phantom == 0 and score.confident_wrong == 0, score


def test_a_math_font_plus_minus_as_tall_as_the_digits(fifth):
    # Computer Modern's "±" is one glyph as tall as the digits, its stem joined to the bar:
    # it was read "4" ("11.3 ± 1.1" -> "11341.1") or split into a column of "+1.7"
    table = fifth["alpacafarm_win_rates"]
    assert table.header == ["Method", "Simulated win-rate (%)", "Human win-rate (%)"]
    values = {(v.label, v.column): (v.value, v.plus_minus) for v in table.values()}
    assert values[("LLaMA 7B", "Simulated win-rate (%)")] == (11.3, 1.1)
    assert values[("PPO", "Human win-rate (%)")] == (55.1, 1.7)


def test_light_digits_on_dark_gradient_cells(fifth):
    # refused before ("only 0% of the rows have a label"): white digits on navy cells read as
    # noise; now each filled cell's ink is its distance from the cell's own ground
    rows = fifth["dfi_gradient_small"].texts()
    assert rows[1][2] == "0.679255" and rows[2][3] == "0.936948"  # the two darkest cells
    assert [row[0] for row in rows] == ["0", "1", "2", "3", "4", "5"]
    # a reconstruction measured on four images: never stored as sure
    assert all(c.confidence < scoring.HIGH_CONFIDENCE for row in fifth["dfi_gradient_small"].rows
               for c in row)


def test_a_terminal_markdown_table_is_read_between_its_pipes(fifth):
    # refused before: "|" read as words, "|---:|" as letters, "bitnet ?B TL1" cut in two
    table = fifth["bitnet_llama_bench_markdown"]
    assert table.header[0] == "model" and table.header[-1] == "t/s"
    assert [row[-1] for row in table.texts()] == ["372.19 ± 51.38", "389.13 ± 65.50"]
    assert all(row[0] == "bitnet ?B TL1" for row in table.texts())


def test_words_of_one_monospace_cell_spread_over_two_columns(fifth):
    # a DataFrame's text repr: "2013-06-28 19:01:00" and "Lake Shore Dr" were cut at their
    # word spaces, shifting every later value one column right (0/10 in the right cell)
    table = fifth["dfi_bikes_text"]
    assert table.texts()[0] == ["0", "Male", "2013-06-28 19:01:00", "993", "Lake Shore Dr", "73.9"]
    assert table.header[1:] == ["gender", "starttime", "tripduration", "station", "temperature"]


def test_a_capital_i_after_capitals_is_not_a_small_l(tables):
    labels = [row[1].text for row in tables["macagentbench_leaderboard"].rows]
    assert "GPT-5.4 OpenAI" in labels and "GLM-5 Zhipu AI" in labels  # were "OpenAl", "Al"


# ----------------------------------------------------------------- charts held out (h12r)


def _cropped(name: str, box) -> bytes:
    import io

    from PIL import Image

    with Image.open(REAL / name) as image:
        buffer = io.BytesIO()
        image.crop(box).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_placeholder_bar_printed_na_gets_no_value(ocr):
    # held out: the hatched Speculative-sampling bars drawn at 1.0 under "N/A" were given
    # 1.00 at 0.85 -- four confident wrong values; the first two groups keep the test fast
    truth = _truth("eagle_mtbench_speedup")
    chart = read_chart(_cropped(truth["image"], (0, 0, 700, 711)), engine=ocr)
    score = scoring.score_chart_bars(chart.bars, dict(truth, bars=truth["bars"][:8]))
    assert score.na_bars == 2 and score.na_given_value == 0, score
    assert [b.value for b in chart.bars].count(None) == 2
    assert {b.method for b in chart.bars if b.value is None} == {"missing_label"}
    assert score.confident_wrong == 0 and score.within == 6, score.misses


def test_log_axis_with_irregular_ticks_is_fitted_in_decades(ocr):
    # held out: ticks 2, 5, 10, 20, 40, 60, 220 and no printed values; a linear fit through
    # three of them gave 2/12 (one bar -6.4); fitted on the ticks' logarithms, all seven agree
    chart, score = _chart_score("daft_ai_benchmarks", ocr)
    assert chart.axis is not None and chart.axis.log and len(chart.axis.ticks) >= 6
    assert score.within >= 11, score.misses
    assert score.confident_wrong == 0, score.misses


# ----------------------------------------------------------------- sixth set, held out (h12c)


def _h12c_score(name, ocr):
    truth = _truth(name)
    chart = read_chart(REAL / truth["image"], engine=ocr)
    return chart, scoring.score_chart_bars(chart.bars, truth)


def test_ratios_printed_over_bars_are_not_their_values(ocr):
    # held out: "2.37x" over a bar of 0.58 s was stored as its value (0/3); a regular
    # nine-tick axis contradicts every printed number, so the values come from the axis
    from modelbench.vision.chart_image import ANNOTATIONS

    chart, score = _h12c_score("blazeseq_throughput", ocr)
    assert any(note.startswith(ANNOTATIONS) for note in chart.notes)
    assert score.within == 3 and score.confident_wrong == 0, score.misses


def test_panels_over_a_shared_legend_with_hatched_outlined_bars(ocr):
    # held out: 35/90 (one axis for three panels: the legend crossed the gutter)
    _chart, score = _h12c_score("llep_memory_usage", ocr)
    assert score.within >= 88 and score.confident_wrong == 0, score.misses


def test_outline_seams_between_touching_bars_are_no_bars(ocr):
    # held out: 68/84 and 54 confident wrong values (seams read as bars)
    _chart, score = _h12c_score("compactattention_speedup", ocr)
    assert score.within >= 82 and score.confident_wrong == 0, score.misses


def test_gradient_bar_is_not_read_as_several_bars(ocr):
    from modelbench.errors import ExtractionError
    from modelbench.vision import chart_image as ci
    from modelbench.vision import load_image

    rgb = load_image(REAL / "ane_latency.png").rgb
    rects = ci._joined_gradients(ci._find_rects(rgb, ci._background(rgb)), rgb)
    bars = ci._baseline(ci._long(rects, max(5, min(rgb.shape[:2]) // 120)))
    assert bars[0] == "horizontal" and len(bars[2]) == 3
    try:
        chart = read_chart(REAL / "ane_latency.png", engine=None)
    except ExtractionError:
        return  # refused: values printed under the bars, no axis -- never guessed
    assert all(b.confidence < scoring.HIGH_CONFIDENCE for b in chart.bars)


def test_values_printed_turned_upright_over_panels_that_nearly_touch(ocr):
    # SageAttention: 0/72 -- two panels 17 px apart read as one (the gutter had to be a
    # hundredth of the 2600 px figure), then the 90-degree values, read as scraps by the
    # page OCR, outvoted the three-tick axis (dropped) and stood as values
    from modelbench.vision import chart_image as ci

    chart, score = _h12c_score("sageattn2_4090_hd128", ocr)
    assert chart.notes[0] == "2 panels, each read on its own"
    assert not any(ci.AXIS_DROPPED in note for note in chart.notes), chart.notes
    turned = [b for b in chart.bars if b.method == "value_label"]
    assert len(turned) >= 55  # measured: 59 of the 69 bars found, read from turned crops
    # the twelve white hatched Sage2(8+8) bars have the paper's colour: found by their
    # outline and hatching (measured: 71 of 72 bars, all 71 within 1 %; 58 without them);
    # a grey bar beside black hatching is kept by its solid core, and the "0" tick under a
    # scrap of letters ("oF") is read on its own (else the right panel has one tick)
    assert len(chart.bars) >= 70
    assert score.within >= 70 and score.confident_wrong == 0, score.misses
    assert chart.notes == ["2 panels, each read on its own"]  # both panels have an axis


# ----------------------------------------------------------------- eighth set, held out (h12c)


def test_bars_hanging_below_zero_are_negative_values(ocr):
    # held out: 0/4 and 6 confident wrong values -- only bars standing on a line were bars,
    # so the bold title's letter stems (one line, seven of them) beat the four real bars
    chart, score = _h12c_score("est_token_reduction", ocr)
    assert [b.value < 0 for b in chart.bars] == [True, True, True, False]
    assert score.within == score.bars == 4 and score.confident_wrong == 0, score.misses


def test_side_by_side_panels_of_wide_bars_are_read_on_their_own_axes(ocr):
    # held out: 6/12 and 6 confident wrong -- bars 115 px wide and at most 524 px tall were
    # taken for legend swatches, so the gutter was no cut and the right panel (0-400) was
    # read on the left panel's axis (0-350)
    chart, score = _h12c_score("turboquantkv_throughput", ocr)
    assert chart.notes[0] == "2 panels, each read on its own"
    assert score.within == score.bars == 12 and score.confident_wrong == 0, score.misses


def test_a_line_drawn_across_the_bars_does_not_cut_them(ocr):
    # held out: 0/4 -- a dashed threshold line split every bar; the part below the line
    # (1.15) stood on the baseline, so every printed value disagreed with its "bar"
    chart, _score = _h12c_score("nf4triton_speedup", ocr)
    assert [b.value for b in chart.bars] == [1.43, 1.68, 1.72, 1.39]
    assert all(b.method == "value_label" for b in chart.bars)


def test_ticks_printed_as_powers_of_ten_give_a_log_axis(ocr):
    # held out: 0/16 -- "10²", "10³" read "102", "103" gave no axis, and the speed-up
    # ratios printed over the pairs ("7.6x") were taken for the bars' values
    from modelbench.vision.chart_image import ANNOTATIONS

    chart, score = _h12c_score("regengo_benchmark", ocr)
    assert chart.axis is not None and chart.axis.log
    assert [v for _, v in chart.axis.ticks] == [1000.0, 100.0]
    assert any(note.startswith(ANNOTATIONS) for note in chart.notes)
    assert score.within == score.bars == 16 and score.confident_wrong == 0, score.misses


def test_printed_values_on_a_power_of_ten_axis_are_cross_checked(ocr):
    # the log axis (10¹, 10²) now confirms the printed values (before: no axis, each value
    # taken on its printed label alone)
    chart, score = _h12c_score("luna_inference_latency", ocr)
    assert chart.axis is not None and chart.axis.log
    assert score.within == score.bars == 12 and score.confident_wrong == 0, score.misses


# ------------------------------------------------- eighth set, second held-out batch (h12c)


def test_panels_of_a_tight_layout_are_cut_two_openings_apart(ocr):
    # held out (after the first batch's fixes): 9/25 and 13 confident wrong -- one panel's
    # frame and the next one's axis title stand 13 px apart (three openings were needed),
    # so three panels (0-1200, 0-140, 0-250) were read on the first one's axis
    chart, score = _h12c_score("zsasa_md_frames_per_sec", ocr)
    assert chart.notes[0] == "3 panels, each read on its own"
    assert score.within == score.bars == 25 and score.confident_wrong == 0, score.misses


def test_bars_a_few_pixels_tall_are_found_in_their_slots(ocr):
    # the last panel's last bar (2.93 frames/s) is 8 px tall: the opening removed it; one
    # pitch after evenly spaced bars it is a run of one colour standing on the baseline
    truth = _truth("zsasa_md_frames_per_sec")
    chart = read_chart(_cropped(truth["image"], (2576, 0, 3863, 1183)), engine=ocr)
    assert len(chart.bars) == 5
    last = chart.bars[-1]
    assert abs(last.value - 2.93) <= 0.01 * 276 and last.confidence < scoring.HIGH_CONFIDENCE


def test_facets_with_a_dashed_parity_line_are_read_panel_by_panel(ocr):
    # held out: 11/12, one confident wrong -- ggplot facets 15 px apart read as one chart
    chart, score = _h12c_score("fastranges_gr_speedup", ocr)
    assert chart.notes[0] == "3 panels, each read on its own"
    assert score.within == score.bars == 12 and score.confident_wrong == 0, score.misses


def test_tick_marks_read_as_ones_are_no_tick_labels(ocr):
    # held out (third batch): 14/16 -- the tick marks under a horizontal chart's axis read
    # "1", "1" were the first row of numbers under the bars, so the axis was that row (no
    # fit) and "8.65x" read "3.65" stood on its own at 0.78
    chart, score = _h12c_score("blackwell_kernel_speedup", ocr)
    assert chart.axis is not None and [v for _, v in chart.axis.ticks] == [0, 2, 4, 6, 8]
    assert score.within == score.bars == 16 and score.confident_wrong == 0, score.misses


def test_third_held_out_batch_floors(ocr):
    # measured once as they came: legends over bars, stacked ratio-and-value labels, a
    # transparent dark-mode figure -- all within 1 %, none confidently wrong
    for name in ("depthanything_onnx_fps", "lightglue_onnx_fps", "hrm_text_throughput",
                 "lcvk_scan_throughput"):
        _chart, score = _h12c_score(name, ocr)
        assert score.within == score.bars and score.confident_wrong == 0, (name, score.misses)


# ------------------------------------------------- ninth set, held-out batch (h12d)

# measured once on the unchanged code (3bd2773), before any change: (within, confident wrong);
# rgode was 0/6 with 3 confident wrong, vlens 15/16 with 2 (see the tests below);
# openmmreasoner raised 25 -> 29 by h12p (pale bars found); beaverfe 6 -> 16 by h13b (its
# second and third facets, sharing the first one's y axis, read on that axis)
NINTH_FLOORS = {"fraudgraph_gpu_cpu_log": (5, 0), "framer_rps": (6, 0),
                "vlens_trust_scores": (16, 0), "openmmreasoner_accuracy": (29, 0),
                "beaverfe_roc_auc": (16, 0), "rgode_dop853_time": (6, 0)}


@pytest.mark.parametrize("name", sorted(NINTH_FLOORS))
def test_ninth_held_out_batch_floors(name, ocr):
    within, confident_wrong = NINTH_FLOORS[name]
    _chart, score = _h12c_score(name, ocr)
    assert score.within >= within and score.confident_wrong <= confident_wrong, score.misses
    assert score.na_given_value == 0, score.misses


def test_infographic_without_a_readable_axis_invents_no_value(ocr):
    # held out: a JPEG infographic (glowing bars, '11.3M' over 'TOKENS') is refused; if it
    # is ever read, no bar may carry a confidently wrong value
    from modelbench.errors import ModelBenchError

    try:
        _chart, score = _h12c_score("tokenzip_context_tokens", ocr)
    except ModelBenchError:
        return
    assert score.confident_wrong == 0, score.misses


def test_horizontal_panels_side_by_side_are_cut_where_a_legend_stands_between_them(ocr):
    # held out: 0/6, 3 confident wrong -- the legend and footnotes under two horizontal
    # panels cross the gutter between them, so no cut: the right panel's bars (0.46 ms)
    # were read on the left panel's axis (8.65); the gutter is looked for beside the bars
    chart, score = _h12c_score("rgode_dop853_time", ocr)
    assert chart.notes[0] == "2 panels, each read on its own"
    assert score.within == score.bars == 6 and score.confident_wrong == 0, score.misses


def test_a_bar_under_a_translucent_legend_is_one_bar(ocr):
    # held out: 15/16, 2 confident wrong -- the legend (alpha 0.8) across the last bar's
    # middle cut it in two: the 12 px below the legend read 0.706 at 0.95, the part above
    # stood on nothing, so its printed 0.971 went unused
    chart, score = _h12c_score("vlens_trust_scores", ocr)
    last = chart.bars[-1]
    assert last.value == 0.971 and last.box[1] < 200, last


def test_the_gap_under_a_boxed_note_is_no_hatched_bar(ocr):
    # held out: the gap between two bars under a boxed note ("Our proposed models"), one
    # shaded band's edge down it, was taken for a white hatched bar (0.734 at 0.95)
    chart, score = _h12c_score("vlens_trust_scores", ocr)
    assert len(chart.bars) == 16
    assert score.within == score.bars == 16 and score.confident_wrong == 0, score.misses
