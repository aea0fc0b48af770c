"""The agency's feedback workbook as the clerk gets it: a work list that opens on the rows to fix, says what
to do with it (to whom, by when), keys its colours, puts each row's note beside it and prints on A4
landscape with each row's description and note on the same page (LibreOffice prints it)."""

from __future__ import annotations

import random
import re

import openpyxl
import pandas as pd
import pytest

from smartcity.intake.answer.feedback import (
    COLUMNS_SHEET,
    KEY_ROWS,
    NOTES_HEADER,
    SUMMARY_SHEET,
    SheetFeedback,
    next_steps,
    write_workbook_feedback,
)
from smartcity.intake.answer.reasons import Reason
from smartcity.platform.settings import get_settings
from tests.test_masterplan import soffice_pdf

WORDS = ("jalan", "rusak", "jembatan", "putus", "sinyal", "lemah", "puskesmas", "jauh", "banjir", "musiman",
         "sekolah", "kekurangan", "guru", "air", "bersih", "belum", "menjangkau", "dusun")  # fmt: skip


def agency_sheet(rows: int, seed: int, name: str = "Data") -> SheetFeedback:
    """``rows`` rows of long descriptions (row k's text carries the mark ``u{k:04d}``), every third one
    rejected, every fifth warned about an urgency it could not read (the value ``v{k:04d}``)."""
    rng = random.Random(seed)
    texts = [f"u{k:04d} " + " ".join(rng.choices(WORDS, k=rng.randint(4, 40))) for k in range(rows)]
    table = pd.DataFrame({"row_number": range(5, rows + 5), "Uraian Permasalahan": texts,
                          "Urgensi": [str(1 + k % 5) for k in range(rows)],
                          "Kecamatan": ["Tanah Grogot"] * rows})  # fmt: skip
    findings = {}
    for k in range(rows):
        reasons = []
        if k % 3 == 0:
            reasons.append(Reason("no_location"))
        if k % 5 == 0:
            reasons.append(Reason("unreadable_severity", "Urgensi", f"v{k:04d}"))
        if reasons:
            findings[k + 5] = reasons
    return SheetFeedback(name, table, ["Uraian Permasalahan", "Urgensi", "Kecamatan"], findings)


def test_the_workbook_opens_on_the_rows_to_fix_with_what_to_do_and_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTCITY_FEEDBACK_CONTACT", "Bappedalitbang Kabupaten Paser")
    monkeypatch.setenv("SMARTCITY_FEEDBACK_DEADLINE", "15 Januari 2027")
    get_settings.cache_clear()
    try:
        out = write_workbook_feedback(tmp_path / "umpan_balik.xlsx", [agency_sheet(12, 1, "Jalan"),
                                                                     agency_sheet(3, 2, "Air")])  # fmt: skip
    finally:
        get_settings.cache_clear()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Jalan", "Air", SUMMARY_SHEET, COLUMNS_SHEET]  # the technical sheet last
    assert book.active.title == "Jalan"
    sheet = book["Jalan"]
    block = [c.value for c in sheet["A"]]
    key = block.index(KEY_ROWS[0][0])
    assert block[0] == "Yang perlu dilakukan" and block[key : key + 2] == [text for text, _ in KEY_ROWS]
    assert "kepada Bappedalitbang Kabupaten Paser, paling lambat 15 Januari 2027" in " ".join(block[1:key])
    assert sheet.cell(key + 1, 1).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(key + 2, 1).fill.fgColor.rgb.endswith("FFEB9C")
    head = next(c.row for c in sheet["A"] if c.value == NOTES_HEADER)
    assert [c.value for c in sheet[head]][:3] == [NOTES_HEADER, "Baris asal", "Uraian Permasalahan"]
    assert sheet.freeze_panes == f"A{head + 1}" and sheet.auto_filter.ref.startswith(f"A{head}:")
    for name in book.sheetnames:  # every sheet prints A4 landscape, one page wide
        setup = book[name].page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
            "landscape", 9, 1, 0), name  # fmt: skip
    assert sheet.print_title_rows == f"${head}:${head}"
    assert sheet.cell(head + 1, 1).alignment.wrap_text and sheet.cell(head + 1, 3).alignment.wrap_text


def test_the_next_steps_read_well_with_and_without_settings():
    assert "kepada tim penyusun masterplan yang mengirim umpan balik ini, secepatnya." in next_steps(
        None, None
    )
    assert next_steps(" Bappeda ", " ").endswith("kepada Bappeda, secepatnya.")


@pytest.mark.e2e
@pytest.mark.parametrize("seed", [3])
def test_printed_each_row_and_its_note_are_on_the_same_a4_page(tmp_path, seed):
    import pdfplumber

    rows = 90
    out = write_workbook_feedback(tmp_path / "umpan_balik.xlsx", [agency_sheet(rows, seed)])
    pdf = soffice_pdf(out, tmp_path)
    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            assert page.width > page.height and round(page.width) == 842 and round(page.height) == 595
            pages.append(" ".join((page.extract_text() or "").split()))
    assert "Yang perlu dilakukan" in pages[0]
    for k in range(rows):
        on = [n for n, text in enumerate(pages) if re.search(rf"\bu{k:04d}\b", text)]
        assert len(on) == 1, (k, on)  # the row is printed once, whole on one page
        if k % 5 == 0:  # its note names the value it could not read: on the same page
            assert f"v{k:04d}" in pages[on[0]], (k, on)
        if k % 3 == 0:
            assert "Lokasi kosong" in pages[on[0]]
