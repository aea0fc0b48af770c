"""The run as one GeoPackage for GIS teams: ``data/prioritas_<region>.gpkg`` (no database here: it takes
the MapData the other builders get).

Layers (EPSG:4326, full column names, nothing truncated):

- ``village_priority`` (MultiPolygon): score, rank, class, robustness, hot spot, the per-dimension
  scores and classes (``score_<dimension>``, ``class_no_<dimension>``), the breakdown as JSON
  (``breakdown``) and as one line of text (``why``);
- ``district_priority`` (MultiPolygon): the same for districts;
- ``issue`` (Point): every placed issue. An issue placed by village code or name has no point of its
  own: it sits on a point inside its village (``ST_PointOnSurface``), a district-level one on a point
  inside its district, and ``exact`` is 0 for both (1: the agency's own coordinates);
- ``ikn_boundary`` and ``ikn_zone`` (MultiPolygon);
- ``run_sources`` (a table): where every input came from, one row per source.

QGIS styles ride along in the ``layer_styles`` table (QGIS's own schema; :mod:`maps.gis.qgis_style`), each
layer has its description in ``gpkg_contents``, and the run's provenance (``data/SOURCES.json``) is in
``gpkg_metadata`` (GDAL's dataset metadata, plus the document itself as JSON).

The layers' names, geometry types and descriptions are :mod:`maps.gis.layers`, which the QGIS project
(:mod:`maps.gis.qgis_project`) reads too; :func:`maps.gis.kit.write_gis_files` writes both files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from maps.common.i18n import hotspot_label
from maps.common.views import why_rows
from maps.gis.layers import GEOMETRY_COLUMN, LAYERS
from maps.gis.qgis_style import LayerStyle, layer_styles
from smartcity.platform.files import atomic_write
from smartcity.platform.vocabulary import DIMENSIONS

#: GeoPackage 1.2: what QGIS 3.22 and GDAL 3.6 (Debian 12) read without a warning
DATASET_OPTIONS = {"VERSION": "1.2"}

VILLAGE_COLUMNS = [
    "code",
    "name",
    "district_code",
    "score",
    "rank",
    "class_no",
    "priority_class",
    "issue_count",
    "problem_count",
    "asset_count",
    "severity_sum",
    "p_top",
    "rank_p05",
    "rank_p95",
    "hotspot",
    "gi_z",
    "p_fdr",
]
DISTRICT_COLUMNS = [
    "code",
    "name",
    "score",
    "rank",
    "class_no",
    "priority_class",
    "issue_count",
    "problem_count",
    "asset_count",
    "p_top",
    "rank_p05",
    "rank_p95",
]
ISSUE_COLUMNS = [
    "agency",
    "dimension",
    "swot",
    "severity",
    "description",
    "location_method",
    "location_score",
    "village_code",
    "district_code",
]


@dataclass
class GeoPackageResult:
    """What was written: the file and each layer's feature count."""

    path: Path
    counts: dict[str, int]


def _json(value: object) -> str | None:
    """A nested value as compact JSON text (None stays None)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def why_text(components: object, lang: str) -> str:
    """The breakdown as one line: ``criterion: points (weight); ...``, largest contribution first."""
    return "; ".join(f"{r['criterion']}: {r['points']} ({r['weight']})" for r in why_rows(components, lang))


def _columns(frame: pd.DataFrame, wanted: list[str]) -> list[str]:
    return [c for c in wanted if c in frame.columns]


def area_layer(frame: gpd.GeoDataFrame, columns: list[str], lang: str) -> gpd.GeoDataFrame:
    """Areas with their published columns, the per-dimension ones, the breakdown as JSON and text."""
    dims = [
        f"{kind}_{d}" for d in DIMENSIONS for kind in ("score", "class_no") if f"{kind}_{d}" in frame.columns
    ]
    out = pd.DataFrame(frame[_columns(frame, columns) + dims]).copy()
    components = frame["components"] if "components" in frame.columns else pd.Series([None] * len(frame))
    out["breakdown"] = [_json(c) for c in components]
    out["why"] = [why_text(c, lang) for c in components]
    for column in ("class_no", *[c for c in dims if c.startswith("class_no_")]):
        if column in out.columns:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int16")
    return gpd.GeoDataFrame(
        out.reset_index(drop=True), geometry=frame.geometry.to_numpy(), crs=frame.crs or 4326
    )


def issue_layer(issues: pd.DataFrame) -> gpd.GeoDataFrame:
    """Placed issues as points (rows without a point are left out); ``exact`` 1 for the agency's point."""
    issues = issues.dropna(subset=["lon", "lat"]).reset_index(drop=True) if len(issues) else issues
    out = pd.DataFrame({c: issues[c] for c in _columns(issues, ISSUE_COLUMNS)}).copy()
    out["exact"] = (issues["exact"].fillna(False).astype(bool) if "exact" in issues else False).astype(
        "int16"
    )
    if "severity" in out:
        out["severity"] = pd.to_numeric(out["severity"], errors="coerce").astype("Int16")
    points = (
        shapely.points(issues["lon"].astype(float).to_numpy(), issues["lat"].astype(float).to_numpy())
        if len(issues)
        else np.array([], dtype=object)
    )
    return gpd.GeoDataFrame(out, geometry=points, crs=4326)


def sources_table(document: Mapping) -> pd.DataFrame:
    """One row per input source of a run (boundaries, attributes, names, ikn), then the model."""
    rows = []
    for kind, entry in (document.get("sources") or {}).items():
        entry = entry or {}
        rows.append(
            {
                "kind": kind,
                "file": entry.get("file"),
                "source": entry.get("source"),
                "licence": entry.get("licence"),
                "date": _text(entry.get("date")),
                "approximate": int(bool(entry.get("approximate"))),
            }
        )
    model = document.get("model") or {}
    rows.append(
        {
            "kind": "model",
            "file": model.get("config_source"),
            "source": f"config_hash {model.get('config_hash')}",
            "licence": None,
            "date": _text(document.get("finished_at")),
            "approximate": 0,
        }
    )
    return pd.DataFrame(rows, columns=["kind", "file", "source", "licence", "date", "approximate"])


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def layer_frames(data, lang: str) -> dict[str, pd.DataFrame]:
    """Every layer of the GeoPackage, by name, from a run's MapData."""
    run_id = str(data.run.get("run_id"))
    villages = area_layer(data.villages, VILLAGE_COLUMNS, lang).assign(run_id=run_id)
    # what a GIS analyst reads without a join: the district's name beside its code, the hot-spot class in
    # words beside its code
    names = dict(zip(data.districts.get("code", []), data.districts.get("name", []), strict=True))
    if "district_code" in villages.columns:
        at = villages.columns.get_loc("district_code") + 1
        villages.insert(at, "district_name", villages["district_code"].map(names).astype(object))
    if "hotspot" in villages.columns:
        at = villages.columns.get_loc("hotspot") + 1
        villages.insert(at, "hotspot_label", [hotspot_label(c, lang) for c in villages["hotspot"]])
    districts = area_layer(data.districts, DISTRICT_COLUMNS, lang).assign(run_id=run_id)
    boundary = data.ikn_boundary[
        _columns(data.ikn_boundary, ["name", "source"]) + [data.ikn_boundary.geometry.name]
    ]
    zones = data.ikn_zones[
        _columns(data.ikn_zones, ["name", "min_km", "max_km"]) + [data.ikn_zones.geometry.name]
    ]
    return {
        "village_priority": villages,
        "district_priority": districts,
        "issue": issue_layer(data.issues),
        "ikn_boundary": boundary,
        "ikn_zone": zones,
    }


def _write_layer(path: Path, name: str, frame: pd.DataFrame, **extra) -> None:
    kind, description = LAYERS[name]
    options = {"DESCRIPTION": description, "IDENTIFIER": name}
    if kind is None:
        pyogrio.write_dataframe(
            pd.DataFrame(frame), path, layer=name, driver="GPKG", layer_options=options, **extra
        )
        return
    frame = gpd.GeoDataFrame(frame, geometry=frame.geometry.name, crs=frame.crs or 4326).to_crs(4326)
    pyogrio.write_dataframe(
        frame,
        path,
        layer=name,
        driver="GPKG",
        geometry_type=kind,
        promote_to_multi=kind.startswith("Multi"),
        layer_options={**options, "GEOMETRY_NAME": GEOMETRY_COLUMN, "SPATIAL_INDEX": "YES"},
        **extra,
    )


def dataset_metadata(document: Mapping) -> dict[str, str]:
    """GDAL dataset metadata (gpkg_metadata): region, run, model and sources, for ogrinfo and QGIS."""
    region = document.get("region") or {}
    model = document.get("model") or {}
    return {
        "TITLE": f"Smart City priorities {region.get('name')} ({region.get('code')})",
        "RUN_ID": str(document.get("run_id")),
        "FINISHED_AT": str(document.get("finished_at")),
        "MODEL": f"{model.get('config_source')} {model.get('config_hash')}",
    }


STYLE_TABLE = """CREATE TABLE IF NOT EXISTS layer_styles (
    id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
    f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
    useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
    update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"""
STYLE_INSERT = """INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column,
    styleName, styleQML, styleSLD, useAsDefault, description, owner, ui)
    VALUES ('', '', ?, ?, ?, ?, ?, ?, ?, ?, NULL)"""
CONTENTS_INSERT = """INSERT OR REPLACE INTO gpkg_contents
    (table_name, data_type, identifier, description, last_change)
    VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles (QML, SLD) of the layers', ?)"""
METADATA_INSERT = """INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata)
    VALUES ('dataset', 'https://smartcity.invalid/sources', 'application/json', ?)"""
REFERENCE_INSERT = """INSERT INTO gpkg_metadata_reference
    (reference_scope, table_name, column_name, row_id_value, md_file_id)
    VALUES ('geopackage', NULL, NULL, NULL, ?)"""


def add_styles(connection: sqlite3.Connection, styles: list[LayerStyle], owner: str) -> None:
    """QGIS's ``layer_styles`` table (registered as an attribute table) with ``styles`` in it."""
    connection.execute(STYLE_TABLE)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    connection.execute(CONTENTS_INSERT, (now,))
    connection.executemany(
        STYLE_INSERT,
        [
            (s.table, GEOMETRY_COLUMN, s.name, s.qml, s.sld, int(s.default), s.description, owner)
            for s in styles
        ],
    )


def add_provenance(connection: sqlite3.Connection, document: Mapping) -> None:
    """The provenance document itself as a JSON row of ``gpkg_metadata`` for the whole GeoPackage."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, default=str)
    row = connection.execute(METADATA_INSERT, (text,)).lastrowid
    connection.execute(REFERENCE_INSERT, (row,))


def write_geopackage(data, path: Path, document: Mapping, lang: str = "id") -> GeoPackageResult:
    """Write the run's GeoPackage to ``path`` (replaced atomically): layers, styles, descriptions,
    provenance (see the module docstring). ``document`` is the run's ``SOURCES.json`` content."""
    frames = layer_frames(data, lang)
    frames["run_sources"] = sources_table(document)
    with atomic_write(Path(path)) as work:
        draft = work.with_name(work.name + ".gpkg")  # GDAL wants the extension; made beside our own name
        try:
            for i, (name, frame) in enumerate(frames.items()):
                first = {"dataset_metadata": dataset_metadata(document), "dataset_options": DATASET_OPTIONS}
                _write_layer(draft, name, frame, **(first if i == 0 else {}))
            with contextlib.closing(sqlite3.connect(draft)) as connection, connection:
                add_styles(connection, layer_styles(lang), owner="smartcity")
                add_provenance(connection, document)
            os.replace(draft, work)
        finally:
            draft.unlink(missing_ok=True)
    return GeoPackageResult(Path(path), {name: len(frame) for name, frame in frames.items()})
