"""``modelbench serve URL --model NAME``: streamed LLM latency under load, one table per cell.

Cells: ``--concurrency 1,4,16`` (closed loop), ``--rate 5,10 --arrival poisson`` (open loop,
with ``--max-concurrency``), ``--offline``, or single-stream when none is given.
``--find-peak`` searches the highest concurrency (or rate, when ``--rate`` is given) whose
goodput meets ``--goodput-target`` under ``--slo``. The API key is read from the variable
named by ``--api-key-env`` (default ``OPENAI_API_KEY``); it is never printed or stored.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.text import Text

from ..errors import ValidationError
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


def _int_list(text: str | None, what: str) -> list[int]:
    if not text:
        return []
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise ValidationError(f"{what} {text!r} is not a comma-separated list of integers",
                              hint=f"e.g. --{what} 1,4,16") from exc
    if any(v < 1 for v in values):
        raise ValidationError(f"{what} values must be >= 1")
    return values


def _float_list(text: str | None, what: str) -> list[float]:
    if not text:
        return []
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise ValidationError(f"{what} {text!r} is not a comma-separated list of numbers") from exc
    if any(v <= 0 for v in values):
        raise ValidationError(f"{what} values must be > 0")
    return values


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}g}" if isinstance(value, float) else str(value)


def _cell_table(result: Any) -> Any:
    headers = ["series", "n", "median", "p90", "p99", "mean", "min", "max"]
    rows = []
    for name in ("ttft", "tpot", "itl", "e2e"):
        stats = result.series_stats.get(name)
        if not stats:
            continue
        rows.append([name, str(stats["n_samples"])] + [
            format_duration(stats[k]) for k in ("median_ms", "p90_ms", "p99_ms", "mean_ms",
                                                  "min_ms", "max_ms")])
    title = f"{result.model_name} · {result.extra.get('scenario', '')}"
    return fitted_table(title, headers, rows, drop_order=("min", "max", "mean", "p90"))


def _cell_summary(result: Any) -> Text:
    e = result.extra
    parts = [f"requests {e['requests_ok']}/{e['requests_total']} ok",
             f"{_fmt(e['requests_per_s'], 3)} req/s",
             f"{_fmt(e['output_tokens_per_s'], 4)} output tok/s"
             + (" (estimated tokens)" if e.get("tokens_estimated") else "")]
    if e.get("goodput") is not None:
        parts.append(f"goodput {e['goodput']:.1%}")
    parts.append(f"errors {e['error_rate']:.1%}")
    if e.get("schedule_lag_ms"):
        parts.append(f"schedule lag p99 {format_duration(e['schedule_lag_ms']['p99'])}")
    if result.metric and result.metric != "goodput" and result.score is not None:
        parts.append(f"{result.metric} {result.score:.3f}")
    style = "red" if result.status != "ok" else ""
    return Text(" · ".join(parts), style=style)


def _store(measurements: list[Any], store_options: dict[str, Any]) -> int:
    """Through ingest's sink, as every measured result: samples per series, item results,
    store failures spooled or reported. Returns how many results were stored."""
    from ..ingest import StoreSink

    db = open_store(**store_options)
    try:
        sink = StoreSink(db)
        return sum(bool(sink(m).get("stored")) for m in measurements)
    finally:
        db.close()


def _print_cells(measurements: list[Any]) -> None:
    for m in measurements:
        console.print(_cell_table(m.result))
        console.print(_cell_summary(m.result), highlight=False)
        for warning in m.result.warnings:
            err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)


def run_serving_plan_command(plan: Any, store: Any, as_json: bool) -> None:
    """``modelbench run`` of a serving plan: measure, store each cell through ingest, print.
    Exit 1 when a cell failed or was not stored."""
    from ..ingest import StoreSink
    from ..measure.serving.plan import run_serving_plan

    try:
        outcome = run_serving_plan(plan, None if store is None else StoreSink(store))
    finally:
        if store is not None:
            store.close()
    measurements = outcome["measurements"]
    if as_json:
        console.print_json(json.dumps({"results": [m.result.to_dict() for m in measurements],
                                       "peaks": outcome["peaks"]}, default=str))
    else:
        _print_cells(measurements)
        for name, peak in outcome["peaks"].items():
            value = "no load met the SLOs" if peak["value"] is None else f"{peak['value']:g}"
            console.print(f"{name}: peak {peak['axis']} meeting the SLOs: {value}",
                          highlight=False)
        where = f" in {store.describe()}" if store is not None else " (not stored)"
        err_console.print(f"{outcome['stored']} of {len(measurements)} serving result(s) "
                          f"stored{where}")
    failed = any(m.result.status != "ok" for m in measurements)
    if failed or (store is not None and outcome["stored"] < len(measurements)):
        raise typer.Exit(1)


@app.command("serve")
@handle_errors
def serve_command(
    url: Annotated[str, typer.Argument(help="Server base URL (…/v1 is added) or full route.")],
    model: Annotated[str, typer.Option("--model", "-m", help="Model name sent to the server.")],
    api: Annotated[str, typer.Option(help="chat or completions.")] = "chat",
    concurrency: Annotated[str | None, typer.Option(
        help="Closed-loop concurrency levels, e.g. 1,4,16.")] = None,
    rate: Annotated[str | None, typer.Option(help="Open-loop request rates (req/s).")] = None,
    arrival: Annotated[str, typer.Option(help="constant, poisson or gamma.")] = "poisson",
    burstiness: Annotated[float, typer.Option(help="Gamma shape (<1 burstier).")] = 1.0,
    max_concurrency: Annotated[int | None, typer.Option(
        help="Cap on requests in flight in open-loop/offline cells.")] = None,
    offline: Annotated[bool, typer.Option(help="Add an offline cell (all at once).")] = False,
    requests: Annotated[int, typer.Option(min=1, help="Measured requests per run.")] = 32,
    warmup: Annotated[int | None, typer.Option(
        help="Warm-up requests (default: as many as in flight).")] = None,
    runs: Annotated[int, typer.Option(min=1, help="Independent runs per cell.")] = 1,
    prompts: Annotated[str | None, typer.Option(
        help="JSONL/CSV prompts (optional references).")] = None,
    score: Annotated[str, typer.Option(
        help="How references are scored: exact, contains or a metric name.")] = "exact",
    input_tokens: Annotated[int, typer.Option(help="Synthetic prompt length (words).")] = 128,
    output_tokens: Annotated[int, typer.Option(help="max_tokens per request.")] = 128,
    ignore_eos: Annotated[bool, typer.Option(
        help="Ask vLLM/SGLang to generate exactly max_tokens.")] = False,
    slo: Annotated[str | None, typer.Option(help="e.g. ttft_ms=500,tpot_ms=50.")] = None,
    find_peak: Annotated[bool, typer.Option(
        "--find-peak", help="Search the highest load meeting the SLOs.")] = False,
    goodput_target: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Share of requests that must meet the SLOs.")] = 0.95,
    driver: Annotated[str, typer.Option(help="thread or asyncio.")] = "thread",
    realtime: Annotated[bool, typer.Option(
        help="Open loop: send from a process at real-time priority (SCHED_FIFO where the "
             "kernel allows; p99 schedule lag under 1 ms on a loaded machine).")] = False,
    api_key_env: Annotated[str, typer.Option(
        help="Environment variable holding the API key.")] = "OPENAI_API_KEY",
    retries: Annotated[int, typer.Option(min=0, help="Re-sends after HTTP 429.")] = 0,
    timeout: Annotated[float, typer.Option(help="Per-request timeout, seconds.")] = 300.0,
    seed: Annotated[int, typer.Option(help="Seed for arrivals and prompt order.")] = 0,
    store: Annotated[bool, typer.Option("--store", help="Store the results.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Measure TTFT, TPOT, ITL, E2E, throughput and goodput of an OpenAI-compatible server."""
    from ..measure.serving import (
        Endpoint,
        EndpointTarget,
        Scenario,
        load_prompts,
        measure_scenario,
        parse_slo,
        synthetic_prompts,
    )
    from ..measure.serving import find_peak as search_peak

    slo_values = parse_slo(slo)
    levels = _int_list(concurrency, "concurrency")
    rates = _float_list(rate, "rate")
    prompt_set = load_prompts(prompts, scoring=score) if prompts else synthetic_prompts(
        max(requests, 8), input_tokens=input_tokens, output_tokens=output_tokens, seed=seed)
    common = dict(requests=requests, warmup=warmup, runs=runs, seed=seed, arrival=arrival,
                  burstiness=burstiness, max_concurrency=max_concurrency, realtime=realtime)
    cells = [Scenario(kind="concurrency", concurrency=c, **common) for c in levels]
    cells += [Scenario(kind="rate", rate=r, **common) for r in rates]
    if offline:
        cells.append(Scenario(kind="offline", **common))
    if not cells:
        cells = [Scenario(kind="single-stream", **common)]
    target = EndpointTarget(Endpoint(url, model, api=api, api_key_env=api_key_env,
                                     max_tokens=output_tokens, ignore_eos=ignore_eos,
                                     timeout_s=timeout, retries=retries))
    try:
        if find_peak:
            axis = "rate" if rates else "concurrency"
            start = (rates[0] if rates else (levels[0] if levels else 1))
            peak = search_peak(target, prompt_set, cells[0], slo_values, axis=axis, start=start,
                               goodput_target=goodput_target, driver=driver)
            measurements = peak.measurements
        else:
            measurements = [measure_scenario(target, prompt_set, cell, slo=slo_values,
                                             driver=driver) for cell in cells]
    finally:
        target.close()
    if json_out:
        out: dict[str, Any] = {"results": [m.result.to_dict() for m in measurements]}
        if find_peak:
            out["peak"] = {"axis": peak.axis, "value": peak.value}
        console.print_json(json.dumps(out, default=str))
    else:
        _print_cells(measurements)
        if find_peak:
            verdict = "no load met the SLOs" if peak.value is None else \
                f"peak {peak.axis} meeting the SLOs at goodput ≥ {goodput_target:.0%}: " \
                f"{peak.value:g}"
            console.print(verdict, highlight=False)
    if store:
        n = _store(measurements, dict(db_type=db_type, db_path=db_path, host=host, port=port,
                                      user=user, password=password, database=database))
        err_console.print(f"stored {n} of {len(measurements)} result(s) with their "
                          "ttft/tpot/itl/e2e samples")
        if n < len(measurements):
            raise typer.Exit(1)
