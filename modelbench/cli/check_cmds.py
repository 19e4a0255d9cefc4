"""The CI gate and its calibration: ``modelbench check`` and ``modelbench calibrate``.

``check`` exits 0 (pass), 1 (a regression the statistics call real, beyond --max-regression)
or 2 (not comparable: fingerprints differ, no baseline, nothing in common, or an error), so
a CI job can tell "slower" from "could not tell". Logic in :mod:`modelbench.analysis.check`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any
from xml.etree import ElementTree

import typer
from rich.markup import escape
from rich.text import Text

from ..errors import ModelBenchError, ValidationError
from ..numbers import format_duration, parse_number
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

FORMATS = ("table", "md", "json")
_STATUS_STYLE = {"regression": "bold red", "improvement": "green", "unverified": "yellow",
                 "not comparable": "yellow", "new": "cyan", "pass": ""}


def parse_fraction(text: str) -> float:
    """``'5%'`` or ``'0.05'`` -> 0.05; a bare number above 1 is refused (5 % or 500 %?).

    >>> parse_fraction("5%"), parse_fraction("0.1")
    (0.05, 0.1)
    """
    try:
        parsed = parse_number(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError(f"--max-regression {text!r} is not a number",
                              hint="write e.g. 5% or 0.05")
    value = parsed.value / 100 if parsed.percent else parsed.value
    if not parsed.percent and value > 1:
        raise ValidationError(f"--max-regression {text!r} is ambiguous",
                              hint=f"write {text}% or {value / 100:g}")
    if value < 0:
        raise ValidationError(f"--max-regression {text!r} is negative")
    return value


def _value(aspect: str, value: float | None) -> str:
    if value is None:
        return "-"
    if aspect == "latency":
        return format_duration(value)
    if aspect == "memory":
        return f"{value:.1f} MB"
    return f"{value:.4g}"


def _figure(row: dict[str, Any], which: str) -> str:
    """Baseline or candidate value; a latency with its CI of the median as ±%
    (calibrated when a calibration is stored)."""
    text = _value(row["aspect"], row[which])
    interval = row.get(f"{which}_ci")
    if row["aspect"] != "latency" or not interval or not row[which]:
        return text
    return f"{text} ±{(interval[1] - interval[0]) / 2 / row[which]:.1%}"


def _change(row: dict[str, Any]) -> str:
    change, low, high = row["change"], row["ci_low"], row["ci_high"]
    if change is None:
        return "-"
    if row["aspect"] == "score":
        text = f"{change:+.4f}"
        return text + (f" [{low:+.4f}, {high:+.4f}]" if low is not None else "")
    text = f"{change - 1:+.1%}"
    return text + (f" [{low - 1:+.1%}, {high - 1:+.1%}]" if low is not None else "")


def _summary(report: dict[str, Any]) -> str:
    if report["problem"]:
        return f"not comparable: {report['problem']}"
    if report["env_differences"] and not report["allow_env_diff"]:
        return ("not comparable: the environment fingerprints differ in "
                f"{', '.join(sorted(report['env_differences']))} (--allow-env-diff to compare "
                "anyway)")
    count = report["regressions"]
    if count:
        return f"{count} regression(s) beyond {report['max_regression']:.1%}"
    return f"pass: no regression beyond {report['max_regression']:.1%}"


def _header(report: dict[str, Any]) -> str:
    cal = report["calibration"]
    floors = f", of run floors {cal['floor_sd']:.2%}" if cal and cal.get("floor_sd") is not None \
        else ""
    spread = (f"; testbed run-to-run spread of run medians {cal['sd']:.2%}{floors} (calibrated, "
              f"{cal['df']} df)" if cal else
              "; no calibration for this testbed (`modelbench calibrate`)")
    return (f"run {report['candidate_run']} vs baseline {report['baseline_run'] or '-'} "
            f"({report['baseline_spec']}){spread}")


def render_markdown(report: dict[str, Any]) -> str:
    """A PR comment: summary line, then one table row per key and aspect."""
    lines = [f"**modelbench check**: {_summary(report)}", "", _header(report), ""]
    if report["env_differences"]:
        lines += ["| fingerprint field | baseline | candidate |", "|---|---|---|"]
        lines += [f"| {k} | {v[0]} | {v[1]} |" for k, v in report["env_differences"].items()]
        lines.append("")
    if report["rows"]:
        lines += ["| result | aspect | baseline | candidate | change [95% CI] | verdict | status |",
                  "|---|---|---|---|---|---|---|"]
        for row in report["rows"]:
            cells = [row["label"], row["aspect"], _figure(row, "baseline"),
                     _figure(row, "candidate"), _change(row), row["verdict"],
                     f"**{row['status']}**" if row["status"] == "regression" else row["status"]]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def render_junit(report: dict[str, Any]) -> str:
    """JUnit XML: one test case per key and aspect; a regression is a failure, a row that
    could not be compared is skipped; a report that is not comparable is one error."""
    rows = report["rows"]
    suite = ElementTree.Element("testsuite", name="modelbench check", tests=str(max(1, len(rows))))
    failures = skipped = errors = 0
    if not rows or (report["exit_code"] == 2 and not any(r["status"] != "not comparable"
                                                         for r in rows)):
        case = ElementTree.SubElement(suite, "testcase", classname="modelbench.check",
                                      name="comparable")
        ElementTree.SubElement(case, "error", message=_summary(report))
        errors = 1
        rows = []
    for row in rows:
        case = ElementTree.SubElement(suite, "testcase", name=row["label"],
                                      classname=f"modelbench.check.{row['aspect']}")
        detail = (f"{_figure(row, 'baseline')} -> "
                  f"{_figure(row, 'candidate')} ({_change(row)}): {row['reason']}")
        if row["status"] == "regression":
            ElementTree.SubElement(case, "failure", message=f"{row['verdict']}: {detail}")
            failures += 1
        elif row["status"] in ("not comparable", "new", "unverified"):
            ElementTree.SubElement(case, "skipped", message=f"{row['status']}: {detail}")
            skipped += 1
        else:
            ElementTree.SubElement(case, "system-out").text = f"{row['verdict']}: {detail}"
    suite.set("failures", str(failures))
    suite.set("skipped", str(skipped))
    suite.set("errors", str(errors))
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True)


def _print_table(report: dict[str, Any]) -> None:
    console.print(_header(report), highlight=False)
    for name, (before, after) in report["env_differences"].items():
        err_console.print(f"[yellow]fingerprint differs:[/] {escape(name)}: "
                          f"{escape(str(before))} -> {escape(str(after))}", highlight=False)
    if report["rows"]:
        headers = ["result", "aspect", "baseline", "candidate", "change [95% CI]", "verdict",
                   "status", "reason"]
        body = [[row["label"], row["aspect"], _figure(row, "baseline"),
                 _figure(row, "candidate"), _change(row), row["verdict"],
                 Text(row["status"], style=_STATUS_STYLE.get(row["status"], "")), row["reason"]]
                for row in report["rows"]]
        console.print(fitted_table("check", headers, body, drop_order=("reason", "verdict")))
    style = {0: "green", 1: "bold red"}.get(report["exit_code"], "yellow")
    console.print(Text(_summary(report), style=style))


@app.command()
def check(
    baseline: Annotated[str, typer.Option(
        "--baseline", "-b", help="RUN_ID, a git commit, or 'previous' (the newest earlier run "
        "with results in common).")] = "previous",
    run: Annotated[str | None, typer.Option(
        "--run", help="The run to check (default: the latest).")] = None,
    max_regression: Annotated[str, typer.Option(
        "--max-regression", help="Largest tolerated worsening of latency, memory or score, "
        "relative to the baseline: 5% or 0.05.")] = "5%",
    margin: Annotated[float, typer.Option(
        "--margin", min=0.0, help="Latency differences inside ±margin are 'same'.")] = 0.02,
    allow_env_diff: Annotated[bool, typer.Option(
        "--allow-env-diff", help="Compare even when the environment fingerprints differ.")
    ] = False,
    no_calibration: Annotated[bool, typer.Option(
        "--no-calibration", help="Ignore the testbed calibration.")] = False,
    output_format: Annotated[str, typer.Option(
        "--format", help="table, md (a PR comment) or json.")] = "table",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    junit: Annotated[Path | None, typer.Option(
        "--junit", help="Also write JUnit XML to this file.")] = None,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """CI gate: the latest results against a baseline, per model/task/dataset/metric/batch
    size. Exit 0 pass, 1 regression (real and beyond --max-regression), 2 not comparable."""
    from ..analysis.check import check as run_check

    fmt = "json" if as_json else output_format
    try:
        if fmt not in FORMATS:
            raise ValidationError(f"unknown format {fmt!r}", hint="table, md or json")
        limit = parse_fraction(max_regression)
        with open_store(db_type, db_path, host, port, user, password, database) as store:
            report = run_check(store, baseline=baseline, candidate=run, max_regression=limit,
                               margin=margin, allow_env_diff=allow_env_diff,
                               use_calibration=not no_calibration).to_dict()
    except ModelBenchError as exc:  # exit 2, not 1: an error is no evidence of a regression
        err_console.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False)
        if exc.hint:
            err_console.print(f"[yellow]hint:[/] {escape(exc.hint)}", highlight=False)
        raise typer.Exit(2) from None
    if junit is not None:
        junit.write_text(render_junit(report), encoding="utf-8")
    if fmt == "json":
        console.print_json(json.dumps(report, default=str))
    elif fmt == "md":
        print(render_markdown(report), end="")
    else:
        _print_table(report)
    raise typer.Exit(report["exit_code"])


@app.command()
@handle_errors
def calibrate(
    runs: Annotated[int, typer.Option("--runs", min=2, help="Fresh-process runs.")] = 10,
    run_time: Annotated[float, typer.Option(
        "--run-time", min=0.001, help="Seconds of timed calls per run.")] = 0.2,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Measure and store this testbed's run-to-run spread (a reference loop in fresh
    processes); `modelbench check` uses it as the spread of one-run results and as a floor."""
    from ..measure.calibration import calibration_result, measure_spread

    cal = measure_spread(runs=runs, run_time=run_time)
    result = calibration_result(cal)
    with open_store(db_type, db_path, host, port, user, password, database) as store:
        result_id = store.insert_result(result)
        store.insert_samples(result_id, cal.latencies_ns, run_index=cal.run_index)
    summary = {"id": result_id, "env_hash": result.env_hash, "runs": cal.n_runs, "df": cal.df,
               "run_to_run_sd": cal.sd, "floor_sd": cal.floor_sd,
               "median_ms": result.latency.median_ms,
               "wall_per_run_s": cal.wall_per_run_s}
    if as_json:
        console.print_json(json.dumps(summary))
        return
    sd = cal.sd if math.isfinite(cal.sd) else float("nan")
    console.print(f"testbed {result.env_hash}: run-to-run spread of run medians {sd:.2%}, "
                  f"of run floors (what verdicts compare) {cal.floor_sd:.2%}, over {cal.n_runs} "
                  f"runs of {run_time:g} s (reference call "
                  f"{format_duration(result.latency.median_ms)}); stored as {result_id}",
                  highlight=False)
