"""The planners' files of a run beside its report (no database here: it takes MapData).

* ``assets/report_weights.js``: the weights panel's script (see :mod:`maps.weights`), the page's only
  script, a local file (the report's Content-Security-Policy allows ``script-src 'self'`` and nothing
  inline);
* the submission roster (:mod:`smartcity.intake.roster`): who has submitted, when, how many rows and
  rejections, and who has not (:func:`agency_rows`);
* what changed since the previous run (:func:`run_changes`): new submissions, villages that moved in
  rank, hot spots that appeared or vanished;
* the master plan analysis document (``analisis_masterplan.docx``, :mod:`maps.masterplan`).

Texts from worksheets (agency names as written, file names) stay plain here: the report's template
escapes them, the document writes them as text runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from maps.i18n import hotspot_label, number, t
from maps.weights import SCRIPT_NAME
from smartcity.intake.roster import Roster, load_roster, submission_status
from smartcity.platform.files import write_bytes
from smartcity.scoring.results import MapData

MOVED_SHOWN = 15  # villages listed as moved in rank, largest moves first


def weights_script() -> bytes:
    """The weights panel's script as shipped (``maps/static/report/report_weights.js``)."""
    return resources.files("maps").joinpath("static", "report", SCRIPT_NAME).read_bytes()


def roster_from_settings() -> Roster | None:
    """The roster named by ``SMARTCITY_AGENCY_ROSTER``, None when it is not set."""
    from smartcity.platform.settings import get_settings

    path = get_settings().agency_roster
    return load_roster(path) if path else None


def document_name(lang: str) -> str:
    """File name of the master plan analysis document in ``lang``."""
    return "analisis_masterplan.docx" if lang == "id" else "master_plan_analysis.docx"


def figures_for_document(data: MapData, folder: Path, lang: str) -> list[tuple[str, Path]]:
    """The run's 300 dpi figures written into ``folder`` for a document: (title, path) pairs."""
    from maps.figures import write_figures
    from maps.provenance import source_line

    caption = f"Run {data.run.get('run_id')} · {data.run.get('config_source')} {data.run.get('config_hash')}"
    sources = source_line(data.run, lang)
    caption += f" · {sources}" if sources else ""
    classes = {
        c.removeprefix("class_no_"): data.villages[c]
        for c in data.villages.columns
        if c.startswith("class_no_")
    }
    written = write_figures(data.villages, data.districts, data.ikn_zones, classes, folder, lang, caption)
    return [(title, folder / name) for title, name in written]


def write_planners_files(data: MapData, folder: Path, lang: str, figures: list[tuple[str, str]]) -> dict:
    """Write the weights script and the master plan document into the run's ``folder``; return the
    report's extra arguments (``script``, ``agencies``, ``changes``, ``downloads``)."""
    from maps.masterplan import write_masterplan

    (folder / "assets").mkdir(exist_ok=True)
    write_bytes(folder / "assets" / SCRIPT_NAME, weights_script())
    roster = roster_from_settings()
    statuses = submission_status(roster, data.submissions) if roster or data.submissions else None
    name = document_name(lang)
    write_masterplan(
        data, folder / name, lang=lang, agencies=statuses,
        figures=[(title, folder / "figures" / file) for title, file in figures],
    )  # fmt: skip
    return {
        "script": f"assets/{SCRIPT_NAME}",
        "agencies": agency_rows(statuses, lang, with_roster=roster is not None)
        if statuses is not None
        else None,
        "changes": run_changes(data, lang),
        "downloads": [(t("masterplan_doc", lang), name)],
    }


def _when(value: object) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(UTC) if value.tzinfo else value
        return value.strftime("%Y-%m-%d %H:%M") + (" UTC" if value.tzinfo else "")
    return "–"


def agency_rows(statuses: list[dict], lang: str, *, with_roster: bool = True) -> dict:
    """The report's view of the roster: a summary line and one row per agency (roster first)."""
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
            "when": _when(s["last_received"]),
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


def run_changes(data: MapData, lang: str) -> dict | None:
    """The report's view of what changed since the previous run; None when nothing was read."""
    changes = data.changes
    if changes is None:
        return None
    previous = changes.get("previous")
    if not previous:
        return {"previous": None}
    frame = data.villages
    names = dict(zip(frame["code"], frame["name"], strict=True))
    current = dict(zip(frame["code"], frame.get("hotspot", [None] * len(frame)), strict=True))
    new, gone = hotspot_changes(current, changes.get("previous_hotspots") or {})
    moved = sorted(
        (m for m in changes.get("moved") or [] if m.get("rank_change")),
        key=lambda m: (-abs(int(m["rank_change"])), int(m["rank"]), m["code"]),
    )
    return {
        "previous": {"run_id": str(previous.get("run_id")), "date": _when(previous.get("finished_at"))},
        "new_submissions": [
            {
                "file": s.get("file"),
                "agency": s.get("agency") or "–",
                "when": _when(s.get("received_at")),
                "rows": number(s.get("rows"), 0, lang),
                "rejected": number(s.get("rejected"), 0, lang),
            }
            for s in changes.get("new_submissions") or []
        ],  # fmt: skip
        "moved": [
            {
                "name": m.get("name"),
                "code": m["code"],
                "rank": number(m["rank"], 0, lang),
                "previous_rank": number(m["previous_rank"], 0, lang),
                "change": ("▲" if int(m["rank_change"]) > 0 else "▼")
                + number(abs(int(m["rank_change"])), 0, lang),
            }
            for m in moved[:MOVED_SHOWN]
        ],  # fmt: skip
        "moved_total": len(moved),
        "new_hotspots": [(names.get(c, c), c, hotspot_label(current.get(c), lang)) for c in new],
        "gone_hotspots": [(names.get(c, c), c) for c in gone],
    }
