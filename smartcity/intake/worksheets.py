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
from dataclasses import dataclass
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
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?\.?$")


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
    """One agency worksheet as read: where its header is, which roles it has, and its rows as text."""

    source: str  # file name
    sha256: str  # hex sha256 of the file bytes
    agency_hint: str | None  # from a "Perangkat Daerah: X" line above the header
    header_row: int  # 1-based row (or CSV line) of the header
    roles: dict[str, str]  # role -> column name in ``table``
    table: pd.DataFrame  # row_number, then one column per file column (str or None)


def read_worksheet(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> Worksheet:
    """Read a worksheet file into text cells, raising InputError (one line) when it cannot be used.

    A symbolic link or anything but a regular file is refused unread; ``limits`` bound what the file
    may expand to (see :class:`ReadLimits`)."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES | CSV_SUFFIXES:
        accepted = ", ".join(sorted(SPREADSHEET_SUFFIXES | CSV_SUFFIXES))
        raise InputError(f"{name}: unsupported file type {suffix or '(none)'!r} (accepted: {accepted})")
    raw = read_file(path, limits)
    if not raw or (len(raw) < 4096 and not raw.strip()):
        raise InputError(f"{name}: the file is empty")
    if suffix in SPREADSHEET_SUFFIXES:
        _check_archive(name, raw, limits)
        found = _read_spreadsheet(name, raw, limits)
        _check_cells(name, found[4], found[6], found[3], limits)
    else:
        found = _read_csv(name, raw, limits)
    above, header_row, roles, headers, columns, filled, row_numbers = found
    table, role_columns = _build_table(headers, columns, filled, row_numbers, roles)
    return Worksheet(
        source=name,
        sha256=hashlib.sha256(raw).hexdigest(),
        agency_hint=_agency_hint(above),
        header_row=header_row,
        roles=role_columns,
        table=table,
    )


def read_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a worksheet file: a regular file, not through a link, within the size limit."""
    try:
        return read_regular(path, limits.max_file_bytes)
    except UnsafePath as exc:
        hint = " (SMARTCITY_INTAKE_MAX_FILE_MB)" if "limit" in str(exc) else ""
        raise InputError(f"{path.name}: {exc}{hint}") from None
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read the file: {exc.strerror or exc}") from None


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
        raise InputError(
            f"{name}: the workbook expands to {expanded / 1e6:,.0f} MB, over the limit of "
            f"{limits.max_expanded_bytes / 1e6:,.0f} MB (SMARTCITY_INTAKE_MAX_EXPANDED_MB)"
        )
    if expanded > limits.max_ratio * len(raw) and expanded > 10_000_000:
        raise InputError(
            f"{name}: the workbook would expand {expanded / len(raw):,.0f} times its size "
            f"({expanded / 1e6:,.0f} MB): refused as a compression bomb"
        )


def _check_shape(name: str, rows: int, columns: int, limits: ReadLimits) -> None:
    if rows > limits.max_rows:
        raise InputError(
            f"{name}: more than {limits.max_rows:,} rows ({rows:,}); split the file "
            "(limit: SMARTCITY_INTAKE_MAX_ROWS)"
        )
    if columns > limits.max_columns:
        raise InputError(
            f"{name}: {columns:,} columns, more than {limits.max_columns:,} "
            "(limit: SMARTCITY_INTAKE_MAX_COLUMNS)"
        )


def _check_cells(name: str, columns: list[np.ndarray], row_numbers, headers, limits: ReadLimits) -> None:
    """Refuse a file with a cell longer than the limit, naming its row and column."""
    for index, values in enumerate(columns):
        lengths = np.fromiter((len(v) if v else 0 for v in values), dtype=np.int64, count=len(values))
        if len(lengths) and lengths.max() > limits.max_cell_chars:
            at = int(np.argmax(lengths))
            header = headers[index] if index < len(headers) and headers[index] else f"Kolom {index + 1}"
            raise InputError(
                f"{name}: row {int(row_numbers[at])}, column {' '.join(str(header).split())[:60]!r}: a cell "
                f"of {int(lengths[at]):,} characters, more than {limits.max_cell_chars:,} "
                "(limit: SMARTCITY_INTAKE_MAX_CELL_CHARS)"
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
    """(role, rank) for one header cell: exact name, then without '(...)', then a close misspelling."""
    if header is None:
        return None
    for text in (str(header), re.sub(r"\(.*?\)", "", str(header))):
        key = normalise_header(text)
        if key in _ALIASES:
            return _ALIASES[key]
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
    """(row index, roles) of the row recognising most roles among those with a description column."""
    found = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = recognise_roles(row)
        if "description" in roles and (found is None or len(roles) > len(found[1])):
            found = (index, roles)
    return found


def _no_header(name: str) -> InputError:
    aliases = "permasalahan, uraian, masalah, issue, description"
    return InputError(f"{name}: no header row with a description column ({aliases}) in the first 20 rows")


def _check_dimension(name: str, line: int, roles: dict[str, int]) -> None:
    if "dimension" not in roles:
        accepted = ", ".join(ROLE_ALIASES["dimension"])
        raise InputError(f"{name}: the header (row {line}) has no dimension column (accepted: {accepted})")


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
def _build_table(headers, columns, filled, row_numbers, roles):
    """row_number + named text columns, without blank rows, a numbering row, or empty unnamed columns."""
    keep = np.flatnonzero(filled)
    if len(keep) and _is_numbering_row([c[keep[0]] for c in columns]):
        keep = keep[1:]
    if len(keep) == len(row_numbers):
        keep = slice(None)
    table: dict[str, object] = {"row_number": np.asarray(row_numbers, dtype=np.int64)[keep]}
    names = [" ".join(str(h).split()) if h else "" for h in headers] + [""] * (len(columns) - len(headers))
    written, by_index = set(names), {}
    for index, values in enumerate(columns):
        values = values[keep]
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
    return frame, {role: by_index[index] for role, index in roles.items()}


def _is_numbering_row(cells: list[str | None]) -> bool:
    """A row '(1) (2) (3) ...' under the header, as government forms have: not data."""
    texts = [c for c in cells if c is not None]
    return len(texts) >= 3 and all(_NUMBERING.match(c.strip()) for c in texts)


# ---------------------------------------------------------------------------------------- spreadsheets
def _read_spreadsheet(name: str, raw: bytes, limits: ReadLimits = DEFAULT_LIMITS):
    """Header, roles and text columns of the first sheet ('Data'/'Isian' preferred) with a header."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        sheets = sorted(book.sheet_names, key=_sheet_preference)
        candidates = []
        for sheet_name in sheets:
            sheet = book.get_sheet_by_name(sheet_name)
            merges = sheet.merged_cell_ranges or []
            top = _text_rows(sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS))
            _fill_merges_in_rows(top, merges)
            found = _find_header(top)
            if found:
                candidates.append((sheet, merges, top, *found))
                if "dimension" in found[1]:
                    break
        if not candidates:
            raise _no_header(name)
        with_dimension = [c for c in candidates if "dimension" in c[-1]]
        sheet, merges, top, header_index, roles = (with_dimension or candidates)[0]
        _check_dimension(name, header_index + 1, roles)
        _check_shape(
            name,
            max(sheet.height, sheet.total_height) - header_index - 1,
            max(sheet.width, sheet.total_width),
            limits,
        )  # before the cells exist
        grid = sheet.to_python(skip_empty_area=False)[header_index + 1 :]
    except python_calamine.PasswordError:
        raise InputError(f"{name}: the workbook is password-protected; save it without a password") from None
    except python_calamine.CalamineError as exc:
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise InputError(f"{name}: not a readable spreadsheet (truncated or corrupt): {detail}") from None
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
    return top[:header_index], header_index + 1, roles, headers, columns, typed, row_numbers


def _sheet_preference(sheet_name: str) -> int:
    key = normalise_header(sheet_name)
    return 0 if key in ("data", "isian") else 1 if key.startswith(("data", "isian")) else 2


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
            raise InputError(
                f"{name}: looks like UTF-16 text but byte {exc.start} cannot be read as it"
            ) from None
    lines = raw.count(b"\n") or raw.count(b"\r")
    if lines > limits.max_rows + HEADER_SEARCH_ROWS:  # before parsing: a line is at least one record
        raise InputError(
            f"{name}: more than {limits.max_rows:,} rows ({lines:,} lines); split the file "
            "(limit: SMARTCITY_INTAKE_MAX_ROWS)"
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
    _check_dimension(name, header_row, roles)
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
    return rows[:index], header_row, roles, rows[index], columns, filled, row_numbers


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
                raise InputError(f"{name}: not a readable CSV file: {problem}") from None
            width = max(width + 1, int(saw.group(1)))  # a row with more fields than the header
    raise InputError(f"{name}: not a readable CSV file: rows have too many different numbers of fields")


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
