"""Serving results on a model's screen: the ttft/tpot/itl/e2e series of each cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelbench.tui.app import ModelBenchApp
from modelbench.tui.screens import ModelScreen

from .conftest import opener_for, settle
from .test_app import _plain

pytestmark = pytest.mark.anyio


@pytest.fixture
def serving_db(tmp_path: Path) -> Path:
    from serving.stored import store_serving_results  # tests/ is on sys.path

    return store_serving_results(tmp_path)


async def test_model_screen_shows_each_cells_series(serving_db: Path):
    app = ModelBenchApp(opener_for(serving_db))
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the only model
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelScreen) and screen.model_name == "tiny-llm"
        shown = _plain(screen.query_one("#serving"))
        assert screen.query_one("#serving").display
        for cell in ("concurrency=1", "concurrency=2", "concurrency=4"):
            assert cell in shown
        lines = [line.split() for line in shown.splitlines()]
        names = ("ttft", "tpot", "itl", "e2e")
        series = [next(w for w in words if w in names) for words in lines[1:]
                  if any(w in names for w in words)]
        assert series == ["ttft", "tpot", "itl", "e2e"] * 3
        # the ttft row of the newest cell gives n = its 8 requests
        newest = screen.details.serving_results[0]
        ttft = next(words for words in lines if "ttft" in words)
        assert ttft[ttft.index("ttft") + 1] == str(newest.series_stats["ttft"]["n_samples"])
        assert "no latency measured" in _plain(screen.query_one("#latency"))
