"""The one polite HTTP fetcher every collector uses.

Per host it keeps a request rate (and the ``Crawl-delay`` of robots.txt), a cap on concurrent
requests, and the robots.txt rules (protego). Transient failures (429, 5xx, connection errors)
are retried with exponential backoff that honours ``Retry-After``. Successful GETs are cached on
disk (hishel), so a re-run does not hit the site again. Every request names the tool in its
User-Agent and has a timeout.

Web input is hostile, so every bound holds on what is decoded and on the clock: ``max_bytes``
counts decompressed bytes (gzip/deflate are inflated here, in bounded steps), ``timeout`` is the
total time of one request (a server that trickles a byte at a time is cut when it runs out),
JSON bodies deeper than ``max_json_depth`` are refused, and ``Link: rel="next"`` paging stops
at a loop (a page pointing back at itself or an earlier page) or after ``max_pages`` pages.

Layers, outermost first::

    httpx.Client -> PagingGuard -> hishel CacheTransport -> PoliteTransport
                 -> httpx.HTTPTransport (pooled; sockets bounded by the request's total time)

Cache hits therefore cost neither a rate-limit slot nor a connection.

Example:
    >>> with Fetcher(cache=False) as fetcher:          # doctest: +SKIP
    ...     page = fetcher.get("https://example.org/leaderboard")
    ...     page.text[:15]
    '<!doctype html>'
"""

from __future__ import annotations

import email.utils
import logging
import os
import random
import re
import threading
import time
import zlib
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpcore
import httpx

from .. import __version__
from ..errors import FetchError

__all__ = ["BenchmarkScraper", "Fetcher", "FetchPolicy", "Page", "PagingGuard", "PoliteTransport",
           "USER_AGENT", "check_json_depth", "decode_body", "default_cache_dir", "json_depth"]

log = logging.getLogger(__name__)

USER_AGENT = (f"modelbench/{__version__} (benchmark-results collector; "
              "+https://pypi.org/project/modelbench/)")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def default_cache_dir() -> Path:
    """``$MODELBENCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/modelbench/http`` (``~/.cache``)."""
    explicit = os.environ.get("MODELBENCH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "modelbench" / "http"


@dataclass(frozen=True)
class FetchPolicy:
    """How politely to fetch. ``rate_per_host=None`` means no rate limit (local servers).

    >>> FetchPolicy(rate_per_host=2).min_interval
    0.5
    """

    rate_per_host: float | None = 2.0
    max_per_host: int = 4
    retries: int = 4
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_wait: float = 120.0
    timeout: float = 30.0
    max_bytes: int = 50 * 1024 * 1024  # decoded (decompressed) bytes of one body
    max_json_depth: int = 200
    max_pages: int = 1000  # Link rel="next" pages followed from one first page
    respect_robots: bool = True
    user_agent: str = USER_AGENT

    @property
    def min_interval(self) -> float:
        return 1.0 / self.rate_per_host if self.rate_per_host else 0.0


@dataclass
class _Host:
    """What the fetcher knows about one host (``scheme://host:port``)."""

    slots: threading.BoundedSemaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0
    interval: float = 0.0
    robots: Any = None  # protego.Protego, or False once known to allow everything
    robots_lock: threading.Lock = field(default_factory=threading.Lock)


# -- total time per request --------------------------------------------------------------
_clock = threading.local()  # .deadline (monotonic seconds) and .expired of this thread's request


class _TotalTimeExpired(httpcore.ReadTimeout):
    """The request's whole time ran out (raised by a network read or write)."""


def _time_left() -> float | None:
    deadline = getattr(_clock, "deadline", None)
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        _clock.expired = True
        raise _TotalTimeExpired("the request's total time ran out")
    return left


def _bounded(timeout: float | None) -> float | None:
    left = _time_left()
    return left if timeout is None or (left is not None and left < timeout) else timeout


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write waits no longer than the request has left.

    httpx's timeouts are per operation: a server sending one byte per second never trips a
    30 s read timeout. Here each operation gets ``min(its timeout, time left)``.
    """

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self.inner.start_tls(ssl_context, server_hostname,
                                                    _bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self.inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None
                    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self.inner.connect_tcp(host, port, _bounded(timeout),
                                                      local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self.inner.connect_unix_socket(path, _bounded(timeout),
                                                              socket_options))

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def _network_transport(limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's pooled transport, its sockets bounded by each request's total time."""
    transport = httpx.HTTPTransport(limits=limits, retries=0)
    pool = transport._pool  # httpx exposes no hook for the network backend
    pool._network_backend = _DeadlineBackend(pool._network_backend)
    return transport


# -- decoded size ------------------------------------------------------------------------
ACCEPT_ENCODING = "gzip, deflate"  # what _Inflater decodes; br/zstd are never asked for


class _Inflater:
    """Decode a ``Content-Encoding`` chain in bounded steps: never more than ``limit`` bytes.

    A 148 KB gzip body can inflate to 150 MB in one ``decompress`` call; here each call may
    produce at most what is left of the budget (+1, to see that it overflows).

    >>> body = zlib.compress(b"x" * 10_000)
    >>> len(_Inflater(["deflate"], 20_000).feed(body))
    10000
    >>> _Inflater(["deflate"], 5_000).feed(body)
    Traceback (most recent call last):
    ...
    OverflowError: 5001
    """

    _WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS,
              "deflate": zlib.MAX_WBITS}

    def __init__(self, encodings: list[str], limit: int) -> None:
        self.limit = limit
        self.names = [n for n in reversed(encodings) if n not in ("identity", "")]
        unknown = [n for n in self.names if n not in self._WBITS]
        if unknown:
            raise ValueError(", ".join(unknown))
        self.layers = [zlib.decompressobj(self._WBITS[n]) for n in self.names]
        self.started = [False] * len(self.layers)
        self.produced = 0

    def _inflate(self, index: int, data: bytes, budget: int) -> bytes:
        pieces = []
        while data:
            layer = self.layers[index]
            try:
                piece = layer.decompress(data, budget + 1)
            except zlib.error:
                if self.names[index] != "deflate" or self.started[index]:
                    raise
                # Some servers send raw deflate without the zlib header (httpx allows it).
                self.names[index] = "raw deflate"
                self.layers[index] = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self.started[index] = True
            pieces.append(piece)
            budget -= len(piece)
            if budget < 0:
                raise OverflowError(self.limit - budget)
            data = layer.unconsumed_tail
        return b"".join(pieces)

    def feed(self, chunk: bytes) -> bytes:
        """Decoded bytes of the next raw chunk; ``OverflowError`` past ``limit`` in total."""
        for index in range(len(self.layers)):
            budget = self.limit - (self.produced if index == len(self.layers) - 1 else 0)
            chunk = self._inflate(index, chunk, budget)
        self.produced += len(chunk)
        if self.produced > self.limit:
            raise OverflowError(self.produced)
        return chunk


def _encodings(headers: httpx.Headers) -> list[str]:
    value = ",".join(headers.get_list("content-encoding"))
    return [part.strip().lower() for part in value.split(",") if part.strip()]


# -- JSON nesting --------------------------------------------------------------------------
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


def json_depth(content: bytes) -> int:
    """How deeply arrays and objects nest in a JSON body (strings do not count).

    >>> json_depth(b'{"a": [1, {"b": "[[["}]}'), json_depth(b"[]"), json_depth(b"3")
    (3, 1, 0)
    """
    if content.count(b"[") + content.count(b"{") < 64:
        deepest = depth = 0
        for byte in _JSON_STRING.sub(b'""', content):
            if byte in b"[{":
                depth += 1
                deepest = max(deepest, depth)
            elif byte in b"]}":
                depth -= 1
        return deepest
    import numpy as np

    codes = np.frombuffer(_JSON_STRING.sub(b'""', content), dtype=np.uint8)
    deepest = carry = 0
    for start in range(0, len(codes), 1 << 20):  # 1 MiB at a time: bounded memory
        part = codes[start:start + (1 << 20)]
        steps = (np.isin(part, (91, 123)).astype(np.int64)
                 - np.isin(part, (93, 125)).astype(np.int64))
        running = np.cumsum(steps) + carry
        if len(running):
            deepest = max(deepest, int(running.max()))
            carry = int(running[-1])
    return deepest


def check_json_depth(content: bytes, limit: int, url: object) -> None:
    """:class:`FetchError` when ``content`` nests deeper than ``limit`` (a JSON bomb)."""
    depth = json_depth(content)
    if depth > limit:
        raise FetchError(f"{url} answered JSON nested {depth} levels deep (limit {limit})",
                         hint="this is not a real API answer; check the URL")


def _origin(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date).

    >>> retry_after_seconds("3"), retry_after_seconds(None), retry_after_seconds("soon")
    (3.0, None, None)
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class PoliteTransport(httpx.BaseTransport):
    """An httpx transport adding robots.txt, per-host rate/concurrency limits and retries.

    The body is read here, within the host's concurrency slot and under ``max_bytes``, so a
    connection is never held by a caller that is slow to read.
    """

    def __init__(self, inner: httpx.BaseTransport, policy: FetchPolicy) -> None:
        self.inner = inner
        self.policy = policy
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.sent = 0  # requests that reached the network (robots.txt included)

    # -- per-host state ----------------------------------------------------------------
    def _host(self, url: httpx.URL) -> _Host:
        key = _origin(url)
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = _Host(slots=threading.BoundedSemaphore(self.policy.max_per_host),
                             interval=self.policy.min_interval)
                self._hosts[key] = host
            return host

    def _wait_for_turn(self, host: _Host) -> None:
        if host.interval <= 0:
            return
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + host.interval
        if start > now:
            time.sleep(start - now)

    # -- robots.txt --------------------------------------------------------------------
    def robots_for(self, url: httpx.URL) -> Any:
        """The parsed robots.txt of ``url``'s host (fetched once), or ``False`` = allow all."""
        host = self._host(url)
        with host.robots_lock:
            if host.robots is None:
                host.robots = self._load_robots(url, host)
        return host.robots

    def _load_robots(self, url: httpx.URL, host: _Host) -> Any:
        from protego import Protego

        robots_url = url.copy_with(path="/robots.txt", query=None, fragment=None)
        request = httpx.Request("GET", robots_url, headers={"User-Agent": self.policy.user_agent})
        response = self._send_with_retries(request, host)
        if response.status_code >= 500:
            # RFC 9309: an unreachable robots.txt means "assume complete disallow".
            raise FetchError(f"{robots_url} answered HTTP {response.status_code}; "
                             "robots.txt must be readable before crawling",
                             hint="try again later; the site is failing",
                             status=response.status_code, url=str(robots_url))
        if response.status_code >= 400:
            return False  # no robots.txt: everything allowed
        text = decode_body(response.read(), response.headers.get("content-type"))
        parser = Protego.parse(text)
        delay = parser.crawl_delay(self.policy.user_agent)
        if delay:
            host.interval = max(host.interval, float(delay))
        return parser

    def check_allowed(self, url: str | httpx.URL) -> None:
        """Raise :class:`FetchError` when robots.txt disallows ``url`` for this User-Agent."""
        url = httpx.URL(str(url))
        if url.scheme not in ("http", "https") or not self.policy.respect_robots:
            return
        if url.path == "/robots.txt":
            return
        robots = self.robots_for(url)
        if robots and not robots.can_fetch(str(url), self.policy.user_agent):
            raise FetchError(
                f"robots.txt of {url.host} disallows {url.path} for {self.policy.user_agent!r}",
                hint="this page may not be crawled; use the site's API or a saved copy of the page")

    # -- sending -----------------------------------------------------------------------
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.check_allowed(request.url)
        request.headers["Accept-Encoding"] = ACCEPT_ENCODING
        return self._send_with_retries(request, self._host(request.url))

    def _send_with_retries(self, request: httpx.Request, host: _Host) -> httpx.Response:
        policy = self.policy
        for attempt in range(policy.retries + 1):
            last = attempt == policy.retries
            try:
                response = self._send_once(request, host)
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                if getattr(_clock, "expired", False):  # a trickle is not a transient failure
                    raise FetchError(
                        f"{request.method} {request.url} took longer than "
                        f"{policy.timeout:g} s in total", hint="the server is sending too "
                        "slowly; raise --timeout if it really is that slow") from exc
                if last:
                    raise FetchError(
                        f"{request.method} {request.url} failed after {attempt + 1} attempts: "
                        f"{type(exc).__name__}: {exc}",
                        hint="check the URL and your connection; raise --timeout if it is slow",
                    ) from exc
                self._sleep_before_retry(attempt, None, request)
                continue
            if response.status_code not in RETRY_STATUSES or last:
                return response
            wait = retry_after_seconds(response.headers.get("retry-after"))
            if wait is not None and wait > policy.max_retry_wait:
                return response  # the caller reports the status; waiting an hour is not polite
            self._sleep_before_retry(attempt, wait, request, response.status_code)
        raise AssertionError("unreachable")  # pragma: no cover

    def _sleep_before_retry(self, attempt: int, retry_after: float | None,
                            request: httpx.Request, status: int | None = None) -> None:
        delay = min(self.policy.max_backoff, self.policy.backoff * 2 ** attempt)
        delay *= 1 + random.random() * 0.25  # jitter: clients retrying together spread out
        if retry_after is not None:
            delay = max(delay, retry_after)
        log.info("retrying %s %s in %.2f s (%s)", request.method, request.url, delay,
                 f"HTTP {status}" if status else "connection error")
        time.sleep(delay)

    def _send_once(self, request: httpx.Request, host: _Host) -> httpx.Response:
        with host.slots:
            self._wait_for_turn(host)
            self.sent += 1
            deadline = time.monotonic() + self.policy.timeout
            _clock.deadline, _clock.expired = deadline, False
            try:
                response = self.inner.handle_request(request)
                try:
                    body = self._read_limited(response, request)
                finally:
                    response.close()
            except (httpx.TransportError, httpx.TimeoutException):
                # A socket timeout shortened to the time left also means the time is up.
                _clock.expired = _clock.expired or time.monotonic() >= deadline - 0.01
                raise
            finally:
                _clock.deadline = None
        # The body is decoded here: the headers must no longer say it is compressed.
        headers = httpx.Headers([(k, v) for k, v in response.headers.multi_items()
                                 if k.lower() not in ("content-encoding", "content-length")])
        if "json" in headers.get("content-type", "").lower():
            check_json_depth(body, self.policy.max_json_depth, request.url)
        return httpx.Response(response.status_code, headers=headers,
                              stream=httpx.ByteStream(body), request=request,
                              extensions=response.extensions)

    def _read_limited(self, response: httpx.Response, request: httpx.Request) -> bytes:
        """The decoded body, never more than ``max_bytes`` of it in memory."""
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        encodings = _encodings(response.headers)
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(request, int(declared), limit)
        try:
            inflater = _Inflater(encodings, limit)
        except ValueError as exc:
            raise FetchError(f"{request.url} is sent in an encoding we did not ask for "
                             f"({exc})", hint="the server ignores Accept-Encoding") from None
        chunks: list[bytes] = []
        try:
            for chunk in response.iter_raw():
                chunks.append(inflater.feed(chunk))
        except OverflowError:
            raise _too_large(request, inflater.produced, limit) from None
        except zlib.error as exc:
            raise FetchError(f"{request.url}: the {'/'.join(encodings)} body is corrupt "
                             f"({exc})", hint="try again; the server sent damaged data"
                             ) from None
        return b"".join(chunks)

    def close(self) -> None:
        self.inner.close()


class PagingGuard(httpx.BaseTransport):
    """The outermost layer: drops a ``Link: rel="next"`` that loops or runs past ``max_pages``.

    It sits above the cache, so a loop made of cached pages is caught as well. Clients that
    follow Link headers (huggingface_hub) then simply stop: what was read so far is kept, and
    a logged warning says why paging ended.
    """

    def __init__(self, inner: httpx.BaseTransport, max_pages: int) -> None:
        self.inner = inner
        self.max_pages = max_pages
        self._chains: dict[str, set[str]] = {}  # next URL -> the URLs of its chain so far
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        following = (response.links.get("next") or {}).get("url")
        if not following:
            return response
        here = str(request.url)
        target = str(request.url.join(following))
        with self._lock:
            chain = self._chains.pop(here, None) or {here}
            if target not in chain and len(chain) < self.max_pages:
                chain.add(target)
                self._chains[target] = chain
                if len(self._chains) > 10_000:  # abandoned chains: forget the oldest
                    self._chains.pop(next(iter(self._chains)))
                return response
        why = ("points back to a page already read" if target in chain
               else f"goes past {self.max_pages} pages")
        log.warning("stopped paging at %s: its Link rel=next %s", here, why)
        headers = httpx.Headers([(k, v) for k, v in response.headers.multi_items()
                                 if k.lower() != "link"])
        return httpx.Response(response.status_code, headers=headers,
                              stream=httpx.ByteStream(response.read()), request=request,
                              extensions=response.extensions)

    def close(self) -> None:
        self.inner.close()


def _too_large(request: httpx.Request, size: int, limit: int) -> FetchError:
    return FetchError(f"{request.url} is larger than {limit:,} bytes (got {size:,}+)",
                      hint="raise max_bytes (--max-mb) if this page really is that big")


def decode_body(content: bytes, content_type: str | None = None) -> str:
    """Bytes of a page as text: the declared charset, a BOM, a ``<meta charset>``, UTF-8,
    and Windows-1252 as the last resort (never raises).

    >>> decode_body("café".encode("latin-1"), "text/html; charset=ISO-8859-1")
    'café'
    >>> decode_body("naïve".encode("cp1252"))
    'naïve'
    """
    candidates: list[str] = []
    if content_type:
        match = re.search(r"charset\s*=\s*[\"']?([\w\-:.]+)", content_type, re.I)
        if match:
            candidates.append(match.group(1))
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                      (b"\xfe\xff", "utf-16")):
        if content.startswith(bom):
            candidates.insert(0, name)
    meta = _META_CHARSET.search(content[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    candidates.append("utf-8")
    for name in candidates:
        try:
            return content.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("cp1252", errors="replace")


@dataclass
class Page:
    """A fetched response: bytes, decoded text and where it came from."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    from_cache: bool = False

    @property
    def text(self) -> str:
        return decode_body(self.content, self.headers.get("content-type"))

    def json(self) -> Any:
        """The body as JSON; malformed JSON is a :class:`FetchError` naming the URL."""
        import json

        check_json_depth(self.content, FetchPolicy.max_json_depth, self.url)
        try:
            return json.loads(self.content)
        except ValueError as exc:
            snippet = self.content[:80].decode("utf-8", "replace")
            raise FetchError(f"{self.url} did not return valid JSON ({exc}); it began {snippet!r}",
                             hint="check the API base URL; the service may be down or changed"
                             ) from exc


class Fetcher:
    """The polite HTTP client. Thread-safe; use one per run and close it (or ``with``).

    Args:
        cache: keep successful GETs on disk (hishel, SQLite) for ``cache_ttl`` seconds.
        cache_dir: where; default :func:`default_cache_dir`.
        policy: rate, concurrency, retries, timeouts, robots.txt (see :class:`FetchPolicy`);
            keyword arguments override single fields, e.g. ``Fetcher(rate_per_host=None)``.

    Example:
        >>> fetcher = Fetcher(cache=False, rate_per_host=None)
        >>> fetcher.policy.max_per_host
        4
        >>> fetcher.close()
    """

    def __init__(self, *, cache: bool = True, cache_dir: str | Path | None = None,
                 cache_ttl: float | None = 24 * 3600, policy: FetchPolicy | None = None,
                 **overrides: Any) -> None:
        import dataclasses

        self.policy = dataclasses.replace(policy or FetchPolicy(), **overrides)
        limits = httpx.Limits(max_connections=max(16, self.policy.max_per_host * 4),
                              max_keepalive_connections=max(16, self.policy.max_per_host * 4))
        network = _network_transport(limits)
        self.polite = PoliteTransport(network, self.policy)
        transport: httpx.BaseTransport = self.polite
        self.cache_path: Path | None = None
        if cache:
            transport = self._cached(transport, Path(cache_dir or default_cache_dir()), cache_ttl)
        transport = PagingGuard(transport, self.policy.max_pages)
        self.transport = transport  # paging -> cache -> polite -> network (huggingface_hub too)
        self.client = httpx.Client(transport=transport, follow_redirects=True,
                                   timeout=httpx.Timeout(self.policy.timeout),
                                   headers={"User-Agent": self.policy.user_agent})

    def _cached(self, transport: httpx.BaseTransport, folder: Path,
                ttl: float | None) -> httpx.BaseTransport:
        from hishel import SqliteStorage
        from hishel.httpx import CacheTransport

        folder.mkdir(parents=True, exist_ok=True)
        self.cache_path = folder / "http-cache.sqlite"
        storage = SqliteStorage(database_path=self.cache_path, default_ttl=ttl)
        return CacheTransport(next_transport=transport, storage=storage)

    # -- single requests ---------------------------------------------------------------
    def get(self, url: str, *, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None) -> Page:
        """GET ``url``; any final status other than 2xx is a :class:`FetchError`."""
        try:
            response = self.client.get(url, params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise FetchError(f"GET {url} failed: {type(exc).__name__}: {exc}",
                             hint="check the URL and your connection") from exc
        if not response.is_success:
            raise _status_error(response)
        caching = response.extensions.get("caching") or {}  # hishel's CacheStatus (a dict)
        return Page(url=str(response.url), status=response.status_code,
                    headers=response.headers, content=response.content,
                    from_cache=bool(caching.get("from_cache", False)))

    def get_json(self, url: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``url`` and parse JSON (malformed JSON is a :class:`FetchError`)."""
        return self.get(url, params=params, headers={"Accept": "application/json"}).json()

    def check_allowed(self, url: str) -> None:
        """Raise :class:`FetchError` when robots.txt disallows ``url`` (used before rendering)."""
        self.polite.check_allowed(url)

    # -- many requests -----------------------------------------------------------------
    def fetch_many(self, urls: Iterable[str], *, max_workers: int = 16
                   ) -> list[Page | FetchError]:
        """GET many URLs on a thread pool, in input order; a failure is returned, not raised.

        The per-host cap (``max_per_host``) still holds whatever ``max_workers`` is.
        """
        def one(url: str) -> Page | FetchError:
            try:
                return self.get(url)
            except FetchError as exc:
                return exc

        with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="fetch") as pool:
            return list(pool.map(one, urls))

    @property
    def network_requests(self) -> int:
        """How many requests reached the network (cache hits excluded)."""
        return self.polite.sent

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _status_error(response: httpx.Response) -> FetchError:
    status = response.status_code
    url = response.request.url if response.request else "?"
    if status == 429:
        hint = "the site is rate-limiting us; wait and retry, or lower the request rate"
    elif status >= 500:
        hint = "the site kept failing after retries; try again later"
    elif status == 404:
        hint = "check the URL (or the model/dataset id)"
    elif status in (401, 403):
        hint = "access denied; a token may be needed (set it in the environment)"
    else:
        hint = "check the URL"
    return FetchError(f"GET {url} answered HTTP {status} {response.reason_phrase}".rstrip(),
                      hint=hint, status=status, url=str(url))


class BenchmarkScraper:
    """Base of every collector: owns (or borrows) one :class:`Fetcher`.

    Collectors produce records (:class:`~modelbench.records.BenchmarkResult`,
    :class:`~modelbench.records.ModelMetadata`); they never write to a store.

    Example:
        >>> with BenchmarkScraper(cache=False) as scraper:
        ...     scraper.fetcher.policy.respect_robots
        True
    """

    def __init__(self, fetcher: Fetcher | None = None, **fetch_options: Any) -> None:
        self._owns_fetcher = fetcher is None
        self.fetcher = fetcher or Fetcher(**fetch_options)

    def close(self) -> None:
        if self._owns_fetcher:
            self.fetcher.close()

    def __enter__(self) -> BenchmarkScraper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
