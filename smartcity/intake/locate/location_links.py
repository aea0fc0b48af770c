"""Map links in a location cell: the point a Google, OpenStreetMap, Apple, Bing, Waze or geo: link carries.

:data:`URL` finds links in a cell; :func:`link_point` reads the coordinates out of one (percent-encoding
decoded, then the pin, map, query and path forms in a fixed order). Short links are not followed: nothing
is fetched. Which forms and in which order: :mod:`smartcity.intake.locate.locations`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from smartcity.intake.locate.location_coordinates import (
    ParsedLocation,
    ordered_pair,
    read_coordinates,
    unreadable,
)

URL = re.compile(
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

_DIGIT = re.compile(r"\d")


def link_point(url: str, utm_epsg: int) -> ParsedLocation | None:
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
        if _DIGIT.search(value) and (found := read_coordinates(value, utm_epsg)) is not None:
            if found.kind == "point":
                found = ParsedLocation("point", found.lat, found.lon, form="link")
            return found
    for pattern in (_BING, _GEO, _AT, _PATH_PAIR):
        match = pattern.search(url)
        if match and not (pattern is _GEO and float(match.group(1)) == float(match.group(2)) == 0):
            return _link_pair(*match.groups())
    return None


def _link_pair(lat: str, lon: str) -> ParsedLocation:
    ordered = ordered_pair(float(lat), None, float(lon), None)
    if ordered is None:
        return unreadable("coordinates")
    return ParsedLocation("point", ordered[0], ordered[1], form="link")
