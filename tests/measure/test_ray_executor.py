"""The Ray executor on a real local Ray head (started once), into real SQLite and PostgreSQL:
a grid of 12 cells, the driver killed with SIGKILL and resumed, a worker killed mid-cell."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO, installed, require

pytestmark = pytest.mark.slow

MODELS = '''
import os, time

_SEEN = []

def double(xs):
    if not _SEEN:  # once per process: which process measured, its parent (the worker), how
        _SEEN.append(1)
        with open(os.path.join(os.path.dirname(__file__), "pids"), "a") as fh:
            fh.write(f"{os.getpid()} {os.getppid()} {os.nice(0)} "
                     f"{os.environ.get('OMP_NUM_THREADS', '-')}\\n")
    return [x * 2 for x in xs]

def double_slowly(xs):
    time.sleep(0.05)
    return [x * 2 for x in xs]

def killed_once(xs):
    marker = os.environ.get("MB_MARKER") or os.path.join(os.path.dirname(__file__), "marker")
    if not os.path.exists(marker):
        with open(marker, "w") as fh:
            fh.write(str(os.getppid()))  # the child's parent: the Ray worker
        time.sleep(60)
    return [x * 2 for x in xs]
'''


def _plan(folder: Path, models: list[str], *, runs: int = 1, sweep: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cells.py").write_text(MODELS)
    (folder / "data.csv").write_text("x,y\n" + "".join(f"{i},{2 * i}\n" for i in range(6)))
    entries = "".join(f'[[models]]\nname = "{m}"\ntarget = "cells:{m}"\n\n' for m in models)
    grid = "batch_sizes = [1, 2]\nthreads = [1, 2]\n" if sweep else ""
    path = folder / "plan.toml"
    path.write_text(textwrap.dedent(f"""\
        [run]
        task_type = "regression"
        metric = "accuracy"
        timeout = 60
        {grid}
        [dataset]
        path = "data.csv"
        inputs = "x"
        labels = "y"

        [timing]
        runs = {runs}
        min_calls = 2
        min_time = 0
        warmup_calls = 0
        warmup_time = 0

        """) + entries)
    return path


HEAD: dict = {}  # the session head's port and the environment its nodes start with


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepts(port: int, *, within_s: float) -> bool:
    """Whether 127.0.0.1:``port`` accepts a connection within ``within_s`` seconds."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return True
        except OSError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)


def _stop_head(temp: Path) -> None:
    """SIGKILL the processes of the head started here, by id (never `ray stop`, which
    would stop every Ray of the machine)."""
    found = subprocess.run(["pgrep", "-f", str(temp)], capture_output=True, text=True)
    for pid in found.stdout.split():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)


def _pg_password() -> str:
    """The test PostgreSQL server's password (what every node of a real cluster would have
    in MODELBENCH_DB_PASSWORD where `ray start` ran)."""
    from urllib.parse import urlparse

    url = os.environ.get("MODELBENCH_PG_URL") or subprocess.run(
        [REPO / "scripts" / "services" / "postgres.sh", "url"], capture_output=True,
        text=True).stdout.strip()
    return urlparse(url).password or ""


#: The session head's Ray Client server port (set by ``ray_address`` where grpcio is here).
CLIENT: dict[str, int] = {}


@pytest.fixture(scope="session")
def ray_address():
    """A Ray head of 2 CPUs (no dashboard) for the session, joined as ``auto``. Its workers
    have the test PostgreSQL password in MODELBENCH_DB_PASSWORD and a spool folder of their
    own, as `ray start` on a node of a real cluster would give them; with a Ray Client server
    on a free port (never Ray's default 10001, which other heads of this machine may hold)
    where ``ray[client]`` is installed."""
    if not installed("ray"):
        require(False, "ray", "pip install -e '.[ray]'")
    port = _free_port()
    temp = Path("/tmp") / f"mbray{os.getpid()}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "RAY_USAGE_STATS_ENABLED": "0",
           "MODELBENCH_DB_PASSWORD": _pg_password(),
           "MODELBENCH_SPOOL_DIR": str(temp.with_name(temp.name + "-spool"))}
    client = [f"--ray-client-server-port={_free_port()}"] if installed("grpc") else []
    HEAD.update(port=port, env=env)
    started = subprocess.run(
        ["ray", "start", "--head", f"--port={port}", "--num-cpus=2",
         "--include-dashboard=false", f"--temp-dir={temp}", "--disable-usage-stats", *client],
        env=env, capture_output=True, text=True, timeout=120)
    if started.returncode != 0:
        _stop_head(temp)
        require(False, f"a local Ray head ({started.stderr[-300:]})",
                "pip install -e '.[ray]'")
    if client:
        CLIENT["port"] = int(client[0].split("=")[1])
        if not _accepts(CLIENT["port"], within_s=60):  # `ray start` may return before it
            _stop_head(temp)
            pytest.fail(f"the head's Ray Client server never listened on {CLIENT['port']}")
    import ray

    # "auto" found in this head's temp folder: without it, "auto" may join another
    # session's head on this machine (whose workers lack this one's environment)
    try:
        ray.init(address="auto", _temp_dir=str(temp), include_dashboard=False,
                 log_to_driver=False, logging_level="ERROR")
    except BaseException:
        _stop_head(temp)
        raise
    yield "auto"
    ray.shutdown()
    _stop_head(temp)


def _run_grid(plan_path: Path, store, address: str):
    from modelbench.ingest import StoreSink
    from modelbench.measure.executors import RayExecutor
    from modelbench.measure.plan import load_plan, run_plan

    events = []
    executor = RayExecutor(address)
    try:
        outcome = run_plan(load_plan(plan_path), StoreSink(store), progress=events.append,
                           executor=executor)
    finally:
        executor.close()
    return outcome, events


def _check_grid(outcome, events, store) -> None:
    from modelbench.store import ResultFilter

    rows = outcome["results"]
    assert len(rows) == 12 and all(r["status"] == "ok" for r in rows), \
        [r["error_message"] for r in rows]
    stored = store.query_results(ResultFilter(run_id=outcome["plan"]["run_id"]))
    assert len(stored) == 12 and len({r.cell_key for r in stored}) == 12
    assert {r.extra["executor"] for r in stored} == {"ray"}
    # the fingerprint is the measuring node's (collected in the child), here this host
    assert {r.environment["hostname"] for r in stored} == {socket.gethostname()}
    assert [e["done"] for e in events] == list(range(1, 13))
    assert {"node", "running", "failed"} <= set(events[-1]) and events[-1]["failed"] == 0
    # cells in flight include queued ones (all 12 are submitted at once); what runs where
    # comes from the tasks themselves: never more than the head's 2 CPUs, none at the end
    assert events[0]["running"] > 2
    by_node = [e["running_by_node"] for e in events]
    assert all(set(n) <= {socket.gethostname()} and sum(n.values()) <= 2 for n in by_node)
    # the tasks told the board where they started (this host); whether another cell is still
    # running when one comes back is timing (two quick cells can come back together), so a
    # count above 0 is not required
    assert sum(by_node[-1].values()) == 0 and any(socket.gethostname() in n for n in by_node), \
        by_node


def _grid_plan(folder: Path) -> Path:
    """3 models x batch sizes [1, 2] x threads [1, 2]: 12 cells."""
    plan = _plan(folder, ["double", "double_slowly"], sweep=True)
    plan.write_text(plan.read_text() + '[[models]]\nname = "again"\ntarget = "cells:double"\n')
    return plan


def test_a_grid_of_12_cells_through_ray_into_sqlite(ray_address, sqlite_store, tmp_path):
    outcome, events = _run_grid(_grid_plan(tmp_path / "p"), sqlite_store, ray_address)
    _check_grid(outcome, events, sqlite_store)
    # 8 cells of `double`: each run a child of a Ray worker, the workers reused across cells
    # (no worker start per cell); the model's process, and its memory, gone with its run
    pids = [tuple(map(int, line.split()[:2])) for line in
            (tmp_path / "p" / "pids").read_text().split("\n") if line]
    workers = {parent for _, parent in pids}
    assert len(pids) >= 8 and len(workers) <= len(pids) // 2, pids
    assert not any(Path(f"/proc/{child}").exists() for child, _ in pids)


def test_a_grid_of_12_cells_through_ray_into_postgresql(ray_address, pg_database, tmp_path):
    outcome, events = _run_grid(_grid_plan(tmp_path / "p"), pg_database, ray_address)
    _check_grid(outcome, events, pg_database)


@pytest.fixture
def pg_database():
    from store.conftest import _pg_session

    session = _pg_session("postgres.sh", "MODELBENCH_PG_URL")
    url = next(session)
    require(url is not None, "PostgreSQL server",
            "scripts/services/postgres.sh start && export "
            "MODELBENCH_PG_URL=$(scripts/services/postgres.sh url)")
    from store.conftest import _pg_options

    from modelbench import get_database_manager

    store = get_database_manager("timescaledb", **_pg_options(url))
    store.setup()
    yield store
    store.close()
    next(session, None)


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT count(*) FROM model_benchmarks").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_driver_killed_then_resumed_stores_every_cell_once(ray_address, tmp_path):
    plan = _grid_plan(tmp_path / "p")
    db = tmp_path / "bench.db"
    command = [sys.executable, "-m", "modelbench.cli", "run", str(plan), "--executor", "ray",
               "--address", ray_address, "--db-path", str(db)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    driver = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(db) < 3 and driver.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    before = _count(db)
    assert 3 <= before < 12, "the kill should land mid-grid"
    done = subprocess.run(command + ["--resume", "last"], env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    from modelbench import get_database_manager

    store = get_database_manager("sqlite", path=str(db))
    results = store.query_results()
    store.close()
    assert len(results) == 12, "every cell stored exactly once"
    assert len({r.cell_key for r in results}) == 12
    assert len({r.run_id for r in results}) == 1
    assert f"{before} cell(s) already stored" in done.stderr


def test_a_worker_killed_mid_cell_is_measured_again_and_nothing_else_is_lost(
        ray_address, sqlite_store, tmp_path):
    plan = _plan(tmp_path / "p", ["double", "killed_once", "double_slowly"], sweep=False)
    marker = tmp_path / "p" / "marker"

    def kill_the_worker() -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if marker.exists() and marker.read_text():
                os.kill(int(marker.read_text()), signal.SIGKILL)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_the_worker)
    killer.start()
    outcome, _ = _run_grid(plan, sqlite_store, ray_address)
    killer.join()
    rows = {r["model_name"]: r for r in outcome["results"]}
    assert set(rows) == {"double", "killed_once", "double_slowly"}
    assert rows["double"]["status"] == rows["double_slowly"]["status"] == "ok"
    killed = rows["killed_once"]
    assert killed["status"] == "ok" and any("measured again" in w for w in killed["warnings"])
    assert len(sqlite_store.query_results()) == 3
    # the measuring child ran as a local one would: at this process's niceness (a Ray
    # worker's is 15), with the OMP_NUM_THREADS of the node (Ray sets it to the task's CPUs)
    (_, _, nice, omp), = [line.split() for line in
                          (tmp_path / "p" / "pids").read_text().splitlines()]
    assert int(nice) == os.nice(0)
    assert omp == os.environ.get("OMP_NUM_THREADS", "-")


def test_a_plan_through_ray_client_is_stored(ray_address, tmp_path):
    """``--address ray://HOST:PORT``: the CLI as a Ray Client of the session's head (its
    client server), the results in the driver's store."""
    require("port" in CLIENT, "Ray Client (grpcio)", "pip install -e '.[ray]'")
    plan = _plan(tmp_path / "p", ["double"], sweep=False)
    db = tmp_path / "bench.db"
    # the environment carries RAY_AUTH_MODE=token when the head uses token authentication:
    # ray.init("auto") above set it, an explicit ray:// address never does by itself
    done = subprocess.run(
        [sys.executable, "-m", "modelbench.cli", "run", str(plan), "--executor", "ray",
         "--address", f"ray://127.0.0.1:{CLIENT['port']}", "--db-path", str(db)],
        env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    from modelbench import get_database_manager

    store = get_database_manager("sqlite", path=str(db))
    results = store.query_results()
    store.close()
    assert [(r.model_name, r.status, r.extra["executor"]) for r in results] == \
        [("double", "ok", "ray")]


def test_a_ray_client_address_where_nothing_listens_fails_at_once_saying_what_to_do(tmp_path):
    """A closed port is a wrong address, not a slow start: no retries (Ray Client alone
    tries for ~30 s, then says only "connection timeout"), a message naming the address and
    the command that opens it, nothing measured."""
    require(installed("ray"), "ray", "pip install -e '.[ray]'")
    port = _free_port()  # bound, then closed: nothing listens there
    db = tmp_path / "bench.db"
    done = subprocess.run(
        [sys.executable, "-m", "modelbench.cli", "run",
         str(_plan(tmp_path / "p", ["double"], sweep=False)), "--executor", "ray",
         "--address", f"ray://127.0.0.1:{port}", "--db-path", str(db)],
        env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=120)
    said = " ".join(done.stderr.split())
    assert done.returncode != 0
    assert f"nothing accepts connections at 127.0.0.1:{port}" in said, said[-2000:]
    assert f"--ray-client-server-port={port}" in said and "Traceback" not in said
    assert _count(db) == 0


def test_ray_client_start_up_failures_are_tried_again_and_other_failures_are_not():
    """The head's "Initialization failure from server" (its per-client server did not start
    in time under load) cannot be caused on demand, so ``init`` here raises exactly what
    ray/util/client/worker.py raises; the pauses are recorded, not slept."""
    from modelbench.errors import ConfigError
    from modelbench.measure.executors import CLIENT_CONNECT_ATTEMPTS, init_with_retries

    startup = ("Initialization failure from server:\nTraceback (most recent call last):\n"
               "RuntimeError: Starting Ray client server failed. See "
               "ray_client_server_23000.err for detailed logs.")

    def init_failing(times: int, error: Exception):
        calls = []

        def init(**kwargs):
            calls.append(kwargs)
            if len(calls) <= times:
                raise error
        return init, calls

    pauses: list[float] = []
    init, calls = init_failing(2, ConnectionAbortedError(startup))
    assert init_with_retries(init, "ray://h:1", {"x": 1}, sleep=pauses.append) == 3
    assert calls == [{"address": "ray://h:1", "x": 1}] * 3 and pauses == [1.0, 2.0]

    pauses.clear()
    init, calls = init_failing(99, ConnectionAbortedError(startup))
    with pytest.raises(ConfigError) as caught:
        init_with_retries(init, "ray://h:1", {}, sleep=pauses.append)
    assert len(calls) == CLIENT_CONNECT_ATTEMPTS and len(pauses) == CLIENT_CONNECT_ATTEMPTS - 1
    assert f"({CLIENT_CONNECT_ATTEMPTS} attempts)" in caught.value.message
    assert "Starting Ray client server failed" in caught.value.message
    assert "--ray-client-server-port" in caught.value.hint

    for final in (ConnectionError("ray client connection timeout"),
                  ConnectionAbortedError("Initialization failure from server:\nRuntime "
                                         "environment doesn't match request one")):
        pauses.clear()
        init, calls = init_failing(99, final)
        with pytest.raises(ConfigError, match="cannot connect to the Ray cluster at ray://h:1"):
            init_with_retries(init, "ray://h:1", {}, sleep=pauses.append)
        assert len(calls) == 1 and pauses == []


# -- results written by the workers (results = "direct") -----------------------------------
def _worker_pids(folder: Path) -> set[int]:
    """The Ray workers that measured `double` cells: the parents of its measuring children."""
    return {int(line.split()[1]) for line in (folder / "pids").read_text().split("\n") if line}


def _forward(port: int, to: int) -> socket.socket:
    """A TCP forwarder from 127.0.0.1:``port`` to 127.0.0.1:``to`` (a server coming back)."""
    listener = socket.create_server(("127.0.0.1", port))

    def pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = listener.accept()
                upstream = socket.create_connection(("127.0.0.1", to))
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=pump, args=(a, b), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return listener


def test_a_store_refusing_the_worker_spools_its_result_until_replayed(
        ray_address, pg_database, tmp_path):
    from modelbench import get_database_manager
    from modelbench.ingest import WorkerSink
    from modelbench.measure.executors import RayExecutor
    from modelbench.measure.plan import load_plan, run_plan
    from modelbench.store import ResultFilter

    port, spool = _free_port(), tmp_path / "spool"  # nothing listens on port: refused
    where = {"host": "127.0.0.1", "port": port, "user": pg_database.user,
             "database": pg_database.database}
    executor = RayExecutor(ray_address, sink=WorkerSink("timescaledb", where,
                                                        spool_dir=str(spool)))
    try:  # no driver store either: the worker's spool is all that keeps the result
        outcome = run_plan(load_plan(_plan(tmp_path / "p", ["double"], sweep=False)), None,
                           executor=executor)
    finally:
        executor.close()
    (row,) = outcome["results"]
    assert row["status"] == "ok" and not row["stored"]
    assert any("could not write" in w and f"kept on {socket.gethostname()} in {spool}" in w
               for w in row["warnings"]), row["warnings"]
    assert len(list(spool.glob("timescaledb-127.0.0.1-*.jsonl"))) == 1
    listener = _forward(port, pg_database.port)  # the server is back, on the same address
    try:
        store = get_database_manager("timescaledb", **where, password=pg_database._password,
                                     spool_dir=str(spool))
        store.setup()  # the first connection writes what was spooled
        (kept,) = store.query_results(ResultFilter(run_id=outcome["plan"]["run_id"]))
        assert kept.id == row["id"] and kept.extra["written_by"]["pid"] in \
            _worker_pids(tmp_path / "p")
        assert len(store.get_samples(kept.id)) and not list(spool.glob("*.jsonl"))
        store.close()
    finally:
        listener.close()


def test_a_cell_a_worker_spooled_then_measured_again_is_stored_once(
        ray_address, pg_database, tmp_path):
    """The worker's write is refused, so its result waits in that node's spool; the cell,
    with no stored result, is measured again under the same run id and stored; when the
    spool is replayed at last, its copy of the cell is skipped: one row, the stored one's."""
    from modelbench import get_database_manager
    from modelbench.ingest import StoreSink, WorkerSink
    from modelbench.measure.executors import RayExecutor
    from modelbench.measure.plan import load_plan, run_plan
    from modelbench.store import ResultFilter

    port, spool = _free_port(), tmp_path / "spool"  # nothing listens on port: refused
    where = {"host": "127.0.0.1", "port": port, "user": pg_database.user,
             "database": pg_database.database}
    plan = _plan(tmp_path / "p", ["double"], sweep=False)
    executor = RayExecutor(ray_address, sink=WorkerSink("timescaledb", where,
                                                        spool_dir=str(spool)))
    try:
        first = run_plan(load_plan(plan), None, executor=executor)
    finally:
        executor.close()
    run_id = first["plan"]["run_id"]
    assert not first["results"][0]["stored"] and len(list(spool.glob("*.jsonl"))) == 1
    executor = RayExecutor(ray_address)
    try:  # a resumed pass finds no stored result for the cell: it is measured again
        again = run_plan(load_plan(plan), StoreSink(pg_database), executor=executor,
                         run_id=run_id)
    finally:
        executor.close()
    (row,) = again["results"]
    assert row["stored"] and row["id"] != first["results"][0]["id"]
    listener = _forward(port, pg_database.port)  # the worker's server address is back
    try:
        store = get_database_manager("timescaledb", **where, password=pg_database._password,
                                     spool_dir=str(spool))
        store.setup()  # replays the spool
        (kept,) = store.query_results(ResultFilter(run_id=run_id))
        assert kept.id == row["id"] and not list(spool.glob("*.jsonl"))
        store.close()
    finally:
        listener.close()


def test_direct_results_need_a_server_store_and_the_ray_executor(sqlite_store, tmp_path):
    from modelbench.errors import ConfigError
    from modelbench.ingest import StoreSink
    from modelbench.measure.plan import load_plan, run_plan

    plan = load_plan(_plan(tmp_path / "p", ["double"], sweep=False))
    with pytest.raises(ConfigError, match="needs a server store"):
        run_plan(plan, StoreSink(sqlite_store), executor="ray", results="direct")
    with pytest.raises(ConfigError, match="needs a store"):
        run_plan(plan, None, executor="ray", results="direct")
    assert sqlite_store.query_results() == []  # refused before anything was measured
    bad = _plan(tmp_path / "q", ["double"], sweep=False)
    bad.write_text(bad.read_text().replace("[run]\n", '[run]\nresults = "sideways"\n'))
    with pytest.raises(ConfigError, match="unknown \\[run\\] results 'sideways'"):
        load_plan(bad)


def test_direct_results_are_written_by_the_workers_once_per_cell_and_retried(
        ray_address, pg_database, tmp_path, monkeypatch):
    """Through the CLI: each worker writes its cell's result into PostgreSQL (a failure is a
    recorded result, the grid goes on), then --resume --retry-failed measures the failed
    cell again and the store keeps one row per cell."""
    import json

    from typer.testing import CliRunner

    from modelbench.cli import _register, app
    from modelbench.ingest import WorkerSink
    from modelbench.measure.executors import _ray_cell, _stored_earlier
    from modelbench.measure.summary import CellInfo

    from .test_resume import FAILS_ONCE

    plan = _plan(tmp_path / "p", ["double", "fails"], sweep=False)
    (plan.parent / "direct_cells.py").write_text(
        (plan.parent / "cells.py").read_text() + FAILS_ONCE +
        "\ndef fails(xs):\n    double(xs[:0])  # its process, and the worker, on record\n"
        "    return fails_once(xs)\n")
    plan.write_text(plan.read_text().replace('"cells:', '"direct_cells:'))
    broken = plan.parent / "broken"
    broken.touch()
    db = pg_database
    command = ["run", str(plan), "--executor", "ray", "--address", ray_address, "--results",
               "direct", "--db-type", "timescaledb", "--host", db.host, "--port", str(db.port),
               "--user", db.user, "--database", db.database, "--allow-failures", "--json"]
    env = {"MODELBENCH_DB_PASSWORD": db._password}  # the driver's; the workers have their own
    _register()
    first = CliRunner().invoke(app, command, env=env)
    assert first.exit_code == 0, first.output
    outcome = json.loads(first.stdout)
    run_id, workers = outcome["plan"]["run_id"], _worker_pids(plan.parent)
    assert outcome["plan"]["results"] == "direct"
    rows = {r.model_name: r for r in db.query_results()}
    assert sorted((r.model_name, r.status) for r in rows.values()) == \
        [("double", "ok"), ("fails", "error")]
    assert {r.extra["written_by"]["pid"] for r in rows.values()} <= workers, workers
    assert {r.extra["written_by"]["node"] for r in rows.values()} == {socket.gethostname()}
    ok = rows["double"]  # its samples and items went from the worker to the store
    assert len(db.get_samples(ok.id)) and len(db.get_item_results(ok.id)[0]) == 6

    broken.unlink()
    retried = CliRunner().invoke(app, [*command, "--resume", run_id, "--retry-failed"],
                                 env=env)
    assert retried.exit_code == 0, retried.output
    assert "1 failed cell(s) measured again" in retried.stderr
    rows = {r.model_name: r for r in db.query_results()}
    assert len(db.query_results()) == 2 and {r.run_id for r in rows.values()} == {run_id}
    new = rows["fails"]  # the failed row is gone, its new one written by a worker
    assert new.status == "ok" and new.extra["written_by"]["pid"] in _worker_pids(plan.parent)

    # a retried task whose lost attempt had written the cell measures nothing, stores nothing
    monkeypatch.setenv("MODELBENCH_DB_PASSWORD", db._password)
    sink = WorkerSink.for_store(db)
    info = CellInfo({"model_name": "double", "run_id": run_id}, ["accuracy"], key=ok.cell_key)
    again = _ray_cell(b"", [], {"recheck": True, "sink": sink, "info": info})
    assert [(m.result.id, i["stored_earlier"]) for m, i in again.written] == [(ok.id, True)]
    info.key = "not-a-stored-cell"
    assert _stored_earlier({"sink": sink, "info": info}) is None


# -- what a cell's task asks of the cluster ([ray] in the plan) ----------------------------
SPANS = '''
import os, time

def spans(xs):  # every call: which process, its parent (the Ray worker), when
    with open(os.path.join(os.path.dirname(__file__), "spans"), "a") as fh:
        fh.write(f"{os.getpid()} {os.getppid()} {time.time()}\\n")
    time.sleep(0.02)
    return [x * 2 for x in xs]
'''


def test_the_ray_table_is_what_each_cell_task_asks_for(ray_address, tmp_path):
    """``[ray] num_cpus = 2`` on a head of 2 CPUs: the cells never overlap; ``max_calls =
    1``: each cell on a fresh Ray worker; a custom resource no node offers (the node slot of
    ``exclusive_node``) is refused before anything runs, naming the ``ray start`` option."""
    from modelbench.errors import ConfigError
    from modelbench.measure.plan import load_plan, run_plan

    folder = tmp_path / "p"
    plan = _plan(folder, ["a", "b", "c"], sweep=False)
    (folder / "span_cells.py").write_text(SPANS)
    text = plan.read_text().replace("[dataset]", "[ray]\nnum_cpus = 2\nmax_calls = 1\n\n"
                                                 "[dataset]")
    for name in "abc":
        text = text.replace(f'target = "cells:{name}"', 'target = "span_cells:spans"')
    plan.write_text(text)
    outcome = run_plan(load_plan(plan), None, executor="ray", address=ray_address)
    assert [r["status"] for r in outcome["results"]] == ["ok"] * 3, \
        [r["error_message"] for r in outcome["results"]]
    spans: dict[int, list[float]] = {}
    for line in (folder / "spans").read_text().splitlines():
        _, worker, when = line.split()
        spans.setdefault(int(worker), []).append(float(when))
    assert len(spans) == 3, spans  # max_calls = 1: one fresh worker per cell
    intervals = sorted((min(t), max(t)) for t in spans.values())
    assert all(end < start for (_, end), (start, _) in zip(intervals, intervals[1:],
                                                              strict=False)), intervals
    plan.write_text(text.replace("max_calls = 1", "exclusive_node = true"))
    with pytest.raises(ConfigError, match="modelbench_node") as refused:
        run_plan(load_plan(plan), None, executor="ray", address=ray_address)
    assert "--resources" in refused.value.hint
    bad = _plan(tmp_path / "q", ["double"], sweep=False)
    bad.write_text(bad.read_text().replace("[dataset]", "[ray]\nmax_calls = -1\n\n[dataset]"))
    with pytest.raises(ConfigError, match="max_calls must not be negative"):
        load_plan(bad)


KILLER = '''
import os, signal

def kills_its_worker(xs):  # every attempt: the Ray worker running the cell dies
    os.kill(os.getppid(), signal.SIGKILL)
    os._exit(1)
'''


def test_a_cell_whose_worker_dies_twice_is_a_recorded_failure_and_the_grid_goes_on(
        ray_address, sqlite_store, tmp_path):
    folder = tmp_path / "p"
    plan = _plan(folder, ["double", "kills_its_worker"], sweep=False)
    (folder / "killer_cells.py").write_text((folder / "cells.py").read_text() + KILLER)
    plan.write_text(plan.read_text().replace('"cells:', '"killer_cells:'))
    outcome, events = _run_grid(plan, sqlite_store, ray_address)
    rows = {r["model_name"]: r for r in outcome["results"]}
    assert rows["double"]["status"] == "ok"
    lost = rows["kills_its_worker"]
    assert lost["status"] == "error" and "ray executor lost this cell" in lost["error_message"]
    stored = {r.model_name: r.status for r in sqlite_store.query_results()}
    assert stored == {"double": "ok", "kills_its_worker": "error"}  # the failure is on record
    assert events[-1]["failed"] == 1 and events[-1]["done"] == 2


def test_cells_that_need_a_lost_nodes_resource_are_recorded_failed_not_left_waiting(
        ray_address, sqlite_store, tmp_path):
    """A second node offering ``mbside`` joins; the grid's cells ask for it; the node is
    SIGKILLed while a cell runs there. Ray would keep the cells queued for ever (no node
    offers the resource now): each is a recorded failure that says what to do, the grid ends."""
    from modelbench.ingest import StoreSink
    from modelbench.measure.executors import RayExecutor
    from modelbench.measure.plan import load_plan, run_plan

    manager_port = _free_port()
    env = {**HEAD["env"], **{k: v for k, v in os.environ.items() if k.startswith("RAY_AUTH")}}
    joined = subprocess.run(
        ["ray", "start", f"--address=127.0.0.1:{HEAD['port']}", "--num-cpus=1",
         "--resources={\"mbside\": 1}", f"--node-manager-port={manager_port}",
         "--disable-usage-stats"], env=env, capture_output=True, text=True, timeout=120)
    assert joined.returncode == 0, joined.stderr[-1500:]
    plan = _plan(tmp_path / "p", ["killed_once", "double"], sweep=False)
    marker = tmp_path / "p" / "marker"

    def lose_the_node() -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not (marker.exists() and marker.read_text()):
            time.sleep(0.05)
        found = subprocess.run(["pgrep", "-f", f"node_manager_port={manager_port}"],
                               capture_output=True, text=True)
        for pid in [*found.stdout.split(), marker.read_text()]:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)

    killer = threading.Thread(target=lose_the_node)
    killer.start()
    executor = RayExecutor(ray_address, resources={"mbside": 1}, lost_grace_s=1.0)
    try:
        outcome = run_plan(load_plan(plan), StoreSink(sqlite_store), executor=executor)
    finally:
        executor.close()
        killer.join()
    rows = {r["model_name"]: r for r in outcome["results"]}
    assert set(rows) == {"killed_once", "double"}
    for row in rows.values():  # neither was measured: the node went, and its resource
        assert row["status"] == "error", row
        assert "offers mbside any more" in row["error_message"], row["error_message"]
        assert "--resume RUN_ID --retry-failed" in row["error_message"]
    assert {r.status for r in sqlite_store.query_results()} == {"error"}
