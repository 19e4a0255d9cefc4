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
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ExtractionError, FetchError
from ..metrics import canonical_name
from ..numbers import parse_number
from ..records import BenchmarkResult, utcnow
from .http import BenchmarkScraper, Fetcher, decode_body

log = logging.getLogger(__name__)

__all__ = ["Table", "ColumnMapping", "Extracted", "extract_tables", "extract_cells",
           "choose_results_table", "pick_table", "guess_mapping", "LeaderboardScraper",
           "table_to_results", "numeric_columns", "slugify"]

_MODEL_HEADER = re.compile(
    r"\b(model|models|method|methods|name|system|submission|architecture|network|approach|agent)\b",
    re.I)
_DATASET_HEADER = re.compile(r"\b(dataset|benchmark|task|corpus)\b", re.I)
# Numeric columns that describe the row rather than measure it.
_NOT_A_METRIC = re.compile(
    r"^\s*(#|no\.?|rank(ing)?|position|pos\.?|year|date|released?|params?|parameters|"
    r"#\s*params?|model size|size|flops|gflops|link|code|paper|id|votes?)(?![a-z])", re.I)


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
def _parser(html: str | bytes) -> Any:
    from selectolax.lexbor import LexborHTMLParser

    if isinstance(html, bytes):
        html = decode_body(html)
    return LexborHTMLParser(html)


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
    for tr in rows:
        cells = [c for c in tr.iter() if c.tag in ("td", "th")]
        out: list[str] = []
        col = 0
        for cell in cells:
            col = _take_pending(pending, out, col)
            text = _clean(cell.text(deep=True, separator=" ", strip=True))
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
    n = 0
    while n < len(grid) - 1 and all_th[n]:
        n += 1
    if n:
        return n
    if len(grid) >= 2 and not any(_is_number(c) for c in grid[0] if c) and any(
            _is_number(c) for c in grid[1]):
        return 1
    return 0


def _join_headers(header_rows: list[list[str]], width: int) -> list[str]:
    headers = []
    for col in range(width):
        parts: list[str] = []
        for row in header_rows:
            text = row[col] if col < len(row) else ""
            if text and text not in parts:
                parts.append(text)
        headers.append(" / ".join(parts) or f"column {col + 1}")
    return headers


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
        width = max(len(r) for r in grid)
        headers = _join_headers(grid[:n_header], width)
        body = []
        for row in grid[n_header:]:
            row = row + [""] * (width - len(row))
            if any(row) and row != headers:
                body.append(row)
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

    def describe(self) -> str:
        """One line for the user to check before storing."""
        where = f"column {self.dataset_column!r}" if self.dataset_column else repr(self.dataset)
        return (f"model = column {self.model!r}; metrics = {', '.join(map(repr, self.metrics))}; "
                f"dataset = {where}" + (f"; task = {self.task_type!r}" if self.task_type else ""))


def guess_mapping(table: Table, *, dataset: str = "", task_type: str = "") -> ColumnMapping:
    """A sensible guess: the model column by its header (else the first text column), every
    numeric column that is not a rank/date/size a metric, a "dataset" column if there is one."""
    numeric = set(numeric_columns(table))
    text_cols = [c for c in range(len(table.headers)) if c not in numeric]
    if not text_cols or not numeric:
        raise ExtractionError(f"table {table.index} has no text column or no numeric column",
                              hint="choose another table or name the columns")
    named = [c for c in text_cols if _MODEL_HEADER.search(table.headers[c])]
    model = named[0] if named else text_cols[0]
    dataset_cols = [c for c in text_cols if c != model and _DATASET_HEADER.search(table.headers[c])]
    metrics = [table.headers[c] for c in sorted(numeric)
               if not _NOT_A_METRIC.match(table.headers[c])]
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
    for number, row in enumerate(table.rows):
        model = row[model_col]
        if not model:
            continue
        context = {table.headers[c]: row[c] for c in range(len(row))
                   if c != model_col and c not in {i for _, i in metric_cols} and row[c]}
        for name, col in metric_cols:
            try:
                parsed = parse_number(row[col])
            except ValueError:
                out.skipped.append(f"row {number + 1} {name!r}: {row[col]!r}")
                continue
            if parsed is None:
                continue
            extra: dict[str, Any] = {"row": number + 1, "table": table.index,
                                     "metric_name": name, **parsed.provenance()}
            if context:
                extra["columns"] = context
            out.results.append(BenchmarkResult(
                model_name=model, task_type=mapping.task_type,
                dataset=row[dataset_col] if dataset_col is not None else mapping.dataset,
                metric=canonical_name(name), score=parsed.value, source=source,
                source_url=source_url,
                collected_at=when, extraction_method=extraction_method, extra=extra))
    return out


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
