"""Live progress of a plan run: cells done / failed / running, overall and per node, and the
time left estimated from the cells done so far.

Fed the events of :func:`modelbench.measure.plan.run_plan`'s ``progress`` callback, which
arrive between runs (never inside a timed region): ``done``, ``total``, ``model_name``,
``status``, ``node`` (the host or Ray node of the cell), ``running`` (cells in flight) and
``failed`` (cells failed so far). An executor that knows how many cells each node has
running adds ``running_by_node`` (``{node: count}``; the Ray executor does, from its tasks'
own word that they started); without it ``running`` is counted on
the event's node. On a terminal it draws a Rich bar with one line per node; otherwise it
prints one plain line per finished cell (logs and CI stay readable).

Example:
    >>> import io
    >>> from rich.console import Console
    >>> out = io.StringIO()
    >>> clock = iter([0.0, 10.0]).__next__
    >>> with GridProgress(Console(file=out), clock=clock) as show:
    ...     show({"done": 1, "total": 4, "model_name": "m", "status": "ok", "node": "n1",
    ...           "running": 1, "failed": 0})
    >>> out.getvalue().strip()
    '[1/4] m: ok on n1 · failed 0 · running 1 · left ~0:30'
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

__all__ = ["GridProgress", "NodeCounts", "eta_seconds", "format_eta"]


def eta_seconds(elapsed_s: float, done: int, total: int) -> float | None:
    """Seconds left if the remaining cells take as long as the finished ones did on average.

    >>> eta_seconds(30.0, 3, 12)
    90.0
    >>> eta_seconds(5.0, 0, 12) is None  # nothing done yet: no honest estimate
    True
    """
    if done <= 0 or total <= 0:
        return None
    return elapsed_s / done * max(0, total - done)


def format_eta(seconds: float | None) -> str:
    """``h:mm:ss`` or ``m:ss``; ``?`` when unknown.

    >>> format_eta(65.2), format_eta(3725), format_eta(None)
    ('1:05', '1:02:05', '?')
    """
    if seconds is None:
        return "?"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass
class NodeCounts:
    """What one node has finished, failed and has in flight."""

    done: int = 0
    failed: int = 0
    running: int = 0

    def line(self, node: str) -> str:
        """``node: 3 done · 1 failed · 2 running``

        >>> NodeCounts(3, 1, 2).line("n1")
        'n1: 3 done · 1 failed · 2 running'
        """
        return f"{node}: {self.done} done · {self.failed} failed · {self.running} running"


class GridProgress:
    """The progress callback of a plan run, as a context manager around the run."""

    def __init__(self, console: Console, *, clock: Callable[[], float] = time.monotonic):
        self.console = console
        self.clock = clock
        self.nodes: dict[str, NodeCounts] = {}
        self.live = console.is_terminal
        self.bar: Progress | None = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> GridProgress:
        self.started = self.clock()
        if self.live:
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(),
                                TextColumn("{task.fields[left]}"), console=self.console,
                                transient=True)
            self.bar.__enter__()
            self._tasks["*"] = self.bar.add_task("cells", total=None, left="")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def __call__(self, event: dict[str, Any]) -> None:
        node = str(event.get("node") or "local")
        counts = self.nodes.setdefault(node, NodeCounts())
        counts.done += 1
        counts.failed += event.get("status", "ok") != "ok"
        by_node = event.get("running_by_node")
        if by_node is not None:
            for name, running in by_node.items():
                self.nodes.setdefault(str(name), NodeCounts()).running = int(running)
        else:
            counts.running = int(event.get("running") or 0)
        left = format_eta(eta_seconds(self.clock() - self.started, event["done"],
                                      event["total"]))
        if self.bar is None:
            self.console.print(Text(
                f"[{event['done']}/{event['total']}] {event.get('model_name', '')}: "
                f"{event.get('status', '')} on {node} · failed {event.get('failed', 0)} · "
                f"running {event.get('running', 0)} · left ~{left}"), soft_wrap=True)
            return
        self.bar.update(self._tasks["*"], completed=event["done"], total=event["total"],
                        left=f"left ~{left}",
                        description=f"cells ({event.get('failed', 0)} failed, "
                                    f"{event.get('running', 0)} running)")
        for name, node_counts in self.nodes.items():
            if name not in self._tasks:
                self._tasks[name] = self.bar.add_task("", total=None, left="")
            self.bar.update(self._tasks[name], completed=node_counts.done,  # its share
                            total=event["total"], description=node_counts.line(name))
