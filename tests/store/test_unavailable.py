"""A server that goes away mid-run: a clear error naming host:port (never the password), the
unsent results kept on local disk, and written on the next successful connection."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from modelbench import get_database_manager
from modelbench.errors import StoreUnavailableError
from modelbench.records import BenchmarkResult

from .proxy import Relay


@pytest.fixture
def relayed(server_backend, tmp_path):
    """The backend reached through a relay that the test can cut and restore."""
    backend = server_backend
    relay = Relay(backend.options["host"], backend.options["port"]).start()
    options = {**backend.options, "host": "127.0.0.1", "port": relay.port,
               "spool_dir": str(tmp_path / "spool")}
    yield relay, options
    relay.cut()


def _results(prefix: str, n: int) -> list[BenchmarkResult]:
    return [BenchmarkResult(model_name="m", id=f"{prefix}{i}", metric="acc", score=i / 10)
            for i in range(n)]


def test_server_goes_away_mid_run(server_backend, relayed):
    backend = server_backend
    relay, options = relayed
    store = get_database_manager(backend.kind, **options)
    store.setup()
    store.insert_results(_results("before", 3))

    relay.cut()
    with pytest.raises(StoreUnavailableError) as info:
        store.insert_results(_results("lost", 2))
    error = info.value
    assert f"127.0.0.1:{relay.port}" in str(error)
    assert options["password"] not in str(error)
    spool = Path(error.spool_path)
    assert spool.is_file() and str(spool) in error.message
    assert spool.parent == Path(options["spool_dir"])
    with pytest.raises(StoreUnavailableError):
        store.insert_samples("lost0", np.array([1, 2, 3]))
    kinds = [json.loads(line)["kind"] for line in spool.read_text().splitlines()]
    assert kinds == ["results", "samples"]

    relay.start()  # the server is back: the next call reconnects and writes the spool
    assert store.count_results() == 5
    assert not spool.exists()
    np.testing.assert_array_equal(store.get_samples("lost0"), [1, 2, 3])

    relay.cut()  # and a new process (a new manager) writes what an old one kept
    with pytest.raises(StoreUnavailableError):
        store.insert_results(_results("later", 4))
    store.close()
    assert spool.is_file()
    relay.start()
    fresh = get_database_manager(backend.kind, **options)
    try:
        fresh.setup()
        assert fresh.count_results() == 9
        assert not spool.exists()
        fresh.setup()  # nothing doubled by a second connection
        assert fresh.count_results() == 9
    finally:
        fresh.close()


def test_no_server_at_all_names_host_and_port(server_backend, relayed):
    backend = server_backend
    relay, options = relayed
    relay.cut()
    secret = "s3cret-never-shown"  # never checked by a server that cannot be reached
    store = get_database_manager(backend.kind, **{**options, "password": secret})
    with pytest.raises(StoreUnavailableError) as info:
        store.setup()
    assert f"127.0.0.1:{relay.port}" in str(info.value)
    assert info.value.hint
    assert secret not in str(info.value) and secret not in store.describe()
