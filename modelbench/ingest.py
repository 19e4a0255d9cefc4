"""The one way results enter a store: measuring (:class:`StoreSink`), collecting, reading
images and importing all call :func:`ingest`.

Each result is validated on its own (a bad value is one skipped result with its reason, never
a lost batch), put on its metric's canonical scale (``score_canonical``, the printed form, the
metric's kind and direction from :mod:`modelbench.metrics`, ``quality_flag`` when outside the
metric's range, the conversion rule in ``extra["canonical_rule"]``), given its natural key —
source, model, task, dataset + config + split, metric and provenance — and stored only when
that key is new. Re-collecting or re-reading the same page or image stores nothing new.

Example:
    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult as R
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> page = [R(model_name="m", dataset="sst2", metric="accuracy", score=97.2, source="web",
    ...           source_url="https://example.org/board", extra={"raw": "97.2%"}),
    ...         R(model_name="bad", metric="accuracy", score=float("nan"), source="web")]
    >>> report = ingest(db, page)
    >>> report.stored, report.duplicates, [why[:18] for _, why in report.skipped]
    (1, 0, ['score is nan; NaN/'])
    >>> db.query_results()[0].score_canonical
    0.972
    >>> ingest(db, page[:1]).duplicates  # the same page again: nothing new
    1
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import warnings as pywarnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import metrics
from .errors import (
    ConfigError,
    ModelBenchError,
    StoreError,
    StoreUnavailableError,
    ValidationError,
)
from .records import BenchmarkResult, Measurement, ModelMetadata

__all__ = ["IngestReport", "Ingestor", "ingest", "canonicalise", "natural_key", "StoreSink",
           "WorkerSink", "PASSWORD_ENV", "BATCH"]

#: Results written per insert call.
BATCH = 5000
#: ``extra`` fields that locate a value inside its provenance (a table row, a box in an image).
_LOCATORS = ("table", "row", "box", "series", "section", "task")
#: Columns needed to work out the natural key of a stored row that has none (schema v1).
_KEY_COLUMNS = ("id", "natural_key", "source", "model_name", "model_version", "task_type",
                "dataset", "dataset_config", "dataset_split", "metric", "source_url", "extra")


@dataclass
class IngestReport:
    """What one :func:`ingest` call did: ``stored`` results (their ``ids``), ``skipped``
    ``(result, reason)`` pairs, ``duplicates`` already in the store, ``models`` upserted."""

    stored: int = 0
    skipped: list[tuple[BenchmarkResult, str]] = field(default_factory=list)
    duplicates: int = 0
    ids: list[str] = field(default_factory=list)
    models: int = 0
    flagged: int = 0  # stored, but outside the metric's range: shown, never ranked

    def summary(self, where: str = "") -> str:
        """One line for a face: ``stored 3 result(s) in X; 2 already there; 1 skipped``.

        >>> IngestReport(stored=3, duplicates=2).summary("sqlite:x.db")
        'stored 3 result(s) in sqlite:x.db; 2 already there were skipped'
        """
        text = f"stored {self.stored} result(s)" + (f" in {where}" if where else "")
        if self.duplicates:
            text += f"; {self.duplicates} already there were skipped"
        if self.skipped:
            text += f"; {len(self.skipped)} invalid value(s) skipped"
        if self.flagged:
            text += f"; {self.flagged} outside the metric's range (flagged, not ranked)"
        return text


def _printed(result: BenchmarkResult) -> str:
    if result.score_printed:
        return result.score_printed
    if result.extra.get("raw"):
        return str(result.extra["raw"])
    if result.extra.get("percent") and result.score is not None:
        return f"{result.score:g}%"
    return ""


def canonicalise(result: BenchmarkResult) -> BenchmarkResult:
    """Fill the canonical-scale fields of ``result`` from the metric registry (in place).

    >>> r = canonicalise(BenchmarkResult(model_name="m", metric="Top-1 Accuracy", score=76.1,
    ...                                  source="paperswithcode"))
    >>> r.metric, r.score_canonical, r.metric_kind, r.extra["canonical_rule"][:19]
    ('accuracy', 0.761, 'score', 'percent -> fraction')
    """
    if result.source != "local" and result.metric:
        # Published spellings meet measured names ("Top-1 Accuracy" is accuracy); the
        # printed name stays in extra for provenance.
        name = metrics.canonical_name(result.metric)
        if name != result.metric:
            result.extra.setdefault("metric_name", result.metric)
            result.metric = name
    record = metrics.info(result.metric) if result.metric else None
    if record is not None:
        result.metric_kind = result.metric_kind or record.kind
        result.direction = result.direction or record.direction
        result.direction_guessed = result.direction_guessed or record.guessed
    if result.source != "local":
        result.score_printed = _printed(result)
    if result.score is None or record is None:
        return result
    if result.score_canonical is None:
        value, rule = metrics.canonical_value(
            result.metric, result.score, result.score_printed or None,
            printed_name=str(result.extra.get("metric_name") or ""))
        result.score_canonical = value
        if rule:
            result.extra["canonical_rule"] = rule
    if not result.quality_flag:
        result.quality_flag = metrics.range_flag(result.metric, result.score_canonical)
    return result


def _key_of(fields: dict[str, Any]) -> str:
    source = str(fields.get("source") or "")
    extra = fields.get("extra") or {}
    if isinstance(extra, str):
        try:
            extra = json.loads(extra or "{}")
        except ValueError:
            extra = {}
    if source == "local":
        run_id, cell = fields.get("run_id"), fields.get("cell_key")
        if extra.get("one_per_cell") and run_id and cell:  # a plan's cell: one per run
            return f"local:{run_id}/{cell}/{fields.get('metric') or ''}"
        return f"local:{fields.get('id')}"  # every measurement is its own
    where = [str(fields.get("source_url") or "")]
    where += [f"{k}={json.dumps(extra[k], sort_keys=True)}" for k in _LOCATORS if k in extra]
    parts = [source, *(str(fields.get(k) or "") for k in (
        "model_name", "model_version", "task_type", "dataset", "dataset_config",
        "dataset_split", "metric")), *where]
    digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]
    return f"{source}:{digest}"


def natural_key(result: BenchmarkResult) -> str:
    """The de-duplication key: source, model, task, dataset + config + split, metric and
    provenance (URL or file, and the row/box the value was read from). A measured result's
    key is its id — except a plan cell's (``extra["one_per_cell"]``, set for the cells of a
    plan run): its run id, cell key and metric, so a cell measured twice under one run id
    (spooled on one node, measured again on another) is stored once.

    >>> a = BenchmarkResult(model_name="m", metric="f1", score=0.5, source="web",
    ...                     source_url="u", extra={"row": 3})
    >>> b = BenchmarkResult(model_name="m", metric="f1", score=0.5, source="web",
    ...                     source_url="u", extra={"row": 3, "collected": "later"})
    >>> natural_key(a) == natural_key(b), natural_key(a).startswith("web:")
    (True, True)
    >>> natural_key(BenchmarkResult(model_name="m", metric="f1", run_id="r1", cell_key="c9",
    ...                             extra={"one_per_cell": True}))
    'local:r1/c9/f1'
    """
    return _key_of({**result.to_dict(), "extra": result.extra})


def _stored_keys(db: Any, sources: set[str]) -> set[str]:
    from .store import ResultFilter

    keys: set[str] = set()
    for source in sorted(sources):
        for row in db.select_columns(_KEY_COLUMNS, ResultFilter(source=source)):
            keys.add(row.get("natural_key") or _key_of(row))
    return keys


class Ingestor:
    """:func:`ingest` over many batches (a streamed dump): the store's keys are read once.

    >>> from modelbench import get_database_manager
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> into = Ingestor(db)
    >>> row = dict(model_name="m", metric="f1", score=0.5, source="web", source_url="u")
    >>> [into.add([BenchmarkResult(**row)]).stored for _ in range(2)], into.total.duplicates
    ([1, 0], 1)
    """

    def __init__(self, db: Any, *, dry_run: bool = False, batch: int = BATCH,
                 fresh_local: bool = False) -> None:
        self.db, self.dry_run, self.batch = db, dry_run, batch
        # Results just measured have new ids: no need to ask the store (which may be away).
        self.fresh_local = fresh_local
        self.total = IngestReport()
        self._seen: set[str] = set()
        self._loaded: set[str] = set()

    def _fresh(self, results: Iterable[BenchmarkResult], report: IngestReport
               ) -> list[BenchmarkResult]:
        fresh = []
        for result in results:
            try:
                result.validate()
            except ValidationError as exc:
                report.skipped.append((result, exc.message))
                continue
            canonicalise(result)
            result.natural_key = result.natural_key or natural_key(result)
            fresh.append(result)
        return fresh

    def _load_keys(self, fresh: list[BenchmarkResult]) -> None:
        sources = {r.source for r in fresh if r.source != "local"} - self._loaded
        self._seen |= _stored_keys(self.db, sources)
        self._loaded |= sources
        local = [r for r in fresh if r.source == "local"]
        if local and not self.fresh_local:
            self._seen |= {f"local:{i}" for i in self.db.stored_result_ids([r.id for r in local])}
        cells = [r for r in local if r.natural_key != f"local:{r.id}"]
        if cells:
            self._seen |= self._stored_cells(cells)

    def _stored_cells(self, cells: list[BenchmarkResult]) -> set[str]:
        """The natural keys of these plan cells' results that the store already holds (under
        another attempt's id). Results just measured are written when the store cannot say
        (a server away spools them; the spool's replay skips a second copy)."""
        try:
            return set(self.db.stored_natural_keys(cells))
        except StoreError:
            if not self.fresh_local:
                raise
            return set()

    def add(self, results: Iterable[BenchmarkResult], *,
            models: Sequence[ModelMetadata] | None = None) -> IngestReport:
        """Ingest one batch; returns its report (and adds it to :attr:`total`)."""
        report = IngestReport()
        fresh = self._fresh(results, report)
        self._load_keys(fresh)
        new = []
        for result in fresh:
            if result.natural_key in self._seen:
                report.duplicates += 1
                continue
            self._seen.add(result.natural_key)
            new.append(result)
        report.flagged = sum(1 for r in new if r.quality_flag)
        if models and not self.dry_run:
            report.models = self.db.upsert_models(models)
        if not self.dry_run:
            report.models += self._parameter_counts(new)
        for start in range(0, len(new), self.batch):
            chunk = new[start:start + self.batch]
            if not self.dry_run:
                self.db.insert_results(chunk)
            report.ids.extend(r.id for r in chunk)
            report.stored += len(chunk)
        self._merge(report)
        return report

    def _parameter_counts(self, new: list[BenchmarkResult]) -> int:
        """A published parameter count is a model property: it goes into the model's metadata
        too, where none is known (a count from the Hub is never overwritten)."""
        counts = {r.model_name: r for r in new if r.metric == "parameters"
                  and r.score_canonical is not None and not r.quality_flag}
        if not counts:
            return 0
        known = {m.model_name: m for m in self.db.list_models()}
        rows = []
        for name, result in counts.items():
            meta = known.get(name)
            if meta is None:
                meta = ModelMetadata(model_name=name, source=result.source,
                                     source_url=result.source_url)
            elif meta.parameters is not None:
                continue
            meta.parameters = int(round(result.score_canonical or 0))
            rows.append(meta)
        return self.db.upsert_models(rows) if rows else 0

    def _merge(self, report: IngestReport) -> None:
        total = self.total
        total.stored += report.stored
        total.duplicates += report.duplicates
        total.skipped.extend(report.skipped)
        total.ids.extend(report.ids)
        total.models += report.models
        total.flagged += report.flagged


def ingest(db: Any, results: Iterable[BenchmarkResult], *,
           models: Sequence[ModelMetadata] | None = None, dry_run: bool = False,
           batch: int = BATCH) -> IngestReport:
    """Validate, canonicalise, de-duplicate and store ``results`` (and upsert ``models``).

    With ``dry_run`` nothing is written; the report says what would be. Store failures raise
    :class:`~modelbench.errors.StoreError`; invalid values never do (they are ``skipped``).
    """
    return Ingestor(db, dry_run=dry_run, batch=batch).add(results, models=models)


class StoreSink:
    """Where measuring hands each :class:`~modelbench.records.Measurement`: the result goes in
    through :func:`ingest`, then its latency samples (every series, with run indexes) and its
    per-item results. A store failure becomes a warning on the result (the server backends
    keep unsent writes in their spool) and is never raised.

    >>> from modelbench import get_database_manager
    >>> db = get_database_manager("sqlite", path=":memory:")
    >>> m = Measurement(BenchmarkResult(model_name="m", metric="accuracy", score=1.0))
    >>> m.add_series("call", [1000, 1100], run_index=0)
    >>> StoreSink(db)(m)
    {'stored': True, 'samples_stored': 2, 'items_stored': 0}
    """

    def __init__(self, db: Any, *, store_samples: bool = True) -> None:
        self.db = db
        self.store_samples = store_samples
        self._ready = False

    def for_workers(self) -> WorkerSink:
        """This sink's store as Ray workers write to it (:class:`WorkerSink`)."""
        return WorkerSink.for_store(self.db)

    def _warn(self, result: BenchmarkResult, message: str) -> None:
        result.warnings.append(message)
        pywarnings.warn(message, RuntimeWarning, stacklevel=3)

    def __call__(self, measurement: Measurement) -> dict[str, Any]:
        result = measurement.result
        if self.db is None:
            return {"stored": False}
        if hasattr(self.db, "keep_result"):
            return self._keep(measurement)
        try:
            if not self._ready:  # setup() is idempotent; the seed never called it
                try:
                    self.db.setup()
                    self._ready = True
                except StoreUnavailableError:
                    pass  # the insert below is spooled by a server backend, or says why not
            report = Ingestor(self.db, fresh_local=True).add([result])
        except StoreError as exc:
            spool = exc.spool_path if isinstance(exc, StoreUnavailableError) else None
            where = f"; kept in {spool}" if spool and spool not in str(exc) else ""
            self._warn(result, f"result not stored: {exc}{where}")
            return {"stored": False, "store_error": str(exc)}
        if report.skipped:
            reason = report.skipped[0][1]
            self._warn(result, f"result not stored: {reason}")
            return {"stored": False, "skipped": reason}
        if not report.stored:
            return self._second_copy(result)
        return {"stored": True, **self._details(measurement)}

    def _second_copy(self, result: BenchmarkResult) -> dict[str, Any]:
        """A result the store already holds under its natural key: not stored again."""
        if result.source == "local" and result.cell_key:
            self._warn(result, f"result not stored: run {result.run_id} already has this "
                               f"cell's {result.metric} result (another attempt's, stored "
                               "first, is kept)")
        return {"stored": False, "duplicate": True}

    def _keep(self, measurement: Measurement) -> dict[str, Any]:
        """Validated and canonicalised here, then written by ``keep_result``: what the store
        cannot take (server away, SQLite lock, read-only or full disk) — the result, every
        sample series, the per-item values — is spooled as ONE entry and written by the next
        ``setup()``, so a spooled result never loses its samples."""
        result = measurement.result
        report = Ingestor(self.db, dry_run=True, fresh_local=True).add([result])
        if report.skipped:
            reason = report.skipped[0][1]
            self._warn(result, f"result not stored: {reason}")
            return {"stored": False, "skipped": reason}
        if report.duplicates:
            return self._second_copy(result)
        samples = ([(latencies, series, runs)
                    for series, (latencies, runs) in measurement.samples.items()]
                   if self.store_samples else [])
        items = measurement.item_values
        has_items = items is not None and len(items) > 0
        info = self.db.keep_result(result, samples, item_values=items if has_items else None,
                                   predictions=measurement.item_predictions if has_items
                                   else None)
        info["items_stored"] = len(items) if has_items and info["stored"] and \
            not info["store_error"] else 0
        if info["store_error"]:
            kept = (f"; kept in {info['spool_path']} (written on the next setup)"
                    if info["spool_path"] else "; it could not be kept on disk either")
            self._warn(result, f"result not stored: {info['store_error']}{kept}")
        return {k: v for k, v in info.items() if v is not None}

    def _details(self, measurement: Measurement) -> dict[str, Any]:
        result = measurement.result
        info: dict[str, Any] = {"samples_stored": 0, "items_stored": 0}
        try:
            if self.store_samples:
                for series, (latencies, runs) in measurement.samples.items():
                    if len(latencies):
                        info["samples_stored"] += self.db.insert_samples(
                            result.id, latencies, result.timestamp, series=series,
                            run_index=runs)
            if measurement.item_values is not None and len(measurement.item_values):
                info["items_stored"] = self.db.insert_item_results(
                    result.id, measurement.item_values, measurement.item_predictions)
        except (StoreError, ValidationError) as exc:
            self._warn(result, f"samples or item results not stored: {exc}")
            info["store_error"] = str(exc)
        return info


#: The variable a Ray worker reads its store's password from, in its own environment (the
#: one ``ray start`` ran in on its node): the password never travels in a task's arguments
#: or its ``runtime_env`` (Ray shows those on its dashboard and logs them).
PASSWORD_ENV = "MODELBENCH_DB_PASSWORD"
#: The stores a worker process opened, by sink: one connection (and one setup) per worker,
#: not per result; a manager reconnects by itself and writes its spool when it does.
_OPENED: dict[str, Any] = {}


@dataclass(frozen=True)
class WorkerSink:
    """A sink that travels to a Ray worker and writes the cell's results there, into the
    driver's server store (``results = "direct"``), through :class:`StoreSink` and so through
    the store's spool: while the server is away, the result, its samples and items are kept
    in the node's spool folder (``spool_dir``, else ``$MODELBENCH_SPOOL_DIR``, else
    ``~/.modelbench/spool``) and written by the next connection from that node. Each result
    records the writer in ``extra["written_by"]`` (node and process id).

    It holds the store's location, never its password: ``password_env`` names the variable
    the worker reads it from (``None``: the store takes none). An embedded store (SQLite,
    chdb) cannot be shared by the nodes: :meth:`for_store` refuses it.

    >>> from modelbench import get_database_manager
    >>> WorkerSink.for_store(get_database_manager("sqlite", path=":memory:"))
    Traceback (most recent call last):
    ...
    modelbench.errors.ConfigError: results = "direct" needs a server store (...); sqlite:...
    >>> sink = WorkerSink("timescaledb", {"host": "db", "port": 5432, "user": "u",
    ...                                    "database": "bench"})
    >>> sink.password_env, sink.where()  # a variable's name travels, never a password
    ('MODELBENCH_DB_PASSWORD', 'timescaledb://u@db:5432/bench')
    """

    backend: str
    location: dict[str, Any]
    password_env: str | None = PASSWORD_ENV
    spool_dir: str | None = None

    @classmethod
    def for_store(cls, db: Any, *, spool_dir: str | None = None) -> WorkerSink:
        """The worker sink of the driver's store ``db`` (its location; the password's name)."""
        if getattr(db, "backend", "") not in ("timescaledb", "clickhouse") or \
                getattr(db, "embedded", False):
            where = db.describe() if db is not None else "no store"
            raise ConfigError(
                'results = "direct" needs a server store (PostgreSQL/TimescaleDB or '
                f"ClickHouse); {where} is a file only this machine can write",
                hint="use --results driver (the default), or point --db-type/--host (or "
                     "MODELBENCH_DB_URL) at a server every node reaches")
        location = {"host": db.host, "port": db.port, "user": db.user,
                    "database": db.database}
        if getattr(db, "secure", False):
            location["secure"] = True
        return cls(db.backend, location, PASSWORD_ENV if db._password else None, spool_dir)

    def where(self) -> str:
        """The store, as a URL without a password."""
        loc = self.location
        return f"{self.backend}://{loc['user']}@{loc['host']}:{loc['port']}/{loc['database']}"

    def open(self) -> Any:
        """The store, opened on this node with the password from its environment."""
        from .store import get_database_manager

        password = None
        if self.password_env:
            password = os.environ.get(self.password_env)
            if not password:
                raise ConfigError(
                    f"{self.password_env} is not set on node {socket.gethostname()}, so its "
                    f"Ray worker cannot log in to {self.where()}",
                    hint=f"start Ray on every node with {self.password_env} set "
                         f"({self.password_env}=... ray start ...)")
        folder = self.spool_dir or os.environ.get("MODELBENCH_SPOOL_DIR") or \
            os.path.join(os.path.expanduser("~"), ".modelbench", "spool")
        return get_database_manager(self.backend, **self.location, password=password,
                                    spool_dir=folder)

    def store(self) -> Any:
        """The store of this sink in this process, opened once (:meth:`open`)."""
        key = repr(self)  # the location and the password's name, never a password
        if key not in _OPENED:
            _OPENED[key] = self.open()
        return _OPENED[key]

    def stored_earlier(self, run_id: str, cell_key: str, model_name: str
                       ) -> list[BenchmarkResult]:
        """The results of cell ``cell_key`` stored under ``run_id`` (by an attempt whose
        worker was lost after writing); ``[]`` when there is no run id or the store cannot
        say."""
        from .store import ResultFilter

        if not run_id:
            return []
        try:
            found = self.store().query_results(ResultFilter(run_id=run_id,
                                                            model_name=model_name,
                                                            source="local"))
        except ModelBenchError:
            return []
        return [r for r in found if r.cell_key == cell_key]

    def __call__(self, measurement: Measurement) -> dict[str, Any]:
        measurement.result.extra["written_by"] = {"node": socket.gethostname(),
                                                  "pid": os.getpid()}
        try:
            db = self.store()
        except ModelBenchError as exc:  # nothing written or spooled: the driver writes it
            return {"stored": False, "store_error": str(exc)}
        return StoreSink(db)(measurement)

