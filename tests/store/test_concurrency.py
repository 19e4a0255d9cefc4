"""Concurrent writers lose nothing: two processes (servers, SQLite) and two threads (all).

Embedded ClickHouse (chdb) locks its data folder to one process: a second process gets a
clear error naming the folder, and threads of the owning process share it safely.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np

from modelbench.records import BenchmarkResult

WORKER = Path(__file__).with_name("worker.py")
N = 60


def _spawn(backend, prefix: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), backend.kind,
                             json.dumps(backend.options), prefix, str(N)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_insert_concurrently(backend, store):
    procs = [_spawn(backend, "a"), _spawn(backend, "b")]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    if backend.name == "clickhouse":
        for answer in outputs:  # the test process holds the folder
            assert answer["error"] == "StoreError"
            assert backend.options["path"] in answer["message"]
            assert "another process" in answer["hint"]
        return
    assert outputs == [{"written": N}, {"written": N}]
    assert store.count_results() == 2 * N
    for prefix in "ab":
        ids = [f"{prefix}-{i:05d}" for i in range(N)]
        assert store.stored_result_ids(ids) == set(ids)
        assert store.result_ids_with_samples(ids) == set(ids)
        np.testing.assert_array_equal(store.get_samples(f"{prefix}-00007"), np.arange(10) + 2)


def test_two_threads_share_one_store(store):
    errors: list[BaseException] = []

    def write(prefix: str) -> None:
        try:
            for start in range(0, N, 5):
                store.insert_results([BenchmarkResult(model_name=prefix, id=f"{prefix}{i}",
                                                      metric="m", score=1.0)
                                      for i in range(start, start + 5)])
                store.count_results()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in ("x", "y")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert store.count_results() == 2 * N
    assert store.distinct_values("model_name") == ["x", "y"]
