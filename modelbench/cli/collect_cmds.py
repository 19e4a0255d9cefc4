"""``modelbench collect``: published results from the Hugging Face Hub, Papers with Code and
leaderboard pages, stored next to measured ones.

The collectors produce records; :mod:`modelbench.ingest` stores them (validated one by one,
on the canonical scale, de-duplicated on the natural key). A fetch that fails stores nothing
of the run; a re-run does not store the same published number twice.

Examples::

    modelbench collect hf --task text-classification --limit 20
    modelbench collect pwc --dump evaluation-tables.json.gz
    modelbench collect pwc --api https://pwc.example.org --query imagenet
    modelbench collect pwc --page saved/imagenet-leaderboard.html
    modelbench collect page https://example.org/leaderboard --render --yes
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table as RichTable
from rich.text import Text

from ..errors import ConfigError, ExtractionError
from ..ingest import BATCH, Ingestor, IngestReport, ingest
from ..records import BenchmarkResult, ModelMetadata
from ..store import DatabaseManager
from . import app
from .common import (
    Database,
    DbPath,
    DbType,
    Host,
    Password,
    Port,
    User,
    console,
    err_console,
    handle_errors,
    open_store,
)

collect_app = typer.Typer(help="Collect published results: Hugging Face Hub, Papers with Code, "
                               "leaderboard pages.", no_args_is_help=True)
app.add_typer(collect_app, name="collect")

Rate = Annotated[float, typer.Option(
    "--rate", min=0.0, max=1000.0,
    help="Requests per second per host (0 = no limit; be polite to real sites).")]
CacheDir = Annotated[Path | None, typer.Option(
    "--cache-dir", help="HTTP cache folder (default ~/.cache/modelbench/http).",
    envvar="MODELBENCH_CACHE_DIR")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Fetch again; do not use the cache.")]
Timeout = Annotated[float, typer.Option("--timeout", min=0.1, max=86_400.0,
                                        help="Seconds per request, in total.")]
Retries = Annotated[int, typer.Option("--retries", min=0, max=100,
                                      help="Retries on 429/5xx/connection errors.")]


def _fetch_options(rate: float, cache_dir: Path | None, no_cache: bool, timeout: float,
                   retries: int, **policy: Any) -> dict[str, Any]:
    from ..collect.http import FetchPolicy

    if rate < 0 or timeout <= 0 or retries < 0:
        raise ConfigError("--rate, --retries must be >= 0 and --timeout > 0")
    return {"cache": not no_cache, "cache_dir": cache_dir,
            "policy": FetchPolicy(rate_per_host=rate or None, timeout=timeout, retries=retries,
                                  **policy)}


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    MofNCompleteColumn(), console=err_console, transient=True)


# -- storing ----------------------------------------------------------------------------------
def _store(store: DatabaseManager, results: list[BenchmarkResult],
           models: list[ModelMetadata] | None = None) -> IngestReport:
    """Everything through :func:`modelbench.ingest.ingest`: validated one by one, put on the
    canonical scale, and stored only when not already there."""
    return ingest(store, results, models=models)


def _summary(title: str, report: IngestReport, where: str,
             rows: list[tuple[str, ...]] | None = None, columns: tuple[str, ...] = (),
             warnings: list[str] | None = None) -> None:
    if rows:
        table = RichTable(*(escape(c) for c in columns), title=escape(title))
        for row in rows:  # names come from web pages: plain text, never markup
            table.add_row(*(Text(str(c)) for c in row))
        console.print(table)
    for warning in warnings or []:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    for result, reason in report.skipped[:5]:
        err_console.print(f"[yellow]skipped:[/] {escape(result.model_name)} "
                          f"{escape(result.metric)}: {escape(reason)}", highlight=False)
    console.print(Text(report.summary(where)), highlight=False)


# -- hf ---------------------------------------------------------------------------------------
@collect_app.command("hf")
@handle_errors
def collect_hf(
    task: Annotated[str, typer.Option("--task", help="Pipeline tag, e.g. text-classification.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=1_000_000,
                                       help="How many models (by downloads).")
                     ] = 20,
    endpoint: Annotated[str | None, typer.Option(
        "--endpoint", envvar="HF_ENDPOINT", help="Hub URL (default https://huggingface.co).")
    ] = None,
    rate: Rate = 5.0, cache_dir: CacheDir = None, no_cache: NoCache = False,
    timeout: Timeout = 30.0, retries: Retries = 4,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Popular Hub models of a task and their model-index eval results.

    Stores metadata (downloads, likes, tags, parameter counts) and each model's published
    results (task, dataset, split, metric, value, verified)."""
    from ..collect import HuggingFaceScraper

    options = _fetch_options(rate, cache_dir, no_cache, timeout, retries, respect_robots=False)
    models = []
    with HuggingFaceScraper(endpoint, **options) as scraper, _progress() as progress:
        job = progress.add_task(f"listing {task} models", total=None)
        ids = scraper.list_model_ids(task, limit)
        progress.update(job, description=f"{task}: reading model cards", total=len(ids))
        for model in scraper.collect(task, limit, ids=ids,
                                     progress=lambda _id: progress.advance(job)):
            models.append(model)
    if not models:
        raise ExtractionError(f"the Hub lists no models for task {task!r}",
                              hint="check the pipeline tag, e.g. text-classification")
    results = [r for m in models for r in m.results]
    store = open_store(db_type, db_path, host, port, user, password, database)
    with store:
        report = _store(store, results, [m.metadata for m in models])
        where = store.describe()
    rows = [(m.metadata.model_name, f"{m.metadata.parameters:,}" if m.metadata.parameters
             else "-", f"{m.metadata.downloads or 0:,}", str(len(m.results))) for m in models]
    _summary(f"{len(models)} models for {task}", report, where, rows,
             ("model", "parameters", "downloads", "results"),
             [w for m in models for w in m.warnings])


# -- pwc --------------------------------------------------------------------------------------
@collect_app.command("pwc")
@handle_errors
def collect_pwc(
    dump: Annotated[Path | None, typer.Option(
        "--dump", help="Archive dump evaluation-tables.json[.gz] (streamed).")] = None,
    api: Annotated[str | None, typer.Option(
        "--api", envvar="MODELBENCH_PWC_API", help="Base URL of a Papers with Code API.")
    ] = None,
    query: Annotated[str | None, typer.Option("--query", help="Dataset search (with --api).")
                     ] = None,
    page: Annotated[str | None, typer.Option(
        "--page", help="A saved PwC leaderboard page (file) or its URL.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, max=1_000_000,
                                              help="At most this many datasets.")
                     ] = None,
    dataset: Annotated[str, typer.Option("--dataset", help="Dataset name for --page.")] = "",
    task: Annotated[str, typer.Option("--task", help="Task name for --page.")] = "",
    rate: Rate = 2.0, cache_dir: CacheDir = None, no_cache: NoCache = False,
    timeout: Timeout = 30.0, retries: Retries = 4,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Papers with Code: import the archive dump, query the API, or read a leaderboard page."""
    from ..collect import PapersWithCodeScraper

    chosen = [name for name, value in (("--dump", dump), ("--query", query), ("--page", page))
              if value]
    if len(chosen) != 1:
        raise ConfigError("give exactly one of --dump FILE, --api URL --query Q, --page PAGE",
                          hint="e.g. modelbench collect pwc --dump evaluation-tables.json.gz")
    store = open_store(db_type, db_path, host, port, user, password, database)
    if dump:
        with store:
            _import_dump(store, dump)
        return
    options = _fetch_options(rate, cache_dir, no_cache, timeout, retries)
    with PapersWithCodeScraper(api, **options) as scraper:
        if page:
            results = scraper.page(page, dataset=dataset, task=task)
            rows = None
        else:
            results, rows = _from_api(scraper, str(query), limit)
    if not results:
        raise ExtractionError("no results found", hint="check the query, page or dataset")
    with store:
        report = _store(store, results)
        _summary("Papers with Code", report, store.describe(), rows,
                 ("dataset", "results"))


def _from_api(scraper: Any, query: str, limit: int | None
              ) -> tuple[list[BenchmarkResult], list[tuple[str, ...]]]:
    results: list[BenchmarkResult] = []
    rows: list[tuple[str, ...]] = []
    with _progress() as progress:
        datasets = scraper.search_datasets(query, limit=limit)
        job = progress.add_task(f"datasets matching {query!r}", total=len(datasets))
        for item in datasets:
            found = scraper.dataset_evaluations(item)
            results.extend(found)
            rows.append((str(item.get("name") or item.get("id")), str(len(found))))
            progress.advance(job)
    return results, rows


def _batches(records: Iterator[BenchmarkResult], size: int) -> Iterator[list[BenchmarkResult]]:
    batch: list[BenchmarkResult] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _import_dump(store: DatabaseManager, path: Path) -> None:
    from ..collect.paperswithcode import check_dump, dump_records

    with _progress() as progress:
        job = progress.add_task(f"checking {path.name}", total=None)
        check_dump(path)  # a truncated file fails here, before anything is stored
        stats: dict[str, int] = {}
        into = Ingestor(store)
        with store.atomic():  # a full disk halfway stores none of it, and says so
            for batch in _batches(dump_records(path, stats=stats), BATCH):
                into.add(batch)
                progress.update(job, completed=stats["rows"],
                                description=f"importing {path.name}: {stats['rows']:,} rows")
    warnings = ([f"{stats['unparsed']} metric value(s) were not numbers and were skipped"]
                if stats.get("unparsed") else [])
    _summary("", into.total, store.describe(), warnings=warnings)
    console.print(Text(f"{stats.get('rows', 0)} leaderboard rows read from {path}"),
                  highlight=False)


# -- page -------------------------------------------------------------------------------------
@collect_app.command("page")
@handle_errors
def collect_page(
    url: Annotated[str, typer.Argument(help="Leaderboard page URL (or a saved .html file).")],
    render: Annotated[bool, typer.Option(
        "--render", help="Run the page's JavaScript in Chromium first.")] = False,
    table: Annotated[int | None, typer.Option(
        "--table", min=0, max=1_000_000, help="Use table number N of the page (0-based).")] = None,
    model_col: Annotated[str | None, typer.Option("--model-col", help="Model column.")] = None,
    metric_col: Annotated[list[str] | None, typer.Option(
        "--metric-col", help="Metric column (repeat for several).")] = None,
    dataset_col: Annotated[str | None, typer.Option(
        "--dataset-col", help="Column naming the dataset of each row.")] = None,
    dataset: Annotated[str, typer.Option("--dataset", help="Dataset of the whole table.")] = "",
    task: Annotated[str, typer.Option("--task", help="Task type of the whole table.")] = "",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Store without asking.")] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", min=0.001, max=100_000.0,
                                          help="Largest page to accept (decoded).")] = 50.0,
    rate: Rate = 1.0, cache_dir: CacheDir = None, no_cache: NoCache = False,
    timeout: Timeout = 30.0, retries: Retries = 4,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Any leaderboard page with results tables. The column guess is shown before storing.

    Without ``--table`` or named columns every results table of the page is read, each named
    as the page names it (dataset, setting, split and metric from its heading and text)."""
    from ..collect.tables import (
        ColumnMapping,
        LeaderboardScraper,
        extract_tables,
        guess_mapping,
        page_tables,
        pick_table,
        slugify,
        table_to_results,
    )

    options = _fetch_options(rate, cache_dir, no_cache, timeout, retries,
                             max_bytes=int(max_mb * 1024 * 1024))
    with LeaderboardScraper(**options) as scraper:
        html, source_url = scraper.load(url, render=render)
    task_type = slugify(task) if task else ""
    if table is None and not (model_col or metric_col or dataset_col):
        found = page_tables(html, dataset, task_type)
        if found:
            _store_page(found, source_url, render, yes,
                        (db_type, db_path, host, port, user, password, database))
            return
    tables = extract_tables(html)
    chosen = pick_table(tables, table, where=source_url)
    guessed = guess_mapping(chosen, dataset=dataset, task_type=task_type)
    mapping = ColumnMapping(model=model_col or guessed.model,
                            metrics=list(metric_col or guessed.metrics),
                            dataset_column=dataset_col or guessed.dataset_column,
                            dataset=dataset, task_type=guessed.task_type)
    extracted = table_to_results(chosen, mapping, source="web", source_url=source_url,
                                 extraction_method="rendered-html-table" if render
                                 else "html-table")
    _preview(chosen, mapping, len(extracted.results))
    if not extracted.results:
        raise ExtractionError(f"table {chosen.index} gave no numbers for {mapping.describe()}",
                              hint="choose other columns with --model-col/--metric-col")
    if not (yes or (model_col and metric_col)) and not typer.confirm(
            f"Store these {len(extracted.results)} results?", default=True, err=True):
        err_console.print("nothing stored")
        raise typer.Exit(1)
    store = open_store(db_type, db_path, host, port, user, password, database)
    with store:
        report = _store(store, extracted.results)
        warnings = ([f"{len(extracted.skipped)} cell(s) were not numbers: "
                     + "; ".join(extracted.skipped[:5])] if extracted.skipped else [])
        _summary("", report, store.describe(), warnings=warnings)


def _store_page(found: list[Any], source_url: str, render: bool, yes: bool,
                where: tuple[Any, ...]) -> None:
    """Every results table of a page: previewed, confirmed, stored; repeats and unreadable
    cells counted (nothing is lost silently)."""
    from ..collect.tables import tables_outcome

    outcome = tables_outcome(found, source_url=source_url,
                             extraction_method="rendered-html-table" if render else "html-table")
    for table, mapping in found:
        _preview(table, mapping, sum(r.extra.get("table") == table.index
                                     for r in outcome.results))
    if not outcome.results:
        raise ExtractionError("the page's tables gave no numbers",
                              hint="choose a table and columns with --table/--model-col/"
                                   "--metric-col")
    if not yes and not typer.confirm(f"Store these {len(outcome.results)} results?",
                                     default=True, err=True):
        err_console.print("nothing stored")
        raise typer.Exit(1)
    counts = outcome.counts()
    warnings = [f"{counts['duplicate']} printed result(s) repeat an earlier row"] \
        if counts["duplicate"] else []
    if outcome.unreadable:
        warnings.append(f"{counts['unreadable']} cell(s) were not numbers: "
                        + "; ".join(outcome.unreadable[:5]))
    with open_store(*where) as store:
        report = _store(store, outcome.results, outcome.metadata)
        _summary("", report, store.describe(), warnings=warnings)


def _preview(table: Any, mapping: Any, n_results: int, rows: int = 5) -> None:
    """Show the chosen table's first rows and the column mapping before anything is stored."""
    columns = [mapping.model, *mapping.metrics]
    if mapping.dataset_column:
        columns.insert(1, mapping.dataset_column)
    preview = RichTable(*(escape(c) for c in columns),
                        title=f"table {table.index}: {len(table.rows)} rows -> {n_results} results")
    indexes = [table.column(c) for c in columns]
    for row in table.rows[:rows]:  # a hostile page may hold Rich markup such as [link=...]
        preview.add_row(*(Text(row[i]) for i in indexes))
    console.print(preview)
    console.print(Text(mapping.describe()), highlight=False)
