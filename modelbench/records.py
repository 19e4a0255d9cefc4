"""The records every part of modelbench exchanges: one schema for measured and published numbers.

A measured result and a published one live in the same table, told apart by ``source``
(``local``, ``huggingface``, ``paperswithcode``, ``web``, ``image``) and carrying provenance.

Example:
    >>> r = BenchmarkResult(model_name="m", task_type="classification", dataset="d",
    ...                     metric="accuracy", score=0.9)
    >>> BenchmarkResult.from_dict(r.to_dict()) == r
    True
"""

from __future__ import annotations

import dataclasses
import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from .errors import ValidationError

__all__ = [
    "SOURCES",
    "STATUSES",
    "LatencyStats",
    "BenchmarkResult",
    "ModelMetadata",
    "DatasetMetadata",
    "Measurement",
    "utcnow",
    "new_id",
]

SOURCES = ("local", "huggingface", "paperswithcode", "web", "image")
STATUSES = ("ok", "error", "timeout")


def utcnow() -> datetime:
    """Timezone-aware current UTC time, truncated to microseconds (what every store keeps)."""
    return datetime.now(UTC)


def new_id() -> str:
    """A fresh result id (32 hex characters)."""
    return uuid.uuid4().hex


def _as_utc(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _finite_or_none(name: str, value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{name} must be a number, got {value!r}") from exc
    if not math.isfinite(number):
        raise ValidationError(
            f"{name} is {number}; NaN/inf values are not stored",
            hint="check the model outputs or mark the result status='error'",
        )
    return number


@dataclass
class LatencyStats:
    """Summary of per-call latencies, all in milliseconds except counts and throughput."""

    mean_ms: float
    median_ms: float
    stdev_ms: float
    min_ms: float
    max_ms: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    ci_low_ms: float | None = None
    ci_high_ms: float | None = None
    outliers: int = 0
    n_samples: int = 0
    throughput: float | None = None  # items per second

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LatencyStats:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


#: Columns of ``model_benchmarks`` that hold latency statistics, in LatencyStats field order.
LATENCY_COLUMNS = {f"latency_{f.name}": f.name for f in dataclasses.fields(LatencyStats)
                   if f.name.endswith("_ms")}


@dataclass
class BenchmarkResult:
    """One number about one model on one dataset and metric, measured here or published.

    ``score`` is ``None`` for results that failed (``status`` ``error``/``timeout``) and for
    speed-only results. ``extra`` holds anything else as JSON (e.g. ``{"parallel": true}``).
    """

    model_name: str
    task_type: str = ""
    dataset: str = ""
    metric: str = ""
    score: float | None = None
    model_version: str = ""
    dataset_split: str = ""
    id: str = field(default_factory=new_id)
    timestamp: datetime = field(default_factory=utcnow)
    status: str = "ok"
    error_message: str = ""
    runtime_ms: float | None = None
    memory_usage_mb: float | None = None
    python_peak_mb: float | None = None
    gpu_peak_mb: float | None = None
    latency: LatencyStats | None = None
    batch_size: int | None = None
    n_items: int | None = None
    warnings: list[str] = field(default_factory=list)
    environment: dict[str, Any] = field(default_factory=dict)
    env_hash: str = ""
    run_id: str = ""
    source: str = "local"
    source_url: str = ""
    collected_at: datetime | None = None
    extraction_method: str = ""
    confidence: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # -- schema v2 ---------------------------------------------------------------------------
    #: The score on the metric's canonical scale (fractions for bounded metrics); what
    #: ranking, deltas and leaderboards use. ``score`` keeps the value as given.
    score_canonical: float | None = None
    score_printed: str = ""  # the printed form of a published number ("97.2%"); '' measured
    metric_kind: str = ""  # 'score' | 'cost' | 'property' (metrics registry); '' unknown
    direction: str = ""  # 'higher' | 'lower' is better; '' unknown
    direction_guessed: bool = False  # direction taken from the metric's words, not the registry
    dataset_config: str = ""  # config / subset / language pair of the dataset
    quality_flag: str = ""  # e.g. 'out of range': shown, never ranked
    natural_key: str = ""  # ingest's de-duplication key
    n_runs: int | None = None  # independent runs behind the latency figures
    threads: int | None = None  # swept thread count, when set
    params: dict[str, Any] = field(default_factory=dict)  # swept values and cell parameters
    memory_setup_mb: float | None = None  # RSS after set-up, before the first call
    memory_peak_mb: float | None = None  # peak RSS during the calls
    model_memory_mb: float | None = None  # what the model is responsible for (peak - setup)
    per_item_median_ms: float | None = None
    git_commit: str = ""
    git_branch: str = ""
    git_dirty: bool | None = None
    cell_key: str = ""  # a plan cell's identity (resume)
    #: Named latency series (``call``, ``load``, ``first_call``, ``ttft``, ``tpot``, ``itl``,
    #: ``e2e`` ...) -> LatencyStats dict; ``latency`` is the ``call`` series.
    series_stats: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.timestamp = _as_utc(self.timestamp) or utcnow()
        self.collected_at = _as_utc(self.collected_at)
        if isinstance(self.latency, dict):
            self.latency = LatencyStats.from_dict(self.latency)

    def validate(self) -> BenchmarkResult:
        """Check values before storing; raises :class:`ValidationError` naming the field."""
        if not self.model_name or not str(self.model_name).strip():
            raise ValidationError("model_name is empty", hint="give every result a model name")
        if self.status not in STATUSES:
            raise ValidationError(f"status {self.status!r} is not one of {STATUSES}")
        if self.source not in SOURCES:
            raise ValidationError(f"source {self.source!r} is not one of {SOURCES}")
        self.score = _finite_or_none("score", self.score)
        for name in ("runtime_ms", "memory_usage_mb", "python_peak_mb", "gpu_peak_mb",
                     "confidence", "score_canonical", "memory_setup_mb", "memory_peak_mb",
                     "model_memory_mb", "per_item_median_ms"):
            setattr(self, name, _finite_or_none(name, getattr(self, name)))
        if self.latency is not None:
            for f in dataclasses.fields(LatencyStats):
                value = getattr(self.latency, f.name)
                if f.type in ("float", "float | None"):
                    _finite_or_none(f"latency.{f.name}", value)
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (timestamps as ISO 8601 strings)."""
        data = dataclasses.asdict(self)
        data["timestamp"] = self.timestamp.isoformat()
        data["collected_at"] = self.collected_at.isoformat() if self.collected_at else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BenchmarkResult:
        """Inverse of :meth:`to_dict`; unknown keys are ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    # -- flat rows, the store's view -------------------------------------------------------
    def to_row(self) -> dict[str, Any]:
        """One flat row for ``model_benchmarks`` (JSON fields serialised)."""
        row = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
               if f.name not in _JSON_FIELDS and f.name != "latency"}
        stats = self.latency
        for column, attr in LATENCY_COLUMNS.items():
            row[column] = getattr(stats, attr) if stats else None
        row["outliers"] = stats.outliers if stats else None
        row["n_samples"] = stats.n_samples if stats else None
        row["throughput"] = stats.throughput if stats else None
        row["warnings"] = json.dumps(self.warnings)
        for name in ("environment", "extra", "params", "series_stats"):
            row[name] = json.dumps(getattr(self, name), sort_keys=True, default=str)
        row["direction_guessed"] = int(bool(self.direction_guessed))
        row["git_dirty"] = None if self.git_dirty is None else int(bool(self.git_dirty))
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BenchmarkResult:
        """Inverse of :meth:`to_row`; tolerates missing columns and backend value types."""
        data = dict(row)
        latency = None
        if data.get("latency_median_ms") is not None:
            values = {attr: data.get(column) for column, attr in LATENCY_COLUMNS.items()}
            values.update(outliers=int(data.get("outliers") or 0),
                          n_samples=int(data.get("n_samples") or 0),
                          throughput=data.get("throughput"))
            latency = LatencyStats(**values)
        data["latency"] = latency
        for key in _JSON_FIELDS:
            value = data.get(key)
            if isinstance(value, (str, type(None))):
                data[key] = json.loads(value or ("[]" if key == "warnings" else "{}"))
        for key in _TEXT_FIELDS:
            if data.get(key) is None:
                data[key] = ""
        for key in ("batch_size", "n_items", "n_runs", "threads"):
            if data.get(key) is not None:
                data[key] = int(data[key])
        data["direction_guessed"] = bool(data.get("direction_guessed") or 0)
        if data.get("git_dirty") is not None:
            data["git_dirty"] = bool(int(data["git_dirty"]))
        return cls.from_dict(data)


_JSON_FIELDS = ("warnings", "environment", "extra", "params", "series_stats")
#: Text fields a store may hand back as NULL (v1 rows migrated, or another backend's types).
_TEXT_FIELDS = tuple(f.name for f in dataclasses.fields(BenchmarkResult)
                     if f.type == "str" and f.name not in ("model_name", "id"))


@dataclass
class Measurement:
    """What measuring one model hands to a sink: the result and everything behind it.

    ``samples`` maps a latency series name (``call``, ``load``, ``first_call``, ``ttft`` ...)
    to ``(latencies_ns, run_index)``, two int64 arrays of one length in call order.
    ``item_values`` holds per-item correctness (0/1) or loss, ``item_predictions`` the
    model's outputs per item; both feed paired quality tests.

    >>> import numpy as np
    >>> m = Measurement(BenchmarkResult(model_name="m"))
    >>> m.add_series("call", [120, 130], run_index=1)
    >>> m.samples["call"][1].tolist()
    [1, 1]
    """

    result: BenchmarkResult
    samples: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    item_values: Any = None
    item_predictions: list[Any] | None = None

    def add_series(self, series: str, latencies_ns: Any, run_index: Any = 0) -> None:
        """Append latencies (and their run index, an int or one per latency) to a series."""
        import numpy as np

        values = np.asarray(latencies_ns, dtype=np.int64).ravel()
        runs = np.broadcast_to(np.asarray(run_index, dtype=np.int64), values.shape)
        if series in self.samples:
            old_values, old_runs = self.samples[series]
            values = np.concatenate([old_values, values])
            runs = np.concatenate([old_runs, runs])
        self.samples[series] = (values, np.array(runs, dtype=np.int64))


class _MetadataRecord:
    """Shared conversions of the metadata records. Subclasses name their JSON list field
    and their integer fields (backends may hand integers back as other number types)."""

    _JSON_LIST: str = ""
    _INTEGERS: tuple[str, ...] = ()
    updated_at: datetime
    extra: dict[str, Any]

    def __post_init__(self) -> None:
        self.updated_at = _as_utc(self.updated_at) or utcnow()

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)  # type: ignore[call-overload]
        data["updated_at"] = self.updated_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})

    def to_row(self) -> dict[str, Any]:
        row = dataclasses.asdict(self)  # type: ignore[call-overload]
        row["updated_at"] = self.updated_at
        row[self._JSON_LIST] = json.dumps(getattr(self, self._JSON_LIST))
        row["extra"] = json.dumps(self.extra, sort_keys=True, default=str)
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Any:
        data = dict(row)
        data[cls._JSON_LIST] = json.loads(data.get(cls._JSON_LIST) or "[]")
        data["extra"] = json.loads(data.get("extra") or "{}")
        for key in cls._INTEGERS:
            if data.get(key) is not None:
                data[key] = int(data[key])
        return cls.from_dict(data)


@dataclass
class ModelMetadata(_MetadataRecord):
    """What is known about a model: the seed's fields plus provenance."""

    _JSON_LIST: ClassVar[str] = "tags"
    _INTEGERS: ClassVar[tuple[str, ...]] = ("parameters", "downloads", "likes")

    model_name: str
    model_version: str = ""
    architecture: str = ""
    parameters: int | None = None
    framework: str = ""
    task_type: str = ""
    license: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    downloads: int | None = None
    likes: int | None = None
    source: str = "local"
    source_url: str = ""
    updated_at: datetime = field(default_factory=utcnow)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class DatasetMetadata(_MetadataRecord):
    """What is known about a benchmark dataset."""

    _JSON_LIST: ClassVar[str] = "metrics"
    _INTEGERS: ClassVar[tuple[str, ...]] = ("num_samples",)

    name: str
    task_type: str = ""
    description: str = ""
    num_samples: int | None = None
    citation: str = ""
    url: str = ""
    metrics: list[str] = field(default_factory=list)
    source: str = "local"
    updated_at: datetime = field(default_factory=utcnow)
    extra: dict[str, Any] = field(default_factory=dict)
