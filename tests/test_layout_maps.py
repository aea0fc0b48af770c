"""The plan of maps/, checked: one room per reader, each importing only what its ``__init__`` docstring
allows, one entry that publishes a run, and no circle of imports between any two modules of maps/.

The rooms (docs/development.md, STYLE.md): ``common`` imports nothing else of maps; ``web``, ``figures``,
``gis`` and ``document`` import ``common`` and themselves, never each other; ``maps/site.py`` may import
every room. Imports inside functions count as much as those at the top: a lazy import is still a
dependency (the circles this plan removed were lazy imports).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPS = ROOT / "maps"
ROOMS = ("common", "web", "figures", "gis", "document")
#: the house rule; each room's docstring must say the same in its "May import:" paragraph
MAY_IMPORT = {
    "common": {"common"},
    "web": {"common", "web"},
    "figures": {"common", "figures"},
    "gis": {"common", "gis"},
    "document": {"common", "document"},
}


def module_name(path: Path) -> str:
    """``maps/web/report.py`` -> ``maps.web.report``; a package's ``__init__.py`` -> the package."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_by(source: str, package: str) -> set[str]:
    """Every module ``source`` imports, at the top or inside functions; relative imports resolved against
    ``package``, and ``from package import name`` counted as both the package and ``package.name`` (the
    name may be a module)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - (node.level - 1)], *([base] if base else [])])
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def imported_modules(path: Path) -> set[str]:
    """Every module a file of the repository imports (see :func:`imported_by`)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imported_by(path.read_text(encoding="utf-8"), package)


def maps_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(MAPS.rglob("*.py"))}


def import_graph() -> dict[str, set[str]]:
    """Module of maps -> the modules of maps it imports (the longest module a dotted name resolves to)."""
    modules = maps_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imported in imported_modules(path):
            parts = imported.split(".")
            target = next((".".join(parts[:n]) for n in range(len(parts), 0, -1)
                           if ".".join(parts[:n]) in modules), None)  # fmt: skip
            if target is not None and target != "maps" and target != name:
                graph[name].add(target)
            elif target == name:
                graph[name].add(name)  # a module importing itself: a circle of one
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with a circle in them (Tarjan), each sorted, largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
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
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found, key=lambda c: (-len(c), c))


def room_of(module: str) -> str | None:
    """The room a module of maps lives in (``site`` for the entry), None for anything else."""
    parts = module.split(".")
    if parts[0] != "maps" or len(parts) < 2:
        return None
    return parts[1]


def may_import_paragraph(room: str) -> str:
    doc = ast.get_docstring(ast.parse((MAPS / room / "__init__.py").read_text(encoding="utf-8"))) or ""
    found = re.search(r"^May import:.*?(?=\n\s*\n|\Z)", doc, re.MULTILINE | re.DOTALL)
    assert found, f"maps/{room}/__init__.py must say what it may import (a 'May import:' paragraph)"
    return found.group(0)


def allowed_rooms(room: str) -> set[str]:
    """The rooms ``maps.<room>`` named in the room's "May import:" paragraph."""
    return set(re.findall(r"``maps\.(\w+)``", may_import_paragraph(room)))


def test_maps_has_its_rooms_and_one_entry():
    rooms = sorted(p.name for p in MAPS.iterdir() if (p / "__init__.py").exists())
    assert rooms == sorted(ROOMS)
    assert sorted(p.name for p in MAPS.glob("*.py")) == ["__init__.py", "site.py"]


def test_each_room_says_what_lives_there_and_what_it_may_import():
    for room in ROOMS:
        doc = ast.get_docstring(ast.parse((MAPS / room / "__init__.py").read_text(encoding="utf-8"))) or ""
        for module in sorted(p.stem for p in (MAPS / room).glob("*.py") if p.name != "__init__.py"):
            assert f"``{module}``" in doc, f"maps/{room}/__init__.py does not say what {module}.py is"
        allowed = allowed_rooms(room)
        assert allowed == MAY_IMPORT[room], f"maps/{room}/__init__.py allows {sorted(allowed)}"


def imports_in(paths) -> list[tuple[str, str]]:
    """(file, module) for every import of these files, files relative to the repository."""
    return [(str(p.relative_to(ROOT)), m) for p in sorted(paths) for m in sorted(imported_modules(p))]


def test_each_room_imports_only_what_its_docstring_allows():
    wrong = [
        f"{path} imports {module}"
        for room in ROOMS
        for path, module in imports_in((MAPS / room).rglob("*.py"))
        if room_of(module) not in (None, *allowed_rooms(room))
    ]
    assert not wrong, wrong


def test_only_the_site_imports_every_room_and_nothing_imports_the_site():
    into_site = [f"{path} imports {module}" for path, module in imports_in(MAPS.rglob("*.py"))
                 if room_of(module) == "site" and not path.endswith("site.py")]  # fmt: skip
    assert not into_site, into_site
    assert {room_of(m) for _, m in imports_in([MAPS / "site.py"])} - {None} <= set(ROOMS)


def test_no_two_modules_of_maps_import_each_other_in_a_circle():
    found = circles(import_graph())
    assert not found, "import circles in maps/: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_circle_finder_finds_circles():
    assert circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}, "e": {"d"}}) == [["a", "b", "c"], ["d"]]
    # the two circles this plan removed would be found again
    graph = import_graph()
    graph["maps.gis.gpkg"].add("maps.gis.qgis_project")
    graph["maps.gis.qgis_project"].add("maps.gis.gpkg")
    assert ["maps.gis.gpkg", "maps.gis.qgis_project"] in circles(graph)


def test_imports_are_read_inside_functions_and_relative_ones_resolved():
    source = (
        "import maps.document.masterplan\n"
        "def f():\n"
        "    from .layers import LAYERS\n"
        "    from ..web import report\n"
        "    from . import kit\n"
    )
    assert imported_by(source, "maps.gis") == {
        "maps.document.masterplan", "maps.gis.layers", "maps.gis.layers.LAYERS", "maps.web",
        "maps.web.report", "maps.gis", "maps.gis.kit",
    }  # fmt: skip
