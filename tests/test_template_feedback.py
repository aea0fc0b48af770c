"""The worksheet agencies fill in, the feedback they get back, and the demo worksheets.

Given the project's places table, the template offers exactly the headers and drop-down values the
intake accepts and lists the region's 10 districts and 144 villages. Given rows and their reasons, the
feedback workbook gives each row its Indonesian note (or "OK"), marks rejected rows, and never turns
agency text into a formula. The demo generator gives the same files on every run, from eight agencies,
with all six dimensions, clean rows that name real places, and the planted mistakes the demo shows.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys

import openpyxl
import pandas as pd
import pytest
from shapely.geometry import Point, shape

from smartcity.intake.answer.feedback import (
    NOTES_HEADER,
    OK_NOTE,
    REJECTED_FILL,
    WARNING_FILL,
    neutralise,
    write_feedback,
)
from smartcity.intake.answer.reasons import Reason
from smartcity.intake.answer.template import HEADERS, template_reference_frames, write_template
from smartcity.platform.vocabulary import normalise_code
from smartcity.reference.gazetteer import aliases_for, normalise_name
from tests.helpers import DATA, REPO

GEODATA = REPO / "geodata"
PLACES_CSV = GEODATA / "sources" / "paser_places.csv"
SHIPPED_WORKSHEETS = GEODATA / "demo" / "worksheets"
DIMENSION_LABELS = [
    f"Smart {name}" for name in ("Governance", "Branding", "Economy", "Living", "Society", "Environment")
]


# ------------------------------------------------------------------------------------------ template


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> openpyxl.Workbook:
    districts, villages = template_reference_frames(PLACES_CSV)
    out = write_template(
        tmp_path_factory.mktemp("template") / "kertas_kerja.xlsx",
        region_name="Paser", districts=districts, villages=villages,
    )  # fmt: skip
    return openpyxl.load_workbook(out)


def header_row(sheet) -> int:
    return next(cell.row for cell in sheet["A"] if cell.value == "No")


def validation_for(sheet, header: str):
    """The data validation covering the first data cell under ``header``."""
    row = header_row(sheet)
    column = openpyxl.utils.get_column_letter([c.value for c in sheet[row]].index(header) + 1)
    found = [dv for dv in sheet.data_validations.dataValidation if f"{column}{row + 1}" in dv.sqref]
    assert len(found) == 1, header
    return found[0]


def test_reference_frames_hold_the_regions_districts_and_villages():
    districts, villages = template_reference_frames(PLACES_CSV)
    assert list(districts.columns) == ["code", "name"]
    assert list(villages.columns) == ["code", "name", "district_code", "district_name"]
    assert (len(districts), len(villages)) == (10, 144)
    assert villages["code"].is_monotonic_increasing


def test_template_has_instructions_data_and_reference_sheets_with_the_exact_headers(template):
    assert template.sheetnames == ["Petunjuk", "Data", "Referensi Wilayah"]
    data = template["Data"]
    assert data["A1"].value == "Kertas Kerja Masterplan Smart City — Kabupaten Paser"
    assert data["A2"].value == "Perangkat Daerah:"
    row = header_row(data)
    assert [c.value for c in data[row]] == list(HEADERS) == [
        "No", "Perangkat Daerah", "Dimensi", "Kategori (SWOT)", "Uraian Permasalahan", "Tingkat Urgensi",
        "Kecamatan", "Desa/Kelurahan", "Kode Wilayah", "Lintang", "Bujur", "Tahun", "Aspek Kesiapan",
        "Keterangan",
    ]  # fmt: skip
    assert data.freeze_panes == f"A{row + 1}"
    assert all(data.cell(r, 1).value is None for r in range(row + 1, row + 50))  # nothing pre-filled


def test_instructions_explain_dimensions_swot_urgency_location_and_formulas(template):
    text = " ".join(str(v) for row in template["Petunjuk"].iter_rows(values_only=True) for v in row if v)
    for word in [*DIMENSION_LABELS, "Kekuatan", "Kelemahan", "Peluang", "Ancaman", "Sangat tinggi", "Lokasi"]:
        assert word in text
    assert "Rumus (formula) Excel tidak dibaca" in text
    assert "Kode Wilayah" in text and "Lintang dan Bujur" in text and "Kecamatan saja" in text


def test_drop_downs_offer_what_the_intake_accepts(template):
    data = template["Data"]
    dimension = validation_for(data, "Dimensi")
    assert (dimension.type, dimension.formula1) == ("list", '"' + ",".join(DIMENSION_LABELS) + '"')
    swot = validation_for(data, "Kategori (SWOT)")
    assert (swot.type, swot.formula1) == ("list", '"Kekuatan,Kelemahan,Peluang,Ancaman"')
    urgency = validation_for(data, "Tingkat Urgensi")
    assert (urgency.type, urgency.operator, urgency.formula1, urgency.formula2) == (
        "whole",
        "between",
        "1",
        "5",
    )
    district = validation_for(data, "Kecamatan")
    assert (district.type, district.formula1) == ("list", "Daftar_Kecamatan")
    assert template.defined_names["Daftar_Kecamatan"].attr_text == "'Referensi Wilayah'!$B$2:$B$11"
    village = validation_for(data, "Desa/Kelurahan")
    assert village.type == "list" and "Daftar_Desa" in village.formula1  # all villages, or the district's
    assert template.defined_names["Daftar_Desa"].attr_text == "'Referensi Wilayah'!$E$2:$E$145"
    for header, low, high in (("Lintang", -11.5, 6.5), ("Bujur", 94.5, 141.5)):
        rule = validation_for(data, header)
        assert (rule.type, float(rule.formula1), float(rule.formula2)) == ("decimal", low, high)
    # every rule covers 1000 data rows
    first = header_row(data) + 1
    assert all(str(dv.sqref).endswith(f"{first + 999}") for dv in data.data_validations.dataValidation)


def test_reference_sheet_lists_10_districts_and_144_villages_by_code(template):
    sheet = template["Referensi Wilayah"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    districts = [(code, name) for code, name, *_ in rows if code]
    villages = [(code, name, district) for *_, code, name, district in rows if code]
    assert len(districts) == 10 and len(villages) == 144
    assert districts[0] == ("64.01.01", "Batu Sopang")
    assert [c for c, _ in districts] == sorted(c for c, _ in districts)
    assert [c for c, *_ in villages] == sorted(c for c, *_ in villages)
    assert ("64.01.04.2012", "Perepat", "Tanah Grogot") in villages
    assert all(isinstance(code, str) for code, *_ in villages)  # codes stay text


def test_template_is_reproducible(tmp_path):
    districts, villages = template_reference_frames(PLACES_CSV)
    first = write_template(tmp_path / "a.xlsx", region_name="Paser", districts=districts, villages=villages)
    second = write_template(tmp_path / "b.xlsx", region_name="Paser", districts=districts, villages=villages)
    assert first.read_bytes() == second.read_bytes()


# ------------------------------------------------------------------------------------------ feedback

FORMULA = '=HYPERLINK("http://contoh.invalid","klik")'
SCRIPT = "Promosi wisata minim <script>alert(1)</script>"


@pytest.fixture
def feedback(tmp_path) -> openpyxl.Workbook:
    """Four rows of an agency: rejected, kept with a warning, clean, clean with tricky text."""
    table = pd.DataFrame({
        "row_number": [5, 6, 7, 9],
        "Uraian Masalah": [FORMULA, "Jalan rusak", SCRIPT, "+62 811 000"],
        "Urgensi": ["6", None, "3", "-1"],
        "Keterangan": ["@dinas", None, "-", "\tcatatan\x07"],
    })  # fmt: skip
    findings = {
        # no location rejects the row; an unreadable urgency is only a warning (3 assumed)
        5: [Reason("default_swot"), Reason("unreadable_severity", "Urgensi", "6"), Reason("no_location")],
        6: [Reason("default_severity")],
    }
    out = write_feedback(
        tmp_path / "umpan_balik.xlsx", table, ["Uraian Masalah", "Urgensi", "Keterangan"], findings
    )
    return openpyxl.load_workbook(out)


def header_line(sheet) -> int:
    """The row number of a feedback sheet's header (under its what-to-do block)."""
    return next(c.row for c in sheet["A"] if c.value == NOTES_HEADER)


def feedback_table(sheet) -> list[tuple]:
    """A feedback sheet's header and rows, without the block above them."""
    return list(sheet.iter_rows(min_row=header_line(sheet), values_only=True))


def test_feedback_copies_the_rows_under_their_headers_with_indonesian_notes(feedback):
    rows = feedback_table(feedback["Data"])
    assert rows[0] == (NOTES_HEADER, "Baris asal", "Uraian Masalah", "Urgensi", "Keterangan")
    assert [r[2] for r in rows[1:]] == [FORMULA, "Jalan rusak", SCRIPT, "+62 811 000"]
    assert [r[1] for r in rows[1:]] == ["5", "6", "7", "9"]  # each row's number in its own sheet
    # blocking first, then the warning, joined with "; "
    assert rows[1][0] == (
        "Lokasi kosong: isi kode wilayah, koordinat, desa/kelurahan atau kecamatan; Kategori SWOT kosong: "
        "dianggap Kelemahan; '6' bukan tingkat urgensi: dianggap 3 (sedang). Isi angka 1 sampai 5 atau "
        "sangat rendah/rendah/sedang/tinggi/sangat tinggi (kolom Urgensi)"
    )
    assert rows[2][0] == "Tingkat urgensi kosong: dianggap 3 (sedang)"
    assert rows[3][0] == rows[4][0] == OK_NOTE


def test_feedback_never_writes_a_formula_and_keeps_text_as_written(feedback):
    cells = [c for sheet in feedback for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type != "f" for c in cells)
    sheet = feedback["Data"]
    first = header_line(sheet) + 1
    assert (sheet[f"C{first}"].value, sheet[f"C{first}"].data_type) == (FORMULA, "s")
    assert sheet[f"C{first}"].quotePrefix  # Excel keeps it text even when edited
    assert sheet[f"E{first}"].value == "@dinas" and sheet[f"E{first}"].quotePrefix
    assert sheet[f"C{first + 2}"].value == SCRIPT  # HTML is the map's business to escape; here plain text
    assert sheet[f"E{first + 3}"].value == "\tcatatan"  # control characters Excel cannot store are dropped


def test_feedback_highlights_rejected_and_warned_rows(feedback):
    sheet = feedback["Data"]
    first = header_line(sheet) + 1
    fills = [sheet.cell(row, 1).fill.fgColor.rgb for row in range(first, first + 4)]
    assert fills[0].endswith(REJECTED_FILL.fgColor.rgb[-6:])
    assert fills[1].endswith(WARNING_FILL.fgColor.rgb[-6:])
    assert sheet.cell(first + 2, 1).fill.fill_type is None and sheet.cell(first + 3, 1).fill.fill_type is None
    assert all(c.fill.fgColor.rgb == sheet[f"A{first}"].fill.fgColor.rgb for c in sheet[first])  # whole row


def test_feedback_summary_counts_rows(feedback):
    summary = dict(feedback["Ringkasan"].iter_rows(min_row=2, max_row=5, values_only=True))
    assert summary == {"Baris data": 4, "Diterima": 3, "Ditolak": 1, "Diterima dengan peringatan": 1}
    kinds = [label for label, _ in feedback["Ringkasan"].iter_rows(min_row=8, values_only=True)]
    assert kinds[0].startswith("Ditolak: Lokasi kosong")
    assert "Peringatan: … bukan tingkat urgensi: dianggap 3 (sedang). Isi angka 1 sampai 5" in " ".join(kinds)


def test_a_large_sheet_is_answered_with_its_rows_that_have_a_note(tmp_path):
    """Over FULL_COPY_ROWS data rows, only the rows with a note come back (each with its row number in
    the agency's sheet), and the summary still counts every row and says why the list is short."""
    from smartcity.intake.answer.feedback import FULL_COPY_ROWS

    n = FULL_COPY_ROWS + 5
    table = pd.DataFrame({"row_number": range(3, n + 3), "Uraian": [f"masalah {k}" for k in range(n)]})
    findings = {7: [Reason("missing_dimension", "Dimensi")], n + 1: [Reason("default_severity")]}
    book = openpyxl.load_workbook(write_feedback(tmp_path / "besar.xlsx", table, ["Uraian"], findings))
    rows = feedback_table(book["Data"])
    assert [(r[1], r[0][:5]) for r in rows[1:]] == [("7", "Dimen"), (str(n + 1), "Tingk")]
    summary = {label: value for label, value in book["Ringkasan"].iter_rows(values_only=True) if label}
    assert (summary["Baris data"], summary["Ditolak"], summary["Diterima dengan peringatan"]) == (n, 1, 1)
    assert any("hanya baris yang diberi catatan" in label for label in summary)


def test_feedback_keeps_duplicate_headers_by_position_and_checks_their_number(tmp_path):
    table = pd.DataFrame({"row_number": [2], "Keterangan": ["a"], "Keterangan (2)": ["b"]})
    out = write_feedback(tmp_path / "f.xlsx", table, ["Keterangan", "Keterangan"], {})
    assert feedback_table(openpyxl.load_workbook(out)["Data"])[0] == (
        NOTES_HEADER, "Baris asal", "Keterangan", "Keterangan",
    )  # fmt: skip
    with pytest.raises(ValueError, match="1 headers for 2 columns"):
        write_feedback(tmp_path / "g.xlsx", table, ["Keterangan"], {})


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"), ("+62 811", "'+62 811"), ("-", "'-"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"), ("\r=cmd", "'\r=cmd"), ("\uff1d1+1", "'\uff1d1+1"),
        ("-1.9123", "-1.9123"), ("+116,2", "+116,2"), ("Jalan rusak", "Jalan rusak"), ("", ""),
    ],
)  # fmt: skip
def test_neutralise_prefixes_formula_triggers_but_leaves_numbers(text, safe):
    assert neutralise(text) == safe


# ------------------------------------------------------------------------------------------ demo


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("make_demo_worksheets", GEODATA / "make_demo_worksheets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def demo(generator):
    return generator.build_demo()


@pytest.fixture(scope="module")
def written(generator, tmp_path_factory):
    return generator.write_demo(tmp_path_factory.mktemp("demo"))


def test_demo_has_eight_agencies_all_dimensions_and_mostly_weaknesses(demo):
    assert len(demo) == 8 and len({agency.name for agency, _ in demo}) == 8
    rows = [row for _, rows in demo for row in rows]
    assert 100 <= len(rows) <= 300
    assert {row.dimension for row in rows} - {None} == {
        "governance", "branding", "economy", "living", "society", "environment",
    }  # fmt: skip
    swot = pd.Series([(row.swot or "").lower() for row in rows]).value_counts()
    assert swot.index[0] == "kelemahan" and swot["kelemahan"] > len(rows) / 2
    assert {"peluang", "ancaman", "kekuatan"} <= set(swot.index)


def test_demo_plants_each_mistake_the_demo_shows(demo):
    flaws = {row.flaw for _, rows in demo for row in rows}
    assert flaws - {None} == {
        "dimension_kesehatan", "urgency_6", "missing_description", "swapped_coordinates",
        "village_in_wrong_district", "misspelt_village", "blank_row_before", "formula_cell", "script_tag",
        "unknown_code_with_names", "formula_text",
    }  # fmt: skip
    rows = {row.flaw: row for _, rows in demo for row in rows}
    assert rows["dimension_kesehatan"].dimension_text == "Kesehatan"
    assert rows["urgency_6"].severity == 6 and rows["missing_description"].description is None
    assert rows["swapped_coordinates"].lat > 100 and rows["swapped_coordinates"].lon < 0
    assert "<script>alert(1)</script>" in rows["script_tag"].description
    assert rows["formula_cell"].description.startswith("=HYPERLINK(")
    assert rows["formula_text"].description.startswith("=HYPERLINK(")


def test_clean_demo_rows_name_real_places(demo):
    places = pd.read_csv(PLACES_CSV, dtype=str).set_index("code")
    aliases = pd.read_csv(GEODATA / "sources" / "paser_aliases.csv", dtype=str).groupby("code")["alias"]
    spellings = {code: aliases_for(places.at[code, "name"], aliases.get_group(code) if code in aliases.groups
                                   else ()) for code in places.index}  # fmt: skip
    for _, rows in demo:
        for row in (r for r in rows if r.flaw is None):
            district = row.place_code[:8]
            if row.code:
                assert normalise_code(row.code) == row.place_code
            if row.village:
                assert normalise_name(row.village) in spellings[row.place_code], row
            if row.district:
                assert normalise_name(row.district) in spellings[district], row


def test_demo_points_lie_inside_their_village(demo):
    """Points are the village centroid plus under 100 m: inside the official polygon the demo loads."""
    layers = [DATA / "boundaries" / "paser_desa_kelurahan.geojson"]
    points = [row for _, rows in demo for row in rows if row.lat is not None and row.place_code]
    assert len(points) >= 30
    for layer in layers:
        cells = {
            f["properties"]["kode"]: shape(f["geometry"]) for f in json.loads(layer.read_text())["features"]
        }
        outside = [r for r in points if not cells[r.place_code].contains(Point(r.lon, r.lat))]
        assert outside == [], layer.name


def test_demo_generator_is_byte_for_byte_reproducible_and_matches_the_shipped_files(
    generator, written, tmp_path
):
    again = generator.write_demo(tmp_path)
    assert [p.name for p in written] == [p.name for p in again]
    for path in written:
        assert path.read_bytes() == (tmp_path / path.name).read_bytes(), path.name
        assert path.read_bytes() == (SHIPPED_WORKSHEETS / path.name).read_bytes(), f"regenerate {path.name}"
    assert sum(p.stat().st_size for p in written) < 200_000


def test_demo_files_come_in_the_formats_agencies_send(written):
    suffixes = sorted(p.suffix for p in written)
    assert suffixes.count(".xlsx") == 6 and suffixes.count(".csv") == 2
    by_name = {p.name: p for p in written}
    # the official template, filled in, with a real formula typed into a description
    kominfo = openpyxl.load_workbook(by_name["diskominfostaper.xlsx"])
    assert kominfo.sheetnames == ["Petunjuk", "Data", "Referensi Wilayah"] and kominfo.active.title == "Data"
    formulas = [c for row in kominfo["Data"].iter_rows() for c in row if c.data_type == "f"]
    assert [c.value for c in formulas] == ['=HYPERLINK("https://contoh.invalid/blankspot","Peta blank spot")']
    # home-made layouts: merged titles and other header words
    pupr = openpyxl.load_workbook(by_name["dinas_pupr.xlsx"]).active
    assert pupr.merged_cells.ranges and "Uraian Masalah" in [c.value for c in pupr[5]]
    assert "Dimensi Smart City" in [c.value for c in pupr[5]] and "Urgensi" in [c.value for c in pupr[5]]
    education = openpyxl.load_workbook(by_name["dinas_pendidikan.xlsx"]).active
    assert "KODE DESA" in [c.value for c in education[4]] and education["A2"].value == "OPD: Dinas Pendidikan"
    # a ;-separated Windows-1252 CSV and a UTF-8 CSV with decimal commas
    transport = by_name["dinas_perhubungan.csv"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        transport.decode("utf-8")
    lines = list(csv.reader(io.StringIO(transport.decode("cp1252")), delimiter=";"))
    assert lines[0][:3] == ["No", "OPD", "Uraian Permasalahan"] and any(
        "—" in "".join(line) for line in lines
    )
    environment = list(csv.reader(io.StringIO(by_name["dlh.csv"].read_text(encoding="utf-8-sig"))))
    assert environment[0][0] == "Instansi: Dinas Lingkungan Hidup"
    latitudes = [row[environment[1].index("Lintang")] for row in environment[2:]]
    assert any("," in value and value.startswith("-") for value in latitudes)
    assert any(row[1].startswith("=HYPERLINK(") for row in environment[2:])  # text, in a CSV
