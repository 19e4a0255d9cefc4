"""Metrics speed: modelbench.metrics against scikit-learn and against a bare np.bincount pass.

Rows (issue 2, "Speed"): F1-macro and accuracy on 10,000,000 labels over 100 classes at least
50x faster than scikit-learn with the same values; F1-macro within 1.5x of the one bincount
pass its confusion matrix needs (the practical limit); accuracy within 1.5x of one bare
``t == p`` pass, which bounds how far ahead of scikit-learn accuracy can be on a machine
(it reads 160 MB: memory bandwidth). ``--quick`` uses 1,000,000 labels.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
from common import Row

from modelbench import metrics


def _interleaved(funcs: dict[str, Callable[[], object]], repeat: dict[str, int]
                 ) -> dict[str, float]:
    """Median seconds per function, runs interleaved so that machine noise hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for round_ in range(max(repeat.values())):
        for name, func in funcs.items():
            if round_ < repeat[name]:
                start = time.perf_counter()
                func()
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def rows(quick: bool = False) -> list[Row]:
    from sklearn.metrics import accuracy_score, f1_score

    n, classes = (1_000_000 if quick else 10_000_000), 100
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, classes, n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, classes, n))
    ours_f1 = metrics.compute("f1_macro", y_true, y_pred)
    ref_f1 = f1_score(y_true, y_pred, average="macro")
    ours_acc = metrics.compute("accuracy", y_true, y_pred)
    ref_acc = accuracy_score(y_true, y_pred)
    sk_repeat = 3
    med = _interleaved({
        "f1": lambda: metrics.compute("f1_macro", y_true, y_pred),
        "acc": lambda: metrics.compute("accuracy", y_true, y_pred),
        "bare": lambda: np.bincount(y_true * classes + y_pred, minlength=classes * classes),
        "bare_eq": lambda: np.count_nonzero(y_true == y_pred),
        "sk_f1": lambda: f1_score(y_true, y_pred, average="macro"),
        "sk_acc": lambda: accuracy_score(y_true, y_pred),
    }, {"f1": 9, "acc": 9, "bare": 9, "bare_eq": 9, "sk_f1": sk_repeat, "sk_acc": sk_repeat})
    label = f"{n / 1e6:g}M labels / {classes} classes"
    f1_same = abs(ours_f1 - ref_f1) <= 1e-12
    acc_same = abs(ours_acc - ref_acc) <= 1e-12
    f1_speedup = med["sk_f1"] / med["f1"]
    acc_speedup = med["sk_acc"] / med["acc"]
    bare_ratio = med["f1"] / med["bare"]
    eq_ratio = med["acc"] / med["bare_eq"]
    return [
        Row(f"metrics: f1_macro, {label}", "sklearn f1_score(average='macro')", f1_speedup,
            ">= 50x, same value", f1_speedup >= 50 and f1_same,
            f"{med['f1'] * 1e3:.0f} ms vs {med['sk_f1'] * 1e3:.0f} ms; |diff| "
            f"{abs(ours_f1 - ref_f1):.1e}"),
        Row(f"metrics: accuracy, {label}", "sklearn accuracy_score", acc_speedup,
            ">= 50x, same value", acc_speedup >= 50 and acc_same,
            f"{med['acc'] * 1e3:.1f} ms vs {med['sk_acc'] * 1e3:.0f} ms; |diff| "
            f"{abs(ours_acc - ref_acc):.1e}"),
        Row(f"metrics: f1_macro vs one bincount pass, {label}",
            "np.bincount(t*K+p) (time ratio, lower is better)", bare_ratio, "<= 1.5x",
            bare_ratio <= 1.5, f"{med['f1'] * 1e3:.0f} ms vs {med['bare'] * 1e3:.0f} ms"),
        Row(f"metrics: accuracy vs one comparison pass, {label}",
            "np.count_nonzero(t == p) (time ratio, lower is better)", eq_ratio, "<= 1.5x",
            eq_ratio <= 1.5, f"{med['acc'] * 1e3:.1f} ms vs {med['bare_eq'] * 1e3:.1f} ms; "
            f"the bare pass is {med['sk_acc'] / med['bare_eq']:.0f}x sklearn (memory-bound)"),
    ]


if __name__ == "__main__":
    for row in rows(quick=False):
        print(row)
