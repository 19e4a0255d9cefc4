"""Writes that could not reach a database server, kept on local disk until they can.

When a server goes away in the middle of a run, the results (and latency samples) not yet
written are appended to ``data/spool/<backend>-<host>-<port>-<database>.jsonl`` and the error
(:class:`~modelbench.errors.StoreUnavailableError`) names that file. The next time a manager
connects to the same server it writes the spooled entries and removes the file. Results whose
id is already stored are skipped, so an entry that did reach the server is never doubled.

Example:
    >>> import tempfile
    >>> from modelbench.records import BenchmarkResult
    >>> spool = Spool(tempfile.mkdtemp(), "timescaledb", "db.example", 5432, "bench")
    >>> spool.add_results([BenchmarkResult(model_name="m", score=1.0)])
    >>> [kind for kind, _ in spool.entries()]
    ['results']
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import SchemaMissingError, StoreError, StoreUnavailableError
from ..records import BenchmarkResult, utcnow
from .samples import sample_items

log = logging.getLogger("modelbench.store")

__all__ = ["Spool", "default_spool_dir"]


def default_spool_dir() -> Path:
    """``$MODELBENCH_SPOOL_DIR`` or ``data/spool`` (relative to the working directory)."""
    return Path(os.environ.get("MODELBENCH_SPOOL_DIR") or "data/spool")


def _safe(part: object) -> str:
    return re.sub(r"[^A-Za-z0-9_.]+", "_", str(part)) or "_"


class Spool:
    """An append-only JSON-lines file of pending writes for one server and database."""

    def __init__(self, folder: str | Path, backend: str, host: str, port: int | None,
                 database: str, *, name: str | None = None) -> None:
        if name is None:
            name = "-".join(_safe(p) for p in (backend, host, port or "default", database))
            name += ".jsonl"
        self.path = Path(folder) / name

    @classmethod
    def for_store(cls, folder: str | Path, backend: str, where: str) -> Spool:
        """The spool of an embedded store (``where`` = its describe()): one file per store.

        >>> Spool.for_store("/tmp/s", "sqlite", "sqlite:data/benchmarks.db").path.name
        'sqlite-benchmarks.db-05e24af80f.jsonl'
        """
        import hashlib

        digest = hashlib.sha1(where.encode()).hexdigest()[:10]  # a/b.db and a_b.db differ
        return cls(folder, backend, "", None, "",
                   name=f"{_safe(backend)}-{_safe(Path(where).name)}-{digest}.jsonl")

    def __repr__(self) -> str:
        return f"Spool({str(self.path)!r})"

    # -- writing --------------------------------------------------------------------------
    def _append(self, entry: dict[str, Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            line = (json.dumps(entry, default=str, ensure_ascii=False) + "\n").encode()
            with self._locked("ab") as handle:
                size = handle.seek(0, os.SEEK_END)
                try:
                    handle.write(line)  # one write per entry: writers never interleave
                    handle.flush()
                    os.fsync(handle.fileno())
                except OSError:
                    handle.truncate(size)  # a full disk must not leave half an entry
                    raise
        except OSError as exc:
            raise StoreError(f"cannot keep unsent results in {self.path}: {exc.strerror}",
                             hint="set MODELBENCH_SPOOL_DIR to a writable folder") from exc

    def add_results(self, results: list[BenchmarkResult]) -> None:
        """Keep results that could not be written."""
        self._append({"kind": "results", "results": [r.to_dict() for r in results]})

    def add_measured(self, result: BenchmarkResult | None, samples: list[tuple[Any, str, Any]],
                     item_values: Any = None, predictions: Any = None) -> None:
        """Keep a measured result with all its sample series and per-item outcomes, as one
        entry (``result`` is ``None`` when only its samples/items are left to write)."""
        series = []
        for values, name, runs in samples:
            values = np.asarray(values, dtype=np.int64)
            runs = np.broadcast_to(np.asarray(0 if runs is None else runs, dtype=np.int64),
                                   values.shape)
            series.append({"series": name, "latencies_ns": values.tolist(),
                           "run_index": runs.tolist()})
        items = None
        if item_values is not None:
            items = {"values": [None if v != v else v for v in
                                np.asarray(item_values, dtype=np.float64).ravel().tolist()],
                     "predictions": list(predictions) if predictions is not None else None}
        self._append({"kind": "measured", "result": result.to_dict() if result else None,
                      "result_id": result.id if result else None, "samples": series,
                      "items": items})

    def add_samples(self, result_id: str, latencies_ns: np.ndarray,
                    timestamp: datetime | None, series: str = "call",
                    run_index: np.ndarray | int | None = None) -> None:
        """Keep the latency samples of one series of one result that could not be written."""
        values = np.asarray(latencies_ns, dtype=np.int64)
        runs = np.broadcast_to(np.asarray(0 if run_index is None else run_index,
                                          dtype=np.int64), values.shape)
        self._append({"kind": "samples", "result_id": result_id,
                      "timestamp": timestamp.isoformat() if timestamp else None,
                      "latencies_ns": values.tolist(), "series": series,
                      "run_index": runs.tolist()})

    # -- reading --------------------------------------------------------------------------
    def pending(self) -> bool:
        """Whether anything is waiting to be written."""
        return self.path.is_file() and self.path.stat().st_size > 0

    def entries(self) -> Iterator[tuple[str, Any]]:
        """``("results", [BenchmarkResult...])`` and
        ``("samples", (id, latencies, time, series, run_index))``."""
        if not self.path.is_file():
            return
        with self.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    log.warning("%s line %d is damaged and is skipped", self.path, number)
                    continue
                if entry["kind"] == "measured":
                    yield "measured", entry
                elif entry["kind"] == "results":
                    yield "results", [BenchmarkResult.from_dict(r) for r in entry["results"]]
                else:
                    stamp = entry["timestamp"]
                    values = np.asarray(entry["latencies_ns"], dtype=np.int64)
                    yield "samples", (entry["result_id"], values,
                                      datetime.fromisoformat(stamp) if stamp else None,
                                      entry.get("series", "call"),  # v1 spools: one series
                                      np.asarray(entry.get("run_index", 0), dtype=np.int64))

    def flush(self, write_results: Callable[[list[BenchmarkResult]], object],
              write_samples: Callable[..., object],
              stored_results: Callable[[list[str]], set[str]],
              stored_samples: Callable[[list[str]], set[str]], *,
              write_items: Callable[..., object] | None = None,
              has_items: Callable[[str], bool] | None = None,
              stored_keys: Callable[[list[BenchmarkResult]], dict[str, str]] | None = None
              ) -> int:
        """Write every pending entry through the given callables, then remove the file.

        ``stored_results(ids)``/``stored_samples(ids)`` say which result ids already have their
        row/their samples in the store; those entries are skipped, so a flush that is
        interrupted and repeated never doubles anything. ``stored_keys(results)``
        (``natural_key -> id``) names results stored under another id with the same natural
        key: such an entry is a second copy (a plan cell spooled on one node, then measured
        again and stored by another attempt) and is skipped whole — row, samples and items.
        Returns the number of results written. On failure the file is left as it was.
        """
        if not self.pending():
            return 0
        written = 0
        with self._locked("rb+"):
            entries = list(self.entries())
            result_ids = [r.id for kind, batch in entries if kind == "results" for r in batch]
            result_ids += [p["result_id"] for kind, p in entries if kind == "measured"
                           and p["result"]]
            sample_ids = [payload[0] for kind, payload in entries if kind == "samples"]
            sample_ids += [p["result_id"] for kind, p in entries if kind == "measured"]
            have_rows = stored_results(sorted(set(result_ids))) if result_ids else set()
            have_samples = stored_samples(sorted(set(sample_ids))) if sample_ids else set()
            taken = _taken_keys(entries, stored_keys)
            for kind, payload in entries:
                if kind == "measured":
                    if payload["result"] and _second_copy(
                            BenchmarkResult.from_dict(payload["result"]), taken):
                        continue
                    written += self._write_measured(payload, have_rows, have_samples,
                                                    write_results, write_samples,
                                                    write_items, has_items)
                elif kind == "results":
                    fresh = [r for r in payload if r.id not in have_rows
                             and not _second_copy(r, taken)]
                    if fresh:
                        write_results(fresh)
                        written += len(fresh)
                        have_rows.update(r.id for r in fresh)  # a later entry may repeat it
                elif payload[0] not in have_samples:
                    result_id, values, stamp, series, runs = payload
                    write_samples(result_id, values, stamp, series=series, run_index=runs)
            self.path.unlink()
        return written

    @staticmethod
    def _write_measured(entry: dict[str, Any], have_rows: set[str], have_samples: set[str],
                        write_results: Callable[..., object],
                        write_samples: Callable[..., object],
                        write_items: Callable[..., object] | None,
                        has_items: Callable[[str], bool] | None) -> int:
        result_id, written = entry["result_id"], 0
        if entry["result"] and result_id not in have_rows:
            write_results([BenchmarkResult.from_dict(entry["result"])])
            have_rows.add(result_id)
            written = 1
        if result_id not in have_samples:
            stamp = (BenchmarkResult.from_dict(entry["result"]).timestamp
                     if entry["result"] else None)
            for part in entry["samples"]:
                write_samples(result_id, np.asarray(part["latencies_ns"], dtype=np.int64),
                              stamp, series=part["series"],
                              run_index=np.asarray(part["run_index"], dtype=np.int64))
            have_samples.add(result_id)
        items = entry.get("items")
        if items and write_items is not None and not (has_items and has_items(result_id)):
            write_items(result_id, np.asarray([np.nan if v is None else v
                                               for v in items["values"]], dtype=np.float64),
                        items["predictions"])
        return written

    @contextmanager
    def _locked(self, mode: str) -> Iterator[Any]:
        """The spool file, opened with an exclusive lock (another process may be flushing)."""
        while True:
            with self.path.open(mode) as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
                try:
                    # A flush may have removed the file while we waited: use the new one.
                    if self.path.exists() and os.path.samestat(os.fstat(handle.fileno()),
                                                               os.stat(self.path)):
                        yield handle
                        return
                finally:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _taken_keys(entries: list[tuple[str, Any]],
                stored_keys: Callable[[list[BenchmarkResult]], dict[str, str]] | None
                ) -> dict[str, str]:
    """``natural_key -> id`` already stored for the spooled results' natural keys."""
    if stored_keys is None:
        return {}
    results = [r for kind, batch in entries if kind == "results" for r in batch]
    results += [BenchmarkResult.from_dict(p["result"]) for kind, p in entries
                if kind == "measured" and p["result"]]
    keyed = [r for r in results if r.natural_key]
    return dict(stored_keys(keyed)) if keyed else {}


def _second_copy(result: BenchmarkResult, taken: dict[str, str]) -> bool:
    """Whether another result with ``result``'s natural key is stored (or written earlier in
    this flush); otherwise its key is taken by it from now on."""
    if not result.natural_key:
        return False
    holder = taken.setdefault(result.natural_key, result.id)
    if holder != result.id:
        log.info("a spooled result %s is not written: %s already holds its natural key %s",
                 result.id, holder, result.natural_key)
        return True
    return False


class SpooledWrites:
    """Writes of a server backend that outlive the server going away.

    A subclass provides ``_write_results(batch)``, ``_write_sample_batch(items) -> rows`` and
    ``self._spool`` (a :class:`Spool`, or ``None`` for an embedded engine, which cannot go
    away). On :class:`StoreUnavailableError` the unsent rows go to the spool file, the error
    names it, and :meth:`_flush_spool` writes them on the next successful connection.
    """

    _spool: Spool | None
    SPOOL_HINT = ("they are written on the next successful connection; start the server "
                  "(./scripts/run.sh start-db) or check --host/--port")

    def _write_results(self, batch: list[BenchmarkResult]) -> None:
        raise NotImplementedError

    def _write_sample_batch(self, batch: list[tuple[str, np.ndarray, datetime, str,
                                                    np.ndarray]]) -> int:
        """Write normalised items ``(result_id, latencies, timestamp, series, run_index)``."""
        raise NotImplementedError

    def stored_result_ids(self, ids: Any) -> set[str]:
        raise NotImplementedError

    def result_ids_with_samples(self, ids: Any) -> set[str]:
        raise NotImplementedError

    def _flush_spool(self) -> None:
        if self._spool is None or not self._spool.pending():
            return
        try:
            self._spool.flush(self._write_results, self._write_samples,
                              self.stored_result_ids, self.result_ids_with_samples,
                              write_items=self.insert_item_results,
                              has_items=lambda rid: len(self.get_item_results(rid)[0]) > 0,
                              stored_keys=getattr(self, "stored_natural_keys", None))
        except StoreUnavailableError:
            raise
        except StoreError as exc:
            if not isinstance(exc, SchemaMissingError):  # else setup() flushes later
                log.warning("results kept in %s are not written yet: %s", self._spool.path,
                            exc.message)

    def _spooled(self, exc: StoreUnavailableError,
                 keep: Callable[[Spool], None]) -> StoreUnavailableError:
        if self._spool is None:
            return exc
        keep(self._spool)
        exc.spool_path = str(self._spool.path)
        exc.message += f"; unsent results kept in {self._spool.path}"
        exc.hint = self.SPOOL_HINT
        return exc

    def insert_results(self, results: Iterable[BenchmarkResult]) -> list[str]:
        batch = [r.validate() for r in results]
        if not batch:
            return []
        try:
            self._write_results(batch)
        except StoreUnavailableError as exc:
            raise self._spooled(exc, lambda spool: spool.add_results(batch)) from None
        return [r.id for r in batch]

    def _write_samples(self, result_id: str, values: np.ndarray, timestamp: datetime | None,
                       *, series: str = "call", run_index: Any = 0) -> None:
        self._write_sample_batch(
            [(rid, v, stamp or utcnow(), series_name, runs) for rid, v, stamp, series_name, runs
             in sample_items([(result_id, values, timestamp, series, run_index)])])

    def insert_samples_many(self, batch: Iterable[tuple[Any, ...]]) -> int:
        items = [(rid, values, stamp or utcnow(), series, runs)
                 for rid, values, stamp, series, runs in sample_items(batch)]
        try:
            return self._write_sample_batch(items)
        except StoreUnavailableError as exc:
            def keep(spool: Spool) -> None:
                for rid, values, stamp, series, runs in items:
                    spool.add_samples(rid, values, stamp, series, runs)
            raise self._spooled(exc, keep) from None
