"""A page whose table is built by JavaScript after a delayed fetch, rendered by real Chromium."""

from __future__ import annotations

import pytest

from modelbench.collect.tables import LeaderboardScraper
from modelbench.errors import ExtractionError, FetchError


def test_static_fetch_sees_no_table_but_chromium_does(pages, browser):
    with LeaderboardScraper(rate_per_host=None, cache=False, browser=browser) as scraper:
        with pytest.raises(ExtractionError, match="no results table found"):
            scraper.scrape(f"{pages.url}/js.html")  # the HTML has no table before scripts run
        table, mapping, out = scraper.scrape(f"{pages.url}/js.html", render=True,
                                             dataset="board")
    assert pages.hits["/api/board.json"] == 1  # the page's own delayed fetch ran
    assert mapping.model == "Model" and mapping.metrics == ["Accuracy"]
    assert [(r.model_name, r.score) for r in out.results] == [("render-a", 91.5),
                                                             ("render-b", 87.25)]
    assert out.results[0].extraction_method == "rendered-html-table"


def test_rendering_respects_robots_txt(pages, browser):
    with LeaderboardScraper(rate_per_host=None, cache=False, browser=browser) as scraper:
        with pytest.raises(FetchError, match="robots.txt"):
            scraper.scrape(f"{pages.url}/private/board.html", render=True)
    assert pages.hits["/private/board.html"] == 0


def test_rendered_page_without_a_table_times_out_clearly(pages, browser):
    with pytest.raises(ExtractionError, match="no results table found"):
        browser.render(f"{pages.url}/ok", wait_for="table td", timeout=1)


def test_http_error_in_chromium_is_a_fetch_error(pages, browser):
    with pytest.raises(FetchError, match="HTTP 404"):
        browser.render(f"{pages.url}/nothing-here", timeout=5)
