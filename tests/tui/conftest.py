"""Fixed, deterministic data for the terminal UI tests (fixed names, scores and timestamps)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import require

from modelbench import get_database_manager
from modelbench.records import BenchmarkResult, LatencyStats, ModelMetadata
from modelbench.store.base import DatabaseManager

T0 = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
UPDATED = datetime(2026, 1, 1, tzinfo=UTC)


def latency(median: float) -> LatencyStats:
    """Plausible percentiles around ``median`` milliseconds."""
    return LatencyStats(mean_ms=median * 1.05, median_ms=median, stdev_ms=median * 0.1,
                        min_ms=median * 0.8, max_ms=median * 2, p50_ms=median,
                        p90_ms=median * 1.3, p95_ms=median * 1.5, p99_ms=median * 1.9,
                        n_samples=200, throughput=1000 / median)


def _id(n: int) -> str:
    return f"{n:032x}"


def seed_models() -> list[ModelMetadata]:
    meta = dict(source="huggingface", framework="pytorch", task_type="text-classification",
                license="apache-2.0", updated_at=UPDATED)
    return [
        ModelMetadata("bert-base-uncased", parameters=110_000_000, downloads=1_234_567,
                      likes=1500, architecture="BertForMaskedLM",
                      source_url="https://huggingface.co/bert-base-uncased", **meta),
        ModelMetadata("distilbert-base-uncased", parameters=66_000_000, downloads=987_000,
                      likes=640, **meta),
        ModelMetadata("roberta-base", parameters=125_000_000, downloads=2_100_000, likes=410,
                      **meta),
    ]


def seed_results() -> list[BenchmarkResult]:
    """Measured (local) and published (huggingface, paperswithcode) results."""
    cls = dict(task_type="text-classification", dataset="sst2", metric="accuracy")
    out: list[BenchmarkResult] = []
    n = 0

    def add(**kw: object) -> None:
        nonlocal n
        n += 1
        kw.setdefault("timestamp", T0 + timedelta(hours=n))
        out.append(BenchmarkResult(id=_id(n), **kw))  # type: ignore[arg-type]

    for day, score in enumerate((0.88, 0.89, 0.905, 0.91)):
        add(model_name="my-distilbert", score=score, latency=latency(4.0 - day * 0.5),
            timestamp=T0 + timedelta(days=day), **cls)
    add(model_name="bert-base-uncased", score=0.925, latency=latency(9.5), **cls)
    add(model_name="bert-base-uncased", score=0.932, source="huggingface",
        source_url="https://huggingface.co/bert-base-uncased", **cls)
    add(model_name="distilbert-base-uncased", score=0.911, source="huggingface", **cls)
    add(model_name="roberta-base", score=0.948, source="huggingface", **cls)
    add(model_name="roberta-base", score=0.962, source="paperswithcode", **cls)
    add(model_name="bert-base-uncased", task_type="natural-language-inference",
        dataset="mnli", metric="accuracy", score=0.846, source="paperswithcode")
    add(model_name="linreg", task_type="regression", dataset="housing", metric="mse",
        score=0.52, latency=latency(0.2))
    add(model_name="tree", task_type="regression", dataset="housing", metric="mse", score=0.61,
        latency=latency(0.4))
    add(model_name="broken-model", task_type="regression", dataset="housing", metric="mse",
        status="error", error_message="ValueError: shapes (3,) and (4,) not aligned")
    return out


def fill(store: DatabaseManager) -> None:
    store.upsert_models(seed_models())
    store.insert_results(seed_results())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite file holding the fixed data set."""
    path = tmp_path / "bench.db"
    store = get_database_manager("sqlite", path=str(path))
    store.setup()
    fill(store)
    store.close()
    return path


def opener_for(path: Path) -> Callable[[], DatabaseManager]:
    def open_store() -> DatabaseManager:
        store = get_database_manager("sqlite", path=str(path))
        store.setup()
        return store
    return open_store


def unreachable_server_opener(spool_dir: Path) -> Callable[[], DatabaseManager]:
    """Opens a real PostgreSQL store on 127.0.0.1:1, where nothing listens: the error the app
    shows is the store's own, not one written by the test."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        require(False, "psycopg", "pip install -e '.[timescale]'")

    def open_store() -> DatabaseManager:
        store = get_database_manager("timescaledb", host="127.0.0.1", port=1, user="bench",
                                     database="bench", spool_dir=str(spool_dir))
        store.setup()
        return store
    return open_store


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until every worker is done and its results are on screen."""
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def servers():  # type: ignore[no-untyped-def]
    """tests/collect/servers.py (the collection area's local servers)."""
    try:
        from collect import servers as module  # tests/ on sys.path (rootdir import)
    except ImportError:
        from tests.collect import servers as module  # type: ignore[no-redef]
    return module


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio (Textual's loop), through anyio's pytest plugin."""
    return "asyncio"
