"""What a reader sees around a table on a leaderboard page, and the labels it gives the table.

A page names its tables' dataset, setting, split and metric in text near them, not in the table:
a heading (``<h2>``, or a ``<div class="card-header">`` / ``<div class="heading">`` drawn as
one), the paragraphs under it, the caption, and the page's own name (its ``<h1>`` before the
first table, else its ``<title>``). :func:`table_labels` reads them as a careful reader does:

* the dataset is the one the heading names ("Leaderboard on MathVista (test)", "Leaderboard:
  CIFAR-10, ℓ∞ = 8/255"), the page's name when the heading mentions it or names none;
* the setting is a heading's "(Distractor Setting)" or the part after the dataset's comma;
* the split is a phrase ("test set", "Test Set Leaderboard", "(test)", "the test subset");
* the metric is the one metric the caption, heading or paragraphs name ("Accuracy scores on
  ...", "The accuracies over ..."), for columns that name a subset rather than a metric.

Example:
    >>> html = ("<h1>MathVista</h1><h2>Leaderboard on MathVista (test)</h2><p>Accuracy "
    ...         "scores on the test subset.</p><table><tr><td>x</td></tr></table>")
    >>> name, contexts = page_context(html)
    >>> labels = table_labels(name, contexts[0])
    >>> labels.dataset, labels.config, labels.split, labels.metric
    ('MathVista', '', 'test', 'accuracy')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..metrics import canonical_name
from .http import decode_body
from .outcome import SPLIT_WORDS

__all__ = ["TableContext", "TableLabels", "page_context", "table_labels", "named_dataset"]

_GENERIC_WORDS = re.compile(
    r"\b(leader\s*boards?|results?|rankings?|scores?|performance|benchmarks?|tables?|sets?|splits?|"
    r"test(ing)?|dev(elopment)?|validation|official|top|overall|the|of|on|and|best|models?|"
    r"current|state[- ]of[- ]the[- ]art|sota|submissions?|here|are|all)\b", re.I)
_SPLIT = r"(test|dev(?:elopment)?|validation)"
_SPLIT_PHRASE = re.compile(
    rf"\b{_SPLIT}\s+(?:sets?|splits?|subsets?|leaderboard)\b|\(\s*(test|dev|validation|val)\s*\)"
    rf"|\b{_SPLIT}\s+(?:and|or|&|/)\s+(?={_SPLIT}\s+sets?\b)", re.I)  # "the test and dev sets"
# A metric named in running text ("Accuracy scores on", "The accuracies over", "F1 on").
_TEXT_METRIC = re.compile(
    r"\b(accurac(?:y|ies)|exact[- ]match|f1(?:[- ]scores?)?|bleu|rouge(?:-?[12l])?|"
    r"word error rate|wer|cer|perplexity|pass@\d+|mrr|ndcg|map|cider(?:-d)?|spice|meteor)\b",
    re.I)
# "we report AveR for each task": the one metric of every column, whatever its name.
_REPORTED = re.compile(r"\breport(?:s|ed)?\s+(?:the\s+)?(?P<metric>[A-Za-z][\w@\-]*)\s+"
                       r"(?:for|on|of|over)\s+(?:each|every|all)\b", re.I)
# How a leaderboard page says where its official scores come from.
_OFFICIAL_SPLIT = re.compile(
    r"\b(?:official|hidden|private|blind)\b[^.]{0,40}?\b(test|dev|validation)\s+sets?\b", re.I)
_MATH = re.compile(r"\\[()\[\]]")  # MathJax delimiters \( \) \[ \]
_PAREN = re.compile(r"\s*\(([^()]*)\)")
_SETTING = re.compile(r"(?i)\s*\bsettings?\b\s*")
_RANKED_BY = re.compile(r"(?i)\branked\s+by\b.*$")
_LEADERBOARD_OF = re.compile(r"(?i)\bleader\s*boards?\b\s*(?:on|for|of|[:\-–—])\s*(?P<rest>.+)$")
#: Elements drawn as headings by class (``card-header``, ``heading``, ``section-title``).
_HEADING_DIVS = "div[class*=head], div[class*=title]"
_MAX_HEADING = 200  # a "heading" div longer than this is a container, not a heading


@dataclass
class TableContext:
    """What a reader sees around a table: the heading and the paragraphs above it."""

    heading: str = ""
    paragraph: str = ""
    page_split: str = ""  # the split the page says its official scores are on ("hidden test set")


@dataclass
class TableLabels:
    """The labels a table's context gives its results ("" where it gives none)."""

    dataset: str = ""
    config: str = ""
    split: str = ""
    metric: str = ""


def _clean(text: str) -> str:
    return " ".join(text.split())


def _inside(node: Any, test: Any) -> bool:
    parent = node.parent
    while parent is not None:
        if test(parent):
            return True
        parent = parent.parent
    return False


def _in_table(node: Any) -> bool:
    return _inside(node, lambda n: n.tag == "table")


def _is_heading_div(node: Any) -> bool:
    """A div drawn as a heading: short, holding no table and no real heading of its own."""
    return (node.tag == "div" and node.css_first("table, h1, h2, h3, h4, h5, h6") is None
            and 0 < len(_clean(node.text(separator=" "))) <= _MAX_HEADING)


def _parser(html: str | bytes) -> Any:
    """A lexbor parse of a page (bytes decoded as :func:`.http.decode_body` does)."""
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(decode_body(html) if isinstance(html, bytes) else html)


def _page_name(tree: Any) -> str:
    """The first ``<h1>`` before the first table, else the ``<title>`` (less a "| Site")."""
    for node in tree.css("h1, table"):
        if node.tag == "table":
            break
        text = _clean(node.text())  # "SQuAD<span>2.0</span>" is one word
        if text:
            return named_dataset(text) or text
    title = tree.css_first("title")
    return _clean(title.text()).split(" | ")[0].strip() if title is not None else ""


def page_context(html: str | bytes) -> tuple[str, list[TableContext]]:
    """(the page's name, the context of each ``<table>`` in document order).

    Paragraphs are those since the last heading (an empty heading is no heading).
    """
    tree = _parser(html)
    contexts: list[TableContext] = []
    heading, paragraphs = "", []
    for node in tree.css(f"h1, h2, h3, h4, h5, h6, p, table, {_HEADING_DIVS}"):
        if node.tag == "table":
            contexts.append(TableContext(heading, "" if _in_table(node)
                                         else " ".join(paragraphs[-3:])))
            if not _in_table(node):
                paragraphs = []
        elif _in_table(node) or (node.tag == "div" and not _is_heading_div(node)):
            continue
        elif node.tag == "p":
            if not _inside(node, _is_heading_div):
                paragraphs.append(_clean(node.text(separator=" ")))
        elif text := _clean(node.text(separator=" ")):
            heading, paragraphs = text, []
    official = _split_of(_clean(tree.body.text(separator=" ")) if tree.body else "",
                         pattern=_OFFICIAL_SPLIT)
    for context in contexts:
        context.page_split = official
    return _page_name(tree), contexts


def named_dataset(text: str) -> str:
    """A heading's dataset name: the text less generic words ("" if nothing is left).

    >>> named_dataset("SQuAD1.1 Leaderboard"), named_dataset("Test Set Leaderboard")
    ('SQuAD1.1', '')
    >>> named_dataset("Leaderboard - ScienceQA"), named_dataset("Is it fair?")
    ('ScienceQA', '')
    """
    if not text or text.rstrip().endswith("?"):
        return ""
    if not re.search(r"[A-Za-z0-9]", _GENERIC_WORDS.sub(" ", text)):
        return ""
    return re.sub(r"\s+", " ", re.sub(r"\bleaderboard\b", "", text, flags=re.I)).strip(" :-–,")


def _mentions(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` as a word ("SQuAD" is not in "SQuAD2.0 results")."""
    return bool(name) and re.search(
        r"(?<![a-z0-9])" + re.escape(name.lower()) + r"(?![a-z0-9]|\.\d)", text.lower()) is not None


def _heading_labels(text: str, page: str) -> tuple[str, str]:
    """(dataset, setting) a heading names.

    >>> _heading_labels("Leaderboard (Distractor Setting)", "HotpotQA")
    ('HotpotQA', 'Distractor')
    >>> _heading_labels(r"Leaderboard: CIFAR-10, \\( \\ell_\\infty = 8/255 \\), AutoAttack", "")
    ('CIFAR-10', '\\\\ell_\\\\infty = 8/255')
    """
    text = _clean(_MATH.sub(" ", text))
    setting = ""
    for inner in _PAREN.findall(text):
        if _SETTING.search(inner) and not setting:
            setting = _SETTING.sub(" ", inner).strip()
    if _mentions(text, page):
        return page, setting
    bare = _RANKED_BY.sub("", _PAREN.sub("", text)).strip()
    found = _LEADERBOARD_OF.search(bare)
    parts = [part.strip() for part in (found.group("rest") if found else bare).split(",")]
    dataset = named_dataset(parts[0])
    if dataset and len(parts) > 1 and not setting:
        setting = parts[1]
    return dataset or page, setting


def _split_of(*texts: str, pattern: re.Pattern[str] = _SPLIT_PHRASE) -> str:
    """The split the first text naming exactly one names."""
    for text in texts:
        found = {SPLIT_WORDS[next(g for g in m.groups() if g).lower()]
                 for m in pattern.finditer(text)}
        if len(found) == 1:
            return found.pop()
    return ""


def _metric_of(*texts: str) -> str:
    """The one metric the texts name in words, else ""."""
    names = set()
    for text in texts:
        if reported := _REPORTED.search(text):
            return _metric_of(reported.group("metric")) or reported.group("metric")
        for match in _TEXT_METRIC.finditer(text):
            word = match.group(1).lower()
            names.add("accuracy" if word.startswith("accurac") else canonical_name(
                re.sub(r"[- ]scores?$", "", word)))
    return names.pop() if len(names) == 1 else ""


def table_labels(page: str, context: TableContext, caption: str = "") -> TableLabels:
    """Dataset, setting, split and metric of a table, from its caption, heading, paragraphs
    and the page's name (see the module's docstring)."""
    dataset, config = _heading_labels(caption, "") if caption else ("", "")
    if not dataset and context.heading:
        dataset, setting = _heading_labels(context.heading, page)
        config = config or setting
    return TableLabels(dataset=dataset or page, config=config,
                       split=_split_of(caption, context.heading, context.paragraph)
                       or context.page_split,
                       metric=_metric_of(caption, context.heading, context.paragraph))
