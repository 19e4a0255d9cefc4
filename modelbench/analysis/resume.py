"""What a resumed plan run needs from the store: the cells a run id already has, and which
run id was the last one of a plan.

A plan's cell is identified by its ``cell_key`` (model, task, data and swept values) and a
result by ``(cell_key, metric)``; ``modelbench run plan.toml --resume RUN_ID`` measures only
the cells with a metric not yet stored under ``RUN_ID`` (a failed cell is stored too: it is
done, as Tune's resume keeps errored trials unless asked).

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

__all__ = ["stored_cells", "last_run_id", "resume_state"]

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
