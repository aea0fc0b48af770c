"""Worksheet values: given these cells, these typed values come out, and these reasons say why not."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.intake.answer.reasons import CATALOGUE, Reason
from smartcity.intake.answer.validation import OUTPUT_COLUMNS, validate_rows
from smartcity.platform.vocabulary import DIMENSIONS, SWOT
from tests.helpers import DATA

# the official worksheet's headers (smartcity.intake.answer.template), one per role
HEADERS = {
    "description": "Uraian Permasalahan", "dimension": "Dimensi", "swot": "Kategori (SWOT)",
    "severity": "Tingkat Urgensi", "code": "Kode Wilayah", "village": "Desa/Kelurahan",
    "district": "Kecamatan", "lat": "Lintang", "lon": "Bujur", "agency": "Perangkat Daerah", "year": "Tahun",
    "notes": "Keterangan",
}  # fmt: skip
VALID = {"description": "Jalan desa rusak", "dimension": "Smart Living", "swot": "Kelemahan", "severity": "3"}
DEFAULT_AGENCY = "Dinas Komunikasi dan Informatika"


def validate(rows: list[dict], roles: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Validate ``rows`` (role -> cell) as a worksheet with the official headers for ``roles``."""
    roles = roles or tuple(HEADERS)
    table = pd.DataFrame(
        {"row_number": range(5, 5 + len(rows))}
        | {HEADERS[r]: pd.Series([row.get(r) for row in rows], dtype=object) for r in roles}
    )
    return validate_rows(table, {r: HEADERS[r] for r in roles}, DEFAULT_AGENCY)


def one(roles: tuple[str, ...] | None = None, **cells) -> pd.Series:
    """The validated row of a one-row worksheet: description, dimension, SWOT, urgency valid unless given."""
    return validate([VALID | cells], roles).iloc[0]


def codes(row: pd.Series) -> list[str]:
    return [r.code for r in row["reasons"]]


# --- description ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("  Jalan rusak  ", "Jalan rusak"),
        ("<script>alert('x')</script>", "<script>alert('x')</script>"),  # stored as is, escaped at output
        ("=1+1", "=1+1"),  # never evaluated
        ("Baris satu\nbaris dua", "Baris satu\nbaris dua"),
        ("Sekolah \u201crusak\u201d", "Sekolah \u201crusak\u201d"),
    ],
)
def test_description_is_stripped_and_otherwise_kept(cell, expected):
    row = one(description=cell)
    assert row["description"] == expected
    assert codes(row) == []


@pytest.mark.parametrize("cell", [None, "", "   ", "\u00a0\t\n"])
def test_empty_description_is_refused(cell):
    row = one(description=cell)
    assert row["description"] is None
    assert list(row["reasons"]) == [Reason("missing_description", "Uraian Permasalahan")]


# --- dimension -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Smart Living", "living"), ("living", "living"), ("SMART LIVING", "living"), ("Living", "living"),
        ("LIV", "living"), ("kehidupan", "living"), ("Smart-Living", "living"), ("SmartLiving", "living"),
        ("Tata kelola", "governance"), ("GOV", "governance"), ("Smart Governance", "governance"),
        ("tata kelola pemerintahan", "governance"), ("Pemerintahan", "governance"),
        ("Branding", "branding"), ("Smart Branding", "branding"), ("Pemasaran daerah", "branding"),
        ("citra daerah", "branding"), ("BRD", "branding"), ("Pemasaran/citra daerah", "branding"),
        ("Ekonomi", "economy"), ("ECO", "economy"), ("Economy", "economy"), ("ekonomi cerdas", "economy"),
        ("Society", "society"), ("masyarakat", "society"), ("sosial", "society"), ("SOC", "society"),
        ("Environment", "environment"), ("lingkungan", "environment"), ("ENV", "environment"),
        ("  smart   environment. ", "environment"), ("Dimensi Ekonomi", "economy"),
        # two forms of the same dimension
        ("Smart Governance (Tata Kelola)", "governance"), ("LIV - Smart Living", "living"),
        ("Lingkungan hidup (Living)", "living"), ("Lingkungan hidup/kehidupan cerdas", "living"),
    ],
)  # fmt: skip
def test_dimension_words(cell, expected):
    row = one(dimension=cell)
    assert row["dimension"] == expected
    assert codes(row) == []


def test_every_label_of_the_kominfo_table_is_accepted():
    table = pd.read_csv(DATA / "tables" / "smart_city_dimensions.csv", dtype=str)
    by_code = dict(zip(["GOV", "BRD", "ECO", "LIV", "SOC", "ENV"], DIMENSIONS, strict=True))
    labels = table[["dimension_code", "dimension", "dimension_id_label"]].drop_duplicates()
    rows = [VALID | {"dimension": cell} for cell in labels.to_numpy().ravel()]
    expected = [by_code[code] for code in labels["dimension_code"] for _ in range(3)]
    out = validate(rows)
    assert out["dimension"].tolist() == expected
    assert not any(out["reasons"])


@pytest.mark.parametrize(
    "cell", ["Kesehatan", "Smart", "Smart City", "Smart Living / Smart Society", "Pendidikan"]
)
def test_unknown_dimension_is_refused_with_the_accepted_values(cell):
    row = one(dimension=cell)
    assert row["dimension"] is None
    assert list(row["reasons"]) == [Reason("invalid_dimension", "Dimensi", cell)]
    message = row["reasons"][0].english()
    assert all(name in message for name in DIMENSIONS)


@pytest.mark.parametrize("cell", ["G", "1", "4.", "(2)", "SG", "IV", "x"])
def test_a_dimension_code_with_no_legend_asks_for_the_legend(cell):
    """No order of the six dimensions is assumed: a code is read only through the file's own legend."""
    row = one(dimension=cell)
    assert row["dimension"] is None
    assert list(row["reasons"]) == [Reason("dimension_code_without_legend", "Dimensi", cell)]
    assert "legenda" in row["reasons"][0].indonesian()


def test_a_dimension_code_is_read_through_the_legend_the_file_defines():
    codes = {"dimension": {"1": "society", "sg": "governance"}}
    rows = [VALID | {"dimension": "1"}, VALID | {"dimension": " SG "}, VALID | {"dimension": "2"}]
    table = pd.DataFrame(
        {"row_number": [5, 6, 7]} | {h: [r.get(k) for r in rows] for k, h in HEADERS.items()}
    )
    out = validate_rows(table, HEADERS, DEFAULT_AGENCY, codes)
    assert out["dimension"].tolist() == ["society", "governance", None]
    assert [r.code for r in out["reasons"].iloc[2]] == ["dimension_code_without_legend"]


def test_lingkungan_hidup_alone_is_ambiguous():
    """Government usage says environment (Dinas Lingkungan Hidup); Kominfo's Smart Living label starts so."""
    row = one(dimension="Lingkungan Hidup")
    assert row["dimension"] is None
    assert codes(row) == ["ambiguous_dimension"]
    assert row["reasons"][0].blocking
    assert "Smart Environment" in row["reasons"][0].indonesian()


@pytest.mark.parametrize("cell", [None, "", "   "])
def test_empty_dimension_is_refused(cell):
    row = one(dimension=cell)
    assert list(row["reasons"]) == [Reason("missing_dimension", "Dimensi")]


# --- SWOT ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Kekuatan", "strength"), ("Kelemahan", "weakness"), ("Peluang", "opportunity"),
        ("Ancaman", "threat"),
        ("S", "strength"), ("W", "weakness"), ("O", "opportunity"), ("T", "threat"), ("t", "threat"),
        ("Strength", "strength"), ("weakness", "weakness"), ("Opportunities", "opportunity"),
        ("THREAT", "threat"), ("Masalah", "weakness"), ("Permasalahan", "weakness"), ("Tantangan", "threat"),
        (" kelemahan ", "weakness"), ("S - Strength", "strength"), ("Kekuatan (S)", "strength"),
    ],
)  # fmt: skip
def test_swot_words(cell, expected):
    row = one(swot=cell)
    assert row["swot"] == expected
    assert codes(row) == []


@pytest.mark.parametrize("cell", ["K", "L", "P", "A", "Kekuatan/Kelemahan", "Netral", "SW", "5"])
def test_unknown_swot_is_refused(cell):
    """K/L/P/A are refused: no common convention, and P could be Peluang or Permasalahan."""
    row = one(swot=cell)
    assert row["swot"] is None
    assert list(row["reasons"]) == [Reason("invalid_swot", "Kategori (SWOT)", cell)]


def test_empty_swot_means_weakness_with_a_warning():
    row = one(swot="  ")
    assert row["swot"] == "weakness"
    assert list(row["reasons"]) == [Reason("default_swot", "Kategori (SWOT)")]
    assert not row["reasons"][0].blocking


def test_absent_swot_column_means_weakness_silently():
    row = one(roles=("description", "dimension"))
    assert row["swot"] == "weakness"
    assert codes(row) == []


# --- urgency (severity) --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # numbers, written as spreadsheets and people write them
        ("1", 1), ("3", 3), ("5", 5), ("3.0", 3), (" 4 ", 4), ("4.0", 4), ("4,0", 4), ("+2", 2), ("05", 5),
        # Roman numerals, any case (and the single Unicode numeral)
        ("I", 1), ("ii", 2), ("III", 3), ("Iv", 4), ("IV", 4), ("v", 5), ("\u2163", 4),
        # 5
        ("sangat tinggi", 5), ("Sangat Tinggi", 5), ("sangat mendesak", 5), ("Sangat Penting", 5),
        ("sangat urgen", 5), ("Kritis", 5), ("DARURAT", 5), ("Very High", 5), ("sangat-tinggi", 5),
        # 4
        ("tinggi", 4), ("Mendesak", 4), ("penting", 4), ("URGEN", 4), ("high", 4),
        # 3
        ("SEDANG", 3), ("cukup", 3), ("Menengah", 3), ("biasa", 3), ("Medium", 3), ("moderate", 3),
        # 2
        ("Rendah", 2), ("kurang", 2), ("low", 2), ("kurang penting", 2),
        # 1
        ("sangat rendah", 1), ("Very Low", 1),
        # a number and a word that agree, in either order, with any separator
        ("4 (tinggi)", 4), ("Tinggi (4)", 4), ("5 - Sangat Tinggi", 5), ("5-Sangat Tinggi", 5),
        ("5 sangat tinggi", 5), ("4. Tinggi", 4), ("Sedang - 3", 3), ("4,0 - tinggi", 4), ("IV (tinggi)", 4),
        ("1 = sangat rendah", 1),
        # extra spaces, case, punctuation, and the words around an urgency
        ("  TINGGI!! ", 4), ("sangat   tinggi.", 5), ("Sangat_Rendah", 1), ("Urgensi: 4", 4), ("Level 4", 4),
        ("Tingkat urgensi: sedang", 3), ("Prioritas tinggi", 4), ("tingkat sangat tinggi", 5),
        # English words, "sekali" (very) after the word
        ("urgent", 4), ("Very Urgent", 5), ("critical", 5), ("tinggi sekali", 5), ("rendah sekali", 1),
        # a star rating: the filled stars ("★★★★☆" = 4), also typed as asterisks
        ("★", 1), ("★★★★☆", 4), ("★★★★★", 5), ("⭐⭐⭐", 3), ("****", 4), ("★★/5", 2),
        # a percentage: each fifth of 100 %, rounded up
        ("100%", 5), ("80 %", 4), ("60%", 3), ("41%", 3), ("40%", 2), ("20%", 1), ("5%", 1), ("75,5%", 4),
    ],
)  # fmt: skip
def test_urgency_numbers_and_words(cell, expected):
    row = one(severity=cell)
    assert row["severity"] == expected
    assert codes(row) == []


@pytest.mark.parametrize(
    "cell",
    [
        # numbers outside 1..5 or not whole
        "0", "6", "-1", "2.5", "4,5", "10", "1e0", "nan", "inf", "99999999999999999999999",
        "0%", "120%", "☆☆☆☆☆", "******",
        # parts that disagree, or say nothing
        "5 - rendah", "5 (rendah)", "Tinggi (2)", "3/5", "sangat", "tingkat", "VI", "sangat sangat",
        # a priority rank: 1 is its top, the urgency scale's top is 5; either guess could invert the row
        "Prioritas 1", "prioritas 5", "P1", "p 2", "Priority 1", "Prioritas I", "Prioritas: 1",
    ],
)  # fmt: skip
def test_unreadable_urgency_counts_as_3_with_a_warning(cell):
    row = one(severity=cell)
    assert row["severity"] == 3
    assert list(row["reasons"]) == [Reason("unreadable_severity", "Tingkat Urgensi", cell)]
    assert not row["reasons"][0].blocking


def test_unreadable_urgency_tells_the_agency_what_was_assumed_and_what_is_accepted():
    (reason,) = one(severity="6")["reasons"]
    assert reason.english() == "'6' is not an urgency from 1 to 5: 3 assumed"
    assert "dianggap 3 (sedang)" in reason.indonesian() and "1 sampai 5" in reason.indonesian()
    assert "kolom Tingkat Urgensi" in reason.indonesian()


def test_an_unreadable_urgency_alone_never_rejects_a_row():
    out = validate([VALID | {"severity": s} for s in ("6", "0", "???", "Prioritas 1", "5 - rendah")])
    assert out["severity"].tolist() == [3] * 5
    assert not any(r.blocking for reasons in out["reasons"] for r in reasons)


def test_empty_urgency_means_3_with_a_warning():
    row = one(severity="")
    assert row["severity"] == 3
    assert list(row["reasons"]) == [Reason("default_severity", "Tingkat Urgensi")]
    assert not row["reasons"][0].blocking


def test_absent_urgency_column_means_3_silently():
    row = one(roles=("description", "dimension"))
    assert row["severity"] == 3
    assert codes(row) == []


# --- year ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"), [("2025", 2025), ("2025.0", 2025), (" 2030 ", 2030), ("1900", 1900), ("2100", 2100)]
)
def test_year(cell, expected):
    row = one(year=cell)
    assert row["year"] == expected
    assert codes(row) == []


@pytest.mark.parametrize(
    "cell", ["25", "1899", "2101", "2025.5", "20250", "tahun 2025", "2025-2026", "-2025"]
)
def test_bad_year_is_refused(cell):
    row = one(year=cell)
    assert row["year"] is pd.NA
    assert list(row["reasons"]) == [Reason("invalid_year", "Tahun", cell)]


@pytest.mark.parametrize("roles", [None, ("description", "dimension")])
def test_no_year_is_no_problem(roles):
    row = one(roles=roles, year="  ")
    assert row["year"] is pd.NA
    assert codes(row) == []


# --- code ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "code", "raw"),
    [
        ("6401042012", "64.01.04.2012", "6401042012"),
        (" 64.01.04 ", "64.01.04", "64.01.04"),
        ("64 01 04 2012", "64.01.04.2012", "64 01 04 2012"),
        ("Paser", None, "Paser"),  # not a code: kept as written, matching may still place the row by name
        ("6401011", None, "6401011"),  # a BPS code
        ("", None, None),
        (None, None, None),
    ],
)
def test_code_is_normalised_and_kept_as_written(cell, code, raw):
    row = one(code=cell)
    assert (row["code"], row["code_raw"]) == (code, raw)
    assert codes(row) == []


# --- coordinates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("-1.912", "116.2", (-1.912, 116.2)),
        ("-1,912", "116,2", (-1.912, 116.2)),  # decimal comma
        (" -1.912 ", " 116.2 ", (-1.912, 116.2)),
        ("- 1.912", "116 .2", (-1.912, 116.2)),
        ("-1.912°", "116.2°", (-1.912, 116.2)),
        ("1,912° LS", "116.2 BT", (-1.912, 116.2)),  # Lintang Selatan, Bujur Timur
        ("S 1.912", "E116.2", (-1.912, 116.2)),
        ("0", "0", (0.0, 0.0)),
        ("90", "-180", (90.0, -180.0)),
        ("5.5", "95.3", (5.5, 95.3)),  # outside Paser: matching judges the region
        ("116.2", "-1.912", (116.2, -1.912)),  # swapped: kept for matching to say so
    ],
)
def test_coordinates(lat, lon, expected):
    row = one(lat=lat, lon=lon)
    assert (row["lat"], row["lon"]) == pytest.approx(expected)
    assert codes(row) == []


@pytest.mark.parametrize(
    ("lat", "lon", "shown"),
    [
        ("-1.912", None, "-1.912, "),
        ("", "116.2", ", 116.2"),
        ("abc", "116.2", "abc, 116.2"),
        ("-91", "116.2", "-91, 116.2"),
        ("-1.9", "181", "-1.9, 181"),
        ("95", "116.2", "95, 116.2"),  # not valid either way round
        ("1,234.5", "116.2", "1,234.5, 116.2"),
        ("1°54'S", "116.2", "1°54'S, 116.2"),  # degrees-minutes are not read
        ("-1.9 LS", "116.2", "-1.9 LS, 116.2"),  # a sign and a hemisphere may contradict each other
        ("1.9 BT", "116.2", "1.9 BT, 116.2"),  # a longitude letter on a latitude
        ("nan", "116.2", "nan, 116.2"),
        ("inf", "116.2", "inf, 116.2"),
        ("-1.9", "1e999", "-1.9, 1e999"),
    ],
)
def test_bad_coordinates_are_refused(lat, lon, shown):
    row = one(lat=lat, lon=lon)
    assert math.isnan(row["lat"]) and math.isnan(row["lon"])
    assert list(row["reasons"]) == [Reason("invalid_coordinates", "Lintang / Bujur", shown)]


@pytest.mark.parametrize("roles", [None, ("description", "dimension")])
def test_no_coordinates_is_no_problem_here(roles):
    row = one(roles=roles, lat=" ", lon=None)
    assert math.isnan(row["lat"]) and math.isnan(row["lon"])
    assert codes(row) == []


def test_a_rows_coordinates_do_not_depend_on_the_other_rows():
    """Plain numbers take a quick path; a decimal comma or garbage elsewhere must not change a row."""
    cells = [("-1.5", "116.1"), ("-1,6", "116,2"), ("x", "116.3"), ("1e1", "116.4"), ("1_0", "116.5")]
    together = validate([VALID | {"lat": lat, "lon": lon} for lat, lon in cells])
    for k, (lat, lon) in enumerate(cells):
        alone = validate([VALID | {"lat": lat, "lon": lon}])
        assert records(together.iloc[[k]])[0] == records(alone)[0] | {"row_number": 5 + k}


# --- agency and plain text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "cell", "expected"),
    [
        (None, " Dinas Kesehatan ", "Dinas Kesehatan"),
        (None, "  ", DEFAULT_AGENCY),
        (None, None, DEFAULT_AGENCY),
        (("description", "dimension"), None, DEFAULT_AGENCY),
    ],
)
def test_agency_column_else_the_default(roles, cell, expected):
    assert one(roles=roles, agency=cell)["agency"] == expected


@pytest.mark.parametrize("role", ["notes", "village", "district"])
@pytest.mark.parametrize(
    ("cell", "expected"), [(" Tanah Grogot ", "Tanah Grogot"), ("  ", None), (None, None)]
)
def test_plain_text_is_stripped_or_none(role, cell, expected):
    row = one(**{role: cell})
    assert row[role] == expected if expected else row[role] is None
    assert codes(row) == []


# --- rows and reasons ----------------------------------------------------------------------------------


def test_all_reasons_of_a_row_are_collected_in_column_order():
    row = one(description="", dimension="Kesehatan", severity="6", lat="-1.9", lon="abc")
    assert list(row["reasons"]) == [
        Reason("missing_description", "Uraian Permasalahan"),
        Reason("invalid_dimension", "Dimensi", "Kesehatan"),
        Reason("unreadable_severity", "Tingkat Urgensi", "6"),
        Reason("invalid_coordinates", "Lintang / Bujur", "-1.9, abc"),
    ]


def test_output_keeps_the_index_and_the_contract_columns():
    table = pd.DataFrame(
        {"row_number": [7, 9], "Uraian": ["a", "b"], "Dimensi": ["GOV", "ENV"]}, index=pd.Index([10, 20])
    )
    out = validate_rows(table, {"description": "Uraian", "dimension": "Dimensi"}, "Bappeda")
    assert tuple(out.columns) == OUTPUT_COLUMNS
    assert out.index.tolist() == [10, 20]
    assert out["row_number"].tolist() == [7, 9]
    assert {c: str(out[c].dtype) for c in ("row_number", "severity", "year", "lat", "lon")} == {
        "row_number": "int64", "severity": "Int64", "year": "Int64", "lat": "float64", "lon": "float64",
    }  # fmt: skip
    text_columns = set(OUTPUT_COLUMNS) - {"row_number", "severity", "year", "lat", "lon"}
    assert all(out[c].dtype == object for c in text_columns)
    assert out["code"].tolist() == [None, None]


def test_reason_lists_are_separate_and_clean_rows_have_none():
    out = validate([VALID | {"dimension": "xyz 9"}, VALID | {"dimension": "xyz 9"}, VALID])
    first, second, clean = out["reasons"]
    assert first == second and first is not second
    first.append(Reason("no_location"))
    assert second == [Reason("invalid_dimension", "Dimensi", "xyz 9")]
    assert not clean and len(clean) == 0


def test_pandas_text_columns_read_like_object_columns():
    rows = [VALID | {"severity": " 4 ", "lat": "-1,9", "lon": "116.2", "notes": None}, {"swot": "S"}]
    plain = validate(rows)
    table = pd.DataFrame({"row_number": [5, 6]} | {h: [r.get(k) for r in rows] for k, h in HEADERS.items()})
    table = table.astype({h: "str" for h in HEADERS.values()})  # pandas' own text dtype: NaN when empty
    assert records(validate_rows(table, HEADERS, DEFAULT_AGENCY)) == records(plain)


def test_missing_required_role_blocks_every_row():
    out = validate([{"dimension": "GOV"}, {"dimension": "ENV"}], roles=("dimension",))
    assert [codes(row) for _, row in out.iterrows()] == [["missing_description"]] * 2


def test_roles_must_name_columns_of_the_table():
    table = pd.DataFrame({"row_number": [1], "Uraian": ["a"]})
    with pytest.raises(ValueError, match="Dimensi"):
        validate_rows(table, {"description": "Uraian", "dimension": "Dimensi"}, "Bappeda")


def test_empty_worksheet():
    out = validate([])
    assert len(out) == 0 and tuple(out.columns) == OUTPUT_COLUMNS


def test_many_rows_share_the_work_per_distinct_cell():
    """One verdict per distinct cell, spread to all rows: same result as row by row."""
    cells = ["Smart Living", "Kesehatan", "", "GOV"] * 250
    out = validate([VALID | {"description": str(i), "dimension": c} for i, c in enumerate(cells)])
    assert out["dimension"].tolist()[:4] == ["living", None, None, "governance"]
    assert [codes(r) for _, r in out.iloc[:4].iterrows()] == [
        [],
        ["invalid_dimension"],
        ["missing_dimension"],
        [],
    ]
    assert out["dimension"].tolist() == out["dimension"].tolist()[:4] * 250


# --- properties ----------------------------------------------------------------------------------------


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as comparable dicts: NaN/NA as None, reasons as lists."""
    out = []
    for row in frame.to_dict("records"):
        row = {
            k: None if (v is pd.NA or (isinstance(v, float) and math.isnan(v))) else v for k, v in row.items()
        }
        row["reasons"] = list(row["reasons"])
        out.append(row)
    return out


ODD_CELLS = [
    "<script>alert(1)</script>", "=1+1", "=HYPERLINK(\"http://x\")", "1e309", "-1e309", "9" * 60, "  ",
    "\u00a0", "\x00", "NaN", "inf", "-0", "١٢", "１２", "Ｓｍａｒｔ Ｌｉｖｉｎｇ", "-1,912", "116,2 BT",
    "Smart Living", "S", "3",
    "2025.0", "6401042012", "Lingkungan hidup", "sangat tinggi", "ſ", "İ", "ß", "/", "()", " - ", "3 - 3",
]  # fmt: skip
cell = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(ODD_CELLS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda x: str(x).replace(".", ",")),
)
worksheet_rows = st.lists(st.fixed_dictionaries({role: cell for role in HEADERS}), max_size=12)
role_sets = st.sets(st.sampled_from(sorted(HEADERS))).map(
    lambda roles: tuple(r for r in HEADERS if r in roles)
)


@settings(max_examples=200, deadline=None)
@given(rows=worksheet_rows, roles=role_sets)
def test_any_cells_give_one_row_each_either_usable_or_refused(rows, roles):
    out = validate(rows, roles or ("description",))
    assert len(out) == len(rows)
    assert out["row_number"].tolist() == list(range(5, 5 + len(rows)))
    for _, row in out.iterrows():
        reasons = list(row["reasons"])
        assert all(isinstance(r, Reason) and r.code in CATALOGUE for r in reasons)
        assert all(r.english() and r.indonesian() and str(r) for r in reasons)
        if not any(r.blocking for r in reasons):
            assert isinstance(row["description"], str) and row["description"] == row["description"].strip()
            assert row["description"]
            assert row["dimension"] in DIMENSIONS
            assert row["swot"] in SWOT
        assert row["severity"] in (1, 2, 3, 4, 5)  # whatever the urgency cell holds
        assert not any(r.blocking for r in reasons if r.code.endswith("_severity"))
        assert np.isnan(row["lat"]) == np.isnan(row["lon"])
        if not np.isnan(row["lat"]):
            assert abs(row["lat"]) <= 180 and abs(row["lon"]) <= 180
        assert isinstance(row["agency"], str) and row["agency"]


@settings(max_examples=200, deadline=None)
@given(rows=worksheet_rows)
def test_a_rows_verdict_never_depends_on_the_other_rows(rows):
    together = records(validate(rows))
    alone = [records(validate([row]))[0] | {"row_number": 5 + k} for k, row in enumerate(rows)]
    assert together == alone
