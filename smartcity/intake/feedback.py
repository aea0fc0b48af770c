"""Feedback to agencies: their own rows back, each with its validation notes in Bahasa Indonesia.

The workbook copies the agency's rows under their original headers, in their original order, and adds
a last column "Catatan validasi" (blocking reasons first, then warnings; "OK" when none). Rejected rows
are filled red, rows kept with a warning yellow. A second sheet "Ringkasan" gives the counts.

Everything written is a plain string (or a number we made ourselves): agency text is never written as
a formula. In the workbook a text such as ``=HYPERLINK(...)`` stays exactly as the agency wrote it but
is stored as a string cell with Excel's quote prefix, so neither opening nor editing the cell turns it
into a formula, and the agency can send the corrected copy back unchanged. For CSV, where every cell is
parsed again by the spreadsheet, :func:`neutralise` prefixes such text with ``'`` as OWASP recommends.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from smartcity.intake.reasons import Reason

DATA_SHEET = "Data"
SUMMARY_SHEET = "Ringkasan"
NOTES_HEADER = "Catatan validasi"
OK_NOTE = "OK"
REJECTED_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV Injection"); the
# full-width forms are read as formulas by some East Asian locales of Excel.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses in a cell
_MAX_CELL_TEXT = 32_767  # Excel's limit on the length of a cell's text


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


def write_feedback(
    out: Path, table: pd.DataFrame, headers: list[str], findings: dict[int, list[Reason]]
) -> Path:
    """Write the agency's rows with their validation notes to ``out`` (.xlsx) and return the path.

    ``table`` is a worksheet table (``row_number`` then one column per file column); ``headers`` are
    the file's headers in order, one per column after ``row_number``; ``findings`` maps a
    ``row_number`` to its reasons (rows missing from it are "OK").
    """
    columns = [c for c in table.columns if c != "row_number"]
    if len(headers) != len(columns):
        raise ValueError(f"{len(headers)} headers for {len(columns)} columns of the table")
    # one note and one state per row, computed once
    row_reasons = [list(findings.get(int(n), ())) for n in table["row_number"]]
    notes = [row_note(reasons) for reasons in row_reasons]
    rejected = [any(r.blocking for r in reasons) for reasons in row_reasons]
    warned = [not bad and bool(reasons) for bad, reasons in zip(rejected, row_reasons, strict=True)]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append([_text_cell(sheet, h) for h in [*headers, NOTES_HEADER]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    values = table[columns].to_numpy(dtype=object)
    for index, row in enumerate(values):
        sheet.append([_text_cell(sheet, v) for v in row] + [_text_cell(sheet, notes[index])])
        fill = REJECTED_FILL if rejected[index] else WARNING_FILL if warned[index] else None
        if fill is not None:
            for cell in sheet[sheet.max_row]:
                cell.fill = fill
    _layout(sheet, table, columns)
    _write_summary(workbook.create_sheet(SUMMARY_SHEET), row_reasons, rejected, warned)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out


def _text_cell(sheet, value: object) -> Cell | int | float | None:
    """A string cell holding ``value`` as text, never a formula; numbers stay numbers, None empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = _ILLEGAL_XML.sub("", str(value))[:_MAX_CELL_TEXT]
    cell = Cell(sheet, value=None)
    cell._value, cell.data_type = text, "s"  # set directly: assigning .value would make "=..." a formula
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True  # Excel keeps it text even when the agency edits the cell
    return cell


def _layout(sheet, table: pd.DataFrame, columns: list[str]) -> None:
    """Frozen header, filter, and widths that fit the content (capped), the notes column wide."""
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for position, column in enumerate(columns, start=1):
        lengths = table[column].dropna().astype(str).str.len()
        width = max(len(str(sheet.cell(1, position).value or "")), int(lengths.max()) if len(lengths) else 0)
        sheet.column_dimensions[get_column_letter(position)].width = min(max(width + 2, 8), 50)
    notes_column = get_column_letter(len(columns) + 1)
    sheet.column_dimensions[notes_column].width = 80
    for cell in sheet[notes_column][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_summary(sheet, row_reasons: list[list[Reason]], rejected: list[bool], warned: list[bool]) -> None:
    """Counts of rows (all, accepted, rejected, with warnings) and of each kind of note."""
    accepted = len(rejected) - sum(rejected)
    sheet.append(["Ringkasan pemeriksaan", None])
    sheet.append(["Baris data", len(rejected)])
    sheet.append(["Diterima", accepted])
    sheet.append(["Ditolak", sum(rejected)])
    sheet.append(["Diterima dengan peringatan", sum(warned)])
    sheet.append([None, None])
    sheet.append(["Jenis catatan", "Jumlah baris"])
    kinds = Counter(code for reasons in row_reasons for code in {r.code for r in reasons})
    examples = {r.code: r for reasons in row_reasons for r in reasons}
    # blocking kinds first, then the most frequent
    for code, count in sorted(kinds.items(), key=lambda kv: (not examples[kv[0]].blocking, -kv[1], kv[0])):
        example = examples[code]
        label = ("Ditolak: " if example.blocking else "Peringatan: ") + _kind_label(example)
        sheet.append([_text_cell(sheet, label), count])
    for row in (1, 7):
        sheet.cell(row, 1).font = sheet.cell(row, 2).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 70
    sheet.column_dimensions["B"].width = 14


def _kind_label(reason: Reason) -> str:
    """The Indonesian message of a reason without its row-specific value, for the summary."""
    generic = Reason(reason.code, reason.column, "…")
    return generic.indonesian().replace("'…'", "…")
