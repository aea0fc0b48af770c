"""Tasks: read the latest run's map data, write the run's pages; a link artifact to its index page."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.artifacts import create_link_artifact

from smartcity.platform.settings import get_settings
from smartcity.scoring.results import read_map_data
from tasks.intake import artifact_slug
from tasks.logs import log_event
from tasks.retry import UNCACHED_ON_DATABASE, task_engine


@task(name="write-site", **UNCACHED_ON_DATABASE)
def write_pages(out: str, offline: bool, lang: str, region_code: str | None = None) -> dict:
    """Map page, report, figures and tables of the region's latest scoring run, under ``out``."""
    from maps.site import write_site
    from maps.web.priority_map import MapOptions

    settings = get_settings()
    data = read_map_data(task_engine(settings), region_code or settings.region_code)
    options = MapOptions(
        lang=lang,
        offline=offline,
        simplify_m=settings.map_simplify_m,
        popup_limit=settings.map_popup_text_limit,
        marker_limit=settings.map_marker_limit,
    )
    result = write_site(data, Path(out), options)
    log_event(
        "pages_published", "published run %s: %s (map page %.1f MB, %d files)",
        data.run["run_id"], result.index, result.map_bytes / 1e6, len(result.files),
        region=data.region_code, scoring_run_id=str(data.run["run_id"]), index=str(result.index),
        map_bytes=result.map_bytes, files=len(result.files),
    )  # fmt: skip
    create_link_artifact(
        key=f"priority-report-{artifact_slug(data.region_code)}",
        link=result.index.resolve().as_uri(),
        link_text="Priority report (index.html)",
        description="The run's published report",
    )
    return {
        "region_code": data.region_code,
        "run_id": str(data.run["run_id"]),
        "index": str(result.index),
        "folder": str(result.folder),
        "map_bytes": result.map_bytes,
        "files": result.files,
    }
