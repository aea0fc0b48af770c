"""The few python-docx things the master plan needs and python-docx has no API for: paper and margins, the
document's language, page numbers, fields (contents and lists filled in as they are written, page numbers
computed by the word processor), bookmarks, captions, and tables whose columns fit their words.

Decisions:

* Paper: A4 (21 x 29.7 cm) by default, F4 (21.5 x 33 cm, common in Indonesian offices) as an option;
  margins 3 cm left (binding), 2.5 cm elsewhere: the text is 15.5 cm wide on A4.
* Lists (contents, tables, figures, placeholders) are written with their entries: each a hyperlink to
  its bookmark with a ``PAGEREF`` field, so LibreOffice prints the right page numbers as it lays the
  document out and Word updates them when it opens the file (``w:updateFields``). They are not ``TOC``
  fields: LibreOffice drops the page fields inside a ``TOC`` field and prints a list without numbers
  until a person updates the index by hand. The other side: a heading the team adds later is not in the
  list until they insert Word's or LibreOffice's own table of contents (docs/masterplan.md says how).
* A table's columns are sized to their words: no column narrower than 2 cm, none narrower than its
  longest word (measured with Helvetica's widths, which Arial and Liberation Sans share), the rest of the
  text width shared by how much text each column holds. A word longer than the widest column it could
  have is cut with an ellipsis (a path or a link pasted into a worksheet); the complete text is in the
  issue workbook.
* Worksheet text is written as plain text runs (never fields or markup); characters XML cannot hold are
  removed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

PAPERS = {"a4": (21.0, 29.7), "f4": (21.5, 33.0)}  # width, height in cm
MARGINS = {"left": 3.0, "right": 2.5, "top": 2.5, "bottom": 2.5}  # cm
MIN_COLUMN_CM = 2.0
CELL_PADDING_CM = 0.45  # left and right cell margins (0.19 cm each) and a little air
TABLE_FONT_PT = 9
BODY_FONT = "Arial"  # Liberation Sans on Linux has its metrics
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Helvetica's advance widths (1/1000 em) for printable ASCII, regular and bold (Adobe's AFM files).
_REGULAR = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 "
    "556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 "
    "722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 "
    "500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 "
    "556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 "
    "722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 "
    "556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584"
)
WIDTHS = {bold: dict(zip(map(chr, range(32, 127)), map(int, text.split()), strict=True))
          for bold, text in ((False, _REGULAR), (True, _BOLD))}  # fmt: skip


def clean(value: object) -> str:
    """``value`` as text a .docx can hold: missing as an en dash, control characters removed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return _NOT_XML.sub("", str(value))


def text_cm(text: str, size_pt: float = TABLE_FONT_PT, bold: bool = False) -> float:
    """The printed width of ``text`` in cm (letters outside ASCII as wide as an 'm' at most)."""
    widths = WIDTHS[bold]
    units = sum(widths.get(ch, 833 if ord(ch) > 0x2E80 else 600) for ch in text)
    return units / 1000 * size_pt * 2.54 / 72


# -- the page -------------------------------------------------------------------------------------------


def set_page(section, paper: str = "a4", landscape: bool = False) -> float:
    """Paper size, orientation and margins of ``section``; returns the text width in cm."""
    width, height = PAPERS[paper]
    if landscape:
        width, height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin, section.right_margin = Cm(MARGINS["left"]), Cm(MARGINS["right"])
    section.top_margin, section.bottom_margin = Cm(MARGINS["top"]), Cm(MARGINS["bottom"])
    section.header_distance = section.footer_distance = Cm(1.2)
    return text_width(section)


def text_width(section) -> float:
    """The width between the margins of ``section`` in cm."""
    return Emu(section.page_width - section.left_margin - section.right_margin).cm


def set_language(document, tag: str) -> None:
    """The language of the text (``id-ID``, ``en-US``): spelling, hyphenation and dates follow it."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    lang = _child(run_defaults, "w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), tag)
    for style in styles.findall(qn("w:style")):  # styles that name a language of their own
        for found in style.iter(qn("w:lang")):
            found.set(qn("w:val"), tag)


def set_body_font(document, name: str = BODY_FONT, size_pt: float = 10.5) -> None:
    """The Normal style's font (a document made without a template only)."""
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = name, Pt(size_pt)
    fonts = _child(normal.element.get_or_add_rPr(), "w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)
    for style in document.styles:
        if style.type == 1 and style.name.startswith(("Heading", "Title")):  # paragraph styles
            style.font.name = name
            fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
            if fonts is not None:
                for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
                    fonts.attrib.pop(qn(attribute), None)


def page_numbers(section, template: str) -> None:
    """A centred footer ``template`` with ``{page}`` as the page number field ("Halaman {page}"), unless
    the section's footer already has text (a house-style template's footer is kept)."""
    footer = section.footer
    if any(p.text.strip() for p in footer.paragraphs) or footer.tables:
        return
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = 1  # centre
    before, _, after = template.partition("{page}")
    if before:
        paragraph.add_run(before)
    add_field(paragraph, "PAGE", "1")
    if after:
        paragraph.add_run(after)


def _child(parent, tag: str):
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


# -- fields and bookmarks --------------------------------------------------------------------------------


def _field_char(run, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)  # noqa: SLF001 - python-docx has no API for fields


def add_field(paragraph, instruction: str, result: str = "") -> None:
    """A simple field (``PAGE``, ``PAGEREF _Toc1 \\h``) with ``result`` shown until it is updated."""
    run = paragraph.add_run()
    _field_char(run, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run._r.append(code)  # noqa: SLF001
    _field_char(run, "separate")
    paragraph.add_run(result)
    _field_char(paragraph.add_run(), "end")


def add_bookmark(paragraph, name: str, ident: int) -> None:
    """A bookmark around ``paragraph``'s content (lists link to it and read its page)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)  # noqa: SLF001
    paragraph._p.append(end)  # noqa: SLF001


@dataclass
class Entry:
    """One line of a list: its text, the bookmark it points to, its level (1, 2, 3)."""

    text: str
    bookmark: str
    level: int = 1


def write_list(document, paragraph, entries: Sequence[Entry], empty: str) -> None:
    """The ``entries`` as lines from ``paragraph`` on: each a link to its bookmark and its page number (a
    ``PAGEREF`` field, which LibreOffice computes as it lays the pages out and Word updates on opening),
    right-aligned behind dots. Not a ``TOC`` field: LibreOffice drops the page fields inside one and
    prints a list without numbers until a person updates it."""
    width = Cm(text_width(document.sections[0]))
    lines = list(entries) or [Entry(empty, "", 1)]
    current = paragraph
    for index, entry in enumerate(lines):
        if index:
            current = _paragraph_after(current)
        current.paragraph_format.left_indent = Cm(0.6 * (entry.level - 1))
        current.paragraph_format.space_after = Pt(2)
        current.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if not entry.bookmark:
            current.add_run(clean(entry.text))
            continue
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), entry.bookmark)
        link.set(qn("w:history"), "1")
        current._p.append(link)  # noqa: SLF001
        for piece in (clean(entry.text), "\t"):
            r = OxmlElement("w:r")
            t = OxmlElement("w:t" if piece != "\t" else "w:tab")
            if piece != "\t":
                t.set(qn("xml:space"), "preserve")
                t.text = piece
            r.append(t)
            link.append(r)
        add_field(current, f"PAGEREF {entry.bookmark} \\h", "?")


def _paragraph_after(paragraph):
    """A new empty paragraph right after ``paragraph`` (same style)."""
    new = OxmlElement("w:p")
    paragraph._p.addnext(new)  # noqa: SLF001
    from docx.text.paragraph import Paragraph

    made = Paragraph(new, paragraph._parent)  # noqa: SLF001
    made.style = paragraph.style
    return made


def update_fields_on_open(document) -> None:
    """Ask Word to update the document's fields (contents, lists, page references) when it opens."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


# -- tables ------------------------------------------------------------------------------------------------


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], total_cm: float) -> list[float]:
    """Widths (cm) that add up to ``total_cm``: each column at least 2 cm and its longest word (header in
    bold), then the rest shared by each column's remaining need (its longest line)."""
    columns = list(zip(header, *rows, strict=True)) if rows else [(h,) for h in header]
    least, need = [], []
    for column in columns:
        words = [text_cm(w, bold=i == 0) for i, cell in enumerate(column) for w in str(cell).split()]
        lines = [
            text_cm(line, bold=i == 0) for i, cell in enumerate(column) for line in str(cell).split("\n")
        ]
        least.append(max([MIN_COLUMN_CM, *(w + CELL_PADDING_CM for w in words)]))
        need.append(max([0.0, *lines]) + CELL_PADDING_CM)
    spare = total_cm - sum(least)
    if spare <= 0:
        return [w * total_cm / sum(least) for w in least]
    extra = [max(n - w, 0.0) for n, w in zip(need, least, strict=True)]
    if sum(extra) <= spare:  # everything fits on one line: share what is left evenly
        widths = [w + e for w, e in zip(least, extra, strict=True)]
        leftover = (total_cm - sum(widths)) / len(widths)
        return [w + leftover for w in widths]
    return [w + spare * e / sum(extra) for w, e in zip(least, extra, strict=True)]


def fit_words(text: str, width_cm: float, bold: bool = False) -> str:
    """``text`` with every word that cannot fit a column of ``width_cm`` cut with an ellipsis."""
    room = width_cm - CELL_PADDING_CM
    words = text.split(" ")
    if all(text_cm(w, bold=bold) <= room for w in words):
        return text
    out = []
    for word in words:
        while text_cm(word + "…", bold=bold) > room and len(word) > 1:
            word = word[:-1]
        out.append(word if word in text.split(" ") else word + "…")
    return " ".join(out)


def add_table(
    document, header: Sequence[str], rows: Sequence[Sequence[object]], total_cm: float,
    widths: Sequence[float] | None = None, numeric: Sequence[int] = (), bold_rows: Sequence[int] = (),
    repeat_header: bool = True, keep_rows: Sequence[int] = (),
):  # fmt: skip
    """A table of ``rows`` under a bold ``header`` repeated on every page, each row kept on one page,
    its columns sized to their words (:func:`column_widths`), ``numeric`` columns right-aligned,
    ``bold_rows`` (1 = the first row under the header) in bold like the header. ``repeat_header=False``:
    a header that names only the first rows' content (a SWOT matrix) is not repeated on the next page;
    ``keep_rows`` (0 = the header) stay on the page of the row after them."""
    texts = [[clean(c) for c in r] for r in rows]
    header = [clean(h) for h in header]
    sizes = list(widths) if widths else column_widths(header, texts, total_cm)
    most = max(total_cm - MIN_COLUMN_CM * (len(sizes) - 1), MIN_COLUMN_CM)
    texts = [[fit_words(c, min(s, most)) for c, s in zip(r, sizes, strict=True)] for r in texts]
    table = document.add_table(rows=1 + len(texts), cols=len(header))
    try:
        table.style = "Table Grid"
    except (KeyError, ValueError):
        pass
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, size in zip(table.columns, sizes, strict=True):
        column.width = Cm(size)
    cells = table._cells  # noqa: SLF001 - one pass over the cells is much faster than row.cells
    width = len(header)
    for index, cell in enumerate(cells):
        row, col = divmod(index, width)
        cell.width = Cm(sizes[col])
        text = header[col] if row == 0 else texts[row - 1][col]
        paragraph = cell.paragraphs[0]
        lines = text.split("\n")
        for n, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.font.size = Pt(TABLE_FONT_PT)
            run.bold = row == 0 or row in bold_rows
            if n < len(lines) - 1:
                run.add_break()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.keep_with_next = row in keep_rows
        if col in numeric and row and row not in bold_rows:
            paragraph.alignment = 2  # right
    for n, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()  # noqa: SLF001
        properties.append(OxmlElement("w:cantSplit"))
        if n == 0 and repeat_header:
            properties.append(OxmlElement("w:tblHeader"))
    return table


def no_borders(table) -> None:
    """A layout table (figures side by side): no borders."""
    properties = table._tbl.tblPr  # noqa: SLF001
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "nil")
        borders.append(line)
    properties.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def shade(paragraph, fill: str = "FFF2CC", border: str = "BF9000") -> None:
    """A paragraph on a coloured ground inside a frame (the placeholders the team must write)."""
    properties = paragraph._p.get_or_add_pPr()  # noqa: SLF001
    frame = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "8")
        line.set(qn("w:space"), "4")
        line.set(qn("w:color"), border)
        frame.append(line)
    after = ("w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
             "w:topLinePunct",
             "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing",
             "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
             "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
             "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip
    properties.insert_element_before(frame, "w:shd", *after)
    ground = OxmlElement("w:shd")
    ground.set(qn("w:val"), "clear")
    ground.set(qn("w:color"), "auto")
    ground.set(qn("w:fill"), fill)
    properties.insert_element_before(ground, *after)
