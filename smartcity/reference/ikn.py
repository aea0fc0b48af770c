"""IKN Nusantara: an approximate boundary built from public legal facts, and distance rings around it.

The project has no official IKN boundary. UU No. 21/2023 Pasal 6 gives the four extreme points of
the IKN area and its land area, so :func:`approximate_boundary` draws a simple shape that honours
both: four quarter-superellipse arcs joining the extreme points, with one exponent ``p`` chosen so
that the area equals the legal land area. It is labelled approximate wherever it goes
(:data:`APPROXIMATE_SOURCE`); an official boundary replaces it with ``smartcity ikn load PATH``.

Why ``p`` may be below 1: the quadrilateral of the four legal extreme points already covers about
2,855 km2 in UTM 50S, more than the 2,526.6 km2 of land (the real outline is indented, e.g. by Teluk
Balikpapan). Arcs with ``p < 1`` bow inward, so the search range starts at :data:`EXPONENT_RANGE`'s
0.5 rather than at 1 (straight lines).

Pure functions: no database, no Prefect. Geometry is done in a metric CRS and returned in EPSG:4326.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from smartcity.platform.errors import InputError

WGS84 = "EPSG:4326"
DEFAULT_METRIC_CRS = "EPSG:32750"
DEFAULT_RINGS_KM: tuple[float, ...] = (25.0, 50.0, 100.0)

APPROXIMATE_SOURCE = (
    "Approximate boundary, not an official one: four superellipse arcs through the four extreme points "
    "of the IKN area, enclosing its land area, both as given in UU No. 21/2023 Pasal 6. "
    "Load an official boundary with `smartcity ikn load PATH`."
)

#: Vertices per quarter arc (the ring has four arcs).
ARC_SEGMENTS = 64
#: Superellipse exponents searched: below 1 the arcs bow inward, 1 is the quadrilateral, 2 ellipses.
EXPONENT_RANGE = (0.5, 8.0)
#: Relative area error at which the exponent search stops (the requirement is 0.1 %).
AREA_TOLERANCE = 1e-6
#: Segments per quarter circle of the ring buffers: a disc's area is then within 0.01 % of pi r^2.
BUFFER_QUAD_SEGS = 64

_FACT_COLUMNS = ("fact", "lon", "lat", "value", "unit", "legal_basis")
_POINT_FACTS = {
    "north": "extreme_point_north",
    "east": "extreme_point_east",
    "south": "extreme_point_south",
    "west": "extreme_point_west",
}
_AREA_UNITS_KM2 = {"ha": 0.01, "km2": 1.0}

LonLat = tuple[float, float]


@dataclass(frozen=True)
class IknFacts:
    """The legal facts the approximate boundary is built from; points are (lon, lat) in EPSG:4326."""

    north: LonLat
    east: LonLat
    south: LonLat
    west: LonLat
    land_area_km2: float
    legal_basis: str


# --- facts -------------------------------------------------------------------------------------------


def read_ikn_facts(path: Path) -> IknFacts:
    """Read the four extreme points and the land area from a ``fact,lon,lat,value,unit,legal_basis`` CSV."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in _FACT_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
            rows: dict[str, dict[str, str]] = {}
            for row in reader:
                fact = (row["fact"] or "").strip()
                if fact in rows:
                    raise InputError(f"{path}: fact {fact!r} appears twice")
                rows[fact] = {k: (v or "").strip() for k, v in row.items() if k}
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None

    points = {side: _read_point(path, rows, fact) for side, fact in _POINT_FACTS.items()}
    area = _read_number(path, rows, "land_area", "value")
    unit = rows["land_area"]["unit"].lower()
    if unit not in _AREA_UNITS_KM2:
        raise InputError(f"{path}: land_area unit must be ha or km2, not {unit!r}")
    if area <= 0:
        raise InputError(f"{path}: land_area must be positive, not {area}")
    bases = [r["legal_basis"] for r in rows.values() if r["legal_basis"]]
    facts = IknFacts(
        **points,
        land_area_km2=area * _AREA_UNITS_KM2[unit],
        legal_basis="; ".join(dict.fromkeys(bases)),
    )
    _check_extremes(facts.north, facts.east, facts.south, facts.west, where=str(path))
    return facts


def _read_number(path: Path, rows: dict[str, dict[str, str]], fact: str, field: str) -> float:
    if fact not in rows:
        raise InputError(f"{path}: fact {fact!r} is missing")
    raw = rows[fact][field]
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{path}: {fact} {field} is not a number: {raw!r}") from None
    if not math.isfinite(value):
        raise InputError(f"{path}: {fact} {field} is not a finite number: {raw!r}")
    return value


def _read_point(path: Path, rows: dict[str, dict[str, str]], fact: str) -> LonLat:
    lon, lat = _read_number(path, rows, fact, "lon"), _read_number(path, rows, fact, "lat")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError(f"{path}: {fact} is not a lon,lat pair in degrees: {lon}, {lat}")
    return (lon, lat)


def _check_extremes(north: LonLat, east: LonLat, south: LonLat, west: LonLat, *, where: str) -> None:
    """Each extreme point must be strictly beyond the other three in its direction."""
    (xn, yn), (xe, ye), (xs, ys), (xw, yw) = north, east, south, west
    if not (yn > max(ye, ys, yw) and ys < min(yn, ye, yw) and xe > max(xn, xs, xw) and xw < min(xn, xs, xe)):
        raise InputError(f"{where}: the extreme points are not north, east, south and west of each other")


# --- approximate boundary ----------------------------------------------------------------------------


def _metric_points(facts: IknFacts, metric_crs: str) -> np.ndarray:
    """The extreme points N, E, S, W in the metric CRS, shape (4, 2)."""
    to_metric = Transformer.from_crs(WGS84, metric_crs, always_xy=True)
    lonlat = np.array([facts.north, facts.east, facts.south, facts.west], dtype=float)
    x, y = to_metric.transform(lonlat[:, 0], lonlat[:, 1])
    return np.column_stack([x, y])


def _quarter_arc(vertical: np.ndarray, horizontal: np.ndarray, p: float) -> np.ndarray:
    """Arc from the E/W point (t=0) to the N/S point (t=pi/2), centred at the corner (x_ns, y_ew)."""
    t = np.linspace(0.0, math.pi / 2, ARC_SEGMENTS + 1)
    cos_t, sin_t = np.clip(np.cos(t), 0.0, 1.0), np.clip(np.sin(t), 0.0, 1.0)
    (xv, yv), (xh, yh) = vertical, horizontal
    x = xv + (xh - xv) * cos_t ** (2.0 / p)
    y = yh + (yv - yh) * sin_t ** (2.0 / p)
    return np.column_stack([x, y])


def _superellipse_ring(points: np.ndarray, p: float) -> np.ndarray:
    """Closed ring N -> E -> S -> W -> N of four quarter arcs; vertex k*ARC_SEGMENTS is N, E, S, W, N."""
    north, east, south, west = points
    arcs = [
        _quarter_arc(north, east, p)[::-1],  # N -> E
        _quarter_arc(south, east, p),  # E -> S
        _quarter_arc(south, west, p)[::-1],  # S -> W
        _quarter_arc(north, west, p),  # W -> N
    ]
    ring = np.concatenate([arcs[0]] + [arc[1:] for arc in arcs[1:]])
    ring[::ARC_SEGMENTS] = points[[0, 1, 2, 3, 0]]  # the extreme points exactly, not rounded by powers
    return ring


def _ring_area(ring: np.ndarray) -> float:
    """Unsigned shoelace area of a closed ring."""
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))) / 2.0


def superellipse_exponent(facts: IknFacts, metric_crs: str = DEFAULT_METRIC_CRS) -> float:
    """The exponent p whose four-arc curve through the extreme points encloses the legal land area."""
    points = _metric_points(facts, metric_crs)
    _check_extremes(*map(tuple, points), where=f"IKN extreme points in {metric_crs}")
    target = facts.land_area_km2 * 1e6

    def area(p: float) -> float:
        return _ring_area(_superellipse_ring(points, p))

    low, high = EXPONENT_RANGE
    area_low, area_high = area(low), area(high)
    if not area_low <= target <= area_high:
        raise InputError(
            f"IKN land area {facts.land_area_km2:,.1f} km2 cannot be drawn through the four extreme "
            f"points: exponents {low}-{high} give {area_low / 1e6:,.1f}-{area_high / 1e6:,.1f} km2"
        )
    # The area grows monotonically with p: bisect.
    for _ in range(200):
        middle = (low + high) / 2
        area_middle = area(middle)
        if abs(area_middle - target) <= AREA_TOLERANCE * target:
            return middle
        low, high = (middle, high) if area_middle < target else (low, middle)
    return (low + high) / 2


def approximate_boundary(facts: IknFacts, metric_crs: str = DEFAULT_METRIC_CRS) -> MultiPolygon:
    """An approximate IKN boundary (EPSG:4326) through the legal extreme points, with the legal land area."""
    p = superellipse_exponent(facts, metric_crs)
    ring = _superellipse_ring(_metric_points(facts, metric_crs), p)
    # Back to lon/lat; the extreme points are put back as given, free of round-trip noise.
    to_wgs84 = Transformer.from_crs(metric_crs, WGS84, always_xy=True)
    lon, lat = to_wgs84.transform(ring[:, 0], ring[:, 1])
    lonlat = np.column_stack([lon, lat])
    lonlat[::ARC_SEGMENTS] = np.array([facts.north, facts.east, facts.south, facts.west, facts.north])
    polygon = orient(Polygon(lonlat), sign=1.0)  # counter-clockwise exterior, as RFC 7946 asks
    if not polygon.is_valid:
        raise InputError(
            f"the approximate IKN boundary (p={p:.4f}) is not a valid polygon: "
            f"{shapely.is_valid_reason(polygon)}"
        )
    return MultiPolygon([polygon])


# --- rings and distances -----------------------------------------------------------------------------


def _check_rings(rings_km: Sequence[float]) -> list[float]:
    rings = [float(r) for r in rings_km]
    if not rings:
        raise InputError("IKN ring distances: give at least one distance in km")
    if not all(math.isfinite(r) and r > 0 for r in rings):
        raise InputError(f"IKN ring distances must be positive km values: {rings}")
    if any(b <= a for a, b in itertools.pairwise(rings)):
        raise InputError(f"IKN ring distances must be strictly increasing: {rings}")
    return rings


def _as_multipolygon(geom: BaseGeometry) -> MultiPolygon:
    """The polygonal part of ``geom`` as a (possibly empty) MultiPolygon, made valid if needed."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon([geom]) if not geom.is_empty else MultiPolygon()
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    polygons = [q for g in parts for q in (g.geoms if isinstance(g, MultiPolygon) else [g])]
    return MultiPolygon(polygons)


def _ring_label(min_km: float, max_km: float | None) -> str:
    return f"> {min_km:g} km" if max_km is None else f"{min_km:g}-{max_km:g} km"


def zone_rings(
    boundary: BaseGeometry,
    rings_km: Sequence[float] = DEFAULT_RINGS_KM,
    metric_crs: str = DEFAULT_METRIC_CRS,
    extent: BaseGeometry | None = None,
) -> gpd.GeoDataFrame:
    """Distance zones around the IKN boundary (all EPSG:4326): 0-r1 (with IKN itself), r1-r2, ..., beyond.

    The beyond zone covers ``extent`` (EPSG:4326) outside the last ring, or without one the last
    ring's bounding box grown by the last distance. Zones share edges and never overlap.
    """
    rings = _check_rings(rings_km)
    if boundary is None or boundary.is_empty:
        raise InputError("the IKN boundary is empty")
    metric = gpd.GeoSeries([boundary], crs=WGS84).to_crs(metric_crs).iloc[0]

    # Step 1: one buffer per distance, in metres.
    buffers = [metric.buffer(r * 1000.0, quad_segs=BUFFER_QUAD_SEGS) for r in rings]
    # Step 2: the rings are differences of consecutive buffers; zone 1 keeps IKN itself.
    shapes = [buffers[0], *(outer.difference(inner) for inner, outer in itertools.pairwise(buffers))]
    # Step 3: beyond = the extent outside the last buffer (edges densified so they bend as in metres).
    if extent is None:
        grow = rings[-1] * 1000.0
        minx, miny, maxx, maxy = buffers[-1].bounds
        extent_metric = box(minx - grow, miny - grow, maxx + grow, maxy + grow)
    else:
        extent_metric = gpd.GeoSeries([extent], crs=WGS84).to_crs(metric_crs).iloc[0]
    extent_metric = shapely.segmentize(extent_metric, max_segment_length=1000.0)
    shapes.append(extent_metric.difference(buffers[-1]))

    bounds = [0.0, *rings]
    geometry = gpd.GeoSeries(shapes, crs=metric_crs).to_crs(WGS84)
    return gpd.GeoDataFrame(
        {
            "id": np.arange(1, len(shapes) + 1),
            "name": [_ring_label(lo, hi) for lo, hi in zip(bounds, [*rings, None], strict=True)],
            "min_km": bounds,
            "max_km": pd.Series([*rings, None], dtype=object),
        },
        geometry=[_as_multipolygon(g) for g in geometry],
        crs=WGS84,
    )


def distance_km(
    geoms: gpd.GeoSeries, boundary: BaseGeometry, metric_crs: str = DEFAULT_METRIC_CRS
) -> np.ndarray:
    """Distance of each geometry to the IKN boundary in km (0 inside); no CRS on ``geoms`` means EPSG:4326."""
    series = geoms if geoms.crs is not None else geoms.set_crs(WGS84)
    metric_boundary = gpd.GeoSeries([boundary], crs=WGS84).to_crs(metric_crs).iloc[0]
    return series.to_crs(metric_crs).distance(metric_boundary).to_numpy(dtype=float) / 1000.0


def zones_of(distances_km: ArrayLike, zones: gpd.GeoDataFrame) -> np.ndarray:
    """Zone id of each distance: the zone with min_km <= d < max_km, the last zone beyond its max_km."""
    distances = np.asarray(distances_km, dtype=float)
    if np.any(~np.isfinite(distances) | (distances < 0)):
        raise InputError("distances to IKN must be non-negative numbers of km")
    ordered = zones.sort_values("min_km")
    mins = ordered["min_km"].to_numpy(dtype=float)
    if distances.size and distances.min() < mins[0]:
        raise InputError(f"the IKN zones start at {mins[0]:g} km, not at 0 km")
    index = np.searchsorted(mins, distances, side="right") - 1
    return ordered["id"].to_numpy()[index]


def zone_of(distance_km: float, zones: gpd.GeoDataFrame) -> int:
    """Zone id for one distance in km (see :func:`zones_of`)."""
    return int(zones_of([distance_km], zones)[0])
