"""Imports run one way: no module of liqueue imports another that imports it back.

The graph is read from the source with `ast`, imports inside functions
included (they run too, only later); those under `if TYPE_CHECKING:` are
left out, since they never run. Importing `a.b.c` also runs the package
`a.b`'s `__init__`, so that is an edge as well, except from a module inside
that package (Python has already started it by then).

Importing `App` counts wherever it sits, `if TYPE_CHECKING:` included: a
parameter typed `App` is the catch-all collaborator this test keeps out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import liqueue

PACKAGE_DIR = Path(liqueue.__file__).parent

# Rooms that may take the whole application: those above it.
APP_USERS = ("liqueue", "liqueue.app", "liqueue.testing")
APP_USER_PACKAGES = ("liqueue.worker", "liqueue.cli", "liqueue.web")
KNOWN_APP_USERS: set[str] = set()


def _module_names() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _module_names()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(
    nodes: Iterable[ast.AST], runs: bool = True
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement, wherever it sits, and whether it runs (not type-only)."""
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, runs
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _imports(node.body, runs=False)
            yield from _imports(node.orelse, runs)
        else:
            yield from _imports(ast.iter_child_nodes(node), runs)


def _package_of(module: str) -> str:
    is_package = MODULES[module].name == "__init__.py"
    return module if is_package else module.rpartition(".")[0]


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, str | None]]:
    """(module imported, name taken from it or None) for one statement."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name, None
        return
    base = node.module or ""
    if node.level:
        package = _package_of(module).split(".")
        anchor = ".".join(package[: len(package) - node.level + 1])
        base = f"{anchor}.{base}" if base else anchor
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in MODULES:
            yield submodule, None
        else:
            yield base, alias.name


def _edges(module: str, target: str) -> Iterator[str]:
    """The liqueue modules that importing `target` from `module` runs."""
    parts = target.split(".")
    own = module.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        inside = end < len(parts) and own[:end] == parts[:end]  # a package `module` is in
        if name in MODULES and name != module and not inside:
            yield name


def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Import edges between modules, and which modules import `App`."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    app_importers: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, runs in _imports(tree.body):
            for target, name in _imported(module, node):
                if runs:
                    graph[module].update(_edges(module, target))
                if target == "liqueue.app" or (target == "liqueue" and name == "App"):
                    app_importers.setdefault(module, set()).add(f"line {node.lineno}")
    return graph, app_importers


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_one_cycle(graph, set(component)) for component in components]


def _one_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A path from the component's first module back to itself, for the message."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph[node] & component):
                if successor == start:
                    return [*paths[node], start]
                if successor not in paths:
                    paths[successor] = [*paths[node], successor]
                    following.append(successor)
        frontier = following
    raise AssertionError(f"not a cycle: {sorted(component)}")


def test_the_graph_sees_the_package() -> None:
    graph, app_importers = _graph()
    assert "liqueue.events.event" in graph["liqueue.liquid.tags.trigger_event"]
    assert "liqueue.events" in graph["liqueue.liquid.tags.trigger_event"]  # its __init__ runs
    assert "liqueue.liquid" not in graph["liqueue.liquid.tags.trigger_event"]  # already running
    assert "liqueue.app" in graph["liqueue"]
    assert "liqueue.liquid.runtime" not in graph["liqueue.events.fanout"]  # type-only
    assert "liqueue.testing" in app_importers


def test_no_import_cycle() -> None:
    graph, _ = _graph()
    assert [" -> ".join(cycle) for cycle in _cycles(graph)] == []


def test_a_cycle_would_be_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]


def test_only_the_rooms_above_the_app_import_it() -> None:
    _, app_importers = _graph()
    allowed = set(APP_USERS) | KNOWN_APP_USERS
    offenders = {
        module: sorted(lines)
        for module, lines in app_importers.items()
        if module not in allowed
        and not any(module == p or module.startswith(p + ".") for p in APP_USER_PACKAGES)
    }
    assert offenders == {}
