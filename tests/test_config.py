"""Settings precedence: flag > environment > config file > default; passwords never from files."""

import pytest

from modelbench.config import parse_db_url, redact_url, store_options
from modelbench.errors import ConfigError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    for key in ("MODELBENCH_DB_URL", "MODELBENCH_DB_TYPE", "MODELBENCH_CONFIG",
                "MODELBENCH_DB_HOST", "MODELBENCH_DB_PORT", "MODELBENCH_DB_PASSWORD",
                "MODELBENCH_DB_PATH", "MODELBENCH_DB_USER", "MODELBENCH_DB_DATABASE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)


def test_default_is_sqlite_in_data_folder():
    assert store_options() == ("sqlite", {"path": "data/benchmarks.db"})


def test_env_url_then_flags_override(monkeypatch):
    monkeypatch.setenv("MODELBENCH_DB_URL", "postgresql://bench:s3cret@db.local:5433/results")
    kind, opts = store_options()
    assert kind == "timescaledb"
    assert opts == {"host": "db.local", "port": 5433, "user": "bench", "password": "s3cret",
                    "database": "results"}
    kind, opts = store_options(host="other", port=6000)
    assert (opts["host"], opts["port"], opts["password"]) == ("other", 6000, "s3cret")


def test_config_file_is_read_and_typos_are_named(tmp_path):
    (tmp_path / "modelbench.toml").write_text('[database]\ndb_type = "clickhouse"\n'
                                              'path = "data/ch"\n')
    assert store_options() == ("clickhouse", {"path": "data/ch"})
    (tmp_path / "modelbench.toml").write_text('[database]\nhots = "x"\n')
    with pytest.raises(ConfigError, match="hots"):
        store_options()


def test_password_in_config_file_is_refused(tmp_path):
    (tmp_path / "modelbench.toml").write_text('[database]\npassword = "x"\n')
    with pytest.raises(ConfigError, match="MODELBENCH_DB_PASSWORD"):
        store_options()


def test_bad_toml_and_missing_explicit_file(tmp_path, monkeypatch):
    (tmp_path / "modelbench.toml").write_text("[database\n")
    with pytest.raises(ConfigError, match="TOML"):
        store_options()
    monkeypatch.setenv("MODELBENCH_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="does not exist"):
        store_options()


def test_urls():
    assert parse_db_url("chdb:///var/ch")[1] == {"path": "/var/ch"}
    with pytest.raises(ConfigError, match="mysql"):
        parse_db_url("mysql://h/db")
    assert "s3cret" not in redact_url("postgresql://u:s3cret@h:1/db")
