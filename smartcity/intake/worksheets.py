"""Read an agency's worksheet (kertas kerja) into a table of cell texts, whatever it was typed in.

Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) go through python-calamine, which reads cached values
and never evaluates a formula; CSV/TXT through pandas' C parser. Both end in one table of text cells
(``None`` for empty), one row per non-blank row, numbered as the agency sees them in its own file.
Glossary: OPD / perangkat daerah = agency, kecamatan = district, desa/kelurahan = village.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine
from rapidfuzz import fuzz, process

from smartcity.platform.errors import InputError
from smartcity.platform.files import UnsafePath, read_regular

HEADER_SEARCH_ROWS = 20
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}

# role -> accepted header names, best first (when two columns claim a role, the better name wins).
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "description": ("permasalahan", "uraian permasalahan", "masalah", "uraian", "uraian masalah", "isu",
                    "deskripsi", "issue", "problem", "description"),
    "dimension": ("dimensi", "dimensi smart city", "dimension"),
    "swot": ("kategori", "kategori (swot)", "jenis", "swot", "category"),
    "severity": ("urgensi", "tingkat urgensi", "prioritas", "tingkat prioritas", "severity"),
    "code": ("kode wilayah", "kode desa", "kode desa/kelurahan", "kode kemendagri", "kode", "code"),
    "village": ("desa", "kelurahan", "desa/kelurahan", "desa/kel.", "nama desa", "nama kelurahan",
                "village"),
    "district": ("kecamatan", "kec.", "nama kecamatan", "district"),
    "lat": ("lintang", "latitude", "lat"),
    "lon": ("bujur", "longitude", "lon", "lng", "long"),
    "location": ("lokasi", "alamat", "lokasi kegiatan", "letak", "titik koordinat", "koordinat",
                 "link lokasi", "lokasi/alamat", "alamat lokasi", "titik lokasi", "lokasi kegiatan/alamat",
                 "link google maps", "link maps", "google maps", "tautan lokasi", "location", "address",
                 "coordinates"),
    "agency": ("opd", "perangkat daerah", "instansi", "agency"),
    "year": ("tahun", "tahun anggaran", "year"),
    "notes": ("keterangan", "ket.", "catatan", "notes"),
}  # fmt: skip
AGENCY_LABELS = ("perangkat daerah", "opd", "nama opd", "instansi", "nama instansi", "skpd")


def normalise_header(text: object) -> str:
    """Lower-case letters and digits only: 'Uraian Permasalahan:' -> 'uraianpermasalahan'."""
    return re.sub(r"[\W_]+", "", str(text).casefold())


_ALIASES = {normalise_header(a): (role, rank) for role, names in ROLE_ALIASES.items()
            for rank, a in enumerate(names)}  # fmt: skip
_FUZZY_CHOICES = [a for a in _ALIASES if len(a) >= 6]
_AGENCY_LABELS = {normalise_header(a) for a in AGENCY_LABELS}


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
    (:data:`smartcity.intake.feedback.FILE_PROBLEMS`): what was missing and how to fix it."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code


def read_workbook(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> Workbook:
    """Read every worksheet table of a file into text cells, raising WorkbookProblem (one line, with a
    code) when none can be used.

    A symbolic link or anything but a regular file is refused unread; ``limits`` bound what the file
    may expand to (see :class:`ReadLimits`). Which sheets are read: see :func:`sheet_passed_over`."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES | CSV_SUFFIXES:
        accepted = ", ".join(sorted(SPREADSHEET_SUFFIXES | CSV_SUFFIXES))
        raise WorkbookProblem(
            f"{name}: unsupported file type {suffix or '(none)'!r} (accepted: {accepted})", "file_type"
        )
    raw = read_file(path, limits)
    if not raw or (len(raw) < 4096 and not raw.strip()):
        raise WorkbookProblem(f"{name}: the file is empty", "empty")
    sha = hashlib.sha256(raw).hexdigest()
    if suffix in SPREADSHEET_SUFFIXES:
        _check_archive(name, raw, limits)
        found, passed_over = _read_spreadsheet(name, raw, limits)
    else:
        found, passed_over = [_read_csv(name, raw, limits)], []
    sheets = []
    for part in found:
        if not part.csv:
            _check_cells(name, part.columns, part.row_numbers, part.headers, limits, part.sheet)
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


def _check_shape(name: str, rows: int, columns: int, limits: ReadLimits) -> None:
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


def _check_cells(
    name: str, columns: list[np.ndarray], row_numbers, headers, limits: ReadLimits, sheet: str = ""
) -> None:
    """Refuse a file with a cell longer than the limit, naming its sheet, row and column."""
    if limits.max_cell_chars >= 1 << 62:  # no cell can be that long (a CSV file without such a line)
        return
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


def _longest_line(raw: bytes) -> int:
    """Bytes in the longest line of ``raw`` (a cell is never longer than its line), vectorised."""
    data = np.frombuffer(raw, dtype=np.uint8)
    breaks = np.flatnonzero((data == 10) | (data == 13))
    if not len(breaks):
        return len(raw)
    edges = np.concatenate(([-1], breaks, [len(raw)]))
    return int(np.diff(edges).max() - 1)


# ---------------------------------------------------------------------------------------- headers
def match_role(header: object) -> tuple[str, int] | None:
    """(role, rank) for one header cell: the exact name; without '(...)'; the first part of a header
    written as several ('Uraian permasalahan / potensi'); without a leading 'Nama' ('Nama Perangkat
    Daerah'); then a close misspelling."""
    if header is None:
        return None
    text = str(header)
    bare = re.sub(r"\(.*?\)", "", text)
    first = re.split(r"\s*(?:/|\s-\s|:|\?)\s*", bare.strip())[0]
    for rank, candidate in enumerate((text, bare, first, re.sub(r"(?i)^\s*nama\s+", "", first))):
        key = normalise_header(candidate)
        if key in _ALIASES:
            role, alias_rank = _ALIASES[key]
            return role, alias_rank + 50 * (rank >= 2)  # a header named exactly elsewhere wins
    key = normalise_header(header)
    if len(key) >= 6:
        hit = process.extractOne(key, _FUZZY_CHOICES, scorer=fuzz.ratio, score_cutoff=90)
        if hit:
            role, rank = _ALIASES[hit[0]]
            return role, rank + 100  # an exact name elsewhere in the row wins over a misspelling
    return None


def recognise_roles(headers: list[str | None]) -> dict[str, int]:
    """role -> column index for a header row; the best-ranked name wins, then the leftmost."""
    best: dict[str, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        found = match_role(header)
        if found and (found[0] not in best or found[1] < best[found[0]][0]):
            best[found[0]] = (found[1], index)
    return {role: index for role, (_, index) in best.items()}


def _find_header(rows: list[list[str | None]]) -> tuple[int, dict[str, int]] | None:
    """(row index, roles) of the row recognising most roles among those with a description column.

    A header over two rows whose merged cells were not filled down (an ODS file: the reader gets no
    merges from it), a group header such as 'Lokasi' over 'Kecamatan | Desa': when the row under the
    header holds only header names, the two rows are read as one, the lower row's names winning, and
    the header is the lower row (the rows are combined in place)."""
    found = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = recognise_roles(row)
        if "description" in roles and (found is None or len(roles) > len(found[1])):
            found = (index, roles)
    if found and found[0] + 1 < len(rows):
        index, below = found[0], rows[found[0] + 1]
        names = [cell for cell in below if cell is not None]
        if names and all(match_role(cell) for cell in names):
            upper = rows[index]
            combined = [
                b if b is not None else (upper[i] if i < len(upper) else None) for i, b in enumerate(below)
            ]
            combined += upper[len(below) :]
            roles = recognise_roles(combined)
            if "description" in roles and len(roles) >= len(found[1]):
                rows[index + 1] = combined
                found = (index + 1, roles)
    return found


def _no_header(name: str) -> WorkbookProblem:
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


def _agency_hint(rows: list[list[str | None]]) -> str | None:
    """'Dinas Kesehatan' from 'Perangkat Daerah: Dinas Kesehatan' (one cell, or label and value cells)."""
    for row in rows:
        cells = [c.strip() for c in row if c and c.strip() and c.strip() != ":"]
        for i, cell in enumerate(cells):
            label, colon, value = cell.partition(":")
            if normalise_header(label) not in _AGENCY_LABELS:
                continue
            value = value.strip() if colon else ""
            if not value and i + 1 < len(cells):
                value = cells[i + 1].lstrip(": ").strip()
            if value:
                return value
    return None


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


def _columns(raw_columns: list[np.ndarray], n: int, parsed_csv: bool = False):
    """Text columns (None where empty or only whitespace) and the mask of rows with any text."""
    columns, filled = [], np.zeros(n, dtype=bool)
    for values in raw_columns:
        if parsed_csv:  # all str, and the parser already turned cells of spaces into ""
            empty = values == ""
        else:
            if pd.api.types.infer_dtype(values, skipna=False) != "string":
                values = _spreadsheet_texts(values)
            empty = np.array([not v or v.isspace() for v in values], dtype=bool)
        columns.append(np.where(empty, None, values))
        filled |= ~empty
    return columns, filled


def _text_rows(rows: list[list[object]]) -> list[list[str | None]]:
    """The first rows of a sheet or file as texts (None for empty), to look for the header in."""
    texts = ([cell_text(c) for c in row] for row in rows)
    return [[t if t.strip() else None for t in row] for row in texts]


# ---------------------------------------------------------------------------------------- table
@dataclass
class _Part:
    """One sheet's table as found, before it becomes a :class:`Worksheet`."""

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
            if role not in found and part and _sheet_name_value(role, part) is not None:
                found[role] = part
    return found


def _sheet_name_value(role: str, text: str) -> str | None:
    """The dimension or SWOT category ``text`` names, as the validator reads a cell; None if none."""
    from smartcity.intake import validation

    value, problem = (validation._dimension if role == "dimension" else validation._swot)(text)
    return value if problem is None else None


def _worksheet(name: str, sha: str, part: _Part) -> Worksheet:
    """The table of data rows, the rows skipped as not data, and the reader's columns for values a
    sheet's name supplies when the table has no column for them (a column beats a sheet name)."""
    from smartcity.intake.rowkinds import classify_rows

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
    columns_read = [(names[i] or f"Kolom {i + 1}", role_of.get(i)) for i in sorted(by_index)]
    return Worksheet(
        source=name, sha256=sha, agency_hint=_agency_hint(part.above), header_row=part.header_row,
        roles=role_columns, table=frame, sheet=part.sheet,
        skipped=_skipped_rows(part, skipped, kinds[~is_data], names),
        from_name=from_name, columns_read=columns_read, synthetic=tuple(synthetic),
    )  # fmt: skip


# The reader's own columns, for values a sheet's name gives (shown in the feedback's column block).
SHEET_NAME_COLUMNS = {"dimension": "Dimensi (dari nama lembar)", "swot": "Kategori (dari nama lembar)"}


def _skipped_frame(numbers, reasons, raws) -> pd.DataFrame:
    return pd.DataFrame(
        {"row_number": np.asarray(numbers, dtype=np.int64), "reason": pd.Series(reasons, dtype=object),
         "raw": pd.Series(raws, dtype=object)}
    )  # fmt: skip


def _skipped_rows(part: _Part, rows: np.ndarray, kinds: np.ndarray, names: list[str]) -> pd.DataFrame:
    """Rows that are not data: the lines above the header ("title", or "header" for a header line over
    the header, as merged two-row headers make), the header itself, and ``rows`` under it."""
    numbers, reasons, raws = [], [], []
    # header lines: the unbroken run of lines right above the header that name columns (a group header
    # such as "Lokasi" over "Kecamatan | Desa"); not a "Perangkat Daerah: ..." line
    header_lines, line = set(), part.header_row - 1
    while line in part.above_numbers:
        cells = part.above[part.above_numbers.index(line)]
        if not any(cells) or not recognise_roles(cells) or _agency_hint([cells]):
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


def _read_spreadsheet(name: str, raw: bytes, limits: ReadLimits = DEFAULT_LIMITS):
    """Every sheet with a worksheet table, in workbook order, and the sheets passed over with why.

    Sheets named as summaries or lists are read only when no other sheet holds a table: a workbook
    whose one sheet an agency called "Rekap" is that agency's data."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        shown, kind = python_calamine.SheetVisibleEnum.Visible, python_calamine.SheetTypeEnum.WorkSheet
        visible = {m.name: m.visible == shown and m.typ == kind for m in book.sheets_metadata}
        ods_merges = _ods_merges(raw)
        found: dict[str, _Part | None] = {}
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
            problem = _no_header(name)
            problem.passed_over = passed_over  # the agency's feedback lists the sheets and why
            raise problem
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


def _read_sheet(name: str, book, sheet_name: str, ods_merges, limits: ReadLimits, budget: list[int]):
    """One sheet's table (None when it has no recognisable header); ``budget`` holds the rows the
    file may still have, across its sheets."""
    sheet = book.get_sheet_by_name(sheet_name)
    merges = sheet.merged_cell_ranges or ods_merges.get(sheet_name, [])
    top = _text_rows(sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS))
    _fill_merges_in_rows(top, merges)
    found = _find_header(top)
    if not found:
        return None
    header_index, roles = found
    height = max(sheet.height, sheet.total_height) - header_index - 1
    _check_shape(name, height, max(sheet.width, sheet.total_width), limits)  # before the cells exist
    budget[0] -= max(height, 0)
    if budget[0] < 0:
        raise WorkbookProblem(
            f"{name}: more than {limits.max_rows:,} rows in all its sheets; split the file "
            "(limit: SMARTCITY_INTAKE_MAX_ROWS)", "too_large",
        )  # fmt: skip
    grid = sheet.to_python(skip_empty_area=False)[header_index + 1 :]
    return _sheet_part(sheet_name, top, header_index, roles, grid, merges)


def _sheet_part(sheet_name: str, top, header_index: int, roles, grid, merges) -> _Part:
    """Text columns of one sheet's rows under its header (merged cells filled down their range)."""
    headers = top[header_index]
    width = max(len(headers), max((len(r) for r in grid), default=0))
    cells = np.empty((len(grid), width), dtype=object)
    for i, row in enumerate(grid):  # calamine rows are rectangular; this loop copies references only
        cells[i, : len(row)] = row
    columns, typed = _columns([cells[:, j] for j in range(width)], len(grid))
    # Blank rows are decided on the cells as typed, so a merge running past the data adds no rows.
    first = header_index + 1  # 0-based sheet row of the first data row
    for (r0, c0), (r1, _) in merges:  # a district typed once and merged down: every row gets it
        if r0 >= first and r1 > r0 and c0 < width:
            columns[c0][r0 - first + 1 : r1 - first + 1] = columns[c0][r0 - first]
    for column in columns:
        column[~typed] = None
    row_numbers = np.arange(first + 1, first + 1 + len(grid))
    above = top[:header_index]
    return _Part(sheet_name, above, list(range(1, header_index + 1)), header_index + 1, roles, headers,
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


# ---------------------------------------------------------------------------------------- CSV
_SAMPLE_BYTES = 1 << 16
_DELIMITERS = (",", ";", "\t")
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _read_csv(name: str, raw: bytes, limits: ReadLimits = DEFAULT_LIMITS):
    """Header, roles and text columns of a CSV/TXT worksheet: UTF-8 (BOM or not), UTF-16 (BOM or not)
    or Windows-1252."""
    utf16 = _utf16_encoding(raw)
    if utf16 is not None:  # Excel's "Unicode text" export, or a UTF-16 file saved without its BOM
        try:
            raw = raw.decode(utf16).encode("utf-8")
        except UnicodeDecodeError as exc:
            raise WorkbookProblem(
                f"{name}: looks like UTF-16 text but byte {exc.start} cannot be read as it"
            ) from None
    lines = raw.count(b"\n") or raw.count(b"\r")
    if lines > limits.max_rows + HEADER_SEARCH_ROWS:  # before parsing: a line is at least one record
        raise WorkbookProblem(
            f"{name}: more than {limits.max_rows:,} rows ({lines:,} lines); split the file "
            "(limit: SMARTCITY_INTAKE_MAX_ROWS)",
            "too_large",
        )
    encoding, sample = _decode_sample(raw)
    # The delimiter is the one under which a header is recognised best; the sniffer breaks ties.
    best = None
    for delimiter in _delimiter_candidates(sample):
        records, ends = _parse_sample(sample, delimiter, whole=len(raw) <= _SAMPLE_BYTES)
        rows = [[c if c.strip() else None for c in r] for r in records]
        found = _find_header(rows)
        if found:
            score = (len(found[1]), len(records[found[0]]))  # roles, then fields in the header line
            if best is None or score > best[0]:
                best = (score, delimiter, rows, ends, *found)
    if best is None:
        raise _no_header(name)
    _, delimiter, rows, ends, index, roles = best
    header_row = (ends[index - 1] if index else 0) + 1
    start = _offset_after_line(raw, ends[index])
    width = max(len(r) for r in rows[index:])
    _check_shape(name, 0, width, limits)
    frame = _parse_data(name, raw, (start, ends[index] + 1), delimiter, encoding.removesuffix("-sig"), width)
    row_numbers = _line_numbers(frame, raw, start, first_line=ends[index] + 1)
    _check_shape(name, len(frame), len(frame.columns), limits)
    columns, filled = _columns([frame[c].to_numpy(dtype=object) for c in frame.columns], len(frame), True)
    if _longest_line(raw) <= limits.max_cell_chars:  # no cell can be too long: spare the per-cell check
        limits = ReadLimits(max_rows=limits.max_rows, max_columns=limits.max_columns, max_cell_chars=1 << 62)
    _check_cells(name, columns, row_numbers, rows[index], limits)
    above_numbers = [(ends[i - 1] if i else 0) + 1 for i in range(index)]
    return _Part("", rows[:index], above_numbers, header_row, roles, rows[index], columns, filled,
                 row_numbers, csv=True)  # fmt: skip


def _utf16_encoding(raw: bytes) -> str | None:
    """'utf-16' for a file with a UTF-16 BOM; 'utf-16-le'/'-be' for one without, recognised by the zero
    bytes of Latin text in every other position of its first bytes; None otherwise."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = raw[:4096]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _decode_sample(raw: bytes) -> tuple[str, str]:
    """(encoding, text of the first 64 KiB): UTF-8 when it decodes as UTF-8, else Windows-1252."""
    encoding = "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8"
    head = raw[:_SAMPLE_BYTES]
    try:
        return encoding, codecs.getincrementaldecoder(encoding)().decode(head, final=len(raw) == len(head))
    except UnicodeDecodeError:
        return "cp1252", head.decode("cp1252", errors="replace")


def _delimiter_candidates(sample: str) -> list[str]:
    """Comma, semicolon and tab, the sniffed one (or an Excel 'sep=;' line) first."""
    first = sample[:8].lower()
    if first.startswith("sep=") and len(sample) > 4:
        return [sample[4]]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(sample.splitlines()[:HEADER_SEARCH_ROWS]), ",;\t").delimiter
    except csv.Error:
        sniffed = ","
    return [sniffed, *(d for d in _DELIMITERS if d != sniffed)]


def _parse_sample(sample: str, delimiter: str, whole: bool) -> tuple[list[list[str]], list[int]]:
    """Records of the sample and the physical line each ends on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    records, ends = [], []
    try:
        for record in reader:
            records.append(record)
            ends.append(reader.line_num)
    except csv.Error:
        whole = False
    if not whole and len(records) > 1:  # the last record may be cut in the middle
        records, ends = records[:-1], ends[:-1]
    return records, ends


def _offset_after_line(raw: bytes, line: int) -> int:
    """Byte offset where physical line ``line + 1`` starts (end of file when there is none)."""
    breaks = list(itertools.islice(_LINE_BREAK.finditer(raw), line))
    return breaks[-1].end() if len(breaks) == line else len(raw)


def _parse_data(name: str, raw: bytes, at: tuple[int, int], delimiter: str, encoding: str, width: int):
    """The lines from ``at`` (byte offset, line number) as an object frame of strings ('' when empty).

    Leading spaces of a cell are dropped by the parser (so a cell of spaces is empty): cheaper than a
    Python pass over every cell, and no value of a worksheet means anything by its leading spaces.
    """
    for _ in range(6):
        data = io.BytesIO(raw)  # shares the bytes, no copy
        data.seek(at[0])
        try:
            return pd.read_csv(
                data, sep=delimiter, header=None, names=range(width), index_col=False,
                dtype=object, na_filter=False, skip_blank_lines=False, skipinitialspace=True,
                encoding=encoding,
                encoding_errors="replace" if encoding == "cp1252" else "strict",
            )  # fmt: skip
        except pd.errors.EmptyDataError:
            return pd.DataFrame({i: pd.Series(dtype=object) for i in range(width)})
        except UnicodeDecodeError:
            encoding = "cp1252"  # UTF-8 in the first 64 KiB, not further on
        except pd.errors.ParserError as exc:
            saw = re.search(r"saw (\d+)", str(exc))
            if not saw:
                quote = re.search(r"EOF inside string .* row (\d+)", str(exc))
                problem = str(exc).splitlines()[0]
                if quote:
                    problem = f'a quote (") opened near line {at[1] + int(quote.group(1))} is never closed'
                raise WorkbookProblem(f"{name}: not a readable CSV file: {problem}") from None
            width = max(width + 1, int(saw.group(1)))  # a row with more fields than the header
    raise WorkbookProblem(f"{name}: not a readable CSV file: rows have too many different numbers of fields")


def _line_numbers(frame: pd.DataFrame, raw: bytes, start: int, first_line: int) -> np.ndarray:
    """Physical line where each record starts; only counts line breaks in cells when there are any."""
    n = len(frame)
    numbers = first_line + np.arange(n)
    newline = b"\n" if b"\n" in raw else b"\r"
    lines = raw.count(newline, start) + (0 if start >= len(raw) or raw.endswith((b"\n", b"\r")) else 1)
    if lines != n:
        char = newline.decode()
        extra = np.zeros(n, dtype=np.int64)
        for column in frame.columns:
            extra += np.fromiter((v.count(char) for v in frame[column].to_numpy(dtype=object)), np.int64, n)
        numbers = numbers + np.cumsum(extra) - extra
    return numbers
