"""Stored names are data: no command prints them as markup or as terminal control sequences.

Every name, version, dataset and error message below carries an OSC 8 hyperlink, a screen
clear, a window-title sequence, an RTL override and Rich markup (a live ``[link=...]`` and a
stray ``[/bold]`` that Rich refuses with MarkupError when it is read as markup).
"""

import numpy as np
import pytest
from typer.testing import CliRunner

from modelbench import get_database_manager
from modelbench.cli import _register, app, common
from modelbench.records import BenchmarkResult, LatencyStats, ModelMetadata

_register()
runner = CliRunner()

HOSTILE = ("\x1b]8;;file:///etc/passwd\x1b\\evil\x1b]8;;\x1b\\ [link=file:///etc/shadow]x[/link]"
           " [/bold] \x1b[2J\x1b]0;owned\x07\u202egnp.exe\x9b31m")
FORBIDDEN = ("\x1b]", "\x1b[2J", "\u202e", "\x9b", "\x07", "file:///etc/shadow\x1b")


def _latency(median):
    return LatencyStats(mean_ms=median, median_ms=median, stdev_ms=0.1, min_ms=median / 2,
                        max_ms=median * 2, p50_ms=median, p90_ms=median, p95_ms=median,
                        p99_ms=median, n_samples=40)


@pytest.fixture
def db_path(tmp_path):
    path = str(tmp_path / "hostile.db")
    rng = np.random.default_rng(0)
    with get_database_manager("sqlite", path=path) as store:
        store.setup()
        results = [BenchmarkResult(model_name=f"{HOSTILE}{i}", model_version=HOSTILE,
                                   task_type="cls", dataset="d", metric="accuracy",
                                   score=0.5 + i / 10, latency=_latency(1.0 + i),
                                   warnings=[HOSTILE]) for i in range(2)]
        results.append(BenchmarkResult(model_name=HOSTILE, task_type="cls", dataset="d",
                                       metric="accuracy", status="error",
                                       error_message=HOSTILE))
        store.insert_results(results)
        for i, result in enumerate(results[:2]):
            store.insert_samples(result.id, rng.integers(1_000_000, 2_000_000, 40) * (i + 1))
        store.upsert_models([ModelMetadata(model_name=HOSTILE, license=HOSTILE,
                                           source_url=HOSTILE)])
    return path, results


COMMANDS = [
    ["results"], ["results", "--status", "error"], ["leaderboard"], ["history", f"{HOSTILE}0"],
    ["models"], ["compare", "--task", "cls"], ["results", "--json"],
]


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c)[:20])
def test_no_escape_or_markup_reaches_the_output(db_path, command, terminal, monkeypatch):
    path, _ = db_path
    for console in (common.console, common.err_console):
        monkeypatch.setattr(console, "_force_terminal", terminal)
    out = runner.invoke(app, [*command, "--db-path", path], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    text = out.output
    for bad in FORBIDDEN:
        assert bad not in text, (bad, text)
    if terminal:  # Rich's own styles are fine; a link (OSC 8) made from a name is not
        assert "\x1b]8;" not in text
    if command != ["results", "--json"]:
        assert "[link=file:///etc/shadow]" in text or "[link=" in text.replace("\n", "")


def test_show_prints_names_and_errors_plainly(db_path):
    path, results = db_path
    out = runner.invoke(app, ["show", results[2].id, "--db-path", path], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "[/bold]" in out.output
    for bad in FORBIDDEN:
        assert bad not in out.output


def test_tui_cells_are_plain():
    pytest.importorskip("textual")
    from modelbench.tui.widgets import cut

    cell = cut(HOSTILE, 500)
    assert "[/bold]" in cell
    for bad in FORBIDDEN:
        assert bad not in cell


@pytest.mark.parametrize("command", [
    ["results", "--limit", "99999999999999999999"],
    ["leaderboard", "--limit", "99999999999999999999"],
    ["collect", "hf", "--task", "x", "--limit", "99999999999999999999"],
    ["collect", "pwc", "--query", "x", "--limit", "99999999999999999999"],
    ["collect", "page", "x.html", "--max-mb", "1e400"], ["results", "--port", "99999999999"],
], ids=lambda c: " ".join(c[:2]))
def test_huge_numbers_are_a_clear_usage_error(command, tmp_path):
    out = runner.invoke(app, [*command, "--db-path", str(tmp_path / "x.db")])
    assert out.exit_code == 2, out.output  # a usage error naming the range, no traceback
    assert "Invalid value" in out.output and "Traceback" not in out.output
    assert not isinstance(out.exception, OverflowError)
