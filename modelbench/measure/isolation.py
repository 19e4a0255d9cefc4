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

Each *run* of a model is its own child (:func:`run_child`): a job's files (the pickled data
and model) are written once into a folder the caller owns and removes; each child writes
one result file there and exits with ``os._exit``. Children get a scrubbed environment
(:func:`.guards.child_environment`), lead their own process group and die with their parent.

Example:
    >>> import tempfile
    >>> from modelbench.measure.runs import RunSpec
    >>> job = Job(inputs=[1, 2], expected_outputs=[-1, -2], spec=RunSpec(), target="operator:neg")
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +SKIP
    ...     write_job(job, Path(tmp)); run_child(job, Path(tmp), 0, timeout=60)[0].status
    'ok'
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import inspect
import os
import pickle
import re
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BenchmarkError, ConfigError
from .guards import redact
from .runs import RunRecord, RunSpec, measure_run

__all__ = ["Job", "resolve_target", "check_target", "run_child", "write_job", "job_bytes",
           "write_job_files", "assign_cores", "picklable", "CHILDREN", "DEFAULT_TIMEOUT"]

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
class Job:
    """One model to measure in child processes, one fresh child per run.

    ``target`` (an import path) or a picklable ``function``; ``spec`` says what a run
    measures; ``env`` is the children's environment (see :func:`.guards.child_environment`).
    """

    inputs: Any
    expected_outputs: Any
    spec: RunSpec
    target: str | None = None
    function: Callable[[Any], Any] | None = None
    env: dict[str, str] | None = None
    label: str = "model"


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this child when its parent goes (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the parent's process-group kill remains
        return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _error_message(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""
    text = str(exc) if isinstance(exc, BenchmarkError) else f"{type(exc).__name__}: {exc}"
    return redact(f"{text}{where}")


def _child_load(job: Job) -> Callable[[], Callable[[Any], Any]]:
    if job.function is not None:
        function = job.function
        return lambda: loaded(function)
    return lambda: resolve_target(job.target or "")


def loaded(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The callable to time: an object with ``loaded_function()`` (a
    :class:`~.targets.ModelTarget`) is loaded here — its model file read, its session built
    — and its batch function returned; anything else as it is.

    >>> loaded(len) is len
    True
    """
    prepare = getattr(function, "loaded_function", None)
    return prepare() if callable(prepare) else function


def _child_main(job_dir: str, run_index: str, parent_pid: str, cores_text: str = "") -> None:
    """Child entry point: read the job, pin, measure one run, write one result file, exit.

    It ends with ``os._exit`` once the result is written, so threads a model leaked cannot
    keep the process (and its parent) waiting.
    """
    _die_with_parent(int(parent_pid))
    folder = Path(job_dir)
    index = int(run_index)
    with open(folder / "header.pickle", "rb") as fh:
        header = pickle.load(fh)
    sys.path[:] = header["sys_path"]  # before unpickling: the job may name user modules
    message: tuple[str, Any]
    try:
        cores = [int(c) for c in cores_text.split(",") if c]
        if cores and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, cores)
        with open(folder / "job.pickle", "rb") as fh:
            job: Job = pickle.load(fh)
        record = measure_run(_child_load(job), job.inputs, job.expected_outputs, job.spec,
                             index)
        payload = record.to_dict()
        if index == 0:
            from .environment import fingerprint

            payload["environment"] = fingerprint()
        message = ("done", payload)
    except BaseException as exc:  # SystemExit or worse: report instead of dying silently
        message = ("crash", _error_message(exc))
    partial = folder / f"run-{index}.partial"
    with open(partial, "wb") as fh:
        pickle.dump(message, fh, protocol=pickle.HIGHEST_PROTOCOL)
    partial.rename(folder / f"run-{index}.pickle")  # atomic: a half-written file is never read
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# Pinned first, before numpy (imported by this module) loads a BLAS: thread pools size
# themselves by the cores a process may use, so a child pinned to one core starts one thread.
_CHILD_CODE = "import os, sys; cores = [int(c) for c in sys.argv[4].split(',') if c]; " \
              "cores and hasattr(os, 'sched_setaffinity') and os.sched_setaffinity(0, cores); " \
              "from modelbench.measure.isolation import _child_main; _child_main(*sys.argv[1:5])"


def _tail(path: Path, lines: int = 6) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return redact(" | ".join(text[-lines:]))


class _Children:
    """The live children, so that an interrupted parent can stop every one of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: set[subprocess.Popen[bytes]] = set()

    def add(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._live.add(process)

    def discard(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._live.discard(process)

    def kill_all(self) -> int:
        """SIGKILL every live child's process group; returns how many were stopped."""
        with self._lock:
            live = list(self._live)
        for process in live:
            _kill(process)
        return len(live)


CHILDREN = _Children()


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        os.killpg(process.pid, signal.SIGKILL)  # the child leads its own group
    with contextlib.suppress(OSError):
        process.kill()


def job_bytes(job: Job) -> bytes:
    """The job as the bytes its children read: what travels to another machine."""
    return pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)


def write_job_files(folder: Path, payload: bytes, sys_path: Sequence[str]) -> None:
    """Write a job's files (its bytes and the import path its children start with) once;
    every run's child reads them. The job is never unpickled here: a Ray worker that writes
    them need not import the user's modules."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "header.pickle", "wb") as fh:
        pickle.dump({"sys_path": list(sys_path)}, fh)
    (folder / "job.pickle").write_bytes(payload)


def write_job(job: Job, folder: Path) -> None:
    """Write a job's files once, with this process's import path; every run's child reads
    them."""
    write_job_files(folder, job_bytes(job), sys.path)


#: After a child has written its result, how long it may take to exit before it is stopped.
EXIT_GRACE_S = 2.0


def run_child(job: Job, folder: Path, run_index: int, *, timeout: float | None = None,
              cores: Sequence[int] | None = None) -> tuple[RunRecord, dict[str, Any] | None]:
    """Measure run ``run_index`` of the job written in ``folder`` in a fresh interpreter.

    Returns the run's record and (run 0) the child's environment fingerprint. Never raises
    for the model's faults: a crash, an exit or a hang past ``timeout`` is the record's
    status. A child that wrote its result but does not exit (leaked threads) is stopped and
    its result kept. The child leads its own process group (a terminal's Ctrl-C reaches
    only the parent, which stops it) and dies with the parent (PR_SET_PDEATHSIG).
    """
    limit = DEFAULT_TIMEOUT if timeout is None else float(timeout)
    result_file = folder / f"run-{run_index}.pickle"
    log = folder / f"run-{run_index}.log"
    started = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", _CHILD_CODE, str(folder), str(run_index), str(os.getpid()),
             ",".join(map(str, cores or []))],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=job.env,
            start_new_session=True)
    CHILDREN.add(process)
    note = ""
    try:
        written_at = None
        while process.poll() is None:
            now = time.monotonic()
            if written_at is None and result_file.exists():
                written_at = now
            if written_at is not None and now - written_at > EXIT_GRACE_S:
                note = ("the model left threads or work running after its result was "
                        "written; the child process was stopped")
                break
            if now - started > limit and written_at is None:
                break
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            _kill(process)
        process.wait()
        CHILDREN.discard(process)
    return _read_child(job, result_file, log, run_index, process.returncode,
                       time.monotonic() - started, limit, note)


def _read_child(job: Job, result_file: Path, log: Path, run_index: int, code: int | None,
                elapsed: float, limit: float, note: str
                ) -> tuple[RunRecord, dict[str, Any] | None]:
    if not result_file.exists():
        if elapsed > limit:
            return RunRecord(run_index, status="timeout", message=f"no result after {limit:g} "
                             "s; the child process was stopped"), None
        detail = _tail(log)
        return RunRecord(run_index, status="error", message=(
            f"the child process exited with code {code} after {elapsed:.1f} s without a "
            f"result (crash or exit in the model?)" + (f": {detail}" if detail else ""))), None
    with open(result_file, "rb") as fh:
        kind, payload = pickle.load(fh)
    if kind == "crash":
        return RunRecord(run_index, status="error", message=payload), None
    environment = payload.pop("environment", None)
    record = RunRecord.from_dict(payload)
    if note:
        record.warnings.append(note)
    return record, environment


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
