"""The polite fetcher against real HTTP on 127.0.0.1: retries, robots.txt, cache, limits."""

from __future__ import annotations

import socket
import time

import pytest

from modelbench.collect.http import Fetcher, decode_body, retry_after_seconds
from modelbench.errors import FetchError

from .conftest import CP1252_BOARD
from .servers import Reply


def test_429_then_success_retries_and_honours_retry_after(pages, fetcher):
    pages.script("/ok", [Reply(429, "slow down", {"Retry-After": "1"}),
                         Reply(503, "busy")])
    start = time.monotonic()
    page = fetcher.get(f"{pages.url}/ok")
    assert page.status == 200 and page.text == "fine"
    assert pages.hits["/ok"] == 3
    assert time.monotonic() - start >= 0.9  # Retry-After: 1 was waited for


def test_500_forever_gives_up_with_a_clear_error(pages, fetcher):
    with pytest.raises(FetchError) as info:
        fetcher.get(f"{pages.url}/failing")
    assert "HTTP 500" in info.value.message and "/failing" in info.value.message
    assert "try again later" in info.value.hint
    assert pages.hits["/failing"] == fetcher.policy.retries + 1


def test_retry_after_too_long_is_not_waited_for(pages):
    with Fetcher(cache=False, rate_per_host=None, max_retry_wait=5) as f:
        pages.script("/ok", [Reply(429, "", {"Retry-After": "3600"})])
        with pytest.raises(FetchError, match="HTTP 429"):
            f.get(f"{pages.url}/ok")
    assert pages.hits["/ok"] == 1


def test_retry_after_accepts_http_dates():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0


def test_robots_txt_disallow_is_refused_before_any_request(pages, fetcher):
    with pytest.raises(FetchError) as info:
        fetcher.get(f"{pages.url}/private/board.html")
    assert "robots.txt" in info.value.message and "disallows /private/board.html" in str(info.value)
    assert pages.hits["/private/board.html"] == 0
    assert pages.hits["/robots.txt"] == 1
    fetcher.get(f"{pages.url}/board.html")  # allowed paths still work, robots.txt read once
    assert pages.hits["/robots.txt"] == 1


def test_robots_can_be_turned_off_for_apis(pages):
    with Fetcher(cache=False, rate_per_host=None, respect_robots=False) as f:
        assert f.get(f"{pages.url}/private/board.html").status == 200


def test_second_run_is_served_from_the_disk_cache(pages, tmp_path):
    url = f"{pages.url}/board.html"
    with Fetcher(cache_dir=tmp_path, rate_per_host=None) as first:
        page = first.get(url)
        assert not page.from_cache
    with Fetcher(cache_dir=tmp_path, rate_per_host=None) as second:  # a new process, same disk
        again = second.get(url)
        assert again.from_cache and again.content == page.content
        assert second.network_requests == 0
    assert pages.hits["/board.html"] == 1
    assert (tmp_path / "http-cache.sqlite").is_file()


def test_errors_are_not_cached(pages, tmp_path):
    with Fetcher(cache_dir=tmp_path, rate_per_host=None, retries=0) as f:
        for _ in range(2):
            with pytest.raises(FetchError):
                f.get(f"{pages.url}/failing")
    assert pages.hits["/failing"] == 2


def test_malformed_json_is_a_named_error(pages, fetcher):
    with pytest.raises(FetchError, match="did not return valid JSON"):
        fetcher.get_json(f"{pages.url}/bad.json")


def test_user_agent_names_the_tool(pages, fetcher):
    fetcher.get(f"{pages.url}/ok")
    assert pages.requests[-1].headers["user-agent"].startswith("modelbench/")


def test_non_utf8_pages_decode(pages, fetcher):
    assert "Café-Net" in fetcher.get(f"{pages.url}/cp1252.html").text
    assert "Précision" in fetcher.get(f"{pages.url}/latin1.html").text
    assert decode_body(CP1252_BOARD).count("naïve") == 1


def test_page_over_the_size_limit_is_refused(pages):
    with Fetcher(cache=False, rate_per_host=None, max_bytes=1_000_000) as f:
        with pytest.raises(FetchError, match="larger than 1,000,000 bytes"):
            f.get(f"{pages.url}/huge.html")


def test_per_host_concurrency_cap_holds_under_fetch_many(pages):
    urls = [f"{pages.url}/slow/{i}" for i in range(12)]
    with Fetcher(cache=False, rate_per_host=None, max_per_host=3) as f:
        out = f.fetch_many(urls, max_workers=12)
    assert all(p.status == 200 for p in out)
    assert 2 <= pages.max_in_flight <= 3


def test_rate_limit_spaces_requests(pages):
    with Fetcher(cache=False, rate_per_host=20, respect_robots=False) as f:
        start = time.monotonic()
        f.fetch_many([f"{pages.url}/ok"] * 6)
    assert time.monotonic() - start >= 0.24  # 6 starts at 20/s: at least 5 intervals of 50 ms


def test_fetch_many_returns_failures_in_place(pages):
    with Fetcher(cache=False, rate_per_host=None, retries=0) as f:
        out = f.fetch_many([f"{pages.url}/ok", f"{pages.url}/failing"])
    assert out[0].status == 200 and isinstance(out[1], FetchError)


def test_connection_refused_is_a_fetch_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Fetcher(cache=False, rate_per_host=None, retries=1, backoff=0.01) as f:
        with pytest.raises(FetchError, match="failed after 2 attempts"):
            f.get(f"http://127.0.0.1:{port}/x")
