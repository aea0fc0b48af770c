"""Which column holds what, from its header and from what it holds, as a person reading the sheet would.

A header on the alias list (:mod:`smartcity.intake.read.worksheet_headers`) says what its column is.
When the header is unknown, missing, in another language or abbreviated, the column's values say it:
mostly the region's village or district names, codes, dimension labels (or codes the sheet's legend
defines), SWOT words, urgency values, readiness aspects (short labels only), coordinates, map links or
addresses, agency names or years; and the longest free text is the description. :func:`recognise`
combines the two kinds of evidence and returns, per column read as a role, the evidence in words ("by
header 'Desa'", "by content: 14 of 15 values are village names"), which the agency's feedback shows.

Rules (decided):

- A header on the list wins, unless the column's values contradict it: under a header read as a place or
  a value column (village, district, dimension, SWOT, urgency, code, location) fewer than a fifth of the
  values are of that kind while four fifths are of another kind no other header claims: the content wins
  (a "Lokasi" over "Kecamatan | Desa" whose sub-header was not recognised, "Desa" over district names).
- A column without a role takes the kind at least 3 in 5 of its values are, if no column has it yet;
  when several columns compete for a kind, the one with the larger share wins.
- Names that are both a district's and a village's (Long Ikis, Kuaro, Tanah Grogot) count as a district:
  a district-level reading is never a wrong place for the village of that name, the other way round it is.
- No description column found: the column of longest free text (three words or more in most cells) is.
- Looking at content costs a sample: at most :data:`SAMPLE` values per column, evenly spaced.

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import numpy as np

from smartcity.intake.answer.validation import dimension_of, readiness_of, severity_of, swot_of
from smartcity.intake.read.context import DITTO
from smartcity.intake.read.legends import Legend, is_legend_text
from smartcity.intake.read.names import RegionNames
from smartcity.intake.read.worksheet_headers import NUMBERING_HEADER, normalise_header
from smartcity.platform.vocabulary import LAT_RANGE, LON_RANGE, normalise_code

SAMPLE = 200
MIN_OVERRULE = 5  # values a column needs before its content may overrule its header
CLAIM, KEEP_HEADER, OVERRIDE = 0.6, 0.2, 0.8
KIND_WORDS = {
    "village": "village names", "district": "district names", "code": "region codes",
    "dimension": "dimension labels", "swot": "SWOT categories", "severity": "urgency values",
    "lat": "latitudes", "lon": "longitudes", "location": "coordinates, map links or addresses",
    "agency": "agency names", "year": "years", "readiness": "readiness aspects", "description": "free text",
}  # fmt: skip
CHECKED_HEADERS = ("village", "district", "dimension", "swot", "severity", "code", "location", "readiness")

_NUMBER = re.compile(r"\s*[-+]?\d{1,3}(?:[.,]\d+)\s*")
_PAIR = re.compile(r"[-+]?\d{1,3}[.,]\d{2,}\s*[,;/ ]\s*[-+]?\d{1,3}[.,]\d{2,}")
_LINK = re.compile(
    r"(?i)\b(?:https?://|www\.|maps\.app\.goo\.gl|goo\.gl/maps|google\.[a-z.]+/maps|maps\.google)"
)
_ADDRESS = re.compile(r"(?i)\b(?:jl|jln|jalan|gg|gang|rt|rw|kel|kec|desa|dusun|km)\b\.?\s*\S")
_AGENCY = re.compile(
    r"(?i)^\s*(?:dinas|badan|bagian|sekretariat|kantor|inspektorat|satuan|satpol|bappeda\w*|bpbd|bpkad|"
    r"rsud|puskesmas|uptd|disdik\w*|dinkes|diskominfo\w*|dishub|dlh|dpmd|bkpsdm|disdukcapil|kecamatan|"
    r"kelurahan)\b"
)
_YEAR = re.compile(r"\s*(?:19[5-9]\d|20\d\d)(?:[.,]0+)?\s*")
_WORD = re.compile(r"[^\W\d_]{2,}")
_CODE_LIKE = re.compile(r"\s*[(\[]?\s*(?:\d{1,2}|[ivxIVX]{1,4}|[A-Za-z]{1,4})\s*[)\].]?\s*")


def _latitude(text: str) -> bool:
    return (
        bool(_NUMBER.fullmatch(text))
        and LAT_RANGE[0] <= float(text.strip().replace(",", ".")) <= LAT_RANGE[1]
    )


def _longitude(text: str) -> bool:
    return (
        bool(_NUMBER.fullmatch(text))
        and LON_RANGE[0] <= float(text.strip().replace(",", ".")) <= LON_RANGE[1]
    )


def _location(text: str) -> bool:
    return bool(_PAIR.search(text) or _LINK.search(text) or _ADDRESS.search(text))


def _code(text: str) -> bool:
    code = normalise_code(text)
    return code is not None and code.count(".") >= 2


def _free_text(text: str) -> bool:
    return len(text) >= 15 and len(_WORD.findall(text)) >= 3


_WHOLE_REGENCY = re.compile(
    r"(?i)^\s*(?:semua|seluruh|segenap|lintas)\s+(?:wilayah|kecamatan|desa|kelurahan|daerah|kabupaten)\b"
)


def _regency_wide(text: str, names: RegionNames) -> bool:
    return bool(_WHOLE_REGENCY.match(text)) or "regency" in names.kinds(text)


def recognisers(names: RegionNames | None, legend: Legend | None) -> dict[str, Callable[[str], bool]]:
    """Per kind, whether one value is of that kind."""
    legend = legend or Legend()
    checks: dict[str, Callable[[str], bool]] = {
        "dimension": lambda t: dimension_of(t) is not None or legend.read("dimension", t) is not None,
        "swot": lambda t: swot_of(t) is not None or legend.read("swot", t) is not None,
        "readiness": lambda t: readiness_of(t) is not None or legend.read("readiness", t) is not None,
        "severity": lambda t: severity_of(t) is not None,
        "code": _code,
        "lat": _latitude,
        "lon": _longitude,
        "location": _location,
        "agency": lambda t: bool(_AGENCY.match(t)),
        "year": lambda t: bool(_YEAR.fullmatch(t)),
        "description": _free_text,
    }
    if names is not None:
        # a district column holds the regency too where an issue concerns all of it ("Seluruh Kecamatan")
        # names of the rest of the province count too: a column of village names is one, wherever they lie
        def kinds(t: str) -> frozenset[str]:
            return names.kinds(t) or names.outside_kinds(t)

        checks["district"] = lambda t: "district" in kinds(t) or _regency_wide(t, names)
        checks["village"] = lambda t: "village" in kinds(t) and "district" not in kinds(t)
        checks["place"] = lambda t: bool(kinds(t) & {"district", "village"})
    return checks


def sample(values: np.ndarray, size: int = SAMPLE) -> list[str]:
    """At most ``size`` non-empty values, evenly spaced through the column (ditto marks left out: they
    repeat a value, they are not one)."""
    present = None
    if len(values) > 50 * size:  # a long column: evenly spaced probes first, the whole column only if sparse
        probes = np.linspace(0, len(values) - 1, 10 * size).astype(int)
        present = probes[~np.equal(values[probes], None)]
        if len(present) < size:
            present = None
    if present is None:
        present = np.flatnonzero(~np.equal(values, None))
    if len(present) > size:
        present = present[np.linspace(0, len(present) - 1, size).astype(int)]
    texts = (str(values[i]).strip() for i in present)
    return [t for t in texts if t and not DITTO.match(t)]


def shares(values: list[str], checks: dict[str, Callable[[str], bool]]) -> dict[str, tuple[int, int]]:
    """(values of the kind, values sampled) per kind."""
    if not values:
        return {}
    distinct = Counter(values)  # a column repeats its labels: each distinct value is looked at once
    found = {kind: sum(n for v, n in distinct.items() if check(v)) for kind, check in checks.items()}
    # a column of row numbers (1, 2, 3, ...) is no urgency, however small its numbers
    if found.get("severity") and _numbering(values):
        found["severity"] = 0
    # a column of place names: the names that are both a district's and a village's count for the district
    if "place" in found and found["place"] and found.get("district", 0) >= found["place"] * OVERRIDE:
        found["village"] = 0
    found.pop("place", None)
    return {kind: (count, len(values)) for kind, count in found.items() if count}


def _numbering(values: list[str]) -> bool:
    numbers = [v for v in values if v.isascii() and v.isdigit()]
    return len(numbers) >= 3 and numbers == sorted(numbers, key=int) and len(set(numbers)) == len(numbers)


def recognise(
    columns: list[np.ndarray],
    header_roles: dict[str, int],
    names: RegionNames | None = None,
    legend: Legend | None = None,
    headers: list[str | None] | None = None,
) -> tuple[dict[str, int], dict[int, dict]]:
    """Roles (role -> column index) from the headers and the content, and per column read as a role the
    evidence: ``{"by": "header"|"content", "matched": k, "sampled": n, "kind": ...}``."""
    checks = recognisers(names, legend)
    headers = headers or []
    by_column = {index: role for role, index in header_roles.items()}
    samples = [sample(values) for values in columns]  # each column looked at once, through its sample
    seen = {
        i: {} if NUMBERING_HEADER.fullmatch(str(_header(headers, i) or "")) else shares(values, checks)
        for i, values in enumerate(samples)
    }  # a "No" column is numbering, whatever its few numbers could be
    roles = dict(header_roles)
    evidence: dict[int, dict] = {i: {"by": "header", "header": _header(headers, i)} for i in by_column}
    # 1. a header contradicted by its content (enough of it: a handful of cells never overrules a header)
    for role, index in list(roles.items()):
        if role not in CHECKED_HEADERS or not seen[index]:
            continue
        values = samples[index]
        count, total = seen[index].get(role, (0, 1))
        if role in ("dimension", "swot"):  # codes a legend would define are the header's kind too
            count += sum(1 for v in values if _CODE_LIKE.fullmatch(v))
        if total < MIN_OVERRULE or count / total >= KEEP_HEADER:
            continue
        best = _best(seen[index], exclude=set(roles) - {role})
        if best and best[1] / best[2] >= OVERRIDE:
            del roles[role]
            roles[best[0]] = index
            evidence[index] = _content(best, headers, index, f"header {_header(headers, index)!r} overruled")
    # 2. the description first, when no header named it: the column of longest free text (descriptions
    # mention places and addresses, so they must not be claimed as a location column first)
    taken = set(roles.values())
    if "description" not in roles:
        texts = []
        for i in seen:
            if i in taken or "description" not in seen[i]:
                continue
            values = _body(samples[i], checks, _header(headers, i))
            count = sum(1 for v in values if _free_text(v))
            if count >= 2 and count / len(values) >= CLAIM:
                texts.append((np.mean([len(v) for v in values]), i, count, len(values)))
        if texts:
            _, index, count, total = max(texts)
            roles["description"] = index
            taken.add(index)
            evidence[index] = _content(("description", count, total), headers, index)
    # 3. columns without a role, by what most of their values are; a column of dimension (or SWOT) words
    # holds codes a legend would define too ("4" beside "living"): they count for it, words given
    for index, found in seen.items():
        for kind in ("dimension", "swot"):
            count, total = found.get(kind, (0, 0))
            if index not in taken and count >= 2 and 3 * count >= total:  # words: a third of it at least
                codes = [v for v in samples[index] if not checks[kind](v) and _CODE_LIKE.fullmatch(v)]
                if not _numbering(codes):  # row numbers beside a few labels are a numbering column
                    found[kind] = (count + len(codes), total)
    claims = sorted(
        ((kind, count, total, index) for index, found in seen.items() if index not in taken
         for kind, (count, total) in found.items()
         if kind != "description" and count / total >= CLAIM and total >= 2),
        key=lambda c: (-c[1] / c[2], -c[2], c[3]),
    )  # fmt: skip
    for kind, count, total, index in claims:
        if kind in roles or index in taken:
            continue
        roles[kind] = index
        taken.add(index)
        evidence[index] = _content((kind, count, total), headers, index)
    return roles, evidence


def _best(found: dict[str, tuple[int, int]], exclude: set[str]) -> tuple[str, int, int] | None:
    options = [
        (kind, c, t) for kind, (c, t) in found.items() if kind not in exclude and kind != "description"
    ]
    return max(options, key=lambda o: o[1] / o[2]) if options else None


_COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?\.?")


def _body(values: list[str], checks: dict[str, Callable[[str], bool]], header: str | None) -> list[str]:
    """A column's values without those a person reads as the table's own furniture, not its content: the
    header repeated down the sheet, its number in a numbering row ("(2)"), short labels of a dimension, a
    SWOT category or a readiness aspect (section rows above each group of rows, "B. ENVIRONMENT") and a
    legend's lines under the table ("Kode Dimensi:", "1 = Governance"), which a column of free text holds
    beside its descriptions."""
    own = normalise_header(header) if header else None
    return [
        v
        for v in values
        if not (own and normalise_header(v) == own)
        and not _COLUMN_NUMBER.fullmatch(v)
        and not (not _free_text(v) and any(checks[kind](v) for kind in ("dimension", "swot", "readiness")))
        and not is_legend_text(v)
    ]


def _header(headers: list[str | None], index: int) -> str | None:
    return headers[index] if index < len(headers) else None


def _content(best: tuple[str, int, int], headers: list[str | None], index: int, note: str = "") -> dict:
    kind, count, total = best
    found = {
        "by": "content",
        "header": _header(headers, index),
        "kind": kind,
        "matched": count,
        "sampled": total,
    }
    return {**found, "note": note} if note else found


def describe(evidence: dict) -> str:
    """The evidence in one line: "by header 'Desa'", "by content: 14 of 15 values are village names"."""
    if evidence.get("by") == "content":
        kind = KIND_WORDS[evidence["kind"]]
        line = f"by content: {evidence['matched']} of {evidence['sampled']} values are {kind}"
        return f"{line} ({evidence['note']})" if evidence.get("note") else line
    return f"by header {evidence.get('header')!r}"
