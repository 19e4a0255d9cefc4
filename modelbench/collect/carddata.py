"""The one dataset a model card is about, as its text names it, and the split a results
heading names.

Cards of fine-tuned models (the Hub's 2020 cards, mrm8488's and csarron's among them) name the
data once, in the intro ("fine-tuned on [SQuAD v1.1](...) for **Q&A**") or in a ``Dataset:``
line, and print their results under a heading that names none (``## Results``, ``## Test set
Results``): those results are on that dataset. The YAML ``datasets:`` list is not used: it
lists what a model was trained on (c65's rule), and a card's prose names the data it means.

>>> card_dataset("[T5](x) fine-tuned on [SQuAD v1.1](https://x) for **Q&A**.")
'SQuAD v1.1'
>>> card_dataset("- [Dataset:  CONLL Corpora ES](https://x) with data augmentation")
'CONLL Corpora ES'
>>> card_dataset("model fine-tuned on the *CNN/Dailymail* summarization dataset.")
'CNN/Dailymail'
>>> card_dataset("trained on a + 20 GB of the [OSCAR](https://x) Spanish corpus")  # pretraining
''
"""

from __future__ import annotations

import re

from .outcome import SPLIT_WORDS

__all__ = ["card_dataset", "card_task_config", "heading_split"]

# "fine-tuned on [SQuAD v1.1](...)", "fine-tuned from the checkpoint `x` on [SQuAD2.0](...)";
# the name in italics, no link: "fine-tuned on the *CNN/Dailymail* summarization dataset"
_FINE_TUNED_ON = re.compile(r"\bfine-?tuned\b[^.\n]*?\bon\s+(?:the\s+)?(?:\[(?P<data>[^\]]{2,60})\]"
                            r"\(|\*(?P<italic>[^*\s][^*\n]{1,59})\*(?!\*))", re.I)
# "- [Dataset:  CONLL Corpora ES](...)", "Dataset: SQuAD-es": a line naming the card's data
_DATASET_LINE = re.compile(r"^\s*(?:[-*+]\s+)?\[?\s*\**dataset\**\s*:\s*\**\s*(?P<data>[^\]\n(`]"
                           r"{2,60}?)\s*\**\s*(?:\]|\(|$)", re.I | re.M)
# "[SQUAD v1.1 dataset](...)": the link's last word says what the name is, no part of it
_DATASET_WORD = re.compile(r"\s+(?:data\s*set)$", re.I)
_TEST_SET = re.compile(r"\btest(?:ing)?\s+(?:data)?set\b", re.I)
_EVALUATION_SET = re.compile(r"\b(?:evaluation|eval)\s+set\b", re.I)
# "Metrics on validation set", "Results on the dev set": a heading naming a held-out split
_HELD_OUT_SET = re.compile(r"\b(?P<split>validation|valid|development|dev|val)\s+(?:data)?set\b",
                           re.I)
# "| Dataset | Task | Split | # samples |": a card's table of its data whose second column
# names the dataset's task, its config ("| TyDi QA | GoldP | train | 49881 |")
_DATA_TASK_HEADER = re.compile(r"^\s*\|\s*dataset\s*\|\s*task\s*\|", re.I)
# "| Dev | 50 K |", "| Eval | 500000 |": the row of a table of the card's splits naming its
# held-out split
_SPLIT_ROW = re.compile(r"^\s*\|\s*(?P<split>dev|validation|valid|val|eval)\s*\|", re.I | re.M)


def card_dataset(body: str) -> str:
    """The one dataset a card's text says its model was fine-tuned on ("" when it names none,
    or two different ones): a ``Dataset:`` line first, else the linked name after
    "fine-tuned ... on"."""
    for pattern in (_DATASET_LINE, _FINE_TUNED_ON):
        names = {_without_dataset_word(m["data"] or m.groupdict().get("italic") or ""): None
                 for m in pattern.finditer(body)}
        if len({name.casefold() for name in names}) == 1:
            return next(iter(names))
        if names:
            return ""
    return ""


def card_task_config(body: str, dataset: str) -> str:
    """The config of the card's dataset its table of data names in a Task column, one for
    every row, each row the dataset (``| TyDi QA | GoldP | train |`` over ``| TyDi QA | GoldP
    | valid |``); "" when the card has no such table, or it names other data or two tasks.

    >>> table = "| Dataset | Task | Split |\\n|--|--|--|\\n| TyDi QA | GoldP | train |\\n"
    >>> card_task_config(table + "| TyDi QA | GoldP | valid |\\n", "TyDi QA")
    'GoldP'
    >>> card_task_config(table + "| TyDi QA | MinSpan | valid |\\n", "TyDi QA")
    ''
    """
    lines = body.splitlines()
    starts = [i for i, line in enumerate(lines) if _DATA_TASK_HEADER.match(line)]
    if len(starts) != 1:
        return ""
    rows = []
    for line in lines[starts[0] + 2:]:
        if not line.strip().startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    tasks = {row[1] for row in rows if len(row) > 1}
    if not rows or len(tasks) != 1 or any(
            len(row) < 2 or row[0].casefold() != dataset.casefold() for row in rows):
        return ""
    return tasks.pop()


def _without_dataset_word(name: str) -> str:
    """A dataset's name without the word "dataset" a link text ends in.

    >>> _without_dataset_word(" SQUAD v1.1 dataset"), _without_dataset_word("Dataset")
    ('SQUAD v1.1', 'Dataset')
    """
    return _DATASET_WORD.sub("", name.strip())


def _held_out_split(heading: str) -> str:
    """The held-out split a heading names as a set ("Metrics on validation set" ->
    ``validation``); "" when it names none.

    >>> _held_out_split("## Metrics on validation set 📋"), _held_out_split("## Dev data")
    ('validation', '')
    """
    found = _HELD_OUT_SET.search(heading)
    return SPLIT_WORDS.get(found["split"].lower(), "") if found else ""


def heading_split(heading: str, body: str) -> str:
    """The split a results heading names: "Test set Results" -> ``test``; "Metrics on
    evaluation set" -> the held-out split of the card's own table of splits ("| Dev | 50 K |"
    -> ``validation``, the store's one name for dev/val splits); "" otherwise.

    >>> heading_split("## Test set Results", ""), heading_split("## Results", "")
    ('test', '')
    >>> heading_split("## Metrics on evaluation set:", "| Train | 340 K |\\n| Dev | 50 K |")
    'validation'
    >>> heading_split("## Metrics on evaluation set", "| Train | 1657048 |\\n| Eval | 500000 |")
    'validation'
    """
    if _TEST_SET.search(heading):
        return "test"
    if split := _held_out_split(heading):
        return split
    if _EVALUATION_SET.search(heading):
        rows = {m["split"].lower() for m in _SPLIT_ROW.finditer(body)}
        return SPLIT_WORDS.get(rows.pop(), "") if len(rows) == 1 else ""
    return ""
