"""What a reader sees around a table on a leaderboard page, and the labels it gives the table.

A page names its tables' dataset, setting, split and metric in text near them, not in the table:
a heading (``<h2>``, or a ``<div class="card-header">`` / ``<div class="heading">`` drawn as
one), the paragraphs under it, the caption, and the page's own name (its ``<h1>`` before the
first table, else its ``<title>``). :func:`table_labels` reads them as a careful reader does:

* the dataset is the one the heading names ("Leaderboard on MathVista (test)", "Leaderboard:
  CIFAR-10, ℓ∞ = 8/255"), the page's name when the heading mentions it or names none;
* the setting is a heading's "(Distractor Setting)" or the part after the dataset's comma;
* the split is a phrase ("test set", "Test Set Leaderboard", "(test)", "the test subset"),
  else the one the page says its scores come from ("official scores on the hidden test set",
  "Rankings are determined by the accuracy on the entire test set", "email the prediction
  file of the test set"); a word the text puts before "set" ("the test and challenge set")
  names a set a column group may stand for;
* the metric is the measure a heading names ("Leaderboard - Execution Accuracy (EX)"), else
  the one metric the caption, heading or paragraphs name ("Accuracy scores on ...", "The
  accuracies over ..."), else the one metric the page's running text names, for columns that
  name a subset rather than a metric;
* a table inside a tab's panel has the tab's label ("Lite", "Retrieval") as the config of its
  columns that name no subset; a task heading ("Question Answering Task") is the config under
  the page's dataset.

Example:
    >>> html = ("<h1>MathVista</h1><h2>Leaderboard on MathVista (test)</h2><p>Accuracy "
    ...         "scores on the test subset.</p><table><tr><td>x</td></tr></table>")
    >>> name, contexts = page_context(html)
    >>> labels = table_labels(name, contexts[0])
    >>> labels.dataset, labels.config, labels.split, labels.metric
    ('MathVista', '', 'test', 'accuracy')
    >>> _split_of("Leaderboard on MDI-Benchmark (testmini)")  # a heading's split, in brackets
    'testmini'
    >>> _split_of("Accuracy scores on the testmini subset of MathVerse.")
    'testmini'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from ..metrics import canonical_name
from .http import decode_body
from .outcome import SPLIT_WORDS, folded

__all__ = ["TableContext", "TableLabels", "page_context", "table_labels", "named_dataset",
           "longer_name", "shown_measure"]

_GENERIC_WORDS = re.compile(
    r"\b(leader\s*boards?|results?|rankings?|scores?|performance|benchmarks?|tables?|sets?|splits?|"
    r"test(ing)?|dev(elopment)?|validation|official|top|overall|the|of|on|and|best|models?|"
    r"current|state[- ]of[- ]the[- ]art|sota|submissions?|here|are|all|baselines?|scoreboards?)\b",
    re.I)
_SPLIT = r"(test[a-z]*|dev(?:elopment)?|validation)"  # "testmini subset" is its own split
_SPLIT_PHRASE = re.compile(
    rf"\b{_SPLIT}\s+(?:sets?|splits?|subsets?|leaderboard)\b|\(\s*(test[a-z]*|dev|validation|val)\s*\)"
    rf"|\b{_SPLIT}\s+(?:and|or|&|/)\s+(?={_SPLIT}\s+sets?\b)"  # "the test and dev sets"
    r"|\bon\s+(?:the\s+)?(eval|dev|test|validation)\s*(?:$|[.,;)])", re.I)  # "… on Eval"
# How a page's split words read: as :data:`SPLIT_WORDS`, but "Eval" is the evaluation set a
# leaderboard scores on (MS MARCO's train/dev/eval), not the validation set: it stays "eval".
_PAGE_SPLITS = {**SPLIT_WORDS, "eval": "eval"}
# A metric named in running text ("Accuracy scores on", "The accuracies over", "F1 on").
_TEXT_METRIC = re.compile(
    r"\b(accurac(?:y|ies)|exact[- ]match|f1(?:[- ]scores?)?|bleu|rouge(?:-?[12l])?|pass\s+rate|"
    r"word error rate|wer|cer|perplexity|pass@\d+|mrr|ndcg|map|cider(?:-d)?|spice|meteor)\b",
    re.I)
# A measure the text gives something other than the models' answers: the grader's ("88.4% judge
# accuracy", "annotator accuracy") or the quality a benchmark asks for ("maintain factual
# accuracy", "Assess factual accuracy"): no measure of the table.
_NOT_THE_MODELS = re.compile(r"(?i)\b(?:factual|judge|judges|annotators?|annotation|"
                             r"labell?ing|graders?)\s+$")
# Measures whose names are English words too: in lower case in running text they are the word.
_ALSO_A_WORD = frozenset({"map", "spice", "meteor"})
# "we report AveR for each task": the one metric of every column, whatever its name.
_REPORTED = re.compile(r"\breport(?:s|ed)?\s+(?:the\s+)?(?P<metric>[A-Za-z][\w@\-]*)\s+"
                       r"(?:for|on|of|over)\s+(?:each|every|all)\b", re.I)
# How a leaderboard page says where its official scores come from: "official scores on the
# hidden test set", what it ranks by ("Rankings are determined by the accuracy on the entire
# test set") or what it asks submitters for ("email the prediction file of the test set",
# "submit your own work for evaluation against the test set"), also with the set named first
# ("To evaluate your model on the test set, submit …") or by the name of a part of the data
# ("the answers for Self RC test set"); a sample prediction file ("Sample Prediction Files on
# Dev Set") shows the format, it names no split.
_OFFICIAL_SPLIT = re.compile(
    r"\b(?:official|hidden|private|blind)\b[^.]{0,40}?\b(test|dev|validation)\s+sets?\b"
    r"|\b(?:rankings?|submi(?:t|ts|tted|ssions?))\b[^.:;]{0,60}?\b(test|dev|validation)"
    r"\s+sets?\b"
    r"|(?<!sample\s)(?<!example\s)\b(?:predictions?|answers)(?:\s+files?)?\s+(?:of|on|for)\s+"
    r"(?:the\s+)?(?:[A-Z][\w\-]*\s+){0,2}(test|dev|validation)\s+sets?\b"  # "for Self RC test set"
    r"|\b(test|dev|validation)\s+sets?\s*,\s*(?:please\s+)?submit\b"  # "on the test set, submit"
    # a test set kept from the public: "we do not release the test sets … we can run it on the
    # test sets for you", "the test set has now been released publicly" (the contest is over)
    r"|\bnot\s+release\s+the\s+(test)\s+sets?\b|\brun\s+(?:it|them)\s+on\s+the\s+(test)\s+sets?\b"
    r"|\b(test)\s+sets?\s+(?:has|have)\s+(?:now\s+)?been\s+released\b",
    re.I)
# "the test and challenge set", "CMRC 2018 challenge set": the names a page gives its sets.
_NAMED_SET = re.compile(r"\b([A-Za-z][\w\-]{2,20})\s+(?:and\s+(?P<second>[A-Za-z][\w\-]{2,20})"
                        r"\s+)?sets?\b")
_MATH = re.compile(r"\\[()\[\]]")  # MathJax delimiters \( \) \[ \]
_PAREN = re.compile(r"\s*\(([^()]*)\)")
_SETTING = re.compile(r"(?i)\s*\bsettings?\b\s*")
_RANKED_BY = re.compile(r"(?i)\branked\s+by\b.*$")
_LEADERBOARD_OF = re.compile(r"(?i)\bleader\s*boards?\b\s*(?:on|for|of|[:\-–—])\s*(?P<rest>.+)$")
#: Elements drawn as headings by class (``card-header``, ``heading``, ``section-title``).
_HEADING_DIVS = "div[class*=head], div[class*=title]"
# Words naming the event a leaderboard belongs to, not its data.
_EVENT = re.compile(r"(?i)\b(?:\d+(?:st|nd|rd|th)|workshops?|challenges?|competitions?|"
                    r"shared\s+tasks?)\b|&(?=\s*(?:challenge|workshop|competition)s?\b)")
# How a site frames its own name: a greeting before it, "Homepage"/"Project Page" after it.
_SITE_FRAME = re.compile(r"(?i)^welcome\s+to\b(?:\s+the\b)?\s*|(?<=\S)\s+(?:home\s*page|"
                         r"project\s+page|web\s*site|official\s+(?:web\s*)?site)$")
_TITLE_PARTS = re.compile(r"\s+[|\-–—]\s+")  # "KLEJ Benchmark - Leaderboard", "X | Site"
# A heading that names the table's metric ("Leaderboard - Execution Accuracy (EX)"): a phrase
# ending in a measure word, with its abbreviation in parentheses if printed.
# "Exact Set Match without Values", "Execution with Values": the measure, then what it counts.
_MEASURE = re.compile(r"(?i)\b(accurac(?:y|ies)|scores?|rates?|errors?|precision|recall|f1|"
                      r"match(?:es)?|execution)\s*(?:\bwith(?:out)?\s+\w+\s*)?"
                      r"(?:\(\s*(?P<short>[A-Za-z][\w@\-]{0,11})\s*\))?\s*$")
# A heading naming a task, not a dataset ("Question Answering Task", "Passage Retrieval"):
# the task is the table's config under the page's dataset.
# A task's name may go on with what it works from ("Response Generation from SQL and Query
# Results"): that is still the task.
_TASK = re.compile(r"(?i)^(?P<task>.*?\b(?:answering|extraction|generation|classification|"
                   r"retrieval|ranking|captioning|translation|summari[sz]ation|recognition|"
                   r"detection|segmentation|parsing|tagging|tracking|prediction|(?<=\s)qa)"
                   r"(?:\s+(?:from|of|for|with|on)\s+\S.*?)?)(?:\s+(?:tasks?|tracks?))?$|"
                   r"^(?P<named>.+?)\s+(?:tasks?|tracks?)$")
# A heading naming the measures a table reports ("📊 Answer Quality Metrics") or how it was
# scored ("Evaluation Methodology"), not the data it was scored on.
_MEASURES_HEADING = re.compile(r"(?i)\b(?:metrics|measures|methodology)\s*$")
# A heading naming a section of the page or the kind of result under it, not data: a numbered
# part ("Subtask 1: Stroke Detection", "Track 2 - Retrieval": what follows is the part, the
# table's config) or results as such ("Main Result", "All Results of LLMs").
_NUMBERED_PART = re.compile(r"(?i)^(?:sub[- ]?)?(?:tasks?|tracks?|parts?|sections?|experiments?)"
                            r"\s*\d+[a-z]?\s*[:.\-–—]\s*(?P<rest>\S.*)$")
_RESULT_KIND = re.compile(r"(?i)^(?:(?:main|all|overall|detailed|full|additional|more)\s+)?"
                          r"(?:experimental\s+)?results?(?:\s+(?:of|on|for)\s+(?:the\s+)?"
                          r"(?:all\s+)?(?:llms?|models?|methods?|baselines?|systems?))?$")
# The sections of a paper's page ("Abstract", "Our Solution"): they name no part of its data.
_PAPER_SECTION = re.compile(r"(?i)^(?:abstract|introduction|overview|background|motivation|"
                            r"related\s+works?|methods?|methodology|approach|conclusions?|"
                            r"summary|tl;\s*dr|our\s+(?:solution|approach|method|framework))$")
_MAX_HEADING = 200  # a "heading" div longer than this is a container, not a heading


@dataclass
class TableContext:
    """What a reader sees around a table: the heading and the paragraphs above it."""

    heading: str = ""
    paragraph: str = ""
    page_split: str = ""  # the split the page says its official scores are on ("hidden test set")
    below: str = ""  # a paragraph right under the table, before any other table or heading
    tab: str = ""  # the label of the tab that shows the table, if it sits in one
    page_metric: str = ""  # the one metric the page's text names, if it names one only
    # A button switching between a shown and a hidden table ("Validation Set Leaderboard
    # (Click to Switch)"): the shown one is on the split it names, the hidden one on the other
    # split the text above them names ("… our validation and test sets").
    shown_split: str = ""
    hidden_besides: str = ""  # for the hidden table: the split the button names
    switch_text: str = ""  # the paragraphs above the button
    outer: str = ""  # the heading before the table's heading ("BIRD Mini-Dev" over "Mini Dev")
    # The ranks of the two (2 for <h2>; 0 for a heading drawn by a div's class): an <h2>
    # before an <h2> is the section before the table's, not a section holding it.
    heading_rank: int = 0
    outer_rank: int = 0
    intro: str = ""  # what the text right before the table introduces it as ("…of <b>X</b>:")
    defined_measures: frozenset[str] = frozenset()  # abbreviations the text defines as measures
    named_sets: frozenset[str] = frozenset()  # words the text calls sets ("challenge set")
    running: str = ""  # the page's text outside its tables
    several: bool = False  # the page names itself as several benchmarks ("ReferIt3D Benchmarks")
    as_named: str = ""  # the page's name as printed (its first <h1>, else its <title>)
    shown_version: str = ""  # the version of the page's name its navigation shows ("FewRel 2.0")


@dataclass
class TableLabels:
    """The labels a table's context gives its results ("" where it gives none)."""

    dataset: str = ""
    config: str = ""
    split: str = ""
    metric: str = ""
    tab: str = ""  # the tab the table sits in: the config of columns naming no subset
    page_metric: str = ""  # the one metric the page's running text names (the last resort)
    measure: str = ""  # the measure a heading names ("Execution with Values"), if it names one
    defined_measures: frozenset[str] = frozenset()  # "LCR" of "Logic Correctness Rate (LCR)"
    named_sets: frozenset[str] = frozenset()  # "challenge" of "the test and challenge set"
    running: str = ""  # the page's text outside its tables (names a column shortens)
    measures_heading: bool = False  # the heading calls the columns measures ("… Metrics")
    topic: str = ""  # a heading naming a topic of the page, not data ("Costs and Efficiency")
    # the one measure a numbered title gives every cell ("… AUC improvement (%) over …"): the
    # columns then name conditions only ("City A / Acc" is the config "City A, Acc")
    cells_measure: str = ""


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


# Text a page prints for screen readers only (Bootstrap's and VuePress' "sr-only", WordPress'
# "screen-reader-text", "visually-hidden"): "(opens new window)" after each outbound link.
_SCREEN_READER_ONLY = ".sr-only, .visually-hidden, .screen-reader-text, .visuallyhidden"
# The permalink a docs generator puts in a heading (VuePress' "header-anchor", Sphinx's
# "headerlink"): a bare "#", "¶" or "§" that names nothing.
_PERMALINK = re.compile(r"^\s*[#¶§🔗]?\s*$")


def _drop_unprinted(tree: Any) -> Any:
    """``tree`` less the text its page does not print for a reader: screen-reader-only spans
    and the permalink anchors of headings.

    >>> _drop_unprinted(_parse('<td>NeurST<span class="sr-only">(opens new window)</span></td>'
    ...                        )).body.text()
    'NeurST'
    >>> _drop_unprinted(_parse('<h3><a href="#l" class="header-anchor">#</a> libri-trans</h3>'
    ...                        )).body.text().strip()
    'libri-trans'
    """
    for node in tree.css(_SCREEN_READER_ONLY):
        node.decompose()
    for node in tree.css("h9 > a[href^='#'], h2 > a[href^='#'], h3 > a[href^='#'], "
                         "h4 > a[href^='#'], h5 > a[href^='#'], h6 > a[href^='#']"):
        if _PERMALINK.match(node.text() or ""):
            node.decompose()
    return tree


def _parse(html: str) -> Any:
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(html)


def _parser(html: str | bytes) -> Any:
    """A lexbor parse of a page (bytes decoded as :func:`.http.decode_body` does), less the
    text the page does not print (:func:`_drop_unprinted`)."""
    return _drop_unprinted(_parse(decode_body(html) if isinstance(html, bytes) else html))


def _page_name(tree: Any) -> str:
    """The first ``<h1>`` before the first table, else the ``<title>`` (less a "| Site"); where
    the two name the page with one stem and two suffixes ("BIRD-SQL", "BIRD-bench"), the stem."""
    if subject := _topic_page_subject(tree):  # "Leaderboard for LLM robustness": the text's name
        return subject
    heading, title = _heading_name(tree), _title_name(tree)
    name = _shared_stem(heading, title) or heading or title
    return (_described_name(tree) if len(name.split()) >= _SENTENCE_WORDS else "") or name


_SENTENCE_WORDS = 6  # a page "name" of this many words or more is a paper's title, no name
_DESCRIPTIONS = 'meta[name="description"], meta[property="og:description"]'


def _described_name(tree: Any) -> str:
    """The name a paper's page gives its benchmark in its description, where its title is a
    sentence ("When Slower Isn't Truer: Inverse Scaling Law …" over the description
    "TruthfulVQA: A Benchmark for …"); "" where no description opens with a name.

    >>> _described_name(_parser('<meta name="description" content="TruthfulVQA: A Benchmark '
    ...                         'for Evaluating Truthfulness">'))
    'TruthfulVQA'
    >>> _described_name(_parser('<meta name="description" content="A training-free path">'))
    ''
    """
    for meta in tree.css(_DESCRIPTIONS):
        text = _clean(meta.attributes.get("content") or "")
        if (name := _own_name(text)) != text:
            return name
    return ""


# "Leaderboard for LLM robustness": what a board is for, a topic in lower case, not a name.
_BOARD_FOR_TOPIC = re.compile(r"(?i:leader\s*boards?|results?|rankings?)\s+(?:for|of|on)\s+"
                              r"(?:\S+\s+)*?[a-z][a-z\-]{3,}$")
# The coined name a page's first paragraph opens with ("PromptBench can evaluate …"): a word
# with a capital or digit inside it, then a verb.
_OPENING_NAME = re.compile(r"^(?:The\s+)?(?P<name>[A-Z][a-z]*[A-Z0-9][\w\-.]*)\s+(?:is|are|can|"
                           r"evaluates|measures|provides|offers|benchmarks|tests)\b")


def _topic_page_subject(tree: Any) -> str:
    """The page's name where its ``<h1>`` names only what the board is for ("Leaderboard for
    LLM robustness"): the coined name its first paragraph opens with ("PromptBench can
    evaluate …"), else "".

    >>> _topic_page_subject(_parser("<h1>Leaderboard for LLM robustness</h1><p>PromptBench "
    ...                             "can evaluate the robustness of LLMs.</p>"))
    'PromptBench'
    >>> _topic_page_subject(_parser("<h1>Leaderboard for SQuAD</h1><p>SQuAD is a set.</p>"))
    ''
    """
    heading = tree.css_first("h1")
    if heading is None or not _BOARD_FOR_TOPIC.fullmatch(_clean(heading.text())):
        return ""
    for paragraph in tree.css("p"):
        text = _clean(paragraph.text())
        if text:
            found = _OPENING_NAME.match(text)
            return found.group("name") if found else ""
    return ""


def _heading_name(tree: Any) -> str:
    for node in tree.css("h1, table"):
        if node.tag == "table":
            break
        text = _own_name(_clean(node.text()) or _image_names(node))  # "SQuAD<span>2.0</span>"
        # A bare "Leaderboard" <h1> over "SciCode Leaderboard" names no data: read on.
        if text and not re.search(r"[A-Za-z0-9]", _GENERIC_WORDS.sub(" ", text)):
            continue
        if text.endswith("?"):  # "Can an AI solve a murder?": a tagline asks, a name does not
            return ""
        if text:
            return _expanded(named_dataset(text) or text, tree)
    return ""


def _shown_text(node: Any) -> str:
    """A heading's text less what the page hides: the permalink a docs or blog generator puts
    in each heading (Hugo's ``<a hidden class=anchor aria-hidden=true>#</a>``, Sphinx's and
    MkDocs' ``¶`` "headerlink") is no part of the heading's name.

    >>> _shown_text(_parser('<h1>Model Quality<a hidden aria-hidden=true href=#m>#</a></h1>'
    ...                     ).css_first("h1"))
    'Model Quality'
    >>> _shown_text(_parser('<h2>Results<a class="headerlink" href="#r">¶</a></h2>'
    ...                     ).css_first("h2"))
    'Results'
    """
    text = _clean(node.text(separator=" "))
    hidden = [_clean(link.text(separator=" ")) for link in node.css(
        "[hidden], [aria-hidden=true], a.headerlink, a.anchor")]
    for part in filter(None, hidden):
        if text.endswith(part):
            text = text[:-len(part)].rstrip()
        elif text.startswith(part):
            text = text[len(part):].lstrip()
    return text


def _printed_name(tree: Any) -> str:
    """The page's name as printed: its first non-empty ``<h1>``, else its ``<title>``. Where
    it calls the page several benchmarks ("ReferIt3D Benchmarks" over an "Nr3D Challenge" and
    an "Sr3D Challenge"), each section names a dataset of its own, not a part of the page's
    data, even where the text offers each one's test set.

    >>> _printed_name(_parser("<title>X</title><h1><b>ReferIt3D Benchmarks</b></h1>"))
    'ReferIt3D Benchmarks'
    >>> _printed_name(_parser("<title>KLEJ</title><p>x</p>")), _printed_name(_parser("<p>x</p>"))
    ('KLEJ', '')
    """
    heading = next((_clean(node.text()) for node in tree.css("h1") if _clean(node.text())), "")
    title = tree.css_first("title")
    return heading or (_clean(title.text()) if title is not None else "")


def _image_names(node: Any) -> str:
    """What a heading drawn as an image says: its images' ``alt`` texts (``<h1><img
    alt="KorQuAD 1.0"></h1>``), as a reader who cannot see the image is told.

    >>> _image_names(_parser('<h1> <img src="logo.png" alt="KorQuAD 1.0"> </h1>').css_first("h1"))
    'KorQuAD 1.0'
    """
    return _clean(" ".join(img.attributes.get("alt") or "" for img in node.css("img")))


def _title_name(tree: Any) -> str:
    title = tree.css_first("title")
    if title is None:
        return ""
    # "DS-1000: A Natural and Reliable Benchmark for …": the name before the subtitle
    parts = [_own_name(part.strip()) for part in _TITLE_PARTS.split(_clean(title.text()))]
    return next((named for part in parts if (named := named_dataset(part))), parts[0])


def _shared_stem(one: str, other: str) -> str:
    """The name of a page that calls itself "X-bench" in one place and "X-<something>" in the
    other ("BIRD-bench", "BIRD-SQL"): X, as "X Benchmark" is X ("" otherwise: "MMMU-Pro" and
    "MMMU-bench" would be two things only if neither were the benchmark's own name).

    >>> _shared_stem("BIRD-SQL", "BIRD-bench"), _shared_stem("SWE-bench", "SWE-bench")
    ('BIRD', '')
    >>> _shared_stem("MMMU-Pro", "MMMU-Pro"), _shared_stem("Spider-2", "Spider-1")
    ('', '')
    """
    a, b = one.split("-"), other.split("-")
    if len(a) != 2 or len(b) != 2 or a[0] != b[0] or a[1] == b[1] or len(a[0]) < 3:
        return ""
    return a[0] if {a[1].lower(), b[1].lower()} & {"bench", "benchmark"} else ""


# "🏟️ OlympicArena: Benchmarking Multi-discipline …": the name before the colon, less symbols
_SUBTITLE = re.compile(r"^(?P<name>[^:]{1,40}?)\s*:\s+\S.{10,}$")


def _own_name(text: str) -> str:
    """A page heading's name: less the symbols before it and a subtitle after a colon.

    >>> _own_name("🏟️ OlympicArena: Benchmarking Multi-discipline Cognitive Reasoning")
    'OlympicArena'
    >>> _own_name("SQuAD2.0"), _own_name("Leaderboard: ImageNet classification results")
    ('SQuAD2.0', 'Leaderboard: ImageNet classification results')
    """
    text = re.sub(r"^[^\w(\[]+", "", text).strip()
    found = _SUBTITLE.match(text)
    name = found.group("name") if found else ""
    return name if name and len(name.split()) <= 4 and named_dataset(name) else text


def _expanded(name: str, tree: Any) -> str:
    """The page's full name for a clipped one it defines ("MATH-Vision (MATH-V)"): the word
    just before "(name)" in its text that the name shortens. An acronym ("Stanford Question
    Answering Dataset (SQuAD)") is the name the page goes by, and stays."""
    if not name or len(name) > 20 or tree.body is None:
        return name
    text = _clean(tree.body.text(separator=" "))
    for found in re.finditer(r"([\w\-.]+)\s*\(\s*" + re.escape(name) + r"\s*\)", text):
        if _shortens(name, found.group(1)):
            return found.group(1)
    return name


def _shortens(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` cut short (letters and digits compared).

    >>> _shortens("MATH-V", "MATH-Vision"), _shortens("SQuAD", "Dataset")
    (True, False)
    >>> _shortens("BIRD", "BIRD"), _shortens("EX", "Execution")
    (False, False)
    """
    a, b = folded(short), folded(long)
    return len(a) >= 3 and len(b) > len(a) and b.startswith(a)


_CURRENT_CLASS = re.compile(r"(?i)\b(?:active|current|selected)\b")
_COLOURED = re.compile(r"(?i)(?:^|;)\s*color\s*:")
# "FewRel 2.0 None-of-the-Above Detection" on FewRel: the page's name, then a version
_VERSION = r"\s*(?:v(?:er(?:sion)?)?\.?\s*)?\d+(?:\.\d+)*(?![\w.])"


def _marked_current(link: Any, siblings: list[Any]) -> bool:
    """Whether a navigation link is styled as the page shown: ``aria-current``, an "active" or
    "current" class, or the one inline colour among its sibling links (``style="color:
    white"``)."""
    attrs, item = link.attributes, link.parent.attributes if link.parent else {}
    if attrs.get("aria-current") not in (None, "false") or _CURRENT_CLASS.search(
            f'{attrs.get("class") or ""} {item.get("class") or ""}'):
        return True
    coloured = [other for other in siblings
                if _COLOURED.search(other.attributes.get("style") or "")]
    return len(siblings) > 2 and coloured == [link]


def _current_nav_label(tree: Any) -> str:
    """The label of the one navigation link styled as the page shown, else ""."""
    found: list[str] = []
    for menu in tree.css("nav ul, nav ol, ul.nav, ul.navbar-nav"):
        if menu.attributes.get("role") == "tablist" or re.search(
                r"(?i)tab|pill", menu.attributes.get("class") or ""):
            continue  # the tabs of one page ("Lite | Verified"), not the site's pages
        links = [item.css_first("a") for item in menu.iter() if item.tag == "li"]
        links = [link for link in links if link is not None]
        found += [_clean(link.text(separator=" ")) for link in links
                  if _marked_current(link, links)]
    return found[0] if len(set(found)) == 1 else ""


def _current_version(name: str, tree: Any, running: str) -> str:
    """The version of the page's dataset its navigation says the page shows ("FewRel 2.0 None-
    of-the-Above Detection" styled as the current page of the FewRel site: "FewRel 2.0"), where
    the text names that version as a dataset ("… in FewRel 2.0 dataset"); else the name. A
    site's pages share its name: the link styled as the one shown tells which page this is.

    >>> tree = _parser('<nav><ul><li><a>Home</a></li><li><a>X 1.0</a></li><li><a style='
    ...                '"color: white">X 2.0 Hard</a></li></ul></nav><p>X 2.0 dataset</p>')
    >>> _current_version("X", tree, "the X 2.0 dataset"), _current_version("X", tree, "X")
    ('X 2.0', 'X')
    """
    label = _current_nav_label(tree) if name else ""
    found = re.match(re.escape(name) + _VERSION, label, re.I)
    if not found:
        return name
    version = found.group(0)
    named = re.search(r"(?i)(?<![\w.])" + re.escape(version)
                      + r"\s+(?:dataset|benchmark|corpus|leaderboard)\b", running)
    return version if named else name


_BLOCK_TAGS = frozenset({"div", "table", "p", "ul", "ol", "section", "h1", "h2", "h3", "h4",
                         "h5", "h6", "pre", "form"})
_MAX_CAPTION = 400  # a legend longer than this under a table is running text, not a caption


def _next_element(node: Any) -> Any:
    """The element after ``node`` among its siblings (text between them skipped), else None."""
    after = node.next
    while after is not None and after.tag in ("-text", "-comment"):
        after = after.next
    return after


def _caption_div(table: Any) -> str:
    """The legend a page prints in a plain ``<div>`` right under a table (or under the
    wrappers that hold only that table): "13 models — TeamBench-90, pass rate (%), …". A
    ``<div>`` with no class and no blocks inside, short, is a caption drawn without
    ``<caption>``; "" where none follows.

    >>> _caption_div(_parser('<div class=w><table></table></div><div style="x">13 models '
    ...                      '&mdash; X-90, pass rate (%)</div>').css_first("table"))
    '13 models — X-90, pass rate (%)'
    >>> _caption_div(_parser('<table></table><div class=nav>Next</div>').css_first("table"))
    ''
    """
    node = table
    for _ in range(4):
        after = _next_element(node)
        if after is not None:
            if after.tag != "div" or after.attributes.get("class") or any(
                    inner.tag in _BLOCK_TAGS for inner in list(after.traverse())[1:]):
                return ""
            text = _clean(after.text(separator=" "))
            return text if len(text) <= _MAX_CAPTION else ""
        node = node.parent
        if node is None or node.tag in ("body", "html") or len(node.css("table")) != 1:
            return ""
    return ""


def page_context(html: str | bytes) -> tuple[str, list[TableContext]]:
    """(the page's name, the context of each ``<table>`` in document order).

    Paragraphs are those since the last heading (an empty heading is no heading).
    """
    tree = _parser(html)
    contexts: list[TableContext] = []
    heading, paragraphs = "", []
    tabs = _tab_labels(tree)
    below: TableContext | None = None  # the table a paragraph next would sit right under
    switch, switch_text = "", ""  # the split a switch button names, and the text above it
    outer, rank, outer_rank = "", 0, 0
    for node in tree.css(f"h1, h2, h3, h4, h5, h6, p, table, button, {_HEADING_DIVS}"):
        if node.tag == "table":
            inner = _in_table(node)
            contexts.append(TableContext(heading, "" if inner else " ".join(paragraphs[-3:]),
                                         tab=_tab_of(node, tabs), outer=outer,
                                         heading_rank=rank, outer_rank=outer_rank,
                                         intro="" if inner else _introduced_as(node),
                                         below="" if inner else _caption_div(node)))
            if switch and not inner:
                if _is_hidden(node):  # the switch's other table: the pair is complete
                    contexts[-1].hidden_besides, contexts[-1].switch_text = switch, switch_text
                    switch = ""
                else:
                    contexts[-1].shown_split = switch
            if not inner:
                paragraphs, below = [], contexts[-1]
        elif _in_table(node) or (node.tag == "div" and not _is_heading_div(node)):
            continue
        elif node.tag == "button":
            if found := _split_of(_clean(node.text(separator=" "))):
                switch, switch_text = found, " ".join(paragraphs[-3:])
        elif node.tag == "p":
            if not _inside(node, _is_heading_div):
                paragraphs.append(_clean(node.text(separator=" ")))
                if below is not None:
                    below.below, below = paragraphs[-1], None
        elif text := _shown_text(node):
            outer, heading, paragraphs, below, switch = heading, text, [], None, ""
            outer_rank, rank = rank, _rank(node)
    official = _split_of(_clean(tree.body.text(separator=" ")) if tree.body else "",
                         pattern=_OFFICIAL_SPLIT)
    running = _text_outside_tables(tree)
    measure, defined = _metric_of(running), _defined_measures(running)
    sets, printed = _named_sets(running), _printed_name(tree)
    several = re.search(r"(?i)\bbenchmarks\b", printed) is not None
    for context in contexts:
        context.page_split, context.page_metric = official, measure
        context.defined_measures, context.named_sets = defined, sets
        context.running, context.several, context.as_named = running, several, printed
    name = _page_name(tree)
    version = _current_version(name, tree, running)
    for context in contexts:
        context.shown_version = version if version != name else ""
    return version, contexts


# "Logic Correctness Rate (LCR)": a measure the text names, with the abbreviation it goes by
_DEFINED_MEASURE = re.compile(
    r"\b(?:[A-Z][\w\-]*\s+){0,4}(?:Rate|Score|Accuracy|Error|Precision|Recall|Ratio)\s*"
    r"\(\s*(?P<short>[A-Z][A-Za-z0-9@\-]{1,11})\s*\)")


# Capitalised words that start a sentence or a caption rather than a name.
# words that open a phrase, not a name ("Across COCO", "Unlike MMLU", "On both GSM8K")
_NOT_A_NAME_WORD = frozenset({"the", "our", "this", "that", "these", "a", "an", "in", "on", "of",
                              "for", "and", "or", "with", "table", "figure", "see", "we", "new",
                              "across", "over", "under", "from", "to", "at", "by", "via", "per",
                              "unlike", "against", "between", "among", "beyond", "without",
                              "both", "all", "each", "every", "only", "also", "while", "when",
                              "where", "here", "there", "then", "thus", "however", "overall",
                              "compared", "besides", "beside", "including", "like", "as"})


def longer_name(name: str, text: str, measure: str = "") -> str:
    """The name a page's text always prints a short column name as ("Arena" of "Arena Elo
    Rating" is "Chatbot Arena" where every "Arena" of the text follows "Chatbot"), else the
    name as it is. Where the column prints its ``measure`` after the name ("Arena Elo"), the
    text quoting that header ("correlations with Arena Elo") says nothing of the long name.

    >>> longer_name("Arena", "votes from Chatbot Arena. Try the Chatbot Arena demo")
    'Chatbot Arena'
    >>> longer_name("MMLU", "3. MMLU, a widely adopted benchmark"), longer_name("Arena", "")
    ('MMLU', 'Arena')
    >>> text = "Chatbot Arena is costly. MixEval correlates with Arena Elo and Chatbot Arena Elo"
    >>> longer_name("Arena", text, "Elo"), longer_name("Arena", text)
    ('Chatbot Arena', 'Arena')
    >>> longer_name("COCO", "Across COCO and LVIS, gains hold")
    'COCO'
    """
    if not name or " " in name.strip() or len(name) < 3 or not text:
        return name
    quoted = r"(?!\s+" + re.escape(measure) + r"\b)" if measure else ""
    before = {found.group(1) or "" for found in re.finditer(
        r"(?:\b([A-Z][\w\-]*)\s+)?(?<![\w\-])" + re.escape(name) + r"(?![\w\-])" + quoted,
        text)}
    if len(before) != 1:
        return name
    word = before.pop()
    return f"{word} {name}" if word and word.lower() not in _NOT_A_NAME_WORD else name


def _named_sets(text: str) -> frozenset[str]:
    """The words a page's text puts before "set" ("the test and challenge set", "a challenge
    set"): the names of its evaluation sets, in lower case.

    >>> sorted(_named_sets("we run it on the test and challenge set for you"))
    ['challenge', 'test']
    """
    return frozenset(word.lower() for m in _NAMED_SET.finditer(text)
                     for word in (m.group(1), m.group("second")) if word)


def _defined_measures(text: str) -> frozenset[str]:
    """Abbreviations the page's text defines as measures ("… Logic Correctness Rate (LCR)").

    >>> sorted(_defined_measures("consistency (Logic Correctness Rate (LCR)) between"))
    ['LCR']
    """
    return frozenset(m.group("short") for m in _DEFINED_MEASURE.finditer(text))


_TAB_TARGETS = ("href", "data-target", "data-bs-target", "aria-controls")


_NOT_AN_INTRO = frozenset({"table", "h1", "h2", "h3", "h4", "h5", "h6", "-undef"})
_MAX_INTRO_HTML = 20_000  # a block longer than this before a table is a container, no intro


def _introduced_as(table: Any) -> str:
    """What the text right before a table, ending in a colon, introduces it as: its bold words
    before the colon ("we report results of <b>Exact Set Match without Values</b>:"), else
    its last clause ("" if the text before the table ends otherwise).

    >>> tree = _parser("<div>we report <b>Execution with Values</b>:</div><table></table>")
    >>> _introduced_as(tree.css_first("table"))
    'Execution with Values'
    """
    node = table.prev
    while node is not None and node.tag in ("-text", "p", "br") and not (node.text() or "").strip():
        node = node.prev  # blank text, and the empty <p> a <div> inside a <p> leaves behind
    if node is None or node.tag in _NOT_AN_INTRO or len(node.html or "") > _MAX_INTRO_HTML:
        return ""
    text = _clean(node.text(separator=" "))
    if not text.endswith(":"):
        return ""
    bold = [_clean(b.text(separator=" ")) for b in node.css("b, strong")]
    if bold and bold[-1] and text[:-1].rstrip().endswith(bold[-1]):
        return bold[-1]
    clause = re.split(r"[.;!?]\s+|,\s+", text[:-1])[-1]
    return re.sub(r"(?i)^(?:and|or|the|of)\s+", "", clause).strip()


def _is_hidden(node: Any) -> bool:
    """Whether the page draws ``node`` hidden until a control shows it."""
    attributes = node.attributes or {}
    classes = (attributes.get("class") or "").split()
    style = re.sub(r"\s+", "", (attributes.get("style") or "").lower())
    return "hidden" in classes or "display:none" in style or "hidden" in attributes


def _splits_named(text: str) -> set[str]:
    """Every split a text names ("our validation and test sets": validation, test)."""
    return {_PAGE_SPLITS.get(word, word) for m in _SPLIT_PHRASE.finditer(text)
            if (word := next(g for g in m.groups() if g).lower())}


def _other_split(context: TableContext) -> str:
    """The hidden table's split: the one split the text names besides the button's."""
    if not context.hidden_besides:
        return ""
    others = _splits_named(context.switch_text) - {context.hidden_besides}
    return others.pop() if len(others) == 1 else ""


def _text_outside_tables(tree: Any) -> str:
    """The page's running text: its body less its tables (a copy of the tree is cut)."""
    if tree.body is None:
        return ""
    body = _parser(tree.body.html or "")
    for table in body.css("table"):
        table.decompose()
    return _clean(body.body.text(separator=" ")) if body.body else ""


def _tab_labels(tree: Any) -> dict[str, str]:
    """{id of a tab's panel: the tab's label}: the controls (``role="tab"``, or a button/link
    inside a tab bar) that show one element of the page, by ``href="#id"``, ``data-target``,
    ``aria-controls`` or ``data-NAME="V"`` showing ``id="NAME-V"``."""
    out: dict[str, str] = {}
    for node in tree.css("[role=tab], .nav-tabs a, .nav-tabs button, .nav-pills a, "
                         ".nav-pills button, button[class*=tab], a[class*=tab], "
                         "li[class*=tab] > a"):
        label = _label(node)
        if not label or len(label) > 40:
            continue
        for name, value in (node.attributes or {}).items():
            value = (value or "").strip()
            if not value:
                continue
            if name in _TAB_TARGETS:
                if value.lstrip("#"):  # href="#" beside data-target="…" shows nothing itself
                    out.setdefault(value.lstrip("#"), label)
            elif name.startswith("data-") and name not in ("data-toggle", "data-bs-toggle"):
                out.setdefault(f"{name[5:]}-{value}", label)
    for stem, label in _paired_by_id(tree).items():
        out.setdefault(f"stem:{stem}", label)
    return out


_SCRIPT_TAGS = re.compile(r"(?i)</?(?:sub|sup)\b[^>]*>")


def _label(node: Any) -> str:
    """A control's label as printed: a sub- or superscript belongs to its word ("C<sup>3</sup>"
    is "C3", "RACE<sup>+</sup>" is "RACE+")."""
    html = node.html or ""
    if not _SCRIPT_TAGS.search(html):
        return _clean(node.text(separator=" "))
    tree = _parser(_SCRIPT_TAGS.sub("", html))
    return _clean(tree.body.text(separator=" ")) if tree.body else ""


# How hand-written tab bars name a control and the panel it shows: one stem, two suffixes
# ("squadBtn" shows "squadTable", "lite-tab" shows "lite-panel").
_CONTROL_SUFFIX = re.compile(r"(?i)[-_]?(?:btn|button|tab)$")
_PANEL_SUFFIX = re.compile(r"(?i)[-_]?(?:table|panel|pane|content|container)$")


def _paired_by_id(tree: Any) -> dict[str, str]:
    """{id stem: label} of the controls a script wires to panels by their ids (``<a
    onclick="showSQuAD()" id="squadBtn">SQuAD (EN)</a>`` showing ``<table id="squadTable">``):
    links or buttons handled by a script, ids ending in Btn/Button/Tab, two or more of them
    (one such control is a link, not a tab bar)."""
    found: dict[str, str] = {}
    for node in tree.css("a[id], button[id]"):
        attributes = node.attributes or {}
        ident = (attributes.get("id") or "").strip()
        stem = _CONTROL_SUFFIX.sub("", ident)
        href = (attributes.get("href") or "").strip()
        scripted = "onclick" in attributes or href in ("", "#") or href.startswith("javascript:")
        label = _label(node)
        if stem and stem != ident and scripted and label and len(label) <= 40:
            found.setdefault(stem.lower(), label)
    return found if len(found) >= 2 else {}


def _tab_of(table: Any, tabs: dict[str, str]) -> str:
    """The label of the tab whose panel holds ``table`` (or is it) ("" if none does)."""
    node = table
    while node is not None and tabs:
        ident = (node.attributes or {}).get("id") if node.tag != "-undef" else None
        if ident and ident in tabs:
            return tabs[ident]
        stem = _PANEL_SUFFIX.sub("", ident or "")
        if ident and stem != ident and f"stem:{stem.lower()}" in tabs:
            return tabs[f"stem:{stem.lower()}"]
        node = node.parent
    return ""


def named_dataset(text: str) -> str:
    """A heading's dataset name: the text less generic words ("" if nothing is left).

    >>> named_dataset("SQuAD1.1 Leaderboard"), named_dataset("Test Set Leaderboard")
    ('SQuAD1.1', '')
    >>> named_dataset("Leaderboard - ScienceQA"), named_dataset("Is it fair?")
    ('ScienceQA', '')
    >>> named_dataset("KLEJ Benchmark"), named_dataset("1st Anti-UAV Workshop & Challenge")
    ('KLEJ', 'Anti-UAV')
    >>> named_dataset("ReferIt3D Benchmarks")
    'ReferIt3D'
    >>> named_dataset("Challenge Leaderboard")
    ''
    >>> named_dataset("Welcome to FewRel"), named_dataset("HoVer Homepage")
    ('FewRel', 'HoVer')
    >>> named_dataset("Welcome to")
    ''
    """
    if not text or text.rstrip().endswith("?") or _MEASURES_HEADING.search(text):
        return ""
    if not re.search(r"[A-Za-z0-9]", _GENERIC_WORDS.sub(" ", text)):
        return ""
    bare = re.sub(r"\s+", " ", re.sub(r"\bleaderboard\b", "", text, flags=re.I)).strip(" :-–,")
    bare = re.sub(r"(?i)^benchmark\s+(?=\S)|(?<=\S)\s+benchmarks?$", "", bare)
    bare = _SITE_FRAME.sub("", bare)  # "Welcome to FewRel", "HoVer Homepage": the site's words
    event = _EVENT.sub(" ", bare)  # "1st Anti-UAV Workshop & Challenge": the data is Anti-UAV
    return _clean(event).strip(" &:-–,") if re.search(r"[A-Za-z0-9]", event) else ""


def _mentions(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` as a word ("SQuAD" is not in "SQuAD2.0 results")."""
    return bool(name) and re.search(
        r"(?<![a-z0-9])" + re.escape(name.lower()) + r"(?![a-z0-9]|\.\d)", text.lower()) is not None


def _heading_labels(text: str, page: str) -> tuple[str, str]:
    """(dataset, setting) a heading names.

    The part before a colon is the name ("Question Answering Task: RETIRED"); a part naming a
    measure ("… - Execution Accuracy (EX)") is the metric, not the dataset; a task ("Question
    Answering Task", "Passage Retrieval") is the setting under the page's dataset, and so is
    what a heading prints after the page's name ("MS MARCO V1").

    >>> _heading_labels("Leaderboard (Distractor Setting)", "HotpotQA")
    ('HotpotQA', 'Distractor')
    >>> _heading_labels(r"Leaderboard: CIFAR-10, \\( \\ell_\\infty = 8/255 \\), AutoAttack", "")
    ('CIFAR-10', '\\\\ell_\\\\infty = 8/255')
    >>> _heading_labels("Question Answering Task: RETIRED(03/01/2018) Leaderboard", "MS MARCO")
    ('MS MARCO', 'Question Answering')
    >>> _heading_labels("Mini Dev - Execution Accuracy (EX)", "BIRD-SQL")
    ('Mini Dev', '')
    >>> _heading_labels("MS MARCO V1:RETIRED(12/01/2016-03/31/2018)", "MS MARCO")
    ('MS MARCO', 'V1')
    >>> _heading_labels("ShARC: End-to-end Task", "ShARC")
    ('ShARC', 'End-to-end')
    >>> _heading_labels("Overall Performance Ranking", "RoboBPP")
    ('RoboBPP', '')
    >>> _heading_labels("Traffic State Prediction - PEMSD7", "AgentCity")
    ('PEMSD7', '')
    >>> _heading_labels("Subtask 1: Stroke Detection", "Sports Video")
    ('Sports Video', 'Stroke Detection')
    >>> _heading_labels("Main Result", "M3Eval"), _heading_labels("All Results of LLMs", "X")
    (('M3Eval', ''), ('X', ''))
    """
    text = _clean(_MATH.sub(" ", text))
    if _RESULT_KIND.match(text):  # "Main Result": the page's data
        return page, ""
    if part := _NUMBERED_PART.match(text):  # "Subtask 1: Stroke Detection": a part of the page's
        return page, part.group("rest")  # data
    setting = ""
    for inner in _PAREN.findall(text):
        if _SETTING.search(inner) and not setting:
            setting = _SETTING.sub(" ", inner).strip()
    bare = _RANKED_BY.sub("", _PAREN.sub(" ", text)).strip()
    found = _LEADERBOARD_OF.search(bare)
    rest = found.group("rest") if found else bare
    rest = rest if found and ":" not in rest.split(",")[0] else rest.split(":")[0]
    parts = [part.strip() for part in _TITLE_PARTS.split(rest)]
    parts = [part for part in parts if not _MEASURE.search(part)] or [""]
    if data := _data_after_task(parts):
        return data, setting
    name = parts[0]
    if _mentions(name, page):
        extra = named_dataset(re.sub(re.escape(page), " ", name, flags=re.I))
        if not extra and ":" in bare and (task := _TASK.match(bare.split(":", 1)[1].strip())):
            extra = _clean(task.group("task") or task.group("named"))  # "ShARC: End-to-end Task"
        return page, setting or (extra if len(extra.split()) <= 2 else "")
    if _mentions(text, page):
        return page, setting
    if (task := _TASK.match(name)) and page and _names_something(name):
        return page, setting or _clean(task.group("task") or task.group("named"))
    pieces = [piece.strip() for piece in name.split(",")]
    dataset = named_dataset(pieces[0])
    if dataset and len(pieces) > 1 and not setting:
        setting = pieces[1]
    return dataset or page, setting


def _data_after_task(parts: list[str]) -> str:
    """The dataset a heading names after its task ("Traffic State Prediction - PEMSD7"), else "".

    >>> _data_after_task(["Traffic State Prediction", "PEMSD7"]), _data_after_task(["SQuAD"])
    ('PEMSD7', '')
    """
    if len(parts) < 2 or not _TASK.match(parts[0]) or not _names_something(parts[0]):
        return ""
    last = parts[-1]
    return "" if _TASK.match(last) else named_dataset(last)


def _names_something(text: str) -> bool:
    """Whether a heading says more than generic words: "Overall Performance Ranking" ranks the
    page's models, it names no ranking task as "Passage Ranking" does.

    >>> _names_something("Overall Performance Ranking"), _names_something("Passage Ranking")
    (False, True)
    """
    return re.search(r"[A-Za-z0-9]", _GENERIC_WORDS.sub(" ", text)) is not None


def _heading_metric(text: str) -> str:
    """The metric a heading names as a measure, by its printed abbreviation if it has one.

    >>> _heading_metric("Leaderboard - Execution Accuracy (EX)"), _heading_metric("SQuAD")
    ('EX', '')
    >>> _heading_metric("Leaderboard - Reward-based Valid Efficiency Score (R-VES)")
    'R-VES'
    """
    for part in _TITLE_PARTS.split(_clean(text).split(":")[-1]):
        if found := _MEASURE.search(part.strip()):
            if found.group("short"):
                return found.group("short")
            phrase = _clean(_PAREN.sub(" ", part))
            return "accuracy" if re.fullmatch(r"(?i)accurac(y|ies)", phrase) else phrase
    return ""


def _split_of(*texts: str, pattern: re.Pattern[str] = _SPLIT_PHRASE) -> str:
    """The split the first text naming exactly one names."""
    for text in texts:
        found = {_PAGE_SPLITS.get(word, word) for m in pattern.finditer(text)
                 if (word := next(g for g in m.groups() if g).lower())}
        if len(found) == 1:
            return found.pop()
    return ""


def _metric_of(*texts: str) -> str:
    """The one metric the texts name in words, else "".

    >>> _metric_of("It achieves 88.4% judge accuracy and tests factual accuracy.")
    ''
    >>> _metric_of("The best model achieves 86.99% overall accuracy.")
    'accuracy'
    """
    names = set()
    for text in texts:
        if reported := _REPORTED.search(text):
            return _metric_of(reported.group("metric")) or reported.group("metric")
        for match in _TEXT_METRIC.finditer(text):
            word = match.group(1).lower()
            if word in _ALSO_A_WORD and match.group(1).islower():
                continue  # "reduced to map them onto a 2-D space": the verb, not mAP
            if _NOT_THE_MODELS.search(text[:match.start()]):
                continue  # "achieving 88.4% judge accuracy": the grader's, not the models'
            names.add("accuracy" if word.startswith("accurac") else canonical_name(
                re.sub(r"[- ]scores?$", "", word)))
    return names.pop() if len(names) == 1 else ""


def _fuller(name: str, outer: str) -> str:
    """The heading above's name for the data a heading names in short ("BIRD Mini-Dev" over
    "Mini Dev - Execution Accuracy (EX)"), else the name as it is.

    >>> _fuller("Mini Dev", "BIRD Mini-Dev"), _fuller("Mini Dev", "News")
    ('BIRD Mini-Dev', 'Mini Dev')
    """
    full = named_dataset(outer) if outer and len(outer) <= 60 else ""
    return full if name and full and folded(full).endswith(folded(name)) and \
        folded(full) != folded(name) else name


def _tab_config(tab: str, dataset: str) -> str:
    """The config a tab's label gives its table: the label, or, where the label names the
    dataset, what it prints after the name ("Spider 2.0-Snow" under Spider 2.0: "Snow"; "SQuAD"
    under SQuAD: none), as a heading's "MS MARCO V1" is the setting "V1".

    >>> _tab_config("Lite", "SWE-bench"), _tab_config("Spider 2.0-Snow", "Spider 2.0")
    ('Lite', 'Snow')
    >>> _tab_config("SQuAD", "SQuAD"), _tab_config("", "SQuAD")
    ('', '')
    """
    if not tab or not _mentions(tab, dataset):
        return tab
    rest = re.sub(re.escape(dataset), " ", tab, count=1, flags=re.I)
    return named_dataset(_clean(rest).strip(" -–—:,/|"))


def _part_of_page(name: str, page: str, running: str) -> bool:
    """Whether a heading's name ("Self RC Leaderboard" on the DuoRC page) is a part of the
    page's own data rather than another dataset: the page's text names that part's own test or
    dev set ("the answers for Self RC test set and the other for Paraphrase RC test set"), and
    the name is no version of the page's name ("SQuAD1.1" on the SQuAD2.0 page).

    >>> _part_of_page("Self RC", "DuoRC", "zip: the answers for Self RC test set and …")
    True
    >>> _part_of_page("SQuAD1.1", "SQuAD2.0", "the SQuAD1.1 test set"), _part_of_page(
    ...     "Self RC", "DuoRC", "Self RC is a dataset")
    (False, False)
    """
    if not name or not page or len(os.path.commonprefix([folded(name), folded(page)])) >= 3:
        return False
    return re.search(r"(?<![\w\-])" + re.escape(name) + r"\s+(?:test|dev|development|validation)"
                     r"\s+sets?\b", running, re.I) is not None


def _says_part_of(text: str, page: str) -> bool:
    """Whether the text introducing a table says it scores a part of the page's data ("scores
    evaluated on the subset of GrailQA test set that tests compositional generalization").

    >>> _says_part_of("evaluated on the subset of GrailQA test set that tests …", "GrailQA")
    True
    >>> _says_part_of("evaluated on the test set of SQuAD v1.1", "SQuAD2.0")
    False
    """
    return bool(page) and re.search(
        r"(?i)\b(?:subsets?|parts?|portions?|slices?)\s+of\s+(?:the\s+)?" + re.escape(page)
        + r"(?![a-z0-9])", text) is not None


def _results_on_version(text: str, dataset: str) -> str:
    """The part of the dataset a note says the results are on ("Results are based on
    LiveSQLBench-Lite": "Lite"), as a tab's "Spider 2.0-Snow" is the config "Snow".

    >>> _results_on_version("Note: Results are based on LiveSQLBench-Lite (270 tasks)",
    ...                     "LiveSQLBench")
    'Lite'
    >>> _results_on_version("LiveSQLBench-Large is coming", "LiveSQLBench")
    ''

    A legend under the table listing what it shows names the part as one item of its list
    ("13 models — TeamBench-90, pass rate (%), sorted by …": "90").

    >>> _results_on_version("13 models — TeamBench-90, pass rate (%), sorted by max", "TeamBench")
    '90'
    >>> _results_on_version("See TeamBench-90 for the tasks, or the paper.", "TeamBench")
    ''
    """
    if not dataset or not text:
        return ""
    name = re.escape(dataset) + r"-(?P<part>[A-Za-z0-9]+)"
    found = re.search(r"(?i)\bresults?\b[^.]{0,40}?\b(?:on|based\s+on)\s+(?:the\s+)?"
                      + name + r"\b", text) or re.search(
        r"(?i)(?:^|[—–:;|]\s*)" + name + r"\s*[,;]", text)
    return found["part"] if found else ""


# A heading of plain words ("Heterogeneous Role-Mixing", "Costs and Efficiency"): capitalised
# or lower-case words of letters, no digit, acronym or inner capital as a name has.
_PLAIN_PHRASE = re.compile(r"[A-Z][a-z]+(?:-[a-z]+|-[A-Z][a-z]+)*"
                           r"(?:\s+(?:[A-Z][a-z]+|[a-z]+)(?:-[a-z]+|-[A-Z][a-z]+)*)+")
_MIN_TOPIC_WORD = 4  # "and", "of": too short to tell a topic by


def _names_topic(name: str, running: str) -> bool:
    """Whether a heading's name is a topic of the page, not a dataset's name: plain words, one
    of which the page's text uses as a plain word, in lower case ("… the 27-configuration
    role-mixing pool" under "Heterogeneous Role-Mixing"; "training costs" under "Costs and
    Efficiency"). A dataset's name is printed as a name ("Nr3D", "MuST-C", "PEMSD7").

    >>> _names_topic("Heterogeneous Role-Mixing", "in the role-mixing pool")
    True
    >>> _names_topic("Natural Questions", "on Natural Questions"), _names_topic("Nr3D", "nr3d")
    (False, False)
    """
    if not _PLAIN_PHRASE.fullmatch(name):
        return False
    return any(re.search(r"(?<![\w\-])" + re.escape(word.lower()) + r"(?![\w\-])", running)
               for word in name.split() if len(word) >= _MIN_TOPIC_WORD)


def _rank(node: Any) -> int:
    """A heading's rank: 2 for ``<h2>``; 0 for a div drawn as a heading (no rank printed)."""
    return int(node.tag[1]) if re.fullmatch(r"h[1-6]", node.tag) else 0


def _holds(context: TableContext) -> bool:
    """Whether the heading before the table's heading is a section holding it: of a higher
    rank (``<h3>Divided Attention</h3>`` over ``<h4>Main Result</h4>``), or of no printed rank.
    An ``<h2>Abstract</h2>`` before ``<h2>Overall Results</h2>`` is the section before.

    >>> _holds(TableContext(heading_rank=4, outer_rank=3))
    True
    >>> _holds(TableContext(heading_rank=2, outer_rank=2))
    False
    """
    return not (context.heading_rank and context.outer_rank
                and context.outer_rank >= context.heading_rank)


def _section_over_result(context: TableContext) -> str:
    """The section a result-kind heading ("Main Result") sits in ("Divided Attention"): the
    part of the page's data its table scores; "" where the heading above is the page's own
    name ("Leaderboard for LLM robustness" over "All Results of LLMs") or no short name.

    >>> _section_over_result(TableContext(heading="Main Result", outer="Divided Attention"))
    'Divided Attention'
    >>> _section_over_result(TableContext(heading="Main Result", outer="M3", as_named="M3"))
    ''
    >>> _section_over_result(TableContext(heading="Results", outer="Our Solution"))
    ''
    """
    if not _RESULT_KIND.match(_clean(context.heading)) or not context.outer or not _holds(context):
        return ""
    outer = _clean(context.outer)
    if (_PAPER_SECTION.match(outer) or outer == _clean(context.as_named)
            or len(outer.split()) > 4 or not _names_something(outer)):
        return ""
    return outer


# The measure a note under a table says its cells are in: "Small-object localization
# Acc@0.5 (%)": a measure's short name ("Acc@0.5", "mIoU", "EM") right before its unit.
_NOTED_MEASURE = re.compile(r"(?<![\w@.\-])(?P<measure>[A-Za-z][\w\-]*@[\d.]+|"
                            r"[a-z]?[A-Z]{2,}[\w\-]*)\s*\(\s*%\s*\)")


def _noted_measure(note: str) -> str:
    """The measure a note under a table names before a unit ("… Acc@0.5 (%), best per column
    in teal"), else "".

    >>> _noted_measure("Small-object localization Acc@0.5 (%) , best per column in teal .")
    'Acc@0.5'
    >>> _noted_measure("Results in % (higher is better)")
    ''
    """
    found = _NOTED_MEASURE.search(note)
    return found["measure"] if found else ""


# A paper's numbered table title ("Table 1 — …", "Table 2: …", "Tab. 3. …"): the label, then
# what the table shows.
_TABLE_LABEL = re.compile(r"(?i)^\s*(?:table|tab\.)\s*\d+[a-z]?\s*[:.\-–—|]\s*(?=\S)")
_TABLE_REFERENCE = re.compile(r"(?i)\btable\s*\d+[a-z]?\b")
# Sentences after the first: a full stop, then a capitalised word ("… columns). Morning/…").
_NEXT_SENTENCE = re.compile(r"[.!?]\)?\s+[A-Z]")
# What a title says the cells gain over a baseline: "Dispatching simulation: relative
# improvement (%) over pickup-distance KM", "Multi-task prediction AUC improvement (%) over
# Structured-Only": the data (its task as printed), then, if printed, the one measure of every
# cell (an abbreviation: "AUC", "GMV").
_IMPROVEMENT_OVER = re.compile(
    r"^(?P<what>[A-Z][\w\-]*(?:\s+[\w\-]+){0,4}?)\s*[:,]?\s+(?:(?P<measure>[A-Z][A-Z0-9@\-]*"
    r"[A-Z0-9])\s+)?(?i:(?:relative\s+)?(?:improvements?|gains?)\s*(?:\(\s*%\s*\)\s*)?"
    r"(?:over|vs\.?|versus|relative\s+to|compared\s+(?:to|with))\s+\S)")
# A dataset a caption names as one: "results on the proposed RollingEval-Aug dataset".
_CAPTION_DATASET = re.compile(
    r"(?i:\b(?:on|of|for|from)\s+(?:the\s+)?(?:(?:proposed|new|our|introduced)\s+)?)"
    r"(?P<name>[A-Z0-9][\w.\-]*[A-Z0-9][\w.\-]*)\s+(?i:dataset|benchmark)\b")


def is_note(caption: str) -> bool:
    """Whether a table's caption is a note on it, not its title: it refers to a table by
    number after its first words ("Static transcription of Table 1 (Overall columns)") or runs
    over more than one sentence ("… Table 2. The headline +6.14% is …"). A note names no data.

    >>> is_note("Static transcription of Table 1 (Overall columns). Morning/Noon/Evening "
    ...         "breakdowns are in the full appendix.")
    True
    >>> is_note("Table 3: Results on the MMLU test set"), is_note("Accuracy on the dev set")
    (False, False)
    """
    text = _TABLE_LABEL.sub("", caption)
    return bool(_TABLE_REFERENCE.search(text) or _NEXT_SENTENCE.search(text.rstrip(" .")))


def titled_data(title: str) -> tuple[str, str]:
    """(dataset, measure of every cell) a numbered table title names ("Table 2 — Multi-task
    prediction AUC improvement (%) over Structured-Only"), else ("", ""): the data is what the
    title says the cells improve on, or the name it calls a dataset ("Table 1: Zero-shot
    results on the proposed RollingEval-Aug dataset").

    >>> titled_data("Table 1 — Dispatching simulation: relative improvement (%) over KM")
    ('Dispatching simulation', '')
    >>> titled_data("Table 2 — Multi-task prediction AUC improvement (%) over Structured-Only")
    ('Multi-task prediction', 'AUC')
    >>> titled_data("Table 1: Zero-shot results on the proposed RollingEval-Aug dataset.")
    ('RollingEval-Aug', '')
    >>> titled_data("Relative improvement (%) over KM"), titled_data("Table 5. Impact of LLMs")
    (('', ''), ('', ''))
    """
    label = _TABLE_LABEL.match(title)
    if not label:
        return "", ""
    text = _clean(title[label.end():])
    if (found := _IMPROVEMENT_OVER.match(text)) and _names_something(found["what"]) \
            and not re.match(r"(?i)(?:relative|average|mean)\b", found["what"]):
        return found["what"], found["measure"] or ""
    if found := _CAPTION_DATASET.search(text):
        return found["name"], ""
    return "", ""


# What the text says a table shows: "The table below displays the average return and
# standard deviation over 10 random seeds": a summary of a measure ("average return").
_SHOWN_MEASURE = re.compile(
    r"(?i)\btable\b[^.]{0,40}?\b(?:shows?|displays?|reports?|lists?|presents?|gives?)\s+"
    r"(?:the\s+)?(?P<measure>(?:average|mean|median|final|cumulative)\s+"
    r"(?!and\b|of\b|over\b|for\b|across\b)[a-z]+)\b")


def shown_measure(text: str) -> str:
    """The measure the text says a table displays ("The table below displays the average
    return and standard deviation …"), else "".

    >>> shown_measure("The table below displays the average return and standard deviation")
    'average return'
    >>> shown_measure("The average return is shown in the table below.")
    ''
    """
    found = _SHOWN_MEASURE.search(text)
    return found["measure"] if found else ""


def table_labels(page: str, context: TableContext, caption: str = "") -> TableLabels:
    """Dataset, setting, split and metric of a table, from its caption, heading, paragraphs
    and the page's name (see the module's docstring)."""
    titled, every = next((found for text in (caption, context.heading, context.below)
                          if (found := titled_data(text))[0]), ("", ""))
    if titled:  # "Table 1 — Dispatching simulation: relative improvement (%) over KM"
        dataset, config = titled, ""
    else:  # a note under the table ("Static transcription of Table 1 …") names no data
        dataset, config = _heading_labels(caption, "") if caption and not is_note(caption) \
            else ("", "")
    setting = ""
    if not dataset and context.heading:
        dataset, setting = _heading_labels(context.heading, page)
        config = config or setting or _section_over_result(context)
        dataset = _fuller(dataset, context.outer) if dataset != page else dataset
        if dataset != page and not context.several and (
                _part_of_page(dataset, page, context.running)
                or _says_part_of(context.paragraph, page)):
            dataset, config = page, config or dataset  # "Self RC" of DuoRC
    topic = ""
    if dataset and not titled and dataset != page and page \
            and _names_topic(dataset, context.running):
        topic, dataset = dataset, page  # "Heterogeneous Role-Mixing" on the TeamBench page
        if setting and config == setting:  # "Consistent gains, no fine-tuning": a claim
            config = ""  # about the results, its tail no setting of the data
    dataset = dataset or page
    if context.shown_version.lower().startswith(dataset.lower() + " "):
        dataset = context.shown_version  # "Welcome to FewRel" on the FewRel 2.0 page
    config = config or _results_on_version(context.below, dataset)
    tab = _tab_config(context.tab, dataset)
    measure = (_heading_metric(caption) or _heading_metric(context.intro)
               or _heading_metric(context.heading))
    return TableLabels(dataset=dataset, config=config, tab=tab, measure=measure, topic=topic,
                       cells_measure=every,
                       defined_measures=context.defined_measures, named_sets=context.named_sets,
                       running=context.running,
                       measures_heading=_MEASURES_HEADING.search(context.heading) is not None,
                       split=_split_of(caption, context.below, context.heading)
                       or context.shown_split or _other_split(context)
                       or _split_of(context.paragraph) or context.page_split,
                       metric=every or measure or _noted_measure(context.below)
                       or _metric_of(caption, context.heading, context.paragraph),
                       page_metric=context.page_metric)
