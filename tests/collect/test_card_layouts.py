"""Card tables laid out by their corner cell (``modelbench.collect.cardlayouts``): a measure in
the corner over the subsets of a heading's benchmark, a "Context/Dataset" corner over the
settings of the card's one model."""

from __future__ import annotations

from modelbench.collect.cardtables import card_table_outcome


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
