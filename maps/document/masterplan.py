"""The master plan analysis document (.docx, editable in Word and LibreOffice), built with python-docx from a
run's MapData (no database here): ``smartcity masterplan`` and every published run write it.

Decisions:

* Indonesian by default, English with ``lang="en"`` (labels in :mod:`maps.common.i18n`, ``doc_<key>``).
* Headings use the document's own ``Heading 1``/``Heading 2`` styles (so a ``--template`` restyles them and
  Word's navigation pane lists them) and carry their number in the text (``2.3``): numbering stays right
  in any template, with or without a numbering definition.
* The table of contents is a Word ``TOC`` field, and the document asks Word to update its fields when it
  is opened (``w:updateFields``); LibreOffice shows the placeholder until Tools > Update.
* The tool lists, it does not invent: SWOT texts are the agencies' own, most urgent first, each with its
  place and agency; the TOWS matrix pairs texts of the same dimension and district as prompts.
* Worksheet text is written as plain text runs (never fields or markup); characters XML cannot hold
  (control characters) are removed. Long lists are capped, and say how many were left out.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from maps.common.i18n import class_label, dimension_label, hotspot_label, number, percent, t
from maps.common.provenance import source_entries
from maps.common.views import run_changes, why_rows
from smartcity.platform.files import write_bytes
from smartcity.platform.vocabulary import DIMENSIONS, SWOT
from smartcity.scoring.results import MapData

PER_CELL = 8  # SWOT texts shown per dimension and category
TOWS_PAIRS = 5  # pairings shown per TOWS cell
TOP_VILLAGES = 15
TOP_DISTRICTS = 10
ANNEX_ROWS = 2_000  # issues in the annex; more are counted, not listed
QUICK_WIN_URGENCY = 4
QUICK_WIN_P_TOP = 0.5
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

HEADINGS = {  # the numbered headings, in order: (level, key)
    "summary": "1", "method": "2", "by_agency": "3", "swot": "4", "tows": "5", "priority": "6",
    "quick_wins": "7", "changes": "8", "annex": "A",
}  # fmt: skip


def clean(value: object) -> str:
    """``value`` as text a .docx can hold: missing as an en dash, control characters removed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return _NOT_XML.sub("", str(value))


class _Text:
    """The document's labels: ``tx["title"]`` is ``doc_title`` of :mod:`maps.common.i18n`, looked up with
    ``t`` (an unknown key or language is an InputError, never a silent fallback)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return t(f"doc_{key}", self.lang)


class _Writer:
    """The document and its language; small helpers that keep the builder readable."""

    def __init__(self, document, lang: str) -> None:
        self.doc, self.lang, self.tx = document, lang, _Text(lang)

    def heading(self, text: str, level: int) -> None:
        try:
            self.doc.add_heading(clean(text), level)
        except KeyError:  # a template without Heading styles
            self.doc.add_paragraph().add_run(clean(text)).bold = True

    def para(self, text: str, style: str | None = None) -> None:
        try:
            self.doc.add_paragraph(clean(text), style=style)
        except KeyError:
            self.doc.add_paragraph(clean(text))

    def bullets(self, items: Sequence[str], cap: int | None = None) -> None:
        shown = list(items)[:cap] if cap else list(items)
        for item in shown:
            self.para(item, "List Bullet")
        if cap and len(items) > cap:
            self.para(self.tx["more"].format(n=len(items) - cap))
        if not items:
            self.para(self.tx["none"])

    def table(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        rows = [[clean(c) for c in r] for r in rows]
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        try:
            table.style = "Table Grid"
        except (KeyError, ValueError):
            pass
        cells = table._cells  # noqa: SLF001 - one pass over the cells is much faster than row.cells
        width = len(header)
        for j, text in enumerate(header):
            cells[j].text = clean(text)
            for run in cells[j].paragraphs[0].runs:
                run.bold = True
        for i, row in enumerate(rows, start=1):
            for j, text in enumerate(row):
                cells[i * width + j].text = text


def document_name(lang: str) -> str:
    """File name of the master plan analysis document in ``lang``."""
    return "analisis_masterplan.docx" if lang == "id" else "master_plan_analysis.docx"


def write_masterplan(
    data: MapData,
    path: Path | str,
    *,
    lang: str = "id",
    agencies: list[dict] | None = None,
    figures: Sequence[tuple[str, Path]] = (),
    template: Path | str | None = None,
    today: datetime | None = None,
) -> Path:
    """Build the document (see :func:`build_masterplan`) and write it to ``path`` atomically."""
    document = build_masterplan(
        data, lang=lang, agencies=agencies, figures=figures, template=template, today=today
    )
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
):
    """The master plan analysis document of a run (python-docx ``Document``), nothing written."""
    document = Document(str(template)) if template else Document()
    if template:
        _clear_body(document)
    w = _Writer(document, lang)
    issues = data.issue_texts if isinstance(data.issue_texts, pd.DataFrame) else pd.DataFrame()
    _cover(w, data, today or datetime.now(UTC))
    _toc(w)
    _summary(w, data, agencies, issues)
    _method(w, data, issues)
    _by_agency(w, agencies)
    _swot(w, issues)
    _tows(w, issues)
    _priority(w, data, figures)
    _quick_wins(w, data, issues)
    _changes(w, data)
    _annex(w, issues)
    return document


def _number_heading(w: _Writer, key: str, level: int = 1, sub: int | None = None, text: str | None = None):
    prefix = HEADINGS[key] + (f".{sub}" if sub else "")
    w.heading(f"{prefix} {text or w.tx[key]}", level)


def _clear_body(document) -> None:
    """Remove a template's content, keeping its styles and page setup."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _cover(w: _Writer, data: MapData, today: datetime) -> None:
    try:
        w.doc.add_paragraph(clean(w.tx["title"]), style="Title")
    except KeyError:
        w.para(w.tx["title"])
    w.para(clean(data.region_name))
    w.para(w.tx["subtitle"])
    run = data.run
    w.para(f"{w.tx['date']}: {today.strftime('%Y-%m-%d')}")
    w.para(f"{w.tx['run']}: {run.get('run_id')}")
    w.para(f"{w.tx['model']}: {run.get('config_source')} ({run.get('config_hash')})")
    w.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _toc(w: _Writer) -> None:
    """A TOC field Word fills in, and the setting that makes Word update fields on opening."""
    w.heading(w.tx["toc"], 1)
    paragraph = w.doc.add_paragraph()
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = 'TOC \\o "1-2" \\h \\z \\u'
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = w.tx["toc_placeholder"]
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, placeholder, end):
        run._r.append(element)  # noqa: SLF001 - python-docx has no API for fields
    settings = w.doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
    w.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _place(row: Mapping, tx: _Text | None = None) -> str:
    if row.get("regency_wide") is True and tx is not None:
        return tx["regency"]
    village, district = row.get("village_name"), row.get("district_name")
    if isinstance(village, str) and village:
        return f"{village}, {district}" if isinstance(district, str) else village
    return clean(district if isinstance(district, str) else row.get("district_code"))


def _item(row: Mapping, tx: _Text) -> str:
    where = f"{_place(row, tx)}; {clean(row.get('agency'))}; {tx['urgency']} {row.get('severity')}"
    return f"{clean(row.get('description'))} ({where})"


def _summary(w: _Writer, data: MapData, agencies: list[dict] | None, issues: pd.DataFrame) -> None:
    _number_heading(w, "summary")
    lang, tx = w.lang, w.tx
    subs = data.submissions or [
        {"agency": r.get("agency"), "rows": r.get("rows"), "rejected": r.get("rejected")} for r in data.intake
    ]
    senders = {str(s.get("agency") or "") for s in subs}
    w.heading(f"1.1 {tx['received']}", 2)
    w.para(tx["received_text"].format(
        agencies=number(len(senders), 0, lang), worksheets=number(len(subs), 0, lang),
        rows=number(sum(int(s.get("rows") or 0) for s in subs), 0, lang),
        rejected=number(sum(int(s.get("rejected") or 0) for s in subs), 0, lang),
        issues=number(data.run.get("issue_count", len(issues)), 0, lang),
    ))  # fmt: skip
    roster = [a for a in agencies or [] if a.get("on_roster")]
    if roster:
        missing = [a["agency"] for a in roster if not a["submitted"]]
        w.para(
            tx["roster_text"].format(missing=len(missing), total=len(roster), names=", ".join(missing) or "–")
        )
    w.heading(f"1.2 {tx['top_areas']}", 2)
    villages = _ranked(data.villages).head(5)
    w.bullets(
        [
            f"{int(r['rank'])}. {clean(r['name'])}: {number(r['score'], 1, lang)}"
            for _, r in villages.iterrows()
        ]
    )
    districts = _ranked(data.districts).head(3)
    w.bullets([f"{int(r['rank'])}. {t('district', lang)} {clean(r['name'])}: {number(r['score'], 1, lang)}"
               for _, r in districts.iterrows()])  # fmt: skip
    w.heading(f"1.3 {tx['dominant']}", 2)
    w.bullets([f"{dimension_label(d, lang)}: {_dominant(issues, d, tx)}" for d in DIMENSIONS])


def _dominant(issues: pd.DataFrame, dimension: str, tx: _Text) -> str:
    """The problem (weakness or threat) reported most often in a dimension, with its count."""
    if issues.empty:
        return tx["no_problem"]
    problems = issues[(issues["dimension"] == dimension) & issues["swot"].isin(["weakness", "threat"])]
    if problems.empty:
        return tx["no_problem"]
    counts = problems.groupby("description").agg(n=("severity", "size"), urgency=("severity", "max"))
    top = counts.sort_values(["n", "urgency"], ascending=False).head(1)
    text, row = top.index[0], top.iloc[0]
    return f"{clean(text)} ({int(row['n'])}×, {tx['urgency']} ≤ {int(row['urgency'])})"


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty or "rank" not in frame.columns:
        return pd.DataFrame(columns=["rank", "name", "score", "code"])
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).sort_values(["rank", "code"])


def _method(w: _Writer, data: MapData, issues: pd.DataFrame) -> None:
    _number_heading(w, "method")
    lang, tx, run = w.lang, w.tx, data.run
    model = run.get("config") if isinstance(run.get("config"), Mapping) else {}
    w.heading(f"2.1 {tx['inputs']}", 2)
    w.bullets([f"{label}: {text}" for label, text in source_entries(run, lang)])
    w.heading(f"2.2 {tx['placement']}", 2)
    placed = {
        m: sum(int(r.get(f"by {m}") or 0) for r in data.intake) for m in ("code", "point", "name", "district")
    }
    w.para(tx["placement_text"].format(
        placed=", ".join(f"{t(f'placed_{m}', lang).lower()} {number(n, 0, lang)}" for m, n in placed.items())
    ))  # fmt: skip
    w.heading(f"2.3 {tx['model_title']}", 2)
    classes = model.get("classes", {})
    w.para(tx["model_text"].format(method=classes.get("method", "jenks"), count=classes.get("count", 5)))
    weights = (run.get("weights") or {}).get("village", {}) if isinstance(run.get("weights"), Mapping) else {}
    w.table([t("criterion", lang), t("weight", lang)],
            [(t(f"crit_{c}", lang), percent(v, lang)) for c, v in weights.items()])  # fmt: skip
    cr = _ahp_cr(model)
    if cr is not None:
        w.para(tx["ahp"].format(cr=number(cr, 3, lang)))
    hot, robust = model.get("hotspots", {}), model.get("robustness", {})
    w.heading(f"2.4 {tx['hotspots_title']}", 2)
    w.para(
        tx["hotspots_text"].format(permutations=hot.get("permutations", "–"), alpha=hot.get("fdr_alpha", "–"))
    )
    w.heading(f"2.5 {tx['robust_title']}", 2)
    w.para(tx["robust_text"].format(draws=robust.get("draws", "–"), spread=robust.get("spread", "–"),
                                    top_n=robust.get("top_n", 10)))  # fmt: skip
    w.heading(f"2.6 {tx['caveats']}", 2)
    notes = []
    if ((run.get("provenance") or {}).get("ikn") or {}).get("approximate"):
        notes.append(tx["caveat_ikn"])
    dropped = list(run.get("dropped_criteria") or [])
    if dropped:
        notes.append(tx["caveat_dropped"].format(names=", ".join(t(f"crit_{c}", lang) for c in dropped)))
    notes.append(tx["caveat_text"])
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


def _by_agency(w: _Writer, agencies: list[dict] | None) -> None:
    _number_heading(w, "by_agency")
    lang = w.lang
    if not agencies:
        w.para(w.tx["none"])
        return
    rows = []
    for a in agencies:
        state = t("submitted" if a["submitted"] else "not_submitted", lang)
        if not a["on_roster"]:
            state += f" ({t('not_on_roster', lang)})"
        when = a["last_received"].strftime("%Y-%m-%d") if a.get("last_received") else "–"
        rows.append(
            (a["agency"], a.get("short_name") or "–", state, when, a["worksheets"], a["rows"], a["rejected"])
        )
    keys = ("agency", "short_name", "status", "last_received", "worksheets_count", "rows", "rejected")
    w.table([t(k, lang) for k in keys], rows)


def _by_dimension(issues: pd.DataFrame) -> dict[str, pd.DataFrame]:
    if issues.empty:
        return {}
    ordered = issues.sort_values(["severity"], ascending=False, kind="stable")
    return {d: frame for d, frame in ordered.groupby("dimension", sort=False)}


def _swot(w: _Writer, issues: pd.DataFrame) -> None:
    _number_heading(w, "swot")
    groups = _by_dimension(issues)
    for i, dimension in enumerate(DIMENSIONS, start=1):
        _number_heading(w, "swot", 2, i, dimension_label(dimension, w.lang))
        frame = groups.get(dimension, pd.DataFrame(columns=["swot"]))
        for category in SWOT:
            rows = frame[frame["swot"] == category]
            w.para(f"{t(f'swot_{category}', w.lang)} ({len(rows)})", "Heading 3")
            w.bullets([_item(r, w.tx) for r in rows.head(PER_CELL).to_dict("records")])
            if len(rows) > PER_CELL:
                w.para(w.tx["more"].format(n=len(rows) - PER_CELL))


def tows_pairs(
    frame: pd.DataFrame, first: str, second: str, limit: int = TOWS_PAIRS
) -> list[tuple[dict, dict]]:
    """Pairs (``first`` item, ``second`` item) of the same district in one dimension's issues, most urgent
    pairs first, each item used once: prompts for the TOWS matrix, nothing invented."""
    pairs: list[tuple[int, str, dict, dict]] = []
    if frame.empty:
        return []
    for district, group in frame.groupby("district_code", sort=True):
        a = group[group["swot"] == first].to_dict("records")
        b = group[group["swot"] == second].to_dict("records")
        for x, y in zip(a, b, strict=False):  # both most urgent first
            pairs.append((-(int(x["severity"]) + int(y["severity"])), str(district), x, y))
    pairs.sort(key=lambda p: (p[0], p[1]))
    return [(x, y) for _, _, x, y in pairs[:limit]]


def _tows(w: _Writer, issues: pd.DataFrame) -> None:
    _number_heading(w, "tows")
    w.para(w.tx["tows_text"])
    groups = _by_dimension(issues)
    cells = (("so", "strength", "opportunity"), ("wo", "weakness", "opportunity"),
             ("st", "strength", "threat"), ("wt", "weakness", "threat"))  # fmt: skip
    for i, dimension in enumerate(DIMENSIONS, start=1):
        _number_heading(w, "tows", 2, i, dimension_label(dimension, w.lang))
        frame = groups.get(dimension, pd.DataFrame(columns=["swot", "district_code", "severity"]))
        rows = []
        for key, first, second in cells:
            pairs = tows_pairs(frame, first, second)
            text = "\n".join(
                f"{_place(x, w.tx)}: {clean(x.get('description'))} ({clean(x.get('agency'))}) ↔ "
                f"{clean(y.get('description'))} ({clean(y.get('agency'))})"
                for x, y in pairs
            )
            rows.append((w.tx[key], text or w.tx["no_pairs"]))
        w.table([w.tx["tows_column"], w.tx["pairs"]], rows)


def _priority(w: _Writer, data: MapData, figures: Sequence[tuple[str, Path]]) -> None:
    _number_heading(w, "priority")
    lang, tx = w.lang, w.tx
    _number_heading(w, "priority", 2, 1, tx["figures"])
    for title, path in figures:
        if Path(path).is_file():
            w.doc.add_picture(str(path), width=Cm(16))
            w.para(clean(title), "Caption")
    _number_heading(w, "priority", 2, 2, tx["top_villages"])
    villages = _ranked(data.villages).head(TOP_VILLAGES)
    districts = dict(zip(data.districts.get("code", []), data.districts.get("name", []), strict=False))
    rows = []
    for r in villages.to_dict("records"):
        why = "; ".join(f"{p['criterion']} {p['points']}" for p in why_rows(r.get("components"), lang)[:3])
        interval = (f"{number(r.get('rank_p05'), 0, lang)}–{number(r.get('rank_p95'), 0, lang)}"
                    if pd.notna(r.get("rank_p05")) else "–")  # fmt: skip
        rows.append((number(r["rank"], 0, lang), r["name"], districts.get(r.get("district_code"), "–"),
                     number(r["score"], 1, lang), class_label(r.get("class_no"), lang), why,
                     percent(r.get("p_top"), lang), interval))  # fmt: skip
    keys = ("rank", "village", "district", "score", "priority_class", "why", "robustness", "rank_interval")
    w.table([t(k, lang) for k in keys], rows)
    _number_heading(w, "priority", 2, 3, tx["top_districts"])
    top = _ranked(data.districts).head(TOP_DISTRICTS).to_dict("records")
    w.table([t(k, lang) for k in ("rank", "district", "score", "priority_class", "issues")],
            [(number(r["rank"], 0, lang), r["name"], number(r["score"], 1, lang),
              class_label(r.get("class_no"), lang), number(r.get("issue_count"), 0, lang))
             for r in top])  # fmt: skip
    _number_heading(w, "priority", 2, 4, tx["hotspots"])
    hot = _ranked(data.villages)
    hot = hot[hot["hotspot"].fillna("").str.startswith("hot_")] if "hotspot" in hot.columns else hot.head(0)
    if hot.empty:
        w.para(tx["no_hotspots"])
    else:
        w.bullets([f"{r['name']} ({districts.get(r.get('district_code'), '–')}): "
                   f"{hotspot_label(r['hotspot'], lang)}" for r in hot.to_dict("records")])  # fmt: skip


def quick_wins(villages: pd.DataFrame, issues: pd.DataFrame) -> dict[str, list[dict]]:
    """Urgent weaknesses (urgency >= 4) in villages likely to stay in the top (p(top) >= 0.5), by agency."""
    if issues.empty or villages.empty or "p_top" not in villages.columns:
        return {}
    likely = set(villages.loc[villages["p_top"].fillna(0) >= QUICK_WIN_P_TOP, "code"])
    chosen = issues[(issues["swot"] == "weakness") & (issues["severity"] >= QUICK_WIN_URGENCY)
                    & issues["village_code"].isin(likely)]  # fmt: skip
    return {str(agency): group.to_dict("records") for agency, group in chosen.groupby("agency", sort=True)}


def _quick_wins(w: _Writer, data: MapData, issues: pd.DataFrame) -> None:
    _number_heading(w, "quick_wins")
    w.para(w.tx["quick_text"].format(urgency=QUICK_WIN_URGENCY, p=percent(QUICK_WIN_P_TOP, w.lang)))
    groups = quick_wins(data.villages, issues)
    if not groups:
        w.para(w.tx["none"])
    for i, (agency, items) in enumerate(groups.items(), start=1):
        _number_heading(w, "quick_wins", 2, i, agency)
        w.bullets([_item(r, w.tx) for r in items], cap=PER_CELL * 2)


def _changes(w: _Writer, data: MapData) -> None:
    _number_heading(w, "changes")
    changes = run_changes(data, w.lang)
    lang = w.lang
    if not changes or not changes.get("previous"):
        w.para(t("no_previous_run", lang))
        return
    w.para(f"{t('previous_run', lang)}: {changes['previous']['run_id']} ({changes['previous']['date']})")
    w.para(f"{t('new_submissions', lang)} ({len(changes['new_submissions'])})", "Heading 3")
    w.bullets([f"{s['file']} ({s['agency']}, {s['when']}): {s['rows']} {t('rows', lang).lower()}"
               for s in changes["new_submissions"]])  # fmt: skip
    w.para(f"{t('moved_villages', lang)} ({changes['moved_total']})", "Heading 3")
    w.bullets([f"{m['name']}: {m['previous_rank']} → {m['rank']} ({m['change']})" for m in changes["moved"]])
    w.para(f"{t('new_hotspots', lang)} ({len(changes['new_hotspots'])})", "Heading 3")
    w.bullets([f"{name} ({label})" for name, _, label in changes["new_hotspots"]])
    w.para(f"{t('gone_hotspots', lang)} ({len(changes['gone_hotspots'])})", "Heading 3")
    w.bullets([name for name, _ in changes["gone_hotspots"]])


def _annex(w: _Writer, issues: pd.DataFrame) -> None:
    section = w.doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _number_heading(w, "annex")
    lang = w.lang
    if issues.empty:
        w.para(w.tx["none"])
        return
    shown = issues.head(ANNEX_ROWS)
    if len(issues) > ANNEX_ROWS:
        w.para(
            w.tx["annex_cap"].format(shown=number(ANNEX_ROWS, 0, lang), total=number(len(issues), 0, lang))
        )
    for i, (dimension, frame) in enumerate(shown.groupby("dimension", sort=False), start=1):
        _number_heading(
            w, "annex", 2, i, dimension_label(dimension, lang) if dimension in DIMENSIONS else dimension
        )
        frame = frame.sort_values(["district_code", "severity"], ascending=[True, False], kind="stable")
        header = [t("district", lang), t("village", lang), w.tx["swot_column"], t("urgency", lang),
                  t("agency", lang)]  # fmt: skip
        w.table(header + [w.tx["text"]],
                [(w.tx["regency"] if r.get("regency_wide") is True else r.get("district_name"),
                  r.get("village_name"), t(f"swot_{r['swot']}", lang),
                  r.get("severity"), r.get("agency"), r.get("description"))
                 for r in frame.to_dict("records")])  # fmt: skip
    for paragraph in w.doc.paragraphs[-1:]:
        paragraph.paragraph_format.space_after = Pt(0)
