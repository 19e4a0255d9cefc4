"""Models in child processes: raise, hang, wrong length, crash, bad imports, parallel pinning."""

from __future__ import annotations

import os

import pytest
from conftest import installed

from modelbench.errors import ConfigError
from modelbench.measure.executors import LocalExecutor
from modelbench.measure.guards import THREAD_VARIABLES
from modelbench.measure.isolation import assign_cores, check_target, resolve_target
from modelbench.measure.runs import RunSpec
from modelbench.measure.schedule import Cell, measure_cells
from modelbench.measure.summary import CellInfo

INPUTS = list(range(20))
EXPECTED = [x * 2 for x in INPUTS]


def _cell(target, timing, *, function=None, name=None, expected_name="accuracy"):
    info = CellInfo(labels={"model_name": name or (target or "fn").split(":")[-1]},
                    metrics=[expected_name], timing=timing)
    return Cell(info=info, spec=RunSpec(timing=timing), target=target, function=function,
                isolate=True)


def _measure(cells, expected=EXPECTED, **options):
    return [o.measurements[0] for o in measure_cells(cells, INPUTS, expected, **options)]


def test_a_good_model_is_measured_in_fresh_children_one_per_run(models_on_path, fast_timing):
    (m,) = _measure([_cell("mb_models:double", fast_timing)], timeout=60)
    result = m.result
    assert result.status == "ok" and result.score == 1.0 and result.n_runs == 2
    latencies, runs = m.samples["call"]
    assert len(latencies) == result.latency.n_samples >= 10 and set(runs) == {0, 1}
    assert result.memory_usage_mb > 0 and result.environment["env_hash"] == result.env_hash
    assert result.extra["isolated"] is True
    assert set(m.samples["load"][1]) == {0, 1}  # each run set the model up itself


def test_a_factory_target_builds_the_model_once(models_on_path, fast_timing, tmp_path,
                                                monkeypatch):
    builds = tmp_path / "builds.log"
    monkeypatch.setenv("MB_BUILDS_LOG", str(builds))
    (m,) = _measure([_cell("mb_models:make_scaler()", fast_timing)], timeout=60)
    assert m.result.status == "ok" and m.result.score == 1.0
    calls = len(m.samples["call"][0])
    # each run is a fresh child that builds the model once and calls it many times
    assert len(builds.read_text().splitlines()) == m.result.n_runs < calls


@pytest.mark.parametrize(("target", "status", "message"), [
    ("mb_models:boom", "error", "ValueError: boom: the model is broken (at mb_models.py:"),
    ("mb_models:short", "error", "returned 19 outputs for 20 inputs"),
    ("mb_models:not_a_sequence", "error", "returned int"),
    ("mb_models:exits", "error", "exited with code 3"),
    ("mb_models:calls_sys_exit", "error", "SystemExit"),
    ("mb_models:no_such_function", "error", "has no attribute 'no_such_function'"),
    ("no_such_module_xyz:f", "error", "cannot import 'no_such_module_xyz'"),
])
def test_faulty_models_become_error_results(models_on_path, fast_timing, target, status,
                                            message):
    (m,) = _measure([_cell(target, fast_timing)], timeout=60)
    assert m.result.status == status
    assert message in m.result.error_message
    assert m.result.score is None and m.result.model_name == target.split(":")[-1]


def test_a_hanging_model_is_stopped_at_its_timeout(models_on_path, fast_timing):
    (m,) = _measure([_cell("mb_models:hang", fast_timing)], timeout=1.5)
    assert m.result.status == "timeout"
    assert "no result after 1.5 s" in m.result.error_message
    assert m.samples == {}


def test_a_picklable_function_can_be_isolated(models_on_path, fast_timing):
    (m,) = _measure([_cell(None, fast_timing, function=models_on_path.double)], timeout=60)
    assert m.result.score == 1.0 and m.result.extra["isolated"] is True


def test_targets_are_checked_before_anything_runs():
    assert check_target(" pkg.mod:fn ") == "pkg.mod:fn"
    for bad in ("pkg.mod", "pkg.mod:fn; rm -rf /", ":fn", "pkg mod:fn"):
        with pytest.raises(ConfigError, match="not an import path"):
            check_target(bad)
    assert resolve_target("os.path:basename")("/a/b") == "b"


def test_core_assignment_disjoint_when_enough_cores_and_warns_when_shared():
    slots, warnings = assign_cores(2, [0, 1, 2, 3, 4])
    assert slots == [[0, 1], [2, 3]] and warnings == []
    slots, warnings = assign_cores(4, [0, 1])
    assert slots == [[0], [1], [0], [1]]
    assert "4 parallel jobs share 2 CPU(s)" in warnings[0]
    assert assign_cores(1, [0, 1]) == ([None], [])
    with pytest.raises(ConfigError):
        assign_cores(0)


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs 2 CPUs to pin two jobs apart")
def test_parallel_jobs_run_pinned_to_their_own_cores(models_on_path, fast_timing):
    per_job = len(os.sched_getaffinity(0)) // 2
    cells = [_cell("mb_models:pool_threads", fast_timing),
             _cell("mb_models:affinity", fast_timing, expected_name="accuracy")]
    done = []
    outcomes = measure_cells(cells, INPUTS, [per_job] * len(INPUTS), jobs=2, timeout=60,
                             progress=done.append)
    assert len(done) == 2
    first, second = (o.result for o in outcomes)
    assert first.extra["parallel"] is True and first.extra["jobs"] == 2
    assert len(first.extra["cores"]) == len(second.extra["cores"]) == per_job
    assert set(first.extra["cores"]).isdisjoint(second.extra["cores"])
    assert second.score == 1.0  # the model itself counted only its own cores
    if installed("threadpoolctl") and not any(v in os.environ for v in THREAD_VARIABLES):
        # pinned before numpy loaded its BLAS: one thread per core it may use, not per core
        # of the machine (oversubscribed: more threads than cores)
        assert first.score == 1.0, first.error_message
    assert second.environment["cpu_affinity"] == second.extra["cores"]
    assert not any("share" in w for w in first.warnings + second.warnings)


def test_more_jobs_than_cores_are_flagged_in_each_result(models_on_path, fast_timing):
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    cells = [_cell("mb_models:double", fast_timing.replace(runs=1)) for _ in range(cpus + 1)]
    outcomes = measure_cells(cells, INPUTS, EXPECTED, jobs=cpus + 1, timeout=60)
    assert all(o.result.status == "ok" for o in outcomes)
    assert all(any("share" in w for w in o.result.warnings) for o in outcomes)


def test_a_local_executor_reused_for_another_grid_measures_the_new_cells(models_on_path,
                                                                         fast_timing):
    """Cell ids start at 0 in every grid: a reused executor must not run the job it wrote
    for cell 0 of the grid before."""
    timing = fast_timing.replace(runs=1)
    executor = LocalExecutor(jobs=1)
    try:
        (first,) = _measure([_cell("mb_models:double", timing)], executor=executor)
        (second,) = _measure([_cell("mb_models:boom", timing)], executor=executor)
    finally:
        executor.close()
    assert first.result.status == "ok"
    assert second.result.status == "error" and "boom" in second.result.error_message
