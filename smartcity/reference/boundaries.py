"""Read a boundary file of any common format and CRS into the canonical reference frame.

The canonical frame has one row per area and the columns ``code`` (dotted Kemendagri), ``name``,
``parent_code``, ``regency_code``, ``kind`` (villages: desa/kelurahan), ``parent_name`` and
``regency_name`` (when the file has them) and ``geometry`` in EPSG:4326.

Field mapping recognises BIG RBI names (``KDEPUM``/``WADMKD``, ``KDCPUM``/``WADMKC``,
``KDPKAB``/``WADMKK``), the ``kode``/``nama`` style, and English ``code``/``name``; explicit fields
win. The hierarchy is taken from the code itself (``64.01.04.2012`` lies in ``64.01.04``): a parent
field that disagrees is reported, not trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from smartcity.platform.errors import InputError
from smartcity.platform.vocabulary import normalise_code

LEVEL_PARTS = {"district": 3, "village": 4}
CODE_EXAMPLE = {"district": "64.01.04", "village": "64.01.04.2012"}

# Candidate field names per role and level, most specific first; compared ignoring case and _ - spaces.
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "village": {
        "code": ("KDEPUM", "kode_desa", "kode_kelurahan", "kode_desa_kelurahan", "kd_desa", "kode_kel",
                 "village_code", "kode", "code", "kode_wilayah"),
        "name": ("WADMKD", "nama_desa", "nama_kelurahan", "nama_desa_kelurahan", "desa", "kelurahan",
                 "village_name", "village", "nama", "name", "namobj"),
        "parent_code": ("KDCPUM", "kec_kode", "kode_kec", "kode_kecamatan", "district_code", "parent_code"),
        "parent_name": ("WADMKC", "kec_nama", "nama_kec", "nama_kecamatan", "kecamatan", "district_name",
                        "district"),
        "regency_code": ("KDPKAB", "kab_kode", "kode_kab", "kode_kabupaten", "regency_code"),
        "regency_name": ("WADMKK", "kab_nama", "nama_kab", "nama_kabupaten", "kabupaten", "regency_name",
                         "regency"),
        "kind": ("jenis", "kind", "tipe", "type", "level"),
    },
    "district": {
        "code": ("KDCPUM", "kode_kec", "kode_kecamatan", "kec_kode", "district_code", "kode", "code",
                 "kode_wilayah"),
        "name": ("WADMKC", "nama_kec", "nama_kecamatan", "kecamatan", "district_name", "district", "nama",
                 "name", "namobj"),
        "parent_code": ("KDPKAB", "kab_kode", "kode_kab", "kode_kabupaten", "regency_code", "parent_code"),
        "parent_name": ("WADMKK", "kab_nama", "nama_kab", "nama_kabupaten", "kabupaten", "regency_name",
                        "regency"),
    },
}  # fmt: skip


@dataclass
class ReadResult:
    """The canonical frame plus what reading it found worth saying."""

    frame: gpd.GeoDataFrame
    fields: dict[str, str]
    source_crs: str
    merged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).lower()


def map_fields(columns: list[str], level: str, explicit: dict[str, str | None]) -> dict[str, str]:
    """Which column plays which role; explicit names must exist, the rest are recognised."""
    by_key = {_key(c): c for c in columns}
    mapping: dict[str, str] = {}
    for role, wanted in explicit.items():
        if wanted is None:
            continue
        if _key(wanted) not in by_key:
            raise InputError(
                f"no field {wanted!r} for the {role.replace('_', ' ')}; fields: {', '.join(columns)}"
            )
        mapping[role] = by_key[_key(wanted)]
    taken = set(mapping.values())
    for role, candidates in FIELDS[level].items():
        if role in mapping:
            continue
        for candidate in candidates:
            column = by_key.get(_key(candidate))
            if column is not None and column not in taken:
                mapping[role] = column
                taken.add(column)
                break
    return mapping


def read_boundaries(
    path: Path,
    level: str,
    *,
    code_field: str | None = None,
    name_field: str | None = None,
    parent_field: str | None = None,
    crs: str | None = None,
) -> ReadResult:
    """Read ``path`` (GeoJSON, Shapefile, GeoPackage, FlatGeobuf, upstream .sql) as ``level`` areas."""
    path = Path(path)
    if level not in LEVEL_PARTS:
        raise InputError(f"level must be district or village, not {level!r}")
    raw = _read_any(path, crs)
    source_crs = raw.crs.to_string() if raw.crs is not None else "none"
    columns = [c for c in raw.columns if c != raw.geometry.name]
    explicit = {"code": code_field, "name": name_field, "parent_code": parent_field}
    fields = map_fields(columns, level, explicit)
    for role in ("code", "name"):
        if role not in fields:
            raise InputError(
                f"{path.name}: no {level} {role} field found (give --{role}-field); "
                f"fields: {', '.join(columns)}"
            )
    frame, warnings = _canonical(raw, fields, level, path.name)
    frame, merged = _merge_duplicate_codes(frame, path.name)
    return ReadResult(frame=frame, fields=fields, source_crs=source_crs, merged=merged, warnings=warnings)


def _read_any(path: Path, crs: str | None) -> gpd.GeoDataFrame:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() == ".sql":
        from smartcity.reference.wilayah_boundaries import read_boundaries_sql

        raw = read_boundaries_sql(path)
    else:
        try:
            raw = gpd.read_file(path, engine="pyogrio")
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"{path.name}: cannot be read as a vector file: {first}") from None
    if len(raw) == 0:
        raise InputError(f"{path.name}: has no features")
    minx, miny, maxx, maxy = raw.total_bounds
    in_degrees = -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    if crs is not None:
        raw = raw.set_crs(crs, allow_override=True)
    elif raw.crs is None:
        if not in_degrees:
            raise InputError(f"{path.name}: has no CRS and is not in degrees: give --crs (e.g. EPSG:32750)")
        raw = raw.set_crs("EPSG:4326")
    elif raw.crs.is_geographic and not in_degrees:
        raise InputError(
            f"{path.name}: says {raw.crs.to_string()} but its coordinates are not degrees "
            f"(x {minx:.0f}..{maxx:.0f}): give the real CRS with --crs (e.g. EPSG:32750)"
        )
    return raw.to_crs("EPSG:4326") if raw.crs.to_epsg() != 4326 else raw


def _canonical(raw: gpd.GeoDataFrame, fields: dict[str, str], level: str, source: str):
    """Normalise codes and names; every bad code is named with its row and field."""
    parts = LEVEL_PARTS[level]
    codes = raw[fields["code"]].map(normalise_code)
    bad = [
        i for i, code in enumerate(codes) if not isinstance(code, str) or code.count(".") + 1 != parts
    ]  # a zero-based position; the message counts features from 1
    if bad:
        first = bad[0]
        value = raw[fields["code"]].iloc[first]
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise InputError(
            f"{source}: feature {first + 1}, field {fields['code']}: {value!r} is not a {level} code "
            f"like {CODE_EXAMPLE[level]}{more}"
        )
    names = raw[fields["name"]].astype("string").str.strip()
    missing = names.isna() | (names == "")
    if missing.any():
        first = int(missing.to_numpy().nonzero()[0][0])
        raise InputError(f"{source}: feature {first + 1}, field {fields['name']}: the name is empty")
    frame = gpd.GeoDataFrame(
        {"code": codes.astype(str), "name": names.astype(str)}, geometry=raw.geometry.values, crs="EPSG:4326"
    )
    frame["parent_code"] = frame["code"].str.rsplit(".", n=1).str[0]
    frame["regency_code"] = frame["code"].str.slice(0, 5)
    warnings: list[str] = []
    if "parent_code" in fields:
        given = raw[fields["parent_code"]].map(normalise_code)
        disagree = given.notna().to_numpy() & (given.to_numpy() != frame["parent_code"].to_numpy())
        if disagree.any():
            warnings.append(
                f"{int(disagree.sum())} feature(s) whose {fields['parent_code']} disagrees with the code "
                f"(e.g. {frame['code'].iloc[int(disagree.nonzero()[0][0])]}): the code was trusted"
            )
    for role in ("parent_name", "regency_name"):
        if role in fields:
            frame[role] = raw[fields[role]].astype("string").str.strip().to_numpy()
    if level == "village":
        frame["kind"] = _village_kind(frame["code"], raw[fields["kind"]] if "kind" in fields else None)
    return frame, warnings


def _village_kind(codes: pd.Series, given: pd.Series | None) -> pd.Series:
    """desa or kelurahan: from the field when it says so, else from the code (1xxx kelurahan, 2xxx desa)."""
    from_code = codes.str.slice(9, 10).map({"1": "kelurahan"}).fillna("desa")
    if given is None:
        return from_code
    text = given.astype("string").str.lower()
    from_field = pd.Series(
        [("kelurahan" if "kel" in t else "desa" if "desa" in t else None) if isinstance(t, str) else None
         for t in text],
        index=codes.index,
    )  # fmt: skip
    return from_field.fillna(from_code)


def _merge_duplicate_codes(frame: gpd.GeoDataFrame, source: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Several features with one code (a village split in parts) become one; different names are an error."""
    counts = frame["code"].value_counts()
    dupes = counts[counts > 1].index.tolist()
    if not dupes:
        return frame, []
    for code in dupes:
        names = frame.loc[frame["code"] == code, "name"].str.lower().unique()
        if len(names) > 1:
            raise InputError(f"{source}: code {code} is used by different areas: {', '.join(sorted(names))}")
    firsts = frame.drop_duplicates("code", keep="first").set_index("code")
    unions = frame[frame["code"].isin(dupes)].dissolve(by="code").geometry
    firsts.loc[unions.index, "geometry"] = unions
    merged = firsts.reset_index()[frame.columns]
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=frame.crs), sorted(dupes)
