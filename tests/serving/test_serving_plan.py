"""Serving scenarios in a TOML plan: `modelbench run plan.toml` against the local server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.cli import _register, app
from modelbench.errors import ConfigError
from modelbench.measure.plan import load_plan
from modelbench.measure.serving.plan import ServingPlan

from .sse_server import Script, SSEServer

_register()
runner = CliRunner()


def _plan(tmp_path: Path, url: str, scenario: str, dataset: str | None = None) -> Path:
    path = tmp_path / "serve.toml"
    path.write_text(f"""
[run]
name = "llm"

[dataset]
{dataset or 'input_tokens = 3' + chr(10) + 'output_tokens = 4' + chr(10) + 'count = 4'}

[scenario]
{scenario}

[[models]]
name = "tiny"
version = "1"
endpoint = "{url}"
max_tokens = 4
""", encoding="utf-8")
    return path


def test_a_plan_sweeps_concurrency_and_stores_each_cell_with_its_series(tmp_path: Path):
    db_path = str(tmp_path / "bench.db")
    with SSEServer(Script(ttft_s=0.005, itl_s=0.001, chunk_tokens=(2,))) as server:
        plan = _plan(tmp_path, server.url, 'concurrency = [1, 3]\nrequests = 6\n'
                                           'slo = { ttft_ms = 5000 }')
        outcome = runner.invoke(app, ["run", str(plan), "--db-path", db_path])
    assert outcome.exit_code == 0, outcome.output
    assert "tiny · concurrency=1" in outcome.output and "tiny · concurrency=3" in outcome.output
    with get_database_manager("sqlite", path=db_path) as store:
        results = sorted(store.query_results(), key=lambda r: r.params["concurrency"])
        assert [r.params["concurrency"] for r in results] == [1, 3]
        assert {r.model_version for r in results} == {"1"}
        for r in results:
            assert set(r.series_stats) == {"ttft", "tpot", "itl", "e2e"}
            assert len(store.get_samples(r.id, series="e2e")) == 6
            assert r.metric == "goodput" and r.score == 1.0


def test_plan_prompts_come_through_the_one_jsonl_reader_and_are_scored(tmp_path: Path):
    prompts = tmp_path / "qa.jsonl"
    rows = [{"prompt": "say", "reference": "t0 t1"}, {"prompt": "again", "reference": "nope"}]
    prompts.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with SSEServer(Script(ttft_s=0.001, itl_s=0.001, output_tokens=2)) as server:
        path = _plan(tmp_path, server.url, 'kind = "single-stream"\nrequests = 4',
                     dataset='path = "qa.jsonl"\nscoring = "exact"')
        plan = load_plan(path)
        assert isinstance(plan, ServingPlan) and plan.prompts.name == "qa"
        outcome = runner.invoke(app, ["run", str(path), "--no-store", "--json"])
    assert outcome.exit_code == 0, outcome.output
    result = json.loads(outcome.output)["results"][0]
    assert result["metric"] == "exact" and result["score"] == pytest.approx(0.5)


@pytest.mark.parametrize(("scenario", "message"), [
    ("concurency = 4", "did you mean 'concurrency'"),
    ('kind = "rate"', "needs rate"),
    ("find_peak = true", "find_peak needs slo"),
    ('slo = { ttft = 5 }', "unknown SLO"),
    ('driver = "fibers"', "driver 'fibers'"),
])
def test_plan_mistakes_are_named(tmp_path: Path, scenario: str, message: str):
    with pytest.raises(ConfigError, match=message):
        load_plan(_plan(tmp_path, "http://127.0.0.1:9", scenario))


def test_bad_prompt_line_names_the_file_and_line(tmp_path: Path):
    (tmp_path / "bad.jsonl").write_text('{"prompt": "ok"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.jsonl:2: a line must be a JSON object"):
        load_plan(_plan(tmp_path, "http://127.0.0.1:9", "requests = 2",
                        dataset='path = "bad.jsonl"'))


def test_the_example_serving_plan_is_a_three_cell_sweep():
    plan = load_plan(Path(__file__).parents[2] / "examples" / "serving_plan.toml")
    assert isinstance(plan, ServingPlan)
    assert [s.concurrency for s in plan.scenarios] == [1, 4, 16]
    assert plan.slo == {"ttft_ms": 500.0, "tpot_ms": 50.0}
    assert plan.models[0]["endpoint"].url == "http://127.0.0.1:8000"


def test_a_plan_asks_for_the_real_time_sender_and_the_result_says_so(tmp_path: Path):
    plan = load_plan(_plan(tmp_path, "http://127.0.0.1:1", "rate = 50\nrealtime = true"))
    assert isinstance(plan, ServingPlan)
    (scenario,) = plan.scenarios
    assert scenario.realtime and scenario.params()["realtime"] is True
    assert "realtime" not in load_plan(_plan(tmp_path, "http://127.0.0.1:1", "rate = 50")
                                       ).scenarios[0].params()
