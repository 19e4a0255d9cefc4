"""Papers with Code: the archive dump, the relaunched read-only API, saved leaderboard pages.

paperswithcode.com closed in July 2025. Its data lives on as

* the archive dump ``evaluation-tables.json[.gz]``: tasks -> datasets (nested ``subtasks`` and
  ``subdatasets``) -> ``sota.rows`` (``model_name``, ``paper_title``, ``paper_url``,
  ``paper_date``, ``code_links``, ``metrics: {name: "88.5" | "71.2%"}``). It is large, so it is
  *streamed* (ijson events; one row in memory at a time);
* a read-only API at a base URL you give (``/api/v1/datasets/?q=``,
  ``/api/v1/datasets/{id}/evaluations/``, paged ``{count, next, results}``);
* saved leaderboard pages (``script#evaluation-table-data`` JSON, else the HTML table).

Example:
    >>> rows = list(iter_dump_rows("evaluation-tables.json.gz"))          # doctest: +SKIP
    >>> records = list(dump_records("evaluation-tables.json.gz"))        # doctest: +SKIP
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin

from ..errors import ExtractionError, FetchError
from ..metrics import canonical_name
from ..numbers import parse_number
from ..records import BenchmarkResult, utcnow
from .http import BenchmarkScraper, Fetcher, decode_body
from .tables import (
    ColumnMapping,
    choose_results_table,
    extract_tables,
    guess_mapping,
    slugify,
    table_to_results,
)

__all__ = ["PapersWithCodeScraper", "PaperWithCodeScraper", "DumpRow", "iter_dump_rows",
           "dump_records", "check_dump", "row_records", "parse_leaderboard_page"]

_TITLE = re.compile(r"^\s*(?P<dataset>.+?) Benchmark \((?P<task>.+)\)\s*(\|.*)?$")


@dataclass
class DumpRow:
    """One ``sota.rows`` entry of the dump with where it sits (innermost task/dataset last)."""

    tasks: tuple[str, ...]
    datasets: tuple[str, ...]
    row: dict[str, Any]

    @property
    def task(self) -> str:
        return self.tasks[-1] if self.tasks else ""

    @property
    def dataset(self) -> str:
        return self.datasets[-1] if self.datasets else ""


def _open(path: str | Path) -> IO[bytes]:
    path = Path(path)
    if not path.is_file():
        raise ExtractionError(f"dump file {path} does not exist",
                              hint="pass the path of evaluation-tables.json or .json.gz")
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else path.open("rb")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _first_byte(handle: IO[bytes]) -> bytes:
    """The first non-blank byte of the file (then rewinds)."""
    head = handle.read(4096).lstrip()
    handle.seek(0)
    return head[:1]


def _walk(task: dict[str, Any], tasks: tuple[str, ...]) -> Iterator[DumpRow]:
    """Rows of one task, its datasets (and their subdatasets) and its subtasks, depth first.

    An explicit stack, not recursion: a dump may nest subtasks thousands deep.
    """
    pending = [(tasks, task)]
    while pending:
        parents, current = pending.pop()
        names = (*parents, str(current.get("task") or "(unnamed)").strip())
        yield from _task_rows(current, names)
        pending.extend((names, sub) for sub in reversed(current.get("subtasks") or [])
                       if isinstance(sub, dict))


def _task_rows(task: dict[str, Any], tasks: tuple[str, ...]) -> Iterator[DumpRow]:
    """Rows of one task's own datasets and subdatasets (not of its subtasks)."""
    stack = [((), d) for d in reversed(task.get("datasets") or []) if isinstance(d, dict)]
    while stack:
        parents, dataset = stack.pop()
        names = (*parents, str(dataset.get("dataset") or "(unnamed)").strip())
        sota = dataset.get("sota")
        rows = sota.get("rows") if isinstance(sota, dict) else None
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict):
                yield DumpRow(tasks=tasks, datasets=names, row=row)
        stack.extend((names, d) for d in reversed(dataset.get("subdatasets") or [])
                     if isinstance(d, dict))


def iter_dump_rows(path: str | Path) -> Iterator[DumpRow]:
    """Stream the rows of an ``evaluation-tables.json[.gz]`` dump, nested subtasks and
    subdatasets included.

    The file is read one top-level task at a time (ijson's C parser builds it), so memory
    is bounded by the largest task, not by the file.

    Raises:
        ExtractionError: the file is not valid JSON (truncated, corrupted) or not a dump.
    """
    import ijson

    rows_seen = 0
    with _open(path) as handle:
        if _first_byte(handle) not in (b"[", b""):
            raise ExtractionError(f"{path} is not a Papers with Code dump (a JSON array of "
                                  "tasks was expected)",
                                  hint="use evaluation-tables.json from the archive")
        try:
            for task in ijson.items(handle, "item", use_float=True):
                if not isinstance(task, dict):
                    raise ExtractionError(f"{path}: a task is {type(task).__name__}, not an "
                                          "object", hint="is this evaluation-tables.json?")
                for row in _walk(task, ()):
                    rows_seen += 1
                    yield row
        except ijson.JSONError as exc:
            raise ExtractionError(
                f"{path} is not valid JSON after {rows_seen} rows ({_first_line(exc)})",
                hint="the file may be truncated or corrupted; download the dump again") from exc


def check_dump(path: str | Path) -> None:
    """Read the whole dump once, fast and keeping nothing: raises :class:`ExtractionError`
    when it is not valid JSON. Used before importing, so a truncated file stores nothing
    instead of half."""
    import ijson

    with _open(path) as handle:
        if _first_byte(handle) not in (b"[", b""):
            raise ExtractionError(f"{path} is not a Papers with Code dump (a JSON array of "
                                  "tasks was expected)",
                                  hint="use evaluation-tables.json from the archive")
        try:
            deque(ijson.basic_parse(handle), maxlen=0)
        except ijson.JSONError as exc:
            raise ExtractionError(f"{path} is not valid JSON ({_first_line(exc)})",
                                  hint="the file may be truncated or corrupted; "
                                       "download the dump again") from exc


def row_records(row: dict[str, Any], *, task: str, dataset: str, source_url: str,
                collected_at: datetime, extraction_method: str,
                context: dict[str, Any] | None = None) -> tuple[list[BenchmarkResult], int]:
    """One :class:`BenchmarkResult` per metric of a leaderboard row; returns (records,
    number of metric values that were not numbers)."""
    model = str(row.get("model_name") or row.get("method") or "").strip()
    metrics = row.get("metrics") or {}
    if not model or not isinstance(metrics, dict):
        return [], len(metrics) if isinstance(metrics, dict) else 1
    base: dict[str, Any] = {"task": task}
    for key in ("paper_title", "paper_url", "paper_date", "paper_arxiv_id",
                "uses_additional_data", "evaluation_date"):
        if row.get(key) not in (None, ""):
            base[key] = row[key]
    links = [link.get("url") for link in row.get("code_links") or [] if isinstance(link, dict)]
    if links:
        base["code_links"] = links
    if context:
        base.update(context)
    records, bad = [], 0
    task_type = slugify(task)
    for name, raw in metrics.items():
        try:
            parsed = parse_number(raw)
        except ValueError:
            bad += 1
            continue
        if parsed is None:
            continue
        extra = dict(base, metric_name=str(name), **parsed.provenance())
        records.append(BenchmarkResult(
            model_name=model, task_type=task_type, dataset=dataset, metric=canonical_name(name),
            score=parsed.value, timestamp=collected_at, source="paperswithcode",
            source_url=str(row.get("paper_url") or source_url), collected_at=collected_at,
            extraction_method=extraction_method, extra=extra))
    return records, bad


def dump_records(path: str | Path, *, collected_at: datetime | None = None,
                 stats: dict[str, int] | None = None) -> Iterator[BenchmarkResult]:
    """Stream records from a dump (``source="paperswithcode"``, method ``pwc-dump``).

    ``stats`` (if given) is filled with ``rows``, ``results`` and ``unparsed`` counts.
    """
    when = collected_at or utcnow()
    uri = Path(path).resolve().as_uri()
    counts = stats if stats is not None else {}
    counts.update(rows=0, results=0, unparsed=0)
    for item in iter_dump_rows(path):
        context: dict[str, Any] = {}
        if len(item.tasks) > 1:
            context["parent_tasks"] = list(item.tasks[:-1])
        if len(item.datasets) > 1:
            context["parent_datasets"] = list(item.datasets[:-1])
        records, bad = row_records(item.row, task=item.task, dataset=item.dataset,
                                   source_url=uri, collected_at=when,
                                   extraction_method="pwc-dump", context=context)
        counts["rows"] += 1
        counts["results"] += len(records)
        counts["unparsed"] += bad
        yield from records


# -- saved leaderboard pages -----------------------------------------------------------------
def parse_leaderboard_page(html: str | bytes, *, source_url: str = "", dataset: str = "",
                           task: str = "", collected_at: datetime | None = None
                           ) -> list[BenchmarkResult]:
    """Results of a saved PwC leaderboard page ("ImageNet Benchmark (Image Classification)").

    Reads the page's ``script#evaluation-table-data`` JSON when present, else its results table.
    """
    from selectolax.lexbor import LexborHTMLParser

    text = decode_body(html) if isinstance(html, bytes) else html
    tree = LexborHTMLParser(text)
    title = tree.css_first("title")
    match = _TITLE.match(title.text(strip=True)) if title is not None else None
    dataset = dataset or (match.group("dataset") if match else "")
    task = task or (match.group("task") if match else "")
    when = collected_at or utcnow()
    script = tree.css_first("script#evaluation-table-data")
    if script is not None:
        try:
            entries = json.loads(script.text(deep=True) or "[]")
        except ValueError as exc:
            raise ExtractionError(f"{source_url or 'page'}: evaluation-table-data is not JSON "
                                  f"({exc})", hint="save the page again") from exc
        records: list[BenchmarkResult] = []
        for entry in entries if isinstance(entries, list) else []:
            paper = entry.get("paper") or {}
            row = {"model_name": entry.get("method"), "metrics": entry.get("metrics") or {},
                   "paper_title": paper.get("title"),
                   "paper_url": urljoin(source_url, paper["url"]) if paper.get("url") else None,
                   "paper_date": paper.get("published"),
                   "uses_additional_data": entry.get("uses_additional_data"),
                   "evaluation_date": entry.get("evaluation_date")}
            found, _ = row_records(row, task=task, dataset=dataset, source_url=source_url,
                                   collected_at=when, extraction_method="pwc-page-json")
            records.extend(found)
        return records
    table = choose_results_table(extract_tables(text), source_url or "the page")
    guessed = guess_mapping(table, dataset=dataset, task_type=slugify(task))
    mapping = ColumnMapping(model=guessed.model, metrics=guessed.metrics, dataset=dataset,
                            task_type=slugify(task))
    return table_to_results(table, mapping, source="paperswithcode", source_url=source_url,
                            collected_at=when, extraction_method="pwc-page-table").results


# -- the API ----------------------------------------------------------------------------------
class PapersWithCodeScraper(BenchmarkScraper):
    """The Papers with Code API at ``base_url`` (or ``$MODELBENCH_PWC_API``), the archive dump
    and saved leaderboard pages.

    Example:
        >>> pwc = PapersWithCodeScraper("http://127.0.0.1:8000")           # doctest: +SKIP
        >>> [d["name"] for d in pwc.search_datasets("imagenet")]           # doctest: +SKIP
        ['ImageNet']
    """

    def __init__(self, base_url: str | None = None, *, fetcher: Fetcher | None = None,
                 max_pages: int = 1000, **fetch_options: Any) -> None:
        super().__init__(fetcher, **fetch_options)
        self.base_url = (base_url or os.environ.get("MODELBENCH_PWC_API") or "").rstrip("/")
        self.max_pages = max_pages

    def _api(self, path: str) -> str:
        if not self.base_url:
            raise FetchError("no Papers with Code API base URL",
                             hint="pass --api URL or set MODELBENCH_PWC_API")
        return f"{self.base_url}/api/v1/{path.lstrip('/')}"

    def _paged(self, url: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a paged list, following ``next`` links (a loop back is an error)."""
        seen: set[str] = set()
        previous: list[Any] | None = None
        for _ in range(self.max_pages):
            key = f"{url} {sorted((params or {}).items())}"
            if key in seen:
                raise FetchError(f"{url}: the API's `next` link points back to a page already "
                                 "read", hint="the API is paging in a loop; report it upstream")
            seen.add(key)
            data = self.fetcher.get_json(url, params=params)
            if not isinstance(data, dict) or not isinstance(data.get("results"), list):
                raise FetchError(f"{url} did not answer a paged list ({{count, next, results}})",
                                 hint="check the API base URL; the API may have changed")
            if data["results"] and data["results"] == previous:  # new URL, same page
                raise FetchError(f"{url} repeats the page before it",
                                 hint="the API is paging in a loop; report it upstream")
            previous = data["results"]
            yield from (item for item in data["results"] if isinstance(item, dict))
            following = data.get("next")
            if not following:
                return
            url, params = urljoin(url, following), None
        raise FetchError(f"{url}: more than {self.max_pages} pages", hint="narrow the query")

    def search_datasets(self, query: str, limit: int | None = None) -> list[dict[str, Any]]:
        """Datasets matching ``query`` (``/api/v1/datasets/?q=``)."""
        found = []
        for item in self._paged(self._api("datasets/"), {"q": query}):
            found.append(item)
            if limit is not None and len(found) >= limit:
                break
        return found

    def dataset_evaluations(self, dataset: dict[str, Any], *,
                            collected_at: datetime | None = None) -> list[BenchmarkResult]:
        """All published results on one dataset (all pages), as records."""
        dataset_id = dataset.get("id")
        name = str(dataset.get("name") or dataset_id)
        url = self._api(f"datasets/{dataset_id}/evaluations/")
        when = collected_at or utcnow()
        records: list[BenchmarkResult] = []
        for item in self._paged(url):
            row = dict(item)
            if row.get("paper_arxiv_id") and not row.get("paper_url"):
                row["paper_url"] = f"https://arxiv.org/abs/{row['paper_arxiv_id']}"
            found, _ = row_records(row, task=str(item.get("task_name") or ""),
                                   dataset=str(item.get("dataset_name") or name),
                                   source_url=url, collected_at=when,
                                   extraction_method="pwc-api",
                                   context={"pwc_dataset_id": dataset_id})
            records.extend(found)
        return records

    def collect(self, query: str, *, limit: int | None = None,
                progress: Callable[[str], None] | None = None
                ) -> Iterator[tuple[dict[str, Any], list[BenchmarkResult]]]:
        """For each dataset matching ``query``: (dataset, its records)."""
        for dataset in self.search_datasets(query, limit=limit):
            records = self.dataset_evaluations(dataset)
            if progress:
                progress(str(dataset.get("name") or dataset.get("id")))
            yield dataset, records

    def import_dump(self, path: str | Path, stats: dict[str, int] | None = None
                    ) -> Iterator[BenchmarkResult]:
        """Records of an archive dump (streamed); see :func:`dump_records`."""
        return dump_records(path, stats=stats)

    def page(self, source: str, *, dataset: str = "", task: str = "") -> list[BenchmarkResult]:
        """Records of a PwC leaderboard page: a saved file or a URL (fetched politely)."""
        if source.startswith(("http://", "https://")):
            page = self.fetcher.get(source)
            return parse_leaderboard_page(page.content, source_url=page.url, dataset=dataset,
                                          task=task)
        path = Path(source)
        if not path.is_file():
            raise FetchError(f"{source} is neither a URL nor a saved page",
                             hint="give https://... or the path of a saved .html file")
        return parse_leaderboard_page(path.read_bytes(), source_url=path.resolve().as_uri(),
                                      dataset=dataset, task=task)


#: The seed's spelling.
PaperWithCodeScraper = PapersWithCodeScraper
