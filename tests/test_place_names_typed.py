"""Place names as agencies type them: case, spaces, prefixes, abbreviations, numerals, joined words, typos.

Pure: the Paser gazetteer is built from the shipped boundaries and alias list, no database.
"""

from __future__ import annotations

import itertools
import math
import random
import string

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from smartcity.intake.answer.reasons import Reason
from smartcity.intake.locate.matching import FUZZY_EDITS, Gazetteer, match_places
from smartcity.reference.gazetteer import aliases_for, name_keys, normalise_name
from tests.helpers import DATA, REPO, paser_villages

DISTRICT_NAMES = {
    "64.01.01": "Batu Sopang", "64.01.02": "Tanjung Harapan", "64.01.03": "Paser Belengkong",
    "64.01.04": "Tanah Grogot", "64.01.05": "Kuaro", "64.01.06": "Long Ikis", "64.01.07": "Muara Komam",
    "64.01.08": "Long Kali", "64.01.09": "Batu Engau", "64.01.10": "Muara Samu",
}  # fmt: skip


@pytest.fixture(scope="module")
def villages() -> gpd.GeoDataFrame:
    return paser_villages()


@pytest.fixture(scope="module")
def paser(villages) -> Gazetteer:
    districts = gpd.read_file(DATA / "boundaries" / "paser_kecamatan.geojson")
    districts = districts.rename(columns={"kode": "code", "nama": "name"})
    assert dict(zip(districts["code"], districts["name"], strict=True)) == DISTRICT_NAMES
    aliases = pd.read_csv(REPO / "geodata" / "sources" / "paser_aliases.csv", dtype=str)
    return Gazetteer.from_frames("64.01", districts, villages, aliases, regency_name="Paser")


def match(gazetteer: Gazetteer, items: list[tuple[object, object]]) -> pd.DataFrame:
    """Match (village, district) pairs typed in a worksheet without code or coordinates."""
    table = pd.DataFrame(
        {"code": None, "code_raw": None, "village": [v for v, _ in items], "district": [d for _, d in items],
         "lat": math.nan, "lon": math.nan, "reasons": [[] for _ in items]}
    )  # fmt: skip
    return match_places(table, gazetteer)


def match_one(gazetteer: Gazetteer, village: object = None, district: object = None) -> pd.Series:
    return match(gazetteer, [(village, district)]).iloc[0]


def placed(row: pd.Series) -> tuple:
    return row["district_code"], row["village_code"], row["location_method"]


# normalisation


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("DS. LOLO", "lolo"),
        ("Ds Lolo", "lolo"),
        ("ds.lolo", "lolo"),
        ("KEL Tanah\u00a0\u00a0Grogot", "tanah grogot"),  # non-breaking spaces
        ("Kel.Tanah-Grogot", "tanah grogot"),
        ("Kelurahan  Tanah   Grogot ", "tanah grogot"),
        ("KEC. KUARO", "kuaro"),
        ("Kec Kuaro", "kuaro"),
        ("Kecamatan Kuaro", "kuaro"),
        ("Desa/Kel. Lolo", "lolo"),
        ("Kab. Pasir", "pasir"),
        ("Sei Tuak", "sungai tuak"),
        ("Sei. Tuak", "sungai tuak"),
        ("SG. LANGIR", "sungai langir"),
        ("Sng Terik", "sungai terik"),
        ("Tj. Aru", "tanjung aru"),
        ("Tg Pinang", "tanjung pinang"),
        ("Kp. Baru", "kampung baru"),  # 'kampung' is kept: Kampung Baru is a real name elsewhere
        ("Muara Adang II", "muara adang 2"),
        ("Muara Adang 02", "muara adang 2"),
        ("Sebakung Jaya I", "sebakung jaya 1"),
        ("Blok XX", "blok 20"),
        ("Desa", "desa"),  # nothing but a prefix: kept
        ("Desa II", "ii"),  # a first word is never a numeral
        ("Mii", "mii"),
        ("Luan/Dilibinti", "luan dilibinti"),
        ("Sunge Batu", "sunge batu"),  # an official spelling, not an abbreviation
    ],
)
def test_typed_names_normalise_to_the_same_words(typed, normalised):
    assert normalise_name(typed) == normalised


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=30),
        st.lists(
            st.sampled_from(
                [
                    "Desa",
                    "Ds.",
                    "KEL",
                    "kec",
                    "Sei",
                    "Tg.",
                    "Kp",
                    "II",
                    "iv",
                    "X",
                    "07",
                    "0",
                    "Muara",
                    "Adang",
                    " ",
                    "\u00a0",
                    ".",
                    "-",
                    "Pasir",
                    "Kampung",
                ]
            ),  # fmt: skip
            max_size=6,
        ).map(" ".join),
    )
)
def test_normalise_name_is_idempotent(text):
    once = normalise_name(text)
    assert normalise_name(once) == once
    assert normalise_name(once.upper()) == once


def test_aliases_still_hold_the_joined_form_and_the_paser_pasir_variants():
    assert aliases_for("Pasir Belengkong") == {
        "pasir belengkong", "pasirbelengkong", "paser belengkong",
    }  # fmt: skip
    assert aliases_for("Muara Adang II") == {"muara adang 2", "muaraadang2"}
    assert all(normalise_name(alias) == alias for alias in aliases_for("Kel. Sei Tuak", ["Tg. Pasir II"]))


# exact matches, however typed


@pytest.mark.parametrize(
    ("village", "district", "code"),
    [
        ("DS. LOLO", "KEC. KUARO", "64.01.05.2002"),
        ("ds lolo", "kec kuaro", "64.01.05.2002"),
        ("Desa  Lolo", "Kecamatan\u00a0Kuaro", "64.01.05.2002"),
        ("KEL. TANAH GROGOT", "Kec Tanahgrogot", "64.01.04.1001"),
        ("Tanahgrogot", "Tanah  Grogot", "64.01.04.1001"),
        ("Long  Ikis", "LongIkis", "64.01.06.1001"),
        ("LONGIKIS", "long ikis", "64.01.06.1001"),
        ("Muarakomam", "Muara Komam", "64.01.07.1001"),
        ("Batukajang", "Batusopang", "64.01.01.2011"),
        ("Batu Kajang", "BATU SOPANG", "64.01.01.2011"),
        ("Sei Tuak", "Tanah Grogot", "64.01.04.2006"),
        ("Sg. Langir", "Tanah Grogot", "64.01.04.2014"),
        ("Sng Terik", "Batu Sopang", "64.01.01.2013"),
        ("Tj. Aru", "Tanjung Harapan", "64.01.02.2006"),
        ("Tg Pinang", "Muara Samu", "64.01.10.2001"),
        ("Tj Aru", "Tg. Harapan", "64.01.02.2006"),
        ("Muara Adang 2", "Long Kali", "64.01.08.2020"),
        ("Muara Adang II", "Long Kali", "64.01.08.2020"),
        ("muara adang ii", None, "64.01.08.2020"),
        ("MuaraAdangII", None, "64.01.08.2020"),
        ("Muara Adang2", None, "64.01.08.2020"),
        ("Kampung Lolo", "Kuaro", "64.01.05.2002"),  # 'Kampung' dropped when the rest is a name
        ("Kp. Lolo", "Kuaro", "64.01.05.2002"),
        ("Kp Samuntai", None, "64.01.06.2005"),
    ],
)
def test_names_match_exactly_in_any_case_spacing_prefix_abbreviation_or_numeral(
    paser, village, district, code
):
    row = match_one(paser, village, district)
    assert placed(row) == (code[:8], code, "name")
    assert row["location_score"] == 1.0 and row["reasons"] == []


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Muara Adang", "village_in_other_district"),  # the Muara Adang of Long Ikis
        ("Muara Adang I", "village_not_found"),
        ("Muara Adang III", "village_not_found"),
        ("Muara Adang 3", "village_not_found"),
    ],
)
def test_a_different_numeral_is_another_name_not_a_typo(paser, typed, reason):
    """Long Kali has Muara Adang II: no other numeral, nor none, is taken for it."""
    row = match_one(paser, typed, "Long Kali")
    assert placed(row) == ("64.01.08", None, "district")
    assert row["reasons"] == [Reason(reason, "village", typed)]


def test_kampung_is_dropped_only_when_the_full_name_is_not_a_place():
    squares = [shapely.box(i, 0, i + 1, 1) for i in range(3)]
    villages = gpd.GeoDataFrame(
        {"code": ["99.01.01.2001", "99.01.01.2002", "99.01.01.2003"],
         "name": ["Kampung Baru", "Baru", "Rantau"], "district_code": ["99.01.01"] * 3},
        geometry=squares, crs="EPSG:4326",
    )  # fmt: skip
    gazetteer = Gazetteer.from_frames(
        "99.01", pd.DataFrame({"code": ["99.01.01"], "name": ["Hulu"]}), villages
    )
    found = match(gazetteer, [("Kampung Baru", "Hulu"), ("Kp. Baru", "Hulu"), ("Baru", "Hulu"),
                              ("Kampung Rantau", None), ("Kampungbaru", None)])  # fmt: skip
    assert found["village_code"].tolist() == [
        "99.01.01.2001", "99.01.01.2001", "99.01.01.2002", "99.01.01.2003", "99.01.01.2001",
    ]  # fmt: skip


def test_aliases_stored_in_an_older_normalisation_still_match(paser):
    """A reference load made before numerals and abbreviations were normalised: 'muara adang ii'."""
    old = pd.DataFrame(
        [("sei bente", "village", "64.01.08.2004"), ("kec long kali", "district", "64.01.08"),
         ("tg harapan baru", "village", "64.01.05.2004"), ("muara adang ii", "village", "64.01.08.2020")],
        columns=["alias", "level", "code"],
    )  # fmt: skip
    gazetteer = Gazetteer(paser.region_code, paser.districts, paser.villages, old)
    found = match(gazetteer, [("Sungai Bente", "Long Kali"), ("Tanjung Harapan Baru", "Kuaro"),
                              ("Muara Adang 2", None)])  # fmt: skip
    assert found["village_code"].tolist() == ["64.01.08.2004", "64.01.05.2004", "64.01.08.2020"]
    assert found["reasons"].map(len).sum() == 0


# similar names: the edit rule


def allowed_edits(length: int) -> int:
    return next((edits for shortest, edits in FUZZY_EDITS if length >= shortest), 0)


def official_keys(paser: Gazetteer, roman: bool = True) -> dict[str, set[str]]:
    """Every space-free key of every place of the gazetteer (name and aliases) -> codes.

    ``roman=False`` leaves out the one-word roman forms ('muaraadangii'), which are never guessed.
    """
    keys: dict[str, set[str]] = {}
    for alias, code in zip(paser.aliases["alias"], paser.aliases["code"], strict=True):
        alias = normalise_name(alias)
        for key in name_keys(alias) if roman else {alias.replace(" ", "")}:
            keys.setdefault(key, set()).add(code)
    return keys


def test_no_two_places_of_one_district_are_within_the_edit_rule_of_each_other(paser):
    """The measurement behind FUZZY_EDITS: 3 pairs of villages in the region, none in a district."""
    keys = [(key, code) for key, codes in official_keys(paser, roman=False).items() for code in codes]
    close = {
        tuple(sorted((a, b)))
        for (key_a, a), (key_b, b) in itertools.combinations(keys, 2)
        if a != b
        and len(a) == len(b)  # districts with districts, villages with villages
        and Levenshtein.distance(key_a, key_b) <= allowed_edits(min(len(key_a), len(key_b)))
        and "".join(filter(str.isdigit, key_a)) == "".join(filter(str.isdigit, key_b))
    }
    assert not [pair for pair in close if pair[0][:8] == pair[1][:8]]  # districts and villages alike
    assert close == {
        ("64.01.05.2010", "64.01.06.2023"),  # Padang Jaya, Adang Jaya
        ("64.01.06.2002", "64.01.07.2009"),  # Muara Adang, Muara Payang
        ("64.01.07.2010", "64.01.10.2004"),  # Lusan, Luan
    }


def single_edits(name: str, rng: random.Random) -> set[str]:
    """At every position of ``name``: a random letter put in, a random letter put instead, and a cut."""
    edits = set()
    for i in range(len(name) + 1):
        edits.add(name[:i] + rng.choice(string.ascii_lowercase) + name[i:])
        if i < len(name):
            edits.add(name[:i] + rng.choice(string.ascii_lowercase) + name[i + 1 :])
            edits.add(name[:i] + name[i + 1 :])
    return edits


@pytest.mark.parametrize("with_district", [True, False])
def test_one_wrong_letter_finds_the_name_or_nothing_never_another_village(paser, villages, with_district):
    rng, keys = random.Random(64), official_keys(paser)
    items, expected = [], []
    for code, name in zip(villages["code"], villages["name"], strict=True):
        for typed in sorted(single_edits(name, rng)):
            if normalise_name(typed).replace(" ", "") in keys:  # the typo is another name: Lusan without s
                continue
            items.append((typed, DISTRICT_NAMES[code[:8]] if with_district else None))
            expected.append(code)
    found = match(paser, items)
    got = found["village_code"].tolist()
    wrong = [
        (typed, code, g)
        for (typed, _), code, g in zip(items, expected, got, strict=True)
        if g not in (code, None)
    ]
    assert wrong == []
    guessed = found["village_code"].notna().to_numpy()
    # refused: typos of Uko and Biu, of the numeral of Muara Adang II, ...; and, typed without their
    # district, typos that are a village of another regency of the province or as near to one (unsure)
    assert guessed.mean() > (0.98 if with_district else 0.9)
    warnings = {reason.code for reasons in found["reasons"][guessed] for reason in reasons}
    assert warnings <= {"fuzzy_village"}


def test_one_wrong_letter_in_a_district_finds_the_district(paser):
    """All 10 district names are 4 or more edits apart, so every such typo is placed."""
    rng, keys = random.Random(6401), official_keys(paser)
    items = [
        (typed, code)
        for code, name in DISTRICT_NAMES.items()
        for typed in sorted(single_edits(name, rng))
        if normalise_name(typed).replace(" ", "") not in keys
    ]
    found = match(paser, [(None, typed) for typed, _ in items])
    assert found["district_code"].tolist() == [code for _, code in items]
    assert set(found["location_method"]) == {"district"}
    assert all(reason.code == "fuzzy_district" for reasons in found["reasons"] for reason in reasons)


@pytest.mark.parametrize(
    ("village", "district", "official"),
    [
        ("Lory", "Tanjung Harapan", "Lori"),
        ("Sei Tuack", "Tanah Grogot", "Sungai Tuak"),  # abbreviation and a typo together
        ("Muara Adamg II", "Long Kali", "Muara Adang II"),  # a typo beside the numeral
        ("Krayan Makmor", None, "Krayan Makmur"),
        ("Suliliran Bru", "Paser Belengkong", "Suliliran Baru"),
        ("Kerta Bhaktii", "Long Ikis", "Kerta Bhakti"),
    ],
)
def test_a_typo_gives_the_official_spelling_in_the_warning(paser, village, district, official):
    row = match_one(paser, village, district)
    assert row["village_code"] is not None and row["location_method"] == "name"
    assert row["reasons"] == [Reason("fuzzy_village", "village", f"{village!r} -> {official!r}")]
    assert 0.75 <= row["location_score"] < 1.0


@pytest.mark.parametrize(
    ("village", "district"),
    [
        ("Luaan", None),  # one edit from Luan and one from Lusan
        ("Muara Adangg", "Long Kali"),  # not Muara Adang II: the numeral is missing
        ("MuaraAdangIl", None),  # a one-word numeral mistyped: as near Muara Adang II as Muara Adang
        ("Mandek", "Long Kali"),  # two edits in a 6-letter name
        ("Bio", "Muara Samu"),  # Biu: too short to guess
    ],
)
def test_a_typo_between_two_names_or_too_far_from_any_is_refused(paser, village, district):
    assert match_one(paser, village, district)["village_code"] is None


def test_the_nearest_name_wins_by_one_edit(paser):
    """'Adangjayaa' is one edit from Adang Jaya and two from Padang Jaya (the closest pair in Paser)."""
    row = match_one(paser, "Adangjayaa")
    assert placed(row) == ("64.01.06", "64.01.06.2023", "name")
    assert row["reasons"] == [Reason("fuzzy_village", "village", "'Adangjayaa' -> 'Adang Jaya'")]
