"""Session-scoped local servers (mock Hub, PwC API, leaderboard pages) and one Chromium."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import FIXTURES, require

from .servers import LocalServer, MockHub, PwcApi, Reply

# The Hub client must talk to the local server: no telemetry, and not offline (offline mode
# blocks local endpoints too).
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.pop("HF_HUB_OFFLINE", None)

STATIC_BOARD = """<!doctype html><html><head><title>Reading leaderboard</title></head><body>
<nav><table><tr><td><a href="/">Home</a></td><td><a href="/about">About</a></td></tr></table></nav>
<table id="results">
  <caption>Results on the test split</caption>
  <thead>
    <tr><th rowspan="2">Rank</th><th rowspan="2">Model</th><th colspan="2">SQuAD</th>
        <th rowspan="2">Params</th></tr>
    <tr><th>EM</th><th>F1</th></tr>
  </thead>
  <tbody>
    <tr><td>1</td><td><a href="/m/a">Alpha-XL</a></td><td><b>88.5 ± 0.3</b></td><td>93.1%</td>
        <td>1.2B</td></tr>
    <tr><td>2</td><td>Beta <sup>†</sup></td><td>86.1*</td><td>91.0</td><td>340M</td></tr>
    <tr><td>3</td><td>Gamma</td><td>—</td><td>89.7</td><td>110M</td></tr>
    <tr><td>4</td><td>Delta</td><td>pending</td><td>88.0</td><td>66M</td></tr>
  </tbody>
</table></body></html>"""

CHANGED_LAYOUT = """<!doctype html><html><body><div class="board">
<div class="row"><span>Alpha-XL</span><span>88.5</span></div>
<div class="row"><span>Beta</span><span>86.1</span></div></div>
<table><tr><td>Contact</td><td>Imprint</td></tr></table></body></html>"""

JS_BOARD = """<!doctype html><html><head><title>JS board</title></head><body>
<div id="board">loading...</div>
<script>
setTimeout(function () {
  fetch('/api/board.json').then(function (r) { return r.json(); }).then(function (rows) {
    var html = '<table><thead><tr><th>Model</th><th>Accuracy</th></tr></thead><tbody>';
    rows.forEach(function (row) {
      html += '<tr><td>' + row.model + '</td><td>' + row.accuracy + '</td></tr>';
    });
    document.getElementById('board').innerHTML = html + '</tbody></table>';
  });
}, 300);
</script></body></html>"""

JS_ROWS = [{"model": "render-a", "accuracy": "91.5%"}, {"model": "render-b", "accuracy": "87.25"},
           {"model": "render-c", "accuracy": "n/a"}]

# Windows-1252 bytes, no charset anywhere: the fetcher must not mangle "Café" or "naïve".
CP1252_BOARD = ("<html><body><table><tr><th>Model</th><th>Score</th></tr>"
                "<tr><td>Café-Net</td><td>77.5</td></tr><tr><td>naïve-bayes</td><td>61.0</td></tr>"
                "</table></body></html>").encode("cp1252")
LATIN1_DECLARED = ("<html><body><table><tr><th>Modèle</th><th>Précision</th></tr>"
                   "<tr><td>Rémi</td><td>0,912</td></tr></table></body></html>").encode("latin-1")

PWC_PAGE_JSON = """<html><head><title>ImageNet Benchmark (Image Classification) | Papers With Code
</title></head><body><table id="benchmarksTable"></table>
<script id="evaluation-table-data" type="application/json">[
 {"table_id": 116, "rank": 1, "method": "CoCa (finetuned)",
  "metrics": {"Top 1 Accuracy": "91.0%", "Number of params": "2100M"},
  "raw_metrics": {"Top 1 Accuracy": 91.0, "Number of params": 2100000000},
  "uses_additional_data": true, "evaluation_date": "2022-05-04",
  "paper": {"id": 1, "title": "CoCa", "url": "/paper/coca", "published": "2022-05-04"}},
 {"table_id": 116, "rank": 2, "method": "ViT-G/14", "metrics": {"Top 1 Accuracy": "90.45%",
  "Number of params": null}, "uses_additional_data": true,
  "paper": {"id": 2, "title": "Scaling ViT", "url": "/paper/scaling", "published": "2021-06-08"}}
]</script></body></html>"""


def big_table(rows: int) -> str:
    """A leaderboard table of ``rows`` rows (about 400 bytes each)."""
    body = "".join(
        f"<tr><td>{i + 1}</td><td><a href='/m/{i}'>model-{i}</a></td><td>{50 + (i % 500) / 10:.1f}"
        f"%</td><td>{60 + (i % 300) / 10:.2f} ± 0.{i % 10}</td><td>{i % 97}.{i % 13}</td>"
        f"<td class='muted'>{1 + i % 70}B</td><td>2024-0{1 + i % 9}-1{i % 10}</td></tr>"
        for i in range(rows))
    return ("<html><body><table><thead><tr><th>#</th><th>Model</th><th>MMLU</th><th>GSM8K</th>"
            "<th>HumanEval</th><th>Params</th><th>Date</th></tr></thead><tbody>"
            f"{body}</tbody></table></body></html>")


def pages_server() -> LocalServer:
    server = LocalServer()
    server.route(r"/robots\.txt", Reply(200, "User-agent: *\nDisallow: /private/\n",
                                        content_type="text/plain"))
    server.route(r"/board\.html", Reply(200, STATIC_BOARD))
    server.route(r"/private/board\.html", Reply(200, STATIC_BOARD))
    server.route(r"/changed\.html", Reply(200, CHANGED_LAYOUT))
    server.route(r"/js\.html", Reply(200, JS_BOARD))
    server.route(r"/api/board\.json", Reply(200, json.dumps(JS_ROWS), delay=0.4,
                                           content_type="application/json"))
    server.route(r"/cp1252\.html", Reply(200, CP1252_BOARD, content_type="text/html"))
    server.route(r"/latin1\.html", Reply(200, LATIN1_DECLARED,
                                         content_type="text/html; charset=ISO-8859-1"))
    server.route(r"/huge\.html", Reply(200, big_table(8000)))  # ~3 MB
    server.route(r"/ok", Reply(200, "fine", content_type="text/plain"))
    server.route(r"/slow/\d+", Reply(200, "slow", delay=0.15, content_type="text/plain"))
    server.route(r"/failing", Reply(500, "boom", content_type="text/plain"))
    server.route(r"/bad\.json", Reply(200, '{"results": [1, 2', content_type="application/json"))
    server.route(r"/pwc/imagenet\.html", Reply(200, PWC_PAGE_JSON))
    return server


@pytest.fixture(scope="session")
def hub():
    with MockHub(FIXTURES / "model_cards") as server:
        yield server


@pytest.fixture(scope="session")
def pages():
    with pages_server() as server:
        yield server


@pytest.fixture(scope="session")
def pwc_api():
    with PwcApi() as server:
        yield server


@pytest.fixture(autouse=True)
def _fresh_counters(request):
    """Each test sees hit counters from zero (servers are shared by the session)."""
    for name in ("hub", "pages", "pwc_api"):
        if name in request.fixturenames:
            request.getfixturevalue(name).reset()


@pytest.fixture
def fetcher():
    from modelbench.collect.http import Fetcher

    with Fetcher(cache=False, rate_per_host=None, backoff=0.01, retries=3) as f:
        yield f


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium") or ("/usr/bin/chromium"
                                            if os.path.exists("/usr/bin/chromium") else None)
    require(chromium is not None, "Chromium", "apt-get install chromium")
    from modelbench.collect.browser import Browser

    with Browser(executable_path=chromium, timeout=15) as started:
        yield started
