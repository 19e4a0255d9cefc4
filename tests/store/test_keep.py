"""Nothing measured is lost: every store failure keeps the result *and its samples*.

Real failures only: a SQLite write lock held by another connection, a real full (and then
read-only) filesystem (a 1 MB tmpfs, when this machine lets the test mount one), a real
PostgreSQL made unreachable through a relay, damaged SQLite pages, a dump import that runs
out of room halfway.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

from modelbench import get_database_manager
from modelbench.errors import StoreDamagedError, StoreError
from modelbench.records import BenchmarkResult
from modelbench.store.sqlite import SQLiteManager
from modelbench.store.transfer import export_store, import_store

from .proxy import Relay

SAMPLES = np.arange(1_000, 1_500, dtype=np.int64)  # 500 latencies


def _measured(name: str = "m", **fields) -> BenchmarkResult:
    return BenchmarkResult(model_name=name, metric="accuracy", score=0.5, **fields)


@pytest.fixture
def spool_dir(tmp_path, monkeypatch):
    folder = tmp_path / "spool"
    monkeypatch.setenv("MODELBENCH_SPOOL_DIR", str(folder))
    return folder


def _assert_stored_in_full(store, result):
    assert store.get_result(result.id) is not None
    np.testing.assert_array_equal(store.get_samples(result.id), SAMPLES)


def test_sqlite_lock_past_the_busy_timeout_spools_result_and_samples(tmp_path, spool_dir):
    path = str(tmp_path / "bench.db")
    SQLiteManager(path).setup()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write
    store = SQLiteManager(path, timeout=0.2)
    result = _measured()
    info = store.keep_result(result, [SAMPLES])
    assert info["stored"] is False and "locked" in info["store_error"]
    spool = Path(info["spool_path"])
    assert spool.parent == spool_dir
    [entry] = [json.loads(line) for line in spool.read_text().splitlines()]
    assert entry["kind"] == "measured" and len(entry["samples"][0]["latencies_ns"]) == 500
    holder.execute("ROLLBACK")
    holder.close()
    store.close()
    with SQLiteManager(path) as again:  # the next setup writes what was kept
        again.setup()
        _assert_stored_in_full(again, result)
        assert not spool.exists()
        again.setup()
        assert again.count_results() == 1  # never doubled


def test_samples_that_fail_after_their_result_are_kept_alone(tmp_path, spool_dir):
    path = str(tmp_path / "bench.db")
    store = SQLiteManager(path)
    store.setup()
    result = _measured()
    # samples of a batch with a duplicate (result_id, series, seq) key fail as a whole
    store.insert_samples(result.id, SAMPLES[:1])
    info = store.keep_result(result, [SAMPLES])
    assert info["stored"] is True and info["store_error"] and info["spool_path"]
    [entry] = [json.loads(line) for line in Path(info["spool_path"]).read_text().splitlines()]
    assert entry["result"] is None and len(entry["samples"][0]["latencies_ns"]) == 500


def test_secrets_never_reach_a_stored_message(tmp_path, spool_dir, monkeypatch):
    monkeypatch.setenv("MODELBENCH_DB_PASSWORD", "pw-that-must-not-leak")
    with SQLiteManager(str(tmp_path / "bench.db")) as store:
        result = _measured(status="error", error_message="env has pw-that-must-not-leak",
                           warnings=["saw pw-that-must-not-leak"])
        store.keep_result(result)
        stored = store.get_result(result.id)
    assert "pw-that-must-not-leak" not in stored.error_message + " ".join(stored.warnings)
    assert "***" in stored.error_message


def test_a_damaged_sqlite_file_is_a_named_error_with_what_to_do(tmp_path):
    path = tmp_path / "bench.db"
    with SQLiteManager(str(path)) as store:
        store.setup()
        store.insert_results([_measured(str(i)) for i in range(2000)])
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[8192:len(data) - 4096] = b"\xde\xad\xbe\xef" * ((len(data) - 12288) // 4)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreDamagedError) as info:
        with SQLiteManager(str(path)) as store:
            store.setup()
            store.count_results()
            store.query_results()
    assert "damaged" in info.value.message and ".recover" in info.value.hint
    (tmp_path / "junk.db").write_bytes(os.urandom(8192))
    with pytest.raises(StoreDamagedError):
        SQLiteManager(str(tmp_path / "junk.db")).setup()


def test_import_on_a_full_disk_is_all_or_nothing(tmp_path):
    source = SQLiteManager(":memory:")
    source.setup()
    results = [_measured(f"m{i}") for i in range(2000)]
    source.insert_results(results)
    source.insert_samples_many([(r.id, SAMPLES, None) for r in results[:200]])
    export_store(source, tmp_path / "dump")
    with SQLiteManager(str(tmp_path / "dst.db")) as store:
        store.setup()
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages + 200}")  # a disk that fills up
        with pytest.raises(StoreError) as info:
            import_store(store, tmp_path / "dump")
        assert "full" in str(info.value) and "cannot rollback" not in str(info.value)
        assert store.count_results() == 0
        assert store.result_ids_with_samples([r.id for r in results]) == set()
        store._conn.execute("PRAGMA max_page_count = 1073741823")
        report = import_store(store, tmp_path / "dump")  # room again: all of it, once
        assert report["model_benchmarks"]["written"] == 2000
        assert report["benchmark_samples"]["written"] == 200 * 500


def test_one_invalid_row_of_a_dump_costs_one_row(tmp_path):
    import pyarrow.parquet as pq

    source = SQLiteManager(":memory:")
    source.setup()
    source.insert_results([_measured(f"m{i}") for i in range(50)])
    export_store(source, tmp_path / "dump")
    table = pq.read_table(tmp_path / "dump" / "model_benchmarks.parquet")
    scores = table.column("score").to_pylist()
    scores[7] = float("inf")
    table = table.set_column(table.schema.get_field_index("score"), "score",
                             __import__("pyarrow").array(scores, type=table.schema.field(
                                 "score").type))
    pq.write_table(table, tmp_path / "dump" / "model_benchmarks.parquet")
    with SQLiteManager(":memory:") as store:
        store.setup()
        report = import_store(store, tmp_path / "dump")
        assert report["model_benchmarks"] == {"written": 49, "skipped": 0, "rejected": 1}
        assert store.count_results() == 49


def test_one_bad_value_is_one_skipped_result():
    with SQLiteManager(":memory:") as store:
        store.setup()
        batch = [_measured(f"m{i}") for i in range(10)]
        batch[3].score = float("inf")
        ids, rejected = store.insert_valid(batch)
        assert len(ids) == 9 and [r.model_name for r, _ in rejected] == ["m3"]
        assert "inf" in rejected[0][1]


@pytest.fixture
def small_disk(tmp_path):
    """A real 1 MB filesystem (tmpfs), mounted for this test and unmounted after it."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip()}); "
                    "run the tests as root to include the full-disk case")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:  # ENOSPC: the disk is full now
            pass
    return filler


def test_full_disk_then_read_only_disk_keep_results(small_disk, monkeypatch):
    monkeypatch.setenv("MODELBENCH_SPOOL_DIR", str(small_disk / "spool"))
    path = str(small_disk / "bench.db")
    store = SQLiteManager(path)
    store.setup()
    filler = _fill(small_disk)
    full = _measured("on-a-full-disk")
    info = store.keep_result(full, [SAMPLES])
    assert info["stored"] is False and "full" in info["store_error"]
    # the spool's own folder is on the same full disk: the temp folder keeps it instead
    fallback = Path(tempfile.gettempdir()) / "modelbench-spool"
    assert Path(info["spool_path"]).parent == fallback
    filler.unlink()

    store.close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(StoreError) as refused:  # a run opening it now is told before measuring
        SQLiteManager(path).setup()
    assert "writable" in (refused.value.hint or "") or "read-only" in str(refused.value)
    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    with SQLiteManager(path) as again:
        again.setup()  # writes what the fallback spool kept
        _assert_stored_in_full(again, full)
        assert not Path(info["spool_path"]).exists()


# -- servers ----------------------------------------------------------------------------
@pytest.fixture
def relayed(server_backend, tmp_path):
    relay = Relay(server_backend.options["host"], server_backend.options["port"]).start()
    options = {**server_backend.options, "host": "127.0.0.1", "port": relay.port,
               "spool_dir": str(tmp_path / "spool")}
    yield relay, options
    relay.cut()


def test_outage_at_connect_keeps_result_and_samples(server_backend, relayed):
    relay, options = relayed
    relay.cut()  # the server is away before the first write (setup() fails)
    store = get_database_manager(server_backend.kind, **options)
    result = _measured()
    info = store.keep_result(result, [SAMPLES, (SAMPLES[:10], "load", 0)])
    assert info["stored"] is False and info["spool_path"]
    assert options["password"] not in info["store_error"]
    store.close()
    relay.start()
    fresh = get_database_manager(server_backend.kind, **options)
    try:
        fresh.setup()
        _assert_stored_in_full(fresh, result)
        np.testing.assert_array_equal(fresh.get_samples(result.id, series="load"),
                                      SAMPLES[:10])
        assert not Path(info["spool_path"]).exists()
    finally:
        fresh.close()


def test_outage_mid_run_keeps_every_sample(server_backend, relayed):
    relay, options = relayed
    store = get_database_manager(server_backend.kind, **options)
    first, second = _measured("first"), _measured("second")
    assert store.keep_result(first, [SAMPLES])["stored"]
    relay.cut()
    info = store.keep_result(second, [SAMPLES])
    assert info["stored"] is False and info["spool_path"]
    relay.start()
    store.setup()
    _assert_stored_in_full(store, first)
    _assert_stored_in_full(store, second)
    store.close()


def test_nul_in_a_name_is_stored_not_dropped(server_backend, tmp_path, spool_dir):
    store = server_backend.open()
    try:
        result = _measured("bad\x00name", error_message="x\x00y", status="error")
        info = store.keep_result(result, [SAMPLES])
        assert info == {"stored": True, "samples_stored": 500, "spool_path": None,
                        "store_error": None}
        assert store.get_result(result.id).model_name == "bad\ufffdname"
    finally:
        store.close()


def test_compare_models_keeps_every_result_while_the_store_is_locked(tmp_path, spool_dir):
    from modelbench import ModelBenchmark

    path = str(tmp_path / "bench.db")
    SQLiteManager(path).setup()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    bench = ModelBenchmark(db_manager=SQLiteManager(path, timeout=0.1), min_calls=20,
                           min_time=0.01, warmup_time=0.0, max_time=1.0)
    with pytest.warns(RuntimeWarning, match="kept in"):
        outcome = bench.compare_models(
            [{"name": "double", "function": lambda xs: [2 * x for x in xs]},
             {"name": "plus", "function": lambda xs: [x + 1 for x in xs]}],
            metric="mse", inputs=[1, 2, 3], expected_outputs=[2, 4, 6])
    rows = outcome["results"]
    assert [r["stored"] for r in rows] == [False, False] and all(r["spool_path"] for r in rows)
    holder.execute("ROLLBACK")
    holder.close()
    with SQLiteManager(path) as store:
        store.setup()
        for row in rows:
            assert len(store.get_samples(row["id"])) == row["latency"]["n_samples"] > 0


_PLAN = """
[run]
task_type = "classification"
metrics = ["accuracy"]
timeout = 60

[dataset]
name = "toy"
path = "toy.csv"
inputs = ["a"]
labels = "label"

[timing]
min_time = 0.01
min_calls = 5
warmup_time = 0.0

[[models]]
name = "waits-for-the-outage"
target = "outage_models:waits"

[[models]]
name = "after-the-outage"
target = "outage_models:plain"
"""

_MODELS = '''
import os, time
from pathlib import Path

def waits(batch):
    marker = Path(os.environ["OUTAGE_MARKER"])
    if not marker.exists():
        marker.write_text("measuring")
        deadline = time.monotonic() + 20
        while not Path(str(marker) + ".cut").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return [0 for _ in batch]

def plain(batch):
    return [0 for _ in batch]
'''


def test_run_exits_non_zero_and_names_the_spool_when_the_server_goes_away(
        server_backend, relayed, tmp_path, monkeypatch):
    import threading
    import time as clock

    from typer.testing import CliRunner

    from modelbench.cli import _register, app

    relay, options = relayed
    if server_backend.kind != "timescaledb":
        pytest.skip("the CLI path is the same for every server; PostgreSQL stands for all")
    (tmp_path / "toy.csv").write_text("a,label\n" + "".join(f"{i / 10},{int(i > 5)}\n"
                                                             for i in range(10)))
    (tmp_path / "outage_models.py").write_text(_MODELS)
    (tmp_path / "plan.toml").write_text(_PLAN)
    marker = tmp_path / "marker"
    monkeypatch.setenv("OUTAGE_MARKER", str(marker))
    monkeypatch.setenv("MODELBENCH_SPOOL_DIR", options["spool_dir"])
    monkeypatch.setenv("MODELBENCH_DB_PASSWORD", options["password"])

    def cut_while_measuring() -> None:  # the server goes away once the first model runs
        deadline = clock.monotonic() + 30
        while not marker.exists() and clock.monotonic() < deadline:
            clock.sleep(0.02)
        relay.cut()
        Path(str(marker) + ".cut").write_text("")

    watcher = threading.Thread(target=cut_while_measuring, daemon=True)
    watcher.start()
    _register()
    out = CliRunner().invoke(app, [
        "run", str(tmp_path / "plan.toml"), "--db-type", "timescaledb", "--host", "127.0.0.1",
        "--port", str(relay.port), "--user", options["user"],
        "--database", options["database"]])
    watcher.join(5)
    text = " ".join(out.output.split())
    assert out.exit_code == 1, out.output
    assert "result(s) were not stored" in text and options["spool_dir"] in text
    relay.start()
    store = get_database_manager(server_backend.kind, **options)
    try:
        store.setup()  # the spool is written now: both results, with their samples
        rows = store.query_results()
        assert sorted(r.model_name for r in rows) == ["after-the-outage", "waits-for-the-outage"]
        for row in rows:
            assert row.status == "ok", (row.model_name, row.error_message)
            assert len(store.get_samples(row.id)) == row.latency.n_samples > 0
    finally:
        store.close()


def test_a_pwc_dump_on_a_full_disk_stores_nothing_and_says_why(small_disk, tmp_path):
    from typer.testing import CliRunner

    from modelbench.cli import _register, app

    rows = [{"model_name": f"model-{i}", "paper_title": "p" * 200,
             "metrics": {"Accuracy": f"{i % 100}.5"}} for i in range(15_000)]
    dump = tmp_path / "evaluation-tables.json"  # on the big disk; the store on the small one
    dump.write_text(json.dumps([{"task": "t", "datasets": [
        {"dataset": "d", "sota": {"metrics": ["Accuracy"], "rows": rows}}]}]))
    db = str(small_disk / "bench.db")
    _register()
    out = CliRunner().invoke(app, ["collect", "pwc", "--dump", str(dump), "--db-path", db])
    text = " ".join(out.output.split())
    assert out.exit_code == 1 and "full" in text, out.output
    assert "cannot rollback" not in text
    with SQLiteManager(db) as store:
        assert store.count_results() == 0  # all or nothing: never half a dump


# -- a plan cell measured twice under one run id is stored once ----------------------------
def _cell(latency: int, *, one_per_cell: bool = True):
    """One plan cell's measured result (run ``run1``, cell ``cell1``); each call another
    measurement of it (another id, other latencies), as another attempt would make."""
    from modelbench.measure.runs import RunRecord
    from modelbench.measure.summary import CellInfo, summarize_runs

    info = CellInfo({"model_name": "m", "run_id": "run1"}, ["accuracy"], key="cell1",
                    one_per_cell=one_per_cell)
    run = RunRecord(0, latencies=np.full(20, latency, dtype=np.int64), items_per_call=1,
                    scores={"accuracy": 1.0})
    (measurement,) = summarize_runs(info, [run], {"env_hash": "e", "hostname": "node"})
    return measurement


def _assert_once(store, kept) -> None:
    from modelbench.store import ResultFilter

    rows = store.query_results(ResultFilter(run_id="run1"))
    assert [r.id for r in rows] == [kept.result.id], "the cell is stored exactly once"
    np.testing.assert_array_equal(store.get_samples(kept.result.id), kept.samples["call"][0])


def test_sqlite_a_cell_spooled_then_stored_by_another_attempt_is_not_replayed(tmp_path,
                                                                                monkeypatch):
    from modelbench.ingest import StoreSink

    path = str(tmp_path / "bench.db")
    SQLiteManager(path).setup()
    first_spool, second_spool = tmp_path / "spool-a", tmp_path / "spool-b"
    monkeypatch.setenv("MODELBENCH_SPOOL_DIR", str(first_spool))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the first attempt's write meets a held lock
    first = _cell(1000)
    with pytest.warns(RuntimeWarning, match="kept in"):
        info = StoreSink(SQLiteManager(path, timeout=0.1))(first)
    assert info["stored"] is False and info["spool_path"]
    holder.execute("ROLLBACK")
    holder.close()
    monkeypatch.setenv("MODELBENCH_SPOOL_DIR", str(second_spool))  # measured again elsewhere
    second = _cell(2000)
    with SQLiteManager(path) as store:
        store.setup()
        assert StoreSink(store)(second)["stored"]
    monkeypatch.setenv("MODELBENCH_SPOOL_DIR", str(first_spool))
    with SQLiteManager(path) as store:
        store.setup()  # the first attempt's spool is replayed: its copy is skipped whole
        _assert_once(store, second)
    assert not list(first_spool.glob("*.jsonl"))


def test_server_a_cell_spooled_on_one_node_and_stored_from_another_is_stored_once(
        server_backend, relayed):
    """Node A (through the relay) spools the cell while the server is away from it; node B
    measures the cell again and stores it; then A's spool is replayed: one row, B's."""
    from modelbench.ingest import StoreSink

    relay, options = relayed
    relay.cut()
    first = _cell(1000)
    with pytest.warns(RuntimeWarning, match="kept in"):
        info = StoreSink(get_database_manager(server_backend.kind, **options))(first)
    assert info["stored"] is False and info["spool_path"]
    node_b = server_backend.open()
    try:
        second = _cell(2000)
        assert StoreSink(node_b)(second)["stored"]
    finally:
        node_b.close()
    relay.start()
    node_a = get_database_manager(server_backend.kind, **options)
    try:
        node_a.setup()  # writes node A's spool: the cell's second copy is skipped
        _assert_once(node_a, second)
        assert not Path(info["spool_path"]).exists()
    finally:
        node_a.close()


def test_a_late_second_copy_of_a_cell_is_refused_and_other_repeats_are_kept(store):
    from modelbench.ingest import StoreSink

    first, second = _cell(1000), _cell(2000)
    assert StoreSink(store)(first)["stored"]
    with pytest.warns(RuntimeWarning, match="already has this cell's accuracy result"):
        info = StoreSink(store)(second)
    assert info == {"stored": False, "duplicate": True}
    _assert_once(store, first)
    # results that are not a plan's cell (the seed's benchmark_model measuring one model
    # twice under one run id) are each their own, spooled or not
    again = [_cell(3000, one_per_cell=False), _cell(4000, one_per_cell=False)]
    assert all(StoreSink(store)(m)["stored"] for m in again)
    assert len(store.query_results()) == 3
