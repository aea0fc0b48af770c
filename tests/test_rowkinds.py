"""Rows under the header that are not data: given these rows, these are numbering, totals, notes,
signatures or untouched template rows, and every row that reads like a problem stays data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.intake.read.rowkinds import SKIP_REASONS, classify_rows

# the official worksheet's columns (smartcity.intake.answer.template), in sheet order, and their roles
COLUMNS = (
    "no", "agency", "dimension", "swot", "description", "severity", "district", "village", "code", "lat",
    "lon", "year", "notes",
)  # fmt: skip
ROLES = {name: j for j, name in enumerate(COLUMNS) if name != "no"}
WIDTH = len(COLUMNS)
SIGNATURE = [
    {"village": "Tana Paser, 12 Mei 2025"},
    {"village": "Kepala Dinas Kesehatan"},
    {"village": "dr. H. AMIR SYARIFUDDIN, M.Kes"},
    {"village": "Pembina Utama Muda (IV/c)"},
    {"village": "NIP. 19700101 199503 1 001"},
]


def data(k: int, **cells: str) -> dict:
    """A complete data row numbered ``k``, with ``cells`` (column name -> text) instead of the defaults."""
    row = {"no": str(k), "agency": "Dinas Kesehatan", "dimension": "Smart Living", "swot": "Kelemahan",
           "description": f"Puskesmas {k} kurang dokter", "severity": "4",
           "district": "Tanah Grogot"}  # fmt: skip
    return {**row, **cells}


def cells_of(rows: list[dict]) -> list[np.ndarray]:
    """Object columns of a sheet whose rows map a column name (or index) to its text."""
    columns = [np.full(len(rows), None, dtype=object) for _ in range(WIDTH)]
    for i, row in enumerate(rows):
        for column, text in row.items():
            columns[column if isinstance(column, int) else COLUMNS.index(column)][i] = text
    return columns


def kinds(rows: list[dict], roles: dict[str, int] = ROLES) -> list[str | None]:
    out = classify_rows(cells_of(rows), roles)
    assert out.dtype == object and len(out) == len(rows)
    return out.tolist()


def kind(row: dict) -> str | None:
    """The kind of ``row`` between two data rows (so no trailing block can make it a signature)."""
    return kinds([data(1), row, data(2)])[1]


def test_skip_reasons_name_every_kind_in_english_and_indonesian():
    assert set(SKIP_REASONS) == {
        "numbering",
        "total",
        "note",
        "signature",
        "empty_template",
        "section",
        "legend",
    }
    assert all(english and indonesian for english, indonesian in SKIP_REASONS.values())


# --- the whole sheet -----------------------------------------------------------------------------------


def test_a_worksheet_as_agencies_make_it():
    rows = [
        {column: f"({j + 1})" for j, column in enumerate(COLUMNS)},
        data(1),
        data(2, description="Jumlah tenaga kesehatan kurang", district="Kuaro"),
        data(3, description="Catatan sipil belum online", dimension="Smart Governance", district=None),
        data(4, description="dr. H. AMIR SYARIFUDDIN, M.Kes belum punya STR", district=None, lat="-1.9",
             lon="116.2"),
        data(5, description="Sampah menumpuk", dimension="ENV"),
        {"no": "JUMLAH", "severity": "19"},
        {"no": "Keterangan:", "description": "Urgensi 1 = sangat rendah sampai 5 = sangat tinggi"},
        *SIGNATURE,
    ]  # fmt: skip
    assert kinds(rows) == ["numbering", None, None, None, None, None, "total", "note", *["signature"] * 5]


def test_a_sheet_of_data_only_is_all_data():
    assert kinds([data(k) for k in range(1, 30)]) == [None] * 29


def test_empty_sheet_and_no_columns():
    assert kinds([]) == []
    assert classify_rows([], ROLES).tolist() == []


# --- numbering -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({c: f"({j + 1})" for j, c in enumerate(COLUMNS)}, "numbering"),
        ({c: str(j + 1) for j, c in enumerate(COLUMNS)}, "numbering"),
        ({c: f"{j + 1}." for j, c in enumerate(COLUMNS)}, "numbering"),
        ({"no": "1", "dimension": "3", "description": "5", "district": "7"}, "numbering"),  # merged columns
        ({"no": "(1)", "agency": "(2)", "dimension": "(3)"}, "numbering"),
        ({"no": "1", "swot": "2"}, None),  # two numbers are no numbering row
        ({"no": "3", "agency": "2", "dimension": "1"}, None),  # not in order
        ({c: f"({j + 1})" for j, c in enumerate(COLUMNS)} | {"description": "(5) Uraian"}, None),
        ({c: str(j + 1) for j, c in enumerate(COLUMNS)} | {"year": "2025"}, None),
    ],
)
def test_numbering_row(row, expected):
    assert kind(row) == expected


# --- totals --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        {"no": "JUMLAH", "severity": "19"},
        {"no": "Jumlah", "severity": "19", "year": "2025", "lat": "12", "lon": "3", "notes": "7"},
        {"no": "TOTAL"},
        {"description": "Total :", "severity": "27"},
        {"no": "Sub Total", "severity": "8"},
        {"no": "SUB-TOTAL", "severity": "8"},
        {"no": "Subtotal", "severity": "8"},
        {"no": "Jumlah Total", "severity": "8"},
        {"no": "GRAND TOTAL", "severity": "8"},
        {"no": "Jumlah Keseluruhan", "severity": "8"},
        {"no": "  jumlah   ", "severity": "8"},
        {"no": "Jumlah I"},
        {"no": "12", "description": "JUMLAH", "severity": "40"},
        {"agency": "Jumlah", "swot": "5 permasalahan"},  # whatever follows the word
    ],
)
def test_total_row(row):
    assert kind(row) == "total"


@pytest.mark.parametrize(
    "row",
    [
        data(3, description="Jumlah sekolah rusak bertambah"),
        data(3, description="Jumlah tenaga kesehatan kurang", dimension=None),  # placed by its district
        data(3, description="Total", dimension="Smart Economy"),  # data-shaped: data, however short
        {"no": "4", "description": "Jumlah sekolah rusak bertambah"},  # no dimension: rejected, not skipped
        {"description": "Total anggaran belum cukup", "severity": "5"},
        {"description": "Subsidi pupuk terlambat", "severity": "3"},
    ],
)
def test_rows_about_a_number_of_things_are_not_totals(row):
    assert kind(row) is None


# --- notes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        {"no": "Keterangan:"},
        {"no": "Keterangan", "description": "Urgensi 1-5"},
        {"no": "KETERANGAN :", "description": "1 = sangat rendah"},
        {"no": "Catatan: data per Mei 2025"},
        {"description": "Catatan : lokasi belum lengkap"},
        {"no": "Ket:", "description": "S = Kekuatan, W = Kelemahan"},
        {"no": "Ket.", "description": "diisi oleh OPD"},
        {"no": "Sumber: Dinas Kesehatan 2024"},
        {"no": "*) data sementara"},
        {"no": "**) belum diverifikasi"},
        {"no": "Note: preliminary"},
        {"no": "NB: kirim paling lambat 30 Mei"},
        {"no": "(*) angka sementara"},
    ],
)
def test_note_row(row):
    assert kind(row) == "note"


def test_a_note_goes_on_over_its_list_but_not_over_data():
    rows = [
        data(1),
        {"no": "Keterangan:"},
        {"no": "1. Urgensi diisi angka 1 sampai 5"},
        {"description": "2) Kategori SWOT: S, W, O, T"},
        {"no": "- Kode wilayah: lihat lembar referensi"},
        {"no": "a. Koordinat dalam derajat desimal"},
        data(2),
        {"no": "3. Lanjutan setelah data"},
    ]
    assert kinds(rows) == [None, "note", "note", "note", "note", "note", None, None]


@pytest.mark.parametrize(
    "row",
    [
        data(3, description="Catatan sipil belum online", dimension="Smart Governance"),
        data(3, description="Keterangan: jalan putus", district=None),  # dimension: data
        {"description": "Catatan sipil belum online", "severity": "4"},  # no colon: no note
        {"description": "Sumber air bersih kurang"},
        {"description": "Ketersediaan obat terbatas"},
        {"description": "Notebook sekolah rusak"},
        {"no": "Keterangan:", "agency": "x", "swot": "y", "description": "z", "severity": "5"},  # not sparse
    ],
)
def test_rows_that_start_like_a_note_but_are_not_one(row):
    assert kind(row) is None


# --- signatures ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "block",
    [
        SIGNATURE,
        [{"village": "Tanah Grogot,    Juni 2025"}, {"village": "Kepala Bappeda"},
         {"village": "Ir. Budi Santoso, MT"}, {"village": "NIP 197001011995031001"}],
        [{"description": "Paser, 2025-05-12"}, {"description": "Plt. Kepala Dinas PUPR"},
         {"description": "BUDI SANTOSO, S.T."}, {"description": "Penata Tk. I"}],
        [{"description": "Mengetahui,", "lon": "Tana Paser, 12 Mei 2025"},  # two signers: under Uraian, Bujur
         {"description": "a.n. Bupati Paser", "lon": "Kepala Dinas Kesehatan"},
         {"description": "Sekretaris Daerah"},
         {"description": "H. Katsul Wijaya, S.Sos", "lon": "dr. H. AMIR SYARIFUDDIN, M.Kes"},
         {"description": "NIP. 19681010 199003 1 005", "lon": "NIP. 19700101 199503 1 001"}],
        [{"village": "Tana Paser,", "code": "12 Mei 2025"}, {"village": "Kepala Dinas Kesehatan"},
         {"village": "Amir Syarifuddin"}, {"village": "NIP."}],  # place and date over two cells
        [{"village": "Tana Paser, ............ 2025"}, {"village": "Kepala Dinas"}],  # the day left blank
        [{"village": "Kepala Dinas Kesehatan"}, {"village": "dr. Amir Syarifuddin"},
         {"village": "Pembina (IV/a)"}],  # a title confirmed by the lines below it
        [{"description": "Sekretaris"}, {"description": "AMIR SYARIFUDDIN"}],
        [{"village": "Amir Syarifuddin"}, {"village": "NIP. 19700101 199503 1 001"}],  # a name above a NIP
        [{"village": "Menyetujui:"}, {"village": "Camat Tanah Grogot"}],
        [{"agency": "Dibuat oleh,"}, {"agency": "Operator SPBE"}, {"agency": "Rina"}],
    ],
)  # fmt: skip
def test_signature_block_at_the_end(block):
    assert kinds([data(1), data(2), *block]) == [None, None, *["signature"] * len(block)]


def test_signature_starts_below_sparse_data_rows_and_keeps_notes():
    rows = [
        data(1),
        {"no": "2", "description": "Jalan rusak di Desa Pasir Mayang"},  # no dimension: rejected, not skipped
        {"no": "Keterangan:", "description": "data sementara"},
        {"village": "Tana Paser, 12 Mei 2025"},
        {"village": "Kepala Dinas Kesehatan"},
        {"no": "Catatan: tanda tangan basah menyusul"},
        {"village": "AMIR SYARIFUDDIN"},
    ]
    assert kinds(rows) == [None, None, "note", "signature", "signature", "note", "signature"]


@pytest.mark.parametrize(
    "tail",
    [
        [{"description": "Kepala desa belum paham SPBE"}],  # a title-like line with nothing to confirm it
        [{"description": "Kepala sekolah sering absen", "severity": "4"}, {"description": "Guru kurang"}],
        [{"description": "AMIR SYARIFUDDIN"}],  # a name alone never starts a signature
        [{"description": "dr. H. Amir belum punya STR"}],
        [{"description": "PLTU batubara mencemari sungai"}],  # not "Plt."
        [{"description": "Juru parkir liar meresahkan"}],  # not a rank
        [{"description": "Banjir, 2025"}],  # a year alone is no date
        [{"description": "Diketahui banyak jalan rusak"}],  # not "Diketahui,"
    ],
)
def test_sparse_data_rows_at_the_end_are_not_a_signature(tail):
    assert kinds([data(1), *tail]) == [None] * (1 + len(tail))


def test_signature_is_only_looked_for_at_the_end():
    rows = [data(1), *SIGNATURE, data(2)]
    assert kinds(rows) == [None] * len(rows)


def test_a_data_row_ends_what_may_be_a_signature_above_it():
    rows = [data(1), SIGNATURE[0], data(2, description="Kepala Dinas belum dilantik"), *SIGNATURE[1:]]
    assert kinds(rows) == [None, None, None, *["signature"] * 4]


def test_signature_lines_under_the_description_and_a_place_name_column_stay_data():
    """Such a row has a description and a village: data-shaped, so it is validated (and rejected for its
    missing dimension) rather than skipped. Under a code or coordinate column a line of words is no
    location, so two signers under Uraian and Bujur are recognised (see above)."""
    block = [
        {"description": "Mengetahui,", "village": "Tana Paser, 12 Mei 2025"},
        {"description": "Kepala Bappeda", "village": "Kepala Dinas Kesehatan"},
        {"description": "Ir. Budi Santoso, MT", "village": "dr. H. AMIR SYARIFUDDIN, M.Kes"},
    ]
    assert kinds([data(1), *block]) == [None] * 4


# --- empty template rows -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"no": "17"}, "empty_template"),
        ({"no": "17.", "agency": "Dinas Kesehatan"}, "empty_template"),
        ({"agency": "Dinas Kesehatan", "year": "2025"}, "empty_template"),
        ({"no": "17", "agency": "Dinas Kesehatan", "severity": "3", "year": "2025"}, "empty_template"),
        ({"severity": "3"}, "empty_template"),
        (
            {"no": "17", "swot": "Kelemahan"},
            None,
        ),  # someone began this row: its rejection says what is missing
        ({"no": "17", "dimension": "Smart Living"}, None),
        ({"no": "17", "description": "Jalan rusak"}, None),
        ({"no": "17", "village": "Perepat"}, None),
        ({"no": "17", "notes": "menyusul"}, None),
        ({"no": "baris kosong"}, None),  # text in the number column
        ({"no": "17", "agency": "Dinas Kesehatan", "swot": "S", "severity": "3", "year": "2025"}, None),
    ],
)
def test_template_rows_with_nothing_written_in(row, expected):
    assert kind(row) == expected


def test_numbered_empty_rows_below_the_data_and_the_signature():
    rows = [data(1), data(2), {"no": "3"}, {"no": "4"}, *SIGNATURE, {"no": "5"}, {"no": "6"}]
    assert kinds(rows) == [None, None, "empty_template", "empty_template", *["signature"] * 5,
                           "empty_template", "empty_template"]  # fmt: skip


# --- roles -----------------------------------------------------------------------------------------------


def test_other_layouts_and_roles_beyond_the_sheet():
    """Description first, dimension last, a role pointing past the last column: still judged by role."""
    roles = {"description": 0, "dimension": 2, "village": 1, "notes": 40}
    rows = [
        {0: "Jalan rusak", 1: "Perepat", 2: "Living"},
        {0: "JUMLAH", 3: "1"},
        {0: "Keterangan: -"},
        {1: "Tana Paser, 12 Mei 2025"},
        {1: "NIP. 19700101 199503 1 001"},
    ]
    assert kinds(rows, roles) == [None, "total", "note", "signature", "signature"]


def test_without_a_description_role_nothing_is_data_shaped_but_data_stays_data():
    rows = [{0: "1", 2: "Living", 4: "Jalan rusak"}, {0: "JUMLAH", 5: "4"}]
    assert kinds(rows, {"dimension": 2}) == [None, "total"]


# --- never skip data -----------------------------------------------------------------------------------

TRICKY = [
    "Jumlah", "JUMLAH", "Total", "Sub Total", "Keterangan:", "Catatan: belum ada", "*) data", "Ket.", "NB:",
    "Tana Paser, 12 Mei 2025", "Mengetahui,", "Kepala Dinas Kesehatan", "a.n. Bupati Paser", "Plt. Kepala",
    "dr. H. AMIR SYARIFUDDIN, M.Kes", "Pembina Utama Muda (IV/c)", "NIP. 19700101 199503 1 001",
    "Penata Tk. I", "Sekretaris", "(1)", "1", "2", "3", "", "  ",
]  # fmt: skip
text = st.one_of(st.sampled_from(TRICKY), st.text(max_size=25))
described = st.one_of(st.sampled_from(TRICKY), st.text(max_size=25)).filter(
    lambda t: any(c.isalpha() for c in t)
)  # a description has a letter; "(1)" under "Uraian" is a column number
OTHER_ROLES = [c for c in COLUMNS if c not in ("no", "description", "dimension")]


@pytest.mark.parametrize("description", [t for t in TRICKY if any(c.isalpha() for c in t)])
@pytest.mark.parametrize("where", ["middle", "above the signature", "last"])
def test_data_rows_that_read_like_anything_else_stay_data(description, where):
    """A description and a dimension: data, whatever the words, wherever the row stands."""
    row = data(
        9, description=description, district=None, agency=None, severity=None
    )  # as sparse as data gets
    sheet = {
        "middle": [data(1), {"no": "Keterangan:"}, row, data(2), {"no": "JUMLAH"}, *SIGNATURE],
        "above the signature": [data(1), {"no": "JUMLAH"}, row, *SIGNATURE],
        "last": [data(1), *SIGNATURE, row],
    }[where]
    assert kinds(sheet)[sheet.index(row)] is None


@st.composite
def data_rows(draw) -> dict:
    """A description, a dimension and one more role filled with anything; other cells anything or empty."""
    row = {"description": draw(described), "dimension": draw(text.filter(str.strip))}
    row[draw(st.sampled_from(OTHER_ROLES))] = draw(text.filter(str.strip))
    for column in draw(st.sets(st.sampled_from(["no", *OTHER_ROLES]), max_size=4)):
        row.setdefault(column, draw(text.filter(str.strip)))
    return row


non_data = st.sampled_from(
    [{"no": "JUMLAH", "severity": "9"}, {"no": "Keterangan:"}, {"no": "17"}, *SIGNATURE,
     {c: f"({j + 1})" for j, c in enumerate(COLUMNS)}]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.one_of(data_rows(), non_data), max_size=20), tail=st.lists(non_data, max_size=6))
def test_rows_with_a_description_a_dimension_and_another_role_are_never_skipped(rows, tail):
    sheet = rows + tail
    out = kinds(sheet)
    for row, found in zip(sheet, out, strict=True):
        if any(c.isalpha() for c in row.get("description", "")) and "dimension" in row:
            assert found is None, row
        assert found is None or found in SKIP_REASONS


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.dictionaries(st.sampled_from(COLUMNS), text), max_size=12))
def test_any_cells_get_none_or_a_known_code(rows):
    rows = [{c: t for c, t in row.items() if t.strip()} for row in rows]  # the reader's None for empty
    assert all(found is None or found in SKIP_REASONS for found in kinds(rows))


# --- many rows (the speed is bench/intake_parsers.py's business) -----------------------------------------


def test_a_hundred_thousand_data_rows_are_all_data():
    n = 100_000
    columns = [np.full(n, None, dtype=object) for _ in range(WIDTH)]
    for column, value in data(1).items():
        columns[COLUMNS.index(column)][:] = value
    columns[0] = np.array([str(k) for k in range(1, n + 1)], dtype=object)
    columns[COLUMNS.index("description")] = np.array([f"Masalah {k}" for k in range(n)], dtype=object)
    columns[COLUMNS.index("dimension")][::1000] = None  # some placed by their district only
    out = classify_rows(columns, ROLES)
    assert not out.any()
