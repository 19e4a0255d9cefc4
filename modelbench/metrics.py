"""Quality metrics by plain, predictable names, vectorised with numpy.

Names: ``accuracy``, ``exact_match``, ``precision``/``recall``/``f1`` (binary, positive label
``1``) and their ``_micro``, ``_macro``, ``_weighted`` forms, ``mse``, ``mae``, ``rmse``, ``r2``
and ``topK_accuracy`` for any K (``top5_accuracy``). Any callable ``(y_true, y_pred) -> float``
works too. Values agree with scikit-learn (its default ``zero_division``: an ill-defined ratio
counts as 0), which is used only as the reference in the tests.

Classification metrics share one confusion matrix built in a single ``np.bincount`` pass.

Example:
    >>> compute("accuracy", [0, 1, 1, 2], [0, 1, 2, 2])
    0.75
    >>> round(compute("f1_macro", [0, 1, 1, 2], [0, 1, 2, 2]), 4)
    0.7778
    >>> compute("rmse", [1.0, 2.0], [1.0, 4.0])
    1.4142135623730951
    >>> higher_is_better("mse")
    False
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import MetricValueError, ValidationError

__all__ = ["compute", "get_metric", "higher_is_better", "metric_names", "confusion_counts",
           "MetricFn", "MetricInfo", "MetricValueError", "REGISTRY", "info", "canonical_value",
           "range_flag", "canonical_name", "registered"]

MetricFn = Callable[[Any, Any], float]

#: Above this many distinct integer codes, labels are re-encoded with np.unique instead.
_MAX_DIRECT_CLASSES = 1 << 16
#: Up to this many classes the full confusion matrix is counted (k*k bins).
_MAX_MATRIX_CLASSES = 1024
#: Labels per chunk of the counting pass (2 MB of int64 codes: stays in cache).
_CHUNK = 1 << 18
_AVERAGES = ("micro", "macro", "weighted")
_TOPK = re.compile(r"^top_?(\d+)(?:_accuracy)?$")
#: Words that make a published metric name an error, loss or cost ("eval_loss", "Test MSE",
#: "WER", "latency"): smaller is better.
_LOWER_WORDS = frozenset({"mse", "mae", "rmse", "mape", "loss", "error", "wer", "cer",
                          "perplexity", "ppl", "latency", "fid", "ter", "bpb", "bpc", "eer"})


# -- input checks --------------------------------------------------------------------------
def _as_array(values: Any, what: str) -> np.ndarray:
    try:
        array = np.asarray(values)
    except ValueError as exc:  # ragged nested lists
        raise ValidationError(f"{what} cannot be read as an array: {exc}",
                              hint="give one value (or one equal-length row) per item") from exc
    if array.ndim == 0:
        raise ValidationError(f"{what} is a single value, not a sequence",
                              hint="pass one value per item")
    return array


def _check_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    t = _as_array(y_true, "y_true (expected outputs)")
    p = _as_array(y_pred, "y_pred (model outputs)")
    if len(t) == 0 or len(p) == 0:
        raise ValidationError("cannot compute a metric on empty inputs",
                              hint="give at least one expected output and one prediction")
    if len(t) != len(p):
        raise ValidationError(
            f"lengths differ: {len(t)} expected outputs but {len(p)} predictions",
            hint="the model must return exactly one output per input")
    for array, what in ((t, "y_true (expected outputs)"), (p, "y_pred (model outputs)")):
        if array.dtype.kind in "fc" and not np.isfinite(array).all():
            bad = int(np.count_nonzero(~np.isfinite(array)))
            raise ValidationError(f"{what} contains {bad} NaN/inf value(s)",
                                  hint="check the model outputs or clean the dataset")
    return t, p


def _as_labels(t: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if t.ndim != 1 or p.ndim != 1:
        raise ValidationError(
            f"classification labels must be one value per item, got shapes {t.shape} and {p.shape}",
            hint="use exact_match for multi-output rows, or pass argmax'ed class labels")
    return t, p


# -- confusion matrix ------------------------------------------------------------------------
def confusion_counts(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per-class ``(tp, pred, true)`` counts and the sorted labels present in either input.

    One ``np.bincount`` pass over ``true * K + pred``. Non-negative integer labels below 65,536
    are used as codes directly; anything else is encoded with ``np.unique`` first.
    Only labels that occur in either input are returned.

    >>> counts, labels = confusion_counts([0, 1, 1], [0, 1, 0])
    >>> counts.tolist(), labels.tolist()
    ([[1, 1], [2, 1], [1, 2]], [0, 1])
    """
    t, p = _as_labels(*_check_pair(y_true, y_pred))
    return _counts(t, p)


def _direct_codes(t: np.ndarray, p: np.ndarray) -> int | None:
    """Code range when the labels can be used as bincount codes as they are.

    One OR-reduction per array (cheaper than min and max): a set sign bit means a negative
    label, and the OR of all labels bounds the largest one. The range may be up to twice the
    number of classes; classes that never occur are dropped after counting.
    """
    if t.dtype.kind not in "iub" or p.dtype.kind not in "iub":
        return None
    if t.dtype.kind == "b" or p.dtype.kind == "b":
        return 2 if (t.dtype.kind == "b" and p.dtype.kind == "b") else None
    bits = int(np.bitwise_or.reduce(t, axis=None)) | int(np.bitwise_or.reduce(p, axis=None))
    if bits < 0 or bits >= _MAX_DIRECT_CLASSES:
        return None
    return bits + 1


def _matrix_counts(tc: np.ndarray, pc: np.ndarray, k: int) -> np.ndarray:
    """The k x k confusion matrix: bincount of ``true * k + pred``, in cache-sized chunks.

    Codes go into one reused buffer of ~2 MB, so the pass reads each label once and never
    writes a full-length temporary array (faster than a one-shot ``np.bincount(t * k + p)``).
    """
    n, size = len(tc), k * k
    step = max(_CHUNK, size)
    buffer = np.empty(min(step, n), dtype=np.intp)
    matrix = np.zeros(size, dtype=np.intp)
    for start in range(0, n, step):
        stop = min(n, start + step)
        codes = buffer[: stop - start]
        np.multiply(tc[start:stop], k, out=codes, casting="unsafe")
        np.add(codes, pc[start:stop], out=codes, casting="unsafe")
        matrix += np.bincount(codes, minlength=size)
    return matrix.reshape(k, k)


def _counts(t: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    k = _direct_codes(t, p)
    if k is not None:
        labels, tc, pc = np.arange(k), t, p
    else:
        try:
            labels, codes = np.unique(np.concatenate([t, p]), return_inverse=True)
        except TypeError as exc:
            raise ValidationError(f"labels cannot be compared with each other: {exc}",
                                  hint="use labels of one type (all ints or all strings)") from exc
        k = len(labels)
        tc, pc = codes[: len(t)], codes[len(t):]
    if k <= _MAX_MATRIX_CLASSES:
        matrix = _matrix_counts(tc, pc, k)
        tp, true, pred = np.diagonal(matrix), matrix.sum(axis=1), matrix.sum(axis=0)
    else:  # many classes: three length-k counts instead of a k x k matrix
        true = np.bincount(tc, minlength=k)
        pred = np.bincount(pc, minlength=k)
        tp = np.bincount(tc[tc == pc], minlength=k)
    present = (true + pred) > 0
    counts = np.stack([tp[present], pred[present], true[present]])
    return counts, labels[present]


def _divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den with 0 where den == 0 (scikit-learn's default zero_division)."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    safe = np.where(den == 0, 1.0, den)
    return np.where(den == 0, 0.0, num / safe)


def _prf(kind: str, average: str, y_true: Any, y_pred: Any) -> float:
    t, p = _as_labels(*_check_pair(y_true, y_pred))
    counts, labels = _counts(t, p)
    tp, pred, true = counts
    if average == "binary":
        positive = np.flatnonzero(labels == 1)
        if len(labels) > 2 or (len(labels) == 2 and len(positive) == 0):
            raise ValidationError(
                f"'{kind}' is the binary form (positive label 1) but the labels are "
                f"{labels.tolist()[:10]}",
                hint=f"use {kind}_macro, {kind}_micro or {kind}_weighted for multi-class labels")
        if len(positive) == 0:  # the positive class never occurs: every ratio is 0
            return 0.0
        idx = positive[0]
        tp, pred, true = tp[idx:idx + 1], pred[idx:idx + 1], true[idx:idx + 1]
    elif average == "micro":
        tp, pred, true = tp.sum(keepdims=True), pred.sum(keepdims=True), true.sum(keepdims=True)
    if kind == "precision":
        per_class = _divide(tp, pred)
    elif kind == "recall":
        per_class = _divide(tp, true)
    else:
        per_class = _divide(2.0 * tp, true.astype(np.float64) + pred)
    if average == "weighted":
        if true.sum() == 0:
            return 0.0
        return float(np.average(per_class, weights=true))
    return float(np.mean(per_class))


# -- the metrics ----------------------------------------------------------------------------
def accuracy(y_true: Any, y_pred: Any) -> float:
    """Fraction of items whose prediction equals the truth (rows must match entirely)."""
    return exact_match(y_true, y_pred)


def exact_match(y_true: Any, y_pred: Any) -> float:
    """Fraction of items predicted exactly; a 2-D row counts only when every column matches.

    >>> exact_match([[1, 0], [1, 1]], [[1, 0], [0, 1]])
    0.5
    """
    t, p = _check_pair(y_true, y_pred)
    if t.shape != p.shape:
        raise ValidationError(f"shapes differ: expected {t.shape}, predicted {p.shape}",
                              hint="each prediction must have the shape of its expected output")
    if t.ndim == 1:  # chunked: the boolean temporary stays in cache
        hits = sum(int(np.count_nonzero(t[i:i + _CHUNK] == p[i:i + _CHUNK]))
                   for i in range(0, len(t), _CHUNK))
        return hits / len(t)
    equal = (t == p).reshape(len(t), -1).all(axis=1)
    return float(np.count_nonzero(equal)) / len(equal)


def _regression_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    t, p = _check_pair(y_true, y_pred)
    if t.dtype.kind not in "biuf" or p.dtype.kind not in "biuf":
        raise ValidationError("regression metrics need numbers",
                              hint="pass numeric expected outputs and predictions")
    if t.shape != p.shape:
        raise ValidationError(f"shapes differ: expected {t.shape}, predicted {p.shape}",
                              hint="return one number per input")
    return t.astype(np.float64, copy=False), p.astype(np.float64, copy=False)


def _uniform_over_outputs(values: np.ndarray) -> float:
    return float(np.mean(values))


def mse(y_true: Any, y_pred: Any) -> float:
    """Mean squared error (averaged over outputs for 2-D targets)."""
    t, p = _regression_pair(y_true, y_pred)
    return _uniform_over_outputs(np.average((t - p) ** 2, axis=0))


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error."""
    t, p = _regression_pair(y_true, y_pred)
    return _uniform_over_outputs(np.average(np.abs(t - p), axis=0))


def rmse(y_true: Any, y_pred: Any) -> float:
    """Root mean squared error (root per output, then averaged, as scikit-learn does)."""
    t, p = _regression_pair(y_true, y_pred)
    return _uniform_over_outputs(np.sqrt(np.average((t - p) ** 2, axis=0)))


def r2(y_true: Any, y_pred: Any) -> float:
    """Coefficient of determination. A constant truth scores 1.0 if predicted exactly, else 0.0."""
    t, p = _regression_pair(y_true, y_pred)
    if len(t) < 2:
        raise ValidationError("R² needs at least two items", hint="use a larger dataset")
    numerator = ((t - p) ** 2).sum(axis=0, dtype=np.float64)
    denominator = ((t - np.average(t, axis=0)) ** 2).sum(axis=0, dtype=np.float64)
    numerator, denominator = np.atleast_1d(numerator), np.atleast_1d(denominator)
    scores = np.ones_like(numerator)
    valid = (numerator != 0) & (denominator != 0)
    scores[valid] = 1 - numerator[valid] / denominator[valid]
    scores[(numerator != 0) & (denominator == 0)] = 0.0
    return _uniform_over_outputs(scores)


def top_k_accuracy(y_true: Any, y_score: Any, k: int) -> float:
    """Fraction of items whose true class index is among the ``k`` highest scores.

    ``y_score`` is ``(n_items, n_classes)``; ``y_true`` holds column indices. Ties are broken
    as scikit-learn does (the higher class index ranks first).

    >>> top_k_accuracy([0, 2], [[0.5, 0.4, 0.1], [0.5, 0.4, 0.1]], k=2)
    0.5
    """
    t, s = _check_pair(y_true, y_score)
    if s.ndim != 2 or t.ndim != 1:
        raise ValidationError(
            f"top-{k} accuracy needs class scores of shape (items, classes), got {s.shape}",
            hint="return one score per class for every input")
    if t.dtype.kind not in "iu" or t.min() < 0 or t.max() >= s.shape[1]:
        raise ValidationError(f"top-{k} accuracy needs true labels in 0..{s.shape[1] - 1}",
                              hint="encode the expected outputs as class indices")
    rows = np.arange(len(t))
    true_score = s[rows, t][:, None]
    columns = np.arange(s.shape[1])[None, :]
    rank = np.count_nonzero((s > true_score) | ((s == true_score) & (columns > t[:, None])),
                            axis=1)
    return float(np.count_nonzero(rank < k)) / len(t)


_SIMPLE: dict[str, MetricFn] = {
    "accuracy": accuracy, "exact_match": exact_match,
    "mse": mse, "mae": mae, "rmse": rmse, "r2": r2,
}


def _prf_metric(kind: str, average: str) -> MetricFn:
    def metric(y_true: Any, y_pred: Any) -> float:
        return _prf(kind, average, y_true, y_pred)

    metric.__name__ = kind if average == "binary" else f"{kind}_{average}"
    metric.__doc__ = f"{kind} ({average} average), as scikit-learn's with zero_division=0."
    return metric


_PRF: dict[str, MetricFn] = {}
for _kind in ("precision", "recall", "f1"):
    _PRF[_kind] = _prf_metric(_kind, "binary")
    for _avg in _AVERAGES:
        _PRF[f"{_kind}_{_avg}"] = _prf_metric(_kind, _avg)


def metric_names() -> list[str]:
    """Every metric name understood by :func:`compute` (``topK_accuracy`` shown as top5)."""
    return sorted([*_SIMPLE, *_PRF, "top1_accuracy", "top5_accuracy"])


def get_metric(name: str | MetricFn) -> MetricFn:
    """The metric function for ``name`` (a callable is returned as it is).

    >>> get_metric("f1_macro").__name__
    'f1_macro'
    """
    if callable(name):
        return name
    key = str(name).strip().lower()
    if key in _SIMPLE:
        return _SIMPLE[key]
    if key in _PRF:
        return _PRF[key]
    match = _TOPK.match(key)
    if match and int(match.group(1)) >= 1:
        k = int(match.group(1))

        def top_k(y_true: Any, y_score: Any) -> float:
            return top_k_accuracy(y_true, y_score, k)

        top_k.__name__ = f"top{k}_accuracy"
        return top_k
    close = difflib.get_close_matches(key, metric_names(), n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(close)}?" if close else \
        f"known metrics: {', '.join(metric_names())} (or pass a callable)"
    raise ValidationError(f"unknown metric {name!r}", hint=hint)


# -- the registry: one record per metric ----------------------------------------------------
@dataclass(frozen=True)
class MetricInfo:
    """What modelbench knows about a metric.

    ``direction`` is ``"higher"`` or ``"lower"`` (``""`` for model properties, which are never
    ranked). ``scale`` is ``"fraction"`` when the canonical value lies in ``lower..upper`` and
    a printed percent is divided by 100 (accuracy 97.2 % -> 0.972), ``"raw"`` otherwise.
    ``kind`` is ``"score"`` (quality), ``"cost"`` (latency, memory: ranked, lower is better)
    or ``"property"`` (parameter count, FLOPs, model size: shown beside the model).
    ``guessed`` is True when the name is not registered and the direction came from its words.
    """

    name: str
    aliases: tuple[str, ...] = ()
    direction: str = "higher"
    lower: float | None = None
    upper: float | None = None
    scale: str = "raw"
    kind: str = "score"
    guessed: bool = False

    @property
    def higher_is_better(self) -> bool:
        return self.direction != "lower"

    @property
    def ranked(self) -> bool:
        """Whether results of this metric go on leaderboards (model properties do not)."""
        return self.kind != "property"


def _m(name: str, direction: str = "higher", *aliases: str, lower: float | None = None,
       upper: float | None = None, scale: str = "raw", kind: str = "score") -> MetricInfo:
    return MetricInfo(name, tuple(aliases), direction, lower, upper, scale, kind)


def _fraction(name: str, *aliases: str, direction: str = "higher",
              lower: float = 0.0, upper: float | None = 1.0) -> MetricInfo:
    return _m(name, direction, *aliases, lower=lower, upper=upper, scale="fraction")


_REGISTRY_LIST = (
    _fraction("accuracy", "acc", "top_1_accuracy", "top1_accuracy", "top_1_acc", "top1_acc",
              "top_1"),
    _fraction("top5_accuracy", "top_5_accuracy", "top_5_acc", "top5_acc", "top_5"),
    _fraction("exact_match", "em", "exact", "exact_match_em"),
    *(_fraction(f"{kind}{suffix}", *aliases)
      for kind in ("precision", "recall", "f1")
      for suffix, aliases in (
          ("", {"f1": ("f1_score", "f_1", "f_score", "f1score")}.get(kind, ())),
          ("_micro", (f"micro_{kind}",)),
          ("_macro", (f"macro_{kind}", f"{kind}_macro_avg")),
          ("_weighted", (f"weighted_{kind}",)))),
    _fraction("balanced_accuracy"), _fraction("auc", "roc_auc", "auroc", "roc auc"),
    _fraction("matthews_correlation", "mcc", lower=-1.0),
    _fraction("pearson", "pearsonr", lower=-1.0), _fraction("spearman", "spearmanr", lower=-1.0),
    # ROUGE goes by its compact names (as in `evaluate`): "ROUGE-1", "rouge_l" are spellings
    _fraction("bleu", "sacrebleu"), _fraction("rouge1", "rouge_1"), _fraction("rouge2", "rouge_2"),
    _fraction("rougel", "rouge_l"), _fraction("rougelsum", "rouge_lsum", "rouge_l_sum"),
    _fraction("meteor"),
    _fraction("chrf"), _fraction("bertscore"), _fraction("map", "mean_average_precision"),
    # detection mAP at an IoU threshold (YOLO cards print "mAP@0.5(box)", "mAP50-95")
    _fraction("map@0.5", "map50", "map@50", "map_0.5", "mean_average_precision@0.5"),
    _fraction("map@0.5:0.95", "map50_95", "map@50:95", "map@[.5:.95]",
              "mean_average_precision@0.5:0.95"),
    _fraction("iou", "miou", "mean_iou"), _fraction("dice"), _fraction("squad_f1"),
    _fraction("pass@1"), _fraction("pass@10"), _fraction("pass@100"),
    # Error rates may exceed 100 % (more edits than words), so they have no upper bound.
    _fraction("wer", direction="lower", upper=None),
    _fraction("cer", direction="lower", upper=None),
    _fraction("error_rate", "error", "top_1_error", "top1_error", direction="lower"),
    _m("mse", "lower", "mean_squared_error", lower=0.0),
    _m("mae", "lower", "mean_absolute_error", lower=0.0),
    _m("rmse", "lower", "root_mean_squared_error", lower=0.0),
    _m("mape", "lower", lower=0.0),
    _m("r2", "higher", "r_2", "r2_score", "r_squared", upper=1.0),
    _m("loss", "lower", "eval_loss", "validation_loss", "test_loss"),
    _m("perplexity", "lower", "ppl", lower=1.0),
    _m("fid", "lower", lower=0.0),
    # monocular depth: the mean absolute relative error, and the share of pixels whose depth
    # ratio to the truth passes 1.25 ("δ>1.25" as MiDaS/DPT print it: the bad pixels)
    _m("abs_rel", "lower", "absrel", "abs rel", "absolute relative error", lower=0.0),
    _fraction("delta>1.25", "δ>1.25", direction="lower"),
    _fraction("delta<1.25", "δ<1.25", "delta1", "δ1"),
    _m("latency_ms", "lower", "latency", "inference_time", lower=0.0, kind="cost"),
    _m("throughput", "higher", "items_per_second", "images_per_second", lower=0.0, kind="cost"),
    _m("memory_mb", "lower", "memory", lower=0.0, kind="cost"),
    # serving: the share of requests meeting every SLO, and time to first token
    _fraction("goodput", "slo_attainment"),
    _m("ttft_ms", "lower", "ttft", "time_to_first_token", lower=0.0, kind="cost"),
    _m("tpot_ms", "lower", "tpot", "time_per_output_token", lower=0.0, kind="cost"),
    _m("tokens_per_second", "higher", "output_tokens_per_s", "tok_s", lower=0.0, kind="cost"),
    _m("parameters", "", "params", "number_of_params", "num_params", "n_params",
       "number_of_parameters", "#params", "param", lower=0.0, kind="property"),
    _m("flops", "", "gflops", "mflops", "tflops", "macs", "gmacs", "flop", lower=0.0,
       kind="property"),
    _m("model_size", "", "size", "model_size_mb", "size_mb", lower=0.0, kind="property"),
)


def _plain(text: str) -> str:
    """A printed name in lower case, single spaces, less a percent sign that is a unit ("(%)",
    "% Resolved", "Accuracy %"); a percent after a number belongs to the name ("P@10%":
    precision at 10 % of the ranking, not P@10).

    >>> _plain("Accuracy (%)"), _plain("% Test Accuracy"), _plain("P@10%")
    ('accuracy', 'test accuracy', 'p@10%')
    """
    text = str(text).lower().replace("(%)", "")
    return " ".join(re.sub(r"(?<!\d)%", " ", text).split())


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "_", str(text).strip().lower()).strip("_")


REGISTRY: dict[str, MetricInfo] = {m.name: m for m in _REGISTRY_LIST}
_BY_ALIAS: dict[str, MetricInfo] = {}
for _info in _REGISTRY_LIST:
    for _name in (_info.name, *_info.aliases):
        _BY_ALIAS.setdefault(_key(_name), _info)

#: Words that make an unknown published name a model property, a cost, or a fraction metric.
_PROPERTY_WORDS = frozenset({"params", "parameters", "param", "flops", "gflops", "mflops",
                             "tflops", "macs", "gmacs", "size"})
_COST_WORDS = frozenset({"latency", "time", "ms", "seconds", "sec", "memory", "vram", "energy",
                         "throughput", "fps"})
_HIGHER_COST_WORDS = frozenset({"throughput", "fps"})
_FRACTION_WORDS = frozenset({"accuracy", "acc", "f1", "precision", "recall", "auc", "em",
                             "iou", "miou", "map", "bleu", "rouge", "top1", "top5"})
#: Unit words in a property's printed name ("Params (M)", "GFLOPs") -> multiplier.
_UNIT_WORDS = {"k": 1e3, "m": 1e6, "millions": 1e6, "million": 1e6, "b": 1e9, "billions": 1e9,
               "billion": 1e9, "g": 1e9, "gflops": 1e9, "mflops": 1e6, "tflops": 1e12,
               "gmacs": 1e9}


#: A trailing unit in parentheses: "Params (M)", "Size (MB)", "Latency (ms)".
_UNIT_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")


def _guess(name: str) -> MetricInfo:
    words = set(re.findall(r"[a-z0-9@]+", name.lower()))
    if words & _PROPERTY_WORDS:
        return MetricInfo(name, direction="", lower=0.0, kind="property", guessed=True)
    if words & _COST_WORDS:
        direction = "higher" if words & _HIGHER_COST_WORDS else "lower"
        return MetricInfo(name, direction=direction, lower=0.0, kind="cost", guessed=True)
    direction = "lower" if words & _LOWER_WORDS else "higher"
    if words & _FRACTION_WORDS or any(w.startswith(("rouge", "pass@")) for w in words):
        upper = None if direction == "lower" else 1.0
        return MetricInfo(name, direction=direction, lower=0.0, upper=upper, scale="fraction",
                          guessed=True)
    return MetricInfo(name, direction=direction, guessed=True)


def registered(name: str) -> MetricInfo | None:
    """The registry's record of a printed name, also with a qualifier in parentheses after it
    ("mAP@0.5(box)" is mAP@0.5 of boxes); None for a name the registry does not know.

    >>> registered("mAP@0.5(box)").name, registered("Top-1 Acc").name, registered("Grammar")
    ('map@0.5', 'accuracy', None)
    """
    text = _plain(name)
    for key in (_key(text), _key(_UNIT_SUFFIX.sub("", text))):
        if key in _BY_ALIAS:
            return _BY_ALIAS[key]
    found = _info(name)
    return None if found.guessed else found


def info(name: str | MetricFn) -> MetricInfo:
    """The registry's record of a metric (any published spelling), or a guess from its words.

    >>> info("Top-1 Accuracy").name, info("MSE").direction, info("GFLOPs").kind
    ('accuracy', 'lower', 'property')
    >>> guess = info("Test Loss (ours)")
    >>> guess.direction, guess.guessed
    ('lower', True)
    """
    if callable(name):
        direction = "higher" if getattr(name, "higher_is_better", True) else "lower"
        return MetricInfo(getattr(name, "__name__", "custom"), direction=direction)
    return _info(str(name))


@functools.lru_cache(maxsize=4096)  # a leaderboard asks about the same few names 10^5 times
def _info(name: str) -> MetricInfo:
    text = _plain(name)
    key = _key(text)
    if key in _BY_ALIAS:
        return _BY_ALIAS[key]
    unit_free = _key(_UNIT_SUFFIX.sub("", text))  # "Params (M)", "Size (MB)"
    if unit_free in _BY_ALIAS and _BY_ALIAS[unit_free].kind == "property":
        return _BY_ALIAS[unit_free]  # a unit multiplies properties out (canonical_value)
    match = _TOPK.match(key)
    if match and int(match.group(1)) >= 1:
        k = int(match.group(1))
        return REGISTRY["accuracy"] if k == 1 else MetricInfo(
            f"top{k}_accuracy", lower=0.0, upper=1.0, scale="fraction")
    return _guess(text)


def _unit_multiplier(printed_name: str) -> tuple[float, str]:
    words = re.findall(r"[a-z]+", printed_name.lower())
    for word in words[::-1]:  # the unit is usually last: "Params (M)"
        if word in _UNIT_WORDS:
            return _UNIT_WORDS[word], word
    return 1.0, ""


def canonical_value(name: str | MetricFn, value: float, printed: str | None = None, *,
                    printed_name: str | None = None) -> tuple[float, str]:
    """``value`` on the metric's canonical scale, and the rule that got it there ("" if none).

    A fraction metric printed with ``%``, or above its upper bound but within 100 times it,
    is a percent and is divided by 100. A model property named with a unit ("Params (M)")
    is multiplied out. Values outside the bounds stay as they are (see :func:`range_flag`).

    >>> canonical_value("accuracy", 97.2)
    (0.972, 'percent -> fraction (97.2 is above the upper bound 1)')
    >>> canonical_value("accuracy", 0.9778), canonical_value("f1", 88.0, "88.0%")[1]
    ((0.9778, ''), 'percent -> fraction (printed with %)')
    >>> canonical_value("parameters", 66.0, printed_name="Params (M)")
    (66000000.0, 'x 1e+06 (unit m in the name)')
    """
    record = info(name)
    number = float(value)
    if record.kind == "property" and printed_name:
        factor, unit = _unit_multiplier(printed_name)
        if factor != 1.0 and abs(number) < 1e5:  # "66M" was already multiplied by the parser
            return number * factor, f"x {factor:.0e} (unit {unit} in the name)"
        return number, ""
    if record.scale != "fraction":
        return number, ""
    if printed is not None and "%" in str(printed):
        return round(number / 100.0, 12), "percent -> fraction (printed with %)"
    upper = record.upper if record.upper is not None else 1.0
    if upper < number <= 100.0 * upper:
        return (round(number / 100.0, 12),
                f"percent -> fraction ({number:g} is above the upper bound {upper:g})")
    return number, ""


def range_flag(name: str | MetricFn, canonical: float | None) -> str:
    """``"out of range"`` when a canonical value lies outside the metric's bounds, else "".

    >>> range_flag("accuracy", 1.3), range_flag("accuracy", 0.5), range_flag("mse", -1.0)
    ('out of range', '', 'out of range')
    """
    if canonical is None:
        return ""
    record = info(name)
    if record.lower is not None and canonical < record.lower:
        return "out of range"
    if record.upper is not None and canonical > record.upper:
        return "out of range"
    return ""


def higher_is_better(name: str | MetricFn) -> bool:
    """Whether a larger value of the metric is better (False for errors such as ``mse``).

    A callable may say so with a ``higher_is_better`` attribute; it defaults to True.
    Published names the registry does not know are judged by their words:

    >>> higher_is_better("accuracy"), higher_is_better("eval_loss"), higher_is_better("WER")
    (True, False, False)
    """
    return info(name).higher_is_better


def canonical_name(text: str) -> str:
    """The name a published metric goes by here: lower case, known spellings unified.

    Top-1 accuracy is accuracy under any spelling. Unknown names keep their words (lower
    case, single spaces); the printed name belongs in the record's ``extra`` for provenance.

    >>> canonical_name("Top-1 Accuracy"), canonical_name("F1-score"), canonical_name("EM")
    ('accuracy', 'f1', 'exact_match')
    >>> canonical_name("  BLEU "), canonical_name("pass@1"), canonical_name("Macro F1")
    ('bleu', 'pass@1', 'f1_macro')
    >>> canonical_name("ROUGE-1"), canonical_name("Rouge-L"), canonical_name("rougeLsum")
    ('rouge1', 'rougel', 'rougelsum')
    >>> canonical_name("P@10%"), canonical_name("P@10"), canonical_name("Accuracy (%)")
    ('p@10%', 'p@10', 'accuracy')
    """
    plain = _plain(text)
    key = _key(plain)
    if key in _BY_ALIAS:
        return _BY_ALIAS[key].name
    unit_free = _key(_UNIT_SUFFIX.sub("", plain))
    if unit_free in _BY_ALIAS and _BY_ALIAS[unit_free].kind == "property":
        return _BY_ALIAS[unit_free].name
    match = _TOPK.match(key)
    if match and int(match.group(1)) >= 1:
        return "accuracy" if int(match.group(1)) == 1 else f"top{match.group(1)}_accuracy"
    if key in _SIMPLE or key in _PRF:
        return key
    return plain


def compute(name: str | MetricFn, y_true: Any, y_pred: Any) -> float:
    """The value of metric ``name`` (or of a callable) for these outputs, as a finite float.

    Raises:
        ValidationError: unknown name, empty or mismatched inputs, NaN/inf inputs.
        MetricValueError: the metric's value is not a finite number (a built-in metric that
            overflowed, or a callable that returned NaN, inf or a non-number).
    """
    metric = get_metric(name)
    label = getattr(name, "__name__", name)
    if not callable(name):
        number = metric(y_true, y_pred)
        if not math.isfinite(number):  # e.g. mse of values near 1e200 overflows to inf
            raise MetricValueError(
                f"metric {label!r} is {number} for these outputs (the arithmetic overflowed)",
                metric=str(label), value=number,
                hint="rescale the targets and outputs, or choose another metric")
        return number
    _check_pair(y_true, y_pred)
    value = metric(y_true, y_pred)
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise MetricValueError(f"metric {label!r} returned {value!r}", metric=str(label),
                               value=None, hint="a metric callable must return one number"
                               ) from exc
    if not math.isfinite(number):
        raise MetricValueError(f"metric {label!r} returned {number}", metric=str(label),
                               value=number, hint="a metric callable must return a finite number")
    return number
