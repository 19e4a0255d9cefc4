"""Run a model in a child process, with a timeout, alone or N at a time on their own cores.

A model is named by import path, ``"package.module:callable"`` (``"package.module:factory()"``
calls ``factory`` once in the child and benchmarks what it returns, so loading stays out of
the timings), or given as a picklable top-level function. A model that raises, hangs past its
timeout, crashes the interpreter or returns the wrong number of outputs becomes a result with
``status`` ``error``/``timeout`` and a message; the other models go on.

Children are fresh interpreters (``python -c``): no state, threads or locks are inherited,
and the caller's script is never re-run. Parallel jobs are pinned with
``os.sched_setaffinity`` to disjoint CPU sets when there are enough CPUs; each result
records ``parallel``, ``jobs`` and ``cores`` in ``extra``, and a warning says when jobs had
to share cores (their latencies interfere).

Example:
    >>> task = IsolatedTask(target="operator:neg", inputs=[1, 2], expected_outputs=[-1, -2],
    ...                     options={"model_name": "neg", "metric": "accuracy"})  # doctest: +SKIP
    >>> run_isolated(task, timeout=60).result.status  # doctest: +SKIP
    'ok'
"""

from __future__ import annotations

import importlib
import inspect
import os
import pickle
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BenchmarkError, ConfigError
from ..records import BenchmarkResult

__all__ = ["IsolatedTask", "resolve_target", "check_target", "run_isolated", "run_parallel",
           "assign_cores", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 600.0
_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*(\(\))?$")


def check_target(target: str) -> str:
    """Raise :class:`ConfigError` unless ``target`` looks like ``package.module:callable``."""
    if not isinstance(target, str) or not _TARGET.match(target.strip()):
        raise ConfigError(f"model target {target!r} is not an import path",
                          hint="write it as package.module:callable (or :factory())")
    return target.strip()


def resolve_target(target: str) -> Callable[[Any], Any]:
    """Import ``package.module:callable`` and return the callable.

    >>> resolve_target("operator:neg")(3)
    -3
    """
    target = check_target(target)
    module_name, _, attr = target.partition(":")
    build = attr.endswith("()")
    attr = attr.removesuffix("()")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise BenchmarkError(f"cannot import {module_name!r} for model {target!r}: {exc}",
                             hint="check the module name and that its folder is on the "
                                  "Python path (python_path in the run plan)") from exc
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise BenchmarkError(f"{module_name!r} has no attribute {attr!r}",
                                 hint=f"check the name after ':' in {target!r}") from None
    if build:
        obj = obj()
    if not callable(obj):
        raise BenchmarkError(f"{target!r} is {type(obj).__name__}, not callable",
                             hint="name a function that takes a batch of inputs")
    if not build and _takes_no_arguments(obj):
        raise BenchmarkError(f"{target!r} takes no arguments, so it cannot be given a batch",
                             hint=f"if it builds the model, write {target}() to call it once "
                                  "and benchmark what it returns")
    return obj


def _takes_no_arguments(fn: Callable[..., Any]) -> bool:
    """True for a callable that can be called with no positional argument only (a factory).

    >>> _takes_no_arguments(lambda: 1), _takes_no_arguments(lambda xs: xs), _takes_no_arguments(len)
    (True, False, False)
    """
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature: let the call decide
        return False
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                  inspect.Parameter.VAR_POSITIONAL)
    return not any(p.kind in positional for p in parameters)


@dataclass
class IsolatedTask:
    """One model to measure in a child: a ``target`` import path or a picklable ``function``.

    ``options`` are keyword arguments of :func:`modelbench.measure.runner.measure` (model
    name, metric, timing, ...).
    """

    inputs: Any
    expected_outputs: Any
    options: dict[str, Any] = field(default_factory=dict)
    target: str | None = None
    function: Callable[[Any], Any] | None = None

    @property
    def label(self) -> str:
        return str(self.options.get("model_name") or self.target or "model")


@dataclass
class Outcome:
    """What came back from a child: the result and its raw latencies (ns)."""

    result: BenchmarkResult
    samples: np.ndarray


def _error_message(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""
    text = str(exc) if isinstance(exc, BenchmarkError) else f"{type(exc).__name__}: {exc}"
    return f"{text}{where}"


def _child_main(workdir: str) -> None:
    """Child entry point: read the task, pin, import, measure, write one result file."""
    folder = Path(workdir)
    with open(folder / "header.pickle", "rb") as fh:
        header = pickle.load(fh)
    sys.path[:] = header["sys_path"]  # before unpickling: the task may name user modules
    cores = header["cores"]
    message: tuple[str, Any, Any]
    try:
        if cores and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, cores)
        from .runner import failed_result, measure

        with open(folder / "task.pickle", "rb") as fh:
            task: IsolatedTask = pickle.load(fh)
        try:
            fn = task.function if task.function is not None else resolve_target(task.target or "")
        except BaseException as exc:  # an import that fails is a result, not a crash
            result = failed_result(status="error", message=_error_message(exc), **task.options)
            message = ("done", result.to_dict(), np.empty(0, dtype=np.int64))
        else:
            outcome = measure(fn, task.inputs, task.expected_outputs, **task.options)
            message = ("done", outcome.result.to_dict(), outcome.samples)
    except BaseException as exc:  # last resort: report instead of dying silently
        message = ("crash", _error_message(exc), None)
    partial = folder / "result.partial"
    with open(partial, "wb") as fh:
        pickle.dump(message, fh, protocol=pickle.HIGHEST_PROTOCOL)
    partial.rename(folder / "result.pickle")  # atomic: a half-written file is never read


_CHILD_CODE = "import sys; from modelbench.measure.isolation import _child_main; " \
              "_child_main(sys.argv[1])"


def _tail(path: Path, lines: int = 6) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


def run_isolated(task: IsolatedTask, *, timeout: float | None = None,
                 cores: list[int] | None = None) -> Outcome:
    """Measure one model in a fresh Python process; never raises for the model's faults.

    The child is a new interpreter (``python -c``), not a fork: it inherits no threads,
    locks or state, and the caller's ``__main__`` is never re-run. The task goes over in a
    pickle file (the parent's ``sys.path`` first, so user modules import the same way); the
    result comes back in another. The child's own output goes to a log whose last lines
    explain a crash.
    """
    from .runner import failed_result

    limit = DEFAULT_TIMEOUT if timeout is None else float(timeout)
    with tempfile.TemporaryDirectory(prefix="modelbench-job-") as tmp:
        folder = Path(tmp)
        with open(folder / "header.pickle", "wb") as fh:
            pickle.dump({"sys_path": list(sys.path), "cores": cores}, fh)
        with open(folder / "task.pickle", "wb") as fh:
            pickle.dump(task, fh, protocol=pickle.HIGHEST_PROTOCOL)
        log = folder / "output.log"
        started = time.monotonic()
        with open(log, "wb") as out:
            process = subprocess.Popen([sys.executable, "-c", _CHILD_CODE, tmp],
                                       stdin=subprocess.DEVNULL, stdout=out, stderr=out)
            try:
                process.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                return Outcome(failed_result(
                    status="timeout", message=f"no result after {limit:g} s; the child "
                    "process was stopped", **task.options), np.empty(0, dtype=np.int64))
        result_file = folder / "result.pickle"
        if not result_file.exists():
            elapsed = time.monotonic() - started
            detail = _tail(log)
            return Outcome(failed_result(
                status="error", message=f"the child process exited with code "
                f"{process.returncode} after {elapsed:.1f} s without a result (crash or "
                f"exit in the model?)" + (f": {detail}" if detail else ""), **task.options),
                np.empty(0, dtype=np.int64))
        with open(result_file, "rb") as fh:
            kind, payload, samples = pickle.load(fh)
    if kind == "crash":
        return Outcome(failed_result(status="error", message=payload, **task.options),
                       np.empty(0, dtype=np.int64))
    return Outcome(BenchmarkResult.from_dict(payload), np.asarray(samples, dtype=np.int64))


def _physical_core(cpu: int) -> tuple[str, str]:
    base = f"/sys/devices/system/cpu/cpu{cpu}/topology"
    try:
        with open(f"{base}/physical_package_id") as fh:
            package = fh.read().strip()
        with open(f"{base}/core_id") as fh:
            return package, fh.read().strip()
    except OSError:
        return "?", str(cpu)


def assign_cores(jobs: int, available: Sequence[int] | None = None
                 ) -> tuple[list[list[int] | None], list[str]]:
    """CPU sets for ``jobs`` parallel slots and warnings about sharing.

    Disjoint sets of ``len(available) // jobs`` CPUs each when there are enough CPUs; with
    fewer CPUs than jobs the slots share them round-robin (and a warning says so). One job is
    not pinned.

    >>> assign_cores(2, [0, 1, 2, 3])[0]
    [[0, 1], [2, 3]]
    >>> slots, warnings = assign_cores(3, [0, 1]); slots, bool(warnings)
    ([[0], [1], [0]], True)
    """
    if jobs < 1:
        raise ConfigError(f"jobs must be at least 1, got {jobs}")
    if available is None:
        available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    cpus = list(available)
    if jobs == 1:
        return [None], []
    if not cpus:
        return [None] * jobs, [f"{jobs} parallel jobs could not be pinned to cores on this "
                               "platform; their latencies interfere"]
    if jobs > len(cpus):
        slots: list[list[int] | None] = [[cpus[i % len(cpus)]] for i in range(jobs)]
        return slots, [f"{jobs} parallel jobs share {len(cpus)} CPU(s); their latencies "
                       f"interfere (use --jobs {len(cpus)} or fewer)"]
    per = len(cpus) // jobs
    slots = [cpus[i * per:(i + 1) * per] for i in range(jobs)]
    owners: dict[tuple[str, str], set[int]] = {}
    for index, slot in enumerate(slots):
        for cpu in slot or []:
            owners.setdefault(_physical_core(cpu), set()).add(index)
    warnings = []
    if any(len(o) > 1 for o in owners.values()):
        warnings.append("parallel jobs run on hyper-threads of the same physical cores; "
                        "their latencies interfere")
    return slots, warnings


def picklable(obj: Any) -> bool:
    """Whether ``obj`` can be sent to a child process.

    Top-level functions of importable modules can; lambdas, closures and functions of the
    ``__main__`` script cannot (the child never re-runs the caller's script).
    """
    if getattr(obj, "__module__", None) in ("__main__", "__mp_main__"):
        return False
    try:
        pickle.dumps(obj)
    except Exception:
        return False
    return True


def run_parallel(tasks: Sequence[IsolatedTask], *, jobs: int = 1, timeout: float | None = None,
                 on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Measure every task in child processes, ``jobs`` at a time; results in task order."""
    slots, share_warnings = assign_cores(max(1, min(jobs, len(tasks))) if tasks else 1)
    free: queue.Queue[int] = queue.Queue()
    for index in range(len(slots)):
        free.put(index)
    lock = threading.Lock()
    parallel = len(slots) > 1

    def work(task: IsolatedTask) -> Outcome:
        slot = free.get()
        try:
            outcome = run_isolated(task, timeout=timeout, cores=slots[slot])
        finally:
            free.put(slot)
        outcome.result.extra.update(isolated=True, parallel=parallel, jobs=len(slots),
                                    cores=slots[slot])
        if parallel:
            outcome.result.warnings.extend(share_warnings)
        if on_done is not None:
            with lock:
                on_done(outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=len(slots), thread_name_prefix="modelbench-job") as pool:
        return list(pool.map(work, tasks))
