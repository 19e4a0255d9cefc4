"""Snapshots of the main screens at 80×24 (pytest-textual-snapshot; SVGs in __snapshots__).

Deterministic: fixed data and timestamps (conftest), a relative database path (so the header
reads ``sqlite:bench.db``), a fixed terminal size. Update after a deliberate change with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import pytest
import textual
from conftest import require

from modelbench import get_database_manager
from modelbench.tui.app import ModelBenchApp
from modelbench.tui.collecting import Collector

from .conftest import fill, opener_for, settle, unreachable_server_opener

SIZE = (80, 24)
#: The Textual release the SVGs were recorded with; another one may draw a pixel differently.
RECORDED_WITH = "8.2.8"


@pytest.fixture(autouse=True)
def same_textual() -> None:
    require(textual.__version__ == RECORDED_WITH, f"Textual {RECORDED_WITH} (snapshots)",
            f"pip install textual=={RECORDED_WITH}, or re-record with "
            "pytest tests/tui/test_snapshots.py --snapshot-update and review the SVGs")


@pytest.fixture
def here(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Work in tmp_path with the fixed data in ./bench.db."""
    monkeypatch.chdir(tmp_path)
    store = get_database_manager("sqlite", path="bench.db")
    store.setup()
    fill(store)
    store.close()
    return tmp_path


def app_on(path: str = "bench.db", **options) -> ModelBenchApp:  # type: ignore[no-untyped-def]
    from pathlib import Path

    return ModelBenchApp(opener_for(Path(path)), collector=Collector(hf_endpoint="",
                                                                      pwc_api=""), **options)


@pytest.mark.parametrize("tab", ["models", "results", "tasks", "sources"])
def test_tabs(snap_compare, here, tab):
    assert snap_compare(app_on(initial_tab=tab), terminal_size=SIZE, run_before=settle)


def test_model_details(snap_compare, here):
    async def open_model(pilot):  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("down", "down", "down", "down", "enter")
        await settle(pilot)

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=open_model)


def test_leaderboard(snap_compare, here):
    async def open_board(pilot):  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)

    assert snap_compare(app_on(initial_tab="tasks"), terminal_size=SIZE, run_before=open_board)


def test_filtered_results(snap_compare, here):
    async def type_filter(pilot):  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("slash", *"bert", "escape")
        await settle(pilot)

    assert snap_compare(app_on(initial_tab="results"), terminal_size=SIZE,
                        run_before=type_filter)


def test_help(snap_compare, here):
    assert snap_compare(app_on(), terminal_size=SIZE, press=["question_mark"],
                        run_before=settle)


def test_collect_dialog(snap_compare, here):
    async def open_dialog(pilot):  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(app_on(), terminal_size=SIZE, run_before=open_dialog)


def test_empty_database(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert snap_compare(app_on("empty.db"), terminal_size=SIZE, run_before=settle)


def test_database_error(snap_compare, tmp_path):
    # the store's real error (nothing listens on port 1), not a message written for the test
    app = ModelBenchApp(unreachable_server_opener(tmp_path / "spool"),
                        where="timescaledb: 127.0.0.1:1/bench")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
