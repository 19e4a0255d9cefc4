"""Harness speed: is what ModelBenchmark reports what a bare timing loop would measure?

Rows (issue 2, "Speed"):
  * accuracy: for a ~10 µs function, the reported median per call is within 3 % of the
    median of a bare ``perf_counter_ns`` loop over the same function, and the reported mean
    within 5 % of ``timeit``'s per-call figure;
  * overhead: for a no-op model, the reported median is under 2x the cost of a bare pair
    of ``perf_counter_ns`` calls.
Rounds are interleaved (harness, bare loop, timeit); the median of the per-round ratios is
reported. Means are sensitive to other load on the machine; run it on a quiet one.
"""

from __future__ import annotations

import statistics
import time
import timeit

from common import Row

from modelbench import ModelBenchmark


def _busy(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def _ten_microseconds() -> int:
    """Loop length that makes ``_busy`` take about 10 µs here."""
    n = 200
    while True:
        per_call = min(timeit.repeat(f"busy({n})", globals={"busy": _busy}, number=200,
                                     repeat=3)) / 200
        if per_call >= 10e-6 or n > 10**6:
            return max(1, int(n * 10e-6 / per_call))
        n *= 2


def _bare_loop(fn, arg, calls: int) -> list[int]:
    pc = time.perf_counter_ns
    samples = []
    for _ in range(calls):
        t0 = pc()
        fn(arg)
        t1 = pc()
        samples.append(t1 - t0)
    return samples


def _timeit_per_call(fn, arg, calls: int) -> float:
    """timeit's figure (ns per call) over the same number of calls as the harness made."""
    timer = timeit.Timer("fn(arg)", globals={"fn": fn, "arg": arg})
    return timer.timeit(number=calls) / calls * 1e9


def rows(quick: bool = False) -> list[Row]:
    # Many short rounds: load from other processes comes in bursts of seconds, so the median
    # of many ~0.1 s rounds compares like with like.
    rounds, min_time = (10, 0.05) if quick else (40, 0.05)
    n = _ten_microseconds()

    def model(batch):
        return [_busy(n) for _ in batch]

    bench = ModelBenchmark(min_time=min_time, min_calls=100, warmup_time=0.01, isolate=False)
    tool_median, tool_mean, bare_median, timeit_mean = [], [], [], []
    for _ in range(rounds):
        result = bench.benchmark_model(model_name="busy", metric="exact_match", model_fn=model,
                                       inputs=[0], expected_outputs=[_busy(n)])
        tool_median.append(result["median_ms"] * 1e6)
        tool_mean.append(result["mean_ms"] * 1e6)
        bare_median.append(statistics.median(_bare_loop(model, [0], result["n_samples"])))
        timeit_mean.append(_timeit_per_call(model, [0], result["n_samples"]))
    # Ratios per round (the two figures of a round were measured seconds apart), then the
    # median round: a loaded machine moves means by tens of percent from one second to the next.
    med_ratio = statistics.median(t / b for t, b in zip(tool_median, bare_median, strict=True))
    mean_ratio = statistics.median(t / b for t, b in zip(tool_mean, timeit_mean, strict=True))

    def noop(batch):
        return batch

    pair = timeit.Timer("pc(); pc()", globals={"pc": time.perf_counter_ns})
    number, _ = pair.autorange()
    noop_medians, pair_costs = [], []
    for _ in range(rounds):
        result = bench.benchmark_model(model_name="noop", metric="exact_match", model_fn=noop,
                                       inputs=[0], expected_outputs=[0])
        noop_medians.append(result["median_ms"] * 1e6)
        pair_costs.append(min(pair.repeat(repeat=5, number=number)) / number * 1e9)
    overhead = statistics.median(n / p for n, p in zip(noop_medians, pair_costs, strict=True))
    return [
        Row("harness: median of a ~10 µs call", "bare perf_counter_ns loop (median)", med_ratio,
            "within 3%", abs(med_ratio - 1) <= 0.03,
            f"{statistics.median(tool_median):.0f} ns vs {statistics.median(bare_median):.0f} ns"),
        Row("harness: mean of a ~10 µs call", "timeit per-call mean", mean_ratio, "within 5%",
            abs(mean_ratio - 1) <= 0.05,
            f"{statistics.median(tool_mean):.0f} ns vs {statistics.median(timeit_mean):.0f} ns"),
        Row("harness: median reported for a no-op model",
            "a bare pair of perf_counter_ns calls (time ratio)", overhead, "< 2x", overhead < 2,
            f"{statistics.median(noop_medians):.0f} ns vs {statistics.median(pair_costs):.0f} ns"),
    ]


if __name__ == "__main__":
    for row in rows(quick=False):
        print(row)
