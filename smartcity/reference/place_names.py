"""Official names of districts and regencies, which upstream village files do not carry.

Sources, weakest first (a later one wins): names already in the database, the boundary file's own
parent-name fields, the shipped Kemendagri code lists (``geodata/sources/tables/*_wilayah_kemendagri_*.csv``:
every district and regency of Kalimantan Timur), the hand-kept ``geodata/sources/*_places.csv``, and a
names CSV the user gives (``--names``). A district no source names gets a placeholder, with a warning
(see :func:`smartcity.reference.load`).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from smartcity.platform.errors import InputError
from smartcity.platform.paths import geodata_dir
from smartcity.platform.vocabulary import normalise_code

PARENT_LEVELS = {"kecamatan", "kabupaten_kota", "kabupaten", "kota"}
CODE_HEADERS = ("kode", "code", "kode_wilayah", "kode_kemendagri")
NAME_HEADERS = ("nama", "name", "nama_wilayah")


def regency_label(name: str) -> str:
    """A regency's name as the product shows it: ``Kabupaten Paser`` -> ``Paser``; a city keeps ``Kota``."""
    return re.sub(r"^kabupaten\s+", "", name.strip(), flags=re.IGNORECASE)


def code_list_names(path: Path) -> dict[str, str]:
    """District and regency names by dotted code from a Kemendagri code list (kode, nama, level)."""
    names: dict[str, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("level") in PARENT_LEVELS and row.get("nama"):
                code = row["kode"]
                names[code] = regency_label(row["nama"]) if code.count(".") == 1 else row["nama"].strip()
    return names


def places_names(path: Path) -> dict[str, str]:
    """District and regency names by code from a hand-kept ``*_places.csv`` (code, name, kind)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {r["code"]: r["name"] for r in csv.DictReader(handle) if r.get("kind") in PARENT_LEVELS}


def shipped_names() -> dict[str, str]:
    """Names from every code list and places table shipped in ``geodata/sources`` (places win)."""
    sources = geodata_dir() / "sources"
    names: dict[str, str] = {}
    for path in sorted((sources / "tables").glob("*_wilayah_kemendagri_*.csv")):
        names.update(code_list_names(path))
    for path in sorted(sources.glob("*_places.csv")):
        names.update(places_names(path))
    return names


def read_names(path: Path) -> dict[str, str]:
    """Names by dotted code from a user's CSV (columns kode/code and nama/name; any separator)."""
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{path.name}: cannot be read as CSV: {exc}") from None
    by_key = {c.strip().lower(): c for c in table.columns}
    code = next((by_key[h] for h in CODE_HEADERS if h in by_key), None)
    name = next((by_key[h] for h in NAME_HEADERS if h in by_key), None)
    if code is None or name is None:
        raise InputError(f"{path.name}: needs a code column (kode) and a name column (nama)")
    names: dict[str, str] = {}
    for row, (raw_code, raw_name) in enumerate(zip(table[code], table[name], strict=True), start=2):
        dotted = normalise_code(raw_code)
        if dotted is None:
            raise InputError(f"{path.name}: row {row}, column {code}: {raw_code!r} is not a region code")
        if isinstance(raw_name, str) and raw_name.strip():
            names[dotted] = regency_label(raw_name) if dotted.count(".") == 1 else raw_name.strip()
    return names
