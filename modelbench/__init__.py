"""modelbench: how good and how fast is this model, compared with the alternatives,
with what is published, and with itself last week.

Example:
    >>> from modelbench import get_database_manager, ModelBenchmark
    >>> db = get_database_manager("sqlite", path=":memory:")
    >>> bench = ModelBenchmark(db_manager=db)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    BenchmarkError,
    ConfigError,
    ExtractionError,
    FetchError,
    ModelBenchError,
    StoreError,
    StoreUnavailableError,
    ValidationError,
)
from .records import BenchmarkResult, DatasetMetadata, LatencyStats, ModelMetadata

if TYPE_CHECKING:
    from .benchmark import ModelBenchmark
    from .store import DatabaseManager, ResultFilter, get_database_manager

__version__ = "0.1.0"

__all__ = [
    "ModelBenchmark", "get_database_manager", "DatabaseManager", "ResultFilter",
    "BenchmarkResult", "ModelMetadata", "DatasetMetadata", "LatencyStats",
    "ModelBenchError", "ConfigError", "ValidationError", "StoreError", "StoreUnavailableError",
    "FetchError", "ExtractionError", "BenchmarkError", "__version__",
]


#: Public names resolved on first use: importing ``modelbench.numbers`` (or any other part)
#: must not load the store or the measuring code.
_LAZY = {"ModelBenchmark": "benchmark", "get_database_manager": "store",
         "DatabaseManager": "store", "ResultFilter": "store"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'modelbench' has no attribute {name!r}")
