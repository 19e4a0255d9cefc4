"""Read a picture of a results table into rows and cells.

Steps: load → (invert a dark image) → find ruled lines and paint them out → one OCR pass for
word boxes → words into lines by vertical overlap, lines into cells by gaps and rules →
columns from the rows with the most cells → header rows (one or two levels), section rows,
body rows → numbers parsed with :func:`modelbench.numbers.parse_number` → bold by stroke width.

Example:
    >>> from modelbench.vision import read_table
    >>> table = read_table("results.png")                 # doctest: +SKIP
    >>> table.header[:3], table.cell(0, 1).value          # doctest: +SKIP
    (['Model', 'MMLU', 'GSM8K'], 86.4)
"""

from __future__ import annotations

import bisect
import itertools
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from ..errors import ExtractionError
from ..numbers import ParsedNumber, parse_number, to_float
from .loader import MAX_PIXELS, LoadedImage, clutter, load_image
from .ocr import OcrEngine, OcrWord, get_engine, vote_line
from .results import ImageValue

__all__ = ["TableCell", "TableResult", "read_table", "grid_evidence"]

_NUMERIC_WHITELIST = "0123456789.,%±+-*/()|"
_LABEL_HEADER = re.compile(r"\b(model|method|algorithm|system)s?\b", re.IGNORECASE)
# Leftovers of rules and underlines that OCR reads as strokes: "—_", "__", "~-".
_JUNK = re.compile(r"^[_~=‾¯—–-]*[_~=‾¯][_~=‾¯—–-]*$")
_TARGET_TEXT_HEIGHT = 24  # px: capitals and digits this tall are read best by Tesseract


@dataclass
class TableCell:
    """One cell: printed ``text``; ``parsed`` its number (``None``: text or missing marker)."""

    text: str
    row: int
    col: int
    box: tuple[int, int, int, int]
    confidence: float
    parsed: ParsedNumber | None = None
    missing: bool = False
    bold: bool = False
    underlined: bool = False
    colspan: int = 1
    #: the box in the reader's working page (scaled); ``box`` is in the original image
    page_box: tuple[int, int, int, int] | None = field(default=None, repr=False, compare=False)

    @property
    def value(self) -> float | None:
        return self.parsed.value if self.parsed else None

    @property
    def is_numeric(self) -> bool:
        return self.parsed is not None or self.missing


@dataclass
class TableResult:
    """A table read from an image. ``rows`` are body rows (section rows included, see
    ``section_rows``), each a list of ``len(header)`` cells (empty text where nothing printed)."""

    header: list[str]
    header_rows: list[list[TableCell]]
    rows: list[list[TableCell]]
    section_rows: list[int]
    source: str
    engine: str
    seconds: float
    notes: list[str] = field(default_factory=list)

    def cell(self, row: int, col: int) -> TableCell:
        return self.rows[row][col]

    def texts(self) -> list[list[str]]:
        """Body cells as printed strings (the shape of the fixtures' truth)."""
        return [[c.text for c in row] for row in self.rows]

    @property
    def label_col(self) -> int:
        """The column that names the rows: the one headed Model/Method/Algorithm/System
        (a rank or size column may come first), else the first column."""
        return _named_label_col(self.header, self.texts())

    def values(self) -> list[ImageValue]:
        """Every numeric or missing cell as an :class:`ImageValue` (row label × column)."""
        out: list[ImageValue] = []
        section = ""
        label_col = self.label_col
        for index, row in enumerate(self.rows):
            if index in self.section_rows:
                section = row[0].text
                continue
            label = row[label_col].text
            for cell in row:
                if cell.col == label_col or not cell.is_numeric:
                    continue
                out.append(ImageValue(
                    label=label, column=self.header[cell.col], value=cell.value,
                    confidence=cell.confidence, box=cell.box, method="table_ocr",
                    text=cell.text, bold=cell.bold, section=section,
                    extra={"underlined": True} if cell.underlined else {},
                    percent=bool(cell.parsed and cell.parsed.percent),
                    plus_minus=cell.parsed.plus_minus if cell.parsed else None))
        return out


# ----------------------------------------------------------------------------- preprocessing


@dataclass
class _Page:
    gray: np.ndarray  # cleaned: lines painted out, background flattened; dark text on white
    ink: np.ndarray  # bool mask of text ink in ``gray``
    scale: float  # page pixels per original pixel
    hlines: list[tuple[int, int, int]]  # (y, x0, x1) in page pixels
    vlines: list[tuple[int, int, int]]  # (x, y0, y1)
    text_height: float
    plus_minus: list[tuple[int, int, int, int]] = field(default_factory=list)  # ± glyph boxes
    dark_cells: bool = False  # light text on filled cells was turned dark (a reconstruction)
    rgb: np.ndarray | None = None  # the image's colours, at original size (pixels / scale)


def _colour_bar_left(gray: np.ndarray) -> int | None:
    """The left edge of a heatmap's colour bar in the right third of the page: a strip at
    least 8 px wide, one shade across each of its rows, whose shade runs smoothly down a
    third of the page or more (a gradient: many levels in small steps, where a column of
    heatmap cells steps between a few). None when there is none.

    >>> page = np.full((300, 300), 255, np.uint8)
    >>> page[30:290, 250:270] = np.linspace(40, 230, 260).astype(np.uint8)[:, None]
    >>> _colour_bar_left(page), _colour_bar_left(np.full((300, 300), 255, np.uint8))
    (250, None)
    """
    height, width = gray.shape
    if width < 300 or height < 60:
        return None
    strip = gray[:, 2 * width // 3:].astype(np.int16)
    flat = np.abs(np.diff(strip, axis=1)) <= 2  # one shade with the next column
    shaded = strip < 245
    best = None
    for x in range(strip.shape[1] - 8):
        rows = shaded[:, x] & flat[:, x:x + 7].all(axis=1)
        if rows.sum() < height / 3:
            continue
        run = strip[rows, x]
        steps = np.abs(np.diff(run))
        if len(np.unique(run)) >= 25 and np.median(steps) <= 2 and steps.max() <= 12:
            best = x + 2 * width // 3
            break
    return best


def _ink_mask(gray: np.ndarray) -> np.ndarray:
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Otsu on a mostly-white page can sit too close to the paper: keep it below pale fills.
    threshold = min(threshold, 200)
    return gray < threshold


def _glyph_height(ink: np.ndarray) -> float:
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    keep = (heights >= 4) & (heights <= ink.shape[0] / 4) & (widths <= heights * 3)
    keep &= heights >= widths * 0.6  # letters and digits, not dashes or rules
    # 75th percentile: capitals and digits, not the x-height of running text.
    return float(np.percentile(heights[keep], 75)) if keep.sum() >= 5 else 0.0


def _prepare(image: LoadedImage) -> _Page:
    gray = image.gray
    if np.median(gray) < 110:  # light text on a dark page
        gray = 255 - gray
    ink = _ink_mask(gray)
    height = _glyph_height(ink)
    before = gray
    gray = _dark_cells_inverted(gray, height or 20.0)
    dark_cells = gray is not before
    if dark_cells:
        ink = _ink_mask(gray)
        height = _glyph_height(ink) or height
    if not height:
        raise ExtractionError(f"no table found in {image.source}: no text-like marks at all",
                              hint="pass a picture of a results table (rows × columns of text)")
    scale = float(np.clip(_TARGET_TEXT_HEIGHT / height, 0.5, 4.0))
    # never enlarge past the loader's pixel budget (time and memory grow with it)
    scale = min(scale, max(1.0, (MAX_PIXELS / gray.size) ** 0.5))
    if abs(scale - 1.0) > 0.15:
        interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interpolation)
        ink = _ink_mask(gray)
        height = height * scale
    else:
        scale = 1.0
    hmask, vmask = _rule_masks(ink, height, gray)
    hlines = _segments(hmask, horizontal=True)
    vlines = _segments(vmask, horizontal=False)
    cleaned = gray.copy()
    rules = cv2.dilate((hmask | vmask).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    cleaned[rules] = 255
    threshold, _ = cv2.threshold(cleaned, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Flatten coloured or grey cell backgrounds to white, keep anti-aliased glyph edges.
    cleaned[cleaned > max(threshold, 200)] = 255
    signs = _plus_minus_glyphs(_ink_mask(cleaned), height)
    stroke = max(1, int(round(height / 12)))
    for x0, y0, x1, y1 in signs:
        # Tesseract's eng model reads "±" as "4" or "+": draw a clean "+" in its place and
        # read "a + b" between two numbers as "a ± b" (see _normalise).
        cleaned[y0:y1 + 1, x0:x1 + 1] = 255
        cx, cy, half = (x0 + x1) // 2, (y0 + y1) // 2, max(2, int(height * 0.25))
        cv2.line(cleaned, (cx - half, cy), (cx + half, cy), 0, stroke)
        cv2.line(cleaned, (cx, cy - half), (cx, cy + half), 0, stroke)
    return _Page(cleaned, _ink_mask(cleaned), scale, hlines, vlines, height, signs, dark_cells,
                 image.rgb)


def _dark_cells_inverted(gray: np.ndarray, text_height: float) -> np.ndarray:
    """Light text on dark or strongly coloured cells (a ``background_gradient`` dataframe, a
    score in white on an orange badge) made dark text on white. Filled cells are found as
    solid boxes darker than 200; inside them a pixel's ink is its distance from the cell's
    own background (a median over 2.5 text heights, the page outside the cells filled in
    from the cells so it does not pull the median to white), whichever side: white digits
    on navy and black digits on grey both come out black on white. Pages without light
    marks on a filled cell are left as they are.

    >>> page = np.full((80, 160), 255, np.uint8); page[10:70, 60:150] = 40
    >>> page[30:36, 70:100] = 250; page[46:52, 70:130] = 250  # white marks on the cell
    >>> out = _dark_cells_inverted(page, 10.0)
    >>> int(out[33, 80]) < 30, int(out[15, 65]) > 220, int(out[30, 20])  # mark, cell, page
    (True, True, 255)
    """
    th = max(4.0, text_height)
    dark = (gray < 200).astype(np.uint8)
    close = max(3, int(0.5 * th)) | 1
    dark = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, np.ones((close, close), np.uint8))
    # long straight colour steps part two touching cells of a gradient
    edges = (cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 25)
    edges = edges.astype(np.uint8)
    length = int(1.5 * th)
    steps = cv2.morphologyEx(edges, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)) | \
        cv2.morphologyEx(edges, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    dark &= 1 - steps
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=4)
    # a filled cell is thicker than any stroke or word: it outlives an erosion
    side = int(1.3 * th)  # closed words are as tall as the text; a cell is taller
    core = cv2.erode(dark, np.ones((side, side), np.uint8)) > 0
    # and wider than tall, or large (a logo's small square is not a cell of text)
    width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    cells = [int(i) for i in np.unique(labels[core]) if i and
             (width[i] >= 1.5 * height[i] or min(width[i], height[i]) >= 2.5 * th) and
             _flat_fill(gray[labels == i])]
    if not cells:
        return gray
    inside = np.isin(labels, cells)
    # the cells' text is a hole in their mask: fill what the page border does not reach
    outside = np.pad(~inside, 1, constant_values=True).astype(np.uint8)
    cv2.floodFill(outside, None, (0, 0), 2)
    inside |= outside[1:-1, 1:-1] == 1
    if not (gray[inside] > 200).any():
        return gray  # no light marks on the cells: the page reads as it is
    factor = max(1.0, th / 5)
    size = (max(1, int(gray.shape[1] / factor)), max(1, int(gray.shape[0] / factor)))
    small = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    small_inside = cv2.resize(inside.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    if small_inside.any() and not small_inside.all():
        small = cv2.inpaint(small, 1 - small_inside, 3, cv2.INPAINT_TELEA)
    side = max(3, int(2.5 * th / factor)) | 1
    ground = cv2.resize(cv2.medianBlur(small, side), (gray.shape[1], gray.shape[0]),
                        interpolation=cv2.INTER_LINEAR).astype(np.float32)
    diff = gray.astype(np.float32) - ground
    ink = np.where(diff > 0, diff / np.maximum(1.0, 255 - ground), -diff / np.maximum(1.0, ground))
    out = np.clip(255 - 255 * ink, 0, 255).astype(np.uint8)
    return np.where(inside, out, gray)


def _flat_fill(pixels: np.ndarray) -> bool:
    """A cell's fill: one grey level (±12) holds a quarter of its pixels, and it is neither
    black (the ink of words that a closing ran together) nor white."""
    histogram = np.bincount(pixels, minlength=256)
    mode = int(np.argmax(histogram))
    share = histogram[max(0, mode - 12):mode + 13].sum() / max(1, pixels.size)
    return bool(share >= 0.25 and 30 < mode < 200)


def _plus_minus_glyphs(ink: np.ndarray, text_height: float) -> list[tuple[int, int, int, int]]:
    """Boxes of "±": a plus sign with a bar of its width just under it."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), 8)
    bars = [i for i in range(1, count)
            if stats[i, 3] <= max(3, 0.2 * text_height) and
            0.3 * text_height <= stats[i, 2] <= 1.0 * text_height]
    found = []
    xs, ys, ws, hs = (stats[:, k].astype(float) for k in range(4))
    plus_sized = np.flatnonzero((0.3 * text_height <= hs) & (hs <= 0.9 * text_height))
    plus_sized = plus_sized[plus_sized > 0]
    for b in bars:
        bx, by, bw, bh, _ = stats[b]
        c = plus_sized[(plus_sized != b)
                       & (np.abs(xs[plus_sized] + ws[plus_sized] / 2 - (bx + bw / 2)) <= 0.2 * bw)
                       & (0.7 * bw <= ws[plus_sized]) & (ws[plus_sized] <= 1.3 * bw)
                       & (by - (ys[plus_sized] + hs[plus_sized]) >= 0)
                       & (by - (ys[plus_sized] + hs[plus_sized]) <= 0.35 * text_height)]
        for i in c:
            x, y, w, h, area = stats[i]
            crop = labels[y:y + h, x:x + w] == i
            middle_row, middle_col = crop[h // 2 - 1:h // 2 + 2].any(axis=0), \
                crop[:, w // 2 - 1:w // 2 + 2].any(axis=1)
            if middle_row.mean() > 0.8 and middle_col.mean() > 0.8 and area < 0.6 * w * h:
                found.append((int(min(x, bx)), int(y), int(max(x + w, bx + bw)), int(by + bh)))
                break
    # fonts that draw "±" as one joined glyph; math fonts (Computer Modern) draw it as tall as
    # the digits, its stem running down into the bar
    areas = stats[:, 4].astype(float)
    sized = np.flatnonzero((0.45 * text_height <= hs) & (hs <= 1.15 * text_height)
                           & (0.45 * text_height <= ws) & (ws <= 1.0 * text_height)
                           & (areas < 0.5 * ws * hs))
    for i in sized[sized > 0]:
        x, y, w, h, area = stats[i]
        if _joined_plus_minus(labels[y:y + h, x:x + w] == i):
            found.append((int(x), int(y), int(x + w), int(y + h)))
    return found


def _joined_plus_minus(glyph: np.ndarray) -> bool:
    """Bar at the bottom, a full crossbar in the upper part, only a stem at the top."""
    height, width = glyph.shape
    cover = glyph.mean(axis=1)
    stem = glyph[:, max(0, width // 2 - 1):width // 2 + 2].any(axis=1).mean()
    bottom = cover[-max(2, height // 7):].max()
    top = cover[:max(2, height // 7)].max()
    cross = cover[int(height * 0.2):int(height * 0.7)].max()
    between = cover[int(height * 0.7):height - max(2, height // 7)]
    return bool(bottom > 0.8 and cross > 0.8 and top < 0.45 and stem > 0.55
                and (between.size == 0 or between.min() < 0.45))


def _rule_masks(ink: np.ndarray, text_height: float,
                gray: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules: long runs of ink, and also faint grey grid lines on
    tinted cells, found as thin lines darker than what lies either side (black-hat)."""
    binary = ink.astype(np.uint8)
    # Long enough to skip letters and dashes, short enough to take underlines out too.
    h_len = int(max(text_height * 1.8, 20))
    v_len = int(max(text_height * 1.35, 15))
    if gray is not None:
        side = max(3, int(text_height * 0.35)) | 1
        thin_h = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, np.ones((side, 1), np.uint8)) > 25
        thin_v = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, np.ones((1, side), np.uint8)) > 25
    else:
        thin_h = thin_v = np.zeros_like(ink)
    h_kernel, v_kernel = np.ones((1, h_len), np.uint8), np.ones((v_len, 1), np.uint8)
    hmask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, h_kernel) > 0
    vmask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, v_kernel) > 0
    # faint lines on their own, so they never join a glyph's stem into a "rule"
    hmask |= cv2.morphologyEx((thin_h & ~ink).astype(np.uint8), cv2.MORPH_OPEN, h_kernel) > 0
    vmask |= cv2.morphologyEx((thin_v & ~ink).astype(np.uint8), cv2.MORPH_OPEN, v_kernel) > 0
    hmask |= _dashed_rules(binary, text_height)
    return hmask, vmask


def _dashed_rules(binary: np.ndarray, text_height: float) -> np.ndarray:
    """Dashed rules (a LaTeX ``\\hdashline``): thin short dashes in a long even row. Left in,
    their dashes are read as text ("--- Number of tools" → "“Numberoftools")."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, 8)
    keep = np.zeros(count, bool)
    tall, wide = stats[1:, 3], stats[1:, 2]
    # a hairline enlarged with the page is a few pixels tall: a dash is still much wider
    thin = (tall <= max(2, 0.15 * text_height)) | \
        ((tall <= 0.2 * text_height) & (wide >= 3 * tall))
    keep[1:] = thin & (wide <= 2 * text_height) & (wide >= 2)
    dashes = keep[labels].astype(np.uint8)
    if not dashes.any():
        return np.zeros(binary.shape, bool)
    # gaps as long as the dashes (~0.9 text height in an enlarged \hdashline) are bridged
    closed = cv2.morphologyEx(dashes, cv2.MORPH_CLOSE,
                              np.ones((1, max(3, int(1.2 * text_height))), np.uint8))
    long = cv2.morphologyEx(closed, cv2.MORPH_OPEN,
                            np.ones((1, int(max(8 * text_height, 60))), np.uint8)) > 0
    return long & (dashes > 0)


def _segments(mask: np.ndarray, *, horizontal: bool) -> list[tuple[int, int, int]]:
    """Line segments ``(position, start, end)``; pieces on one line cut by crossing rules
    are joined."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    pieces = []
    for x, y, w, h, _area in stats[1:]:
        if horizontal:
            pieces.append((int(y + h // 2), int(x), int(x + w)))
        else:
            pieces.append((int(x + w // 2), int(y), int(y + h)))
    pieces.sort()
    joined: list[tuple[int, int, int]] = []
    for position, start, end in pieces:
        for index, (p, s, e) in enumerate(joined):
            if abs(p - position) <= 2 and start - e <= 4 and s - end <= 4:
                joined[index] = (p, min(s, start), max(e, end))
                break
        else:
            joined.append((position, start, end))
    return joined


# ----------------------------------------------------------------------------- geometry


@dataclass
class _Chunk:
    """Words of one line that belong together (one cell's text on one line)."""

    words: list[OcrWord]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (min(w.box[0] for w in self.words), min(w.box[1] for w in self.words),
                max(w.box[2] for w in self.words), max(w.box[3] for w in self.words))

    @property
    def confidence(self) -> float:
        return min(w.confidence for w in self.words)


def _is_numberish(text: str) -> bool:
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def _group_lines(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Words on one printed line, top to bottom: a word joins the line it overlaps most, and
    the line grows to hold it (a logo or a two-line name beside one line of values). A line
    that so swallowed the lines around it -- numbers stacked one over another, which no one
    row prints -- is grouped again by its words' middle bands (:func:`_banded_lines`)."""
    lines: list[list[OcrWord]] = []
    spans: list[list[float]] = []  # [top, bottom] of each line
    for word in sorted(words, key=lambda w: w.cy):
        best, best_overlap = None, 0.0
        for index, (top, bottom) in enumerate(spans):
            overlap = min(bottom, word.box[3]) - max(top, word.box[1])
            share = overlap / max(1, min(word.height, bottom - top))
            if share > 0.5 and share > best_overlap:
                best, best_overlap = index, share
        if best is None:
            lines.append([word])
            spans.append([word.box[1], word.box[3]])
        else:
            lines[best].append(word)
            spans[best] = [min(spans[best][0], word.box[1]), max(spans[best][1], word.box[3])]
    out: list[list[OcrWord]] = []
    for line in lines:
        out.extend(_banded_lines(line) if _stacked_numbers(line) else [line])
    out.sort(key=lambda line: min(w.box[1] for w in line))
    return [sorted(line, key=lambda w: w.box[0]) for line in out]


def _stacked_numbers(line: list[OcrWord]) -> bool:
    """Two numbers of one grouped line, one wholly above the other in the same column."""
    numbers = [w for w in line if _is_numberish(w.text)]
    return any(a.box[3] <= b.box[1] and min(a.box[2], b.box[2]) > max(a.box[0], b.box[0])
               for a in numbers for b in numbers)


def _banded_lines(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Words grouped by the middle band of each line (the median top and bottom of its words),
    so a name set once between two lines (a multirow label centred beside a ruled block)
    joins one of them without widening it over the next. Pieces of one word that Tesseract
    cut ("Dar" | "cy", the tail lower for its descender) stay together.

    >>> w = lambda x, y: OcrWord("1", 0.9, (x, y, x + 20, y + 10))
    >>> [len(line) for line in _banded_lines([w(0, 0), w(40, 0), w(200, 4), w(0, 12), w(40, 12)])]
    [3, 2]
    """
    lines: list[list[OcrWord]] = []
    bands: list[tuple[float, float]] = []
    for unit in sorted(_touching_pieces(words), key=lambda u: sum(w.cy for w in u) / len(u)):
        top, bottom = min(w.box[1] for w in unit), max(w.box[3] for w in unit)
        best, best_overlap = None, 0.0
        for index, (line_top, line_bottom) in enumerate(bands):
            overlap = min(line_bottom, bottom) - max(line_top, top)
            share = overlap / max(1.0, min(bottom - top, line_bottom - line_top))
            if share > 0.5 and share > best_overlap:
                best, best_overlap = index, share
        if best is None:
            lines.append(list(unit))
            bands.append((top, bottom))
        else:
            lines[best].extend(unit)
            bands[best] = (float(np.median([w.box[1] for w in lines[best]])),
                           float(np.median([w.box[3] for w in lines[best]])))
    return lines


def _touching_pieces(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Words that touch side by side (a gap under a sixth of their height) and overlap in
    height: the pieces of one word."""
    units: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: w.box[0]):
        for unit in units:
            last = unit[-1]
            gap = word.box[0] - last.box[2]
            overlap = min(last.box[3], word.box[3]) - max(last.box[1], word.box[1])
            if -2 <= gap <= max(last.height, word.height) / 6 and \
                    overlap >= 0.3 * min(last.height, word.height):
                unit.append(word)
                break
        else:
            units.append([word])
    return units


def _rule_between(left: int, right: int, top: int, bottom: int,
                  vlines: list[tuple[int, int, int]]) -> bool:
    for x, y0, y1 in vlines:
        if left - 2 <= x <= right + 2 and y0 < bottom and y1 > top:
            return True
    return False


def _sign_between(left: OcrWord, right: OcrWord, signs) -> tuple[int, int, int, int] | None:
    for box in signs:
        if left.box[2] - 2 <= box[0] and box[2] <= right.box[0] + 2 and \
                min(box[3], left.box[3]) > max(box[1], left.box[1]):
            return box
    return None


def _glued_words(line: list[OcrWord], text_height: float,
                 ink: np.ndarray | None = None) -> list[OcrWord]:
    """Tesseract splits a word where a letter is drawn apart ("Q wen", "Thinkin 9"): letters
    that touch the word before them (a gap under a sixth of the text height, far below a
    word space) are one word; a lone "9" hanging below a lowercase word's baseline is the
    "g" Tesseract took for a digit. Its boxes can leave a gap where the ink has none
    ("Text" | "VQA" in Computer Modern): with the page's ``ink``, words whose blank run
    between them is under a fifth of the text height are one word too."""
    out = [line[0]]
    for word in line[1:]:
        previous = out[-1]
        if ink is not None and (_no_space_between(previous, word, ink, text_height) or
                                _centred_hyphen(previous, word, ink, text_height) or
                                _at_joint(previous, word, ink, text_height)):
            box = (previous.box[0], min(previous.box[1], word.box[1]), word.box[2],
                   max(previous.box[3], word.box[3]))
            out[-1] = OcrWord(previous.text + word.text,
                              min(previous.confidence, word.confidence), box)
            continue
        gap = word.box[0] - previous.box[2]
        if not (-2 <= gap <= text_height / 6 and re.fullmatch(r"[^\W\d_]+", previous.text)):
            out.append(word)
            continue
        text = word.text
        if text == "9" and previous.text[-1].islower() and \
                word.box[3] - previous.box[3] >= 0.15 * text_height:
            text = "g"
        if not re.fullmatch(r"[^\W\d_]+", text):
            out.append(word)
            continue
        box = (previous.box[0], min(previous.box[1], word.box[1]), word.box[2],
               max(previous.box[3], word.box[3]))
        out[-1] = OcrWord(previous.text + text, min(previous.confidence, word.confidence), box)
    return out


def _centred_hyphen(left: OcrWord, right: OcrWord, ink: np.ndarray, text_height: float) -> bool:
    """"mock- fix" in a monospace font is "mock-fix": the hyphen stands in the middle of its
    character cell, so Tesseract sees a space after it. It is no space when the blank after
    the hyphen is about the blank before it (a real space would add a whole cell to it)."""
    if not (re.search(r"[^\W\d_]-$", left.text) and right.text[:1].isalpha()) or \
            right.box[0] - left.box[2] > text_height:
        return False
    top, bottom = max(left.box[1], right.box[1]), min(left.box[3], right.box[3])
    if bottom <= top:
        return False
    filled = ink[top:bottom, left.box[0]:right.box[2]].any(axis=0)
    runs = [(k, len(list(g))) for k, g in itertools.groupby(filled)]
    right_start = right.box[0] - left.box[0]
    position, pieces = 0, []
    for has_ink, length in runs:
        pieces.append((has_ink, position, length))
        position += length
    inked = [p for p in pieces if p[0] and p[1] < right_start]
    if len(inked) < 2:
        return False
    hyphen, before_end = inked[-1], inked[-2][1] + inked[-2][2]
    after = next((p[1] for p in pieces if p[0] and p[1] > hyphen[1]), None)
    if after is None:
        return False
    blank_before, blank_after = hyphen[1] - before_end, after - (hyphen[1] + hyphen[2])
    return blank_after <= 1.5 * blank_before + 2


def _at_joint(left: OcrWord, right: OcrWord, ink: np.ndarray, text_height: float) -> bool:
    """"pass@1" in a serif font: the "@" has wide side bearings, so Tesseract splits "pass",
    "@" and "1)" although no space is printed. A metric's "@" is printed with spaces on both
    sides or on neither ("R1-Distill-Qwen-7B @ 8k", "pass@1"), so the blank before it decides:
    under 0.3 of the text height it is no space (measured 0.18-0.23 on OptMATH's "pass@1",
    0.38-0.46 on OAT-Zero's spaced "@ 3k"), and the word after an "@" glued to its left
    (``left`` ends in "@" after other text) joins it too."""
    if left.text.endswith("@") and len(left.text) > 1 and right.text[:1].isalnum():
        return right.box[0] - left.box[2] <= text_height
    if not (right.text.startswith("@") and left.text[-1:].isalnum()):
        return False
    top, bottom = max(left.box[1], right.box[1]), min(left.box[3], right.box[3])
    if bottom - top < 0.5 * text_height or right.box[0] - left.box[2] > text_height:
        return False
    blank = _longest_blank_run(ink[top:bottom, int(left.cx):int(right.cx)], 0.0)
    return blank < 0.3 * text_height


def _no_space_between(left: OcrWord, right: OcrWord, ink: np.ndarray,
                      text_height: float) -> bool:
    """Two words of a name printed without a space: a letter then a letter or "(", and no
    run of blank columns between their middles as wide as a fifth of the text height (a
    word space measures 0.4-0.5 of it on the real tables here, a kerned "tV" 0.1). Before
    "(" the blank holds the bracket's own side bearing too: spaces before one measured
    0.38-0.64 (30 on nine real tables), "MMMU(val)" printed without one 0.21, so there the
    limit is 0.3."""
    if not (left.text[-1:].isalpha() and (right.text[:1].isalpha() or right.text[:1] == "(")):
        return False
    if _is_numberish(left.text) or _is_numberish(right.text):
        return False
    top, bottom = max(left.box[1], right.box[1]), min(left.box[3], right.box[3])
    x0, x1 = int(left.cx), int(right.cx)
    if bottom - top < 0.5 * text_height or x1 - x0 > 3 * (left.height + right.height) or \
            right.box[0] - left.box[2] > text_height:
        return False
    longest = max(_longest_blank_run(ink[top:bottom, x0:x1], slant) for slant in (0.0, 0.25))
    return longest < (0.3 if right.text[:1] == "(" else 0.2) * text_height


def _sheared(ink: np.ndarray, slant: float) -> np.ndarray:
    """``ink`` with its rows sheared back by ``slant`` (x per y, top leaning right), so that
    the columns between two italic words come out blank."""
    height, width = ink.shape
    sheared = np.zeros((height, width), dtype=bool)
    for y in range(height):
        shift = int(round(slant * (height - 1 - y)))
        if shift < width:
            sheared[y, :width - shift] = ink[y, shift:]
    return sheared


def _longest_blank_run(ink: np.ndarray, slant: float) -> int:
    """The widest run of blank columns in ``ink`` once its rows are sheared back by ``slant``
    (x per y, top leaning right): italic letters overhang the space between two words
    ("Preference fine-tuning"), so the space shows only along the slant."""
    longest = run = 0
    for has_ink in _sheared(ink, slant).any(axis=0):
        run = 0 if has_ink else run + 1
        longest = max(longest, run)
    return longest


def _chunks(line: list[OcrWord], text_height: float, vlines, signs=()) -> list[_Chunk]:
    chunks = [_Chunk([line[0]])]
    for word in line[1:]:
        previous = chunks[-1].words[-1]
        sign = _sign_between(previous, word, signs)
        if sign is not None and to_float(previous.text) is not None and \
                to_float(word.text) is not None and \
                word.box[0] - previous.box[2] <= (sign[2] - sign[0]) + text_height:
            chunks[-1].words.extend([OcrWord("±", 0.95, sign), word])
            continue
        gap = word.box[0] - previous.box[2]
        if gap <= 0.85 * text_height and _out_of_joint(chunks[-1].words, word):
            chunks[-1].words.append(word)  # "83.64 / 100" is one value out of 100
            continue
        duration = _duration_joint(previous.text, word.text)
        both_numbers = _is_numberish(previous.text) and _is_numberish(word.text) and not duration
        sign_joint = previous.text.endswith(("±", "+", "+/-")) or word.text.startswith(("±", "+"))
        # a monospace word space is wide: "26m 15s" is one duration, "26m" not 26 million
        limit = text_height * (0.4 if both_numbers and not sign_joint else
                               1.3 if duration else 0.85)
        if _badge_beside_text(previous, word):
            limit = 0.0  # a score on a badge beside small text ("30.2" | "11m 27s"): two cells
        top = min(word.box[1], previous.box[1])
        bottom = max(word.box[3], previous.box[3])
        if gap <= limit and not _rule_between(previous.box[2], word.box[0], top, bottom, vlines):
            chunks[-1].words.append(word)
        else:
            chunks.append(_Chunk([word]))
    return chunks


def _joined_within_rules(lines: list[list[_Chunk]], vlines,
                         text_height: float) -> list[list[_Chunk]]:
    """In a table ruled between every column (a box-drawn terminal table, a spreadsheet
    grid), what stands between two rules on one line is one cell, however wide its word
    spaces ("Dec 20," | "2019" in a monospace font). A table is taken as ruled so when three
    or more rules run past its lines and no span between two rules ever holds two numbers
    on one line (a rule only after the labels or between groups of columns does)."""
    def rules_over(line: list[_Chunk]) -> list[int]:
        top = min(c.box[1] for c in line)
        bottom = max(c.box[3] for c in line)
        xs = sorted(x for x, y0, y1 in vlines if y0 <= top + 2 and y1 >= bottom - 2)
        return [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] > text_height / 2]

    def cell_of(chunk: _Chunk, rules: list[int]) -> int:
        return bisect.bisect_left(rules, (chunk.box[0] + chunk.box[2]) / 2)

    ruled = {i: rules for i, line in enumerate(lines) if len(rules := rules_over(line)) >= 3}
    if len(ruled) < 2:
        return lines
    for i, rules in ruled.items():
        homes = [cell_of(c, rules) for c in lines[i] if _is_numberish(c.text)]
        if len(homes) != len(set(homes)):
            return lines
    out = []
    for i, line in enumerate(lines):
        if i not in ruled:
            out.append(line)
            continue
        merged: list[_Chunk] = []
        for chunk in line:
            if merged and cell_of(merged[-1], ruled[i]) == cell_of(chunk, ruled[i]):
                merged[-1] = _Chunk(merged[-1].words + chunk.words)
            else:
                merged.append(chunk)
        out.append(merged)
    return out


def _badge_beside_text(left: OcrWord, right: OcrWord) -> bool:
    """A number boxed twice as tall as the words beside it (a score on a coloured badge)."""
    tall, short = (left, right) if left.height >= right.height else (right, left)
    return tall.height > 2.0 * max(1, short.height) and _is_numberish(tall.text) and \
        re.search(r"[A-Za-z]{2}", short.text) is not None


_OUT_OF = re.compile(r"^(.*\d)\s*/\s*(100|10|5|1)$")
_UNITS = "dhms"


def _duration_joint(left: str, right: str) -> bool:
    """"26m" then "15s", "1h" then "09m": one duration, not two numbers (nor 26 million).

    >>> _duration_joint("26m", "15s"), _duration_joint("1h", "09m"), _duration_joint("15s", "3m")
    (True, True, False)
    """
    a, b = re.fullmatch(r"\d+([dhm])", left), re.fullmatch(r"\d+([hms])", right)
    return bool(a and b and _UNITS.index(a.group(1)) < _UNITS.index(b.group(1)))


def _out_of_joint(words: list[OcrWord], word: OcrWord) -> bool:
    """``word`` continues "83.64 / 100": a slash after a number, or the scale after it."""
    previous = words[-1]
    if word.text == "/":
        return to_float(previous.text) is not None
    return previous.text == "/" and word.text in ("100", "10", "5", "1") and \
        len(words) >= 2 and to_float(words[-2].text) is not None


def _columns(lines: list[list[_Chunk]]) -> list[tuple[float, float]]:
    counts = [len(line) for line in lines]
    widest = max(counts)
    repeated = [n for n in set(counts) if n >= 2 and counts.count(n) >= 2]
    target = max(repeated) if repeated else widest
    model_lines = [line for line in lines if len(line) == target]
    spans = []
    for j in range(target):
        spans.append((float(np.median([line[j].box[0] for line in model_lines])),
                      float(np.median([line[j].box[2] for line in model_lines]))))
    return _gap_columns(lines, spans)


def _overlaps(box, span: tuple[float, float]) -> bool:
    return min(box[2], span[1]) > max(box[0], span[0])


def _gap_columns(lines: list[list[_Chunk]], spans: list[tuple[float, float]]):
    """A column filled in one row only (a ✓ column with one mark) is missed by the commonest
    line width, and its one mark and its header fall between two columns: every value right
    of it would land a column off. A line of numbers holding more chunks than there are
    columns, each of the others in a column of its own, whose extra chunk lies wholly
    between two columns under another line's chunk also between them (its header) has a
    column there.

    >>> line = lambda *xs: [_Chunk([OcrWord(t, 0.9, (x, 0, x + 20, 10))]) for t, x in xs]
    >>> rows = [line(("A", 0), ("1", 100), ("2", 200))] * 2
    >>> rows += [line(("B", 0), ("1", 100), ("v", 150), ("2", 200)), line(("Head", 145))]
    >>> _gap_columns(rows, [(0.0, 20.0), (100.0, 120.0), (200.0, 220.0)])
    [(0.0, 20.0), (100.0, 120.0), (150.0, 170.0), (200.0, 220.0)]
    """
    def in_gap(box) -> bool:
        inside = spans[0][1] < box[0] and box[2] < spans[-1][0]
        return inside and not any(_overlaps(box, span) for span in spans)

    loose = [c for line in lines for c in _loose_chunks(line, spans) if in_gap(c.box)]
    added: list[tuple[float, float]] = []
    for chunk in loose:
        header = any(in_gap(other.box) and _overlaps(other.box, chunk.box[::2])
                     for line in lines if chunk not in line for other in line)
        if header and not any(_overlaps(chunk.box, span) for span in added):
            added.append((float(chunk.box[0]), float(chunk.box[2])))
    return sorted(spans + added)


def _loose_chunks(line: list[_Chunk], spans: list[tuple[float, float]]) -> list[_Chunk]:
    """The chunks of a crowded line of numbers that sit in no column, when each other chunk
    sits in a column of its own (nothing, where the line does not fit so)."""
    if len(line) <= len(spans) or sum(_is_numberish(c.text) for c in line) < 2:
        return []
    homes = [[j for j, span in enumerate(spans) if _overlaps(c.box, span)] for c in line]
    placed = [home[0] for home in homes if home]
    if any(len(home) > 1 for home in homes) or len(placed) != len(set(placed)):
        return []
    return [c for c, home in zip(line, homes, strict=True) if not home]


def _assign(chunk: _Chunk, spans: list[tuple[float, float]]) -> tuple[int, int]:
    """Columns a chunk covers: (first, last). A header spanning columns covers several."""
    x0, _, x1, _ = chunk.box
    covered = [j for j, (a, b) in enumerate(spans)
               if min(x1, b) - max(x0, a) > 0.5 * min(b - a, x1 - x0)]
    if len(covered) >= 1:
        return covered[0], covered[-1]
    centre = (x0 + x1) / 2
    # Between columns: the nearest by edge distance (left-aligned text vs right-aligned numbers)
    distances = [max(a - centre, centre - b, 0.0) for a, b in spans]
    best = int(np.argmin(distances))
    return best, best


# ----------------------------------------------------------------------------- the reader


@dataclass
class _Row:
    cells: dict[int, list[_Chunk]]
    spans: dict[int, int]  # first column -> last column, for chunks spanning several
    top: int
    bottom: int
    stacked: bool = False  # two printed lines of one row (see _stacked_pairs)


def _line_numeric_cols(line: list[_Chunk], spans) -> set[int]:
    return {_assign(c, spans)[0] for c in line if _is_numberish(c.text)}


def _stacked_pairs(lines: list[list[_Chunk]], spans, text_height: float) -> set[int]:
    """Indices ``i`` where line ``i + 1`` is the second printed line of the row of line
    ``i``: a web leaderboard that sets a sub-label under each name and a time under each cost
    (ResearchClawBench: "Claude Code" over "Claude-Opus-4.6", "$5.3" over "26m 15s").

    The rows show it in their vertical rhythm: lines come in pairs that touch or overlap
    (a gap under a quarter of the text height), the pairs set apart by at least a text
    height, pair after pair (three or more), and the two lines of a pair never both hold a
    number in the same column. Ordinary rows, however tight, are evenly spaced; wrapped
    cells (three lines, or one wrap here and there) are left to :func:`_continues`."""
    if len(lines) < 6:
        return set()
    tops = [min(c.box[1] for c in line) for line in lines]
    bottoms = [max(c.box[3] for c in line) for line in lines]
    gaps = [tops[i + 1] - bottoms[i] for i in range(len(lines) - 1)]
    tight = [i for i, gap in enumerate(gaps) if gap <= 0.25 * text_height]
    if len(tight) < 3 or any(b - a != 2 for a, b in zip(tight, tight[1:], strict=False)):
        return set()
    between = [gaps[i + 1] for i in tight[:-1]]
    if min(between) < text_height or (tight[0] > 0 and gaps[tight[0] - 1] < text_height):
        return set()
    clashes = sum(1 for i in tight if _line_numeric_cols(lines[i], spans) &
                  _line_numeric_cols(lines[i + 1], spans))
    return set(tight) if clashes <= len(tight) // 3 else set()


def _rows(lines: list[list[_Chunk]], spans, page: _Page) -> list[_Row]:
    rows: list[_Row] = []
    stacked = _stacked_pairs(lines, spans, page.text_height)
    for index, line in enumerate(lines):
        cells: dict[int, list[_Chunk]] = {}
        cover: dict[int, int] = {}
        for chunk in _split_across_columns(line, spans):
            first, last = _assign(chunk, spans)
            cells.setdefault(first, []).append(chunk)
            cover[first] = max(cover.get(first, first), last)
        top = min(c.box[1] for c in line)
        bottom = max(c.box[3] for c in line)
        row = _Row(cells, cover, top, bottom, stacked=index - 1 in stacked)
        if rows and (row.stacked or _continues(rows[-1], row, page)):
            rows[-1].stacked = rows[-1].stacked or row.stacked
            previous = rows[-1]
            for col, chunk_list in cells.items():
                for chunk in chunk_list:
                    # a wrapped line joins the cell right above it ("iTransformer" over
                    # "(Ours)"), whichever column its own centre falls in
                    home = _cell_above(previous, chunk) if col not in previous.cells else col
                    home = col if home is None else home
                    previous.cells.setdefault(home, []).append(chunk)
                    previous.spans[home] = max(previous.spans.get(home, home), cover[col])
            previous.bottom = max(previous.bottom, bottom)
            previous.top = min(previous.top, top)
        else:
            rows.append(row)
    return rows


def _split_stacked_columns(rows: list[_Row], spans, text_height: float):
    """In rows of two stacked lines, a column that holds one thing over another in most of
    them ("$5.3" over "26m 15s") is two columns: the upper line's and the lower line's.
    Returns the new spans and the indices of the columns added (each right of its upper
    column). The label column keeps its two lines as one label."""
    stacked = [row for row in rows if row.stacked]
    added: list[int] = []
    if not stacked:
        return spans, added
    for col in range(len(spans) - 1, 0, -1):
        split = [_lower_chunks(row.cells.get(col, []), text_height) for row in stacked]
        if sum(1 for lower in split if lower) < max(2, 0.6 * len(stacked)):
            continue
        for row in rows:
            _shift_columns(row, col)
            lower = _lower_chunks(row.cells.get(col, []), text_height) if row.stacked else []
            if lower:
                row.cells[col] = [c for c in row.cells[col] if c not in lower]
                row.cells[col + 1] = lower
        spans = spans[:col + 1] + [spans[col]] + spans[col + 1:]
        added = [a + 1 for a in added] + [col + 1]
    return spans, sorted(added)


def _lower_chunks(chunks: list[_Chunk], text_height: float) -> list[_Chunk]:
    """The chunks of a cell printed on a line below its first line (none: one line)."""
    if len(chunks) < 2:
        return []
    first_bottom = min(c.box[3] for c in chunks)
    lower = [c for c in chunks if c.box[1] >= first_bottom - 0.25 * text_height]
    return lower if len(lower) < len(chunks) else []


def _shift_columns(row: _Row, col: int) -> None:
    """Make room for a new column right of ``col``."""
    row.cells = {(k + 1 if k > col else k): v for k, v in row.cells.items()}
    row.spans = {(k + 1 if k > col else k): (v + 1 if v > col else v)
                 for k, v in row.spans.items()}


def _cell_above(row: _Row, chunk: _Chunk) -> int | None:
    x0, _, x1, _ = chunk.box
    best, best_overlap = None, 0.0
    for col, chunks in row.cells.items():
        for other in chunks:
            overlap = min(x1, other.box[2]) - max(x0, other.box[0])
            if overlap > 0.5 * min(x1 - x0, other.box[2] - other.box[0]) and \
                    overlap > best_overlap:
                best, best_overlap = col, overlap
    return best


def _split_across_columns(line: list[_Chunk], spans) -> list[_Chunk]:
    """A chunk whose words each sit in a different column is several cells ("MSE MAE")."""
    out = []
    for chunk in line:
        first, last = _assign(chunk, spans)
        if first == last or len(chunk.words) < 2:
            out.append(chunk)
            continue
        homes = [_assign(_Chunk([w]), spans) for w in chunk.words]
        if all(a == b for a, b in homes) and len({a for a, _ in homes}) == len(homes):
            out.extend(_Chunk([w]) for w in chunk.words)
        else:
            out.append(chunk)
    return out


def _continues(previous: _Row, row: _Row, page: _Page) -> bool:
    """A wrapped cell: the next line sits close under the previous one, no rule between."""
    gap = row.top - previous.bottom
    if gap > page.text_height * 0.45:
        return False
    above = [c for chunks in previous.cells.values() for c in chunks]
    for chunk in (c for chunks in row.cells.values() for c in chunks):
        x0, top, x1, _ = chunk.box
        over = [a.box[3] for a in above if min(a.box[2], x1) > max(a.box[0], x0)]
        floor = max(over) if over else previous.bottom
        for y, rx0, rx1 in page.hlines:
            # a rule between this text and the text right above it, even a partial one
            # (the line under a group header such as "Proprietary")
            # (a box drawn round one word, like a citation link, is not a rule)
            if floor - 2 <= y <= top + 2 and min(rx1, x1) > max(rx0, x0) and \
                    rx1 - rx0 >= 1.5 * (x1 - x0):
                return False
    if _caption_in_other_tone(previous, row, page.gray) or _caption_over_a_row(previous, row, page):
        return False
    numeric_cols = {c for c, ch in row.cells.items() if all(_is_numberish(x.text) for x in ch)}
    previous_numeric = {c for c, ch in previous.cells.items()
                        if all(_is_numberish(x.text) for x in ch)}
    # Two lines that both hold numbers in the same column are two rows, however tight.
    if numeric_cols & previous_numeric:
        return False
    # So are two labelled lines filled across the same columns (rows of check marks in a
    # tight LaTeX table); a wrapped label or header line leaves the label column or most
    # value columns empty.
    shared = (set(row.cells) & set(previous.cells)) - {0}
    return not (0 in row.cells and 0 in previous.cells and len(shared) >= 2)


def _caption_over_a_row(previous: _Row, row: _Row, page: _Page) -> bool:
    """A line of one text cell and no number, right under a rule across the table, over a
    labelled line of numbers is a section caption opening that block ("Closed-source LLMs"
    over "GPT-4o 75.3 60.8 ..."; "LLaMa3.1-8B-Base" centred on its band over "Base 10.6 ..."),
    not the first line of a wrapped label: a block under a rule opens with its caption, and a
    label's wrapped lines are not set apart from the numbers they belong to. In a gridded
    table a column rule cuts the line, and it is the first line of a wrapped cell ("Multimodal"
    over "understanding in" beside "MMBench 77.5% ...")."""
    if len(previous.cells) != 1 or row.top < previous.bottom or 0 not in row.cells:
        return False
    if any(_is_numberish(c.text) for chunks in previous.cells.values() for c in chunks):
        return False
    numeric = [c for c, ch in row.cells.items() if c and all(_is_numberish(x.text) for x in ch)]
    if len(numeric) < 2:
        return False
    boxes = [c.box for chunks in row.cells.values() for c in chunks]
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    if any(left < x < right and y0 < previous.bottom and y1 > previous.top
           for x, y0, y1 in page.vlines):
        return False  # a column rule cuts the line: a gridded row's wrapped first line
    width = page.gray.shape[1]
    return any(previous.top - 1.5 * page.text_height <= y <= previous.top and
               x1 - x0 >= 0.5 * width for y, x0, x1 in page.hlines)


def _ink_tone(gray: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """The darkest tone of the text in ``box`` (0 black; about 128 for grey text)."""
    x0, y0, x1, y1 = box
    crop = gray[max(0, y0):y1, max(0, x0):x1]
    return float(np.percentile(crop, 2)) if crop.size else 255.0


def _caption_in_other_tone(previous: _Row, row: _Row, gray: np.ndarray) -> bool:
    """A line with text in the label column only, inked in another tone than the label on the
    other side of it (a grey italic "Preference fine-tuning" under a black model name, or
    over the black "+ GRPO" of the next row), is a section caption on a line of its own, not
    the wrapped tail of that label: one cell keeps one colour."""
    if 0 not in previous.cells or 0 not in row.cells:
        return False
    if not any(set(r.cells) == {0} for r in (previous, row)):
        return False
    tones = [_ink_tone(gray, _Chunk([w for c in r.cells[0] for w in c.words]).box)
             for r in (previous, row)]
    return abs(tones[0] - tones[1]) > 80


def _stroke_width(gray: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Mean stroke thickness (2·area/perimeter) of the glyphs in ``box``, cut halfway between
    the cell's ink and paper tones so red, grey or blurred text measure alike."""
    x0, y0, x1, y1 = box
    crop = gray[max(0, y0):y1, max(0, x0):x1]
    if crop.size < 20:
        return 0.0
    dark, light = np.percentile(crop, 3), np.percentile(crop, 97)
    if light - dark < 40:
        return 0.0
    ink = (crop < (dark + light) / 2).astype(np.uint8)
    area = int(ink.sum())
    if area < 10:
        return 0.0
    eroded = cv2.erode(ink, np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT,
                       borderValue=0)
    boundary = area - int(eroded.sum())
    return 2.0 * area / max(boundary, 1)


def _make_cell(chunks: list[_Chunk] | None, row: int, col: int, colspan: int,
               scale: float) -> TableCell:
    if not chunks:
        return TableCell("", row, col, (0, 0, 0, 0), 1.0, missing=False)
    ordered = sorted(chunks, key=lambda c: (c.box[1] // 4, c.box[0]))
    text = " ".join(c.text for c in ordered)
    box = (min(c.box[0] for c in ordered), min(c.box[1] for c in ordered),
           max(c.box[2] for c in ordered), max(c.box[3] for c in ordered))
    original = tuple(int(round(v / scale)) for v in box)
    cell = TableCell(text, row, col, original, min(c.confidence for c in ordered),
                     colspan=colspan)
    cell.page_box = box
    _parse_into(cell)
    return cell


# either side may lack its leading zero (".250 ± .06", as LaTeX tables print them)
_PLUS_MINUS = re.compile(r"^(\d*[.,]?\d+%?)\s*(?:\+|±|\+/-|\+-)\s*(\d*[.,]?\d+%?)$")
_EM_DASH_MINUS = re.compile(r"^—(?=\d)")  # "—15.5": a minus sign read as an em dash


def _normalise(text: str) -> str:
    """Tesseract's ``eng`` model reads "±" as "+": two numbers joined by a plus are ±; in
    a monospace font it sets a space after a thousands separator ("$393, 151,347"), which a
    group of three digits after the comma gives away; and it reads a typeset minus sign
    ("−15.5", as wide as an em dash in Palatino or Times) as "—": an em dash right before
    the digits is that minus (a lone dash, "missing", is left alone).

    >>> _normalise("$393, 151,347"), _normalise("12+0.5"), _normalise("Dec 20, 2019")
    ('$393,151,347', '12 ± 0.5', 'Dec 20, 2019')
    >>> _normalise("—15.5"), _normalise("—"), _normalise("GPT—4")
    ('−15.5', '—', 'GPT—4')
    """
    text = _EM_DASH_MINUS.sub("−", text)
    if re.fullmatch(r"[$€£]?\d{1,3}(?:, ?\d{3})+(?:\.\d+)?", text.strip()):
        text = text.replace(", ", ",")
    match = _PLUS_MINUS.match(text.strip())
    return f"{match.group(1)} ± {match.group(2)}" if match else text


def _parse_into(cell: TableCell) -> None:
    cell.text = _normalise(cell.text)
    out_of = _OUT_OF.match(cell.text.strip())
    try:
        # "83.64 / 100": the value is 83.64 (out of 100); the printed text is kept whole
        cell.parsed = parse_number(out_of.group(1) if out_of else cell.text)
        cell.missing = cell.parsed is None
    except ValueError:
        cell.parsed, cell.missing = None, False
    if cell.parsed is not None and _worded(cell.parsed):
        cell.parsed = None


_EDGE_MARKS = "|}{)(!\"'‘’“”,;:"


def _drop_edge_marks(cell: TableCell) -> None:
    """A cell's coloured border read as a mark beside the digits ("| 0.989747", "0.711153)",
    "(0.424988") and a gap read inside them ("0.731 407}"), in a numeric column: the digits
    are the value when they parse without the marks (the reading stays doubtful)."""
    text = cell.text.strip()
    core = text.strip(_EDGE_MARKS + " ")
    if core == text or not core or core.count("(") != core.count(")"):
        return
    start = text.index(core)
    if "(" in text[:start] and ")" in text[start + len(core):]:
        return  # "(0.3)" is printed so
    core = re.sub(r"(?<=\d) (?=\d)", "", core)
    try:
        parsed = parse_number(core)
    except ValueError:
        return
    if parsed is not None and not _worded(parsed):
        cell.text, cell.parsed, cell.missing = core, parsed, False
        cell.confidence = min(cell.confidence, 0.7)


def _worded(parsed: ParsedNumber) -> bool:
    """"3B Scale" is a caption, not 3e9 marked "Scale": a marker that is a word."""
    return sum(ch.isalpha() for ch in parsed.marker) >= 3


def _reread_numeric(cell: TableCell, page: _Page, engine: OcrEngine) -> None:
    """Second look at a doubtful cell of a numeric column: the crop enlarged twice, one line."""
    box = cell.page_box
    if box is None:
        return
    pad = int(page.text_height * 0.3)
    x0, y0, x1, y1 = box
    crop = page.gray[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
    if crop.size == 0:
        return
    crop = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    crop = cv2.copyMakeBorder(crop, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    for whitelist in ("", _NUMERIC_WHITELIST):  # digits only when the free reading fails
        word = engine.line(crop, whitelist=whitelist)
        if not whitelist and word is not None and re.search(r"[A-Za-z]{3}", word.text):
            return  # words ("3B Scale"): digits-only would make a number of a caption
        if word is None or (cell.is_numeric and cell.text and word.confidence <= cell.confidence):
            continue
        text = _normalise(word.text if whitelist else _digits_read_as_letters(word.text))
        try:
            parsed = parse_number(text)
        except ValueError:
            continue
        if parsed is not None and not _worded(parsed):
            if cell.parsed is not None and cell.parsed.plus_minus is not None and \
                    parsed.plus_minus is None:
                continue  # "8.71 ± 7.9" re-read "8.71": the spread was lost, not misread
            cell.text, cell.parsed, cell.missing = text, parsed, False
            cell.confidence = word.confidence if not whitelist else word.confidence * 0.9
            return


def _digits_read_as_letters(text: str) -> str:
    """Tesseract reads a typeset '4' with a closed, pointed top (Computer Modern, Times) as
    an 'A', and a '7' as a 'T', in front of a decimal point ("AT.5" for "47.5"); the
    digits-only pass then drops them ("7.5"). In a numeric column's second look, a whole
    part made of digits, 'A' and 'T' before the point of a decimal is so read; a name such
    as "A100" or "T5" (no decimal point) is left alone.

    >>> _digits_read_as_letters("AT.5"), _digits_read_as_letters("A100")
    ('47.5', 'A100')
    >>> _digits_read_as_letters("7.5"), _digits_read_as_letters("T.A")
    ('7.5', 'T.A')
    """
    stripped = text.strip()
    if not re.fullmatch(r"[\dAT]*[AT][\dAT]*\.\d+", stripped):
        return text
    return stripped.replace("A", "4").replace("T", "7")


def _reread_text(cell: TableCell, page: _Page, engine: OcrEngine) -> None:
    """Second look at a doubtful text cell: the crop read as one line at five sizes, and the
    reading seen most often wins (Tesseract's slips change with scale; its confidence
    does not tell them apart: "HumaneEval" 0.74 vs "HumanEval" 0.70)."""
    box = cell.page_box
    if box is None:
        return
    pad = int(page.text_height * 0.3)
    x0, y0, x1, y1 = box
    crop = page.gray[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
    if crop.size == 0:
        return
    if y1 - y0 > 2 * page.text_height:  # a wrapped cell: read the crop as a block
        _reread_block(cell, crop, engine)
        return
    word = vote_line(engine, crop, OcrWord(cell.text, cell.confidence, box))
    if word is not None and word.text != cell.text:
        ink = page.ink[y0:y1 + 1, x0:x1 + 1]
        if _differ_in_spacing_only(word.text, cell.text):
            cell.text = _at_glued(_spacing_by_ink(word.text, cell.text, ink, page.text_height))
        else:
            cell.text = _e_or_f_by_foot(word.text, cell.text, ink, page.text_height)
        cell.confidence = min(cell.confidence, 0.8)
    _parse_into(cell)


def _differ_in_spacing_only(one: str, other: str) -> bool:
    """The same characters, spaced otherwise ("+ DPO" re-read "+DPO").

    >>> _differ_in_spacing_only("+DPO", "+ DPO"), _differ_in_spacing_only("+DPO", "+ DP0")
    (True, False)
    """
    return one.split() != other.split() and "".join(one.split()) == "".join(other.split())


def _spacing_by_ink(voted: str, first: str, ink: np.ndarray, th: float) -> str:
    """Of two readings that differ only in spaces, the one with as many spaces as the ink
    has word gaps (blank column runs of a fifth of the text height or more, upright or
    along an italic slant, as :func:`_no_space_between` measures them); ``voted`` when
    neither matches. Both reads slip: the vote drops "+ DPO"'s space, the first read puts
    one in "dense_bge_ m3" and loses one in "MIRO +SWAD"."""
    gaps = max(_wide_blank_runs(ink, slant, 0.2 * th) for slant in (0.0, 0.25))
    for text in (voted, first):
        if len(text.split()) - 1 == gaps:
            return text
    return voted


def _at_glued(text: str) -> str:
    """An "@" glued to the text before it is glued to the text after it too ("pass@ 1" is
    "pass@1"): the blank after a serif "@" is its side bearing, as wide as a narrow space,
    and a metric's "@" is spaced on both sides or on neither (:func:`_at_joint`).

    >>> _at_glued("Qwen2.5-7B(pass@ 1)"), _at_glued("R1-Distill-Qwen-7B @ 8k")
    ('Qwen2.5-7B(pass@1)', 'R1-Distill-Qwen-7B @ 8k')
    """
    return re.sub(r"(?<=\S)@ (?=\w)", "@", text)


def _wide_blank_runs(ink: np.ndarray, slant: float, width: float) -> int:
    """How many runs of blank columns at least ``width`` wide stand between inked columns
    of ``ink``, its rows sheared back by ``slant`` (:func:`_sheared`)."""
    filled = _sheared(ink, slant).any(axis=0)
    runs = [(has_ink, len(list(group))) for has_ink, group in itertools.groupby(filled)]
    inner = runs[1:-1] if len(runs) > 2 else []
    return sum(1 for has_ink, length in inner if not has_ink and length >= width)


def _e_or_f_by_foot(voted: str, first: str, ink: np.ndarray, th: float) -> str:
    """``voted``, unless it and ``first`` differ only in "E" against "F" (a bold serif "F"
    read "E" at most sizes: "CCPFN" voted "CCPEN"): then the letter's foot decides. An "E"
    has a bar along the baseline as wide as its top; an "F" ends in its stem (and serif).
    Glyphs are the word's ink pieces as tall as a lowercase letter, taken in reading order
    when there are as many as printed characters (else ``voted`` stands)."""
    pairs = [(a, b) for a, b in zip(voted, first, strict=False) if a != b]
    if len(voted) != len(first) or not pairs or any({a, b} != {"E", "F"} for a, b in pairs):
        return voted
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), 8)
    glyphs = sorted((i for i in range(1, count) if stats[i, 3] >= 0.4 * th),
                    key=lambda i: stats[i, 0])
    letters = [k for k, ch in enumerate(first) if not ch.isspace()]
    if len(glyphs) != len(letters):
        return voted
    out = list(voted)
    for k, glyph in zip(letters, glyphs, strict=True):
        if {voted[k], first[k]} == {"E", "F"}:
            x, y, w, h, _area = stats[glyph]
            shape = labels[y:y + h, x:x + w] == glyph
            foot = shape[-max(2, h // 7):].any(axis=0).mean()
            head = shape[:max(2, h // 7)].any(axis=0).mean()
            out[k] = "E" if foot >= 0.85 * head else "F"  # a bold F's serif: 0.65
    return "".join(out)


def _reread_block(cell: TableCell, crop: np.ndarray, engine: OcrEngine) -> None:
    best_text, best_conf = cell.text, cell.confidence
    for factor in (1.0, 1.5):
        sized = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC) \
            if factor != 1.0 else crop
        sized = cv2.copyMakeBorder(sized, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
        words = engine.words(sized, sparse=True)
        if not words:
            continue
        lines = _group_lines(words)
        text = " ".join(w.text for line in lines for w in line)
        confidence = min(w.confidence for w in words)
        if confidence > best_conf + 0.1:
            best_text, best_conf = text, confidence
    if best_text != cell.text:
        cell.text, cell.confidence = best_text, min(best_conf, 0.8)
        _parse_into(cell)


def _named_label_col(header: list[str], rows: list[list[str]] | None = None) -> int:
    """The column headed Model/Method/Algorithm/System, else the first. Where two are so
    headed and ``rows`` (body texts) are given, one filled in under half the rows is a name
    printed once per block of rows (Model, then Size, then Method): the next one names them.

    >>> _named_label_col(["Scale", "Model", "MMLU"]), _named_label_col(["", "MMLU"])
    (1, 0)
    >>> _named_label_col(["Model", "Method", "X"], [["XGLM", "Direct", "1"], ["", "Self", "2"],
    ...                                              ["", "Direct", "3"]])
    1
    """
    named = [i for i, text in enumerate(header) if _LABEL_HEADER.search(text.split(" / ")[-1])]
    for index in named[:-1]:
        if rows and 2 * sum(1 for row in rows if index < len(row) and row[index]) < len(rows):
            continue  # printed once per block
        return index
    return named[-1] if named else 0


def _texts(rows: list[list[TableCell]]) -> list[list[str]]:
    return [[c.text for c in row] for row in rows]


def _header_text(rows: list[list[TableCell]]) -> list[str]:
    ncols = len(rows[-1])
    names = []
    for col in range(ncols):
        parts = []
        for row in rows:
            owner = next((c for c in row if c.col <= col < c.col + c.colspan and c.text), None)
            if owner is not None and (not parts or parts[-1] != owner.text):
                parts.append(owner.text)
        names.append(" / ".join(parts) if parts else f"column {col}")
    return names


def read_table(source: str | Path | bytes | LoadedImage, *,
               engine: OcrEngine | None = None) -> TableResult:
    """Read the results table in an image.

    Example:
        >>> table = read_table("leaderboard.png")            # doctest: +SKIP
        >>> table.header[:2], table.texts()[0][:2]            # doctest: +SKIP
        (['Model', 'MMLU'], ['GPT-4V', '56.8'])
        >>> [(v.label, v.column, v.value, v.bold) for v in table.values()][:1]  # doctest: +SKIP
        [('GPT-4V', 'MMLU', 56.8, False)]

    Raises:
        ExtractionError: unreadable image, or no table (fewer than two rows of two columns).
    """
    started = time.perf_counter()
    image = source if isinstance(source, LoadedImage) else load_image(source)
    engine = engine or get_engine()
    _refuse_photos(image)
    page = _prepare(image)
    # One uniform block (PSM 6) reads table text better than sparse mode: measured 99.3 %
    # vs 99.1 % numbers and fewer header slips on the benchmark set.
    words = _kept_words(_without_pipes(engine.words(page.gray, sparse=False)))
    bar = _colour_bar_left(cv2.cvtColor(image.rgb, cv2.COLOR_RGB2GRAY))
    if bar is not None:
        # a heatmap's colour bar: its tick labels ("100", "80") are no cells
        words = [w for w in words if w.box[0] < bar * page.scale]
    if len(words) < 4:
        raise ExtractionError(f"no table found in {image.source}: only {len(words)} words read",
                              hint="pass a picture of a results table (rows × columns of text)")
    page.text_height = float(np.median([w.height for w in words])) * 0.8 + page.text_height * 0.2
    lines = [_chunks(_glued_words(line, page.text_height, page.ink), page.text_height,
                     page.vlines,
                     page.plus_minus) for line in _group_lines(words)]
    lines = _joined_within_rules(lines, page.vlines, page.text_height)
    spans = _columns(lines)
    if len(spans) < 2:
        raise ExtractionError(f"no table found in {image.source}: text has no columns",
                              hint="pass a picture of a results table (rows × columns of text)")
    grouped = _rows(lines, spans, page)
    spans, second_lines = _split_stacked_columns(grouped, spans, page.text_height)
    table = [[_make_cell(g.cells.get(col), r, col, g.spans.get(col, col) - col + 1, page.scale)
              for col in range(len(spans))] for r, g in enumerate(grouped)]
    body_start = _first_body_row(table)
    if body_start is None:
        body_start = next((i for i, row in enumerate(table) if _is_verdict_row(row)), None)
    if body_start is None or len(table) - body_start < 1:
        raise ExtractionError(f"no table found in {image.source}: no row of numbers",
                              hint="pass a picture of a results table with numeric cells")
    for row in table[body_start:]:
        for cell in row[1:]:
            _drop_edge_marks(cell)
    numeric_cols = _numeric_columns(table[body_start:])
    for row in table:
        for cell in row:
            if cell.col in numeric_cols and cell.row >= body_start:
                if cell.text and (not cell.is_numeric or cell.confidence < 0.85):
                    _reread_numeric(cell, page, engine)
                    _drop_edge_marks(cell)
            elif cell.text and cell.confidence < 0.85:
                _reread_text(cell, page, engine)
    if _is_numeric_header(table, body_start, grouped, page):
        body_start += 1  # read after the second looks: a dropped decimal point is put back
    while body_start > 1 and (_is_section(table[body_start - 1])
                              or _is_mark_row(table[body_start - 1])):
        # a section label or a row of check marks right above the first numbers is body
        body_start -= 1
    for row in table[body_start:]:
        if _is_mark_row(row):
            _write_marks(row)
    _fill_dashes(table[body_start:], numeric_cols, grouped[body_start:], spans, page, engine)
    _split_at_plus_minus(table[body_start:], numeric_cols, page, engine)
    if _plus_minus_read_as_four(table[body_start:], numeric_cols):
        numeric_cols |= _numeric_columns(table[body_start:])
        body_start = _first_row_read_as_four(table, body_start, numeric_cols)
    prose = _caption_rows_above(table, _prose_above(grouped, body_start, page), body_start)
    notes = [f"text above the table: {text}" for text in
             (" ".join(c.text for c in row if c.text) for row in table[:prose]) if text]
    header_rows, body = table[prose:body_start], table[body_start:]
    lost = _lost_column(grouped[prose:body_start], spans)
    if lost is not None:
        notes.append("a header stands over no column of values: a column may be lost, the "
                     "values from there on are kept at low confidence")
        _doubt_columns_from(body, lost)
    body, caption = _split_caption(body)
    grouped = grouped[:body_start + len(body)]
    notes += caption
    _header_spans(header_rows, spans, page)
    _name_second_lines(header_rows, second_lines)
    _consistent_decimal_points(body, numeric_cols)
    _points_in_mixed_columns(body, numeric_cols, page, engine)
    _check_column_shapes(body, numeric_cols, page, engine)
    _table_wide_points(body, numeric_cols, page)
    _plus_read_as_four(body, numeric_cols, page)
    header_rows, body = _lost_spreads_doubtful(header_rows, body, numeric_cols)
    _rank_sequence(body)
    header_rows, body = _drop_icon_columns(header_rows, body)
    _strip_leading_icons(body)
    header_rows, body = _merge_label_spill(header_rows, body)
    header_rows, body = _merge_spread_words(header_rows, body, page.text_height)
    body, footer = _split_footer(body)
    notes += footer
    header_rows, body = _realign_columns(header_rows, body)
    header_rows, body = _section_under_header(header_rows, body)
    header_rows, body = _merge_citation_column(header_rows, body)
    header_rows, body = _merge_spanned_columns(header_rows, body)
    if not header_rows:
        header_rows = [[TableCell(f"column {c}", 0, c, (0, 0, 0, 0), 0.0)
                        for c in range(len(spans))]]
    if _index_name_row(header_rows, body):
        header_rows[-1][0], body = body[0][0], body[1:]
    section_rows = [i for i, row in enumerate(body) if _is_section(row)]
    if _fill_ruled_blocks(body, section_rows, page):
        notes.append("names printed once beside a ruled block of rows were given to each row")
    _refuse_scattered_text(body, section_rows, image.source,
                           _named_label_col(_header_text(header_rows), _texts(body)))
    for index, row in enumerate(body):
        for cell in row:
            cell.row = index
    _merge_split_sections(body, numeric_cols)
    section_rows = [i for i, row in enumerate(body) if _is_section(row)]
    _lost_label_starts([row[0] for i, row in enumerate(body) if i not in section_rows],
                       page, engine)
    for row in body:
        if row[0].text:
            _superscript_marks(row[0], page, engine)
            _subscript_tail(row[0], page, engine)
            _cited_digits(row[0], page, engine)
            # a hyphen between letters drawn long in a monospace font reads as a dash
            row[0].text = _lone_digit_joined(_author_year_comma(_cited_ranges(_balanced_parens(
                _asterisk_read_as_quote(re.sub(r"(?<=\w)[—–](?=\w)", "-", row[0].text))))))
        for cell in row:
            if cell.text and cell.parsed is None:
                cell.text = _capital_i(cell.text)
    label_col = _named_label_col(_header_text(header_rows), _texts(body))
    _letter_o_names([row[label_col] for i, row in enumerate(body) if i not in section_rows])
    _delta_read_as_a([row for i, row in enumerate(body) if i not in section_rows], label_col)
    _strip_tick_marks([row[0] for i, row in enumerate(body) if i not in section_rows])
    for i, row in enumerate(body):
        if i not in section_rows:
            _space_at_camel_joint(row[0], page)
    _mend_lookalikes([row[0] for i, row in enumerate(body) if i not in section_rows])
    _mend_lookalike_pieces([row[0] for i, row in enumerate(body) if i not in section_rows])
    _mend_dates([row[label_col] for i, row in enumerate(body) if i not in section_rows])
    _year_apostrophes([row[label_col] for i, row in enumerate(body) if i not in section_rows])
    _text_after_citation([row for i, row in enumerate(body) if i not in section_rows], label_col)
    _closed_citations([row[label_col] for i, row in enumerate(body) if i not in section_rows])
    _mark_bold(body, page, section_rows)
    _mark_underlined(body, page)
    if page.dark_cells:
        # measured on four real images only: what was read there is stored after a look
        notes.append("light text on filled cells was read through an inversion: values are "
                     "kept at low confidence")
        for row in body:
            for cell in row:
                cell.confidence = min(cell.confidence, 0.75)
    return TableResult(header=_header_text(header_rows), header_rows=header_rows, rows=body,
                       section_rows=section_rows, source=image.source,
                       engine=getattr(engine, "name", "ocr"),
                       seconds=time.perf_counter() - started,
                       notes=notes)


def _lost_column(header_rows: list[_Row], spans: list[tuple[float, float]]) -> int | None:
    """The first column whose header cell joins a piece over its values to a piece over no
    column at all ("3D-Object" beside "AP↑"): a column was lost between them (a ✓ column
    with one mark), so the values from there on may sit a column off their headers.

    >>> def chunk(x): return _Chunk([OcrWord("h", 0.9, (x, 0, x + 20, 10))])
    >>> row = _Row({0: [chunk(0)], 1: [chunk(150), chunk(100)]}, {}, 0, 10)
    >>> _lost_column([row], [(0.0, 20.0), (100.0, 120.0)])
    1
    """
    for row in header_rows:
        for col, chunks in sorted(row.cells.items()):
            homed = [any(_overlaps(c.box, span) for span in spans) for c in chunks]
            if col < len(spans) and any(homed) and not all(homed) and \
                    any(_overlaps(c.box, spans[col]) for c in chunks):
                return col
    return None


def _doubt_columns_from(body: list[list[TableCell]], first: int) -> None:
    for row in body:
        for cell in row[first:]:
            if cell.is_numeric:
                cell.confidence = min(cell.confidence, 0.6)


def _name_second_lines(header_rows: list[list[TableCell]], added: list[int]) -> None:
    """A column split off a stacked one has no header of its own: "COST (second line)"."""
    if not header_rows:
        return
    last = header_rows[-1]
    for col in added:
        owner = next((c for row in header_rows for c in row
                      if c.text and c.col <= col - 1 < c.col + c.colspan), None)
        if not last[col].text:
            last[col].text = f"{owner.text if owner else f'column {col - 1}'} (second line)"


def _without_pipes(words: list[OcrWord]) -> list[OcrWord]:
    """A markdown table shown as text (a terminal, a code block): its "|" are printed
    characters, not rules, and its "|---:|" row reads as low-confidence letters. The words
    between two pipes are one cell (a monospace word space is as wide as a column gap), the
    pipes of the fullest line part every line (one may have lost its pipes), and a line of
    the separator's debris goes."""
    def is_pipe(word: OcrWord) -> bool:
        return bool(word.text.strip()) and not word.text.strip("|=")

    if sum(1 for w in words if is_pipe(w)) < 6:
        return words
    lines = _group_lines(words)
    if sum(1 for line in lines if len(line) >= 3 and is_pipe(line[0]) and is_pipe(line[-1])) < 2:
        return words  # rules read as "|" beside the numbers, not a pipe table's frame
    fullest = max(lines, key=lambda line: sum(1 for w in line if is_pipe(w)))
    bars = [(w.box[0] + w.box[2]) / 2 for w in fullest if is_pipe(w)]
    kept = []
    for line in lines:
        texts = [w.text.strip("|") for w in line]
        if not any(re.search(r"\d", t) for t in texts) and \
                float(np.median([w.confidence for w in line])) < 0.4:
            continue  # "ann nnn nn ee": the |---:| row
        cells: dict[int, list[OcrWord]] = {}
        for text, word in zip(texts, line, strict=True):
            if text and not is_pipe(word):
                cells.setdefault(bisect.bisect(bars, (word.box[0] + word.box[2]) / 2), []).append(
                    OcrWord(text, word.confidence, word.box))
        for group in cells.values():
            kept.append(OcrWord(" ".join(w.text for w in group),
                                min(w.confidence for w in group),
                                (min(w.box[0] for w in group), min(w.box[1] for w in group),
                                 max(w.box[2] for w in group), max(w.box[3] for w in group))))
    return kept


def _capital_i(text: str) -> str:
    """In sans-serif fonts a capital I and a small l are one glyph, and Tesseract picks "l":
    a small l that ends a word right after a capital is the I of an initialism.

    >>> _capital_i("OpenAl"), _capital_i("Zhipu Al"), _capital_i("Moonshot AI"), _capital_i("Small")
    ('OpenAI', 'Zhipu AI', 'Moonshot AI', 'Small')
    >>> _capital_i("|_MLIP"), _capital_i("| 3")
    ('I_MLIP', '| 3')
    """
    text = re.sub(r"(?<=[A-Z])l\b", "I", text)
    # a capital I read as the bar beside it: "|_MLIP" is "I_MLIP" ("| x" stays a bar)
    return re.sub(r"(?<![\w|])\|(?=[_A-Z][A-Za-z_])", "I", text)


#: a citation whose digits read partly as letters or signs ("[ILI]", "[+2]" for "[42]", "[*/]"
#: for "[87]"): digits and look-alikes between brackets, at least one look-alike
_CITED_LOOKALIKES = re.compile(r"\[[\dIlLi|!Oo+*/ ]*[IlLi|!Oo+*/][\dIlLi|!Oo+*/ ]*\]")


def _cited_digits(cell: TableCell, page: _Page, engine: OcrEngine) -> None:
    """A citation read as letters ("DANN† [ILI]" for "[11]"): a reference number has no
    letters, so the crop between the brackets is read again with digits only. The brackets
    are the two narrow glyphs that reach below the letters' baseline. Digits printed in a
    pale link colour (cyan "[87]" between blue brackets) are faint in grey and come back
    lost or as signs ("[6]", "[>]"): where the citation's ink is coloured, any citation
    closing the label is read again, from its darkest colour channel."""
    box = cell.page_box
    found = _CITED_LOOKALIKES.search(cell.text) or _CLOSING_CITATION.search(cell.text)
    if found is None or box is None or found.end() != len(cell.text):
        return
    th = page.text_height
    x0, y0, x1, y1 = box
    count, _, stats, _ = cv2.connectedComponentsWithStats(
        page.ink[y0:y1 + 1, x0:x1 + 1].astype(np.uint8), 8)
    heights = [stats[i, 3] for i in range(1, count) if stats[i, 3] >= 0.55 * th]
    if not heights:
        return
    median = float(np.median(heights))
    # the word box can cut a bracket's foot off below the baseline: one that reaches the
    # box's bottom edge counts from a little above the letters' height
    brackets = [stats[i] for i in range(1, count) if stats[i, 2] <= 0.4 * th and (
        stats[i, 3] >= 1.15 * median or
        stats[i, 1] + stats[i, 3] >= y1 - y0 and stats[i, 3] >= 1.05 * median)]
    if len(brackets) < 2:
        return
    pad = int(0.3 * th)
    left, right = x0 + brackets[-2][0] - pad, x0 + brackets[-1][0] + brackets[-1][2] + pad
    area = (max(0, left), max(0, y0 - pad), right, y1 + pad)
    coloured = _coloured_ink(page, area)
    crops = [page.gray[area[1]:area[3], area[0]:area[2]]] if \
        _CITED_LOOKALIKES.search(cell.text) else []
    if coloured is not None:
        crops.append(coloured)
    for crop in crops:
        # enlarged twice, brackets kept in: read alone, "11" between them came back "1" or "(4"
        crop = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        crop = cv2.copyMakeBorder(crop, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
        word = engine.line(crop, whitelist="0123456789[]")
        if word is not None and _citation_taken(found.group(), word):
            cell.text = cell.text[:found.start()] + word.text
            return


def _citation_taken(first: str, word: OcrWord) -> bool:
    """A digits-only re-read of a citation replaces the first read: a sure one always,
    a doubtful one where it agrees with the first read's digits; a first read of digits
    alone ("[58]") only gives way to a sure read with more digits (a pale digit lost)."""
    if not re.fullmatch(r"\[\d{1,3}\]", word.text):
        return False
    if re.fullmatch(r"\[\d+\]", first):
        return word.confidence >= 0.6 and len(word.text) > len(first)
    return word.confidence >= 0.6 or \
        word.confidence >= 0.4 and _digits_agree(first, word.text)


#: a citation closing a label, whatever was read between its brackets
_CLOSING_CITATION = re.compile(r"\[[^\[\]]{1,6}\]$")


def _coloured_ink(page: _Page, area: tuple[int, int, int, int]) -> np.ndarray | None:
    """The darkest colour channel over ``area`` (page pixels) when a quarter or more of its
    ink is pale in grey but dark in one channel (cyan, yellow or light-green link text),
    else ``None``: there the channel shows the glyphs grey has all but lost."""
    if page.rgb is None or page.dark_cells:
        return None
    x0, y0, x1, y1 = (int(v / page.scale) for v in area)
    rgb = page.rgb[y0:y1 + 1, x0:x1 + 1]
    if rgb.size == 0:
        return None
    darkest = rgb.min(axis=2)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    # pure green links (grey 150) read well in grey; cyan (170-200) does not
    pale = (darkest < 128) & (grey >= 165)
    if pale.sum() < 0.25 * max(1, (darkest < 128).sum()):
        return None
    if abs(page.scale - 1.0) > 0.15:
        darkest = cv2.resize(darkest, (area[2] - area[0], area[3] - area[1]),
                             interpolation=cv2.INTER_CUBIC)
    return np.ascontiguousarray(darkest)


def _digits_agree(first: str, again: str) -> bool:
    """A doubtful digits-only read of a citation is taken when it agrees with the first
    read wherever that one saw a digit ("[+6]" then "[46]"): two reads, one number.

    >>> _digits_agree("[+6]", "[46]"), _digits_agree("[+6]", "[45]"), _digits_agree("[*]", "[87]")
    (True, False, False)
    """
    return len(first) == len(again) and any(c.isdigit() for c in first) and all(
        a == b for a, b in zip(first, again, strict=True) if a.isdigit())


def _cited_ranges(text: str) -> str:
    """A range of references in a citation is set with an en dash ("[54–56]", what LaTeX's
    cite packages print); Tesseract reads it as a hyphen.

    >>> _cited_ranges("Mixup [54-56]"), _cited_ranges("GPT-4 [3, 7-9]"), _cited_ranges("A-1")
    ('Mixup [54–56]', 'GPT-4 [3, 7–9]', 'A-1')
    """
    return re.sub(r"\[[\d,\s-]+\]", lambda m: re.sub(r"(?<=\d)-(?=\d)", "–", m.group()), text)


def _author_year_comma(text: str) -> str:
    """An author-year citation prints "et al., 2024"; underlined (a link), the comma's tail
    sits on the rule and what is left above it reads as a second point ("et al.. 2024"). A
    doubled point before a year is never printed.

    >>> _author_year_comma("AndroidWorld (Rawles et al.. 2024)"), _author_year_comma("et al. 2024")
    ('AndroidWorld (Rawles et al., 2024)', 'et al. 2024')
    """
    return re.sub(r"(?<=\bal\.)\.(?=\s*(?:19|20)\d\d)", ",", text)


def _lone_digit_joined(text: str) -> str:
    """A narrow digit inside a hyphenated name is read apart from its neighbours
    ("DeepSeek-R 1 -Distill" for "DeepSeek-R1-Distill"): a lone digit between a letter and a
    hyphen glued to the next word joins both sides ("1 - v" with spaces on both sides stays).

    >>> _lone_digit_joined("DeepSeek-R 1 -Distill-Qwen"), _lone_digit_joined("Run 1 - v2")
    ('DeepSeek-R1-Distill-Qwen', 'Run 1 - v2')
    """
    return re.sub(r"(?<=[A-Za-z]) (\d) -(?=[A-Za-z])", r"\1-", text)


def _asterisk_read_as_quote(text: str) -> str:
    """A raised asterisk after a name ("StepSearch-base*") is read as a closing double quote:
    a curly closing quote glued to a word, with no opening one in the label, is the asterisk
    (a quoted name keeps both quotes; a straight '"' may be an inch mark and stays).

    >>> _asterisk_read_as_quote("StepSearch-base”"), _asterisk_read_as_quote("“base”")
    ('StepSearch-base*', '“base”')
    """
    if "“" in text:
        return text
    return re.sub(r"(?<=[\w)])”(?=\s|$)", "*", text)


def _balanced_parens(text: str) -> str:
    """A small "(" before a word is easily lost ("MMMU val)" for "MMMU (val)"): a word that
    closes a bracket never opened gets its opening bracket back.

    >>> _balanced_parens("MMMU val)"), _balanced_parens("SEED (Img)"), _balanced_parens("a) b")
    ('MMMU (val)', 'SEED (Img)', 'a) b')
    """
    if text.count(")") != text.count("(") + 1:
        return text
    tokens = text.split(" ")
    for index, token in enumerate(tokens):
        if token.endswith(")") and "(" not in token and index > 0 and \
                "(" not in " ".join(tokens[:index]) and re.fullmatch(r"\w[\w.-]*\)", token):
            tokens[index] = "(" + token
            return " ".join(tokens)
    return text


def _kept_words(words: list[OcrWord]) -> list[OcrWord]:
    """Words worth placing. Tesseract gives bold names very low confidence ("SagNet" 0.03,
    "MIRO + SWAD" 0.08) although it reads them right: a doubtful word is kept when it has
    letters or digits and is as tall as the text; noise (lone strokes, rule scraps) is not.
    Kept words are re-read as their cells are checked."""
    plain = [w for w in words if w.text.strip() and not _JUNK.match(w.text)]
    sure = [w for w in plain if w.confidence > 0.15]
    if not sure:
        return sure
    height = float(np.median([w.height for w in sure]))
    # a "word" three lines tall is Tesseract's reading of slanted text or a graphic (a
    # heatmap's column names at 45 degrees: "BBY" 700 px wide over seven columns)
    plain = [w for w in plain if w.height <= 3 * height or _is_numberish(w.text)]
    # specks a quarter of the text tall read as "(1." or "¢" under small subscripts glue to
    # the values beside them; a dash is as flat, and kept
    plain = [w for w in plain if re.fullmatch(r"[-–—_=~]+", w.text) or
             w.height >= 0.25 * height or w.box[2] - w.box[0] >= 0.5 * height]
    # "+7.9", "9.3": a doubtful number with one digit before its point is kept too
    return [w for w in plain if w.confidence > 0.15 or (
        re.search(r"[A-Za-z0-9]{2}|\d[.,]\d", w.text) and 0.6 * height <= w.height <= 2.2 * height)]


def _header_spans(header_rows: list[list[TableCell]], spans, page: _Page) -> None:
    """A group header ("Proprietary", "iTransformer (Ours)") spans the columns of the rule
    drawn under it; move it to the first of them and record the colspan."""
    for row in header_rows[:-1]:
        for cell in list(row):
            box = cell.page_box
            if box is None or not cell.text:
                continue
            centre = (box[0] + box[2]) / 2
            bounds = _vertical_bounds(box, page)
            if bounds is not None:  # ruled cells: the group runs between its two rules
                covered = [j for j, (a, b) in enumerate(spans) if bounds[0] < (a + b) / 2
                           < bounds[1]]
                if len(covered) >= 2:
                    _move_to(row, cell, covered)
                    continue
            for y, rx0, rx1 in page.hlines:
                if not (box[3] <= y <= box[3] + 1.5 * page.text_height and rx0 <= centre <= rx1):
                    continue
                covered = [j for j, (a, b) in enumerate(spans) if rx0 - 4 <= (a + b) / 2 <= rx1 + 4]
                if len(covered) >= 2 and rx1 - rx0 < 0.9 * (spans[-1][1] - spans[0][0]):
                    _move_to(row, cell, covered)
                break


def _move_to(row: list[TableCell], cell: TableCell, covered: list[int]) -> None:
    first = covered[0]
    if first != cell.col and not row[first].text:
        row[first], row[cell.col] = cell, row[first]
        row[cell.col].col, cell.col = cell.col, first
    cell.colspan = len(covered)


def _vertical_bounds(box, page: _Page) -> tuple[int, int] | None:
    """The nearest vertical rules left and right of ``box`` that run beside it."""
    x0, y0, x1, y1 = box
    beside = [x for x, top, bottom in page.vlines if top <= (y0 + y1) / 2 <= bottom]
    left = [x for x in beside if x < x0]
    right = [x for x in beside if x > x1]
    return (max(left), min(right)) if left and right else None


def _consistent_decimal_points(body: list[list[TableCell]], numeric_cols: set[int]) -> None:
    """A blurred "." reads as ","; in a column printed with decimal points, "84,9" is 84.9
    ("1,234" with three digits after the comma is left alone: a thousands separator)."""
    for col in numeric_cols:
        texts = [row[col].text for row in body]
        points = sum(bool(re.search(r"\d\.\d", t)) for t in texts)
        commas = [i for i, t in enumerate(texts) if re.fullmatch(r"\d+,\d{1,2}%?", t)]
        if commas and points >= 2 * len(commas):
            for i in commas:
                body[i][col].text = texts[i].replace(",", ".")
                _parse_into(body[i][col])


def _decimals(text: str) -> int:
    match = re.search(r"[.,](\d+)", text)
    return len(match.group(1)) if match else 0


def _plus_minus_shape(cell: TableCell) -> tuple[int, int] | None:
    """(decimals of the value, decimals of the ± part) as printed; ``None``: not "a ± b"."""
    if cell.parsed is None or cell.parsed.plus_minus is None:
        return None
    value, _, spread = cell.text.partition("±")
    return (_decimals(value), _decimals(spread))


def _split_at_plus_minus(body: list[list[TableCell]], numeric_cols: set[int], page: _Page,
                         engine: OcrEngine) -> None:
    """A lowered, smaller "±s" can merge with the value ("42.2 ±1.6" read "42.2416", or
    "64.34 ± 2.2" with the sign's top read as a digit). Where a "±" glyph lies inside a cell
    of a column of "a ± b" values and the reading does not have the column's printed shape,
    read the value and the spread on either side of the glyph separately."""
    if not page.plus_minus:
        return
    for col in numeric_cols:
        shapes = [_plus_minus_shape(row[col]) for row in body]
        seen = [sh for sh in shapes if sh is not None]
        if len(seen) < max(2, 0.5 * sum(1 for row in body if row[col].text)):
            continue
        usual = max(set(seen), key=seen.count)
        for row, shape in zip(body, shapes, strict=True):
            cell = row[col]
            if shape == usual or cell.page_box is None:
                continue
            sign = _sign_inside(cell.page_box, page.plus_minus)
            if sign is not None:
                _read_either_side(cell, sign, usual, page, engine)


def _sign_inside(box, signs) -> tuple[int, int, int, int] | None:
    for sign in signs:
        if box[0] < sign[0] and sign[2] < box[2] and sign[1] < box[3] and sign[3] > box[1]:
            return sign
    return None


def _read_either_side(cell: TableCell, sign, usual: tuple[int, int], page: _Page,
                      engine: OcrEngine) -> None:
    x0, y0, x1, y1 = cell.page_box
    pad = int(page.text_height * 0.3)
    parts = []
    for left, right in ((x0, sign[0] - 1), (sign[2] + 2, x1)):
        crop = page.gray[max(0, y0 - pad):y1 + pad, max(0, left - 2):right + 2]
        if crop.size == 0:
            return
        crop = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        crop = cv2.copyMakeBorder(crop, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
        word = engine.line(crop, whitelist="0123456789.")
        if word is None or not re.fullmatch(r"\d*\.\d+|\d+", word.text):
            return
        parts.append(word)
    text = f"{parts[0].text} ± {parts[1].text}"
    cell_shape = (_decimals(parts[0].text), _decimals(parts[1].text))
    if cell_shape != usual:
        # still not the column's shape: keep the reading, but say it is doubtful
        cell.confidence = min(cell.confidence, 0.5)
        return
    cell.text = text
    cell.confidence = min(w.confidence for w in parts)
    _parse_into(cell)


def _merge_split_sections(body: list[list[TableCell]], numeric_cols: set[int]) -> None:
    """A caption row ("Combined with SWAD [34]") that reaches into the value columns is cut
    at the column gaps: a row without a single number whose text runs on from the label into
    value columns is one section label."""
    for row in body:
        filled = [c for c in row if c.text]
        if len(filled) == 1 and filled[0].col > 0 and filled[0].parsed is None and \
                not filled[0].missing and re.search(r"[A-Za-z]{3}", filled[0].text):
            # a centred caption ("∼ 3B Scale") sits in some value column: it labels a section
            row[0].text, filled[0].text = filled[0].text, ""
            row[0].confidence = filled[0].confidence
            continue
        rest = [c for c in row[1:] if c.text]
        if not row[0].text or not rest or any(c.parsed is not None for c in row[1:]) or \
                _is_mark_row(row):
            continue
        if not all(c.col in numeric_cols and not c.missing for c in rest):
            continue
        row[0].text = " ".join([row[0].text] + [c.text for c in rest])
        row[0].confidence = min([row[0].confidence] + [c.confidence for c in rest])
        for cell in rest:
            cell.text, cell.parsed, cell.missing = "", None, False


#: what Tesseract's eng model makes of a superscript dagger at the end of a word
_DAGGER_MISREAD = "*?!'’`\"°+}|tfil1"


def _superscript_marks(cell: TableCell, page: _Page, engine: OcrEngine) -> None:
    """Footnote daggers after a name ("MMD†", "Mixstyle‡") are read as "*", "?", "t", "!":
    find them as small raised glyphs with a stem and one or two crossbars, re-read the word
    without the glyph, and write the mark as printed."""
    box = cell.page_box
    if box is None:
        return
    th = page.text_height
    x0, x1, y1 = box[0], box[2], box[3]
    y0 = max(0, box[1] - int(0.5 * th))  # a raised mark may stand above the word's box
    tokens = cell.text.split()
    cited = next((k for k, t in enumerate(tokens) if t[:1] in "[("), len(tokens))
    crops = [page.ink[y0:y1 + 1, x0:x1 + 1]]
    if cited and tokens[cited - 1][-1] in _DAGGER_MISREAD:
        # a thin dagger can fall apart at the page's ink threshold (stem, bar and head in
        # three pieces): look again with the pale anti-aliased edge counted as ink, only
        # where OCR saw a mark (a pale italic letter's stroke can look like a dagger)
        crops.append(page.gray[y0:y1 + 1, x0:x1 + 1] < _PALE_INK)
    for crop in crops:
        marks = _raised_marks(crop.astype(np.uint8), th)
        if marks is None:
            return
        if marks:
            break
    if not marks:
        return
    if cited == 0:
        return
    mark_x, mark = max(marks)  # the mark after the name (the citation comes after it)
    name = tokens[:cited]
    word = _read_crop(page, (x0, box[1], x0 + mark_x - 1, y1), engine)
    again = word.text.split() if word is not None and word.confidence >= 0.5 else []
    if again and re.fullmatch(r"[\w.+-]+", again[-1]) and len(again) == len(name):
        name = again
    elif name[-1][-1] in _DAGGER_MISREAD and len(name[-1]) > 1:
        name[-1] = name[-1][:-1]
    name[-1] = name[-1] + mark
    cell.text = " ".join(name + tokens[cited:])


def _subscript_tail(cell: TableCell, page: _Page, engine: OcrEngine) -> None:
    """A subscript closing a name ("SEEDBench" with "IMG" set small and low) is read as
    lowercase letters glued to it ("SEEDBenchimc"): glyphs at the label's end whose feet
    all hang below the name's baseline are read again on their own, and when they read as
    capitals or digits (a descender "gy" reads lowercase), or as small lowercase letters
    ("BC" + italic "base" read "BCtase"), written ``name_SUB``, the way the truth files spell
    a subscript."""
    box = cell.page_box
    if box is None or not cell.text.strip() or \
            not re.fullmatch(r"[\w.+-]+", cell.text.split()[-1]):
        return
    th = page.text_height
    x0, y0, x1, y1 = box[0], box[1], box[2], box[3] + int(0.3 * th)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(
        page.ink[y0:y1 + 1, x0:x1 + 1].astype(np.uint8), 8)
    glyphs = sorted((s for s in stats[1:] if s[3] >= 0.35 * th), key=lambda s: s[0])
    if len(glyphs) < 4 or count > 80:
        return
    # the name's baseline, from its capitals when it has two (a subscript "base" after "BC"
    # outnumbers the name's letters)
    tall = [s for s in glyphs if s[3] >= 0.75 * th]
    baseline = float(np.median([s[1] + s[3] for s in (tall if len(tall) >= 2 else glyphs)]))
    tail = 0
    while tail < len(glyphs) - 2 and glyphs[-1 - tail][1] + glyphs[-1 - tail][3] >= \
            baseline + 0.15 * th:
        tail += 1
    if tail < 2:
        return
    start = int(glyphs[-tail][0])
    sub = _read_crop(page, (x0 + start, y0, x1, y1), engine)
    name = _read_crop(page, (x0, box[1], x0 + start - 1, box[3]), engine)
    # a lowercase subscript ("BC_base") is set small: each glyph well under a line's height,
    # where a descender closing a word ("gy") is as tall as a capital
    small = all(s[3] <= 0.8 * th for s in glyphs[-tail:])
    if sub is None or name is None or not (
            re.fullmatch(r"[A-Z0-9]{1,5}", sub.text) or
            (small and re.fullmatch(r"[a-z]{2,6}", sub.text) and sub.confidence >= 0.8)) or \
            not re.fullmatch(r"[\w.+-]+", name.text) or \
            not cell.text.casefold().startswith(name.text.casefold()):
        return
    cell.text = f"{name.text}_{sub.text}"


_PALE_INK = 235  # grey level below which an anti-aliased stroke's edge is ink


def _raised_marks(crop: np.ndarray, th: float) -> list[tuple[int, str]] | None:
    """(x, mark) of the daggers raised above a label's letters in ``crop`` (ink as 1);
    ``None`` when the crop has no letters to measure against, or too many pieces."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(crop, 8)
    tall = [stats[i] for i in range(1, count) if stats[i, 3] >= 0.55 * th]
    if not tall or count > 80:
        return None
    baseline = float(np.median([s[1] + s[3] for s in tall]))
    cap_top = float(np.median([s[1] for s in tall]))
    marks = []
    for i in range(1, count):
        x, y, w, h, _area = stats[i]
        # a dagger set nearly as tall as a capital ("ARM†" in Times) clears the capitals' top
        # and the baseline by less than either margin alone, but by some of both: no letter
        # rises above the capitals without standing on the baseline
        raised = y < cap_top - 0.25 * th or y + h < baseline - 0.3 * th or \
            (y < cap_top - 0.15 * th and y + h < baseline - 0.15 * th)
        if not (0.3 * th <= h <= 1.0 * th and w <= 0.6 * th and raised):
            continue
        mark = _dagger_kind(labels[y:y + h, x:x + w] == i)
        if mark and _closes_word(stats, i, th):
            marks.append((int(x), mark))
    lobes = [stats[i][:4] for i in range(1, count)
             if 0.2 * th <= min(stats[i, 2], stats[i, 3]) <= max(stats[i, 2], stats[i, 3])
             <= 0.45 * th and stats[i, 1] + stats[i, 3] < baseline - 0.1 * th]
    return marks + _diamond_marks(lobes, th)


def _closes_word(stats: np.ndarray, index: int, th: float) -> bool:
    """A footnote mark ends a word: no letter starts within a fifth of the text height to its
    right. A thin serif letter broken at the ink threshold (the arm of a "T" in
    "TimeChat", short, high and crossed) is followed at once by the next letter."""
    x, _y, w, _h, _area = stats[index]
    right = x + w
    return not any(right - 1 <= stats[k, 0] <= right + 0.2 * th and stats[k, 3] >= 0.55 * th
                   for k in range(1, len(stats)) if k != index)


def _diamond_marks(lobes: list, th: float) -> list[tuple[int, str]]:
    """"❖" is drawn as four separate lobes (above, left, right, below a centre), read as
    "*" by Tesseract: (x, "❖") for each four small raised pieces in that cross."""
    centres = sorted((x + w / 2, y + h / 2, x) for x, y, w, h in lobes)
    out = []
    for k in range(len(centres) - 3):
        left, a, b, right = centres[k:k + 4]
        top, bottom = sorted((a, b), key=lambda c: c[1])
        cross = (abs(top[0] - bottom[0]) <= 0.15 * th and abs(left[1] - right[1]) <= 0.15 * th
                 and top[1] < left[1] < bottom[1] and left[0] < top[0] < right[0]
                 and right[0] - left[0] <= th and bottom[1] - top[1] <= th)
        if cross:
            out.append((int(left[2]), "❖"))
    return out


def _dagger_kind(glyph: np.ndarray) -> str:
    """"†" (a stem crossed once, in its upper half), "‡" (crossed twice), or "" when the
    glyph is something else (a bracket's corner, a quote, a letter's stroke)."""
    height, width = glyph.shape
    if height < 6 or width < 3 or width > 0.7 * height or glyph.mean() > 0.6:
        return ""
    stem = glyph[:, max(0, width // 2 - 1):width // 2 + 2].any(axis=1).mean()
    if stem < 0.85:
        return ""
    wide = glyph.mean(axis=1) >= 0.6
    bars, start = [], None
    for row, is_wide in enumerate(list(wide) + [False]):
        if is_wide and start is None:
            start = row
        elif not is_wide and start is not None:
            bars.append((start + row - 1) / 2 / (height - 1))
            start = None
    if len(bars) == 1 and 0.12 <= bars[0] <= 0.6:
        return "†"
    if len(bars) == 2 and 0.1 <= bars[0] <= 0.5 and 0.5 <= bars[1] <= 0.9:
        return "‡"
    return ""


def _lost_label_starts(labels: list[TableCell], page: _Page, engine: OcrEngine) -> None:
    """A label whose first words OCR dropped ("InternVL3-8B (2025)" read "(2025)", a year
    in a box touching a rule): where the labels start at one left edge and one starts well
    right of it over ink, the line from that edge to the label's end is read again, and taken
    when it ends with what was read and adds a word before it."""
    boxes = [c.page_box for c in labels if c.text and c.page_box is not None]
    if len(boxes) < 3:
        return
    th = page.text_height
    left = int(np.median([b[0] for b in boxes]))
    if sum(1 for b in boxes if abs(b[0] - left) <= 0.5 * th) < 0.6 * len(boxes):
        return  # centred or indented labels: no common left edge
    for cell in labels:
        box = cell.page_box
        if not cell.text or box is None or box[0] - left < 2 * th:
            continue
        if page.ink[box[1]:box[3] + 1, left:box[0] - 2].sum() < th * th / 4:
            continue
        word = _read_crop(page, (left, box[1], box[2], box[3]), engine)
        if word is not None and word.confidence >= 0.6 and \
                word.text.endswith(cell.text) and re.search(r"\w", word.text[:-len(cell.text)]):
            cell.text = word.text
            cell.page_box = (left, box[1], box[2], box[3])
            cell.box = tuple(int(round(v / page.scale)) for v in cell.page_box)


def _read_crop(page: _Page, box, engine: OcrEngine) -> OcrWord | None:
    x0, y0, x1, y1 = box
    pad = int(page.text_height * 0.3)
    crop = page.gray[max(0, y0 - pad):y1 + pad, max(0, x0 - 2):x1 + 2]
    if crop.size == 0 or x1 <= x0:
        return None
    crop = cv2.copyMakeBorder(crop, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    return engine.line(crop)


#: how Tesseract reads check marks and crosses (a "✓" drawn as "v", "J", "Jv", "Jf", "/")
_TICKS = {"v", "V", "J", "Jv", "JV", "Jf", "/", "✓", "✔", "√", "vy"}
_CROSSES = {"x", "X", "✗", "✘", "×", "%"}


def _is_mark_text(text: str) -> bool:
    """A check mark or a cross as OCR reads it ("v", "Vv", "✓", "x").

    >>> _is_mark_text("Vv"), _is_mark_text("✗"), _is_mark_text("7B")
    (True, True, False)
    """
    text = text.strip()
    return text in _TICKS or text in _CROSSES or re.fullmatch(r"[vVJ✓✔√]{1,3}", text) is not None


def _is_mark_row(row: list[TableCell]) -> bool:
    """A labelled row whose value cells are check marks or crosses ("Real-world API? ✓ ✗")."""
    values = [c.text.strip() for c in row[1:]]
    filled = [v for v in values if v]
    return bool(row[0].text) and len(filled) >= max(2, 0.6 * len(values)) and \
        all(v in _TICKS or v in _CROSSES for v in filled) and \
        any(v in _TICKS for v in filled)


_VERDICTS = {"PASS", "FAIL", "PASSED", "FAILED", "OK", "ERROR"}


def _is_verdict_row(row: list[TableCell]) -> bool:
    """A labelled row of test verdicts ("mock-fix PASS FAIL PASS 2/3 (67%)"): most of its
    value cells are PASS/FAIL words or a dash. A grid of them is results a person reads,
    with no number to store."""
    filled = [c.text.strip() for c in row[1:] if c.text.strip()]
    verdicts = sum(1 for t in filled if t.upper() in _VERDICTS or t in "—–-")
    return bool(row[0].text) and len(filled) >= 2 and verdicts >= 0.6 * len(filled) and \
        any(t.upper() in _VERDICTS for t in filled)


def _write_marks(row: list[TableCell]) -> None:
    for cell in row[1:]:
        text = cell.text.strip()
        if text:
            cell.text = "✗" if text in _CROSSES else "✓"
            cell.parsed, cell.missing = None, False
            cell.confidence = min(cell.confidence, 0.8)


_SHAPE = re.compile(r"^([^\d]*)(\d[\d,]*)(?:\.(\d+))?([^\d]*)$")


def _shape(text: str) -> tuple[str, int, str] | None:
    """What a column prints around its digits: ("$", 3, "") for "$1.371", ("", 2, "s")."""
    match = _SHAPE.match(text.strip())
    if not match or "±" in text or "/" in text:
        return None
    return (match.group(1), len(match.group(3) or ""), match.group(4).strip().casefold())


def _check_column_shapes(body: list[list[TableCell]], numeric_cols: set[int], page: _Page,
                         engine: OcrEngine) -> None:
    """A value printed unlike the rest of its column ("72.668" among "58.43s", "37.31s": the
    unit read as a digit) gets a second look; if that does not give the column's shape it
    is kept at low confidence, so it is not stored without confirmation."""
    for col in numeric_cols:
        rows = [row for row in body if row[col].parsed is not None]
        cells = [row[col] for row in rows]
        shapes = [_shape(c.text) for c in cells]
        known = [sh for sh in shapes if sh is not None]
        if len(known) < 4:
            continue
        usual = max(set(known), key=known.count)
        if known.count(usual) < 0.6 * len(known):
            continue
        for row, cell, shape in zip(rows, cells, shapes, strict=True):
            if shape is None or shape == usual:
                continue
            box = _box_in_its_line(cell, row, page.text_height)
            word = _read_crop(page, box, engine) if box else None
            if word is not None and _shape(word.text) == usual:
                cell.text, cell.confidence = word.text, min(word.confidence, cell.confidence)
                _parse_into(cell)
                continue
            cell.confidence = min(cell.confidence, 0.5)
            pointed = _point_put_back(cell.text, usual, page, cell.page_box)
            if pointed is not None:
                cell.text = pointed  # still at low confidence: stored after a look
                _parse_into(cell)


_SIGN_PREFIX = str.maketrans("", "", "+−-–")


def _digit_shape(text: str) -> tuple[str, int, str, int] | None:
    """A value's print form with its sign left out, and its count of digits:
    ("", 1, "", 3) for "48.0" and "+11.2"; ("", 0, "", 3) for "480"."""
    shape = _shape(text)
    if shape is None:
        return None
    digits = _SHAPE.match(text.strip()).group(2).replace(",", "")
    return (shape[0].translate(_SIGN_PREFIX), shape[1], shape[2], len(digits) + shape[1])


def _lost_point_suspects(cells: list[TableCell]) -> tuple[list[TableCell], int]:
    """Whole numbers in a column that also prints decimals with as many digits ("480",
    "450" among "35.6", "37.9": one 'dd.d' format whose point OCR dropped in some cells),
    and the decimals the column prints. A column that prints both "120" and "35.6" has
    different digit counts and gives no suspects."""
    shapes = [_digit_shape(c.text) for c in cells]
    decimal = [sh for sh in shapes if sh is not None and sh[1] > 0]
    known = [sh for sh in shapes if sh is not None]
    if len(decimal) < 2 or len(decimal) < 0.25 * len(known):
        return [], 0
    places = max({sh[1] for sh in decimal}, key=[sh[1] for sh in decimal].count)
    forms = {(sh[0], sh[2], sh[3]) for sh in decimal if sh[1] == places}
    suspects = [c for c, sh in zip(cells, shapes, strict=True)
                if sh is not None and sh[1] == 0 and sh[3] > places
                and (sh[0], sh[2], sh[3]) in forms]
    return suspects, places


def _read_larger(page: _Page, box, engine: OcrEngine, scale: float = 2.0) -> OcrWord | None:
    """``box`` read again, enlarged: a small point that OCR merged away at the page's scale
    often reads at twice the size."""
    x0, y0, x1, y1 = box
    pad = int(page.text_height * 0.3)
    crop = page.gray[max(0, y0 - pad):y1 + pad, max(0, x0 - 2):x1 + 2]
    if crop.size == 0 or x1 <= x0:
        return None
    crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    crop = cv2.copyMakeBorder(crop, 24, 24, 24, 24, cv2.BORDER_CONSTANT, value=255)
    return engine.line(crop)


def _points_in_mixed_columns(body: list[list[TableCell]], numeric_cols: set[int], page: _Page,
                             engine: OcrEngine) -> None:
    """A column printed 'dd.d' where OCR dropped the point in most cells ("480" for "48.0",
    nine of fifteen): the column's own majority is wrong, so the evidence is the decimals
    it also holds with the same count of digits. Each whole number among them is read
    again in its line's crop at twice the size; a read with the column's decimals is
    taken; else the point goes back where the pixels show one; either way a value not
    confirmed by a second read is kept at low confidence, never stored as sure."""
    for col in numeric_cols:
        rows = [row for row in body if row[col].parsed is not None]
        suspects, places = _lost_point_suspects([row[col] for row in rows])
        for row in rows:
            cell = row[col]
            if cell not in suspects:
                continue
            before = _digit_shape(cell.text)
            box = _box_in_its_line(cell, row, page.text_height)
            word = _read_larger(page, box, engine) if box else None
            shape = _digit_shape(_normalise(word.text)) if word is not None else None
            if shape is not None and shape[1] == places and shape[3] == before[3]:
                cell.text = _normalise(word.text)
                cell.confidence = min(word.confidence, cell.confidence)
                _parse_into(cell)
                continue
            cell.confidence = min(cell.confidence, 0.5)
            own = _shape(cell.text)
            pointed = _point_put_back(cell.text, (own[0], places, own[2]), page, cell.page_box)
            if pointed is not None:
                cell.text = pointed
                _parse_into(cell)


_FOUR_FOR_PLUS = re.compile(r"^4(\d+(?:\.\d+)?%?)$")


def _signed_peers(peers: list[TableCell]) -> bool:
    """Whether values print an explicit plus: at least three, and four in five, start with
    '+' or a minus ("+61.4 +54.9 … +47.2" on a Δ row)."""
    texts = [c.text.strip() for c in peers if c.parsed is not None]
    plus = sum(t.startswith("+") for t in texts)
    signed = sum(t[:1] in "+−-–" for t in texts)
    return plus >= 3 and signed >= 0.8 * len(texts)


def _first_glyph_short(page: _Page, box) -> bool:
    """Whether the leftmost glyph in ``box`` is shorter than the digits after it, as a plus
    is and a '4' is not."""
    x0, y0, x1, y1 = box
    crop = page.gray[max(0, y0):y1, max(0, x0):x1]
    if crop.size == 0:
        return False
    count, _, stats, _ = cv2.connectedComponentsWithStats((crop < 128).astype(np.uint8), 8)
    glyphs = sorted((stats[i] for i in range(1, count)
                     if stats[i, cv2.CC_STAT_HEIGHT] >= 0.4 * page.text_height),
                    key=lambda st: st[cv2.CC_STAT_LEFT])
    if len(glyphs) < 3:
        return False
    rest = float(np.median([g[cv2.CC_STAT_HEIGHT] for g in glyphs[1:]]))
    return bool(glyphs[0][cv2.CC_STAT_HEIGHT] < 0.85 * rest)


def _plus_read_as_four(body: list[list[TableCell]], numeric_cols: set[int], page: _Page) -> None:
    """A small plus read as a '4' ("425.5" for "+25.5") among values that all print their
    sign, in the cell's row or its column: the sign is put back when the first glyph is
    shorter than the digits after it, at low confidence."""
    for row in body:
        for col in numeric_cols:
            cell = row[col]
            match = _FOUR_FOR_PLUS.match(cell.text.strip())
            if match is None or cell.page_box is None:
                continue
            in_row = [row[c] for c in numeric_cols if c != col]
            in_col = [other[col] for other in body if other is not row]
            if not (_signed_peers(in_row) or _signed_peers(in_col)):
                continue
            if _first_glyph_short(page, cell.page_box):
                cell.text, cell.confidence = f"+{match.group(1)}", min(cell.confidence, 0.5)
                _parse_into(cell)


def _box_in_its_line(cell: TableCell, row: list[TableCell], th: float):
    """``cell``'s box cut to its row's line. Tesseract can stretch a word's box over white
    above and below when it invents a glyph ("77.1" read "771A", its box 39 px tall in a
    25 px line), and a crop of that box takes in the tops of the next row's digits. The
    line is the median top and bottom of the row's other cells; a box taller by a second
    line (a stacked value) is left alone."""
    box = cell.page_box
    others = [c.page_box for c in row if c is not cell and c.page_box and c.text]
    if box is None or len(others) < 2:
        return box
    top = int(np.median([b[1] for b in others]))
    bottom = int(np.median([b[3] for b in others]))
    overhang = max(0, top - box[1]) + max(0, box[3] - bottom)
    if overhang < 0.25 * th or box[3] - box[1] >= 1.8 * (bottom - top):
        return box
    return (box[0], max(box[1], top), box[2], min(box[3], bottom))


def _table_wide_points(body: list[list[TableCell]], numeric_cols: set[int], page: _Page) -> None:
    """Where OCR drops many decimal points (small light digits on a heatmap's dark cells), a
    column may hold more whole numbers than decimals and its own shape says nothing; the
    table's does. A whole number among a table of decimals gets its point back where the
    pixels show one (:func:`_point_put_back`), at low confidence."""
    cells = [row[col] for row in body for col in numeric_cols if row[col].parsed is not None]
    shapes = [sh for sh in (_shape(c.text) for c in cells) if sh is not None]
    if len(shapes) < 8:
        return
    usual = max(set(shapes), key=shapes.count)
    if usual[1] == 0 or shapes.count(usual) < 0.6 * len(shapes):
        return
    for cell in cells:
        pointed = _point_put_back(cell.text, usual, page, cell.page_box)
        if pointed is not None:
            cell.text, cell.confidence = pointed, min(cell.confidence, 0.5)
            _parse_into(cell)


def _point_put_back(text: str, usual: tuple[str, int, str], page: _Page, box) -> str | None:
    """A decimal point OCR dropped ("405" in a column of "40.5", "21.4"), put back where the
    pixels show it: one dot on the baseline with as many digits right of it as the column
    prints decimals. A whole number printed as such ("1771" among "58.9") has no dot: None.

    >>> page = _Page(np.full((30, 60), 255, np.uint8), None, 1.0, [], [], 20.0)
    >>> for x in (5, 19, 37): page.gray[5:25, x:x + 8] = 0  # three digits
    >>> page.gray[22:25, 30:33] = 0  # a dot between the second and third
    >>> _point_put_back("405", ("", 1, ""), page, (0, 0, 60, 30))
    '40.5'
    >>> page.gray[22:25, 30:33] = 255; _point_put_back("405", ("", 1, ""), page, (0, 0, 60, 30))
    """
    prefix, decimals, suffix = usual
    shape = _shape(text)
    if box is None or decimals == 0 or shape != (prefix, 0, suffix):
        return None
    digits = _SHAPE.match(text.strip()).group(2)
    if "," in digits or len(digits) <= decimals:
        return None
    x0, y0, x1, y1 = box
    crop = page.gray[max(0, y0):y1, max(0, x0):x1]
    if crop.size == 0:
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats((crop < 128).astype(np.uint8), 8)
    th = page.text_height
    parts = [stats[i] for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= 2]
    glyphs = [p for p in parts if p[cv2.CC_STAT_HEIGHT] >= 0.5 * th]
    if not glyphs:
        return None
    base = max(p[cv2.CC_STAT_TOP] + p[cv2.CC_STAT_HEIGHT] for p in glyphs)
    dots = [p for p in parts if p[cv2.CC_STAT_HEIGHT] <= 0.3 * th and
            p[cv2.CC_STAT_WIDTH] <= 0.3 * th and
            abs(p[cv2.CC_STAT_TOP] + p[cv2.CC_STAT_HEIGHT] - base) <= 0.15 * th]
    if len(dots) != 1 or len(glyphs) != len(digits):
        return None
    right = sum(1 for p in glyphs if p[cv2.CC_STAT_LEFT] > dots[0][cv2.CC_STAT_LEFT])
    if right != decimals:
        return None
    match = _SHAPE.match(text.strip())
    return f"{match.group(1)}{digits[:-decimals]}.{digits[-decimals:]}{match.group(4)}"


def _is_index_column(texts: list[str]) -> bool:
    """Whether a first column counts its rows "0, 1, 2, …" (a dataframe's index) or "1, 2, …".

    Example:
        >>> _is_index_column(["0", "1", "2", "3"]), _is_index_column(["1", "2", "3"])
        (True, True)
        >>> _is_index_column(["7", "12", "3"]), _is_index_column(["0", "1"])
        (False, False)
    """
    if len(texts) < 3 or not all(t.isdigit() for t in texts):
        return False
    start = int(texts[0])
    return start in (0, 1) and [int(t) for t in texts] == list(range(start, start + len(texts)))


def _is_key_column(texts: list[str]) -> bool:
    """Whether a first column of numbers names its rows rather than measuring them: a
    dataframe's index ("0, 1, 2, …"), one number repeated in every row (a year: "1973" on
    each row of a daily series), or sizes in exponent form ("1e4", "5e6": a dataframe index
    of row counts). Axis ticks, the other first column of numbers, are none of these.

    Example:
        >>> _is_key_column(["1973"] * 4), _is_key_column(["1e4", "1e5", "5e6"])
        (True, True)
        >>> _is_key_column(["80", "60", "40", "20"]), _is_key_column(["1e4", "20"])
        (False, False)
    """
    if _is_index_column(texts):
        return True
    if len(texts) < 3:
        return False
    if len(set(texts)) == 1 and texts[0].isdigit():
        return True
    return all(re.fullmatch(r"\d(\.\d+)?e\d{1,2}", t) for t in texts)


def _rank_sequence(body: list[list[TableCell]]) -> None:
    """A rank column "#1, #2, …" is labels, not values; "#5" misread "45" is put back.
    A first column counting or keying the rows (a dataframe's index) is labels too."""
    if body and _is_key_column([row[0].text for row in body if not _is_section(row)]):
        for row in body:
            row[0].parsed, row[0].missing = None, False
    for col in range(len(body[0]) if body else 0):
        texts = [row[col].text for row in body]
        if sum(bool(re.fullmatch(r"#\d+", t)) for t in texts) < max(3, 0.6 * len(texts)):
            continue
        for index, row in enumerate(body):
            expected = f"#{index + 1}"
            if row[col].text != expected and row[col].text.endswith(str(index + 1)):
                row[col].text = expected
            if row[col].text.startswith("#"):
                row[col].parsed, row[col].missing = None, False


def _is_icon_text(cell: TableCell) -> bool:
    """What OCR makes of a logo: short marks without a word in them ("<>", "ME | ,,")."""
    if cell.parsed is not None:
        return False  # "9.3", "21.5": values, however short
    return not cell.text or not re.search(r"[A-Za-z0-9]{3}", cell.text) or \
        (cell.confidence < 0.6 and len(cell.text) <= 3)


def _delete_column(rows: list[list[TableCell]], col: int) -> None:
    """Column ``col`` taken out of ``rows``; a header cell spanning it spans one less."""
    for row in rows:
        owner = next((c for c in row if c.col < col < c.col + c.colspan), None)
        if owner is not None:
            owner.colspan -= 1
        del row[col]
        for index, cell in enumerate(row):
            cell.col = index


_SLASH_END = re.compile(r"^/|/$")
_CITATION_NUMBER = re.compile(r"^\[?(\d{1,3})[\]_|)]?$")


def _merge_citation_column(header_rows: list[list[TableCell]], body: list[list[TableCell]]):
    """Reference numbers printed after the names in boxes ("BEVDet [8]", a green frame
    round the "8") read as a column of their own, headed by nothing, between the names and
    the first values: every value then sits a column to the right of its header. A
    headerless column right of the names holding only 1-3 digit integers, in at least half
    the rows but not all (a proposed method has no reference), is the names' reference:
    it goes back into the label as "[8]".

    >>> def cell(text, col): return TableCell(text, 0, col, (0, 0, 0, 0), 0.9)
    >>> head = [[cell("Method", 0), cell("", 1), cell("NDS", 2)]]
    >>> body = [[cell("BEVDet 8", 0), cell("8", 1), cell("37.9", 2)],
    ...         [cell("SOLO", 0), cell("31_", 1), cell("53.4", 2)],
    ...         [cell("Ours", 0), cell("", 1), cell("55.2", 2)]]
    >>> head, body = _merge_citation_column(head, body)
    >>> [[c.text for c in row] for row in body]
    [['BEVDet [8]', '37.9'], ['SOLO [31]', '53.4'], ['Ours', '55.2']]
    """
    if not header_rows or not body or len(body[0]) < 3:
        return header_rows, body
    if any(row[1].text for row in header_rows) or not any(row[0].text for row in header_rows):
        return header_rows, body
    rows = [row for row in body if not _is_section(row)]
    cited = [_CITATION_NUMBER.match(row[1].text.strip()) for row in rows if row[1].text]
    if not cited or not all(cited) or not 0.5 * len(rows) <= len(cited) < len(rows):
        return header_rows, body
    if sum(1 for row in rows if row[1].text and not row[0].text) > len(cited) / 4:
        return header_rows, body  # numbers without names: a column of values
    for row in rows:
        match = _CITATION_NUMBER.match(row[1].text.strip())
        if match and row[0].text:  # a name lost to the OCR stays lost, its reference too
            label = re.sub(rf"\s+\[?{match.group(1)}\]?$", "", row[0].text)
            row[0].text = f"{label} [{match.group(1)}]"
    _delete_column(header_rows + body, 1)
    return header_rows, body


def _merge_spanned_columns(header_rows: list[list[TableCell]], body: list[list[TableCell]]):
    """A "backbone / pipeline" cell ("- / 59.9", "85.2 / 115.0") split at its wide spaces
    into columns of its own ("-", "/", "59.9") under the one header cell that spans them:
    columns under one header name, one of them holding a cell that starts or ends at the
    slash, are one column, their texts joined (two values under one spanning header, "67%"
    and "93%", stay apart: no slash)."""
    if not header_rows or not body:
        return header_rows, body
    names = _header_text(header_rows)
    for col in range(len(names) - 1, 0, -1):
        if names[col] != names[col - 1] or names[col].startswith("column "):
            continue
        if not any(_SLASH_END.search(row[k].text.strip()) for row in body for k in (col - 1, col)):
            continue
        for row in body:
            left, right = row[col - 1], row[col]
            if right.text:
                left.text = f"{left.text} {right.text}".strip()
                left.confidence = min(left.confidence, right.confidence) if left.text != \
                    right.text else right.confidence
                _parse_into(left)
        _delete_column(header_rows + body, col)
    return header_rows, body


def _drop_icon_columns(header_rows: list[list[TableCell]], body: list[list[TableCell]]):
    """A column of logos before the names (web leaderboards) holds no values: its header
    ("MODEL", set over the logo) moves to the names' column and the column goes."""
    width = len(body[0]) if body else 0
    for col in range(width - 2, -1, -1):
        if col == 0 or not all(_is_icon_text(row[col]) for row in body):
            continue
        if any(row[col + 1].text == "" for row in body) or \
                any(row[col + 1].text for row in header_rows):
            continue
        for row in header_rows:
            row[col + 1].text, row[col].text = row[col].text, ""
        for row in header_rows + body:
            del row[col]
    for row in header_rows + body:
        for index, cell in enumerate(row):
            cell.col = index
    return header_rows, body


_ICON_TOKEN = re.compile(r"^[^\w\s]*\w?[^\w\s]*$")


def _strip_leading_icons(body: list[list[TableCell]]) -> None:
    """Logos and medal emoji before the names (a web leaderboard: "🥇 ✳ Claude Code") read
    as one-letter marks ("W %& Claude Code", "@G Codex CLI"): when most labels start so,
    the marks before the first word go."""
    labels = [row[0] for row in body if row[0].text and not _is_section(row)]
    def marks(text: str) -> int:
        tokens = text.split()
        count = 0
        while count < len(tokens) - 1 and _ICON_TOKEN.match(tokens[count]):
            count += 1
        return count
    marked = [c for c in labels if marks(c.text)]
    if len(labels) < 2 or len(marked) < 0.6 * len(labels):
        return
    if {token for c in marked for token in c.text.split()[:marks(c.text)]} == {"+"}:
        return  # a lone "+" before every one is printed: variants under a base ("+ DAPO")
    for cell in labels:
        cell.text = " ".join(cell.text.split()[marks(cell.text):])


def _merge_label_spill(header_rows: list[list[TableCell]], body: list[list[TableCell]]):
    """Words of one label spread over columns ("Single | Filing | Analysis" in a monospace
    font, whose word spaces are as wide as a column gap): headerless columns of text right
    of the label column belong to the label."""
    while body and len(body[0]) > 2:
        col = 1
        headed = any(row[col].text for row in header_rows)
        text_only = all(c.parsed is None and not c.missing and c.text not in ("✓", "✗")
                        for c in (row[col] for row in body))
        if headed or not text_only or not any(row[col].text for row in body):
            break
        for row in body:
            if row[col].text:
                row[0].text = f"{row[0].text} {row[col].text}".strip()
                row[0].confidence = min(row[0].confidence, row[col].confidence)
        for row in header_rows + body:
            del row[col]
    for row in header_rows + body:
        for index, cell in enumerate(row):
            cell.col = index
    return header_rows, body


def _text_column(body: list[list[TableCell]], col: int) -> bool:
    return all(row[col].text and row[col].parsed is None and not row[col].missing
               for row in body if not _is_section(row))


def _merge_spread_words(header_rows: list[list[TableCell]], body: list[list[TableCell]],
                        text_height: float):
    """Words of one text cell cut into two columns ("2013-06-28 | 19:01:00", "Lake Shore |
    Dr" in a monospace DataFrame repr, whose word space is nearly a column gap): two
    neighbouring text columns, filled in every row, one word space apart in every row and
    under at most one header, are one column."""
    col = 1
    while body and col < len(body[0]) - 1:
        rows = [row for row in body if not _is_section(row)]
        # the right part may be missing where a short cell fitted its column ("Damen Ave"
        # under "Lake Shore | Dr"); it is never a number and is there in most rows
        spilled = [row for row in rows if row[col + 1].text]
        gaps = [row[col + 1].page_box[0] - row[col].page_box[2] for row in spilled
                if row[col].page_box and row[col + 1].page_box]
        headers = {c.text for row in header_rows for c in (row[col], row[col + 1]) if c.text}
        right_text = all(not row[col + 1].text or (row[col + 1].parsed is None
                                                    and not row[col + 1].missing) for row in rows)
        if not (_text_column(body, col) and right_text and len(spilled) >= 0.6 * len(rows)
                and gaps and len(gaps) == len(spilled)
                and max(gaps) <= 1.2 * text_height and len(headers) <= 1):
            col += 1
            continue
        for row in body:
            left, right = row[col], row[col + 1]
            left.text = f"{left.text} {right.text}".strip()
            left.confidence = min(left.confidence, right.confidence)
            if left.page_box and right.page_box:
                left.page_box = (left.page_box[0], min(left.page_box[1], right.page_box[1]),
                                 right.page_box[2], max(left.page_box[3], right.page_box[3]))
        for row in header_rows:
            if not row[col].text:
                row[col].text = row[col + 1].text
            row[col].colspan = 1
        for row in header_rows + body:
            del row[col + 1]
    for row in header_rows + body:
        for index, cell in enumerate(row):
            cell.col = index
    return header_rows, body


def _realign_columns(header_rows: list[list[TableCell]], body: list[list[TableCell]]):
    """Columns of a one-level header set by spaces alone (a monospace terminal table) come out
    of line with their values: a header over no value beside a value under no header
    ("threshold" | "0.8"), a column with neither, and two headers and two values run together
    ("FPR-novel ECE" over "0.79 0.527"). The header goes to the values beside it, empty
    columns go, and a column whose header is two words over two numbers in every row is two."""
    if len(header_rows) != 1 or not body or any(c.colspan != 1 for c in header_rows[0]):
        return header_rows, body
    header = header_rows[0]
    rows = [row for row in body if not _is_section(row)]

    def empty_body(col: int) -> bool:
        return not any(row[col].text for row in rows)

    col = 0
    while col < len(header):
        if not header[col].text and empty_body(col) and len(header) > 2:
            for row in header_rows + body:
                del row[col]
            continue
        if header[col].text and empty_body(col):
            for side in (col - 1, col + 1):
                if 0 < side < len(header) and not header[side].text and not empty_body(side):
                    header[side].text, header[side].confidence = header[col].text, \
                        header[col].confidence
                    for row in header_rows + body:
                        del row[col]
                    break
            else:
                col += 1
            continue
        col += 1
    for col in range(len(header) - 1, 0, -1):
        words = header[col].text.split()
        parts = [row[col].text.split() for row in rows]
        if len(words) != 2 or not parts or any(len(p) != 2 or to_float(p[0]) is None
                                               or to_float(p[1]) is None for p in parts):
            continue
        for row in header_rows + body:
            _split_cell(row, col, row[col].text.split() if row in body else words)
    for row in header_rows + body:
        for index, cell in enumerate(row):
            cell.col = index
    return header_rows, body


def _split_cell(row: list[TableCell], col: int, texts: list[str]) -> None:
    """Cut ``row[col]`` into two cells holding ``texts`` (a blank cell into two blanks)."""
    cell = row[col]
    if len(texts) != 2:
        texts = ["", ""]
    x0, y0, x1, y1 = cell.box
    middle = x0 + (x1 - x0) * len(texts[0]) // max(1, len(texts[0]) + len(texts[1]))
    right = TableCell(texts[1], cell.row, col + 1, (middle, y0, x1, y1), cell.confidence,
                      bold=cell.bold)
    cell.text, cell.box = texts[0], (x0, y0, middle, y1)
    if cell.page_box:
        px0, py0, px1, py1 = cell.page_box
        pm = px0 + (px1 - px0) * (middle - x0) // max(1, x1 - x0)
        right.page_box, cell.page_box = (pm, py0, px1, py1), (px0, py0, pm, py1)
    for part in (cell, right):
        part.parsed, part.missing = None, False
        if part.text:
            _parse_into(part)
    row.insert(col + 1, right)


_CAPTION = re.compile(r"^(Table|Tab\.|Figure|Fig\.)\s*\d+\s*[:.]")


def _is_prose_row(row: list[TableCell]) -> bool:
    """A line of running text: a caption ("Table 1: Main results for 4 topic …") or a cell
    of ten words or more; at most one number read in it."""
    words = sum(len(c.text.split()) for c in row if c.text)
    numbers = sum(1 for c in row if c.parsed is not None)
    first = next((c.text for c in row if c.text), "")
    return numbers <= 1 and (bool(_CAPTION.match(first)) or
                             any(len(c.text.split()) >= 10 for c in row) and words >= 12)


def _caption_start(body: list[list[TableCell]]) -> int | None:
    """Where a caption paragraph under the table begins: a prose row after two rows of
    values, with nothing but prose or stray marks after it (numbers in the prose, "4 topic",
    "Table 6", are not values)."""
    for index in range(2, len(body)):
        if not _is_prose_row(body[index]):
            continue
        rest = body[index:]
        if all(_is_prose_row(row) or sum(c.parsed is not None for c in row) <= 1 for row in rest):
            return index
    return None


def _split_caption(body: list[list[TableCell]]) -> tuple[list[list[TableCell]], list[str]]:
    """A caption paragraph under the table goes to the notes, whatever numbers its prose
    holds (they are no values, and would skew the column checks)."""
    start = _caption_start(body)
    if start is None:
        return body, []
    text = " ".join(" ".join(c.text for c in row if c.text) for row in body[start:])
    return body[:start], [f"caption below the table: {text}"]


def _split_footer(body: list[list[TableCell]]) -> tuple[list[list[TableCell]], list[str]]:
    """Rows after the last row of values that hold no value at all are a footer or caption
    ("Baseline: ~21 tok/s · Stock mlx-lm"), not body rows: they go to the notes."""
    last = max((i for i, row in enumerate(body) if any(c.is_numeric for c in row[1:])),
               default=len(body) - 1)
    footer = [" ".join(c.text for c in row if c.text) for row in body[last + 1:]]
    return body[:last + 1], [f"text below the table: {t}" for t in footer if t]


def _section_under_header(header_rows: list[list[TableCell]], body: list[list[TableCell]]):
    """A caption centred across the columns right under the column names ("Autoregressive
    models" over the first block of rows) names the first section, not a header level: a
    spanner stands above the names it groups, never below them."""
    if len(header_rows) < 2 or not body:
        return header_rows, body
    last, above = header_rows[-1], header_rows[-2]
    filled = [c for c in last if c.text]
    if len(filled) != 1 or filled[0].colspan < 2 or filled[0].parsed is not None or \
            not re.search(r"[A-Za-z]{3}", filled[0].text) or \
            sum(1 for c in above if c.text) < 3:
        return header_rows, body
    caption = filled[0]
    last[0].text, last[0].confidence, last[0].box = caption.text, caption.confidence, caption.box
    if caption is not last[0]:
        caption.text = ""
    for cell in last:
        cell.colspan = 1
    return header_rows[:-1], [last] + body


def _is_section(row: list[TableCell]) -> bool:
    return bool(row[0].text) and not any(c.text for c in row[1:])


def _fill_dashes(body: list[list[TableCell]], numeric_cols: set[int], grouped: list[_Row],
                 spans: list[tuple[float, float]], page: _Page, engine: OcrEngine) -> None:
    """Empty numeric cells with ink in them: OCR dropped a lone dash, or a whole cell."""
    for row, geometry in zip(body, grouped, strict=True):
        if _is_section(row):
            continue
        for col in numeric_cols:
            cell = row[col]
            if cell.text and (any(ch.isalnum() for ch in cell.text) or cell.missing):
                continue  # a lone ":" or "." is how OCR misreads a blurred dash
            x0 = int(max(0, spans[col][0] - page.text_height))
            x1 = int(spans[col][1] + page.text_height)
            if col + 1 < len(spans):
                x1 = min(x1, int(spans[col + 1][0]) - 2)
            if col > 0:
                x0 = max(x0, int(spans[col - 1][1]) + 2)
            crop = page.ink[geometry.top:geometry.bottom + 1, x0:x1].astype(np.uint8)
            count, _, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
            blobs = [s for s in stats[1:] if s[cv2.CC_STAT_AREA] >= 4]
            if not blobs:
                continue
            bx = min(s[0] for s in blobs)
            by = min(s[1] for s in blobs)
            bw = max(s[0] + s[2] for s in blobs) - bx
            bh = max(s[1] + s[3] for s in blobs) - by
            box = (x0 + bx, geometry.top + by, x0 + bx + bw, geometry.top + by + bh)
            if _straddles_rows(page, box, geometry):
                continue  # a name set once between two rows (a multirow "2.9B"), not a cell
            if len(blobs) == 1 and bh <= 0.3 * page.text_height and bw >= 1.5 * bh:
                cell.text = "-" if bw < 0.45 * page.text_height else (
                    "–" if bw < 0.75 * page.text_height else "—")
                cell.missing, cell.confidence = True, 0.8
            else:
                cell.page_box = box
                cell.confidence = 0.0
                _reread_numeric(cell, page, engine)
            cell.box = tuple(int(round(v / page.scale)) for v in box)


def _straddles_rows(page: _Page, box: tuple[int, int, int, int], row: _Row) -> bool:
    """Whether the ink in ``box`` (inside ``row``'s band) runs on well above or below the
    band: text centred between two rows, half of it in each."""
    reach = int(page.text_height)
    top, bottom = max(0, row.top - reach), row.bottom + reach + 1
    crop = page.ink[top:bottom, box[0]:box[2]].astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    band = labels[row.top - top:row.bottom + 1 - top]
    inside = set(np.unique(band)) - {0}
    if not inside:
        return False
    y0 = min(stats[i][cv2.CC_STAT_TOP] for i in inside) + top
    y1 = max(stats[i][cv2.CC_STAT_TOP] + stats[i][cv2.CC_STAT_HEIGHT] for i in inside) + top
    margin = 0.35 * page.text_height
    return y0 < row.top - margin or y1 > row.bottom + 1 + margin


def _refuse_photos(image: LoadedImage) -> None:
    """A table is mostly paper. A photo or noise is dark half over, and OCR on it takes a
    minute to find nothing: refuse it up front."""
    ink, busy = clutter(image)
    if ink > 0.38 or busy > 0.45:
        raise ExtractionError(
            f"no table found in {image.source}: it looks like a photo or noise "
            f"({ink:.0%} dark pixels, {busy:.0%} edge pixels)",
            hint="pass a screenshot or render of a results table")


def grid_evidence(body: list[list[TableCell]], section_rows: list[int],
                  label_col: int = 0) -> tuple[float, float]:
    """(share of body rows with a text label, share of filled value cells that are numbers or
    marks): how much a reading looks like a table rather than a chart's scattered text.
    ``label_col``: the column that names the rows (a Model column after a Scale column).

    Example:
        >>> cell = lambda text, col: TableCell(text, 0, col, (0, 0, 0, 0), 1.0)
        >>> grid_evidence([[cell("GPT-4", 0), cell("86.4", 1)], [cell("", 0), cell("lib", 1)]], [])
        (0.5, 0.5)
    """
    rows = [row for i, row in enumerate(body) if i not in section_rows]
    if not rows:
        return 0.0, 0.0
    index = _is_key_column([row[label_col].text for row in rows])
    labelled = sum(1 for row in rows if row[label_col].text and (
        index or to_float(row[label_col].text) is None or
        # a column the header names: a name may start with digits ("458 Speciale")
        (label_col > 0 and re.search(r"[^\W\d_]{2}", row[label_col].text))))
    values = [c for row in rows for c in row if c.col != label_col and c.text]
    numeric = sum(1 for c in values if to_float(c.text) is not None or c.missing or
                  c.text in ("✓", "✗"))
    return labelled / len(rows), numeric / max(1, len(values))


_LOOKALIKE_DIGIT = {"!": "1", "i": "1", "l": "1", "I": "1", "|": "1", "O": "0", "o": "0"}


def _letter_o_names(labels: list[TableCell]) -> None:
    """In a column of names, "03" or "04-mini" is OpenAI's o3 and o4-mini with the "o" read
    as a zero: no name or number is printed with a leading zero before a digit there; and
    "OpenAI-ol" is o1 with its "1" read as a small l.

    >>> cells = [TableCell(t, 0, 0, (0, 0, 0, 0), 0.9)
    ...          for t in ["Grok-4", "03", "04-mini", "GPT-4o", "03 (OpenAI, 2025c)",
    ...                    "Spec-03-3B", "gpt-3.5-turbo-0613", "gpt-4o-2024-08-06",
    ...                    "OpenAI-ol", "OpenAI 03"]]
    >>> cells[1].parsed = parse_number("03"); _letter_o_names(cells)
    >>> [c.text for c in cells], cells[1].parsed
    (['Grok-4', 'o3', 'o4-mini', 'GPT-4o', 'o3 (OpenAI, 2025c)', 'Spec-o3-3B', \
'gpt-3.5-turbo-0613', 'gpt-4o-2024-08-06', 'OpenAI-o1', 'OpenAI o3'], None)
    """
    names = sum(1 for c in labels if re.search(r"[^\W\d_]{2}", c.text))
    if names < 0.6 * max(1, len(labels)):
        return  # an index or key column of numbers
    for cell in labels:
        if _LEADING_O.fullmatch(cell.text):
            cell.text, cell.parsed, cell.missing = "o" + cell.text[1:], None, False
        cell.text = _O_ONE.sub("o1", _INNER_O.sub("o", cell.text))


#: "03", "04-mini", "03 (OpenAI, 2025c)": the whole name, or the name before its citation
_LEADING_O = re.compile(r"0\d(?:-[A-Za-z][\w.-]*)?(?: \(.*\))?")
#: "Spec-03-3B", "OpenAI 03": a one-digit "o3" part after a worded part, or the last word
#: after a word ("gpt-3.5-turbo-0613", a date "2024-08-06" and "v0.1" are left alone)
_INNER_O = re.compile(r"(?<=[A-Za-z]-)0(?=\d(?:-|\s|$))|(?<=[A-Za-z]{3} )0(?=\d(?:-mini)?$)")
#: "OpenAI-ol": OpenAI's o1 after a worded part, its "1" read as a small l
_O_ONE = re.compile(r"(?<=[A-Za-z]-)o[l|](?=-|\s|$)")


_A_FOR_DELTA = re.compile(r"^A(?= vs\b|$)")


def _delta_read_as_a(rows: list[list[TableCell]], label_col: int) -> None:
    """"Δ vs Qwen2.5-VL-3B" read "A vs Qwen2.5-VL-3B": a row of differences, known by its
    values, which all print their sign ("+61.4 +54.9 …"); a capital A opening "A vs" there,
    or standing alone as the label, is the delta."""
    for row in rows:
        label = row[label_col]
        values = [c for c in row if c is not label]
        if _A_FOR_DELTA.match(label.text) and _signed_peers(values):
            label.text = _A_FOR_DELTA.sub("Δ", label.text)


def _strip_tick_marks(labels: list[TableCell]) -> None:
    """A heatmap's row labels end in the axis' tick marks, read as a trailing hyphen
    ("Claude-4-Sonnet -"). When nearly every label ends so (a name may, a column of them
    does not), the hyphen is the tick's.

    >>> cells = [TableCell(t, 0, 0, (0, 0, 0, 0), 0.9) for t in ["GPT-4o -", "o1-", "Qwen -"]]
    >>> _strip_tick_marks(cells); [c.text for c in cells]
    ['GPT-4o', 'o1', 'Qwen']
    """
    filled = [c for c in labels if c.text]
    ticked = [c for c in filled if re.search(r"\w\s?[-–—]$", c.text)]
    if len(filled) < 3 or len(ticked) < 0.8 * len(filled):
        return
    for cell in ticked:
        cell.text = cell.text[:-1].rstrip()


def _mend_lookalikes(labels: list[TableCell]) -> None:
    """Labels of one table share their stems, so a slip shows against its siblings: where a
    label has a letter that OCR takes for a digit ("VoxCeleb!", "json_imb") right after a stem
    of four or more characters that other labels follow with a digit ("VoxCeleb2", "json_1kb",
    "json_10kb"), the letter is that digit's lookalike read wrong; and a label with a space
    that a sibling prints without ("Intern Video2.5" beside "InternVideo2.5 Oracle") lost it.

    Example:
        >>> cells = [TableCell(t, 0, 0, (0, 0, 0, 0), 0.9) for t in
        ...          ["VoxCeleb! [12]", "VoxCeleb2 [5]", "Mix", "Mistral"]]
        >>> _mend_lookalikes(cells); [c.text for c in cells]
        ['VoxCeleb1 [12]', 'VoxCeleb2 [5]', 'Mix', 'Mistral']
    """
    texts = [c.text for c in labels]
    for cell in labels:
        text = cell.text
        for pos in range(4, len(text)):
            digit = _LOOKALIKE_DIGIT.get(text[pos])
            if digit is None or text[pos - 1].isspace():
                continue
            stem = text[:pos]
            followers = [t[pos] for t in texts if t != text and t.startswith(stem) and len(t) > pos]
            # "!" and "|" are never letters of a name: one sibling with a digit is enough
            if followers and all(f.isdigit() for f in followers) and (
                    text[pos] in "!|" or digit in followers or len(followers) >= 2):
                cell.text = stem + digit + text[pos + 1:]
                break
        words = cell.text.split(" ")
        for index in range(len(words) - 1):
            joined = " ".join(words[:index] + [words[index] + words[index + 1]] + words[index + 2:])
            glued = words[index] + words[index + 1]
            if len(glued) >= 6 and any(re.search(rf"(^|\s){re.escape(glued)}(\s|$)", t)
                                       for t in texts if t != cell.text):
                cell.text = joined
                break


def _space_at_camel_joint(cell: TableCell, page: _Page) -> None:
    """Tesseract can read two words of a name as one ("On-policyRL" for "On-policy RL"):
    where a label read as one word has one lowercase-to-capital joint and its ink holds one
    word gap (a blank run of 0.3 of the text height; letters of a word stand under 0.15
    apart), the space stood there. Labels of several words are left alone: a pale
    citation's lost digits leave a gap of their own ("OmniDrive-BEV [15]")."""
    box = cell.page_box
    joints = list(re.finditer(r"(?<=[a-z])(?=[A-Z])", cell.text))
    if box is None or len(joints) != 1 or " " in cell.text:
        return
    x0, y0, x1, y1 = box
    ink = page.ink[y0:y1 + 1, x0:x1 + 1]
    gaps = _blank_run_centres(ink, 0.3 * page.text_height)
    at = joints[0].start()
    # the gap must stand where the joint falls, at the share of the characters before it
    # ("LLaVA-v1.5-13B" has its gap elsewhere), within a character's width
    expected, char = ink.shape[1] * at / len(cell.text), ink.shape[1] / len(cell.text)
    if len(gaps) == 1 and abs(gaps[0] - expected) <= char:
        cell.text = cell.text[:at] + " " + cell.text[at:]


def _blank_run_centres(ink: np.ndarray, width: float) -> list[float]:
    """Centres (x) of the runs of blank columns at least ``width`` wide between inked
    columns of ``ink``."""
    filled = ink.any(axis=0)
    centres, position = [], 0
    runs = [(has_ink, len(list(group))) for has_ink, group in itertools.groupby(filled)]
    for index, (has_ink, length) in enumerate(runs):
        if not has_ink and 0 < index < len(runs) - 1 and length >= width:
            centres.append(position + length / 2)
        position += length
    return centres


#: where a label's name splits into pieces ("Search-R1-base", "R1 (7B)")
_PIECE_SPLIT = re.compile(r"[-\s_/()\[\]]+")
#: letters Tesseract reads for a "1" inside a name piece
_ONE_LOOKALIKES = "Il|!"


def _mend_lookalike_pieces(labels: list[TableCell]) -> None:
    """A name piece read with a letter for its "1" ("RI-base" beside "R1-instruct" and
    "Search-R1-base"): where the piece with its look-alikes read as "1" is a piece of another
    label of the column and the piece as read is none, the digit was printed. The piece
    keeps a letter or digit of its own ("I" alone may be a numeral) and the
    stem rule of :func:`_mend_lookalikes` needs four characters before the slip, which a
    two-letter piece never has.

    >>> cells = [TableCell(t, 0, 0, (0, 0, 0, 0), 0.9) for t in
    ...          ["RI-base", "R1-instruct", "Search-R1-base", "Qwen-Il"]]
    >>> _mend_lookalike_pieces(cells); [c.text for c in cells]
    ['R1-base', 'R1-instruct', 'Search-R1-base', 'Qwen-Il']
    """
    pieces = [set(_PIECE_SPLIT.split(c.text)) for c in labels]
    for index, cell in enumerate(labels):
        others = set().union(*(p for k, p in enumerate(pieces) if k != index))
        for piece in sorted(pieces[index] - others):
            as_digit = "".join("1" if ch in _ONE_LOOKALIKES else ch for ch in piece)
            kept = [ch for ch in piece if ch not in _ONE_LOOKALIKES]
            if as_digit != piece and as_digit in others and any(ch.isalnum() for ch in kept):
                cell.text = re.sub(rf"(?<![^-\s_/()\[\]]){re.escape(piece)}"
                                   rf"(?![^-\s_/()\[\]])", as_digit, cell.text)


_ISO_DATE = re.compile(r"(?<![\w.])(\d{4})-([\dOoIl|!]{2})-([\dOoIl|!]{2})(?![\w.])")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_DATE = re.compile(r"^([A-Za-z]{3}) (\S{1,2}), ((?:19|20)\d\d)$")
_DAY_LOOKALIKE = {**_LOOKALIKE_DIGIT, "@": "0", "S": "5", "B": "8"}


def _as_digits(text: str, lookalikes: dict[str, str]) -> str | None:
    """``text`` with each lookalike letter read as its digit (``None``: a letter stays)."""
    out = "".join(ch if ch.isdigit() else lookalikes.get(ch, ch) for ch in text)
    return out if out.isdigit() else None


def _iso_date_fixed(match: re.Match) -> str:
    year, month, day = match.group(1), _as_digits(match.group(2), _LOOKALIKE_DIGIT), \
        _as_digits(match.group(3), _LOOKALIKE_DIGIT)
    if month and day and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
        return f"{year}-{month}-{day}"
    return match.group(0)


def _month_date_fixed(text: str) -> str:
    """"Dev 2@, 2019" -> "Dec 20, 2019": the one month one letter away, the day's lookalikes."""
    match = _MONTH_DATE.match(text)
    if not match:
        return text
    word, day, year = match.groups()
    near = [m for m in _MONTHS
            if sum(a != b for a, b in zip(m.lower(), word.lower(), strict=True)) <= 1]
    digits = _as_digits(day, _DAY_LOOKALIKE)
    if len(near) != 1 or digits is None or not 1 <= int(digits) <= 31:
        return text
    return f"{near[0]} {digits}, {year}"


_YEAR_MARK = re.compile(r"(?<=[A-Za-z])['’‘`](?=(?:\d{2}){1,2}\b)")


def _year_apostrophes(labels: list[TableCell]) -> None:
    """A column of "venue’year" labels ("CVPR’2023") prints its apostrophe one way; OCR
    reads the curly one as "'" now and then: where most labels use one form, all do.

    >>> cells = [TableCell(t, 0, 0, (0, 0, 0, 0), 0.9) for t in
    ...          ("A PR’2017", "B ICRA’2019", "C CVPR'2023", "D ICRA’2022")]
    >>> _year_apostrophes(cells); [c.text for c in cells][2]
    'C CVPR’2023'
    """
    marks = [m.group() for c in labels for m in _YEAR_MARK.finditer(c.text)]
    if len(marks) < 3:
        return
    common, count = max(((m, marks.count(m)) for m in set(marks)), key=lambda p: p[1])
    if 2 * count <= len(marks):
        return
    for cell in labels:
        cell.text = _YEAR_MARK.sub(common, cell.text)


def _mend_dates(labels: list[TableCell]) -> None:
    """Dates in row labels follow a fixed shape, so a letter read inside one shows: a model's
    ISO snapshot date ("Claude-3.5-Sonnet-2024-1o-22") has only digits in its month and day;
    in a column of "Mon D, YYYY" dates (two or more read right), a month one letter off and
    a day with lookalikes ("Dev 2@, 2019") are mended to the one month and day they can be.

    Example:
        >>> cells = [TableCell(t, 0, 0, (0, 0, 0, 0), 0.9) for t in
        ...          ["GPT-4o-2024-1o-22", "Dev 2@, 2019", "May 25, 2018", "Dec 15, 2017"]]
        >>> _mend_dates(cells); [c.text for c in cells]
        ['GPT-4o-2024-10-22', 'Dec 20, 2019', 'May 25, 2018', 'Dec 15, 2017']
    """
    for cell in labels:
        cell.text = _ISO_DATE.sub(_iso_date_fixed, cell.text)
    dated = sum(1 for c in labels if (m := _MONTH_DATE.match(c.text)) and m.group(1) in _MONTHS
                and m.group(2).isdigit())
    if dated < 2:
        return
    for cell in labels:
        cell.text = _month_date_fixed(cell.text)


_CITATION = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\](?:,\s*\[\d+(?:\s*[,–-]\s*\d+)*\])*")
#: a reference number closing a label, its brackets read or lost: "[42]", "[42", "[68)",
#: "(2,", "[13°", "[41_", "| (14)" (a boxed link's left side read as a bar)
_LOOSE_CITATION = re.compile(r"(?:\s\|)?\s[\[(](\d{1,3})[\])}.,_°|-]?$")


def _closed_citations(labels: list[TableCell]) -> None:
    """A citation printed in a box (hyperref frames each link in colour) loses a bracket to
    the box's side: "[42", "[68)", "(2,". Where nearly every label ends with a reference
    number after an opening bracket and some read exactly "[n]", the column cites in square
    brackets, so each loose ending is written back as "[n]"; and a "1" before a number that
    a sibling cites ("168." beside "[68]") is the opening bracket.

    Example:
        >>> cells = [TableCell(t, 0, 0, (0, 0, 0, 0), 0.9) for t in
        ...          ["GPT-4o [20]", "OpenAI-o3-mini [42", "InternVL3-2B [68)", "Qwen (2,",
        ...           "DouBao | (14)", "InternVL3-78B 168.", "Ours"]]
        >>> _closed_citations(cells); [c.text for c in cells][1:]
        ['OpenAI-o3-mini [42]', 'InternVL3-2B [68]', 'Qwen [2]', 'DouBao [14]', \
'InternVL3-78B [68]', 'Ours']
    """
    filled = [c for c in labels if c.text]
    loose = [c for c in filled if _LOOSE_CITATION.search(c.text)]
    exact = [c for c in loose if re.search(r"\s\[\d{1,3}\]$", c.text)]
    if len(exact) < 1 or len(loose) < 0.6 * len(filled) or len(loose) < 3:
        return
    for cell in loose:
        cell.text = _LOOSE_CITATION.sub(lambda m: f" [{m.group(1)}]", cell.text)
    # "[" read as a "1" ("InternVL3-78B 168."): only where a sibling cites that number
    cited = {m.group(1) for c in filled if (m := re.search(r"\[(\d{1,3})\]$", c.text))}
    for cell in filled:
        found = re.search(r"\s1(\d{1,3})[\].,)_|]$", cell.text)
        if found and found.group(1) in cited:
            cell.text = cell.text[:found.start()] + f" [{found.group(1)}]"



def _text_after_citation(rows: list[list[TableCell]], label_col: int) -> None:
    """In a column of cited names ("MME [18]", "EgoVQA [15]") the citation closes the name:
    where most labels carry one and most of those end with it, words read after a label's
    citation belong to the next column, a text column whose words ran into the label
    ("EgoTaskQA [33] Spatial / Temporal / Causal"). They move to the front of the next cell
    when that one holds text, not a number."""
    labels = [row[label_col] for row in rows if label_col + 1 < len(row) and row[label_col].text]
    cited = [c for c in labels if _CITATION.search(c.text)]
    ending = [c for c in cited if re.search(_CITATION.pattern + r"$", c.text)]
    if len(cited) < 0.6 * max(1, len(labels)) or len(ending) < 0.6 * len(cited):
        return
    for row in rows:
        label, following = row[label_col], row[label_col + 1] if label_col + 1 < len(row) else None
        found = list(_CITATION.finditer(label.text))
        if following is None or not found or following.is_numeric:
            continue
        rest = label.text[found[-1].end():].strip()
        if not re.match(r"[^\W\d_]{2}", rest):
            continue
        label.text = label.text[:found[-1].end()]
        following.text = f"{rest} {following.text}".strip()


def _index_name_row(header_rows: list[list[TableCell]], body: list[list[TableCell]]) -> bool:
    """Whether the first body row is a DataFrame's index name: pandas prints it alone, on its
    own line under the column names and in the first column, which the column names leave
    empty ("Rows" over "1e4, 1e5, …"), over an index. A section name ("Proprietary" over
    "GPT-4V", under a header with an empty first cell) is over names, so it stays."""
    return (len(body) >= 2 and bool(header_rows) and _is_section(body[0])
            and not any(row[0].text for row in header_rows) and not _is_section(body[1])
            and _is_key_column([row[0].text for row in body[1:] if not _is_section(row)]))


def _row_middle(row: list[TableCell]) -> float | None:
    boxes = [c.page_box for c in row if c.text and c.page_box]
    return float(np.median([(b[1] + b[3]) / 2 for b in boxes])) if boxes else None


def _fill_ruled_blocks(body: list[list[TableCell]], section_rows: list[int], page: _Page) -> bool:
    """A name printed once, vertically centred beside a block of rows fenced by rules (a LaTeX
    ``\\multirow``: "LongVila Oracle" beside its 64/128/256-frame rows), names every row of
    the block: each text cell that is the only one filled in its column within the block is
    copied to the block's empty cells there. Without rules nothing says where a block ends,
    so nothing is filled. Returns whether anything was."""
    middles = [_row_middle(row) for row in body]
    filled_any = False
    start = 0
    while start < len(body):
        end = start + 1
        while end < len(body) and end not in section_rows and start not in section_rows and \
                not _rule_across(middles[end - 1], middles[end], body[end][0], page):
            end += 1
        block = body[start:end]
        if len(block) >= 2 and all(m is not None for m in middles[start:end]):
            for col in range(len(block[0])):
                cells = [row[col] for row in block]
                named = [c for c in cells if c.text]
                if len(named) != 1 or named[0].parsed is not None or named[0].missing or \
                        _is_mark_text(named[0].text):
                    continue  # one ✓ in a column of marks marks its own row only
                if not all(any(c.text for c in row[1:]) for row in block):
                    continue  # a row with nothing else is a caption or note, not a member
                for cell in cells:
                    if not cell.text:
                        cell.text, cell.confidence = named[0].text, named[0].confidence
                        cell.bold = named[0].bold
                filled_any = True
        start = end
    return filled_any


def _rule_across(above: float | None, below: float | None, label: TableCell,
                 page: _Page) -> bool:
    """Whether a horizontal rule runs between two rows' middles, under the label column."""
    if above is None or below is None:
        return True
    left = label.page_box[0] if label.page_box else 0
    return any(above < y < below and x0 <= left + page.text_height and x1 > left
               for y, x0, x1 in page.hlines)


def _refuse_scattered_text(body: list[list[TableCell]], section_rows: list[int],
                           source: str, label_col: int = 0) -> None:
    """Text that does not make rows of labelled values is not a table: a chart's tick labels,
    legend and annotations read as "rows" mostly lack a label (measured: 0-44 % of rows
    labelled on a log-scale bar chart and a scatter plot; every real table here: >= 80 %)."""
    labelled, _ = grid_evidence(body, section_rows, label_col)
    if labelled < 0.6:
        raise ExtractionError(
            f"no table found in {source}: only {labelled:.0%} of the rows have a label",
            hint="for a chart pass --kind chart; a table needs labelled rows of values")


def _numeric_share(row: list[TableCell]) -> float:
    filled = [c for c in row[1:] if c.text]
    return sum(c.is_numeric for c in filled) / len(filled) if filled else 0.0


def _first_body_row(table: list[list[TableCell]]) -> int | None:
    """The first row of values: mostly numbers, or (a text-heavy table: names, makers,
    one or two numeric columns) numbers in the same columns as the rows that follow."""
    patterns = [frozenset(c.col for c in row[1:] if c.parsed is not None) for row in table]
    for index, row in enumerate(table):
        if sum(1 for c in row[1:] if c.text) >= 1 and _numeric_share(row) >= 0.6:
            return index
        later = patterns[index + 1:]
        if len(later) == 1 and len(patterns[index]) >= 3 and patterns[index] == later[0]:
            return index  # two rows of values in the same three or more columns
        # rows without a number (sections, a prompt or a caption line below) say nothing
        later = [q for q in later if q]
        if patterns[index] and len(later) >= 2:
            typical = float(np.median([len(q) for q in later]))
            # a text-heavy row may parse in one column the next rows do not ("288p, 576p" is
            # text, "720p" a number; "1k+" is text, "1.2k" a number): one column may differ
            alike = sum(1 for q in later if patterns[index] <= q or (
                len(patterns[index]) >= 3 and len(patterns[index] - q) <= 1))
            if alike >= 0.6 * len(later) and len(patterns[index]) >= 0.5 * typical and \
                    not _whole_numbers_over_decimals(row, table[index + 1:]):
                return index
    return None


def _whole_numbers_over_decimals(row: list[TableCell], below: list[list[TableCell]]) -> bool:
    """A header line of seeds or sizes ("42", "731", "20231" beside "Avg") over columns
    printed with decimals: its numbers are names, not values of the rows below.

    >>> cell = lambda text, col: TableCell(text, 0, col, (0, 0, 0, 0), 0.9,
    ...                                    parse_number(text) if col else None)
    >>> rows = [[cell("A", 0), cell("35.27", 1), cell("34.10", 2)]] * 3
    >>> _whole_numbers_over_decimals([cell("Seed", 0), cell("42", 1), cell("731", 2)], rows)
    True
    >>> _whole_numbers_over_decimals([cell("B", 0), cell("35.1", 1), cell("34", 2)], rows)
    False
    """
    numbers = [c for c in row[1:] if c.parsed is not None]
    if not numbers or any(re.search(r"[.,]", c.text) for c in numbers):
        return False
    for cell in numbers:
        column = [r[cell.col].text for r in below if r[cell.col].parsed is not None]
        decimals = sum(bool(re.search(r"\d\.\d", t)) for t in column)
        if len(column) < 2 or decimals < 0.8 * len(column):
            return False
    return True


def _prose_above(grouped: list[_Row], body_start: int, page: _Page) -> int:
    """How many leading rows are a title or prose above the table rather than its header:
    those set apart from the header by a wide gap (a web page's heading and blurb)."""
    frame = _frame_top(grouped[body_start], page)
    if frame is not None and (body_start == 0 or grouped[body_start - 1].top < frame - 2):
        frame = None  # the rules start under the header (booktabs blocks): no frame
    for index in range(body_start - 1, 0, -1):
        if grouped[index].top - grouped[index - 1].bottom > 1.8 * page.text_height or \
                (frame is not None and grouped[index - 1].bottom < frame):
            return index
    return 0


def _caption_rows_above(table: list[list[TableCell]], prose: int, body_start: int) -> int:
    """``prose`` moved past a caption set close above the table ("Table 1. Performance
    comparison ...", wrapped over the table's width, no wider gap under it): leading rows
    that open with "Table N." / "Figure N:" or run as prose are no header level, as long as
    a header row is left under them."""
    index = prose
    while index < body_start - 1 and _is_prose_row(table[index]) and (
            index > prose or _CAPTION.match(next((c.text for c in table[index] if c.text), ""))):
        index += 1
    return index


def _frame_top(row: _Row, page: _Page) -> int | None:
    """The top of the rules that fence a table's first body row in (two or more vertical
    rules running past it): when the header stands inside them too, lines wholly above them
    (a terminal's prompt, a window title) are outside the table."""
    tops = [y0 for _, y0, y1 in page.vlines if y0 <= row.top and y1 >= row.bottom]
    return int(np.median(tops)) if len(tops) >= 2 else None


def _is_numeric_header(table: list[list[TableCell]], first: int, grouped: list[_Row],
                       page: _Page) -> bool:
    """A header of sizes ("256 1K 4K … 4M" over columns of timings) looks like a row of
    numbers. It is the header when every entry is a whole number, every column under it is
    printed with decimals, and a rule runs under it across the table."""
    if first + 2 >= len(table):
        return False
    row = table[first]
    filled = [c for c in row[1:] if c.text]
    if len(filled) < 2 or not all(c.parsed is not None and "." not in c.text
                                  and "," not in c.text for c in filled):
        return False
    below = table[first + 1:]
    for cell in filled:
        column = [r[cell.col].text for r in below if r[cell.col].text]
        if len(column) < 2 or not all(re.search(r"\d\.\d", t) for t in column):
            return False
    low, high = grouped[first].bottom, grouped[first + 1].top
    left = min(c.page_box[0] for r in table for c in r if c.page_box and c.text)
    right = max(c.page_box[2] for r in table for c in r if c.page_box and c.text)
    return any(low - 3 <= y <= high + 3 and x1 - x0 >= 0.6 * (right - left)
               for y, x0, x1 in page.hlines)


def _numeric_columns(body: list[list[TableCell]]) -> set[int]:
    out = set()
    for col in range(1, len(body[0])):
        filled = [row[col] for row in body if row[col].text]
        if filled and sum(c.is_numeric for c in filled) >= 0.6 * len(filled):
            out.add(col)
    return out


def _mark_underlined(body: list[list[TableCell]], page: _Page) -> None:
    """Underlined (often: second best) = a short rule right under the cell's text, about as
    wide as the text (a full-width rule is a row separator)."""
    for row in body:
        for cell in row:
            box = cell.page_box
            if box is None or not cell.text:
                continue
            width = box[2] - box[0]
            for y, x0, x1 in page.hlines:
                if box[3] - 3 <= y <= box[3] + 0.6 * page.text_height and \
                        min(x1, box[2]) - max(x0, box[0]) >= 0.6 * width and \
                        x1 - x0 <= 1.6 * width + page.text_height:
                    cell.underlined = True
                    break


def _mark_bold(body: list[list[TableCell]], page: _Page, section_rows: list[int]) -> None:
    """Bold = strokes clearly thicker than usual. "Usual" is the median over all numeric cells
    (one column may be bold nearly throughout: a model best on most rows), or over the
    column itself for text columns (letters and digits differ in stroke)."""
    widths: dict[tuple[int, int], float] = {}
    for r, row in enumerate(body):
        for cell in row:
            box = cell.page_box
            if box is not None and r not in section_rows:
                width = _stroke_width(page.gray, box)
                if width > 0:
                    widths[(r, cell.col)] = width
    if len(widths) < 3:
        return
    groups: dict[object, list[float]] = {}
    for (r, col), width in widths.items():
        groups.setdefault("numbers" if body[r][col].is_numeric else col, []).append(width)
    overall = float(np.median(list(widths.values())))
    for (r, col), width in widths.items():
        group = groups["numbers" if body[r][col].is_numeric else col]
        usual = float(np.median(group)) if len(group) >= 3 else overall
        body[r][col].bold = width > usual * 1.15  # bold strokes: 1.25-1.4x regular ones


def _spread_parts(text: str) -> tuple[str, str] | None:
    value, sign, spread = text.partition("±")
    return (value.strip(), spread.strip()) if sign else None


def _table_spread_shape(body: list[list[TableCell]], numeric_cols: set[int]):
    """(value decimals, spread decimals) most "a ± b" cells of the table print, and whether
    their spreads are under ten; ``None`` where fewer than four cells print a spread."""
    parts = [_spread_parts(row[c].text) for row in body for c in numeric_cols]
    parts = [p for p in parts if p and re.fullmatch(r"\d*\.?\d+", p[0] + p[1].replace(".", ""))]
    if len(parts) < 4:
        return None
    shapes = [(_decimals(v), _decimals(s)) for v, s in parts]
    small = sum(1 for _, s in parts if re.fullmatch(r"\d(?:\.\d+)?", s)) >= 0.5 * len(parts)
    return max(set(shapes), key=shapes.count), small


def _plus_minus_read_as_four(body: list[list[TableCell]], numeric_cols: set[int]) -> bool:
    """A small light "±s" set tight after the mean at low resolution is read as a '4' (or
    '+', '4-') glued between two numbers ("84.740.5" for "84.7±0.5"), or the drawn "±"
    keeps a '4' in front of the spread ("85.2 ± 40.3"). In a table whose cells print
    "a ± b", a cell that is the table's value shape, a 4, and the spread shape is split
    there; a spread of ten or more starting with '4' among spreads under ten loses the
    '4'. Either way the reading is a guess: it is kept at low confidence. True: a cell was
    split."""
    # columns where most cells were so misread are not numeric yet: every value column counts
    value_cols = set(range(1, max((len(row) for row in body), default=0))) | numeric_cols
    shape = _table_spread_shape(body, value_cols)
    if shape is None:
        return False
    (value_dp, spread_dp), small = shape
    if value_dp == 0 or spread_dp == 0:
        return False
    split = False
    glued = re.compile(rf"(\d+\.\d{{{value_dp}}})[4+]-?(\d+\.\d{{{spread_dp}}})")
    for row in body:
        for col in value_cols & set(range(len(row))):
            cell = row[col]
            text = cell.text.strip()
            match = glued.fullmatch(text)
            parts = _spread_parts(text)
            if match:
                value, spread = match.group(1), match.group(2)
            elif parts and small and re.fullmatch(rf"4\d\.\d{{{spread_dp}}}", parts[1]):
                value, spread = parts[0], parts[1][1:]
            else:
                continue
            cell.text, cell.confidence = f"{value} ± {spread}", min(cell.confidence, 0.5)
            _parse_into(cell)
            split = True
    return split


def _first_row_read_as_four(table: list[list[TableCell]], body_start: int,
                            numeric_cols: set[int]) -> int:
    """The first body row, where every "a±b" cell was glued ("84.740.5"), read as no row of
    numbers and so as the header's last line: once its cells are split like the body's
    (:func:`_plus_minus_read_as_four`) and it is mostly numbers, the body starts there."""
    if body_start < 1 or _numeric_share(table[body_start - 1]) >= 0.6:
        return body_start
    above = table[body_start - 1]
    if not _plus_minus_read_as_four([above] + table[body_start:], numeric_cols):
        return body_start
    return body_start - 1 if _numeric_share(above) >= 0.6 else body_start


def _lost_spreads_doubtful(header_rows: list[list[TableCell]], body: list[list[TableCell]],
                           numeric_cols: set[int]):
    """Where a column prints "a ± b" in most of its cells, a cell read as a bare value has
    lost its spread (to the next column, or to a misread): the value may be right but the
    cell is not, so it is not kept sure. A column of bare spreads ("+0.3", "41.3") beside
    such a column, each one the left cell's spread or beside a bare value, is that spread
    split off, not a column of its own (:func:`_fold_spread_column`)."""
    for col in sorted(numeric_cols, reverse=True):
        cells = [row[col] for row in body if row[col].text]
        spread = [c for c in cells if c.parsed is not None and c.parsed.plus_minus is not None]
        if len(spread) < max(3, 0.5 * len(cells)):
            continue
        for cell in cells:
            if cell.parsed is None or cell.parsed.plus_minus is None:
                cell.confidence = min(cell.confidence, 0.5)
        if col + 1 in numeric_cols:
            _fold_spread_column(header_rows, body, col)
    for row in header_rows + body:
        for index, cell in enumerate(row):
            cell.col = index
    return header_rows, body


def _split_off(left: TableCell, right: TableCell) -> str | None:
    """``right``'s text as ``left``'s lost spread ("+0.3", "41.3": the "±" read as a plus or a
    4), or ``None`` where it is no spread of ``left``'s."""
    text = right.text.strip().lstrip("+4±")
    if not re.fullmatch(r"\d\.\d+", text):
        return None
    parts = _spread_parts(left.text)
    if left.parsed is None or left.parsed.plus_minus is None or (parts and parts[1] == text):
        return text
    return None


def _fold_spread_column(header_rows: list[list[TableCell]], body: list[list[TableCell]],
                        col: int) -> None:
    """Every cell of column ``col + 1`` is the spread of the cell on its left, and its header
    is blank or ``col``'s: the spreads go back to their values (at low confidence) and the
    column goes."""
    pairs = [(row[col], row[col + 1]) for row in body if col + 1 < len(row) and row[col + 1].text]
    if len(pairs) < 3 or any(_split_off(a, b) is None for a, b in pairs):
        return
    if any(row[col + 1].text not in ("", row[col].text) for row in header_rows):
        return
    for left, right in pairs:
        spread = _split_off(left, right)
        if left.parsed is not None and left.parsed.plus_minus is None:
            left.text = f"{left.text.strip()} ± {spread}"
            _parse_into(left)
        left.confidence = min(left.confidence, right.confidence, 0.5)
    for row in header_rows + body:
        for cell in row:
            if cell.col <= col < col + 1 < cell.col + cell.colspan:
                cell.colspan -= 1  # a header drawn over the value and its spread
        del row[col + 1]
