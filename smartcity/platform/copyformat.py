"""Rows for PostgreSQL's COPY, text format, built a column at a time instead of a row at a time.

Writing a million rows with ``copy.write_row`` spends most of its time in Python calls per cell
(13 s for the intake's 16 columns, measured by ``bench/ingest.py``). Here each column becomes a list
of ready-escaped field strings in a few C-level string operations, and rows are joined in slices:
the same bytes COPY expects (``\\N`` for NULL, backslash escapes for backslash, tab, newline and
carriage return), about ten times faster. Text-format COPY rather than binary, because its fields
are plain strings that Python joins quickly; PostgreSQL parses them at much the same speed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

NULL = "\\N"
# NUL never occurs in a field (PostgreSQL text cannot hold it; the intake removes it), so it can glue a
# whole column into one string for the escaping below and split it again.
_GLUE = "\x00"


def text_field(values: Iterable) -> list[str]:
    """Text values escaped for COPY; None, NaN and pandas NA become NULL."""
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    missing = series.isna().to_numpy()
    has_missing = bool(missing.any())
    if has_missing:
        series = series.where(~missing, "")
    strings = series.tolist()
    if pd.api.types.infer_dtype(series, skipna=False) != "string":
        strings = [str(v) for v in strings]
    joined = _GLUE.join(strings)
    if joined.count(_GLUE) != max(len(strings) - 1, 0):
        raise ValueError("text for COPY contains a NUL character")
    if any(c in joined for c in "\\\t\n\r"):
        joined = joined.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        strings = joined.split(_GLUE) if strings else []
    if has_missing:
        strings = [NULL if m else s for s, m in zip(strings, missing.tolist(), strict=True)]
    return strings


def number_field(values: Iterable) -> list[str]:
    """Integers or floats as COPY fields; missing values become NULL (integral floats print as ints)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    missing = series.isna().to_numpy()
    present = series[~missing] if missing.any() else series
    if pd.api.types.is_float_dtype(present) and len(present):
        floats = present.to_numpy(dtype=float)
        # integral floats (an Int column read as float) print as integers, while they are exact
        if bool((floats == np.floor(floats)).all()) and bool((np.abs(floats) < 2**53).all()):
            present = pd.Series(floats.astype(np.int64))
    elif present.dtype == object or isinstance(present.dtype, pd.api.extensions.ExtensionDtype):
        present = pd.Series(present.to_numpy(dtype=object))
    strings = list(map(str, present.tolist()))
    if missing.any():
        filled = iter(strings)
        strings = [NULL if m else next(filled) for m in missing.tolist()]
    return strings


def repeat_field(value: object, count: int) -> list[str]:
    """One value for every row (the submission id of a file's rows)."""
    return [NULL if value is None else text_field([str(value)])[0]] * count


def array_field(values: Sequence[Sequence[str] | None]) -> list[str]:
    """Lists of strings as ``text[]`` literals; an empty or missing list is ``{}``."""
    literals = []
    for items in values:
        if not items:
            literals.append("{}")
            continue
        quoted = ('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items)
        literals.append("{" + ",".join(quoted) + "}")
    return text_field(literals)


def json_field(values: Sequence[dict | str | None]) -> list[str]:
    """JSON objects (or JSON text) for json/jsonb columns; None becomes ``{}``."""
    texts = [
        "{}" if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values
    ]
    return text_field(texts)


_EWKB_POINT = np.dtype([("order", "u1"), ("kind", "<u4"), ("srid", "<u4"), ("x", "<f8"), ("y", "<f8")])


def point_field(lon: Iterable, lat: Iterable, srid: int = 4326) -> list[str]:
    """Points as hex EWKB (what PostGIS reads from text COPY); a missing coordinate becomes NULL.

    The 25 bytes of a little-endian EWKB point with SRID are written by numpy for all points at once
    and hexed in one call: the same text as ``shapely.to_wkb(..., hex=True, include_srid=True)``,
    several times faster (no geometry objects are made).
    """
    x = pd.to_numeric(pd.Series(lon), errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(pd.Series(lat), errors="coerce").to_numpy(dtype=float)
    present = ~(np.isnan(x) | np.isnan(y))
    fields = np.full(len(x), NULL, dtype=object)
    if present.any():
        records = np.empty(int(present.sum()), dtype=_EWKB_POINT)
        records["order"], records["kind"], records["srid"] = 1, 0x20000001, srid  # point | has SRID
        records["x"], records["y"] = x[present], y[present]
        text = records.tobytes().hex().upper()
        width = 2 * _EWKB_POINT.itemsize
        fields[present] = [text[i : i + width] for i in range(0, len(text), width)]
    return fields.tolist()


def payload(columns: Sequence[list[str]], rows_per_chunk: int = 50_000) -> Iterator[bytes]:
    """The COPY text stream for these field columns (all the same length), in chunks of UTF-8 bytes."""
    lengths = {len(c) for c in columns}
    if len(lengths) > 1:
        raise ValueError(f"columns of different lengths: {sorted(lengths)}")
    total = lengths.pop() if lengths else 0
    for start in range(0, total, rows_per_chunk):
        stop = min(start + rows_per_chunk, total)
        lines = map("\t".join, zip(*(c[start:stop] for c in columns), strict=True))
        yield ("\n".join(lines) + "\n").encode("utf-8")
