"""The CI gate: the latest results against a baseline, per model/task/dataset/metric/batch size.

:func:`check` pairs each result of the candidate run with the baseline's result of the same
key (model, version, task, dataset, config, split, metric, batch size, threads, swept
parameters) and judges three aspects:

* **latency**: :func:`modelbench.stats.speed_verdict` on the stored per-call samples and
  their run indices (runs are the unit of evidence; each run's floor, its 10th-percentile
  call, or its median when it has few calls), with this testbed's calibrated run-to-run
  spread of that statistic (``modelbench calibrate``, same fingerprint) standing in for a
  one-run result's spread and as a floor for the others; the baseline's and candidate's
  medians come with their CI (``baseline_ci``/``candidate_ci``), floored by the same
  calibration;
* **memory**: the model's own memory (``model_memory_mb``, else the peak RSS during calls);
  one figure per result, so a change counts when beyond ``max_regression`` and 1 MB;
* **score**: :func:`modelbench.stats.quality_verdict` on the stored per-item results
  (McNemar for 0/1 correctness, a paired bootstrap otherwise); without per-item results a
  changed score is "unverified", never a regression;
* **status**: a model measured ok in the baseline that now fails (error, timeout) is a
  regression.

A regression is a change the verdict calls real ('slower', 'worse') AND larger than
``max_regression`` (relative to the baseline). Results are compared only between matching
environment fingerprints (git state aside) on the same testbed (node): otherwise the report
is not comparable and names the fields that differ (``testbed`` for another machine, whose
fingerprint may be identical), unless ``allow_env_diff``. Exit codes
(:attr:`CheckReport.exit_code`): 0 pass, 1 a regression, 2 not comparable (fingerprints or
testbeds differ, no baseline, nothing matched).

Example:
    >>> import numpy as np
    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> runs = np.repeat(np.arange(5), 20)
    >>> for run_id, scale in (("base", 1.0), ("new", 1.3)):
    ...     r = BenchmarkResult(model_name="m", metric="accuracy", score=0.9, run_id=run_id,
    ...                         env_hash="e1", environment={"python": "3.11"})
    ...     rid = db.insert_result(r)
    ...     _ = db.insert_samples(rid, (1e6 * scale * (1 + 0.001 * runs)).astype(int),
    ...                           run_index=runs)
    >>> report = check(db, candidate="new", baseline="base")
    >>> report.exit_code, [(row.aspect, row.status) for row in report.rows]
    (1, [('latency', 'regression'), ('score', 'pass')])
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import stats
from ..errors import ValidationError
from ..measure.calibration import CALIBRATION_METRIC, CALIBRATION_TASK
from ..measure.environment import VOLATILE_FIELDS, env_testbed
from ..measure.summary import batch_count
from ..metrics import higher_is_better
from ..records import BenchmarkResult
from ..store.base import DatabaseManager, ResultFilter

__all__ = ["check", "CheckReport", "CheckRow", "result_key", "environment_differences",
           "latest_calibration", "resolve_baseline", "latest_run", "MEMORY_FLOOR_MB"]

#: A memory change smaller than this never counts (allocator and page rounding).
MEMORY_FLOOR_MB = 1.0
KEY_FIELDS = ("model_name", "model_version", "task_type", "dataset", "dataset_config",
              "dataset_split", "metric", "batch_size", "threads")
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


@dataclass
class CheckRow:
    """One aspect of one key: baseline and candidate values, the change and the verdict.

    ``change`` is candidate / baseline for latency and memory, candidate − baseline for a
    score; ``status`` is 'pass', 'regression', 'improvement', 'unverified' (a score change
    without per-item results), 'new' (no baseline result) or 'not comparable'.
    """

    key: dict[str, Any]
    aspect: str
    baseline: float | None
    candidate: float | None
    change: float | None
    ci_low: float | None
    ci_high: float | None
    verdict: str
    status: str
    reason: str
    baseline_id: str = ""
    candidate_id: str = ""
    baseline_ci: list[float] | None = None  # latency: CI of the median (ms), calibrated
    candidate_ci: list[float] | None = None

    @property
    def label(self) -> str:
        """The key in one line: ``model version · task · dataset · metric · bs=N``."""
        k = self.key
        parts = [f"{k['model_name']} {k['model_version']}".strip(), k["task_type"],
                 k["dataset"], k["dataset_config"], k["dataset_split"], k["metric"]]
        if k.get("batch_size") is not None:
            parts.append(f"bs={k['batch_size']}")
        if k.get("threads") is not None:
            parts.append(f"threads={k['threads']}")
        parts.extend(f"{name}={value}" for name, value in (k.get("params") or {}).items())
        return " · ".join(p for p in parts if p)


@dataclass
class CheckReport:
    """Everything :func:`check` found; :attr:`exit_code` is what the CLI exits with."""

    candidate_run: str
    baseline_run: str | None
    baseline_spec: str
    rows: list[CheckRow] = field(default_factory=list)
    env_differences: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    allow_env_diff: bool = False
    max_regression: float = 0.05
    calibration: dict[str, Any] | None = None
    problem: str = ""  # why nothing could be compared

    @property
    def regressions(self) -> list[CheckRow]:
        return [r for r in self.rows if r.status == "regression"]

    @property
    def comparable(self) -> bool:
        if self.problem:
            return False
        return not self.env_differences or self.allow_env_diff

    @property
    def exit_code(self) -> int:
        if not self.comparable:
            return 2
        return 1 if self.regressions else 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (NaN as ``None``, difference pairs as lists)."""
        data = asdict(self)
        data["rows"] = [dict(asdict(row), label=row.label) for row in self.rows]
        data["env_differences"] = {k: list(v) for k, v in self.env_differences.items()}
        data.update(exit_code=self.exit_code, comparable=self.comparable,
                    regressions=len(self.regressions))
        return json.loads(json.dumps(data, default=str, allow_nan=True).replace("NaN", "null"))


def result_key(result: BenchmarkResult) -> tuple[Any, ...]:
    """What makes two results the same measurement: model, data, metric, batch size,
    threads and swept parameters (so different batch sizes are never compared)."""
    values = tuple(getattr(result, name, None) for name in KEY_FIELDS)
    return (*values, json.dumps(result.params or {}, sort_keys=True, default=str))


def _key_dict(result: BenchmarkResult) -> dict[str, Any]:
    return {**{name: getattr(result, name, None) for name in KEY_FIELDS},
            "params": dict(result.params or {})}


def environment_differences(before: dict[str, Any], after: dict[str, Any]
                            ) -> dict[str, tuple[Any, Any]]:
    """Fingerprint fields that differ (``packages.numpy`` one by one), leaving out what
    ``env_hash`` leaves out (host name, CPU pinning, git state).

    >>> environment_differences({"python": "3.11", "packages": {"numpy": "2.1"}, "git_commit": "a"},
    ...                         {"python": "3.11", "packages": {"numpy": "2.2"}, "git_commit": "b"})
    {'packages.numpy': ('2.1', '2.2')}
    """
    out: dict[str, tuple[Any, Any]] = {}
    for name in sorted((set(before) | set(after)) - VOLATILE_FIELDS - {"env_hash"}):
        a, b = before.get(name), after.get(name)
        if isinstance(a, dict) and isinstance(b, dict):
            out.update({f"{name}.{k}": (a.get(k), b.get(k)) for k in sorted(set(a) | set(b))
                        if a.get(k) != b.get(k)})
        elif a != b:
            out[name] = (a, b)
    return out


def _local_results(db: DatabaseManager, run_id: str | None = None) -> list[BenchmarkResult]:
    found = db.query_results(ResultFilter(source="local", run_id=run_id), order_by="timestamp")
    return [r for r in found if r.task_type != CALIBRATION_TASK]


def latest_run(db: DatabaseManager) -> str:
    """The run id of the newest local result (calibrations aside)."""
    results = _local_results(db)
    if not results:
        raise ValidationError("the store holds no measured results to check",
                              hint="measure first: modelbench run")
    return results[0].run_id


def _runs_newest_first(results: list[BenchmarkResult]) -> list[str]:
    order: list[str] = []
    for result in results:  # newest first already
        if result.run_id not in order:
            order.append(result.run_id)
    return order


def resolve_baseline(db: DatabaseManager, spec: str, candidate_run: str) -> str | None:
    """The baseline run id for ``spec``: 'previous' (the newest other run that shares a key
    with the candidate), a run id (or a prefix of 6+ characters), or a git commit (the
    newest run measured at it, by full hash or prefix of 7+). ``None`` when none matches."""
    results = _local_results(db)
    runs = _runs_newest_first(results)
    if spec == "previous":
        keys = {result_key(r) for r in results if r.run_id == candidate_run}
        older = runs[runs.index(candidate_run) + 1:] if candidate_run in runs else runs
        for run in older:
            if any(result_key(r) in keys for r in results if r.run_id == run):
                return run
        return None
    if spec in runs:
        return spec
    prefixed = [run for run in runs if len(spec) >= 6 and run.startswith(spec)]
    if len(prefixed) > 1:
        raise ValidationError(f"run id prefix {spec!r} matches {len(prefixed)} runs",
                              hint="give more characters")
    if prefixed:
        return prefixed[0]
    if _COMMIT.match(spec.lower()):
        for result in results:
            if result.git_commit and result.git_commit.startswith(spec.lower()) \
                    and result.run_id != candidate_run:
                return result.run_id
    return None


def latest_calibration(db: DatabaseManager, env_hash: str) -> dict[str, Any] | None:
    """The newest stored calibration of the testbed with ``env_hash``: sd (of the log run
    medians), floor_sd (of the log run floors; ``None`` in calibrations stored before it
    was measured), df, id, when."""
    found = db.query_results(ResultFilter(task_type=CALIBRATION_TASK, metric=CALIBRATION_METRIC),
                             order_by="timestamp", limit=50)
    for result in found:
        df = int((result.extra or {}).get("df") or 0)
        if result.env_hash == env_hash and result.score is not None and df >= 1:
            floor_sd = (result.extra or {}).get("floor_sd")
            return {"sd": float(result.score), "df": df, "id": result.id,
                    "floor_sd": None if floor_sd is None else float(floor_sd),
                    "timestamp": result.timestamp.isoformat()}
    return None


def _by_key(results: list[BenchmarkResult], *, ok_only: bool = True
            ) -> dict[tuple[Any, ...], BenchmarkResult]:
    keyed: dict[tuple[Any, ...], BenchmarkResult] = {}
    for result in results:  # newest first: the first one of a key wins, an ok one first
        if result.status == "ok" or not ok_only:
            current = keyed.get(result_key(result))
            if current is None or (current.status != "ok" and result.status == "ok"):
                keyed[result_key(result)] = result
    return keyed


def check(db: DatabaseManager, *, baseline: str = "previous", candidate: str | None = None,
          max_regression: float = 0.05, allow_env_diff: bool = False, margin: float = 0.02,
          confidence: float = 0.95, use_calibration: bool = True) -> CheckReport:
    """Compare the candidate run (default: the latest) with ``baseline``; see the module."""
    if not 0 <= max_regression < 10:
        raise ValidationError(f"max regression {max_regression} is not a fraction",
                              hint="use e.g. 0.05 for 5 %")
    candidate_run = candidate or latest_run(db)
    report = CheckReport(candidate_run=candidate_run, baseline_run=None, baseline_spec=baseline,
                         allow_env_diff=allow_env_diff, max_regression=max_regression)
    new = _by_key(_local_results(db, candidate_run), ok_only=False)
    if not new:
        report.problem = f"run {candidate_run!r} has no measured results"
        return report
    report.baseline_run = resolve_baseline(db, baseline, candidate_run)
    if report.baseline_run is None:
        report.problem = f"no baseline run matches {baseline!r}"
        return report
    old = _by_key(_local_results(db, report.baseline_run))
    pairs = [(old.get(key), result) for key, result in new.items()]
    if not any(before is not None for before, _ in pairs):
        report.problem = (f"runs {candidate_run} and {report.baseline_run} share no "
                          "model/task/dataset/metric/batch size")
        return report
    for before, after in pairs:
        if before is not None:
            report.env_differences.update(
                environment_differences(before.environment or {}, after.environment or {}))
            beds = env_testbed(before.environment), env_testbed(after.environment)
            if beds[0] != beds[1]:  # another machine, even one of identical fingerprint
                report.env_differences["testbed"] = beds
    if use_calibration:
        report.calibration = latest_calibration(db, next(iter(new.values())).env_hash)
    for before, after in pairs:
        report.rows.extend(_judge_pair(db, before, after, report, margin=margin,
                                       confidence=confidence))
    return report


def _judge_pair(db: DatabaseManager, before: BenchmarkResult | None, after: BenchmarkResult,
                report: CheckReport, *, margin: float, confidence: float) -> list[CheckRow]:
    key = _key_dict(after)
    if before is None:
        return [CheckRow(key, "all", None, None, None, None, None, "inconclusive", "new",
                         "no baseline result with this key"
                         + (f" (and it {after.status}: {after.error_message})"
                            if after.status != "ok" else ""), "", after.id)]
    if report.env_differences and not report.allow_env_diff:
        names = ", ".join(sorted(report.env_differences))
        beds = env_testbed(before.environment), env_testbed(after.environment)
        where = f" (testbed {beds[0]} vs {beds[1]})" if beds[0] != beds[1] else ""
        return [CheckRow(key, "all", None, None, None, None, None, "inconclusive",
                         "not comparable", f"fingerprints differ: {names}{where}",
                         before.id, after.id)]
    if after.status != "ok":
        return [CheckRow(key, "status", None, None, None, None, None, "worse", "regression",
                         f"measured ok in the baseline, now {after.status}: "
                         f"{after.error_message}", before.id, after.id)]
    ids = {"baseline_id": before.id, "candidate_id": after.id}
    rows = [_latency_row(db, before, after, report, margin=margin, confidence=confidence),
            _memory_row(before, after, report.max_regression),
            _score_row(db, before, after, report.max_regression, margin=None,
                       confidence=confidence)]
    out = []
    for row in rows:
        if row is not None:
            row.key, row.baseline_id, row.candidate_id = key, ids["baseline_id"], \
                ids["candidate_id"]
            out.append(row)
    return out


def _row(aspect: str, baseline: float | None, candidate: float | None, change: float | None,
         low: float | None, high: float | None, verdict: str, status: str,
         reason: str) -> CheckRow:
    def clean(value: float | None) -> float | None:
        return None if value is None or not math.isfinite(value) else float(value)

    return CheckRow({}, aspect, clean(baseline), clean(candidate), clean(change), clean(low),
                    clean(high), verdict, status, reason)


def _latency_row(db: DatabaseManager, before: BenchmarkResult, after: BenchmarkResult,
                 report: CheckReport, *, margin: float, confidence: float) -> CheckRow | None:
    old_ns, old_runs = db.get_sample_runs(before.id)
    new_ns, new_runs = db.get_sample_runs(after.id)
    old_ms = before.latency.median_ms if before.latency else None
    new_ms = after.latency.median_ms if after.latency else None
    if len(old_ns) == 0 or len(new_ns) == 0:
        if old_ms is None or new_ms is None:
            return None
        return _row("latency", old_ms, new_ms, new_ms / old_ms if old_ms else None, None, None,
                    "inconclusive", "pass", "no stored samples: a median alone is no evidence")
    spreads = _calibrations(report.calibration)
    verdict = stats.speed_verdict(new_ns, new_runs, old_ns, old_runs, margin=margin,
                                  confidence=confidence, calibration=spreads or None,
                                  batches=(_batches(after), _batches(before)))
    medians = [stats.median_ci_runs(ns, runs, confidence=confidence,
                                    calibration=spreads.get("median"))
               for ns, runs in ((old_ns, old_runs), (new_ns, new_runs))]
    status, reason = _status_for(verdict.verdict, "slower", "faster", verdict.ratio - 1,
                                 report.max_regression, verdict.reason)
    row = _row("latency", medians[0][0] / stats.NS_PER_MS, medians[1][0] / stats.NS_PER_MS,
               verdict.ratio, verdict.ci_low, verdict.ci_high, verdict.verdict, status,
               f"{reason} ({verdict.method})")
    row.baseline_ci, row.candidate_ci = (_ms_interval(m) for m in medians)
    return row


def _calibrations(cal: dict[str, Any] | None) -> dict[str, tuple[float, int]]:
    """The calibration as each run statistic's (sd, df); an older calibration without the
    floors' spread lends the medians' (larger: cautious) to the floors."""
    if not cal:
        return {}
    floor_sd = cal.get("floor_sd")
    return {"median": (cal["sd"], cal["df"]),
            "floor": (cal["sd"] if floor_sd is None else floor_sd, cal["df"])}


def _batches(result: BenchmarkResult) -> int:
    return batch_count(result.n_items, (result.extra or {}).get("items_per_call"))


def _ms_interval(interval: tuple[float, float, float]) -> list[float] | None:
    _, low, high = interval
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    return [low / stats.NS_PER_MS, high / stats.NS_PER_MS]


def _status_for(word: str, bad: str, good: str, worsening: float, limit: float,
                reason: str) -> tuple[str, str]:
    """'regression' only for a real change (the verdict says ``bad``) beyond ``limit``."""
    if word == bad and worsening > limit:
        return "regression", f"{reason}; {worsening:.1%} worse, beyond {limit:.1%}"
    if word == bad:
        return "pass", f"{reason}; {worsening:.1%} worse, within {limit:.1%}"
    if word == good:
        return "improvement", reason
    return "pass", reason


def _memory_row(before: BenchmarkResult, after: BenchmarkResult,
                limit: float) -> CheckRow | None:
    for name in ("model_memory_mb", "memory_peak_mb", "memory_usage_mb"):
        old, new = getattr(before, name, None), getattr(after, name, None)
        if old is not None and new is not None:
            break
    else:
        return None
    delta = new - old
    relative = delta / old if old > 0 else (math.inf if delta > 0 else 0.0)
    if abs(delta) <= MEMORY_FLOOR_MB or abs(relative) <= limit:
        word = "same"
    else:
        word = "worse" if delta > 0 else "better"
    status, reason = _status_for(word, "worse", "better", relative, limit,
                                 f"{name}: one figure per result; changes beyond "
                                 f"{MEMORY_FLOOR_MB:g} MB and the limit count")
    return _row("memory", old, new, new / old if old > 0 else None, None, None, word, status,
                reason)


def _score_value(result: BenchmarkResult) -> float | None:
    return result.score_canonical if result.score_canonical is not None else result.score


def _score_row(db: DatabaseManager, before: BenchmarkResult, after: BenchmarkResult,
               limit: float, *, margin: float | None, confidence: float) -> CheckRow | None:
    old, new = _score_value(before), _score_value(after)
    if old is None or new is None:
        return None
    better_high = after.direction != "lower" if after.direction else higher_is_better(after.metric)
    worsening = (old - new) if better_high else (new - old)
    relative = worsening / abs(old) if old else (math.inf if worsening > 0 else 0.0)
    old_items, _ = db.get_item_results(before.id)
    new_items, _ = db.get_item_results(after.id)
    if len(old_items) == 0 or len(old_items) != len(new_items):
        if new == old:
            return _row("score", old, new, 0.0, None, None, "same", "pass", "identical scores")
        status = "unverified" if relative > limit else "pass"
        return _row("score", old, new, new - old, None, None, "inconclusive", status,
                    "no paired per-item results: a changed score cannot be tested")
    verdict = stats.quality_verdict(new_items, old_items, paired=True,
                                    higher_is_better=better_high, margin=margin,
                                    confidence=confidence)
    status, reason = _status_for(verdict.verdict, "worse", "better", relative, limit,
                                 verdict.reason)
    return _row("score", old, new, verdict.estimate, verdict.ci_low, verdict.ci_high,
                verdict.verdict, status, reason)
