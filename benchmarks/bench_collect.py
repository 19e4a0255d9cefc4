"""Collection speed, against peers measured in the same run.

* table cells: selectolax (``modelbench.collect.tables.extract_cells``) vs BeautifulSoup with
  ``html.parser`` (what the original project used) on a 2 MB, 5000-row leaderboard table;
  goal >= 40x.
* fetching: 500 pages from a local server that answers after 10 ms, ``Fetcher.fetch_many`` with
  a per-host concurrency of 16 vs sequential ``requests``; goal >= 10x (16x is the ideal).
* dump import: ``modelbench collect pwc --dump`` of a 100,000-row archive dump into SQLite, in a
  child process; goal < 10 s CPU and < 500 MB peak memory (ratio = limit / measured).

Run: ``python benchmarks/run.py --only collect [--quick]``
"""

from __future__ import annotations

import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Row, median_time

REPO = Path(__file__).resolve().parent.parent


# -- 1. table cells -------------------------------------------------------------------------
def leaderboard_html(rows: int = 5000) -> str:
    """A realistic leaderboard page: links, badges, ± and % cells; ~2 MB for 5000 rows."""
    rng = random.Random(7)
    body = []
    for i in range(rows):
        body.append(
            f"<tr class='row-{i % 2}'><td class='rank'>{i + 1}</td>"
            f"<td class='model'><a href='/models/org-{i % 50}/model-{i}'>org-{i % 50}/model-{i}"
            f"</a> <span class='badge badge-open'>open</span></td>"
            f"<td>{rng.uniform(20, 90):.2f}%</td><td>{rng.uniform(20, 90):.1f} ± "
            f"{rng.uniform(0, 2):.1f}</td><td>{rng.uniform(0, 100):.2f}</td>"
            f"<td>{rng.uniform(0, 100):.2f}</td><td><b>{rng.uniform(0, 100):.2f}</b></td>"
            f"<td data-sort='{i}'>{rng.choice(['7B', '13B', '70B', '1.2k', '340M'])}</td>"
            f"<td class='license'><span title='license of the weights'>apache-2.0</span></td>"
            f"<td><time datetime='2024-01-01'>2024-0{1 + i % 9}-1{i % 10}</time></td></tr>")
    head = ("<thead><tr><th>#</th><th>Model</th><th>MMLU</th><th>GSM8K</th><th>ARC</th>"
            "<th>HellaSwag</th><th>Average</th><th>Params</th><th>License</th><th>Date</th>"
            "</tr></thead>")
    return (f"<!doctype html><html><head><title>Board</title></head><body><table>{head}"
            f"<tbody>{''.join(body)}</tbody></table></body></html>")


def median_cpu_time(func, repeat: int) -> float:
    """Median process CPU seconds of ``repeat`` calls (garbage collector on, as in real use)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _bs4_cells(html: str) -> list[list[list[str]]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return [[[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
             for tr in table.find_all("tr")] for table in soup.find_all("table")]


def bench_tables(quick: bool) -> Row:
    from modelbench.collect.tables import extract_cells, extract_tables

    html = leaderboard_html(5000)
    assert extract_cells(html) == _bs4_cells(html), "both parsers must read the same cells"
    # CPU time: both are single-threaded and CPU-bound, and the machine is shared.
    fast = median_cpu_time(lambda: extract_cells(html), repeat=3 if quick else 7)
    slow = median_cpu_time(lambda: _bs4_cells(html), repeat=1 if quick else 3)
    full = median_cpu_time(lambda: extract_tables(html), repeat=3)  # + spans, headers
    ratio = slow / fast
    return Row("2 MB 5000-row table: all cells", "BeautifulSoup html.parser", ratio, ">= 40x",
               ratio >= 40, f"{len(html) / 1e6:.1f} MB; CPU: extract_cells {fast * 1e3:.0f} ms, "
                            f"bs4 {slow * 1e3:.0f} ms; extract_tables {full * 1e3:.0f} ms")


# -- 2. fetching ----------------------------------------------------------------------------
# The local server runs in its own process, on asyncio: it is the stage, not the act, and
# Python's http.server would spend more CPU per request than the clients being compared.
SLOW_SERVER = r"""
import asyncio
BODY = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2048\r\n\r\n" + b"x" * 2048
MISSING = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            await asyncio.sleep(0.010)  # every page takes 10 ms to answer
            writer.write(MISSING if head.startswith(b"GET /robots.txt ") else BODY)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()
asyncio.run(main())
"""


def bench_fetch(quick: bool) -> Row:
    import requests

    from modelbench.collect.http import Fetcher

    server = subprocess.Popen([sys.executable, "-c", SLOW_SERVER], stdout=subprocess.PIPE,
                              text=True)
    try:
        base = f"http://127.0.0.1:{int(server.stdout.readline())}"
        n = 200 if quick else 500
        urls = [f"{base}/page/{i}" for i in range(n)]

        def sequential() -> None:
            with requests.Session() as session:
                for url in urls:
                    session.get(url, timeout=10).raise_for_status()

        def concurrent() -> None:  # a fresh fetcher each time: robots.txt and connections too
            with Fetcher(cache=False, rate_per_host=None, max_per_host=16) as fetcher:
                pages = fetcher.fetch_many(urls, max_workers=16)
            assert all(getattr(p, "status", 0) == 200 for p in pages)

        repeat = 1 if quick else 3
        slow = median_time(sequential, repeat=repeat)
        fast = median_time(concurrent, repeat=repeat)
    finally:
        server.kill()
        server.wait()
    ratio = slow / fast
    return Row(f"{n} pages, 10 ms each, per-host concurrency 16", "sequential requests", ratio,
               ">= 10x", ratio >= 10, f"requests {slow:.2f} s, Fetcher.fetch_many {fast:.2f} s")


# -- 3. dump import -------------------------------------------------------------------------
def write_dump(path: Path, rows: int, metrics_per_row: int = 1) -> None:
    """A dump shaped like evaluation-tables.json: tasks -> datasets (+subdatasets) -> rows,
    with subtasks; 500 rows per dataset."""
    rng = random.Random(3)
    names = ["Accuracy", "F1", "Top 5 Accuracy"]

    def row(t: int, d: int, i: int) -> dict:
        return {"model_name": f"model-{t}-{d}-{i}", "paper_title": f"Paper {t}/{d}/{i}",
                "paper_url": f"https://arxiv.org/abs/{2000 + t}.{d:02d}{i:03d}",
                "paper_date": "2021-06-01", "uses_additional_data": bool(i % 2),
                "code_links": [{"title": f"org/repo-{i}", "url": f"https://github.com/o/{i}"}],
                "metrics": {names[k]: f"{rng.uniform(40, 99):.2f}%"
                            for k in range(metrics_per_row)}, "model_links": []}

    made = 0
    with path.open("w") as handle:
        handle.write("[")
        t = 0
        while made < rows:
            datasets = []
            for d in range(4):
                count = min(500, rows - made)
                sub = [{"dataset": f"dataset-{t}-{d}-sub", "sota": {"rows": [
                    row(t, d, 10_000 + i) for i in range(min(50, count))]}, "subdatasets": []}]
                count_main = count - len(sub[0]["sota"]["rows"])
                datasets.append({"dataset": f"dataset-{t}-{d}", "description": "",
                                 "sota": {"metrics": names[:metrics_per_row],
                                          "rows": [row(t, d, i) for i in range(count_main)]},
                                 "subdatasets": sub})
                made += count
                if made >= rows:
                    break
            task = {"task": f"Task {t}", "description": "", "categories": ["X"],
                    "datasets": datasets[:2],
                    "subtasks": [{"task": f"Task {t} subtask", "datasets": datasets[2:],
                                  "subtasks": []}], "synonyms": [], "source_link": None}
            handle.write(("," if t else "") + json.dumps(task))
            t += 1
        handle.write("]")


def bench_dump(quick: bool) -> list[Row]:
    rows = 20_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "evaluation-tables.json"
        write_dump(dump, rows)
        db = Path(folder) / "bench.db"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [sys.executable, "-c", "from modelbench.cli import main; main()", "collect", "pwc",
             "--dump", str(dump), "--db-path", str(db)], capture_output=True, text=True, cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"import failed: {done.stdout}\n{done.stderr}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak_mb = after.ru_maxrss / 1024  # kilobytes on Linux
        size_mb = dump.stat().st_size / 1e6
    detail = f"{rows:,} rows ({size_mb:.0f} MB JSON) -> {rows:,} results; " \
             f"CPU {cpu:.1f} s, peak RSS {peak_mb:.0f} MB (whole CLI process)"
    return [Row(f"import {rows:,}-row PwC dump into SQLite: CPU", "10 s limit", 10 / cpu,
                "< 10 s CPU", cpu < 10, detail),
            Row(f"import {rows:,}-row PwC dump into SQLite: memory", "500 MB limit",
                500 / peak_mb, "< 500 MB peak", peak_mb < 500, detail)]


def rows(quick: bool) -> list[Row]:
    return [bench_tables(quick), bench_fetch(quick), *bench_dump(quick)]


if __name__ == "__main__":
    for item in rows("--quick" in sys.argv):
        print(item)
