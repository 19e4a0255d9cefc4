"""Model targets by kind on real runtimes, with models built here (no downloads).

scikit-learn estimators and their ONNX exports (skl2onnx) run with ONNX Runtime; PyTorch and
Transformers models are in ``test_torch_transformers.py`` (both come with ``.[dev]``).
"""

from __future__ import annotations

import pickle
import sys

import numpy as np
import pytest
from conftest import installed, require

from modelbench.errors import ConfigError
from modelbench.measure.targets import ModelTarget, target_from_entry


def _onnx(models) -> str:
    return str(models["folder"] / "digits_logreg.onnx")


def test_sklearn_target_predicts_like_the_estimator(digits_models):
    target = ModelTarget("sklearn", {"path": str(digits_models["folder"] / "digits_logreg.joblib")})
    got = target.load()(digits_models["X"])
    np.testing.assert_array_equal(got, digits_models["model"].predict(digits_models["X"]))
    assert target.info["estimator"] == "LogisticRegression" and target.load_ns > 0
    proba = ModelTarget("sklearn", {"path": str(digits_models["folder"] / "digits_logreg.joblib"),
                                    "method": "predict_proba"}).load()(digits_models["X"][:5])
    assert proba.shape == (5, 10)


def test_onnx_export_gives_the_same_predictions_and_accuracy(digits_models):
    path = str(digits_models["folder"] / "digits_logreg.onnx")
    target = ModelTarget("onnx", {"path": path, "intra_op_threads": 1,
                                  "graph_optimization": "basic"}).load()
    labels = target(digits_models["X"])
    expected = digits_models["model"].predict(digits_models["X"])
    assert (labels == expected).mean() > 0.99  # float32 vs float64 may flip a tie
    accuracy = (labels == digits_models["y"]).mean()
    assert accuracy == pytest.approx((expected == digits_models["y"]).mean(), abs=0.01)
    assert target.info["input_shape"][1] == 64 and target.info["threads"] == {
        "intra_op_threads": 1}
    probabilities = ModelTarget("onnx", {"path": path, "output": 1}).load()(
        digits_models["X"][:3])
    np.testing.assert_allclose(probabilities,
                               digits_models["model"].predict_proba(digits_models["X"][:3]),
                               atol=1e-4)


def test_onnx_shape_mismatch_names_both_shapes(digits_models):
    target = ModelTarget("onnx", {"path": _onnx(digits_models)}).load()
    with pytest.raises(ConfigError) as info:
        target(digits_models["X"][:, :10])
    assert "Nx64" in info.value.message and "10" in info.value.message


def test_a_loaded_target_travels_without_its_session(digits_models):
    target = ModelTarget("onnx", {"path": _onnx(digits_models)}).load()
    copy = pickle.loads(pickle.dumps(target))
    assert copy._call is None  # the child loads its own session
    np.testing.assert_array_equal(copy(digits_models["X"][:4]), target(digits_models["X"][:4]))


def test_usual_mistakes_are_named(digits_models, tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="unknown option"):
        ModelTarget("onnx", {"path": "x.onnx", "threads": 2})
    with pytest.raises(ConfigError, match="unknown model kind"):
        target_from_entry({"kind": "tensorflow"})
    with pytest.raises(ConfigError, match="does not exist"):
        ModelTarget("onnx", {"path": str(tmp_path / "missing.onnx")}).load()
    garbage = tmp_path / "garbage.onnx"
    garbage.write_bytes(b"not a model")
    with pytest.raises(ConfigError, match="cannot load"):
        ModelTarget("onnx", {"path": str(garbage)}).load()
    with pytest.raises(ConfigError, match="not available here"):
        ModelTarget("onnx", {"path": str(digits_models["folder"] / "digits_logreg.onnx"),
                             "providers": ["TensorrtExecutionProvider"]}).load()
    monkeypatch.setitem(sys.modules, "torch", None)  # as if torch were not installed
    with pytest.raises(ConfigError) as info:
        ModelTarget("torch", {"factory": "x:y"}).load()
    assert info.value.hint == "pip install 'modelbench[torch]'"


def test_torch_module_factory_runs_under_inference_mode():
    require(installed("torch"), "PyTorch", "pip install -e '.[dev]'")
    import torch

    target = ModelTarget("torch", {"factory": "torch.nn:Identity"}).load()
    batch = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(target(batch), batch)
    assert target.info["runtime"] == "torch" and torch.is_tensor(torch.as_tensor(batch))


def test_the_digits_example_plan_runs_both_runtimes_over_its_sweep(digits_models, tmp_path):
    from conftest import REPO

    from modelbench.measure.plan import load_plan, run_plan

    # the session's models are examples/digits_models.py's build, where the plan expects them
    (tmp_path / "models").symlink_to(digits_models["folder"], target_is_directory=True)
    text = (REPO / "examples" / "digits_runtimes.toml").read_text()
    text = text.replace("runs = 5", "runs = 2\nmin_time = 0.01\nmin_calls = 3\nwarmup_time = 0")
    (tmp_path / "plan.toml").write_text(text)
    # children, not in-process: a forked probe of a model whose thread pools ran (OpenMP)
    # can deadlock in the copy (seen once in CI: the probe waited past the test timeout)
    outcome = run_plan(load_plan(tmp_path / "plan.toml"))
    rows = [r for r in outcome["results"] if r["metric"] == "accuracy"]
    cells = {(r["model_version"], r["batch_size"], r["threads"]) for r in rows}
    assert cells == {(v, b, t) for v in ("sklearn", "onnx") for b in (1, 64) for t in (1, 2)}
    assert {r["status"] for r in rows} == {"ok"}
    by_version = {v: {round(r["score"], 6) for r in rows if r["model_version"] == v}
                  for v in ("sklearn", "onnx")}
    assert by_version["sklearn"] == by_version["onnx"] and len(by_version["onnx"]) == 1
    assert all(r["score"] > 0.9 for r in rows)
