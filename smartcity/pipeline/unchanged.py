"""Whether a pipeline run would find nothing to do, answered from the database before any Prefect API
starts: ``smartcity run`` on an unchanged inbox then says so in about a second instead of the ten a
flow run costs to start.

Nothing to do means, for every region of the run, exactly what the flow would find (and then reuse),
once the migrations are applied (the caller applies them first, as the flow would): the reference
geography in place and not configured from a file (a configured file is checked by its hash, which
only the load does); the IKN boundary in place from the configured file; every worksheet of the inbox
received before (same bytes) for its region; the last scoring run still what the model would give
(:func:`smartcity.scoring.runs.unchanged_since`); and its pages still on disk. Any doubt (a file that
cannot be read, too), and the flow runs as before. The run is still logged (``smartcity status`` lists it,
``unchanged``), under the regions' lock (a run in progress for them sends this one to the flow, which
waits behind it).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from pathlib import Path

import sqlalchemy as sa

from smartcity.intake.inbox import inbox_files
from smartcity.intake.load import received
from smartcity.pipeline import decisions
from smartcity.pipeline.run_log import finish_run, start_run
from smartcity.pipeline.state import RegionRun
from smartcity.platform import db
from smartcity.platform.db import RunLocked
from smartcity.platform.settings import Settings
from smartcity.reference.ensure import ikn_current, reference_source_for, villages_loaded
from smartcity.scoring.model import load_config
from smartcity.scoring.runs import top_rows, unchanged_since


def unchanged_run(
    engine: sa.Engine, settings: Settings, codes: list[str], inbox: Path, output: Path
) -> dict[str, RegionRun] | None:
    """The regions, each reusing its last scoring run and pages, when a run would find nothing to do
    (logged as an ``unchanged`` run); None when anything may have changed: then run the flow."""
    try:
        with db.region_lock(engine, codes, "fail"):
            regions = _nothing_changed(engine, settings, codes, inbox, output)
            if regions is not None:
                run_id = str(uuid.uuid4())
                for region in regions.values():
                    region.top = top_rows(engine, region.reused["run_id"])
                    region.outcome = "unchanged"
                    start_run(engine, run_id, region.code)
                    finish_run(engine, run_id, region.code, "unchanged", **decisions.finish_counts(region))
            return regions
    except RunLocked:
        return None


def _nothing_changed(
    engine: sa.Engine, settings: Settings, codes: list[str], inbox: Path, output: Path
) -> dict[str, RegionRun] | None:
    for code in codes:  # a configured file is checked by its hash, which only the load does
        if reference_source_for(settings, code) is not None or not villages_loaded(engine, code):
            return None
    if not ikn_current(engine, settings):
        return None
    regions = {code: RegionRun(code, reference={"loaded": False}, intake=[]) for code in codes}
    files = inbox_files(inbox if inbox.is_dir() else None, codes, settings.region_code, output)
    found = received(engine, [(f.path, f.region_code) for f in files])
    for f in files:
        if f.path not in found:  # new, or unreadable: the flow reads it, or answers it with its reason
            return None
        regions[f.region_code].intake.append(asdict(found[f.path]))
    config = load_config(settings.scoring_config)
    site = output / "site"
    for code, region in regions.items():
        previous = unchanged_since(engine, code, config)
        if previous is None:
            return None
        region.reused = {"run_id": previous["run_id"], "issues": previous["issue_count"]}
        region.pages = decisions.reusable_pages(site, previous["run_id"])
        if region.pages is None:
            return None
    return regions
