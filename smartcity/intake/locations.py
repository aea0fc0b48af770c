"""What one free-text location cell says: a point, village and district names, or the whole regency.

Agency staff type or paste a location into one column (``Lokasi``, ``Alamat``, ``Titik Koordinat``,
``Link Lokasi``, ``Lokasi (Desa/Kec.)``). :func:`parse_location` reads one such cell and returns what the
text says; it does not know the gazetteer: :mod:`smartcity.intake.matching` matches names to places and
judges whether a point lies in the region. :func:`parse_locations` reads a column, each distinct value once.
Nothing is fetched from the network.

Kinds (``ParsedLocation.kind``) and forms (``.form``, for messages and tests):

- ``empty``: None, NaN, "", "-", "–", "—", "?", "n/a", "tidak ada", "tdk ada", "belum ada", "kosong",
  "nihil", "none", "null", "nan".
- ``point`` (lat/lon in WGS84 degrees), form ``decimal``, ``ddm`` (degrees, decimal minutes), ``dms``,
  ``utm`` or ``link``:

  * two numbers in either order, with a decimal point or a decimal comma ("-1,912; 116,2"), separated
    by a comma, semicolon, slash or spaces ("-1.912 116.2"; a hyphen between two digits reads as a
    separator, "1.9-116.2"), in brackets or not;
  * hemisphere letters before or after each number: LS/LU/BT/BB, S/N/E/W, or the words (Lintang)
    Selatan/Utara, (Bujur) Timur/Barat, south/north/east/west; S/LS and W/BB make the value negative.
    A number with a minus and a S/W letter is negative once; a minus with N/E is unreadable;
  * degrees-minutes-seconds and degrees-decimal-minutes: ``1°52'10"S``, ``1° 52' 10,5" LS``, the
    unicode ′ ″ and typographic quotes, two single quotes for a double one, º or ˚ for °, or no marks at
    all ("1 52 10 S 116 4 3 E"; "1 52 10 116 4 3" and "1 52.1 116 4.05" without letters read as 3+3 and
    2+2). Only the last part of a value may have decimals; minutes and seconds must be below 60;
  * labels are dropped: Lat/Latitude/Lintang, Long/Lon/Lng/Longitude/Bujur, X/Y, Koordinat, Titik,
    Lokasi (saya), Posisi, GPS, Location, "WGS84", and any ":" or "=" ("lat=-1.9, lon=116.2");
  * UTM (any number with five or more integer digits): ``50M 412345 9791234``, ``E 412345 N 9791234``,
    ``412345 mE 9791234 mN``, ``X: 412345 Y: 9791234``, ``Zona 50 M ...``, or two bare numbers. The
    zone's latitude band C..M is south and N..X north; "50S" is read as the southern hemisphere when the
    northing is 5,000,000 or more (band S, 32-40°N, has northings of 3.5-4.4 million; southern Indonesia
    has 8.7-10 million) and as band S otherwise. Without a zone the numbers are in ``utm_epsg``
    (default EPSG:32750, zone 50 south: Paser); with a zone and no band the hemisphere of ``utm_epsg``
    is kept. Labels (E/X/mE, N/Y/mN) say which is which; without them the number of a million or more is
    the northing, else the first written is the easting. A band letter E or N (or X) counts as a band only
    when written against the zone number ("50N"), else it is a label. Conversion by pyproj, one
    cached Transformer per EPSG code;
  * map links (``form="link"``), percent-encoding and "+" decoded first, in this order: Google's pin
    ``!3d<lat>!4d<lon>``, OpenStreetMap ``#map=<zoom>/<lat>/<lon>`` and ``mlat=..&mlon=..``, the query
    parameters q, query, ll, sll, daddr, saddr, destination, center, cbll, near, loc (any form above,
    so a DMS "q=" works too; Google, Apple, Waze, WhatsApp shares), Bing ``cp=<lat>~<lon>``,
    ``geo:<lat>,<lon>``, Google's viewport ``@<lat>,<lon>,<zoom>z``, then any "<lat>,<lon>" in the path
    (``/maps/place/-1.9,116.2``, ``/dir//...``). ``geo:0,0?q=...`` (Android) uses the q pair.
- ``names``: form ``address`` (names found by markers), ``pair`` or ``bare`` (see below).
- ``regency``: the whole regency (form ``regency``).
- ``link_unreadable``: a link without coordinates in it (goo.gl/maps, maps.app.goo.gl, bit.ly, any
  other URL), form ``link``: short links are not followed (no network).
- ``unreadable``, form ``coordinates`` (a coordinate-looking pair that no order makes valid degrees,
  or minutes/seconds of 60 or more), ``utm`` (UTM numbers out of range), ``other_regency`` (another
  regency named), ``address`` (markers but no place: a street, an RT/RW, a dusun only), ``bare_list``
  (several unmarked parts that are no village/district pair) or ``text`` (digits but no coordinates
  and no markers: a phone number, a year).

Decisions:

1. Routing, cheapest first: a URL (scheme, www., geo:, or a known short domain with a path) goes to the
   link reader; text with a digit is first read as a whole as coordinates (every word must be a label
   or a hemisphere letter); failing that, a coordinate pair embedded in other text (two decimals, one
   of them with at least three places, or DMS with a degree sign) is taken out; the rest is an address.
   So "Desa Lori, -1.9, 116.2" keeps only the village: one-decimal pairs are too rough (11 km) and too
   like "RT 05.02, RW 01.03" to be picked out of prose.
2. A point wins, but names next to it are kept (``villages``/``districts``) so the matcher can
   cross-check: "Desa Lori (-1.912, 116.2)" and a link followed by "Desa Lori" give a point with
   ``villages=("Lori",)``. A link without coordinates gives way to the rest of the cell when that
   names a place by markers, is a point, or names the regency (or another one); else ``link_unreadable``.
3. Orders of a pair: hemisphere letters decide; else a value in 94..142 (Indonesia's longitudes) is the
   longitude when the other is within ±90; else the written order (lat, lon) when valid, else the other.
   A pair no order makes valid is ``unreadable``/``coordinates``; region membership is not judged.
   Letters given for one value only are refused (both or neither, as in the worksheet columns).
4. Addresses are cut into segments at , ; / | newlines, brackets, " - " and the words dan/serta/atau/
   and/&. Markers (any case, with or without a dot): village Desa, Ds, Kel, Kelurahan; Kampung, Kp;
   district Kec, Kecamatan; regency Kab, Kabupaten. A name runs to the end of its segment or to the next
   marker or stop word: Dusun/Dsn/Lingkungan, RT, RW, Jl/Jln/Jalan, Gg/Gang, Lorong, Blok, Komplek,
   Perum(ahan), No/Nomor, Km, Kode Pos, a five-digit postal code, Prov/Provinsi, Kalimantan (Timur),
   Kaltim, Indonesia; what follows a stop word (street, house number, hamlet) is dropped. Names keep
   their spelling, stripped of surrounding punctuation, inner spaces single.
5. Lists: an unmarked segment after a village (district) segment is another village (district):
   "Desa A, B dan C", "Kec. A, B". So "Desa Lori, Long Kali" reads two villages: without a gazetteer a
   second name cannot be told from a district; the matcher has the places. An unmarked segment after a
   regency or province is dropped ("Kab. Paser, Kalimantan Timur"); after a street, RT or dusun it is
   unmarked again ("Jl. Sudirman, Long Ikis" -> bare "Long Ikis"). A part with a digit never continues
   a list ("Desa Lori, koordinat -1.9, 116.2" -> Lori).
6. Kampung: "Kampung" begins real village names (Kampung Baru; the gazetteer keeps it, see
   :func:`smartcity.reference.gazetteer.normalise_name`). When the cell has no other village marker,
   "Kampung X" / "Kp. X" is ONE village candidate written in full, "Kampung X" ("Kp." spelled out), so
   that it is never counted as two villages; :func:`village_spellings` gives the matcher the readings
   to try in order ("Kampung X", then "X"). With another village marker in the cell the kampung is a
   neighbourhood inside that village and dropped like a dusun ("Kp. Baru RT 3, Desa Lori" -> Lori).
   "Desa Kampung Baru" is the village "Kampung Baru".
7. Unmarked text: words before the first marker of a segment are prose ("Pembangunan posyandu di Desa
   Lori") unless they are at most three words with no filler word (di, ke, lokasi, wilayah, sekitar...)
   ("Lori Kec. Long Kali"). Leading filler words are dropped ("di Long Ikis"); a part of fillers only is
   nothing. Without any marked name: one unmarked part is ``bare`` (a village or a district, the matcher
   decides); two parts joined by , / ; - or a bracket are ``pair``: villages=(first,), districts=(second,)
   (the "Lokasi (Desa/Kec.)" column); more parts, or two joined by "dan", are ``bare_list``. With
   districts but no village, one unmarked part is the village ("Lori, Kec. Long Kali"). Unmarked text
   with a digit and no marker is ``text``. Plain words with no marker and no digit are ``bare`` even
   when they look like a sentence: the matcher will not find them and says so with the text.
8. All villages: "semua/seluruh/segenap desa|kelurahan|kampung" (also "desa/kelurahan", "desa dan
   kelurahan") and "se-Kecamatan X" set ``all_villages``; with a district that is the district
   ("semua desa di Kec. X", "Kec. X (semua desa)"); without one, the whole regency (kind ``regency``).
   "semua desa Long Kali" (one unmarked part) takes that part as the district.
9. Regency: "Kabupaten"/"Kab." alone, "Kab. Paser", "se-Kabupaten Paser", "sekabupaten", "semua/seluruh
   kecamatan", "<number> kecamatan" ending a part ("RT 10 Kec. X" is district X), "seluruh wilayah"
   (alone), or an unmarked part (or words before a marker) equal to one of ``regency_names`` ("Paser"),
   when the cell names no village or district. ``regency_names`` are compared normalised (lower
   case, ASCII, punctuation as spaces, also without spaces). When given, a
   regency name not among them anywhere in the cell makes it ``unreadable``/``other_regency``, even
   next to village names ("Desa X, Kab. Kutai Barat"): village names repeat across regencies and the
   regency is the stronger statement. Without ``regency_names`` any "Kab. X" counts as the regency.
   Unmarked parts equal to a regency name are dropped from lists ("Kec. Tanah Grogot, Paser").
   "Kota" is no marker: it begins real names (Kota Bangun).

Speed: regular expressions are compiled once; a cell is routed by cheap checks (a "/" or ":" before
looking for a URL, a digit before trying coordinates, a word list instead of one big marker regex).
A cell takes 10-40 µs on the two-core test machine (``python -m smartcity.intake.locations`` prints
figures); :func:`parse_locations` reads each distinct cell once (``pd.factorize``) and spreads the results
with one numpy take: a million cells with 20,000 distinct values take about 0.8 s.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

import numpy as np
import pandas as pd
from pyproj import Transformer


@dataclass(frozen=True, slots=True)
class ParsedLocation:
    """What one location cell says (see the module docstring for every kind and form)."""

    kind: str  # "empty" | "point" | "names" | "regency" | "link_unreadable" | "unreadable"
    lat: float | None = None  # WGS84 degrees, for kind "point"
    lon: float | None = None
    villages: tuple[str, ...] = ()  # village names as written (markers removed)
    districts: tuple[str, ...] = ()  # district names as written
    bare: str | None = None  # unmarked text: a village or a district, the matcher decides
    all_villages: bool = False  # "semua desa" (of the district named, else of the regency)
    form: str | None = None  # which form was recognised


EMPTY = ParsedLocation("empty")
REGENCY = ParsedLocation("regency", form="regency")
_LINK_UNREADABLE = ParsedLocation("link_unreadable", form="link")


def _unreadable(form: str) -> ParsedLocation:
    return ParsedLocation("unreadable", form=form)


def parse_location(
    text: str | None, *, regency_names: tuple[str, ...] = (), utm_epsg: int = 32750
) -> ParsedLocation:
    """Read one location cell: empty, a point, names, the regency, or why it cannot be read."""
    if not isinstance(text, str):
        if text is None or _missing(text):
            return EMPTY
        text = str(text)
    cell = _clean(text)
    if not cell or _EMPTY_TEXT.fullmatch(cell):
        return EMPTY
    regencies = _regency_set(tuple(regency_names))
    # a link first: it may carry coordinates whatever the text around it says
    if ("/" in cell or ":" in cell) and _URL.search(cell):
        return _link_cell(cell, regencies, utm_epsg)
    return _text_cell(cell, regencies, utm_epsg)


def parse_locations(
    cells: np.ndarray, *, regency_names: tuple[str, ...] = (), utm_epsg: int = 32750
) -> list[ParsedLocation]:
    """:func:`parse_location` of every cell, aligned to ``cells``; each distinct value is parsed once."""
    codes, uniques = pd.factorize(np.asarray(cells, dtype=object))
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = [parse_location(u, regency_names=regency_names, utm_epsg=utm_epsg) for u in uniques]
    table[-1] = EMPTY  # code -1: missing
    return table[codes].tolist()


def village_spellings(name: str) -> tuple[str, ...]:
    """The readings of a village candidate to try in order: "Kampung Baru" -> ("Kampung Baru", "Baru")."""
    head, _, rest = name.partition(" ")
    if head.casefold() == "kampung" and rest:
        return (name, rest)
    return (name,)


# --- cleaning -----------------------------------------------------------------------------------------------

_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but newlines (NBSP included)
_LINES = re.compile(r"\s*\n\s*")
_EMPTY_TEXT = re.compile(
    r"[-–—_.?*/\s]*|n\s*/\s*a|n\.?a\.?|tidak ada|tdk\.? ada|belum ada|kosong|nihil|none|null|nan|nil",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")


def _missing(value: object) -> bool:
    """True for NaN, pd.NA, NaT and the like (scalars only)."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def _clean(text: str) -> str:
    """Single spaces (NBSP and tabs too), newlines kept as newlines, no zero-width spaces, stripped."""
    cell = _SPACES.sub(" ", text.replace("\r", "\n").replace("\u200b", "").replace("\ufeff", ""))
    if "\n" in cell:
        cell = _LINES.sub("\n", cell)
    return cell.strip()


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _normalised(name: str) -> str:
    """Lower case ASCII, punctuation as single spaces: for comparing regency names only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return _NOT_ALNUM.sub(" ", ascii_name).strip()


@lru_cache(maxsize=32)
def _regency_set(names: tuple[str, ...]) -> frozenset[str]:
    found = {_normalised(n) for n in names} - {""}
    return frozenset(found | {n.replace(" ", "") for n in found})


# --- cells --------------------------------------------------------------------------------------------------


def _text_cell(cell: str, regencies: frozenset[str], utm_epsg: int) -> ParsedLocation:
    """A cell without a link: coordinates as a whole, coordinates inside text, or an address."""
    if not _DIGIT.search(cell):
        return _address(cell, regencies)
    whole = _coordinates(cell, utm_epsg)
    if whole is not None:
        return whole
    inside = _EMBEDDED.search(cell.translate(_SYMBOLS))  # the same length as cell: positions hold
    if inside is not None and ("°" in inside.group() or _THREE_DECIMALS.search(inside.group())):
        point = _coordinates(inside.group(), utm_epsg)
        if point is not None:
            rest = _address(f"{cell[: inside.start()]} , {cell[inside.end() :]}", regencies)
            return _with_names(point, rest)
    return _address(cell, regencies)


def _link_cell(cell: str, regencies: frozenset[str], utm_epsg: int) -> ParsedLocation:
    """A cell with a URL: its coordinates (plus names around it), else what the rest of the cell says."""
    point = None
    for match in _URL.finditer(cell):
        point = _link_point(match.group(), utm_epsg)
        if point is not None:
            break
    rest_text = _clean(_URL.sub(" , ", cell)).strip(" ,")
    rest = _text_cell(rest_text, regencies, utm_epsg) if rest_text else None
    if point is not None:
        return _with_names(point, rest)
    if rest is not None and (
        rest.kind in ("point", "regency")
        or (rest.kind == "names" and rest.form == "address")
        or rest.form == "other_regency"
    ):
        return rest
    return _LINK_UNREADABLE


def _with_names(point: ParsedLocation, rest: ParsedLocation | None) -> ParsedLocation:
    """``point`` with the marked names of the rest of the cell (a bare text is not kept)."""
    if point.kind != "point" or rest is None or rest.kind != "names" or rest.form != "address":
        return point
    return ParsedLocation(
        "point", point.lat, point.lon, rest.villages, rest.districts, None, rest.all_villages, point.form
    )


# --- coordinates: decimal, degrees-minutes(-seconds) --------------------------------------------------------

_SYMBOLS = str.maketrans(
    {"′": "'", "’": "'", "‘": "'", "´": "'", "`": "'", "ʹ": "'", "″": '"', "“": '"', "”": '"',
     "ʺ": '"', "º": "°", "˚": "°", "−": "-", "＋": "+"}
)  # fmt: skip
_DIGIT_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")
_DATUM = re.compile(r"\bwgs\s*-?\s*(?:19)?84\b")
_COORD_TOKEN = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*([°'\"])?|([a-z]+)|([,;/|])")
_INTEGER_PART = re.compile(r"[+-]?(\d+)")
_SLOT = {"°": 0, "'": 1, '"': 2}
_LABELS = frozenset(
    "lat latitude lintang long lon lng longitude bujur x y koordinat coordinate coordinates coord coords "
    "titik lokasi saya posisi gps location my loc di".split()
)
# After one of these labels, a pair that fails is unreadable coordinates, not some other text.
_STRONG_LABELS = frozenset(
    "lat latitude lintang long lon lng longitude bujur koordinat coordinate coordinates coord coords "
    "gps".split()
)
_HEMISPHERES = {
    **dict.fromkeys(("n", "lu", "utara", "north"), ("lat", 1.0)),
    **dict.fromkeys(("s", "ls", "selatan", "south"), ("lat", -1.0)),
    **dict.fromkeys(("e", "bt", "timur", "east"), ("lon", 1.0)),
    **dict.fromkeys(("w", "bb", "barat", "west"), ("lon", -1.0)),
}
_FORMS = ("decimal", "ddm", "dms")
# A pair inside other text: decimals (one of them with at least 3 places), or DMS/DDM with a degree sign.
_H = r"(?:lu|ls|bt|bb|[nsew])"
_DEC = r"[+-]?\d{1,3}[.,]\d+(?:\s*°)?"
_THREE_DECIMALS = re.compile(r"\d[.,]\d{3}")
_DMS = r"\d{1,3}\s*°\s*\d{1,2}(?:[.,]\d+)?\s*'(?:\s*\d{1,2}(?:[.,]\d+)?\s*(?:\"|'')?)?"
_ONE = rf"(?:{_H}\s?)?(?:{_DMS}|{_DEC})(?:\s?{_H}(?![a-z]))?"
_EMBEDDED = re.compile(rf"(?<![\w.,]){_ONE}\s*[,;/]?\s*{_ONE}(?![\d])", re.IGNORECASE)


def _coordinate_text(text: str) -> str:
    """Lower case, one spelling for degree/minute/second marks and minus, hyphens between digits as ','."""
    text = text.casefold().translate(_SYMBOLS).replace("''", '"')
    text = _DIGIT_HYPHEN.sub(",", text)
    return _DATUM.sub(" ", text) if "wgs" in text else text


def _coordinates(text: str, utm_epsg: int) -> ParsedLocation | None:
    """The whole text read as one coordinate pair; None when it is not written as one."""
    tokens = []  # (kind, text, unit, start, end)
    big = False
    for match in _COORD_TOKEN.finditer(_coordinate_text(text)):
        number, unit, word, sep = match.groups()
        if number is not None:
            tokens.append(("num", number, unit, match.start(), match.end()))
            big = big or len(_INTEGER_PART.match(number).group(1)) >= 5
        elif word is not None:
            if word not in _COORDINATE_WORDS:
                return None  # "desa", "jl": no coordinate text
            tokens.append(("word", word, None, match.start(), match.end()))
        else:
            tokens.append(("sep", sep, None, match.start(), match.end()))
    if big:
        return _utm(tokens, utm_epsg)
    return _degrees(tokens)


def _degrees(tokens: list[tuple]) -> ParsedLocation | None:
    """Decimal degrees, DDM or DMS, with or without hemisphere letters, in either order."""
    items: list[tuple[str, object]] = []
    labelled = False
    for kind, text, unit, _, _ in tokens:
        if kind == "word":
            if text in _LABELS:
                labelled = labelled or text in _STRONG_LABELS
                continue
            hemisphere = _HEMISPHERES.get(text)
            if hemisphere is None:
                return None  # a word that coordinates do not have
            items.append(("hem", hemisphere))
        else:
            items.append((kind, (text, unit) if kind == "num" else None))
    groups = _pair_groups(items)
    if groups is None:  # "1.9 S 116.2" (one letter) is a wrong pair; "2025" or a phone number is none
        wrong = labelled or any(kind == "hem" for kind, _ in items)
        return _unreadable("coordinates") if wrong else None
    values = [_component(nums, hemisphere) for nums, hemisphere in groups]
    ordered = None if None in values else _ordered(values[0][0], values[0][1], values[1][0], values[1][1])
    if ordered is None:  # written as a pair, but no degrees: unreadable coordinates if it looks like some
        return _unreadable("coordinates") if labelled or _looks_like_degrees(groups) else None
    form = _FORMS[max(_FORMS.index(values[0][2]), _FORMS.index(values[1][2]))]
    return ParsedLocation("point", ordered[0], ordered[1], form=form)


def _looks_like_degrees(groups: list[tuple[list, tuple | None]]) -> bool:
    """Letters, marks or decimals, and no number of four or more integer digits ("2025 2026", phones)."""
    numbers = [(text, unit) for nums, _ in groups for text, unit in nums]
    if any(len(_INTEGER_PART.match(text).group(1)) > 3 for text, _ in numbers):
        return False
    return any(h for _, h in groups) or any(unit or "." in text or "," in text for text, unit in numbers)


def _pair_groups(items: list[tuple[str, object]]) -> list[tuple[list, tuple | None]] | None:
    """Split numbers, separators and hemisphere letters into two values: (numbers, hemisphere) each."""
    hems = [i for i, (kind, _) in enumerate(items) if kind == "hem"]
    core = [i for i, (kind, _) in enumerate(items) if kind != "sep"]
    if len(core) < 2:
        return None
    if hems:
        if len(hems) != 2:
            return None  # letters for both values or for neither
        if hems[0] == core[0]:  # letters before: S 1.9 E 116.2
            spans = [(hems[0] + 1, hems[1]), (hems[1] + 1, len(items))]
        elif hems[1] == core[-1]:  # letters after: 1.9 S 116.2 E
            spans = [(0, hems[0]), (hems[0] + 1, hems[1])]
        else:
            return None
        groups = []
        for (start, end), h in zip(spans, hems, strict=True):
            part = _strip_seps(items[start:end])
            if not part or any(kind != "num" for kind, _ in part):
                return None
            groups.append(([value for _, value in part], items[h][1]))
        return groups
    parts: list[list] = [[]]
    for kind, value in items:
        if kind == "sep":
            parts.append([])
        else:
            parts[-1].append(value)
    parts = [p for p in parts if p]
    if len(parts) == 2:
        return [(parts[0], None), (parts[1], None)]
    if len(parts) != 1:
        return None
    nums = parts[0]
    if any(unit for _, unit in nums):  # marks tell where the second value starts
        groups, last = [[]], -1
        for text, unit in nums:
            slot = _SLOT[unit] if unit else last + 1
            finished = bool(groups[-1]) and ("." in groups[-1][-1][0] or "," in groups[-1][-1][0])
            if slot <= last or slot > 2 or finished:  # a new value: "1°52'10\" 116°4'3\"", "-1.9° 116.2"
                groups.append([])
                slot = _SLOT[unit] if unit else 0
            groups[-1].append((text, unit))
            last = slot
        return [(g, None) for g in groups] if len(groups) == 2 else None
    if len(nums) in (2, 4, 6):  # no marks: 1+1, 2+2 (DDM) or 3+3 (DMS)
        half = len(nums) // 2
        return [(nums[:half], None), (nums[half:], None)]
    return None


def _strip_seps(part: list[tuple[str, object]]) -> list[tuple[str, object]]:
    start, end = 0, len(part)
    while start < end and part[start][0] == "sep":
        start += 1
    while end > start and part[end - 1][0] == "sep":
        end -= 1
    return part[start:end]


def _component(nums: list[tuple[str, str | None]], hemisphere: tuple | None) -> tuple | None:
    """(signed degrees, axis or None, form) of one value's 1-3 numbers; None when they are no degrees."""
    slots: list[str | None] = [None, None, None]
    last = -1
    for text, unit in nums:
        slot = _SLOT[unit] if unit else last + 1
        if slot <= last or slot > 2:
            return None
        slots[slot] = text
        last = slot
    present = slots[: last + 1]
    if None in present or any(p[0] in "+-" for p in present[1:]):
        return None  # seconds without minutes, or a sign on minutes
    if any("." in p or "," in p for p in present[:-1]):
        return None  # only the last part may have decimals
    numbers = [abs(float(p.replace(",", "."))) for p in present]
    if any(n >= 60 for n in numbers[1:]):
        return None
    value = numbers[0] + sum(n / 60**i for i, n in enumerate(numbers[1:], start=1))
    negative = present[0][0] == "-"
    axis = None
    if hemisphere is not None:
        axis, sign = hemisphere
        if negative and sign > 0:
            return None  # "-1.9 N": which is meant?
        value *= sign
    elif negative:
        value = -value
    return value, axis, _FORMS[last]


def _ordered(a: float, axis_a: str | None, b: float, axis_b: str | None) -> tuple[float, float] | None:
    """(lat, lon) of two values: by their letters, else by range (Indonesia's longitudes 94..142)."""
    if axis_a is not None and axis_b is not None:
        if axis_a == axis_b:
            return None
        lat, lon = (a, b) if axis_a == "lat" else (b, a)
    elif 94 <= abs(a) <= 142 and abs(b) <= 90:
        lat, lon = b, a
    elif abs(a) <= 90 and abs(b) <= 180:
        lat, lon = a, b
    else:
        lat, lon = b, a
    if abs(lat) > 90 or abs(lon) > 180:
        return None
    return lat, lon


# --- coordinates: UTM ---------------------------------------------------------------------------------------

_EASTING = frozenset({"e", "x", "me", "easting", "east"})
_NORTHING = frozenset({"n", "y", "mn", "northing", "north"})
_UTM_WORDS = _LABELS | {"utm", "zona", "zone", "m", "meter", "metre"}
_BANDS = "cdefghjklmnpqrstuvwx"  # latitude bands; C..M are south of the equator
_LABEL_LETTERS = "enx"  # also labels: a band only when written against the zone number ("50N")


def _utm(tokens: list[tuple], utm_epsg: int) -> ParsedLocation | None:
    """Easting and northing (with an optional zone and band) as a point; None when not written so."""
    zone = band = None
    big: list[list] = []  # [value, axis or None, token index]
    labels: list[tuple[str, int]] = []
    i = 0
    while i < len(tokens):
        kind, text, unit, start, end = tokens[i]
        if kind == "num":
            digits = _INTEGER_PART.match(text).group(1)
            if len(digits) >= 5 and unit is None:
                big.append([float(text.replace(",", ".")), None, i])
            elif zone is None and not big and text.isdigit() and 1 <= int(text) <= 60 and unit is None:
                zone = int(text)
                following = tokens[i + 1] if i + 1 < len(tokens) else None
                if following and following[0] == "word" and len(following[1]) == 1 and following[1] in _BANDS:
                    if following[1] not in _LABEL_LETTERS or following[3] == end:
                        band = following[1]
                        i += 1
            else:
                return None
        elif kind == "word":
            if text in _EASTING or text in _NORTHING:
                labels.append(("e" if text in _EASTING else "n", i))
            elif text not in _UTM_WORDS:
                return None
        i += 1
    if len(big) != 2 or len(labels) > 2:
        return None
    if labels:  # labels before the numbers name the next number, labels after the previous one
        before = labels[0][1] < big[0][2]
        for axis, at in labels:
            candidates = [b for b in big if (b[2] > at if before else b[2] < at)]
            if not candidates:
                return None
            target = min(candidates, key=lambda b: abs(b[2] - at))
            if target[1] is not None:
                return None
            target[1] = axis
        if big[0][1] == big[1][1] and big[0][1] is not None:
            return None
        if big[0][1] is None:
            big[0][1] = "e" if big[1][1] == "n" else "n"
        if big[1][1] is None:
            big[1][1] = "e" if big[0][1] == "n" else "n"
        easting, northing = (big[0][0], big[1][0]) if big[0][1] == "e" else (big[1][0], big[0][0])
    elif big[0][0] >= 1_000_000 > big[1][0]:
        northing, easting = big[0][0], big[1][0]
    else:
        easting, northing = big[0][0], big[1][0]
    if not (100_000 <= easting < 1_000_000 and 0 <= northing <= 10_000_000):
        return _unreadable("utm")
    if zone is None:
        epsg = utm_epsg
    else:
        if band is None:
            south = not (32600 < utm_epsg <= 32660)
        elif band == "s":
            south = northing >= 5_000_000
        else:
            south = band < "n"
        epsg = (32700 if south else 32600) + zone
    lon, lat = _to_wgs84(epsg).transform(easting, northing)
    if not (abs(lat) <= 90 and abs(lon) <= 180):  # also NaN and infinity
        return _unreadable("utm")
    return ParsedLocation("point", float(lat), float(lon), form="utm")


_COORDINATE_WORDS = _UTM_WORDS | _EASTING | _NORTHING | _HEMISPHERES.keys() | set(_BANDS)


@lru_cache(maxsize=128)
def _to_wgs84(epsg: int) -> Transformer:
    return Transformer.from_crs(epsg, 4326, always_xy=True)


# --- links --------------------------------------------------------------------------------------------------

_URL = re.compile(
    r"(?:https?://|www\.)\S+|\bgeo:\S+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|gl|ly|id|org|net|app|me|co|to|link|page)(?:\.[a-z]{2})?/\S*",
    re.IGNORECASE,
)
_N = r"([+-]?\d{1,3}(?:\.\d+)?)"
_PIN = re.compile(rf"!3d{_N}!4d{_N}")
_MLAT = re.compile(rf"[?&;]mlat={_N}")
_MLON = re.compile(rf"[?&;]mlon={_N}")
_OSM_MAP = re.compile(rf"[#?&]map=\d+(?:\.\d+)?/{_N}/{_N}")
_PARAM = re.compile(
    r"[?&#;](?:q|query|ll|sll|daddr|saddr|destination|center|cbll|near|loc)=([^&#]+)", re.IGNORECASE
)
_BING = re.compile(rf"[?&]cp={_N}~{_N}")
_GEO = re.compile(rf"geo:{_N},{_N}", re.IGNORECASE)
_AT = re.compile(rf"@{_N},{_N}")
_PATH_PAIR = re.compile(r"(?<![\w.])([+-]?\d{1,3}\.\d+),\s*([+-]?\d{1,3}\.\d+)(?![\w.])")
_LABEL_IN_BRACKETS = re.compile(r"\(.*?\)|^loc:", re.IGNORECASE)


def _link_point(url: str, utm_epsg: int) -> ParsedLocation | None:
    """The coordinates a map link carries, as a point (or unreadable coordinates); None without any."""
    url = unquote(url)
    if "%" in url:
        url = unquote(url)  # encoded twice (a link pasted through another link)
    url = url.replace("+", " ")
    for pattern in (_PIN, _OSM_MAP):
        if match := pattern.search(url):
            return _link_pair(*match.groups())
    if (lat := _MLAT.search(url)) and (lon := _MLON.search(url)):
        return _link_pair(lat.group(1), lon.group(1))
    for match in _PARAM.finditer(url):
        value = _LABEL_IN_BRACKETS.sub(" ", match.group(1).strip())
        if _DIGIT.search(value) and (found := _coordinates(value, utm_epsg)) is not None:
            if found.kind == "point":
                found = ParsedLocation("point", found.lat, found.lon, form="link")
            return found
    for pattern in (_BING, _GEO, _AT, _PATH_PAIR):
        match = pattern.search(url)
        if match and not (pattern is _GEO and float(match.group(1)) == float(match.group(2)) == 0):
            return _link_pair(*match.groups())
    return None


def _link_pair(lat: str, lon: str) -> ParsedLocation:
    ordered = _ordered(float(lat), None, float(lon), None)
    if ordered is None:
        return _unreadable("coordinates")
    return ParsedLocation("point", ordered[0], ordered[1], form="link")


# --- addresses ----------------------------------------------------------------------------------------------

_ALL_VILLAGES = re.compile(
    r"\b(?:semua|seluruh|segenap)\s+(?:desa|kelurahan|kampung)(?:\s*(?:/|dan|&)\s*(?:desa|kelurahan))?\b"
    r"|\bse[-\s]?(?=kec(?:amatan)?\b)",
    re.IGNORECASE,
)
_EVERYWHERE = re.compile(
    r"\b(?:semua|seluruh|segenap)\s+(?:wilayah|kecamatan|daerah)\b"
    r"|\b\d+\s*kec(?:amatan)?\b\.?(?=\s*(?:$|[,;/()\n]|di\b|se\b|se-))"  # "10 Kecamatan", not "RT 10 Kec. X"
    r"|\bse[-\s]?(?=kab(?:upaten)?\b)",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"[,;/|\n()\[\]{}&]|\s(?:[-–—]+|dan|serta|atau|and)(?=\s)", re.IGNORECASE)
_WORD = re.compile(r"\w+\.?")
_MARKERS = {
    **dict.fromkeys(("desa", "ds", "kelurahan", "kel", "kalurahan"), "village"),
    **dict.fromkeys(("kampung", "kp", "kmp"), "kampung"),
    **dict.fromkeys(("kecamatan", "kec", "kacamatan"), "district"),
    **dict.fromkeys(("kabupaten", "kab"), "regency"),
    **dict.fromkeys(("provinsi", "propinsi", "prov", "kalimantan", "kaltim", "indonesia"), "province"),
    **dict.fromkeys(
        "dusun dsn lingkungan rt rw jalan jln jl gang gg lorong blok komplek kompleks perumahan perum "
        "no nomor km kode kodepos".split(),
        "stop",
    ),
}
_WIDE_HINTS = ("semua", "seluruh", "segenap", "se-", "se ", "sekab", "sekec")
_FILLERS = frozenset(
    "di ke dari pada lokasi wilayah daerah kawasan area sekitar sekitarnya alamat tempat titik saya dll dsb "
    "dst lainnya lain yaitu meliputi antara dan serta atau the in at".split()
)
_NAME_PUNCTUATION = " .,:;-–—'\"*#=+!?"
# What an unmarked segment after a segment ending with this marker is ("drop": nothing).
_CARRIED = {
    "village": "village", "district": "district", "kampung": "kampung", "regency": "drop", "province": "drop"
}  # fmt: skip
_PAIR_SEPARATORS = frozenset(",;/|()[]{}\n-")


@dataclass
class _Address:
    """What the segments of an address said so far."""

    villages: list[str]
    districts: list[str]
    kampungs: list[str]
    bare: list[tuple[str, str]]  # (separator before it, text)
    regency: bool = False
    other_regency: bool = False
    marked: bool = False


def _address(cell: str, regencies: frozenset[str]) -> ParsedLocation:
    """Village and district names by their markers, or the regency, or an unmarked text."""
    text, all_villages, everywhere = cell, 0, 0
    low = cell.casefold()
    if any(hint in low for hint in _WIDE_HINTS) or ("kec" in low and _DIGIT.search(low)):
        text, all_villages = _ALL_VILLAGES.subn(" , ", text)
        text, everywhere = _EVERYWHERE.subn(" , ", text)
    found = _Address([], [], [], [])
    context = None
    for separator, segment in _segments(text):
        context = _read_segment(segment, separator, context, found, regencies)
    if found.other_regency:
        return _unreadable("other_regency")
    villages, districts = found.villages, found.districts
    if not villages and found.kampungs:
        villages = found.kampungs  # no other village marker: the kampung is the village
    bare = found.bare
    if villages or districts:
        if not villages and len(bare) == 1 and not _DIGIT.search(bare[0][1]):
            villages = [bare[0][1]]  # "Lori, Kec. Long Kali"
        return _names(villages, districts, None, bool(all_villages), "address")
    if bare:
        if any(_DIGIT.search(b) for _, b in bare):
            return _unreadable("text")
        if len(bare) == 1:
            if all_villages:
                return _names((), (bare[0][1],), None, True, "address")  # "semua desa Long Kali"
            return _names((), (), bare[0][1], False, "bare")
        if len(bare) == 2 and bare[1][0] in _PAIR_SEPARATORS:
            return _names((bare[0][1],), (bare[1][1],), None, False, "pair")
        return _unreadable("bare_list")
    if all_villages:
        return ParsedLocation("regency", all_villages=True, form="regency")
    if everywhere or found.regency:
        return REGENCY
    if found.marked:
        return _unreadable("address")
    return _unreadable("text")


def _names(villages, districts, bare: str | None, all_villages: bool, form: str) -> ParsedLocation:
    return ParsedLocation(
        "names", villages=tuple(villages), districts=tuple(districts), bare=bare,
        all_villages=all_villages, form=form,
    )  # fmt: skip


def _segments(text: str):
    """(separator before, segment) pairs; the first separator is ""."""
    separator, start = "", 0
    for match in _SEPARATOR.finditer(text):
        yield separator, text[start : match.start()]
        separator = match.group()
        if len(separator) > 1:  # " dan", " - "
            separator = "-" if separator[1] in "-–—" else "&"
        start = match.end()
    yield separator, text[start:]


def _read_segment(
    segment: str, separator: str, context: str | None, found: _Address, regencies: frozenset[str]
) -> str | None:
    """Add what one segment names to ``found``; return the context an unmarked next segment inherits."""
    markers = _markers(segment)
    if not markers:
        name = _unmarked(segment)
        if not name:
            return context
        if context == "drop" or _is_regency(name, regencies):
            found.regency = found.regency or context != "drop"
        elif _DIGIT.search(name) or context not in ("village", "district", "kampung"):
            found.bare.append((separator, name))  # a digit: "Desa Lori, koordinat -1.9, 116.2" is no list
        else:
            {"village": found.villages, "district": found.districts, "kampung": found.kampungs}[
                context
            ].append(name)
        return context
    found.marked = True
    prefix = _unmarked(segment[: markers[0][0]])
    if _is_regency(prefix, regencies):
        found.regency = True
    elif prefix and len(prefix.split()) <= 3 and not _has_filler(prefix):
        found.bare.append((separator, prefix))  # "Lori Kec. Long Kali"; else prose, dropped
    i, kind = 0, None
    while i < len(markers):
        _, after, kind, word = markers[i]
        end = markers[i + 1][0] if i + 1 < len(markers) else len(segment)
        name = _name(segment[after:end])
        if kind in ("village", "district") and not name and i + 1 < len(markers):
            _, following_end, following_kind, following_word = markers[i + 1]
            if following_kind == "kampung":  # "Desa Kampung Baru": Kampung begins the name
                i += 1
                end = markers[i + 1][0] if i + 1 < len(markers) else len(segment)
                name = _kampung_name(following_word, segment[following_end:end])
        if kind == "village" and name:
            found.villages.append(name)
        elif kind == "district" and name:
            found.districts.append(name)
        elif kind == "kampung":
            if name:
                found.kampungs.append(_kampung_name(word, name))
        elif kind == "regency":
            if name and regencies and not _is_regency(name, regencies):
                found.other_regency = True
            found.regency = True
        i += 1
    return _CARRIED.get(kind)


def _markers(segment: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, word) of each marker or stop word of a segment, a five-digit postal code too."""
    found = []
    for match in _WORD.finditer(segment):
        word = match.group()
        kind = _MARKERS.get(word.rstrip(".").casefold())
        if kind is None and len(word.rstrip(".")) == 5 and word[:5].isdigit():
            kind = "stop"  # a postal code
        if kind is not None:
            found.append((match.start(), match.end(), kind, word))
    return found


def _name(text: str) -> str:
    """A name as written: inner whitespace single, surrounding punctuation off."""
    return " ".join(text.split()).strip(_NAME_PUNCTUATION)


def _unmarked(text: str) -> str:
    """Unmarked text without leading filler words ("di Long Ikis" -> "Long Ikis"); "" if only fillers."""
    words = _name(text).split()
    start = 0
    while start < len(words) and words[start].casefold().strip(_NAME_PUNCTUATION) in _FILLERS:
        start += 1
    return _name(" ".join(words[start:]))


def _has_filler(text: str) -> bool:
    return any(word.casefold() in _FILLERS for word in text.split())


def _kampung_name(marker: str, name: str) -> str:
    """ "Kp. Baru" -> "Kampung Baru"; "KAMPUNG Baru" kept as written."""
    name = _name(name)
    if not name:
        return ""
    word = marker.rstrip(".").strip()
    return f"{'Kampung' if word.casefold() in ('kp', 'kmp') else word} {name}"


def _is_regency(name: str, regencies: frozenset[str]) -> bool:
    """Whether ``name`` is one of the regency's names (never when none are given)."""
    if not regencies or not name:
        return False
    normal = _normalised(name)
    return normal in regencies or normal.replace(" ", "") in regencies
