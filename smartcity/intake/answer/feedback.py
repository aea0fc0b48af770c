"""Feedback to agencies: their own rows back, each with its validation notes in Bahasa Indonesia.

A work list for the clerk (decided): the workbook opens on the rows to fix. One sheet per sheet of the
agency's file: on top, what to do (send the corrected file back to whom, by when: the settings
``feedback_contact`` and ``feedback_deadline``) and the colour key; then the header, frozen, and the data
rows in their original order, each with its "Catatan validasi" (blocking reasons first, then warnings;
"OK" when none) in the first column and its number in the agency's sheet ("Baris asal") in the second,
beside the agency's own columns under their original headers. Rejected rows are filled red, rows kept
with a warning yellow; rows that are not data are not sent back; long texts wrap. Then "Ringkasan" (the
counts) and, last, "Kolom yang dibaca": per sheet, which header was read as what (or not used), where
the dimension came from when the sheet's name gave it, rows seen = diterima + ditolak + dilewati, and the
sheets passed over and why. Every sheet prints on A4 (or F4, the setting ``paper``) landscape, one page
wide, the header row on every page, with gridlines. A file that could not be used at all gets a
workbook too (:func:`write_problem_feedback`): what was missing and how to fix it, in Bahasa Indonesia.

Everything written is a plain string (or a number we made ourselves): agency text is never written as
a formula. In the workbook a text such as ``=HYPERLINK(...)`` stays exactly as the agency wrote it but
is stored as a string cell with Excel's quote prefix, so neither opening nor editing the cell turns it
into a formula, and the agency can send the corrected copy back unchanged. For CSV, where every cell is
parsed again by the spreadsheet, :func:`neutralise` prefixes such text with ``'`` as OWASP recommends.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.styles import PatternFill

from smartcity.intake.answer.reasons import Reason
from smartcity.platform.settings import get_settings
from smartcity.platform.sheetml import (
    FILL_NONE,
    FILL_RED,
    FILL_YELLOW,
    DataSheet,
    sheet_names,
    write_workbook,
)
from smartcity.platform.vocabulary import DIMENSIONS, FORMULA_TRIGGERS

DATA_SHEET = "Data"
SUMMARY_SHEET = "Ringkasan"
COLUMNS_SHEET = "Kolom yang dibaca"
PROBLEM_SHEET = "Masalah berkas"
NOTES_HEADER = "Catatan validasi"
ROW_HEADER = "Baris asal"  # the row's number in the agency's own sheet
OK_NOTE = "OK"
REJECTED_FILL = PatternFill("solid", fgColor="FFC7CE")  # the colours sheetml's styles use
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")

# A spreadsheet reads a cell starting with one of FORMULA_TRIGGERS as a formula (OWASP "CSV
# Injection"); the full-width forms are read as formulas by some East Asian locales of Excel.
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def neutralise(text: str) -> str:
    """``text`` made safe for a CSV cell: a leading formula character gets a ``'`` prefix; numbers stay."""
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def row_note(reasons: Iterable[Reason]) -> str:
    """The "Catatan validasi" of one row: Indonesian messages, blocking ones first, or "OK"."""
    reasons = list(reasons)
    ordered = [r for r in reasons if r.blocking] + [r for r in reasons if not r.blocking]
    # once each, order kept; the catalogue's sentences end with a full stop, the joined list does not
    messages = dict.fromkeys(r.indonesian().rstrip(".") for r in ordered)
    return "; ".join(messages) or OK_NOTE


@dataclass
class SheetFeedback:
    """One sheet of the agency's file, for its feedback."""

    sheet: str  # its name ("" for a CSV file)
    table: pd.DataFrame  # row_number, then the file's columns
    headers: list[str]  # headers to show, one per column of ``table`` after row_number
    findings: dict[int, list[Reason]]  # row_number -> reasons (rows missing are "OK")
    columns_read: list[tuple[str, str | None]] = field(default_factory=list)  # (header, role or None)
    skipped: dict[str, int] = field(default_factory=dict)  # skip reason -> rows
    header_row: int | None = None
    from_name: dict[str, str] = field(default_factory=dict)  # role -> value taken from the sheet's name
    evidence: dict[str, dict] = field(default_factory=dict)  # header -> how it was recognised


# What each role is called for a clerk (the template's own column names).
ROLE_LABELS = {
    "description": "Uraian permasalahan", "dimension": "Dimensi", "swot": "Kategori (SWOT)",
    "severity": "Tingkat urgensi", "code": "Kode wilayah", "village": "Desa/Kelurahan",
    "district": "Kecamatan", "lat": "Lintang", "lon": "Bujur", "location": "Lokasi (satu sel: alamat, "
    "koordinat atau tautan peta)", "agency": "Perangkat daerah", "year": "Tahun",
    "readiness": "Aspek kesiapan", "notes": "Keterangan",
    "personal": "data pribadi (tidak disimpan)",
}  # fmt: skip
SKIP_LABELS = {
    "header": "baris judul kolom", "title": "kop/judul di atas tabel", "numbering": "baris penomoran kolom",
    "total": "baris jumlah/total", "note": "catatan/keterangan di bawah tabel",
    "signature": "tanda tangan (tempat, tanggal, jabatan, nama, NIP)",
    "empty_template": "baris templat yang belum diisi (hanya nomor, perangkat daerah, tahun atau urgensi)",
    "section": "judul bagian (kecamatan, desa, dimensi atau kategori untuk baris di bawahnya)",
    "legend": "keterangan kode (legenda)",
}  # fmt: skip
PASSED_OVER_LABELS = {
    "hidden": "lembar tersembunyi (tidak dibaca)",
    "summary": "lembar ringkasan/daftar/petunjuk (tidak dibaca)",
    "no_table": "tidak ada tabel dengan kolom uraian permasalahan (tidak dibaca)",
}
# A file that could not be used: what was wrong, and how to fix it.
FILE_PROBLEMS = {
    "no_description_column": (
        "Tidak ditemukan tabel dengan kolom uraian permasalahan di 20 baris pertama lembar mana pun.",
        "Beri judul kolom uraian salah satu dari: Permasalahan, Uraian Permasalahan, Masalah, Uraian, Isu, "
        "Deskripsi. Judul kolom harus berada di satu baris di atas data.",
    ),
    "no_dimension": (
        "Tidak ada kolom dimensi dan nama lembar tidak menyebut dimensi.",
        "Tambahkan kolom Dimensi (" + ", ".join(d.title() for d in DIMENSIONS) + "), atau beri nama setiap "
        "lembar sesuai dimensinya, misalnya Smart Governance, Smart Economy.",
    ),
    "empty": ("Berkas kosong.", "Isi lembar kerja lalu kirim kembali."),
    "password": ("Berkas dilindungi kata sandi.", "Simpan berkas tanpa kata sandi lalu kirim kembali."),
    "too_large": (
        "Berkas melebihi batas ukuran (baris, kolom, isi sel, atau ukuran berkas).",
        "Bagi berkas menjadi beberapa berkas yang lebih kecil.",
    ),
    "file_type": (
        "Jenis berkas tidak dapat dibaca.",
        "Kirim lembar kerja sebagai Excel (.xlsx, .xls), LibreOffice (.ods), CSV, Word (.docx) atau PDF "
        "yang diekspor dari Word/Excel.",
    ),
    "scanned_pdf": (
        "PDF hasil pindai (gambar), tanpa teks yang dapat dibaca.",
        "Kirim berkas Excel atau Word aslinya (atau PDF yang diekspor langsung dari Word/Excel, bukan "
        "dipindai).",
    ),
    "picture": (
        "Berkas gambar atau foto, bukan lembar kerja.",
        "Kirim berkas Excel atau Word lembar kerjanya, bukan foto atau tangkapan layar.",
    ),
    "no_table_in_document": (
        "Dokumen tidak berisi tabel.",
        "Ketik lembar kerja sebagai tabel (satu baris per permasalahan), atau kirim berkas Excel.",
    ),
    "unreadable": (
        "Berkas rusak atau tidak dapat dibaca sebagai lembar kerja.",
        "Buka berkas di Excel atau LibreOffice, simpan ulang sebagai .xlsx, lalu kirim kembali.",
    ),
    "not_a_file": ("Bukan berkas biasa (tautan atau perangkat).", "Kirim berkas lembar kerja itu sendiri."),
}


def write_feedback(
    out: Path, table: pd.DataFrame, headers: list[str], findings: dict[int, list[Reason]]
) -> Path:
    """Write one table's rows with their validation notes to ``out`` (.xlsx) and return the path.

    ``table`` is a worksheet table (``row_number`` then one column per file column); ``headers`` are
    the file's headers in order, one per column after ``row_number``; ``findings`` maps a
    ``row_number`` to its reasons (rows missing from it are "OK"). See :func:`write_workbook_feedback`
    for a whole workbook.
    """
    return write_workbook_feedback(out, [SheetFeedback("", table, headers, findings)], columns_block=False)


def write_workbook_feedback(
    out: Path,
    sheets: Sequence[SheetFeedback],
    passed_over: Sequence[tuple[str, str]] = (),
    *,
    columns_block: bool = True,
) -> Path:
    """Write the feedback workbook of a file's ``sheets`` to ``out`` (.xlsx) and return the path.

    Streamed (:mod:`smartcity.platform.sheetml`): a column at a time, in time and memory linear in the
    rows; the file is written next to ``out`` and renamed over it (never through a symbolic link).
    """
    settings = get_settings()
    steps = next_steps(settings.feedback_contact, settings.feedback_deadline)
    wanted = (
        [s.sheet or DATA_SHEET for s in sheets] + [SUMMARY_SHEET] + ([COLUMNS_SHEET] if columns_block else [])
    )
    names = sheet_names(wanted)
    content, all_reasons, all_rejected, all_warned, total, cut = [], [], [], [], 0, False
    for sheet in sheets:
        data, row_reasons, rejected, warned = _data(sheet, steps)
        content.append(data)
        all_reasons += row_reasons
        all_rejected += rejected
        all_warned += warned
        total += len(sheet.table)
        cut |= len(sheet.table) > FULL_COPY_ROWS
    content.append(_summary(all_reasons, all_rejected, all_warned, total, cut))
    if columns_block:
        content.append(_columns_block(sheets, passed_over))
    return write_workbook(Path(out), list(zip(names, content, strict=True)), paper=settings.paper)


def next_steps(contact: str | None, deadline: str | None) -> str:
    """What the clerk does with the workbook, in one Indonesian sentence: to whom and by when (from the
    settings ``feedback_contact`` and ``feedback_deadline``; plain wording when they are not set)."""
    to = (
        contact.strip()
        if contact and contact.strip()
        else "tim penyusun masterplan yang mengirim umpan balik ini"
    )
    when = f"paling lambat {deadline.strip()}" if deadline and deadline.strip() else "secepatnya"
    return (
        "Perbaiki baris berwarna merah sesuai kolom Catatan validasi dan periksa baris kuning; jangan "
        f"ubah judul kolom. Kirim kembali berkas yang sudah diperbaiki kepada {to}, {when}."
    )


# A sheet of more data rows than this is answered with its rows that have a note only (each with its
# "Baris asal"): a clerk looks for the red rows, and a spreadsheet holds at most 1,048,576 rows.
FULL_COPY_ROWS = 10_000


KEY_ROWS = (("Merah: baris ditolak, perbaiki sesuai catatan", "red"),
            ("Kuning: diterima dengan catatan, periksa", "yellow"))  # fmt: skip


def _data(sheet: SheetFeedback, steps: str):
    """The sheet's rows back as a work list: what to do and the colour key on top, then the note and the
    row's number beside the agency's own columns (in their order); long texts wrap."""
    table, headers, findings = sheet.table, sheet.headers, sheet.findings
    columns = [c for c in table.columns if c != "row_number"]
    if len(headers) != len(columns):
        raise ValueError(f"{len(headers)} headers for {len(columns)} columns of the table")
    if len(table) > FULL_COPY_ROWS:  # a large sheet: the rows with a note only
        table = table[np.isin(table["row_number"].to_numpy(dtype=np.int64), np.fromiter(findings, np.int64))]
    # one note and one state per row; rows share few combinations of reasons: each is rendered once
    row_reasons = [findings.get(n, ()) for n in table["row_number"].tolist()]
    judged: dict[tuple, tuple[str, bool]] = {(): (OK_NOTE, False)}
    notes, rejected, warned = [], [], []
    for reasons in row_reasons:
        key = tuple(reasons)
        verdict = judged.get(key)
        if verdict is None:
            verdict = judged[key] = (row_note(key), any(r.blocking for r in key))
        notes.append(verdict[0])
        rejected.append(verdict[1])
        warned.append(not verdict[1] and bool(key))
    fills = np.where(rejected, FILL_RED, np.where(warned, FILL_YELLOW, FILL_NONE))
    numbers = table["row_number"].to_numpy(dtype=np.int64).astype(str).astype(object)
    columns_data = [notes, numbers] + [table[c].to_numpy(dtype=object) for c in columns]
    widths = _widths(table, headers, columns)
    lines = textwrap.wrap(steps, STEPS_LINE)  # short lines: a long one would widen the printed page
    top = [[("Yang perlu dilakukan", "bold")], *([(line, "plain")] for line in lines),
           *([key] for key in KEY_ROWS), []]  # fmt: skip
    wrap = frozenset(range(len(columns_data)))  # every cell wraps and sits at the top of its row
    data = DataSheet([NOTES_HEADER, ROW_HEADER, *headers], columns_data, fills,
                     [NOTES_WIDTH, 10, *widths[:-1]], top=top, wrap=wrap)  # fmt: skip
    return data, row_reasons, rejected, warned


KIND_WORDS_ID = {
    "village": "nama desa/kelurahan", "district": "nama kecamatan", "code": "kode wilayah",
    "dimension": "dimensi", "swot": "kategori SWOT", "severity": "tingkat urgensi", "lat": "lintang",
    "lon": "bujur", "location": "koordinat, tautan peta atau alamat", "agency": "nama perangkat daerah",
    "year": "tahun", "readiness": "aspek kesiapan", "description": "uraian (teks panjang)",
}  # fmt: skip


def evidence_text(found: dict | None) -> str:
    """How a column was recognised, in Bahasa Indonesia: "menurut judul kolom" or "menurut isinya: 14
    dari 15 nilai adalah nama desa/kelurahan"."""
    if not found:
        return ""
    if found.get("by") == "content":
        kind = KIND_WORDS_ID[found["kind"]]
        return f"menurut isinya: {found['matched']} dari {found['sampled']} nilai adalah {kind}"
    return "menurut judul kolom"


def _columns_block(sheets: Sequence[SheetFeedback], passed_over: Sequence[tuple[str, str]]):
    """The "Kolom yang dibaca" sheet: per sheet, its counts and which header was read as what."""
    rows: list[tuple[object, object, bool]] = [
        ("Kolom yang dibaca", None, True),
        ("Periksa di sini kolom mana yang dibaca sebagai apa: lokasi yang tidak ditemukan sering berarti "
         "kolomnya tidak dikenali.", None, False),
    ]  # fmt: skip
    for sheet in sheets:
        rejected = sum(any(r.blocking for r in reasons) for reasons in sheet.findings.values())
        skipped = sum(sheet.skipped.values())
        seen = len(sheet.table) + skipped
        rows += [(None, None, False), (f"Lembar: {sheet.sheet}" if sheet.sheet else "Berkas CSV", None, True)]
        if sheet.header_row:
            rows.append(("Baris judul kolom", sheet.header_row, False))
        rows += [
            ("Baris terbaca", seen, False),
            ("Diterima", len(sheet.table) - rejected, False),
            ("Ditolak", rejected, False),
            ("Dilewati (bukan data)", skipped, False),
        ]
        for kind, count in sheet.skipped.items():
            rows.append((f"  dilewati: {SKIP_LABELS.get(kind, kind)}", count, False))
        rows.append(("Judul kolom", "Dibaca sebagai", True))
        for header, role in sheet.columns_read:
            label = ROLE_LABELS.get(role, role) if role else "tidak dipakai (disimpan apa adanya)"
            how = evidence_text(sheet.evidence.get(header))
            rows.append((header, f"{label} ({how})" if how else label, False))
        for role, value in sheet.from_name.items():
            rows.append((f"({ROLE_LABELS[role]})", f"dari nama lembar: {value}", False))
        if (
            not sheet.from_name
            and sheet.columns_read
            and "dimension" not in {r for _, r in sheet.columns_read}
        ):
            rows.append(
                ("(Dimensi)", "tidak ada kolom dimensi dan nama lembar tidak menyebut dimensi", False)
            )
    if not sheets:
        rows += [(None, None, False), ("Tidak ada tabel yang dapat dibaca di berkas ini.", None, False)]
    if passed_over:
        rows += [(None, None, False), ("Lembar yang tidak dibaca", "Alasan", True)]
        rows += [(name, PASSED_OVER_LABELS.get(why, why), False) for name, why in passed_over]
    return rows, (60, 60)


def write_problem_feedback(
    out: Path,
    file_name: str,
    code: str,
    message: str,
    sheets: Sequence[SheetFeedback] = (),
    passed_over: Sequence[tuple[str, str]] = (),
) -> Path:
    """The feedback of a file that could not be used at all: what was wrong and how to fix it (in
    Bahasa Indonesia, from :data:`FILE_PROBLEMS`), the columns that were read if any, and the
    technical message for the operator."""
    problem, fix = FILE_PROBLEMS.get(code, FILE_PROBLEMS["unreadable"])
    rows: list[tuple[object, object, bool]] = [
        ("Berkas tidak dapat dimuat", file_name, True),
        ("Masalah", problem, False),
        ("Cara memperbaiki", fix, False),
        ("Pesan teknis", message, False),
    ]
    if code in ("no_description_column", "no_dimension"):
        rows += [(None, None, False), ("Judul kolom yang dikenali", "Contoh", True)]
        rows += [(label, _ACCEPTED.get(role, ""), False) for role, label in ROLE_LABELS.items()]
    content = [(PROBLEM_SHEET, (rows, (30, 100))), (COLUMNS_SHEET, _columns_block(sheets, passed_over))]
    names = sheet_names([name for name, _ in content])
    return write_workbook(
        Path(out), [(n, c) for n, (_, c) in zip(names, content, strict=True)], paper=get_settings().paper
    )


_ACCEPTED = {
    "description": "Permasalahan, Uraian Permasalahan, Masalah, Uraian, Isu, Deskripsi",
    "dimension": "Dimensi (atau nama lembar: Smart Governance, Smart Economy, ...)",
    "swot": "Kategori, Kategori (SWOT), Jenis, SWOT (atau nama lembar: Kekuatan, Kelemahan, ...)",
    "severity": "Urgensi, Tingkat Urgensi, Prioritas",
    "code": "Kode Wilayah, Kode Desa, Kode Kemendagri, Kode",
    "village": "Desa, Kelurahan, Desa/Kelurahan, Nama Desa",
    "district": "Kecamatan, Kec., Nama Kecamatan",
    "lat": "Lintang, Latitude, Lat",
    "lon": "Bujur, Longitude, Lon, Long",
    "location": "Lokasi, Alamat, Titik Koordinat, Koordinat, Link Lokasi, Lokasi (Desa/Kec.)",
    "agency": "OPD, Perangkat Daerah, Instansi",
    "year": "Tahun, Tahun Anggaran",
    "readiness": "Aspek Kesiapan, Kesiapan (isi: Suprastruktur, Struktur atau Infrastruktur; boleh kosong)",
    "notes": "Keterangan, Catatan",
}


NOTES_WIDTH = 45
STEPS_LINE = 90  # characters of a line of the what-to-do block


def _widths(table: pd.DataFrame, headers: list[str], columns: list[str]) -> list[float]:
    """Widths that fit each column's longest text (capped at 50, at least 8), the notes column 80."""
    widths = []
    for header, column in zip(headers, columns, strict=True):
        values = table[column].to_numpy(dtype=object)
        try:
            longest = max(map(len, filter(None, values.tolist())), default=0)  # cells are text or None
        except TypeError:
            longest = max((len(str(v)) for v in values if v is not None), default=0)
        widths.append(min(max(max(len(str(header or "")), longest) + 2, 8), 50))
    return [*widths, 80]


def _summary(
    row_reasons, rejected: list[bool], warned: list[bool], total: int | None = None, cut: bool = False
):
    """The "Ringkasan" sheet: counts of rows (all, accepted, rejected, with warnings) and of each kind of
    note, blocking kinds first, then the most frequent; (rows, column widths). ``total``: the data rows
    when only the rows with a note are listed (``cut``)."""
    total = len(rejected) if total is None else total
    rows: list[tuple[object, object, bool]] = [
        ("Ringkasan pemeriksaan", None, True),
        ("Baris data", total, False),
        ("Diterima", total - sum(rejected), False),
        ("Ditolak", sum(rejected), False),
        ("Diterima dengan peringatan", sum(warned), False),
        (None, None, False),
        ("Jenis catatan", "Jumlah baris", True),
    ]
    kinds = Counter(code for reasons in row_reasons for code in {r.code for r in reasons})
    examples = {r.code: r for reasons in row_reasons for r in reasons}
    for code, count in sorted(kinds.items(), key=lambda kv: (not examples[kv[0]].blocking, -kv[1], kv[0])):
        example = examples[code]
        label = ("Ditolak: " if example.blocking else "Peringatan: ") + _kind_label(example)
        rows.append((label, count, False))
    if cut:
        note = (
            f"Lembar dengan lebih dari {FULL_COPY_ROWS:,} baris data: hanya baris yang diberi catatan "
            "yang dicantumkan (lihat kolom Baris asal)."
        )
        rows += [(None, None, False), (note, None, False)]
    return rows, (70, 14)


def _kind_label(reason: Reason) -> str:
    """The Indonesian message of a reason without its row-specific value, for the summary."""
    generic = Reason(reason.code, reason.column, "…")
    return generic.indonesian().replace("'…'", "…")
