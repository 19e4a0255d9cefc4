"""Model targets by kind: what a plan's ``[[models]]`` entry or the API names, loaded where it runs.

A :class:`ModelTarget` is a small, picklable description (``kind`` plus options). It is sent to
the child process as it is and loaded there (:meth:`ModelTarget.load`), so that loading a model
file, building a session or compiling a module happens once, outside the timed calls; the load
time is kept (``load_ns``) so the runner can record it as the ``load`` series.

Kinds and their options:

* ``python`` — ``target = "pkg.mod:callable"`` (or ``:factory()``), as before.
* ``sklearn`` — ``path`` (a joblib or pickle file) or ``factory`` (``"pkg.mod:fn"`` returning a
  fitted estimator); ``method`` = ``predict`` (default) or ``predict_proba`` (top-k metrics).
* ``onnx`` — ``path`` to a model run with ONNX Runtime; ``providers`` (default: CPU),
  ``intra_op_threads``, ``inter_op_threads``, ``graph_optimization`` (``disable``, ``basic``,
  ``extended``, ``all``), ``output`` (name or index; default the first). Input names, types
  and shapes are read from the model; a batch of another shape is refused naming both.
* ``torch`` — ``factory`` (an ``nn.Module``) or ``path`` (TorchScript ``.pt`` or
  ``torch.export`` ``.pt2``); ``dtype``, ``device``, ``compile``; calls run under
  ``torch.inference_mode()`` and are CUDA-synchronised on a GPU.
* ``transformers`` — ``path`` to a local folder and ``task`` (a ``pipeline`` task); ``device``,
  ``dtype``, ``output`` (the key kept from each result dict; default: ``label``,
  ``generated_text``, ... when the result has exactly one of them); read from the folder,
  never a Hub download.

Grid axes (:data:`AXES`): ``providers``, ``device`` and ``dtype`` may be swept by a plan like
``batch_sizes``; :meth:`ModelTarget.with_axes` makes a cell's target and
:meth:`ModelTarget.check_here` refuses, before anything is measured, a value this machine or
runtime cannot run (``device = "cuda"`` without a GPU says what is missing). Which kinds take
which axis: ``providers`` — onnx; ``device`` — onnx (``cuda`` is its CUDA provider), torch,
transformers, sklearn (``cpu`` only); ``dtype`` — torch and transformers (``float32``,
``float16``, ``bfloat16``, ``float64``), sklearn (the inputs as ``float32``/``float64``).
A swept ``threads`` count sets an ONNX session's ``intra_op_threads`` (ONNX Runtime reads no
``OMP_NUM_THREADS``).

Example:
    >>> target = ModelTarget("python", {"target": "builtins:len"})
    >>> loaded = target.load()
    >>> loaded([[1, 2], [3]]), target.info["kind"]
    (2, 'python')
"""

from __future__ import annotations

import importlib
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError

__all__ = ["ModelTarget", "KINDS", "OPTIONS", "AXES", "target_from_entry"]

#: Options each kind accepts (anything else is refused with the list).
OPTIONS: dict[str, set[str]] = {
    "python": {"target"},
    "sklearn": {"path", "factory", "method", "device", "dtype"},
    "onnx": {"path", "providers", "device", "intra_op_threads", "inter_op_threads",
             "graph_optimization", "output"},
    "torch": {"path", "factory", "dtype", "device", "compile"},
    "transformers": {"path", "task", "device", "dtype", "output", "pipeline_options"},
}
#: Grid axes a plan may sweep besides batch sizes and threads, and the kinds taking each.
AXES: dict[str, tuple[str, ...]] = {
    "providers": ("onnx",),
    "device": ("onnx", "torch", "transformers", "sklearn"),
    "dtype": ("torch", "transformers", "sklearn"),
}
_TORCH_DTYPES = ("float32", "float16", "bfloat16", "float64")
_DTYPES = {"torch": _TORCH_DTYPES, "transformers": _TORCH_DTYPES,
           "sklearn": ("float32", "float64")}
_AXIS_HINTS = {
    "providers": "only ONNX models take execution providers",
    "device": "a python callable places itself; give the device in its own code",
    "dtype": "an ONNX model's types are fixed in its file: export a float16 model and list it "
             "as another model (or version)",
}
KINDS = tuple(OPTIONS)
#: The extra that brings each kind's runtime.
_EXTRAS = {"sklearn": "sklearn", "onnx": "onnx", "torch": "torch", "transformers": "transformers"}


def _need(module: str, kind: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise ConfigError(f"the {kind} target needs {module.split('.')[0]}, which is not "
                          "installed", hint=f"pip install 'modelbench[{_EXTRAS[kind]}]'") from exc


def _resolve(path: str) -> Any:
    from .isolation import resolve_target

    return resolve_target(path)


def _built(factory: str, is_model: Callable[[Any], bool]) -> Any:
    """The model a ``factory = "pkg.mod:name"`` names: the object itself when it already is
    one (a module-level estimator), else what calling it returns (a function or a class)."""
    from .isolation import check_target

    module_name, _, attr = check_target(factory).removesuffix("()").partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"cannot import the factory {factory!r}: {exc}",
                          hint="check the name and that its folder is on the Python path "
                               "(python_path in the run plan)") from exc
    return obj if is_model(obj) else obj()


@dataclass
class ModelTarget:
    """A model to benchmark, by kind; picklable, loaded in the process that times it."""

    kind: str
    options: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    load_ns: int | None = None
    _call: Callable[[Any], Any] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in OPTIONS:
            raise ConfigError(f"unknown model kind {self.kind!r}",
                              hint=f"one of: {', '.join(KINDS)}")
        unknown = set(self.options) - OPTIONS[self.kind]
        if unknown:
            raise ConfigError(f"{self.kind} target: unknown option(s) "
                              f"{', '.join(sorted(unknown))}",
                              hint=f"{self.kind} takes: {', '.join(sorted(OPTIONS[self.kind]))}")

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_call"] = None  # a loaded session never travels; the child loads its own
        return state

    def load(self) -> ModelTarget:
        """Load the model (once); returns self, now callable on a batch."""
        if self._call is None:
            start = time.perf_counter_ns()
            self._call = _LOADERS[self.kind](self.options, self.info)
            self.load_ns = time.perf_counter_ns() - start
            self.info["kind"] = self.kind
        return self

    def loaded_function(self) -> Callable[[Any], Any]:
        """Load where it runs and return the batch function itself: what a timing loop
        should call (it skips this object's own dispatch, ~0.1-0.3 µs a call). It carries
        what the runtime applied (``modelbench_info``: providers, device, dtype, versions)."""
        call = self.load()._call
        if self.kind != "python":  # never touch a user's own callable
            call.modelbench_info = self.info  # type: ignore[union-attr]
        return call  # type: ignore[return-value]

    def with_axes(self, values: dict[str, Any]) -> ModelTarget:
        """This target at one cell of a sweep: ``values`` are the cell's ``providers``,
        ``device``, ``dtype`` (and ``threads``, which an ONNX session takes as
        ``intra_op_threads``). An axis this kind does not take, or one the model already
        sets, is a :class:`ConfigError`.

        >>> ModelTarget("onnx", {"path": "m.onnx"}).with_axes({"threads": 2}).options
        {'path': 'm.onnx', 'intra_op_threads': 2}
        >>> ModelTarget("python", {"target": "builtins:len"}).with_axes({"dtype": "float16"})
        Traceback (most recent call last):
        ...
        modelbench.errors.ConfigError: a python model cannot take dtype = 'float16' (hint: ...)
        """
        options = dict(self.options)
        for axis, value in values.items():
            if axis == "threads":
                if self.kind == "onnx" and value is not None:
                    if "intra_op_threads" in options:
                        raise ConfigError("the model sets intra_op_threads while threads is "
                                          "swept", hint="leave intra_op_threads out: the "
                                                        "sweep sets it")
                    options["intra_op_threads"] = value
                continue
            _axis_taken(self.kind, axis, value)
            if axis in options:
                raise ConfigError(f"the model sets {axis} while {axis} is swept",
                                  hint=f"leave {axis} out of the model or out of the sweep")
            options[axis] = value
        return ModelTarget(self.kind, options)

    def check_here(self) -> None:
        """Refuse, before measuring, a ``providers``/``device``/``dtype`` this machine or
        runtime cannot run, naming what is missing.

        >>> ModelTarget("sklearn", {"path": "m.joblib", "device": "cuda"}).check_here()
        Traceback (most recent call last):
        ...
        modelbench.errors.ConfigError: scikit-learn runs on the CPU only, not on 'cuda' (hint: ...)
        """
        for axis in AXES:
            if axis in self.options:
                _axis_taken(self.kind, axis, self.options[axis])
                _CHECKS[axis](self.kind, self.options[axis])

    def __call__(self, batch: Any) -> Any:
        if self._call is None:
            self.load()
        return self._call(batch)  # type: ignore[misc]


def target_from_entry(entry: dict[str, Any]) -> ModelTarget:
    """A target from a plan's ``[[models]]`` keys: ``kind`` plus that kind's options.

    >>> target_from_entry({"kind": "onnx", "path": "m.onnx", "intra_op_threads": 1}).options
    {'path': 'm.onnx', 'intra_op_threads': 1}
    """
    kind = str(entry.get("kind") or "python")
    return ModelTarget(kind, {k: v for k, v in entry.items() if k in OPTIONS.get(kind, ())})


# -- axes: what this machine can run -------------------------------------------------------
def _axis_taken(kind: str, axis: str, value: Any) -> None:
    if axis not in AXES:
        raise ConfigError(f"unknown axis {axis!r}", hint=f"axes: {', '.join(AXES)}")
    if kind not in AXES[axis]:
        raise ConfigError(f"a {kind} model cannot take {axis} = {value!r}",
                          hint=f"{_AXIS_HINTS[axis]}; {axis} applies to "
                               f"{', '.join(AXES[axis])} models")


def provider_list(value: Any) -> list[Any]:
    """ONNX Runtime providers as given in a plan: a name or a list of names.

    >>> provider_list("CPUExecutionProvider")
    ['CPUExecutionProvider']
    """
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or not names or not all(
            isinstance(n, str) and n for n in names):
        raise ConfigError(f"providers must be a provider name or a list of names, got {value!r}",
                          hint='providers = ["CPUExecutionProvider"]')
    return list(names)


def _check_providers(kind: str, value: Any) -> None:
    ort = _need("onnxruntime", "onnx")
    available = ort.get_available_providers()
    missing = [p for p in provider_list(value) if p not in available]
    if missing:
        raise ConfigError(f"ONNX Runtime provider(s) {', '.join(missing)} not available here "
                          f"(onnxruntime {ort.__version__})",
                          hint=f"available: {', '.join(available)}; GPU providers come with "
                               "onnxruntime-gpu on a machine with the GPU's runtime")


def _device_text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"device must be a name such as 'cpu' or 'cuda:0', got {value!r}")
    return value


def _onnx_device_providers(device: str) -> list[Any]:
    """The providers an ONNX session gets for ``device``: ``cpu`` or ``cuda[:N]``."""
    kind, _, index = device.partition(":")
    if kind == "cpu" and not index:
        return ["CPUExecutionProvider"]
    if kind == "cuda" and (index.isdigit() or not index):
        return [("CUDAExecutionProvider", {"device_id": int(index or 0)})]
    raise ConfigError(f"ONNX Runtime device {device!r} is not cpu or cuda[:N]",
                      hint="give providers = [...] for other execution providers")


def _check_device(kind: str, value: Any) -> None:
    device = _device_text(value)
    if kind == "sklearn":
        if device != "cpu":
            raise ConfigError(f"scikit-learn runs on the CPU only, not on {device!r}",
                              hint='device = "cpu" (or leave device out of this model)')
        return
    if kind == "onnx":
        providers = _onnx_device_providers(device)
        _check_providers(kind, [p if isinstance(p, str) else p[0] for p in providers])
        return
    if device == "cpu":
        return  # no need to import torch to know that
    torch = _need("torch", kind)
    try:
        parsed = torch.device(device)
    except (RuntimeError, ValueError) as exc:
        raise ConfigError(f"torch does not know the device {device!r}: {exc}",
                          hint="cpu, cuda, cuda:N or mps") from None
    _check_torch_device(torch, parsed)


def _check_torch_device(torch: Any, device: Any) -> None:
    if device.type == "cuda":
        if torch.version.cuda is None:
            raise ConfigError(f"device {str(device)!r} needs a CUDA build of torch; this torch "
                              f"({torch.__version__}) is a CPU-only build",
                              hint="install a CUDA build of torch on a machine with an NVIDIA "
                                   'GPU, or sweep device = ["cpu"]')
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise ConfigError(f"device {str(device)!r}: no CUDA GPU is visible "
                              "(torch.cuda.is_available() is False)",
                              hint="check nvidia-smi and CUDA_VISIBLE_DEVICES")
        if device.index is not None and device.index >= count:
            raise ConfigError(f"device {str(device)!r}: only {count} CUDA GPU(s) visible",
                              hint=f"cuda:0 ... cuda:{count - 1}")
    elif device.type == "mps" and not torch.backends.mps.is_available():
        raise ConfigError("device 'mps': Apple's Metal backend is not available here")
    elif device.type not in ("cpu", "cuda", "mps"):
        backend = getattr(torch, device.type, None)
        if backend is None or not backend.is_available():
            raise ConfigError(f"device {str(device)!r} is not available in this torch "
                              f"({torch.__version__})")


def _check_dtype(kind: str, value: Any) -> None:
    allowed = _DTYPES[kind]
    if value not in allowed:
        raise ConfigError(f"{kind} models take dtype {', '.join(allowed)}, not {value!r}")


_CHECKS: dict[str, Callable[[str, Any], None]] = {
    "providers": _check_providers, "device": _check_device, "dtype": _check_dtype}


# -- loaders ----------------------------------------------------------------------------------
def _file(options: dict[str, Any], kind: str) -> Path:
    if "path" not in options:
        raise ConfigError(f"the {kind} target needs a path", hint='path = "model file"')
    path = Path(options["path"])
    if not path.exists():
        raise ConfigError(f"{kind} model {path} does not exist",
                          hint="paths in a plan are relative to the plan file")
    return path


def _load_sklearn(options: dict[str, Any], info: dict[str, Any]) -> Callable[[Any], Any]:
    _need("sklearn", "sklearn")
    if "factory" in options:
        estimator = _built(str(options["factory"]),
                           lambda obj: not isinstance(obj, type) and hasattr(obj, "predict"))
    else:
        path = _file(options, "sklearn")
        try:
            if path.suffix in (".joblib", ".jl"):
                import joblib

                estimator = joblib.load(path)
            else:
                with path.open("rb") as handle:
                    estimator = pickle.load(handle)  # the user's own model file
        except Exception as exc:
            raise ConfigError(f"cannot load the scikit-learn model {path}: "
                              f"{type(exc).__name__}: {exc}",
                              hint="save it with joblib.dump(estimator, path)") from exc
    method = str(options.get("method", "predict"))
    if not hasattr(estimator, method):
        raise ConfigError(f"{type(estimator).__name__} has no {method}()",
                          hint="method = 'predict' or 'predict_proba'")
    import sklearn

    info.update(runtime="scikit-learn", runtime_version=sklearn.__version__,
                estimator=type(estimator).__name__, method=method)
    predict = getattr(estimator, method)
    if "dtype" in options:  # float32 inputs: what some estimators keep and others convert
        _check_dtype("sklearn", options["dtype"])
        dtype = np.dtype(options["dtype"])
        info["dtype"] = options["dtype"]
        return lambda batch: predict(np.asarray(batch, dtype=dtype))
    return lambda batch: predict(np.asarray(batch))


_ORT_TYPES = {"tensor(float)": np.float32, "tensor(double)": np.float64,
              "tensor(int64)": np.int64, "tensor(int32)": np.int32, "tensor(bool)": np.bool_,
              "tensor(string)": np.str_, "tensor(uint8)": np.uint8}


def _onnx_session(options: dict[str, Any], path: Path) -> Any:
    ort = _need("onnxruntime", "onnx")
    opts = ort.SessionOptions()
    if "intra_op_threads" in options:
        opts.intra_op_num_threads = int(options["intra_op_threads"])
    if "inter_op_threads" in options:
        opts.inter_op_num_threads = int(options["inter_op_threads"])
    level = str(options.get("graph_optimization", "all"))
    levels = {"disable": "ORT_DISABLE_ALL", "basic": "ORT_ENABLE_BASIC",
              "extended": "ORT_ENABLE_EXTENDED", "all": "ORT_ENABLE_ALL"}
    if level not in levels:
        raise ConfigError(f"graph_optimization {level!r} is not one of {', '.join(levels)}")
    opts.graph_optimization_level = getattr(ort.GraphOptimizationLevel, levels[level])
    if "device" in options and "providers" in options:
        raise ConfigError("give an ONNX model providers or device, not both",
                          hint="device = 'cuda' is providers = ['CUDAExecutionProvider']")
    if "device" in options:
        _check_device("onnx", options["device"])
        providers = _onnx_device_providers(_device_text(options["device"]))
    else:
        providers = provider_list(options.get("providers") or ["CPUExecutionProvider"])
        _check_providers("onnx", providers)
    try:
        return ort.InferenceSession(str(path), sess_options=opts, providers=providers), ort
    except Exception as exc:  # onnxruntime raises its own exception types
        raise ConfigError(f"ONNX Runtime cannot load {path}: {exc}",
                          hint="check that the file is an ONNX model") from exc


def _load_onnx(options: dict[str, Any], info: dict[str, Any]) -> Callable[[Any], Any]:
    path = _file(options, "onnx")
    session, ort = _onnx_session(options, path)
    inputs = session.get_inputs()
    if len(inputs) != 1:
        names = ", ".join(i.name for i in inputs)
        raise ConfigError(f"{path.name} has {len(inputs)} inputs ({names}); this target feeds one",
                          hint="wrap the session in a python target for several inputs")
    first = inputs[0]
    dtype = np.dtype(_ORT_TYPES.get(first.type, np.float32))  # a dtype: compares fast
    outputs = [o.name for o in session.get_outputs()]
    wanted = options.get("output", 0)
    output = outputs[wanted] if isinstance(wanted, int) else str(wanted)
    if output not in outputs:
        raise ConfigError(f"{path.name} has no output {wanted!r}",
                          hint=f"outputs: {', '.join(outputs)}")
    expected = list(first.shape)
    info.update(runtime="onnxruntime", runtime_version=ort.__version__,
                providers=session.get_providers(), input=first.name, input_shape=expected,
                input_type=first.type, output=output,
                threads={k: options[k] for k in ("intra_op_threads", "inter_op_threads")
                         if k in options})

    # Everything that can be decided once is decided here. The timed call converts only
    # what it must and leaves the shape check to ONNX Runtime: a mismatch is translated
    # after the fact (free on the happy path), naming the expected and given shapes.
    zipmap = next(o.type for o in session.get_outputs() if o.name == output).startswith("seq(")
    session_run, feed_name, fetch, ndarray = session.run, first.name, [output], np.ndarray

    def run(batch: Any) -> Any:
        array = batch if batch.__class__ is ndarray and batch.dtype is dtype else \
            np.asarray(batch, dtype=dtype)
        try:
            result = session_run(fetch, {feed_name: array})[0]
        except Exception:
            _check_shape(array.shape, expected, path.name)
            raise
        if zipmap:  # skl2onnx's probabilities as a list of dicts (ZipMap): make a matrix
            keys = sorted(result[0]) if result else []
            return np.array([[row[k] for k in keys] for row in result])
        return result

    return run


def _check_shape(given: tuple[int, ...], expected: list[Any], name: str) -> None:
    fixed = [(i, d) for i, d in enumerate(expected) if isinstance(d, int)]
    if len(given) != len(expected) or any(given[i] != d for i, d in fixed):
        shown = "x".join(str(d) if isinstance(d, int) else "N" for d in expected)
        raise ConfigError(f"{name} expects input of shape {shown}, got "
                          f"{'x'.join(map(str, given))}",
                          hint="check the dataset's inputs (columns) and the batch size")


def _load_torch(options: dict[str, Any], info: dict[str, Any]) -> Callable[[Any], Any]:
    torch = _need("torch", "torch")
    device = torch.device(str(options.get("device", "cpu")))
    _check_dtype("torch", options.get("dtype", "float32"))
    _check_torch_device(torch, device)
    exported = False
    if "factory" in options:
        module = _built(str(options["factory"]), lambda obj: isinstance(obj, torch.nn.Module))
    else:
        path = _file(options, "torch")
        exported = path.suffix == ".pt2"
        try:
            module = (torch.export.load(str(path)).module() if path.suffix == ".pt2"
                      else torch.jit.load(str(path), map_location=device))
        except Exception as exc:
            raise ConfigError(f"cannot load the PyTorch model {path}: {exc}",
                              hint="save a TorchScript (.pt) or torch.export (.pt2) file") from exc
    dtype = getattr(torch, str(options.get("dtype", "float32")))
    if hasattr(module, "eval") and not exported:  # an exported program is traced in eval mode
        module = module.eval()
    try:
        module = module.to(device=device, dtype=dtype) if hasattr(module, "to") else module
    except (RuntimeError, NotImplementedError) as exc:
        raise ConfigError(f"cannot move the PyTorch model to {device} / {dtype}: {exc}",
                          hint="export the model for that device and dtype") from exc
    if options.get("compile"):
        module = torch.compile(module)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    info.update(runtime="torch", runtime_version=torch.__version__, device=str(device),
                dtype=str(dtype).replace("torch.", ""), compiled=bool(options.get("compile")),
                threads=torch.get_num_threads())

    # Decided once: on the CPU a numpy batch of the right type is shared, not copied, and
    # the answer comes back the same way (the bare loop's cost, measured in bench_runtimes).
    host = {"float32": np.float32, "float64": np.float64}.get(str(dtype).replace("torch.", ""))
    shared = device.type == "cpu" and host is not None
    inference, as_tensor, from_numpy, ndarray = (torch.inference_mode, torch.as_tensor,
                                                 torch.from_numpy, np.ndarray)
    host_dtype = np.dtype(host) if host is not None else None
    narrow = (torch.bfloat16, torch.float16)  # numpy has no bfloat16

    def run(batch: Any) -> Any:
        with inference():
            if shared and batch.__class__ is ndarray and batch.dtype is host_dtype:
                out = module(from_numpy(batch))
            else:
                out = module(as_tensor(np.asarray(batch), device=device, dtype=dtype))
            if out.device.type == "cpu" and out.dtype not in narrow:
                return out.numpy()
            sync()  # CUDA calls return before the work is done
            return (out.float() if out.dtype in narrow else out).cpu().numpy()

    return run


#: Result keys a pipeline's dicts carry the answer in (one of them is kept by default).
_ANSWER_KEYS = ("label", "generated_text", "summary_text", "translation_text", "answer")


def _load_transformers(options: dict[str, Any], info: dict[str, Any]) -> Callable[[Any], Any]:
    transformers = _need("transformers", "transformers")
    path = _file(options, "transformers")
    if not path.is_dir():
        raise ConfigError(f"{path} is not a model folder",
                          hint="save_pretrained() a model and tokenizer into a folder")
    task = options.get("task")
    if not task:
        raise ConfigError("the transformers target needs a task",
                          hint='task = "text-classification" (a pipeline task)')
    device = _device_text(options.get("device", "cpu"))
    _check_device("transformers", device)
    extra = dict(options.get("pipeline_options") or {})
    if "dtype" in options:
        _check_dtype("transformers", options["dtype"])
        torch = _need("torch", "transformers")
        # transformers 5 calls it dtype; 4.x torch_dtype (both take a torch dtype)
        key = "dtype" if int(transformers.__version__.split(".")[0]) >= 5 else "torch_dtype"
        extra[key] = getattr(torch, str(options["dtype"]))
    try:
        # a local folder is read as it is: no Hub request (pipeline() passes its own
        # local_files_only down, so it cannot be given again in model_kwargs)
        pipe = transformers.pipeline(str(task), model=str(path), tokenizer=str(path),
                                     device=device, **extra)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot load the transformers model {path}: {exc}",
                          hint="the folder needs config.json, the weights and the tokenizer "
                               "(save_pretrained both)") from exc
    info.update(runtime="transformers", runtime_version=transformers.__version__, task=task,
                device=str(pipe.device), dtype=str(pipe.model.dtype).replace("torch.", ""))
    wanted = options.get("output")

    def answer(result: Any) -> Any:
        if isinstance(result, list) and len(result) == 1:
            result = result[0]  # generation tasks wrap each answer in a list
        if not isinstance(result, dict):
            return result
        if wanted:
            return result[wanted]
        keys = [k for k in _ANSWER_KEYS if k in result]
        return result[keys[0]] if len(keys) == 1 else result

    def run(batch: Any) -> Any:
        return [answer(r) for r in pipe(list(batch))]

    return run


_LOADERS: dict[str, Callable[[dict[str, Any], dict[str, Any]], Callable[[Any], Any]]] = {
    "python": lambda options, info: _resolve(str(options["target"])),
    "sklearn": _load_sklearn,
    "onnx": _load_onnx,
    "torch": _load_torch,
    "transformers": _load_transformers,
}
