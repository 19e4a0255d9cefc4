"""The core CLI over a real SQLite file: setup, results, show, leaderboard, history, models."""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.cli import _register, app
from modelbench.records import BenchmarkResult, LatencyStats, ModelMetadata

_register()
runner = CliRunner()
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _stats(median):
    return LatencyStats(mean_ms=median, median_ms=median, stdev_ms=0.1, min_ms=median / 2,
                        max_ms=median * 2, p50_ms=median, p90_ms=median * 1.2,
                        p95_ms=median * 1.5, p99_ms=median * 1.9, n_samples=3)


@pytest.fixture
def db_path(tmp_path):
    path = str(tmp_path / "cli.db")
    with get_database_manager("sqlite", path=path) as store:
        store.setup()
        results = [
            BenchmarkResult(model_name="fast", task_type="cls", dataset="blobs",
                            metric="accuracy", score=0.80, latency=_stats(0.5),
                            timestamp=T0 + timedelta(days=i))
            for i in range(3)
        ] + [
            BenchmarkResult(model_name="good", task_type="cls", dataset="blobs",
                            metric="accuracy", score=0.95, latency=_stats(5.0), timestamp=T0),
            BenchmarkResult(model_name="paper-model", task_type="cls", dataset="blobs",
                            metric="accuracy", score=0.97, source="paperswithcode",
                            source_url="https://example.org/paper", timestamp=T0),
            BenchmarkResult(model_name="broken", task_type="cls", dataset="blobs",
                            metric="accuracy", status="error",
                            error_message="ZeroDivisionError: boom", timestamp=T0),
        ]
        store.insert_results(results)
        store.insert_samples(results[0].id, np.array([400_000, 500_000, 600_000]))
        store.upsert_models([ModelMetadata(model_name="good", parameters=1_000_000,
                                           downloads=42, license="mit")])
    return path


def invoke(*args):
    result = runner.invoke(app, [*args], catch_exceptions=False)
    return result


def test_setup_is_idempotent_and_reports_count(db_path):
    for _ in range(2):
        out = invoke("setup", "--db-path", db_path)
        assert out.exit_code == 0, out.output
        assert "6 results stored" in out.output


def test_results_filters_sorts_and_limits(db_path):
    out = invoke("results", "--db-path", db_path, "--json", "--model", "fast")
    rows = json.loads(out.output)
    assert [r["model_name"] for r in rows] == ["fast"] * 3
    assert rows[0]["timestamp"] > rows[-1]["timestamp"]  # newest first by default
    out = invoke("results", "--db-path", db_path, "--json", "--sort", "score", "--asc",
                 "--status", "ok", "--limit", "2")
    assert [r["score"] for r in json.loads(out.output)] == [0.8, 0.8]
    out = invoke("results", "--db-path", db_path, "--json", "--search", "PAPERS")
    assert [r["model_name"] for r in json.loads(out.output)] == ["paper-model"]
    out = invoke("results", "--db-path", db_path, "--json", "--since", "2026-11-02")
    assert len(json.loads(out.output)) == 2


def test_results_table_and_bad_sort_column(db_path):
    out = invoke("results", "--db-path", db_path)
    assert "6 of 6 results" in out.output and "broken" in out.output
    out = invoke("results", "--db-path", db_path, "--sort", "score; DROP TABLE x")
    assert out.exit_code == 1
    assert "cannot sort by" in out.output


def test_show_by_prefix_with_samples(db_path):
    rows = json.loads(invoke("results", "--db-path", db_path, "--json", "--model", "fast",
                             "--asc").output)
    out = invoke("show", rows[0]["id"][:8], "--db-path", db_path, "--json")
    data = json.loads(out.output)
    assert data["id"] == rows[0]["id"]
    assert data["stored_samples"] == 3
    out = invoke("show", rows[0]["id"][:8], "--db-path", db_path)
    assert "p99 950 µs" in out.output and "3 raw latency samples" in out.output
    out = invoke("show", "ffffffffff", "--db-path", db_path)
    assert out.exit_code == 1 and "no result with id" in out.output


def test_leaderboard_puts_published_next_to_measured(db_path):
    rows = json.loads(invoke("leaderboard", "--db-path", db_path, "--task", "cls",
                             "--json").output)
    assert [r["model_name"] for r in rows] == ["paper-model", "good", "fast"]
    assert rows[0]["sources"] == "paperswithcode"
    assert rows[2]["n_results"] == 3 and rows[2]["median_latency_ms"] == 0.5
    rows = json.loads(invoke("leaderboard", "--db-path", db_path, "--lower-is-better",
                             "--json").output)
    assert rows[0]["model_name"] == "fast"


def test_leaderboard_direction_follows_the_metric(tmp_path):
    path = str(tmp_path / "mse.db")
    with get_database_manager("sqlite", path=path) as store:
        store.setup()
        store.insert_results([BenchmarkResult(model_name=name, task_type="reg", dataset="d",
                                              metric="mse", score=score)
                              for name, score in (("worse", 2.0), ("better", 0.5))])
    rows = json.loads(invoke("leaderboard", "--db-path", path, "--metric", "mse",
                             "--json").output)
    assert [r["model_name"] for r in rows] == ["better", "worse"]
    rows = json.loads(invoke("leaderboard", "--db-path", path, "--metric", "mse",
                             "--higher-is-better", "--json").output)
    assert [r["model_name"] for r in rows] == ["worse", "better"]


def test_history_buckets(db_path):
    series = json.loads(invoke("history", "fast", "--db-path", db_path, "--json").output)
    assert [s["label"] for s in series] == ["cls / blobs / accuracy"]
    assert len(series[0]["points"]) == 3
    series = json.loads(invoke("history", "fast", "--db-path", db_path, "--bucket", "1w",
                               "--json").output)
    assert sum(r["n"] for r in series[0]["buckets"]) == 3
    out = invoke("history", "fast", "--db-path", db_path, "--bucket", "fortnight")
    assert out.exit_code == 1 and "bucket" in out.output


def test_models_listing(db_path):
    rows = json.loads(invoke("models", "--db-path", db_path, "--json").output)
    by_name = {r["model_name"]: r for r in rows}
    assert by_name["good"]["parameters"] == 1_000_000 and by_name["good"]["license"] == "mit"
    assert by_name["fast"]["parameters"] is None  # known from its results only


def test_unknown_backend_and_unwritable_path_are_clear_errors(tmp_path):
    out = invoke("setup", "--db-type", "oracle")
    assert out.exit_code == 1 and "unknown database type" in out.output
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = invoke("setup", "--db-path", str(blocker / "sub" / "x.db"))
    assert out.exit_code == 1 and "--db-path" in out.output


def test_setup_database_script(tmp_path):
    path = tmp_path / "seed.db"
    proc = subprocess.run([sys.executable, "scripts/setup_database.py", "--db-type", "sqlite",
                           "--db-path", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert path.exists() and "ready" in proc.stdout


def test_error_text_is_not_read_as_markup(capsys):
    import typer

    from modelbench.cli.common import handle_errors
    from modelbench.errors import ConfigError

    @handle_errors
    def fails():
        raise ConfigError("model [bold]x[/bold] failed", hint="pip install 'modelbench[report]'")

    with pytest.raises(typer.Exit):
        fails()
    err = capsys.readouterr().err
    assert "model [bold]x[/bold] failed" in err
    assert "pip install 'modelbench[report]'" in err


def test_names_and_messages_from_the_web_are_shown_verbatim(tmp_path):
    path = str(tmp_path / "markup.db")
    with get_database_manager("sqlite", path=path) as store:
        store.setup()
        rid = store.insert_result(BenchmarkResult(
            model_name="GPT-4 [bold]v2[/bold]", metric="accuracy", status="error",
            error_message="FileNotFoundError: [Errno 2] No such file: 'w.bin'"))
    out = invoke("results", "--db-path", path)
    assert "GPT-4 [bold]v2[/bold]" in out.output
    out = invoke("show", rid, "--db-path", path)
    assert "[Errno 2] No such file" in out.output and "GPT-4 [bold]v2[/bold]" in out.output


def test_show_prints_the_prediction_interval_of_a_rerun_median(tmp_path):
    path = str(tmp_path / "rerun.db")
    result = BenchmarkResult(model_name="m", task_type="cls", dataset="d", metric="accuracy",
                             score=0.9, latency=_stats(0.5), n_runs=5,
                             extra={"rerun_median_ms": [0.41, 0.62]})
    with get_database_manager("sqlite", path=path) as store:
        store.setup()
        store.insert_results([result])
    out = invoke("show", result.id, "--db-path", path)
    assert "a rerun's median, 95% prediction" in out.output
    assert "410 µs – 620 µs" in out.output
