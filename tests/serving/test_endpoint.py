"""Every metric against the injected truth of a local OpenAI/vLLM-format streaming server.

The truth is what the server did: the time it wrote each token chunk (same monotonic clock,
same machine) and how many tokens each carried. The tolerances bound how late bytes are seen
after they were written (a measurement property), never how fast anything runs.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

import numpy as np
import pytest

from modelbench.errors import ConfigError
from modelbench.measure.serving import (
    CallableTarget,
    Endpoint,
    EndpointTarget,
    Prompt,
    Scenario,
    find_peak,
    load_prompts,
    measure_scenario,
    run_requests,
    synthetic_prompts,
)

from .sse_server import Script, SSEServer

# Seeing bytes after the server wrote them: sub-millisecond on loopback; medians keep one
# descheduled thread on a shared 2-core machine from failing a test.
MEDIAN_TOLERANCE_NS = 5_000_000

SCRIPTS = {
    "reasoner": Script(ttft_s=0.03, itl_s=0.01, chunk_tokens=(1, 3, 2), reasoning_tokens=3,
                       output_tokens=12),
    "no-usage": Script(ttft_s=0.01, itl_s=0.005, chunk_tokens=(2,), usage=False,
                       output_tokens=8),
    "error-mid": Script(ttft_s=0.005, itl_s=0.002, error_after_chunks=2),
    "dropper": Script(ttft_s=0.005, itl_s=0.002, drop_after_chunks=2),
    "truncator": Script(ttft_s=0.005, itl_s=0.002, truncate_after_chunks=2),
    "limited": Script(ttft_s=0.005, itl_s=0.002, rate_limit_first=1, retry_after_s=0.05),
    "busy": Script(ttft_s=0.08, itl_s=0.004, output_tokens=4),
}


@pytest.fixture(scope="module")
def server():
    with SSEServer(Script(ttft_s=0.005, itl_s=0.002), scripts=SCRIPTS) as s:
        yield s


@pytest.fixture
def srv(server):
    server.reset()
    return server


def target(srv, model: str, transport: str = "stdlib", **options) -> EndpointTarget:
    return EndpointTarget(Endpoint(srv.url, model, **options), transport=transport)


#: the ways a request can go: thread driver per transport, asyncio per transport
WAYS = ["stdlib", "httpx", "asyncio-stdlib", "asyncio-httpx"]


def send(t: EndpointTarget, prompt: Prompt):
    """One request the way ``t`` was made for (``asyncio-*``: on a fresh event loop)."""
    if not getattr(t, "on_asyncio", False):
        return t.request(prompt)

    async def go():
        try:
            return await t.arequest(prompt)
        finally:
            await t.aclose()

    return asyncio.run(go())


def way_target(srv, model: str, way: str, **options) -> EndpointTarget:
    t = target(srv, model, way.removeprefix("asyncio-"), **options)
    t.on_asyncio = way.startswith("asyncio-")
    return t


def truth_errors(srv, record) -> list[int]:
    log = srv.log[record.response_id]
    assert record.chunk_tokens == log.chunk_tokens
    return [m - t for m, t in zip(record.chunk_times_ns, log.chunk_times_ns, strict=True)]


@pytest.mark.parametrize("way", WAYS)
def test_chat_stream_with_reasoning_and_multi_token_chunks_matches_the_truth(srv, way):
    t = way_target(srv, "reasoner", way)
    records = [send(t, Prompt(text="say something long")) for _ in range(3)]
    for r in records:
        log = srv.log[r.response_id]
        assert r.ok and r.output_tokens == 15 and not r.tokens_estimated
        assert r.reasoning_text.startswith("t0 t1 t2") and r.text.startswith("t3 ")
        assert r.input_tokens == 3
        errors = truth_errors(srv, r)
        assert all(e >= 0 for e in errors)  # seen after written: stamps are not invented
        assert statistics.median(errors) < MEDIAN_TOLERANCE_NS
        # TTFT is the first *reasoning* chunk; E2E the last token chunk (not [DONE]).
        assert r.ttft_ns == log.chunk_times_ns[0] + errors[0] - r.sent_ns
        # ITL: one value per token after the first chunk, the gap spread over the chunk.
        true_itl = [(b - a) / n for a, b, n in zip(log.chunk_times_ns, log.chunk_times_ns[1:],
                                                    log.chunk_tokens[1:], strict=False)
                    for _ in range(n)]
        assert len(r.itl_ns) == 15 - log.chunk_tokens[0] == len(true_itl)
        assert statistics.median(abs(a - b) for a, b in zip(r.itl_ns, true_itl, strict=True)) \
            < MEDIAN_TOLERANCE_NS
        true_tpot = (log.chunk_times_ns[-1] - log.chunk_times_ns[0]) / 14
        assert abs(r.tpot_ns - true_tpot) < MEDIAN_TOLERANCE_NS


def test_without_usage_tokens_are_counted_and_marked_estimated(srv):
    r = target(srv, "no-usage").request(Prompt(text="x"))
    assert r.ok and r.output_tokens == 8 and r.tokens_estimated and r.chunk_tokens == [2] * 4


def test_continuous_usage_and_completions_api(srv):
    r = target(srv, "m", continuous_usage=True, max_tokens=5).request(Prompt(text="a b"))
    assert r.ok and r.output_tokens == 5 and not r.tokens_estimated
    assert srv.requests[-1]["stream_options"] == {"include_usage": True,
                                                  "continuous_usage_stats": True}
    r = target(srv, "m", api="completions", max_tokens=4).request(Prompt(text="a b c"))
    assert r.ok and r.output_tokens == 4 and r.response_id.startswith("cmpl-")
    assert srv.requests[-1]["prompt"] == "a b c"


def test_the_server_honours_max_completion_tokens_and_logs_x_request_id(srv):
    # AIPerf and GuideLLM send OpenAI's newer field, not max_tokens (benchmarks/peers_serving)
    import http.client
    import json
    import re

    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("POST", "/v1/chat/completions", body=json.dumps(
        {"model": "m", "stream": True, "max_completion_tokens": 7,
         "messages": [{"role": "user", "content": "a"}]}), headers={"X-Request-ID": "r-1"})
    body = conn.getresponse().read().decode()
    assert re.findall(r"\bt\d+ ", body) == [f"t{i} " for i in range(7)]
    conn.close()
    log = list(srv.log.values())[-1]
    assert log.chunk_tokens == [1] * 7 and log.request_id == "r-1"  # matched to AIPerf's


@pytest.mark.parametrize("model, kind", [("error-mid", "stream_error"),
                                         ("dropper", "connection"),
                                         ("truncator", "truncated")])
def test_failed_streams_are_errors_never_successes(srv, model, kind):
    for way in WAYS:
        r = send(way_target(srv, model, way), Prompt(text="x"))
        assert not r.ok and r.error_kind == kind, (way, r.error)
    m = measure_scenario(target(srv, model), synthetic_prompts(2, input_tokens=2,
                                                               output_tokens=6),
                         Scenario(kind="concurrency", concurrency=2, requests=4),
                         slo={"ttft_ms": 10_000})
    extra = m.result.extra
    assert extra["error_rate"] == 1.0 and extra["goodput"] == 0.0 and extra["errors"] == {kind: 4}
    assert m.result.status == "error" and m.samples == {}


@pytest.mark.parametrize("way", WAYS)
def test_429_is_an_error_unless_retried_after_retry_after(srv, way):
    r = send(way_target(srv, "limited", way), Prompt(text="x"))
    assert not r.ok and r.http_status == 429 and r.error == "HTTP 429: rate limited"
    srv.reset()
    begin = time.perf_counter_ns()
    r = send(way_target(srv, "limited", way, retries=1), Prompt(text="x"))
    assert r.ok and r.http_status == 200
    assert r.ttft_ns >= 50_000_000  # the Retry-After wait counts, from the first send
    assert r.start_ns >= begin


def test_api_key_comes_from_the_environment_and_is_never_recorded(srv, monkeypatch):
    monkeypatch.setenv("MY_PLAN_KEY", "sk-secret-123")
    t = target(srv, "m", api_key_env="MY_PLAN_KEY")
    m = measure_scenario(t, synthetic_prompts(1, input_tokens=2, output_tokens=2),
                         Scenario(kind="single-stream", requests=2))
    send(way_target(srv, "m", "asyncio-stdlib", api_key_env="MY_PLAN_KEY"), Prompt(text="x"))
    assert set(srv.authorizations) == {"Bearer sk-secret-123"} and len(srv.authorizations) == 5
    assert "sk-secret" not in repr(m.result.to_dict()) + repr(t.endpoint) + repr(t.describe())


def test_closed_loop_concurrency_holds_n_in_flight_and_warms_up_at_n(srv):
    prompts = synthetic_prompts(8, input_tokens=4, output_tokens=4, seed=3)
    m = measure_scenario(target(srv, "busy"), prompts,
                         Scenario(kind="concurrency", concurrency=4, requests=12))
    assert srv.max_active == 4
    assert len(srv.requests) == 4 + 12  # warm-up at the scenario's concurrency, then 12
    res = m.result
    assert res.params == {"scenario": "concurrency", "concurrency": 4, "requests": 12,
                          "warmup": 4, "seed": 0}
    assert set(res.series_stats) == {"ttft", "tpot", "itl", "e2e"}
    assert res.series_stats["ttft"]["n_samples"] == 12
    assert res.series_stats["itl"]["n_samples"] == 12 * 3
    assert res.extra["output_tokens_total"] == 48 and res.extra["error_rate"] == 0
    assert res.latency.median_ms == res.series_stats["e2e"]["median_ms"]
    values, runs = m.samples["itl"]
    assert values.dtype == np.int64 and runs.tolist() == [0] * 36
    # ttft ~ the injected 20 ms: a sanity bound, far from any speed goal
    assert 75 < res.series_stats["ttft"]["median_ms"] < 500


def test_open_loop_latency_counts_from_the_scheduled_time_behind_a_cap(srv):
    prompts = synthetic_prompts(4, input_tokens=2, output_tokens=4)
    # 200 req/s offered, 1 in flight: requests queue behind the cap, and that wait is latency.
    scenario = Scenario(kind="rate", rate=200, arrival="constant", max_concurrency=1,
                        requests=6, warmup=1)
    records = run_requests(target(srv, "busy"), prompts.prompts * 2, scenario)[:6]
    assert srv.max_active == 1
    for r in records:
        assert r.ok and r.ttft_ns == r.chunk_times_ns[0] - r.scheduled_ns
        assert r.ready_ns >= r.scheduled_ns and r.sent_ns >= r.ready_ns
    waits = [r.ready_ns - r.scheduled_ns for r in records]
    assert waits[-1] > waits[1] > 0  # the queue grows: the cap does not hide it
    offsets = [r.scheduled_ns - records[0].scheduled_ns for r in records]
    assert offsets == [k * 5_000_000 for k in range(6)]


@pytest.mark.parametrize("driver", ["thread", "asyncio"])
def test_open_loop_poisson_reports_schedule_lag_and_rates(srv, driver):
    prompts = synthetic_prompts(4, input_tokens=2, output_tokens=2)
    m = measure_scenario(target(srv, "m", "httpx" if driver == "asyncio" else "stdlib"),
                         prompts,
                         Scenario(kind="rate", rate=50, arrival="poisson", requests=20, seed=5),
                         slo={"ttft_ms": 10_000}, driver=driver)
    extra = m.result.extra
    assert extra["goodput"] == 1.0 and extra["requests_ok"] == 20
    assert m.result.params["rate"] == 50 and m.result.params["arrival"] == "poisson"
    lag = extra["schedule_lag_ms"]
    # never before the scheduled time (requests are handed over early and wait it out); how
    # late is a measurement of the machine (benchmarks/bench_serving.py), not asserted here
    assert 0 <= lag["p50"] <= lag["p99"] <= lag["max"]
    assert extra["requests_per_s"] > 0 and extra["output_tokens_per_s"] > 0
    assert extra["sender"] == ("process" if driver == "thread" else "worker")
    assert extra["gil_switch_interval_s"] <= 0.0002


@pytest.mark.parametrize("driver", ["thread", "asyncio"])
def test_open_loop_sends_from_the_sender_process_at_the_scheduled_times(srv, driver):
    prompts = synthetic_prompts(4, input_tokens=2, output_tokens=2)
    scenario = Scenario(kind="rate", rate=100, arrival="constant", requests=8, warmup=1)
    info: dict = {}
    t = target(srv, "m")
    records = run_requests(t, prompts.prompts * 2, scenario, info=info, driver=driver)
    t.close()
    assert info == {"sender": "process", "sender_realtime": False}
    assert all(r.ok for r in records) and len(srv.requests) == 8
    for r in records:  # the send time is the sender's report: at or after the schedule
        assert r.sent_ns >= r.scheduled_ns == r.start_ns and r.ready_ns == r.scheduled_ns
    offsets = [r.scheduled_ns - records[0].scheduled_ns for r in records]
    assert offsets == [k * 10_000_000 for k in range(8)]
    # every request reached the server after its scheduled time, none before
    received = sorted(log.received_ns for log in srv.log.values())
    assert all(t >= r.scheduled_ns for t, r in zip(received, records, strict=True))


def test_asyncio_driver_measures_the_same_stream(srv):
    prompts = synthetic_prompts(2, input_tokens=2, output_tokens=12)
    m = measure_scenario(target(srv, "reasoner"), prompts,
                         Scenario(kind="concurrency", concurrency=3, requests=6),
                         driver="asyncio")
    assert srv.max_active == 3 and m.result.extra["driver"] == "asyncio"
    assert m.result.series_stats["itl"]["n_samples"] == 6 * (15 - 1)
    assert m.result.extra["output_tokens_total"] == 6 * 15


def test_offline_sends_everything_at_once(srv):
    prompts = synthetic_prompts(3, input_tokens=2, output_tokens=3)
    m = measure_scenario(target(srv, "busy"), prompts,
                         Scenario(kind="offline", requests=6))
    assert m.result.params["warmup"] == 6  # warm-up as wide as the scenario
    assert srv.max_active == 6 and m.result.extra["requests_ok"] == 6


def test_references_are_scored_per_item(tmp_path: Path, srv):
    path = tmp_path / "qa.jsonl"
    path.write_text('{"prompt": "p1", "reference": "t0 t1"}\n'
                    '{"prompt": "p2", "reference": "nope"}\n', encoding="utf-8")
    prompts = load_prompts(path, scoring="exact")
    m = measure_scenario(target(srv, "m", max_tokens=2), prompts,
                         Scenario(kind="single-stream", requests=2))
    assert m.result.metric == "exact" and m.result.score == 0.5
    assert m.item_values.tolist() == [1.0, 0.0]
    assert m.item_predictions[0] == {"item": "0", "text": "t0 t1 "}


def test_prompt_files_name_their_bad_rows(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"prompt": "ok"}\n{oops\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.jsonl:2"):
        load_prompts(bad)
    csv_file = tmp_path / "p.csv"
    csv_file.write_text("prompt,reference,max_tokens\nhello,world,5\n", encoding="utf-8")
    ps = load_prompts(csv_file)
    assert ps.prompts[0].reference == "world" and ps.prompts[0].max_tokens == 5


def test_callable_target_streams_text_ids_and_failures():
    def model(prompt, max_tokens):
        yield "Hello,"
        yield [5, 6, 7]
        yield 8

    r = CallableTarget(model, name="local").request(Prompt(text="x"))
    assert r.ok and r.chunk_tokens == [2, 3, 1] and r.output_tokens == 6

    def broken(prompt):
        yield 1
        raise RuntimeError("CUDA OOM")

    r = CallableTarget(broken, name="broken").request(Prompt(text="x"))
    assert not r.ok and r.error_kind == "target" and "CUDA OOM" in r.error


def test_find_peak_finds_the_highest_concurrency_meeting_the_slo():
    import threading

    slots = threading.Semaphore(2)  # a model that serves two streams at once; more queue

    def model(prompt, max_tokens):
        with slots:
            time.sleep(0.2)
            yield 1

    # Served at once: TTFT ~200 ms; queued behind two streams: ~400 ms. The SLO sits between
    # with 100 ms either side, so a descheduled thread does not move the answer.
    peak = find_peak(CallableTarget(model, name="two-slots"),
                     synthetic_prompts(4, input_tokens=2, output_tokens=1),
                     Scenario(kind="concurrency", requests=4), {"ttft_ms": 300},
                     axis="concurrency", goodput_target=0.99)
    tried = [m.result.params["concurrency"] for m in peak.measurements]
    assert peak.value == 2 and tried == [1, 2, 4, 3]


def test_asyncio_driver_does_not_cap_a_callable_at_the_default_executor_size():
    import threading

    lock, active, peak = threading.Lock(), [0], [0]

    def model(prompt, max_tokens):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.1)
        yield "a b"
        with lock:
            active[0] -= 1

    m = measure_scenario(CallableTarget(model, name="wide"),
                         synthetic_prompts(4, input_tokens=2, output_tokens=2),
                         Scenario(kind="concurrency", concurrency=12, requests=12),
                         driver="asyncio")
    assert peak[0] == 12
    assert m.result.extra["input_tokens_estimated"]  # no usage: counted from the prompt
    assert m.result.extra["input_tokens_total"] == 12 * 2
