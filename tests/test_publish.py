"""Published pages on the demo data, in a real browser: offline, complete, safe against hostile text."""

from __future__ import annotations

import csv
import time

import pytest
from selenium.webdriver.common.by import By

from maps.site import write_site
from maps.web.priority_map import MapOptions
from smartcity.intake.load import ingest_file, load_gazetteer
from smartcity.scoring.model import load_config
from smartcity.scoring.results import read_map_data
from smartcity.scoring.runs import score_region
from tests.browser import js_errors, open_page, requested_urls, screenshot

pytestmark = [pytest.mark.db, pytest.mark.e2e]

HOSTILE = [
    '<img src=x onerror="window.__xss=1">',
    "</script><script>window.__xss=2</script>",
    "`${window.__xss=3}` \" ' <b>bold</b> 🏞️ javascript:window.__xss=4 {{ 'zq' ~ 'xw' }} {# c",
]


@pytest.fixture
def published(demo, tmp_path):
    """The demo, plus a worksheet of hostile text from a hostile agency, scored and published offline."""
    path = tmp_path / "hostile.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Uraian Permasalahan",
                "Dimensi",
                "Kategori",
                "Urgensi",
                "Kode Wilayah",
                "Lintang",
                "Bujur",
                "OPD",
            ]
        )
        for i, text in enumerate(HOSTILE):
            writer.writerow(
                [
                    text,
                    "Smart Living",
                    "Kelemahan",
                    "5",
                    "64.01.04.2005" if i else "",
                    "-1,91" if not i else "",
                    "116,2" if not i else "",
                    HOSTILE[(i + 1) % 3],
                ]
            )
    ingest_file(demo, path, load_gazetteer(demo, "64.01"))
    score_region(demo, "64.01", load_config())
    data = read_map_data(demo, "64.01")
    return data, write_site(data, tmp_path / "site", MapOptions(offline=True))


#: opens the popup of the village whose code is the script's argument, as a click on it does
OPEN_POPUP = (
    "var map = window[document.querySelector('.folium-map').id]; var code = arguments[0];"
    "map.eachLayer(function (l) { var p = l.feature && l.feature.properties;"
    " if (p && p.code === code && p.why) {"
    "  l.fire('click', {latlng: l.getBounds().getCenter()}, true); } });"
)


def only_local(urls: list[str]) -> list[str]:
    return [u for u in urls if not u.startswith(("file://", "data:", "about:", "blob:"))]


def test_the_offline_map_renders_its_layers_and_explains_a_village(published, tmp_path):
    data, site = published
    page = site.folder / "peta_prioritas.html"
    assert (site.folder / "index.html").is_file() and (site.folder / "assets").is_dir()
    with open_page(page) as driver:
        time.sleep(1.5)
        assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-container")
        assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane svg")
        paths = driver.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path.leaflet-interactive")
        assert len(paths) >= len(data.villages) + len(data.districts)
        assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-control-layers")
        assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-control-scale")
        assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-control-search")
        assert driver.find_elements(By.CSS_SELECTOR, ".marker-cluster")
        legend = driver.find_element(By.CSS_SELECTOR, ".sc-legend").text
        assert all(label in legend for label in ("Sangat Tinggi", "Sedang", "Sangat Rendah"))
        # open the top village's popup: the score breakdown is there
        top = data.villages.sort_values("rank").iloc[0]
        driver.execute_script(OPEN_POPUP, top["code"])
        time.sleep(0.5)
        popup = driver.find_element(By.CSS_SELECTOR, ".leaflet-popup-content")
        assert top["name"] in popup.text and driver.find_elements(
            By.CSS_SELECTOR, ".leaflet-popup-content table.why"
        )
        shot = screenshot(driver, tmp_path / "priority_map.png")
        assert shot.stat().st_size > 20_000
        assert only_local(requested_urls(driver)) == []
        assert js_errors(driver) == []
    check_the_map_on_a_phone_and_a_laptop(data, site)


def test_no_injected_script_runs_in_the_map_or_the_report(published):
    _, site = published
    with open_page(site.folder / "peta_prioritas.html") as driver:
        time.sleep(1.0)
        opened = driver.execute_script(
            "var map = window[document.querySelector('.folium-map').id]; var opened = 0;"
            "Object.keys(window).filter(function (k) { return k.indexOf('issue_layer_') === 0; })"
            ".forEach(function (k) { window[k].eachLayer(function (m) {"
            "  var content = m.getPopup()._content; if (typeof content === 'function') content = content(m);"
            "  L.popup().setLatLng(m.getLatLng()).setContent(content).openOn(map); opened += 1; }); });"
            "return opened;"
        )
        assert opened >= len(HOSTILE)
        shown = driver.execute_script(  # every popup's text as a reader sees it
            "var texts = []; Object.keys(window)"
            ".filter(function (k) { return k.indexOf('issue_layer_') === 0; })"
            ".forEach(function (k) { window[k].eachLayer(function (m) { var c = m.getPopup()._content;"
            " if (typeof c === 'function') c = c(m); var d = document.createElement('div'); d.innerHTML = c;"
            " texts.push(d.textContent); }); }); return texts;"
        )
        assert any("{{ 'zq' ~ 'xw' }} {# c" in text for text in shown)  # template syntax shown as written
        assert not any("zqxw" in text for text in shown)
        time.sleep(0.5)
        assert driver.execute_script("return window.__xss") is None
        assert "<b>bold</b>" not in driver.page_source.split("<body", 1)[1].split("<script", 1)[0]
        assert only_local(requested_urls(driver)) == []
    with open_page(site.folder / "index.html") as driver:
        time.sleep(0.5)
        assert driver.execute_script("return window.__xss") is None
        assert driver.find_elements(By.CSS_SELECTOR, "table caption")
        assert only_local(requested_urls(driver)) == []


def test_online_pages_fetch_only_basemap_tiles_and_render_without_them(demo, tmp_path):
    score_region(demo, "64.01", load_config())
    site = write_site(read_map_data(demo, "64.01"), tmp_path / "online", MapOptions(lang="en"))
    with open_page(site.folder / "priority_map.html") as driver:
        time.sleep(1.5)
        paths = driver.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path.leaflet-interactive")
        assert len(paths) >= 144
        remote = only_local(requested_urls(driver))
        assert remote and all("tile.openstreetmap.org" in u for u in remote)  # tiles only (none arrive here)
        assert "Very high" in driver.find_element(By.CSS_SELECTOR, ".sc-legend").text


def test_the_run_folder_holds_pages_figures_and_tables(published):
    data, site = published
    files = set(site.files)
    assert {"index.html", "peta_prioritas.html"} <= files
    assert {
        f"figures/priority_{d}.png" for d in ("living", "economy")
    } <= files and "figures/priority_map.png" in files
    assert {"data/priority_villages.csv", "data/priority_villages.geojson"} <= files
    assert (site.folder.parent / "latest.html").read_text().count(str(data.run["run_id"])) >= 1
    assert site.map_bytes < 5_000_000


@pytest.mark.e2e
def test_cli_publish_writes_the_english_pages_and_says_where(cli, engine, tmp_path):
    from tests.helpers import DATA, REPO

    assert cli("regions", "load", str(DATA / "boundaries" / "paser_desa_kelurahan.geojson")).exit_code == 0
    assert cli("ingest", str(REPO / "geodata" / "demo" / "worksheets")).exit_code == 0
    assert cli("score").exit_code == 0
    result = cli("publish", "--out", str(tmp_path / "site"), "--offline", "--lang", "en")
    assert result.exit_code == 0, result.output
    index = next((tmp_path / "site").glob("*/index.html"))
    assert f"open: {index}" in result.output
    assert (index.parent / "priority_map.html").is_file()
    assert "Top" in index.read_text(encoding="utf-8")
    bad = cli("publish", "--lang", "fr")
    assert bad.exit_code == 1 and bad.output.strip().endswith("--lang must be id or en, not 'fr'")


MAP_BOXES = """
return [...document.querySelectorAll('.leaflet-control, .sc-title, .sc-legend')]
  .filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; })
  .map(e => { const b = e.getBoundingClientRect();
              const name = e.className.toString().split(' ').slice(0, 2).join(' ');
              return [name, b.left, b.top, b.right, b.bottom]; });
"""


def overlapping(boxes: list) -> list[tuple[str, str]]:
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1 :]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]  # fmt: skip


def check_the_map_on_a_phone_and_a_laptop(data, site) -> None:
    """At 390 x 844 and 1366 x 768 (one browser, resized): no two controls overlap, one search box, the
    legend closed on a phone and open on a laptop, and the top village's popup opens inside the
    viewport, clear of every control. Called by the offline-map test (one published run for both)."""
    page = site.folder / "peta_prioritas.html"
    top = data.villages.sort_values("rank").iloc[0]
    with open_page(page) as driver:
        for size in ((390, 844), (1366, 768)):
            driver.set_window_size(*size)
            driver.get(page.resolve().as_uri())
            time.sleep(1.5)
            boxes = driver.execute_script(MAP_BOXES)
            assert len(boxes) >= 6 and not overlapping(boxes), (size, boxes)
            assert (
                len(driver.find_elements(By.CSS_SELECTOR, ".leaflet-control-search")) == 1
            )  # one search box
            legend_open = driver.execute_script("return document.querySelector('.sc-legend').open")
            assert legend_open == (size[0] > 700)  # closed on a phone, where it would cover the map
            driver.execute_script(OPEN_POPUP, top["code"])
            time.sleep(1.0)  # the map pans the popup into view
            box = driver.execute_script(
                "const b = document.querySelector('.leaflet-popup').getBoundingClientRect();"
                "return [b.left, b.top, b.right, b.bottom, window.innerWidth, window.innerHeight];"
            )
            left, top_edge, right, bottom, width, height = box
            assert 0 <= left and right <= width and 0 <= top_edge and bottom <= height, (size, box)
            popup = ["popup", left, top_edge, right, bottom]
            assert not overlapping([popup, *driver.execute_script(MAP_BOXES)]), (size, box)  # clear of them
