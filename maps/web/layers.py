"""Two Leaflet layers Folium lacks, written to keep the priority map small (see maps/web/priority_map.py)."""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd
from folium import plugins
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from maps.common.i18n import t
from maps.common.style import CLASS_COLOURS
from maps.web.folium_safe import text
from smartcity.platform.vocabulary import DIMENSIONS

escape = text  # every string from data, for a page (maps.web.folium_safe: HTML-escaped, braces as references)
_esc = text


class DimensionLayer(Layer):
    """Villages coloured by one dimension's class, drawn from the village layer's own data at load time:
    the six dimension layers add no geometry to the page (they would otherwise repeat it six times)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.source.get_name() }}.toGeoJSON(), {
            style: function (feature) {
                var colours = {{ this.colours|tojson }};
                var number = feature.properties["c_" + {{ this.dimension|tojson }}];
                return {fillColor: colours[number] || "#cccccc", color: "#555555", weight: 0.6,
                        fillOpacity: 0.75};
            },
            onEachFeature: function (feature, layer) {
                // name and score were escaped in Python; Leaflet shows tooltips as HTML
                layer.bindTooltip(feature.properties.name + ": " + {{ this.label|tojson }} + " "
                                  + feature.properties["s_" + {{ this.dimension|tojson }}]);
            }
        });
        {% endmacro %}
        """
    )

    def __init__(self, source: folium.GeoJson, dimension: str, name: str, show: bool = False):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "DimensionLayer"
        self.source = source
        self.dimension = dimension
        self.label = text(name)
        self.colours = {str(k): v for k, v in CLASS_COLOURS.items()}


class IssueLayer(JSCSSMixin, Layer):
    """Issue points in a fast cluster layer, their popups built in the browser from compact rows.

    Each row is [lat, lon, dimension, SWOT, urgency, agency, description, how placed] with small
    numbers for the repeated values (labels and agencies are looked up in tables sent once); every
    text was HTML-escaped in Python and is only ever inserted as that escaped text.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var t = {{ this.tables|tojson }};
            var rows = {{ this.rows|tojson }};
            var cluster = L.markerClusterGroup({chunkedLoading: true});
            var markers = [];
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                var marker = L.marker([r[0], r[1]]);
                marker.bindPopup(function (r) { return function () {
                    return "<b>" + t.dimension[r[2]] + "</b> · " + t.swot[r[3]] + " · " + t.urgency
                        + " " + r[4] + "<br>" + t.agency + ": " + t.agencies[r[5]]
                        + (r[6] ? "<div>" + r[6] + "</div>" : "")
                        + "<div><i>" + t.placed[r[7]] + "</i></div>";
                }; }(r), {maxWidth: 360});
                markers.push(marker);
            }
            cluster.addLayers(markers);
            return cluster;
        })();
        {% endmacro %}
        """
    )
    default_js = plugins.MarkerCluster.default_js
    default_css = plugins.MarkerCluster.default_css

    def __init__(self, issues: pd.DataFrame, lang: str, decimals: int, with_text: bool, name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "IssueLayer"
        dims = list(DIMENSIONS)
        swots = ["strength", "weakness", "opportunity", "threat"]
        methods = ["code", "point", "name", "district"]
        agencies = sorted({str(a) for a in issues["agency"].fillna("")})
        agency_index = {a: i for i, a in enumerate(agencies)}
        self.tables = {
            "dimension": [_esc(t(d, lang)) for d in dims],
            "swot": [_esc(t(s, lang)) for s in swots],
            "urgency": _esc(t("urgency", lang)),
            "agency": _esc(t("agency", lang)),
            "agencies": [_esc(a) for a in agencies],
            "placed": [_esc(t(f"placed_{m}", lang)) for m in methods]
            + [_esc(f"{t(f'placed_{m}', lang)} ({t('shown_at_centre', lang)})") for m in methods],
        }
        lat = issues["lat"].astype(float).round(decimals).tolist()
        lon = issues["lon"].astype(float).round(decimals).tolist()
        dim_i = issues["dimension"].map({d: i for i, d in enumerate(dims)}).fillna(0).astype(int).tolist()
        swot_i = issues["swot"].map({s: i for i, s in enumerate(swots)}).fillna(1).astype(int).tolist()
        method_i = issues["location_method"].map({m: i for i, m in enumerate(methods)}).fillna(3).astype(int)
        method_i = (method_i + np.where(issues["exact"].fillna(False).astype(bool), 0, len(methods))).tolist()
        texts = [_esc(d) for d in issues["description"]] if with_text else [""] * len(issues)
        self.rows = [
            list(r)
            for r in zip(
                lat,
                lon,
                dim_i,
                swot_i,
                issues["severity"].astype(int).tolist(),
                [agency_index[str(a)] for a in issues["agency"].fillna("")],
                texts,
                method_i,
                strict=True,
            )
        ]


class IssueCountLayer(Layer):
    """Issues counted per place instead of one marker each, for very many issues (above
    SMARTCITY_MAP_MARKER_LIMIT): one circle per grid cell of about a kilometre (a village's issues
    placed by code or name share its point, so in practice one per village), sized by its count, with
    the count and mean urgency in its tooltip. Each row is [lat, lon, count, mean urgency]: the page
    grows with the number of places, not of issues."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var rows = {{ this.rows|tojson }};
            var group = L.featureGroup();
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                L.circleMarker([r[0], r[1]], {radius: Math.min(4 + Math.sqrt(r[2]) / 2, 30), weight: 1,
                                              color: "#333333", fillColor: "#e66101", fillOpacity: 0.6})
                    .bindTooltip(r[2] + " " + {{ this.label|tojson }} + " · " + {{ this.urgency|tojson }}
                                 + " " + r[3])
                    .addTo(group);
            }
            return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, counts: pd.DataFrame, lang: str, name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "IssueCountLayer"
        self.label = _esc(t("issue_points", lang))
        self.urgency = _esc(t("urgency", lang))
        self.rows = [
            [float(a), float(b), int(c), round(float(d), 1)]
            for a, b, c, d in zip(
                counts["lat"], counts["lon"], counts["count"], counts["severity"], strict=True
            )
        ]


def issue_counts(issues: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """Issues grouped by their point rounded to ``decimals`` (2: about 1 km): lat, lon (the cell's mean
    position), count and mean severity, one row per cell; vectorised (a million issues in well under
    a second)."""
    lat = issues["lat"].astype(float)
    lon = issues["lon"].astype(float)
    keys = pd.DataFrame({"y": lat.round(decimals), "x": lon.round(decimals)})
    grouped = pd.DataFrame(
        {"lat": lat, "lon": lon, "severity": issues["severity"].astype(float), "y": keys["y"], "x": keys["x"]}
    ).groupby(["y", "x"], sort=True)
    out = grouped.agg(
        lat=("lat", "mean"), lon=("lon", "mean"), count=("lat", "size"), severity=("severity", "mean")
    )
    return out.reset_index(drop=True).round({"lat": 5, "lon": 5})
