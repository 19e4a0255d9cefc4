"""Opt-in: modelbench's serving client against a real engine — llama-cpp-python's OpenAI server
running a tiny random-weight GGUF model written here (benchmarks/tiny_gguf.py). Not in CI and
not in ``benchmarks/run.py`` (the file is not ``bench_*``): building llama-cpp-python from
source takes a long while on 2 cores.

Set-up, once (a separate virtual environment keeps its closure out of the project's)::

    python -m venv /tmp/llama-venv
    CMAKE_ARGS="-DLLAVA_BUILD=OFF" /tmp/llama-venv/bin/pip install 'llama-cpp-python[server]' gguf

Run: ``python benchmarks/llamacpp_serving.py --python /tmp/llama-venv/bin/python``.

There is no injected truth here (the engine decides when tokens come), so the figures are the
engine's, measured by our client, with checks that hold for any correct measurement: every
request generates exactly ``max_tokens`` tokens, tokens come from the server's ``usage`` when it
sends one, and kernel and user-space stamps of the same load agree within the client's error.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from modelbench.measure.serving import (  # noqa: E402
    Endpoint,
    EndpointTarget,
    Scenario,
    measure_scenario,
    synthetic_prompts,
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(python: str, model: Path, port: int, threads: int) -> subprocess.Popen:
    """llama-cpp-python's server on 127.0.0.1:port, once it answers /v1/models."""
    import httpx

    proc = subprocess.Popen([python, "-m", "llama_cpp.server", "--model", str(model),
                             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "1024",
                             "--n_threads", str(threads),
                             # its default cuts a running stream short when another request
                             # comes (our client counts those as connection errors): queue
                             "--interrupt_requests", "False"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited: {proc.stderr.read()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("llama_cpp.server did not answer in 120 s")


def measure(url: str, concurrency: int, requests: int, max_tokens: int, driver: str,
            stamps: str, api: str) -> dict:
    target = EndpointTarget(Endpoint(url, "tiny", api=api, max_tokens=max_tokens,
                                     timeout_s=30), stamps=stamps)
    prompts = synthetic_prompts(8, input_tokens=16, output_tokens=max_tokens)
    m = measure_scenario(target, prompts, Scenario(kind="concurrency", concurrency=concurrency,
                                                   requests=requests), driver=driver)
    target.close()
    r, e = m.result, m.result.extra
    return {"driver": driver, "stamps": stamps, "api": api, "concurrency": concurrency,
            "ok": f"{e['requests_ok']}/{e['requests_total']}",
            "tokens/request": e["output_tokens_total"] / max(e["requests_ok"], 1),
            "estimated": e["tokens_estimated"], "req/s": e["requests_per_s"],
            "tok/s": e["output_tokens_per_s"], "together": e["chunks_read_together"],
            **{f"{k} p50/p99 ms": (r.series_stats[k]["median_ms"], r.series_stats[k]["p99_ms"])
               for k in ("ttft", "tpot", "itl", "e2e") if k in r.series_stats},
            "warnings": r.warnings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable,
                        help="an interpreter with llama-cpp-python[server] and gguf")
    parser.add_argument("--model", type=Path, help="a GGUF file (default: write the tiny one)")
    parser.add_argument("--requests", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    model = args.model
    if model is None:
        model = Path(tempfile.mkdtemp()) / "tiny.gguf"
        subprocess.run([args.python, str(HERE / "tiny_gguf.py"), str(model)], check=True)
    port = _free_port()
    proc = start_server(args.python, model, port, args.threads)
    url = f"http://127.0.0.1:{port}"
    failed = False
    try:
        for api in ("chat", "completions"):
            for concurrency in (1, 4):
                for driver, stamps in (("thread", "kernel"), ("thread", "user"),
                                       ("asyncio", "kernel")):
                    row = measure(url, concurrency, args.requests, args.max_tokens, driver,
                                  stamps, api)
                    print(row, flush=True)
                    failed |= row["ok"] != f"{args.requests}/{args.requests}" \
                        or row["tokens/request"] != args.max_tokens
    finally:
        proc.terminate()
        proc.wait(10)
    print("every request generated max_tokens tokens" if not failed else "CHECK FAILED")
    return int(failed)


if __name__ == "__main__":
    raise SystemExit(main())
