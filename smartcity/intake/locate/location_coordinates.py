"""Coordinates in a location cell: decimal pairs, hemisphere letters, DMS and DDM, the order of a pair, UTM.

:func:`read_coordinates` reads a text that is one coordinate pair and nothing else (labels and hemisphere
words allowed); :func:`embedded_pair` finds a pair inside other text. UTM is converted by pyproj, one
cached Transformer per EPSG code. :class:`ParsedLocation`, what every reader of a location cell returns,
lives here because this is the lowest of the location modules (links read coordinates in their
parameters, addresses need only the result type); import it from :mod:`smartcity.intake.locate.locations`. The
forms and decisions (which order a pair takes, when UTM is south) are listed in that module's docstring.

Each number of a value is read by :func:`smartcity.intake.answer.validation.degrees_of`, the one reader of a
written degree value, and the hemisphere letters are the validator's (:data:`HEMISPHERE_LETTERS`), to
which a location cell adds the words (Selatan, Utara, ..., south, north, ...). What this module adds is
the rest of a pair: minutes and seconds, labels, the words, the order, and UTM. A latitude or longitude
column takes only decimal degrees and refuses a sign next to a letter; a location cell also reads
DDM/DMS and takes a minus next to S/W (negative once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pyproj import Transformer

from smartcity.intake.answer.validation import HEMISPHERE_LETTERS, degrees_of
from smartcity.platform.vocabulary import LON_RANGE


@dataclass(frozen=True, slots=True)
class ParsedLocation:
    """What one location cell says (every kind and form: :mod:`smartcity.intake.locate.locations`)."""

    kind: str  # "empty" | "point" | "names" | "regency" | "link_unreadable" | "unreadable"
    lat: float | None = None  # WGS84 degrees, for kind "point"
    lon: float | None = None
    villages: tuple[str, ...] = ()  # village names as written (markers removed)
    districts: tuple[str, ...] = ()  # district names as written
    bare: str | None = None  # unmarked text: a village or a district, the matcher decides
    all_villages: bool = False  # "semua desa" (of the district named, else of the regency)
    form: str | None = None  # which form was recognised


def unreadable(form: str) -> ParsedLocation:
    """What a cell says when it cannot be read, and ``form`` why (see the kinds)."""
    return ParsedLocation("unreadable", form=form)


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
# the letters a latitude or longitude column takes, and in a location cell the words too
_HEMISPHERES = {
    **HEMISPHERE_LETTERS,
    **dict.fromkeys(("utara", "north"), ("lat", 1.0)),
    **dict.fromkeys(("selatan", "south"), ("lat", -1.0)),
    **dict.fromkeys(("timur", "east"), ("lon", 1.0)),
    **dict.fromkeys(("barat", "west"), ("lon", -1.0)),
}
_FORMS = ("decimal", "ddm", "dms")
# A pair inside other text: decimals (one of them with at least 3 places), or DMS/DDM with a degree sign.
_H = r"(?:lu|ls|bt|bb|[nsew])"
_DEC = r"[+-]?\d{1,3}[.,]\d+(?:\s*°)?"
_THREE_DECIMALS = re.compile(r"\d[.,]\d{3}")
_DMS = r"\d{1,3}\s*°\s*\d{1,2}(?:[.,]\d+)?\s*'(?:\s*\d{1,2}(?:[.,]\d+)?\s*(?:\"|'')?)?"
_ONE = rf"(?:{_H}\s?)?(?:{_DMS}|{_DEC})(?:\s?{_H}(?![a-z]))?"
_EMBEDDED = re.compile(rf"(?<![\w.,]){_ONE}\s*[,;/]?\s*{_ONE}(?![\d])", re.IGNORECASE)


def embedded_pair(text: str) -> re.Match | None:
    """A pair inside other text worth taking out (a degree sign, or a decimal with three places), else None.

    The match is on ``text`` with one spelling of the marks: the same length, so its positions hold.
    """
    inside = _EMBEDDED.search(text.translate(_SYMBOLS))
    if inside is not None and ("°" in inside.group() or _THREE_DECIMALS.search(inside.group())):
        return inside
    return None


def _coordinate_text(text: str) -> str:
    """Lower case, one spelling for degree/minute/second marks and minus, hyphens between digits as ','."""
    text = text.casefold().translate(_SYMBOLS).replace("''", '"')
    text = _DIGIT_HYPHEN.sub(",", text)
    return _DATUM.sub(" ", text) if "wgs" in text else text


def read_coordinates(text: str, utm_epsg: int) -> ParsedLocation | None:
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
        return unreadable("coordinates") if wrong else None
    values = [_component(nums, hemisphere) for nums, hemisphere in groups]
    ordered = None if None in values else ordered_pair(values[0][0], values[0][1], values[1][0], values[1][1])
    if ordered is None:  # written as a pair, but no degrees: unreadable coordinates if it looks like some
        return unreadable("coordinates") if labelled or _looks_like_degrees(groups) else None
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
    numbers = [abs(degrees_of(p)) for p in present]  # each number read as a degree column reads it
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


def ordered_pair(a: float, axis_a: str | None, b: float, axis_b: str | None) -> tuple[float, float] | None:
    """(lat, lon) of two values: by their letters, else by range (Indonesia's longitudes, LON_RANGE)."""
    if axis_a is not None and axis_b is not None:
        if axis_a == axis_b:
            return None
        lat, lon = (a, b) if axis_a == "lat" else (b, a)
    elif LON_RANGE[0] <= abs(a) <= LON_RANGE[1] and abs(b) <= 90:
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
        return unreadable("utm")
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
        return unreadable("utm")
    return ParsedLocation("point", float(lat), float(lon), form="utm")


_COORDINATE_WORDS = _UTM_WORDS | _EASTING | _NORTHING | _HEMISPHERES.keys() | set(_BANDS)


@lru_cache(maxsize=128)
def _to_wgs84(epsg: int) -> Transformer:
    return Transformer.from_crs(epsg, 4326, always_xy=True)
