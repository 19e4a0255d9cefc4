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
