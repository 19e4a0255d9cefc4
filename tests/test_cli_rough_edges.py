"""What a newcomer meets first on the command line: help text as written, --version, sort keys
as printed, export to stdout and back, short ids, and read-only commands that never create a
store."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from conftest import REPO
from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.cli import _register, app
from modelbench.cli.common import console
from modelbench.records import BenchmarkResult, LatencyStats

_register()
runner = CliRunner()
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _latency(median: float) -> LatencyStats:
    return LatencyStats(mean_ms=median, median_ms=median, stdev_ms=0.1, min_ms=median / 2,
                        max_ms=median * 2, p50_ms=median, p90_ms=median, p95_ms=median * 1.5,
                        p99_ms=median * 2, n_samples=5)


@pytest.fixture
def db_path(tmp_path):
    path = str(tmp_path / "bench.db")
    with get_database_manager("sqlite", path=path) as store:
        store.setup()
        store.insert_results([
            BenchmarkResult(model_name=name, task_type="cls", dataset="iris", metric="accuracy",
                            score=score, latency=_latency(median), timestamp=T0 + timedelta(i),
                            warnings=["a warning"], environment={"cpu": "x"}, extra={"k": 1},
                            params={"batch": 8, "threads": i}, git_dirty=[None, True, False][i],
                            score_printed=["97.0%", "", ""][i], memory_peak_mb=12.5)
            for i, (name, score, median) in enumerate([("slow-but-good", 0.97, 9.0),
                                                       ("fast", 0.80, 0.4),
                                                       ("middle", 0.90, 2.0)])])
    return path


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_run_help_shows_the_plan_tables_as_written():
    out = invoke("run", "--help").output
    for table in ("[dataset]", "[[models]]", "[run]", "[timing]"):
        assert table in out


def test_version_flag():
    out = invoke("--version")
    assert out.exit_code == 0
    assert out.output.startswith("modelbench ") and out.output.strip().split()[1][0].isdigit()


@pytest.mark.parametrize(("key", "ascending"), [("median", ["fast", "middle", "slow-but-good"]),
                                                ("latency_median_ms",
                                                 ["fast", "middle", "slow-but-good"]),
                                                ("model", ["fast", "middle", "slow-but-good"]),
                                                ("time", ["slow-but-good", "fast", "middle"])])
def test_results_sorts_by_a_column_header(db_path, key, ascending):
    out = invoke("results", "--db-path", db_path, "--sort", key, "--asc", "--json")
    assert out.exit_code == 0, out.output
    assert [r["model_name"] for r in json.loads(out.output)] == ascending


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_to_stdout(db_path, fmt, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a file named '-' would land
    out = runner.invoke(app, ["export", "--db-path", db_path, "--format", fmt, "-o", "-"])
    assert out.exit_code == 0, out.output
    assert not (tmp_path / "-").exists()
    data = out.stdout
    rows = (list(csv.DictReader(io.StringIO(data))) if fmt == "csv" else json.loads(data))
    assert sorted(r["model_name"] for r in rows) == ["fast", "middle", "slow-but-good"]
    assert "exported 3 model_benchmarks" in out.stderr


def test_parquet_to_stdout_is_refused(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = invoke("export", "--db-path", db_path, "-o", "-")
    assert out.exit_code == 1 and "cannot go to stdout" in out.output


def test_csv_export_imports_back_unchanged(db_path, tmp_path):
    exported = tmp_path / "results.csv"
    assert invoke("export", "--db-path", db_path, "-f", "csv", "-o", str(exported)).exit_code == 0
    copy = tmp_path / "copy.db"
    invoke("setup", "--db-path", str(copy))
    out = invoke("import", str(exported), "--db-path", str(copy))
    assert out.exit_code == 0, out.output
    again = invoke("import", str(exported), "--db-path", str(copy))
    assert "3" in again.output  # skipped, already stored
    with (get_database_manager("sqlite", path=db_path) as a,
          get_database_manager("sqlite", path=str(copy)) as b):
        original = {r.id: r.to_dict() for r in a.query_results()}
        imported = {r.id: r.to_dict() for r in b.query_results()}
    # Import goes through ingest: what it derives (canonical scale, kind, direction, natural
    # key) is filled in where the original store never had it; everything else is unchanged.
    derived = {"score_canonical", "metric_kind", "direction", "natural_key", "extra",
               "score_printed"}
    for rid, row in original.items():
        assert {k: v for k, v in imported[rid].items() if k not in derived} == \
            {k: v for k, v in row.items() if k not in derived}
        assert imported[rid]["natural_key"]


def test_csv_import_refuses_a_foreign_csv_and_stores_nothing(tmp_path):
    foreign = tmp_path / "other.csv"
    foreign.write_text("name,value\nx,1\n")
    store = tmp_path / "s.db"
    invoke("setup", "--db-path", str(store))
    out = invoke("import", str(foreign), "--db-path", str(store))
    assert out.exit_code == 1 and "not a results CSV" in out.output


def test_show_says_how_long_an_id_is(db_path):
    with get_database_manager("sqlite", path=db_path) as store:
        one = store.query_results(limit=1)[0]
    out = invoke("show", one.id[:3], "--db-path", db_path)
    assert out.exit_code == 1
    assert "of an id's 32 characters" in out.output and "at least 6" in out.output
    assert f"one result starts with it: {one.id[:8]}" in out.output
    assert invoke("show", one.id[:6], "--db-path", db_path).exit_code == 0
    with get_database_manager("sqlite", path=db_path) as store:
        store.insert_results([BenchmarkResult(id=f"fffff{n}" + "0" * 26, model_name="twin",
                                              metric="accuracy", score=0.5) for n in (1, 2)])
    assert "several results start with it" in invoke("show", "fffff", "--db-path",
                                                     db_path).output


READ_ONLY = [("results",), ("show", "abcdef"), ("leaderboard",), ("history", "m"), ("models",),
             ("export", "-f", "json", "-o", "x.json"),
             ("compare", "--task", "cls", "--dataset", "iris", "--metric", "accuracy")]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: c[0])
def test_read_only_commands_never_create_a_store(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)  # e.g. run from examples/: the default store is data/benchmarks.db
    monkeypatch.delenv("MODELBENCH_DB_URL", raising=False)
    monkeypatch.delenv("MODELBENCH_DB_PATH", raising=False)
    out = invoke(*command)
    assert out.exit_code == 1
    assert "no store at sqlite:data/benchmarks.db" in out.output
    assert "modelbench setup" in out.output
    assert list(tmp_path.iterdir()) == []
    missing = tmp_path / "nonexistent" / "dir" / "x.db"
    out = invoke(*command, "--db-path", str(missing))
    assert f"no store at sqlite:{missing}" in out.output
    assert not missing.parent.parent.exists()


def test_no_results_match_names_the_store(db_path):
    out = invoke("results", "--db-path", db_path, "--model", "nothing-like-this")
    assert f"No results match in sqlite:{db_path}" in out.output


def test_db_path_to_a_folder_says_so(tmp_path):
    out = invoke("setup", "--db-path", str(tmp_path))
    assert out.exit_code == 1
    assert "is a folder; a SQLite store is a file" in out.output
    assert str(tmp_path / "benchmarks.db") in out.output


def test_results_at_80_columns_keeps_the_metric(tmp_path, monkeypatch):
    path = str(tmp_path / "long.db")
    with get_database_manager("sqlite", path=path) as store:
        store.setup()
        store.insert_result(BenchmarkResult(
            model_name="sentence-transformers/all-MiniLM-L6-v2", task_type="classification",
            dataset="glue/sst2", metric="accuracy", score=0.97, latency=_latency(1.0)))
    monkeypatch.setattr(console, "width", 80)
    out = invoke("results", "--db-path", path)
    assert "accuracy" in out.output and "0.97" in out.output
    assert max(len(line) for line in out.output.splitlines()) <= 80


def _without(packages: list[str], *args: str, cwd) -> subprocess.CompletedProcess[str]:
    """``modelbench ARGS`` in a fresh interpreter where ``packages`` cannot be imported."""
    code = ("import sys\n"
            f"for name in {packages!r}: sys.modules[name] = None  # import raises\n"
            "from modelbench.cli import main\n"
            f"sys.argv = ['modelbench', *{list(args)!r}]\n"
            "main()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.mark.parametrize(("blocked", "args", "extra"), [
    (["httpx"], ["collect", "page", "board.html", "--yes"], "web"),
    (["selectolax", "selectolax.lexbor"], ["collect", "page", "board.html", "--yes"], "web"),
    (["cv2"], ["read", "board.png"], "vision"),
])
def test_a_missing_extra_is_named(tmp_path, blocked, args, extra):
    (tmp_path / "board.html").write_text("<table><tr><th>Model</th><th>Accuracy</th></tr>"
                                         "<tr><td>a</td><td>90.1</td></tr></table>")
    (tmp_path / "board.png").write_bytes(b"")
    out = _without(blocked, *args, cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert f"(the {extra} extra)" in out.stderr and f"modelbench[{extra}]" in out.stderr
