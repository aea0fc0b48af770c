"""Values given once for the rows below them, read as a person reads them.

Agency staff write a value once and mean it for several rows:

- a **section row**: a row whose only content (one cell, a label and its value, or one value merged
  across the row) names a district ("Kecamatan Long Ikis", "A. KEC. KUARO"), a village ("Desa Lori"),
  a dimension ("I. SMART GOVERNANCE"), a SWOT category or a table's sub-title ("Potensi", "B. Kekuatan",
  "Permasalahan"), a readiness aspect ("A. SUPRASTRUKTUR", "Aspek Infrastruktur"), or the whole regency
  ("Seluruh Kabupaten"). It sets that value for the rows below it,
  until the next section row of the same kind; a district's section ends its villages', the regency's ends
  both. A row's own value beats its section's (a column beats a section);
- a **ditto mark** (``idem``, ``sda``, ``s.d.a.``, ``dto``, ``"``, ``〃``, ``-do-``, ``ditto``, any case)
  in a column repeats the value above it;
- a **legend row** under, above or inside the table (``1 = Smart Governance``, ``Keterangan: ...``):
  the key to a column's codes (:mod:`smartcity.intake.read.legends`), not data.

Section, sub-title and legend rows are skipped rows with their reason ("section", "legend"): never a
rejected row. Only rows that say nothing else can be sections: a row with a description and other
values is data, however short. When a section names a value whose column the table lacks, the reader
adds a column of its own for it (as for a sheet's name).

Speed: section and legend candidates are the rows with at most two filled cells or whose cells all
equal one value (found with numpy); only those are read in Python. Ditto marks: one vectorised match per
role column. A clean million-row table costs a few tens of milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smartcity.intake.answer.validation import dimension_of, readiness_of, swot_of
from smartcity.intake.read.legends import is_legend_text
from smartcity.intake.read.names import RegionNames
from smartcity.intake.read.worksheet_headers import NUMBERING_HEADER, match_role, normalise_header

DITTO = re.compile(
    r"^\s*(?:idem|id\.|sda|s\.\s?d\.\s?a\.?|s/d/a|dto|d\.t\.o\.?|ditto|dtto|-do-|do\.?|\"|''|〃|”|“|″|ʺ|,,|„|=)\s*$",
    re.IGNORECASE,
)
DITTO_ROLES = (
    "district", "village", "dimension", "swot", "severity", "agency", "code", "year", "location", "readiness",
)  # fmt: skip
SECTION_ROLES = ("regency", "district", "village", "dimension", "swot", "readiness")
SECTION_CHARS = 80  # a section's text is at most this long
# what a section of each kind ends: a new district starts new villages; the regency, new everything
RESETS = {"district": ("village",), "regency": ("district", "village")}
SECTION_COLUMNS = {
    "district": "Kecamatan (dari baris judul bagian)", "village": "Desa/Kelurahan (dari baris judul bagian)",
    "dimension": "Dimensi (dari baris judul bagian)", "swot": "Kategori (dari baris judul bagian)",
    "readiness": "Aspek Kesiapan (dari baris judul bagian)",
}  # fmt: skip
REGENCY_TEXT = "Seluruh Kecamatan"  # what the location reader takes for the whole regency

_ENUMERATOR = re.compile(r"^\s*(?:[A-Za-z]|[IVXivx]{1,4}|\d{1,2})\s*[.)]\s+|^\s*[-–•*]\s+")
_DISTRICT_PREFIX = re.compile(r"^\s*(?:kecamatan|kec)\b\.?\s*:?\s*", re.IGNORECASE)
_VILLAGE_PREFIX = re.compile(r"^\s*(?:desa|kelurahan|kel|ds|kampung)\b\.?\s*:?\s*", re.IGNORECASE)
_REGENCY = re.compile(
    r"^\s*(?:(?:semua|seluruh|segenap|lintas)\s+(?:wilayah|kecamatan|desa|kelurahan|daerah|kabupaten)"
    r"|wilayah\s+kabupaten|se-?kabupaten|kabupaten\s+\S.*|tingkat\s+kabupaten)\b",
    re.IGNORECASE,
)
_SUBTITLE_NOISE = re.compile(  # words around a sub-title: "Tabel 3. ANCAMAN", "Isu-isu Kekuatan"
    r"\b(?:tabel|daftar|data|isu|isu-isu|identifikasi|uraian|aspek|kategori)\b", re.I
)


@dataclass
class Context:
    """What the pass made of a table: rows to skip (position -> reason), columns added, and the
    roles it gave them."""

    skipped: dict[int, str] = field(default_factory=dict)
    added: dict[str, str] = field(default_factory=dict)  # role -> column made by the reader


_LABEL = re.compile(
    r"(?i)^\s*(?:[A-Za-z]|[IVXivx]{1,4}|\d{1,2})\s*[.)]?\s*$"
    r"|^\s*(?:kecamatan|kec|desa|kelurahan|dimensi|kategori|bidang|lokasi|wilayah|swot)\b\.?\s*:?\s*$"
)
_PARTS = re.compile(r"\s*(?:,|;|\(|\)|/|\s[-–]\s)\s*")


_PLACEHOLDER = re.compile(r"Kolom \d+")  # the name the reader gives a column without a header


def section_of(text: str, names: RegionNames | None) -> tuple[str, str] | None:
    """(kind, value) one piece of a lone cell names as a section, or None when it names none."""
    bare = _ENUMERATOR.sub("", text).strip().rstrip(":").strip()
    if not bare or len(bare) > 80:
        return None
    if _REGENCY.match(bare) and not _DISTRICT_PREFIX.match(bare):
        return "regency", REGENCY_TEXT
    if _DISTRICT_PREFIX.match(bare):
        name = _DISTRICT_PREFIX.sub("", bare).strip()
        return ("district", name) if name and (names is None or "district" in names.kinds(name)) else None
    if _VILLAGE_PREFIX.match(bare):
        name = _VILLAGE_PREFIX.sub("", bare).strip()
        return ("village", name) if name and (names is None or "village" in names.kinds(name)) else None
    if dimension_of(bare) is not None:
        return "dimension", bare
    if swot_of(bare) is not None:
        return "swot", bare
    if readiness_of(bare) is not None:  # "Aspek Suprastruktur", "C. INFRASTRUKTUR"
        return "readiness", bare
    plain = _ENUMERATOR.sub("", " ".join(_SUBTITLE_NOISE.sub(" ", bare).split())).strip(" .:")
    if plain and plain != bare:  # "Tabel 3. Kekuatan", "Isu Permasalahan", "Daftar Smart Economy"
        if swot_of(plain) is not None:
            return "swot", plain
        if dimension_of(plain) is not None:
            return "dimension", plain
    if names is not None:
        kinds = names.kinds(bare)
        if "district" in kinds:  # a bare name that is a district's (and maybe a village's): the district
            return "district", bare
        if "village" in kinds:
            return "village", bare
        if "regency" in kinds:
            return "regency", REGENCY_TEXT
    return None


def sections_of(cells: list[str], names: RegionNames | None) -> list[tuple[str, str]] | None:
    """What a row whose only content is ``cells`` (one value, or a label and a value) sets for the rows
    below: one or more (kind, value) ("Desa Jone, Kec. Tanah Grogot" sets both); None when it is no
    section row."""
    if len(cells) == 2 and not _LABEL.match(cells[0]):
        return None
    text = " ".join(cells)
    whole = section_of(text, names)
    if whole is not None:
        return [whole]
    found = [section_of(part, names) for part in _PARTS.split(_ENUMERATOR.sub("", text)) if part.strip()]
    if len(found) >= 2 and all(found) and len({kind for kind, _ in found}) == len(found):
        return found
    return None


def looks_like_section(cells: list[str]) -> bool:
    """A lone short value that names no section we know: it still ends the place sections above it, so
    the rows under it never keep a place they may not belong to."""
    return len(cells) <= 2 and len(" ".join(cells)) <= 60 and not any(len(c.split()) > 8 for c in cells)


def read_context(
    table: pd.DataFrame,
    roles: dict[str, str],
    file_columns: list[str],
    names: RegionNames | None = None,
    title: list[tuple[str, str]] | None = None,
    *,
    counts: np.ndarray,
) -> Context:
    """Sections, repeated header rows, legend rows and ditto marks of a table (data rows only, in sheet
    order): fills ``table`` in place and returns what it skipped and added (see the module docstring).
    ``title``: what the line above the table's header sets, as a section before its first row; ``counts``:
    the filled cells of each row (the reader counts them once per sheet)."""
    context = Context()
    if not len(table) or not file_columns:
        return context
    values = [table[c].to_numpy(dtype=object) for c in file_columns]
    filled = counts
    candidates = filled <= 2
    headers = np.zeros(len(table), dtype=bool)
    own = {normalise_header(c) for c in file_columns if not _PLACEHOLDER.fullmatch(str(c))}
    if "description" in roles and roles["description"] in file_columns:
        description = table[roles["description"]].to_numpy(dtype=object)
        candidates |= np.equal(description, None)
        present = np.flatnonzero(~np.equal(description, None))
        # one value merged across the row, or a header again ("Uraian Permasalahan" for a second table):
        # a key column then holds the same value, a header word or nothing; its few distinct values are
        # judged once, so a long table of data rows costs one pass over one column
        key = next((roles[r] for r in _HEADER_KEYS if r in roles and roles[r] != roles["description"]
                    and roles[r] in file_columns), None)  # fmt: skip
        if key is not None and len(present):
            at_key = table[key].to_numpy(dtype=object)[present]
            which, distinct = pd.factorize(at_key)
            worded = np.array([_header_word(v, own) for v in distinct] + [True], dtype=bool)
            present = present[worded[which] | np.equal(at_key, description[present])]
        lengths = np.fromiter((len(str(v)) for v in description[present]), dtype=np.int64, count=len(present))
        short = present[lengths <= SECTION_CHARS]
        if len(short):
            same = np.zeros(len(short), dtype=np.int64)
            for column in values:
                same += np.equal(column[short], description[short])
            candidates[short[same == filled[short]]] = True
            for p in short.tolist():
                if _header_row([c[p] for c in values], own):
                    headers[p] = True
    current: dict[str, str | None] = {kind: None for kind in SECTION_ROLES}
    marks: dict[str, dict[int, str]] = {kind: {} for kind in SECTION_ROLES}
    if title:
        _enter(dict(title), current, names)
        for kind in SECTION_ROLES:
            if current[kind]:
                marks[kind][0] = current[kind]
    positions = sorted(set(np.flatnonzero(candidates | headers).tolist()))
    kinds = {p: _legend_row([c[p] for c in values]) for p in positions}
    legend_rows = {p for p, kind in kinds.items() if kind == "cells"}
    pairs = {p for p, kind in kinds.items() if kind == "pair"}  # a code and a meaning: only in a block
    legend_rows |= {p for p in pairs if {p - 1, p + 1} & (pairs | legend_rows)}
    cells_at = {p: _distinct_cells(values, p) for p in positions}
    for p in positions:  # the header's lower line under a group header ("Kec" | "Desa") is a header too
        if not headers[p] and len(cells_at[p]) >= 2 and _header_row([c[p] for c in values], own):
            headers[p] = True
    found_at = {p: sections_of(c, names) if 0 < len(c) <= 2 else None for p, c in cells_at.items()}
    for position in positions:
        cells, found = cells_at[position], found_at[position]
        if not cells:
            continue
        if headers[position]:
            context.skipped[position] = "header"
            continue
        # "C. Dimensi Economy" may head rows or define a code: a legend's line stands with other lines of
        # the legend (a block), a title is followed by data rows (or by another title)
        after = position + 1
        followed = after < len(table) and (after not in cells_at or bool(found_at[after]) or headers[after])
        heads_rows = found is not None and followed
        in_block = _in_legend_block(position, legend_rows)
        if position in legend_rows and (found is None or (in_block and not heads_rows)):
            context.skipped[position] = "legend"
            continue
        if len(cells) > 2:
            continue
        if found is None:
            if looks_like_section(cells):  # unread: what the sections above set ends here
                for kind in SECTION_ROLES:
                    current[kind] = None
                    marks[kind][position] = ""
            continue
        context.skipped[position] = "section"
        _enter(dict(found), current, names)
        for kind in SECTION_ROLES:
            marks[kind][position] = current[kind] or ""
    _carry_down(table, roles, marks, context)
    _repeat_dittos(table, roles, set(context.skipped))
    return context


_HEADER_KEYS = ("dimension", "swot", "severity", "district", "village", "code", "lat", "lon", "location")


def _header_word(text: object, own: set[str]) -> bool:
    """A cell that names a column: one of this table's own names, a name a role is known by, 'No'."""
    text = str(text).strip()
    return normalise_header(text) in own or bool(NUMBERING_HEADER.fullmatch(text)) or bool(match_role(text))


def _header_row(cells: list, own: set[str]) -> bool:
    """A row whose every filled cell is a header word, two at least a column's name: the header of a
    table again. Header words: the names of this table's own columns ('Urgnesi' as the clerk typed it),
    any name a role is known by, and a numbering column's 'No'."""
    texts = list(dict.fromkeys(str(c).strip() for c in cells if c is not None and str(c).strip()))
    names = [t for t in texts if normalise_header(t) in own or match_role(t)]
    numbering = [t for t in texts if NUMBERING_HEADER.fullmatch(t)]
    return len(names) >= 2 and len(names) + len(numbering) >= len(texts)


def title_sections(above: list[list[str | None]], names: RegionNames | None) -> list[tuple[str, str]]:
    """What the line right above a table's header sets for all its rows, when it is a lone section value:
    a document's sub-title ("Potensi", "Tabel Kekuatan") or a sheet's title line ("Kecamatan Long Ikis",
    "Smart Economy")."""
    for row in reversed(above):
        cells = list(dict.fromkeys(c.strip() for c in row if c and c.strip()))
        if len(cells) > 2:  # the upper line of a two-line header (a group header): look above it
            continue
        if cells:
            return sections_of(cells, names) or []
    return []


def _distinct_cells(values: list[np.ndarray], position: int) -> list[str]:
    return list(dict.fromkeys(str(c[position]).strip() for c in values if c[position] is not None))


def _legend_row(cells: list) -> str | None:
    """ "cells" for a row that is a legend's line (each cell one), "pair" for a code cell and its
    meaning ("B" | "Branding": a legend's line only among others), None otherwise."""
    texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    if not texts:
        return None
    if all(is_legend_text(t) for t in texts):
        return "cells"
    if len(texts) == 2 and len(texts[0]) <= 4 and is_legend_text(f"{texts[0]} = {texts[1]}"):
        return "pair"
    return None


def _in_legend_block(position: int, legend_rows: set[int]) -> bool:
    """Whether a legend-like row stands with others (the row above or below is one too)."""
    return position - 1 in legend_rows or position + 1 in legend_rows


def _enter(found: dict[str, str], current: dict[str, str | None], names: RegionNames | None) -> None:
    """The sections in force after a section row naming ``found``."""
    if "regency" in found:
        current.update(regency=found["regency"], district=None, village=None)
    if "district" in found:
        current.update(regency=None, district=found["district"], village=None)
    if "village" in found:
        district = found.get("district", current["district"])
        # a village of another district than the section above: that district ends here, so the row is
        # placed by its village alone (never in the district above, where the village is not)
        if district is not None and names is not None and not names.village_in(found["village"], district):
            district = None
        current.update(regency=None, district=district, village=found["village"])
    for kind in ("dimension", "swot", "readiness"):
        if kind in found:
            current[kind] = found[kind]


def _carry_down(table: pd.DataFrame, roles: dict[str, str], marks: dict, context: Context) -> None:
    """Fill each role's empty cells from the section above (a column of the reader's own when absent)."""
    for kind, found in marks.items():
        if not any(found.values()):
            continue
        series = pd.Series([None] * len(table), dtype=object)
        for position, value in found.items():
            series.iat[position] = value
        carried = series.ffill().replace("", None).to_numpy(dtype=object)
        role = "district" if kind == "regency" else kind
        column = roles.get(role)
        if column is None or column not in table:
            column = SECTION_COLUMNS[role]
            if column not in table:
                none = np.full(len(table), None, dtype=object)
                table[column] = pd.Series(none, index=table.index, dtype=object)
            roles[role] = context.added[role] = column
        current = table[column].to_numpy(dtype=object).copy()
        empty = np.equal(current, None) & ~np.equal(carried, None)
        if (
            kind == "regency" and "village" in roles
        ):  # the regency's rows: no place of their own unless written
            empty &= np.equal(table[roles["village"]].to_numpy(dtype=object), None)
        current[empty] = carried[empty]
        table[column] = pd.Series(current, index=table.index, dtype=object)


def _repeat_dittos(table: pd.DataFrame, roles: dict[str, str], skipped: set[int]) -> None:
    """Ditto marks in role columns take the value above them (rows skipped as sections do not count)."""
    for role in DITTO_ROLES:
        column = roles.get(role)
        if column is None or column not in table:
            continue
        series = table[column]
        which, distinct = pd.factorize(series.to_numpy(dtype=object))  # each distinct value judged once
        if not len(distinct):
            continue
        marks = np.array([bool(DITTO.match(str(v))) for v in distinct] + [False], dtype=bool)[which]
        if not marks.any():
            continue
        keep = series.mask(marks)
        if skipped:
            keep.iloc[sorted(skipped)] = None
        filled = keep.ffill()
        table[column] = series.where(~marks, filled).astype(object)
