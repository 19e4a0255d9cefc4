"""Serving scenarios in a run plan: ``modelbench run plan.toml`` with endpoint models.

A plan is a serving plan when it has a ``[scenario]`` table or a model with ``endpoint``.
It reads like the model plans of :mod:`modelbench.measure.plan`: ``[run]`` names it,
``[dataset]`` gives the prompts (a JSONL/CSV file read by the one JSONL reader, or synthetic
lengths), ``[[models]]`` the endpoints (or in-process streaming callables):

.. code-block:: toml

    [run]
    name = "llm-latency"

    [dataset]
    path = "prompts.jsonl"            # rows with prompt or messages, optional reference
    scoring = "exact"                 # exact | contains | a registered metric
    # or synthetic: input_tokens = 128, output_tokens = 64, count = 32

    [scenario]
    kind = "concurrency"              # single-stream | concurrency | rate | offline
    concurrency = [1, 4, 16]          # a list is a sweep: one result per value
    # rate = [5, 10]; arrival = "poisson"; burstiness = 1.0; max_concurrency = 32
    requests = 32
    runs = 1
    seed = 0
    slo = { ttft_ms = 500, tpot_ms = 50 }
    # find_peak = true; goodput_target = 0.95
    driver = "thread"                 # or asyncio

    [[models]]
    name = "my-llm"
    endpoint = "http://127.0.0.1:8000"   # base URL (/v1/... added) or the full route
    model = "served-name"             # sent to the server (default: name)
    api = "chat"                      # or completions
    max_tokens = 64
    # api_key_env = "OPENAI_API_KEY"; ignore_eos; continuous_usage; timeout; retries
    # stream = "pkg.mod:generate"     # instead of endpoint: an in-process generator

Example:
    >>> import tomllib
    >>> plan = serving_plan_from(tomllib.loads('''
    ... [dataset]
    ... input_tokens = 4
    ... output_tokens = 3
    ... [scenario]
    ... concurrency = [1, 2]
    ... requests = 4
    ... [[models]]
    ... name = "m"
    ... endpoint = "http://127.0.0.1:9"
    ... '''), Path("plan.toml"))
    >>> [s.label for s in plan.scenarios], plan.models[0]["endpoint"].url
    (['concurrency=1', 'concurrency=2'], 'http://127.0.0.1:9')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...config import check_keys
from ...errors import ConfigError, ModelBenchError
from .client import CallableTarget, Endpoint, EndpointTarget
from .metrics import parse_slo
from .prompts import PromptSet, load_prompts, synthetic_prompts
from .scenarios import DRIVERS, Scenario, find_peak, measure_scenario

__all__ = ["ServingPlan", "is_serving_plan", "serving_plan_from", "run_serving_plan"]

_TOP_KEYS = {"run", "dataset", "scenario", "models"}
_RUN_KEYS = {"name", "python_path"}
_DATASET_KEYS = {"name", "path", "scoring", "limit", "input_tokens", "output_tokens", "count",
                 "seed"}
_SCENARIO_KEYS = {"kind", "concurrency", "rate", "arrival", "burstiness", "max_concurrency",
                  "requests", "warmup", "runs", "seed", "slo", "driver", "find_peak",
                  "goodput_target", "realtime"}
_MODEL_KEYS = {"name", "version", "endpoint", "stream", "model", "api", "api_key_env",
               "max_tokens", "temperature", "ignore_eos", "continuous_usage", "extra_body",
               "timeout", "retries"}


@dataclass
class ServingPlan:
    """A checked serving plan: prompts, scenario cells and targets."""

    path: Path
    name: str
    prompts: PromptSet
    scenarios: list[Scenario]
    models: list[dict[str, Any]]
    slo: dict[str, float] = field(default_factory=dict)
    driver: str = "thread"
    find_peak: bool = False
    goodput_target: float = 0.95
    python_path: list[Path] = field(default_factory=list)


def is_serving_plan(data: dict[str, Any]) -> bool:
    """True for a plan with a ``[scenario]`` table or a model naming an ``endpoint``/``stream``.

    >>> is_serving_plan({"models": [{"endpoint": "http://127.0.0.1:8000"}]})
    True
    """
    models = data.get("models") or []
    return "scenario" in data or any(isinstance(m, dict) and ("endpoint" in m or "stream" in m)
                                     for m in (models if isinstance(models, list) else []))


def _check(table: Any, known: set[str], where: str, source: Path) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: {where} must be a table")
    check_keys(table, known, where, source)
    return table


def _prompts(table: dict[str, Any], base: Path, source: Path) -> PromptSet:
    _check(table, _DATASET_KEYS, "[dataset]", source)
    if "path" in table:
        path = base / str(table["path"])
        if not path.is_file():
            raise ConfigError(f"{source}: [dataset] path {path} does not exist")
        prompts = load_prompts(path, scoring=str(table.get("scoring", "exact")))
        if table.get("limit"):
            prompts.prompts = prompts.prompts[: int(table["limit"])]
    else:
        prompts = synthetic_prompts(int(table.get("count", 32)),
                                    input_tokens=int(table.get("input_tokens", 128)),
                                    output_tokens=int(table.get("output_tokens", 128)),
                                    seed=int(table.get("seed", 0)))
    if table.get("name"):
        prompts.name = str(table["name"])
    return prompts


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _scenarios(table: dict[str, Any], source: Path) -> list[Scenario]:
    _check(table, _SCENARIO_KEYS, "[scenario]", source)
    common = {k: table[k] for k in ("arrival", "burstiness", "max_concurrency", "requests",
                                    "warmup", "runs", "seed", "realtime") if k in table}
    kind = table.get("kind") or ("rate" if "rate" in table else
                                 "concurrency" if "concurrency" in table else "single-stream")
    try:
        if kind == "concurrency":
            return [Scenario(kind=kind, concurrency=int(c), **common)
                    for c in _as_list(table.get("concurrency", 1))]
        if kind == "rate":
            if "rate" not in table:
                raise ConfigError("kind = 'rate' needs rate = R (or a list)")
            return [Scenario(kind=kind, rate=float(r), **common) for r in _as_list(table["rate"])]
        return [Scenario(kind=kind, **common)]
    except (ConfigError, TypeError, ValueError) as exc:
        message = exc.message if isinstance(exc, ConfigError) else str(exc)
        raise ConfigError(f"{source}: [scenario]: {message}") from None


def _models(entries: Any, source: Path) -> list[dict[str, Any]]:
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{source}: no [[models]] to run",
                          hint='add [[models]] with name = ... and endpoint = "http://..."')
    models, seen = [], set()
    for number, entry in enumerate(entries, 1):
        where = f"[[models]] #{number}"
        _check(entry, _MODEL_KEYS, where, source)
        if ("endpoint" in entry) == ("stream" in entry):
            raise ConfigError(f"{source}: {where} needs endpoint = URL or stream = "
                              "\"pkg.mod:generator\" (one of them)")
        name = str(entry.get("name") or entry.get("model") or entry.get("endpoint")
                   or entry["stream"])
        key = (name, str(entry.get("version") or ""))
        if key in seen:
            raise ConfigError(f"{source}: two models are named {name!r}",
                              hint="give every model its own name or version")
        seen.add(key)
        model: dict[str, Any] = {"name": name, "version": key[1]}
        if "stream" in entry:
            from ..isolation import check_target

            model["stream"] = check_target(str(entry["stream"]))
            model["max_tokens"] = int(entry.get("max_tokens", 128))
        else:
            options = {k: entry[k] for k in ("api", "api_key_env", "max_tokens", "temperature",
                                             "ignore_eos", "continuous_usage", "extra_body",
                                             "retries") if k in entry}
            if "timeout" in entry:
                options["timeout_s"] = float(entry["timeout"])
            model["endpoint"] = Endpoint(str(entry["endpoint"]), str(entry.get("model", name)),
                                         **options)
        models.append(model)
    return models


def serving_plan_from(data: dict[str, Any], source: Path) -> ServingPlan:
    """Check a parsed TOML serving plan; every mistake is a :class:`ConfigError`."""
    _check(data, _TOP_KEYS, "the plan", source)
    base = source.resolve().parent
    run = _check(data.get("run", {}), _RUN_KEYS, "[run]", source)
    scenario = dict(data.get("scenario", {}))
    try:
        slo = parse_slo(scenario.get("slo"))
    except ModelBenchError as exc:
        raise ConfigError(f"{source}: [scenario] slo: {exc.message}", hint=exc.hint) from None
    driver = str(scenario.get("driver", "thread"))
    if driver not in DRIVERS:
        raise ConfigError(f"{source}: [scenario] driver {driver!r} is not one of "
                          f"{', '.join(DRIVERS)}")
    if scenario.get("find_peak") and not slo:
        raise ConfigError(f"{source}: [scenario] find_peak needs slo = {{ ttft_ms = ... }}")
    paths = run.get("python_path", [])
    return ServingPlan(
        path=source, name=str(run.get("name") or source.stem),
        prompts=_prompts(data.get("dataset", {}), base, source),
        scenarios=_scenarios(scenario, source), models=_models(data.get("models"), source),
        slo=slo, driver=driver, find_peak=bool(scenario.get("find_peak", False)),
        goodput_target=float(scenario.get("goodput_target", 0.95)),
        python_path=[base] + [(base / str(p)).resolve() for p in _as_list(paths) if p])


def _target(model: dict[str, Any]) -> Any:
    if "endpoint" in model:
        return EndpointTarget(model["endpoint"])
    from ..isolation import resolve_target

    return CallableTarget(resolve_target(model["stream"]), name=model["name"],
                          max_tokens=model["max_tokens"])


def run_serving_plan(plan: ServingPlan, sink: Callable[[Any], Any] | None = None, *,
                     progress: Callable[[dict[str, Any]], None] | None = None
                     ) -> dict[str, Any]:
    """Measure every model × scenario cell; each :class:`Measurement` goes to ``sink`` the
    moment it is measured. Returns ``{"measurements", "stored", "peaks", "plan"}``."""
    import sys

    added = [str(p) for p in plan.python_path if str(p) not in sys.path]
    sys.path[:0] = added
    measurements, stored, peaks = [], 0, {}
    try:
        for model in plan.models:
            target = _target(model)
            try:
                if plan.find_peak:
                    base = plan.scenarios[0]
                    axis = "rate" if base.kind == "rate" else "concurrency"
                    start = base.rate if axis == "rate" else base.concurrency
                    peak = find_peak(target, plan.prompts, base, plan.slo, axis=axis,
                                     start=float(start or 1), driver=plan.driver,
                                     goodput_target=plan.goodput_target)
                    cells = peak.measurements
                    peaks[model["name"]] = {"axis": axis, "value": peak.value}
                else:
                    cells = [measure_scenario(target, plan.prompts, s, slo=plan.slo,
                                              driver=plan.driver) for s in plan.scenarios]
            finally:
                close = getattr(target, "close", None)
                if close is not None:
                    close()
            for m in cells:
                m.result.model_version = model["version"] or m.result.model_version
                m.result.extra["plan"] = plan.name
                if sink is not None and (sink(m) or {}).get("stored"):
                    stored += 1
                measurements.append(m)
                if progress:
                    progress({"done": len(measurements), "model_name": model["name"],
                              "status": m.result.status})
    finally:
        for entry in added:
            if entry in sys.path:
                sys.path.remove(entry)
    return {"measurements": measurements, "stored": stored, "peaks": peaks,
            "plan": {"name": plan.name, "dataset": plan.prompts.name}}

