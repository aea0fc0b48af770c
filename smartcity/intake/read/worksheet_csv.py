"""CSV/TXT worksheets read with pandas' C parser into the table under their header, as text cells.

The encoding is UTF-8 (BOM or not), UTF-16 (BOM or not) or Windows-1252; the delimiter is the one under
which a header is recognised best in the first 64 KiB; each record is numbered by the physical line it
starts on (a quoted cell may span lines).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re

import numpy as np
import pandas as pd

from smartcity.intake.read.cells import SheetPart, counted_text_columns
from smartcity.intake.read.limits import (
    DEFAULT_LIMITS,
    ReadLimits,
    WorkbookProblem,
    check_cells,
    check_shape,
    longest_line,
    no_header,
)
from smartcity.intake.read.worksheet_headers import HEADER_SEARCH_ROWS, find_header, guess_header

_SAMPLE_BYTES = 1 << 16
_DELIMITERS = (",", ";", "\t")
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def read_csv(name: str, raw: bytes, limits: ReadLimits = DEFAULT_LIMITS):
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
        found = find_header(rows)
        guessed = found is None
        found = found or guess_header(rows)  # no header names a description: what the columns hold says
        if found:
            # a recognised header beats a guessed one; then roles, then fields in the header line
            score = (not guessed, len(found[1]), len(records[found[0]]))
            if best is None or score > best[0]:
                best = (score, delimiter, rows, ends, *found)
    if best is None:
        raise no_header(name)
    _, delimiter, rows, ends, index, roles = best
    header_row = (ends[index - 1] if index else 0) + 1
    start = _offset_after_line(raw, ends[index])
    width = max(len(r) for r in rows[index:])
    check_shape(name, 0, width, limits)
    frame = _parse_data(name, raw, (start, ends[index] + 1), delimiter, encoding.removesuffix("-sig"), width)
    row_numbers = _line_numbers(frame, raw, start, first_line=ends[index] + 1)
    check_shape(name, len(frame), len(frame.columns), limits)
    columns, counts = counted_text_columns(
        [frame[c].to_numpy(dtype=object) for c in frame.columns], len(frame), True
    )
    if longest_line(raw) > limits.max_cell_chars:  # a cell is never longer than its line
        check_cells(name, columns, row_numbers, rows[index], limits)
    above_numbers = [(ends[i - 1] if i else 0) + 1 for i in range(index)]
    return SheetPart("", rows[:index], above_numbers, header_row, roles, rows[index], columns, counts > 0,
                     row_numbers, csv=True, cell_counts=counts)  # fmt: skip


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
