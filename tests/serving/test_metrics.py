"""The metric definitions on hand-made byte streams and timestamps (no network, no clock)."""

from __future__ import annotations

import json

import pytest

from modelbench.errors import ValidationError
from modelbench.measure.serving.metrics import (
    RequestRecord,
    StreamAccumulator,
    meets_slo,
    parse_slo,
)


def sse(payload) -> bytes:
    return f"data: {payload if isinstance(payload, str) else json.dumps(payload)}\n\n".encode()


def delta(content="", reasoning="", finish=None, usage=None) -> dict:
    d = {}
    if content:
        d["content"] = content
    if reasoning:
        d["reasoning_content"] = reasoning
    out = {"id": "x", "choices": [{"index": 0, "delta": d, "finish_reason": finish}]}
    if usage is not None:
        out["usage"] = usage
    return out


def stream(events: list[tuple[int, bytes]], start: int = 0, **finish) -> RequestRecord:
    acc = StreamAccumulator(start_ns=start, sent_ns=start)
    for t, data in events:
        acc.feed(data, t)
    return acc.finish(events[-1][0] if events else 0, **finish)


ROLE = sse({"id": "x", "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                    "finish_reason": None}]})
USAGE = sse({"id": "x", "choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 6,
                                                  "total_tokens": 13}})


def test_ttft_is_the_first_reasoning_or_content_token_not_the_role_chunk():
    r = stream([(10, ROLE), (50, sse(delta(reasoning="think"))), (80, sse(delta("a"))),
                (90, sse(delta(finish="stop"))), (91, sse("[DONE]"))])
    assert r.ok and r.ttft_ns == 50 and r.e2e_ns == 80
    assert r.reasoning_text == "think" and r.text == "a"


def test_a_multi_token_chunk_spreads_its_gap_over_its_tokens():
    r = stream([(0, ROLE), (100, sse(delta("a"))), (130, sse(delta("b c d"))),
                (150, sse(delta("e"))), (151, sse(delta(finish="stop"))), (152, sse("[DONE]"))])
    assert r.itl_ns == [10, 10, 10, 20]
    assert r.output_tokens == 5 and r.tokens_estimated
    assert r.tpot_ns == pytest.approx((150 - 100) / 4)


def test_tokens_from_usage_win_over_counting_and_reasoning_is_not_counted_twice():
    # 2 reasoning + 4 content tokens; usage says 6 (completion_tokens includes reasoning).
    r = stream([(0, ROLE), (100, sse(delta(reasoning="r1 r2"))), (120, sse(delta("a b"))),
                (140, sse(delta("c d", finish="stop"))), (141, USAGE), (142, sse("[DONE]"))])
    assert r.output_tokens == 6 and not r.tokens_estimated and r.input_tokens == 7
    assert sum(r.chunk_tokens) == 6 and len(r.itl_ns) == 4


def test_usage_rescales_per_chunk_counts_when_text_miscounts():
    usage = {"prompt_tokens": 1, "completion_tokens": 8, "total_tokens": 9}
    r = stream([(100, sse(delta("ab"))), (200, sse(delta("cd ef"))),
                (210, sse({"id": "x", "choices": [], "usage": usage})),
                (220, sse(delta(finish="stop"))), (230, sse("[DONE]"))])
    assert r.output_tokens == 8 and sum(r.chunk_tokens) == 8
    assert len(r.itl_ns) == 8 - r.chunk_tokens[0]


def test_continuous_usage_gives_exact_per_chunk_tokens():
    def u(n):
        return {"prompt_tokens": 1, "completion_tokens": n, "total_tokens": n + 1}

    r = stream([(100, sse(delta("x", usage=u(3)))), (160, sse(delta("y", usage=u(5)))),
                (161, sse(delta(finish="stop", usage=u(5)))), (162, sse("[DONE]"))])
    assert r.chunk_tokens == [3, 2] and r.itl_ns == [30, 30] and not r.tokens_estimated


def test_a_streamed_error_event_is_an_error_even_after_tokens_and_done():
    error = sse({"error": {"object": "error", "message": "engine died", "code": 500}})
    r = stream([(100, sse(delta("a"))), (120, error), (121, sse("[DONE]"))])
    assert not r.ok and r.error_kind == "stream_error" and "engine died" in r.error
    r = stream([(100, b'event: error\ndata: {"message": "boom"}\n\n')])
    assert not r.ok and "boom" in r.error


def test_a_stream_without_done_or_finish_reason_is_truncated():
    r = stream([(100, sse(delta("a"))), (120, sse(delta("b")))])
    assert not r.ok and r.error_kind == "truncated"
    r = stream([(100, sse(delta("a"))), (120, b'data: {"choices": [')])
    assert not r.ok and r.error_kind == "truncated"


def test_event_split_across_reads_is_stamped_when_its_last_byte_arrives():
    data = sse(delta("hello"))
    r = stream([(100, data[:7]), (140, data[7:]), (150, sse(delta(finish="stop"))),
                (151, sse("[DONE]"))])
    assert r.ttft_ns == 140


def test_two_events_in_one_read_share_the_arrival_time():
    r = stream([(100, sse(delta("a")) + sse(delta("b"))), (130, sse(delta("c"))),
                (131, sse(delta(finish="stop")) + sse("[DONE]"))])
    assert r.chunk_times_ns == [100, 100, 130] and r.itl_ns == [0, 30]


def test_completions_wire_format_and_crlf_lines():
    body = b'data: {"id":"c","choices":[{"text":"one two","finish_reason":null}]}\r\n\r\n' \
           b'data: {"id":"c","choices":[{"text":"","finish_reason":"length"}]}\r\n\r\n' \
           b"data: [DONE]\r\n\r\n"
    r = stream([(42, body)])
    assert r.ok and r.output_tokens == 2 and r.ttft_ns == 42 and r.response_id == "c"


def test_scheduled_start_counts_queueing_into_ttft_and_e2e():
    acc = StreamAccumulator(start_ns=0, sent_ns=500, scheduled_ns=0)
    acc.feed(sse(delta("a")), 600)
    acc.feed(sse(delta("b", finish="stop")) + sse("[DONE]"), 700)
    r = acc.finish(700)
    assert r.ttft_ns == 600 and r.e2e_ns == 700 and r.lag_ns == 500 and r.tpot_ns == 100


def test_goodput_slo_checks_and_errors_never_meet_an_slo():
    ok = RequestRecord(ok=True, chunk_times_ns=[40_000_000, 60_000_000], chunk_tokens=[1, 1],
                       output_tokens=2)
    assert meets_slo(ok, {"ttft_ms": 50, "tpot_ms": 20})
    assert not meets_slo(ok, {"ttft_ms": 30})
    assert not meets_slo(ok, {"tpot_ms": 19.9})
    failed = RequestRecord(ok=False, chunk_times_ns=[1], chunk_tokens=[1], output_tokens=1)
    assert not meets_slo(failed, {})


def test_parse_slo_names_bad_input():
    assert parse_slo({"ttft_ms": "500"}) == {"ttft_ms": 500.0}
    with pytest.raises(ValidationError, match="unknown SLO"):
        parse_slo("ttfb=3")
    with pytest.raises(ValidationError, match="NAME=MILLISECONDS"):
        parse_slo("ttft_ms")
