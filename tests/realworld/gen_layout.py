"""The correct table transformed as agency staff transform it, into the lines of one sheet.

:func:`lay_out` takes a :class:`~tests.realworld.gen_table.Plan` and its issues and writes, line by line
with the truth of each: the columns in the plan's order (shuffled, blank columns, columns a section row
fills left out or left empty), the values in the file's spellings, section rows, ditto marks, merged
runs, tables per SWOT category under sub-titles, the header (over two rows, repeated per table), the
letterhead, legend, notes and signature. Every data line keeps its issue's token; every data row gets
the list of transformations that touched it (its *traits*), for telling which ones the intake
mishandles. Pure: the ``rng`` passed in is the only source of chance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tests.realworld import gen_dressing as dress
from tests.realworld import gen_places as places
from tests.realworld import gen_values as values
from tests.realworld.gen_dressing import Line, Merge
from tests.realworld.gen_table import FILLED_BY_SECTION, MERGING_FORMATS, Issue, Plan

SHEET_NAMES = ("Kertas Kerja", "Data", "Sheet1", "Isian OPD", "Form Isian")


@dataclass
class Layout:
    """One sheet as written, the truth of each line, and what else the file holds."""

    sheet: str
    lines: list[Line]
    merges: list[Merge]
    width: int  # columns of the table (a legend beside it lies further right)
    order: list[str | None]  # the role of each column (None: a blank column)
    traits: dict[str, tuple[str, ...]]  # token -> transformations that touched the row
    file_traits: tuple[str, ...]
    extra_sheets: list[tuple[str, list[list]]] = field(default_factory=list)  # not tables: passed over


def column_order(rng: random.Random, plan: Plan) -> list[str | None]:
    """The columns' roles left to right: the plan's columns, less those a section row fills (when
    'absent'), shuffled, with blank columns, district and village side by side under a group header."""
    roles = ["no", "description", "dimension", "swot", "severity", "district", "village"]
    roles += ["code"] * plan.code + {"pair": ["lat", "lon"], "cell": ["point"], None: []}[plan.coords]
    roles += ["year"] * plan.year + ["notes"] * plan.notes
    if plan.section_column == "absent":
        gone = {r for s in plan.sections for r in FILLED_BY_SECTION[s]} | (
            {"swot"} if plan.subtables else set()
        )
        roles = [r for r in roles if r not in gone]
    if plan.shuffle:
        head = ["no"] if rng.random() < 0.7 else []
        rest = [r for r in roles if r not in head]
        rng.shuffle(rest)
        roles = head + rest
    order: list[str | None] = list(roles)
    for _ in range(plan.blank_columns):
        order.insert(rng.randint(1, len(order)), None)
    if plan.group_header and "district" in order and "village" in order:
        order.remove("village")
        order.insert(order.index("district") + 1, "village")
    return order


def _key(issue: Issue, kind: str) -> tuple:
    """What groups rows under one section row (or one merged or dittoed run) of ``kind``."""
    if kind == "district":
        return (issue.district is None, issue.foreign is not None, issue.district or "")
    if kind == "village":
        return (issue.district is None, issue.foreign is not None, issue.district or "", issue.village or "")
    if kind == "dimension":
        return (values.DIMENSIONS.index(issue.dimension),)
    return (values.SWOTS.index(issue.swot),)


def _ordered(plan: Plan, issues: list[Issue]) -> list[Issue]:
    kinds = [*(["swot"] if plan.subtables else []), *plan.sections, *plan.merged, *plan.ditto]
    return sorted(issues, key=lambda i: tuple(_key(i, k) for k in kinds)) if kinds else list(issues)


def _written(rng: random.Random, plan: Plan, issue: Issue, traits: list[str]) -> dict[str, object]:
    """The row's cells by role, each value in one of the ways people write it."""
    cells: dict[str, object] = {"description": issue.description, "notes": issue.note, "year": issue.year}
    if plan.legend:
        code = plan.legend.codes[issue.dimension]
        cells["dimension"] = int(code) if code.isdigit() and rng.random() < 0.5 else code
        traits.append("dimension:legend_code")
    elif issue.reject == "dimension_code_without_legend":
        cells["dimension"] = rng.choice((str(rng.randint(1, 6)), rng.randint(1, 6)))
    elif issue.reject == "ambiguous_dimension":
        cells["dimension"] = values.cased(values.AMBIGUOUS_DIMENSION, rng)
    else:
        style = plan.dimension_style if rng.random() < 0.8 else rng.choice(list(values.DIMENSION_LABELS))
        label = rng.choice(values.DIMENSION_LABELS[style][issue.dimension])
        cells["dimension"] = label if style == "kominfo" else values.cased(label, rng)
        traits.append(f"dimension:{style}")
    style = plan.swot_style if rng.random() < 0.85 else rng.choice(list(values.SWOT_LABELS))
    cells["swot"] = rng.choice(values.SWOT_LABELS[style][issue.swot])
    traits.append(f"swot:{style}")
    style = plan.urgency_style if rng.random() < 0.85 else rng.choice(values.URGENCY_STYLES)
    if plan.encoding == "cp1252" and style in values.NOT_CP1252:
        style = "digits"
    cells["severity"] = values.urgency(issue.severity, style, rng)
    traits.append(f"urgency:{style}")
    cells.update(_place(rng, plan, issue, traits))
    return cells


def _place(rng: random.Random, plan: Plan, issue: Issue, traits: list[str]) -> dict[str, object]:
    """District, village, code and coordinates cells of the row."""
    traits.append(f"place:{issue.level or 'other_regency'}")
    if issue.foreign:
        return {"district": None, "village": issue.foreign}
    cells: dict[str, object] = {}
    if issue.district:
        name = places.districts()[issue.district].name
        cells["district"] = rng.choice((name, name, name, name.upper(), f"Kec. {name}"))
    else:
        cells["district"] = rng.choice(values.REGENCY_WORDS)
    if issue.village:
        village = places.village_by_code()[issue.village]
        prefix = {"desa": "Desa", "kelurahan": "Kel."}[village.kind]
        cells["village"] = rng.choice(
            (village.name, village.name, village.name.upper(), f"{prefix} {village.name}")
        )
    if plan.code and (issue.village or issue.district) and rng.random() < 0.85:
        cells["code"] = places.written_code(issue.village or issue.district, rng)
        traits.append("place:code")
    if issue.point:
        lat, lon = issue.point
        cells["lat"], cells["lon"] = (lat, lon) if rng.random() < 0.5 else (f"{lat:.5f}", f"{lon:.5f}")
        cells["point"] = f"{lat:.5f}, {lon:.5f}"
        traits.append("place:point")
    return cells


def _same(kind: str, a: Issue, b: Issue) -> bool:
    """Whether rows ``a`` and ``b`` hold the same value of ``kind`` (so one may repeat the other)."""
    if kind == "dimension":
        plain = not {a.reject, b.reject} & {"dimension_code_without_legend", "ambiguous_dimension"}
        return plain and a.dimension == b.dimension
    if a.foreign or b.foreign:
        return False
    if kind == "village":
        return a.village is not None and a.village == b.village
    return a.district == b.district


def _section_text(rng: random.Random, kind: str, issue: Issue) -> str:
    """What a section row of ``kind`` says for the rows of ``issue``'s group."""
    district = places.districts()[issue.district].name if issue.district else None
    if kind in ("district", "village") and district is None:
        return rng.choice(
            ("Seluruh Kabupaten Paser", "SELURUH KABUPATEN", "Se-Kabupaten Paser", "Semua Kecamatan")
        )
    if kind == "village" and issue.village:
        village = places.village_by_code()[issue.village]
        word = village.kind.title()
        bare = () if village.name in places.shared_names() else (village.name,)
        return rng.choice((f"{word} {village.name}", f"{word} {village.name}".upper(),
                           f"{word} {village.name}, Kec. {district}", *bare))  # fmt: skip
    if kind in ("district", "village"):
        bare = () if district in places.shared_names() else (district,)
        return rng.choice(
            (f"Kecamatan {district}", f"KECAMATAN {district.upper()}", f"Kec. {district}", *bare)
        )
    if kind == "dimension":
        label = rng.choice(
            values.DIMENSION_LABELS[rng.choice(("smart", "english", "indonesian"))][issue.dimension]
        )
        return rng.choice((label, label.upper(), f"Dimensi {label}"))
    label = rng.choice(values.SWOT_LABELS[rng.choice(("indonesian", "english", "both"))][issue.swot])
    return rng.choice((label, label.upper(), f"Kategori: {label}"))


@dataclass
class _Body:
    """The lines of the tables being written, with the bookkeeping of runs and traits."""

    rng: random.Random
    plan: Plan
    order: list[str | None]
    first: int  # index the first body line will have in the sheet
    lines: list[Line] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    traits: dict[str, tuple[str, ...]] = field(default_factory=dict)
    previous: Issue | None = None  # the issue on the line right above, when that line is data
    runs: dict[str, int] = field(default_factory=dict)  # merged column -> line where its run started
    number: int = 0

    def other(self, line: Line, merge_across: bool = False) -> None:
        """A line that is not data: it ends runs and ditto chains."""
        self._close_runs()
        if merge_across and self.plan.fmt in MERGING_FORMATS and len(self.order) > 1:
            start = next(i for i, c in enumerate(line.cells) if c is not None)
            row = self.first + len(self.lines)
            self.merges.append((row, start, row, len(self.order) - 1))
        self.lines.append(line)
        self.previous = None

    def section(self, kind: str, issue: Issue, level: int) -> None:
        text = _section_text(self.rng, kind, issue)
        prefix = ""
        if self.rng.random() < 0.5:
            prefix = ("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[level % 26] if level < 26 else "Z") + "."
        cells: list = [None] * len(self.order)
        where = self.order.index("description") if "description" in self.order else 0
        if prefix and where > 0 and self.rng.random() < 0.5:
            cells[0], cells[where] = prefix, text
        else:
            cells[where] = f"{prefix} {text}".strip()
        single = sum(c is not None for c in cells) == 1
        self.other(Line(cells, "section"), merge_across=single and self.rng.random() < 0.4)

    def data(self, issue: Issue, traits: list[str], sections: list[str]) -> None:
        cells = _written(self.rng, self.plan, issue, traits)
        self.number += 1
        cells["no"] = self.number if self.rng.random() < 0.8 else f"{self.number}."
        blanked = {role for kind in sections for role in FILLED_BY_SECTION[kind]}
        blanked |= {"swot"} if self.plan.subtables else set()
        traits[:] = [t for t in traits if t.split(":")[0] not in blanked]  # values never written
        traits += [f"section:{kind}" for kind in sections] + ["subtable"] * self.plan.subtables
        for role in blanked:
            cells[role] = None
        row = self.first + len(self.lines)
        for column in self.plan.merged:
            start = self.runs.get(column)
            if start is not None and self.previous is not None and _same(column, self.previous, issue):
                cells[column] = None
                traits.append(f"merged:{column}")
            else:
                self._close_run(column, row - 1)
                self.runs[column] = row
        for column in self.plan.ditto:
            if self.previous is not None and _same(column, self.previous, issue) and self.rng.random() < 0.6:
                marks = [m for m in values.DITTO_MARKS if self.plan.encoding != "cp1252" or m != "〃"]
                cells[column] = values.cased(self.rng.choice(marks), self.rng)
                traits.append(f"ditto:{column}")
        if issue.reject:
            traits.append(f"reject:{issue.reject}")
        self.lines.append(Line([cells.get(r) if r else None for r in self.order], token=issue.token))
        self.traits[issue.token] = tuple(traits)
        self.previous = issue

    def _close_run(self, column: str, last: int) -> None:
        start = self.runs.pop(column, None)
        if start is None or last <= start:
            return
        index = self.order.index(column)
        self.merges.append((start, index, last, index))
        token = self.lines[start - self.first].token
        self.traits[token] = (*self.traits[token], f"merged:{column}")

    def _close_runs(self) -> None:
        for column in list(self.runs):
            self._close_run(column, self.first + len(self.lines) - 1)

    def close(self) -> None:
        self._close_runs()


def lay_out(rng: random.Random, plan: Plan, issues: list[Issue]) -> Layout:
    """Every line of the file's sheet, top to bottom, with its truth."""
    order = column_order(rng, plan)
    width, merging = len(order), plan.fmt in MERGING_FORMATS
    file_traits = {f"format:{plan.fmt}", *_file_traits(plan)}
    lines, merges = dress.titles(rng, plan, width, 0, merging)
    legend = dress.legend_rows(rng, plan.legend) if plan.legend else []
    if plan.legend and plan.legend.placement == "above":
        lines += [*(dress.at(0, *row, kind="legend") for row in legend), dress.blank_line()]
    names = dress.header_names(rng, plan, order, file_traits)
    group = plan.group_header and "district" in order and "village" in order
    ordered = _ordered(plan, issues)
    tables = [[i for i in ordered if i.swot == s] for s in values.SWOTS] if plan.subtables else [ordered]
    tables = [t for t in tables if t]
    above = plan.subtables and rng.random() < 0.5  # the first sub-title above the sheet's header
    if above:
        lines.append(dress.at(0, _subtitle_text(rng, tables[0][0].swot, 0), kind="subtitle"))
    header, header_merges = dress.header_lines(names, order, group, len(lines))
    lines += header
    merges += header_merges
    if plan.numbering_row:
        lines.append(dress.numbering(width))
    body = _Body(rng, plan, order, first=len(lines))
    for t, table in enumerate(tables):
        if plan.subtables and not (t == 0 and above):
            _subtitle(rng, body, table[0].swot, t, names, order, group)
        seen: list[tuple] | None = None
        counters = [0] * len(plan.sections)
        for issue in table:
            keys = [_key(issue, kind) for kind in plan.sections]
            changed = next((j for j, k in enumerate(keys) if seen is None or seen[j] != k), None)
            if changed is not None:
                for j in range(changed, len(keys)):
                    body.section(plan.sections[j], issue, counters[j])
                    counters[j] += 1
                    counters[j + 1 :] = [0] * (len(keys) - j - 1)
            seen = keys
            body.data(issue, [], list(plan.sections))
    body.close()
    lines += body.lines
    merges += body.merges
    extra: list[tuple[str, list[list]]] = []
    if plan.legend and plan.legend.placement == "beside":
        lines = dress.beside(lines, legend, body.first, len(lines), width + 1)
    if plan.total_row:
        lines.append(
            dress.total(rng, len(issues), order.index("description") if "description" in order else None)
        )
    if plan.legend and plan.legend.placement == "under":
        column = rng.choice((0, 1)) if width > 1 else 0
        lines += [dress.blank_line(), *(dress.at(column, *row, kind="legend") for row in legend)]
    if plan.legend and plan.legend.placement == "sheet":
        extra.append((rng.choice(("Keterangan", "Legenda", "Kode Dimensi")), legend))
    if plan.notes_block:
        lines += dress.notes(rng, rng.choice((0, 1)) if width > 1 else 0)
    if plan.signature:
        lines += dress.signature(rng, plan, max(width - 2, 1))
    traits = tuple(sorted(file_traits))
    return Layout(rng.choice(SHEET_NAMES), lines, merges, width, order, body.traits, traits, extra)


def _subtitle(
    rng: random.Random, body: _Body, swot: str, t: int, names: dict, order: list, group: bool
) -> None:
    """The sub-title over the table of one SWOT category (after a blank line, and with the header
    repeated under it, for every table but the first, which has the sheet's header above it)."""
    text = _subtitle_text(rng, swot, t)
    if t > 0:
        body.other(dress.blank_line())
    column = order.index("description") if "description" in order and rng.random() < 0.5 else 0
    single_column = len(order) > 1 and rng.random() < 0.4
    body.other(dress.at(column, text, kind="subtitle"), merge_across=single_column)
    if t > 0 and rng.random() < 0.6:
        repeated, merges = dress.header_lines(names, order, group, body.first + len(body.lines))
        for line in repeated:
            body.other(line)
        body.merges += merges


def _subtitle_text(rng: random.Random, swot: str, t: int) -> str:
    """'B. Potensi', 'Tabel 2. PELUANG', 'Ancaman': the sub-title of table ``t`` (0-based)."""
    prefix = rng.choice(("", f"{'ABCD'[t]}. ", f"Tabel {t + 1}. ", f"{('I', 'II', 'III', 'IV')[t]}. "))
    return prefix + values.cased(rng.choice(values.SUBTITLES[swot]), rng)


def _file_traits(plan: Plan) -> set[str]:
    """The plan's transformations that touch the whole file, by name."""
    flags = {
        "title": plan.title, "agency_line": plan.agency_line, "numbering_row": plan.numbering_row,
        "total_row": plan.total_row, "notes_block": plan.notes_block, "signature": plan.signature,
        "columns:shuffled": plan.shuffle, "columns:blank": plan.blank_columns > 0,
        "header:group": plan.group_header, "subtables": plan.subtables,
        f"section_column:{plan.section_column}": bool(plan.sections),
    }  # fmt: skip
    found = {name for name, on in flags.items() if on}
    if plan.legend:
        codes = "numbers" if plan.legend.codes["governance"].isdigit() else "letters"
        found |= {
            "legend",
            f"legend:{codes}",
            f"legend:{plan.legend.placement}",
            f"legend:{plan.legend.style}",
        }
    return found
