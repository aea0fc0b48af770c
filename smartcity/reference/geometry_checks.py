"""Geometry checks for reference areas: repair, promote, drop empties, find overlaps and strays.

All functions are pure and vectorised with Shapely 2. Areas are measured in the metric CRS.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon


@dataclass(frozen=True)
class Repair:
    """Codes of repaired and dropped features."""

    repaired: list[str]
    dropped: list[str]


def polygonal_part(geom) -> MultiPolygon | None:
    """The polygons of a (repaired) geometry as one MultiPolygon, or None when there are none."""
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    if isinstance(geom, MultiPolygon):
        return geom
    polygons: list[Polygon] = []
    for part in getattr(geom, "geoms", []):
        found = polygonal_part(part)
        if found is not None:
            polygons.extend(found.geoms)
    return MultiPolygon(polygons) if polygons else None


def publishable_polygons(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Areas as a published file should hold them: every one a valid MultiPolygon on a grid of
    ``decimals`` (so writing them with that many decimals cannot make them invalid), exterior rings
    counter-clockwise and holes clockwise (RFC 7946's winding); an area with nothing left is None."""
    gridded = shapely.set_precision(np.asarray(geoms, dtype=object), 10.0**-decimals)
    fixed = [
        polygonal_part(shapely.make_valid(g) if g is not None and not g.is_valid else g) for g in gridded
    ]
    return np.array([None if g is None else shapely.orient_polygons(g) for g in fixed], dtype=object)


def repair_polygons(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, Repair]:
    """Make every geometry a valid, 2-D MultiPolygon: make_valid, keep polygonal parts, drop empties."""
    geoms = shapely.force_2d(frame.geometry.values)
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if invalid.any():
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    fixed = np.empty(len(geoms), dtype=object)
    plain = (shapely.get_type_id(geoms) == 3) & ~shapely.is_empty(geoms)  # Polygon: wrap directly
    fixed[plain] = shapely.multipolygons(geoms[plain][:, np.newaxis]) if plain.any() else []
    fixed[~plain] = [polygonal_part(g) for g in geoms[~plain]]
    empty = np.array([g is None for g in fixed])
    # make_valid can leave parts that are valid alone but overlap; merge them into one valid shape.
    still_bad = ~empty & ~shapely.is_valid(np.where(empty, None, fixed))
    if still_bad.any():
        fixed[still_bad] = [polygonal_part(shapely.union_all(g.geoms)) for g in fixed[still_bad]]
    codes = frame["code"].to_numpy()
    repair = Repair(repaired=sorted(codes[invalid & ~empty]), dropped=sorted(codes[empty]))
    result = frame.loc[~empty].copy()
    result = result.set_geometry(gpd.GeoSeries(list(fixed[~empty]), index=result.index, crs=frame.crs))
    return result, repair


def sibling_overlaps(
    metric: gpd.GeoDataFrame, parent_column: str, tolerance_km2: float
) -> list[tuple[str, str, float]]:
    """Pairs of areas with the same parent that overlap by more than ``tolerance_km2``."""
    geoms = metric.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    parents = metric[parent_column].to_numpy()
    same = parents[left] == parents[right]
    left, right = left[same], right[same]
    # most neighbours only share an edge: skip those before the costly intersections
    overlapping = ~shapely.touches(geoms[left], geoms[right])
    left, right = left[overlapping], right[overlapping]
    if len(left) == 0:
        return []
    areas = shapely.area(shapely.intersection(geoms[left], geoms[right])) / 1e6
    codes = metric["code"].to_numpy()
    return [
        (codes[a], codes[b], round(float(area), 3))
        for a, b, area in zip(left, right, areas, strict=True)
        if area > tolerance_km2
    ]


def share_inside_parent(children: gpd.GeoDataFrame, parents: gpd.GeoDataFrame) -> np.ndarray:
    """For each child (metric CRS, with ``parent_code``) the share of its area inside its parent polygon."""
    by_code = dict(zip(parents["code"], parents.geometry.values, strict=True))
    parent_geoms = np.array([by_code.get(c) for c in children["parent_code"]], dtype=object)
    has_parent = np.array([g is not None for g in parent_geoms])
    child_geoms = children.geometry.values
    share = np.zeros(len(children))
    if has_parent.any():
        inside = shapely.area(shapely.intersection(child_geoms[has_parent], parent_geoms[has_parent]))
        share[has_parent] = inside / np.maximum(shapely.area(child_geoms[has_parent]), 1e-9)
    return share


def dissolve(children: gpd.GeoDataFrame, by: str, names: dict[str, str]) -> gpd.GeoDataFrame:
    """Parents made by dissolving children on ``by`` (their code); names from ``names`` when known."""
    keys = children[by].to_numpy()
    order = np.argsort(keys, kind="stable")
    codes, starts = np.unique(keys[order], return_index=True)
    geoms = children.geometry.values[order]
    bounds = [*starts[1:], len(order)]
    # union_all, not coverage_union: real village layers overlap slightly, which coverage union
    # does not allow (it then returns invalid shapes without saying so).
    merged = [polygonal_part(shapely.union_all(geoms[a:b])) for a, b in zip(starts, bounds, strict=True)]
    return gpd.GeoDataFrame(
        {"code": codes, "name": [names.get(c) for c in codes]}, geometry=merged, crs=children.crs
    )
