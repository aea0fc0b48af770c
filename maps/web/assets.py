"""Makes Folium pages work offline: their JavaScript and CSS come from an ``assets/`` folder beside them.

Folium's HTML loads Leaflet, its plugins, Bootstrap, jQuery and Font Awesome from CDNs. ``make_offline``
copies local copies of those files next to the page and points the HTML at them, then refuses
(``OfflineError``) a page that would still load a script, a stylesheet or map tiles from the network.

Where each file comes from (``BUNDLES``; ``ASSET_URLS`` maps each CDN URL to its local path):

- PyPI XStatic wheels (installed with the project, read from their ``BASE_DIR``): Leaflet 1.9.3 with its
  images, jQuery 3.7.1, Font Awesome Free 6.2.1 (Folium asks for 6.2.0) with its webfonts, and
  Leaflet.markercluster 1.4.1 (Folium asks for 1.1.0; 1.4.1 keeps the API and fits Leaflet 1.9).
- npm tarballs, fetched, checked against the registry's sha512 integrity and unpacked into
  ``maps/web/static/vendor/<package>/`` by ``python -m maps.web.fetch_assets`` (a developer's step; the
  files are committed): Bootstrap 5.2.2, Leaflet.awesome-markers 2.0.2 (npm
  ``drmonty-leaflet-awesome-markers``, a copy of the 2.0.2 release that cdnjs serves), leaflet.fullscreen
  3.0.0 (npm ships only the unminified ``Control.FullScreen.js``; it stands in for the CDN's ``.min.js``),
  leaflet-search 2.9.7 with its images, and d3 3.5.5 (for branca colormaps).
- Folium's own wheel: ``leaflet_heat.min.js``, the file Folium's HeatMap URL names. It is Leaflet.heat
  0.2.0 with Folium's weights patch, so it is preferred over npm's unpatched ``leaflet.heat``.

Left out, because npm has no copy of them: ``bootstrap-glyphicons.css`` (Bootstrap 3.0.0 from netdna) and
Folium's ``leaflet.awesome.rotate.min.css``. Their ``<link>`` tags are removed: offline, markers made
with ``folium.Icon(prefix="glyphicon")`` (Folium's default) draw without their glyph, so use
``prefix="fa"``; and ``folium.Icon(angle=...)`` does not rotate the icon.
"""

from __future__ import annotations

import importlib
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import folium

VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"
ASSETS = "assets"

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_LINK_HREF = re.compile(r"""<link\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_TILE_LAYER = re.compile(r"""L\.tileLayer(?:\.\w+)?\(\s*["'`]([^"'`]+)["'`]""")


class OfflineError(RuntimeError):
    """A page would still load a script, a stylesheet or tiles from the network."""


@dataclass(frozen=True)
class Bundle:
    """One library's files, copied together to ``assets/<name>/`` in their layout, so CSS url()s resolve."""

    name: str
    origin: str  # "xstatic", "npm" or "folium"
    package: str  # xstatic.pkg module, npm package, or "" for folium
    version: str
    files: tuple[str, ...]
    urls: Mapping[str, str]  # CDN URL -> one of `files`
    license: str | None = None  # copied along with the files
    note: str = ""

    def root(self) -> Path:
        """The folder the bundle's files are read from."""
        if self.origin == "xstatic":
            return Path(importlib.import_module(f"xstatic.pkg.{self.package}").BASE_DIR)
        if self.origin == "npm":
            return VENDOR_DIR / self.package
        if self.origin == "folium":
            return Path(folium.__file__).resolve().parent / "templates"
        raise ValueError(f"unknown origin {self.origin!r}")

    def all_files(self) -> tuple[str, ...]:
        """The files to copy: the assets and the license."""
        return self.files + ((self.license,) if self.license else ())


_JSDELIVR = "https://cdn.jsdelivr.net"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"
_FA_WEBFONTS = tuple(
    f"webfonts/fa-{face}.{ext}"
    for face in ("brands-400", "regular-400", "solid-900", "v4compatibility")
    for ext in ("woff2", "ttf")
)

BUNDLES: tuple[Bundle, ...] = (
    Bundle(
        "leaflet",
        "xstatic",
        "leaflet",
        "1.9.3",
        files=(
            "leaflet.js",
            "leaflet.css",
            "images/layers.png",
            "images/layers-2x.png",
            "images/marker-icon.png",
            "images/marker-icon-2x.png",
            "images/marker-shadow.png",
        ),
        urls={
            f"{_JSDELIVR}/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet.js",
            f"{_JSDELIVR}/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet.css",
        },
    ),
    Bundle(
        "jquery",
        "xstatic",
        "jquery",
        "3.7.1",
        files=("jquery.min.js",),
        urls={"https://code.jquery.com/jquery-3.7.1.min.js": "jquery.min.js"},
    ),
    Bundle(
        "font-awesome",
        "xstatic",
        "font_awesome",
        "6.2.1",
        files=("css/all.min.css", *_FA_WEBFONTS),
        urls={f"{_JSDELIVR}/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": "css/all.min.css"},
        license="LICENSE.txt",
        note="Folium asks for 6.2.0",
    ),
    Bundle(
        "leaflet.markercluster",
        "xstatic",
        "leaflet_markercluster",
        "1.4.1",
        files=("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
        urls={
            f"{_CDNJS}/leaflet.markercluster/1.1.0/leaflet.markercluster.js": "leaflet.markercluster.js",
            f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.css": "MarkerCluster.css",
            f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": "MarkerCluster.Default.css",
        },
        note="Folium asks for 1.1.0",
    ),
    Bundle(
        "bootstrap",
        "npm",
        "bootstrap",
        "5.2.2",
        files=("dist/css/bootstrap.min.css", "dist/js/bootstrap.bundle.min.js"),
        urls={
            f"{_JSDELIVR}/npm/bootstrap@5.2.2/{name}": name
            for name in ("dist/css/bootstrap.min.css", "dist/js/bootstrap.bundle.min.js")
        },
        license="LICENSE",
    ),
    Bundle(
        "leaflet.awesome-markers",
        "npm",
        "drmonty-leaflet-awesome-markers",
        "2.0.2",
        files=(
            "js/leaflet.awesome-markers.js",
            "css/leaflet.awesome-markers.css",
            "css/images/markers-soft.png",
            "css/images/markers-soft@2x.png",
            "css/images/markers-shadow.png",
            "css/images/markers-shadow@2x.png",
        ),
        urls={
            f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/{name.split('/')[1]}": name
            for name in ("js/leaflet.awesome-markers.js", "css/leaflet.awesome-markers.css")
        },
        license="package.json",
        note="the tarball has no LICENSE file; its package.json names MIT",
    ),
    Bundle(
        "leaflet.fullscreen",
        "npm",
        "leaflet.fullscreen",
        "3.0.0",
        files=("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg"),
        urls={
            f"{_JSDELIVR}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "Control.FullScreen.js",
            f"{_JSDELIVR}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": "Control.FullScreen.css",
        },
        license="LICENSE",
        note="npm has no .min.js; the unminified file stands in",
    ),
    Bundle(
        "leaflet-search",
        "npm",
        "leaflet-search",
        "2.9.7",
        files=(
            "dist/leaflet-search.min.js",
            "dist/leaflet-search.min.css",
            "images/loader.gif",
            "images/search-icon.png",
        ),
        urls={
            f"{_JSDELIVR}/npm/leaflet-search@2.9.7/{name}": name
            for name in ("dist/leaflet-search.min.js", "dist/leaflet-search.min.css")
        },
        license="license.txt",
    ),
    Bundle(
        "d3",
        "npm",
        "d3",
        "3.5.5",
        files=("d3.min.js",),
        urls={f"{_CDNJS}/d3/3.5.5/d3.min.js": "d3.min.js"},
        license="LICENSE",
    ),
    Bundle(
        "leaflet.heat",
        "folium",
        "",
        "0.2.0+folium",
        files=("leaflet_heat.min.js",),
        urls={
            f"{_JSDELIVR}/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js": (
                "leaflet_heat.min.js"
            )
        },
        note="Leaflet.heat with Folium's weights patch, shipped in Folium's wheel",
    ),
)

ASSET_URLS: dict[str, str] = {
    url: f"{ASSETS}/{bundle.name}/{file}" for bundle in BUNDLES for url, file in bundle.urls.items()
}
"""Each CDN URL Folium uses -> the page-relative path of its local copy."""

LEFT_OUT: dict[str, str] = {
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
        "no npm copy; folium.Icon(prefix='glyphicon') draws no glyph offline"
    ),
    f"{_JSDELIVR}/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": (
        "no npm copy; folium.Icon(angle=...) does not rotate offline"
    ),
}
"""CDN stylesheets with no local copy: their ``<link>`` tags are removed, with the reason."""

_BUNDLE_OF_URL = {url: bundle for bundle in BUNDLES for url in bundle.urls}


def make_offline(html: str, folder: Path, *, allow_tiles: bool = False) -> str:
    """Copy the page's assets to ``folder/assets``; return the html, pointing at them, to save in folder."""
    folder = Path(folder)
    for url in LEFT_OUT:
        if url in html:
            html = _drop_link(html, url)
    for url, bundle in _BUNDLE_OF_URL.items():
        if url in html:
            _copy_bundle(bundle, folder / ASSETS / bundle.name)
            html = html.replace(url, ASSET_URLS[url])
    remote = remote_urls(html, allow_tiles=allow_tiles)
    if remote:
        raise OfflineError(f"page still loads from the network: {', '.join(remote)}")
    return html


def remote_urls(html: str, *, allow_tiles: bool = False) -> list[str]:
    """The network URLs in the page's <script src>, <link href> and, unless allowed, L.tileLayer(...)."""
    found = _SCRIPT_SRC.findall(html) + _LINK_HREF.findall(html)
    if not allow_tiles:
        found += _TILE_LAYER.findall(html)
    return list(dict.fromkeys(url for url in found if _REMOTE.match(url)))


def _drop_link(html: str, url: str) -> str:
    """Remove every <link> tag whose href is url."""
    tag = re.compile(r"""[ \t]*<link\b[^>]*\bhref\s*=\s*["']""" + re.escape(url) + r"""["'][^>]*>[ \t]*\n?""")
    return tag.sub("", html)


def _copy_bundle(bundle: Bundle, target: Path) -> None:
    """Copy a bundle's files to target, keeping their relative layout."""
    root = bundle.root()
    for name in bundle.all_files():
        source, dest = root / name, target / name
        if not source.is_file():
            raise OfflineError(f"{bundle.name}: {source} is missing (run `python -m maps.web.fetch_assets`?)")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
