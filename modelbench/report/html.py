"""One self-contained HTML file: leaderboards, latency distributions, Pareto fronts, history.

Plots are plotly figures with plotly.js embedded once, so the file opens offline.
Leaderboards, Pareto fronts and history come from :mod:`modelbench.analysis` (the CLI's and
the TUI's ranking); every string from the store is HTML-escaped (published model names are
untrusted input).
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..analysis import (
    Board,
    ServingCurve,
    board_pareto,
    format_value,
    history,
    leaderboards,
    pareto_front,
    serving_curves,
)
from ..errors import ModelBenchError
from ..numbers import format_duration
from ..records import BenchmarkResult
from ..store import DatabaseManager, ResultFilter

__all__ = ["ReportData", "collect_report_data", "build_report", "write_report", "pareto_front"]

@dataclass
class Point:
    """A measured model on a board's Pareto plot."""

    label: str
    latency_ms: float
    score: float
    result_id: str
    on_front: bool = False


@dataclass
class ReportBoard:
    """A leaderboard as analysis ranked it, and its measured models for the plots."""

    board: Board
    points: list[Point] = field(default_factory=list)

    @property
    def dataset(self) -> str:
        return "/".join(p for p in (self.board.key.dataset, self.board.key.dataset_config) if p)

    @property
    def metric(self) -> str:
        return self.board.key.metric


@dataclass
class ReportData:
    """Everything the report shows, read from the store once."""

    store: str
    generated_at: datetime
    n_results: int
    boards: list[ReportBoard]
    boxes: dict[str, dict[str, float]]  # label -> p1/q1/median/q3/p99 of per-call latency, ms
    histories: dict[str, list[dict[str, Any]]]  # "model (dataset, metric)" -> points
    changes: dict[str, list[str]]  # same labels -> change points, described
    failures: list[BenchmarkResult]
    serving: list[ServingCurve] = field(default_factory=list)  # latency/throughput vs load


def collect_report_data(store: DatabaseManager, *, flt: ResultFilter | None = None,
                        max_boards: int = 20, max_models: int = 15) -> ReportData:
    """Read what the report needs: the analysis layer's leaderboards (the largest
    ``max_boards``), samples of the measured models, and their history series."""
    flt = flt or ResultFilter()
    ranked = sorted(leaderboards(store, flt, limit=max_models),
                    key=lambda b: (-b.n_results, b.key))[:max_boards]
    boards = []
    for board in ranked:
        entries, front = board_pareto(board)
        points = [Point(e.label, float(e.latency_ms or 0.0), float(e.measured or 0.0),
                        e.measured_id, i in front) for i, e in enumerate(entries)]
        boards.append(ReportBoard(board, points))
    boxes: dict[str, dict[str, float]] = {}
    histories: dict[str, list[dict[str, Any]]] = {}
    changes: dict[str, list[str]] = {}
    for item in boards:
        key = item.board.key
        for point in item.points[:max_models]:
            label = f"{point.label} ({item.dataset})"
            raw = store.get_samples(point.result_id) if label not in boxes else []
            if len(raw):
                # Five numbers per model, not every sample: the report stays small.
                p1, q1, med, q3, p99 = np.percentile(raw, [1, 25, 50, 75, 99]) / 1e6
                boxes[label] = {"p1": p1, "q1": q1, "median": med, "q3": q3, "p99": p99}
            model = point.label.split(" (bs ")[0]
            for series in history(store, model, metric=key.metric, task_type=key.task_type,
                                  dataset=key.dataset):
                if (series.dataset_config, series.dataset_split) != (
                        key.dataset_config, key.dataset_split) or len(series.points) < 2:
                    continue
                name = f"{point.label} ({item.dataset}, {item.metric})"
                histories[name] = [p.as_dict() for p in series.points]
                changes[name] = [c.describe() for c in series.changes]
    failures = [r for status in ("error", "timeout") for r in store.query_results(
        dataclasses.replace(flt, status=status), limit=50)][:50]
    return ReportData(store.describe(), datetime.now(UTC), store.count_results(flt),
                      boards, boxes, histories, changes, failures, serving_curves(store, flt))


def _esc(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return html.escape(f"{value:.4g}")
    return html.escape(str(value))


def _board_html(item: ReportBoard) -> str:
    board = item.board
    key = board.key
    split = f" ({_esc(key.dataset_split)})" if key.dataset_split else ""
    lines = [f"<h3>{_esc(key.task_type) or 'task?'} · {_esc(item.dataset) or 'dataset?'}{split}"
             f" · {_esc(key.metric)} <span class='muted'>({_esc(board.direction_label)})</span>"
             "</h3>",
             "<table><tr><th>#</th><th>model</th><th>best</th><th>measured</th>"
             "<th>published</th><th>median latency</th><th>results</th><th>source</th></tr>"]
    for entry in board.entries:
        cls = ' class="best"' if entry.rank == 1 else ""
        sources = ",".join(entry.sources)
        kind = "measured" if sources == "local" else (
            "published" if "local" not in entry.sources else "both")
        rank = f"{entry.rank}=" if entry.tied else str(entry.rank)
        lines.append(f"<tr{cls}><td>{rank}</td><td>{_esc(entry.label)}</td>"
                     f"<td>{_esc(format_value(board.info, entry.value))}</td>"
                     f"<td>{_esc(format_value(board.info, entry.measured))}</td>"
                     f"<td>{_esc(format_value(board.info, entry.published))}</td>"
                     f"<td>{_esc(format_duration(entry.latency_ms))}</td>"
                     f"<td>{entry.n_results}</td><td><span class='tag {kind}'>"
                     f"{_esc(sources)}</span></td></tr>")
    lines.append("</table>")
    if board.flagged:
        lines.append("<p class='muted'>Not ranked (outside the metric's range): " + ", ".join(
            f"{_esc(s.model_name)} {_esc(s.raw)}" for s in board.flagged[:10]) + "</p>")
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
        pts = board.points
        if len(pts) < 2:
            continue
        fig = go.Figure(go.Scatter(
            x=[p.latency_ms for p in pts], y=[p.score for p in pts],
            text=[p.label for p in pts], mode="markers+text", textposition="top center",
            marker={"size": 11, "color": ["#d62728" if p.on_front else "#1f77b4"
                                          for p in pts]}))
        fig.update_layout(title=f"Score vs latency — {board.dataset} / {board.metric} "
                                "(red: Pareto front)", xaxis_title="median latency (ms)",
                          yaxis_title=board.metric, xaxis_type="log", height=420)
        figures.append((f"pareto-{board.dataset}-{board.metric}", fig))
    figures.extend(_serving_figures(go, data.serving))
    if data.histories:
        fig = go.Figure()
        for name, points in data.histories.items():
            fig.add_trace(go.Scatter(x=[p["timestamp"] for p in points],
                                     y=[p["score"] for p in points], name=name,
                                     mode="lines+markers"))
        fig.update_layout(title="Score over time", height=400)
        figures.append(("history", fig))
    return figures


_SERVING_DASH = {"p50": "solid", "p99": "dash"}


def _serving_figures(go: Any, curves: list[ServingCurve]) -> list[tuple[str, Any]]:
    """Per prompt set and kind of load: latency percentiles vs load, throughput vs load."""
    groups: dict[tuple[str, str, str], list[ServingCurve]] = {}
    for curve in curves:
        groups.setdefault((curve.dataset, curve.axis, curve.load_kind), []).append(curve)
    figures = []
    for (dataset, axis, load_kind), members in groups.items():
        unit = "requests/s" if axis == "rate" else "concurrent requests"
        latency, throughput = go.Figure(), go.Figure()
        for curve in members:
            name = f"{curve.model_name} {curve.model_version}".strip()
            loads = [p.load for p in curve.points]
            for series in ("ttft", "tpot", "e2e"):
                for pct, dash in _SERVING_DASH.items():
                    values = [p.latency.get(series, {}).get(pct) for p in curve.points]
                    if any(v is not None for v in values):
                        latency.add_trace(go.Scatter(
                            x=loads, y=values, name=f"{name} {series} {pct}",
                            mode="lines+markers", line={"dash": dash}))
            throughput.add_trace(go.Scatter(x=loads, y=[p.output_tokens_per_s
                                                        for p in curve.points],
                                            name=f"{name} output tokens/s", mode="lines+markers"))
            throughput.add_trace(go.Scatter(x=loads, y=[p.requests_per_s for p in curve.points],
                                            name=f"{name} requests/s", mode="lines+markers",
                                            yaxis="y2", line={"dash": "dot"}))
        latency.update_layout(title=f"Serving latency vs {axis} — {dataset} ({load_kind}; "
                                    "solid p50, dashed p99)", xaxis_title=unit,
                              yaxis_title="ms", yaxis_type="log", height=460)
        throughput.update_layout(title=f"Serving throughput vs {axis} — {dataset} "
                                       f"({load_kind})", xaxis_title=unit,
                                 yaxis_title="output tokens/s", height=420,
                                 yaxis2={"title": "requests/s", "overlaying": "y",
                                         "side": "right"})
        slug = f"{dataset}-{axis}-{load_kind}"
        figures += [(f"serving-latency-{slug}", latency),
                    (f"serving-throughput-{slug}", throughput)]
    return figures


def _serving_html(curves: list[ServingCurve]) -> str:
    lines = ["<h2>Serving (LLM endpoints)</h2>",
             "<table><tr><th>model · prompts · load</th><th>load</th><th>TTFT p50/p99</th>"
             "<th>TPOT p50/p99</th><th>ITL p99</th><th>E2E p50/p99</th><th>req/s</th>"
             "<th>output tok/s</th><th>goodput</th><th>errors</th></tr>"]

    def pair(point: Any, series: str) -> str:
        stats = point.latency.get(series, {})
        return f"{format_duration(stats.get('p50'))} / {format_duration(stats.get('p99'))}"

    for curve in curves:
        for p in curve.points:
            goodput = "–" if p.goodput is None else f"{p.goodput:.1%}"
            errors = "–" if p.error_rate is None else f"{p.error_rate:.1%}"
            lines.append(
                f"<tr><td>{_esc(curve.label)}</td><td>{p.load:g}</td>"
                f"<td>{_esc(pair(p, 'ttft'))}</td><td>{_esc(pair(p, 'tpot'))}</td>"
                f"<td>{_esc(format_duration(p.latency.get('itl', {}).get('p99')))}</td>"
                f"<td>{_esc(pair(p, 'e2e'))}</td><td>{_esc(p.requests_per_s)}</td>"
                f"<td>{_esc(p.output_tokens_per_s)}</td><td>{goodput}</td><td>{errors}</td></tr>")
    lines.append("</table>")
    return "\n".join(lines)


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
    if data.serving:
        parts.append(_serving_html(data.serving))
    described = [(name, c) for name, found in data.changes.items() for c in found]
    if described:
        parts.append("<h2>Change points</h2><ul>")
        parts.extend(f"<li><b>{_esc(name)}</b>: {_esc(c)}</li>" for name, c in described)
        parts.append("</ul>")
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
        pts = board.points
        if len(pts) < 2:
            continue
        front = sorted((p for p in pts if p.on_front), key=lambda p: p.latency_ms)
        fig, ax = plt.subplots(figsize=(7, 4.5))
        ax.scatter([p.latency_ms for p in pts], [p.score for p in pts])
        ax.plot([p.latency_ms for p in front], [p.score for p in front], "r-o")
        for p in pts:
            ax.annotate(p.label, (p.latency_ms, p.score), fontsize=8)
        ax.set_xscale("log")
        ax.set_xlabel("median latency (ms)")
        ax.set_ylabel(board.metric)
        fig.tight_layout()
        safe = "".join(c if c.isalnum() else "_" for c in f"{board.dataset}_{board.metric}")
        written.append(folder / f"pareto_{safe}.png")
        fig.savefig(written[-1], dpi=110)
        plt.close(fig)
    return written
