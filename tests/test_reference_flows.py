"""Reference geography and IKN through the real CLI and Prefect flows (one Prefect API per session)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from shapely.geometry import box

from smartcity.reference.ensure import ensure_ikn, ensure_reference
from smartcity.reference.ikn import APPROXIMATE_SOURCE
from smartcity.reference.ikn_load import load_ikn
from smartcity.reference.load import LoadOptions, load_reference
from tests.conftest import make_settings
from tests.helpers import SHARED_DATA
from tests.test_wilayah_boundaries import mirror_handler, serving

pytestmark = [pytest.mark.db, pytest.mark.e2e]

VILLAGES = SHARED_DATA / "boundaries" / "paser_desa_kelurahan.geojson"
PPU = SHARED_DATA / "raw" / "cahyadsn_kel_64" / "wilayah_boundaries_kel_64.09.sql"


def rows(engine, statement: str, **params):
    with engine.connect() as conn:
        return conn.execute(sa.text(statement), params).all()


def test_cli_regions_load_runs_the_flow_and_prints_the_report(cli, engine):
    result = cli("regions", "load", str(VILLAGES), "--level", "village")
    assert result.exit_code == 0, result.output
    assert "paser_desa_kelurahan.geojson: 144 villages of 64.01 loaded, 10 districts derived" in result.output
    assert rows(engine, "SELECT count(*) FROM ref.village") == [(144,)]
    (flow_run_id,) = rows(engine, "SELECT flow_run_id FROM ref.boundary_load")[0]
    assert flow_run_id is not None  # the load is traceable to its Prefect run
    again = cli("regions", "load", str(VILLAGES))
    assert "unchanged since the last load" in again.output


def test_cli_bad_file_is_one_line_and_exit_1(cli, tmp_path):
    broken = tmp_path / "broken.geojson"
    broken.write_text("{ not json")
    result = cli("regions", "load", str(broken))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("error: broken.geojson: cannot be read")


def test_cli_regions_fetch_downloads_from_a_mirror_and_loads(cli, engine, tmp_path):
    root = tmp_path / "mirror"
    (root / "db" / "kel").mkdir(parents=True)
    (root / "db" / "kel" / "64").symlink_to(PPU.parent, target_is_directory=True)
    handler, requests = mirror_handler(root)
    with serving(handler) as base_url:
        result = cli("regions", "fetch", "6409", "--base-url", base_url)
    assert result.exit_code == 0, result.output
    assert requests == ["/db/kel/64/wilayah_boundaries_kel_64.09.sql"]
    assert "54 villages of 64.09 loaded" in result.output
    assert (tmp_path / "data" / "downloads" / "wilayah_boundaries_kel_64.09.sql").exists()
    # no names for PPU's districts ship with the project: placeholders, and a warning says so
    assert "placeholder names used" in result.output
    assert rows(engine, "SELECT count(*) FROM ref.district WHERE starts_with(code, '64.09.')") == [(4,)]


def test_cli_fetch_offline_is_one_line(cli, tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = cli("regions", "fetch", "64.01", "--base-url", f"http://127.0.0.1:{port}")
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("error: ") and "offline" in last and "smartcity regions load" in last


def test_cli_ikn_load_builds_zones_and_distances(cli, engine):
    assert cli("regions", "load", str(VILLAGES)).exit_code == 0
    result = cli("ikn", "load")
    assert result.exit_code == 0, result.output
    assert "approximate IKN boundary loaded" in result.output
    assert rows(engine, "SELECT source FROM ref.ikn_boundary") == [(APPROXIMATE_SOURCE,)]
    zones = rows(engine, "SELECT id, name, min_km, max_km FROM ref.ikn_zone ORDER BY id")
    assert zones == [
        (1, "0-25 km", 0, 25),
        (2, "25-50 km", 25, 50),
        (3, "50-100 km", 50, 100),
        (4, "> 100 km", 100, None),
    ]
    # every village and district knows its distance and the zone that distance falls in
    assert rows(
        engine,
        "SELECT count(*) FROM ref.village v JOIN ref.ikn_zone z ON z.id = v.ikn_zone_id "
        "WHERE v.ikn_distance_km >= z.min_km AND (z.max_km IS NULL OR v.ikn_distance_km < z.max_km)",
    ) == [(144,)]
    assert rows(engine, "SELECT count(*) FROM ref.district WHERE ikn_zone_id IS NOT NULL") == [(10,)]
    # the zones share edges only
    overlap = rows(
        engine,
        "SELECT coalesce(max(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0) FROM ref.ikn_zone a "
        "JOIN ref.ikn_zone b ON a.id < b.id",
    )[0][0]
    assert overlap < 1.0  # m²


def test_villages_inside_ikn_are_at_distance_zero(engine):
    settings = make_settings()
    load_reference(engine, PPU, settings, LoadOptions(regions=["64.09"]))
    load_ikn(engine, settings)
    inside = rows(engine, "SELECT count(*) FROM ref.village WHERE ikn_distance_km = 0 AND ikn_zone_id = 1")[
        0
    ][0]
    assert inside >= 3  # Sepaku's villages host the capital
    far = rows(engine, "SELECT max(ikn_distance_km) FROM ref.village")[0][0]
    assert 0 < far < 150


def test_an_official_boundary_replaces_the_approximation_and_areas_loaded_later_get_distances(
    engine, tmp_path
):
    import geopandas as gpd

    settings = make_settings()
    load_ikn(engine, settings)
    official = tmp_path / "ikn_resmi.geojson"
    gpd.GeoDataFrame({"nama": ["IKN (resmi)"]}, geometry=[box(116.6, -1.2, 117.2, -0.7)], crs=4326).to_file(
        official
    )
    report = load_ikn(engine, settings, official)
    assert not report.approximate
    assert rows(engine, "SELECT id, name, source FROM ref.ikn_boundary") == [
        (1, "IKN (resmi)", "ikn_resmi.geojson")
    ]
    load_reference(engine, VILLAGES, settings, LoadOptions(regions=["64.01"]))
    assert rows(engine, "SELECT count(*) FROM ref.village WHERE ikn_distance_km IS NULL") == [(0,)]


def test_the_pipeline_loads_the_demo_region_once(engine):
    settings = make_settings()
    first = ensure_reference(engine, settings)
    assert first is not None and first.features == 144 and first.districts_derived
    assert ensure_reference(engine, settings) is None
    assert ensure_ikn(engine, settings) is not None and ensure_ikn(engine, settings) is None
    assert rows(engine, "SELECT count(*) FROM ref.district") == [(10,)]


def test_the_pipeline_asks_for_boundaries_of_a_regency_without_demo(engine):
    from smartcity.platform.errors import InputError

    with pytest.raises(
        InputError, match=r"no reference geography for 64.09: run `smartcity regions fetch 64.09`"
    ):
        ensure_reference(engine, make_settings(region_code="64.09"))


def test_a_configured_reference_file_is_loaded_and_then_left_alone(engine):
    settings = make_settings(reference_source=VILLAGES)
    assert ensure_reference(engine, settings).features == 144
    assert ensure_reference(engine, settings).unchanged
