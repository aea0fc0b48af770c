"""The GIS kit of a run, in its ``data/`` folder: the GeoPackage (:mod:`maps.gis.gpkg`) and the QGIS
project that opens it by a relative path (:mod:`maps.gis.qgis_project`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from maps.common.i18n import t
from maps.gis.gpkg import write_geopackage
from maps.gis.layers import gpkg_name, project_name
from maps.gis.qgis_project import write_qgis_project


def write_gis_files(
    data, folder: Path, document: Mapping, lang: str = "id", *, project_crs: str
) -> list[tuple[str, str]]:
    """The GeoPackage (and the QGIS project beside it, its maps in ``project_crs``, the project's metric
    CRS) in ``folder``; (title, file name) pairs."""
    name, project = gpkg_name(data.region_code), project_name(data.region_code)
    write_geopackage(data, Path(folder) / name, document, lang)
    write_qgis_project(data, Path(folder) / project, document, name, lang, project_crs=project_crs)
    return [(t("gis_download_gpkg", lang), name), (t("gis_download_project", lang), project)]
