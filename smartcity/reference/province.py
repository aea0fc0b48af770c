"""Every district and village of the province, by name and code, from the shipped Kemendagri code lists.

The intake places a worksheet's rows in one regency, but agencies also write places of the regencies
around it (IKN's Sepaku is in Penajam Paser Utara, next to Paser), and a name of another regency can be
one letter away from a name of ours. So, before any similarity is tried, a typed name or code is looked
up here exactly: a place that exists elsewhere in the province is *outside*, named with its regency
("Sebakung Jaya: desa di Kabupaten Penajam Paser Utara"), and never fuzzy-matched into the region.

Names are compared by the keys of :mod:`smartcity.reference.gazetteer` (case, prefixes, abbreviations,
roman numerals and spaces do not count). The lists are ``geodata/sources/tables/*_wilayah_kemendagri_*.csv``
(all of Kalimantan Timur ships); another province's list dropped there is read too.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from smartcity.platform.paths import geodata_dir
from smartcity.reference.gazetteer import aliases_for, name_keys
from smartcity.reference.place_names import regency_label

LEVELS = {"kecamatan": "district", "desa_kelurahan": "village"}


@dataclass(frozen=True)
class ProvincePlace:
    """A district or village of the province as the code list gives it."""

    code: str
    name: str
    level: str  # district or village
    regency_code: str
    regency_name: str  # as the product shows it: "Penajam Paser Utara", "Kota Balikpapan"
    district_name: str | None  # a village's district

    def described(self) -> str:
        """'desa di Kecamatan Sepaku, Kabupaten Penajam Paser Utara' (Indonesian, for agencies)."""
        regency = (
            self.regency_name if self.regency_name.startswith("Kota ") else f"Kabupaten {self.regency_name}"
        )
        if self.level == "district":
            return f"kecamatan di {regency}"
        return f"desa/kelurahan di Kecamatan {self.district_name}, {regency}"


@dataclass(frozen=True)
class ProvinceNames:
    """Lookups over the province's places: by name key and level, and by code."""

    by_key: dict[tuple[str, str], tuple[ProvincePlace, ...]]
    by_code: dict[str, ProvincePlace]
    regencies: dict[str, str]  # code -> name as the product shows it

    def named(self, typed: object, level: str) -> tuple[ProvincePlace, ...]:
        """The places of ``level`` (district or village) whose name the typed text is, exactly."""
        found: dict[str, ProvincePlace] = {}
        for alias in aliases_for(str(typed)) if typed is not None else ():
            for key in name_keys(alias):
                for place in self.by_key.get((level, key), ()):
                    found[place.code] = place
        return tuple(found[c] for c in sorted(found))

    def outside(self, typed: object, level: str, region_code: str) -> tuple[ProvincePlace, ...]:
        """The places of that name in other regencies of the province (empty when the name is not one
        or is also a name of the region: then the region's own place is meant)."""
        places = self.named(typed, level)
        if any(p.regency_code == region_code for p in places):
            return ()
        return places


def read_code_list(paths: list[Path]) -> ProvinceNames:
    """Districts and villages of these Kemendagri code lists (kode, nama, level, parent_kode)."""
    rows: list[dict[str, str]] = []
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows += list(csv.DictReader(handle))
    names = {r["kode"]: r["nama"].strip() for r in rows}
    regencies = {r["kode"]: regency_label(r["nama"]) for r in rows if r["kode"].count(".") == 1}
    by_key: dict[tuple[str, str], list[ProvincePlace]] = {}
    by_code: dict[str, ProvincePlace] = {}
    for row in rows:
        level = LEVELS.get(row.get("level", ""))
        if level is None:
            continue
        code = row["kode"]
        place = ProvincePlace(
            code=code, name=row["nama"].strip(), level=level, regency_code=code[:5],
            regency_name=regencies.get(code[:5], code[:5]),
            district_name=names.get(code[:8]) if level == "village" else None,
        )  # fmt: skip
        by_code[code] = place
        for alias in aliases_for(place.name):
            for key in name_keys(alias):
                by_key.setdefault((level, key), []).append(place)
    return ProvinceNames({k: tuple(v) for k, v in by_key.items()}, by_code, regencies)


@lru_cache(maxsize=1)
def shipped_province_names() -> ProvinceNames:
    """The province's places from every code list shipped in ``geodata/sources/tables``."""
    return read_code_list(sorted((geodata_dir() / "sources" / "tables").glob("*_wilayah_kemendagri_*.csv")))


def regency_facts(code: str) -> dict:
    """A regency's official name, area and population from the shipped code lists (``{}`` when it is not
    in them): ``{"name": "Kabupaten Paser", "area_km2": 10780.677, "area_source": "BIG 2024",
    "population": 309667, "population_year": 2025, "source": <file>}``. The columns say their source and
    year (``luas_km2_big2024``, ``penduduk_total_2025``)."""
    for path in sorted((geodata_dir() / "sources" / "tables").glob("*_wilayah_kemendagri_*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("kode") != code:
                    continue
                facts: dict = {"name": row["nama"].strip(), "source": path.name}
                for column, value in row.items():
                    if not value or not column:
                        continue
                    if column.startswith("luas_km2"):
                        facts["area_km2"] = float(value)
                        facts["area_source"] = column.removeprefix("luas_km2_").upper().replace("BIG", "BIG ")
                    elif column.startswith("penduduk_total"):
                        facts["population"] = int(float(value))
                        facts["population_year"] = int(column.rsplit("_", 1)[-1])
                return facts
    return {}
