"""Where a cell's runs are executed: child processes here (:class:`LocalExecutor`, the
default) or tasks on a Ray cluster (:class:`RayExecutor`).

The scheduler (:mod:`.schedule`) hands an executor a :class:`CellTask` — one cell's job, the
runs to make, the timeout — and gets back a future of :class:`CellRuns`: the run records, the
environment fingerprint of the machine that measured them (collected in the measuring child,
so a result always describes the node it ran on), the node's name and the cores used.
Capabilities are flags: ``interleaves`` (runs of different cells alternate run by run on this
machine, so drift hits every model alike) and ``remote`` (a cell may run on another machine:
its job travels as bytes, never as a path).

On Ray a cell is one task asking for ``num_cpus``/``num_gpus``/custom resources; every run of
the cell happens in that task, each in a fresh child process pinned to cores the task holds
on its node (Ray's CPUs are logical; which cores are free is decided per node by file locks
in :func:`held_cores`). Those children run as local ones do: at the driver's niceness
(:func:`niceness`; Ray starts its workers at 15) and without the ``OMP_NUM_THREADS`` Ray sets
for a task (:func:`_node_environment`). A cell's runs never straddle two machines. The Ray worker
only writes the job's files and starts those children: it never unpickles the job, imports
the model or touches a GPU, so the model's memory (GPU memory included) is given back as
each run's child exits — per run, more than a fresh worker per cell (``max_calls=1``) would
give. Workers are therefore reused (``max_calls=0``), which saves a Ray worker's start
(about 1.5 s) per cell; ``max_calls=1`` remains an option. A task whose worker
or node dies is submitted once more; a second loss is a failed cell, never a stopped grid.

Results come back to the driver (the default), or, given a ``sink`` (``results = "direct"``),
each worker summarises its cell and writes the results itself; the driver then gets them
without their samples (but the call latencies its verdicts use) and items, and writes any a
worker could not. A retried task first asks the sink whether its lost attempt had already
written the cell, so a cell is never stored twice.

Example:
    >>> from modelbench.measure.runs import RunSpec
    >>> from modelbench.measure.timing import TimingConfig
    >>> timing = TimingConfig(min_calls=2, min_time=0, warmup_time=0, runs=2)
    >>> job = Job(inputs=[1, 2], expected_outputs=[-1, -2], spec=RunSpec(timing=timing),
    ...           target="operator:neg")
    >>> executor = LocalExecutor(jobs=1)
    >>> done = executor.submit(CellTask(0, job, timing=timing)).result()  # doctest: +SKIP
    >>> [r.status for r in done.runs], done.node == socket.gethostname()  # doctest: +SKIP
    (['ok', 'ok'], True)
    >>> executor.close()
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import ConfigError, ModelBenchError
from ..records import Measurement
from .guards import child_environment
from .hostcheck import disturbed_records
from .isolation import CHILDREN, Job, assign_cores, job_bytes, run_child, write_job_files
from .runs import RunRecord, RunSpec
from .summary import cell_measurements, median_ci_runs
from .timing import TimingConfig, more_runs_wanted

__all__ = ["Executor", "CellTask", "CellRuns", "LocalExecutor", "RayExecutor",
           "make_executor", "wants_another_run", "held_cores", "NODE_SLOT", "EXECUTORS",
           "RESULTS", "check_client_reachable", "init_with_retries",
           "is_transient_client_failure", "client_endpoint", "StartedCells"]

#: The custom resource each node offers once (``ray start --resources='{"modelbench_node":
#: 1}'``): a cell asking for it never shares its node with another cell.
NODE_SLOT = "modelbench_node"
EXECUTORS = ("local", "ray")
#: Where a Ray cell's results go: back to the driver, or into the store from the worker.
RESULTS = ("driver", "direct")


@dataclass
class CellTask:
    """One cell's runs to execute: ``max_runs`` runs from ``first_run`` on (``None``: until
    :func:`wants_another_run` says enough, as a remote cell measures all its runs at once)."""

    cell_id: int
    job: Job  # its env is set by the executor, on the machine that runs it
    timing: TimingConfig = field(default_factory=TimingConfig)
    first_run: int = 0
    max_runs: int | None = 1
    timeout: float | None = None
    pass_env: Sequence[str] = ()
    threads: int | None = None
    env: dict[str, str] = field(default_factory=dict)  # the model's own, for its children
    info: Any = None  # the cell's CellInfo: a worker that writes its results builds them


def task_environment(pass_env: Sequence[str], threads: int | None,
                     own: dict[str, str], environ: dict[str, str] | None = None
                     ) -> dict[str, str]:
    """A cell's child environment: ``environ`` (default: this process's) scrubbed, threads
    set, then the model's own variables (set on purpose, so after the scrub). Built on the
    machine that runs the cell.

    >>> task_environment((), None, {"OMP_WAIT_POLICY": "passive"})["OMP_WAIT_POLICY"]
    'passive'
    """
    env = child_environment(environ, pass_env=pass_env, threads=threads)
    env.update(own)
    return env


@dataclass
class CellRuns:
    """What a task brings back: the runs, the measuring node's fingerprint (from run 0)."""

    runs: list[RunRecord]
    environment: dict[str, Any] | None = None
    node: str = ""
    cores: list[int] | None = None
    warnings: list[str] = field(default_factory=list)
    #: The results a worker wrote itself, with what its sink said of each (``None``: the
    #: runs came back for the driver to summarise and store). Written ones carry only their
    #: call latencies (for the driver's verdicts); one not written comes back whole.
    written: list[tuple[Any, dict[str, Any]]] | None = None


class Executor(Protocol):
    """Runs cells' tasks; ``submit`` never raises for a model's fault (that is a run's
    status), its future raises only when the executor itself lost the task."""

    name: str
    interleaves: bool
    remote: bool
    slots: int
    share_warnings: list[str]

    def submit(self, task: CellTask) -> Future[CellRuns]: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


def wants_another_run(timing: TimingConfig, runs: Sequence[RunRecord]) -> bool:
    """Whether a cell with these runs needs one more: never after a failed run; else
    :func:`.timing.more_runs_wanted` with the between-run CI of the runs so far.

    >>> ok = [RunRecord(i, latencies=np.full(5, 1000)) for i in range(2)]
    >>> wants_another_run(TimingConfig(runs=3), ok), wants_another_run(TimingConfig(runs=2), ok)
    (True, False)
    >>> wants_another_run(TimingConfig(runs=3), [RunRecord(0, status="error")])
    False
    """
    if not runs:
        return True
    if runs[-1].status != "ok":
        return False
    ok = [r for r in runs if r.status == "ok"]
    width = None
    if timing.precision is not None and len(ok) >= 2:
        lat = np.concatenate([r.latencies for r in ok])
        idx = np.concatenate([np.full(len(r.latencies), r.run_index) for r in ok])
        median, low, high = median_ci_runs(lat, idx)
        width = (high - low) / 2 / median if median > 0 else None
    return more_runs_wanted(timing, len(ok), width, sum(r.timed_s for r in ok))


def _measure(task: CellTask, job: Job, folder: Path, cores: list[int] | None) -> CellRuns:
    """The task's runs, each in a fresh child pinned to ``cores``, in ``folder``."""
    out = CellRuns(runs=[], node=socket.gethostname(), cores=cores)
    index = task.first_run
    while task.max_runs is None or len(out.runs) < task.max_runs:
        record, environment = run_child(job, folder, index, timeout=task.timeout, cores=cores)
        if index == 0:
            out.environment = environment
        out.runs.append(record)
        index += 1
        if task.max_runs is None and not wants_another_run(task.timing, out.runs):
            break
    return out


def _job_key(task: CellTask) -> tuple[Any, ...]:
    """What makes a task's job the one already written for its cell: the same data objects
    (held by the cached job, so their ids cannot be reused), model, spec and environment.

    >>> job = Job(inputs=[1], expected_outputs=[1], spec=RunSpec(), target="builtins:list")
    >>> _job_key(CellTask(0, job)) == _job_key(CellTask(0, replace(job)))
    True
    >>> _job_key(CellTask(0, job)) == _job_key(CellTask(0, replace(job, target="operator:neg")))
    False
    """
    job = task.job
    return (id(job.inputs), id(job.expected_outputs), job.target, id(job.function), job.label,
            job.spec, tuple(task.pass_env), task.threads, tuple(sorted(task.env.items())))


class LocalExecutor:
    """Today's way: each run in a fresh child process on this machine, ``jobs`` at a time on
    disjoint cores (one job is not pinned); the scheduler interleaves the cells' runs."""

    name = "local"
    interleaves = True
    remote = False

    def __init__(self, jobs: int = 1) -> None:
        self.slots = jobs
        self.cores, self.share_warnings = assign_cores(jobs)
        self._free = list(range(len(self.cores)))
        self._lock = threading.Lock()
        self._jobs: dict[int, tuple[tuple[Any, ...], Job, Path]] = {}
        self.root = Path(tempfile.mkdtemp(prefix="modelbench-job-"))
        self.pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="modelbench-job") \
            if jobs > 1 else None

    def submit(self, task: CellTask) -> Future[CellRuns]:
        if self.pool is not None:
            return self.pool.submit(self._run, task)
        future: Future[CellRuns] = Future()  # one job: on the calling thread, as before
        try:
            future.set_result(self._run(task))
        except BaseException as exc:  # an interruption reaches the caller through the future
            future.set_exception(exc)
        return future

    def _job(self, task: CellTask) -> tuple[Job, Path]:
        """The cell's job and folder: its files are written once, for every run; a cell id
        met again with another job (the executor reused for a second grid) gets new files."""
        key = _job_key(task)
        known = self._jobs.get(task.cell_id)
        if known is None or known[0] != key:
            env = task_environment(task.pass_env, task.threads, task.env)
            job = replace(task.job, env=env)
            folder = Path(tempfile.mkdtemp(prefix=f"cell-{task.cell_id}-", dir=self.root))
            write_job_files(folder, job_bytes(job), list(sys.path))
            self._jobs[task.cell_id] = (key, job, folder)
        return self._jobs[task.cell_id][1:]

    def _run(self, task: CellTask) -> CellRuns:
        with self._lock:  # the lowest free slot: one job at a time is always on slot 0
            slot = min(self._free) if self._free else 0
            if self._free:
                self._free.remove(slot)
        try:
            job, folder = self._job(task)
            return _measure(task, job, folder, self.cores[slot])
        finally:
            with self._lock:
                self._free.append(slot)

    def stop(self) -> None:
        CHILDREN.kill_all()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


# -- cores on a node shared by several tasks -----------------------------------------------
@contextlib.contextmanager
def held_cores(count: int | None, *, wait_s: float = 5.0) -> Iterator[tuple[list[int] | None,
                                                                              list[str]]]:
    """``count`` cores of this node held for the block (``None``: all of them, not pinned).

    Each core is an exclusive ``flock`` on a file in the temp folder, so tasks of any driver
    on one node take disjoint cores, and a killed task's cores are free again at once (the
    kernel drops its locks). With too few free cores after ``wait_s``, the cores are shared
    and a warning says so.

    >>> with held_cores(None) as (cores, warnings):
    ...     cores, warnings
    (None, [])
    """
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if count is None or not available or count >= len(available):
        yield None, []
        return
    folder = Path(tempfile.gettempdir()) / f"modelbench-cores-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    held: list[tuple[int, Any]] = []
    deadline = time.monotonic() + wait_s
    try:
        while True:
            for cpu in available:
                if len(held) == count or any(c == cpu for c, _ in held):
                    continue
                handle = open(folder / f"cpu{cpu}.lock", "w")  # noqa: SIM115 (held open)
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    held.append((cpu, handle))
                except OSError:
                    handle.close()
            if len(held) == count or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        cores = sorted(c for c, _ in held)
        warnings = []
        if len(cores) < count:  # busier than Ray's logical CPUs say: share, and say so
            cores = sorted({*cores, *available[:count - len(cores)]})[:count]
            warnings.append(f"only {len(held)} of {count} cores of this node were free; the "
                            "cell shared cores with another task (latencies interfere)")
        yield cores, warnings
    finally:
        for _, handle in held:
            handle.close()


def _set_outside_ray(name: str) -> bool:
    """Whether the variable ``name`` of this Ray worker was set by the node's environment
    (the raylet's, which the worker inherits) or the job's ``runtime_env``, rather than by Ray
    for the task (Ray sets ``OMP_NUM_THREADS`` to a task's logical CPUs when it is unset).
    Where the raylet cannot be read, it counts as set outside (kept)."""
    try:
        with open(f"/proc/{int(os.environ['RAY_RAYLET_PID'])}/environ", "rb") as fh:
            node = fh.read().split(b"\0")
    except (KeyError, ValueError, OSError):
        return True
    if any(item.startswith(f"{name}=".encode()) for item in node):
        return True
    import ray

    runtime = ray.get_runtime_context().runtime_env.get("env_vars") or {}
    return name in runtime


def _node_environment() -> dict[str, str]:
    """This Ray worker's environment as a measuring child's start: without the
    ``OMP_NUM_THREADS`` Ray set for the task, so a cell without ``threads`` starts its thread
    pools as a local child does (sized by the cores it is pinned to)."""
    env = dict(os.environ)
    if "OMP_NUM_THREADS" in env and not _set_outside_ray("OMP_NUM_THREADS"):
        del env["OMP_NUM_THREADS"]
    return env


@contextlib.contextmanager
def niceness(target: int) -> Iterator[list[str]]:
    """This thread at niceness ``target`` for the block (the children it starts inherit it),
    then back; yields a warning when it may not be lowered that far.

    A Ray worker runs at niceness 15 (Ray's ``worker_niceness``), so its children would lose
    the CPU to any busy process at 0 and measure slower than the same model run locally.

    >>> with niceness(os.getpriority(os.PRIO_PROCESS, 0)) as warnings:
    ...     warnings
    []
    """
    before = os.getpriority(os.PRIO_PROCESS, 0)  # Linux: the calling thread's
    warnings: list[str] = []
    if before != target:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, target)
        except OSError:
            warnings.append(f"measured at niceness {before}, not {target} (the driver's): "
                            "start the Ray nodes with RAY_worker_niceness=0 in their "
                            "environment so that the measuring processes are not deprioritised")
    try:
        yield warnings
    finally:
        if os.getpriority(os.PRIO_PROCESS, 0) != before:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, 0, before)


def _ray_cell(payload: bytes, sys_path: list[str], settings: dict[str, Any]) -> CellRuns:
    """The body of a cell's Ray task, on whichever node Ray chose."""
    _say_started(settings)
    if settings.get("recheck"):
        earlier = _stored_earlier(settings)
        if earlier is not None:
            return earlier
    folder = Path(tempfile.mkdtemp(prefix="modelbench-ray-"))
    try:
        write_job_files(folder, payload, sys_path)
        env = task_environment(settings["pass_env"], settings["threads"], settings["env"],
                               _node_environment())
        # run_child reads only the environment from the Job; the job itself is in the folder.
        shell = Job(inputs=None, expected_outputs=None, spec=RunSpec(), env=env)
        task = CellTask(settings["cell_id"], shell, timing=settings["timing"],
                        max_runs=None, timeout=settings["timeout"])
        with held_cores(settings["pin_cores"]) as (cores, warnings), \
                niceness(settings["niceness"]) as nice_warnings:
            out = _measure(task, shell, folder, cores)
        out.warnings.extend(warnings + nice_warnings)
        if settings.get("sink") is not None:
            _write_here(out, settings)
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_here(out: CellRuns, settings: dict[str, Any]) -> None:
    """Summarise the cell's runs on the worker and hand each result to the worker's sink
    (``results = "direct"``); what goes back to the driver is the results without their
    samples (but the call latencies) and items, and the runs without latencies."""
    hosts = {r.run_index: r.host_ns for r in out.runs if r.status == "ok"}
    fastest = min((h for h in hosts.values() if h), default=None)  # this node's, this cell's
    measurements = cell_measurements(
        settings["info"], out.runs, out.environment, isolate=True, jobs=settings["jobs"],
        executor="ray", cores=out.cores, node=out.node, warnings=out.warnings,
        disturbed=disturbed_records(out.runs, fastest), host_floor_ns=fastest,
        remeasured=False)
    sink = settings["sink"]
    out.written = []
    for measurement in measurements:
        info = dict(sink(measurement))
        out.written.append((_light(measurement) if info.get("stored") else measurement, info))
    out.runs = [RunRecord(r.run_index, status=r.status, message=r.message) for r in out.runs]
    out.environment = None  # each result carries it


def _stored_earlier(settings: dict[str, Any]) -> CellRuns | None:
    """What a lost attempt of this task had already written, when it wrote every metric of
    the cell: a retried task then measures nothing, so the cell is never stored twice."""
    info = settings["info"]
    found = {r.metric: r for r in settings["sink"].stored_earlier(
        info.labels.get("run_id") or "", info.key, info.labels["model_name"])}
    if set(found) != set(info.metrics):
        return None
    results = [found[metric] for metric in info.metrics]
    return CellRuns(runs=[RunRecord(0, status=results[0].status)], node=socket.gethostname(),
                    warnings=["stored by an earlier attempt, whose Ray worker was lost after "
                              "writing it"],
                    written=[(Measurement(r), {"stored": True, "stored_earlier": True})
                             for r in results])


def _light(measurement: Any) -> Any:
    """A stored measurement as the driver needs it: the result and its call latencies."""
    return replace(measurement, item_values=None, item_predictions=None,
                   samples={k: v for k, v in measurement.samples.items() if k == "call"})


#: Ray Client connects tried before giving up, when the head's client server fails to
#: start the session's server (a start-up failure under load, not a wrong address).
CLIENT_CONNECT_ATTEMPTS = 3
#: Seconds before the second connect; doubled before each one after.
CLIENT_CONNECT_PAUSE_S = 1.0
_CLIENT_HINT = ("check that the head runs a client server on that port (ray start --head "
                "--ray-client-server-port=PORT) and that it is reachable; a cluster with "
                "token authentication (Ray's default where a token exists) also needs "
                "RAY_AUTH_MODE=token and its token (RAY_AUTH_TOKEN or ~/.ray/auth_token) "
                "in this environment")


def client_endpoint(address: str) -> tuple[str, int]:
    """``(host, port)`` of a Ray Client address (``ray://HOST[:PORT]``, port 10001 if none).

    >>> client_endpoint("ray://head.example:10002"), client_endpoint("ray://10.0.0.5")
    (('head.example', 10002), ('10.0.0.5', 10001))
    >>> client_endpoint("ray://head:port")
    Traceback (most recent call last):
    ...
    modelbench.errors.ConfigError: Ray Client address 'ray://head:port' has no valid port \
(hint: write it as ray://HOST:PORT, e.g. ray://127.0.0.1:10001)
    """
    from urllib.parse import urlsplit

    hint = "write it as ray://HOST:PORT, e.g. ray://127.0.0.1:10001"
    parts = urlsplit(address)
    try:
        port = parts.port or 10001
    except ValueError:
        raise ConfigError(f"Ray Client address {address!r} has no valid port",
                          hint=hint) from None
    if parts.scheme != "ray" or not parts.hostname:
        raise ConfigError(f"Ray Client address {address!r} has no host", hint=hint)
    return parts.hostname, port


def check_client_reachable(address: str, *, timeout_s: float = 5.0) -> None:
    """Fail at once, saying what to do, when nothing accepts connections at a Ray Client
    address (a closed port, an unknown host): Ray Client itself would retry for ~30 s and
    then only say "connection timeout"."""
    host, port = client_endpoint(address)
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise ConfigError(
            f"nothing accepts connections at {host}:{port} ({address}): {why}",
            hint="start the head with a Ray Client server there (ray start --head "
                 f"--ray-client-server-port={port}), or correct --address (ray://HOST:PORT "
                 "of the head; auto joins the cluster that `ray start` made on this "
                 "machine)") from None


def is_transient_client_failure(exc: BaseException) -> bool:
    """Whether a Ray Client connect failed in the head's start-up of the session's server
    ("Initialization failure from server": its process did not start or answer in time, a
    port race under load), which a new connect may pass; a runtime environment that does
    not match or cannot be set up is not.

    >>> is_transient_client_failure(ConnectionAbortedError(
    ...     "Initialization failure from server:\\nRuntimeError: Starting Ray client server "
    ...     "failed."))
    True
    >>> is_transient_client_failure(ConnectionError("ray client connection timeout"))
    False
    """
    text = str(exc)
    return isinstance(exc, ConnectionAbortedError) and \
        "Initialization failure from server" in text and \
        not any(word in text for word in ("Runtime environment", "RuntimeEnv"))


def _gist(exc: BaseException) -> str:
    """An error's first and last line (a server's traceback: what failed, and why).

    >>> _gist(ConnectionAbortedError("Initialization failure from server:\\nTraceback\\n"
    ...                              "RuntimeError: Starting Ray client server failed."))
    'Initialization failure from server: ... RuntimeError: Starting Ray client server failed.'
    """
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if len(lines) <= 1:
        return "".join(lines) or type(exc).__name__
    return f"{lines[0]} ... {lines[-1]}"


def init_with_retries(init: Any, address: str, options: dict[str, Any], *,
                      attempts: int = CLIENT_CONNECT_ATTEMPTS,
                      pause_s: float = CLIENT_CONNECT_PAUSE_S,
                      sleep: Any = time.sleep) -> int:
    """``init(address=address, **options)``, tried again after a pause (doubled each time)
    while it fails with :func:`is_transient_client_failure`, ``attempts`` times at most;
    returns the attempts made. Any other :class:`ConnectionError`, or the last transient
    one, is a :class:`ConfigError` that says what to check."""
    attempt = 1
    while True:
        try:
            init(address=address, **options)
            return attempt
        except ConnectionError as exc:
            if not (is_transient_client_failure(exc) and attempt < attempts):
                tried = f" ({attempt} attempts)" if attempt > 1 else ""
                raise ConfigError(f"cannot connect to the Ray cluster at {address}{tried}: "
                                  f"{_gist(exc)}", hint=_CLIENT_HINT) from None
        sleep(pause_s * 2 ** (attempt - 1))
        attempt += 1


def _connect(ray: Any, address: str | None, options: dict[str, Any]) -> None:
    """``ray.init``; a Ray Client address (``ray://``) is checked first (a closed port fails
    at once) and its start-up failures are tried again (:func:`init_with_retries`)."""
    if not str(address or "").startswith("ray://"):
        ray.init(address=address, **options)
        return
    check_client_reachable(str(address))
    try:
        init_with_retries(ray.init, str(address), options)
    except ValueError as exc:
        if "ray[client]" in str(exc):  # grpcio missing
            raise ConfigError(f"Ray Client ({address}) needs the ray[client] extra",
                              hint="pip install 'modelbench[ray]'") from None
        raise


class StartedCells:
    """Which node each cell's Ray task started on (a Ray actor of no CPU, on the driver's
    side): a task says so as it begins, so the driver knows what runs where, which Ray's
    queue (every cell is submitted at once) does not tell it.

    >>> board = StartedCells(); board.start(3, "n1"); board.start(4, "n2"); board.started()
    {3: 'n1', 4: 'n2'}
    """

    def __init__(self) -> None:
        self._nodes: dict[int, str] = {}

    def start(self, token: int, node: str) -> None:
        self._nodes[token] = node

    def started(self) -> dict[int, str]:
        return dict(self._nodes)


def _say_started(settings: dict[str, Any]) -> None:
    """Tell the driver's :class:`StartedCells` that this cell's task began here (best effort:
    progress only, never a reason for the cell to fail)."""
    board = settings.get("board")
    if board is not None:
        with contextlib.suppress(Exception):
            board.start.remote(settings["token"], socket.gethostname())


class RayExecutor:
    """Each cell one Ray task: ``num_cpus`` (default: the cell's threads, else 1),
    ``num_gpus``, custom ``resources``; ``exclusive_node`` adds :data:`NODE_SLOT`
    so that cells never overlap on a node. ``address``: ``None`` starts a local Ray,
    ``"auto"`` joins the cluster of ``ray start``, ``"ray://HOST:PORT"`` uses Ray Client (a
    port where nothing listens fails at once; the head's start-up failures are tried again,
    :func:`init_with_retries`).
    ``max_calls``: cells per Ray worker before it is replaced (0: no limit; every run is a
    fresh child process either way). ``sink``: a picklable sink each worker writes its cell's
    results through (``results = "direct"``, e.g. :class:`modelbench.ingest.WorkerSink`);
    ``None``: results come back to the driver. ``lost_grace_s``: cells asking for custom
    resources or GPUs that no node offers any more (their node was lost) are recorded
    failed after this many seconds, not left in Ray's queue for ever; resume the plan once
    the node is back.
    """

    name = "ray"
    interleaves = False
    remote = True

    def __init__(self, address: str | None = None, *, num_cpus: float | None = None,
                 num_gpus: float = 0, resources: dict[str, float] | None = None,
                 exclusive_node: bool = False, retries: int = 1, max_calls: int = 0,
                 init_options: dict[str, Any] | None = None, sink: Any = None,
                 lost_grace_s: float = 30.0) -> None:
        try:
            import ray
        except ImportError:
            raise ConfigError("the Ray executor needs the ray package",
                              hint="pip install 'modelbench[ray]'") from None
        self.ray = ray
        self.address = address
        self.num_cpus, self.num_gpus = num_cpus, num_gpus
        self.resources = dict(resources or {})
        if exclusive_node:
            self.resources[NODE_SLOT] = 1
        self.retries = retries
        self.sink = sink
        self.share_warnings: list[str] = []
        self._started_here = not ray.is_initialized()
        if self._started_here:
            options = {"include_dashboard": False, "log_to_driver": False,
                       "logging_level": "ERROR", **(init_options or {})}
            if address is None and exclusive_node:
                options.setdefault("resources", {NODE_SLOT: 1})
            _connect(ray, address, options)
        self._check_resources()
        self.slots = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._remote = ray.remote(max_calls=max_calls, max_retries=0)(_ray_cell)
        self._pending: dict[Any, Future[CellRuns]] = {}  # a task's ref -> its cell's future
        self._board: Any = None  # StartedCells, made with the first task
        self._finished: set[int] = set()  # tokens of the tasks that came back
        self._tokens = itertools.count()  # one per submitted cell (cell ids restart per grid)
        self._lock = threading.Lock()
        # cells waiting for resources no node offers any more (their node was lost) would
        # wait forever in Ray's queue: a watchdog fails them after ``lost_grace_s``
        self.lost_grace_s = lost_grace_s
        self._watch_stop = threading.Event()
        self._watchdog: threading.Thread | None = None

    def _missing_resources(self) -> list[str]:
        """The resources the cells ask for that no node of the cluster offers now."""
        offered = self.ray.cluster_resources()
        missing = [name for name in self.resources if not offered.get(name)]
        if self.num_gpus and not offered.get("GPU"):
            missing.append("GPU")
        return missing

    def _check_resources(self) -> None:
        missing = self._missing_resources()
        if missing:  # a task asking for them would wait forever
            raise ConfigError(
                f"no node of the Ray cluster offers {', '.join(missing)}",
                hint=f"start the nodes with ray start --resources='{{\"{missing[0]}\": 1}}' "
                     "(or leave the resource out of the plan)")

    def _options(self, task: CellTask) -> dict[str, Any]:
        cpus = self.num_cpus if self.num_cpus is not None else max(1, task.threads or 1)
        options: dict[str, Any] = {"num_cpus": cpus, "num_gpus": self.num_gpus}
        if self.resources:
            options["resources"] = self.resources
        return options

    def _started_board(self) -> Any:
        if self._board is None:
            with contextlib.suppress(Exception):  # progress only: cells run without it
                self._board = self.ray.remote(num_cpus=0)(StartedCells).remote()
        return self._board

    def running_by_node(self) -> dict[str, int] | None:
        """Cells whose task has started and not come back, per node (``None``: unknown)."""
        if self._board is None:
            return None
        try:
            started = self.ray.get(self._board.started.remote(), timeout=5)
        except Exception:
            return None
        with self._lock:
            finished = set(self._finished)
        counts: dict[str, int] = {}
        for token, node in started.items():
            counts[node] = counts.get(node, 0) + (token not in finished)
        return counts

    def submit(self, task: CellTask) -> Future[CellRuns]:
        payload = job_bytes(replace(task.job, env=None))
        cpus = self._options(task)["num_cpus"]
        settings = {"cell_id": task.cell_id, "timing": task.timing, "timeout": task.timeout,
                    "pass_env": tuple(task.pass_env), "threads": task.threads,
                    "env": dict(task.env), "sink": self.sink, "jobs": self.slots,
                    "info": task.info if self.sink is not None else None,
                    # the measuring children run at the driver's niceness, as local ones do
                    "niceness": os.getpriority(os.PRIO_PROCESS, 0),
                    # one cell per node (its slot) may use every core: like one local job
                    "pin_cores": None if NODE_SLOT in self.resources else int(max(1, cpus)),
                    "board": self._started_board(), "token": next(self._tokens)}
        future: Future[CellRuns] = Future()
        self._attempt(future, task, payload, settings, attempt=1)
        return future

    def _attempt(self, future: Future[CellRuns], task: CellTask, payload: bytes,
                 settings: dict[str, Any], attempt: int) -> None:
        ref = self._remote.options(**self._options(task)).remote(
            payload, list(sys.path), settings)
        with self._lock:
            self._pending[ref] = future
        self._watch()

        def done(inner: Future[CellRuns]) -> None:
            with self._lock:
                self._pending.pop(ref, None)
            if future.done():  # failed by the watchdog: its resources were gone
                self._finish(settings["token"])
                return
            try:
                out = inner.result()
            except BaseException as exc:  # the task was lost, not measured: retry once
                lost = not isinstance(exc, self.ray.exceptions.RayTaskError) and \
                    not isinstance(exc, self.ray.exceptions.TaskCancelledError)
                if lost and attempt <= self.retries and not future.cancelled():
                    # a worker that writes may have written before it was lost: look first
                    again = {**settings, "recheck": settings.get("sink") is not None}
                    self._attempt(future, task, payload, again, attempt + 1)
                    return
                self._finish(settings["token"])
                future.set_exception(exc)
                return
            if attempt > 1:
                out.warnings.append(f"measured again: the Ray worker of attempt {attempt - 1} "
                                    "was lost (worker or node died)")
            self._finish(settings["token"])
            future.set_result(out)

        ref.future().add_done_callback(done)

    def _watch(self) -> None:
        if self.resources or self.num_gpus:  # CPUs come back with any node; these may not
            with self._lock:
                if self._watchdog is None:
                    self._watchdog = threading.Thread(target=self._watch_resources,
                                                      name="modelbench-ray-watch", daemon=True)
                    self._watchdog.start()

    def _watch_resources(self) -> None:
        """Fail the waiting cells once the resources they ask for have been gone from the
        cluster for ``lost_grace_s`` (a node lost for good); a node back in time, nothing."""
        gone_since: float | None = None
        while not self._watch_stop.wait(min(1.0, max(0.05, self.lost_grace_s / 4))):
            try:
                missing = self._missing_resources()
            except Exception:  # the cluster itself is away: Ray's own errors say so
                continue
            if not missing:
                gone_since = None
                continue
            gone_since = gone_since if gone_since is not None else time.monotonic()
            if time.monotonic() - gone_since >= self.lost_grace_s:
                self._fail_pending(missing)
                gone_since = None

    def _fail_pending(self, missing: list[str]) -> None:
        with self._lock:
            waiting = list(self._pending.items())
            self._pending.clear()
        error = ModelBenchError(
            f"no node of the Ray cluster offers {', '.join(missing)} any more (its node was "
            f"lost over {self.lost_grace_s:g} s ago)",
            hint="start the node again, then `modelbench run PLAN --resume RUN_ID --retry-failed` "
                 "measures these cells again")
        for ref, future in waiting:  # the failure first: cancelling calls `done` at once
            if not future.done():
                future.set_exception(error)
            with contextlib.suppress(Exception):
                self.ray.cancel(ref, force=True)

    def _finish(self, token: int) -> None:
        with self._lock:
            self._finished.add(token)

    def stop(self) -> None:
        with self._lock:
            pending = list(self._pending)
        for ref in pending:
            with contextlib.suppress(Exception):
                self.ray.cancel(ref, force=True)

    def close(self) -> None:
        self._watch_stop.set()
        self.stop()
        if self._board is not None:
            with contextlib.suppress(Exception):
                self.ray.kill(self._board)
            self._board = None
        if self._started_here:
            self.ray.shutdown()


def make_executor(name: str = "local", *, jobs: int = 1, address: str | None = None,
                  **options: Any) -> Executor:
    """The executor called ``name`` (``local`` or ``ray``); a clear error for any other.

    >>> make_executor("slurm")
    Traceback (most recent call last):
    ...
    modelbench.errors.ConfigError: unknown executor 'slurm' (hint: use one of: local, ray)
    """
    if name == "local":
        return LocalExecutor(jobs=jobs)
    if name == "ray":
        return RayExecutor(address, **options)
    raise ConfigError(f"unknown executor {name!r}", hint=f"use one of: {', '.join(EXECUTORS)}")

