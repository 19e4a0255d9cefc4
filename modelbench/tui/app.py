"""The Textual app: Models, Results, Tasks/Leaderboards and Sources tabs over one store.

The store is opened in a worker thread (a server may take seconds to answer, or never), so the
app draws at once; a store that cannot be opened gets an error screen with the hint and a retry.

Example:
    >>> from modelbench import get_database_manager
    >>> app = ModelBenchApp(lambda: get_database_manager("sqlite", path=":memory:"))
    >>> app.initial_tab
    'models'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Static, TabbedContent, TabPane

from ..errors import ModelBenchError, StoreUnavailableError
from ..store.base import DatabaseManager
from .data import StoreView
from .screens import ErrorScreen, HelpScreen, LeaderboardScreen, ModelScreen
from .widgets import BrowseView, ModelsView, ResultsView, SourcesView, TasksView

__all__ = ["ModelBenchApp", "run_tui", "TABS"]

#: Tab ids in order (keys 1–4), with their titles.
TABS = {"models": "Models", "results": "Results", "tasks": "Tasks/Leaderboards",
        "sources": "Sources"}


class FilterInput(Input):
    """The filter box; Esc hands the keys back to the table (and clears an empty box)."""

    BINDINGS = [Binding("escape", "leave", "Back to table")]

    def action_leave(self) -> None:
        self.app.action_leave_filter()  # type: ignore[attr-defined]


class ModelBenchApp(App[None]):
    """Browse a benchmark store. ``opener`` returns a ready store (it runs in a thread).

    ``where`` names the database for the error screen (no password!); ``collector`` is an
    optional :class:`~.collecting.Collector` used by the ``c`` key (the
    default builds one from the environment when first needed).
    """

    TITLE = "modelbench"
    CSS = """
    #filter-row { height: 1; }
    #filter-label { width: 9; padding: 0 1; color: $text-muted; }
    #filter { height: 1; border: none; padding: 0 1; width: 1fr; background: $boost; }
    #filter:focus { background: $accent 20%; }
    TabbedContent { height: 1fr; }
    TabPane { padding: 0; }
    """
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("slash", "focus_filter", "Filter"),
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        Binding("c", "collect", "Collect"),
        Binding("r", "reload", "Reload", show=False),
        *(Binding(str(i), f"show_tab('{tab}')", title, show=False)
          for i, (tab, title) in enumerate(TABS.items(), 1)),
    ]

    def __init__(self, opener: Callable[[], DatabaseManager], *, initial_tab: str = "models",
                 page_size: int = 100, collector: Any = None,
                 where: str = "the database") -> None:
        super().__init__()
        self.opener = opener
        self.initial_tab = initial_tab
        self.page_size = page_size
        self.collector = collector
        self.store_view: StoreView | None = None
        self.where = where  # what the error screen names before the store could describe itself

    # -- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filter-row"):
            yield Static("Filter:", id="filter-label")
            yield FilterInput(placeholder="press / and type a model, task, dataset, metric "
                              "or source", id="filter")
        with TabbedContent(initial=self.initial_tab):
            with TabPane(TABS["models"], id="models"):
                yield ModelsView(id="models-view")
            with TabPane(TABS["results"], id="results"):
                yield ResultsView(page_size=self.page_size, id="results-view")
            with TabPane(TABS["tasks"], id="tasks"):
                yield TasksView(id="tasks-view")
            with TabPane(TABS["sources"], id="sources"):
                yield SourcesView(id="sources-view")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "connecting…"
        self.active_view().set_status("connecting to the database…")
        self.connect()

    def active_view(self) -> BrowseView:
        tabs = self.query_one(TabbedContent)
        return self.query_one(f"#{tabs.active}-view", BrowseView)

    @property
    def filter_text(self) -> str:
        return self.query_one("#filter", Input).value

    # -- the store --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="connect")
    def connect(self) -> None:
        """Open the store in a thread; then show the active tab, or the error screen."""
        try:
            store = self.opener()
        except ModelBenchError as exc:
            self.call_from_thread(self.store_failed, exc)
            return
        self.call_from_thread(self._connected, store)

    def _connected(self, store: DatabaseManager) -> None:
        if self.store_view is not None:  # a retry after the store went away
            self.store_view.close()
        self.store_view = StoreView(store)
        self.where = store.describe()
        self.sub_title = self.where
        for view in self.query(BrowseView):
            view.store_view = self.store_view
        self.active_view().reload(self.filter_text)
        self.active_view().table.focus()

    def store_failed(self, error: ModelBenchError) -> None:
        """A store call failed: an error screen when the store is gone, else a notice."""
        if self.store_view is None or isinstance(error, StoreUnavailableError):
            if not isinstance(self.screen, ErrorScreen):
                self.push_screen(ErrorScreen(self.where, error))
            return
        hint = f"\n{error.hint}" if error.hint else ""
        self.notify(f"{error.message}{hint}", title="database error", severity="error",
                    timeout=8, markup=False)

    def empty_help(self) -> Text:
        """What to say on a database with nothing in it."""
        bold = "bold"
        return Text.assemble(
            ("No benchmark results stored yet", bold), f" in {self.where}.\n\nTo fill it:\n",
            "  • press ", ("c", bold), " to collect published results (Hugging Face by task, "
            "Papers with Code, a leaderboard page)\n",
            "  • or from the shell: ", ("modelbench collect hf --task text-classification", bold),
            "\n  • or measure a model: ", ("python scripts/example_benchmark.py", bold),
            "\n\nPress ", ("?", bold), " for help, ", ("q", bold), " to quit.")

    def on_unmount(self) -> None:
        if self.store_view is not None:
            self.store_view.close()

    # -- events -----------------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.active_view().ensure_loaded(event.value)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.active_view().ensure_loaded(self.filter_text)

    @on(BrowseView.Open)
    def _open(self, event: BrowseView.Open) -> None:
        if self.store_view is None:
            return
        if event.target[0] == "model":
            self.push_screen(ModelScreen(self.store_view, event.target[1]))
        else:
            self.push_screen(LeaderboardScreen(self.store_view, *event.target[1:]))

    # -- actions ----------------------------------------------------------------------------
    #: Actions that belong to the tabs: hidden and inactive while another screen is on top.
    MAIN_ACTIONS = frozenset({"focus_filter", "sort_next", "sort_reverse", "collect", "reload",
                              "show_tab"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MAIN_ACTIONS and self.screen is not self.screen_stack[0]:
            return False
        return True

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.active_view().table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_leave_filter(self) -> None:
        self.active_view().table.focus()

    def action_sort_next(self) -> None:
        self.active_view().table.sort_next()

    def action_sort_reverse(self) -> None:
        self.active_view().table.sort_reverse()

    def action_reload(self) -> None:
        for view in self.query(BrowseView):
            view.forget()
        self.active_view().reload(self.filter_text)

    def action_collect(self) -> None:
        if self.store_view is None:
            self.bell()
            return
        from .collecting import CollectScreen, default_collector

        if self.collector is None:
            self.collector = default_collector()
        self.push_screen(CollectScreen(self.store_view, self.collector), self._collected)

    def _collected(self, stored: int | None) -> None:
        if stored:
            self.action_reload()


def run_tui(opener: Callable[[], DatabaseManager], **options: Any) -> None:
    """Run the app in this terminal until the user quits.

    >>> from modelbench import get_database_manager
    >>> # run_tui(lambda: get_database_manager("sqlite", path="data/benchmarks.db"))
    """
    ModelBenchApp(opener, **options).run()
