"""Cells as the text they show (:func:`cell_text`, :func:`text_columns`), and the table found in one
sheet (:class:`SheetPart`): what the spreadsheet and CSV readers both make, before
:mod:`smartcity.intake.read.worksheets` turns it into a worksheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


def cell_text(value: object) -> str:
    """What the cell shows, as text: 3.0 -> '3', 116.25 -> '116.25', dates ISO; '' for empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return format(value, ".15g")  # Excel shows 15 significant digits: 0.1+0.2 -> '0.3'
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return "" if value is None else str(value)


def _spreadsheet_texts(values: np.ndarray) -> np.ndarray:
    """cell_text of every cell; whole numbers (most numbers in a worksheet) converted in one go."""
    texts = values.copy()
    is_float = np.fromiter((type(v) is float for v in values), dtype=bool, count=len(values))
    numbers = values[is_float].astype(float)
    whole = np.isfinite(numbers) & (numbers == np.trunc(numbers)) & (np.abs(numbers) < 1e16)
    number_texts = numbers.astype(object)
    number_texts[whole] = numbers[whole].astype(np.int64).astype(str)
    number_texts[~whole] = [format(v, ".15g") for v in numbers[~whole].tolist()]  # as in cell_text
    texts[is_float] = number_texts
    other = np.fromiter((type(v) is not str for v in texts), dtype=bool, count=len(texts))
    texts[other] = [cell_text(v) for v in texts[other]]
    return texts


def text_columns(raw_columns: list[np.ndarray], n: int, parsed_csv: bool = False):
    """Text columns (None where empty or only whitespace) and the mask of rows with any text."""
    columns, counts = counted_text_columns(raw_columns, n, parsed_csv)
    return columns, counts > 0


def counted_text_columns(raw_columns: list[np.ndarray], n: int, parsed_csv: bool = False):
    """Text columns (None where empty or only whitespace) and the number of filled cells of each row."""
    columns, filled = [], np.zeros(n, dtype=np.int64)
    for values in raw_columns:
        if parsed_csv:  # all str, and the parser already turned cells of spaces into ""
            empty = values == ""
        else:
            if pd.api.types.infer_dtype(values, skipna=False) != "string":
                values = _spreadsheet_texts(values)
            empty = np.array([not v or v.isspace() for v in values], dtype=bool)
        columns.append(np.where(empty, None, values))
        filled += ~empty
    return columns, filled


def row_texts(cells: list[str]) -> list[str]:
    """A row's texts where a legend may be: each cell, and a pair of cells joined as one definition
    ("B" | "Pemasaran Daerah" -> "B = Pemasaran Daerah")."""
    return cells + ([f"{cells[0]} = {cells[1]}"] if len(cells) == 2 else [])


@dataclass
class SheetPart:
    """One sheet's table as found, before it becomes a
    :class:`~smartcity.intake.read.worksheets.Worksheet` (what the spreadsheet and CSV readers return;
    a CSV file is one sheet named "")."""

    sheet: str
    above: list[list[str | None]]  # the rows above the header, as texts
    above_numbers: list[int]  # their row (line) numbers
    header_row: int
    roles: dict[str, int]  # role -> column index
    headers: list[str | None]
    columns: list[np.ndarray]  # text or None per data row
    filled: np.ndarray  # rows with any text
    row_numbers: np.ndarray
    csv: bool = False
    book_texts: list[str] = field(default_factory=list)  # texts of the workbook's other sheets (legends)
    cell_counts: np.ndarray | None = None  # filled cells of each row, when the reader counted them
