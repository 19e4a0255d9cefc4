"""HTML tables -> rows -> records: header detection, spans, number parsing, table choice."""

from __future__ import annotations

import pytest

from modelbench.collect.tables import (
    ColumnMapping,
    LeaderboardScraper,
    choose_results_table,
    extract_cells,
    extract_tables,
    guess_mapping,
    table_to_results,
)
from modelbench.errors import ExtractionError, FetchError

from .conftest import CHANGED_LAYOUT, STATIC_BOARD, big_table


def test_static_board_headers_spans_and_choice():
    tables = extract_tables(STATIC_BOARD)
    assert len(tables) == 2  # the navigation table is there too
    board = choose_results_table(tables)
    assert board.index == 1 and board.caption == "Results on the test split"
    assert board.headers == ["Rank", "Model", "SQuAD / EM", "SQuAD / F1", "Params"]
    assert board.rows[0] == ["1", "Alpha-XL", "88.5 ± 0.3", "93.1%", "1.2B"]
    assert board.rows[1][1] == "Beta †"


def test_guess_mapping_skips_rank_and_size_columns():
    board = choose_results_table(extract_tables(STATIC_BOARD))
    mapping = guess_mapping(board, dataset="squad")
    assert mapping.model == "Model"
    assert mapping.metrics == ["SQuAD / EM", "SQuAD / F1"]
    assert "model = column 'Model'" in mapping.describe()


def test_results_keep_plus_minus_percent_markers_and_skip_missing():
    board = choose_results_table(extract_tables(STATIC_BOARD))
    out = table_to_results(board, guess_mapping(board, dataset="squad"), source_url="u")
    got = {(r.model_name, r.metric): r for r in out.results}
    alpha = got[("Alpha-XL", "exact_match")]  # "SQuAD / EM": the group is the dataset
    assert alpha.score == 88.5 and alpha.extra["plus_minus"] == 0.3
    assert alpha.extra["metric_name"] == "SQuAD / EM"  # as printed
    assert got[("Alpha-XL", "f1")].extra["percent"] is True
    beta = got[("Beta", "exact_match")]  # the footnote mark is no part of the name
    assert beta.extra["marker"] == "*" and beta.extra["model_details"] == ["†"]
    assert ("Gamma", "exact_match") not in got  # "—" is a missing value, not an error
    assert out.skipped == ["row 4 'SQuAD / EM': 'pending'"]
    assert len(out.results) == 6
    assert alpha.extra["columns"] == {"Rank": "1", "Params": "1.2B"}
    assert all(r.source == "web" and r.dataset == "squad" and r.collected_at for r in out.results)


def test_user_mapping_and_unknown_column():
    board = choose_results_table(extract_tables(STATIC_BOARD))
    out = table_to_results(board, ColumnMapping(model="model", metrics=["squad / f1"]))
    assert [r.score for r in out.results] == [93.1, 91.0, 89.7, 88.0]
    with pytest.raises(ExtractionError, match="no column 'Score'"):
        table_to_results(board, ColumnMapping(model="Model", metrics=["Score"]))


def test_changed_layout_is_a_clear_error():
    with pytest.raises(ExtractionError, match="no results table found"):
        choose_results_table(extract_tables(CHANGED_LAYOUT))


def test_headerless_table_and_first_row_header():
    html = "<table><tr><td>Model</td><td>BLEU</td></tr><tr><td>m1</td><td>30.5</td></tr></table>"
    table = extract_tables(html)[0]
    assert table.headers == ["Model", "BLEU"] and table.rows == [["m1", "30.5"]]


def test_nested_tables_do_not_leak_rows():
    html = ("<table><tr><th>Model</th><th>Acc</th></tr><tr><td>a<table><tr><td>x</td><td>1</td>"
            "</tr></table></td><td>70</td></tr></table>")
    outer = extract_tables(html)[0]
    assert len(outer.rows) == 1 and outer.rows[0][1] == "70"


def test_big_table_parses_every_cell():
    html = big_table(3000)
    cells = extract_cells(html)
    assert len(cells[0]) == 3001 and cells[0][1][1] == "model-0"
    table = choose_results_table(extract_tables(html))
    assert guess_mapping(table).metrics == ["MMLU", "GSM8K", "HumanEval"]


def test_leaderboard_scraper_over_http_and_from_a_file(pages, tmp_path):
    with LeaderboardScraper(rate_per_host=None, cache=False) as scraper:
        table, mapping, out = scraper.scrape(f"{pages.url}/board.html", dataset="squad")
        assert len(out.results) == 6 and out.results[0].source_url.endswith("/board.html")
        with pytest.raises(ExtractionError, match="no results table found"):
            scraper.scrape(f"{pages.url}/changed.html")
        saved = tmp_path / "board.html"
        saved.write_text(STATIC_BOARD, encoding="utf-8")
        _, _, from_file = scraper.scrape(str(saved))
        assert from_file.results[0].source_url.startswith("file://")
        with pytest.raises(FetchError, match="neither"):
            scraper.scrape(str(tmp_path / "missing.html"))


def test_non_utf8_page_gives_correct_names(pages):
    with LeaderboardScraper(rate_per_host=None, cache=False) as scraper:
        _, _, out = scraper.scrape(f"{pages.url}/cp1252.html")
        assert [r.model_name for r in out.results] == ["Café-Net", "naïve-bayes"]
        _, _, latin = scraper.scrape(f"{pages.url}/latin1.html")
        assert latin.results[0].model_name == "Rémi" and latin.results[0].score == 0.912


def test_huge_page_is_read_whole(pages):
    with LeaderboardScraper(rate_per_host=None, cache=False) as scraper:
        table, mapping, out = scraper.scrape(f"{pages.url}/huge.html")
    assert len(table.rows) == 8000 and len(out.results) == 3 * 8000


def test_hostile_spans_are_capped():
    html = ("<table><tr><th>Model</th><th colspan='99999'>Acc</th></tr>"
            + "<tr><td rowspan='99999'>m</td><td colspan='99999'>1</td></tr>" * 3 + "</table>")
    table = extract_tables(html)[0]
    assert len(table.headers) <= 500 and all(len(r) <= 500 for r in table.rows)


def test_page_outcome_reads_every_table_and_keeps_sizes_as_model_metadata():
    from modelbench.collect.tables import page_outcome

    out = page_outcome(STATIC_BOARD, dataset="squad")
    assert out.counts() == {"stored": 6, "duplicate": 0, "unreadable": 1}
    assert out.unreadable == ["page table 1: row 4 'SQuAD / EM': 'pending'"]
    assert {r.dataset_split for r in out.results} == {"test"}  # the caption names the split
    assert not any("param" in r.metric for r in out.results)
    assert [(m.model_name, m.parameters) for m in out.metadata] == [
        ("Alpha-XL", 1_200_000_000), ("Beta †", 340_000_000), ("Gamma", 110_000_000),
        ("Delta", 66_000_000)]


def test_a_table_whose_every_cell_is_th_still_has_one_header_row():
    # the shape of a results table seen in a project README: every cell a <th>
    html = ("<table><tr><th>Model</th><th>top1@prec (val)</th></tr>"
            "<tr><th>ResNet-50</th><th>72.72%</th></tr><tr><th>ResNet-34</th><th>70.26%</th>"
            "</tr></table>")
    (table,) = extract_tables(html)
    assert table.headers == ["Model", "top1@prec (val)"] and len(table.rows) == 2
    from modelbench.collect.tables import page_outcome

    out = page_outcome(html, dataset="ILSVRC-2012")
    assert [(r.model_name, r.dataset_split, r.metric, r.score) for r in out.results] == [
        ("ResNet-50", "validation", "top1@prec", 72.72), ("ResNet-34", "validation",
                                                          "top1@prec", 70.26)]


def test_model_cell_citations_and_organisations_are_details():
    from modelbench.collect.tables import model_name

    assert model_name("BiDAF (ensemble) (Allen Institute)\n(Seo et al. '16)") == (
        "BiDAF (ensemble)", ["Allen Institute", "(Seo et al. '16)"])
    assert model_name("Attentive Chunker (IBM)")[0] == "Attentive Chunker"
    assert model_name("Marian [12]")[0] == "Marian"
    # a variant is part of the name; a cell that is only a citation keeps its text
    assert model_name("XLNet (large) (single model)")[0] == "XLNet (large) (single model)"
    assert model_name("Lee et al. '16")[0] == "Lee et al. '16"
    assert model_name("(Google Research)")[0] == "(Google Research)"


def test_hostile_model_cell_is_read_in_linear_time():
    # "and" inside words gave the citation pattern two ways to split each word: 4 characters
    # repeated 22 times took seconds, 5,000 would never end
    from modelbench.collect.tables import model_name

    assert model_name("Xand" * 5000)[0] == "Xand" * 5000
    name, details = model_name("A & B and C " * 3000 + "et al.")
    assert details == ["A & B and C et al."] and len(name) == 12 * 2999 - 1


def test_a_bare_leaderboard_h1_does_not_name_the_data():
    # an <h1>Leaderboard</h1> over <h1>SciCode Leaderboard</h1> (a MkDocs page, p39): the
    # data is SciCode, not "Leaderboard" with "SciCode" as its setting
    from modelbench.collect.tables import page_outcome

    html = ("<html><head><title>Leaderboard</title></head><body><h1>Leaderboard</h1>"
            "<h1>SciCode Leaderboard</h1><table><thead><tr><th>Models</th>"
            "<th>Main Problem Resolve Rate</th></tr></thead><tbody>"
            "<tr><td>Model A</td><td>10.8</td></tr><tr><td>Model B</td><td>9.2</td></tr>"
            "</tbody></table></body></html>")
    out = page_outcome(html)
    assert {(r.dataset, r.dataset_config) for r in out.results} == {("SciCode", "")}
    assert [r.score for r in out.results] == [10.8, 9.2]


def test_a_count_of_examples_after_a_header_is_not_a_subset():
    # "Test Total (5341)", "Val Total (1337)" (LongVideoBench, p38): the whole test and
    # validation split, the number in parentheses the questions scored; a year is kept
    from modelbench.collect.tables import page_outcome

    html = ("<h1>VidBench</h1><p>Accuracy on each split.</p><table><thead><tr><th>Model</th>"
            "<th>Test Total (5341)</th><th>Test 8s-15s</th><th>Val Total (1,337)</th>"
            "<th>NIST (2008)</th></tr></thead><tbody>"
            "<tr><th scope='row'>M1</th><th>66.7</th><th>71.6</th><th>66.0</th><th>1.5</th></tr>"
            "<tr><th scope='row'>M2</th><th>64.4</th><th>70.2</th><th>64.0</th><th>2.5</th></tr>"
            "</tbody></table>")
    got = {(r.dataset_config, r.dataset_split, r.score) for r in page_outcome(html).results
           if r.model_name == "M1"}
    assert got == {("", "test", 66.7), ("8s-15s", "test", 71.6), ("", "validation", 66.0),
                   ("NIST (2008)", "", 1.5)}


# -- rules read on h11w's held-out real pages (tests/collect/fixtures/real/pages) ------------
def _real_page(name: str) -> str:
    from pathlib import Path

    return (Path(__file__).parent / "fixtures" / "real" / "pages" / name).read_text("utf-8")


def _stored(name: str) -> list:
    from modelbench.collect.tables import page_outcome

    return page_outcome(_real_page(name)).results


def test_screen_reader_text_and_permalinks_are_not_names():
    results = _stored("p65_neurst_2022-04.html")
    assert not any("opens new window" in r.model_name or "( )" in r.model_name for r in results)
    assert "NeurST transf-s" in {r.model_name for r in results}
    assert {r.dataset for r in results} == {"libri-trans", "MuST-C"}


def test_corner_naming_the_header_rows_makes_each_column_a_condition():
    results = _stored("p64_robotbinpacking_2025-12.html")
    assert {r.metric for r in results} == {"score"}
    first = next(r for r in results if r.model_name == "PCT")
    assert (first.dataset_config, first.score) == ("Math Pack, Repetitive", 0.908)


def test_dataset_after_the_task_in_a_heading_and_arrows_off_the_metric():
    results = _stored("p63_agentcity_2026-02.html")
    assert {r.dataset for r in results} == {"PEMSD7"}
    assert {r.dataset_config for r in results} == {""}
    assert {r.metric for r in results} == {"mae", "rmse", "mape"}


def test_parenthesis_shared_by_every_column_is_the_tables_condition():
    results = _stored("p67_mdibenchmark_2024-12.html")
    assert {r.metric for r in results} == {"accuracy"}
    assert {r.dataset_config for r in results if r.extra["metric_name"].startswith("Avg")} \
        == {"Level 1", "Level 2"}


def test_split_in_brackets_of_a_heading_reaches_the_hidden_tab_table():
    results = _stored("p67_mdibenchmark_2024-12.html")
    assert {r.dataset_split for r in results} == {"testmini"}


def test_columns_counting_clients_or_samples_are_no_results():
    results = _stored("p66_unifed_2023-06.html")
    assert results and not any(r.extra["metric_name"].endswith("number") for r in results)


def test_rows_naming_data_and_measure_make_columns_systems_or_places():
    results = _stored("p66_unifed_2023-06.html")
    found = {(r.model_name, r.dataset, r.metric, r.score) for r in results}
    assert ("FedML (logistic_regression)", "femnist", "accuracy", 0.0443) in found  # a system
    assert ("HistSecAgg (gbdt_64_64_6)", "student_horizontal", "mse", 22.56) in found  # 1st
    assert not any(r.model_name in {"1st", "2nd", "3rd"} for r in results)


def test_numbered_part_heading_is_the_config_under_the_pages_data():
    results = _stored("p68_mediaeval_2026-06.html")
    assert {r.dataset for r in results} == {"Sports Video"}
    assert {r.dataset_config for r in results} == {"Stroke Detection", "Stroke Classification"}


def test_unit_in_words_is_no_part_of_the_metric():
    results = _stored("p68_mediaeval_2026-06.html")
    metrics = {r.metric.lower() for r in results}
    assert "global acc" in metrics and not any(m.endswith(" in") for m in metrics)


def test_result_kind_heading_names_no_dataset():
    results = _stored("p71_m3eval_2026-05.html")
    assert {r.dataset for r in results} == {"M3Eval"}


def test_lower_case_measure_word_in_prose_is_no_metric():
    results = _stored("p69_mixeval_2024-10.html")
    assert results and not any(r.metric == "map" for r in results)


def test_rows_a_heading_calls_prompts_or_datasets_are_no_models_results():
    results = _stored("p70_promptbench_2023-11.html")
    assert results and not {r.model_name for r in results} & {"ZS-task", "FS-role", "SST-2"}


def test_board_for_a_topic_takes_the_name_its_first_paragraph_opens_with():
    results = _stored("p70_promptbench_2023-11.html")
    assert {r.dataset for r in results} == {"PromptBench"}


def test_section_over_a_result_kind_heading_is_the_config():
    results = _stored("p71_m3eval_2026-05.html")
    assert {r.dataset_config.split(" / ")[0] for r in results} == {
        "Divided Attention", "Memory Interference", "Interleaved Events"}


def test_measure_in_the_corner_makes_the_column_groups_conditions():
    results = _stored("p71_m3eval_2026-05.html")
    first = [r for r in results if r.extra["table"] == 0]
    assert first and {r.metric for r in first} == {"accuracy"}
    assert "Divided Attention, No swapping, Source Identification" in {
        r.dataset_config.replace(" / ", ", ") for r in first}


def test_measure_over_condition_and_no_delta_columns():
    results = _stored("p71_m3eval_2026-05.html")
    second = [r for r in results if r.extra["table"] == 1]
    assert second and {r.metric.lower() for r in second} == {"accuracy", "intrusion rate"}
    assert not any("delta" in r.extra["metric_name"].lower() for r in results)


def test_measure_shared_by_the_columns_is_the_metric_and_the_rest_the_part():
    results = _stored("p72_buildarena_2025-10.html")
    assert {(r.dataset_config, r.metric.lower()) for r in results} == {
        ("Transport", "avg success rate"), ("Support", "avg success rate"),
        ("Lift", "avg success rate")}


def test_full_name_column_keeps_the_second_line_with_the_name():
    results = _stored("p72_buildarena_2025-10.html")
    assert "Grok-4 (grok4-0709)" in {r.model_name for r in results}


def test_column_data_with_an_unknown_word_in_parentheses_is_said_unreadable():
    from modelbench.collect.tables import page_outcome

    outcome = page_outcome(_real_page("p69_mixeval_2024-10.html"))
    assert not any(r.dataset.endswith("(Mixed)") for r in outcome.results)
    # without a mixture of its variant beside it ("MixEval-Hard" renamed) the word is unknown
    alone = page_outcome(_real_page("p69_mixeval_2024-10.html").replace(
        "<b>MixEval-Hard<br>", "<b>MixEval-Extreme<br>"))
    assert not any(r.dataset_config.endswith("-Hard") for r in alone.results)
    assert any("'TriviaQA-Hard (Mixed)': what '(Mixed)' makes of the data is not known" in item
               for item in alone.unreadable)
    assert ("MixEval 🔥", "TriviaQA") in {(r.dataset, r.dataset_config) for r in alone.results}


def test_mixed_column_is_the_part_of_the_mixture_of_its_variant():
    # p69's chat table: "MixEval-Hard 🔥 | MixEval 🔥 | … | TriviaQA (Mixed) | … |
    # TriviaQA-Hard (Mixed)", the caption "on MixEval, MixEval-Hard, and their subsplits"
    results = _stored("p69_mixeval_2024-10.html")
    llama = {(r.dataset.replace("🔥", "").strip(), r.dataset_config): r.score
             for r in results if r.model_name == "LLaMA-3-70B"}
    assert llama[("MixEval", "")] == 82.2 and llama[("MixEval-Hard", "")] == 54.0
    assert llama[("MixEval", "TriviaQA")] == 83.1
    assert llama[("MixEval-Hard", "TriviaQA-Hard")] == 59.1


def test_date_after_a_live_boards_measure_is_its_version():
    # p69's "Arena Elo<br> (0527)": the text's "with Arena Elo" quotes the header; every other
    # "Arena" of it is "Chatbot Arena"
    arena = [r for r in _stored("p69_mixeval_2024-10.html") if r.score == 1287]
    assert [(r.dataset, r.dataset_config, r.metric) for r in arena] == [
        ("Chatbot Arena", "0527", "elo")]


# p70 (llm-eval/llm-eval.github.io, advprompt/index.html at 1bc2bc4): "All Results of LLMs",
# two of its rows; Vicuna prints "-" for four datasets and its Avg is the mean of the other nine.
_PROMPTBENCH = (
    "<title>Leaderboard for LLM robustness</title><h1>Leaderboard for LLM robustness</h1>"
    "<p>PromptBench can evaluate the adversarial robustness of LLMs to prompts.</p>"
    "<h2>All Results of LLMs</h2><table><thead><tr><th>Model</th><th>SST-2</th><th>CoLA</th>"
    "<th>QQP</th><th>MPRC</th><th>MNLI</th><th>QNLI</th><th>RTE</th><th>WNLI</th><th>MMLU</th>"
    "<th>SQuAD v2</th><th>IWSLT</th><th>UN Multi</th><th>Math</th><th>Avg</th></tr></thead>"
    "<tbody><tr><td>T5-Large</td><td>0.04±0.11</td><td>0.16±0.19</td><td>0.09±0.15</td>"
    "<td>0.17±0.26</td><td>0.08±0.13</td><td>0.33±0.25</td><td>0.08±0.13</td><td>0.13±0.14</td>"
    "<td>0.11±0.18</td><td>0.05±0.12</td><td>0.14±0.17</td><td>0.13±0.14</td><td>0.24±0.21</td>"
    "<td>0.13±0.19</td></tr><tr><td>Vicuna</td><td>0.83±0.26</td><td>0.81±0.22</td>"
    "<td>0.51±0.41</td><td>0.52±0.40</td><td>0.67±0.38</td><td>0.87±0.19</td><td>0.78±0.23</td>"
    "<td>0.78±0.27</td><td>0.41±0.24</td><td>-</td><td>-</td><td>-</td><td>-</td>"
    "<td>0.69±0.34</td></tr></tbody></table>")


def test_average_of_each_rows_printed_cells_beside_gaps_is_no_result():
    from modelbench.collect.tables import page_outcome

    outcome = page_outcome(_PROMPTBENCH)
    assert len(outcome.results) == 13 + 9 and "Avg" not in {
        r.extra["metric_name"] for r in outcome.results}
    assert outcome.counts()["unreadable"] == 0  # an average loses nothing: a note, said
    assert sum("'Avg': the mean of the row's printed cells" in n for n in outcome.notes) == 2
    # an overall measured on all of the data (not the row's mean) is the dataset's score
    measured = page_outcome(_PROMPTBENCH.replace("0.69±0.34", "0.60±0.34"))
    assert {r.score for r in measured.results if r.extra["metric_name"] == "Avg"} == {0.13, 0.60}


# p73 (thisiskorea/euragovqa.github.io, index.html at c5a3771): "Overall Results" after the
# "Abstract" section, both <h2>; one row of its table.
_EURAGOVEXAM = (
    "<title>EuraGovExam</title><h1>EuraGovExam</h1><h2>Abstract</h2><p>We introduce "
    "<b>EuraGovExam</b>, a comprehensive multilingual multimodal benchmark.</p>"
    "<h2>Overall Results</h2><p>Performance of vision-language models on EuraGovExam. All "
    "numbers are accuracy (%).</p><table><thead><tr><th>Rank</th><th>Model</th><th>Overall</th>"
    "<th>India</th><th>EU</th></tr></thead><tbody><tr><td>🥇</td><td><b>Gemini-2.5-pro</b></td>"
    "<td><b>86.99</b></td><td>69.23</td><td>88.08</td></tr></tbody></table>")


def test_a_results_heading_after_a_section_of_its_rank_takes_no_config_from_it():
    from modelbench.collect.tables import page_outcome

    def configs(html: str) -> list[str]:
        return [r.dataset_config for r in page_outcome(html).results]

    assert configs(_EURAGOVEXAM) == ["", "India", "EU"]
    # any <h2> before it is the section before, whatever it names ("Key Findings", an <h2> of p73)
    assert configs(_EURAGOVEXAM.replace("Abstract", "Key Findings")) == ["", "India", "EU"]
    # an <h3> section holding an <h4> "Main Result" (p71's "Divided Attention") is its config
    nested = _EURAGOVEXAM.replace("<h2>Abstract</h2>", "<h3>Abstract</h3>").replace(
        "<h2>Overall Results</h2>", "<h4>Overall Results</h4>")
    assert configs(nested.replace("Abstract", "Divided Attention")) == [
        "Divided Attention", "Divided Attention / India", "Divided Attention / EU"]
    # p75 (qugank/pqa.github.io): a paper's own section names no part of its data
    assert configs(nested.replace("Abstract", "Our Solution")) == ["", "India", "EU"]


# p76 (truthfulvqa/truthfulvqa.github.io at 6be5695): a paper's title as <title> and <h1>, the
# benchmark named in the description, "accuracy" only as the judge's and as a quality; the first
# row of its leaderboard, five of its fifteen columns.
_TRUTHFULVQA = (
    '<head><meta content="TruthfulVQA: A Benchmark for Evaluating Truthfulness in Visual Question'
    ' Answering" name="description" /><title>When Slower Isn’t Truer: Inverse Scaling Law of '
    "Truthfulness in Multimodal Reasoning</title></head><body><h1>When Slower Isn’t Truer:<br>"
    "Inverse Scaling Law of Truthfulness in Multimodal Reasoning</h1><p><b>TL;DR</b>: We "
    "introduce TruthfulVQA, the first large-scale multimodal truthfulness benchmark.</p><ul><li>"
    "Our specialised judge model, TruthfulJudge, is well-calibrated (ECE=0.12), achieving 88.4% "
    "judge accuracy.</li></ul><p>This structure enables fine-grained evaluation of a model's "
    "ability to resist dishonesty and maintain factual accuracy.</p><h2>Leaderboard</h2><table>"
    "<thead><tr><th>Rank</th><th>MLLMs</th><th>Overall</th><th>CAI</th><th>L1</th><th>L2</th>"
    "<th>S1</th></tr></thead><tbody><tr><td>1</td><td>InternVL-2.5-38B</td><td>77.97%</td>"
    "<td>0.2552</td><td>91.18%</td><td>76.48%</td><td>81.06%</td></tr></tbody></table></body>")


def test_a_paper_titled_page_names_its_benchmark_by_its_description_and_its_measures():
    from modelbench.collect.tables import page_outcome

    got = [(r.dataset, r.dataset_config, r.metric, r.score)
           for r in page_outcome(_TRUTHFULVQA).results]
    assert got == [("TruthfulVQA", "", "score", 77.97), ("TruthfulVQA", "", "cai", 0.2552),
                   ("TruthfulVQA", "L1", "score", 91.18), ("TruthfulVQA", "L2", "score", 76.48),
                   ("TruthfulVQA", "S1", "score", 81.06)]
    # a page whose title is its name keeps it, whatever its description opens with
    named = _TRUTHFULVQA.replace("<title>When Slower", "<title>TVQA</title><title>When")
    assert {r.dataset for r in page_outcome(named.replace(
        "<h1>When Slower Isn’t Truer:<br>Inverse Scaling Law of Truthfulness in Multimodal "
        "Reasoning</h1>", "<h1>TVQA</h1>")).results} == {"TVQA"}


# p74 (seal-qa/seal-qa.github.io, docs/index.html at efc424b, a Next.js export): one spanning
# "Accuracy" over All | Text Only | Multimodal; the first row, its classes dropped.
_SEALQA = (
    "<title>SealQA</title><h1>SealQA</h1><table><thead><tr><th colSpan=1></th><th colSpan=1></th>"
    "<th colSpan=3>Accuracy</th></tr><tr><th>Category</th><th>Model</th><th><button><span>All"
    "</span></button></th><th><button><span>Text Only</span></button></th><th><button><span>"
    "Multimodal</span></button></th></tr></thead><tbody><tr><td>LLM baselines</td><td>O3</td>"
    "<td>33.7%</td><td>32.4%</td><td>48.6%</td></tr></tbody></table>")


def test_the_columns_under_a_spanning_measure_beside_its_overall_are_parts_of_the_data():
    from modelbench.collect.tables import page_outcome

    got = [(r.dataset_config, r.metric, r.score) for r in page_outcome(_SEALQA).results]
    assert got == [("", "accuracy", 33.7), ("Text Only", "accuracy", 32.4),
                   ("Multimodal", "accuracy", 48.6)]


# p77 (groundvlm/groundvlm.github.io at a520b2b): the methods' rows under two LVLMs, each over
# COCO | Objects365, the measure in the note under the table, under a heading that is a claim;
# two of its four rows and one of its figures above the table.
_GROUNDVLM = (
    "<title>Self-Improving Small Object Grounding in LVLMs</title><h1>Self-Improving Small Object"
    " Grounding in LVLMs</h1><h2>Consistent gains, no fine-tuning</h2><p>Across COCO and "
    "Objects365, on two different LVLM families, ACS improves small-object grounding over greedy"
    ' decoding.</p><div class="stat"><div class="num">+19.4%</div><div class="lab"><b>ACS-Learned'
    "</b> on InternVL-3.5<br>COCO Acc@0.5</div></div><table><thead><tr><th rowspan=2>Method</th>"
    "<th colspan=2>Qwen2.5-VL-7B</th>"
    "<th colspan=2>InternVL-3.5-8B</th></tr><tr><th>COCO</th><th>Objects365</th><th>COCO</th>"
    "<th>Objects365</th></tr></thead><tbody><tr><td>Greedy decoding</td><td>61.4</td><td>43.0"
    "</td><td>49.1</td><td>21.9</td></tr><tr><td>ACS-Free <span>(training-free)</span></td>"
    "<td>63.4</td><td>43.0</td><td>53.1</td><td>24.8</td></tr></tbody></table><p "
    'class="tnote">Small-object localization <b>Acc@0.5 (%)</b>, best per column in teal.</p>')


def test_column_groups_naming_sized_models_run_the_rows_methods_on_the_data_under_them():
    from modelbench.collect.tables import page_outcome

    got = {(r.model_name, r.dataset, r.dataset_config, r.metric.replace("acc", "Acc")): r.score
           for r in page_outcome(_GROUNDVLM).results}
    assert got == {
        ("Greedy decoding (Qwen2.5-VL-7B)", "COCO", "", "Acc@0.5"): 61.4,
        ("Greedy decoding (Qwen2.5-VL-7B)", "Objects365", "", "Acc@0.5"): 43.0,
        ("Greedy decoding (InternVL-3.5-8B)", "COCO", "", "Acc@0.5"): 49.1,
        ("Greedy decoding (InternVL-3.5-8B)", "Objects365", "", "Acc@0.5"): 21.9,
        ("ACS-Free (Qwen2.5-VL-7B)", "COCO", "", "Acc@0.5"): 63.4,
        ("ACS-Free (Qwen2.5-VL-7B)", "Objects365", "", "Acc@0.5"): 43.0,
        ("ACS-Free (InternVL-3.5-8B)", "COCO", "", "Acc@0.5"): 53.1,
        ("ACS-Free (InternVL-3.5-8B)", "Objects365", "", "Acc@0.5"): 24.8}
