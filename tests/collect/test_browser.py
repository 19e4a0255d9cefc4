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


def _guarded_servers():
    """A site whose robots.txt disallows /private/, and another host that disallows all."""
    from .servers import LocalServer, Reply

    other = LocalServer()  # (the last route that matches answers)
    other.route(r"/.*", Reply(200, "var x = 1;", content_type="text/javascript"))
    other.route(r"/robots\.txt", Reply(200, "User-agent: *\nDisallow: /\n",
                                       content_type="text/plain"))
    site = LocalServer()
    site.route(r"/robots\.txt", Reply(200, "User-agent: *\nDisallow: /private/\n",
                                      content_type="text/plain"))
    site.route(r"/private/.*", Reply(200, "<table><tr><td>secret</td></tr></table>"))
    site.route(r"/hop", lambda request: Reply(302, "", {"Location": "/private/board.html"}))
    site.route(r"/page\.html", lambda request: Reply(200, (
        "<html><body><table><tr><th>model</th><th>acc</th></tr>"
        "<tr><td>a</td><td>1</td></tr></table>"
        "<img src='/private/pixel.png'>"
        f"<script src='{other.url}/tracker.js'></script>"
        "<script>Promise.allSettled([fetch('/private/data.json'), fetch('/hop')]).then(() =>"
        " document.body.insertAdjacentHTML('beforeend',"
        " '<table id=done><tr><td>settled</td></tr></table>'));</script></body></html>")))
    return site, other


def test_render_never_follows_a_redirect_to_a_disallowed_path(browser):
    site, other = _guarded_servers()
    with site, other, LeaderboardScraper(rate_per_host=None, cache=False,
                                         browser=browser) as scraper:
        with pytest.raises(FetchError, match="private/board.html"):
            scraper.load(f"{site.url}/hop", render=True)
        assert site.hits["/hop"] == 1
        assert not [p for p in site.hits if p.startswith("/private/")]


def test_render_blocks_sub_requests_that_robots_txt_denies(browser):
    site, other = _guarded_servers()
    with site, other, LeaderboardScraper(rate_per_host=None, cache=False,
                                         browser=browser) as scraper:
        # the page adds #done once both of its fetches have finished (or been refused)
        html, _ = scraper.load(f"{site.url}/page.html", render=True, wait_for="#done td")
    assert "<td>a</td>" in html and site.hits["/hop"] == 1
    assert not [p for p in site.hits if p.startswith("/private/")], dict(site.hits)
    assert other.hits["/tracker.js"] == 0 and other.hits["/robots.txt"] == 1
