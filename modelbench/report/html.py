"""One self-contained HTML file: leaderboards, latency distributions, Pareto fronts, history.

Plots are plotly figures with plotly.js embedded once, so the file opens offline. Every value
shown comes through the store contract; every string from the store is HTML-escaped (published
model names are untrusted input).
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelBenchError
from ..metrics import higher_is_better
from ..numbers import format_duration
from ..records import BenchmarkResult
from ..store import DatabaseManager, ResultFilter

__all__ = ["ReportData", "collect_report_data", "build_report", "write_report", "pareto_front"]

def pareto_front(points: list[tuple[float, float]], *, higher_score_is_better: bool = True
                 ) -> list[int]:
    """Indices of points (latency, score) that no other point beats on both axes.

    >>> pareto_front([(1.0, 0.8), (2.0, 0.9), (3.0, 0.85), (0.5, 0.5)])
    [3, 0, 1]
    """
    sign = 1.0 if higher_score_is_better else -1.0
    order = sorted(range(len(points)), key=lambda i: (points[i][0], -sign * points[i][1]))
    front, best = [], -np.inf
    for i in order:
        score = sign * points[i][1]
        if score > best:
            front.append(i)
            best = score
    return front


@dataclass
class Board:
    task_type: str
    dataset: str
    metric: str
    rows: list[dict[str, Any]]
    local: list[BenchmarkResult] = field(default_factory=list)


@dataclass
class ReportData:
    """Everything the report shows, read from the store once."""

    store: str
    generated_at: datetime
    n_results: int
    boards: list[Board]
    boxes: dict[str, dict[str, float]]  # label -> p1/q1/median/q3/p99 of per-call latency, ms
    histories: dict[str, list[dict[str, Any]]]  # "model (dataset, metric)" -> points
    failures: list[BenchmarkResult]


def collect_report_data(store: DatabaseManager, *, flt: ResultFilter | None = None,
                        max_boards: int = 20, max_models: int = 15) -> ReportData:
    """Read what the report needs: top models per (task, dataset, metric), samples, history."""
    flt = flt or ResultFilter()
    results = store.query_results(flt, order_by="timestamp", descending=True, limit=20_000)
    groups: dict[tuple[str, str, str], list[BenchmarkResult]] = defaultdict(list)
    for r in results:
        if r.status == "ok" and r.score is not None and r.metric:
            groups[(r.task_type, r.dataset, r.metric)].append(r)
    ranked = sorted(groups.items(), key=lambda kv: -len(kv[1]))[:max_boards]
    boards = []
    for (task, dataset, metric), members in ranked:
        rows = store.top_models(task_type=task, dataset=dataset, metric=metric,
                                limit=max_models, higher_is_better=higher_is_better(metric))
        latest_local: dict[str, BenchmarkResult] = {}
        for r in members:  # newest first: keep each model's latest measured result
            if r.source == "local" and r.latency is not None:
                latest_local.setdefault(r.model_name, r)
        boards.append(Board(task, dataset, metric, rows, list(latest_local.values())))
    boxes: dict[str, dict[str, float]] = {}
    histories: dict[str, list[dict[str, Any]]] = {}
    for board in boards:
        for r in board.local[:max_models]:
            label = f"{r.model_name} ({board.dataset})"
            raw = store.get_samples(r.id) if label not in boxes else []
            if len(raw):
                # Five numbers per model, not every sample: the report stays small.
                p1, q1, med, q3, p99 = np.percentile(raw, [1, 25, 50, 75, 99]) / 1e6
                boxes[label] = {"p1": p1, "q1": q1, "median": med, "q3": q3, "p99": p99}
            points = store.model_history(r.model_name, dataset=board.dataset,
                                         metric=board.metric, task_type=board.task_type)
            if len(points) > 1:
                histories[f"{r.model_name} ({board.dataset}, {board.metric})"] = points
    failures = [r for r in results if r.status != "ok"][:50]
    return ReportData(store.describe(), datetime.now(UTC), store.count_results(flt),
                      boards, boxes, histories, failures)


def _esc(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return html.escape(f"{value:.4g}")
    return html.escape(str(value))


def _board_html(board: Board) -> str:
    best = board.rows[0]["best_score"] if board.rows else None
    lines = [f"<h3>{_esc(board.task_type) or 'task?'} · {_esc(board.dataset) or 'dataset?'} · "
             f"{_esc(board.metric)}"
             f"{' (lower is better)' if not higher_is_better(board.metric) else ''}</h3>",
             "<table><tr><th>#</th><th>model</th><th>best</th><th>median latency</th>"
             "<th>results</th><th>source</th></tr>"]
    for rank, row in enumerate(board.rows, 1):
        cls = ' class="best"' if row["best_score"] == best else ""
        kind = "measured" if row["sources"] == "local" else (
            "published" if "local" not in row["sources"] else "both")
        lines.append(f"<tr{cls}><td>{rank}</td><td>{_esc(row['model_name'])}</td>"
                     f"<td>{_esc(row['best_score'])}</td>"
                     f"<td>{_esc(format_duration(row['median_latency_ms']))}</td>"
                     f"<td>{row['n_results']}</td><td><span class='tag {kind}'>"
                     f"{_esc(row['sources'])}</span></td></tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _figures(data: ReportData) -> list[tuple[str, Any]]:
    try:
        import plotly.graph_objects as go
    except ModuleNotFoundError as exc:
        raise ModelBenchError("HTML reports need plotly",
                              hint="pip install 'modelbench[report]'") from exc
    figures = []
    if data.boxes:
        fig = go.Figure()
        for label, box in data.boxes.items():
            fig.add_trace(go.Box(y=[label], q1=[box["q1"]], median=[box["median"]],
                                 q3=[box["q3"]], lowerfence=[box["p1"]], upperfence=[box["p99"]],
                                 name=label, orientation="h"))
        fig.update_layout(title="Latency per call (ms; box: quartiles, whiskers: p1–p99)",
                          xaxis_type="log", height=max(300, 40 * len(data.boxes) + 120),
                          showlegend=False)
        figures.append(("latency", fig))
    for board in data.boards:
        pts = [(r.latency.median_ms, r.score) for r in board.local if r.latency]
        if len(pts) < 2:
            continue
        front = set(pareto_front(pts, higher_score_is_better=higher_is_better(board.metric)))
        names = [r.model_name for r in board.local if r.latency]
        fig = go.Figure(go.Scatter(
            x=[p[0] for p in pts], y=[p[1] for p in pts], text=names, mode="markers+text",
            textposition="top center",
            marker={"size": 11, "color": ["#d62728" if i in front else "#1f77b4"
                                          for i in range(len(pts))]}))
        fig.update_layout(title=f"Score vs latency — {board.dataset} / {board.metric} "
                                "(red: Pareto front)", xaxis_title="median latency (ms)",
                          yaxis_title=board.metric, xaxis_type="log", height=420)
        figures.append((f"pareto-{board.dataset}-{board.metric}", fig))
    if data.histories:
        fig = go.Figure()
        for name, points in data.histories.items():
            fig.add_trace(go.Scatter(x=[p["timestamp"] for p in points],
                                     y=[p["score"] for p in points], name=name,
                                     mode="lines+markers"))
        fig.update_layout(title="Score over time", height=400)
        figures.append(("history", fig))
    return figures


_CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{padding:.25em .7em;border-bottom:1px solid
#ddd;text-align:left}tr.best td{font-weight:bold}
.tag{font-size:.85em;padding:0 .4em;border-radius:3px}
.measured{background:#e3f0ff}.published{background:#fff2d6}.both{background:#e5f7e5}
.muted{color:#777}"""


def build_report(store: DatabaseManager, *, flt: ResultFilter | None = None,
                 title: str = "modelbench report") -> str:
    """The report as one HTML string (plotly.js embedded once)."""
    data = collect_report_data(store, flt=flt)
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{_esc(title)}</title>",
             f"<style>{_CSS}</style></head><body><h1>{_esc(title)}</h1>",
             f"<p class='muted'>{_esc(data.store)} · {data.n_results} results · generated "
             f"{data.generated_at:%Y-%m-%d %H:%M} UTC</p>"]
    if not data.boards:
        parts.append("<p>No scored results yet. Run <code>modelbench run</code> or "
                     "<code>python scripts/example_benchmark.py</code>.</p>")
    parts.append("<h2>Leaderboards</h2>")
    parts.extend(_board_html(b) for b in data.boards)
    figures = _figures(data)
    if figures:
        import plotly.io as pio

        parts.append("<h2>Plots</h2>")
        for i, (_name, fig) in enumerate(figures):
            parts.append(pio.to_html(fig, full_html=False, include_plotlyjs=(i == 0),
                                     div_id=f"fig-{i}", config={"displaylogo": False}))
    if data.failures:
        parts.append("<h2>Failed runs</h2><table><tr><th>time</th><th>model</th><th>status</th>"
                     "<th>message</th></tr>")
        for r in data.failures:
            parts.append(f"<tr><td>{r.timestamp:%Y-%m-%d %H:%M}</td><td>{_esc(r.model_name)}</td>"
                         f"<td>{_esc(r.status)}</td><td>{_esc(r.error_message[:300])}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(store: DatabaseManager, path: str | Path, *, flt: ResultFilter | None = None,
                 png_dir: str | Path | None = None) -> Path:
    """Write the HTML report (and, with ``png_dir``, each plot as a PNG via matplotlib)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(store, flt=flt), encoding="utf-8")
    if png_dir is not None:
        write_pngs(collect_report_data(store, flt=flt), Path(png_dir))
    return out


def write_pngs(data: ReportData, folder: Path) -> list[Path]:
    """Static PNG versions of the latency and Pareto plots (matplotlib, no display needed)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError as exc:
        raise ModelBenchError("PNG plots need matplotlib",
                              hint="pip install 'modelbench[report]'") from exc
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if data.boxes:
        fig, ax = plt.subplots(figsize=(9, 0.5 * len(data.boxes) + 1.5))
        ax.bxp([{"label": label, "whislo": b["p1"], "q1": b["q1"], "med": b["median"],
                 "q3": b["q3"], "whishi": b["p99"], "fliers": []}
                for label, b in data.boxes.items()], orientation="horizontal", showfliers=False)
        ax.set_xscale("log")
        ax.set_xlabel("latency per call (ms)")
        fig.tight_layout()
        written.append(folder / "latency.png")
        fig.savefig(written[-1], dpi=110)
        plt.close(fig)
    for board in data.boards:
        pts = [(r.latency.median_ms, r.score) for r in board.local if r.latency]
        if len(pts) < 2:
            continue
        front = pareto_front(pts, higher_score_is_better=higher_is_better(board.metric))
        fig, ax = plt.subplots(figsize=(7, 4.5))
        ax.scatter([p[0] for p in pts], [p[1] for p in pts])
        ax.plot([pts[i][0] for i in front], [pts[i][1] for i in front], "r-o")
        for (x, y), r in zip(pts, [r for r in board.local if r.latency], strict=True):
            ax.annotate(r.model_name, (x, y), fontsize=8)
        ax.set_xscale("log")
        ax.set_xlabel("median latency (ms)")
        ax.set_ylabel(board.metric)
        fig.tight_layout()
        safe = "".join(c if c.isalnum() else "_" for c in f"{board.dataset}_{board.metric}")
        written.append(folder / f"pareto_{safe}.png")
        fig.savefig(written[-1], dpi=110)
        plt.close(fig)
    return written
