"""The priority map: layers, legend, escaped popups, size budgets, and the page in a real browser."""

from __future__ import annotations

import copy
import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from maps.web.priority_map import BudgetError, MapOptions, build_priority_map, check_budget, render, why_table
from smartcity.platform.vocabulary import DIMENSIONS
from smartcity.scoring.results import MapData
from tests.helpers import DATA, as_read

HOSTILE = [
    '<img src=x onerror="window.__xss=1">',
    "</script><script>window.__xss=2</script>",
    "`${window.__xss=3}` \" ' & <b>bold</b> 🏞️",
]


def components(score: float) -> dict:
    return {
        "pressure_living": {"raw": 6.0, "normalised": 1.0, "weight": 0.5, "contribution": score * 0.6},
        "ikn": {"raw": 12.5, "normalised": 0.667, "weight": 0.5, "contribution": score * 0.4},
    }


def map_data(villages: gpd.GeoDataFrame, issues: pd.DataFrame, name: str = "Paser") -> MapData:
    n = len(villages)
    rng = np.random.default_rng(6401)
    scores = np.sort(rng.uniform(0, 100, n))[::-1]
    villages = villages.assign(
        score=scores,
        rank=np.arange(1, n + 1),
        class_no=1 + (np.arange(n) * 5 // n),
        issue_count=rng.integers(0, 9, n),
        problem_count=1,
        asset_count=0,
        severity_sum=3,
        p_top=rng.uniform(0, 1, n),
        rank_p05=1,
        rank_p95=n,
        hotspot=["hot_99"] + ["none"] * (n - 2) + ["cold_95"],
        gi_z=0.0,
        p_fdr=1.0,
        components=[components(s) for s in scores],
    )
    villages["priority_class"] = villages["class_no"].map(
        dict(enumerate(["Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"], start=1))
    )
    for dim in DIMENSIONS:
        villages[f"class_no_{dim}"] = rng.integers(1, 6, n)
        villages[f"score_{dim}"] = rng.uniform(0, 100, n)
    districts = villages.dissolve("district_code", as_index=False)[["district_code", "geometry"]]
    districts = districts.rename(columns={"district_code": "code"}).assign(
        name=lambda f: "Kecamatan " + f["code"],
        score=50.0,
        rank=1,
        class_no=3,
        priority_class="Sedang",
        issue_count=1,
        components=[{}] * len(districts),
    )
    minx, miny, maxx, maxy = villages.total_bounds
    ring = shapely.box(minx - 0.2, miny - 0.2, minx - 0.1, maxy)
    zones = gpd.GeoDataFrame(
        {"name": ["0-25 km"], "min_km": [0.0], "max_km": [25.0]}, geometry=[ring], crs="EPSG:4326"
    )
    boundary = gpd.GeoDataFrame(
        {"name": ["IKN (approx.)"]},
        geometry=[shapely.box(minx - 0.3, miny, minx - 0.2, maxy)],
        crs="EPSG:4326",
    )
    run = {
        "run_id": "3f1c2b8e-0000-4000-8000-000000000001",
        "finished_at": dt.datetime(2026, 11, 28, 9, 0),
        "config_source": "scoring_default.toml",
        "config_hash": "7fc5277a9e208068",
        "submission_ids": [1, 2],
        "issue_count": len(issues),
    }
    return MapData(
        "64.01", name, run, villages, districts, pd.DataFrame(), boundary, zones, issues, [], pd.DataFrame()
    )


def grid_villages(nx: int = 4, ny: int = 3) -> gpd.GeoDataFrame:
    boxes = [
        shapely.box(116 + x * 0.05, -2 + y * 0.05, 116 + (x + 1) * 0.05, -2 + (y + 1) * 0.05)
        for y in range(ny)
        for x in range(nx)
    ]
    codes = [f"64.01.0{1 + i // 6}.20{i:02d}" for i in range(len(boxes))]
    return gpd.GeoDataFrame(
        {
            "code": codes,
            "name": [f"Desa {i}" for i in range(len(boxes))],
            "district_code": [c[:8] for c in codes],
        },
        geometry=boxes,
        crs="EPSG:4326",
    )


def issues_in(villages: gpd.GeoDataFrame, count: int, texts: list[str] | None = None) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    points = villages.geometry.sample_points(size=1, rng=rng).explode(index_parts=False)
    points = points.iloc[rng.integers(0, len(points), count)]
    texts = texts or [f"Jalan desa rusak nomor {i}" for i in range(count)]
    return pd.DataFrame(
        {
            "lon": points.x.to_numpy(),
            "lat": points.y.to_numpy(),
            "agency": [texts[i % len(texts)] for i in range(count)],
            "dimension": "living",
            "swot": "weakness",
            "severity": 1 + np.arange(count) % 5,
            "description": [texts[i % len(texts)] for i in range(count)],
            "location_method": "point",
            "location_score": 1.0,
            "village_code": None,
            "district_code": None,
            "exact": True,
        }
    )


def test_the_map_has_its_layers_legend_and_run_on_the_page():
    villages = grid_villages()
    page = render(build_priority_map(map_data(villages, issues_in(villages, 20)), MapOptions(offline=True)))
    for label in ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"):
        assert label in page
    assert "3f1c2b8e-0000-4000-8000-000000000001" in page and "7fc5277a9e208068" in page
    for call in (
        "L.control.scale(",
        "L.control.fullscreen(",
        "L.Control.Search(",
        "L.markerClusterGroup(",
        "L.heatLayer(",
        "L.control.layers(",
    ):
        assert call in page, call
    assert "tile.openstreetmap" not in page  # offline: no basemap


def test_builders_return_objects_with_every_layer():
    villages = grid_villages()
    fmap = build_priority_map(map_data(villages, issues_in(villages, 20)), MapOptions(lang="en"))
    names = [getattr(c, "layer_name", None) for c in fmap._children.values()]
    assert "Villages by priority" in " ".join(filter(None, names)) or any("ill" in (n or "") for n in names)
    kinds = {type(c).__name__ for c in fmap._children.values()}
    assert {
        "GeoJson",
        "IssueLayer",
        "HeatMap",
        "Search",
        "Fullscreen",
        "LayerControl",
        "FeatureGroup",
    } <= kinds
    assert sum(type(c).__name__ == "DimensionLayer" for c in fmap._children.values()) == len(DIMENSIONS)
    page = render(fmap)
    assert "openstreetmap" in page  # online: an OSM basemap


def test_ikn_is_drawn_in_the_one_colour_style_defines_on_the_map_the_figures_and_in_qgis():
    from maps.common.style import IKN_COLOUR, IKN_FILL_OPACITY, css_rgba
    from maps.figures.priority import priority_figure
    from maps.gis.qgis_style import layer_styles, rgba

    villages = grid_villages()
    data = map_data(villages, issues_in(villages, 5))
    fmap = build_priority_map(data, MapOptions(offline=True))
    ikn_layers = [c for c in fmap._children.values() if "IKN" in str(getattr(c, "layer_name", ""))]
    assert len(ikn_layers) == 2  # the boundary and the distance zones
    for layer in ikn_layers:
        style = layer.style_function({"properties": {}})
        assert style["color"] == IKN_COLOUR and style.get("fillColor", IKN_COLOUR) == IKN_COLOUR
    assert f"background:{css_rgba(IKN_COLOUR, IKN_FILL_OPACITY)};border-color:{IKN_COLOUR}" in render(fmap)
    figure = priority_figure(villages.assign(class_no=1), None, data.ikn_zones, title="x")
    zones = [h for h in figure.legends[0].legend_handles if h.get_label() == "Zona jarak IKN"]
    assert [h.get_color() for h in zones] == [IKN_COLOUR]
    for style in layer_styles("id"):
        if style.table.startswith("ikn"):
            assert f'name="outline_color" value="{rgba(IKN_COLOUR)}"' in style.qml and IKN_COLOUR in style.sld


def test_worksheet_text_is_escaped_everywhere_it_reaches_the_page():
    villages = grid_villages()
    page = render(build_priority_map(map_data(villages, issues_in(villages, 9, HOSTILE)), MapOptions()))
    assert '<img src=x onerror="window.__xss=1">' not in page
    assert "</script><script>window.__xss=2" not in page
    # escaped in Python, then JSON-encoded into the script (where & < > become \u0026 \u003c \u003e)
    assert "\\u0026lt;img src=x onerror=\\u0026quot;window.__xss=1\\u0026quot;\\u0026gt;" in page
    assert "<b>bold</b>" not in page


TEMPLATE_PAYLOADS = [
    "{{ 'zq' ~ 'xw' }}",  # evaluated: zqxw
    "{% if true %}QXIF{% endif %}",  # evaluated: QXIF alone
    "{# c #} Jalan rusak di ruas {# nomor 3",  # unbalanced comment: a syntax error if compiled
    "{{ 7*7 }} {{ {%",
    "${7*7} #{7*7}",
]


def test_template_syntax_in_any_data_string_is_text_on_the_map():
    villages = grid_villages()
    villages.loc[0, "name"] = TEMPLATE_PAYLOADS[0]
    data = map_data(villages, issues_in(villages, 10, TEMPLATE_PAYLOADS), name=TEMPLATE_PAYLOADS[1])
    data.districts.loc[0, "name"] = TEMPLATE_PAYLOADS[2]
    data.ikn_boundary.loc[0, "name"] = TEMPLATE_PAYLOADS[3]
    data.run["config_source"] = TEMPLATE_PAYLOADS[4]
    page = as_read(render(build_priority_map(data, MapOptions(offline=True))))
    for payload in TEMPLATE_PAYLOADS:
        assert payload in page, payload  # shown as written
        page = page.replace(payload, "")
    assert "zqxw" not in page and "QXIF" not in page  # and never evaluated


def test_a_page_rendered_without_the_second_pass_equals_brancas_on_clean_data():
    from maps.web.folium_safe import render_page

    villages = grid_villages()
    fmap = build_priority_map(map_data(villages, issues_in(villages, 12)), MapOptions(offline=True))
    twin = copy.deepcopy(fmap)  # the same elements and ids: rendering has side effects, so render each once
    assert render_page(fmap) == twin.get_root().render()


def test_the_second_pass_evaluates_nothing_even_for_data_no_builder_escaped():
    import folium

    from maps.web.folium_safe import render_page

    fmap = folium.Map(tiles=None)
    folium.Marker([0, 0], tooltip="{{ 'zq' ~ 'xw' }} {% if true %}QXIF{% endif %}").add_to(fmap)
    page = render_page(fmap)
    assert "zqxw" not in page and "{{ 'zq' ~ 'xw' }}" in page


def test_the_breakdown_table_lists_each_criterion_and_its_points():
    table = why_table(components(80.0), "en")
    assert table.count("<tr>") == 3 and "48.0" in table and "32.0" in table


def test_size_budgets_fail_loudly():
    with pytest.raises(BudgetError, match=r"over its 5 MB budget for 10 issues"):
        check_budget("x" * 5_000_001, 10)
    assert check_budget("x" * 5_000_001, 10_001) == 5_000_001


@pytest.fixture(scope="module")
def paser_villages() -> gpd.GeoDataFrame:
    frame = gpd.read_file(DATA / "boundaries" / "paser_desa_kelurahan.geojson")
    code = next(c for c in frame.columns if c.lower() in ("kode", "code", "kode_desa", "kd_desa"))
    frame = frame.rename(columns={code: "code"})
    frame["code"] = frame["code"].astype(str)
    frame["name"] = frame["code"]
    frame["district_code"] = frame["code"].str[:8]
    return frame[["code", "name", "district_code", "geometry"]].to_crs("EPSG:4326")


@pytest.mark.parametrize(("issues", "budget_mb", "fast"), [(10_000, 5, True), (100_000, 25, True)])
def test_the_paser_page_stays_within_its_budget(paser_villages, issues, budget_mb, fast):
    data = map_data(paser_villages, issues_in(paser_villages, issues))
    fmap = build_priority_map(data, MapOptions(offline=True))
    assert any(type(c).__name__ == "IssueLayer" for c in fmap._children.values()) == fast
    page = render(fmap)
    assert check_budget(page, issues) < budget_mb * 1_000_000
