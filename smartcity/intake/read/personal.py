"""Personal data in worksheets: recognised, kept out of what is stored for others, masked where published.

Agencies' files carry personal data the plan does not need: a Google Form's "Alamat email" and
"Nomor HP" columns, the name of whoever filled it in, an NIK or NIP, a phone number typed into a
description ("hubungi 0812 3456 7890"). The decisions (docs/security.md):

- A column not read as one of the worksheet's fields is **personal** when its header says so (e-mail,
  phone, WhatsApp, NIK/KTP, NIP, contact, the filler's or respondent's name, a bare "Nama") or when
  most of its values are e-mail addresses, phone numbers or identity numbers (:func:`personal_columns`).
  Personal columns are never stored in the database (``core.issue.raw``, ``intake.rejected_row.raw``):
  the agency's own feedback workbook, built from the file in memory, is the only place they go back to.
- Published free text (an issue's description and notes) has e-mail addresses, phone numbers and
  identity numbers replaced by a marker before it is stored (:func:`mask`), with a warning on the row
  so the clerk knows. Only these patterns: a person's name in free text cannot be told from a place's.
- Rows that are not data (letterhead, signature block: a name and an NIP) are stored masked.

Pure: no database, no I/O.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# Indonesian mobile numbers (08.., 62 8.., +62 8..) in groups, and landlines with an area code
PHONE = (
    r"(?:\+?62[\s.-]?|0)8\d{1,3}(?:[\s.-]?\d{2,4}){2,3}"
    r"|\(0\d{2,3}\)[\s.-]?\d{3,4}[\s.-]?\d{2,4}"
    r"|\b0\d{2,3}-\d{5,8}"
)
ID_NUMBER = r"\d{16}|\d{18}|\d{8}\s\d{6}\s\d\s\d{3}"  # NIK (16 digits), NIP (18, or 8 6 1 3)
_ANY = re.compile(rf"(?<![\w@.+-])(?:(?P<email>{EMAIL})|(?P<id>{ID_NUMBER})|(?P<phone>{PHONE}))(?![\w@])")
_WHOLE = re.compile(rf"^\s*(?:{EMAIL}|{PHONE}|{ID_NUMBER})\s*$")
_MAYBE = re.compile(r"@|\d[\d\s.()+-]{8,}\d")  # a cheap test first: most cells have neither
MARKERS = {
    "email": "[surel disamarkan]",
    "phone": "[nomor telepon disamarkan]",
    "id": "[nomor identitas disamarkan]",
}

# header words that name personal data (compared word by word, case and punctuation ignored)
_HEADER_WORDS = {
    "email", "surel", "posel", "hp", "handphone", "telepon", "telp", "tlp", "phone", "whatsapp", "wa",
    "nik", "ktp", "nip", "kontak", "contact", "narahubung", "cp", "pengisi", "responden", "pelapor",
    "respondent", "petugas",
}  # fmt: skip
_HEADER_WHOLE = {"nama", "name", "namalengkap", "fullname", "yourname", "emailaddress", "nohp", "nomorhp"}
CONTENT_SHARE = 0.5  # a column is personal when at least this share of its sampled values is personal
SAMPLE = 200


def personal_header(header: object) -> bool:
    """True when a header names personal data ('Alamat email', 'No. HP/WA', 'Nama Pengisi', 'NIK')."""
    text = str(header).casefold().replace("e-mail", "email")
    words = set(re.findall(r"[a-z]+", text))
    return bool(words & _HEADER_WORDS) or re.sub(r"[\W_]+", "", text) in _HEADER_WHOLE


def personal_values(values: np.ndarray) -> bool:
    """True when most of a sample of a column's non-empty values are e-mails, phone or identity numbers."""
    texts = [str(v).strip() for v in values[:10_000] if v is not None and v == v and str(v).strip()]
    if not texts:
        return False
    sample = texts[:: max(1, len(texts) // SAMPLE)][:SAMPLE]
    return sum(bool(_WHOLE.match(t)) for t in sample) >= CONTENT_SHARE * len(sample)


def personal_columns(table: pd.DataFrame, roles: dict[str, str]) -> list[str]:
    """The columns of a sheet's table not read as a field that hold personal data, by header or content."""
    mapped = {"row_number", *roles.values()}
    return [
        column for column in table.columns
        if column not in mapped
        and (personal_header(column) or personal_values(table[column].to_numpy(object)))
    ]  # fmt: skip


def mask(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers and identity numbers replaced by a marker."""
    return _ANY.sub(lambda m: MARKERS[m.lastgroup], text)


def mask_series(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(masked values, which changed) for a column of text (None stays None); only cells that pass a
    cheap first test are searched, so a clean million-row column costs one vectorised scan."""
    changed = np.zeros(len(values), dtype=bool)
    present = values.notna().to_numpy()
    if not present.any():
        return values, changed
    maybe = np.zeros(len(values), dtype=bool)
    maybe[present] = values[present].astype(str).str.contains(_MAYBE).to_numpy()
    if not maybe.any():
        return values, changed
    out = values.copy()
    for i in np.flatnonzero(maybe):
        original = out.iat[i]
        masked = mask(original)
        if masked != original:
            out.iat[i] = masked
            changed[i] = True
    return out, changed
