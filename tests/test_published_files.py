"""What a run publishes on the real boundaries of Paser: clean GeoJSON layers (one geometry type, valid,
MultiPolygon, EPSG:4326, every area), and provenance on every output (mart.scoring_run, SOURCES.json,
the report, the map, the figures), escaped wherever a string came from a file."""

from __future__ import annotations

import copy
import json

import pyogrio
import pytest
import sqlalchemy as sa

from maps.site import write_site
from maps.web.priority_map import MapOptions
from smartcity.scoring.model import load_config
from smartcity.scoring.results import read_map_data
from smartcity.scoring.runs import score_region

pytestmark = [pytest.mark.db]

COUNTS = {"priority_villages.geojson": 144, "priority_districts.geojson": 10}


@pytest.fixture
def site(demo, tmp_path):
    score_region(demo, "64.01", load_config())
    data = read_map_data(demo, "64.01")
    return data, write_site(data, tmp_path / "site", MapOptions(offline=True))


def test_every_published_geojson_is_one_layer_of_valid_multipolygons_in_wgs84(site):
    _, result = site
    published = sorted((result.folder / "data").glob("*.geojson"))
    assert [p.name for p in published] == sorted(COUNTS)
    for path in published:
        info = pyogrio.read_info(path)
        assert info["geometry_type"] == "MultiPolygon", path.name
        assert info["crs"] == "EPSG:4326" and info["features"] == COUNTS[path.name], path.name
        frame = pyogrio.read_dataframe(path)
        assert set(frame.geom_type) == {"MultiPolygon"}, path.name
        assert frame.is_valid.all() and not frame.is_empty.any(), path.name
        assert frame["code"].is_unique
        minx, miny, maxx, maxy = frame.total_bounds  # lon, lat order: Paser lies east of 115°, south of 0°
        assert 115 < minx < maxx < 117 and -3 < miny < maxy < 0


def test_the_run_records_where_its_inputs_came_from(demo, site):
    data, _ = site
    with demo.connect() as conn:
        provenance = conn.execute(
            sa.text("SELECT provenance FROM mart.scoring_run WHERE run_id = CAST(:id AS uuid)"),
            {"id": data.run["run_id"]},
        ).scalar()
    boundaries, attributes, ikn = provenance["boundaries"], provenance["attributes"], provenance["ikn"]
    assert boundaries["file"] == "paser_desa_kelurahan.geojson" and boundaries["licence"] == "MIT"
    assert "cahyadsn/wilayah_boundaries" in boundaries["source"] and len(boundaries["sha256"]) == 64
    assert attributes["file"] == "paser_idm2024_desa.csv" and "IDM" in attributes["source"]
    assert provenance["names"]["file"] == "kaltim_wilayah_kemendagri_2025.csv"
    assert ikn["file"] == "ikn_approx.geojson" and ikn["approximate"] is True
    assert not boundaries["approximate"] and not attributes["approximate"]
    assert provenance["model"]["config_hash"] == data.run["config_hash"]
    assert provenance["run_id"] == str(data.run["run_id"])


def test_every_output_names_its_sources_and_calls_the_approximation_approximate(site):
    data, result = site
    document = json.loads((result.folder / "data" / "SOURCES.json").read_text(encoding="utf-8"))
    assert document["run_id"] == str(data.run["run_id"]) and document["region"]["code"] == "64.01"
    assert document["model"]["config_hash"] == data.run["config_hash"]
    assert document["sources"]["boundaries"]["licence"] == "MIT"
    assert document["sources"]["ikn"]["approximate"] is True
    index = (result.folder / "index.html").read_text(encoding="utf-8")
    assert "Sumber data" in index and "cahyadsn/wilayah_boundaries" in index and "BATAS PERKIRAAN" in index
    assert "paser_idm2024_desa.csv" in index and "data/SOURCES.json" in index
    page = (result.folder / "peta_prioritas.html").read_text(encoding="utf-8")
    assert "Batas IKN (batas perkiraan)" in page and "cahyadsn/wilayah_boundaries, MIT" in page
    assert len(list((result.folder / "figures").glob("*.png"))) >= 1  # their caption is the source line


def test_source_texts_from_files_are_escaped(site, tmp_path):
    data, _ = site
    hostile = copy.deepcopy(data)
    hostile.run["provenance"]["boundaries"]["file"] = "<script>window.__xss=1</script>.geojson"
    hostile.run["provenance"]["boundaries"]["source"] = "<img src=x onerror=alert(1)>"
    result = write_site(hostile, tmp_path / "hostile", MapOptions(offline=True))
    for name in ("index.html", "peta_prioritas.html"):
        text = (result.folder / name).read_text(encoding="utf-8")
        assert "<script>window.__xss" not in text and "<img src=x" not in text, name
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;.geojson" in (result.folder / "index.html").read_text()
