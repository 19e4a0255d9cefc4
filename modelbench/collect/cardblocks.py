"""Results a model card prints as an evaluation script's output in a fenced block.

Cards of extractive-QA models (deepset's, among many) print the SQuAD script's output as it
came, under a sentence that names the data::

    Evaluated on the SQuAD 2.0 dev set with the [official eval script](...).
    ```
    "exact": 79.97136359807968
    "f1": 83.00449234495325
    "total": 11873
    ```

Each scored key is one result (metric as printed, dataset, config and split from the sentence);
``total`` and ``*_thresh`` keys are counts and thresholds, no results. A block is read only
when the line just above it (blank lines skipped) says ``Evaluated on …`` and every line of it
is a ``"key": number`` pair (braces aside): a hyperparameter block (``batch_size = 96``) or a
code sample is no result.

>>> body = ('Evaluated on German [MLQA: test-context-de-question-de.json](https://x)\\n'
...         '```\\n"exact": 49.3,\\n"f1": 66.2,\\n"total": 4517,\\n```\\n')
>>> [(r.dataset, r.dataset_config, r.dataset_split, r.metric, r.score)
...  for r in eval_block_outcome("org/m", body).results]
[('MLQA', 'de', 'test', 'exact_match', 49.3), ('MLQA', 'de', 'test', 'f1', 66.2)]
"""

from __future__ import annotations

import re
from datetime import datetime

from ..metrics import registered
from ..records import utcnow
from .carddata import card_dataset, heading_split
from .outcome import SPLIT_WORDS, Outcome, published_result, read_printed

__all__ = ["eval_block_outcome"]

_FENCE = re.compile(r"^\s*```")
# "exact": 79.9, or 'exact': 79.9 (a Python dict's repr printed as it came)
_PAIR = re.compile(r'^\s*["\']?(?P<key>[A-Za-z][\w@.\-]*)["\']?\s*:'
                   r'\s*(?P<value>-?\d+(?:\.\d+)?)\s*,?\s*$')
_EVALUATED_ON = re.compile(r"^\s*Evaluated on\s+(?P<phrase>.+)$", re.I)
_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")
_PHRASE_END = re.compile(r"\s+(?:with|using|by|via)\s+.*$|\s*\(.*$|\.(?:\s.*)?$", re.I)
_SET_SPLIT = re.compile(r"^(?P<data>.+?)\s+(?P<split>test|dev|validation|val)\s+set$", re.I)
_FILE_SPLIT = re.compile(r"^(?P<split>test|dev|validation|val)\b", re.I)
_NO_RESULT_KEY = re.compile(r"(?:^|_)total$|thresh", re.I)
# a language named before the data names that language's part of it ("German MLQA"); one named
# after the data's name only says what language the set is in ("SQuAD 2.0 English dev set")
_LANGUAGES = {"arabic": "ar", "chinese": "zh", "dutch": "nl", "english": "en", "french": "fr",
              "german": "de", "greek": "el", "hindi": "hi", "italian": "it", "japanese": "ja",
              "korean": "ko", "portuguese": "pt", "russian": "ru", "spanish": "es",
              "turkish": "tr", "vietnamese": "vi"}


def _fenced_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line indices of each fenced block's inside."""
    blocks, opened = [], None
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            if opened is None:
                opened = i
            else:
                blocks.append((opened + 1, i))
                opened = None
    return blocks


def _pairs(inside: list[str]) -> list[tuple[str, str]] | None:
    """The block's ``(key, printed number)`` pairs, or None when any line is something else."""
    pairs = []
    for line in inside:
        if line.strip() in ("", "{", "}"):
            continue
        match = _PAIR.match(line)
        if not match:
            return None
        pairs.append((match["key"], match["value"]))
    return pairs if len(pairs) >= 2 else None


def _line_above(lines: list[str], start: int) -> str:
    """The nearest non-blank line above line ``start``."""
    for line in reversed(lines[:start]):
        if line.strip():
            return line
    return ""


def _evaluated_data(sentence: str) -> tuple[str, str, str] | None:
    """(dataset, config, split) an ``Evaluated on …`` sentence names, or None."""
    said = _EVALUATED_ON.match(_LINK.sub(lambda m: m["text"], sentence))
    if not said:
        return None
    phrase = _PHRASE_END.sub("", said["phrase"].strip())
    words = re.sub(r"^the\s+", "", phrase, flags=re.I).split()
    config = _LANGUAGES.get(words[0].lower(), "") if words else ""
    data = " ".join(words[1:] if config else words)
    split = ""
    if ":" in data:  # "MLQA: test-context-de-question-de.json", a file of the data
        data, file = (part.strip() for part in data.split(":", 1))
        found = _FILE_SPLIT.match(file)
        split = SPLIT_WORDS[found["split"].lower()] if found else ""
    elif found := _SET_SPLIT.match(data):
        data, split = found["data"], SPLIT_WORDS[found["split"].lower()]
    data_words = data.split()
    if len(data_words) > 1 and data_words[-1].lower() in _LANGUAGES:
        data = " ".join(data_words[:-1])
    return (data, config, split) if data else None


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_RESULTS_HEADING = re.compile(r"\b(?:results?|evaluation|metrics?)\b", re.I)


def _heading_above(lines: list[str], start: int) -> str:
    """The nearest heading line above line ``start`` ("" when none)."""
    return next((line for line in reversed(lines[:start]) if _HEADING.match(line)), "")


def _card_data_under_results(lines: list[str], first: int, body: str
                             ) -> tuple[str, str, str] | None:
    """(dataset, "", split) of a block that no ``Evaluated on`` line introduces but that sits
    under a results heading ("## Results:"), on a card that names the one dataset it is about
    (:func:`carddata.card_dataset`, c95's rule); None otherwise.

    >>> body = "fine-tuned on [SQuAD v1.1](x)\\n## Training\\n```\\n"
    >>> _card_data_under_results(body.splitlines(), 2, body) is None  # settings, not results
    True
    >>> _card_data_under_results(body.replace("Training", "Results").splitlines(), 2, body)
    ('SQuAD v1.1', '', '')
    """
    heading = _heading_above(lines, first)
    if not _RESULTS_HEADING.search(heading):
        return None
    dataset = card_dataset(body)
    return (dataset, "", heading_split(heading, body)) if dataset else None


def _scores_metrics(pairs: list[tuple[str, str]]) -> bool:
    """Whether a block's keys include a measure the registry knows (``exact``, ``f1``): eval
    output, not a block of settings."""
    return any(registered(key) is not None for key, _ in pairs)


# "# Accuracy: 0.9230769230769231": a script's printed output copied under it as a comment
_OUTPUT_COMMENT = re.compile(r"^\s*#\s*(?P<key>[A-Za-z][\w@.\- ]{0,30}?)\s*:\s*"
                             r"(?P<value>-?\d+(?:\.\d+)?)\s*$")
# 'WSC/val.jsonl': a file of one split of a dataset, read by the script
_SPLIT_FILE = re.compile(r"""["'](?:[\w.\-]+/)*(?P<data>[A-Za-z][\w.\-]*)/"""
                         r"""(?P<split>train|val|valid|validation|dev|test)\."""
                         r"""(?:jsonl?|tsv|csv|txt)["']""", re.I)


def commented_output(inside: list[str]) -> tuple[str, str, str, str] | None:
    """(dataset, split, metric, printed) of a script block whose last line is the output of
    its own ``print`` as a comment (``print('Accuracy: ' + ...)`` / ``# Accuracy: 0.923``), on
    the one split file it reads (``jsonl_iterator('WSC/val.jsonl')``: WSC's validation
    split); None when the block is not such (no print of that metric, no file, or two).

    >>> commented_output(["for s in it('WSC/val.jsonl'):", "    n += 1",
    ...                   "print('Accuracy: ' + str(c / n))", "# Accuracy: 0.9230769230769231"])
    ('WSC', 'validation', 'Accuracy', '0.9230769230769231')
    >>> commented_output(["x = load('WSC/val.jsonl')", "# Accuracy: 0.92"]) is None  # no print
    True
    """
    code = [line for line in inside if line.strip()]
    found = _OUTPUT_COMMENT.match(code[-1]) if code else None
    if not found or registered(found["key"]) is None:
        return None
    printed = re.compile(rf"""\bprint\(\s*(?:f?["']){re.escape(found["key"])}\s*:""")
    files = {(m["data"], m["split"].lower()) for line in code for m in _SPLIT_FILE.finditer(line)}
    if not any(printed.search(line) for line in code[:-1]) or len(files) != 1:
        return None
    data, split = files.pop()
    return data, SPLIT_WORDS[split], found["key"], found["value"]


def _add_commented_output(out: Outcome, model_name: str, inside: list[str], first: int,
                          source_url: str, when: datetime) -> None:
    """The result of a block ending in its script's output (:func:`commented_output`)."""
    found = commented_output(inside)
    parsed = read_printed(found[3]) if found else None
    if found is None or parsed is None:
        return
    dataset, split, metric, printed = found
    out.add(published_result(
        model_name=model_name, dataset=dataset, dataset_split=split, metric=metric,
        score=parsed.value, printed=printed, source="huggingface", source_url=source_url,
        collected_at=when, extraction_method="card-block",
        extra={"block_line": first, "metric_name": metric, **parsed.provenance()}))


def eval_block_outcome(model_name: str, body: str, *, source_url: str = "",
                       collected_at: datetime | None = None) -> Outcome:
    """Records of the evaluation-script blocks in a card's markdown body (see the module)."""
    out = Outcome(source=source_url or model_name)
    when = collected_at or utcnow()
    lines = body.splitlines()
    for first, end in _fenced_blocks(lines):
        data = _evaluated_data(_line_above(lines, first - 1))
        pairs = _pairs(lines[first:end])
        if data is None and pairs and _scores_metrics(pairs):
            data = _card_data_under_results(lines, first - 1, body)
        pairs = pairs if data else None
        if not pairs:
            _add_commented_output(out, model_name, lines[first:end], first, source_url, when)
            continue
        dataset, config, split = data
        for key, printed in pairs:
            if _NO_RESULT_KEY.search(key):
                out.notes.append(f"{model_name}: {key!r} in the block at line {first} is a "
                                 "count or threshold, no result")
                continue
            parsed = read_printed(printed)
            if parsed is None:
                continue
            out.add(published_result(
                model_name=model_name, dataset=dataset, dataset_config=config,
                dataset_split=split, metric=key, score=parsed.value, printed=printed,
                source="huggingface", source_url=source_url, collected_at=when,
                extraction_method="card-block",
                extra={"block_line": first, "metric_name": key, **parsed.provenance()}))
    return out
