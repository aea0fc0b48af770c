"""Placing worksheet rows: by code, by point, by typed names, on the real Paser boundaries.

Codes below are Kemendagri codes read from DATA/boundaries/paser_desa_kelurahan.geojson.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.intake.answer.reasons import Reason
from smartcity.intake.locate.matching import Gazetteer, match_places
from smartcity.platform.vocabulary import normalise_code
from tests.helpers import DATA, REPO

BOUNDARIES = DATA / "boundaries"


@pytest.fixture(scope="module")
def villages() -> gpd.GeoDataFrame:
    frame = gpd.read_file(BOUNDARIES / "paser_desa_kelurahan.geojson")
    return frame.rename(columns={"kode": "code", "nama": "name", "kec_kode": "district_code"})


@pytest.fixture(scope="module")
def paser(villages) -> Gazetteer:
    districts = gpd.read_file(BOUNDARIES / "paser_kecamatan.geojson").rename(
        columns={"kode": "code", "nama": "name"}
    )
    aliases = pd.read_csv(REPO / "geodata" / "sources" / "paser_aliases.csv", dtype=str)
    return Gazetteer.from_frames("64.01", districts, villages, aliases, regency_name="Paser")


def rows(*items: dict) -> pd.DataFrame:
    """Rows as validate_rows hands them over: code dotted (or None) beside the cell as written."""
    return pd.DataFrame(
        [
            {
                "code": normalise_code(item.get("code")),
                "code_raw": item.get("code"),
                "village": item.get("village"),
                "district": item.get("district"),
                "lat": float(item.get("lat", math.nan)),
                "lon": float(item.get("lon", math.nan)),
                "reasons": list(item.get("reasons", [])),
            }
            for item in items
        ],
        columns=["code", "code_raw", "village", "district", "lat", "lon", "reasons"],
    )


def match_one(gazetteer: Gazetteer, threshold: float = 90.0, **item) -> pd.Series:
    return match_places(rows(item), gazetteer, fuzzy_threshold=threshold).iloc[0]


def codes_of(row: pd.Series) -> list[str]:
    return [reason.code for reason in row["reasons"]]


def assert_blocked(row: pd.Series, code: str) -> None:
    assert code in codes_of(row)
    assert row["location_method"] is None and row["district_code"] is None and row["village_code"] is None
    assert math.isnan(row["location_score"])


def assert_district(row: pd.Series, code: str) -> None:
    """Placed at the level of district ``code``, with no village."""
    assert (row["district_code"], row["village_code"], row["location_method"]) == (code, None, "district")


def assert_village(row: pd.Series, code: str, method: str = "name", score: float = 1.0) -> None:
    assert (row["village_code"], row["district_code"], row["location_method"]) == (code, code[:8], method)
    assert row["location_score"] == pytest.approx(score)


# 1. codes


def test_a_village_code_gives_the_village_and_its_district(paser):
    assert_village(match_one(paser, code="64.01.04.2012"), "64.01.04.2012", "code")
    assert_village(match_one(paser, code="6401042012"), "64.01.04.2012", "code")


def test_a_district_code_gives_the_district_level(paser):
    row = match_one(paser, code="64.01.06")
    assert (row["district_code"], row["village_code"], row["location_method"]) == ("64.01.06", None, "code")


@pytest.mark.parametrize("raw", ["64.01.99.9999", "64.02.99.9999", "64.01", "kode desa"])
def test_a_code_that_is_no_code_of_the_province_alone_is_blocking(paser, raw):
    row = match_one(paser, code=raw)
    assert_blocked(row, "unknown_code")
    assert row["reasons"] == [Reason("unknown_code", "code", raw)]


@pytest.mark.parametrize("raw", ["64.02.01.2001", "6409032006", "64.09.03"])
def test_a_real_code_of_another_regency_is_named_as_such(paser, raw):
    """Not "use a Kemendagri code": it is one, of another regency (the shipped code list says which)."""
    row = match_one(paser, code=raw)
    assert_blocked(row, "other_regency")
    (reason,) = row["reasons"]
    assert reason.column == "code" and "Kabupaten" in reason.value and "di luar" in reason.indonesian()


def test_an_unknown_code_is_only_a_warning_when_the_names_place_the_row(paser):
    row = match_one(paser, code="64.01.99.9999", village="Lolo", district="Kuaro")
    assert_village(row, "64.01.05.2002")
    assert row["reasons"] == [Reason("ignored_code", "code", "64.01.99.9999")]


def test_a_known_code_wins_over_point_and_names_and_the_point_is_kept(paser, villages):
    lolo = villages.loc[villages["code"] == "64.01.05.2002", "geometry"].iloc[0].representative_point()
    row = match_one(paser, code="64.01.04.2012", lat=lolo.y, lon=lolo.x, village="Janju")
    assert_village(row, "64.01.04.2012", "code")
    assert (row["point_lon"], row["point_lat"]) == (lolo.x, lolo.y)


# 2. points


def test_a_decimal_point_lands_in_its_village_polygon(paser):
    row = match_one(paser, lat=-1.9065, lon=116.193, village="Tanah Grogot", district="Tanah Grogot")
    assert_village(row, "64.01.04.1001", "point")
    assert (row["point_lat"], row["point_lon"]) == (-1.9065, 116.193)
    assert row["reasons"] == []


def test_a_point_and_names_that_disagree_keep_the_point_with_a_warning_naming_both(paser):
    row = match_one(paser, lat=-1.9065, lon=116.193, village="Janju", district="Kuaro")
    assert_village(row, "64.01.04.1001", "point")  # kelurahan Tanah Grogot, not Janju (nor Kuaro)
    assert row["reasons"] == [
        Reason("point_name_mismatch", "lat/lon", "titik di Tanah Grogot, nama Kuaro")
    ]  # Janju lies in Tanah Grogot district, not in Kuaro: the names resolve to Kuaro
    other = match_one(paser, lat=-1.9065, lon=116.193, village="Janju", district="Tanah Grogot")
    assert other["reasons"] == [Reason("point_name_mismatch", "lat/lon", "titik di Tanah Grogot, nama Janju")]


def test_swapped_latitude_and_longitude_are_blocking_and_names_are_not_used(paser):
    row = match_one(paser, lat=116.193, lon=-1.9065, village="Tanah Grogot", district="Tanah Grogot")
    assert_blocked(row, "swapped_coordinates")
    assert math.isnan(row["point_lon"]) and math.isnan(row["point_lat"])


def test_a_point_outside_the_region_is_blocking_even_with_good_names(paser):
    samarinda = match_one(paser, lat=-0.5, lon=117.15, village="Lolo", district="Kuaro")
    assert_blocked(samarinda, "outside_region")
    assert samarinda["reasons"] == [Reason("outside_region", "lat/lon", "-0.5, 117.15")]


def test_a_point_on_a_shared_border_goes_to_the_lowest_village_code(paser, villages):
    by_code = villages.set_index("code").geometry
    shared = set(map(tuple, shapely.get_coordinates(by_code["64.01.04.1001"]))) & set(
        map(tuple, shapely.get_coordinates(by_code["64.01.04.2003"]))
    )
    lon, lat = sorted(shared)[0]
    holders = sorted(
        code for code, geometry in by_code.items() if geometry.intersects(shapely.Point(lon, lat))
    )
    assert len(holders) >= 2
    matched = match_places(rows(*[{"lat": lat, "lon": lon}] * 3), paser)
    assert matched["village_code"].tolist() == [holders[0]] * 3


# 3. names: the traps of look-alike names


TRAPS = [
    ("Mendik", "Long Kali", "64.01.08.2005"),
    ("Mendik Makmur", "Long Kali", "64.01.08.2013"),
    ("Muara Adang", "Long Ikis", "64.01.06.2002"),
    ("Muara Adang II", "Long Kali", "64.01.08.2020"),
    ("Muara Adang", None, "64.01.06.2002"),
    ("Muara Adang II", None, "64.01.08.2020"),
    ("Kerang", "Batu Engau", "64.01.09.2001"),
    ("Kerang Dayo", "Batu Engau", "64.01.09.2009"),
    ("Suliliran", "Paser Belengkong", "64.01.03.2005"),
    ("Suliliran Baru", "Paser Belengkong", "64.01.03.2009"),
    ("Tanah Grogot", "Tanah Grogot", "64.01.04.1001"),
    ("Long Ikis", "Long Ikis", "64.01.06.1001"),
    ("Long Kali", "Long Kali", "64.01.08.1001"),
    ("Kuaro", "Kuaro", "64.01.05.1001"),
]


@pytest.mark.parametrize("threshold", [90.0, 50.0])
@pytest.mark.parametrize(("village", "district", "code"), TRAPS)
def test_look_alike_names_match_exactly_whatever_the_threshold(paser, village, district, code, threshold):
    row = match_one(paser, threshold, village=village, district=district)
    assert_village(row, code)
    assert row["reasons"] == []


@pytest.mark.parametrize("threshold", [90.0, 60.0])
def test_every_official_village_name_matches_itself_exactly(paser, villages, threshold):
    table = rows(
        *({"village": n, "district": d} for n, d in zip(villages["name"], villages["kec_nama"], strict=True))
    )
    matched = match_places(table, paser, fuzzy_threshold=threshold)
    assert matched["village_code"].tolist() == villages["code"].tolist()
    assert set(matched["location_score"]) == {1.0}
    assert matched["reasons"].map(len).sum() == 0


@pytest.mark.parametrize("threshold", [90.0, 80.0])
def test_muara_adang_in_long_kali_stays_at_long_kali_level_not_muara_adang_ii(paser, threshold):
    row = match_one(paser, threshold, village="Muara Adang", district="Long Kali")
    assert_district(row, "64.01.08")
    assert row["reasons"] == [Reason("village_in_other_district", "village", "Muara Adang")]


@pytest.mark.parametrize(
    ("village", "district", "code", "official"),
    [
        ("Suliliran Baruu", "Paser Belengkong", "64.01.03.2009", "Suliliran Baru"),
        ("Mendikk", "Long Kali", "64.01.08.2005", "Mendik"),
        ("Kerangg", "Batu Engau", "64.01.09.2001", "Kerang"),
        ("Suliliran Baruu", None, "64.01.03.2009", "Suliliran Baru"),
    ],
)
def test_a_typo_matches_by_similarity_with_a_warning(paser, village, district, code, official):
    row = match_one(paser, village=village, district=district)
    assert row["village_code"] == code and row["location_method"] == "name"
    assert 0.9 <= row["location_score"] < 1.0
    assert row["reasons"] == [Reason("fuzzy_village", "village", f"{village!r} -> {official!r}")]


@pytest.mark.parametrize(
    ("village", "district", "code", "official", "score"),
    [
        ("Mendek", "Long Kali", "64.01.08.2005", "Mendik", 5 / 6),  # was refused under the old 90 ratio
        ("Lory", "Tanjung Harapan", "64.01.02.2012", "Lori", 0.75),
    ],
)
def test_a_short_name_with_one_wrong_letter_is_guessed_with_a_warning(
    paser, village, district, code, official, score
):
    row = match_one(paser, village=village, district=district)
    assert_village(row, code, score=score)
    assert row["reasons"] == [Reason("fuzzy_village", "village", f"{village!r} -> {official!r}")]


@pytest.mark.parametrize(
    ("village", "district", "code"),
    [
        ("Mandek", "Long Kali", "64.01.08"),  # two letters wrong in a 6-letter name
        ("Bio", "Muara Samu", "64.01.10"),  # Biu: 3 letters are too few to guess from
        ("Ukko", "Muara Komam", "64.01.07"),  # one edit from Uko, still only 3 letters
    ],
)
def test_a_short_name_with_too_many_wrong_letters_is_not_guessed(paser, village, district, code):
    row = match_one(paser, village=village, district=district)
    assert_district(row, code)
    assert row["reasons"] == [Reason("village_not_found", "village", village)]


@pytest.mark.parametrize(
    ("village", "district", "code"),
    [
        ("Labuangkalo", "Tanjung Harapan", "64.01.02.2007"),
        ("Prepat", "Tanah Grogot", "64.01.04.2012"),
        ("Prepat", "Tanahgrogot", "64.01.04.2012"),
        ("Suliliran", "Pasir Belengkong", "64.01.03.2005"),
        ("Pasir Belengkong", "Pasir Belengkong", "64.01.03.2006"),
        ("Tanahgrogot", "TGT", "64.01.04.1001"),
        ("Longikis", "Longikis", "64.01.06.1001"),
        ("Samuntai", None, "64.01.06.2005"),
        ("Desa Lolo", "Kuaro", "64.01.05.2002"),
        ("DESA LOLO", "KECAMATAN KUARO", "64.01.05.2002"),
        ("Kel. Tanah Grogot", "Kec. Tanah Grogot", "64.01.04.1001"),
        ("Ds. Muara Adang", "Kec. Long Ikis", "64.01.06.2002"),
    ],
)
def test_spelling_variants_and_prefixes_match_exactly(paser, village, district, code):
    row = match_one(paser, village=village, district=district)
    assert_village(row, code)
    assert row["reasons"] == []


@pytest.mark.parametrize(
    ("district", "code"),
    [("Tanahgrogot", "64.01.04"), ("Longikis", "64.01.06"), ("Pasir Belengkong", "64.01.03")],
)
def test_a_district_alone_gives_the_district_level(paser, district, code):
    row = match_one(paser, district=district)
    assert_district(row, code)
    assert row["location_score"] == 1.0 and row["reasons"] == []


def test_a_misspelt_district_matches_by_similarity_with_a_warning(paser):
    row = match_one(paser, village="Prepat", district="Tanah Grgot")
    assert_village(row, "64.01.04.2012", score=row["location_score"])
    assert 0.9 <= row["location_score"] < 1.0
    assert row["reasons"] == [Reason("fuzzy_district", "district", "'Tanah Grgot' -> 'Tanah Grogot'")]


def test_a_village_of_another_district_keeps_the_named_district(paser):
    row = match_one(paser, village="Lolo", district="Tanah Grogot")
    assert_district(row, "64.01.04")
    assert row["reasons"] == [Reason("village_in_other_district", "village", "Lolo")]


def test_a_district_repeated_in_the_village_column_gives_the_district_level(paser):
    row = match_one(paser, village="Batu Sopang", district="Batu Sopang")
    assert_district(row, "64.01.01")
    assert row["reasons"] == []


def test_a_village_name_shared_by_two_districts_needs_the_district():
    squares = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(2, 0, 3, 1)]
    villages = gpd.GeoDataFrame(
        {"code": ["99.01.01.2001", "99.01.02.2001", "99.01.02.2002"],
         "name": ["Sungai Langir", "Sungai Langir", "Rantau"],
         "district_code": ["99.01.01", "99.01.02", "99.01.02"]},
        geometry=squares, crs="EPSG:4326",
    )  # fmt: skip
    districts = pd.DataFrame({"code": ["99.01.01", "99.01.02"], "name": ["Hulu", "Hilir"]})
    gazetteer = Gazetteer.from_frames("99.01", districts, villages)
    assert_blocked(match_one(gazetteer, village="Sungai Langir"), "ambiguous_village")
    assert_village(match_one(gazetteer, village="Sungai Langir", district="Hilir"), "99.01.02.2001")
    assert_village(match_one(gazetteer, village="Rantau"), "99.01.02.2002")


# 5. nothing usable


def test_an_unknown_district_is_blocking(paser):
    row = match_one(paser, village="Lolo", district="Kecamatan Antah Berantah")
    assert_blocked(row, "unknown_district")
    assert row["reasons"] == [Reason("unknown_district", "district", "Kecamatan Antah Berantah")]


def test_an_unknown_village_in_a_known_district_is_kept_at_the_district_with_a_warning(paser):
    row = match_one(paser, village="Desa Antah Berantah", district="Kuaro")
    assert_district(row, "64.01.05")
    assert row["location_score"] == 1.0
    assert row["reasons"] == [Reason("village_not_found", "village", "Desa Antah Berantah")]
    assert not any(reason.blocking for reason in row["reasons"])


def test_an_unknown_village_with_a_misspelt_district_keeps_both_warnings(paser):
    row = match_one(paser, village="Desa Antah Berantah", district="Kuarro")
    assert_district(row, "64.01.05")
    assert codes_of(row) == ["fuzzy_district", "village_not_found"]
    assert row["location_score"] < 1.0


def test_an_unknown_village_without_a_district_is_blocking(paser):
    assert_blocked(match_one(paser, village="Desa Antah Berantah"), "unknown_village")


def test_a_row_without_any_location_is_blocking(paser):
    assert match_one(paser)["reasons"] == [Reason("no_location")]
    assert_blocked(match_one(paser, village="  ", district="-"), "no_location")


def test_the_regency_in_the_district_column_is_not_a_district(paser):
    assert_blocked(match_one(paser, district="Kabupaten Paser"), "no_location")
    assert_village(match_one(paser, village="Lolo", district="Kab. Pasir"), "64.01.05.2002")


def test_rows_keep_their_index_order_and_earlier_reasons_and_the_input_is_untouched(paser):
    earlier = Reason("default_severity", "Urgensi", None)
    table = rows(
        {"code": "64.01.04.2012", "reasons": [earlier]}, {"village": "Nowhere", "district": "Kuaro"}, {}
    )
    table.index = [10, 3, 7]
    before = table.copy(deep=True)
    matched = match_places(table, paser)
    assert list(matched.index) == [10, 3, 7]
    assert matched.loc[10, "reasons"] == [earlier]
    assert codes_of(matched.loc[3]) == ["village_not_found"] and codes_of(matched.loc[7]) == ["no_location"]
    pd.testing.assert_frame_equal(table, before)
    assert table.loc[10, "reasons"] == [earlier]


NAMES = st.one_of(
    st.none(),
    st.text(max_size=25),
    st.sampled_from(
        ["Lolo", "Tanah Grogot", "Mendik", "Muara Adang II", "Kec. Kuaro", "Longikis", "Kerang Dayo"]
    ),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(NAMES, NAMES, st.sampled_from([None, "64.01.04.2012", "64.01.99", "x"])), max_size=12)
)
def test_any_typed_text_ends_with_a_place_or_a_blocking_reason(paser, items):
    table = rows(*({"village": v, "district": d, "code": c} for v, d, c in items))
    matched = match_places(table, paser)
    assert len(matched) == len(items)
    for _, row in matched.iterrows():
        blocked = any(reason.blocking for reason in row["reasons"])
        assert (row["location_method"] is not None) != blocked
        assert (row["location_method"] is None) == math.isnan(row["location_score"])


def test_the_gazetteer_region_covers_every_village(paser, villages):
    inner = shapely.point_on_surface(villages.geometry.values)
    assert shapely.covers(paser.region, inner).all()
    assert not paser.region.covers(shapely.Point(117.15, -0.5))
