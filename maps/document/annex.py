"""The complete list of issues beside the master plan document: ``lampiran_isu.xlsx`` (``issues_annex.xlsx``
in English), one sheet per dimension (issues of no known dimension on a last sheet), each with a frozen
header and a filter, printed landscape on A4 (or F4), one page wide, the header on every page.

Columns: district, village, SWOT category, readiness aspect, urgency, agency, description (wrapped, last).
Ordered as a planner reads them: by district (the regency-wide ones first), most urgent first. Written
with the streaming writer of the feedback workbooks (:mod:`smartcity.platform.sheetml`): 100,000 issues
in about a second; worksheet text stays text (a leading ``=`` is never a formula).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from maps.common.i18n import t
from smartcity.platform.sheetml import FILL_NONE, sheet_names, write_workbook
from smartcity.platform.vocabulary import DIMENSIONS

WIDTHS = [22.0, 24.0, 12.0, 15.0, 9.0, 44.0, 80.0]


def annex_name(lang: str) -> str:
    """File name of the issue workbook in ``lang``."""
    return "lampiran_isu.xlsx" if lang == "id" else "issues_annex.xlsx"


def write_annex(issues: pd.DataFrame, path: Path | str, lang: str = "id", paper: str = "a4") -> Path:
    """Write the issue workbook of ``issues`` (the run's issue texts) to ``path`` and return it."""
    header = [t(k, lang) for k in ("district", "village")] + [
        t("doc_swot_column", lang), t("doc_readiness_column", lang), t("urgency", lang), t("agency", lang),
        t("doc_text", lang),
    ]  # fmt: skip
    frame = issues if not issues.empty else pd.DataFrame(columns=["dimension"])
    groups = dict(tuple(frame.groupby("dimension", sort=False))) if len(frame) else {}
    other = frame[~frame["dimension"].isin(DIMENSIONS)] if len(frame) else frame
    # sheet names: the dimensions' short names (a spreadsheet cuts a name at 31 characters)
    parts = [(t(f"doc_short_{d}", lang), groups.get(d, frame.iloc[0:0])) for d in DIMENSIONS]
    if len(other):
        parts.append((t("doc_other_dimension", lang), other))
    names = sheet_names([label for label, _ in parts])
    sheets = [(name, (header, _columns(part, lang), np.full(len(part), FILL_NONE), WIDTHS))
              for name, (_, part) in zip(names, parts, strict=True)]  # fmt: skip
    return write_workbook(Path(path), sheets, paper=paper)


def _columns(part: pd.DataFrame, lang: str) -> list:
    if part.empty:
        return [[] for _ in WIDTHS]
    regency = t("doc_regency", lang)
    wide = part["regency_wide"].fillna(False).astype(bool) if "regency_wide" in part else False
    ordered = part.assign(_wide=wide, _sev=pd.to_numeric(part["severity"], errors="coerce")).sort_values(
        ["_wide", "district_name", "_sev"], ascending=[False, True, False], kind="stable", na_position="first"
    )
    swot = {s: t(f"swot_{s}", lang) for s in ("strength", "weakness", "opportunity", "threat")}
    readiness = ordered["readiness"] if "readiness" in ordered else pd.Series(None, index=ordered.index)
    return [
        np.where(ordered["_wide"], regency, ordered["district_name"].fillna("")).tolist(),
        ordered["village_name"].fillna("").tolist(),
        ordered["swot"].map(swot).fillna(ordered["swot"]).tolist(),
        readiness.map(lambda v: t(f"doc_aspect_{v}", lang) if isinstance(v, str) and v else "").tolist(),
        ordered["_sev"].astype("Int64").astype(str).replace("<NA>", "").tolist(),
        ordered["agency"].fillna("").tolist(),
        ordered["description"].fillna("").tolist(),
    ]
