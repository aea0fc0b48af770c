"""Named SQL statements kept in ``sql/queries/*.sql`` (one statement per ``-- name: x`` block).

Values are always bound parameters (``:name``); a statement never gets data by string formatting.
"""

from __future__ import annotations

import re
from functools import cache

import sqlalchemy as sa

from smartcity.platform.paths import sql_dir

_NAME = re.compile(r"^-- name: ([a-z0-9_]+)\s*$", re.M)


@cache
def _load(group: str) -> dict[str, str]:
    text = (sql_dir() / "queries" / f"{group}.sql").read_text(encoding="utf-8")
    parts = _NAME.split(text)
    return {name: body.strip().rstrip(";") for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def query(group: str, name: str) -> sa.TextClause:
    """The statement ``name`` of ``sql/queries/<group>.sql`` as a SQLAlchemy text clause."""
    try:
        return sa.text(_load(group)[name])
    except KeyError:
        raise KeyError(f"no statement {name!r} in sql/queries/{group}.sql") from None
