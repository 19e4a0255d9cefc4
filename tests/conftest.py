"""Shared test plumbing.

``require(condition, what, enable)``: skip a test when a service or tool is absent, naming the
command that enables it — except under ``CI=true``, where an absent service is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Real-world inputs with transcribed truth, kept in the repository so a bare clone can test itself
# (provenance and licences: tests/fixtures/README.md).
FIXTURES = REPO / "tests" / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"
# The runner's host check re-measures runs during which the machine was slow: on a loaded
# test machine that adds runs the tests count. Its own tests turn it on explicitly.
os.environ.setdefault("MODELBENCH_HOST_CHECK", "0")
SERVICES = REPO / "scripts" / "services"


def installed(*modules: str) -> bool:
    """Whether every named module can be imported here (without importing it)."""
    return all(importlib.util.find_spec(m) is not None for m in modules)


def require(condition: bool, what: str, enable: str) -> None:
    """Skip (or fail under CI=true) when ``condition`` is false."""
    if condition:
        return
    message = f"{what} is not available; enable it with: {enable}"
    if IN_CI:
        pytest.fail(f"CI=true: {message}")
    pytest.skip(message)


@pytest.fixture
def fixtures_dir() -> Path:
    """``tests/fixtures`` (real-world inputs with transcribed truth)."""
    return FIXTURES


@pytest.fixture
def sqlite_store(tmp_path):
    """A fresh SQLite store in a temporary folder."""
    from modelbench import get_database_manager

    store = get_database_manager("sqlite", path=str(tmp_path / "bench.db"))
    store.setup()
    yield store
    store.close()


def start_service(script: str, env_var: str) -> tuple[str | None, bool, str]:
    """URL of a running dev server: from the environment, or started by its script.

    Returns ``(url or None, whether this call started it, why it could not)``.
    """
    url = os.environ.get(env_var)
    if url:
        return url, False, ""
    path = SERVICES / script
    # The same `start` that `scripts/run.sh test` runs, so plain `pytest` on a fresh clone gets
    # the same servers (timescaledb.sh builds its Debian root on first use and needs root).
    was_running = subprocess.run([path, "status"], capture_output=True).returncode == 0
    done = subprocess.run([path, "start"], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return None, False, (done.stderr or done.stdout).strip()[-300:]
    url = subprocess.run([path, "url"], capture_output=True, text=True).stdout.strip()
    return url, not was_running, ""
