"""What the text around a card's results table claims about it: the collection its rows are
the datasets of ("on 13 public BEIR datasets"), the metric a sentence names ("The Pearson
correlation coefficient is used as the evaluation metric"), the subsets and splits a list of
the evaluation data gives ("- [PubMed QA](...)" / "  - Subset: pqa_labeled, Split: train"),
the benchmark a line under a heading names by itself ("Evaluated using RewardBench" under
"#### Reward Bench Primary Dataset"). Each claim is taken only where it ties to the table: a
count the rows match, a name a column prints, a heading that prints the name.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..metrics import registered
from .cardcells import _HEADING, MarkdownTable, _fold, _is_number, _plain, _under_last_heading
from .cardlayouts import _result_columns
from .cardnames import _FULL_PRECISION, _QUANT_FORMAT, _QUANTIZATION_HEADER, _own
from .outcome import folded

_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
# "13 public BEIR datasets", "three beir tasks": a count of the datasets of a named collection
_COUNTED_COLLECTION = re.compile(
    rf"\b(?P<count>\d{{1,3}}|{'|'.join(_COUNT_WORDS)})\s+(?:public\s+|of\s+the\s+)?"
    r"(?P<name>[A-Za-z][\w\-]*)\s+(?:datasets|tasks|benchmarks|subsets)\b", re.I)
# "NDCG@10", "Recall@100": a measure at a cut-off, as printed
_MEASURE_AT_K = re.compile(r"\b(?:ndcg|mrr|map|recall|precision|hit|acc|top|pass)@\d+\b", re.I)
# "### 1. Reranking Performance": the task a section's collection was scored in
_TASK_HEADING = re.compile(r"^(?:\d+[.)]\s*)?(?P<task>[A-Z][a-z]{4,})\s+(?i:performance|results)$")
_NOT_A_TASK = re.compile(r"^(?:evaluation|benchmark|overall|model|final|main|detailed|average)",
                         re.I)


def _count(printed: str) -> int:
    return int(printed) if printed.isdigit() else _COUNT_WORDS[printed.lower()]


def _printed_name(name: str, text: str) -> str:
    """The collection's name as the text prints it with capitals ("BEIR" for "beir")."""
    for word in re.findall(r"[A-Za-z][\w\-]*", text):
        if word.lower() == name.lower() and sum(ch.isupper() for ch in word) >= 2:
            return word
    return ""


def collection_of_rows(table: MarkdownTable, rows: int) -> str:
    """The collection the text above a table of dataset rows names with a count the rows
    match ("on 13 public BEIR datasets" over 13 dataset rows), "" if none: the rows are its
    datasets. The name must be printed as a name (two capitals: "BEIR", "MTEB"), never a
    plain word ("13 public datasets").

    >>> t = MarkdownTable(["Dataset", "m"], [["NQ", "1"], ["FiQA", "2"]], "We test on two "
    ...                   "public BEIR datasets.", 0)
    >>> collection_of_rows(t, 2), collection_of_rows(t, 3)
    ('BEIR', '')
    """
    text = _plain(_under_last_heading(table.context))
    for found in _COUNTED_COLLECTION.finditer(text):
        name = _printed_name(found["name"], text)
        if name and _count(found["count"]) == rows:
            return name
    return ""


def measure_at_k_printed(context: str) -> str:
    """The one measure at a cut-off the text above a table names, as printed ("NDCG@10"),
    "" if none or several.

    >>> measure_at_k_printed("we report NDCG@10 as the metric; ndcg@10 is ..."), \
measure_at_k_printed("MRR@10 and Recall@100")
    ('NDCG@10', '')
    """
    found = _MEASURE_AT_K.findall(_plain(context))
    return found[0] if found and len({f.lower() for f in found}) == 1 else ""


def task_of_heading(context: str) -> str:
    """The task the nearest heading above a table names ("### 1. Reranking Performance" ->
    "Reranking"), "" when it names none (a section word: "Evaluation Results").

    >>> task_of_heading("### 1. Reranking Performance\\n\\ntext"), task_of_heading(
    ...     "## Evaluation Results\\n")
    ('Reranking', '')
    """
    for line in reversed(context.splitlines()):
        heading = _HEADING.match(line)
        if heading:
            found = _TASK_HEADING.match(_plain(heading["text"]))
            return found["task"] if found and not _NOT_A_TASK.match(found["task"]) else ""
    return ""


# "The [Pearson correlation coefficient](...) is used as the evaluation metric.", "The
# evaluation metric is accuracy.": the one measure of a table's columns
_METRIC_SENTENCE = re.compile(
    r"\bthe\s+(?P<a>[A-Za-z][\w@\-]*(?:\s+[A-Za-z][\w@\-]*){0,3}?)\s+is\s+used\s+as\s+the\s+"
    r"(?:evaluation\s+|main\s+)?metric\b|\bthe\s+evaluation\s+metric\s+is\s+(?:the\s+)?"
    r"(?P<b>[A-Za-z][\w@\-]*(?:\s+[A-Za-z][\w@\-]*){0,3}?)\s*[.,;]", re.I)


def metric_the_sentence_names(context: str) -> str:
    """The metric a sentence right above a table names as the one it uses, "" if none.

    >>> metric_the_sentence_names("The [Pearson correlation coefficient](u) is used as the "
    ...                           "evaluation metric.")
    'Pearson correlation coefficient'
    """
    text = _plain(_under_last_heading(context))
    found = list(_METRIC_SENTENCE.finditer(text))
    names = {folded(f["a"] or f["b"]) for f in found}
    if found:
        return (found[0]["a"] or found[0]["b"]) if len(names) == 1 else ""
    return _metric_of_the_settings(text)


# "zero-shot accuracy", "5-shot accuracy": a measure named with the prompt setting it was taken in
_SETTING_METRIC = re.compile(r"\b(?:zero|one|few|\d+)[\s-]shot\s+(?P<metric>[A-Za-z][\w@\-]*)",
                             re.I)


def _metric_of_the_settings(text: str) -> str:
    """The one registered metric the text above a table names with a shot setting, every time
    the same ("Since Med-PaLM doesn't provide zero-shot accuracy, we are using 5-shot
    accuracy"), "" if none or more than one.

    >>> _metric_of_the_settings("no zero-shot accuracy, so 5-shot accuracy in the 0-shot setting")
    'accuracy'
    >>> _metric_of_the_settings("zero-shot accuracy and 5-shot F1")
    ''
    """
    names = {found["metric"].lower() for found in _SETTING_METRIC.finditer(text)
             if registered(found["metric"]) is not None}  # "zero-shot setting": no measure
    return names.pop() if len(names) == 1 else ""


_DATA_ITEM = re.compile(r"^[-*+]\s+\[(?P<name>[^\]]{2,60})\]\([^)]*\)\s*$")
_PARTS_ITEM = re.compile(r"^\s+[-*+]\s+(?P<parts>.*\b(?:subset|split)\s*:.*)$", re.I)
_PART = re.compile(r"\b(?P<key>subset|split)\s*:\s*(?P<value>[\w.\-]+)", re.I)


def listed_data_parts(text: str) -> dict[str, tuple[str, str]]:
    """Folded dataset name -> (subset, split) a list of the evaluation data gives, a linked
    name and under it a line of its parts ("- [PubMed QA](u)" / "  - Subset: pqa_labeled,
    Split: train, Pair: ...").

    >>> listed_data_parts("- [PubMed QA](u)\\n  - Subset: pqa_labeled, Split: train\\n"
    ...                   "- [PubMed Subset](v)\\n  - Split: test, Pair: (title, text)")
    {'pubmedqa': ('pqa_labeled', 'train'), 'pubmedsubset': ('', 'test')}
    """
    found: dict[str, tuple[str, str]] = {}
    name = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        item, parts = _DATA_ITEM.match(line), _PARTS_ITEM.match(line)
        if item:
            name = _fold(item["name"])
        elif parts and name:
            given = {m["key"].lower(): m["value"] for m in _PART.finditer(parts["parts"])}
            found[name] = (given.get("subset", ""), given.get("split", ""))
            name = ""
        else:
            name = ""
    return found


# "Evaluated using RewardBench - as introduced in ...": the benchmark by its own name
_EVALUATED_USING_NAME = re.compile(r"\b(?i:evaluated\s+(?:using|on|with)\s+(?:the\s+)?)"
                                   r"(?P<name>[A-Z][\w\-]*(?:\.[\w\-]+)*(?:\s+[A-Z0-9][\w\-]*(?:\.[\w\-]+)*){0,2})")


def benchmark_the_line_names(heading_name: str, under: str) -> str:
    """The benchmark the line under a heading names when the heading prints that name with
    words of its own ("Reward Bench Primary Dataset" over "Evaluated using RewardBench"):
    the line's name; "" when the heading is the name itself or names another.

    >>> benchmark_the_line_names("Reward Bench Primary Dataset", "Evaluated using RewardBench.")
    'RewardBench'
    >>> benchmark_the_line_names("Arena Hard", "Evaluated using the Arena-Hard Pipeline.")
    ''
    """
    found = _EVALUATED_USING_NAME.search(_plain(under))
    if not found:
        return ""
    name, heading = folded(found["name"]), folded(heading_name)
    return found["name"] if name and heading.startswith(name) and heading != name else ""


def with_format_rows_named(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table of one model's number formats (``| Quantization | ZH. | EN |`` over ``| BF16 |``
    / ``| Int4 |``) on a card whose repository is one of them ("Qwen-VL-Chat-Int4"): each row
    named as its release is (the full-precision row the base model, "Int4" the card's), the
    corner "Model"; the table itself when its rows are not formats or none is the card's.

    >>> t = MarkdownTable(["Quantization", "EN"], [["BF16", "645.2"], ["Int4", "651.4"]], "", 0)
    >>> with_format_rows_named(t, "Qwen/Qwen-VL-Chat-Int4").rows
    [['Qwen-VL-Chat', '645.2'], ['Qwen-VL-Chat-Int4', '651.4']]
    """
    own = model_name.split("/")[-1]
    if not table.headers or not _QUANTIZATION_HEADER.match(_plain(table.headers[0])):
        return table
    formats = [_plain(row[0]) if row else "" for row in table.rows]
    if not formats or not all(_QUANT_FORMAT.match(f) for f in formats):
        return table
    mine = [f for f in formats if own.lower().endswith("-" + f.lower())]
    if len(mine) != 1 or formats.count(mine[0]) != 1:
        return table
    base = own[:-len(mine[0]) - 1]
    rows = [[base if _FULL_PRECISION.match(f) else f"{base}-{f}", *row[1:]]
            for f, row in zip(formats, table.rows, strict=True)]
    return replace(table, headers=["Model", *table.headers[1:]], rows=rows)


# "the model performance ... on the benchmark **[TouchStone](https://...)**": one benchmark
_ON_THE_BENCHMARK = re.compile(r"\bon\s+the\s+benchmark\s+(?:\*\*|__)?\[?(?P<data>[A-Z][\w.+\-]*)"
                               r"(?:\]\([^)]*\))?(?:\*\*|__)?(?=[\s,.;:]|$)")


def benchmark_the_line_above_names(context: str) -> str:
    """The one benchmark the line right above a table says its results are on ("... on the
    benchmark **[TouchStone](u)**, and ..."): its columns are that benchmark's parts; "" if
    none.

    >>> benchmark_the_line_above_names("We illustrate the performance of both BF16 and Int4 "
    ...                                "models on the benchmark **[TouchStone](u)**, and ...\\n")
    'TouchStone'
    """
    lines = [line for line in context.splitlines() if line.strip()]
    found = _ON_THE_BENCHMARK.search(lines[-1]) if lines else None
    return found["data"] if found else ""


def metric_group_cells(table: MarkdownTable) -> list[tuple[int, int, str, str, str, str]]:
    """(row, column, dataset, config, split, metric) of a one-row table with no labels whose
    two-row header groups datasets under metrics (``| | Top 20 | | Top 100 | |`` over ``| |
    NQ | TriviaQA | NQ | TriviaQA |``, joined "Top 20 / NQ"): on a model card, the card's own
    model's results, as no model is named; empty when any column is not a metric over data.

    >>> t = MarkdownTable(["", "Top 20 / NQ", "Top 100 / NQ"], [["", "79.4", "86.0"]], "", 0)
    >>> metric_group_cells(t)
    [(0, 1, 'NQ', '', '', 'Top 20'), (0, 2, 'NQ', '', '', 'Top 100')]
    """
    if not table.headers or _plain(table.headers[0]) or len(table.rows) != 1 or (
            table.rows[0] and _plain(table.rows[0][0])):
        return []
    row, cells = table.rows[0], []
    for c, header in enumerate(table.headers[1:], 1):
        metric, sep, data = _plain(header).partition(" / ")
        if not sep or registered(metric) is None or registered(data) is not None or (
                c >= len(row) or not _is_number(row[c])):
            return []
        cells.append((0, c, data, "", "", metric))
    return cells


def with_checkpoint_link_as_own(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A models table none of whose labels is the card's model but one of whose rows links a
    file of this repository in another cell (``| ft-MSE | ... | https://huggingface.co/
    stabilityai/sd-vae-ft-mse-original/resolve/main/vae-ft-mse-840000-ema-pruned.ckpt |``):
    that row relabelled as the card's model; the table itself otherwise (none, or two rows).

    >>> t = MarkdownTable(["Model", "rFID", "Link"], [["ft-EMA", "4.4", "https://huggingface.co/"
    ...                   "o/vae-ema/resolve/main/a.ckpt"], ["ft-MSE", "4.7", "https://"
    ...                   "huggingface.co/o/vae-mse/resolve/main/b.ckpt"]], "", 0)
    >>> [row[0] for row in with_checkpoint_link_as_own(t, "o/vae-mse").rows]
    ['ft-EMA', 'o/vae-mse']
    """
    link = re.compile(rf"https?://huggingface\.co/{re.escape(model_name)}/(?:resolve|blob)/",
                      re.I)
    if any(row and _own(_plain(row[0]), model_name) for row in table.rows):
        return table
    linking = [r for r, row in enumerate(table.rows) if any(link.search(c) for c in row[1:])]
    if len(linking) != 1:
        return table
    rows = [list(row) for row in table.rows]
    rows[linking[0]][0] = model_name
    return replace(table, rows=rows)


# "### COCO 2017 (256x256, val, 5000 images)": data, and in brackets how it was run
_DATA_HEADING = re.compile(r"^(?P<data>[A-Z][\w.+\-]*(?:\s+[\w.+\-]+){0,2})\s*"
                           r"\((?P<notes>[^()]+)\)$")
_RESOLUTION = re.compile(r"^\d{2,4}\s*[x\u00d7]\s*\d{2,4}$")
_SPLIT_WORD = re.compile(r"^(?:val|validation|test|dev)$", re.I)
_SAMPLE_NOTE = re.compile(r"^(?:\d[\d,]*\s+(?:images|samples|examples|clips|prompts)|subset|"
                          r"sample)$", re.I)
_TRAINING_COUNT = re.compile(r"\b(?:steps?|epochs?|iterations?)\b", re.I)


def heading_data_parts(context: str) -> tuple[str, str, str]:
    """(dataset, config, split) the nearest heading names with its settings in brackets
    ("COCO 2017 (256x256, val, 5000 images)": a resolution the config, a split, a count or
    "subset" of the sample no label); ("", "", "") when a note is none of these.

    >>> heading_data_parts("## Evaluation\\n### COCO 2017 (256x256, val, 5000 images)\\n")
    ('COCO 2017', '256x256', 'val')
    >>> heading_data_parts("### LAION-Aesthetics 5+ (256x256, subset, 10000 images)\\n")
    ('LAION-Aesthetics 5+', '256x256', '')
    >>> heading_data_parts("### Results (our runs)\\n")
    ('', '', '')
    """
    under = _under_last_heading(context)
    heading = _HEADING.match(under.split("\n", 1)[0]) if under else None
    found = _DATA_HEADING.match(_plain(heading["text"])) if heading else None
    if not found:
        return "", "", ""
    config, split = "", ""
    for note in (n.strip() for n in found["notes"].split(",")):
        if _RESOLUTION.match(note) and not config:
            config = note
        elif _SPLIT_WORD.match(note) and not split:
            split = note
        elif not _SAMPLE_NOTE.match(note):
            return "", "", ""
    if not (config or split):
        return "", "", ""
    return found["data"], config, split


def heading_data_cells(table: MarkdownTable, model_name: str
                       ) -> list[tuple[int, int, str, str, str, str]]:
    """(row, column, dataset, config, split, metric) of the card's own rows of a models table
    under a heading naming data with its settings (:func:`heading_data_parts`): each number
    column a measure on it ("rFID", "PSNR"), a training count ("train steps") no result."""
    data, config, split = heading_data_parts(table.context)
    if not data:
        return []
    columns = [c for c in _result_columns(table)
               if not _TRAINING_COUNT.search(_plain(table.headers[c]))]
    return [(r, c, data, config, split, _plain(table.headers[c]))
            for r, row in enumerate(table.rows) if row and _own(_plain(row[0]), model_name)
            for c in columns]


# "The accuracy of the trained model on the masked language modeling task was 0.779.": a
# result on a task, not on data the card names
_TASK_CLAIM = re.compile(r"\bthe\s+(?P<metric>[A-Za-z][\w\- ]{1,30}?)\s+of\s+the\s+(?:trained\s+|"
                         r"fine-?tuned\s+|final\s+)?model\s+on\s+(?:the\s+)?(?P<task>[^.\n]{3,80}?"
                         r"\btask)\s+(?:was|is)\s+(?P<value>\d+(?:\.\d+)?\s*%?)", re.I)


def task_claims_unreadable(model_name: str, body: str) -> list[str]:
    """Why each sentence giving the model's result on a task, no data named ("The accuracy of
    the trained model on the masked language modeling task was 0.779."), was not read.

    >>> task_claims_unreadable("o/m", "The accuracy of the trained model on the masked "
    ...                        "language modeling task was 0.779.")[0]
    "o/m: 'accuracy' 0.779 on 'masked language modeling task', a result on data the card \
does not name"
    """
    return [f"{model_name}: {m['metric']!r} {m['value'].strip()} on {m['task']!r}, a result on "
            "data the card does not name" for m in _TASK_CLAIM.finditer(_plain(body))
            if registered(m["metric"]) is not None]
