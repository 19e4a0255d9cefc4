"""Which row or column of a card's table is the card's own model.

A card prints its model under many names: folded or abbreviated ("Phi-3-Mini-128K-Ins"),
shorter than its Hub name ("Jamba 1.5 Mini" for ai21labs/AI21-Jamba-1.5-Mini), misspelt by a
letter, beside a link to its Hub page, with its size in a cell of its own. The readers of
:mod:`.cardtables` ask this module whether a label is the card's model, and relabel the one
label that is.

Example:
    >>> _own("OLMo 7B (ours)", "allenai/OLMo-7B"), _own("OLMo 1B", "allenai/OLMo-7B")
    (True, False)
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import replace

from .cardblocks import _LANGUAGES
from .cardcells import MarkdownTable, _fold, _is_number, _plain
from .outcome import SPLIT_WORDS, folded, is_property

# Footnote marks after a name ("GPT-J 6B&ddagger;", "StarCoder-15B*") and "(ours)".
_NAME_MARKS = re.compile(r"[*\u2020\u2021\u00a7\u00b6]+|\(\s*(?:ours|this\s+one)\s*\)", re.I)
# "PairRM (0.4b)": the model's size printed after its name.
_SIZE_NOTE = re.compile(r"\(\s*\d+(?:\.\d+)?\s*[bBmM](?:\s*/\s*\d+(?:\.\d+)?\s*[bBmM])?\s*\)")
# "**Idefics2** (w/o im. split)": the setting a row of the model was run in, its config.
_VARIANT_NOTE = re.compile(r"\s*\(\s*(?P<note>(?:w/o?|with(?:out)?)\s+[^()]+?)\s*\)", re.I)
# "8B", "0.4b", "7B" in a cell of its own: a model size ("|Llama-2-Chat|7B|...")
_SIZE = re.compile(r"^\d+(?:\.\d+)?\s*[bmk]$", re.I)
# "Idefics2 8B (Instructed)": a word after a name saying which of the model's variants it is.
_VARIANT_WORD = re.compile(r"\s*\(\s*(?P<word>[A-Za-z][\w-]{2,20})\s*\)\s*$")


def _name_words(name: str) -> list[str]:
    """The words of a model's name, less entities, footnote marks and "(ours)"."""
    plain = _NAME_MARKS.sub(" ", html.unescape(name.split("/")[-1]))
    # "V1.0" and "1.0": one version; "DeBERTaV2" and "deberta-v2": one spelling of it
    plain = re.sub(r"(?:\b|(?<=[a-z]{3}))v(?=\d)", " ", plain.lower())
    return re.findall(r"[a-z]+|[0-9]+[a-z]*", plain)


def _own(label: str, model_name: str) -> bool:
    """Whether a row or column label names the card's model: its name folded, less footnote
    marks and "(ours)", or its words each abbreviated ("Phi-3-Mini-128K-Ins" for
    Phi-3-mini-128k-instruct; a number is never abbreviated).

    >>> _own("**GPT-J 6B&ddagger;**", "EleutherAI/gpt-j-6b"), _own("OLMo 7B (ours)", "a/OLMo-7B")
    (True, True)
    >>> _own("Phi-3-Mini-128K-Ins", "m/Phi-3-mini-128k-instruct")
    True
    >>> _own("WizardCoder-15B 1.0", "WizardLM/WizardCoder-15B-V1.0")
    True
    >>> _own("Phi-3-Mini", "m/Phi-3-mini-4k"), _own("OLMo 1B", "a/OLMo-13B")
    (False, False)
    >>> _own("**PairRM (0.4b)**", "llm-blender/PairRM"), _own("Llama 2 (7B)", "m/Llama-2-13b")
    (True, False)
    >>> _own("Llama-2-Chat 7B", "N/Llama-2-7b-chat-hf"), _own("Llama 2 7B", "N/Llama-2-7b-chat-hf")
    (True, False)
    """
    if _SIZE_NOTE.search(label) and not re.search(r"\d[bm]\b", model_name.lower()) and _own(
            _SIZE_NOTE.sub(" ", label), model_name):
        return True  # "PairRM (0.4b)" for llm-blender/PairRM
    theirs, mine = _name_words(label), _name_words(model_name)
    if not label or not theirs:
        return False
    if "".join(theirs) == "".join(mine):
        return True
    if mine[-1:] == ["hf"] and len(mine) > 3 and sorted(theirs) == sorted(mine[:-1]):
        return True  # "Llama-2-Chat 7B" for Llama-2-7b-chat-hf: its Transformers conversion
    return len(theirs) == len(mine) > 2 and all(
        t == m or (t.isalpha() and len(t) >= 3 and m.startswith(t))
        for t, m in zip(theirs, mine, strict=True))


# The last word of a Hub name saying which variant of the model it is (a card may print the
# model without it: "Qwen2-VL-7B" for Qwen2-VL-7B-Instruct); "hf": a Transformers conversion.
_VARIANT_WORDS = ("instruct", "chat", "base")


# "-v0.5" ending a Hub name: the release of the model a card may print it without.
_RELEASE_PART = re.compile(r"[-_]v\d+(?:\.\d+)*$", re.I)
# "-Llama3" ending a Hub name after its size ("Idefics3-8B-Llama3"): the base model it is built
# on, a card printing it as "Idefics3-8B"; never a quantisation ("-Int4", "-bnb4").
_BASE_PART = re.compile(r"(?<=\d[bm])[-_](?!(?:int|bnb)\d)[a-z]{3,}\d+(?:\.\d+)?$", re.I)
# "Llama3-" opening a Hub name before a name of its own ("Llama3-OpenBioLLM-8B"): the base model
# it is built on, a card printing it as "OpenBioLLM-8B"; not "Qwen2-VL" (no name follows).
_BASE_OPENING = re.compile(r"^[a-z]{3,}-?\d+(?:\.\d+)?[-_](?=[a-z]{5,}[-_.\d])", re.I)
# "-SC", "-japanese": a last word of a Hub name saying what the model was tuned for (a task
# abbreviated in capitals) or on (a language), a card printing it as "KR-FinBert"; never
# another word ("-large", "-uncased", "-midas"), which may name another checkpoint.
_LAST_WORD = re.compile(r"(?<=[a-z0-9])[-_](?P<word>[a-z]{2,})$", re.I)
_TASK_ABBREVIATION = re.compile(r"^[A-Z]{2,3}$")


def _less_a_last_part(name: str) -> list[str]:
    """A Hub name less its last part when that part is a release ("-v0.5") or, after a size, the
    base model ("-Llama3"): the name a card may print its model by.

    >>> _less_a_last_part("ko-gpt-trinity-1.2B-v0.5"), _less_a_last_part("Idefics3-8B-Llama3")
    (['ko-gpt-trinity-1.2B'], ['Idefics3-8B'])
    >>> _less_a_last_part("Llama-2-7b"), _less_a_last_part("Qwen-7B-Int4")
    ([], [])

    An opening base model ("Llama3-") and a last word saying what the model was tuned for
    ("-SC"), never a size ("-large"), go too:

    >>> _less_a_last_part("Llama3-OpenBioLLM-8B"), _less_a_last_part("KR-FinBert-SC")
    (['OpenBioLLM-8B'], ['KR-FinBert'])
    >>> _less_a_last_part("gpt2-large"), _less_a_last_part("Qwen2-VL-7B")
    ([], [])
    """
    parts = [name[:found.start()] for pattern in (_RELEASE_PART, _BASE_PART)
             if (found := pattern.search(name))]
    opening = _BASE_OPENING.match(name)
    last = _LAST_WORD.search(name)
    if opening:
        parts.append(name[opening.end():])
    if last and (_TASK_ABBREVIATION.match(last["word"]) or last["word"].lower() in _LANGUAGES):
        parts.append(name[:last.start()])
    return parts


def _shorter_names(model_name: str) -> set[str]:
    """The card's model name, folded, less a first word that is its owner's (the "AI21" of
    ai21labs/AI21-Jamba-1.5-Mini), less a last variant word ("Instruct", "Chat", "Base", after
    "hf"), less a last release or base-model part (:func:`_less_a_last_part`), or less both:
    each of at least two words, none the whole name.

    >>> sorted(_shorter_names("ai21labs/AI21-Jamba-1.5-Mini"))
    ['jamba15mini']
    >>> sorted(_shorter_names("Qwen/Qwen2-VL-7B-Instruct")), _shorter_names("m/Phi-3")
    (['qwen2vl7b'], set())
    """
    owner, _, name = model_name.rpartition("/")
    first = re.split(r"[-_\s.]", name, maxsplit=1)[0]
    names = [name, *_less_a_last_part(name)]
    if owner and len(first) >= 2 and first != name and _fold(owner).startswith(_fold(first)):
        names.append(name[len(first):])
    found = set()
    for each in names:
        words = _name_words(each)
        forms = [words]
        bare = words[:-1] if words[-1:] == ["hf"] else words
        if bare[-1:] and bare[-1] in _VARIANT_WORDS:
            forms.append(bare[:-1])
        found.update("".join(form) for form in forms if len(form) >= 2)
    return found - {"".join(_name_words(name))}


def _own_by_a_shorter_name(label: str, model_name: str) -> bool:
    """Whether a label prints the card's model under one of :func:`_shorter_names` (a size in
    parentheses after it dropped, "Jamba 1.5 Mini (12B/52B)", when the Hub name has none), or
    or without a last release or base-model part.

    >>> _own_by_a_shorter_name("Ko-GPT-Trinity 1.2B", "skt/ko-gpt-trinity-1.2B-v0.5")
    True
    """
    if _SIZE_NOTE.search(label) and not re.search(r"\d[bm]\b", model_name.lower()):
        label = _SIZE_NOTE.sub(" ", label)
    words = _name_words(label)
    return bool(words) and "".join(words) in _shorter_names(model_name)


def _own_with_a_note(label: str, model_name: str) -> bool:
    """Whether a label prints the card's model, in full or by a shorter name, with a word in
    parentheses after it ("BERT-Large, Uncased (Original)" for google-bert/bert-large-uncased).

    >>> _own_with_a_note("BERT-Large, Uncased (Original)", "g/bert-large-uncased")
    True
    """
    found = _VARIANT_WORD.search(label)
    name = label[:found.start()] if found else ""
    return bool(name) and (_own(name, model_name) or _own_by_a_shorter_name(name, model_name))


def _with_own_name_resolved(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table none of whose rows or columns names the card's model in full, one of which (and
    only one) names it by a shorter name (:func:`_shorter_names`): that label relabelled as the
    card's model; the table itself otherwise (two such labels: which one is it?). A table of
    one row alone may print it with a note (:func:`_own_with_a_note`); among other rows a
    note ("(SFT)" beside "(RL)") tells variants apart.

    >>> t = MarkdownTable(["Benchmark", "Jamba 1.5 Mini", "Jamba 1.5 Large"], [["X", "1", "2"]],
    ...                   "", 0)
    >>> _with_own_name_resolved(t, "ai21labs/AI21-Jamba-1.5-Mini").headers[1]
    'ai21labs/AI21-Jamba-1.5-Mini'
    """
    if not table.headers or _names_own_model(table, model_name):
        return table
    resolved = _one_label_as_own(table, model_name,
                                 lambda label: _own_by_a_shorter_name(_plain(label), model_name))
    if resolved is not table or len(table.rows) != 1:
        return resolved
    # a table of one model alone, its name with a note ("(Original)"): no other for it to be
    return _one_label_as_own(table, model_name,
                             lambda label: _own_with_a_note(_plain(label), model_name))


def _one_label_as_own(table: MarkdownTable, model_name: str,
                      names_it: Callable[[str], bool]) -> MarkdownTable:
    """``table`` with its one header (after the first) or row label that ``names_it``
    relabelled as the card's model; unchanged when none or more than one does (which?).

    >>> t = MarkdownTable(["Benchmark", "A", "B"], [["X", "1", "2"]], "", 0)
    >>> _one_label_as_own(t, "o/m", lambda label: label == "B").headers
    ['Benchmark', 'A', 'o/m']
    """
    columns = [c for c, h in enumerate(table.headers[1:], 1) if names_it(h)]
    rows = [r for r, row in enumerate(table.rows) if row and names_it(row[0])]
    if len(columns) + len(rows) != 1:
        return table
    if columns:
        return replace(table, headers=[model_name if c == columns[0] else h
                                       for c, h in enumerate(table.headers)])
    return replace(table, rows=[[model_name, *row[1:]] if r == rows[0] else row
                                for r, row in enumerate(table.rows)])


def _one_letter_apart(a: str, b: str) -> bool:
    """Whether two folded names differ by one letter added, dropped or changed (a digit never:
    "7b" and "8b" are two models).

    >>> _one_letter_apart("decillm7binstruct", "decilm7binstruct"), _one_letter_apart("a7b", "a8b")
    (True, False)
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                 min(len(a), len(b)))
    drop_a, drop_b = (1, 1) if len(a) == len(b) else ((1, 0) if len(a) > len(b) else (0, 1))
    if a[start + drop_a:] != b[start + drop_b:]:
        return False
    return all(c.isalpha() for c in (a[start:start + drop_a] + b[start:start + drop_b]))


def _with_misspelt_own_name(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table none of whose labels names the card's model, one (and only one) of which prints
    its name misspelt by a letter ("DecilLM-7B-instruct" for Deci/DeciLM-7B-instruct, a name of
    eight letters or more): that label relabelled as the card's model; the table otherwise."""
    mine = "".join(_name_words(model_name.rpartition("/")[2]))
    if len(mine) < 8 or not table.headers or _names_own_model(table, model_name):
        return table
    return _one_label_as_own(table, model_name, lambda label: _one_letter_apart(
        "".join(_name_words(_plain(label))), mine))


def _size_column(table: MarkdownTable) -> int | None:
    """The column of model sizes ("| Size |" over "8B", "13B"), if the table has one."""
    for c, header in enumerate(table.headers[1:], 1):
        cells = [_plain(row[c]) for row in table.rows if c < len(row) and _plain(row[c])]
        sized = sum(bool(_SIZE.match(cell)) for cell in cells)
        if is_property(_plain(header)) and cells and sized * 2 > len(cells):
            return c
    return None


def _own_row_config(label: str, row: list[str], size_col: int | None, model_name: str
                    ) -> str | None:
    """The config of a row of the card's model ("w/o im. split" for "**Idefics2** (w/o im.
    split)"), "" when its label notes none, None when the row is another model's. A name
    printed without its size, beside a size column ("Idefics2" | "8B"), is read with it.

    >>> _own_row_config("Idefics2 (w/o im. split)", ["x", "8B"], 1, "HuggingFaceM4/idefics2-8b")
    'w/o im. split'
    >>> _own_row_config("Idefics2", ["x", "80B"], 1, "HuggingFaceM4/idefics2-8b") is None
    True
    """
    note = _VARIANT_NOTE.search(label)
    name = _VARIANT_NOTE.sub(" ", label).strip() if note else label
    config = note.group("note") if note else ""
    if _own(name, model_name):
        return config
    size = _plain(row[size_col]) if size_col is not None and size_col < len(row) else ""
    if _SIZE.match(size) and _own(f"{name} {size}", model_name):
        return config
    return None


def _variant_the_text_names(label: str, context: str, model_name: str) -> bool:
    """Whether a row is the card's model in the variant the text above says the table is of
    ("Idefics2 8B (Instructed)" under "... accuracy on FairFace for the instructed model").

    >>> _variant_the_text_names("Idefics2 8B (Instructed)", "for the instructed model.",
    ...                         "HuggingFaceM4/idefics2-8b")
    True
    """
    found = _VARIANT_WORD.search(label)
    if not found or not _own(label[:found.start()], model_name):
        return False
    word = re.escape(found.group("word").lower())
    return re.search(rf"\bthe\s+{word}\s+model\b", _plain(context).lower()) is not None


def _names_linked_to_own_page(tables: list[MarkdownTable], model_name: str) -> set[str]:
    """The names (folded) a card's tables print beside a link to this model's Hub page (``|
    DeepSeek-V2-Chat (RL) | 128k | [HuggingFace](https://huggingface.co/deepseek-ai/
    DeepSeek-V2-Chat) |``): the card's own name for its model.

    >>> t = MarkdownTable(["Model", "Download"], [["X-Chat (RL)", "[hf](https://huggingface.co"
    ...                   "/o/X-Chat)"], ["X", "[hf](https://huggingface.co/o/X)"]], "", 0)
    >>> _names_linked_to_own_page([t], "o/X-Chat")
    {'xchatrl'}
    """
    link = re.compile(rf"huggingface\.co/{re.escape(model_name)}/?\)", re.I)
    return {folded(_plain(row[0])) for table in tables for row in table.rows
            if len(row) > 1 and _plain(row[0]) and any(link.search(cell) for cell in row[1:])}


def _with_linked_name_as_own(table: MarkdownTable, model_name: str, names: set[str]
                             ) -> MarkdownTable:
    """A table whose rows or columns print the card's model by the name its download table
    links to its Hub page ("DeepSeek-V2 Chat (RL)"), relabelled as the card's model."""
    if not names:
        return table
    headers = [model_name if c and folded(_plain(h)) in names else h
               for c, h in enumerate(table.headers)]
    rows = [[model_name, *row[1:]] if row and folded(_plain(row[0])) in names else row
            for row in table.rows]
    return replace(table, headers=headers, rows=rows)


def _with_label_linking_own_page(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table whose row label is a link to this model's Hub page (``[convnext_large_d_320.
    laion2b_s29b_b131k-ft-soup](https://huggingface.co/laion/CLIP-convnext_...-ft-soup)``, the
    link text dropping part of the Hub name): that row relabelled as the card's model.

    >>> t = MarkdownTable(["Model", "A"], [["[x](https://huggingface.co/o/CLIP-x)", "1"],
    ...                   ["[x-ft](https://huggingface.co/o/CLIP-x-ft)", "2"]], "", 0)
    >>> [row[0] for row in _with_label_linking_own_page(t, "o/CLIP-x").rows]
    ['o/CLIP-x', '[x-ft](https://huggingface.co/o/CLIP-x-ft)']
    """
    link = re.compile(rf"\]\(\s*https?://huggingface\.co/{re.escape(model_name)}/?\s*\)", re.I)
    if not any(row and link.search(row[0]) for row in table.rows):
        return table
    return replace(table, rows=[[model_name, *row[1:]] if row and link.search(row[0]) else row
                                for row in table.rows])


def _names_own_model(table: MarkdownTable, model_name: str) -> bool:
    """Whether a row or a column of a table names the card's model (as :func:`_own` reads)."""
    size_col = _size_column(table)
    return any(_own(_plain(h), model_name) for h in table.headers[1:]) or any(
        row and (_own_row_config(_plain(row[0]), row, size_col, model_name) is not None
                 or _variant_the_text_names(_plain(row[0]), table.context, model_name))
        for row in table.rows)


# "microsoft/deberta-v2-xlarge-mnli": a pre-trained base's name, then the task it was tuned on
_TASK_SUFFIX = re.compile(r"^(?P<base>[\w.\-]+/[\w.\-]+?)-(?P<task>[a-z]{3,10})$", re.I)
# "MNLI-m/mm": one task's two test sets (matched, mismatched) over paired values "91.7/91.6"
_PAIRED_PARTS = re.compile(r"^(?P<data>[A-Za-z][\w.]*)-(?P<a>[a-z]{1,3})/(?P<b>[a-z]{1,3})$",
                           re.I)
# "We present the dev results on ...": the split every column of the table below is on
_SPLIT_RESULTS = re.compile(r"\b(?P<split>dev|validation|test)\s+(?:set\s+)?results\b", re.I)


def _base_row_and_task_column(table: MarkdownTable, model_name: str
                              ) -> tuple[int, int] | None:
    """(row, column) of a fine-tuning table on a card whose name is a base's and a task's
    ("deberta-v2-xlarge-mnli"): the one row linking the base's Hub page reports the base
    fine-tuned per task, so its column of the card's task is the card's result. None when the
    table is not so."""
    found = _TASK_SUFFIX.match(model_name)
    if not found or not re.search(r"fine-?tun", table.context, re.I):
        return None
    link = re.compile(rf"\]\(\s*https?://huggingface\.co/{re.escape(found['base'])}/?\s*\)",
                      re.I)
    rows = [r for r, row in enumerate(table.rows) if row and link.search(row[0])]
    task = found["task"].lower()
    columns = [c for c, h in enumerate(table.headers) if c and _fold(h).startswith(task)]
    return (rows[0], columns[0]) if len(rows) == 1 and len(columns) == 1 else None


def _paired_cells(cell: str) -> list[str]:
    """A cell of a paired column as two: "91.7/91.6" split, a number alone first, a label
    ("Acc", the metric row's) for both."""
    pieces = [p.strip() for p in cell.split("/")]
    if len(pieces) == 2:
        return pieces
    return [cell, ""] if any(ch.isdigit() for ch in cell) else [cell, cell]


def _with_base_row_as_own(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A fine-tuning table of the card's base (:func:`_base_row_and_task_column`) as the
    card's own: the first column and the task's column only, the base's row relabelled as
    the card's model; a column of two parts ("MNLI-m/mm") two columns ("MNLI m", "MNLI mm"),
    and the split the sentence above names ("the dev results") noted on them.

    >>> t = MarkdownTable(["Model", "SST-2", "MNLI-m/mm"], [["", "Acc", "Acc"],
    ...                   ["[B](https://huggingface.co/o/b)", "97.5", "91.7/91.6"]],
    ...                   "### Fine-tuning\\nWe present the dev results on GLUE.\\n", 0)
    >>> s = _with_base_row_as_own(t, "o/b-mnli"); s.headers, s.rows
    (['Model', 'MNLI m (dev)', 'MNLI mm (dev)'], [['', 'Acc', 'Acc'], ['o/b-mnli', '91.7', \
'91.6']])
    """
    found = _base_row_and_task_column(table, model_name)
    if found is None:
        return table
    own, c = found
    header = _plain(table.headers[c])
    pair = _PAIRED_PARTS.match(header)
    split = _SPLIT_RESULTS.search(table.context)
    note = f" ({split['split']})" if split else ""
    headers = ([f"{pair['data']} {pair['a']}{note}", f"{pair['data']} {pair['b']}{note}"]
               if pair else [f"{header}{note}"])
    rows = []
    for r, row in enumerate(table.rows):
        cell = row[c] if c < len(row) else ""
        label = model_name if r == own else row[0]
        rows.append([label, *(_paired_cells(cell) if pair else [cell])])
    return replace(table, headers=[table.headers[0], *headers], rows=rows)


_OURS = re.compile(r"\(\s*ours\s*\)", re.I)


def _with_ours_tail_as_own(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table with one row marked "(ours)" whose name is the last three or more words of the
    card's name ("roberta-wwm-ext-large (ours)" on chinese_pretrain_mrc_roberta_wwm_ext_large:
    the card's prefix says what it was further trained on) relabelled as the card's model;
    the table itself otherwise.

    >>> t = MarkdownTable(["Model", "A"], [["roberta-wwm-ext-large (x)", "1"], ["macbert-large "
    ...                   "(ours)", "2"], ["roberta-wwm-ext-large (ours)", "3"]], "", 0)
    >>> [row[0] for row in _with_ours_tail_as_own(t, "o/mrc_roberta_wwm_ext_large").rows]
    ['roberta-wwm-ext-large (x)', 'macbert-large (ours)', 'o/mrc_roberta_wwm_ext_large']
    """
    mine = _name_words(model_name)

    def is_tail(label: str) -> bool:
        theirs = _name_words(label)
        return bool(_OURS.search(label)) and 3 <= len(theirs) < len(mine) and (
            mine[-len(theirs):] == theirs)

    rows = [r for r, row in enumerate(table.rows) if row and is_tail(_plain(row[0]))]
    if len(rows) != 1:
        return table
    return replace(table, rows=[[model_name, *row[1:]] if r == rows[0] else row
                                for r, row in enumerate(table.rows)])


# "This one", "(this model)": a row labelled by a word pointing at the card itself, no name
_SELF_REFERENCE = re.compile(r"^\(?\s*this\s+(?:one|model)\s*\)?$", re.I)
# "Molmo 7B-D (this model)": a name the card marks as its own, whatever form of it it prints
_SELF_MARK = re.compile(r"\S\s*\(\s*this\s+(?:one|model)\s*\)$", re.I)


def with_self_reference_as_own(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table none of whose labels names the card's model, one (and only one) of which points
    at the card instead of naming a model ("| This one | **62.51** |" below the row of the
    model it is compared with, mrm8488's cards): that label relabelled as the card's model;
    the table otherwise.

    >>> t = MarkdownTable(["Model", "EM"], [["DrQA-it", "56.1"], ["This one", "62.51"]], "", 0)
    >>> [row[0] for row in with_self_reference_as_own(t, "o/bert-it").rows]
    ['DrQA-it', 'o/bert-it']

    So is a row's name marked "(this model)", printed in another form than the Hub's:

    >>> t = MarkdownTable(["Model", "Avg"], [["M 7B-D (this model)", "7"], ["M 7B-O", "6"]], "", 0)
    >>> [row[0] for row in with_self_reference_as_own(t, "o/M-7B-D-0924").rows]
    ['o/M-7B-D-0924', 'M 7B-O']
    """
    if not table.headers or _names_own_model(table, model_name):
        return table
    found = _one_label_as_own(table, model_name,
                              lambda label: bool(_SELF_REFERENCE.match(_plain(label))))
    if found is not table:
        return found
    marked = [r for r, row in enumerate(table.rows) if row and _SELF_MARK.search(_plain(row[0]))]
    if len(marked) != 1:  # a marked column's header is read where it is ("(this model)" kept)
        return table
    return replace(table, rows=[[model_name, *row[1:]] if r == marked[0] else row
                                for r, row in enumerate(table.rows)])


# "**94.6** (this)": a value the card marks as its own model's, in a row of another's name
_OWN_CELL_MARK = re.compile(r"\s*\(\s*this(?:\s+(?:one|model))?\s*\)\s*$", re.I)
# "All the other numbers are test numbers." below a table: the split of the values no mark
# ("*", "evaluated on the development sets") sets apart
_OTHER_NUMBERS_SPLIT = re.compile(r"\ball\s+(?:the\s+)?other\s+(?:numbers|results|scores)\s+"
                                  r"are\s+(?P<split>test|dev|validation)\b", re.I)
# "92.4*": a footnote mark after a value (bold "**94.6**" is none)
_VALUE_FOOTNOTE = re.compile(r"\d\s*[*\u2020\u2021]")


def with_marked_own_cell(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table none of whose labels names the card's model, one (and only one) of whose values
    is marked "(this)" (``| SpanBERT (large) | **94.6** (this) | [88.7](…) |``, the row of the
    base model the card fine-tuned on one of the columns' data, mrm8488's cards): that column
    alone, the marked row relabelled as the card's model, its metric kept, and the split a
    note below gives the values without a footnote mark ("All the other numbers are test
    numbers."); the table otherwise.

    >>> t = MarkdownTable(["", "SQuAD 1.1", "Coref"], [["BERT", "91.3", "77.1"], ["SpanBERT",
    ...                   "**94.6** (this)", "79.6"]], "", 0, caption="All the other numbers "
    ...                   "are test numbers.", metrics={1: "F1", 2: "avg. F1"})
    >>> s = with_marked_own_cell(t, "o/spanbert-x"); s.headers, s.rows, s.metrics, s.splits
    (['', 'SQuAD 1.1'], [['BERT', '91.3'], ['o/spanbert-x', '**94.6**']], {1: 'F1'}, \
{1: 'test'})
    """
    if not table.headers or _names_own_model(table, model_name):
        return table
    marked = [(r, c) for r, row in enumerate(table.rows) for c, cell in enumerate(row[1:], 1)
              if _OWN_CELL_MARK.search(cell) and _is_number(_OWN_CELL_MARK.sub("", cell))]
    if len(marked) != 1:
        return table
    own, c = marked[0]
    cell = _OWN_CELL_MARK.sub("", table.rows[own][c])
    rows = [[model_name, cell] if r == own else [row[0], row[c] if c < len(row) else ""]
            for r, row in enumerate(table.rows)]
    note = _OTHER_NUMBERS_SPLIT.search(table.caption)
    split = SPLIT_WORDS[note["split"].lower()] if note and not _VALUE_FOOTNOTE.search(
        re.sub(r"\*\*(.+?)\*\*", r"\1", cell)) else table.splits.get(c, "")
    return replace(table, headers=[table.headers[0], table.headers[c]], rows=rows,
                   metrics={1: table.metrics[c]} if c in table.metrics else {},
                   splits={1: split} if split else {})


# "| Model Size | Quantization | MMMU |": a column saying which quantised release a row is
_QUANTIZATION_HEADER = re.compile(r"^quanti[sz]ation(?:\s+(?:method|type))?$|^quant\.?$", re.I)
# "BF16", "GPTQ-Int8", "AWQ", "Int4": a release's number format (the first word of its cell)
_QUANT_FORMAT = re.compile(r"^(?:(?:gptq|awq|bnb)(?:[-_]?(?:int|w)?\d+(?:bits?)?)?|"
                           r"int\d+|fp\d+|bf16|nf4|fp8|gguf)$", re.I)
# formats that are the model as released, not a quantised sibling repository
_FULL_PRECISION = re.compile(r"^(?:bf16|fp16|fp32)$", re.I)


def _quant_format(cell: str) -> str:
    """The number format a quantisation cell starts with ("AWQ" of ``AWQ<br><sup>([🤗](…))``),
    "" when it starts with none."""
    words = _plain(re.split(r"<br\s*/?>", cell, maxsplit=1, flags=re.I)[0]).split()
    return words[0] if len(words) == 1 and _QUANT_FORMAT.match(words[0]) else ""


def with_quantization_joined(table: MarkdownTable) -> MarkdownTable:
    """A table of a model's quantised releases (``| Model Size | Quantization | MMMU |``, the
    model printed once and left blank on the rows below it, one row per format) with each
    row named as its release's repository is ("Qwen2-VL-72B-Instruct" with "AWQ" is
    Qwen2-VL-72B-Instruct-AWQ; "BF16" is the model itself) and the format column dropped; the
    table itself when its second column is not such a column.

    >>> t = MarkdownTable(["Model Size", "Quantization", "MMMU"], [["Q-72B", "BF16<br><sup>x",
    ...                   "65.4"], ["", "GPTQ-Int8", "64.6"], ["", "AWQ", "64.2"]], "", 0)
    >>> [row[0] for row in with_quantization_joined(t).rows]
    ['Q-72B', 'Q-72B-GPTQ-Int8', 'Q-72B-AWQ']
    """
    if len(table.headers) < 3 or not _QUANTIZATION_HEADER.match(_plain(table.headers[1])):
        return table
    formats = [_quant_format(row[1]) if len(row) > 1 else "" for row in table.rows]
    if not table.rows or not all(formats) or not _plain(table.rows[0][0]):
        return table
    rows, name = [], ""
    for row, form in zip(table.rows, formats, strict=True):
        name = _plain(row[0]) or name
        label = name if _FULL_PRECISION.match(form) else f"{name}-{form}"
        rows.append([label, *row[2:]])
    return replace(table, headers=[table.headers[0], *table.headers[2:]], rows=rows)


# "7b", "1.8B", "13b": a model size as a word of its name
_SIZE_WORD = re.compile(r"^\d+(?:\.\d+)?[bm]$")


def _sized_own_name(label: str, model_name: str) -> bool:
    """Whether a label is the card's model's name with its size put in ("Qwen-VL-7B-Chat" for
    Qwen/Qwen-VL-Chat, a Hub name that prints none: the model has one size).

    >>> _sized_own_name("Qwen-VL-7B-Chat", "Qwen/Qwen-VL-Chat")
    True
    >>> _sized_own_name("Qwen-VL-7B", "Qwen/Qwen-VL-Chat"), _sized_own_name("L-7B", "o/L-13B")
    (False, False)
    """
    mine = _name_words(model_name)
    if any(_SIZE_WORD.match(word) for word in mine):
        return False
    theirs = _name_words(_plain(label))
    sizes = [i for i, word in enumerate(theirs) if _SIZE_WORD.match(word)]
    return len(sizes) == 1 and len(mine) >= 2 and (
        theirs[:sizes[0]] + theirs[sizes[0] + 1:] == mine)


def with_sized_own_name(table: MarkdownTable, model_name: str) -> MarkdownTable:
    """A table none of whose labels names the card's model, one (and only one) of which
    prints it with its size put in (:func:`_sized_own_name`; two sizes: which one is it?):
    that label relabelled as the card's model; the table otherwise.

    >>> t = MarkdownTable(["Model", "val"], [["Qwen-VL-7B", "89.4"], ["Qwen-VL-7B-Chat",
    ...                   "88.6"]], "", 0)
    >>> [row[0] for row in with_sized_own_name(t, "Qwen/Qwen-VL-Chat").rows]
    ['Qwen-VL-7B', 'Qwen/Qwen-VL-Chat']
    """
    if not table.headers or _names_own_model(table, model_name):
        return table
    return _one_label_as_own(table, model_name, lambda label: _sized_own_name(label, model_name))
