"""Models and what is known about them: stored metadata plus model properties (parameter
counts, FLOPs, size) that were published as table columns. Properties are shown beside the
model, never ranked.

Example:
    >>> from modelbench import get_database_manager
    >>> from modelbench.records import BenchmarkResult
    >>> db = get_database_manager("sqlite", path=":memory:"); db.setup()
    >>> _ = db.insert_result(BenchmarkResult(model_name="effnet", metric="parameters",
    ...                                      score=6.6e6, source="web"))
    >>> [(r["model_name"], r["parameters"]) for r in model_rows(db)]
    [('effnet', 6600000)]
"""

from __future__ import annotations

from typing import Any

from .scores import scores

__all__ = ["model_rows", "model_properties"]


def model_properties(store: Any, flt: Any = None) -> dict[str, dict[str, float]]:
    """``model -> {property: value}`` from results whose metric is a model property."""
    out: dict[str, dict[str, float]] = {}
    for s in scores(store, flt):
        if s.info.kind == "property":
            out.setdefault(s.model_name, {}).setdefault(s.info.name, s.value)
    return out


def model_rows(store: Any, search: str = "") -> list[dict[str, Any]]:
    """One row per model: metadata, published properties, models known only from results.

    A model is listed when its name matches ``search`` or any of its results matches (task,
    dataset, metric, source — the store's ``ResultFilter.search``).
    """
    from ..store import ResultFilter

    needle = search.strip()
    flt = ResultFilter(search=needle) if needle else None
    named = set(store.distinct_values("model_name", flt))
    properties = model_properties(store)
    rows: dict[str, dict[str, Any]] = {}
    for meta in store.list_models():
        if needle and meta.model_name not in named and needle.lower() not in (
                meta.model_name.lower() + " " + meta.task_type.lower()):
            continue
        rows.setdefault(meta.model_name, {
            "model_name": meta.model_name, "model_version": meta.model_version,
            "task_type": meta.task_type, "parameters": meta.parameters,
            "downloads": meta.downloads, "likes": meta.likes, "framework": meta.framework,
            "source": meta.source, "license": meta.license})
    for name in named - rows.keys():
        rows[name] = {"model_name": name, "model_version": "", "task_type": "",
                      "parameters": None, "downloads": None, "likes": None, "framework": "",
                      "source": "", "license": ""}
    for name, row in rows.items():
        found = properties.get(name, {})
        if row["parameters"] is None and "parameters" in found:
            row["parameters"] = int(found["parameters"])
        row["flops"] = found.get("flops")
        row["model_size"] = found.get("model_size")
    return sorted(rows.values(), key=lambda r: r["model_name"].lower())
