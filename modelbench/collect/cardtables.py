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
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from ..metrics import registered
from ..records import utcnow
from .cardcells import (
    _HEADING,
    MarkdownTable,
    _fold,
    _heading_level,
    _is_number,
    _numeric_columns,
    _outside_tables,
    _plain,
    _under_last_heading,
)
from .cardclaims import (
    benchmark_the_line_above_names,
    benchmark_the_line_names,
    collection_of_rows,
    heading_data_cells,
    listed_data_parts,
    measure_at_k_printed,
    metric_group_cells,
    metric_the_sentence_names,
    task_claims_unreadable,
    task_of_heading,
    with_checkpoint_link_as_own,
    with_format_rows_named,
)
from .carddata import card_dataset, heading_split
from .cardlayouts import (
    _add_bold_label_results,
    _add_improvement_results,
    _add_linked_dataset_lists,
    _benchmark_name,
    _corner_measure_cells,
    _glued_subsets,
    _heading_measure_cells,
    _language_pair_cells,
    _leaderboard_task_columns,
    _metric_header,
    _metric_then_bracketed_data,
    _metrics_after_a_dataset,
    _names_a_measure,
    _read_classification_report,
    _read_dataset_metric_row,
    _read_heading_row,
    _read_metric_value_table,
    _read_port_scores,
    _read_split_rows_table,
    _registered_metric_at_end,
    _result_columns,
    _setting_rows_cells,
    _shot_setting_at_end,
    _store_cells,
    _told_apart_by_a_last_word,
    _with_models_corner,
    _with_split_row_applied,
    listed_values_unreadable,
    pair_heading_cells,
    value_lists_unreadable,
    value_word_cells,
    with_number_signs_dropped,
)
from .cardnames import (
    _SIZE,
    _name_words,
    _names_linked_to_own_page,
    _names_own_model,
    _own,
    _own_by_a_shorter_name,
    _own_row_config,
    _size_column,
    _variant_the_text_names,
    _with_base_row_as_own,
    _with_label_linking_own_page,
    _with_linked_name_as_own,
    _with_misspelt_own_name,
    _with_ours_tail_as_own,
    _with_own_name_resolved,
    with_marked_own_cell,
    with_quantization_joined,
    with_self_reference_as_own,
    with_sized_own_name,
)
from .cardwords import (
    _BETTER_NOTE,
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
    _METRIC_AT_END,
    SPLIT_WORDS,
    Outcome,
    folded,
    header_labels,
    is_property,
    printed_notes,
    published_result,
    read_printed,
    split_from_name,
)
from .pagecontext import _metric_of

__all__ = ["MarkdownTable", "markdown_tables", "card_tables", "card_table_outcome",
           "listed_values_unreadable", "split_metric_rows"]

# "|---|:--:|", and as GitHub's markdown allows, one hyphen a cell ("| :- | :- |")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_ROWS_ARE_DATASETS = re.compile(r"^(test\s*set|testset|data\s*set|dataset|benchmark|task|eval"
                                r"(uation)?|split)s?\b", re.I)
_SPLIT_AT_END = re.compile(r"^(?P<data>.+?)\s+(?P<split>test|dev|validation|val)\s+set$", re.I)
_ROWS_ARE_SUBSETS = re.compile(r"^(language|lang|subset|config(uration)?)s?$", re.I)
# "Scores on the XL-Sum test sets are as follows": the data and split a sentence names.
_SCORES_ON = re.compile(r"\b(?:scores|results|performance)\s+on\s+(?:the\s+)?"
                        r"(?P<data>[A-Z][\w.\-]*(?:\s+[A-Z0-9][\w.\-]*)*)\s+"
                        r"(?P<split>test|dev|validation|val)\s+sets?\b", re.I)
# a first header that is only "模型", "モデル" or "모델" ("model" in Chinese, Japanese, Korean)
_ROWS_ARE_MODELS = re.compile(r"^(?:(model|models|method|system|name|checkpoint|evaluator|l?lm)"
                              r"s?\b|(?:模型|モデル|모델)$)", re.I)
# | Metric | Value |: the one column of a table naming no model (the Open LLM Leaderboard's)
_VALUE_HEADER = re.compile(r"^(?:values?|scores?|results?)$", re.I)
_NOT_RESULTS_CONTEXT = re.compile(r"contaminat|hyper-?parameter|training (results|log|procedure)",
                                  re.I)
# "| (metric) | (PPL) | (ACC) |": a row that gives the metric of each dataset column.
_METRICS_ROW = re.compile(r"^\(?\s*metrics?\s*\)?$", re.I)
# "| Category | Benchmark | ... |": a first column grouping the rows of the second.
_GROUP_COLUMN = re.compile(r"^(category|categories|group|domain|area|type)$", re.I)
# "| Model type | Model | ...": a column of rowspan groups ("Generalist Models") before the models
_MODEL_GROUP_COLUMN = re.compile(r"^(?:model\s+)?(?:type|group|family|category|kind)$", re.I)
# "anli_r1/acc", "truthfulQA (MC2)": a row label naming its dataset and its metric.
_LABEL_METRIC = re.compile(r"^(?P<data>[^/()]+?)\s*"
                           r"(?:/\s*(?P<slash>[^/()]+)|\((?P<paren>[^()]+)\))$")
# "we constructed a 4-dimensional test set, including ...", "our in-house evaluation set": data
# of the card's own making that it does not name.
_OWN_TEST_SET = re.compile(r"\b(?:we|our)\b[^.]*?\b(?:constructed|built|created|collected|"
                           r"curated|designed|in-house|internal)\b[^.]*?\b(?:test|evaluation|"
                           r"eval)\s*(?:set|suite|data)\b", re.I)
# A model's revisions side by side ("| Benchmarks | Original | June 2024 Update |"): the label of
# the earlier one, and of the later one, which is the checkpoint a card of the update shows.
_EARLIER_RELEASE = re.compile(r"^(?:original|previous|old|initial)(?:\s+(?:release|version|"
                              r"model))?$", re.I)
_LATER_RELEASE = re.compile(r"\b(?:update[sd]?|new|latest|current)(?:\s+(?:release|version))?$",
                            re.I)
# "RULER: a retrieval-based benchmark for long context understanding", the line right above a
# table: the benchmark its columns ("4K | 8K", "Python | C++") are parts of.
_BENCHMARK_INTRODUCED = re.compile(r"^(?P<data>[A-Z][\w.+\-]*(?:[ \-][\w.+\-]+){0,3}):\s+an?\s+"
                                   r"[^.]*?\b(?:benchmark|dataset|test\s+set|suite)\b")
# "- [HHH-alignment](https://...)": an item of a list, a name (linked or not) and nothing more.
_LIST_ITEM = re.compile(r"^\s*[-*+]\s+(?:\[(?P<link>[^\]]{2,60})\]\([^)]*\)|(?P<text>[^\s:,.]"
                        r"[^:,.]{1,58}))\s*$")
# "Auto-J Pairwise test data performance": a heading naming the data its table is on.
_PERFORMANCE_ON = re.compile(r"^(?P<data>.+?)\s+(?:performance|results?|scores?|evaluation)$", re.I)
_OVERALL = re.compile(r"^\W*(?:overall\b|总分)", re.I)  # 总分: "total score"
_TEST_DATA = re.compile(r"\btest\s*(?:data|set)\b", re.I)
# "4K", "128K": a column per context length (or size), a part of a benchmark's results
_SIZE_HEADER = re.compile(r"\d+(?:\.\d+)?\s*[kKmM]")
# "MMMU<sub>val</sub>": a benchmark's name with a subscript note (its split or its config)
_SUB_NOTE = re.compile(r"^(?P<data>.*?\S)\s*<sub>(?P<note>[^<]+)</sub>\s*$", re.I)
# a split word, or one a benchmark adds to ("testmini", "test-dev", "test-std", "val2017")
_SPLIT_NAME = r"(?:test|val|validation|dev)(?:[-_]?(?:mini|dev|std|clean|other|challenge|\d{4}))?"
# "MathVista (testmini)", "VQAv2 (test-dev)": the split a benchmark's column is on.
_SPLIT_NOTE = re.compile(rf"^(?P<data>.+?)\s*\(\s*(?P<split>{_SPLIT_NAME})\s*\)$", re.I)
# "MMMU (val/test)" over "43.5/37.9": one result on each split.
_SPLITS_JOINED = re.compile(rf"^(?P<data>.+?)\s*\(\s*(?P<a>{_SPLIT_NAME})\s*/\s*"
                            rf"(?P<b>{_SPLIT_NAME})\s*\)$", re.I)
# "For ToxiGen, we present the percentage of toxic generations": the measure of one column, as
# a caption under a table says it; "of generations that are both truthful and informative" is
# the share of those that are "truthful and informative".
_MEASURE_OF = re.compile(r"\bfor\s+(?P<data>[\w.\-]+),\s+we\s+(?:present|report|show)\s+the\s+"
                         r"percentage\s+of\s+(?:\w+\s+that\s+(?:are|is)\s+(?:both\s+)?)?"
                         r"(?P<what>[^.(;]+?)\s*(?:\(|[.;]|$)", re.I)
_SAME_AS_ABOVE = re.compile(r"\bsame\s+(?:metrics?\s+)?(?:definitions?|metrics?)\s+as\s+above\b",
                            re.I)
# "pass@1", "Recall@10": a metric at a cut-off, which running text names unambiguously.
_METRIC_AT_K = re.compile(r"\b(?:pass|recall|precision|ndcg|mrr|hit|acc|top|[rp])@\d+\b", re.I)
_LANG_PAIR = re.compile(r"^(?P<dataset>.+?)[._](?P<src>[a-z]{2,3}(?:_[A-Za-z]+)?)[._]"
                        r"(?P<tgt>[a-z]{2,3}(?:_[A-Za-z]+)?)$")
# "Similarity Evaluation on STS.en-el.txt (translated ...)": the data a heading says it is on.
_EVALUATED_ON = re.compile(r"\b(?:evaluation|evaluated|results?|scores?|performance)\b.*?\bon\s+"
                           r"(?:the\s+)?(?P<data>[^\s(,:;]+(?:\s+[^\s(,:;]+){0,2}?)\s*"
                           r"(?:\(|[,:;]|$)", re.I)


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [" ".join(cell.split()) for cell in line.split("|")]


def _is_separator(line: str) -> bool:
    """Whether a line is a table's ``|---|`` line (a lone "-" is a list mark, not one)."""
    return bool(_SEPARATOR.match(line)) and ("|" in line or "--" in line)


def markdown_tables(text: str) -> list[MarkdownTable]:
    """Every pipe table (header line, ``|---|`` line, rows) of a markdown text.

    >>> [t.headers for t in markdown_tables("x\\n| a | b |\\n|:--|--:|\\n| 1 | 2 |\\n")]
    [['a', 'b']]
    >>> [t.rows for t in markdown_tables("| a | b |\\n| :- | :- |\\n| 1 | 2 |")]
    [[['1', '2']]]
    >>> [t.rows for t in markdown_tables("| a | b |\\n\\n|--|--|\\n\\n| 1 | 2 |\\n\\n| 3 | 4 |")]
    [[['1', '2'], ['3', '4']]]
    """
    lines = text.replace("\r\n", "\n").split("\n")
    tables: list[MarkdownTable] = []
    i = 0
    while i < len(lines) - 1:
        spaced = _double_spaced_at(lines, i)
        if "|" in lines[i] and (_is_separator(lines[i + 1]) or spaced):
            headers = _cells(lines[i])
            rows, j = [], i + (3 if spaced else 2)
            j += spaced and j < len(lines) and not lines[j].strip()
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                rows.append(_cells(lines[j]))
                j += 2 if spaced and j + 2 < len(lines) and not lines[j + 1].strip() \
                    and "|" in lines[j + 2] else 1
            context = "\n".join(lines[max(0, i - 8):i])
            tables.append(MarkdownTable(headers, rows, context, len(tables),
                                        _enclosing_section(lines[:i]), _paragraph_at(lines, j)))
            i = j
        else:
            i += 1
    return tables


def _double_spaced_at(lines: list[str], i: int) -> bool:
    """Whether a table starts at line ``i`` with a blank line between each two of its lines
    (an lm-eval table pasted double-spaced into a code block: header, blank, ``|---|``)."""
    return i + 2 < len(lines) and "|" in lines[i] and not lines[i + 1].strip() and (
        "|" in lines[i + 2] and _is_separator(lines[i + 2]))


_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)


def card_tables(text: str) -> list[MarkdownTable]:
    """Every table of a card's body, pipe tables and HTML ``<table>`` blocks (spans
    expanded, header rows joined, as on a web page), in the order they are printed.

    >>> [t.headers for t in card_tables("| a | b |\\n|--|--|\\n| 1 | 2 |\\n\\n<table><tr><th>c"
    ...                                 "</th></tr><tr><td>3</td></tr></table>")]
    [['a', 'b'], ['c']]
    """
    text = text.replace("\r\n", "\n")
    found: list[tuple[int, MarkdownTable]] = []
    start = 0
    for block in _HTML_TABLE.finditer(text):
        found.extend((start, t) for t in markdown_tables(text[start:block.start()]))
        found.extend((block.start(), t) for t in _html_tables(block.group(0),
                                                                  text[:block.start()]))
        start = block.end()
    found.extend((start, t) for t in markdown_tables(text[start:]))
    tables = [t for _, t in found]
    for index, table in enumerate(tables):
        table.index = index
    return tables


# "VQAv2<sup>dev</sup>", "TextVQA<sub>val</sub>": a split printed as a mark on the name
_SPLIT_MARK = re.compile(rf"<(?P<tag>sup|sub)>\s*(?P<split>{_SPLIT_NAME})\s*</(?P=tag)>", re.I)


def _with_split_marks_noted(block: str) -> str:
    """An HTML table with each split printed as a super- or subscript on a name noted in
    parentheses, as a reader takes it ("VQAv2<sup>dev</sup>" is "VQAv2 (dev)"); the table's
    reader would take a mark after a digit for a footnote ("VQAv2 dev").

    >>> _with_split_marks_noted("<th>VQAv2<sup>dev</sup></th><td>768<sup>3</sup></td>")
    '<th>VQAv2 (dev)</th><td>768<sup>3</sup></td>'
    """
    return _SPLIT_MARK.sub(lambda m: f" ({m.group('split')})", block)


def _html_tables(block: str, before: str) -> list[MarkdownTable]:
    """One ``<table>`` block of a card as tables of text, with the lines above it."""
    from .tables import extract_tables

    context = "\n".join(before.split("\n")[-9:])
    section = _enclosing_section(before.split("\n"))
    return [MarkdownTable(t.headers, t.rows, context, 0, section)
            for t in extract_tables(_with_split_marks_noted(block)) if t.headers and t.rows]


def _paragraph_at(lines: list[str], start: int) -> str:
    """The paragraph that starts at or after ``start`` (blank lines skipped), "" at a heading
    or another table."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = start
    while end < len(lines) and lines[end].strip() and "|" not in lines[end] \
            and not _HEADING.match(lines[end]):
        end += 1
    return "\n".join(lines[start:end])


def _enclosing_section(lines: list[str]) -> str:
    """The lines above a table from the heading that encloses the table's own one ("###
    Performance" over "#### HHH-Alignment ..."): what a section says before its sub-sections.
    """
    levels = [_heading_level(line.strip()) for line in lines]
    own = next((i for i in range(len(lines) - 1, -1, -1) if levels[i]), None)
    if own is None:
        return "\n".join(lines)
    outer = next((i for i in range(own - 1, -1, -1) if 0 < levels[i] < levels[own]), own)
    return "\n".join(lines[outer:])


def _dataset_and_config(label: str) -> tuple[str, str]:
    """``newstest2013.en.fr`` -> (``newstest2013``, ``en-fr``); others unchanged."""
    match = _LANG_PAIR.match(label)
    if match:
        return match.group("dataset"), f"{match.group('src')}-{match.group('tgt')}"
    return label, ""


def _scores_on(context: str) -> tuple[str, str]:
    """(dataset, split) a sentence above a table names ("Scores on the XL-Sum test sets").

    >>> _scores_on("## Benchmarks\\n\\nScores on the XL-Sum test sets are as follows:")
    ('XL-Sum', 'test')
    >>> _scores_on("Results on the following tasks:")
    ('', '')
    """
    for line in reversed(context.splitlines()):
        found = _SCORES_ON.search(line)
        if found:
            return found.group("data"), SPLIT_WORDS[found.group("split").lower()]
    return "", ""


# "We fine-tuned the following models and evaluated them on the dev set of JGLUE.": the split
# every column of the table below is on
_EVALUATED_ON_SPLIT = re.compile(r"\bevaluated\s+(?:them|it|the\s+models?)\s+on\s+the\s+"
                                 r"(?P<split>dev|development|validation|test)\s+sets?\b", re.I)


def _evaluated_split(context: str) -> str:
    """The split the text right above a table says its models were evaluated on, "" if none
    or two.

    >>> _evaluated_split("We fine-tuned the models and evaluated them on the dev set of JGLUE.")
    'validation'
    """
    splits = {SPLIT_WORDS[m["split"].lower()]
              for m in _EVALUATED_ON_SPLIT.finditer(_plain(_under_last_heading(context)))}
    return splits.pop() if len(splits) == 1 else ""


# "TallyQA (simple/full)", "POPE (rand/pop/adv)": a benchmark's column over its configs
_CONFIGS_JOINED = re.compile(r"^(?P<data>[A-Za-z][\w.\-]*)\s*\((?P<parts>[a-z]{2,10}"
                             r"(?:\s*/\s*[a-z]{2,10})+)\)$", re.I)


def _configs_joined(header: str, cells: list[str]) -> tuple[str, list[str]] | None:
    """(dataset, configs) of a column whose header names a benchmark's configs joined by "/"
    and each of whose number cells joins as many numbers ("89.6 / 88.8 / 87.2"; "-" none);
    None otherwise.

    >>> _configs_joined("POPE (rand/pop/adv)", ["89.6 / 88.8 / 87.2", "-"])
    ('POPE', ['rand', 'pop', 'adv'])
    >>> _configs_joined("POPE (rand/pop/adv)", ["89.6 / 88.8"]) is None
    True
    """
    found = _CONFIGS_JOINED.match(header)
    if not found:
        return None
    configs = [part.strip() for part in found["parts"].split("/")]
    numbers = [c for c in cells if not _MISSING_CELL.match(c)]
    if not numbers or not all(len(c.split("/")) == len(configs) and all(
            _is_number(piece) for piece in c.split("/")) for c in numbers):
        return None
    return found["data"], configs


_MISSING_CELL = re.compile(r"^\s*(?:[-\u2013\u2014]+|n/?a)\s*$", re.I)


def _split_joined_columns(table: MarkdownTable) -> MarkdownTable:
    """The table with each column whose header joins metrics by "/" ("ROUGE-1 / ROUGE-2 /
    ROUGE-L") and whose cells join as many numbers ("20.0485 / 7.4111 / 18.0753") split into
    one column per metric; the table itself when it has none.

    >>> t = MarkdownTable(["Language", "ROUGE-1 / ROUGE-2"], [["Amharic", "20.0 / 7.4"]], "", 0)
    >>> s = _split_joined_columns(t); s.headers, s.rows
    (['Language', 'ROUGE-1', 'ROUGE-2'], [['Amharic', '20.0', '7.4']])

    A benchmark's column over two splits ("MMMU (val/test)" over "43.5/37.9", "36.6/-") is
    one column per split:

    >>> t = MarkdownTable(["Model", "MMMU (val/test)"], [["a", "43.5/37.9"], ["b", "-"]], "", 0)
    >>> s = _split_joined_columns(t); s.headers, s.rows
    (['Model', 'MMMU (val)', 'MMMU (test)'], [['a', '43.5', '37.9'], ['b', '-', '-']])
    """
    plan: list[list[str] | None] = [None]
    for col, header in enumerate(table.headers[1:], 1):
        parts = [p.strip() for p in _plain(header).split("/")]
        cells = [row[col] for row in table.rows if col < len(row) and row[col].strip()]
        joined = len(parts) > 1 and all(header_labels(p) == ("", "", p) for p in parts) and cells
        splits = _SPLITS_JOINED.match(_plain(header))
        parts = parts if joined else _metrics_after_a_dataset(_plain(header)) or []
        if parts and cells and all(len(c.split("/")) == len(parts) for c in cells):
            plan.append(parts)  # "SQUAD 1.1 F1/EM" too: the dataset with each metric
        elif splits and cells and all(len(c.split("/")) == 2 or not _is_number(c)
                                      for c in cells) and any("/" in c for c in cells):
            data = splits.group("data")
            plan.append([f"{data} ({splits.group('a')})", f"{data} ({splits.group('b')})"])
        elif found := _configs_joined(_plain(header), cells):
            data, configs = found  # "TallyQA (simple/full)" over "82.6 / 77.6"
            plan.append([f"{data} ({config})" for config in configs])
        else:
            plan.append(None)
    if not any(plan):
        return table
    headers: list[str] = []
    for header, parts in zip(table.headers, plan, strict=True):
        headers.extend(parts or [header])
    rows = []
    for row in table.rows:
        cells = []
        for col, cell in enumerate(row):
            parts = plan[col] if col < len(plan) else None
            pieces = [p.strip() for p in cell.split("/")] if parts else [cell]
            cells.extend(pieces if not parts or len(pieces) == len(parts) else [cell] * len(parts))
        rows.append(cells)
    return replace(table, headers=headers, rows=rows)


_BOLD_TITLE = re.compile(r"^\s*\*\*[^*|]+\*\*\s*$")


def _under_last_title(context: str) -> str:
    """The lines above a table from its nearest heading or bold title line on (``**KLUE
    Benchmark**``: a title as a card prints one without a heading): a list of the training
    set-up above the title is not about the table.

    >>> _under_last_title("## Benchmark\\n* hyperparameter search\\n\\n**KLUE Benchmark**\\n")
    '**KLUE Benchmark**\\n'
    """
    lines = _under_last_heading(context).splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _BOLD_TITLE.match(line)]
    return "".join(lines[starts[-1]:]) if starts else "".join(lines)


_TRAIN_STEPS = re.compile(r"^train(?:ing)?\s+steps$", re.I)


def _not_results(table: MarkdownTable) -> bool:
    """Whether a table is a training log, a hyper-parameter set-up or a contamination check.
    A "train steps" column of a table of models (``| Model | train steps | rFID |``) says how
    long each checkpoint was trained, not that the table logs training."""
    models = bool(table.headers) and bool(_ROWS_ARE_MODELS.match(_plain(table.headers[0])))
    if any(_NOT_RESULTS_HEADER.search(h) for h in table.headers
           if not (models and _TRAIN_STEPS.match(_plain(h)))):
        return True
    if _NOT_RESULTS_CONTEXT.search(_under_last_title(table.context)):
        return True
    # | warmup steps | 5000 | ... | peak LR | 3.0E-04 |: a training set-up
    return sum(bool(row) and bool(_HYPERPARAMETER.search(_plain(row[0]))) for row in table.rows) > 1


def _unshaped_note(table: MarkdownTable, model_name: str) -> list[str]:
    """Why a table of numbers that is no training log was not read: its first header says
    neither models nor benchmarks ("Language" with no data named), said so that nothing is
    passed over silently. Empty for a table with no number column or one known not results.

    >>> t = MarkdownTable(["Setting", "A"], [["x", "1.5"]], "", 0)
    >>> _unshaped_note(t, "o/m")[0]
    "o/m: table 1 has numbers, but its first header 'Setting' names neither models nor \
benchmarks, so it was not read"
    """
    # a toolkit column ("| pair | fairseq | transformers |") holds results too, just not
    # ones the reader can file: the table is still said
    toolkits = [c for c in _numeric_columns(table)
                if _TOOLKIT_COLUMN.fullmatch(_plain(table.headers[c]))]
    if not table.headers or _not_results(table) or not (_result_columns(table) or toolkits):
        return []
    return [f"{model_name}: table {table.index + 1} has numbers, but its first header "
            f"{_plain(table.headers[0])!r} names neither models nor benchmarks, so it was not "
            "read"]


def _results_shape(table: MarkdownTable, model_name: str = "") -> str:
    """"datasets", "models" or "" (not a results table). A blank first header over columns
    one of which names the card's model (``| | Llama 7B | **OLMo 7B** (ours) |``): rows are
    datasets."""
    if not table.headers or _not_results(table):
        return ""
    first = _plain(table.headers[0])
    if not first and any(_own(_plain(h), model_name) for h in table.headers[1:]):
        return "datasets"
    if not first and any(row and _own(_plain(row[0]), model_name) for row in table.rows):
        return "models"  # a blank first header over rows one of which is the card's model
    if _ROWS_ARE_METRICS.match(first):
        return "metric rows"
    if _ROWS_ARE_SUBSETS.match(first):
        return "subsets" if _scores_on(table.context)[0] or _own_column_under_heading(
            table, model_name) else ""
    if _ROWS_ARE_DATASETS.match(first) or _sources_over_one_metric(table):
        return "datasets"
    if _ROWS_ARE_MODELS.match(first):
        return "datasets" if _own_column_over_data_rows(table, model_name) else "models"
    return ""


def _sources_over_one_metric(table: MarkdownTable) -> bool:
    """Whether a table is ``| Source | Macro F1 |`` over data sources, not language codes
    ("| SentiRuEval2016_banks | 0.83 |"): the card's data, one metric of its model's each.

    >>> _sources_over_one_metric(MarkdownTable(["Source", "Macro F1"], [["linis", "0.5"]], "", 0))
    True
    >>> _sources_over_one_metric(MarkdownTable(["Source", "BLEU"], [["en", "30.1"]], "", 0))
    False
    """
    return (len(table.headers) == 2 and bool(_DATA_SOURCE.match(_plain(table.headers[0])))
            and registered(_plain(table.headers[1])) is not None and bool(table.rows)
            and not any(_LANGUAGE_CODE.match(_plain(row[0])) for row in table.rows if row))


_DATA_SOURCE = re.compile(r"^(?:data\s+)?sources?$", re.I)
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


def _own_column_over_data_rows(table: MarkdownTable, model_name: str) -> bool:
    """Whether a table cornered "Model" prints the card's model as a column and its rows as
    the datasets of a collection the text counts (``| Model | ColBERTv2 | mxbai-colbert |``
    over ``| NFCorpus | 33.7 | 36.5 |``, "three beir tasks"): the corner names the columns."""
    if not model_name or not any(_own(_plain(h), model_name) for h in table.headers[1:]):
        return False
    rows = [_plain(row[0]) for row in table.rows if row and _is_result_row(_plain(row[0]))]
    return not any(_own(label, model_name) for label in rows) and bool(
        collection_of_rows(table, len(rows)))


def _own_column_under_heading(table: MarkdownTable, model_name: str) -> bool:
    """Whether a table of subsets (``| Language | Jamba 1.5 Large | Jamba 1.5 Mini |``) has a
    column of the card's model and sits under a heading that may name its data."""
    return bool(_heading_name(table.context)) and any(
        _own(_plain(h), model_name) for h in table.headers[1:])


def _without_group_column(table: MarkdownTable) -> MarkdownTable:
    """``| Category | Benchmark | <models> |``: the table less the column grouping its rows
    (the benchmarks are the row labels); so too ``| Model type | Model | <benchmarks> |``
    whose first column groups the models ("Generalist Models", a cell spanning rows); the
    table itself otherwise.

    >>> t = MarkdownTable(["Model type", "Model", "GQA"], [["Generalist Models", "m", "57.5"]],
    ...                   "", 0)
    >>> _without_group_column(t).headers, _without_group_column(t).rows
    (['Model', 'GQA'], [['m', '57.5']])
    >>> t.splits = {2: "test-dev"}; _without_group_column(t).splits
    {1: 'test-dev'}
    """
    headers = [_plain(h) for h in table.headers]
    if len(headers) > 2 and (
            _GROUP_COLUMN.match(headers[0]) and _ROWS_ARE_DATASETS.match(headers[1])
            or _MODEL_GROUP_COLUMN.match(headers[0]) and _ROWS_ARE_MODELS.match(headers[1])):
        # the maps of column -> metric/split set by earlier steps follow their columns
        return replace(table, headers=table.headers[1:], rows=[row[1:] for row in table.rows],
                       metrics={c - 1: m for c, m in table.metrics.items() if c > 0},
                       splits={c - 1: s for c, s in table.splits.items() if c > 0})
    return table


def _with_metrics_row_joined(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """``| Dataset | LAMBADA | CBT-CN |`` over ``| (metric) | (PPL) | (ACC) |`` over one row
    of values with no label: the card's model on each column's dataset and metric (a
    ``| Model | LAMBADA PPL | CBT-CN ACC |`` table); the table itself otherwise.

    >>> t = MarkdownTable(["Dataset", "LAMBADA"], [["(metric)", "(PPL)"], ["", "8.63"]], "", 0)
    >>> j = _with_metrics_row_joined(t, "org/gpt2-xl"); j.headers, j.rows
    (['Model', 'LAMBADA PPL'], [['org/gpt2-xl', '8.63']])
    """
    if not table.headers or not _ROWS_ARE_DATASETS.match(_plain(table.headers[0])):
        return table
    named = [row for row in table.rows if row and _METRICS_ROW.match(_plain(row[0]))]
    values = [row for row in table.rows if row and not _plain(row[0])]
    if len(named) != 1 or len(values) != 1 or len(table.rows) != 2:
        return table
    metrics = [_plain(cell).strip("() ") for cell in named[0]]
    headers = ["Model"] + [f"{_plain(h)} {m}".strip()
                           for h, m in zip(table.headers[1:], metrics[1:], strict=False)]
    return replace(table, headers=headers, rows=[[model_name, *values[0][1:]]])


def _with_later_release_as_own(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table of the model's two revisions, one label "Original" (or "previous") and one
    an update ("June 2024 Update"), with the update's label the card's model name: a card
    that shows an update over its original release is the update's card; the table itself
    otherwise.

    >>> t = MarkdownTable(["Benchmarks", "Original", "June 2024 Update"], [["MMLU", "1", "2"]],
    ...                   "", 0)
    >>> _with_later_release_as_own(t, "m/Phi-3").headers
    ['Benchmarks', 'Original', 'm/Phi-3']
    """
    def relabel(labels: list[str]) -> list[str] | None:
        plain = [_plain(label) for label in labels]
        earlier = [i for i, label in enumerate(plain) if _EARLIER_RELEASE.match(label)]
        later = [i for i, label in enumerate(plain) if _LATER_RELEASE.search(label)]
        if len(earlier) != 1 or len(later) != 1 or earlier == later:
            return None
        return [model_name if i == later[0] else label for i, label in enumerate(labels)]

    headers = relabel(table.headers[1:])
    if headers is not None:
        return replace(table, headers=[table.headers[0], *headers])
    rows = relabel([row[0] if row else "" for row in table.rows])
    if rows is not None and _ROWS_ARE_MODELS.match(_plain(table.headers[0]) if table.headers
                                                   else ""):
        return replace(table, rows=[[label, *row[1:]] for label, row in
                                    zip(rows, table.rows, strict=True)])
    return table


# "| Release | VQAv2 |" over "| **2024-08-26** (latest) |": rows are the model's releases
_RELEASES_CORNER = re.compile(r"^(?:releases?|versions?|revisions?)$", re.I)
_LATEST_MARK = re.compile(r"\(\s*(?:latest|current)\s*\)\s*$", re.I)


def _with_latest_release_row_as_own(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table of the model's releases, one row marked "(latest)" (``| **2024-08-26** (latest)
    | 80.3 |``): the repository's head is the latest release, so that row is the card's model
    and the corner "Model"; the others are earlier releases. The table itself otherwise.

    >>> t = MarkdownTable(["Release", "GQA"], [["**2024-08-26** (latest)", "64.3"],
    ...                   ["2024-07-23", "64.9"]], "", 0)
    >>> s = _with_latest_release_row_as_own(t, "v/moondream2"); s.headers, s.rows[0]
    (['Model', 'GQA'], ['v/moondream2', '64.3'])
    """
    if not table.headers or not _RELEASES_CORNER.match(_plain(table.headers[0])):
        return table
    marked = [r for r, row in enumerate(table.rows) if row and _LATEST_MARK.search(_plain(row[0]))]
    if len(marked) != 1:
        return table
    return replace(table, headers=["Model", *table.headers[1:]],
                   rows=[[model_name, *row[1:]] if r == marked[0] else row
                         for r, row in enumerate(table.rows)])


def _benchmark_introduced(context: str) -> str:
    """The benchmark the line right above a table introduces ("RULER: a retrieval-based
    benchmark for long context understanding"), "" if none.

    >>> _benchmark_introduced("RepoQA: a benchmark for long context code understanding\\n")
    'RepoQA'
    """
    lines = [line for line in context.splitlines() if line.strip()]
    found = _BENCHMARK_INTRODUCED.match(_plain(lines[-1])) if lines else None
    return found.group("data") if found else ""


# "**Alignbench** (https://arxiv.org/abs/2311.18743)": a benchmark's name alone on a line, bold,
# with its paper's link
_BOLD_NAME_LINE = re.compile(r"^\*\*(?P<data>[A-Z][\w.+\-]*(?: [\w.+\-]+){0,3})\*\*\s*"
                             r"(?:\(\s*https?://[^)\s]*\s*\)|\[[^\]]*\]\([^)]*\))?\s*$", re.I)


def _bold_name_above(context: str) -> str:
    """The benchmark a bold line right above a table names (HTML wrappers such as ``<div>``
    passed over), "" if none or a section word ("**Results**").

    >>> _bold_name_above("**Alignbench** (https://arxiv.org/abs/2311.18743)\\n<div>\\n\\n")
    'Alignbench'
    >>> _bold_name_above("**Results**\\n")
    ''
    """
    lines = [line.strip() for line in context.splitlines()
             if line.strip() and not re.fullmatch(r"<[^>]*>", line.strip())]
    found = _BOLD_NAME_LINE.match(lines[-1]) if lines else None
    if not found or _GENERIC_HEADING.search(found.group("data")):
        return ""
    return found.group("data")


def _listed_names(context: str) -> list[str]:
    """The names the list items above a table give ("- [HHH-alignment](https://...)")."""
    names = []
    for line in context.splitlines():
        found = _LIST_ITEM.match(line)
        if found:
            names.append(" ".join((found.group("link") or found.group("text")).split()))
    return names


def _listed_as(name: str, listed: list[str]) -> str:
    """The listed name a heading or column group names, in full or cut short ("MT BENCH
    HUMAN JUDG ." for "MT-bench-human-judgements"), "" if none.

    >>> _listed_as("MT BENCH HUMAN JUDG .", ["HHH-alignment", "MT-bench-human-judgements"])
    'MT-bench-human-judgements'
    """
    short = _fold(name)
    found = [item for item in listed if len(short) >= 4 and _fold(item).startswith(short)]
    return found[0] if len(found) == 1 else ""


# "- MMBench_DEV_EN (Accuracy)": a benchmark as an evaluation toolkit names it (VLMEvalKit's
# NAME_SPLIT[_PART]), the metric it is reported in after it
_TOOLKIT_NAMED_ITEM = re.compile(r"^\s*[-*+]\s+(?P<data>[A-Za-z][\w.+\-]*?)_(?P<split>VAL|DEV|TEST|"
                                 r"MINI|TESTMINI)(?:_(?P<part>[A-Z]{2,8}))?\s*(?:\(\s*(?P<metric>"
                                 r"[^()]+?)\s*\))?\s*$")


def _listed_column_labels(table: MarkdownTable) -> dict[int, tuple[str, str, str, str]]:
    """Column -> (dataset, config, split, metric) for columns a list above the table names in
    an evaluation toolkit's terms ("we report: - MMMU_VAL (Accuracy) - MMBench_DEV_EN
    (Accuracy)" over ``| MMMU | MMBench |``): the name's split and part are the column's.

    >>> t = MarkdownTable(["Model", "MMMU", "MMBench", "X"], [], "we report:\\n- MMMU_VAL "
    ...                   "(Accuracy)\\n- MMBench_DEV_EN (Accuracy)\\n", 0)
    >>> _listed_column_labels(t)
    {1: ('MMMU', '', 'val', 'Accuracy'), 2: ('MMBench', 'EN', 'dev', 'Accuracy')}
    """
    listed = {}
    for line in table.context.splitlines():
        found = _TOOLKIT_NAMED_ITEM.match(line)
        metric = found.group("metric") if found else None
        if found and (metric is None or registered(metric) is not None):
            listed[_fold(found.group("data"))] = (found.group("part") or "",
                                                  found.group("split").lower(), metric or "")
    return {c: (_plain(h), *listed[_fold(h)]) for c, h in enumerate(table.headers)
            if c and _fold(h) in listed}


def _heading_above(context: str) -> str:
    for line in reversed(context.splitlines()):
        heading = _HEADING.match(line)
        if heading:
            return _plain(heading.group("text"))
    return ""


def _parts_of_named_data(table: MarkdownTable) -> dict[int, tuple[str, str, str]]:
    """Column -> (dataset, config, split) for a table whose columns are the parts of data the
    text names: a benchmark the line right above introduces ("RULER: a retrieval-based
    benchmark ..."), one the card lists that the heading names ("#### Auto-J Pairwise test
    data performance" under "- [Auto-J pairwise testdata](...)"), or one a column group names
    (``HHH ALIGNMENT`` over ``Help . | Harm .``). An "Overall" column is the data itself, a
    lone column under a group too; averages are no results. Empty when none of these.
    """
    columns = [c for c in _numeric_columns(table) if not is_property(table.headers[c])]
    listed = _listed_names(table.section or table.context)
    heading = _PERFORMANCE_ON.match(_heading_above(table.context))
    whole = _benchmark_introduced(table.context) or _bold_name_above(table.context) or (
        benchmark_the_line_above_names(table.context)) or (
        _listed_as(heading.group("data"), listed) if heading else "")
    parts: dict[int, tuple[str, str, str]] = {}
    for c in columns:
        header = _plain(table.headers[c])
        group, _, part = header.rpartition(" / ") if " / " in header else ("", "", header)
        data = whole or (_listed_as(group, listed) if group else "")
        if not data or _SUMMARY_ROW.search(part) and not _OVERALL.match(part):
            continue
        alone = group and sum(_plain(h).startswith(group + " / ") for h in table.headers) == 1
        config = "" if _OVERALL.match(part) or alone else part
        split = "test" if _TEST_DATA.search(data) or (
            whole and heading and _TEST_DATA.search(heading.group("data"))) else ""
        parts[c] = (data, config, split)
    return parts


_BENCHMARK_HEADING = re.compile(r"^(?P<data>[A-Z][\w.+\-]*(?:\s+[\w.+\-]+){0,2}?)\s+benchmark\b",
                                re.I)


def _context_length_parts(table: MarkdownTable) -> dict[int, tuple[str, str, str]]:
    """Column -> (dataset, config, split) for context-length columns ("4K", "128K") under a
    heading that names their benchmark ("### RULER Benchmark - Effective context length"):
    each length is a part of that benchmark. Empty when the heading names none.

    >>> t = MarkdownTable(["Models", "4K", "8K"], [["m", "95.7", "95.2"]],
    ...                   "### RULER Benchmark - Effective context length\\n", 0)
    >>> _context_length_parts(t)
    {1: ('RULER', '4K', ''), 2: ('RULER', '8K', '')}
    """
    found = _BENCHMARK_HEADING.match(_heading_above(table.context))
    if not found:
        return {}
    return {c: (found.group("data"), _plain(table.headers[c]), "")
            for c in _numeric_columns(table) if _SIZE_HEADER.fullmatch(_plain(table.headers[c]))}


_SHOTS_HEADER = re.compile(r"^\d+[\s-]?shots?$", re.I)


def _shot_column_parts(table: MarkdownTable) -> dict[int, tuple[str, str, str]]:
    """Column -> (dataset, config, split) for a table all of whose number columns are shot
    counts, under a heading that names their benchmark ("### COPA (F1)" over ``| Model |
    0-shot | 5-shot |``): each count a config of it. Empty when not so.

    >>> t = MarkdownTable(["Model", "0-shot", "5-shot"], [["m", "0.7", "0.8"]],
    ...                   "### COPA (F1)\\n\\n", 0)
    >>> _shot_column_parts(t)
    {1: ('COPA', '0-shot', ''), 2: ('COPA', '5-shot', '')}
    """
    name = _heading_name(table.context)
    columns = _numeric_columns(table)
    if not name or not columns or not all(_SHOTS_HEADER.match(_plain(table.headers[c]))
                                          for c in columns):
        return {}
    return {c: (name, _plain(table.headers[c]), "") for c in columns}


def _own_checkpoint_rows(table: MarkdownTable, model_name: str) -> dict[int, str]:
    """Row -> config for rows that print the card's model in full and then a setting that
    begins with a number ("Llama-2-Ko-7b 20B (10k)", "Llama-2-Ko-7b 40B (20k)": checkpoints
    trained on 20B and 40B tokens). Only when two or more rows are so: one alone may be
    another model whose name begins with this one's.

    >>> t = MarkdownTable(["Model", "X"], [["Llama-2-Ko-7b 20B (10k)", "1"], ["Llama-2 7B", "2"],
    ...                   ["Llama-2-Ko-7b 40B (20k)", "3"]], "", 0)
    >>> _own_checkpoint_rows(t, "beomi/llama-2-ko-7b")
    {0: '20B (10k)', 2: '40B (20k)'}
    >>> _own_checkpoint_rows(replace(t, rows=t.rows[:2]), "beomi/llama-2-ko-7b")  # one alone
    {}
    """
    words = _name_words(model_name)
    if not words:
        return {}
    printed = re.compile(r"^\W*" + r"[^a-z0-9]*".join(map(re.escape, words))
                         + r"(?=[^a-z0-9])(?P<rest>.*)$", re.I)
    found = {}
    for r, row in enumerate(table.rows):
        match = printed.match(_plain(row[0])) if row else None
        rest = match.group("rest").strip(" -_,") if match else ""
        if rest[:1].isdigit():
            found[r] = rest
    return found if len(found) > 1 else {}


def _with_sub_headers_joined(table: MarkdownTable) -> MarkdownTable:
    """A first row of sub-headers (no label, no number) under headers some of which span the
    blank ones after them (``| Model | HHH ALIGNMENT | | |`` over ``| | Help . | Harm . | Hon .
    |``): one row of "Group / Sub" headers; the table itself otherwise.

    >>> t = MarkdownTable(["LM", "HHH", "", "MT"], [["", "Help", "Harm", "Pref"], ["m", "1",
    ...                   "2", "3"]], "", 0)
    >>> _with_sub_headers_joined(t).headers
    ['LM', 'HHH / Help', 'HHH / Harm', 'MT / Pref']
    """
    if len(table.rows) < 2 or "" not in [_plain(h) for h in table.headers[1:]]:
        return table
    first = table.rows[0]
    subs = [_plain(cell) for cell in first[1:]]
    if _plain(first[0]) or sum(bool(s) for s in subs) < 2 or any(_is_number(s) for s in subs):
        return table
    headers, group = [table.headers[0]], ""
    for header, sub in zip(table.headers[1:], subs + [""] * len(table.headers), strict=False):
        group = _plain(header) or group
        headers.append(f"{group} / {sub}" if group and sub else group or sub)
    return replace(table, headers=headers, rows=table.rows[1:])


# "val", "test-A", "val-u", "test-dev", "testB": a split as a sub-header under its dataset
_SUB_HEADER_SPLIT = re.compile(r"^(?:val|valid|validation|dev|test|eval)"
                               r"(?:[-_]?[A-Za-z0-9]{1,5})?$", re.I)
# "Zero-shot Captioning", "General VQA", "Referring Expression Comprehension": a column group
# naming a kind of task, over the benchmarks of that kind
_TASK_GROUP = re.compile(r"\b(?:caption(?:s|ing)?|vqa|qa|question\s+answering|reasoning|"
                         r"comprehension|grounding|retrieval|understanding|recognition|"
                         r"classification|generation|perception|hallucination)\b", re.I)


def _with_column_groups_read(table: MarkdownTable) -> MarkdownTable:
    """A table whose two-row header groups its columns ("RefCOCO / val", "General VQA /
    GQA", as a ``colspan`` over a second header row prints them) with each group read: a
    dataset over its splits ("RefCOCO" over "val", "test-A") is the column's dataset, the
    sub-header its split; a kind of task over benchmarks ("Zero-shot Captioning" over
    "NoCaps") is no label of the result, the sub-header the dataset. Other groups stay (a
    dataset over its subsets, "HHH / Help").

    >>> t = MarkdownTable(["Model", "RefCOCO / test-A", "General VQA / GQA", "HHH / Help"],
    ...                   [], "", 0)
    >>> g = _with_column_groups_read(t); g.headers, g.splits
    (['Model', 'RefCOCO', 'GQA', 'HHH / Help'], {1: 'test-A'})
    """
    headers, splits = list(table.headers), dict(table.splits)
    for c, header in enumerate(table.headers[1:], 1):
        group, sep, sub = _plain(header).partition(" / ")
        if not sep or " / " in sub or not group or not sub:
            continue
        if _SUB_HEADER_SPLIT.match(sub) and c not in splits:
            headers[c], splits[c] = group, sub
        elif _TASK_GROUP.search(group):
            headers[c] = sub
    if headers == table.headers:
        return table
    return replace(table, headers=headers, splits=splits)


def _caption_measures(caption: str) -> dict[str, str]:
    """Folded dataset name -> the measure a caption under a table gives it.

    >>> _caption_measures("For TruthfulQA, we present the percentage of generations that are "
    ...                   "both truthful and informative (the higher the better).")
    {'truthfulqa': '% truthful and informative'}
    """
    return {_fold(found.group("data")): f"% {' '.join(found.group('what').split())}"
            for found in _MEASURE_OF.finditer(_plain(caption))}


def _with_size_cells_joined(table: MarkdownTable) -> MarkdownTable:
    """``| | | TruthfulQA |`` over ``| Llama-2-Chat | 7B | 57.04 |``: a first column of names
    and a second of sizes under blank headers are one column of models ("Llama-2-Chat 7B");
    the table itself otherwise.

    >>> t = MarkdownTable(["", "", "TruthfulQA"], [["Llama-2-Chat", "7B", "57.04"]], "", 0)
    >>> j = _with_size_cells_joined(t); j.headers, j.rows
    (['Model', 'TruthfulQA'], [['Llama-2-Chat 7B', '57.04']])
    """
    if len(table.headers) < 3 or any(_plain(h) for h in table.headers[:2]) or not table.rows:
        return table
    if not all(len(row) > 2 and _SIZE.match(_plain(row[1])) and _plain(row[0])
               for row in table.rows):
        return table
    return replace(table, headers=["Model", *table.headers[2:]],
                   rows=[[f"{_plain(row[0])} {_plain(row[1])}", *row[2:]] for row in table.rows])


def _lm_eval_columns(table: MarkdownTable) -> tuple[int, int, int, int | None] | None:
    """(task, metric, value, stderr) columns of an lm-evaluation-harness table, if it is one."""
    lowered = [_plain(h).lower() for h in table.headers]
    if "metric" not in lowered or "value" not in lowered:
        return None
    task = next((i for i, h in enumerate(lowered) if h in ("task", "tasks", "groups")), None)
    if task is None:
        return None
    stderr = next((i for i, h in enumerate(lowered) if h == "stderr"), None)
    return task, lowered.index("metric"), lowered.index("value"), stderr


def _read_lm_eval(table: MarkdownTable, model_name: str, out: Outcome, source_url: str,
                  when: datetime) -> None:
    """``| Task | Version | Metric | Value | | Stderr |``: the task carries down blank cells."""
    columns = _lm_eval_columns(table)
    assert columns is not None
    task_col, metric_col, value_col, stderr_col = columns
    task = ""
    for row_number, row in enumerate(table.rows, 1):
        if len(row) <= max(task_col, metric_col, value_col):
            continue
        task = _plain(row[task_col]).lstrip("- ").strip() or task
        metric = _plain(row[metric_col])
        if not task or not metric:
            continue
        try:
            parsed = read_printed(row[value_col])
        except ValueError:
            out.unreadable.append(f"{model_name}: table {table.index + 1} row {row_number}: "
                                  f"{row[value_col]!r} is not a number")
            continue
        if parsed is None:
            continue
        extra = {"table": table.index + 1, "row": row_number, "metric_name": metric,
                 **parsed.provenance()}
        if stderr_col is not None and stderr_col < len(row):
            try:
                err = read_printed(row[stderr_col])
            except ValueError:
                err = None
            if err is not None:
                extra["stderr"] = err.value
        out.add(published_result(
            model_name=model_name, dataset=task, metric=metric, score=parsed.value,
            printed=row[value_col], source="huggingface", source_url=source_url,
            collected_at=when, extraction_method="card-table", extra=extra))


# "MMLU (CoT)", "GSM8K CoTT 8-shot", "BBH w/ CoT": the benchmark prompted with a chain of
# thought, a setting of the run (c117's "BBH CoT" beside "BBH MC" is the same), as printed
_PROMPTING_NOTE = re.compile(r"\(\s*(?P<paren>(?:w/\s*)?(?-i:CoT[a-zA-Z]?))\s*\)$"
                             r"|\s(?P<word>(?:w/\s*)?(?-i:CoT[a-zA-Z]?))$", re.I)


def _prompting_note(label: str) -> str:
    """The chain-of-thought note after a benchmark's name, its config ("" when none; shots
    and "(lower is better)" are no part of it).

    >>> _prompting_note("MMLU (CoT)"), _prompting_note("GSM8K CoTT 8-shot")
    ('CoT', 'CoTT')
    >>> _prompting_note("GSM8k (mixed eval.)"), _prompting_note("Arc (Challenge)")
    ('', '')
    """
    bare = _SHOTS.sub("", _BETTER_NOTE.sub("", _plain(label))).strip()
    found = _PROMPTING_NOTE.search(bare)
    return (found["paren"] or found["word"]) if found else ""


def _row_dataset_metric(label: str) -> tuple[str, str]:
    """(dataset, metric) of a row label naming both ("anli_r1/acc", "truthfulQA (MC2)");
    (label, "") when it names a dataset only ("Arc (Challenge)").

    >>> _row_dataset_metric("anli_r1/acc"), _row_dataset_metric("Arc (Challenge)")
    (('anli_r1', 'acc'), ('Arc (Challenge)', ''))
    """
    found = _LABEL_METRIC.match(label)
    if found:
        metric = (found.group("slash") or found.group("paren")).strip()
        if _METRIC_AT_END.fullmatch(metric):
            return found.group("data").strip(), metric
    return label, ""


def _metric_at_k(context: str) -> str:
    """The one metric at a cut-off ("pass@1") the text above a table names, "" if none or
    several: the measure of benchmark columns that print none ("| HumanEval | MBPP |")."""
    found = {m.lower() for m in _METRIC_AT_K.findall(_plain(context))}
    return found.pop() if len(found) == 1 else ""


def _columns_of_unnamed_set(table: MarkdownTable) -> list[int]:
    """The number columns of a table whose columns the text above lists as the parts of a test
    set of the card's own making that it does not name ("we constructed a 4-dimensional test
    set, including Text-Image Consistency, Subject Clarity, ..." over ``| Model | Text-Image
    Consistency (%) | Subject Clarity (%) |``): results of no named data, none otherwise.

    >>> t = MarkdownTable(["Model", "Clarity (%)", "Aesthetics (%)"], [["m", "95.4", "86.6"]],
    ...                   "We built a test set, including Clarity, Aesthetics.", 0)
    >>> _columns_of_unnamed_set(t)
    [1, 2]
    """
    columns = [c for c in _numeric_columns(table) if not is_property(table.headers[c])]
    for sentence in re.split(r"(?<=[.!?])\s+", _plain(_under_last_heading(table.context))):
        if not _OWN_TEST_SET.search(sentence):
            continue
        listed = [c for c in columns
                  if re.sub(r"\s*\([^()]*\)", "", _plain(table.headers[c])).lower().rstrip("s")
                  in sentence.lower()]
        if len(listed) >= 2:
            return columns
    return []


def _column_labels(header: str) -> tuple[str, str, str]:
    """(dataset, split, metric) of a benchmark column of a models table: a std note dropped
    ("acc. (std*)"), an abbreviation's period too, a split noted after the name ("MathVista
    (testmini)").

    >>> _column_labels("FairFaceGender<br>acc. (std*)"), _column_labels("VQAv2 (test-dev)")
    (('FairFaceGender', '', 'acc'), ('VQAv2', 'test-dev', ''))
    """
    plain = re.sub(r"(?<=[a-z])\.$", "", _STD_NOTE.sub("", _plain(header)).strip())
    dataset, split, metric = _metric_then_bracketed_data(plain) or header_labels(plain)
    if not metric:
        dataset, metric = _registered_metric_at_end(dataset)
    if not metric:
        dataset, metric = _registered_metric_at_start(dataset)
    return (*_split_noted(dataset, split), metric)


def _registered_metric_at_start(label: str) -> tuple[str, str]:
    """(rest, metric) of a header that starts with a metric the registry knows ("Top-1
    ImageNet Zero-Shot (%)"; a unit in parentheses dropped); (label, "") otherwise.

    >>> _registered_metric_at_start("Top-1 ImageNet Zero-Shot (%)")
    ('ImageNet Zero-Shot', 'Top-1')
    """
    first, _, rest = re.sub(r"\s*\(%\)\s*$", "", label).strip().partition(" ")
    whole_metric = registered(label) is not None or _VALUE_HEADER.match(rest.strip())
    known = registered(first) if rest.strip() and not whole_metric else None  # "F1 Score"
    if known is None or known.kind != "score":
        return label, ""
    return rest.strip(), first


def _split_noted(dataset: str, split: str) -> tuple[str, str]:
    """``MathVista (testmini)`` -> (``MathVista``, ``testmini``); others unchanged."""
    found = _SPLIT_NOTE.match(dataset) if not split else None
    if not found:
        return dataset, split
    printed = found.group("split")
    return found.group("data"), SPLIT_WORDS.get(printed.lower(), printed)


def _is_result_row(label: str) -> bool:
    return bool(label) and not _SUMMARY_ROW.search(label) and not _NOT_A_RESULT_COLUMN.search(
        label)


def _model_cells(table: MarkdownTable, model_name: str, measures: dict[str, str]
                 ) -> list[tuple[int, int, str, str, str, str]]:
    """(row, column, dataset, config, split, metric) of the card's own rows of a table whose
    rows are models: each column's benchmark, or the part of the data the text names."""
    columns = _result_columns(table)
    parts = (_parts_of_named_data(table) or _context_length_parts(table)
             or _shot_column_parts(table))
    checkpoints = _own_checkpoint_rows(table, model_name)
    if parts:  # | Model | 4K | 8K | under "RULER: a ... benchmark": the parts of one dataset
        columns = sorted(parts)
        named_metric = (_metric_at_k(table.context) or _metric_of(_plain(table.context))
                        or _metric_of(_plain(_outside_tables(table.section))) or "score")
    size_col = _size_column(table)
    glued_subsets = _glued_subsets({c: _column_labels(table.headers[c])[0] for c in columns},
                                   f"{table.context}\n{table.caption}")
    told_apart = _told_apart_by_a_last_word({c: _column_labels(table.headers[c])[0]
                                             for c in columns})
    board_tasks = _leaderboard_task_columns(table)
    listed = _listed_column_labels(table)
    shotless = _without_shot_notes({c: _column_labels(table.headers[c])[0] for c in columns})
    data_parts = listed_data_parts(table.section or table.context)
    evaluated_split = _evaluated_split(table.context)
    cells = []
    for r, row in enumerate(table.rows):
        label = _plain(row[0]) if row else ""
        if not _is_result_row(label):
            continue
        own_config = _own_row_config(label, row, size_col, model_name)
        if own_config is None and _variant_the_text_names(label, table.context, model_name):
            own_config = ""
        if own_config is None:
            own_config = checkpoints.get(r)
        if own_config is None:
            continue  # other models' rows are quoted for comparison; variants are not this model
        for c in columns:
            if parts or c in board_tasks:
                data, part, split = parts[c] if parts else board_tasks[c][:2] + ("",)
                config = ", ".join(x for x in (own_config, part) if x)  # "20B (10k), 5-shot"
                cells.append((r, c, data, config, split, named_metric if parts
                              else board_tasks[c][2]))
                continue
            if c in listed:  # | MMMU | under "- MMMU_VAL (Accuracy)"
                data, part, split, metric = listed[c]
                config = ", ".join(x for x in (own_config, part) if x)
                cells.append((r, c, data, config, split, metric or "score"))
                continue
            dataset, split, metric = _column_labels(table.headers[c])
            dataset = shotless.get(c, dataset)
            dataset, glued = glued_subsets.get(c) or told_apart.get(c) or _shot_setting_at_end(
                dataset)
            if not dataset or (not metric and registered(dataset) is not None):
                continue  # "Recall@1", "F1 Score" or "Dev": of which dataset?
            subset, listed_split = data_parts.get(_fold(dataset), ("", ""))
            cells.append((r, c, dataset, own_config or glued or subset,
                          split or table.splits.get(c, "") or listed_split or evaluated_split,
                          metric or table.metrics.get(c) or measures.get(_fold(dataset))
                          or _metric_at_k(table.context)
                          or metric_the_sentence_names(table.context) or "score"))
    return cells


def _without_shot_notes(datasets: dict[int, str]) -> dict[int, str]:
    """Column -> its dataset less a shot note ("SciQA-Img (0-shot)": the setting, no part of
    the data), for the columns whose names the note alone tells apart from no other column
    ("MMLU (0-shot)" beside "MMLU (5-shot)" keep theirs).

    >>> _without_shot_notes({1: "SciQA-Img (0-shot)", 2: "GQA", 3: "M (0-shot)", 4: "M (5-shot)"})
    {1: 'SciQA-Img'}
    """
    bare = {c: _SHOTS.sub("", name).strip() for c, name in datasets.items()}
    return {c: name for c, name in bare.items() if name and name != datasets[c]
            and sum(_fold(other) == _fold(name) for other in bare.values()) == 1}


def _is_value_column(table: MarkdownTable, column: int) -> bool:
    """Whether a column is the one value column of a two-column table (``| Metric | Value |``,
    rows that name benchmarks): the card's own model's results, as no model is named."""
    if len(table.headers) != 2 or column != 1 or not _VALUE_HEADER.match(
            _plain(table.headers[1])):
        return False
    labels = [_plain(row[0]) for row in table.rows if row]  # "validation_loss": metric rows
    return not any(registered(x) is not None or _metric_header(x) for x in labels)


_SOLE_VALUE_HEADER = re.compile(r"^(?:metrics?|values?|scores?|results?)$", re.I)


def _sole_value_column(table: MarkdownTable, column: int) -> bool:
    """Whether a column is the one value column of a two-column table of datasets headed by
    a word for values, not a model (``| Eval Dataset | Metric |``): the card's own results.

    >>> t = MarkdownTable(["Eval Dataset", "Metric"], [["ImageNet 1k", "0.8344"]], "", 0)
    >>> _sole_value_column(t, 1), _sole_value_column(replace(t, headers=["Task", "Llama"]), 1)
    (True, False)
    """
    return len(table.headers) == 2 and column == 1 and bool(
        _SOLE_VALUE_HEADER.match(_plain(table.headers[1])))


def _cells_of(table: MarkdownTable, shape: str, model_name: str,
              measures: dict[str, str] | None = None
              ) -> list[tuple[int, int, str, str, str, str]]:
    """(row, column, dataset, config, split, metric) of each cell that is a result."""
    if shape == "models":
        return _model_cells(table, model_name, measures or {})
    if _sources_over_one_metric(table):  # "The metrics on the balanced test set": its split
        split = heading_split(_plain(_under_last_heading(table.context)), "")
        return [(r, 1, _plain(row[0]), "", split, _plain(table.headers[1]))
                for r, row in enumerate(table.rows) if len(row) > 1 and _is_number(row[1])]
    columns = _result_columns(table)
    collection = collection_of_rows(table, sum(
        bool(row) and _is_result_row(_plain(row[0])) for row in table.rows))
    cells = []
    for r, row in enumerate(table.rows):
        label = _plain(row[0]) if row else ""
        sub = _SUB_NOTE.match(row[0].strip()) if row else None
        if sub:  # "MMMU<sub>val</sub>", "HallBench<sub>avg</sub>": the note, a split or config
            label = _plain(sub.group("data"))
        if not _is_result_row(label):
            continue
        for c in columns:
            dataset, split, metric = header_labels(table.headers[c])
            if shape == "metric rows":  # | Metric | hellaswag_it acc_norm | ... |
                if _is_value_column(table, c):  # | Metric | Value | over "ARC (25-shot)"
                    cells.append((r, c, _benchmark_name(label), "", "", "score"))
                elif dataset and metric:
                    cells.append((r, c, _benchmark_name(dataset), "", split, metric))
                continue
            if shape == "subsets":  # | Language | ROUGE-1 | ... | under "Scores on X test sets"
                data, data_split = _scores_on(table.context)
                if metric and not dataset and data:
                    cells.append((r, c, data, label, split or data_split, metric))
                elif not data and _own(_plain(table.headers[c]), model_name):
                    # | Language | <this model> | under "### Multilingual MMLU"
                    cells.append((r, c, _heading_name(table.context), label, "", "score"))
                continue
            row_dataset, config = _dataset_and_config(label)
            row_split, row_metric = "", ""
            named_split = _SPLIT_AT_END.match(row_dataset)
            if named_split:  # "Inspec Test Set": the dataset's test split
                row_dataset = named_split.group("data")
                row_split = SPLIT_WORDS[named_split.group("split").lower()]
            if _METRIC_AT_END.fullmatch(label) is not None:  # rows are metrics, columns datasets
                row_metric, row_dataset = label, ""
            if metric and not dataset:  # | testset | BLEU | chr-F |
                cells.append((r, c, row_dataset, config, split or row_split, metric))
            elif row_metric and not metric:  # | Datasets | mnli_m | ... | with "Accuracy" rows
                cells.append((r, c, dataset, "", split, row_metric))
            elif collection and _own(_plain(table.headers[c]), model_name):
                cells.append((r, c, *_collection_cell(table, collection, label)))
            elif _own(_plain(table.headers[c]), model_name) or _sole_value_column(table, c):
                data, label_metric = _row_dataset_metric(_benchmark_name(row_dataset))
                data, config = _glued_variant(*_period_noted(data, config))
                config = config or _prompting_note(row_dataset)
                if sub:
                    config, split = _sub_config_split(sub.group("note"), config, split)
                cells.append((r, c, data, config, split, label_metric or "score"))
    return cells


def _collection_cell(table: MarkdownTable, collection: str, label: str
                     ) -> tuple[str, str, str, str]:
    """(dataset, config, split, metric) of a dataset row of a collection the text names ("on
    13 public BEIR datasets ... we report NDCG@10" over ``| ArguAna |``): the collection, the
    row with the task the heading names ("Reranking": a collection scored in two tasks), the
    measure the text names."""
    config = ", ".join(x for x in (label, task_of_heading(table.context)) if x)
    metric = (measure_at_k_printed(table.context) or metric_the_sentence_names(table.context)
              or "score")
    return collection, config, "", metric


# "LiveCodeBench (0901-0401)": the period of problems a benchmark was run on, a setting
_PERIOD_NOTE = re.compile(r"^(?P<data>.+?\S)\s*\(\s*(?P<note>\d{2,8}(?:\s*[-\u2013/]\s*\d{2,8})+)"
                          r"\s*\)$")


def _period_noted(dataset: str, config: str) -> tuple[str, str]:
    """(dataset, config) with a period in parentheses after the name as the config.

    >>> _period_noted("LiveCodeBench (0901-0401)", ""), _period_noted("MMLU", "")
    (('LiveCodeBench', '0901-0401'), ('MMLU', ''))
    """
    found = _PERIOD_NOTE.match(dataset) if not config else None
    return (found.group("data"), found.group("note")) if found else (dataset, config)


# "MBPP(Sanitized)": a dataset and, glued on in brackets, the variant of it that was run
_GLUED_VARIANT = re.compile(r"^(?P<data>[A-Za-z][\w.\-]*)\((?P<variant>[A-Z][a-z]{3,})\)$")


def _glued_variant(dataset: str, config: str) -> tuple[str, str]:
    """``MBPP(Sanitized)`` -> (``MBPP``, ``Sanitized``): a capitalised word in brackets glued
    to the name with no space is the variant (config) of the data, not part of its name; a
    metric or a split in brackets is left alone.

    >>> _glued_variant("MBPP(Sanitized)", ""), _glued_variant("Arc (Challenge)", "")
    (('MBPP', 'Sanitized'), ('Arc (Challenge)', ''))
    """
    found = _GLUED_VARIANT.match(dataset) if not config else None
    if not found or registered(found["variant"]) is not None or _SPLIT_NOTE.match(dataset):
        return dataset, config
    return found["data"], found["variant"]


def _sub_config_split(note: str, config: str, split: str) -> tuple[str, str]:
    """(config, split) given a row label's ``<sub>`` note: a split word ("val", "testmini") is
    the split, any other ("en easy", "avg") the config.

    >>> _sub_config_split("val", "", ""), _sub_config_split("en easy", "", "")
    (('', 'validation'), ('en easy', ''))
    """
    note = _plain(note)
    if re.fullmatch(_SPLIT_NAME, note, re.I):
        return config, split or SPLIT_WORDS.get(note.lower(), note)
    return config or note, split


def _dataset_of_heading(context: str) -> str:
    """The data the nearest heading above a table says its results are on ("" if none).

    >>> _dataset_of_heading("## Evaluation Results\\n\\n#### Similarity Evaluation on "
    ...                     "STS.en-el.txt (translated manually)\\nWe measure ...")
    'STS.en-el.txt'
    >>> _dataset_of_heading("#### Translation\\nWe measure the translation accuracy.")
    ''
    """
    for line in reversed(context.splitlines()):
        heading = _HEADING.match(line)
        if heading:
            found = _EVALUATED_ON.search(heading.group("text"))
            return found.group("data").strip() if found else ""
    return ""


_GENERIC_HEADING = re.compile(r"\b(?:eval\w*|results?|performance|benchmarks?|scores?|metrics?|"
                              r"summary|overview|comparisons?|training|usage|examples?)\b", re.I)
_EVALUATED_USING = re.compile(r"\bevaluated\s+(?:using|on|with)\b|\bbenchmark\b|\bdataset\b",
                              re.I)


def _heading_name(context: str) -> str:
    """The nearest heading above a table when it may name data: short, notes in parentheses
    dropped, no section word ("Evaluation", "Results"); "" otherwise.

    >>> _heading_name("### Multilingual MMLU\\n\\n"), _heading_name("## Eval results\\n")
    ('Multilingual MMLU', '')
    """
    under = _under_last_heading(context)
    heading = _HEADING.match(under.split("\n", 1)[0]) if under else None
    if not heading:
        return ""
    name = re.sub(r"\s*\([^()]*\)", "", _plain(heading.group("text"))).strip()
    if not name or len(name.split()) > 5 or _GENERIC_HEADING.search(name):
        return ""
    return name


def _benchmark_of_heading(table: MarkdownTable) -> str:
    """The benchmark a heading right above a one-row table names, "" if it names none: a
    short heading that is no section word ("Evaluation", "Results"), with the text under it
    saying what it was evaluated with, or a column printing the heading's name again.

    >>> t = MarkdownTable(["Arena Hard"], [["54.2"]], "#### Arena Hard\\n\\nEvaluated using "
    ...                   "the Arena-Hard Pipeline.\\n", 0)
    >>> _benchmark_of_heading(t), _benchmark_of_heading(replace(t, context="## Eval results\\n"))
    ('Arena Hard', '')
    """
    name = _heading_name(table.context)
    if not name:
        return ""
    under = _under_last_heading(table.context)
    repeated = any(folded(_plain(h)).startswith(folded(name)) for h in table.headers)
    if not (repeated or _EVALUATED_USING.search(under)):
        return ""
    return benchmark_the_line_names(name, under) or name


def _own_row_on_card_data(table: MarkdownTable, shape: str, model_name: str, body: str
                          ) -> list[tuple[int, int, str, str, str, str]]:
    """Cells of the card's own row in a ``| Model | f1 score |`` comparison whose columns name
    a metric and no data: on the one dataset the card's text names (c125's "Comparison:" of
    its model and the one it was distilled beside); empty when it names none.

    >>> t = MarkdownTable(["Model", "f1 score"], [["other", "86.0"], ["**m**", "**94.9**"]], "", 0)
    >>> _own_row_on_card_data(t, "models", "o/m", "fine-tuned on [SQuAD-es](x)")
    [(1, 1, 'SQuAD-es', '', '', 'f1 score')]
    """
    if shape != "models":
        return []
    value_word = _value_word_column(table)
    columns = _result_columns(table) or value_word
    metrics = [(c, _metric_header(table.headers[c]) or ("score" if c in value_word else ""))
               for c in columns]
    dataset = card_dataset(body) if columns and all(m for _, m in metrics) else ""
    if not dataset:
        return []
    size_col = _size_column(table)
    return [(r, c, dataset, "", "", metric) for r, row in enumerate(table.rows)
            if row and _own_row_config(_plain(row[0]), row, size_col, model_name) == ""
            for c, metric in metrics]


def _value_word_column(table: MarkdownTable) -> list[int]:
    """The one value column of a two-column comparison of models headed by a word for values
    (``| Model | # score |``, mrm8488's cards: the number sign says "a number", no count):
    ``[1]``, or empty when the table is not so.

    >>> _value_word_column(MarkdownTable(["Model", "# score"], [["m", "89.65"]], "", 0))
    [1]
    >>> _value_word_column(MarkdownTable(["Model", "# Examples"], [["m", "8"]], "", 0))
    []
    """
    if len(table.headers) != 2 or not _VALUE_COUNT_HEADER.match(_plain(table.headers[1])):
        return []
    return [1] if any(len(row) > 1 and _is_number(row[1]) for row in table.rows) else []


def _with_splits_of_repeats(table: MarkdownTable, cells: list[tuple[int, int, str, str, str, str]],
                           out: Outcome) -> list[tuple[int, int, str, str, str, str]]:
    """Cells of an own comparison row on the card's data, which names no split: a value the
    card already read on that data and metric (its ``| Metric | # score |`` table under
    "Metrics on evaluation set", split dev) is that result printed again and takes its split,
    so that it is counted a repeat, not a second result (c173's "… (this one)" row).

    >>> from modelbench.collect.outcome import published_result
    >>> out = Outcome(); out.add(published_result(model_name="m", dataset="D", metric="F1",
    ...     score=70.0, dataset_split="dev", source="huggingface"))
    >>> t = MarkdownTable(["Model", "F1 score"], [["m (this one)", "70.00"]], "", 0)
    >>> _with_splits_of_repeats(t, [(0, 1, "D", "", "", "F1 score")], out)
    [(0, 1, 'D', '', 'dev', 'F1 score')]
    """
    def split_of(r: int, c: int, dataset: str, config: str, metric: str) -> str:
        value = read_printed(table.rows[r][c]) if c < len(table.rows[r]) else None
        known = registered(metric)
        splits = {held.dataset_split for held in out.results
                  if value is not None and held.score == value.value and held.dataset_config
                  == config and folded(held.dataset) == folded(dataset) and known is not None
                  and held.metric == known.name}
        return splits.pop() if len(splits) == 1 else ""

    return [(r, c, dataset, config, split or split_of(r, c, dataset, config, metric), metric)
            for r, c, dataset, config, split, metric in cells]


def _read_metric_row(table: MarkdownTable, model_name: str, out: Outcome, source_url: str,
                     when: datetime) -> bool:
    """A one-row table whose columns are all metrics and whose row is all numbers (``|
    cosine_pearson | cosine_spearman |`` over ``0.83 | 0.84``): the model's results on the
    data the heading above names. Such a row under a heading whose table names no dataset or
    no metric (``| src2trg | trg2src |``) is unreadable, each value said. False (nothing read)
    when the table is not of that shape."""
    metrics = [_metric_header(h) for h in table.headers]
    if len(table.rows) != 1 or len(table.rows[0]) != len(metrics) or any(
            _NOT_RESULTS_HEADER.search(h) for h in table.headers):
        return False  # not one row of results (a training log's first epoch, say)
    try:
        values = [read_printed(cell) for cell in table.rows[0]]
    except ValueError:
        return False
    if any(v is None for v in values):
        return False
    dataset = _dataset_of_heading(table.context)
    benchmark = "" if dataset else _benchmark_of_heading(table)
    if benchmark and not all(metrics):
        _read_heading_row(table, benchmark, model_name, out, source_url, when)
        return True
    if not dataset or not all(metrics):
        if not any(_HEADING.match(line) for line in table.context.splitlines()[-4:]):
            return False  # not a row of results a heading introduces
        if not dataset and _read_dataset_metric_row(table, model_name, out, source_url, when):
            return True  # | hellaswag_it acc_norm | ... |: each header its data and metric
        why = "names no dataset" if all(metrics) else "names no metric"
        out.unreadable.extend(f"{model_name}: table {table.index + 1} {header!r}: {raw!r}, a "
                              f"result whose table {why}"
                              for header, raw in zip(table.headers, table.rows[0], strict=True))
        return True
    for metric, raw, parsed in zip(metrics, table.rows[0], values, strict=True):
        assert parsed is not None
        out.add(published_result(
            model_name=model_name, dataset=dataset, metric=metric, score=parsed.value,
            printed=raw, source="huggingface", source_url=source_url, collected_at=when,
            extraction_method="card-table",
            extra={"table": table.index + 1, "row": 1, "metric_name": metric,
                   **parsed.provenance(), **printed_notes(raw)}))
    return True


def _unnamed_set_unreadable(table: MarkdownTable, model_name: str, out: Outcome) -> bool:
    """The card's own rows of a table on a test set the card does not name: each value is
    said unreadable (no dataset to file it under). False when the table is not such."""
    columns = _columns_of_unnamed_set(table)
    if not columns:
        return False
    _own_values_unreadable(table, model_name, out, columns, lambda cell: bool(cell.strip()),
                           "a result on a test set the card does not name")
    return True


def _own_values_unreadable(table: MarkdownTable, model_name: str, out: Outcome,
                           columns: list[int], holds_value: Callable[[str], bool],
                           why: str) -> None:
    """Each value of the card's own rows in ``columns`` (a cell ``holds_value`` accepts) said
    unreadable, with ``why``."""
    for r, row in enumerate(table.rows):
        if not row or not _own(_plain(row[0]), model_name):
            continue
        out.unreadable.extend(
            f"{model_name}: table {table.index + 1} row {r + 1} {table.headers[c]!r}: "
            f"{row[c]!r}, {why}" for c in columns if c < len(row) and holds_value(row[c]))


# "Average Score on 11 Academic Benchmarks": an average of results, none of its own ("Avg.
# Length", an average of something else, is still said)
_AVERAGE_OF_RESULTS = re.compile(r"^\W*(?:avg|average|mean)\b(?!.*\b(?:length|len|tokens?|time)\b)",
                                 re.I)


def _measure_columns_unreadable(table: MarkdownTable, model_name: str, out: Outcome) -> bool:
    """The card's own rows of a models table whose columns are mostly measures (``| Model |
    Frechet Audio Distance | KLD |``): the data is named only in the text, so each value is
    said unreadable rather than filed under a measure as its dataset. False when not such."""
    columns = [c for c in _numeric_columns(table) if not is_property(table.headers[c])
               and not _AVERAGE_OF_RESULTS.match(_plain(table.headers[c]))]
    measured = [c for c in columns if _names_a_measure(table.headers[c])
                or _VALUE_WORD.match(_plain(table.headers[c]))]  # "| Model | Score |"
    unregistered = [c for c in measured if registered(_plain(table.headers[c])) is None]
    if not unregistered or 2 * len(measured) < len(columns):
        return False  # registered metrics alone ("EM", "F1") are skipped, not filed as data
    _own_values_unreadable(table, model_name, out, columns, _is_number,
                           "a measure whose data the table does not name")
    return True


def _metric_columns_unreadable(table: MarkdownTable, shape: str, model_name: str,
                               out: Outcome) -> bool:
    """The card's own rows of a models table whose result columns are all metrics naming no
    data (timm's ``| model | img_size | top1 | top5 | param_count | gmacs |``, no data named
    for it): each value said unreadable rather than dropped without a word. False when not
    such (a column names data, or no own row holds a value)."""
    columns = _result_columns(table)
    if shape != "models" or not columns or not all(
            registered(_plain(table.headers[c])) is not None for c in columns):
        return False
    before = len(out.unreadable)
    _own_values_unreadable(table, model_name, out, columns, _is_number,
                           "a metric on data the card does not name")
    return len(out.unreadable) > before


# "face_yolov8n.pt", "model.safetensors": a file of weights, a checkpoint the repo holds
_WEIGHTS_FILE = re.compile(r"^[\w.\-]+\.(?:pt|pth|bin|safetensors|ckpt|onnx|gguf|h5|tflite)$",
                           re.I)


def _names_only_a_metric(header: str) -> bool:
    """Whether a column header is a metric's name alone ("mAP 50", "mAP50-95", "F1")."""
    plain = _plain(header)
    return registered(plain) is not None or registered(plain.replace(" ", "")) is not None


def _checkpoint_files_unreadable(table: MarkdownTable, model_name: str, out: Outcome) -> bool:
    """A table whose rows are the repo's weight files (``| face_yolov8n.pt | ... | 0.660 |``)
    and whose columns name a metric but no data: results of this card's checkpoints on data
    the card does not name, each value said unreadable (``0.782 (bbox)<br/>0.761 (mask)`` is
    two). False (nothing said) when the table is not such."""
    files = [r for r, row in enumerate(table.rows) if row and _WEIGHTS_FILE.match(_plain(row[0]))]
    columns = _result_columns(table)
    if not columns or len(files) * 2 <= len(table.rows) or not all(
            _names_only_a_metric(table.headers[c]) for c in columns):
        return False
    for r in files:
        row = table.rows[r]
        for c in columns:
            values = [v for v in re.split(r"<br\s*/?>", row[c] if c < len(row) else "", flags=re.I)
                      if _is_number(re.sub(r"\s*\([^()]*\)\s*$", "", v.strip()))]
            out.unreadable.extend(
                f"{model_name}: table {table.index + 1} row {r + 1} {_plain(row[0])!r} "
                f"{_plain(table.headers[c])!r}: {v.strip()!r}, a result of a checkpoint file "
                "on data the card does not name" for v in values)
    return True


_PAIRED_NOTE = re.compile(r"^(?P<data>.*?\S)\s*<sub>\s*(?P<a>[^/<\s]+)/(?P<b>[^/<\s]+)"
                          r"(?P<tail>\s+[^/<]+)?</sub>\s*$", re.I)
_PAIRED_CELL = re.compile(r"^(?P<a>[^/]+)/(?P<b>[^/]+)$")


def _metric_row(table: MarkdownTable) -> list[list[str]] | None:
    """The metric names, split at "/", of a table's first row when it names each column's
    metric (``| | F1 | Pearsonr/F1 | ACC |`` under ``| Model | YNAT | KLUE-ST | KLUE-NLI |``):
    a blank label, no number, and names the registry knows; None otherwise."""
    row = table.rows[0] if table.rows else []
    cells = [_plain(cell) for cell in row[1:]]
    if not row or _plain(row[0]) or not any(cells) or any(_is_number(c) for c in cells if c):
        return None
    parts = [[p.strip() for p in cell.split("/")] if cell else [] for cell in cells]
    known = [any(registered(p) is not None for p in cell) for cell in parts if cell]
    if sum(known) * 2 < len(known):
        return None
    return [[], *parts]


def _split_pair(cell: str, count: int) -> list[str]:
    """A cell's values, one per metric of its column (``**<u>93.24/87.73</u>**`` under
    ``Pearsonr/F1``); the cell alone in the first when it does not hold ``count`` of them."""
    if count < 2:
        return [cell]
    pieces = [p.strip() for p in _plain(cell).split("/")]
    return pieces if len(pieces) == count else [cell, *[""] * (count - 1)]


def _with_metric_row_applied(table: MarkdownTable) -> MarkdownTable:
    """A table whose first row names each column's metric (``| | F1 | Pearsonr/F1 |``) less
    that row, the metrics kept per column (:attr:`MarkdownTable.metrics`) and a column of
    paired metrics (``Pearsonr/F1`` over ``82.97/75.93``) one column per metric; the table
    itself otherwise.

    >>> t = MarkdownTable(["Model", "YNAT", "KLUE-ST"], [["", "F1", "Pearsonr/F1"],
    ...                   ["m", "87.5", "**93.2/87.7**"]], "", 0)
    >>> a = _with_metric_row_applied(t); a.headers, a.rows, a.metrics
    (['Model', 'YNAT', 'KLUE-ST', 'KLUE-ST'], [['m', '87.5', '93.2', '87.7']], \
{1: 'F1', 2: 'Pearsonr', 3: 'F1'})
    """
    named = _metric_row(table)
    if named is None:
        return table
    headers, metrics = [table.headers[0]], {}
    for col, header in enumerate(table.headers[1:], 1):
        for part in (named[col] if col < len(named) else []) or [""]:
            if part:
                metrics[len(headers)] = part
            headers.append(header)
    rows = []
    for row in table.rows[1:]:
        cells = row[:1]
        for col, cell in enumerate(row[1:], 1):
            cells.extend(_split_pair(cell, len(named[col]) if col < len(named) else 0))
        rows.append(cells)
    return replace(table, headers=headers, rows=rows, metrics=metrics)


def _with_paired_values_split(table: MarkdownTable) -> MarkdownTable:
    """A row whose label's ``<sub>`` note pairs two settings and whose cells pair two values
    (``Video-MME<sub>wo/w subs</sub>`` over ``**63.3**/**69.0**``) as two rows, one a
    setting ("wo subs", "w subs"); other rows as they are.

    >>> t = MarkdownTable(["Benchmark", "m"], [["Video-MME<sub>wo/w subs</sub>", "63.3/69.0"]],
    ...                   "", 0)
    >>> _with_paired_values_split(t).rows
    [['Video-MME<sub>wo subs</sub>', '63.3'], ['Video-MME<sub>w subs</sub>', '69.0']]
    """
    rows: list[list[str]] = []
    for row in table.rows:
        note = _PAIRED_NOTE.match(row[0].strip()) if row else None
        pairs = [_PAIRED_CELL.match(cell.strip()) for cell in row[1:]]
        if not note or not all(pairs):
            rows.append(row)
            continue
        tail = note.group("tail") or ""
        for side in ("a", "b"):
            label = f"{note.group('data')}<sub>{note.group(side)}{tail}</sub>"
            rows.append([label, *(p.group(side).strip() for p in pairs if p)])
    return replace(table, rows=rows) if len(rows) != len(table.rows) else table


def _prepared(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table in the one shape the readers take: joined columns split, size cells, a metrics
    row and sub-headers joined, a group column dropped, a later release relabelled."""
    table = _with_ours_tail_as_own(_with_models_corner(_with_base_row_as_own(
        with_quantization_joined(with_number_signs_dropped(table)), model_name)), model_name)
    table = with_format_rows_named(with_checkpoint_link_as_own(table, model_name), model_name)
    table = _with_paired_values_split(_with_split_row_applied(_with_metric_row_applied(
        _with_label_linking_own_page(table, model_name))))
    table = with_marked_own_cell(table, model_name)
    table = _with_size_cells_joined(_split_joined_columns(table))
    table = _with_metrics_row_joined(_without_group_column(table), model_name)
    table = _with_sub_headers_joined(_with_later_release_as_own(
        _with_latest_release_row_as_own(table, model_name), model_name))
    table = with_sized_own_name(_with_column_groups_read(table), model_name)
    return with_self_reference_as_own(table, model_name)


def card_table_outcome(model_name: str, body: str, *, source_url: str = "",
                       collected_at: datetime | None = None) -> Outcome:
    """Records of the results tables in a card's markdown body (``source="huggingface"``).

    Only the card's own model is read: a row (or column) naming another model is a number
    quoted for comparison, and a column naming a metric without its dataset is passed over.
    """
    out = Outcome(source=source_url or model_name)
    when = collected_at or utcnow()
    measures: dict[str, str] = {}
    tables = card_tables(body)
    # a card that prints its model's full name in one table means another checkpoint by a
    # shorter one elsewhere ("Llama 2 7B", the base, beside "Llama-2-Chat 7B" on a chat card)
    full_name_printed = any(_names_own_model(_prepared(t, model_name), model_name)
                            for t in tables)
    linked = _names_linked_to_own_page(tables, model_name)
    for table in tables:
        if _read_metric_row(table, model_name, out, source_url, when) or (
                _read_metric_value_table(table, model_name, body, out, source_url, when)) or (
                _read_port_scores(table, model_name, body, out, source_url, when)) or (
                _read_classification_report(table, model_name, body, out, source_url, when)) or (
                _read_split_rows_table(table, model_name, body, out, source_url, when)):
            continue
        if not _SAME_AS_ABOVE.search(table.caption):  # "Same metric definitions as above."
            measures = _caption_measures(table.caption)
        table = _with_linked_name_as_own(_prepared(table, model_name), model_name, linked)
        if not full_name_printed:
            table = _with_misspelt_own_name(_with_own_name_resolved(table, model_name),
                                            model_name)
        shape = _results_shape(table, model_name)
        pairs = [] if shape else (_language_pair_cells(table) or _setting_rows_cells(table)
                                  or _corner_measure_cells(table, model_name,
                                                           _heading_name(table.context))
                                  or metric_group_cells(table))
        if pairs:
            _store_cells(table, pairs, model_name, out, source_url, when)
            continue
        if not shape:
            out.notes.extend(_unshaped_note(table, model_name))
            continue
        paired = pair_heading_cells(table, model_name, _heading_name(table.context), out) if (
            shape == "models") else None
        if paired is not None:  # | Model | AVG | en-ar | en-bg | under "#### Flores-200"
            _store_cells(table, paired, model_name, out, source_url, when)
            continue
        measured = (_heading_measure_cells(table, model_name) or value_word_cells(
            table, model_name) or heading_data_cells(table, model_name)) if (
            shape == "models") else []
        if measured:  # | Model | LC. Win Rate | under "## AlpacaEval Leaderboard Results"
            _store_cells(table, measured, model_name, out, source_url, when)
            continue
        if shape == "models" and (_unnamed_set_unreadable(table, model_name, out)
                                  or _checkpoint_files_unreadable(table, model_name, out)
                                  or _measure_columns_unreadable(table, model_name, out)):
            continue
        if _lm_eval_columns(table):
            _read_lm_eval(table, model_name, out, source_url, when)
            continue
        cells = _cells_of(table, shape, model_name, measures) or _with_splits_of_repeats(
            table, _own_row_on_card_data(table, shape, model_name, body), out)
        if not cells and not _metric_columns_unreadable(table, shape, model_name, out):
            out.notes.extend(_comparison_without_own(table, shape, model_name))
        _store_cells(table, cells, model_name, out, source_url, when)
    _add_bold_label_results(model_name, body, out, source_url, when)
    out.unreadable.extend(value_lists_unreadable(model_name, body))
    out.unreadable.extend(task_claims_unreadable(model_name, body))
    _add_improvement_results(model_name, body, out, source_url, when)
    _add_linked_dataset_lists(model_name, body, out, source_url, when)
    return out


def _compared_models(table: MarkdownTable, shape: str) -> list[str]:
    """The labels of the models a results table compares: its rows' names (rows are models)
    or its number columns that name no metric (rows are benchmarks, columns models)."""
    if shape == "models":  # result columns, "| 4K | 8K |" (RULER's context lengths), toolkits
        columns = _result_columns(table) + [
            c for c in _numeric_columns(table)
            if _SIZE_HEADER.fullmatch(_plain(table.headers[c]))
            or _TOOLKIT_COLUMN.fullmatch(_plain(table.headers[c]))]
        return [_plain(row[0]) for row in table.rows if row and _is_result_row(_plain(row[0]))
                and any(c < len(row) and _is_number(row[c]) for c in columns)]
    if shape == "datasets":
        return [_plain(table.headers[c]) for c in _result_columns(table)
                if not header_labels(table.headers[c])[2]]
    return []


def _comparison_without_own(table: MarkdownTable, shape: str, model_name: str) -> list[str]:
    """Why a results table comparing models gave nothing: none of its models is the card's
    (its own may be printed under another name), or its own row is there but no column names
    the data ("| Model | Pearson | Spearman |"), said so that nothing is passed over silently.

    >>> t = MarkdownTable(["Benchmark", "InternVL2-8B", "Qwen2-VL-7B"], [["MMMU", "51.8", "54.1"]],
    ...                   "", 2)
    >>> _comparison_without_own(t, "datasets", "Qwen/Qwen2-VL-72B")[0]
    "Qwen/Qwen2-VL-72B: table 3 compares 2 columns naming no metric, models or not \
('InternVL2-8B', 'Qwen2-VL-7B'); none is this card's model 'Qwen2-VL-72B', so it was not read"

    Two labels that each print the card's model by a shorter name: which one is it?

    >>> t = MarkdownTable(["Model", "MMLU"], [["Jamba 1.5 Mini", "69.7"], ["Jamba-1.5-Mini",
    ...                   "70.1"]], "", 0)
    >>> _comparison_without_own(t, "models", "ai21labs/AI21-Jamba-1.5-Mini")[0]
    "ai21labs/AI21-Jamba-1.5-Mini: table 1 compares 2 models ('Jamba 1.5 Mini', \
'Jamba-1.5-Mini'); none is this card's model 'AI21-Jamba-1.5-Mini' ('Jamba 1.5 Mini' and \
'Jamba-1.5-Mini' could each be it by a shorter name), so it was not read"
    """
    models = _compared_models(table, shape)
    if models and _names_own_model(table, model_name) and shape == "models":
        return [f"{model_name}: table {table.index + 1} has a row of this card's model, but "
                "no column names data its values could be filed under, so it was not read"]
    if not models or _names_own_model(table, model_name):
        return []
    shown = ", ".join(repr(m) for m in models[:6]) + (", ..." if len(models) > 6 else "")
    tied = [m for m in models if _own_by_a_shorter_name(m, model_name)]
    which = (f" ({' and '.join(repr(m) for m in tied)} could each be it by a shorter name)"
             if len(tied) > 1 else "")
    what = (f"compares {len(models)} model{'s' if len(models) > 1 else ''} ({shown})"
            if shape == "models" else
            f"compares {len(models)} column{'s' if len(models) > 1 else ''} naming no metric, "
            f"models or not ({shown})")
    return [f"{model_name}: table {table.index + 1} {what}; none is this card's model "
            f"{model_name.split('/')[-1]!r}{which}, so it was not read"]


def split_metric_rows(body: str) -> list[tuple[int, int, str, str, str]]:
    """(table, row, split, metric, printed) of each row of a two-column ``| metric | score |``
    table whose labels join a split and a metric ("validation_loss", "test_rouge1"): values on
    a dataset the table does not name (the model-index's, when it has one).

    >>> split_metric_rows("| metric | score |\\n|--|--|\\n| validation_loss | 2.50 |\\n"
    ...                   "| accuracy | 0.9 |")  # no split: not such a row
    [(1, 1, 'validation', 'loss', '2.50')]
    """
    found = []
    for table in card_tables(body):
        if len(table.headers) != 2 or not _ROWS_ARE_METRICS.match(_plain(table.headers[0])) or (
                not _VALUE_HEADER.match(_plain(table.headers[1]))):
            continue
        for r, row in enumerate(table.rows):
            split, metric = split_from_name(_plain(row[0])) if len(row) == 2 else ("", "")
            if split and registered(metric) is not None and _is_number(row[1]):
                found.append((table.index + 1, r + 1, split, metric, row[1].strip()))
    return found
