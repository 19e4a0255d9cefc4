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
>>> card_dataset("trained on a + 20 GB of the [OSCAR](https://x) Spanish corpus")  # pretraining
''
"""

from __future__ import annotations

import re

from .outcome import SPLIT_WORDS

__all__ = ["card_dataset", "heading_split"]

# "fine-tuned on [SQuAD v1.1](...)", "fine-tuned from the checkpoint `x` on [SQuAD2.0](...)"
_FINE_TUNED_ON = re.compile(r"\bfine-?tuned\b[^.\n]*?\bon\s+(?:the\s+)?\[(?P<data>[^\]]{2,60})\]"
                            r"\(", re.I)
# "- [Dataset:  CONLL Corpora ES](...)", "Dataset: SQuAD-es": a line naming the card's data
_DATASET_LINE = re.compile(r"^\s*(?:[-*+]\s+)?\[?\s*\**dataset\**\s*:\s*\**\s*(?P<data>[^\]\n(`]"
                           r"{2,60}?)\s*\**\s*(?:\]|\(|$)", re.I | re.M)
# "[SQUAD v1.1 dataset](...)": the link's last word says what the name is, no part of it
_DATASET_WORD = re.compile(r"\s+(?:data\s*set)$", re.I)
_TEST_SET = re.compile(r"\btest(?:ing)?\s+set\b", re.I)
_EVALUATION_SET = re.compile(r"\b(?:evaluation|eval)\s+set\b", re.I)
# "Metrics on validation set", "Results on the dev set": a heading naming a held-out split
_HELD_OUT_SET = re.compile(r"\b(?P<split>validation|valid|development|dev|val)\s+set\b", re.I)
# "| Dev | 50 K |": the row of a table of the card's splits naming its held-out split
_SPLIT_ROW = re.compile(r"^\s*\|\s*(?P<split>dev|validation|valid|val)\s*\|", re.I | re.M)


def card_dataset(body: str) -> str:
    """The one dataset a card's text says its model was fine-tuned on ("" when it names none,
    or two different ones): a ``Dataset:`` line first, else the linked name after
    "fine-tuned ... on"."""
    for pattern in (_DATASET_LINE, _FINE_TUNED_ON):
        names = {_without_dataset_word(m["data"]): None for m in pattern.finditer(body)}
        if len({name.casefold() for name in names}) == 1:
            return next(iter(names))
        if names:
            return ""
    return ""


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
    """
    if _TEST_SET.search(heading):
        return "test"
    if split := _held_out_split(heading):
        return split
    if _EVALUATION_SET.search(heading):
        rows = {m["split"].lower() for m in _SPLIT_ROW.finditer(body)}
        return SPLIT_WORDS.get(rows.pop(), "") if len(rows) == 1 else ""
    return ""
