"""Text from stores, pages and models made safe to print: no control characters, no escapes.

Names, error messages and page cells are data, and data is hostile: an ``ESC ] 8`` sequence
makes a live link, ``ESC [ 2 J`` clears the screen, ``ESC ] 0`` sets the window title and
U+202E turns the rest of a line around. :func:`plain` removes all of them. It returns a plain
``str``; the faces show it as plain text (a ``rich.text.Text``, never markup), so ``[bold]``
or ``[link=...]`` in a name stays those characters.

Example:
    >>> plain("\\x1b]8;;file:///etc/passwd\\x1b\\\\bert\\x1b]8;;\\x1b\\\\ \\x1b[2Jbase\\u202e")
    'bert base'
    >>> plain("line one\\nline two"), plain("line one\\nline two", keep_newlines=True)
    ('line one line two', 'line one\\nline two')
"""

from __future__ import annotations

import re

__all__ = ["plain"]

# Whole escape sequences first (so their parameters go too): CSI (ESC [ ... final), OSC
# (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P|X|^|_ ... ST), and two-character escapes.
# The 8-bit forms (U+009B CSI, U+009D OSC ...) are matched as well.
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
# What is left: C0 and C1 controls, DEL, bidirectional overrides/isolates/marks, and
# zero-width characters that hide text.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_LINE_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")


def plain(value: object, *, keep_newlines: bool = False) -> str:
    """``value`` as printable text: escape sequences and control characters removed.

    Tabs and line breaks become one space, unless ``keep_newlines`` (then ``\\n`` stays and
    ``\\r``/tabs become spaces). ``None`` is ``""``.

    >>> plain("a\\tb\\x07c\\x00"), plain(None), plain(3.5)
    ('a bc', '', '3.5')
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # the common case costs one C-level scan
        return text
    text = _SEQUENCES.sub("", text)
    if keep_newlines:
        text = text.replace("\r\n", "\n")
        text = "\n".join(_LINE_BREAKS.sub(" ", line) for line in text.split("\n"))
    else:
        text = _LINE_BREAKS.sub(" ", text)
    return _INVISIBLE.sub("", text)
