"""Sample batches in one shape, for the store and its spool (no other store module needed).

Example:
    >>> [series for _, _, _, series, _ in sample_items([("a", [1], None, "load", 0)])]
    ['load']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np

from ..errors import ValidationError

__all__ = ["sample_items"]


def sample_items(batch: Iterable[tuple[Any, ...]]
                 ) -> list[tuple[str, np.ndarray, datetime | None, str, np.ndarray]]:
    """Normalise sample batch items to ``(id, latencies, timestamp, series, run_index)``.

    >>> [(rid, series, runs.tolist()) for rid, _, _, series, runs in
    ...  sample_items([("a", [5, 6], None), ("b", [7], None, "load", 3)])]
    [('a', 'call', [0, 0]), ('b', 'load', [3])]
    """
    out = []
    for item in batch:
        result_id, latencies, timestamp = item[0], item[1], item[2]
        series = (item[3] if len(item) > 3 and item[3] else "call")
        run_index = item[4] if len(item) > 4 else None
        values = np.asarray(latencies, dtype=np.int64).ravel()
        runs = np.asarray(0 if run_index is None else run_index, dtype=np.int64)
        if runs.ndim and runs.shape != values.shape:
            raise ValidationError(f"result {result_id}: {runs.size} run indices for "
                                  f"{values.size} latencies",
                                  hint="give one run index per latency, or one for all")
        out.append((str(result_id), values, timestamp, str(series),
                    np.array(np.broadcast_to(runs, values.shape), dtype=np.int64)))
    return out
