"""The ``modelbench`` command: a thin face over the library.

Each group of commands lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="modelbench",
    help="Benchmark ML models: speed, memory and quality, compared with statistics "
    "and with published results.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Modules that add commands to `app`. A module whose optional dependencies are missing
# still registers its commands; they say what to install when run.
_COMMAND_MODULES = ("core", "measure_cmds", "store_cmds", "collect_cmds", "read_cmds", "tui_cmd",
                    "report_cmd", "check_cmds")


def _register() -> None:
    for name in _COMMAND_MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise


def main() -> None:
    """Entry point of the ``modelbench`` console script."""
    _register()
    app()
