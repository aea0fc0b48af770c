"""Which column of a worksheet holds what: header names recognised as roles, the header row found
among a sheet's (or CSV file's) first rows, and the agency named above it.

Accepted names per role, best first: :data:`ROLE_ALIASES`. A header cell is matched by its exact name,
without '(...)', by its first part, without a leading 'Nama', then as a close misspelling
(:func:`match_role`); every comparison ignores case, spaces and punctuation (:func:`normalise_header`).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from smartcity.intake.answer.validation import dimension_of, swot_of

HEADER_SEARCH_ROWS = 20

# role -> accepted header names, best first (when two columns claim a role, the better name wins).
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "description": ("permasalahan", "uraian permasalahan", "masalah", "uraian", "uraian masalah", "isu",
                    "deskripsi", "issue", "problem", "description", "uraian kondisi", "kondisi",
                    "urn masalah", "uraian isu", "isu strategis", "permasalahan/isu", "uraian singkat",
                    "issue description"),
    "dimension": ("dimensi", "dimensi smart city", "dimension", "smart city dimension", "dimensi sc",
                  "pilar smart city", "kategori dimensi", "dim", "dim sc"),
    "swot": ("kategori", "kategori (swot)", "jenis", "swot", "category", "kat", "kat swot", "jenis isu",
             "kategori isu", "klasifikasi swot", "swot category"),
    "severity": ("urgensi", "tingkat urgensi", "prioritas", "tingkat prioritas", "severity", "urg",
                 "tingkat urg", "skala prioritas", "tingkat kepentingan", "kepentingan", "urgency",
                 "priority", "urgency level"),
    "code": ("kode wilayah", "kode desa", "kode desa/kelurahan", "kode kemendagri", "kode", "code",
             "kode wil", "kode wil adm", "kd desa", "kode wilayah administrasi"),
    "village": ("desa", "kelurahan", "desa/kelurahan", "desa/kel.", "nama desa", "nama kelurahan",
                "village", "ds", "kel/desa", "desa/kel", "nama desa/kelurahan", "kampung"),
    "district": ("kecamatan", "kec.", "nama kecamatan", "district", "kec", "nama kec"),
    "lat": ("lintang", "latitude", "lat"),
    "lon": ("bujur", "longitude", "lon", "lng", "long"),
    "location": ("lokasi", "alamat", "lokasi kegiatan", "letak", "titik koordinat", "koordinat",
                 "link lokasi", "lokasi/alamat", "alamat lokasi", "titik lokasi", "lokasi kegiatan/alamat",
                 "link google maps", "link maps", "google maps", "tautan lokasi", "location", "address",
                 "coordinates"),
    "agency": ("opd", "perangkat daerah", "instansi", "agency"),
    "year": ("tahun", "tahun anggaran", "year", "thn"),
    # not "aspek" alone: worksheets head their dimension column so too; a column of readiness labels under
    # it is read by its content (smartcity.intake.read.columns)
    "readiness": ("aspek kesiapan", "aspek kesiapan daerah", "kesiapan", "kesiapan daerah",
                  "komponen kesiapan", "pilar kesiapan", "readiness", "readiness aspect"),
    "notes": ("keterangan", "ket.", "catatan", "notes", "ket"),
}  # fmt: skip
AGENCY_LABELS = ("perangkat daerah", "opd", "nama opd", "instansi", "nama instansi", "skpd")
# the header of a row-numbering column: no role, but a header word all the same
NUMBERING_HEADER = re.compile(r"(?i)\s*(?:no|no\.|nomor|nomor urut|no urut|urut|#|nr)\s*\.?\s*")


def normalise_header(text: object) -> str:
    """Lower-case letters and digits only: 'Uraian Permasalahan:' -> 'uraianpermasalahan'."""
    return re.sub(r"[\W_]+", "", str(text).casefold())


_ALIASES = {normalise_header(a): (role, rank) for role, names in ROLE_ALIASES.items()
            for rank, a in enumerate(names)}  # fmt: skip
_FUZZY_CHOICES = [a for a in _ALIASES if len(a) >= 6]
_AGENCY_LABELS = {normalise_header(a) for a in AGENCY_LABELS}


def match_role(header: object) -> tuple[str, int] | None:
    """(role, rank) for one header cell: the exact name; without '(...)'; the first part of a header
    written as several ('Uraian permasalahan / potensi'); without a leading 'Nama' ('Nama Perangkat
    Daerah'); then a close misspelling."""
    if header is None:
        return None
    text = str(header)
    bare = re.sub(r"\(.*?\)", "", text)
    first = re.split(r"\s*(?:/|\s-\s|:|\?)\s*", bare.strip())[0]
    for rank, candidate in enumerate((text, bare, first, re.sub(r"(?i)^\s*nama\s+", "", first))):
        key = normalise_header(candidate)
        if key in _ALIASES:
            role, alias_rank = _ALIASES[key]
            return role, alias_rank + 50 * (rank >= 2)  # a header named exactly elsewhere wins
    key = normalise_header(header)
    if len(key) >= 6:
        hit = process.extractOne(key, _FUZZY_CHOICES, scorer=fuzz.ratio, score_cutoff=90)
        if hit:
            role, rank = _ALIASES[hit[0]]
            return role, rank + 100  # an exact name elsewhere in the row wins over a misspelling
        # two letters swapped or one wrong ("Dimnesi", "Kecamatn"): one edit, when it names one role only
        hits = process.extract(key, _FUZZY_CHOICES, scorer=OSA.distance, score_cutoff=1, limit=None)
        near = {_ALIASES[a][0]: _ALIASES[a][1] for a, _, _ in hits}
        if len(near) == 1:
            role, rank = next(iter(near.items()))
            return role, rank + 100
    return None


def recognise_roles(headers: list[str | None]) -> dict[str, int]:
    """role -> column index for a header row; the best-ranked name wins, then the leftmost."""
    best: dict[str, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        found = match_role(header)
        if found and (found[0] not in best or found[1] < best[found[0]][0]):
            best[found[0]] = (found[1], index)
    return {role: index for role, (_, index) in best.items()}


def find_header(rows: list[list[str | None]]) -> tuple[int, dict[str, int]] | None:
    """(row index, roles) of the row recognising most roles, among the rows naming at least two columns
    one of which is the description, or at least three.

    A header over two rows whose merged cells were not filled down (an ODS file: the reader gets no
    merges from it), a group header such as 'Lokasi' over 'Kecamatan | Desa': when the row under the
    header holds only header names, the two rows are read as one, the lower row's names winning, and
    the header is the lower row (the rows are combined in place)."""
    found = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = recognise_roles(row)
        # a header names at least two columns (a data cell may say "Permasalahan"), a description column
        # or at least three others ("Uraian Kondisi" off the list: its content will say)
        if len(roles) >= 2 and ("description" in roles or len(roles) >= 3):
            if found is None or len(roles) > len(found[1]):
                found = (index, roles)
    if found and found[0] + 1 < len(rows):
        index, below = found[0], rows[found[0] + 1]
        upper = rows[index]
        if _lower_line(upper, below):
            combined = [
                b if b is not None else (upper[i] if i < len(upper) else None) for i, b in enumerate(below)
            ]
            combined += upper[len(below) :]
            roles = recognise_roles(combined)
            # a sub-title under the header ("Kategori: Weakness") must not take the description's place
            keeps = "description" in roles or "description" not in found[1]
            # a group's name ("Dimensi") over the values as column names gives way to them
            valued = {r for r, i in found[1].items() if r not in roles and i < len(below) and below[i]
                      and (dimension_of(str(below[i])) or swot_of(str(below[i])))}  # fmt: skip
            if keeps and len(roles) + len(valued) >= len(found[1]):
                rows[index + 1] = combined
                found = (index + 1, roles)
    return found


def _lower_line(upper: list[str | None], below: list[str | None]) -> bool:
    """Whether ``below`` is the lower line of a two-line header: header names only, or the short labels
    under a group header ('Lokasi' over 'Wilayah Kecamatan | Desa'): no figures, at most three words each,
    one of them a header name, and one under the group's merged cell (empty where the merge was not
    filled, the group's name repeated where it was)."""
    names = [(i, str(c).strip()) for i, c in enumerate(below) if c is not None and str(c).strip()]
    if not names or any(_LABELLED.match(c) for _, c in names):  # "Kategori: Strength" is a section row
        return False

    def above(i: int) -> str | None:
        return upper[i] if 0 <= i < len(upper) else None

    grouped = [above(i) is None or above(i) in (above(i - 1), above(i + 1)) for i, _ in names]
    if len(names) == 1 and not grouped[0]:  # one name under a column's own header: a sub-title
        return False
    if all(match_role(c) for _, c in names):
        return True
    # the values of a kind as the names of its columns, under the group's name: "Dimensi" over "Smart
    # Governance | Smart Economy | ...", ticked row by row (smartcity.intake.read.marks)
    valued = [dimension_of(c) or swot_of(c) for _, c in names]
    if len(set(v for v in valued if v)) >= 2 and any(g for g, v in zip(grouped, valued, strict=True) if v):
        return True
    if not any(match_role(c) for _, c in names):
        return False
    if any(len(c) > 30 or len(c.split()) > 3 or any(ch.isdigit() for ch in c) for _, c in names):
        return False
    return any(grouped)


_LABELLED = re.compile(r"[^:]{1,40}:\s*\S")  # a label and its value in one cell


MIN_TABLE_CELLS = 3


def guess_header(rows: list[list[str | None]]) -> tuple[int, dict[str, int]] | None:
    """When no row names a description column (headers off the alias list, in another language, or no
    header at all): the top of the table, taken as its header row for now, is the first row of at least
    :data:`MIN_TABLE_CELLS` filled cells with another such row under it; its roles are what its names
    say (maybe none). What the columns hold decides the rest, and a "header" whose cells are data of their
    columns is read as the first data row (:mod:`smartcity.intake.read.worksheets`)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in row if c) < MIN_TABLE_CELLS:
            continue
        # under it, past a few lone lines (a section row, a sub-title, a blank line), another such row
        below = (sum(1 for c in r if c) for r in rows[index + 1 : index + 1 + _LOOK_PAST])
        if next((n for n in below if n > 2), 0) >= MIN_TABLE_CELLS:
            return index, recognise_roles(row)
    return None


_LOOK_PAST = 6  # rows looked at under a table's top for its first row of data


def agency_hint(rows: list[list[str | None]]) -> str | None:
    """'Dinas Kesehatan' from 'Perangkat Daerah: Dinas Kesehatan' (one cell, or label and value cells)."""
    for row in rows:
        cells = [c.strip() for c in row if c and c.strip() and c.strip() != ":"]
        for i, cell in enumerate(cells):
            label, colon, value = cell.partition(":")
            if normalise_header(label) not in _AGENCY_LABELS:
                continue
            value = value.strip() if colon else ""
            if not value and i + 1 < len(cells):
                value = cells[i + 1].lstrip(": ").strip()
            if value:
                return value
    return None
