"""Read a bar chart (vertical or horizontal, single or grouped) into label/value pairs.

Bars are found as filled rectangles of one colour standing on a common baseline. A value is
taken from the number printed at the bar's end when there is one (``value_label``), otherwise
from the bar's end mapped through the axis tick labels (``axis_fit``: a linear fit over the
ticks, outliers dropped). Grouped bars are told apart by colour and named from the legend.

Example:
    >>> from modelbench.vision import read_chart
    >>> chart = read_chart("chart.png")                          # doctest: +SKIP
    >>> [(b.label, b.series, b.value) for b in chart.bars][:1]  # doctest: +SKIP
    [('MMLU', 'Model-A', 75.9)]
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from ..errors import ExtractionError
from ..numbers import parse_number, to_float
from .loader import LoadedImage, clutter, load_image
from .ocr import OcrEngine, OcrWord, get_engine, vote_line
from .results import ImageValue

__all__ = ["AxisFit", "ChartResult", "read_chart"]

_MAX_SIDE = 2000  # larger images are shrunk first: bars and labels survive, OCR time halves
_NUMERIC_WHITELIST = "0123456789.,%-+"


@dataclass
class AxisFit:
    """``value = slope * pixel + intercept`` along the value axis, from ``ticks`` (pixel, value);
    on a ``log`` axis the line gives the value's base-10 logarithm."""

    slope: float
    intercept: float
    ticks: list[tuple[float, float]]
    dropped: list[tuple[float, float]]
    log: bool = False

    def value(self, pixel: float) -> float:
        line = self.slope * pixel + self.intercept
        return float(10 ** line) if self.log else line

    @property
    def range(self) -> float:
        values = [v for _, v in self.ticks]
        return max(values) - min(values)

    def _line(self, value: float) -> float:
        return float(np.log10(max(value, 1e-300))) if self.log else value

    def share(self, a: float, b: float) -> float:
        """How far apart two values lie, as a share of the ticks' range (in decades on a
        log axis).

        >>> AxisFit(-0.1, 80.0, [(100.0, 70.0), (700.0, 10.0)], []).share(40.0, 37.0)
        0.05
        """
        span = abs(self._line(max(v for _, v in self.ticks)) -
                   self._line(min(v for _, v in self.ticks))) or 1.0
        return abs(self._line(a) - self._line(b)) / span


@dataclass
class ChartResult:
    """A chart read from an image: ``bars`` in reading order (left→right or top→bottom)."""

    orientation: str
    layout: str
    bars: list[ImageValue]
    series: list[str]
    axis: AxisFit | None
    source: str
    engine: str
    seconds: float
    notes: list[str] = field(default_factory=list)

    def values(self) -> list[ImageValue]:
        return self.bars

    def pairs(self) -> list[dict]:
        """``[{"label", "series"?, "value"}]`` as in the issue's example."""
        out = []
        for bar in self.bars:
            item = {"label": bar.label, "value": bar.value}
            if bar.series:
                item["series"] = bar.series
            out.append(item)
        return out


@dataclass
class _Bar:
    x0: int
    y0: int
    x1: int
    y1: int
    color: tuple[int, int, int]
    cluster: int = -1
    #: px of outline between the measured end (the outline's middle) and the fill's edge:
    #: what is printed inside the bar is read from the fill, clear of the outline
    inset: int = 0
    #: a vertical bar hanging from the baseline (a negative value): its end is its bottom
    hangs: bool = False
    #: a bar a few pixels tall found in a slot (``_with_short_bars``): its end is doubtful
    short: bool = False

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


# ----------------------------------------------------------------------------- pixels


def _background(rgb: np.ndarray) -> np.ndarray:
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]).astype(np.int32)
    keys = (border // 8) * np.array([1024, 32, 1])
    values, counts = np.unique(keys.sum(axis=1), return_counts=True)
    top = values[np.argmax(counts)]
    return border[keys.sum(axis=1) == top].mean(axis=0)


def _color_clusters(pixels: np.ndarray, min_count: int) -> list[np.ndarray]:
    """Main colours among ``pixels`` (N×3): frequent quantised bins, close bins merged."""
    keys = (pixels // 16).astype(np.int32)
    flat = keys[:, 0] * 256 + keys[:, 1] * 16 + keys[:, 2]
    values, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    sums = np.stack([np.bincount(inverse, weights=pixels[:, channel], minlength=len(values))
                     for channel in range(3)], axis=1)
    centres: list[np.ndarray] = []
    weights: list[int] = []
    for index in np.argsort(-counts):
        if counts[index] < min_count:
            break
        mean = sums[index] / counts[index]
        for k, centre in enumerate(centres):
            if np.abs(centre - mean).max() < 14:
                total = weights[k] + counts[index]
                centres[k] = (centre * weights[k] + mean * counts[index]) / total
                weights[k] = total
                break
        else:
            centres.append(mean)
            weights.append(int(counts[index]))
        if len(centres) >= 16:
            break
    return centres


def _distance(rgb: np.ndarray, colour) -> np.ndarray:
    """Per-pixel largest channel difference from ``colour`` (uint8; OpenCV, not float)."""
    reference = np.empty_like(rgb)
    reference[:] = np.clip(np.round(colour), 0, 255).astype(np.uint8)
    red, green, blue = cv2.split(cv2.absdiff(rgb, reference))
    return cv2.max(cv2.max(red, green), blue)


# Bars differ from the background by more than this (largest channel): the palest grey of
# a shaded series (RGB 227 on white) still counts, a seaborn/ggplot panel (234/235) does not.
_BAR_CONTRAST = 24


def _find_rects(rgb: np.ndarray, background: np.ndarray) -> list[_Bar]:
    height, width = rgb.shape[:2]
    signal = _distance(rgb, background) > _BAR_CONTRAST
    kernel = max(5, min(height, width) // 120)
    opened = cv2.morphologyEx(signal.astype(np.uint8), cv2.MORPH_OPEN,
                              np.ones((kernel, kernel), np.uint8)) > 0
    if opened.sum() < kernel * kernel * 2:
        return []
    pixels = rgb[opened].astype(np.float64)
    step = max(1, len(pixels) // 200_000)
    centres = _color_clusters(pixels[::step], max(20, kernel * kernel // step))
    if not centres:
        return []
    stack = np.stack([_distance(rgb, c) for c in centres])
    nearest = stack.argmin(axis=0)
    close = stack.min(axis=0) < 40
    rects: list[_Bar] = []
    for index, centre in enumerate(centres):
        mask = ((nearest == index) & close & signal).astype(np.uint8)
        # Close hatching and anti-aliased seams, then open away text, ticks and grid lines.
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((kernel, kernel), np.uint8))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
        for index, (x, y, w, h, area) in enumerate(stats[1:], start=1):
            if w >= kernel and h >= kernel and area < 0.85 * w * h:
                # a bar joined at its side by pixels of its colour beside it (the grey
                # anti-aliasing of a neighbour's black hatching): keep its solid core
                x, y, w, h, area = _solid_core(labels[y:y + h, x:x + w] == index, x, y)
            if w < kernel or h < kernel or area < 0.85 * w * h:
                continue
            if w > 0.95 * width or h > 0.95 * height:
                continue  # a panel background, not a bar
            rects.append(_Bar(int(x), int(y), int(x + w), int(y + h),
                              tuple(int(v) for v in centre)))
    return rects


def _longest_run(flags: np.ndarray) -> tuple[int, int]:
    """(start, end) of the longest run of ``True`` in ``flags`` ((0, 0) where none)."""
    best, start = (0, 0), None
    for i, flag in enumerate(list(flags) + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def _solid_core(component: np.ndarray, x: int, y: int) -> tuple[int, int, int, int, int]:
    """The widest band of nearly full columns of a component, then its tallest band of
    nearly full rows, as (x, y, w, h, area) in the image.

    >>> blob = np.zeros((10, 12), bool); blob[:, 4:12] = True; blob[6:, :4] = True
    >>> _solid_core(blob, 100, 50)
    (104, 50, 8, 10, 80)
    """
    c0, c1 = _longest_run(component.mean(axis=0) >= 0.9)
    r0, r1 = _longest_run(component[:, c0:c1].mean(axis=1) >= 0.9) if c1 > c0 else (0, 0)
    core = component[r0:r1, c0:c1]
    return x + c0, y + r0, c1 - c0, r1 - r0, int(core.sum())


def _own_line(lines: np.ndarray, own, other, step: int) -> int:
    """Index into ``lines`` (pixel lines across a join, the piece's edge line first) of the
    first one that is not plainly the neighbour's colour ``other`` (within 20 of it, over 40
    from the piece's own): a piece's edge line can be its neighbour's first; two lines in at
    most."""
    index = 0
    while index < min(2, len(lines) - 1):
        mean = lines[index].reshape(-1, 3).mean(axis=0)
        if np.abs(mean - np.array(other)).max() >= 20 or np.abs(mean - np.array(own)).max() <= 40:
            break  # not plainly the neighbour's colour
        index += step
    return index


def _joined_gradients(rects: list[_Bar], rgb: np.ndarray) -> list[_Bar]:
    """Rectangles that continue one another without a seam joined into one bar: a bar
    filled with a colour gradient falls apart into one rectangle per colour cluster (read
    as several short bars, each given a value). Two pieces join where they abut end to end
    (or overlap a little) with the same extent across and the colour on either side of the
    join is nearly the same; two touching bars of one height are two colours with a step
    between them. A piece's edge line nearer its neighbour's colour than its own is the
    neighbour's (``_own_line``): the colour is taken a line further in.

    >>> rgb = np.zeros((20, 40, 3), np.uint8); rgb[5:15, 0:40, 0] = np.arange(40) * 5
    >>> pieces = [_Bar(0, 5, 20, 15, (50, 0, 0)), _Bar(20, 5, 40, 15, (150, 0, 0))]
    >>> [(b.x0, b.x1) for b in _joined_gradients(pieces, rgb)]
    [(0, 40)]
    """
    def seamless(a: _Bar, b: _Bar) -> bool:
        if abs(a.y0 - b.y0) <= 2 and abs(a.y1 - b.y1) <= 2 and \
                -(b.x1 - b.x0) / 2 < b.x0 - a.x1 <= 2 and a.x0 < b.x0:
            rows = slice(max(a.y0, b.y0) + 1, min(a.y1, b.y1) - 1)
            ends = rgb[rows, a.x0:a.x1][:, ::-1].transpose(1, 0, 2)
            starts = rgb[rows, b.x0:b.x1].transpose(1, 0, 2)
            if not ends.size or not starts.size:
                return False
            left = ends[_own_line(ends, a.color, b.color, 1)]
            right = starts[_own_line(starts, b.color, a.color, 1)]
        elif abs(a.x0 - b.x0) <= 2 and abs(a.x1 - b.x1) <= 2 and \
                -(b.y1 - b.y0) / 2 < b.y0 - a.y1 <= 2 and a.y0 < b.y0:
            columns = slice(max(a.x0, b.x0) + 1, min(a.x1, b.x1) - 1)
            ends, starts = rgb[a.y0:a.y1, columns][::-1], rgb[b.y0:b.y1, columns]
            if not ends.size or not starts.size:
                return False
            left = ends[_own_line(ends, a.color, b.color, 1)]
            right = starts[_own_line(starts, b.color, a.color, 1)]
        else:
            return False
        if left.size == 0:
            return False
        return float(np.abs(left.astype(np.int32) - right.astype(np.int32)).mean()) < 20
    def first_pair(pieces: list[_Bar]) -> tuple[_Bar, _Bar] | None:
        # only pieces whose top (or left) edges lie within 2 px can join: sorted, a window
        for edge in (lambda r: r.y0, lambda r: r.x0):
            ordered = sorted(pieces, key=edge)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    if edge(b) - edge(a) > 2:
                        break
                    for one, two in ((a, b), (b, a)):
                        if seamless(one, two):
                            return one, two
        return None

    pieces = list(rects)
    while (pair := first_pair(pieces)) is not None:
        a, b = pair
        pieces = [r for r in pieces if r is not a and r is not b]
        pieces.append(_Bar(min(a.x0, b.x0), min(a.y0, b.y0), max(a.x1, b.x1),
                           max(a.y1, b.y1), a.color))
    return pieces


def _joined_across_lines(rects: list[_Bar], rgb: np.ndarray, background: np.ndarray,
                         kernel: int) -> list[_Bar]:
    """Pieces of one bar cut by a line drawn across it joined again: a reference line (a
    dashed threshold at 1.15x) crossing the bars splits each into the part below it, read
    as a bar of the line's height, and the part above, standing on nothing. Two pieces of
    one colour and one extent across, a few pixels apart (at most an opening), with ink of
    another colour than either the paper or the bar between them, are one bar.

    >>> rgb = np.full((60, 20, 3), 255, np.uint8); rgb[10:50, 5:15] = (40, 100, 230)
    >>> rgb[28:32, :] = (220, 40, 40)                               # the line across
    >>> pieces = [_Bar(5, 10, 15, 28, (40, 100, 230)), _Bar(5, 32, 15, 50, (40, 100, 230))]
    >>> [(b.y0, b.y1) for b in _joined_across_lines(pieces, rgb, np.array([255, 255, 255]), 6)]
    [(10, 50)]
    >>> rgb[28:32, :] = 255                                         # paper between: two bars
    >>> len(_joined_across_lines(pieces, rgb, np.array([255, 255, 255]), 6))
    2
    """
    def crossed(a: _Bar, b: _Bar) -> bool:
        if a.color != b.color:
            return False
        if abs(a.x0 - b.x0) <= 2 and abs(a.x1 - b.x1) <= 2 and 0 < b.y0 - a.y1 <= kernel:
            gap = rgb[a.y1:b.y0, a.x0:a.x1].transpose(1, 0, 2)  # one row per column across
        elif abs(a.y0 - b.y0) <= 2 and abs(a.y1 - b.y1) <= 2 and 0 < b.x0 - a.x1 <= kernel:
            gap = rgb[a.y0:a.y1, a.x1:b.x0]
        else:
            return False
        gap = gap.astype(np.int32)
        line = (np.abs(gap - background).max(axis=2) > 40) & \
            (np.abs(gap - np.array(a.color)).max(axis=2) > 40)
        # a dashed line crosses part of the width; a fifth of it is a line, not a speck
        return bool(line.any(axis=1).mean() >= 0.2)

    pieces = sorted(rects, key=lambda r: (r.x0, r.y0))
    changed = True
    while changed:
        changed = False
        for a, b in itertools.permutations(pieces, 2):
            if crossed(a, b):
                pieces = [r for r in pieces if r is not a and r is not b]
                pieces.append(_Bar(a.x0, a.y0, max(a.x1, b.x1), max(a.y1, b.y1), a.color))
                changed = True
                break
    return pieces


def _shows_through(gap: np.ndarray, colour: np.ndarray, background: np.ndarray) -> bool:
    """Whether most lines of ``gap`` (one line per row or column across a bar) are the bar's
    colour seen through a translucent fill of the paper's colour: every strongly differing
    channel blended by one share (a legend at alpha 0.8 over a green bar: 208,234,222)."""
    strong = np.abs(colour - background) > 30
    if not strong.any() or len(gap) == 0:
        return False
    middle = np.median(gap.astype(np.float64), axis=1)  # each line's middle colour
    alpha = (middle - background)[:, strong] / (colour - background)[strong]
    blended = (alpha.min(axis=1) > 0.05) & (alpha.max(axis=1) < 0.95) & \
        (np.ptp(alpha, axis=1) < 0.15)
    return bool(blended.mean() >= 0.6)


def _bar_like(a: _Bar, b: _Bar) -> bool:
    """Whether one of two pieces is long for its thickness (three times or more): a bar's
    part beyond a legend is; the strokes of a hatched bar (a few pixels each) are not."""
    thickness = max(4, min(max(a.x1 - a.x0, b.x1 - b.x0), max(a.y1 - a.y0, b.y1 - b.y0)))
    longest = max(a.x1 - a.x0, a.y1 - a.y0, b.x1 - b.x0, b.y1 - b.y0)
    return min(a.x1 - a.x0, a.y1 - a.y0) >= 4 and longest >= 3 * thickness


def _joined_under_legends(rects: list[_Bar], rgb: np.ndarray,
                          background: np.ndarray) -> list[_Bar]:
    """Pieces of one bar cut by a translucent legend drawn across its middle joined again:
    the part beyond the legend stood on nothing and the part at the baseline was read as a
    bar a few pixels long. Two pieces of one colour and one extent across, the gap between
    them shorter than the two together, one of them long (``_bar_like``), where the bar's
    colour shows through the gap.

    >>> rgb = np.full((100, 20, 3), 255, np.uint8); rgb[10:90, 5:15] = (54, 170, 108)
    >>> rgb[50:70, :] = (208, 234, 222)                      # the legend over the bar
    >>> pieces = [_Bar(5, 10, 15, 50, (54, 170, 108)), _Bar(5, 70, 15, 90, (54, 170, 108))]
    >>> [(b.y0, b.y1) for b in _joined_under_legends(pieces, rgb, np.array([255, 255, 255]))]
    [(10, 90)]
    >>> rgb[50:70, :] = (90, 90, 200)                        # an opaque box: two pieces
    >>> len(_joined_under_legends(pieces, rgb, np.array([255, 255, 255])))
    2
    """
    paper = background.astype(np.float64)

    def covered(a: _Bar, b: _Bar) -> bool:
        if max(abs(p - q) for p, q in zip(a.color, b.color, strict=True)) > 6:
            return False
        if abs(a.x0 - b.x0) <= 2 and abs(a.x1 - b.x1) <= 2 and \
                0 < b.y0 - a.y1 < (a.y1 - a.y0) + (b.y1 - b.y0):
            inset = max(1, (a.x1 - a.x0) // 5)
            gap = rgb[a.y1:b.y0, a.x0 + inset:a.x1 - inset]
        elif abs(a.y0 - b.y0) <= 2 and abs(a.y1 - b.y1) <= 2 and \
                0 < b.x0 - a.x1 < (a.x1 - a.x0) + (b.x1 - b.x0):
            inset = max(1, (a.y1 - a.y0) // 5)
            gap = rgb[a.y0 + inset:a.y1 - inset, a.x1:b.x0].transpose(1, 0, 2)
        else:
            return False
        return gap.size > 0 and _shows_through(gap, np.array(a.color, np.float64), paper)

    pieces = list(rects)
    changed = True
    while changed:
        changed = False
        for a, b in itertools.permutations(pieces, 2):
            if _bar_like(a, b) and covered(a, b):
                pieces = [r for r in pieces if r is not a and r is not b]
                pieces.append(_Bar(min(a.x0, b.x0), a.y0, max(a.x1, b.x1), max(a.y1, b.y1),
                                   a.color))
                changed = True
                break
    return pieces


def _baseline(rects: list[_Bar], kernel: int = 0) -> tuple[str, int, list[_Bar]]:
    """Orientation, baseline pixel and the bars standing on it -- and, on a vertical
    baseline, those hanging from it (negative values, ``hangs``). Most bars win, then most
    length; with ``kernel`` given, bars thicker than one and a half openings win over any
    number of thinner ones (the stems of a bold title's letters standing on one line).

    >>> bars = [_Bar(10, 20, 40, 100, (9, 9, 9)), _Bar(50, 104, 80, 160, (9, 9, 9))]
    >>> stems = [_Bar(100 + 9 * k, 5, 105 + 9 * k, 27, (9, 9, 9)) for k in range(5)]
    >>> orientation, base, found = _baseline(bars + stems, 5)
    >>> base, [(b.y0, b.y1, b.hangs) for b in found]
    (100, [(20, 100, False), (104, 160, True)])
    """
    best = ("vertical", 0, [])
    best_key = (False, 0, 0)
    for orientation in ("vertical", "horizontal"):
        ends = [r.y1 if orientation == "vertical" else r.x0 for r in rects]
        for end in set(ends):
            members = [r for r, e in zip(rects, ends, strict=True) if abs(e - end) <= 3]
            if orientation == "vertical":
                members = [r for r in members if r.y1 - r.y0 >= 2]
                members += _hanging(rects, members, end, kernel)
            if not members:
                continue
            thick = bool(kernel) and float(np.median(
                [(r.x1 - r.x0) if orientation == "vertical" else (r.y1 - r.y0)
                 for r in members])) >= 1.5 * kernel
            key = (thick, len(members), _length(members, orientation))
            if key > best_key:
                standing = [e for e in ends if abs(e - end) <= 3]
                best, best_key = (orientation, int(np.median(standing)), members), key
    orientation, base, members = best
    if members:
        # outlines of neighbouring bars merge into thin strips on the same baseline
        thickness = [(r.x1 - r.x0) if orientation == "vertical" else (r.y1 - r.y0)
                     for r in members]
        usual = float(np.median(thickness))
        members = [r for r, t in zip(members, thickness, strict=True) if t >= 0.35 * usual]
    if orientation == "vertical" and kernel:
        members = _joined_textures(members, kernel)
    members.sort(key=lambda r: r.cx if orientation == "vertical" else r.cy)
    return orientation, base, _without_seams(members, orientation)


def _joined_textures(bars: list[_Bar], kernel: int) -> list[_Bar]:
    """Vertical bars that stand in one slot (x spans overlapping by half the narrower), of one
    hue and with their tops within an opening, joined into one: a bar filled with a picture
    texture (Excel's "papyrus", "water droplets") falls apart into one rectangle per shade,
    each read as a bar of its own and given a value. Bars of two series never share a slot
    on one baseline; an overlaid bar in front of another stops lower (its top differs).

    >>> blue, pale = (70, 102, 153), (150, 182, 232)
    >>> bars = [_Bar(586, 561, 618, 575, blue), _Bar(587, 562, 619, 574, pale),
    ...         _Bar(640, 500, 670, 575, blue)]
    >>> [(b.x0, b.y0, b.x1, b.y1) for b in _joined_textures(bars, 5)]
    [(586, 561, 619, 575), (640, 500, 670, 575)]
    """
    out: list[_Bar] = []
    for bar in sorted(bars, key=lambda b: b.x0):
        last = out[-1] if out else None
        if last is not None and not last.hangs and not bar.hangs and \
                min(last.x1, bar.x1) - max(last.x0, bar.x0) >= \
                0.5 * min(last.x1 - last.x0, bar.x1 - bar.x0) and \
                abs(last.y0 - bar.y0) <= kernel and _shades_of_one_hue(last.color, bar.color):
            wider = last if last.x1 - last.x0 >= bar.x1 - bar.x0 else bar
            out[-1] = dataclasses.replace(wider, x0=min(last.x0, bar.x0), y0=min(last.y0, bar.y0),
                                          x1=max(last.x1, bar.x1), y1=max(last.y1, bar.y1))
        else:
            out.append(bar)
    return out


def _shades_of_one_hue(first, second) -> bool:
    """Two clearly coloured (not grey) colours within 20 degrees of hue of each other."""
    hsv = cv2.cvtColor(np.array([[first, second]], np.uint8), cv2.COLOR_RGB2HSV)[0]
    turn = abs(int(hsv[0, 0]) - int(hsv[1, 0])) * 2
    return min(turn, 360 - turn) <= 20 and min(int(hsv[0, 1]), int(hsv[1, 1])) >= 40


def _hanging(rects: list[_Bar], standing: list[_Bar], base: int, kernel: int) -> list[_Bar]:
    """Bars hanging from a vertical baseline that bars stand on: their top within two
    openings below it (the outlines and the axis line between), beside the standing bars,
    not under them (a stacked bar's lower segment is no negative value). Copies marked
    ``hangs``; none without ``kernel``."""
    if not kernel or not standing:
        return []
    out = []
    for r in rects:
        if not 0 <= r.y0 - base <= 2 * kernel or r.y1 - r.y0 < 2 or r in standing:
            continue
        if any(min(r.x1, s.x1) > max(r.x0, s.x0) for s in standing):
            continue
        out.append(dataclasses.replace(r, hangs=True))
    return out


def _without_seams(bars: list[_Bar], orientation: str) -> list[_Bar]:
    """Bars less the thin strips wedged between two neighbours (the outlines of two
    touching bars closed into one strip, read as a bar of its own).

    >>> bars = [_Bar(0, 10, 11, 50, (9, 9, 9)), _Bar(13, 12, 19, 53, (0, 0, 0)),
    ...         _Bar(21, 14, 32, 50, (9, 9, 9))]
    >>> [b.x0 for b in _without_seams(bars, "vertical")]
    [0, 21]
    """
    if len(bars) < 3:
        return bars
    def span(bar):
        return (bar.x0, bar.x1) if orientation == "vertical" else (bar.y0, bar.y1)
    usual = float(np.median([span(b)[1] - span(b)[0] for b in bars]))
    out = [bars[0]]
    for before, bar, after in zip(bars, bars[1:], bars[2:], strict=False):
        start, end = span(bar)
        wedged = start - span(before)[1] <= 3 and span(after)[0] - end <= 3
        if not (wedged and end - start < 0.7 * usual):
            out.append(bar)
    return out + [bars[-1]]


def _end(bar: _Bar, orientation: str) -> int:
    """The pixel of the bar's end that its value is read at: the top of a vertical bar (its
    bottom where it hangs below the baseline), the right end of a horizontal one.

    >>> _end(_Bar(0, 20, 9, 90, (0, 0, 0)), "vertical"), _end(_Bar(0, 95, 9, 140, (0, 0, 0),
    ...                                                      hangs=True), "vertical")
    (20, 140)
    """
    if orientation == "vertical":
        return bar.y1 if bar.hangs else bar.y0
    return bar.x1


def _length(bars: list[_Bar], orientation: str) -> int:
    return sum((b.y1 - b.y0) if orientation == "vertical" else (b.x1 - b.x0) for b in bars)


# ----------------------------------------------------------------------------- text


def _ocr_gray(rgb: np.ndarray, dark: bool) -> np.ndarray:
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return 255 - gray if dark else gray


def _paper(gray: np.ndarray, bars: list[_Bar]) -> int:
    """The page's grey level: the median outside the bars (wide touching bars can cover
    more than half the image, and their fill is no paper).

    >>> page = np.full((10, 10), 250, np.uint8)
    >>> page[:, :7] = 120  # one bar over most of it
    >>> _paper(page, [_Bar(0, 0, 7, 10, (0, 0, 255))])
    250
    """
    outside = np.ones(gray.shape, bool)
    for bar in bars:
        outside[bar.y0:bar.y1, bar.x0:bar.x1] = False
    return int(np.median(gray[outside] if outside.any() else gray))


def _page_words(gray: np.ndarray, bars: list[_Bar],
                engine: OcrEngine) -> tuple[list[OcrWord], float, np.ndarray]:
    """OCR with the bars painted out (hatching reads as letters), enlarged when text is small."""
    clean = gray.copy()
    paper = _paper(gray, bars)
    for bar in bars:
        clean[bar.y0:bar.y1, bar.x0:bar.x1] = paper
    _erase_spines(clean, bars, paper)
    words = [w for w in engine.words(clean) if w.confidence > 0.2 and w.text.strip()]
    sure = [w.height for w in words if w.confidence > 0.6] or [12]
    text_height = float(np.median(sure))
    if text_height < 16:
        factor = min(3.0, 22 / text_height)
        big = cv2.resize(clean, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        words = [OcrWord(w.text, w.confidence, tuple(int(round(v / factor)) for v in w.box))
                 for w in engine.words(big) if w.confidence > 0.2 and w.text.strip()]
        sure = [w.height for w in words if w.confidence > 0.6] or [12]
        text_height = float(np.median(sure))
    return words, text_height, clean


def _rescue_ticks(clean: np.ndarray, words: list[OcrWord], bars: list[_Bar], orientation: str,
                  text_height: float, engine: OcrEngine) -> list[OcrWord]:
    """Sparse-text OCR drops lone digits ("0", "2"): read each ink blob beside the value
    axis on its own."""
    paper = int(np.median(clean))
    ink = (np.abs(clean.astype(np.int32) - paper) > 80).astype(np.uint8)
    if orientation == "vertical":
        region = (0, 0, max(0, min(b.x0 for b in bars) - 2), clean.shape[0])
    else:
        region = (0, max(b.y1 for b in bars) + 2, clean.shape[1], clean.shape[0])
    x0, y0, x1, y1 = region
    area = ink[y0:y1, x0:x1]
    if area.size == 0:
        return []
    joined = cv2.dilate(area, np.ones((1, max(3, int(text_height * 0.5))), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    found = []
    for bx, by, bw, bh, _ in stats[1:]:
        if not 0.5 * text_height <= bh <= 1.6 * text_height or bw > 6 * text_height:
            continue
        box = (x0 + bx, y0 + by, x0 + bx + bw, y0 + by + bh)
        if any(_covers(w.box, box) and _number(w) is not None for w in words):
            continue  # the page reading has this one (a scrap of letters over it is no
            # reading of it: "oF" spanning the "0" and the tick mark beside it)
        pad = max(4, int(text_height * 0.4))
        crop = clean[max(0, box[1] - pad):box[3] + pad, max(0, box[0] - pad):box[2] + pad]
        # faint grey ticks (dark themes) lose to Otsu on the whole page: stretch locally
        crop = cv2.normalize(crop, None, 0, 255, cv2.NORM_MINMAX)
        crop = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        crop = cv2.copyMakeBorder(crop, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)
        word = engine.line(crop, whitelist=_NUMERIC_WHITELIST)
        if word is not None and word.confidence >= 0.5 and to_float(word.text) is not None:
            found.append(OcrWord(word.text, word.confidence, tuple(int(v) for v in box)))
    return found


def _covers(word_box, blob) -> bool:
    """The word's box spans most of the blob's width."""
    overlap = min(word_box[2], blob[2]) - max(word_box[0], blob[0])
    return overlap >= 0.7 * (blob[2] - blob[0]) and \
        min(word_box[3], blob[3]) > max(word_box[1], blob[1])


def _split_touching_numbers(words: list[OcrWord]) -> list[OcrWord]:
    """Two value labels printed edge to edge read as one word ("73.372.6"): split it, giving
    each number the decimals the other labels use."""
    decimals = [len(w.text.split(".")[1]) for w in words
                if re.fullmatch(r"\d+\.\d+", w.text)]
    if not decimals:
        return words
    places = max(set(decimals), key=decimals.count)
    pattern = re.compile(rf"(\d{{1,4}}\.\d{{{places}}})(\d{{1,4}}\.\d{{{places}}})")
    out = []
    for word in words:
        match = pattern.fullmatch(word.text)
        if not match:
            out.append(word)
            continue
        x0, y0, x1, y1 = word.box
        cut = x0 + round((x1 - x0) * len(match.group(1)) / len(word.text))
        out.append(OcrWord(match.group(1), word.confidence * 0.9, (x0, y0, cut, y1)))
        out.append(OcrWord(match.group(2), word.confidence * 0.9, (cut, y0, x1, y1)))
    return out


def _as_power(word: OcrWord, clean: np.ndarray) -> OcrWord:
    """A tick label printed as a power of ten with its exponent raised ("10" and a small
    "3" above the line, read "103") as ``1e3``; any other word unchanged. The exponent's
    ink must end above the middle of the "10" beside it, and be smaller than it.

    >>> clean = np.full((30, 40), 255, np.uint8)
    >>> clean[8:24, 4:7] = clean[8:24, 12:15] = clean[8:24, 20:23] = 0   # "1", "0"'s sides
    >>> clean[8:10, 12:23] = clean[22:24, 12:23] = 0
    >>> clean[2:11, 27:33] = 0                                       # the raised "3"
    >>> _as_power(OcrWord("103", 0.9, (3, 2, 34, 24)), clean).text
    '1e3'
    >>> clean[2:11, 27:33] = 255; clean[12:24, 27:33] = 0            # "103" on the line
    >>> _as_power(OcrWord("103", 0.9, (3, 2, 34, 24)), clean).text
    '103'
    """
    match = re.fullmatch(r"10(-?\d{1,2})", word.text.strip())
    if match is None:
        return word
    x0, y0, x1, y1 = word.box
    pad = 3
    crop = clean[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
    if crop.size == 0:
        return word
    paper = int(np.median(clean))
    ink = (np.abs(crop.astype(np.int32) - paper) > 80).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    glyphs = sorted((tuple(int(v) for v in st[:4]) for st in stats[1:] if st[4] >= 4),
                    key=lambda g: g[0])
    if len(glyphs) < 3:
        return word
    bottom = max(g[1] + g[3] for g in glyphs)
    base = [g for g in glyphs if g[1] + g[3] >= bottom - 2]
    if len(base) < 2:
        return word
    top, height = min(g[1] for g in base), max(g[3] for g in base)
    right = max(g[0] + g[2] for g in base)
    raised = [g for g in glyphs if g[0] >= right - 1]
    if not raised or any(g[1] + g[3] > top + 0.6 * height or g[3] > 0.8 * height
                         for g in raised):
        return word
    return OcrWord(f"1e{match.group(1)}", word.confidence, word.box)


def _overlaps(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _erase_spines(gray: np.ndarray, bars: list[_Bar], paper: int) -> None:
    """Paint out axis lines and the tick marks beside them: OCR glues a tick to its label
    ("80-" read as "804")."""
    ink = (np.abs(gray.astype(np.int32) - paper) > 80).astype(np.uint8)
    height, width = gray.shape
    span_y = max(b.y1 for b in bars) - min(b.y0 for b in bars)
    span_x = max(b.x1 for b in bars) - min(b.x0 for b in bars)
    reach = max(6, min(height, width) // 80)
    # an axis line is one unbroken run (a column of tick labels is not)
    tall = max(int(0.6 * span_y), 3 * reach)
    wide = max(int(0.6 * span_x), 3 * reach)
    columns = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((tall, 1), np.uint8)).any(axis=0)
    first, last = min(b.x0 for b in bars), max(b.x1 for b in bars)
    for x in np.flatnonzero(columns):
        if x < first:  # tick marks point out of the plot or into it (up to its first bar)
            gray[:, x:min(x + 3 * reach + 1, first)] = paper
            _erase_ticks_left_of(gray, ink, x, reach, paper)
        elif x >= last:
            gray[:, max(last, x - 3 * reach):x + reach + 1] = paper
        elif not any(b.x0 <= x < b.x1 for b in bars):
            gray[:, max(0, x - reach):x + 2] = paper
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, wide), np.uint8))
    # across the plot and along the line itself (the baseline's stub between the spine and
    # the first bar reads as a dash, taken for the first category's label), but not through
    # the value axis's labels beside the plot (the "0" on the baseline)
    left, right = max(0, first - reach), last + reach
    for y in np.flatnonzero(lines.any(axis=1)):
        if not any(b.y0 <= y < b.y1 for b in bars):
            drawn = np.flatnonzero(lines[y])
            gray[max(0, y - 1):y + reach, min(left, int(drawn[0])):
                 max(right, int(drawn[-1]) + 1)] = paper


def _erase_ticks_left_of(gray: np.ndarray, ink: np.ndarray, x: int, reach: int,
                         paper: int) -> None:
    """Paint out, row by row, the ink run that touches the spine at column ``x`` from the left
    (an outward tick mark), up to ``reach`` px: not a band of ``reach`` columns, which cut the
    right side off tick labels set close to a thick spine (serif "100" read "10C").

    >>> gray = np.full((3, 12), 255, np.uint8); gray[:, 9] = 0  # the spine
    >>> gray[1, 6:9] = 0; gray[0, 4] = 0  # a tick mark; a label's edge 4 px off the spine
    >>> ink = (gray < 128).astype(np.uint8); _erase_ticks_left_of(gray, ink, 9, 6, 255)
    >>> bool((gray[1, 6:9] == 255).all()), int(gray[0, 4])
    (True, 0)
    """
    for y in range(gray.shape[0]):
        start = x
        while start > max(0, x - reach) and ink[y, start - 1]:
            start -= 1
        gray[y, start:x] = paper


def _number(word: OcrWord) -> float | None:
    text = word.text.strip().strip(",")
    return to_float(text) if any(ch.isdigit() for ch in text) else None


def _fit_axis(candidates: list[tuple[float, float, OcrWord]]) -> AxisFit | None:
    """Robust line through (pixel, value) tick pairs: best pair by inliers, then least squares;
    on a log scale where the ticks' logarithms line up with more of them (2, 5, 10, 20, 40).

    >>> word = OcrWord("1", 0.9, (0, 0, 10, 12))
    >>> ticks = [(706.0, 2.0), (612.0, 5.0), (540.0, 10.0), (469.0, 20.0), (398.0, 40.0)]
    >>> fit = _fit_axis([(p, v, word) for p, v in ticks])
    >>> fit.log, round(fit.value(587.0), 2)
    (True, 6.36)
    """
    if len(candidates) < 2:
        return None
    powers = _power_ticks(candidates)
    if powers is not None:
        return powers or None
    points: list[tuple[float, float]] = []
    for pixel, value, word in sorted(candidates, key=lambda c: c[0]):
        # one tick per place: pieces of one label (or a label read twice) are not two ticks
        if points and pixel - points[-1][0] < max(6.0, 0.8 * word.height):
            continue
        points.append((pixel, value))
    best = _inliers(points)
    logged = [(p, float(np.log10(v))) for p, v in points if v > 0]
    log_best = _inliers(logged) if len(logged) >= 4 else []
    log = len(log_best) >= 4 and len(log_best) > len(best)
    if log:
        best = log_best
    if len(best) < 2 or len({v for _, v in best}) < 2:
        return None
    if len(best) < 3 and len(points) > 2:
        return None  # most "ticks" disagree: these numbers are not an axis
    rounded = _rounded_ticks(points)
    if rounded is not None:  # every tick kept: the rounded ones are no outliers
        return AxisFit(*rounded, points, [])
    slope, intercept = np.polyfit([p for p, _ in best], [v for _, v in best], 1)
    if log:
        best = [(p, float(10 ** v)) for p, v in best]
    dropped = [pv for pv in points if not any(pv[0] == p for p, _ in best)]
    return AxisFit(float(slope), float(intercept), best, dropped, log=log)


def _rounded_ticks(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """(slope, intercept) through the end ticks where the ticks stand at equal spacing but
    their printed values do not step evenly, each off the even steps by less than its last
    printed digit (16, 19, 23, 27 printed for 16, 19.67, 23.33, 27): a line through the
    printed values would tilt, or drop a tick; ``None`` where the ticks are not so.

    >>> slope, intercept = _rounded_ticks([(1055.5, 16.0), (810.5, 19.0), (565.5, 23.0),
    ...                                    (320.5, 27.0)])
    >>> round(slope * 810.5 + intercept, 2), round(slope * 565.5 + intercept, 2)
    (19.67, 23.33)
    >>> _rounded_ticks([(600.0, 0.0), (400.0, 20.0), (200.0, 40.0)]) is None  # even steps
    True
    >>> _rounded_ticks([(600.0, 0.0), (400.0, 10.0), (200.0, 40.0)]) is None  # log-like
    True
    """
    if len(points) < 3:
        return None
    ordered = sorted(points)
    pixels = np.array([p for p, _ in ordered])
    values = np.array([v for _, v in ordered])
    gaps = np.diff(pixels)
    if gaps.min() <= 0 or gaps.max() - gaps.min() > max(2.0, 0.02 * abs(gaps.mean())):
        return None  # not equally spaced on the page
    steps = np.diff(values)
    if np.abs(steps - steps.mean()).max() <= 1e-9 * max(1.0, np.abs(values).max()):
        return None  # even steps: the ordinary fit is exact
    even = np.linspace(values[0], values[-1], len(values))
    unit = 10.0 ** -max(_decimals(v) for v in values)  # rounded or cut off: under one unit
    if np.abs(values - even).max() >= unit - 1e-9 or len(set(values)) < len(values):
        return None
    slope = (values[-1] - values[0]) / (pixels[-1] - pixels[0])
    return float(slope), float(values[0] - slope * pixels[0])


def _decimals(value: float) -> int:
    """How many decimals ``value`` prints with (up to six).

    >>> _decimals(27.0), _decimals(0.25), _decimals(1.5)
    (0, 2, 1)
    """
    return next(k for k in range(7) if k == 6 or abs(round(value, k) - value) < 1e-9)


def _power_ticks(candidates: list[tuple[float, float, OcrWord]]) -> AxisFit | None | bool:
    """A log axis from ticks printed as powers of ten with raised exponents (``_as_power``:
    "1e2", "1e3"): two such ticks are enough, where a linear reading of "102", "103" put
    every bar far off. The longest run of them (in pixel order) whose exponents step by one,
    evenly spaced, holding all of them but one misread ("10^-1" read "1071"); ``False``
    where there are powers of ten and no such run (no axis to fit, linear least of all),
    ``None`` where the candidates are no powers of ten.

    >>> word = OcrWord("1e3", 0.9, (0, 0, 10, 12))
    >>> fit = _power_ticks([(146.0, 1000.0, word), (479.0, 100.0, word)])
    >>> fit.log, round(fit.value(312.5))
    (True, 316)
    >>> ticks = [(384.5, 1e-4), (608.5, 1e-3), (832.0, 1e-2), (1056.5, 1e71)]
    >>> fit = _power_ticks([(p, v, word) for p, v in ticks])
    >>> [v for _, v in fit.ticks], fit.dropped
    ([0.0001, 0.001, 0.01], [(1056.5, 1e+71)])
    """
    powers = sorted((p, v) for p, v, w in candidates
                    if re.fullmatch(r"1e-?\d{1,2}", w.text) and v > 0)
    if len(powers) < 2 or len(powers) < len(candidates) - 1:
        return None
    exponents = [round(float(np.log10(v))) for _, v in powers]
    best: list[int] = []
    for first in range(len(powers)):
        for last in range(first + 1, len(powers)):
            run = list(range(first, last + 1))
            steps = set(np.diff(exponents[first:last + 1]).tolist())
            gaps = np.diff([powers[i][0] for i in run])
            even = len(gaps) < 2 or np.ptp(gaps) <= 0.05 * float(np.abs(gaps).mean())
            if steps in ({1}, {-1}) and even and len(run) > len(best):
                best = run
    if len(best) < max(2, len(powers) - 1):
        return False
    kept = [powers[i] for i in best]
    slope, intercept = np.polyfit([p for p, _ in kept], [exponents[i] for i in best], 1)
    dropped = [(p, v) for p, v, _ in candidates if (p, v) not in kept]
    return AxisFit(float(slope), float(intercept), kept, dropped, log=True)


def _inliers(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The most (pixel, value) points on one line through two of them (within 2 % of the
    values' spread)."""
    if len(points) < 2:
        return []
    spread = (max(v for _, v in points) - min(v for _, v in points)) or 1.0
    best: list[tuple[float, float]] = []
    for (p1, v1), (p2, v2) in itertools.combinations(points, 2):
        if abs(p2 - p1) < 3 or v1 == v2:
            continue
        slope = (v2 - v1) / (p2 - p1)
        inliers = [(p, v) for p, v in points
                   if abs(slope * (p - p1) + v1 - v) <= 0.02 * spread]
        if len(inliers) > len(best):
            best = inliers
    return best


def _repeated_axis(axis: AxisFit) -> bool:
    """Whether the ticks left out of the fit repeat the fitted ones at one offset: a second
    panel's axis beside or under the first (a 2x2 figure read as one chart put the top bars
    of one panel on the other's axis, and a legend's edge gave bars a sure wrong height).

    >>> fit = AxisFit(-0.54, 269.0, [(128.0, 200.0), (221.0, 150.0), (313.0, 100.0)],
    ...               [(774.0, 200.0), (866.0, 150.0), (959.0, 100.0)])
    >>> _repeated_axis(fit), _repeated_axis(AxisFit(-0.54, 269.0, fit.ticks, [(500.0, 7.0)]))
    (True, False)
    """
    kept = dict((v, p) for p, v in axis.ticks)
    offsets = [p - kept[v] for p, v in axis.dropped if v in kept]
    if len(offsets) < 3:
        return False
    middle = float(np.median(offsets))
    steady = [o for o in offsets if abs(o - middle) <= 0.03 * abs(middle)]
    return abs(middle) > 0 and len(steady) >= 3


def _tick_candidates(words: list[OcrWord], bars: list[_Bar], orientation: str,
                     base: int) -> list[tuple[float, float, OcrWord]]:
    """Numbers on the value axis: beside the plot, aligned with one another."""
    numeric = [(w, _number(w)) for w in words]
    numeric = [(w, v) for w, v in numeric if v is not None]
    if orientation == "vertical":
        left = min(b.x0 for b in bars)
        right = max(b.x1 for b in bars)
        # beside the plot: the label's middle is (a tick mark OCR glued on reaches in)
        sides = [[(w, v) for w, v in numeric if w.box[2] <= left + 2 or w.cx < left],
                 [(w, v) for w, v in numeric if w.box[0] >= right - 2 or w.cx > right]]
        # an axis farther from the bars than they are wide belongs to another panel (a
        # scatter plot's ticks beside a bar chart: its 46-64 fitted every bar wrong)
        reach = max(right - left, 8 * max(b.x1 - b.x0 for b in bars))
        sides = [[(w, v) for w, v in sides[0] if left - w.box[2] <= reach],
                 [(w, v) for w, v in sides[1] if w.box[0] - right <= reach]]
        groups = []
        for side in sides:
            for anchor, _ in side:
                group = [(w, v) for w, v in side if abs(w.box[2] - anchor.box[2]) <= 6
                         or abs(w.cx - anchor.cx) <= 6 or abs(w.box[0] - anchor.box[0]) <= 3]
                groups.append(group)
        pick = max(groups, key=len, default=[])
        return [(w.cy, v, w) for w, v in pick]
    floor = max(b.y1 for b in bars)
    below = [(w, v) for w, v in numeric if w.box[1] >= floor - 2]
    if below:  # tick marks under the axis read as "1"s are half a digit tall, or less
        usual = float(np.median([w.height for w, _ in below]))
        below = [(w, v) for w, v in below if w.height >= 0.6 * usual]
    groups = [[(w, v) for w, v in below if abs(w.cy - anchor.cy) <= 6] for anchor, _ in below]
    # tick labels are the first row of numbers under the bars; footers come further down
    rows = sorted((g for g in groups if len(g) >= 2), key=lambda g: g[0][0].cy)
    pick = rows[0] if rows else max(groups, key=len, default=[])
    return [(w.cx, v, w) for w, v in pick]


def _phrase_box(words: list[OcrWord]) -> tuple[int, int, int, int]:
    return (min(w.box[0] for w in words), min(w.box[1] for w in words),
            max(w.box[2] for w in words), max(w.box[3] for w in words))


# ----------------------------------------------------------------------------- the reader


def read_chart(source: str | Path | bytes | LoadedImage, *,
               engine: OcrEngine | None = None,
               borrowed_axis: tuple[AxisFit, int] | None = None) -> ChartResult:
    """Read the bar chart in an image. ``borrowed_axis``: (axis, baseline row) of a panel
    beside this one in the same rows, used where this one shows no value axis of its own
    and its bars stand on the same baseline (facets sharing one y axis).

    Example:
        >>> chart = read_chart("benchmark.png")               # doctest: +SKIP
        >>> chart.orientation, chart.layout, chart.series[:2]  # doctest: +SKIP
        ('vertical', 'grouped', ['DeepSeek-V3', 'DeepSeek-V2.5'])
        >>> bar = chart.bars[0]; (bar.label, bar.value, bar.method)  # doctest: +SKIP
        ('MMLU-Pro', 75.9, 'value_label')

    Raises:
        ExtractionError: unreadable image, no bars, or bars with neither printed values nor a
        readable value axis.
    """
    started = time.perf_counter()
    image = source if isinstance(source, LoadedImage) else load_image(source)
    engine = engine or get_engine()
    _ink, busy = clutter(image)
    if busy > 0.3:
        raise ExtractionError(f"no chart found in {image.source}: it looks like a photo or "
                              f"noise ({busy:.0%} edge pixels)",
                              hint="pass a screenshot or render of a bar chart")
    rgb = image.rgb
    scale = min(1.0, _MAX_SIDE / max(rgb.shape[:2]))
    if scale < 1.0:
        rgb = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    background = _background(rgb)
    dark = float(background.mean()) < 110
    kernel = max(5, min(rgb.shape[:2]) // 120)
    rects = _joined_across_lines(_joined_gradients(_find_rects(rgb, background), rgb), rgb,
                                 background, kernel)
    rects = _joined_under_legends(rects, rgb, background)
    if not rects:
        raise ExtractionError(f"no bars found in {image.source}",
                              hint="pass a bar chart (filled bars on a plain background)")
    panels = _panel_boxes(_distance(rgb, background) > 40, rects, kernel)
    if len(panels) > 1:
        return _read_panels(image, [tuple(int(round(v / scale)) for v in box) for box in panels],
                            engine, started)
    # Bars are long; what survives the opening from bold glyphs is about a letter's size.
    orientation, base, bars = _baseline(_long(rects, kernel), kernel)
    if len(bars) < 1:
        raise ExtractionError(f"no bars found in {image.source}",
                              hint="pass a bar chart (filled bars on a plain background)")
    if orientation == "vertical":
        bars = [_without_glued_text(bar, rgb, background, kernel) for bar in bars]
    bars = _through_outlines(bars, _distance(rgb, background) > 40, orientation, kernel)
    bars = [_through_translucent(bar, rgb) for bar in bars] if orientation == "vertical" \
        else bars
    bars = _with_hatched_boxes(bars, _distance(rgb, background) > 40, orientation, base,
                               tuple(int(v) for v in background))
    bars = _with_short_bars(bars, rgb, background, orientation, kernel) \
        if orientation == "vertical" else _with_short_bars_across(bars, rgb, background, kernel)
    gray = _ocr_gray(rgb, dark)
    words, text_height, clean = _page_words(gray, bars, engine)
    rescued = _rescue_ticks(clean, words, bars, orientation, text_height, engine)
    # a rescued label replaces the scraps the page reading made of it ("30" read "3", "2")
    words = [w for w in words if not any(_overlaps(w.box, r.box) for r in rescued)] + rescued
    words = [_as_power(w, clean) for w in _split_touching_numbers(words)]
    rotated, blobs = _rotated_values(bars, clean, orientation, text_height, engine)
    # the page reading's scraps of upright-read rotated labels are no values or ticks
    words = [w for w in words if not any(_overlaps(w.box, blob) for blob in blobs)]
    axis = _fit_axis(_tick_candidates(words, bars, orientation, base))
    borrowed = axis is None and borrowed_axis is not None and orientation == "vertical" \
        and scale == 1.0 and abs(base - borrowed_axis[1]) <= 3
    if borrowed:
        axis = borrowed_axis[0]
    if axis is not None and _repeated_axis(axis):
        raise ExtractionError(
            f"{image.source}: unreadable: the value axis's labels repeat further along "
            f"({len(axis.dropped)} ticks with the same values at a constant offset), so "
            "several charts share this image and their bars cannot be told apart",
            hint="crop one panel and read it alone (or pass each panel as its own image)")
    legend = _legend(rects, bars, gray, text_height, engine)
    used: set[int] = set()
    # under bars hanging below the baseline, the category labels stand below the lowest
    label_base = max([base] + [b.y1 for b in bars if b.hangs])
    labels = _category_labels(words, bars, orientation, label_base, text_height, gray, engine,
                              used)
    notes = [BORROWED_AXIS] if borrowed else []
    before_values = set(used)
    values, disagreed, labelled, printed = _bar_values(bars, words, orientation, axis,
                                                       text_height, gray, dark, rgb, engine,
                                                       used, rotated)
    if axis is not None and disagreed >= max(2, labelled / 2) and \
            _points_lost(bars, printed, orientation, axis):
        # ".97" read "97" over a 0.5-1.0 axis whose ticks kept their points: the printed
        # values, each a share with no leading zero, agree with the axis once the point is back
        notes.append(f"{POINTS_RESTORED}: {labelled} printed values read without their "
                     "leading point agree with the axis once it is put back")
        used = set(before_values)
        values, disagreed, labelled, printed = _bar_values(
            bars, words, orientation, axis, text_height, gray, dark, rgb, engine, used,
            rotated, points_lost=True)
    if axis is not None and disagreed >= max(2, labelled / 2) and _regular_axis(axis) and \
            not _decades_apart(bars, printed, orientation, axis):
        # five or more ticks at one step, none left out: OCR read this axis right, so the
        # numbers over the bars are something else -- ratios ("2.37x" over a bar of 0.58 s)
        notes.append(f"{ANNOTATIONS}: {disagreed} of {labelled} printed numbers disagree "
                     f"with a regular axis of {len(axis.ticks)} ticks")
        values = _axis_values(bars, values, orientation, axis)
    elif axis is not None and disagreed >= max(2, labelled / 2):
        # most printed values disagree with the fit: the ticks were misread ("60" read "6"),
        # or belong to another panel -- the printed values are the evidence, not the axis
        notes.append(f"{AXIS_DROPPED}: {disagreed} of {labelled} printed values "
                     "disagree with it")
        axis = None
        used = before_values
        values = _bar_values(bars, words, orientation, None, text_height, gray, dark,
                             rgb, engine, used, rotated)[0]
        # nothing confirms them now: doubtful until someone looks (a second panel, garbled
        # category labels and a wrong axis travel together)
        values = [(v, min(c, _DOUBTED_CONFIDENCE), m, b) for v, c, m, b in values]
    if axis is None and all(m != "value_label" for _, _, m, _ in values):
        raise ExtractionError(
            f"{image.source}: bars found but no value axis and no printed values",
            hint="the chart needs tick labels on its value axis or numbers on the bars")
    series_of, series_names, layout = _series(bars, labels, legend)
    out = []
    for label, (value, confidence, method, box), series in zip(
            labels, values, series_of, strict=True):
        out.append(ImageValue(
            label=label, series=series, value=value, confidence=confidence,
            box=tuple(int(round(v / scale)) for v in box), method=method,
            text="" if value is None else f"{value:g}"))
    if axis is None:
        notes.append("no value axis read; values come from printed labels only")
    return ChartResult(orientation=orientation, layout=layout, bars=out, series=series_names,
                       axis=axis, source=image.source, engine=getattr(engine, "name", "ocr"),
                       seconds=time.perf_counter() - started, notes=notes)


def _tall_blob(ink: np.ndarray, bar: _Bar, text_height: float) -> tuple[int, ...] | None:
    """The box of the ink standing on the bar's top, in its width, when it is a column of
    text turned upright (at least 1.3 text heights tall, 1.6 times its width, a text height
    or so wide): a value printed rotated 90 degrees; ``None`` where there is none.

    >>> ink = np.zeros((100, 40), np.uint8); ink[30:58, 14:26] = 1   # a turned "145"
    >>> _tall_blob(ink, _Bar(10, 60, 30, 100, (0, 0, 0)), 16.0)
    (14, 30, 26, 58)
    >>> ink[30:58] = 0; ink[44:58, 8:32] = 1                          # "145" upright
    >>> _tall_blob(ink, _Bar(10, 60, 30, 100, (0, 0, 0)), 16.0) is None
    True
    """
    slack = int(0.25 * text_height)
    x0, x1 = max(0, bar.x0 - slack), bar.x1 + slack
    # above the outline's upper half, which the painting-out of the bar left standing
    y0, y1 = max(0, int(bar.y0 - 8 * text_height)), max(0, bar.y0 - bar.inset - 2)
    area = ink[y0:y1, x0:x1]
    if area.size == 0:
        return None
    # the glyphs of a turned number stand one above the other: join them vertically only
    joined = cv2.dilate(area, np.ones((max(3, int(0.5 * text_height)), 1), np.uint8))
    _count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    best = None
    middle = bar.cx - x0
    for bx, by, bw, bh, _ in stats[1:]:
        if area.shape[0] - (by + bh) > 0.6 * text_height:
            continue  # not standing on the bar's top
        if best is None or abs(bx + bw / 2 - middle) < abs(best[0] + best[2] / 2 - middle):
            best = (bx, by, bw, bh)
    if best is None:
        return None
    bx, by, bw, bh = best
    rows = np.flatnonzero(area[by:by + bh, bx:bx + bw].any(axis=1))
    if rows.size == 0:
        return None
    top, bottom = by + int(rows[0]), by + int(rows[-1]) + 1
    bh = bottom - top
    if bh < 1.3 * text_height or bh < 1.6 * bw or not 0.4 * text_height <= bw <= 1.6 * text_height:
        return None
    return (int(x0 + bx), int(y0 + top), int(x0 + bx + bw), int(y0 + bottom))


def _rotated_values(bars: list[_Bar], clean: np.ndarray, orientation: str, text_height: float,
                    engine: OcrEngine) -> tuple[dict[int, tuple[float | None, float]], list]:
    """Values printed turned 90 degrees over vertical bars, each read from its own crop
    turned upright (the page reading makes digits of no use of them): bar index ->
    (value or ``None``, confidence), and the labels' boxes. Empty unless most bars carry
    one (a lone tall scrap over one bar is no such chart)."""
    if orientation != "vertical" or len(bars) < 2:
        return {}, []
    paper = int(np.median(clean))
    ink = (np.abs(clean.astype(np.int32) - paper) > 80).astype(np.uint8)
    # less the bars' side outlines left standing beside a shorter neighbour (joined to the
    # label above, they made it a bar's height tall): no glyph is 1.5 text heights tall
    ink &= ~cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                             np.ones((max(3, int(1.5 * text_height)), 1), np.uint8))
    blobs = {i: blob for i, bar in enumerate(bars)
             if (blob := _tall_blob(ink, bar, text_height)) is not None}
    if len(blobs) < max(2, len(bars) / 2):
        return {}, []
    out: dict[int, tuple[float | None, float]] = {}
    for index, (x0, y0, x1, y1) in blobs.items():
        # the label alone on paper: no neighbour's label, no remnant of the bar's outline
        pad = max(3, int(0.3 * text_height))
        crop = np.full((y1 - y0 + 2 * pad, x1 - x0 + 2 * pad), paper, np.uint8)
        crop[pad:pad + y1 - y0, pad:pad + x1 - x0] = clean[y0:y1, x0:x1]
        # text read bottom to top: turned clockwise it reads left to right
        crop = cv2.rotate(crop, cv2.ROTATE_90_CLOCKWISE)
        if crop.shape[0] < 40:
            factor = 40 / crop.shape[0]
            crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        crop = cv2.copyMakeBorder(crop, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=paper)
        word = engine.line(crop, whitelist=_NUMERIC_WHITELIST)
        value = to_float(word.text.replace(" ", "")) if word is not None and \
            word.confidence >= 0.6 else None
        out[index] = (value, word.confidence * 0.9) if value is not None else (None, 0.0)
    return out, list(blobs.values())


def _regular_axis(axis: AxisFit) -> bool:
    """Whether the fit rests on five or more ticks at one step in value (a tick OCR missed
    leaves a gap of whole steps), each on the fitted line to a quarter step, with at most
    one in four left out: an axis read right (a misread tick is left out or breaks the step).

    >>> ticks = [(500.0 - 60 * k, 0.2 * k) for k in range(6)]
    >>> _regular_axis(AxisFit(-1 / 300, 5 / 3, ticks[:2] + ticks[3:], [(380.0, 2.0)]))
    True
    >>> _regular_axis(AxisFit(-1 / 300, 5 / 3, ticks[:4], []))
    False
    """
    if axis.log:  # consecutive powers of ten (``_power_ticks``): read right, or not at all
        exponents = np.log10([v for _, v in axis.ticks])
        return bool(np.allclose(exponents, np.round(exponents)) and not axis.dropped)
    if len(axis.ticks) < 5 or len(axis.dropped) * 3 > len(axis.ticks):
        return False
    values = np.diff([v for _, v in axis.ticks])
    step = np.abs(values).min()
    if step == 0:
        return False
    counts = np.abs(values) / step
    if np.abs(counts - np.round(counts)).max() > 0.01:
        return False
    # every tick on the line to a quarter step (OCR boxes jitter by a few pixels)
    return all(abs(axis.value(p) - v) <= 0.25 * step for p, v in axis.ticks)


def _decades_apart(bars: list[_Bar], printed: list[float | None], orientation: str,
                   axis: AxisFit) -> bool:
    """Whether the printed values are the fit's times a power of ten (within 3 %): the tick
    labels lost or gained a digit ("60" read "6"), not numbers of another kind.

    >>> axis = AxisFit(-0.01, 9.0, [(100.0, 8.0), (500.0, 4.0)], [])
    >>> bars = [_Bar(0, 200, 9, 900, (0, 0, 0)), _Bar(10, 400, 19, 900, (0, 0, 0))]
    >>> _decades_apart(bars, [70.0, 50.0], "vertical", axis)
    True
    >>> _decades_apart(bars, [1.4, 1.0], "vertical", axis)
    False
    """
    ratios = []
    for bar, label in zip(bars, printed, strict=True):
        fitted = axis.value(_end(bar, orientation))
        if label is not None and label > 0 and fitted > 0:
            ratios.append(float(np.log10(label / fitted)))
    if len(ratios) < 2:
        return False
    middle = float(np.median(ratios))
    decade = round(middle)
    return bool(decade != 0 and abs(middle - decade) <= np.log10(1.03))


def _axis_values(bars: list[_Bar], values: list[tuple], orientation: str, axis: AxisFit):
    """Every bar's value from the axis fit, kept below the sure level (the printed numbers
    disagreed, so someone should look); a bar marked "N/A" keeps no value."""
    out = []
    for bar, (value, confidence, method, box) in zip(bars, values, strict=True):
        if method == "missing_label":
            out.append((value, confidence, method, box))
            continue
        out.append((round(axis.value(_end(bar, orientation)), 6), _DOUBTED_CONFIDENCE,
                    "axis_fit", box))
    return out


def _through_outlines(bars: list[_Bar], ink: np.ndarray, orientation: str,
                      kernel: int) -> list[_Bar]:
    """Each bar's end moved to the middle of the ink right beyond it that spans the bar's
    width: its outline, drawn in another colour than its fill and centred on the bar's edge
    (a pale hatched bar edged in the solid colour: the fill alone ended 2-5 px short); at
    most ``kernel`` px looked at.

    >>> ink = np.zeros((40, 20), bool); ink[10:30, 5:15] = True   # outline rows 10-13
    >>> bar = _through_outlines([_Bar(5, 14, 15, 30, (0, 0, 0))], ink, "vertical", 6)[0]
    >>> bar.y0, bar.y0 + bar.inset  # the end, and where the fill starts
    (12, 14)
    """
    out = []
    for bar in bars:
        if orientation == "vertical":
            inner = ink[:, bar.x0 + (bar.x1 - bar.x0) // 10:bar.x1 - (bar.x1 - bar.x0) // 10]
            if bar.hangs:  # its end is its bottom: through the outline below it
                y1 = bar.y1
                while y1 < ink.shape[0] and y1 - bar.y1 < kernel and inner[y1].mean() >= 0.85:
                    y1 += 1
                out.append(dataclasses.replace(bar, y1=bar.y1 + round((y1 - bar.y1) / 2)))
                continue
            y0 = bar.y0
            while y0 > 0 and bar.y0 - y0 < kernel and inner[y0 - 1].mean() >= 0.85:
                y0 -= 1
            moved = round((bar.y0 - y0) / 2)
            out.append(dataclasses.replace(bar, y0=bar.y0 - moved, inset=moved))
        else:
            inner = ink[bar.y0 + (bar.y1 - bar.y0) // 10:bar.y1 - (bar.y1 - bar.y0) // 10]
            x1 = bar.x1
            while x1 < ink.shape[1] and x1 - bar.x1 < kernel and inner[:, x1].mean() >= 0.85:
                x1 += 1
            moved = round((x1 - bar.x1) / 2)
            out.append(dataclasses.replace(bar, x1=bar.x1 + moved, inset=moved))
    return out


def _without_glued_text(bar: _Bar, rgb: np.ndarray, background: np.ndarray,
                        kernel: int) -> _Bar:
    """A vertical bar less the rows at its top that are not its fill: the grey anti-aliasing
    of a value label printed just above a grey bar, closed into the bar's mask, raised its top
    by the label's height (67.0 read 68.6). Rows are dropped, up to two openings, only while
    they are mostly paper and under 60 % fill, down to three rows of nine-tenths fill;
    unchanged otherwise (a hatched or gradient top is no paper).

    >>> rgb = np.full((60, 30, 3), 255, np.uint8); rgb[20:, 5:25] = 206
    >>> rgb[15:20, 8:10] = 206; rgb[15:20, 14:16] = 60  # a label's pixels glued on top
    >>> _without_glued_text(_Bar(5, 15, 25, 60, (206, 206, 206)), rgb, np.full(3, 255.0), 5).y0
    20
    """
    width = bar.x1 - bar.x0
    inner = slice(bar.x0 + width // 5, bar.x1 - width // 5)
    if bar.hangs or bar.inset or inner.stop - inner.start < 3 or bar.y1 - bar.y0 < 3 * kernel:
        return bar
    limit = min(2 * kernel, (bar.y1 - bar.y0) // 3)
    rows = rgb[bar.y0:bar.y0 + limit + 3, inner].astype(np.int32)
    fill = (np.abs(rows - np.array(bar.color)).max(axis=2) <= 40).mean(axis=1)
    paper = (np.abs(rows - background.astype(np.int32)).max(axis=2) <= 40).mean(axis=1)
    for top in range(1, limit + 1):
        if (fill[:top] >= 0.6).any():
            return bar
        if (fill[top:top + 3] >= 0.9).all():
            return dataclasses.replace(bar, y0=bar.y0 + top) if paper[:top].max() >= 0.3 \
                else bar
    return bar


def _through_translucent(bar: _Bar, rgb: np.ndarray) -> _Bar:
    """A vertical bar whose top meets the frame of a translucent legend drawn over it, moved
    up to where its tint (its colour blended with the legend's fill) ends: the fill alone
    stopped at the frame (a bar of 173 read 150). Unchanged where no frame line crosses its
    top, the legend is opaque, or what lies above is no blend of the two colours.

    >>> rgb = np.full((60, 30, 3), 255, np.uint8); rgb[40:, 10:20] = (140, 100, 180)
    >>> rgb[38:40, :] = 210                                   # the legend's frame
    >>> rgb[20:38, 10:20] = (232, 224, 240)                   # the bar under the legend
    >>> _through_translucent(_Bar(10, 40, 20, 60, (140, 100, 180)), rgb).y0
    20
    """
    width = bar.x1 - bar.x0
    inner = slice(bar.x0 + width // 5, bar.x1 - width // 5)
    if bar.hangs or inner.stop - inner.start < 2 or bar.x0 < 2 or bar.x1 + 2 >= rgb.shape[1]:
        return bar
    image = rgb.astype(np.int32)
    def beside(y: int) -> list[np.ndarray]:
        return [image[y, bar.x0 - 2], image[y, bar.x1 + 1]]
    y, crossed = bar.y0 - 1, 0
    while crossed < 3 and y > 0:
        middle = np.median(image[y, inner], axis=0)
        if max(np.abs(middle - b).max() for b in beside(y)) >= 20:
            break
        y, crossed = y - 1, crossed + 1
    if crossed == 0 or y <= 0:
        return bar
    tint = np.median(image[y, inner], axis=0)
    fill = beside(y)[0]
    colour = np.array(bar.color)
    strong = np.abs(colour - fill) > 30
    if not strong.any() or np.abs(tint - fill).max() < 15 or np.abs(tint - colour).max() < 20:
        return bar
    alpha = (tint - fill)[strong] / (colour - fill)[strong]
    if not (0.05 < alpha.mean() < 0.95 and np.ptp(alpha) < 0.15):
        return bar  # not the bar's colour showing through
    # up through the legend's text across it (a few rows with less of the tint showing)
    top, row, gap = y, y, 0
    while row > 0 and gap <= 6:
        row -= 1
        if (np.abs(image[row, inner] - tint).max(axis=1) < 14).mean() >= 0.3:
            top, gap = row, 0
        else:
            gap += 1
    return dataclasses.replace(bar, y0=int(top)) if y - top >= 2 else bar


def _with_hatched_boxes(bars: list[_Bar], ink: np.ndarray, orientation: str, base: int,
                        paper: tuple[int, int, int]) -> list[_Bar]:
    """Bars plus the outlined, hatched boxes filled with the paper's colour in the one-bar
    slots between them (a white bar crossed by hatching, no fill colour to find it by): a
    gap about a bar wide, inked down both sides from a line across its top to the baseline,
    with hatching across it inside (``_crosses``). An outlined box with nothing inside is
    no bar (a placeholder), nor is a gap below a boxed note with one band edge down it.

    >>> ink = np.zeros((60, 50), bool); ink[10:50, 0:14] = ink[20:50, 30:44] = True
    >>> ink[15, 14:30] = ink[15:50, 14] = ink[15:50, 29] = True        # the box's outline
    >>> for k in range(17, 50, 4): ink[k, 15:29] = True                 # its hatching
    >>> bars = [_Bar(0, 10, 14, 50, (9, 9, 9)), _Bar(30, 20, 44, 50, (9, 9, 9))]
    >>> [(b.x0, b.y0, b.x1) for b in _with_hatched_boxes(bars, ink, "vertical", 50,
    ...                                                  (255, 255, 255))]
    [(0, 10, 14), (14, 15, 30), (30, 20, 44)]
    >>> ink[17:50, 15:29] = False                                       # empty: no bar
    >>> len(_with_hatched_boxes(bars, ink, "vertical", 50, (255, 255, 255)))
    2
    """
    if orientation != "vertical" or len(bars) < 2:
        return bars
    width = float(np.median([b.x1 - b.x0 for b in bars]))
    found = []
    for left, right in zip(bars, bars[1:], strict=False):
        x0, x1 = left.x1, right.x0
        if not 0.6 * width <= x1 - x0 <= 1.5 * width:
            continue
        inner = ink[:base, x0 + 1:x1 - 1]
        # the highest line across the gap from which both sides are inked down to the
        # baseline (lines higher up are a legend's or a frame's)
        top = next((int(y) for y in np.flatnonzero(inner.mean(axis=1) >= 0.8)
                    if min(ink[y:base, max(0, x0 - 1):x0 + 2].any(axis=1).mean(),
                           ink[y:base, x1 - 2:x1 + 1].any(axis=1).mean()) >= 0.9), None)
        if top is None or base - top < 0.1 * width:
            continue
        hatch = ink[top + 3:base - 2, x0 + 3:x1 - 3]
        if hatch.size == 0 or not 0.08 <= hatch.mean() <= 0.6 or not _crosses(hatch):
            continue
        found.append(_Bar(int(x0), top, int(x1), int(base), paper))
    return sorted(bars + found, key=lambda b: b.cx)


def _crosses(hatch: np.ndarray) -> bool:
    """Whether the ink inside a box is hatching across it, in its upper and its lower half
    alike: in most columns, or in three or more separate runs of columns (vertical
    hatching). One line down the box (the edge of a shaded band behind the bars, under a
    boxed note's text) is none.

    >>> box = np.zeros((30, 20), bool); box[:, 9] = True; box[:4, :] = True  # text, a line
    >>> _crosses(box)
    False
    >>> box[::4, :] = True                                       # lines across it
    >>> _crosses(box)
    True
    """
    def across(part: np.ndarray) -> bool:
        columns = part.any(axis=0)
        runs = int(np.sum(np.diff(np.concatenate([[0], columns.astype(np.int8)])) == 1))
        return bool(columns.mean() >= 0.5 or runs >= 3)

    half = len(hatch) // 2
    return across(hatch) if half < 4 else across(hatch[:half]) and across(hatch[half:])


def _with_short_bars(bars: list[_Bar], rgb: np.ndarray, background: np.ndarray,
                     orientation: str, kernel: int) -> list[_Bar]:
    """Bars plus those too short to survive the opening (a value near zero: 2-8 px tall) in
    the slots where a bar is due: a bar's width beside a bar (a group's missing member),
    or one pitch beyond the first or last of evenly spaced bars. A slot holds a short bar
    where the rows just above the baseline are one colour other than the paper's across
    the slot, and that colour ends at the slot's sides (an axis line across the plot does
    not); vertical bars only.

    >>> rgb = np.full((60, 80, 3), 255, np.uint8)
    >>> rgb[10:50, 10:20] = rgb[20:50, 30:40] = (200, 50, 50); rgb[46:50, 50:60] = (50, 50, 200)
    >>> bars = [_Bar(10, 10, 20, 50, (200, 50, 50)), _Bar(30, 20, 40, 50, (200, 50, 50))]
    >>> [(b.x0, b.y0, b.x1) for b in _with_short_bars(bars, rgb, np.array([255, 255, 255]),
    ...                                                "vertical", 6)]
    [(10, 10, 20), (30, 20, 40), (50, 46, 60)]
    >>> rgb[47:50, :] = (50, 50, 200)                            # a line across: no bar
    >>> len(_with_short_bars(bars, rgb, np.array([255, 255, 255]), "vertical", 6))
    2
    """
    if orientation != "vertical" or len(bars) < 2:
        return bars
    width = int(np.median([b.x1 - b.x0 for b in bars]))
    base = int(np.median([b.y1 for b in bars if not b.hangs]))
    slots = [(b.x0 - width, b.x0) for b in bars] + [(b.x1, b.x1 + width) for b in bars]
    centres = np.diff([b.cx for b in bars])
    pitch = float(np.median(centres))
    if np.all(np.abs(centres - pitch) <= 0.05 * pitch):  # evenly spaced: one pitch beyond
        for bar, step in ((bars[0], -pitch), (bars[-1], pitch)):
            slots.append((int(round(bar.x0 + step)), int(round(bar.x1 + step))))
    # the paper between the bars just above the baseline: a colour there is a line along it
    gaps = [rgb[base - 1, a.x1 + 2:b.x0 - 2].astype(np.int32)
            for a, b in zip(bars, bars[1:], strict=False) if b.x0 - a.x1 > 8]
    found = []
    for x0, x1 in slots:
        if x0 < 1 or x1 >= rgb.shape[1] - 1 or any(
                min(x1, b.x1) - max(x0, b.x0) > 2 for b in bars + found):
            continue
        short = _short_bar(rgb, background, x0, x1, base, kernel)
        if short is not None and not any(
                (np.abs(gap - np.array(short.color)).max(axis=1) <= 30).mean() >= 0.5
                for gap in gaps):
            found.append(short)
    return sorted(bars + found, key=lambda b: b.cx)


def _with_short_bars_across(bars: list[_Bar], rgb: np.ndarray, background: np.ndarray,
                            kernel: int) -> list[_Bar]:
    """:func:`_with_short_bars` for horizontal bars (a value near zero: a few px long beside
    the axis), read on the page turned so the bars stand on its bottom; looked for twice, so
    a group's two short members, one beside the other, are both found.

    >>> rgb = np.full((80, 60, 3), 255, np.uint8)
    >>> rgb[10:20, 10:50] = rgb[50:60, 10:30] = (50, 50, 200); rgb[20:30, 10:12] = (200, 50, 50)
    >>> bars = [_Bar(10, 10, 50, 20, (50, 50, 200)), _Bar(10, 50, 30, 60, (50, 50, 200))]
    >>> [(b.x0, b.y0, b.x1, b.y1) for b in _with_short_bars_across(
    ...     bars, rgb, np.array([255, 255, 255]), 6)]
    [(10, 10, 50, 20), (10, 20, 12, 30), (10, 50, 30, 60)]
    >>> rgb[62:72, 10:40] = (200, 50, 50); rgb[64:70, 12:38] = 255     # an empty frame: no bar
    >>> len(_with_short_bars_across(bars, rgb, np.array([255, 255, 255]), 6))
    3
    >>> _in_bar_colour(_Bar(0, 0, 2, 9, (203, 142, 125)), [_Bar(0, 0, 9, 9, (255, 66, 14)),
    ...                _Bar(0, 0, 9, 9, (254, 211, 32))]).color       # a washed-out red
    (255, 66, 14)
    """
    width = rgb.shape[1]
    turned = np.ascontiguousarray(rgb[:, ::-1].transpose(1, 0, 2))
    def turn(bar: _Bar) -> _Bar:
        return dataclasses.replace(bar, x0=bar.y0, y0=width - bar.x1, x1=bar.y1, y1=width - bar.x0)
    def back(bar: _Bar) -> _Bar:
        return dataclasses.replace(bar, x0=width - bar.y1, y0=bar.x0, x1=width - bar.y0, y1=bar.x1)
    standing = [turn(b) for b in bars]
    for _ in range(2):
        standing = _with_short_bars(standing, turned, background, "vertical", kernel)
    found = [back(b) for b in standing if b.short and not _outline_side(back(b), rgb)]
    return sorted(bars + [_in_bar_colour(b, bars) for b in found], key=lambda b: b.cy)


def _outline_side(bar: _Bar, rgb: np.ndarray) -> bool:
    """Whether a short horizontal bar is the left side of an empty outlined box (a bar
    marked failed or N/A drawn as a frame): its colour runs on along its top or bottom edge
    past its end, where a bar's own colour stops."""
    reach = slice(bar.x1 + 1, min(rgb.shape[1], bar.x1 + 1 + (bar.y1 - bar.y0)))
    colour = np.array(bar.color, np.int32)
    for y in (bar.y0, bar.y0 + 1, bar.y1 - 2, bar.y1 - 1):
        edge = rgb[y, reach].astype(np.int32)
        if edge.size and (np.abs(edge - colour).max(axis=1) <= 40).mean() >= 0.6:
            return True
    return False


def _hue(colour) -> float:
    pixel = np.array([[colour]], np.uint8)
    return float(cv2.cvtColor(pixel, cv2.COLOR_RGB2HSV)[0, 0, 0]) * 2  # degrees


def _in_bar_colour(short: _Bar, bars: list[_Bar]) -> _Bar:
    """A bar a pixel or two long is drawn in its colour blended with the paper and the axis
    line: it takes the colour of the found bars nearest in hue (its series), when one is
    near (within 20 degrees), else keeps its own."""
    def apart(colour) -> float:
        turn = abs(_hue(colour) - _hue(short.color))
        return min(turn, 360 - turn)
    near = sorted((c for c in {b.color for b in bars} if apart(c) <= 20), key=apart)
    return dataclasses.replace(short, color=near[0]) if near else short


def _short_bar(rgb: np.ndarray, background: np.ndarray, x0: int, x1: int, base: int,
               kernel: int) -> _Bar | None:
    """The bar of a few rows standing on ``base`` in columns ``x0..x1``, or ``None``."""
    image = rgb.astype(np.int32)
    inner = slice(x0 + (x1 - x0) // 5, x1 - (x1 - x0) // 5)
    colour = np.median(image[base - 1, inner], axis=0)
    if np.abs(colour - background).max() <= 40:
        return None
    def matches(y: int, columns) -> np.ndarray:
        return np.abs(image[y, columns] - colour).max(axis=-1) <= 30
    # the colour must end at the slot's sides: a line across the plot is no bar (a grid
    # line drawn over the bar interrupts it for a pixel or two)
    row = matches(base - 1, slice(0, rgb.shape[1]))
    inked = np.flatnonzero(row[inner])
    if inked.size == 0:
        return None
    left = right = inner.start + int(inked[0])
    while left > 0 and row[max(0, left - 4):left].any():
        left = max(0, left - 4) + int(np.flatnonzero(row[max(0, left - 4):left])[0])
    while right < len(row) - 1 and row[right + 1:right + 5].any():
        right += 1 + int(np.flatnonzero(row[right + 1:right + 5])[-1])
    if not 0.6 * (x1 - x0) <= right + 1 - left <= 1.4 * (x1 - x0):
        return None
    top = base - 1
    while top > base - kernel and matches(top - 1, inner).mean() >= 0.8:
        top -= 1
    if top <= base - kernel or not matches(top, inner).mean() >= 0.8:
        return None  # as tall as an opening: the opening would have kept it
    return _Bar(int(left), int(top), int(right + 1), int(base),
                tuple(int(v) for v in colour), short=True)


def _long(rects: list[_Bar], kernel: int) -> list[_Bar]:
    """Rectangles long enough to be bars (what survives the opening from bold glyphs is
    about a letter's size)."""
    return [r for r in rects if max(r.x1 - r.x0, r.y1 - r.y0) >= 4 * kernel]


# ----------------------------------------------------------------------------- panels


def _gutters(ink: np.ndarray, axis: int, min_run: int) -> list[int]:
    """Middles of blank runs (no ink across the whole image) at least ``min_run`` long,
    between inked rows (``axis=1``) or columns (``axis=0``).

    >>> ink = np.zeros((4, 30), bool); ink[:, 2:8] = ink[:, 20:28] = True
    >>> _gutters(ink, 0, 6), _gutters(ink, 1, 1)
    ([13], [])
    """
    inked = np.flatnonzero(ink.any(axis=axis))
    if inked.size < 2:
        return []
    gaps = np.flatnonzero(np.diff(inked) > min_run)
    return [int((inked[g] + inked[g + 1]) // 2) for g in gaps]


#: how many times its width the tallest bar of a panel stands at least (a legend's swatches
#: are about as tall as wide)
_BAR_ASPECT = 2


def _panel_bars(rects: list[_Bar], box: tuple[int, int, int, int],
                kernel: int) -> tuple[str, int, list[_Bar]]:
    """The bars standing on one baseline inside ``box``; none where what stands there is a
    row or column of legend swatches (short beside their width or the box) or the stems of
    bold letters (as thin as the opening that kept them), not bars. Wide bars of a few
    categories stand only two or three widths tall (115 px wide, 524 px tall): twice their
    width is bar enough.

    >>> bars = [_Bar(10 + 120 * k, 100 + 20 * k, 125 + 120 * k, 600, (9, 9, 9)) for k in range(3)]
    >>> len(_panel_bars(bars, (0, 0, 400, 650), 5)[2])
    3
    >>> swatches = [_Bar(10 + 60 * k, 20, 40 + 60 * k, 40, (9, 9, 9)) for k in range(3)]
    >>> len(_panel_bars(swatches, (0, 0, 400, 650), 5)[2])
    0
    """
    x0, y0, x1, y1 = box
    inside = [r for r in rects if r.x0 >= x0 and r.x1 <= x1 and r.y0 >= y0 and r.y1 <= y1]
    orientation, base, bars = _baseline(_long(inside, kernel), kernel)
    if len(bars) < 2:
        return orientation, base, []
    lengths = [(b.y1 - b.y0) if orientation == "vertical" else (b.x1 - b.x0) for b in bars]
    widths = [(b.x1 - b.x0) if orientation == "vertical" else (b.y1 - b.y0) for b in bars]
    extent = (y1 - y0) if orientation == "vertical" else (x1 - x0)
    thickness = float(np.median(widths))
    if max(lengths) < max(_BAR_ASPECT * thickness, 0.2 * extent) or thickness < 1.5 * kernel:
        return orientation, base, []  # swatches, or the stems of a bold title
    return orientation, base, bars


def _own_axis(ink: np.ndarray, box: tuple[int, int, int, int], bars: list[_Bar],
              kernel: int) -> bool:
    """Whether a panel cut off on the left shows its own value axis: ink (a spine, tick
    labels) left of its first bar (clear of the bar's anti-aliased edge), beside the bars,
    in two or more runs or most rows."""
    top, base = min(b.y0 for b in bars), max(b.y1 for b in bars)
    end = min(b.x0 for b in bars) - kernel
    strip = ink[top:max(top, base - 2), box[0]:max(box[0], end)]
    if strip.size == 0:
        return False
    rows = strip.any(axis=1)
    return int(np.sum(np.diff(rows.astype(np.int8)) == 1)) >= 2 or rows.mean() >= 0.5


def _separate(ink, rects, kernel, first, second, across: bool) -> bool:
    """Whether two parts of an image are two charts: each has bars of its own, on baselines
    of their own, or (side by side, on one baseline) the second shows its own value axis."""
    one, two = _panel_bars(rects, first, kernel), _panel_bars(rects, second, kernel)
    if not one[2] or not two[2]:
        return False
    if one[0] != two[0] or abs(one[1] - two[1]) > 3:
        return True
    return across and one[0] == "vertical" and _own_axis(ink, second, two[2], kernel)


def _panel_boxes(ink: np.ndarray, rects: list[_Bar],
                 kernel: int) -> list[tuple[int, int, int, int]]:
    """Boxes of the separate charts in a figure (a 2x2 grid of panels gives two rows here;
    each row is cut into its panels when read): cut at blank gutters, rows first, where
    both sides are charts (``_separate``). One box, the whole image, where none is.

    A gutter between the categories of one chart (no grid lines) is no cut: the bars right
    of it stand on the same baseline and have no value axis of their own.
    """
    height, width = ink.shape
    whole = (0, 0, width, height)
    for axis, size in ((1, height), (0, width)):
        cuts = [0]
        # side by side, the gutter need only be blank beside the bars: a legend or a title
        # across the whole figure (below or above the panels) crosses it
        band = ink if axis == 1 else _bar_band(ink, rects, kernel)
        # three openings wide, or a hundredth of the figure where that is less (a 2600 px
        # figure of two panels whose frames stand 17 px apart); side by side two openings
        # (a tight layout leaves 13 px between one panel's frame and the next one's axis
        # title): the second panel must show its own value axis to be cut off
        openings = 3 if axis == 1 else 2
        for gutter in _gutters(band, axis, max(6, min(size // 100, openings * kernel))):
            if axis == 1:
                first, second = (0, cuts[-1], width, gutter), (0, gutter, width, height)
            else:
                first, second = (cuts[-1], 0, gutter, height), (gutter, 0, width, height)
            if _separate(ink, rects, kernel, first, second, across=axis == 0):
                cuts.append(gutter)
        if len(cuts) > 1:
            edges = cuts + [size]
            return [(0, a, width, b) if axis == 1 else (a, 0, b, height)
                    for a, b in zip(edges, edges[1:], strict=False)]
    return [whole]


def _bar_band(ink: np.ndarray, rects: list[_Bar], kernel: int) -> np.ndarray:
    """The rows of ``ink`` that the bars on the main baseline span: where panels side by
    side are told apart. Horizontal bars too: a legend or footnote boxes under the panels
    (between them, beside their x axes) cross the gutter only below the bars.

    >>> ink = np.zeros((100, 60), bool); ink[90:, :] = True  # a legend across the bottom
    >>> bars = [_Bar(5, 20, 15, 80, (0, 0, 0)), _Bar(40, 30, 50, 80, (0, 0, 0))]
    >>> _bar_band(ink, bars, 5).shape
    (61, 60)
    """
    _orientation, _base, bars = _baseline(_long(rects, kernel), kernel)
    if len(bars) < 2:
        return ink
    return ink[min(r.y0 for r in bars):max(r.y1 for r in bars) + 1]


def _read_panels(image: LoadedImage, boxes, engine: OcrEngine, started: float) -> ChartResult:
    """Each panel read as a chart of its own; bars in panel order (rows, then left to right),
    boxes in the whole image's pixels. A panel without a value axis of its own is read on
    the axis of a panel read in the same rows (``_lender``); one that cannot be read is named
    in the notes."""
    read: dict[int, ChartResult] = {}
    failed: dict[int, ExtractionError] = {}
    crops = [dataclasses.replace(image, rgb=np.ascontiguousarray(image.rgb[y0:y1, x0:x1]),
                                 source=f"{image.source}[{x0}:{x1},{y0}:{y1}]")
             for x0, y0, x1, y1 in boxes]
    for index, crop in enumerate(crops):
        try:
            read[index] = read_chart(crop, engine=engine)
        except ExtractionError as exc:
            failed[index] = exc
    for index in list(failed):
        lender = _lender(boxes, index, read)
        if lender is not None:
            try:
                read[index] = read_chart(crops[index], engine=engine, borrowed_axis=lender)
                del failed[index]
            except ExtractionError:
                pass
    results, notes = [], [f"{len(boxes)} panels, each read on its own"]
    for index, (x0, y0, x1, y1) in enumerate(boxes):
        if index in failed:
            notes.append(f"panel ({x0},{y0},{x1},{y1}) not read: {failed[index]}")
            continue
        chart = read[index]
        moved = [dataclasses.replace(bar, box=(bar.box[0] + x0, bar.box[1] + y0,
                                               bar.box[2] + x0, bar.box[3] + y0))
                 for bar in chart.bars]
        results.append(dataclasses.replace(chart, bars=moved))
        notes += [f"panel ({x0},{y0},{x1},{y1}): {note}" for note in chart.notes]
    if not results:
        raise ExtractionError(f"{image.source}: {len(boxes)} panels found and none could be read",
                              hint="; ".join(notes[1:])[:400])
    series = list(dict.fromkeys(name for chart in results for name in chart.series))
    return ChartResult(
        orientation=results[0].orientation, layout=results[0].layout,
        bars=[bar for chart in results for bar in chart.bars], series=series,
        axis=results[0].axis if len(results) == 1 else None, source=image.source,
        engine=results[0].engine, seconds=time.perf_counter() - started, notes=notes)


def _lender(boxes, index: int, read: dict[int, ChartResult]) -> tuple[AxisFit, int] | None:
    """(axis, baseline row) of the nearest panel read in the same rows as panel ``index``:
    vertical bars on a value axis of its own, neither image shrunk (the axis is in the
    crop's pixels); ``None`` where there is none.

    >>> axis = AxisFit(-0.01, 5.0, [(100.0, 4.0), (400.0, 1.0)], [])
    >>> bar = ImageValue(label="a", series="", value=1.0, confidence=0.9, box=(5, 80, 20, 433),
    ...                  method="axis_fit", text="1")
    >>> lender = ChartResult("vertical", "single", [bar], [], axis, "x", "ocr", 0.1)
    >>> boxes = [(0, 0, 500, 490), (500, 0, 990, 490), (0, 490, 500, 980)]
    >>> _lender(boxes, 1, {0: lender})[1], _lender(boxes, 2, {0: lender})
    (433, None)
    """
    x0, y0, x1, y1 = boxes[index]
    best = None
    for other, chart in read.items():
        ox0, oy0, ox1, oy1 = boxes[other]
        if abs(oy0 - y0) > 3 or abs(oy1 - y1) > 3 or chart.axis is None or \
                chart.orientation != "vertical" or not chart.bars or \
                max(y1 - y0, x1 - x0, oy1 - oy0, ox1 - ox0) > _MAX_SIDE or \
                any(note.startswith(BORROWED_AXIS) for note in chart.notes):
            continue
        distance = abs(ox0 - x0)
        if best is None or distance < best[0]:
            base = int(np.median([bar.box[3] for bar in chart.bars]))
            best = (distance, (chart.axis, base + oy0 - y0))
    return None if best is None else best[1]


def _bar_values(bars, words, orientation, axis, text_height, gray, dark, rgb, engine, used,
                rotated=None, points_lost: bool = False):
    """Each bar's (value, confidence, method, box); how many printed values disagreed with
    the axis fit, how many bars had one, and each bar's printed value (``None``: none).
    ``rotated``: bar index -> its rotated label's reading (``_rotated_values``);
    ``points_lost``: the chart's printed values lost their leading point (``_points_lost``)."""
    values, disagreed, labelled, labels = [], 0, 0, []
    rotated = rotated or {}
    for index, bar in enumerate(bars):
        *value, differs, printed = _bar_value(bar, index, words, orientation, axis,
                                              text_height, gray, dark, rgb, engine, used,
                                              rotated.get(index), points_lost)
        values.append(tuple(value))
        disagreed += differs
        labelled += printed is not None
        labels.append(printed)
    return values, disagreed, labelled, labels


def _bar_value(bar: _Bar, index: int, words: list[OcrWord], orientation: str,
               axis: AxisFit | None, text_height: float, gray: np.ndarray, dark: bool,
               rgb: np.ndarray, engine: OcrEngine, used: set[int],
               rotated: tuple[float | None, float] | None = None,
               points_lost: bool = False):
    box = (bar.x0, bar.y0, bar.x1, bar.y1)
    if bar.hangs:  # below the baseline: read on the axis (no printed value is looked for)
        if axis is None:
            return None, 0.0, "none", box, False, None
        quality = min(1.0, len(axis.ticks) / 4) * (0.95 if not axis.dropped else 0.85)
        return round(axis.value(bar.y1), 6), quality, "axis_fit", box, False, None
    marker = _missing_marker(bar, words, orientation, text_height, used)
    if marker is not None:
        return None, marker, "missing_label", box, False, None
    if rotated is not None:  # its label stands turned over it: that reading, or none
        label_value, label_conf = rotated
    else:
        label_value, label_conf = _value_label(bar, words, orientation, text_height, gray,
                                               dark, rgb, engine, used)
    fitted = None
    if axis is not None:
        fitted = axis.value(_end(bar, orientation))
    if label_value is not None and points_lost and fitted is not None:
        label_value = _with_point(label_value, fitted, axis)
    if label_value is not None:
        disagree = (fitted is not None and axis.range
                    and axis.share(fitted, label_value) > 0.05)
        if not disagree:
            if fitted is not None and _slightly_off(label_value, fitted, axis):
                return _confirm_label(bar, orientation, text_height, gray, engine, axis,
                                      fitted, label_value, label_conf) + (box, False, label_value)
            return label_value, label_conf, "value_label", box, False, label_value
        if len(axis.ticks) >= 4 or (len(axis.ticks) >= 3 and not axis.dropped) or \
                _beyond_axis(label_value, axis):
            # A well-supported axis outweighs a number OCR may have misread (61 for 67), and
            # any axis one that no bar of this plot can reach ("83" read "837", touching
            # labels "76 76" read "7676")
            return round(fitted, 6), 0.5, "axis_fit", box, True, label_value
        return label_value, label_conf * 0.5, "value_label", box, True, label_value
    if fitted is not None:
        quality = min(1.0, len(axis.ticks) / 4) * (0.95 if not axis.dropped else 0.85)
        if bar.short:  # a few pixels found in a slot: doubtful until someone looks
            quality = min(quality, _DOUBTED_CONFIDENCE)
        return round(fitted, 6), quality, "axis_fit", box, False, None
    return None, 0.0, "none", box, False, None


#: what a chart prints at a bar's end for "no value" (a placeholder bar under "N/A", "OOM")
#: (not a lone dash: a hyphen's scrap stands near bar tops, "FlashAttention-2" read apart)
_MISSING = re.compile(r"(?:N/?A|OOM|N\.S\.|TBD)", re.IGNORECASE)


def _missing_marker(bar: _Bar, words: list[OcrWord], orientation: str, text_height: float,
                    used: set[int]) -> float | None:
    """The confidence of an "N/A"-like word printed at the bar's end, nearer than any
    number (the bar is a placeholder: its length is no value); ``None`` where there is none.

    >>> bar = _Bar(100, 200, 140, 400, (0, 0, 255))
    >>> words = [OcrWord("N/A", 0.9, (104, 180, 136, 198))]
    >>> _missing_marker(bar, words, "vertical", 18.0, set())
    0.9
    >>> _missing_marker(bar, [OcrWord("1.00x", 0.9, (104, 180, 136, 198))], "vertical", 18.0,
    ...                 set()) is None
    True
    """
    best = None
    for position, word in enumerate(words):
        if position in used or not (_MISSING.fullmatch(word.text.strip())
                                    or _number(word) is not None):
            continue
        if orientation == "vertical":
            near = bar.x0 - 0.5 * text_height <= word.cx <= bar.x1 + 0.5 * text_height and \
                bar.y0 - 2.5 * text_height <= word.box[3] <= bar.y0 + text_height
            distance = abs(word.box[3] - bar.y0)
        else:
            near = bar.y0 - 0.5 * text_height <= word.cy <= bar.y1 + 0.5 * text_height and \
                bar.x1 - text_height <= word.box[0] <= bar.x1 + 2.5 * text_height
            distance = abs(word.box[0] - bar.x1)
        if near and (best is None or distance < best[0]):
            best = (distance, position, word)
    if best is None or _number(best[2]) is not None:
        return None
    used.add(best[1])
    return best[2].confidence


#: a printed value this far from its bar's end (in axis-range shares) is doubted, not stored
#: as sure: measured on real charts, the fit lands within 0.3 % of the range of the truth, a
#: dropped decimal ("37.9" read "37") 1-2 % away
_LABEL_FIT_SLACK = 0.01
_DOUBTED_CONFIDENCE = 0.6
#: the note a chart carries when its printed values contradicted its axis
AXIS_DROPPED = "value axis dropped"
#: the note when a regular axis contradicted the printed numbers (taken as annotations)
ANNOTATIONS = "printed numbers are not the bars' values"
#: the note of a panel read on the value axis of the panel beside it
BORROWED_AXIS = "value axis borrowed from the panel beside it (same rows and baseline)"
#: the note when printed values read without their leading point (".97" as 97) got it back
POINTS_RESTORED = "leading points restored"
#: a bar value at least this sure needs no second reading (the scorer's "high confidence")
_SURE = 0.8


def _point_readings(value: float) -> list[float]:
    """What a whole number OCR read from a share printed with no leading zero may have been:
    the point before its digits (".97" read 97), or before a lost zero (".05" read 5).

    >>> _point_readings(97.0), _point_readings(5.0), _point_readings(0.97), _point_readings(-3.0)
    ([0.97, 0.097], [0.5, 0.05], [], [])
    """
    if value <= 0 or value != int(value) or value >= 1000:
        return []
    digits = len(str(int(value)))
    return [round(value / 10 ** digits, digits), round(value / 10 ** (digits + 1), digits + 1)]


def _with_point(value: float, fitted: float, axis: AxisFit) -> float:
    """``value`` with its leading point put back where that reading agrees with the bar's
    fitted value (within 5 % of the axis range) and the one read does not; else unchanged."""
    if axis.share(fitted, value) <= 0.05:
        return value
    for reading in _point_readings(value):
        if axis.share(fitted, reading) <= 0.05:
            return reading
    return value


def _points_lost(bars: list[_Bar], printed: list[float | None], orientation: str,
                 axis: AxisFit) -> bool:
    """Whether the printed values are shares printed with no leading zero whose point OCR
    dropped (".97" read 97; the small dot on the baseline falls out of the word box): the
    axis rests on three or more ticks, at least two read with their points (0.5, 0.9: so the
    ticks, unlike "60" read "6", were read right), and three in four of the printed values,
    at least three, agree with the bars' fitted ends once the point is put back. Touching
    whole labels ("76 76" read 7676) never do: a restored value is below one.

    >>> axis = AxisFit(-0.001, 1.2, [(200.0, 1.0), (400.0, 0.8), (600.0, 0.6)], [])
    >>> bars = [_Bar(10 * k, top, 10 * k + 8, 750, (0, 0, 0))
    ...         for k, top in enumerate((230.0, 280.0, 330.0))]
    >>> _points_lost(bars, [97.0, 92.0, 87.0], "vertical", axis)
    True
    >>> _points_lost(bars, [97.0, 92.0, 0.87], "vertical", axis)  # two of three
    False
    >>> ints = AxisFit(-0.1, 120.0, [(200.0, 100.0), (400.0, 80.0), (600.0, 60.0)], [])
    >>> _points_lost(bars, [9.7, 9.2, 8.7], "vertical", ints)  # ticks read "10", "8", "6"
    False
    """
    if len(axis.ticks) < 3 or axis.log or \
            sum(v != round(v) for _, v in axis.ticks) < 2:
        return False
    labelled = [(bar, value) for bar, value in zip(bars, printed, strict=True)
                if value is not None]
    restored = 0
    for bar, value in labelled:
        fitted = axis.value(_end(bar, orientation))
        restored += _with_point(value, fitted, axis) != value
    return restored >= 3 and restored * 4 >= 3 * len(labelled)


def _beyond_axis(value: float, axis: AxisFit) -> bool:
    """Whether ``value`` lies more than the ticks' whole range beyond them (a plot shows its
    bars within about its ticks).

    >>> axis = AxisFit(slope=-0.5, intercept=269.0, ticks=[(128.0, 200.0), (406.0, 50.0)],
    ...                dropped=[])
    >>> _beyond_axis(837.0, axis), _beyond_axis(83.0, axis), _beyond_axis(230.0, axis)
    (True, False, False)
    """
    values = [v for _, v in axis.ticks]
    low, high = min(values), max(values)
    return not (low - (high - low) <= value <= high + (high - low))


def _slightly_off(label_value: float, fitted: float, axis: AxisFit) -> bool:
    """Whether a printed value and the axis fit of its bar's end disagree beyond the fit's
    precision (1 % of the tick range, or three pixels where ticks are far apart).

    >>> axis = AxisFit(slope=-0.1, intercept=80.0, ticks=[(100.0, 70.0), (700.0, 10.0)],
    ...                dropped=[])
    >>> _slightly_off(37.0, 37.87, axis), _slightly_off(37.9, 37.87, axis)
    (True, False)
    """
    pixels = axis.share(axis.value(0.0), axis.value(3.0))  # three pixels, as a share
    return axis.share(label_value, fitted) > max(_LABEL_FIT_SLACK, pixels)


def _confirm_label(bar: _Bar, orientation: str, text_height: float, gray: np.ndarray,
                   engine: OcrEngine, axis: AxisFit, fitted: float, label_value: float,
                   label_conf: float) -> tuple[float, float, str]:
    """A printed value its bar disagrees with: read the label again on its own; a reading
    the bar confirms is kept, otherwise the page's reading stays, marked doubtful (never
    high confidence: the cross-check failed)."""
    again, confidence = _read_beyond(bar, orientation, text_height, gray, engine)
    if again is not None and not _slightly_off(again, fitted, axis):
        return again, confidence, "value_label"
    return label_value, min(label_conf, _DOUBTED_CONFIDENCE), "value_label"


def _value_label(bar: _Bar, words: list[OcrWord], orientation: str, text_height: float,
                 gray: np.ndarray, dark: bool, rgb: np.ndarray, engine: OcrEngine,
                 used: set[int]) -> tuple[float | None, float]:
    reach = 2.5 * text_height
    best = None
    for position, word in enumerate(words):
        if position in used:
            continue
        if orientation == "vertical":
            inside = bar.x0 - 0.5 * text_height <= word.cx <= bar.x1 + 0.5 * text_height
            distance = abs(word.box[3] - bar.y0)
            near = inside and bar.y0 - reach <= word.box[3] <= bar.y0 + 1.5 * reach
            near = near and word.box[1] < bar.y1 - 0.3 * text_height  # not under the base
        else:
            inside = bar.y0 - 0.5 * text_height <= word.cy <= bar.y1 + 0.5 * text_height
            distance = abs(word.box[0] - bar.x1)
            near = inside and bar.x1 - 3 * reach <= word.box[0] <= bar.x1 + reach
            # a number ending before the bar starts is its category ("1,000" embeddings)
            near = near and word.box[2] > bar.x0 + 0.3 * text_height
        if not near or (best is not None and distance >= best[0]):
            continue  # placed first: the re-read below is OCR, for near words only
        value = _number(word)
        if value is None and any(ch.isdigit() for ch in word.text) and len(word.text) <= 8:
            value = _reread_number(word, gray, engine)  # "'5.9": garbled, read it again
        if value is not None:
            best = (distance, position, value, word.confidence)
    if best is not None:
        used.add(best[1])
        return best[2], best[3]
    value, confidence = _read_beyond(bar, orientation, text_height, gray, engine)
    if value is not None:
        return value, confidence
    far = _far_label(bar, words, orientation, text_height, used)
    if far is not None:
        return far
    return _read_inside(bar, orientation, text_height, rgb, engine)


def _far_label(bar: _Bar, words: list[OcrWord], orientation: str, text_height: float,
               used: set[int]) -> tuple[float, float] | None:
    """A value printed well above its bar (a log chart's "2.0 ms" five lines over the top):
    the nearest number straight above, within six text heights; its confidence is lowered
    since an annotation ("6× faster") can stand there too."""
    if orientation != "vertical":
        return None
    best = None
    for position, word in enumerate(words):
        value = _number(word)
        if position in used or value is None:
            continue
        inside = bar.x0 <= word.cx <= bar.x1
        gap = bar.y0 - word.box[3]
        if inside and 0 <= gap <= 6 * text_height and (best is None or gap < best[0]):
            best = (gap, position, value, word.confidence)
    if best is None:
        return None
    used.add(best[1])
    return best[2], best[3] * 0.85


def _reread_number(word: OcrWord, gray: np.ndarray, engine: OcrEngine) -> float | None:
    x0, y0, x1, y1 = word.box
    pad = max(3, (y1 - y0) // 3)
    crop = gray[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
    if crop.size == 0:
        return None
    paper = int(np.median(crop))
    crop = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    crop = cv2.copyMakeBorder(crop, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=paper)
    again = engine.line(crop, whitelist=_NUMERIC_WHITELIST)
    if again is None or again.confidence < 0.6:
        return None
    return to_float(again.text.replace(" ", ""))


def _read_beyond(bar: _Bar, orientation: str, text_height: float, gray: np.ndarray,
                 engine: OcrEngine) -> tuple[float | None, float]:
    """A label the page reading missed or garbled ("'5.9", or two labels run together):
    read the strip just past the bar's end on its own, digits only."""
    if orientation == "vertical":
        half = max((bar.x1 - bar.x0) / 2, 1.4 * text_height)
        x0, x1 = int(max(0, bar.cx - half)), int(bar.cx + half)
        y0, y1 = int(max(0, bar.y0 - 2.0 * text_height)), max(0, bar.y0 - 1)
    else:
        x0, x1 = bar.x1 + 1, int(bar.x1 + 5 * text_height)
        y0, y1 = int(max(0, bar.cy - text_height)), int(bar.cy + text_height)
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0 or min(crop.shape) < 4:
        return None, 0.0
    paper = int(np.median(crop))
    if (np.abs(crop.astype(np.int32) - paper) > 80).sum() < 8:
        return None, 0.0  # nothing printed there
    crop = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    crop = cv2.copyMakeBorder(crop, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=paper)
    word = engine.line(crop, whitelist=_NUMERIC_WHITELIST)
    if word is None or word.confidence < 0.6:
        return None, 0.0
    value = to_float(word.text.replace(" ", ""))
    return (value, word.confidence * 0.9) if value is not None else (None, 0.0)


def _read_inside(bar: _Bar, orientation: str, text_height: float, rgb: np.ndarray,
                 engine: OcrEngine) -> tuple[float | None, float]:
    """A value printed inside the bar's end, often light on a dark bar: read the crop of the
    fill (an outline across the crop's edge is read as a digit or spoils the line)."""
    if orientation == "vertical":
        top = bar.y0 + bar.inset
        y1 = int(min(bar.y1, top + 2.2 * text_height))
        crop = rgb[top:y1, bar.x0:bar.x1]
    else:
        end = bar.x1 - bar.inset
        x0 = int(max(bar.x0, end - 4 * text_height))
        crop = rgb[bar.y0:bar.y1, x0:end]
    if crop.size == 0 or min(crop.shape[:2]) < 6:
        return None, 0.0
    gray = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    spread = int(gray.max()) - int(gray.min())
    if spread < 60:
        return None, 0.0  # plain fill, nothing printed
    fill = float(np.median(gray))
    if fill < 128:
        gray = 255 - gray  # light text on a dark bar
    gray = cv2.copyMakeBorder(gray, 8, 8, 8, 8, cv2.BORDER_CONSTANT, value=int(gray[0, 0]))
    if gray.shape[0] < 40:
        factor = 40 / gray.shape[0]
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    word = engine.line(gray, whitelist=_NUMERIC_WHITELIST)
    if word is None or word.confidence < 0.5:
        return None, 0.0
    try:
        parsed = parse_number(word.text.replace(" ", ""))
    except ValueError:
        return None, 0.0
    return (parsed.value, word.confidence * 0.9) if parsed else (None, 0.0)


def _category_labels(words, bars, orientation, base, text_height, gray, engine, used):
    if orientation == "vertical":
        region = [w for w in words if base - 2 <= w.box[1] <= base + 4 * text_height
                  and w.confidence > 0.2]
        categories = _categories(bars)
        anchors = _labels_under(categories, region, _pitch(bars, orientation), text_height)
        window = 0.45 * _pitch(bars, orientation)
        expected = len(categories)
        sure = sum(w.confidence for _, p in anchors for w in p)
        if len(anchors) < expected or sure < 0.75 * max(1, sum(len(p) for _, p in anchors)):
            rotated = _rotated_labels(gray, base, bars, engine)
            # Slanted text read flat gives short scraps ("av"): weigh readings by length.
            if _text_score(w for _, p in rotated for w in p) > \
                    _text_score(w for _, p in anchors for w in p):
                anchors = rotated
            else:
                anchors = _reread_labels(anchors, gray, text_height, engine, window)
        else:
            anchors = _reread_labels(anchors, gray, text_height, engine, window)
        key = [b.cx for b in bars]
    else:
        left = min(b.x0 for b in bars)
        from .table_image import _group_lines

        region = [w for w in words if w.box[2] <= left + 2 and _number(w) is None]
        anchors = [((_phrase_box(line)[1] + _phrase_box(line)[3]) / 2, line)
                   for line in _group_lines(region)]
        anchors = _reread_labels(anchors, gray, text_height, engine)
        key = [b.cy for b in bars]
    anchors = [(a, p) for a, p in anchors if any(ch.isalnum() for w in p for ch in w.text)]
    limit = 0.6 * _pitch(bars, orientation)
    labels = []
    for position in key:
        if not anchors:
            labels.append("")
            continue
        distance, phrase = min(((abs(a - position), p) for a, p in anchors),
                               key=lambda item: item[0])
        if distance > limit:
            labels.append("")  # this tick's label was not read; never borrow a neighbour's
            continue
        labels.append(" ".join(w.text for w in sorted(phrase, key=lambda w: (w.box[1] // 8,
                                                                           w.box[0]))))
    return [label or f"bar {i + 1}" for i, label in enumerate(labels)]


def _sizes(text_height: float) -> tuple[float, ...]:
    """Enlargements that bring text of ``text_height`` px to the 20-35 px Tesseract reads best."""
    best = max(1.0, 26 / max(text_height, 1.0))
    return tuple(sorted({1.0, 1.5, 2.0, round(best, 2)}))


def _reread_labels(anchors, gray, text_height, engine, window: float = 0.0):
    """Each horizontal label read again as one line at several sizes (majority wins).
    ``window``: half-width around the anchor to read (vertical charts), so a word the page
    reading missed ("OPEN [DOMAIN]") is read too."""
    out = []
    for anchor, phrase in anchors:
        x0, y0, x1, y1 = _phrase_box(phrase)
        if window and np.isfinite(window):
            x0, x1 = min(x0, int(anchor - window)), max(x1, int(anchor + window))
        pad = int(text_height * 0.3)
        crop = gray[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
        first = OcrWord(" ".join(w.text for w in phrase), min(w.confidence for w in phrase),
                        (x0, y0, x1, y1))
        word = vote_line(engine, crop, first, factors=_sizes(text_height)) if crop.size else None
        out.append((anchor, [word] if word is not None else phrase))
    return out


def _colour_groups(bars: list[_Bar]) -> list[list[_Bar]]:
    groups: list[list[_Bar]] = []
    for bar in bars:
        for group in groups:
            if max(abs(a - b) for a, b in zip(group[0].color, bar.color, strict=True)) < 12:
                group.append(bar)
                break
        else:
            groups.append([bar])
    return groups


def _is_grouped(bars: list[_Bar]) -> bool:
    """Several series: two or more colours, each used by two or more bars."""
    groups = _colour_groups(bars)
    return len(groups) >= 2 and min(len(g) for g in groups) >= 2


def _pitch(bars: list[_Bar], orientation: str) -> float:
    """Distance between neighbouring bars of one colour: the category spacing."""
    gaps = []
    for group in _colour_groups(bars) if _is_grouped(bars) else [bars]:
        spots = sorted(b.cx if orientation == "vertical" else b.cy for b in group)
        gaps += [b - a for a, b in zip(spots, spots[1:], strict=False)]
    return float(np.median(gaps)) if gaps else float("inf")


def _categories(bars: list[_Bar]) -> list[list[_Bar]]:
    """Bars grouped by category, left to right: one bar each, or for grouped charts a run
    of bars in which no colour repeats."""
    if not _is_grouped(bars):
        return [[bar] for bar in bars]
    groups = _colour_groups(bars)
    colour_of = {id(bar): index for index, group in enumerate(groups) for bar in group}
    width = float(np.median([b.x1 - b.x0 for b in bars]))
    out: list[list[_Bar]] = []
    for bar in sorted(bars, key=lambda b: b.cx):
        current = out[-1] if out else None
        if current is None or colour_of[id(bar)] in {colour_of[id(b)] for b in current} or \
                bar.x0 - current[-1].x1 > width:
            out.append([bar])
        else:
            current.append(bar)
    return out


def _labels_under(categories, region, pitch, text_height):
    """For each category, the words under it (within half the category spacing of its
    centre), first line only: a second line is a sub-label such as "(EM)"."""
    from .table_image import _group_lines

    reach = 0.5 * pitch if np.isfinite(pitch) else float("inf")
    anchors = []
    for category in categories:
        centre = (min(b.x0 for b in category) + max(b.x1 for b in category)) / 2
        mine = [w for w in region if abs(w.cx - centre) <= reach]
        if not mine:
            continue
        lines = _group_lines(mine)
        phrase = list(lines[0])
        for previous, line in zip(lines, lines[1:], strict=False):
            if _phrase_box(line)[1] - _phrase_box(previous)[3] > 0.4 * text_height:
                break
            phrase += line  # a label wrapped onto a second line
        anchors.append((centre, phrase))
    return anchors


def _text_score(words) -> float:
    """Confidence-weighted count of letters and digits read."""
    return sum(w.confidence * sum(ch.isalnum() for ch in w.text) for w in words)


def _rotated_labels(gray, base, bars, engine):
    """Tick labels printed at an angle: straighten the strip under the axis and read it."""
    strip = gray[base + 2:, :]
    if strip.shape[0] < 10:
        return []
    factor = 2.0
    strip = cv2.resize(strip, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    best: list = []
    best_score = 0.0
    for angle in (45, 90, 30, 60):
        height, width = strip.shape
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
        cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
        new_w, new_h = int(height * sin + width * cos), int(height * cos + width * sin)
        matrix[0, 2] += new_w / 2 - width / 2
        matrix[1, 2] += new_h / 2 - height / 2
        turned = cv2.warpAffine(strip, matrix, (new_w, new_h), borderValue=255)
        read = [w for w in engine.words(turned) if _number(w) is None
                and sum(ch.isalnum() for ch in w.text) >= 2]
        score = _text_score(w for w in read if w.confidence > 0.5)
        if score <= best_score:
            continue
        best_score = score
        found = []
        for word in read:
            if word.confidence <= 0.5:  # a doubtful one: read again at other sizes
                x0, y0, x1, y1 = word.box
                crop = turned[max(0, y0 - 6):y1 + 6, max(0, x0 - 6):x1 + 6]
                word = vote_line(engine, crop, word, factors=(0.75, 1.25, 1.5)) or word
            if word.confidence > 0.3:
                found.append(word)
        inverse = cv2.invertAffineTransform(matrix)
        anchors = []
        for word in found:
            corners = np.array([[word.box[0], word.box[1]], [word.box[2], word.box[1]],
                                [word.box[0], word.box[3]], [word.box[2], word.box[3]]], float)
            back = corners @ inverse[:, :2].T + inverse[:, 2]
            top = back[np.argmin(back[:, 1])]
            anchors.append((float(top[0]) / factor, [word]))
        best = anchors
        if len(best) >= len(bars) and best_score > 0.85 * len(best):
            break
    return best


def _legend(rects, bars, gray, text_height, engine) -> dict[tuple[int, int, int], str]:
    """Legend swatches (small rectangles off the baseline, in a bar colour) → the text printed
    right of each, read from its own crop."""
    on_axis = {id(b) for b in bars}
    colours = {b.color for b in bars}
    swatches = [r for r in rects if id(r) not in on_axis and r.color in colours
                and 1.2 * text_height <= r.x1 - r.x0 <= 6 * text_height
                and 0.4 * text_height <= r.y1 - r.y0 <= 3 * text_height]
    paper = _paper(gray, bars)
    ink = np.abs(gray.astype(np.int32) - paper) > 80
    names: dict[tuple[int, int, int], str] = {}
    for swatch in swatches:
        if swatch.color in names:
            continue
        y0 = int(max(0, swatch.cy - 1.1 * text_height))
        y1 = int(swatch.cy + 1.1 * text_height)
        stop = min([r.x0 for r in swatches if r.x0 > swatch.x1 and abs(r.cy - swatch.cy)
                    < text_height] + [gray.shape[1]])
        columns = ink[y0:y1, swatch.x1 + 1:stop].any(axis=0)
        filled = np.flatnonzero(columns)
        if filled.size and filled[0] <= 1:  # the swatch's own outline: skip that run
            breaks = np.flatnonzero(np.diff(filled) > 1)
            filled = filled[breaks[0] + 1:] if breaks.size else filled[:0]
        if filled.size == 0 or filled[0] > 2.5 * text_height:
            continue
        gaps = np.flatnonzero(np.diff(filled) > 1.5 * text_height)
        last = filled[gaps[0]] if gaps.size else filled[-1]
        x0, x1 = swatch.x1 + 1 + filled[0], swatch.x1 + 1 + last + 1
        crop = gray[y0:y1, max(0, x0 - 4):x1 + 4]
        word = vote_line(engine, crop, None, factors=_sizes(text_height)) if crop.size else None
        if word is not None and word.confidence > 0.3 and any(ch.isalnum() for ch in word.text):
            names[swatch.color] = word.text
    return names


def _series(bars: list[_Bar], labels: list[str], legend: dict) -> tuple[list[str], list[str], str]:
    per_label: dict[str, int] = {}
    for label in labels:
        per_label[label] = per_label.get(label, 0) + 1
    if max(per_label.values()) <= 1 or not _is_grouped(bars):
        return [""] * len(bars), [], "single"
    colours: list[tuple[int, int, int]] = []
    for bar in bars:
        for colour in colours:
            if max(abs(a - b) for a, b in zip(colour, bar.color, strict=True)) < 12:
                bar.cluster = colours.index(colour)
                break
        else:
            colours.append(bar.color)
            bar.cluster = len(colours) - 1
    names = []
    for index, colour in enumerate(colours):
        match = [name for c, name in legend.items() if c == colour]
        names.append(match[0] if match else f"series {index + 1}")
    return [names[b.cluster] for b in bars], names, "grouped"


def read_chart_voted(source: str | Path | bytes | LoadedImage,
                     engines: list[OcrEngine]) -> ChartResult:
    """Read a chart with the first engine, and again with the next ones only where it left
    bars without a value; where two readings of a bar disagree, its confidence drops.

    Bars are found from the pixels, not by OCR, so every engine's reading has the same bars
    in the same order; a second engine's reading fills a bar the first left without a value
    (a bar under a translucent legend), its confidence lowered by a tenth.

    Example:
        >>> from modelbench.vision.ocr import get_engine
        >>> chart = read_chart_voted("chart.png", [get_engine("tesseract"),
        ...                                        get_engine("rapidocr")])  # doctest: +SKIP
    """
    image = source if isinstance(source, LoadedImage) else load_image(source)
    first = read_chart(image, engine=engines[0])
    for engine in engines[1:]:
        if all(bar.value is not None for bar in first.bars):
            break
        try:
            other = read_chart(image, engine=engine)
        except ExtractionError:
            continue
        if [b.box for b in other.bars] != [b.box for b in first.bars]:
            continue  # not the same bars: nothing to vote on
        first = _merge_readings(first, other)
    return first


def _merge_readings(first: ChartResult, other: ChartResult) -> ChartResult:
    span = first.axis.range if first.axis is not None else None
    merged = []
    for mine, theirs in zip(first.bars, other.bars, strict=True):
        # only gaps are filled: measured on the real charts, taking the second engine's surer
        # reading of a doubtful bar made 7 more bars wrong than it made right
        if mine.value is None and theirs.value is not None:
            mine = dataclasses.replace(mine, value=theirs.value, text=theirs.text,
                                       confidence=theirs.confidence * 0.9,
                                       method=f"{theirs.method}:{other.engine}")
        elif (mine.value is not None and theirs.value is not None and span
              and abs(mine.value - theirs.value) > 0.01 * span):
            mine = dataclasses.replace(mine, confidence=min(mine.confidence,
                                                            _DOUBTED_CONFIDENCE))
        merged.append(mine)
    return dataclasses.replace(first, bars=merged, engine=f"{first.engine}+{other.engine}")
