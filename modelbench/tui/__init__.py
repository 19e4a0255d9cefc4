"""The terminal UI: browse stored results, leaderboards and sources; collect from the web.

Start it with ``modelbench tui [--db-type ... --db-path ...]`` or from Python:

    >>> from modelbench.tui import ModelBenchApp
    >>> from modelbench import get_database_manager
    >>> app = ModelBenchApp(lambda: get_database_manager("sqlite", path=":memory:"))
    >>> # app.run()  # takes over the terminal

Textual is an optional dependency (``pip install modelbench[tui]``); importing this package
without it raises a clear :class:`~modelbench.errors.ConfigError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import ModelBenchApp

__all__ = ["ModelBenchApp", "run_tui"]


def __getattr__(name: str) -> Any:
    # Textual is imported only when the app is asked for, so `data` stays importable without it.
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
