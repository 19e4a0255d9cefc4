"""Measurement commands: ``modelbench run PLAN.toml`` and ``modelbench compare``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ..errors import ValidationError
from ..measure.environment import env_testbed, env_testbed_label
from ..numbers import format_duration
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
from .progress import GridProgress

Jobs = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, max=4096,
    help="Models measured at once, each in its own process and cores.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
Alpha = Annotated[float, typer.Option(
    "--alpha", min=0.0, max=1.0, help="Family-wise significance level of the verdicts.")]
Margin = Annotated[float, typer.Option(
    "--margin", min=0.0, max=0.5, help="Differences within this fraction are 'same'.")]


def _num(value: Any, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _testbed_keys(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Testbed id -> a one-letter key (A, B, ...) in order of first appearance."""
    beds = dict.fromkeys(env_testbed(r.get("environment")) for r in rows)
    return {bed: _key_name(n) for n, bed in enumerate(beds)}


def _key_name(n: int) -> str:
    return chr(ord("A") + n) if n < 26 else f"T{n + 1}"


def _testbed_footnote(rows: list[dict[str, Any]]) -> str:
    """A line naming the testbed the rows were measured on; with several, one line each, keyed
    as the table's column.

    >>> _testbed_footnote([{"environment": {"hostname": "n1", "env_hash": "abcdef99",
    ...                                     "cpu_model": "Xeon"}}])
    'testbed: n1-abcdef (Xeon)'
    """
    labels = {env_testbed(r.get("environment")): env_testbed_label(r.get("environment"))
              for r in rows}
    if len(labels) == 1:
        return f"testbed: {next(iter(labels.values()))}"
    keys = _testbed_keys(rows)
    # one testbed a line: a label (host, CPU model, GPUs) may be long, and lines never wrap
    return "testbeds:" + "".join(f"\n  {keys[bed]} = {label}" for bed, label in labels.items())


def _print_testbed_notes(outcome: dict[str, Any]) -> None:
    for note in outcome.get("testbed_notes") or []:
        err_console.print(Text(note, style="yellow"))


def _results_table(title: str, rows: list[dict[str, Any]], metric: str) -> Table:
    keys = _testbed_keys(rows)
    several = len(keys) > 1  # one testbed: the footnote says it, no column is spent on it
    headers = ["#", "model", *(["bed"] if several else []), "status", metric, "median",
               "95% CI", "per item", "items/s", "p95", "runs", "setup MB", "model MB", "RSS MB",
               "params", "notes"]
    body = []
    for position, row in enumerate(rows, 1):
        # the rank analysis gave (equal scores share it, "2="), else the row's place
        rank = (f"{row['rank']}=" if row.get("tied") else str(row["rank"])) \
            if row.get("rank") else str(position)
        latency = row.get("latency") or {}
        ci = "-"
        if latency.get("ci_low_ms") is not None:
            ci = f"{format_duration(latency['ci_low_ms'])}–{format_duration(latency['ci_high_ms'])}"
        status = row.get("status", "")
        warnings = row.get("warnings") or []
        notes = (row.get("error_message") or "")[:60] or \
            (f"{len(warnings)} warning(s)" if warnings else "")
        if row.get("stored_earlier"):
            notes = f"stored earlier; {notes}" if notes else "stored earlier"
        name = f"{row.get('model_name', '')} {row.get('model_version') or ''}".strip()
        params = " ".join(f"{k}={v}" for k, v in (row.get("params") or {}).items())
        bed = [keys[env_testbed(row.get("environment"))]] if several else []
        body.append([rank, name, *bed, Text(status, style="" if status == "ok" else "red"),
                     _num(row["score_canonical"] if row.get("score_canonical") is not None
                          else row.get("score")), format_duration(latency.get("median_ms")), ci,
                     format_duration(row.get("per_item_median_ms")),
                     _num(latency.get("throughput"), 3), format_duration(latency.get("p95_ms")),
                     _num(row.get("n_runs")), _num(row.get("memory_setup_mb"), 3),
                     _num(row.get("model_memory_mb"), 3), _num(row.get("memory_usage_mb"), 3),
                     params, notes])
    table = fitted_table(title, headers, body,
                         drop_order=("95% CI", "RSS MB", "p95", "setup MB", "params", "runs",
                                     "items/s", "model MB", "notes", "status"))
    if rows:
        table.caption = Text(_testbed_footnote(rows))  # host names are not markup
        table.caption_justify = "left"
    return table


def _print_notes(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        name = f"{row.get('model_name', '')} {row.get('model_version') or ''}".strip()
        if row.get("error_message"):
            err_console.print(Text(f"{name}: ", style="red") + Text(row["error_message"]))
        for warning in row.get("warnings") or []:
            err_console.print(Text(f"{name}: ", style="yellow") + Text(warning))


_VERDICT_STYLE = {"faster": "green", "slower": "green", "same": "", "inconclusive": "yellow"}


def _comparison_table(pairs: list[dict[str, Any]]) -> Table:
    headers = ["a", "b", "median a", "median b", "a / b", "95% CI", "medians a / b (95% CI)",
               "basis", "verdict"]
    body = []
    for pair in pairs:
        verdict = pair["verdict"]
        a, b = pair.get("a_label", pair["a"]), pair.get("b_label", pair["b"])
        words = {"faster": f"{a} faster", "slower": f"{b} faster",
                 "same": f"same (within ±{pair['margin']:.0%})",
                 "inconclusive": "inconclusive"}[verdict]
        params = " ".join(f"{k}={v}" for k, v in (pair.get("params") or {}).items())
        basis = f"{pair['basis']} {params}".strip()
        body.append([a, b, format_duration(pair["median_a_ms"]),
                     format_duration(pair["median_b_ms"]), f"{pair['ratio']:.3f}",
                     "-" if pair["ci_low"] is None else
                     f"{pair['ci_low']:.3f}–{pair['ci_high']:.3f}", _median_ratio(pair), basis,
                     Text(words, style=_VERDICT_STYLE[verdict])])
    statistics = {pair.get("statistic") or "median" for pair in pairs}
    what = ("run floors (10th-percentile calls)" if statistics == {"floor"} else
            "run medians" if statistics == {"median"} else "run floors or medians")
    return fitted_table(f"Latency: a / b of {what}, CI between runs", headers, body,
                        drop_order=("median a", "median b", "medians a / b (95% CI)", "basis"))


def _median_ratio(pair: dict[str, Any]) -> str:
    if pair.get("median_ratio") is None:
        return "-"
    if pair.get("median_ci_low") is None:
        return f"{pair['median_ratio']:.3f}"
    return f"{pair['median_ratio']:.3f} ({pair['median_ci_low']:.3f}–{pair['median_ci_high']:.3f})"


def _print_outcome(outcome: dict[str, Any], metric: str) -> None:
    ok = outcome["by_score"]
    failed = [r for r in outcome["results"] if r["status"] != "ok"]
    console.print(_results_table(f"Ranked by {metric}", ok + failed, metric))
    _print_notes(ok + failed)
    if outcome["comparison"]:
        console.print(_comparison_table(outcome["comparison"]))
    _print_testbed_notes(outcome)
    if failed:
        err_console.print(Text(f"{len(failed)} model(s) failed: ", style="yellow") + Text(
            ", ".join(f"{r['model_name']} ({r['status']})" for r in failed)))


def _run_with_progress(plan: Any, sink: Any, jobs: int | None,
                       in_process: bool | None = None, **more: Any) -> dict[str, Any]:
    from ..measure.plan import run_plan

    with GridProgress(err_console) as progress:
        return run_plan(plan, sink, progress=progress, jobs=jobs, in_process=in_process,
                        **more)


def _json_safe(outcome: dict[str, Any]) -> str:
    return json.dumps(outcome, indent=2, default=str)


def _sink(store: Any) -> Any:
    from ..benchmark import store_sink

    return None if store is None else store_sink(store)


def _interrupted(stop: Any, store: Any) -> None:
    """Say exactly what an interrupted run kept, then exit 128 + the signal's number."""
    outcome = getattr(stop, "outcome", None)
    if outcome and outcome["results"]:
        _print_outcome(outcome, outcome["results"][0]["metric"])
    where = f" in {store.describe()}" if store is not None else " (not stored)"
    err_console.print(Text(f"{stop.summary()}{where}", style="yellow"))
    if stop.not_measured:
        err_console.print(Text("not measured: " + ", ".join(stop.not_measured)))
    raise typer.Exit(128 + stop.signum)


@app.command()
@handle_errors
def run(
    config: Annotated[Path, typer.Argument(
        help="Run plan (TOML): models by import path, dataset file, metric(s), timing.")],
    jobs: Jobs = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Measure without storing.")] = False,
    in_process: Annotated[bool, typer.Option(
        "--in-process", help="Measure in this process (quick; runs are less independent, "
                             "and a crashing model ends the command).")] = False,
    allow_failures: Annotated[bool, typer.Option(
        "--allow-failures", help="Exit 0 even when a model failed.")] = False,
    as_json: JsonOut = False,
    executor: Annotated[str | None, typer.Option(
        "--executor", help="Where cells run: local (child processes here, the default) or "
                           "ray (each cell a task on a Ray cluster).")] = None,
    address: Annotated[str | None, typer.Option(
        "--address", help="Ray cluster: auto (the one `ray start` made) or ray://HOST:PORT; "
                          "none starts a local Ray.")] = None,
    results: Annotated[str | None, typer.Option(
        "--results", help="With --executor ray, where cells' results go: driver (back here, "
                          "then into the store; the default) or direct (each worker writes "
                          "into the server store itself, through its spool; the password "
                          "from MODELBENCH_DB_PASSWORD in the environment of `ray start` on "
                          "each node).")] = None,
    resume: Annotated[str | None, typer.Option(
        "--resume", help="RUN_ID or 'last': measure only the cells with no stored result "
                         "for that run id, under the same id.")] = None,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="With --resume: also measure again the cells whose stored "
                               "result is a failure (the failed rows are replaced).")] = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Measure the models of a run plan, store results and samples, print a ranked table.

    A plan names a [dataset] (path to .csv/.jsonl/.npy/.npz, inputs = column(s),
    labels = column), [[models]] (name, version, target = "package.module:callable" or
    kind = sklearn/onnx/torch/transformers with its options, env = {NAME = "value"}),
    and optionally [run] (task_type, metric or metrics, jobs, timeout, python_path,
    batch_sizes, threads, providers, device, dtype, in_process, pass_env, margin) and
    [timing] (runs, min_time,
    min_calls, warmup_calls, warmup_time, max_time, batch_size, precision).
    Paths are relative to the plan; its folder is on the import path. A plan with a
    [scenario] table and endpoint = URL models is a serving plan (TTFT/TPOT/ITL/E2E per
    cell, as `modelbench serve`).

    Each model is measured in several runs (5 by default), each in a fresh process with a
    timeout, interleaved across the models; each result is stored as soon as it is
    measured. Exit code 1 when a model failed (unless --allow-failures) or a result could
    not be stored; 128+N when stopped by signal N (what was measured is kept).
    """
    from ..measure.plan import load_plan
    from ..measure.schedule import MeasurementInterrupted

    plan = load_plan(config)
    store = None if no_store else open_store(db_type, db_path, host, port, user, password,
                                             database)
    if not hasattr(plan, "metrics"):  # a serving plan: endpoints under load scenarios
        from .serve_cmds import run_serving_plan_command

        if resume is not None or executor not in (None, "local") or results is not None:
            raise ValidationError("--resume, --executor and --results apply to model plans, "
                                  "not to a serving plan", hint="run the serving plan without "
                                                               "them")

        run_serving_plan_command(plan, store, as_json)
        return
    direct = (results or plan.results) == "direct"
    resumed, sink = _resumed(plan, store, resume, retry_failed, direct=direct)
    try:
        outcome = _run_with_progress(plan, sink, jobs, in_process or None,
                                     executor=executor, address=address, results=results,
                                     **resumed)
        if resumed:
            _add_earlier(outcome, store, resumed, plan.metrics[0])
    except MeasurementInterrupted as stop:
        _interrupted(stop, store)
    finally:
        if store is not None:
            store.close()
    if as_json:
        console.print_json(_json_safe(outcome))
    else:
        _print_outcome(outcome, plan.metrics[0])
        where = f" in {store.describe()}" if store is not None else " (not stored)"
        stored = sum(1 for r in outcome["results"] for x in [r, *r.get("metric_results", [])]
                     if x.get("stored"))
        console.print(Text(f"{stored} result(s) stored{where}; "
                           f"run id {outcome['plan']['run_id']}"))
    _exit_code(outcome, store is not None, allow_failures)


def _resumed(plan: Any, store: Any, resume: str | None, retry_failed: bool, *,
             direct: bool = False) -> tuple[dict[str, Any], Any]:
    """``run_plan``'s ``run_id``/``done`` for ``--resume`` (empty without), and the sink:
    with ``--retry-failed``, one that replaces the failed rows of the cells measured again
    (with ``direct`` results the workers write, so those rows are deleted before any
    cell is measured: a stop in between leaves the cells empty, for the next resume)."""
    if resume is None:
        if retry_failed:
            raise ValidationError("--retry-failed needs --resume RUN_ID (or last)")
        return {}, _sink(store)
    if store is None:
        raise ValidationError("--resume needs the store the run wrote to",
                              hint="leave out --no-store")
    from ..analysis.resume import ReplacingSink, failed_cells, resume_state
    from ..measure.plan import plan_cell_keys

    run_id, done = resume_state(store, resume, plan_cell_keys(plan), dataset=plan.dataset.name)
    retry = failed_cells(store, run_id) if retry_failed else {}
    done = set(done) - set(retry)
    again = f", {len({k for k, _ in retry})} failed cell(s) measured again" if retry else ""
    err_console.print(Text(f"resuming run {run_id}: {len({k for k, _ in done})} cell(s) "
                           f"already stored are not measured again{again}"))
    sink = ReplacingSink(_sink(store), store, retry) if retry else _sink(store)
    if retry and direct:
        sink.delete_now()
        sink = sink.sink
    return {"run_id": run_id, "done": done}, sink


def _add_earlier(outcome: dict[str, Any], store: Any, resumed: dict[str, Any],
                 metric: str) -> None:
    """The cells earlier passes of the run stored, ranked with this pass's
    (:func:`~modelbench.analysis.resume.add_earlier`)."""
    from ..analysis.resume import add_earlier

    outcome["plan"]["stored_earlier"] = add_earlier(outcome, store, resumed["run_id"],
                                                    resumed["done"], metric)


def _exit_code(outcome: dict[str, Any], storing: bool, allow_failures: bool) -> None:
    if storing and outcome.get("not_stored"):
        err_console.print(Text(f"{outcome['not_stored']} result(s) were not stored (see the "
                               "warnings above)", style="red"))
        _say_where_kept(outcome["results"])
        raise typer.Exit(1)
    if outcome["failed"] and not allow_failures:
        raise typer.Exit(1)


def _say_where_kept(rows: list[dict[str, Any]]) -> None:
    """Name the spool files holding what the store could not take, and what is nowhere."""
    every = [x for r in rows for x in [r, *(r.get("metric_results") or [])]]
    failed = [x for x in every if not x.get("stored") or x.get("store_error")]
    for path in sorted({_kept_in(x) for x in failed if _kept_in(x)}):
        err_console.print(Text(f"kept in {path}; written on the next `modelbench setup` (or "
                               "run) there that reaches the store"))
    lost = [x.get("model_name", "?") for x in failed if not _kept_in(x)]
    if lost:
        err_console.print(Text("NOT kept anywhere (the spool could not be written either): "
                               + ", ".join(lost) + "; the table above is all that is left"))


def _kept_in(row: dict[str, Any]) -> str:
    """Where a result not stored waits: the driver's spool file, else its worker's
    (``NODE:PATH``, with ``--results direct``); ``""``: nowhere.

    >>> _kept_in({"worker": {"spool_path": "/s/x.jsonl"}, "extra": {"node": "n1"}})
    'n1:/s/x.jsonl'
    """
    worker = row.get("worker") or {}
    if row.get("spool_path") or not worker.get("spool_path"):
        return row.get("spool_path") or ""
    return f"{(row.get('extra') or {}).get('node', '?')}:{worker['spool_path']}"


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
    margin: Margin = 0.02,
    across_testbeds: Annotated[bool, typer.Option(
        "--across-testbeds", help="Also give verdicts between results of different testbeds "
                                  "(machines or fingerprints).")] = False,
    as_json: JsonOut = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Compare 2+ models on one task/dataset/metric: scores, and a latency verdict per pair
    from the stored samples, run against run: faster, slower, same (within ±2 %) or
    inconclusive.

    Uses the latest stored ok result of each model; --config runs a plan fresh first.
    """
    from ..analysis.compare import compare_stored

    store = open_store(db_type, db_path, host, port, user, password, database,
                       must_exist=config is None)  # only --config writes
    fresh: dict[str, Any] = {"results": []}
    with store:
        names = list(models or [])
        if config is not None:
            from ..measure.plan import load_plan

            plan = load_plan(config)
            fresh = _run_with_progress(plan, _sink(store), jobs)
            task = task or plan.task_type or None
            dataset = dataset or plan.dataset.name
            metric = metric or plan.metrics[0]
            names = names or [r["model_name"] for r in fresh["results"] if r["status"] == "ok"]
        if not (task or dataset or metric or names):
            raise ValidationError("say what to compare",
                                  hint="give --task/--dataset/--metric, --model (repeat) "
                                       "or --config PLAN.toml")
        outcome = compare_stored(store, task=task, dataset=dataset, metric=metric,
                                 models=names, alpha=alpha, margin=margin,
                                 across_testbeds=across_testbeds)
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
    _print_testbed_notes(outcome)
    if outcome["without_samples"]:
        console.print(Text("no latency samples stored for: "
                           + ", ".join(outcome["without_samples"])))
    if fresh.get("not_stored"):
        err_console.print(Text(f"{fresh['not_stored']} freshly measured result(s) were not "
                               "stored", style="red"))
        _say_where_kept(fresh["results"])
        raise typer.Exit(1)
