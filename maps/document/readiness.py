"""The region's readiness (kesiapan daerah) per dimension, as the Kominfo masterplan guide analyses it: in
suprastruktur (policies, regulations), struktur (organisation, people) and infrastruktur (ICT and physical).

Worksheets say which aspect a row concerns in the optional column "Aspek Kesiapan" (read by the intake
into ``readiness``). Per dimension and aspect: how many weaknesses and strengths were reported, and the
most urgent weakness (else threat) named with its place. Rows without an aspect are counted apart.

Pure: pandas in, rows out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ASPECTS = ("suprastruktur", "struktur", "infrastruktur")


@dataclass(frozen=True)
class AspectRow:
    """One aspect of one dimension: counts and the most urgent problem (``None`` when there is none)."""

    aspect: str
    weaknesses: int
    strengths: int
    urgent: dict | None


def has_readiness(issues: pd.DataFrame) -> bool:
    """Whether any issue says its readiness aspect."""
    return "readiness" in issues.columns and issues["readiness"].isin(ASPECTS).any()


def readiness_rows(issues: pd.DataFrame, dimension: str) -> tuple[list[AspectRow], int]:
    """The three aspects of ``dimension`` and how many of its issues name no aspect."""
    own = issues[issues["dimension"] == dimension] if not issues.empty else issues
    if own.empty or "readiness" not in own.columns:
        return [AspectRow(a, 0, 0, None) for a in ASPECTS], len(own)
    rows = []
    for aspect in ASPECTS:
        mine = own[own["readiness"] == aspect]
        problems = mine[mine["swot"].isin(["weakness", "threat"])]
        urgent = None
        if not problems.empty:
            order = problems.assign(_weak=problems["swot"] == "weakness").sort_values(
                ["_weak", "severity"], ascending=False, kind="stable"
            )
            urgent = order.drop(columns="_weak").iloc[0].to_dict()
        rows.append(AspectRow(aspect, int((mine["swot"] == "weakness").sum()),
                              int((mine["swot"] == "strength").sum()), urgent))  # fmt: skip
    return rows, int((~own["readiness"].isin(ASPECTS)).sum())
