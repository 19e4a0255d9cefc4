"""modelbench check (the CI gate) and calibrate, on real SQLite stores written through the
store API (results, per-call samples with run indices, per-item results)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import numpy as np
import pytest
from typer.testing import CliRunner

from modelbench import get_database_manager, stats
from modelbench.analysis.check import check, environment_differences, latest_calibration
from modelbench.cli import _register, app
from modelbench.measure.calibration import calibration_result, measure_spread
from modelbench.measure.environment import env_hash, env_testbed, fingerprint
from modelbench.records import BenchmarkResult

runner = CliRunner()
T0 = datetime(2026, 11, 1, tzinfo=UTC)
ITEMS = 400


@pytest.fixture(scope="module", autouse=True)
def _commands():
    _register()


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "bench.db")


def store(path):
    db = get_database_manager("sqlite", path=path)
    db.setup()
    return db


def write_run(path, run_id, **options):
    """One measured result in the SQLite file at ``path`` (see :func:`write_result`)."""
    with store(path) as db:
        return write_result(db, run_id, **options)


def write_result(db, run_id, *, seed, slowdown=0.0, hours=0, environment=None, n_runs=5,
                 batch_size=8, accuracy_drop=0, memory_mb=50.0, commit="a" * 40, items=True,
                 calls=40):
    """One measured result as the runner stores it: samples with run indices, item values
    (``calls`` per run: 40 compares run medians, 50+ run floors)."""
    rng = np.random.default_rng(seed)
    env = dict(environment or fingerprint())
    env["env_hash"] = env_hash(env)
    runs = np.repeat(np.arange(n_runs), calls)
    levels = np.exp(rng.normal(0, 0.01, n_runs))  # 1 % run-to-run spread
    calls = (2e6 * (1 + slowdown) * levels[runs] * rng.lognormal(0, 0.05, runs.size))
    correct = np.ones(ITEMS)
    correct[: 20 + accuracy_drop] = 0  # a drop: items the baseline got right now wrong
    centre = stats.median_ci_runs(calls, runs)[0]
    result = BenchmarkResult(
        model_name="m", task_type="tc", dataset="d", metric="accuracy",
        score=float(correct.mean()), batch_size=batch_size, run_id=run_id,
        timestamp=T0 + timedelta(hours=hours), environment=env, env_hash=env["env_hash"],
        n_runs=n_runs, model_memory_mb=memory_mb, git_commit=commit,
        latency=stats.summarize(calls), per_item_median_ms=centre / 1e6 / batch_size)
    rid = db.insert_result(result)
    db.insert_samples(rid, calls.astype(np.int64), run_index=runs)
    if items:
        db.insert_item_results(rid, correct)
    return rid


def test_unchanged_rerun_passes(db_path):
    write_run(db_path, "base", seed=1)
    write_run(db_path, "new", seed=2, hours=1)
    with store(db_path) as db:
        report = check(db)
    assert report.baseline_run == "base" and report.candidate_run == "new"
    assert report.exit_code == 0
    assert {row.aspect: row.status for row in report.rows} == \
        {"latency": "pass", "memory": "pass", "score": "pass"}
    out = runner.invoke(app, ["check", "--db-path", db_path])
    assert out.exit_code == 0, out.output
    assert "pass" in out.output


def test_a_twenty_percent_slowdown_exits_1(db_path, tmp_path):
    write_run(db_path, "base", seed=1)
    write_run(db_path, "slow", seed=2, hours=1, slowdown=0.20)
    junit = tmp_path / "check.xml"
    out = runner.invoke(app, ["check", "--db-path", db_path, "--junit", str(junit)])
    assert out.exit_code == 1, out.output
    suite = ElementTree.parse(junit).getroot()
    assert suite.get("failures") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("message", "").startswith("slower")
    data = json.loads(runner.invoke(app, ["check", "--db-path", db_path, "--json"]).output)
    latency = next(r for r in data["rows"] if r["aspect"] == "latency")
    assert latency["status"] == "regression" and 1.15 < latency["change"] < 1.25
    assert latency["ci_low"] > 1.0 and data["exit_code"] == 1
    # A limit above the slowdown: the change is real, but tolerated.
    assert runner.invoke(app, ["check", "--db-path", db_path,
                               "--max-regression", "30%"]).exit_code == 0


def test_a_changed_fingerprint_exits_2_naming_the_fields(db_path, tmp_path):
    write_run(db_path, "base", seed=1)
    other = dict(fingerprint(), python="3.99.0")
    other["packages"] = dict(other["packages"], numpy="0.0.1")
    other["env_hash"] = env_hash(other)  # as a real other testbed would carry
    write_run(db_path, "elsewhere", seed=2, hours=1, environment=other, slowdown=0.2)
    junit = tmp_path / "check.xml"
    out = runner.invoke(app, ["check", "--db-path", db_path, "--format", "md",
                              "--junit", str(junit)])
    assert out.exit_code == 2, out.output
    suite = ElementTree.parse(junit).getroot()
    assert (suite.get("errors"), suite.get("failures")) == ("1", "0")
    assert "python" in suite.find("testcase/error").get("message", "")
    assert "python" in out.output and "packages.numpy" in out.output
    assert out.output.startswith("**modelbench check**: not comparable")
    beds = f"testbed {env_testbed(fingerprint())} vs {env_testbed(other)}"
    refused = runner.invoke(app, ["check", "--db-path", db_path, "--json"]).output
    assert beds in refused  # the row says which testbeds it would not compare
    allowed = runner.invoke(app, ["check", "--db-path", db_path, "--allow-env-diff"])
    assert allowed.exit_code == 1  # compared anyway: the slowdown shows


def test_another_machine_of_the_same_fingerprint_is_not_compared_unless_told(db_path):
    """Two nodes of one kind share an env_hash (the host is left out of it) but not a
    testbed: check never compares across machines unless --allow-env-diff."""
    write_run(db_path, "base", seed=1)
    twin = dict(fingerprint(), hostname="other-node")
    write_run(db_path, "twin", seed=2, hours=1, environment=twin, slowdown=0.2)
    with store(db_path) as db:
        assert {r.env_hash for r in db.query_results()} == {env_hash(fingerprint())}
        report = check(db)
    assert report.exit_code == 2 and set(report.env_differences) == {"testbed"}
    assert report.env_differences["testbed"] == (env_testbed(fingerprint()),
                                                 env_testbed(twin))
    out = runner.invoke(app, ["check", "--db-path", db_path])
    assert out.exit_code == 2 and "testbed" in out.output, out.output
    allowed = runner.invoke(app, ["check", "--db-path", db_path, "--allow-env-diff"])
    assert allowed.exit_code == 1  # compared when told: the slowdown shows


def test_git_commits_alone_do_not_make_testbeds_differ(db_path):
    write_run(db_path, "base", seed=1, commit="b" * 40)
    env = dict(fingerprint(), git_commit="c" * 40, git_branch="other", git_dirty=True)
    write_run(db_path, "new", seed=2, hours=1, commit="c" * 40, environment=env)
    assert runner.invoke(app, ["check", "--db-path", db_path, "--baseline", "bbbbbbb"]
                         ).exit_code == 0
    assert runner.invoke(app, ["check", "--db-path", db_path, "--baseline", "base"]
                         ).exit_code == 0
    nowhere = runner.invoke(app, ["check", "--db-path", db_path, "--baseline", "dddddddd"])
    assert nowhere.exit_code == 2 and "no baseline" in nowhere.output


def test_batch_sizes_are_never_compared(db_path):
    write_run(db_path, "base", seed=1, batch_size=8)
    write_run(db_path, "new", seed=2, hours=1, batch_size=64, slowdown=3.0)
    with store(db_path) as db:
        report = check(db, baseline="base")
    assert report.exit_code == 2 and "share no" in report.problem
    write_run(db_path, "both", seed=3, hours=2, batch_size=8)
    write_run(db_path, "both", seed=4, hours=2, batch_size=512, slowdown=3.0)
    with store(db_path) as db:
        report = check(db, baseline="base")
    by_size = {(row.key["batch_size"], row.aspect): row.status for row in report.rows}
    assert by_size == {(8, "latency"): "pass", (8, "memory"): "pass", (8, "score"): "pass",
                       (512, "all"): "new"}
    assert report.exit_code == 0


def test_a_real_score_drop_is_a_regression_and_an_untested_one_is_unverified(db_path):
    write_run(db_path, "base", seed=1)
    write_run(db_path, "worse", seed=2, hours=1, accuracy_drop=40)  # 0.95 -> 0.85
    with store(db_path) as db:
        report = check(db)
        score = next(r for r in report.rows if r.aspect == "score")
        assert score.status == "regression" and score.verdict == "worse"
        assert score.change == pytest.approx(-0.10)
        write_run(db_path, "no-items", seed=3, hours=2, accuracy_drop=40, items=False)
        report = check(db, baseline="base")
    score = next(r for r in report.rows if r.aspect == "score")
    assert score.status == "unverified" and report.exit_code == 0


def test_memory_growth_beyond_the_limit_is_a_regression(db_path):
    write_run(db_path, "base", seed=1, memory_mb=50.0)
    write_run(db_path, "fat", seed=2, hours=1, memory_mb=80.0)
    with store(db_path) as db:
        report = check(db)
    memory = next(r for r in report.rows if r.aspect == "memory")
    assert memory.status == "regression" and memory.change == pytest.approx(1.6)
    assert report.exit_code == 1


def test_calibration_lets_single_run_results_be_judged(db_path):
    write_run(db_path, "base", seed=1, n_runs=1)
    write_run(db_path, "slow", seed=2, hours=1, n_runs=1, slowdown=0.20)
    with store(db_path) as db:
        alone = check(db)
        assert next(r for r in alone.rows if r.aspect == "latency").verdict == "inconclusive"
        assert alone.exit_code == 0
        cal = measure_spread(runs=3, run_time=0.02)
        result = calibration_result(cal)
        result.score = 0.01  # the run-to-run spread this test's synthetic runs were made with
        # and its df: a real calibration's steady runs depend on the host (.hostcheck)
        result.extra.update(df=2, floor_sd=0.01)
        rid = db.insert_result(result)
        db.insert_samples(rid, cal.latencies_ns, run_index=cal.run_index)
        assert latest_calibration(db, result.env_hash)["df"] == 2
        judged = check(db)
    assert judged.calibration is not None and judged.calibration["id"] == rid
    assert judged.exit_code == 1  # 20 % against a 1 % spread, with 2 df of calibration


def store_calibration(db, sd, floor_sd, *, df=9, hours=2):
    """A calibration as `modelbench calibrate` stores it, with the spreads given."""
    cal = measure_spread(runs=2, run_time=0.01)
    result = calibration_result(cal)
    result.score, result.timestamp = sd, T0 + timedelta(hours=hours)
    result.extra.update(df=df, floor_sd=floor_sd)
    if floor_sd is None:  # as stored before the floors' spread was measured
        del result.extra["floor_sd"]
    db.insert_result(result)


def test_stored_calibration_widens_check_intervals_and_changes_its_verdict(db_path):
    write_run(db_path, "base", seed=1, calls=60)
    write_run(db_path, "slow", seed=2, hours=1, slowdown=0.08, calls=60)

    def latency(report):
        return next(r for r in report.rows if r.aspect == "latency")

    with store(db_path) as db:
        store_calibration(db, 0.10, 0.10)  # a busy testbed: 10 % run to run
        ignored, judged = check(db, use_calibration=False), check(db)
        store_calibration(db, 0.10, None, hours=3)  # older kind: the medians' spread serves
        old_kind = check(db)
        store_calibration(db, 0.10, 0.001, hours=4)  # floors steady: the runs' own spread
        floors_steady = check(db)
    # 8 % slower in 5 runs a side that agree within 1 %: a regression beyond 5 % ...
    assert ignored.exit_code == 1 and latency(ignored).verdict == "slower"
    assert "floor" in latency(ignored).reason
    # ... but not on a testbed whose runs spread 10 %: five runs cannot show 8 % there
    assert judged.calibration["floor_sd"] == 0.10
    assert judged.exit_code == 0 and latency(judged).verdict == "inconclusive"
    assert latency(judged).ci_high - latency(judged).ci_low > \
        3 * (latency(ignored).ci_high - latency(ignored).ci_low)
    width = {name: np.diff(latency(r).candidate_ci)[0]
             for name, r in (("ignored", ignored), ("judged", judged))}
    assert width["judged"] > 3 * width["ignored"]  # the printed CI of the median too
    assert old_kind.exit_code == 0 and old_kind.calibration["floor_sd"] is None
    assert floors_steady.exit_code == 1
    out = runner.invoke(app, ["check", "--db-path", db_path, "--baseline", "base"])
    assert out.exit_code == 1, out.output
    assert "±" in out.output and "of run floors 0.10%" in out.output


def test_calibrate_command_stores_the_spread_with_its_samples(db_path):
    out = runner.invoke(app, ["calibrate", "--db-path", db_path, "--runs", "2",
                              "--run-time", "0.02", "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.output)
    with store(db_path) as db:
        latencies, runs = db.get_sample_runs(summary["id"])
        found = latest_calibration(db, summary["env_hash"])
    assert sorted(set(runs.tolist())) == [0, 1] and latencies.size > 10
    assert found["sd"] == pytest.approx(summary["run_to_run_sd"]) and found["df"] == 1
    assert found["floor_sd"] == pytest.approx(summary["floor_sd"])


def test_empty_store_and_bad_limits_exit_2(db_path):
    out = runner.invoke(app, ["check", "--db-path", db_path])
    assert out.exit_code == 2 and "no measured results" in out.output
    write_run(db_path, "base", seed=1)
    assert runner.invoke(app, ["check", "--db-path", db_path, "--max-regression", "5"]
                         ).exit_code == 2
    assert runner.invoke(app, ["check", "--db-path", db_path]).exit_code == 2  # no baseline


def test_environment_differences_ignore_host_pinning_and_git():
    a = {"python": "3.11", "hostname": "x", "cpu_affinity": [0], "git_commit": "1",
         "packages": {"numpy": "2", "torch": "2.4"}}
    b = {"python": "3.12", "hostname": "y", "cpu_affinity": [1], "git_commit": "2",
         "packages": {"numpy": "2"}}
    assert environment_differences(a, b) == {"packages.torch": ("2.4", None),
                                             "python": ("3.11", "3.12")}


def test_a_model_that_now_fails_is_a_regression(db_path):
    write_run(db_path, "base", seed=1)
    env = fingerprint()
    with store(db_path) as db:
        db.insert_result(BenchmarkResult(
            model_name="m", task_type="tc", dataset="d", metric="accuracy", batch_size=8,
            run_id="broken", status="error", error_message="ValueError: bad shape",
            timestamp=T0 + timedelta(hours=1), environment=env, env_hash=env["env_hash"]))
        report = check(db)
    (row,) = report.rows
    assert (row.aspect, row.status) == ("status", "regression") and "bad shape" in row.reason
    assert report.exit_code == 1
