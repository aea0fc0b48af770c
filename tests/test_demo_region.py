"""The region the demo ships: the places table, its aliases, and the real village boundaries.

geodata/sources/paser_places.csv (Kemendagri 2025 codes, names and centroids) and the shipped
boundaries of Paser (geodata/sources/boundaries/paser_desa_kelurahan.geojson, cahyadsn/wilayah_boundaries)
must agree: every village is there once, in its district, under its official name, with a valid
polygon; IDM 2024 covers every desa; the shipped code list names every district of Kalimantan Timur.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import shape

from smartcity.reference.ensure import SHIPPED_REGIONS
from smartcity.reference.place_names import shipped_names
from tests.helpers import DATA, REPO

GEODATA = REPO / "geodata"
PLACES_CSV = GEODATA / "sources" / "paser_places.csv"
ALIASES_CSV = GEODATA / "sources" / "paser_aliases.csv"
VILLAGES = DATA / "boundaries" / "paser_desa_kelurahan.geojson"
IDM = DATA / "tables" / "paser_idm2024_desa.csv"
CODE_LIST = DATA / "tables" / "kaltim_wilayah_kemendagri_2025.csv"
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
    return json.loads(VILLAGES.read_text(encoding="utf-8"))["features"]


def test_places_table_has_the_regency_10_districts_139_desa_and_5_kelurahan(places):
    kinds = Counter(row["kind"] for row in places.values())
    assert kinds == {"kabupaten": 1, "kecamatan": 10, "desa": 139, "kelurahan": 5}
    assert places["64.01"]["name"] == "Paser"
    assert list(places) == sorted(places)


def test_village_kind_follows_the_first_digit_of_the_village_part(villages):
    for code, row in villages.items():
        assert row["kind"] == {"1": "kelurahan", "2": "desa"}[code.split(".")[3][0]], code
        assert code.startswith(row["district_code"] + ".")


def test_the_demo_loads_the_shipped_real_boundaries_with_idm():
    shipped = SHIPPED_REGIONS["64.01"]
    assert GEODATA / shipped.villages == VILLAGES and GEODATA / shipped.attributes == IDM
    assert not (GEODATA / "demo" / "paser_villages_demo.geojson").exists()  # no made-up shapes


def test_shipped_boundaries_have_every_village_once_under_its_official_name(features, villages):
    codes = [f["properties"]["kode"] for f in features]
    assert len(codes) == 144 and set(codes) == set(villages)
    for feature in features:
        props = feature["properties"]
        assert props["nama"] == villages[props["kode"]]["name"], props["kode"]
        assert props["kec_kode"] == villages[props["kode"]]["district_code"]


def test_shipped_boundaries_are_valid_polygons(features):
    for feature in features:
        geometry = shape(feature["geometry"])
        assert geometry.geom_type in {"Polygon", "MultiPolygon"}
        assert geometry.is_valid and not geometry.is_empty, feature["properties"]["kode"]


def test_idm_covers_every_desa_and_no_kelurahan(villages):
    rows = read_csv(IDM)
    codes = {row["kode_desa_kemendagri"] for row in rows}
    assert codes == {code for code, row in villages.items() if row["kind"] == "desa"}
    assert all(0 < float(row["idm_2024"]) < 1 for row in rows)


def test_the_code_list_names_every_district_of_paser_and_penajam_paser_utara(places):
    names = shipped_names()
    for code, row in places.items():
        if row["kind"] == "kecamatan":
            assert names[code] == row["name"]
    assert names["64.09"] == "Penajam Paser Utara"
    assert [names[f"64.09.0{i}"] for i in range(1, 5)] == ["Penajam", "Waru", "Babulu", "Sepaku"]
    districts = [r for r in read_csv(CODE_LIST) if r["level"] == "kecamatan"]
    assert len(districts) == 105 and all(r["kode"] in names for r in districts)


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
