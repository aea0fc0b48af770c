"""What the pipeline needs before anything else: reference geography and IKN in place.

Decisions (see README, "Reference geography"):
- ``SMARTCITY_REFERENCE_SOURCE`` set: that village file is loaded; loading is a no-op while it is
  unchanged (fingerprint), so the pipeline can ask every run. ``{region}`` in the path stands for the
  region's code, so one setting serves several regions (``.../wilayah_boundaries_kel_{region}.sql``);
  a file without it may hold several regencies, and each region takes its own from it.
- unset: whatever is in the database stays (e.g. from ``smartcity regions fetch``); an empty database
  for Kabupaten Paser (64.01) gets the shipped demo region; another regency gets a clear error.
- IKN: ``SMARTCITY_IKN_SOURCE`` when set (reloaded when the file name differs from the one loaded),
  else the shipped approximate boundary when none is loaded.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from smartcity.platform.errors import InputError
from smartcity.platform.paths import geodata_dir
from smartcity.platform.queries import query
from smartcity.platform.settings import Settings
from smartcity.reference.ikn_load import IknReport, load_ikn
from smartcity.reference.load import LoadOptions, LoadReport, load_reference

DEMO_REGIONS = {"64.01": "demo/paser_villages_demo.geojson"}


def reference_source_for(settings: Settings, region_code: str) -> Path | None:
    """The village file configured for a region: SMARTCITY_REFERENCE_SOURCE with ``{region}`` filled in."""
    if settings.reference_source is None:
        return None
    return Path(str(settings.reference_source).replace("{region}", region_code))


def ensure_reference(
    engine: sa.Engine, settings: Settings, region_code: str | None = None, flow_run_id: str | None = None
) -> LoadReport | None:
    """Load the region's configured (or demo) village boundaries when needed; None when nothing had to
    be done. The region defaults to SMARTCITY_REGION_CODE."""
    region_code = region_code or settings.region_code
    options = LoadOptions(level="village", regions=[region_code])
    source = reference_source_for(settings, region_code)
    if source is not None:
        return load_reference(engine, source, settings, options, flow_run_id)
    with engine.connect() as conn:
        count = conn.execute(query("reference", "village_count"), {"regency": region_code}).scalar()
    if count:
        return None
    demo = DEMO_REGIONS.get(region_code)
    if demo is None:
        raise InputError(
            f"no reference geography for {region_code}: run `smartcity regions fetch {region_code}` "
            "or set SMARTCITY_REFERENCE_SOURCE to a village boundary file"
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
