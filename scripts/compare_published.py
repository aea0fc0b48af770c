"""Compare two published runs and print what differs; exit 0 when their content is the same, 1 when not.

Usage::

    .venv/bin/python scripts/compare_published.py A B [--max N]

``A`` and ``B`` are run folders (``OUT/<run_id>/``, holding ``index.html``) or publish folders (``OUT/``,
holding ``latest.html``, which names the run). A refactoring of ``maps/`` publishes the same data before
and after and runs this to show that nothing a reader gets has changed. Compared, by content:

* the list of files;
* every CSV (rows as text) and GeoJSON or JSON file (every property and coordinate);
* the GeoPackage: each layer's name, feature count, columns, attribute values and geometry (pyogrio),
  and the rows of ``gpkg_contents``, ``layer_styles`` and ``gpkg_metadata`` (sqlite3);
* the QGIS project (``.qgz``): its ``.qgs`` XML, element by element;
* the report page (``index.html``): its visible text (tags stripped), every tag with its attributes,
  and its CSS;
* the map page: the whole page, Folium's random element ids renamed in their order of appearance;
* the Word document: paragraphs (style and text), tables (cell texts), the number of pictures;
* figures (PNG): size and pixels; any other file: its text, or its bytes.

Run ids and other UUIDs, timestamps and dates are replaced by placeholders before comparing, so two
publishes of the same data (at another time, or from another run with the same results) compare equal.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import difflib
import hashlib
import json
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
STAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| UTC)?)?"
    r"|\d{2}:\d{2}:\d{2}\.\d+(?:[+-]\d{2}:?\d{2})?"  # a time alone, as str(datetime) may end a text
)
FOLIUM_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
TEXT_FILES = {".html", ".js", ".css", ".txt", ".svg", ".md", ".qml", ".sld", ".xml"}
Differences = list[str]


def normalise(text: str) -> str:
    """``text`` with UUIDs (run ids) and timestamps replaced by placeholders."""
    return STAMP.sub("<time>", UUID.sub("<uuid>", text))


def _plain(value: object) -> object:
    """A value made comparable: strings normalised, containers walked, floats kept exact."""
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, datetime | date):  # pandas' Timestamp too
        return "<time>"
    if isinstance(value, dict):
        return {normalise(str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _short(value: object, width: int = 100) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def diff_values(a: object, b: object, path: str = "", out: Differences | None = None) -> Differences:
    """Where two nested values (dicts, lists, scalars) differ, one line per difference, by path."""
    out = [] if out is None else out
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                out.append(f"{path}/{key}: only in {'B' if key not in a else 'A'}")
            else:
                diff_values(a[key], b[key], f"{path}/{key}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items in A, {len(b)} in B")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            diff_values(x, y, f"{path}[{i}]", out)
    elif a != b and not (a != a and b != b):  # NaN equals NaN here
        out.append(f"{path or '/'}: A {_short(a)} | B {_short(b)}")
    return out


def _first_difference(x: str, y: str) -> int:
    return next((k for k, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y)))


def diff_lines(a: list[str], b: list[str]) -> Differences:
    """Line differences, each changed line shown around its first differing character."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for n, (x, y) in enumerate(zip(a[i1:i2], b[j1:j2], strict=True)):
                at = _first_difference(x, y)
                shown = slice(max(at - 40, 0), at + 60)
                out.append(f"line {i1 + n + 1}, character {at + 1}: A {x[shown]!r} | B {y[shown]!r}")
            continue
        out += [f"line {i + 1} only in A: {_short(a[i])}" for i in range(i1, i2)]
        out += [f"line {j + 1} only in B: {_short(b[j])}" for j in range(j1, j2)]
    return out


# --- one comparison per kind of file ------------------------------------------------------------------


def compare_csv(a: Path, b: Path) -> Differences:
    def rows(path: Path) -> list[list[str]]:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [[normalise(cell) for cell in row] for row in csv.reader(handle)]

    ra, rb = rows(a), rows(b)
    if not ra or not rb:
        return diff_values(ra, rb)
    header = ra[0]
    out = diff_values(ra[0], rb[0], "header")
    if len(ra) != len(rb):
        out.append(f"{len(ra) - 1} rows in A, {len(rb) - 1} in B")
    for i, (x, y) in enumerate(zip(ra[1:], rb[1:], strict=False), start=1):
        for k, (p, q) in enumerate(zip(x, y, strict=False)):
            if p != q:
                column = header[k] if k < len(header) else k
                out.append(f"row {i}, {column}: A {_short(p)} | B {_short(q)}")
    return out


def compare_json(a: Path, b: Path) -> Differences:
    load = lambda path: _plain(json.loads(path.read_text(encoding="utf-8")))  # noqa: E731
    return diff_values(load(a), load(b))


def _geopackage(path: Path) -> dict:
    import pandas as pd
    import pyogrio
    import shapely

    pyogrio.set_gdal_config_options({"GDAL_PAM_ENABLED": "NO"})  # no .aux.xml written beside the file

    def value(v: object) -> object:
        return None if isinstance(v, float | type(pd.NA) | type(pd.NaT)) and pd.isna(v) else v

    layers = {}
    for name, geometry_type in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=name)
        geometry = "geometry" if "geometry" in frame.columns else None
        columns = [c for c in frame.columns if c != geometry]
        shapes = [shapely.to_wkt(g, rounding_precision=-1) for g in frame[geometry]] if geometry else []
        layers[name] = {
            "geometry_type": geometry_type,
            "features": len(frame),
            "columns": columns,
            "values": {c: _plain([value(v) for v in frame[c].astype(object)]) for c in columns},
            "geometry": shapes,
        }
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        tables = {
            "gpkg_contents": "SELECT table_name, data_type, identifier, description FROM gpkg_contents "
            "ORDER BY table_name",
            "layer_styles": "SELECT f_table_name, f_geometry_column, styleName, styleQML, styleSLD, "
            "useAsDefault, description, owner FROM layer_styles ORDER BY id",
            "gpkg_metadata": "SELECT md_scope, md_standard_uri, mime_type, metadata FROM gpkg_metadata "
            "ORDER BY id",
        }
        rows = {}
        for table, statement in tables.items():
            try:
                rows[table] = _plain([list(r) for r in connection.execute(statement)])
            except sqlite3.OperationalError:  # no such table
                rows[table] = None
    return {"layers": layers, "tables": rows}


def compare_geopackage(a: Path, b: Path) -> Differences:
    return diff_values(_geopackage(a), _geopackage(b))


def _xml_elements(root: ET.Element) -> Iterator[str]:
    def walk(element: ET.Element, path: str) -> Iterator[str]:
        here = f"{path}/{element.tag}"
        attributes = " ".join(f"{k}={normalise(v)!r}" for k, v in sorted(element.attrib.items()))
        yield f"{here} [{attributes}] {normalise((element.text or '').strip())!r}"
        for child in element:
            yield from walk(child, here)

    yield from walk(root, "")


def compare_qgz(a: Path, b: Path) -> Differences:
    def members(path: Path) -> dict[str, list[str]]:
        with zipfile.ZipFile(path) as archive:
            return {
                name: list(_xml_elements(ET.fromstring(archive.read(name))))
                for name in sorted(archive.namelist())
            }

    ma, mb = members(a), members(b)
    out = [f"member {name}: only in {'A' if name in ma else 'B'}" for name in sorted(set(ma) ^ set(mb))]
    for name in sorted(set(ma) & set(mb)):
        out += [f"{name}: {line}" for line in diff_lines(ma[name], mb[name])]
    return out


class _Page(HTMLParser):
    """A page's visible text, its tags with their attributes, and the contents of style elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.styles: list[str] = []
        self._inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(f"<{tag} " + " ".join(f"{k}={normalise(v or '')!r}" for k, v in attrs) + ">")
        if tag in ("style", "script"):
            self._inside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._inside and self._inside[-1] == tag:
            self._inside.pop()

    def handle_data(self, data: str) -> None:
        if self._inside:
            if self._inside[-1] == "style":
                self.styles.append(data.strip())
            return
        words = " ".join(data.split())
        if words:
            self.text.append(normalise(words))


def compare_report(a: Path, b: Path) -> Differences:
    pages = []
    for path in (a, b):
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        pages.append(page)
    pa, pb = pages
    out = [f"text: {line}" for line in diff_lines(pa.text, pb.text)]
    out += [f"tags: {line}" for line in diff_lines(pa.tags, pb.tags)]
    out += [f"css: {line}" for line in diff_lines(pa.styles, pb.styles)]
    return out


def _folium_page(path: Path) -> list[str]:
    ids: dict[str, str] = {}

    def rename(match: re.Match) -> str:
        return ids.setdefault(match.group(0), f"<id{len(ids) + 1}>")

    return FOLIUM_ID.sub(rename, normalise(path.read_text(encoding="utf-8"))).splitlines()


def compare_map_page(a: Path, b: Path) -> Differences:
    return diff_lines(_folium_page(a), _folium_page(b))


def _document(path: Path) -> dict:
    from docx import Document

    document = Document(str(path))
    return {
        "paragraphs": [f"{getattr(p.style, 'name', '')}: {normalise(p.text)}" for p in document.paragraphs],
        "tables": [[[normalise(c.text) for c in row.cells] for row in t.rows] for t in document.tables],
        "pictures": len(document.inline_shapes),
        "sections": [str(s.orientation) for s in document.sections],
    }


def compare_document(a: Path, b: Path) -> Differences:
    da, db = _document(a), _document(b)
    out = [f"paragraphs: {line}" for line in diff_lines(da.pop("paragraphs"), db.pop("paragraphs"))]
    return out + diff_values(da, db)


def compare_png(a: Path, b: Path) -> Differences:
    from PIL import Image

    def pixels(path: Path) -> tuple:
        with Image.open(path) as image:
            title = normalise(str(image.info.get("Title", "")))
            return image.mode, image.size, title, hashlib.sha256(image.tobytes()).hexdigest()

    return diff_values(list(pixels(a)), list(pixels(b)))


def compare_other(a: Path, b: Path) -> Differences:
    if a.suffix.lower() in TEXT_FILES:
        return diff_lines(normalise(a.read_text(encoding="utf-8")).splitlines(),
                          normalise(b.read_text(encoding="utf-8")).splitlines())  # fmt: skip
    same = hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    return [] if same else [f"bytes differ ({a.stat().st_size} and {b.stat().st_size} bytes)"]


def comparison(relative: str) -> Callable[[Path, Path], Differences]:
    """How a published file is compared, by its name."""
    suffix = Path(relative).suffix.lower()
    if relative == "index.html":
        return compare_report
    if suffix == ".html":
        return compare_map_page
    return {
        ".csv": compare_csv,
        ".geojson": compare_json,
        ".json": compare_json,
        ".gpkg": compare_geopackage,
        ".qgz": compare_qgz,
        ".docx": compare_document,
        ".png": compare_png,
    }.get(suffix, compare_other)


# --- the two folders ----------------------------------------------------------------------------------


def run_folder(path: Path) -> Path:
    """The run folder ``path`` names: itself, or the run its ``latest.html`` points to."""
    if (path / "index.html").is_file():
        return path
    latest = path / "latest.html"
    if latest.is_file():
        target = re.search(r"url=([^'\"]+)/index\.html", latest.read_text(encoding="utf-8"))
        if target and (path / target.group(1) / "index.html").is_file():
            return path / target.group(1)
    raise SystemExit(f"{path}: neither a run folder (index.html) nor a publish folder (latest.html)")


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def compare(a: Path, b: Path, limit: int = 20) -> int:
    """Print the differences between two published runs; the number of files that differ."""
    a, b = run_folder(a), run_folder(b)
    fa, fb = files(a), files(b)
    differing = 0
    for name in sorted(fa ^ fb):
        print(f"only in {'A' if name in fa else 'B'}: {name}")
        differing += 1
    common = sorted(fa & fb)
    for name in common:
        found = comparison(name)(a / name, b / name)
        if found:
            differing += 1
            print(f"differs: {name} ({len(found)} difference{'s' if len(found) > 1 else ''})")
            for line in found[:limit]:
                print(f"    {line}")
            if len(found) > limit:
                print(f"    ... and {len(found) - limit} more")
    print(f"{len(common)} files in both, {len(fa ^ fb)} in one only, {differing} differing: "
          + ("the same content" if not differing else "DIFFERENT"))  # fmt: skip
    return differing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="a run folder (index.html) or a publish folder (latest.html)")
    parser.add_argument("b", type=Path, help="the other one")
    parser.add_argument("--max", type=int, default=20, help="differences shown per file (default 20)")
    args = parser.parse_args(argv)
    return 1 if compare(args.a, args.b, args.max) else 0


if __name__ == "__main__":
    sys.exit(main())
