"""Views of a run that more than one reader shows: a village's score breakdown (the report, the map's
popups, the GeoPackage's ``why`` column, the document) and what changed since the previous run (the report
and the document), and the report's view of the submission roster.

Texts from worksheets (agency names as written, file names) stay plain here: the report's template
escapes them, the map escapes them with ``maps.web.folium_safe.text``, the document writes them as text runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from maps.common.i18n import LABELS, hotspot_label, number, percent, t
from smartcity.scoring.results import MapData

MOVED_SHOWN = 15  # villages listed as moved in rank, largest moves first


def why_rows(components: object, lang: str) -> list[dict[str, str]]:
    """The score breakdown (criterion, raw value with its unit, which way it counts, weight, points), largest
    contribution first."""
    if isinstance(components, str):
        try:
            components = json.loads(components)
        except ValueError:
            return []
    if not isinstance(components, Mapping):
        return []
    rows = []
    parts = sorted(components.items(), key=lambda kv: -float((kv[1] or {}).get("contribution") or 0.0))
    for criterion, part in parts:
        part = part or {}
        label = LABELS[lang].get(f"crit_{criterion}", str(criterion))
        raw = None if part.get("missing") else part.get("raw")
        family = str(criterion).split("_")[0]
        unit = {"ikn": "unit_km", "idm": "unit_index"}.get(family, "unit_points")
        rows.append({
            "criterion": label,
            "raw": f"{number(raw, 2, lang)} {t(unit, lang)}" if raw is not None else t("missing_value", lang),
            "reads": t(f"reads_{family}", lang) if f"reads_{family}" in LABELS[lang] else "",
            "weight": percent(part.get("weight"), lang), "points": number(part.get("contribution"), 1, lang),
        })  # fmt: skip
    return rows


def _when(value: object) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(UTC) if value.tzinfo else value
        return value.strftime("%Y-%m-%d %H:%M") + (" UTC" if value.tzinfo else "")
    return "–"


def agency_rows(statuses: list[dict], lang: str, *, with_roster: bool = True, when=None) -> dict:
    """The report's view of the roster: a summary line and one row per agency (roster first). Moments are
    written by ``when`` (a function of a datetime; UTC text by default)."""
    when = when or _when
    on_roster = [s for s in statuses if s["on_roster"]]
    submitted = sum(1 for s in on_roster if s["submitted"])
    summary = ""
    if with_roster:
        summary = t("agencies_summary", lang).format(
            submitted=submitted, total=len(on_roster), missing=len(on_roster) - submitted
        )
    rows = [
        {
            "agency": s["agency"],
            "short_name": s["short_name"] or "–",
            "written_as": ", ".join(s["written_as"]),
            "status": t("submitted" if s["submitted"] else "not_submitted", lang)
            + ("" if s["on_roster"] or not with_roster else f" ({t('not_on_roster', lang)})"),
            "missing": not s["submitted"],
            "when": when(s["last_received"]),
            "worksheets": number(s["worksheets"], 0, lang),
            "rows": number(s["rows"], 0, lang),
            "rejected": number(s["rejected"], 0, lang),
        }  # fmt: skip
        for s in statuses
    ]
    return {"summary": summary, "rows": rows}


def hotspot_changes(villages: Mapping[str, str], previous: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Codes of villages that are a hot spot now and were not (new), and that were and are not (gone)."""

    def hot(value: object) -> bool:
        return isinstance(value, str) and value.startswith("hot_")

    new = sorted(code for code, h in villages.items() if hot(h) and not hot(previous.get(code)))
    gone = sorted(code for code, h in previous.items() if hot(h) and not hot(villages.get(code)))
    return new, gone


def run_changes(data: MapData, lang: str, when=None) -> dict | None:
    """The report's view of what changed since the previous run; None when nothing was read. Moments are
    written by ``when`` (a function of a datetime; UTC text by default)."""
    when = when or _when
    changes = data.changes
    if changes is None:
        return None
    previous = changes.get("previous")
    if not previous:
        return {"previous": None}
    frame = data.villages
    names = dict(zip(frame["code"], frame["name"], strict=True))
    district_names = dict(zip(data.districts.get("code", []), data.districts.get("name", []), strict=True))
    current = dict(zip(frame["code"], frame.get("hotspot", [None] * len(frame)), strict=True))
    new, gone = hotspot_changes(current, changes.get("previous_hotspots") or {})
    moved = sorted(
        (m for m in changes.get("moved") or [] if m.get("rank_change")),
        key=lambda m: (-abs(int(m["rank_change"])), int(m["rank"]), m["code"]),
    )
    return {
        "previous": {"run_id": str(previous.get("run_id")), "date": when(previous.get("finished_at"))},
        "new_submissions": [
            {
                "file": s.get("file"),
                "agency": s.get("agency") or "–",
                "when": when(s.get("received_at")),
                "rows": number(s.get("rows"), 0, lang),
                "rejected": number(s.get("rejected"), 0, lang),
            }
            for s in changes.get("new_submissions") or []
        ],  # fmt: skip
        "moved": [
            {
                "name": m.get("name"),
                "code": m["code"],
                "district": district_names.get(m.get("district_code") or str(m["code"])[:8], "–"),
                "rank": number(m["rank"], 0, lang),
                "previous_rank": number(m["previous_rank"], 0, lang),
                "change": ("▲" if int(m["rank_change"]) > 0 else "▼")
                + number(abs(int(m["rank_change"])), 0, lang),
            }
            for m in moved[:MOVED_SHOWN]
        ],  # fmt: skip
        "moved_total": len(moved),
        "moved_more": max(len(moved) - MOVED_SHOWN, 0),  # listed as "and N more", with a link to the ranking
        "new_hotspots": [(names.get(c, c), c, hotspot_label(current.get(c), lang)) for c in new],
        "gone_hotspots": [(names.get(c, c), c) for c in gone],
    }
