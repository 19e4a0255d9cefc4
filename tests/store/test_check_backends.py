"""modelbench check on every backend: the gate reads only the store contract."""

from __future__ import annotations

from test_check import write_result

from modelbench.analysis.check import check


def test_check_finds_a_slowdown_and_passes_a_rerun_on_every_backend(store):
    write_result(store, "base", seed=1)
    write_result(store, "rerun", seed=2, hours=1)
    assert check(store).exit_code == 0
    write_result(store, "slow", seed=3, hours=2, slowdown=0.20)
    report = check(store)
    assert report.baseline_run == "rerun" and report.exit_code == 1
    assert [r.aspect for r in report.regressions] == ["latency"]
    assert check(store, baseline="base", candidate="rerun").exit_code == 0
