"""The report's weights panel in headless Chromium, on the demo: sliders re-rank the table and recolour the
small map, reset restores the run, and the copied model file makes `smartcity score --config` rank the
villages exactly as the page did."""

from __future__ import annotations

import time
import tomllib

import pandas as pd
import pytest
from selenium.webdriver.common.by import By

from maps.site import write_site
from maps.web.priority_map import MapOptions
from maps.web.weights import panel_model, svg_paths, toml_value
from smartcity.scoring.model import load_config
from smartcity.scoring.results import read_map_data
from smartcity.scoring.runs import score_region
from tests.browser import js_errors, open_page, requested_urls

SET = """
var values = arguments[0];
Object.keys(values).forEach(function (id) {
  var s = document.getElementById(id); s.value = values[id]; s.dispatchEvent(new Event('input'));
});
"""
TOP = """return Array.prototype.slice
  .call(document.querySelectorAll('#sc-weights-table tbody tr'), 0, arguments[0])
  .map(function (r) { return r.getAttribute('data-code'); });"""
FILLS = """return Array.prototype.map.call(document.querySelectorAll('#sc-weights-map path'),
  function (p) { return p.getAttribute('fill'); });"""

#: three weight settings (slider id -> value): IKN only (many ties), two dimensions, a mix
SETTINGS = [
    {"sc-w-c-pressure": 0, "sc-w-c-ikn": 100, "sc-w-c-idm": 0},
    {"sc-w-c-pressure": 100, "sc-w-c-ikn": 0, "sc-w-c-idm": 0, "sc-w-d-living": 80, "sc-w-d-economy": 20,
     "sc-w-d-governance": 0, "sc-w-d-branding": 0, "sc-w-d-society": 0, "sc-w-d-environment": 0},
    {"sc-w-c-pressure": 40, "sc-w-c-ikn": 10.5, "sc-w-c-idm": 50, "sc-w-d-governance": 5,
     "sc-w-d-branding": 30, "sc-w-d-environment": 65.25},
]  # fmt: skip


@pytest.fixture
def report(demo, tmp_path):
    """The demo scored with the default model and published offline: (engine, site)."""
    score_region(demo, "64.01", load_config())
    return demo, write_site(read_map_data(demo, "64.01"), tmp_path / "site", MapOptions(offline=True))


def top_codes(engine, n: int = 10) -> list[str]:
    """The latest run's top ``n`` villages by rank, then code (the order the report's tables use)."""
    from tests.helpers import scalar

    codes = scalar(
        engine,
        "SELECT array_agg(code ORDER BY rank, code) FROM (SELECT code, rank FROM mart.village_priority "
        "ORDER BY rank, code LIMIT :n) t",
        n=n,
    )
    return list(codes)


@pytest.mark.db
@pytest.mark.e2e
def test_sliders_rerank_the_table_recolour_the_map_and_reset_restores_the_run(report):
    """Then the same page on a phone and a laptop, and a thumb moved by hand (see the check below)."""
    engine, site = report
    with open_page(site.index) as driver:
        time.sleep(0.5)
        assert driver.find_element(By.ID, "sc-weights").is_displayed()
        assert not driver.find_element(By.ID, "sc-weights-noscript").is_displayed()
        before, fills = driver.execute_script(TOP, 144), driver.execute_script(FILLS)
        assert before[:10] == top_codes(engine)  # the page starts at the run's ranking
        assert len(fills) == 144
        driver.execute_script(SET, {"sc-w-c-pressure": 0, "sc-w-c-ikn": 100, "sc-w-c-idm": 0})
        after = driver.execute_script(TOP, 144)
        assert after != before and sorted(after) == sorted(before)
        assert driver.execute_script(FILLS) != fills
        driver.find_element(By.ID, "sc-weights-reset").click()
        assert driver.execute_script(TOP, 144) == before
        assert driver.execute_script(FILLS) == fills
        assert js_errors(driver) == []
        assert [u for u in requested_urls(driver) if not u.startswith("file://")] == []
    check_the_page_on_a_phone_and_a_laptop_and_a_thumb_moved_by_hand(site)


BADGES = """var out = {};
document.querySelectorAll('#sc-weights-table tbody tr').forEach(function (r) {
  out[r.getAttribute('data-code')] = r.querySelector('.badge').textContent; });
return out;"""
STARTS = """var out = {};
document.querySelectorAll('[data-start]').forEach(function (s) { out[s.id] = s.getAttribute('data-start'); });
return out;"""


@pytest.mark.db
@pytest.mark.e2e
def test_the_page_scores_and_classifies_the_run_weights_as_the_run_did(report):
    """The sliders set to the run's own weights, through the page's scoring and classification in the
    browser: every village keeps the class (label and colour) and the order the run gave it in Python."""
    engine, site = report
    with open_page(site.index) as driver:
        time.sleep(0.5)
        served, fills, order = (
            driver.execute_script(BADGES),
            driver.execute_script(FILLS),
            top_codes(engine, 144),
        )
        assert len(served) == 144 and len(set(served.values())) > 1
        driver.execute_script(SET, driver.execute_script(STARTS))  # fires 'input': the page re-scores
        assert driver.execute_script(BADGES) == served
        assert driver.execute_script(FILLS) == fills
        assert driver.execute_script(TOP, 144) == order
        assert js_errors(driver) == []


@pytest.mark.db
@pytest.mark.e2e
def test_the_copied_model_file_ranks_like_the_page(report, cli, tmp_path):
    engine, site = report
    for number, setting in enumerate(SETTINGS):
        with open_page(site.index) as driver:
            time.sleep(0.3)
            driver.execute_script(SET, setting)
            page_top = driver.execute_script(TOP, 10)
            driver.find_element(By.ID, "sc-weights-copy").click()
            text = driver.find_element(By.ID, "sc-model-toml").get_attribute("value")
            assert js_errors(driver) == []
        model = tomllib.loads(text)
        assert model["dimensions"]["method"] == "direct"
        numbers = [*model["criteria"].values(), *model["dimensions"]["weights"].values()]
        assert all(round(float(x), 2) == float(x) for x in numbers), text  # two decimals at most
        path = tmp_path / f"weights_{number}.toml"
        path.write_text(text, encoding="utf-8")
        result = cli("score", "--config", str(path))
        assert result.exit_code == 0, result.output
        assert page_top == top_codes(engine), (setting, text)


def test_the_panel_data_holds_numbers_and_codes_only():
    import geopandas as gpd
    import shapely

    villages = gpd.GeoDataFrame(
        {
            "code": ["64.01.01.2001", "64.01.01.2002"],
            "name": ['<img src=x onerror="alert(1)">', "B"],
            "components": [
                {"ikn": {"raw": 1.0, "normalised": 1.0, "weight": 1.0, "contribution": 100.0}},
                {
                    "ikn": {
                        "raw": None,
                        "normalised": 0.0,
                        "weight": 1.0,
                        "contribution": 0.0,
                        "missing": True,
                    }
                },
            ],
        },
        geometry=[shapely.box(116, -2, 116.1, -1.9), shapely.box(116.1, -2, 116.2, -1.9)],
        crs=4326,
    )
    payload = panel_model({"run_id": "r1"}, villages)
    assert payload["criteria"] == ["ikn"] and payload["villages"] == [
        ["64.01.01.2001", [1.0]],
        ["64.01.01.2002", [0.0]],
    ]
    assert "img" not in str(payload)
    assert abs(sum(payload["start"]["criteria"].values()) - 100) < 1e-9
    rest = tomllib.loads(payload["tomlRest"])  # the run's model beside the page's weights
    assert "criteria" not in rest and "dimensions" not in rest and rest["classes"]["method"] == "jenks"
    paths, height = svg_paths(villages.geometry.to_numpy())
    assert len(paths) == 2 and all(p.startswith("M") and p.endswith("Z") for p in paths) and height > 0
    assert toml_value({"a": [1, 2.5, 'x"y'], "b": True}) == '{ a = [1, 2.5, "x\\"y"], b = true }'


def test_the_panel_page_allows_only_its_own_local_script_and_escapes_names():
    from html.parser import HTMLParser

    import geopandas as gpd
    import shapely

    from maps.web.report import build_index

    hostile = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>'
    villages = gpd.GeoDataFrame(
        {"code": ["64.01.01.2001", "64.01.01.2002"], "name": [hostile, "B"],
         "district_code": ["64.01.01"] * 2, "score": [80.0, 20.0], "rank": [1, 2], "class_no": [1, 5],
         "components": [{"ikn": {"raw": 1.0, "normalised": 1.0, "weight": 1.0, "contribution": 80.0}}] * 2},
        geometry=[shapely.box(116, -2, 116.1, -1.9), shapely.box(116.1, -2, 116.2, -1.9)], crs=4326,
    )  # fmt: skip
    districts = gpd.GeoDataFrame(
        {"code": ["64.01.01"], "name": ["X"]}, geometry=[shapely.box(116, -2, 116.2, -1.9)]
    )
    page = build_index({"run_id": "r"}, villages, districts, [], pd.DataFrame(), pages=[], downloads=[],
                       figures=[], script="assets/report_weights.js")  # fmt: skip

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.script_text = [], ""
            self._in_script = False

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))
            self._in_script = tag == "script"

        def handle_data(self, data):
            if self._in_script:
                self.script_text += data

        def handle_endtag(self, tag):
            self._in_script = False

    parser = Tags()
    parser.feed(page)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"src": "assets/report_weights.js"}] and parser.script_text.strip() == ""
    assert not [a for _, attrs in parser.tags for a in attrs if a.startswith("on")]
    assert "script-src 'self'; object-src 'none'" in page
    assert "<img src=x" not in page and "&lt;img src=x" in page


LAYOUT_PROBE = """
const inner = window.innerWidth;
const outside = [...document.querySelectorAll('body *')].filter(e => {
  const box = e.getBoundingClientRect();
  return box.width > 0 && box.right > inner + 1 && !e.closest('.scroll, .sc-table');
}).slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + ' '
  + Math.round(e.getBoundingClientRect().right));
const sliders = [...document.querySelectorAll('#sc-weights input[type=range]')]
  .map(e => Math.round(e.getBoundingClientRect().height));
return {inner, scroll: document.documentElement.scrollWidth, outside, sliders};
"""


SHARES = """
const out = {};
for (const s of document.querySelectorAll('#sc-weights input[type=range]:not([disabled])')) {
  const kind = s.dataset.kind;
  (out[kind] = out[kind] || []).push([s.valueAsNumber, document.getElementById(s.id + '-share').textContent]);
}
return out;
"""


def check_the_page_on_a_phone_and_a_laptop_and_a_thumb_moved_by_hand(site) -> None:
    """The published page as its readers see it (called by the sliders test: one published run for both):
    - at 390 x 844 and 1366 x 768 it never scrolls sideways: wide tables scroll inside their own box
      (their first column stays), the weights panel folds its sliders under their labels on a phone,
      where they are at least 40 px tall to touch;
    - no empty model box before a copy;
    - a thumb moved by hand moves its group, so each group adds up to 100 and every thumb stands at its
      share."""
    from selenium.webdriver.common.keys import Keys

    with open_page(site.index) as driver:
        for width, height in ((390, 844), (1366, 768)):
            driver.set_window_size(width, height)
            driver.get(site.index.resolve().as_uri())
            time.sleep(0.5)
            found = driver.execute_script(LAYOUT_PROBE)
            assert found["scroll"] <= found["inner"], (width, found)
            assert not found["outside"], (width, found)
            assert found["sliders"] and (width > 700 or min(found["sliders"]) >= 40), found
        assert not driver.find_element(By.ID, "sc-model-toml").is_displayed()  # no empty box before a copy
        for slider, presses in (("sc-w-c-pressure", 5), ("sc-w-c-ikn", 12)):
            element = driver.find_element(By.ID, slider)
            element.click()
            element.send_keys(*([Keys.ARROW_LEFT] * presses))  # a person's key presses: trusted events
        groups = driver.execute_script(SHARES)
        assert js_errors(driver) == []
    for kind, sliders in groups.items():
        assert abs(sum(value for value, _ in sliders) - 100) < 0.1, (kind, sliders)
        for value, shown in sliders:  # the thumb stands where its share says
            assert shown == f"{round(value)}%", (kind, sliders)
