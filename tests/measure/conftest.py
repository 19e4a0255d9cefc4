"""Fixtures of the measurement tests."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture
def models_on_path(monkeypatch):
    """``mb_models`` importable here and in child processes (they inherit sys.path)."""
    monkeypatch.syspath_prepend(str(HERE))
    import mb_models

    return mb_models


@pytest.fixture
def fast_timing():
    """Small timing settings that keep the suite quick."""
    from modelbench.measure import TimingConfig

    return TimingConfig(min_calls=5, min_time=0.02, warmup_calls=1, warmup_time=0.0, runs=2)
