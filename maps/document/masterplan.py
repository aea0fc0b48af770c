"""The master plan analysis document (.docx, editable in Word and LibreOffice), built with python-docx from a
run's MapData (no database here): ``smartcity masterplan`` and every published run write it, with the
complete list of issues beside it as a workbook (:mod:`maps.document.annex`).

Decisions:

* **The guide's shape** (Kominfo, *Panduan Penyusunan Masterplan Smart City*): 1 Pendahuluan, 2 Analisis
  Strategis (profile, agencies' inputs, readiness, SWOT), 3 Visi, Misi dan Strategi (TOWS), 4 Kawasan
  Prioritas, 5 Program dan Quick Win, 6 Peta Jalan, 7 what changed, then the annexes. What the data can
  write is written; what only the team can write (background, legal basis, aims, vision and mission,
  links to the RPJMD, programmes, the roadmap's years and budgets) is a framed placeholder with a
  paragraph of guidance, and all of them are listed on a page near the start (:data:`PLACEHOLDERS`).
* **Numbers and lists**: headings carry their number in their text ("2.3 ...") in the document's own
  ``Heading 1-3`` styles (a ``--template`` restyles them); tables and figures have numbered captions per
  chapter ("Tabel 2.1", "Gambar 4.2"). The contents, the lists of tables and figures and the list of
  placeholders are Word fields written with their entries and page references (see
  :mod:`maps.document.docx_kit`): LibreOffice prints the page numbers, Word rebuilds them on opening.
* **Paper and language**: A4 by default (F4 as an option), page numbers in the footer (a template's
  own footer is kept), the document's language ``id-ID`` (``en-US`` in English), dates in words in the
  region's time zone with its name (WITA for Paser). The region's full name ("Kabupaten Paser") is the
  code list's.
* **Readable tables**: columns sized to their words (none under 2 cm, no word broken); the priority
  villages are a compact table with each village's reasons as a short paragraph under it; the long list
  of issues is the workbook, the document keeps a count by district and dimension.
* **The tool pairs, it does not invent**: SWOT texts are the agencies' own, most urgent first, with
  place and agency; TOWS strategies are drafts pairing reported items (:mod:`maps.document.strategies`).
* Worksheet text is written as plain text runs (never fields or markup); control characters removed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from maps.common.i18n import (
    LANGUAGE_TAGS,
    class_label,
    dimension_label,
    hotspot_label,
    local_time,
    number,
    percent,
    t,
)
from maps.common.provenance import source_entries
from maps.common.views import run_changes, why_rows
from maps.document import docx_kit as kit
from maps.document.annex import annex_name
from maps.document.readiness import ASPECTS, has_readiness, readiness_rows
from maps.document.strategies import CELLS, empty_reason, prepare, text_key, tows_cells
from smartcity.platform.errors import InputError
from smartcity.platform.files import write_bytes
from smartcity.platform.vocabulary import DIMENSIONS, SWOT
from smartcity.scoring.results import MapData

SWOT_PER_CELL = 4  # SWOT texts shown per dimension and category (the rest are in the workbook)
TOP_VILLAGES = 15
TOP_DISTRICTS = 10
TEXT_CHARS = 160  # a worksheet description in a table is cut at this length (complete in the workbook)
QUICK_WIN_URGENCY = 4
QUICK_WIN_P_TOP = 0.5
QUICK_WINS_PER_AGENCY = 4
#: the parts only the team can write: (key, section number); their titles and guidance are labels
PLACEHOLDERS = (("background", "1.1"), ("legal", "1.2"), ("aims", "1.3"), ("vision", "3.1"),
                ("rpjmd", "3.2"), ("programmes", "5.2"), ("roadmap", "6.1"), ("budget", "6.2"))  # fmt: skip
IDM_STATUSES = ("mandiri", "maju", "berkembang", "tertinggal", "sangat_tertinggal")


class _Writer:
    """The document being written: its language, its width, and what the lists at the start will show."""

    def __init__(self, document, lang: str, paper: str, timezone: str) -> None:
        self.doc, self.lang, self.paper, self.timezone = document, lang, paper, timezone
        self.width = kit.text_width(document.sections[-1])
        self.headings: list[kit.Entry] = []
        self.tables: list[kit.Entry] = []
        self.figures: list[kit.Entry] = []
        self.placeholders: list[kit.Entry] = []
        self.chapter = "0"
        self._counts: dict[tuple[str, str], int] = {}
        self._marks = 0

    def tx(self, key: str) -> str:
        return t(f"doc_{key}", self.lang)

    def _bookmark(self, paragraph, prefix: str) -> str:
        self._marks += 1
        name = f"_{prefix}{self._marks:04d}"
        kit.add_bookmark(paragraph, name, self._marks)
        return name

    def heading(self, number_: str, text: str, level: int = 1) -> None:
        """A numbered heading ("2.3 Kesiapan Daerah"), listed in the contents."""
        title = f"{number_} {kit.clean(text)}".strip()
        if level == 1:
            self.chapter = number_.split()[-1]
        try:
            paragraph = self.doc.add_heading(title, level)
        except KeyError:  # a template without Heading styles
            paragraph = self.doc.add_paragraph()
            paragraph.add_run(title).bold = True
        paragraph.paragraph_format.keep_with_next = True
        if level <= 2:
            self.headings.append(kit.Entry(title, self._bookmark(paragraph, "Toc"), level))

    def para(self, text: str, style: str | None = None):
        try:
            paragraph = self.doc.add_paragraph(kit.clean(text), style=style)
        except KeyError:
            paragraph = self.doc.add_paragraph(kit.clean(text))
        if style and style.startswith("Heading"):  # never the last line of a page
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def bullets(self, items: Sequence[str], cap: int | None = None) -> None:
        shown = list(items)[:cap] if cap else list(items)
        for item in shown:
            self.para(item, "List Bullet")
        if cap and len(items) > cap:
            self.para(self.tx("more").format(n=number(len(items) - cap, 0, self.lang)))
        if not items:
            self.para(self.tx("none"))

    def caption(self, kind: str, text: str) -> None:
        """ "Tabel 2.1 ..." above a table, "Gambar 4.1 ..." under a figure: numbered per chapter."""
        key = (kind, self.chapter)
        self._counts[key] = self._counts.get(key, 0) + 1
        title = f"{self.tx(kind)} {self.chapter}.{self._counts[key]} {kit.clean(text)}"
        paragraph = self.para(title, "Caption")
        paragraph.paragraph_format.keep_with_next = kind == "table"
        entry = kit.Entry(title, self._bookmark(paragraph, "Cap"))
        (self.tables if kind == "table" else self.figures).append(entry)

    def table(self, title: str, header: Sequence[str], rows: Sequence[Sequence[object]], **options) -> None:
        self.caption("table", title)
        kit.add_table(self.doc, header, rows, self.width, **options)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def placeholder(self, key: str, number_: str) -> None:
        """A framed paragraph saying what the team writes here, listed on the placeholders' page."""
        title = f"{number_} {self.tx(f'ph_{key}')}"
        self.heading(number_, self.tx(f"ph_{key}"), 2)
        mark = self.para(f"{self.tx('to_write')}: {self.tx(f'ph_{key}_guide')}")
        kit.shade(mark)
        self.placeholders.append(kit.Entry(title, self._bookmark(mark, "Ph")))

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def document_name(lang: str) -> str:
    """File name of the master plan analysis document in ``lang``."""
    return "analisis_masterplan.docx" if lang == "id" else "master_plan_analysis.docx"


def write_masterplan(data: MapData, path: Path | str, **options) -> Path:
    """Build the document (see :func:`build_masterplan`, same options) and write it to ``path`` atomically."""
    document = build_masterplan(data, **options)
    buffer = io.BytesIO()
    document.save(buffer)
    return write_bytes(Path(path), buffer.getvalue())


def build_masterplan(
    data: MapData,
    *,
    lang: str = "id",
    agencies: list[dict] | None = None,
    figures: Sequence[tuple[str, Path]] = (),
    template: Path | str | None = None,
    today: datetime | None = None,
    paper: str = "a4",
    timezone: str = "Asia/Makassar",
    annex: str | None = None,
):
    """The master plan analysis document of a run (python-docx ``Document``), nothing written. ``annex`` is
    the issue workbook's file name the document points to (the default name of ``lang`` when None)."""
    if paper not in kit.PAPERS:
        raise InputError(f"unknown paper {paper!r}: use one of {', '.join(kit.PAPERS)}")
    t("doc_title", lang)  # an unknown language is refused before anything is built
    document = Document(str(template)) if template else Document()
    if template:
        _clear_body(document)
    else:
        kit.set_body_font(document)
    for section in document.sections:
        kit.set_page(section, paper)
        kit.page_numbers(section, t("doc_page", lang))
    kit.set_language(document, LANGUAGE_TAGS[lang])
    w = _Writer(document, lang, paper, timezone)
    issues = prepare(data.issue_texts if isinstance(data.issue_texts, pd.DataFrame) else pd.DataFrame())
    _cover(w, data, today or datetime.now(UTC))
    lists = _front_lists(w)
    _introduction(w, data, agencies, issues)
    _strategic_analysis(w, data, agencies, issues)
    _vision_and_strategy(w, issues)
    _priority(w, data, figures)
    _programmes(w, data, issues)
    _roadmap(w)
    _changes(w, data)
    _annexes(w, data, issues, annex or annex_name(lang))
    for paragraph, entries in zip(lists, (w.headings, w.tables, w.figures, w.placeholders), strict=True):
        kit.write_list(document, paragraph, entries, w.tx("none"))
    kit.update_fields_on_open(document)
    return document


def _clear_body(document) -> None:
    """Remove a template's content, keeping its styles, headers, footers and page setup."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def full_name(data: MapData) -> str:
    """The region's name as the code list writes it ("Kabupaten Paser", "Kota Balikpapan")."""
    regency = (data.profile or {}).get("regency") or {}
    return str(regency.get("name") or data.region_name)


# -- the front pages ----------------------------------------------------------------------------------------


def _cover(w: _Writer, data: MapData, today: datetime) -> None:
    try:
        title = w.doc.add_paragraph(kit.clean(w.tx("title")), style="Title")
    except KeyError:
        title = w.para(w.tx("title"))
    title.paragraph_format.space_before = Pt(120)
    region = w.para(full_name(data))
    for run in region.runs:
        run.font.size, run.bold = Pt(20), True
    w.para(w.tx("subtitle"))
    draft = w.para(w.tx("draft_mark"))
    kit.shade(draft)
    run = data.run
    w.para(f"{w.tx('date')}: {local_time(today, w.timezone, w.lang)}")
    w.para(f"{w.tx('run')}: {run.get('run_id')}")
    w.para(f"{w.tx('model')}: {run.get('config_source')} ({run.get('config_hash')})")
    w.page_break()


def _front_lists(w: _Writer) -> list:
    """The contents, the lists of tables and figures, and the placeholders: paragraphs filled at the end."""
    paragraphs = []
    for key in ("toc", "list_tables", "list_figures", "list_placeholders"):
        heading = w.para(w.tx(key), "TOC Heading") if _has_style(w.doc, "TOC Heading") else None
        if heading is None:
            heading = w.para(w.tx(key))
            for run in heading.runs:
                run.bold, run.font.size = True, Pt(14)
        if key == "list_placeholders":
            w.para(w.tx("placeholders_text"))
        paragraphs.append(w.para(""))
        if key in ("list_figures", "list_placeholders"):
            w.page_break()
    return paragraphs


def _has_style(document, name: str) -> bool:
    try:
        document.styles[name]
    except KeyError:
        return False
    return True


# -- 1 Pendahuluan ------------------------------------------------------------------------------------------


def _introduction(w: _Writer, data: MapData, agencies: list[dict] | None, issues: pd.DataFrame) -> None:
    lang = w.lang
    w.heading("1", w.tx("intro"))
    for key, number_ in PLACEHOLDERS[:3]:
        w.placeholder(key, number_)
    w.heading("1.4", w.tx("summary"), 2)
    subs = data.submissions or [
        {"agency": r.get("agency"), "rows": r.get("rows"), "rejected": r.get("rejected")} for r in data.intake
    ]
    senders = {str(s.get("agency") or "") for s in subs}
    w.para(w.tx("received_text").format(
        agencies=number(len(senders), 0, lang), worksheets=number(len(subs), 0, lang),
        rows=number(sum(int(s.get("rows") or 0) for s in subs), 0, lang),
        rejected=number(sum(int(s.get("rejected") or 0) for s in subs), 0, lang),
        issues=number(data.run.get("issue_count", len(issues)), 0, lang),
    ))  # fmt: skip
    roster = [a for a in agencies or [] if a.get("on_roster")]
    if roster:
        missing = [a["agency"] for a in roster if not a["submitted"]]
        w.para(w.tx("roster_text").format(
            missing=len(missing), total=len(roster), names=", ".join(missing) or "–"
        ))  # fmt: skip
    villages = _ranked(data.villages).head(5)
    names = ", ".join(
        f"{kit.clean(r['name'])} ({number(r['score'], 1, lang)})" for _, r in villages.iterrows()
    )
    w.para(w.tx("top_text").format(names=names or "–"))
    w.para(w.tx("dominant"), "Heading 3")
    w.bullets([f"{dimension_label(d, lang)}: {_dominant(issues, d, w)}" for d in DIMENSIONS])
    _method(w, data)


def _dominant(issues: pd.DataFrame, dimension: str, w: _Writer) -> str:
    """The problem (weakness or threat) reported most often in a dimension, with its count."""
    if issues.empty:
        return w.tx("no_problem")
    problems = issues[(issues["dimension"] == dimension) & issues["swot"].isin(["weakness", "threat"])]
    if problems.empty:
        return w.tx("no_problem")
    counts = problems.groupby("description").agg(n=("severity", "size"), urgency=("severity", "max"))
    top = counts.sort_values(["n", "urgency"], ascending=False).head(1)
    text, row = top.index[0], top.iloc[0]
    return f"{_short(text)} ({int(row['n'])}×, {w.tx('urgency')} {int(row['urgency'])})"


def _method(w: _Writer, data: MapData) -> None:
    lang, run = w.lang, data.run
    model = run.get("config") if isinstance(run.get("config"), Mapping) else {}
    w.heading("1.5", w.tx("method"), 2)
    w.para(w.tx("inputs"), "Heading 3")
    w.bullets([f"{label}: {text}" for label, text in source_entries(run, lang)])
    w.para(w.tx("placement"), "Heading 3")
    placed = {
        m: sum(int(r.get(f"by {m}") or 0) for r in data.intake) for m in ("code", "point", "name", "district")
    }
    w.para(w.tx("placement_text").format(placed="; ".join(
        f"{t(f'placed_{m}', lang).lower()}: {number(n, 0, lang)}" for m, n in placed.items()
    )))  # fmt: skip
    w.para(w.tx("model_title"), "Heading 3")
    classes = model.get("classes", {})
    method = t(f"doc_classes_{classes.get('method', 'jenks')}", lang) if classes.get("method", "jenks") in (
        "jenks", "quantile", "equal") else str(classes.get("method"))  # fmt: skip
    w.para(w.tx("model_text").format(method=method, count=classes.get("count", 5)))
    weights = (run.get("weights") or {}).get("village", {}) if isinstance(run.get("weights"), Mapping) else {}
    w.table(w.tx("weights_caption"), [t("criterion", lang), t("weight", lang)],
            [(t(f"crit_{c}", lang), percent(v, lang)) for c, v in weights.items()], numeric=(1,))  # fmt: skip
    cr = _ahp_cr(model)
    if cr is not None:
        w.para(w.tx("ahp").format(cr=number(cr, 3, lang)))
    hot, robust = model.get("hotspots", {}), model.get("robustness", {})
    w.para(w.tx("hotspots_title"), "Heading 3")
    w.para(w.tx("hotspots_text").format(
        permutations=number(hot.get("permutations"), 0, lang), alpha=number(hot.get("fdr_alpha"), 2, lang)
    ))  # fmt: skip
    w.para(w.tx("robust_title"), "Heading 3")
    w.para(w.tx("robust_text").format(
        draws=number(robust.get("draws"), 0, lang), spread=number(robust.get("spread"), 2, lang),
        top_n=robust.get("top_n", 10),
    ))  # fmt: skip
    w.para(w.tx("caveats"), "Heading 3")
    notes = []
    if ((run.get("provenance") or {}).get("ikn") or {}).get("approximate"):
        notes.append(w.tx("caveat_ikn"))
    dropped = list(run.get("dropped_criteria") or [])
    if dropped:
        notes.append(w.tx("caveat_dropped").format(names=", ".join(t(f"crit_{c}", lang) for c in dropped)))
    notes.append(w.tx("caveat_text"))
    w.bullets(notes)


def _ahp_cr(model: Mapping) -> float | None:
    dims = model.get("dimensions") or {}
    if dims.get("method") != "ahp":
        return None
    from smartcity.scoring.ahp import ahp_weights

    try:
        return ahp_weights(dims.get("matrix"), dims.get("order")).cr
    except Exception:  # noqa: BLE001 - the run was checked when it was scored; a report never fails on this
        return None


# -- 2 Analisis Strategis -----------------------------------------------------------------------------------


def _strategic_analysis(w: _Writer, data: MapData, agencies: list[dict] | None, issues: pd.DataFrame) -> None:
    w.page_break()
    w.heading("2", w.tx("strategic"))
    _profile(w, data)
    _by_agency(w, agencies)
    _readiness(w, issues)
    _swot(w, issues)


def _profile(w: _Writer, data: MapData) -> None:
    lang = w.lang
    w.heading("2.1", w.tx("profile"), 2)
    profile = data.profile or {}
    facts = profile.get("regency") or {}
    districts = profile.get("districts")
    if not isinstance(districts, pd.DataFrame) or districts.empty:
        w.para(w.tx("profile_missing"))
        return
    desa, kelurahan = int(districts["desa"].sum()), int(districts["kelurahan"].sum())
    area = facts.get("area_km2") or districts["area_km2"].sum()
    text = w.tx("profile_text").format(
        name=full_name(data), area=number(area, 0, lang), districts=len(districts),
        desa=number(desa, 0, lang), kelurahan=number(kelurahan, 0, lang),
    )  # fmt: skip
    if facts.get("population"):
        text += " " + w.tx("profile_population").format(
            population=number(facts["population"], 0, lang), year=facts.get("population_year", "–"),
            density=number(facts["population"] / area, 1, lang) if area else "–",
        )  # fmt: skip
    near, far = districts["ikn_km_min"].min(), districts["ikn_km_max"].max()
    if pd.notna(near):
        text += " " + w.tx("profile_ikn").format(near=number(near, 0, lang), far=number(far, 0, lang))
    w.para(text)
    w.para(
        w.tx("profile_sources").format(
            source=facts.get("source", "–"), area_source=facts.get("area_source", "–")
        )
    )
    rows = [(r["name"], number(r["desa"], 0, lang), number(r["kelurahan"], 0, lang),
             number(r["area_km2"], 1, lang), _km_range(r, lang))
            for r in districts.to_dict("records")]  # fmt: skip
    rows.append((w.tx("total"), number(desa, 0, lang), number(kelurahan, 0, lang),
                 number(districts["area_km2"].sum(), 1, lang), _km_range(
                     {"ikn_km_min": near, "ikn_km_max": far}, lang)))  # fmt: skip
    w.table(w.tx("districts_caption"), [t("district", lang), w.tx("desa"), w.tx("kelurahan"),
            w.tx("area_km2"), w.tx("ikn_km")], rows, numeric=(1, 2, 3))  # fmt: skip
    counts = districts[[f"idm_{s}" for s in IDM_STATUSES]]
    if int(counts.to_numpy().sum()) == 0:
        w.para(w.tx("idm_missing"))
        return
    rows = [[r["name"], *(number(r[f"idm_{s}"], 0, lang) for s in IDM_STATUSES)]
            for r in districts.to_dict("records")]  # fmt: skip
    rows.append([w.tx("total"), *(number(counts[f"idm_{s}"].sum(), 0, lang) for s in IDM_STATUSES)])
    w.table(w.tx("idm_caption"), [t("district", lang), *(w.tx(f"idm_{s}") for s in IDM_STATUSES)], rows,
            numeric=(1, 2, 3, 4, 5))  # fmt: skip


def _km_range(row: Mapping, lang: str) -> str:
    low, high = row.get("ikn_km_min"), row.get("ikn_km_max")
    if low is None or (isinstance(low, float) and math.isnan(low)):
        return "–"
    return f"{number(low, 0, lang)}–{number(high, 0, lang)}"


def _by_agency(w: _Writer, agencies: list[dict] | None) -> None:
    lang = w.lang
    w.heading("2.2", w.tx("by_agency"), 2)
    if not agencies:
        w.para(w.tx("no_agencies"))
        return
    rows = []
    for a in agencies:
        state = t("submitted" if a["submitted"] else "not_submitted", lang)
        if not a["on_roster"]:
            state += f" ({t('not_on_roster', lang)})"
        when = local_time(a.get("last_received"), w.timezone, lang, with_time=False)
        rows.append((a["agency"], state, when, number(a["worksheets"], 0, lang), number(a["rows"], 0, lang),
                     number(a["rejected"], 0, lang)))  # fmt: skip
    keys = ("agency", "status", "last_received", "worksheets_count", "rows", "rejected")
    w.table(w.tx("agencies_caption"), [t(k, lang) for k in keys], rows, numeric=(3, 4, 5))


def _readiness(w: _Writer, issues: pd.DataFrame) -> None:
    lang = w.lang
    w.heading("2.3", w.tx("readiness"), 2)
    w.para(w.tx("readiness_text"))
    if not has_readiness(issues):
        w.para(w.tx("readiness_missing"))
        w.bullets([w.tx(f"aspect_{a}_help") for a in ASPECTS])
        return
    for dimension in DIMENSIONS:
        rows, unnamed = readiness_rows(issues, dimension)
        total = int((issues["dimension"] == dimension).sum()) if not issues.empty else 0
        if unnamed == total:  # no issue of the dimension names an aspect
            w.para(w.tx("readiness_none").format(dimension=dimension_label(dimension, lang),
                                                 n=number(unnamed, 0, lang)))  # fmt: skip
            continue
        table = []
        for row in rows:
            urgent = "–"
            if row.urgent:
                urgent = f"{_short(row.urgent.get('description'), 90)} ({_place(row.urgent, w)})"
            table.append((w.tx(f"aspect_{row.aspect}"), number(row.weaknesses, 0, lang),
                          number(row.strengths, 0, lang), urgent))  # fmt: skip
        w.table(w.tx("readiness_caption").format(dimension=dimension_label(dimension, lang)),
                [w.tx("aspect"), t("swot_weakness", lang), t("swot_strength", lang), w.tx("most_urgent")],
                table, numeric=(1, 2))  # fmt: skip
        if unnamed:
            w.para(w.tx("readiness_unnamed").format(n=number(unnamed, 0, lang)))


def _swot(w: _Writer, issues: pd.DataFrame) -> None:
    lang = w.lang
    w.heading("2.4", w.tx("swot"), 2)
    w.para(w.tx("swot_text").format(n=SWOT_PER_CELL))
    for i, dimension in enumerate(DIMENSIONS, start=1):
        w.para(f"2.4.{i} {dimension_label(dimension, lang)}", "Heading 3")
        own = issues[issues["dimension"] == dimension] if not issues.empty else issues
        cells = {}
        for category in SWOT:
            rows = own[own["swot"] == category] if not own.empty else own
            items = merged_items(rows, SWOT_PER_CELL)
            lines = [f"• {_merged(item, w)}" for item in items]
            distinct = rows["description"].nunique() if len(rows) else 0
            if distinct > len(items):
                lines.append(w.tx("more").format(n=number(distinct - len(items), 0, lang)))
            cells[category] = (f"{t(f'swot_{category}', lang)} ({number(len(rows), 0, lang)})",
                               "\n".join(lines) or w.tx("none"))  # fmt: skip
        header = [cells["strength"][0], cells["weakness"][0]]
        body = [(cells["strength"][1], cells["weakness"][1]), (cells["opportunity"][0], cells["threat"][0]),
                (cells["opportunity"][1], cells["threat"][1])]  # fmt: skip
        half = w.width / 2
        w.table(w.tx("swot_caption").format(dimension=dimension_label(dimension, lang)), header, body,
                widths=(half, half), bold_rows=(2,), repeat_header=False, keep_rows=(0, 2))  # fmt: skip


# -- 3 Visi, misi dan strategi ------------------------------------------------------------------------------


def _vision_and_strategy(w: _Writer, issues: pd.DataFrame) -> None:
    lang = w.lang
    w.page_break()
    w.heading("3", w.tx("vision_strategy"))
    for key, number_ in PLACEHOLDERS[3:5]:
        w.placeholder(key, number_)
    w.heading("3.3", w.tx("tows"), 2)
    w.para(w.tx("tows_text"))
    for i, dimension in enumerate(DIMENSIONS, start=1):
        w.para(f"3.3.{i} {dimension_label(dimension, lang)}", "Heading 3")
        found = tows_cells(issues, dimension)
        rows = []
        for key, internal, external in CELLS:
            statements = [f"{n}. {_statement(p, w)}" for n, p in enumerate(found[key], start=1)]
            if not statements:
                missing = empty_reason(issues, dimension, internal, external)
                kinds = " & ".join(t(f"swot_{k}", lang).lower() for k in missing)
                statements = [
                    w.tx("no_pairs_missing").format(kinds=kinds) if missing else w.tx("no_pairs_apart")
                ]
            rows.append((w.tx(key), "\n".join(statements)))
        w.table(w.tx("tows_caption").format(dimension=dimension_label(dimension, lang)),
                [w.tx("tows_column"), w.tx("strategy_column")], rows,
                widths=(3.0, w.width - 3.0))  # fmt: skip


def _statement(pairing, w: _Writer) -> str:
    inside, outside = pairing.internal, pairing.external
    return w.tx(f"tows_{pairing.cell}_statement").format(
        a=_short(inside.get("description"), 90), a_place=_place(inside, w),
        b=_short(outside.get("description"), 90), b_place=_place(outside, w),
    ) + f" [{w.tx(f'tier_{pairing.tier}')}]"  # fmt: skip


# -- 4 Kawasan prioritas ------------------------------------------------------------------------------------


def _priority(w: _Writer, data: MapData, figures: Sequence[tuple[str, Path]]) -> None:
    lang = w.lang
    w.page_break()
    w.heading("4", w.tx("priority"))
    w.heading("4.1", w.tx("figures"), 2)
    present = [(title, Path(path)) for title, path in figures if Path(path).is_file()]
    if present:
        title, path = present[0]
        w.doc.add_picture(str(path), width=Cm(min(w.width, 15.0)))
        w.caption("figure", title)
    if len(present) > 1:  # the dimensions' maps two abreast
        rest = present[1:]
        grid = w.doc.add_table(rows=math.ceil(len(rest) / 2), cols=2)
        kit.no_borders(grid)
        for index, (title, path) in enumerate(rest):
            cell = grid.cell(index // 2, index % 2)
            cell.paragraphs[0].add_run().add_picture(str(path), width=Cm(w.width / 2 - 0.4))
            w.caption("figure", title)  # numbered in order; the caption is moved into its cell
            caption = w.doc.paragraphs[-1]._p  # noqa: SLF001
            cell._tc.append(caption)  # noqa: SLF001
    w.para(w.tx("figures_note"))
    w.heading("4.2", w.tx("top_villages"), 2)
    villages = _ranked(data.villages).head(TOP_VILLAGES)
    districts = dict(zip(data.districts.get("code", []), data.districts.get("name", []), strict=False))
    rows, reasons = [], []
    for r in villages.to_dict("records"):
        rows.append((number(r["rank"], 0, lang), r["name"], districts.get(r.get("district_code"), "–"),
                     number(r["score"], 1, lang), class_label(r.get("class_no"), lang),
                     percent(r.get("p_top"), lang)))  # fmt: skip
        counted = [
            p for p in why_rows(r.get("components"), lang) if p["points"].lstrip("-") not in ("0,0", "0.0")
        ]
        parts = "; ".join(f"{p['criterion']} {p['points']}" for p in counted[:3])
        interval = (f"{number(r.get('rank_p05'), 0, lang)}–{number(r.get('rank_p95'), 0, lang)}"
                    if pd.notna(r.get("rank_p05")) else "–")  # fmt: skip
        reasons.append(w.tx("why_line").format(rank=number(r["rank"], 0, lang), name=kit.clean(r["name"]),
                                               parts=parts or "–", interval=interval))  # fmt: skip
    keys = ("rank", "village", "district", "score", "priority_class")
    w.table(w.tx("villages_caption").format(n=len(rows)), [*(t(k, lang) for k in keys), "p(top)"], rows,
            numeric=(0, 3, 5))  # fmt: skip
    w.para(w.tx("why_title"), "Heading 3")
    for line in reasons:
        w.para(line)
    w.heading("4.3", w.tx("top_districts"), 2)
    top = _ranked(data.districts).head(TOP_DISTRICTS).to_dict("records")
    every = len(top) >= len(data.districts)
    w.table(w.tx("districts_all_caption" if every else "districts_priority_caption").format(n=len(top)),
            [t(k, lang) for k in ("rank", "district", "score", "priority_class", "issues")],
            [(number(r["rank"], 0, lang), r["name"], number(r["score"], 1, lang),
              class_label(r.get("class_no"), lang), number(r.get("issue_count"), 0, lang)) for r in top],
            numeric=(0, 2, 4))  # fmt: skip
    w.heading("4.4", w.tx("hotspots"), 2)
    hot = _ranked(data.villages)
    hot = hot[hot["hotspot"].fillna("").str.startswith("hot_")] if "hotspot" in hot.columns else hot.head(0)
    if hot.empty:
        w.para(w.tx("no_hotspots"))
    else:
        w.bullets([f"{r['name']} ({districts.get(r.get('district_code'), '–')}): "
                   f"{hotspot_label(r['hotspot'], lang)}" for r in hot.to_dict("records")])  # fmt: skip


# -- 5 Program dan quick win, 6 Peta jalan, 7 Perubahan -----------------------------------------------------


def quick_wins(villages: pd.DataFrame, issues: pd.DataFrame) -> dict[str, list[dict]]:
    """Urgent weaknesses (urgency >= 4) in villages likely to stay in the top (p(top) >= 0.5), by agency."""
    if issues.empty or villages.empty or "p_top" not in villages.columns or "village_code" not in issues:
        return {}
    likely = set(villages.loc[villages["p_top"].fillna(0) >= QUICK_WIN_P_TOP, "code"])
    chosen = issues[(issues["swot"] == "weakness") & (issues["severity"] >= QUICK_WIN_URGENCY)
                    & issues["village_code"].isin(likely)]  # fmt: skip
    return {str(agency): group.to_dict("records") for agency, group in chosen.groupby("agency", sort=True)}


def _programmes(w: _Writer, data: MapData, issues: pd.DataFrame) -> None:
    lang = w.lang
    w.page_break()
    w.heading("5", w.tx("programmes"))
    w.heading("5.1", w.tx("quick_wins"), 2)
    w.para(w.tx("quick_text").format(urgency=QUICK_WIN_URGENCY, p=percent(QUICK_WIN_P_TOP, lang)))
    source = data.issue_texts if isinstance(data.issue_texts, pd.DataFrame) else pd.DataFrame()
    groups = quick_wins(data.villages, source)
    if not groups:
        w.para(w.tx("none"))
    rows = []
    for agency, items in groups.items():
        ordered = pd.DataFrame(items).sort_values("severity", ascending=False, kind="stable")
        merged = merged_items(ordered, QUICK_WINS_PER_AGENCY)
        lines = [f"• {_merged(item, w, with_agency=False)}" for item in merged]
        distinct = ordered["description"].nunique()
        if distinct > len(merged):
            lines.append(w.tx("more").format(n=number(distinct - len(merged), 0, lang)))
        rows.append((agency, number(len(items), 0, lang), "\n".join(lines)))
    if rows:
        w.table(w.tx("quick_caption"), [t("agency", lang), w.tx("issue_count"), w.tx("candidates")], rows,
                numeric=(1,))  # fmt: skip
        w.para(w.tx("quick_others"))
    w.placeholder(*PLACEHOLDERS[5])


def _roadmap(w: _Writer) -> None:
    w.heading("6", w.tx("roadmap"))
    for key, number_ in PLACEHOLDERS[6:]:
        w.placeholder(key, number_)


def _changes(w: _Writer, data: MapData) -> None:
    lang = w.lang
    w.heading("7", w.tx("changes"))
    changes = run_changes(data, lang, when=lambda v: local_time(v, w.timezone, lang))
    if not changes or not changes.get("previous"):
        w.para(w.tx("no_previous"))
        return
    w.para(w.tx("previous_text").format(date=changes["previous"]["date"], run=changes["previous"]["run_id"]))
    w.para(f"{t('new_submissions', lang)} ({len(changes['new_submissions'])})", "Heading 3")
    w.bullets([f"{s['file']} ({s['agency']}, {s['when']}): {s['rows']} {t('rows', lang).lower()}"
               for s in changes["new_submissions"]])  # fmt: skip
    w.para(f"{t('moved_villages', lang)} ({changes['moved_total']})", "Heading 3")
    w.bullets([f"{m['name']}: {m['previous_rank']} → {m['rank']} ({m['change']})" for m in changes["moved"]])
    if changes["moved_total"] > len(changes["moved"]):
        w.para(w.tx("more").format(n=number(changes["moved_total"] - len(changes["moved"]), 0, lang)))
    w.para(f"{t('new_hotspots', lang)} ({len(changes['new_hotspots'])})", "Heading 3")
    w.bullets([f"{name} ({label})" for name, _, label in changes["new_hotspots"]])
    w.para(f"{t('gone_hotspots', lang)} ({len(changes['gone_hotspots'])})", "Heading 3")
    w.bullets([name for name, _ in changes["gone_hotspots"]])


# -- annexes ------------------------------------------------------------------------------------------------


def _annexes(w: _Writer, data: MapData, issues: pd.DataFrame, annex: str) -> None:
    """Annex A on landscape pages: the count of issues by district and dimension (eight columns)."""
    lang = w.lang
    section = w.doc.add_section(WD_SECTION.NEW_PAGE)
    w.width = kit.set_page(section, w.paper, landscape=True)
    w.heading(w.tx("annex_a_number"), w.tx("annex_a"))
    w.chapter = "A"
    w.para(w.tx("annex_text").format(file=annex, n=number(len(issues), 0, lang)))
    if issues.empty:
        w.para(w.tx("none"))
        return
    place = issues["district_name"].where(issues["district_code"].notna(), w.tx("regency"))
    counts = pd.crosstab(place.fillna("–"), issues["dimension"])
    order = sorted(counts.index, key=lambda p: (p != w.tx("regency"), str(p)))
    dims = [d for d in DIMENSIONS if d in counts.columns]
    rows = [[p, *(number(counts.at[p, d], 0, lang) for d in dims),
             number(counts.loc[p].sum(), 0, lang)] for p in order]  # fmt: skip
    rows.append([w.tx("total"), *(number(counts[d].sum(), 0, lang) for d in dims),
                 number(int(counts.to_numpy().sum()), 0, lang)])  # fmt: skip
    w.table(w.tx("annex_caption"), [t("district", lang), *(w.tx(f"short_{d}") for d in dims), w.tx("total")],
            rows, numeric=tuple(range(1, len(dims) + 2)))  # fmt: skip


# -- small helpers ------------------------------------------------------------------------------------------


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty or "rank" not in frame.columns:
        return pd.DataFrame(columns=["rank", "name", "score", "code"])
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).sort_values(["rank", "code"])


def _short(text: object, limit: int = TEXT_CHARS) -> str:
    """A worksheet description cut at a word to ``limit`` characters (the whole text is in the workbook)."""
    value = " ".join(kit.clean(text).split())
    if len(value) <= limit:
        return value
    return value[:limit].rsplit(" ", 1)[0] + " …"


def _place(row: Mapping, w: _Writer) -> str:
    if row.get("regency_wide") is True or (row.get("district_code") is None and not row.get("district_name")):
        return w.tx("regency")
    village, district = row.get("village_name"), row.get("district_name")
    if isinstance(village, str) and village:
        return f"{village}, {w.tx('district_short')} {district}" if isinstance(district, str) else village
    name = district if isinstance(district, str) else row.get("district_code")
    return f"{w.tx('district_short')} {kit.clean(name)}"


def merged_items(rows: pd.DataFrame, limit: int) -> list[dict]:
    """The ``limit`` most urgent distinct texts of ``rows`` (most urgent first), each with every place and
    agency that reported it: the same text from several villages is one item, not several."""
    items: dict[str, dict] = {}
    if len(rows) > limit:  # only the rows of the first texts are read (100,000 issues: a few hundred)
        first = rows["description"].drop_duplicates().head(limit * 2)
        rows = rows[rows["description"].isin(first)]
    for record in rows.to_dict("records"):
        key = text_key(kit.clean(record.get("description")))
        if key not in items:
            if len(items) >= limit:
                continue
            items[key] = {**record, "places": [], "agencies": []}
        item = items[key]
        item["places"].append(record)
        agency = kit.clean(record.get("agency"))
        if agency not in item["agencies"]:
            item["agencies"].append(agency)
        item["severity"] = max(int(item.get("severity") or 0), int(record.get("severity") or 0))
    return list(items.values())


def _merged(item: Mapping, w: _Writer, with_agency: bool = True) -> str:
    places = list(dict.fromkeys(_place(r, w) for r in item["places"]))
    shown = "; ".join(places[:3])
    if len(places) > 3:
        shown += " " + w.tx("more_places").format(n=len(places) - 3)
    parts = [shown] + ([", ".join(item["agencies"])] if with_agency else [])
    parts.append(f"{w.tx('urgency')} {item.get('severity')}")
    return f"{_short(item.get('description'))} ({'; '.join(parts)})"


def _item(row: Mapping, w: _Writer) -> str:
    where = f"{_place(row, w)}; {kit.clean(row.get('agency'))}; {w.tx('urgency')} {row.get('severity')}"
    return f"{_short(row.get('description'))} ({where})"
