"""Storage backends behind one contract (:class:`~modelbench.store.base.DatabaseManager`).

Example:
    >>> from modelbench.store import get_database_manager
    >>> db = get_database_manager("sqlite", path=":memory:")
    >>> db.setup(); db.backend
    'sqlite'
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError
from .base import DatabaseManager, ResultFilter

__all__ = ["get_database_manager", "DatabaseManager", "ResultFilter", "BACKENDS"]

BACKENDS = ("sqlite", "clickhouse", "timescaledb")
_ALIASES = {"postgres": "timescaledb", "postgresql": "timescaledb", "timescale": "timescaledb",
            "chdb": "clickhouse"}


def get_database_manager(db_type: str = "sqlite", **options: Any) -> DatabaseManager:
    """A store for ``db_type`` (``sqlite``, ``clickhouse`` or ``timescaledb``).

    Options are passed to the backend: ``path`` for SQLite (default ``data/benchmarks.db``)
    and embedded ClickHouse; ``host``, ``port``, ``user``, ``password``, ``database`` for
    servers. Options that are ``None`` are dropped, so CLI flags can be passed straight through.
    """
    kind = _ALIASES.get(str(db_type).lower(), str(db_type).lower())
    opts = {k: v for k, v in options.items() if v is not None}
    if kind == "sqlite":
        from .sqlite import SQLiteManager

        if "db_path" in opts:
            opts["path"] = opts.pop("db_path")
        unknown = set(opts) - {"path", "timeout"}
        if unknown:
            raise ConfigError(f"SQLite takes no option(s) {', '.join(sorted(unknown))}",
                              hint="SQLite needs only --db-path")
        return SQLiteManager(**opts)
    if kind == "clickhouse":
        from .clickhouse import ClickHouseManager

        return ClickHouseManager(**opts)
    if kind == "timescaledb":
        from .timescale import TimescaleManager

        return TimescaleManager(**opts)
    raise ConfigError(f"unknown database type {db_type!r}",
                      hint=f"use one of: {', '.join(BACKENDS)}")
