"""The priority map planners open: a Folium map built from :class:`smartcity.scoring.results.MapData`.

Layers: villages coloured by priority class (tooltip: name, class, score; popup: the score breakdown,
"why this village"), one layer per dimension, hot spots, district outlines with labels, the IKN
boundary and its buffer rings, the issues as clustered points (popup: agency, dimension, SWOT,
urgency, description, how it was placed) and as a heat map. A categorical legend drawn by hand
(``folium.Choropleth`` needs d3 from a CDN), a search box for villages and districts, fullscreen, a
scale bar, the title and the run on the page. Labels in Bahasa Indonesia, or English.

Every string reaches the page HTML-escaped: worksheet text (descriptions, agencies) is hostile, and
Leaflet puts popup and tooltip content in as HTML. Escaping also turns ``</script>`` into
``&lt;/script&gt;``, so nothing can close the script the data sits in.

Size: village shapes are simplified as a coverage (shared edges stay shared: no slivers between
neighbours) and coordinates are rounded; the six dimension layers reuse the village layer's data in
the browser instead of repeating it; issues travel as compact rows (labels and agencies sent once)
and become clustered markers in the browser; above ``popup_limit`` issues the popups leave the
description out (the heat map and the counts still show every issue); above ``marker_limit`` issues are
counted per place (one circle each, :class:`maps.web.layers.IssueCountLayer`). :func:`check_budget` makes
the build fail loudly past the budget.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
import shapely
from folium import plugins

from maps.common.i18n import t
from maps.common.provenance import source_line
from maps.common.style import CLASS_COLOURS, IKN_COLOUR, IKN_FILL_OPACITY, css_rgba
from maps.common.views import why_rows
from maps.web.folium_safe import Html, render_page
from maps.web.layers import DimensionLayer, IssueCountLayer, IssueLayer, issue_counts
from maps.web.layers import escape as _esc
from smartcity.platform.errors import PublishError
from smartcity.platform.vocabulary import DIMENSIONS
from smartcity.scoring.results import MapData

METRES_PER_DEGREE = 111_320.0
HOTSPOT_COLOURS = {"hot": "#67001f", "cold": "#053061"}


class BudgetError(PublishError):
    """The page is larger than its size budget (one line naming the settings that shrink it)."""


@dataclass(frozen=True)
class MapOptions:
    """How the page is built (see the module docstring for the size rules)."""

    lang: str = "id"
    offline: bool = False
    simplify_m: float = 25.0  # coverage simplification tolerance, metres (0: none)
    decimals: int = 5  # coordinate decimals (5: about 1 m)
    popup_limit: int = 20_000  # above this many issues, popups leave the description out
    marker_limit: int = 100_000  # above this many issues, one marker per place with its count


def budget_bytes(issue_count: int) -> int:
    """The size budget of a page: 5 MB up to 10,000 issues, 25 MB beyond."""
    return (5 if issue_count <= 10_000 else 25) * 1_000_000


def check_budget(page: str, issue_count: int, name: str = "priority map") -> int:
    """The page's size in bytes; raises BudgetError when it is over its budget."""
    size = len(page.encode("utf-8"))
    budget = budget_bytes(issue_count)
    if size > budget:
        raise BudgetError(
            f"{name} is {size / 1e6:.1f} MB, over its {budget / 1e6:.0f} MB budget for {issue_count:,} "
            "issues: raise SMARTCITY_MAP_SIMPLIFY_M, or lower SMARTCITY_MAP_MARKER_LIMIT (issues counted per "
            "place above it) or SMARTCITY_MAP_POPUP_TEXT_LIMIT"
        )
    return size


def display_geometries(geoms: gpd.GeoSeries, options: MapOptions) -> gpd.GeoSeries:
    """Shapes for display: simplified as a coverage (neighbours stay glued), coordinates rounded."""
    values = geoms.to_numpy()
    if options.simplify_m > 0 and len(values):
        values = shapely.coverage_simplify(values, options.simplify_m / METRES_PER_DEGREE)
    values = shapely.set_precision(values, 10.0**-options.decimals)
    return gpd.GeoSeries(values, index=geoms.index, crs=geoms.crs)


def _feature_collection(frame: gpd.GeoDataFrame, properties: dict[str, list]) -> dict:
    """A GeoJSON FeatureCollection with only these (already escaped) properties."""
    features = []
    for i, geom in enumerate(frame.geometry):
        if geom is None or geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(geom),
                "properties": {k: v[i] for k, v in properties.items()},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def why_table(components: dict, lang: str) -> str:
    """The score breakdown of one area as an HTML table (the rows the report shows: ``why_rows``)."""
    rows = why_rows(components, lang)
    if not rows:
        return ""
    columns = ("criterion", "raw", "weight", "points")
    head = "".join(f"<th>{_esc(t(c if c != 'raw' else 'value', lang))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_esc(row[c])}</td>" for c in columns) + "</tr>" for row in rows)
    return f"<table class='why'><caption>{_esc(t('why', lang))}</caption><tr>{head}</tr>{body}</table>"


def _village_properties(villages: gpd.GeoDataFrame, lang: str) -> dict[str, list]:
    return {
        "name": [_esc(n) for n in villages["name"]],
        "code": [_esc(c) for c in villages["code"]],
        "label": [_esc(c) for c in villages["priority_class"].map(lambda c: t(c, lang) if c else "")],
        "score": [f"{s:.1f}" for s in villages["score"].astype(float)],
        "rank": [int(r) for r in villages["rank"]],
        "class_no": [int(c) for c in villages["class_no"]],
        "issues": [int(n) for n in villages["issue_count"]],
        "p_top": ["" if pd.isna(p) else f"{p * 100:.0f}%" for p in villages["p_top"]],
        "hotspot": [
            _esc(t(h, lang)) if isinstance(h, str) else ""
            for h in villages.get("hotspot", [None] * len(villages))
        ],
        "why": [why_table(c, lang) for c in villages["components"]],
        **{
            f"c_{dim}": [int(c) if pd.notna(c) else 0 for c in villages[f"class_no_{dim}"]]
            for dim in DIMENSIONS
            if f"class_no_{dim}" in villages
        },
        **{
            f"s_{dim}": [f"{v:.1f}" if pd.notna(v) else "" for v in villages[f"score_{dim}"]]
            for dim in DIMENSIONS
            if f"score_{dim}" in villages
        },
    }


def _class_style(column: str):
    def style(feature):
        number = feature["properties"].get(column)
        return {
            "fillColor": CLASS_COLOURS.get(number, "#cccccc"),
            "color": "#555555",
            "weight": 0.6,
            "fillOpacity": 0.75,
        }

    return style


def ikn_label(data: MapData, lang: str) -> str:
    """The IKN layer's name: *batas perkiraan* / approximate boundary when the run used the approximation."""
    ikn = (data.run.get("provenance") or {}).get("ikn") or {}
    return t("ikn_boundary_approx" if ikn.get("approximate") else "ikn_boundary", lang)


def _legend(data: MapData, lang: str) -> Html:
    items = "".join(
        f"<div><span style='background:{CLASS_COLOURS[n]}'></span>{_esc(t(label, lang))}</div>"
        for n, label in enumerate(("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"), start=1)
    )
    swatch = f"background:{css_rgba(IKN_COLOUR, IKN_FILL_OPACITY)};border-color:{IKN_COLOUR}"
    ikn = (
        f"<div><span style='{swatch}'></span>{_esc(ikn_label(data, lang))}</div>"
        if len(data.ikn_boundary)
        else ""
    )
    sources = source_line(data.run, lang)
    line = f"<div class='sc-sources'>{_esc(t('source', lang))}: {_esc(sources)}</div>" if sources else ""
    return Html(
        "<details class='sc-legend' open><summary>"
        f"{_esc(t('legend', lang))}</summary><div role='img' aria-label='legend'>"
        f"<strong>{_esc(t('priority_class', lang))}</strong>{items}{ikn}{line}</div></details>"
        # a phone opens the map with the legend closed: it would cover a third of the map
        "<script>if (window.innerWidth <= 700) { document.querySelector('.sc-legend').open = false; }"
        "</script>"
    )


STYLE = """<style>
.sc-legend{position:fixed;bottom:28px;right:12px;z-index:1000;background:#fff;padding:8px 10px;
  font:12px/1.5 sans-serif;border:1px solid #999;border-radius:4px}
.sc-legend span{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle;
  border:1px solid #777}
.sc-sources{max-width:260px;margin-top:4px;font-size:10px;color:#444}
.sc-title{position:fixed;top:10px;left:54px;z-index:1000;background:rgba(255,255,255,.92);padding:6px 10px;
  font:13px/1.4 sans-serif;border:1px solid #999;border-radius:4px;max-width:46%}
.sc-title h1{font-size:16px;margin:0 0 2px}
.sc-legend summary{cursor:pointer;font-weight:600;min-height:24px}
.leaflet-popup-content{max-width:calc(100vw - 150px);max-height:calc(100vh - 290px);overflow:auto}
@media (max-width:700px){
  .sc-title{top:auto;bottom:62px;left:8px;max-width:calc(100vw - 150px);padding:4px 8px}
  .sc-title h1{font-size:13px;margin:0}.sc-title div{display:none}
  .sc-legend{bottom:62px;right:8px;max-width:calc(100vw - 24px);max-height:60vh;overflow:auto}
  .leaflet-control-search.search-exp{max-width:calc(100vw - 120px)}
  .leaflet-control-search .search-input{max-width:calc(100vw - 170px)}
  .leaflet-bar a,.leaflet-control-layers-toggle{min-width:40px;min-height:40px}
  .leaflet-control-attribution{max-width:calc(100vw - 120px);font-size:10px}
}
table.why{border-collapse:collapse;font-size:12px}
table.why td,table.why th{border:1px solid #ccc;padding:2px 4px}
.sc-district-label{font:bold 11px sans-serif;color:#222;text-shadow:0 0 3px #fff;white-space:nowrap}
</style>"""


def _title(data: MapData, lang: str) -> Html:
    run = data.run
    finished = run.get("finished_at")
    when = finished.strftime("%Y-%m-%d %H:%M UTC") if hasattr(finished, "strftime") else _esc(finished)
    files = len(run.get("submission_ids") or [])
    inputs = f"{files} {t('worksheets', lang)}, {run.get('issue_count', 0)} {t('issues', lang)}"
    return Html(
        "<div class='sc-title'>"
        f"<h1>{_esc(t('title', lang))}: {_esc(data.region_name)}</h1>"
        f"<div>{_esc(t('run', lang))} <code>{_esc(run.get('run_id'))}</code> · {_esc(when)}</div>"
        f"<div>{_esc(t('model', lang))}: {_esc(run.get('config_source'))} "
        f"<code>{_esc(run.get('config_hash'))}</code> · {_esc(t('inputs', lang))}: {_esc(inputs)}</div></div>"
    )


def build_priority_map(data: MapData, options: MapOptions | None = None) -> folium.Map:
    """The priority map of a run (see the module docstring); returns the map, writes nothing."""
    options = options or MapOptions()
    lang = options.lang
    villages = data.villages.copy()
    villages["geometry"] = display_geometries(villages.geometry, options)
    districts = data.districts.copy()
    districts["geometry"] = display_geometries(districts.geometry, options)
    minx, miny, maxx, maxy = data.villages.total_bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=9,
        control_scale=True,
        tiles=None if options.offline else "OpenStreetMap",
        prefer_canvas=False,
        # without a tile layer Leaflet knows no maximum zoom, and MarkerCluster then throws ("Map has no
        # maxZoom specified"), stopping every script after it: give the map its own
        maxZoom=18,
    )
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    root = fmap.get_root()
    root.header.add_child(Html(STYLE))
    if options.offline:
        root.header.add_child(Html("<style>.leaflet-container{background:#e8eef1}</style>"))
    root.html.add_child(_title(data, lang))
    root.html.add_child(_legend(data, lang))

    props = _village_properties(villages, lang)
    tooltip = folium.GeoJsonTooltip(
        fields=["name", "label", "score"],
        aliases=[t("village", lang), t("priority_class", lang), t("score", lang)],
    )
    popup = folium.GeoJsonPopup(
        fields=["name", "label", "score", "rank", "issues", "p_top", "hotspot", "why"],
        aliases=[
            t("village", lang),
            t("priority_class", lang),
            t("score", lang),
            t("rank", lang),
            t("issues", lang),
            t("robustness", lang),
            t("hotspot", lang),
            "",
        ],
        max_width=420,
        # the map pans an opened popup clear of the controls: zoom and search above, title and legend below
        autoPanPaddingTopLeft=[64, 110],
        autoPanPaddingBottomRight=[64, 120],
    )
    village_layer = folium.GeoJson(
        _feature_collection(villages, props),
        name=t("villages_layer", lang),
        style_function=_class_style("class_no"),
        highlight_function=lambda f: {"weight": 2.5, "color": "#000"},
        tooltip=tooltip,
        popup=popup,
        zoom_on_click=False,
    )
    village_layer.add_to(fmap)

    for dim in DIMENSIONS:
        if f"class_no_{dim}" in villages:
            DimensionLayer(village_layer, dim, f"{t('dimension', lang)}: {t(dim, lang)}", show=False).add_to(
                fmap
            )

    if "hotspot" in villages:
        spots = villages[villages["hotspot"].fillna("none") != "none"]
        if len(spots):
            kinds = [h.split("_")[0] for h in spots["hotspot"]]
            folium.GeoJson(
                _feature_collection(
                    spots.reset_index(drop=True),
                    {
                        "name": [_esc(n) for n in spots["name"]],
                        "kind": kinds,
                        "label": [_esc(t(h, lang)) for h in spots["hotspot"]],
                    },
                ),
                name=t("hotspots_layer", lang),
                style_function=lambda f: {
                    "fill": False,
                    "color": HOTSPOT_COLOURS[f["properties"]["kind"]],
                    "weight": 3,
                },
                tooltip=folium.GeoJsonTooltip(
                    fields=["name", "label"], aliases=[t("village", lang), t("hotspot", lang)]
                ),
            ).add_to(fmap)

    folium.GeoJson(
        _feature_collection(
            districts,
            {"name": [_esc(n) for n in districts["name"]], "code": [_esc(c) for c in districts["code"]]},
        ),
        name=t("districts_layer", lang),
        style_function=lambda f: {"fill": False, "color": "#222", "weight": 1.8},
    ).add_to(fmap)
    labels = folium.FeatureGroup(name=t("district_labels", lang))
    for name, point in zip(districts["name"], districts.geometry.representative_point(), strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(html=f"<div class='sc-district-label'>{_esc(name)}</div>", icon_size=(0, 0)),
        ).add_to(labels)
    labels.add_to(fmap)

    if len(data.ikn_zones):
        zones = data.ikn_zones.copy()
        zones["geometry"] = display_geometries(
            zones.geometry, MapOptions(simplify_m=0, decimals=options.decimals)
        )
        folium.GeoJson(
            _feature_collection(zones, {"name": [_esc(n) for n in zones["name"]]}),
            name=t("ikn_zones", lang),
            style_function=lambda f: {"fill": False, "color": IKN_COLOUR, "weight": 1.2, "dashArray": "6 4"},
            tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[t("ikn_zones", lang)]),
        ).add_to(fmap)
    if len(data.ikn_boundary):
        folium.GeoJson(
            _feature_collection(data.ikn_boundary, {"name": [_esc(n) for n in data.ikn_boundary["name"]]}),
            name=ikn_label(data, lang),
            style_function=lambda f: {
                "fillColor": IKN_COLOUR,
                "fillOpacity": IKN_FILL_OPACITY,
                "color": IKN_COLOUR,
                "weight": 2,
            },
            tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[ikn_label(data, lang)]),
        ).add_to(fmap)

    _add_issues(fmap, data.issues, options)

    # one search box, for villages (district names are written on the map): two would overlap on a phone
    plugins.Search(
        layer=village_layer,
        search_label="name",
        geom_type="Polygon",
        placeholder=t("search_village", lang),
        collapsed=False,
        position="topright",
    ).add_to(fmap)
    plugins.Fullscreen(position="topleft").add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def _add_issues(fmap: folium.Map, issues: pd.DataFrame, options: MapOptions) -> None:
    lang = options.lang
    if issues.empty:
        return
    issues = issues.dropna(subset=["lon", "lat"]).reset_index(drop=True)
    name = f"{t('issue_points', lang)} ({len(issues):,})"
    if len(issues) > options.marker_limit:  # too many for a marker each: counted per place, heat map too
        counts = issue_counts(issues)
        IssueCountLayer(counts, lang, name).add_to(fmap)
        weights = (counts["count"] / counts["count"].max()).round(3).tolist()
        rows = [list(r) for r in zip(counts["lat"].tolist(), counts["lon"].tolist(), weights, strict=True)]
        plugins.HeatMap(rows, name=t("heat_map", lang), show=False, radius=14).add_to(fmap)
        return
    IssueLayer(issues, lang, options.decimals, len(issues) <= options.popup_limit, name).add_to(fmap)
    lat = issues["lat"].astype(float).round(options.decimals).tolist()
    lon = issues["lon"].astype(float).round(options.decimals).tolist()
    weights = (issues["severity"].astype(float) / 5.0).round(2).tolist()
    plugins.HeatMap(
        [list(r) for r in zip(lat, lon, weights, strict=True)],
        name=t("heat_map", lang),
        show=False,
        radius=14,
    ).add_to(fmap)


def render(fmap: folium.Map) -> str:
    """The page's HTML, rendered without a second template pass (maps.web.folium_safe.render_page)."""
    return render_page(fmap)
