"""`modelbench collect hf|pwc|page` end to end: local servers in, a real SQLite file out."""

from __future__ import annotations

import gzip
import json

import pytest
from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.cli import _register, app
from modelbench.store import ResultFilter

from .conftest import STATIC_BOARD
from .servers import Reply
from .test_paperswithcode import DUMP

_register()
runner = CliRunner()
FAST = ["--rate", "0", "--no-cache", "--retries", "2"]


def _run(*args: str, input: str | None = None):
    return runner.invoke(app, ["collect", *args], input=input)


def _store(db):
    store = get_database_manager("sqlite", path=str(db))
    store.setup()
    return store


def test_collect_hf_stores_models_and_results_and_skips_them_on_rerun(hub, tmp_path):
    db = tmp_path / "b.db"
    args = ["hf", "--task", "text-generation", "--limit", "5", "--endpoint", hub.url,
            "--db-path", str(db), *FAST]
    result = _run(*args)
    assert result.exit_code == 0, result.output
    assert "stored 30 result(s)" in result.output  # granite 18 + calme 12 + zephyr 0
    with _store(db) as store:
        names = {m.model_name for m in store.list_models()}
        assert names == set(hub.model_ids("text-generation")[:5])
        assert store.count_results(ResultFilter(source="huggingface")) == 30
        calme = store.query_results(ResultFilter(model_name="MaziyarPanahi/calme-2.3-phi3-4b"))
        assert len(calme) == 12 and all(r.extra.get("verified") is None for r in calme)  # unsaid
        granite = next(m for m in store.list_models() if m.model_name.startswith("ibm-granite"))
        assert granite.parameters == 8_054_236_160 and granite.license == "apache-2.0"
    again = _run(*args)
    assert again.exit_code == 0 and "30 already there were skipped" in again.output
    with _store(db) as store:
        assert store.count_results() == 30


def test_collect_hf_rerun_is_served_from_the_cache(hub, tmp_path):
    args = ["hf", "--task", "summarization", "--limit", "1", "--endpoint", hub.url,
            "--rate", "0", "--cache-dir", str(tmp_path / "cache")]
    first = _run(*args, "--db-path", str(tmp_path / "a.db"))
    assert first.exit_code == 0, first.output
    assert hub.hits["/api/models/philschmid/bart-large-cnn-samsum"] == 1
    hub.reset()
    second = _run(*args, "--db-path", str(tmp_path / "b.db"))
    assert second.exit_code == 0 and "stored 12 result(s)" in second.output
    assert sum(hub.hits.values()) == 0  # nothing reached the Hub the second time


def test_collect_hf_500_forever_stores_nothing(hub, tmp_path):
    db = tmp_path / "b.db"
    hub.script("/api/models/MaziyarPanahi/calme-2.3-phi3-4b", [Reply(500, "down")] * 3)
    result = _run("hf", "--task", "text-generation", "--limit", "5", "--endpoint", hub.url,
                  "--db-path", str(db), *FAST)
    assert result.exit_code == 1
    assert "error:" in result.output and "calme-2.3-phi3-4b" in result.output
    with _store(db) as store:
        assert store.count_results() == 0 and store.list_models() == []


def test_collect_hf_warns_about_an_invalid_model_index(hub, tmp_path):
    result = _run("hf", "--task", "image-classification", "--limit", "3", "--endpoint", hub.url,
                  "--db-path", str(tmp_path / "b.db"), *FAST)
    assert result.exit_code == 0, result.output
    assert "no dataset given" in result.output  # said why its one result was skipped
    with _store(tmp_path / "b.db") as store:
        assert [m.model_name for m in store.list_models()] == ["AdamCodd/vit-base-nsfw-detector"]


def test_collect_pwc_dump_api_and_page(pwc_api, tmp_path):
    db = str(tmp_path / "b.db")
    dump = tmp_path / "evaluation-tables.json.gz"
    with gzip.open(dump, "wt") as handle:
        json.dump(DUMP, handle)
    result = _run("pwc", "--dump", str(dump), "--db-path", db)
    assert result.exit_code == 0, result.output
    assert "stored 6 result(s)" in result.output and "5 leaderboard rows" in result.output
    result = _run("pwc", "--api", pwc_api.url, "--query", "imagenet", "--db-path", db, *FAST)
    assert result.exit_code == 0, result.output
    # four results (CoCa's parameter count is not one); the API names papers by their page
    # on Papers with Code, not by arXiv, so none is the dump's row from the same place
    assert "stored 4 result(s)" in result.output
    page = tmp_path / "board.html"
    page.write_text(STATIC_BOARD)
    result = _run("pwc", "--page", str(page), "--dataset", "SQuAD", "--db-path", db, *FAST)
    assert result.exit_code == 0, result.output
    with _store(db) as store:
        assert store.count_results(ResultFilter(source="paperswithcode")) == 6 + 4 + 6


def test_collect_pwc_truncated_dump_stores_nothing(tmp_path):
    dump = tmp_path / "evaluation-tables.json"
    text = json.dumps(DUMP)
    dump.write_text(text[: int(len(text) * 0.8)])
    result = _run("pwc", "--dump", str(dump), "--db-path", str(tmp_path / "b.db"))
    assert result.exit_code == 1 and "not valid JSON" in result.output
    with _store(tmp_path / "b.db") as store:
        assert store.count_results() == 0


def test_collect_pwc_needs_exactly_one_source(tmp_path):
    result = _run("pwc", "--db-path", str(tmp_path / "b.db"))
    assert result.exit_code == 1 and "exactly one of" in result.output


def test_collect_page_shows_the_guess_and_asks(pages, tmp_path):
    db = str(tmp_path / "b.db")
    url = f"{pages.url}/board.html"
    declined = _run("page", url, "--dataset", "squad", "--db-path", db, *FAST, input="n\n")
    assert declined.exit_code == 1 and "nothing stored" in declined.output
    assert "model = column 'Model'" in declined.output and "Alpha-XL" in declined.output
    with _store(db) as store:
        assert store.count_results() == 0
    accepted = _run("page", url, "--dataset", "squad", "--db-path", db, *FAST, "--yes")
    assert accepted.exit_code == 0, accepted.output
    assert "stored 6 result(s)" in accepted.output and "not numbers" in accepted.output
    with _store(db) as store:
        stored = store.query_results(ResultFilter(source="web", metric="f1"))
        assert sorted(r.score for r in stored) == [88.0, 89.7, 91.0, 93.1]
        assert stored[0].source_url == url and stored[0].dataset == "squad"


def test_collect_page_with_named_columns(pages, tmp_path):
    result = _run("page", f"{pages.url}/board.html", "--model-col", "Model",
                  "--metric-col", "SQuAD / F1", "--db-path", str(tmp_path / "b.db"), *FAST)
    assert result.exit_code == 0, result.output
    assert "stored 4 result(s)" in result.output


@pytest.mark.parametrize("path, message", [("/changed.html", "no results table found"),
                                           ("/private/board.html", "robots.txt"),
                                           ("/failing", "HTTP 500")])
def test_collect_page_errors(pages, tmp_path, path, message):
    result = _run("page", f"{pages.url}{path}", "--yes", "--db-path", str(tmp_path / "b.db"),
                  *FAST)
    assert result.exit_code == 1 and message in result.output
    assert "hint:" in result.output


def test_collect_page_render(pages, tmp_path, browser):  # browser: skips without Chromium
    result = _run("page", f"{pages.url}/js.html", "--render", "--yes", "--db-path",
                  str(tmp_path / "b.db"), *FAST)
    assert result.exit_code == 0, result.output
    assert "stored 2 result(s)" in result.output


def test_page_text_is_never_terminal_markup(tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text("<table><tr><th>Model</th><th>Accuracy</th></tr>"
                    "<tr><td>[link=http://evil.example]click[/link]</td><td>91.0</td></tr>"
                    "<tr><td>[bold red]Loud[/]</td><td>88.0</td></tr></table>")
    out = _run("page", str(page), "--dataset", "d", "--db-path", str(tmp_path / "b.db"), *FAST,
               input="n\n")
    assert "[link=http://evil.example]click[/link]" in out.output
    assert "[bold red]Loud[/]" in out.output


def test_collect_page_reads_every_table_of_a_saved_page(tmp_path):
    # a real saved page (XGLUE): three tables, a "Rank" header over rank-less rows, task
    # columns, the second table repeating four tasks of the first
    from .real_truth import REAL, score, truth

    page = REAL / "pages" / "p9_xglue_2023-06.html"
    db = tmp_path / "b.db"
    result = _run("page", str(page), "--yes", "--db-path", str(db), *FAST)
    assert result.exit_code == 0, result.output
    assert "stored 34 result(s)" in result.output
    assert "8 printed result(s) repeat an earlier row" in result.output
    assert "dataset = 'XGLUE'; split = 'test'" in result.output  # the preview shows the labels
    with _store(db) as store:
        stored = store.query_results(ResultFilter(source="web"))
        models = {m.model_name: m.parameters for m in store.list_models("FILTER")}
    got = score(stored, truth()["pages"][page.name]["results"], page.name)
    assert got.misses == [] and got.phantoms == [] and got.exact == got.expected
    assert models["FILTER"] == 550_000_000  # "Parameter (Million)": a property, not a result
