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


# (c248's layout, fairseq's WSC README) an evaluate script whose printed output is copied
# under it as a comment, on the one split file it reads
EVALUATE = """### 3) Evaluate
```python
roberta = RobertaModel.from_pretrained('checkpoints', 'checkpoint_best.pt', 'WSC/')
nsamples, ncorrect = 0, 0
for sentence, label in wsc_utils.jsonl_iterator('WSC/val.jsonl', eval=True):
    pred = roberta.disambiguate_pronoun(sentence)
    nsamples += 1
    if pred == label:
        ncorrect += 1
print('Accuracy: ' + str(ncorrect / float(nsamples)))
# Accuracy: 0.9230769230769231
```
"""


def test_a_scripts_output_in_a_comment_is_its_result_on_the_file_it_reads():
    out = eval_block_outcome("mrm8488/roberta-large-finetuned-wsc", EVALUATE)
    assert [(r.dataset, r.dataset_split, r.metric, r.score) for r in out.results] == [
        ("WSC", "validation", "accuracy", 0.9230769230769231)]


def test_a_comment_no_print_of_the_block_writes_is_no_result():
    body = EVALUATE.replace("print('Accuracy: ' + str(ncorrect / float(nsamples)))", "pass")
    assert eval_block_outcome("mrm8488/roberta-large-finetuned-wsc", body).results == []
