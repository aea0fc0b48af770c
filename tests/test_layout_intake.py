"""The house plan inside the rooms, checked: each sub-room of a room (intake's read/, locate/ and
answer/) imports only what its ``__init__`` docstring allows, the sub-rooms allow each other in one
order, and no module of smartcity/ takes part in an import cycle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.test_layout import imported_modules

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "smartcity"
INTAKE_SUBROOMS = ("answer", "locate", "read")
INTAKE_TOP = ("__init__.py", "inbox.py", "load.py", "roster.py")


def dotted(path: Path) -> str:
    """``smartcity.intake.read.worksheets`` for smartcity/intake/read/worksheets.py (a package's
    __init__.py is the package)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def subrooms() -> list[Path]:
    """The packages inside the rooms of smartcity/ (smartcity/<room>/<sub-room>/)."""
    return sorted(p.parent for p in CORE.glob("*/*/__init__.py"))


def allowed_by_docstring(package: Path) -> set[str]:
    """The modules a package's ``__init__`` docstring allows after "May import:" (that paragraph's
    ``smartcity.*`` names, and the package itself when it says "itself")."""
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "May import:" in doc, f"{package.relative_to(ROOT)}/__init__.py must say what it may import"
    said = doc.split("May import:", 1)[1].split("\n\n", 1)[0]
    allowed = set(re.findall(r"smartcity(?:\.\w+)+", said))
    if "itself" in said:
        allowed.add(dotted(package / "__init__.py"))
    return allowed


def within(module: str, allowed: set[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in allowed)


def module_graph() -> dict[str, set[str]]:
    """Module -> the modules of smartcity/ it imports (at the top or inside functions), each import
    resolved to the module it names: ``from smartcity.platform import db`` is smartcity.platform.db,
    ``from smartcity.platform.vocabulary import DIMENSIONS`` is smartcity.platform.vocabulary."""
    files = {dotted(path): path for path in CORE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the package, one level up per extra dot
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                            for alias in node.names}  # fmt: skip
        resolved = set()
        for target in targets:
            while target and target not in files:  # smartcity.x.y.Name -> smartcity.x.y
                target = target.rpartition(".")[0]
            if target and target != name:
                resolved.add(target)
        graph[name] = resolved
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a -> b -> ... -> a) for each group of modules that import each other (Tarjan's
    strongly connected components, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start), on_stack.add(start)
        while work:
            node, edges = work[-1]
            child = next(edges, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child), on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    return [_one_cycle(graph, group) for group in groups]


def _one_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest way round from the group's first module back to it, inside the group."""
    first = min(group)
    paths = {first: [first]}
    frontier = [first]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & group):
                if child == first:
                    return [*paths[node], first]
                if child not in paths:
                    paths[child] = [*paths[node], child]
                    following.append(child)
        frontier = following
    raise AssertionError(f"no way round in {sorted(group)}")


def test_intake_has_three_subrooms_under_its_top_modules():
    assert [p.name for p in subrooms() if p.parent.name == "intake"] == list(INTAKE_SUBROOMS)
    top = sorted(p.name for p in (CORE / "intake").glob("*.py"))
    assert top == sorted(INTAKE_TOP)
    room_doc = ast.get_docstring(ast.parse((CORE / "intake" / "__init__.py").read_text(encoding="utf-8")))
    assert all(f"``{name}/``" in room_doc for name in INTAKE_SUBROOMS), "intake's docstring names them"


def test_each_subroom_imports_only_what_its_docstring_allows():
    wrong = []
    for package in subrooms():
        allowed = allowed_by_docstring(package)
        for path in package.rglob("*.py"):
            ours = {m for m in imported_modules(path) if m.split(".")[0] == "smartcity"}
            outside = {m for m in ours if not within(m, allowed)}
            for module in sorted(m for m in outside if m.rpartition(".")[0] not in outside):  # X, not X.Name
                wrong.append(f"{path.relative_to(ROOT)} imports {module} (allowed: {sorted(allowed)})")
    assert not wrong, "\n".join(wrong)


def test_the_subrooms_of_a_room_allow_each_other_in_one_order():
    for room in sorted({p.parent for p in subrooms()}):
        packages = {dotted(p / "__init__.py"): p for p in subrooms() if p.parent == room}
        graph = {
            name: {other for other in packages if other != name and within(other, allowed_by_docstring(path))}
            for name, path in packages.items()
        }
        assert not cycles(graph), f"{room.relative_to(ROOT)}: its sub-rooms allow each other in a circle"


def test_no_module_of_smartcity_is_in_an_import_cycle():
    found = cycles(module_graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_the_cycle_finder_finds_a_cycle_and_names_it():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
