"""What surrounds a generated table: its header row(s), letterhead, legend, notes and signature block.

Each function returns :class:`Line` objects (cells by column index and what the intake must call the
row: header, title, legend, note, signature, numbering, total) and, where the format has them, merged
ranges. Nothing here is data: a line made here is never loaded. Pure functions of an ``rng``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.realworld import gen_values as values
from tests.realworld.gen_table import Legend, Plan

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based, inclusive)


@dataclass
class Line:
    """One row as written: its cells and its truth (kind None: a data row with ``token``, or blank)."""

    cells: list
    kind: str | None = (
        None  # header | title | section | legend | subtitle | note | signature | numbering | total
    )
    token: str | None = None

    @property
    def blank(self) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in self.cells)


def blank_line() -> Line:
    return Line([])


def at(column: int, *texts: object, kind: str) -> Line:
    """A line with ``texts`` from ``column`` on."""
    return Line([None] * column + list(texts), kind)


def header_names(rng: random.Random, plan: Plan, order: list[str | None], traits: set[str]) -> dict:
    """role -> column title: canonical for about half the columns, else one of the file's header styles;
    one self-evident column without any title when the plan says so."""
    names: dict[str | None, str | None] = {None: None}
    for role in order:
        if role is None:
            continue
        style = "canonical" if rng.random() < 0.5 else rng.choice(plan.header_styles)
        names[role] = values.header(role, style, rng)
        traits.add(f"header:{style}")
    evident = [r for r in order if r in values.SELF_EVIDENT and not (r == "dimension" and plan.legend)]
    if plan.blank_header and evident:
        names[rng.choice(evident)] = None
        traits.add("header:blank")
    return names


def header_lines(
    names: dict, order: list[str | None], group: bool, first: int
) -> tuple[list[Line], list[Merge]]:
    """One header row, or two with 'Lokasi' over the district and village titles (the other titles
    merged down over both rows) when ``group``; ``first`` is the index the header will have."""
    top = [names[r] for r in order]
    if not group:
        return [Line(top, "header")], []
    d, v = order.index("district"), order.index("village")
    bottom: list = [None] * len(order)
    bottom[d], bottom[v] = top[d], top[v]
    top[d], top[v] = "Lokasi", None
    merges = [(first, c, first + 1, c) for c in range(len(order)) if c not in (d, v) and top[c] is not None]
    return [Line(top, "header"), Line(bottom, "header")], [*merges, (first, d, first, v)]


def titles(rng: random.Random, plan: Plan, width: int, first: int, merging: bool) -> tuple[list[Line], list]:
    """The letterhead (government, agency, worksheet title) and a 'Perangkat Daerah : X' line."""
    texts = []
    if plan.title:
        if rng.random() < 0.7:
            texts.append("PEMERINTAH KABUPATEN PASER")
        texts.append(plan.agency.upper())
        texts.append(rng.choice(("KERTAS KERJA SMART CITY TAHUN 2025", "IDENTIFIKASI ISU SMART CITY",
                                 "MASTERPLAN SMART CITY KABUPATEN PASER 2025-2029")))  # fmt: skip
    if plan.agency_line:
        texts.append(rng.choice(("Perangkat Daerah : ", "OPD: ", "Nama OPD : ")) + plan.agency)
    if not texts:
        return [], []
    merge = merging and width > 1 and rng.random() < 0.5
    merges = [(first + i, 0, first + i, width - 1) for i in range(len(texts))] if merge else []
    return [*(at(0, t, kind="title") for t in texts), blank_line()], merges


def numbering(width: int) -> Line:
    """The column numbers printed under a header: (1) (2) (3) ..."""
    return Line([f"({i + 1})" for i in range(width)], "numbering")


def total(rng: random.Random, count: int, description_column: int | None) -> Line:
    cells: list = [rng.choice(("JUMLAH", "Jumlah", "TOTAL"))]
    if description_column:
        cells += [None] * (description_column - 1) + [f"{count} isu"]
    return Line(cells, "total")


def notes(rng: random.Random, column: int) -> list[Line]:
    """A 'Keterangan:' block: the urgency scale explained, the data's date, a footnote."""
    items = [rng.choice(("Keterangan:", "Catatan:", "Ket:"))]
    items += rng.sample(["- Tingkat urgensi: 1 = sangat rendah s.d. 5 = sangat tinggi",
                         f"- Data per {rng.choice(values.MONTHS)} 2025",
                         "- Satu baris untuk satu permasalahan"], rng.randint(1, 2))  # fmt: skip
    if rng.random() < 0.3:
        items.append("*) data sementara")
    return [blank_line(), *(at(column, text, kind="note") for text in items)]


def signature(rng: random.Random, plan: Plan, column: int) -> list[Line]:
    """Place and date, office, room for the signature, name, rank and NIP."""
    name, rank, nip = rng.choice(values.SIGNERS)
    day, month = rng.randint(1, 28), rng.choice(values.MONTHS)
    texts = [rng.choice((f"Tanah Grogot, {day} {month} 2025", f"Tana Paser, {day} {month} 2025"))]
    if rng.random() < 0.3:
        texts.append("Mengetahui,")
    texts.append(f"Kepala {plan.agency}")
    if rng.random() < 0.5:
        texts.append("Kabupaten Paser")
    block = [blank_line(), *(at(column, t, kind="signature") for t in texts), blank_line(), blank_line()]
    block.append(at(column, name, kind="signature"))
    if rng.random() < 0.7:
        block.append(at(column, rank, kind="signature"))
    block.append(at(column, f"NIP. {nip}", kind="signature"))
    return block


def legend_rows(rng: random.Random, legend: Legend) -> list[list]:
    """The legend's rows (cells from the first column), codes in code order, labels in its style."""
    pairs = sorted(legend.codes.items(), key=lambda item: (len(item[1]), item[1]))
    if not legend.codes["governance"].isdigit():  # letters: no natural order, as written
        rng.shuffle(pairs)
    labels = [(code, rng.choice(values.DIMENSION_LABELS[legend.label_style][dim])) for dim, code in pairs]
    if legend.style == "inline":
        joined = " ".join(f"{c}. {label}" for c, label in labels)
        if not labels[0][0].isdigit():
            joined = "; ".join(f"{c} = {label}" for c, label in labels)
        return [[f"{legend.heading or 'Keterangan:'} {joined}"]]
    rows = [[legend.heading]] if legend.heading else []
    for code, label in labels:
        if legend.style == "cells":
            rows.append([int(code) if code.isdigit() else code, label])
        else:
            rows.append([{"eq": f"{code} = {label}", "colon": f"{code} : {label}",
                          "dot": f"{code}. {label}"}[legend.style]])  # fmt: skip
    return rows


def beside(lines: list[Line], rows: list[list], start: int, end: int, column: int) -> list[Line]:
    """The legend written to the right of the table from line ``start``: on the data lines up to ``end``
    (exclusive), the rest on lines of their own inserted at ``end``."""
    out = list(lines)
    extra = []
    for k, cells in enumerate(rows):
        if start + k < end:
            line = out[start + k]
            line.cells = line.cells + [None] * (column - len(line.cells)) + cells
        else:
            extra.append(Line([None] * column + cells, "legend"))
    return out[:end] + extra + out[end:]
