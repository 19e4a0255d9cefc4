"""Core commands: setup, results, show, leaderboard, history, models, version."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..errors import ValidationError
from ..measure.environment import env_testbed_label
from ..numbers import format_duration
from ..records import BenchmarkResult
from ..store import DatabaseManager, ResultFilter
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
    fitted_table,
    handle_errors,
    open_store,
)

# The `results` table's column headers, accepted as sort keys beside the store's column names.
SORT_ALIASES = {"time": "timestamp", "model": "model_name", "task": "task_type",
                "median": "latency_median_ms", "p95": "latency_p95_ms", "mean": "latency_mean_ms",
                "p99": "latency_p99_ms", "items/s": "throughput", "memory": "memory_usage_mb"}


def sort_column(key: str) -> str:
    """The store column a ``--sort`` key names: a column header as printed, or a column name.

    >>> sort_column("median"), sort_column("latency_p95_ms")
    ('latency_median_ms', 'latency_p95_ms')
    """
    return SORT_ALIASES.get(key.lower(), key)


JsonOut = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _fmt(value: object, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(f"cannot read time {text!r}",
                              hint="use ISO 8601, e.g. 2026-11-01 or 2026-11-01T12:00") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@app.command()
@handle_errors
def setup(db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
          user: User = None, password: Password = None, database: Database = None) -> None:
    """Create (or migrate) the database schema. Safe to run again."""
    store = open_store(db_type, db_path, host, port, user, password, database)
    with store:
        console.print(f"[green]ready:[/] {escape(store.describe())} "
                      f"({store.count_results()} results stored)")


@app.command()
@handle_errors
def results(
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model name.")] = None,
    task: Annotated[str | None, typer.Option("--task", "-t", help="Task type.")] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", "-d", help="Dataset.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Metric name.")] = None,
    source: Annotated[str | None, typer.Option(
        "--source", help="local, huggingface, paperswithcode, web or image.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="ok, error or timeout.")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", "-s", help="Substring of model, task, dataset, metric or source.")] = None,
    since: Annotated[str | None, typer.Option(help="Only results at or after (ISO time).")] = None,
    until: Annotated[str | None, typer.Option(help="Only results before (ISO time).")] = None,
    sort: Annotated[str, typer.Option(help=(
        "Column to sort by: a header of the table (time, model, score, median, p95, ...) or a "
        "stored column name."))] = "timestamp",
    ascending: Annotated[bool, typer.Option("--asc", help="Sort ascending.")] = False,
    limit: Annotated[int, typer.Option(min=0, max=10**12, help="At most this many rows.")] = 50,
    as_json: JsonOut = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """List stored results, filtered and sorted."""
    flt = ResultFilter(model_name=model, task_type=task, dataset=dataset, metric=metric,
                       source=source, status=status, search=search, since=_parse_time(since),
                       until=_parse_time(until))
    with open_store(db_type, db_path, host, port, user, password, database,
                    must_exist=True) as store:
        rows = store.query_results(flt, order_by=sort_column(sort), descending=not ascending,
                                   limit=limit)
        total = store.count_results(flt)
        where = store.describe()
    if as_json:
        console.print_json(json.dumps([r.to_dict() for r in rows], default=str))
        return
    headers = ["id", "time", "model", "task", "dataset", "metric", "score", "median", "p95",
               "source", "status"]
    body = []
    for r in rows:
        lat = r.latency
        body.append([r.id[:8], _fmt(r.timestamp), f"{r.model_name} {r.model_version}".strip(),
                     r.task_type, r.dataset, r.metric, _fmt(r.score),
                     format_duration(lat.median_ms if lat else None),
                     format_duration(lat.p95_ms if lat else None),
                     r.source, Text(r.status, style="" if r.status == "ok" else "red")])
    table = fitted_table(f"{len(rows)} of {total} results", headers, body,
                         drop_order=("time", "p95", "task", "source", "status", "dataset"))
    if not rows:
        advice = ("loosen the filters" if flt.active() else "run `modelbench run`, "
                  "`modelbench collect` or `python scripts/example_benchmark.py` to add some")
        console.print(f"No results match in {where}; {advice}.", markup=False, highlight=False)
        return
    console.print(table)


def _result_panel(result: BenchmarkResult) -> Table:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold cyan")
    table.add_column()
    fields = [
        ("id", result.id), ("time", result.timestamp.isoformat()),
        ("model", f"{result.model_name} {result.model_version}".strip()),
        ("task / dataset", f"{result.task_type} / {result.dataset} {result.dataset_split}".strip()),
        ("metric", result.metric), ("score", _fmt(result.score, 6)),
        ("status", result.status), ("error", result.error_message or None),
        ("runtime (scored pass)", format_duration(result.runtime_ms)),
        ("peak RSS MB", _fmt(result.memory_usage_mb)),
        ("Python peak MB", _fmt(result.python_peak_mb)), ("GPU peak MB", _fmt(result.gpu_peak_mb)),
        ("batch size", _fmt(result.batch_size)), ("items", _fmt(result.n_items)),
        ("source", result.source), ("source URL", result.source_url or None),
        ("collected", _fmt(result.collected_at)), ("extraction", result.extraction_method or None),
        ("confidence", _fmt(result.confidence)), ("environment hash", result.env_hash or None),
        ("testbed", env_testbed_label(result.environment) if result.environment else None),
    ]
    if result.latency:
        lat = result.latency
        fields += [
            ("latency", f"mean {format_duration(lat.mean_ms)}  "
                        f"median {format_duration(lat.median_ms)}  "
                        f"stdev {format_duration(lat.stdev_ms)}  "
                        f"min {format_duration(lat.min_ms)}  max {format_duration(lat.max_ms)}"),
            ("percentiles", "  ".join(f"{name} {format_duration(getattr(lat, f'{name}_ms'))}"
                                      for name in ("p50", "p90", "p95", "p99"))),
            ("median 95% CI", f"{format_duration(lat.ci_low_ms)} – "
                              f"{format_duration(lat.ci_high_ms)}"),
            ("a rerun's median, 95% prediction", _rerun_text(result.extra)),
            ("samples / outliers", f"{lat.n_samples} / {lat.outliers}"),
            ("throughput items/s", _fmt(lat.throughput)),
        ]
    for key, value in fields:
        if value not in (None, "", "-"):
            table.add_row(key, Text(str(value)))
    for warning in result.warnings:
        table.add_row(Text("warning", style="yellow"), Text(warning))
    return table


def _rerun_text(extra: dict[str, Any]) -> str | None:
    """The stored prediction interval of a rerun's median, or None (one run, older result)."""
    bounds = extra.get("rerun_median_ms")
    if not bounds or len(bounds) != 2:
        return None
    return (f"{format_duration(bounds[0])} – {format_duration(bounds[1])} "
            "(these runs' spread; `modelbench calibrate` + `check` add the testbed's)")


MIN_ID_PREFIX = 6
ID_LENGTH = 32  # uuid4 hex


def _short_id_message(prefix: str, store: DatabaseManager) -> tuple[str, str]:
    """What to say about an id prefix too short to look up (message, hint)."""
    try:
        match = store.get_result(prefix) if prefix else None
        found = (f"one result starts with it: {match.id[:8]}" if match
                 else "no stored result starts with it")
    except ValidationError:  # the prefix matches more than one result
        found = "several results start with it"
    return (f"id {prefix!r} is too short ({len(prefix)} of an id's {ID_LENGTH} characters; "
            f"{found})", f"give at least {MIN_ID_PREFIX} characters; `modelbench results` "
            "shows the first 8 of each id")


@app.command()
@handle_errors
def show(
    result_id: Annotated[str, typer.Argument(
        help="Result id (32 characters), or a unique prefix of 6 or more.")],
    as_json: JsonOut = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Show one result in full: scores, latency statistics, memory, environment, provenance."""
    with open_store(db_type, db_path, host, port, user, password, database,
                    must_exist=True) as store:
        if len(result_id) < MIN_ID_PREFIX:
            message, hint = _short_id_message(result_id, store)
            raise ValidationError(message, hint=hint)
        result = store.get_result(result_id)
        if result is None:
            raise ValidationError(f"no result with id {result_id!r}",
                                  hint="list ids with `modelbench results`")
        n_samples = len(store.get_samples(result.id))
    if as_json:
        data = result.to_dict()
        data["stored_samples"] = n_samples
        console.print_json(json.dumps(data, default=str))
        return
    console.print(_result_panel(result))
    console.print(f"[dim]{n_samples} raw latency samples stored[/]")
    if result.environment:
        env = ", ".join(f"{k}={v}" for k, v in sorted(result.environment.items())
                        if not isinstance(v, (dict, list)))
        console.print(f"[dim]environment: {escape(env)}[/]", highlight=False)


@app.command()
@handle_errors
def leaderboard(
    task: Annotated[str | None, typer.Option("--task", "-t", help="Task type.")] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", "-d", help="Dataset.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Metric name.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    lower_is_better: Annotated[bool | None, typer.Option(
        "--lower-is-better/--higher-is-better",
        help="Override the metric's direction (default: from the metric registry).",
        show_default=False)] = None,
    limit: Annotated[int, typer.Option(min=1, max=10**9,
                                       help="How many ranks per leaderboard.")] = 10,
    as_json: JsonOut = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Best models per task, dataset, split and metric, measured and published side by side.

    Every value is on its metric's canonical scale (a published 97.2 % is 0.972) and ranked
    in the metric's direction; equal values share a rank."""
    from ..analysis import format_value, leaderboards

    direction = None if lower_is_better is None else ("lower" if lower_is_better else "higher")
    flt = ResultFilter(task_type=task, dataset=dataset, metric=metric, source=source)
    with open_store(db_type, db_path, host, port, user, password, database,
                    must_exist=True) as store:
        boards = leaderboards(store, flt, limit=limit, direction=direction)
    if as_json:
        rows = [e.as_row(b) for b in boards for e in b.entries]
        console.print_json(json.dumps(rows, default=str))
        return
    if not boards:
        console.print("No scored results match these filters.")
        return
    for board in boards:
        headers = ["#", "model", "best", "measured", "published", "median", "results",
                   "sources"]
        body = [[f"{e.rank}=" if e.tied else str(e.rank), e.label,
                 format_value(board.info, e.value), format_value(board.info, e.measured),
                 format_value(board.info, e.published), format_duration(e.latency_ms),
                 str(e.n_results), ",".join(e.sources)] for e in board.entries]
        title = f"{board.key.label} ({board.direction_label})"
        console.print(fitted_table(title, headers, body,
                                   drop_order=("results", "measured", "published", "sources")))
        if board.flagged:
            console.print(Text(f"  {len(board.flagged)} value(s) outside the metric's range "
                               "were not ranked: " + ", ".join(
                                   f"{s.model_name} {s.raw:g}" for s in board.flagged[:5])),
                          style="yellow")


@app.command()
@handle_errors
def history(
    model: Annotated[str, typer.Argument(help="Model name.")],
    metric: Annotated[str | None, typer.Option("--metric", help="Metric name.")] = None,
    task: Annotated[str | None, typer.Option("--task", "-t", help="Task type.")] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", "-d", help="Dataset.")] = None,
    bucket: Annotated[str | None, typer.Option(
        help="Group each series by time: e.g. 1h, 1 day, 1w.")] = None,
    as_json: JsonOut = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """A model's score and latency over time: one series per task, dataset, metric and batch
    size (never averaged across them), with the change points found and what changed."""
    from ..analysis import history as model_history
    from ..store.base import parse_bucket

    seconds = parse_bucket(bucket) if bucket is not None else None
    with open_store(db_type, db_path, host, port, user, password, database,
                    must_exist=True) as store:
        series = model_history(store, model, metric=metric, task_type=task, dataset=dataset)
    if as_json:
        data = [s.as_dict() for s in series]
        if seconds is not None:
            for item, s in zip(data, series, strict=True):
                item["buckets"] = s.buckets(seconds)
        console.print_json(json.dumps(data, default=str))
        return
    if not series:
        console.print(Text(f"No history for {model!r}."))
        return
    for s in series:
        _print_series(model, s, seconds)


def _print_series(model: str, series: object, seconds: int | None) -> None:
    from ..analysis import Series

    assert isinstance(series, Series)
    table = Table(title=Text(f"history of {model}: {series.label}"), title_justify="left")
    if seconds is not None:
        for header in ("bucket", "n", "score mean", "min", "max", "median latency"):
            table.add_column(header)
        for row in series.buckets(seconds):
            table.add_row(_fmt(row["bucket"]), str(row["n"]), _fmt(row["score_mean"]),
                          _fmt(row["score_min"]), _fmt(row["score_max"]),
                          format_duration(row["latency_median_ms"]))
    else:
        for header in ("time", "id", "score", "median latency", "source", "env"):
            table.add_column(header)
        starts = {c.index for c in series.changes}
        for index, p in enumerate(series.points):
            style = "bold" if index in starts else ""
            table.add_row(_fmt(p.timestamp), p.id[:8], _fmt(p.score),
                          format_duration(p.latency_ms), p.source, p.env_hash, style=style)
    console.print(table)
    for change in series.changes:
        console.print(Text(f"change point: {change.describe()}", style="yellow"))


@app.command()
@handle_errors
def models(
    search: Annotated[str | None, typer.Option("--search", "-s", help="Substring of name.")] = None,
    as_json: JsonOut = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """List models: metadata (parameters, downloads, license, source) and published model
    properties (parameter counts, FLOPs), beside the model and never ranked."""
    from ..analysis import model_rows

    with open_store(db_type, db_path, host, port, user, password, database,
                    must_exist=True) as store:
        rows = model_rows(store, search or "")
        stored_metadata = bool(store.list_models())
    if as_json:
        console.print_json(json.dumps(rows, default=str))
        return
    if not rows:
        console.print("No models stored. `modelbench collect hf --task ...` adds some.")
        return
    headers = ["model", "version", "task", "parameters", "FLOPs", "downloads", "likes",
               "license", "source"]
    body = [[m["model_name"], m["model_version"], m["task_type"], _fmt(m["parameters"]),
             _fmt(m["flops"]), _fmt(m["downloads"]), _fmt(m["likes"]), m["license"],
             m["source"]] for m in rows]
    table = fitted_table(f"{len(rows)} models", headers, body,
                         drop_order=("version", "likes", "FLOPs", "license", "task", "source"))
    console.print(table)
    if not stored_metadata:
        console.print("No model metadata stored. `modelbench collect hf --task ...` adds some.")


@app.command()
def version() -> None:
    """Print the modelbench version."""
    console.print(f"modelbench {__version__}")
