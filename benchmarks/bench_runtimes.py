"""Runtime adapters: what a target of each kind adds to the bare runtime call (issue 14).

Rows:
  * overhead per call of the ``sklearn`` target against a bare ``estimator.predict`` loop and
    of the ``onnx`` target against a bare ``session.run`` loop, both timed by the same
    ``perf_counter_ns`` pair: goal, the adapter's median within 3 % of the bare median;
  * the same for the ``torch`` target (a 64-128-10 MLP, CPU, float32) against a bare
    ``inference_mode`` loop converting numpy in and out, and for the ``transformers`` target
    (a tiny BERT from a config, random weights) against the bare ``pipeline`` call — where
    torch/transformers are installed;
  * a ``batch_sizes x threads`` sweep of the ONNX model on ``load_digits``, printed as a table
    of per-call and per-item median latency and items/s (information, no goal).
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
    """The digits model of ``examples/digits_models.py`` (the one the example plan runs)."""
    import importlib.util

    import joblib

    example = Path(__file__).resolve().parents[1] / "examples" / "digits_models.py"
    spec = importlib.util.spec_from_file_location("digits_models", example)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(folder)
    return joblib.load(folder / "digits_logreg.joblib")


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
        joblib_path = str(folder / "digits_logreg.joblib")
        sk_target = ModelTarget("sklearn", {"path": joblib_path}).loaded_function()
        sk_ratio = _ratio_rounds(sk_target, lambda b: model.predict(np.asarray(b)), batch,
                                 rounds, calls)
        onnx_target = ModelTarget("onnx", {"path": str(folder / "digits_logreg.onnx"),
                                           "intra_op_threads": 1}).loaded_function()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        session = ort.InferenceSession(str(folder / "digits_logreg.onnx"), sess_options=options,
                                       providers=["CPUExecutionProvider"])
        name, output = session.get_inputs()[0].name, session.get_outputs()[0].name
        batch32 = batch.astype(np.float32)
        onnx_ratio = _ratio_rounds(onnx_target, lambda b: session.run([output], {name: b})[0],
                                   batch32, rounds, calls)
        _print_sweep(folder / "digits_logreg.onnx", X, quick)
        rows = [
            Row("sklearn target vs bare estimator.predict (median per call, batch 8)",
                "estimator.predict loop", sk_ratio, "<= 1.03", sk_ratio <= 1.03),
            Row("onnx target vs bare session.run (median per call, batch 8)",
                "session.run loop", onnx_ratio, "<= 1.03", onnx_ratio <= 1.03),
        ]
        rows.extend(_torch_rows(folder, batch32, rounds, calls))
    return rows


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _torch_rows(folder: Path, batch: np.ndarray, rounds: int, calls: int) -> list[Row]:
    if not _installed("torch"):
        print("torch not installed: no torch/transformers rows (pip install -e '.[dev]')",
              file=sys.stderr)
        return []
    import torch

    torch.manual_seed(0)
    module = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(),
                                 torch.nn.Linear(128, 10)).eval()
    sys.modules["_bench_mlp"] = type(sys)("_bench_mlp")
    sys.modules["_bench_mlp"].mlp = module  # type: ignore[attr-defined]
    target = ModelTarget("torch", {"factory": "_bench_mlp:mlp"}).loaded_function()

    def bare(b: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return module(torch.as_tensor(b)).numpy()

    ratio = _ratio_rounds(target, bare, batch, rounds, calls)
    rows = [Row("torch target vs bare inference_mode loop (median per call, batch 8, CPU)",
                "module(tensor) loop", ratio, "<= 1.03", ratio <= 1.03)]
    if _installed("transformers"):
        rows.append(_transformers_row(folder, rounds, 30 if calls < 1000 else 100))
    return rows


def _transformers_row(folder: Path, rounds: int, calls: int) -> Row:
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast, pipeline

    words = ["good", "bad", "film", "plot", "great", "slow", "fun", "long"]
    (folder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
                                                  *words]) + "\n")
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(words) + 5, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, num_labels=2)
    bert = folder / "bert"
    BertForSequenceClassification(config).eval().save_pretrained(bert)
    BertTokenizerFast(vocab_file=str(folder / "vocab.txt")).save_pretrained(bert)
    target = ModelTarget("transformers", {"path": str(bert), "task": "text-classification"}
                         ).loaded_function()
    pipe = pipeline("text-classification", model=str(bert), tokenizer=str(bert), device="cpu")
    texts = [" ".join(words[i:i + 4]) for i in range(4)]
    ratio = _ratio_rounds(target, lambda b: pipe(b), texts, rounds, calls)
    return Row("transformers target vs bare pipeline call (median per call, 4 texts)",
               "pipeline(texts) loop", ratio, "<= 1.03", ratio <= 1.03)


def _print_sweep(path: Path, X: np.ndarray, quick: bool) -> None:
    batch_sizes = (1, 32, 256) if quick else (1, 8, 32, 128, 360)
    threads = (1, 2)
    lines = [f"ONNX Runtime on load_digits ({path.name}): median per call / per item, items/s",
             "batch  " + "  ".join(f"{f'intra_op_threads={t}':<36}" for t in threads)]
    for size in batch_sizes:
        cells = []
        for count in threads:
            target = ModelTarget("onnx", {"path": str(path), "intra_op_threads": count}
                                 ).loaded_function()
            batch = X[:size].astype(np.float32)
            per_call = _loop(target, batch, 50 if quick else 200)
            cells.append(f"{per_call / 1e3:>9,.1f} µs {per_call / size / 1e3:>8,.2f} µs "
                         f"{size / (per_call / 1e9):>10,.0f}/s")
        lines.append(f"{size:<5}  " + "  ".join(cells))
    print("\n".join(lines), file=sys.stderr)
