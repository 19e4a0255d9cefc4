"""Settings from flags, environment variables and an optional TOML file.

Precedence: command-line flag > environment (``MODELBENCH_*``) > config file > default.
The config file is ``modelbench.toml`` in the working directory, or the path in
``MODELBENCH_CONFIG``; its ``[database]`` table takes the same keys as the flags.
Passwords come only from flags or the environment, never from the file, and are never printed.

Example:
    >>> kind, opts = store_options(db_type="sqlite", path=":memory:")
    >>> kind, opts["path"]
    ('sqlite', ':memory:')
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import ConfigError

__all__ = ["store_options", "load_config_file", "DEFAULT_SQLITE_PATH", "redact_url"]

DEFAULT_SQLITE_PATH = "data/benchmarks.db"
_DB_KEYS = {"db_type", "path", "host", "port", "user", "database", "url", "secure"}
_SCHEMES = {"sqlite": "sqlite", "clickhouse": "clickhouse", "chdb": "clickhouse",
            "postgres": "timescaledb", "postgresql": "timescaledb", "timescaledb": "timescaledb"}


def load_config_file(path: str | Path | None = None) -> dict[str, Any]:
    """The parsed config file, or ``{}`` when there is none. Unknown keys are an error."""
    candidate = Path(path or os.environ.get("MODELBENCH_CONFIG") or "modelbench.toml")
    if not candidate.is_file():
        if path or os.environ.get("MODELBENCH_CONFIG"):
            raise ConfigError(f"config file {candidate} does not exist",
                              hint="fix MODELBENCH_CONFIG or create the file")
        return {}
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{candidate}: {exc}", hint="fix the TOML syntax") from exc
    database = data.get("database", {})
    unknown = set(database) - _DB_KEYS
    if "password" in database:
        raise ConfigError(f"{candidate}: passwords are not read from files",
                          hint="set MODELBENCH_DB_PASSWORD instead")
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ConfigError(f"{candidate}: unknown key(s) in [database]: {names}",
                          hint=f"known keys: {', '.join(sorted(_DB_KEYS))}")
    return data


def parse_db_url(url: str) -> tuple[str, dict[str, Any]]:
    """``postgresql://user:pw@host:5432/db`` -> ``("timescaledb", {...})``.

    >>> parse_db_url("clickhouse://default@127.0.0.1:8123/bench")[0]
    'clickhouse'
    >>> parse_db_url("sqlite:///tmp/x.db")[1]["path"]
    '/tmp/x.db'
    """
    parsed = urlparse(url)
    kind = _SCHEMES.get(parsed.scheme.split("+")[0])
    if kind is None:
        raise ConfigError(f"database URL scheme {parsed.scheme!r} is not supported",
                          hint="use sqlite://, clickhouse://, chdb:// or postgresql://")
    if kind == "sqlite" or parsed.scheme == "chdb":
        return kind, {"path": unquote(parsed.path) or None}
    options: dict[str, Any] = {"host": parsed.hostname, "port": parsed.port,
                               "user": unquote(parsed.username) if parsed.username else None,
                               "password": unquote(parsed.password) if parsed.password else None,
                               "database": parsed.path.lstrip("/") or None}
    return kind, options


def redact_url(url: str) -> str:
    """A URL safe to print: the password replaced by ``***``.

    >>> redact_url("postgresql://u:secret@h/db")
    'postgresql://u:***@h/db'
    """
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return url


def store_options(*, db_type: str | None = None, **flags: Any) -> tuple[str, dict[str, Any]]:
    """Resolve the backend and its options from flags, environment and config file."""
    file_db = dict(load_config_file().get("database", {}))
    env_url = os.environ.get("MODELBENCH_DB_URL") or file_db.pop("url", None)
    kind = db_type or os.environ.get("MODELBENCH_DB_TYPE") or file_db.pop("db_type", None)
    options: dict[str, Any] = {}
    if env_url:
        url_kind, options = parse_db_url(env_url)
        kind = kind or url_kind
    kind = (kind or "sqlite").lower()
    for key, value in file_db.items():
        if key not in ("db_type", "url"):
            options.setdefault(key, value)
    env = {k: os.environ.get(f"MODELBENCH_DB_{k.upper()}") for k in
           ("host", "port", "user", "password", "database", "path")}
    for key, value in env.items():
        if value:
            options[key] = int(value) if key == "port" else value
    for key, value in flags.items():
        if value is not None:
            options[key] = value
    options = {k: v for k, v in options.items() if v is not None}
    if kind == "sqlite":
        options = {"path": options.get("path", DEFAULT_SQLITE_PATH)}
    return kind, options


def check_keys(table: dict[str, Any], known: set[str], where: str, source: Path) -> None:
    """Raise :class:`ConfigError` for a key of a TOML ``table`` not in ``known``, naming the
    closest known key.

    >>> try:
    ...     check_keys({"runz": 1}, {"runs"}, "[timing]", Path("p.toml"))
    ... except ConfigError as exc:
    ...     print(exc.message, "/", exc.hint)
    p.toml: unknown key 'runz' in [timing] / did you mean 'runs'?
    """
    import difflib

    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else \
                f"known keys in {where}: {', '.join(sorted(known))}"
            raise ConfigError(f"{source}: unknown key '{key}' in {where}", hint=hint)
