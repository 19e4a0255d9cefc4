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


def pool_threads(xs):
    """Answers with the largest thread pool of the BLAS/OpenMP runtimes loaded here (numpy's),
    to check that they were sized by the cores the child is pinned to."""
    from threadpoolctl import threadpool_info

    return [max((p["num_threads"] for p in threadpool_info()), default=0)] * len(xs)


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


def _log_order(name):
    path = os.environ.get("MB_ORDER_LOG")
    if path:
        with open(path, "a") as fh:
            fh.write(name + "\n")
    return double


def order_a():
    """Factory: notes 'a' in $MB_ORDER_LOG once per run (each run sets the model up)."""
    return _log_order("a")


def order_b():
    return _log_order("b")


def order_c():
    return _log_order("c")


def hang_marked(xs):
    """Writes its pid to $MB_MARKER, then hangs."""
    path = os.environ["MB_MARKER"]
    with open(path + ".tmp", "w") as fh:
        fh.write(str(os.getpid()))
    os.rename(path + ".tmp", path)
    time.sleep(120)
    return double(xs)


_HELD = []


def make_big_setup():
    """Factory holding ~64 MB from set-up on; each call is cheap."""
    block = bytearray(64 * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])
    _HELD.append(block)
    return double


def big_call(xs):
    """Touches ~96 MB during each call and lets it go."""
    block = bytearray(96 * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])
    return double(xs)


def report_threads(xs):
    """Answers with the OMP_NUM_THREADS it was started with."""
    return [int(os.environ.get("OMP_NUM_THREADS", "0"))] * len(xs)


_CALLS = {"n": 0}


def hangs_later(xs):
    """Answers the first call, then hangs (a fault the forked probe cannot foresee)."""
    _CALLS["n"] += 1
    if _CALLS["n"] > 1:
        time.sleep(60)
    return double(xs)


def exits_later(xs):
    _CALLS["n"] += 1
    if _CALLS["n"] > 1:
        os._exit(3)
    return double(xs)


def tiny_torch_classifier():
    """A seeded 4 -> 3 linear classifier returning class indices (a torch ``nn.Module``)."""
    import torch

    class Argmax(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            torch.manual_seed(0)
            self.linear = torch.nn.Linear(4, 3)

        def forward(self, x):
            return self.linear(x).argmax(dim=1)

    return Argmax()


def env_echo(xs):
    """Each item's answer is the child's ``MB_ECHO`` variable (to see a model's own env)."""
    return [os.environ.get("MB_ECHO", "unset") for _ in xs]
