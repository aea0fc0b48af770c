"""The master plan's analysis, on generated issue sets whose truth is known by construction: TOWS draft
strategies (tiers, each item once, a cell empty only without material), readiness counts, and the
table columns sized to their words."""

from __future__ import annotations

import itertools
import random

import pandas as pd
import pytest

from maps.document.docx_kit import CELL_PADDING_CM, MIN_COLUMN_CM, column_widths, fit_words, text_cm
from maps.document.readiness import ASPECTS, has_readiness, readiness_rows
from maps.document.strategies import CELLS, REGENCY, empty_reason, pairings, prepare, tows_cells
from smartcity.platform.vocabulary import DIMENSIONS, SWOT


def generated_issues(seed: int) -> pd.DataFrame:
    """A random issue set: a few districts (and the whole regency), dimensions and SWOT categories, some
    of them absent on purpose, each item with a unique text saying what it is."""
    rng = random.Random(seed)
    districts = [f"64.01.{d:02d}" for d in range(1, rng.randint(2, 6))]
    dimensions = rng.sample(DIMENSIONS, rng.randint(1, 6))
    kinds = rng.sample(SWOT, rng.randint(1, 4))
    rows = []
    for n in range(rng.randint(0, 40)):
        district = rng.choice([*districts, None])
        rows.append({
            "agency": f"Dinas {rng.randint(1, 4)}", "dimension": rng.choice(dimensions),
            "swot": rng.choice(kinds), "severity": rng.randint(1, 5), "description": f"Isu {n}",
            "village_code": None, "village_name": None, "district_code": district,
            "district_name": f"Kec {district}" if district else None, "regency_wide": district is None,
            "readiness": rng.choice([*ASPECTS, None]),
        })  # fmt: skip
    columns = ["agency", "dimension", "swot", "severity", "description", "village_code", "village_name",
               "district_code", "district_name", "regency_wide", "readiness"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def any_pair_possible(issues: pd.DataFrame, dimension: str, internal: str, external: str) -> bool:
    """Brute force: whether some internal/external pair exists in the dimension, or at one place across
    dimensions with one side in the dimension."""
    own = issues[issues["dimension"] == dimension]
    if (own["swot"] == internal).any() and (own["swot"] == external).any():
        return True
    place = issues["district_code"].fillna(REGENCY)
    for side, other in ((internal, external), (external, internal)):
        mine = set(place[(issues["dimension"] == dimension) & (issues["swot"] == side)])
        theirs = set(place[(issues["dimension"] != dimension) & (issues["swot"] == other)])
        if mine & theirs:
            return True
    return False


@pytest.mark.parametrize("seed", range(20))
def test_tows_pairings_follow_the_tiers_and_are_empty_only_without_material(seed):
    issues = prepare(generated_issues(seed))
    for dimension in DIMENSIONS:
        cells = tows_cells(issues, dimension)
        for key, internal, external in CELLS:
            found = cells[key]
            assert len(found) <= 3
            assert bool(found) == any_pair_possible(issues, dimension, internal, external), (seed, key)
            texts_in = [p.internal["description"] for p in found]
            texts_out = [p.external["description"] for p in found]
            assert len(set(texts_in)) == len(texts_in) and len(set(texts_out)) == len(texts_out)
            tiers = [p.tier for p in found]
            assert tiers == sorted(tiers)
            for p in found:
                assert p.internal["swot"] == internal and p.external["swot"] == external
                if p.tier in (1, 2):
                    assert p.internal["dimension"] == p.external["dimension"] == dimension
                if p.tier in (1, 3):
                    assert p.internal["place"] == p.external["place"]
                if p.tier == 3:
                    assert dimension in (p.internal["dimension"], p.external["dimension"])
                    assert p.internal["dimension"] != p.external["dimension"]
            # a same-district pair in the dimension always comes first
            own = issues[issues["dimension"] == dimension]
            both = set(own.loc[own["swot"] == internal, "place"]) & set(
                own.loc[own["swot"] == external, "place"]
            )
            if both:
                assert found[0].tier == 1
            if not found:
                missing = empty_reason(issues, dimension, internal, external)
                kinds = set(own["swot"])
                assert set(missing) == {internal, external} - kinds


def test_the_most_urgent_same_district_pair_comes_first():
    rows = [("living", "strength", 2, "64.01.01", "S low"), ("living", "strength", 5, "64.01.01", "S high"),
            ("living", "opportunity", 4, "64.01.01", "O"), ("living", "opportunity", 5, "64.01.02", "O far"),
            ("economy", "opportunity", 5, "64.01.03", "O other"),
            ("living", "strength", 1, "64.01.03", "S3")]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["dimension", "swot", "severity", "district_code", "description"])
    frame = frame.assign(agency="A", district_name="K", village_name=None, regency_wide=False)
    found = pairings(prepare(frame), "living", "so", "strength", "opportunity")
    assert [(p.internal["description"], p.external["description"], p.tier) for p in found] == [
        ("S high", "O", 1), ("S low", "O far", 2), ("S3", "O other", 3)]  # fmt: skip


@pytest.mark.parametrize("seed", range(15))
def test_readiness_counts_equal_counting_by_hand(seed):
    issues = generated_issues(seed)
    for dimension in DIMENSIONS:
        rows, unnamed = readiness_rows(issues, dimension)
        own = issues[issues["dimension"] == dimension]
        assert unnamed == int(own["readiness"].isna().sum())
        for row in rows:
            mine = own[own["readiness"] == row.aspect]
            assert row.weaknesses == (mine["swot"] == "weakness").sum()
            assert row.strengths == (mine["swot"] == "strength").sum()
            problems = mine[mine["swot"].isin(["weakness", "threat"])]
            if problems.empty:
                assert row.urgent is None
            else:
                weak = problems[problems["swot"] == "weakness"]
                pool = weak if not weak.empty else problems
                assert row.urgent["severity"] == pool["severity"].max()
    assert has_readiness(issues) == issues["readiness"].notna().any()
    assert not has_readiness(issues.drop(columns="readiness"))


WORDS = ["Sekretariat", "Kecamatan", "Pembangunan", "Infrastruktur", "Kelurahan", "Desa", "IKN", "1.234,5",
         "Pemberdayaan", "Masyarakat", "Tanah", "Grogot", "Sangat", "Tertinggal", "Perhubungan",
         "x"]  # fmt: skip


@pytest.mark.parametrize("seed", range(12))
def test_columns_add_up_and_hold_their_longest_word(seed):
    rng = random.Random(seed)
    columns = rng.randint(1, 7)
    header = [" ".join(rng.sample(WORDS, rng.randint(1, 2))) for _ in range(columns)]
    rows = [[" ".join(rng.choices(WORDS, k=rng.randint(1, 12))) for _ in range(columns)]
            for _ in range(rng.randint(0, 8))]  # fmt: skip
    total = rng.choice([15.5, 24.2])
    widths = column_widths(header, rows, total)
    assert sum(widths) == pytest.approx(total)
    least = [
        max([MIN_COLUMN_CM,
             *(text_cm(w, bold=i == 0) + CELL_PADDING_CM for i, c in enumerate(col) for w in c.split())])
        for col in zip(header, *rows, strict=True)
    ]  # fmt: skip
    if sum(least) <= total:  # it fits: every column holds its longest word and is 2 cm at least
        for width, need in zip(widths, least, strict=True):
            assert width >= need - 1e-9


def test_a_word_too_long_for_any_column_is_cut_with_an_ellipsis_and_others_stay():
    link = "https://maps.app.goo.gl/" + "x" * 120
    cut = fit_words(f"lihat {link} sekarang", 6.0)
    first, middle, last = cut.split(" ")
    assert first == "lihat" and last == "sekarang" and middle.endswith("…") and link.startswith(middle[:-1])
    assert text_cm(middle) <= 6.0 - CELL_PADDING_CM
    assert fit_words("Sekretariat Daerah", 6.0) == "Sekretariat Daerah"


def test_every_cell_of_every_dimension_is_answered():
    issues = prepare(generated_issues(3))
    for dimension, (key, internal, external) in itertools.product(DIMENSIONS, CELLS):
        found = tows_cells(issues, dimension)[key]
        assert found or empty_reason(issues, dimension, internal, external) is not None
