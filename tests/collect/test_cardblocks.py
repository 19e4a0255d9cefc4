"""Evaluation-script blocks in model cards (``modelbench.collect.cardblocks``), on real cards."""

from __future__ import annotations

from modelbench.collect.cardblocks import eval_block_outcome
from modelbench.collect.huggingface import card_outcome

from .real_truth import REAL


def _card(name: str) -> str:
    return (REAL / "cards" / name).read_text(encoding="utf-8")


def test_each_block_takes_the_data_its_evaluated_on_line_names():
    out = card_outcome("deepset/xlm-roberta-large-squad2",
                       _card("c130_deepset_xlm-roberta-large-squad2.md"))
    data = {(r.dataset, r.dataset_config, r.dataset_split) for r in out.results}
    # "the SQuAD 2.0 English dev set", "German [MLQA: test-context-de-question-de.json]",
    # "German [XQuAD: xquad.de.json]"
    assert data == {("SQuAD 2.0", "", "validation"), ("MLQA", "de", "test"), ("XQuAD", "de", "")}
    assert len(out.results) == 10 and out.unreadable == []
    assert sum("count or threshold" in n for n in out.notes) == 5  # the "total" keys


C125 = "c125_mrm8488_distill-bert-base-spanish-wwm-cased-finetuned-spa-squad2-es.md"


def test_a_block_under_no_evaluated_on_line_is_no_result():
    # c123's hyperparameter block ("batch_size = 96") and code samples beside its results block
    blocks = eval_block_outcome("m", _card("c123_deepset_roberta-base-squad2-v2.md"))
    assert len(blocks.results) == 6 and {r.dataset for r in blocks.results} == {"SQuAD 2.0"}


def test_a_block_under_a_results_heading_is_on_the_cards_dataset():
    # c125's JSON block sits under "## Results:" and a table, no sentence naming its data; the
    # card was "fine-tuned on [SQuAD-es-v2.0]" (c95's rule)
    blocks = eval_block_outcome("m", _card(C125))
    assert len(blocks.results) == 8 and {r.dataset for r in blocks.results} == {"SQuAD-es-v2.0"}
    # without a dataset the card names, the same block is no result
    assert eval_block_outcome("m", _card(C125).replace("fine-tuned on [", "tuned [")).results == []


def test_a_value_printed_twice_keeps_its_fuller_printing():
    # the table's "**90.77**48" / "**94.94**71" are the block's exact / f1 printed shorter, and
    # so is the "Comparison:" table's own row "| **distill**-bert-... | **94.94** |" (f1, cut)
    out = card_outcome("mrm8488/distill-bert-base-spanish-wwm-cased-finetuned-spa-squad2-es",
                       _card(C125))
    full = {r.metric: r.score for r in out.results}
    assert full["exact_match"] == 90.77483309730933 and full["f1"] == 94.94714391266254
    assert len(out.results) == 8 and len(out.duplicates) == 3
    assert sum("= 94.94 is" in d for d in out.duplicates) == 1


def test_a_card_with_a_model_index_keeps_its_blocks_out():
    # c75 prints the model-index's SQuAD 2.0 scores again in a block, at other precision
    out = card_outcome("deepset/roberta-base-squad2", _card("c75_deepset_roberta-base-squad2.md"))
    assert all(r.extraction_method != "card-block" for r in out.results)
    assert eval_block_outcome("m", _card("c75_deepset_roberta-base-squad2.md")).results
