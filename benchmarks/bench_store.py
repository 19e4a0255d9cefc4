"""Store speed: bulk sample inserts and the "top 10 per task with median latency" query.

Rows (same run, medians, ratios against SQLite measured alongside):
  * bulk insert of 1,000,000 sample rows (``insert_samples_many``): ClickHouse (chdb) goal
    >= 1,000,000 rows/s, PostgreSQL and TimescaleDB (binary COPY) >= 500,000 rows/s;
  * ``latency_medians()`` over 10,000,000 stored samples: ClickHouse >= 5x SQLite.
``quick`` scales to 200,000 rows and 1,000,000 samples. PostgreSQL/TimescaleDB rows need the
servers (``scripts/services/postgres.sh start``, ``scripts/services/timescaledb.sh start`` or
``MODELBENCH_PG_URL``/``MODELBENCH_TIMESCALE_URL``); without them the row says so.

    python benchmarks/run.py --only store [--quick]
"""

from __future__ import annotations

import logging
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from common import Row

from modelbench import get_database_manager
from modelbench.records import BenchmarkResult

REPO = Path(__file__).resolve().parent.parent
# Each throwaway benchmark database would repeat the "runs without TimescaleDB" notice.
logging.getLogger("modelbench.store").setLevel(logging.ERROR)
T0 = datetime(2026, 1, 5, tzinfo=UTC)


def _server_url(env_var: str, script: str) -> str | None:
    if os.environ.get(env_var):
        return os.environ[env_var]
    path = REPO / "scripts" / "services" / script
    if path.is_file() and subprocess.run([path, "status"], capture_output=True).returncode == 0:
        return subprocess.run([path, "url"], capture_output=True, text=True).stdout.strip()
    return None


@contextmanager
def _store(kind: str) -> Iterator[Any]:
    """A fresh, set-up store of one backend; removed afterwards."""
    folder = tempfile.mkdtemp(prefix="mbbench-")
    if kind == "sqlite":
        store = get_database_manager("sqlite", path=f"{folder}/bench.db")
    elif kind == "clickhouse":
        store = get_database_manager("clickhouse", path=f"{folder}/ch")
    else:
        import psycopg

        url = _server_url(*(("MODELBENCH_PG_URL", "postgres.sh") if kind == "postgres" else
                            ("MODELBENCH_TIMESCALE_URL", "timescaledb.sh")))
        if url is None:
            raise LookupError(f"{kind} server not running (scripts/services/"
                              f"{'postgres' if kind == 'postgres' else 'timescaledb'}.sh start)")
        name = f"mbbench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        store = get_database_manager("timescaledb", url=url.rsplit("/", 1)[0] + "/" + name)
    store.setup()
    try:
        yield store
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
        if kind in ("postgres", "timescaledb"):
            _drop_database(url, name)


def _drop_database(url: str, name: str) -> None:
    """An autovacuum worker (not ours to terminate) may still be in it: retry a while."""
    import psycopg

    for _ in range(40):
        try:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            time.sleep(0.5)


def _sample_batch(n_rows: int, per_result: int = 1000, seed: int = 0) -> list[tuple]:
    rng = np.random.default_rng(seed)
    return [(uuid.uuid4().hex, rng.integers(100_000, 50_000_000, per_result), T0)
            for _ in range(n_rows // per_result)]


def _insert_rate(kind: str, n_rows: int, repeat: int) -> float:
    """Median rows/s of inserting ``n_rows`` samples into a fresh store."""
    rates = []
    for attempt in range(repeat):
        batch = _sample_batch(n_rows, seed=attempt)
        with _store(kind) as store:
            start = time.perf_counter()
            written = store.insert_samples_many(batch)
            rates.append(written / (time.perf_counter() - start))
    return statistics.median(rates)


def _load_leaderboard_data(store: Any, n_samples: int) -> None:
    """20 tasks x 50 models x results with 1000 samples each, in chunks."""
    rng = np.random.default_rng(1)
    per_result = 1000
    n_results = n_samples // per_result
    results = []
    for i in range(n_results):
        task, model = i % 20, (i // 20) % 50
        results.append(BenchmarkResult(
            model_name=f"model-{model:02d}", task_type=f"task-{task:02d}", dataset="d",
            metric="score", score=float(rng.uniform(0, 1)),
            timestamp=T0 + timedelta(seconds=i)))
    store.insert_results(results)
    chunk = 1_000  # results per insert: 1M sample rows
    for start in range(0, n_results, chunk):
        store.insert_samples_many([(r.id, rng.integers(100_000, 50_000_000, per_result),
                                    r.timestamp) for r in results[start:start + chunk]])


def _query_time(kind: str, n_samples: int, repeat: int) -> tuple[float, list[dict]]:
    with _store(kind) as store:
        _load_leaderboard_data(store, n_samples)
        answer = store.latency_medians()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            store.latency_medians()
            times.append(time.perf_counter() - start)
    return statistics.median(times), answer


def _try(func: Callable[[], Any]) -> Any:
    try:
        return func()
    except LookupError as exc:
        return exc


def rows(quick: bool) -> list[Row]:
    n_insert = 200_000 if quick else 1_000_000
    n_query = 1_000_000 if quick else 10_000_000
    repeat = 3
    out: list[Row] = []
    sqlite_rate = _insert_rate("sqlite", n_insert, repeat)
    goals = {"clickhouse": 1_000_000, "postgres": 500_000, "timescaledb": 500_000}
    for kind, goal in goals.items():
        rate = _try(lambda kind=kind: _insert_rate(kind, n_insert, repeat))
        name = f"bulk insert {n_insert:,} samples: {kind}"
        if isinstance(rate, LookupError):
            out.append(Row(name, "sqlite", float("nan"), f">= {goal:,} rows/s", False, str(rate)))
            continue
        out.append(Row(name, "sqlite", rate / sqlite_rate, f">= {goal:,} rows/s", rate >= goal,
                       f"{rate:,.0f} rows/s vs sqlite {sqlite_rate:,.0f} rows/s"))
    sqlite_time, reference = _query_time("sqlite", n_query, repeat)
    for kind in ("clickhouse", "postgres", "timescaledb"):
        timed = _try(lambda kind=kind: _query_time(kind, n_query, repeat))
        name = f"median latency per task and model, {n_query:,} samples: {kind}"
        goal = ">= 5x" if kind == "clickhouse" else "(shown)"
        if isinstance(timed, LookupError):
            out.append(Row(name, "sqlite", float("nan"), goal, False, str(timed)))
            continue
        seconds, answer = timed
        same = _same_answer(answer, reference)
        ratio = sqlite_time / seconds
        met = same and (ratio >= 5 if kind == "clickhouse" else True)
        out.append(Row(name, "sqlite", ratio, goal, met,
                       f"{seconds * 1000:.0f} ms vs sqlite {sqlite_time * 1000:.0f} ms"
                       f"{'' if same else '; ANSWERS DIFFER'}"))
    return out


def _same_answer(a: list[dict], b: list[dict]) -> bool:
    if [(r["task_type"], r["model_name"], r["n_results"]) for r in a] != \
            [(r["task_type"], r["model_name"], r["n_results"]) for r in b]:
        return False
    return all(abs(x["median_latency_ms"] - y["median_latency_ms"]) < 1e-6
               for x, y in zip(a, b, strict=True))
