"""The demo region the project ships: the places table, its aliases, and the approximate village cells.

Given geodata/sources/paser_places.csv (Kemendagri 2025 codes, names and centroids), the generator
geodata/make_demo_region.py writes one Voronoi cell per village; these tests pin what the demo
relies on: every village is there once, in its district, holding its own centroid, and the cells
neither overlap nor change between runs.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point, shape

from tests.helpers import REPO

GEODATA = REPO / "geodata"
PLACES_CSV = GEODATA / "sources" / "paser_places.csv"
ALIASES_CSV = GEODATA / "sources" / "paser_aliases.csv"
DEMO_GEOJSON = GEODATA / "demo" / "paser_villages_demo.geojson"
VILLAGE_KINDS = {"desa", "kelurahan"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def places() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in read_csv(PLACES_CSV)}


@pytest.fixture(scope="module")
def villages(places) -> dict[str, dict[str, str]]:
    return {code: row for code, row in places.items() if row["kind"] in VILLAGE_KINDS}


@pytest.fixture(scope="module")
def features() -> list[dict]:
    return json.loads(DEMO_GEOJSON.read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def metric_cells(features) -> dict[str, shapely.Geometry]:
    """Demo cells in UTM 50S (metres), by village code."""
    to_metric = Transformer.from_crs("EPSG:4326", "EPSG:32750", always_xy=True)

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(to_metric.transform(xy[:, 0], xy[:, 1]))

    return {f["properties"]["kode"]: shapely.transform(shape(f["geometry"]), project) for f in features}


def load_generator():
    spec = importlib.util.spec_from_file_location("make_demo_region", GEODATA / "make_demo_region.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_places_table_has_the_regency_10_districts_139_desa_and_5_kelurahan(places):
    kinds = Counter(row["kind"] for row in places.values())
    assert kinds == {"kabupaten": 1, "kecamatan": 10, "desa": 139, "kelurahan": 5}
    assert places["64.01"]["name"] == "Paser"
    assert list(places) == sorted(places)


def test_village_kind_follows_the_first_digit_of_the_village_part(villages):
    for code, row in villages.items():
        assert row["kind"] == {"1": "kelurahan", "2": "desa"}[code.split(".")[3][0]], code
        assert code.startswith(row["district_code"] + ".")


def test_demo_has_one_feature_per_village_sorted_by_code(features, villages):
    codes = [f["properties"]["kode"] for f in features]
    assert len(features) == 144
    assert len(set(codes)) == 144
    assert set(codes) == set(villages)
    assert codes == sorted(codes)


def test_demo_properties_match_the_places_table(features, villages, places):
    for feature in features:
        props = feature["properties"]
        village = villages[props["kode"]]
        assert list(props) == ["kode", "nama", "jenis", "kec_kode", "kec_nama", "kab_kode", "kab_nama"]
        assert props["kode"].startswith(props["kec_kode"] + ".")
        assert (props["nama"], props["jenis"]) == (village["name"], village["kind"])
        assert (props["kec_kode"], props["kec_nama"]) == (village["district_code"], village["district_name"])
        assert places[props["kec_kode"]]["kind"] == "kecamatan"
        assert (props["kab_kode"], props["kab_nama"]) == ("64.01", "Paser")
    assert len({f["properties"]["kec_kode"] for f in features}) == 10


def test_demo_geometries_are_valid_polygons_holding_their_own_centroid(features, villages):
    for feature in features:
        geometry = shape(feature["geometry"])
        village = villages[feature["properties"]["kode"]]
        assert geometry.geom_type in {"Polygon", "MultiPolygon"}
        assert geometry.is_valid and not geometry.is_empty, feature["properties"]["kode"]
        assert geometry.contains(Point(float(village["lon"]), float(village["lat"]))), village["code"]


def test_demo_cells_do_not_overlap(metric_cells):
    codes = list(metric_cells)
    tree = shapely.STRtree([metric_cells[code] for code in codes])
    for i, cell in enumerate(tree.geometries):
        for j in tree.query(cell):
            if j > i:
                overlap_km2 = cell.intersection(tree.geometries[j]).area / 1e6
                assert overlap_km2 <= 1e-6, (codes[i], codes[j], overlap_km2)


def test_demo_cells_tile_one_outline_without_holes(metric_cells):
    union = shapely.union_all(list(metric_cells.values()))
    assert union.geom_type == "Polygon"
    assert len(union.interiors) == 0


def test_generator_reproduces_the_shipped_file_byte_for_byte(tmp_path):
    output = load_generator().make_demo_region(PLACES_CSV, tmp_path / "demo.geojson")
    assert output.read_bytes() == DEMO_GEOJSON.read_bytes()


def test_every_alias_names_a_known_place_at_its_level(places):
    kinds_by_level = {"regency": {"kabupaten"}, "district": {"kecamatan"}, "village": VILLAGE_KINDS}
    aliases = read_csv(ALIASES_CSV)
    assert aliases
    for alias in aliases:
        assert alias["code"] in places, alias
        place = places[alias["code"]]
        assert place["kind"] in kinds_by_level[alias["level"]], alias
        assert alias["alias"].lower() != place["name"].lower(), alias


@pytest.mark.parametrize(
    ("level", "alias", "code"),
    [
        ("regency", "Pasir", "64.01"),
        ("district", "Pasir Belengkong", "64.01.03"),
        ("district", "Tanahgrogot", "64.01.04"),
        ("district", "Longikis", "64.01.06"),
        ("village", "Labuangkalo", "64.01.02.2007"),
        ("village", "Perkuwin", "64.01.08.2009"),
    ],
)
def test_known_spelling_variants_point_to_the_official_code(level, alias, code):
    assert {"level": level, "alias": alias, "code": code} in [
        {key: row[key] for key in ("level", "alias", "code")} for row in read_csv(ALIASES_CSV)
    ]
