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

import warnings as pywarnings
from typing import Any

from .errors import StoreError, StoreUnavailableError
from .measure.runner import ModelBenchmark as _Measuring
from .records import Measurement

__all__ = ["ModelBenchmark", "store_sink"]


class _StoreSink:
    """Writes a measurement: result, samples by series with run index, per-item values.

    A stand-in for ``modelbench.ingest.StoreSink`` until it lands: store failures are kept
    as a warning and ``stored: False``, never raised.
    """

    def __init__(self, db: Any, *, store_samples: bool = True) -> None:
        self.db = db
        self.store_samples = store_samples
        self._ready = False

    def _warn(self, result: Any, message: str) -> None:
        result.warnings.append(message)
        pywarnings.warn(message, RuntimeWarning, stacklevel=4)

    def __call__(self, measurement: Measurement) -> dict[str, Any]:
        result = measurement.result
        if hasattr(self.db, "keep_result"):
            return self._keep(measurement)
        try:
            if not self._ready:  # setup() is idempotent; the seed never called it
                self.db.setup()
                self._ready = True
            self.db.insert_result(result)
        except StoreError as exc:
            where = f"; kept in {exc.spool_path}" if isinstance(exc, StoreUnavailableError) \
                and exc.spool_path else ""
            self._warn(result, f"result not stored: {exc}{where}")
            return {"stored": False, "store_error": str(exc)}
        info: dict[str, Any] = {"stored": True, "samples_stored": 0}
        try:
            if self.store_samples:
                for series, (latencies, runs) in measurement.samples.items():
                    count = self._samples(result, series, latencies, runs)
                    if series == "call":
                        info["samples_stored"] = count
            if measurement.item_values is not None and len(measurement.item_values):
                self.db.insert_item_results(result.id, measurement.item_values,
                                            measurement.item_predictions)
        except StoreError as exc:
            self._warn(result, f"samples not stored: {exc}")
            info["store_error"] = str(exc)
        return info

    def _keep(self, measurement: Measurement) -> dict[str, Any]:
        """Through ``keep_result``: what the store cannot take — result, every series, the
        per-item values — is spooled as one entry and written by the next ``setup()``."""
        result = measurement.result
        samples = ([(latencies, series, runs)
                    for series, (latencies, runs) in measurement.samples.items()]
                   if self.store_samples else [])
        items = measurement.item_values
        has_items = items is not None and len(items) > 0
        info = self.db.keep_result(result, samples,
                                   item_values=items if has_items else None,
                                   predictions=measurement.item_predictions if has_items
                                   else None)
        call = measurement.samples.get("call") if self.store_samples else None
        if info["stored"] and not info["store_error"]:
            info["samples_stored"] = len(call[0]) if call is not None else 0
        if info["store_error"]:
            kept = (f"; kept in {info['spool_path']} (written on the next setup)"
                    if info["spool_path"] else "; it could not be kept on disk either")
            self._warn(result, f"result not stored: {info['store_error']}{kept}")
        return info

    def _samples(self, result: Any, series: str, latencies: Any, runs: Any) -> int:
        try:
            return self.db.insert_samples(result.id, latencies, result.timestamp,
                                          series=series, run_index=runs)
        except TypeError:  # a schema-v1 store: only the call series, without run index
            if series != "call":
                return 0
            return self.db.insert_samples(result.id, latencies, result.timestamp)


def store_sink(db: Any, *, store_samples: bool = True) -> Any:
    """The sink that writes measurements into ``db``: ``modelbench.ingest.StoreSink`` (the
    one way into a store), or the stand-in above where ingest is not there yet."""
    try:
        from .ingest import StoreSink
    except ImportError:  # until h10's ingest is merged; then the stand-in goes
        return _StoreSink(db, store_samples=store_samples)
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
