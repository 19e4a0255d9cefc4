"""The store's faces: the seed's setup_database.py on every backend, export/import, db status."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from conftest import REPO
from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.cli import _register, app
from modelbench.records import BenchmarkResult, ModelMetadata
from modelbench.store.transfer import export_store, import_store

from .data import dataset

_register()
runner = CliRunner()


def _flags(backend, **override) -> list[str]:
    options = {**backend.options, **override}
    if backend.kind == "sqlite":
        return ["--db-type", "sqlite", "--db-path", options["path"]]
    flags = ["--db-type", backend.kind]
    for key in ("path", "host", "port", "user", "password", "database"):
        if options.get(key) is not None:
            flags += [f"--{key}", str(options[key])]
    return flags


def test_seed_setup_script_works_on_every_backend(backend, tmp_path):
    # chdb: the test process holds its folder, so the script gets a folder of its own.
    override = {"path": str(tmp_path / "ch")} if backend.name == "clickhouse" else {}
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "setup_database.py"),
                           *_flags(backend, **override)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "ready:" in done.stdout and "0 results stored" in done.stdout.replace("\n", " ")
    password = backend.options.get("password")
    if password:
        assert f":{password}@" not in done.stdout + done.stderr  # never in a URL


def test_cli_export_then_import_into_backend(backend, store, tmp_path):
    source = tmp_path / "src.db"
    with get_database_manager("sqlite", path=str(source)) as src:
        src.setup()
        ids = src.insert_results([BenchmarkResult(model_name=f"m{i}", metric="acc",
                                                  score=i / 7) for i in range(7)])
        src.insert_samples(ids[0], [5, 6, 7])
    out = tmp_path / "export"
    done = runner.invoke(app, ["export", "--db-path", str(source), "--output", str(out)])
    assert done.exit_code == 0, done.output
    assert "7 model_benchmarks, 3 benchmark_samples" in done.output
    done = runner.invoke(app, ["import", str(out), *_flags(backend)])
    assert done.exit_code == 0, done.output
    assert store.count_results() == 7
    assert list(store.get_samples(ids[0])) == [5, 6, 7]
    password = backend.options.get("password")
    if password:
        assert f":{password}@" not in done.output
    csv_file = tmp_path / "m3.csv"
    done = runner.invoke(app, ["export", *_flags(backend), "--format", "csv", "--model", "m3",
                               "--output", str(csv_file)])
    assert done.exit_code == 0, done.output
    assert len(csv_file.read_text().splitlines()) == 2


def test_export_refuses_unknown_format(tmp_path):
    done = runner.invoke(app, ["export", "--db-path", str(tmp_path / "x.db"), "--format",
                               "xlsx", "--output", str(tmp_path / "x")])
    assert done.exit_code == 1
    assert "unknown export format" in done.output


@pytest.mark.parametrize("service", ["postgres", "timescaledb"])
def test_db_status_names_the_server(service):
    done = runner.invoke(app, ["db", "status", service])
    running = "running on 127.0.0.1" in done.output
    assert done.exit_code == (0 if running else 3), done.output  # 3: stopped, as the script says
    assert ("PostgreSQL 15" if service == "postgres" else "TimescaleDB") in done.output


def _fresh_clone(parent):
    """A checkout of the scripts (and a package folder) whose servers were never started."""
    import shutil

    clone = parent / "other-clone"
    shutil.copytree(REPO / "scripts" / "services", clone / "scripts" / "services")
    (clone / "modelbench").mkdir()
    (clone / "docs").mkdir()
    return clone


def test_db_status_of_a_stopped_clone_exits_3_and_uses_its_scripts(tmp_path, monkeypatch):
    clone = _fresh_clone(tmp_path)
    monkeypatch.chdir(clone / "docs")  # anywhere inside the checkout
    monkeypatch.setenv("MODELBENCH_PG_PORT", "55499")  # nothing listens there
    done = runner.invoke(app, ["db", "status", "postgres"])
    assert done.exit_code == 3, done.output
    assert "not running" in done.output
    assert f"scripts: {clone / 'scripts' / 'services'}" in done.output
    assert not (clone / ".services").exists()  # status changes nothing


def test_db_start_failure_is_exit_1(tmp_path, monkeypatch):
    clone = _fresh_clone(tmp_path)
    monkeypatch.chdir(clone)
    monkeypatch.setenv("MODELBENCH_PG_BIN", "/nonexistent/pg/bin")
    monkeypatch.setenv("MODELBENCH_PG_PORT", "55499")
    done = runner.invoke(app, ["db", "start", "postgres"])
    assert done.exit_code == 1
    assert "PostgreSQL 15 not found in /nonexistent/pg/bin" in done.output


def test_db_refuses_unknown_service():
    done = runner.invoke(app, ["db", "start", "mysql"])
    assert done.exit_code == 1
    assert "unknown service" in done.output


def _json(args: list[str]) -> object:
    done = runner.invoke(app, [*args, "--json"])
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


def _close(a: object, b: object) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)
    return a == b


def test_core_commands_answer_the_same_on_every_backend(backend, store, tmp_path):
    """The faces work unchanged: results/leaderboard/history/models give SQLite's answers."""
    reference = tmp_path / "ref.db"
    with get_database_manager("sqlite", path=str(reference)) as ref:
        ref.setup()
        ref.insert_results(dataset(n_per=3))
        ref.upsert_models([ModelMetadata("gpt2", parameters=124_000_000)])
        export_store(ref, tmp_path / "x")
    import_store(store, tmp_path / "x")
    here, there = _flags(backend), ["--db-path", str(reference)]
    for command in (["results", "--limit", "100", "--model", "gpt2"],
                    ["results", "--search", "DAILY", "--asc", "--sort", "score"],
                    ["leaderboard", "--limit", "50"],
                    ["leaderboard", "--metric", "mse", "--lower-is-better"],
                    ["history", "gpt2"], ["history", "gpt2", "--bucket", "1 day"],
                    ["models"]):
        assert _close(_json([*command, *here]), _json([*command, *there])), command


def _published(rid: str) -> BenchmarkResult:
    return BenchmarkResult(id=rid, model_name="paper-net", task_type="cls", dataset="iris",
                           metric="Accuracy (%)", score=97.2, source="web",
                           source_url="https://example.org/board", extra={"raw": "97.2%"})


def test_import_goes_through_ingest_and_reports_duplicates(tmp_path):
    """An export holding a published result the target already has (under another id) and a
    measured one: the duplicate is skipped on its natural key (with nothing of it stored),
    the new one is stored on the canonical scale with its samples."""
    from modelbench.ingest import ingest

    source = get_database_manager("sqlite", path=str(tmp_path / "a.db"))
    source.setup()
    measured = BenchmarkResult(model_name="rf", task_type="cls", dataset="iris",
                               metric="accuracy", score=0.95)
    source.insert_results([_published("a" * 32), measured])
    source.insert_samples("a" * 32, [5, 6, 7])
    source.insert_samples(measured.id, [1, 2, 3])
    export_store(source, tmp_path / "out")
    source.close()
    target_path = str(tmp_path / "b.db")
    target = get_database_manager("sqlite", path=target_path)
    target.setup()
    assert ingest(target, [_published("b" * 32)]).stored == 1
    target.close()

    done = runner.invoke(app, ["import", str(tmp_path / "out"), "--db-type", "sqlite",
                               "--db-path", target_path])
    assert done.exit_code == 0, done.output
    line = next(x for x in done.output.splitlines() if "model_benchmarks" in x)
    assert line.replace("│", " ").split()[1:4] == ["1", "1", "0"]  # stored, duplicate, invalid
    target = get_database_manager("sqlite", path=target_path)
    stored = {r.id: r for r in target.query_results()}
    assert set(stored) == {"b" * 32, measured.id}  # the duplicate id never arrived
    assert stored[measured.id].score_canonical == 0.95
    assert target.get_samples(measured.id).tolist() == [1, 2, 3]
    assert target.get_samples("a" * 32).tolist() == []  # nor its samples


def test_import_of_a_json_file_skips_an_invalid_value_and_keeps_the_rest(tmp_path):
    good = _published("c" * 32).to_dict()
    bad = {**BenchmarkResult(model_name="x", metric="accuracy", score=0.5,
                             source="web").to_dict(), "score": float("nan")}
    (tmp_path / "r.json").write_text(json.dumps([bad, good], default=str))
    done = runner.invoke(app, ["import", str(tmp_path / "r.json"), "--db-type", "sqlite",
                               "--db-path", str(tmp_path / "c.db")])
    assert done.exit_code == 0, done.output
    cells = next(x for x in done.output.splitlines() if "model_benchmarks" in x)
    assert cells.replace("│", " ").split()[1:4] == ["1", "0", "1"]
    [stored] = get_database_manager("sqlite", path=str(tmp_path / "c.db")).query_results()
    assert stored.metric == "accuracy" and stored.score_canonical == 0.972  # canonicalised
