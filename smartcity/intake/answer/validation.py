"""Worksheet values: turn the text agencies typed into typed values, and say why a row cannot be used.

:func:`validate_rows` reads the cells of every role (see the worksheet contract) and returns one row per
worksheet row with typed values and a list of :class:`~smartcity.intake.answer.reasons.Reason` (blocking
and warnings together, every problem of the row, not only the first). Places are not judged here: codes
are only normalised and coordinates only parsed; :mod:`smartcity.intake.locate.matching` decides where a
row lies.

Accepted words (compared in lower case, punctuation as spaces, single spaces; for the dimension the
words "smart", "cerdas", "dimensi" and "dimension" are dropped, so "SMART-LIVING" reads "living"):

- dimension: see :data:`DIMENSION_WORDS`: the English name, the Kominfo code (GOV, BRD, ECO, LIV, SOC,
  ENV) and the Indonesian labels of ``smart_city_dimensions.csv`` with their common short forms.
  "Lingkungan hidup" alone is refused as ambiguous: in Indonesian government use it means the
  environment (Dinas Lingkungan Hidup), while Kominfo labels Smart Living "Lingkungan hidup/kehidupan".
- SWOT: see :data:`SWOT_WORDS`: Kekuatan/Kelemahan/Peluang/Ancaman, S/W/O/T, the English words,
  "Tantangan" (the T of many Indonesian plans) and "Masalah"/"Permasalahan" (a problem is a weakness).
  The letters K/L/P/A are refused: they are no common convention and "P" could mean Peluang
  (opportunity) or Permasalahan (weakness).
- urgency (role ``severity``): a whole number 1..5 ("4", "4.0", "4,0", " 4 "), a Roman numeral I..V, or a
  word of :data:`SEVERITY_WORDS` (sangat rendah=1, rendah/kurang=2, sedang/cukup/biasa=3,
  tinggi/mendesak/penting/urgen=4, sangat tinggi/sangat mendesak/kritis/darurat=5, and English), also
  with "tingkat", "urgensi" or "level" before it ("Urgensi tinggi", "Level 4") and a number and a word
  side by side ("5 - Sangat Tinggi", "Tinggi (4)", "5 sangat tinggi"). "Prioritas 1", "P1" are not read:
  a priority rank puts its top at 1, the urgency scale at 5, and guessing either way could silently turn
  a row's urgency upside down; "prioritas tinggi" is read (tinggi=4). "3/5" is not read either (three
  out of five, or three or five?). An urgency that still cannot be read, or a number outside 1..5,
  never rejects the row: it counts as 3 with a warning, as an empty cell does.

A cell may also repeat its value in two forms: "Smart Living (LIV)", "S - Strength", "4 (tinggi)"
are accepted when every part names the same value; "Living / Society" is refused.

- readiness (aspek kesiapan daerah, optional): see :func:`readiness_of`. A short label only: every word
  of the cell must be a word of :data:`READINESS_WORDS` (or a filler such as "aspek", "kesiapan", "dan"),
  and together they must name one aspect: "Supra Struktur", "Infrastruktur TIK", "Struktur (SDM)",
  "Regulasi/Kebijakan". Free text ("Jaringan internet belum menjangkau desa") is no label. A letter or a
  code is read only through the worksheet's legend ("S = Suprastruktur"). An empty cell is no aspect,
  silently; an unreadable one is no aspect with a warning: the column is optional, the row is kept.

Other columns: the year is four digits within 1900..2100 ("2025", "2025.0"), empty is no year. Latitude
and longitude take a decimal point or comma, spaces, a degree sign and the letters LS/LU/S/N (latitude)
or BT/BB/E/W (longitude) instead of a sign; both or neither must be given. A pair valid only when read
the other way round is kept as written, so that matching can say it looks swapped. Empty SWOT or urgency
cells get the defaults with a warning (so does an unreadable urgency); an absent column gets them
silently. The agency is the agency column where filled, else the agency of the whole file.

Speed: a million rows take 1-1.6 s on two cores. Cells are parsed once per distinct value (factorize, then
spread back with numpy), free text is stripped in one pass, plain numbers are read in one pass.
"""

from __future__ import annotations

import gc
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartcity.intake.answer.reasons import Reason
from smartcity.platform.vocabulary import DIMENSIONS, READINESS, SWOT, normalise_code

# the words read as each dimension and SWOT category, in the vocabulary's order (its names are the keys)
DIMENSION_WORDS: dict[str, tuple[str, ...]] = dict(zip(DIMENSIONS, (
    ("governance", "gov", "government", "tata kelola", "tatakelola", "tata kelola pemerintahan",
     "tata pemerintahan", "pemerintahan", "pemerintah"),
    ("branding", "brd", "brand", "pemasaran", "pemasaran daerah", "citra daerah", "pemasaran citra daerah",
     "pemasaran dan citra daerah"),
    ("economy", "eco", "economic", "ekonomi", "perekonomian"),
    # "lingkungan hidup" is listed twice on purpose: a word that names two dimensions is refused as ambiguous
    ("living", "liv", "kehidupan", "lingkungan hidup kehidupan", "lingkungan hidup"),
    ("society", "soc", "social", "masyarakat", "sosial", "kemasyarakatan"),
    ("environment", "env", "environmental", "lingkungan", "lingkungan hidup"),
), strict=True))  # fmt: skip
SWOT_WORDS: dict[str, tuple[str, ...]] = dict(zip(SWOT, (
    ("s", "strength", "strengths", "kekuatan", "potensi"),
    ("w", "weakness", "weaknesses", "kelemahan", "masalah", "permasalahan"),
    ("o", "opportunity", "opportunities", "peluang"),
    ("t", "threat", "threats", "ancaman", "tantangan"),
), strict=True))  # fmt: skip
# The three aspects of a region's readiness in Kominfo's master plan guide, with the topics each covers.
# Decided: "anggaran" (budget) and "kepemimpinan" (leadership) are struktur, with the institutions and the
# people; "aplikasi" is infrastruktur (the ICT the region runs). "Tata kelola" is not here: it is the
# Smart Governance dimension's label, and a column of dimension labels must never read as readiness.
READINESS_WORDS: dict[str, tuple[str, ...]] = dict(zip(READINESS, (
    ("suprastruktur", "supra struktur", "supra", "superstructure", "super structure", "suprastructure",
     "kebijakan", "regulasi", "peraturan", "peraturan daerah", "peraturan bupati", "peraturan walikota",
     "peraturan wali kota", "perda", "perbup", "perwali", "pergub", "perkada", "sop", "s o p",
     "standar operasional prosedur", "hukum", "dasar hukum", "payung hukum", "produk hukum", "legalitas",
     "policy", "policies", "regulation", "regulations", "legal"),
    ("struktur", "structure", "kelembagaan", "lembaga", "institusi", "organisasi", "sdm",
     "sumber daya manusia", "sumberdaya manusia", "aparatur", "kepemimpinan", "anggaran", "pendanaan",
     "institution", "institutions", "institutional", "organisation", "organization", "people",
     "human resources", "leadership", "budget"),
    ("infrastruktur", "infra struktur", "infra", "infrastructure", "infra structure", "tik", "ict",
     "teknologi informasi", "teknologi informasi komunikasi", "jaringan", "internet", "data center",
     "datacenter", "pusat data", "server", "aplikasi", "sarana", "prasarana", "sarana prasarana", "sarpras",
     "fisik", "perangkat keras", "hardware", "network"),
), strict=True))  # fmt: skip
# words around a readiness label that name no aspect: "Aspek Kesiapan: Struktur", "Sarana dan Prasarana"
READINESS_FILLERS = ("aspek", "kesiapan", "kesiapan daerah", "komponen", "pilar", "dan", "atau", "digital",
                     "aspect", "readiness", "of", "and", "or")  # fmt: skip
READINESS_LABEL_WORDS = 6  # a label is a few words; more is a description
SEVERITY_WORDS: dict[int, tuple[str, ...]] = {
    1: ("sangat rendah", "very low", "i", "rendah sekali"),
    2: ("rendah", "kurang", "kurang penting", "kurang mendesak", "low", "ii"),
    3: ("sedang", "cukup", "menengah", "biasa", "medium", "moderate", "iii"),
    4: ("tinggi", "mendesak", "penting", "urgen", "urgent", "high", "iv"),
    5: ("sangat tinggi", "sangat mendesak", "sangat penting", "sangat urgen", "kritis", "sangat kritis",
        "darurat", "very high", "v", "tinggi sekali", "mendesak sekali", "very urgent", "critical",
        "urgent sekali", "sangat urgent"),
}  # fmt: skip
DEFAULT_SWOT = "weakness"
DEFAULT_SEVERITY = 3
YEAR_RANGE = (1900, 2100)
OUTPUT_COLUMNS = (
    "row_number", "agency", "description", "dimension", "swot", "severity", "year", "readiness", "notes",
    "code", "code_raw", "village", "district", "lat", "lon", "reasons",
)  # fmt: skip


def _inverted(words: dict) -> dict[str, frozenset]:
    found: dict[str, set] = {}
    for value, spellings in words.items():
        for spelling in spellings:
            found.setdefault(spelling, set()).add(value)
    return {spelling: frozenset(values) for spelling, values in found.items()}


_DIMENSION_LOOKUP = _inverted(DIMENSION_WORDS)
_SWOT_LOOKUP = _inverted(SWOT_WORDS)
_SEVERITY_LOOKUP = _inverted(SEVERITY_WORDS)
_READINESS_LOOKUP = _inverted(READINESS_WORDS) | {filler: frozenset() for filler in READINESS_FILLERS}
_READINESS_PHRASE = max(len(p.split()) for p in _READINESS_LOOKUP)  # words in the longest phrase
_ENUMERATOR = re.compile(r"^\s*(?:[A-Za-z]|[IVXivx]{1,4}|\d{1,2})\s*[.)]\s+")  # "A. ", "1) ", "II. "
_NOTHING: frozenset = frozenset()
_PARTS = re.compile(r"[/()\[\]|;:,]|\s[-–—]\s")
_NOT_WORD = re.compile(r"[\W_]+")
_DIMENSION_NOISE = re.compile(r"\b(?:smart|cerdas|dimensi|dimension)\b|\bsmart(?=\w)")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
# "tingkat urgensi: tinggi", "level 4": words around an urgency that say nothing about it
_SEVERITY_NOISE = re.compile(r"\b(?:tingkat|urgensi|urgency|level|prioritas|priority)\b")
# a priority rank ("prioritas 1", "P1", "priority II"): 1 is the top, the opposite of the urgency scale
_RANK = re.compile(r"(?:prioritas|priority|p) ?(?:\d+|[ivx]+)")
_NUMBER_AND_WORDS = re.compile(r"(\d+) (\D+)|(\D+) (\d+)")
_YEAR = re.compile(r"(\d{4})(?:[.,]0+)?")
_COORDINATE = re.compile(r"([a-z]*)([^a-z]+)([a-z]*)")
_DEGREE_NOISE = re.compile(r"[\s°º˚]")
# Hemisphere letters (Indonesian: Lintang Utara/Selatan, Bujur Timur/Barat): the axis and the sign they give.
HEMISPHERE_LETTERS: dict[str, tuple[str, float]] = {
    "n": ("lat", 1.0), "lu": ("lat", 1.0), "s": ("lat", -1.0), "ls": ("lat", -1.0),
    "e": ("lon", 1.0), "bt": ("lon", 1.0), "w": ("lon", -1.0), "bb": ("lon", -1.0),
}  # fmt: skip


@dataclass
class _Finding:
    """One check's verdict on every row: ``tags[i]`` is 0 (nothing to say) or an index into ``reasons``."""

    tags: np.ndarray
    reasons: list[Reason | None]


def validate_rows(
    table: pd.DataFrame,
    roles: dict[str, str],
    default_agency: str,
    codes: dict[str, dict[str, str]] | None = None,
) -> pd.DataFrame:
    """Typed values and every reason, one output row per row of ``table`` (same index), for the matcher.

    ``codes`` are the codes the worksheet defines in a legend, per kind (``{"dimension": {"1":
    "governance", ...}}``, keys as :func:`code_key` makes them): a cell holding one is read as its value.

    A required role (description, dimension) missing from ``roles`` blocks every row; the reader is
    expected to refuse such a file before. Rows without any finding share one empty tuple as
    ``reasons`` (immutable: nobody can append to all rows at once); the others get their own list.
    """
    lacking = sorted({h for h in roles.values() if h not in table.columns})
    if lacking:
        raise ValueError(f"roles name columns that the table lacks: {lacking}")
    n = len(table)

    def cells(role: str) -> np.ndarray | None:
        return table[roles[role]].to_numpy(dtype=object) if role in roles else None

    def judge(role: str, parse: Callable, absent: tuple[object, str | None]) -> _Spread:
        spread, finding = _judge(cells(role), roles.get(role), parse, n, absent)
        findings.append(finding)
        return spread

    findings: list[_Finding] = []
    # free text: stripped, otherwise kept as written (escaping is the business of whoever prints it)
    description = _stripped(cells("description"), n)
    empty = np.equal(description, None).astype(np.intp)
    findings.append(_Finding(empty, [None, Reason("missing_description", roles.get("description"))]))
    # words: each distinct cell is judged once, then spread to its rows
    dimension_codes, swot_codes = (codes or {}).get("dimension"), (codes or {}).get("swot")
    dimension = judge("dimension", lambda t: _dimension(t, dimension_codes), (None, "missing_dimension"))
    swot = judge("swot", lambda t: _swot(t, swot_codes), (DEFAULT_SWOT, None))
    severity = judge("severity", _severity, (DEFAULT_SEVERITY, None))
    year = judge("year", _year, (None, None))
    readiness_codes = (codes or {}).get("readiness")
    readiness = judge("readiness", lambda t: _readiness(t, readiness_codes), (None, None))
    # places: coordinates only parsed, codes only normalised (matching judges them)
    lat, lon, where = _coordinates(cells("lat"), cells("lon"), n, _coordinate_column(roles))
    findings.append(where)
    code_raw, code = _codes(cells("code"), n)
    agency = _judge(cells("agency"), None, lambda t: (t or default_agency, None), n, (default_agency, None))[
        0
    ]
    village = _judge(cells("village"), None, _as_is, n, (None, None))[0]
    district = _judge(cells("district"), None, _as_is, n, (None, None))[0]

    def text(values: np.ndarray) -> pd.Series:  # object, None when empty (not pandas' inferred str dtype)
        return pd.Series(values, index=table.index, dtype=object, copy=False)

    columns = {
        "row_number": pd.Series(table["row_number"].to_numpy(dtype=np.int64, copy=True), index=table.index),
        "agency": text(agency.objects()),
        "description": text(description),
        "dimension": text(dimension.objects()),
        "swot": text(swot.objects()),
        "severity": pd.Series(severity.ints(), index=table.index),
        "year": pd.Series(year.ints(), index=table.index),
        "readiness": text(readiness.objects()),
        "notes": text(_stripped(cells("notes"), n)),
        "code": text(code),
        "code_raw": text(code_raw),
        "village": text(village.objects()),
        "district": text(district.objects()),
        "lat": pd.Series(lat, index=table.index),
        "lon": pd.Series(lon, index=table.index),
        "reasons": text(_reason_lists(findings, n)),
    }
    return pd.DataFrame(columns, index=table.index, copy=False)  # no copy: the columns are all new


# --- columns -------------------------------------------------------------------------------------------


def _text(value: object) -> str | None:
    """A cell as stripped text, None when empty."""
    text = (value if isinstance(value, str) else str(value)).strip()
    return text or None


def _stripped(raw: np.ndarray | None, n: int) -> np.ndarray:
    """Stripped text per row (None when empty), for columns of mostly distinct text."""
    out = np.full(n, None, dtype=object)
    if raw is None:
        return out
    present = np.flatnonzero(~pd.isna(raw))
    values = raw[present]
    try:
        stripped = list(map(str.strip, values))
    except TypeError:  # a cell that is not text (a number given by a caller)
        stripped = [str(v).strip() for v in values]
    kept = np.empty(len(stripped), dtype=object)
    kept[:] = stripped
    kept[kept == ""] = None
    out[present] = kept
    return out


def _distinct(raw: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
    """Per row an index into the distinct stripped texts; the last text (None) is the empty cell.

    Empty cells get index -1, which numpy reads as "the last entry": ``array_of_texts[rows]`` works as is.
    """
    rows, uniques = pd.factorize(raw, use_na_sentinel=True)
    return rows, [_text(u) for u in uniques] + [None]


def _judge(
    raw: np.ndarray | None,
    column: str | None,
    parse: Callable[[str | None], tuple[object, str | None]],
    n: int,
    absent: tuple[object, str | None],
) -> tuple[_Spread, _Finding]:
    """Apply ``parse`` (text or None -> value, reason code or None) once per distinct cell.

    Returns the value per row and the finding; ``absent`` is the verdict for every row when the column
    is missing from the worksheet (so a default given there carries no warning).
    """
    if raw is None:  # one verdict for all rows, as if every cell were the same
        rows, texts, parse = np.zeros(n, dtype=np.intp), [None], lambda _: absent
    else:
        rows, texts = _distinct(raw)
    values = np.empty(len(texts), dtype=object)
    tags = np.zeros(len(texts), dtype=np.intp)
    reasons: list[Reason | None] = [None]
    for k, text in enumerate(texts):
        values[k], code = parse(text)
        if code:
            reasons.append(Reason(code, column, text))
            tags[k] = len(reasons) - 1
    return _Spread(values, rows), _Finding(tags[rows], reasons)


@dataclass
class _Spread:
    """Values of the distinct cells and, per row, which one it has: expanded only when needed."""

    values: np.ndarray
    rows: np.ndarray

    def objects(self) -> np.ndarray:
        return self.values[self.rows]

    def ints(self) -> pd.arrays.IntegerArray:
        missing = pd.isna(self.values)
        data = np.where(missing, 0, self.values).astype(np.int64)
        return pd.arrays.IntegerArray(data[self.rows], missing[self.rows])


def _codes(raw: np.ndarray | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The code cells as written (stripped) and their dotted Kemendagri form (None when not a code).

    A cell that is no code is not refused here: matching may still place the row by its names.
    """
    if raw is None:
        return np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    rows, texts = _distinct(raw)
    written = np.empty(len(texts), dtype=object)
    written[:] = texts
    dotted = np.empty(len(texts), dtype=object)
    dotted[:] = [normalise_code(t) for t in texts]
    return written[rows], dotted[rows]


def _as_is(text: str | None) -> tuple[str | None, None]:
    return text, None


# --- words ---------------------------------------------------------------------------------------------


def _words(text: str) -> str:
    """Lower case, compatibility forms folded, punctuation as spaces, single spaces."""
    return " ".join(_NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def _resolve(text: str, lookup: Callable[[str], frozenset]) -> frozenset:
    """The values ``text`` may mean: the whole cell, else the values all its parts agree on."""
    found = lookup(text)
    if found:
        return found
    parts = [p for p in _PARTS.split(text) if p.strip()]
    if len(parts) < 2:
        return _NOTHING
    agreed = lookup(parts[0])
    for part in parts[1:]:
        agreed &= lookup(part)
    return agreed


def _dimension_lookup(text: str) -> frozenset:
    return _DIMENSION_LOOKUP.get(" ".join(_DIMENSION_NOISE.sub(" ", _words(text)).split()), _NOTHING)


_STARS = re.compile(r"\s*([★⭐✭✮✯✰☆*]+)\s*(?:/\s*[5★⭐☆*]+)?\s*")
_PERCENT = re.compile(r"\s*(\d{1,3}(?:[.,]\d+)?)\s*%\s*")


def _severity_lookup(text: str) -> frozenset:
    """The urgency ``text`` names: a number, a word, or a number and a word side by side that agree; a
    star rating (the filled stars: "★★★★☆" = 4, "****" = 4) or a percentage (each fifth of 100 %, rounded
    up: 80 % = 4, 100 % = 5, 30 % = 2)."""
    text = text.strip()
    stars = _STARS.fullmatch(text)
    if stars:
        filled = sum(1 for c in stars[1] if c != "☆")
        return frozenset({filled}) if 1 <= filled <= 5 else _NOTHING
    percent = _PERCENT.fullmatch(text)
    if percent:
        value = float(percent[1].replace(",", "."))
        return frozenset({math.ceil(round(value, 6) / 20)}) if 0 < value <= 100 else _NOTHING
    if _NUMBER.fullmatch(text):
        number = float(text.replace(",", "."))
        return frozenset({int(number)}) if number.is_integer() and 1 <= number <= 5 else _NOTHING
    words = _words(text)
    if _RANK.fullmatch(words):
        return _NOTHING
    bare = " ".join(_SEVERITY_NOISE.sub(" ", words).split())
    if bare != words:  # "urgensi tinggi", "level 4": read what is left
        return _severity_lookup(bare) if bare else _NOTHING
    found = _SEVERITY_LOOKUP.get(words)
    if found is not None:
        return found
    pair = _NUMBER_AND_WORDS.fullmatch(words)  # "5 sangat tinggi", "tinggi 4" (punctuation already gone)
    if pair is None:
        return _NOTHING
    number, word = (pair[1], pair[2]) if pair[1] else (pair[4], pair[3])
    return _severity_lookup(number) & _SEVERITY_LOOKUP.get(word, _NOTHING)


def severity_of(text: str) -> int | None:
    """The urgency 1..5 ``text`` names, read as an urgency cell is; None when it names none."""
    value, problem = _severity(text)
    return value if problem is None else None


def code_key(text: object) -> str:
    """A code as a worksheet's legend defines it and a cell gives it: lower case, without spaces,
    brackets or a trailing dot ("2." -> "2", " SG " -> "sg")."""
    return re.sub(r"[\s().\[\]]+", "", str(text)).casefold()


# a dimension written as a code: a number, a Roman numeral, or two to four letters that name nothing
_DIMENSION_CODE = re.compile(r"\s*[(\[]?\s*(?:\d{1,2}|[ivx]{1,4}|[a-z]{1,4})\s*[)\].]?\s*", re.IGNORECASE)


def dimension_of(text: str) -> str | None:
    """The dimension ``text`` names, read as a dimension cell is ("2. Smart Economy" -> "economy"); None
    when it names none, or more than one."""
    value, problem = _dimension(text)
    return value if problem is None else None


def swot_of(text: str) -> str | None:
    """The SWOT category ``text`` names, read as a SWOT cell is ("Kekuatan" -> "strength"); None when
    it names none."""
    value, problem = _swot(text)
    return value if problem is None else None


def _dimension(text: str | None, codes: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    if text is None:
        return None, "missing_dimension"
    if codes and code_key(text) in codes:  # the worksheet's own legend says what this code means
        return codes[code_key(text)], None
    found = _resolve(text, _dimension_lookup)
    if len(found) == 1:
        return next(iter(found)), None
    if found:
        return None, "ambiguous_dimension"
    # a number or an abbreviation no legend defines: no order of the six dimensions is assumed
    return None, "dimension_code_without_legend" if _DIMENSION_CODE.fullmatch(text) else "invalid_dimension"


def _swot(text: str | None, codes: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    if text is None:
        return DEFAULT_SWOT, "default_swot"
    if codes and code_key(text) in codes:
        return codes[code_key(text)], None
    found = _resolve(text, lambda part: _SWOT_LOOKUP.get(_words(part), _NOTHING))
    return (next(iter(found)), None) if len(found) == 1 else (None, "invalid_swot")


def _severity(text: str | None) -> tuple[int, str | None]:
    """Urgency 1..5; empty or unreadable counts as the default with a warning (never rejects the row)."""
    if text is None:
        return DEFAULT_SEVERITY, "default_severity"
    found = _resolve(_DECIMAL_COMMA.sub(".", text), _severity_lookup)  # "4,0" is a number, not two parts
    return (next(iter(found)), None) if len(found) == 1 else (DEFAULT_SEVERITY, "unreadable_severity")


def readiness_of(text: str | None) -> str | None:
    """The readiness aspect (suprastruktur, struktur, infrastruktur) a short label names ("Supra
    Struktur", "Infrastruktur TIK", "Struktur (SDM)", "Regulasi/Kebijakan"); None for an empty cell, free
    text, a label naming two aspects or none. Whole words only: "infrastruktur" is one word, never
    "infra" + "struktur" read as two aspects."""
    if text is None or len(text) > 80:
        return None
    words = _words(_ENUMERATOR.sub("", text)).split()
    if not words or len(words) > READINESS_LABEL_WORDS:
        return None
    named: set[str] = set()
    i = 0
    while i < len(words):  # the longest known phrase at each word; an unknown word: not a label
        for length in range(min(_READINESS_PHRASE, len(words) - i), 0, -1):
            found = _READINESS_LOOKUP.get(" ".join(words[i : i + length]))
            if found is not None:
                named |= found
                i += length
                break
        else:
            return None
    return next(iter(named)) if len(named) == 1 else None


def _readiness(text: str | None, codes: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """Optional: empty is no aspect, silently; unreadable is no aspect with a warning (row kept)."""
    if text is None:
        return None, None
    if codes and code_key(text) in codes:  # the worksheet's legend: "S = Suprastruktur"
        return codes[code_key(text)], None
    found = readiness_of(text)
    return (found, None) if found else (None, "unreadable_readiness")


def _year(text: str | None) -> tuple[int | None, str | None]:
    if text is None:
        return None, None
    match = _YEAR.fullmatch(text)
    if match and YEAR_RANGE[0] <= int(match.group(1)) <= YEAR_RANGE[1]:
        return int(match.group(1)), None
    return None, "invalid_year"


# --- coordinates ---------------------------------------------------------------------------------------


def _coordinate_column(roles: dict[str, str]) -> str | None:
    headers = [roles[r] for r in ("lat", "lon") if r in roles]
    return " / ".join(headers) or None


def _coordinates(
    lat_raw: np.ndarray | None, lon_raw: np.ndarray | None, n: int, column: str | None
) -> tuple[np.ndarray, np.ndarray, _Finding]:
    """Latitude and longitude per row (NaN unless both are valid degrees) and the rows where they are not.

    A pair that is valid only read the other way round (latitude 116.2, longitude -1.9) is kept as
    written: matching tells the agency it looks swapped, which helps more than "not coordinates".
    """
    lat, lat_state = _degrees(lat_raw, "lat", n)
    lon, lon_state = _degrees(lon_raw, "lon", n)
    lat_abs, lon_abs = np.abs(lat), np.abs(lon)  # NaN compares False below, as wanted
    in_range = ((lat_abs <= 90) & (lon_abs <= 180)) | ((lat_abs <= 180) & (lon_abs <= 90))
    numbers = (lat_state == 1) & (lon_state == 1)
    bad = ~((numbers & in_range) | ((lat_state == 0) & (lon_state == 0)))
    tags = np.zeros(n, dtype=np.intp)
    reasons: list[Reason | None] = [None]
    if bad.any():
        lat[bad] = lon[bad] = np.nan
        rows = np.flatnonzero(bad)
        # one text per bad row, then one Reason per distinct text
        shown = [f"{_shown(lat_raw, i)}, {_shown(lon_raw, i)}" for i in rows.tolist()]
        which, texts = pd.factorize(np.asarray(shown, dtype=object))
        reasons += [Reason("invalid_coordinates", column, t) for t in texts]
        tags[rows] = which + 1
    return lat, lon, _Finding(tags, reasons)


def _shown(raw: np.ndarray | None, i: int) -> str:
    """The cell as the agency wrote it, for messages ("" when empty)."""
    value = None if raw is None else raw[i]
    if value is None or value is pd.NA or value != value:  # value != value: NaN
        return ""
    return _text(value) or ""


def _degrees(raw: np.ndarray | None, axis: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Degrees per row (NaN unless a number within ±180) and a state: 0 empty, 1 number, 2 not one."""
    values = np.full(n, np.nan)
    state = np.zeros(n, dtype=np.int8)
    if raw is None:
        return values, state
    rows = np.flatnonzero(~pd.isna(raw))
    parsed, blank = _parse_column(raw[rows], axis)
    valid = np.abs(parsed) <= 180  # NaN and infinities are not
    state[rows] = np.where(blank, 0, np.where(valid, 1, 2))
    values[rows[valid]] = parsed[valid]
    return values, state


def _parse_column(cells: np.ndarray, axis: str) -> tuple[np.ndarray, np.ndarray | bool]:
    """Degrees of non-missing cells (NaN when bad) and which cells are blank; fastest way that works.

    Each way gives the same number for a cell as :func:`degrees_of`, so a row's value never depends on
    the other rows.
    """
    try:  # plain numbers
        return np.fromiter(map(float, cells), dtype=np.float64, count=len(cells)), False
    except (TypeError, ValueError):
        pass
    try:  # decimal commas throughout (spreadsheets saved in an Indonesian locale)
        commas = [c.replace(",", ".") for c in cells]
        return np.fromiter(map(float, commas), dtype=np.float64, count=len(cells)), False
    except (AttributeError, TypeError, ValueError):
        pass
    # anything else: one careful parse per distinct cell
    which, uniques = pd.factorize(cells)
    each = [degrees_of(u, axis) for u in uniques]
    parsed = np.array([np.nan if v is None else v for v in each], dtype=np.float64)
    blank = np.array([v is None for v in each], dtype=bool)
    return parsed[which], blank[which]


def degrees_of(value: object, axis: str | None = None) -> float | None:
    """Decimal degrees from text such as "-1,912", "116.2°", "1.912 LS"; None when blank, NaN when bad.

    The one reader of a written degree value: a latitude or longitude cell, and each number of a
    location cell's coordinates (:mod:`smartcity.intake.locate.location_coordinates`, which reads the words
    and marks around them). A hemisphere letter (:data:`HEMISPHERE_LETTERS`) gives the sign; a letter
    of another ``axis`` than the one given (any letter when none is), or a letter next to a sign, makes
    it no value.
    """
    # as the quick ways read it: the cell, then with decimal commas (text: at once, float takes no comma)
    attempts = (value.replace(",", "."),) if isinstance(value, str) else (value, str(value).replace(",", "."))
    for attempt in attempts:
        try:
            return float(attempt)
        except (TypeError, ValueError):
            pass
    text = _DEGREE_NOISE.sub("", str(value)).casefold()
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    match = _COORDINATE.fullmatch(text)
    if not match:
        return np.nan
    before, number, after = match.groups()
    try:
        degrees = float(number)
    except ValueError:
        return np.nan
    hemisphere = before or after
    if before and after:
        return np.nan
    if hemisphere:
        letter_axis, sign = HEMISPHERE_LETTERS.get(hemisphere, (None, None))
        if letter_axis is None or letter_axis != axis or number[0] in "+-":
            return np.nan  # an unknown letter, one of the other axis, or a sign that may contradict it
        degrees *= sign
    return degrees


# --- reasons -------------------------------------------------------------------------------------------


def _reason_lists(findings: list[_Finding], n: int) -> np.ndarray:
    """Per row its reasons in column order: a new list where there are any, else the shared ``()``."""
    key = np.zeros(n, dtype=np.int64)
    for finding in findings:
        width = len(finding.reasons)
        if n and int(key.max()) >= (2**62) // width:
            key = pd.factorize(key)[0].astype(np.int64)  # keep the combined key small
        key = key * width + finding.tags
    out = np.empty(n, dtype=object)
    out.fill(())
    rows = np.flatnonzero(key)
    which, combined = pd.factorize(key[rows])
    # factorize numbers values in order of first appearance: a new number is a new running maximum
    first = rows[np.flatnonzero(which > np.maximum.accumulate(np.concatenate(([-1], which[:-1]))))]
    combos = [tuple(f.reasons[f.tags[i]] for f in findings if f.tags[i]) for i in first.tolist()]
    with _gc_paused():
        out[rows] = np.fromiter(
            map(list, map(combos.__getitem__, which.tolist())), dtype=object, count=len(rows)
        )
    return out


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector: a million new lists would trigger many passes that find nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
