"""Local HTTP servers on 127.0.0.1 for collection tests (reusable by other areas' tests).

``LocalServer`` is a threaded HTTP/1.1 server with routes, per-path hit counters and scripted
replies (e.g. "429 twice, then the real answer"). ``MockHub`` serves the real model cards of
``tests/fixtures/model_cards`` the way the Hugging Face Hub API does (``/api/models`` paged
with ``Link`` headers, ``/api/models/{id}`` with ``cardData`` and ``safetensors``, README
resolves). ``PwcApi`` serves a small Papers with Code API.

Example (in a test)::

    with MockHub(FIXTURES / "model_cards") as hub:
        HuggingFaceScraper(endpoint=hub.url, cache=False).collect("text-generation", 3)
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

__all__ = ["Reply", "Request", "LocalServer", "MockHub", "PwcApi", "HUB_MODELS"]


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "text/html; charset=utf-8"

    @classmethod
    def json(cls, data: Any, status: int = 200, **headers: str) -> Reply:
        return cls(status, json.dumps(data, default=str), dict(headers),
                   content_type="application/json")


Handler = Callable[[Request], Reply]


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) with regex routes.

    ``hits[path]`` counts requests per path; ``script(path, replies)`` queues replies to send
    before the route's own; ``max_in_flight`` is the most concurrent requests seen.
    """

    def __init__(self) -> None:
        self.routes: list[tuple[re.Pattern[str], Handler]] = []
        self.hits: Counter[str] = Counter()
        self.requests: list[Request] = []
        self.scripted: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- routes --------------------------------------------------------------------------
    def route(self, pattern: str, handler: Handler | Reply) -> None:
        """Answer paths matching ``pattern`` (a regex matched against the whole path)."""
        func = handler if callable(handler) else (lambda _req, reply=handler: reply)
        self.routes.insert(0, (re.compile(pattern + r"\Z"), func))

    def script(self, path: str, replies: list[Reply]) -> None:
        """Send these replies (in order) to the next requests of ``path``, then the route's."""
        with self._lock:
            self.scripted[path] = list(replies)

    def reset(self) -> None:
        with self._lock:
            self.hits.clear()
            self.requests.clear()
            self.scripted.clear()
            self.max_in_flight = 0

    def _dispatch(self, request: Request) -> Reply:
        with self._lock:
            self.hits[request.path] += 1
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            queue = self.scripted.get(request.path)
            scripted = queue.pop(0) if queue else None
        try:
            if scripted is not None:
                reply = scripted
            else:
                for pattern, handler in self.routes:
                    match = pattern.match(request.path)
                    if match:
                        reply = handler(request)
                        break
                else:
                    reply = Reply(404, "not found", content_type="text/plain")
            if reply.delay:
                time.sleep(reply.delay)
            return reply
        finally:
            with self._lock:
                self.in_flight -= 1

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "start() the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalServer:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between writes

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                request = Request(self.command, parts.path, parse_qs(parts.query),
                                  {k.lower(): v for k, v in self.headers.items()},
                                  self.rfile.read(length) if length else b"")
                reply = server._dispatch(request)
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                headers = {"Content-Type": reply.content_type, **reply.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = _handle

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.request_queue_size = 128
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="local-server")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- a mock Hugging Face Hub -----------------------------------------------------------------
#: fixture file -> (Hub id, pipeline tag, downloads, likes, parameters, serve cardData?)
HUB_MODELS: dict[str, tuple[str, str, int, int, int, bool]] = {
    "01_roberta-base-squad2.md": ("deepset/roberta-base-squad2", "question-answering",
                                  1_500_000, 900, 124_056_578, True),
    "02_bart-large-cnn-samsum.md": ("philschmid/bart-large-cnn-samsum", "summarization",
                                    40_000, 250, 406_290_432, True),
    "03_parakeet-rnnt-0.6b.md": ("nvidia/parakeet-rnnt-0.6b", "automatic-speech-recognition",
                                 9_000, 400, 616_000_000, True),
    "04_calme-2.3-phi3-4b.md": ("MaziyarPanahi/calme-2.3-phi3-4b", "text-generation", 3_000,
                                10, 3_821_079_552, True),
    "05_zephyr-7b-alpha.md": ("HuggingFaceH4/zephyr-7b-alpha", "text-generation", 25_000, 1_100,
                              7_241_732_096, True),
    # Served without cardData: the scraper must read the model-index from README.md.
    "06_rubert-tiny2-russian-emotion-detection.md": (
        "Aniemore/rubert-tiny2-russian-emotion-detection", "text-classification", 8_000, 830,
        29_200_000, False),
    "07_granite-8b-code-instruct-4k.md": ("ibm-granite/granite-8b-code-instruct-4k",
                                          "text-generation", 12_000, 110, 8_054_236_160, True),
    "08_vit-base-nsfw-detector.md": ("AdamCodd/vit-base-nsfw-detector", "image-classification",
                                     600_000, 150, 85_800_194, True),
}


class MockHub(LocalServer):
    """The Hub API for the fixture cards, plus ``extra_models`` synthetic ones without a card.

    ``page_size`` caps each page of ``/api/models`` so paging (``Link: <...>; rel="next"``)
    is exercised. ``model_ids(task)`` gives the expected listing order.
    """

    def __init__(self, cards_dir: Path, *, page_size: int = 2, extra_models: int = 3,
                 models: dict[str, tuple[str, str, int, int, int, bool]] | None = None) -> None:
        super().__init__()
        from huggingface_hub import metadata_load

        self.cards_dir = Path(cards_dir)
        self.page_size = page_size
        self.models: dict[str, dict[str, Any]] = {}
        self.readmes: dict[str, bytes] = {}
        for filename, (repo_id, tag, downloads, likes, params, card) in (
                models if models is not None else HUB_MODELS).items():
            path = self.cards_dir / filename
            self.readmes[repo_id] = path.read_bytes()  # byte for byte: CRLF stays
            try:
                meta = metadata_load(path) or {}
            except Exception:  # invalid YAML: the Hub serves such a model without cardData
                meta, card = {}, False
            self.models[repo_id] = self._info(repo_id, tag, downloads, likes, params,
                                              meta if card else None, meta)
        for n in range(extra_models):
            repo_id = f"synthetic/gen-model-{n}"
            self.models[repo_id] = self._info(repo_id, "text-generation", 100 - n, n, 1000 + n,
                                              None, {"license": "mit"})
        self.route(r"/api/models", self._list)
        self.route(r"/api/models/(?P<id>.+)", self._model)
        self.route(r"/(?P<id>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/README\.md", self._readme)

    @staticmethod
    def _info(repo_id: str, tag: str, downloads: int, likes: int, params: int,
              card: dict[str, Any] | None, meta: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "_id": repo_id.replace("/", "-"), "id": repo_id, "modelId": repo_id,
            "sha": "0" * 39 + "1", "downloads": downloads, "likes": likes,
            "pipeline_tag": tag, "library_name": "transformers", "private": False,
            "tags": [tag, "transformers", f"license:{meta.get('license', 'unknown')}"],
            "lastModified": "2024-05-01T12:00:00.000Z", "createdAt": "2023-01-01T00:00:00.000Z",
            "safetensors": {"parameters": {"F32": params}, "total": params},
            "config": {"architectures": ["AutoModel"]},
        }
        if card is not None:
            info["cardData"] = card
        return info

    def model_ids(self, task: str) -> list[str]:
        chosen = [m for m in self.models.values() if m["pipeline_tag"] == task]
        return [m["id"] for m in sorted(chosen, key=lambda m: -m["downloads"])]

    def _list(self, request: Request) -> Reply:
        task = request.arg("pipeline_tag")
        ids = self.model_ids(task) if task else [m["id"] for m in sorted(
            self.models.values(), key=lambda m: -m["downloads"])]
        limit = int(request.arg("limit") or len(ids) or 1)
        cursor = int(request.arg("cursor") or 0)
        size = min(limit, self.page_size)
        page = ids[cursor:cursor + size]
        keys = ("_id", "id", "modelId", "downloads", "likes", "pipeline_tag", "library_name",
                "tags", "private", "createdAt")
        body = [{k: self.models[i][k] for k in keys} for i in page]
        headers = {}
        if cursor + size < len(ids):
            query = {k: v[0] for k, v in request.query.items() if k != "cursor"}
            query["cursor"] = str(cursor + size)
            headers["Link"] = f'<{self.url}/api/models?{urlencode(query)}>; rel="next"'
        return Reply.json(body, **headers)

    def _model(self, request: Request) -> Reply:
        repo_id = request.path.removeprefix("/api/models/")
        info = self.models.get(repo_id)
        if info is None:
            return Reply.json({"error": "Repository not found"}, 404)
        return Reply.json(info)

    def _readme(self, request: Request) -> Reply:
        repo_id = request.path.split("/resolve/")[0].lstrip("/")
        raw = self.readmes.get(repo_id)
        if raw is None:
            return Reply.json({"error": "Entry not found"}, 404)
        return Reply(200, raw, content_type="text/plain; charset=utf-8")


# -- a small Papers with Code API -------------------------------------------------------------
# The shape of the real read-only API, as the public paperswithcode-client reads it
# (github.com/paperswithcode/paperswithcode-client, paperswithcode/client.py and models/):
# /datasets/?q= -> Dataset{id, name, full_name, url}; /datasets/{id}/evaluations/ ->
# EvaluationTable{id, task, dataset, description, mirror_url}; /evaluations/{id}/results/ ->
# Result{id, best_rank, metrics, methodology, uses_additional_data, paper, best_metric,
# evaluated_on, external_source_url}; /evaluations/{id}/metrics/ -> Metric{id, name,
# description, is_loss}; /tasks/{id}/ -> Task{id, name, description}. Pages are
# {count, next, previous, results} with ?page=&items_per_page=.
PWC_DATASETS = [
    {"id": "imagenet", "name": "ImageNet", "full_name": "ImageNet", "url": None},
    {"id": "imagenet-real", "name": "ImageNet ReaL", "full_name": "ImageNet ReaL", "url": None},
    {"id": "cifar-10", "name": "CIFAR-10", "full_name": "CIFAR-10", "url": None},
]
PWC_TASKS = {"image-classification": {"id": "image-classification",
                                      "name": "Image Classification", "description": ""}}
PWC_TABLES = {
    "imagenet": [{"id": "image-classification-on-imagenet", "task": "image-classification",
                  "dataset": "imagenet", "description": "", "mirror_url": None}],
    "imagenet-real": [{"id": "image-classification-on-imagenet-real",
                       "task": "image-classification", "dataset": "imagenet-real",
                       "description": "", "mirror_url": None}],
    "cifar-10": [],
}
PWC_METRICS = {
    "image-classification-on-imagenet": [
        {"id": "m1", "name": "Top 1 Accuracy", "description": "", "is_loss": False},
        {"id": "m2", "name": "Number of params", "description": "", "is_loss": False}],
    "image-classification-on-imagenet-real": [
        {"id": "m3", "name": "Accuracy", "description": "", "is_loss": False}],
}
PWC_RESULTS = {
    "image-classification-on-imagenet": [
        {"id": "r1", "best_rank": 1, "methodology": "CoCa (finetuned)",
         "metrics": {"Top 1 Accuracy": "91.0%", "Number of params": "2100M"},
         "uses_additional_data": True, "paper": "coca-contrastive-captioners-are-image-text",
         "best_metric": "Top 1 Accuracy", "evaluated_on": "2022-05-04",
         "external_source_url": None},
        {"id": "r2", "best_rank": 2, "methodology": "ViT-H/14",
         "metrics": {"Top 1 Accuracy": "88.55 ± 0.04%"}, "uses_additional_data": True,
         "paper": "an-image-is-worth-16x16-words-transformers-1", "best_metric": None,
         "evaluated_on": "2020-10-22", "external_source_url": None},
        {"id": "r3", "best_rank": None, "methodology": "ResNet-50",
         "metrics": {"Top 1 Accuracy": "76.1", "Top 5 Accuracy": "—"},
         "uses_additional_data": False, "paper": "deep-residual-learning-for-image",
         "best_metric": None, "evaluated_on": "2015-12-10", "external_source_url": None},
    ],
    "image-classification-on-imagenet-real": [
        {"id": "r4", "best_rank": 1, "methodology": "Meta Pseudo Labels",
         "metrics": {"Accuracy": "91.02"}, "uses_additional_data": True,
         "paper": "meta-pseudo-labels", "best_metric": "Accuracy", "evaluated_on": "2020-03-23",
         "external_source_url": None},
    ],
}


class PwcApi(LocalServer):
    """The read-only Papers with Code API (``/api/v1/...``) in its real shape, DRF-style
    paging (``page_size`` items a page). The dataset id ``broken`` answers malformed JSON."""

    def __init__(self, page_size: int = 2) -> None:
        super().__init__()
        self.page_size = page_size
        self.route(r"/api/v1/datasets/", self._datasets)
        self.route(r"/api/v1/datasets/(?P<id>[^/]+)/evaluations/", self._tables)
        self.route(r"/api/v1/evaluations/(?P<id>[^/]+)/results/", self._results)
        self.route(r"/api/v1/evaluations/(?P<id>[^/]+)/metrics/", self._metrics)
        self.route(r"/api/v1/tasks/(?P<id>[^/]+)/", self._task)

    def _page(self, request: Request, items: list[dict[str, Any]]) -> Reply:
        page = int(request.arg("page") or 1)
        size = min(int(request.arg("items_per_page") or self.page_size), self.page_size)
        start = (page - 1) * size
        chunk = items[start:start + size]
        following = None
        if start + size < len(items):
            query = {k: v[0] for k, v in request.query.items()}
            query["page"] = str(page + 1)
            following = f"{self.url}{request.path}?{urlencode(query)}"
        return Reply.json({"count": len(items), "next": following, "previous": None,
                           "results": chunk})

    def _datasets(self, request: Request) -> Reply:
        query = (request.arg("q") or "").lower()
        found = [d for d in PWC_DATASETS if query in d["name"].lower()]
        if query == "broken":
            found = [{"id": "broken", "name": "Broken", "full_name": None, "url": None}]
        return self._page(request, found)

    def _tables(self, request: Request) -> Reply:
        dataset_id = request.path.split("/")[4]
        if dataset_id == "broken":
            return Reply(200, '{"count": 1, "results": [{"id": "x", ',
                         content_type="application/json")
        if dataset_id not in PWC_TABLES:
            return Reply.json({"detail": "Not found."}, 404)
        return self._page(request, PWC_TABLES[dataset_id])

    def _results(self, request: Request) -> Reply:
        table_id = request.path.split("/")[4]
        if table_id not in PWC_RESULTS:
            return Reply.json({"detail": "Not found."}, 404)
        return self._page(request, PWC_RESULTS[table_id])

    def _metrics(self, request: Request) -> Reply:
        table_id = request.path.split("/")[4]
        if table_id not in PWC_METRICS:
            return Reply.json({"detail": "Not found."}, 404)
        return self._page(request, PWC_METRICS[table_id])

    def _task(self, request: Request) -> Reply:
        task = PWC_TASKS.get(request.path.split("/")[4])
        return Reply.json(task) if task else Reply.json({"detail": "Not found."}, 404)
