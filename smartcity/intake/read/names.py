"""What the reader knows of the region's place names, to tell by content what a column or a lone cell
holds: a district, a village, the whole regency, or a place of another regency of the province.

The reader is pure (no database): the caller that has the region's gazetteer builds a
:class:`RegionNames` from its aliases (:meth:`RegionNames.from_aliases`) and hands it to
:func:`smartcity.intake.read.worksheets.read_workbook`. Without one, the reader recognises columns by
their headers and by every other kind of content, and sections by their words ("Kecamatan ...").
Names are compared as the matcher compares them (:mod:`smartcity.reference.gazetteer`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from smartcity.reference.gazetteer import name_keys, normalise_name

LEVEL_BY_DOTS = {1: "regency", 2: "district", 3: "village"}  # dots in a Kemendagri code


@dataclass(frozen=True)
class RegionNames:
    """Name key -> the region's codes it names (regency, districts, villages); and the levels it names
    in the rest of the province (``outside``)."""

    codes: dict[str, frozenset[str]]
    outside: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_aliases(
        cls, aliases: pd.DataFrame, outside: dict[str, frozenset[str]] | None = None
    ) -> RegionNames:
        """From a gazetteer's aliases (columns alias, level, code; aliases normalised)."""
        found: dict[str, set[str]] = {}
        for alias, code in zip(aliases["alias"], aliases["code"], strict=True):
            for key in name_keys(str(alias)):
                found.setdefault(key, set()).add(str(code))
        return cls({k: frozenset(v) for k, v in found.items()}, outside or {})

    def named(self, text: object) -> frozenset[str]:
        """The region's codes ``text`` names (empty when none)."""
        found: set[str] = set()
        for key in _keys(str(text)) if text is not None else ():
            found |= self.codes.get(key, frozenset())
        return frozenset(found)

    def kinds(self, text: object) -> frozenset[str]:
        """The levels ``text`` names in the region (empty when none)."""
        return frozenset(
            LEVEL_BY_DOTS[c.count(".")] for c in self.named(text) if c.count(".") in LEVEL_BY_DOTS
        )

    def village_in(self, village: object, district: object) -> bool:
        """Whether a village of that name lies in a district of that name."""
        districts = {c for c in self.named(district) if c.count(".") == 2}
        return any(c[:8] in districts for c in self.named(village) if c.count(".") == 3)

    def outside_kinds(self, text: object) -> frozenset[str]:
        """The levels ``text`` names elsewhere in the province (and not in the region)."""
        if not self.outside or self.named(text) or text is None:
            return frozenset()
        found: set[str] = set()
        for key in _keys(str(text)):
            found |= self.outside.get(key, frozenset())
        return frozenset(found)


@lru_cache(maxsize=65536)
def _keys(text: str) -> frozenset[str]:
    name = normalise_name(text)
    return frozenset(name_keys(name)) if name else frozenset()
