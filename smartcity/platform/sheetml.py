"""A small streaming .xlsx writer for the feedback workbook: SpreadsheetML written directly, a column
at a time, into the zip archive.

Why not openpyxl: even in its write-only mode it builds a Python object per cell and hashes each cell's
style; about 2,000 rows per second for the feedback sheet, so a million-row worksheet would take
minutes to answer. Here the XML of a column's cells is built with string operations over the whole
column, rows are joined and streamed into the archive in blocks: time and memory linear in the rows.

What it writes is a plain workbook any spreadsheet opens: inline strings (never formulas: a text
starting with ``=`` stays text, with Excel's quote prefix), a bold frozen header with a filter,
column widths, rows filled red or yellow, a wrapped notes column, and a second sheet of label/value
rows. Tests read it back with openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from smartcity.platform.files import atomic_write
from smartcity.platform.vocabulary import FORMULA_TRIGGERS

FILL_NONE, FILL_RED, FILL_YELLOW = 0, 1, 2
_TRIGGER_FIRST = frozenset(FORMULA_TRIGGERS)  # each trigger is one character
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAX_CELL_TEXT = 32_767  # Excel's limit on the length of a cell's text
_BLOCK_ROWS = 20_000
PAPER_SIZES = {"a4": 9, "f4": 14}  # SpreadsheetML paperSize: 9 = A4, 14 = Folio (8.5 x 13 in, F4)

# cellXfs: fill (none, red, yellow) x (plain, quote prefix, wrapped), then bold and bold+quote, then
# fill x wrapped and quote-prefixed, then bold wrapped (a sheet's top block)
_QUOTE, _WRAP, _BOLD, _BOLD_QUOTE, _WRAP_QUOTE, _BOLD_WRAP = 3, 6, 9, 10, 11, 14
TOP_STYLES = {"plain": 0, "red": 1, "yellow": 2, "bold": _BOLD_WRAP}  # the cells of a sheet's top block
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="00FFC7CE"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="00FFEB9C"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="15">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>
<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1" quotePrefix="1"/>
<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1" quotePrefix="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1" quotePrefix="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1" quotePrefix="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""  # noqa: E501
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def column_letter(index: int) -> str:
    """Excel's letters of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape_column(values: Sequence[object]) -> list[str]:
    """Cell texts made safe for XML, a whole column at once ('' for an empty cell): characters XML
    cannot hold are dropped, ``& < >`` escaped, and the text cut at Excel's 32,767 characters."""
    cells = np.asarray(values, dtype=object)
    if not len(cells):
        return []
    cells = np.where(pd.isna(cells), "", cells)  # None and NaN: empty
    texts = cells.tolist()
    try:
        joined = "\x00".join(texts)
    except TypeError:  # a cell that is not text (a number made by us): as text
        texts = [str(v) for v in texts]
        joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1 or _ILLEGAL_XML.search(joined.replace("\x00", "")):
        joined = "\x00".join(_ILLEGAL_XML.sub("", t) for t in texts)
    out = joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split("\x00")
    if max(map(len, out)) > _MAX_CELL_TEXT:
        out = [t if len(t) <= _MAX_CELL_TEXT else _cut(t) for t in out]
    return out


def _cut(text: str) -> str:
    cut = text[:_MAX_CELL_TEXT]
    return cut[: cut.rfind("&")] if cut.rfind("&") > cut.rfind(";") else cut  # no broken &amp;


def _cells(texts: list[str], fills: list[int], wrap: bool) -> list[str]:
    """The XML of one column's cells, one string per row (``<c/>`` for an empty cell: cells carry no
    reference, so every cell of a row is written and each sits in its place)."""
    base = _WRAP if wrap else 0
    text_open = [f'<c s="{base + f}" t="inlineStr"><is><t xml:space="preserve">' for f in range(3)]
    quote = _WRAP_QUOTE if wrap else _QUOTE
    quoted = [f'<c s="{f + quote}" t="inlineStr"><is><t xml:space="preserve">' for f in range(3)]
    empty = [f'<c s="{base + f}"/>' if f or wrap else "<c/>" for f in range(3)]
    first = _TRIGGER_FIRST
    return [
        empty[fill]
        if not text
        else (quoted if text[0] in first else text_open)[fill] + text + "</t></is></c>"
        for text, fill in zip(texts, fills, strict=True)
    ]


def _header(headers: list[str], row: int = 1) -> str:
    cells = []
    for index, text in enumerate(escape_column(headers)):
        if text:
            style = _BOLD_QUOTE if text.startswith(FORMULA_TRIGGERS) else _BOLD
            cells.append(
                f'<c r="{column_letter(index)}{row}" s="{style}" t="inlineStr"><is><t>{text}</t></is></c>'
            )
    return f'<row r="{row}">{"".join(cells)}</row>'


LINE_HEIGHT = 15.0  # points per line of 11 pt text
CHARACTERS_PER_WIDTH = 1.1  # characters of running text per unit of column width (a '0' is one unit)


def _row_opens(texts: list[list[str]], wrap: frozenset[int], widths: list[float], first: int) -> list[str]:
    """Each row's opening tag, tall enough for its longest wrapped text: spreadsheets (LibreOffice when it
    prints an .xlsx) keep the default height for a row that does not say its own, and wrapped lines would
    overlap the next row."""
    count = len(texts[0]) if texts else 0
    lines = np.ones(count, dtype=np.int64)
    for i in wrap:
        if i >= len(texts) or not texts[i]:
            continue
        per_line = max(1, int(widths[i] * CHARACTERS_PER_WIDTH) if i < len(widths) else 10)
        column = texts[i]
        needed = np.fromiter(map(len, column), dtype=np.int64, count=count) // per_line + 1
        if needed.max(initial=1) == 1 and "\n" not in "".join(column):
            continue  # a column of one-line texts
        for n in (n for n, text in enumerate(column) if "\n" in text):  # rare: texts written over lines
            needed[n] = sum(len(part) // per_line + 1 for part in column[n].split("\n"))
        lines = np.maximum(lines, needed)
    return [
        f'<row r="{first + n}">'
        if tall == 1
        else f'<row r="{first + n}" ht="{tall * LINE_HEIGHT:g}" customHeight="1">'
        for n, tall in enumerate(lines.tolist())
    ]


def _top(rows: Sequence[Sequence[tuple[str, str]]]) -> str:
    """A sheet's top block: rows of (text, style) cells (styles of :data:`TOP_STYLES`), our own words."""
    lines = []
    for number, cells in enumerate(rows, start=1):
        texts = escape_column([text for text, _ in cells]) if cells else []
        xml = "".join(
            f'<c r="{column_letter(i)}{number}" s="{TOP_STYLES[style]}" t="inlineStr"><is>'
            f'<t xml:space="preserve">{text}</t></is></c>'
            for i, (text, (_, style)) in enumerate(zip(texts, cells, strict=True))
        )
        lines.append(f'<row r="{number}">{xml}</row>')
    return "".join(lines)


def _print_setup(paper: str | None) -> str:
    if not paper:
        return ""
    return (
        '<printOptions gridLines="1"/><pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" '
        f'header="0.3" footer="0.3"/><pageSetup paperSize="{PAPER_SIZES[paper]}" orientation="landscape" '
        'fitToWidth="1" fitToHeight="0"/><headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter>'
        "</headerFooter>"
    )


class DataSheet(NamedTuple):
    """A data sheet: ``headers``, ``columns`` (one sequence of cell values each), each row's fill
    (FILL_NONE/RED/YELLOW), column widths; ``top``: rows of (text, style) written above the header (a
    key, what to do); ``wrap``: the columns whose text wraps (default: the last)."""

    headers: list[str]
    columns: list[Sequence[object]]
    fills: np.ndarray
    widths: list[float]
    top: Sequence[Sequence[tuple[str, str]]] = ()
    wrap: frozenset[int] | None = None


def _data_sheet(sheet: DataSheet, paper: str | None = None) -> Iterator[str]:
    """The XML of a data sheet, in blocks of rows, its header frozen under the top block. With a ``paper``
    ("a4", "f4") it prints landscape on it, as wide as one page, the header row on every page."""
    headers, columns, fills, widths = sheet.headers, sheet.columns, sheet.fills, sheet.widths
    head = len(sheet.top) + 1  # the header's row
    rows, last = len(fills), column_letter(len(headers) - 1)
    wrap = sheet.wrap if sheet.wrap is not None else frozenset({len(columns) - 1})
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths)
    )
    fit = '<pageSetUpPr fitToPage="1"/>' if paper else ""
    yield (
        f'{_HEAD}<worksheet {_MAIN}><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>{fit}</sheetPr>'
        f'<dimension ref="A1:{last}{rows + head}"/><sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{head}" topLeftCell="A{head + 1}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{head + 1}" sqref="A{head + 1}"/>'
        "</sheetView></sheetViews>"
        f'<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        + _top(sheet.top)
        + _header(headers, head)
    )
    for start in range(0, rows, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, rows)
        block_fills = fills[start:stop].tolist()
        texts = [escape_column(column[start:stop]) for column in columns]
        parts = [_cells(t, block_fills, wrap=i in wrap) for i, t in enumerate(texts)]
        opens = _row_opens(texts, wrap, widths, start + head + 1)
        rows_xml = zip(opens, zip(*parts, strict=True), strict=True)
        yield "".join(f"{opened}{''.join(cells)}</row>" for opened, cells in rows_xml)
    yield f'</sheetData><autoFilter ref="A{head}:{last}{rows + head}"/>{_print_setup(paper)}</worksheet>'


def _summary_sheet(
    rows: list[tuple[object, object, bool]], widths: tuple[float, float], paper: str | None = None
) -> str:
    """A small sheet of (label, value, bold) rows: texts as strings, numbers as numbers."""
    lines = []
    for number, (label, value, bold) in enumerate(rows, start=1):
        cells = []
        for letter, item in (("A", label), ("B", value)):
            if item is None:
                continue
            if isinstance(item, int | float) and not isinstance(item, bool):
                cells.append(f'<c r="{letter}{number}"><v>{item}</v></c>')
            else:
                (text,) = escape_column([item])
                style = _BOLD if bold else (_QUOTE if text.startswith(FORMULA_TRIGGERS) else 0)
                cells.append(f'<c r="{letter}{number}" s="{style}" t="inlineStr"><is><t>{text}</t></is></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if paper else ""
    return (
        f"{_HEAD}<worksheet {_MAIN}>{fit}<cols>{cols}</cols><sheetData>{''.join(lines)}</sheetData>"
        f"{_print_setup(paper)}</worksheet>"
    )


def _package(
    names: list[str], filters: dict[int, str], titles: dict[int, int] | None = None
) -> dict[str, str]:
    """The workbook's parts around its sheets: ``filters`` maps a sheet's position to its filter range;
    ``titles`` a sheet's position to the row printed on every page (its header)."""
    sheets = "".join(
        f'<sheet name="{_attribute(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    relations = "".join(
        f'<Relationship Id="rId{i}" Target="worksheets/sheet{i}.xml" Type="{_REL}/worksheet"/>'
        for i in range(1, len(names) + 1)
    )
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"'{_attribute(names[i].replace(chr(39), chr(39) * 2))}'!{ref}</definedName>"
        for i, ref in sorted(filters.items())
    )
    defined += "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"'{_attribute(names[i].replace(chr(39), chr(39) * 2))}'!${row}:${row}</definedName>"
        for i, row in sorted((titles or {}).items())
    )
    return {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'{overrides}<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{_REL}/officeDocument"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{_HEAD}<workbook {_MAIN} xmlns:r="{_REL}"><sheets>{sheets}</sheets>'
            + (f"<definedNames>{defined}</definedNames>" if defined else "")
            + "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG}">{relations}'
            f'<Relationship Id="rId{len(names) + 1}" Target="styles.xml" '
            f'Type="{_REL}/styles"/></Relationships>'
        ),
        "xl/styles.xml": STYLES,
    }


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_BAD_SHEET_CHARACTERS = re.compile(r"[\\/*?:\[\]]")


def sheet_names(wanted: list[str]) -> list[str]:
    """Names a spreadsheet accepts, unique (case-insensitive), in order: at most 31 characters, none of
    \\ / * ? : [ ], not empty, not starting or ending with an apostrophe."""
    names, taken = [], set()
    for raw in wanted:
        base = _BAD_SHEET_CHARACTERS.sub("_", _ILLEGAL_XML.sub("", raw)).strip("' ")[:31] or "Lembar"
        name, copy = base, 1
        while name.casefold() in taken:
            copy += 1
            suffix = f" ({copy})"
            name = base[: 31 - len(suffix)] + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


RowsSheet = tuple[list[tuple[object, object, bool]], tuple[float, float]]


def write_workbook(
    out: Path, sheets: list[tuple[str, DataSheet | RowsSheet]], paper: str | None = None
) -> Path:
    """Write a workbook of ``sheets`` to ``out`` (atomically, never through a link) and return the path.

    Each sheet is (name, content), names as :func:`sheet_names` makes them. A data sheet's content is a
    :class:`DataSheet` (or its first four fields as a tuple), streamed; a rows sheet's is (label/value/bold
    rows, its two column widths). With a ``paper`` ("a4" or "f4"), every sheet prints landscape on it, one
    page wide, a data sheet's header on each page.
    """
    names = [name for name, _ in sheets]
    sheets = [(n, DataSheet(*c) if len(c) in (4, 6) else c) for n, c in sheets]
    filters, titles = {}, {}
    for i, (_, content) in enumerate(sheets):
        if isinstance(content, DataSheet):
            head = len(content.top) + 1
            filters[i] = f"$A${head}:${column_letter(len(content.headers) - 1)}${len(content.fills) + head}"
            titles[i] = head
    with atomic_write(Path(out)) as work:
        with zipfile.ZipFile(work, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
            for name, text in _package(names, filters, titles if paper else None).items():
                book.writestr(name, text)
            for i, (_, content) in enumerate(sheets, start=1):
                if isinstance(content, DataSheet):
                    content = content._replace(fills=np.asarray(content.fills, dtype=np.int64))
                    with book.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as sheet:
                        for block in _data_sheet(content, paper):
                            sheet.write(block.encode("utf-8"))
                else:
                    book.writestr(f"xl/worksheets/sheet{i}.xml", _summary_sheet(*content, paper=paper))
    return Path(out)
