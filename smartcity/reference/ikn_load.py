"""Load the IKN boundary and its buffer zones into ``ref``, and each area's distance to IKN.

Without a file, the approximate boundary the project ships (``geodata/ikn_approx.geojson``, built by
``geodata/make_ikn_approx.py`` from legal facts) is loaded and labelled approximate. Zones are
computed in the metric CRS (:func:`smartcity.reference.ikn.zone_rings`) with stable ids 1..n, outward.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import shapely
import sqlalchemy as sa
from shapely.geometry import box

from smartcity.platform.errors import InputError
from smartcity.platform.paths import geodata_dir
from smartcity.platform.queries import query
from smartcity.platform.settings import Settings
from smartcity.reference.geometry_checks import polygonal_part
from smartcity.reference.ikn import APPROXIMATE_SOURCE, zone_rings
from smartcity.reference.load import metric_srid, refresh_ikn_distances

SHIPPED = "ikn_approx.geojson"


@dataclass
class IknReport:
    """What an IKN load did."""

    source: str
    approximate: bool
    area_km2: float
    zones: list[dict] = field(default_factory=list)  # id, name, villages

    def lines(self) -> list[str]:
        kind = "approximate IKN boundary" if self.approximate else "IKN boundary"
        out = [f"{kind} loaded from {self.source} ({self.area_km2:,.1f} km²)"]
        out += [f"zone {z['id']} {z['name']}: {z['villages']} villages" for z in self.zones]
        if self.approximate:
            out.append(
                "note: approximate (legal extreme points and area); "
                "load an official one: smartcity ikn load PATH"
            )
        return out


def read_ikn_boundary(path: Path | None) -> tuple[shapely.MultiPolygon, str, str, bool]:
    """The boundary (EPSG:4326), its name and source text, and whether it is the shipped approximation."""
    shipped = path is None
    path = geodata_dir() / SHIPPED if shipped else Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    frame = gpd.read_file(path)
    if frame.empty:
        raise InputError(f"{path.name}: has no features")
    frame = frame.set_crs("EPSG:4326") if frame.crs is None else frame.to_crs("EPSG:4326")
    merged = polygonal_part(shapely.make_valid(shapely.union_all(frame.geometry.values)))
    if merged is None:
        raise InputError(f"{path.name}: has no polygon to use as the IKN boundary")
    columns = {c.lower(): c for c in frame.columns}
    name_column = columns.get("name") or columns.get("nama")
    name = str(frame[name_column].iloc[0]) if name_column else "Ibu Kota Nusantara"
    if shipped:
        source = str(frame[columns["source"]].iloc[0]) if "source" in columns else APPROXIMATE_SOURCE
    else:
        source = path.name
    return merged, name, source, shipped


def load_ikn(engine: sa.Engine, settings: Settings, path: Path | None = None) -> IknReport:
    """Replace the IKN boundary and zones, then refresh every area's distance and zone, atomically."""
    boundary, name, source, approximate = read_ikn_boundary(path)
    srid = metric_srid(settings.metric_crs)
    with engine.begin() as conn:
        extent_wkb = conn.execute(query("ikn_load", "regency_extent")).scalar()
        extent = None
        if extent_wkb is not None:  # the beyond zone covers the loaded regencies and the rings' box
            regencies = shapely.from_wkb(bytes(extent_wkb))
            default = zone_rings(boundary, settings.ikn_rings_km, settings.metric_crs).geometry.iloc[-1]
            extent = box(*shapely.union_all([regencies.envelope, default.envelope]).buffer(0.05).bounds)
        zones = zone_rings(boundary, settings.ikn_rings_km, settings.metric_crs, extent=extent)
        conn.execute(query("ikn_load", "clear_zones"))
        conn.execute(query("ikn_load", "clear_boundary"))
        conn.execute(
            query("ikn_load", "insert_boundary"),
            {"id": 1, "name": name, "source": source, "wkb": shapely.to_wkb(boundary)},
        )
        conn.execute(
            query("ikn_load", "insert_zone"),
            [
                {"id": int(z.id), "name": z.name, "min_km": float(z.min_km),
                 "max_km": None if z.max_km is None else float(z.max_km), "wkb": shapely.to_wkb(z.geometry)}
                for z in zones.itertuples()
            ],
        )  # fmt: skip
        refresh_ikn_distances(conn, srid, [])
        summary = [dict(r) for r in conn.execute(query("ikn_load", "zone_summary")).mappings()]
    area = gpd.GeoSeries([boundary], crs=4326).to_crs(settings.metric_crs).area.iloc[0] / 1e6
    return IknReport(source=source if not approximate else SHIPPED, approximate=approximate,
                     area_km2=float(area), zones=summary)  # fmt: skip
