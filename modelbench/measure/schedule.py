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

Isolated cells run each run in a fresh child (:func:`.isolation.run_child`) through an
executor (:mod:`.executors`): here, ``jobs`` at a time on disjoint cores (the default), or on a
Ray cluster, a cell's runs together as one task on one node; in-process cells run here,
between the rounds' children.

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

import socket
from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from typing import Any

from ..records import Measurement
from .environment import fingerprint
from .executors import CellRuns, CellTask, Executor, LocalExecutor, wants_another_run
from .guards import Interrupted, interruptible, probe_in_fork
from .hostcheck import HostFloor, disturbed_records
from .isolation import DEFAULT_TIMEOUT, Job, loaded, resolve_target
from .runs import RunRecord, RunSpec, measure_run
from .summary import CellInfo, cell_measurements
from .timing import Clock, scored_pass, split_batches

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
    env: dict[str, str] = field(default_factory=dict)  # this model's own, for its children


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
    runs: list[RunRecord] = field(default_factory=list)
    environment: dict[str, Any] | None = None
    cores: list[int] | None = None
    node: str = ""
    warnings: list[str] = field(default_factory=list)
    submitted: bool = False
    done: bool = False
    written: list[tuple[Measurement, dict[str, Any]]] | None = None  # by the worker
    host_floor: HostFloor = field(default_factory=HostFloor)  # shared by a measure_cells

    def add(self, records: Sequence[RunRecord]) -> None:
        """Keep measured runs; their host probes join the floor they are judged against."""
        self.runs.extend(records)
        for record in records:
            self.host_floor.see(self.node, record.host_ns)

    def disturbed(self) -> list[int]:
        """Run indices during which the host was slow (:mod:`.hostcheck`)."""
        return disturbed_records(self.runs, self.host_floor.get(self.node))

    def needs_more(self) -> bool:
        """Another run while too few runs were steady; a disturbed run is replaced, up to
        ``runs`` replacements (then the verdicts say what the steady runs allow)."""
        timing = self.cell.spec.timing
        skip = set(self.disturbed())
        if skip and len(self.runs) >= 2 * timing.runs:
            return False
        return wants_another_run(timing, [r for r in self.runs if r.run_index not in skip])


class _Runner:
    """Dispatches runs to the executor (isolated cells) or measures them here (in-process)."""

    def __init__(self, inputs: Any, expected: Any, executor: Executor, timeout: float | None,
                 clock: Clock | None, probe: bool = True) -> None:
        self.inputs, self.expected = inputs, expected
        self.timeout, self.clock = timeout, clock
        self.executor = executor
        self.jobs = executor.slots
        self.share_warnings = executor.share_warnings
        self.stopping = False
        self.probe = probe

    def _task(self, state: _State, number: int, max_runs: int | None) -> CellTask:
        cell = state.cell
        job = Job(inputs=self.inputs, expected_outputs=self.expected, spec=cell.spec,
                  target=cell.target, function=cell.function,
                  label=cell.info.labels["model_name"])
        state.submitted = True
        return CellTask(number, job, timing=cell.spec.timing, first_run=len(state.runs),
                        max_runs=max_runs, timeout=self.timeout, pass_env=cell.pass_env,
                        env=cell.env, threads=cell.spec.threads, info=cell.info)

    def _take(self, state: _State, future: Future[CellRuns]) -> None:
        """Keep what a task brought back; a task the executor lost is a failed run."""
        try:
            out = future.result()
        except Exception as exc:  # an Interrupted (BaseException) goes on up
            if self.stopping:
                return
            state.runs.append(RunRecord(len(state.runs), status="error", message=(
                f"the {self.executor.name} executor lost this cell ({type(exc).__name__}: "
                f"{str(exc)[:300]}); it was not measured")))
            return
        if self.stopping:  # stopped by the parent's interruption: not the model's fault
            return
        if not state.runs:
            state.environment, state.cores, state.node = out.environment, out.cores, out.node
        state.written = out.written
        state.warnings.extend(w for w in out.warnings if w not in state.warnings)
        state.add(out.runs)

    def _local_run(self, state: _State, run_index: int) -> None:
        cell = state.cell
        function, target = cell.function, cell.target
        spec = cell.spec
        if self.timeout and spec.timeout is None:
            spec.timeout = self.timeout

        def load() -> Callable[[Any], Any]:
            return loaded(function) if function is not None else resolve_target(target or "")

        state.node = state.node or socket.gethostname()
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
        state.add([record])

    def run_round(self, states: list[tuple[int, _State]],
                  after: Callable[[int, _State], None]) -> None:
        """One run of every state given, children first (in order, ``jobs`` at a time).

        ``after(number, state)`` is called here, on the calling thread, as each run ends.
        """
        isolated = [(n, s) for n, s in states if s.cell.isolate]
        local = [(n, s) for n, s in states if not s.cell.isolate]
        if self.jobs == 1:
            for number, state in isolated:
                self._take(state, self.executor.submit(self._task(state, number, 1)))
                after(number, state)
        else:
            futures = {self.executor.submit(self._task(s, n, 1)): (n, s) for n, s in isolated}
            for future in as_completed(futures):
                number, state = futures[future]
                self._take(state, future)
                after(number, state)
        for number, state in local:
            self._local_run(state, len(state.runs))
            after(number, state)

    def run_whole_cells(self, states: list[tuple[int, _State]],
                        after: Callable[[int, _State], None]) -> None:
        """Every isolated cell as one task of all its runs (a remote executor), each handed
        to ``after`` as it comes back, whatever order they finish in."""
        futures = {self.executor.submit(self._task(s, n, None)): (n, s)
                   for n, s in states if s.cell.isolate}
        for future in as_completed(futures):
            number, state = futures[future]
            self._take(state, future)
            if not state.runs:  # lost while stopping: nothing to keep
                continue
            after(number, state)


def _finish(state: _State, sink: Sink | None, runner: _Runner, complete: bool) -> CellOutcome:
    cell = state.cell
    if state.written is not None:  # a worker wrote the results: the driver is the fallback
        return CellOutcome(cell, [m for m, _ in state.written],
                           [_after_worker(sink, m, info) for m, info in state.written])
    shared = runner.share_warnings if runner.jobs > 1 and cell.isolate else []
    measurements = cell_measurements(
        cell.info, state.runs, state.environment, isolate=cell.isolate, jobs=runner.jobs,
        executor=runner.executor.name, cores=state.cores, node=state.node,
        warnings=[*shared, *state.warnings], complete=complete,
        planned_runs=cell.spec.timing.runs, disturbed=state.disturbed(),
        host_floor_ns=state.host_floor.get(state.node),
        # runs made one at a time here replace disturbed ones; a remote cell's come at once
        remeasured=not cell.isolate or runner.executor.interleaves)
    sink_info = [_hand_over(sink, m) for m in measurements]
    return CellOutcome(cell, measurements, sink_info, complete)


def _after_worker(sink: Sink | None, measurement: Measurement,
                  info: dict[str, Any]) -> dict[str, Any]:
    """What became of a result its worker wrote; one the worker could not write (it came
    back whole) is handed to the driver's sink, a second way in under the same id (a
    worker's spooled copy, replayed later, is then skipped). ``worker``: what the worker's
    sink said."""
    if info.get("stored") or info.get("duplicate"):  # a duplicate: another attempt's is kept
        return info
    result = measurement.result
    result.extra.pop("written_by", None)
    warnings_before = len(result.warnings)
    done = _hand_over(sink, measurement)
    node = result.extra.get("node") or "?"
    why = info.get("store_error") or info.get("skipped") or "no reason given"
    then = ("the driver wrote it" if done.get("stored") else
            f"it is kept on {node} in {info['spool_path']}" if info.get("spool_path") else
            "the driver could not write it either")
    result.warnings.insert(warnings_before,
                           f"the worker on {node} could not write this result ({why}); {then}")
    return {**done, "worker": info}


def _hand_over(sink: Sink | None, measurement: Measurement) -> dict[str, Any]:
    if sink is None:
        return {"stored": False}
    try:
        return dict(sink(measurement))
    except Exception as exc:  # a sink must not raise; if one does, the result is still kept
        message = f"result not stored: {exc}"
        measurement.result.warnings.append(message)
        return {"stored": False, "store_error": str(exc)}


def _running_by_node(executor: Executor) -> dict[str, Any]:
    """``{"running_by_node": {node: cells}}`` where the executor knows what has started
    where (a Ray executor: its tasks say so), else nothing (``running`` alone: cells begun
    and not finished, queued ones included)."""
    known = getattr(executor, "running_by_node", None)
    counts = known() if callable(known) else None
    return {} if counts is None else {"running_by_node": counts}


def measure_cells(cells: Sequence[Cell], inputs: Any, expected: Any, *,
                  sink: Sink | None = None, jobs: int = 1, timeout: float | None = None,
                  progress: Callable[[dict[str, Any]], None] | None = None,
                  clock: Clock | None = None, probe: bool | None = None,
                  executor: Executor | None = None,
                  host_floor: HostFloor | None = None) -> list[CellOutcome]:
    """Measure every cell, interleaved within groups; outcomes in the cells' order.

    ``timeout`` is per run (a child is killed; in-process see :mod:`.guards`). Raises
    :class:`MeasurementInterrupted` after keeping what was measured when a signal arrives.
    ``probe``: call each in-process model once in a forked copy first (default: yes,
    except with an injected ``clock``, whose fake time a copy would not share).
    ``executor``: where isolated cells run (default: a :class:`.executors.LocalExecutor` of
    ``jobs`` slots, closed here; one given is the caller's to close). A remote executor
    (Ray) measures each cell's runs together on one node, the cells in any order.
    ``progress`` gets ``{"done", "total", "model_name", "status", "node", "running",
    "failed"}`` after each cell (``running``: cells begun and not finished).
    ``host_floor``: the fastest host probe per node (:mod:`.hostcheck`) that the runs are
    judged against; pass one to several calls whose runs are compared with each other
    (default: this call's own).
    """
    # every run of this call compared with the node's fastest probe
    host_floor = host_floor if host_floor is not None else HostFloor()
    states = [_State(cell, host_floor=host_floor) for cell in cells]
    number = {id(s): n for n, s in enumerate(states)}
    finished: dict[int, CellOutcome] = {}
    own = executor is None
    if executor is None:
        executor = LocalExecutor(jobs=max(1, min(jobs, len(cells) or 1)))
    runner = _Runner(inputs, expected, executor, timeout, clock,
                     probe=clock is None if probe is None else probe)
    total = len(cells)

    def after(n: int, state: _State) -> None:
        if state.runs and (not state.cell.isolate or executor.interleaves) and \
                state.needs_more():
            return
        state.done = True  # measured (a remote cell comes back with all its runs)
        finished[n] = _finish(state, sink, runner, True)
        if progress is not None:
            progress({"done": len(finished), "total": total,
                      "model_name": state.cell.info.labels["model_name"],
                      "status": finished[n].result.status,
                      "node": finished[n].result.extra.get("node", ""),
                      "running": sum(1 for s in states if not s.done and
                                     (s.submitted or s.runs)),
                      "failed": sum(1 for o in finished.values() if o.result.status != "ok"),
                      **_running_by_node(executor)})

    def rounds(members: list[_State]) -> None:
        turn = 0
        while any(not s.done for s in members):
            # each round starts one model later (A B, B A, A B ...: A B C, B C A, ...), so
            # no model always runs first: measured here, the first run of a fixed A B order
            # was 2.8 % slower than the second over 30 rounds of one function
            live = [s for s in members if not s.done]
            start = turn % len(live)
            runner.run_round([(number[id(s)], s) for s in live[start:] + live[:start]], after)
            turn += 1

    try:
        with interruptible():
            try:
                if not executor.interleaves:
                    runner.run_whole_cells(list(enumerate(states)), after)
                for group in round_order(cells):
                    rounds([s for s in states if any(s.cell is c for c in group)])
            except Interrupted as stop:
                runner.stopping = True
                executor.stop()
                for n, state in enumerate(states):
                    if not state.done and any(r.status == "ok" for r in state.runs):
                        state.done = True
                        finished[n] = _finish(state, sink, runner, False)
                missing = [s.cell.info.labels["model_name"] for n, s in enumerate(states)
                           if n not in finished]
                raise MeasurementInterrupted(stop.signum, [finished[n] for n in sorted(finished)],
                                             missing) from None
    finally:
        if own:  # one given stays usable for the caller's next cells
            executor.close()
    return [finished[n] for n in range(len(states))]
