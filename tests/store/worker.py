"""A second process writing to the store under test (run by test_concurrency.py).

    python tests/store/worker.py '<backend kind>' '<options as JSON>' PREFIX N
Prints one JSON line: {"written": N} or {"error": class name, "message": ..., "hint": ...}.
"""

from __future__ import annotations

import json
import sys

import numpy as np

from modelbench import get_database_manager
from modelbench.errors import ModelBenchError
from modelbench.records import BenchmarkResult


def main() -> None:
    kind, options, prefix = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    count = int(sys.argv[4])
    try:
        store = get_database_manager(kind, **options)
        store.setup()
        for start in range(0, count, 5):  # small batches, so the two writers interleave
            batch = [BenchmarkResult(model_name=f"{prefix}-model", id=f"{prefix}-{i:05d}",
                                     metric="accuracy", score=i / count)
                     for i in range(start, min(start + 5, count))]
            store.insert_results(batch)
            store.insert_samples_many([(r.id, np.arange(10, dtype=np.int64) + i, None)
                                       for i, r in enumerate(batch)])
        store.close()
    except ModelBenchError as exc:
        print(json.dumps({"error": type(exc).__name__, "message": exc.message, "hint": exc.hint}))
        return
    print(json.dumps({"written": count}))


if __name__ == "__main__":
    main()
