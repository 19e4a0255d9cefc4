"""Scoring readers against real images with truth transcribed by eye.

Tables: of the numbers printed in the body, the share found anywhere, the share in the right
cell (rows aligned by content, so one phantom row does not shift every later row), row labels
exact, phantom numbers (read where none is printed), confident wrong values, refusals.
Charts: bars within 1 % of the axis range (matched in reading order, gaps allowed), N/A bars
given a number, confident wrong values, refusals.

Used by ``bench_vision.py --real`` (every real image) and by ``tests/vision`` (per-fixture
floors measured with it).

Example:
    >>> truth = {"kind": "table", "rows": [["A", "1.5", "2"], ["B", "3", "-"]]}
    >>> got = [["A", "1.5", "2"], ["B", "8", ""]]
    >>> s = score_table_texts(got, truth)
    >>> s.numbers, s.found, s.right_cell, s.labels_ok, s.phantom
    (3, 2, 2, 2, 1)
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from modelbench.numbers import parse_number

#: a value read with at least this confidence is stored without a second look
HIGH_CONFIDENCE = 0.8

_REPO = Path(__file__).resolve().parent.parent
REAL = _REPO / "tests" / "vision" / "fixtures" / "real"
#: the first real set (eight images): in the repository's tests/fixtures, else a shared/ beside
EARLIER = next((p for p in (_REPO / "tests" / "fixtures" / "images",
                            _REPO.parent / "shared" / "fixtures" / "images",
                            _REPO.parent.parent / "shared" / "fixtures" / "images") if p.is_dir()),
               _REPO / "tests" / "fixtures" / "images")


def number_key(text: str) -> tuple[float, float | None] | None:
    """What makes two printed numbers the same: value and ± part (``None``: not a number).

    >>> number_key("84.7±0.5"), number_key("GPT-4"), number_key("-"), number_key("83.6 / 100")
    ((84.7, 0.5), None, None, (83.6, None))
    """
    try:
        parsed = parse_number(text)
    except ValueError:
        out_of = re.fullmatch(r"(.+?)\s*/\s*(?:100|10|5|1)", text.strip())  # "83.64 / 100"
        return number_key(out_of.group(1)) if out_of else None
    if parsed is None:
        return None
    return (round(parsed.value, 6), parsed.plus_minus)


def same_label(got: str, want: str) -> bool:
    """Labels compared as printed, ignoring case, spacing and Unicode compatibility forms.

    >>> same_label("FLASHFFTCONV", "FlashFFTConv"), same_label("MMD' [12]", "MMD† [12]")
    (True, False)
    """
    def norm(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).casefold()
        return re.sub(r"\s+", " ", text).strip()
    return norm(got) == norm(want)


@dataclass
class TableScore:
    name: str = ""
    numbers: int = 0  # numbers printed in the body (truth)
    found: int = 0  # found anywhere in the body
    right_cell: int = 0  # in the right row and column
    labels: int = 0  # body rows with a label (truth)
    labels_ok: int = 0
    phantom: int = 0  # numbers read that are not printed
    confident_wrong: int = 0  # wrong or phantom numbers with confidence >= HIGH_CONFIDENCE
    refused: bool = False
    seconds: float = 0.0
    error: str = ""
    label_misses: list = field(default_factory=list)  # (printed label, label read)


@dataclass
class ChartScore:
    name: str = ""
    bars: int = 0  # bars with a value (truth)
    within: int = 0  # within 1 % of the axis range
    na_bars: int = 0  # truth bars without a value
    na_given_value: int = 0
    wrong: int = 0  # bars given a value outside the tolerance, at any confidence
    confident_wrong: int = 0
    refused: bool = False
    seconds: float = 0.0
    error: str = ""
    misses: list = field(default_factory=list)


def _align(n: int, m: int, score) -> list[tuple[int, int]]:
    """Monotonic pairs (i, j) maximising the summed ``score(i, j)`` (gaps cost nothing)."""
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1], score(i, j) + best[i + 1][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        here = score(i, j)
        if here > 0 and best[i][j] == here + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


_LABEL_HEADER = re.compile(r"\b(model|method|algorithm|system)s?\b", re.IGNORECASE)


def label_column(header: list[str] | None, rows: list[list[str]] | None = None) -> int:
    """The row labels' column: the one headed Model/Method/Algorithm/System, else the first
    (of two so headed, one filled in under half of ``rows`` is a block name: the next).

    >>> label_column(["RANK", "MODEL", "SCORE"]), label_column(["", "MMLU"]), label_column(None)
    (1, 0, 0)
    >>> label_column(["Model", "Method", "X"], [["XGLM", "Direct", "1"], ["", "Self", "2"],
    ...                                         ["", "Direct", "3"]])
    1
    """
    named = [i for i, text in enumerate(header or [])
             if _LABEL_HEADER.search(text.split(" / ")[-1])]
    for index in named[:-1]:
        if rows and 2 * sum(1 for row in rows if index < len(row) and row[index]) < len(rows):
            continue  # printed once per block of rows: the next named column names them
        return index
    return named[-1] if named else 0


def score_table_texts(got: list[list[str]], truth: dict, confidences=None,
                      header: list[str] | None = None) -> TableScore:
    """Score body cell texts ``got`` (rows of strings) against a truth file's ``rows``;
    ``header`` (the reader's) says which column holds the labels."""
    want = truth["rows"]
    sections = set(truth.get("section_rows", []))
    conf = confidences or [[0.0] * len(row) for row in got]
    score = TableScore()
    lw, lg = truth.get("label_col", 0), label_column(header, got)
    want_keys = [[number_key(c) if j != lw else None for j, c in enumerate(row)] for row in want]
    got_keys = [[number_key(c) if j != lg else None for j, c in enumerate(row)] for row in got]

    def label_of(r: int) -> str:
        return got[r][lg] if lg < len(got[r]) else ""

    def pair_score(i: int, r: int) -> float:
        hits = sum(1 for j, k in enumerate(want_keys[i])
                   if k is not None and j < len(got_keys[r]) and got_keys[r][j] == k)
        label = 0.5 if same_label(label_of(r), want[i][lw]) else 0.0
        return hits + label

    pairs = dict(_align(len(want), len(got), pair_score))
    for i, row in enumerate(want):
        r = pairs.get(i)
        if i not in sections and row[lw].strip():
            score.labels += 1
            hit = r is not None and same_label(label_of(r), row[lw])
            score.labels_ok += hit
            if not hit:
                score.label_misses.append((row[lw], label_of(r) if r is not None else None))
        for j, key in enumerate(want_keys[i]):
            if key is None:
                continue
            score.numbers += 1
            if r is None or j >= len(got_keys[r]):
                continue
            if got_keys[r][j] == key:
                score.right_cell += 1
            elif got_keys[r][j] is not None and conf[r][j] >= HIGH_CONFIDENCE:
                score.confident_wrong += 1
    # found anywhere / phantoms: multiset match of every number printed vs every number read
    pool: dict = {}
    for row in want_keys:
        for key in row:
            if key is not None:
                pool[key] = pool.get(key, 0) + 1
    aligned = set(pairs.values())
    for r, row in enumerate(got_keys):
        for j, key in enumerate(row):
            if key is None:
                continue
            if pool.get(key, 0) > 0:
                pool[key] -= 1
                score.found += 1
                continue
            score.phantom += 1
            # a wrong value in an aligned row was counted above; count rows made up here
            if r not in aligned and conf[r][j] >= HIGH_CONFIDENCE:
                score.confident_wrong += 1
    return score


def score_table_image(path: Path, truth: dict, engine=None) -> TableScore:
    """Read ``path`` as a table and score it (a refusal scores zero, and is counted)."""
    from modelbench.errors import ModelBenchError
    from modelbench.vision import read_table

    start = time.process_time()
    try:
        table = read_table(path, engine=engine) if engine else read_table(path)
    except ModelBenchError as exc:
        score = score_table_texts([], truth)
        score.refused, score.error = True, str(exc)[:120]
    else:
        confidences = [[c.confidence for c in row] for row in table.rows]
        score = score_table_texts(table.texts(), truth, confidences, table.header)
    score.seconds = time.process_time() - start
    score.name = path.stem
    return score


def score_chart_bars(bars, truth: dict) -> ChartScore:
    """Bars (``ImageValue``) against the truth's ``bars``, aligned in reading order."""
    want = truth["bars"]
    axis = truth.get("axis") or {}
    span = (axis.get("max") or 1.0) - (axis.get("min") or 0.0)
    tolerance = 0.01 * span
    score = ChartScore(bars=sum(b["value"] is not None for b in want),
                       na_bars=sum(b["value"] is None for b in want))

    log_axis = axis.get("scale") == "log" and (axis.get("min") or 0) > 0
    if log_axis:  # 1 % of the axis range in decades: a linear 1 % would accept any small bar
        tolerance = 0.01 * (math.log10(axis["max"]) - math.log10(axis["min"]))

    def close(i: int, j: int) -> float:
        expected, value = want[i]["value"], bars[j].value
        if expected is None:
            return 0.5 if value is None else 0.0
        if value is None:
            return 0.0
        if log_axis:
            return 1.0 if value > 0 and abs(math.log10(value / expected)) <= tolerance else 0.0
        limit = 0.01 * want[i]["span"] if "span" in want[i] else tolerance  # its own panel
        return 1.0 if abs(value - expected) <= limit else 0.0

    # align on values first, then let bars in order fill the gaps (one by one)
    pairs = dict(_align(len(want), len(bars), close))
    used = set(pairs.values())
    free = iter(j for j in range(len(bars)) if j not in used)
    for i in range(len(want)):
        if i not in pairs and len(want) == len(bars):
            pairs[i] = i if i not in used else next(free, None)
    for i, bar in enumerate(want):
        j = pairs.get(i)
        got = bars[j] if j is not None else None
        if bar["value"] is None:
            score.na_given_value += bool(got is not None and got.value is not None)
            continue
        if got is not None and close(i, j):
            score.within += 1
            continue
        score.misses.append((bar["label"], bar.get("series", ""), bar["value"],
                             None if got is None else got.value))
        if got is not None and got.value is not None:
            score.wrong += 1
            score.confident_wrong += got.confidence >= HIGH_CONFIDENCE
    # a bar read that no printed bar matched (counts differ): its value is wrong too
    matched = {j for j in pairs.values() if j is not None}
    for j, bar in enumerate(bars):
        if j not in matched and bar.value is not None:
            score.wrong += 1
            score.confident_wrong += bar.confidence >= HIGH_CONFIDENCE
    return score


def score_chart_image(path: Path, truth: dict, engine=None) -> ChartScore:
    from modelbench.errors import ModelBenchError
    from modelbench.vision import read_chart, read_chart_voted

    start = time.process_time()
    try:
        if isinstance(engine, list):  # several engines: their vote (read_chart_voted)
            chart = read_chart_voted(path, engine)
        else:
            chart = read_chart(path, engine=engine) if engine else read_chart(path)
    except ModelBenchError as exc:
        score = score_chart_bars([], truth)
        score.refused, score.error = True, str(exc)[:120]
    else:
        score = score_chart_bars(chart.bars, truth)
    score.seconds = time.process_time() - start
    score.name = path.stem
    return score


def fixtures(*folders: Path) -> list[tuple[Path, dict]]:
    """(image, truth) for every truth file in ``folders`` that exist."""
    out = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for truth_path in sorted(folder.glob("*.json")):
            truth = json.loads(truth_path.read_text())
            out.append((truth_path.parent / truth["image"] if "image" in truth and
                        (truth_path.parent / truth["image"]).exists()
                        else truth_path.with_suffix(".png"), truth))
    return out


def score_all(pairs: list[tuple[Path, dict]], engine=None, kinds=("table", "bar_chart")
              ) -> tuple[list[TableScore], list[ChartScore]]:
    """Score every (image, truth) pair of ``kinds`` with ``engine`` (default: the shared
    engine; a list: charts by their vote, tables by the first)."""
    tables, charts = [], []
    for image, truth in pairs:
        if truth["kind"] not in kinds:
            continue
        if truth["kind"] == "table":
            first = engine[0] if isinstance(engine, list) else engine
            tables.append(score_table_image(image, truth, first))
        else:
            charts.append(score_chart_image(image, truth, engine))
    return tables, charts


def totals(scores: list) -> dict:
    """Summed counts over images (strings and flags dropped, refusals counted)."""
    out: dict = {}
    for score in scores:
        for key, value in asdict(score).items():
            if isinstance(value, bool):
                out[key] = out.get(key, 0) + int(value)
            elif isinstance(value, (int, float)):
                out[key] = out.get(key, 0) + value
    return out
