"""``modelbench tui`` and the seed's ``python scripts/tui.py``: options and clear refusals."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

from modelbench.cli.tui_cmd import describe_target


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=REPO)


def test_tui_command_takes_the_shared_database_options():
    out = run("modelbench", "tui", "--help")
    assert out.returncode == 0, out.stderr
    for option in ("--db-type", "--db-path", "--host", "--port", "--user", "--password",
                   "--database", "--tab"):
        assert option in out.stdout


def test_seed_script_is_the_same_command():
    out = run(sys.executable, "scripts/tui.py", "--help")
    assert out.returncode == 0, out.stderr
    assert "--db-path" in out.stdout and "--tab" in out.stdout


def test_unknown_tab_is_refused_with_a_hint():
    out = run("modelbench", "tui", "--tab", "charts")
    assert out.returncode == 1
    assert "unknown tab 'charts'" in out.stderr and "models, results, tasks" in out.stderr


def test_error_screen_target_never_shows_the_password():
    where = describe_target("timescaledb", {"host": "db.internal", "port": 5432,
                                            "user": "bench", "password": "s3cret",
                                            "database": "results"})
    assert where == "timescaledb: db.internal:5432/results"
    assert "s3cret" not in where
    assert describe_target("sqlite", {"path": "data/benchmarks.db"}) == \
        "sqlite: data/benchmarks.db"
