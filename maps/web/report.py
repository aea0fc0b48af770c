"""The run's index page (one self-contained HTML file) and its downloadable tables (CSV, GeoJSON).

Decisions:

* The page is rendered by Jinja2 with ``autoescape=True`` and StrictUndefined: every value, worksheet
  text above all (descriptions, agencies, file names), is HTML-escaped where it is written; nothing from
  a worksheet is ever marked safe. Attributes are always double-quoted, so a quote or backtick in a
  value cannot leave its attribute. The template and its CSS are files of this package
  (``maps/web/templates/report.html.j2`` and ``report.css``, read with importlib.resources, so the wheel
  carries them); the environment's loader reads those two names and nothing else, so no data is ever
  template source. The only text marked safe is the page's own CSS. A Content-Security-Policy meta tag
  allows only the page's own script file (or none), and forbids plugins, forms and ``<base>``: a second
  line of defence.
* Self-contained and offline: CSS in a ``<style>`` element, system fonts, no inline script, no remote URL.
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
from datetime import datetime
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

import geopandas as gpd
import jinja2
import markupsafe
import numpy as np
import pandas as pd

from maps.common.i18n import LABELS, check_lang, class_label, hotspot_label, local_time, number, percent, t
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
    timezone: str = "Asia/Makassar",
) -> str:
    """The run's index page (see the module docstring): one HTML string, nothing written. With ``script``
    (the relative link of ``report_weights.js``) the page gets the weights panel; ``agencies`` (see
    :func:`maps.common.views.agency_rows`) and ``changes`` (:func:`maps.common.views.run_changes`) add
    their sections. Times are the region's (``timezone``, an IANA name: Asia/Makassar is WITA)."""
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
        "run": _run_info(run, intake, lang, timezone),
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


def _when(value: object, timezone: str, lang: str) -> str:
    """A moment in the region's time zone, in words ("8 Desember 2026 pukul 12.47 WITA"); a moment without
    a zone is taken as UTC; other values as text."""
    if isinstance(value, datetime):
        return local_time(value, timezone, lang)
    return _text(value)


def _relative_href(href: str) -> str:
    """``href`` percent-encoded, refused unless it is a relative link (no scheme, host or leading slash)."""
    parts = urlsplit(str(href))
    if parts.scheme or parts.netloc or str(href).startswith(("/", "\\")):
        raise InputError(f"report links must be relative paths, got {str(href)[:80]!r}")
    return quote(str(href), safe="/#?&=%")


def _run_info(run: Mapping, intake: list[dict], lang: str, timezone: str) -> dict[str, str]:
    """Run id, date, model, inputs: the lines that make the page traceable."""
    submissions = run.get("submission_ids")
    worksheets = run.get("worksheet_count", len(submissions) if submissions is not None else len(intake))
    return {
        "run_id": _text(run.get("run_id")),
        "date": _when(run.get("finished_at") or run.get("started_at"), timezone, lang),
        "generated": _when(run["generated_at"], timezone, lang) if run.get("generated_at") else "",
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
TEMPLATES = ("report.html.j2", "report.css")  # maps/web/templates/: the only template source there is


def _our_file(name: str) -> str:
    """A file of ``maps/web/templates/`` as shipped in the package; any other name is refused."""
    if name not in TEMPLATES:
        raise jinja2.TemplateNotFound(name)
    return resources.files("maps.web").joinpath("templates", name).read_text(encoding="utf-8")


_ENV = jinja2.Environment(
    loader=jinja2.FunctionLoader(_our_file),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals.update(css=markupsafe.Markup(_our_file("report.css")), sections=SECTIONS)  # our file, no data
_TEMPLATE = _ENV.get_template("report.html.j2")


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
