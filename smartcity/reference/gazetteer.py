"""Place names as people type them: normalisation and spelling variants (aliases).

Used twice: the reference loader fills ``ref.place_alias`` with :func:`aliases_for`, and the
worksheet intake matches typed names with :func:`normalise_name` against that table (normalising the
stored aliases again, so a table written by an older version of these rules keeps matching).

:func:`normalise_name` is applied to the official names and to the typed text alike, so each rule
below holds whatever the database holds:

- case, accents, punctuation and runs of (non-breaking) spaces do not count;
- leading prefixes that say what kind of place follows are dropped, in any case, with or without a
  dot: ``Desa``/``Ds``, ``Kelurahan``/``Kel``, ``Kecamatan``/``Kec``, ``Kabupaten``/``Kab``.
  ``Kampung`` is NOT dropped here: it begins real names (Kampung Baru), so the matcher tries the
  text with and without it;
- the usual abbreviations, as whole words, are written out: ``Sei``, ``Sg``, ``Sng`` ->
  sungai (river), ``Tj``, ``Tg``, ``Tjg`` -> tanjung (cape), ``Kp`` -> kampung. Left out on purpose:
  ``P.`` (pulau, pasar or padang), ``Bt.`` (batu or bukit), ``Kr.`` (karang; Javanese lists only)
  and ``Mua.`` (not an abbreviation in use); ``Sunge`` stays, it is the official spelling of
  Sunge Batu (64.01.03.2013);
- a roman numeral I to XX after the first word is written in arabic figures (``Muara Adang II`` =
  ``Muara Adang 2``), and figures lose leading zeros (``02`` = ``2``). Only I, V and X are read:
  no Indonesian word is made of those letters alone, and a first word is never converted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Prefixes that say what kind of place follows; they are not part of the name. "Kota" and "Kampung"
# are left alone: they begin real names (Kampung Baru, Kota Bangun).
_PREFIXES = frozenset({"kabupaten", "kab", "kecamatan", "kec", "desa", "ds", "kelurahan", "kel"})
_ABBREVIATIONS = {
    "sei": "sungai", "sg": "sungai", "sng": "sungai",
    "tj": "tanjung", "tg": "tanjung", "tjg": "tanjung",
    "kp": "kampung",
}  # fmt: skip
_ROMAN = {
    numeral: str(value)
    for value, numeral in enumerate(
        "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split(), start=1
    )
}
_ARABIC = {value: numeral for numeral, value in _ROMAN.items()}
# Sound-alike spellings seen across Indonesian code lists (BPS vs Kemendagri): (pattern, replacement).
_SPELLING_VARIANTS = ((r"\bpaser\b", "pasir"), (r"\bpasir\b", "paser"))


def normalise_name(name: object) -> str:
    """Lower case ASCII words without prefixes, abbreviations or roman numerals (see the module doc).

    Idempotent: ``normalise_name(normalise_name(x)) == normalise_name(x)``.
    """
    if name is None:
        return ""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    start = 0
    while start < len(words) and words[start] in _PREFIXES:
        start += 1
    if start == len(words):  # nothing but prefixes ("Desa"): keep them, they are all there is
        return " ".join(words)
    words = [_ABBREVIATIONS.get(word, word) for word in words[start:]]
    words[1:] = [_ROMAN.get(word, word) for word in words[1:]]
    return " ".join(word.lstrip("0") or "0" if word.isdigit() else word for word in words)


def name_keys(name: str) -> set[str]:
    """The space-free keys a normalised name is looked up by: 'muaraadang2', and 'muaraadangii' too.

    The roman form is for names typed in one word: 'MuaraAdangII' has no standalone numeral to convert.
    """
    keys = {name.replace(" ", "")}
    words = name.split()
    if any(word.isdigit() for word in words[1:]):
        keys.add("".join(words[:1] + [_ARABIC.get(word, word) for word in words[1:]]))
    return keys - {""}


def aliases_for(name: str, extra: Iterable[str] = ()) -> set[str]:
    """The normalised name, its joined-up form ('tanah grogot' -> 'tanahgrogot'), and known variants."""
    found: set[str] = set()
    for variant in (name, *extra):
        base = normalise_name(variant)
        if not base:
            continue
        found.add(base)
        if " " in base:
            found.add(base.replace(" ", ""))
        for pattern, replacement in _SPELLING_VARIANTS:
            swapped = re.sub(pattern, replacement, base)
            if swapped != base:
                found.add(swapped)
    return found
