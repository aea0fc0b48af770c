"""The correct table under every generated worksheet, and the plan of what a clerk will do to it.

:func:`choose_plan` draws, from a seeded ``rng``, the transformations one file gets (each independently,
then made compatible with each other and with the format); :func:`make_issues` draws the rows: real
Paser places (a village with its district, a district alone, or the whole regency), a dimension, a SWOT
category, an urgency, a description with the place and a few numbers, and the rows that must be refused.
:func:`expectation` says what the intake must make of each row. Every row carries a unique token in its
description (in its notes when the description is the thing missing), so a scorer finds it in any format.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.realworld import gen_places as places
from tests.realworld import gen_values as values
from tests.realworld.corpus import Expect

MERGING_FORMATS = ("xlsx", "ods", "docx", "pdf")  # formats with real merged cells
SHEET_FORMATS = ("xlsx", "ods")  # formats with several sheets
# the columns a section row of each kind fills for the rows below it
FILLED_BY_SECTION = {"district": ("district",), "village": ("district", "village"),
                     "dimension": ("dimension",), "swot": ("swot",)}  # fmt: skip


@dataclass(frozen=True)
class Legend:
    """Dimension codes written in the dimension column and the legend that defines them."""

    codes: dict[str, str]  # dimension -> code as written ("3", "SG")
    placement: str  # under | above | beside | sheet
    style: str  # eq ("1 = X") | colon ("SG : X") | dot ("1. X") | cells (code, label) | inline (one line)
    heading: str | None  # "Keterangan Dimensi:" ...
    label_style: str  # how the legend names the dimensions (gen_values.DIMENSION_LABELS)


@dataclass(frozen=True)
class Plan:
    """What one file gets: its format, columns, decorations and transformations."""

    fmt: str
    seed: int
    rows: int
    agency: str
    code: bool
    coords: str | None  # None | "pair" (lat, lon columns) | "cell" (one cell)
    year: bool
    notes: bool
    header_styles: tuple[str, ...]  # canonical, and the styles some columns take instead
    blank_header: bool
    group_header: bool  # "Lokasi" over "Kecamatan | Desa"
    shuffle: bool
    blank_columns: int
    title: bool
    agency_line: bool
    numbering_row: bool
    total_row: bool
    notes_block: bool
    signature: bool
    merged: tuple[str, ...]  # columns merged down over equal values: district, dimension
    sections: tuple[str, ...]  # outer first: district | village (location), dimension | swot
    section_column: str  # absent | empty: what becomes of the column a section row fills
    ditto: tuple[str, ...]  # columns with ditto marks: district, village, dimension
    legend: Legend | None
    subtables: bool  # tables per SWOT category, each under a sub-title
    dimension_style: str
    swot_style: str
    urgency_style: str
    rejects: tuple[str, ...]  # one reason per row to refuse
    delimiter: str  # csv
    encoding: str  # csv: utf-8 | cp1252


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def choose_plan(rng: random.Random, fmt: str, seed: int) -> Plan:
    """Draw one file's transformations (each on its own), then drop the ones that cannot go together."""
    sections: list[str] = []
    if rng.random() < 0.25:
        sections.append("district" if rng.random() < 0.7 else "village")
    if rng.random() < 0.2:
        sections.insert(rng.randrange(len(sections) + 1), rng.choice(("dimension", "swot")))
    subtables = "swot" not in sections and rng.random() < 0.2
    legend = None
    if "dimension" not in sections and rng.random() < 0.25:
        legend = _legend(rng, fmt, beside_ok=not sections and not subtables)
    filled = {role for kind in sections for role in FILLED_BY_SECTION[kind]}
    merged = tuple(c for c, p in (("district", 0.25), ("dimension", 0.15))
                   if fmt in MERGING_FORMATS and rng.random() < p and c not in filled)  # fmt: skip
    location_section = any(s in ("district", "village") for s in sections)
    ditto = tuple(c for c in ("district", "village", "dimension") if c not in merged and rng.random() < 0.15
                  and c not in filled
                  and not (legend and c == "dimension"))  # fmt: skip
    encoding = "cp1252" if fmt == "csv" and rng.random() < 0.3 else "utf-8"
    urgency = "digits" if rng.random() < 0.45 else rng.choice(values.URGENCY_STYLES[1:])
    if encoding == "cp1252" and urgency in values.NOT_CP1252:
        urgency = "digits"
    rejects = []
    if not location_section and rng.random() < 0.2:
        rejects += ["other_regency"] * rng.randint(1, 2)
    if rng.random() < 0.2:
        rejects.append("missing_description")
    if legend is None and "dimension" not in sections:
        if rng.random() < 0.15:
            rejects += ["dimension_code_without_legend"] * rng.randint(1, 2)
        if rng.random() < 0.05:
            rejects.append("ambiguous_dimension")
    styles = ("canonical", *rng.sample(values.HEADER_STYLES[1:], rng.choice((0, 0, 1, 1, 2))))
    return Plan(
        fmt=fmt, seed=seed, rows=rng.randint(3, 40), agency=rng.choice(values.AGENCIES),
        code=rng.random() < 0.3, coords=rng.choice((None, "pair", "cell")) if rng.random() < 0.35 else None,
        year=rng.random() < 0.3, notes=rng.random() < 0.4 or "missing_description" in rejects,
        header_styles=styles, blank_header=rng.random() < 0.1, group_header=rng.random() < 0.15,
        shuffle=rng.random() < 0.35, blank_columns=0 if rng.random() < 0.7 else rng.randint(1, 2),
        title=rng.random() < 0.7, agency_line=rng.random() < 0.5, numbering_row=rng.random() < 0.2,
        total_row=rng.random() < 0.15, notes_block=rng.random() < 0.35, signature=rng.random() < 0.5,
        merged=merged, sections=tuple(sections), section_column="absent" if rng.random() < 0.7 else "empty",
        ditto=ditto, legend=legend, subtables=subtables,
        dimension_style=_pick(rng, {"smart": 0.4, "english": 0.2, "indonesian": 0.25, "kominfo": 0.15}),
        swot_style=_pick(rng, {"indonesian": 5, "english": 1.5, "letter": 1, "problem": 1.5, "both": 1}),
        urgency_style=urgency, rejects=tuple(rejects), delimiter=rng.choice((",", ";")), encoding=encoding,
    )  # fmt: skip


def _legend(rng: random.Random, fmt: str, beside_ok: bool) -> Legend:
    """Codes for the six dimensions (numbers 1-6 in a random order, or a set of abbreviations) and where
    and how their legend is written; placements the format cannot hold fall back to 'under'."""
    if rng.random() < 0.6:
        codes = [str(n) for n in range(1, 7)]
        rng.shuffle(codes)  # numbers: no order is assumed
    else:  # abbreviations stand for their own dimension; neutral letters (A-F) in any order
        codes = list(rng.choice(values.DIMENSION_CODE_SETS))
        if codes[0] == "A":
            rng.shuffle(codes)
    placement = rng.choice(("under", "under", "above", "beside", "sheet"))
    if (placement == "beside" and (fmt in ("docx", "pdf") or not beside_ok)) or (
        placement == "sheet" and fmt not in SHEET_FORMATS
    ):
        placement = "under"
    heading = rng.choice((None, "Keterangan Dimensi:", "Kode Dimensi:", "Legenda:", "Keterangan:"))
    style = rng.choice(("eq", "colon", "dot", "cells", "inline"))
    return Legend(dict(zip(values.DIMENSIONS, codes, strict=True)), placement, style, heading,
                  rng.choice(("smart", "english", "indonesian")))  # fmt: skip


@dataclass(frozen=True)
class Issue:
    """One row of the correct table (canonical values), and why it must be refused, if it must."""

    token: str  # "[G17-03]": unique in the file, written in the description (or the notes)
    description: str | None  # None: the description is left empty (the row must be refused)
    dimension: str
    swot: str
    severity: int
    district: str | None  # Paser district code; None for the whole regency or another regency
    village: str | None  # Paser village code
    foreign: str | None  # a village name of another regency (the row must be refused)
    point: tuple[float, float] | None  # (lat, lon) inside the village
    year: int | None
    note: str | None
    reject: str | None  # missing_description | other_regency | dimension_code_without_legend | ...

    @property
    def level(self) -> str | None:
        if self.foreign:
            return None
        return "village" if self.village else "district" if self.district else "regency"


def make_issues(rng: random.Random, plan: Plan) -> list[Issue]:
    """The plan's rows: each a real place, values drawn at random, the rejects at random positions."""
    rejects = plan.rejects[: plan.rows]
    reasons = dict(zip(rng.sample(range(plan.rows), len(rejects)), rejects, strict=True))
    every = places.villages()
    issues = []
    for i in range(plan.rows):
        token = f"[G{plan.seed}-{i + 1:02d}]"
        reject = reasons.get(i)
        dimension = rng.choice(values.DIMENSIONS)
        swot = _pick(rng, {"weakness": 0.5, "strength": 0.15, "opportunity": 0.15, "threat": 0.2})
        district = village = foreign = point = None
        draw = rng.random()
        if reject == "other_regency":
            foreign, regency = rng.choice(places.foreign_villages())
            where = f"Desa {foreign}"
        elif draw < 0.65:
            chosen = rng.choice(every)
            village, district = chosen.code, chosen.district
            where = f"{chosen.kind.title()} {chosen.name}" if rng.random() < 0.6 else chosen.name
            if plan.coords and rng.random() < 0.75:
                point = places.point_inside(chosen.code, rng)
        elif draw < 0.87:
            district = rng.choice(sorted(places.districts()))
            where = f"Kecamatan {places.districts()[district].name}"
        else:
            where = rng.choice(("Kabupaten Paser", "seluruh kecamatan", "wilayah Kabupaten Paser"))
        text = f"{values.description(dimension, where, rng)} {token}"
        note = rng.choice(values.NOTES) if plan.notes and rng.random() < 0.5 else None
        if reject == "missing_description":
            text, note = None, f"{note or 'data menyusul'} {token}"
        year = rng.choice((2023, 2024, 2025)) if plan.year and rng.random() < 0.8 else None
        severity = rng.randint(1, 5)
        issues.append(Issue(token, text, dimension, swot, severity, district, village, foreign, point, year,
                            note, reject))  # fmt: skip
    return issues


def expectation(issue: Issue) -> Expect:
    """What the intake must make of the row. A refused row keeps the place it meant (None for a place of
    another regency), so that a scorer can tell a row put in a wrong place from a row merely refused."""
    where = {"village": issue.village, "district": issue.district, "level": issue.level}
    if issue.reject:
        return Expect("rejected", code=issue.reject, **where)
    return Expect("loaded", dimension=issue.dimension, severity=issue.severity, swot=issue.swot, **where)
