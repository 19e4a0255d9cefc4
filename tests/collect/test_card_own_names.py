"""The card's own row printed loosely (``modelbench.collect.cardnames``): without the Hub
name's last release part ("-v0.5") or base-model part ("-Llama3"), or alone in its table with
a note after it ("(Original)"); read only when exactly one label is it."""

from __future__ import annotations

from modelbench.collect.cardtables import card_table_outcome


def _read(model: str, body: str) -> list[tuple[str, str, str, float]]:
    out = card_table_outcome(model, body)
    return [(r.dataset, r.dataset_config, r.metric, r.score) for r in out.results]


# (c159's layout) the own row without the Hub name's "-v0.5"
RELEASE = """| Model and Size | BoolQ | CoPA |
| --- | --- | --- |
| **Ko-GPT-Trinity 1.2B** | **71.77** | **68.66** |
| KoBERT-base | 55.97 | 62.24 |
"""


def test_a_row_without_the_release_part_of_the_hub_name_is_the_cards_model():
    assert _read("skt/ko-gpt-trinity-1.2B-v0.5", RELEASE) == [
        ("BoolQ", "", "score", 71.77), ("CoPA", "", "score", 68.66)]


# (c162's layout) the own row without the base model the Hub name ends with
BASE = """| Model | MMMU <br>(val) | DocVQA <br>(test) |
|:---:|:---:|:---:|
| **Idefics2-8B** | 45.2 | 74.0 |
| **Idefics3-8B** | 46.6 | 87.7 |
"""


def test_a_row_without_the_base_model_part_of_the_hub_name_is_the_cards_model():
    assert _read("HuggingFaceM4/Idefics3-8B-Llama3", BASE) == [
        ("MMMU", "", "score", 46.6), ("DocVQA", "", "score", 87.7)]


def test_two_rows_each_the_model_by_a_shorter_name_are_not_read():
    body = BASE + "| Idefics3 8B | 40.0 | 80.0 |\n"
    assert _read("HuggingFaceM4/Idefics3-8B-Llama3", body) == []


def test_a_quantised_checkpoint_is_not_its_unquantised_model():
    body = ("| Model | MMLU | GSM8K |\n|--|--|--|\n| Qwen-7B | 58.2 | 51.7 |\n"
            "| Llama-7B | 35.1 | 11.0 |\n")
    assert _read("o/Qwen-7B-Int4", body) == []


# (c164's layout) one row alone, its name with a note; a dataset then two metrics joined by "/"
NOTED = """Model                                    | SQUAD 1.1 F1/EM | Multi NLI Accuracy
---------------------------------------- | :-------------: | :----------------:
BERT-Large, Uncased (Original)           | 91.0/84.3       | 86.05
"""


def test_the_one_row_of_a_table_with_a_note_after_the_models_name_is_read():
    assert _read("google-bert/bert-large-uncased", NOTED) == [
        ("SQUAD 1.1", "", "f1", 91.0), ("SQUAD 1.1", "", "exact_match", 84.3),
        ("Multi NLI", "", "accuracy", 86.05)]


def test_a_note_among_other_rows_tells_variants_apart_and_is_not_read():
    body = NOTED + "BERT-Large, Cased (Original) | 90.0/83.0 | 85.0\n"
    body = body.replace("Uncased (Original)", "Uncased (SFT)")
    assert _read("google-bert/bert-large-uncased", body) == []


# (c203/c207's layout, mrm8488's cards) the own row labelled "This one", no name at all
THIS_ONE = """[Italian BERT base cased](https://huggingface.co/dbmdz/bert-base-italian-cased) \
fine-tuned on [italian SQuAD](https://github.com/crux82/squad-it) for **Q&A** downstream task.

## Comparison ⚖️

| Model                                       | EM        | F1 score  |
| ------------------------------------------- | --------- | --------- |
| [DrQA-it trained on SQuAD-it ](https://github.com/crux82/squad-it) | 56.1      | 65.9      |
| This one                                    | **62.51** | **74.16** |
"""


def test_a_row_labelled_this_one_is_the_cards_model():
    assert _read("mrm8488/bert-italian-finedtuned-squadv1-it-alfa", THIS_ONE) == [
        ("italian SQuAD", "", "exact_match", 62.51), ("italian SQuAD", "", "f1", 74.16)]


def test_two_rows_labelled_this_one_are_not_read():
    body = THIS_ONE + "| This one | 60.50 | 72.41 |\n"
    assert _read("mrm8488/bert-italian-finedtuned-squadv1-it-alfa", body) == []


# (c206's layout, mrm8488's SpanBERT cards) a blank corner, a row of metrics under the data, the
# own value marked "(this)" in the row of the base model; a note below gives the split
MARKED_CELL = """## Results Comparison 📝

|                   | SQuAD 1.1     | SQuAD 2.0  | Coref   | TACRED |
| ----------------------  | ------------- | ---------  | ------- | ------ |
|                         | F1            | F1         | avg. F1 |  F1    |
| BERT (base)             | 88.5*         | 76.5*      | 73.1    |  67.7  |
| BERT (large)            | 91.3          | 83.3       | 77.1    |  66.4  |
| SpanBERT (large)        | **94.6** (this) | [88.7](https://huggingface.co/m) | 79.6    |  70.8  |


Note: The numbers marked as * are evaluated on the development sets because those models were \
not submitted to the official SQuAD leaderboard. All the other numbers are test numbers.
"""


def test_the_value_marked_this_is_the_cards_result_on_its_column():
    out = card_table_outcome("mrm8488/spanbert-large-finetuned-squadv1", MARKED_CELL)
    assert [(r.dataset, r.dataset_split, r.metric, r.score) for r in out.results] == [
        ("SQuAD 1.1", "test", "f1", 94.6)]


def test_two_values_marked_this_are_not_read():
    body = MARKED_CELL.replace("| 79.6    |", "| 79.6 (this) |")
    assert _read("mrm8488/spanbert-large-finetuned-squadv1", body) == []


# (c227's layout) the own row without the Hub name's last word, the language ("-japanese"),
# "V2" joined to the name; its larger sibling stays another model's
LANGUAGE = """| Model                         | MARC-ja/acc | JSTS/pearson |
|-------------------------------|-------------|--------------|
| Waseda RoBERTa base           | 0.965       | 0.913        |
| DeBERTaV2 base                | 0.970       | 0.922        |
| DeBERTaV2 large               | 0.968       | 0.925        |
"""


def test_a_row_without_the_language_the_hub_name_ends_with_is_the_cards_model():
    assert _read("ku-nlp/deberta-v2-base-japanese", LANGUAGE) == [
        ("MARC-ja", "", "accuracy", 0.97), ("JSTS", "", "pearson", 0.922)]


def test_the_split_the_sentence_above_says_the_models_were_evaluated_on():
    # (c227) "evaluated them on the dev set of JGLUE": every column on the dev split
    body = ("We fine-tuned the following models and evaluated them on the dev set of JGLUE.\n\n"
            + LANGUAGE)
    out = card_table_outcome("ku-nlp/deberta-v2-base-japanese", body)
    assert {r.dataset_split for r in out.results} == {"validation"} and len(out.results) == 2


def test_a_result_on_a_task_no_data_named_is_said_unreadable():
    # (c227) the masked-LM accuracy on held-out documents the card does not name
    body = LANGUAGE + ("\nThe accuracy of the trained model on the masked language modeling "
                       "task was 0.779.\n")
    out = card_table_outcome("ku-nlp/deberta-v2-base-japanese", body)
    assert len(out.results) == 2 and len(out.unreadable) == 1 and "0.779" in out.unreadable[0]


def test_a_last_word_that_may_name_another_checkpoint_is_not_dropped():
    # "-midas" (c44's dpt-hybrid-midas) is neither a language nor a task in capitals
    body = LANGUAGE.replace("DeBERTaV2 base ", "DeBERTaV2 hybr")
    assert _read("ku-nlp/deberta-v2-hybr-midas", body) == []


# (c230's layout) a blank corner, the own row without the base model the Hub name opens with
OPENING_BASE = """|                    | Clinical KG | Anatomy |
|--------------------|-------------|---------|
| **OpenBioLLM-70B** | **92.93**   | **83.904** |
| **OpenBioLLM-8B**    | 76.101      | 69.829  |
| Meditron-70B           | 66.79       | 53.33   |
"""


def test_a_row_without_the_base_model_the_hub_name_opens_with_is_the_cards_model():
    assert _read("aaditya/Llama3-OpenBioLLM-8B", OPENING_BASE) == [
        ("Clinical KG", "", "score", 76.101), ("Anatomy", "", "score", 69.829)]


# (c229's layout) the own row marked "(this model)", its name printed otherwise than the Hub's;
# the Elo rating is a measure on data the table does not name, the average no result
THIS_MODEL = """| Model | Average Score on 11 Academic Benchmarks | Human Preference Elo Rating |
|-----------------------------|-------------|-------------|
| Molmo 72B                   | 81.2        | 1077        |
| **Molmo 7B-D (this model)** | **77.3**    | **1056**    |
| Molmo 7B-O                  | 74.6        | 1051        |
"""


def test_a_row_marked_this_model_is_the_cards_model():
    out = card_table_outcome("allenai/Molmo-7B-D-0924", THIS_MODEL)
    assert out.results == [] and len(out.unreadable) == 1
    assert "'Human Preference Elo Rating': '**1056**'" in out.unreadable[0]


def test_two_rows_marked_this_model_are_not_read():
    body = THIS_MODEL.replace("| Molmo 7B-O    ", "| Molmo 7B-O (this model)")
    out = card_table_outcome("allenai/Molmo-7B-D-0924", body)
    assert out.results == [] and out.unreadable == []
