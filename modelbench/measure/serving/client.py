"""Targets a serving scenario sends requests to: an OpenAI-compatible endpoint or a callable.

:class:`EndpointTarget` streams ``/v1/chat/completions`` or ``/v1/completions``: from
threads over ``http.client`` (default; a pool of keep-alive connections shared by the
threads, so warm-up's connections serve the measured run) or an ``httpx.Client``, from
asyncio over the lean client (:mod:`.aio`) or ``httpx.AsyncClient``. A stdlib request can go
in three steps (``prepare``: connection and bytes; ``send``/``send_by``: the write, by this
thread or the open loop's sender process; ``receive``: the response), so the write can come
at the scheduled time with nothing else before it. Time is taken
when bytes arrive, before any SSE or JSON parsing, and the bytes go to
:class:`~.metrics.StreamAccumulator`. With the stdlib transport over plain HTTP on Linux
(``stamps="kernel"``, the default) the time is the kernel's receive stamp of the socket read
(:mod:`.stamps`): it does not wait for the reading thread to get a core and the GIL, which at
64 streams on a 2-core machine was most of the error. Elsewhere it is ``perf_counter_ns()``
right after the read (``stamps="user"``).

The API key is read from the environment variable the endpoint names (``OPENAI_API_KEY`` by
default) when the target is made; it is kept only in the request headers, never in a record,
message or log.

:class:`CallableTarget` wraps an in-process generator that yields text chunks, token ids, or
lists of token ids (one multi-token chunk), for local models.

Example:
    >>> def model(prompt, max_tokens):
    ...     yield from ([1, 2], [3])
    >>> r = CallableTarget(model, name="tiny").request(Prompt(text="hi"))
    >>> r.ok, r.output_tokens, r.tokens_estimated
    (True, 3, False)
"""

from __future__ import annotations

import asyncio
import collections
import http.client
import inspect
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ...errors import ConfigError
from .metrics import RequestRecord, StreamAccumulator
from .prompts import Prompt
from .stamps import KERNEL_STAMPS, StampedHTTPConnection

__all__ = ["Endpoint", "EndpointTarget", "CallableTarget", "resolve_url", "TRANSPORTS",
           "STAMPS"]

_RETRY_AFTER_CAP_S = 30.0
#: Thread-driver transports. ``stdlib`` (http.client over pooled keep-alive connections)
#: costs about a quarter of httpx's client CPU per streamed request on this machine (see
#: benchmarks/bench_serving.py), which is time a busy client would add to every latency.
TRANSPORTS = ("stdlib", "httpx")
#: How bytes are stamped: ``kernel`` (the socket's receive time, stdlib transport on Linux,
#: else falls back) or ``user`` (``perf_counter_ns`` right after each read).
STAMPS = ("kernel", "user")


def resolve_url(url: str, api: str) -> str:
    """The request URL: ``url`` as given when it names the route, else ``<base>/v1/<route>``.

    >>> resolve_url("http://127.0.0.1:8000", "chat")
    'http://127.0.0.1:8000/v1/chat/completions'
    >>> resolve_url("http://h/v1/", "completions")
    'http://h/v1/completions'
    """
    if api not in ("chat", "completions"):
        raise ConfigError(f"api {api!r} is not 'chat' or 'completions'")
    base = url.rstrip("/")
    if base.endswith("/completions"):
        return base
    if not base.endswith("/v1"):
        base += "/v1"
    return base + ("/chat/completions" if api == "chat" else "/completions")


@dataclass
class Endpoint:
    """An OpenAI-compatible server and the request options every request shares."""

    url: str
    model: str
    api: str = "chat"  # chat | completions
    api_key_env: str = "OPENAI_API_KEY"
    max_tokens: int = 128  # when the prompt does not say
    temperature: float | None = 0.0
    ignore_eos: bool = False  # vLLM/SGLang: generate exactly max_tokens
    continuous_usage: bool = False  # vLLM: usage on every chunk (exact per-chunk tokens)
    extra_body: dict[str, Any] = field(default_factory=dict)
    timeout_s: float = 300.0
    retries: int = 0  # re-sends after a 429, honouring Retry-After; the wait counts

    def body(self, prompt: Prompt) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "stream": True,
                                "max_tokens": prompt.max_tokens or self.max_tokens,
                                "stream_options": {"include_usage": True}}
        if self.continuous_usage:
            body["stream_options"]["continuous_usage_stats"] = True
        if self.temperature is not None:
            body["temperature"] = self.temperature
        if self.ignore_eos:
            body["ignore_eos"] = True
        if self.api == "chat":
            body["messages"] = prompt.as_messages()
        else:
            body["prompt"] = prompt.as_text()
        body.update(self.extra_body)
        return body


def _http_message(status: int, content: bytes) -> str:
    try:
        error = json.loads(content).get("error", {})
        detail = error.get("message", "") if isinstance(error, dict) else str(error)
    except (ValueError, AttributeError):
        detail = content[:200].decode("utf-8", "replace")
    return f"HTTP {status}: {detail}".strip().rstrip(":")


def _retry_after(headers: Any) -> float:
    try:
        return min(float(headers.get("retry-after", "1")), _RETRY_AFTER_CAP_S)
    except ValueError:
        return 1.0


class EndpointTarget:
    """Streams requests to an :class:`Endpoint`; ``request`` (threads) and ``arequest``
    (asyncio) produce the same :class:`RequestRecord`."""

    def __init__(self, endpoint: Endpoint, *, max_connections: int = 1024,
                 transport: str = "stdlib", stamps: str = "kernel") -> None:
        if transport not in TRANSPORTS:
            raise ConfigError(f"transport {transport!r} is not one of {', '.join(TRANSPORTS)}")
        if stamps not in STAMPS:
            raise ConfigError(f"stamps {stamps!r} is not one of {', '.join(STAMPS)}")
        self.transport = transport
        # Kernel receive stamps where they can be had: the stdlib transport over plain HTTP
        # on Linux (see .stamps); else the clock after each read.
        kernel = stamps == "kernel" and transport == "stdlib" and KERNEL_STAMPS \
            and not endpoint.url.startswith("https:")
        self.stamps = "kernel" if kernel else "user"
        #: idle keep-alive connections (a LIFO shared by every thread: warm-up's connections
        #: serve the measured run's threads too); ``_connections``: every one made
        self._idle: collections.deque[http.client.HTTPConnection] = collections.deque()
        self._connections: list[http.client.HTTPConnection] = []
        try:
            import httpx
        except ModuleNotFoundError as exc:
            raise ConfigError("serving benchmarks need httpx",
                              hint="pip install 'modelbench[serving]'") from exc

        self.endpoint = endpoint
        self.name = endpoint.model
        self.url = resolve_url(endpoint.url, endpoint.api)
        split = urlsplit(self.url)
        self._path = split.path + (f"?{split.query}" if split.query else "")
        self._headers = {"Accept": "text/event-stream", "Accept-Encoding": "identity"}
        key = os.environ.get(endpoint.api_key_env, "") if endpoint.api_key_env else ""
        if key:
            self._headers["Authorization"] = f"Bearer {key}"
        self._post_headers = {**self._headers, "Content-Type": "application/json"}
        self._limits = httpx.Limits(max_connections=max_connections,
                                    max_keepalive_connections=max_connections)
        self._timeout = httpx.Timeout(endpoint.timeout_s, connect=min(30.0, endpoint.timeout_s))
        self._sync: httpx.Client | None = None
        self._async: httpx.AsyncClient | None = None
        self._pool: Any = None  # .aio.AsyncPool of the asyncio driver's lean client
        self._lock = threading.Lock()

    def describe(self) -> dict[str, Any]:
        """What a result records about the target (never the key)."""
        e = self.endpoint
        return {"endpoint": self.url, "api": e.api, "transport": self.transport,
                "stamps": self.stamps,
                "ignore_eos": e.ignore_eos, "continuous_usage": e.continuous_usage,
                "max_tokens": e.max_tokens}

    # -- threads -------------------------------------------------------------------------
    @property
    def sends_apart(self) -> bool:
        """Whether a request can be made ready (:meth:`prepare`), written (:meth:`send`) and
        read (:meth:`receive`) in three steps, from different threads: the stdlib transport.
        The open-loop scheduler then writes each request itself at its scheduled time."""
        return self.transport == "stdlib"

    def request(self, prompt: Prompt, *, scheduled_ns: int | None = None,
                defer: bool = False) -> RequestRecord:
        """One streamed request from the calling thread (``transport``: stdlib or httpx).

        ``defer=True``: the record's stream is parsed later, by ``record.settle()``."""
        if self.transport == "httpx":
            return self._request_httpx(prompt, scheduled_ns, defer)
        return self.receive(self.send(self.prepare(prompt), scheduled_ns), defer=defer)

    def prepare(self, prompt: Prompt) -> Outgoing:
        """Everything before the write: the body, a keep-alive connection from the pool
        (connected), the clock offset, and the request's bytes (``out.wire``; plain HTTP)."""
        out = Outgoing(json.dumps(self.endpoint.body(prompt)).encode())
        out.conn, out.reused, out.failure = self._start(out.body)
        if out.failure is None and isinstance(out.conn, _WireCapture):
            out.wire, out.failure = out.conn.captured(out.body)
        return out

    def send(self, out: Outgoing, scheduled_ns: int | None = None) -> Outgoing:
        """Stamp the send time and write the prepared request (one ``sendall``)."""
        out.acc = StreamAccumulator.sent_now(scheduled_ns)
        if out.failure is None:
            out.failure = _write(out.conn, out.body, out.wire)
        return out

    def send_by(self, sender: Any, index: int, out: Outgoing, scheduled_ns: int) -> Outgoing:
        """Have the sender process (:class:`.sender.Sender`) write ``out.wire`` at
        ``scheduled_ns``; the record's ``sent_ns`` is its report (see :meth:`Outgoing.sent`)."""
        out.acc = StreamAccumulator(start_ns=scheduled_ns, sent_ns=0, scheduled_ns=scheduled_ns)
        sender.submit(index, scheduled_ns, out.conn.sock.fileno(), out.wire)
        return out

    def receive(self, out: Outgoing, *, defer: bool = False) -> RequestRecord:
        """Read the response of a sent request (re-sending after a stale keep-alive or, with
        ``retries``, a 429); the connection goes back to the pool."""
        acc, conn, reused, failure = out.acc, out.conn, out.reused, out.failure
        rate_retries, stale_retry = self.endpoint.retries, True
        while True:
            try:
                if failure is not None:
                    raise failure
                response = conn.getresponse()
                acc.record.http_status = response.status
                if response.status == 200:
                    _stream_stdlib(response, acc)
                    break
                content = response.read()
            except (http.client.HTTPException, OSError) as exc:
                conn.close()
                if reused and stale_retry and acc.record.http_status is None:
                    stale_retry = False  # a keep-alive connection the server had closed
                    conn, reused, failure = self._resend(conn, out.body)
                    continue
                acc.fail("connection", f"{type(exc).__name__}: {exc}")
                break
            if response.status == 429 and rate_retries > 0:
                rate_retries -= 1
                time.sleep(_retry_after(response.headers))
                conn, reused, failure = self._resend(conn, out.body)
                continue
            acc.fail("http", _http_message(response.status, content))
            break
        self._idle.append(conn)
        return acc.finish(time.perf_counter_ns(), defer=defer)

    def _start(self, body: bytes) -> tuple[http.client.HTTPConnection, bool, Exception | None]:
        """An idle connection (or a new one), connected, with a request's head buffered;
        whether it had served a request before; the error that stopped it, if any."""
        try:
            conn = self._idle.pop()
        except IndexError:
            conn = self._new_connection()
        reused = conn.sock is not None
        try:
            if conn.sock is None:
                conn.connect()
            if isinstance(conn, StampedHTTPConnection):
                conn.refresh_offset()
            conn.putrequest("POST", self._path, skip_accept_encoding=True)
            for name, value in self._post_headers.items():
                conn.putheader(name, value)
            conn.putheader("Content-Length", str(len(body)))
        except (http.client.HTTPException, OSError) as exc:
            return conn, reused, exc
        return conn, reused, None

    def _resend(self, old: http.client.HTTPConnection, body: bytes
                ) -> tuple[http.client.HTTPConnection, bool, Exception | None]:
        self._idle.append(old)  # closed: the pool reconnects it when it comes round
        conn, reused, failure = self._start(body)
        if failure is None and isinstance(conn, _WireCapture):
            wire, failure = conn.captured(body)
            return conn, reused, failure or _write(conn, body, wire)
        return conn, reused, failure or _write(conn, body)

    def _new_connection(self) -> http.client.HTTPConnection:
        split = urlsplit(self.url)
        kind = http.client.HTTPSConnection if split.scheme == "https" \
            else _StampedCapturing if self.stamps == "kernel" else _Capturing
        conn = kind(split.hostname or "127.0.0.1", split.port, timeout=self.endpoint.timeout_s)
        with self._lock:
            self._connections.append(conn)
        return conn

    def _request_httpx(self, prompt: Prompt, scheduled_ns: int | None,
                       defer: bool = False) -> RequestRecord:
        import httpx

        if self._sync is None:
            with self._lock:  # threads start together: make one client, not one each
                if self._sync is None:
                    self._sync = httpx.Client(limits=self._limits, timeout=self._timeout)
        acc = StreamAccumulator.sent_now(scheduled_ns)
        body = self.endpoint.body(prompt)
        for attempt in range(self.endpoint.retries + 1):
            try:
                with self._sync.stream("POST", self.url, json=body,
                                       headers=self._headers) as response:
                    acc.record.http_status = response.status_code
                    if response.status_code == 200:
                        now, stamp, keep = time.perf_counter_ns, acc.stamps.append, \
                            acc.chunks.append
                        for chunk in response.iter_bytes():
                            stamp(now())
                            keep(chunk)
                        break
                    content = response.read()
                    if response.status_code == 429 and attempt < self.endpoint.retries:
                        time.sleep(_retry_after(response.headers))
                        continue
                    acc.fail("http", _http_message(response.status_code, content))
                    break
            except httpx.HTTPError as exc:
                acc.fail("connection", f"{type(exc).__name__}: {exc}")
                break
        return acc.finish(time.perf_counter_ns(), defer=defer)

    # -- asyncio -------------------------------------------------------------------------
    async def arequest(self, prompt: Prompt, *, scheduled_ns: int | None = None,
                       defer: bool = False) -> RequestRecord:
        """One streamed request on the running event loop: the lean h11 client with kernel
        stamps (:mod:`.aio`) for ``transport="stdlib"`` over plain HTTP, else httpx."""
        if self.transport == "stdlib" and not self.url.startswith("https:"):
            return await self._arequest_lean(prompt, scheduled_ns, defer)
        import httpx

        if self._async is None:
            self._async = httpx.AsyncClient(limits=self._limits, timeout=self._timeout)
        acc = StreamAccumulator.sent_now(scheduled_ns)
        body = self.endpoint.body(prompt)
        for attempt in range(self.endpoint.retries + 1):
            try:
                async with self._async.stream("POST", self.url, json=body,
                                              headers=self._headers) as response:
                    acc.record.http_status = response.status_code
                    if response.status_code == 200:
                        now, stamp, keep = time.perf_counter_ns, acc.stamps.append, \
                            acc.chunks.append
                        async for chunk in response.aiter_bytes():
                            stamp(now())
                            keep(chunk)
                        break
                    content = await response.aread()
                    if response.status_code == 429 and attempt < self.endpoint.retries:
                        await asyncio.sleep(_retry_after(response.headers))
                        continue
                    acc.fail("http", _http_message(response.status_code, content))
                    break
            except httpx.HTTPError as exc:
                acc.fail("connection", f"{type(exc).__name__}: {exc}")
                break
        return acc.finish(time.perf_counter_ns(), defer=defer)

    @property
    def sends_apart_async(self) -> bool:
        """Whether :meth:`aprepare` can make an asyncio request's bytes ahead (the lean
        client over plain HTTP), for the open loop's sender process."""
        return self.transport == "stdlib" and not self.url.startswith("https:")

    async def aprepare(self, prompt: Prompt) -> Outgoing:
        """The lean client's :meth:`prepare`: a pooled connection and the request's bytes."""
        out = Outgoing(json.dumps(self.endpoint.body(prompt)).encode())
        try:
            out.conn, out.wire = await self._lean_pool().open("POST", self._path,
                                                              self._post_headers, out.body)
        except OSError as exc:
            out.failure = exc
        return out

    def _lean_pool(self) -> Any:
        from .aio import AsyncPool

        if self._pool is None:
            split = urlsplit(self.url)
            self._pool = AsyncPool(split.hostname or "127.0.0.1", split.port or 80,
                                   timeout_s=self.endpoint.timeout_s,
                                   kernel=self.stamps == "kernel")
        return self._pool

    async def _arequest_lean(self, prompt: Prompt | None, scheduled_ns: int | None,
                             defer: bool, out: Outgoing | None = None) -> RequestRecord:
        """One lean request; with ``out``, one already written (by the sender process):
        its response is read first, and a re-send (stale keep-alive, 429) goes as usual."""
        import h11

        from .aio import StreamResult

        pool = self._lean_pool()
        body = out.body if out is not None else json.dumps(self.endpoint.body(prompt)).encode()
        acc = out.acc if out is not None else StreamAccumulator.sent_now(scheduled_ns)
        rate_retries, stale_retry = self.endpoint.retries, True
        while True:
            result = StreamResult()
            try:
                if out is not None:
                    conn, failure, out = out.conn, out.failure, None
                    if failure is not None:  # the write failed: maybe a stale keep-alive
                        result.reused = conn.used
                        conn.close()
                        raise failure
                    await pool.finish(conn, result)
                else:
                    await pool.stream("POST", self._path, self._post_headers, body, result)
                error = "" if result.status else "connection closed before a response"
            except (h11.ProtocolError, OSError, TimeoutError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            if error and result.reused and result.status is None and stale_retry:
                stale_retry = False  # a keep-alive connection the server had closed
                continue
            if error:
                acc.record.http_status = result.status
                acc.stamps.extend(result.stamps)  # what came before the failure is parsed
                acc.chunks.extend(result.chunks)
                acc.fail("connection", error)
                break
            acc.record.http_status = result.status
            if result.status == 200:
                acc.stamps.extend(result.stamps)
                acc.chunks.extend(result.chunks)
                break
            if result.status == 429 and rate_retries > 0:
                rate_retries -= 1
                await asyncio.sleep(_retry_after(result.headers))
                continue
            acc.fail("http", _http_message(result.status or 0, result.content()))
            break
        return acc.finish(time.perf_counter_ns(), defer=defer)

    async def asend(self, out: Outgoing, scheduled_ns: int | None = None) -> Outgoing:
        """Stamp the send time and write :meth:`aprepare`'s bytes from the event loop."""
        out.acc = StreamAccumulator.sent_now(scheduled_ns)
        try:
            await asyncio.get_running_loop().sock_sendall(out.conn.sock, out.wire)
        except OSError as exc:
            out.failure = exc
        return out

    async def areceive(self, out: Outgoing, *, defer: bool = False) -> RequestRecord:
        """Read the response of a request :meth:`aprepare` made and the sender wrote."""
        return await self._arequest_lean(None, None, defer, out)

    def close(self) -> None:
        for conn in self._connections:
            conn.close()
        self._connections.clear()
        self._idle.clear()
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._sync is not None:
            self._sync.close()
            self._sync = None
        if self._async is not None:
            client, self._async = self._async, None
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                asyncio.run(client.aclose())
            # inside a running loop the driver closes it (see scenarios._async_session)

    async def aclose(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.aclose()
        if self._async is not None:
            client, self._async = self._async, None
            await client.aclose()


class Outgoing:
    """One stdlib request between :meth:`EndpointTarget.prepare` and ``receive``: the body,
    the connection it goes on, the request's bytes where they were made ahead (``wire``),
    its accumulator once sent, and an error met on the way."""

    __slots__ = ("body", "conn", "reused", "failure", "acc", "wire")

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.conn: Any = None
        self.reused = False
        self.failure: Exception | None = None
        self.acc: Any = None
        self.wire: bytes | None = None

    def passable(self, limit: int) -> bool:
        """Whether another process can write it: bytes made, at most ``limit``, no error."""
        return self.failure is None and self.wire is not None and len(self.wire) <= limit

    def sent(self, sent_ns: int) -> None:
        """The send time another process reported."""
        self.acc.record.sent_ns = sent_ns


class _WireCapture:
    """An ``http.client`` connection that can make a request's bytes without writing them
    (``captured``): the state moves on as if sent; the bytes are written later, by anyone."""

    _capture: list[bytes] | None = None

    def send(self, data: Any) -> None:
        if self._capture is not None:
            self._capture.append(bytes(data))
            return
        super().send(data)  # type: ignore[misc]

    def captured(self, body: bytes) -> tuple[bytes | None, Exception | None]:
        self._capture = []
        try:
            self.endheaders(body)  # type: ignore[attr-defined]
            return b"".join(self._capture), None
        except (http.client.HTTPException, OSError) as exc:
            return None, exc
        finally:
            self._capture = None


class _Capturing(_WireCapture, http.client.HTTPConnection):
    pass


class _StampedCapturing(_WireCapture, StampedHTTPConnection):
    pass


def _write(conn: http.client.HTTPConnection, body: bytes, wire: bytes | None = None
           ) -> Exception | None:
    """Write the request (``wire`` when it was made ahead, else the buffered head and
    ``body``) in one write; the error, if it failed."""
    try:
        if wire is not None:
            conn.sock.sendall(wire)
        else:
            conn.endheaders(body)
    except (http.client.HTTPException, OSError) as exc:
        return exc
    return None


def _stream_stdlib(response: http.client.HTTPResponse, acc: StreamAccumulator) -> None:
    """The hot loop: read, stamp, keep — parsing waits for ``finish()``. The stamp is the
    kernel's receive time of the last byte read when the response has a stamped reader."""
    read, stamp, keep = response.read1, acc.stamps.append, acc.chunks.append
    reader = getattr(response, "reader", None)
    if reader is not None:
        while data := read(65536):
            stamp(reader.stamp_ns)
            keep(data)
        return
    now = time.perf_counter_ns
    while data := read(65536):
        stamp(now())
        keep(data)


class CallableTarget:
    """An in-process streaming model: ``fn(prompt_text[, max_tokens])`` yields text chunks
    (tokens counted from the text, marked estimated), token ids, or lists of token ids."""

    def __init__(self, fn: Callable[..., Iterable[Any]], *, name: str,
                 max_tokens: int = 128) -> None:
        self.fn = fn
        self.name = name
        self.max_tokens = max_tokens
        self._pool: Any = None
        try:
            self._takes_max = len(inspect.signature(fn).parameters) >= 2
        except (TypeError, ValueError):
            self._takes_max = False

    def describe(self) -> dict[str, Any]:
        return {"callable": getattr(self.fn, "__qualname__", repr(self.fn))}

    def request(self, prompt: Prompt, *, scheduled_ns: int | None = None,
                defer: bool = False) -> RequestRecord:
        acc = StreamAccumulator.sent_now(scheduled_ns)
        max_tokens = prompt.max_tokens or self.max_tokens
        try:
            chunks = self.fn(prompt.as_text(), max_tokens) if self._takes_max \
                else self.fn(prompt.as_text())
            for chunk in chunks:
                t = time.perf_counter_ns()
                if isinstance(chunk, str):
                    acc.add_tokens(t, text=chunk)
                elif isinstance(chunk, int) or hasattr(chunk, "__index__"):
                    acc.add_tokens(t, token_count=1)
                elif isinstance(chunk, (list, tuple)) or hasattr(chunk, "__len__"):
                    acc.add_tokens(t, token_count=len(chunk))
                else:
                    raise TypeError(f"yielded {type(chunk).__name__}; yield str, int or "
                                    "a list of token ids")
        except Exception as exc:  # a failing model is a recorded result, not a crash
            acc.fail("target", f"{type(exc).__name__}: {exc}")
        return acc.finish(time.perf_counter_ns(), require_done=False)

    async def arequest(self, prompt: Prompt, *, scheduled_ns: int | None = None,
                       defer: bool = False) -> RequestRecord:
        # Its own pool: asyncio's default executor has a few workers, a hidden cap on load.
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1024, thread_name_prefix="serving")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._pool, lambda: self.request(prompt, scheduled_ns=scheduled_ns))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None
