"""Reference geography into PostGIS, on the real Paser data (shipped in geodata/sources/)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
import sqlalchemy as sa
from shapely.geometry import MultiPolygon, Polygon, box

from smartcity.platform.errors import InputError
from smartcity.reference.load import LoadOptions, load_reference
from tests.conftest import make_settings
from tests.helpers import DATA, scalar

pytestmark = pytest.mark.db

VILLAGES = DATA / "boundaries" / "paser_desa_kelurahan.geojson"
DISTRICTS = DATA / "boundaries" / "paser_kecamatan.geojson"
IDM = DATA / "tables" / "paser_idm2024_desa.csv"
RAW_KALTIM = DATA / "cahyadsn_kel_64"
SETTINGS = make_settings()


def load(engine, path, **options):
    return load_reference(engine, Path(path), SETTINGS, LoadOptions(**options))


def rows(engine, statement: str, **params):
    with engine.connect() as conn:
        return conn.execute(sa.text(statement), params).all()


@pytest.fixture
def paser(engine):
    """The real 144 villages of Paser, loaded; districts and the regency derived from them."""
    report = load(engine, VILLAGES, regions=["64.01"])
    return engine, report


def test_all_villages_load_and_districts_are_derived(paser):
    engine, report = paser
    assert (report.features, report.districts, report.regencies_loaded) == (144, 10, 1)
    assert report.districts_derived and report.repaired == [] and report.dropped == []
    assert scalar(engine, "SELECT count(*) FROM ref.village") == 144
    assert scalar(engine, "SELECT count(*) FROM ref.village WHERE kind = 'kelurahan'") == 5
    assert scalar(engine, "SELECT count(*) FROM ref.district") == 10
    assert rows(engine, "SELECT code, name, source FROM ref.regency") == [
        ("64.01", "Paser", "derived from districts")
    ]
    # every village code starts with its district's code, and that district exists
    inside = scalar(
        engine,
        "SELECT count(*) FROM ref.village v JOIN ref.district d ON d.code = v.district_code "
        "WHERE starts_with(v.code, d.code || '.')",
    )
    assert inside == 144
    names = dict(rows(engine, "SELECT code, name FROM ref.district"))
    assert names["64.01.04"] == "Tanah Grogot" and names["64.01.03"] == "Paser Belengkong"


def test_derived_district_areas_match_their_villages_within_2_percent(paser):
    engine, _ = paser
    pairs = rows(
        engine,
        "SELECT d.code, d.area_km2, sum(v.area_km2) FROM ref.district d "
        "JOIN ref.village v ON v.district_code = d.code GROUP BY d.code, d.area_km2",
    )
    assert len(pairs) == 10
    for code, district_area, village_sum in pairs:
        assert abs(district_area - village_sum) / village_sum < 0.02, code
    total = scalar(engine, "SELECT sum(area_km2) FROM ref.district")
    assert 10_500 < total < 11_000  # Paser is about 10,760 km² by these polygons


def test_geometry_is_stored_as_valid_multipolygons_in_4326(paser):
    engine, _ = paser
    assert rows(
        engine, "SELECT DISTINCT ST_GeometryType(geom), ST_SRID(geom), ST_IsValid(geom) FROM ref.village"
    ) == [("ST_MultiPolygon", 4326, True)]


def test_rbi_shapefile_in_utm_loads_to_the_same_codes_and_geometry(paser, tmp_path):
    engine, _ = paser
    before = {code: shapely.from_wkb(bytes(wkb)) for code, wkb in
              rows(engine, "SELECT code, ST_AsBinary(geom) FROM ref.village")}  # fmt: skip
    rbi = gpd.read_file(VILLAGES).rename(
        columns={"kode": "KDEPUM", "nama": "WADMKD", "kec_kode": "KDCPUM", "kec_nama": "WADMKC",
                 "kab_kode": "KDPKAB"}
    )[["KDEPUM", "WADMKD", "KDCPUM", "WADMKC", "KDPKAB", "geometry"]].to_crs("EPSG:32750")  # fmt: skip
    shapefile = tmp_path / "desa_rbi.shp"
    rbi.to_file(shapefile)
    report = load(engine, shapefile, regions=["64.01"])
    assert report.features == 144 and not report.unchanged
    after = {code: shapely.from_wkb(bytes(wkb)) for code, wkb in
             rows(engine, "SELECT code, ST_AsBinary(geom) FROM ref.village")}  # fmt: skip
    assert after.keys() == before.keys()
    metric = gpd.GeoSeries(list(before.values()), crs=4326).to_crs(32750).values
    metric_after = gpd.GeoSeries([after[c] for c in before], crs=4326).to_crs(32750).values
    assert max(shapely.hausdorff_distance(metric, metric_after)) < 1.0


def test_loading_the_same_file_again_changes_nothing(paser):
    engine, _ = paser
    snapshot = rows(
        engine, "SELECT code, name, kind, md5(ST_AsEWKB(geom)::text) FROM ref.village ORDER BY code"
    )
    loads = scalar(engine, "SELECT count(*) FROM ref.boundary_load")
    again = load(engine, VILLAGES, regions=["64.01"])
    assert again.unchanged and "unchanged" in again.summary()
    assert (
        rows(engine, "SELECT code, name, kind, md5(ST_AsEWKB(geom)::text) FROM ref.village ORDER BY code")
        == snapshot
    )
    assert scalar(engine, "SELECT count(*) FROM ref.boundary_load") == loads


def test_a_failing_load_leaves_the_previous_reference_in_place(paser, tmp_path):
    engine, _ = paser
    snapshot = rows(engine, "SELECT code, source FROM ref.village ORDER BY code")
    districts = rows(
        engine, "SELECT code, source, md5(ST_AsEWKB(geom)::text) FROM ref.district ORDER BY code"
    )
    loads = scalar(engine, "SELECT count(*) FROM ref.boundary_load")
    with engine.begin() as conn:  # the database fails half-way through the swap
        conn.exec_driver_sql(
            "CREATE FUNCTION ref.fail() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'disk trouble'; END $$;"
            "CREATE TRIGGER fail AFTER INSERT ON ref.village FOR EACH ROW "
            "WHEN (NEW.code = '64.01.04.1001') EXECUTE FUNCTION ref.fail();"
        )
    changed = gpd.read_file(VILLAGES)
    changed["nama"] = changed["nama"] + " (baru)"
    path = tmp_path / "changed.geojson"
    changed.to_file(path)
    with pytest.raises(sa.exc.DBAPIError, match="disk trouble"):
        load(engine, path, regions=["64.01"])
    assert rows(engine, "SELECT code, source FROM ref.village ORDER BY code") == snapshot
    assert (
        rows(engine, "SELECT code, source, md5(ST_AsEWKB(geom)::text) FROM ref.district ORDER BY code")
        == districts
    )
    assert scalar(engine, "SELECT count(*) FROM ref.boundary_load") == loads
    assert scalar(engine, "SELECT count(*) FROM ref.village WHERE name LIKE '%(baru)'") == 0


def tiny_villages(tmp_path: Path, geoms: dict[str, object], name="tiny.geojson") -> Path:
    frame = gpd.GeoDataFrame(
        {"kode": list(geoms), "nama": [f"Desa {c[-4:]}" for c in geoms]},
        geometry=list(geoms.values()),
        crs=4326,
    )
    path = tmp_path / name
    frame.to_file(path)
    return path


def test_invalid_geometries_are_repaired_and_counted(engine, tmp_path):
    bowtie = Polygon([(116.0, -1.9), (116.1, -1.8), (116.1, -1.9), (116.0, -1.8), (116.0, -1.9)])
    outer = box(116.2, -1.9, 116.3, -1.8)
    nested = MultiPolygon([outer, box(116.22, -1.88, 116.28, -1.82)])  # a shell inside a shell
    good = box(116.4, -1.9, 116.5, -1.8)
    assert not bowtie.is_valid and not nested.is_valid
    path = tiny_villages(tmp_path, {"64.01.04.2001": bowtie, "64.01.04.2002": nested, "64.01.04.2003": good})
    report = load(engine, path, regions=["64.01"])
    assert report.repaired == ["64.01.04.2001", "64.01.04.2002"]
    assert "2 geometries repaired" in report.summary()
    assert scalar(engine, "SELECT bool_and(ST_IsValid(geom)) FROM ref.village")
    # the bow-tie keeps both triangles; the nested shell keeps the outer square's area
    areas = dict(rows(engine, "SELECT code, ST_Area(geom) FROM ref.village"))
    assert areas["64.01.04.2001"] == pytest.approx(0.005, rel=1e-6)
    assert areas["64.01.04.2002"] == pytest.approx(outer.area, rel=1e-6) or areas[
        "64.01.04.2002"
    ] == pytest.approx(outer.area - 0.06 * 0.06, rel=1e-6)


def test_empty_geometries_are_dropped_with_a_warning(engine, tmp_path):
    path = tiny_villages(
        tmp_path,
        {"64.01.04.2001": box(116.0, -1.9, 116.1, -1.8), "64.01.04.2002": Polygon()},
    )
    report = load(engine, path, regions=["64.01"])
    assert report.dropped == ["64.01.04.2002"] and report.features == 1
    assert any("dropped" in w for w in report.warnings)


def test_a_file_without_a_code_field_names_the_fields_it_found(engine, tmp_path):
    frame = gpd.GeoDataFrame(
        {"desa_name": ["X"], "luas": [1.0]}, geometry=[box(116, -2, 116.1, -1.9)], crs=4326
    )
    path = tmp_path / "nocode.geojson"
    frame.to_file(path)
    with pytest.raises(InputError) as caught:
        load(engine, path)
    message = str(caught.value)
    assert "\n" not in message
    assert "nocode.geojson: no village code field found" in message
    assert "desa_name, luas" in message


def test_a_bad_code_names_file_feature_and_field(engine, tmp_path):
    path = tiny_villages(
        tmp_path, {"64.01.04.2001": box(116, -2, 116.1, -1.9), "64.01.x": box(116, -2, 116.1, -1.9)}
    )
    with pytest.raises(
        InputError, match=r"tiny.geojson: feature 2, field kode: '64.01.x' is not a village code"
    ):
        load(engine, path)


def test_official_districts_are_kept_and_stray_villages_reported(engine):
    load(engine, DISTRICTS, level="district", regions=["64.01"])
    report = load(engine, VILLAGES, regions=["64.01"], outside_share=0.9)
    assert not report.districts_derived
    assert scalar(engine, "SELECT count(DISTINCT source) FROM ref.district") == 1
    assert scalar(engine, "SELECT min(source) FROM ref.district") == "paser_kecamatan.geojson"
    strays = [w for w in report.warnings if "lies mostly outside its district" in w]
    assert 1 <= len(strays) <= 8  # SOURCES.md: 5 desa lie only 85-89 % inside their kecamatan polygon
    # the default threshold (half the area) finds none in the real data
    again = load(engine, VILLAGES, regions=["64.01"], derive_districts=False, overlap_tolerance_km2=0.051)
    assert [w for w in again.warnings if "outside" in w] == []


def test_a_village_in_the_wrong_district_is_reported(engine, tmp_path):
    load(engine, DISTRICTS, level="district", regions=["64.01"])
    # 64.01.04 is Tanah Grogot; this square lies far west, in Muara Komam
    path = tiny_villages(tmp_path, {"64.01.04.2001": box(115.60, -1.80, 115.62, -1.78)})
    report = load(engine, path, regions=["64.01"])
    assert report.warnings == ["village 64.01.04.2001 lies mostly outside its district (0% inside)"]


def test_idm_and_population_attributes_join_by_code(engine, tmp_path):
    report = load(engine, VILLAGES, regions=["64.01"], attributes=IDM)
    assert report.features == 144
    assert scalar(engine, "SELECT count(*) FROM ref.village WHERE idm_score IS NOT NULL") == 139
    assert (
        scalar(engine, "SELECT count(*) FROM ref.village WHERE kind = 'kelurahan' AND idm_score IS NULL") == 5
    )
    statuses = rows(engine, "SELECT DISTINCT idm_status FROM ref.village WHERE idm_status IS NOT NULL")
    assert {s for (s,) in statuses} == {"Mandiri", "Maju", "Berkembang"}
    population = tmp_path / "penduduk.csv"
    population.write_text("kode;jumlah_penduduk\n64.01.04.1001;12345\n6401042005;678\n")
    load(engine, VILLAGES, regions=["64.01"], attributes=population)
    assert dict(rows(engine, "SELECT code, population FROM ref.village WHERE population IS NOT NULL")) == {
        "64.01.04.1001": 12345, "64.01.04.2005": 678
    }  # fmt: skip
    # IDM joined by the earlier load stays with its village
    assert scalar(engine, "SELECT count(*) FROM ref.village WHERE idm_score IS NOT NULL") == 139


def test_aliases_cover_normalised_names_joined_forms_and_known_variants(paser):
    engine, _ = paser
    alias = dict(rows(engine, "SELECT alias || '|' || level, code FROM ref.place_alias"))
    assert alias["tanah grogot|district"] == "64.01.04"
    assert alias["tanahgrogot|district"] == "64.01.04"
    assert alias["long ikis|district"] == "64.01.06" and alias["longikis|district"] == "64.01.06"
    assert alias["pasir belengkong|district"] == "64.01.03"
    assert alias["paser|regency"] == "64.01" and alias["pasir|regency"] == "64.01"


def test_two_regencies_stay_separate(engine):
    load(engine, VILLAGES, regions=["64.01"])
    before = rows(engine, "SELECT code, md5(ST_AsEWKB(geom)::text) FROM ref.village ORDER BY code")
    ppu = load(engine, RAW_KALTIM / "wilayah_boundaries_kel_64.09.sql", regions=["64.09"])
    assert ppu.features == scalar(
        engine, "SELECT count(*) FROM ref.village WHERE starts_with(code, '64.09.')"
    )
    assert rows(engine, "SELECT code, md5(ST_AsEWKB(geom)::text) FROM ref.village "
                        "WHERE starts_with(code, '64.01.') ORDER BY code") == before  # fmt: skip
    assert rows(engine, "SELECT code FROM ref.regency ORDER BY code") == [("64.01",), ("64.09",)]


def test_asking_for_a_regency_the_file_does_not_have_is_one_line(engine):
    with pytest.raises(InputError, match=r"no areas of 64\.01 in the file \(it has 64\.09\)"):
        load(engine, RAW_KALTIM / "wilayah_boundaries_kel_64.09.sql", regions=["64.01"])


def test_a_file_without_crs_in_metres_needs_crs(engine, tmp_path):
    frame = gpd.read_file(VILLAGES).to_crs(32750).head(3)
    path = tmp_path / "nocrs.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"kode": r.kode, "nama": r.nama},
                      "geometry": shapely.geometry.mapping(r.geometry)} for r in frame.itertuples()],
    }))  # fmt: skip
    # GeoJSON is WGS 84 by definition, so GDAL assumes it; metres then fail the degree check
    with pytest.raises(
        InputError, match=r"nocrs.geojson: says EPSG:4326 but its coordinates are not degrees"
    ):
        load(engine, path)
    report = load_reference(engine, path, SETTINGS, LoadOptions(crs="EPSG:32750", regions=["64.01"]))
    assert report.features == 3


def test_split_features_of_one_village_are_merged(engine, tmp_path):
    frame = gpd.GeoDataFrame(
        {"kode": ["64.01.04.2001", "64.01.04.2001"], "nama": ["Lolo", "LOLO"]},
        geometry=[box(116.0, -1.9, 116.1, -1.8), box(116.1, -1.9, 116.2, -1.8)], crs=4326,
    )  # fmt: skip
    path = tmp_path / "split.geojson"
    frame.to_file(path)
    report = load(engine, path, regions=["64.01"])
    assert report.merged == ["64.01.04.2001"] and report.features == 1
    assert scalar(engine, "SELECT ST_Area(geom) FROM ref.village") == pytest.approx(0.02)
