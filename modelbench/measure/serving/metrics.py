"""What one streamed request measured, and the definitions of TTFT, TPOT, ITL and E2E.

Everything here is sans-IO: bytes go in with the time they arrived, a :class:`RequestRecord`
comes out. The clients (:mod:`.client`) only stamp bytes and feed them in, so the definitions
below are the same for an HTTP endpoint and an in-process generator, and they are tested with
hand-made timestamps.

Definitions (all times in nanoseconds of ``time.perf_counter_ns``):

* ``start`` — the *scheduled* send time in open-loop scenarios (so queueing behind a
  concurrency cap or a late scheduler counts: no coordinated omission), else the send time.
* **TTFT** = arrival of the first chunk that carries a content *or* reasoning token − start.
* **E2E** = arrival of the last token-bearing chunk − start (not the ``[DONE]`` line).
* **TPOT** = (E2E − TTFT) / (output tokens − 1), one value per request with ≥ 2 tokens.
* **ITL** — one value per token after the first chunk: a chunk's gap since the previous
  token-bearing chunk, spread evenly over the chunk's tokens (a 3-token chunk 30 ms after the
  last one gives three 10 ms values). Tokens that arrive together with the first token have no
  measurable gap and give no ITL value.
* Output tokens come from the server's ``usage`` when it sends one (``completion_tokens``,
  which already includes reasoning tokens), else they are counted from the text and the
  record is marked ``tokens_estimated``. Per-chunk counts come from cumulative usage when the
  server streams it (vLLM ``continuous_usage_stats``), else from the text, rescaled so they add
  up to ``usage``.
* A request is an error when the HTTP status is not 200, the stream carries an ``error``
  event, the connection drops, or the stream ends with neither ``[DONE]`` nor a
  ``finish_reason`` (truncated). Errors are never counted as successes.

Example:
    >>> acc = StreamAccumulator(start_ns=0, sent_ns=0)
    >>> acc.feed(b'data: {"choices":[{"delta":{"content":"a b"}}]}\\n\\n', 100)
    >>> acc.feed(b'data: {"choices":[{"delta":{"content":"c"},"finish_reason":"stop"}]}\\n\\n', 130)
    >>> acc.feed(b'data: [DONE]\\n\\n', 131)
    >>> r = acc.finish(131)
    >>> r.ok, r.ttft_ns, r.e2e_ns, r.output_tokens, r.itl_ns, r.tpot_ns
    (True, 100, 130, 3, [30], 15.0)
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SSEParser", "StreamAccumulator", "RequestRecord", "count_tokens", "meets_slo",
           "parse_slo", "SLO_KEYS"]

_TOKEN_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)

#: SLO names understood by :func:`meets_slo` -> the per-request figure they bound (ms).
SLO_KEYS = ("ttft_ms", "tpot_ms", "e2e_ms", "itl_max_ms")


def count_tokens(text: str) -> int:
    """A tokenizer-free estimate of tokens in ``text``: words and punctuation marks.

    >>> count_tokens("Hello, world!")
    4
    """
    return len(_TOKEN_RE.findall(text))


class SSEParser:
    """Splits a server-sent-events byte stream into ``(event, data, arrival_ns)``.

    An event's time is the arrival of the bytes that completed it.

    >>> p = SSEParser()
    >>> p.feed(b"data: 1\\n\\nda", 5)
    [('message', '1', 5)]
    >>> p.feed(b"ta: 2\\r\\n\\r\\n", 9)
    [('message', '2', 9)]
    """

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes, arrival_ns: int) -> list[tuple[str, str, int]]:
        buffer = self._buffer + chunk if self._buffer else chunk
        if b"\r" in buffer:  # CRLF lines; a trailing CR waits in the buffer for its LF
            buffer = buffer.replace(b"\r\n", b"\n")
        *blocks, self._buffer = buffer.split(b"\n\n")
        events: list[tuple[str, str, int]] = []
        for block in blocks:
            if block.startswith(b"data: ") and b"\n" not in block:  # the common one-line event
                events.append(("message", block[6:].decode("utf-8", "replace"), arrival_ns))
                continue
            event, data = "message", []
            for raw in block.split(b"\n"):
                line = raw.decode("utf-8", "replace")
                if not line or line.startswith(":"):
                    continue  # comment / keep-alive
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "data":
                    data.append(value)
                elif name == "event":
                    event = value
            if data:
                events.append((event, "\n".join(data), arrival_ns))
        return events

    def pending(self) -> bool:
        """True when bytes of an unfinished event are buffered."""
        return bool(self._buffer.strip())


@dataclass
class RequestRecord:
    """One request's outcome and timings (see the module docstring for the definitions)."""

    start_ns: int = 0
    sent_ns: int = 0
    scheduled_ns: int | None = None
    ready_ns: int | None = None  # open loop: the later of scheduled time and a free slot
    ok: bool = False
    error: str = ""
    error_kind: str = ""  # http | stream_error | truncated | connection | target
    http_status: int | None = None
    chunk_times_ns: list[int] = field(default_factory=list)  # token-bearing chunks only
    chunk_tokens: list[int] = field(default_factory=list)
    output_tokens: int = 0
    input_tokens: int | None = None
    reasoning_tokens: int | None = None
    tokens_estimated: bool = True
    text: str = ""
    reasoning_text: str = ""
    response_id: str = ""
    finish_reason: str = ""
    end_ns: int = 0
    prompt_index: int = -1
    #: the accumulator of a record finished with ``defer=True``, until :meth:`settle`
    pending: Any = field(default=None, repr=False, compare=False)

    def settle(self) -> RequestRecord:
        """Parse a deferred stream now (a no-op for a settled record); returns ``self``."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.settle()
        return self

    @property
    def ttft_ns(self) -> int | None:
        return self.chunk_times_ns[0] - self.start_ns if self.chunk_times_ns else None

    @property
    def e2e_ns(self) -> int:
        last = self.chunk_times_ns[-1] if self.chunk_times_ns else self.end_ns
        return last - self.start_ns

    @property
    def tpot_ns(self) -> float | None:
        if self.output_tokens < 2 or not self.chunk_times_ns:
            return None
        return (self.chunk_times_ns[-1] - self.chunk_times_ns[0]) / (self.output_tokens - 1)

    @property
    def itl_ns(self) -> list[int]:
        values: list[int] = []
        previous = self.chunk_times_ns[0] if self.chunk_times_ns else 0
        for t, n in zip(self.chunk_times_ns[1:], self.chunk_tokens[1:], strict=True):
            if n > 0:  # a chunk rescaled to no tokens: its gap joins the next chunk's
                values.extend([round((t - previous) / n)] * n)
                previous = t
        return values

    @property
    def lag_ns(self) -> int | None:
        """How late the request went out after its scheduled time (open loop only)."""
        return None if self.scheduled_ns is None else self.sent_ns - self.scheduled_ns


class StreamAccumulator:
    """Builds a :class:`RequestRecord` from an OpenAI-compatible SSE stream.

    Understands ``/v1/chat/completions`` (``delta.content``, ``delta.reasoning_content`` or
    ``delta.reasoning``) and ``/v1/completions`` (``text``) chunks, ``usage`` (final or
    continuous), ``error`` events and ``[DONE]``.
    """

    def __init__(self, *, start_ns: int, sent_ns: int, scheduled_ns: int | None = None) -> None:
        self.record = RequestRecord(start_ns=start_ns, sent_ns=sent_ns, scheduled_ns=scheduled_ns)
        self._parser = SSEParser()
        # Raw bytes and their arrival stamps, parsed only in finish(): a streaming loop does
        # two list appends per read, so no thread holds the GIL parsing while another's bytes
        # wait to be stamped (see benchmarks/bench_serving.py).
        self.chunks: list[bytes] = []
        self.stamps: list[int] = []
        self._pending_failure: tuple[str, str] | None = None
        self._require_done = True
        self._done = False
        self._failed = False
        self._usage: dict[str, Any] | None = None
        self._continuous = False
        self._last_cumulative = 0
        self._text: list[str] = []
        self._reasoning: list[str] = []

    @classmethod
    def sent_now(cls, scheduled_ns: int | None = None) -> StreamAccumulator:
        """The accumulator of a request sent now: its latencies count from ``scheduled_ns``
        when it had one (open loop: no coordinated omission), else from now.

        >>> acc = StreamAccumulator.sent_now(scheduled_ns=5)
        >>> acc.record.start_ns, acc.record.sent_ns > 5
        (5, True)
        """
        sent = time.perf_counter_ns()
        return cls(start_ns=sent if scheduled_ns is None else scheduled_ns, sent_ns=sent,
                   scheduled_ns=scheduled_ns)

    def feed(self, chunk: bytes, arrival_ns: int) -> None:
        """Keep raw bytes stamped when they arrived (parsed in :meth:`finish`). Hot loops may
        append to ``chunks`` and ``stamps`` directly instead."""
        self.chunks.append(chunk)
        self.stamps.append(arrival_ns)

    def _parse(self) -> None:
        chunks, stamps, self.chunks, self.stamps = self.chunks, self.stamps, [], []
        for chunk, arrival_ns in zip(chunks, stamps, strict=True):
            for event, data, t in self._parser.feed(chunk, arrival_ns):
                if self._failed:
                    return
                self._on_event(event, data, t)

    def _fail(self, kind: str, message: str) -> None:
        self._failed = True
        self.record.error_kind, self.record.error = kind, message

    def _on_event(self, event: str, data: str, t: int) -> None:
        if data == "[DONE]" or data.strip() == "[DONE]":
            self._done = True
            return
        try:
            payload = json.loads(data)
        except json.JSONDecodeError:
            self._fail("stream_error", f"unparseable stream event: {data[:80]!r}")
            return
        if event == "error" or (isinstance(payload, dict) and payload.get("error")):
            error = payload.get("error", payload) if isinstance(payload, dict) else payload
            message = error.get("message", str(error)) if isinstance(error, dict) else str(error)
            self._fail("stream_error", f"error event in stream: {message}")
            return
        if not isinstance(payload, dict):
            return
        self.record.response_id = self.record.response_id or str(payload.get("id") or "")
        usage = payload.get("usage")
        choices = payload.get("choices") or []
        text = reasoning = ""
        for choice in choices[:1]:
            delta = choice.get("delta")
            if isinstance(delta, dict):
                text = delta.get("content") or ""
                reasoning = delta.get("reasoning_content") or delta.get("reasoning") or ""
            else:
                text = choice.get("text") or ""
            if choice.get("finish_reason"):
                self.record.finish_reason = str(choice["finish_reason"])
        tokens = None
        if isinstance(usage, dict):
            self._usage = usage
            if choices:  # usage on a chunk that also carries a delta: cumulative usage
                self._continuous = True
                cumulative = int(usage.get("completion_tokens") or 0)
                tokens, self._last_cumulative = cumulative - self._last_cumulative, cumulative
        self._add(text, reasoning, t, tokens)

    def _add(self, text: str, reasoning: str, t: int, tokens: int | None) -> None:
        if tokens is None:
            tokens = count_tokens(text) + count_tokens(reasoning)
            if tokens == 0 and (text or reasoning):
                tokens = 1  # whitespace or a partial character: still a token arrived
        if text:
            self._text.append(text)
        if reasoning:
            self._reasoning.append(reasoning)
        if tokens > 0:
            self.record.chunk_times_ns.append(t)
            self.record.chunk_tokens.append(tokens)

    def add_tokens(self, t: int, *, text: str = "", token_count: int | None = None) -> None:
        """For in-process targets: one yielded chunk (text, or ``token_count`` exact ids)."""
        self._add(text, "", t, token_count)
        if token_count is not None:
            self._continuous = True

    def fail(self, kind: str, message: str) -> None:
        """Mark the request failed (HTTP status, dropped connection, target exception).

        Applied in :meth:`finish` after the bytes that came before it are parsed, so an
        ``error`` event the server sent first stays the reason."""
        if self._pending_failure is None:
            self._pending_failure = (kind, message)

    def finish(self, end_ns: int, *, require_done: bool = True,
               defer: bool = False) -> RequestRecord:
        """Close the stream. ``require_done=False`` for targets without ``[DONE]`` (callables).

        ``defer=True`` returns the record unparsed (``pending``): a load driver settles every
        record after the run, so no stream's parsing competes with another's arrivals."""
        self.record.end_ns = end_ns
        self._require_done = require_done
        if defer:
            self.record.pending = self
            return self.record
        return self.settle()

    def settle(self) -> RequestRecord:
        """Parse the kept bytes and fill in the record (see :meth:`finish`)."""
        r, require_done = self.record, self._require_done
        r.pending = None
        self._parse()
        if self._pending_failure is not None and not self._failed:
            self._fail(*self._pending_failure)
        r.text, r.reasoning_text = "".join(self._text), "".join(self._reasoning)
        if not self._failed and require_done and not (self._done or r.finish_reason):
            self._fail("truncated", "stream ended without [DONE] or finish_reason (truncated)")
        if not self._failed and require_done and self._parser.pending():
            self._fail("truncated", "stream ended inside an event (truncated)")
        self._settle_tokens()
        r.ok = not self._failed
        return r

    def _settle_tokens(self) -> None:
        r = self.record
        usage = self._usage or {}
        counted = sum(r.chunk_tokens)
        if usage.get("completion_tokens") is not None:
            total = int(usage["completion_tokens"])
            if not self._continuous and r.chunk_tokens and total != counted:
                r.chunk_tokens = _rescale(r.chunk_tokens, total)
            r.output_tokens, r.tokens_estimated = total, False
        else:
            r.output_tokens, r.tokens_estimated = counted, not self._continuous
        if usage.get("prompt_tokens") is not None:
            r.input_tokens = int(usage["prompt_tokens"])
        details = usage.get("completion_tokens_details") or {}
        if isinstance(details, dict) and details.get("reasoning_tokens") is not None:
            r.reasoning_tokens = int(details["reasoning_tokens"])


def _rescale(counts: list[int], total: int) -> list[int]:
    """Counts scaled to add up to ``total`` (largest remainder), each at least 1 when possible.

    >>> _rescale([1, 1, 2], 8)
    [2, 2, 4]
    """
    if total <= len(counts):
        return [1] * total + [0] * (len(counts) - total) if total < len(counts) else [1] * total
    extra = total - len(counts)  # everyone keeps one token; the rest goes by weight
    weight = sum(counts)
    shares = [extra * c / weight for c in counts]
    floors = [int(s) for s in shares]
    order = sorted(range(len(counts)), key=lambda i: shares[i] - floors[i], reverse=True)
    for i in order[: extra - sum(floors)]:
        floors[i] += 1
    return [1 + f for f in floors]


def parse_slo(text: str | dict[str, float] | None) -> dict[str, float]:
    """``"ttft_ms=500,tpot_ms=50"`` (or a dict) -> ``{"ttft_ms": 500.0, "tpot_ms": 50.0}``.

    >>> parse_slo("ttft_ms=500, tpot_ms=50")
    {'ttft_ms': 500.0, 'tpot_ms': 50.0}
    """
    from ...errors import ValidationError

    if not text:
        return {}
    items = text.items() if isinstance(text, dict) else \
        (part.split("=", 1) for part in str(text).split(",") if part.strip())
    slo: dict[str, float] = {}
    for item in items:
        if len(item) != 2:
            raise ValidationError(f"SLO {'='.join(item)!r} is not NAME=MILLISECONDS",
                                  hint="e.g. --slo ttft_ms=500,tpot_ms=50")
        key, value = str(item[0]).strip(), item[1]
        if key not in SLO_KEYS:
            raise ValidationError(f"unknown SLO {key!r}", hint=f"known: {', '.join(SLO_KEYS)}")
        try:
            slo[key] = float(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"SLO {key} value {value!r} is not a number") from exc
    return slo


def meets_slo(record: RequestRecord, slo: dict[str, float]) -> bool:
    """True when the request succeeded and meets every SLO (a request without a figure an
    SLO bounds, e.g. one output token for ``tpot_ms``, meets that SLO trivially)."""
    if not record.ok:
        return False
    ttft, tpot = record.ttft_ns, record.tpot_ns
    figures = {"ttft_ms": None if ttft is None else ttft / 1e6,
               "tpot_ms": None if tpot is None else tpot / 1e6,
               "e2e_ms": record.e2e_ns / 1e6,
               "itl_max_ms": max(record.itl_ns) / 1e6 if record.itl_ns else None}
    return all(figures[k] is None or figures[k] <= limit for k, limit in slo.items())
