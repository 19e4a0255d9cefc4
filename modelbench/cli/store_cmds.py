"""Store commands: export, import (move data between stores) and db start|stop|status.

    modelbench export --format parquet --output backup/ [filters] [db options]
    modelbench import backup/ --db-type timescaledb --host 127.0.0.1 --port 55433 ...
    modelbench db start            # local PostgreSQL 15 and TimescaleDB for development
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import ConfigError
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
    handle_errors,
    open_store,
)
from .core import _parse_time

SERVICES = ("postgres", "timescaledb")


@app.command("export")
@handle_errors
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help=(
        "Folder for parquet (every table); file for csv/json (results), or - for stdout."))],
    fmt: Annotated[str, typer.Option("--format", "-f", help="parquet, csv or json.")] = "parquet",
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model name.")] = None,
    task: Annotated[str | None, typer.Option("--task", "-t", help="Task type.")] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", "-d", help="Dataset.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Metric name.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Result source.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Substring.")] = None,
    since: Annotated[str | None, typer.Option(help="Only results at or after (ISO time).")] = None,
    until: Annotated[str | None, typer.Option(help="Only results before (ISO time).")] = None,
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Export results (csv/json) or the whole store (parquet: results, samples, metadata)."""
    from ..store.transfer import check_format, export_store

    check_format(fmt)  # before looking for the store: the first mistake is named first
    flt = ResultFilter(model_name=model, task_type=task, dataset=dataset, metric=metric,
                       source=source, search=search, since=_parse_time(since),
                       until=_parse_time(until))
    with open_store(db_type, db_path, host, port, user, password, database,
                    must_exist=True) as store:
        counts = export_store(store, output, fmt, flt if flt.active() else None)
        where = store.describe()
    summary = ", ".join(f"{n} {table}" for table, n in counts.items())
    # With -o - stdout carries the data, so the summary goes to stderr.
    out = err_console if str(output) == "-" else console
    out.print(f"[green]exported[/] {summary} from {escape(where)} to "
              f"{'stdout' if str(output) == '-' else escape(str(output))}", highlight=False)


@app.command("import")
@handle_errors
def import_cmd(
    path: Annotated[Path, typer.Argument(
        help="A parquet export folder, or a JSON or CSV results file.")],
    db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
    user: User = None, password: Password = None, database: Database = None,
) -> None:
    """Import an export into this store, through ingest: results are validated, put on
    their metric's canonical scale and de-duplicated on their natural key (a result already
    stored, under any id, is skipped, and so are its samples)."""
    from ..ingest import Ingestor
    from ..store.transfer import import_store

    with open_store(db_type, db_path, host, port, user, password, database) as store:
        report = import_store(store, path, ingest=Ingestor(store).add)
        where = store.describe()
    table = Table("table", "stored", "duplicates (already stored)", "invalid (skipped)",
                  title=f"into {escape(where)}", title_justify="left")
    for name, counts in report.items():
        table.add_row(name, str(counts["written"]), str(counts["skipped"]),
                      str(counts.get("rejected", 0)) if name == "model_benchmarks" else "")
    console.print(table)
    rejected = sum(counts.get("rejected", 0) for counts in report.values())
    if rejected:
        err_console.print(f"[yellow]warning:[/] {rejected} result(s) had invalid values and "
                          "were not imported (see the log for which)", highlight=False)


db_app = typer.Typer(help="Local database servers for development (PostgreSQL 15, TimescaleDB).",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")

Service = Annotated[str, typer.Argument(help="postgres, timescaledb or all.")]


STOPPED = 3  # the scripts' (and systemctl's) exit status for "not running"


def service_scripts(start: Path | None = None) -> Path:
    """The ``scripts/services`` folder of the checkout holding ``start`` (default: the current
    directory), else of the checkout this package runs from.

    The servers belong to a checkout (their data lives in its ``.services/``), so from another
    clone ``db stop`` must stop that clone's servers, not those of the clone it was installed from.

    >>> service_scripts(Path(__file__)).name
    'services'
    """
    here = (start or Path.cwd()).resolve()
    package_checkout = Path(__file__).resolve().parents[2]
    for folder in (here, *here.parents, package_checkout):
        scripts = folder / "scripts" / "services"
        if (scripts / "postgres.sh").is_file() and (folder / "modelbench").is_dir():
            return scripts
    raise ConfigError("the service scripts (scripts/services/) are not here",
                      hint="run from a clone of the modelbench repository")


def _run_service(action: str, service: str) -> None:
    names = SERVICES if service == "all" else (service,)
    if any(name not in SERVICES for name in names):
        raise ConfigError(f"unknown service {service!r}", hint="postgres, timescaledb or all")
    scripts = service_scripts()
    console.print(f"scripts: {scripts}", style="dim", highlight=False)
    codes = []
    for name in names:
        done = subprocess.run([str(scripts / f"{name}.sh"), action], capture_output=True,
                              text=True, check=False)
        console.print((done.stdout + done.stderr).strip(), highlight=False)
        codes.append(done.returncode)
    if any(code not in (0, STOPPED) for code in codes):
        raise typer.Exit(1)
    if STOPPED in codes:  # `status`: not every server runs
        raise typer.Exit(STOPPED)


@db_app.command("start")
@handle_errors
def db_start(service: Service = "all") -> None:
    """Start the servers (first TimescaleDB start builds a Debian root: ~1 minute, root only)."""
    _run_service("start", service)


@db_app.command("stop")
@handle_errors
def db_stop(service: Service = "all") -> None:
    """Stop the servers."""
    _run_service("stop", service)


@db_app.command("status")
@handle_errors
def db_status(service: Service = "all") -> None:
    """Say which servers run, and the URL to use (exit 3 when one is stopped)."""
    _run_service("status", service)
