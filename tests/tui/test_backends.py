"""The same app on the other backends: it uses only the store contract, so the screens must
show the same rows on embedded ClickHouse (chdb) and PostgreSQL as on SQLite."""

from __future__ import annotations

import subprocess
import uuid
from urllib.parse import urlparse

import pytest
from conftest import SERVICES, require, start_service

from modelbench import get_database_manager
from modelbench.tui.app import ModelBenchApp
from modelbench.tui.screens import LeaderboardScreen
from modelbench.tui.widgets import BrowseView

from .conftest import fill, settle

pytestmark = pytest.mark.anyio


@pytest.fixture
def chdb_options(tmp_path):  # type: ignore[no-untyped-def]
    try:
        import chdb  # noqa: F401
    except ImportError:
        require(False, "chdb (embedded ClickHouse)", "pip install 'modelbench[clickhouse]'")
    return "clickhouse", {"path": str(tmp_path / "ch")}


@pytest.fixture(scope="module")
def pg_url():  # type: ignore[no-untyped-def]
    """MODELBENCH_PG_URL, or the server `scripts/services/postgres.sh start` gives (as run.sh
    and the store tests do); stopped again if this module started it."""
    url, started, why = start_service("postgres.sh", "MODELBENCH_PG_URL")
    yield url, why
    if started:
        subprocess.run([SERVICES / "postgres.sh", "stop"], capture_output=True)


@pytest.fixture
def postgres_options(pg_url):  # type: ignore[no-untyped-def]
    url, why = pg_url
    require(bool(url), "PostgreSQL" + (f" (postgres.sh start said: {why})" if why else ""),
            "scripts/services/postgres.sh start && "
            "export MODELBENCH_PG_URL=$(scripts/services/postgres.sh url)")
    import psycopg

    name = f"tui_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # a fresh name of our own, not user input
    parsed = urlparse(url)
    yield "timescaledb", {"host": parsed.hostname, "port": parsed.port,
                          "user": parsed.username, "password": parsed.password,
                          "database": name}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["chdb", "postgres"])
def backend(request):  # type: ignore[no-untyped-def]
    kind, options = request.getfixturevalue(f"{request.param}_options")
    store = get_database_manager(kind, **options)
    store.setup()
    fill(store)
    store.close()

    def opener():  # type: ignore[no-untyped-def]
        opened = get_database_manager(kind, **options)
        opened.setup()
        return opened
    return opener


async def test_tabs_filter_and_leaderboard_on_other_backends(backend):
    app = ModelBenchApp(backend, initial_tab="results")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.query_one("#results-view", BrowseView)
        assert results.total == 13
        await pilot.press("slash", *"rober", "escape")
        await settle(pilot)
        assert {r["model_name"] for r in results.table.rows_shown} == {"roberta-base"}
        await pilot.press("slash", *["backspace"] * 5, "escape", "3")
        await settle(pilot)
        rows = app.query_one("#tasks-view", BrowseView).table.rows_shown
        board = next(r for r in rows if r["dataset"] == "sst2")
        assert (board["best_model"], board["n_models"]) == ("roberta-base", 4)
        await pilot.press(*["down"] * rows.index(board), "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeaderboardScreen)
        best = {r["model_name"]: (r["best_measured"], r["best_published"])
                for r in app.screen.query_one("BoardView").table.rows_shown}
        assert best["bert-base-uncased"] == (True, False)
        assert best["roberta-base"] == (False, True)
