"""A worksheet's one-cell location column (``Lokasi``, ``Alamat``, ``Titik Koordinat``, ``Link Lokasi``)
merged into the validated rows, before matching.

:func:`smartcity.intake.locate.locations.parse_location` says what a cell holds; this module decides how it
combines with the row's own location columns (code, latitude/longitude, district, village):

- A row with none of its own location columns filled takes everything from the cell: its point, its
  names, and what the cell says beyond them (``location_flag``): ``regency`` (the whole regency),
  ``several_districts`` (two or more districts: one row, one place), ``several_villages`` (the
  matcher places the row in their district when they share one), ``link_unreadable`` (a short map link
  that cannot be read offline), ``other_regency`` or ``unreadable_location``.
- A row with some of its own columns takes from the cell only what it lacks: a point when it has no
  coordinates (the point then wins over its names, and the matcher warns when they disagree), names
  when it has neither a district nor a village, a village when it has only a district. What the cell
  says beyond that is not used: the row's own columns are the agency's statement.

Each distinct cell is parsed once; a million rows with 20,000 distinct cells take about a second.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from smartcity.intake.locate.locations import ParsedLocation, parse_location


def utm_epsg_for(lon: float, lat: float) -> int:
    """The WGS 84 / UTM zone EPSG code of a point: where a GPS without a zone letter was used (32750 for
    Paser, zone 50 south)."""
    zone = int((lon + 180) // 6) % 60 + 1
    return (32700 if lat < 0 else 32600) + zone


_LIST = re.compile(r"\s*(?:[,;/&+]|\bdan\b|\bserta\b)\s*", re.IGNORECASE)
_ALL_VILLAGES = re.compile(r"^(?:semua|seluruh|segenap)\s+(?:desa|kelurahan|kampung)\b", re.IGNORECASE)


def merge_location_cells(
    rows: pd.DataFrame, cells: np.ndarray | None, *, regency_names: tuple[str, ...], utm_epsg: int
) -> pd.DataFrame:
    """``rows`` (as :func:`smartcity.intake.answer.validation.validate_rows` makes them) with the location
    cells merged in, and three columns for the matcher: ``location_flag``, ``location_text`` (the cell,
    for messages) and ``location_villages`` (the village names of a several_villages cell).

    The district and village columns are read the same way first (:func:`_name_cells`): "Semua
    Kecamatan" or "Kabupaten Paser" in the district column is the regency, "Kuaro, Long Ikis" two
    districts, "Janju, Jone" in the village column several villages, "Semua desa" no village."""
    n = len(rows)
    verdicts = _name_verdicts(rows, regency_names)
    if cells is None and not verdicts:
        return rows  # the usual worksheet: nothing to merge, no copy
    rows = rows.copy()
    flag = np.full(n, None, dtype=object)
    text = np.full(n, None, dtype=object)
    villages_many = np.full(n, None, dtype=object)
    _name_cells(rows, verdicts, flag, text, villages_many)
    if cells is not None and n:
        ids, uniques = pd.factorize(np.asarray(cells, dtype=object))
        parsed = [parse_location(u, regency_names=regency_names, utm_epsg=utm_epsg) for u in uniques]
        if parsed:
            _merge(rows, ids, list(uniques), parsed, flag, text, villages_many)
    rows["location_flag"] = pd.Series(flag, index=rows.index, dtype=object)
    rows["location_text"] = pd.Series(text, index=rows.index, dtype=object)
    rows["location_villages"] = pd.Series(villages_many, index=rows.index, dtype=object)
    return rows


def _name_verdicts(rows: pd.DataFrame, regency_names: tuple[str, ...]) -> dict[str, tuple]:
    """Per name column whose cells say more than one name (a list, the regency, "semua desa"): the
    distinct cells' positions, the cells and a verdict per cell (None: a plain name)."""
    found = {}
    for column in ("district", "village"):
        ids, uniques = pd.factorize(rows[column].to_numpy(object))
        verdicts = [_name_cell(column, str(u), regency_names) for u in uniques]
        if any(verdicts):
            found[column] = (ids, uniques, verdicts)
    return found


def _name_cells(rows: pd.DataFrame, found: dict[str, tuple], flag, text, villages_many) -> None:
    """The district and village columns when they hold more than one name: a list of districts is
    ``several_districts``, a list of villages ``several_villages`` (the names go to the matcher), the
    regency named in the district column (with no village) is ``regency``, "semua desa" is no village."""
    villages = rows["village"].to_numpy(object)  # as written: the village column is cleared below
    for column, (ids, uniques, verdicts) in found.items():
        cleared = rows[column].to_numpy(object).copy()
        for k, verdict in enumerate(verdicts):
            if verdict is None:
                continue
            at = np.flatnonzero(ids == k)
            kind, parts = verdict
            if kind == "regency":
                at = at[pd.isna(villages[at])]
            cleared[at] = None
            if kind in ("regency", "several_districts", "several_villages"):
                flag[at] = kind
                text[at] = str(uniques[k])
            if kind == "several_villages":
                for i in at.tolist():
                    villages_many[i] = parts
        rows[column] = pd.Series(cleared, index=rows.index, dtype=object)


def _name_cell(column: str, value: str, regency_names: tuple[str, ...]) -> tuple[str, tuple] | None:
    stripped = value.strip()
    if column == "village" and _ALL_VILLAGES.match(stripped):
        return "all_villages", ()
    parts = tuple(p for p in _LIST.split(stripped) if p and p.strip(" .-"))
    if len(parts) > 1:
        return ("several_districts" if column == "district" else "several_villages"), parts
    if column == "district" and parse_location(stripped, regency_names=regency_names).kind == "regency":
        return "regency", ()
    return None


def _merge(rows, ids, uniques, parsed: list[ParsedLocation], flag, text, villages_many) -> None:
    present = ids >= 0
    lat, lon = rows["lat"].to_numpy(float).copy(), rows["lon"].to_numpy(float).copy()
    district = rows["district"].to_numpy(object).copy()
    village = rows["village"].to_numpy(object).copy()
    code_raw = rows["code_raw"].to_numpy(object)
    has_point = np.isfinite(lat) & np.isfinite(lon)
    has_code = pd.notna(code_raw)
    has_district, has_village = pd.notna(district), pd.notna(village)
    own = has_code | has_point | has_district | has_village
    # per distinct cell, then spread
    u_lat = np.array([p.lat if p.kind == "point" else np.nan for p in parsed], dtype=float)
    u_lon = np.array([p.lon if p.kind == "point" else np.nan for p in parsed], dtype=float)
    u_district = np.array([_district_of(p) for p in parsed] + [None], dtype=object)
    u_village = np.array([_village_of(p) for p in parsed] + [None], dtype=object)
    u_flag = np.array([_flag_of(p) for p in parsed] + [None], dtype=object)
    u_many = np.empty(len(parsed) + 1, dtype=object)
    u_many[:] = [p.villages if len(p.villages) > 1 else None for p in parsed] + [None]
    u_text = np.array([*uniques, None], dtype=object)
    at = np.where(present, ids, len(parsed))  # the last entry: an empty cell
    # a point from the cell where the row has none
    take_point = present & ~has_point & np.isfinite(np.append(u_lat, np.nan)[at])
    lat[take_point], lon[take_point] = (
        np.append(u_lat, np.nan)[at][take_point],
        np.append(u_lon, np.nan)[at][take_point],
    )
    # names where the row has none; a village where it has only the district
    names = present & ~has_district & ~has_village
    district[names] = u_district[at][names]
    village[names] = u_village[at][names]
    # a bare name ("Long Kali": a district's, and its seat's, name): the matcher reads a district first
    u_bare = np.array([bool(p.bare and not p.villages and not p.districts) for p in parsed] + [False])
    rows["location_bare"] = names & u_bare[at]
    only_district = present & has_district & ~has_village
    village[only_district] = u_village[at][only_district]
    # what else the cell says, for rows whose location is the cell alone
    alone = present & ~own & pd.isna(flag)
    flag[alone] = u_flag[at][alone]
    villages_many[alone] = u_many[at][alone]
    text[present] = u_text[at][present]
    rows["lat"], rows["lon"] = lat, lon
    rows["district"] = pd.Series(district, index=rows.index, dtype=object)
    rows["village"] = pd.Series(village, index=rows.index, dtype=object)


def _district_of(p: ParsedLocation) -> str | None:
    return p.districts[0] if len(p.districts) == 1 else None


def _village_of(p: ParsedLocation) -> str | None:
    if len(p.villages) == 1 and not p.all_villages:
        return p.villages[0]
    if p.bare and not p.villages and not p.districts:
        return p.bare  # a village or a district: the matcher tries both
    return None


def _flag_of(p: ParsedLocation) -> str | None:
    if p.kind == "regency":
        return "regency"
    if p.kind == "link_unreadable":
        return "link_unreadable"
    if p.kind == "unreadable":
        return "other_regency" if p.form == "other_regency" else "unreadable_location"
    if len(p.districts) > 1:
        return "several_districts"
    if len(p.villages) > 1 and not p.all_villages:
        return "several_villages"
    return None
