"""The layers keep to their direction: read from the source's imports (an AST walk, nothing run).

- the JSON API takes its database from the application's state, not from the web pages;
- ``evaus.db`` connects and migrates: start-up work on the data is a service's, not its own;
- the data layer ``project_db`` has no import cycle (no module needs another half-imported).

Imports inside functions count (a lazy import is a dependency too); those under
``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("evaus", "project_db")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                found[_module_name(path)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for other in node.orelse:
                yield from _import_nodes(other)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _import_nodes(node)


def imports_of(module: str, path: Path, modules: set[str]) -> set[str]:
    """The modules ``module`` imports, relative imports resolved; ``from package import name``
    counts as importing ``package.name`` when that is a module."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = module.split(".")
            anchor = anchor if is_package else anchor[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            found.add(submodule if submodule in modules else base)
    return found


def import_graph() -> dict[str, set[str]]:
    sources = _sources()
    names = set(sources)
    return {module: imports_of(module, path, names) for module, path in sources.items()}


def _imports_under(graph: dict[str, set[str]], module: str, prefix: str) -> list[str]:
    return sorted(name for name in graph[module] if name == prefix or name.startswith(prefix + "."))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_api_does_not_reach_into_the_web_pages() -> None:
    assert _imports_under(import_graph(), "evaus.api", "evaus.ui") == []


def test_the_database_module_calls_no_service() -> None:
    assert _imports_under(import_graph(), "evaus.db", "evaus.services") == []


def test_the_data_layer_has_no_import_cycle() -> None:
    graph = import_graph()
    data_layer = {
        module: {name for name in targets if name.split(".")[0] == "project_db"}
        for module, targets in graph.items()
        if module.split(".")[0] == "project_db"
    }
    assert cycles(data_layer) == []


def test_the_walk_sees_lazy_and_relative_imports() -> None:
    """The checks above look at what they should: a function's import, ``from . import x``."""
    graph = import_graph()
    assert "project_db.migrate" in graph["evaus.db"]  # imported inside open_database
    assert "project_db.validators" in graph["project_db.field_types"]  # from . import validators
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_application_has_no_import_cycle() -> None:
    """No module of ``evaus`` needs another that needs it back (lazy imports count)."""
    graph = import_graph()
    application = {
        module: {name for name in targets if name.split(".")[0] == "evaus"}
        for module, targets in graph.items()
        if module.split(".")[0] == "evaus"
    }
    assert cycles(application) == []
