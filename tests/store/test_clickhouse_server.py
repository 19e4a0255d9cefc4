"""The ClickHouse *server* path (clickhouse-connect over HTTP) runs the whole contract suite only
when ``MODELBENCH_CLICKHOUSE_URL`` names a server; none installs on these machines, so here this
one test says that it did not run (the embedded chdb backend runs the same engine everywhere)."""

from __future__ import annotations

import os

import pytest

from .conftest import BACKENDS, CLICKHOUSE_SKIP, SERVER_BACKENDS


def test_the_clickhouse_server_joins_the_contract_suite_when_given():
    if not os.environ.get("MODELBENCH_CLICKHOUSE_URL"):
        pytest.skip(CLICKHOUSE_SKIP)
    assert "clickhouse_server" in BACKENDS and "clickhouse_server" in SERVER_BACKENDS
