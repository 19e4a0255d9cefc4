"""Deterministic, realistic results for the contract suite, and the answers computed in Python."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from modelbench.records import BenchmarkResult, LatencyStats

T0 = datetime(2026, 3, 30, 22, 15, 30, 123456, tzinfo=UTC)  # crosses a month boundary
MODELS = ("bert-base-uncased", "roberta-large", "distilbert-base", "gpt2", "t5-small")
TASKS = (("text-classification", "sst2", "accuracy"), ("text-classification", "imdb", "f1"),
         ("summarization", "cnn_dailymail", "rouge1"), ("regression", "stsb", "mse"))


def latency(median_ms: float, n: int = 50) -> LatencyStats:
    return LatencyStats(mean_ms=median_ms * 1.05, median_ms=median_ms, stdev_ms=median_ms / 10,
                        min_ms=median_ms / 2, max_ms=median_ms * 3, p50_ms=median_ms,
                        p90_ms=median_ms * 1.5, p95_ms=median_ms * 1.7, p99_ms=median_ms * 2.5,
                        ci_low_ms=median_ms * 0.97, ci_high_ms=median_ms * 1.03, outliers=2,
                        n_samples=n, throughput=1000.0 / median_ms)


def full_result(**overrides: Any) -> BenchmarkResult:
    """A result with every field set (provenance, environment, extras, warnings)."""
    values: dict[str, Any] = dict(
        model_name="bert-base-uncased", model_version="v1.2", task_type="text-classification",
        dataset="sst2", dataset_split="validation", metric="accuracy", score=0.9123456789012345,
        timestamp=T0, status="ok", runtime_ms=1234.5, memory_usage_mb=512.25,
        python_peak_mb=48.5, gpu_peak_mb=None, latency=latency(3.25), batch_size=32,
        n_items=872, warnings=["slow first call"], environment={"cpu": "x86_64", "cores": 2},
        env_hash="abc123", run_id="run-1", source="huggingface",
        source_url="https://huggingface.co/bert-base-uncased",
        collected_at=T0 - timedelta(days=1), extraction_method="model-index", confidence=0.95,
        extra={"note": "ok", "nested": {"k": [1, 2]}})
    values.update(overrides)
    return BenchmarkResult(**values)


def dataset(n_per: int = 3) -> list[BenchmarkResult]:
    """Results over 5 models x 4 tasks x n_per runs, spread over hours and two months."""
    rng = np.random.default_rng(7)
    out = []
    step = 0
    for model_index, model in enumerate(MODELS):
        for task, data, metric in TASKS:
            for run in range(n_per):
                step += 1
                score = round(float(rng.uniform(0.5, 0.95)), 6)
                status = "error" if (model_index + run) % 7 == 6 else "ok"
                out.append(BenchmarkResult(
                    model_name=model, task_type=task, dataset=data, metric=metric,
                    score=None if status == "error" else score, status=status,
                    error_message="boom" if status == "error" else "",
                    timestamp=T0 + timedelta(minutes=37 * step),
                    latency=None if run == 2 else latency(float(rng.uniform(1, 20))),
                    source=("local", "huggingface", "paperswithcode")[run % 3],
                    run_id=f"run-{run}"))
    return out


def expected_medians(results: list[BenchmarkResult], samples: dict[str, np.ndarray]
                     ) -> list[dict[str, Any]]:
    """Per (task, model) of the ok results: their count and the median of all their samples."""
    groups: dict[tuple[str, str], list[BenchmarkResult]] = defaultdict(list)
    for r in results:
        if r.status == "ok":
            groups[(r.task_type, r.model_name)].append(r)
    out = []
    for (task, model) in sorted(groups):
        items = groups[(task, model)]
        values = [samples[r.id] for r in items if r.id in samples]
        allv = np.concatenate(values) if values else np.empty(0)
        out.append({"task_type": task, "model_name": model, "n_results": len(items),
                    "median_latency_ms": float(np.median(allv)) / 1e6 if len(allv) else None})
    return out


def expected_buckets(results: list[BenchmarkResult], model: str, seconds: int
                     ) -> list[dict[str, Any]]:
    groups: dict[int, list[BenchmarkResult]] = defaultdict(list)
    for r in results:
        if r.model_name == model:
            groups[int(r.timestamp.timestamp()) // seconds * seconds].append(r)
    out = []
    for start in sorted(groups):
        items = groups[start]
        scores = [r.score for r in items if r.score is not None]
        medians = [r.latency.median_ms for r in items if r.latency is not None]
        out.append({"bucket": datetime.fromtimestamp(start, tz=UTC), "n": len(items),
                    "score_mean": statistics.fmean(scores) if scores else None,
                    "score_min": min(scores) if scores else None,
                    "score_max": max(scores) if scores else None,
                    "latency_median_ms": statistics.fmean(medians) if medians else None})
    return out
