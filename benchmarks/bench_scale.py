"""Scale: commands that must stay fast and small however much is stored.

Rows:
  * ``compare --model A --model B`` with 1,000,000 stored results (SQLite; the real CLI in a
    child process): goal < 5 s and < 1 GB peak RSS. Peer: the same command with 1/20 of
    the rows (a ratio near 1 means it does not grow with the store).
  * PostgreSQL sample inserts for ONE result: 400,000 latencies against 100,000 (binary COPY
    into a fresh database): goal <= 1.5x the time per row (linear). Needs the server
    (``scripts/services/postgres.sh start`` or ``MODELBENCH_PG_URL``).
``quick`` uses 100,000 results and 50,000 / 200,000 samples.

    python benchmarks/run.py --only scale [--quick]
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from common import Row

from modelbench import get_database_manager
from modelbench.records import BenchmarkResult, LatencyStats

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 1, 5, tzinfo=UTC)
_CHUNK = 50_000


def _fill_sqlite(path: str, n_results: int) -> None:
    """``n_results`` ok results of 1,000 models; A and B (with samples) among them."""
    store = get_database_manager("sqlite", path=path)
    store.setup()
    latency = LatencyStats(mean_ms=1.0, median_ms=1.0, stdev_ms=0.1, min_ms=0.9, max_ms=2.0,
                           p50_ms=1.0, p90_ms=1.1, p95_ms=1.2, p99_ms=1.5, n_samples=2000)
    template = BenchmarkResult(model_name="x", task_type="cls", dataset="d", metric="accuracy",
                               score=0.5, latency=latency).to_row()
    for start in range(0, n_results, _CHUNK):
        rows = []
        for i in range(start, min(n_results, start + _CHUNK)):
            row = dict(template)
            row.update(id=uuid.uuid4().hex, model_name=f"model-{i % 1000}",
                       timestamp=T0 + timedelta(seconds=i), score=(i % 997) / 997)
            rows.append(row)
        store.load_table("model_benchmarks", rows)
    rng = np.random.default_rng(0)
    for name, scale in (("A", 1.0), ("B", 1.1)):
        result = BenchmarkResult(model_name=name, task_type="cls", dataset="d",
                                 metric="accuracy", score=0.9, latency=latency,
                                 timestamp=T0 + timedelta(days=400))
        store.insert_result(result)
        store.insert_samples(result.id, (rng.normal(1e6, 1e4, 2000) * scale).astype(np.int64))
    store.close()


def _compare_cli(path: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``modelbench compare --model A --model B``."""
    code = ("import resource, sys, time\n"
            "from modelbench.cli import main\n"
            "sys.argv = ['modelbench', 'compare', '--model', 'A', '--model', 'B', '--db-path', "
            f"{path!r}]\n"
            "start = time.perf_counter()\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('WALL', time.perf_counter() - start, file=sys.stderr)\n"
            "print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,"
            " file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=True)
    figures = dict(line.split() for line in done.stderr.splitlines()
                   if line.startswith(("WALL", "RSS")))
    if "A" not in done.stdout or "B" not in done.stdout:
        raise RuntimeError(f"compare printed no comparison: {done.stdout[-500:]}")
    return float(figures["WALL"]), float(figures["RSS"])


def _compare_rows(quick: bool) -> list[Row]:
    n = 100_000 if quick else 1_000_000
    folder = tempfile.mkdtemp(prefix="mbscale-")
    small, large = f"{folder}/small.db", f"{folder}/large.db"
    _fill_sqlite(small, n // 20)
    _fill_sqlite(large, n)
    small_s, _ = _compare_cli(small)
    large_s, large_mb = _compare_cli(large)
    for path in (small, large):
        Path(path).unlink(missing_ok=True)
    return [Row(f"compare --model A --model B, {n:,} results (SQLite)",
                f"same, {n // 20:,} results", large_s / small_s, "< 5 s and < 1 GB",
                large_s < 5 and large_mb < 1024,
                f"{large_s:.2f} s, peak RSS {large_mb:.0f} MB (small store {small_s:.2f} s)")]


def _pg_rows(quick: bool) -> list[Row]:
    import psycopg

    url = os.environ.get("MODELBENCH_PG_URL")
    if not url:
        return [Row("PostgreSQL samples of one result", "-", 0.0, "<= 1.5x per row", False,
                    "no server: scripts/services/postgres.sh start; export MODELBENCH_PG_URL")]
    small, large = (50_000, 200_000) if quick else (100_000, 400_000)
    name = f"mbscale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    per_row = {}
    try:
        store = get_database_manager("timescaledb", url=url.rsplit("/", 1)[0] + "/" + name)
        store.setup()
        for n in (small, large, small, large):  # twice each, the median of two
            start = time.perf_counter()
            store.insert_samples(uuid.uuid4().hex, np.arange(n, dtype=np.int64))
            per_row.setdefault(n, []).append((time.perf_counter() - start) / n)
        store.close()
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    ratio = min(per_row[large]) / min(per_row[small])
    return [Row(f"PostgreSQL COPY of {large:,} samples of one result (time per row)",
                f"{small:,} samples", ratio, "<= 1.5x (linear)", ratio <= 1.5,
                f"{1 / min(per_row[large]) / 1e3:.0f}k rows/s at {large:,}")]


def rows(quick: bool) -> list[Row]:
    logging.getLogger("modelbench.store").setLevel(logging.ERROR)  # the no-TimescaleDB notice
    return _compare_rows(quick) + _pg_rows(quick)


if __name__ == "__main__":
    for row in rows("--quick" in sys.argv):
        print(row)
