"""The table a model card prints, as read (:class:`MarkdownTable`): the plain text of a cell, its
numeric columns, the headings above it.

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

from .outcome import folded, read_printed

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
    splits: dict[int, str] = field(default_factory=dict)  # column -> split a second row under
    # the header names (:func:`.cardlayouts._with_split_row_applied`)


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", _LINK.sub(r"\1", text)).split()).strip()


def _fold(text: str) -> str:
    return folded(_plain(text))


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*$")


def _heading_level(line: str) -> int:
    return len(line) - len(line.lstrip("#")) if _HEADING.match(line) else 0


def _is_number(cell: str) -> bool:
    try:
        return read_printed(cell) is not None
    except ValueError:
        return False


# "-", "–", "N/A": no value printed, a gap in a column, not a word of it.
_MISSING = re.compile(r"^\s*(?:[-\u2013\u2014]+|n/?a)\s*$", re.I)


def _numeric_columns(table: MarkdownTable) -> list[int]:
    """The columns (past the first) most of whose printed values are numbers."""
    found = []
    for col in range(1, len(table.headers)):
        cells = [row[col] for row in table.rows if col < len(row) and row[col].strip()
                 and not _MISSING.match(row[col])]
        numbers = 0
        for cell in cells:
            try:
                numbers += read_printed(cell) is not None
            except ValueError:
                pass
        if cells and numbers * 2 >= len(cells):
            found.append(col)
    return found


def _under_last_heading(context: str) -> str:
    """The lines above a table from the nearest heading on (all of them when none): what a
    section before that heading says ("## Training procedure") is not about the table.

    >>> _under_last_heading("## Training procedure\\nWe trained.\\n## Evaluation results\\n")
    '## Evaluation results\\n'
    """
    lines = context.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _HEADING.match(line)]
    return "".join(lines[starts[-1]:]) if starts else context


def _outside_tables(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "|" not in line)
