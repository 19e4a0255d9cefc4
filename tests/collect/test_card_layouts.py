"""Card tables laid out by their corner cell (``modelbench.collect.cardlayouts``): a measure in
the corner over the subsets of a heading's benchmark, a "Context/Dataset" corner over the
settings of the card's one model; a leaderboard's columns the text lists as its tasks."""

from __future__ import annotations

from modelbench.collect.cardtables import card_table_outcome
from modelbench.collect.huggingface import card_outcome

from .real_truth import REAL


def _read(model: str, body: str) -> list[tuple[str, str, str, float]]:
    out = card_table_outcome(model, body)
    return [(r.dataset, r.dataset_config, r.metric, r.score) for r in out.results]


CORNER_MEASURE = """#### BEIR

| **NDCG@10**  | **jina-colbert-v2** | **BM25** |
|--------------|---------------------|----------|
| **avg**      | 0.531               | 0.440    |
| **nfcorpus** | 0.346               | 0.325    |
| **fiqa**     | 0.408               | 0.236    |

#### MS MARCO Passage Retrieval

| **MRR@10**  | **jina-colbert-v2** | **BM25** |
|-------------|---------------------|----------|
| **MSMARCO** | 0.396               | 0.187    |
"""


def test_a_measure_in_the_corner_over_the_subsets_of_the_headings_benchmark():
    # (c153's layout) the own column, rows configs of the heading's benchmark, avg no result;
    # the one row printing the heading's name is the benchmark itself
    assert _read("jinaai/jina-colbert-v2", CORNER_MEASURE) == [
        ("BEIR", "nfcorpus", "ndcg@10", 0.346), ("BEIR", "fiqa", "ndcg@10", 0.408),
        ("MSMARCO", "", "mrr@10", 0.396)]


def test_a_corner_measure_table_without_the_own_column_is_not_read_but_said():
    body = "#### BEIR\n\n| NDCG@10 | ColBERTv2.0 | BM25 |\n|--|--|--|\n| fiqa | 0.408 | 0.404 |\n"
    out = card_table_outcome("jinaai/jina-colbert-v2", body)
    assert out.results == [] and "names neither models nor benchmarks" in out.notes[0]
    # with no heading naming the benchmark, the rows are of no known data: not read
    assert _read("jinaai/jina-colbert-v2", CORNER_MEASURE.replace("#### BEIR", "")) == [
        ("MSMARCO", "", "mrr@10", 0.396)]


SETTING_CORNER = """Our model also improves with long context on TREC and WebQS.

| Context/Dataset | TREC  | WebQS |
| --- | --- | --- |
| 2K | 67.0 |  21.2 |
| 8K | **73.3** | **22.4** |
"""


def test_a_setting_corner_makes_each_row_a_config_of_the_cards_one_model():
    # (c151's layout) rows are context lengths, columns datasets, no metric printed
    assert _read("syzymon/long_llama_3b", SETTING_CORNER) == [
        ("TREC", "2K", "score", 67.0), ("WebQS", "2K", "score", 21.2),
        ("TREC", "8K", "score", 73.3), ("WebQS", "8K", "score", 22.4)]
    # a corner naming models over datasets is no setting table
    assert _read("o/m", SETTING_CORNER.replace("Context/Dataset", "Teacher/Dataset")) == []


LEADERBOARD_TASKS = """## Evaluation

Models have been evaluated on [Open PL LLM Leaderboard](https://huggingface.co/spaces/x) 5-shot.
Here are presented:
- Average - average score among all tasks normalized by baseline scores
- Reranking - reranking task, commonly used in RAG
- Reader (Generator) - open book question answering task, commonly used in RAG
- Perplexity (lower is better) - as a bonus

|                         | Average | RAG Reranking | RAG Reader | Perplexity |
|-------------------------|--------:|--------------:|-----------:|-----------:|
| OPI-PG/Qra-7b           |   11.13 |         54.40 |      75.25 |     203.36 |
| [Bielik-7B-v0.1](https://huggingface.co/speakleash/Bielik-7B-v0.1) | 29.38 | **62.13** | \
**88.39** | 123.31 |
"""


def test_a_leaderboards_columns_the_text_lists_as_its_tasks_are_its_configs():
    # (c152's layout) "RAG Reranking" is the listed task "Reranking" of the named leaderboard,
    # not a dataset "RAG" told apart by a last word; "Perplexity" is the board's measure
    board = "Open PL LLM Leaderboard"
    assert _read("speakleash/Bielik-7B-v0.1", LEADERBOARD_TASKS) == [
        (board, "RAG Reranking", "score", 62.13), (board, "RAG Reader", "score", 88.39),
        (board, "", "perplexity", 123.31)]
    # with no leaderboard named, nothing is filed under it, and "Reranking" (a plain word, no
    # abbreviation such as "MC", "CoT") does not tell "RAG" apart as a setting
    unnamed = LEADERBOARD_TASKS.replace("evaluated on [Open PL LLM Leaderboard](https://"
                                        "huggingface.co/spaces/x)", "evaluated")
    assert _read("speakleash/Bielik-7B-v0.1", unnamed) == [
        ("RAG Reranking", "", "score", 62.13), ("RAG Reader", "", "score", 88.39)]


DATASET_METRIC_ROW = """# Evaluation

We evaluated the model using the same test sets as used for the [Open Ita LLM Leaderboard](x)

| hellaswag_it acc_norm | arc_it acc_norm | m_mmlu_it 5-shot acc | Average |
|:----------------------| :--------------- | :-------------------- | :------- |
| 0.6067 | 0.4405 | 0.5112 | 0,52 |
"""


def test_a_model_less_row_under_dataset_and_metric_headers_is_the_cards_own():
    # (c148's layout, c84's without its "Metric" corner) shots dropped, the average no result
    out = card_table_outcome("MoxoffSpA/Azzurro", DATASET_METRIC_ROW)
    assert [(r.dataset, r.metric, r.score) for r in out.results] == [
        ("hellaswag_it", "acc_norm", 0.6067), ("arc_it", "acc_norm", 0.4405),
        ("m_mmlu_it", "accuracy", 0.5112)]
    assert out.unreadable == []
    # a header naming no data ("Pearson") leaves the row unread, each value said
    out = card_table_outcome("o/m", DATASET_METRIC_ROW.replace("arc_it acc_norm", "Pearson"))
    assert out.results == [] and len(out.unreadable) == 4


BASE_FINE_TUNES = """### Fine-tuning on NLU tasks

We present the dev results on SQuAD 1.1/2.0 and several GLUE benchmark tasks.

| Model                     | SQuAD 1.1 | MNLI-m/mm   | SST-2 |
|---------------------------|-----------|-------------|-------|
|                           | F1/EM     | Acc         | Acc   |
| BERT-Large                | 90.9/84.1 | 86.6/-      | 93.2  |
| [DeBERTa-V2-XLarge](https://huggingface.co/microsoft/deberta-v2-xlarge)<sup>1</sup>|95.8/90.8\
|91.7/91.6| **97.5**|
| [DeBERTa-V2-XXLarge](https://huggingface.co/microsoft/deberta-v2-xxlarge)|96.1/91.4|91.7/91.9|97.2|
"""


def test_the_base_row_of_a_fine_tuning_table_gives_the_cards_task_column():
    # (c155's layout) the card is the base fine-tuned on MNLI: the row linking the base's page,
    # its MNLI column only (matched/mismatched), on the split the sentence names
    out = card_table_outcome("microsoft/deberta-v2-xlarge-mnli", BASE_FINE_TUNES)
    assert [(r.dataset, r.dataset_config, r.dataset_split, r.metric, r.score)
            for r in out.results] == [("MNLI", "m", "validation", "accuracy", 91.7),
                                      ("MNLI", "mm", "validation", "accuracy", 91.6)]
    # a fine-tune on a task the table has no column of reads nothing from it
    assert card_table_outcome("microsoft/deberta-v2-xlarge-rte", BASE_FINE_TUNES).results == []


MODELS_CORNER_SPLIT_ROW = """| 模型/数据集 |  Dureader-2021  |  tencentmedical |
| ------------------------------------------|--------------- | --------------- |
|                                           |    F1-score    |    Accuracy     |
|                                           |  dev / A榜     |     test-1      |
| roberta-wwm-ext-large (哈工大预训练语言模型) | 65.49 / 64.27  |     82.5        |
| macbert-large (ours)                      | 70.45 / **68.13**|   **83.4**    |
| roberta-wwm-ext-large (ours)              | 68.91 / 66.91   |    83.1        |
"""


def test_a_models_corner_with_a_split_row_under_the_metric_row():
    # (c131's layout) "模型/数据集" (model/dataset): rows are models; the row under the metric
    # row names each column's splits, "68.91 / 66.91" one value per split; the own row is the
    # "(ours)" row printing the last words of the card's name
    out = card_table_outcome("luhua/chinese_pretrain_mrc_roberta_wwm_ext_large",
                             MODELS_CORNER_SPLIT_ROW)
    assert [(r.dataset, r.dataset_split, r.metric, r.score) for r in out.results] == [
        ("Dureader-2021", "validation", "f1", 68.91), ("Dureader-2021", "A榜", "f1", 66.91),
        ("tencentmedical", "test-1", "accuracy", 83.1)]
    # the base row without "(ours)" is a model quoted for comparison
    unmarked = MODELS_CORNER_SPLIT_ROW.replace("large (ours)              |", "large |")
    assert card_table_outcome("luhua/chinese_pretrain_mrc_roberta_wwm_ext_large",
                              unmarked).results == []


MEASURES_UNDER_HEADING = """## [AlpacaEval Leaderboard Evaluation Results](https://tatsu-lab.github.io/alpaca_eval/)

|                Model                           | LC. Win Rate | Win Rate | Avg. Length |
|-------------------------------------------|:------------:|:--------:|:-----------:|
|[Gemma-2-9B-SPPO Iter1](https://huggingface.co/UCLA-AGI/Gemma-2-9B-It-SPPO-Iter1) |48.70 |40.76 \
| 1669
|[Gemma-2-9B-SPPO Iter3](https://huggingface.co/UCLA-AGI/Gemma-2-9B-It-SPPO-Iter3) |**53.27** \
|**47.74** | 1803
"""


def test_measure_columns_under_a_heading_naming_one_benchmark():
    # (c146's layout) the heading names the benchmark and then section words only; the
    # answers' length is no result
    out = card_table_outcome("UCLA-AGI/Gemma-2-9B-It-SPPO-Iter3", MEASURES_UNDER_HEADING)
    assert [(r.dataset, r.metric, r.score) for r in out.results] == [
        ("AlpacaEval", "lc. win rate", 53.27), ("AlpacaEval", "win rate", 47.74)]
    # under a heading of section words only, the data is unnamed: each value said
    out = card_table_outcome("UCLA-AGI/Gemma-2-9B-It-SPPO-Iter3", MEASURES_UNDER_HEADING.replace(
        "[AlpacaEval Leaderboard Evaluation Results](https://tatsu-lab.github.io/alpaca_eval/)",
        "Evaluation Results"))
    assert out.results == [] and len(out.unreadable) == 3


def test_measure_columns_on_the_data_the_sentence_above_names():
    # (c147's layout) "metrics obtained on MusicCaps" names the data; "-" is no value
    body = ("## Evaluation results\n\nBelow are the objective metrics obtained on MusicCaps with"
            " the released model.\n\n| Model | Frechet Audio Distance | KLD | Chroma Cosine "
            "Similarity |\n|---|---|---|---|\n| **facebook/musicgen-small** | 4.88 | 1.42 | - |\n"
            "| facebook/musicgen-melody | 4.93 | 1.41 | 0.44 |\n")
    out = card_table_outcome("facebook/musicgen-small", body)
    assert [(r.dataset, r.metric, r.score) for r in out.results] == [
        ("MusicCaps", "frechet audio distance", 4.88), ("MusicCaps", "kld", 1.42)]
    # a sentence naming no data leaves each value said unreadable
    out = card_table_outcome("facebook/musicgen-small", body.replace(" on MusicCaps", ""))
    assert out.results == [] and len(out.unreadable) == 2


# c157 EuroLLM's layout: language-pair columns under a heading naming the benchmark, per
# direction averages; the own WMT-23 row printed two cells long, its means confirming neither
# direction: all its six value cells unreadable
PAIR_COLUMNS = """#### Flores-200
| Model | AVG | AVG en-xx | AVG xx-en | en-ar | en-bg | ar-en | bg-en | de-en |
|-------|-----|-----------|-----------|-------|-------|-------|-------|-------|
| Euro-1B | 85.0 | 86.00 | 84.00 | 85.00 | 87.00 | 83.00 | 84.00 | 85.00 |
| Other-2B | 80.0 | 81.00 | 79.00 | 80.00 | 82.00 | 78.00 | 79.00 | 80.00 |

#### WMT-23
| Model | AVG | AVG en-xx | AVG xx-en | en-de | en-cs | de-en | cs-en |
|-------|-----|-----------|-----------|-------|-------|-------|-------|
| Euro-1B | 85.0 | 86.00 | 84.00 | 80.00 | 81.00 | 82.00 | 83.00 | 84.00 | 85.00 |
"""


def test_pair_columns_are_configs_of_the_benchmark_the_heading_names():
    out = card_table_outcome("o/Euro-1B", PAIR_COLUMNS)
    got = [(r.dataset, r.dataset_config, r.metric, r.score) for r in out.results]
    assert got[:2] == [("Flores-200", "en-ar", "score", 85.0),
                       ("Flores-200", "en-bg", "score", 87.0)]
    assert {r.dataset for r in out.results} == {"Flores-200"}  # never a pair as the dataset
    assert len(got) == 5 and len(out.unreadable) == 6  # the WMT-23 row lines up with nothing
    assert "row has 10 cells under 8 headers" in out.unreadable[0]


def test_a_row_two_cells_off_its_header_reads_only_the_direction_its_mean_confirms():
    body = PAIR_COLUMNS.replace("| 83.00 | 84.00 | 85.00 |\n| Other", "| 83.00 |\n| Other")
    assert body != PAIR_COLUMNS
    out = card_table_outcome("o/Euro-1B", body)
    flores = [(r.dataset_config, r.score) for r in out.results]
    assert flores == [("en-ar", 85.0), ("en-bg", 87.0)]  # mean 86.00 = its AVG en-xx
    # its one xx-en cell under three xx-en headers, then WMT-23's six
    assert len(out.unreadable) == 1 + 6 and "'83.00'" in out.unreadable[0]


# c167 Qwen-VL-Chat's layout: "| Model | Score |" under a glossed language sub-heading of a
# section whose text introduces the one benchmark
VALUE_WORD = """### 闲聊能力测评 (Chat Evaluation)

TouchStone 是一个基准。

TouchStone is a benchmark based on scoring with GPT4.

#### 英语 (English)

| Model         | Score |
|---------------|-------|
| PandaGPT      | 488.5 |
| Qwen-VL-Chat  | 645.2 |
"""


def test_a_score_column_is_on_the_benchmark_the_section_introduces():
    assert _read("Qwen/Qwen-VL-Chat", VALUE_WORD) == [("TouchStone", "English", "score", 645.2)]


def test_a_score_column_is_no_dataset():
    body = VALUE_WORD.replace("TouchStone is a benchmark", "We score")
    out = card_table_outcome("Qwen/Qwen-VL-Chat", body)  # no data named: said, not stored
    assert body != VALUE_WORD and out.results == [] and len(out.unreadable) == 1


def test_a_classification_report_gives_class_rows_and_averages():
    # c176: "|  |precision | recall | f1-score |support|" under "## Test set metrics", a rule
    # row between the class rows and accuracy / macro avg / weighted avg
    name = "c176_mrm8488_t5-small-finetuned-imdb-sentiment.md"
    body = (REAL / "cards" / name).read_text(encoding="utf-8")
    out = card_outcome("mrm8488/t5-small-finetuned-imdb-sentiment", body)
    labels = {(r.dataset_config, r.metric, r.score) for r in out.results}
    assert ("negative", "recall", 0.93) in labels and ("positive", "precision", 0.93) in labels
    assert {("", "accuracy", 0.92), ("", "precision_macro", 0.92), ("", "f1_weighted", 0.92)
            } <= labels
    assert len(out.results) == 13 and {r.dataset_split for r in out.results} == {"test"}
    assert {r.dataset for r in out.results} == {"IMDB"}
    # support (12500, 25000) is a count, no result
    assert all(r.score < 1 for r in out.results)


def test_a_table_whose_rows_are_the_splits_gives_each_rows_split():
    # c170: "|Set | Metric | Score |" rows Validation / Test under "## Results", on the card's
    # "fine-tuned on [QuaRTz]"; its "|Set | Samples|" table of split sizes is no result
    name = "c170_mrm8488_t5-base-finetuned-quartz.md"
    out = card_outcome("mrm8488/t5-base-finetuned-quartz",
                       (REAL / "cards" / name).read_text(encoding="utf-8"))
    assert sorted((r.dataset, r.dataset_split, r.score) for r in out.results) == [
        ("QuaRTz", "test", 81.5), ("QuaRTz", "validation", 83.59)]


def test_a_metric_then_the_dataset_and_split_in_brackets():
    # (c160's layout) "MRR@10 (MS MARCO dev)": metric, then dataset and split; a note in
    # brackets that ends with no split ("F1 (macro avg)") is no dataset
    body = ("| | MRR@10 (MS MARCO dev) | R@1000 (MS MARCO dev) |\n| --- | --- | --- |\n"
            "| `splade-cocondenser-selfdistil` | 37.6 | 98.4 |\n")
    out = card_table_outcome("naver/splade-cocondenser-selfdistil", body)
    assert [(r.dataset, r.dataset_split, r.metric, r.score) for r in out.results] == [
        ("MS MARCO", "validation", "mrr@10", 37.6), ("MS MARCO", "validation", "r@1000", 98.4)]


EVALUATION_SET = """---
model-index:
- name: m
  results: []
---
This model is a fine-tuned version of [b/base](https://huggingface.co/b/base) on multiple
combined datasets.

It achieves the following results on the evaluation set:
- Loss: 0.0010
- Accuracy: 0.9999
- F1: 0.9998
"""


def test_an_evaluation_set_list_with_no_model_index_results_is_said_unreadable():
    # (c165's layout) a Trainer card's list, its model-index empty: on which data? The loss,
    # what training minimised, is no result
    from modelbench.collect.huggingface import card_outcome

    out = card_outcome("o/m", EVALUATION_SET)
    assert out.results == [] and [u.split(" on ")[0] for u in out.unreadable] == [
        "o/m: listed 'Accuracy: 0.9999'", "o/m: listed 'F1: 0.9998'"]


def test_an_evaluation_set_list_restating_model_index_results_is_left_alone():
    from modelbench.collect.huggingface import card_outcome

    body = EVALUATION_SET.replace("  results: []\n", """  results:
  - task: {type: text-classification}
    dataset: {name: d, type: d}
    metrics:
    - {type: accuracy, value: 0.9999}
""")
    out = card_outcome("o/m", body)
    assert [r.score for r in out.results] == [0.9999] and out.unreadable == []


# h11ll: c167's, c173's and c140's layouts (excerpts of the real cards, cut short)
TWO_ROW_HEADERS = """### Zero-shot Captioning & General VQA

<table>
<thead>
  <tr>
    <th rowspan="2">Model type</th>
    <th rowspan="2">Model</th>
    <th colspan="2">Zero-shot Captioning</th>
    <th colspan="2">General VQA</th>
  </tr>
  <tr>
    <th>NoCaps</th>
    <th>Flickr30K</th>
    <th>VQAv2<sup>dev</sup></th>
    <th>SciQA-Img<br>(0-shot)</th>
  </tr>
</thead>
<tbody align="center">
  <tr>
    <td rowspan="2">Generalist<br>Models</td>
    <td>Qwen-VL (Qwen-7B)</td>
    <td>121.4</td>
    <td><b>85.8</b></td>
    <td><b>78.8</b></td>
    <td>67.1</td>
  </tr>
  <tr>
    <td>Qwen-VL-Chat</td>
    <td>120.2</td>
    <td>81.0</td>
    <td>78.2</td>
    <td><b>68.2</b></td>
  </tr>
</tbody>
</table>

### Referring Expression Comprehension

<table>
<thead>
  <tr>
    <th rowspan="2">Model type</th>
    <th rowspan="2">Model</th>
    <th colspan="2">RefCOCOg</th>
    <th>GRIT</th>
  </tr>
  <tr>
    <th>val-u</th>
    <th>test-u</th>
    <th>refexp</th>
  </tr>
</thead>
<tbody align="center">
  <tr>
    <td rowspan="2">Generalist Models</td>
    <td>Qwen-VL-7B</td>
    <td>85.58</td>
    <td>85.48</td>
    <td>78.22</td>
  </tr>
  <tr>
    <td>Qwen-VL-7B-Chat</td>
    <td><b>85.96</b></td>
    <td><b>86.32</b></td>
    <td>-</td>
  </tr>
</tbody>
</table>
"""


def test_two_row_headers_over_rowspan_groups_of_models():
    # (c167's layout) a "Model type" column of rowspan groups before the models; a task family
    # over benchmarks ("Zero-shot Captioning" over "NoCaps") is no label, a dataset over splits
    # ("RefCOCOg" over "val-u") gives the split; "<sup>dev</sup>" is a split, "(0-shot)" no
    # part of the data; "Qwen-VL-7B-Chat" is the card's model with its size put in, the
    # "Qwen-VL-7B" beside it the base
    out = card_table_outcome("Qwen/Qwen-VL-Chat", TWO_ROW_HEADERS)
    assert [(r.dataset, r.dataset_split, r.score) for r in out.results] == [
        ("NoCaps", "", 120.2), ("Flickr30K", "", 81.0), ("VQAv2", "validation", 78.2),
        ("SciQA-Img", "", 68.2), ("RefCOCOg", "val-u", 85.96), ("RefCOCOg", "test-u", 86.32)]


THIS_ONE = """## Metrics on evaluation set:

|                     Metric                     |  # score  |
| :--------------------------------------------: | :-------: |
| F1                                       | **70.00**
| Precision                                | **67.83** |

## Comparison:

|                     Model                      |  # F1 score  |Size(MB)|
| :--------------------------------------------: | :-------: |:------|
|           bert-base-spanish-wwm-cased (BETO)   |   88.43   | 421
|TinyBERT-spanish-uncased-finetuned-ner (this one)  | 70.00 | **55** |
"""


def test_an_own_comparison_row_marked_this_one_repeats_the_metrics_table():
    # (c173's layout, mrm8488's cards) "(this one)" marks the card's row as "(ours)" does, "#"
    # before a metric is no count; its F1 repeats the evaluation-set table's: a duplicate
    body = ("- [Dataset:  CONLL Corpora ES](https://www.kaggle.com/x)\n\n| Dataset | # Examples"
            " |\n| --- | --- |\n| Train | 8.7 K |\n| Dev | 2.2 K |\n\n" + THIS_ONE)
    out = card_table_outcome("mrm8488/TinyBERT-spanish-uncased-finetuned-ner", body)
    assert [(r.dataset_split, r.metric, r.score) for r in out.results] == [
        ("validation", "f1", 70.0), ("validation", "precision", 67.83)]
    assert len(out.duplicates) == 1


QUANTIZED_RELEASES = """#### Performance of Quantized Models
This section reports the generation performance of quantized models. Specifically, we report:

- MMMU_VAL (Accuracy)
- MMBench_DEV_EN (Accuracy)
- MathVista_MINI (Accuracy)

| Model Size | Quantization | MMMU | MMBench | MathVista  |
| --- | --- | --- | --- | --- |
| Qwen2-VL-72B-Instruct | BF16<br><sup>([🤗](https://huggingface.co/Qwen/Qwen2-VL-72B-Instruct)) \
| 65.44 | 86.94 | 70.19 |
|  | GPTQ-Int8<br><sup>([🤗](https://huggingface.co/Qwen/Qwen2-VL-72B-Instruct-GPTQ-Int8)) \
| 64.56 | 87.03 | 68.90 |
|  | AWQ<br><sup>([🤗](https://huggingface.co/Qwen/Qwen2-VL-72B-Instruct-AWQ)) \
| 64.22 | 86.43 | 68.40 |
"""


def test_a_table_of_quantised_releases_under_a_list_of_toolkit_names():
    # (c140's layout, Qwen's GPTQ/AWQ cards) the blank model cell continues the name above,
    # "AWQ" names the release's repository; "MMBench_DEV_EN (Accuracy)": dataset, split, part
    # and metric of the "MMBench" column (VLMEvalKit's names)
    for model, want in (("Qwen/Qwen2-VL-72B-Instruct-AWQ", [64.22, 86.43, 68.4]),
                        ("Qwen/Qwen2-VL-72B-Instruct-GPTQ-Int8", [64.56, 87.03, 68.9])):
        out = card_table_outcome(model, QUANTIZED_RELEASES)
        assert [r.score for r in out.results] == want
    assert [(r.dataset, r.dataset_config, r.dataset_split, r.metric) for r in out.results] == [
        ("MMMU", "", "val", "accuracy"), ("MMBench", "EN", "dev", "accuracy"),
        ("MathVista", "", "mini", "accuracy")]


IMPROVED_IN_PROSE = """---
model-index:
- name: NeuralHermes-2.5-Mistral-7B
  results:
  - task: {type: text-generation}
    dataset: {name: HellaSwag (10-Shot), type: hellaswag, split: validation}
    metrics:
    - {type: acc_norm, value: 84.9}
---
## Results

Results are improved on every benchmark: **AGIEval** (from 43.07% to 43.62%), **GPT4All** (from
73.12% to 73.25%), and **TruthfulQA**.

### AGIEval
![](https://i.imgur.com/7an3B1f.png)

## Training hyperparameters

**LoRA**: the rank went (from 8 to 16).
"""


def test_scores_stated_in_prose_as_an_improvement_over_the_base():
    # (c134's layout) "**AGIEval** (from 43.07% to 43.62%)": the "to" value is the card's
    # model's (the "from" value the base's), beside its model-index; outside a results
    # section the same words are no result
    out = card_outcome("mlabonne/NeuralHermes-2.5-Mistral-7B", IMPROVED_IN_PROSE)
    assert [(r.dataset, r.metric, r.score) for r in out.results] == [
        ("hellaswag", "acc_norm", 84.9), ("AGIEval", "score", 43.62), ("GPT4All", "score", 73.25)]


COUNTED_COLLECTION = """### 1. Reranking Performance

**Setup:** we use BM25 as the first-stage retrieval model, and then use ColBERT for reranking. \
We evaluate the out-of-domain performance on 3 public BEIR datasets. Following common practice, \
we report NDCG@10 as the metrics.

| Dataset          | ColBERTv2 | Jina-ColBERT-v1 | mxbai-colbert-large-v1 |
| ---------------- | --------: | --------------: | ---------------------: |
| ArguAna          |     29.99 |       **33.42** |                  33.11 |
| NFCorpus         |     33.75 |       **36.69** |                  36.37 |
| TREC-COVID       |     59.47 |           75.00 |              **81.04** |
| Average          |     43.08 |           49.82 |              **50.37** |

### 2. Retrieval Performance

We also test our model's performance on retrieval tasks on a subset of the BEIR benchmarks.

Due to resource limitations, we only test our model on three beir tasks. NDCG@10 servers as the \
main metric.

| Model      | ColBERTv2 | Jina-ColBERT-V1 | mxbai-colbert-large-v1 |
| ---------- | --------: | --------------: | ---------------------: |
| NFCorpus   |      33.7 |            33.8 |               **36.5** |
| SciFact    |      68.9 |            70.1 |               **71.3** |
| TREC-COVID |      72.6 |            75.0 |               **80.5** |
"""


def test_dataset_rows_of_a_collection_the_text_counts():
    # (c182's layout) "on 3 public BEIR datasets" over three dataset rows (Average no result):
    # the rows are BEIR's, the metric the text's, the heading's task tells the two tables
    # apart; corner "Model" over dataset rows when the card's model is a column
    got = _read("mixedbread-ai/mxbai-colbert-large-v1", COUNTED_COLLECTION)
    assert got == [("BEIR", "ArguAna, Reranking", "ndcg@10", 33.11),
                   ("BEIR", "NFCorpus, Reranking", "ndcg@10", 36.37),
                   ("BEIR", "TREC-COVID, Reranking", "ndcg@10", 81.04),
                   ("BEIR", "NFCorpus, Retrieval", "ndcg@10", 36.5),
                   ("BEIR", "SciFact, Retrieval", "ndcg@10", 71.3),
                   ("BEIR", "TREC-COVID, Retrieval", "ndcg@10", 80.5)]
    # a count the rows do not match ties the text to no table: the rows are their own data
    miscounted = COUNTED_COLLECTION.replace("on 3 public", "on 13 public")
    got = _read("mixedbread-ai/mxbai-colbert-large-v1", miscounted)
    assert ("ArguAna", "", "score", 33.11) in got and got[-1][0] == "BEIR"


HEADING_WITH_WORDS_OF_ITS_OWN = """### Evaluation Results

#### Reward Bench Primary Dataset

Evaluated using RewardBench - as introduced in the paper [RewardBench: Evaluating Reward Models \
for Language Modeling](https://arxiv.org/abs/2403.13787).

| Overall | Chat | Chat-Hard | Safety | Reasoning |
| --------- | ------- | -------------- | --------- | -------------- |
|  92.0 | 95.8 | 87.1 | 91.5 | 93.7 |
"""


def test_the_benchmark_the_line_under_a_heading_names_by_itself():
    # (c185's layout) the heading prints "Reward Bench" with words of its own; the line under
    # it names the benchmark alone: "RewardBench", configs the columns, Overall the whole
    got = _read("nvidia/Nemotron-4-340B-Reward", HEADING_WITH_WORDS_OF_ITS_OWN)
    assert [(d, c) for d, c, _, _ in got] == [
        ("RewardBench", ""), ("RewardBench", "Chat"), ("RewardBench", "Chat-Hard"),
        ("RewardBench", "Safety"), ("RewardBench", "Reasoning")]


LISTED_DATA_PARTS = """The following datasets were used to evaluate model performance.

- [PubMed QA](https://huggingface.co/datasets/pubmed_qa)
  - Subset: pqa_labeled, Split: train, Pair: (question, long_answer)
- [PubMed Subset](https://huggingface.co/datasets/zxvix/pubmed_subset_new)
  - Split: test, Pair: (title, text)

Evaluation results are shown below. The [Pearson correlation coefficient](https://en.wikipedia.\
org/wiki/Pearson_correlation_coefficient) is used as the evaluation metric.

| Model | PubMed QA | PubMed Subset | Average |
| --- | --------- | ------------- | --------- |
| [all-MiniLM-L6-v2](https://hf.co/sentence-transformers/all-MiniLM-L6-v2) | 90.40 | 95.86 | 93.44 |
| [**pubmedbert-base-embeddings**](https://hf.co/neuml/pubmedbert-base-embeddings) | \
**93.27** | **97.07** | **95.64** |
"""


def test_subsets_splits_of_a_data_list_and_the_metric_a_sentence_names():
    # (c188's layout) the list above gives each column's subset and split, the sentence the
    # one metric ("is used as the evaluation metric"); the average no result
    out = card_table_outcome("NeuML/pubmedbert-base-embeddings", LISTED_DATA_PARTS)
    assert [(r.dataset, r.dataset_config, r.dataset_split, r.metric, r.score)
            for r in out.results] == [
        ("PubMed QA", "pqa_labeled", "train", "pearson correlation coefficient", 93.27),
        ("PubMed Subset", "", "test", "pearson correlation coefficient", 97.07)]


GLUED_VARIANT = """\
| Dataset\\Models | InternLM2-7B | InternLM2-Chat-7B | InternLM2-20B | InternLM2-Chat-20B |
| --- | --- | --- | --- | --- |
| HumanEval | 43.3 | 59.8 | 48.8 | 67.1 |
| MBPP(Sanitized) | 51.8 | 51.4 | 63.0 | 65.8 |
"""


def test_a_variant_glued_to_the_dataset_in_brackets():
    # (c181's layout) "MBPP(Sanitized)": MBPP, config Sanitized
    assert _read("internlm/internlm2-chat-7b", GLUED_VARIANT) == [
        ("HumanEval", "", "score", 59.8), ("MBPP", "Sanitized", "score", 51.4)]


CHECKPOINT_COMPARISON = """## Model Comparison
Explore the dataset and runtime metrics of this model in timm [model results](https://github.com/\
huggingface/pytorch-image-models/tree/main/results).

|model                                     |img_size|top1 |top5 |param_count|gmacs|macts|img/sec|
|------------------------------------------|--------|-----|-----|-----------|-----|-----|-------|
|[senet154.gluon_in1k](https://huggingface.co/timm/senet154.gluon_in1k)|224     |81.23|95.35|\
115.1      |20.8 |38.7 |545    |
|[resnet50.a1_in1k](https://huggingface.co/timm/resnet50.a1_in1k)|288     |81.22|95.11|25.6       \
|6.8  |18.4 |2089   |
"""


def test_metric_columns_of_a_checkpoint_comparison_on_no_named_data_are_said_unreadable():
    # (c187's layout, timm's table) top1/top5 name no data: the own row's two values said
    # unreadable, not dropped; "macts" (activations) is a cost as "gmacs" is, no dataset
    out = card_table_outcome("timm/resnet50.a1_in1k", CHECKPOINT_COMPARISON)
    assert out.results == [] and len(out.unreadable) == 2
    assert "'top1': '81.22'" in out.unreadable[0] and "'top5': '95.11'" in out.unreadable[1]


FORMAT_ROWS = """We illustrate the model performance of both BF16 and Int4 models on the benchmark \
**[TouchStone](https://github.com/OFA-Sys/TouchStone)**, and we find that the quantized model does \
not suffer from significant performance degradation. Results are shown below:

| Quantization | ZH.        | EN            |
| ------------ | :--------: | :-----------: |
| BF16         | 401.2      |    645.2      |
| Int4         | 386.6      |    651.4      |

### 推理速度 (Inference Speed)

| Quantization | Speed (2048 tokens) | Speed (8192 tokens) |
| ------------ | :-----------------: | :-----------------: |
| BF16         |        28.87        |        24.32        |
| Int4         |        37.79        |        34.34        |
"""


def test_the_format_row_of_a_quantised_repository_on_the_benchmark_the_line_names():
    # (c186's layout) rows BF16 / Int4 under "Quantization": the card's repository is the
    # Int4 release, so that row is its own (BF16 the base's); the columns are parts of the
    # benchmark the line above names; speed no result
    assert _read("Qwen/Qwen-VL-Chat-Int4", FORMAT_ROWS) == [
        ("TouchStone", "ZH.", "score", 386.6), ("TouchStone", "EN", "score", 651.4)]
    # the base's card reads the BF16 row: no format in its name names another
    assert _read("Qwen/Qwen-VL-Chat", FORMAT_ROWS) == []


METRIC_GROUPS = """#### Results

|      | Top 20 |           |    |      |       | Top 100|           |    |      |       |
|:----:|:------:|:---------:|:--:|:----:|:-----:|:------:|:---------:|:--:|:----:|:-----:|
|      | NQ     |  TriviaQA | WQ | TREC | SQuAD | NQ     |  TriviaQA | WQ | TREC | SQuAD |
|      | 79.4   |  78.8     |75.0| 89.1 | 51.6  | 86.0   |  84.7     |82.9| 93.9 | 67.6  |
"""


def test_one_unlabelled_row_under_metric_groups_over_datasets():
    # (c189's layout) "Top 20" / "Top 100" spanning the datasets under them, one value row
    # with no label: the card's model's, metric the group, dataset the sub-header
    got = _read("facebook/dpr-ctx_encoder-multiset-base", METRIC_GROUPS)
    assert len(got) == 10 and got[0] == ("NQ", "", "top20_accuracy", 79.4)
    assert got[7] == ("WQ", "", "top100_accuracy", 82.9)
    # a second unlabelled row: whose is which? nothing read
    two_rows = METRIC_GROUPS + "|      | 1.0 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |\n"
    assert _read("facebook/dpr-ctx_encoder-multiset-base", two_rows) == []


DATA_HEADING_CHECKPOINT_LINK = """## Evaluation
### COCO 2017 (256x256, val, 5000 images)
| Model    | train steps | rFID | PSNR         | SSIM          | Link | Comments
|----------|---------|------|--------------|---------------|------|---------|
|          |         |      |              |               |      |         |
| original | 246803        | 4.99 | 23.4 +/- 3.8 | 0.69 +/- 0.14 | \
https://ommer-lab.com/files/latent-diffusion/kl-f8.zip | as used in SD |
| ft-EMA   | 560001        | 4.42 | 23.8 +/- 3.9 | 0.69 +/- 0.13 | https://huggingface.co/\
stabilityai/sd-vae-ft-ema-original/resolve/main/vae-ft-ema-560000-ema-pruned.ckpt | with EMA |
| ft-MSE   | 840001        | 4.70 | 24.5 +/- 3.7 | 0.71 +/- 0.13 | https://huggingface.co/\
stabilityai/sd-vae-ft-mse-original/resolve/main/vae-ft-mse-840000-ema-pruned.ckpt | smoother |
"""


def test_the_row_linking_the_cards_checkpoint_under_a_heading_naming_data_and_settings():
    # (c180's layout) the own row is the one whose Link cell is a file of this repository;
    # the heading names the data, its bracket the resolution (config) and the split; "train
    # steps" is how long each checkpoint trained: no result, and no training log
    out = card_table_outcome("stabilityai/sd-vae-ft-mse-original", DATA_HEADING_CHECKPOINT_LINK)
    assert [(r.dataset, r.dataset_config, r.dataset_split, r.metric, r.score)
            for r in out.results] == [
        ("COCO 2017", "256x256", "val", "rfid", 4.7),
        ("COCO 2017", "256x256", "val", "psnr", 24.5),
        ("COCO 2017", "256x256", "val", "ssim", 0.71)]
    # the EMA card reads its own row
    out = card_table_outcome("stabilityai/sd-vae-ft-ema-original", DATA_HEADING_CHECKPOINT_LINK)
    assert [r.score for r in out.results] == [4.42, 23.8, 0.69]


# (c205's layout, mrm8488's cards) a "| Model | # score |" comparison, the own row "(this one)"
NUMBER_SIGN_SCORE = """- [Dataset:  CONLL Corpora ES](https://www.kaggle.com/nltkdata/conll-corpora)

## Comparison:

|                   Model                    |  # score  |
| :----------------------------------------: | :-------: |
|     bert-base-spanish-wwm-cased (BETO)     |   88.43   |
| [bert-spanish-cased-finetuned-ner (this one)](https://huggingface.co/m) | **89.65** |
|           Best Multilingual BERT           |   87.38   |
"""


def test_the_own_row_under_a_number_sign_score_column_is_a_score_on_the_cards_data():
    assert _read("mrm8488/bert-spanish-cased-finetuned-ner", NUMBER_SIGN_SCORE) == [
        ("CONLL Corpora ES", "", "score", 89.65)]


def test_a_number_sign_before_a_count_is_no_score_column():
    body = NUMBER_SIGN_SCORE.replace("# score", "# Examples")
    assert _read("mrm8488/bert-spanish-cased-finetuned-ner", body) == []


# (c201's layout, mrm8488's cards) the data's task in the card's table of its data, the split
# in a heading "Results on validation dataset"
TASK_AND_SPLIT = """fine-tuned on [TyDi QA](https://x) (secondary task)

| Dataset  | Task | Split | # samples |
| -------- | ----- |------| --------- |
| TyDi QA | GoldP  | train| 49881     |
| TyDi QA | GoldP  | valid| 5077      |

## Results on validation dataset 📝

| Metric | # Value   |
| ------ | --------- |
| **EM** | **41.65** |
"""


def test_a_metric_value_table_takes_the_task_of_the_data_table_and_the_headings_split():
    out = card_table_outcome("mrm8488/mT5-small-finetuned-tydiqa-for-xqa", TASK_AND_SPLIT)
    assert [(r.dataset, r.dataset_config, r.dataset_split, r.metric, r.score)
            for r in out.results] == [("TyDi QA", "GoldP", "validation", "exact_match", 41.65)]


# (c200's layout, mrm8488's cards) the data named in italics, no link, after "fine-tuned on"
ITALIC_DATA = """This model is a warm-started *BERT2BERT* ([small](https://x)) model fine-tuned on \
the *CNN/Dailymail* summarization dataset.

## Results on test set 📝

| Metric | # Value   |
| ------ | --------- |
| **ROUGE-2** | **17.37** |
"""


def test_a_dataset_named_in_italics_after_fine_tuned_on_is_the_cards_data():
    out = card_table_outcome("mrm8488/bert-small2bert-small-finetuned-cnn_daily_mail-summarization",
                             ITALIC_DATA)
    assert [(r.dataset, r.dataset_split, r.metric, r.score) for r in out.results] == [
        ("CNN/Dailymail", "test", "rouge2", 17.37)]
    assert out.unreadable == []


# (c202's layout, deepset's cross-validated cards) one value per fold after a bold label; the
# fold of the card's model only in prose
FOLD_LISTS = """## Performance
5-fold cross-validation on the data set led to the following results:

**Single EM-Scores:**   [0.222, 0.123, 0.234, 0.159, 0.158]
**Single top\\_3\\_recall Scores:**   [0.827, 0.776, 0.860, 0.771, 0.777]
**XVAL EM:**   0.17890995260663506

This model is the model obtained from the **third** fold of the cross-validation.
"""


def test_lists_of_per_fold_values_are_said_unreadable_not_passed_over():
    out = card_table_outcome("deepset/roberta-base-squad2-covid", FOLD_LISTS)
    assert out.results == [] and [line.split(" lists ")[0] for line in out.unreadable] == [
        "deepset/roberta-base-squad2-covid: line 4 'Single EM-Scores'",
        "deepset/roberta-base-squad2-covid: line 5 'Single top_3_recall Scores'"]


# (c228) data sources as rows under one metric, the split in the sentence above
SOURCES = ("The metrics on the balanced test set are the following: \n"  # the card's spaces
           """


| Source | Macro F1 |
| ----------- | ----------- |
| SentiRuEval2016_banks | 0.83 |
| linis | 0.50 |
""")


def test_data_sources_over_one_metric_are_the_cards_results():
    out = card_table_outcome("cointegrated/rubert-tiny-sentiment-balanced", SOURCES)
    assert [(r.dataset, r.dataset_split, r.metric, r.score) for r in out.results] == [
        ("SentiRuEval2016_banks", "test", "f1_macro", 0.83), ("linis", "test", "f1_macro", 0.5)]


def test_source_languages_over_one_metric_are_not_data():
    body = SOURCES.replace("SentiRuEval2016_banks", "en").replace("linis", "de")
    assert card_table_outcome("o/m", body).results == []


# (c225) rows are the model's releases, the latest marked; a column over configs joined by "/"
RELEASES = """| Release | GQA | TallyQA<br>(simple/full) | POPE<br>(rand/pop/adv) |
| --- | --- | --- | --- |
| **2024-08-26** (latest) | 64.3 | 82.6 / 77.6 | 89.6 / 88.8 / 87.2 |
| 2024-07-23 | 64.9 | 82.0 / 76.8 | 91.3 / 89.7 / 86.9 |
| 2024-03-04 | 58.5 | - | - |
"""


def test_the_latest_release_row_is_the_cards_model_and_joined_configs_are_split():
    out = card_table_outcome("vikhyatk/moondream2", RELEASES)
    assert [(r.dataset, r.dataset_config, r.score) for r in out.results] == [
        ("GQA", "", 64.3), ("TallyQA", "simple", 82.6), ("TallyQA", "full", 77.6),
        ("POPE", "rand", 89.6), ("POPE", "pop", 88.8), ("POPE", "adv", 87.2)]


def test_releases_none_marked_latest_are_not_read():
    body = RELEASES.replace(" (latest)", "")
    assert card_table_outcome("vikhyatk/moondream2", body).results == []
