"""What a newcomer saw in the TUI: bare names for measured models, columns cut while the
terminal had room, latencies as raw milliseconds, sparklines that blow up a 0.6 % change, and
a collect dialog whose choice, placeholders, progress and page options were unclear."""

from __future__ import annotations

import shutil

import pytest
from conftest import require
from rich.console import Console
from textual.widgets import Checkbox, Input, ProgressBar, RadioButton

from modelbench import get_database_manager
from modelbench.records import BenchmarkResult
from modelbench.tui.app import ModelBenchApp
from modelbench.tui.collecting import Collector, CollectScreen
from modelbench.tui.screens import ModelScreen
from modelbench.tui.widgets import AxisSparkline, BrowseView

from .conftest import latency, opener_for, servers, settle

pytestmark = pytest.mark.anyio
LONG = "distilbert-base-uncased-finetuned-sst-2-english"


def _rows(app, tab):  # type: ignore[no-untyped-def]
    return app.query_one(f"#{tab}-view", BrowseView).table


async def test_measured_models_show_their_task_and_source(db_path):
    app = ModelBenchApp(opener_for(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = {r["model_name"]: r for r in _rows(app, "models").rows_shown}
        assert rows["my-distilbert"]["task_type"] == "text-classification"
        assert rows["my-distilbert"]["source"] == "local"
        assert rows["linreg"]["task_type"] == "regression"
        assert rows["bert-base-uncased"]["source"] == "huggingface"  # metadata wins
        await pilot.press("q")


@pytest.mark.parametrize("tab", ["results", "models"])
async def test_wide_terminals_give_long_names_room(db_path, tab):
    with get_database_manager("sqlite", path=str(db_path)) as store:
        store.insert_result(BenchmarkResult(model_name=LONG, task_type="text-classification",
                                            dataset="sst2", metric="accuracy", score=0.91,
                                            latency=latency(0.000228)))
    shown, used = {}, {}
    for width in (80, 140):
        app = ModelBenchApp(opener_for(db_path), initial_tab=tab)
        async with app.run_test(size=(width, 30)) as pilot:
            await settle(pilot)
            table = _rows(app, tab)
            index = next(i for i, r in enumerate(table.rows_shown) if r["model_name"] == LONG)
            shown[width] = str(table.get_row_at(index)[0])
            used[width] = sum(table.widths.values()) + 2 * len(table.widths)
            await pilot.press("q")
    assert shown[80].endswith("…") and len(shown[140]) > len(shown[80]) + 10
    # the whole name, or all the room (a scrollbar's worth kept) given to the cut columns
    assert shown[140] == LONG or used[140] >= 140 - 4


async def test_latencies_are_written_in_their_unit(db_path):
    with get_database_manager("sqlite", path=str(db_path)) as store:
        store.insert_result(BenchmarkResult(model_name="tiny", task_type="t", dataset="d",
                                            metric="accuracy", score=0.5,
                                            latency=latency(0.000228)))
    app = ModelBenchApp(opener_for(db_path), initial_tab="results")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        table = _rows(app, "results")
        index = next(i for i, r in enumerate(table.rows_shown) if r["model_name"] == "tiny")
        cells = [str(c) for c in table.get_row_at(index)]
        assert "228 ns" in cells and not any("0.000228" in c for c in cells)
        await pilot.press("q")


def _drawn(spark: AxisSparkline, width: int = 20) -> list[str]:
    console = Console(width=width, record=True, color_system=None, legacy_windows=False)
    console.print(spark.render())
    return console.export_text().splitlines()


async def test_a_small_change_draws_as_a_small_change():
    app = ModelBenchApp(lambda: get_database_manager("sqlite", path=":memory:"))
    async with app.run_test(size=(40, 10)) as pilot:
        spark = AxisSparkline([0.900, 0.900, 0.9054, 0.9054])
        await app.mount(spark)
        spark.styles.height = 3
        await pilot.pause()
        lines = _drawn(spark, spark.size.width)
        top = lines[0]
        # 0.6 % apart: both halves reach the top line (the bars start at zero, not at 0.900)
        assert top[0] != " " and top[-1] != " "
        doubled = AxisSparkline([1.0, 2.0])
        await app.mount(doubled)
        doubled.styles.height = 3
        await pilot.pause()
        assert _drawn(doubled, doubled.size.width)[0].startswith(" ")  # half as tall
        await pilot.press("q")


async def test_model_details_draw_latency_in_its_unit(db_path):
    app = ModelBenchApp(opener_for(db_path))
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ModelScreen(app.store_view, "my-distilbert"))
        await settle(pilot)
        text = str(app.screen.query_one("#latency-range").content)
        assert "median latency: min 2.5 ms" in text
        await pilot.press("escape", "q")


def _collector() -> Collector:
    from modelbench.collect.http import FetchPolicy

    return Collector(cache=False, policy=FetchPolicy(rate_per_host=None, retries=1,
                                                     backoff=0.01))


async def test_the_chosen_source_and_the_placeholders_look_different(db_path):
    app = ModelBenchApp(opener_for(db_path), collector=_collector())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CollectScreen)
        chosen, *others = list(screen.query(RadioButton))
        assert chosen.value and chosen.styles.text_style.bold
        assert not any(o.styles.text_style.bold for o in others)
        value = screen.query_one("#value", Input)
        assert value.value == "" and value.placeholder.startswith("e.g. ")
        assert value.get_component_rich_style("input--placeholder").italic
        await pilot.press("escape", "q")


async def test_page_mode_asks_for_the_task_and_offers_rendering(db_path):
    module = servers()
    with module.LocalServer() as site:
        site.route(r"/board\.html", module.Reply(200, BOARD))
        app = ModelBenchApp(opener_for(db_path), initial_tab="results", collector=_collector())
        async with app.run_test(size=(80, 30)) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await pilot.pause()
            screen = app.screen
            assert not screen.query_one("#render", Checkbox).display
            await pilot.click(list(screen.query(RadioButton))[2])
            await pilot.pause()
            assert screen.query_one("#task", Input).display
            assert screen.query_one("#render", Checkbox).display
            screen.query_one("#value", Input).value = f"{site.url}/board.html"
            screen.query_one("#option", Input).value = "sst2"
            screen.query_one("#task", Input).value = "sentiment-analysis"
            await pilot.click("#start")
            await settle(pilot)
            assert screen.query_one(ProgressBar).percentage == 1.0
            await pilot.click("#store")
            await settle(pilot)
            await pilot.press("escape", "q")
    with get_database_manager("sqlite", path=str(db_path)) as store:
        web = store.query_results()
    assert {r.task_type for r in web if r.source == "web"} == {"sentiment-analysis"}


async def test_page_mode_renders_javascript_when_asked(db_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    require(chromium is not None, "Chromium", "apt-get install chromium")
    module = servers()
    page = ("<html><body><div id=t></div><script>document.getElementById('t').innerHTML = "
            "'<table><tr><th>Model</th><th>Accuracy</th></tr>"
            "<tr><td>js-model</td><td>91.5</td></tr><tr><td>other</td><td>88.0</td></tr>"
            "</table>';</script></body></html>")
    with module.LocalServer() as site:
        site.route(r"/js\.html", module.Reply(200, page))
        app = ModelBenchApp(opener_for(db_path), collector=_collector())
        async with app.run_test(size=(80, 30)) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await pilot.pause()
            screen = app.screen
            await pilot.click(list(screen.query(RadioButton))[2])
            await pilot.pause()
            screen.query_one("#value", Input).value = f"{site.url}/js.html"
            screen.query_one("#render", Checkbox).value = True
            await pilot.click("#start")
            await settle(pilot)
            log = str(screen.query_one("#log").content)
            assert "2 results read" in log, log
            await pilot.press("escape", "q")


BOARD = """<html><body><table><tr><th>Rank</th><th>Model</th><th>Accuracy</th></tr>
<tr><td>1</td><td>deberta-v3-large</td><td>96.9%</td></tr>
<tr><td>2</td><td>roberta-large</td><td>96.4%</td></tr></table></body></html>"""
