"""The optional readiness column (aspek kesiapan daerah): suprastruktur, struktur or infrastruktur.

Given a worksheet whose rows say which aspect of the region's readiness they concern, under a header on
the alias list, under no header at all, as section rows or ditto marks, each row's aspect is read; an
empty cell is no aspect, silently; a cell that names no aspect is no aspect with a warning, and the row
is loaded all the same. A generator makes many such files whose truth is known by construction; the
hand-made cases and one ingestion into PostGIS (core.issue, mart.issue, the planners' query) follow.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from smartcity.intake.answer.reasons import Reason
from smartcity.intake.answer.template import (
    HEADERS,
    READINESS_CHOICES,
    template_reference_frames,
    write_template,
)
from smartcity.intake.answer.validation import (
    DIMENSION_WORDS,
    READINESS_WORDS,
    SEVERITY_WORDS,
    SWOT_WORDS,
    dimension_of,
    readiness_of,
    severity_of,
    swot_of,
    validate_rows,
)
from smartcity.intake.load import judged, reader_names
from smartcity.intake.read.worksheet_headers import ROLE_ALIASES, match_role
from smartcity.intake.read.worksheets import read_workbook
from smartcity.platform.queries import query
from smartcity.platform.vocabulary import READINESS
from tests.helpers import REPO
from tests.realworld.scoring import paser_gazetteer

PLACES_CSV = REPO / "geodata" / "sources" / "paser_places.csv"


# ------------------------------------------------------------------------------------------ one cell
@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("Suprastruktur", "suprastruktur"), ("SUPRA STRUKTUR", "suprastruktur"),
        ("supra-struktur", "suprastruktur"), ("Supra", "suprastruktur"), ("SupraStruktur", "suprastruktur"),
        ("superstructure", "suprastruktur"), ("Regulasi/Kebijakan", "suprastruktur"),
        ("Peraturan Daerah", "suprastruktur"), ("SOP", "suprastruktur"),
        ("Aspek Suprastruktur", "suprastruktur"),
        ("Struktur", "struktur"), ("STRUKTUR", "struktur"), ("Struktur (SDM)", "struktur"),
        ("structure", "struktur"), ("SDM", "struktur"), ("Kelembagaan", "struktur"),
        ("Organisasi", "struktur"),
        ("Sumber Daya Manusia", "struktur"), ("Anggaran", "struktur"), ("B. Struktur", "struktur"),
        ("Infrastruktur", "infrastruktur"), ("Infra", "infrastruktur"), ("Infra Struktur", "infrastruktur"),
        ("Infrastruktur TIK", "infrastruktur"), ("infrastructure", "infrastruktur"),
        ("Jaringan/TIK/Sarana prasarana", "infrastruktur"), ("Sarana dan Prasarana", "infrastruktur"),
        ("Data Center", "infrastruktur"), ("Infrastruktur Digital", "infrastruktur"),
        ("3. INFRASTRUKTUR", "infrastruktur"), (" infrastruktur ", "infrastruktur"),
    ],
)  # fmt: skip
def test_a_short_label_names_its_aspect_in_any_case_spacing_or_punctuation(text, aspect):
    assert readiness_of(text) == aspect


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", None,
        "Jaringan internet belum menjangkau desa",  # a description, not a label
        "Regulasi tentang SPBE belum ada",
        "Kurangnya SDM bidang TIK di kecamatan",
        "Struktur dan Infrastruktur",  # two aspects: which one?
        "Supra / Infra",
        "S", "I", "SS",  # codes: only through the sheet's legend
        "Aspek Kesiapan", "Kesiapan",  # the header's words, no aspect
        "Tata Kelola",  # Smart Governance's label
        "Smart Governance", "Kekuatan", "Tinggi", "2025", "Lainnya",
    ],
)  # fmt: skip
def test_free_text_two_aspects_codes_and_other_labels_name_none(text):
    assert readiness_of(text) is None


def test_no_label_of_a_dimension_swot_category_or_urgency_reads_as_an_aspect_nor_the_other_way_round():
    """The content of a dimension or SWOT column must never be taken for readiness, and a readiness
    column never for them."""
    others = [w for words in (*DIMENSION_WORDS.values(), *SWOT_WORDS.values(), *SEVERITY_WORDS.values())
              for w in words]  # fmt: skip
    assert [w for w in others if readiness_of(w) is not None] == []
    labels = [w for words in READINESS_WORDS.values() for w in words]
    assert [w for w in labels if dimension_of(w) or swot_of(w) or severity_of(w)] == []
    # every listed word reads as its own aspect, in upper case too
    assert all(readiness_of(w.upper()) == a for a, words in READINESS_WORDS.items() for w in words)


def _validated(cells: list[str | None]) -> pd.DataFrame:
    table = pd.DataFrame({
        "row_number": range(2, 2 + len(cells)), "Uraian": ["Jalan rusak"] * len(cells),
        "Dimensi": ["Living"] * len(cells), "Aspek Kesiapan": pd.Series(cells, dtype=object),
    })  # fmt: skip
    roles = {"description": "Uraian", "dimension": "Dimensi", "readiness": "Aspek Kesiapan"}
    return validate_rows(table, roles, "Dinas Uji")


def test_empty_is_no_aspect_silently_and_unreadable_is_no_aspect_with_a_warning_never_a_rejection():
    out = _validated(["Suprastruktur", None, "  ", "Lainnya", "Infra"])
    assert out["readiness"].tolist() == ["suprastruktur", None, None, None, "infrastruktur"]
    reasons = out["reasons"].tolist()
    assert [list(r) for r in reasons[:3]] == [[], [], []]
    assert list(reasons[3]) == [Reason("unreadable_readiness", "Aspek Kesiapan", "Lainnya")]
    assert not reasons[3][0].blocking
    assert (
        "bukan aspek kesiapan" in reasons[3][0].indonesian() and "Suprastruktur" in reasons[3][0].indonesian()
    )


def test_a_worksheet_without_the_column_gives_no_aspect_and_no_warning():
    table = pd.DataFrame({"row_number": [2], "Uraian": ["Jalan rusak"], "Dimensi": ["Living"]})
    out = validate_rows(table, {"description": "Uraian", "dimension": "Dimensi"}, "Dinas Uji")
    assert out["readiness"].tolist() == [None] and list(out["reasons"][0]) == []


def test_codes_are_read_through_the_sheets_legend():
    table = pd.DataFrame(
        {"row_number": [2, 3], "Uraian": ["a", "b"], "Dimensi": ["Living"] * 2, "Aspek": ["S", "I"]}
    )
    roles = {"description": "Uraian", "dimension": "Dimensi", "readiness": "Aspek"}
    codes = {"readiness": {"s": "suprastruktur", "i": "infrastruktur"}}
    assert validate_rows(table, roles, "Dinas Uji", codes)["readiness"].tolist() == [
        "suprastruktur",
        "infrastruktur",
    ]


# ------------------------------------------------------------------------------------------ headers
def test_readiness_headers_are_recognised_and_collide_with_no_other_role():
    for alias in ROLE_ALIASES["readiness"]:
        assert match_role(alias) == ("readiness", ROLE_ALIASES["readiness"].index(alias))
        assert match_role(alias.upper().replace(" ", "_")) is not None
    # misspelt, and with a hint in brackets
    assert match_role("Aspek Kesipan")[0] == "readiness"
    assert match_role("Aspek Kesiapan (Suprastruktur/Struktur/Infrastruktur)")[0] == "readiness"
    # the other roles keep their names: "Aspek" alone heads dimension columns in the wild
    assert match_role("Kategori")[0] == "swot" and match_role("Jenis")[0] == "swot"
    assert match_role("Pilar Smart City")[0] == "dimension" and match_role("Aspek") is None
    others = {a for role, names in ROLE_ALIASES.items() if role != "readiness" for a in names}
    assert not others & set(ROLE_ALIASES["readiness"])


# ------------------------------------------------------------------------------------------ generator
SPELLINGS = {
    "suprastruktur": ("Suprastruktur", "SUPRASTRUKTUR", "Supra Struktur", "supra-struktur", "Supra",
                      "Superstructure", "Regulasi/Kebijakan", "Kebijakan", "Perda/Perbup", "SOP",
                      "Aspek Suprastruktur"),
    "struktur": ("Struktur", "STRUKTUR", "struktur", "Structure", "Struktur (SDM)", "SDM", "Kelembagaan",
                 "Organisasi", "Sumber Daya Manusia", "Kelembagaan & SDM"),
    "infrastruktur": ("Infrastruktur", "INFRASTRUKTUR", "Infra Struktur", "infra-struktur", "Infra",
                      "Infrastructure", "Infrastruktur TIK", "Jaringan/TIK/Sarana prasarana", "Data Center",
                      "Sarana dan Prasarana", "Jaringan"),
}  # fmt: skip
UNREADABLE = ("Lainnya", "Belum ditentukan", "Umum", "Campuran", "Semua aspek", "Struktur/Infrastruktur")
DESCRIPTIONS = (
    "Jaringan internet belum menjangkau desa", "Regulasi tentang SPBE belum ada",
    "Kurangnya SDM bidang TIK di kantor kecamatan", "Jalan poros desa rusak berat sepanjang 3 km",
    "Puskesmas kekurangan tenaga kesehatan", "Data center daerah belum memenuhi standar",
)  # fmt: skip
DISTRICTS = ("Tanah Grogot", "Long Ikis", "Kuaro", "Batu Sopang", "Muara Komam", "Long Kali")
DIMENSIONS = ("Smart Governance", "Smart Living", "Smart Economy", "Smart Environment")


def make_variant(seed: int, folder: Path) -> tuple[Path, str | None, dict[int, str | None], set[int]]:
    """A worksheet with a readiness column under a random alias or no header, at a random place, as xlsx or
    csv: (path, header, row number -> aspect, rows whose cell cannot be read)."""
    rng = random.Random(seed)
    header = rng.choice((*ROLE_ALIASES["readiness"], "Aspek Kesiapan", None))
    header = header if header is None else rng.choice((header, header.upper(), header.title()))
    n = rng.randint(6, 14)
    aspects = [rng.choice(READINESS) for _ in range(n)]
    kinds = ["value"] * n
    for i in rng.sample(range(n), rng.randint(0, n // 4)):
        kinds[i] = "empty"
    # unreadable cells: at most one in five of the filled ones (else a column without a header is no
    # column of readiness labels, as a person would judge it too)
    filled = [i for i in range(n) if kinds[i] == "value"]
    for i in rng.sample(filled, rng.randint(0, len(filled) // 5)):
        kinds[i] = "unreadable"
    cells = [
        rng.choice(SPELLINGS[a]) if k == "value" else rng.choice(UNREADABLE) if k == "unreadable" else None
        for a, k in zip(aspects, kinds, strict=True)
    ]
    base = ["No", "Uraian Permasalahan", "Dimensi", "Kecamatan"]
    where = rng.randint(1, len(base))
    rows = [[*base[:where], header, *base[where:]]]
    for i in range(n):
        values = [i + 1, rng.choice(DESCRIPTIONS), rng.choice(DIMENSIONS), rng.choice(DISTRICTS)]
        rows.append([*values[:where], cells[i], *values[where:]])
    first = 2  # data rows start under the header on line 1
    truth = {
        first + i: (a if k == "value" else None) for i, (a, k) in enumerate(zip(aspects, kinds, strict=True))
    }
    unreadable = {first + i for i, k in enumerate(kinds) if k == "unreadable"}
    if rng.random() < 0.5:
        path = folder / f"variant_{seed}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([["" if c is None else c for c in r] for r in rows])
    else:
        path = folder / f"variant_{seed}.xlsx"
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    return path, header, truth, unreadable


def read_rows(path: Path) -> tuple[object, pd.DataFrame]:
    """The file's one sheet and its rows validated and placed, as the intake does before its COPY."""
    gazetteer = paser_gazetteer()
    sheet = read_workbook(path, names=reader_names(gazetteer)).sheets[0]
    rows = pd.concat(list(judged(sheet, sheet.table.reset_index(drop=True), gazetteer, "Dinas Uji")))
    return sheet, rows


@pytest.mark.parametrize("seed", range(60))
def test_generated_worksheets_give_every_row_its_constructed_aspect(tmp_path, seed):
    path, header, truth, unreadable = make_variant(seed, tmp_path)
    sheet, rows = read_rows(path)
    assert "readiness" in sheet.roles, f"{path.name}: readiness column not found (header {header!r})"
    if header is not None:
        assert sheet.roles["readiness"] == header
    else:
        assert sheet.evidence[sheet.roles["readiness"]]["by"] == "content"
    assert sorted(rows["row_number"]) == sorted(truth)
    for row in rows.itertuples():
        assert row.readiness == truth[row.row_number], (path.name, row.row_number)
        codes = [r.code for r in row.reasons]
        assert ("unreadable_readiness" in codes) == (row.row_number in unreadable), (path.name, codes)
        assert not any(r.blocking for r in row.reasons), (path.name, row.row_number, codes)


# ------------------------------------------------------------------------------------------ as made
def xlsx(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_section_rows_give_their_aspect_to_the_rows_below(tmp_path):
    path = xlsx(tmp_path / "w.xlsx", [
        ["No", "Uraian Permasalahan", "Dimensi", "Kecamatan"],
        ["A. SUPRASTRUKTUR"],
        [1, "Belum ada Perbup tentang SPBE", "Smart Governance", "Tanah Grogot"],
        [2, "SOP layanan belum dibakukan", "Smart Governance", "Kuaro"],
        ["B. INFRASTRUKTUR"],
        [3, "Jaringan internet belum menjangkau desa", "Smart Living", "Muara Komam"],
    ])  # fmt: skip
    sheet, rows = read_rows(path)
    assert dict(zip(rows["row_number"], rows["readiness"], strict=True)) == {
        3: "suprastruktur",
        4: "suprastruktur",
        6: "infrastruktur",
    }
    assert sorted(sheet.skipped.loc[sheet.skipped["reason"] == "section", "row_number"]) == [2, 5]


def test_ditto_marks_repeat_the_aspect_above(tmp_path):
    path = xlsx(tmp_path / "w.xlsx", [
        ["No", "Uraian Permasalahan", "Dimensi", "Kecamatan", "Aspek Kesiapan"],
        [1, "Jaringan internet belum menjangkau desa", "Smart Living", "Kuaro", "Infrastruktur"],
        [2, "Server aplikasi sering mati", "Smart Governance", "Kuaro", "idem"],
        [3, "Pegawai belum dilatih", "Smart Governance", "Kuaro", "SDM"],
        [4, "Operator desa kurang", "Smart Governance", "Kuaro", '"'],
    ])  # fmt: skip
    _, rows = read_rows(path)
    assert rows["readiness"].tolist() == ["infrastruktur", "infrastruktur", "struktur", "struktur"]


def test_a_legend_under_the_table_defines_the_columns_codes(tmp_path):
    path = xlsx(tmp_path / "w.xlsx", [
        ["No", "Uraian Permasalahan", "Dimensi", "Kecamatan", "Aspek Kesiapan"],
        [1, "Belum ada Perbup tentang SPBE", "Smart Governance", "Kuaro", "SP"],
        [2, "Jaringan internet belum menjangkau desa", "Smart Living", "Kuaro", "IF"],
        [3, "Pegawai belum dilatih", "Smart Governance", "Kuaro", "ST"],
        [],
        ["Keterangan: SP = Suprastruktur; ST = Struktur; IF = Infrastruktur"],
    ])  # fmt: skip
    sheet, rows = read_rows(path)
    assert rows["readiness"].tolist() == ["suprastruktur", "infrastruktur", "struktur"]
    assert all(list(r) == [] or all(x.code != "unreadable_readiness" for x in r) for r in rows["reasons"])


def test_a_dimension_column_headed_aspek_stays_the_dimension_and_a_readiness_column_is_not_taken_for_swot(
    tmp_path,
):
    path = xlsx(tmp_path / "w.xlsx", [
        ["No", "Uraian Permasalahan", "Aspek", "Kategori", "Kecamatan", None],
        [1, "Belum ada Perbup tentang SPBE", "Smart Governance", "Kelemahan", "Kuaro", "Suprastruktur"],
        [2, "Jaringan internet belum menjangkau desa", "Smart Living", "Kelemahan", "Kuaro", "Infrastruktur"],
        [3, "Pegawai belum dilatih", "Smart Governance", "Kelemahan", "Kuaro", "Struktur"],
        [4, "Menara BTS baru dibangun", "Smart Living", "Kekuatan", "Kuaro", "Infra"],
    ])  # fmt: skip
    sheet, rows = read_rows(path)
    assert sheet.roles["dimension"] == "Aspek" and sheet.roles["swot"] == "Kategori"
    assert rows["dimension"].tolist() == ["governance", "living", "governance", "living"]
    assert rows["swot"].tolist() == ["weakness", "weakness", "weakness", "strength"]
    assert rows["readiness"].tolist() == ["suprastruktur", "infrastruktur", "struktur", "infrastruktur"]


# ------------------------------------------------------------------------------------------ template
def filled_template(folder: Path, rows: list[dict]) -> Path:
    """The official template, filled in by a clerk: ``rows`` map its headers to values."""
    districts, villages = template_reference_frames(PLACES_CSV)
    path = write_template(
        folder / "kertas_kerja.xlsx", region_name="Paser", districts=districts, villages=villages
    )
    book = openpyxl.load_workbook(path)
    data = book["Data"]
    data.cell(2, 2, "Dinas Komunikasi dan Informatika")
    header_line = next(r for r in range(1, 10) if data.cell(r, 1).value == "No")
    for offset, values in enumerate(rows, start=1):
        for column, header in enumerate(HEADERS, start=1):
            if header in values:
                data.cell(header_line + offset, column, values[header])
    book.save(path)
    return path


TEMPLATE_ROWS = [
    {"No": 1, "Dimensi": "Smart Governance", "Kategori (SWOT)": "Kelemahan", "Kecamatan": "Tanah Grogot",
     "Uraian Permasalahan": "Belum ada Perbup tentang SPBE", "Aspek Kesiapan": "Suprastruktur"},
    {"No": 2, "Dimensi": "Smart Governance", "Kategori (SWOT)": "Kelemahan", "Kecamatan": "Kuaro",
     "Uraian Permasalahan": "Operator TIK di kecamatan belum ada", "Aspek Kesiapan": "Struktur"},
    {"No": 3, "Dimensi": "Smart Living", "Kategori (SWOT)": "Kelemahan", "Kecamatan": "Muara Komam",
     "Uraian Permasalahan": "Jaringan internet belum menjangkau desa", "Aspek Kesiapan": "Infrastruktur"},
    {"No": 4, "Dimensi": "Smart Economy", "Kategori (SWOT)": "Peluang", "Kecamatan": "Long Ikis",
     "Uraian Permasalahan": "Pasar digital untuk UMKM"},
    {"No": 5, "Dimensi": "Smart Living", "Kategori (SWOT)": "Kelemahan", "Kecamatan": "Kuaro",
     "Uraian Permasalahan": "Air bersih belum mengalir", "Aspek Kesiapan": "Air"},
]  # fmt: skip
TEMPLATE_TRUTH = ["suprastruktur", "struktur", "infrastruktur", None, None]


def test_the_template_offers_the_column_with_its_three_aspects_and_explains_them(tmp_path):
    path = filled_template(tmp_path, [])
    book = openpyxl.load_workbook(path)
    data = book["Data"]
    line = next(r for r in range(1, 10) if data.cell(r, 1).value == "No")
    headers = [c.value for c in data[line]]
    assert headers[-2:] == ["Aspek Kesiapan", "Keterangan"]
    column = openpyxl.utils.get_column_letter(headers.index("Aspek Kesiapan") + 1)
    rule = [dv for dv in data.data_validations.dataValidation if f"{column}{line + 1}" in dv.sqref]
    assert len(rule) == 1 and rule[0].formula1 == '"Suprastruktur,Struktur,Infrastruktur"'
    assert rule[0].allow_blank
    assert [readiness_of(choice) for choice in READINESS_CHOICES] == list(READINESS)
    help_text = {r[0]: r[1] for r in book["Petunjuk"].iter_rows(values_only=True) if r[0]}
    assert all(word in help_text["Aspek Kesiapan"] for word in ("Suprastruktur", "Struktur", "Infrastruktur"))


def test_a_filled_template_reads_back_with_its_aspects(tmp_path):
    sheet, rows = read_rows(filled_template(tmp_path, TEMPLATE_ROWS))
    assert sheet.roles["readiness"] == "Aspek Kesiapan"
    assert rows["readiness"].tolist() == TEMPLATE_TRUTH
    codes = [[r.code for r in reasons] for reasons in rows["reasons"]]
    assert ["unreadable_readiness" in c for c in codes] == [False, False, False, False, True]


@pytest.mark.db
def test_ingested_aspects_land_in_core_and_mart_and_reach_the_planners_query(paser_reference, tmp_path):
    from smartcity.intake.load import ingest_file, load_gazetteer

    path = filled_template(tmp_path, TEMPLATE_ROWS)
    result = ingest_file(paser_reference, path, load_gazetteer(paser_reference, "64.01"))
    assert (result.status, result.accepted, result.rejected) == ("loaded", 5, 0)
    statement = "SELECT row_number, readiness FROM {} ORDER BY row_number"
    with paser_reference.connect() as conn:
        core = conn.execute(sa.text(statement.format("core.issue"))).all()
        mart = conn.execute(sa.text(statement.format("mart.issue"))).all()
        texts = conn.execute(query("planners", "issue_texts"), {"regency": "64.01"}).mappings().all()
    assert [r for _, r in core] == [r for _, r in mart] == TEMPLATE_TRUTH
    by_text = {t["description"]: t["readiness"] for t in texts}
    assert by_text["Jaringan internet belum menjangkau desa"] == "infrastruktur"
    assert by_text["Pasar digital untuk UMKM"] is None
    with pytest.raises(sa.exc.IntegrityError), paser_reference.begin() as conn:
        conn.execute(sa.text("UPDATE core.issue SET readiness = 'lainnya' WHERE row_number = 5"))
