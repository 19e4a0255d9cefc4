"""``modelbench tui``: the terminal UI over the chosen store."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import app
from .common import Database, DbPath, DbType, Host, Password, Port, User, handle_errors

if TYPE_CHECKING:
    from ..store import DatabaseManager

Tab = Annotated[str, typer.Option(
    "--tab", help="Tab to open first: models, results, tasks or sources.")]


@app.command("tui")
@handle_errors
def tui(db_type: DbType = None, db_path: DbPath = None, host: Host = None, port: Port = None,
        user: User = None, password: Password = None, database: Database = None,
        tab: Tab = "models") -> None:
    """Browse results, leaderboards and sources in the terminal; collect from the web.

    Example: modelbench tui --db-path data/benchmarks.db
    """
    launch(db_type, db_path, host, port, user, password, database, tab=tab)


def launch(db_type: str | None = None, db_path: str | None = None, host: str | None = None,
           port: int | None = None, user: str | None = None, password: str | None = None,
           database: str | None = None, *, tab: str = "models") -> None:
    """Run the app on the store these options name (the store opens inside the app, so a
    database that cannot be reached gets the app's error screen, not a traceback)."""
    from ..errors import ConfigError

    try:
        from ..tui.app import TABS, run_tui
    except ModuleNotFoundError as exc:
        raise ConfigError("the terminal UI needs Textual",
                          hint="pip install 'modelbench[tui]'") from exc
    if tab not in TABS:
        raise ConfigError(f"unknown tab {tab!r}", hint=f"one of: {', '.join(TABS)}")
    from ..config import store_options

    kind, options = store_options(db_type=db_type, path=db_path, host=host, port=port,
                                  user=user, database=database)
    run_tui(store_opener(db_type, db_path, host, port, user, password, database),
            initial_tab=tab, where=describe_target(kind, options))


def store_opener(*options: Any) -> Callable[[], DatabaseManager]:
    """What the app calls to open the store these CLI options name. The UI reads, and its
    collect dialog writes into a store that exists: a missing one is an error screen that
    names it, never a new empty store (or folder)."""
    from .common import open_store

    return lambda: open_store(*options, must_exist=True)


def describe_target(kind: str, options: dict[str, object]) -> str:
    """Where the data should be, for the error screen; never the password.

    >>> describe_target("timescaledb", {"host": "db", "port": 5432, "database": "bench",
    ...                                 "password": "secret"})
    'timescaledb: db:5432/bench'
    """
    if options.get("host"):
        port = f":{options['port']}" if options.get("port") else ""
        name = f"/{options['database']}" if options.get("database") else ""
        return f"{kind}: {options['host']}{port}{name}"
    return f"{kind}: {options.get('path') or '(default location)'}"
