"""``modelbench read`` end to end: prints what it read, stores only on --store, provenance kept."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.cli import _register, app

from .conftest import samples
from .test_table_image import HEADER, ROWS

_register()
runner = CliRunner()


def _table_file(tmp_path):
    sample = samples.render_table(samples.TableSpec(seed=5, style="grid", header=HEADER,
                                                    rows=ROWS))
    path = tmp_path / "results.png"
    path.write_bytes(sample.data)
    return path


def test_read_table_prints_it_and_stores_nothing_without_store(ocr, tmp_path):
    path = _table_file(tmp_path)
    db = tmp_path / "bench.db"
    result = runner.invoke(app, ["read", str(path), "--db-path", str(db)])
    assert result.exit_code == 0, result.output
    assert "Qwen2-72B" in result.output and "91.1" in result.output
    assert not db.exists()


def test_read_table_json(ocr, tmp_path):
    result = runner.invoke(app, ["read", str(_table_file(tmp_path)), "--kind", "table",
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "table" and data["header"] == HEADER and data["rows"] == ROWS
    assert [1, 1] not in data["bold"] and [2, 1] in data["bold"]  # 84.2 is the best MMLU


def test_read_table_store_keeps_provenance(ocr, tmp_path):
    path = _table_file(tmp_path)
    db = tmp_path / "bench.db"
    args = ["read", str(path), "--store", "--db-path", str(db), "--metric", "accuracy",
            "--task", "llm"]
    result = runner.invoke(app, args, input="n\n")  # the mapping is shown, then a question
    assert result.exit_code == 1 and "nothing stored" in result.output
    assert "19 values -> results" in result.output and "Qwen2-72B" in result.output
    assert not db.exists() or get_database_manager("sqlite", path=str(db)).count_results() == 0
    result = runner.invoke(app, args, input="y\n")
    assert result.exit_code == 0, result.output
    assert "stored 19 result(s)" in result.output  # 20 cells, one printed '-'
    again = runner.invoke(app, [*args, "--yes"])  # reading the same image again
    assert again.exit_code == 0, again.output
    assert "stored 0 result(s)" in again.output and "19 already there" in again.output
    with get_database_manager("sqlite", path=str(db)) as store:
        stored = store.query_results()
    assert len(stored) == 19
    qwen = next(r for r in stored if r.model_name == "Qwen2-72B" and r.dataset == "GSM8K")
    assert qwen.score == 91.1 and qwen.metric == "accuracy" and qwen.task_type == "llm"
    assert qwen.source == "image" and qwen.source_url == str(path)
    assert qwen.extraction_method == "tesseract/table_ocr"
    assert 0.5 < qwen.confidence <= 1.0
    assert qwen.extra["bold"] is True and len(qwen.extra["box"]) == 4
    gemma = next(r for r in stored if r.model_name == "Gemma-2-9B" and r.dataset == "MMLU")
    assert gemma.extra["plus_minus"] == 0.4


def test_read_grouped_chart_store_names_series_as_models(ocr, tmp_path):
    sample = samples.render_chart(samples.ChartSpec(seed=27, grouped=3, n_bars=4))
    path = tmp_path / "chart.png"
    path.write_bytes(sample.data)
    db = tmp_path / "bench.db"
    result = runner.invoke(app, ["read", str(path), "--store", "--yes", "--db-path", str(db)])
    assert result.exit_code == 0, result.output
    with get_database_manager("sqlite", path=str(db)) as store:
        stored = store.query_results()
    assert len(stored) == 12
    assert {r.model_name for r in stored} == set(sample.truth["series"])
    first = sample.truth["bars"][0]
    match = next(r for r in stored
                 if r.model_name == first["series"] and r.dataset == first["label"])
    assert abs(match.score - first["value"]) <= 1.0
    assert match.extraction_method == "tesseract/axis_fit" and match.metric == "score"


def test_bad_image_is_a_clear_error_with_exit_code_1(tmp_path):
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    result = runner.invoke(app, ["read", str(path)])
    assert result.exit_code == 1
    assert "not a readable image" in result.output and "hint" in result.output


def test_unknown_kind_is_refused(tmp_path):
    path = tmp_path / "x.png"
    path.write_bytes(b"")
    result = runner.invoke(app, ["read", str(path), "--kind", "pie"])
    assert result.exit_code == 1
