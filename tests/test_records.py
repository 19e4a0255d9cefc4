"""Records: round trips and validation."""

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest

from modelbench.errors import ValidationError
from modelbench.records import BenchmarkResult, DatasetMetadata, LatencyStats, ModelMetadata


def _result(**kw):
    stats = LatencyStats(mean_ms=1.5, median_ms=1.2, stdev_ms=0.3, min_ms=1.0, max_ms=4.0,
                         p50_ms=1.2, p90_ms=2.0, p95_ms=2.5, p99_ms=3.9, ci_low_ms=1.1,
                         ci_high_ms=1.3, outliers=2, n_samples=100, throughput=800.0)
    base = dict(model_name="bert", model_version="1", task_type="classification",
                dataset="sst2", metric="accuracy", score=0.91, latency=stats,
                warnings=["spread is large"], environment={"cpu": "x", "cores": 2},
                extra={"parallel": True, "cores": [0]})
    base.update(kw)
    return BenchmarkResult(**base)


def test_dict_and_row_round_trips_are_lossless():
    r = _result()
    assert BenchmarkResult.from_dict(r.to_dict()) == r
    assert BenchmarkResult.from_row(r.to_row()) == r


def test_naive_timestamps_are_taken_as_utc_and_offsets_converted():
    naive = _result(timestamp=datetime(2026, 1, 2, 3, 4, 5))
    assert naive.timestamp.tzinfo == UTC
    shifted = _result(timestamp=datetime(2026, 1, 2, 5, 4, 5,
                                         tzinfo=timezone(timedelta(hours=2))))
    assert shifted.timestamp == naive.timestamp
    assert _result(timestamp="2026-01-02T03:04:05Z").timestamp == naive.timestamp


@pytest.mark.parametrize("field", ["score", "runtime_ms", "memory_usage_mb", "confidence"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_refused_with_the_field_named(field, bad):
    with pytest.raises(ValidationError, match=field):
        _result(**{field: bad}).validate()


def test_nan_latency_is_refused():
    r = _result()
    r.latency.p99_ms = math.nan
    with pytest.raises(ValidationError, match="latency.p99_ms"):
        r.validate()


@pytest.mark.parametrize(("kw", "match"), [({"model_name": " "}, "model_name"),
                                            ({"status": "crashed"}, "status"),
                                            ({"source": "twitter"}, "source"),
                                            ({"score": "high"}, "score")])
def test_invalid_fields_are_named(kw, match):
    with pytest.raises(ValidationError, match=match):
        _result(**kw).validate()


def test_metadata_round_trips():
    m = ModelMetadata(model_name="org/m", parameters=124_000_000, tags=["a", "b"],
                      downloads=10, extra={"k": 1})
    assert ModelMetadata.from_dict(m.to_dict()) == m
    assert ModelMetadata.from_row(m.to_row()) == m
    d = DatasetMetadata(name="squad", metrics=["f1", "exact_match"], num_samples=100)
    assert DatasetMetadata.from_dict(d.to_dict()) == d
    assert DatasetMetadata.from_row(d.to_row()) == d
