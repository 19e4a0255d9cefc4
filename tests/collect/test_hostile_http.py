"""Hostile servers on 127.0.0.1: bombs, trickles and loops stay within the fetcher's bounds.

Every loop here is bounded (a request count, a deadline), so a regression fails instead of
hanging the suite.
"""

from __future__ import annotations

import gzip
import socket
import threading
import zlib

import pytest

from modelbench.collect.http import Fetcher, json_depth
from modelbench.errors import FetchError

from .servers import LocalServer, Reply


@pytest.fixture
def hostile():
    server = LocalServer()
    server.route(r"/robots\.txt", Reply(404, ""))
    with server:
        yield server


def _fetcher(**overrides):
    options = {"cache": False, "rate_per_host": None, "backoff": 0.01, "retries": 1}
    return Fetcher(**{**options, **overrides})


def test_gzip_bomb_is_cut_at_the_decoded_size(hostile):
    bomb = gzip.compress(b"\0" * (40 * 1024 * 1024), compresslevel=9)  # ~40 KB on the wire
    assert len(bomb) < 100_000
    hostile.route(r"/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    with _fetcher(max_bytes=1024 * 1024) as fetcher, pytest.raises(FetchError) as info:
        fetcher.get(f"{hostile.url}/bomb")
    assert "larger than 1,048,576 bytes" in info.value.message


def test_stacked_encodings_are_bounded_too(hostile):
    bomb = zlib.compress(gzip.compress(b"a" * (20 * 1024 * 1024)))
    hostile.route(r"/double", Reply(200, bomb, {"Content-Encoding": "gzip, deflate"}))
    with _fetcher(max_bytes=512 * 1024) as fetcher, pytest.raises(FetchError, match="larger"):
        fetcher.get(f"{hostile.url}/double")


def test_a_small_gzip_page_is_decoded(hostile):
    hostile.route(r"/small", Reply(200, gzip.compress(b"<p>hello</p>"),
                                   {"Content-Encoding": "gzip"}))
    with _fetcher() as fetcher:
        page = fetcher.get(f"{hostile.url}/small")
    assert page.text == "<p>hello</p>"
    assert "content-encoding" not in page.headers


def test_json_nesting_bomb_is_refused(hostile):
    hostile.route(r"/deep", Reply(200, "[" * 100_000 + "]" * 100_000,
                                  content_type="application/json"))
    with _fetcher() as fetcher, pytest.raises(FetchError, match="nested 100000 levels"):
        fetcher.get_json(f"{hostile.url}/deep")


def test_json_depth_ignores_brackets_in_strings():
    assert json_depth(b'{"a": "[[[[{{{{", "b": ["\\"[", 1]}') == 2


def test_link_pointing_at_itself_stops_paging(hostile):
    hostile.route(r"/list", lambda request: Reply.json(
        [{"id": request.arg("p", "0")}], Link=f'<{hostile.url}/list?p=1>; rel="next"'))
    seen = []
    with _fetcher() as fetcher:
        url = f"{hostile.url}/list"
        for _ in range(50):  # a client following Link headers, as huggingface_hub does
            response = fetcher.client.get(url)
            seen.append(response.json()[0]["id"])
            following = response.links.get("next")
            if not following:
                break
            url = following["url"]
    assert seen == ["0", "1"]  # page 1 points at itself: not followed again


def test_link_paging_stops_after_max_pages(hostile):
    hostile.route(r"/endless", lambda request: Reply.json(
        [], Link=f'<{hostile.url}/endless?p={int(request.arg("p", "0")) + 1}>; rel="next"'))
    with _fetcher(max_pages=5) as fetcher:
        url, pages = f"{hostile.url}/endless", 0
        while url and pages < 50:
            response = fetcher.client.get(url)
            pages += 1
            url = (response.links.get("next") or {}).get("url")
    assert pages == 5


class TrickleServer:
    """Answers every request one byte every ``interval`` seconds (headers included)."""

    def __init__(self, interval: float, body: bytes = b"x" * 1000) -> None:
        self.interval = interval
        self.reply = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body)) + body
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        self.connections = 0
        self.sent = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            for byte in self.reply:
                if self.stop.wait(self.interval):
                    return
                try:
                    conn.sendall(bytes([byte]))
                    self.sent += 1
                except OSError:
                    return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("interval", [0.3])
def test_a_trickle_is_cut_at_the_total_timeout(interval):
    server = TrickleServer(interval)
    try:
        with _fetcher(timeout=1.5, respect_robots=False, retries=3) as fetcher:
            with pytest.raises(FetchError, match="longer than 1.5 s in total"):
                fetcher.get(f"{server.url}/slow")
    finally:
        server.close()
    assert server.sent < len(server.reply) // 10  # cut early: not 1000+ bytes at 0.3 s each
    assert server.connections == 1  # and not retried


def test_pwc_next_loop_is_detected(hostile):
    from modelbench.collect import PapersWithCodeScraper

    hostile.route(r"/api/v1/datasets/", lambda request: Reply.json(
        {"count": 9, "next": f"{hostile.url}/api/v1/datasets/?q=x&page=2",
         "results": [{"id": f"d{request.arg('page', '1')}", "name": "D"}]}))
    with PapersWithCodeScraper(hostile.url, cache=False, rate_per_host=None) as scraper:
        with pytest.raises(FetchError, match="points back to a page already read"):
            scraper.search_datasets("x")
    assert hostile.hits["/api/v1/datasets/"] == 2


def test_pwc_same_page_under_new_urls_is_detected(hostile):
    from modelbench.collect import PapersWithCodeScraper

    hostile.route(r"/api/v1/datasets/", lambda request: Reply.json(
        {"count": 9, "next": f"{hostile.url}/api/v1/datasets/?page="
                             f"{int(request.arg('page', '1')) + 1}",
         "results": [{"id": "same", "name": "D"}]}))
    with PapersWithCodeScraper(hostile.url, cache=False, rate_per_host=None) as scraper:
        with pytest.raises(FetchError, match="repeats the page before it"):
            scraper.search_datasets("x")
    assert hostile.hits["/api/v1/datasets/"] == 2


def test_deeply_nested_pwc_subtasks_do_not_recurse(tmp_path):
    import json

    from modelbench.collect.paperswithcode import iter_dump_rows

    row = {"model_name": "m", "metrics": {"Accuracy": "1.0"}}
    leaf = json.dumps({"task": "leaf", "datasets": [{"dataset": "d", "sota": {"rows": [row]}}]})
    path = tmp_path / "deep.json"  # built as text: json.dumps itself recurses
    path.write_text("[" + '{"task": "t", "datasets": [], "subtasks": [' * 5000 + leaf
                    + "]}" * 5000 + "]")
    rows = list(iter_dump_rows(path))
    assert len(rows) == 1 and len(rows[0].tasks) == 5001


def test_colspan_expansion_is_bounded():
    from modelbench.collect.tables import MAX_CELLS, extract_tables
    from modelbench.errors import ExtractionError

    hostile_table = "<table>" + '<tr><td colspan="500">x</td></tr>' * 20_000 + "</table>"
    good_table = "<table><tr><th>model</th><th>acc</th></tr><tr><td>a</td><td>1</td></tr></table>"
    with pytest.raises(ExtractionError, match=f"more than {MAX_CELLS:,} cells"):
        extract_tables(hostile_table)
    tables = extract_tables(hostile_table + good_table)  # the oversized table is left out
    assert [t.headers for t in tables] == [["model", "acc"]]


def test_one_overflowing_number_skips_one_value_not_the_dump(tmp_path):
    import json

    from typer.testing import CliRunner

    from modelbench import get_database_manager
    from modelbench.cli import _register, app

    _register()
    rows = [{"model_name": f"m{i}", "metrics": {"Accuracy": "1e400" if i == 3 else f"{i}.5"}}
            for i in range(12)]
    dump = tmp_path / "evaluation-tables.json"
    dump.write_text(json.dumps([{"task": "t", "datasets": [
        {"dataset": "d", "sota": {"metrics": ["Accuracy"], "rows": rows}}]}]))
    db = str(tmp_path / "bench.db")
    out = CliRunner().invoke(app, ["collect", "pwc", "--dump", str(dump), "--db-path", db])
    assert out.exit_code == 0, out.output
    assert "1 metric value(s) were not numbers" in " ".join(out.output.split())
    with get_database_manager("sqlite", path=db) as store:
        assert store.count_results() == 11
