"""Train a scikit-learn classifier on load_digits and export it to ONNX, for
``examples/digits_runtimes.toml``.

    pip install -e '.[sklearn,onnx]' skl2onnx
    python examples/digits_models.py          # writes examples/models/digits_logreg.{joblib,onnx}
    modelbench run examples/digits_runtimes.toml
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from modelbench.measure.datasets import load_sklearn


def build(folder: Path) -> list[Path]:
    """Fit on the train split (seed 0, the plan's) and save both forms of the model."""
    import joblib
    from skl2onnx import to_onnx
    from sklearn.linear_model import LogisticRegression

    folder.mkdir(parents=True, exist_ok=True)
    X, y = load_sklearn("load_digits", split="train", seed=0)
    model = LogisticRegression(max_iter=2000).fit(X, y)
    joblib.dump(model, folder / "digits_logreg.joblib")
    exported = to_onnx(model, X[:1].astype(np.float32), options={id(model): {"zipmap": False}})
    (folder / "digits_logreg.onnx").write_bytes(exported.SerializeToString())
    return [folder / "digits_logreg.joblib", folder / "digits_logreg.onnx"]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "models"
    for path in build(target):
        print(f"wrote {path}")
