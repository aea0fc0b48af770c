"""What the pipeline needs before anything else: reference geography and IKN in place.

Decisions (see README, "Reference geography"):
- ``SMARTCITY_REFERENCE_SOURCE`` set: that village file is loaded; loading is a no-op while it is
  unchanged (fingerprint), so the pipeline can ask every run.
- unset: whatever is in the database stays (e.g. from ``smartcity regions fetch``); an empty database
  for Kabupaten Paser (64.01) gets the shipped demo region; another regency gets a clear error.
- IKN: ``SMARTCITY_IKN_SOURCE`` when set (reloaded when the file name differs from the one loaded),
  else the shipped approximate boundary when none is loaded.
"""

from __future__ import annotations

import sqlalchemy as sa

from smartcity.errors import InputError
from smartcity.iknload import IknReport, load_ikn
from smartcity.paths import geodata_dir
from smartcity.queries import query
from smartcity.refload import LoadOptions, LoadReport, load_reference
from smartcity.settings import Settings

DEMO_REGIONS = {"64.01": "demo/paser_villages_demo.geojson"}


def ensure_reference(
    engine: sa.Engine, settings: Settings, flow_run_id: str | None = None
) -> LoadReport | None:
    """Load the configured (or demo) village boundaries when needed; None when nothing had to be done."""
    options = LoadOptions(level="village", regions=[settings.region_code])
    if settings.reference_source is not None:
        return load_reference(engine, settings.reference_source, settings, options, flow_run_id)
    with engine.connect() as conn:
        count = conn.execute(query("reference", "village_count"), {"regency": settings.region_code}).scalar()
    if count:
        return None
    demo = DEMO_REGIONS.get(settings.region_code)
    if demo is None:
        raise InputError(
            f"no reference geography for {settings.region_code}: run `smartcity regions fetch "
            f"{settings.region_code}` or set SMARTCITY_REFERENCE_SOURCE to a village boundary file"
        )
    return load_reference(engine, geodata_dir() / demo, settings, options, flow_run_id)


def ensure_ikn(engine: sa.Engine, settings: Settings) -> IknReport | None:
    """Load the IKN boundary and zones when none is loaded or the configured file changed."""
    with engine.connect() as conn:
        loaded = conn.execute(query("reference", "ikn_source")).scalar()
    wanted = settings.ikn_source
    if loaded is not None and (wanted is None or wanted.name == loaded):
        return None
    return load_ikn(engine, settings, wanted)
