"""What the pipeline needs before anything else: reference geography and IKN in place.

Decisions (see docs/reference-geography.md):
- ``SMARTCITY_REFERENCE_SOURCE`` set: that village file is loaded; loading is a no-op while it is
  unchanged (fingerprint), so the pipeline can ask every run. ``{region}`` in the path stands for the
  region's code, so one setting serves several regions (``.../wilayah_boundaries_kel_{region}.sql``);
  a file without it may hold several regencies, and each region takes its own from it.
- unset: whatever is in the database stays (e.g. from ``smartcity regions fetch``); an empty database
  for Kabupaten Paser (64.01) gets the shipped real village boundaries (cahyadsn/wilayah_boundaries,
  Kepmendagri 2025) with their IDM 2024 scores, districts dissolved from them and named from the shipped
  code list (``geodata/sources/SOURCES.md``); another regency gets a clear error.
- IKN: ``SMARTCITY_IKN_SOURCE`` when set (reloaded when the file name differs from the one loaded),
  else the shipped approximate boundary when none is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from smartcity.platform.errors import InputError
from smartcity.platform.paths import geodata_dir
from smartcity.platform.queries import query
from smartcity.platform.settings import Settings
from smartcity.reference.ikn_load import IknReport, load_ikn
from smartcity.reference.load import LoadOptions, LoadReport, load_reference


@dataclass(frozen=True)
class ShippedRegion:
    """A region whose real boundaries (and attributes) ship in ``geodata/sources``."""

    villages: str  # relative to geodata/
    attributes: str | None = None  # CSV keyed by code (IDM, population), relative to geodata/


SHIPPED_REGIONS = {
    "64.01": ShippedRegion(
        villages="sources/boundaries/paser_desa_kelurahan.geojson",
        attributes="sources/tables/paser_idm2024_desa.csv",
    ),
}


def reference_source_for(settings: Settings, region_code: str) -> Path | None:
    """The village file configured for a region: SMARTCITY_REFERENCE_SOURCE with ``{region}`` filled in."""
    if settings.reference_source is None:
        return None
    return Path(str(settings.reference_source).replace("{region}", region_code))


def ensure_reference(
    engine: sa.Engine, settings: Settings, region_code: str | None = None, flow_run_id: str | None = None
) -> LoadReport | None:
    """Load the region's configured (or shipped) village boundaries when needed; None when nothing had
    to be done. The region defaults to SMARTCITY_REGION_CODE."""
    region_code = region_code or settings.region_code
    options = LoadOptions(level="village", regions=[region_code])
    source = reference_source_for(settings, region_code)
    if source is not None:
        return load_reference(engine, source, settings, options, flow_run_id)
    if villages_loaded(engine, region_code):
        return None
    shipped = SHIPPED_REGIONS.get(region_code)
    if shipped is None:
        raise InputError(
            f"no reference geography for {region_code}: run `smartcity regions fetch {region_code}` "
            "or set SMARTCITY_REFERENCE_SOURCE to a village boundary file"
        )
    if shipped.attributes is not None:
        options.attributes = geodata_dir() / shipped.attributes
    return load_reference(engine, geodata_dir() / shipped.villages, settings, options, flow_run_id)


def ensure_ikn(engine: sa.Engine, settings: Settings) -> IknReport | None:
    """Load the IKN boundary and zones when none is loaded or the configured file changed."""
    if ikn_current(engine, settings):
        return None
    return load_ikn(engine, settings, settings.ikn_source)


def villages_loaded(engine: sa.Engine, region_code: str) -> bool:
    """Whether villages of the region are in ``ref`` (from the shipped file or any earlier load)."""
    with engine.connect() as conn:
        return bool(conn.execute(query("reference", "village_count"), {"regency": region_code}).scalar())


def ikn_current(engine: sa.Engine, settings: Settings) -> bool:
    """Whether an IKN boundary is loaded, and from the configured file when one is configured."""
    with engine.connect() as conn:
        loaded = conn.execute(query("reference", "ikn_source")).scalar()
    wanted = settings.ikn_source
    return loaded is not None and (wanted is None or wanted.name == loaded)
