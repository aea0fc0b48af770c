"""Village boundaries from cahyadsn/wilayah_boundaries (MIT): download one regency's SQL file, parse it.

The upstream repository keeps, for every regency, ``db/kel/<province>/wilayah_boundaries_kel_<code>.sql``:
a license comment, a ``DELETE``, then ``INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES
('64.09.01.1001','Tanjung Tengah',-1.389,116.664,'[[[lat,lng],...]]'),(...);`` statements. The path
is JSON in **[lat, lng]** order; nesting depth 3 is a Polygon (shell, then holes), depth 4 a
MultiPolygon. ``lat``/``lng`` are the upstream's centroid. Geometry is built as given, never repaired:
a later validation step runs ``make_valid``.

The SQL is read with a small tokenizer (string literals with ``\\'`` or ``''`` escapes, numbers,
words, punctuation) rather than a SQL engine, so other statements are skipped safely and a bad record
is reported by its ordinal, its code and its line.
"""

from __future__ import annotations

import http.client
import json
import re
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from smartcity.platform.errors import FetchError, InputError
from smartcity.platform.files import write_bytes
from smartcity.platform.vocabulary import code_level, normalise_code

DEFAULT_BASE_URL = "https://raw.githubusercontent.com/cahyadsn/wilayah_boundaries/main"
COLUMNS = ("kode", "nama", "lat", "lng", "path")
_USER_AGENT = "smartcity-spatial (+https://github.com/cahyadsn/wilayah_boundaries consumer)"
_PAYLOAD_MARK = re.compile(rb"insert\s+into\s+`?wilayah_boundaries\b", re.IGNORECASE)

# One token per match; string literals use the "unrolled loop" form so an 8 MB path is one fast scan.
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>/\*.*?\*/|--[^\n]*|\#[^\n]*)
    | (?P<string>'[^'\\]*(?:(?:\\.|'')[^'\\]*)*')
    | (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    | (?P<word>[A-Za-z_][A-Za-z_0-9.]*|`[^`]*`)
    | (?P<punct>[(),;])
    | (?P<other>.)
    """,
    re.DOTALL | re.VERBOSE,
)
_ESCAPE = re.compile(r"\\(.)|''", re.DOTALL)
_BACKSLASH = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


class _RecordError(ValueError):
    """A problem in one record; parse_boundaries_sql adds the source, ordinal, code and line."""


class _SyntaxError(ValueError):
    """A problem between records (statement structure), at a character offset of the text."""

    def __init__(self, problem: str, offset: int) -> None:
        super().__init__(problem)
        self.offset = offset


def _unquote(literal: str) -> str:
    """Value of a SQL string literal: MySQL backslash escapes and doubled quotes."""
    body = literal[1:-1]
    if "\\" not in body and "''" not in body:
        return body
    return _ESCAPE.sub(lambda m: "'" if m.group(1) is None else _BACKSLASH.get(m.group(1), m.group(1)), body)


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) of every meaningful lexeme: no whitespace, no comments."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind != "ws" and kind != "comment":
            yield kind, match.group(), match.start()


def _path_depth(path: object) -> int:
    """Nesting depth of a JSON path, following first elements: 3 for a Polygon, 4 for a MultiPolygon."""
    depth = 0
    while isinstance(path, list) and path:
        depth += 1
        path = path[0]
    return depth


def _polygon(rings: list) -> shapely.Polygon:
    """A Polygon from rings of [lat, lng] points: the first ring is the shell, the others holes."""
    if not isinstance(rings, list) or not rings:
        raise _RecordError("a polygon has no rings")
    coords = []
    for number, ring in enumerate(rings, 1):
        try:
            points = np.asarray(ring, dtype=float)
        except (TypeError, ValueError):
            raise _RecordError(f"ring {number} is not a list of [lat, lng] pairs") from None
        if points.ndim != 2 or points.shape[1] != 2:
            raise _RecordError(f"ring {number} is not a list of [lat, lng] pairs")
        if not np.isfinite(points).all():
            raise _RecordError(f"ring {number} has a coordinate that is not a finite number")
        coords.append(points[:, ::-1])  # [lat, lng] -> (lng, lat)
    try:
        return shapely.Polygon(coords[0], coords[1:])
    except (shapely.errors.GEOSException, ValueError) as exc:
        raise _RecordError(f"cannot build a polygon: {exc}") from None


def _geometry(path_text: str) -> shapely.Polygon | shapely.MultiPolygon:
    """Polygon or MultiPolygon (lon/lat) from an upstream JSON path in [lat, lng] order."""
    try:
        path = json.loads(path_text)
    except ValueError:
        raise _RecordError("path is not valid JSON") from None
    depth = _path_depth(path)
    if depth == 3:
        return _polygon(path)
    if depth == 4:
        return shapely.MultiPolygon([_polygon(rings) for rings in path])
    raise _RecordError(f"path has nesting depth {depth}, expected 3 (Polygon) or 4 (MultiPolygon)")


def _record(values: list[tuple[str, str]], columns: tuple[str, ...]) -> dict:
    """One parsed row from the (kind, lexeme) values of a tuple, by column name."""
    if len(values) != len(columns):
        raise _RecordError(f"has {len(values)} values, expected {len(columns)} ({','.join(columns)})")
    by_name = dict(zip(columns, values, strict=True))
    text = {}
    for name in ("kode", "nama", "path"):
        kind, lexeme = by_name[name]
        if kind != "string":
            raise _RecordError(f"{name} is not a quoted string")
        text[name] = _unquote(lexeme)
    code = normalise_code(text["kode"])
    if code != text["kode"] or code_level(code) != "village":
        raise _RecordError(f"kode {text['kode']!r} is not a dotted village code like 64.01.04.2012")
    centroid = {}
    for name in ("lat", "lng"):
        kind, lexeme = by_name[name]
        try:
            centroid[name] = float(_unquote(lexeme) if kind == "string" else lexeme)
        except ValueError:
            raise _RecordError(f"{name} is not a number: {lexeme[:40]!r}") from None
    return {
        "kode": text["kode"],
        "nama": text["nama"],
        "centroid_lat": centroid["lat"],
        "centroid_lng": centroid["lng"],
        "geometry": _geometry(text["path"]),
    }


_Values = list[tuple[str, str]]


def _rows(text: str) -> Iterator[tuple[_Values, tuple[str, ...], int, str | None]]:
    """(values, column names, offset, problem) of each tuple of each INSERT INTO wilayah_boundaries."""
    tokens, end = _tokens(text), ("", "end of file", len(text))
    for kind, lexeme, _offset in tokens:
        if kind == "word" and lexeme.upper() == "INSERT":
            into, table = next(tokens, end), next(tokens, end)
            if into[1].upper() == "INTO" and table[1].strip("`").split(".")[-1] == "wilayah_boundaries":
                yield from _insert_rows(tokens, end)
                continue
            lexeme = table[1]
        # Any other statement (DELETE, SET, ...) is skipped up to its semicolon.
        while lexeme not in (";", end[1]):
            kind, lexeme, _offset = next(tokens, end)


def _insert_rows(
    tokens: Iterator, end: tuple[str, str, int]
) -> Iterator[tuple[_Values, tuple[str, ...], int, str | None]]:
    """Tuples of one INSERT statement, from after its table name up to its semicolon."""
    kind, lexeme, offset = next(tokens, end)
    columns = COLUMNS
    if lexeme == "(":
        names = []
        for _kind, lexeme, _offset in tokens:
            if lexeme == ")":
                break
            if lexeme != ",":
                names.append(lexeme.strip("`").lower())
        if sorted(names) != sorted(COLUMNS):
            raise _SyntaxError(
                f"INSERT lists columns ({','.join(names)}), expected ({','.join(COLUMNS)})", offset
            )
        columns = tuple(names)
        kind, lexeme, offset = next(tokens, end)
    if lexeme.upper() != "VALUES":
        raise _SyntaxError(
            f"expected VALUES after INSERT INTO wilayah_boundaries, found {lexeme[:20]!r}", offset
        )
    while True:
        kind, lexeme, offset = next(tokens, end)
        if lexeme != "(":
            raise _SyntaxError(f"expected '(' to start a record, found {lexeme[:20]!r}", offset)
        values: _Values = []
        row_offset, problem = offset, None
        while problem is None:
            kind, lexeme, offset = next(tokens, end)
            if kind not in ("string", "number", "word"):
                problem = f"expected a value, found {lexeme[:20]!r}"
                break
            values.append((kind, lexeme))
            kind, lexeme, offset = next(tokens, end)
            if lexeme == ")":
                break
            if lexeme != ",":
                problem = f"expected ',' or ')' after a value, found {lexeme[:20]!r}"
        yield values, columns, row_offset, problem
        kind, lexeme, offset = next(tokens, ("", ";", end[2]))
        if lexeme == ";":
            return
        if lexeme != ",":
            raise _SyntaxError(f"expected ',' or ';' after a record, found {lexeme[:20]!r}", offset)


def parse_boundaries_sql(text: str, source: str = "<text>") -> gpd.GeoDataFrame:
    """Village boundaries (kode, nama, upstream centroid, lon/lat geometry) from one upstream SQL file."""
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for values, columns, offset, problem in _rows_or_raise(text, source):
        ordinal = len(rows) + 1
        code = _unquote(values[0][1]) if values and values[0][0] == "string" else "?"
        try:
            if problem:
                raise _RecordError(problem)
            row = _record(values, columns)
            if row["kode"] in seen:
                raise _RecordError(f"kode repeats record {seen[row['kode']]}")
        except _RecordError as exc:
            line = text.count("\n", 0, offset) + 1
            raise InputError(f"{source}: record {ordinal} ({code}), line {line}: {exc}") from None
        seen[row["kode"]] = ordinal
        rows.append(row)
    if not rows:
        raise InputError(f"{source}: no INSERT INTO wilayah_boundaries records; is it a boundaries SQL file?")
    columns = {name: [row[name] for row in rows] for name in ("kode", "nama", "centroid_lat", "centroid_lng")}
    geometry = [row["geometry"] for row in rows]
    return gpd.GeoDataFrame(columns, geometry=geometry, crs="EPSG:4326")


def _rows_or_raise(text: str, source: str) -> Iterator[tuple[_Values, tuple[str, ...], int, str | None]]:
    """_rows, with a statement-structure problem turned into an InputError naming the line."""
    try:
        yield from _rows(text)
    except _SyntaxError as exc:
        line = text.count("\n", 0, exc.offset) + 1
        raise InputError(f"{source}: line {line}: {exc}") from None


def read_boundaries_sql(path: Path) -> gpd.GeoDataFrame:
    """Village boundaries from an upstream SQL file on disk (UTF-8, or latin-1 when it is not UTF-8)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return parse_boundaries_sql(text, source=str(path))


def regency_file_url(code: str, base_url: str) -> str:
    """URL of a regency's village-boundaries SQL file in the upstream layout under ``base_url``."""
    dotted = normalise_code(code)
    if dotted is None or code_level(dotted) != "regency":
        raise InputError(f"{code!r} is not a regency code (like 64.01 or 6401)")
    province = dotted.split(".")[0]
    return f"{base_url.rstrip('/')}/db/kel/{province}/wilayah_boundaries_kel_{dotted}.sql"


def _is_transient(exc: BaseException) -> bool:
    """True for failures worth retrying: connection refused/reset, timeouts, DNS, HTTP 5xx and 429."""
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code == 429 or exc.code >= 500
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, ssl.SSLCertVerificationError):
        return False
    return isinstance(exc, OSError | http.client.HTTPException)


def _describe(exc: BaseException) -> str:
    """Short reason for a failed request: 'HTTP 503', 'connection refused', 'timed out', ..."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__


def _fetch(url: str, timeout: float) -> bytes:
    """The body of ``url`` (HTTP 200), or the urllib/http.client/OSError exception raised."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        exc.close()  # its body is an open socket; closing it avoids a ResourceWarning
        raise


def download_regency_villages(
    code: str,
    dest_dir: Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    timeout: float = 30,
    retries: int = 3,
    backoff: float = 1.0,
) -> Path:
    """Download a regency's village-boundaries SQL file into ``dest_dir``; ``retries`` attempts in all."""
    url = regency_file_url(code, base_url)
    dotted = normalise_code(code)
    target = Path(dest_dir) / f"wilayah_boundaries_kel_{dotted}.sql"
    split = urllib.parse.urlsplit(url)
    if split.scheme not in ("http", "https"):
        raise FetchError(f"{base_url!r} is not an http(s) URL; give a mirror like {DEFAULT_BASE_URL}")
    attempts = max(1, retries)
    # 1. Fetch, retrying transient failures with exponential backoff.
    for attempt in range(attempts):
        try:
            data = _fetch(url, timeout)
            break
        except (OSError, http.client.HTTPException) as exc:
            error = exc
            if isinstance(exc, urllib.error.HTTPError) and exc.code == 404:
                raise FetchError(
                    f"no village boundaries for regency {dotted} at {url} (HTTP 404): "
                    "check the code, or the mirror (--base-url)"
                ) from None
            if not _is_transient(exc):
                raise FetchError(f"cannot download {url}: {_describe(exc)}") from None
            if attempt + 1 < attempts:
                time.sleep(backoff * 2**attempt)
    else:
        if isinstance(error, urllib.error.HTTPError):
            raise FetchError(
                f"{url} kept failing ({_describe(error)}) after {attempts} attempts: try later, use a mirror "
                "(--base-url), or load an official file with `smartcity regions load PATH`"
            ) from None
        host = split.hostname or split.netloc
        raise FetchError(
            f"could not reach {host} ({_describe(error)}) after {attempts} attempts: the machine may be "
            "offline; load an official boundaries file instead with `smartcity regions load PATH`"
        ) from None
    # 2. Check it is a boundaries file, not an error page or a proxy's login form.
    if not _PAYLOAD_MARK.search(data):
        start = data[:60].decode("utf-8", "replace")
        raise FetchError(f"{url} did not return a boundaries SQL file (it starts with {start!r})")
    # 3. Write it atomically.
    Path(dest_dir).mkdir(parents=True, exist_ok=True)
    write_bytes(target, data)  # temp file + rename: never a partial file, never through a link
    return target
