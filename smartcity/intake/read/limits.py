"""The limits a worksheet file is read within, and the problems a file can have: what the readers of
spreadsheets and CSV files and :func:`smartcity.intake.read.worksheets.read_workbook` share.

Each check raises :class:`WorkbookProblem` with a one-line reason naming the setting
(SMARTCITY_INTAKE_MAX_*) before the expensive step it guards; the problem's code is what the agency's
feedback explains.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import numpy as np

from smartcity.platform.errors import InputError


@dataclass(frozen=True)
class ReadLimits:
    """What one worksheet may expand to while it is read (SMARTCITY_INTAKE_MAX_*); past any of them the
    file is refused with a one-line reason naming the setting, before the expensive step it guards."""

    max_file_bytes: int = 500_000_000
    max_expanded_bytes: int = 1_000_000_000
    max_ratio: float = 1000.0  # expanded size / file size of a zipped workbook
    max_rows: int = 1_048_576
    max_columns: int = 512
    max_cell_chars: int = 32_767

    @classmethod
    def from_settings(cls, settings) -> ReadLimits:
        """The limits configured in ``settings`` (a :class:`smartcity.platform.settings.Settings`)."""
        return cls(
            max_file_bytes=int(settings.intake_max_file_mb * 1e6),
            max_expanded_bytes=int(settings.intake_max_expanded_mb * 1e6),
            max_rows=settings.intake_max_rows, max_columns=settings.intake_max_columns,
            max_cell_chars=settings.intake_max_cell_chars,
        )  # fmt: skip


DEFAULT_LIMITS = ReadLimits()


class WorkbookProblem(InputError):
    """A worksheet file that cannot be used at all, with a code the agency's feedback explains
    (:data:`smartcity.intake.answer.feedback.FILE_PROBLEMS`): what was missing and how to fix it."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code


def check_archive(name: str, raw: bytes, limits: ReadLimits) -> None:
    """A zipped workbook (.xlsx, .xlsm, .xlsb, .ods) whose parts would expand past the limits is refused
    before it is opened: the sizes its directory declares (the unzipper stops at them, and checks them)."""
    if not raw.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            expanded = sum(max(info.file_size, 0) for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OverflowError, NotImplementedError, EOFError):
        return  # not a readable archive: the spreadsheet reader says so in its own words
    if expanded > limits.max_expanded_bytes:
        raise WorkbookProblem(
            f"{name}: the workbook expands to {expanded / 1e6:,.0f} MB, over the limit of "
            f"{limits.max_expanded_bytes / 1e6:,.0f} MB (SMARTCITY_INTAKE_MAX_EXPANDED_MB)",
            "too_large",
        )
    if expanded > limits.max_ratio * len(raw) and expanded > 10_000_000:
        raise WorkbookProblem(
            f"{name}: the workbook would expand {expanded / len(raw):,.0f} times its size "
            f"({expanded / 1e6:,.0f} MB): refused as a compression bomb",
            "too_large",
        )


def check_shape(name: str, rows: int, columns: int, limits: ReadLimits) -> None:
    if rows > limits.max_rows:
        raise WorkbookProblem(
            f"{name}: more than {limits.max_rows:,} rows ({rows:,}); split the file "
            "(limit: SMARTCITY_INTAKE_MAX_ROWS)",
            "too_large",
        )
    if columns > limits.max_columns:
        raise WorkbookProblem(
            f"{name}: {columns:,} columns, more than {limits.max_columns:,} "
            "(limit: SMARTCITY_INTAKE_MAX_COLUMNS)",
            "too_large",
        )


def check_cells(
    name: str, columns: list[np.ndarray], row_numbers, headers, limits: ReadLimits, sheet: str = ""
) -> None:
    """Refuse a file with a cell longer than the limit, naming its sheet, row and column."""
    for index, values in enumerate(columns):
        lengths = np.fromiter((len(v) if v else 0 for v in values), dtype=np.int64, count=len(values))
        if len(lengths) and lengths.max() > limits.max_cell_chars:
            at = int(np.argmax(lengths))
            header = headers[index] if index < len(headers) and headers[index] else f"Kolom {index + 1}"
            where = f"sheet {sheet!r}, " if sheet else ""
            raise WorkbookProblem(
                f"{name}: {where}row {int(row_numbers[at])}, column {' '.join(str(header).split())[:60]!r}: "
                f"a cell of {int(lengths[at]):,} characters, more than {limits.max_cell_chars:,} "
                "(limit: SMARTCITY_INTAKE_MAX_CELL_CHARS)",
                "too_large",
            )


def longest_line(raw: bytes) -> int:
    """Bytes in the longest line of ``raw`` (a cell is never longer than its line), vectorised."""
    data = np.frombuffer(raw, dtype=np.uint8)
    breaks = np.flatnonzero((data == 10) | (data == 13))
    if not len(breaks):
        return len(raw)
    edges = np.concatenate(([-1], breaks, [len(raw)]))
    return int(np.diff(edges).max() - 1)


def no_header(name: str) -> WorkbookProblem:
    aliases = "permasalahan, uraian, masalah, issue, description"
    return WorkbookProblem(
        f"{name}: no sheet has a header row with a description column ({aliases}) in its first 20 rows",
        "no_description_column",
    )
