"""Models for the measurement tests, importable in child processes as ``mb_models:<name>``.

The ``models_on_path`` fixture puts this folder on ``sys.path``; children inherit it.
"""

from __future__ import annotations

import os
import time

import numpy as np


def double(xs):
    return [x * 2 for x in xs]


def double_slow(xs):
    """Same answers as ``double``, about 20x the work."""
    out = []
    for x in xs:
        acc = 0
        for _ in range(20):
            acc += x
        out.append(acc // 10)
    return out


def wrong_half(xs):
    """Gets every second item wrong."""
    return [x * 2 if i % 2 == 0 else -1 for i, x in enumerate(xs)]


def boom(xs):
    raise ValueError("boom: the model is broken")


def hang(xs):
    time.sleep(60)
    return double(xs)


def short(xs):
    return double(xs)[:-1]


def exits(xs):
    os._exit(3)


def not_a_sequence(xs):
    return 42


def make_scaler():
    """A factory: ``mb_models:make_scaler()`` builds the model once in the child.

    Each build appends a line to the file ``MB_BUILDS_LOG`` names (when set), so a test can
    count builds across the process boundary.
    """
    log = os.environ.get("MB_BUILDS_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
    factor = 2

    def scale(xs):
        return [x * factor for x in xs]

    return scale


def affinity(xs):
    """Answers with its own CPU count, to check pinning from inside the child."""
    return [len(os.sched_getaffinity(0))] * len(xs)


def busy(xs):
    """Numpy work that takes a little while."""
    a = np.asarray(xs, dtype=np.float64)
    for _ in range(20):
        a = np.sqrt(a * a + 1.0)
    return [x * 2 for x in xs]
