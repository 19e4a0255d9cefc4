"""`modelbench serve` against the local streaming server, storing into a real SQLite file."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.cli import _register, app

from .sse_server import Script, SSEServer

_register()
runner = CliRunner()


def test_serve_prints_a_table_per_cell_and_stores_series(tmp_path):
    db_path = str(tmp_path / "bench.db")
    with SSEServer(Script(ttft_s=0.01, itl_s=0.002, chunk_tokens=(2,))) as server:
        outcome = runner.invoke(app, [
            "serve", server.url, "--model", "tiny", "--concurrency", "1,2", "--requests", "4",
            "--output-tokens", "6", "--input-tokens", "3", "--slo", "ttft_ms=5000,tpot_ms=1000",
            "--store", "--db-path", db_path])
    assert outcome.exit_code == 0, outcome.output
    assert "tiny · concurrency=1" in outcome.output and "tiny · concurrency=2" in outcome.output
    assert "goodput 100.0%" in outcome.output and "ttft" in outcome.output
    with get_database_manager("sqlite", path=db_path) as store:
        results = sorted(store.query_results(), key=lambda r: r.params["concurrency"])
        assert [r.params["concurrency"] for r in results] == [1, 2]
        for r in results:
            assert set(r.series_stats) == {"ttft", "tpot", "itl", "e2e"}
            assert len(store.get_samples(r.id, series="ttft")) == 4
            assert len(store.get_samples(r.id, series="itl")) == 4 * (6 - 2)
            assert r.metric == "goodput" and r.score == 1.0


def test_serve_json_and_bad_flags():
    with SSEServer(Script(ttft_s=0.002, itl_s=0.001)) as server:
        outcome = runner.invoke(app, ["serve", server.url, "-m", "t", "--requests", "2",
                                      "--output-tokens", "2", "--json"])
        assert outcome.exit_code == 0, outcome.output
        data = json.loads(outcome.output)
        assert data["results"][0]["params"]["scenario"] == "single-stream"
        outcome = runner.invoke(app, ["serve", server.url, "-m", "t", "--concurrency", "x"])
        assert outcome.exit_code == 1 and "comma-separated" in outcome.output
        outcome = runner.invoke(app, ["serve", server.url, "-m", "t", "--find-peak"])
        assert outcome.exit_code == 1 and "needs SLOs" in outcome.output


def test_serve_realtime_sends_the_open_loop_from_the_real_time_sender():
    with SSEServer(Script(ttft_s=0.002, itl_s=0.001)) as server:
        outcome = runner.invoke(app, ["serve", server.url, "-m", "t", "--rate", "50",
                                      "--requests", "4", "--output-tokens", "2", "--realtime",
                                      "--json"])
    assert outcome.exit_code == 0, outcome.output
    (result,) = json.loads(outcome.output)["results"]
    assert result["params"]["realtime"] is True and result["extra"]["sender"] == "process"
    # granted where the kernel allows (root with CAP_SYS_NICE); the result says which
    assert isinstance(result["extra"]["sender_realtime"], bool)
    plain = runner.invoke(app, ["serve", "http://127.0.0.1:9", "-m", "t", "--help"])
    assert "--realtime" in plain.output
