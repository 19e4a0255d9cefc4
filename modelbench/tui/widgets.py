"""The app's building blocks: a sortable table of dict rows and the four browsing views.

Each view loads its rows in a thread worker (the UI never waits on the database) and keeps
only what is on screen plus a page or so: the Results view pages through ``query_results``;
the other views hold small aggregates in memory and put :data:`MEMORY_PAGE` rows at a time
into their table (the next page when the cursor nears the end), so a keystroke that matches
thousands of rows redraws one page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from rich.color import Color, blend_rgb
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.renderables.sparkline import Sparkline as SparklineRenderable
from textual.widgets import DataTable, Sparkline, Static

from ..errors import ModelBenchError
from ..text import plain
from . import data
from .data import Column, StoreView

__all__ = ["SortableTable", "BrowseView", "ResultsView", "ModelsView", "TasksView",
           "SourcesView", "MAX_RENDERED", "cut", "fitted_widths", "AxisSparkline",
           "sparkline_axis"]

#: The most rows a table is given at once (in-memory views give :data:`MEMORY_PAGE`).
MAX_RENDERED = 1000
#: Rows an in-memory view puts into its table per page.
MEMORY_PAGE = 100
#: The Results count (a full scan under a search) waits this long for typing to pause.
COUNT_AFTER_IDLE_S = 0.25
#: Load the next page of results when the cursor gets this close to the last loaded row.
PREFETCH = 20


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis.

    >>> cut("bert-base-uncased", 8)
    'bert-ba…'
    """
    text = plain(text)  # names come from stores and web pages: no escapes reach the screen
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


#: DataTable draws one blank cell on each side of a column's text.
CELL_PADDING = 2
#: Room kept for the vertical scrollbar, which appears once rows outgrow the height.
SCROLLBAR = 2
#: Rows looked at to learn how wide a column's text is.
WIDTH_SAMPLE = 500


def fitted_widths(specs: Sequence[Column], rows: Sequence[dict[str, Any]],
                  available: int) -> dict[str, int]:
    """Column widths for a table ``available`` cells wide.

    Each column gets its spec's width; room the terminal has beyond that goes to the text
    columns whose values are cut, in proportion to what they miss, never past their longest
    value. A narrow terminal keeps the spec widths (and cuts with an ellipsis).

    >>> specs = [Column("model_name", "Model", 8), Column("score", "Score", 6, kind="score")]
    >>> rows = [{"model_name": "distilbert-base-uncased", "score": 0.9}]
    >>> [fitted_widths(specs, rows, width)["model_name"] for width in (18, 24, 80)]
    [8, 14, 23]
    """
    widths = {s.key: s.width for s in specs}
    spare = available - sum(w + CELL_PADDING for w in widths.values())
    if spare <= 0:
        return widths
    sample = rows[:WIDTH_SAMPLE]
    missing = {}
    for spec in specs:
        if spec.numeric or spec.kind == "time":
            continue
        longest = max((len(spec.render(r.get(spec.key))) for r in sample), default=0)
        if longest > spec.width:
            missing[spec.key] = longest - spec.width
    total = sum(missing.values())
    for key, short in missing.items():
        widths[key] += min(short, spare * short // total)
    return widths


def sparkline_axis(values: Sequence[float]) -> tuple[float, float]:
    """The vertical axis a sparkline of ``values`` is drawn against: from zero when the values
    do not cross it, so a 0.6 % change draws as a 0.6 % change and not as a full-height step.

    >>> sparkline_axis([0.9, 0.9054]), sparkline_axis([-3.0, -1.0]), sparkline_axis([-1.0, 2.0])
    ((0.0, 0.9054), (-3.0, 0.0), (-1.0, 2.0))
    """
    low, high = min(values), max(values)
    if low >= 0:
        return 0.0, high
    if high <= 0:
        return low, 0.0
    return low, high


class _AxisSparklineRenderable(SparklineRenderable):
    """Textual's sparkline, drawn against a given axis instead of the data's own min..max."""

    def __init__(self, data: Sequence[float], *, axis: tuple[float, float], **options: Any):
        super().__init__(data, **options)
        self.axis = axis

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = self.width or options.max_width
        height = self.height or 1
        steps = len(self.BARS)
        floor, ceiling = self.axis
        extent = (ceiling - floor) or 1.0
        buckets = list(self._buckets(list(self.data), num_buckets=width))
        stride = len(buckets) / width
        ratios = [min(max((self.summary_function(buckets[int(i * stride)]) - floor) / extent,
                          0.0), 1.0) for i in range(width)]
        low, high = (style.color.get_truecolor() for style in (self.min_color, self.max_color))
        for line in reversed(range(height)):
            for ratio in ratios:
                filled = max(1, round(ratio * steps * height)) - line * steps  # in eighths
                if filled <= 0:
                    yield Segment(" ")
                    continue
                bar = "█" if filled >= steps else self.BARS[filled - 1]
                color = Color.from_triplet(blend_rgb(low, high, ratio))
                yield Segment(bar, Style.from_color(color))
            if line:
                yield Segment.line()


class AxisSparkline(Sparkline):
    """A sparkline whose bars start at zero (see :func:`sparkline_axis`)."""

    def render(self) -> Any:
        plain = super().render()
        values = list(self.data or [])
        if len(values) < 2 or not isinstance(plain, SparklineRenderable):
            return plain
        return _AxisSparklineRenderable(
            values, axis=sparkline_axis(values), width=plain.width, height=plain.height,
            min_color=plain.min_color.color, max_color=plain.max_color.color,
            summary_function=plain.summary_function)


class SortableTable(DataTable):
    """A row-cursor table of dict rows laid out by :class:`~.data.Column` specs.

    The sorted column's header carries ▲ (ascending) or ▼ (descending). Sorting itself is the
    owner's business (in memory, or by asking the store), told through :class:`SortChanged`.
    """

    class SortChanged(Message):
        """The user asked for a new sort column or direction."""

        def __init__(self, table: SortableTable) -> None:
            super().__init__()
            self.table = table

    def __init__(self, columns: Sequence[Column], *, sort_key: str | None = None,
                 descending: bool = False, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.specs = tuple(columns)
        self.sort_key = sort_key
        self.descending = descending
        self.rows_shown: list[dict[str, Any]] = []
        self.widths = {s.key: s.width for s in self.specs}
        self._drawn: tuple[str | None, bool, dict[str, int]] | None = None

    def on_mount(self) -> None:
        self._add_columns()

    def on_resize(self) -> None:
        if self.rows_shown and self._widths_for(self.rows_shown) != self.widths:
            self.show(list(self.rows_shown))  # wider or narrower: lay the columns out again

    def _widths_for(self, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
        return fitted_widths(self.specs, rows, self.size.width - SCROLLBAR)

    def _add_columns(self) -> None:
        self._drawn = (self.sort_key, self.descending, dict(self.widths))
        for spec in self.specs:
            arrow = ""
            if spec.key == self.sort_key:
                arrow = " ▼" if self.descending else " ▲"
            width = self.widths[spec.key]
            label = Text(cut(spec.label, width - len(arrow)) + arrow,
                         justify="right" if spec.numeric else "left")
            self.add_column(label, width=width, key=spec.key)

    def cell(self, spec: Column, row: dict[str, Any]) -> Text:
        """One rendered cell; a ``best_<key>`` flag in the row marks the cell with ★."""
        text = spec.render(row.get(spec.key))
        best = bool(row.get(f"best_{spec.key}"))
        if best:
            text = "★" + text
        return Text(cut(text, self.widths[spec.key]), style="bold green" if best else "",
                    justify="right" if spec.numeric else "left")

    def show(self, rows: Sequence[dict[str, Any]]) -> None:
        """Replace every row (and redraw the headers when the sort or the widths changed)."""
        self.widths = self._widths_for(rows)
        if (self.sort_key, self.descending, self.widths) != self._drawn:
            self.clear(columns=True)
            self._add_columns()
        else:
            self.clear()
        self.rows_shown = []
        self.append(rows)

    def append(self, rows: Sequence[dict[str, Any]]) -> None:
        """Add rows at the end (the next page)."""
        self.rows_shown.extend(rows)
        self.add_rows([[self.cell(s, r) for s in self.specs] for r in rows])

    def selected(self) -> dict[str, Any] | None:
        """The row under the cursor, or ``None`` when the table is empty."""
        if not self.rows_shown or self.cursor_row < 0:
            return None
        return self.rows_shown[min(self.cursor_row, len(self.rows_shown) - 1)]

    def sortable(self) -> list[Column]:
        return list(self.specs)

    def sort_on(self, key: str) -> None:
        """Sort by ``key``; the same key again flips the direction. Numbers start high."""
        spec = next(s for s in self.specs if s.key == key)
        if key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = key, spec.numeric or spec.kind == "time"
        self.post_message(self.SortChanged(self))

    def sort_next(self) -> None:
        """Sort by the next column to the right of the current one."""
        keys = [s.key for s in self.sortable()]
        index = keys.index(self.sort_key) + 1 if self.sort_key in keys else 0
        self.sort_on(keys[index % len(keys)])

    def sort_reverse(self) -> None:
        """Flip the sort direction."""
        if self.sort_key is None:
            self.sort_next()
            return
        self.descending = not self.descending
        self.post_message(self.SortChanged(self))

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value in {s.key for s in self.sortable()}:
            self.sort_on(str(event.column_key.value))


class BrowseView(Vertical):
    """A status line, a table and an empty-state message; rows loaded in a thread worker."""

    DEFAULT_CSS = """
    BrowseView { height: 1fr; }
    BrowseView > .status { height: 1; color: $text-muted; padding: 0 1; }
    BrowseView > SortableTable { height: 1fr; }
    BrowseView > .empty { display: none; padding: 1 2; height: auto; }
    BrowseView.is-empty > .empty { display: block; }
    BrowseView.is-empty > SortableTable { display: none; }
    """

    columns: Sequence[Column] = ()
    noun = "rows"
    initial_sort: tuple[str | None, bool] = (None, False)

    class Open(Message):
        """Enter on a row: what to open (``("model", name)`` or ``("board", task, ds, m)``)."""

        def __init__(self, target: tuple[str, ...]) -> None:
            super().__init__()
            self.target = target

    def __init__(self, view: StoreView | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.store_view = view
        self.search = ""
        self.loaded_search: str | None = None
        self.generation = 0
        self.loading = False

    def compose(self) -> ComposeResult:
        key, descending = self.initial_sort
        yield Static("", classes="status")
        yield SortableTable(self.columns, sort_key=key, descending=descending)
        yield Static("", classes="empty")

    @property
    def table(self) -> SortableTable:
        return self.query_one(SortableTable)

    def set_status(self, text: str) -> None:
        """One plain line (names from the data are never read as markup)."""
        # Fixed height: no layout pass needed (this runs on every keystroke).
        self.query_one(".status", Static).update(Text(text), layout=False)

    # -- loading ------------------------------------------------------------------------------
    def reload(self, search: str | None = None) -> None:
        """Fetch rows for ``search`` (default: the current one) without blocking the UI."""
        if self.store_view is None:
            return
        if search is not None:
            self.search = search
        self.generation += 1
        self.loading = True
        self.set_timer(0.3, self._slow_notice(self.generation))
        self.run_worker(self._load_in_thread(self.generation, self.search), thread=True,
                        exclusive=True, group="load", name=f"load {self.noun}")

    def _slow_notice(self, generation: int) -> Callable[[], None]:
        def notice() -> None:  # only a slow answer is worth a "loading…" (no flicker)
            if self.loading and generation == self.generation:
                self.set_status("loading…")
        return notice

    def forget(self) -> None:
        """The data changed (a collection, a reload): the next look asks the store again."""
        self.loaded_search = None

    def ensure_loaded(self, search: str) -> None:
        """Reload only when ``search`` differs from what is shown."""
        if self.loaded_search != search or self.store_view is None:
            self.reload(search)

    def _load_in_thread(self, generation: int, search: str) -> Callable[[], None]:
        def work() -> None:
            try:
                payload = self.fetch(search)
            except ModelBenchError as exc:
                self._from_thread(self._failed, generation, exc)
                return
            if generation == self.generation:
                self._from_thread(self._apply, generation, search, payload)
        return work

    def _from_thread(self, func: Callable[..., Any], *args: Any) -> None:
        try:
            self.app.call_from_thread(func, *args)
        except RuntimeError:  # the app closed while the query ran
            pass

    def _failed(self, generation: int, error: ModelBenchError) -> None:
        if generation == self.generation:
            self.loading = False
            self.set_status(f"could not load {self.noun}: {error.message}")
        self.app.store_failed(error)  # type: ignore[attr-defined]

    def _apply(self, generation: int, search: str, payload: Any) -> None:
        if generation != self.generation:
            return  # a newer keystroke already asked for other rows
        self.loading = False
        self.loaded_search = search
        self.render_payload(payload)

    def fetch(self, search: str) -> Any:
        """Runs in a worker thread: query the store."""
        raise NotImplementedError

    def render_payload(self, payload: Any) -> None:
        """Runs on the UI thread: show what :meth:`fetch` returned."""
        raise NotImplementedError

    def show_empty(self, empty: bool) -> None:
        self.set_class(empty, "is-empty")
        if empty:
            self.query_one(".empty", Static).update(self.empty_message())

    def empty_message(self) -> Text:
        if self.search.strip():
            return Text.assemble(f"No {self.noun} match ", (self.search, "bold"),
                                 ".\n\nPress ", ("/", "bold"), " to edit the filter.")
        return self.app.empty_help()  # type: ignore[attr-defined]

    # -- keys -------------------------------------------------------------------------------
    @on(SortableTable.SortChanged)
    def _sorted(self, event: SortableTable.SortChanged) -> None:
        event.stop()
        self.resort()

    def resort(self) -> None:
        self.reload()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.table.selected()
        if row is not None:
            self.post_message(self.Open(self.target(row)))

    def target(self, row: dict[str, Any]) -> tuple[str, ...]:
        return ("model", row["model_name"])


#: Short source names for the one-line status (it must fit 80 columns).
_SHORT = {"huggingface": "HF", "paperswithcode": "PwC"}



class MemoryView(BrowseView):
    """A view over a small aggregate held in memory, filtered and sorted locally."""

    def __init__(self, view: StoreView | None = None, **kwargs: Any) -> None:
        super().__init__(view, **kwargs)
        self.all_rows: list[dict[str, Any]] = []
        self.matching_rows: list[dict[str, Any]] = []

    def resort(self) -> None:
        self.render_rows()

    def render_payload(self, payload: Any) -> None:
        self.all_rows = payload
        self.render_rows()

    def render_rows(self) -> None:
        table = self.table
        self.show_rows(data.apply(self.all_rows, self.search, table.sort_key, table.descending))

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        """Put the first page of ``rows`` on screen; the rest follow as the cursor moves."""
        self.matching_rows = rows
        self.table.show(rows[:MEMORY_PAGE])
        self.show_empty(not rows)
        self.set_status(self.status_text(len(rows)))

    @on(DataTable.RowHighlighted)
    def _next_page(self, event: DataTable.RowHighlighted) -> None:
        shown = len(self.table.rows_shown)
        margin = max(1, min(PREFETCH, MEMORY_PAGE // 4))
        if event.cursor_row >= shown - margin and shown < len(self.matching_rows):
            self.table.append(self.matching_rows[shown:shown + MEMORY_PAGE])

    def status_text(self, matching: int) -> str:
        return f"{matching:,} {self.noun}"


class ModelsView(MemoryView):
    """Every model with metadata or results; the filter goes through ``ResultFilter.search``."""

    columns = data.MODEL_COLUMNS
    noun = "models"
    initial_sort = ("model_name", False)

    def fetch(self, search: str) -> list[dict[str, Any]]:
        return data.fill_measured(self.store_view, data.model_rows(self.store_view, search))

    def render_rows(self) -> None:
        # The store did the filtering (names and results matching the search).
        table = self.table
        rows = data.sort_rows(self.all_rows, table.sort_key, table.descending) \
            if table.sort_key else self.all_rows
        self.show_rows(rows)

    def status_text(self, matching: int) -> str:
        return super().status_text(matching) + "  ·  Enter: details"


class TasksView(MemoryView):
    """One row per (task, dataset, metric) with its best model; Enter opens the leaderboard."""

    columns = data.TASK_COLUMNS
    noun = "leaderboards"
    initial_sort = ("task_type", False)

    def ensure_loaded(self, search: str) -> None:
        # The aggregate does not depend on the search: load once, filter locally.
        if self.loaded_search is None:
            self.reload(search)
        elif search != self.search:
            self.search = search
            self.render_rows()

    def fetch(self, search: str) -> list[dict[str, Any]]:
        return data.task_rows(self.store_view)

    def status_text(self, matching: int) -> str:
        return super().status_text(matching) + "  ·  Enter: leaderboard"

    def target(self, row: dict[str, Any]) -> tuple[str, ...]:
        return ("board", row["task_type"], row["dataset_name"], row["metric"],
                row["dataset_config"], row["dataset_split"])


class SourcesView(TasksView):
    """Measured (``local``) next to published numbers, per model and benchmark."""

    columns = data.SOURCE_COLUMNS
    noun = "model/benchmark pairs"
    initial_sort = (None, False)

    def __init__(self, view: StoreView | None = None, **kwargs: Any) -> None:
        super().__init__(view, **kwargs)
        self.counts: dict[str, int] = {}

    def fetch(self, search: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
        return data.source_rows(self.store_view)

    def render_payload(self, payload: Any) -> None:
        self.all_rows, self.counts = payload
        self.render_rows()

    def status_text(self, matching: int) -> str:
        counts = " · ".join(f"{_SHORT.get(s, s)} {n:,}" for s, n in self.counts.items())
        return f"{counts or 'no results'}  |  {MemoryView.status_text(self, matching)}"


class ResultsView(BrowseView):
    """Every stored result, paged from the store: sort and filter are the store's."""

    columns = data.RESULT_COLUMNS
    noun = "results"
    initial_sort = ("timestamp", True)

    def __init__(self, view: StoreView | None = None, page_size: int = 100,
                 **kwargs: Any) -> None:
        super().__init__(view, **kwargs)
        self.page_size = page_size
        self.total: int | None = 0  # None while the count is on its way
        self.more_loading = False
        self.pager: data.ResultsPager | None = None
        self.counts: dict[str, int] = {}  # search -> count (sorting does not change it)

    def reload(self, search: str | None = None) -> None:
        # Read the sort on the UI thread; the worker only talks to the store.
        if self.store_view is not None:
            pager = data.ResultsPager(self.store_view, page_size=self.page_size)
            spec = next(s for s in self.columns if s.key == self.table.sort_key)
            pager.search = self.search if search is None else search
            pager.order_by, pager.descending = spec.store_key or "timestamp", self.table.descending
            self.pager = pager
        super().reload(search)

    def forget(self) -> None:
        super().forget()
        self.counts.clear()

    def fetch(self, search: str) -> list[dict[str, Any]]:
        return [data.result_row(r) for r in self.pager.page(0)]

    def _load_in_thread(self, generation: int, search: str) -> Callable[[], None]:
        # Rows first (that is what the user waits for), then the count for the status line.
        show_rows = super()._load_in_thread(generation, search)
        pager = self.pager

        def counted() -> bool:
            return generation != self.generation or self.total is not None

        def work() -> None:
            show_rows()
            if counted():
                return
            # Count only once typing pauses: a full count must not delay the next key's rows.
            time.sleep(COUNT_AFTER_IDLE_S)
            if counted():
                return
            try:
                total = pager.total()
            except ModelBenchError as exc:
                self._from_thread(self.app.store_failed, exc)  # type: ignore[attr-defined]
                return
            self._from_thread(self._counted, generation, search, total)
        return work

    def render_payload(self, payload: Any) -> None:
        rows = payload
        # A short first page is the whole answer: no need to count.
        self.total = len(rows) if len(rows) < self.page_size else self.counts.get(self.search)
        self.table.show(rows)
        self.show_empty(not rows)
        self._status()

    def _counted(self, generation: int, search: str, total: int) -> None:
        self.counts[search] = total
        if generation == self.generation:
            self.total = total
            self._status()

    def _status(self) -> None:
        loaded = len(self.table.rows_shown)
        if self.total is None:
            text = f"{loaded:,}+ results (counting…)"
        else:
            text = f"{self.total:,} results" + (f" ({loaded:,} loaded)" if loaded < self.total
                                                  else "")
        self.set_status(text + "  ·  Enter: model details")

    @on(DataTable.RowHighlighted)
    def _maybe_load_more(self, event: DataTable.RowHighlighted) -> None:
        loaded = len(self.table.rows_shown)
        margin = max(1, min(PREFETCH, self.page_size // 4))
        more = self.total is None or loaded < self.total
        if (event.cursor_row >= loaded - margin and more
                and not self.more_loading and not self.loading):
            self.more_loading = True
            self.run_worker(self._more_in_thread(self.generation, self.pager, loaded),
                            thread=True, group="more", name="next page")

    def _more_in_thread(self, generation: int, pager: data.ResultsPager,
                        offset: int) -> Callable[[], None]:
        def work() -> None:
            try:
                rows = [data.result_row(r) for r in pager.page(offset)]
            except ModelBenchError as exc:
                self._from_thread(self._more_failed, exc)
                return
            self._from_thread(self._append, generation, rows)
        return work

    def _more_failed(self, error: ModelBenchError) -> None:
        self.more_loading = False
        self.app.store_failed(error)  # type: ignore[attr-defined]

    def _append(self, generation: int, rows: list[dict[str, Any]]) -> None:
        self.more_loading = False
        if generation == self.generation:
            self.table.append(rows)
            if self.total is None and len(rows) < self.page_size:  # reached the end
                self.total = len(self.table.rows_shown)
            self._status()
