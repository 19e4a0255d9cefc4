"""Terminal UI speed with 100,000 stored results (20,000 with ``--quick``), headless Textual.

Rows:
  * open → Results table usable: app start until the first page is on screen, against the
    peer a naive UI would be (query every result and put every row into the DataTable).
    Goal from issue 6: under 1 s.
  * filter keystroke → filtered rows on screen (median over typing a model name one key at a
    time), against the bare store call a keystroke waits for (``query_results`` of one page
    with ``ResultFilter(search=...)``): the ratio is the share of the keystroke's time spent in
    the store, i.e. how little the UI adds. The count (a full scan) runs once typing pauses.
    The longest stall of the UI's event loop while typing is in the detail (queries run in
    worker threads).

Usage: ``python benchmarks/bench_tui.py [--quick]`` or ``python benchmarks/run.py --only tui``.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import Row, median_time  # noqa: E402

from modelbench import get_database_manager  # noqa: E402
from modelbench.records import BenchmarkResult, LatencyStats  # noqa: E402
from modelbench.store.base import ResultFilter  # noqa: E402

TASKS = ("text-classification", "question-answering", "summarization", "image-classification",
         "regression")
DATASETS = ("sst2", "mnli", "squad", "cnn_dailymail", "imagenet", "cifar10", "housing",
            "boolq", "rte", "qqp")
METRICS = ("accuracy", "f1", "exact_match")
SOURCES = ("local", "huggingface", "paperswithcode", "web")
TYPED = "model-0042"  # typed one key at a time: broad matches first, then one model


def fill(path: str, n: int) -> None:
    """``n`` results over 1,000 models, a year of timestamps, a quarter with latency."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    store = get_database_manager("sqlite", path=path)
    store.setup()
    batch: list[BenchmarkResult] = []
    for i in range(n):
        latency = None
        if i % 4 == 0:
            m = 1.0 + (i % 97) / 10
            latency = LatencyStats(mean_ms=m, median_ms=m, stdev_ms=0.1, min_ms=m * 0.9,
                                   max_ms=m * 2, p50_ms=m, p90_ms=m * 1.2, p95_ms=m * 1.3,
                                   p99_ms=m * 1.6, n_samples=100)
        batch.append(BenchmarkResult(
            model_name=f"model-{i % 1000:04d}", task_type=TASKS[i % 5],
            dataset=DATASETS[(i // 5) % 10], metric=METRICS[(i // 50) % 3],
            score=(i * 7919 % 10_000) / 10_000, source=SOURCES[(i // 7) % 4],
            latency=latency, timestamp=start + timedelta(seconds=i * 311)))
        if len(batch) == 10_000:
            store.insert_results(batch)
            batch = []
    store.insert_results(batch)
    store.close()


def opener(path: str):  # type: ignore[no-untyped-def]
    def open_store():  # type: ignore[no-untyped-def]
        store = get_database_manager("sqlite", path=path)
        store.setup()
        return store
    return open_store


async def _until(predicate, pilot, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the UI did not get there")
        await asyncio.sleep(0.002)


async def _open_once(path: str) -> float:
    """Seconds from app start to the Results tab showing its first page."""
    from modelbench.tui.app import ModelBenchApp
    from modelbench.tui.widgets import ResultsView

    start = time.perf_counter()
    app = ModelBenchApp(opener(path), initial_tab="results")
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one("#results-view", ResultsView)
        await _until(lambda: view.table.row_count > 0 and not view.loading, pilot)
        elapsed = time.perf_counter() - start
        await app.workers.wait_for_complete()
    return elapsed


async def _load_everything(path: str) -> float:
    """The naive peer: every result queried and added to one DataTable."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from modelbench.tui.data import RESULT_COLUMNS, result_row

    class AllRows(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    start = time.perf_counter()
    app = AllRows()
    async with app.run_test(size=(80, 24)) as pilot:
        store = get_database_manager("sqlite", path=path)
        rows = [result_row(r) for r in store.query_results()]
        store.close()
        table = app.query_one(DataTable)
        table.add_columns(*(c.label for c in RESULT_COLUMNS))
        table.add_rows([[c.render(r.get(c.key)) for c in RESULT_COLUMNS] for r in rows])
        await pilot.pause()
        elapsed = time.perf_counter() - start
    return elapsed


async def _typing(path: str) -> tuple[list[float], float]:
    """Per-keystroke seconds until the filtered page is shown, and the longest loop stall."""
    from textual import events

    from modelbench.tui.app import ModelBenchApp
    from modelbench.tui.widgets import ResultsView

    app = ModelBenchApp(opener(path), initial_tab="results")
    times: list[float] = []
    stall = 0.0
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one("#results-view", ResultsView)
        await _until(lambda: view.table.row_count > 0 and not view.loading, pilot)
        await pilot.press("slash")
        beat = {"last": time.perf_counter(), "max": 0.0, "on": True}

        async def heartbeat() -> None:  # how late does the event loop run a 5 ms timer?
            while beat["on"]:
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                beat["max"] = max(beat["max"], now - beat["last"] - 0.005)
                beat["last"] = now

        ticker = asyncio.create_task(heartbeat())
        for i, key in enumerate(TYPED):
            typed = TYPED[: i + 1]
            start = time.perf_counter()
            # What the terminal driver does with a key press (Pilot.press adds idle waits).
            app.post_message(events.Key(key, key))
            await _until(lambda t=typed: view.loaded_search == t and not view.loading, pilot)
            times.append(time.perf_counter() - start)
        beat["on"] = False
        await ticker
        stall = beat["max"]
        shown = {r["model_name"] for r in view.table.rows_shown}
        assert shown == {TYPED}, f"the filter did not narrow to {TYPED}: {sorted(shown)[:3]}"
    return times, stall


def _bare_store(path: str, page: int = 100) -> tuple[float, float]:
    """Medians over the typed prefixes: one page of ``query_results`` (what a keystroke waits
    for) and ``count_results`` (fetched once typing pauses)."""
    store = get_database_manager("sqlite", path=path)
    pages, counts = [], []
    for i in range(1, len(TYPED) + 1):
        flt = ResultFilter(search=TYPED[:i])
        pages.append(median_time(lambda f=flt: store.query_results(f, limit=page), repeat=3))
        counts.append(median_time(lambda f=flt: store.count_results(f), repeat=3))
    store.close()
    return statistics.median(pages), statistics.median(counts)


def rows(quick: bool) -> list[Row]:
    n = 20_000 if quick else 100_000
    repeat = 3 if quick else 5
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.db")
        fill(path, n)
        opens = [asyncio.run(_open_once(path)) for _ in range(repeat)]
        peer = [asyncio.run(_load_everything(path)) for _ in range(1 if not quick else 2)]
        gc.collect()  # the peer's 100k-row table must not be collected while we time keys
        typing, stall = asyncio.run(_typing(path))
        bare, count = _bare_store(path)
    ours, naive = statistics.median(opens), statistics.median(peer)
    key = statistics.median(typing)
    return [
        Row(f"tui: open → Results usable ({n:,} results)", "load all rows into the table",
            naive / ours, "< 1 s", ours < 1.0,
            f"ours {ours * 1000:.0f} ms (median of {repeat}), peer {naive:.1f} s"),
        Row(f"tui: filter keystroke → rows ({n:,} results)",
            "bare query_results (one page)", bare / key, "median < 0.1 s", key < 0.1,
            f"median {key * 1000:.0f} ms, worst {max(typing) * 1000:.0f} ms over "
            f"{len(TYPED)} keys; store page alone {bare * 1000:.0f} ms (count "
            f"{count * 1000:.0f} ms, after typing pauses); "
            f"longest UI stall {stall * 1000:.0f} ms"),
    ]


if __name__ == "__main__":
    for row in rows(quick="--quick" in sys.argv):
        print(row)
