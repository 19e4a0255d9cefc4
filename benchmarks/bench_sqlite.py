"""SQLite bulk insert of raw latency samples: the store against bare sqlite3.

Row (issue 2, "Speed"): ``SQLiteManager.insert_samples`` of 1,000,000 rows at least half
the rate of a bare ``sqlite3`` ``executemany`` of ready-made tuples in one transaction, into
the same table (same DDL from the schema, same PRAGMAs: WAL, synchronous=NORMAL).
``--quick`` uses 200,000 rows.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from common import Row

from modelbench.records import new_id, utcnow
from modelbench.store.schema import create_table_sql
from modelbench.store.sqlite import SQLiteManager


def _bare(path: Path, latencies: np.ndarray) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(create_table_sql("benchmark_samples", "sqlite"))
    result_id, stamp = new_id(), utcnow().isoformat(timespec="microseconds")
    rows = [(result_id, stamp, i, v) for i, v in enumerate(latencies.tolist())]
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO benchmark_samples (result_id, timestamp, seq, latency_ns) "
                     "VALUES (?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def _store(path: Path, latencies: np.ndarray) -> float:
    store = SQLiteManager(path)
    store.setup()
    start = time.perf_counter()
    count = store.insert_samples(new_id(), latencies, utcnow())
    elapsed = time.perf_counter() - start
    assert count == len(latencies)
    store.close()
    return elapsed


def rows(quick: bool = False) -> list[Row]:
    n = 200_000 if quick else 1_000_000
    latencies = np.random.default_rng(0).integers(1_000, 5_000_000, n, dtype=np.int64)
    bare, ours = [], []
    with tempfile.TemporaryDirectory(prefix="bench-sqlite-") as tmp:
        for round_ in range(3):
            bare.append(_bare(Path(tmp) / f"bare{round_}.db", latencies))
            ours.append(_store(Path(tmp) / f"store{round_}.db", latencies))
    bare_rate, our_rate = n / statistics.median(bare), n / statistics.median(ours)
    ratio = our_rate / bare_rate
    return [Row(f"sqlite: insert_samples, {n:,} rows", "bare sqlite3 executemany, one "
                "transaction (rate ratio)", ratio, ">= 0.5x", ratio >= 0.5,
                f"{our_rate:,.0f} vs {bare_rate:,.0f} rows/s")]


if __name__ == "__main__":
    for row in rows(quick=False):
        print(row)
