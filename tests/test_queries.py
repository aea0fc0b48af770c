"""Every named SQL statement the code asks for exists, and every statement in sql/queries/ is used.

The code names statements literally (``query("group", "name")``), so a reading of the source is
enough: a misspelt name fails here, not in the middle of a run, and a statement nobody runs any
more is deleted instead of kept "just in case".
"""

from __future__ import annotations

import ast
from pathlib import Path

from smartcity.platform import queries
from smartcity.platform.paths import sql_dir

ROOT = Path(__file__).resolve().parent.parent
CODE = [p for folder in ("smartcity", "flows", "tasks", "maps") for p in (ROOT / folder).rglob("*.py")]


def query_calls() -> list[tuple[Path, int, ast.expr, ast.expr]]:
    """Every call of ``query(...)`` in the product's code: file, line and its two arguments."""
    found = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_query = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "query"
            if is_query and len(node.args) == 2:
                found.append((path.relative_to(ROOT), node.lineno, node.args[0], node.args[1]))
    return found


def named_statements() -> set[tuple[str, str]]:
    return {
        (path.stem, name)
        for path in (sql_dir() / "queries").glob("*.sql")
        for name in queries._load(path.stem)  # noqa: SLF001 - the loader is what the code uses
    }


def test_the_code_asks_for_statements_by_literal_names():
    built = [
        f"{path}:{line}" for path, line, group, name in query_calls()
        if not (isinstance(group, ast.Constant) and isinstance(name, ast.Constant))
    ]  # fmt: skip
    assert query_calls(), "no query() call found: the scan is broken"
    assert not built, f"name statements literally, e.g. query('intake', 'x'): {built}"


def test_every_statement_the_code_asks_for_exists():
    statements = named_statements()
    missing = [
        f"{path}:{line} asks for {group.value}.{name.value}"
        for path, line, group, name in query_calls()
        if (group.value, name.value) not in statements
    ]
    assert not missing, missing


def test_every_named_statement_is_used():
    asked = {(group.value, name.value) for _, _, group, name in query_calls()}
    unused = sorted(f"sql/queries/{group}.sql: {name}" for group, name in named_statements() - asked)
    assert not unused, f"statements nobody runs (delete them): {unused}"
