"""The master plan analysis document: python-docx reopens it with its headings, tables, TOC field and figures;
LibreOffice converts it to PDF and the section titles are in the text; hostile worksheet text stays text.
On the demo: every published run writes it beside index.html, with the roster and what changed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from maps.common.i18n import LABELS
from maps.document.masterplan import quick_wins, tows_pairs, write_masterplan
from tests.test_maps import grid_villages, issues_in, map_data

#: the document's labels by key (``doc_<key>`` of maps.common.i18n)
TEXT = {
    lang: {key.removeprefix("doc_"): text for key, text in labels.items() if key.startswith("doc_")}
    for lang, labels in LABELS.items()
}
HOSTILE = 'Jalan rusak <w:t>x</w:t> & "kutip" \x07 { TOC } =1+1 🌊'


def issue_frame(villages, count: int = 40) -> pd.DataFrame:
    """Issues with place names over a small grid, one with hostile text."""
    rows = []
    for i in range(count):
        v = villages.iloc[i % len(villages)]
        rows.append({
            "agency": "Dinas Kesehatan" if i % 2 else "Dinas PUPR", "dimension": ("living", "economy")[i % 2],
            "swot": ("strength", "weakness", "opportunity", "threat")[i % 4], "severity": 1 + i % 5,
            "description": HOSTILE if i == 1 else f"Uraian {i}", "village_code": v["code"],
            "village_name": v["name"], "district_code": v["district_code"],
            "district_name": "Kec " + v["district_code"],
        })  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture
def small_run():
    villages = grid_villages()
    data = map_data(villages, issues_in(villages, 20))
    data.issue_texts = issue_frame(villages)
    data.villages["p_top"] = 0.9
    return data


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_document_reopens_with_numbered_headings_tables_and_a_toc_field(small_run, tmp_path, lang):
    path = write_masterplan(small_run, tmp_path / "plan.docx", lang=lang, agencies=[])
    document = Document(str(path))
    titles = headings(document)
    tx = TEXT[lang]
    numbered = (("1", "summary"), ("2", "method"), ("3", "by_agency"), ("4", "swot"), ("5", "tows"),
                ("6", "priority"), ("7", "quick_wins"), ("8", "changes"), ("A", "annex"))  # fmt: skip
    for number, key in numbered:
        assert f"{number} {tx[key]}" in titles
    assert "2.3 " + tx["model_title"] in titles
    assert len(document.tables) >= 10  # criteria, agencies, six TOWS, villages, districts, annex
    xml = document.element.xml
    assert 'TOC \\o "1-2"' in xml
    assert (
        document.settings.element.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}updateFields"
        )
        is not None
    )
    text = "\n".join(p.text for p in document.paragraphs) + "".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert 'Jalan rusak <w:t>x</w:t> & "kutip"  { TOC } =1+1 🌊' in text  # as text; the bell is dropped
    assert "\x07" not in text


def test_tows_pairs_stay_within_a_district_and_quick_wins_need_urgency_and_p_top(small_run):
    issues = small_run.issue_texts
    living = issues[issues["dimension"] == "living"]
    for x, y in tows_pairs(living, "strength", "opportunity", limit=50):
        assert (
            x["district_code"] == y["district_code"]
            and x["swot"] == "strength"
            and y["swot"] == "opportunity"
        )
    wins = quick_wins(small_run.villages, issues)
    assert wins and all(
        r["severity"] >= 4 and r["swot"] == "weakness" for items in wins.values() for r in items
    )
    small_run.villages["p_top"] = 0.1
    assert quick_wins(small_run.villages, issues) == {}


def test_a_template_gives_its_styles_and_loses_its_content(small_run, tmp_path):
    template = Document()
    template.add_paragraph("TEMPLATE CONTENT")
    template.styles["Heading 1"].font.name = "Liberation Serif"
    template.save(tmp_path / "template.docx")
    path = write_masterplan(small_run, tmp_path / "plan.docx", template=tmp_path / "template.docx")
    document = Document(str(path))
    assert "TEMPLATE CONTENT" not in [p.text for p in document.paragraphs]
    assert document.styles["Heading 1"].font.name == "Liberation Serif"


def pdf_text(docx: Path, folder: Path) -> str:
    """LibreOffice headless converts ``docx`` to PDF (no error), pdftotext reads it back."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if not soffice or not pdftotext:
        pytest.fail("needs LibreOffice and poppler: apt-get install -y --no-install-recommends "
                    "libreoffice-writer poppler-utils (./run.sh test does it)", pytrace=False)  # fmt: skip
    profile = (folder / "lo-profile").resolve().as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(folder), str(docx)], capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    pdf = folder / (docx.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stderr + done.stdout
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())  # titles may wrap


@pytest.mark.db
@pytest.mark.e2e
def test_every_published_run_writes_the_document_with_roster_and_changes(demo, tmp_path, monkeypatch):
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
    extra = tmp_path / "dinsos.csv"  # a new submission between the two runs
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
    assert 'id="agencies"' in page and "Belum mengirim" in page and "Inspektorat Kabupaten Paser" in page
    assert 'id="changes"' in page and "dinsos.csv" in page and 'id="changes-moved"' in page
    path = site.folder / "analisis_masterplan.docx"
    assert "analisis_masterplan.docx" in site.files and 'href="analisis_masterplan.docx"' in page
    document = Document(str(path))
    assert len(document.inline_shapes) >= 7  # the main map and one per dimension
    titles = headings(document)
    assert "8 " + TEXT["id"]["changes"] in titles
    body = "\n".join(p.text for p in document.paragraphs)
    assert "dinsos.csv" in body and "Belum mengirim" in "".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    text = pdf_text(path, tmp_path)
    for key in ("summary", "method", "swot", "tows", "priority", "quick_wins"):
        assert TEXT["id"][key] in text, key
    assert "Analisis Spasial Masterplan Smart City" in text


@pytest.mark.db
@pytest.mark.e2e
def test_cli_masterplan_in_english_and_status_agencies(demo, cli, tmp_path):
    from smartcity.scoring.model import load_config
    from smartcity.scoring.runs import score_region
    from tests.helpers import REPO

    score_region(demo, "64.01", load_config())
    roster = str(REPO / "geodata" / "demo" / "agency_roster.csv")
    result = cli("status", "--agencies", SMARTCITY_AGENCY_ROSTER=roster)
    assert result.exit_code == 0, result.output
    assert "NOT SUBMITTED" in result.output and "Inspektorat" in result.output and "Dinkes" in result.output
    out = tmp_path / "plan_en.docx"
    result = cli("masterplan", "--out", str(out), "--lang", "en", SMARTCITY_AGENCY_ROSTER=roster)
    assert result.exit_code == 0, result.output
    assert TEXT["en"]["summary"] in "\n".join(headings(Document(str(out)))[:5])
    assert cli("masterplan", "--out", str(out), "--lang", "fr").exit_code != 0
