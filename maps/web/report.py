"""The run's index page (one self-contained HTML file) and its downloadable tables (CSV, GeoJSON).

Decisions:

* The page is rendered by Jinja2 with ``autoescape=True`` and StrictUndefined: every value, worksheet
  text above all (descriptions, agencies, file names), is HTML-escaped where it is written; nothing from
  a worksheet is ever marked safe. Attributes are always double-quoted, so a quote or backtick in a
  value cannot leave its attribute. The only text marked safe is the page's own CSS constant. A
  Content-Security-Policy meta tag forbids scripts, plugins, forms and ``<base>``: a second line of
  defence.
* Self-contained and offline: CSS in a ``<style>`` element, system fonts, no script, no remote URL.
  Links (map pages, figures, downloads) must be relative; an absolute or ``javascript:`` link is refused.
* Numbers are written the language's way (``12,5`` in Indonesian, ``12.5`` in English); a missing value
  is an en dash. The class badge carries its label as text, not colour alone.
* The SWOT matrix shows a district's first five texts (the most urgent: the view orders them) and folds
  the rest into a ``<details>`` element, so a long list stays readable without JavaScript.
* CSV: UTF-8 with a BOM (Excel then reads it as UTF-8), ``components`` and other nested values as JSON
  text, and any text cell starting with ``= + - @`` (or a tab or carriage return) prefixed with an
  apostrophe so a spreadsheet shows it instead of running it as a formula (OWASP "CSV injection").
* GeoJSON: RFC 7946 (EPSG:4326, longitude first), coordinates written with 6 decimals (about 0.1 m) by
  GDAL's ``COORDINATE_PRECISION``; text is left as is there, it is data, not a spreadsheet.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import geopandas as gpd
import jinja2
import markupsafe
import numpy as np
import pandas as pd

from maps.common.i18n import LABELS, check_lang, class_label, hotspot_label, number, percent, t
from maps.common.provenance import source_entries
from maps.common.style import class_colour, class_text_colour
from maps.common.views import why_rows
from smartcity.platform.errors import InputError
from smartcity.platform.vocabulary import DIMENSIONS, FORMULA_TRIGGERS
from smartcity.reference.geometry_checks import publishable_polygons

SWOT_COLUMNS = (  # category, count column, texts column
    ("strength", "strengths", "strength_texts"),
    ("weakness", "weaknesses", "weakness_texts"),
    ("opportunity", "opportunities", "opportunity_texts"),
    ("threat", "threats", "threat_texts"),
)
VISIBLE_TEXTS = 5  # per district and SWOT cell; the rest fold into <details>
PLACED_BY = ("code", "point", "name", "district", "regency")
GEOJSON_DECIMALS = 6


# --- the index page -------------------------------------------------------------------------------------


def build_index(
    run: Mapping,
    villages: pd.DataFrame,
    districts: pd.DataFrame,
    intake: list[dict],
    swot: pd.DataFrame,
    pages: list[tuple[str, str]],
    downloads: list[tuple[str, str]],
    figures: list[tuple[str, str]],
    lang: str = "id",
    top_n: int = 20,
    script: str | None = None,
    agencies: Mapping | None = None,
    changes: Mapping | None = None,
) -> str:
    """The run's index page (see the module docstring): one HTML string, nothing written. With ``script``
    (the relative link of ``report_weights.js``) the page gets the weights panel; ``agencies`` (see
    :func:`maps.common.views.agency_rows`) and ``changes`` (:func:`maps.common.views.run_changes`) add
    their sections."""
    check_lang(lang)
    district_names = dict(zip(districts.get("code", []), districts.get("name", []), strict=True))
    ranked = _by_rank(villages)
    all_rows = [_village_row(r, district_names, lang) for r in ranked.to_dict("records")]
    panel = None
    if script and "components" in villages.columns and not villages.empty:
        from maps.web.weights import panel_context

        panel = panel_context(run, villages, all_rows, _relative_href(script), lang)
    sections = [s for s in SECTIONS if s[0] != "weights" or panel]
    sections = [s for s in sections if s[0] != "agencies" or agencies is not None]
    sections = [s for s in sections if s[0] != "changes" or changes is not None]
    context = {
        "lang": lang,
        "L": LABELS[lang],
        "region": _text(run.get("region_name")),
        "run": _run_info(run, intake, lang),
        "pages": [(title, _relative_href(href)) for title, href in pages],
        "top_villages": [
            _village_row(r, district_names, lang) for r in ranked.head(top_n).to_dict("records")
        ],
        "top_districts": [_district_row(r, lang) for r in _by_rank(districts).head(top_n).to_dict("records")],
        "all_villages": all_rows,
        "panel": panel,
        "sections": sections,
        "agencies": agencies,
        "changes": changes,
        "csp_script": markupsafe.Markup("'self'" if panel else "'none'"),  # our constant
        "with_why": "components" in villages.columns,
        "intake": [_intake_row(r, lang) for r in intake],
        "swot": _swot_sections(swot, lang),
        "figures": [(title, _relative_href(href)) for title, href in figures],
        "downloads": [(title, _relative_href(href)) for title, href in downloads],
        "sources": source_entries(run, lang),
    }
    return _TEMPLATE.render(context)


def _by_rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by rank (unranked last), then code: the order every table uses."""
    if frame.empty or "rank" not in frame.columns:
        return frame
    keys = ["rank", "code"] if "code" in frame.columns else ["rank"]
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).sort_values(keys, na_position="last")


def _text(value: object) -> str:
    """``value`` as text for the page; an en dash when missing (the template escapes it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    return str(value)


def _whole(value: object, lang: str) -> str:
    return number(value, 0, lang)


def _when(value: object) -> str:
    """A timestamp as ``YYYY-MM-DD HH:MM UTC`` (naive ones as given), other values as text."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        return value.strftime("%Y-%m-%d %H:%M")
    return _text(value)


def _relative_href(href: str) -> str:
    """``href`` percent-encoded, refused unless it is a relative link (no scheme, host or leading slash)."""
    parts = urlsplit(str(href))
    if parts.scheme or parts.netloc or str(href).startswith(("/", "\\")):
        raise InputError(f"report links must be relative paths, got {str(href)[:80]!r}")
    return quote(str(href), safe="/#?&=%")


def _run_info(run: Mapping, intake: list[dict], lang: str) -> dict[str, str]:
    """Run id, date, model, inputs: the lines that make the page traceable."""
    submissions = run.get("submission_ids")
    worksheets = run.get("worksheet_count", len(submissions) if submissions is not None else len(intake))
    return {
        "run_id": _text(run.get("run_id")),
        "date": _when(run.get("finished_at") or run.get("started_at")),
        "generated": _when(run["generated_at"]) if run.get("generated_at") else "",
        "model": _text(run.get("config_source")),
        "model_hash": _text(run.get("config_hash")),
        "inputs": f"{_whole(worksheets, lang)} {t('worksheets', lang).lower()}, "
        f"{_whole(run.get('issue_count'), lang)} {t('issues', lang).lower()}",
    }


def _badge(class_no: object, lang: str) -> dict[str, str]:
    return {
        "label": class_label(class_no, lang),
        "bg": class_colour(class_no),
        "fg": class_text_colour(class_no),
    }


def _village_row(row: dict, district_names: dict, lang: str) -> dict:
    p05, p95 = row.get("rank_p05"), row.get("rank_p95")
    interval = "–" if _text(p05) == "–" or _text(p95) == "–" else f"{_whole(p05, lang)}–{_whole(p95, lang)}"
    district = row.get("district_code")
    return {
        "rank": _whole(row.get("rank"), lang),
        "code": _text(row.get("code")),
        "name": _text(row.get("name")),
        "district": _text(district_names.get(district, district)),
        "rank_value": _text(row.get("rank")) if _text(row.get("rank")) == "–" else str(int(row["rank"])),
        "score": number(row.get("score"), 1, lang),
        "badge": _badge(row.get("class_no"), lang),
        "issues": _whole(row.get("issue_count"), lang),
        "p_top": percent(row.get("p_top"), lang),
        "interval": interval,
        "hotspot": hotspot_label(row.get("hotspot"), lang),
        "hot": str(row.get("hotspot") or "").startswith("hot_"),
        "why": why_rows(row.get("components"), lang),
    }


def _district_row(row: dict, lang: str) -> dict:
    return {
        "rank": _whole(row.get("rank"), lang),
        "code": _text(row.get("code")),
        "name": _text(row.get("name")),
        "score": number(row.get("score"), 1, lang),
        "badge": _badge(row.get("class_no"), lang),
        "issues": _whole(row.get("issue_count"), lang),
    }


def _intake_row(row: Mapping, lang: str) -> dict:
    status = _text(row.get("status"))
    return {
        "file": _text(row.get("file")),
        "agency": _text(row.get("agency") or None),
        "status": LABELS[lang].get(f"status_{status}", status),
        "failed": status == "failed",
        "rows": _whole(row.get("rows"), lang),
        "loaded": _whole(row.get("loaded"), lang),
        "rejected": _whole(row.get("rejected"), lang),
        "skipped": _whole(row.get("skipped"), lang),
        "placed": [_whole(row.get(f"by {m}"), lang) for m in PLACED_BY],
        "error": _text(row.get("error") or None) if row.get("error") else "",
    }


def _texts(value: object) -> list[str]:
    """A texts cell (list, array or nothing) as a list of strings."""
    if value is None or isinstance(value, str | bytes) or not isinstance(value, Iterable | np.ndarray):
        return [] if value is None or (isinstance(value, float) and math.isnan(value)) else [str(value)]
    return [str(v) for v in value if v is not None]


def _swot_sections(swot: pd.DataFrame, lang: str) -> list[dict]:
    """Per dimension (in the model's order): four cells, each listing districts (most reports first)."""
    if swot.empty:
        return []
    present = set(swot["dimension"])
    order = [d for d in DIMENSIONS if d in present] + sorted(present - set(DIMENSIONS))
    sections = []
    for dimension in order:
        rows = swot[swot["dimension"] == dimension].to_dict("records")
        cells = []
        for category, count_column, texts_column in SWOT_COLUMNS:
            groups = []
            for r in rows:
                texts = _texts(r.get(texts_column))
                count = r.get(count_column)
                count = len(texts) if count is None or pd.isna(count) else int(count)
                if count or texts:
                    if r.get("regency_wide"):  # issues of the whole regency: no district
                        name = t("regency_wide", lang)
                    else:
                        name = _text(r.get("district_name") or r.get("district_code"))
                    groups.append({"district": name, "count": count, "shown": texts[:VISIBLE_TEXTS],
                                   "folded": texts[VISIBLE_TEXTS:]})  # fmt: skip
            groups.sort(key=lambda g: (-g["count"], g["district"]))
            total = sum(g["count"] for g in groups)
            cells.append({"category": category, "label": t(f"swot_{category}", lang), "total": total,
                          "groups": groups})  # fmt: skip
        label = LABELS[lang].get(f"dim_{dimension}", str(dimension))
        sections.append({"id": f"swot-{dimension}", "label": label, "cells": cells})
    return sections


_CSS = """
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;margin:0;
 color:#1a1a1a;background:#fafafa;line-height:1.45}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 16px}
h1{font-size:1.7rem;margin:20px 0 4px}h2{font-size:1.3rem;margin:32px 0 8px;border-bottom:2px solid #ddd}
h3{font-size:1.1rem;margin:20px 0 6px}h4{margin:0 0 6px;font-size:1rem}h5{margin:8px 0 2px;font-size:.9rem}
nav ul{display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;list-style:none}
dl.run{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}dl.run dt{font-weight:600}
dl.run dd{margin:0}
table{border-collapse:collapse;background:#fff;font-size:.9rem;margin:8px 0}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.85rem;white-space:nowrap;
 border:1px solid #999}
.hot{font-weight:600;color:#b2182b}.failed{color:#b2182b;font-weight:600}
.swot{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.swot>div{background:#fff;border:1px solid #ccc;border-top-width:4px;padding:8px 10px}
.swot>.swot-strength{border-top-color:#1b7837}.swot>.swot-weakness{border-top-color:#b2182b}
.swot>.swot-opportunity{border-top-color:#2166ac}.swot>.swot-threat{border-top-color:#e08214}
.swot ol{margin:0 0 4px;padding-left:22px}.empty{color:#666;font-style:italic}
.figures{display:flex;flex-wrap:wrap;gap:16px}.figures figure{margin:0;width:340px}
.figures img{width:100%;height:auto;border:1px solid #ccc;background:#fff}
details>summary{cursor:pointer}.scroll{overflow-x:auto}
.sc-panel{display:flex;flex-wrap:wrap;gap:12px}.sc-panel fieldset{background:#fff;border:1px solid #ccc}
.sc-slider{display:grid;grid-template-columns:16em 12em 3.5em auto;align-items:center;gap:6px}
.sc-split{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.sc-map{margin:0;flex:1 1 420px}
.sc-map svg{width:100%;height:auto;background:#fff;border:1px solid #ccc}
.sc-map path{stroke:#fff;stroke-width:.6}.sc-table{flex:1 1 480px;max-height:640px;overflow-y:auto}
#sc-model-toml{display:block;width:100%;font-family:monospace}
@media (max-width:700px){.swot{grid-template-columns:1fr}}
@media print{nav,.downloads,#weights{display:none}h2{break-after:avoid}table{font-size:8pt}}
"""

_TEMPLATE_TEXT = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="script-src {{ csp_script }}; object-src 'none'; base-uri 'none'; form-action 'none'">
<title>{{ L.title }}{% if region != "–" %} – {{ region }}{% endif %}</title>
<style>{{ css }}</style>
</head>
<body>
{% macro badge(b) %}
<span class="badge" style="background:{{ b.bg }};color:{{ b.fg }}">{{ b.label }}</span>
{%- endmacro %}
{% macro head(keys) %}
{% for key in keys %}<th scope="col">{{ L[key] }}</th>{% endfor %}
{% endmacro %}
{% macro village_table(rows, id, caption, why) %}
<div class="scroll"><table id="{{ id }}">
<caption>{{ caption }}</caption>
<thead><tr>
{{ head(["rank", "village", "code", "district", "score", "priority_class", "issues", "robustness",
         "rank_interval", "hotspot"]) }}
{% if why %}<th scope="col">{{ L.why }}</th>{% endif %}
</tr></thead>
<tbody>
{% for r in rows %}
<tr><td class="num">{{ r.rank }}</td><th scope="row">{{ r.name }}</th><td>{{ r.code }}</td>
<td>{{ r.district }}</td><td class="num">{{ r.score }}</td><td>{{ badge(r.badge) }}</td>
<td class="num">{{ r.issues }}</td><td class="num">{{ r.p_top }}</td><td class="num">{{ r.interval }}</td>
<td{% if r.hot %} class="hot"{% endif %}>{{ r.hotspot }}</td>
{% if why %}
<td>{% if r.why %}<details><summary>{{ L.why }}</summary>
<table><thead><tr>{{ head(["criterion", "raw_value", "weight", "points"]) }}</tr></thead><tbody>
{% for w in r.why %}
<tr><td>{{ w.criterion }}</td><td class="num">{{ w.raw }}</td><td class="num">{{ w.weight }}</td>
<td class="num">{{ w.points }}</td></tr>
{% endfor %}
</tbody></table></details>{% else %}–{% endif %}</td>
{% endif %}
</tr>
{% endfor %}
</tbody></table></div>
{% endmacro %}
{% macro slider(s) %}
<div class="sc-slider"><label for="{{ s.id }}">{{ s.label }}</label>
<input type="range" id="{{ s.id }}" min="0" max="100" step="any" value="{{ s.start }}"
 data-start="{{ s.start }}" data-kind="{{ s.kind }}" data-key="{{ s.key }}"
 {%- if s.disabled %} disabled{% endif %}>
<output id="{{ s.id }}-share" for="{{ s.id }}"></output>
{% if s.note %}<small>({{ s.note }})</small>{% endif %}</div>
{% endmacro %}
{% macro nothing() %}<p class="empty">{{ L.nothing }}</p>{% endmacro %}
<header>
<h1>{{ L.title }}{% if region != "–" %}: {{ region }}{% endif %}</h1>
<nav aria-label="{{ L.contents }}"><ul>
{% for anchor, key in sections %}<li><a href="#{{ anchor }}">{{ L[key] }}</a></li>
{% endfor %}
</ul></nav>
</header>
<main>
<section id="run"><h2>{{ L.run }}</h2>
<dl class="run">
<dt>{{ L.run_id }}</dt><dd><code>{{ run.run_id }}</code></dd>
<dt>{{ L.date }}</dt><dd>{{ run.date }}</dd>
{% if run.generated %}<dt>{{ L.generated }}</dt><dd>{{ run.generated }}</dd>{% endif %}
<dt>{{ L.model }}</dt><dd>{{ run.model }} (<code>{{ run.model_hash }}</code>)</dd>
<dt>{{ L.inputs }}</dt><dd>{{ run.inputs }}</dd>
</dl></section>

{% if changes is not none %}
<section id="changes"><h2>{{ L.changes }}</h2>
{% if changes.previous %}
<p>{{ L.previous_run }}: <code>{{ changes.previous.run_id }}</code> ({{ changes.previous.date }})</p>
<h3>{{ L.new_submissions }} ({{ changes.new_submissions|length }})</h3>
{% if changes.new_submissions %}<div class="scroll"><table id="changes-submissions">
<caption>{{ L.new_submissions }}</caption>
<thead><tr>{{ head(["file", "agency", "last_received", "rows", "rejected"]) }}</tr></thead><tbody>
{% for s in changes.new_submissions %}
<tr><th scope="row">{{ s.file }}</th><td>{{ s.agency }}</td><td>{{ s.when }}</td>
<td class="num">{{ s.rows }}</td>
<td class="num">{{ s.rejected }}</td></tr>
{% endfor %}</tbody></table></div>{% else %}{{ nothing() }}{% endif %}
<h3>{{ L.moved_villages }} ({{ changes.moved_total }})</h3>
{% if changes.moved %}<div class="scroll"><table id="changes-moved">
<caption>{{ L.moved_villages }}</caption>
<thead><tr>{{ head(["village", "code", "rank", "previous_rank", "rank_move"]) }}</tr></thead><tbody>
{% for m in changes.moved %}
<tr><th scope="row">{{ m.name }}</th><td>{{ m.code }}</td><td class="num">{{ m.rank }}</td>
<td class="num">{{ m.previous_rank }}</td><td class="num">{{ m.change }}</td></tr>
{% endfor %}</tbody></table></div>{% else %}{{ nothing() }}{% endif %}
<h3>{{ L.new_hotspots }} ({{ changes.new_hotspots|length }})</h3>
{% if changes.new_hotspots %}<ul id="changes-new-hotspots">
{% for name, code, label in changes.new_hotspots %}<li>{{ name }} ({{ code }}): {{ label }}</li>{% endfor %}
</ul>{% else %}{{ nothing() }}{% endif %}
<h3>{{ L.gone_hotspots }} ({{ changes.gone_hotspots|length }})</h3>
{% if changes.gone_hotspots %}<ul id="changes-gone-hotspots">
{% for name, code in changes.gone_hotspots %}<li>{{ name }} ({{ code }})</li>{% endfor %}
</ul>{% else %}{{ nothing() }}{% endif %}
{% else %}<p class="empty">{{ L.no_previous_run }}</p>{% endif %}
</section>
{% endif %}

<section id="maps"><h2>{{ L.map_pages }}</h2>
{% if pages %}<ul>
{% for title, href in pages %}<li><a href="{{ href }}">{{ title }}</a></li>
{% endfor %}</ul>
{% else %}{{ nothing() }}{% endif %}
</section>

<section id="top-villages"><h2>{{ L.top_villages }}</h2>
{% if top_villages %}{{ village_table(top_villages, "top-villages-table", L.top_villages, with_why) }}
{% else %}{{ nothing() }}{% endif %}
</section>

<section id="top-districts"><h2>{{ L.top_districts }}</h2>
{% if top_districts %}
<div class="scroll"><table>
<caption>{{ L.top_districts }}</caption>
<thead><tr>{{ head(["rank", "district", "code", "score", "priority_class", "issues"]) }}</tr></thead>
<tbody>
{% for r in top_districts %}
<tr><td class="num">{{ r.rank }}</td><th scope="row">{{ r.name }}</th><td>{{ r.code }}</td>
<td class="num">{{ r.score }}</td><td>{{ badge(r.badge) }}</td><td class="num">{{ r.issues }}</td></tr>
{% endfor %}
</tbody></table></div>
{% else %}{{ nothing() }}{% endif %}
</section>

{% if panel %}
<section id="weights"><h2>{{ L.weights_panel }}</h2>
<p>{{ L.weights_intro }}</p>
<p id="sc-weights-noscript" class="empty">{{ L.weights_noscript }}</p>
<div id="sc-weights" hidden data-lang="{{ lang }}" data-model="{{ panel.model }}"
 data-labels="{{ panel.labels }}">
<div class="sc-panel">
<fieldset><legend>{{ L.weights_criteria }}</legend>
{% for s in panel.criteria_sliders %}{{ slider(s) }}{% endfor %}
</fieldset>
<fieldset><legend>{{ L.weights_dimensions }}</legend>
{% for s in panel.dimension_sliders %}{{ slider(s) }}{% endfor %}
</fieldset>
</div>
<p><button type="button" id="sc-weights-reset">{{ L.reset }}</button>
<button type="button" id="sc-weights-copy">{{ L.copy_model }}</button>
<span id="sc-weights-status" role="status"></span></p>
<textarea id="sc-model-toml" readonly hidden rows="14" cols="90" spellcheck="false"></textarea>
<div class="sc-split">
<figure class="sc-map"><svg id="sc-weights-map" viewBox="0 0 {{ panel.svg.width }} {{ panel.svg.height }}"
 role="img" aria-label="{{ L.small_map }}">
{% for p in panel.svg.paths %}
<path data-code="{{ p.code }}" d="{{ p.d }}" fill="{{ p.fill }}"><title>{{ p.name }}</title></path>
{% endfor %}</svg><figcaption>{{ L.small_map }}</figcaption></figure>
<div class="scroll sc-table"><table id="sc-weights-table">
<caption>{{ L.weights_panel }}</caption>
<thead><tr>
{{ head(["rank", "village", "district", "score", "priority_class", "run_rank", "rank_move"]) }}</tr>
</thead><tbody>
{% for r in panel.rows %}
<tr data-code="{{ r.code }}" data-run-rank="{{ r.rank_value }}"><td class="num sc-rank">{{ r.rank }}</td>
<th scope="row">{{ r.name }}</th><td>{{ r.district }}</td><td class="num sc-score">{{ r.score }}</td>
<td>{{ badge(r.badge) }}</td><td class="num">{{ r.rank }}</td><td class="num sc-move"></td></tr>
{% endfor %}
</tbody></table></div>
</div>
</div>
<script src="{{ panel.script }}"></script>
</section>
{% endif %}

<section id="intake"><h2>{{ L.intake_summary }}</h2>
{% if intake %}
<div class="scroll"><table>
<caption>{{ L.intake_summary }}</caption>
<thead><tr>
{% for key in ["file", "agency", "status", "rows", "loaded", "rejected", "skipped"] %}
<th scope="col" rowspan="2">{{ L[key] }}</th>
{% endfor %}
<th scope="colgroup" colspan="5">{{ L.placed_by }}</th><th scope="col" rowspan="2">{{ L.error }}</th></tr>
<tr>{{ head(["by_code", "by_point", "by_name", "by_district", "by_regency"]) }}</tr></thead>
<tbody>
{% for r in intake %}
<tr><th scope="row">{{ r.file }}</th><td>{{ r.agency }}</td>
<td{% if r.failed %} class="failed"{% endif %}>{{ r.status }}</td><td class="num">{{ r.rows }}</td>
<td class="num">{{ r.loaded }}</td><td class="num">{{ r.rejected }}</td><td class="num">{{ r.skipped }}</td>
{% for n in r.placed %}<td class="num">{{ n }}</td>{% endfor %}
<td>{{ r.error }}</td></tr>
{% endfor %}
</tbody></table></div>
{% else %}{{ nothing() }}{% endif %}
</section>

{% if agencies is not none %}
<section id="agencies"><h2>{{ L.agencies }}</h2>
{% if agencies.summary %}<p id="agencies-summary">{{ agencies.summary }}</p>{% endif %}
<div class="scroll"><table id="agencies-table">
<caption>{{ L.agencies }}</caption>
<thead><tr>
{{ head(["agency", "short_name", "status", "last_received", "worksheets_count", "rows", "rejected"]) }}</tr>
</thead><tbody>
{% for a in agencies.rows %}
<tr{% if a.missing %} class="missing"{% endif %}><th scope="row">{{ a.agency }}
{% if a.written_as %}<br><small>{{ a.written_as }}</small>{% endif %}</th><td>{{ a.short_name }}</td>
<td{% if a.missing %} class="failed"{% endif %}>{{ a.status }}</td><td>{{ a.when }}</td>
<td class="num">{{ a.worksheets }}</td><td class="num">{{ a.rows }}</td>
<td class="num">{{ a.rejected }}</td></tr>
{% endfor %}
</tbody></table></div>
</section>
{% endif %}

<section id="swot"><h2>{{ L.swot_matrix }}</h2>
{% for s in swot %}
<section id="{{ s.id }}"><h3>{{ s.label }}</h3>
<div class="swot">
{% for c in s.cells %}
<div class="swot-{{ c.category }}"><h4>{{ c.label }} ({{ c.total }})</h4>
{% for g in c.groups %}
<h5>{{ g.district }} ({{ g.count }})</h5>
{% if g.shown %}<ol>{% for text in g.shown %}<li>{{ text }}</li>{% endfor %}</ol>{% endif %}
{% if g.folded %}
<details><summary>+{{ g.folded|length }} {{ L.more }}</summary>
<ol start="{{ g.shown|length + 1 }}">{% for text in g.folded %}<li>{{ text }}</li>{% endfor %}</ol>
</details>
{% endif %}
{% else %}<p class="empty">{{ L.none_reported }}</p>
{% endfor %}
</div>
{% endfor %}
</div></section>
{% else %}{{ nothing() }}
{% endfor %}
</section>

<section id="figures"><h2>{{ L.figures }}</h2>
{% if figures %}<div class="figures">
{% for title, href in figures %}
<figure><a href="{{ href }}"><img src="{{ href }}" alt="{{ title }}" loading="lazy"></a>
<figcaption><a href="{{ href }}">{{ title }}</a></figcaption></figure>
{% endfor %}
</div>
{% else %}{{ nothing() }}{% endif %}
</section>

<section id="downloads" class="downloads"><h2>{{ L.downloads }}</h2>
{% if downloads %}<ul>
{% for title, href in downloads %}<li><a href="{{ href }}" download>{{ title }}</a></li>
{% endfor %}</ul>
{% else %}{{ nothing() }}{% endif %}
</section>

<section id="all-villages"><h2>{{ L.all_villages }}</h2>
{% if all_villages %}{{ village_table(all_villages, "all-villages-table", L.all_villages_caption, False) }}
{% else %}{{ nothing() }}{% endif %}
</section>
</main>
<footer><p><small>{{ L.run_id }}: <code>{{ run.run_id }}</code> ·
{{ run.model }} <code>{{ run.model_hash }}</code></small></p>
{% if sources %}<div id="sources" class="sources">
<p><small><strong>{{ L.data_sources }}</strong></small></p><ul>
{% for label, text in sources %}<li><small>{{ label }}: {{ text }}</small></li>
{% endfor %}</ul></div>{% endif %}
</footer>
</body>
</html>
"""

#: (anchor, label key) of the page's sections, in order: the contents list and the tests use them
SECTIONS = (
    ("run", "run"),
    ("changes", "changes"),
    ("maps", "map_pages"),
    ("top-villages", "top_villages"),
    ("top-districts", "top_districts"),
    ("weights", "weights_panel"),
    ("intake", "intake_summary"),
    ("agencies", "agencies"),
    ("swot", "swot_matrix"),
    ("figures", "figures"),
    ("downloads", "downloads"),
    ("all-villages", "all_villages"),
)
_ENV = jinja2.Environment(
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
)
_ENV.globals.update(css=markupsafe.Markup(_CSS), sections=SECTIONS)  # our constant, no worksheet text
_TEMPLATE = _ENV.from_string(_TEMPLATE_TEXT)


# --- downloadable tables --------------------------------------------------------------------------------


def write_tables(
    villages_gdf: gpd.GeoDataFrame, districts_gdf: gpd.GeoDataFrame, folder: Path | str, lang: str = "id"
) -> list[tuple[str, str]]:
    """Write the priority tables as CSV (for spreadsheets) and GeoJSON (for GIS); (title, file name) pairs."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for level, frame, title in (
        ("villages", villages_gdf, t("download_villages", lang)),
        ("districts", districts_gdf, t("download_districts", lang)),
    ):
        csv_name, geojson_name = f"priority_{level}.csv", f"priority_{level}.geojson"
        plain = _plain_columns(pd.DataFrame(frame.drop(columns=frame.geometry.name)))
        neutralise_formulas(plain).to_csv(folder / csv_name, index=False, encoding="utf-8-sig")
        _write_geojson(
            gpd.GeoDataFrame(plain, geometry=frame.geometry.to_numpy(), crs=frame.crs), folder / geojson_name
        )
        written += [(f"{title} (CSV)", csv_name), (f"{title} (GeoJSON)", geojson_name)]
    return written


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def _cell(value: object) -> object:
    """Nested values (dicts, lists, arrays) as JSON text, other objects (UUIDs, ...) as text."""
    if isinstance(value, Mapping | list | tuple | np.ndarray):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if value is None or isinstance(value, str | int | float | bool | np.generic | datetime | pd.Timestamp):
        return value
    return str(value)


def _plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every object column made of scalars a CSV or GeoJSON writer can take."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(_cell).astype(object)
    return out


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell that a spreadsheet would run as a formula prefixed by an apostrophe."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            out[column] = series.map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS) else v
            ).astype(series.dtype if series.dtype != object else object)
    return out


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """GeoJSON in EPSG:4326 (lon, lat), one layer of valid MultiPolygons on a 6-decimal grid, rings wound
    as RFC 7946 asks; replaces an older file. GDAL's RFC7946 option is not used: it cuts areas at the
    antimeridian and writes some dissolved districts back as GeometryCollections."""
    frame = (frame if frame.crs is not None else frame.set_crs(4326)).to_crs(4326)
    frame = frame.set_geometry(publishable_polygons(frame.geometry.to_numpy(), GEOJSON_DECIMALS), crs=4326)
    path.unlink(missing_ok=True)
    frame.to_file(
        path, driver="GeoJSON", engine="pyogrio", geometry_type="MultiPolygon", promote_to_multi=True,
        COORDINATE_PRECISION=GEOJSON_DECIMALS, WRITE_NAME="NO",
    )  # fmt: skip
