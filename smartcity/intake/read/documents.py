"""Worksheets typed as tables in a document: Word (.docx), PDF exported from Word or Excel, and the
formats LibreOffice turns into Word (.doc, .odt, .rtf). Each table found is a sheet ("Tabel 1",
"Tabel 2", ...) read like a spreadsheet's (:func:`table_part`); the paragraphs above a table give its
title and the agency ("Perangkat Daerah: Dinas X"), and every paragraph is looked at for a legend.

Decided:

- **Word**: every table of the body, in order (python-docx). Merged cells repeat their text in the
  cells they cover, as a spreadsheet's merged cells are filled. Tables without a description column
  (a letterhead laid out as a table, a signature block) are passed over with their reason.
- **PDF**: the tables pdfplumber finds on each page; a table that goes on over the next page (the same
  number of columns, no header row of its own) is one table. A PDF with no text at all is a scan:
  answered "PDF hasil pindai: kirim berkas Excel atau Word" (no OCR: a guessed character would be a
  guessed place). A PDF with text but no table is answered too.
- **.doc, .odt, .rtf**: converted to .docx with LibreOffice (``soffice --headless``, no macros run,
  at most :data:`CONVERT_SECONDS`) when it is installed, then read as Word; without LibreOffice the file
  is answered with how to send it.
- Pictures (a photo of a printed sheet) and any other kind of file are answered with what to send.

Every file is answered: read, or refused with a reason (in Bahasa Indonesia, for the agency).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from smartcity.intake.answer.validation import dimension_of, swot_of
from smartcity.intake.read.cells import SheetPart, text_columns
from smartcity.intake.read.limits import DEFAULT_LIMITS, ReadLimits, WorkbookProblem, check_shape, no_header
from smartcity.intake.read.worksheet_headers import HEADER_SEARCH_ROWS, find_header, guess_header, match_role

WORD_SUFFIXES = (".docx", ".docm")
PDF_SUFFIXES = (".pdf",)
CONVERTED_SUFFIXES = (".doc", ".odt", ".rtf", ".wps", ".wpd")
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp")
DOCUMENT_SUFFIXES = WORD_SUFFIXES + PDF_SUFFIXES + CONVERTED_SUFFIXES
CONVERT_SECONDS = 60


def table_part(sheet: str, rows: list[list[str | None]], above: list[list[str | None]], texts: list[str],
               limits: ReadLimits = DEFAULT_LIMITS) -> SheetPart | None:  # fmt: skip
    """One table of a document as a spreadsheet's sheet part: its header found as a sheet's is (or
    guessed), the rows under it as text columns; None for a table too small to be a worksheet."""
    rows = [[c if c and c.strip() else None for c in row] for row in rows]
    found = find_header(rows) or guess_header(rows)
    if found is None:
        return None
    index, roles = found
    width = max(len(r) for r in rows)
    grid = rows[index + 1 :]
    check_shape(sheet, len(grid), width, limits)
    cells = np.empty((len(grid), width), dtype=object)
    for i, row in enumerate(grid):
        cells[i, : len(row)] = row
    columns, filled = text_columns([cells[:, j] for j in range(width)], len(grid))
    header_row = len(above) + index + 1
    above_rows = above + rows[:index]
    part = SheetPart(sheet, above_rows, list(range(1, len(above_rows) + 1)), header_row, roles, rows[index],
                     columns, filled, np.arange(header_row + 1, header_row + 1 + len(grid)))  # fmt: skip
    part.book_texts = texts
    return part


def read_word(name: str, raw: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[list[SheetPart], list]:
    """The tables of a Word document that hold a worksheet, and the ones passed over."""
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - any parse failure of an untrusted file is its problem
        raise WorkbookProblem(
            f"{name}: not a readable Word document: {type(exc).__name__}", "unreadable"
        ) from None
    parts, passed_over, above, texts, number = [], [], [], [], 0
    header: list[str] | None = None  # the last table's header row: a table with none of its own goes on
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            text = Paragraph(block, document).text.strip()
            if text:
                above.append([text])
                texts.append(text)
        elif block.tag.endswith("}tbl"):
            number += 1
            table = Table(block, document)
            rows, header = _own_header(
                [[cell.text.strip() for cell in row.cells] for row in table.rows], header
            )
            part = (
                table_part(f"Tabel {number}", rows, above[-HEADER_SEARCH_ROWS:], texts, limits)
                if rows
                else None
            )
            if part is None and parts and rows:  # a table of its own under the worksheet (a signature
                _append_rows(parts[-1], rows)  # block): its rows end that sheet, skipped with their reason
            elif part is None:
                passed_over.append((f"Tabel {number}", "no_table"))
            else:
                parts.append(part)
            above = []
            texts += [c for row in rows for c in row if c]
    for part in parts:  # every paragraph of the document may hold the legend
        part.book_texts = texts
    if not parts:
        no_table = "dokumen Word tanpa tabel: ketik lembar kerja sebagai tabel, atau kirim berkas Excel"
        raise _nothing_read(name, bool(number), passed_over, no_table)
    return parts, passed_over


def read_pdf(name: str, raw: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[list[SheetPart], list]:
    """The tables of a PDF (text, not a scan) that hold a worksheet, and the ones passed over."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - any parse failure of an untrusted file is its problem
        raise WorkbookProblem(f"{name}: not a readable PDF: {type(exc).__name__}", "unreadable") from None
    tables: list[list[list[str | None]]] = []
    aboves: list[list[str]] = []  # the lines of text above each table (its title, a sub-title)
    texts: list[str] = []
    has_text = False
    with pdf:
        if len(pdf.pages) > limits.max_rows // 10:
            raise WorkbookProblem(f"{name}: too many pages ({len(pdf.pages):,})", "too_large")
        for page in pdf.pages:
            has_text = has_text or bool(page.chars)
            texts += [line for line in (page.extract_text() or "").splitlines() if line.strip()]
            bottom, words = 0.0, page.extract_words()
            for table in page.find_tables():
                rows = [[COVERED if c is None else _unwrapped(c) for c in r] for r in table.extract()]
                above = _lines_between(words, bottom, table.bbox[1])
                bottom = table.bbox[3]
                if tables and not above and _continues(tables[-1], rows):
                    if _split_row(rows[0], tables[-1][-1]):  # a row broken by the page: one row again
                        tables[-1][-1] = _joined(tables[-1][-1], rows[0])
                        rows = rows[1:]
                    tables[-1] += rows
                else:
                    tables.append(rows)
                    aboves.append(above)
    if not has_text:
        raise WorkbookProblem(
            f"{name}: PDF hasil pindai (gambar, tanpa teks): kirim berkas Excel atau Word", "scanned_pdf"
        )
    parts, passed_over = [], []
    header: list[str | None] | None = None  # the last table's header row: a table with none goes on
    for number, (raw_rows, above) in enumerate(zip(tables, aboves, strict=True), start=1):
        rows, header = _own_header(_merges_filled(raw_rows), header)
        lines = [[line] for line in above[-HEADER_SEARCH_ROWS:]]
        part = table_part(f"Tabel {number}", rows, lines, texts, limits)
        if part is None:
            passed_over.append((f"Tabel {number}", "no_table"))
        else:
            parts.append(part)
    if not parts:
        no_table = "PDF tanpa tabel: kirim berkas Excel atau Word dengan tabel lembar kerja"
        raise _nothing_read(name, bool(tables), passed_over, no_table)
    return parts, passed_over


def _own_header(
    rows: list[list[str | None]], header: list[str | None] | None
) -> tuple[list[list[str | None]], list[str | None] | None]:
    """A document's table with a header row: its own (which becomes the last header seen), or, for a
    table that goes on under a sub-title with as many columns, the header of the table above it."""
    found = find_header(rows) if rows else None
    if found is not None:
        return rows, rows[found[0]]  # find_header combines a two-line header in place
    if rows and header is not None and len(rows[0]) == len(header):
        return [header, *rows], header
    return rows, header


def _nothing_read(name: str, had_tables: bool, passed_over: list, no_table: str) -> WorkbookProblem:
    """Why a document gave no worksheet: its tables had no header, or it had no table at all."""
    problem = (
        no_header(name) if had_tables else WorkbookProblem(f"{name}: {no_table}", "no_table_in_document")
    )
    problem.passed_over = passed_over
    return problem


def _lines_between(words: list[dict], top: float, bottom: float) -> list[str]:
    """The lines of a PDF page's words whose middle lies between two heights (above a table: its title, a
    sub-title; a line may touch the table's border)."""
    lines: dict[int, list[dict]] = {}
    for word in words:
        middle = (word["top"] + word["bottom"]) / 2
        if top < middle < bottom:
            lines.setdefault(round(word["top"]), []).append(word)
    return [
        " ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])) for _, line in sorted(lines.items())
    ]


def _append_rows(part: SheetPart, rows: list[list[str]]) -> None:
    """Rows of a table with no worksheet of its own added under ``part``'s rows, numbered on."""
    width = len(part.columns)
    cells = np.empty((len(rows), width), dtype=object)
    for i, row in enumerate(rows):
        texts = [c if c and c.strip() else None for c in row[:width]]
        cells[i, : len(texts)] = texts
    columns, filled = text_columns([cells[:, j] for j in range(width)], len(rows))
    part.columns = [np.concatenate((old, new)) for old, new in zip(part.columns, columns, strict=True)]
    part.filled = np.concatenate((part.filled, filled))
    last = int(part.row_numbers[-1]) if len(part.row_numbers) else part.header_row
    part.row_numbers = np.concatenate((part.row_numbers, np.arange(last + 1, last + 1 + len(rows))))


_FRAGMENT = re.compile(r"[^\W\d_]{1,3}")
COVERED = "\x00covered"  # a PDF table slot covered by a merged cell above or beside it


def _known(text: str) -> bool:
    """A cell text the reader knows as a whole: a dimension, a SWOT category, a header name."""
    return dimension_of(text) is not None or swot_of(text) is not None or match_role(text) is not None


def _merges_filled(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Slots covered by a merged cell: in a data row (three filled cells or more) the value of the cell
    above (a dimension or district merged down its rows, as a spreadsheet's merges are filled);
    elsewhere (a section's text merged across the row) nothing."""
    out: list[list[str | None]] = []
    for row in rows:
        filled = sum(1 for c in row if c and c != COVERED)
        out.append(
            [
                (out[-1][j] if out and j < len(out[-1]) and filled >= 3 else None) if c == COVERED else c
                for j, c in enumerate(row)
            ]
        )
    return out


def _joined(last: list[str | None], first: list[str | None]) -> list[str | None]:
    pairs = zip(last, first, strict=False)
    return [_unwrapped("\n".join(c for c in pair if c and c != COVERED)) for pair in pairs]


def _split_row(first: list[str | None], last: list[str | None]) -> bool:
    """The first row of a table going on over a new page is the rest of the last row of the page before:
    it has no row number of its own, but more than a section's one value."""
    filled = sum(1 for c in first if c and c != COVERED)
    return not first[0] and filled >= 2 and bool(last and last[0])


def _unwrapped(cell: str | None) -> str | None:
    """A PDF table cell's lines as one text. A word too long for a narrow column is broken over two lines
    ("Kelemaha" / "n", "Paser Belengkon" / "g"): in a short cell (a name, a dimension, a category) a line
    starting with a fragment of at most three letters goes on the word above; elsewhere lines join with
    a space."""
    lines = [line.strip() for line in (cell or "").splitlines() if line.strip()]
    if not lines:
        return None
    if len(lines) <= 3 and sum(map(len, lines)) <= 40:
        text = lines[0]
        for line in lines[1:]:
            head = line.split()[0]
            glued = text + line
            word_goes_on = text[-1:].isalpha() and (
                _FRAGMENT.fullmatch(head) or (_known(glued) and not _known(f"{text} {line}"))
            )  # "Kelemaha" / "n"; "LINGKU" / "NGAN" when only the glued word means something
            number_goes_on = head[:1].isdigit() and text[-1:] in "0123456789./"  # "6401052" / "004"
            text += line if word_goes_on or number_goes_on else " " + line
        return text
    text = lines[0]
    for line in lines[1:]:  # a word hyphenated at the line's end goes on without a space
        text += line if text.endswith("-") else " " + line
    return text


def _continues(previous: list[list[str | None]], rows: list[list[str | None]]) -> bool:
    """A table on a new page that goes on with the previous one: as many columns, and no header row."""
    if not rows or not previous or len(rows[0]) != len(previous[0]):
        return False
    return find_header(rows[:1]) is None


def converted_to_word(name: str, raw: bytes, suffix: str) -> bytes:
    """A .doc, .odt or .rtf document as .docx bytes, converted by LibreOffice; WorkbookProblem when
    LibreOffice is not installed or cannot convert it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise WorkbookProblem(
            f"{name}: berkas {suffix} tidak dapat dibaca di server ini: simpan sebagai .docx atau .xlsx lalu "
            "kirim kembali", "file_type",
        )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="smartcity-convert-") as folder:
        source = Path(folder) / f"input{suffix}"
        source.write_bytes(raw)
        profile = Path(folder) / "profile"
        command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   "--convert-to", "docx", "--outdir", folder, str(source)]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise WorkbookProblem(f"{name}: conversion by LibreOffice took too long", "unreadable") from None
        result = Path(folder) / "input.docx"
        if not result.is_file():
            raise WorkbookProblem(f"{name}: LibreOffice could not convert the {suffix} file", "unreadable")
        return result.read_bytes()


def refused_kind(name: str, suffix: str) -> WorkbookProblem:
    """Why a file of a kind the intake does not read is not read, in Bahasa Indonesia for the agency."""
    if suffix in PICTURE_SUFFIXES:
        return WorkbookProblem(
            f"{name}: berkas gambar/foto ({suffix}), bukan lembar kerja: kirim berkas Excel atau Word",
            "picture",
        )
    shown = suffix or "(tanpa akhiran)"
    return WorkbookProblem(
        f"{name}: jenis berkas {shown} tidak dikenal: kirim lembar kerja sebagai Excel (.xlsx), Word "
        "(.docx), PDF atau CSV", "file_type",
    )  # fmt: skip
