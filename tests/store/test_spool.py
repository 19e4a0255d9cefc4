"""The spool on its own: what it keeps, and that a repeated flush never doubles anything."""

from __future__ import annotations

import numpy as np
import pytest

from modelbench.records import BenchmarkResult
from modelbench.store.spool import Spool


def test_flush_skips_what_already_reached_the_store(sqlite_store, tmp_path):
    spool = Spool(tmp_path, "timescaledb", "db.example", 5432, "bench")
    assert spool.path.name == "timescaledb-db.example-5432-bench.jsonl"
    written = BenchmarkResult(model_name="m", id="reached", metric="acc", score=0.5)
    unsent = BenchmarkResult(model_name="模型", id="unsent", metric="acc", score=0.25,
                             extra={"k": "ü"})
    sqlite_store.insert_results([written])
    sqlite_store.insert_samples("reached", [1, 2])
    # the write of `reached` was acknowledged too late: the spool has it as well
    spool.add_results([written, unsent])
    spool.add_samples("reached", np.array([1, 2]), None)
    spool.add_samples("unsent", np.array([7, 8, 9]), written.timestamp)
    assert spool.pending()

    count = spool.flush(sqlite_store.insert_results, sqlite_store.insert_samples,
                        sqlite_store.stored_result_ids, sqlite_store.result_ids_with_samples)
    assert count == 1
    assert not spool.pending() and not spool.path.exists()
    assert sqlite_store.count_results() == 2
    assert sqlite_store.get_result("unsent") == unsent
    assert list(sqlite_store.get_samples("reached")) == [1, 2]
    assert list(sqlite_store.get_samples("unsent")) == [7, 8, 9]


def test_failed_flush_keeps_the_file(sqlite_store, tmp_path):
    spool = Spool(tmp_path, "clickhouse", "h", None, "d")
    spool.add_results([BenchmarkResult(model_name="m", id="x", score=1.0)])

    def broken(_results):
        raise OSError("server went away again")

    with pytest.raises(OSError, match="went away"):
        spool.flush(broken, sqlite_store.insert_samples, sqlite_store.stored_result_ids,
                    sqlite_store.result_ids_with_samples)
    assert spool.pending()
    assert [kind for kind, _ in spool.entries()] == ["results"]
