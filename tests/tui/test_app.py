"""The terminal UI driven headless with Textual's Pilot, on a real SQLite file."""

from __future__ import annotations

import pytest

from modelbench.tui.app import ModelBenchApp
from modelbench.tui.screens import ErrorScreen, LeaderboardScreen, ModelScreen
from modelbench.tui.widgets import BrowseView, SortableTable

from .conftest import opener_for, settle, unreachable_server_opener

SIZE = (80, 24)
pytestmark = pytest.mark.anyio


def view(app: ModelBenchApp, tab: str) -> BrowseView:
    return app.query_one(f"#{tab}-view", BrowseView)


def names(app: ModelBenchApp, tab: str, key: str = "model_name") -> list:
    return [row[key] for row in view(app, tab).table.rows_shown]


async def test_tabs_show_models_results_tasks_sources(db_path):
    app = ModelBenchApp(opener_for(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert names(app, "models") == ["bert-base-uncased", "broken-model",
                                        "distilbert-base-uncased", "linreg", "my-distilbert",
                                        "roberta-base", "tree"]
        await pilot.press("2")
        await settle(pilot)
        results = view(app, "results")
        assert len(results.table.rows_shown) == results.total == 13
        # newest first by default
        stamps = [r["timestamp"] for r in results.table.rows_shown]
        assert stamps == sorted(stamps, reverse=True)
        await pilot.press("3")
        await settle(pilot)
        boards = {(r["task_type"], r["dataset"], r["metric"]): r
                  for r in view(app, "tasks").table.rows_shown}
        assert boards[("text-classification", "sst2", "accuracy")]["best_model"] == \
            "roberta-base"
        assert boards[("text-classification", "sst2", "accuracy")]["n_models"] == 4
        # mse: lower is better, and the failed model does not count
        assert boards[("regression", "housing", "mse")]["best_model"] == "linreg"
        assert boards[("regression", "housing", "mse")]["n_models"] == 2
        await pilot.press("4")
        await settle(pilot)
        sources = view(app, "sources")
        assert sources.counts == {"huggingface": 3, "local": 8, "paperswithcode": 2}
        bert = next(r for r in sources.table.rows_shown
                    if r["model_name"] == "bert-base-uncased" and r["dataset"] == "sst2")
        assert (bert["measured"], bert["published"]) == (0.925, 0.932)
        assert bert["delta"] == pytest.approx(-0.007)
        assert "HF 3 · local 8 · PwC 2" in _plain(sources.query_one(".status"))


async def test_sort_by_key_and_by_header_click(db_path):
    app = ModelBenchApp(opener_for(db_path), initial_tab="results")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = view(app, "results").table
        assert table.sort_key == "timestamp"
        await pilot.press("s")  # next column after the last one: back to the model
        await settle(pilot)
        assert (table.sort_key, table.descending) == ("model_name", False)
        got = names(app, "results")
        assert got == sorted(got)
        await pilot.press("S")
        await settle(pilot)
        assert names(app, "results") == sorted(got, reverse=True)
        # click the Score header: the store sorts by score, numbers start high
        x = sum(s.width + 2 for s in table.specs[:4]) + 3
        await pilot.click("#results-view SortableTable", offset=(x, 0))
        await settle(pilot)
        assert (table.sort_key, table.descending) == ("score", True)
        scores = [r["score"] for r in table.rows_shown if r["score"] is not None]
        assert scores == sorted(scores, reverse=True) and scores[0] == 0.962
        assert "▼" in str(table.columns[table.specs[4].key].label)


async def test_filter_narrows_every_tab_as_you_type(db_path):
    app = ModelBenchApp(opener_for(db_path), initial_tab="results")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"rober")
        await settle(pilot)
        assert app.filter_text == "rober"  # the keys went to the box, not to the bindings
        assert set(names(app, "results")) == {"roberta-base"}
        assert view(app, "results").total == 2
        for _ in "rober":
            await pilot.press("backspace")
        await pilot.press(*"hous")
        await settle(pilot)
        assert set(names(app, "results")) == {"linreg", "tree", "broken-model"}
        await pilot.press("escape", "1")  # back to the table, then the Models tab
        await settle(pilot)
        assert names(app, "models") == ["broken-model", "linreg", "tree"]
        await pilot.press("3")
        await settle(pilot)
        assert [r["dataset"] for r in view(app, "tasks").table.rows_shown] == ["housing"]
        await pilot.press("4")
        await settle(pilot)
        assert set(names(app, "sources")) == {"linreg", "tree"}
        # a model's name finds the leaderboards it is on
        await pilot.press("slash", *["backspace"] * len("hous"), *"my-d", "escape", "3")
        await settle(pilot)
        assert [r["dataset"] for r in view(app, "tasks").table.rows_shown] == ["sst2"]


async def test_filter_text_is_data_not_sql(db_path):
    app = ModelBenchApp(opener_for(db_path), initial_tab="results")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"x' OR '1'='1")
        await settle(pilot)
        results = view(app, "results")
        assert results.total == 0 and results.has_class("is-empty")
        assert "No results match" in _plain(results.query_one(".empty"))
        await pilot.press(*("backspace" for _ in "x' OR '1'='1"), "%")
        await settle(pilot)
        assert app.filter_text == "%"
        assert results.total == 0  # "%" is a literal, not a LIKE wildcard


async def test_model_details_metadata_history_latency(db_path):
    app = ModelBenchApp(opener_for(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "down", "enter")  # my-distilbert
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelScreen) and screen.model_name == "my-distilbert"
        details = screen.details
        assert details.n_results == 4
        assert [h["score"] for h in details.history] == [0.88, 0.89, 0.905, 0.91]
        assert list(screen.query_one("#score-spark").data) == [0.88, 0.89, 0.905, 0.91]
        assert list(screen.query_one("#latency-spark").data) == [4.0, 3.5, 3.0, 2.5]
        text = _plain(screen.query_one("#latency"))
        assert "p99" in text and "4.75" in text  # p99 of the newest run: 2.5 ms * 1.9
        assert "no stored metadata" in _plain(screen.query_one("#meta"))
        await pilot.press("escape")
        await pilot.press("up", "up", "up", "up", "enter")  # bert-base-uncased
        await settle(pilot)
        meta = _plain(app.screen.query_one("#meta"))
        assert "110M" in meta and "apache-2.0" in meta and "BertForMaskedLM" in meta
        assert len(app.screen.details.series) == 2  # sst2 and mnli
        first = app.screen.details.series_index
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.details.series_index == first + 1
        await pilot.press("escape")
        assert not isinstance(app.screen, ModelScreen)


async def test_leaderboard_measured_next_to_published_best_marked(db_path):
    app = ModelBenchApp(opener_for(db_path), initial_tab="tasks")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = view(app, "tasks").table.rows_shown
        target = rows.index(next(r for r in rows if r["dataset"] == "sst2"))
        await pilot.press(*["down"] * target, "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LeaderboardScreen)
        board = {r["model_name"]: r for r in screen.query_one(SortableTable).rows_shown}
        assert [r["model_name"] for r in screen.query_one(SortableTable).rows_shown] == [
            "roberta-base", "bert-base-uncased", "distilbert-base-uncased", "my-distilbert"]
        assert board["roberta-base"]["published"] == 0.962
        assert board["roberta-base"]["published_by"] == "paperswithcode"
        assert board["roberta-base"]["best_published"]
        assert board["bert-base-uncased"]["measured"] == 0.925
        assert board["bert-base-uncased"]["best_measured"]
        assert board["bert-base-uncased"]["latency"] == 9.5
        assert not board["my-distilbert"]["best_measured"]
        cell = screen.query_one(SortableTable).get_row_at(0)[3]
        assert str(cell).startswith("★")
        await pilot.press("enter")  # a model from the leaderboard
        await settle(pilot)
        assert isinstance(app.screen, ModelScreen)
        assert app.screen.model_name == "roberta-base"


async def test_names_that_look_like_markup_are_shown_as_text(tmp_path):
    from modelbench import get_database_manager
    from modelbench.records import BenchmarkResult

    path = tmp_path / "odd.db"
    with get_database_manager("sqlite", path=str(path)) as store:
        store.setup()
        store.insert_results([BenchmarkResult(
            model_name="CoCa [finetuned] [/]", task_type="[b]cls", dataset="imagenet[",
            metric="top-1 [%]", score=91.0, source="paperswithcode")])
    app = ModelBenchApp(opener_for(path), initial_tab="tasks")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the leaderboard of the odd task
        await settle(pilot)
        assert isinstance(app.screen, LeaderboardScreen)
        assert "[b]cls" in _plain(app.screen.query_one("#title"))
        await pilot.press("enter")  # the odd model
        await settle(pilot)
        assert isinstance(app.screen, ModelScreen)
        assert "CoCa [finetuned] [/]" in _plain(app.screen.query_one("#meta"))
        assert "top-1 [%]" in _plain(app.screen.query_one("#series"))


async def test_results_are_paged_as_the_cursor_moves(db_path):
    app = ModelBenchApp(opener_for(db_path), initial_tab="results", page_size=4)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = view(app, "results")
        assert len(results.table.rows_shown) == 4 and results.total == 13
        assert "4 loaded" in _plain(results.query_one(".status"))
        for _ in range(12):
            await pilot.press("down")
            await settle(pilot)
        assert len(results.table.rows_shown) == 13
        ids = [r["id"] for r in results.table.rows_shown]
        assert len(set(ids)) == 13  # no page twice, none skipped


async def test_empty_database_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = ModelBenchApp(opener_for(tmp_path / "empty.db"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        models = view(app, "models")
        assert models.has_class("is-empty")
        message = _plain(models.query_one(".empty"))
        assert "No benchmark results stored yet" in message
        assert "press c to collect" in message
        await pilot.press("2")
        await settle(pilot)
        assert view(app, "results").has_class("is-empty")


async def test_unreachable_database_shows_error_screen_then_retry(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    path = blocker / "bench.db"
    app = ModelBenchApp(opener_for(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        text = _plain(app.screen.query_one("#error-text"))
        assert "Cannot use the database" in text and str(blocker) in text
        assert "What to do" in text
        blocker.unlink()  # the user fixes it, then retries
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ErrorScreen)
        assert app.store_view is not None and view(app, "models").has_class("is-empty")


async def test_database_failing_mid_session_is_reported_not_fatal(db_path):
    import sqlite3

    app = ModelBenchApp(opener_for(db_path), initial_tab="results")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with sqlite3.connect(db_path) as other:  # someone breaks the database under us
            other.execute("ALTER TABLE model_benchmarks RENAME TO moved_away")
        await pilot.press("slash", "x")
        await settle(pilot)
        status = _plain(view(app, "results").query_one(".status"))
        assert "could not load results" in status and "no such table" in status
        notes = list(app._notifications)
        assert notes and "modelbench setup" in notes[-1].message  # the store's hint
        assert not isinstance(app.screen, ErrorScreen)
        assert not view(app, "results").loading
        await pilot.press("escape", "q")
    assert app.return_code == 0


async def test_server_down_error_names_host_and_hint(tmp_path):
    app = ModelBenchApp(unreachable_server_opener(tmp_path / "spool"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        text = _plain(app.screen.query_one("#error-text"))
        assert "cannot reach PostgreSQL at 127.0.0.1:1" in text  # the store's own words
        assert "start the server" in text and "--host/--port" in text
        await pilot.press("q")
    assert app.return_code == 0


async def test_help_and_quit(db_path):
    app = ModelBenchApp(opener_for(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert "sort by the next column" in _plain(app.screen.query_one("Static"))
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code == 0


def _plain(widget) -> str:  # type: ignore[no-untyped-def]
    """The text a Static shows (its content, rendered without styles)."""
    import io

    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def test_a_missing_store_is_named_and_never_created(tmp_path):
    from modelbench.cli.tui_cmd import store_opener

    missing = tmp_path / "nonexistent" / "dir" / "x.db"
    app = ModelBenchApp(store_opener("sqlite", str(missing)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        text = _plain(app.screen.query_one("#error-text"))
        assert f"no store at sqlite:{missing}" in text and "modelbench setup" in text
        await pilot.press("q")
    assert not (tmp_path / "nonexistent").exists()


async def test_sources_rows_come_a_page_at_a_time(tmp_path, monkeypatch):
    """A Sources tab with more rows than a page holds one page in its table (a keystroke
    redraws one page, not thousands) and the next pages follow the cursor; the status line
    counts every matching row."""
    from modelbench import get_database_manager
    from modelbench.records import BenchmarkResult
    from modelbench.tui import widgets

    monkeypatch.setattr(widgets, "MEMORY_PAGE", 5)
    path = tmp_path / "many.db"
    db = get_database_manager("sqlite", path=str(path))
    db.setup()
    db.insert_results([BenchmarkResult(model_name=f"m{i:02d}", task_type="t", dataset="d",
                                       metric="accuracy", score=i / 100, score_canonical=i / 100)
                       for i in range(12)])
    db.close()
    app = ModelBenchApp(opener_for(path), initial_tab="sources")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sources = view(app, "sources")
        assert len(sources.table.rows_shown) == 5
        assert "12 model/benchmark pairs" in _plain(sources.query_one(".status"))
        for _ in range(11):
            await pilot.press("down")
            await settle(pilot)
        shown = [r["model_name"] for r in sources.table.rows_shown]
        assert sorted(shown) == [f"m{i:02d}" for i in range(12)]  # each once, none skipped
        await pilot.press("slash", "m", "0", "7")
        await settle(pilot)
        assert [r["model_name"] for r in sources.table.rows_shown] == ["m07"]
