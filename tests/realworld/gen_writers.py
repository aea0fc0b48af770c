"""Writers of generated worksheets: one :class:`~tests.realworld.gen_layout.Layout` to .xlsx, .csv, .ods,
.docx or .pdf, the same bytes for the same layout.

Each writer returns the count, by kind, of the rows that are not data which the file holds *as table
rows* (the truth a reader is scored on): every non-blank line of a spreadsheet or CSV; in a Word document
(and a PDF made from one) only the rows of its tables, as the letterhead, sub-titles, legend and notes
are paragraphs there. Zips get fixed entry times and document dates (corpus.py's ``_freeze_zip``); a PDF
gets a fixed creation date and identifier.
"""

from __future__ import annotations

import atexit
import csv
import hashlib
import io
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TextProperties
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
from odf.text import P
from openpyxl.utils import get_column_letter

from tests.realworld.corpus import FIXED_TIME, _freeze_zip, _save_xlsx, _Sheet
from tests.realworld.gen_dressing import Line
from tests.realworld.gen_layout import Layout

TABLE_KINDS = ("header", "numbering", "section", "subtitle", "total")  # kinds that live inside a table


def counted(lines: list[Line]) -> Counter:
    """Rows that are not data, by kind, among ``lines`` (blank lines and data rows aside)."""
    return Counter(line.kind for line in lines if line.kind and not line.blank)


def _rows_of(lines: list[Line], *kinds: str) -> tuple[int, ...]:
    return tuple(i + 1 for i, line in enumerate(lines) if line.kind in kinds)


def save_xlsx(path: Path, layout: Layout) -> Counter:
    """openpyxl, dressed as an agency does (bold header on a fill, borders, bold letterhead), with real
    merged cells; a legend sheet after the data sheet."""
    lines = layout.lines
    body = [i + 1 for i, line in enumerate(lines) if line.token or line.kind in TABLE_KINDS]
    merges = tuple(f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}"
                   for r0, c0, r1, c1 in layout.merges)  # fmt: skip
    widths = tuple(48 if role == "description" else 5 if role == "no" else 16 for role in layout.order)
    sheets = [_Sheet(layout.sheet, [list(line.cells) for line in lines], header=_rows_of(lines, "header"),
                     table=(min(body), max(body)), titles=_rows_of(lines, "title", "subtitle", "section"),
                     merges=merges, widths=widths)]  # fmt: skip
    sheets += [_Sheet(name, rows, widths=(40,)) for name, rows in layout.extra_sheets]
    _save_xlsx(path, sheets)
    return counted(lines)


def save_csv(path: Path, layout: Layout, delimiter: str, encoding: str) -> Counter:
    """The csv module, CRLF records; with ';' numbers get a decimal comma (as an Indonesian Excel saves)."""

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and delimiter == ";":
            return repr(value).replace(".", ",")
        return str(value)

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(
        [text(c) for c in line.cells] for line in layout.lines
    )
    path.write_bytes(out.getvalue().encode(encoding))
    return counted(layout.lines)


def save_ods(path: Path, layout: Layout) -> Counter:
    """odfpy, as LibreOffice writes: spanned cells followed by covered cells; numbers as floats."""
    doc = OpenDocumentSpreadsheet()
    bold = Style(name="Tebal", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    strong = {i for i, line in enumerate(layout.lines) if line.kind in ("header", "title", "subtitle")}
    doc.spreadsheet.addElement(_ods_table(layout.sheet, [line.cells for line in layout.lines], layout.merges,
                                          strong, bold))  # fmt: skip
    for name, rows in layout.extra_sheets:
        doc.spreadsheet.addElement(_ods_table(name, rows, [], set(), bold))
    doc.save(str(path))
    _freeze_zip(path)
    return counted(layout.lines)


def _ods_table(name: str, rows: list[list], merges: list, strong: set[int], bold: Style) -> Table:
    """One sheet: a spanned cell at the top left of each merge, covered cells over the rest of it."""
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merges}
    covered = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    width = max((len(r) for r in rows), default=1)
    table = Table(name=name)
    for _ in range(width):
        table.addElement(TableColumn())
    for r, cells in enumerate(rows):
        row = TableRow()
        padded = list(cells) + [None] * (width - len(cells))
        for c, value in enumerate(padded):
            if (r, c) in covered and (r, c) not in spans:
                row.addElement(CoveredTableCell())
            else:
                row.addElement(_ods_cell(value, spans.get((r, c)), bold if r in strong else None))
        table.addElement(row)
    return table


def _ods_cell(value: object, span: tuple[int, int] | None, bold: Style | None) -> TableCell:
    """A cell as LibreOffice writes it: a number as a float with its text, text as a string."""
    attributes: dict = {"numberrowsspanned": span[0], "numbercolumnsspanned": span[1]} if span else {}
    if value is None:
        return TableCell(**attributes)
    if bold is not None:
        attributes["stylename"] = bold
    number = isinstance(value, int | float)
    cell = (
        TableCell(valuetype="float", value=value, **attributes)
        if number
        else TableCell(valuetype="string", **attributes)
    )
    cell.addElement(P(text=str(value)))
    return cell


def save_docx(path: Path, layout: Layout) -> Counter:
    """A Word document: the letterhead and anything above the header as paragraphs, the table (one per
    sub-title, the sub-title a paragraph between them) with its merged cells, legend and notes as
    paragraphs, the signature block as a borderless two-column table on the right."""
    lines = layout.lines
    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "Operator OPD"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    page = doc.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Cm(29.7), Cm(21.0)
    page.left_margin = page.right_margin = Cm(1.5)
    first = next(i for i, line in enumerate(lines) if line.kind == "header")
    last = max(i for i, line in enumerate(lines) if line.token or line.kind in TABLE_KINDS)
    in_tables: list[Line] = []
    for line in lines[:first]:
        _paragraph(doc, line)
    block: list[int] = []
    for i in range(first, last + 1):
        if lines[i].kind == "subtitle":
            _table(doc, layout, block)
            _paragraph(doc, lines[i])
            block = []
        elif not lines[i].blank:
            block.append(i)
            in_tables.append(lines[i])
    _table(doc, layout, block)
    for line in lines[last + 1 :]:
        if line.kind != "signature" and not line.blank:
            _paragraph(doc, line)
    signed = [line for line in lines[last + 1 :] if line.kind == "signature"]
    if signed:
        table = doc.add_table(rows=0, cols=2)
        for line in signed:
            table.add_row().cells[1].text = " ".join(str(c) for c in line.cells if c is not None)
        in_tables += signed
    doc.save(str(path))
    _freeze_zip(path)
    return counted(in_tables)


def _paragraph(doc, line: Line) -> None:
    if line.blank:
        return
    paragraph = doc.add_paragraph(" ".join(str(c) for c in line.cells if c is not None))
    if line.kind in ("title", "subtitle"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if line.kind == "title" else None
        for run in paragraph.runs:
            run.bold = True


def _table(doc, layout: Layout, block: list[int]) -> None:
    """The lines ``block`` (sheet line indices) as one Word table with the merges that lie inside it."""
    if not block:
        return
    table = doc.add_table(rows=len(block), cols=layout.width)
    table.style = "Table Grid"
    where = {line: r for r, line in enumerate(block)}
    grid = [row.cells for row in table.rows]  # Table.cell() walks the whole table: once is enough
    shares = [4.0 if role == "description" else 0.6 if role == "no" else 1.0 for role in layout.order]
    table.autofit = False
    for c, share in enumerate(shares):  # the page's 26.7 cm shared out, the description widest
        width = Cm(26.7 * share / sum(shares))
        table.columns[c].width = width  # the grid, which LibreOffice reads
        for row in grid:
            row[c].width = width  # each cell, which Word reads
    for r, i in enumerate(block):
        for c, value in enumerate(layout.lines[i].cells[: layout.width]):
            if value is not None:
                grid[r][c].text = str(value)
    for r0, c0, r1, c1 in layout.merges:  # disjoint ranges: the cells fetched above stay valid
        if r0 in where and r1 in where and where[r1] - where[r0] == r1 - r0:
            text = grid[where[r0]][c0].text
            grid[where[r0]][c0].merge(grid[where[r1]][c1]).text = text


_PROFILE: list[str] = []  # one LibreOffice profile per process (made on first use): a second start is faster


def save_pdf(path: Path, layout: Layout) -> Counter:
    """The Word document of the layout converted by LibreOffice Writer (``soffice --headless
    --convert-to pdf``, a second or more a file), then given a fixed creation date and identifier."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("PDF worksheets need LibreOffice (soffice) on the PATH")
    if not _PROFILE:
        _PROFILE.append(tempfile.mkdtemp(prefix="gen-soffice-"))
        atexit.register(shutil.rmtree, _PROFILE[0], True)
    with tempfile.TemporaryDirectory(prefix="gen-pdf-") as folder:
        made = Path(folder) / f"{path.stem}.docx"
        count = save_docx(made, layout)
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{_PROFILE[0]}", "--headless", "--convert-to", "pdf",
             "--outdir", folder, str(made)],
            check=False, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        made_pdf = Path(folder) / f"{path.stem}.pdf"
        if not made_pdf.exists():
            raise RuntimeError(
                f"soffice made no PDF of {made.name} (exit {done.returncode}): {done.stderr[-500:]}"
            )
        data = made_pdf.read_bytes()
    path.write_bytes(fixed_pdf(data))
    return count


_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\()(D:[^)]*)\)")
_PDF_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def fixed_pdf(data: bytes) -> bytes:
    """The PDF with its dates set to FIXED_TIME and its identifier and checksum (LibreOffice's
    /DocChecksum) derived from its content, each replaced by text of the same length (so the
    cross-reference offsets stay right)."""
    stamp = FIXED_TIME.strftime("D:%Y%m%d%H%M%S+00'00'").encode()

    def date(match: re.Match) -> bytes:
        size = len(match.group(2))
        return match.group(1) + stamp[:size].ljust(size, b"0") + b")"

    data = _PDF_DATE.sub(date, data)
    digest = hashlib.md5(_PDF_ID.sub(b"", _PDF_CHECKSUM.sub(b"", data)), usedforsecurity=False)
    digest = digest.hexdigest().upper().encode()
    data = _PDF_CHECKSUM.sub(lambda m: m.group(1) + (digest * 4)[: len(m.group(2))], data)

    def ident(match: re.Match) -> bytes:
        a, b = match.group(1), match.group(2)
        return match.group(0).replace(a, (digest * 4)[: len(a)]).replace(b, (digest * 4)[: len(b)])

    return _PDF_ID.sub(ident, data)
