"""Collecting from inside the app, against local servers on 127.0.0.1 (no internet).

The mock Hub serves the real model cards of ``shared/fixtures/model_cards``; the app must store
exactly what the collector returns, in one batch, and show the new rows.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, require
from textual.widgets import Button, Input, ProgressBar, RadioButton

from modelbench import get_database_manager
from modelbench.store.base import ResultFilter
from modelbench.tui.app import ModelBenchApp
from modelbench.tui.collecting import Collector, CollectScreen
from modelbench.tui.widgets import BrowseView

from .conftest import opener_for, servers, settle

pytestmark = pytest.mark.anyio
SIZE = (80, 24)

BOARD = """<html><body><h1>SST-2 leaderboard</h1>
<table><tr><th>Rank</th><th>Model</th><th>Accuracy</th><th>F1</th></tr>
<tr><td>1</td><td>deberta-v3-large</td><td>96.9%</td><td>96.8</td></tr>
<tr><td>2</td><td>roberta-large</td><td>96.4%</td><td>96.1</td></tr>
<tr><td>3</td><td>bert-large</td><td>94.9%</td><td>—</td></tr>
</table></body></html>"""


def fast_collector(**endpoints: str) -> Collector:
    from modelbench.collect.http import FetchPolicy

    return Collector(cache=False, policy=FetchPolicy(rate_per_host=None, retries=1,
                                                     backoff=0.01), **endpoints)


def stored(db_path, **flt) -> int:  # type: ignore[no-untyped-def]
    with get_database_manager("sqlite", path=str(db_path)) as store:
        return store.count_results(ResultFilter(**flt) if flt else None)


async def open_collect(pilot, kind_index: int, value: str, option: str | None = None):  # type: ignore[no-untyped-def]
    await pilot.press("c")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CollectScreen)
    if kind_index:
        await pilot.click(list(screen.query(RadioButton))[kind_index])
        await pilot.pause()
    screen.query_one("#value", Input).value = value
    if option is not None:
        screen.query_one("#option", Input).value = option
    await pilot.click("#start")
    await settle(pilot)
    return screen


async def test_collect_hugging_face_task_stores_models_and_results(db_path, monkeypatch):
    require(FIXTURES.is_dir(), "../shared/fixtures", "clone next to the shared/ folder")
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    module = servers()
    with module.MockHub(FIXTURES / "model_cards") as hub:
        from modelbench.collect import HuggingFaceScraper

        with HuggingFaceScraper(endpoint=hub.url, cache=False) as scraper:
            expected = list(scraper.collect("text-generation", 20))
        expected_results = sum(len(m.results) for m in expected)
        assert expected_results > 0
        before = stored(db_path)
        app = ModelBenchApp(opener_for(db_path), collector=fast_collector(hf_endpoint=hub.url))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = await open_collect(pilot, 0, "text-generation")
            log = str(screen.query_one("#log").content)
            assert f"stored {expected_results} results and {len(expected)} models" in log
            bar = screen.query_one(ProgressBar)
            assert bar.total == 20 and bar.progress == len(expected)
            await pilot.press("escape")
            await settle(pilot)
            shown = [r["model_name"] for r in app.query_one("#models-view",
                                                            BrowseView).table.rows_shown]
            assert "HuggingFaceH4/zephyr-7b-alpha" in shown  # the new rows appear
    assert stored(db_path) == before + expected_results
    assert stored(db_path, source="huggingface") == 3 + expected_results


async def test_collect_papers_with_code_query(db_path):
    module = servers()
    with module.PwcApi() as api:
        from modelbench.collect import PapersWithCodeScraper

        with PapersWithCodeScraper(api.url, cache=False) as scraper:
            expected = sum(len(records) for _, records in scraper.collect("imagenet"))
        app = ModelBenchApp(opener_for(db_path), initial_tab="results",
                            collector=fast_collector(pwc_api=api.url))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = await open_collect(pilot, 1, "imagenet")
            assert f"stored {expected} results" in str(screen.query_one("#log").content)
            await pilot.press("escape")
            await settle(pilot)
            models = {r["model_name"] for r in app.query_one("#results-view",
                                                             BrowseView).table.rows_shown}
            assert {"CoCa (finetuned)", "ViT-H/14", "Meta Pseudo Labels"} <= models
    assert stored(db_path, source="paperswithcode") == 2 + expected


async def test_collecting_the_same_query_twice_stores_nothing_new(db_path):
    module = servers()
    with module.PwcApi() as api:
        app = ModelBenchApp(opener_for(db_path), initial_tab="results",
                            collector=fast_collector(pwc_api=api.url))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = await open_collect(pilot, 1, "imagenet")
            first = stored(db_path, source="paperswithcode")
            await pilot.click("#start")  # the same collection again
            await settle(pilot)
            log = str(screen.query_one("#log").content)
            assert "stored 0 results" in log and "already stored were skipped" in log
    assert stored(db_path, source="paperswithcode") == first


async def test_collect_page_shows_the_guess_before_storing(db_path):
    module = servers()
    with module.LocalServer() as site:
        site.route(r"/board\.html", module.Reply(200, BOARD))
        url = f"{site.url}/board.html"
        app = ModelBenchApp(opener_for(db_path), initial_tab="results",
                            collector=fast_collector())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = await open_collect(pilot, 2, url, option="sst2")
            log = str(screen.query_one("#log").content)
            assert "5 results read" in log and "model = column 'Model'" in log
            assert stored(db_path, source="web") == 0  # nothing until the user agrees
            assert not screen.query_one("#store", Button).disabled
            await pilot.click("#store")
            await settle(pilot)
            assert "stored 5 results" in str(screen.query_one("#log").content)
            await pilot.press("escape")
            await settle(pilot)
            rows = app.query_one("#results-view", BrowseView).table.rows_shown
            web = [r for r in rows if r["source"] == "web"]
            assert len(web) == 5 and {r["dataset"] for r in web} == {"sst2"}
    with get_database_manager("sqlite", path=str(db_path)) as store:
        deberta = store.query_results(ResultFilter(model_name="deberta-v3-large",
                                                   metric="accuracy"))
        assert deberta[0].score == pytest.approx(96.9)
        assert deberta[0].source_url == url


async def test_collect_failure_is_explained_and_stores_nothing(db_path):
    module = servers()
    with module.LocalServer() as site:
        site.route(r"/moved\.html", module.Reply(200, "<html><p>We moved!</p></html>"))
        app = ModelBenchApp(opener_for(db_path), collector=fast_collector())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            before = stored(db_path)
            screen = await open_collect(pilot, 2, f"{site.url}/moved.html")
            log = str(screen.query_one("#log").content)
            assert "failed:" in log and "nothing was stored" in log
            assert "table" in log  # says what is missing
            assert not screen.query_one("#start", Button).disabled  # can try again
    assert stored(db_path) == before
