"""The run's GIS layers as the GeoPackage holds them and the QGIS project opens them: each layer's name,
geometry type and description, the geometry column, and the two files' names.

One list that both writers read (:mod:`maps.gis.gpkg` makes the layers, :mod:`maps.gis.qgis_project`
points at them), so neither writer imports the other.
"""

from __future__ import annotations

from maps.common.provenance import gis_file_stem

#: the geometry column of every spatial layer
GEOMETRY_COLUMN = "geom"
#: layer -> (geometry type, description written to gpkg_contents)
LAYERS: dict[str, tuple[str | None, str]] = {
    "village_priority": (
        "MultiPolygon",
        "Priority score of each village (desa/kelurahan) in this run, with its "
        "class, per-dimension scores and classes, and the breakdown (breakdown: JSON; why: text).",
    ),
    "district_priority": (
        "MultiPolygon",
        "Priority score of each district (kecamatan) in this run, with its class and breakdown.",
    ),
    "issue": (
        "Point",
        "Issues, strengths and opportunities from agency worksheets. exact = 1: the agency's "
        "coordinates; exact = 0: placed by code or name on a point inside its village (or district).",
    ),
    "ikn_boundary": (
        "MultiPolygon",
        "IKN Nusantara boundary (approximate unless run_sources says otherwise).",
    ),
    "ikn_zone": ("MultiPolygon", "Distance zones (rings) around IKN."),
    "run_sources": (
        None,
        "Where every input of this run came from: file, source, licence, date, approximate.",
    ),
}


def gpkg_name(region_code: str) -> str:
    """``prioritas_<region>.gpkg``, the region code with its dot replaced (``prioritas_64_01.gpkg``)."""
    return f"{gis_file_stem(region_code)}.gpkg"


def project_name(region_code: str) -> str:
    """``prioritas_<region>.qgz`` (``prioritas_64_01.qgz``), beside the GeoPackage of the same stem."""
    return f"{gis_file_stem(region_code)}.qgz"
