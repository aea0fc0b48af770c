"""Hand-made worksheets of the classes issue #27 names, each read as a person would read it (the generator
in ``tests/realworld/generator.py`` covers the same classes by variants whose truth is known by
construction; these are the small cases a reviewer can read at a glance):

- a value given once for the rows below it: a section row naming the district or the dimension, ditto marks
  (``idem``, ``sda``, ``"``) in a column; the section rows are skipped rows with their reason;
- a dimension typed as a code whose key (a legend) is written under the table; an undefined code asks for
  the legend; the legend's lines are skipped rows;
- header names on no alias list: the columns known by what they hold, with the evidence shown;
- a Word document's table (several tables under one header, one of them of a single row);
- repeated header rows and a total row with its word in the district column: skipped, never rejected;
- a scanned PDF and a photo: answered with what to send, never lost.

Pure: the reader and the matcher over Paser's gazetteer from the shipped files (no database)."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from smartcity.intake.load import reader_names
from smartcity.intake.read.limits import WorkbookProblem
from smartcity.intake.read.worksheets import read_workbook
from tests.realworld.scoring import judge_outcome, paser_gazetteer


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def outcome(path: Path):
    result = judge_outcome(paser_gazetteer(), path)
    assert result.error is None, result.error
    assert result.reconciled, "rows seen != loaded + rejected + skipped"
    return result


def place(seen) -> tuple[str | None, str | None]:
    """(village name, district name) of a placed row."""
    gazetteer = paser_gazetteer()
    villages = dict(zip(gazetteer.villages["code"], gazetteer.villages["name"], strict=True))
    districts = dict(zip(gazetteer.districts["code"], gazetteer.districts["name"], strict=True))
    return villages.get(seen.village), districts.get(seen.district)


def by_text(result, fragment: str):
    found = [r for r in result.rows if fragment in r.text]
    assert len(found) == 1, f"{fragment!r}: {len(found)} rows"
    return found[0]


def skipped(result) -> list[tuple[str, str]]:
    return [(r.codes[0], r.text) for r in result.rows if r.status == "skipped"]


HEADER = ["No", "Uraian Permasalahan", "Dimensi", "Kecamatan", "Desa", "Urgensi"]


def test_sections_and_ditto_marks_give_their_value_to_the_rows_below(tmp_path):
    path = xlsx(tmp_path / "dpmd.xlsx", [
        ["KERTAS KERJA SMART CITY KABUPATEN PASER"],
        HEADER,
        ["Kecamatan Long Ikis"],
        [1, "Jalan desa rusak sepanjang dua kilometer", "Smart Living", None, "Krayan Makmur", 4],
        [2, "Air bersih belum menjangkau dusun atas", "idem", None, "Olung", 3],
        ["SMART ECONOMY"],
        [3, "Pasar desa sepi pembeli sejak pandemi", None, "Kuaro", None, 2],
        [4, "UMKM belum memiliki izin usaha", '"', "sda", None, 5],
    ])  # fmt: skip
    result = outcome(path)
    first, second = by_text(result, "Jalan desa"), by_text(result, "Air bersih")
    krayan = ("Krayan Makmur", "Long Ikis")
    assert (first.status, first.dimension, place(first)) == ("loaded", "living", krayan)
    assert (second.status, second.dimension, place(second)) == ("loaded", "living", ("Olung", "Long Ikis"))
    third, fourth = by_text(result, "Pasar desa"), by_text(result, "UMKM")
    assert (third.status, third.dimension, place(third)) == ("loaded", "economy", (None, "Kuaro"))
    assert (fourth.status, fourth.dimension, place(fourth)) == ("loaded", "economy", (None, "Kuaro"))
    assert [code for code, _ in skipped(result)].count("section") == 2
    assert not [r for r in result.rows if r.status == "rejected"]


def test_a_dimension_code_is_read_through_the_legend_under_the_table(tmp_path):
    path = xlsx(tmp_path / "dishub.xlsx", [
        HEADER,
        [1, "Lampu jalan padam di ruas poros", 3, "Tanah Grogot", "Tepian Batang", 4],
        [2, "Terminal belum punya papan informasi digital", 1, "Tanah Grogot", None, 3],
        [3, "Angkutan desa berhenti beroperasi", 2, "Muara Komam", "Uko", 2],
        [4, "Halte rusak di depan pasar", 7, "Tanah Grogot", None, 2],
        [],
        ["Keterangan:"],
        [None, "1 = Smart Governance"],
        [None, "2 = Smart Economy"],
        [None, "3 = Smart Living"],
    ])  # fmt: skip
    result = outcome(path)
    assert by_text(result, "Lampu jalan").dimension == "living"
    assert by_text(result, "Terminal").dimension == "governance"
    assert (by_text(result, "Angkutan").dimension, place(by_text(result, "Angkutan"))) == (
        "economy",
        ("Uko", "Muara Komam"),
    )
    undefined = by_text(result, "Halte")  # no order of the six is ever assumed: 7 asks for the legend
    assert (undefined.status, undefined.codes[0]) == ("rejected", "dimension_code_without_legend")
    legend = [text for code, text in skipped(result) if code == "legend"]
    assert len(legend) >= 3, skipped(result)


def test_columns_whose_names_are_on_no_list_are_known_by_what_they_hold(tmp_path):
    rows = [
        ["Hal yang dirasakan warga", "Bidang", "Wilayah", "Kampung", "Seberapa mendesak"],
        ["Banjir tahunan merendam rumah warga bantaran", "Smart Environment", "Long Ikis", "Olung", "Tinggi"],
        ["Pelayanan kependudukan masih manual", "Smart Governance", "Tanah Grogot", "Senaken", "Sedang"],
        ["Produk anyaman rotan belum punya merek", "Smart Branding", "Kuaro", "Rangan", "Rendah"],
        ["Harga sawit petani turun tajam", "Smart Economy", "Batu Engau", "Tempakan", "Sangat tinggi"],
    ]  # fmt: skip
    path = xlsx(tmp_path / "bappeda.xlsx", rows)
    result = outcome(path)
    assert all(r.status == "loaded" for r in result.rows if r.status != "skipped")
    assert place(by_text(result, "Banjir")) == ("Olung", "Long Ikis")
    assert by_text(result, "Harga sawit").severity == 5
    sheet = read_workbook(path, names=reader_names(paser_gazetteer())).sheets[0]
    assert sheet.roles == {
        "description": "Hal yang dirasakan warga",
        "dimension": "Bidang",
        "district": "Wilayah",
        "village": "Kampung",
        "severity": "Seberapa mendesak",
    }
    by_content = {h: e for h, e in sheet.evidence.items() if e.get("by") == "content"}
    assert "Wilayah" in by_content and by_content["Wilayah"]["matched"] >= 3, sheet.evidence


def test_repeated_headers_and_a_total_in_the_district_column_are_skipped_not_rejected(tmp_path):
    path = xlsx(tmp_path / "dlh.xlsx", [
        HEADER,
        [1, "Sampah menumpuk di tepi sungai", "Smart Environment", "Tanah Grogot", None, 4],
        HEADER,
        [2, "Abrasi pantai mundur tiap tahun", "Smart Environment", "Tanjung Harapan", None, 5],
        [None, "2 isu", None, "Jumlah", None, None],
    ])  # fmt: skip
    result = outcome(path)
    assert sorted(code for code, _ in skipped(result)) == ["header", "header", "total"]
    assert [r.status for r in result.rows if r.status != "skipped"] == ["loaded", "loaded"]


def word(path: Path, tables: list[tuple[str, list[list[str]]]], after: list[str]) -> Path:
    document = docx.Document()
    document.add_paragraph("DINAS KESEHATAN KABUPATEN PASER")
    for title, rows in tables:
        document.add_paragraph(title)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
    for line in after:
        document.add_paragraph(line)
    document.save(path)
    return path


def test_a_word_documents_tables_are_read_with_the_legend_under_them(tmp_path):
    header = ["No", "Permasalahan", "", "Kecamatan", "Desa", "Urgensi"]  # the dimension column unnamed
    path = word(tmp_path / "dinkes.docx", [
        ("I. Kekuatan", [header, ["1", "Posyandu aktif di semua dusun", "SL", "Kuaro", "Rangan", "2"]]),
        ("II. Kelemahan", [
            header,
            ["2", "Puskesmas pembantu kekurangan perawat", "SL", "Long Ikis", "Olung", "4"],
            ["3", "Pendaftaran pasien belum daring", "SG", "Tanah Grogot", "", "3"],
            ["4", "Limbah medis belum diolah", "SEn", "Tanah Grogot", "", "5"],
        ]),
    ], after=["Keterangan Dimensi:", "SG Tata Kelola", "SL Kehidupan", "SEn Lingkungan"])  # fmt: skip
    result = outcome(path)
    lone = by_text(result, "Posyandu")  # a table of one row: its columns known from its twin's
    assert (lone.status, lone.dimension, lone.swot, place(lone)) == ("loaded", "living", "strength",
                                                                     ("Rangan", "Kuaro"))  # fmt: skip
    limbah = by_text(result, "Limbah")
    assert (limbah.dimension, limbah.swot) == ("environment", "weakness")
    assert by_text(result, "Pendaftaran").dimension == "governance"
    assert not [r for r in result.rows if r.status == "rejected"]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("pindaian.pdf", None, "scanned_pdf"),
        ("foto_kertas_kerja.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "picture"),
    ],
)
def test_a_scan_and_a_photo_are_answered_with_what_to_send(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content if content is not None else _blank_pdf())
    with pytest.raises(WorkbookProblem) as refused:
        read_workbook(path)
    assert refused.value.code == code
    message = str(refused.value)
    assert message.startswith(f"{name}: ") and "kirim berkas Excel atau Word" in message


def _blank_pdf() -> bytes:
    """A one-page PDF with no text on it: what a scanner without OCR makes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_column_is_known_by_its_data_rows_not_the_signature_under_them(tmp_path):
    signature = ("Tanah Grogot, 2 Februari 2025", "Kepala Dinas Kesehatan", "dr. Hj. Nurul Aini, M.Kes",
                 "NIP. 19750903 200212 2 004")  # fmt: skip
    path = xlsx(tmp_path / "dinkes.xlsx", [
        ["No", "Uraian Permasalahan", "Dimensi", "Kecamatan", "Penilaian"],
        [1, "Jalan rusak di desa sepanjang dua kilometer", "Smart Living", "Kuaro", "Strength"],
        [2, "Pasar sepi pembeli sejak lama", "Smart Economy", "Kuaro", "Threat"],
        [3, "Sampah menumpuk di sungai kota", "Smart Environment", "Kuaro", "Weakness"],
        [],
        *[[None, None, None, None, line] for line in signature],
    ])  # fmt: skip
    result = outcome(path)
    swot = [by_text(result, t).swot for t in ("Jalan", "Pasar", "Sampah")]
    assert swot == ["strength", "threat", "weakness"]
    assert [code for code, _ in skipped(result)].count("signature") == 4


def test_a_dimension_ticked_in_columns_named_after_the_dimensions(tmp_path):
    """The six dimensions as columns of their own under a group header, one ticked per row: the ticked
    column's name is the row's dimension; no tick asks for it, two ticks are two dimensions (rejected)."""
    dims = ["Smart Governance", "Smart Branding", "Smart Economy", "Smart Living", "Smart Society",
            "Smart Environment"]  # fmt: skip
    path = xlsx(tmp_path / "bappeda.xlsx", [
        ["No", "Uraian Permasalahan", "Dimensi", None, None, None, None, None, "Kecamatan", "Urgensi"],
        [None, None, *dims, None, None],
        [1, "Aplikasi layanan belum terhubung", "√", None, None, None, None, None, "Tanah Grogot", 4],
        [2, "Sampah menumpuk di pasar induk", None, None, None, None, None, "v", "Kuaro", 3],
        [3, "UMKM belum punya izin usaha", None, None, "1", None, None, None, "Long Ikis", 2],
        [4, "Puskesmas kekurangan perawat", None, None, None, None, None, None, "Kuaro", 5],
        [5, "Festival budaya belum terjadwal", None, "✓", None, None, "✓", None, "Kuaro", 2],
    ])  # fmt: skip
    result = outcome(path)
    assert [by_text(result, t).dimension for t in ("Aplikasi", "Sampah", "UMKM")] == [
        "governance", "environment", "economy"
    ]  # fmt: skip
    assert by_text(result, "Aplikasi").severity == 4  # the "1" ticks are no urgency column
    assert (by_text(result, "Puskesmas").status, by_text(result, "Puskesmas").codes[0]) == (
        "rejected", "missing_dimension"
    )  # fmt: skip
    assert by_text(result, "Festival").status == "rejected"
    sheet = read_workbook(path, names=reader_names(paser_gazetteer())).sheets[0]
    assert sheet.roles["dimension"] == "Dimensi (dari kolom centang)"
    assert "Dimensi (dari kolom centang)" not in sheet.file_columns  # the agency's own columns only


def test_the_swot_category_ticked_in_columns_s_w_o_t(tmp_path):
    path = xlsx(tmp_path / "distan.xlsx", [
        ["Uraian Permasalahan", "Dimensi", "Kecamatan", "S", "W", "O", "T"],
        ["Lahan sawah produktif luas", "Smart Economy", "Long Ikis", "x", None, None, None],
        ["Harga pupuk naik", "Smart Economy", "Kuaro", None, None, None, "x"],
        ["Pasar ekspor terbuka", "Smart Economy", "Kuaro", None, None, "X", "-"],
    ])  # fmt: skip
    result = outcome(path)
    assert [by_text(result, t).swot for t in ("Lahan", "Harga", "Pasar")] == [
        "strength",
        "threat",
        "opportunity",
    ]
