"""--resume on the local executor: a run's stored cells are not measured again, the rest are,
under the same run id."""

from __future__ import annotations

from modelbench.analysis.resume import resume_state
from modelbench.ingest import StoreSink
from modelbench.measure.plan import load_plan, plan_cell_keys, run_plan

from .test_ray_executor import _plan


def test_a_resumed_local_run_measures_only_the_missing_cells(sqlite_store, tmp_path):
    folder = tmp_path / "p"
    first = run_plan(load_plan(_plan(folder, ["double"], sweep=False)), StoreSink(sqlite_store),
                     in_process=True)  # as if the grid had stopped after its first cell
    run_id = first["plan"]["run_id"]
    (kept,) = sqlite_store.query_results()
    plan = load_plan(_plan(folder, ["double", "double_slowly"], sweep=False))
    resumed_id, done = resume_state(sqlite_store, "last", plan_cell_keys(plan))
    assert resumed_id == run_id and done == {(kept.cell_key, "accuracy")}
    again = run_plan(plan, StoreSink(sqlite_store), in_process=True, run_id=run_id, done=done)
    assert [r["model_name"] for r in again["results"]] == ["double_slowly"]
    stored = sqlite_store.query_results()
    assert sorted(r.model_name for r in stored) == ["double", "double_slowly"]
    assert {r.run_id for r in stored} == {run_id}
    # each a plan cell's: stored once per run id, whoever measures it again
    assert {r.natural_key for r in stored} == {f"local:{run_id}/{r.cell_key}/accuracy"
                                               for r in stored}


def test_only_a_plans_cells_alone_under_their_key_are_stored_once_per_run():
    """The seed's compare_models, called twice on one ModelBenchmark (one run id), stores
    both passes; a plan run's cells are one per run id, except two models of one name (one
    cell key): each of their results is its own, not one cell measured twice."""
    from modelbench.measure.runner import ModelBenchmark

    bench = ModelBenchmark(isolate=False, runs=1, min_calls=2, min_time=0, warmup_time=0)
    models = [{"name": "same", "function": sorted}, {"name": "same", "function": sorted},
              {"name": "other", "function": sorted}]

    def flags(**more):
        outcome = bench.compare_models(models, inputs=[[2, 1]], expected_outputs=[[1, 2]],
                                       **more)
        return [r["extra"].get("one_per_cell", False) for r in outcome["results"]]

    assert flags() == [False, False, False]
    assert flags(one_per_cell=True) == [False, False, True]


FAILS_ONCE = '''
import os

def fails_once(xs):  # broken while the test keeps a file named "broken" next to it
    if os.path.exists(os.path.join(os.path.dirname(__file__), "broken")):
        raise RuntimeError("this cell is broken for now")
    return [x * 2 for x in xs]
'''


def _cli_run(plan, db, *more):
    import json

    from typer.testing import CliRunner

    from modelbench.cli import _register, app

    _register()
    out = CliRunner().invoke(app, ["run", str(plan), "--db-path", str(db), "--in-process",
                                   "--allow-failures", "--json", *more])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout), out.stderr


def test_retry_failed_replaces_the_failed_row_and_the_summary_shows_every_cell(tmp_path):
    from modelbench import get_database_manager

    plan = _plan(tmp_path / "p", ["double", "fails_once"], sweep=False)
    # a module name of its own: in-process runs import it once, and another test's `cells`
    # (without fails_once) may already be imported
    (plan.parent / "retry_cells.py").write_text((plan.parent / "cells.py").read_text() +
                                                FAILS_ONCE)
    plan.write_text(plan.read_text().replace('"cells:', '"retry_cells:'))
    db, broken = tmp_path / "bench.db", plan.parent / "broken"
    broken.touch()
    first, _ = _cli_run(plan, db)
    run_id = first["plan"]["run_id"]
    assert [r["status"] for r in first["results"]] == ["ok", "error"]

    again, _ = _cli_run(plan, db, "--resume", "last")  # a failure is done: nothing measured
    assert {r["model_name"] for r in again["results"] if r["stored_earlier"]} == \
        {"double", "fails_once"} and again["plan"]["stored_earlier"] == 2

    broken.unlink()
    retried, said = _cli_run(plan, db, "--resume", run_id, "--retry-failed")
    assert "1 failed cell(s) measured again" in said
    by_name = {r["model_name"]: r for r in retried["results"]}
    assert len(retried["results"]) == 2 and by_name["fails_once"]["status"] == "ok", \
        by_name["fails_once"]["error_message"]
    assert not by_name["fails_once"].get("stored_earlier")
    assert by_name["double"]["stored_earlier"] is True
    store = get_database_manager("sqlite", path=str(db))
    rows = store.query_results()
    assert sorted((r.model_name, r.status, r.run_id) for r in rows) == \
        [("double", "ok", run_id), ("fails_once", "ok", run_id)]  # the failed row is gone
    assert all(len(store.get_samples(r.id)) for r in rows)
    store.close()


def test_retry_failed_needs_resume(tmp_path):
    from typer.testing import CliRunner

    from modelbench.cli import _register, app

    _register()
    plan = _plan(tmp_path / "p", ["double"], sweep=False)
    out = CliRunner().invoke(app, ["run", str(plan), "--no-store", "--retry-failed"])
    assert out.exit_code != 0 and "--retry-failed needs --resume" in out.output


def test_a_resumed_summary_ranks_earlier_cells_with_the_new_ones(tmp_path):
    """The cell an earlier pass stored (accuracy 1) ranks above the one measured now (1/6):
    one ranking over the whole run, not the new cells first and the earlier ones after."""
    folder = tmp_path / "p"
    models = ["double", "thrice"]
    plan = _plan(folder, models[:1], sweep=False)
    (folder / "rank_cells.py").write_text((folder / "cells.py").read_text() +
                                          "\ndef thrice(xs):\n    return [x * 3 for x in xs]\n")
    plan.write_text(plan.read_text().replace('"cells:', '"rank_cells:'))
    db = tmp_path / "bench.db"
    _cli_run(plan, db)
    plan.write_text(plan.read_text() + '[[models]]\nname = "thrice"\n'
                                       'target = "rank_cells:thrice"\n')
    again, _ = _cli_run(plan, db, "--resume", "last")
    assert [(r["model_name"], bool(r.get("stored_earlier"))) for r in again["by_score"]] == \
        [("double", True), ("thrice", False)]
    assert {r["model_name"] for r in again["by_runtime"]} == set(models)
