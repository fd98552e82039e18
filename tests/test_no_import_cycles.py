"""No import cycle between the modules of dualpower (issue 12).

import-linter (``lint-imports``, run by ``make test``) keeps the apps in their layers; this test
keeps each app's own modules acyclic, which import-linter cannot say without a contract per app.
The graph is built from the source with ``ast``: module-level imports AND imports inside functions
(a lazy import is still a dependency), relative imports resolved, ``if TYPE_CHECKING:`` blocks left
out (annotations only). Importing a package means importing its ``__init__``, so a package's
re-exports count: ``aid.services.offers`` importing ``aid.services`` while ``aid/services/__init__``
imports ``offers`` is a cycle. Migrations and tests are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "src" / "dualpower"
SKIPPED_PARTS = {"migrations", "tests", "__pycache__"}


def module_name(path: Path, root: Path = PACKAGE_ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules(root: Path = PACKAGE_ROOT) -> dict[str, Path]:
    modules = {}
    for path in sorted(root.rglob("*.py")):
        if SKIPPED_PARTS.intersection(path.relative_to(root).parts):
            continue
        modules[module_name(path, root)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except under ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _closest_module(name: str, modules: dict[str, Path]) -> str | None:
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The dualpower modules ``name`` imports (the package of each one counts: its __init__ runs)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    ancestors = {name.rsplit(".", depth)[0] for depth in range(1, name.count(".") + 1)}

    def add(target: str) -> None:
        # Importing a.b.c runs a/__init__, a/b/__init__ and c: each is a dependency, except the
        # packages that hold the importing module (they are already imported when it runs),
        # unless they are the target itself (`from dualpower.aid.services import _helper`).
        parts = target.split(".")
        for end in range(2, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in modules and prefix != name and (prefix == target or prefix not in ancestors):
                found.add(prefix)

    for node in _imports(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("dualpower."):
                    add(alias.name)
            continue
        if node.level:
            base = name if is_package else name.rpartition(".")[0]
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            origin = f"{base}.{node.module}" if node.module else base
        else:
            origin = node.module or ""
        if not origin.startswith("dualpower"):
            continue
        for alias in node.names:
            candidate = f"{origin}.{alias.name}"
            # `from pkg import module` imports the module; `from module import name` the module.
            add(candidate if candidate in modules else (_closest_module(origin, modules) or origin))
    return found


def import_graph(root: Path = PACKAGE_ROOT) -> dict[str, set[str]]:
    modules = source_modules(root)
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle per strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[set[str]] = []
    counter = 0

    def strongconnect(start: str) -> None:
        nonlocal counter
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)

    for node in sorted(graph):
        if node not in index:
            strongconnect(node)
    return [_shortest_cycle(graph, component) for component in components]


def _shortest_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    best: list[str] = []
    for start in sorted(component):
        # Breadth-first from start back to start, inside the component.
        previous: dict[str, str] = {}
        frontier = [start]
        found = False
        while frontier and not found:
            following = []
            for node in frontier:
                for child in sorted(graph[node] & component):
                    if child == start:
                        path = [node]
                        while path[-1] != start:
                            path.append(previous[path[-1]])
                        cycle = [start, *reversed(path[:-1]), start]
                        if not best or len(cycle) < len(best):
                            best = cycle
                        found = True
                        break
                    if child not in previous:
                        previous[child] = node
                        following.append(child)
                if found:
                    break
            frontier = following
    return best


def test_no_module_imports_itself_back() -> None:
    found = cycles(import_graph())
    report = "\n".join(" -> ".join(cycle) for cycle in sorted(found))
    assert not found, f"{len(found)} import cycle(s) between dualpower modules:\n{report}"


def test_the_graph_sees_lazy_relative_and_package_imports(tmp_path: Path) -> None:
    root = tmp_path / "dualpower"
    (root / "app" / "services").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "services" / "__init__.py").write_text("from .offers import offer_make\n")
    (root / "app" / "services" / "offers.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from dualpower.app import models\n"
        "def offer_make():\n    from dualpower.app.services import _helper\n"
    )
    (root / "app" / "models.py").write_text("from dualpower.app.services import offers\n")
    graph = import_graph(root)
    assert graph["dualpower.app.services"] == {"dualpower.app.services.offers"}
    assert graph["dualpower.app.services.offers"] == {"dualpower.app.services"}
    assert graph["dualpower.app.models"] == {"dualpower.app.services", "dualpower.app.services.offers"}
    assert cycles(graph) == [
        ["dualpower.app.services", "dualpower.app.services.offers", "dualpower.app.services"]
    ]
