"""Reading agency worksheets: given a file as an OPD types it, these rows and columns come out."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from smartcity.intake.read.worksheet_headers import ROLE_ALIASES
from smartcity.intake.read.worksheets import read_worksheet
from smartcity.platform.errors import InputError


def write_xlsx(path: Path, rows: list[list], *, merges=(), sheet="Data", before=(), after=()) -> Path:
    """A workbook whose sheet ``sheet`` holds ``rows`` from A1; ``before``/``after`` add other sheets."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, other_rows in before:
        other = book.create_sheet(name)
        for row in other_rows:
            other.append(row)
    data = book.create_sheet(sheet)
    for row in rows:
        data.append(row)
    for cell_range in merges:
        data.merge_cells(cell_range)
    for name, other_rows in after:
        other = book.create_sheet(name)
        for row in other_rows:
            other.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list], *, delimiter=",", encoding="utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def records(sheet) -> list[dict]:
    return sheet.table.to_dict("records")


HEADER = ["No", "Uraian Permasalahan", "Dimensi", "Kecamatan", "Desa"]


# ------------------------------------------------------------------------------- header and titles
def test_title_rows_and_merged_titles_above_the_header_are_skipped(tmp_path):
    rows = [
        ["KERTAS KERJA PERMASALAHAN SMART CITY"],
        ["KABUPATEN PASER TAHUN 2025"],
        ["Perangkat Daerah: Dinas Kesehatan"],
        [],
        HEADER,
        [1, "Puskesmas kekurangan tenaga", "Living", "Tanah Grogot", "Tanah Grogot"],
        [2, "Sinyal lemah", "Governance", "Muara Komam", "Muara Komam"],
    ]
    path = write_xlsx(tmp_path / "dinkes.xlsx", rows, merges=["A1:E1", "A2:E2"])
    sheet = read_worksheet(path)
    assert sheet.source == "dinkes.xlsx"
    assert sheet.header_row == 5
    assert sheet.agency_hint == "Dinas Kesehatan"
    assert sheet.roles == {
        "description": "Uraian Permasalahan", "dimension": "Dimensi",
        "district": "Kecamatan", "village": "Desa",
    }  # fmt: skip
    assert list(sheet.table.columns) == ["row_number", *HEADER]
    assert sheet.table["row_number"].tolist() == [6, 7]
    assert sheet.table["Uraian Permasalahan"].tolist() == ["Puskesmas kekurangan tenaga", "Sinyal lemah"]
    assert sheet.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


ALIAS_CASES = [(role, alias) for role, aliases in ROLE_ALIASES.items() for alias in aliases]


@pytest.mark.parametrize(("role", "alias"), ALIAS_CASES, ids=[f"{r}-{a}" for r, a in ALIAS_CASES])
def test_every_alias_of_every_role_is_recognised(tmp_path, role, alias):
    header = {"description": [alias, "Dimensi"], "dimension": ["Uraian", alias]}.get(
        role, ["Uraian", "Dimensi", alias]
    )
    path = write_xlsx(tmp_path / "w.xlsx", [header, ["x"] * len(header)])
    assert read_worksheet(path).roles[role] == alias


@pytest.mark.parametrize(
    "header",
    ["Uraian Permasalahan", "URAIAN_PERMASALAHAN", "uraian permasalahan:", " Uraian\nPermasalahan ",
     "Uraian-Permasalahan.", "Permasalahn"],
)  # fmt: skip
def test_header_matching_ignores_case_spaces_punctuation_and_small_misspellings(tmp_path, header):
    path = write_xlsx(tmp_path / "w.xlsx", [[header, "DIMENSI SMART CITY"], ["Jalan rusak", "Living"]])
    sheet = read_worksheet(path)
    column = sheet.roles["description"]
    assert column == " ".join(header.split())  # the column keeps the header as written
    assert sheet.table[column].tolist() == ["Jalan rusak"]


def test_parenthesised_hints_and_two_names_for_one_role(tmp_path):
    header = ["Uraian", "Permasalahan", "Dimensi", "Tingkat Urgensi (1-5)", "Kecamtan", "Bujur (X)"]
    path = write_xlsx(tmp_path / "w.xlsx", [header, ["detail", "Banjir", "Living", 4, "Batu Sopang", 116.2]])
    roles = read_worksheet(path).roles
    assert roles["description"] == "Permasalahan"  # the better-ranked name wins over 'Uraian'
    assert roles["severity"] == "Tingkat Urgensi (1-5)"
    assert roles["district"] == "Kecamtan"
    assert roles["lon"] == "Bujur (X)"


def test_header_is_the_row_recognising_most_roles(tmp_path):
    rows = [
        ["Uraian singkat"],
        ["Masalah", "Dimensi"],
        ["No", "Uraian", "Dimensi", "Kecamatan"],
        [1, "a", "Living", "x"],
    ]
    assert read_worksheet(write_xlsx(tmp_path / "w.xlsx", rows)).header_row == 3


def test_two_row_header_with_cells_merged_down_is_read_from_its_lower_row(tmp_path):
    rows = [
        ["No", "Uraian Permasalahan", "Dimensi", "Lokasi", None],
        [None, None, None, "Kecamatan", "Desa"],
        [1, "Banjir", "Environment", "Long Kali", "Long Kali"],
    ]
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:E1"]
    sheet = read_worksheet(write_xlsx(tmp_path / "w.xlsx", rows, merges=merges))
    assert sheet.header_row == 2
    assert set(sheet.roles) == {"description", "dimension", "district", "village"}
    assert records(sheet) == [
        {"row_number": 3, "No": "1", "Uraian Permasalahan": "Banjir", "Dimensi": "Environment",
         "Kecamatan": "Long Kali", "Desa": "Long Kali"},
    ]  # fmt: skip


def test_a_column_numbering_row_under_the_header_is_not_data(tmp_path):
    rows = [
        HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        [1, "Banjir", "Living", "Paser Belengkong", "Suliliran"],
    ]
    sheet = read_worksheet(write_xlsx(tmp_path / "w.xlsx", rows))
    assert sheet.table["row_number"].tolist() == [3]


def test_the_data_sheet_is_preferred_over_instructions_and_references(tmp_path):
    path = write_xlsx(
        tmp_path / "template.xlsx",
        [
            ["Perangkat Daerah", "Dinas Perhubungan"],
            HEADER,
            [1, "Angkot sedikit", "Living", "Kuaro", "Kuaro"],
        ],
        before=[
            ("Petunjuk", [["Isi kolom Uraian dan Dimensi"], ["Uraian", "Dimensi"], ["contoh", "Living"]])
        ],
        after=[("Referensi Dimensi", [["Dimensi", "Uraian"], ["Living", "..."]])],
    )
    sheet = read_worksheet(path)
    assert sheet.agency_hint == "Dinas Perhubungan"
    assert sheet.table["Uraian Permasalahan"].tolist() == ["Angkot sedikit"]


def test_first_sheet_with_a_header_is_read_when_none_is_named_data(tmp_path):
    path = write_xlsx(
        tmp_path / "w.xlsx", [["Uraian", "Dimensi"], ["Banjir", "Environment"]], sheet="Sheet2",
        before=[("Sheet1", [["Catatan untuk pengisi"]])],
    )  # fmt: skip
    assert read_worksheet(path).table["Uraian"].tolist() == ["Banjir"]


@pytest.mark.parametrize(
    "title_rows",
    [
        [["Perangkat Daerah: Dinas Kesehatan"]],
        [["Perangkat Daerah", "Dinas Kesehatan"]],
        [["OPD :", "Dinas Kesehatan"]],
        [["Instansi", ":", "Dinas Kesehatan"]],
        [["KERTAS KERJA"], [None, "Nama OPD", ": Dinas Kesehatan"]],
    ],
)
def test_agency_line_above_the_header_in_one_or_more_cells(tmp_path, title_rows):
    path = write_xlsx(tmp_path / "w.xlsx", [*title_rows, [], HEADER, [1, "a", "Living", "b", "c"]])
    assert read_worksheet(path).agency_hint == "Dinas Kesehatan"


def test_no_agency_line_gives_no_hint(tmp_path):
    assert read_worksheet(write_xlsx(tmp_path / "w.xlsx", [HEADER, [1, "a", "Living"]])).agency_hint is None


# ------------------------------------------------------------------------------- cells and rows
def test_a_district_merged_down_over_rows_is_filled_into_each_row(tmp_path):
    rows = [
        HEADER,
        [1, "Jalan rusak", "Living", "Tanah Grogot", "Tanah Grogot"],
        [2, "Drainase", "Environment", None, "Senaken"],
        [3, "Sampah", "Environment", None, "Tanah Periuk"],
        [4, "Pasar sepi", "Economy", "Kuaro", "Kuaro"],
        [],  # the Kuaro merge runs past the data: the empty rows it covers stay out
        [],
    ]
    sheet = read_worksheet(write_xlsx(tmp_path / "w.xlsx", rows, merges=["D2:D4", "D5:D7"]))
    assert sheet.table["Kecamatan"].tolist() == ["Tanah Grogot"] * 3 + ["Kuaro"]
    assert sheet.table["row_number"].tolist() == [2, 3, 4, 5]


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path):
    rows = [["Judul"], HEADER, [1, "a", "Living"], [], [None, "   ", None], [2, "b", "Society"], [], [3, "c"]]
    sheet = read_worksheet(write_xlsx(tmp_path / "w.xlsx", rows))
    assert sheet.table["row_number"].tolist() == [3, 6, 8]
    assert sheet.table["Dimensi"].tolist() == ["Living", "Society", None]


def test_cells_are_text_as_shown_never_evaluated(tmp_path):
    path = tmp_path / "w.xlsx"
    write_xlsx(
        path, [["Uraian", "Dimensi", "Keterangan"], ["=SUM(A1)", "+62812", "@foo"], ["-1,912", "-x", "a"]]
    )
    book = openpyxl.load_workbook(path)
    book["Data"]["A2"].data_type = "s"  # typed by an agency as text, not a formula
    book.save(path)
    sheet = read_worksheet(path)
    assert sheet.table["Uraian"].tolist() == ["=SUM(A1)", "-1,912"]
    assert sheet.table["Dimensi"].tolist() == ["+62812", "-x"]
    assert sheet.table["Keterangan"].tolist() == ["@foo", "a"]


def test_a_formula_gives_the_value_excel_cached_for_it(tmp_path):
    path = write_xlsx(
        tmp_path / "w.xlsx", [["Uraian", "Dimensi", "Jumlah"], ["a", "Living", 2], ["b", "Living", "=C2*3"]]
    )
    # openpyxl stores no cached value; put in the one Excel would have saved.
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet_xml = "xl/worksheets/sheet1.xml"
    assert b"<f>C2*3</f><v />" in parts[sheet_xml]
    parts[sheet_xml] = parts[sheet_xml].replace(b"<f>C2*3</f><v />", b"<f>C2*3</f><v>6</v>")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert read_worksheet(path).table["Jumlah"].tolist() == ["2", "6"]


def test_numbers_dates_and_booleans_read_as_the_cell_shows_them(tmp_path):
    rows = [
        ["Uraian", "Dimensi", "Urgensi", "Bujur", "Kode", "Tanggal", "Waktu", "Ya"],
        ["a", "Living", 3, 116.25, 6401042012, dt.date(2025, 1, 31), dt.datetime(2025, 1, 31, 10, 30), True],
        ["b", "Living", 3.0, -1.912, "0064", None, None, False],
    ]
    sheet = read_worksheet(write_xlsx(tmp_path / "w.xlsx", rows))
    assert records(sheet) == [
        {"row_number": 2, "Uraian": "a", "Dimensi": "Living", "Urgensi": "3", "Bujur": "116.25",
         "Kode": "6401042012", "Tanggal": "2025-01-31", "Waktu": "2025-01-31 10:30:00", "Ya": "TRUE"},
        {"row_number": 3, "Uraian": "b", "Dimensi": "Living", "Urgensi": "3", "Bujur": "-1.912",
         "Kode": "0064", "Tanggal": None, "Waktu": None, "Ya": "FALSE"},
    ]  # fmt: skip


def test_duplicate_and_empty_headers_get_unique_names(tmp_path):
    rows = [
        ["Uraian", "Dimensi", "Keterangan", None, "Keterangan", "Keterangan (2)", None, "row_number"],
        ["a", "Living", "k1", "tanpa judul", "k2", "k3", "  ", "r"],
    ]
    sheet = read_worksheet(write_xlsx(tmp_path / "w.xlsx", rows))
    # Names as written stay; a later twin is numbered; the 7th column (no header, no data) is dropped.
    assert list(sheet.table.columns) == [
        "row_number", "Uraian", "Dimensi", "Keterangan", "Kolom 4", "Keterangan (3)", "Keterangan (2)",
        "row_number (2)",
    ]  # fmt: skip
    assert sheet.roles["notes"] == "Keterangan"
    assert sheet.table.iloc[0].tolist() == [2, "a", "Living", "k1", "tanpa judul", "k2", "k3", "r"]


def test_table_columns_are_objects_with_none_for_empty(tmp_path):
    sheet = read_worksheet(
        write_xlsx(tmp_path / "w.xlsx", [["Uraian", "Dimensi", "Desa"], ["a", "Living", None]])
    )
    assert sheet.table["row_number"].dtype == "int64"
    assert sheet.table["Desa"].dtype == object
    assert sheet.table["Desa"].tolist() == [None]


def test_ods_worksheet(tmp_path):
    path = tmp_path / "dinas.ods"
    frame = pd.DataFrame(
        {"Uraian": ["Banjir rob", "Jalan"], "Dimensi": ["Environment", "Living"], "Lintang": [-1.9, 3]}
    )
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Data", index=False, startrow=2)
    sheet = read_worksheet(path)
    assert sheet.header_row == 3
    assert records(sheet) == [
        {"row_number": 4, "Uraian": "Banjir rob", "Dimensi": "Environment", "Lintang": "-1.9"},
        {"row_number": 5, "Uraian": "Jalan", "Dimensi": "Living", "Lintang": "3"},
    ]


def test_xls_worksheet_of_excel_97_2003_with_a_title_row_and_merged_cells(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Isian")
    sheet.write_merge(0, 0, 0, 3, "KERTAS KERJA SMART CITY")
    sheet.write(1, 0, "Perangkat Daerah: Dinas Perhubungan")
    for column, header in enumerate(["Uraian Permasalahan", "Dimensi", "Kecamatan", "Lintang"]):
        sheet.write(2, column, header)
    for column, value in enumerate(["Halte rusak", "Smart Living", None, -1.9065]):
        if value is not None:
            sheet.write(3, column, value)
    sheet.write_merge(3, 4, 2, 2, "Kuaro")  # one district for a block of rows
    for column, value in enumerate(["=1+1", "GOV"]):
        sheet.write(4, column, value)
    path = tmp_path / "dishub.xls"
    book.save(str(path))
    read = read_worksheet(path)
    assert (read.header_row, read.agency_hint) == (3, "Dinas Perhubungan")
    assert records(read) == [
        {"row_number": 4, "Uraian Permasalahan": "Halte rusak", "Dimensi": "Smart Living",
         "Kecamatan": "Kuaro", "Lintang": "-1.9065"},
        {"row_number": 5, "Uraian Permasalahan": "=1+1", "Dimensi": "GOV", "Kecamatan": "Kuaro",
         "Lintang": None},
    ]  # fmt: skip


# ------------------------------------------------------------------------------- CSV
def test_windows_1252_semicolon_csv(tmp_path):
    rows = [["Perangkat Daerah: Bappeda"], ["Kecamatan", "Desa", "Uraian", "Dimensi", "Lintang"],
            ["Tanah Grogot", "Senaken", "Café dan pasar", "Economy", "-1,912"]]  # fmt: skip
    sheet = read_worksheet(write_csv(tmp_path / "bappeda.csv", rows, delimiter=";", encoding="cp1252"))
    assert sheet.agency_hint == "Bappeda"
    assert sheet.header_row == 2
    assert records(sheet) == [
        {"row_number": 3, "Kecamatan": "Tanah Grogot", "Desa": "Senaken", "Uraian": "Café dan pasar",
         "Dimensi": "Economy", "Lintang": "-1,912"},
    ]  # fmt: skip


def test_utf8_bom_comma_csv(tmp_path):
    rows = [["Uraian Permasalahan", "Dimensi", "Bujur"], ["Jalan, jembatan", "Living", "116,2"]]
    sheet = read_worksheet(write_csv(tmp_path / "w.csv", rows, encoding="utf-8-sig"))
    assert sheet.roles["description"] == "Uraian Permasalahan"  # no BOM glued to the first header
    assert sheet.table.iloc[0].tolist() == [2, "Jalan, jembatan", "Living", "116,2"]


def test_tab_separated_txt_and_excel_unicode_text(tmp_path):
    rows = [["Uraian", "Dimensi", "Kecamatan"], ["Air bersih", "Living", "Long Ikis"]]
    for name, encoding in (("w.txt", "utf-8"), ("unicode.txt", "utf-16")):
        sheet = read_worksheet(write_csv(tmp_path / name, rows, delimiter="\t", encoding=encoding))
        assert sheet.table.iloc[0].tolist() == [2, "Air bersih", "Living", "Long Ikis"], name


def test_csv_rows_are_physical_line_numbers_with_quoted_newlines_and_blank_lines(tmp_path):
    text = (
        "Data permasalahan OPD\r\n"
        "\r\n"
        'Uraian,Dimensi,"Ket\r\nerangan"\r\n'
        '"Baris satu\r\nlanjut",Living,a\r\n'
        "\r\n"
        ",,\r\n"
        "   ,Society,c\r\n"  # a cell of spaces is empty (a lone "Society" would be a section row)
        "Tiga,Economy,b\r\n"
    )
    path = tmp_path / "w.csv"
    path.write_bytes(text.encode())
    sheet = read_worksheet(path)
    assert sheet.header_row == 3
    assert sheet.table["row_number"].tolist() == [5, 9, 10]
    assert sheet.table["Uraian"].tolist() == ["Baris satu\r\nlanjut", None, "Tiga"]


def test_csv_text_is_kept_as_typed(tmp_path):
    rows = [
        ["Uraian", "Dimensi", "Kode", "Lintang"],
        ["=SUM(A1)", "+62812", "007", "-1,912"],
        ["@foo", "Living", "", ""],
    ]
    sheet = read_worksheet(write_csv(tmp_path / "w.csv", rows, delimiter=";"))
    assert sheet.table.iloc[0].tolist() == [2, "=SUM(A1)", "+62812", "007", "-1,912"]
    assert sheet.table.iloc[1].tolist() == [3, "@foo", "Living", None, None]


def test_csv_rows_longer_than_the_header_keep_their_extra_cells(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("Uraian;Dimensi\na;Living\nb;Society;lebih;\n")
    sheet = read_worksheet(path)
    assert list(sheet.table.columns) == ["row_number", "Uraian", "Dimensi", "Kolom 3"]
    assert sheet.table["Kolom 3"].tolist() == [None, "lebih"]


def test_csv_with_excel_sep_line_and_windows_1252_after_the_first_64_kib(tmp_path):
    lines = ["sep=;", "Uraian;Dimensi"] + [f"masalah {i};Living" for i in range(8000)] + ["kafé;Living"]
    path = tmp_path / "w.csv"
    path.write_bytes("\n".join(lines).encode("cp1252"))
    sheet = read_worksheet(path)
    assert len(sheet.table) == 8001
    assert sheet.table["Uraian"].iloc[-1] == "kafé"
    assert sheet.table["row_number"].iloc[-1] == 8003


# ------------------------------------------------------------------------------- files that cannot be used
def test_truncated_xlsx_is_one_line_input_error(tmp_path):
    path = write_xlsx(tmp_path / "rusak.xlsx", [HEADER, [1, "a", "Living", "b", "c"]])
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(InputError) as caught:
        read_worksheet(path)
    message = str(caught.value)
    assert message.startswith("rusak.xlsx: not a readable spreadsheet (truncated or corrupt)")
    assert "\n" not in message


@pytest.mark.parametrize("name", ["kosong.csv", "kosong.xlsx"])
def test_empty_file_is_input_error(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(InputError, match=rf"^{name}: the file is empty$"):
        read_worksheet(tmp_path / name)


def test_no_description_header_names_the_accepted_names(tmp_path):
    path = write_xlsx(tmp_path / "w.xlsx", [["No", "Judul", "Dimensi"], [1, "a", "Living"]])
    expected = (
        "w.xlsx: no sheet has a header row with a description column "
        "(permasalahan, uraian, masalah, issue, description) in its first 20 rows"
    )
    with pytest.raises(InputError) as caught:
        read_worksheet(path)
    assert str(caught.value) == expected
    assert caught.value.code == "no_description_column"  # the agency's feedback explains it


def test_header_beyond_row_20_is_not_found(tmp_path):
    rows = [[f"catatan {i}"] for i in range(20)] + [["Uraian", "Dimensi"], ["a", "Living"]]
    with pytest.raises(InputError, match="no sheet has a header row"):
        read_worksheet(write_csv(tmp_path / "w.csv", rows))


def test_header_without_dimension_names_the_accepted_names(tmp_path):
    path = write_csv(tmp_path / "w.csv", [["Uraian", "Kecamatan"], ["a", "b"]])
    with pytest.raises(InputError, match=r"^w\.csv: .*row 1.*dimensi, dimensi smart city, dimension"):
        read_worksheet(path)


def test_unknown_extension_and_missing_file(tmp_path):
    (tmp_path / "w.exe").write_bytes(b"MZ")
    with pytest.raises(InputError, match=r"^w\.exe: jenis berkas \.exe tidak dikenal: kirim lembar kerja"):
        read_worksheet(tmp_path / "w.exe")
    (tmp_path / "w.pdf").write_bytes(b"%PDF-1.4")  # a PDF the reader cannot open: its own reason
    with pytest.raises(InputError, match=r"^w\.pdf: not a readable PDF"):
        read_worksheet(tmp_path / "w.pdf")
    with pytest.raises(InputError, match=r"^hilang\.xlsx: cannot read the file"):
        read_worksheet(tmp_path / "hilang.xlsx")


def test_a_csv_renamed_xlsx_is_not_a_readable_spreadsheet(tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_text("Uraian,Dimensi\na,Living\n")
    with pytest.raises(InputError, match=r"^w\.xlsx: not a readable spreadsheet"):
        read_worksheet(path)


def test_an_unclosed_quote_in_a_csv_names_its_line(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text('Uraian;Dimensi\na;Living\n"b;Living\nc;Living\n')
    with pytest.raises(
        InputError, match=r'^w\.csv: not a readable CSV file: a quote \("\) opened near line 3 '
    ):
        read_worksheet(path)


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("Smart Governance", {"dimension": "Smart Governance"}),
        ("2. Smart Economy", {"dimension": "Smart Economy"}),
        ("Economy 2", {"dimension": "Economy"}), ("Living (2)", {"dimension": "Living"}),
        ("Tata Kelola", {"dimension": "Tata Kelola"}), ("Kekuatan", {"swot": "Kekuatan"}),
        ("Living - Peluang", {"dimension": "Living", "swot": "Peluang"}),
        ("Sheet1", {}), ("Data 2", {}), ("2025", {}),
        ("Lingkungan Hidup", {}),  # ambiguous: living or environment
    ],
)  # fmt: skip
def test_a_sheets_name_gives_the_dimension_or_the_swot_category(name, values):
    from smartcity.intake.read.worksheets import values_from_sheet_name

    assert values_from_sheet_name(name) == values


@pytest.mark.parametrize(
    ("name", "visible", "why"),
    [
        ("Data", True, None), ("Rekap", True, "summary"), ("REKAPITULASI 2025", True, "summary"),
        ("Petunjuk Pengisian", True, "summary"), ("Daftar Desa", True, "summary"),
        ("Daftar Permasalahan", True, None), ("Referensi Wilayah", True, "summary"),
        ("Contoh", True, "summary"),
        ("Smart Living", False, "hidden"),
    ],
)  # fmt: skip
def test_sheets_passed_over_by_their_name_or_because_hidden(name, visible, why):
    from smartcity.intake.read.worksheet_sheets import sheet_passed_over

    assert sheet_passed_over(name, visible) == why
