"""Backends for the store contract suite: real engines, started once per session.

* sqlite — a file per test.
* clickhouse — embedded chdb: ONE data folder per test process (chdb locks it), one database
  per test inside it.
* postgres — PostgreSQL 15 (``MODELBENCH_PG_URL``, else started with
  ``scripts/services/postgres.sh start`` when possible); one throwaway database per session,
  tables emptied per test.
* timescaledb — PostgreSQL 17 + TimescaleDB (``MODELBENCH_TIMESCALE_URL``, else started with
  ``scripts/services/timescaledb.sh start`` when its root folder is already built).
* clickhouse_server — only when ``MODELBENCH_CLICKHOUSE_URL`` is set (e.g.
  ``clickhouse://default:pw@127.0.0.1:8123``); one database per test.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest
from conftest import REPO, require

SERVICES = REPO / "scripts" / "services"
# The ClickHouse server run joins only when a server is given (none installs on these machines).
BACKENDS = ("sqlite", "clickhouse", "postgres", "timescaledb") + (
    ("clickhouse_server",) if os.environ.get("MODELBENCH_CLICKHOUSE_URL") else ())
SERVER_BACKENDS = ("postgres", "timescaledb", "clickhouse_server")
_counter = itertools.count()


@dataclass
class Backend:
    """How to open (another) manager on the store under test; options are JSON-safe."""

    name: str
    kind: str
    options: dict[str, Any] = field(default_factory=dict)

    def open(self, **extra: Any) -> Any:
        from modelbench import get_database_manager

        return get_database_manager(self.kind, **{**self.options, **extra})

    @property
    def server(self) -> bool:
        return self.name in SERVER_BACKENDS


def _start_service(script: str, env_var: str) -> tuple[str | None, bool, str]:
    """URL of a running dev server: from the environment, or started by its script."""
    url = os.environ.get(env_var)
    if url:
        return url, False, ""
    path = SERVICES / script
    if os.geteuid() != 0 or not path.is_file():
        return None, False, "not root"
    if script == "timescaledb.sh" and not (REPO / ".services/trixie/.modelbench-ready").exists():
        return None, False, "root folder not built"
    was_running = subprocess.run([path, "status"], capture_output=True).returncode == 0
    done = subprocess.run([path, "start"], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return None, False, done.stderr[-500:]
    url = subprocess.run([path, "url"], capture_output=True, text=True).stdout.strip()
    return url, not was_running, ""


def _with_database(url: str, database: str) -> str:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path=f"/{database}"))


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> Iterator[str | None]:
    yield from _pg_session("postgres.sh", "MODELBENCH_PG_URL")


@pytest.fixture(scope="session")
def timescale_server(request: pytest.FixtureRequest) -> Iterator[str | None]:
    yield from _pg_session("timescaledb.sh", "MODELBENCH_TIMESCALE_URL")


def _pg_session(script: str, env_var: str) -> Iterator[str | None]:
    """A throwaway database on the server for this test session (dropped at the end)."""
    url, started, why = _start_service(script, env_var)
    if url is None:
        yield None
        return
    import psycopg

    name = f"mbtest_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f"CREATE DATABASE {name}")
    except psycopg.Error:
        yield None
        return
    yield _with_database(url, name)
    drop_database(url, name)
    if started:
        subprocess.run([SERVICES / script, "stop"], capture_output=True)


def drop_database(url: str, name: str, attempts: int = 20) -> None:
    """Drop a throwaway database; an autovacuum worker in it (which a non-superuser cannot
    terminate) only delays that, so retry for a few seconds and then leave it."""
    import psycopg

    for _ in range(attempts):
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            time.sleep(0.5)


@pytest.fixture(scope="session")
def chdb_folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The one chdb data folder of this test process."""
    try:
        import chdb  # noqa: F401
        import clickhouse_connect  # noqa: F401
    except ImportError:
        require(False, "chdb + clickhouse-connect", "pip install -e '.[clickhouse]'")
    return str(tmp_path_factory.mktemp("chdb"))


def _pg_options(url: str) -> dict[str, Any]:
    parsed = urlparse(url)
    return {"host": parsed.hostname, "port": parsed.port, "user": parsed.username,
            "password": parsed.password, "database": parsed.path.lstrip("/")}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path) -> Iterator[Backend]:
    """One backend of the contract suite, empty, schema not yet created."""
    yield from _make_backend(request.param, request, tmp_path)


@pytest.fixture(params=[b for b in BACKENDS if b in SERVER_BACKENDS])
def server_backend(request: pytest.FixtureRequest, tmp_path) -> Iterator[Backend]:
    """One backend with a server behind it (PostgreSQL, TimescaleDB, ClickHouse server)."""
    yield from _make_backend(request.param, request, tmp_path)


def _make_backend(name: str, request: pytest.FixtureRequest, tmp_path) -> Iterator[Backend]:
    spool = str(tmp_path / "spool")
    if name == "sqlite":
        yield Backend(name, "sqlite", {"path": str(tmp_path / "bench.db")})
    elif name == "clickhouse":
        folder = request.getfixturevalue("chdb_folder")
        db = Backend(name, "clickhouse", {"path": folder, "database": f"t{next(_counter)}"})
        yield db
        _drop_clickhouse(db)
    elif name in ("postgres", "timescaledb"):
        fixture, script = (("pg_server", "postgres.sh") if name == "postgres"
                           else ("timescale_server", "timescaledb.sh"))
        url = request.getfixturevalue(fixture)
        require(url is not None, f"{name} server",
                f"scripts/services/{script} start && export "
                f"{'MODELBENCH_PG_URL' if name == 'postgres' else 'MODELBENCH_TIMESCALE_URL'}"
                f"=$(scripts/services/{script} url)")
        db = Backend(name, "timescaledb", {**_pg_options(url), "spool_dir": spool})
        _empty_pg(db)
        yield db
    else:
        url = os.environ["MODELBENCH_CLICKHOUSE_URL"]
        parsed = urlparse(url)
        db = Backend(name, "clickhouse", {
            "host": parsed.hostname, "port": parsed.port, "user": parsed.username,
            "password": parsed.password, "secure": parsed.scheme in ("https", "clickhouses"),
            "database": f"mbtest_{os.getpid()}_{next(_counter)}", "spool_dir": spool})
        yield db
        _drop_clickhouse(db)


def _empty_pg(db: Backend) -> None:
    store = db.open()
    try:
        # schema_version too: a test may leave a "future" version behind (refusal test).
        store._execute("DROP TABLE IF EXISTS schema_version")
        store.setup()
        store._execute("TRUNCATE model_benchmarks, benchmark_samples, item_results, "
                       "model_metadata, dataset_metadata")
    finally:
        store.close()


def _drop_clickhouse(db: Backend) -> None:
    store = db.open()
    try:
        store.drop_database()
    finally:
        store.close()


@pytest.fixture
def store(backend: Backend) -> Iterator[Any]:
    """A set-up, empty store of the backend under test."""
    db = backend.open()
    db.setup()
    yield db
    db.close()
