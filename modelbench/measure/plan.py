"""Run plans: the TOML file behind ``modelbench run CONFIG.toml``.

A plan names models by import path, a dataset file with its input and label columns, the
metric(s) and the timing settings. Paths are relative to the plan file; its folder is put on
the Python path so that models next to it import.

.. code-block:: toml

    [run]
    name = "iris-baselines"          # optional
    task_type = "classification"
    metric = "accuracy"               # or: metrics = ["accuracy", "f1_macro"] (first is ranked)
    jobs = 2                          # models measured at once, each on its own cores
    timeout = 120                     # seconds per run of a model
    python_path = ["src"]             # extra import folders (the plan's folder is always one)
    batch_sizes = [1, 32]             # sweep: one result per model and batch size
    threads = [1, 2]                  # sweep: OMP/MKL/OpenBLAS variables + torch threads
                                      #   (and an ONNX session's intra_op_threads)
    providers = [["CPUExecutionProvider"]]   # sweep ONNX Runtime providers (onnx models)
    device = ["cpu", "cuda"]          # sweep: torch, transformers, onnx (cuda = CUDA provider)
    dtype = ["float32", "bfloat16"]   # sweep: torch, transformers (sklearn: float32/float64)
    in_process = false                # true: measure here, not in fresh child processes
    pass_env = ["HF_TOKEN"]           # variables children keep although they look secret
    margin = 0.02                     # |difference| within 2 % is "same"
    executor = "local"                # or "ray": each cell a task on a Ray cluster
    address = "auto"                  # ray: "auto" (ray start), "ray://HOST:10001", none: local
    results = "driver"                # ray: results come back to the driver, which stores
                                      #   them; "direct": each worker writes its cell's
                                      #   results into the (server) store itself

    [ray]                             # what each cell's task asks of the cluster
    num_cpus = 2                      # default: the cell's threads, else 1 (cores it pins)
    num_gpus = 0
    resources = {accelerator_x = 1}   # custom resources a node must offer
    exclusive_node = true             # one cell per node: nodes need ray start
                                      #   --resources='{"modelbench_node": 1}'
    max_calls = 1                     # a fresh Ray worker per cell (default 0: workers are
                                      #   reused; every run is a fresh child process anyway)

    [dataset]
    name = "iris"
    path = "iris.csv"                 # .csv, .jsonl, .npy or .npz
    inputs = ["sepal_length", "sepal_width"]   # one column name or several
    labels = "species"
    # labels_path = "y.npy"           # .npy only: labels live in a second file
    split = "test"
    limit = 1000                      # first N items only

    [timing]
    runs = 5                          # independent runs per model (fresh processes)
    min_time = 0.2                    # per run
    min_calls = 10                    # per run
    warmup_calls = 2
    batch_size = 32                   # leave out to time whole-dataset calls
    # precision = 0.01                # add runs until the median's CI is within ±1 %

    [[models]]
    name = "majority"
    version = "1.0"
    target = "baselines:majority"     # package.module:callable (or :factory())
    env = { OMP_PROC_BIND = "true" }  # set in this model's child processes only (recorded;
                                      #   secret-looking values as ***)

Example:
    >>> plan = load_plan("examples/plan.toml")  # doctest: +SKIP
    >>> outcome = run_plan(plan, store=None)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import difflib
import re
import sys
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..config import check_keys
from ..errors import ConfigError, ModelBenchError
from ..numbers import parse_number
from .isolation import check_target
from .timing import TIMING_KEYS, TimingConfig

__all__ = ["RunPlan", "DatasetSpec", "load_plan", "load_dataset", "run_plan", "plan_cell_keys"]

_TOP_KEYS = {"run", "dataset", "timing", "models", "ray"}
_RUN_KEYS = {"name", "task_type", "metric", "metrics", "jobs", "timeout", "python_path",
             "trace_python", "batch_sizes", "threads", "in_process", "pass_env", "margin",
             "providers", "device", "dtype", "executor", "address", "results"}
_RAY_KEYS = {"num_cpus", "num_gpus", "resources", "exclusive_node", "max_calls"}
_DATASET_KEYS = {"name", "path", "format", "inputs", "labels", "labels_path", "split", "limit",
                 "sklearn", "test_size", "seed"}
_MODEL_KEYS = {"name", "version", "target", "batch_size", "threads", "env"}
_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".npy": "npy", ".npz": "npz",
            ".parquet": "parquet", ".arrow": "arrow", ".feather": "arrow"}
_INT_TEXT = re.compile(r"^\s*[-+]?\d+\s*$")


@dataclass
class DatasetSpec:
    """Where the items come from and which columns are inputs and labels."""

    path: Path
    format: str
    inputs: list[str]
    labels: str | None
    name: str = ""
    labels_path: Path | None = None
    split: str = ""
    limit: int | None = None
    sklearn: str = ""  # a scikit-learn loader (load_digits ...) instead of a file
    test_size: float = 0.25  # seeded train/test split of sklearn and Parquet/Arrow data
    seed: int = 0


@dataclass
class RunPlan:
    """A parsed, checked run plan (see the module docstring for the file format)."""

    path: Path
    dataset: DatasetSpec
    models: list[dict[str, Any]]
    metrics: list[str]
    name: str = ""
    task_type: str = ""
    jobs: int = 1
    timeout: float | None = None
    trace_python: bool = False
    python_path: list[Path] = field(default_factory=list)
    timing: TimingConfig = field(default_factory=TimingConfig)
    batch_sizes: list[int] | None = None
    threads: list[int] | None = None
    axes: dict[str, list[Any]] = field(default_factory=dict)  # providers, device, dtype sweeps
    in_process: bool = False
    pass_env: list[str] = field(default_factory=list)
    margin: float = 0.02
    executor: str = "local"
    address: str | None = None
    results: str = "driver"
    ray: dict[str, Any] = field(default_factory=dict)


# -- checking ----------------------------------------------------------------------------------
_check_keys = check_keys  # the plan checks of both kinds of plan share one


def _typed(value: Any, kinds: type | tuple[type, ...], what: str, source: Path) -> Any:
    if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)):
        raise ConfigError(f"{source}: {what} must not be true/false, got {value!r}")
    if not isinstance(value, kinds):
        raise ConfigError(f"{source}: {what} has the wrong type ({type(value).__name__}: "
                          f"{value!r})", hint="see `modelbench run --help` for the plan format")
    return value


def _names(value: Any, what: str, source: Path) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"{source}: {what} must be a column name or a list of names, got {value!r}")


def _existing(base: Path, value: Any, what: str, source: Path, *,
              folder_ok: bool = False) -> Path:
    path = (base / _typed(value, str, what, source)).resolve()
    if not (path.exists() if folder_ok else path.is_file()):
        raise ConfigError(f"{source}: {what} file {path} does not exist",
                          hint="paths in a plan are relative to the plan file")
    return path


def _dataset(table: dict[str, Any], base: Path, source: Path) -> DatasetSpec:
    _check_keys(table, _DATASET_KEYS, "[dataset]", source)
    split_options = {"test_size": float(_typed(table.get("test_size", 0.25), (int, float),
                                                "[dataset] test_size", source)),
                     "seed": _typed(table.get("seed", 0), int, "[dataset] seed", source)}
    if "sklearn" in table:
        loader = _typed(table["sklearn"], str, "[dataset] sklearn", source)
        return DatasetSpec(path=Path(loader), format="sklearn", inputs=["*"], labels=None,
                           name=str(table.get("name") or loader.removeprefix("load_")),
                           split=str(table.get("split") or ""), limit=table.get("limit"),
                           sklearn=loader, **split_options)
    if "path" not in table:
        raise ConfigError(f"{source}: [dataset] needs a path or a scikit-learn loader",
                          hint='path = "data.csv", or sklearn = "load_digits"')
    path = _existing(base, table["path"], "[dataset] path", source, folder_ok=True)
    fmt = str(table.get("format") or ("hf" if path.is_dir() else
                                      _FORMATS.get(path.suffix.lower(), "")))
    if fmt not in {*_FORMATS.values(), "hf"}:
        raise ConfigError(f"{source}: cannot tell the format of {path.name}",
                          hint="use .csv, .jsonl, .npy, .npz, .parquet, .arrow or a datasets "
                               "folder, or set format = ...")
    labels_path = None
    if fmt == "npy":
        if "labels_path" not in table:
            raise ConfigError(f"{source}: a .npy dataset needs labels_path (a second .npy file)")
        labels_path = _existing(base, table["labels_path"], "[dataset] labels_path", source)
        inputs, labels = ["<array>"], None
    else:
        for key in ("inputs", "labels"):
            if key not in table:
                raise ConfigError(f"{source}: [dataset] needs '{key}' (a column name)")
        inputs = _names(table["inputs"], "[dataset] inputs", source)
        labels = _typed(table["labels"], str, "[dataset] labels", source)
    limit = table.get("limit")
    if limit is not None and (_typed(limit, int, "[dataset] limit", source) < 1):
        raise ConfigError(f"{source}: [dataset] limit must be at least 1")
    return DatasetSpec(path=path, format=fmt, inputs=inputs, labels=labels,
                       name=str(table.get("name") or path.stem), labels_path=labels_path,
                       split=str(table.get("split") or ""), limit=limit, **split_options)


def _model_target(entry: dict[str, Any], where: str, base: Path, source: Path) -> Any:
    """A ``kind = ...`` entry as a :class:`~.targets.ModelTarget` (paths from the plan)."""
    from .targets import target_from_entry

    options = dict(entry)
    if "path" in options:
        options["path"] = str(_existing(base, options["path"], f"{where} path", source,
                                        folder_ok=True))
    try:
        return target_from_entry(options)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {where}: {exc.message}", hint=exc.hint) from None


def _models(entries: Any, source: Path, base: Path | None = None) -> list[dict[str, Any]]:
    from .targets import OPTIONS

    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{source}: no [[models]] to run",
                          hint='add [[models]] with name = ... and target = "pkg.mod:fn"')
    base = base or source.resolve().parent
    models, seen = [], set()
    for number, entry in enumerate(entries, 1):
        where = f"[[models]] #{number}"
        kind = str(entry.get("kind") or "python")
        _check_keys(entry, _MODEL_KEYS | {"kind"} | OPTIONS.get(kind, set()), where, source)
        if kind == "python" and "target" not in entry:
            raise ConfigError(f"{source}: {where} has no target",
                              hint='target = "package.module:callable", or kind = "onnx" ...')
        if kind == "python":
            target = check_target(_typed(entry["target"], str, f"{where} target", source))
            default_name = target
        else:
            runtime = {k: v for k, v in entry.items() if k not in _MODEL_KEYS}
            function = _model_target(runtime, where, base, source)
            default_name = f"{kind}:{Path(str(entry.get('path', kind))).name}"
        name = str(entry.get("name") or default_name)
        version = str(entry.get("version") or "")
        if (name, version) in seen:  # one name may appear with several versions
            raise ConfigError(f"{source}: two models are named {name!r}"
                              + (f" with version {version!r}" if version else ""),
                              hint="give every model its own name or version")
        seen.add((name, version))
        model: dict[str, Any] = {"name": name, "version": version}
        if kind == "python":
            model["target"] = target
        else:
            model["function"] = function
        for key in ("batch_size", "threads"):
            if key in entry:
                model[key] = _typed(entry[key], int, f"{where} {key}", source)
        if "env" in entry:
            model["env"] = _typed(entry["env"], dict, f"{where} env", source)
        models.append(model)
    return models


def load_plan(path: str | Path) -> RunPlan:
    """Read and check a run plan. Every mistake is a :class:`ConfigError` naming it.

    A plan with a ``[scenario]`` table or ``endpoint`` models is a serving plan: it comes back
    as a :class:`~.serving.plan.ServingPlan` (run it with ``run_serving_plan``)."""
    source = Path(path)
    if not source.is_file():
        raise ConfigError(f"run plan {source} does not exist", hint="check the path")
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: {exc}", hint="fix the TOML syntax") from exc
    from .serving.plan import is_serving_plan, serving_plan_from

    if is_serving_plan(data):  # endpoints and load scenarios (see serving/plan.py)
        return serving_plan_from(data, source)  # type: ignore[return-value]
    _check_keys(data, _TOP_KEYS, "the plan", source)
    base = source.resolve().parent
    run = data.get("run", {})
    _check_keys(run, _RUN_KEYS, "[run]", source)
    timing_table = data.get("timing", {})
    _check_keys(timing_table, set(TIMING_KEYS), "[timing]", source)
    if "dataset" not in data:
        raise ConfigError(f"{source}: no [dataset] table", hint="add [dataset] with a path")
    if "metric" in run and "metrics" in run:
        raise ConfigError(f"{source}: give either metric or metrics in [run], not both")
    metrics = _names(run.get("metrics", run.get("metric", "accuracy")), "[run] metric", source)
    from ..metrics import get_metric

    for name in metrics:
        try:
            get_metric(name)
        except ModelBenchError as exc:
            raise ConfigError(f"{source}: {exc.message}", hint=exc.hint) from None
    jobs = _typed(run.get("jobs", 1), int, "[run] jobs", source)
    if jobs < 1:
        raise ConfigError(f"{source}: [run] jobs must be at least 1")
    timeout = run.get("timeout")
    if timeout is not None and _typed(timeout, (int, float), "[run] timeout", source) <= 0:
        raise ConfigError(f"{source}: [run] timeout must be positive seconds")
    extra_paths = run.get("python_path", [])
    extra_paths = [extra_paths] if isinstance(extra_paths, str) else extra_paths
    python_path = [base] + [(base / _typed(p, str, "[run] python_path", source)).resolve()
                            for p in extra_paths]
    try:
        timing = TimingConfig(**timing_table)
    except ConfigError as exc:
        raise ConfigError(f"{source}: [timing]: {exc.message}", hint=exc.hint) from None
    margin = _typed(run.get("margin", 0.02), (int, float), "[run] margin", source)
    if not 0 <= margin < 1:
        raise ConfigError(f"{source}: [run] margin must be a fraction (0.02 = 2 %)")
    pass_env = run.get("pass_env", [])
    pass_env = [pass_env] if isinstance(pass_env, str) else pass_env
    return RunPlan(path=source, dataset=_dataset(data["dataset"], base, source),
                   models=_models(data.get("models"), source, base), metrics=metrics,
                   name=str(run.get("name") or source.stem),
                   task_type=str(run.get("task_type") or ""), jobs=jobs,
                   timeout=float(timeout) if timeout is not None else None,
                   trace_python=bool(run.get("trace_python", False)),
                   python_path=python_path, timing=timing,
                   batch_sizes=_sweep(run, "batch_sizes", source),
                   threads=_sweep(run, "threads", source),
                   axes={key: _axis(run, key, source) for key in ("providers", "device", "dtype")
                         if key in run},
                   in_process=bool(_typed(run.get("in_process", False), bool,
                                          "[run] in_process", source)),
                   pass_env=[_typed(v, str, "[run] pass_env", source) for v in pass_env],
                   margin=float(margin), **_executor(run, data.get("ray", {}), source))


def _executor(run: dict[str, Any], ray: Any, source: Path) -> dict[str, Any]:
    """``executor``, ``address``, ``results`` and the ``[ray]`` table, checked."""
    from .executors import EXECUTORS, RESULTS

    name = _typed(run.get("executor", "local"), str, "[run] executor", source)
    if name not in EXECUTORS:
        raise ConfigError(f"{source}: unknown [run] executor {name!r}",
                          hint=f"use one of: {', '.join(EXECUTORS)}")
    address = run.get("address")
    if address is not None:
        _typed(address, str, "[run] address", source)
    results = _typed(run.get("results", "driver"), str, "[run] results", source)
    if results not in RESULTS:
        raise ConfigError(f"{source}: unknown [run] results {results!r}",
                          hint=f"use one of: {', '.join(RESULTS)}")
    _typed(ray, dict, "[ray]", source)
    _check_keys(ray, _RAY_KEYS, "[ray]", source)
    for key in ("num_cpus", "num_gpus"):
        if key in ray and _typed(ray[key], (int, float), f"[ray] {key}", source) < 0:
            raise ConfigError(f"{source}: [ray] {key} must not be negative")
    resources = _typed(ray.get("resources", {}), dict, "[ray] resources", source)
    for key, value in resources.items():
        _typed(value, (int, float), f"[ray] resources.{key}", source)
    if "exclusive_node" in ray:
        _typed(ray["exclusive_node"], bool, "[ray] exclusive_node", source)
    if "max_calls" in ray and _typed(ray["max_calls"], int, "[ray] max_calls", source) < 0:
        raise ConfigError(f"{source}: [ray] max_calls must not be negative",
                          hint="1: a fresh Ray worker per cell; 0: workers reused")
    return {"executor": name, "address": address, "results": results, "ray": dict(ray)}


def _sweep(run: dict[str, Any], key: str, source: Path) -> list[int] | None:
    values = run.get(key)
    if values is None:
        return None
    if not isinstance(values, list) or not values:
        raise ConfigError(f"{source}: [run] {key} must be a list of whole numbers, e.g. "
                          f"{key} = [1, 8]")
    for value in values:
        if _typed(value, int, f"[run] {key}", source) < 1:
            raise ConfigError(f"{source}: [run] {key} values must be at least 1")
    return list(values)


def _axis(run: dict[str, Any], key: str, source: Path) -> list[Any]:
    """A target axis of ``[run]``: ``providers`` lists of names, ``device``/``dtype`` names."""
    values = run[key]
    example = {"providers": 'providers = [["CPUExecutionProvider"]]',
               "device": 'device = ["cpu", "cuda"]', "dtype": 'dtype = ["float32", "bfloat16"]'}
    if not isinstance(values, list) or not values:
        raise ConfigError(f"{source}: [run] {key} must be a list, e.g. {example[key]}")
    for value in values:
        names = value if key == "providers" and isinstance(value, list) else [value]
        if not names or not all(isinstance(v, str) and v for v in names):
            raise ConfigError(f"{source}: [run] {key} has a value that is not a name: "
                              f"{value!r}", hint=example[key])
    return list(values)


# -- data ------------------------------------------------------------------------------------
def _text_column(values: list[str], column: str, source: Path) -> Any:
    """A CSV column as int64, float64 (via the project's number parser) or strings."""
    if all(_INT_TEXT.match(v) for v in values):
        return np.array([int(v) for v in values], dtype=np.int64)
    parsed = []
    for value in values:
        try:
            parsed.append(parse_number(value))
        except ValueError:
            return list(values)  # text labels or inputs
    missing = [i + 2 for i, p in enumerate(parsed) if p is None]  # +2: header and 1-based
    if missing:
        raise ConfigError(f"{source}: column {column!r} has empty values (lines "
                          f"{', '.join(map(str, missing[:5]))})",
                          hint="fill or drop those rows")
    return np.array([p.value for p in parsed], dtype=np.float64)


def _pick(columns: dict[str, Any], names: list[str], n: int) -> Any:
    if len(names) == 1:
        return columns[names[0]]
    picked = [columns[c] for c in names]
    if all(isinstance(c, np.ndarray) for c in picked):
        return np.column_stack(picked).astype(np.float64)
    return [{c: columns[c][i] for c in names} for i in range(n)]


def _need_columns(available: list[str], wanted: list[str], source: Path) -> None:
    for name in wanted:
        if name not in available:
            close = difflib.get_close_matches(name, available, n=1)
            hint = f"did you mean {close[0]!r}?" if close else \
                f"columns are: {', '.join(available[:20])}"
            raise ConfigError(f"{source}: no column {name!r}", hint=hint)


def _load_csv(spec: DatasetSpec) -> tuple[Any, Any]:
    with open(spec.path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        if spec.inputs == ["*"]:  # every column but the label
            spec.inputs = [c for c in header if c != spec.labels]
        wanted = [*spec.inputs, spec.labels or ""]
        _need_columns(header, wanted, spec.path)
        rows = []
        for row in reader:
            rows.append(row)
            if spec.limit and len(rows) >= spec.limit:
                break
    if not rows:
        raise ConfigError(f"{spec.path}: no data rows", hint="the file has only a header")
    columns = {c: _text_column([(r.get(c) or "").strip() for r in rows], c, spec.path)
               for c in dict.fromkeys(wanted)}
    return _pick(columns, spec.inputs, len(rows)), columns[spec.labels or ""]


def _json_column(values: list[Any]) -> Any:
    try:
        array = np.asarray(values)
    except ValueError:  # ragged lists
        return values
    return array if array.dtype.kind in "biuf" else values


def _load_jsonl(spec: DatasetSpec) -> tuple[Any, Any]:
    from .datasets import read_jsonl

    records = [row for _, row in read_jsonl(spec.path, limit=spec.limit)]
    if not records:
        raise ConfigError(f"{spec.path}: no records")
    wanted = [*spec.inputs, spec.labels or ""]
    for number, record in enumerate(records, 1):
        missing = [c for c in wanted if c not in record]
        if missing:
            _need_columns(list(record), missing, Path(f"{spec.path} record {number}"))
    columns = {c: _json_column([r[c] for r in records]) for c in dict.fromkeys(wanted)}
    return _pick(columns, spec.inputs, len(records)), columns[spec.labels or ""]


def _load_numpy(spec: DatasetSpec) -> tuple[Any, Any]:
    try:
        if spec.format == "npy":
            inputs = np.load(spec.path, allow_pickle=False)
            labels = np.load(spec.labels_path, allow_pickle=False)  # type: ignore[arg-type]
        else:
            with np.load(spec.path, allow_pickle=False) as archive:
                keys = list(archive.files)
                _need_columns(keys, [*spec.inputs, spec.labels or ""], spec.path)
                if len(spec.inputs) != 1:
                    raise ConfigError(f"{spec.path}: name one array as inputs",
                                      hint=f"arrays are: {', '.join(keys)}")
                inputs, labels = archive[spec.inputs[0]], archive[spec.labels or ""]
    except (ValueError, OSError) as exc:
        raise ConfigError(f"{spec.path}: cannot read the arrays: {exc}",
                          hint="save them with numpy.save / numpy.savez (no pickled objects)"
                          ) from exc
    if spec.limit:
        inputs, labels = inputs[: spec.limit], labels[: spec.limit]
    return inputs, labels


def _load_other(spec: DatasetSpec) -> tuple[Any, Any]:
    from . import datasets

    inputs: Any = "*" if spec.inputs == ["*"] else spec.inputs
    if spec.format == "sklearn":
        return datasets.load_sklearn(spec.sklearn, split=spec.split, test_size=spec.test_size,
                                     seed=spec.seed, limit=spec.limit)
    if spec.format == "hf":
        return datasets.load_hf_folder(spec.path, labels=spec.labels or "", inputs=inputs,
                                       split=spec.split, limit=spec.limit)
    return datasets.load_table(spec.path, inputs=inputs, labels=spec.labels or "",
                               split=spec.split, test_size=spec.test_size, seed=spec.seed,
                               limit=spec.limit)


def load_dataset(spec: DatasetSpec) -> tuple[Any, Any]:
    """``(inputs, expected_outputs)`` read from the plan's dataset file."""
    loader = {"csv": _load_csv, "jsonl": _load_jsonl, "sklearn": _load_other, "hf": _load_other,
              "parquet": _load_other, "arrow": _load_other}.get(spec.format, _load_numpy)
    inputs, labels = loader(spec)
    if len(inputs) != len(labels):
        raise ConfigError(f"{spec.path}: {len(inputs)} inputs but {len(labels)} labels",
                          hint="inputs and labels must have one entry per item")
    return inputs, labels


# -- running ---------------------------------------------------------------------------------
def plan_cell_keys(plan: RunPlan) -> list[tuple[str, str]]:
    """Every ``(cell_key, metric)`` the plan stores a result for (what a resume looks up)."""
    from .runner import ModelBenchmark, sweep_axes

    bench = ModelBenchmark(timing=plan.timing)
    axes = sweep_axes(batch_sizes=plan.batch_sizes, threads=plan.threads, **plan.axes)
    cells = bench._compare_cells(
        plan.models, plan.metrics, plan.timing, 0, plan.task_type, plan.dataset.name,
        plan.dataset.split, True, axes, False)
    return [(c.info.key, m) for c in cells for m in c.info.metrics]


def _plan_executor(plan: RunPlan, executor: Any, address: str | None, jobs: int,
                   worker_sink: Any = None) -> Any:
    """The executor object to use and whether it is made (and so closed) here; with a
    ``worker_sink``, a Ray executor whose workers write through it."""
    from .executors import make_executor

    name = executor or plan.executor
    if not isinstance(name, str):
        if worker_sink is not None and getattr(name, "sink", None) is None:
            raise ConfigError('results = "direct" needs an executor made with its sink',
                              hint="RayExecutor(..., sink=WorkerSink.for_store(db))")
        return name, False
    if name == "local":
        if worker_sink is not None:
            raise ConfigError('results = "direct" applies to the Ray executor: local cells '
                              "already run beside the driver, which stores their results",
                              hint="add --executor ray, or leave out --results direct")
        return None, False  # measure_cells makes its own, of ``jobs`` slots
    ray = plan.ray
    return make_executor(name, jobs=jobs, address=address or plan.address,
                         num_cpus=ray.get("num_cpus"), num_gpus=ray.get("num_gpus", 0),
                         resources=ray.get("resources"),
                         exclusive_node=bool(ray.get("exclusive_node", False)),
                         max_calls=int(ray.get("max_calls", 0)), sink=worker_sink), True


def _worker_sink(sink: Any, results: str) -> Any:
    """The sink Ray workers write through (``results = "direct"``): the driver's sink's
    :meth:`for_workers` (a store sink's location, no password); ``None`` for "driver"."""
    if results == "driver":
        return None
    if results != "direct":
        from .executors import RESULTS

        raise ConfigError(f"unknown results {results!r}", hint=f"use one of: {', '.join(RESULTS)}")
    if not hasattr(sink, "for_workers"):
        raise ConfigError('results = "direct" needs a store for the workers to write into',
                          hint="leave out --no-store, or use --results driver")
    return sink.for_workers()


def run_plan(plan: RunPlan, sink: Any = None, *,
             progress: Callable[[dict[str, Any]], None] | None = None,
             jobs: int | None = None, in_process: bool | None = None,
             executor: Any = None, address: str | None = None, run_id: str | None = None,
             done: Collection[tuple[str, str]] = (), results: str | None = None
             ) -> dict[str, Any]:
    """Measure every model of ``plan`` (each run in its own child process) and hand each
    result to ``sink`` as soon as it is measured.

    Returns :meth:`ModelBenchmark.compare_models`'s dict plus ``plan`` (name, dataset, metrics,
    run id, executor, how many cells were already ``resumed_done``).
    ``progress`` is called after each cell with ``{"done", "total", "model_name", "status",
    "node", "running", "failed"}``. ``executor``: ``"local"``, ``"ray"`` or an
    :class:`~.executors.Executor` (default: the plan's); ``address``: the Ray cluster's.
    ``run_id`` + ``done`` resume a run: the ``(cell_key, metric)`` pairs already stored for
    that id are not measured again, and new results carry the same id.
    ``results``: ``"driver"`` (results come back here and go to ``sink``) or ``"direct"``
    (each Ray worker writes its cell's results into the sink's server store, through its
    spool; ``sink`` takes those a worker could not write); default: the plan's.
    An interruption raises :class:`~.schedule.MeasurementInterrupted` (with ``outcome``).
    """
    from .runner import ModelBenchmark

    inputs, expected = load_dataset(plan.dataset)
    isolate = not (plan.in_process if in_process is None else in_process)
    bench = ModelBenchmark(sink=sink, timing=plan.timing, trace_python=plan.trace_python,
                           timeout=plan.timeout, isolate=isolate, pass_env=plan.pass_env,
                           margin=plan.margin, run_id=run_id)
    added = [str(p) for p in plan.python_path if str(p) not in sys.path]
    sys.path[:0] = added  # children start with the parent's sys.path
    worker_sink = _worker_sink(sink, results or plan.results)
    chosen, owned = _plan_executor(plan, executor, address, jobs or plan.jobs, worker_sink)
    try:
        outcome = bench.compare_models(
            models=plan.models, task_type=plan.task_type, dataset=plan.dataset.name,
            metric=plan.metrics[0], inputs=inputs, expected_outputs=expected,
            jobs=jobs or plan.jobs, progress=progress, dataset_split=plan.dataset.split,
            extra_metrics=plan.metrics[1:], batch_sizes=plan.batch_sizes, threads=plan.threads,
            executor=chosen, done=done, one_per_cell=True, **plan.axes)
    finally:
        if owned:
            chosen.close()
        for entry in added:
            if entry in sys.path:
                sys.path.remove(entry)
    stored = set(done)
    outcome["plan"] = {"name": plan.name, "dataset": plan.dataset.name,
                       "metrics": plan.metrics, "run_id": bench.run_id,
                       "n_items": len(inputs), "jobs": jobs or plan.jobs,
                       "executor": getattr(chosen, "name", "local"),
                       "results": "direct" if getattr(chosen, "sink", None) else "driver",
                       "resumed_done": len({k for k, m in stored})}
    return outcome
