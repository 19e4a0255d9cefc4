"""Opt-in: modelbench, AIPerf and GuideLLM measuring the same streaming server side by side.

Each tool runs in its own process against a fresh copy of the project's deterministic test
server (``tests/serving/sse_server.py``: TTFT 50 ms, 20 ms between chunks of 1 and 3 tokens,
24 output tokens, streaming ``/v1/chat/completions``) at the same load: closed loop at
concurrency 1, 16 and 64, a fixed request count. For each tool and metric it prints

* the error of the p50 and p99 the tool reports against the truth: the server's logged write
  time of every token chunk (TTFT and E2E from the moment the server read the request; TPOT
  = (last − first chunk) / (tokens − 1); ITL per token, a chunk's gap spread over its tokens).
  Each tool's figure is the field it shows under that name, and percentiles are taken here,
  with numpy, over the per-request values it exports: AIPerf's ``profile_export.jsonl``,
  GuideLLM's ``--output kind=json`` requests, our records. The first ``concurrency``
  requests by start time (connection set-up) are left out of every tool's values and of the
  truth alike;
* its reported throughput (requests/s) over the server's (all requests / the server's span);
* client CPU: CPU-seconds per request of the tool's whole process tree (``/proc``, sampled
  every 20 ms) over the window the server saw the measured requests in, and the whole run's
  CPU including start-up (``wait4`` rusage), each with its ratio to ours.

Not in CI and not in ``benchmarks/run.py`` (the file is not ``bench_*``); neither tool is a
dependency of the project. Each lives in its own virtual environment, reusing the machine's
CPU torch 2.13.0 and transformers through ``--system-site-packages`` (GuideLLM requires
``torch``; pinning it keeps pip from fetching a CUDA build and its nvidia-* wheels; AIPerf
needs no torch)::

    echo torch==2.13.0 > /tmp/peer-constraints.txt
    python -m venv --system-site-packages /tmp/aiperf-venv
    /tmp/aiperf-venv/bin/pip install -c /tmp/peer-constraints.txt aiperf==0.13.0
    python -m venv --system-site-packages /tmp/guidellm-venv
    /tmp/guidellm-venv/bin/pip install -c /tmp/peer-constraints.txt guidellm==0.8.1

(seen here: 70 packages, 484 MB for AIPerf; 24 packages, 83 MB for GuideLLM; no nvidia-*
wheel but the 0.2 MB ``nvidia-ml-py`` bindings). Both need a tokenizer, offline: this script
writes a word-level one (``tN`` is one token, as the server counts) into a temporary folder.
AIPerf loads a local tokenizer folder only with ``HF_HUB_OFFLINE`` unset (with it set it
takes the path for a hub repo id: "HFValidationError: Repo id must be in the form
'repo_name'..."); nothing here reaches a network either way.

Run::

    python benchmarks/peers_serving.py --aiperf-python /tmp/aiperf-venv/bin/python \\
        --guidellm-python /tmp/guidellm-venv/bin/python [--quick]

A tool whose interpreter is not given, or lacks the package, is skipped with a message.
``--quick`` takes about 5 minutes on 2 quiet cores (each peer spends about a minute
starting up per cell), the default about 10–15.

Seen here (2026-12-02, ``--quick``, load 0.2–5): ours within 0.05 ms p99 of the write times
at every concurrency (first-token stamps), the peers 2–160 ms; at 64 streams AIPerf's
first-token stamps are late by 49 ms (p50) and GuideLLM sends 239 ms (p50) after its own
start stamp; both take 8–90× our CPU per request. Their "ITL" is a per-request mean (our
TPOT), so it misses the per-token spread of multi-token chunks; GuideLLM's "TPOT" includes
the first token's wait and its requests/s is a mean of rates over time (1.3–6.9× the
server's).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from bench_serving import ServerProcess  # noqa: E402

METRICS = ("ttft", "tpot", "itl", "e2e")
TTFT_MS, ITL_MS, CHUNKS, INPUT_TOKENS, OUTPUT_TOKENS = 50, 20, "1,3", 8, 24
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- the truth ---------------------------------------------------------------------------------
def truth(log: dict, skip: int) -> tuple[dict[str, np.ndarray], tuple[int, int], float]:
    """Per-metric truth in ms (the first ``skip`` requests by arrival left out), the window
    (ns) the measured requests were served in, and the server's requests/s over all."""
    streams = sorted(log.values(), key=lambda s: s["received_ns"])
    out: dict[str, list[float]] = {k: [] for k in METRICS}
    for s in streams[skip:]:
        times, tokens, got = s["chunk_times_ns"], s["chunk_tokens"], s["received_ns"]
        n = sum(tokens)
        out["ttft"].append((times[0] - got) / 1e6)
        out["e2e"].append((times[-1] - got) / 1e6)
        out["tpot"].append((times[-1] - times[0]) / (n - 1) / 1e6)
        out["itl"].extend((b - a) / k / 1e6 for a, b, k in zip(times, times[1:], tokens[1:],
                                                               strict=False) for _ in range(k))
    window = (streams[skip]["received_ns"], max(s["chunk_times_ns"][-1] for s in streams))
    span = max(s["chunk_times_ns"][-1] for s in streams) - streams[0]["received_ns"]
    return {k: np.asarray(v) for k, v in out.items()}, window, len(streams) / (span / 1e9)


def wall_offset_ns() -> float:
    """``time.time_ns() − time.perf_counter_ns()``, from the tightest of 50 paired reads."""
    best = None
    for _ in range(50):
        a = time.perf_counter_ns()
        wall = time.time_ns()
        b = time.perf_counter_ns()
        if best is None or b - a < best[0]:
            best = (b - a, wall - (a + b) / 2)
    return best[1]


def stamp_errors(reading: Reading, log: dict, skip: int, offset_ns: float
                 ) -> dict[str, tuple[float, float]]:
    """Per request matched to the server's log by id (the first ``skip`` by start left out):
    p50/p99 ms of |first token seen − first chunk written|, the same for the last token,
    and the wait from the tool's start stamp to the server reading the request."""
    by_id = {s["id"]: s for s in log.values()}  # response ids, and X-Request-IDs (AIPerf)
    by_id |= {s["request_id"]: s for s in log.values() if s["request_id"]}
    out: dict[str, list[float]] = {"first": [], "last": [], "start_to_read": []}
    for rid, start, first, last in sorted(reading.stamps, key=lambda x: x[1])[skip:]:
        s = by_id.get(rid)
        if s is None:
            continue
        out["first"].append(abs(first - offset_ns - s["chunk_times_ns"][0]) / 1e6)
        out["last"].append(abs(last - offset_ns - s["chunk_times_ns"][-1]) / 1e6)
        out["start_to_read"].append((s["received_ns"] - (start - offset_ns)) / 1e6)
    return {k: (float(np.percentile(v, 50)), float(np.percentile(v, 99))) if v
            else (float("nan"), float("nan")) for k, v in out.items()}


# -- CPU of a process tree ---------------------------------------------------------------------
def tree_cpu_s(root: int) -> float:
    """User + system CPU seconds of ``root`` and its living descendants, from ``/proc``."""
    parent, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parent.items() if pp == pid and p not in tree]
        tree.update(kids)
        frontier.extend(kids)
    return sum(cpu.get(p, 0.0) for p in tree)


@dataclass
class Sampler:
    """``tree_cpu_s(pid)`` every 20 ms, with ``time.perf_counter_ns`` (the server's clock)."""

    pid: int
    samples: list[tuple[int, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.samples.append((time.perf_counter_ns(), tree_cpu_s(self.pid)))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def between(self, begin_ns: int, end_ns: int) -> float:
        """CPU seconds spent from ``begin_ns`` to ``end_ns`` (interpolated)."""
        t = np.array([s[0] for s in self.samples], dtype=float)
        c = np.array([s[1] for s in self.samples])
        return float(np.interp(end_ns, t, c) - np.interp(begin_ns, t, c))


def run_tool(cmd: list[str], env: dict[str, str] | None = None,
             timeout_s: float = 900) -> tuple[Sampler, float, str]:
    """Run ``cmd`` with its CPU sampled; (sampler, whole-run CPU s of the tree, output tail)."""
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    sampler = Sampler(proc.pid)
    deadline = time.monotonic() + timeout_s
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop()
    log.seek(0)
    tail = log.read()[-3000:]
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} exited {proc.returncode}: {tail}")
    return sampler, usage.ru_utime + usage.ru_stime, tail


# -- the tools ---------------------------------------------------------------------------------
@dataclass
class Reading:
    """What one tool reported: per-request values (ms) per metric, in start order, and its
    throughput (requests/s)."""

    starts: list[float]
    values: dict[str, list[float]]
    requests_per_s: float
    output_tokens: list[int]
    #: per request: (the id the server logged, when the tool started it, saw the first and
    #: the last token), ns on the wall clock, or on perf_counter for ours
    stamps: list[tuple[str, float, float, float]] = field(default_factory=list)
    #: GuideLLM only: its successful requests over its benchmark's duration (its reported
    #: "Requests Per Sec Mean" is a mean of rates over time, not that)
    requests_per_s_span: float | None = None

    def measured(self, skip: int) -> dict[str, np.ndarray]:
        order = np.argsort(self.starts)[skip:]
        out = {}
        for k, v in self.values.items():
            if k == "itl" and v and isinstance(v[0], list):  # per token, ours
                out[k] = np.asarray([x for i in order for x in v[i]])
            else:
                out[k] = np.asarray(v)[order]
        return out


def write_tokenizer(folder: Path) -> Path:
    """A word-level tokenizer for the test server's words (``tN`` is one token), offline."""
    vocab = {"[UNK]": 0, "[PAD]": 1} | {f"t{i}": i + 2 for i in range(4096)}
    special = [{"id": i, "content": w, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True} for i, w in enumerate(("[UNK]", "[PAD]"))]
    spec = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": special,
            "normalizer": None, "pre_tokenizer": {"type": "WhitespaceSplit"},
            "post_processor": None,
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
            "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"}}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tokenizer.json").write_text(json.dumps(spec))
    (folder / "tokenizer_config.json").write_text(json.dumps(
        {"tokenizer_class": "PreTrainedTokenizerFast", "unk_token": "[UNK]",
         "pad_token": "[PAD]", "model_max_length": 1 << 20}))
    return folder


def ours_cmd(url: str, concurrency: int, requests: int, out: Path) -> list[str]:
    return [sys.executable, __file__, "--ours-child", url, str(concurrency), str(requests),
            str(out)]


def ours_child(url: str, concurrency: int, requests: int, out: str) -> None:
    """modelbench's default client (threads, http.client, kernel stamps), no warm-up."""
    from modelbench.measure.serving import (
        Endpoint,
        EndpointTarget,
        Scenario,
        run_requests,
        synthetic_prompts,
    )

    target = EndpointTarget(Endpoint(url, "m", max_tokens=OUTPUT_TOKENS))
    prompts = synthetic_prompts(16, input_tokens=INPUT_TOKENS, output_tokens=OUTPUT_TOKENS)
    batch = (prompts.prompts * (requests // 16 + 1))[:requests]
    records = run_requests(target, batch, Scenario(kind="concurrency", concurrency=concurrency,
                                                   requests=requests))
    target.close()
    ok = [r for r in records if r.ok]
    wall = max(r.end_ns for r in records) - min(r.start_ns for r in records)
    Path(out).write_text(json.dumps({
        "starts": [r.start_ns for r in ok], "requests_per_s": len(ok) / (wall / 1e9),
        "output_tokens": [r.output_tokens for r in ok],
        "stamps": [(r.response_id, r.start_ns, r.chunk_times_ns[0], r.chunk_times_ns[-1])
                   for r in ok],
        "values": {"ttft": [r.ttft_ns / 1e6 for r in ok], "tpot": [r.tpot_ns / 1e6 for r in ok],
                   "itl": [[x / 1e6 for x in r.itl_ns] for r in ok],
                   "e2e": [r.e2e_ns / 1e6 for r in ok]}}))


def read_ours(out: Path) -> Reading:
    return Reading(**json.loads(out.read_text()))


def aiperf_cmd(python: str, url: str, concurrency: int, requests: int, out: Path,
               tokenizer: Path) -> list[str]:
    return [python, "-m", "aiperf", "profile", "--model", "m", "--url", url,
            "--endpoint-type", "chat", "--streaming", "--concurrency", str(concurrency),
            "--request-count", str(requests), "--prompt-input-tokens-mean", str(INPUT_TOKENS),
            "--prompt-output-tokens-mean", str(OUTPUT_TOKENS), "--tokenizer", str(tokenizer),
            "--use-server-token-count", "--output-artifact-dir", str(out), "--ui-type", "none",
            "--no-gpu-telemetry", "--no-server-metrics", "--random-seed", "1"]


def read_aiperf(out: Path) -> Reading:
    """``profile_export.jsonl``: AIPerf's "Inter Token Latency" is per request,
    (e2e − ttft)/(tokens − 1), our TPOT; it is its only ITL (it names no TPOT)."""
    rows = [json.loads(line) for line in (out / "profile_export.jsonl").read_text().splitlines()]
    rows = [r for r in rows if "time_to_first_token" in r["metrics"]]
    m = [r["metrics"] for r in rows]
    itl = [x["inter_token_latency"]["value"] for x in m]
    summary = json.loads((out / "profile_export_aiperf.json").read_text())
    return Reading(starts=[r["metadata"]["request_start_ns"] for r in rows],
                   values={"ttft": [x["time_to_first_token"]["value"] for x in m],
                           "tpot": itl, "itl": itl,
                           "e2e": [x["request_latency"]["value"] for x in m]},
                   requests_per_s=summary["request_throughput"]["avg"],
                   output_tokens=[x["output_token_count"]["value"] for x in m],
                   stamps=[_aiperf_stamps(r) for r in rows])


def _aiperf_stamps(row: dict) -> tuple[str, float, float, float]:
    """X-Request-ID, start, first token = start + TTFT, last = that + its chunk gaps."""
    start, m = row["metadata"]["request_start_ns"], row["metrics"]
    first = start + m["time_to_first_token"]["value"] * 1e6
    return (row["metadata"]["x_request_id"], start, first,
            first + sum(m["inter_chunk_latency"]["value"]) * 1e6)


def guidellm_cmd(python: str, url: str, concurrency: int, requests: int, out: Path,
                 tokenizer: Path) -> list[str]:
    return [python, "-m", "guidellm", "run",
            "--backend", f"kind=openai_http,target={url},model=m,"
                         "request_format=/v1/chat/completions",
            "--profile", f"kind=concurrent,streams={concurrency}",
            "--constraint", f"kind=max_requests,count={requests}",
            "--data", f"kind=synthetic_text,prompt_tokens={INPUT_TOKENS},"
                      f"output_tokens={OUTPUT_TOKENS}",
            "--tokenizer", f"kind=huggingface_auto,model={tokenizer}",
            "--output", f"kind=json,path={out / 'guidellm.json'}",
            "--disable-console-interactive"]


def read_guidellm(out: Path) -> Reading:
    """GuideLLM's JSON: its "TPOT" is e2e / tokens (first token's wait included) and its
    "ITL" is per request, (e2e − ttft)/(tokens − 1)."""
    bench = json.loads((out / "guidellm.json").read_text())["benchmarks"][0]
    rows = bench["requests"]["successful"]
    return Reading(starts=[r["request_start_time"] for r in rows],
                   values={"ttft": [r["time_to_first_token_ms"] for r in rows],
                           "tpot": [r["time_per_output_token_ms"] for r in rows],
                           "itl": [r["inter_token_latency_ms"] for r in rows],
                           "e2e": [r["request_latency"] * 1e3 for r in rows]},
                   requests_per_s=bench["metrics"]["requests_per_second"]["successful"]["mean"],
                   output_tokens=[r["output_tokens"] for r in rows],
                   requests_per_s_span=len(rows) / bench["duration"],
                   stamps=[(r["response_id"], r["request_start_time"] * 1e9,
                            r["info"]["timings"]["first_token_iteration"] * 1e9,
                            r["info"]["timings"]["last_token_iteration"] * 1e9) for r in rows])


# -- one cell: a tool at a concurrency --------------------------------------------------------
def measure(tool: str, python: str | None, concurrency: int, requests: int,
            tokenizer: Path) -> dict:
    """Run ``tool`` against a fresh server; its errors vs the truth, throughput and CPU."""
    with tempfile.TemporaryDirectory() as tmp, \
            ServerProcess("--ttft-ms", str(TTFT_MS), "--itl-ms", str(ITL_MS),
                          "--chunk", CHUNKS) as server:
        out = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
        if tool == "modelbench":
            cmd, read = ours_cmd(server.url, concurrency, requests, out / "ours.json"), \
                lambda: read_ours(out / "ours.json")
            env["PYTHONPATH"] = str(REPO)
        elif tool == "aiperf":
            cmd, read = aiperf_cmd(python, server.url, concurrency, requests, out, tokenizer), \
                lambda: read_aiperf(out)
        else:
            cmd, read = (guidellm_cmd(python, server.url, concurrency, requests, out,
                                      tokenizer), lambda: read_guidellm(out))
        sampler, total_cpu, _ = run_tool(cmd, env)
        reading = read()
        log = server.log()
        true, window, true_rps = truth(log, concurrency)
    offset = 0 if tool == "modelbench" else wall_offset_ns()
    stamps = stamp_errors(reading, log, concurrency, offset)
    got = reading.measured(concurrency)
    errors = {k: (abs(float(np.percentile(got[k], 50) - np.percentile(true[k], 50))),
                  abs(float(np.percentile(got[k], 99) - np.percentile(true[k], 99))))
              for k in METRICS}
    measured_n = requests - concurrency
    return {"tool": tool, "concurrency": concurrency, "requests": len(reading.starts),
            "tokens_ok": all(t == OUTPUT_TOKENS for t in reading.output_tokens),
            "errors": errors,
            "reported": {k: (float(np.percentile(got[k], 50)), float(np.percentile(got[k], 99)))
                         for k in METRICS},
            "truth": {k: (float(np.percentile(true[k], 50)), float(np.percentile(true[k], 99)))
                      for k in METRICS},
            "rps_ratio": reading.requests_per_s / true_rps,
            "rps_span_ratio": None if reading.requests_per_s_span is None
            else reading.requests_per_s_span / true_rps,
            "stamps": stamps,
            "cpu_per_request": sampler.between(*window) / measured_n,
            "cpu_total": total_cpu}


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} CPUs"


def print_cell(row: dict, ours: dict | None) -> None:
    errs = "  ".join(f"{k} {row['errors'][k][0]:7.3f}/{row['errors'][k][1]:7.3f}"
                     for k in METRICS)
    ratio = ""
    if ours is not None and row is not ours:
        ratio = (f"  cpu/req ×{row['cpu_per_request'] / max(ours['cpu_per_request'], 1e-9):.1f}"
                 f"  run cpu ×{row['cpu_total'] / max(ours['cpu_total'], 1e-9):.1f}"
                 f"  worst p99 err ×{_worst(row) / max(_worst(ours), 1e-9):.1f}")
    print(f"c={row['concurrency']:<3} {row['tool']:<10} n={row['requests']:<4} "
          f"tokens {'ok' if row['tokens_ok'] else 'WRONG'}  |err| p50/p99 ms: {errs}  "
          f"req/s vs server {row['rps_ratio']:.3f}"
          + ("" if row["rps_span_ratio"] is None else f" (n/duration {row['rps_span_ratio']:.3f})")
          + "  stamps |seen − written| p50/p99 ms: " + "  ".join(
              f"{k} {v[0]:.3f}/{v[1]:.3f}" for k, v in row["stamps"].items())
          + f"  cpu/req {row['cpu_per_request'] * 1e3:.2f} ms"
          f"  run cpu {row['cpu_total']:.1f} s{ratio}  [{_load()}]", flush=True)


def _worst(row: dict) -> float:
    return max(row["errors"][k][1] for k in METRICS)


def _usable(tool: str, python: str | None) -> str | None:
    """Why ``tool`` cannot run with ``python``, or None."""
    if not python:
        return f"--{tool}-python not given (see this module's docstring for the venv)"
    if not Path(python).exists():
        return f"{python} does not exist"
    probe = subprocess.run([python, "-c", f"import {tool}"], capture_output=True, text=True)
    return None if probe.returncode == 0 else f"{python} cannot import {tool}: " \
        f"{probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else probe.returncode}"


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--ours-child":
        url, c, n, out = sys.argv[2:6]
        ours_child(url, int(c), int(n), out)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aiperf-python", help="an interpreter with aiperf installed")
    parser.add_argument("--guidellm-python", help="an interpreter with guidellm installed")
    parser.add_argument("--concurrency", default="1,16,64")
    parser.add_argument("--quick", action="store_true", help="fewer requests per cell")
    parser.add_argument("--json", type=Path, help="write every cell's figures here")
    args = parser.parse_args()
    tools: list[tuple[str, str | None]] = [("modelbench", sys.executable)]
    for tool, python in (("aiperf", args.aiperf_python), ("guidellm", args.guidellm_python)):
        why = _usable(tool, python)
        if why:
            print(f"skipping {tool}: {why}", flush=True)
        else:
            tools.append((tool, python))
    tokenizer = write_tokenizer(Path(tempfile.mkdtemp()) / "tok")
    print(f"server: TTFT {TTFT_MS} ms, {ITL_MS} ms between chunks of {CHUNKS} tokens, "
          f"{OUTPUT_TOKENS} tokens; the first <concurrency> requests left out; {_load()}")
    cells = []
    for c in (int(x) for x in args.concurrency.split(",")):
        requests = c + (max(32, 4 * c) if args.quick else max(64, 8 * c))
        ours = None
        for tool, python in tools:
            try:
                row = measure(tool, python, c, requests, tokenizer)
            except (RuntimeError, OSError, KeyError, ValueError) as e:
                print(f"c={c:<3} {tool:<10} FAILED: {e}", flush=True)
                continue
            ours = row if tool == "modelbench" else ours
            print_cell(row, ours)
            cells.append(row)
    if args.json:
        args.json.write_text(json.dumps(cells, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
