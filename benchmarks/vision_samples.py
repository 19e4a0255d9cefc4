"""Seeded renders of results tables and bar charts with known truth (matplotlib, offline).

Used by ``bench_vision.py`` (the accuracy/speed set) and by ``tests/vision`` (specific cases).

Example:
    >>> sample = render_table(TableSpec(seed=1, style="grid"))     # doctest: +SKIP
    >>> sample.truth["rows"][0][:2]                                 # doctest: +SKIP
    ['GPT-4o', '71.2']
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

SANS = "DejaVu Sans"
SERIF = "Liberation Serif" if any("LiberationSerif" in f for f in font_manager.findSystemFonts()) \
    else "DejaVu Serif"

_MODELS = ["GPT-4o", "Claude-3.5", "Llama-3-8B", "Mistral-7B", "Qwen2-72B", "Gemma-2-9B",
           "Phi-3-mini", "Yi-34B", "DeepSeek-V2", "Falcon-40B", "Mixtral-8x7B", "OLMo-7B",
           "InternLM2-20B", "Command-R", "Vicuna-13B", "BERT-base", "RoBERTa-large", "T5-XL"]
_METRICS = ["MMLU", "GSM8K", "HumanEval", "ARC-C", "HellaSwag", "TruthfulQA", "BBH", "MATH",
            "DROP", "Winogrande", "SQuAD", "GLUE", "F1", "Accuracy", "BLEU", "Top-1"]


@dataclass
class Sample:
    """Encoded image bytes and its truth (same shape as the real fixtures' JSON)."""

    data: bytes
    truth: dict
    name: str


@dataclass
class TableSpec:
    seed: int
    style: str = "grid"  # grid | booktabs | plain
    font: str = SANS
    n_rows: int = 5
    n_cols: int = 4
    fmt: str = "png"  # png | jpeg
    dpi: int = 100
    number_style: str = "plain"  # plain | percent | pm | mixed
    bold_best: bool = True
    section: bool = False
    fill: str = ""  # "" | "zebra" (grey every other row) | "header" (tinted header row)
    light_rules: bool = False  # grey grid lines instead of black
    header: list[str] | None = None  # explicit content instead of seeded random content
    rows: list[list[str]] | None = None


@dataclass
class ChartSpec:
    seed: int
    orientation: str = "vertical"
    n_bars: int = 6
    value_labels: bool = False
    rotation: int = 0
    grid: bool = False
    colored: bool = False
    grouped: int = 1  # series per category
    dark: bool = False
    show_axis: bool = True
    ymax: float = 100.0
    decimals: int = 1
    ymin: float = 0.0  # an axis that does not start at zero (bars drawn from the axis floor)
    inside: bool = False  # value labels printed inside the bar's end, in white
    dpi: int = 100
    font: str = SANS
    edge: bool = False  # dark outlines round the bars
    extra: dict = field(default_factory=dict)


def _value_text(rng: random.Random, style: str) -> str:
    roll = rng.random()
    if roll < 0.06:
        return "-"
    value = rng.uniform(10, 95)
    if style == "percent" or (style == "mixed" and roll < 0.3):
        return f"{value:.1f}%"
    if style == "pm" or (style == "mixed" and roll < 0.45):
        return f"{value:.1f} ± {rng.uniform(0.1, 2.0):.1f}"
    if style == "mixed" and roll < 0.6:
        return f"{value / 100:.3f}"
    return f"{value:.1f}"


def table_truth(spec: TableSpec) -> dict:
    rng = random.Random(spec.seed)
    header = ["Model"] + rng.sample(_METRICS, spec.n_cols)
    rows = [[name] + [_value_text(rng, spec.number_style) for _ in range(spec.n_cols)]
            for name in rng.sample(_MODELS, spec.n_rows)]
    if spec.header is not None:
        header, rows = list(spec.header), [list(r) for r in spec.rows or []]
        spec.n_cols = len(header) - 1
    sections: list[int] = []
    if spec.section:
        rows.insert(0, ["Open models"] + [""] * spec.n_cols)
        sections = [0]
    bold = []
    if spec.bold_best:
        from modelbench.numbers import to_float

        for col in range(1, spec.n_cols + 1):
            scored = [(to_float(r[col]), i) for i, r in enumerate(rows) if to_float(r[col])]
            if scored:
                bold.append([max(scored)[1], col])
    return {"kind": "table", "header": header, "rows": rows, "section_rows": sections,
            "styles": {"bold": bold}}


def render_table(spec: TableSpec) -> Sample:
    """A results table drawn cell by cell, ruled as ``spec.style`` says."""
    truth = table_truth(spec)
    header, rows = truth["header"], truth["rows"]
    bold = {tuple(x) for x in truth["styles"]["bold"]}
    size = 11
    char_w = size * 0.62
    widths = [max(len(r[c]) for r in [header] + rows) * char_w + 28 for c in range(len(header))]
    row_h = size * 2.4
    width = sum(widths) + 20
    height = row_h * (len(rows) + 1) + 20
    fig = plt.figure(figsize=(width / 72, height / 72), dpi=72)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    lines: dict = dict(color="black", linewidth=0.8)
    xs = [10.0]
    for w in widths:
        xs.append(xs[-1] + w)
    top = 10.0
    from matplotlib.patches import Rectangle

    for r in range(len(rows) + 1):
        tint = "#dbe8f6" if spec.fill == "header" and r == 0 else (
            "#eeeeee" if spec.fill == "zebra" and r % 2 == 0 and r else None)
        if tint:
            ax.add_patch(Rectangle((xs[0], top + r * row_h), xs[-1] - xs[0], row_h,
                                   color=tint, zorder=0))
    if spec.light_rules:
        lines["color"] = "#b0b0b0"
    for r, row in enumerate([header] + rows):
        y = top + row_h * (r + 0.5)
        section = r - 1 in truth["section_rows"]
        for c, text in enumerate(row):
            weight = "bold" if (r - 1, c) in bold or r == 0 and spec.style == "booktabs" else \
                "normal"
            if section and c == 0:
                weight = "bold"
            if c == 0:
                ax.text(xs[0] + 8, y, text, va="center", ha="left", fontsize=size,
                        family=spec.font, weight=weight)
            else:
                ax.text((xs[c] + xs[c + 1]) / 2, y, text, va="center", ha="center",
                        fontsize=size, family=spec.font, weight=weight)
    bottom = top + row_h * (len(rows) + 1)
    if spec.style == "grid":
        for r in range(len(rows) + 2):
            ax.plot([xs[0], xs[-1]], [top + r * row_h] * 2, **lines)
        for x in xs:
            ax.plot([x, x], [top, bottom], **lines)
    elif spec.style == "booktabs":
        ax.plot([xs[0], xs[-1]], [top, top], color="black", linewidth=1.4)
        ax.plot([xs[0], xs[-1]], [top + row_h] * 2, color="black", linewidth=0.7)
        ax.plot([xs[0], xs[-1]], [bottom, bottom], color="black", linewidth=1.4)
    buffer = io.BytesIO()
    scale = spec.dpi / 72
    if spec.fmt == "jpeg":
        fig.savefig(buffer, format="jpeg", dpi=72 * scale, pil_kwargs={"quality": 70})
    else:
        fig.savefig(buffer, format="png", dpi=72 * scale)
    plt.close(fig)
    return Sample(buffer.getvalue(), truth, f"table-{spec.seed}-{spec.style}")


def chart_truth(spec: ChartSpec) -> dict:
    rng = random.Random(spec.seed)
    labels = rng.sample(_METRICS if spec.grouped > 1 else _MODELS, spec.n_bars)
    series = rng.sample(_MODELS, spec.grouped) if spec.grouped > 1 else []
    bars = []
    for label in labels:
        for s in series or [""]:
            value = round(spec.ymin + rng.uniform(0.08, 0.95) * (spec.ymax - spec.ymin),
                          spec.decimals)
            item = {"label": label, "value": value}
            if s:
                item["series"] = s
            bars.append(item)
    return {"kind": "bar_chart", "orientation": spec.orientation,
            "layout": "grouped" if series else "single", "series": series, "bars": bars,
            "axis": {"min": spec.ymin, "max": spec.ymax}}


_PALETTE = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]


def render_chart(spec: ChartSpec) -> Sample:
    """A bar chart with matplotlib; truth values are what the bars are drawn to."""
    truth = chart_truth(spec)
    rng = random.Random(spec.seed + 1000)
    fg, bg = ("#e8e8e8", "#111418") if spec.dark else ("black", "white")
    plt.rcParams["font.family"] = spec.font
    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=spec.dpi, facecolor=bg)
    ax.set_facecolor(bg)
    labels = list(dict.fromkeys(b["label"] for b in truth["bars"]))
    groups = max(1, spec.grouped)
    width = 0.8 / groups
    for k in range(groups):
        values = [b["value"] for b in truth["bars"]][k::groups]
        positions = [i + (k - (groups - 1) / 2) * width for i in range(len(labels))]
        if groups > 1:
            color = _PALETTE[k]
        elif spec.colored:
            color = [_PALETTE[i % len(_PALETTE)] for i in range(len(labels))]
        else:
            color = "#9aa0a6" if spec.dark else "#4c72b0"
        name = truth["series"][k] if groups > 1 else None
        outline = {"edgecolor": "black", "linewidth": 1.0} if spec.edge else {}
        if spec.orientation == "vertical":
            drawn = ax.bar(positions, values, width=width * 0.95, color=color, label=name,
                           **outline)
        else:
            drawn = ax.barh(positions, values, height=width * 0.95, color=color, label=name,
                            **outline)
        if spec.value_labels:
            ax.bar_label(drawn, labels=[f"{v:.{spec.decimals}f}" for v in values],
                         padding=-14 if spec.inside else 2, fontsize=9,
                         color="white" if spec.inside else fg)
    ticks = list(range(len(labels)))
    if spec.orientation == "vertical":
        ax.set_xticks(ticks, labels, rotation=spec.rotation,
                      ha="right" if spec.rotation and spec.rotation < 90 else "center")
        ax.set_ylim(spec.ymin, spec.ymax + (spec.ymax - spec.ymin) * (
            0.1 if spec.value_labels and not spec.inside else 0.0))
        if spec.grid:
            ax.yaxis.grid(True, color="#cccccc", linewidth=0.8)
    else:
        ax.set_yticks(ticks, labels)
        ax.invert_yaxis()
        ax.set_xlim(spec.ymin, spec.ymax + (spec.ymax - spec.ymin) * (
            0.12 if spec.value_labels and not spec.inside else 0.0))
        if spec.grid:
            ax.xaxis.grid(True, color="#cccccc", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(fg)
    ax.tick_params(colors=fg)
    if not spec.show_axis:
        value_axis = ax.yaxis if spec.orientation == "vertical" else ax.xaxis
        value_axis.set_ticks([])
    if groups > 1:
        place = {"loc": "upper right"} if spec.orientation == "vertical" else {
            "loc": "lower right", "bbox_to_anchor": (1.0, 1.01)}  # above the plot
        ax.legend(frameon=False, labelcolor=fg, fontsize=9, ncols=min(groups, 3), **place)
        if spec.orientation == "vertical":
            low, top = ax.get_ylim()
            ax.set_ylim(low, top + (top - low) * 0.18)
    ax.set_title(rng.choice(["Benchmark results", "Scores", "Accuracy by model"]), color=fg)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor=bg)
    plt.close(fig)
    plt.rcParams["font.family"] = SANS
    if spec.orientation == "vertical":
        truth["axis"]["max"] = spec.ymax
    return Sample(buffer.getvalue(), truth, f"chart-{spec.seed}-{spec.orientation}")


def table_specs(count: int = 40, seed: int = 7) -> list[TableSpec]:
    """A fixed, varied set of table specs."""
    rng = random.Random(seed)
    specs = []
    for i in range(count):
        specs.append(TableSpec(
            seed=seed * 1000 + i, style=["grid", "booktabs", "plain"][i % 3],
            font=[SANS, SERIF][(i // 3) % 2], n_rows=rng.randint(3, 8), n_cols=rng.randint(2, 6),
            fmt="jpeg" if i % 7 == 6 else "png", dpi=rng.choice([100, 120, 150]),
            number_style=rng.choice(["plain", "plain", "percent", "pm", "mixed"]),
            section=i % 5 == 4))
        specs[-1].fill = ["", "", "zebra", "header"][i % 4]
        specs[-1].light_rules = i % 6 == 0
    return specs


def chart_specs(count: int = 20, seed: int = 11) -> list[ChartSpec]:
    """A fixed, varied set of chart specs."""
    rng = random.Random(seed)
    specs = []
    for i in range(count):
        orientation = "horizontal" if i % 3 == 2 else "vertical"
        specs.append(ChartSpec(
            seed=seed * 1000 + i, orientation=orientation, n_bars=rng.randint(3, 7),
            value_labels=i % 2 == 0, rotation=[0, 0, 45, 90][i % 4] if orientation == "vertical"
            else 0, grid=i % 3 == 1, colored=i % 4 == 3, grouped=3 if i % 5 == 4 else 1,
            dark=i % 6 == 5, ymax=rng.choice([1.0, 100.0, 60.0, 10.0]),
            decimals=rng.choice([1, 2])))
        spec = specs[-1]
        # further variety: axis floor above zero, labels inside bars, fonts, resolution
        spec.ymin = spec.ymax * 0.4 if i % 7 == 3 else 0.0
        spec.inside = spec.value_labels and i % 5 == 2 and spec.orientation == "vertical"
        spec.font = [SANS, SERIF][(i // 2) % 2]
        spec.dpi = rng.choice([80, 100, 130])
        spec.edge = i % 4 == 1
    return specs
