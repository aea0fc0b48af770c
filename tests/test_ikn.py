"""Pure: the approximate IKN boundary built from UU 21/2023 Pasal 6, its distance rings and zone lookup."""

from __future__ import annotations

import dataclasses
import importlib.util
import math
from itertools import combinations
from pathlib import Path

import geopandas as gpd
import pytest
from pyproj import Transformer
from shapely.geometry import Point, Polygon

from smartcity.platform.errors import InputError
from smartcity.reference import ikn

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
FACTS_CSV = GEODATA / "sources" / "ikn_facts.csv"
METRIC = "EPSG:32750"
LEGAL_LAND_AREA_KM2 = 2526.6  # 252,660 ha
TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC, always_xy=True)
TO_WGS84 = Transformer.from_crs(METRIC, "EPSG:4326", always_xy=True)


@pytest.fixture(scope="module")
def facts() -> ikn.IknFacts:
    return ikn.read_ikn_facts(FACTS_CSV)


@pytest.fixture(scope="module")
def boundary(facts):
    return ikn.approximate_boundary(facts)


def metric(geom):
    """One EPSG:4326 geometry in the metric CRS."""
    return gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(METRIC).iloc[0]


def metric_areas(zones: gpd.GeoDataFrame) -> list[float]:
    return list(zones.to_crs(METRIC).area)


# --- facts and the approximate boundary ---------------------------------------------------------------


def test_facts_are_the_legal_extreme_points_and_land_area(facts):
    assert facts.north == (117.005584, -0.639049)
    assert facts.east == (117.307108, -1.109104)
    assert facts.south == (117.197652, -1.258828)
    assert facts.west == (116.525328, -1.004117)
    assert facts.land_area_km2 == pytest.approx(LEGAL_LAND_AREA_KM2)
    assert "21 Tahun 2023" in facts.legal_basis and "Pasal 6" in facts.legal_basis


def test_facts_without_land_area_are_refused(tmp_path):
    lines = FACTS_CSV.read_text().splitlines()
    broken = tmp_path / "facts.csv"
    broken.write_text("\n".join(line for line in lines if not line.startswith("land_area")) + "\n")
    with pytest.raises(InputError, match="land_area"):
        ikn.read_ikn_facts(broken)


def test_boundary_is_valid_and_has_the_legal_land_area(boundary):
    assert boundary.geom_type == "MultiPolygon" and boundary.is_valid
    assert metric(boundary).area / 1e6 == pytest.approx(LEGAL_LAND_AREA_KM2, rel=0.005)


def test_extreme_points_lie_on_the_boundary_and_stay_extreme(facts, boundary):
    outline = metric(boundary).boundary
    for lonlat in (facts.north, facts.east, facts.south, facts.west):
        assert outline.distance(Point(TO_METRIC.transform(*lonlat))) < 1.0  # metres
    lons = [facts.west[0], facts.east[0]]
    lats = [facts.south[1], facts.north[1]]
    assert boundary.bounds == pytest.approx((lons[0], lats[0], lons[1], lats[1]), abs=1e-6)


def test_unreachable_land_area_is_refused(facts):
    for area_km2 in (10.0, 50_000.0):
        with pytest.raises(InputError, match="cannot be drawn"):
            ikn.approximate_boundary(dataclasses.replace(facts, land_area_km2=area_km2))


def test_shipped_geojson_is_what_the_generator_makes_now(tmp_path):
    spec = importlib.util.spec_from_file_location("make_ikn_approx", GEODATA / "make_ikn_approx.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    fresh = generator.make_geojson(FACTS_CSV, tmp_path / "ikn_approx.geojson")
    assert fresh.read_bytes() == (GEODATA / "ikn_approx.geojson").read_bytes()

    shipped = gpd.read_file(GEODATA / "ikn_approx.geojson")
    assert list(shipped["name"]) == ["Ibu Kota Nusantara (approximate)"]
    assert shipped["source"].iloc[0] == ikn.APPROXIMATE_SOURCE
    assert "approximate" in ikn.APPROXIMATE_SOURCE.lower() and "smartcity ikn load" in ikn.APPROXIMATE_SOURCE


# --- rings --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def point_zones():
    """Rings around a point-like boundary (1 m disc) in Kabupaten Paser."""
    x, y = TO_METRIC.transform(116.2, -1.9)
    disc = Point(x, y).buffer(1.0)
    tiny = Polygon([TO_WGS84.transform(*xy) for xy in disc.exterior.coords])
    return ikn.zone_rings(tiny)


def test_rings_are_labelled_outward(point_zones):
    assert list(point_zones["id"]) == [1, 2, 3, 4]
    assert list(point_zones["name"]) == ["0-25 km", "25-50 km", "50-100 km", "> 100 km"]
    assert list(point_zones["min_km"]) == [0.0, 25.0, 50.0, 100.0]
    assert list(point_zones["max_km"]) == [25.0, 50.0, 100.0, None]
    assert point_zones.crs == "EPSG:4326"
    assert all(g.geom_type == "MultiPolygon" and g.is_valid for g in point_zones.geometry)


def test_rings_around_a_point_are_nested_annuli_of_the_right_area(point_zones):
    zones = point_zones.to_crs(METRIC).geometry.tolist()
    for inner, outer in zip(zones, zones[1:], strict=False):
        assert Polygon(outer.geoms[0].exterior).contains(inner)
    for a, b in combinations(zones, 2):
        assert a.intersection(b).area < 1e-6 * min(a.area, b.area)
    radii = [0.0, 25.0, 50.0, 100.0]
    for zone, r1, r2 in zip(zones, radii, radii[1:], strict=False):
        assert zone.area / 1e6 == pytest.approx(math.pi * (r2**2 - r1**2), rel=0.01)
    # Beyond: the 200 km box around the last ring, grown by 100 km on every side, minus that ring.
    assert zones[-1].area / 1e6 == pytest.approx(400.0**2 - math.pi * 100.0**2, rel=0.01)


def test_rings_around_the_approximate_boundary(boundary):
    zones = ikn.zone_rings(boundary)
    assert zones.geometry.iloc[0].contains(boundary)
    assert all(zones.is_valid)
    areas = metric_areas(zones)
    union_area = metric(zones.union_all()).area
    assert sum(areas) == pytest.approx(union_area, rel=1e-6)
    last_ring = metric(boundary).buffer(100_000.0, quad_segs=ikn.BUFFER_QUAD_SEGS)
    assert sum(areas[:3]) == pytest.approx(last_ring.area, rel=1e-6)


def test_beyond_zone_fills_a_given_extent(boundary):
    extent = Polygon([(114.0, -3.5), (119.0, -3.5), (119.0, 1.5), (114.0, 1.5)])
    zones = ikn.zone_rings(boundary, rings_km=(10, 20), extent=extent)
    assert list(zones["name"]) == ["0-10 km", "10-20 km", "> 20 km"]
    assert metric(zones.union_all()).area == pytest.approx(metric(extent).area, rel=1e-4)


@pytest.mark.parametrize("rings", [(), (25, 25), (50, 25), (-5, 10), (0, 10), (10, float("nan"))])
def test_bad_ring_distances_are_refused(boundary, rings):
    with pytest.raises(InputError) as error:
        ikn.zone_rings(boundary, rings_km=rings)
    assert "\n" not in str(error.value)


# --- distances and zones ------------------------------------------------------------------------------


def test_distance_is_zero_inside_and_measured_in_metres_outside(facts, boundary):
    x, y = TO_METRIC.transform(*facts.east)
    outside = Point(TO_WGS84.transform(x + 30_000.0, y))
    inside = Point(117.0, -0.95)
    distances = ikn.distance_km(gpd.GeoSeries([inside, outside], crs="EPSG:4326"), boundary)
    assert distances[0] == 0.0
    assert distances[1] == pytest.approx(30.0, abs=0.01)


def test_zone_of_maps_distances_to_ring_ids(point_zones):
    assert [ikn.zone_of(d, point_zones) for d in (0, 30, 75, 150)] == [1, 2, 3, 4]
    assert [ikn.zone_of(d, point_zones) for d in (25, 50, 100)] == [2, 3, 4]
    assert list(ikn.zones_of([0.0, 24.9, 1e6], point_zones)) == [1, 1, 4]
    with pytest.raises(InputError):
        ikn.zone_of(-1.0, point_zones)
