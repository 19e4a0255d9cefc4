"""Models for the measurement tests, importable in child processes as ``mb_models:<name>``.

The ``models_on_path`` fixture puts this folder on ``sys.path``; children inherit it.
"""

from __future__ import annotations

import os
import sys
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
    """A factory: ``mb_models:make_scaler()`` builds the model once in the child."""
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


def calls_sys_exit(xs):
    sys.exit(4)


def chdir_away(xs):
    os.chdir("/")
    return double(xs)


def leaks_a_thread(xs):
    """Right answers, but starts a non-daemon thread that outlives the model."""
    import threading

    threading.Thread(target=time.sleep, args=(30,), daemon=False).start()
    return double(xs)


def says_the_password(xs):
    raise RuntimeError("connecting with " + os.environ.get("MODELBENCH_DB_PASSWORD", "<none>"))


def segfaults(xs):
    import ctypes

    ctypes.string_at(0)
    return xs


def slow_ms(xs):
    time.sleep(0.002)
    return double(xs)
