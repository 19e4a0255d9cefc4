#!/usr/bin/env python3
"""The example benchmark: three small classifiers compared on one dataset, stored in the database.

    python scripts/example_benchmark.py [--db-type sqlite|clickhouse|timescaledb] [--db-path P]
        [--host H] [--port N] [--user U] [--password PW] [--database NAME]

It uses the public Python API exactly as the README shows it: ``get_database_manager``,
``ModelBenchmark.benchmark_model`` and ``ModelBenchmark.compare_models``.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from modelbench import ModelBenchmark, get_database_manager
from modelbench.config import store_options
from modelbench.numbers import format_duration


def make_dataset(n: int = 2000, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian blobs in 8 dimensions (a binary classification task)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=n)
    features = rng.normal(size=(n, 8)) + labels[:, None] * 0.9
    return features, labels


FEATURES, LABELS = make_dataset()
_CENTROIDS = np.stack([FEATURES[LABELS == k].mean(axis=0) for k in (0, 1)])


def first_feature_threshold(inputs):
    """A weak model: looks at one feature only."""
    return (np.asarray(inputs)[:, 0] > 0.45).astype(int)


def nearest_centroid(inputs):
    """A good, fast model: distance to the two class centroids."""
    x = np.asarray(inputs)
    distances = ((x[:, None, :] - _CENTROIDS[None, :, :]) ** 2).sum(axis=2)
    return distances.argmin(axis=1)


def slow_nearest_centroid(inputs):
    """The same model written as a Python loop: equal score, much slower."""
    out = []
    for row in np.asarray(inputs):
        d0 = sum((a - b) ** 2 for a, b in zip(row, _CENTROIDS[0], strict=True))
        d1 = sum((a - b) ** 2 for a, b in zip(row, _CENTROIDS[1], strict=True))
        out.append(0 if d0 <= d1 else 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-type", default=None)
    parser.add_argument("--db-path", default=None)
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--user", default=None)
    parser.add_argument("--password", default=os.environ.get("MODELBENCH_DB_PASSWORD"))
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    kind, options = store_options(db_type=args.db_type, path=args.db_path, host=args.host,
                                  port=args.port, user=args.user, password=args.password,
                                  database=args.database)
    db = get_database_manager(kind, **options)
    db.setup()
    benchmark = ModelBenchmark(db_manager=db)

    test_inputs, expected_outputs = FEATURES[:500], LABELS[:500]
    result = benchmark.benchmark_model(
        model_name="nearest-centroid",
        model_version="1.0.0",
        task_type="classification",
        dataset="gaussian-blobs",
        metric="accuracy",
        model_fn=nearest_centroid,
        inputs=test_inputs,
        expected_outputs=expected_outputs,
    )
    print(f"Benchmark result: score={result['score']:.3f} "
          f"median={format_duration(result['latency']['median_ms'])} id={result['id']}")

    models = [
        {"name": "threshold", "version": "1.0.0", "function": first_feature_threshold},
        {"name": "nearest-centroid", "version": "1.0.0", "function": nearest_centroid},
        {"name": "nearest-centroid-loop", "version": "1.0.0", "function": slow_nearest_centroid},
    ]
    results = benchmark.compare_models(
        models=models,
        task_type="classification",
        dataset="gaussian-blobs",
        metric="accuracy",
        inputs=test_inputs,
        expected_outputs=expected_outputs,
    )
    print(f"Best model by score: {results['by_score'][0]['model_name']}")
    print(f"Fastest model: {_fastest(results)}")
    for row in results["by_score"]:
        print(f"  {row['model_name']:<24} score {row['score']:.3f}  "
              f"median {format_duration(row['latency']['median_ms']):>9}  "
              f"p95 {format_duration(row['latency']['p95_ms']):>9}")
    print(f"Stored in {db.describe()}. Try: modelbench results   |   modelbench leaderboard")
    db.close()


def _fastest(results: dict) -> str:
    """The first model by runtime, with the verdict against the runner-up: "fastest" is said
    only when the runs support it (the verdict is `faster`), else what they do say.

    >>> pair = {"a": "b1", "b": "a1", "verdict": "same", "ratio": 1.0}
    >>> _fastest({"by_runtime": [{"model_name": "a1"}, {"model_name": "b1"}],
    ...           "comparison": [pair]})
    "not clear: a1 vs b1 is 'same' across runs"
    >>> _fastest({"by_runtime": [{"model_name": "a1"}, {"model_name": "b1"}],
    ...           "comparison": [{**pair, "verdict": "slower", "ratio": 2.0}]})
    "a1 (2.0x b1's speed; verdict: faster)"
    """
    ranked = [row["model_name"] for row in results["by_runtime"]]
    if len(ranked) < 2:
        return ranked[0] if ranked else "none measured"
    first, second = ranked[:2]
    for pair in results["comparison"]:
        if {pair["a"], pair["b"]} == {first, second}:
            verdict = pair["verdict"] if pair["a"] == first else \
                {"faster": "slower", "slower": "faster"}.get(pair["verdict"], pair["verdict"])
            if verdict == "faster":
                ratio = pair["ratio"] if pair["a"] == first else 1 / pair["ratio"]
                return f"{first} ({1 / ratio:.1f}x {second}'s speed; verdict: faster)"
            return f"not clear: {first} vs {second} is '{verdict}' across runs"
    return f"{first} (no verdict against {second})"


if __name__ == "__main__":
    main()
