"""Interleaved runs, and each result handed to the sink the moment it is measured.

Cells (a model at one batch size and thread count) are measured in *groups* of cells that
are compared with each other (same swept values). Within a group the runs are interleaved
— round 1 runs A B C, round 2 runs A B C, … — so that drift of the machine (frequency,
other load, memory placement) hits every model alike instead of whichever came last.
Groups follow each other, so a sweep stores each group as it finishes.

A cell is done after ``timing.runs`` runs, or (``precision``) when its between-run CI is
narrow enough (:func:`.timing.more_runs_wanted`), or at its first failed run. Its results go
to the ``sink`` at once: an interruption (SIGINT, SIGTERM, SIGHUP) loses no finished result.
Cells interrupted mid-way are kept too, with the runs they completed and a warning; then
:class:`MeasurementInterrupted` is raised, saying exactly what was kept.

Isolated cells run each run in a fresh child (:func:`.isolation.run_child`), ``jobs`` at a
time on disjoint cores; in-process cells run here, between the rounds' children.

Example:
    >>> from modelbench.measure.runs import RunSpec
    >>> from modelbench.measure.timing import TimingConfig
    >>> timing = TimingConfig(min_calls=2, min_time=0, warmup_time=0, runs=2)
    >>> cell = Cell(info=CellInfo(labels={"model_name": "id"}, metrics=["accuracy"],
    ...             timing=timing), spec=RunSpec(timing=timing), function=list, isolate=False)
    >>> (done,) = measure_cells([cell], [1, 2], [1, 2])
    >>> [m.result.n_runs for m in done.measurements]
    [2]
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..records import Measurement
from .environment import fingerprint
from .guards import Interrupted, child_environment, interruptible, probe_in_fork
from .isolation import (
    CHILDREN,
    DEFAULT_TIMEOUT,
    Job,
    assign_cores,
    loaded,
    resolve_target,
    run_child,
    write_job,
)
from .runs import RunRecord, RunSpec, measure_run
from .summary import CellInfo, median_ci_runs, summarize_runs
from .timing import Clock, more_runs_wanted, scored_pass, split_batches

__all__ = ["Cell", "CellOutcome", "measure_cells", "MeasurementInterrupted", "Sink",
           "round_order"]

#: A sink takes a measurement and says what became of it: ``{"stored": bool, ...}``.
Sink = Callable[[Measurement], dict[str, Any]]


@dataclass
class Cell:
    """One model at one set of swept values; ``group`` says which cells are compared."""

    info: CellInfo
    spec: RunSpec
    function: Callable[[Any], Any] | None = None
    target: str | None = None
    isolate: bool = True
    group: tuple[Any, ...] = ()
    pass_env: Sequence[str] = ()


@dataclass
class CellOutcome:
    """A measured cell: its results (one per metric) and what the sink said of each."""

    cell: Cell
    measurements: list[Measurement]
    sink_info: list[dict[str, Any]]
    complete: bool = True

    @property
    def result(self) -> Any:
        return self.measurements[0].result


class MeasurementInterrupted(KeyboardInterrupt):
    """Measuring was stopped by a signal; ``outcomes`` are the results kept (all handed to
    the sink), ``complete``/``partial`` count them and ``not_measured`` lists the cells that
    never finished a run."""

    def __init__(self, signum: int, outcomes: list[CellOutcome], not_measured: list[str]):
        self.signum = signum
        self.outcomes = outcomes
        self.not_measured = not_measured
        self.complete = sum(1 for o in outcomes if o.complete)
        self.partial = len(outcomes) - self.complete
        self.stored = sum(1 for o in outcomes for i in o.sink_info if i.get("stored"))
        super().__init__(self.summary())

    def summary(self) -> str:
        import signal

        name = signal.Signals(self.signum).name
        return (f"interrupted by {name}: {self.complete} complete and {self.partial} partial "
                f"result(s) kept ({self.stored} stored), {len(self.not_measured)} not measured")


def round_order(cells: Sequence[Cell]) -> list[list[Cell]]:
    """Cells grouped by ``group`` in first-seen order (each group is measured interleaved).

    >>> cells = [Cell(CellInfo({"model_name": n}, []), RunSpec(), group=(g,))
    ...          for n, g in [("a", 1), ("b", 2), ("c", 1)]]
    >>> [[c.info.labels["model_name"] for c in g] for g in round_order(cells)]
    [['a', 'c'], ['b']]
    """
    groups: dict[tuple[Any, ...], list[Cell]] = {}
    for cell in cells:
        groups.setdefault(cell.group, []).append(cell)
    return list(groups.values())


@dataclass
class _State:
    cell: Cell
    folder: Path | None = None
    job: Job | None = None
    runs: list[RunRecord] = field(default_factory=list)
    environment: dict[str, Any] | None = None
    cores: list[int] | None = None
    done: bool = False

    def needs_more(self) -> bool:
        last = self.runs[-1]
        if last.status != "ok":
            return False
        ok = [r for r in self.runs if r.status == "ok"]
        timing = self.cell.spec.timing
        width = None
        if timing.precision is not None and len(ok) >= 2:
            lat = np.concatenate([r.latencies for r in ok])
            idx = np.concatenate([np.full(len(r.latencies), r.run_index) for r in ok])
            median, low, high = median_ci_runs(lat, idx)
            width = (high - low) / 2 / median if median > 0 else None
        return more_runs_wanted(timing, len(ok), width, sum(r.timed_s for r in ok))


class _Runner:
    """Dispatches one round's runs; owns the job folders and the core slots."""

    def __init__(self, inputs: Any, expected: Any, jobs: int, timeout: float | None,
                 clock: Clock | None, probe: bool = True) -> None:
        self.inputs, self.expected = inputs, expected
        self.timeout, self.clock = timeout, clock
        self.root = Path(tempfile.mkdtemp(prefix="modelbench-job-"))
        self.jobs = jobs
        self.stopping = False
        self.probe = probe
        self.slots, self.share_warnings = assign_cores(jobs)
        self._free = list(range(len(self.slots)))
        self._lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="modelbench-job") \
            if jobs > 1 else None

    def close(self) -> None:
        CHILDREN.kill_all()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def _folder(self, state: _State, number: int) -> Path:
        if state.folder is None:
            cell = state.cell
            state.folder = self.root / f"cell-{number}"
            env = child_environment(pass_env=cell.pass_env, threads=cell.spec.threads)
            state.job = Job(inputs=self.inputs, expected_outputs=self.expected, spec=cell.spec,
                            target=cell.target, function=cell.function, env=env,
                            label=cell.info.labels["model_name"])
            write_job(state.job, state.folder)
        return state.folder

    def _child_run(self, state: _State, number: int, run_index: int) -> None:
        with self._lock:
            slot = self._free.pop(0) if self._free else 0
        cores = self.slots[slot]
        try:
            folder = self._folder(state, number)
            assert state.job is not None
            record, environment = run_child(state.job, folder, run_index,
                                            timeout=self.timeout, cores=cores)
        finally:
            with self._lock:
                self._free.append(slot)
        if self.stopping:  # stopped by the parent's interruption: not the model's fault
            return
        if run_index == 0:
            state.environment, state.cores = environment, cores
        state.runs.append(record)

    def _local_run(self, state: _State, run_index: int) -> None:
        cell = state.cell
        function, target = cell.function, cell.target
        spec = cell.spec
        if self.timeout and spec.timeout is None:
            spec.timeout = self.timeout

        def load() -> Callable[[Any], Any]:
            return loaded(function) if function is not None else resolve_target(target or "")

        if run_index == 0 and self.probe:
            failed = probe_in_fork(lambda: scored_pass(load(), split_batches(
                self.inputs, spec.timing.batch_size)), spec.timeout or DEFAULT_TIMEOUT)
            if failed is not None:
                state.environment = fingerprint()
                state.runs.append(RunRecord(run_index, status=failed[0], message=failed[1]))
                return
        record = measure_run(load, self.inputs, self.expected, spec, run_index,
                             clock=self.clock, guard=True)
        if run_index == 0:
            state.environment = fingerprint()
        state.runs.append(record)

    def run_round(self, states: list[tuple[int, _State]],
                  after: Callable[[int, _State], None]) -> None:
        """One run of every state given, children first (in order, ``jobs`` at a time).

        ``after(number, state)`` is called here, on the calling thread, as each run ends.
        """
        isolated = [(n, s) for n, s in states if s.cell.isolate]
        local = [(n, s) for n, s in states if not s.cell.isolate]
        if self.pool is None:
            for number, state in isolated:
                self._child_run(state, number, len(state.runs))
                after(number, state)
        else:
            futures = {self.pool.submit(self._child_run, s, n, len(s.runs)): (n, s)
                       for n, s in isolated}
            for future in as_completed(futures):
                future.result()
                after(*futures[future])
        for number, state in local:
            self._local_run(state, len(state.runs))
            after(number, state)


def _finish(state: _State, sink: Sink | None, runner: _Runner, complete: bool) -> CellOutcome:
    cell = state.cell
    info = cell.info
    info.extra.update(isolated=cell.isolate, parallel=runner.jobs > 1 and cell.isolate,
                      jobs=runner.jobs if cell.isolate else 1, cores=state.cores)
    if runner.jobs > 1 and cell.isolate:
        info.warnings.extend(w for w in runner.share_warnings if w not in info.warnings)
    if not complete:
        info.runs_planned = max(cell.spec.timing.runs, len(state.runs) + 1)
    measurements = summarize_runs(info, state.runs, state.environment)
    sink_info = [_hand_over(sink, m) for m in measurements]
    return CellOutcome(cell, measurements, sink_info, complete)


def _hand_over(sink: Sink | None, measurement: Measurement) -> dict[str, Any]:
    if sink is None:
        return {"stored": False}
    try:
        return dict(sink(measurement))
    except Exception as exc:  # a sink must not raise; if one does, the result is still kept
        message = f"result not stored: {exc}"
        measurement.result.warnings.append(message)
        return {"stored": False, "store_error": str(exc)}


#: The node a local cell runs on, as progress events name it (a Ray executor names its own).
_NODE = socket.gethostname()


def measure_cells(cells: Sequence[Cell], inputs: Any, expected: Any, *,
                  sink: Sink | None = None, jobs: int = 1, timeout: float | None = None,
                  progress: Callable[[dict[str, Any]], None] | None = None,
                  clock: Clock | None = None, probe: bool | None = None) -> list[CellOutcome]:
    """Measure every cell, interleaved within groups; outcomes in the cells' order.

    ``timeout`` is per run (a child is killed; in-process see :mod:`.guards`). Raises
    :class:`MeasurementInterrupted` after keeping what was measured when a signal arrives.
    ``probe``: call each in-process model once in a forked copy first (default: yes,
    except with an injected ``clock``, whose fake time a copy would not share).
    """
    states = [_State(cell) for cell in cells]
    number = {id(s): n for n, s in enumerate(states)}
    finished: dict[int, CellOutcome] = {}
    runner = _Runner(inputs, expected, max(1, min(jobs, len(cells) or 1)), timeout, clock,
                     probe=clock is None if probe is None else probe)
    total = len(cells)

    def after(n: int, state: _State) -> None:
        if state.runs and not state.needs_more():  # measured: hand it over at once
            state.done = True
            finished[n] = _finish(state, sink, runner, True)
            if progress is not None:  # between runs, never inside a timed region
                progress({"done": len(finished), "total": total,
                          "model_name": state.cell.info.labels["model_name"],
                          "status": finished[n].result.status, "node": _NODE,
                          "running": sum(1 for s in states if s.runs and not s.done),
                          "failed": sum(1 for o in finished.values()
                                        if o.result.status != "ok")})

    try:
        with interruptible():
            try:
                for group in round_order(cells):
                    members = [s for s in states if any(s.cell is c for c in group)]
                    while any(not s.done for s in members):
                        runner.run_round([(number[id(s)], s) for s in members if not s.done],
                                         after)
            except Interrupted as stop:
                runner.stopping = True
                CHILDREN.kill_all()
                if runner.pool is not None:
                    runner.pool.shutdown(wait=True, cancel_futures=True)
                for n, state in enumerate(states):
                    if not state.done and any(r.status == "ok" for r in state.runs):
                        state.done = True
                        finished[n] = _finish(state, sink, runner, False)
                missing = [s.cell.info.labels["model_name"] for n, s in enumerate(states)
                           if n not in finished]
                raise MeasurementInterrupted(stop.signum, [finished[n] for n in sorted(finished)],
                                             missing) from None
    finally:
        runner.close()
    return [finished[n] for n in range(len(states))]
