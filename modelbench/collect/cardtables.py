"""Results printed only as markdown tables in the body of a model card.

Read only when the card has no usable ``model-index`` (so one number is never stored twice
under two labels). Two shapes are results:

* rows are test sets, columns metrics (``| testset | BLEU | chr-F |``): the card's model on
  each row's dataset; ``newstest2013.en.fr`` is dataset ``newstest2013``, config ``en-fr``;
* rows are models, columns benchmarks (``| Model | GSM8k | MATH |``): each row's model (the
  card's own when the row names it) on each column's benchmark, metric ``score``.

Training logs (``Epoch``/``Step``/``Training Loss`` columns), hyper-parameter tables and
data-contamination checks are not results and are passed over.

Example:
    >>> body = "## Benchmarks\\n\\n| testset | BLEU |\\n|---|---|\\n| newstest2013.en.fr | 33.2 |"
    >>> [(r.dataset, r.dataset_config, r.metric, r.score)
    ...  for r in card_table_outcome("Helsinki-NLP/opus-mt-en-fr", body).results]
    [('newstest2013', 'en-fr', 'bleu', 33.2)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..metrics import canonical_name
from ..records import utcnow
from .outcome import Outcome, is_property, published_result, read_printed, split_from_name

__all__ = ["MarkdownTable", "markdown_tables", "card_table_outcome"]

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ROWS_ARE_DATASETS = re.compile(r"^(test\s*set|testset|data\s*set|dataset|benchmark|task|eval"
                                r"(uation)?|split)s?\b", re.I)
_ROWS_ARE_MODELS = re.compile(r"^(model|models|method|system|name|checkpoint)s?\b", re.I)
_NOT_RESULTS_HEADER = re.compile(r"\b(epoch|step|training loss|learning rate|hyper-?param)", re.I)
_NOT_RESULTS_CONTEXT = re.compile(r"contaminat|hyper-?parameter|training (results|log|procedure)",
                                  re.I)
_SUMMARY_ROW = re.compile(r"^\W*(avg|average|mean|overall|total)\W*$", re.I)
_LANG_PAIR = re.compile(r"^(?P<dataset>.+?)[._](?P<src>[a-z]{2,3}(?:_[A-Za-z]+)?)[._]"
                        r"(?P<tgt>[a-z]{2,3}(?:_[A-Za-z]+)?)$")
_MARKUP = re.compile(r"\*\*|__|<br\s*/?>|<[^>]+>|`")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# A column named by a metric (its rows then need a dataset from elsewhere).
_METRIC_WORDS = {"accuracy", "acc", "f1", "exact_match", "bleu", "chrf", "chr-f", "wer", "cer",
                 "precision", "recall", "auc", "map", "mrr", "perplexity", "ppl", "score",
                 "rouge", "rouge1", "rouge2", "rougel", "meteor", "ter"}


@dataclass
class MarkdownTable:
    """A pipe table of a markdown text, with the lines just above it (its context)."""

    headers: list[str]
    rows: list[list[str]]
    context: str
    index: int


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [" ".join(cell.split()) for cell in line.split("|")]


def markdown_tables(text: str) -> list[MarkdownTable]:
    """Every pipe table (header line, ``|---|`` line, rows) of a markdown text.

    >>> [t.headers for t in markdown_tables("x\\n| a | b |\\n|:--|--:|\\n| 1 | 2 |\\n")]
    [['a', 'b']]
    """
    lines = text.replace("\r\n", "\n").split("\n")
    tables: list[MarkdownTable] = []
    i = 0
    while i < len(lines) - 1:
        if "|" in lines[i] and _SEPARATOR.match(lines[i + 1]):
            headers = _cells(lines[i])
            rows, j = [], i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                rows.append(_cells(lines[j]))
                j += 1
            context = "\n".join(lines[max(0, i - 8):i])
            tables.append(MarkdownTable(headers, rows, context, len(tables)))
            i = j
        else:
            i += 1
    return tables


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", _LINK.sub(r"\1", text)).split()).strip()


def _numeric_columns(table: MarkdownTable) -> list[int]:
    found = []
    for col in range(1, len(table.headers)):
        cells = [row[col] for row in table.rows if col < len(row) and row[col].strip()]
        numbers = 0
        for cell in cells:
            try:
                numbers += read_printed(cell) is not None
            except ValueError:
                pass
        if cells and numbers * 2 >= len(cells):
            found.append(col)
    return found


def _dataset_and_config(label: str) -> tuple[str, str]:
    """``newstest2013.en.fr`` -> (``newstest2013``, ``en-fr``); others unchanged."""
    match = _LANG_PAIR.match(label)
    if match:
        return match.group("dataset"), f"{match.group('src')}-{match.group('tgt')}"
    return label, ""


def _is_metric_name(header: str) -> bool:
    return canonical_name(split_from_name(header)[1]).replace(" ", "_") in _METRIC_WORDS


def _results_shape(table: MarkdownTable) -> str:
    """"datasets", "models" or "" (not a results table)."""
    if not table.headers or any(_NOT_RESULTS_HEADER.search(h) for h in table.headers):
        return ""
    if _NOT_RESULTS_CONTEXT.search(table.context):
        return ""
    first = _plain(table.headers[0])
    if _ROWS_ARE_DATASETS.match(first):
        return "datasets"
    if _ROWS_ARE_MODELS.match(first):
        return "models"
    return ""


def card_table_outcome(model_name: str, body: str, *, source_url: str = "",
                       collected_at: datetime | None = None) -> Outcome:
    """Records of the results tables in a card's markdown body (``source="huggingface"``)."""
    out = Outcome(source=source_url or model_name)
    when = collected_at or utcnow()
    own = re.sub(r"[^a-z0-9]", "", model_name.split("/")[-1].lower())
    for table in markdown_tables(body):
        shape = _results_shape(table)
        if not shape:
            continue
        columns = [c for c in _numeric_columns(table) if not is_property(table.headers[c])]
        for row_number, row in enumerate(table.rows, 1):
            label = _plain(row[0]) if row else ""
            if not label or _SUMMARY_ROW.match(label):
                continue
            for col in columns:
                if col >= len(row) or not row[col].strip():
                    continue
                header = _plain(table.headers[col])
                if shape == "datasets":
                    dataset, config = _dataset_and_config(label)
                    split, metric = split_from_name(header)
                    model = model_name
                else:
                    if _is_metric_name(header):
                        out.unreadable.append(f"{model_name}: table {table.index + 1} row "
                                              f"{row_number}: column {header!r} names a metric "
                                              "but no dataset")
                        continue
                    dataset, config, split, metric = header, "", "", "score"
                    model = model_name if re.sub(r"[^a-z0-9]", "", label.lower()) == own else label
                try:
                    parsed = read_printed(row[col])
                except ValueError:
                    out.unreadable.append(f"{model_name}: table {table.index + 1} row "
                                          f"{row_number} {header!r}: {row[col]!r} is not a number")
                    continue
                if parsed is None:
                    continue
                out.add(published_result(
                    model_name=model, dataset=dataset, dataset_config=config,
                    dataset_split=split, metric=metric, score=parsed.value, printed=row[col],
                    source="huggingface", source_url=source_url, collected_at=when,
                    extraction_method="card-table",
                    extra={"table": table.index + 1, "row": row_number, "metric_name": header,
                           "row_label": label, **parsed.provenance()}))
    return out
