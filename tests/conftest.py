"""Shared test plumbing.

``require(condition, what, enable)``: skip a test when a service or tool is absent, naming the
command that enables it — except under ``CI=true``, where an absent service is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Real-world inputs with transcribed truth, kept in the repository so a bare clone can test itself
# (provenance and licences: tests/fixtures/README.md).
FIXTURES = REPO / "tests" / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"


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
