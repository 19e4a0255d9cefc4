"""What one card, page or file gave: results stored, duplicates skipped, items unreadable (why).

Also the pieces every collector shares when it labels a published number: the printed value
read through the one number parser (annotations such as ``60.7+``, ``**80.4**``, a leading BOM,
``70.14 (measured by ...)`` or ``93.0/90.7`` are recognised around it), the split a name
carries (``Test WER``, ``Validation Accuracy``) and the record itself, with its dataset config
and printed value as their own fields.

Example:
    >>> [read_printed(t).value for t in ("60.7+", "93.0/90.7", "**80.44**", "0.14 [0.13, 0.15]")]
    [60.7, 93.0, 80.44, 0.14]
    >>> printed_notes("0.14 [0.13, 0.15]")
    {'interval': [0.13, 0.15]}
    >>> split_from_name("Test WER"), split_from_name("% Train Accuracy"), split_from_name("BLEU")
    (('test', 'WER'), ('train', 'Accuracy'), ('', 'BLEU'))
    >>> split_from_name("Dev")
    ('validation', '')
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from ..metrics import canonical_name
from ..numbers import ParsedNumber, parse_number
from ..records import BenchmarkResult, ModelMetadata

__all__ = ["Outcome", "read_printed", "split_from_name", "published_result", "is_property",
           "header_labels", "SPLIT_WORDS", "folded"]

#: Words that name a split, as printed in metric names, headers and headings.
SPLIT_WORDS = {"test": "test", "testing": "test", "validation": "validation", "val": "validation",
               "valid": "validation", "dev": "validation", "development": "validation",
               "eval": "validation", "train": "train", "training": "train",
               "devtest": "devtest"}
_SPLIT_PREFIX = re.compile(
    r"^\s*%?\s*(?P<split>test(?:ing)?|validation|valid|val|dev(?:elopment)?|eval|train(?:ing)?)"
    r"(?:\s+set)?[\s_\-:]+(?P<rest>\S.*)$", re.I)
# Columns and metrics that describe the model, not a result on the dataset.
_PROPERTY = re.compile(
    r"^\s*(#\s*)?(number of |num\.? |no\.? of |[a-z]{2,10}\s+(?=params?\b))?"
    r"(param(eter)?s?|model size|size|"
    r"(g|m|t)?flops|macs|#?\s*params?\s*\(.*\))\s*(\(.*\))?\s*$", re.I)
_BOLD = re.compile(r"^\s*(\*\*|__)(?P<inner>.*?)(\*\*|__)\s*(?P<tail>.*)$")
# "<ins>96.7</ins>", "<b>54.1</b>": a value marked with an HTML emphasis tag
_HTML_EMPHASIS = re.compile(r"^\s*<(?P<tag>ins|u|b|strong|em|i|mark)>(?P<inner>[^<>]*)</(?P=tag)>"
                            r"\s*(?P<tail>.*)$", re.I)
# (the head's first digit is found once: "[^()\d]*\d", not two lazy runs over one class,
# which took quadratic time on a long value)
_NOTE = re.compile(r"^(?P<head>[^()\d]*\d[^()]*?)\s*\((?P<note>[^()]*[a-zA-Z][^()]*)\)"
                   r"\s*(?P<tail>[*†‡]*)$")
# "0.14 [0.14, 0.15]": a value and its interval (brackets, or a parenthesis of two numbers).
_INTERVAL = re.compile(r"^(?P<head>[-+]?\d+(?:\.\d+)?\s*%?)\s*[\[(]\s*(?P<low>[-+]?\d+(?:\.\d+)?)"
                       r"\s*[,;]\s*(?P<high>[-+]?\d+(?:\.\d+)?)\s*[\])]\s*(?P<tail>[*†‡]*)$")
_PAIR = re.compile(r"^(?P<head>[-+]?\d+(?:[.,]\d+)?\s*%?)\s*/\s*(?P<second>[-+]?\d+(?:[.,]\d+)?)"
                   r"\s*%?\s*(?P<tail>[*†‡]*)$")


@dataclass
class Outcome:
    """Records from one source item, and what was skipped and why (nothing lost silently)."""

    source: str = ""
    results: list[BenchmarkResult] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    metadata: list[ModelMetadata] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # problems that lost nothing (say so)

    def counts(self) -> dict[str, int]:
        """``{"stored": n, "duplicate": n, "unreadable": n}``.

        >>> Outcome(unreadable=["x: value [] is a list"]).counts()
        {'stored': 0, 'duplicate': 0, 'unreadable': 1}
        """
        return {"stored": len(self.results), "duplicate": len(self.duplicates),
                "unreadable": len(self.unreadable)}

    def add(self, record: BenchmarkResult) -> None:
        """Keep ``record`` unless the same labelled value is already here (then count it)."""
        seen = self.__dict__.setdefault("_seen", {_key(r) + (r.score,) for r in self.results})
        key = _key(record) + (record.score,)
        if key in seen:
            self.duplicates.append(f"{record.model_name}: {record.dataset} "
                                   f"{record.dataset_config} {record.metric} = {record.score} "
                                   "repeats an earlier row")
            return
        seen.add(key)
        self.results.append(record)

    def merge(self, other: Outcome) -> None:
        self.results.extend(other.results)
        self.duplicates.extend(other.duplicates)
        self.unreadable.extend(other.unreadable)
        self.metadata.extend(other.metadata)
        self.notes.extend(other.notes)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, **self.counts(), "duplicates": self.duplicates,
                "unreadable_items": self.unreadable, "notes": self.notes}


def _key(record: BenchmarkResult) -> tuple[Any, ...]:
    return (record.model_name, record.task_type, folded(record.dataset),  # "GSM8k", "GSM8K"
            record.dataset_config, record.dataset_split, record.metric)


def _without_emphasis(text: str) -> tuple[str, bool]:
    """The printed value less the emphasis marks around it, nested ones too (``**<u>87.51</u>**``:
    bold over underline, the best score of all and of its size), and whether it had any.

    >>> _without_emphasis("**<u>87.51</u>**"), _without_emphasis("<u>**1.5**</u>")
    (('87.51', True), ('1.5', True))
    """
    cleaned, emphasis = text, False
    for _ in range(4):  # a value is marked at most a few times over
        mark = _BOLD.match(cleaned) or _HTML_EMPHASIS.match(cleaned)
        if not mark:
            break
        cleaned, emphasis = (mark.group("inner") + mark.group("tail")).strip(), True
    return cleaned, emphasis


def _clean_printed(text: str) -> tuple[str, dict[str, Any]]:
    """The printed value without annotations around the number, and what they said."""
    notes: dict[str, Any] = {}
    cleaned, emphasis = _without_emphasis(text.replace("\ufeff", "").strip())
    if emphasis:
        notes["emphasis"] = True
    cleaned = cleaned.strip("*_ ") if re.fullmatch(r"[*_]*[^*_]+[*_]*", cleaned) else cleaned
    note = _NOTE.match(cleaned)
    if note:
        cleaned = (note.group("head") + note.group("tail")).strip()
        notes["note"] = note.group("note").strip()
    interval = _INTERVAL.match(cleaned)
    if interval:
        cleaned = (interval.group("head") + interval.group("tail")).strip()
        notes["interval"] = [float(interval.group("low")), float(interval.group("high"))]
    pair = _PAIR.match(cleaned)
    if pair:
        cleaned = (pair.group("head") + pair.group("tail")).strip()
        notes["second_value"] = float(pair.group("second").replace(",", "."))
    if cleaned.endswith("+") and re.search(r"\d\+$", cleaned):
        cleaned = cleaned[:-1]
        notes["marker"] = "+"
    if cleaned.endswith("?") and re.search(r"[\dkKmMbBgG]\?$", cleaned):
        cleaned = cleaned[:-1]
        notes["uncertain"] = True
    if cleaned.startswith("~"):
        notes["approximate"] = True
    return cleaned, notes


def read_printed(raw: Any) -> ParsedNumber | None:
    """:func:`~modelbench.numbers.parse_number` on a published value, its annotations
    recognised first (the printed text is kept in ``.text``). ``None`` for a missing marker.

    Raises:
        ValueError: the text is not a number (``"Please tell us"``, ``"Kummerfeld"``).
    """
    if not isinstance(raw, str):
        return parse_number(raw)
    try:
        return parse_number(raw)
    except ValueError:
        cleaned, _ = _clean_printed(raw)
        if cleaned == raw:
            raise
        parsed = parse_number(cleaned)
        return dataclasses.replace(parsed, text=raw) if parsed is not None else None


def is_printed_mean(average: str, parts: list[str], *, within_units: float) -> bool:
    """Whether ``average``, as printed, is the plain mean of the numbers ``parts`` print,
    to within ``within_units`` units of the average's last printed digit. Every part must
    print a number (a caller that skips missing cells leaves them out first); no parts, or a
    text that is no number, is no mean.

    >>> is_printed_mean("2.5", ["2", "3"], within_units=0.5)
    True
    >>> is_printed_mean("65.4", ["65.0", "65.6"], within_units=0.5), \\
    ...     is_printed_mean("65.4", ["65.0", "65.6"], within_units=1)
    (False, True)
    >>> is_printed_mean("2.5", ["2", "-"], within_units=1)
    False
    >>> is_printed_mean("83.20", ["81.56", "85.23", "81.30"], within_units=1)  # 82.70
    False
    """
    try:
        printed = read_printed(average)
        values = [read_printed(part) for part in parts]
    except ValueError:
        return False
    digits = re.search(r"\d+(?:[.,](\d+))?", average)
    if printed is None or not values or None in values or digits is None:
        return False
    unit = 10.0 ** -len(digits.group(1) or "")
    mean = sum(v.value for v in values if v is not None) / len(values)
    return abs(mean - printed.value) <= within_units * unit + 1e-9  # float noise only


def printed_notes(raw: Any) -> dict[str, Any]:
    """What the annotations around a printed value said (for ``extra``)."""
    return _clean_printed(raw)[1] if isinstance(raw, str) else {}


_SPLIT_SUFFIX = re.compile(r"^(?P<rest>.*\S)\s*\(\s*(?P<split>test|val|validation|dev|train)"
                           r"(?:\s+set)?\s*\)\s*$", re.I)


def folded(text: str) -> str:
    """A label with case, spaces and symbols folded away: how two printings of one name
    ("BIRD Mini-Dev", "bird minidev") are compared.

    >>> folded("BIRD Mini-Dev"), folded("SQuAD 2.0")
    ('birdminidev', 'squad20')
    """
    return re.sub(r"[^a-z0-9]", "", text.lower())


def split_from_name(name: str) -> tuple[str, str]:
    """(split, the rest) when a metric or column name starts with a split word, or ends
    with one in parentheses (``top1@prec (val)``)."""
    bare = (name or "").strip().lower()
    if bare in SPLIT_WORDS:  # a column named "Dev" or "Test": the split, metric unnamed
        return SPLIT_WORDS[bare], ""
    match = _SPLIT_PREFIX.match(name or "") or _SPLIT_SUFFIX.match(name or "")
    if not match:
        return "", name
    return SPLIT_WORDS[match.group("split").lower()], match.group("rest").strip()


def is_property(name: str) -> bool:
    """Whether a metric/column name is a model property (parameters, size, FLOPs).

    >>> is_property("Number of params"), is_property("# Params (M)"), is_property("F1")
    (True, True, False)
    """
    return bool(_PROPERTY.match(name or ""))


def published_result(*, model_name: str, dataset: str, metric: str, score: float,
                     dataset_config: str = "", dataset_split: str = "", printed: str = "",
                     extra: dict[str, Any] | None = None, **fields: Any) -> BenchmarkResult:
    """A published :class:`BenchmarkResult`: the metric under its canonical name, the dataset
    config and the printed value in their own fields.

    >>> r = published_result(model_name="m", dataset="flores_101", metric="BLEU", score=21.6,
    ...                      dataset_config="afr-deu", printed="21.6", source="huggingface")
    >>> r.metric, r.dataset_config, r.score_printed
    ('bleu', 'afr-deu', '21.6')
    """
    return BenchmarkResult(model_name=model_name, dataset=dataset, metric=canonical_name(metric),
                           score=score, dataset_split=dataset_split, dataset_config=dataset_config,
                           score_printed=printed, extra=dict(extra or {}), **fields)


def _plain_header(text: str) -> str:
    return " ".join(re.sub(r"\*\*|__|<[^>]+>|`", " ", text).split())


_METRIC_AT_END = re.compile(
    r"(?P<metric>(top-?[15]\s+)?(acc(uracy)?|acc_norm|f1(@(\d+|[km]))?|f-?score|em|exact\s*match|"
    r"bleu|"
    r"chr-?f(\+\+)?|wer|cer|cider|spice|meteor|rouge-?(1|2|l|lsum)?|map|mrr(@\d+)?|"
    r"ndcg(@\d+)?|recall(@\d+)?|r@(\d+|[km])|p@(\d+|[km])|precision(@\d+)?|auc|psnr|ssim|"
    r"r?fid|is|"
    r"pass@\d+|perplexity|ppl|(pearson|spearman)(\s+correlation)?|win\s*rate|mcc|mc\d|iou|miou|"
    r"ap|bpb|bpc|top-?\d+|mae|mse|rmse|elo(\s+ratings?)?|success(\s+rate)?))"
    r"\s*(\([^()]*\))?\s*$", re.I)


def header_labels(header: str) -> tuple[str, str, str]:
    """(dataset, split, metric) a column header prints, "" where it prints none.

    >>> header_labels("COCO Cap. test CIDEr"), header_labels("Test WER"), header_labels("MMLU")
    (('COCO Cap.', 'test', 'CIDEr'), ('', 'test', 'WER'), ('MMLU', '', ''))
    """
    text = _plain_header(header).replace("↓", "").replace("↑", "").replace("()", "").strip()
    if "/" in text:  # "anli_r1/acc"
        head, _, tail = text.rpartition("/")
        if head and _METRIC_AT_END.fullmatch(tail.strip()):
            return head.strip(), "", tail.strip()
    match = _METRIC_AT_END.search(text)
    if not match or (match.start() > 0 and text[match.start() - 1].isalnum()):
        split, rest = split_from_name(text)
        return rest if split else text, split, ""
    metric = match.group("metric")
    rest = text[:match.start()].strip(" -/:,")
    words = rest.split()
    split = ""
    if words and words[-1].lower() in SPLIT_WORDS:
        split = SPLIT_WORDS[words.pop().lower()]
    elif words:
        split, remainder = split_from_name(rest)
        if split:
            words = remainder.split()
    return " ".join(words), split, metric
