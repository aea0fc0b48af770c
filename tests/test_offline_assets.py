"""Offline Folium pages: every script, stylesheet, font and image comes from files beside the page."""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import re
from pathlib import Path

import branca.colormap
import folium
import pytest
from folium import plugins
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from maps.web import fetch_assets
from maps.web.assets import ASSET_URLS, BUNDLES, LEFT_OUT, VENDOR_DIR, OfflineError, make_offline, remote_urls
from tests import browser

CENTER = (-6.2, 106.8)
POPUP_TEXT = "Kelurahan Offline"
_LOCAL_REF = re.compile(r"""(?:src|href)\s*=\s*["'](assets/[^"']+)["']""")
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def square(lon: float, lat: float, half: float) -> dict:
    """A GeoJSON square polygon centred on lon/lat."""
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def polygons() -> dict:
    """A feature collection of one named square at CENTER."""
    feature = {
        "type": "Feature",
        "properties": {"name": POPUP_TEXT, "score": 0.7},
        "geometry": square(CENTER[1], CENTER[0], 0.02),
    }
    return {"type": "FeatureCollection", "features": [feature]}


def small_map(tiles: str | None = None) -> folium.Map:
    """The e2e map: a polygon with a popup, 3 clustered markers, fullscreen, search and a heatmap."""
    # Without tiles, Leaflet learns no maxZoom (Folium's max_zoom only reaches a tile layer), and
    # MarkerCluster throws "Map has no maxZoom specified": the map itself must carry it.
    fmap = folium.Map(location=CENTER, zoom_start=12, tiles=tiles, maxZoom=18)
    areas = folium.GeoJson(
        polygons(),
        name="areas",
        popup=folium.GeoJsonPopup(fields=["name"], labels=False),
        style_function=lambda _: {"color": "#c0392b", "fillOpacity": 0.4},
    ).add_to(fmap)
    cluster = plugins.MarkerCluster().add_to(fmap)
    for i in range(3):
        folium.Marker((CENTER[0] + 0.05, CENTER[1] + 0.05 + 0.002 * i), tooltip=f"m{i}").add_to(cluster)
    plugins.Fullscreen().add_to(fmap)
    plugins.Search(layer=areas, search_label="name", placeholder="Cari").add_to(fmap)
    heat = [(CENTER[0] - 0.04, CENTER[1] - 0.04, 1.0), (CENTER[0] - 0.045, CENTER[1] - 0.04, 0.5)]
    plugins.HeatMap(heat).add_to(fmap)
    return fmap


def full_map(tiles: str | None = None) -> folium.Map:
    """Every plugin and feature the project uses, so every CDN URL Folium can emit for them is rendered."""
    fmap = small_map(tiles)
    folium.GeoJson(
        polygons(),
        tooltip=folium.GeoJsonTooltip(fields=["name", "score"]),
        popup=folium.GeoJsonPopup(fields=["name", "score"]),
    ).add_to(fmap)
    plugins.FastMarkerCluster([(CENTER[0] + 0.01, CENTER[1]), (CENTER[0], CENTER[1] + 0.01)]).add_to(fmap)
    folium.Marker(CENTER, icon=folium.Icon(icon="info-sign")).add_to(fmap)
    folium.Marker(CENTER, icon=folium.Icon(prefix="fa", icon="school", angle=45)).add_to(fmap)
    branca.colormap.linear.YlOrRd_09.scale(0, 1).add_to(fmap)
    return fmap


def local_refs(html: str) -> list[str]:
    """The assets/... paths that the page's <script src> and <link href> name."""
    return _LOCAL_REF.findall(html)


def test_every_cdn_url_of_the_full_map_is_known() -> None:
    html = full_map(tiles="OpenStreetMap").get_root().render()
    assert set(remote_urls(html, allow_tiles=True)) == set(ASSET_URLS) | set(LEFT_OUT)


def test_full_map_made_offline_has_no_remote_url(tmp_path: Path) -> None:
    html = make_offline(full_map().get_root().render(), tmp_path)
    assert remote_urls(html) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html)
    for url in LEFT_OUT:
        assert url not in html
    # Every plugin's script is there, now local.
    for name in ("leaflet.js", "jquery.min.js", "markercluster.js", "leaflet_heat.min.js", "d3.min.js"):
        assert any(ref.endswith(name) for ref in local_refs(html)), name
    assert "Control.FullScreen" in html and "leaflet-search.min.js" in html


def test_every_referenced_asset_and_css_url_exists(tmp_path: Path) -> None:
    html = make_offline(full_map().get_root().render(), tmp_path)
    refs = local_refs(html)
    assert len(refs) == len(set(ASSET_URLS.values()))
    for ref in refs:
        assert (tmp_path / ref).is_file(), ref
    checked = 0
    for css in (tmp_path / "assets").rglob("*.css"):
        for target in _CSS_URL.findall(css.read_text(encoding="utf-8")):
            if target.startswith(("data:", "#")):
                continue
            assert not re.match(r"(?:https?:)?//", target), f"{css.name} loads {target}"
            assert (css.parent / target.split("?")[0].split("#")[0]).is_file(), f"{css.name}: {target}"
            checked += 1
    assert checked >= 15  # leaflet images, font-awesome webfonts, awesome-markers and leaflet-search images


def test_tiles_are_refused_unless_allowed(tmp_path: Path) -> None:
    html = full_map(tiles="OpenStreetMap").get_root().render()
    with pytest.raises(OfflineError, match=re.escape("https://tile.openstreetmap.org/{z}/{x}/{y}.png")):
        make_offline(html, tmp_path)
    online = make_offline(html, tmp_path, allow_tiles=True)
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in online
    assert remote_urls(online, allow_tiles=True) == []


def test_unknown_cdn_script_and_stylesheet_are_refused(tmp_path: Path) -> None:
    fmap = small_map()
    fmap.get_root().header.add_child(folium.JavascriptLink("https://cdn.example.org/lib/unknown.min.js"))
    with pytest.raises(OfflineError, match=re.escape("https://cdn.example.org/lib/unknown.min.js")):
        make_offline(fmap.get_root().render(), tmp_path)
    fmap = small_map()
    fmap.get_root().header.add_child(folium.CssLink("//cdn.example.org/lib/unknown.css"))
    with pytest.raises(OfflineError, match=re.escape("//cdn.example.org/lib/unknown.css")):
        make_offline(fmap.get_root().render(), tmp_path)


def test_bundle_versions_match_what_is_installed_and_vendored() -> None:
    manifest = json.loads((VENDOR_DIR / "manifest.json").read_text())
    for bundle in BUNDLES:
        if bundle.origin == "xstatic":
            installed = importlib.import_module(f"xstatic.pkg.{bundle.package}").VERSION
            assert installed == bundle.version, bundle.name
        elif bundle.origin == "npm":
            assert manifest[bundle.package]["version"] == bundle.version, bundle.name
            assert manifest[bundle.package]["files"] == list(bundle.all_files()), bundle.name
        for name in bundle.all_files():
            assert (bundle.root() / name).is_file(), f"{bundle.name}: {name}"
    leaflet = next(bundle for bundle in BUNDLES if bundle.name == "leaflet")
    assert f"leaflet@{leaflet.version}/" in dict(folium.Map.default_js)["leaflet"]


def test_fetch_assets_checks_sha512_integrity() -> None:
    data = b"tarball bytes"
    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    fetch_assets.check_integrity(data, good)
    with pytest.raises(ValueError, match="sha512 mismatch"):
        fetch_assets.check_integrity(data + b"!", good)
    with pytest.raises(ValueError, match="no sha512"):
        fetch_assets.check_integrity(data, "sha1-abc")
    assert (
        fetch_assets.tarball_url("@scope/pkg", "1.0.0")
        == "https://registry.npmjs.org/@scope/pkg/-/pkg-1.0.0.tgz"
    )


@pytest.mark.e2e
def test_offline_map_works_in_chromium_without_network(tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    page.write_text(make_offline(small_map().get_root().render(), tmp_path), encoding="utf-8")
    with browser.open_page(page) as driver:
        wait = WebDriverWait(driver, 30)
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".leaflet-container")))
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "path.leaflet-interactive"))
        assert len(driver.find_elements(By.CSS_SELECTOR, "path.leaflet-interactive")) >= 1
        assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-control-search")
        assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-control-zoom-fullscreen")
        assert driver.find_elements(By.CSS_SELECTOR, ".marker-cluster")
        assert driver.find_elements(By.CSS_SELECTOR, "canvas.leaflet-heatmap-layer")

        driver.find_element(By.CSS_SELECTOR, "path.leaflet-interactive").click()
        popup = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".leaflet-popup-content")))
        assert POPUP_TEXT in popup.text

        shot = browser.screenshot(driver, tmp_path / "map.png")
        urls = browser.requested_urls(driver)
        errors = browser.js_errors(driver)
    assert shot.stat().st_size > 1000 and shot.read_bytes().startswith(b"\x89PNG")
    assert any(url.endswith("/assets/leaflet/leaflet.js") for url in urls), urls
    # Images that stylesheets name by relative url() were found beside them.
    assert any(url.endswith("/leaflet.fullscreen/icon-fullscreen.svg") for url in urls), urls
    assert any(url.endswith("/leaflet-search/images/search-icon.png") for url in urls), urls
    leaving = [url for url in urls if not url.startswith(("file://", "data:"))]
    assert leaving == [], f"the page asked the network for {leaving}"
    assert errors == []
