"""The one number parser: published results arrive as text in many shapes.

Example:
    >>> parse_number("71.2%")
    ParsedNumber(value=71.2, percent=True, plus_minus=None, marker='', text='71.2%')
    >>> parse_number("88.5 ± 0.3").plus_minus
    0.3
    >>> parse_number("1.2k").value
    1200.0
    >>> parse_number("3,071.4").value, parse_number("5.64×").marker
    (3071.4, '×')
    >>> parse_number("—") is None
    True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["ParsedNumber", "parse_number", "to_float", "format_duration", "MISSING_MARKERS"]

#: Strings that mean "no value" in published tables.
MISSING_MARKERS = frozenset(
    {"", "-", "--", "—", "–", "/", "n/a", "na", "nan", "none", "null", "x", "?", "xx.xx", "✗", "×"}
)

_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
_MINUS = str.maketrans({"−": "-", "–": "-", "‒": "-", "\u2009": "", "\u202f": "", "\xa0": ""})
_NUMBER = re.compile(
    r"""^(?P<lead>[|$~≈<>\s]*)              # a leading marker such as '|' or '$'
        (?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:[.,]\d+)?(?:[eE][-+]?\d+)?)
        \s*(?P<suffix>[kKmMbBgGtT](?![a-zA-Z]))?
        \s*(?P<pct>%)?
        \s*(?:(?:±|\+/-|\+-)\s*(?P<pm>\d*[.,]?\d+)\s*%?)?  # "± .19": no leading zero
        \s*(?P<paren>\(\s*[-+]?\d+(?:\.\d+)?\s*%?\s*\))?
        (?P<marker>[*†‡§¶#^a-zA-Zµμ×]*)$""",  # "5.64×": times; "33µs": a unit
    re.VERBOSE,
)


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text, with what was printed around it."""

    value: float
    percent: bool = False
    plus_minus: float | None = None
    marker: str = ""
    text: str = ""  # the printed text; empty when the value came as a number

    def provenance(self) -> dict[str, Any]:
        """What was printed around the value, for a record's ``extra``.

        >>> parse_number("88.5 ± 0.3").provenance()
        {'raw': '88.5 ± 0.3', 'plus_minus': 0.3}
        >>> parse_number(0.91).provenance()
        {}
        """
        out: dict[str, Any] = {"raw": self.text} if self.text else {}
        if self.percent:
            out["percent"] = True
        if self.plus_minus is not None:
            out["plus_minus"] = self.plus_minus
        if self.marker:
            out["marker"] = self.marker
        return out


def parse_number(text: object) -> ParsedNumber | None:
    """Parse a printed result. Returns ``None`` for a missing-value marker.

    Accepts ints/floats as they are. Handles ``%``, ``±``/``+/-``, thousands separators,
    a decimal comma (``0,912``), ``k/M/B`` suffixes, Unicode minus signs, trailing markers
    (``86.1*``, ``72.0†``) and a parenthesised delta (``75.1 (+2.3)``).

    A value too large for a float (``1e400``) is not a number: it would otherwise arrive
    as infinity and be refused later, with everything else in its batch.

    >>> parse_number("1e400")
    Traceback (most recent call last):
    ...
    ValueError: not a finite number: '1e400'

    Raises:
        ValueError: the text is not a finite number and not a missing-value marker.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"not a number: {text!r}")
    if isinstance(text, (int, float)):
        if isinstance(text, float) and math.isnan(text):
            return None
        return ParsedNumber(value=_finite(float(text), text))
    raw = str(text)
    cleaned = raw.translate(_MINUS).strip().strip("|").strip()
    if cleaned.lower() in MISSING_MARKERS:
        return None
    match = _NUMBER.match(cleaned)
    if not match or not match.group("num") or not re.search(r"\d", match.group("num")):
        raise ValueError(f"not a number: {raw!r}")
    num = match.group("num")
    if re.fullmatch(r"[-+]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?", num):
        num = num.replace(",", "")  # thousands separators ("3,071.4" too)
    else:
        num = num.replace(",", ".")  # decimal comma
    value = float(num)
    suffix = match.group("suffix")
    if suffix:
        value *= _SUFFIX[suffix.lower()]
    pm = match.group("pm")
    return ParsedNumber(
        value=_finite(value, raw),
        percent=bool(match.group("pct")),
        plus_minus=_finite(float(pm.replace(",", ".")), raw) if pm else None,
        marker=(match.group("lead") or "").strip() + (match.group("marker") or ""),
        text=raw,
    )


def _finite(value: float, printed: object) -> float:
    """``value``, or ValueError when it overflowed to infinity (``1e400``, ``1e306k``)."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {printed!r}")
    return value


def to_float(text: object) -> float | None:
    """The value of :func:`parse_number`, or ``None`` when missing or unparseable.

    >>> to_float("86.1*"), to_float("n/a"), to_float("GPT-4")
    (86.1, None, None)
    """
    try:
        parsed = parse_number(text)
    except ValueError:
        return None
    return parsed.value if parsed else None


def format_duration(ms: float | None) -> str:
    """A latency in the unit that suits it, 3 significant digits.

    >>> format_duration(0.000813), format_duration(0.0125), format_duration(3.2)
    ('813 ns', '12.5 µs', '3.2 ms')
    >>> format_duration(1500.0), format_duration(None)
    ('1.5 s', '-')
    """
    if ms is None:
        return "-"
    ns = ms * 1e6
    for limit, scale, unit in ((1e3, 1, "ns"), (1e6, 1e3, "µs"), (1e9, 1e6, "ms")):
        if ns < limit:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns / 1e9:.3g} s"
