"""``modelbench report``: an HTML report (and optional PNG plots) from the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

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
    handle_errors,
    open_store,
)


@app.command()
@handle_errors
def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path(
        "reports/report.html"),
    png: Annotated[Path | None, typer.Option(help="Also write PNG plots to this folder.")] = None,
    task: Annotated[str | None, typer.Option("--task", "-t", help="Only this task.")] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", "-d", help="Only this dataset.")
                       ] = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Only this model.")] = None,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Write an HTML report: leaderboards, latency distributions, Pareto fronts, history."""
    from ..report import write_report

    flt = ResultFilter(task_type=task, dataset=dataset, model_name=model)
    with open_store(db_type, db_path, host, port, user, password, database,
                    must_exist=True) as store:
        path = write_report(store, output, flt=flt, png_dir=png)
    size = path.stat().st_size // 1024
    console.print(f"[green]wrote[/] {escape(str(path))} ({size} KiB; opens offline)")
