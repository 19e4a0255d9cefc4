"""Papers with Code: the archive dump, the relaunched read-only API, saved leaderboard pages.

paperswithcode.com closed in July 2025. Its data lives on as

* the archive dump ``evaluation-tables.json[.gz]``: tasks -> datasets (nested ``subtasks`` and
  ``subdatasets``) -> ``sota.rows`` (``model_name``, ``paper_title``, ``paper_url``,
  ``paper_date``, ``code_links``, ``metrics: {name: "88.5" | "71.2%"}``). It is large, so it is
  *streamed* (ijson events; one row in memory at a time);
* a read-only API at a base URL you give, in the shape the public ``paperswithcode-client``
  reads: ``/api/v1/datasets/?q=``, ``/datasets/{id}/evaluations/`` (evaluation tables),
  ``/evaluations/{id}/results/`` (rows: ``methodology``, ``metrics``, ``paper``),
  ``/evaluations/{id}/metrics/`` and ``/tasks/{id}/``, paged ``{count, next, results}``;
* saved leaderboard pages (``script#evaluation-table-data`` JSON, else the HTML table).

Example:
    >>> rows = list(iter_dump_rows("evaluation-tables.json.gz"))          # doctest: +SKIP
    >>> records = list(dump_records("evaluation-tables.json.gz"))        # doctest: +SKIP
"""

from __future__ import annotations

import gzip
import html
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
from ..metrics import registered
from ..records import BenchmarkResult, ModelMetadata, utcnow
from .http import BenchmarkScraper, Fetcher, decode_body
from .outcome import (
    SPLIT_WORDS,
    Outcome,
    is_property,
    printed_notes,
    published_result,
    read_printed,
    split_from_name,
)
from .tables import choose_results_table, extract_tables, page_outcome, slugify

__all__ = ["PapersWithCodeScraper", "PaperWithCodeScraper", "DumpRow", "iter_dump_rows",
           "dump_records", "check_dump", "row_records", "parse_leaderboard_page"]

_TITLE = re.compile(r"^\s*(?P<dataset>.+?) Benchmark \((?P<task>.+)\)\s*(\|.*)?$")


@dataclass
class DumpRow:
    """One ``sota.rows`` entry of the dump with where it sits (innermost task/dataset last)."""

    tasks: tuple[str, ...]
    datasets: tuple[str, ...]
    row: dict[str, Any]
    config: str = ""  # a sub-dataset given only as ``subdataset`` ("Restricted", "TREC-6")

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
        # {"subdataset": "Restricted"} names a part of its parent dataset, not a dataset
        config = "" if dataset.get("dataset") else str(dataset.get("subdataset") or "").strip()
        names = parents if config and parents else (
            *parents, str(dataset.get("dataset") or "(unnamed)").strip())
        sota = dataset.get("sota")
        rows = sota.get("rows") if isinstance(sota, dict) else None
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict):
                yield DumpRow(tasks=tasks, datasets=names, row=row, config=config)
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


_LISTED = re.compile(r"^(?P<name>.*?)\s*\((?P<items>[^()]+)\)\s*$")


def _model_name(row: dict[str, Any]) -> str:
    """The row's model; a row without one is named by its paper's title, as a reader would.
    Entities left from the HTML the dump was scraped from are read (``&amp;`` is ``&``)."""
    for key in ("model_name", "method", "methodology"):
        text = " ".join(html.unescape(str(row.get(key) or "")).split())
        if text and not re.fullmatch(r"\(?\d{4}\)?", text):  # " (2009)": a year, no name
            return text
    return " ".join(str(row.get("paper_title") or "").split())


_PAIR_TOKEN = re.compile(r"^[A-Za-z]{2,3}-[A-Za-z]{2,3}$")  # "En-Fr"
_SPLIT_TOKEN = re.compile(r"^(?P<split>test|dev|val|valid|validation|eval)[-_]?(?P<rest>[a-z]*)$",
                          re.I)  # "test", "testclean" (LibriSpeech's test-clean)
_ERROR_RATE = re.compile(r"^[A-Z]{1,2}ER$")  # WER, CER, PER: word/character/phone error rate


def _labels_in_dataset_name(dataset: str, column: str) -> tuple[str, str, str, str] | None:
    """(dataset, config, split, metric) when a dataset's name ends with what a reader takes for
    the metric, split or language pair ("librispeech WER testclean", "news-test-2014 En-Fr
    BLEU", "Stanford Question Answering Dataset EM test") and its column names no metric the
    registry knows ("Score", "Percentage error", "BLEU score"); None when it does not.

    >>> _labels_in_dataset_name("librispeech WER testclean", "Percentage error")
    ('librispeech', 'clean', 'test', 'WER')
    >>> _labels_in_dataset_name("news-test-2014 En-Fr BLEU", "BLEU score")
    ('news-test-2014', 'En-Fr', '', 'BLEU')
    >>> _labels_in_dataset_name("SNLI", "Score"), _labels_in_dataset_name("MNLI EM", "Accuracy")
    (None, None)
    """
    if registered(column) is not None:
        return None
    words = dataset.split()
    config = split = metric = ""
    while len(words) > 1:
        word = words[-1]
        found_split = _SPLIT_TOKEN.match(word)
        # a metric is printed as an acronym ("EM", "BLEU"): a lower-case word ("map", "is")
        # at the end of a dataset's name is more likely part of the name
        if not metric and (registered(word) is not None and not word.islower() or (
                _ERROR_RATE.match(word) and re.search(r"error", column, re.I))):
            metric = word
        elif not split and found_split:
            split = SPLIT_WORDS.get(found_split.group("split").lower(), "")
            config = config or found_split.group("rest")
        elif not config and _PAIR_TOKEN.match(word):
            config = word
        else:
            break
        words.pop()
    if not metric:
        return None
    return " ".join(words), config, split, metric


def _per_config(dataset: str, raw: Any) -> list[tuple[str, str, Any]] | None:
    """``Multi30k-Task1(en-fr fr-en)`` with ``(32.76 32.07)``: one value per listed config."""
    listed = _LISTED.match(dataset)
    values = _LISTED.match(raw) if isinstance(raw, str) else None
    if not listed or not values:
        return None
    configs, numbers = listed.group("items").split(), values.group("items").split()
    if len(configs) != len(numbers) or len(configs) < 2:
        return None
    base = listed.group("name").strip()
    return [(base, config, number) for config, number in zip(configs, numbers, strict=True)]


def row_outcome(row: dict[str, Any], *, task: str, dataset: str, source_url: str,
                collected_at: datetime, extraction_method: str, config: str = "",
                context: dict[str, Any] | None = None) -> Outcome:
    """One :class:`BenchmarkResult` per metric of a leaderboard row, the split a metric name
    carries (``Test perplexity``) as its split; parameter counts and model sizes become the
    model's metadata, not results. Unreadable values are listed with the reason."""
    out = Outcome(source=source_url)
    model = _model_name(row)
    metrics = row.get("metrics") or {}
    if not isinstance(metrics, dict):
        out.unreadable.append(f"{dataset}: a row's metrics are not a mapping")
        return out
    if not model:
        if metrics:
            out.unreadable.append(f"{dataset}: a row with {len(metrics)} metric(s) names "
                                  "neither a model nor a paper")
        return out
    base: dict[str, Any] = {"task": task}
    for key in ("paper_title", "paper_url", "paper_date", "paper_arxiv_id",
                "uses_additional_data", "evaluation_date"):
        if row.get(key) not in (None, ""):
            base[key] = row[key]
    if model == " ".join(str(row.get("paper_title") or "").split()):
        base["model_named_by"] = "paper_title"
    links = [link.get("url") for link in row.get("code_links") or [] if isinstance(link, dict)]
    if links:
        base["code_links"] = links
    if context:
        base.update(context)
    task_type = slugify(task)
    properties: dict[str, Any] = {}
    for name, raw in metrics.items():
        name = str(name)
        if is_property(name):
            try:
                parsed = read_printed(raw)
            except ValueError:
                parsed = None
            if parsed is not None:
                properties[name] = parsed.value
            continue
        split, metric = split_from_name(re.sub(r"\s*[*†‡]+$", "", name))
        metric = metric or "score"  # a column named only by its split ("Dev", "Test")
        named = _labels_in_dataset_name(dataset, name)
        if named is not None and not config:
            named_dataset, config_named, split_named, metric = named
            split = split or split_named
            targets = [(named_dataset, config_named, raw)]
        else:
            targets = _per_config(dataset, raw) or [(dataset, config, raw)]
        for ds, cfg, value in targets:
            try:
                parsed = read_printed(value)
            except ValueError:
                out.unreadable.append(f"{model} on {ds} {name}: {raw!r} is not a number")
                continue
            if parsed is None:
                continue
            extra = dict(base, metric_name=name, **parsed.provenance(), **printed_notes(value))
            if cfg != config or ds != dataset:
                extra["printed_dataset"] = dataset
            out.results.append(published_result(
                model_name=model, task_type=task_type, dataset=ds, dataset_config=cfg,
                dataset_split=split, metric=metric, score=parsed.value,
                printed=str(raw), timestamp=collected_at,
                source="paperswithcode", source_url=str(row.get("paper_url") or source_url),
                collected_at=collected_at, extraction_method=extraction_method, extra=extra))
    if properties:
        params = next((v for k, v in properties.items() if re.search(r"param", k, re.I)), None)
        out.metadata.append(ModelMetadata(
            model_name=model, parameters=int(params) if params is not None else None,
            source="paperswithcode", source_url=str(row.get("paper_url") or source_url),
            extra={"properties": properties, "task": task, "dataset": dataset}))
    return out


def row_records(row: dict[str, Any], *, task: str, dataset: str, source_url: str,
                collected_at: datetime, extraction_method: str,
                context: dict[str, Any] | None = None, config: str = ""
                ) -> tuple[list[BenchmarkResult], int]:
    """(records of a leaderboard row, number of values that were not numbers)."""
    out = row_outcome(row, task=task, dataset=dataset, source_url=source_url,
                      collected_at=collected_at, extraction_method=extraction_method,
                      config=config, context=context)
    return out.results, len(out.unreadable)


def dump_records(path: str | Path, *, collected_at: datetime | None = None,
                 stats: dict[str, int] | None = None,
                 outcome: Outcome | None = None) -> Iterator[BenchmarkResult]:
    """Stream records from a dump (``source="paperswithcode"``, method ``pwc-dump``).

    ``stats`` (if given) is filled with ``rows``, ``results``, ``unparsed`` and ``duplicates``
    counts; ``outcome`` (if given) collects why items were unreadable, the repeated rows
    skipped and the models' properties (parameter counts) as :class:`ModelMetadata`.
    """
    when = collected_at or utcnow()
    uri = Path(path).resolve().as_uri()
    counts = stats if stats is not None else {}
    counts.update(rows=0, results=0, unparsed=0, duplicates=0)
    seen: set[tuple[Any, ...]] = set()
    table: tuple[tuple[str, ...], tuple[str, ...], str] | None = None
    for item in iter_dump_rows(path):
        context: dict[str, Any] = {}
        if len(item.tasks) > 1:
            context["parent_tasks"] = list(item.tasks[:-1])
        if len(item.datasets) > 1:
            context["parent_datasets"] = list(item.datasets[:-1])
        if (item.tasks, item.datasets, item.config) != table:  # repeats are within one table
            table, seen = (item.tasks, item.datasets, item.config), set()
        found = row_outcome(item.row, task=item.task, dataset=item.dataset, source_url=uri,
                            collected_at=when, extraction_method="pwc-dump",
                            config=item.config, context=context)
        counts["rows"] += 1
        counts["unparsed"] += len(found.unreadable)
        fresh = []
        for record in found.results:
            key = (record.model_name, record.dataset, record.dataset_config, record.dataset_split,
                   record.metric, record.score)
            if key in seen:
                counts["duplicates"] += 1
                if outcome is not None:
                    outcome.duplicates.append(f"{record.model_name}: {record.dataset} "
                                              f"{record.metric} = {record.score} repeats a row")
                continue
            seen.add(key)
            fresh.append(record)
        counts["results"] += len(fresh)
        if outcome is not None:
            outcome.unreadable.extend(found.unreadable)
            outcome.metadata.extend(found.metadata)
        yield from fresh


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
    found = page_outcome(text, source_url=source_url, dataset=dataset, task_type=slugify(task),
                         source="paperswithcode", extraction_method="pwc-page-table",
                         collected_at=when)
    if not found.results:
        choose_results_table(extract_tables(text), source_url or "the page")  # says why
    return found.results


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
        self._tasks: dict[str, str] = {}

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
        """All published results on one dataset (all its evaluation tables, all pages)."""
        return self.dataset_outcome(dataset, collected_at=collected_at).results

    def dataset_outcome(self, dataset: dict[str, Any], *,
                        collected_at: datetime | None = None) -> Outcome:
        """Records of one dataset, what was unreadable and the models' properties.

        The API's shape (as the public ``paperswithcode-client`` reads it): the dataset's
        evaluation tables (``/datasets/{id}/evaluations/`` -> ``{id, task, dataset}``), each
        table's rows (``/evaluations/{id}/results/`` -> ``{methodology, metrics, paper,
        evaluated_on, ...}``) and metrics (``/evaluations/{id}/metrics/`` -> ``is_loss``), the
        task's name (``/tasks/{id}/``).
        """
        dataset_id = dataset.get("id")
        name = str(dataset.get("name") or dataset_id)
        when = collected_at or utcnow()
        out = Outcome(source=self._api(f"datasets/{dataset_id}/"))
        for table in self._paged(self._api(f"datasets/{dataset_id}/evaluations/")):
            table_id = table.get("id")
            task = self._task_name(str(table.get("task") or ""))
            results_url = self._api(f"evaluations/{table_id}/results/")
            is_loss = self._losses(str(table_id))
            for item in self._paged(results_url):
                paper = item.get("paper")
                row = {"methodology": item.get("methodology"), "metrics": item.get("metrics"),
                       "paper_url": urljoin(self.base_url + "/", f"paper/{paper}")
                       if paper else None,
                       "uses_additional_data": item.get("uses_additional_data"),
                       "evaluation_date": item.get("evaluated_on")}
                context = {"pwc_dataset_id": dataset_id, "pwc_evaluation_id": table_id}
                for key in ("best_rank", "external_source_url"):
                    if item.get(key) is not None:
                        context[key] = item[key]
                found = row_outcome(row, task=task, dataset=name, source_url=results_url,
                                    collected_at=when, extraction_method="pwc-api",
                                    context=context)
                for record in found.results:
                    loss = is_loss.get(record.extra.get("metric_name", ""))
                    if loss is not None:
                        record.extra["is_loss"] = loss
                    out.add(record)
                out.unreadable.extend(found.unreadable)
                out.metadata.extend(found.metadata)
        return out

    def _task_name(self, task_id: str) -> str:
        """A task's name (``/tasks/{id}/``), asked once per task; its id if the API has none."""
        if task_id not in self._tasks:
            try:
                data = self.fetcher.get_json(self._api(f"tasks/{task_id}/"))
            except FetchError as exc:
                if "HTTP 404" not in exc.message:
                    raise
                data = {}
            self._tasks[task_id] = str((data or {}).get("name") or task_id)
        return self._tasks[task_id]

    def _losses(self, table_id: str) -> dict[str, bool]:
        """Metric name -> whether lower is better, for one evaluation table ({} if unknown)."""
        try:
            return {str(m.get("name")): bool(m.get("is_loss"))
                    for m in self._paged(self._api(f"evaluations/{table_id}/metrics/"))}
        except FetchError as exc:
            if "HTTP 404" in exc.message:
                return {}
            raise

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
