"""Where the published numbers came from, as every output says it: the report's sources, the map's and
the figures' source line, and ``data/SOURCES.json`` beside the tables.

Input is ``mart.scoring_run.provenance`` (see :mod:`smartcity.reference.provenance`): the sources of the
boundaries, attributes, names and IKN boundary, the model and the run. Texts here are plain; the pages
escape them (they come from files and the database).
"""

from __future__ import annotations

from collections.abc import Mapping

from maps.common.i18n import t

#: provenance key -> label key, in the order the outputs list them
KINDS = (("boundaries", "src_boundaries"), ("attributes", "src_attributes"), ("names", "src_names"),
         ("ikn", "src_ikn"))  # fmt: skip


def describe_source(entry: Mapping, lang: str) -> str:
    """One source as text: ``source (file), licence X, date``, and *approximate boundary* when it is one; in
    Indonesian the source's and licence's Indonesian wording when the registry has it (runs recorded
    before it had: the English one)."""
    source = (lang == "id" and entry.get("source_id")) or entry.get("source")
    licence = (lang == "id" and entry.get("licence_id")) or entry.get("licence")
    parts = [f"{source} ({entry.get('file')})", f"{t('licence', lang)} {licence}"]
    if entry.get("date"):
        parts.append(str(entry["date"]))
    text = ", ".join(parts)
    return f"{text}: {t('approximate', lang).upper()}" if entry.get("approximate") else text


def source_entries(run: Mapping, lang: str) -> list[tuple[str, str]]:
    """(label, text) per input source of a run, then the model and run id; [] without provenance."""
    provenance = run.get("provenance") or {}
    entries = [(t(label, lang), describe_source(provenance[key], lang)) for key, label in KINDS
               if provenance.get(key)]  # fmt: skip
    if entries:
        model = provenance.get("model") or {}
        entries.append(
            (
                t("src_model", lang),
                f"{model.get('config_source')} {model.get('config_hash')} · {run.get('run_id')}",
            )
        )
    return entries


def source_line(run: Mapping, lang: str) -> str:
    """The short line under a map or figure: who published the boundaries, IDM and IKN, and how sure."""
    provenance = run.get("provenance") or {}
    parts = []
    for key, label in KINDS:
        entry = provenance.get(key)
        if entry and key != "names":
            short = str((lang == "id" and entry.get("source_id")) or entry.get("source", "")).split(" (")[0]
            licence = (lang == "id" and entry.get("licence_id")) or entry.get("licence")
            approximate = f" ({t('approximate', lang)})" if entry.get("approximate") else ""
            parts.append(f"{t(label, lang)}: {short}, {licence}{approximate}")
    return "; ".join(parts)


def gis_file_stem(region_code: str) -> str:
    """The GeoPackage's and the QGIS project's file name without its suffix: ``prioritas_64_01``."""
    return f"prioritas_{str(region_code).replace('.', '_')}"


def sources_document(run: Mapping, region_code: str, region_name: str) -> dict:
    """``data/SOURCES.json``: the run, its model and the source of every input, for the CSV and GeoJSON,
    the GeoPackage and the QGIS project."""
    provenance = dict(run.get("provenance") or {})
    stem = gis_file_stem(region_code)
    return {
        "region": {"code": region_code, "name": region_name},
        "run_id": str(run.get("run_id")),
        "finished_at": str(run.get("finished_at")) if run.get("finished_at") is not None else None,
        "model": provenance.pop(
            "model", {"config_source": run.get("config_source"), "config_hash": run.get("config_hash")}
        ),  # fmt: skip
        "sources": {key: provenance.get(key) for key, _ in KINDS},
        "files": [
            "priority_villages.csv",
            "priority_villages.geojson",
            "priority_districts.csv",
            "priority_districts.geojson",
            f"{stem}.gpkg",
            f"{stem}.qgz",
        ],  # fmt: skip
        "crs": "EPSG:4326 (longitude, latitude)",
    }
