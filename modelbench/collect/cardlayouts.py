"""The readers of a card's tables and lists laid out one way each, for :mod:`.cardtables`.

A table with one benchmark per heading and a value row under it (:func:`_read_heading_row`),
a ``| Metric | Value |`` table (:func:`_read_metric_value_table`), a table of source and
target languages (:func:`_language_pair_cells`), a port's scores beside the sacreBLEU run that
gave them (:func:`_read_port_scores`), and the results a card prints outside tables: bold
labels (:func:`bold_label_results`), linked dataset lists (:func:`linked_dataset_lists`),
listed values (:func:`listed_values_unreadable`); and the tables a corner cell shapes (a measure
over a heading's subsets, :func:`_corner_measure_cells`; settings over datasets,
:func:`_setting_rows_cells`; "模型/数据集", :func:`_with_models_corner`), a row of splits under
the metric row (:func:`_with_split_row_applied`), a leaderboard's listed task columns
(:func:`_leaderboard_task_columns`), a model-less row of "dataset metric" headers
(:func:`_read_dataset_metric_row`), and the names of a models table's columns.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from ..metrics import registered
from .cardcells import (
    _HEADING,
    _LINK,
    MarkdownTable,
    _heading_level,
    _is_number,
    _numeric_columns,
    _outside_tables,
    _plain,
    _under_last_heading,
)
from .carddata import card_dataset, card_task_config, heading_split
from .cardnames import _own
from .cardwords import (
    _BETTER_NOTE,
    _EVAL_NOTE,
    _HYPERPARAMETER,
    _NOT_A_RESULT_COLUMN,
    _NOT_RESULTS_HEADER,
    _ROWS_ARE_METRICS,
    _SHOTS,
    _STD_NOTE,
    _SUMMARY_ROW,
    _TOOLKIT_COLUMN,
    _VALUE_COUNT_HEADER,
    _VALUE_WORD,
)
from .outcome import (
    SPLIT_WORDS,
    Outcome,
    folded,
    header_labels,
    is_printed_mean,
    is_property,
    printed_notes,
    published_result,
    read_printed,
)

# "MRR@10 (MS MARCO dev)": a metric, then in brackets the dataset and its split.
_METRIC_THEN_DATA = re.compile(r"^(?P<metric>[^()]+?)\s*\((?P<data>[^()]+?)\s+(?P<split>\w+)\)$")


def _metric_then_bracketed_data(header: str) -> tuple[str, str, str] | None:
    """(dataset, split, metric) of a header printing a metric, then the dataset and a split in
    brackets ("MRR@10 (MS MARCO dev)"); None for any other ("F1 (macro avg)": no split).

    >>> _metric_then_bracketed_data("MRR@10 (MS MARCO dev)")
    ('MS MARCO', 'validation', 'MRR@10')
    >>> _metric_then_bracketed_data("F1 (macro avg)"), _metric_then_bracketed_data("MMLU (val)")
    (None, None)
    """
    found = _METRIC_THEN_DATA.match(header.strip())
    if not found or found.group("split").lower() not in SPLIT_WORDS:
        return None
    metric = found.group("metric").strip()
    if header_labels(metric) != ("", "", metric) or header_labels(found.group("data"))[2]:
        return None
    return found.group("data").strip(), SPLIT_WORDS[found.group("split").lower()], metric


def _metrics_after_a_dataset(header: str) -> list[str] | None:
    """A header naming a dataset, then metrics joined by "/" ("SQUAD 1.1 F1/EM"): one header
    per metric, each with the dataset ("SQUAD 1.1 F1", "SQUAD 1.1 EM"); None for any other.

    >>> _metrics_after_a_dataset("SQUAD 1.1 F1/EM"), _metrics_after_a_dataset("F1/EM")
    (['SQUAD 1.1 F1', 'SQUAD 1.1 EM'], None)
    """
    first, *others = [p.strip() for p in header.split("/")]
    data, split, metric = header_labels(first)
    if not others or not data or not metric or any(
            header_labels(p) != ("", "", p) for p in others):
        return None
    return [first, *(" ".join(w for w in (data, split, p) if w) for p in others)]


def _benchmark_name(label: str) -> str:
    """A benchmark's name less the shots and the evaluation notes printed after it.

    >>> _benchmark_name("GSM8k (mixed eval.)"), _benchmark_name("GSM8K CoTT 8-shot")
    ('GSM8k', 'GSM8K')
    >>> _benchmark_name("MMLU (5 shot MC)"), _benchmark_name("Arc (Challenge)")
    ('MMLU', 'Arc (Challenge)')
    >>> _benchmark_name("BBH (CoT)"), _benchmark_name("X (eval)")  # "(eval)" is a split
    ('BBH', 'X (eval)')
    """
    label = _BETTER_NOTE.sub("", label)
    return _EVAL_NOTE.sub("", _SHOTS.sub("", label).strip()).strip()


def _result_columns(table: MarkdownTable) -> list[int]:
    """The number columns that may hold results (not the model's size, speed, licence ...,
    nor the toolkit a score was measured in: ``| model | fairseq | transformers |``)."""
    return [c for c in _numeric_columns(table)
            if not is_property(table.headers[c]) and not _NOT_A_RESULT_COLUMN.search(
                _STD_NOTE.sub("", _plain(table.headers[c])))  # "acc. (std*)": a result
            and not _TOOLKIT_COLUMN.fullmatch(_plain(table.headers[c]))]


def _metric_header(header: str) -> str:
    """The metric a column header is, when it is nothing else ("cosine_spearman": Spearman's
    correlation of cosine similarities, an evaluator's name for a measure); "" otherwise."""
    text = _plain(header)
    if registered(text) is not None:
        return text
    last = text.rsplit("_", 1)[-1]
    return text if "_" in text and " " not in text and registered(last) is not None else ""


# "# F1 score": a number sign printed before the metric a value column holds
_NUMBER_SIGN = re.compile(r"^\s*#\s*(?P<rest>\S.*)$")


def with_number_signs_dropped(table: MarkdownTable) -> MarkdownTable:
    """A table whose headers "# F1 score" (a number sign before a metric, the value column of a
    ``| Model | # F1 score | Size(MB) |`` comparison) read "F1 score"; a sign before a count
    or property ("# Examples", "# Params") stays: that column counts something.

    >>> t = MarkdownTable(["Model", "# F1 score", "# Params", "# Examples"], [], "", 0)
    >>> with_number_signs_dropped(t).headers
    ['Model', 'F1 score', '# Params', '# Examples']
    """
    def dropped(header: str) -> str:
        found = _NUMBER_SIGN.match(_plain(header))
        known = registered(found.group("rest")) if found else None
        return found.group("rest") if known is not None and known.kind == "score" else header

    headers = [dropped(h) for h in table.headers]
    return table if headers == table.headers else replace(table, headers=headers)


# words that say how a measure is taken ("Prompt-Strict Acc", "Macro F1"): part of the metric
_MEASURE_QUALIFIER = re.compile(r"\b(?:strict|loose|macro|micro|weighted|normali[sz]ed|norm)\b",
                                re.I)
_BENCHMARK_OWN_SCORE = re.compile(r"^(?:total|overall)$", re.I)


def _heading_column_labels(header: str, benchmark: str) -> tuple[str, str]:
    """(config, metric) of a column of a one-row table under a benchmark's heading: the
    benchmark's name again is its score (shots dropped), "total" too; a metric after a word
    ("Distractor F1") is that metric on that part, unless the word says how the measure is
    taken ("Prompt-Strict Acc"); any other column ("writing") is a part, scored.

    >>> [_heading_column_labels(h, "MMLU") for h in ("MMLU 0-shot", "total", "writing")]
    [('', 'score'), ('', 'score'), ('writing', 'score')]
    >>> [_heading_column_labels(h, "X") for h in ("Distractor F1", "Prompt-Strict Acc")]
    [('Distractor', 'F1'), ('', 'Prompt-Strict Acc')]
    """
    text = _plain(header)
    if folded(_benchmark_name(text)) == folded(benchmark) or _BENCHMARK_OWN_SCORE.match(text):
        return "", "score"
    if registered(text) is not None:
        return "", text
    part, _, metric = header_labels(text)
    if metric and part and not _MEASURE_QUALIFIER.search(part):
        return part, metric
    if metric:
        return "", text
    return text, "score"


def _read_heading_row(table: MarkdownTable, benchmark: str, model_name: str, out: Outcome,
                      source_url: str, when: datetime) -> None:
    """The one row of a table under a benchmark's heading, printing no model (``####
    IFEval`` over ``| Prompt-Strict Acc | ... |``): the card's own results on it."""
    for header, raw in zip(table.headers, table.rows[0], strict=True):
        parsed = read_printed(raw)
        assert parsed is not None
        config, metric = _heading_column_labels(header, benchmark)
        out.add(published_result(
            model_name=model_name, dataset=benchmark, dataset_config=config, metric=metric,
            score=parsed.value, printed=raw, source="huggingface", source_url=source_url,
            collected_at=when, extraction_method="card-table",
            extra={"table": table.index + 1, "row": 1, "metric_name": _plain(header),
                   **parsed.provenance(), **printed_notes(raw)}))


def _dataset_metric_headers(headers: list[str]) -> dict[int, tuple[str, str, str]] | None:
    """Column -> (dataset, split, metric) of a row of headers each joining a dataset and its
    metric ("hellaswag_it acc_norm", "m_mmlu_it 5-shot acc", shots dropped), averages no
    result (left out); None when a header is neither or fewer than two are such.

    >>> _dataset_metric_headers(["hellaswag_it acc_norm", "m_mmlu_it 5-shot acc", "Average"])
    {0: ('hellaswag_it', '', 'acc_norm'), 1: ('m_mmlu_it', '', 'acc')}
    >>> _dataset_metric_headers(["Distractor F1", "writing"]) is None
    True
    """
    found = {}
    for c, header in enumerate(headers):
        dataset, split, metric = header_labels(_plain(header))
        if dataset and metric:
            found[c] = (_benchmark_name(dataset), split, metric)
        elif not _SUMMARY_ROW.search(_plain(header)):
            return None
    return found if len(found) > 1 else None


def _read_dataset_metric_row(table: MarkdownTable, model_name: str, out: Outcome,
                             source_url: str, when: datetime) -> bool:
    """The one row of a table that prints no model under headers joining each a dataset and
    its metric (``| hellaswag_it acc_norm | arc_it acc_norm | Average |`` over ``| 0.6067 |
    0.4405 | 0,52 |``, c84's layout without its "Metric" corner): the card's own results.
    False (nothing read) when the table is not so."""
    columns = _dataset_metric_headers(table.headers) if len(table.rows) == 1 else None
    if not columns:
        return False
    row = table.rows[0]
    cells = [(0, c, dataset, "", split, metric) for c, (dataset, split, metric) in columns.items()
             if c < len(row) and _is_number(row[c])]
    if len(cells) != len(columns):
        return False
    _store_cells(table, cells, model_name, out, source_url, when)
    return True



def _model_property_row(label: str) -> bool:
    """Whether a row of a ``| Metric | # Value |`` table names a property of the model, no
    result (``**Size** | **50 MB**``): left out of the table's results.

    >>> _model_property_row("Size"), _model_property_row("EM")
    (True, False)
    """
    return is_property(label)


def _metric_value_rows(table: MarkdownTable) -> list[tuple[int, str]]:
    """(row, metric) of a ``| Metric | # Value | ...`` table whose every row names a metric
    (``**EM**``, ``F1``, ``AUC``) and no data; empty for any other table. Columns after the
    value column (c95's "# Original (Table 5)", the paper's model) are not the card's.

    >>> t = MarkdownTable(["Metric", "# Value"], [["**EM**", "**76.95**"], ["F1", "85.7"]], "", 0)
    >>> _metric_value_rows(t)
    [(0, 'EM'), (1, 'F1')]
    >>> _metric_value_rows(MarkdownTable(["Metric", "Value"], [["EM", "76.9"], ["Layers", "12"]],
    ...                                  "", 0))  # a row that is no metric: not such a table
    []
    """
    if len(table.headers) < 2 or not _ROWS_ARE_METRICS.match(_plain(table.headers[0])) or (
            not _VALUE_COUNT_HEADER.match(_plain(table.headers[1]))):
        return []
    rows = [(r, _plain(row[0])) for r, row in enumerate(table.rows)
            if row and _plain(row[0]) and not _model_property_row(_plain(row[0]))]
    if not rows or not all(_metric_header(label) and len(table.rows[r]) > 1 and _is_number(
            table.rows[r][1]) for r, label in rows):
        return []
    return rows


def _read_metric_value_table(table: MarkdownTable, model_name: str, body: str, out: Outcome,
                             source_url: str, when: datetime) -> bool:
    """A ``| Metric | # Value |`` table of metric rows (see :func:`_metric_value_rows`): the
    card's model on the one dataset the card's text names (:func:`carddata.card_dataset`),
    split as its heading says; each value said unreadable when the card names no dataset
    (c122's discriminator "Accuracy"). False when the table is not of that shape."""
    rows = _metric_value_rows(table)
    if not rows:
        return False
    dataset = card_dataset(body)
    config = card_task_config(body, dataset) if dataset else ""
    heading = _under_last_heading(table.context).split("\n", 1)[0]
    split = heading_split(heading, body) if _HEADING.match(heading) else ""
    for r, metric in rows:
        raw = table.rows[r][1]
        if not dataset:
            out.unreadable.append(f"{model_name}: table {table.index + 1} {metric!r}: {raw!r}, "
                                  "a result on data the card does not name")
            continue
        _store_cells(table, [(r, 1, dataset, config, split, metric)], model_name, out,
                     source_url, when)
    return True


# "sacrebleu -t wmt19 -l $PAIR": the test set and language pair a card's scoring command names
_SACREBLEU_RUN = re.compile(r"\bsacrebleu\b[^\n]*?\s-t\s+(?P<test>[\w.\-]+)[^\n]*?\s-l\s+"
                            r"(?P<pair>\$?\{?\w[\w\-]*\}?)")
_PAIR_LABEL = re.compile(r"^[a-z]{2,3}-[a-z]{2,3}$")


def _sacrebleu_data(body: str) -> tuple[str, str] | None:
    """(test set, language pair) of the ``sacrebleu -t <set> -l <pair>`` command a card scored
    its model with; the pair from ``export PAIR=de-en`` when the command names a variable.

    >>> _sacrebleu_data("export PAIR=en-de\\nsacrebleu -t wmt16 -l $PAIR --echo src > x")
    ('wmt16', 'en-de')
    """
    run = _SACREBLEU_RUN.search(body)
    if not run:
        return None
    pair = run["pair"].strip("${}")
    if run["pair"].startswith("$"):
        set_to = re.search(rf"^\s*(?:export\s+)?{re.escape(pair)}=(?P<value>\S+)", body, re.M)
        pair = set_to["value"].strip("'\"") if set_to else ""
    return run["test"], pair


# "SUPERB uses the widely used [Speech Commands dataset v1.0](...) for the task": the data
# a card's task section names; "The evaluation metric is accuracy.": the measure
_TASK_DATA = re.compile(r"\buses\s+(?:the\s+)?(?:widely\s+used\s+)?\[(?P<name>[^\]]+)\]\([^)]*\)"
                        r"\s+(?:dataset\s+)?for\s+the\s+task\b", re.I)
_THE_METRIC = re.compile(r"\bthe\s+evaluation\s+metric\s+is\s+(?P<metric>[\w@\- ]+?)\s*\.",
                         re.I)


def _task_data(body: str) -> tuple[str, str] | None:
    """(dataset, metric) a card's task section names in words ("uses the widely used [Speech
    Commands dataset v1.0](...) for the task", "The evaluation metric is accuracy."); None
    when it names either not, or a metric the registry does not know.

    >>> _task_data("uses the widely used [Speech Commands dataset v1.0](u) for the task.\\n"
    ...            "The evaluation metric is accuracy.")
    ('Speech Commands v1.0', 'accuracy')
    """
    data, metric = _TASK_DATA.search(body), _THE_METRIC.search(body)
    if not data or not metric or registered(metric["metric"]) is None:
        return None
    name = re.sub(r"\s+", " ", re.sub(r"\bdataset\b", " ", data["name"], flags=re.I)).strip()
    return name, metric["metric"]


def _read_toolkit_split_rows(table: MarkdownTable, model_name: str, body: str, out: Outcome,
                             source_url: str, when: datetime) -> bool:
    """A ``| | s3prl | transformers |`` table over split rows (``| **test** | 0.9630 |
    0.9672 |``): the ``transformers`` column is this card's checkpoint, on the data and by
    the metric its task section names (:func:`_task_data`). False for any other table."""
    columns = [c for c, h in enumerate(table.headers) if _plain(h).lower() == "transformers"]
    named = _task_data(body)
    splits = [SPLIT_WORDS.get(_plain(row[0]).lower()) if row else None for row in table.rows]
    if len(columns) != 1 or named is None or not splits or not all(splits):
        return False
    cells = [(r, columns[0], named[0], "", split, named[1]) for r, split in enumerate(splits)]
    unquoted = [[cell.strip().strip("`") for cell in row] for row in table.rows]  # "`0.9672`"
    _store_cells(replace(table, rows=unquoted), cells, model_name, out, source_url, when)
    return True


def _read_port_scores(table: MarkdownTable, model_name: str, body: str, out: Outcome,
                      source_url: str, when: datetime) -> bool:
    """An FSMT port's ``| pair | fairseq | transformers |`` (or ``| model | transformers |``)
    table: the ``transformers`` column is this card's checkpoint (the ``fairseq`` one is the
    original's, scored by fairseq), BLEU on the set its ``sacrebleu`` command names, the row's
    language pair ("de-en") or, on the model's own row, the command's pair as config. False
    when the table has no such column or the card no such command."""
    columns = [c for c, h in enumerate(table.headers) if _plain(h).lower() == "transformers"]
    scored = _sacrebleu_data(body)
    if len(columns) != 1 or scored is None:
        return _read_toolkit_split_rows(table, model_name, body, out, source_url, when)
    test, pair = scored
    cells = []
    for r, row in enumerate(table.rows):
        label = _plain(row[0]) if row else ""
        config = label if _PAIR_LABEL.match(label) else (pair if _own(label, model_name) else None)
        if config is not None:
            cells.append((r, columns[0], test, config, "", "bleu"))
    _store_cells(table, cells, model_name, out, source_url, when)
    return bool(cells)


# "**IFEval**: 72.64", "**MT_Bench**: Turn 1 - 8.3875, Turn 2 - 8.00625, Average - 8.196875"
_BOLD_RESULT_LINE = re.compile(r"^\s*\*\*(?P<name>[A-Za-z][\w.+\-]*(?: [\w.+\-]+){0,2})\*\*\s*:"
                               r"\s*(?P<rest>\S.*?)\s*$")
_PART_VALUE = re.compile(r"^(?P<part>[A-Za-z][\w.]*(?: [\w.]+){0,2})\s+-\s+(?P<value>\d+\.\d+)$")
_RESULTS_HEADING = re.compile(r"\b(?:benchmarks?|evaluations?|evals?|results?|performance|"
                              r"scores?)\b", re.I)


def _bold_line_parts(rest: str) -> list[tuple[str, str]] | None:
    """(part, printed value) of what follows a bold label: one decimal ("72.64", part "") or
    parts with theirs ("Turn 1 - 8.3875, ..., Average - 8.196875"; the average is the
    benchmark's own score, part ""); None when it is not such.

    >>> _bold_line_parts("Turn 1 - 8.3875, Average - 8.19"), _bold_line_parts("3 epochs")
    ([('Turn 1', '8.3875'), ('', '8.19')], None)
    """
    if re.fullmatch(r"\d+\.\d+", rest):
        return [("", rest)]
    found = [_PART_VALUE.match(piece.strip()) for piece in rest.split(",")]
    if len(found) < 2 or not all(found):
        return None
    return [("" if _SUMMARY_ROW.search(m.group("part")) else m.group("part"), m.group("value"))
            for m in found if m]


def bold_label_results(body: str) -> list[tuple[int, str, str, str]]:
    """(line, benchmark, part, printed value) of each line under a results heading ("#
    Benchmarks") that prints a benchmark's score after its bold name (``**IFEval**: 72.64``).
    A bold name that is a metric, a property or a set-up word is no benchmark.

    >>> bold_label_results("# Benchmarks\\n## Chat\\n**IFEval**: 72.64\\n# Training\\n**X**: 1.25")
    [(3, 'IFEval', '', '72.64')]
    """
    found, results_level = [], 0  # the level of the results heading the line is under
    for number, line in enumerate(body.splitlines(), 1):
        level = _heading_level(line.strip())
        if level and (not results_level or level <= results_level):  # a sub-heading stays
            results_level = level if _RESULTS_HEADING.search(line) else 0
        if level:
            continue
        match = _BOLD_RESULT_LINE.match(line) if results_level else None
        name = match.group("name") if match else ""
        if not match or registered(name) is not None or is_property(name) or (
                _HYPERPARAMETER.search(name) or _NOT_A_RESULT_COLUMN.search(name)):
            continue
        parts = _bold_line_parts(match.group("rest"))
        found.extend((number, name, part, value) for part, value in parts or [])
    return found


# "**Single EM-Scores:**   [0.222, 0.123, 0.234, 0.159, 0.158]": a bold label over a list of
# values, one per fold (or run) of a cross-validation
_BOLD_VALUE_LIST = re.compile(r"^\s*\*\*(?P<name>[^*\n]{2,60}?)\s*:?\s*\*\*\s*:?\s*\[(?P<values>"
                              r"\s*\d*\.?\d+(?:\s*,\s*\d*\.?\d+)+\s*)\]\s*$")


def value_lists_unreadable(model_name: str, body: str) -> list[str]:
    """Why each list of values after a bold label (``**Single EM-Scores:** [0.222, 0.123,
    ...]``, one per fold of a cross-validation) is not stored: the list does not say which
    value is the card's model's (a sentence may, in words: "obtained from the **third**
    fold"), so none is read, said rather than passed over.

    >>> value_lists_unreadable("m", "**Single EM-Scores:**   [0.222, 0.123, 0.234]  \\n**X:** 1")
    ["m: line 1 'Single EM-Scores' lists 3 values (0.222, 0.123, 0.234), one per fold or run; \
the list does not say which is this card's model's, so none was read"]
    """
    said = []
    for number, line in enumerate(body.splitlines(), 1):
        found = _BOLD_VALUE_LIST.match(line.replace("\\_", "_"))
        if not found:
            continue
        values = [v.strip() for v in found["values"].split(",")]
        shown = ", ".join(values[:6]) + (", ..." if len(values) > 6 else "")
        said.append(f"{model_name}: line {number} {found['name'].strip()!r} lists {len(values)} "
                    f"values ({shown}), one per fold or run; the list does not say which is "
                    "this card's model's, so none was read")
    return said


def _add_bold_label_results(model_name: str, body: str, out: Outcome, source_url: str,
                            when: datetime) -> None:
    """The card's own scores printed as bold-label lines (:func:`bold_label_results`)."""
    for line, benchmark, part, printed in bold_label_results(body):
        parsed = read_printed(printed)
        assert parsed is not None
        out.add(published_result(
            model_name=model_name, dataset=benchmark, dataset_config=part, metric="score",
            score=parsed.value, printed=printed, source="huggingface", source_url=source_url,
            collected_at=when, extraction_method="card-text",
            extra={"line": line, **parsed.provenance()}))


# "**AGIEval** (from 43.07% to 43.62%)": a benchmark the fine-tune improved, the base model's
# score, then this model's
_IMPROVED_FROM = re.compile(r"\*\*(?P<name>[A-Za-z][\w.+\-]*(?: [\w.+\-]+){0,3})\*\*\s*\(\s*"
                            r"from\s+(?P<was>\d+(?:\.\d+)?%?)\s+to\s+(?P<now>\d+(?:\.\d+)?%?)"
                            r"\s*\)", re.I)


def _names_a_benchmark(name: str) -> bool:
    """Whether a bold name beside a score may be a benchmark: not a metric, a property, a
    set-up word or a column of no results ("Context length")."""
    return registered(name) is None and not is_property(name) and not (
        _HYPERPARAMETER.search(name) or _NOT_A_RESULT_COLUMN.search(name))


def improvement_results(body: str) -> list[tuple[int, str, str]]:
    """(line, benchmark, printed value) of each score a results section states in prose as an
    improvement over the base model ("Results are improved on every benchmark: **AGIEval**
    (from 43.07% to 43.62%)"): the value after "to" is this model's, the one after "from"
    the base's (:func:`_names_a_benchmark` says which bold names are benchmarks).

    >>> improvement_results("## Results\\nImproved: **AGIEval** (from 43.07% to 43.62%), "
    ...                     "**GPT4All** (from 73.12% to 73.25%)\\n## Usage\\n**X** (from 1 to 2)")
    [(2, 'AGIEval', '43.62%'), (2, 'GPT4All', '73.25%')]
    """
    return [(number, m.group("name"), m.group("now"))
            for number, paragraph in _results_paragraphs(body)
            for m in _IMPROVED_FROM.finditer(paragraph) if _names_a_benchmark(m.group("name"))]


def _results_paragraphs(body: str) -> list[tuple[int, str]]:
    """(first line, text) of each paragraph under a results heading, its lines joined.

    >>> _results_paragraphs("## Results\\nA b\\nc.\\n\\nD.\\n## Usage\\nE.")
    [(2, 'A b c.'), (5, 'D.')]
    """
    found: list[tuple[int, list[str]]] = []
    results_level, last = 0, 0
    for number, line in enumerate(body.splitlines(), 1):
        level = _heading_level(line.strip())
        if level and (not results_level or level <= results_level):
            results_level = level if _RESULTS_HEADING.search(line) else 0
        if level or not results_level or not line.strip():
            continue
        if found and last == number - 1:
            found[-1][1].append(line.strip())
        else:
            found.append((number, [line.strip()]))
        last = number
    return [(number, " ".join(lines)) for number, lines in found]


def _add_improvement_results(model_name: str, body: str, out: Outcome, source_url: str,
                             when: datetime) -> None:
    """The card's own scores stated as improvements in prose (:func:`improvement_results`)."""
    for line, benchmark, printed in improvement_results(body):
        parsed = read_printed(printed)
        assert parsed is not None
        out.add(published_result(
            model_name=model_name, dataset=benchmark, metric="score", score=parsed.value,
            printed=printed, source="huggingface", source_url=source_url, collected_at=when,
            extraction_method="card-text", extra={"line": line, **parsed.provenance()}))


_SOURCE_HEADER = re.compile(r"^(?:source|src)(?:\s+lang(?:uage)?)?$", re.I)
_TARGET_HEADER = re.compile(r"^(?:target|tgt|trg)(?:\s+lang(?:uage)?)?$", re.I)
# "The results of the evaluation using tatoeba (...)": the data a sentence says was used
_EVALUATION_USING = re.compile(r"\bevaluat(?:ion|ed)\s+(?:using|on|with)\s+(?:the\s+)?"
                               r"(?P<data>[A-Za-z][\w.\-]*)", re.I)


def _language_pair_cells(table: MarkdownTable) -> list[tuple[int, int, str, str, str, str]]:
    """(row, column, dataset, config, split, metric) of a table whose first two columns are
    a language pair (``| source | target | BLEU |`` over ``| en | ja | 32.7 |``): the card's
    model on the data the sentence above names ("evaluation using tatoeba"), the pair its
    config. Empty when the table is not so or the text names no data.

    >>> t = MarkdownTable(["source", "target", "BLEU(*1)"], [["en", "ja", "32.7"]],
    ...                   "The results of the evaluation using [tatoeba](x) are:", 0)
    >>> _language_pair_cells(t)
    [(0, 2, 'tatoeba', 'en-ja', '', 'BLEU')]
    """
    if len(table.headers) < 3 or not _SOURCE_HEADER.match(_plain(table.headers[0])) or not (
            _TARGET_HEADER.match(_plain(table.headers[1]))):
        return []
    found = _EVALUATION_USING.search(_plain(_under_last_heading(table.context)))
    if not found:
        return []
    metrics = {c: header_labels(table.headers[c])[2] for c in _result_columns(table) if c > 1}
    return [(r, c, found.group("data"), f"{_plain(row[0])}-{_plain(row[1])}", "", metric)
            for r, row in enumerate(table.rows) if len(row) > 2
            for c, metric in metrics.items() if metric]


# "NDCG@10", "MRR@10", "Acc": a corner cell that is a measure, over rows of data
_MEASURE_AT_K = re.compile(r"^(?:pass|recall|precision|ndcg|mrr|map|hit|acc|top|[rp])@\d+$",
                           re.I)


def _corner_measure(header: str) -> str:
    """The measure a table's corner cell names ("**NDCG@10**"), "" when it names none."""
    text = _plain(header)
    return text if registered(text) is not None or _MEASURE_AT_K.match(text) else ""


def _corner_measure_cells(table: MarkdownTable, model_name: str, benchmark: str
                          ) -> list[tuple[int, int, str, str, str, str]]:
    """(row, column, dataset, config, split, metric) of a table whose corner cell is its
    measure (``| NDCG@10 | <this model> | <others> |``) over rows of the subsets or languages
    of the benchmark the heading above names (``#### BEIR`` over "nfcorpus", "fiqa"): the
    card's own column, each row a config of the heading's benchmark; a row printing the
    heading's own name ("MSMARCO" under "MS MARCO Passage Retrieval") is the benchmark
    itself. Averages are no results. Empty when the table is not so.

    >>> t = MarkdownTable(["**NDCG@10**", "**m**", "BM25"], [["avg", "0.5", "0.4"],
    ...                   ["**fiqa**", "0.4", "0.2"]], "#### BEIR\\n", 0)
    >>> _corner_measure_cells(t, "o/m", "BEIR")
    [(1, 1, 'BEIR', 'fiqa', '', 'NDCG@10')]
    >>> t.rows = [["MSMARCO", "0.4", "0.2"]]
    >>> _corner_measure_cells(t, "o/m", "MS MARCO Passage Retrieval")
    [(0, 1, 'MSMARCO', '', '', 'NDCG@10')]
    """
    metric = _corner_measure(table.headers[0]) if table.headers else ""
    own = [c for c in _result_columns(table) if _own(_plain(table.headers[c]), model_name)]
    if not metric or not benchmark or not own:
        return []
    cells = []
    for r, row in enumerate(table.rows):
        label = _plain(row[0]) if row else ""
        if not label or _SUMMARY_ROW.search(label):
            continue
        whole = folded(benchmark).startswith(folded(label))
        data, config = (label, "") if whole else (benchmark, label)
        cells.extend((r, c, data, config, "", metric) for c in own)
    return cells


# "Context/Dataset": a corner naming what the rows are, then what the columns are; rows that
# are settings (context lengths, shots, sizes) of the one model the card is about
_SETTING_CORNER = re.compile(r"^(?:context(?:\s+length)?|length|shots?|settings?|budget|size)"
                             r"\s*/\s*(?:data\s*sets?|benchmarks?|tasks?)$", re.I)


def _setting_rows_cells(table: MarkdownTable) -> list[tuple[int, int, str, str, str, str]]:
    """(row, column, dataset, config, split, metric) of a table whose corner says its rows
    are settings and its columns datasets (``| Context/Dataset | TREC | WebQS |`` over rows
    "2K" ... "8K"): no model is printed, so each row is the card's one model run in that
    setting (the config) on each column's dataset. Empty when the table is not so.

    >>> t = MarkdownTable(["Context/Dataset", "TREC"], [["2K", "67.0"], ["8K", "**73.3**"]],
    ...                   "", 0)
    >>> _setting_rows_cells(t)
    [(0, 1, 'TREC', '2K', '', 'score'), (1, 1, 'TREC', '8K', '', 'score')]
    """
    if not table.headers or not _SETTING_CORNER.match(_plain(table.headers[0])):
        return []
    columns = {c: header_labels(table.headers[c]) for c in _result_columns(table)}
    return [(r, c, dataset, _plain(row[0]), split, metric or "score")
            for r, row in enumerate(table.rows) if row and _plain(row[0])
            for c, (dataset, split, metric) in columns.items() if dataset]


# "evaluated on [Open PL LLM Leaderboard](...)": the leaderboard a table's scores are from
_EVALUATED_ON_BOARD = re.compile(r"\b(?:evaluated|evaluation|scores?|results?)\b[^.\n]*?\b"
                                 r"(?:on|according to)\s+(?:the\s+)?(?P<board>[A-Z][\w.\-]*"
                                 r"(?: [\w.\-]+){0,5}? Leaderboard)\b")
# "- Reranking - reranking task, commonly used in RAG": a list item naming and describing a task
_DESCRIBED_ITEM = re.compile(r"^\s*[-*+]\s+\**(?P<name>[A-Z][\w\-]*)\b[^\n]*?\s[-\u2013:]\s+\S",
                             re.M)


def _leaderboard_task_columns(table: MarkdownTable) -> dict[int, tuple[str, str, str]]:
    """Column -> (dataset, config, metric) of a leaderboard's table whose columns the text
    lists as its tasks ("- Reranking - reranking task", a column "RAG Reranking"), under a
    sentence naming the leaderboard ("evaluated on [Open PL LLM Leaderboard]"): each such
    column a task (the config) of the leaderboard, scored; a listed measure column
    ("Perplexity") the leaderboard's measure. A column printing only the listed name ("ARC")
    is a benchmark of its own. Empty when no column is a task so listed.

    >>> t = MarkdownTable(["Model", "RAG Reranking", "Perplexity"], [["m", "62.1", "123.3"]],
    ...                   "Models have been evaluated on [X LLM Leaderboard](u).\\n- Reranking"
    ...                   " - a task\\n- Perplexity - a bonus\\n", 0)
    >>> _leaderboard_task_columns(t)
    {1: ('X LLM Leaderboard', 'RAG Reranking', 'score'), 2: ('X LLM Leaderboard', '', \
'Perplexity')}
    """
    text = _under_last_heading(table.section or table.context)
    board = _EVALUATED_ON_BOARD.search(_plain(text))
    listed = {found.group("name") for found in _DESCRIBED_ITEM.finditer(text)}
    if not board or not listed:
        return {}
    tasks, measures = {}, {}
    for c in _result_columns(table):
        header = _plain(table.headers[c])
        head, _, last = header.rpartition(" ")
        if head and last in listed:
            tasks[c] = (board.group("board"), header, "score")
        elif header in listed and registered(header) is not None:
            measures[c] = (board.group("board"), "", header)
    return {**tasks, **measures} if tasks else {}


# "模型/数据集" (model/dataset), "Models / Tasks": a corner naming the rows models, the columns data
_MODELS_CORNER = re.compile(r"^(?:models?|methods?|systems?|模型)\s*/\s*(?:data\s*sets?|"
                            r"benchmarks?|tasks?|数据集)$", re.I)


def _with_models_corner(table: MarkdownTable) -> MarkdownTable:
    """A table whose corner says its rows are models and its columns data ("模型/数据集")
    with the corner "Model" (a models table); the table itself otherwise.

    >>> _with_models_corner(MarkdownTable(["模型/数据集", "A"], [["m", "1"]], "", 0)).headers
    ['Model', 'A']
    """
    if not table.headers or not _MODELS_CORNER.match(_plain(table.headers[0])):
        return table
    return replace(table, headers=["Model", *table.headers[1:]])


def _split_row(table: MarkdownTable) -> list[list[str]] | None:
    """The splits, parted at "/", of the row right under a metric row (``| | dev / A榜 |
    test-1 |``): a blank label and names, no number; None when the table has none."""
    row = table.rows[0] if table.metrics and table.rows else []
    cells = [_plain(cell) for cell in row[1:]]
    if not row or _plain(row[0]) or not any(cells) or any(_is_number(c) for c in cells if c):
        return None
    return [[], *([p.strip() for p in cell.split("/")] if cell else [] for cell in cells)]


def _with_split_row_applied(table: MarkdownTable) -> MarkdownTable:
    """A table whose metric row (:attr:`MarkdownTable.metrics`) has a row of splits under it
    (``dev / A榜`` over ``68.91 / 66.91``) less that row, the splits kept per column
    (:attr:`MarkdownTable.splits`), a column over two splits one column per split.

    >>> t = MarkdownTable(["Model", "D", "T"], [["", "dev / A", "test-1"], ["m", "6.9 / 6.6",
    ...                   "8.3"]], "", 0, metrics={1: "F1", 2: "Accuracy"})
    >>> a = _with_split_row_applied(t); a.headers, a.rows, a.metrics, a.splits
    (['Model', 'D', 'D', 'T'], [['m', '6.9', '6.6', '8.3']], {1: 'F1', 2: 'F1', 3: 'Accuracy'}, \
{1: 'validation', 2: 'A', 3: 'test-1'})
    """
    named = _split_row(table)
    if named is None:
        return table
    headers, metrics, splits, plan = [table.headers[0]], {}, {}, [1]
    for col, header in enumerate(table.headers[1:], 1):
        parts = (named[col] if col < len(named) else []) or [""]
        plan.append(len(parts))
        for part in parts:
            if col in table.metrics:
                metrics[len(headers)] = table.metrics[col]
            if part:
                splits[len(headers)] = SPLIT_WORDS.get(part.lower(), part)
            headers.append(header)
    rows = []
    for row in table.rows[1:]:
        cells = row[:1]
        for col, cell in enumerate(row[1:], 1):
            count = plan[col] if col < len(plan) else 1
            pieces = [p.strip() for p in cell.split("/")] if count > 1 else [cell]
            cells.extend(pieces if len(pieces) == count else [cell, *[""] * (count - 1)])
        rows.append(cells)
    return replace(table, headers=headers, rows=rows, metrics=metrics, splits=splits)


# "LC. Win Rate", "Frechet Audio Distance", "Human Preference Elo Rating": a header that ends in
# a measure's words
_MEASURE_AT_END = re.compile(r"\b(?:win rate|distance|similarity|consistency|divergence|"
                             r"elo(?:\s+rating)?)$", re.I)


def _names_a_measure(header: str) -> bool:
    """Whether a column header is a measure, not data: the registry knows it, or it ends in a
    measure's words ("LC. Win Rate", "Frechet Audio Distance").

    >>> _names_a_measure("LC. Win Rate"), _names_a_measure("MMLU")
    (True, False)
    >>> _names_a_measure("Human Preference Elo Rating")
    True
    """
    plain = re.sub(r"\s*\(%\)\s*$", "", _plain(header)).strip()
    return registered(plain) is not None or _MEASURE_AT_END.search(plain) is not None


# "AlpacaEval Leaderboard Evaluation Results": a heading naming a benchmark, then section words
_SECTION_WORD = (r"(?:leaderboard|evaluation|eval|results?|scores?|performance|benchmarks?|"
                 r"summary|overview|models?)")
_HEADING_BENCHMARK = re.compile(rf"^(?!{_SECTION_WORD}\b)(?P<data>[A-Z][\w.\-]*(?:\s+\d[\w.]*)?)"
                                rf"(?:\s+{_SECTION_WORD})+$", re.I)


# "Below are the objective metrics obtained on MusicCaps": the data a sentence says measures are on
_MEASURED_ON = re.compile(r"\b(?:metrics|measures|results|scores)\b[^.\n]{0,40}?\bon\s+(?:the\s+)?"
                          r"(?P<data>[A-Z][\w.\-]*\w)")


def _measured_data(context: str) -> str:
    """The one benchmark a heading right above a table names before section words only
    ("## AlpacaEval Leaderboard Evaluation Results"), else the one a sentence under it says
    the measures are on ("the objective metrics obtained on MusicCaps"); "" if neither.

    >>> _measured_data("## Evaluation results\\n\\nBelow are the metrics obtained on MusicCaps.")
    'MusicCaps'
    """
    under = _under_last_heading(context)
    heading = _HEADING.match(under.split("\n", 1)[0])
    found = _HEADING_BENCHMARK.match(_plain(heading.group("text"))) if heading else None
    if found:
        return found.group("data")
    said = {m.group("data") for m in _MEASURED_ON.finditer(_plain(under))}
    return said.pop() if len(said) == 1 else ""


def _heading_measure_cells(table: MarkdownTable, model_name: str
                           ) -> list[tuple[int, int, str, str, str, str]]:
    """(row, column, dataset, config, split, metric) of the card's own rows of a models table
    whose columns are mostly measures (``| Model | LC. Win Rate | Win Rate |``, ``| Model |
    Frechet Audio Distance | KLD |``) on the data the heading or the sentence above names
    (:func:`_measured_data`): each column a measure on it. Empty when the table is not so.

    >>> t = MarkdownTable(["Model", "LC. Win Rate", "Avg. Length"], [["o/m", "53.27", "1803"]],
    ...                   "## [AlpacaEval Leaderboard Evaluation Results](https://x)\\n\\n", 0)
    >>> _heading_measure_cells(t, "o/m")
    [(0, 1, 'AlpacaEval', '', '', 'LC. Win Rate')]
    """
    columns = _result_columns(table)
    measured = [c for c in columns if _names_a_measure(table.headers[c])]
    data = _measured_data(table.context) if measured and 2 * len(measured) >= len(columns) else ""
    if not data:
        return []
    return [(r, c, data, "", "", _plain(table.headers[c]))
            for r, row in enumerate(table.rows) if row and _own(_plain(row[0]), model_name)
            for c in columns]


def _store_cells(table: MarkdownTable, cells: list[tuple[int, int, str, str, str, str]],
                 model_name: str, out: Outcome, source_url: str, when: datetime) -> None:
    """Each result cell's value as a record; a cell that is no number is said unreadable."""
    for r, c, dataset, config, split, metric in cells:
        raw = table.rows[r][c] if c < len(table.rows[r]) else ""
        if not raw.strip():
            continue
        where = f"{model_name}: table {table.index + 1} row {r + 1} {table.headers[c]!r}"
        try:
            parsed = read_printed(raw)
        except ValueError:
            out.unreadable.append(f"{where}: {raw!r} is not a number")
            continue
        if parsed is None:
            continue
        out.add(published_result(
            model_name=model_name, dataset=dataset, dataset_config=config,
            dataset_split=split, metric=metric, score=parsed.value, printed=raw,
            source="huggingface", source_url=source_url, collected_at=when,
            extraction_method="card-table",
            extra={"table": table.index + 1, "row": r + 1, "metric_name": table.headers[c],
                   "row_label": _plain(table.rows[r][0]), **parsed.provenance(),
                   **printed_notes(raw)}))


# "- Validation Loss: 2.061", "* **Perplexity**: 7.045": a measure and a value in a list item
_LISTED_VALUE = re.compile(r"^\s*[-*+]\s+\**(?P<name>[A-Za-z][\w /-]{1,40}?)\**\s*:\s*\**"
                           r"(?P<value>[-+]?\d[\d.,]*%?)\**\s*$")


def _listed_values(body: str) -> list[list[tuple[str, str]]]:
    """The (name, value) items of each list in a body's text (a list: items with only blank
    lines between them), tables left out."""
    lists: list[list[tuple[str, str]]] = [[]]
    for line in _outside_tables(body).splitlines():
        found = _LISTED_VALUE.match(line)
        if found:
            lists[-1].append((found.group("name").strip(), found.group("value")))
        elif line.strip() and lists[-1]:
            lists.append([])
    return [items for items in lists if items]


# "on validation partition of this updated [dataset](vibhorag101/phr_...)": a Hub dataset id
_LINKED_DATASET = re.compile(r"\[[^\]]*\]\(\s*(?:https?://huggingface\.co/datasets/)?"
                             r"(?P<id>[\w.\-]+/[\w.\-]+)\s*\)")
_SPLIT_IN_SENTENCE = re.compile(r"\b(?P<split>validation|test|dev|train)\b(?!\s*:)", re.I)


def linked_dataset_lists(body: str) -> list[tuple[int, str, str, str, str]]:
    """(line, dataset, split, metric, printed) of each ``- Metric: value`` item of a list
    right under a sentence naming the data by a link to its Hub id ("It achieves the following
    result on validation partition of this updated [dataset](owner/name)"): a result on that
    dataset. The loss, what training minimised, is none; a list under a sentence with no such
    link (a Trainer card's list restating its model-index) is left alone.

    >>> linked_dataset_lists("Results on the test split of [d](o/d)\\n- Loss: 0.1\\n- F1: 0.97")
    [(3, 'o/d', 'test', 'F1', '0.97')]
    """
    found, lines = [], body.splitlines()
    for i, line in enumerate(lines):
        link = _LINKED_DATASET.search(line)
        split = _SPLIT_IN_SENTENCE.search(_LINK.sub("", line)) if link else None
        if not link or not split or line.lstrip().startswith(("-", "*", "|")):
            continue
        for j in range(i + 1, len(lines)):
            item = _LISTED_VALUE.match(lines[j])
            if not item:
                break
            name = item.group("name").strip()
            if registered(name) is not None and registered(name).name != "loss":
                found.append((j + 1, link.group("id"), SPLIT_WORDS.get(
                    split.group("split").lower(), ""), name, item.group("value")))
    return found


def _add_linked_dataset_lists(model_name: str, body: str, out: Outcome, source_url: str,
                              when: datetime) -> None:
    """The card's own results listed under a sentence linking their data
    (:func:`linked_dataset_lists`)."""
    for line, dataset, split, metric, printed in linked_dataset_lists(body):
        parsed = read_printed(printed)
        assert parsed is not None
        out.add(published_result(
            model_name=model_name, dataset=dataset, dataset_split=split, metric=metric,
            score=parsed.value, printed=printed, source="huggingface", source_url=source_url,
            collected_at=when, extraction_method="card-text",
            extra={"line": line, **parsed.provenance()}))


# "fine-tuned version of X on the None dataset": a Trainer card written with no dataset name
_NONE_DATASET = re.compile(r"\bon the None dataset\b")


# "It achieves the following results on the evaluation set:": a Trainer card's list heading
_EVALUATION_SET = re.compile(r"\bresults on the evaluation set\s*:?\s*$", re.I)


def _evaluation_set_lists(body: str) -> list[list[tuple[str, str]]]:
    """The (name, value) items of each list right under a Trainer card's "results on the
    evaluation set:" line (blank lines between allowed), tables left out."""
    lists: list[list[tuple[str, str]]] = []
    under = False
    for line in _outside_tables(body).splitlines():
        found = _LISTED_VALUE.match(line)
        if found and under:
            lists[-1].append((found.group("name").strip(), found.group("value")))
        elif _EVALUATION_SET.search(line):
            under = True
            lists.append([])
        elif line.strip():
            under = False
    return [items for items in lists if items]


def listed_values_unreadable(model_name: str, body: str, *, index_results: bool = True
                             ) -> list[str]:
    """Why each evaluation measure of a train-time log printed as a list is not stored
    ("- Training Loss: 1.939", "- Validation Loss: 2.061", "- Perplexity: 7.045"): it names
    no dataset. The training measure itself is no result; a list with no training measure
    (a Trainer card's "results on the evaluation set", restating its model-index) is not
    such a log and is left alone, unless the model-index gave no results to restate
    (``index_results`` false): then its measures (less the loss) are on data not named.

    >>> listed_values_unreadable("m", "- Training Loss: 1.9\\n\\n- Validation Loss: 2.061\\n"
    ...                          "- Perplexity: 7.045\\n\\nText.\\n- Loss: 0.3\\n- Accuracy: 0.9")
    ["m: listed 'Validation Loss: 2.061' beside a training loss, a result on data the card \
does not name", "m: listed 'Perplexity: 7.045' beside a training loss, a result on data the \
card does not name"]
    """
    said = []
    none_dataset = _NONE_DATASET.search(body) is not None  # Trainer cards with no data given
    logs = [items for items in _listed_values(body) if none_dataset
            or any(_NOT_RESULTS_HEADER.search(name) for name, _ in items)]
    for items in logs:
        where = "on 'the None dataset'" if none_dataset else "beside a training loss"
        said.extend(_said_of_items(model_name, items, where, drop_loss=none_dataset))
    if not index_results:  # no model-index results for the list to restate: of which data?
        for items in _evaluation_set_lists(body):
            if items not in logs:
                said.extend(_said_of_items(model_name, items, "on 'the evaluation set'",
                                           drop_loss=True))
    return said


def _said_of_items(model_name: str, items: list[tuple[str, str]], where: str, *,
                   drop_loss: bool) -> list[str]:
    """Why each listed measure (the loss, what training minimised, left out when
    ``drop_loss``) is not stored: ``where`` names no data."""
    return [f"{model_name}: listed '{name}: {raw}' {where}, a result on data the card does "
            "not name" for name, raw in items if registered(name) is not None
            and _is_number(raw) and not (drop_loss and re.search(r"\bloss\b", name, re.I))]


# The names of a models table's columns: a setting, a subset or a metric printed after the
# benchmark ("ImageNet Zero-Shot", "FairFaceGender", "BBH MC", "ETH3D AbsRel"), for
# :func:`.cardtables._model_cells`.

# "ImageNet Zero-Shot", "MMLU 5-shot": the benchmark, and how many examples the prompt shows;
# "MedQA 4 opts": how many answers each question offers
_SHOT_SETTING_AT_END = re.compile(r"^(?P<data>.+?\S)\s+(?P<setting>(?:zero|one|few|\d+)[\s-]shot|"
                                  r"\d+\s+(?:opts?|options|choices))$", re.I)


def _shot_setting_at_end(dataset: str) -> tuple[str, str]:
    """(dataset, setting) of a column's dataset that ends in its shot setting; (it, "")
    otherwise.

    >>> _shot_setting_at_end("ImageNet Zero-Shot"), _shot_setting_at_end("MMLU")
    (('ImageNet', 'Zero-Shot'), ('MMLU', ''))
    >>> _shot_setting_at_end("MedQA 4 opts")
    ('MedQA', '4 opts')
    """
    found = _SHOT_SETTING_AT_END.match(dataset)
    return (found.group("data"), found.group("setting")) if found else (dataset, "")


def _registered_metric_at_end(label: str) -> tuple[str, str]:
    """(dataset, metric) of a header joining a dataset and a metric the registry knows in its
    last word ("ETH3D AbsRel", "KITTI δ>1.25"); (label, "") when its last word is none.

    >>> _registered_metric_at_end("KITTI δ>1.25"), _registered_metric_at_end("MMLU Pro")
    (('KITTI', 'δ>1.25'), ('MMLU Pro', ''))
    """
    head, _, last = label.strip().rpartition(" ")
    known = registered(last) if head else None
    if known is None or known.kind != "score":
        return label, ""
    return head.strip(), last


def _glued_subsets(datasets: dict[int, str], text: str) -> dict[int, tuple[str, str]]:
    """Column -> (dataset, subset) where two or more columns glue subsets to one dataset the
    text names ("FairFaceGender", "FairFaceRace" where the text says "on FairFace").

    >>> _glued_subsets({2: "FairFaceGender", 3: "FairFaceRace", 4: "MMLU"}, "on FairFace.")
    {2: ('FairFace', 'Gender'), 3: ('FairFace', 'Race')}
    """
    words = {w for w in re.findall(r"[A-Za-z][\w\-]{2,}", _plain(text))}
    found: dict[int, tuple[str, str]] = {}
    for c, dataset in datasets.items():
        for word in words:
            if dataset.startswith(word) and re.fullmatch(r"[A-Z][a-z]+", dataset[len(word):]):
                found[c] = (word, dataset[len(word):])
    named = [data for data, _ in found.values()]
    return {c: pair for c, pair in found.items() if named.count(pair[0]) >= 2}


_PLAIN_WORD = re.compile(r"[A-Za-z][a-z]{4,}")  # "Reranking": no abbreviation nor version


def _told_apart_by_a_last_word(datasets: dict[int, str]) -> dict[int, tuple[str, str]]:
    """Column -> (dataset, setting) where two or more columns print one benchmark told apart
    by a last word ("BBH MC", "BBH CoT": multiple choice and chain-of-thought): the word is
    the setting, else the two would be one result twice.

    >>> _told_apart_by_a_last_word({5: "BBH MC", 9: "BBH CoT", 3: "MMLU", 4: "MMLU Pro"})
    {5: ('BBH', 'MC'), 9: ('BBH', 'CoT')}
    >>> _told_apart_by_a_last_word({1: "FN-Sentiment (v1)", 2: "FN-Sentiment (v2)"})
    {1: ('FN-Sentiment', 'v1'), 2: ('FN-Sentiment', 'v2')}
    >>> _told_apart_by_a_last_word({1: "MMLU", 2: "MMLU Pro", 3: "MMLU Redux"})  # others'
    {}

    Two columns with one last word ("SQUAD 1.1" twice, for F1 and EM) are one benchmark's two
    metrics, its name whole:

    >>> _told_apart_by_a_last_word({1: "SQUAD 1.1", 2: "SQUAD 1.1"})
    {}

    A last word that is a plain word ("RAG Reranking", "RAG Reader") names a task of its own,
    not a setting (an abbreviation, a version, a bracketed note):

    >>> _told_apart_by_a_last_word({1: "RAG Reranking", 2: "RAG Reader"})
    {}
    """
    heads = {c: d.rsplit(" ", 1) for c, d in datasets.items()
             if " " in d.strip() and not _PLAIN_WORD.fullmatch(d.rsplit(" ", 1)[1])}
    words = {head: {w for h, w in heads.values() if h == head} for head, _ in heads.values()}
    return {c: (head, _unbracketed(word)) for c, (head, word) in heads.items()
            if len(words[head]) >= 2 and head not in datasets.values()}


def _unbracketed(word: str) -> str:
    """A setting word less the brackets it is printed in ("(v1)" -> "v1"), else as printed."""
    inner = re.fullmatch(r"\((?P<inner>[^()]+)\)", word)
    return inner.group("inner") if inner else word


# "en-ar", "en-es-latam", "zh-cn-en", "pt-br-en": a column of one translation direction
_PAIR_COLUMN = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,5}){1,3}$")
# "AVG en-xx", "AVG xx-xx": the mean of one direction's pair columns, "xx" any language
_DIRECTION_MEAN = re.compile(r"^(?:avg|average|mean)\.?\s+(?P<src>[a-z]{2,3})-(?P<tgt>[a-z]{2,3})$",
                             re.I)


def _direction_groups(headers: list[str], pairs: list[int]) -> list[tuple[int, list[int]]]:
    """(mean column, its pair columns) of each ``AVG en-xx`` / ``AVG xx-en`` / ``AVG xx-xx``
    header: the pairs from (to) the language it names, ``xx-xx`` the pairs of neither."""
    means = {c: _DIRECTION_MEAN.match(_plain(h)) for c, h in enumerate(headers)}
    means = {c: (m["src"].lower(), m["tgt"].lower()) for c, m in means.items() if m}
    named = {x for src_tgt in means.values() for x in src_tgt} - {"xx"}
    groups = []
    for column, (src, tgt) in means.items():
        def member(pair: str, src: str = src, tgt: str = tgt) -> bool:
            if src != "xx":
                return pair.startswith(f"{src}-")
            if tgt != "xx":
                return pair.endswith(f"-{tgt}")
            return not any(pair.startswith(f"{x}-") or pair.endswith(f"-{x}") for x in named)
        groups.append((column, [c for c in pairs if member(_plain(headers[c]))]))
    return groups


def pair_heading_cells(table: MarkdownTable, model_name: str, benchmark: str, out: Outcome
                       ) -> list[tuple[int, int, str, str, str, str]] | None:
    """(row, column, dataset, config, split, metric) of a models table whose columns are
    language pairs (``| Model | AVG | en-ar | en-bg |`` under ``#### Flores-200``): the pair a
    config of the benchmark the heading names. An own row two or more cells off its header
    cannot be put under it: a direction's cells are read only where their mean is the row's
    printed ``AVG en-xx``, every other value cell is said unreadable. None when the table is
    not so.

    >>> t = MarkdownTable(["Model", "AVG en-xx", "en-ar", "en-bg"], [["m", "2.0", "1", "3"]],
    ...                   "#### Flores-200\\n", 0)
    >>> pair_heading_cells(t, "o/m", "Flores-200", Outcome())
    [(0, 2, 'Flores-200', 'en-ar', '', 'score'), (0, 3, 'Flores-200', 'en-bg', '', 'score')]
    >>> t.rows = [["m", "2.5", "1", "3", "4", "5"]]
    >>> out = Outcome(); pair_heading_cells(t, "o/m", "Flores-200", out), len(out.unreadable)
    ([], 4)
    """
    pairs = [c for c, h in enumerate(table.headers) if c and _PAIR_COLUMN.match(_plain(h))]
    if not benchmark or len(pairs) < 2:
        return None
    cells = []
    for r, row in enumerate(table.rows):
        if not row or not _own(_plain(row[0]), model_name):
            continue
        lined = set(pairs)
        if abs(len(row) - len(table.headers)) >= 2:
            lined = {c for mean, group in _direction_groups(table.headers, pairs)
                     if len(row) > max(group, default=len(row))
                     and is_printed_mean(row[mean], [row[c] for c in group], within_units=0.5)
                     for c in group}
            out.unreadable.extend(
                f"{model_name}: table {table.index + 1} row {r + 1} cell {c + 1} {row[c]!r}: "
                f"the row has {len(row)} cells under {len(table.headers)} headers, so it "
                "lines up with none" for c in range(pairs[0], len(row))
                if c not in lined and row[c].strip())
        cells.extend((r, c, benchmark, _plain(table.headers[c]), "", "score")
                     for c in sorted(lined))
    return cells


# "TouchStone is a benchmark based on ...": the benchmark a section's text introduces
_IS_A_BENCHMARK = re.compile(r"(?:^|[.!?]\s|[\u3002\uff01\uff1f])\s*"
                             r"(?P<data>[A-Z][\w.+\-]*(?: [A-Z][\w.+\-]*){0,2})\s+is\s+an?\s+"
                             r"(?:[\w\-]+\s+){0,4}?(?:benchmark|dataset|test\s+set)\b", re.M)
# "英语 (English)": a heading glossed in parentheses
_GLOSSED = re.compile(r"^.*?\S\s*\((?P<gloss>[^()]+)\)\s*$")


def value_word_cells(table: MarkdownTable, model_name: str
                     ) -> list[tuple[int, int, str, str, str, str]]:
    """(row, column, dataset, config, split, metric) of the card's own row in a
    ``| Model | Score |`` table under a sub-heading (``#### 英语 (English)``) of a section
    whose text introduces the one benchmark ("TouchStone is a benchmark based on ..."): the
    score on that benchmark, the sub-heading (its gloss in parentheses) the config. Empty
    when the table or its text is not so.

    >>> t = MarkdownTable(["Model", "Score"], [["m", "645.2"]], "#### 英语 (English)\\n", 0,
    ...                   section="### Chat\\n\\nWe chat. Touch is a benchmark by GPT4.\\n")
    >>> value_word_cells(t, "o/m")
    [(0, 1, 'Touch', 'English', '', 'Score')]
    """
    if len(table.headers) != 2 or not _VALUE_WORD.match(_plain(table.headers[1])):
        return []
    heading = _HEADING.match(_under_last_heading(table.context).split("\n", 1)[0])
    section_heading = (table.section or "").split("\n", 1)[0].strip()
    if not heading or heading.group(0).strip() == section_heading:
        return []
    text = _plain(heading.group("text"))
    glossed = _GLOSSED.match(text)
    found = _IS_A_BENCHMARK.search(_plain(_outside_tables(table.section or "")))
    if not found:
        return []
    config = glossed.group("gloss").strip() if glossed else text
    return [(r, 1, found.group("data"), config, "", _plain(table.headers[1]))
            for r, row in enumerate(table.rows) if row and _own(_plain(row[0]), model_name)]


# "| | precision | recall | f1-score | support |": sklearn's classification report as a table
_REPORT_MEASURES = {"precision": "Precision", "recall": "Recall", "f1-score": "F1", "f1": "F1"}
_REPORT_AVERAGE = re.compile(r"^(?P<kind>macro|micro|weighted|samples)\s+avg$", re.I)


def _classification_report_columns(table: MarkdownTable) -> dict[int, str]:
    """Column -> metric of a classification report (a blank first header, then precision,
    recall, f1-score; ``support``, a count, left out); empty for any other table.

    >>> _classification_report_columns(MarkdownTable(
    ...     ["", "precision", "recall", "f1-score", "support"], [], "", 0))
    {1: 'Precision', 2: 'Recall', 3: 'F1'}
    """
    if len(table.headers) < 3 or _plain(table.headers[0]):
        return {}
    named = {c: _REPORT_MEASURES.get(_plain(h).lower(), "") for c, h in enumerate(table.headers)}
    rest = {_plain(table.headers[c]).lower() for c, m in named.items() if c and not m}
    columns = {c: m for c, m in named.items() if c and m}
    return columns if len(columns) >= 2 and rest <= {"support"} else {}


def _report_cells(table: MarkdownTable, columns: dict[int, str], dataset: str, split: str
                  ) -> list[tuple[int, int, str, str, str, str]]:
    """Result cells of a classification report: a class row's under the class as config,
    ``accuracy``'s as Accuracy, ``macro avg``'s as "Precision Macro" (c27's names)."""
    cells = []
    for r, row in enumerate(table.rows):
        label = _plain(row[0]) if row else ""
        if not label.strip("-: "):
            continue  # a rule row ("|----------|")
        average = _REPORT_AVERAGE.match(label)
        for c, metric in columns.items():
            if label.lower() == "accuracy":
                cells.append((r, c, dataset, "", split, "Accuracy"))
            elif average:
                cells.append((r, c, dataset, "", split, f"{metric} {average['kind'].title()}"))
            else:
                cells.append((r, c, dataset, label, split, metric))
    return cells


def _read_classification_report(table: MarkdownTable, model_name: str, body: str, out: Outcome,
                                source_url: str, when: datetime) -> bool:
    """A classification report (:func:`_classification_report_columns`) of the card's model on
    the one dataset its text names, split as its heading says; said unreadable when the card
    names none. False when the table is not of that shape."""
    columns = _classification_report_columns(table)
    if not columns:
        return False
    dataset = card_dataset(body)
    if not dataset:
        out.unreadable.append(f"{model_name}: table {table.index + 1} is a classification "
                              "report on data the card does not name")
        return True
    heading = _under_last_heading(table.context).split("\n", 1)[0]
    split = heading_split(heading, body) if _HEADING.match(heading) else ""
    _store_cells(table, _report_cells(table, columns, dataset, split), model_name, out,
                 source_url, when)
    return True


# "| Set | Metric | Score |": a table whose rows are the splits of the card's one dataset
_SPLIT_HEADER = re.compile(r"^(?:data\s*)?(?:set|split)s?$", re.I)


def _split_row_cells(table: MarkdownTable, dataset: str
                     ) -> list[tuple[int, int, str, str, str, str]]:
    """Value cells of a ``| Set | Metric | Score |`` table whose every row names a split
    (``Validation``, ``Test``) and a metric; empty for any other table.

    >>> _split_row_cells(MarkdownTable(["Set", "Metric", "Score"], [["Validation",
    ...     "EM", "**83.59**"], ["Test", "EM", "81.50"]], "", 0), "QuaRTz")
    [(0, 2, 'QuaRTz', '', 'validation', 'EM'), (1, 2, 'QuaRTz', '', 'test', 'EM')]
    """
    headers = [_plain(h) for h in table.headers]
    if len(headers) != 3 or not _SPLIT_HEADER.match(headers[0]) or not (
            _ROWS_ARE_METRICS.match(headers[1]) and _VALUE_COUNT_HEADER.match(headers[2])):
        return []
    cells = []
    for r, row in enumerate(table.rows):
        split = SPLIT_WORDS.get(_plain(row[0]).lower(), "") if len(row) == 3 else ""
        if not split or not _metric_header(_plain(row[1])) or not _is_number(row[2]):
            return []
        cells.append((r, 2, dataset, "", split, _plain(row[1])))
    return cells


def _read_split_rows_table(table: MarkdownTable, model_name: str, body: str, out: Outcome,
                           source_url: str, when: datetime) -> bool:
    """A ``| Set | Metric | Score |`` table (:func:`_split_row_cells`): the card's model on the
    one dataset its text names. False when the table is not of that shape or the card names
    no dataset (the table is then left to the other readers, which say why)."""
    cells = _split_row_cells(table, card_dataset(body))
    if not cells or not cells[0][2]:
        return False
    _store_cells(table, cells, model_name, out, source_url, when)
    return True
