"""Reference geography and IKN through the real CLI and Prefect flows (one Prefect API per session)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from shapely.geometry import box

from smartcity.reference.ensure import ensure_ikn, ensure_reference
from smartcity.reference.ikn import APPROXIMATE_SOURCE
from smartcity.reference.ikn_load import load_ikn
from smartcity.reference.load import LoadOptions, load_reference
from tests.conftest import make_settings
from tests.helpers import DATA
from tests.test_wilayah_boundaries import mirror_handler, serving

pytestmark = [pytest.mark.db, pytest.mark.e2e]

VILLAGES = DATA / "boundaries" / "paser_desa_kelurahan.geojson"
PPU = DATA / "cahyadsn_kel_64" / "wilayah_boundaries_kel_64.09.sql"


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
    # the upstream file names no district: the shipped Kaltim code list does, so no placeholders
    assert "placeholder names used" not in result.output
    districts = rows(engine, "SELECT code, name FROM ref.district WHERE code LIKE '64.09.%' ORDER BY 1")
    assert districts == [
        ("64.09.01", "Penajam"), ("64.09.02", "Waru"), ("64.09.03", "Babulu"), ("64.09.04", "Sepaku")
    ]  # fmt: skip
    assert rows(engine, "SELECT name FROM ref.regency WHERE code = '64.09'") == [("Penajam Paser Utara",)]


def test_cli_regions_load_takes_names_for_a_regency_outside_the_code_list(cli, engine, tmp_path):
    # a regency the shipped list does not name (here: codes of an imaginary 91.99): names from --names,
    # the placeholder (with its warning) only where neither the list nor the CSV names a district
    villages = tmp_path / "desa.geojson"
    squares = {"91.99.01.2001": (130.0, -2.0), "91.99.02.2001": (130.2, -2.0)}
    features = [
        {"type": "Feature", "properties": {"kode": code, "nama": f"Desa {i}"},
         "geometry": box(x, y, x + 0.1, y + 0.1).__geo_interface__}
        for i, (code, (x, y)) in enumerate(squares.items())
    ]  # fmt: skip
    villages.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    names = tmp_path / "nama.csv"
    names.write_text("kode;nama\n91.99;Kabupaten Contoh\n919901;Distrik Satu\n", encoding="utf-8")
    result = cli("regions", "load", str(villages), "--region", "91.99", "--names", str(names))
    assert result.exit_code == 0, result.output
    assert rows(engine, "SELECT code, name FROM ref.district ORDER BY 1") == [
        ("91.99.01", "Distrik Satu"),
        ("91.99.02", "Kecamatan 91.99.02"),
    ]
    assert rows(engine, "SELECT name FROM ref.regency") == [("Contoh",)]
    assert "no name known for 1 district(ies) (e.g. 91.99.02): placeholder names used" in result.output


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


def test_the_pipeline_loads_the_real_demo_region_with_idm_once(engine):
    settings = make_settings()
    first = ensure_reference(engine, settings)
    assert first is not None and first.features == 144 and first.districts_derived
    assert first.source == "paser_desa_kelurahan.geojson"
    assert ensure_reference(engine, settings) is None
    assert ensure_ikn(engine, settings) is not None and ensure_ikn(engine, settings) is None
    # districts dissolved from the real villages, under their official names
    assert rows(engine, "SELECT count(*) FROM ref.district") == [(10,)]
    assert rows(engine, "SELECT name FROM ref.district WHERE code = '64.01.03'") == [("Paser Belengkong",)]
    assert rows(engine, "SELECT count(*) FROM ref.district WHERE name LIKE 'Kecamatan %'") == [(0,)]
    # IDM 2024 for every desa; the kelurahan have none
    assert rows(engine, "SELECT kind, count(idm_score) FROM ref.village GROUP BY 1 ORDER BY 1") == [
        ("desa", 139), ("kelurahan", 0)
    ]  # fmt: skip


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
