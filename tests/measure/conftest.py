"""Fixtures of the measurement tests."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


@pytest.fixture
def models_on_path(monkeypatch):
    """``mb_models`` importable here and in child processes (they inherit sys.path)."""
    monkeypatch.syspath_prepend(str(HERE))
    import mb_models

    return mb_models


@pytest.fixture
def fast_timing():
    """Small timing settings that keep the suite quick."""
    from modelbench.measure import TimingConfig

    return TimingConfig(min_calls=5, min_time=0.02, warmup_calls=1, warmup_time=0.0, runs=2)


@pytest.fixture(scope="session")
def digits_models(tmp_path_factory):
    """The digits logistic regression of ``examples/digits_models.py``, fitted once per
    session, as ``digits_logreg.joblib`` and ``digits_logreg.onnx`` in ``folder``."""
    import importlib.util

    from conftest import installed, require

    require(installed("sklearn", "skl2onnx", "onnxruntime"),
            "scikit-learn, skl2onnx and onnxruntime", "pip install -e '.[dev]'")
    import joblib

    from modelbench.measure.datasets import load_sklearn

    spec = importlib.util.spec_from_file_location("digits_models",
                                                  REPO / "examples" / "digits_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("digits")
    module.build(folder)
    X_test, y_test = load_sklearn("load_digits", split="test", seed=0)
    return {"folder": folder, "model": joblib.load(folder / "digits_logreg.joblib"),
            "X": X_test, "y": y_test}
