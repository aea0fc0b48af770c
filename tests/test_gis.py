"""What GIS teams open, checked with their own clients: GDAL (ogrinfo, ogr2ogr) and QGIS (PyQGIS)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import pytest

from maps.common.provenance import sources_document
from maps.common.style import CLASS_COLOURS, DIMENSION_COLOURS, NO_DATA_COLOUR
from maps.gis.gpkg import write_geopackage
from maps.gis.kit import write_gis_files
from maps.gis.layers import gpkg_name
from maps.gis.qgis_style import layer_styles
from tests.conftest import make_settings
from tests.gis import ogr_layers, qgis
from tests.test_maps import HOSTILE, grid_villages, issues_in, map_data

CLASS_CATEGORIES = [[str(n), c] for n, c in CLASS_COLOURS.items()] + [["", NO_DATA_COLOUR]]
METRIC_CRS = make_settings().metric_crs  # SMARTCITY_METRIC_CRS's default, EPSG:32750, as the site passes it


@pytest.fixture(scope="module")
def geopackage(tmp_path_factory):
    villages = grid_villages()
    data = map_data(villages, issues_in(villages, 40, HOSTILE))
    data.run["provenance"] = {
        "ikn": {"file": "ikn_approx.geojson", "source": "project <&>", "licence": "CC0", "approximate": True}
    }
    document = sources_document(data.run, data.region_code, data.region_name)
    path = tmp_path_factory.mktemp("gpkg") / gpkg_name(data.region_code)
    return data, document, write_geopackage(data, path, document)


def test_gdal_lists_every_layer_with_its_geometry_type_and_count(geopackage):
    data, _, result = geopackage
    assert result.path.name == "prioritas_64_01.gpkg"
    layers = ogr_layers(str(result.path))
    assert layers["village_priority"] == ("Multi Polygon", len(data.villages))
    assert layers["district_priority"] == ("Multi Polygon", len(data.districts))
    assert layers["issue"] == ("Point", 40)
    assert layers["ikn_boundary"] == ("Multi Polygon", 1) and layers["ikn_zone"] == ("Multi Polygon", 1)
    assert layers["run_sources"][0] == "None" and layers["layer_styles"][0] == "None"


def test_columns_keep_their_full_names_and_the_breakdown(geopackage):
    import pyogrio

    data, _, result = geopackage
    villages = pyogrio.read_dataframe(result.path, layer="village_priority")
    assert {"class_no_environment", "score_governance", "priority_class", "breakdown", "why"} <= set(villages)
    assert json.loads(villages["breakdown"][0]).keys() == data.villages["components"][0].keys()
    issues = pyogrio.read_dataframe(result.path, layer="issue")
    assert set(issues["description"]) == set(HOSTILE)  # worksheet text kept as written, never mangled
    assert set(issues["exact"]) == {1}


def test_descriptions_styles_and_provenance_are_in_the_geopackage(geopackage):
    data, document, result = geopackage
    with sqlite3.connect(result.path) as conn:
        descriptions = dict(conn.execute("SELECT table_name, description FROM gpkg_contents"))
        styles = conn.execute(
            "SELECT f_table_name, styleName, useAsDefault, f_geometry_column FROM layer_styles"
        )
        styles = styles.fetchall()
        metadata = [
            json.loads(m)
            for (m,) in conn.execute(
                "SELECT metadata FROM gpkg_metadata WHERE mime_type = 'application/json'"
            )
        ]
    assert all(descriptions[name] for name in ("village_priority", "issue", "ikn_zone", "run_sources"))
    defaults = {name for name, _, default, _ in styles if default}
    assert defaults == {"village_priority", "district_priority", "issue", "ikn_boundary", "ikn_zone"}
    assert len(styles) == len(layer_styles("id")) and {g for *_, g in styles} == {"geom"}
    assert metadata == [json.loads(json.dumps(document, default=str))]
    assert metadata[0]["sources"]["ikn"]["source"] == "project <&>"


def test_qgis_loads_every_layer_valid_with_the_embedded_style(geopackage):
    data, _, result = geopackage
    layers = {layer["name"]: layer for layer in qgis("gpkg", str(result.path))}
    assert set(layers) == {"village_priority", "district_priority", "issue", "ikn_boundary", "ikn_zone"}
    assert all(layer["valid"] for layer in layers.values())
    for name in ("village_priority", "district_priority"):
        assert layers[name]["renderer"] == "categorizedSymbol" and layers[name]["field"] == "class_no"
        assert layers[name]["categories"] == CLASS_CATEGORIES, name  # exactly the report's colours
        assert layers[name]["labels"]
    assert layers["issue"]["geometry"] == "Point" and layers["issue"]["count"] == 40
    assert layers["issue"]["categories"] == [[d, c] for d, c in DIMENSION_COLOURS.items()]
    assert layers["ikn_zone"]["renderer"] == "singleSymbol"
    assert layers["village_priority"]["count"] == len(data.villages)


# --- the QGIS project beside the GeoPackage -------------------------------------------------------------

PROJECT_SOURCE = "project <&> [% 'evaluated' %] \"quoted\""  # XML and QGIS expression syntax in a source


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    """A run's data folder as the site writes it: the GeoPackage and the project beside it."""
    villages = grid_villages()
    data = map_data(villages, issues_in(villages, 40, HOSTILE))
    data.run["provenance"] = {
        "ikn": {"file": "ikn_approx.geojson", "source": PROJECT_SOURCE, "licence": "CC0", "approximate": True}
    }
    document = sources_document(data.run, data.region_code, data.region_name)
    folder = tmp_path_factory.mktemp("run") / "data"
    folder.mkdir()
    return data, document, folder, write_gis_files(data, folder, document, project_crs=METRIC_CRS)


@pytest.fixture(scope="module")
def opened(run_folder, tmp_path_factory):
    """The run folder copied somewhere else (a space in its name), the project opened there by QGIS and
    its print layout exported to PNG."""
    data, document, folder, _ = run_folder
    copy = tmp_path_factory.mktemp("copied") / "somewhere else"
    shutil.copytree(folder, copy)
    png = copy.parent / "layout.png"
    return data, document, copy, qgis("project", str(copy / "prioritas_64_01.qgz"), str(png)), png


def project_text(folder) -> str:
    with zipfile.ZipFile(folder / "prioritas_64_01.qgz") as archive:
        assert archive.namelist() == ["prioritas_64_01.qgs"]
        return archive.read("prioritas_64_01.qgs").decode("utf-8")


def test_the_project_is_written_beside_the_geopackage_with_relative_paths(run_folder):
    data, document, folder, downloads = run_folder
    assert [name for _, name in downloads] == ["prioritas_64_01.gpkg", "prioritas_64_01.qgz"]
    assert document["files"][-2:] == ["prioritas_64_01.gpkg", "prioritas_64_01.qgz"]  # in SOURCES.json
    root = ET.fromstring(project_text(folder).split("\n", 1)[1])  # well-formed XML, hostile text and all
    assert root.find("properties/Paths/Absolute").text == "false"
    sources = [e.text for e in root.iter("datasource")]
    assert sources and all(s.startswith("./prioritas_64_01.gpkg|layername=") for s in sources)
    assert root.find("projectCrs/spatialrefsys/authid").text == "EPSG:32750"
    labels = {i.get("id"): i.get("labelText") for i in root.iter("LayoutItem") if i.get("type") == "65641"}
    assert "project <&> [ % 'evaluated' %]" in labels["sources"]  # escaped, never an expression
    assert document["run_id"] in labels["subtitle"] and "Paser (64.01)" in labels["title"]


def test_the_project_is_drawn_in_the_metric_crs_it_is_given(tmp_path):
    from maps.gis.qgis_project import KNOWN_CRS, crs_fields, fallback_extent, proj_fields, village_bounds

    villages = grid_villages()
    data = map_data(villages, issues_in(villages, 5))
    document = sources_document(data.run, data.region_code, data.region_name)
    crs = "EPSG:23837"  # DGN95 / Indonesia TM-3 zone 50.1, a metric CRS a Kaltim GIS office may use
    write_gis_files(data, tmp_path, document, project_crs=crs)
    root = ET.fromstring(project_text(tmp_path).split("\n", 1)[1])
    for path in ("projectCrs", "mapcanvas/destinationsrs", ".//LayoutItem[@id='map']/crs"):
        assert root.find(f"{path}/spatialrefsys/authid").text == crs, path
        assert root.find(f"{path}/spatialrefsys/description").text == "DGN95 / Indonesia TM-3 zone 50.1"
    assert {e.text for e in root.iter("authid")} == {crs, "EPSG:4326"}  # the layers stay in EPSG:4326
    extent = [float(root.find(f"mapcanvas/extent/{k}").text) for k in ("xmin", "ymin", "xmax", "ymax")]
    xmin, ymin, xmax, ymax = village_bounds(data.villages, crs)
    assert extent[0] < xmin < xmax < extent[2] and extent[1] < ymin < ymax < extent[3]
    labels = {i.get("id"): i.get("labelText") for i in root.iter("LayoutItem") if i.get("type") == "65641"}
    assert f"{crs} (DGN95 / Indonesia TM-3 zone 50.1)" in labels["sources"]
    # QGIS's own description of the two CRSs it knows is what PROJ says, but for QGIS's internal srsid
    for known, fields in KNOWN_CRS.items():
        assert proj_fields(known) == {**fields, "authid": known, "srsid": ""}
        assert crs_fields(known.lower()) == {**fields, "authid": known}
    assert fallback_extent("EPSG:32750") == (300_000.0, 9_700_000.0, 700_000.0, 10_000_000.0)
    assert village_bounds(data.villages.iloc[:0], crs) == fallback_extent(crs)


def test_the_site_hands_the_metric_crs_setting_to_the_project(tmp_path, monkeypatch):
    from maps.site import write_site
    from maps.web.priority_map import MapOptions
    from smartcity.platform.settings import get_settings

    villages = grid_villages()
    data = map_data(villages, issues_in(villages, 5))
    monkeypatch.setenv("SMARTCITY_METRIC_CRS", "EPSG:23837")
    get_settings.cache_clear()
    try:
        result = write_site(data, tmp_path, MapOptions(offline=True))
    finally:
        get_settings.cache_clear()
    root = ET.fromstring(project_text(result.folder / "data").split("\n", 1)[1])
    assert root.find("projectCrs/spatialrefsys/authid").text == "EPSG:23837"


def test_the_project_opens_offline_from_a_copy_with_every_layer_valid(opened):
    data, _, copy, project, _ = opened
    assert project["read"] and project["absolute"] is False and project["crs"] == "EPSG:32750"
    assert len(project["layers"]) == 18
    for layer in project["layers"]:
        assert layer["valid"], layer["name"]
        assert layer["source"].startswith(str(copy / "prioritas_64_01.gpkg|layername=")), layer["source"]


def test_the_layer_tree_has_its_groups_and_hides_the_detail(opened):
    _, _, _, project, _ = opened
    tree = {g["name"]: g for g in project["tree"]}
    assert project["groups"] == ["Isu", "IKN", "Per dimensi", "Prioritas"]
    visible = {g: [x["name"] for x in tree[g]["layers"] if x["visible"]] for g in tree}
    assert visible == {"Isu": [], "IKN": ["Batas IKN", "Zona jarak IKN"], "Per dimensi": [],
                       "Prioritas": ["Batas kecamatan", "Desa/Kelurahan"]}  # fmt: skip
    assert len(tree["Per dimensi"]["layers"]) == 6 and len(tree["Isu"]["layers"]) == 7


def test_the_project_layers_have_the_report_styles(opened):
    data, _, _, project, _ = opened
    layers = project["layers"]
    villages = [x for x in layers if x["source"].endswith("layername=village_priority")]
    main = next(x for x in villages if x["field"] == "class_no")
    assert main["renderer"] == "categorizedSymbol" and main["categories"] == CLASS_CATEGORIES
    assert main["labels"] and main["count"] == len(data.villages)
    assert sorted(x["field"] for x in villages if x is not main) == sorted(
        f"class_no_{d}" for d in DIMENSION_COLOURS
    )
    assert all(x["categories"] == CLASS_CATEGORIES and x["labels"] for x in villages)
    issues = [x for x in layers if x["geometry"] == "Point"]
    assert all(x["categories"] == [[d, c] for d, c in DIMENSION_COLOURS.items()] for x in issues)
    filtered = {x["subset"]: x["count"] for x in issues if x["subset"]}
    assert set(filtered) == {f"\"dimension\" = '{d}'" for d in DIMENSION_COLOURS}
    assert sum(filtered.values()) == 40 and [x["count"] for x in issues if not x["subset"]] == [40]


def test_the_print_layout_is_a3_landscape_and_exports_a_map(opened):
    from maps.gis.qgis_project import village_bounds

    data, document, _, project, png = opened
    assert project["layouts"] == ["A3"] and project["page"] == [420, 297]
    items = {i["id"]: i for i in project["items"]}
    assert {"map", "legend", "scalebar", "north_arrow", "title", "subtitle", "sources"} <= set(items)
    assert items["map"]["crs"] == "EPSG:32750"
    xmin, ymin, xmax, ymax = village_bounds(data.villages, METRIC_CRS)  # in metres, all on the map
    mxmin, mymin, mxmax, mymax = items["map"]["extent"]
    assert mxmin < xmin < xmax < mxmax and mymin < ymin < ymax < mymax
    assert items["legend"]["linked"] and "Desa/Kelurahan" in items["legend"]["layers"]
    assert items["scalebar"]["linked"] and items["scalebar"]["units"] == 1  # kilometres
    assert items["north_arrow"]["missing"] is False
    assert PROJECT_SOURCE.replace("[%", "[ %") in items["sources"]["text"]  # shown as written
    assert document["run_id"] in items["subtitle"]["text"]
    assert project["export"] == 0  # QgsLayoutExporter.Success
    image = project["image"]
    assert (image["width"], image["height"]) == (1653, 1169)  # A3 landscape at 100 dpi
    assert image["colours"] >= 10 and png.stat().st_size > 50_000  # a map, not a blank page


# --- the database, as the read-only role sees it through GDAL and QGIS ---------------------------------


@pytest.fixture
def scored(demo):
    from smartcity.scoring.model import load_config
    from smartcity.scoring.runs import score_region

    score_region(demo, "64.01", load_config())
    return demo


def reader_dsn(pg_creds, engine) -> str:
    """The test database as the read-only role, in GDAL's ``PG:`` form."""
    return (
        f"PG:host=127.0.0.1 port={pg_creds.port} dbname={engine.url.database} user=smartcity_reader "
        f"password={pg_creds.reader_password}"
    )


def mart_layers(dsn: str) -> list[str]:
    import subprocess

    from tests.gis import gdal_tool

    out = subprocess.run([gdal_tool("ogrinfo"), "-ro", "-q", dsn], capture_output=True, text=True, check=True)
    return [line.split(": ", 1)[1].split(" (")[0] for line in out.stdout.splitlines() if ": " in line]


@pytest.mark.db
def test_the_reader_gets_one_issues_layer_and_nothing_of_core(scored, pg_creds):
    import psycopg

    dsn = reader_dsn(pg_creds, scored)
    with scored.connect() as conn:
        issues = conn.exec_driver_sql("SELECT count(*) FROM core.issue").scalar()
    assert issues > 0 and ogr_layers(f"{dsn} tables=mart.issue")["mart.issue"] == ("Point", issues)
    # GDAL 3.6 lists tables by name whatever the privileges; the reader can open none of core
    unpublished = [n for n in mart_layers(dsn) if n.startswith(("core.", "intake."))]
    url = pg_creds.url(reader=True).rsplit("/", 1)[0] + "/" + scored.url.database
    with psycopg.connect(url, autocommit=True) as conn:
        for name in ["core.issue", *unpublished]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT 1 FROM {name} LIMIT 1")  # noqa: S608 - names from the catalogue
        listed = conn.execute(
            "SELECT f_table_schema FROM geometry_columns WHERE f_table_schema NOT IN ('mart', 'ref')"
        ).fetchall()
    assert listed == []  # what QGIS and PostGIS clients list: only what is published


@pytest.mark.db
@pytest.mark.parametrize("driver", ["GPKG", "ESRI Shapefile"])
def test_every_mart_layer_converts_with_ogr2ogr_and_no_forced_option(scored, pg_creds, tmp_path, driver):
    import subprocess

    from tests.gis import gdal_tool

    dsn = reader_dsn(pg_creds, scored)
    layers = [n for n in mart_layers(dsn) if n.startswith("mart.")]
    assert {"mart.issue", "mart.village_priority", "mart.district_priority"} <= set(layers)
    failed = {}
    for layer in layers:
        suffix = ".gpkg" if driver == "GPKG" else ""
        target = tmp_path / (layer.replace(".", "_") + suffix)
        done = subprocess.run(
            [gdal_tool("ogr2ogr"), "-f", driver, str(target), dsn, layer],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or "ERROR" in done.stderr:
            failed[layer] = done.stderr.strip()[-500:]
    assert not failed, failed


@pytest.mark.db
def test_qgis_opens_mart_issue_as_the_reader_as_points_with_the_database_style(scored, pg_creds):
    with (
        scored.begin() as conn
    ):  # the test database is a copy of the migrated template: QGIS matches the name
        conn.exec_driver_sql("UPDATE public.layer_styles SET f_table_catalog = current_database()")
        issues = conn.exec_driver_sql("SELECT count(*) FROM core.issue").scalar()
    base = (
        f"host=127.0.0.1 port={pg_creds.port} dbname='{scored.url.database}' user='smartcity_reader' "
        f"password='{pg_creds.reader_password}' sslmode=disable"
    )
    issue = qgis("postgres", f'{base} key=\'id\' srid=4326 type=Point table="mart"."issue" (geom)')
    assert issue["valid"] and issue["geometry"] == "Point" and issue["count"] == issues
    assert issue["renderer"] == "categorizedSymbol" and issue["field"] == "dimension"
    villages = qgis(
        "postgres", f'{base} key=\'code\' srid=4326 type=MultiPolygon table="mart"."village_priority" (geom)'
    )
    assert villages["valid"] and villages["count"] == 144
    assert villages["categories"] == CLASS_CATEGORIES  # the report's colours, from public.layer_styles


@pytest.mark.db
def test_database_styles_are_the_published_ones(engine):
    from maps.gis.qgis_style import database_styles

    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT f_table_schema, f_table_name, stylename, styleqml::text, useasdefault "
            "FROM public.layer_styles"
        ).all()
        reader_can_read = conn.exec_driver_sql(
            "SELECT has_table_privilege('smartcity_reader', 'public.layer_styles', 'SELECT'), "
            "has_table_privilege('smartcity_reader', 'public.layer_styles', 'INSERT')"
        ).one()
    stored = {(s, t, n): (q, d) for s, t, n, q, d in rows}
    expected = {(schema, s.table, s.name): s.qml.strip() for schema, s in database_styles("id")}
    assert set(stored) == set(expected)
    for key, qml in expected.items():
        assert stored[key][1] is True
        assert (
            stored[key][0].replace("\n", "")
            == qml.replace("\n", "").replace("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>", "")
            or qml.split(">", 1)[1] in stored[key][0]
        ), key
    assert reader_can_read == (True, False)


@pytest.mark.db
def test_a_published_run_has_its_geopackage(scored, tmp_path):
    from maps.site import write_site
    from maps.web.priority_map import MapOptions
    from smartcity.scoring.results import read_map_data

    data = read_map_data(scored, "64.01")
    result = write_site(data, tmp_path / "site", MapOptions(offline=True))
    assert {"data/prioritas_64_01.gpkg", "data/prioritas_64_01.qgz"} <= set(result.files)
    layers = ogr_layers(str(result.folder / "data" / "prioritas_64_01.gpkg"))
    assert layers["village_priority"] == ("Multi Polygon", 144)
    assert layers["district_priority"] == ("Multi Polygon", 10)
    assert layers["issue"] == ("Point", len(data.issues.dropna(subset=["lon", "lat"])))
    # a GIS analyst reads the district's name and the hot-spot class in words without a join (ogrinfo)
    gpkg = str(result.folder / "data" / "prioritas_64_01.gpkg")
    sql = "SELECT DISTINCT district_name, hotspot, hotspot_label FROM village_priority"
    found = subprocess.run(["ogrinfo", "-ro", "-q", "-sql", sql, gpkg], capture_output=True, text=True,
                           check=True).stdout  # fmt: skip
    names = set(re.findall(r"district_name \(String\) = (.+)", found))
    assert names == set(data.districts["name"])
    labels = dict(zip(re.findall(r"hotspot \(String\) = (.+)", found),
                      re.findall(r"hotspot_label \(String\) = (.+)", found), strict=True))  # fmt: skip
    assert labels.get("none") == "Tidak signifikan" and all(
        label.startswith(("Titik panas", "Titik dingin", "Tidak")) for label in labels.values()
    )
    index = (result.folder / "index.html").read_text(encoding="utf-8")
    assert "prioritas_64_01.gpkg" in index and "prioritas_64_01.qgz" in index
