"""The house plan, checked: imports between the rooms of smartcity/ go one way, and the core never
imports Prefect or the orchestration and presentation layers (flows, tasks, maps)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "smartcity"
ROOMS = ("platform", "reference", "intake", "scoring", "pipeline")
# what each room may import from smartcity (itself included); the smartcity/__init__.py docstrings say why
MAY_IMPORT = {
    "platform": {"platform"},  # the ground floor imports nothing above it
    "reference": {"platform", "reference"},
    "intake": {"platform", "reference", "intake"},
    "scoring": {"platform", "reference", "scoring"},
    "pipeline": {"platform", "reference", "intake", "scoring", "pipeline"},
}
# the command line starts flows; prefect_env drains Prefect's log and event workers when Prefect is loaded
MAY_IMPORT_PREFECT = {"smartcity/platform/prefect_env.py"}  # and the command line (smartcity/cli/)
OUTER = ("prefect", "prefect_dask", "flows", "tasks", "maps")
DATABASE_CLIENTS = {"sqlalchemy", "psycopg", "geoalchemy2"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_the_core_has_five_rooms_each_saying_what_lives_there():
    rooms = sorted(p.name for p in CORE.iterdir() if (p / "__init__.py").exists())
    assert rooms == sorted([*ROOMS, "cli"])  # the command line stands over the rooms, one module per group
    for room in ROOMS:
        doc = ast.get_docstring(ast.parse((CORE / room / "__init__.py").read_text()))
        assert doc and "May import" in doc, f"smartcity/{room}/__init__.py must say what it may import"
    top = sorted(p.name for p in CORE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"]


def test_rooms_import_only_the_rooms_below_them():
    wrong = []
    for room in ROOMS:
        for path in (CORE / room).rglob("*.py"):
            for module in imported_modules(path):
                parts = module.split(".")
                if parts[0] != "smartcity" or len(parts) < 2 or parts[1] not in ROOMS:
                    continue
                allowed = MAY_IMPORT[room]
                if parts[1] not in allowed and ".".join(parts[1:3]) not in allowed:
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, wrong


def test_the_core_never_imports_prefect_flows_tasks_or_maps():
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in CORE.rglob("*.py")
        if str(path.relative_to(ROOT)) not in MAY_IMPORT_PREFECT and path.parent.name != "cli"
        for module in imported_modules(path)
        if module.split(".")[0] in OUTER
    ]
    assert not wrong, wrong


def test_map_builders_never_open_the_database():
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "maps").rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in {"sqlalchemy", "psycopg", "geoalchemy2"}
        or module == "smartcity.platform.db"
    ]
    assert not wrong, wrong
