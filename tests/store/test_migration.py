"""A v1 store made by the v1 release migrates to the current schema with nothing lost.

The v1 store is written by the v1 code itself: the release commit's ``modelbench`` package is
extracted with ``git archive`` into a temporary folder and run in a child process (the import
name is the same, so it cannot share this process). A second child with the current code opens
the store, migrates it (``setup()``) and reads everything back. Each backend's data is touched
by one process at a time (chdb locks its data folder).

Also here: each backend's row keys equal its schema columns (the schema is derived from the
records).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, require

from .conftest import _pg_options, drop_database

#: The release whose stores must migrate: schema v1 (the last commit before schema v2).
V1_COMMIT = "66092ed"

WRITE_V1 = r'''
import json, sys
from datetime import UTC, datetime, timedelta
import numpy as np
from modelbench import get_database_manager
from modelbench.records import BenchmarkResult, DatasetMetadata, LatencyStats, ModelMetadata
from modelbench.store.schema import SCHEMA_VERSION
assert SCHEMA_VERSION == 1, SCHEMA_VERSION
kind, options, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
t0 = datetime(2026, 10, 1, 12, 0, 0, 123456, tzinfo=UTC)
lat = LatencyStats(mean_ms=1.5, median_ms=1.25, stdev_ms=0.1, min_ms=1.0, max_ms=3.0,
                   p50_ms=1.25, p90_ms=2.0, p95_ms=2.5, p99_ms=2.9, ci_low_ms=1.2,
                   ci_high_ms=1.3, outliers=2, n_samples=5, throughput=800.0)
results = [
    BenchmarkResult(model_name="rf", model_version="1.0", task_type="classification",
                    dataset="iris", dataset_split="test", metric="accuracy", score=0.9778,
                    timestamp=t0, runtime_ms=12.5, memory_usage_mb=150.25, python_peak_mb=3.5,
                    latency=lat, batch_size=32, n_items=45, warnings=["noisy"],
                    environment={"python": "3.11.7", "packages": {"numpy": "2.1.0"}},
                    env_hash="abc123def456", run_id="run1", extra={"timing": {"min_calls": 5}}),
    BenchmarkResult(model_name="paper-net", task_type="classification", dataset="iris",
                    metric="accuracy", score=97.2, source="paperswithcode",
                    source_url="https://example.org/paper", collected_at=t0,
                    extraction_method="pwc-dump", confidence=0.9, timestamp=t0 + timedelta(days=1),
                    extra={"raw": "97.2%", "percent": True, "metric_name": "Accuracy (%)"}),
    BenchmarkResult(model_name="broken", task_type="classification", dataset="iris",
                    metric="accuracy", status="error", error_message="ValueError: boom",
                    timestamp=t0 + timedelta(days=2)),
    BenchmarkResult(model_name="EfficientNet-B0", metric="number of params", score=5.3e6,
                    source="web", source_url="file:///board.html", extra={"row": 1},
                    timestamp=t0 + timedelta(days=3)),
]
db = get_database_manager(kind, **options)
db.setup()
db.insert_results(results)
samples = {results[0].id: [1_000_000, 1_250_000, 1_250_000, 2_000_000, 3_000_000]}
for rid, values in samples.items():
    db.insert_samples(rid, np.asarray(values, dtype=np.int64), t0)
db.upsert_models([ModelMetadata(model_name="rf", model_version="1.0", parameters=1234,
                                framework="sklearn", tags=["tree"], downloads=7,
                                updated_at=t0, extra={"k": 1})])
db.upsert_datasets([DatasetMetadata(name="iris", task_type="classification", num_samples=150,
                                    metrics=["accuracy"], updated_at=t0)])
stored = {r.id: r.to_dict() for r in db.query_results()}
db.close()
with open(out, "w") as fh:
    json.dump({"results": stored, "samples": samples}, fh, default=str)
'''

READ_CURRENT = r'''
import json, sys
from modelbench import get_database_manager, analysis
from modelbench.records import BenchmarkResult
from modelbench.store.schema import SCHEMA_VERSION
kind, options, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
db = get_database_manager(kind, **options)
db.setup()  # migrates v1 -> current
db.setup()  # and again: idempotent
versions = [row["version"] for batch in db.fetch_table("schema_version") for row in batch]
results = {r.id: r.to_dict() for r in db.query_results()}
samples = {}
for rid in results:
    values, runs = db.get_sample_runs(rid)
    if len(values):
        samples[rid] = {"values": values.tolist(), "runs": runs.tolist()}
boards = [b.as_dict() for b in analysis.leaderboards(db)]
models = [m.to_dict() for m in db.list_models()]
datasets = [d.to_dict() for d in db.list_datasets()]
rid = db.insert_result(BenchmarkResult(model_name="after", metric="accuracy", score=0.5,
                                       params={"threads": 2}))
after = db.get_result(rid).params
db.close()
with open(out, "w") as fh:
    json.dump({"versions": versions, "schema": SCHEMA_VERSION, "results": results,
               "samples": samples, "boards": boards, "models": models, "datasets": datasets,
               "after": after}, fh, default=str)
'''


@pytest.fixture(scope="session")
def v1_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The v1 release's ``modelbench`` package, extracted from git."""
    found = subprocess.run(["git", "-C", str(REPO), "archive", V1_COMMIT, "modelbench"],
                           capture_output=True)
    require(found.returncode == 0, f"git history with commit {V1_COMMIT}",
            "git fetch --unshallow (the test runs the v1 release's code)")
    folder = tmp_path_factory.mktemp("v1")
    with tarfile.open(fileobj=BytesIO(found.stdout)) as archive:
        archive.extractall(folder, filter="data")
    return folder


def _child(code: str, package_root: Path, kind: str, options: dict[str, Any],
           out: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    proc = subprocess.run([sys.executable, "-c", code, kind, json.dumps(options), str(out)],
                          cwd=package_root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.fixture(params=["sqlite", "clickhouse", "postgres", "timescaledb"])
def v1_store(request: pytest.FixtureRequest, tmp_path: Path):
    """(kind, options) of an empty place for a store, on each backend."""
    name = request.param
    if name == "sqlite":
        yield "sqlite", {"path": str(tmp_path / "v1.db")}
        return
    if name == "clickhouse":
        try:
            import chdb  # noqa: F401
        except ImportError:
            require(False, "chdb + clickhouse-connect", "pip install -e '.[clickhouse]'")
        yield "clickhouse", {"path": str(tmp_path / "chdb"), "database": "v1"}
        return
    fixture = "pg_server" if name == "postgres" else "timescale_server"
    url = request.getfixturevalue(fixture)
    require(url is not None, f"{name} server", f"eval $(scripts/services/"
            f"{'postgres' if name == 'postgres' else 'timescaledb'}.sh start)")
    import psycopg

    options = _pg_options(url)
    database = f"mbv1_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"CREATE DATABASE {database}")
    yield "timescaledb", {**options, "database": database,
                          "spool_dir": str(tmp_path / "spool")}
    drop_database(url, database)


def test_a_v1_store_migrates_with_nothing_lost(v1_package: Path, v1_store, tmp_path: Path):
    kind, options = v1_store
    before = _child(WRITE_V1, v1_package, kind, options, tmp_path / "v1.json")
    after = _child(READ_CURRENT, REPO, kind, options, tmp_path / "v2.json")
    assert max(after["versions"]) == after["schema"] and after["schema"] >= 2
    assert set(after["results"]) == set(before["results"])
    for rid, old in before["results"].items():
        new = after["results"][rid]
        for name, value in old.items():  # every v1 field, exactly
            assert new[name] == value, (rid, name)
        assert new["score_canonical"] is None and new["params"] == {}  # new fields: defaults
        assert new["series_stats"] == {} and new["git_dirty"] is None
    for rid, values in before["samples"].items():
        assert after["samples"][rid] == {"values": values, "runs": [0] * len(values)}
    assert [m["parameters"] for m in after["models"]] == [1234]
    assert after["models"][0]["tags"] == ["tree"] and after["datasets"][0]["num_samples"] == 150
    assert after["after"] == {"threads": 2}  # the migrated store takes v2 rows
    # v1 rows have no canonical value: analysis works it out (97.2 % -> 0.972) and never
    # ranks the parameter count
    [board] = after["boards"]
    assert [(e["model_name"], e["value"]) for e in board["entries"]] == [
        ("rf", 0.9778), ("paper-net", 0.972)]


# -- row keys equal columns ---------------------------------------------------------------------
def test_each_backends_row_keys_equal_its_columns(backend):
    """What a backend hands back for a row has exactly the schema's columns, per table."""
    from modelbench.records import BenchmarkResult, DatasetMetadata, ModelMetadata
    from modelbench.store.schema import TABLES, column_names

    store = backend.open()
    try:
        store.setup()
        result = BenchmarkResult(model_name="m", metric="accuracy", score=0.5)
        store.insert_result(result)
        store.insert_samples(result.id, [1, 2])
        store.insert_item_results(result.id, [1.0, 0.0])
        store.upsert_models([ModelMetadata(model_name="m")])
        store.upsert_datasets([DatasetMetadata(name="d")])
        for table in TABLES:
            rows = [row for batch in store.fetch_table(table) for row in batch]
            assert rows, table
            assert [sorted(row) for row in rows[:1]] == [sorted(column_names(table))], table
        assert set(result.to_row()) == set(column_names("model_benchmarks"))
        assert set(ModelMetadata(model_name="m").to_row()) == set(column_names("model_metadata"))
        assert set(DatasetMetadata(name="d").to_row()) == set(column_names("dataset_metadata"))
    finally:
        store.close()
