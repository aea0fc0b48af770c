"""Addresses in a location cell: village and district names by their markers, lists, the regency, kampung.

:func:`read_address` cuts a cell into segments, reads the markers (Desa, Kel., Kec., Kab., Kampung) and
stop words of each, carries a marker over unmarked segments of a list, and tells the whole regency, another
regency and plain unmarked text apart; :func:`regency_set` prepares the regency's names for comparing.
Why each address reads as it does (decisions 4-9): :mod:`smartcity.intake.locate.locations`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from smartcity.intake.locate.location_coordinates import ParsedLocation, unreadable

REGENCY = ParsedLocation("regency", form="regency")

_ALL_VILLAGES = re.compile(
    r"\b(?:semua|seluruh|segenap)\s+(?:desa|kelurahan|kampung)(?:\s*(?:/|dan|&)\s*(?:desa|kelurahan))?\b"
    r"|\bse[-\s]?(?=kec(?:amatan)?\b)",
    re.IGNORECASE,
)
_EVERYWHERE = re.compile(
    r"\b(?:semua|seluruh|segenap|lintas)\s+(?:wilayah|kecamatan|daerah|kabupaten|kab)\b"
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
_WIDE_HINTS = ("semua", "seluruh", "segenap", "lintas", "se-", "se ", "sekab", "sekec")
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
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=32)
def regency_set(names: tuple[str, ...]) -> frozenset[str]:
    """The regency's names as compared: normalised, also without spaces."""
    found = {_normalised(n) for n in names} - {""}
    return frozenset(found | {n.replace(" ", "") for n in found})


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


def read_address(cell: str, regencies: frozenset[str]) -> ParsedLocation:
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
        return unreadable("other_regency")
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
            return unreadable("text")
        if len(bare) == 1:
            if all_villages:
                return _names((), (bare[0][1],), None, True, "address")  # "semua desa Long Kali"
            return _names((), (), bare[0][1], False, "bare")
        if len(bare) == 2 and bare[1][0] in _PAIR_SEPARATORS:
            return _names((bare[0][1],), (bare[1][1],), None, False, "pair")
        return unreadable("bare_list")
    if all_villages:
        return ParsedLocation("regency", all_villages=True, form="regency")
    if everywhere or found.regency:
        return REGENCY
    if found.marked:
        return unreadable("address")
    return unreadable("text")


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


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _normalised(name: str) -> str:
    """Lower case ASCII, punctuation as single spaces: for comparing regency names only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return _NOT_ALNUM.sub(" ", ascii_name).strip()
