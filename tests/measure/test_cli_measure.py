"""`modelbench run PLAN.toml` and `modelbench compare` over a real SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.cli import _register, app
from modelbench.store import ResultFilter

from .test_plan import PLAN, plan_dir  # noqa: F401  (fixture)

_register()
runner = CliRunner()


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "bench.db")


def test_run_stores_results_and_prints_a_ranked_table(plan_dir, db_path):  # noqa: F811
    outcome = runner.invoke(app, ["run", str(plan_dir / "plan.toml"), "--db-path", db_path,
                                  "--jobs", "2"])
    assert outcome.exit_code == 1, outcome.output  # a model failed: the run says so
    assert "Ranked by accuracy" in outcome.output
    assert "threshold" in outcome.output and "6 result(s) stored" in outcome.output
    assert "this model is broken" in outcome.output  # the failure is shown, not hidden
    with get_database_manager("sqlite", path=db_path) as store:
        results = store.query_results(ResultFilter(dataset="toy", metric="accuracy"))
        assert len(results) == 3
        ok = [r for r in results if r.status == "ok"]
        assert all(r.extra["parallel"] for r in ok)
        assert all(len(store.get_samples(r.id)) == r.latency.n_samples for r in ok)


def test_run_json_output_and_no_store(plan_dir, db_path):  # noqa: F811
    outcome = runner.invoke(app, ["run", str(plan_dir / "plan.toml"), "--no-store", "--json",
                                  "--allow-failures"])
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)  # progress lines go to stderr, one per cell
    assert [line[:5] for line in outcome.stderr.splitlines() if line.startswith("[")] == \
        ["[1/3]", "[2/3]", "[3/3]"]
    assert data["by_score"][0]["model_name"] == "threshold"
    assert all(r["stored"] is False for r in data["results"])


def test_compare_uses_stored_samples_for_significance(plan_dir, db_path):  # noqa: F811
    assert runner.invoke(app, ["run", str(plan_dir / "plan.toml"), "--allow-failures",
                               "--db-path", db_path]).exit_code == 0
    outcome = runner.invoke(app, ["compare", "--dataset", "toy", "--metric", "accuracy",
                                  "--db-path", db_path, "--json"])
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.output)
    assert [r["model_name"] for r in data["by_score"]] == ["threshold", "majority"]
    (pair,) = data["comparison"]
    assert {pair["a"], pair["b"]} == {"threshold 1", "majority"}  # name and version
    assert {pair["a_label"], pair["b_label"]} == {"threshold 1", "majority"}  # version once
    assert pair["verdict"] in ("faster", "slower", "same", "inconclusive")
    assert pair["n_runs_a"] == pair["n_runs_b"] == 2  # run indexes came back from the store
    assert 0.0 <= pair["p_adjusted"] <= 1.0
    table = runner.invoke(app, ["compare", "-m", "threshold", "-m", "majority",
                                "--db-path", db_path])
    assert table.exit_code == 0 and "CI between runs" in table.output


def test_compare_with_a_fresh_config_run(plan_dir, db_path):  # noqa: F811
    outcome = runner.invoke(app, ["compare", "--config", str(plan_dir / "plan.toml"),
                                  "--dataset", "toy", "--metric", "accuracy",
                                  "--db-path", db_path])
    assert outcome.exit_code == 0, outcome.output
    assert "threshold" in outcome.output and "majority" in outcome.output


def test_bad_plans_and_comparisons_exit_non_zero_with_one_message(plan_dir, db_path):  # noqa: F811
    (plan_dir / "bad.toml").write_text(PLAN.replace("metrics = [", "metircs = ["))
    outcome = runner.invoke(app, ["run", str(plan_dir / "bad.toml"), "--db-path", db_path])
    assert outcome.exit_code == 1
    assert "unknown key 'metircs'" in outcome.output and "did you mean" in outcome.output
    runner.invoke(app, ["setup", "--db-path", db_path])  # compare only reads a store
    lonely = runner.invoke(app, ["compare", "-m", "nobody", "--db-path", db_path])
    assert lonely.exit_code == 1 and "no stored ok results for: nobody" in lonely.output


def test_the_console_script_runs_a_plan(plan_dir, db_path):  # noqa: F811
    done = subprocess.run([sys.executable, "-c", "from modelbench.cli import main; main()",
                           "run", str(plan_dir / "plan.toml"), "--db-path", db_path],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # the broken model fails the command
    assert "6 result(s) stored" in done.stdout
    allowed = subprocess.run([sys.executable, "-c", "from modelbench.cli import main; main()",
                              "run", str(plan_dir / "plan.toml"), "--db-path", db_path,
                              "--allow-failures"], capture_output=True, text=True, timeout=120)
    assert allowed.returncode == 0, allowed.stderr


def test_compare_puts_published_numbers_next_to_measured_ones(plan_dir, db_path):  # noqa: F811
    from modelbench.records import BenchmarkResult

    assert runner.invoke(app, ["run", str(plan_dir / "plan.toml"), "--allow-failures",
                               "--db-path", db_path]).exit_code == 0
    with get_database_manager("sqlite", path=db_path) as store:
        store.insert_result(BenchmarkResult(
            model_name="paper-model", task_type="classification", dataset="toy",
            metric="accuracy", score=0.97, source="paperswithcode",
            source_url="https://example.org/paper"))
    outcome = runner.invoke(app, ["compare", "--dataset", "toy", "--metric", "accuracy",
                                  "--db-path", db_path, "--json"])
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.output)
    assert [r["model_name"] for r in data["by_score"]] == ["threshold", "paper-model",
                                                           "majority"]
    assert data["without_samples"] == ["paper-model"]
    assert len(data["comparison"]) == 1  # latency is compared only where samples exist


def test_run_in_process_and_sweeps_from_the_plan(plan_dir, db_path):  # noqa: F811
    swept = PLAN.replace("timeout = 60", "timeout = 60\nbatch_sizes = [8, 30]")
    swept = swept.replace("batch_size = 16\n", "")
    (plan_dir / "swept.toml").write_text(swept)
    outcome = runner.invoke(app, ["run", str(plan_dir / "swept.toml"), "--in-process",
                                  "--allow-failures", "--json", "--db-path", db_path])
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    cells = [(r["model_name"], r["params"], r["extra"]["isolated"]) for r in data["results"]]
    assert cells == [(m, {"batch_size": b}, False) for b in (8, 30)
                     for m in ("threshold", "majority", "broken")]
    assert sorted(p["params"]["batch_size"] for p in data["comparison"]) == [8, 30]
    with get_database_manager("sqlite", path=db_path) as store:
        stored = store.query_results(ResultFilter(dataset="toy", metric="accuracy"))
        assert sorted(r.batch_size for r in stored) == [8, 8, 8, 30, 30, 30]


def test_run_exits_non_zero_when_a_result_is_not_stored(plan_dir, tmp_path):  # noqa: F811
    import sqlite3

    from modelbench.benchmark import store_sink
    from modelbench.cli.measure_cmds import _exit_code
    from modelbench.measure.plan import load_plan, run_plan

    path = tmp_path / "locked.db"
    store = get_database_manager("sqlite", path=str(path), timeout=0.2)
    store.setup()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock throughout
    try:
        with pytest.warns(RuntimeWarning, match="not stored"):
            outcome = run_plan(load_plan(plan_dir / "plan.toml"), store_sink(store))
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.close()
    assert outcome["not_stored"] == 6
    with pytest.raises(typer.Exit) as stop:
        _exit_code(outcome, True, allow_failures=True)
    assert stop.value.exit_code == 1
