"""The table a model card prints, as read (:class:`MarkdownTable`), and the plain text of a cell.

The lowest of the card-table modules: :mod:`.cardnames` (which row or column is the card's
own model) and :mod:`.cardtables` (parsing a card's tables, their shapes, their results)
build on it.

Example:
    >>> _plain("**[GPT-J](https://x.y)** 6B"), _fold("GPT-J 6B")
    ('GPT-J 6B', 'gptj6b')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .outcome import folded

_MARKUP = re.compile(r"\*\*|__|<br\s*/?>|<[^>]+>|`")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass
class MarkdownTable:
    """A pipe table of a markdown text, with the lines just above it (its context)."""

    headers: list[str]
    rows: list[list[str]]
    context: str
    index: int
    section: str = ""  # the text of the section the table is in, from its enclosing heading
    caption: str = ""  # the paragraph right below the table ("**Evaluation of ...** For X, ...")
    metrics: dict[int, str] = field(default_factory=dict)  # column -> metric a row under the
    # header names (:func:`_with_metric_row_applied`)


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", _LINK.sub(r"\1", text)).split()).strip()


def _fold(text: str) -> str:
    return folded(_plain(text))
