"""Nothing measured is lost: real signals to a real `modelbench run`, children that die with
their parent, no job folders left behind."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import REPO

HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="signals and PR_SET_PDEATHSIG as on Linux")


def _plan(folder: Path, runs: int) -> Path:
    (folder / "data.csv").write_text("x,y\n" + "".join(f"{i},{2 * i}\n" for i in range(8)))
    plan = folder / "plan.toml"
    plan.write_text(textwrap.dedent(f"""
        [run]
        timeout = 100
        python_path = ["{HERE}"]

        [dataset]
        path = "data.csv"
        inputs = "x"
        labels = "y"

        [timing]
        runs = {runs}
        min_time = 0.01
        min_calls = 3
        warmup_time = 0

        [[models]]
        name = "a"
        target = "mb_models:double"

        [[models]]
        name = "b"
        target = "mb_models:double_slow"

        [[models]]
        name = "hangs"
        target = "mb_models:hang_marked"
    """))
    return plan


def _wait_for(predicate, what: str, limit: float = 60.0) -> None:
    """Poll until ``predicate()`` holds (a wait for an event, not a timing assertion)."""
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"  # a zombie has exited
    except OSError:
        return False


def _start(tmp_path: Path, runs: int) -> tuple[subprocess.Popen[str], Path, Path, Path]:
    temp = tmp_path / "tmp"
    temp.mkdir()
    marker = tmp_path / "hang.pid"
    db = tmp_path / "bench.db"
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temp),
           "MB_MARKER": str(marker), "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "modelbench.cli", "run", str(_plan(tmp_path, runs)),
         "--db-path", str(db)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    _wait_for(marker.exists, "the hanging model to start")
    return process, marker, db, temp


@pytest.mark.parametrize(("signum", "runs", "kept"), [
    (signal.SIGINT, 1, "2 complete and 0 partial result(s) kept (2 stored), 1 not measured"),
    (signal.SIGHUP, 1, "2 complete and 0 partial result(s) kept (2 stored), 1 not measured"),
    (signal.SIGTERM, 2, "0 complete and 2 partial result(s) kept (2 stored), 1 not measured"),
])
def test_a_signal_keeps_every_measured_result_and_says_how_many(tmp_path, signum, runs, kept):
    process, marker, db, temp = _start(tmp_path, runs)
    child = int(marker.read_text())
    process.send_signal(signum)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, output
    assert f"interrupted by {signal.Signals(signum).name}: {kept}" in output
    assert "not measured: hangs" in output
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT model_name, n_runs, warnings FROM model_benchmarks "
                            "ORDER BY model_name").fetchall()
        samples = conn.execute("SELECT COUNT(*) FROM benchmark_samples").fetchone()[0]
    assert [r[0] for r in rows] == ["a", "b"] and all(r[1] == 1 for r in rows)
    assert samples > 0
    if runs == 2:  # cut short: kept with what it measured, and said so
        assert all("interrupted after 1 of 2 runs" in r[2] for r in rows)
    _wait_for(lambda: not _alive(child), "the hanging child to be gone", 10)
    assert list(temp.iterdir()) == []  # no job folder (pickled data) left behind


def test_children_die_with_a_parent_that_is_killed_outright(tmp_path):
    process, marker, _db, _temp = _start(tmp_path, 1)
    child = int(marker.read_text())
    assert _alive(child)
    process.kill()  # SIGKILL: the parent cannot clean up; the kernel stops the child
    process.communicate(timeout=30)
    _wait_for(lambda: not _alive(child), "the orphaned child to die (PR_SET_PDEATHSIG)", 10)
