"""PostgreSQL specifics: hypertables with TimescaleDB, BRIN + one clear notice without it."""

from __future__ import annotations

import logging

import pytest
from conftest import require

from .conftest import _pg_options


def _open(url):
    from modelbench import get_database_manager

    store = get_database_manager("timescaledb", **_pg_options(url))
    store.setup()
    return store


def test_timescaledb_makes_hypertables(timescale_server):
    require(timescale_server is not None, "TimescaleDB server",
            "scripts/services/timescaledb.sh start")
    store = _open(timescale_server)
    try:
        assert store.timescale
        assert store.describe().startswith("timescaledb://")
        rows = store._rows("SELECT hypertable_name FROM timescaledb_information.hypertables "
                           "ORDER BY 1")
        assert [r["hypertable_name"] for r in rows] == ["benchmark_samples", "model_benchmarks"]
        sql = store._rows("SELECT extname FROM pg_extension WHERE extname = 'timescaledb'")
        assert sql == [{"extname": "timescaledb"}]
    finally:
        store.close()


def test_plain_postgres_uses_brin_and_says_so_once(pg_server, caplog):
    require(pg_server is not None, "PostgreSQL server", "scripts/services/postgres.sh start")
    from modelbench.store import timescale

    timescale._NOTICED.clear()
    with caplog.at_level(logging.WARNING, logger="modelbench.store"):
        first, second = _open(pg_server), _open(pg_server)
    try:
        messages = [r.getMessage() for r in caplog.records]
        notices = [m for m in messages if "WITHOUT TimescaleDB" in m]
        assert len(notices) == 1
        assert "date_bin" in notices[0]
        assert not first.timescale
        assert first.describe().startswith("postgresql://")
        brin = first._rows("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%brin%' "
                           "ORDER BY 1")
        assert [r["indexname"] for r in brin] == ["benchmark_samples_time_brin",
                                                  "model_benchmarks_time_brin"]
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize("change", [{"password": "wrong-secret-pw"}, {"database": "no_such_db"}])
def test_bad_credentials_and_database_are_named(pg_server, change):
    require(pg_server is not None, "PostgreSQL server", "scripts/services/postgres.sh start")
    from modelbench import get_database_manager
    from modelbench.errors import StoreError, StoreUnavailableError

    options = {**_pg_options(pg_server), **change}
    with pytest.raises(StoreError) as info:
        get_database_manager("timescaledb", **options).setup()
    assert not isinstance(info.value, StoreUnavailableError)
    assert "wrong-secret-pw" not in str(info.value)
    assert f"{options['host']}:{options['port']}" in str(info.value)
    assert info.value.hint
