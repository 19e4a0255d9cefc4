"""Numbered table titles and notes around a page's tables (f28pb, issue 11): real snippets of
the held-out pages p79 (LitLLMs) and p80 (ProfiLLM), cut to one or two rows."""

from __future__ import annotations

from modelbench.collect.tables import page_outcome

# p79 (LitLLM/litllm.github.io index.html at 63d0817): a plain table under a topic heading,
# its dataset only in the numbered title printed under it.
_LITLLM = (
    "<title>LitLLMs</title><h1>LitLLMs</h1><h3>Generation Module</h3><p>Once relevant papers are"
    " retrieved, our generation module synthesizes them into a coherent literature review. To "
    "evaluate quality, we employed multiple metrics: <strong>ROUGE</strong> scores to measure "
    "text overlap with reference reviews, <strong>BERTScore</strong> for semantic similarity "
    "assessment, <strong>Llama-3-Eval</strong> for LLM-based quality evaluation.</p>"
    "<table><thead><tr><th>Model</th><th>ROUGE1 ↑</th><th>BERTScore↑</th><th>Llama-3-Eval↑</th>"
    "</tr></thead><tbody><tr><td>CodeLlama 34B-Instruct (Plan)</td><td>27.369</td><td>83.386"
    "</td><td>67.362</td></tr></tbody></table><p class=\"has-text-centered\"><em>Table 1: "
    "Zero-shot results on the proposed RollingEval-Aug dataset.</em></p>")


def test_a_numbered_title_under_the_table_names_its_dataset():
    got = [(r.model_name, r.dataset, r.dataset_config, r.metric, r.score)
           for r in page_outcome(_LITLLM).results]
    assert [row[1:3] for row in got] == [("RollingEval-Aug", "")] * 3
    assert [row[4] for row in got] == [27.369, 83.386, 67.362]


def test_without_the_title_the_topic_heading_names_no_dataset():
    untitled = _LITLLM.replace("Table 1: Zero-shot results on the proposed RollingEval-Aug "
                               "dataset.", "Zero-shot results.")
    out = page_outcome(untitled)
    assert out.results == [] and len(out.unreadable) == 3


# p80 (ProfiLLM/ProfiLLM.github.io index.html at 36d422b): numbered titles in the heading
# above each table, a note in the <caption> under it; one row of each table.
_PROFILLM = (
    "<title>ProfiLLM</title><h1>ProfiLLM</h1><h2>Key Results</h2><p>ProfiLLM consistently "
    "outperforms traditional and naive-LLM baselines across three cities.</p>"
    "<h3 class=\"subh\">Table 1 &mdash; Dispatching simulation: relative improvement (%) over "
    "pickup-distance KM (Overall)</h3><div class=\"tw\"><table class=\"dt\" id=\"t1\"><thead><tr>"
    "<th rowspan=\"2\">Method</th><th colspan=\"2\">City A</th><th colspan=\"2\">City B</th></tr>"
    "<tr><th>GMV</th><th>CR</th><th>GMV</th><th>CR</th></tr></thead><tbody><tr><td>GRC</td>"
    "<td>+0.73</td><td class=\"neg\">&minus;3.42</td><td>+1.15</td><td class=\"neg\">&minus;2.18"
    "</td></tr></tbody><caption>Static transcription of Table&nbsp;1 (Overall columns). "
    "Morning/Noon/Evening breakdowns are in the full appendix.</caption></table></div>"
    "<h3 class=\"subh\">Table 2 &mdash; Multi-task prediction AUC improvement (%) over "
    "Structured-Only</h3><div class=\"tw\"><table class=\"dt\" id=\"t2\"><thead><tr><th "
    "rowspan=\"2\">Method</th><th colspan=\"2\">City A</th></tr><tr><th>Acc</th><th>P-Can</th>"
    "</tr></thead><tbody><tr><td>Kimi-K2</td><td class=\"neg\">&minus;0.17</td><td>+2.11</td>"
    "</tr></tbody><caption>Static transcription of Table&nbsp;2. The headline <b>+6.14%</b> is "
    "ProfiLLM on P-Cancel, City&nbsp;A (highlighted). Note that several off-the-shelf backbones "
    "<em>degrade</em> prediction (e.g., Kimi-K2 &minus;6.33% P-Cancel / City&nbsp;B): profile "
    "fluency is not a reliable proxy for utility.</caption></table></div>")


def _rows(html: str) -> list[tuple]:
    return [(r.model_name, r.dataset, r.dataset_config, r.metric, r.score)
            for r in page_outcome(html).results]


def test_the_task_a_numbered_title_says_the_cells_improve_on_is_the_dataset():
    got = _rows(_PROFILLM)
    assert got[:4] == [("GRC", "Dispatching simulation", "City A", "gmv", 0.73),
                       ("GRC", "Dispatching simulation", "City A", "cr", -3.42),
                       ("GRC", "Dispatching simulation", "City B", "gmv", 1.15),
                       ("GRC", "Dispatching simulation", "City B", "cr", -2.18)]


def test_the_measure_a_title_gives_every_cell_makes_the_columns_conditions():
    got = _rows(_PROFILLM)[4:]
    assert got == [("Kimi-K2", "Multi-task prediction", "City A, Acc", "auc", -0.17),
                   ("Kimi-K2", "Multi-task prediction", "City A, P-Can", "auc", 2.11)]


def test_a_note_in_the_caption_names_no_dataset_and_no_config():
    untitled = _PROFILLM.replace("Table 2 &mdash; Multi-task prediction AUC improvement (%) over "
                                 "Structured-Only", "More results")
    got = _rows(untitled)[4:]
    assert [row[1:3] for row in got] == [("ProfiLLM", "City A"), ("ProfiLLM", "City A / P-Can")]


# p81 (props-llm/props-llm.github.io index.html at c84c94b): the environments as rows, each
# baseline named in the cell before its value under a spanning header; the measure in the
# sentence above the table. Two of its five rows.
_PROPS = (
    "<title>ProPS</title><h1>ProPS</h1><h2>Experiment Results</h2><p>The table below displays "
    "the average return and standard deviation over 10 random seeds for each method.</p>"
    "<table><thead><tr><th rowspan=\"2\">Domain</th><th colspan=\"2\">Best Baseline</th>"
    "<th colspan=\"2\">2nd Best Baseline</th><th rowspan=\"2\"><code>ProPS</code></th>"
    "<th rowspan=\"2\"><code>ProPS<sup>+</sup></code></th></tr></thead><tbody><tr>"
    "<td class=\"domain\">Mount. Car (C)</td><td class=\"algo\">SAC</td><td class=\"value\">"
    "86.65 ± 0.84</td><td class=\"algo\">PPO</td><td class=\"value\">78.16 ± 5.32</td>"
    "<td><u>87.21 ± 29.28</u></td><td class=\"highlight\">89.16 ± 29.72</td></tr><tr>"
    "<td class=\"domain\">Reacher</td><td class=\"algo highlight\">PPO</td><td class=\"value "
    "highlight\">-7.32 ± 0.38</td><td class=\"algo\">TRPO</td><td class=\"value\"><u>-8.93 ± "
    "1.39</u></td><td>-11.32 ± 1.37</td><td>-18.15 ± 22.06</td></tr></tbody></table>")


def test_a_model_named_in_the_cell_before_its_value_is_that_values_model():
    got = _rows(_PROPS)
    assert sorted(got) == sorted([
        ("SAC", "Mount. Car (C)", "", "average return", 86.65),
        ("PPO", "Mount. Car (C)", "", "average return", 78.16),
        ("ProPS", "Mount. Car (C)", "", "average return", 87.21),
        ("ProPS+", "Mount. Car (C)", "", "average return", 89.16),
        ("PPO", "Reacher", "", "average return", -7.32),
        ("TRPO", "Reacher", "", "average return", -8.93),
        ("ProPS", "Reacher", "", "average return", -11.32),
        ("ProPS+", "Reacher", "", "average return", -18.15)])


def test_rows_of_data_whose_models_are_not_read_are_said_unreadable_not_stored():
    blank = _PROPS.replace('<td class="algo">TRPO</td>', '<td class="algo"></td>')
    out = page_outcome(blank)
    assert out.results == [] and len(out.unreadable) == 1
    assert "'Domain' (data, not models)" in out.unreadable[0]
