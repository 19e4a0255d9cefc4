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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop_head(temp: Path) -> None:
    """SIGKILL the processes of the head started here, by id (never `ray stop`, which
    would stop every Ray of the machine)."""
    found = subprocess.run(["pgrep", "-f", str(temp)], capture_output=True, text=True)
    for pid in found.stdout.split():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)


#: The session head's Ray Client server port (set by ``ray_address`` where grpcio is here).
CLIENT: dict[str, int] = {}


@pytest.fixture(scope="session")
def ray_address():
    """A Ray head of 2 CPUs (no dashboard) for the session, joined as ``auto``; with a Ray
    Client server on a free port (never Ray's default 10001, which other heads of this
    machine may hold) where ``ray[client]`` is installed."""
    if not installed("ray"):
        require(False, "ray", "pip install -e '.[ray]'")
    port = _free_port()
    temp = Path("/tmp") / f"mbray{os.getpid()}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "RAY_USAGE_STATS_ENABLED": "0"}
    client = [f"--ray-client-server-port={_free_port()}"] if installed("grpc") else []
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
    import ray

    ray.init(address="auto", include_dashboard=False, log_to_driver=False,
             logging_level="ERROR")
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
