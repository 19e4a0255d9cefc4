"""Columns named by the toolkit a score was computed in name no data (real FSMT cards): the
``transformers`` column is the card's port, filed under the set its ``sacrebleu`` command names."""

from __future__ import annotations

from modelbench.collect.huggingface import card_outcome

from .real_truth import REAL


def _card(name: str) -> str:
    return (REAL / "cards" / name).read_text(encoding="utf-8")


def _labels(model: str, name: str) -> list[tuple[str, str, str, float]]:
    out = card_outcome(model, _card(name))
    assert out.unreadable == []
    return [(r.dataset, r.dataset_config, r.metric, r.score) for r in out.results]


def test_own_row_takes_the_transformers_column_and_the_sacrebleu_set():
    # "| model | fairseq | transformers |" over the own row "| 26.9 | 25.75 |": the fairseq
    # column is the original checkpoint's; "sacrebleu -t wmt16 -l $PAIR" with "export PAIR=en-de"
    assert _labels("allenai/wmt16-en-de-12-1", "c126_allenai_wmt16-en-de-12-1.md") == [
        ("wmt16", "en-de", "bleu", 25.75)]
    # "model | transformers" over a three-column separator
    assert _labels("allenai/wmt19-de-en-6-6-big", "c127_allenai_wmt19-de-en-6-6-big.md") == [
        ("wmt19", "de-en", "bleu", 39.9)]


def test_pair_rows_are_the_config():
    # "pair | fairseq | transformers" over "de-en | [42.3](...) | 41.35"
    assert _labels("facebook/wmt19-de-en", "c93_facebook_wmt19-de-en.md") == [
        ("wmt19", "de-en", "bleu", 41.35)]


def test_split_rows_under_toolkit_columns_take_the_task_sections_data_and_metric():
    # (c158's layout, SUPERB cards) "| | **s3prl** | **transformers** |" over "**test**": the
    # transformers column, on the data "uses the widely used [...] for the task" names, by the
    # metric "The evaluation metric is accuracy." names
    assert _labels("superb/hubert-base-superb-ks", "c158_superb_hubert-base-superb-ks.md") == [
        ("Speech Commands v1.0", "", "accuracy", 0.9672)]
