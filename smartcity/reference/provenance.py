"""Where a region's reference data came from: boundaries, attributes, district names and the IKN boundary.

The loader records the file of each load (``ref.boundary_load``: file, fingerprint, time, and the
attributes file in its report) and the IKN boundary its source (``ref.ikn_boundary.source``). This
module turns those into named sources with licence and date, from the shipped registry
``geodata/sources/provenance.csv`` (a file it does not know is "given by the user", licence unknown).
An approximate input (the shipped IKN boundary) says so: ``approximate`` is true.
"""

from __future__ import annotations

import csv
import fnmatch
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa

from smartcity.platform.paths import geodata_dir
from smartcity.platform.queries import query
from smartcity.reference.ikn import APPROXIMATE_SOURCE

SHIPPED_IKN_FILE = "ikn_approx.geojson"
CODE_LIST_FILE = "kaltim_wilayah_kemendagri_2025.csv"


@lru_cache(maxsize=1)
def _registry() -> tuple[dict[str, str], ...]:
    path = geodata_dir() / "sources" / "provenance.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def describe(file: str | None) -> dict | None:
    """The source of a file by its name: source, licence, date, approximate, and the source and licence in
    Indonesian (``source_id``, ``licence_id``) for the Indonesian pages and document (None for no file)."""
    if not file:
        return None
    name = Path(file).name
    for row in _registry():
        if fnmatch.fnmatchcase(name, row["file"]):
            return {"file": name, "source": row["source"], "licence": row["licence"], "date": row["date"],
                    "approximate": row["approximate"] == "yes", "source_id": row.get("source_id") or None,
                    "licence_id": row.get("licence_id") or None}  # fmt: skip
    return {
        "file": name,
        "source": "given by the user",
        "licence": "unknown",
        "date": None,
        "approximate": False,
        "source_id": "diberikan pengguna",
        "licence_id": "tidak diketahui",
    }


def ikn_source(source_text: str | None) -> dict | None:
    """The IKN boundary's source from ``ref.ikn_boundary.source``: the shipped approximation or a file."""
    if source_text is None:
        return None
    if source_text == APPROXIMATE_SOURCE:
        return {**describe(SHIPPED_IKN_FILE), "approximate": True}
    return describe(source_text)


def region_provenance(conn: sa.Connection, regency: str) -> dict:
    """Sources of a region's boundaries, attributes, district names and IKN boundary, as JSON-ready dicts."""
    load = conn.execute(query("reference", "last_boundary_load"), {"regency": regency}).mappings().first()
    boundaries = attributes = None
    if load is not None:
        boundaries = {**describe(load["source"]), "loaded_at": load["loaded_at"].isoformat(),
                      "sha256": load["sha256"]}  # fmt: skip
        attributes = describe(load["attributes"])
    ikn = ikn_source(conn.execute(query("reference", "ikn_source")).scalar())
    return {"boundaries": boundaries, "attributes": attributes, "names": describe(CODE_LIST_FILE), "ikn": ikn}
