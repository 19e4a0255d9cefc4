"""Measurement commands: ``modelbench run PLAN.toml`` and ``modelbench compare``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .. import stats
from ..errors import ValidationError
from ..metrics import higher_is_better
from ..numbers import format_duration
from ..store import ResultFilter
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
    fitted_table,
    handle_errors,
    open_store,
)

Jobs = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, max=4096,
    help="Models measured at once, each in its own process and cores.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
Alpha = Annotated[float, typer.Option(
    "--alpha", min=0.0, max=1.0, help="Significance level for latency differences.")]


def _num(value: Any, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _results_table(title: str, rows: list[dict[str, Any]], metric: str) -> Table:
    headers = ["#", "model", "status", metric, "median", "95% CI", "p95", "items/s", "RSS MB",
               "notes"]
    body = []
    for rank, row in enumerate(rows, 1):
        latency = row.get("latency") or {}
        ci = "-"
        if latency.get("ci_low_ms") is not None:
            ci = f"{format_duration(latency['ci_low_ms'])}–{format_duration(latency['ci_high_ms'])}"
        status = row.get("status", "")
        warnings = row.get("warnings") or []
        notes = (row.get("error_message") or "")[:60] or \
            (f"{len(warnings)} warning(s)" if warnings else "")
        name = f"{row.get('model_name', '')} {row.get('model_version') or ''}".strip()
        body.append([str(rank), name, Text(status, style="" if status == "ok" else "red"),
                     _num(row.get("score")), format_duration(latency.get("median_ms")), ci,
                     format_duration(latency.get("p95_ms")), _num(latency.get("throughput"), 3),
                     _num(row.get("memory_usage_mb"), 3), notes])
    return fitted_table(title, headers, body,
                        drop_order=("95% CI", "RSS MB", "p95", "items/s", "notes", "status"))


def _print_notes(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        name = f"{row.get('model_name', '')} {row.get('model_version') or ''}".strip()
        if row.get("error_message"):
            err_console.print(f"[red]{escape(name)}:[/] {escape(row['error_message'])}",
                              highlight=False)
        for warning in row.get("warnings") or []:
            err_console.print(f"[yellow]{escape(name)}:[/] {escape(warning)}", highlight=False)


def _p_value(p: float) -> str:
    return "<1e-4" if p < 1e-4 else f"{p:.2g}"


def _comparison_table(pairs: list[dict[str, Any]]) -> Table:
    headers = ["a", "b", "median a", "median b", "b / a", "p (adj.)", "verdict"]
    body = [[pair["a"], pair["b"], format_duration(pair["median_a_ms"]),
             format_duration(pair["median_b_ms"]),
             f"{pair['ratio']:.3f}", _p_value(pair["p_adjusted"]),
             f"{pair['faster']} faster" if pair["significant"] else "no difference"]
            for pair in pairs]
    return fitted_table("Latency differences (Mann–Whitney U, Holm-adjusted)", headers, body,
                        drop_order=("median a", "median b"))


def _print_outcome(outcome: dict[str, Any], metric: str) -> None:
    ok = outcome["by_score"]
    failed = [r for r in outcome["results"] if r["status"] != "ok"]
    console.print(_results_table(f"Ranked by {metric}", ok + failed, metric))
    _print_notes(ok + failed)
    if outcome["comparison"]:
        console.print(_comparison_table(outcome["comparison"]))
    if failed:
        err_console.print(f"[yellow]{len(failed)} model(s) failed:[/] "
                          + escape(", ".join(f"{r['model_name']} ({r['status']})"
                                             for r in failed)), highlight=False)


def _run_with_progress(plan: Any, store: Any, jobs: int | None) -> dict[str, Any]:
    from ..measure.plan import run_plan

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(f"measuring {len(plan.models)} model(s)", total=len(plan.models))

        def progress(event: dict[str, Any]) -> None:
            bar.update(task, completed=event["done"],
                       description=f"{event['model_name']}: {event['status']}")

        return run_plan(plan, store, progress=progress, jobs=jobs)


def _json_safe(outcome: dict[str, Any]) -> str:
    return json.dumps(outcome, indent=2, default=str)


@app.command()
@handle_errors
def run(
    config: Annotated[Path, typer.Argument(
        help="Run plan (TOML): models by import path, dataset file, metric(s), timing.")],
    jobs: Jobs = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Measure without storing.")] = False,
    as_json: JsonOut = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Measure the models of a run plan, store results and samples, print a ranked table.

    A plan names a [dataset] (path to .csv/.jsonl/.npy/.npz, inputs = column(s),
    labels = column), [[models]] (name, version, target = "package.module:callable"),
    and optionally [run] (task_type, metric or metrics, jobs, timeout, python_path) and
    [timing] (min_time, min_calls, warmup_calls, warmup_time, max_time, batch_size).
    Paths are relative to the plan; its folder is on the import path.

    Each model runs in its own process with a timeout; --jobs N runs N at once, each
    pinned to its own CPU cores where the machine has enough.
    """
    from ..measure.plan import load_plan

    plan = load_plan(config)
    store = None if no_store else open_store(db_type, db_path, host, port, user, password,
                                             database)
    try:
        outcome = _run_with_progress(plan, store, jobs)
    finally:
        if store is not None:
            store.close()
    if as_json:
        console.print_json(_json_safe(outcome))
        return
    _print_outcome(outcome, plan.metrics[0])
    where = f" in {store.describe()}" if store is not None else " (not stored)"
    stored = sum(1 for r in outcome["results"] if r.get("stored"))
    console.print(Text(f"{stored} result(s) stored{where}; run id {outcome['plan']['run_id']}"))
    if store is not None:
        _exit_if_unstored(outcome["results"])


def _exit_if_unstored(rows: list[dict[str, Any]]) -> None:
    """Exit 1 when any result or its samples did not reach the store (saying where each is)."""
    failed = [r for r in rows if not r.get("stored") or r.get("store_error")]
    if not failed:
        return
    spools = sorted({r["spool_path"] for r in failed if r.get("spool_path")})
    lost = [r["model_name"] for r in failed if not r.get("spool_path")]
    err_console.print(Text(f"error: {len(failed)} result(s) were not fully stored", "bold red"))
    for path in spools:
        err_console.print(Text(f"kept in {path}; they are written on the next `modelbench "
                               "setup` (or run) that reaches the store"))
    if lost:
        err_console.print(Text("NOT kept anywhere (the spool could not be written either): "
                               + ", ".join(lost) + "; the table above is all that is left"))
    raise typer.Exit(1)


def _latest_per_model(store: Any, task: str | None, dataset: str | None, metric: str | None,
                      models: list[str]) -> list[Any]:
    flt = ResultFilter(task_type=task, dataset=dataset, metric=metric, status="ok")
    latest: dict[tuple[str, str], Any] = {}
    if models:  # the store finds each model's latest result: never every row (1M+ rows)
        for name in dict.fromkeys(models):
            named = replace(flt, model_name=name)
            for version in store.distinct_values("model_version", named):
                rows = store.query_results(replace(named, model_version=version),
                                           order_by="timestamp", descending=True, limit=1)
                if rows:
                    latest[(name, version)] = rows[0]
    else:
        for result in store.query_results(flt, order_by="timestamp", descending=True):
            latest.setdefault((result.model_name, result.model_version), result)
    missing = [m for m in models if not any(k[0] == m for k in latest)]
    if missing:
        raise ValidationError(f"no stored ok results for: {', '.join(missing)}",
                              hint="check the names with `modelbench results`, or measure "
                                   "them with `modelbench run`")
    return list(latest.values())


def compare_stored(store: Any, *, task: str | None, dataset: str | None, metric: str | None,
                   models: list[str], alpha: float = 0.05) -> dict[str, Any]:
    """Rank the latest stored result of each model and test latency differences from samples."""
    results = _latest_per_model(store, task, dataset, metric, models)
    metrics_seen = sorted({r.metric for r in results})
    if len(metrics_seen) > 1:
        raise ValidationError(f"the results use several metrics: {', '.join(metrics_seen)}",
                              hint="pick one with --metric")
    if len(results) < 2:
        raise ValidationError(f"found {len(results)} model(s) to compare; at least 2 are needed",
                              hint="widen --task/--dataset/--metric or measure more models")
    sign = -1.0 if higher_is_better(metrics_seen[0]) else 1.0
    rows = []
    for result in results:
        row = result.to_dict()
        row["label"] = f"{result.model_name} {result.model_version}".strip()
        rows.append(row)
    by_score = sorted((r for r in rows if r["score"] is not None),
                      key=lambda r: sign * r["score"])
    samples = {row["label"]: store.get_samples(row["id"]) for row in rows}
    by_speed = sorted((r for r in rows if r.get("latency")),
                      key=lambda r: r["latency"]["median_ms"])
    ordered = {r["label"]: samples[r["label"]] for r in by_speed}
    return {"metric": metrics_seen[0], "results": rows, "by_score": by_score,
            "by_runtime": by_speed, "comparison": stats.pairwise(ordered, alpha=alpha),
            "without_samples": [k for k, v in samples.items() if len(v) == 0]}


@app.command()
@handle_errors
def compare(
    models: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="Model to compare (repeat); default: every model that matches.")
    ] = None,
    task: Annotated[str | None, typer.Option("--task", "-t", help="Task type.")] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", "-d", help="Dataset.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Metric name.")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="Run this plan first, then compare its models.")] = None,
    jobs: Jobs = None,
    alpha: Alpha = 0.05,
    as_json: JsonOut = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Compare 2+ models on one task/dataset/metric: scores, and latency differences tested
    with Mann–Whitney U on the stored per-call samples (Holm-adjusted p-values).

    Uses the latest stored ok result of each model; --config runs a plan fresh first.
    """
    store = open_store(db_type, db_path, host, port, user, password, database)
    fresh: dict[str, Any] = {"results": []}
    with store:
        names = list(models or [])
        if config is not None:
            from ..measure.plan import load_plan

            plan = load_plan(config)
            fresh = _run_with_progress(plan, store, jobs)
            task = task or plan.task_type or None
            dataset = dataset or plan.dataset.name
            metric = metric or plan.metrics[0]
            names = names or [r["model_name"] for r in fresh["results"] if r["status"] == "ok"]
        if not (task or dataset or metric or names):
            raise ValidationError("say what to compare",
                                  hint="give --task/--dataset/--metric, --model (repeat) "
                                       "or --config PLAN.toml")
        outcome = compare_stored(store, task=task, dataset=dataset, metric=metric,
                                 models=names, alpha=alpha)
    if as_json:
        console.print_json(_json_safe(outcome))
        return
    table_rows = outcome["by_score"] + [r for r in outcome["results"]
                                        if r not in outcome["by_score"]]
    console.print(_results_table(f"Ranked by {outcome['metric']}", table_rows,
                                 outcome["metric"]))
    _print_notes(table_rows)
    if outcome["comparison"]:
        console.print(_comparison_table(outcome["comparison"]))
    if outcome["without_samples"]:
        console.print(Text("no latency samples stored for: "
                           + ", ".join(outcome["without_samples"])))
    _exit_if_unstored(fresh["results"])
