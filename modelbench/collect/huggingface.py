"""Hugging Face Hub: popular models by task, their parameter counts and model-index results.

Uses ``huggingface_hub`` (``HfApi(endpoint=...)``: ``list_models`` sorted by downloads,
``model_info`` with ``cardData`` and ``safetensors``; ``ModelCardData``/``EvalResult`` for the
``model-index``), never HTML scraping. huggingface_hub's HTTP goes through the polite
:class:`~modelbench.collect.http.Fetcher` (rate limit, retries, cache) by a small bridge
installed with ``huggingface_hub.set_client_factory`` (process-wide: the most recently created
scraper's fetcher carries Hub traffic).

Model cards in the wild are messy (see ``tests/fixtures/model_cards/README.md``): CRLF line
endings, values printed as strings (``"73.8%"``), task type and name swapped, misspelled metric
types, an invalid model-index. Each is tolerated: a card whose model-index cannot be read gives a
warning and its model is still stored.

Example:
    >>> scraper = HuggingFaceScraper(endpoint="http://127.0.0.1:8000")   # doctest: +SKIP
    >>> scraper.get_popular_models(task="text-classification", limit=5)  # doctest: +SKIP
    [{'name': 'org/model', 'downloads': 123, 'likes': 4, 'tags': [...], 'url': ..., ...}]
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..errors import FetchError
from ..metrics import canonical_name
from ..records import BenchmarkResult, ModelMetadata, utcnow
from .http import BenchmarkScraper, Fetcher, FetchPolicy
from .outcome import (
    SPLIT_WORDS,
    Outcome,
    folded,
    printed_notes,
    published_result,
    read_printed,
    split_from_name,
)
from .tables import slugify

__all__ = ["HuggingFaceScraper", "HubModel", "eval_results_to_records", "front_matter",
           "card_metadata", "card_outcome", "model_index_outcome", "PIPELINE_TAGS"]

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"


@dataclass
class HubModel:
    """One model as collected: its metadata, its eval results and what was odd about it."""

    metadata: ModelMetadata
    results: list[BenchmarkResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outcome: Outcome | None = None  # stored / duplicate / unreadable counts, with reasons


# -- the bridge: huggingface_hub's httpx2 client over our polite transport ----------------
def _install_bridge(fetcher: Fetcher) -> None:
    import httpx
    import httpx2
    from huggingface_hub import set_client_factory
    from huggingface_hub.utils._http import hf_request_event_hook

    class _Bridge(httpx2.BaseTransport):
        """Hands each request of huggingface_hub to the fetcher's transport (cache included)."""

        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            headers = [(k, v) for k, v in request.headers.raw if k.lower() != b"user-agent"]
            agent = f"{fetcher.policy.user_agent} {request.headers.get('user-agent', '')}".strip()
            outgoing = httpx.Request(request.method, str(request.url),
                                     headers=[*headers, (b"User-Agent", agent.encode())],
                                     content=request.read(),
                                     extensions={"timeout": httpx.Timeout(
                                         fetcher.policy.timeout).as_dict()})
            # A request with a token may answer private data: it never goes to the disk cache.
            private = "authorization" in request.headers
            response = (fetcher.polite if private else fetcher.transport).handle_request(outgoing)
            try:
                body = b"".join(response.iter_raw())  # still encoded: headers say how
            finally:
                response.close()
            return httpx2.Response(response.status_code, headers=list(response.headers.raw),
                                   content=body, request=request)

    set_client_factory(lambda: httpx2.Client(transport=_Bridge(), follow_redirects=True,
                                             timeout=None,
                                             event_hooks={"request": [hf_request_event_hook]}))


def _hub_error(exc: Exception, what: str) -> FetchError:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    hint = ("the Hub kept failing after retries; try again later" if status and status >= 500
            else "check the model id / task and HF_ENDPOINT; a private model needs HF_TOKEN")
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return FetchError(f"{what}: {first}", hint=hint, status=status)


# -- model cards -> records -----------------------------------------------------------------
#: Pipeline tags of the Hub (task types are mapped onto these where a card spells them otherwise).
PIPELINE_TAGS = frozenset("""
    text-classification token-classification table-question-answering question-answering
    zero-shot-classification translation summarization feature-extraction text-generation
    text2text-generation fill-mask sentence-similarity text-to-speech text-to-audio
    automatic-speech-recognition audio-to-audio audio-classification voice-activity-detection
    depth-estimation image-classification object-detection image-segmentation text-to-image
    image-to-text image-to-image image-to-video unconditional-image-generation
    video-classification reinforcement-learning robotics tabular-classification
    tabular-regression table-to-text multiple-choice text-retrieval time-series-forecasting
    text-to-video visual-question-answering document-question-answering
    zero-shot-image-classification graph-ml mask-generation zero-shot-object-detection
    image-feature-extraction""".split())
_TASK_ALIASES = {"speech-recognition": "automatic-speech-recognition",
                 "asr": "automatic-speech-recognition",
                 "sequence-to-sequence-language-modeling": "text2text-generation",
                 "named-entity-recognition": "token-classification",
                 "ner": "token-classification", "few-shot-ner": "token-classification",
                 "language-modeling": "text-generation",
                 "causal-language-modeling": "text-generation",
                 "machine-translation": "translation", "text-summarization": "summarization",
                 "natural-language-inference": "text-classification",
                 "sentiment-analysis": "text-classification"}
_CONFIG_ARGS = ("language", "config", "subset", "lang")
_NO_DATASET = {"", "unknown", "none", "n/a", "na", "null", "-", "custom"}
_GENERIC_METRIC = {"rouge", "unknown", "", "score", "custom", "other"}
_FRONT_MATTER = re.compile(r"\A\ufeff?\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def _pipeline_tag(task: dict[str, Any]) -> str:
    """The task of a model-index result as a Hub pipeline tag (its slug when none fits).

    >>> _pipeline_tag({"type": "Automatic Speech Recognition"}), _pipeline_tag(
    ...     {"name": "Speech Recognition", "type": "speech-recognition"})
    ('automatic-speech-recognition', 'automatic-speech-recognition')
    >>> _pipeline_tag({"name": "Translation afr-deu", "type": "translation"})
    'translation'
    """
    slugs = [slugify(str(task.get(k) or "")) for k in ("type", "name")]
    for slug in slugs:
        if slug in PIPELINE_TAGS:
            return slug
        if slug in _TASK_ALIASES:
            return _TASK_ALIASES[slug]
    for slug in slugs:
        first = slug.split("-")[0]
        if first in PIPELINE_TAGS:  # "translation-afr-deu"
            return first
    return next((s for s in slugs if s), "")


def front_matter(text: str) -> dict[str, Any]:
    """The YAML metadata block of a model card (CRLF or LF); ``{}`` when there is none.

    >>> front_matter("---\\r\\nlicense: mit\\r\\n---\\r\\n# Card")
    {'license': 'mit'}
    """
    return card_metadata(text)[0]


def card_metadata(text: str) -> tuple[dict[str, Any], list[str]]:
    """The card's metadata and what was wrong with it.

    Invalid YAML elsewhere in the block does not lose an intact ``model-index``: that block
    is read on its own.

    >>> meta, problems = card_metadata("---\\ndatasets:\\n- a\\nnot yaml [x\\nmodel-index:\\n"
    ...     "- name: m\\n  results: []\\n---\\n")
    >>> meta["model-index"], problems[0].startswith("metadata is not valid YAML")
    ([{'name': 'm', 'results': []}], True)
    """
    import yaml

    span = _front_matter_span(text)
    if span is None:
        return {}, []
    block = text[span[0]:span[1]]
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        first = " ".join(str(exc).split())[:160]
        recovered = _model_index_block(block)
        note = ("its model-index block was read on its own" if recovered is not None
                else "no model-index could be recovered" if "model-index" in block
                else _NO_RESULTS_LOST)
        return ({"model-index": recovered} if recovered is not None else {},
                [f"metadata is not valid YAML ({first}); {note}"])
    return (data if isinstance(data, dict) else {}), []


# Keys only a card's metadata block has at its top level (a stray ``---`` rule in a card's body
# is followed by prose, not by these).
_CARD_KEYS = re.compile(r"^(model-index|license|language|tags|datasets|metrics|pipeline_tag|"
                        r"library_name|base_model|widget|thumbnail|inference)\s*:", re.M)
_FENCE = re.compile(r"^[^\w\n]{0,3}(?:\\n)*---[ \t]*\r?$", re.M)
_CLOSING_FENCE = re.compile(r"^---[ \t]*\r?$", re.M)


def _front_matter_span(text: str) -> tuple[int, int] | None:
    """(start, end) of the card's metadata block, its ``---`` fences excluded.

    The block opens the card, or, in a card whose first lines were put above it by mistake (a
    heading, a sentence, a stray ``\\n`` written out), it is the first ``---`` fence among the
    first lines whose next line is a card metadata key (``license:``, ``model-index:``...).

    >>> text = "# Title\\n\\n---\\nlicense: mit\\n---\\nbody"
    >>> start, end = _front_matter_span(text); text[start:end]
    'license: mit'
    >>> _front_matter_span("# Title\\n\\n---\\nSome prose.\\n---\\n") is None
    True
    """
    match = _FRONT_MATTER.match(text)
    if match:
        return match.start(1), match.end(1)
    head = text[:4000]
    for fence in _FENCE.finditer(head):
        start = fence.end() + 1
        if not _CARD_KEYS.match(text, start):
            continue
        close = _CLOSING_FENCE.search(text, start)
        if close is not None:
            return start, max(start, close.start() - 1)
    return None


# Invalid metadata that held no model-index: nothing published was lost, a note not a skip.
_NO_RESULTS_LOST = "it held no model-index, so no result was lost"


def _model_index_block(block: str) -> Any:
    """The ``model-index:`` part of a metadata block, parsed alone (None when absent/broken)."""
    import yaml

    lines = block.splitlines()
    for start, line in enumerate(lines):
        if line.rstrip() == "model-index:" or line.startswith("model-index:"):
            end = start + 1
            while end < len(lines) and not _TOP_KEY.match(lines[end]):
                end += 1
            try:
                data = yaml.safe_load("\n".join(lines[start:end]))
            except yaml.YAMLError:
                return None
            return data.get("model-index") if isinstance(data, dict) else None
    return None


@dataclass
class _Row:
    """One value of a model-index result before de-duplication."""

    task: str
    dataset: str
    config: str
    split: str
    metric: str
    printed_metric: str
    dataset_name: str
    parsed: Any
    raw: Any
    extra: dict[str, Any]


# A dataset ``type`` that is a plain lower-case word ("sentiment", "emotion"): a topic, not an id.
_TOPIC = re.compile(r"^[a-z]+(?:[ -][a-z]+)?$")


def _dataset_labels(dataset: dict[str, Any], task: dict[str, Any],
                    card_datasets: list[str] | None = None) -> tuple[str, str, str]:
    """(dataset, config, split) as a reader takes them from a model-index ``dataset``.

    ``type`` is the dataset id unless it holds a task name or ``unknown``, or the card's
    ``datasets:`` list names ``name`` and not ``type`` while ``type`` is a plain word (``type:
    sentiment``, ``name: amazon_polarity``, ``datasets: [amazon_polarity]``); then ``name`` is.
    The config is ``config``, else ``args`` (a string such as ``"afr deu devtest"`` gives the
    pair and the split; a mapping gives its ``language``/``config``/``subset``).
    """
    dtype = str(dataset.get("type") or "").strip()
    dname = str(dataset.get("name") or "").strip()
    task_slugs = {slugify(str(task.get(k) or "")) for k in ("type", "name")}
    listed = {d.strip().lower() for d in card_datasets or []}
    if dtype.lower() in _NO_DATASET or slugify(dtype) in task_slugs | PIPELINE_TAGS or (
            dname.lower() in listed and dtype.lower() not in listed and _TOPIC.match(dtype)):
        name = dname or dtype
    else:
        name = dtype
    config = _given(dataset.get("config"))
    split = _given(dataset.get("split"))
    if not config and " - " in name:  # "mlsum - es": an id has no spaces; the rest is its config
        name, config = (part.strip() for part in name.split(" - ", 1))
    args = dataset.get("args")
    if not config and isinstance(args, str) and args.strip():
        words = args.split()
        if len(words) == 3 and words[2].lower() in SPLIT_WORDS:
            config, split = f"{words[0]}-{words[1]}", split or words[2].lower()
        elif len(words) < 3:  # more words are a description ("Train on VoxCeleb2-dev")
            config = args.strip()
    elif not config and isinstance(args, dict):
        config = str(next((args[k] for k in _CONFIG_ARGS if args.get(k)), "")).strip()
    return name, config, split


def _given(value: Any) -> str:
    """A YAML field's text; ``None``/``null`` written as a word is no value.

    >>> _given("None"), _given(None), _given(" de ")
    ('', '', 'de')
    """
    text = str(value or "").strip()
    return "" if text.lower() in ("none", "null", "~") else text


def _refines(name: str, mtype: str) -> bool:
    """Whether a metric's printed name is a known, narrower form of its type ("Precision
    Macro" of ``precision``, "F1 Weighted" of ``f1``).

    >>> _refines("Precision Macro", "precision"), _refines("Accuracy", "accuracy")
    (True, False)
    """
    from ..metrics import info

    narrow, broad = canonical_name(name), canonical_name(mtype)
    return bool(mtype) and narrow.startswith(f"{broad}_") and not info(name).guessed


def _tool_named_by_metric(mtype: str, name: str) -> bool:
    """Whether a metric's type is no metric the registry knows (the evaluation tool that
    computed it, ``code_eval``) while its printed name is one it knows ("pass@10").

    >>> _tool_named_by_metric("code_eval", "pass@10"), _tool_named_by_metric("wer", "Test WER")
    (True, False)
    >>> _tool_named_by_metric("acc_norm", "normalized accuracy")  # neither is known
    False
    """
    from ..metrics import info

    return bool(name) and info(mtype).guessed and not info(name).guessed \
        and canonical_name(name) != canonical_name(mtype)


def _names_a_kind_of(name: str, mtype: str) -> bool:
    """Whether a metric's printed name is another metric the registry knows, one whose own
    spelling says it is a kind of the type ("mAP@0.5(box)", mean average precision at IoU
    0.5, of ``precision``): the name is what was measured, the type only its family.

    >>> _names_a_kind_of("mAP@0.5(box)", "precision"), _names_a_kind_of("Test WER", "wer")
    (True, False)
    >>> _names_a_kind_of("F1", "accuracy"), _names_a_kind_of("multilabel accuracy", "accuracy")
    (False, False)
    """
    from ..metrics import registered

    named, typed = registered(name), registered(mtype)
    if named is None or typed is None or named.name == typed.name:
        return False
    return any(typed.name in spelling for spelling in (named.name, *named.aliases))


def _qualifies(name: str, mtype: str) -> bool:
    """Whether a metric's printed name is its type with a word or two before it that say
    which ("multilabel accuracy" of ``accuracy``): a narrower metric, told apart by its name.

    >>> _qualifies("multilabel accuracy", "accuracy"), _qualifies("Top-1 Accuracy", "accuracy")
    (True, False)
    >>> _qualifies("Accuracy", "accuracy"), _qualifies("normalized accuracy", "acc_norm")
    (False, False)
    """
    words = name.split()
    if not mtype or len(words) < 2 or canonical_name(name) == canonical_name(mtype):
        return False
    for cut in (1, 2):
        head, tail = words[:cut], " ".join(words[cut:])
        if tail and canonical_name(tail) == canonical_name(mtype) and all(
                word.isalpha() for word in head):
            return True
    return False


def _metric_labels(metric: dict[str, Any]) -> tuple[str, str, str]:
    """(metric, split named by the metric, printed metric name)."""
    mtype = str(metric.get("type") or "").strip()
    mname = str(metric.get("name") or "").strip()
    split, bare_name = split_from_name(mname)
    bare_name = bare_name or mname
    chosen = mtype
    if mtype.lower() in _GENERIC_METRIC or "/" in mtype:  # "rouge", "unknown", a dataset id
        chosen = bare_name or mtype
    elif _refines(bare_name, mtype):  # type "precision", name "Precision Macro"
        chosen = bare_name
    elif _tool_named_by_metric(mtype, bare_name):  # type "code_eval", name "pass@10"
        chosen = bare_name
    elif _names_a_kind_of(bare_name, mtype):  # type "precision", name "mAP@0.5(box)"
        chosen = bare_name
    elif _qualifies(bare_name, mtype):  # type "accuracy", name "multilabel accuracy"
        chosen = bare_name
    chosen = re.sub(r"^rogue", "rouge", chosen, flags=re.I)  # a common misspelling in cards
    return chosen, split, mname or mtype


def _values(raw: Any) -> tuple[list[tuple[str, Any]], str | None]:
    """[(sub-metric or "", parsed)] of a model-index value, or why it is unreadable."""
    if isinstance(raw, dict):
        out, why = [], None
        for key, inner in raw.items():
            found, problem = _values(inner)
            if problem:
                why = f"value {key!r}: {problem}"
                continue
            out.extend((str(key), parsed) for _, parsed in found)
        return out, (why if not out else None)
    if isinstance(raw, (list, tuple)):
        return [], f"value is a list of {len(raw)} numbers, not one result"
    if isinstance(raw, bool) or raw is None:
        return [], f"value {raw!r} is not a number"
    try:
        parsed = read_printed(raw)
    except ValueError:
        return [], f"value {raw!r} is not a number"
    if parsed is None:
        return [], f"value {raw!r} is a placeholder"
    return [("", parsed)], None


# A metric that counts what was evaluated (the Hub's evaluator writes "total" beside SQuAD's
# exact match and F1): the size of the evaluation, not how well the model did.
_COUNTS_EXAMPLES = re.compile(r"(?i)^\s*(total|count|support|n|num[_ ]?(examples|samples)|"
                              r"number[_ ]of[_ ](examples|samples|questions))\s*$")


def _rows_of_result(result: dict[str, Any], position: int, card_datasets: list[str],
                    problems: list[str]) -> list[_Row]:
    task = result.get("task") if isinstance(result.get("task"), dict) else {}
    dataset = result.get("dataset")
    if not isinstance(dataset, dict):
        # Not even the card's one ``datasets:`` entry: that lists what the model was trained
        # on, and a result printed without its evaluation data is no result on that data.
        problems.append(f"result {position}: no dataset given "
                        f"({len(result.get('metrics') or [])} metric(s) skipped)")
        return []
    name, config, split = _dataset_labels(dataset, task, card_datasets)
    base_extra: dict[str, Any] = {
        "dataset_type": dataset.get("type"), "dataset_name": dataset.get("name"),
        "config": dataset.get("config"), "split": dataset.get("split"),
        "args": dataset.get("args"), "task_type": task.get("type"), "task_name": task.get("name")}
    source = result.get("source")
    if isinstance(source, dict):
        base_extra["source"] = {"name": source.get("name"), "url": source.get("url")}
    rows = []
    pair_of_args = _language_pair(_args_language(dataset.get("args")))
    for metric in result.get("metrics") or []:
        if not isinstance(metric, dict):
            problems.append(f"result {position}: a metric is a {type(metric).__name__}, "
                            "not a mapping")
            continue
        metric_id, metric_split, printed = _metric_labels(metric)
        if _COUNTS_EXAMPLES.match(metric_id):  # "total: 11869" beside exact_match and f1
            problems.append(f"result {position} ({name} {printed}): the number of examples "
                            "evaluated, not a result")
            continue
        found, why = _values(metric.get("value"))
        if why:
            problems.append(f"result {position} ({name} {printed}): {why}")
        for sub, parsed in found:
            extra = dict(base_extra, metric_type=metric.get("type"), metric_name=metric.get("name"),
                         verified=metric.get("verified"), **parsed.provenance(),
                         **printed_notes(parsed.text))
            pair = _language_pair(str(metric.get("name") or "")) or pair_of_args
            row_config = pair if pair and "translation" in _pipeline_tag(task) else config
            rows.append(_Row(task=_pipeline_tag(task), dataset=name, config=row_config,
                             split=split or metric_split, metric=sub or metric_id,
                             printed_metric=printed, dataset_name=str(dataset.get("name") or ""),
                             parsed=parsed, raw=metric.get("value"),
                             extra={k: v for k, v in extra.items() if v is not None}))
    return rows


_PAIR = re.compile(r"(?<![A-Za-z])(?P<src>[A-Za-z]{2,3})\s*(?:->|→|-|_|2)\s*(?P<tgt>[A-Za-z]{2,3})"
                   r"(?![A-Za-z])")


def _language_pair(text: str) -> str:
    """The language pair a translation result's name or ``args`` prints, as ``src-tgt``.

    >>> _language_pair("Test BLEU (En->Es)"), _language_pair("de-en"), _language_pair("Test BLEU")
    ('en-es', 'de-en', '')
    """
    found = _PAIR.search(text or "")
    return f"{found.group('src')}-{found.group('tgt')}".lower() if found else ""


def _args_language(args: Any) -> str:
    """``args.language`` (or a string ``args``) of a model-index dataset."""
    if isinstance(args, dict):
        return str(args.get("language") or args.get("lang") or "")
    return str(args or "") if isinstance(args, str) else ""


_TRAILING_PAREN = re.compile(r"^(?P<stem>.*\S)\s*\((?P<inner>[^()]+)\)\s*$")


def _differing_words(names: list[str]) -> list[str]:
    """Each name less the words every name shares: what tells results apart ("EER Vox1-O",
    "EER Vox1-E" -> "Vox1-O", "Vox1-E"); the names as they are when that leaves one empty.

    >>> _differing_words(["EER Vox1-O", "EER Vox1-E"]), _differing_words(["5 way", "10 way"])
    (['Vox1-O', 'Vox1-E'], ['5', '10'])
    """
    shared = set.intersection(*(set(name.split()) for name in names))
    kept = [" ".join(w for w in name.split() if w not in shared) for name in names]
    return kept if all(kept) and len(set(kept)) == len(kept) else names


def _noted_variants(names: list[str]) -> list[str] | None:
    """The notes in parentheses that alone tell metric names apart ("Test WER", "Test WER
    (+LM)": with a language model), "" for the one printed bare; None when the names differ
    otherwise.

    >>> _noted_variants(["Test WER", "Test WER (+LM)"]), _noted_variants(["EER A", "EER B"])
    (['', '+LM'], None)
    """
    found = [_TRAILING_PAREN.match(name) for name in names]
    stems = {(m.group("stem") if m else name).strip().lower() for m, name in zip(
        found, names, strict=True)}
    notes = [m.group("inner").strip() if m else "" for m in found]
    if len(stems) != 1 or notes.count("") > 1 or len(set(notes)) != len(notes):
        return None
    return notes


def _disambiguate(rows: list[_Row]) -> None:
    """Results that would share every label but differ in value take the name that tells
    them apart (the dataset name, else the words of the metric name the others lack) as
    their config. Where they print a
    config, and their names differ only in a parenthesis ("LibriSpeech (clean)",
    "LibriSpeech (other)", both printed with ``config: other``), the names say which config
    each is: the parenthesis is it."""
    groups: dict[tuple[str, ...], list[_Row]] = {}
    for row in rows:
        key = (row.task, row.dataset, row.config, row.split, canonical_name(row.metric))
        groups.setdefault(key, []).append(row)
    for same in groups.values():
        if len(same) < 2 or len({r.parsed.value for r in same}) < 2:
            continue
        for attribute in ("dataset_name", "printed_metric"):
            names = [getattr(r, attribute) for r in same]
            if len(set(names)) == len(names) and all(names):
                inner = [_TRAILING_PAREN.match(name) for name in names]
                if attribute == "dataset_name" and same[0].config and all(inner) and len(
                        {m.group("stem").strip().lower() for m in inner if m}) == 1:
                    for row, found in zip(same, inner, strict=True):
                        row.config = found.group("inner").strip() if found else row.config
                    break
                notes = _noted_variants(names) if attribute == "printed_metric" else None
                if notes is not None:  # "Test WER", "Test WER (+LM)": the note is a setting
                    for row, note in zip(same, notes, strict=True):
                        row.config = ", ".join(x for x in (row.config, note) if x)
                    break
                if attribute == "printed_metric":
                    names = _differing_words(names)
                for row, label in zip(same, names, strict=True):
                    row.config = f"{row.config} {label}".strip() if row.config else label
                break


def model_index_outcome(model_name: str, model_index: Any, *, source_url: str = "",
                        collected_at: datetime | None = None,
                        card_datasets: list[str] | None = None) -> Outcome:
    """Records of a card's ``model-index`` (``source="huggingface"``), result by result: a
    malformed result is reported and skipped, the others are kept."""
    out = Outcome(source=source_url or model_name)
    when = collected_at or utcnow()
    if not isinstance(model_index, list):
        out.unreadable.append(f"{model_name}: model-index is a {type(model_index).__name__}, "
                              "not a list")
        return out
    rows: list[_Row] = []
    index_names = []
    for entry in model_index:
        if not isinstance(entry, dict):
            out.unreadable.append(f"{model_name}: a model-index entry is not a mapping")
            continue
        index_names.append(str(entry.get("name") or ""))
        results = entry.get("results") or []
        for position, result in enumerate(results if isinstance(results, list) else [], 1):
            if not isinstance(result, dict):
                out.unreadable.append(f"{model_name}: result {position} is not a mapping")
                continue
            rows.extend(_rows_of_result(result, position, card_datasets or [], out.unreadable))
    out.unreadable[:] = [m if m.startswith(model_name) else f"{model_name}: {m}"
                         for m in out.unreadable]
    _disambiguate(rows)
    index_name = next((n for n in index_names if n), "")
    for row in rows:
        extra = dict(row.extra)
        if index_name and index_name != model_name.split("/")[-1]:
            extra["model_index_name"] = index_name
        args = extra.get("args") if isinstance(extra.get("args"), dict) else {}
        params = {k: v for k, v in args.items() if k not in _CONFIG_ARGS}  # e.g. num_few_shot
        out.add(published_result(
            model_name=model_name, task_type=row.task, dataset=row.dataset,
            dataset_config=row.config, dataset_split=row.split, metric=row.metric,
            score=row.parsed.value, printed=str(row.raw) if not isinstance(row.raw, dict)
            else str(row.raw.get(row.metric, "")),
            source="huggingface", source_url=source_url, collected_at=when,
            extraction_method="model-index", extra=extra, params=params))
    return out


def eval_results_to_records(model_name: str, model_index: Any, *, source_url: str = "",
                            collected_at: datetime | None = None
                            ) -> tuple[list[BenchmarkResult], list[str]]:
    """(records, why items were skipped) of a raw ``model-index`` list."""
    out = model_index_outcome(model_name, model_index, source_url=source_url,
                              collected_at=collected_at)
    return out.results, out.duplicates + out.unreadable


def card_outcome(model_name: str, text: str, *, source_url: str = "",
                 collected_at: datetime | None = None) -> Outcome:
    """Everything a reader takes from one model card: its ``model-index`` results or, when it
    has none, the results tables of its body.

    Example:
        >>> card = ("---\\nmodel-index:\\n- name: m\\n  results:\\n  - task: {type: translation}\\n"
        ...         "    dataset: {name: flores, type: flores_101, args: afr deu devtest}\\n"
        ...         "    metrics: [{type: bleu, value: 21.6}]\\n---\\n")
        >>> r = card_outcome("org/m", card).results[0]
        >>> r.dataset, r.dataset_split, r.metric, r.score
        ('flores_101', 'devtest', 'bleu', 21.6)
    """
    meta, problems = card_metadata(text)
    datasets = meta.get("datasets")
    datasets = [str(d) for d in datasets] if isinstance(datasets, list) else (
        [str(datasets)] if isinstance(datasets, str) else [])
    out = Outcome(source=source_url or model_name)
    if problems and (meta.get("model-index") is not None
                     or all(p.endswith(_NO_RESULTS_LOST) for p in problems)):
        out.notes.extend(f"{model_name}: {p}" for p in problems)
    else:
        out.unreadable.extend(f"{model_name}: {p}" for p in problems)
    if meta.get("model-index"):
        out.merge(model_index_outcome(model_name, meta["model-index"], source_url=source_url,
                                      collected_at=collected_at, card_datasets=datasets))
    from .cardtables import card_table_outcome, listed_values_unreadable

    tables = card_table_outcome(model_name, _body(text), source_url=source_url,
                                collected_at=collected_at)
    if out.results:
        _add_new_table_results(out, tables)
        _add_new_table_results(out, _metric_rows_on_index_data(
            out, _body(text), source_url, collected_at or utcnow()))
    else:
        out.merge(tables)
    if not meta.get("model-index"):
        _add_eval_blocks(out, model_name, _body(text), source_url, collected_at)
    index = meta.get("model-index")
    index_results = not isinstance(index, list) or any(  # results a list could restate
        not isinstance(entry, dict) or entry.get("results") for entry in index)
    out.unreadable.extend(listed_values_unreadable(model_name, _body(text),
                                                   index_results=index_results))
    return out


def _metric_rows_on_index_data(index: Outcome, body: str, source_url: str, when: datetime
                               ) -> Outcome:
    """Beside a model-index on one dataset, a body ``| metric | score |`` table's
    "validation_loss" rows as results on that dataset (those it repeats are found later)."""
    from .cardtables import split_metric_rows

    data = {(r.model_name, r.dataset, r.dataset_config, r.task_type) for r in index.results}
    out = Outcome(source=index.source)
    if len(data) != 1:
        return out
    model, dataset, config, task = data.pop()
    for table, row, split, metric, printed in split_metric_rows(body):
        parsed = read_printed(printed)
        if parsed is None:
            continue
        out.add(published_result(
            model_name=model, dataset=dataset, dataset_config=config, dataset_split=split,
            metric=metric, score=parsed.value, printed=printed, source="huggingface",
            source_url=source_url, collected_at=when, task_type=task,
            extraction_method="card-table",
            extra={"table": table, "row": row, **parsed.provenance()}))
    return out


def _add_eval_blocks(out: Outcome, model_name: str, body: str, source_url: str,
                     collected_at: datetime | None) -> None:
    """A card without a model-index: the evaluation-script blocks of its body (a card with one
    restates it there, at other precision: c106's rule, so those are not read)."""
    from .cardblocks import eval_block_outcome

    blocks = eval_block_outcome(model_name, body, source_url=source_url,
                                collected_at=collected_at)
    for record in blocks.results:
        _add_fuller_printing(out, record)
    out.notes.extend(blocks.notes)


def _same_labels(a: BenchmarkResult, b: BenchmarkResult) -> bool:
    return (a.model_name, a.task_type, folded(a.dataset), a.dataset_config, a.dataset_split,
            a.metric) == (b.model_name, b.task_type, folded(b.dataset), b.dataset_config,
                          b.dataset_split, b.metric)


def _add_fuller_printing(out: Outcome, record: BenchmarkResult) -> None:
    """Add ``record``; one value printed twice at two precisions (c125's table cell
    ``90.7748`` over its eval block's ``90.77483309730933``) is one result: the fuller
    printing is kept, the shorter one counted a duplicate.

    >>> out = Outcome(); out.add(published_result(model_name="m", dataset="d", metric="f1",
    ...     score=94.9471, source="huggingface"))
    >>> _add_fuller_printing(out, published_result(model_name="m", dataset="d", metric="f1",
    ...     score=94.94714391266254, source="huggingface"))
    >>> [r.score for r in out.results], len(out.duplicates)
    ([94.94714391266254], 1)
    """
    for held in [r for r in out.results if _same_labels(r, record)
                 and _printed_shorter(held=r.score, full=record.score)]:
        out.results.remove(held)
        out.duplicates.append(f"{held.model_name}: {held.dataset} {held.metric} = "
                              f"{held.score} is {record.score} printed shorter")
    out.add(record)


def _printed_shorter(*, held: float, full: float) -> bool:
    """Whether ``held`` is ``full`` at fewer decimal places, rounded or cut (94.94 for
    94.947).

    >>> _printed_shorter(held=94.94, full=94.94714), _printed_shorter(held=94.95, full=94.947)
    (True, True)
    >>> _printed_shorter(held=94.9, full=94.94714), _printed_shorter(held=94.8, full=94.947)
    (True, False)
    """
    places = _decimals(repr(held))
    if places >= _decimals(repr(full)):
        return False
    cut = int(full * 10 ** places) / 10 ** places
    return held in (round(full, places), round(cut, places))


def _decimals(printed: str) -> int:
    digits = re.search(r"\.(\d+)", printed or "")
    return len(digits.group(1)) if digits else 0


def _add_new_table_results(out: Outcome, tables: Outcome) -> None:
    """Body-table results beside a model-index: those the model-index lacks are added. A body
    value that is a model-index value as printed, or in percent, at the body's precision
    (0.6459044 printed "64.59") is that result printed again: noted, not stored twice; so is
    a body value the reader could not label.

    >>> idx = Outcome(); idx.results.append(published_result(model_name="m", dataset="arc",
    ...     metric="acc", score=0.6459044, source="huggingface"))
    >>> body = Outcome(); body.results += [published_result(model_name="m", dataset=d,
    ...     metric="score", score=v, printed=p, source="huggingface")
    ...     for d, v, p in [("ARC", 64.59, "64.59"), ("DROP", 8.91, "8.91")]]
    >>> _add_new_table_results(idx, body); [r.dataset for r in idx.results], idx.notes
    (['arc', 'DROP'], ['1 body-table value(s) repeat the model-index'])
    """
    held = [r.score for r in out.results]
    repeats = 0
    for record in tables.results:
        places = _decimals(record.score_printed)
        if any(round(v * scale, places) == round(record.score, places)
               for v in held for scale in (1, 100)):
            repeats += 1
            continue
        out.add(record)
    # beside a model-index, a body value the reader cannot label is most often the model-index
    # again in another layout (DeciCoder's "| Python | JavaScript |" row): said, not counted
    out.notes.extend(f"{why} (beside the model-index)" for why in tables.unreadable + tables.notes)
    if repeats:
        out.notes.append(f"{repeats} body-table value(s) repeat the model-index")


def _body(text: str) -> str:
    """The card's markdown after its metadata block (all of it when it has none)."""
    span = _front_matter_span(text)
    if span is None:
        return text
    close = text.find("\n", span[1] + 1)
    return text[close + 1:] if close >= 0 else ""


# -- the scraper -----------------------------------------------------------------------------
class HuggingFaceScraper(BenchmarkScraper):
    """Popular models and their published eval results from a Hub (``endpoint``).

    ``endpoint`` defaults to ``$HF_ENDPOINT`` or https://huggingface.co; ``token`` to
    ``$HF_TOKEN`` (never logged). robots.txt is not consulted: this is the Hub's API, made for
    programs; its rate limits are honoured (429 + Retry-After) by the fetcher.
    """

    def __init__(self, endpoint: str | None = None, *, token: str | None = None,
                 fetcher: Fetcher | None = None, workers: int = 4, **fetch_options: Any) -> None:
        fetch_options.setdefault("policy", FetchPolicy(respect_robots=False, rate_per_host=5.0))
        super().__init__(fetcher, **fetch_options)
        from huggingface_hub import HfApi

        self.endpoint = (endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
        self.workers = workers
        self.api = HfApi(endpoint=self.endpoint, token=token or os.environ.get("HF_TOKEN") or False)
        _install_bridge(self.fetcher)

    def model_url(self, repo_id: str) -> str:
        return f"{self.endpoint}/{repo_id}"

    def list_model_ids(self, task: str, limit: int) -> list[str]:
        """The ``limit`` most downloaded models of a pipeline task (follows Link paging)."""
        try:
            return [m.id for m in self.api.list_models(pipeline_tag=task, sort="downloads",
                                                       limit=limit)]
        except FetchError:
            raise
        except Exception as exc:  # huggingface_hub raises its own HTTP and parse errors
            raise _hub_error(exc, f"listing {task!r} models on {self.endpoint} failed") from exc

    def collect_model(self, repo_id: str) -> HubModel:
        """Metadata and published results of one model (``collected_at`` = now).

        The results are read from the card itself (README.md): its ``model-index``, result by
        result, or the results tables of its body when it has no model-index.
        """
        try:
            info = self.api.model_info(repo_id)
        except FetchError:
            raise
        except Exception as exc:
            raise _hub_error(exc, f"model_info({repo_id!r}) on {self.endpoint} failed") from exc
        card = info.card_data
        index_name = (getattr(card, "model_name", None) or "") if card is not None else ""
        url = self.model_url(info.id)
        text = self._readme(info)
        outcome = card_outcome(info.id, text, source_url=url) if text else Outcome(source=url)
        if not index_name:
            index_name = next((r.extra["model_index_name"] for r in outcome.results
                               if "model_index_name" in r.extra), "")
        for message in outcome.notes + outcome.unreadable:
            log.warning(message)
        return HubModel(metadata=self._metadata(info, url, index_name, len(outcome.results)),
                        results=outcome.results,
                        warnings=outcome.notes + outcome.duplicates + outcome.unreadable,
                        outcome=outcome)

    def _readme(self, info: Any) -> str:
        """The model card (README.md) at the model's revision; "" when the model has none."""
        url = f"{self.endpoint}/{info.id}/resolve/{info.sha or 'main'}/README.md"
        try:
            return self.fetcher.get(url).text
        except FetchError as exc:
            if exc.status == 404:
                return ""
            raise

    def _metadata(self, info: Any, url: str, index_name: str, n_results: int) -> ModelMetadata:
        card = info.card_data
        license_ = getattr(card, "license", None) if card is not None else None
        tags = list(info.tags or [])
        if not license_:
            license_ = next((t.split(":", 1)[1] for t in tags if t.startswith("license:")), "")
        safetensors = info.safetensors
        config = info.config or {}
        extra: dict[str, Any] = {"sha": info.sha, "eval_results": n_results}
        if info.last_modified:
            extra["last_modified"] = info.last_modified.isoformat()
        if safetensors is not None:
            extra["parameters_by_dtype"] = dict(safetensors.parameters or {})
        if index_name:
            extra["model_index_name"] = index_name
        return ModelMetadata(
            model_name=info.id, architecture=(config.get("architectures") or [""])[0],
            parameters=safetensors.total if safetensors is not None else None,
            framework=info.library_name or "", task_type=info.pipeline_tag or "",
            license=str(license_ or ""), tags=tags, downloads=info.downloads, likes=info.likes,
            source="huggingface", source_url=url,
            extra={k: v for k, v in extra.items() if v is not None})

    def collect(self, task: str, limit: int = 20,
                progress: Callable[[str], None] | None = None,
                ids: list[str] | None = None) -> Iterator[HubModel]:
        """Collect the ``limit`` most downloaded models of ``task``, in download order.

        ``progress(repo_id)`` is called as each model is done; ``ids`` skips the listing.
        A fetch failure raises :class:`FetchError` (the caller decides what to keep).
        """
        ids = ids if ids is not None else self.list_model_ids(task, limit)
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="hub") as pool:
            for repo_id, model in zip(ids, pool.map(self.collect_model, ids), strict=True):
                if progress:
                    progress(repo_id)
                yield model

    def get_popular_models(self, task: str = "text-classification", limit: int = 10
                           ) -> list[dict[str, Any]]:
        """The seed's shape: ``[{"name", "downloads", "likes", "tags", "url", "parameters",
        "pipeline_tag", "library", "license"}]``, most downloaded first."""
        out = []
        for model in self.collect(task, limit):
            meta = model.metadata
            out.append({"name": meta.model_name, "downloads": meta.downloads,
                        "likes": meta.likes, "tags": meta.tags, "url": meta.source_url,
                        "parameters": meta.parameters, "pipeline_tag": meta.task_type,
                        "library": meta.framework, "license": meta.license})
        return out
