"""The public ``ModelBenchmark``: measuring (:mod:`modelbench.measure`) bound to a store.

``ModelBenchmark(db_manager=db)`` is the seed's API: each result is written the moment it
is measured, with its samples (series and run index) and per-item values, through a sink.
``measure`` never imports the store; this module is where the two meet.

Samples are stored once per measurement: with the first metric's result. The results of
the other metrics of the same runs carry no samples and name that result in
``extra["samples_of"]``.

Example:
    >>> from modelbench import get_database_manager
    >>> db = get_database_manager("sqlite", path=":memory:")
    >>> bench = ModelBenchmark(db_manager=db, min_time=0.01, runs=2, isolate=False)
    >>> row = bench.benchmark_model(model_name="m", metric="accuracy", model_fn=list,
    ...                             inputs=[1, 2], expected_outputs=[1, 2])
    >>> row["stored"], db.get_result(row["id"]).n_runs
    (True, 2)
"""

from __future__ import annotations

from typing import Any

from .measure.runner import ModelBenchmark as _Measuring

__all__ = ["ModelBenchmark", "store_sink"]


def store_sink(db: Any, *, store_samples: bool = True) -> Any:
    """The sink that writes measurements into ``db``: :class:`modelbench.ingest.StoreSink`,
    the one way into a store."""
    from .ingest import StoreSink

    return StoreSink(db, store_samples=store_samples)


class ModelBenchmark(_Measuring):
    """Benchmark model callables and keep each result in a store as soon as it is measured.

    ``db_manager``: a store from :func:`modelbench.get_database_manager` (or ``None`` to
    keep results only in the returned dicts). Every other option is that of
    :class:`modelbench.measure.runner.ModelBenchmark`; ``store_samples=False`` keeps the
    per-call samples out of the store.
    """

    def __init__(self, db_manager: Any = None, *, store_samples: bool = True,
                 **options: Any) -> None:
        sink = store_sink(db_manager, store_samples=store_samples) \
            if db_manager is not None else None
        super().__init__(sink=sink, **options)
        self.db_manager = db_manager
        self.store_samples = store_samples
