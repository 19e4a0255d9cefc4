"""The service scripts on a fresh clone: ``status`` and ``url`` change nothing, and ``start``
after ``status`` works (no "File exists" from a link a previous call left behind).

The scripts are copied into a throwaway "clone"; ``MODELBENCH_PG_BIN`` points at a folder without
PostgreSQL so ``start`` stops right after its set-up steps and no server is started.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import REPO

NO_SERVER = {"MODELBENCH_PG_BIN": "/nonexistent/pg/bin", "MODELBENCH_PG_PORT": "55499"}


def _clone(parent: Path) -> Path:
    clone = parent / "clone"
    shutil.copytree(REPO / "scripts" / "services", clone / "scripts" / "services")
    return clone


def _run(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(clone / "scripts/services/postgres.sh"), *args], text=True,
                          capture_output=True, env={**os.environ, **NO_SERVER}, timeout=60)


@pytest.fixture(params=["unreachable", "reachable"])
def clone(request, tmp_path):
    """A clone the postgres user cannot enter (under a 0700 folder) or can (mode 0755)."""
    if request.param == "unreachable":
        yield _clone(tmp_path)
        return
    if os.geteuid() != 0:
        pytest.skip("the postgres-user paths exist only when run as root")
    parent = Path(tempfile.mkdtemp(prefix="mbclone-", dir="/tmp"))
    parent.chmod(0o755)
    try:
        yield _clone(parent)
    finally:
        shutil.rmtree(parent)


def test_status_and_url_leave_a_fresh_clone_untouched(clone):
    for _ in range(2):
        status = _run(clone, "status")
        assert status.returncode == 3, status.stderr  # 3: not running, and nothing went wrong
        assert "not running" in status.stdout and status.stderr == ""
    assert _run(clone, "url").stdout.strip().endswith(":55499/modelbench")
    assert not (clone / ".services").exists()


def test_start_after_status_reaches_the_cluster_set_up(clone):
    _run(clone, "status")
    for _ in range(2):  # the second start meets the link the first one made
        start = _run(clone, "start")
        assert "File exists" not in start.stderr
        assert "PostgreSQL 15 not found in /nonexistent/pg/bin" in start.stderr
    assert _run(clone, "status").returncode == 3
