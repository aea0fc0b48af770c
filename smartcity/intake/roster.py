"""The submission roster: the region's agencies (OPD), and which of them have sent a worksheet.

Decisions:

* The roster is a CSV with ``name``, ``short_name`` and ``aliases`` (several, separated by ``;``), UTF-8
  (a BOM is fine). Setting ``SMARTCITY_AGENCY_ROSTER``; ``geodata/demo/agency_roster.csv`` for the demo.
* Matching is exact on a normalised key, never fuzzy: a wrong match would tell planners an agency has
  submitted when it has not. The key ignores case, accents, punctuation, spacing, the word ``dan`` (and
  ``&``), and a trailing ``Kabupaten <region>`` (``Kab.``, ``Pemkab``); an agency is found by its name,
  short name (Dinkes, DPUPR, Disdikbud), aliases, or the common Indonesian abbreviation of its name
  (:data:`ABBREVIATIONS`). A provincial agency (``Dinas Kesehatan Provinsi``) or a unit of an agency
  (``UPTD Puskesmas``) stays unmatched, and is listed as "not on the roster".
* Pure: no database, no files except :func:`load_roster`; the report, the master plan document and
  ``smartcity status --agencies`` all use :func:`submission_status`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from smartcity.platform.errors import InputError

#: common short forms of agency names in Paser and elsewhere in Indonesia -> the long form they stand for
ABBREVIATIONS = {
    "dinkes": "dinas kesehatan",
    "disdik": "dinas pendidikan",
    "disdikbud": "dinas pendidikan kebudayaan",
    "dishub": "dinas perhubungan",
    "dlh": "dinas lingkungan hidup",
    "dinsos": "dinas sosial",
    "dpupr": "dinas pekerjaan umum penataan ruang",
    "pupr": "dinas pekerjaan umum penataan ruang",
    "diskominfo": "dinas komunikasi informatika",
    "disdukcapil": "dinas kependudukan catatan sipil",
    "bappeda": "badan perencanaan pembangunan daerah",
    "bpbd": "badan penanggulangan bencana daerah",
    "setda": "sekretariat daerah",
    "setwan": "sekretariat dprd",
}
_DROP_WORDS = {"dan"}
_REGION_TAIL = re.compile(r"\b(?:pemerintah kabupaten|pemkab|kabupaten|kab)\b.*$")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
REQUIRED_COLUMNS = ("name", "short_name", "aliases")


@dataclass(frozen=True)
class Agency:
    """One agency of the roster: its official name, its short name and other names it goes by."""

    name: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every name the agency may be written as."""
        return tuple(n for n in (self.name, self.short_name, *self.aliases) if n)


@dataclass
class Roster:
    """The region's agencies, with an index from normalised names to agencies."""

    agencies: list[Agency]
    index: dict[str, Agency] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for agency in self.agencies:
            for name in agency.names():
                for key in name_keys(name):
                    other = self.index.setdefault(key, agency)
                    if other != agency:
                        raise InputError(
                            f"agency roster: {name!r} names both {other.name!r} and {agency.name!r}"
                        )


def normalise_name(text: object) -> str:
    """``text`` as a comparison key: lower case, no accents or punctuation, single spaces, without
    ``dan`` and without a trailing ``Kabupaten <region>``."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    words = _PUNCTUATION.sub(" ", folded).split()
    key = " ".join(w for w in words if w not in _DROP_WORDS)
    return _REGION_TAIL.sub("", key).strip()


def name_keys(text: object) -> set[str]:
    """The keys ``text`` is found by: its normalised form and, for a known abbreviation, its long form."""
    key = normalise_name(text)
    if not key:
        return set()
    keys = {key}
    if key in ABBREVIATIONS:
        keys.add(ABBREVIATIONS[key])
    compact = key.replace(" ", "")
    if compact in ABBREVIATIONS:  # "DPM-PTSP", "Dinkes." ...
        keys.add(compact)
        keys.add(ABBREVIATIONS[compact])
    return keys


def match_agency(text: object, roster: Roster) -> Agency | None:
    """The roster's agency that ``text`` names, or None (see the module docstring: exact keys only)."""
    for key in sorted(name_keys(text)):
        if key in roster.index:
            return roster.index[key]
    return None


def parse_roster(rows: Iterable[Mapping[str, object]], source: str = "agency roster") -> Roster:
    """A roster from CSV rows (``name``, ``short_name``, ``aliases`` separated by ``;``)."""
    agencies = []
    for number, row in enumerate(rows, start=2):
        name = str(row.get("name") or "").strip()
        if not name:
            raise InputError(f"{source}: line {number} has no name")
        aliases = tuple(a.strip() for a in str(row.get("aliases") or "").split(";") if a.strip())
        agencies.append(Agency(name, str(row.get("short_name") or "").strip(), aliases))
    if not agencies:
        raise InputError(f"{source}: no agencies listed")
    return Roster(agencies)


def load_roster(path: Path | str) -> Roster:
    """The roster CSV at ``path`` (UTF-8, with or without a BOM)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS[:1] if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path}: the agency roster needs the columns {', '.join(REQUIRED_COLUMNS)}")
            return parse_roster(list(reader), str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: agency roster not found (SMARTCITY_AGENCY_ROSTER)") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: the agency roster is not UTF-8 text") from None


def submission_status(roster: Roster | None, submissions: Iterable[Mapping]) -> list[dict]:
    """Per roster agency (roster order), then per agency not on it: submitted or not, worksheets, last
    received, rows, rows loaded and rejected. ``submissions``: ``agency``, ``received_at``, ``rows``,
    ``loaded``, ``rejected`` (superseded ones left out by the caller)."""
    out: dict[str, dict] = {}
    if roster is not None:
        for agency in roster.agencies:
            out[agency.name] = _blank(agency.name, agency.short_name, on_roster=True)
    for s in submissions:
        written = str(s.get("agency") or "").strip()
        agency = match_agency(written, roster) if roster is not None else None
        name = agency.name if agency else (written or "–")
        entry = out.setdefault(name, _blank(name, "", on_roster=False))
        if written and written != name and written not in entry["written_as"]:
            entry["written_as"].append(written)
        entry["submitted"] = True
        entry["worksheets"] += 1
        for key in ("rows", "loaded", "rejected"):
            entry[key] += int(s.get(key) or 0)
        received = s.get("received_at")
        if isinstance(received, datetime) and (
            entry["last_received"] is None or received > entry["last_received"]
        ):
            entry["last_received"] = received
    return list(out.values())


def _blank(name: str, short_name: str, *, on_roster: bool) -> dict:
    return {
        "agency": name, "short_name": short_name, "on_roster": on_roster, "submitted": False, "worksheets": 0,
        "last_received": None, "rows": 0, "loaded": 0, "rejected": 0, "written_as": [],
    }  # fmt: skip
