"""Flow: the latest scoring run published as pages planners open (online or offline)."""

from __future__ import annotations

from prefect import flow

from tasks.database import ensure_database
from tasks.publish import write_pages


@flow(name="publish-maps", log_prints=True)
def publish_maps(out: str, offline: bool = False, lang: str = "id", region_code: str | None = None) -> dict:
    """Write the map page, the report, figures and tables of the region's latest run (default
    SMARTCITY_REGION_CODE) into ``out``/<run_id>/."""
    ensure_database()
    return write_pages(out, offline, lang, region_code)
