"""Never a wrong place (#27 item 6): every village and district name of the other nine regencies and
cities of Kalimantan Timur, typed alone and with a one-letter typo, is never placed in a Paser village or
district; an exact name or a real code of another regency is answered as such (its regency named), not
"check the spelling". Pure: the matcher over Paser's gazetteer from the shipped files."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from smartcity.intake.locate.matching import match_places
from smartcity.reference.gazetteer import name_keys, normalise_name
from smartcity.reference.province import shipped_province_names
from tests.realworld.scoring import paser_gazetteer

ROW = {"code": None, "code_raw": None, "lat": float("nan"), "lon": float("nan"), "reasons": ()}


def matched(village=None, district=None, code=None) -> pd.DataFrame:
    rows = pd.DataFrame([{**ROW, "village": v, "district": d, "code": c, "code_raw": c}
                         for v, d, c in zip(village, district, code, strict=True)])  # fmt: skip
    rows["reasons"] = [[] for _ in range(len(rows))]
    return match_places(rows, paser_gazetteer())


def paser_keys() -> set[str]:
    gazetteer = paser_gazetteer()
    names = [*gazetteer.villages["name"], *gazetteer.districts["name"], *gazetteer.aliases["alias"]]
    return {key for name in names for key in name_keys(normalise_name(name))}


def outside_names(level: str) -> list[str]:
    """Names of that level in the other regencies that are no name of Paser's."""
    ours = paser_keys()
    province = shipped_province_names()
    names = {p.name for p in province.by_code.values() if p.level == level and p.regency_code != "64.01"}
    return sorted(n for n in names if not name_keys(normalise_name(n)) & ours)


def one_letter_typos(name: str, rng: random.Random, count: int = 2) -> list[str]:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    typos = set()
    for _ in range(count * 3):
        i = rng.choice(letters)
        typos.add(name[:i] + rng.choice("aiueonrstkl") + name[i + 1 :])
    return sorted(typos)[:count]


@pytest.mark.parametrize("level", ["village", "district"])
def test_no_name_of_another_regency_lands_in_paser_typed_alone_or_with_a_typo(level):
    rng, ours = random.Random(64), paser_keys()
    names = outside_names(level)
    assert len(names) > (800 if level == "village" else 80)  # the other nine regencies and cities
    typed = names + [t for n in names for t in one_letter_typos(n, rng)
                     if not name_keys(normalise_name(t)) & ours]  # fmt: skip
    as_village = matched(village=typed, district=[None] * len(typed), code=[None] * len(typed))
    as_district = matched(village=[None] * len(typed), district=typed, code=[None] * len(typed))
    for frame in (as_village, as_district):
        placed = frame[frame["village_code"].notna() | frame["district_code"].notna()]
        assert placed.empty, placed[["village", "district", "village_code", "district_code"]].head(20)
    exact = as_village.iloc[: len(names)]
    codes = {r.code for reasons in exact["reasons"] for r in reasons}
    assert codes == {"other_regency"}  # named as a place of another regency, never "check the spelling"


def test_the_reason_names_the_regency_of_a_neighbours_village_district_and_code():
    frame = matched(village=["Sebakung Jaya", None, None], district=[None, "Sepaku", None],
                    code=[None, None, "64.09.03.2006"])  # fmt: skip
    values = [r.value for reasons in frame["reasons"] for r in reasons]
    assert values[0].startswith(
        "Sebakung Jaya (desa/kelurahan di Kecamatan Babulu, Kabupaten Penajam Paser Utara"
    )
    assert values[1].startswith("Sepaku (kecamatan di Kabupaten Penajam Paser Utara")
    assert "Kabupaten Penajam Paser Utara" in values[2]
    assert frame["village_code"].isna().all() and frame["district_code"].isna().all()
