"""No import circle among the modules of ``src/xinyong``, counting imports inside functions.

A deferred import (one written inside a function) hides a cycle from Python's import
machinery; it does not remove it (issue 13 item 2). The graph is built from the source with
``ast``, so every ``import`` statement counts wherever it is written.
"""

from __future__ import annotations

import ast
from pathlib import Path

import xinyong

SRC = Path(xinyong.__file__).resolve().parent.parent
# Alembic revisions are loaded by path, never imported by the package; their file names are
# not module names.
SKIP = ("xinyong.db.migrations.versions",)


def _modules() -> dict[str, tuple[Path, bool]]:
    found: dict[str, tuple[Path, bool]] = {}
    for path in (SRC / "xinyong").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if package else parts)
        if not name.startswith(SKIP):
            found[name] = (path, package)
    return found


def _owner(name: str, modules: dict[str, tuple[Path, bool]]) -> str | None:
    """The module that ``name`` (a module or a name inside one) belongs to."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    """Each module → the xinyong modules it imports anywhere in its body."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, package) in modules.items():
        here = name if package else name.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(_owner(a.name, modules) for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = here
                for _ in range(max(node.level - 1, 0)):
                    base = base.rpartition(".")[0]
                module = node.module or ""
                if node.level:
                    module = f"{base}.{module}" if module else base
                for alias in node.names:
                    whole = f"{module}.{alias.name}"
                    targets.add(whole if whole in modules else _owner(module, modules))
        graph[name] = {t for t in targets if t and t != name and t.startswith("xinyong")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path that returns to its start) per strongly connected component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_a_cycle(graph, c) for c in components]


def _a_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside it."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(graph[v] & component):
                if w == start:
                    return [*paths[v], start]
                if w not in paths:
                    paths[w] = [*paths[v], w]
                    following.append(w)
        frontier = following
    raise AssertionError("a strongly connected component always holds a cycle")


def test_the_graph_sees_imports_inside_functions() -> None:
    graph = import_graph()
    # web/errors.py imports the page renderer inside its handlers (a lazy import, no cycle).
    assert "xinyong.web.pages" in graph["xinyong.web.errors"]
    assert "xinyong.records.service" in graph


def test_the_cycle_finder_finds_a_deferred_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_xinyong_modules() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles (imports inside functions count):\n" + "\n".join(
        " -> ".join(c) for c in found
    )


def test_records_never_import_what_reacts_to_them() -> None:
    """What follows a record's change is wired at the composition root (xinyong.bootstrap)."""
    graph = import_graph()
    above = ("xinyong.disclosure", "xinyong.feed")
    reach = sorted(
        f"{m} -> {t}"
        for m, targets in graph.items()
        if m.startswith("xinyong.records")
        for t in targets
        if t.startswith(above)
    )
    assert reach == []
