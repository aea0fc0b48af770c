"""Read an agency's worksheet (kertas kerja) into a table of cell texts, whatever it was typed in.

Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) go through python-calamine, which reads cached values
and never evaluates a formula; CSV/TXT through pandas' C parser. Both end in one table of text cells
(``None`` for empty), one row per non-blank row, numbered as the agency sees them in its own file.
Glossary: OPD / perangkat daerah = agency, kecamatan = district, desa/kelurahan = village.

This module is the reader's public API and what its parts share: the limits and their checks, the
problems a file can have, cell texts, and the table found in a sheet made into a :class:`Worksheet`.
Header recognition is in :mod:`smartcity.intake.read.worksheet_headers` (its names are re-exported
here), spreadsheets in :mod:`smartcity.intake.read.worksheet_sheets`, CSV/TXT in
:mod:`smartcity.intake.read.worksheet_csv`. Those two readers import this module; :func:`read_workbook`
imports them when it first reads a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from smartcity.intake.answer.validation import dimension_of, swot_of
from smartcity.intake.read.personal import personal_columns
from smartcity.intake.read.worksheet_headers import (
    AGENCY_LABELS,
    HEADER_SEARCH_ROWS,
    ROLE_ALIASES,
    agency_hint,
    match_role,
    normalise_header,
    recognise_roles,
)
from smartcity.platform.errors import InputError
from smartcity.platform.files import UnsafePath, read_regular
from smartcity.platform.vocabulary import CSV_SUFFIXES, SPREADSHEET_SUFFIXES, WORKSHEET_SUFFIXES

__all__ = [
    "AGENCY_LABELS", "CSV_SUFFIXES", "DEFAULT_LIMITS", "HEADER_SEARCH_ROWS", "ROLE_ALIASES",
    "SHEET_NAME_COLUMNS", "SPREADSHEET_SUFFIXES", "ReadLimits", "Workbook", "WorkbookProblem", "Worksheet",
    "cell_text", "match_role", "normalise_header", "read_file", "read_workbook", "read_worksheet",
    "recognise_roles", "sheet_passed_over", "values_from_sheet_name",
]  # fmt: skip


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


@dataclass
class Worksheet:
    """One sheet of an agency worksheet as read: where its header is, which roles it has, its data rows
    as text, and the rows that are not data (with why)."""

    source: str  # file name
    sha256: str  # hex sha256 of the file bytes
    agency_hint: str | None  # from a "Perangkat Daerah: X" line above the header
    header_row: int  # 1-based row (or CSV line) of the header
    roles: dict[str, str]  # role -> column name in ``table``
    table: pd.DataFrame  # row_number, then one column per file column (str or None)
    sheet: str = ""  # the sheet's name ("" for a CSV file)
    skipped: pd.DataFrame = field(default_factory=lambda: _skipped_frame([], [], []))
    from_name: dict[str, str] = field(default_factory=dict)  # role -> value read from the sheet's name
    columns_read: list[tuple[str, str | None]] = field(default_factory=list)  # (header, role or None)
    synthetic: tuple[str, ...] = ()  # table columns made by the reader (values from the sheet's name)
    personal: tuple[str, ...] = ()  # table columns holding personal data: never stored (intake.read.personal)

    @property
    def rows_seen(self) -> int:
        """Non-blank rows of the sheet: data rows plus rows skipped as not data (header included)."""
        return len(self.table) + len(self.skipped)

    @property
    def file_columns(self) -> list[str]:
        """The table's columns as they are in the file (without row_number and the reader's own)."""
        return [c for c in self.table.columns if c != "row_number" and c not in self.synthetic]


@dataclass
class Workbook:
    """Every sheet of a worksheet file that holds a worksheet table, and the sheets passed over."""

    source: str
    sha256: str
    sheets: list[Worksheet]
    passed_over: list[tuple[str, str]] = field(default_factory=list)  # (sheet, hidden|summary|no_table)

    @property
    def agency_hint(self) -> str | None:
        return next((s.agency_hint for s in self.sheets if s.agency_hint), None)

    @property
    def rows_seen(self) -> int:
        return sum(s.rows_seen for s in self.sheets)


class WorkbookProblem(InputError):
    """A worksheet file that cannot be used at all, with a code the agency's feedback explains
    (:data:`smartcity.intake.answer.feedback.FILE_PROBLEMS`): what was missing and how to fix it."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code


def read_workbook(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> Workbook:
    """Read every worksheet table of a file into text cells, raising WorkbookProblem (one line, with a
    code) when none can be used.

    A symbolic link or anything but a regular file is refused unread; ``limits`` bound what the file
    may expand to (see :class:`ReadLimits`). Which sheets are read: see :func:`sheet_passed_over`."""
    # the readers build on this module (its limits, problems and SheetPart): imported when needed
    from smartcity.intake.read.worksheet_csv import read_csv
    from smartcity.intake.read.worksheet_sheets import read_spreadsheet

    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in WORKSHEET_SUFFIXES:
        accepted = ", ".join(sorted(WORKSHEET_SUFFIXES))
        raise WorkbookProblem(
            f"{name}: unsupported file type {suffix or '(none)'!r} (accepted: {accepted})", "file_type"
        )
    raw = read_file(path, limits)
    if not raw or (len(raw) < 4096 and not raw.strip()):
        raise WorkbookProblem(f"{name}: the file is empty", "empty")
    sha = hashlib.sha256(raw).hexdigest()
    if suffix in SPREADSHEET_SUFFIXES:
        _check_archive(name, raw, limits)
        found, passed_over = read_spreadsheet(name, raw, limits)
    else:
        found, passed_over = [read_csv(name, raw, limits)], []
    sheets = []
    for part in found:
        if not part.csv:
            check_cells(name, part.columns, part.row_numbers, part.headers, limits, part.sheet)
        sheets.append(_worksheet(name, sha, part))
    if not any("dimension" in s.roles for s in sheets):
        problem = _no_dimension(name, sheets)
        problem.sheets, problem.passed_over = sheets, passed_over  # for the agency's feedback
        raise problem
    return Workbook(name, sha, sheets, passed_over)


def read_worksheet(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> Worksheet:
    """The first worksheet table of a file (a one-sheet worksheet, a CSV file); the intake itself reads
    every sheet with :func:`read_workbook`."""
    return read_workbook(path, limits).sheets[0]


def read_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a worksheet file: a regular file, not through a link, within the size limit."""
    try:
        return read_regular(path, limits.max_file_bytes)
    except UnsafePath as exc:
        hint = " (SMARTCITY_INTAKE_MAX_FILE_MB)" if "limit" in str(exc) else ""
        raise WorkbookProblem(f"{path.name}: {exc}{hint}", "too_large" if hint else "not_a_file") from None
    except OSError as exc:
        raise WorkbookProblem(f"{path.name}: cannot read the file: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------------------- limits
def _check_archive(name: str, raw: bytes, limits: ReadLimits) -> None:
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


# ---------------------------------------------------------------------------------------- problems
def no_header(name: str) -> WorkbookProblem:
    aliases = "permasalahan, uraian, masalah, issue, description"
    return WorkbookProblem(
        f"{name}: no sheet has a header row with a description column ({aliases}) in its first 20 rows",
        "no_description_column",
    )


def _no_dimension(name: str, sheets: list[Worksheet]) -> WorkbookProblem:
    accepted = ", ".join(ROLE_ALIASES["dimension"])
    where = ", ".join(f"{s.sheet!r} row {s.header_row}" if s.sheet else f"row {s.header_row}" for s in sheets)
    return WorkbookProblem(
        f"{name}: no dimension column in the header ({where}; accepted: {accepted}) and no sheet named "
        "after a dimension (Smart Governance, Smart Economy, ...)",
        "no_dimension",
    )


# ---------------------------------------------------------------------------------------- cells
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


# ---------------------------------------------------------------------------------------- table
@dataclass
class SheetPart:
    """One sheet's table as found, before it becomes a :class:`Worksheet` (what the spreadsheet and
    CSV readers return; a CSV file is one sheet named "")."""

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


# Sheets whose name says they are not the data: summaries, lists, instructions, examples. A name that
# also says it holds the data ("Daftar Permasalahan", "Rekap Isian"?) is read all the same.
_NOT_DATA_SHEET = re.compile(
    r"\b(rekap\w*|ringkasan|summary|referensi|reference|daftar|list|lookup|petunjuk|panduan|instruksi\w*|"
    r"cara pengisian|contoh|example|pivot|grafik|chart|master|kode wilayah|readme)\b"
)
_DATA_SHEET = re.compile(r"\b(permasalahan|masalah|isu|isian|data|kertas kerja|swot)\b")
_SHEET_COPY = re.compile(r"\s*(?:\(\d+\)|\[\d+\]|\s\d+)\s*$")  # "Economy 2", "Living (2)": a sheet continued
_SHEET_NUMBERING = re.compile(r"^\s*(?:\d+|[a-z])[.)]\s+|^\s*\d+\s*[-_]\s*", re.IGNORECASE)
_SHEET_NAME_READERS = {"dimension": dimension_of, "swot": swot_of}  # as the validator reads a cell


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


def values_from_sheet_name(sheet_name: str) -> dict[str, str]:
    """{"dimension": ..., "swot": ...} that a sheet's name supplies ("2. Smart Economy" -> economy,
    "Economy 2" / "Living (2)" (a sheet continued) -> economy / living, "Kekuatan" -> strength,
    "Living - Peluang" -> both), as the words the validator reads."""
    name = _SHEET_COPY.sub("", _SHEET_NUMBERING.sub("", sheet_name)).strip()
    found: dict[str, str] = {}
    for part in [name, *re.split(r"\s*[-_/|,:]\s*|\s{2,}", name)]:
        for role in ("dimension", "swot"):
            if role not in found and part and _SHEET_NAME_READERS[role](part) is not None:
                found[role] = part
    return found


def _worksheet(name: str, sha: str, part: SheetPart) -> Worksheet:
    """The table of data rows, the rows skipped as not data, and the reader's columns for values a
    sheet's name supplies when the table has no column for them (a column beats a sheet name)."""
    from smartcity.intake.read.rowkinds import classify_rows

    headers, columns, roles = part.headers, part.columns, dict(part.roles)
    keep = np.flatnonzero(part.filled)
    kinds = classify_rows([c[keep] for c in columns], roles) if len(keep) else np.empty(0, dtype=object)
    is_data = np.equal(kinds, None)
    data, skipped = keep[is_data], keep[~is_data]
    if len(data) == len(part.row_numbers):
        data = slice(None)
    table: dict[str, object] = {"row_number": np.asarray(part.row_numbers, dtype=np.int64)[data]}
    names = [" ".join(str(h).split()) if h else "" for h in headers] + [""] * (len(columns) - len(headers))
    written, by_index = set(names), {}
    for index, values in enumerate(columns):
        values = values[data]
        if not names[index] and all(v is None for v in values) and index not in roles.values():
            continue
        column = names[index] or f"Kolom {index + 1}"
        unique, copy = column, 1
        while unique in table or (unique != column and unique in written):  # a later twin is renamed
            copy += 1
            unique = f"{column} ({copy})"
        table[unique] = pd.Series(values, dtype=object, copy=False)  # object: None stays None
        by_index[index] = unique
    frame = pd.DataFrame(table, copy=False)
    role_columns = {role: by_index[index] for role, index in roles.items()}
    from_name, synthetic = {}, []
    for role, value in values_from_sheet_name(part.sheet).items() if part.sheet else ():
        if role not in role_columns:
            column = SHEET_NAME_COLUMNS[role]
            frame[column] = pd.Series(np.full(len(frame), value, dtype=object), dtype=object)
            role_columns[role], from_name[role] = column, value
            synthetic.append(column)
    role_of = {index: role for role, index in roles.items()}
    personal = personal_columns(frame, role_columns)  # never stored (smartcity.intake.read.personal)
    role_of.update(
        {i: "personal" for i, column in by_index.items() if column in personal and i not in role_of}
    )
    columns_read = [(names[i] or f"Kolom {i + 1}", role_of.get(i)) for i in sorted(by_index)]
    return Worksheet(
        source=name, sha256=sha, agency_hint=agency_hint(part.above), header_row=part.header_row,
        roles=role_columns, table=frame, sheet=part.sheet,
        skipped=_skipped_rows(part, skipped, kinds[~is_data], names),
        from_name=from_name, columns_read=columns_read, synthetic=tuple(synthetic), personal=tuple(personal),
    )  # fmt: skip


# The reader's own columns, for values a sheet's name gives (shown in the feedback's column block).
SHEET_NAME_COLUMNS = {"dimension": "Dimensi (dari nama lembar)", "swot": "Kategori (dari nama lembar)"}


def _skipped_frame(numbers, reasons, raws) -> pd.DataFrame:
    return pd.DataFrame(
        {"row_number": np.asarray(numbers, dtype=np.int64), "reason": pd.Series(reasons, dtype=object),
         "raw": pd.Series(raws, dtype=object)}
    )  # fmt: skip


def _skipped_rows(part: SheetPart, rows: np.ndarray, kinds: np.ndarray, names: list[str]) -> pd.DataFrame:
    """Rows that are not data: the lines above the header ("title", or "header" for a header line over
    the header, as merged two-row headers make), the header itself, and ``rows`` under it."""
    numbers, reasons, raws = [], [], []
    # header lines: the unbroken run of lines right above the header that name columns (a group header
    # such as "Lokasi" over "Kecamatan | Desa"); not a "Perangkat Daerah: ..." line
    header_lines, line = set(), part.header_row - 1
    while line in part.above_numbers:
        cells = part.above[part.above_numbers.index(line)]
        if not any(cells) or not recognise_roles(cells) or agency_hint([cells]):
            break
        header_lines.add(line)
        line -= 1
    for number, cells in zip(part.above_numbers, part.above, strict=True):
        texts = {f"Kolom {i + 1}": c for i, c in enumerate(cells) if c}
        if texts:
            numbers.append(number), raws.append(texts)
            reasons.append("header" if number in header_lines else "title")
    numbers.append(part.header_row), reasons.append("header")
    raws.append({f"Kolom {i + 1}": c for i, c in enumerate(part.headers) if c})
    for position, kind in zip(rows.tolist(), kinds.tolist(), strict=True):
        cells = {(names[i] if i < len(names) and names[i] else f"Kolom {i + 1}"): column[position]
                 for i, column in enumerate(part.columns) if column[position] is not None}  # fmt: skip
        numbers.append(int(part.row_numbers[position])), reasons.append(kind), raws.append(cells)
    return _skipped_frame(numbers, reasons, raws)
