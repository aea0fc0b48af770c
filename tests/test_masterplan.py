"""The master plan analysis document as its reader gets it.

python-docx reopens it (numbered headings in the guide's order, captions, placeholders listed, A4, page
numbers, the document's language, a template's styles and footer kept, hostile worksheet text as text).
On the demo, every published run writes it and its issue workbook; LibreOffice converts both, and the
PDF is read the way a person reads the paper: A4 pages, at most 30, every word of every table cell whole,
no text outside the margins, headings and placeholders in order and listed with their pages, no English
word in the Indonesian body, every TOWS cell filled or explained, the readiness tables; two pages are
rendered to PNG and each word the PDF places is inked there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn

from maps.common.i18n import LABELS
from maps.document.annex import write_annex
from maps.document.masterplan import PLACEHOLDERS, quick_wins, write_masterplan
from smartcity.platform.vocabulary import DIMENSIONS
from tests.test_maps import grid_villages, issues_in, map_data

TEXT = {
    lang: {key.removeprefix("doc_"): text for key, text in labels.items() if key.startswith("doc_")}
    for lang, labels in LABELS.items()
}
HOSTILE = 'Jalan rusak <w:t>x</w:t> & "kutip" \x07 { TOC } =1+1 🌊'
CHAPTERS = {
    "id": ["1", "2", "3", "4", "5", "6", "7", "Lampiran A"],
    "en": ["1", "2", "3", "4", "5", "6", "7", "Annex A"],
}
A4 = (595.3, 841.9)  # points
MARGIN_CM = {"left": 3.0, "right": 2.5, "top": 2.5, "bottom": 2.5}
#: the guide's own terms, used in Indonesian as they are (a Bappeda writes them so)
TERMS_OF_ART = {"smart", "governance", "branding", "economy", "living", "society", "environment", "swot",
                "tows", "quick", "win", "p", "top", "gi", "getis", "ord", "ikn", "ahp", "cr",
                "jenks"}  # fmt: skip


def issue_frame(villages, count: int = 40) -> pd.DataFrame:
    """Issues with place names over a small grid, one with hostile text."""
    rows = []
    for i in range(count):
        v = villages.iloc[i % len(villages)]
        rows.append({
            "agency": "Dinas Kesehatan" if i % 2 else "Dinas PUPR", "dimension": ("living", "economy")[i % 2],
            "swot": ("strength", "weakness", "opportunity", "threat")[i % 4],
            "severity": 5 if i == 1 else 1 + i % 5,
            "description": HOSTILE if i == 1 else f"Uraian {i}", "village_code": v["code"],
            "village_name": v["name"], "district_code": v["district_code"],
            "district_name": "Kec " + v["district_code"], "regency_wide": False,
            "readiness": (None, "suprastruktur", "struktur", "infrastruktur")[i % 4],
        })  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture
def small_run():
    villages = grid_villages()
    data = map_data(villages, issues_in(villages, 20))
    data.issue_texts = issue_frame(villages)
    data.villages["p_top"] = 0.9
    return data


def headings(document, levels: str = "123") -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name in {f"Heading {n}" for n in levels}]


def all_text(document) -> str:
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    return "\n".join(p.text for p in document.paragraphs) + "\n" + cells


def numbered_in_order(titles: list[str], chapters: list[str]) -> None:
    """Chapters in the guide's order, each section numbered under its chapter, in order."""
    tops = [t for t in titles if any(t.startswith(c + " ") for c in chapters) and not re.match(r"\d+\.\d", t)]
    assert [next(c for c in chapters if t.startswith(c + " ")) for t in tops] == chapters
    seen: dict[str, int] = {}
    for title in titles:
        found = re.match(r"(\d+)\.(\d+)(?:\.(\d+))? ", title)
        if found and not found.group(3):
            chapter, section = found.group(1), int(found.group(2))
            assert section == seen.get(chapter, 0) + 1, title
            seen[chapter] = section


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_document_has_the_guides_chapters_numbered_with_its_placeholders_listed(
    small_run, tmp_path, lang
):
    path = write_masterplan(small_run, tmp_path / "plan.docx", lang=lang, agencies=[])
    document = Document(str(path))
    tx = TEXT[lang]
    titles = headings(document)
    numbered_in_order(titles, CHAPTERS[lang])
    for key, number in PLACEHOLDERS:
        assert f"{number} {tx['ph_' + key]}" in titles
    text = all_text(document)
    # each placeholder: framed guidance in the body, and a line of the list near the start
    assert text.count(tx["to_write"] + ":") == len(PLACEHOLDERS)
    listed = [p.text for p in document.paragraphs[:80]]
    for key, number in PLACEHOLDERS:
        assert any(line.startswith(f"{number} {tx['ph_' + key]}") for line in listed), key
    xml = document.element.xml
    assert xml.count("PAGEREF _Toc") == len(headings(document, "12"))
    assert xml.count("PAGEREF _Ph") == len(PLACEHOLDERS)
    assert document.settings.element.find(qn("w:updateFields")) is not None
    # A4, page numbers, the document's language
    for section in document.sections:
        size = sorted((round(section.page_width.cm, 1), round(section.page_height.cm, 1)))
        assert size == [21.0, 29.7]
    assert "PAGE" in document.sections[0].footer._element.xml  # noqa: SLF001
    lang_tag = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang_tag.get(qn("w:val")) == {"id": "id-ID", "en": "en-US"}[lang]
    # worksheet text stays text; the bell is dropped
    assert 'Jalan rusak <w:t>x</w:t> & "kutip" { TOC } =1+1 🌊' in text  # spaces run together in a table
    assert "\x07" not in text
    # every TOWS cell of every dimension says something: statements, or no pair and why
    tows = [t for t in document.tables if t.rows[0].cells[0].text == tx["tows_column"]]
    assert len(tows) == len(DIMENSIONS)
    for table in tows:
        assert [r.cells[0].text for r in table.rows[1:]] == [tx[k] for k in ("so", "wo", "st", "wt")]
        assert all(r.cells[1].text.strip() for r in table.rows[1:])
    # readiness: a table per dimension
    named = small_run.issue_texts.dropna(subset=["readiness"])["dimension"].nunique()
    assert sum(1 for t in document.tables if t.rows[0].cells[0].text == tx["aspect"]) == named
    assert text.count(tx["readiness_none"].split(":")[1].split("(")[0].strip()) == len(DIMENSIONS) - named


def test_f4_paper_and_without_readiness_the_section_says_how_to_fill_it(small_run, tmp_path):
    small_run.issue_texts = small_run.issue_texts.drop(columns="readiness")
    document = Document(str(write_masterplan(small_run, tmp_path / "plan.docx", paper="f4")))
    assert sorted((round(s.page_width.cm, 1), round(s.page_height.cm, 1)) for s in document.sections[:1]) == [
        (21.5, 33.0)
    ]
    text = all_text(document)
    assert TEXT["id"]["readiness_missing"] in text and TEXT["id"]["aspect_struktur_help"] in text
    assert not any(t.rows[0].cells[0].text == TEXT["id"]["aspect"] for t in document.tables)


def test_quick_wins_need_urgency_and_p_top(small_run):
    issues = small_run.issue_texts
    wins = quick_wins(small_run.villages, issues)
    assert wins and all(
        r["severity"] >= 4 and r["swot"] == "weakness" for items in wins.values() for r in items
    )
    small_run.villages["p_top"] = 0.1
    assert quick_wins(small_run.villages, issues) == {}


def test_a_template_gives_its_styles_and_footer_and_loses_its_content(small_run, tmp_path):
    template = Document()
    template.add_paragraph("TEMPLATE CONTENT")
    template.styles["Heading 1"].font.name = "Liberation Serif"
    template.sections[0].footer.paragraphs[0].text = "Bappedalitbang Kabupaten Paser"
    template.save(tmp_path / "template.docx")
    path = write_masterplan(small_run, tmp_path / "plan.docx", template=tmp_path / "template.docx")
    document = Document(str(path))
    assert "TEMPLATE CONTENT" not in [p.text for p in document.paragraphs]
    assert document.styles["Heading 1"].font.name == "Liberation Serif"
    assert document.sections[0].footer.paragraphs[0].text == "Bappedalitbang Kabupaten Paser"
    assert round(document.sections[0].page_width.cm, 1) == 21.0


def test_the_issue_workbook_has_a_sheet_per_dimension_filters_a_frozen_header_and_a4_landscape(
    small_run, tmp_path
):
    from openpyxl import load_workbook

    path = write_annex(small_run.issue_texts, tmp_path / "lampiran_isu.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [LABELS["id"][f"doc_short_{d}"] for d in DIMENSIONS]
    living = book[LABELS["id"]["doc_short_living"]]
    assert living.freeze_panes == "A2" and living.auto_filter.ref.startswith("A1:G")
    assert living.page_setup.orientation == "landscape" and living.page_setup.paperSize == 9
    assert living.print_title_rows == "$1:$1"
    rows = sum(book[name].max_row - 1 for name in book.sheetnames if book[name].max_row > 1)
    assert rows == len(small_run.issue_texts)
    values = [c.value for row in book[LABELS["id"]["doc_short_economy"]].iter_rows() for c in row]
    assert HOSTILE.replace("\x07", "") in values  # text, not a formula


# -- the demo, published and read on paper ---------------------------------------------------------------


def soffice_pdf(source: Path, folder: Path) -> Path:
    """LibreOffice headless converts ``source`` to PDF in ``folder`` (no error)."""
    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdftoppm"):
        pytest.fail("needs LibreOffice and poppler: apt-get install -y --no-install-recommends "
                    "libreoffice-writer libreoffice-calc poppler-utils (./run.sh test does it)",
                    pytrace=False)  # fmt: skip
    profile = (folder / "lo-profile").resolve().as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(folder), str(source)], capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    pdf = folder / (source.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stderr + done.stdout
    return pdf


def code_words(text: str, data) -> set[str]:
    """The words of ``text`` the code wrote: not a file name or identifier, not a word of the worksheets'
    texts, agencies or place names (an agency may write "Blank spot"; Long Ikis is a district)."""
    given = (
        " ".join(
            " ".join(map(str, data.issue_texts[c].dropna()))
            for c in ("description", "agency", "village_name", "district_name")
        )
        + " ".join(map(str, data.villages["name"]))
        + " ".join(map(str, data.districts["name"]))
    )
    theirs = {w.lower() for w in re.findall(r"[A-Za-z]{2,}", given)}
    ours = {w.lower() for token in text.split() if not re.search(r"[_/]|\.[a-z]{2,4}\b", token)
            for w in re.findall(r"[A-Za-z]{2,}", token)}  # fmt: skip
    return ours - theirs


def english_words() -> set[str]:
    """Words of the English labels that no Indonesian label uses (the words the code could leak)."""

    def words(labels):
        return {w.lower() for text in labels.values() for w in re.findall(r"[A-Za-z]{2,}", text)}

    return words(LABELS["en"]) - words(LABELS["id"]) - TERMS_OF_ART


@pytest.mark.db
@pytest.mark.e2e
def test_the_demos_document_on_paper(demo, tmp_path, monkeypatch):
    import pdfplumber

    from maps.site import write_site
    from maps.web.priority_map import MapOptions
    from smartcity.intake.load import ingest_file, load_gazetteer
    from smartcity.platform.settings import get_settings
    from smartcity.scoring.model import load_config
    from smartcity.scoring.results import read_map_data
    from smartcity.scoring.runs import score_region
    from tests.helpers import REPO

    monkeypatch.setenv("SMARTCITY_AGENCY_ROSTER", str(REPO / "geodata" / "demo" / "agency_roster.csv"))
    get_settings.cache_clear()
    score_region(demo, "64.01", load_config())
    extra = tmp_path / "dinsos.csv"  # a new submission between two runs: chapter 7 has something to say
    rows = "".join(f"Bantuan sosial belum merata {i},Smart Society,Kelemahan,5,64.01.04.2005,Dinsos\n"
                   for i in range(12))  # fmt: skip
    extra.write_text(
        "Uraian Permasalahan,Dimensi,Kategori,Urgensi,Kode Wilayah,OPD\n" + rows, encoding="utf-8"
    )
    ingest_file(demo, extra, load_gazetteer(demo, "64.01"))
    score_region(demo, "64.01", load_config())
    data = read_map_data(demo, "64.01")
    site = write_site(data, tmp_path / "site", MapOptions(offline=True))
    get_settings.cache_clear()
    page = site.index.read_text(encoding="utf-8")
    assert 'href="analisis_masterplan.docx"' in page and 'href="lampiran_isu.xlsx"' in page
    docx = site.folder / "analisis_masterplan.docx"
    document = Document(str(docx))
    tx = TEXT["id"]
    assert len(document.inline_shapes) >= 7  # the main map and one per dimension
    titles = headings(document)
    numbered_in_order(titles, CHAPTERS["id"])
    assert "dinsos.csv" in all_text(document) and "Belum mengirim" in all_text(document)

    pdf_path = soffice_pdf(docx, tmp_path)
    with pdfplumber.open(pdf_path) as pdf:
        pages = pdf.pages
        assert 10 <= len(pages) <= 30, len(pages)
        texts = [p.extract_text() or "" for p in pages]
        for p in pages:  # A4, portrait or landscape
            assert sorted((round(p.width, 1), round(p.height, 1))) == sorted(A4), (p.page_number, p.width)
        # no text outside the margins (the footer sits in the bottom margin, above 1 cm)
        cm = 72 / 2.54
        for p in pages:
            for word in p.extract_words():
                assert word["x0"] >= MARGIN_CM["left"] * cm - 2, (p.page_number, word["text"])
                assert word["x1"] <= p.width - MARGIN_CM["right"] * cm + 2, (p.page_number, word["text"])
                assert 1.0 * cm <= word["top"] and word["bottom"] <= p.height - 1.0 * cm, (
                    p.page_number,
                    word,
                )
        flat = " ".join(" ".join(t.split()) for t in texts)
        tokens = set(re.findall(r"\S+", flat))
        # every word of every table cell whole (a word broken across lines would be two tokens)
        broken = sorted({w for t in document.tables for row in t.rows for c in row.cells
                         for w in c.text.split() if w not in tokens})  # fmt: skip
        assert not broken, broken[:20]
        # headings in order in the PDF, each listed at the start with the page it is on
        body = " ".join(" ".join(t.split()) for t in texts[2:])
        position = 0
        for title in headings(document, "12"):
            position = body.index(title, position)
        front = " ".join(" ".join(t.split()) for t in texts[1:5])
        for key, number in PLACEHOLDERS:
            title = f"{number} {tx['ph_' + key]}"
            listed = re.search(re.escape(title) + r"\.*\s*(\d+)", front)
            assert listed, title
            on_page = int(listed.group(1))
            assert title in " ".join(texts[on_page - 1].split()), (title, on_page)
        # the Indonesian body has no English word of the code's
        leaked = code_words(flat, data) & english_words()
        assert not leaked, sorted(leaked)
        # readiness per dimension; TOWS cells filled or explained; names in full; WITA
        named = data.issue_texts.dropna(subset=["readiness"])["dimension"].nunique()
        assert named >= 3  # the demo's template worksheets fill the column
        tables = flat.count(tx["readiness_caption"].format(dimension=""))
        lines = flat.count(tx["readiness_none"].split(":")[1].split("(")[0].strip())
        assert (tables, lines) == (2 * named, len(DIMENSIONS) - named)  # each table in the list and the body
        assert "Kabupaten Paser" in texts[0] and "WITA" in texts[0]
        assert re.search(r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|"
                         r"November|Desember) \d{4}", texts[0])  # fmt: skip
        # two pages as a reader sees them: every word the PDF places there is inked in the picture
        for number in (1, next(i for i, t in enumerate(texts, 1) if tx["swot_caption"].split(":")[0] in t)):
            inked(pdf_path, pages[number - 1], number, tmp_path)

    annex = soffice_pdf(site.folder / "lampiran_isu.xlsx", tmp_path)
    with pdfplumber.open(annex) as pdf:
        assert all(p.width > p.height and sorted((round(p.width, 1), round(p.height, 1))) == sorted(A4)
                   for p in pdf.pages)  # fmt: skip
        printed = " ".join(p.extract_text() or "" for p in pdf.pages)
    assert "Bantuan sosial belum merata 3" in printed
    with zipfile.ZipFile(site.folder / "lampiran_isu.xlsx") as book:
        assert sum(1 for n in book.namelist() if n.startswith("xl/worksheets/sheet")) == len(DIMENSIONS)


def inked(pdf_path: Path, page, number: int, folder: Path) -> None:
    """Render page ``number`` to PNG at 100 dpi and check each word's box holds dark pixels."""
    from PIL import Image

    stem = folder / f"page-{number}"
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                    str(pdf_path), str(stem)], check=True, timeout=120)  # fmt: skip
    import numpy as np

    pixels = np.asarray(Image.open(f"{stem}.png").convert("L"))
    scale = pixels.shape[1] / float(page.width)
    words = page.extract_words()
    assert len(words) >= 20, number
    for word in words:
        x0, top, x1, bottom = (int(v * scale) for v in (word["x0"], word["top"], word["x1"], word["bottom"]))
        assert pixels[top : bottom + 1, x0 : x1 + 1].min() < 128, (number, word["text"])
    white = float((pixels > 250).mean())
    assert 0.5 < white < 0.995, white  # a page with text on it, not blank, not a dark blot


@pytest.mark.db
@pytest.mark.e2e
def test_cli_masterplan_in_english_on_f4_with_its_workbook_and_status_agencies(demo, cli, tmp_path):
    from smartcity.scoring.model import load_config
    from smartcity.scoring.runs import score_region
    from tests.helpers import REPO

    score_region(demo, "64.01", load_config())
    roster = str(REPO / "geodata" / "demo" / "agency_roster.csv")
    result = cli("status", "--agencies", SMARTCITY_AGENCY_ROSTER=roster)
    assert result.exit_code == 0, result.output
    assert "NOT SUBMITTED" in result.output and "Inspektorat" in result.output and "Dinkes" in result.output
    out = tmp_path / "plan_en.docx"
    result = cli(
        "masterplan", "--out", str(out), "--lang", "en", "--paper", "f4", SMARTCITY_AGENCY_ROSTER=roster
    )
    assert result.exit_code == 0, result.output
    document = Document(str(out))
    assert any(t.startswith("1.4 " + TEXT["en"]["summary"]) for t in headings(document))
    assert round(document.sections[0].page_height.cm, 1) == 33.0
    assert (tmp_path / "issues_annex.xlsx").is_file() and "issues_annex.xlsx" in result.output
    assert cli("masterplan", "--out", str(out), "--lang", "fr").exit_code != 0
    refused = cli("masterplan", "--out", str(out), "--paper", "letter")
    assert refused.exit_code != 0 and "--paper must be a4 or f4" in refused.output


def test_the_same_text_from_several_villages_is_one_item_with_its_places(small_run, tmp_path):
    issues = small_run.issue_texts
    same = issues["swot"].eq("strength") & issues["dimension"].eq("living")
    issues.loc[same, "description"] = "Menara BTS 4G sudah beroperasi"
    issues.loc[same, "severity"] = 5
    document = Document(str(write_masterplan(small_run, tmp_path / "plan.docx")))
    swot = next(t for t in document.tables if t.rows[0].cells[0].text.startswith(TEXT["id"]["table"]) is False
                and t.rows[0].cells[0].text.startswith(LABELS["id"]["swot_strength"])
                and "Menara BTS" in t.rows[1].cells[0].text)  # fmt: skip
    cell = swot.rows[1].cells[0].text
    assert cell.count("Menara BTS 4G sudah beroperasi") == 1
    places = issues.loc[same, "village_name"].unique()
    assert len(places) == 3 and all(f"{name}, Kec." in cell for name in places)
    issues.loc[same, "village_name"] = [f"Desa Baru {i}" for i in range(int(same.sum()))]
    document = Document(str(write_masterplan(small_run, tmp_path / "plan.docx")))
    assert TEXT["id"]["more_places"].format(n=int(same.sum()) - 3) in all_text(document)


def test_a_region_without_worksheets_still_gets_its_document_and_workbook(small_run, tmp_path):
    from openpyxl import load_workbook

    small_run.issue_texts = pd.DataFrame()
    small_run.submissions, small_run.intake = [], []
    document = Document(str(write_masterplan(small_run, tmp_path / "plan.docx", agencies=[])))
    numbered_in_order(headings(document), CHAPTERS["id"])
    text = all_text(document)
    assert TEXT["id"]["readiness_missing"] in text and TEXT["id"]["no_agencies"] in text
    book = load_workbook(write_annex(small_run.issue_texts, tmp_path / "lampiran_isu.xlsx"))
    assert len(book.sheetnames) == len(DIMENSIONS) and all(book[n].max_row == 1 for n in book.sheetnames)
