"""Sweeps over a runtime's own axes (providers, device, dtype) and a model's own ``env``.

The ONNX model is a scikit-learn LogisticRegression exported with skl2onnx by
``examples/digits_models.py``, built once per session (``tests/measure/conftest.py``).
"""

from __future__ import annotations

import json
import os

import pytest

from modelbench.errors import ConfigError
from modelbench.measure import TimingConfig
from modelbench.measure.plan import load_plan, run_plan
from modelbench.measure.runner import ModelBenchmark
from modelbench.measure.targets import ModelTarget

TIMING = "[timing]\nruns = 2\nmin_time = 0.01\nmin_calls = 3\nwarmup_time = 0\n"


@pytest.fixture
def digits(digits_models, tmp_path):
    """The session's digits models beside this test's plan (model paths are plan-relative)."""
    for name in ("digits_logreg.joblib", "digits_logreg.onnx"):
        (tmp_path / name).symlink_to(digits_models["folder"] / name)
    return tmp_path


def _plan(folder, run: str, models: str):
    path = folder / "plan.toml"
    path.write_text(f'[run]\ntask_type = "classification"\n{run}\n'
                    f'[dataset]\nsklearn = "load_digits"\nsplit = "test"\nlimit = 64\n'
                    f"{TIMING}{models}")
    return load_plan(path)


ONNX = ('[[models]]\nname = "digits"\nversion = "onnx"\nkind = "onnx"\n'
        'path = "digits_logreg.onnx"\n')
SKLEARN = ('[[models]]\nname = "digits"\nversion = "sklearn"\nkind = "sklearn"\n'
           'path = "digits_logreg.joblib"\n')


def test_providers_and_threads_sweep_records_each_cell(digits):
    plan = _plan(digits, 'providers = [["CPUExecutionProvider"]]\nthreads = [1, 2]', ONNX)
    rows = run_plan(plan, in_process=True)["results"]
    assert [r["status"] for r in rows] == ["ok", "ok"]
    assert [r["params"] for r in rows] == [
        {"threads": t, "providers": ["CPUExecutionProvider"]} for t in (1, 2)]
    # ONNX Runtime reads no OMP_NUM_THREADS: the sweep reaches the session itself
    assert [r["extra"]["runtime"]["threads"] for r in rows] == [
        {"intra_op_threads": 1}, {"intra_op_threads": 2}]
    assert {tuple(r["extra"]["runtime"]["providers"]) for r in rows} == {
        ("CPUExecutionProvider",)}
    assert len({r["cell_key"] for r in rows}) == 2


def test_dtype_sweep_of_sklearn_casts_its_inputs(digits):
    plan = _plan(digits, 'dtype = ["float64", "float32"]\ndevice = ["cpu"]', SKLEARN)
    rows = run_plan(plan, in_process=True)["results"]
    assert [r["extra"]["runtime"]["dtype"] for r in rows] == ["float64", "float32"]
    assert [r["params"]["dtype"] for r in rows] == ["float64", "float32"]


@pytest.mark.parametrize("run, models, message", [
    ('providers = [["CUDAExecutionProvider"]]', ONNX, "CUDAExecutionProvider not available"),
    ('device = ["cuda"]', ONNX, "CUDAExecutionProvider not available"),
    ('device = ["cuda"]', SKLEARN, "scikit-learn runs on the CPU only"),
    ('dtype = ["float16"]', ONNX, "a onnx model cannot take dtype"),
    ('dtype = ["float16"]', SKLEARN, "sklearn models take dtype float32, float64"),
    ('providers = [["CPUExecutionProvider"]]', SKLEARN, "cannot take providers"),
    ('device = ["cpu"]', '[[models]]\nname = "py"\ntarget = "builtins:list"\n',
     "is a python callable: it cannot take device"),
])
def test_a_value_this_machine_cannot_run_is_refused_before_measuring(digits, run, models,
                                                                     message):
    if "CUDA" in message and "CUDAExecutionProvider" in __import__(
            "onnxruntime").get_available_providers():
        pytest.skip("this machine has ONNX Runtime's CUDA provider")
    measured = []
    plan = _plan(digits, run, models)
    with pytest.raises(ConfigError) as info:
        run_plan(plan, sink=lambda m: measured.append(m) or {"stored": True}, in_process=True)
    assert message in info.value.message
    assert measured == []  # nothing was measured, nothing half-stored


def test_a_model_that_sets_a_swept_axis_is_refused(digits):
    models = ONNX + 'providers = ["CPUExecutionProvider"]\n'
    with pytest.raises(ConfigError, match="sets providers while providers is swept"):
        run_plan(_plan(digits, 'providers = [["CPUExecutionProvider"]]', models),
                 in_process=True)


def test_plan_axis_values_must_be_names(digits):
    with pytest.raises(ConfigError, match="not a name"):
        _plan(digits, "device = [1]", ONNX)
    with pytest.raises(ConfigError, match="must be a list"):
        _plan(digits, 'dtype = "float32"', ONNX)


# -- a model's own environment ----------------------------------------------------------------
def test_env_reaches_only_that_models_children_and_secrets_are_not_recorded(models_on_path):
    bench = ModelBenchmark(timing=TimingConfig(min_calls=3, min_time=0.01, warmup_time=0,
                                               runs=2))
    secret = "tok-" + "9f2c" * 4
    outcome = bench.compare_models(
        models=[{"name": "with-env", "target": "mb_models:env_echo",
                 "env": {"MB_ECHO": "hello", "MY_API_TOKEN": secret, "OMP_PROC_BIND": 1}},
                {"name": "without", "target": "mb_models:env_echo"}],
        inputs=[0, 1, 2], expected_outputs=["hello"] * 3, metric="accuracy")
    scores = {r["model_name"]: r["score"] for r in outcome["results"]}
    assert scores == {"with-env": 1.0, "without": 0.0}
    assert "MB_ECHO" not in os.environ
    recorded = outcome["results"][0]["extra"]["env"]
    assert recorded == {"MB_ECHO": "hello", "MY_API_TOKEN": "***", "OMP_PROC_BIND": "1"}
    assert secret not in json.dumps(outcome, default=str)
    assert "env" not in outcome["results"][1]["extra"]


def test_env_mistakes_and_in_process_runs_are_said(models_on_path):
    bench = ModelBenchmark(timing=TimingConfig(min_calls=3, min_time=0.01, warmup_time=0,
                                               runs=2), isolate=False)
    with pytest.raises(ConfigError, match="sets OMP_NUM_THREADS in env while its threads"):
        bench.compare_models(models=[{"name": "m", "target": "mb_models:env_echo",
                                      "env": {"OMP_NUM_THREADS": "4"}}],
                             inputs=[0], expected_outputs=["unset"], threads=[1])
    with pytest.raises(ConfigError, match="must be text or a number"):
        bench.compare_models(models=[{"name": "m", "target": "mb_models:env_echo",
                                      "env": {"A": ["x"]}}], inputs=[0], expected_outputs=[0])
    row = bench.compare_models(models=[{"name": "m", "target": "mb_models:env_echo",
                                        "env": {"MB_ECHO": "x"}}],
                               inputs=[0], expected_outputs=["unset"])["results"][0]
    assert row["score"] == 1.0 and row["extra"]["env_applied"] is False
    assert any("env (MB_ECHO) not applied" in w for w in row["warnings"])


def test_plan_env_is_a_table(tmp_path, models_on_path):
    (tmp_path / "d.csv").write_text("x,y\n1,hello\n2,hello\n")
    plan = tmp_path / "p.toml"
    plan.write_text(f'[dataset]\npath = "d.csv"\ninputs = "x"\nlabels = "y"\n{TIMING}'
                    '[[models]]\nname = "m"\ntarget = "mb_models:env_echo"\n'
                    'env = { MB_ECHO = "hello" }\n')
    rows = run_plan(load_plan(plan))["results"]
    assert rows[0]["score"] == 1.0 and rows[0]["extra"]["env"] == {"MB_ECHO": "hello"}
    plan.write_text(plan.read_text().replace('env = { MB_ECHO = "hello" }', 'env = "x"'))
    with pytest.raises(ConfigError, match="env has the wrong type"):
        load_plan(plan)


def test_a_target_at_a_cell_is_a_new_target():
    base = ModelTarget("onnx", {"path": "m.onnx"})
    cell = base.with_axes({"providers": ["CPUExecutionProvider"], "threads": 1})
    assert base.options == {"path": "m.onnx"}
    assert cell.options == {"path": "m.onnx", "providers": ["CPUExecutionProvider"],
                            "intra_op_threads": 1}
