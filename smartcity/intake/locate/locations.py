"""What one free-text location cell says: a point, village and district names, or the whole regency.

Agency staff type or paste a location into one column (``Lokasi``, ``Alamat``, ``Titik Koordinat``,
``Link Lokasi``, ``Lokasi (Desa/Kec.)``). :func:`parse_location` reads one such cell and returns what the
text says; it does not know the gazetteer: :mod:`smartcity.intake.locate.matching` matches names to places and
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

Modules: this one routes a cell and holds the public names; the readers are
:mod:`smartcity.intake.locate.location_coordinates` (decimal, DMS/DDM, pair order, UTM; it also
defines :class:`ParsedLocation`, the result every reader returns),
:mod:`smartcity.intake.locate.location_links` (map links) and
:mod:`smartcity.intake.locate.location_addresses` (addresses, the regency). Links and addresses import
only from the coordinate module and this module imports all three, so there is no import cycle.

Speed: regular expressions are compiled once; a cell is routed by cheap checks (a "/" or ":" before
looking for a URL, a digit before trying coordinates, a word list instead of one big marker regex).
A cell takes 10-40 µs on the two-core test machine (``bench/intake_parsers.py`` prints
figures); :func:`parse_locations` reads each distinct cell once (``pd.factorize``) and spreads the results
with one numpy take: a million cells with 20,000 distinct values take about 0.8 s.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from smartcity.intake.locate.location_addresses import REGENCY, read_address, regency_set
from smartcity.intake.locate.location_coordinates import ParsedLocation, embedded_pair, read_coordinates
from smartcity.intake.locate.location_links import URL, link_point

__all__ = ["EMPTY", "REGENCY", "ParsedLocation", "parse_location", "parse_locations", "village_spellings"]

EMPTY = ParsedLocation("empty")
_LINK_UNREADABLE = ParsedLocation("link_unreadable", form="link")


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
    regencies = regency_set(tuple(regency_names))
    # a link first: it may carry coordinates whatever the text around it says
    if ("/" in cell or ":" in cell) and URL.search(cell):
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


# --- cells --------------------------------------------------------------------------------------------------


def _text_cell(cell: str, regencies: frozenset[str], utm_epsg: int) -> ParsedLocation:
    """A cell without a link: coordinates as a whole, coordinates inside text, or an address."""
    if not _DIGIT.search(cell):
        return read_address(cell, regencies)
    whole = read_coordinates(cell, utm_epsg)
    if whole is not None:
        return whole
    inside = embedded_pair(cell)
    if inside is not None:
        point = read_coordinates(inside.group(), utm_epsg)
        if point is not None:
            rest = read_address(f"{cell[: inside.start()]} , {cell[inside.end() :]}", regencies)
            return _with_names(point, rest)
    return read_address(cell, regencies)


def _link_cell(cell: str, regencies: frozenset[str], utm_epsg: int) -> ParsedLocation:
    """A cell with a URL: its coordinates (plus names around it), else what the rest of the cell says."""
    point = None
    for match in URL.finditer(cell):
        point = link_point(match.group(), utm_epsg)
        if point is not None:
            break
    rest_text = _clean(URL.sub(" , ", cell)).strip(" ,")
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
