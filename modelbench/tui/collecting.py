"""Collect published results from inside the app: Hugging Face, Papers with Code, a page.

The collectors of :mod:`modelbench.collect` return records; this module runs them in a worker
thread with a progress bar and then the app stores what came back, all in one batch (a
collection that fails half way stores nothing).

Example:
    >>> collector = Collector(hf_endpoint="http://127.0.0.1:8000")
    >>> sorted(KINDS)
    ['hf', 'page', 'pwc']
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    Static,
)
from textual.worker import get_current_worker

from ..errors import ModelBenchError
from ..records import BenchmarkResult, ModelMetadata
from .data import StoreView

__all__ = ["Collector", "Collected", "CollectScreen", "KINDS", "default_collector",
           "store_collected"]

#: kind -> (what the user chooses, what the value box asks for).
KINDS = {
    "hf": ("Hugging Face: popular models of a task", "Task"),
    "pwc": ("Papers with Code: datasets matching a query", "Query"),
    "page": ("Leaderboard page: a URL (or a saved .html file)", "URL"),
}
#: kind -> (the value box's placeholder, the option box's). "e.g." and the dim italic style
#: tell a placeholder from a value typed in.
PLACEHOLDERS = {
    "hf": ("e.g. text-classification", "blank: https://huggingface.co ($HF_ENDPOINT)"),
    "pwc": ("e.g. imagenet", "blank: $MODELBENCH_PWC_API (the API base URL)"),
    "page": ("e.g. https://example.org/leaderboard.html",
             "which dataset the table is about (optional)"),
}
Progress = Callable[[int, int | None, str], None]


@dataclass
class Collected:
    """What one collection brought back, before it is stored."""

    models: list[ModelMetadata] = field(default_factory=list)
    results: list[BenchmarkResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    note: str = ""  # e.g. the page's guessed column mapping, shown before storing
    duplicates: int = 0  # results already in the store, not stored again


class Collector:
    """Runs the collectors of :mod:`modelbench.collect` for the app.

    ``hf_endpoint`` defaults to ``$HF_ENDPOINT`` (blank: huggingface.co), ``pwc_api`` to
    ``$MODELBENCH_PWC_API``; ``fetch_options`` go to each collector's polite fetcher
    (e.g. ``cache=False``).
    """

    def __init__(self, hf_endpoint: str | None = None, pwc_api: str | None = None,
                 **fetch_options: Any) -> None:
        env = os.environ.get
        self.hf_endpoint = env("HF_ENDPOINT", "") if hf_endpoint is None else hf_endpoint
        self.pwc_api = env("MODELBENCH_PWC_API", "") if pwc_api is None else pwc_api
        self.fetch_options = fetch_options

    def endpoint(self, kind: str) -> str:
        """The base URL a kind talks to (blank: the collector's default, or none needed)."""
        return {"hf": self.hf_endpoint, "pwc": self.pwc_api}.get(kind, "")

    def run(self, kind: str, value: str, limit: int, progress: Progress,
            option: str = "", *, task: str = "", render: bool = False) -> Collected:
        """Collect; ``progress(done, total, label)`` after each step. Raises ModelBenchError.

        ``option`` is the endpoint for ``hf``/``pwc`` (blank: the configured one) and the
        dataset name for ``page`` (pages rarely say which dataset their table is about);
        ``task`` and ``render`` (run the page's JavaScript in Chromium) are for ``page``.
        """
        if not value.strip():
            from ..errors import ValidationError

            raise ValidationError(f"{KINDS[kind][1].lower()} is empty",
                                  hint=f"type a {KINDS[kind][1].lower()} first (the dim "
                                       "italic text in the box is only an example)")
        if kind == "page":
            return self._page(value.strip(), progress, option, task=task.strip(), render=render)
        run = {"hf": self._huggingface, "pwc": self._paperswithcode}[kind]
        return run(value.strip(), limit, progress, option or self.endpoint(kind))

    def _huggingface(self, task: str, limit: int, progress: Progress,
                     endpoint: str) -> Collected:
        from ..collect import HuggingFaceScraper

        out = Collected()
        with HuggingFaceScraper(endpoint=endpoint or None, **self.fetch_options) as scraper:
            progress(0, limit, f"listing {task} models…")
            for done, model in enumerate(scraper.collect(task, limit), 1):
                out.models.append(model.metadata)
                out.results.extend(model.results)
                out.warnings.extend(model.warnings)
                progress(done, limit, model.metadata.model_name)
        return out

    def _paperswithcode(self, query: str, limit: int, progress: Progress,
                        endpoint: str) -> Collected:
        from ..collect import PapersWithCodeScraper

        out = Collected()
        with PapersWithCodeScraper(endpoint or None, **self.fetch_options) as scraper:
            progress(0, limit, f"searching datasets for {query!r}…")
            for done, (dataset, records) in enumerate(scraper.collect(query, limit=limit), 1):
                out.results.extend(records)
                progress(done, limit, str(dataset.get("name") or dataset.get("id")))
        return out

    def _page(self, url: str, progress: Progress, dataset: str, *, task: str = "",
              render: bool = False) -> Collected:
        from ..collect import LeaderboardScraper
        from ..collect.tables import extract_tables, page_tables, pick_table, tables_outcome

        with LeaderboardScraper(**self.fetch_options) as scraper:
            progress(0, None, f"{'rendering' if render else 'fetching'} {url}…")
            html, source_url = scraper.load(url, render=render)
        found = page_tables(html, dataset, task)
        if not found:  # says why: no table with a name column and numeric columns
            pick_table(extract_tables(html), None, where=source_url)
        outcome = tables_outcome(found, source_url=source_url,
                                 extraction_method="rendered-html-table" if render
                                 else "html-table")
        progress(1, 1, f"{len(found)} table(s) read")
        repeats = outcome.counts()["duplicate"]
        return Collected(results=outcome.results, models=outcome.metadata,
                         warnings=[f"not a number: {s}" for s in outcome.unreadable]
                         + ([f"{repeats} printed result(s) repeat an earlier row"]
                            if repeats else []),
                         note="; ".join(f"table {t.index}: {m.describe()}" for t, m in found))


def default_collector() -> Collector:
    """A collector configured from the environment (``HF_ENDPOINT``, ``MODELBENCH_PWC_API``)."""
    return Collector()


def store_collected(view: StoreView, collected: Collected) -> tuple[int, int]:
    """Store what was collected through :func:`modelbench.ingest.ingest` (validated, on the
    canonical scale, nothing stored twice); returns (models, results) stored."""
    from ..ingest import ingest

    report = view.analyse(ingest, collected.results, models=collected.models or None)
    collected.duplicates = report.duplicates
    collected.warnings.extend(f"skipped {r.model_name} {r.metric}: {why}"
                              for r, why in report.skipped)
    return report.models, report.stored


class CollectScreen(ModalScreen[int]):
    """Choose a source, type a task/query/URL, watch the progress; dismisses with the count
    of results stored."""

    BINDINGS = [Binding("escape", "close", "Close")]
    DEFAULT_CSS = """
    CollectScreen { align: center middle; }
    CollectScreen #dialog { width: 78; max-width: 100%; height: auto; max-height: 100%;
                            border: round $accent; background: $surface; padding: 0 1; }
    CollectScreen #heading { text-style: bold; }
    CollectScreen RadioSet { width: 100%; }
    /* The chosen source must not look like the others: a lit button and bold text. */
    CollectScreen RadioButton > .toggle--button { color: $panel-lighten-2; }
    CollectScreen RadioButton.-on > .toggle--button { color: $success; }
    CollectScreen RadioButton.-on { text-style: bold; }
    CollectScreen RadioButton.-on > .toggle--label { color: $text; }
    CollectScreen .row Input > .input--placeholder { color: $text-disabled; text-style: italic; }
    CollectScreen .page-only { display: none; }
    CollectScreen.page .page-only { display: block; }
    CollectScreen #render { height: 1; border: none; padding: 0; margin-left: 10; }
    CollectScreen .row { height: 1; }
    CollectScreen #value-row { margin-top: 1; }
    CollectScreen .row Label { width: 10; }
    CollectScreen .row Input { height: 1; border: none; padding: 0 1; width: 1fr;
                               background: $boost; }
    CollectScreen .row Input:focus { background: $accent 20%; }
    CollectScreen #buttons { height: 3; margin-top: 1; }
    CollectScreen Button { margin-right: 1; min-width: 10; }
    CollectScreen ProgressBar { margin-top: 1; }
    CollectScreen #log { height: auto; max-height: 8; }
    """

    def __init__(self, view: StoreView, collector: Collector) -> None:
        super().__init__()
        self.store_view, self.collector = view, collector
        self.kind = "hf"
        self.pending: Collected | None = None
        self.stored = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Collect published results", id="heading")
            with RadioSet(id="kind"):
                for index, (key, (label, _)) in enumerate(KINDS.items()):
                    yield RadioButton(label, value=index == 0, name=key)
            with Horizontal(classes="row", id="value-row"):
                yield Label("Task:", id="value-label")
                yield Input(placeholder=PLACEHOLDERS["hf"][0], id="value")
            with Horizontal(classes="row"):
                yield Label("Limit:")
                yield Input("20", id="limit", type="integer")
            with Horizontal(classes="row"):
                yield Label("Endpoint:", id="option-label")
                yield Input(self.collector.endpoint("hf"), id="option",
                            placeholder=PLACEHOLDERS["hf"][1])
            with Horizontal(classes="row page-only"):
                yield Label("Task:")
                yield Input(id="task", placeholder="e.g. text-classification (optional)")
            yield Checkbox("render the page's JavaScript first (Chromium)", id="render",
                           classes="page-only")
            with Horizontal(id="buttons"):
                yield Button("Start", id="start", variant="primary")
                yield Button("Store", id="store", variant="success", disabled=True)
                yield Button("Close", id="close")
            yield ProgressBar(total=1, id="progress", show_eta=False)
            yield Static("", id="log")

    def on_mount(self) -> None:
        self.query_one("#value", Input).focus()

    # -- choosing ---------------------------------------------------------------------------
    @on(RadioSet.Changed, "#kind")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        self.kind = event.pressed.name or "hf"
        label = KINDS[self.kind][1]
        self.query_one("#value-label", Label).update(f"{label}:")
        value = self.query_one("#value", Input)
        value.placeholder, option_placeholder = PLACEHOLDERS[self.kind]
        option = self.query_one("#option", Input)
        option.value = self.collector.endpoint(self.kind)
        option.placeholder = option_placeholder
        self.set_class(self.kind == "page", "page")
        self.query_one("#option-label", Label).update(
            "Dataset:" if self.kind == "page" else "Endpoint:")
        value.focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        try:
            limit = max(1, int(self.query_one("#limit", Input).value or "20"))
        except ValueError:
            limit = 20
        self.pending = None
        self.query_one("#store", Button).disabled = True
        self.query_one("#start", Button).disabled = True
        self.query_one("#progress", ProgressBar).update(total=None, progress=0)
        self.log_line("starting…")
        self.collect(self.kind, self.query_one("#value", Input).value, limit,
                     self.query_one("#option", Input).value.strip(),
                     self.query_one("#task", Input).value,
                     self.query_one("#render", Checkbox).value)

    @on(Button.Pressed, "#store")
    def _store_pressed(self) -> None:
        if self.pending is not None:
            self.store(self.pending)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.stored)

    # -- the work ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="collect")
    def collect(self, kind: str, value: str, limit: int, option: str, task: str = "",
                render: bool = False) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int | None, label: str) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._progress, done, total, label)

        try:
            collected = self.collector.run(kind, value, limit, progress, option, task=task,
                                           render=render)
        except ModelBenchError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, exc)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._collected, kind, collected)

    def _progress(self, done: int, total: int | None, label: str) -> None:
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        self.log_line(f"{done}/{total}  {label}" if total else label)

    def _failed(self, error: ModelBenchError) -> None:
        self.query_one("#start", Button).disabled = False
        self.query_one("#progress", ProgressBar).update(total=1, progress=0)
        hint = ("\nhint: ", "yellow"), error.hint or ""
        self.log_line(Text.assemble(("failed: ", "red"), error.message,
                                    *(hint if error.hint else ()), "\nnothing was stored"))

    def _collected(self, kind: str, collected: Collected) -> None:
        self.query_one("#start", Button).disabled = False
        bar = self.query_one("#progress", ProgressBar)
        done = max(int(bar.progress), 1)  # fewer items than the limit asked for is still done
        bar.update(total=done, progress=done)
        if kind == "page":  # a guessed column mapping is shown before anything is stored
            self.pending = collected
            self.query_one("#store", Button).disabled = not collected.results
            self.log_line(f"{len(collected.results)} results read; {collected.note}\n"
                          "press Store to keep them")
            return
        self.store(collected)

    @work(thread=True, exclusive=True, group="store")
    def store(self, collected: Collected) -> None:
        """Write the records in a thread (a server may be slow), then refresh the tabs."""
        try:
            counts = store_collected(self.store_view, collected)
        except ModelBenchError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._stored, collected, *counts)

    def _stored(self, collected: Collected, models: int, results: int) -> None:
        self.pending = None
        self.query_one("#store", Button).disabled = True
        self.stored += results
        warned = f"; {len(collected.warnings)} warnings" if collected.warnings else ""
        again = (f"; {collected.duplicates} already stored were skipped"
                 if collected.duplicates else "")
        self.log_line(Text.assemble((f"stored {results} results and {models} models", "green"),
                                    again, warned))
        self.app.action_reload()  # type: ignore[attr-defined]

    def log_line(self, text: str | Text) -> None:
        """Show a message; plain strings are shown as they are (page text is not markup)."""
        self.query_one("#log", Static).update(Text(text) if isinstance(text, str) else text)

