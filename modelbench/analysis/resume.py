"""What a resumed plan run needs from the store: the cells a run id already has, and which
run id was the last one of a plan.

A plan's cell is identified by its ``cell_key`` (model, task, data and swept values) and a
result by ``(cell_key, metric)``; ``modelbench run plan.toml --resume RUN_ID`` measures only
the cells with a metric not yet stored under ``RUN_ID`` (a failed cell is stored too: it is
done, as Tune's resume keeps errored trials unless asked). ``--retry-failed`` asks: the
cells whose stored result is a failure are measured again, and :class:`ReplacingSink`
deletes the failed row just before the new one is written, so a cell never has two rows.

Example:
    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> _ = db.insert_results([BenchmarkResult(model_name="m", metric="accuracy", score=1.0,
    ...                                        run_id="r1", cell_key="k1")])
    >>> stored_cells(db, "r1"), last_run_id(db, [("k1", "accuracy")]), last_run_id(db, [])
    ({('k1', 'accuracy')}, 'r1', None)
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..errors import ValidationError
from ..store.base import ResultFilter

__all__ = ["stored_cells", "last_run_id", "resume_state", "failed_cells", "ReplacingSink",
           "earlier_rows", "add_earlier"]

_PAGE = 500


def stored_cells(db: Any, run_id: str) -> set[tuple[str, str]]:
    """Every ``(cell_key, metric)`` stored for ``run_id`` (measured results only)."""
    found = db.query_results(ResultFilter(run_id=run_id, source="local"))
    return {(r.cell_key, r.metric) for r in found if r.cell_key}


def last_run_id(db: Any, keys: Collection[tuple[str, str]], *,
                dataset: str | None = None) -> str | None:
    """The run id of the newest stored result of any of these cells (``None``: none)."""
    wanted = {key for key, _ in keys}
    if not wanted:
        return None
    flt = ResultFilter(source="local", dataset=dataset or None)
    offset = 0
    while True:  # newest first, a page at a time: a big store is never read whole
        page = db.query_results(flt, order_by="timestamp", descending=True, limit=_PAGE,
                                offset=offset)
        for result in page:
            if result.cell_key in wanted and result.run_id:
                return result.run_id
        if len(page) < _PAGE:
            return None
        offset += _PAGE


def resume_state(db: Any, resume: str, keys: Collection[tuple[str, str]], *,
                 dataset: str | None = None) -> tuple[str, set[tuple[str, str]]]:
    """``(run id, cells already stored)`` for ``--resume RUN_ID`` or ``--resume last``.

    Raises :class:`ValidationError` when ``last`` finds no run of this plan, or the id has no
    stored result at all (a typo would otherwise start the whole grid under a new name).
    """
    run_id = last_run_id(db, keys, dataset=dataset) if resume == "last" else resume
    if run_id is None:
        raise ValidationError("no stored run of this plan to resume",
                              hint="run it once without --resume (its run id is printed)")
    done = stored_cells(db, run_id)
    if not done and db.count_results(ResultFilter(run_id=run_id)) == 0:
        raise ValidationError(f"no stored results have run id {run_id!r}",
                              hint="check the id (printed at the end of `modelbench run`), "
                                   "or use --resume last")
    return run_id, done


def failed_cells(db: Any, run_id: str) -> dict[tuple[str, str], list[str]]:
    """``(cell_key, metric)`` -> stored row ids, for every metric of each cell of ``run_id``
    with a failed result (status not ok) for a metric that has no ok row: what
    ``--retry-failed`` measures again (a cell is measured whole, so all its rows go).

    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> _ = db.insert_results([BenchmarkResult(model_name="m", metric="accuracy", run_id="r",
    ...                                        cell_key="k", status="error",
    ...                                        error_message="boom")])
    >>> list(failed_cells(db, "r"))
    [('k', 'accuracy')]
    """
    found = [r for r in db.query_results(ResultFilter(run_id=run_id, source="local"))
             if r.cell_key]
    ok = {(r.cell_key, r.metric) for r in found if r.status == "ok"}
    retried = {r.cell_key for r in found if r.status != "ok" and (r.cell_key, r.metric) not in ok}
    rows: dict[tuple[str, str], list[str]] = {}
    for r in found:
        if r.cell_key in retried:
            rows.setdefault((r.cell_key, r.metric), []).append(r.id)
    return rows


class ReplacingSink:
    """A sink that deletes a retried cell's failed rows, then hands the new result on.

    Delete first, then write: a stop between the two leaves the cell with no row, which the
    next ``--resume`` measures; a cell never has a failed and a new row at once, on any
    backend (ClickHouse has no transactions). Each cell's old rows are deleted once.
    """

    def __init__(self, sink: Any, db: Any, replace: dict[tuple[str, str], list[str]]) -> None:
        self.sink, self.db, self.replace = sink, db, dict(replace)

    def delete_now(self) -> None:
        """Delete every retried cell's failed rows at once (before cells are measured, when
        the workers write the new results themselves)."""
        ids = [rid for rows in self.replace.values() for rid in rows]
        self.replace.clear()
        if ids:
            self.db.delete_results(ids)

    def __call__(self, measurement: Any) -> Any:
        result = measurement.result
        old = self.replace.pop((result.cell_key, result.metric), None)
        if old:
            self.db.delete_results(old)
        return self.sink(measurement)


def earlier_rows(db: Any, run_id: str, done: Collection[tuple[str, str]], metric: str
                 ) -> list[dict[str, Any]]:
    """The ``metric`` rows of ``run_id`` that earlier passes stored (cells among ``done``,
    which this pass skipped), each marked ``stored_earlier``: a resumed run's summary shows
    every cell of the run, not only those it measured."""
    found = db.query_results(ResultFilter(run_id=run_id, source="local", metric=metric),
                             order_by="timestamp")
    # no ``metric_results``: the other metrics of an earlier cell are not attached here
    return [{**r.to_dict(), "stored_earlier": True, "metric_results": []} for r in found
            if (r.cell_key, r.metric) in done]


def add_earlier(outcome: dict[str, Any], db: Any, run_id: str,
                done: Collection[tuple[str, str]], metric: str) -> int:
    """Put the cells earlier passes of ``run_id`` stored (:func:`earlier_rows`) into a
    resumed pass's ``outcome`` and rank every cell together, with the ranking of a run's
    summary (:func:`~modelbench.measure.runner.rank_rows`, which is
    :func:`modelbench.ranking.rank`, the leaderboards' too): the summary and ``--json``
    show the whole plan run as one pass would have. Returns how many rows were added.

    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> _ = db.insert_results([BenchmarkResult(model_name="best", metric="accuracy", score=1.0,
    ...                                        run_id="r1", cell_key="k1")])
    >>> fresh = {"status": "ok", "score": 0.5, "model_name": "new", "metric_results": []}
    >>> outcome = {"results": [fresh], "by_score": [fresh], "by_runtime": [fresh]}
    >>> add_earlier(outcome, db, "r1", {("k1", "accuracy")}, "accuracy")
    1
    >>> [(r["model_name"], r["rank"]) for r in outcome["by_score"]]
    [('best', 1), ('new', 2)]
    """
    from ..measure.runner import rank_rows

    rows = earlier_rows(db, run_id, done, metric)
    outcome["results"].extend(rows)
    outcome["by_score"], outcome["by_runtime"] = rank_rows(outcome["results"], metric)
    return len(rows)
