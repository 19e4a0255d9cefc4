"""A deterministic OpenAI/vLLM-compatible streaming server on 127.0.0.1, for tests and benchmarks.

One asyncio event loop (in a background thread, or its own process with ``python
sse_server.py``) speaks HTTP/1.1 with chunked transfer encoding and the exact SSE wire format
of vLLM's ``/v1/chat/completions`` and ``/v1/completions``: a role chunk, ``reasoning_content``
deltas, content deltas of several tokens each, a ``finish_reason`` chunk, the ``usage`` chunk
(``choices: []``, when ``stream_options.include_usage``), continuous usage on every chunk (when
``continuous_usage_stats``), ``data: [DONE]``. Faults: a mid-stream ``error`` event, 429 with
``Retry-After``, a dropped connection, a stream cut short without ``[DONE]``.

Behaviour comes from a :class:`Script` chosen by the request's ``model`` (``scripts``), else the
default one. Every token chunk's write time (``time.perf_counter_ns``, one clock for every
process on Linux) is logged per response id: the truth a client's measurement is checked
against. So is the time the script meant it for: the server's own lateness (a busy machine
wakes its sleeps late) is then told apart from the client's error. ``GET /_log`` returns
the log as JSON (for a server in another process).

Each token is the word ``tN`` followed by a space (``count_tokens`` counts one per token).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Script:
    ttft_s: float = 0.02  # from request received to the first token chunk
    itl_s: float = 0.005  # between token chunks
    chunk_tokens: tuple[int, ...] = (1,)  # tokens per chunk, cycled
    output_tokens: int | None = None  # default: the request's max_tokens
    reasoning_tokens: int = 0  # sent first, as reasoning_content deltas
    usage: bool = True  # honour stream_options.include_usage
    error_after_chunks: int | None = None  # an error event after this many token chunks
    drop_after_chunks: int | None = None  # close the socket mid-body after this many
    truncate_after_chunks: int | None = None  # end the body cleanly, no finish/[DONE]
    rate_limit_first: int = 0  # answer the first N requests with 429
    retry_after_s: float = 0


@dataclass
class StreamLog:
    id: str
    model: str
    received_ns: int
    chunk_times_ns: list[int] = field(default_factory=list)  # when each was written
    chunk_deadlines_ns: list[int] = field(default_factory=list)  # when the script said
    chunk_tokens: list[int] = field(default_factory=list)
    prompt_tokens: int = 0
    request_id: str = ""  # the client's X-Request-ID header, when it sends one


class SSEServer:
    """``with SSEServer() as s: ... s.url ... s.log``"""

    def __init__(self, default: Script | None = None, scripts: dict[str, Script] | None = None,
                 port: int = 0) -> None:
        self.default = default or Script()
        self.scripts = scripts or {}
        self.port = port
        self.log: dict[str, StreamLog] = {}
        self.requests: list[dict[str, Any]] = []
        self.authorizations: list[str] = []
        self.active = 0
        self.max_active = 0
        self._ids = itertools.count()
        self._limited: dict[str, int] = {}
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> SSEServer:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)

    async def _shutdown(self) -> None:
        me = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not me]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def reset(self) -> None:
        """Forget logs and counters (between tests sharing one server)."""
        self.log.clear()
        self.requests.clear()
        self.authorizations.clear()
        self._limited.clear()
        self.max_active = 0

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.port, backlog=1024))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    def serve_forever(self) -> None:
        self._run()

    # -- HTTP ------------------------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                received = time.perf_counter_ns()
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, _, v in
                           (line.partition(":") for line in lines[1:] if line)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                if method == "GET" and path == "/_log":
                    data = json.dumps({k: asdict(v) for k, v in self.log.items()}).encode()
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: %d\r\n\r\n%s" % (len(data), data))
                    continue
                self.authorizations.append(headers.get("authorization", ""))
                self.active += 1
                self.max_active = max(self.max_active, self.active)
                try:
                    kept = await self._stream(json.loads(body or b"{}"), path, received, writer,
                                              headers.get("x-request-id", ""))
                finally:
                    self.active -= 1
                if not kept:
                    return
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _stream(self, request: dict[str, Any], path: str, received: int,
                      writer: asyncio.StreamWriter, request_id: str = "") -> bool:
        """Answer one request; False when the connection was dropped on purpose."""
        self.requests.append(request)
        model = str(request.get("model", ""))
        script = self.scripts.get(model, self.default)
        seen = self._limited.get(model, 0)
        if seen < script.rate_limit_first:
            self._limited[model] = seen + 1
            data = json.dumps({"error": {"message": "rate limited", "type": "rate_limit",
                                         "code": 429}}).encode()
            writer.write(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: %s\r\n"
                         b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                         % (str(script.retry_after_s).encode(), len(data), data))
            return True
        chat = path.endswith("/chat/completions")
        rid = f"{'chatcmpl' if chat else 'cmpl'}-{next(self._ids)}"
        prompt = " ".join(str(m.get("content", "")) for m in request.get("messages", [])) \
            if chat else str(request.get("prompt", ""))
        log = StreamLog(id=rid, model=model, received_ns=received,
                        prompt_tokens=len(prompt.split()), request_id=request_id)
        self.log[rid] = log
        options = request.get("stream_options") or {}
        with_usage = script.usage and options.get("include_usage")
        continuous = with_usage and options.get("continuous_usage_stats")
        n_out = script.output_tokens or int(request.get("max_tokens")
                                             or request.get("max_completion_tokens") or 16)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                     b"Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n")

        def frame(payload: dict[str, Any] | str, log_time: bool = False) -> None:
            text = payload if isinstance(payload, str) else json.dumps(payload)
            data = f"data: {text}\n\n".encode()
            if log_time:  # just before the bytes go to the socket: the truth is never late
                log.chunk_times_ns.append(time.perf_counter_ns())
            writer.write(b"%x\r\n%s\r\n" % (len(data), data))

        def chunk(content: str = "", reasoning: str = "", finish: str | None = None,
                  role: bool = False, done_tokens: int = 0) -> dict[str, Any]:
            if chat:
                delta: dict[str, Any] = {"role": "assistant", "content": ""} if role else {}
                if reasoning:
                    delta["reasoning_content"] = reasoning
                if content or (finish and not role):
                    delta["content"] = content
                choice: dict[str, Any] = {"index": 0, "delta": delta, "logprobs": None,
                                          "finish_reason": finish}
            else:
                choice = {"index": 0, "text": content, "logprobs": None,
                          "finish_reason": finish}
            out: dict[str, Any] = {"id": rid, "object": "chat.completion.chunk" if chat
                                   else "text_completion", "created": 1700000000,
                                   "model": model, "choices": [choice]}
            if continuous:
                out["usage"] = usage(done_tokens)
            return out

        def usage(done: int) -> dict[str, int]:
            return {"prompt_tokens": log.prompt_tokens, "completion_tokens": done,
                    "total_tokens": log.prompt_tokens + done}

        if chat:
            frame(chunk(role=True))
        deadline = received + int(script.ttft_s * 1e9)
        sizes = itertools.cycle(script.chunk_tokens)
        total = script.reasoning_tokens + n_out
        done, index = 0, 0
        while done < total:
            await _sleep_until(deadline)
            size = min(next(sizes), total - done)
            words = [f"t{done + k} " for k in range(size)]
            thinking = max(0, min(size, script.reasoning_tokens - done))
            done += size
            frame(chunk(content="".join(words[thinking:]), reasoning="".join(words[:thinking]),
                        done_tokens=done), log_time=True)
            log.chunk_deadlines_ns.append(deadline)
            log.chunk_tokens.append(size)
            index += 1
            await writer.drain()
            if index == script.error_after_chunks:
                frame({"error": {"object": "error", "message": "engine died",
                                 "type": "InternalServerError", "param": None, "code": 500}})
                frame("[DONE]")
                writer.write(b"0\r\n\r\n")
                return True
            if index == script.drop_after_chunks:
                await writer.drain()
                writer.transport.abort()
                return False
            if index == script.truncate_after_chunks:
                writer.write(b"0\r\n\r\n")
                return True
            deadline += int(script.itl_s * 1e9)
        frame(chunk(finish="length" if script.output_tokens is None else "stop",
                    done_tokens=done))
        if with_usage:
            frame({"id": rid, "object": "chat.completion.chunk", "created": 1700000000,
                   "model": model, "choices": [], "usage": usage(done)})
        frame("[DONE]")
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True


async def _sleep_until(deadline_ns: int) -> None:
    # A plain sleep (it may wake late): the log records when bytes were really written.
    remaining = deadline_ns - time.perf_counter_ns()
    if remaining > 0:
        await asyncio.sleep(remaining / 1e9)


def main() -> None:
    """``python sse_server.py --ttft-ms 20 --itl-ms 5 --chunk 1,3``: print the port, serve."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ttft-ms", type=float, default=20)
    parser.add_argument("--itl-ms", type=float, default=5)
    parser.add_argument("--chunk", default="1")
    args = parser.parse_args()
    script = Script(ttft_s=args.ttft_ms / 1e3, itl_s=args.itl_ms / 1e3,
                    chunk_tokens=tuple(int(x) for x in args.chunk.split(",")))
    server = SSEServer(script, port=args.port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server._ready.wait(10)
    print(server.port, flush=True)
    thread.join()


if __name__ == "__main__":
    main()
