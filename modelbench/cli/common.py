"""Options and helpers shared by every CLI command: database selection, errors, output.

Every command that touches a store takes the same options (the seed's ``--db-type --host
--port --user --password --database --db-path``); :func:`open_store` turns them into a
:class:`~modelbench.store.base.DatabaseManager`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console, RenderableType
from rich.markup import escape
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ..errors import ModelBenchError, StoreError
from ..store import DatabaseManager
from ..text import plain


class PlainConsole(Console):
    r"""A Rich console that never lets data write control characters to the terminal.

    Every text segment is passed through :func:`modelbench.text.plain` on its way out, so
    an escape sequence in a stored name or a page cell cannot clear the screen, set the
    title or make a link, whichever command prints it. Rich's own styling is not text (it
    is rendered from the segment's style), so colours still work.

    >>> from io import StringIO
    >>> out = StringIO()
    >>> PlainConsole(file=out, force_terminal=False).print(Text("bert\x1b[2J\x1b]0;x\x07"))
    >>> out.getvalue()
    'bert\n'
    """

    def render(self, renderable: RenderableType, options: Any = None) -> Any:
        for segment in super().render(renderable, options):
            if segment.control or segment.text.isprintable():
                yield segment
            else:
                yield Segment(plain(segment.text, keep_newlines=True), segment.style)


def safe_text(value: object, style: str = "") -> Text:
    r"""``value`` as a plain-text cell: no markup, no control characters.

    >>> safe_text("[/bold] \x1b[31mred").plain
    '[/bold] red'
    """
    return Text(plain(value), style=style)


console = PlainConsole(soft_wrap=True)  # messages are not cut into lines; tables still fit
err_console = PlainConsole(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])

DbType = Annotated[str | None, typer.Option(
    "--db-type", help="sqlite (default), clickhouse or timescaledb.", envvar="MODELBENCH_DB_TYPE",
    show_envvar=True)]
DbPath = Annotated[str | None, typer.Option(
    "--db-path", "--path", help="SQLite file, or embedded ClickHouse (chdb) data folder.")]
Host = Annotated[str | None, typer.Option("--host", help="Database server host.")]
Port = Annotated[int | None, typer.Option("--port", min=1, max=65535,
                                          help="Database server port.")]
User = Annotated[str | None, typer.Option("--user", help="Database user.")]
Password = Annotated[str | None, typer.Option(
    "--password", help="Database password (prefer the MODELBENCH_DB_PASSWORD variable).",
    envvar="MODELBENCH_DB_PASSWORD", show_default=False)]
Database = Annotated[str | None, typer.Option("--database", help="Database name.")]


def open_store(db_type: str | None = None, db_path: str | None = None, host: str | None = None,
               port: int | None = None, user: str | None = None, password: str | None = None,
               database: str | None = None, *, setup: bool = True,
               must_exist: bool = False) -> DatabaseManager:
    """A store from CLI options, merged with environment and config file settings.

    ``must_exist``: commands that only read pass it, so that a mistyped path or a run from the
    wrong folder says where it looked instead of creating an empty store there.
    """
    from ..config import store_options

    kind, options = store_options(db_type=db_type, path=db_path, host=host, port=port, user=user,
                                  password=password, database=database)
    if must_exist:
        check_store_exists(kind, options)
    from ..store import get_database_manager

    store = get_database_manager(kind, **options)
    if setup:
        store.setup()
    return store


def check_store_exists(kind: str, options: dict[str, Any]) -> None:
    """Raise :class:`StoreError` when an embedded store (SQLite file, chdb folder) is absent.

    Server stores are not checked here: connecting tells.

    >>> check_store_exists("sqlite", {"path": "/nonexistent/x.db"})
    Traceback (most recent call last):
    ...
    modelbench.errors.StoreError: no store at sqlite:/nonexistent/x.db (hint: ...)
    """
    path = options.get("path")
    if options.get("host") or not path or path == ":memory:" or Path(path).exists():
        return
    flag = f" --db-type {kind} --db-path {path}" if kind != "sqlite" else f" --db-path {path}"
    raise StoreError(f"no store at {kind}:{path}",
                     hint=f"create it with `modelbench setup{flag}` (`run`, `collect` and "
                          "`import` also create it), or point --db-path or MODELBENCH_DB_URL "
                          "at an existing store")


#: Optional packages (import names) -> the extra that installs them (pyproject.toml).
EXTRA_OF = {
    **dict.fromkeys(("httpx", "hishel", "protego", "selectolax", "lxml", "huggingface_hub",
                     "playwright", "ijson", "yaml"), "web"),
    **dict.fromkeys(("tesserocr", "cv2", "PIL"), "vision"),
    **dict.fromkeys(("matplotlib", "plotly"), "report"),
    "textual": "tui", "chdb": "clickhouse", "clickhouse_connect": "clickhouse",
    "psycopg": "timescale",
}


def missing_extra_error(exc: ModuleNotFoundError) -> ModelBenchError | None:
    """The named error for an optional package that is not installed, else ``None``.

    >>> print(missing_extra_error(ModuleNotFoundError("No module named 'cv2'", name="cv2")))
    this command needs the package 'cv2' (the vision extra) (hint: pip install 'modelbench[vision]')
    """
    from ..errors import ConfigError

    top = (exc.name or "").split(".")[0]
    extra = EXTRA_OF.get(top)
    if extra is None:
        return None
    return ConfigError(f"this command needs the package {top!r} (the {extra} extra)",
                       hint=f"pip install 'modelbench[{extra}]'")


def handle_errors(func: F) -> F:
    """Print a :class:`ModelBenchError` as one clear message (and its hint); exit code 1.

    An optional package that is missing is named with the extra that installs it.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            try:
                return func(*args, **kwargs)
            except ModuleNotFoundError as missing:
                named = missing_extra_error(missing)
                if named is None:
                    raise
                raise named from missing
        except ModelBenchError as exc:
            # Messages quote user input, pages and extras such as '[report]': never markup.
            err_console.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False)
            if exc.hint:
                err_console.print(f"[yellow]hint:[/] {escape(exc.hint)}", highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; results stored so far are kept")
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


NUMERIC_HEADERS = frozenset({"#", "score", "best", "measured", "published", "results", "n",
                             "median", "FLOPs",
                             "95% CI", "p95", "items/s", "RSS MB", "median a", "median b",
                             "b / a", "p (adj.)", "a / b", "per item", "runs", "setup MB",
                             "model MB",
                             "parameters", "downloads", "likes"})


def fitted_table(title: str, headers: list[str], rows: list[list[str | Text]],
                 drop_order: tuple[str, ...] = ()) -> Table:
    """A Rich table that fits the terminal by dropping whole columns, never cutting names.

    Columns named in ``drop_order`` are dropped first to last until the natural width fits
    ``console.width``; the rest keep their full text (model names are never ellipsised).
    A ``str`` cell is shown as plain text (names from web pages may hold ``[...]``); pass a
    :class:`rich.text.Text` to style a cell.
    """
    cells = [[c if isinstance(c, Text) else safe_text(c) for c in row] for row in rows]
    widths = {h: max([len(h)] + [r[i].cell_len for r in cells]) for i, h in enumerate(headers)}
    keep = list(headers)
    for header in drop_order:
        if sum(widths[h] + 3 for h in keep) + 1 <= console.width:
            break
        if header in keep:
            keep.remove(header)
    table = Table(title=safe_text(title), title_justify="left")  # titles name metrics: data
    for header in keep:
        table.add_column(header, justify="right" if header in NUMERIC_HEADERS else "left",
                         no_wrap=header in NUMERIC_HEADERS or header in ("id", "time"),
                         overflow="fold")
    index = [headers.index(h) for h in keep]
    for row in cells:
        table.add_row(*(row[i] for i in index))
    return table
