"""Read an agency's worksheet (kertas kerja) into a table of cell texts, whatever it was typed in.

Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) go through python-calamine, which reads cached values
and never evaluates a formula; CSV/TXT through pandas' C parser. Both end in one table of text cells
(``None`` for empty), one row per non-blank row, numbered as the agency sees them in its own file.
Glossary: OPD / perangkat daerah = agency, kecamatan = district, desa/kelurahan = village.

This module is the reader's entry: :func:`read_workbook` checks the file, hands it to the reader of
its kind and makes each table found in a sheet into a :class:`Worksheet` (rows that are not data set
apart, values a sheet's name supplies, personal-data columns marked). Spreadsheets are read by
:mod:`smartcity.intake.read.worksheet_sheets` (which also says which sheets are read), CSV/TXT by
:mod:`smartcity.intake.read.worksheet_csv`; both build on :mod:`smartcity.intake.read.limits` (the
limits and the problems a file can have) and :mod:`smartcity.intake.read.cells` (cell texts, the table
found in a sheet), and header recognition is :mod:`smartcity.intake.read.worksheet_headers`. Imports go
one way: those modules never import this one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from smartcity.intake.answer.validation import dimension_of, swot_of
from smartcity.intake.read.cells import SheetPart, row_texts
from smartcity.intake.read.columns import recognise, recognisers
from smartcity.intake.read.context import read_context, title_sections
from smartcity.intake.read.documents import (
    CONVERTED_SUFFIXES,
    DOCUMENT_SUFFIXES,
    PDF_SUFFIXES,
    converted_to_word,
    read_pdf,
    read_word,
    refused_kind,
)
from smartcity.intake.read.legends import Legend, entries, is_legend_text, legend_from_texts
from smartcity.intake.read.limits import (
    DEFAULT_LIMITS,
    ReadLimits,
    WorkbookProblem,
    check_archive,
    check_cells,
    no_header,
)
from smartcity.intake.read.marks import COLUMN_NAME as MARK_COLUMN
from smartcity.intake.read.marks import marked_value
from smartcity.intake.read.names import RegionNames
from smartcity.intake.read.personal import personal_columns
from smartcity.intake.read.rowkinds import classify_rows
from smartcity.intake.read.worksheet_csv import read_csv
from smartcity.intake.read.worksheet_headers import (
    ROLE_ALIASES,
    agency_hint,
    normalise_header,
    recognise_roles,
)
from smartcity.intake.read.worksheet_sheets import read_spreadsheet
from smartcity.platform.files import UnsafePath, read_regular
from smartcity.platform.vocabulary import CSV_SUFFIXES, SPREADSHEET_SUFFIXES, WORKSHEET_SUFFIXES


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
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # the legend's codes per kind
    evidence: dict[str, dict] = field(default_factory=dict)  # header -> why it was read as its role

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


def read_workbook(
    path: Path, limits: ReadLimits = DEFAULT_LIMITS, names: RegionNames | None = None
) -> Workbook:
    """Read every worksheet table of a file into text cells, raising WorkbookProblem (one line, with a
    code) when none can be used.

    A symbolic link or anything but a regular file is refused unread; ``limits`` bound what the file
    may expand to (see :class:`~smartcity.intake.read.limits.ReadLimits`). Which sheets are read: see
    :func:`smartcity.intake.read.worksheet_sheets.sheet_passed_over`. ``names``, the region's place
    names, let the reader recognise place columns and section rows by their content."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in WORKSHEET_SUFFIXES and suffix not in DOCUMENT_SUFFIXES:
        raise refused_kind(name, suffix)
    raw = read_file(path, limits)
    if not raw or (len(raw) < 4096 and not raw.strip()):
        raise WorkbookProblem(f"{name}: the file is empty", "empty")
    sha = hashlib.sha256(raw).hexdigest()
    if suffix in SPREADSHEET_SUFFIXES:
        check_archive(name, raw, limits)
        found, passed_over = read_spreadsheet(name, raw, limits)
    elif suffix in CSV_SUFFIXES:
        found, passed_over = [read_csv(name, raw, limits)], []
    elif suffix in PDF_SUFFIXES:
        found, passed_over = read_pdf(name, raw, limits)
    else:  # Word, or what LibreOffice turns into Word
        if suffix in CONVERTED_SUFFIXES:
            raw_word = converted_to_word(name, raw, suffix)
        else:
            check_archive(name, raw, limits)
            raw_word = raw
        found, passed_over = read_word(name, raw_word, limits)
    sheets = []
    loose = [loose_texts(part) for part in found]
    book_texts = [t for part in found for t in part.book_texts] + [t for texts in loose for t in texts]
    book_legend = legend_from_texts(book_texts)
    # tables under one header (a Word table per SWOT category, a sheet per district) are one table to a
    # person: their columns are recognised on the rows of all of them, so a table of one row is read too
    keys = [(len(part.columns), *map(normalise_header, part.headers)) for part in found]
    alike: dict[tuple, list[SheetPart]] = {}
    for key, part in zip(keys, found, strict=True):
        alike.setdefault(key, []).append(part)
    pooled: dict[tuple, list[np.ndarray]] = {}
    memo: dict[tuple, tuple] = {}  # recognitions of pooled columns, kept while ``pooled`` keeps them alive
    for key, part, texts in zip(keys, found, loose, strict=True):
        if not part.csv:
            check_cells(name, part.columns, part.row_numbers, part.headers, limits, part.sheet)
        if len(alike[key]) > 1 and key not in pooled:  # once per group of twins
            pooled[key] = [np.concatenate(c) for c in zip(*(t.columns for t in alike[key]), strict=True)]
        sheet = _worksheet(name, sha, part, names, book_legend, pooled.get(key), texts, memo)
        if sheet is None:  # what looked like a table holds no description: not a worksheet table
            passed_over.append((part.sheet, "no_table"))
        else:
            sheets.append(sheet)
    if not sheets:
        problem = no_header(name)
        problem.passed_over = passed_over
        raise problem
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


# ---------------------------------------------------------------------------------------- problems
def _no_dimension(name: str, sheets: list[Worksheet]) -> WorkbookProblem:
    accepted = ", ".join(ROLE_ALIASES["dimension"])
    where = ", ".join(f"{s.sheet!r} row {s.header_row}" if s.sheet else f"row {s.header_row}" for s in sheets)
    return WorkbookProblem(
        f"{name}: no dimension column in the header ({where}; accepted: {accepted}) and no sheet named "
        "after a dimension (Smart Governance, Smart Economy, ...)",
        "no_dimension",
    )


# ---------------------------------------------------------------------------------------- sheets
_SHEET_COPY = re.compile(r"\s*(?:\(\d+\)|\[\d+\]|\s\d+)\s*$")  # "Economy 2", "Living (2)": a sheet continued
_SHEET_NUMBERING = re.compile(r"^\s*(?:\d+|[a-z])[.)]\s+|^\s*\d+\s*[-_]\s*", re.IGNORECASE)
_SHEET_NAME_READERS = {"dimension": dimension_of, "swot": swot_of}  # as the validator reads a cell


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


def cell_counts(part: SheetPart) -> np.ndarray:
    """The filled cells of each row of a part (counted once, kept on the part)."""
    counts = part.cell_counts
    if counts is None or len(counts) != len(part.row_numbers):
        counts = np.zeros(len(part.row_numbers), dtype=np.int64)
        for column in part.columns:
            counts += ~np.equal(column, None)
        part.cell_counts = counts
    return counts


def loose_texts(part: SheetPart) -> list[str]:
    """The texts of a sheet where a legend may be: the rows above the header, the sparse rows (at most
    three filled cells: under, above or inside the table) and the columns with no header (beside it).
    A sparse row's cells are also joined as one line ("B" | "Pemasaran Daerah" -> "B = Pemasaran
    Daerah"): a legend typed a code in one cell and its meaning in the next."""
    texts = []
    for row in part.above:
        texts += row_texts([c for c in row if c])
    if not part.columns:
        return texts
    filled = cell_counts(part)
    sparse = np.flatnonzero((filled > 0) & (filled <= 3))
    for position in sparse.tolist():
        texts += row_texts([str(c[position]) for c in part.columns if c[position] is not None])
    for index, column in enumerate(part.columns):
        if index >= len(part.headers) or not part.headers[index]:  # a column with no header: beside the table
            rows = np.flatnonzero(~np.equal(column, None))[:10_000]
            texts += [str(column[i]) for i in rows]
            if index + 1 < len(part.columns):  # its neighbour may hold the meanings
                texts += [f"{column[i]} = {part.columns[index + 1][i]}" for i in rows
                          if part.columns[index + 1][i] is not None]  # fmt: skip
    return texts


def _with_marks(part: SheetPart) -> tuple[SheetPart, set[int], list[int]]:
    """The part with a column of the reader's own for a dimension (or SWOT category) chosen by a tick in
    one of several columns named after the values (:mod:`smartcity.intake.read.marks`), and the tick
    columns, and the reader's columns; the part as it is when it has a column for the kind, or no such
    group."""
    marked: set[int] = set()
    made: list[int] = []
    for kind, reader in (("dimension", dimension_of), ("swot", swot_of)):
        if kind in part.roles:
            continue
        found = marked_value(part.headers, part.columns, kind, reader)
        if found is None:
            continue
        values, group = found
        headers = [*part.headers, *[None] * (len(part.columns) - len(part.headers))]
        part = replace(part, columns=[*part.columns, values], headers=[*headers, MARK_COLUMN[kind]],
                       roles={**part.roles, kind: len(part.columns)}, cell_counts=None)  # fmt: skip
        marked |= set(group)
        made.append(len(part.columns) - 1)
    return part, marked, made


def _worksheet(
    name: str,
    sha: str,
    part: SheetPart,
    names: RegionNames | None = None,
    book_legend: Legend | None = None,
    pooled: list[np.ndarray] | None = None,
    texts: list[str] | None = None,
    memo: dict | None = None,
) -> Worksheet | None:
    """The table of data rows, the rows skipped as not data, and the reader's columns for values a
    sheet's name or its section rows supply (a column beats both); None when no column holds a
    description (what looked like a table is none). ``pooled``: the columns of every table of the file
    under the same header, recognised together (once: ``memo`` keeps what was found for the file's
    twins); ``texts``: the sheet's :func:`loose_texts`, when known.

    Steps: the sheet's legend (its own key first, then the workbook's); the roles, by header and by
    content (:mod:`smartcity.intake.read.columns`); a guessed header whose cells are data of their columns
    read as the first data row; rows that are not data (:mod:`smartcity.intake.read.rowkinds`); values
    given once (:mod:`smartcity.intake.read.context`); values a sheet's name gives; personal columns."""
    texts = loose_texts(part) if texts is None else texts
    legend = legend_from_texts(texts).merged_over(book_legend or Legend())
    memo = {} if memo is None else memo
    part, marked, made = _with_marks(part)
    if marked:
        pooled = None  # the part has a column of the reader's own: recognised on its own
    if pooled is None:
        roles, evidence = recognise(part.columns, part.roles, names, legend, part.headers)
    else:  # twins under one header with the same legend: recognised once for all of them
        key = (id(pooled), tuple(sorted(part.roles.items())), repr(sorted(legend.codes.items())))
        if key not in memo:
            memo[key] = recognise(pooled, part.roles, names, legend, part.headers)
        found, evidence = memo[key]
        roles, evidence = dict(found), {i: dict(e) for i, e in evidence.items()}
    for role, index in list(roles.items()):  # a tick column is read through its group, never as a role
        if index in marked and role not in part.roles:
            del roles[role]
            evidence.pop(index, None)
    if "description" not in roles:
        return None
    if _header_is_data(part, roles, names, legend):
        part = _header_as_data(part)
    headers, columns = part.headers, part.columns
    keep = np.flatnonzero(part.filled)
    kinds = classify_rows([c[keep] for c in columns], roles) if len(keep) else np.empty(0, dtype=object)
    is_data = np.equal(kinds, None)
    data, skipped = keep[is_data], keep[~is_data]
    if len(skipped) and len(data):  # a column left unread, looked at again without the signature, notes...
        again, seen = recognise([c[data] for c in columns], roles, names, legend, headers)
        for role, index in again.items():
            if role not in roles and index not in roles.values():
                roles[role], evidence[index] = index, seen[index]
    table: dict[str, object] = {"row_number": np.asarray(part.row_numbers, dtype=np.int64)[data]}
    names_of = [" ".join(str(h).split()) if h else "" for h in headers] + [""] * (len(columns) - len(headers))
    written, by_index = set(names_of), {}
    for index, values in enumerate(columns):
        values = values[data]
        if not names_of[index] and all(v is None for v in values) and index not in roles.values():
            continue
        column = names_of[index] or f"Kolom {index + 1}"
        unique, copy = column, 1
        while unique in table or (unique != column and unique in written):  # a later twin is renamed
            copy += 1
            unique = f"{column} ({copy})"
        table[unique] = pd.Series(values, dtype=object, copy=False)  # object: None stays None
        by_index[index] = unique
    frame = pd.DataFrame(table, copy=False)
    role_columns = {role: by_index[index] for role, index in roles.items()}
    file_columns = [by_index[i] for i in sorted(by_index)]
    # values given once: section rows, legend rows, ditto marks
    # the sub-title above this table (a document's "Potensi", a sheet's "Kecamatan X") is its first section
    context = read_context(
        frame,
        role_columns,
        file_columns,
        names,
        title_sections(part.above, names),
        counts=cell_counts(part)[data],
    )
    from_name, synthetic = {}, list(context.added.values()) + [by_index[i] for i in made if i in by_index]
    section_rows = sorted(context.skipped)
    if section_rows:
        frame = frame.drop(index=frame.index[section_rows]).reset_index(drop=True)
    for role, value in values_from_sheet_name(part.sheet).items() if part.sheet else ():
        if role not in role_columns:
            column = SHEET_NAME_COLUMNS[role]
            frame[column] = pd.Series(np.full(len(frame), value, dtype=object), dtype=object)
            role_columns[role], from_name[role] = column, value
            synthetic.append(column)
    role_of = {index: role for role, index in roles.items()}
    personal = personal_columns(frame, role_columns)  # never stored (smartcity.intake.read.personal)
    role_of.update({i: "personal" for i, c in by_index.items() if c in personal and i not in role_of})
    columns_read = [(names_of[i] or f"Kolom {i + 1}", role_of.get(i)) for i in sorted(by_index)]
    columns_read += [(column, role) for role, column in context.added.items()]
    why = {(names_of[i] or f"Kolom {i + 1}"): e for i, e in evidence.items() if i in by_index}
    skipped_frame = _skipped_rows(part, skipped, _legend_notes(kinds[~is_data], part, skipped), names_of)
    if section_rows:
        extra = _skipped_frame(
            frame_rows := table["row_number"][section_rows].tolist(),
            [context.skipped[p] for p in section_rows],
            [
                {
                    c: v
                    for c in file_columns
                    if (v := table[c].iloc[p] if hasattr(table[c], "iloc") else None) is not None
                }
                for p in section_rows
            ],
        )
        skipped_frame = pd.concat([skipped_frame, extra], ignore_index=True).sort_values(
            "row_number", kind="stable"
        )
        del frame_rows
    return Worksheet(
        source=name, sha256=sha, agency_hint=agency_hint(part.above), header_row=part.header_row,
        roles=role_columns, table=frame, sheet=part.sheet, skipped=skipped_frame.reset_index(drop=True),
        from_name=from_name, columns_read=columns_read, synthetic=tuple(synthetic), personal=tuple(personal),
        codes=legend.codes, evidence=why,
    )  # fmt: skip


def _legend_notes(kinds: np.ndarray, part: SheetPart, rows: np.ndarray) -> np.ndarray:
    """Rows skipped as notes that are a legend's lines are called legend rows."""
    kinds = kinds.copy()
    for k, (kind, position) in enumerate(zip(kinds.tolist(), rows.tolist(), strict=True)):
        if kind == "note":
            cells = [str(c[position]) for c in part.columns if c[position] is not None]
            if cells and all(is_legend_text(c) for c in cells) and any(entries(c) for c in cells):
                kinds[k] = "legend"  # a note that defines codes (a bare "Keterangan:" stays a note)
    return kinds


def _header_is_data(
    part: SheetPart, roles: dict[str, int], names: RegionNames | None, legend: Legend
) -> bool:
    """A guessed header row (no header name was recognised) whose cells are values of their columns'
    kinds: the table has no header, and this row is its first data row."""
    if "description" in part.roles:  # a header found by its names (guess_header only runs without one)
        return False
    checks = recognisers(names, legend)
    cells = {role: part.headers[i] for role, i in roles.items() if i < len(part.headers) and part.headers[i]}
    hits = sum(1 for role, cell in cells.items() if role in checks and checks[role](cell))
    return hits >= 2


def _header_as_data(part: SheetPart) -> SheetPart:
    """The part with its header row moved into the data rows (a table without a header)."""
    width = len(part.columns)
    headers = list(part.headers) + [None] * (width - len(part.headers))
    columns = [
        np.concatenate((np.array([headers[i]], dtype=object), col)) for i, col in enumerate(part.columns)
    ]
    return SheetPart(
        part.sheet, part.above, part.above_numbers, part.header_row - 1, dict(part.roles), [None] * width,
        columns, np.concatenate(([any(headers)], part.filled)),
        np.concatenate(([part.header_row], part.row_numbers)), part.csv, part.book_texts,
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
