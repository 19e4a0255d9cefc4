"""Any HTML table -> rows of text, the results table among them, and records from it.

Parsing uses selectolax (lexbor); numbers are read only with :mod:`modelbench.numbers`.
``colspan``/``rowspan`` are expanded, several header rows are joined ("Group / Sub").

Example:
    >>> html = '''<table><tr><th>Model</th><th>Accuracy</th></tr>
    ...   <tr><td>bert</td><td>71.2%</td></tr><tr><td>gpt</td><td>88.5 ± 0.3</td></tr></table>'''
    >>> table = choose_results_table(extract_tables(html))
    >>> mapping = guess_mapping(table)
    >>> mapping.model, mapping.metrics
    ('Model', ['Accuracy'])
    >>> [(r.model_name, r.score) for r in table_to_results(table, mapping, source_url="x").results]
    [('bert', 71.2), ('gpt', 88.5)]
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ExtractionError, FetchError
from ..metrics import canonical_name
from ..numbers import parse_number
from ..records import BenchmarkResult, ModelMetadata, utcnow
from .http import BenchmarkScraper, Fetcher, decode_body
from .outcome import (
    Outcome,
    folded,
    header_labels,
    is_printed_mean,
    is_property,
    printed_notes,
    published_result,
    read_printed,
    split_from_name,
)
from .pagecontext import (
    TableContext,
    _parser,
    longer_name,
    page_context,
    shown_measure,
    table_labels,
)

log = logging.getLogger(__name__)

__all__ = ["Table", "ColumnMapping", "Extracted", "extract_tables", "extract_cells",
           "choose_results_table", "pick_table", "guess_mapping", "LeaderboardScraper",
           "table_to_results", "numeric_columns", "slugify", "page_outcome", "page_context",
           "first_line", "page_tables", "tables_outcome"]

_MODEL_HEADER = re.compile(
    r"\b(model|models|method|methods|name|system|submission|architecture|network|approach|agent|"
    r"模型|方法|名称)\b", re.I)
# A column naming who submitted a row, not what was run ("Team Name", "Affiliation").
_SUBMITTER_HEADER = re.compile(r"(?i)\b(team|organi[sz]ations?|affiliations?|authors?|"
                               r"submitters?|institutions?|contributors?)\b")
# A column of dataset names: the header says only that ("Dataset Translation" is a flag).
_DATASET_HEADER = re.compile(r"^\s*(dataset|benchmark|task|corpus)s?(\s+name)?\s*$", re.I)
# Numeric columns that describe the row rather than measure it ("No." numbers rows, "No Plan"
# is a condition).
_NOT_A_METRIC = re.compile(
    r"^\s*(#|no\.|no(?=\s*$)|rank(ing)?|position|pos\.?|year|date|released?|param(eter)?s?|"
    r"#\s*params?|model size|size|flops|gflops|link|code|paper|id|votes?|"
    r"排行|排名|名次|序号)(?![a-z])", re.I)
# A count of things per row ("#Examples", "No. of questions", "Number of samples"): how much
# data a row covers, not how well anything did; a count of outcomes ("# Resolved", "#Correct",
# "#Wins") is a result ("# Params" is a property, read as such).
_COUNT_HEADER = re.compile(r"(?i)^\s*(?:#|no\.\s*of\b|number\s+of\b|num\.?\s+of\b)\s*"
                           r"(?P<what>[^\W\d_].*)$")
# The same printed after what it counts: "Client number", "Sample count".
_COUNT_AFTER = re.compile(r"(?i)^\s*(?P<what>[^\W\d_][\w \-]*?)\s+(?:number|count)\s*$")
_OUTCOME = re.compile(r"(?i)\b(?:solved|resolved|correct|passed|wins?|won|successe?s?|hits?)\b")
# What a run took, not how well it did: its steps ("Avg. tool calls", "Avg. rounds", "Turns"),
# its cost ("Cost", "Pass/$": passes per dollar).
_RUN_STATISTIC = re.compile(r"(?i)^\s*(?:(?:avg\.?|average|mean|#)\s*)?(?:tool\s+|api\s+)?"
                            r"(?:calls?|rounds?|turns?|steps?|iterations?)\s*(?:\([^()]*\))?\s*$"
                            r"|^\s*(?:cost|price)\b|/\s*\$\s*$|\bper\s+(?:\$|dollar)")
# A whole header naming what the model was given ("Frames", "Resolution (px)", "Context":
# its context window, "1M", "128k"): how it was run, not how well it did ("Frame accuracy"
# is a measure).
_INPUT_SETTING = re.compile(r"(?i)^\s*(#\s*)?(frames?|resolution|input size|image size|"
                            r"(max(imum)?\s+)?context(\s+(length|window|size))?)\s*"
                            r"(\([^()]*\))?\s*$")


def _clean(text: str) -> str:
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)  # dumps repeat the same few thousand task names
def slugify(text: str) -> str:
    """A task name as a Hub-style slug.

    >>> slugify("Automatic Speech Recognition"), slugify("text-classification")
    ('automatic-speech-recognition', 'text-classification')
    """
    return re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")


@dataclass
class Table:
    """One HTML table as text cells; ``index`` is its position among the page's tables."""

    headers: list[str]
    rows: list[list[str]]
    caption: str = ""
    index: int = 0

    def column(self, name: str) -> int:
        """Index of a column by header (case-insensitive) or by 0-based number."""
        lowered = [h.lower() for h in self.headers]
        if name.lower() in lowered:
            return lowered.index(name.lower())
        if name.isdigit() and int(name) < len(self.headers):
            return int(name)
        raise ExtractionError(f"no column {name!r} in table {self.index}",
                              hint=f"columns are: {', '.join(self.headers)}")


# -- parsing ----------------------------------------------------------------------------
def _own_rows(table: Any) -> list[Any]:
    """``tr`` elements of this table, not of tables nested inside it."""
    rows = []
    for tr in table.css("tr"):
        parent = tr.parent
        while parent is not None and parent.tag != "table":
            parent = parent.parent
        if parent is not None and parent.mem_id == table.mem_id:
            rows.append(tr)
    return rows


_MAX_COLUMNS = 500  # hostile pages: no grid wider than this, whatever the colspans say
#: Cells of one table after colspan/rowspan expansion; a larger table is left out.
MAX_CELLS = 1_000_000


class _TooManyCells(Exception):
    pass


def _span(node: Any, name: str) -> int:
    value = (node.attributes.get(name) or "1").strip()
    return max(1, min(int(value), _MAX_COLUMNS)) if value.isdigit() else 1


def _take_pending(pending: dict[int, tuple[int, str]], out: list[str], col: int) -> int:
    """Fill cells carried down by rowspans from rows above; returns the next free column."""
    while col in pending:
        left, text = pending[col]
        out.append(text)
        if left <= 1:
            del pending[col]
        else:
            pending[col] = (left - 1, text)
        col += 1
    return col


def _grid(rows: list[Any]) -> tuple[list[list[str]], list[bool]]:
    """Cell texts laid out on a grid (spans expanded) and, per row, whether it is all ``th``."""
    grid: list[list[str]] = []
    all_th: list[bool] = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows left, text) from rowspans
    cells_left = MAX_CELLS
    group = None
    for tr in rows:
        if tr.parent is not None and tr.parent.mem_id != group:  # a new thead/tbody/tfoot:
            group, pending = tr.parent.mem_id, {}  # no rowspan reaches past its row group
        cells = [c for c in tr.iter() if c.tag in ("td", "th")]
        out: list[str] = []
        col = 0
        for cell in cells:
            col = _take_pending(pending, out, col)
            text = _cell_text(cell)
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for _ in range(min(colspan, _MAX_COLUMNS - col)):
                if rowspan > 1:
                    pending[col] = (rowspan - 1, text)
                out.append(text)
                col += 1
        _take_pending(pending, out, col)
        cells_left -= len(out)
        if cells_left < 0:
            raise _TooManyCells
        if cells:
            grid.append(out)
            all_th.append(all(c.tag == "th" for c in cells))
    return grid, all_th


_BLOCKS = frozenset({"br", "p", "div", "li", "ul", "ol"})
_BREAK = re.compile(r"(?i)<br\s*/?>|</?(?:p|div|li|ul|ol)\b[^>]*>")


_GLUED = frozenset({"sub", "sup"})
_BOLD = frozenset({"strong", "b"})
_GLUED_TAGS = re.compile(r"(?i)</?(?:sub|sup)\b[^>]*>")
# A superscript right after a digit is a footnote mark ("768<sup>3*</sup>"), not more digits.
_FOOTNOTE_AFTER_NUMBER = re.compile(r"(?i)(\d)\s*(?=<sup\b)")


# A cell that opens with a bold name and goes on after it ("<strong>PALM</strong> Alibaba
# Damo NLP"): the bold part is the name, what follows is printed beside it, as on a new line.
_BOLD_FIRST = re.compile(r"(?is)^(\s*<t[dh]\b[^>]*>\s*<(strong|b)\b[^>]*>(?:(?!</?\2\b).)*</\2>)"
                         r"(?=(?:\s|<[^>]+>)*[^\s<])")


def _cell_text(cell: Any) -> str:
    """A cell's text; lines the page breaks (``<br>``, ``<p>``, ``<div>``) stay lines, so the
    model name is told from the affiliation or link printed under it; so does a bold name at
    the start of a cell with more text after it. A sub- or superscript belongs to its word
    ("F<sub>1</sub>" is "F1")."""
    tags = {child.tag for child in cell.iter()}  # direct children: cheap
    if tags - {"-text"}:  # markup: a break may sit deeper ("<b><a>…</a><p>…</p></b>")
        tags |= {node.tag for node in cell.css("br, p, div, li, ul, ol, sub, sup")}
    bold_first = bool(tags & _BOLD) and _BOLD_FIRST.match(cell.html or "") is not None
    if not tags & (_BLOCKS | _GLUED) and not bold_first:
        return _clean(cell.text(deep=True, separator=" ", strip=True))
    from selectolax.lexbor import LexborHTMLParser

    html = _GLUED_TAGS.sub("", _FOOTNOTE_AFTER_NUMBER.sub(r"\1 ", cell.html or ""))
    if bold_first:
        html = _BOLD_FIRST.sub(r"\1<br>", html, count=1)
        tags = tags | {"br"}
    if not tags & _BLOCKS:
        return _clean(LexborHTMLParser(html).text(deep=True, separator=" ", strip=True))
    # a newline in the source is a space on the page; only the page's breaks are lines
    marked = LexborHTMLParser(_BREAK.sub("\n", re.sub(r"\s+", " ", html))).text(deep=True)
    lines = [_clean(line) for line in marked.split("\n")]
    return "\n".join(line for line in lines if line) or _clean(
        cell.text(deep=True, separator=" ", strip=True))


def first_line(text: str) -> str:
    """The first line of a cell (the model name above its affiliation).

    >>> first_line("IE-Net (ensemble)\\nRICOH_SRCB_DML")
    'IE-Net (ensemble)'
    """
    return text.split("\n", 1)[0].strip()


# A citation printed in a model cell: "(Lee et al. '16)", "Rajpurkar et al. '16", "Xiong &
# Zhong et al., 2016", "[12]". It names the paper, not the model. "and" stands between spaces
# and "&" before one, so no two ways of matching a word exist (hostile cells cannot make the
# regex backtrack exponentially). A linked citation keeps the link's spaces:
# "( Zhao et al., 2020 )".
_CITATION = re.compile(
    r"(?:\(\s*)?\b[A-Z][\w'\-]*(?:(?:\s*&|\s+and)\s+[A-Z][\w'\-]*)*\s+et\s+al\.?,?\s*"
    r"(?:'\d{2}|\d{4}[a-z]?)?(?:\s*\))?|\[\d+(?:,\s*\d+)*\]")
# A trailing parenthesis that names who made the model rather than which model it is:
# "(Google NY)", "(IBM)", "(Shri Mata Vaishno Devi University)". Variants such as
# "(ensemble)", "(single model)" or "(large)" have none of these words and stay in the name.
_ORGANISATION = re.compile(
    r"(?i)\b(?:universit\w*|institut\w*|research|labs?|laborator\w*|college|school|academy|"
    r"inc|corp\w*|ltd|llc|gmbh|group|team|centre|center|dept|department|google|microsoft|"
    r"ibm|facebook|meta|amazon|apple|baidu|alibaba|tencent|salesforce|nvidia|huawei|samsung|"
    r"naver|kakao|yandex|allen|openai|deepmind|stanford|mit|cmu|ustc|tsinghua|peking)\b")
_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")


def _strip_marks(name: str) -> tuple[str, list[str]]:
    """A name less the medals, emoji and footnote marks printed after it ("InternVL2-Pro 🥇",
    "Gemini Ultra*", "GPT-4†") or the medals and badges before it ("🥇 🤠 ✅ Honeycomb");
    the marks are returned as details.

    >>> _strip_marks("InternVL2-Pro 🥇"), _strip_marks("Gemini Ultra*"), _strip_marks("C++")
    (('InternVL2-Pro', ['🥇']), ('Gemini Ultra', ['*']), ('C++', []))
    >>> _strip_marks("🥈 🤠 ✅ SWE-agent + GPT 4o")
    ('SWE-agent + GPT 4o', ['🥈 🤠 ✅'])
    """
    start, end = 0, len(name)
    while end and _is_mark(name[end - 1], "*†‡§¶ "):
        end -= 1
    while start < end and _is_mark(name[start], " "):
        start += 1
    bare = name[start:end].strip()
    marks = [mark for mark in (name[:start].strip(), name[end:].strip()) if mark]
    return (bare, marks) if bare and marks else (name, [])


def _is_mark(char: str, also: str) -> bool:
    """An emoji, medal or other symbol printed around a name (or a character of ``also``)."""
    return char in also or char in "\ufe0f\u200d" or unicodedata.category(char) == "So"


# The label of a link printed after a name ("MIML[paper][code]"): where to read more, not
# part of the name.
_LINK_LABEL = re.compile(r"(?i)\s*\[(?:paper|code|pdf|arxiv|link|github|project|website|"
                         r"page|demo|blog|model|weights|checkpoints?|url)\]")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A date printed on a line of its own under a name ("(Jan 17, 2020)"): when it was submitted.
_DATE_LINE = re.compile(rf"(?i)^\(?\s*(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+"
                        rf"\d{{4}}|{_MONTH}\s+\d{{4}}|\d{{4}}[-/.]\d{{1,2}}(?:[-/.]\d{{1,2}})?)\s*\)?$")
_VARIANT = re.compile(r"(?i)[,+>\d]|\b(ensemble|single|model|base|large|small|tiny|shot|"
                      r"fine-?tuned|only)\b")


def _is_variant_line(line: str) -> bool:
    """A line under a model's name that is its variant, not its maker or paper: one
    parenthesis naming a setting ("(AT->ST, PT+FT)", "(single model)").

    >>> _is_variant_line("(ST, FT-only)"), _is_variant_line("(MS Ads Creative)")
    (True, False)
    >>> _is_variant_line("(Lee et al. '16)"), _is_variant_line("(Microsoft Research)")
    (False, False)
    >>> _is_variant_line("(Jan 17, 2020)")  # the date it was submitted
    False
    """
    line = line.strip()
    return bool(re.fullmatch(r"\([^()]+\)", line) and _VARIANT.search(line)
                and not _CITATION.search(line) and not _ORGANISATION.search(line)
                and not _DATE_LINE.match(line))


def model_name(cell: str) -> tuple[str, list[str]]:
    """The model's name in a model cell, and the other text printed with it.

    Lines under the name (affiliation, paper link), a citation before or after it and a
    trailing parenthesis naming an organisation are details, not the name.

    >>> model_name("RaSoR (ensemble) (Google NY)\\n(Lee et al. '16)")
    ('RaSoR (ensemble)', ['Google NY', "(Lee et al. '16)"])
    >>> model_name("Rajpurkar et al. '16 Logistic Regression")
    ('Logistic Regression', ["Rajpurkar et al. '16"])
    >>> model_name("BiDAF (single model)")
    ('BiDAF (single model)', [])
    >>> model_name("NeurST transf-s ( Zhao et al., 2020 )")  # the citation a link, spaced apart
    ('NeurST transf-s', ['( Zhao et al., 2020 )'])
    >>> model_name("MIML[paper][code]\\nTHUNLP")
    ('MIML', ['[paper]', '[code]', 'THUNLP'])
    """
    first, *rest = cell.split("\n") if cell else [""]
    links = [found.group(0).strip() for found in _LINK_LABEL.finditer(first)]
    if links and _LINK_LABEL.sub("", first).strip():
        first = _LINK_LABEL.sub("", first)
    else:
        links = []
    if rest and _is_variant_line(rest[0]):  # "HERO" over "(AT->ST, PT+FT)": one name
        first = f"{first.strip()} {rest.pop(0).strip()}"
    details: list[str] = []
    name = first.strip()
    bare = _CITATION.sub(" ", name)
    if bare.strip(" ,;-") and bare != name:
        details.extend(match.group(0).strip() for match in _CITATION.finditer(name))
        name = _clean(bare).strip(" ,;-")
    name, marks = _strip_marks(name)
    details.extend(marks)
    while (found := _TRAILING_PAREN.search(name)) and _ORGANISATION.search(found.group(1)) \
            and name[:found.start()].strip():
        details.insert(0, found.group(1).strip())
        name = name[:found.start()].strip()
    return name, links + details + [line.strip() for line in rest if line.strip()]


def _is_number(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def _header_rows(table: Any, grid: list[list[str]], all_th: list[bool]) -> int:
    """How many leading grid rows are headers."""
    thead = table.css_first("thead")
    if thead is not None:
        n = len([tr for tr in _own_rows(table) if tr.parent is not None
                 and tr.parent.mem_id == thead.mem_id])
        if n:
            return n
    n = 0  # rows all of th, until one holding numbers (some pages mark every cell th)
    while n < len(grid) - 1 and all_th[n] and not any(_is_number(c) for c in grid[n] if c):
        n += 1
    if n:
        return n
    numbered = next((i for i, row in enumerate(grid) if any(_is_number(c) for c in row)), 0)
    # a row of words over the numbers, perhaps with section rows between ("Base Model" drawn
    # across the whole table) is the header
    if numbered and not any(_is_number(c) for c in grid[0] if c) and all(
            _is_section_row(row) for row in grid[1:numbered]):
        return 1
    return 0


def _is_section_row(row: list[str]) -> bool:
    """A row that is one label drawn across the whole table ("Base Model", "Chat Model"): a
    section of the rows under it, no result.

    >>> _is_section_row(["Base Model"] * 3), _is_section_row(["Model", "Size", "MBPP"])
    (True, False)
    """
    return len(row) > 1 and bool(row[0].strip()) and len(set(row)) == 1


_WITH = re.compile(r"(?i)^\s*(w/|with)\s+(?P<what>\S.*)$")


def _fill_absent_conditions(header_rows: list[list[str]]) -> None:
    """A blank sub-header beside "w/ CoT" under the same group is the condition's absence,
    "w/o CoT" (LongBench v2 prints only the second of "w/o CoT | w/ CoT" under each group).

    >>> rows = [["Overall", "Overall", "Easy", "Easy"], ["", "w/ CoT", "", "w/ CoT"]]
    >>> _fill_absent_conditions(rows); rows[1]
    ['w/o CoT', 'w/ CoT', 'w/o CoT', 'w/ CoT']
    """
    for upper, row in zip(header_rows, header_rows[1:], strict=False):
        for col, text in enumerate(row):
            if text.strip() or col >= len(upper) or not upper[col].strip():
                continue
            siblings = [row[c] for c in (col - 1, col + 1) if 0 <= c < len(row)
                        and c < len(upper) and upper[c] == upper[col]]
            conditions = [m.group("what") for s in siblings if (m := _WITH.match(s))]
            if len(conditions) == 1:
                row[col] = f"w/o {conditions[0].strip()}"


def _join_headers(header_rows: list[list[str]], width: int) -> list[str]:
    _fill_absent_conditions(header_rows)
    headers = []
    for col in range(width):
        parts: list[str] = []
        for row in header_rows:
            text = " ".join((row[col] if col < len(row) else "").split())  # one line
            if text and text not in parts:
                parts.append(text)
        headers.append(" / ".join(parts) or f"column {col + 1}")
    return headers


_RANK_HEADER = re.compile(r"^\s*(#|no\.?|rank(ing)?|position|pos\.?|排行|排名|名次)\s*$", re.I)


def _drop_rank_header_without_ranks(grid: list[list[str]], n_header: int) -> None:
    """A header row one column wider than every body row, starting with "Rank": the rows
    carry no rank, so the rank header goes (else every value sits under the wrong header)."""
    if n_header != 1 or len(grid) < 2:
        return
    header, body = grid[0], grid[1:]
    if _RANK_HEADER.match(header[0]) and all(len(row) == len(header) - 1 for row in body):
        del header[0]


_LISTED = re.compile(r"\s*,\s+|\s+,\s*")  # "0.393, 0.420 , 0.360": a list, not "3,071"
_BARRED = re.compile(r"\s*\|\s*")  # "65.78 | +11.4" under "Overall | ∆knowledge"


def _number_or_missing(text: str) -> bool:
    """A number, or a mark that no number was printed ("—", "--")."""
    try:
        return read_printed(text) is None or _is_number(text)
    except ValueError:
        return False


def _listed(header: str, cells: list[str]) -> tuple[list[str], re.Pattern[str]] | None:
    """(the k names, the separator) where ``header`` lists k names over cells listing k
    numbers, else None. Names listed with "|" may stand over a missing mark ("30.00 | —")."""
    for separator, names in ((_LISTED, [re.sub(r"\s+@", "@", part.strip())
                                        for part in header.split(",")]),
                             (_BARRED, [part.strip() for part in header.split("|")])):
        parts = [separator.split(cell.strip()) for cell in cells if cell.strip()]
        fits = _number_or_missing if separator is _BARRED else _is_number
        if len(names) >= 2 and all(names) and parts and all(
                len(cell) == len(names) and all(map(fits, cell)) and any(map(_is_number, cell))
                for cell in parts):
            return names, separator
    return None


def _spread_listed(headers: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A column whose header lists k names ("F1 @1, @3 ,@5", "Overall | ∆knowledge") over
    cells listing k numbers ("0.393, 0.420 , 0.360", "65.78 | +11.4") is k columns ("F1@1",
    "F1@3", "F1@5").

    >>> _spread_listed(["Model", "F1 @1, @3 ,@5"], [["a", "0.39, 0.42 , 0.36"]])
    (['Model', 'F1@1', 'F1@3', 'F1@5'], [['a', '0.39', '0.42', '0.36']])
    >>> _spread_listed(["Model", "Overall | Δ"], [["a", "65.78 | +11.4"], ["b", "30.00 | —"]])
    (['Model', 'Overall', 'Δ'], [['a', '65.78', '+11.4'], ['b', '30.00', '—']])
    """
    for col in range(len(headers) - 1, -1, -1):
        found = _listed(headers[col], [row[col] for row in rows])
        if found is None:
            continue
        names, separator = found
        prefix = names[0].split("@")[0] if "@" in names[0] else ""
        names = [prefix + name if name.startswith("@") else name for name in names]
        headers = headers[:col] + names + headers[col + 1:]
        rows = [row[:col] + (separator.split(row[col].strip()) if row[col].strip()
                             else [""] * len(names)) + row[col + 1:] for row in rows]
    return headers, rows


def extract_tables(html: str | bytes) -> list[Table]:
    """Every ``<table>`` of a page as a :class:`Table` (headers detected, spans expanded)."""
    tree = _parser(html)
    tables = []
    oversized = []
    for index, node in enumerate(tree.css("table")):
        try:
            grid, all_th = _grid(_own_rows(node))
        except _TooManyCells:
            oversized.append(index)
            continue
        if not grid:
            continue
        n_header = _header_rows(node, grid, all_th)
        _drop_rank_header_without_ranks(grid, n_header)
        width = max(len(r) for r in grid)
        headers = _join_headers(grid[:n_header], width)
        body = []
        for row in grid[n_header:]:
            row = row + [""] * (width - len(row))
            if any(row) and row != headers:
                body.append(row)
        headers, body = _spread_listed(headers, body)
        caption_node = node.css_first("caption")
        caption = _clean(caption_node.text(separator=" ")) if caption_node else ""
        tables.append(Table(headers=headers, rows=body, caption=caption, index=index))
    if oversized:
        log.warning("left out table(s) %s: more than %d cells once spans are expanded",
                    oversized, MAX_CELLS)
        if not tables:
            raise ExtractionError(f"every table on the page has more than {MAX_CELLS:,} cells "
                                  "once colspan/rowspan are expanded",
                                  hint="this is not a real results table; check the page")
    return tables


def extract_cells(html: str | bytes) -> list[list[list[str]]]:
    """Raw cell texts of every table (rows of cells), without header logic: the fast path.

    >>> extract_cells("<table><tr><td>a</td><td> 1 <b>%</b></td></tr></table>")
    [[['a', '1 %']]]
    """
    tree = _parser(html)
    join = " ".join
    cells = ("td", "th")
    return [[[join(c.text(True, " ").split()) for c in tr.iter() if c.tag in cells]
             for tr in node.css("tr")] for node in tree.css("table")]


# -- choosing and mapping ---------------------------------------------------------------
def numeric_columns(table: Table, threshold: float = 0.6) -> list[int]:
    """Columns where most non-missing cells are numbers."""
    result = []
    for col in range(len(table.headers)):
        seen = numbers = 0
        for row in table.rows:
            text = row[col]
            try:
                parsed = parse_number(text)
            except ValueError:
                seen += 1
                continue
            if parsed is not None:
                seen += 1
                numbers += 1
        if numbers and numbers >= threshold * seen:
            result.append(col)
    return result


def choose_results_table(tables: list[Table], where: str = "the page") -> Table:
    """The table most likely to hold results: a text column, numeric columns, most numbers.

    Raises:
        ExtractionError: "no results table found" when no table qualifies.
    """
    best: tuple[int, Table] | None = None
    for table in tables:
        numeric = numeric_columns(table)
        text_cols = [c for c in range(len(table.headers)) if c not in numeric]
        if not numeric or not text_cols or not table.rows:
            continue
        score = len(table.rows) * len(numeric)
        if best is None or score > best[0]:
            best = (score, table)
    if best is None:
        raise ExtractionError(
            f"no results table found on {where} ({len(tables)} table(s), none with a name "
            "column and numeric columns)",
            hint="the page layout may have changed, or the table is built by JavaScript: "
                 "try --render; or save the page and pass it as a file")
    return best[1]


@dataclass
class ColumnMapping:
    """Which columns hold the model name, the dataset (optional) and the metrics."""

    model: str
    metrics: list[str]
    dataset_column: str | None = None
    dataset: str = ""
    task_type: str = ""
    split: str = ""  # the table's split (a column header naming one wins)
    dataset_config: str = ""
    metric: str = ""  # the metric of columns that name a subset, not a metric ("FQA")
    column_metrics: dict[str, str] = field(default_factory=dict)  # per subset column, if known
    tab: str = ""  # the page tab showing the table: config of the columns naming no subset
    qualifiers: frozenset[str] = frozenset()  # sub-headers repeated under each group: variants
    page_metric: str = ""  # the one metric the page's text names: for subsets named by nothing else
    measure: str = ""  # the measure the table's heading names: qualifies columns naming a metric
    defined_measures: frozenset[str] = frozenset()  # abbreviations the page defines as measures
    named_sets: frozenset[str] = frozenset()  # what the page calls its sets ("challenge set")
    factored: dict[str, tuple[str, str]] = field(default_factory=dict)  # header: (subset, measure)
    page_text: str = ""  # the page's running text: the full names its columns shorten
    scored_parts: bool = False  # the column groups are what is scored ("Fact Extraction / EM")
    conditions: bool = False  # every header row names a condition ("Setting / Dataset" corner)
    data_unnamed: str = ""  # the topic heading over a table on no named data (a model's page)
    rows_are: str = ""  # what the heading says each row is, where that is no model ("Prompts")

    def describe(self) -> str:
        """One line for the user to check before storing."""
        where = f"column {self.dataset_column!r}" if self.dataset_column else repr(self.dataset)
        labels = "".join(f"; {name} = {value!r}" for name, value in (
            ("config", self.dataset_config), ("split", self.split), ("metric", self.metric),
            ("task", self.task_type)) if value)
        return (f"model = column {self.model!r}; metrics = {', '.join(map(repr, self.metrics))}; "
                f"dataset = {where}{labels}")


def _describes_row(table: Table, col: int) -> bool:
    """Whether a numeric column describes the row (rank, date, size, how much data) rather
    than measures it. A rank-like header over values that are no ranks ("NO": questions with
    no context, 61.9) is a metric.

    >>> table = Table(["Setting", "#Examples", "# Resolved"], [["Snow", "547", "12"]])
    >>> _describes_row(table, 1), _describes_row(table, 2)
    (True, False)
    >>> runs = Table(["Model", "Avg. tool calls", "Correctness", "Cost", "Pass/$", "Turns"],
    ...              [["x", "2.3", "30.2", "$2.09", "0.089", "25.2"]])
    >>> [_describes_row(runs, c) for c in range(1, 6)]
    [True, False, True, True, True]
    >>> sizes = Table(["Scenario", "Client number", "Sample number"], [["femnist", "178", "9"]])
    >>> _describes_row(sizes, 1), _describes_row(sizes, 2)
    (True, True)
    """
    if is_property(table.headers[col]) or _INPUT_SETTING.match(table.headers[col]):
        return True  # "LLM Params", "# Params (M)", "Frames"
    if _RUN_STATISTIC.search(table.headers[col]):
        return True  # "Avg. tool calls", "Turns", "Cost", "Pass/$": what a run took
    header = table.headers[col]
    if count := _COUNT_HEADER.match(header) or _COUNT_AFTER.match(header):  # not "# Resolved"
        return not (_names_metric(count["what"]) or _OUTCOME.search(count["what"]))
    if not _NOT_A_METRIC.match(table.headers[col]):
        return False
    if not _RANK_HEADER.match(table.headers[col]):
        return True
    # ranks, and the marks of unranked rows ("*" or "#" beside a human baseline, "-")
    return all(re.fullmatch(r"\s*(\d*|[*†\-–—#])\s*", row[col].split("\n", 1)[0])
               for row in table.rows)


def guess_mapping(table: Table, *, dataset: str = "", task_type: str = "") -> ColumnMapping:
    """A sensible guess: the model column by its header (else the first text column), every
    numeric column that is not a rank/date/size a metric, a "dataset" column if there is one."""
    numeric = set(numeric_columns(table))
    text_cols = [c for c in range(len(table.headers)) if c not in numeric]
    if not text_cols or not numeric:
        raise ExtractionError(f"table {table.index} has no text column or no numeric column",
                              hint="choose another table or name the columns")
    named = [c for c in text_cols if _MODEL_HEADER.search(table.headers[c])]
    # "Team Name" beside "Model Details": the team submitted the model the other column names
    named = [c for c in named if not _SUBMITTER_HEADER.search(table.headers[c])] or named
    model = named[0] if named else text_cols[0]
    dataset_cols = [c for c in text_cols if c != model and _DATASET_HEADER.search(table.headers[c])]
    metrics = [table.headers[c] for c in sorted(numeric) if not _describes_row(table, c)]
    if not metrics:
        raise ExtractionError(f"table {table.index}: every numeric column looks like a rank, date "
                              "or size", hint="name the metric columns with --metric-col")
    return ColumnMapping(model=table.headers[model], metrics=metrics,
                         dataset_column=table.headers[dataset_cols[0]] if dataset_cols else None,
                         dataset=dataset, task_type=task_type)


@dataclass
class Extracted:
    """Records read from a table, and the cells that could not be read as numbers."""

    results: list[BenchmarkResult]
    skipped: list[str] = field(default_factory=list)
    no_results: list[str] = field(default_factory=list)  # numbers that are no result (averages)


# A word in parentheses after the data a column names ("TriviaQA (Mixed)"): a version of that
# data the page made, whose own name the reader does not know; storing it under the plain name
# would file it under data it is not.
_UNKNOWN_QUALIFIER = re.compile(r"\s\((?!(?:dev|test|val|validation|train)\))[A-Z][a-z]{2,}\)\s*$")


# "TriviaQA (Mixed)": the part of a benchmark mixed into a mixture (MixEval) the table prints
# beside it; the page's "subsplits" of that mixture.
_MIXED = re.compile(r"(?i)\s*\((?:mixed|mixture)\)\s*$")


def _variant(name: str) -> str:
    """The variant a hyphen suffix names ("Hard" of "MixEval-Hard 🔥", "TriviaQA-Hard"), "" for
    a plain name ("MixEval 🔥", "TriviaQA")."""
    plain = re.sub(r"[^\w\s.\-]", "", name).strip()
    return plain.rsplit("-", 1)[1].lower() if re.search(r"\w-[A-Za-z]+$", plain) else ""


def _mixture_of(part: str, mixtures: list[str]) -> str:
    """The mixture a "(Mixed)" column's part belongs to: of the table's data columns scored
    like it, the one with the same variant ("TriviaQA-Hard" in "MixEval-Hard", "TriviaQA" in
    "MixEval"); "" when not exactly one.

    >>> _mixture_of("TriviaQA-Hard", ["MixEval-Hard 🔥", "MixEval 🔥"]), _mixture_of(
    ...     "MMLU", ["MixEval-Hard 🔥", "MixEval 🔥"]), _mixture_of("MMLU", ["A", "B"])
    ('MixEval-Hard 🔥', 'MixEval 🔥', '')
    """
    same = [m for m in mixtures if _variant(m) == _variant(part)]
    return same[0] if len(same) == 1 else ""


def _mixtures(labels: dict[str, tuple[str, str, str]]) -> dict[str, list[str]]:
    """For each metric, the table's data columns scored by it that are no part of another
    ("MixEval 🔥", not "TriviaQA (Mixed)"): where a "(Mixed)" part may belong."""
    out: dict[str, list[str]] = {}
    for group, _, metric in labels.values():
        if group and not _UNKNOWN_QUALIFIER.search(group) and not _MIXED.search(group):
            out.setdefault(metric, []).append(group)
    return out


# A date in parentheses after a name ("Arena Elo (0527)", "(2024-05-27)", "(05/27)"): the
# version of a live board the column quotes, its config. A year alone ("NIST (2008)") is not.
_DATE_VERSION = re.compile(r"\s*\((?P<date>(?:(?:19|20)\d\d-)?(?:0[1-9]|1[0-2])[-/]?"
                           r"(?:0[1-9]|[12]\d|3[01]))\)\s*$")


# How fast a deployment served the model ("Throughput", "TPS", "Tokens/s", "Latency (ms)"):
# under a heading naming a topic of a model's page ("Costs and Efficiency"), on no data, a
# measurement of the serving set-up the text describes, not any benchmark's result.
_SERVING_SPEED = re.compile(r"(?i)^\s*(?:throughput|tps|qps|rps|latency|speed|"
                            r"(?:tokens?|requests?|queries)\s*(?:/|per\s+)\s*s(?:ec(?:ond)?)?)\b")


# A model column whose header says each cell's second line is the model's full name.
_FULL_NAME_LINE = re.compile(r"(?i)\(\s*full\s+names?\s*\)")


def table_to_results(table: Table, mapping: ColumnMapping, *, source: str = "web",
                     source_url: str = "", collected_at: datetime | None = None,
                     extraction_method: str = "html-table") -> Extracted:
    """One :class:`BenchmarkResult` per (row, metric column) with a number in it.

    Missing markers ("—", "n/a") are skipped silently; other non-numbers are listed in
    ``skipped``. The other cells of the row are kept in ``extra["row"]``.
    """
    model_col = table.column(mapping.model)
    metric_cols = [(name, table.column(name)) for name in mapping.metrics]
    dataset_col = table.column(mapping.dataset_column) if mapping.dataset_column else None
    when = collected_at or utcnow()
    out = Extracted(results=[])
    metric_cols_set = {i for _, i in metric_cols}
    labels = {name: _column_labels(name, mapping) for name, _ in metric_cols}
    columns_name_data = any(group for group, _, _ in labels.values())  # "MMLU | GSM8K | Avg"
    if mapping.rows_are:  # "All Results of Prompts": averages over the models, no model's result
        out.no_results.append(f"its heading says the rows are {mapping.rows_are}, not models: "
                              "no model's results")
        return out
    uneven = _uneven_averages(table, metric_cols)
    mixtures = _mixtures(labels)
    for number, row in enumerate(table.rows):
        if _spans_the_row(row):  # a note or a section label ("Model description: …")
            continue
        model, details = model_name(row[model_col])
        if details and _FULL_NAME_LINE.search(mapping.model):  # "Model (Full Name)": "Grok-4\n…"
            model, details = f"{model} ({details[0]})", details[1:]
        if not model:
            continue
        context = {table.headers[c]: row[c] for c in range(len(row))
                   if c != model_col and c not in metric_cols_set and row[c]}
        for name, col in metric_cols:
            try:
                parsed = read_printed(row[col])
            except ValueError:
                out.skipped.append(f"row {number + 1} {name!r}: {row[col]!r}")
                continue
            if parsed is None:
                continue
            if name in uneven:
                out.no_results.append(f"row {number + 1} {name!r}: the mean of the row's "
                                      "printed cells, some missing: no result of its own")
                continue
            group, split, metric = labels[name]
            metric = metric or mapping.metric or "score"  # a column named by its split only
            named, shots = (group, "") if mapping.dataset else _without_shots(group)
            if not mapping.dataset and _MIXED.search(named) and (mixture := _mixture_of(
                    part := _MIXED.sub("", named), mixtures.get(labels[name][2], []))):
                named, shots = mixture, part  # "TriviaQA (Mixed)": MixEval's part TriviaQA
            if not mapping.dataset and (version := _DATE_VERSION.search(named)):
                named, shots = named[:version.start()], version["date"]  # "Arena (0527)"
            named = mapping.dataset or longer_name(
                named, mapping.page_text, labels[name][2] if labels[name][2] in name else "")
            if not mapping.dataset and dataset_col is None and (
                    named or columns_name_data or mapping.data_unnamed) \
                    and not _names_data(named, mapping.page_text):
                topic = f" (its heading {mapping.data_unnamed!r} names a topic of the page, " \
                        "not data)" if mapping.data_unnamed and not named else ""
                if topic and _SERVING_SPEED.search(name):  # "Throughput | TPS" under "Costs"
                    out.no_results.append(f"row {number + 1} {name!r}: a speed of serving the "
                                          f"model{topic}: no benchmark's result")
                    continue
                out.skipped.append(f"row {number + 1} {name!r}: no dataset named{topic}")
                continue
            if not mapping.dataset and dataset_col is None and (
                    qualifier := _UNKNOWN_QUALIFIER.search(named)):
                out.skipped.append(f"row {number + 1} {name!r}: what {qualifier.group(0).strip()!r}"
                                   " makes of the data is not known")
                continue
            extra: dict[str, Any] = {"row": number + 1, "table": table.index,
                                     "metric_name": name, **parsed.provenance(),
                                     **printed_notes(row[col])}
            if context:
                extra["columns"] = context
            if details:
                extra["model_details"] = details
            out.results.append(published_result(
                model_name=model, task_type=mapping.task_type,
                dataset=first_line(row[dataset_col]) if dataset_col is not None
                else named,
                # the heading's setting, then the column's subset, else the tab's label
                # ("Evidence-aware QA with Multiple Answers" over a tab "Ungrouped Evidence")
                dataset_config=" / ".join(part for part in (
                    mapping.dataset_config, (group if mapping.dataset else shots) or mapping.tab)
                    if part),
                dataset_split=split or mapping.split,
                metric=metric, score=parsed.value, printed=row[col], source=source,
                source_url=source_url, collected_at=when, extraction_method=extraction_method,
                extra=extra))
    return out


def _missing(cell: str) -> bool:
    """Whether a cell prints a missing marker ("-", "n/a"): no number, and no text either."""
    try:
        return read_printed(cell) is None
    except ValueError:
        return False


def _value(cell: str) -> float | None:
    """The number a cell prints, None for a missing marker or text."""
    try:
        parsed = read_printed(cell)
    except ValueError:
        return None
    return parsed.value if parsed is not None else None


def _uneven_averages(table: Table, metric_cols: list[tuple[str, int]]) -> set[str]:
    """The overall columns ("Avg") the page computed from each row's printed cells, skipping
    the missing ones: where a row lacks "SQuAD v2 | IWSLT" ("-") and its "Avg" is still the
    plain mean of what it prints, the column averages other data in each row, so it is no one
    dataset's score, only a summary of the row. An overall score measured on the whole data
    (MMMU's "Overall" beside "-" subsets, a size-weighted mean) is no such mean and is kept.

    >>> t = Table(["Model", "SST-2", "IWSLT", "Avg"], [["T5", "0.04", "0.14", "0.09"],
    ...                                              ["Vicuna", "0.83", "-", "0.83"]])
    >>> _uneven_averages(t, [("SST-2", 1), ("IWSLT", 2), ("Avg", 3)])
    {'Avg'}
    >>> t.rows[1][3] = "0.70"  # measured on all of the data, not averaged from the row
    >>> _uneven_averages(t, [("SST-2", 1), ("IWSLT", 2), ("Avg", 3)])
    set()
    """
    overall = {name: col for name, col in metric_cols if _OVERALL.match(_UNIT.sub("", name))}
    parts = [col for _, col in metric_cols if col not in overall.values()]
    if not overall or len(parts) < 2:
        return set()
    gapped = [row for row in table.rows if any(_missing(row[c]) for c in parts)
              and any(_value(row[c]) is not None for c in parts)]
    return {name for name, col in overall.items()
            if any(_value(row[col]) is not None for row in gapped)
            and all(is_printed_mean(row[col], [row[c] for c in parts
                                               if _value(row[c]) is not None], within_units=1)
                    for row in gapped if _value(row[col]) is not None)}


def _names_data(name: str, text: str) -> bool:
    """Whether a column's name, where the columns name the data, names a dataset: not empty
    (an "Average" column beside them), and not a plain word the page's text uses as one
    ("Exams | Understanding | Math" where the text says "domains including exams,
    understanding, math"; "Multilingual" of "its multilingual proficiency"). A dataset's own
    name is printed as a name ("MATH", "HumanEval", "Hellaswag").

    >>> text = "covering domains including exams, understanding, math. Hellaswag and MATH"
    >>> [_names_data(n, text) for n in ("Math", "Exams", "MATH", "Hellaswag", "")]
    [False, False, True, True, False]
    """
    if not name.strip():
        return False
    if not re.fullmatch(r"[A-Z][a-z]+(?:\s+[a-z]+)*", name.strip()):
        return True
    return re.search(r"(?<![\w\-])" + re.escape(name.strip().lower()) + r"(?![\w\-])",
                     text) is None


# A column's few-shot setting printed after the data's name ("HumanEval 0-shot", "M-MMLU
# (5-shot)", "MGSM (0-shot, CoT)").
_SHOTS = re.compile(r"(?i)\s*\(?\b(?P<shots>(?:\d+|zero|one|few)[- ]shots?\b"
                    r"(?:\s*,\s*[^()]*)?)\)?\s*$")


def _without_shots(group: str) -> tuple[str, str]:
    """(the data's name, the few-shot setting) of a column naming a dataset.

    >>> _without_shots("HumanEval 0-shot"), _without_shots("MGSM (0-shot, CoT)")
    (('HumanEval', '0-shot'), ('MGSM', '0-shot, CoT'))
    >>> _without_shots("MMLU")
    ('MMLU', '')
    """
    found = _SHOTS.search(group)
    if not found or not group[:found.start()].strip():
        return group, ""
    return group[:found.start()].strip(), found.group("shots").strip()


def _spans_the_row(row: list[str]) -> bool:
    """Whether one cell runs across the table (all its columns, or all but the last): a note
    under the row above or a section label, not a row of results.

    >>> _spans_the_row(["Model description: …"] * 8 + [""]), _spans_the_row(["a", "1", "1"])
    (True, False)
    """
    filled = [cell for cell in row if cell]
    return len(row) > 2 and len(set(filled)) == 1 and len(filled) >= len(row) - 1


# A unit printed after a header ("Dev (%)", "Latency (ms)", "Micro Accuracy[%]", "Acc in %"): not
# part of what it names.
_UNIT = re.compile(r"\s*[(\[]\s*(?:%|pp|ms|s|sec|secs|seconds|gb|mb|x)\s*[)\]]\s*$"
                   r"|\s*[(\[]?\s*[↑↓⬆⬇]\s*[)\]]?\s*$"  # or which way is better: "MAE ↓"
                   r"|\s+in\s+(?:%|percent)\s*$", re.I)  # or in words: "Global Acc in %"
# How many examples a column was scored on, printed after its name ("Test Total (5341)", "Val
# Total (1337)"): not part of the subset's name. A year in parentheses ("NIST (2008)") is kept.
_SCORED_ON = re.compile(r"\s*\(\s*(?!(?:19|20)\d\d\s*\))\d[\d,]*\s*\)\s*$")
_WITHOUT = re.compile(r"(?i)^\s*(w/o|without|none|plain|base(line)?)\b")
# A sub-header naming what the model was given ("w/o subs", "w subs", "with CoT"): a setting
# of the group (its config), not a way of scoring it (a bare "w/o" beside "CoT-E" is one).
_CONDITION = re.compile(r"(?i)^\s*(?:w/o|w/|w\.|w|with|without)\s+\w")
_OVERALL = re.compile(r"(?i)^\s*(all|avg\.?|average|overall|total|mean)\s*$")
# What a corner cell calls a header row that names conditions, not measures: "Setting" over
# "Dataset" above "Math Pack | … " over "Repetitive | Diverse | …".
_DIMENSION = re.compile(r"(?i)^\s*(?:settings?|datasets?|data|tasks?|subsets?|splits?|conditions?|"
                        r"scenarios?|domains?|categor(?:y|ies)|languages?|tracks?|modes?|"
                        r"environments?|levels?|test\s+sets?)\s*$")


def _corner_measure(header: str) -> str:
    """The measure a corner header over the model names prints ("Acc. (%)"): every column's
    metric, the column headers then naming conditions only; "" for a plain corner ("Model").

    >>> _corner_measure("Acc. (%)"), _corner_measure("Model"), _corner_measure("Model / Acc")
    ('accuracy', '', '')
    """
    bare = _UNIT.sub("", header).strip()
    if " / " in bare or not re.fullmatch(r"(?i)acc(?:\.|uracy)?|score|f1|em", bare):
        return ""
    return "accuracy" if bare.lower().startswith("acc") else bare


def _corner_names_conditions(header: str) -> bool:
    """Whether a joined corner header names each header row as a condition ("Setting /
    Dataset"): then every column is a combination of conditions, none a measure.

    >>> _corner_names_conditions("Setting / Dataset"), _corner_names_conditions("Dataset")
    (True, False)
    >>> _corner_names_conditions("Model / Name")
    False
    """
    parts = header.split(" / ")
    return len(parts) > 1 and all(_DIMENSION.match(part) for part in parts)
# Words that make a header a metric although the registry does not know it.
_SCORE_WORDS = re.compile(r"(?i)\b(scores?|loss|errors?|rates?|accurac(y|ies)|points?|elo|match|"
                          r"success|ratings?|top-?\d+|prec(ision)?|recall|acc|ave|avg|average|mean)\b"
                          r"|@\d"
                          # a pass mark in parentheses: the share of items scored at least so
                          # much ("Perfect (100%)", "Solved (≥90%)")
                          r"|\(\s*(?:[≥≤><]=?\s*)?\d+(?:\.\d+)?\s*%\s*\)\s*$")


def _names_metric(header: str) -> bool:
    """Whether a column header names a metric, not a subset of the data ("FQA", "NER", "ALL").

    >>> _names_metric("Clean accuracy"), _names_metric("BLEU-4"), _names_metric("FQA")
    (True, True, False)
    >>> _names_metric("% Resolved"), _names_metric("∆knowledge")  # a share, a change: measures
    (True, True)
    >>> _names_metric("Perfect (100%)"), _names_metric("Solved (≥90%)"), _names_metric("Perfect")
    (True, True, False)
    """
    from ..metrics import info

    return bool(header.lstrip().startswith(("%", "Δ", "∆")) or header_labels(header)[2]
                or not info(header).guessed
                or not info(re.sub(r"[-_ ]?\d+$", "", header)).guessed
                or _SCORE_WORDS.search(header))


_NAME_AND_MEASURE = re.compile(r"^(?P<what>[^()/]*[^\s()/])\s*\(\s*(?P<measure>[^()]+?)\s*\)$")


def _measure_in_parentheses(name: str) -> tuple[str, str] | None:
    """(what was measured, the measure) of a header printing the measure in parentheses
    ("MT-bench (score)"); None for a measure qualified in parentheses ("Accuracy
    (AutoAttack)", "F1 (macro)") or any other header.

    >>> _measure_in_parentheses("MT-bench (score)"), _measure_in_parentheses("F1 (macro)")
    (('MT-bench', 'score'), None)
    """
    found = _NAME_AND_MEASURE.match(name)
    if not found or " / " in name:
        return None
    what, measure = found.group("what"), found.group("measure")
    if _names_metric(what) or split_from_name(what)[0] or not _names_metric(measure):
        return None
    return what, measure


_SET_WORD = re.compile(r"(?i)\s+set$")


def _metric_over_part(group: str, last: str, beside_all: bool = False) -> tuple[str, str] | None:
    """(config, split) of a header that prints the metric above the part of the data it was
    measured on ("Accuracy / Test set", "Accuracy / Hard subset"); None otherwise. Beside an
    overall column under the same metric (``beside_all``: "Accuracy" over "All | Text Only |
    Multimodal"), each sibling naming no metric is a part of the data, the overall the whole.

    >>> _metric_over_part("Accuracy", "Test set"), _metric_over_part("Accuracy", "Hard subset")
    (('', 'test'), ('Hard subset', ''))
    >>> _metric_over_part("SQuAD", "EM"), _metric_over_part("Accuracy", "Proactive")
    (None, ('Proactive', ''))
    >>> _metric_over_part("Accuracy", "All", True), _metric_over_part("Accuracy", "Text Only", True)
    (('', ''), ('Text Only', ''))
    """
    if not _names_metric(group) or _names_metric(last):
        return None
    if beside_all:
        return ("", "") if _OVERALL.match(last) else (last, "")
    split, rest = split_from_name(_SET_WORD.sub("", last))
    if split and not rest:
        return "", split
    if re.search(r"(?i)\b(sub)?sets?$", last):
        return last, ""
    # "Accuracy (%) / Proactive": the condition it was measured under, a word naming no data
    return (last, "") if re.fullmatch(r"[A-Z][a-z]+", last) and not _OVERALL.match(last) else None


def _overall_beside(group: str, headers: list[str]) -> bool:
    """Whether an overall column ("All", "Avg") sits under ``group`` among ``headers``, with
    at least two siblings ("Accuracy / All", "Accuracy / Text Only", "Accuracy / Multimodal").

    >>> _overall_beside("Accuracy", ["Accuracy (%) / All", "Accuracy / Text", "Accuracy / Image"])
    True
    >>> _overall_beside("Accuracy", ["Accuracy / Text", "Accuracy / Image"])
    False
    """
    under = [last for first, _, last in (header.rpartition(" / ") for header in headers)
             if first and (_UNIT.sub("", first).strip() or first) == group]
    return len(under) >= 3 and any(_OVERALL.match(_UNIT.sub("", last).strip()) for last in under)


_SCORE_WORD = re.compile(r"(?i)\bscores?$")  # "Avg. Score" under "MT-Bench": a measure


def _column_labels(name: str, mapping: ColumnMapping) -> tuple[str, str, str]:
    """(group, split, metric) of a metric column.

    A joined header "SQuAD / EM" names its group (a dataset or subset) and its metric; the
    group is dropped when it is the dataset, and qualifies the metric when the table's setting
    is known already ("Ans / EM" under "Distractor Setting" is the metric "Ans EM"). A header
    naming no metric ("FQA") is a subset under the metric the page names, else ``score``;
    an overall column ("ALL", "Avg") is the whole dataset.

    >>> _column_labels("SQuAD / EM", ColumnMapping("m", [])), _column_labels(
    ...     "SQuAD / EM", ColumnMapping("m", [], dataset="squad"))
    (('SQuAD', '', 'EM'), ('', '', 'EM'))
    >>> _column_labels("Ans / EM", ColumnMapping("m", [], dataset_config="distractor"))
    ('', '', 'Ans EM')
    >>> _column_labels("Test F1", ColumnMapping("m", [])), _column_labels(
    ...     "FQA", ColumnMapping("m", [], metric="accuracy"))
    (('', 'test', 'F1'), ('FQA', '', 'accuracy'))
    >>> mathverse = ColumnMapping("m", [], metric="accuracy",
    ...                           qualifiers=frozenset({"w/o", "CoT-E"}))
    >>> _column_labels("Text Lite / CoT-E", mathverse), _column_labels("ALL / w/o", mathverse)
    (('Text Lite', '', 'CoT-E'), ('', '', 'accuracy'))
    >>> _column_labels("Dev (%)", ColumnMapping("m", [], metric="EX"))
    ('', 'validation', '')
    >>> _column_labels("Test Total (5341)", ColumnMapping("m", [], metric="accuracy"))
    ('', 'test', 'accuracy')
    >>> _column_labels("ALL", ColumnMapping("m", [])), _column_labels(
    ...     "XGLUE-Understanding Score", ColumnMapping("m", []))
    (('', '', 'score'), ('', '', 'XGLUE-Understanding Score'))
    """
    version = _DATE_VERSION.search(name)  # "Arena Elo (0527)", no count of items scored
    name = " / ".join(_SCORED_ON.sub("", _UNIT.sub("", part)).strip() or part
                      for part in name.split(" / "))
    if mapping.conditions:  # "Math Pack / Repetitive" under a "Setting / Dataset" corner
        return ", ".join(name.split(" / ")), "", mapping.metric or mapping.page_metric or "score"
    if name in mapping.factored:  # "Unseen Success" beside "Seen Success", "Unseen PLW", …
        subset, measure = mapping.factored[name]
        return subset, "", measure
    if measured := _measure_in_parentheses(name):  # "MT-bench (score)"
        name = " / ".join(measured)
    if " / " in name:
        group, last = name.rsplit(" / ", 1)
        beside_all = _overall_beside(group, mapping.metrics)
        if (part := _metric_over_part(group, last, beside_all)) and " / " not in group:
            return part[0], part[1], group  # "Accuracy / Hard subset"
        if last in mapping.qualifiers and _CONDITION.match(last):  # "Short Video / w subs"
            subset = "" if _OVERALL.match(group) else group
            return ", ".join(p for p in (subset, last) if p), "", (
                mapping.metric or mapping.page_metric or "score")
        if last in mapping.qualifiers:  # "Text Lite / CoT-E": the subset, scored one way
            subset = "" if _OVERALL.match(group) else group
            plain = _WITHOUT.match(last)  # "w/o": the measure without the other's variant
            return subset, "", (mapping.metric or "score") if plain else last
        what, last_split, metric = header_labels(last)
        if metric and what and not split_from_name(group)[0]:
            metric = f"{what} {metric}"  # under a group the sub-header is all measure
        metric = metric or (last if measured or _SCORE_WORD.search(last) else "")
        if metric and mapping.scored_parts and not _OVERALL.match(group):
            # "HoVer Score / Acc" is the HoVer score; "Fact Extraction / EM" its part's EM
            return "", last_split, group if _names_metric(group) else f"{group} {metric}"
        if metric:
            split, group = split_from_name(group)
            if not split and group.lower() in mapping.named_sets:  # "Challenge / EM"
                split, group = group.lower(), ""
            if folded(group) == folded(mapping.dataset):
                group = ""
            if group and mapping.dataset_config:
                return "", last_split or split, f"{group} {metric}"
            return group, last_split or split, metric
    split, metric = split_from_name(name)
    what, _, measure = header_labels(metric)
    if not mapping.dataset and what and measure and not _names_metric(what):
        # "Arena Elo (0527)": the board as of 05-27, a version of the data (its config)
        return f"{what}{version.group(0)}" if version else what, split, measure
    if metric and _OVERALL.match(metric):
        return "", split, mapping.metric or mapping.page_metric or "score"
    if metric and not _names_metric(metric) and metric not in mapping.defined_measures:
        return metric, split, mapping.metric or mapping.column_metrics.get(
            metric, mapping.page_metric or "score")
    if metric and mapping.measure and canonical_name(metric) != canonical_name(mapping.measure):
        metric = f"{metric} ({mapping.measure})"  # "Question Match" under "Execution with Values"
    return "", split, metric


# -- a whole page: every results table, named by the page ---------------------------------------
def _is_headerless(table: Table) -> bool:
    return all(re.fullmatch(r"column \d+", h) for h in table.headers)


def page_outcome(html: str | bytes, *, source_url: str = "", dataset: str = "",
                 task_type: str = "", source: str = "web", extraction_method: str = "html-table",
                 collected_at: datetime | None = None) -> Outcome:
    """Records of every results table of a page, each named as a reader names it.

    The dataset is ``dataset`` if given, else the one the table's caption or heading names,
    else the page's name; the setting, split and metric come from the same text when the
    columns do not print them (see :mod:`.pagecontext`). A column naming a subset ("FQA",
    "NER") rather than a metric is that subset (its config) under the metric the text names,
    else under ``score``; an overall column ("ALL", "Avg") is the whole dataset. A table
    without headers right after a results table (a "Human Performance" row on its own) takes
    that table's headers.

    Example:
        >>> html = ("<h1>SQuAD</h1><h2>Development Set Leaderboard</h2><table><tr><th>Model"
        ...         "</th><th>EM</th></tr><tr><td>RaSoR<br>Google NY</td><td>66.4</td></tr>"
        ...         "</table>")
        >>> r = page_outcome(html).results[0]
        >>> r.model_name, r.dataset, r.dataset_split, r.metric, r.score
        ('RaSoR', 'SQuAD', 'validation', 'exact_match', 66.4)
    """
    text = decode_body(html) if isinstance(html, bytes) else html
    return tables_outcome(page_tables(text, dataset, task_type), source_url=source_url,
                          source=source, extraction_method=extraction_method,
                          collected_at=collected_at)


def tables_outcome(found: list[tuple[Table, ColumnMapping]], *, source_url: str = "",
                   source: str = "web", extraction_method: str = "html-table",
                   collected_at: datetime | None = None) -> Outcome:
    """Records of tables already read with their mappings (:func:`page_tables`): what
    :func:`page_outcome` stores, for a caller that showed the tables first."""
    out = Outcome(source=source_url)
    when = collected_at or utcnow()
    for table, mapping in found:
        if _rows_name_data(mapping):  # "Domain" over "Mount. Car (C)": no model in that column
            out.unreadable.append(f"{source_url or 'page'} table {table.index}: its rows are "
                                  f"{mapping.model!r} (data, not models) and its models are "
                                  "named in no way the reader knows: not read")
            continue
        extracted = table_to_results(table, mapping, source=source, source_url=source_url,
                                     collected_at=when, extraction_method=extraction_method)
        for record in extracted.results:
            out.add(record)
        out.metadata.extend(_properties(table, mapping.model, source_url))
        out.unreadable.extend(f"{source_url or 'page'} table {table.index}: {item}"
                              for item in extracted.skipped)
        out.notes.extend(f"{source_url or 'page'} table {table.index}: {item}"
                         for item in extracted.no_results)
    return out


# A first header naming a kind of data ("Domain", "Environment", "Task"): its rows are data.
_DATA_KIND_HEADER = re.compile(r"(?i)^\s*(?:domains?|environments?|envs?|tasks?|datasets?|"
                               r"benchmarks?)\s*$")


def _rows_name_data(mapping: ColumnMapping) -> bool:
    """Whether the column read as the models' names a kind of data ("Domain"), with no column
    of data beside it: the rows are data, and storing them as models would be wrong.

    >>> _rows_name_data(ColumnMapping("Domain", ["PPO"])), _rows_name_data(
    ...     ColumnMapping("Model", ["EM"])), _rows_name_data(ColumnMapping("Task", ["EM"], \
dataset_column="Dataset"))
    (True, False, False)
    """
    return bool(_DATA_KIND_HEADER.match(mapping.model)) and mapping.dataset_column is None


def page_tables(text: str, dataset: str = "",
                task_type: str = "") -> list[tuple[Table, ColumnMapping]]:
    """The page's results tables, each with the columns and labels its context gives it. A
    subset column means the same on the whole page: where a table's text names no metric, a
    column of that name takes the metric another table's text names for it."""
    name, contexts = page_context(text)
    found: list[tuple[Table, ColumnMapping]] = []
    previous: Table | None = None
    for table in extract_tables(text):
        context = contexts[table.index] if table.index < len(contexts) else TableContext()
        if previous is not None and _is_headerless(table) and table.rows:
            table = _borrow_headers(table, previous)
        if _is_headerless(table):  # no header names what its numbers are ("What | 36.92%")
            continue
        named_in_cells = _models_named_in_cells(table, shown_measure(context.paragraph))
        if named_in_cells is None:
            table = _models_over_columns(table) or _models_as_rows(table, name)
        long_form = named_in_cells or _long_form(table)  # the rows name their data and measure
        table = long_form or table
        try:
            guessed = guess_mapping(table)
        except ExtractionError:
            continue
        guessed.metrics = [name for name in guessed.metrics if not _DERIVED.search(name)]
        if not table.rows or not guessed.metrics or _counts_examples(table, guessed.metrics):
            continue
        labels = table_labels(name, context, table.caption)
        if shared := _shared_qualifier(guessed.metrics):  # "Arc(Level 1)", "Avg(Level 1)"
            table, guessed = _without_qualifier(table, guessed, shared)
            labels.config = ", ".join(part for part in (labels.config, shared) if part)
        unnamed = ""
        if long_form or _compares_page_model(table, guessed.model, name, context.as_named):
            labels.dataset = labels.config = ""  # the columns name the data
        elif labels.topic and not _DATA_PAGE.search(context.as_named or name):
            # "Costs and Efficiency" on a model's page: a topic, on no data the page names
            labels.dataset, unnamed = "", labels.topic
        corner = _corner_measure(guessed.model)  # "Acc. (%)" over the model names
        if corner:
            labels.metric = corner
        defined = (labels.defined_measures | _lone_measure(guessed.metrics, labels.defined_measures)
                   | _precision_recall_f1(guessed.metrics) | _printed_apart(table, guessed.metrics)
                   | _measures_in_text(guessed.metrics, labels.running))
        if labels.measures_heading:  # "Answer Quality Metrics": every column is a measure
            defined |= {split_from_name(_UNIT.sub("", h).strip() or h)[1] for h in guessed.metrics}
        found.append((table, ColumnMapping(qualifiers=_qualifiers(guessed.metrics),
            model=guessed.model, metrics=guessed.metrics, dataset_column=guessed.dataset_column,
            dataset=dataset or labels.dataset, task_type=task_type, split=labels.split,
            dataset_config=labels.config, metric=labels.metric, tab=labels.tab,
            page_metric=labels.page_metric, measure=labels.measure,
            defined_measures=defined, named_sets=labels.named_sets,
            factored=_factored(guessed.metrics) or _shared_measure(guessed.metrics),
            page_text=labels.running,
            scored_parts=_scored_parts(guessed.metrics),
            conditions=bool(corner or labels.cells_measure)
            or _corner_names_conditions(guessed.model),
            data_unnamed=unnamed,
            rows_are=_rows_are(context.heading))))
        previous = table
    known = {column: mapping.metric for _, mapping in found if mapping.metric
             for column in mapping.metrics if not _names_metric(column)}
    for _, mapping in found:
        if not mapping.metric:
            mapping.column_metrics = known
    return found


# A column of the difference between two others ("Accuracy (%) / Delta", "Δ"): derived from the
# printed results, no result of its own.
_DERIVED = re.compile(r"(?i)(?:^|\s/\s)(?:delta|Δ|diff(?:erence)?)$")


# A heading saying what each row of its table is ("All Results of Prompts", "Attack Results
# View by Datasets"): where that is a kind of thing no model is, the rows are averages over the
# models, not any model's result.
_ROWS_ARE = re.compile(r"(?i)\b(?:results?\s+of|(?:view(?:ed)?|grouped)\s+by)\s+(?:the\s+)?"
                       r"(?:all\s+)?(?P<what>prompts|datasets|tasks|attacks|languages|domains|categories)\s*$")


def _rows_are(heading: str) -> str:
    """What a heading says each row of its table is, where that is no model, else "".

    >>> _rows_are("All Results of Prompts"), _rows_are("Attack Results View by Models")
    ('Prompts', '')
    """
    found = _ROWS_ARE.search(heading)
    return found.group("what") if found else ""


# A row label naming the data and, in parentheses, the measure: "femnist\ncross-device
# (Accuracy ↑)", "breast_horizontal\n(AUC ↑)".
_SCORED_DATA = re.compile(r"(?s)^(?P<data>[^\n()]+?)\s*(?:\n[^()]*?)?\s*\(\s*(?P<measure>[^()]+?)"
                          r"\s*[↑↓]?\s*\)\s*$")
# Column groups ranking what fills them: "1st / algorithm & model", "1st / performance".
_PLACE = re.compile(r"(?i)^\s*(?:\d+(?:st|nd|rd|th)|top[- ]?\d+)\s*$")


def _scored_data(cell: str) -> tuple[str, str] | None:
    """(dataset, measure) a row label names, if it names its measure in parentheses."""
    found = _SCORED_DATA.match(cell)
    if not found or not _names_metric(found["measure"]):
        return None
    return found["data"].strip(), found["measure"].strip()


def _label_column(table: Table) -> int | None:
    """The column whose every cell names its row's data and measure, if one does."""
    for col in range(len(table.headers)):
        if table.rows and all(_scored_data(row[col]) for row in table.rows):
            return col
    return None


def _two_part_name(cell: str) -> str:
    """A name printed on two lines, the system above the model ("FedAvg\nmlp_128"): "FedAvg
    (mlp_128)"."""
    lines = [line.strip() for line in cell.split("\n") if line.strip()]
    return f"{lines[0]} ({' '.join(lines[1:])})" if len(lines) > 1 else " ".join(lines)


def _long_form(table: Table) -> Table | None:
    """A table whose rows name their data and measure ("femnist (Accuracy ↑)") as one row per
    (model, data, measure): the columns then are no datasets. Either they are systems running
    the row's model ("Model | FATE | FedML" → "FedML (logistic_regression)"), or places of a
    ranking ("1st / algorithm & model | 1st / performance"), each a (name, score) pair."""
    label = _label_column(table)
    if label is None:
        return None
    rows: list[list[str]] = []
    places = [h.split(" / ")[0] for h in table.headers if " / " in h]
    ranked = len(places) >= 4 and all(_PLACE.match(p) for p in places)
    try:
        model_col = table.column("Model")
    except ExtractionError:
        model_col = None
    if not ranked and model_col is None:
        return None
    for row in table.rows:
        data, measure = _scored_data(row[label])
        if ranked:
            pairs = [(row[c], row[c + 1]) for c in range(len(row) - 1)
                     if " / " in table.headers[c] and table.headers[c].split(" / ")[0]
                     == table.headers[c + 1].split(" / ")[0]]
            rows += [[_two_part_name(name), data, measure, value] for name, value in pairs]
            continue
        for col, header in enumerate(table.headers):
            if col not in (label, model_col) and _is_number(row[col].split("\n")[0]):
                rows.append([f"{header} ({row[model_col]})", data, measure, row[col]])
    measures = list(dict.fromkeys(measure for _, _, measure, _ in rows))
    wide = [[name, data, *(value if measure == m else "" for m in measures)]
            for name, data, measure, value in rows]
    return Table(headers=["Model", "Dataset", *measures], rows=wide,
                 caption=table.caption, index=table.index) if rows else None


def _name_value_pairs(table: Table) -> list[int] | None:
    """The first columns of the (name, value) pairs a spanning header covers ("Best Baseline"
    over "SAC | 86.65 ± 0.84"): two columns of one header, a name above no number in every row
    and a number (or a missing marker) beside it. None where a column outside the pairs and
    the first holds text: then the layout is not that one."""
    pairs, col = [], 1
    while col < len(table.headers):
        if col + 1 < len(table.headers) and table.headers[col] == table.headers[col + 1] and all(
                row[col].strip() and not _is_number(row[col])
                and (_is_number(row[col + 1]) or _missing(row[col + 1])) for row in table.rows):
            pairs.append(col)
            col += 2
            continue
        if not all(_is_number(row[col]) or _missing(row[col]) for row in table.rows):
            return None
        col += 1
    return pairs


def _models_named_in_cells(table: Table, measure: str = "") -> Table | None:
    """A table whose rows are the data ("Domain | Best Baseline | 2nd Best Baseline | ProPS"
    over "Mount. Car (C) | SAC | 86.65 ± 0.84 | PPO | 78.16 ± 5.32 | 87.21 ± 29.28") as one
    row per (model, data): a pair's model is the name in the cell before its value, another
    column's the name its header prints; the data the row's first cell; the measure the one
    the text names (``measure``), else ``score``. None unless the first header names a kind of
    data ("Domain", "Environment", "Task") and one pair at least is there.

    >>> turned = _models_named_in_cells(Table(["Domain", "Best", "Best", "ProPS"], [[
    ...     "Reacher", "PPO", "-7.32 ± 0.38", "-11.32 ± 1.37"]]), "average return")
    >>> turned.headers, turned.rows
    (['Model', 'Dataset', 'average return'], [['PPO', 'Reacher', '-7.32 ± 0.38'], ['ProPS', \
'Reacher', '-11.32 ± 1.37']])
    """
    if len(table.headers) < 3 or not table.rows or not _DIMENSION.match(table.headers[0]):
        return None
    if any(not row[0].strip() or _is_number(row[0]) for row in table.rows):
        return None
    pairs = _name_value_pairs(table)
    if not pairs:
        return None
    paired = {c for col in pairs for c in (col, col + 1)}
    rows = [[row[col], row[0], row[col + 1]] for row in table.rows for col in pairs] + [
        [header, row[0], row[col]] for row in table.rows
        for col, header in enumerate(table.headers) if col and col not in paired]
    return Table(["Model", "Dataset", measure or "score"], rows, table.caption, table.index)


# A header ending in a parenthesis ("Arc(Level 1)"): the name, then what qualifies it.
_QUALIFIED = re.compile(r"^(?P<name>[^()]*?\S)\s*\((?P<qualifier>[^()]+)\)\s*$")


def _shared_qualifier(metrics: list[str]) -> str:
    """The parenthesis every metric column ends with ("Avg(Level 1)", "Arc(Level 1)", …): a
    condition of the whole table, not a part of each column's name. A unit, a split, a count
    or a measure in it ("(%)", "(dev)", "(5341)", "(F1)") is no condition.

    >>> _shared_qualifier(["Avg(Level 1)", "Arc(Level 1)"]), _shared_qualifier(["EM (dev)",
    ...     "F1 (dev)"]), _shared_qualifier(["A (x)", "B (y)"]), _shared_qualifier(["A (x)"])
    ('Level 1', '', '', '')
    """
    found = {match.group("qualifier").strip() if (match := _QUALIFIED.match(header)) else ""
             for header in metrics}
    if len(metrics) < 2 or len(found) != 1:
        return ""
    shared = found.pop()
    bracketed = f"({shared})"
    if not shared or _UNIT.fullmatch(bracketed) or _SCORED_ON.fullmatch(bracketed) \
            or split_from_name(shared)[0] or _names_metric(shared):
        return ""
    return shared


def _without_qualifier(table: Table, mapping: ColumnMapping,
                       shared: str) -> tuple[Table, ColumnMapping]:
    """The table and mapping with ``shared`` taken off the metric columns' names."""
    renamed = {header: _QUALIFIED.match(header).group("name") for header in mapping.metrics}
    headers = [renamed.get(header, header) for header in table.headers]
    return (Table(headers=headers, rows=table.rows, caption=table.caption, index=table.index),
            replace(mapping, metrics=[renamed[header] for header in mapping.metrics]))


def _same_name(one: str, other: str) -> bool:
    return bool(one) and _clean(one).casefold() == _clean(other).casefold()


# How a page calls itself the home of data rather than of a model.
_DATA_PAGE = re.compile(r"(?i)bench|leader\s*board|challenge|dataset|competition|contest|"
                        r"shared\s+task|corpus")


def _compares_page_model(table: Table, model_column: str, page: str, printed: str = "") -> bool:
    """Whether the table compares the model the page is about (the page's name names one of
    its models: "Code with CodeQwen1.5" over a row "CodeQwen1.5"): a model's page, not a
    dataset's. Its headings ("Model Quality") name no data; the columns do ("MMLU | GSM8K").
    A page that calls itself a benchmark, leaderboard or dataset ("ReferIt3D Benchmarks", with
    the paper's own "ReferIt3D" baseline as a row) is the data's page whatever its rows.

    >>> board = Table(["Model", "MMLU"], [["Yi-34B", "76.3"], ["Qwen1.5-32B", "73.4"]])
    >>> _compares_page_model(board, "Model", "Qwen1.5-32B"), _compares_page_model(
    ...     board, "Model", "Qwen1.5-32B", "Qwen1.5-32B Leaderboard")
    (True, False)
    """
    if not page or _DATA_PAGE.search(printed or page):
        return False
    column = table.column(model_column)
    return any(_mentions_word(page, model) or _variant_of(model, page)
               for row in table.rows if (model := model_name(row[column])[0]))


def _variant_of(model: str, page: str) -> bool:
    """Whether ``model`` is a variant of the page's model ("Qwen1.5-110B-Chat" of
    "Qwen1.5-110B"): the page's name, then a hyphen and a suffix.

    >>> _variant_of("Qwen1.5-110B-Chat", "Qwen1.5-110B"), _variant_of("Qwen1.5-72B", "Qwen1.5")
    (True, False)
    """
    return len(page) >= 4 and model.casefold().startswith(page.casefold() + "-") \
        and re.fullmatch(r"[A-Za-z][\w.]*", model[len(page) + 1:]) is not None


def _mentions_word(text: str, name: str) -> bool:
    """Whether ``text`` holds ``name`` as a whole word ("CodeQwen1.5" in "Code with
    CodeQwen1.5", not "Qwen" in "CodeQwen1.5")."""
    return bool(name.strip()) and re.search(
        r"(?<![\w.\-])" + re.escape(name.strip()) + r"(?![\w\-]|\.\d)", text, re.I) is not None


# A header over a column of data names, not of models ("Datasets", "Benchmark", "Task").
_DATA_HEADER = re.compile(r"(?i)^\s*(?:datasets?|benchmarks?|tasks?|column 1)?\s*$")


def _models_as_rows(table: Table, page: str) -> Table:
    """A table with the models as its columns and the data as its rows ("| Qwen1.5-110B |
    Qwen1.5-72B" over "MMLU | 80.4 | 77.5"), turned so the models are rows. It is told by the
    page's model heading a column, the first header naming no model (blank, "Datasets"), and
    the first column holding names, no numbers.

    >>> turned = _models_as_rows(Table(["", "X-1", "Y-2"], [["MMLU", "80.4", "77.5"],
    ...                                                     ["GPQA", "35.9", "36.3"]]), "X-1")
    >>> turned.headers, turned.rows
    (['Model', 'MMLU', 'GPQA'], [['X-1', '80.4', '35.9'], ['Y-2', '77.5', '36.3']])
    """
    if len(table.headers) < 3 or not _DATA_HEADER.match(table.headers[0]) or not any(
            _mentions_word(page, header) for header in table.headers[1:]):
        return table
    if not table.rows or any(_is_number(row[0]) or not row[0].strip() for row in table.rows):
        return table
    rows = [[header] + [row[col] for row in table.rows]
            for col, header in enumerate(table.headers) if col]
    return Table(["Model"] + [row[0] for row in table.rows], rows, table.caption, table.index)


# A model named by its size ("Qwen2.5-VL-7B", "InternVL-3.5-8B", "Llama 3 70B"), no data's name.
_SIZED_MODEL = re.compile(r"(?i)[-_ ]\d+(?:\.\d+)?[bm]$")


def _models_over_columns(table: Table) -> Table | None:
    """A table whose column groups are the models a row's method runs on ("Method" beside
    "Qwen2.5-VL-7B" over "COCO | Objects365" and "InternVL-3.5-8B" over the same), as one row
    per method and model ("Greedy decoding (Qwen2.5-VL-7B)"), the data its columns; a note
    after the method ("ACS-Free (training-free)") gives way to the model. None unless two or
    more groups, each a model named by its size, hold the same sub-columns beside one name column.

    >>> turned = _models_over_columns(Table(["Method", "Q-7B / COCO", "Q-7B / O365",
    ...     "I-8B / COCO", "I-8B / O365"], [["Greedy", "61.4", "43.0", "49.1", "21.9"]]))
    >>> turned.headers, turned.rows
    (['Method', 'COCO', 'O365'], [['Greedy (Q-7B)', '61.4', '43.0'], ['Greedy (I-8B)', '49.1', \
'21.9']])
    """
    groups: dict[str, list[tuple[int, str]]] = {}
    for col, header in enumerate(table.headers):
        group, joined, last = header.rpartition(" / ")
        if joined:
            groups.setdefault(group, []).append((col, last))
    names = [col for col, header in enumerate(table.headers) if " / " not in header]
    subs = [[last for _, last in cols] for cols in groups.values()]
    if len(groups) < 2 or len(names) != 1 or any(sub != subs[0] for sub in subs) or not all(
            _SIZED_MODEL.search(group) for group in groups):
        return None
    rows = [[f"{_TRAILING_PAREN.sub('', row[names[0]]).strip() or row[names[0]]} ({group})",
             *(row[col] for col, _ in cols)]
            for row in table.rows for group, cols in groups.items()]
    return Table([table.headers[names[0]], *subs[0]], rows, table.caption, table.index)


# Columns of a table describing the data: how many examples each split holds.
_SPLIT_COUNT = re.compile(r"(?i)^\s*(#\s*)?(total|train(ing)?|val(idation)?|dev|test(ing)?)"
                          r"(\s+(set|split|size))?\s*$")
_COUNT = re.compile(r"^\s*\d{1,3}(,\d{3})*\s*$|^\s*\d+\s*$")


def _counts_examples(table: Table, metrics: list[str]) -> bool:
    """Whether a table's numbers are the sizes of the data's splits ("Sub-tasks | Total |
    Train | Val | Test" over "57,672 | 34,603 | …"): statistics of the dataset, no results.
    Only split names (and a total, or train) head its numeric columns, and every value is a
    whole count.

    >>> stats = Table(["Sub-tasks", "Total", "Train", "Test"],
    ...               [["MC", "57,672", "34,603", "11,535"]])
    >>> _counts_examples(stats, ["Total", "Train", "Test"])
    True
    >>> board = Table(["Model", "Dev", "Test"], [["bert", "81", "80"]])
    >>> _counts_examples(board, ["Dev", "Test"])
    False
    """
    if not metrics or not all(_SPLIT_COUNT.match(h) for h in metrics):
        return False
    if not any(re.match(r"(?i)^\s*(#\s*)?(total|train)", h) for h in metrics):
        return False
    columns = [table.column(h) for h in metrics]
    cells = [row[c] for row in table.rows for c in columns if row[c].strip()]
    return bool(cells) and all(_COUNT.match(cell) for cell in cells)


def _subset_like(header: str, defined: frozenset[str]) -> bool:
    """Whether a one-level column header names neither a metric nor the whole data ("FQA",
    "Grammar"): a subset of the data, or a measure the registry does not know."""
    name = _UNIT.sub("", header).strip() or header
    if " / " in name:
        return False
    metric = split_from_name(name)[1]
    return bool(metric) and not _OVERALL.match(metric) and not _names_metric(metric) \
        and metric not in defined


def _factored(headers: list[str]) -> dict[str, tuple[str, str]]:
    """Headers that are every pairing of a few subsets with a few measures ("Unseen Success |
    Seen Success | Unseen PLW | Seen PLW"): {header: (subset, measure)}. The measure is the
    last word, on the side where one of them names a metric; a side of split words ("Dev EM",
    "Test F1") is a split, not a subset, and is left to the split rules.

    >>> _factored(["Unseen Success", "Seen Success", "Unseen PLW", "Seen PLW"])["Seen PLW"]
    ('Seen', 'PLW')
    >>> _factored(["Dev EM", "Dev F1", "Test EM", "Test F1"]), _factored(["FQA", "GPS"])
    ({}, {})
    """
    pairs = {}
    for header in headers:
        words = header.split()
        if len(words) < 2 or "/" in header or "(" in header:
            return {}
        pairs[header] = (" ".join(words[:-1]), words[-1])
    subsets = {subset for subset, _ in pairs.values()}
    measures = {measure for _, measure in pairs.values()}
    if len(subsets) < 2 or len(measures) < 2 or len(pairs) != len(subsets) * len(measures):
        return {}
    if any(split_from_name(subset)[0] or _names_metric(subset) for subset in subsets) \
            or not any(_names_metric(measure) for measure in measures):
        return {}
    return pairs


def _shared_measure(headers: list[str]) -> dict[str, tuple[str, str]]:
    """Headers printing a part of the data before one measure of several words that all of
    them share ("Transport Avg Success Rate | Lift Avg Success Rate"): {header: (part,
    measure)}; {} where they share none.

    >>> _shared_measure(["Transport Avg Success Rate", "Lift Avg Success Rate", "Overall"])[
    ...     "Lift Avg Success Rate"]
    ('Lift', 'Avg Success Rate')
    >>> _shared_measure(["Dev Success Rate", "Test Success Rate"]), _shared_measure(["EM", "F1"])
    ({}, {})
    """
    pairs: dict[str, tuple[str, str]] = {}
    for header in headers:
        words = header.split()
        if len(words) >= 3 and "/" not in header and "(" not in header:  # noqa: PLR2004
            pairs[header] = (words[0], " ".join(words[1:]))
    measures = {measure for _, measure in pairs.values()}
    if len(pairs) < 2 or len(measures) != 1 or not _names_metric(measures.pop()) or any(  # noqa: PLR2004
            split_from_name(part)[0] or _names_metric(part) for part, _ in pairs.values()):
        return {}
    return pairs


def _scored_parts(headers: list[str]) -> bool:
    """Whether a table's column groups are the parts of what is scored, not parts of the
    data: one group is itself a score ("HoVer Score / Acc" beside "Fact Extraction / EM",
    "Fact Extraction / F1"), and every sub-header names a measure.

    >>> _scored_parts(["Fact Extraction / EM", "Fact Extraction / F1", "HoVer Score / Acc"])
    True
    >>> _scored_parts(["Test / EM", "Test / F1", "Challenge / EM"]), _scored_parts(["Avg / EM"])
    (False, False)
    """
    pairs = [header.rsplit(" / ", 1) for header in headers if " / " in header]
    groups = {group for group, _ in pairs if not _OVERALL.match(group)}
    return len(groups) >= 2 and len(pairs) == len(headers) and all(
        _names_metric(last) for _, last in pairs) and any(
        _names_metric(group) and not split_from_name(group)[0] for group in groups)


def _lone_measure(headers: list[str], defined: frozenset[str]) -> frozenset[str]:
    """A single column naming no metric among columns that all name one ("Grammar" beside
    "BLEU" and "LCR (%)"): a measure the registry does not know, not a subset of the data —
    subsets come in sets (FQA, GPS, …) or beside an overall column.

    >>> sorted(_lone_measure(["BLEU", "Grammar", "LCR (%)"], frozenset({"LCR"})))
    ['Grammar']
    >>> _lone_measure(["ALL", "FQA"], frozenset()), _lone_measure(["FQA", "GPS"], frozenset())
    (frozenset(), frozenset())
    """
    lone = [h for h in headers if _subset_like(h, defined)]
    if len(lone) != 1 or len(headers) < 2:
        return frozenset()
    others = [_UNIT.sub("", h).strip() or h for h in headers if h != lone[0]]
    if any(" / " in h or _measure_in_parentheses(h) or _OVERALL.match(split_from_name(h)[1])
           for h in others):
        return frozenset()
    return frozenset({split_from_name(_UNIT.sub("", lone[0]).strip() or lone[0])[1]})


_F1_OF = re.compile(r"^F1\s*\^?\s*(?P<of>[A-Za-z]{1,4})$|^(?P<before>[A-Za-z]{1,4})[-_ ]?F1$")


def _measures_in_text(headers: list[str], text: str) -> frozenset[str]:
    """Headers of one plain word the page's text prints, in lower case, as the start of a
    measure ("Pass | Partial" where the text says "pass rates" and "mean partial score"):
    measures, not subsets of the data (a condition "Solo" of "Solo-score quintile" is none).

    >>> sorted(_measures_in_text(["Pass", "Partial", "Solo"], "pass rates; the partial "
    ...                          "score; the Solo-score quintile"))
    ['Partial', 'Pass']
    """
    return frozenset(header for header in headers if re.fullmatch(r"[A-Z][a-z]+", header)
                     and re.search(r"(?<![\w\-])" + header.lower() + r"\s+(?:scores?|rates?)\b",
                                   text))


def _printed_apart(table: Table, headers: list[str]) -> frozenset[str]:
    """Subset-like columns printed as plain numbers where the others all print percentages
    ("CAI" 0.2552 beside "L1" 91.18%, "S1" 81.06%, …): another measure, not a subset scored
    like its neighbours; frozenset() where fewer than two columns print percentages.

    >>> table = Table(["Model", "Overall", "CAI", "L1"], [["m", "77.97%", "0.2552", "91.18%"]])
    >>> sorted(_printed_apart(table, ["Overall", "CAI", "L1"]))
    ['CAI']
    """
    def cells(header: str) -> list[str]:
        col = table.column(header)
        return [row[col].strip() for row in table.rows if col < len(row) and _is_number(row[col])]

    printed = {header: cells(header) for header in headers}
    percent = [h for h, got in printed.items() if got and all(c.endswith("%") for c in got)]
    plain = [h for h, got in printed.items() if got and not any(c.endswith("%") for c in got)]
    if (len(percent) < 2 or len(percent) + len(plain) != len(headers)
            or len(plain) > len(percent) // 2):
        return frozenset()
    return frozenset(h for h in plain if _subset_like(h, frozenset()))


def _precision_recall_f1(headers: list[str]) -> frozenset[str]:
    """Abbreviations that are the recall, precision and F1 of one thing ("AR | AP | F1^A",
    "ER | EP | F1^E": answer and evidence recall, precision, F1): measures, not subsets of
    the data, though the registry knows none of them.

    >>> sorted(_precision_recall_f1(["AR", "AP", "F1^A", "ER", "EP", "F1^E", "Avg"]))
    ['AP', 'AR', 'EP', 'ER', 'F1^A', 'F1^E']
    >>> _precision_recall_f1(["FQA", "GPS", "F1"])
    frozenset()
    """
    names = {h.strip() for h in headers}
    found: set[str] = set()
    for name in names:
        if (match := _F1_OF.match(name)) and (of := match["of"] or match["before"]):
            trio = {name, f"{of}R", f"{of}P"}
            if trio <= names:
                found |= trio
    return frozenset(found)


def _qualifiers(headers: list[str]) -> frozenset[str]:
    """Sub-headers that repeat under two or more groups and name no metric ("CoT-E" and "w/o"
    under each of "ALL", "Text Lite", …): each is a way of scoring the group, not a subset.

    >>> sorted(_qualifiers(["ALL / CoT-E", "ALL / w/o", "Text / CoT-E", "Text / w/o", "Avg"]))
    ['CoT-E', 'w/o']
    """
    groups: dict[str, set[str]] = {}
    for header in headers:
        if " / " in header:
            group, last = header.rsplit(" / ", 1)
            groups.setdefault(last, set()).add(group)
    return frozenset(last for last, under in groups.items()
                     if len(under) >= 2 and not _names_metric(last))


def _properties(table: Table, model_header: str, source_url: str) -> list[ModelMetadata]:
    """Parameter counts and sizes printed next to the results: the models' metadata."""
    columns = [c for c, h in enumerate(table.headers) if is_property(h)]
    if not columns:
        return []
    model_col = table.column(model_header)
    found = []
    for row in table.rows:
        model = first_line(row[model_col])
        values = {}
        for col in columns:
            try:
                parsed = read_printed(row[col])
            except ValueError:
                continue
            if parsed is not None:
                values[table.headers[col]] = parsed.value
        if model and values:
            params = next((v for k, v in values.items() if re.search("param", k, re.I)), None)
            found.append(ModelMetadata(model_name=model, source_url=source_url,
                                       parameters=int(params) if params is not None else None,
                                       extra={"properties": values}))
    return found


def _borrow_headers(table: Table, previous: Table) -> Table:
    width = len(table.headers)
    if width == len(previous.headers):
        headers = list(previous.headers)
    elif width == len(previous.headers) - 1 and _RANK_HEADER.match(previous.headers[0]):
        headers = list(previous.headers[1:])
    else:
        return table
    return Table(headers=headers, rows=table.rows, caption=table.caption, index=table.index)


# -- the generic leaderboard collector -------------------------------------------------------
def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


class LeaderboardScraper(BenchmarkScraper):
    """Results from any leaderboard page (a URL, or a saved ``.html`` file), static or rendered.

    Example:
        >>> with LeaderboardScraper(rate_per_host=1) as scraper:            # doctest: +SKIP
        ...     table, mapping, extracted = scraper.scrape("https://example.org/board")
        ...     print(mapping.describe()); extracted.results[0].score
    """

    def __init__(self, fetcher: Fetcher | None = None, *, browser: Any = None,
                 **fetch_options: Any) -> None:
        super().__init__(fetcher, **fetch_options)
        self._owns_browser = browser is None
        self.browser = browser

    def load(self, source: str, *, render: bool = False,
             wait_for: str | None = "table td") -> tuple[str, str]:
        """The page's HTML and its provenance URL (``file://`` for a saved page)."""
        if not _is_url(source):
            path = Path(source)
            if not path.is_file():
                raise FetchError(f"{source} is neither an http(s) URL nor a file",
                                 hint="give a URL such as https://... or a saved .html file")
            return decode_body(path.read_bytes()), path.resolve().as_uri()
        if not render:
            page = self.fetcher.get(source)
            return page.text, page.url
        self.fetcher.check_allowed(source)  # a browser is no excuse to ignore robots.txt
        if self.browser is None:
            from .browser import Browser

            self.browser = Browser(timeout=self.fetcher.policy.timeout)
        return self.browser.render(source, wait_for=wait_for,
                                   check_url=self.fetcher.check_allowed), source

    def tables(self, source: str, *, render: bool = False) -> tuple[list[Table], str]:
        """All tables of a page and its provenance URL."""
        html, url = self.load(source, render=render)
        return extract_tables(html), url

    def scrape(self, source: str, *, mapping: ColumnMapping | None = None,
               table: int | None = None, dataset: str = "", task_type: str = "",
               render: bool = False) -> tuple[Table, ColumnMapping, Extracted]:
        """Fetch, choose the results table (or ``table``), map columns (or guess), extract."""
        tables, url = self.tables(source, render=render)
        chosen = pick_table(tables, table, where=url)
        mapping = mapping or guess_mapping(chosen, dataset=dataset, task_type=task_type)
        method = "rendered-html-table" if render else "html-table"
        return chosen, mapping, table_to_results(chosen, mapping, source="web", source_url=url,
                                                 extraction_method=method)

    def collect_page(self, source: str, *, dataset: str = "", task_type: str = "",
                     render: bool = False) -> Outcome:
        """Records of every results table of a page (see :func:`page_outcome`)."""
        html, url = self.load(source, render=render)
        return page_outcome(html, source_url=url, dataset=dataset, task_type=task_type,
                            extraction_method="rendered-html-table" if render else "html-table")

    def close(self) -> None:
        if self.browser is not None and self._owns_browser:
            self.browser.close()
            self.browser = None
        super().close()


def pick_table(tables: list[Table], index: int | None, where: str = "the page") -> Table:
    """Table number ``index`` (its position on the page), or the likely results table."""
    if index is None:
        return choose_results_table(tables, where)
    for table in tables:
        if table.index == index:
            return table
    raise ExtractionError(f"{where} has no table number {index}",
                          hint=f"tables found: {', '.join(str(t.index) for t in tables) or 'none'}")
