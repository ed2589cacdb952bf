"""The layering contract over the real import graph (every import statement, inside
functions too). import-linter (`make lint`) checks the layer order of pyproject.toml; this
adds what it does not: no loop between any two modules, Chalice only at the edges, and no
function longer than a screen (ruff's C90 bounds their complexity)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

# the edges: the HTTP routes (`routes`, `…_routes`) and the Lambda event entry points (README "Layout")
CHALICE_ALLOWED = ("routes", "handlers")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("chalicelib", include_external_packages=True, cache_dir=None)


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.find_modules_directly_imported_by(node) & modules:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_loop_between_any_two_modules(graph):
    modules = {m for m in graph.modules if m.startswith("chalicelib")}
    assert _cycles(graph, modules) == []


def test_the_graph_sees_imports_inside_functions(graph):
    """The loop check must cover lazy imports, or a loop hidden in a function would pass."""
    # PyJWT is imported inside the functions that sign and verify tokens
    assert graph.direct_import_exists(importer="chalicelib.core.security", imported="jwt")


def test_only_routes_and_event_handlers_import_chalice(graph):
    importers = {m for m in graph.find_modules_that_directly_import("chalice") if m.startswith("chalicelib")}
    outside = sorted(m for m in importers if not m.rsplit(".", 1)[-1].endswith(CHALICE_ALLOWED))
    assert outside == []


def test_no_function_in_chalicelib_is_over_60_lines():
    """A function a reader can hold in one screen; longer ones are split where they have seams."""
    root = Path(__file__).resolve().parents[2] / "chalicelib"
    long = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 60:
                long.append(f"{path.relative_to(root)}:{node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert long == []


def _lazy_and_mirrored(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """A file's `name = lazy.module("dotted")` bindings, and what its `if TYPE_CHECKING:` imports."""
    lazy: dict[str, str] = {}
    mirrored: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Attribute) and func.attr == "module" and getattr(func.value, "id", "") == "lazy":
                lazy[node.targets[0].id] = node.value.args[0].value
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for imp in node.body:
                if isinstance(imp, ast.ImportFrom):
                    mirrored |= {f"{imp.module}.{alias.name}" for alias in imp.names}
    return lazy, mirrored


def test_every_lazy_module_is_also_imported_for_the_checkers():
    """A module loaded lazily (`chalicelib.core.lazy`) is imported under TYPE_CHECKING in the same
    file: mypy types its uses and the layer contract sees the dependency, which it would
    otherwise miss (a string names it)."""
    root = Path(__file__).resolve().parents[2]
    unmirrored, total = [], 0
    for path in [root / "app.py", *sorted((root / "chalicelib").rglob("*.py"))]:
        lazy, mirrored = _lazy_and_mirrored(ast.parse(path.read_text()))
        total += len(lazy)
        unmirrored += [f"{path.relative_to(root)}: {name}" for name in lazy.values() if name not in mirrored]
    assert total > 40  # the route modules and the event entry points load their services lazily
    assert unmirrored == []


def test_importing_the_app_loads_no_model_and_no_service():
    """Every Lambda's cold start imports app.py: it registers every route and handler, and loads
    no pydantic model, no PynamoDB item and no domain service — each request loads what its own
    route uses (`bench/cold_import.py` measures the time)."""
    probe = (
        "import sys, app; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('pydantic.main', 'pynamodb', 'chalicelib')))))"
    )
    env = {**os.environ, "LIVRILI_STAGE": "dev", "LIVRILI_TABLE_NAME": "probe", "AWS_DEFAULT_REGION": "eu-west-3"}
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True
    )
    assert loaded.returncode == 0, loaded.stderr
    modules = loaded.stdout.split()
    heavy = [m for m in modules if m.startswith(("pydantic.main", "pynamodb")) or m.endswith((".schemas", ".models"))]
    assert heavy == []
    services = [m for m in modules if m.startswith("chalicelib.") and m.split(".")[1] not in ("core",)]
    edges = [m for m in services if not m.endswith(("routes", "handlers")) and m.count(".") > 1]
    assert edges == []
    import app

    assert len(app.app.routes) > 60  # and yet every route is registered
