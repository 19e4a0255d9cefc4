"""The README's promise: its example runs on SQLite and its Python snippets work as written."""

import os
import re
import sqlite3
import subprocess
import sys

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_example_benchmark_script_stores_results(tmp_path):
    db = tmp_path / "example.db"
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "example_benchmark.py"), "--db-path", str(db)],
        capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Best model by score: nearest-centroid" in proc.stdout
    assert "Fastest model: threshold" in proc.stdout
    assert "verdict: faster" in proc.stdout  # ~25x: the runs support the word
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT model_name, status, score FROM model_benchmarks").fetchall()
        samples = conn.execute("SELECT COUNT(*) FROM benchmark_samples").fetchone()[0]
    assert len(rows) == 4 and {r[1] for r in rows} == {"ok"}
    assert {r[0] for r in rows} == {"threshold", "nearest-centroid", "nearest-centroid-loop"}
    assert samples >= 4 * 10  # raw per-call latencies are kept


def test_readme_python_snippets_run(tmp_path, fixtures_dir):
    """Every ```python block of the README, as written; the Hub is the local mock Hub."""
    from collect.servers import MockHub

    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert len(blocks) >= 3
    with MockHub(fixtures_dir / "model_cards") as hub:
        env = {**os.environ, "PYTHONPATH": str(REPO), "HF_ENDPOINT": hub.url,
               "HF_HUB_DISABLE_TELEMETRY": "1", "MODELBENCH_CACHE_DIR": str(tmp_path / "cache")}
        env.pop("HF_HUB_OFFLINE", None)
        outputs = []
        for block in blocks:
            proc = subprocess.run([sys.executable, "-c", block], capture_output=True, text=True,
                                  timeout=240, cwd=tmp_path, env=env)
            assert proc.returncode == 0, f"README snippet failed:\n{block}\n{proc.stderr}"
            outputs.append(proc.stdout)
    assert (tmp_path / "data" / "benchmarks.db").exists()  # the default SQLite path
    listed = [line for out in outputs for line in out.splitlines() if line.startswith("Model: ")]
    assert listed and all("Downloads: " in line for line in listed)


def test_seed_import_paths_still_work():
    code = ("from src.database import get_database_manager\n"
            "from src.benchmarking import ModelBenchmark\n"
            "from src.models import BenchmarkResult, ModelMetadata, DatasetMetadata\n"
            "from src.scrapers import HuggingFaceScraper, PaperWithCodeScraper\n"
            "print(ModelBenchmark.__name__, HuggingFaceScraper.__name__)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ModelBenchmark", "HuggingFaceScraper"]


def test_example_run_plan(tmp_path):
    db = tmp_path / "plan.db"
    proc = subprocess.run([sys.executable, "-m", "modelbench.cli", "run",
                           str(REPO / "examples" / "plan.toml"), "--db-path", str(db), "--json"],
                          capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(db) as conn:
        scores = dict(conn.execute("SELECT model_name, score FROM model_benchmarks "
                                   "WHERE metric = 'accuracy'").fetchall())
    # Iris: the petal rule gets 144/150 right, the majority class 50/150.
    assert scores == {"petal-rules": 144 / 150, "nearest-centroid": scores["nearest-centroid"],
                      "majority": 50 / 150}
    assert 0.9 < scores["nearest-centroid"] < 0.95
