"""Screens pushed over the main tabs: model details, a leaderboard, help, and errors."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Static

from ..analysis import series_rows
from ..errors import ModelBenchError
from ..numbers import format_duration
from ..records import BenchmarkResult
from ..text import plain
from . import data
from .data import Column, StoreView
from .widgets import AxisSparkline, BrowseView, SortableTable, cut

__all__ = ["ModelScreen", "LeaderboardScreen", "HelpScreen", "ErrorScreen", "HELP_TEXT"]

HELP_TEXT = """\
[b]modelbench — keys[/b]

  [b]1 2 3 4[/b]  tabs: Models · Results · Tasks/Leaderboards · Sources
  [b]/[/b]        filter by model, task, dataset, metric or source
           (Esc goes back to the table; the filter stays)
  [b]↑ ↓ PgDn[/b] move; the Results tab loads more rows as you scroll
  [b]s[/b] / [b]S[/b]    sort by the next column / reverse (or click a header)
  [b]Enter[/b]    open a model's details, or a task's leaderboard
  [b]n[/b]        (details) next history series
  [b]c[/b]        collect published results: Hugging Face, Papers with
           Code, a leaderboard page
  [b]r[/b]        reload from the database
  [b]Esc[/b]      back       [b]?[/b] this help       [b]q[/b] quit

Leaderboards put [b]measured[/b] numbers (run here, source=local) next
to [b]published[/b] ones (Hugging Face, Papers with Code, pages,
images); ★ marks the best of each column.
"""


class HelpScreen(ModalScreen[None]):
    """The keys, over whatever screen is showing."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Static { width: 78; max-width: 100%; height: auto; max-height: 100%;
                          border: round $accent; padding: 0 1; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        yield Static(HELP_TEXT)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


class ErrorScreen(Screen[None]):
    """The database cannot be opened or reached: what failed, what to do, retry or quit."""

    BINDINGS = [Binding("r", "retry", "Retry"), Binding("q,escape", "app.quit", "Quit")]
    DEFAULT_CSS = """
    ErrorScreen { align: center middle; }
    ErrorScreen > Static { width: 76; max-width: 100%; height: auto; border: heavy $error;
                           padding: 1 2; }
    """

    def __init__(self, where: str, error: ModelBenchError) -> None:
        super().__init__()
        self.where, self.error = where, error

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Cannot use the database\n\n", style="bold red")
        text.append(f"{self.where}\n\n", style="bold")
        text.append(f"{self.error.message}\n")
        if self.error.hint:
            text.append("\nWhat to do: ", style="bold yellow")
            text.append(f"{self.error.hint}\n")
        text.append("\nPress r to retry, q to quit.", style="dim")
        yield Static(text, id="error-text")
        yield Footer()

    def action_retry(self) -> None:
        self.dismiss(None)
        self.app.connect()  # type: ignore[attr-defined]


# -- model details ----------------------------------------------------------------------------
DETAIL_COLUMNS = (
    Column("timestamp", "When (UTC)", 16, kind="time"),
    Column("dataset", "Dataset", 12),
    Column("metric", "Metric", 9),
    Column("score", "Score", 8, kind="score"),
    Column("source", "Source", 11),
    Column("status", "Status", 7),
    Column("p50", "p50", 8, kind="duration"),
    Column("task_type", "Task", 14),
)


class ModelScreen(Screen[None]):
    """One model: metadata, score history as a sparkline, latency percentiles, all results."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back"),
                Binding("n", "next_series", "Next series"),
                Binding("s", "sort_next", "Sort", show=False),
                Binding("S", "sort_reverse", "Reverse", show=False)]
    DEFAULT_CSS = """
    ModelScreen #body { height: 1fr; }
    ModelScreen .section { color: $accent; text-style: bold; margin-top: 1; padding: 0 1; }
    ModelScreen #meta, ModelScreen #series, ModelScreen #range, ModelScreen #latency,
    ModelScreen #serving {
        padding: 0 1; height: auto; }
    ModelScreen Sparkline { height: 3; margin: 0 1; }
    ModelScreen #latency-spark { height: 2; }
    ModelScreen #latency-range { padding: 0 1; height: auto; }
    ModelScreen #results { height: auto; max-height: 20; }
    """

    def __init__(self, view: StoreView, name: str) -> None:
        super().__init__()
        self.store_view, self.model_name = view, name
        self.details: data.ModelDetails | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Static(Text.assemble((plain(self.model_name), "bold"), "  loading…"),
                         id="meta")
            yield Static("History", classes="section")
            yield Static("", id="series")
            yield AxisSparkline([], id="score-spark")
            yield Static("", id="range")
            yield AxisSparkline([], id="latency-spark")
            yield Static("", id="latency-range")
            yield Static("Latency", classes="section")
            yield Static("", id="latency")
            yield Static("Serving", classes="section", id="serving-title")
            yield Static("", id="serving")
            yield Static("Results", classes="section", id="results-title")
            yield SortableTable(DETAIL_COLUMNS, id="results", sort_key="timestamp",
                                descending=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Model"
        self.sub_title = plain(self.model_name)
        self.load(0)

    @work(thread=True, exclusive=True, group="details")
    def load(self, series_index: int) -> None:
        try:
            details = data.model_details(self.store_view, self.model_name, series_index)
        except ModelBenchError as exc:
            self.app.call_from_thread(self.app.store_failed, exc)  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self.show, details)

    def show(self, details: data.ModelDetails) -> None:
        self.details = details
        self.query_one("#meta", Static).update(_meta_text(details))
        self._show_history(details)
        self.query_one("#latency", Static).update(_latency_table(details.latency_results))
        serving = details.serving_results
        for name in ("#serving-title", "#serving"):
            self.query_one(name, Static).display = bool(serving)
        self.query_one("#serving", Static).update(_serving_tables(serving))
        title = f"Results ({details.n_results:,}"
        title += f", newest {len(details.results)} shown)" if details.n_results > len(
            details.results) else ")"
        self.query_one("#results-title", Static).update(title)
        self._show_results()

    def _show_history(self, details: data.ModelDetails) -> None:
        scores = data.history_values(details.history, "score")
        spark = self.query_one("#score-spark", AxisSparkline)
        spark.data = scores
        spark.display = bool(scores)
        if not details.series:
            self.query_one("#series", Static).update("no scored results yet")
            for name in ("#range", "#latency-range"):
                self.query_one(name, Static).update("")
            self.query_one("#latency-spark", AxisSparkline).display = False
            return
        label = details.series[details.series_index][3]
        more = f"   (n: next of {len(details.series)})" if len(details.series) > 1 else ""
        self.query_one("#series", Static).update(Text.assemble(label, (more, "dim")))
        changes = "".join(f"\nchange point: {c}" for c in details.changes)
        self.query_one("#range", Static).update(_range_text(details.history, scores) + changes)
        latencies = data.history_values(details.history, "latency_median_ms")
        latency_spark = self.query_one("#latency-spark", AxisSparkline)
        latency_spark.data = latencies
        latency_spark.display = bool(latencies)
        self.query_one("#latency-range", Static).update(
            f"median latency: min {format_duration(min(latencies))}  "
            f"max {format_duration(max(latencies))}  last {format_duration(latencies[-1])}"
            if latencies else "")

    def _show_results(self) -> None:
        table = self.query_one("#results", SortableTable)
        rows = [data.result_row(r) for r in self.details.results] if self.details else []
        table.show(data.apply(rows, "", table.sort_key, table.descending))

    @on(SortableTable.SortChanged)
    def _sorted(self, event: SortableTable.SortChanged) -> None:
        self._show_results()

    def action_sort_next(self) -> None:
        self.query_one("#results", SortableTable).sort_next()

    def action_sort_reverse(self) -> None:
        self.query_one("#results", SortableTable).sort_reverse()

    def action_next_series(self) -> None:
        if self.details and len(self.details.series) > 1:
            self.load(self.details.series_index + 1)


def _meta_text(details: data.ModelDetails) -> Text:
    text = Text()
    text.append(plain(details.name), style="bold")
    measured = [r for r in details.results if r.source == "local"]
    if measured:
        text.append("\n" + _measured_facts(measured))
    if not details.metadata:
        text.append("\nno stored metadata (a model known only from its results)", style="dim")
    for meta in details.metadata:
        facts = [("version", meta.model_version), ("architecture", meta.architecture),
                 ("parameters", data.fmt_count(meta.parameters)), ("framework", meta.framework),
                 ("task", meta.task_type), ("license", meta.license),
                 ("downloads", data.fmt_count(meta.downloads)),
                 ("likes", data.fmt_count(meta.likes)), ("source", meta.source)]
        text.append("\n" + plain("  ".join(f"{k}: {v}" for k, v in facts if v)))
        if meta.source_url:
            text.append("\n" + plain(meta.source_url), style="dim")
        if meta.description:
            text.append("\n" + plain(meta.description[:300]), style="italic")
    text.append(f"\n{details.n_results:,} results stored", style="dim")
    return text


def _measured_facts(measured: list[BenchmarkResult]) -> str:
    """One line on the model as measured here, from its newest local result."""
    newest = measured[0]
    env = newest.environment
    facts = [("measured here", f"{len(measured)} results, newest "
                               f"{data.fmt_time(newest.timestamp)[:10]}"),
             ("version", newest.model_version), ("task", newest.task_type),
             ("batch", str(newest.batch_size or "")),
             ("peak RSS", f"{newest.memory_usage_mb:.0f} MB" if newest.memory_usage_mb else ""),
             ("cpu", str(env.get("cpu_model") or "")),
             ("python", str(env.get("python") or ""))]
    return "  ".join(f"{k}: {v}" for k, v in facts if v)


def _range_text(history: list[dict[str, Any]], scores: list[float]) -> str:
    if not scores:
        return "no scores in this series"
    first, last = history[0]["timestamp"], history[-1]["timestamp"]
    return (f"score: {len(scores)} points, {data.fmt_time(first)[:10]} → "
            f"{data.fmt_time(last)[:10]}  min {data.fmt_score(min(scores))}  "
            f"max {data.fmt_score(max(scores))}  last {data.fmt_score(scores[-1])}")


def _latency_table(results: list[BenchmarkResult]) -> Table | str:
    if not results:
        return "no latency measured (published results carry none)"
    table = Table(box=None, pad_edge=False, header_style="bold")
    # Each latency carries its unit ("2.5 ms", "228 ns"), so the columns are wider: p90 makes
    # way (p50, p95 and p99 stay) and no cell wraps at 80 columns.
    for name in ("when", "dataset", "n", "mean", "p50", "p95", "p99", "items/s"):
        table.add_column(name, justify="left" if name in ("when", "dataset") else "right",
                         no_wrap=name != "dataset")
    for result in results[:5]:
        stats = result.latency
        table.add_row(data.fmt_time(result.timestamp)[:10], Text(cut(result.dataset, 10)),
                      str(stats.n_samples), *(format_duration(v) for v in (
                          stats.mean_ms, stats.p50_ms, stats.p95_ms, stats.p99_ms)),
                      data.fmt_score(stats.throughput))
    return table


#: Serving cells shown on a model's screen (newest first); the rest are in the Results table.
SERVING_CELLS = 4


def _serving_tables(results: list[BenchmarkResult]) -> Table | str:
    """The ttft/tpot/itl/e2e series of the newest serving cells, one block of rows each."""
    if not results:
        return ""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("cell", "series", "n", "p50", "p90", "p99", "max"):
        table.add_column(name, justify="left" if name in ("cell", "series") else "right",
                         no_wrap=name != "cell")
    for result in results[:SERVING_CELLS]:
        extra = result.extra or {}
        cell = f"{extra.get('scenario') or result.params.get('scenario', '')}"
        rate = extra.get("requests_per_s")
        facts = [data.fmt_time(result.timestamp)[:16], cut(result.dataset, 18)]
        if rate is not None:
            facts.append(f"{rate:.3g} req/s")
        if extra.get("goodput") is not None:
            facts.append(f"goodput {extra['goodput']:.0%}")
        for i, row in enumerate(series_rows(result)):
            label = Text(plain(cell), style="bold") if i == 0 else Text(
                plain(facts[i - 1]) if i - 1 < len(facts) else "", style="dim")
            table.add_row(label, row["series"], str(row["n"] or ""),
                          *(format_duration(row[k]) for k in ("median_ms", "p90_ms", "p99_ms",
                                                               "max_ms")))
    return table


# -- leaderboard ------------------------------------------------------------------------------
class LeaderboardScreen(Screen[None]):
    """One (task, dataset, metric): models ranked, measured and published side by side."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back"),
                Binding("s", "sort_next", "Sort"),
                Binding("S", "sort_reverse", "Reverse", show=False)]
    DEFAULT_CSS = """
    LeaderboardScreen #title { padding: 0 1; height: auto; }
    LeaderboardScreen BrowseView { height: 1fr; }
    """

    def __init__(self, view: StoreView, task_type: str, dataset: str, metric: str,
                 dataset_config: str = "", dataset_split: str = "") -> None:
        super().__init__()
        self.store_view = view
        self.board = (task_type, dataset, metric, dataset_config, dataset_split)

    def compose(self) -> ComposeResult:
        task, dataset, metric, config, split = self.board
        dataset = "/".join(p for p in (dataset, config) if p) + (f" ({split})" if split else "")
        yield Header()
        with Vertical():
            yield Static(Text.assemble(
                (task or "(no task)", "bold"), f" · {dataset or '(no dataset)'} · ",
                (metric or "(no metric)", "bold"),
                f"  ({data.direction_label(metric)}; ★ best measured / best published)"),
                id="title")
            yield BoardView(self.store_view, self.board)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Leaderboard"
        self.sub_title = " / ".join(p for p in self.board if p)
        self.query_one(BoardView).reload("")
        self.query_one(BoardView).table.focus()

    @on(BrowseView.Open)
    def _open(self, event: BrowseView.Open) -> None:
        event.stop()
        self.app.push_screen(ModelScreen(self.store_view, event.target[1]))

    def action_sort_next(self) -> None:
        self.query_one(BoardView).table.sort_next()

    def action_sort_reverse(self) -> None:
        self.query_one(BoardView).table.sort_reverse()


class BoardView(BrowseView):
    """The leaderboard's rows (in memory: one row per model)."""

    columns = data.LEADERBOARD_COLUMNS
    noun = "models"
    initial_sort = ("rank", False)

    def __init__(self, view: StoreView, board: tuple[str, ...]) -> None:
        super().__init__(view)
        self.board = board
        self.all_rows: list[dict[str, Any]] = []

    def fetch(self, search: str) -> list[dict[str, Any]]:
        return data.leaderboard_rows(self.store_view, *self.board)

    def target(self, row: dict[str, Any]) -> tuple[str, ...]:
        return ("model", row["name"])  # the shown name may carry its batch size

    def render_payload(self, payload: Any) -> None:
        self.all_rows = payload
        self.resort()

    def resort(self) -> None:
        table = self.table
        table.show(data.apply(self.all_rows, "", table.sort_key, table.descending))
        self.show_empty(not self.all_rows)
        measured = sum(r["measured"] is not None for r in self.all_rows)
        published = sum(r["published"] is not None for r in self.all_rows)
        self.set_status(f"{len(self.all_rows)} models: {measured} measured, "
                        f"{published} published  ·  Enter: model details")
