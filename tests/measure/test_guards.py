"""Guards around a model: in-process exits, hangs and chdir; leaked threads in a child; a
scrubbed child environment and secrets kept out of stored messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest
from conftest import REPO

from modelbench.measure import ModelBenchmark
from modelbench.measure.guards import child_environment, redact, secret_names

HERE = os.path.dirname(os.path.abspath(__file__))


def _bench(**options):
    return ModelBenchmark(min_time=0, min_calls=2, warmup_time=0, runs=2, **options)


def test_crashes_and_exits_of_in_process_models_lose_nothing_measured_before_them(tmp_path):
    # In a separate interpreter: were a guard missing, the crash would end it, not the test.
    script = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {HERE!r})
        import mb_models
        from modelbench.measure import ModelBenchmark
        bench = ModelBenchmark(min_time=0, min_calls=2, warmup_time=0, runs=2, isolate=False)
        out = bench.compare_models(
            models=[{{"name": "good", "function": mb_models.double}},
                    {{"name": "os-exit", "function": mb_models.exits}},
                    {{"name": "os-exit-later", "function": mb_models.exits_later}},
                    {{"name": "sys-exit", "function": mb_models.calls_sys_exit}},
                    {{"name": "segfault", "function": mb_models.segfaults}},
                    {{"name": "after", "function": mb_models.double}}],
            inputs=[1, 2], expected_outputs=[2, 4])
        print(json.dumps({{r["model_name"]: [r["status"], r["error_message"]]
                          for r in out["results"]}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    statuses = json.loads(done.stdout.strip().splitlines()[-1])
    assert statuses["good"][0] == statuses["after"][0] == "ok"
    # caught before it ran here, by the forked probe
    assert statuses["segfault"][0] == "error"
    assert "was killed by SIGSEGV when called in a forked copy" in statuses["segfault"][1]
    assert statuses["os-exit"][0] == "error" and "exited with code 3" in statuses["os-exit"][1]
    # past the probe, os._exit and sys.exit are trapped while the model runs here
    assert statuses["os-exit-later"][0] == "error"
    assert "the model called exit(3) in this process" in statuses["os-exit-later"][1]
    assert statuses["sys-exit"][0] == "error" and "exit(4)" in statuses["sys-exit"][1]


def test_timeout_stops_a_hanging_model_in_this_process(models_on_path):
    row = _bench(isolate=False).benchmark_model(
        model_name="hang", model_fn=models_on_path.hang, inputs=[1], expected_outputs=[2],
        timeout=0.5)
    assert row["status"] == "timeout" and "in a forked copy" in row["error_message"]
    later = _bench(isolate=False).benchmark_model(  # past the probe: SIGALRM stops it here
        model_name="hang", model_fn=models_on_path.hangs_later, inputs=[1],
        expected_outputs=[2], timeout=0.5)
    assert later["status"] == "timeout"
    assert "stopped inside this process" in later["error_message"]


def test_timeout_off_the_main_thread_stops_a_python_loop():
    calls = []

    def spins(xs):  # answers once (the forked probe), then loops in Python for ever
        calls.append(1)
        while len(calls) > 1:
            pass
        return list(xs)

    rows = []
    worker = threading.Thread(target=lambda: rows.append(_bench(isolate=False).benchmark_model(
        model_name="spin", model_fn=spins, inputs=[1], expected_outputs=[1], timeout=0.5)))
    worker.start()
    worker.join(60)
    assert not worker.is_alive() and rows[0]["status"] == "timeout"
    assert "stopped inside this process" in rows[0]["error_message"]


def test_a_model_that_changes_directory_is_set_back(models_on_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    row = _bench(isolate=False).benchmark_model(
        model_name="wanders", model_fn=models_on_path.chdir_away, inputs=[1, 2],
        expected_outputs=[2, 4])
    assert os.getcwd() == str(tmp_path) and row["status"] == "ok"
    assert any("changed the working directory" in w for w in row["warnings"])


def test_leaked_threads_after_a_written_result_are_not_a_timeout(models_on_path, fast_timing):
    row = ModelBenchmark(timing=fast_timing).benchmark_model(
        model_name="leaky", target="mb_models:leaks_a_thread", inputs=[1, 2],
        expected_outputs=[2, 4], timeout=20)
    assert row["status"] == "ok" and row["score"] == 1.0 and row["n_runs"] == 2
    # each child ended itself once its result was written (its parent had nothing to stop)
    assert not any("left threads" in w for w in row["warnings"])


def test_children_do_not_see_store_secrets(models_on_path, fast_timing, monkeypatch):
    monkeypatch.setenv("MODELBENCH_DB_PASSWORD", "hunter2-secret")
    row = ModelBenchmark(timing=fast_timing).benchmark_model(
        model_name="snoop", target="mb_models:says_the_password", inputs=[1],
        expected_outputs=[2])
    assert row["status"] == "error" and "connecting with <none>" in row["error_message"]


def test_a_passed_on_secret_still_never_reaches_a_stored_message(models_on_path, fast_timing,
                                                                  monkeypatch):
    monkeypatch.setenv("MODELBENCH_DB_PASSWORD", "hunter2-secret")
    isolated = ModelBenchmark(timing=fast_timing, pass_env=["MODELBENCH_DB_PASSWORD"])
    for bench in (isolated, _bench(isolate=False)):
        row = bench.benchmark_model(model_name="snoop",
                                    model_fn=models_on_path.says_the_password,
                                    inputs=[1], expected_outputs=[2])
        assert "connecting with ***" in row["error_message"]
        assert "hunter2" not in json.dumps(row, default=str)


def test_which_variables_count_as_secrets():
    env = {"PATH": "/bin", "HF_TOKEN": "hf_x", "MODELBENCH_DB_URL": "sqlite:///x.db",
           "PGPASSWORD": "p", "MY_API_SECRET": "s", "OMP_NUM_THREADS": "8",
           "SERVICE_URL": "postgresql://me:pw@127.0.0.1/db", "PLAIN_URL": "http://host/x"}
    assert sorted(secret_names(env)) == ["MODELBENCH_DB_URL", "MY_API_SECRET", "PGPASSWORD",
                                         "SERVICE_URL"]
    child = child_environment(env, threads=2, pass_env=["MODELBENCH_DB_URL"])
    assert set(child) == {"PATH", "HF_TOKEN", "MODELBENCH_DB_URL", "OMP_NUM_THREADS",
                          "PLAIN_URL", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                          "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS"}
    assert child["OMP_NUM_THREADS"] == "2"
    assert redact("dsn postgresql://me:pw@127.0.0.1/db failed", env) == "dsn *** failed"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="segfault semantics")
def test_a_segfaulting_model_in_a_child_is_one_error_result(models_on_path, fast_timing):
    out = ModelBenchmark(timing=fast_timing).compare_models(
        models=[{"name": "good", "target": "mb_models:double"},
                {"name": "crash", "target": "mb_models:segfaults"}],
        inputs=[1, 2], expected_outputs=[2, 4])
    rows = {r["model_name"]: r for r in out["results"]}
    assert rows["good"]["status"] == "ok" and rows["crash"]["status"] == "error"
    assert "exited with code -11" in rows["crash"]["error_message"]
