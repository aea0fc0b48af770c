"""Draft strategies for the TOWS matrix: each cell of a dimension (SO, WO, ST, WT) pairs an internal item
(a strength or weakness the agencies reported) with an external one (an opportunity or threat).

Decisions (the order a planner looks for material):

1. **Same dimension, same district**: the most urgent internal and external items of one district pair
   first (most urgent pairs first), each item used once (an item is its text: the same text reported
   from several villages is paired once).
2. **Same dimension, across the regency**: the items still unused pair most urgent with most urgent.
3. **Across dimensions, same place**: an internal item of this dimension with an external item another
   dimension reported in its district (or the other way round): the place carries both.

A statement names both items and their places, and is a draft for the team to rewrite; the tool pairs,
it does not invent. A cell is empty only when the regency has no material for it at all, and
:func:`empty_reason` says why (which of the two kinds is missing, here and at the places of the other).

Pure: pandas in, dicts out. Fast on 100,000 issues: only each district's few most urgent items are looked at.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

CELLS = (("so", "strength", "opportunity"), ("wo", "weakness", "opportunity"),
         ("st", "strength", "threat"), ("wt", "weakness", "threat"))  # fmt: skip
PER_CELL = 3  # statements per TOWS cell
REGENCY = "__regency__"  # the place of an issue about the whole regency (no district)
# the columns the master plan's analyses read (readiness: maps.document.readiness)
_COLUMNS = ("dimension", "swot", "severity", "description", "district_code", "district_name", "village_name",
            "agency", "regency_wide", "readiness")  # fmt: skip


@dataclass(frozen=True)
class Pairing:
    """One draft strategy: the internal item, the external item, and how they were found (tier 1-3)."""

    cell: str
    internal: dict
    external: dict
    tier: int


def prepare(issues: pd.DataFrame) -> pd.DataFrame:
    """The issues the pairing reads, most urgent first, with a place key (``REGENCY`` without district)."""
    if issues.empty:
        return pd.DataFrame(columns=[*_COLUMNS, "place"])
    frame = issues[[c for c in _COLUMNS if c in issues.columns]].copy()
    frame["place"] = frame["district_code"].fillna(REGENCY).astype(str)
    frame["severity"] = pd.to_numeric(frame["severity"], errors="coerce").fillna(0).astype(int)
    return frame.sort_values("severity", ascending=False, kind="stable")


def tows_cells(issues: pd.DataFrame, dimension: str, limit: int = PER_CELL) -> dict[str, list[Pairing]]:
    """The pairings of each TOWS cell of ``dimension`` (``issues`` from :func:`prepare`)."""
    return {
        key: pairings(issues, dimension, key, internal, external, limit) for key, internal, external in CELLS
    }


def pairings(
    issues: pd.DataFrame, dimension: str, cell: str, internal: str, external: str, limit: int = PER_CELL
) -> list[Pairing]:
    """Up to ``limit`` pairings of ``internal`` x ``external`` items for one dimension's cell, by tier."""
    own = issues[issues["dimension"] == dimension]
    inside = own[own["swot"] == internal].groupby("place", sort=False).head(limit)
    outside = own[own["swot"] == external].groupby("place", sort=False).head(limit)
    used_in: set = set()
    used_out: set = set()
    found: list[Pairing] = []

    def take(candidates: list[tuple[int, int, int]], tier: int, left: pd.DataFrame, right: pd.DataFrame):
        for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
            if len(found) >= limit:
                return
            a, b = _text(left, i), _text(right, j)
            if a in used_in or b in used_out:
                continue
            used_in.add(a)
            used_out.add(b)
            found.append(Pairing(cell, _record(left, i), _record(right, j), tier))

    # 1. same district (the regency-wide items pair with each other)
    candidates = []
    for place, group in inside.groupby("place", sort=False):
        others = outside[outside["place"] == place]
        for i, j in zip(group.index, others.index, strict=False):
            candidates.append((int(group.at[i, "severity"]) + int(others.at[j, "severity"]), i, j))
    take(candidates, 1, inside, outside)
    # 2. same dimension across the regency: what is left, most urgent with most urgent
    if len(found) < limit:
        rest_in = _distinct(own, own.index[own["swot"] == internal], used_in, limit * 2)
        rest_out = _distinct(own, own.index[own["swot"] == external], used_out, limit * 2)
        pairs = [(int(own.at[i, "severity"]) + int(own.at[j, "severity"]), i, j)
                 for i, j in zip(rest_in, rest_out, strict=False)]  # fmt: skip
        take(pairs, 2, own, own)
    # 3. across dimensions at the same place: this dimension's item with another dimension's
    if len(found) < limit:
        others = issues[issues["dimension"] != dimension]
        other_out = others[others["swot"] == external].groupby("place", sort=False).head(limit)
        other_in = others[others["swot"] == internal].groupby("place", sort=False).head(limit)
        pairs = []
        for left, right, mine_inside in ((inside, other_out, True), (other_in, outside, False)):
            for place, group in left.groupby("place", sort=False):
                match = right[right["place"] == place]
                for i, j in zip(group.index, match.index, strict=False):
                    pairs.append(
                        (int(left.at[i, "severity"]) + int(right.at[j, "severity"]), i, j, mine_inside)
                    )
        for _, i, j, mine_inside in sorted(pairs, key=lambda c: (-c[0], c[1], c[2])):
            if len(found) >= limit:
                break
            left, right = (inside, other_out) if mine_inside else (other_in, outside)
            a, b = _text(left, i), _text(right, j)
            if a in used_in or b in used_out:
                continue
            used_in.add(a)
            used_out.add(b)
            found.append(Pairing(cell, _record(left, i), _record(right, j), 3))
    return found


def empty_reason(issues: pd.DataFrame, dimension: str, internal: str, external: str) -> tuple[str, ...]:
    """Why a cell has no pairing: the kinds missing (``("strength",)``, ``("opportunity",)`` or both) in the
    dimension; an empty tuple when both exist (then their places never meet, in any dimension)."""
    own = issues[issues["dimension"] == dimension]
    kinds = set(own["swot"])
    return tuple(k for k in (internal, external) if k not in kinds)


def text_key(text: object) -> str:
    """An item's identity: its text, whatever its case and spacing (the same text from two villages is one
    item: it is paired once, listed once)."""
    return " ".join(str(text).split()).casefold()


def _text(frame: pd.DataFrame, index) -> str:
    return text_key(frame.at[index, "description"])


def _distinct(frame: pd.DataFrame, indexes, used: set, limit: int) -> list:
    """Up to ``limit`` of ``indexes`` (most urgent first) whose texts are not used yet, one per text."""
    chosen, seen = [], set(used)
    for index in indexes:
        text = _text(frame, index)
        if text not in seen:
            seen.add(text)
            chosen.append(index)
            if len(chosen) >= limit:
                break
    return chosen


def _record(frame: pd.DataFrame, index) -> dict:
    return {c: frame.at[index, c] for c in frame.columns}
