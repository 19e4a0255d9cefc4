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
from .store import DatabaseManager, ResultFilter, get_database_manager

if TYPE_CHECKING:
    from .benchmark import ModelBenchmark

__version__ = "0.1.0"

__all__ = [
    "ModelBenchmark", "get_database_manager", "DatabaseManager", "ResultFilter",
    "BenchmarkResult", "ModelMetadata", "DatasetMetadata", "LatencyStats",
    "ModelBenchError", "ConfigError", "ValidationError", "StoreError", "StoreUnavailableError",
    "FetchError", "ExtractionError", "BenchmarkError", "__version__",
]


def __getattr__(name: str) -> Any:
    # The runner pulls in measurement code; import it only when asked for.
    if name == "ModelBenchmark":
        from .benchmark import ModelBenchmark

        return ModelBenchmark
    raise AttributeError(name)
