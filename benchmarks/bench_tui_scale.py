"""The TUI's Sources tab (measured vs published) at 1,000,000 stored results (100,000 with
``--quick``), headless Textual, on SQLite.

Rows:
  * open the Sources tab → rows on screen, against the named peer a plain SQL
    ``SELECT ... GROUP BY`` of the same store (one row per model, board and source, best
    canonical value and count): the least any measured-vs-published view must read.
  * filter keystroke on the Sources tab → filtered rows on screen (median over typing a
    model name one key at a time), against the same peer.
  * ``analysis.leaderboards`` over 100,000 results (20,000 with ``--quick``): the store's
    pre-aggregated rows (SQL GROUP BY over a covering index) against the per-row path it
    replaced (``build_boards(scores(db))``: every result read and grouped in Python).
Goal from issue 17: open under 5 s; a keystroke under 0.1 s. Leaderboards (issue 10's
6.2 s at 100k): at least 2x the per-row path.

The store is built once by a bulk path through the schema (``load_table``) and reused from
``$MODELBENCH_BENCH_DIR`` (default ``/tmp/modelbench-bench``).

Usage: ``python benchmarks/bench_tui_scale.py [--quick]`` or
``python benchmarks/run.py --only tui_scale``.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_tui import DATASETS, METRICS, SOURCES, TASKS, TYPED  # noqa: E402  (one synthetic store shape)
from common import Row, median_time  # noqa: E402

from modelbench import get_database_manager  # noqa: E402
from modelbench.records import BenchmarkResult, LatencyStats  # noqa: E402

_CHUNK = 50_000
#: Bump when the store's shape changes, so an old cached store is not reused.
_SHAPE = "v1"


def fill_bulk(path: str, n: int) -> None:
    """``n`` results over 1,000 models, 150 boards (task x dataset x metric) and 4 sources;
    published values printed as percents (canonical fractions), a quarter with latency."""
    store = get_database_manager("sqlite", path=path)
    store.setup()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    latency = LatencyStats(mean_ms=1.0, median_ms=1.0, stdev_ms=0.1, min_ms=0.9, max_ms=2.0,
                           p50_ms=1.0, p90_ms=1.1, p95_ms=1.2, p99_ms=1.5, n_samples=100)
    with_latency = BenchmarkResult(model_name="x", metric="accuracy", score=0.5,
                                   latency=latency).to_row()
    without = BenchmarkResult(model_name="x", metric="accuracy", score=0.5).to_row()
    for first in range(0, n, _CHUNK):
        rows = []
        for i in range(first, min(n, first + _CHUNK)):
            source = SOURCES[(i // 7) % 4]
            row = dict(with_latency if i % 4 == 0 and source == "local" else without)
            value = (i * 7919 % 10_000) / 10_000
            published = source != "local"
            row.update(id=uuid.uuid4().hex, model_name=f"model-{i % 1000:04d}",
                       task_type=TASKS[i % 5], dataset=DATASETS[(i // 5) % 10],
                       metric=METRICS[(i // 50) % 3], source=source,
                       score=value * 100 if published else value, score_canonical=value,
                       score_printed=f"{value * 100:.2f}" if published else "",
                       metric_kind="score", direction="higher",
                       timestamp=start + timedelta(seconds=i * 31))
            if row["latency_median_ms"] is not None:
                row["latency_median_ms"] = 1.0 + (i % 97) / 10
            rows.append(row)
        store.load_table("model_benchmarks", rows)
    store.close()


def store_path(n: int) -> str:
    """The cached store of ``n`` results, built on first use."""
    folder = Path(os.environ.get("MODELBENCH_BENCH_DIR", "/tmp/modelbench-bench"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sources-{_SHAPE}-{n}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        fill_bulk(str(partial), n)
        partial.rename(path)
    return str(path)


def plain_group_by(path: str) -> int:
    """The peer: one plain SQL GROUP BY over the store (best value and count per model,
    board and source)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT task_type, dataset, dataset_config, dataset_split, metric, model_name, "
            "batch_size, source, MAX(score_canonical), COUNT(*) FROM model_benchmarks "
            "WHERE status = 'ok' GROUP BY task_type, dataset, dataset_config, dataset_split, "
            "metric, model_name, batch_size, source").fetchall()
    return len(rows)


def opener(path: str):  # type: ignore[no-untyped-def]
    def open_store():  # type: ignore[no-untyped-def]
        store = get_database_manager("sqlite", path=path)
        store.setup()
        return store
    return open_store


async def _until(predicate, timeout: float = 300.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the UI did not get there")
        await asyncio.sleep(0.002)


async def _sources(path: str) -> tuple[float, list[float], int]:
    """Seconds to the Sources tab's rows, seconds per filter keystroke, rows shown."""
    from textual import events

    from modelbench.tui.app import ModelBenchApp
    from modelbench.tui.widgets import SourcesView

    start = time.perf_counter()
    app = ModelBenchApp(opener(path), initial_tab="sources")
    keys: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one("#sources-view", SourcesView)
        await _until(lambda: view.table.row_count > 0 and not view.loading)
        opened = time.perf_counter() - start
        total = len(view.all_rows)
        await pilot.press("slash")
        for i, key in enumerate(TYPED):
            typed = TYPED[: i + 1]
            began = time.perf_counter()
            app.post_message(events.Key(key, key))
            await _until(lambda t=typed: view.search == t and not view.loading)
            keys.append(time.perf_counter() - began)
        shown = {r["model_name"] for r in view.table.rows_shown}
        assert shown == {TYPED}, f"the filter did not narrow to {TYPED}: {sorted(shown)[:3]}"
        await app.workers.wait_for_complete()
    return opened, keys, total


def _leaderboard_row(n: int) -> Row:
    import importlib

    from modelbench import analysis

    per_row = importlib.import_module("modelbench.analysis.scores").scores
    db = get_database_manager("sqlite", path=store_path(n))
    db.setup()
    grouped = median_time(lambda: analysis.leaderboards(db, quality_ties=False), repeat=3)
    peer = median_time(lambda: analysis.build_boards(per_row(db)), repeat=3)
    db.close()
    return Row(f"leaderboards, {n:,} results (SQLite)", "per-row path (scores + Python)",
               peer / grouped, ">= 2x", peer / grouped >= 2,
               f"grouped {grouped:.2f} s, per-row {peer:.2f} s")


def rows(quick: bool) -> list[Row]:
    n = 100_000 if quick else 1_000_000
    board_row = _leaderboard_row(20_000 if quick else 100_000)
    path = store_path(n)
    peer = median_time(lambda: plain_group_by(path), repeat=3)
    opened, keys, total = asyncio.run(_sources(path))
    key = statistics.median(keys)
    return [
        Row(f"tui Sources: open → rows ({n:,} results)", "plain SQL GROUP BY",
            peer / opened, "< 5 s", opened < 5.0,
            f"ours {opened:.2f} s for {total:,} rows, peer {peer:.2f} s"),
        Row(f"tui Sources: filter keystroke ({n:,} results)", "plain SQL GROUP BY",
            peer / key, "median < 0.1 s", key < 0.1,
            f"median {key * 1000:.0f} ms, worst {max(keys) * 1000:.0f} ms over "
            f"{len(TYPED)} keys"),
        board_row,
    ]


if __name__ == "__main__":
    for row in rows(quick="--quick" in sys.argv):
        print(row)
