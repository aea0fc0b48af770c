"""The domain's words, defined once: every other module imports them from here instead of restating.

- The six Smart City dimensions (Kominfo's programme) and the four SWOT categories, as stored; the
  three aspects of a region's readiness (aspek kesiapan daerah) of Kominfo's master plan guide.
- Kemendagri region codes (the grammar below) and :func:`regency_code`.
- Indonesia's coordinate bounds (a point outside is not in the country; longitudes tell a pair's order).
- The characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
- The file suffixes a worksheet may have (the reader and the inbox share one list).

Kemendagri region codes: the dotted form every table stores (``64.01.04.2012``).

Levels by number of parts: province ``64``, regency ``64.01``, district ``64.01.04``,
village ``64.01.04.2012``. Undotted input (``6401042012``) is accepted and split 2-2-2-4, so is what
a spreadsheet makes of a code typed as a number: ``6401042012.0``, ``6.401.042.012`` (a village code
with thousands separators) and ``6,401042012E+09`` (scientific notation that kept every digit).
A code typed as a number never loses a leading zero: province codes run from 11 to 94, so a 9-digit
number is not a code. Scientific notation that rounded the code away (``6,40103E+09``) is no code
either; :func:`broken_code` tells it apart from other text, so that the intake can say why it ignored
the cell. BPS codes (7-digit districts such as ``6401011``) are a different system and are not
converted here.
"""

from __future__ import annotations

import re

DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")
SWOT = ("strength", "weakness", "opportunity", "threat")
READINESS = ("suprastruktur", "struktur", "infrastruktur")

# Indonesia (Sabang to Merauke, Miangas to Rote, with a margin), in degrees
LAT_RANGE = (-11.5, 6.5)
LON_RANGE = (94.5, 141.5)

# A cell starting with one of these is read as a formula by a spreadsheet; the full-width forms by some
# East Asian locales of Excel. Text written for a spreadsheet is neutralised when it starts with one.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt")
WORKSHEET_SUFFIXES = SPREADSHEET_SUFFIXES + CSV_SUFFIXES  # what the inbox hands to the reader

_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_SPLITS = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}
LEVEL_BY_PARTS = {1: "province", 2: "regency", 3: "district", 4: "village"}
_FLOAT = re.compile(r"^(\d{4,})\.0+$")  # 6401042012.0: a whole number read as a float
_THOUSANDS = re.compile(r"^\d([.,])\d{3}\1\d{3}\1\d{3}$")  # 6.401.042.012 or 6,401,042,012: villages only
_SCIENTIFIC = re.compile(r"^(\d)(?:[.,](\d*))?[eE]\+?(\d{1,3})$")  # 6,40103E+09, 6.401042E9


def normalise_code(value: object) -> str | None:
    """Return the dotted Kemendagri code for ``value``, or None when it is not one."""
    if value is None:
        return None
    text = str(value).strip()
    scientific = _scientific(text)
    if scientific is not None:
        digits, complete, _ = scientific
        text = digits if complete else ""
    elif _THOUSANDS.match(text):
        text = re.sub(r"[.,]", "", text)
    text = _FLOAT.sub(r"\1", text)
    text = re.sub(r"[\s_\-/]", ".", text).strip(".")
    text = re.sub(r"\.+", ".", text)
    if _DOTTED.match(text):
        return text
    if text.isdigit() and len(text) in _SPLITS:
        parts, start = [], 0
        for width in _SPLITS[len(text)]:
            parts.append(text[start : start + width])
            start += width
        return ".".join(parts)
    return None


def broken_code(value: object) -> bool:
    """True for a code a spreadsheet rounded in scientific notation (``6,40103E+09``): not recoverable.

    Only text shows it: a float cell holds the rounded number itself (6401030000.0), which reads as the
    non-existent village 64.01.03.0000 and is refused as an unknown code.
    """
    if value is None:
        return False
    scientific = _scientific(str(value).strip())
    if scientific is None:
        return False
    _, complete, width = scientific
    return not complete and width in (4, 6, 10)


def _scientific(text: str) -> tuple[str, bool, int] | None:
    """A whole number in scientific notation: (its known leading digits, whether they are all, width)."""
    found = _SCIENTIFIC.match(re.sub(r"\s+", "", text))
    if found is None:
        return None
    digits, width = found[1] + (found[2] or ""), int(found[3]) + 1
    if len(digits) > width:
        if digits[width:].strip("0"):  # 6.4010420123E+09 has a fraction: a number, not a code
            return None
        digits = digits[:width]
    return digits, len(digits) == width, width


def code_level(code: str) -> str:
    """'province', 'regency', 'district' or 'village' for a dotted code."""
    return LEVEL_BY_PARTS[code.count(".") + 1]


def regency_code(value: object) -> str:
    """The dotted regency code (``64.01``) of ``value``; ValueError (one line) when it is not one."""
    code = normalise_code(value)
    if code is None or code.count(".") != 1:
        raise ValueError(f"not a regency code like 64.01: {value!r}")
    return code
