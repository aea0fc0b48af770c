"""Which agencies have submitted for a region: the roster against the submissions in the database, for
``smartcity status --agencies`` (the report and the master plan document read the same from MapData)."""

from __future__ import annotations

import sqlalchemy as sa

from smartcity.intake.roster import Roster, submission_status
from smartcity.platform.queries import query


def agency_status(engine: sa.Engine, region_code: str, roster: Roster | None) -> list[dict]:
    """Per agency (roster order, then agencies not on it): submitted, when, worksheets, rows, rejected."""
    with engine.connect() as conn:
        rows = [
            dict(r)
            for r in conn.execute(query("planners", "submissions"), {"regency": region_code}).mappings()
        ]
    return submission_status(roster, rows)


def status_rows(statuses: list[dict]) -> list[dict[str, str]]:
    """The statuses as text columns for a terminal table (missing agencies say so)."""
    out = []
    for s in statuses:
        when = s["last_received"].strftime("%Y-%m-%d %H:%M") if s["last_received"] else "-"
        state = "submitted" if s["submitted"] else "NOT SUBMITTED"
        if not s["on_roster"]:
            state += " (not on roster)"
        out.append({
            "agency": s["agency"] + (f" (as {', '.join(s['written_as'])})" if s["written_as"] else ""),
            "short": s["short_name"] or "-", "status": state, "last received": when,
            "worksheets": str(s["worksheets"]), "rows": str(s["rows"]), "rejected": str(s["rejected"]),
        })  # fmt: skip
    return out
