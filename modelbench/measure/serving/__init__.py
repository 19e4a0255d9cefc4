"""Serving benchmarks: streamed LLM latency (TTFT, TPOT, ITL, E2E) under defined load.

Targets (:mod:`.client`): an OpenAI-compatible endpoint, or an in-process generator.
Scenarios (:mod:`.scenarios`): single-stream, closed-loop concurrency, open-loop arrivals at a
rate (with an optional cap), offline, and :func:`find_peak`. Definitions of every figure are
in :mod:`.metrics`. Each scenario cell gives one :class:`~modelbench.records.Measurement`
whose result carries ``series_stats`` for ``ttft``, ``tpot``, ``itl`` and ``e2e``.

Example:
    >>> from modelbench.measure.serving import CallableTarget, Scenario, synthetic_prompts
    >>> from modelbench.measure.serving import measure_scenario
    >>> def model(prompt, max_tokens):
    ...     yield from range(max_tokens)
    >>> m = measure_scenario(CallableTarget(model, name="ids"),
    ...                      synthetic_prompts(4, input_tokens=2, output_tokens=5),
    ...                      Scenario(kind="concurrency", concurrency=2, requests=4))
    >>> m.result.extra["output_tokens_total"], sorted(m.samples)
    (20, ['e2e', 'itl', 'tpot', 'ttft'])
"""

from __future__ import annotations

from .client import CallableTarget, Endpoint, EndpointTarget, resolve_url
from .metrics import RequestRecord, StreamAccumulator, meets_slo, parse_slo
from .prompts import Prompt, PromptSet, load_prompts, score_answer, synthetic_prompts
from .scenarios import (
    Peak,
    Scenario,
    arrival_offsets_ns,
    find_peak,
    measure_scenario,
    run_requests,
    sweep,
)

__all__ = ["CallableTarget", "Endpoint", "EndpointTarget", "resolve_url", "RequestRecord",
           "StreamAccumulator", "meets_slo", "parse_slo", "Prompt", "PromptSet", "load_prompts",
           "score_answer", "synthetic_prompts", "Peak", "Scenario", "arrival_offsets_ns",
           "find_peak", "measure_scenario", "run_requests", "sweep"]
