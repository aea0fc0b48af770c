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

import numpy as np
import pandas as pd
from openpyxl.styles import PatternFill

from smartcity.intake.reasons import Reason
from smartcity.intake.sheetml import FILL_NONE, FILL_RED, FILL_YELLOW, FORMULA_TRIGGERS, write_workbook

DATA_SHEET = "Data"
SUMMARY_SHEET = "Ringkasan"
NOTES_HEADER = "Catatan validasi"
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


def write_feedback(
    out: Path, table: pd.DataFrame, headers: list[str], findings: dict[int, list[Reason]]
) -> Path:
    """Write the agency's rows with their validation notes to ``out`` (.xlsx) and return the path.

    ``table`` is a worksheet table (``row_number`` then one column per file column); ``headers`` are
    the file's headers in order, one per column after ``row_number``; ``findings`` maps a
    ``row_number`` to its reasons (rows missing from it are "OK").

    Streamed (:mod:`smartcity.intake.sheetml`): a column at a time, in time and memory linear in the
    rows; the file is written next to ``out`` and renamed over it (never through a symbolic link).
    """
    columns = [c for c in table.columns if c != "row_number"]
    if len(headers) != len(columns):
        raise ValueError(f"{len(headers)} headers for {len(columns)} columns of the table")
    # one note and one state per row, computed once
    row_reasons = [list(findings.get(int(n), ())) for n in table["row_number"]]
    notes = [row_note(reasons) if reasons else OK_NOTE for reasons in row_reasons]
    rejected = [any(r.blocking for r in reasons) for reasons in row_reasons]
    warned = [not bad and bool(reasons) for bad, reasons in zip(rejected, row_reasons, strict=True)]

    fills = np.where(rejected, FILL_RED, np.where(warned, FILL_YELLOW, FILL_NONE))
    columns_data = [table[c].to_numpy(dtype=object) for c in columns] + [notes]
    data = ([*headers, NOTES_HEADER], columns_data, fills, _widths(table, headers, columns))
    return write_workbook(
        Path(out), (DATA_SHEET, SUMMARY_SHEET), data, _summary(row_reasons, rejected, warned)
    )


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


def _summary(row_reasons: list[list[Reason]], rejected: list[bool], warned: list[bool]):
    """The "Ringkasan" sheet: counts of rows (all, accepted, rejected, with warnings) and of each kind of
    note, blocking kinds first, then the most frequent; (rows, column widths)."""
    rows: list[tuple[object, object, bool]] = [
        ("Ringkasan pemeriksaan", None, True),
        ("Baris data", len(rejected), False),
        ("Diterima", len(rejected) - sum(rejected), False),
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
    return rows, (70, 14)


def _kind_label(reason: Reason) -> str:
    """The Indonesian message of a reason without its row-specific value, for the summary."""
    generic = Reason(reason.code, reason.column, "…")
    return generic.indonesian().replace("'…'", "…")
