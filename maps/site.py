"""Everything a run publishes, written into one folder per run (no database here: it takes MapData).

OUT/<run_id>/
    index.html              the report: top tables, intake summary, SWOT matrix, links, downloads
    peta_prioritas.html     the priority map (priority_map.html with --lang en)
    assets/                 Leaflet & co., always next to the pages: no page depends on a CDN. With
                            --offline nothing at all is remote; online pages fetch only the
                            OpenStreetMap basemap tiles (and still show every layer without them)
    figures/*.png           300 dpi figures for the master plan document
    analisis_masterplan.docx  the master plan analysis document (master_plan_analysis.docx in English)
    lampiran_isu.xlsx       the complete list of issues beside it (issues_annex.xlsx in English)
    assets/report_weights.js  the report's weights panel (the page's only script, a local file)
    data/*.csv, *.geojson   the priority tables, and SOURCES.json: where every input came from (source,
                            licence, date, approximate or not), the model and the run
    data/prioritas_<region>.gpkg, .qgz   the run for GIS teams: one GeoPackage with QGIS styles and
                            provenance, and a QGIS project beside it (maps/gis/)
OUT/latest.html             points to the newest run's index.html
The folder is written under a temporary name and renamed when complete: a reader never finds half a
run, and a failed publish leaves the previous runs untouched.

This is the one entry that publishes a run, and the one place of ``maps`` that reads settings: the
roster (``SMARTCITY_AGENCY_ROSTER``) and the metric CRS of the QGIS project (``SMARTCITY_METRIC_CRS``),
handed to the builders as arguments.
"""

from __future__ import annotations

import html
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from maps.common.i18n import local_time, t
from maps.common.provenance import sources_document
from maps.common.views import agency_rows, run_changes
from maps.document.annex import annex_name, write_annex
from maps.document.masterplan import document_name, write_masterplan
from maps.figures.priority import write_run_figures
from maps.gis.kit import write_gis_files
from maps.web.assets import make_offline
from maps.web.priority_map import MapOptions, build_priority_map, check_budget, render
from maps.web.report import build_index, write_tables
from maps.web.weights import SCRIPT_NAME, weights_script
from smartcity.intake.roster import Roster, load_roster, submission_status
from smartcity.platform.errors import PublishError
from smartcity.platform.files import publish_modes, write_bytes, write_text
from smartcity.platform.settings import get_settings
from smartcity.scoring.results import MapData


@dataclass
class SiteResult:
    """What was written: the run's folder, its index page, and the map page's size."""

    folder: Path
    index: Path
    map_bytes: int
    files: list[str] = field(default_factory=list)


def write_site(data: MapData, out: Path, options: MapOptions | None = None) -> SiteResult:
    """Write the run's pages, figures and tables under ``out`` (see the module docstring)."""

    options = options or MapOptions()
    out = Path(out)
    try:
        return _write(data, out, options)
    except OSError as exc:  # unwritable folder, disk full: one line naming where; earlier runs untouched
        raise PublishError(f"cannot write the pages to {out}: {exc.strerror or exc}") from exc


def _write(data: MapData, out: Path, options: MapOptions) -> SiteResult:
    lang = options.lang
    out.mkdir(parents=True, exist_ok=True)
    run_id = str(data.run["run_id"])
    final = out / run_id
    for stale in out.glob(f".{run_id}-*"):  # left by a publish that was killed: never shown, now removed
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f".{run_id}-", dir=out))
    try:
        page = render(build_priority_map(data, options))
        page = make_offline(page, work, allow_tiles=not options.offline)
        size = check_budget(page, len(data.issues))
        map_name = "peta_prioritas.html" if lang == "id" else "priority_map.html"
        (work / map_name).write_text(page, encoding="utf-8")

        (work / "figures").mkdir()
        figures = write_run_figures(data, work / "figures", lang)
        (work / "data").mkdir()
        downloads = write_tables(data.villages, data.districts, work / "data", lang=lang)
        document = sources_document(data.run, data.region_code, data.region_name)
        (work / "data" / "SOURCES.json").write_text(
            json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
        )
        downloads.append((t("data_sources", lang) + " (JSON)", "SOURCES.json"))
        downloads += write_gis_files(  # GeoPackage, QGIS project
            data, work / "data", document, lang, project_crs=get_settings().metric_crs
        )
        planners = _planners_files(data, work, lang, figures)  # weights script, master plan document
        index = build_index(
            {**data.run, "region_name": data.region_name},
            data.villages,
            data.districts,
            data.intake,
            data.swot,
            pages=[(t("title", lang), map_name)],
            downloads=[(title, f"data/{name}") for title, name in downloads] + planners.pop("downloads"),
            figures=[(title, f"figures/{name}") for title, name in figures],
            lang=lang,
            **planners,
        )
        (work / "index.html").write_text(index, encoding="utf-8")
        publish_modes(work)  # folders 0755, files 0644: a web server running as another user reads them
        if final.is_symlink():  # planted: replaced, its target untouched
            final.unlink()
        elif final.exists():
            shutil.rmtree(final)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    target = html.escape(f"{run_id}/index.html", quote=True)
    write_text(  # replaced atomically, never written through a symbolic link planted there
        out / "latest.html",
        f"<!doctype html><meta charset='utf-8'><meta http-equiv='refresh' content='0; url={target}'>"
        f"<title>Smart City</title><a href='{target}'>{target}</a>\n",
    )
    files = sorted(str(p.relative_to(final)) for p in final.rglob("*") if p.is_file())
    return SiteResult(final, final / "index.html", size, files)


def roster_from_settings() -> Roster | None:
    """The roster named by ``SMARTCITY_AGENCY_ROSTER``, None when it is not set."""
    path = get_settings().agency_roster
    return load_roster(path) if path else None


def _planners_files(data: MapData, folder: Path, lang: str, figures: list[tuple[str, str]]) -> dict:
    """Write the weights script and the master plan document into the run's ``folder``; return the
    report's extra arguments (``script``, ``agencies``, ``changes``, ``downloads``)."""
    (folder / "assets").mkdir(exist_ok=True)
    write_bytes(folder / "assets" / SCRIPT_NAME, weights_script())
    roster = roster_from_settings()
    statuses = submission_status(roster, data.submissions) if roster or data.submissions else None
    name, annex = document_name(lang), annex_name(lang)
    settings = get_settings()
    write_masterplan(
        data, folder / name, lang=lang, agencies=statuses,
        figures=[(title, folder / "figures" / file) for title, file in figures],
        paper=settings.paper, timezone=settings.timezone, annex=annex,
    )  # fmt: skip
    write_annex(data.issue_texts, folder / annex, lang, settings.paper)

    def when(value: object) -> str:  # moments in the region's time zone, in words
        return local_time(value, settings.timezone, lang)

    return {
        "script": f"assets/{SCRIPT_NAME}",
        "agencies": agency_rows(statuses, lang, with_roster=roster is not None, when=when)
        if statuses is not None
        else None,
        "changes": run_changes(data, lang, when=when),
        "timezone": settings.timezone,
        "downloads": [(t("masterplan_doc", lang), name), (t("issues_workbook", lang), annex)],
    }
