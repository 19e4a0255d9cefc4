"""Serving results measured against the local server and stored in a real SQLite file,
through the plan runner and ingest's sink (what the faces read)."""

from __future__ import annotations

from pathlib import Path

from modelbench import get_database_manager
from modelbench.ingest import StoreSink
from modelbench.measure.plan import load_plan
from modelbench.measure.serving.plan import run_serving_plan

from .sse_server import Script, SSEServer

PLAN = """
[dataset]
input_tokens = 3
output_tokens = 6
count = 4

[scenario]
concurrency = [1, 2, 4]
requests = 8
slo = {{ ttft_ms = 5000 }}

[[models]]
name = "tiny-llm"
endpoint = "{url}"
max_tokens = 6
"""


def store_serving_results(folder: Path) -> Path:
    """Three concurrency cells of one model in ``folder/serving.db``; returns the path."""
    db_path = folder / "serving.db"
    plan_path = folder / "serving.toml"
    with SSEServer(Script(ttft_s=0.004, itl_s=0.001, chunk_tokens=(1, 2))) as server:
        plan_path.write_text(PLAN.format(url=server.url), encoding="utf-8")
        with get_database_manager("sqlite", path=str(db_path)) as store:
            store.setup()
            outcome = run_serving_plan(load_plan(plan_path), StoreSink(store))
    assert outcome["stored"] == 3, outcome
    return db_path
