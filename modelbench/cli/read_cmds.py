"""``modelbench read IMAGE``: numbers out of a picture of a results table or a bar chart.

Prints what it read first; stores only with ``--store``, after showing how the values map
to models, datasets and metrics and asking (``--yes`` skips the question). Storing goes
through :mod:`modelbench.ingest`: reading the same image again stores nothing new.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

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

Kind = Annotated[str, typer.Option("--kind", help="table, chart or auto (decide from the image).")]


@app.command("read")
@handle_errors
def read_command(
    image: Annotated[str, typer.Argument(help="PNG/JPEG/... file with a table or a bar chart.")],
    kind: Kind = "auto",
    metric: Annotated[str | None, typer.Option("--metric", help="What the numbers measure, "
                                               "when the header does not say.")] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", help="The dataset, when the "
                                                "header does not say.")] = None,
    task: Annotated[str, typer.Option("--task", help="Task type stored with each result.")] = "",
    models_in: Annotated[str, typer.Option(
        "--models-in", help="Who is the model: rows (row labels / bar labels), columns "
                            "(column headers / legend series) or auto (series for grouped "
                            "bars, else rows).")] = "auto",
    store: Annotated[bool, typer.Option("--store", help="Store the values after showing "
                                        "them and how they map to models, datasets and "
                                        "metrics.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --store: store without "
                                      "asking.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Read a results table or a bar chart from an image; --store saves the values."""
    from ..errors import ConfigError
    from ..vision import ChartResult, read_image, to_benchmark_results

    if models_in not in ("rows", "columns", "auto"):
        raise ConfigError(f"--models-in must be rows, columns or auto, not {models_in!r}",
                          hint="e.g. --models-in columns when each column is a model")
    result = read_image(image, kind=kind)
    values = result.values()
    if as_json:
        console.print_json(json.dumps(_as_json(result), default=str))
    elif isinstance(result, ChartResult):
        _print_chart(result)
    else:
        _print_table(result)
    if not store:
        return
    records = to_benchmark_results(values, source_path=image, metric=metric or "",
                                   dataset=dataset or "", task=task, models_in=models_in,
                                   engine=result.engine)
    if not records:
        console.print("[yellow]nothing to store: no values were read[/]")
        return
    _print_mapping(records, models_in)
    if not yes and not typer.confirm(f"Store these {len(records)} values?", default=True,
                                     err=True):
        err_console.print("nothing stored")
        raise typer.Exit(1)
    from ..ingest import ingest

    with open_store(db_type, db_path, host, port, user, password, database) as with_store:
        report = ingest(with_store, records)
        where = with_store.describe()
    for record, reason in report.skipped[:5]:
        err_console.print(Text(f"skipped: {record.model_name} {record.metric}: {reason}"),
                          style="yellow")
    console.print(Text(f"{report.summary(where)} (from {image}, source=image)"))


def _print_mapping(records: list, models_in: str, rows: int = 8) -> None:
    """How the values become results: model, dataset, metric of each (first rows), so a
    wrong reading of rows/columns is seen before anything is stored."""
    from ..metrics import info

    table = Table("model", "dataset", "metric", "value", "printed", "confidence",
                  title=f"{len(records)} values -> results (models in {models_in})")
    for record in records[:rows]:  # names read from an image: plain text, never markup
        table.add_row(Text(record.model_name), Text(record.dataset), Text(record.metric),
                      f"{record.score:g}", Text(str(record.extra.get("text") or "")),
                      f"{record.confidence:.2f}" if record.confidence is not None else "-")
    console.print(table)
    guessed = sorted({r.metric for r in records if info(r.metric).guessed})
    if guessed:
        console.print(Text(f"direction guessed from the name for: {', '.join(guessed)}"),
                      style="yellow")
    console.print("change the mapping with --models-in rows|columns, --dataset, --metric")


def _as_json(result) -> dict:
    from ..vision import ChartResult

    if isinstance(result, ChartResult):
        return {"kind": "chart", "orientation": result.orientation, "layout": result.layout,
                "series": result.series, "bars": [v.to_dict() for v in result.bars],
                "axis": None if result.axis is None else {
                    "slope": result.axis.slope, "intercept": result.axis.intercept,
                    "ticks": result.axis.ticks},
                "notes": result.notes, "seconds": round(result.seconds, 3)}
    return {"kind": "table", "header": result.header, "rows": result.texts(),
            "section_rows": result.section_rows,
            "bold": [[c.row, c.col] for row in result.rows for c in row if c.bold],
            "underlined": [[c.row, c.col] for row in result.rows for c in row if c.underlined],
            "values": [v.to_dict() for v in result.values()],
            "seconds": round(result.seconds, 3)}


def _print_table(result) -> None:
    from rich.markup import escape

    table = Table(*[escape(h) for h in result.header],
                  title=f"{escape(result.source)} (table, {result.seconds:.2f} s)")
    for index, row in enumerate(result.rows):
        if index in result.section_rows:
            table.add_row(f"[italic]{escape(row[0].text)}[/]", *[""] * (len(row) - 1))
            continue
        cells = []
        for cell in row:
            text = escape(cell.text)
            if cell.bold:
                text = f"[bold]{text}[/]"
            if cell.underlined:
                text = f"[underline]{text}[/]"
            if cell.is_numeric and cell.confidence < 0.7:
                text = f"[yellow]{text}[/]"
            cells.append(text)
        table.add_row(*cells)
    console.print(table)
    console.print("bold / underlined as printed (usually best / second best); "
                  "yellow = low OCR confidence")


def _print_chart(result) -> None:
    columns = ["label"] + (["series"] if result.layout == "grouped" else []) + [
        "value", "method", "confidence"]
    from rich.markup import escape

    table = Table(*columns, title=f"{escape(result.source)} ({result.orientation} bar chart, "
                                  f"{result.layout}, {result.seconds:.2f} s)")
    for bar in result.bars:
        row = [escape(bar.label)] + ([escape(bar.series)] if result.layout == "grouped" else [])
        row += ["—" if bar.value is None else f"{bar.value:g}", bar.method,
                f"{bar.confidence:.2f}"]
        table.add_row(*row)
    console.print(table)
    for note in result.notes:
        console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
