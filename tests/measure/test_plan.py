"""Run plans: loading models, datasets (CSV, JSONL, .npy, .npz), timing; clear config errors."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest

from modelbench.benchmark import store_sink
from modelbench.errors import ConfigError
from modelbench.measure.plan import load_dataset, load_plan, run_plan
from modelbench.store import ResultFilter

MODELS = textwrap.dedent("""
    import numpy as np

    def threshold(rows):
        return (np.asarray(rows)[:, 0] > 5.0).astype(np.int64)

    def majority(rows):
        return np.zeros(len(rows), dtype=np.int64)

    def broken(rows):
        raise RuntimeError("this model is broken")
""")

PLAN = textwrap.dedent("""
    [run]
    task_type = "classification"
    metrics = ["accuracy", "f1_macro"]
    jobs = 1
    timeout = 60

    [dataset]
    name = "toy"
    path = "toy.csv"
    inputs = ["a", "b"]
    labels = "label"
    split = "test"

    [timing]
    runs = 2
    min_time = 0.02
    min_calls = 5
    warmup_time = 0.0
    batch_size = 16

    [[models]]
    name = "threshold"
    version = "1"
    target = "toy_models:threshold"

    [[models]]
    name = "majority"
    target = "toy_models:majority"

    [[models]]
    name = "broken"
    target = "toy_models:broken"
""")


@pytest.fixture
def plan_dir(tmp_path):
    rng = np.random.default_rng(0)
    a = np.round(rng.uniform(4, 6, 60), 2)
    lines = ["a,b,label"] + [f"{x},{i % 7},{int(x > 5.0)}" for i, x in enumerate(a)]
    (tmp_path / "toy.csv").write_text("\n".join(lines) + "\n")
    (tmp_path / "toy_models.py").write_text(MODELS)
    (tmp_path / "plan.toml").write_text(PLAN)
    return tmp_path


def _write_plan(folder, text):
    path = folder / "plan.toml"
    path.write_text(text)
    return path


def test_a_plan_loads_with_every_setting(plan_dir):
    plan = load_plan(plan_dir / "plan.toml")
    assert plan.metrics == ["accuracy", "f1_macro"] and plan.task_type == "classification"
    assert plan.timing.batch_size == 16 and plan.timing.min_time == 0.02
    assert [m["name"] for m in plan.models] == ["threshold", "majority", "broken"]
    assert plan.python_path[0] == plan_dir.resolve()
    inputs, labels = load_dataset(plan.dataset)
    assert inputs.shape == (60, 2) and inputs.dtype == np.float64
    assert labels.dtype == np.int64 and set(labels.tolist()) <= {0, 1}


def test_run_plan_stores_every_model_with_samples(plan_dir, sqlite_store):
    events = []
    outcome = run_plan(load_plan(plan_dir / "plan.toml"), store_sink(sqlite_store),
                       progress=events.append)
    assert [e["done"] for e in events] == [1, 2, 3] and events[-1]["total"] == 3
    by_name = {r["model_name"]: r for r in outcome["results"]}
    assert by_name["threshold"]["score"] == 1.0
    assert by_name["threshold"]["extra"]["scores"]["f1_macro"] == 1.0
    assert by_name["broken"]["status"] == "error"
    assert "this model is broken" in by_name["broken"]["error_message"]
    assert outcome["by_score"][0]["model_name"] == "threshold"
    stored = sqlite_store.query_results(ResultFilter(dataset="toy"))
    assert len(stored) == 6 and {r.dataset_split for r in stored} == {"test"}
    # every metric asked for is its own stored result, sharing the run's latency
    f1 = {r.model_name: r for r in sqlite_store.query_results(ResultFilter(metric="f1_macro"))}
    assert set(f1) == {"threshold", "majority", "broken"} and f1["threshold"].score == 1.0
    ok = sqlite_store.get_result(by_name["majority"]["id"])
    assert len(sqlite_store.get_samples(ok.id)) == ok.latency.n_samples
    assert f1["majority"].latency.median_ms == ok.latency.median_ms
    assert f1["majority"].extra["samples_of"] == ok.id  # samples stored once
    assert len(sqlite_store.get_samples(f1["majority"].id)) == 0


def test_jsonl_npy_and_npz_datasets(tmp_path):
    records = [{"text": f"item {i}", "x": [i, i + 1], "y": i % 2} for i in range(5)]
    (tmp_path / "d.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n\n")
    np.save(tmp_path / "X.npy", np.arange(12.0).reshape(6, 2))
    np.save(tmp_path / "y.npy", np.arange(6) % 3)
    np.savez(tmp_path / "d.npz", features=np.ones((4, 3)), target=np.arange(4))
    head = '[[models]]\ntarget = "m:f"\n[dataset]\n'
    jsonl = load_plan(_write_plan(tmp_path, head + 'path = "d.jsonl"\ninputs = "x"\n'
                                  'labels = "y"\nlimit = 4\n'))
    inputs, labels = load_dataset(jsonl.dataset)
    assert inputs.shape == (4, 2) and labels.tolist() == [0, 1, 0, 1]
    text = load_plan(_write_plan(tmp_path, head + 'path = "d.jsonl"\ninputs = "text"\n'
                                 'labels = "y"\n'))
    assert load_dataset(text.dataset)[0][0] == "item 0"
    npy = load_plan(_write_plan(tmp_path, head + 'path = "X.npy"\nlabels_path = "y.npy"\n'))
    assert load_dataset(npy.dataset)[0].shape == (6, 2)
    npz = load_plan(_write_plan(tmp_path, head + 'path = "d.npz"\ninputs = "features"\n'
                                'labels = "target"\n'))
    assert load_dataset(npz.dataset)[1].tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize(("change", "message", "hint"), [
    (("metrics = [", "metircs = ["), "unknown key 'metircs' in [run]", "did you mean 'metrics'"),
    (("min_time", "min_tme"), "unknown key 'min_tme' in [timing]", "min_time"),
    (('"toy.csv"', '"missing.csv"'), "missing.csv does not exist", "relative to the plan"),
    (('"f1_macro"', '"f1_marco"'), "unknown metric 'f1_marco'", "f1_macro"),
    (('"toy_models:broken"', '"toy_models.broken"'), "not an import path", "package.module"),
    (('labels = "label"', 'labels = "lable"'), "no column 'lable'", "did you mean 'label'"),
    (('name = "majority"', 'name = "threshold"\nversion = "1"'),
     "two models are named 'threshold' with version '1'", "own name or version"),
    (("batch_size = 16", "batch_size = 0"), "batch_size must be a whole number >= 1", None),
    (("jobs = 1", "jobs = 0"), "jobs must be at least 1", None),
    (("[run]", "[runn]"), "unknown key 'runn' in the plan", "did you mean 'run'"),
    (("timeout = 60", "timeout = 60\ntimeout = 61"), "plan.toml", "TOML syntax"),
])
def test_mistakes_in_a_plan_are_named(plan_dir, change, message, hint):
    old, new = change
    path = _write_plan(plan_dir, PLAN.replace(old, new, 1))
    with pytest.raises(ConfigError) as info:
        load_dataset(load_plan(path).dataset)
    assert message in info.value.message
    if hint:
        assert hint in (info.value.hint or "")


def test_missing_plan_and_empty_values(plan_dir):
    with pytest.raises(ConfigError, match="does not exist"):
        load_plan(plan_dir / "nope.toml")
    (plan_dir / "toy.csv").write_text("a,b,label\n4.5,1,0\n,2,1\n")
    with pytest.raises(ConfigError, match="column 'a' has empty values"):
        load_dataset(load_plan(plan_dir / "plan.toml").dataset)
