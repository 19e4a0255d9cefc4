"""The layers DESIGN.md draws, checked on the code: every import of every module (function-level
ones too, read with ``ast``), no forbidden direction, no cycles, a light package root.

The rules (DESIGN.md, "The rules of the house"):
  * ``measure``, ``metrics``, ``stats`` know nothing of ``store``, ``ingest``, ``collect``,
    ``vision``, ``analysis`` or the faces.
  * ``collect`` and ``vision`` return records: they never import ``store`` or ``ingest``.
  * ``store`` knows records and nothing else of modelbench (errors, numbers, config aside).
  * ``ranking`` (the one ranking) knows numbers only: measure and analysis both rank with it.
  * ``analysis`` reads the store (and measure's fingerprint and calibration helpers); it never
    imports ``ingest``, collectors or faces.
  * Nothing imports a face (``cli``, ``tui``, ``report``) but another face.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "modelbench"
FACES = ("cli", "tui", "report")

#: layer -> layers it must never import.
FORBIDDEN = {
    "measure": {"store", "ingest", "collect", "vision", "analysis", "benchmark", *FACES},
    "metrics": {"store", "ingest", "collect", "vision", "analysis", "measure", *FACES},
    "stats": {"store", "ingest", "collect", "vision", "analysis", "measure", *FACES},
    "collect": {"store", "ingest", "analysis", "measure", *FACES},
    "vision": {"store", "ingest", "analysis", "measure", "collect", *FACES},
    "store": {"ingest", "analysis", "measure", "collect", "vision", "metrics", "stats",
              "benchmark", *FACES},
    "analysis": {"ingest", "collect", "vision", "benchmark", *FACES},
    "ingest": {"analysis", "collect", "vision", "measure", *FACES},
    "records": {"store", "ingest", "analysis", "measure", "collect", "vision", "metrics",
                "stats", *FACES},
    "numbers": {"store", "ingest", "analysis", "measure", "collect", "vision", *FACES},
    # the one ranking: numbers only, so measure's summaries and analysis's boards share it
    "ranking": {"store", "ingest", "analysis", "measure", "collect", "vision", "metrics",
                "stats", "records", *FACES},
    "errors": {"store", "ingest", "analysis", "measure", "collect", "vision", "records",
               *FACES},
    "config": {"ingest", "analysis", "measure", "collect", "vision", *FACES},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(name: str) -> set[str]:
    """Every modelbench module ``name`` imports anywhere in its body (not TYPE_CHECKING)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):  # `if TYPE_CHECKING:` imports never run
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(name, path.name == "__init__.py", node)
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if full in MODULES else target)
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module") \
                and node.args and isinstance(node.args[0], ast.Constant):
            found.add(str(node.args[0].value))
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_module_was_read():
    assert {"modelbench.analysis", "modelbench.measure.runner", "modelbench.store.sqlite",
            "modelbench.cli.core"} <= set(GRAPH)
    assert "modelbench.metrics" in GRAPH["modelbench.measure.runner"]


def test_no_import_goes_against_the_layers():
    wrong = []
    for name, targets in GRAPH.items():
        banned = FORBIDDEN.get(layer(name), set())
        for target in targets:
            if layer(target) in banned:
                wrong.append(f"{name} imports {target}")
        if layer(name) not in FACES:
            wrong.extend(f"{name} imports the face {t}" for t in targets if layer(t) in FACES)
    assert not wrong, "\n".join(sorted(wrong))


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in GRAPH:
        if node not in index:
            visit(node)
    return out


def _is_package_registry(component: list[str]) -> bool:
    """A package whose ``__init__`` registers its submodules, which import back only the
    package object they register on (the CLI's Typer ``app``): not a layering cycle."""
    packages = [m for m in component if MODULES[m].name == "__init__.py"]
    if len(packages) != 1:
        return False
    package = packages[0]
    return all(m == package or (m.startswith(package + ".") and GRAPH[m] & set(component)
                                == {package}) for m in component)


def test_no_import_cycles():
    cycles = [c for c in _cycles() if not _is_package_registry(c)]
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_checks_can_fail():
    """The walker sees function-level imports and the cycle finder finds cycles."""
    saved = {k: set(v) for k, v in GRAPH.items()}
    try:
        GRAPH["modelbench.metrics"].add("modelbench.stats")
        GRAPH["modelbench.stats"].add("modelbench.metrics")
        assert ["modelbench.metrics", "modelbench.stats"] in _cycles()
    finally:
        GRAPH.clear()
        GRAPH.update(saved)
    source = "def f():\n    from ..store import sqlite\n"
    tree = ast.parse(source)
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom))
    assert _resolve("modelbench.measure.runner", False, node) == "modelbench.store"


@pytest.mark.parametrize("module", ["modelbench.numbers", "modelbench.records",
                                    "modelbench.metrics", "modelbench.stats",
                                    "modelbench.ranking"])
def test_light_modules_do_not_load_the_store(module):
    code = (f"import sys, {module}; "
            "loaded = [m for m in sys.modules if m.startswith(('modelbench.store', "
            "'modelbench.measure', 'modelbench.analysis', 'modelbench.ingest'))]; "
            "print(loaded); sys.exit(1 if loaded else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
