"""Codes a worksheet defines for itself: a legend that says what a number or an abbreviation in a column
means (``1 = Smart Governance``, ``SG : Smart Governance``, ``Keterangan: 1. Tata Kelola 2. Ekonomi``).

Agencies shorten the dimension (and sometimes the SWOT category) to a code and write the key to it
somewhere on the sheet: under the table, beside it, above it, or on a sheet of its own. A person reads
the column through that key; so does the reader. :func:`entries` finds the definitions in one cell's
text, :func:`legend_from_texts` gathers them into a :class:`Legend` (code -> value per kind), and
:meth:`Legend.read` reads a cell through it.

Rules (decided, documented on the agencies' page):

- an entry is a code (1-2 digits, 1-4 letters, or a Roman numeral) followed by ``=``, ``:``, ``.``, ``)``,
  ``-`` or an arrow, then a label that names a dimension (or a SWOT category, or a readiness aspect:
  ``S = Suprastruktur``); several entries may share a
  cell, split by new lines, ``;``, ``,``, ``|`` or a new code ("1. Tata Kelola 2. Ekonomi");
- a legend for a kind needs at least two entries naming different values (one lone "S = Kekuatan" in a
  note is not a key to a column), and a code defined twice with different values means nothing;
- the numbering of the six dimensions differs between documents, so no order is ever assumed: a bare
  number with no legend is not read (the row asks for the legend).

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from smartcity.intake.answer.validation import code_key, dimension_of, readiness_of, swot_of

_PREFIX = re.compile(
    r"^\s*(?:keterangan|ket|legenda|legend|kode|keterangan kode|catatan|nb|note)\b[^:=]{0,40}[:=]\s*",
    re.IGNORECASE,
)
_CODE = r"(?:\d{1,2}|[A-Za-z]{1,4}|[IVXivx]{1,4})"
_ENTRY = re.compile(
    rf"^\s*[(\[]?\s*(?P<code>{_CODE})\s*[)\]]?\s*(?:=|:|\.|\)|-|–|—|→|=>)\s*(?P<label>\S.*?)\s*$"
)
# where a new entry starts inside a run of text: "... Tata Kelola 2. Ekonomi", "..., SB = Branding"
_SPLIT = re.compile(rf"\s*[\n;|]\s*|\s*,\s*(?={_CODE}\s*[=:.)\-–—])|\s+(?={_CODE}\s*(?:[=:]|[.)]\s))")
# "MS  Society", "SG<TAB>Smart Governance": an upper-case code (or a number) and its meaning, spaced
# (or a code of capitals ending in small letters: "SEc Ekonomi", "SGov Tata Kelola")
_SPACED_ENTRY = re.compile(
    r"^\s*(?P<code>[A-Z]{1,4}|[A-Z]{2,3}[a-z]{1,2}|\d{1,2})(?:\t+|\s+)(?P<label>[^\W\d_].*?)\s*$"
)
_MAYBE = re.compile(rf"{_CODE}\s*(?:=|:|\.|\)|-|–|—|→|=>)\s*\S")  # a cheap first test on a cell
READERS = {"dimension": dimension_of, "swot": swot_of, "readiness": readiness_of}


def entries(text: str) -> list[tuple[str, str, str]]:
    """(kind, code key, value) for every definition in one cell's text that names a dimension or a SWOT
    category; [] when the text defines nothing."""
    if not text or not (_MAYBE.search(text) or _SPACED_ENTRY.match(text)):
        return []
    found = []
    for piece in _SPLIT.split(_PREFIX.sub("", text.strip())):
        match = _ENTRY.match(piece) or _SPACED_ENTRY.match(piece)
        if match is None:
            continue
        label = match["label"].strip(" .;,")
        for kind, reader in READERS.items():
            value = reader(label)
            if value is not None:
                found.append((kind, code_key(match["code"]), value))
                break
    return found


def is_legend_text(text: str | None) -> bool:
    """True for a cell that is a legend line: every piece of it a definition, or a legend's title."""
    if not text:
        return False
    stripped = text.strip()
    if _PREFIX.fullmatch(stripped + (":" if not stripped.endswith(":") else "")) and len(stripped) < 40:
        return bool(re.match(r"(?i)\s*(keterangan|ket|legenda|legend|kode)", stripped))
    pieces = [p for p in _SPLIT.split(_PREFIX.sub("", stripped)) if p.strip()]
    return bool(pieces) and len(entries(stripped)) == len(pieces)


@dataclass
class Legend:
    """Code -> value, per kind (dimension, swot, readiness), as the worksheet defines them."""

    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def read(self, kind: str, text: object) -> str | None:
        """The value a cell's code stands for, or None when the legend does not define it."""
        if text is None:
            return None
        return self.codes.get(kind, {}).get(code_key(text))

    def __bool__(self) -> bool:
        return any(self.codes.values())

    def merged_over(self, other: Legend) -> Legend:
        """This legend, with the codes only ``other`` defines added (a sheet's own key wins)."""
        codes = {kind: dict(values) for kind, values in other.codes.items()}
        for kind, values in self.codes.items():
            codes.setdefault(kind, {}).update(values)
        return Legend(codes)


def legend_from_texts(texts: Iterable[str | None]) -> Legend:
    """The legend the given cell texts define (see the module docstring for what counts)."""
    seen: dict[str, dict[str, set[str]]] = {}
    for text in texts:
        for kind, code, value in entries(text) if text else ():
            seen.setdefault(kind, {}).setdefault(code, set()).add(value)
    codes: dict[str, dict[str, str]] = {}
    for kind, defined in seen.items():
        clear = {code: next(iter(values)) for code, values in defined.items() if len(values) == 1}
        if len(set(clear.values())) >= 2:
            codes[kind] = clear
    return Legend(codes)
