"""Testbeds (results grouped by node + fingerprint; no verdict across them unless asked) and the
live progress of a plan run (events with node/running/failed; bar, per-node lines, time left)."""

from __future__ import annotations

import io
import json
import socket
import sqlite3

import pytest
from rich.console import Console
from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.cli import _register, app
from modelbench.cli.progress import GridProgress
from modelbench.measure.environment import env_testbed, fingerprint
from modelbench.measure.plan import load_plan, run_plan
from modelbench.store import ResultFilter

from .test_plan import plan_dir  # noqa: F401  (fixture)

_register()
runner = CliRunner()


def _stored_run(plan_dir, db_path):  # noqa: F811
    outcome = runner.invoke(app, ["run", str(plan_dir / "plan.toml"), "--allow-failures",
                                  "--db-path", db_path])
    assert outcome.exit_code == 0, outcome.output
    return outcome


def _move_to_other_node(db_path, model_name):
    """Make one stored result's fingerprint name another node, as a second machine's would."""
    with sqlite3.connect(db_path) as db:
        changed = db.execute(
            "UPDATE model_benchmarks SET environment = json_set(environment, '$.hostname', ?)"
            " WHERE model_name = ?", ("other-node", model_name)).rowcount
    assert changed >= 1


def test_a_testbed_is_the_node_and_its_fingerprint():
    here = fingerprint()
    assert env_testbed(here) == f"{here['hostname'].split('.')[0][:20]}-{here['env_hash'][:6]}"
    there = {**here, "hostname": "other-node"}  # same hash (the host is left out of it)
    assert here["env_hash"] == there["env_hash"] and env_testbed(here) != env_testbed(there)


def test_the_summary_names_the_testbed_of_every_cell(plan_dir, tmp_path):  # noqa: F811
    db_path = str(tmp_path / "bench.db")
    outcome = _stored_run(plan_dir, db_path)
    assert f"testbed: {env_testbed(fingerprint())}" in outcome.output
    _move_to_other_node(db_path, "majority")
    table = runner.invoke(app, ["compare", "-m", "threshold", "-m", "majority",
                                "--db-path", db_path], env={"COLUMNS": "80"})
    assert table.exit_code == 0, table.output
    assert "┃ bed ┃" in table.output  # several testbeds: a key column, and a key below
    rows = {line.split("│")[2].strip(): line.split("│")[3].strip()
            for line in table.output.splitlines() if line.startswith("│")}
    assert rows["majority"] == "B" and rows["threshold 1"] == "A"
    assert f"A = {env_testbed(fingerprint())}" in table.output
    assert "B = other-node-" in table.output
    drawn = [line for line in table.output.splitlines()
             if line[:1] in "┏┃┡│└" or line.startswith("testbeds:")]
    assert len(drawn) >= 6 and all(len(line) <= 80 for line in drawn)  # fits 80 columns


def test_compare_refuses_across_testbeds_unless_told(plan_dir, tmp_path):  # noqa: F811
    db_path = str(tmp_path / "bench.db")
    _stored_run(plan_dir, db_path)
    args = ["compare", "--dataset", "toy", "--metric", "accuracy", "--db-path", db_path]
    same_bed = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert len(same_bed["comparison"]) == 1 and same_bed["testbed_notes"] == []
    _move_to_other_node(db_path, "majority")
    refused = runner.invoke(app, [*args, "--json"])
    data = json.loads(refused.output)
    assert data["comparison"] == []
    (note,) = data["testbed_notes"]
    assert "not compared across testbeds" in note and "other-node-" in note
    assert "--across-testbeds" in note
    shown = runner.invoke(app, args)
    assert "not compared across testbeds" in shown.output
    told = json.loads(runner.invoke(app, [*args, "--json", "--across-testbeds"]).output)
    assert len(told["comparison"]) == 1 and told["testbed_notes"] == []
    with get_database_manager("sqlite", path=db_path) as store:  # nothing was lost
        results = store.query_results(ResultFilter(dataset="toy", metric="accuracy"))
        assert len(results) == 3
    moved = next(r for r in results if r.model_name == "majority")
    shown = runner.invoke(app, ["show", moved.id, "--db-path", db_path], env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "other-node-" in shown.output, shown.output


def test_a_plan_run_emits_node_running_and_failed(plan_dir):  # noqa: F811
    events = []
    run_plan(load_plan(plan_dir / "plan.toml"), None, progress=events.append, jobs=1)
    assert [e["done"] for e in events] == list(range(1, len(events) + 1))
    assert {e["total"] for e in events} == {len(events)} and len(events) >= 3
    assert {e["node"] for e in events} == {socket.gethostname()}
    assert all(0 <= e["running"] < e["total"] for e in events)
    assert events[-1]["running"] == 0
    assert events[-1]["failed"] == sum(e["status"] != "ok" for e in events) >= 1  # "broken"
    assert [e["failed"] for e in events] == sorted(e["failed"] for e in events)


def _events():
    return [{"done": 1, "total": 4, "model_name": "a", "status": "ok", "node": "n1",
             "running": 2, "failed": 0},
            {"done": 2, "total": 4, "model_name": "b", "status": "error", "node": "n2",
             "running": 1, "failed": 1}]


def test_progress_off_a_terminal_is_one_plain_line_per_cell():
    out = io.StringIO()
    clock = iter([0.0, 10.0, 20.0]).__next__
    with GridProgress(Console(file=out, force_terminal=False), clock=clock) as show:
        for event in _events():
            show(event)
    lines = out.getvalue().splitlines()
    assert lines == ["[1/4] a: ok on n1 · failed 0 · running 2 · left ~0:30",
                     "[2/4] b: error on n2 · failed 1 · running 1 · left ~0:20"]
    assert "\x1b" not in out.getvalue()


def test_progress_on_a_terminal_draws_per_node_lines_and_time_left():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    clock = iter([0.0, 10.0, 20.0]).__next__
    with GridProgress(console, clock=clock) as show:
        for event in _events():
            show(event)
        show.bar.refresh()
        drawn = out.getvalue()
    assert "n1: 1 done · 0 failed · 2 running" in drawn
    assert "n2: 1 done · 1 failed · 1 running" in drawn
    assert "left ~0:20" in drawn and "1 failed" in drawn


@pytest.mark.parametrize("by_node", [{"n1": 3, "n2": 0}])
def test_progress_takes_running_per_node_when_the_executor_knows_it(by_node):
    show = GridProgress(Console(file=io.StringIO(), force_terminal=False),
                        clock=iter([0.0, 1.0]).__next__)
    with show:
        show({**_events()[0], "running_by_node": by_node})
    assert show.nodes["n1"].running == 3 and show.nodes["n2"].running == 0
