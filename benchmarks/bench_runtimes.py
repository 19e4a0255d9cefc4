"""Runtime adapters: what a target of each kind adds to the bare runtime call (issue 14).

Rows:
  * overhead per call of the ``sklearn`` target against a bare ``estimator.predict`` loop and
    of the ``onnx`` target against a bare ``session.run`` loop, both timed by the same
    ``perf_counter_ns`` pair: goal, the adapter's median within 3 % of the bare median;
  * a ``batch_sizes x threads`` sweep of the ONNX model on ``load_digits``, printed as a table
    of items/s (information, no goal).
Rounds interleave adapter and bare loop; the median of per-round ratios is reported.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import Row

from modelbench.measure.datasets import load_sklearn
from modelbench.measure.targets import ModelTarget


def _loop(fn, arg, calls: int) -> float:
    pc = time.perf_counter_ns
    samples = []
    for _ in range(calls):
        t0 = pc()
        fn(arg)
        samples.append(pc() - t0)
    return statistics.median(samples)


def _models(folder: Path):
    import joblib
    from skl2onnx import to_onnx
    from sklearn.linear_model import LogisticRegression

    X, y = load_sklearn("load_digits", split="train", seed=0)
    model = LogisticRegression(max_iter=2000).fit(X, y)
    joblib.dump(model, folder / "m.joblib")
    onnx_model = to_onnx(model, X[:1].astype(np.float32), options={id(model): {"zipmap": False}})
    (folder / "m.onnx").write_bytes(onnx_model.SerializeToString())
    return model


def _ratio_rounds(adapter, bare, arg, rounds: int, calls: int) -> float:
    ratios = []
    for _ in range(rounds):
        ratios.append(_loop(adapter, arg, calls) / _loop(bare, arg, calls))
    return statistics.median(ratios)


def rows(quick: bool = False) -> list[Row]:
    import onnxruntime as ort

    rounds, calls = (5, 200) if quick else (15, 1000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        model = _models(folder)
        X, _ = load_sklearn("load_digits", split="test", seed=0)
        batch = X[:8]
        sk_target = ModelTarget("sklearn", {"path": str(folder / "m.joblib")}).loaded_function()
        sk_ratio = _ratio_rounds(sk_target, lambda b: model.predict(np.asarray(b)), batch,
                                 rounds, calls)
        onnx_target = ModelTarget("onnx", {"path": str(folder / "m.onnx"),
                                           "intra_op_threads": 1}).loaded_function()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        session = ort.InferenceSession(str(folder / "m.onnx"), sess_options=options,
                                       providers=["CPUExecutionProvider"])
        name, output = session.get_inputs()[0].name, session.get_outputs()[0].name
        batch32 = batch.astype(np.float32)
        onnx_ratio = _ratio_rounds(onnx_target, lambda b: session.run([output], {name: b})[0],
                                   batch32, rounds, calls)
        _print_sweep(folder / "m.onnx", X, quick)
    return [
        Row("sklearn target vs bare estimator.predict (median per call, batch 8)",
            "estimator.predict loop", sk_ratio, "<= 1.03", sk_ratio <= 1.03),
        Row("onnx target vs bare session.run (median per call, batch 8)",
            "session.run loop", onnx_ratio, "<= 1.03", onnx_ratio <= 1.03),
    ]


def _print_sweep(path: Path, X: np.ndarray, quick: bool) -> None:
    batch_sizes = (1, 32, 256) if quick else (1, 8, 32, 128, 360)
    threads = (1, 2)
    lines = [f"ONNX Runtime on load_digits, items/s ({path.name}):",
             "batch  " + "  ".join(f"threads={t:<3}" for t in threads)]
    for size in batch_sizes:
        cells = []
        for count in threads:
            target = ModelTarget("onnx", {"path": str(path), "intra_op_threads": count}).load()
            batch = X[:size]
            per_call = _loop(target, batch, 50 if quick else 200)
            cells.append(f"{size / (per_call / 1e9):>11,.0f}")
        lines.append(f"{size:<5}  " + "  ".join(cells))
    print("\n".join(lines), file=sys.stderr)
