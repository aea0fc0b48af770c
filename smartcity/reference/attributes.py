"""Optional attributes of areas (population, area, IDM village index) from a CSV keyed by code."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from smartcity.platform.errors import InputError
from smartcity.platform.vocabulary import normalise_code

# Accepted headers per attribute, compared ignoring case, spaces and punctuation.
HEADERS = {
    "code": ("kode", "code", "kode_desa", "kode_desa_kemendagri", "kode_wilayah", "kode_kemendagri",
             "kdepum", "kdcpum"),
    "population": ("population", "penduduk", "jumlah_penduduk", "jml_penduduk", "pop"),
    "area_km2": ("area_km2", "luas_km2", "luas", "area"),
    "idm_score": ("idm_score", "idm", "nilai_idm", "idm_2024", "skor_idm"),
    "idm_status": ("idm_status", "status_idm", "status"),
}  # fmt: skip


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def read_attributes(path: Path) -> pd.DataFrame:
    """Rows keyed by dotted ``code`` with whichever of population, area_km2, idm_score, idm_status exist."""
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{path.name}: cannot be read as CSV: {exc}") from None
    by_key = {_key(c): c for c in table.columns}
    found = {
        attr: next((by_key[_key(h)] for h in headers if _key(h) in by_key), None)
        for attr, headers in HEADERS.items()
    }
    if found["code"] is None:
        raise InputError(f"{path.name}: no code column (e.g. kode); columns: {', '.join(table.columns)}")
    out = pd.DataFrame({"code": table[found["code"]].map(normalise_code)})
    bad = out["code"].isna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0]) + 2  # +1 header, +1 one-based
        value = table[found["code"]].iloc[row - 2]
        raise InputError(f"{path.name}: row {row}, column {found['code']}: {value!r} is not a region code")
    for attr in ("population", "area_km2", "idm_score"):
        if found[attr] is not None:
            text = table[found[attr]].str.replace(",", ".", regex=False).str.strip()
            numbers = pd.to_numeric(text, errors="coerce")
            wrong = numbers.isna() & text.notna() & (text != "")
            if wrong.any():
                row = int(wrong.to_numpy().nonzero()[0][0]) + 2
                raise InputError(
                    f"{path.name}: row {row}, column {found[attr]}: {table[found[attr]].iloc[row - 2]!r} "
                    "is not a number"
                )
            out[attr] = numbers
    if found["idm_status"] is not None:
        out["idm_status"] = table[found["idm_status"]].str.strip().str.title()
    if "population" in out:
        out["population"] = out["population"].round().astype("Int64")
    return out.drop_duplicates("code", keep="last")
