"""Datasets by kind, beyond plain files: scikit-learn loaders, Parquet/Arrow tables, and
Hugging Face ``datasets`` folders written by ``save_to_disk`` — all read locally, never
downloaded.

Every loader returns ``(inputs, labels)``; :func:`select_columns` picks ``inputs = "*"`` (every
column but the label) or named columns, and :func:`split_items` makes a seeded train/test split
so that a plan measures the same items on every run.

Example:
    >>> X, y = load_sklearn("load_iris", split="test", test_size=0.2, seed=0)
    >>> X.shape, len(y)
    ((30, 4), 30)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError

__all__ = ["read_jsonl", "load_sklearn", "load_table", "load_hf_folder", "select_columns",
           "split_items", "SKLEARN_LOADERS"]

def read_jsonl(path: str | Path, *, limit: int | None = None, strings: str | None = None
               ) -> list[tuple[int, dict[str, Any]]]:
    """The one JSONL reader: ``(line number, object)`` per non-blank line, up to ``limit``.

    ``strings="prompt"`` accepts a line that is a bare JSON string as ``{"prompt": ...}``.
    A line that is not JSON, or not an object, is a :class:`ConfigError` naming the line.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
    ...     _ = fh.write('{"a": 1}\n\n"hi"\n')
    >>> read_jsonl(fh.name, strings="prompt")
    [(1, {'a': 1}), (3, {'prompt': 'hi'})]
    >>> os.unlink(fh.name)
    """
    rows: list[tuple[int, dict[str, Any]]] = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}:{number}: not JSON ({exc.msg})",
                                  hint="one JSON object per line (JSONL)") from None
            if strings and isinstance(row, str):
                row = {strings: row}
            if not isinstance(row, dict):
                raise ConfigError(f"{path}:{number}: a line must be a JSON object"
                                  + (" or a string" if strings else ""))
            rows.append((number, row))
            if limit and len(rows) >= limit:
                break
    return rows


#: The bundled (offline) scikit-learn datasets; the fetch_* ones download and are refused.
SKLEARN_LOADERS = ("load_iris", "load_digits", "load_wine", "load_breast_cancer",
                   "load_diabetes", "load_linnerud")


def split_items(n: int, *, split: str = "", test_size: float = 0.25, seed: int = 0
                ) -> np.ndarray:
    """Indices of ``split`` (``train``/``test``; '' = all) in a seeded shuffle of ``n`` items.

    >>> split_items(8, split="test", test_size=0.25, seed=1).tolist()
    [0, 5]
    >>> sorted(split_items(8, split="train", seed=1).tolist() + [0, 5]) == list(range(8))
    True
    """
    if not split or split in ("all", "full"):
        return np.arange(n)
    if split not in ("train", "test"):
        raise ConfigError(f"split {split!r} is not train, test or all",
                          hint="or give a dataset that has that split")
    if not 0 < test_size < 1:
        raise ConfigError(f"test_size must lie between 0 and 1, got {test_size}")
    order = np.random.default_rng(seed).permutation(n)
    n_test = max(1, int(round(n * test_size)))
    chosen = order[:n_test] if split == "test" else order[n_test:]
    return np.sort(chosen)


def load_sklearn(name: str, *, split: str = "", test_size: float = 0.25, seed: int = 0,
                 limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A dataset bundled with scikit-learn (``load_digits``, ``load_iris`` ...)."""
    if name not in SKLEARN_LOADERS:
        raise ConfigError(f"scikit-learn dataset {name!r} is not one that ships offline",
                          hint=f"one of: {', '.join(SKLEARN_LOADERS)}")
    try:
        from sklearn import datasets as sk_datasets
    except ModuleNotFoundError as exc:
        raise ConfigError("scikit-learn datasets need scikit-learn",
                          hint="pip install 'modelbench[sklearn]'") from exc
    X, y = getattr(sk_datasets, name)(return_X_y=True)
    index = split_items(len(X), split=split, test_size=test_size, seed=seed)
    return _limit(X[index], y[index], limit)


def _limit(inputs: Any, labels: Any, limit: int | None) -> tuple[Any, Any]:
    if limit:
        return inputs[:limit], labels[:limit]
    return inputs, labels


def select_columns(columns: dict[str, Any], inputs: str | list[str], labels: str,
                   where: str) -> tuple[Any, Any]:
    """``(inputs, labels)`` from named columns; ``inputs = "*"`` takes all but the label.

    Numeric inputs become one float64 matrix; anything else a list of per-item dicts.

    >>> select_columns({"a": [1, 2], "b": [3, 4], "y": [0, 1]}, "*", "y", "t")[0].tolist()
    [[1.0, 3.0], [2.0, 4.0]]
    """
    if labels not in columns:
        raise ConfigError(f"{where}: no label column {labels!r}",
                          hint=f"columns are: {', '.join(list(columns)[:20])}")
    names = [c for c in columns if c != labels] if inputs == "*" else \
        ([inputs] if isinstance(inputs, str) else list(inputs))
    missing = [c for c in names if c not in columns]
    if missing:
        raise ConfigError(f"{where}: no column {missing[0]!r}",
                          hint=f"columns are: {', '.join(list(columns)[:20])}")
    arrays = [np.asarray(columns[c]) for c in names]
    y = np.asarray(columns[labels])
    if all(a.dtype.kind in "biuf" and a.ndim == 1 for a in arrays):
        X = np.column_stack(arrays).astype(np.float64) if len(arrays) > 1 else arrays[0]
        return X, y
    if len(arrays) == 1:
        return (arrays[0] if arrays[0].dtype.kind in "biuf" else list(columns[names[0]])), y
    n = len(y)
    return [{c: columns[c][i] for c in names} for i in range(n)], y


def _arrow_columns(table: Any) -> dict[str, Any]:
    out = {}
    for name in table.column_names:
        column = table.column(name)
        try:
            out[name] = column.to_numpy(zero_copy_only=False)
        except Exception:  # nested types: keep Python values
            out[name] = column.to_pylist()
    return out


def load_table(path: str | Path, *, inputs: str | list[str] = "*", labels: str,
               split: str = "", test_size: float = 0.25, seed: int = 0,
               limit: int | None = None) -> tuple[Any, Any]:
    """A Parquet (``.parquet``) or Arrow (``.arrow``/``.feather``) file."""
    path = Path(path)
    table = _read_arrow_file(path)
    columns = _arrow_columns(table)
    X, y = select_columns(columns, inputs, labels, str(path))
    index = split_items(len(y), split=split, test_size=test_size, seed=seed)
    return _limit(_take(X, index), y[index], limit)


def _take(items: Any, index: np.ndarray) -> Any:
    if isinstance(items, np.ndarray):
        return items[index]
    return [items[i] for i in index.tolist()]


def _read_arrow_file(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.is_file():
        raise ConfigError(f"dataset file {path} does not exist")
    try:
        if path.suffix == ".parquet":
            return pq.read_table(path)
        with pa.memory_map(str(path)) as source:
            try:
                return pa.ipc.open_file(source).read_all()
            except pa.ArrowInvalid:
                source.seek(0)
                return pa.ipc.open_stream(source).read_all()  # datasets' .arrow files
    except (pa.ArrowInvalid, OSError) as exc:
        raise ConfigError(f"cannot read {path} as Parquet/Arrow: {exc}") from exc


def load_hf_folder(folder: str | Path, *, labels: str, inputs: str | list[str] = "*",
                   split: str = "", limit: int | None = None) -> tuple[Any, Any]:
    """A Hugging Face ``datasets`` folder (``Dataset.save_to_disk`` / ``DatasetDict``).

    Read with pyarrow from the folder's own files (``state.json`` names them), so the
    ``datasets`` package is not needed to benchmark on one. A ``DatasetDict`` folder needs
    ``split`` (one of its splits).
    """
    folder = Path(folder)
    if (folder / "dataset_dict.json").is_file():
        splits = json.loads((folder / "dataset_dict.json").read_text())["splits"]
        if split not in splits:
            raise ConfigError(f"{folder} has splits {', '.join(splits)}; choose one",
                              hint=f'split = "{splits[0]}"')
        folder = folder / split
    state_file = folder / "state.json"
    if not state_file.is_file():
        raise ConfigError(f"{folder} is not a datasets folder (no state.json)",
                          hint="write it with Dataset.save_to_disk(folder)")
    import pyarrow as pa

    state = json.loads(state_file.read_text())
    tables = [_read_arrow_file(folder / f["filename"]) for f in state.get("_data_files", [])]
    if not tables:
        raise ConfigError(f"{folder} holds no data files")
    table = pa.concat_tables(tables)
    X, y = select_columns(_arrow_columns(table), inputs, labels, str(folder))
    return _limit(X, y, limit)
