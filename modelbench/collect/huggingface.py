"""Hugging Face Hub: popular models by task, their parameter counts and model-index results.

Uses ``huggingface_hub`` (``HfApi(endpoint=...)``: ``list_models`` sorted by downloads,
``model_info`` with ``cardData`` and ``safetensors``; ``ModelCardData``/``EvalResult`` for the
``model-index``), never HTML scraping. huggingface_hub's HTTP goes through the polite
:class:`~modelbench.collect.http.Fetcher` (rate limit, retries, cache) by a small bridge
installed with ``huggingface_hub.set_client_factory`` (process-wide: the most recently created
scraper's fetcher carries Hub traffic).

Model cards in the wild are messy (see ``shared/fixtures/model_cards/README.md``): CRLF line
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
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..errors import FetchError
from ..metrics import canonical_name
from ..numbers import parse_number
from ..records import BenchmarkResult, ModelMetadata, utcnow
from .http import BenchmarkScraper, Fetcher, FetchPolicy
from .tables import slugify

__all__ = ["HuggingFaceScraper", "HubModel", "eval_results_to_records", "front_matter"]

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
_SPLIT_WORDS = {"validation": "validation", "val": "validation", "dev": "validation",
                "test": "test", "eval": "validation", "train": "train"}
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass
class HubModel:
    """One model as collected: its metadata, its eval results and what was odd about it."""

    metadata: ModelMetadata
    results: list[BenchmarkResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


# -- model-index -> records --------------------------------------------------------------
def front_matter(text: str) -> dict[str, Any]:
    """The YAML metadata block of a model card (CRLF or LF); ``{}`` when there is none.

    >>> front_matter("---\\r\\nlicense: mit\\r\\n---\\r\\n# Card")
    {'license': 'mit'}
    """
    import yaml

    match = _FRONT_MATTER.match(text)
    if not match:
        return {}
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        log.warning("model card metadata is not valid YAML: %s", exc)
        return {}
    return data if isinstance(data, dict) else {}


def _value(raw: Any) -> tuple[float | None, dict[str, Any], str | None]:
    """A model-index value as (score, extra, why-skipped)."""
    if isinstance(raw, bool) or raw is None:
        return None, {}, f"value {raw!r} is not a number"
    if isinstance(raw, (list, dict)):
        return None, {}, "value is a list, not one number"
    try:
        parsed = parse_number(raw)
    except ValueError:
        return None, {}, f"value {raw!r} is not a number"
    if parsed is None:
        return None, {}, f"value {raw!r} is a placeholder"
    return parsed.value, parsed.provenance(), None


def _metric_id(metric_type: str | None, metric_name: str | None) -> str:
    text = (metric_type or metric_name or "").strip()
    text = re.sub(r"^rogue", "rouge", text, flags=re.I)  # a common misspelling in cards
    return canonical_name(text)


def _split_from_name(name: str | None) -> str:
    first = (name or "").strip().split(" ")[0].lower()
    return _SPLIT_WORDS.get(first, "")


def _dataset_id(result: Any) -> str:
    base = result.dataset_type or result.dataset_name or ""
    config = result.dataset_config
    if config and config not in (base, result.dataset_split, "default"):
        return f"{base}/{config}"
    return base


def eval_results_to_records(model_name: str, eval_results: list[Any], *, source_url: str = "",
                            collected_at: datetime | None = None, model_index_name: str = ""
                            ) -> tuple[list[BenchmarkResult], list[str]]:
    """``EvalResult`` objects -> :class:`BenchmarkResult` rows (``source="huggingface"``).

    Task types are slugs (``Automatic Speech Recognition`` -> ``automatic-speech-recognition``,
    so swapped type/name agree); ``dataset`` is the dataset id plus its config; a result that
    would be indistinguishable from another of the same card takes its dataset or metric
    *name*. The raw fields (verified, config, split, args, names) stay in ``extra``.
    """
    when = collected_at or utcnow()
    warnings: list[str] = []
    rows: list[tuple[Any, str, str, str, str, float, dict[str, Any]]] = []
    for position, result in enumerate(eval_results):
        score, value_extra, why = _value(result.metric_value)
        if why:
            warnings.append(f"{model_name}: result {position + 1} "
                            f"({result.dataset_type}/{result.metric_type}) skipped: {why}")
            continue
        task = slugify(result.task_type or result.task_name or "")
        split = result.dataset_split or _split_from_name(result.metric_name)
        rows.append((result, task, _dataset_id(result), split,
                     _metric_id(result.metric_type, result.metric_name), score, value_extra))
    keys = Counter((task, ds, split, metric) for _, task, ds, split, metric, _, _ in rows)
    records = []
    for result, task, dataset, split, metric, score, value_extra in rows:
        if keys[(task, dataset, split, metric)] > 1:
            dataset, metric = _disambiguate(result, rows, task, dataset, split, metric)
        extra = {"verified": result.verified, "dataset_type": result.dataset_type,
                 "dataset_name": result.dataset_name, "config": result.dataset_config,
                 "split": result.dataset_split, "args": result.dataset_args,
                 "metric_type": result.metric_type, "metric_name": result.metric_name,
                 "task_type": result.task_type, "task_name": result.task_name, **value_extra}
        if result.source_url or result.source_name:
            extra["source"] = {"name": result.source_name, "url": result.source_url}
        if model_index_name and model_index_name != model_name.split("/")[-1]:
            extra["model_index_name"] = model_index_name
        records.append(BenchmarkResult(
            model_name=model_name, task_type=task, dataset=dataset, dataset_split=split,
            metric=metric, score=score, source="huggingface", source_url=source_url,
            collected_at=when, extraction_method="model-index",
            extra={k: v for k, v in extra.items() if v is not None}))
    return records, warnings


def _disambiguate(result: Any, rows: list[tuple], task: str, dataset: str, split: str,
                  metric: str) -> tuple[str, str]:
    same = [r[0] for r in rows if (r[1], r[2], r[3], r[4]) == (task, dataset, split, metric)]
    if len({r.dataset_name for r in same}) == len(same):
        return result.dataset_name, metric
    if result.metric_name and len({r.metric_name for r in same}) == len(same):
        name = result.metric_name.strip()
        if _split_from_name(name):
            name = name.split(" ", 1)[1] if " " in name else name
        return dataset, name.lower()
    return dataset, metric


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
        """Metadata and model-index results of one model (``collected_at`` = now)."""
        try:
            info = self.api.model_info(repo_id)
        except FetchError:
            raise
        except Exception as exc:
            raise _hub_error(exc, f"model_info({repo_id!r}) on {self.endpoint} failed") from exc
        warnings: list[str] = []
        card = info.card_data
        eval_results = card.eval_results if card is not None else None
        index_name = (getattr(card, "model_name", None) or "") if card is not None else ""
        if eval_results is None:
            eval_results, index_name = self._results_from_readme(info, warnings)
        url = self.model_url(info.id)
        results, skipped = eval_results_to_records(info.id, eval_results or [], source_url=url,
                                                   model_index_name=index_name or "")
        warnings.extend(skipped)
        return HubModel(metadata=self._metadata(info, url, index_name, len(results)),
                        results=results, warnings=warnings)

    def _results_from_readme(self, info: Any, warnings: list[str]) -> tuple[list[Any], str]:
        """The model-index read from README.md, when cardData did not carry usable results."""
        from huggingface_hub.repocard_data import model_index_to_eval_results

        url = f"{self.endpoint}/{info.id}/resolve/{info.sha or 'main'}/README.md"
        try:
            text = self.fetcher.get(url).text
        except FetchError as exc:
            if exc.status == 404:
                return [], ""
            raise
        model_index = front_matter(text).get("model-index")
        if not model_index:
            return [], ""
        try:
            name, results = model_index_to_eval_results(model_index)
        except Exception as exc:  # KeyError('dataset') and friends: the card is malformed
            message = (f"{info.id}: invalid model-index in its model card "
                       f"({type(exc).__name__}: {exc}); its eval results are skipped, "
                       "the model is stored")
            log.warning(message)
            warnings.append(message)
            return [], ""
        return results, name or ""

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
