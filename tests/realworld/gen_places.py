"""Places for generated worksheets: Paser's real districts and villages, villages of the regencies around
it, and points well inside a village.

Everything comes from the shipped data: ``geodata/sources/paser_places.csv`` (Paser's codes and names),
``geodata/sources/boundaries/paser_desa_kelurahan.geojson`` (the 144 village polygons, through
:mod:`tests.realworld.corpus`) and the province's Kemendagri code list (through
:func:`smartcity.reference.province.shipped_province_names`, the lookup the intake itself uses to tell a
place of another regency). Pure functions over cached tables; randomness only from the ``rng`` passed in.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache

import shapely
from shapely.prepared import prep

from smartcity.reference.province import shipped_province_names
from tests.realworld.corpus import BORDER_MARGIN, PLACES_CSV, _polygons, point_in

REGION = "64.01"
NEIGHBOURS = ("64.02", "64.07", "64.09", "64.71")  # Kutai Kartanegara, Kutai Barat, PPU, Balikpapan


@dataclass(frozen=True)
class Village:
    code: str  # 64.01.04.2012
    name: str
    kind: str  # desa | kelurahan
    district: str  # the district's code


@dataclass(frozen=True)
class District:
    code: str  # 64.01.04
    name: str


@cache
def villages() -> tuple[Village, ...]:
    """Paser's 144 villages, in code order."""
    with PLACES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kind"] in ("desa", "kelurahan")]
    return tuple(Village(r["code"], r["name"], r["kind"], r["district_code"]) for r in rows)


@cache
def districts() -> dict[str, District]:
    """Paser's 10 districts by code."""
    with PLACES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kind"] == "kecamatan"]
    return {r["code"]: District(r["code"], r["name"]) for r in rows}


@cache
def village_by_code() -> dict[str, Village]:
    return {v.code: v for v in villages()}


@cache
def shared_names() -> frozenset[str]:
    """Names of both a district and a village (Long Kali, Kuaro...): alone, a section row with one of
    them would not say which is meant, so it gets its 'Kecamatan' or 'Desa'/'Kelurahan' word."""
    return frozenset(d.name for d in districts().values()) & frozenset(v.name for v in villages())


@cache
def foreign_villages() -> tuple[tuple[str, str], ...]:
    """(name, regency name) of villages of the neighbouring regencies whose name is NOT also a name of
    Paser (no village or district of Paser answers to it): a row naming one, without a district, lies
    outside the region. Looked up with the product's own province lists, so "the same name" means what
    the intake means by it (case, prefixes, abbreviations and numerals do not count)."""
    province = shipped_province_names()
    found: dict[str, str] = {}
    for place in province.by_code.values():
        if place.level != "village" or place.regency_code not in NEIGHBOURS:
            continue
        if not province.outside(place.name, "village", REGION):
            continue  # also a village name of Paser
        if any(p.regency_code == REGION for p in province.named(place.name, "district")):
            continue  # a district name of Paser
        found.setdefault(place.name, place.regency_name)
    return tuple(sorted(found.items()))


@cache
def _inner(code: str) -> tuple[shapely.Geometry, object]:
    """The village polygon shrunk by the first inset that leaves something, and that shape prepared."""
    polygon = _polygons()[code]
    for inset in (0.01, 0.006, 0.004, 0.0025):
        inner = polygon.buffer(-inset)
        if not inner.is_empty:
            return inner, prep(inner)
    raise ValueError(f"{code} is too narrow for a point away from its border")


def point_inside(code: str, rng: random.Random) -> tuple[float, float]:
    """(lat, lon) to five decimals, drawn at random in village ``code`` at least BORDER_MARGIN (about
    220 m) from its border; corpus.point_in's fixed point when 200 draws miss (a thin village)."""
    polygon = _polygons()[code]
    inner, prepared = _inner(code)
    minx, miny, maxx, maxy = inner.bounds
    for _ in range(200):
        lon, lat = round(rng.uniform(minx, maxx), 5), round(rng.uniform(miny, maxy), 5)
        point = shapely.Point(lon, lat)
        if prepared.contains(point) and polygon.boundary.distance(point) >= BORDER_MARGIN:
            return lat, lon
    return point_in(village_by_code()[code].name)


def written_code(code: str, rng: random.Random) -> str | int:
    """A Kemendagri code as clerks type it: dotted, without dots, or as a number (a village's only)."""
    form = rng.random()
    if form < 0.6:
        return code
    bare = code.replace(".", "")
    return int(bare) if form < 0.8 and len(bare) == 10 else bare
