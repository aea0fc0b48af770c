"""Rows under the header that are not data: numbering, totals, notes, signatures, untouched template rows.

Worksheets as agency staff make them carry, below the header row, a numbering row ("(1) (2) (3)"),
total rows ("JUMLAH"), notes ("Keterangan: ..."), and at the bottom a signature block (place and date,
"Mengetahui,", "Kepala Dinas ...", the name, the rank, the NIP). :func:`classify_rows` names such rows
so that the reader can leave them out instead of rejecting them one by one. Pure: no I/O.

The first rule wins, and no rule touches a DATA-SHAPED row: one with a description and a dimension or
a location (a village, district or location cell; a code or coordinate cell that reads like one, so a
signature line under "Bujur" is no location). Whatever such a row says ("Jumlah tenaga kesehatan
kurang", "Catatan sipil belum online", a person's name) it is data, unless every cell of it is a column
number (rule 1): a row with any word in it is never a numbering row. Only rows that validation would
reject anyway (no dimension, no location) can be skipped, so a skipped row never costs a usable one.

1. ``numbering``: at least 3 filled cells, every one a number of 1-2 digits ("3", "(3)", "3."), the
   numbers increasing from left to right (merged columns may skip some).
2. ``total``: the first filled cell, the description or a place name's cell (district, village, location)
   is a total word alone: jumlah, total, sub total, jumlah total, grand total, total keseluruhan, ...
   (case, spaces, hyphens and a trailing colon do not count; "Jumlah I" / "Sub Total A" too), whatever
   the other cells hold; a total word in a place name's cell places nothing (the row is not data-shaped).
3. ``note``: a sparse row (at most :data:`SPARSE_CELLS` filled cells) whose first filled cell or
   description starts with a note marker: "Keterangan", "Ket", "Catatan", "Sumber", "Note", "NB" followed
   by a colon, full stop or nothing, or a footnote star "*)". Sparse rows right under a note that start
   like a list ("1. ...", "a) ...", "- ...", "5 = sangat tinggi") continue it. "Catatan sipil ..." has no
   colon: not a note.
4. ``signature``: looked for only in the trailing block of sparse rows (the rows from the last
   non-sparse or data-shaped row to the end of the sheet). It starts at the block's first strong line:
   place and date ("Tana Paser, 12 Mei 2025", "Tanah Grogot, .... 2025", "Paser, 2025-05-12", also
   split over two cells), "Mengetahui,"/"Menyetujui,"/"Dibuat oleh" and the like, or an official title
   with a.n./u.b./Plt./Plh./Pj. in front. Failing that, at a title line ("Kepala Dinas Kesehatan",
   "Sekretaris", "Camat ...") that some later row of the block confirms with a name, a rank or a NIP;
   failing that, at a rank or NIP line, taking in the line right above it (the name, however plain)
   and the title and name lines above that. From the start every row of the block with a letter (or a
   NIP) is signature; the first three rules still win. A person's name alone never starts a block. Only
   the block's last :data:`SIGNATURE_ROWS` rows with a letter are looked at. Signers under the
   description and a place-name column make data-shaped rows: those stay data (and are rejected).
5. ``empty_template``: a row whose only filled cells are pre-fill the agency did not write a problem
   into: a row number (1-5 digits) in a column without a role, the agency, the year or the urgency
   (templates carry defaults there). A row with only a SWOT category is left as data: someone began it,
   and its rejection tells them to finish it.

Anything else is left as data (``None``): a sparse row that is none of the above is validated and, when
it cannot be used, rejected with a reason the agency can act on.

Speed: data-shaped rows are found with numpy (filled masks of the description, the dimension, then the
location cells for the rows still open; one factorize of the dimension to find column numbers). Of the
other rows, only those whose first cell or description may start a total, note or numbering row (one
regex each), or that have nothing but pre-fill, are looked at in Python. A million data rows take about
0.15 s on two cores; a million rows with neither dimension nor location (all rejected) about 2 s.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from smartcity.intake.answer.validation import severity_of

SKIP_REASONS: dict[str, tuple[str, str]] = {
    "numbering": ("numbering row under the header", "baris penomoran kolom"),
    "total": ("total row", "baris jumlah/total"),
    "note": ("note below the table", "baris keterangan/catatan"),
    "signature": ("signature block", "blok tanda tangan"),
    "section": (
        "a value written once for the rows below it (district, village, dimension, SWOT, regency)",
        "judul bagian: nilai untuk baris-baris di bawahnya (kecamatan, desa, dimensi, kategori)",
    ),
    "legend": (
        "a legend: the key to a column's codes",
        "keterangan kode (legenda), misalnya 1 = Smart Governance",
    ),
    "empty_template": (
        "template row with no problem written in (only a number, agency, year or urgency)",
        "baris templat yang belum diisi (hanya nomor, perangkat daerah, tahun atau urgensi)",
    ),
}
SPARSE_CELLS = 3  # two or three signers side by side, a note with its legend
SIGNATURE_ROWS = 200  # rows with a letter looked at for a signature, from the sheet's end up
PLACING_ROLES = ("dimension", "code", "village", "district", "lat", "lon", "location")
PREFILL_ROLES = ("agency", "year", "severity")
NUMBER_ROLES = ("code", "lat", "lon")  # they place a row only when they read like a code or a coordinate
NAME_ROLES = ("village", "district", "location")  # they place a row unless they hold a total word

_NOT_WORD = re.compile(r"[\W_]+")
_LETTER = re.compile(r"[^\W\d_]")
_COLUMN_NUMBER = re.compile(r"\(?(\d{1,2})\)?\.?")
_ROW_NUMBER = re.compile(r"\(?\d{1,5}\)?\.?")
# a code or a coordinate: digits and their punctuation, at most one hemisphere word (LS, BT, S, E, ...)
_PLACE_NUMBER = re.compile(r"[^\W_]{0,2}[\s\d.,°º˚'\"′″+\-–]*\d[\s\d.,°º˚'\"′″+\-–]*(?:[^\W\d_]{1,2}\.?)?")
_TOTAL = re.compile(
    r"(?:jumlah|total|sub ?total|sub ?jumlah|grand total|jumlah total|total jumlah)"
    r"(?: (?:keseluruhan|seluruhnya|semua|akhir|umum))?(?: (?:[ivx]+|[a-z]|\d{1,2}))?"
)
_NOTE = re.compile(r"(?:keterangan|ket|catatan|sumber|note|notes|nb|n\.b)(?:\s*[:.)]|$)|\*+\s*\)?|\(\*+\)")
# may the cell start a numbering row, a total or a note? (superset of the rules, on the text as written)
_MAYBE = re.compile(
    r"\s*(?:\*|\(\*)|[\W_]*(?:\d{1,2}[\W_]*$|jumlah|total|sub|grand|ket|catatan|sumber|note|nb|n\.b)",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"(?:\d{1,2}|[a-z])\s*[.)=:]|[-–•*·]")
# --- signature lines (matched on folded text: lower case, single spaces) ---
_MONTHS = (
    "januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|oktober|nopember|november|"
    "desember|january|february|march|may|june|july|august|october|december|jan|feb|peb|mar|apr|jun|jul|"
    "agu|agt|ags|aug|sep|sept|okt|oct|nov|nop|des|dec"
)
_PLACE = re.compile(r"([a-z][a-z'.\- ]{1,40}),(.*)")
_DATE = re.compile(
    rf"(?:\d{{1,2}}[\s.\-]*)?(?:{_MONTHS})\.?[\s.\-]*\d{{4}}"  # 12 Mei 2025, Juni 2025
    r"|\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?"  # 2025-05-12 (a date cell)
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 12/05/2025
)
_PLACEHOLDER = re.compile(r"[._…]{2,}")
_YEAR = re.compile(r"\d{4}")
_APPROVAL = re.compile(
    r"(?:mengetahui|menyetujui|disetujui|diketahui|disahkan|mengesahkan|diperiksa oleh|dibuat oleh|"
    r"disusun oleh|diverifikasi oleh|yang membuat|yang menyusun|yang melaporkan|hormat kami|tembusan)"
    r"\s*(?:[,:.].*)?"
)
# on behalf of / acting: "a.n. Bupati Paser", "Plt. Kepala ...", "Plt Kepala" (a dot or a space: not "PLTU")
_ON_BEHALF = re.compile(
    r"(?:a\.\s?n\.?|a/n|an\.|u\.\s?b\.?|ub\.|plt\.|plh\.|pj\.|pjs\.|plt |plh |pjs )\s*[a-z].*"
)
_TITLE = re.compile(
    r"(?:kepala|sekretaris|bupati|wakil bupati|camat|lurah|sekda|kadis|kabid|kabag|kasubbag|kasubag|kasi|"
    r"kasie|direktur|ketua|koordinator|pejabat|penanggung jawab|pimpinan|inspektur)\b.*"
)
_NIP = re.compile(r"(?:nip|nrp|nik|nipppk)(?:\s*/\s*(?:nip|nrp))?[\s.:]*[\d\s.\-]*|\d{8} ?\d{6} ?\d ?\d{3}")
_GRADE = r"\(?(?:gol(?:ongan)?\.?\s*)?(?:i{1,3}|iv)\s*[/.\-]\s*[a-e]\)?"  # golongan: "(IV/c)", "III.b"
# a civil-service rank and nothing else: "Pembina Utama Muda (IV/c)", "Penata Tk. I", "IV/a"
_RANK = re.compile(
    rf"(?:pembina|penata|pengatur|juru)(?:[\s,.\-]+(?:utama|muda|madya|tingkat|tk|i{{1,3}}|iv|{_GRADE}))*\.?"
    rf"|{_GRADE}"
)
# names: checked on the text as written (case matters): "dr. H. AMIR S., M.Kes", "Ir. Budi Santoso, MT"
_NAME_TITLE = re.compile(r"(?:(?:prof|dr|drg|drs|dra|ir|h|hj|ns|apt|kh)\.\s*)+\S", re.IGNORECASE)
_DEGREE = re.compile(r"[A-Z](?:[A-Za-z]|\. ?){0,7}")  # "M.Kes", "MT", "S.T.", "S.Kom", "Sp.PD"

Items = list[tuple[int, str]]  # (column index, stripped text) of a row's filled cells, in sheet order


def classify_rows(cells: list[np.ndarray], roles: dict[str, int]) -> np.ndarray:
    """Per row ``None`` (data) or the code of :data:`SKIP_REASONS` saying why it is no data row.

    ``cells`` are the object columns in sheet order (text or ``None`` per cell, rows in sheet order, blank
    rows already gone); ``roles`` maps role names to column indexes.
    """
    n = len(cells[0]) if cells else 0
    out = np.full(n, None, dtype=object)
    if n == 0:
        return out
    roles = {role: j for role, j in roles.items() if 0 <= j < len(cells)}
    # 1. data-shaped rows are data (numbering rows aside): numpy only
    rows = np.flatnonzero(~_data_shaped(cells, roles, n))
    if len(rows) == 0:
        return out
    # 2. of the others, the rows a rule may apply to: cheap looks at their first cell and description
    sub = [column[rows] for column in cells]
    filled = np.array([np.not_equal(column, None) for column in sub])
    count = filled.sum(axis=0)
    look = _worth_a_look(sub, filled, roles)
    items = dict(zip(look.tolist(), _items(sub, look), strict=True))
    kinds = np.full(len(rows), None, dtype=object)
    # 3. numbering, total, note: row by row; a note goes on over the list items right under it
    description = roles.get("description")
    named = {roles[r] for r in NAME_ROLES if r in roles}  # "Jumlah" in the district column is a total too
    for p in look.tolist():
        if kinds[p] is None:
            kinds[p] = _kind(items[p], description, named)
        if kinds[p] == "note":
            _continue_note(p, kinds, rows, sub, items)
    # 4. the signature, in the trailing block of sparse rows
    window = _signature_window(sub, items, rows, count, n)
    start = _signature_start([_row(sub, items, p) for p in window])
    for p in window[start:]:
        if kinds[p] is None and any(_LETTER.search(t) or _NIP.fullmatch(t) for _, t in items[p]):
            kinds[p] = "signature"  # a row of bare numbers under it is left to the last rule
    # 5. rows with nothing but pre-filled cells
    prefill = {roles[r]: r for r in PREFILL_ROLES if r in roles}
    role_columns = set(roles.values())
    for p, row in items.items():
        if kinds[p] is None and row and all(_prefilled(j, t, prefill, role_columns) for j, t in row):
            kinds[p] = "empty_template"
    out[rows] = kinds
    return out


# --- numpy part ----------------------------------------------------------------------------------------


def _data_shaped(cells: list[np.ndarray], roles: dict[str, int], n: int) -> np.ndarray:
    """Rows with a description and a dimension or location cell, except rows that may be column numbers."""
    shaped = np.zeros(n, dtype=bool)
    description = roles.get("description")
    if description is None:
        return shaped
    described = np.flatnonzero(np.not_equal(cells[description], None))
    placed = np.zeros(len(described), dtype=bool)
    for role in PLACING_ROLES:  # the dimension first: it places most rows, the others see only the rest
        j = roles.get(role)
        if j is None or j == description:
            continue
        open_ = np.flatnonzero(~placed)
        values = cells[j][described[open_]]
        here = np.not_equal(values, None)
        if role in NUMBER_ROLES and here.any():  # a signature line under "Bujur" places nothing
            here[here] = [bool(_PLACE_NUMBER.fullmatch(str(v).strip())) for v in values[here]]
        elif role in NAME_ROLES and here.any():  # nor does "Jumlah" in the district column
            which, distinct = pd.factorize(values[here])  # a few distinct names in a long column
            here[here] = np.array([not _TOTAL.fullmatch(_words(str(v))) for v in distinct], dtype=bool)[which]
        placed[open_] = here
    shaped[described[placed]] = True
    # a numbering row fills the description and the dimension with column numbers: look at those again
    key = roles.get("dimension", description)
    candidates = described[placed]
    which, values = pd.factorize(cells[key][candidates], use_na_sentinel=True)
    numeric = [bool(_COLUMN_NUMBER.fullmatch(str(v).strip())) for v in values]
    # which == -1 (no dimension, placed by a location cell) reads the last entry: a column number is
    # no location, so such rows stay data (a numbering row with a gap just there is rejected, not skipped)
    again = candidates[np.array(numeric + [False])[which]]
    if len(again):
        shaped[again] = [not _numbering(row) for row in _items(cells, again)]
    return shaped


def _worth_a_look(sub: list[np.ndarray], filled: np.ndarray, roles: dict[str, int]) -> np.ndarray:
    """Positions of the rows a rule may apply to: their first cell or description may start a total,
    a note or a numbering row, or they have nothing but pre-fill cells. One regex per cell looked at."""
    first = sub[-1].copy()
    for j in range(len(sub) - 2, -1, -1):
        first = np.where(filled[j], sub[j], first)
    heads = [first] + [sub[roles[r]] for r in ("description", *NAME_ROLES) if r in roles]
    maybe = np.zeros(len(first), dtype=bool)
    for texts in heads:
        maybe |= np.fromiter((t is not None and bool(_MAYBE.match(str(t))) for t in texts), bool, len(texts))
    content = [j for role, j in roles.items() if role not in PREFILL_ROLES]
    if content:
        maybe |= ~filled[content].any(axis=0)
    else:
        maybe[:] = True
    return np.flatnonzero(maybe)


def _items(sub: list[np.ndarray], positions: np.ndarray) -> list[Items]:
    """The filled cells of the rows at ``positions``, stripped, as (column, text) pairs."""
    block = np.empty((len(positions), len(sub)), dtype=object)
    for j, column in enumerate(sub):
        block[:, j] = column[positions]
    out = []
    for row in block.tolist():
        texts = [(j, str(v).strip()) for j, v in enumerate(row) if v is not None]
        out.append([(j, t) for j, t in texts if t])
    return out


def _row(sub: list[np.ndarray], items: dict[int, Items], p: int) -> Items:
    """The filled cells of the row at position ``p`` (kept in ``items``)."""
    if p not in items:
        items[p] = _items(sub, np.array([p]))[0]
    return items[p]


# --- row rules -----------------------------------------------------------------------------------------


def _folded(text: str) -> str:
    """Lower case, compatibility forms folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _words(text: str) -> str:
    """Folded, punctuation as spaces: 'SUB-TOTAL :' -> 'sub total'."""
    return " ".join(_NOT_WORD.sub(" ", _folded(text)).split())


def _kind(row: Items, description: int | None, named: set[int] = frozenset()) -> str | None:
    """numbering, total or note for one row that is not data-shaped (None: none of them)."""
    if not row:
        return None
    if _numbering(row):
        return "numbering"
    heads = [row[0][1]] + [t for j, t in row[1:] if j == description]
    if any(_TOTAL.fullmatch(_words(t)) for t in heads + [t for j, t in row if j in named]):
        return "total"
    if len(row) > SPARSE_CELLS:
        return None
    if any(_NOTE.match(_folded(t)) for t in heads):
        return "note"
    return None


def _continue_note(p: int, kinds: np.ndarray, rows: np.ndarray, sub: list[np.ndarray], items: dict) -> None:
    """Mark the sparse rows right under the note at ``p`` that read like its list items ("1. ...")."""
    while p + 1 < len(rows) and rows[p + 1] == rows[p] + 1 and kinds[p + 1] is None:
        following = _row(sub, items, p + 1)
        if not following or len(following) > SPARSE_CELLS or not _LIST_ITEM.match(_folded(following[0][1])):
            return
        p += 1
        kinds[p] = "note"


def _numbering(row: Items) -> bool:
    """At least three cells, all column numbers, increasing: '(1) (2) (3)', '1 2 3 4'."""
    if len(row) < 3:
        return False
    numbers = []
    for _, text in row:
        match = _COLUMN_NUMBER.fullmatch(text)
        if not match:
            return False
        numbers.append(int(match[1]))
    return all(a < b for a, b in zip(numbers, numbers[1:], strict=False))


def _prefilled(j: int, text: str, prefill: dict[int, str], role_columns: set[int]) -> bool:
    """A value a template fills in before the agency does: the agency's name, the year, an urgency (a
    title such as "Tabel 2. Kelemahan" typed in the urgency column is none), a row number."""
    if j in prefill:
        role = prefill[j]
        if role == "year":
            return bool(_YEAR.search(text)) and len(text) <= 12
        if role == "severity":
            return severity_of(text) is not None
        return True
    return j not in role_columns and bool(_ROW_NUMBER.fullmatch(text))


# --- signature block -----------------------------------------------------------------------------------


def _signature_window(
    sub: list[np.ndarray], items: dict[int, Items], rows: np.ndarray, count: np.ndarray, n: int
) -> list[int]:
    """Positions of the trailing block of sparse rows (up to the sheet's end), up to its last
    :data:`SIGNATURE_ROWS` rows with a letter (rows of bare numbers, as numbered empty template rows are,
    do not count): a sheet that ends in a million sparse rows of text costs no more than a short one."""
    p, window, lettered = len(rows) - 1, [], 0
    while p >= 0 and rows[p] == n - len(rows) + p and count[p] <= SPARSE_CELLS and lettered < SIGNATURE_ROWS:
        window.append(p)
        lettered += any(_LETTER.search(t) for _, t in _row(sub, items, p))
        p -= 1
    return window[::-1]


def _signature_start(block: list[Items]) -> int:
    """Where the signature begins in ``block`` (the trailing sparse rows); ``len(block)`` when it does not."""
    lines = [_line_kinds(row) for row in block]
    for k, kinds in enumerate(lines):  # a place and date, "Mengetahui,", "a.n. Bupati": the top of it
        if "strong" in kinds:
            return k
    for k, kinds in enumerate(lines):  # a title confirmed by a name, rank or NIP below it
        if "title" in kinds and any({"name", "rank", "nip"} & later for later in lines[k + 1 :]):
            return k
    for k, kinds in enumerate(lines):  # a rank or NIP, with the name (however plain) and title above it
        if {"rank", "nip"} & kinds:
            if k > 0 and "short" in lines[k - 1]:
                k -= 1
            while k > 0 and {"title", "name"} & lines[k - 1]:
                k -= 1
            return k
    return len(block)


def _line_kinds(row: Items) -> set[str]:
    """What a sparse row may be in a signature block: strong (a start), title, name, rank, nip, and short
    (a line of at most 6 words without digits, as a plain name is)."""
    kinds = set()
    texts = [t for _, t in row]
    pairs = [f"{a} {b}" for a, b in zip(texts, texts[1:], strict=False)]  # "Tana Paser," | "12 Mei 2025"
    for text in texts + pairs:
        folded = _folded(text)
        if _place_and_date(folded) or _APPROVAL.fullmatch(folded) or _ON_BEHALF.fullmatch(folded):
            kinds.add("strong")
    for text in texts:
        folded = _folded(text)
        words = len(folded.split())
        if _NIP.fullmatch(folded):
            kinds.add("nip")
        elif words <= 8 and _RANK.fullmatch(folded):
            kinds.add("rank")
        elif words <= 10 and not any(c.isdigit() for c in folded) and _TITLE.fullmatch(folded):
            kinds.add("title")
        elif _name(text):
            kinds.add("name")
        if words <= 6 and _LETTER.search(folded) and not any(c.isdigit() for c in folded):
            kinds.add("short")
    return kinds


def _place_and_date(folded: str) -> bool:
    """'tana paser, 12 mei 2025', 'paser, 2025-05-12', 'tanah grogot, ........ 2025' (the day left blank)."""
    match = _PLACE.fullmatch(folded)
    if not match:
        return False
    rest = match[2].strip(" .,_…")
    if _DATE.fullmatch(rest):
        return True
    # a year alone only after a blank to fill in by hand: "..........2025"
    return bool(_YEAR.fullmatch(rest[-4:]) and _PLACEHOLDER.search(match[2]) and not rest[:-4].strip(" ._…"))


def _name(text: str) -> bool:
    """A person's name as signed: with a title or a degree, or in capitals; no digits, at most 8 words."""
    if any(c.isdigit() for c in text) or not 1 <= len(text.split()) <= 8:
        return False
    letters = "".join(c for c in text if c.isalpha())
    capitals = len(text.split()) >= 2 and letters.isupper()
    name, *rest = (part.strip() for part in text.split(","))
    degrees = [d for d in rest if d]
    # "Budi Santoso, MT", "..., S.T., M.T.", never "Jalan rusak, Tanah Grogot" nor "Mengetahui,"
    graduate = bool(name and degrees) and all(
        _DEGREE.fullmatch(d) and ("." in d or d.isupper()) for d in degrees
    )
    return bool(_NAME_TITLE.match(text) or graduate or capitals)
