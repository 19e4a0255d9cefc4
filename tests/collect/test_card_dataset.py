"""Results on the one dataset a card's text names (``modelbench.collect.carddata``), on real
cards: ``| Metric | # Value |`` tables of metric rows under a heading naming no data."""

from __future__ import annotations

from modelbench.collect.huggingface import card_outcome

from .real_truth import REAL


def _card(name: str) -> str:
    return (REAL / "cards" / name).read_text(encoding="utf-8")


def _labels(model: str, name: str) -> list[tuple[str, str, str, float]]:
    out = card_outcome(model, _card(name))
    return [(r.dataset, r.dataset_split, r.metric, r.score) for r in out.results]


def test_metric_value_table_on_the_data_the_card_was_fine_tuned_on():
    # "fine-tuned on [SQuAD v1.1](...)" in the intro, "## Results" over "| Metric | # Value |"
    assert _labels("mrm8488/t5-small-finetuned-squadv1",
                   "c124_mrm8488_t5-small-finetuned-squadv1.md") == [
        ("SQuAD v1.1", "", "exact_match", 76.95), ("SQuAD v1.1", "", "f1", 85.71)]
    # "fine-tuned from the HuggingFace checkpoint `x` on [SQuAD2.0]"; the "# Original (Table 5)"
    # column is the paper's model, not the card's
    assert _labels("csarron/mobilebert-uncased-squad-v2",
                   "c95_csarron_mobilebert-uncased-squad-v2.md") == [
        ("SQuAD2.0", "", "exact_match", 75.2), ("SQuAD2.0", "", "f1", 78.8)]


def test_the_heading_names_the_split_and_a_dataset_line_the_data():
    # "## Test set Results" -> test
    assert [x[1] for x in _labels("mrm8488/squeezebert-finetuned-squadv1",
                                  "c128_mrm8488_squeezebert-finetuned-squadv1.md")] == ["test"] * 2
    # "- [Dataset:  CONLL Corpora ES]" beats the intro's "[CONLL CORPORA]"; "Metrics on
    # evaluation set" with the card's own "| Train |" / "| Dev |" split table -> dev, the
    # store's "validation"
    assert _labels("mrm8488/bert-spanish-cased-finetuned-pos",
                   "c129_mrm8488_bert-spanish-cased-finetuned-pos.md") == [
        ("CONLL Corpora ES", "validation", "f1", 90.06),
        ("CONLL Corpora ES", "validation", "precision", 89.46),
        ("CONLL Corpora ES", "validation", "recall", 90.67)]
    # (c246) the split table's held-out row printed "| Eval | 500000 |"
    assert {x[1] for x in _labels("mrm8488/bert-base-german-finetuned-ler",
                                  "c246_mrm8488_bert-base-german-finetuned-ler.md")} == {
        "validation"}


def test_metric_rows_on_no_named_data_are_said_unreadable():
    # "trained on ... the [OSCAR] Spanish corpus" is pretraining data, not the discriminator's
    # evaluation data: Accuracy / Precision / AUC on no named dataset
    out = card_outcome("mrm8488/electricidad-base-discriminator",
                       _card("c122_mrm8488_electricidad-base-discriminator.md"))
    assert out.results == [] and len(out.unreadable) == 3
    assert all("data the card does not name" in u for u in out.unreadable)


C171 = "c171_mrm8488_electra-small-finetuned-squadv1.md"


def test_link_text_ending_in_the_word_dataset_names_the_data_without_it():
    # c171: "fine-tuned on [SQUAD v1.1 dataset](...)": the data is "SQUAD v1.1"
    datasets = {d for d, _, _, _ in _labels("mrm8488/electra-small-finetuned-squadv1", C171)}
    assert datasets == {"SQUAD v1.1"}


def test_a_size_row_of_a_metric_value_table_is_no_result():
    # c171's "| **Size**| **50 MB** |" row beside EM and F1 is the model's size
    out = card_outcome("mrm8488/electra-small-finetuned-squadv1", _card(C171))
    assert "model_size" not in {r.metric for r in out.results}
    assert {"exact_match", "f1", "hasans_exact", "best_f1"} <= {r.metric for r in out.results}


def test_a_block_of_single_quoted_keys_is_read():
    # c171's block under "## Test set Results" prints a Python dict ('exact': 77.70...)
    out = card_outcome("mrm8488/electra-small-finetuned-squadv1", _card(C171))
    block = [r for r in out.results if r.extraction_method == "card-block"]
    assert len(block) == 6 and {r.dataset_split for r in block} == {"test"}


def test_a_heading_naming_the_validation_set_gives_the_split():
    # c172: "## Metrics on validation set 📋" over "| Metric | Score |"
    labels = _labels("mrm8488/t5-base-finetuned-quarel", "c172_mrm8488_t5-base-finetuned-quarel.md")
    assert [(d, s) for d, s, _, _ in labels] == [("QuaRel", "validation")]
