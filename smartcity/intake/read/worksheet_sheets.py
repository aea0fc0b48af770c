"""Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) read with python-calamine into the table of each
sheet that has a recognisable header, as text cells, merged cells filled down their range.

calamine reads cached values and never evaluates a formula; it gives no merged ranges for an ODS file,
so those are read from its content.xml. Which sheets are read: :func:`sheet_passed_over`. Raw cells
become text columns in :mod:`smartcity.intake.read.cells`, as the CSV reader's do.
"""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import python_calamine

from smartcity.intake.read.cells import SheetPart, cell_text, row_texts, text_columns
from smartcity.intake.read.limits import DEFAULT_LIMITS, ReadLimits, WorkbookProblem, check_shape, no_header
from smartcity.intake.read.worksheet_headers import HEADER_SEARCH_ROWS, find_header, guess_header

# Sheets whose name says they are not the data: summaries, lists, instructions, examples. A name that
# also says it holds the data ("Daftar Permasalahan", "Rekap Isian"?) is read all the same.
_NOT_DATA_SHEET = re.compile(
    r"\b(rekap\w*|ringkasan|summary|referensi|reference|daftar|list|lookup|petunjuk|panduan|instruksi\w*|"
    r"cara pengisian|contoh|example|pivot|grafik|chart|master|kode wilayah|readme)\b"
)
_DATA_SHEET = re.compile(r"\b(permasalahan|masalah|isu|isian|data|kertas kerja|swot)\b")


def sheet_passed_over(sheet_name: str, visible: bool = True) -> str | None:
    """Why a sheet is not read ("hidden", "summary"), or None when it may hold data.

    Hidden sheets are passed over (very hidden ones too): what an agency hides is not what it sends.
    A sheet named as a summary, a list, instructions or an example (Rekap, Rekapitulasi, Ringkasan,
    Referensi, Daftar, Petunjuk, Lookup, Contoh, ...) is passed over unless its name also says it holds
    the data (Permasalahan, Isian, Data). Sheets without a recognisable table are passed over by the
    reader ("no_table"). Rows hidden by a filter or by hand are data: they are read.
    """
    if not visible:
        return "hidden"
    words = " ".join(re.sub(r"[\W_]+", " ", sheet_name.casefold()).split())
    if _NOT_DATA_SHEET.search(words) and not _DATA_SHEET.search(words):
        return "summary"
    return None


def read_spreadsheet(name: str, raw: bytes, limits: ReadLimits = DEFAULT_LIMITS):
    """Every sheet with a worksheet table, in workbook order, and the sheets passed over with why.

    Sheets named as summaries or lists are read only when no other sheet holds a table: a workbook
    whose one sheet an agency called "Rekap" is that agency's data."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        shown, kind = python_calamine.SheetVisibleEnum.Visible, python_calamine.SheetTypeEnum.WorkSheet
        visible = {m.name: m.visible == shown and m.typ == kind for m in book.sheets_metadata}
        ods_merges = _ods_merges(raw)
        found: dict[str, SheetPart | None] = {}
        why: dict[str, str] = {s: sheet_passed_over(s, visible.get(s, True)) for s in book.sheet_names}
        budget = [limits.max_rows]
        for sheet_name in book.sheet_names:
            if why[sheet_name] is None:
                found[sheet_name] = _read_sheet(name, book, sheet_name, ods_merges, limits, budget)
        if not any(found.values()):  # only summaries: read them after all
            for sheet_name in book.sheet_names:
                if why[sheet_name] == "summary":
                    found[sheet_name] = _read_sheet(name, book, sheet_name, ods_merges, limits, budget)
                    why[sheet_name] = None
        parts = [found[s] for s in book.sheet_names if found.get(s)]
        passed_over = [(s, why[s] or "no_table") for s in book.sheet_names if not found.get(s)]
        if not parts:
            problem = no_header(name)
            problem.passed_over = passed_over  # the agency's feedback lists the sheets and why
            raise problem
        for sheet_name, reason in passed_over:  # a legend on a sheet of its own keys the other sheets
            if reason != "hidden":
                parts[0].book_texts += _sheet_texts(book, sheet_name)
    except python_calamine.PasswordError:
        raise WorkbookProblem(
            f"{name}: the workbook is password-protected; save it without a password", "password"
        ) from None
    except python_calamine.CalamineError as exc:
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise WorkbookProblem(
            f"{name}: not a readable spreadsheet (truncated or corrupt): {detail}", "unreadable"
        ) from None
    return parts, passed_over


LOOSE_ROWS = 200  # rows of a sheet passed over that are looked at for a legend


def _sheet_texts(book, sheet_name: str) -> list[str]:
    """The texts of a sheet passed over (its first rows), where a legend for the other sheets may be."""
    rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False, nrows=LOOSE_ROWS)
    return [t for row in _text_rows(rows) for t in row_texts([c for c in row if c])]


def _read_sheet(name: str, book, sheet_name: str, ods_merges, limits: ReadLimits, budget: list[int]):
    """One sheet's table (None when it has no recognisable header); ``budget`` holds the rows the
    file may still have, across its sheets."""
    sheet = book.get_sheet_by_name(sheet_name)
    merges = sheet.merged_cell_ranges or ods_merges.get(sheet_name, [])
    top = _text_rows(sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS))
    _fill_merges_in_rows(top, merges)
    found = find_header(top) or guess_header(top)  # no header names a description: the content will say
    if not found:
        return None
    header_index, roles = found
    height = max(sheet.height, sheet.total_height) - header_index - 1
    check_shape(name, height, max(sheet.width, sheet.total_width), limits)  # before the cells exist
    budget[0] -= max(height, 0)
    if budget[0] < 0:
        raise WorkbookProblem(
            f"{name}: more than {limits.max_rows:,} rows in all its sheets; split the file "
            "(limit: SMARTCITY_INTAKE_MAX_ROWS)", "too_large",
        )  # fmt: skip
    grid = sheet.to_python(skip_empty_area=False)[header_index + 1 :]
    return _sheet_part(sheet_name, top, header_index, roles, grid, merges)


def _sheet_part(sheet_name: str, top, header_index: int, roles, grid, merges) -> SheetPart:
    """Text columns of one sheet's rows under its header (merged cells filled down their range)."""
    headers = top[header_index]
    width = max(len(headers), max((len(r) for r in grid), default=0))
    cells = np.empty((len(grid), width), dtype=object)
    for i, row in enumerate(grid):  # calamine rows are rectangular; this loop copies references only
        cells[i, : len(row)] = row
    columns, typed = text_columns([cells[:, j] for j in range(width)], len(grid))
    # Blank rows are decided on the cells as typed, so a merge running past the data adds no rows.
    first = header_index + 1  # 0-based sheet row of the first data row
    for (r0, c0), (r1, _) in merges:  # a district typed once and merged down: every row gets it
        if r0 >= first and r1 > r0 and c0 < width:
            columns[c0][r0 - first + 1 : r1 - first + 1] = columns[c0][r0 - first]
    for column in columns:
        column[~typed] = None
    row_numbers = np.arange(first + 1, first + 1 + len(grid))
    above = top[:header_index]
    return SheetPart(sheet_name, above, list(range(1, header_index + 1)), header_index + 1, roles, headers,
                 columns, typed, row_numbers)  # fmt: skip


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merges(raw: bytes) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Merged ranges per sheet of an OpenDocument spreadsheet ((row, column) 0-based corners, as
    calamine gives them for Excel files; calamine gives none for ODS). {} for anything else.

    Read from content.xml with the standard library's expat parser (entity expansion bounded by expat,
    external entities never fetched), after the archive passed the size checks."""
    if not raw.startswith(b"PK"):
        return {}
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if "content.xml" not in archive.namelist() or b"opendocument.spreadsheet" not in archive.read(
                "mimetype"
            ):
                return {}
            merges: dict[str, list] = {}
            with archive.open("content.xml") as content:
                sheet, row = None, 0
                for event, element in ET.iterparse(content, events=("start", "end")):
                    tag = element.tag
                    if event == "start" and tag == _ODS_TABLE + "table":
                        sheet, row = element.get(_ODS_TABLE + "name"), 0
                        merges[sheet] = []
                    elif event == "end" and tag == _ODS_TABLE + "table-row":
                        column = 0
                        for cell in element:
                            repeat = int(cell.get(_ODS_TABLE + "number-columns-repeated", "1"))
                            rows = int(cell.get(_ODS_TABLE + "number-rows-spanned", "1"))
                            columns = int(cell.get(_ODS_TABLE + "number-columns-spanned", "1"))
                            if rows > 1 or columns > 1:
                                merges[sheet].append(((row, column), (row + rows - 1, column + columns - 1)))
                            column += repeat
                        row += int(element.get(_ODS_TABLE + "number-rows-repeated", "1"))
                        element.clear()
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError, OSError):
        return {}
    return merges


def _fill_merges_in_rows(rows: list[list[str | None]], merges) -> None:
    """Copy each merged range's value down its first column (header cells merged over two rows)."""
    for (r0, c0), (r1, _) in merges:
        for r in range(r0 + 1, min(r1 + 1, len(rows))):
            if c0 < len(rows[r]) and c0 < len(rows[r0]):
                rows[r][c0] = rows[r0][c0]


def _text_rows(rows: list[list[object]]) -> list[list[str | None]]:
    """The first rows of a sheet or file as texts (None for empty), to look for the header in."""
    texts = ([cell_text(c) for c in row] for row in rows)
    return [[t if t.strip() else None for t in row] for row in texts]
