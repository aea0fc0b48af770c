"""Where each worksheet row is: its code, its point, or its typed names, matched to the gazetteer.

Rules, in order (the first that places a row wins; location_method says which):

1. ``code``: a village code of the region gives the village and its district, a district code the
   district (score 1.0). A code that is not of the region is a warning (``ignored_code``) when a later
   rule places the row, and blocking (``unknown_code``) when nothing does.
2. ``point``: valid coordinates inside a village polygon give that village (score 1.0) and are kept as
   point_lon/point_lat. Coordinates must lie in the region whatever else the row says: a point outside
   every village is blocking (``swapped_coordinates`` when (lat, lon) read the other way round falls in
   the region, else ``outside_region``), with no fall-back to names: a wrong point must be fixed.
   A point on a border shared by villages goes to the lowest village code.
3. ``name``: the district is resolved first (exact alias, then similarity), then the village among THAT
   district's villages only (exact alias, then similarity). A village named exactly but lying in
   another district keeps the row at the named district's level (``village_in_other_district``).
   Without a district, a village alias must be unique in the region (else ``ambiguous_village``).
   A village that cannot be found in a known district keeps the row at that district's level with a
   warning (``village_not_found``), as the issue's order asks (name, then district only): the row is
   placeable, and the warning (yellow in the agency's feedback file) still shows the spelling to fix.
   Without a district, a village that cannot be found is blocking (``unknown_village``).
4. ``district``: a district alone gives the district level (score 1.0, or the similarity score).
5. Otherwise ``unknown_district`` (district text not found) or ``no_location`` (nothing given).
   District text that names the regency itself ("Kabupaten Paser") counts as no district.

Names are compared after :func:`~smartcity.reference.gazetteer.normalise_name` (case, spaces, prefixes,
Sei/Tg/Kp abbreviations and roman numerals do not count) by their space-free key, so 'Tanahgrogot',
'Long  Ikis' and 'MuaraAdangII' match exactly. Village text starting with 'Kampung'/'Kp.' is tried as
typed, then without that word (Kampung Baru is a real name elsewhere; Paser has no Kampung name).

Similarity is the Levenshtein distance between space-free keys (rapidfuzz, with a score cutoff): at most
1 edit for keys of 4 to 7 characters, 2 from 8 on, none under 4 (FUZZY_EDITS), counted on the shorter
of the two keys; the nearest place must be unique, the next one needing at least one more edit
(FUZZY_MARGIN), and names with figures only match names with the same figures ('Muara Adang' is never
a typo of 'Muara Adang II'). A ratio threshold does not work for short names ('Lori'/'Lory' is 75 with
``fuzz.ratio``, 'Mendik'/'Mendek' 83), while an edit count does. Measured on Paser (144 villages, 10
districts, with the shipped aliases): no two villages of one district, and no two districts, are within
the rule of each other; across the region 3 pairs are (Luan/Lusan 1 edit, Adang Jaya/Padang Jaya 1,
Muara Adang/Muara Payang 2), which the exact match and the margin keep apart. Of all 74,186 one-letter
substitutions, deletions and insertions of the village names as written, none lands on a wrong
village, with or without the district; 535 are refused with it (typos of the 3-letter Uko and Biu,
of the numeral of Muara Adang II, and 4-letter names cut to 3), and all 5,774 of the district names
land right. Of 19,541 random two-edit typos of names of 8+ characters none goes wrong within the
district, and 14 (0.07%) do without it ('aang jaya' is one edit from Adang Jaya, two from Padang Jaya).
The reported score is ``fuzz.ratio`` of the two keys / 100 (0.75 for 'lory' -> 'lori'); an exact alias
anywhere always beats similarity. ``match_places(fuzzy_threshold=...)`` no longer sets a ratio: 100 or
more turns similarity off, anything lower leaves the edit rule in charge.

Speed: codes are looked up once per distinct code, names once per distinct (district, village) pair,
and points village by village over x-sorted coordinates (bounding-box slice, then a prepared
``intersects_xy``). That replaces one ``STRtree.query`` of all points: building a shapely Point per row
costs more than the whole prepared test (0.2 s against 0.1 s for 200,000 points on Paser's 144 desa).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from smartcity.intake.answer.reasons import Reason
from smartcity.intake.locate.locations import village_spellings
from smartcity.platform.vocabulary import broken_code, normalise_code
from smartcity.reference.gazetteer import aliases_for, name_keys, normalise_name
from smartcity.reference.province import ProvincePlace, shipped_province_names

# A typed name may be this many edits (Levenshtein, on space-free keys) from an official one: 2 from 8
# characters on, 1 from 4 to 7, none below 4 (see the module docstring for the measurements).
FUZZY_EDITS = ((8, 2), (4, 1))
FUZZY_MARGIN = 1  # ... and the next place must need at least this many more edits

_SAYS_DISTRICT = re.compile(r"\s*(kecamatan|kec)\b", re.IGNORECASE)


@dataclass(eq=False)
class Gazetteer:
    """The places of one regency: districts, village polygons and the aliases people type."""

    region_code: str  # e.g. "64.01"
    districts: pd.DataFrame  # code, name
    villages: gpd.GeoDataFrame  # code, name, district_code, geometry (EPSG:4326)
    aliases: pd.DataFrame  # alias (normalised), level ('regency'|'district'|'village'), code

    @classmethod
    def from_frames(
        cls,
        region_code: str,
        districts: pd.DataFrame,
        villages: gpd.GeoDataFrame,
        extra_aliases: pd.DataFrame | None = None,
        *,
        regency_name: str | None = None,
    ) -> Gazetteer:
        """Build from plain frames, with aliases as the reference loader makes them (names + variants)."""
        extra: dict[tuple[str, str], list[str]] = {}
        if extra_aliases is not None:
            for level, code, alias in extra_aliases[["level", "code", "alias"]].itertuples(index=False):
                extra.setdefault((level, code), []).append(alias)
        names = [("regency", region_code, regency_name or "")]
        names += [("district", c, n) for c, n in zip(districts["code"], districts["name"], strict=True)]
        names += [("village", c, n) for c, n in zip(villages["code"], villages["name"], strict=True)]
        rows = [
            (alias, level, code)
            for level, code, name in names
            for alias in sorted(aliases_for(name, extra.get((level, code), ())))
        ]
        return cls(
            region_code=region_code,
            districts=districts[["code", "name"]].reset_index(drop=True),
            villages=villages[["code", "name", "district_code", "geometry"]].reset_index(drop=True),
            aliases=pd.DataFrame(rows, columns=["alias", "level", "code"]),
        )

    @cached_property
    def region(self) -> shapely.Geometry:
        """The union of the village polygons (prepared), for telling swapped points from far ones."""
        region = shapely.union_all(self._lookup.geometries)
        shapely.prepare(region)
        return region

    @cached_property
    def regency_names(self) -> tuple[str, ...]:
        """The regency's names as people write them (normalised): "Kab. Paser" in a location cell is the
        whole regency, "Kab. Kutai Barat" another one."""
        return tuple(sorted(self._lookup.regency_aliases))

    @cached_property
    def utm_epsg(self) -> int:
        """The UTM zone of the regency (EPSG), for GPS coordinates written without their zone."""
        from smartcity.intake.locate.location_cell import utm_epsg_for

        point = self.region.representative_point()
        return utm_epsg_for(point.x, point.y)

    @cached_property
    def _lookup(self) -> _Lookup:
        return _Lookup.build(self)


@dataclass
class _Lookup:
    """Dictionaries and arrays derived once from a Gazetteer."""

    village_district: dict[str, str]
    village_name: dict[str, str]
    district_name: dict[str, str]
    regency_aliases: set[str]
    district_aliases: dict[str, set[str]]  # alias -> district codes
    village_aliases: dict[str, set[str]]  # alias -> village codes (all districts)
    village_codes: np.ndarray  # in code order, as geometries
    geometries: np.ndarray  # prepared polygons
    bounds: np.ndarray  # (n, 4) xmin, ymin, xmax, ymax
    in_district: dict[str, dict[str, set[str]]]  # district -> alias -> village codes
    region_code: str = ""
    outside: dict[tuple[str, str], tuple[ProvincePlace, ...]] = field(default_factory=dict)  # (level, key)
    outside_codes: dict[str, ProvincePlace] = field(default_factory=dict)

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> _Lookup:
        villages = gazetteer.villages
        if villages.crs is not None and villages.crs.to_epsg() != 4326:
            villages = villages.to_crs(4326)
        villages = villages.sort_values("code")
        village_district = dict(zip(villages["code"], villages["district_code"], strict=True))
        district_name = dict(zip(gazetteer.districts["code"], gazetteer.districts["name"], strict=True))
        by_level: dict[str, dict[str, set[str]]] = {"regency": {}, "district": {}, "village": {}}
        official = [("district", c, n) for c, n in district_name.items()]
        official += [("village", c, n) for c, n in zip(villages["code"], villages["name"], strict=True)]
        known = {"regency": {gazetteer.region_code}, "district": district_name, "village": village_district}
        for alias, level, code in [
            *gazetteer.aliases[["alias", "level", "code"]].itertuples(index=False),
            *((n, level, c) for level, c, n in official),
        ]:
            if code not in known.get(level, ()):  # aliases of other regions are left out
                continue
            # normalised again: an older reference load may hold an older normalisation; every alias is
            # also kept as its space-free keys, which is what _Names looks up ('longikis', 'muaraadang2')
            alias = normalise_name(alias)
            for key in {alias, *name_keys(alias)} - {""}:
                by_level[level].setdefault(key, set()).add(code)
        in_district: dict[str, dict[str, set[str]]] = {code: {} for code in district_name}
        for alias, codes in by_level["village"].items():
            for code in codes:
                in_district.setdefault(village_district[code], {}).setdefault(alias, set()).add(code)
        geometries = np.asarray(villages.geometry.values, dtype=object)
        shapely.prepare(geometries)
        return cls(
            village_district=village_district,
            village_name=dict(zip(villages["code"], villages["name"], strict=True)),
            district_name=district_name,
            regency_aliases=set(by_level["regency"]),
            district_aliases=by_level["district"],
            village_aliases=by_level["village"],
            village_codes=villages["code"].to_numpy(object),
            geometries=geometries,
            bounds=shapely.bounds(geometries),
            in_district=in_district,
            region_code=gazetteer.region_code,
            **_outside_places(gazetteer.region_code),
        )


def _outside_places(region_code: str) -> dict:
    """The province's districts and villages outside the region, by (level, name key) and by code."""
    province = shipped_province_names()
    outside = {
        key: tuple(p for p in places if p.regency_code != region_code)
        for key, places in province.by_key.items()
        if any(p.regency_code != region_code for p in places)
    }
    codes = {c: p for c, p in province.by_code.items() if p.regency_code != region_code}
    return {"outside": outside, "outside_codes": codes}


@dataclass
class _Place:
    """Where one distinct (district, village) text pair lands."""

    district_code: str | None = None
    village_code: str | None = None
    method: str | None = None
    score: float = np.nan
    reasons: tuple[Reason, ...] = ()

    @property
    def blocked(self) -> bool:
        return any(r.blocking for r in self.reasons)


class _Found:
    """The output columns being filled, plus the reasons to append (only for the rows that get one)."""

    def __init__(self, n: int) -> None:
        self.district = np.full(n, None, dtype=object)
        self.village = np.full(n, None, dtype=object)
        self.method = np.full(n, None, dtype=object)
        self.score = np.full(n, np.nan)
        self.point_lon = np.full(n, np.nan)
        self.point_lat = np.full(n, np.nan)
        self.blocked = np.zeros(n, dtype=bool)
        self.extra: dict[int, list[Reason]] = {}

    def place(self, pos: np.ndarray | int, district, village, method, score) -> None:
        self.district[pos], self.village[pos], self.method[pos] = district, village, method
        self.score[pos] = score

    def add(self, pos: int, *reasons: Reason) -> None:
        self.extra.setdefault(int(pos), []).extend(reasons)
        if any(r.blocking for r in reasons):
            self.blocked[pos] = True
            self.place(pos, None, None, None, np.nan)


def match_places(
    rows: pd.DataFrame,
    gazetteer: Gazetteer,
    *,
    fuzzy_threshold: float = 90.0,
    location_column: str | None = None,
) -> pd.DataFrame:
    """Add district_code, village_code, location_method/score and point_lon/lat; explain failures.

    ``rows`` may carry what a one-cell location column said beyond names and a point (the columns of
    :func:`smartcity.intake.locate.location_cell.merge_location_cells`, named ``location_column`` in
    messages): see :func:`_match_flags`."""
    found = _Found(len(rows))
    lookup = gazetteer._lookup
    # 1. codes, once per distinct code
    known_code = _match_codes(rows["code"].to_numpy(object), lookup, found)
    # 2. points: every row with coordinates (they must lie in the region)
    has_point = _match_points(rows["lon"].to_numpy(float), rows["lat"].to_numpy(float), gazetteer, found)
    # 3-4. names, once per distinct (district, village) pair, for rows with no known code and no point
    todo = np.flatnonzero((found.method == None) & ~has_point)  # noqa: E711 (element-wise)
    districts, villages = rows["district"].to_numpy(object), rows["village"].to_numpy(object)
    if "location_bare" in rows.columns:
        districts, villages = _bare_districts(
            districts, villages, rows["location_bare"].to_numpy(bool), lookup
        )
    _match_names(districts[todo], villages[todo], todo, lookup, fuzzy_threshold, found)
    _check_point_names(districts, villages, lookup, fuzzy_threshold, found)
    # what a location cell said beyond names and a point: the regency, several places, a bad link
    if "location_flag" in rows.columns:
        _match_flags(rows, lookup, fuzzy_threshold, found, location_column)
    # 5. what is left: a bad code, or nothing at all
    _explain_unplaced(rows["code_raw"].to_numpy(object), known_code, found, lookup)
    return _with_columns(rows, found)


def _check_point_names(districts, villages, lookup: _Lookup, threshold: float, found: _Found) -> None:
    """A row placed by its point that also names a place elsewhere keeps the point, with a warning that
    names both (``point_name_mismatch``); a name that matches nothing says nothing here."""
    by_point = found.method == "point"
    named = by_point & (pd.notna(districts) | pd.notna(villages))
    rows = np.flatnonzero(named)
    if not len(rows):
        return
    names = _Names(lookup, threshold)
    resolved: dict[tuple, _Place] = {}
    for row in rows.tolist():
        key = (districts[row], villages[row])
        if key not in resolved:
            resolved[key] = names.resolve(*key)
        place = resolved[key]
        if place.blocked or place.method is None:
            continue
        point_village, point_district = found.village[row], found.district[row]
        if place.village_code and place.village_code != point_village:
            named_as = lookup.village_name[place.village_code]
        elif not place.village_code and place.district_code and place.district_code != point_district:
            named_as = lookup.district_name[place.district_code]
        else:
            continue
        shown = lookup.village_name.get(point_village) or lookup.district_name.get(point_district)
        found.add(row, Reason("point_name_mismatch", "lat/lon", f"titik di {shown}, nama {named_as}"))


def _match_flags(
    rows: pd.DataFrame, lookup: _Lookup, threshold: float, found: _Found, column: str | None
) -> None:
    """Rows whose location is a one-cell location alone, for what the cell said beyond a point and names:

    - ``regency``: the whole regency: placed at the regency's level (no district, no village), when
      nothing else placed the row;
    - ``several_villages``: each village is looked up (in the district the cell names, if any); when
      they lie in one district the row is placed there with a warning, in several it is refused as
      ``several_districts``, and when none is found the row stays as the names left it;
    - ``several_districts``, ``other_regency``: refused; ``link_unreadable``, ``unreadable_location``:
      refused when nothing else placed the row.
    """
    flags = rows["location_flag"].to_numpy(object)
    texts = rows["location_text"].to_numpy(object)
    many = rows["location_villages"].to_numpy(object)
    districts = rows["district"].to_numpy(object)
    names = _Names(lookup, threshold)
    for row in np.flatnonzero(pd.notna(flags)).tolist():
        flag, text = flags[row], str(texts[row])
        unplaced = found.method[row] is None and not found.blocked[row]
        if flag == "regency" and unplaced:
            found.place(row, None, None, "regency", 1.0)
        elif flag in ("several_districts", "other_regency"):
            found.extra.pop(row, None)  # what the names said of part of the cell no longer matters
            found.blocked[row] = False
            found.add(row, Reason(flag, column, text))
        elif flag == "several_villages":
            places = [names.resolve(districts[row], village) for village in many[row]]
            codes = {p.district_code for p in places if p.district_code and not p.blocked}
            if len(codes) > 1:
                found.extra.pop(row, None)
                found.add(row, Reason("several_districts", column, text))
            elif len(codes) == 1:
                (district,) = codes
                found.extra.pop(row, None)
                found.blocked[row] = False
                found.place(row, district, None, "district", 1.0)
                found.add(row, Reason("several_villages", column, text))
        elif flag in ("link_unreadable", "unreadable_location") and unplaced:
            found.add(row, Reason(flag, column, text))


def _match_codes(codes: np.ndarray, lookup: _Lookup, found: _Found) -> np.ndarray:
    ids, uniques = pd.factorize(codes)
    district = [lookup.village_district.get(c, c if c in lookup.district_name else None) for c in uniques]
    village = [c if c in lookup.village_district else None for c in uniques]
    district, village = np.array([*district, None], object)[ids], np.array([*village, None], object)[ids]
    pos = np.flatnonzero(district != None)  # noqa: E711 (element-wise)
    found.place(pos, district[pos], village[pos], "code", 1.0)
    return district != None  # noqa: E711 (element-wise)


def _match_points(lon: np.ndarray, lat: np.ndarray, gazetteer: Gazetteer, found: _Found) -> np.ndarray:
    has_point = np.isfinite(lon) & np.isfinite(lat)
    pos = np.flatnonzero(has_point)
    lookup = gazetteer._lookup
    village_pos = _locate(lookup, lon[pos], lat[pos])
    inside = village_pos >= 0
    found.point_lon[pos[inside]], found.point_lat[pos[inside]] = lon[pos[inside]], lat[pos[inside]]
    unplaced = found.method[pos[inside]] == None  # noqa: E711 (element-wise)
    target, village = pos[inside][unplaced], lookup.village_codes[village_pos[inside][unplaced]]
    district = np.array([lookup.village_district[c] for c in village], dtype=object)
    found.place(target, district, village, "point", 1.0)
    outside = pos[~inside]
    swapped = shapely.intersects_xy(gazetteer.region, lat[outside], lon[outside]) if len(outside) else []
    for row, is_swapped in zip(outside, swapped, strict=True):
        code = "swapped_coordinates" if is_swapped else "outside_region"
        found.add(row, Reason(code, "lat/lon", f"{lat[row]}, {lon[row]}"))
    return has_point


def _locate(lookup: _Lookup, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Position (in code order) of the village holding each point, or -1; first code wins on borders."""
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    hit = np.full(len(x), -1, dtype=np.intp)
    starts = np.searchsorted(xs, lookup.bounds[:, 0], side="left")
    stops = np.searchsorted(xs, lookup.bounds[:, 2], side="right")
    for k, (geometry, (_, ymin, _, ymax)) in enumerate(zip(lookup.geometries, lookup.bounds, strict=True)):
        lo, hi = starts[k], stops[k]
        band = ys[lo:hi]
        cand = lo + np.flatnonzero((band >= ymin) & (band <= ymax) & (hit[lo:hi] < 0))
        if len(cand):
            hit[cand[shapely.intersects_xy(geometry, xs[cand], ys[cand])]] = k
    located = np.empty_like(hit)
    located[order] = hit
    return located


def _bare_districts(districts, villages, bare: np.ndarray, lookup: _Lookup) -> tuple[np.ndarray, np.ndarray]:
    """A location cell that is a bare name which is a district's ("Long Kali", "Kuaro") names the
    district, not the village of the same name (its seat): read at the district's level, a row is never
    placed in a village it may not be about."""
    if not bare.any():
        return districts, villages
    districts, villages = districts.copy(), villages.copy()
    for i in np.flatnonzero(bare).tolist():
        keys = _Names._keys(_text(villages[i]))
        if keys and any(key in lookup.district_aliases for key in keys):
            districts[i], villages[i] = villages[i], None
    return districts, villages


def _match_names(districts, villages, pos, lookup: _Lookup, threshold: float, found: _Found) -> None:
    if not len(pos):
        return
    d_ids, d_uniques = pd.factorize(districts)
    v_ids, v_uniques = pd.factorize(villages)
    width = len(v_uniques) + 1
    pair_ids, pairs = pd.factorize((d_ids.astype(np.int64) + 1) * width + (v_ids + 1))
    names = _Names(lookup, threshold)
    places = [
        names.resolve(
            d_uniques[k // width - 1] if k // width else None, v_uniques[k % width - 1] if k % width else None
        )
        for k in pairs
    ]
    for attr, target in (("district_code", found.district), ("village_code", found.village),
                         ("method", found.method)):  # fmt: skip
        target[pos] = np.array([getattr(p, attr) for p in places], dtype=object)[pair_ids]
    found.score[pos] = np.array([p.score for p in places], dtype=float)[pair_ids]
    found.blocked[pos] = np.array([p.blocked for p in places], dtype=bool)[pair_ids]
    has_reasons = np.array([bool(p.reasons) for p in places], dtype=bool)[pair_ids]
    for row, pair in zip(pos[has_reasons].tolist(), pair_ids[has_reasons].tolist(), strict=True):
        found.extra.setdefault(row, []).extend(places[pair].reasons)


class _Names:
    """Resolves one typed (district, village) pair: district first, then the village within it.

    Names are looked up by their space-free key ('long ikis' and 'longikis' alike). Village text that
    begins with 'kampung' (or 'kp.') is tried as typed, then without that word, exact before similar.
    A ``threshold`` of 100 or more turns similarity off; below that the edit rule (FUZZY_EDITS) decides.
    """

    def __init__(self, lookup: _Lookup, threshold: float) -> None:
        self.lookup, self.fuzzy = lookup, threshold < 100
        # fuzzy candidates per scope ('district', '' for all villages, or a district code), then per digits
        self._choices: dict[str, dict[str, tuple[list[str], list[set[str]]]]] = {}

    def resolve(self, district_raw: object, village_raw: object) -> _Place:
        district_keys, village_keys = self._keys(_text(district_raw))[:1], self._keys(_text(village_raw))
        district, warnings = None, ()
        if district_keys and district_keys[0] not in self.lookup.regency_aliases:
            district = self._district(district_keys)
            if district is None:
                elsewhere = self._elsewhere("district", district_keys)
                if not elsewhere and not _SAYS_DISTRICT.match(str(district_raw)):
                    # a village of another regency typed as district; not when the cell says "Kecamatan X"
                    elsewhere = self._elsewhere("village", district_keys)
                if elsewhere:  # a real district, of another regency: said so, not "check the spelling"
                    return _Place(
                        reasons=(Reason("other_regency", "district", _described(district_raw, elsewhere)),)
                    )
                return _Place(reasons=(Reason("unknown_district", "district", str(district_raw)),))
            if district[1] < 1.0:
                typed = f"{district_raw!r} -> {self.lookup.district_name[district[0]]!r}"
                warnings = (Reason("fuzzy_district", "district", typed),)
        if not village_keys:
            return _Place(district[0], None, "district", district[1], warnings) if district else _Place()
        if district is None:
            return self._village_anywhere(village_keys, str(village_raw))
        place = self._village_in(district, village_keys, str(village_raw))
        place.reasons = warnings + place.reasons if not place.blocked else place.reasons
        return place

    @staticmethod
    def _keys(text: str) -> list[str]:
        """Space-free keys to try in order: as typed, then without a leading 'kampung' word."""
        return [spelling.replace(" ", "") for spelling in village_spellings(text)] if text else []

    @staticmethod
    def _exact(aliases: dict[str, set[str]], keys: list[str]) -> set[str]:
        """The codes of the first key that is an alias (an empty set when none is)."""
        return next((aliases[key] for key in keys if key in aliases), set())

    def _district(self, keys: list[str]) -> tuple[str, float] | None:
        codes = self._exact(self.lookup.district_aliases, keys)
        if len(codes) == 1:
            return next(iter(codes)), 1.0
        return None if codes else self._guess(keys, "district", self.lookup.district_aliases)

    def _village_in(self, district: tuple[str, float], keys: list[str], raw: str) -> _Place:
        code, district_score = district
        local = self.lookup.in_district.get(code, {})
        exact = self._exact(local, keys)
        if len(exact) == 1:  # exact, in the named district
            return _Place(code, next(iter(exact)), "name", district_score)
        if exact:  # two villages of one district share the name
            return _Place(reasons=(Reason("ambiguous_village", "village", raw),))
        if code in self._exact(self.lookup.district_aliases, keys):  # the village column repeats it
            return _Place(code, None, "district", district_score)
        if self._exact(self.lookup.village_aliases, keys):  # exact, but elsewhere: exact beats similar
            reason = Reason("village_in_other_district", "village", raw)
            return _Place(code, None, "district", district_score, (reason,))
        similar = self._guess(keys, code, local)
        if similar is None:  # placeable at the district's level; the agency is told to fix the name
            return _Place(
                code, None, "district", district_score, (Reason("village_not_found", "village", raw),)
            )
        return self._fuzzy(code, similar, raw, district_score)

    def _village_anywhere(self, keys: list[str], raw: str) -> _Place:
        codes = self._exact(self.lookup.village_aliases, keys)
        if len(codes) == 1:
            village = next(iter(codes))
            return _Place(self.lookup.village_district[village], village, "name", 1.0)
        if codes:
            return _Place(reasons=(Reason("ambiguous_village", "village", raw),))
        district = self._exact(self.lookup.district_aliases, keys)
        if len(district) == 1:  # a district name typed in the village column
            return _Place(next(iter(district)), None, "district", 1.0)
        elsewhere = self._elsewhere("village", keys) or self._elsewhere("district", keys)
        if elsewhere:  # exact in another regency outranks any similar name here: the row is outside
            return _Place(reasons=(Reason("other_regency", "village", _described(raw, elsewhere)),))
        similar = self._guess(keys, "", self.lookup.village_aliases)
        if similar is None:
            return _Place(reasons=(Reason("unknown_village", "village", raw),))
        return self._fuzzy(self.lookup.village_district[similar[0]], similar, raw, 1.0)

    def _elsewhere(self, level: str, keys: list[str]) -> tuple[ProvincePlace, ...]:
        """The province's places of ``level`` outside the region whose name the keys are, exactly."""
        return next(
            (self.lookup.outside[(level, key)] for key in keys if (level, key) in self.lookup.outside), ()
        )

    def _fuzzy(self, district: str, similar: tuple[str, float], raw: str, district_score: float) -> _Place:
        village, score = similar
        typed = f"{raw!r} -> {self.lookup.village_name[village]!r}"
        reason = Reason("fuzzy_village", "village", typed)
        return _Place(district, village, "name", min(score, district_score), (reason,))

    def _guess(self, keys: list[str], scope: str, aliases: dict[str, set[str]]) -> tuple[str, float] | None:
        """The first key's one similar place in ``scope``; only among names with the same figures."""
        if not self.fuzzy:
            return None
        if scope not in self._choices:  # once per scope: the space-free keys, grouped by their figures
            groups: dict[str, tuple[list[str], list[set[str]]]] = {}
            for alias, codes in aliases.items():
                if " " not in alias:
                    choices, choice_codes = groups.setdefault(re.sub(r"\D", "", alias), ([], []))
                    choices.append(alias)
                    choice_codes.append(codes)
            self._choices[scope] = groups
        for key in keys:
            choices, codes = self._choices[scope].get(re.sub(r"\D", "", key), ([], []))
            found = _similar(key, choices, codes, self._roman)
            if found is not None:  # inside a named district of ours, a neighbour's names are no risk
                outside_risk = scope in ("", "district") and self._nearer_outside(key, found[0], scope)
                return None if outside_risk else found
        return None

    def _nearer_outside(self, key: str, code: str, scope: str) -> bool:
        """Whether a place of another regency is as near the typed key as the region's guess: then the
        guess may be the wrong place (a typo of a neighbour's village), and none is made.

        A typed village is checked against the villages and districts outside, at least as near: clerks
        type either in the village column. A typed district is checked against the districts outside
        at least as near, and against the villages outside only when strictly nearer: the district
        column holds a district far more often, and Paser's districts are four or more edits apart.
        Outside names that are also the region's own ('Tanjung Harapan') are never in the way.
        """
        level = "district" if scope == "district" else "village"
        ours = self.lookup.district_name if level == "district" else self.lookup.village_name
        nearest = min(Levenshtein.distance(key, alias) for alias in name_keys(normalise_name(ours[code])))
        for other, names in self._outside_keys.items():
            cutoff = nearest - 1 if (level, other) == ("district", "village") else nearest
            if (
                cutoff >= 0
                and names
                and process.extractOne(key, names, scorer=Levenshtein.distance, score_cutoff=cutoff)
            ):
                return True
        return False

    @cached_property
    def _outside_keys(self) -> dict[str, list[str]]:
        """The space-free keys of the districts and villages outside the region, not the region's own."""
        own = {*self.lookup.district_aliases, *self.lookup.village_aliases}
        keys: dict[str, list[str]] = {"district": [], "village": []}
        for level, key in self.lookup.outside:
            if " " not in key and level in keys and key not in own:
                keys[level].append(key)
        return {level: sorted(set(names)) for level, names in keys.items()}

    @cached_property
    def _roman(self) -> frozenset[str]:
        """Keys with roman figures ('muaraadangii'): matched exactly, or in the way of a guess, never guessed.

        Else 'Muara Adangg' typed in Long Kali would be taken for Muara Adang II, two edits away.
        """
        spaced = [a for a in (*self.lookup.village_aliases, *self.lookup.district_aliases) if " " in a]
        return frozenset(key for alias in spaced for key in name_keys(alias) - {alias.replace(" ", "")})


def _similar(
    key: str, choices: list[str], codes: list[set[str]], roman: frozenset[str] = frozenset()
) -> tuple[str, float] | None:
    """The one code with a key within FUZZY_EDITS of ``key`` and FUZZY_MARGIN edits nearer than the rest.

    Returns the code and the similarity (rapidfuzz ``fuzz.ratio`` / 100) of its nearest key. Keys in
    ``roman`` count as places in the way but are never the guess.
    """

    def allowed(length: int) -> int:
        return next((edits for shortest, edits in FUZZY_EDITS if length >= shortest), 0)

    most = allowed(len(key))
    if not most or not choices:
        return None
    hits = process.extract(key, choices, scorer=Levenshtein.distance, score_cutoff=most, limit=None)
    nearest: dict[str, tuple[int, list[str]]] = {}  # code -> (edits, its keys at that distance)
    for choice, edits, i in hits:
        for code in codes[i]:
            best = nearest.get(code)
            if best is None or edits < best[0]:
                nearest[code] = (edits, [choice])
            elif edits == best[0]:
                best[1].append(choice)
    ranked = sorted(nearest.items(), key=lambda item: (item[1][0], item[0]))
    if not ranked:
        return None
    code, (edits, near) = ranked[0]
    if len(ranked) > 1 and ranked[1][1][0] - edits < FUZZY_MARGIN:
        return None
    # 'ukoo' is one edit from 'uko', but 3 letters are too few to guess from
    near = [choice for choice in near if choice not in roman and edits <= allowed(min(len(key), len(choice)))]
    if not near:
        return None
    return code, max(fuzz.ratio(key, choice) for choice in near) / 100.0


def _text(value: object) -> str:
    """The normalised name, or '' for an empty cell (None, NaN, blanks, punctuation only)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = normalise_name(value)
    return text if any(ch.isalnum() for ch in text) else ""


def _explain_unplaced(code_raw: np.ndarray, known_code: np.ndarray, found: _Found, lookup: _Lookup) -> None:
    placed = found.method != None  # noqa: E711 (element-wise)
    for row in np.flatnonzero(pd.notna(code_raw) & ~known_code):
        if str(code_raw[row]).strip():
            outside = lookup.outside_codes.get(normalise_code(code_raw[row]) or "")
            if outside is not None and not placed[row]:  # a real code, of another regency
                found.add(row, Reason("other_regency", "code", _described(code_raw[row], (outside,))))
                continue
            code = "ignored_code" if placed[row] else "unknown_code"
            if placed[row] and broken_code(code_raw[row]):
                code = "broken_code"  # 6,40103E+09: the spreadsheet cut it; the names placed the row
            found.add(row, Reason(code, "code", str(code_raw[row])))
    for row in np.flatnonzero(~placed & ~found.blocked):
        found.add(row, Reason("no_location"))


def _described(typed: object, places: tuple[ProvincePlace, ...]) -> str:
    """'Sebakung Jaya' (desa/kelurahan di Kecamatan Babulu, Kabupaten Penajam Paser Utara)."""
    where = "; ".join(dict.fromkeys(p.described() for p in places[:3]))
    return f"{str(typed).strip()} ({where})"


def _with_columns(rows: pd.DataFrame, found: _Found) -> pd.DataFrame:
    """A copy of ``rows`` with the new columns; codes are object columns holding None, not pandas str/NaN."""
    out = rows.copy()
    reasons = out["reasons"].to_numpy(object).copy()
    for row, extra in found.extra.items():
        old = reasons[row]
        reasons[row] = [*(old if isinstance(old, list) else []), *extra]
    columns = {"reasons": reasons, "district_code": found.district, "village_code": found.village,
               "location_method": found.method}  # fmt: skip
    for name, values in columns.items():
        out[name] = pd.Series(values, index=out.index, dtype=object)
    out["location_score"], out["point_lon"], out["point_lat"] = found.score, found.point_lon, found.point_lat
    return out
