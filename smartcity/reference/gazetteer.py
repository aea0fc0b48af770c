"""Place names as people type them: normalisation and spelling variants (aliases).

Used twice: the reference loader fills ``ref.place_alias`` with :func:`aliases_for`, and the
worksheet intake matches typed names with :func:`normalise_name` against that table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Prefixes that say what kind of place follows; they are not part of the name. "Kota" and "Kampung"
# are left alone: they begin real names (Kampung Baru, Kota Bangun).
_PREFIXES = ("kabupaten", "kab", "kecamatan", "kec", "desa", "ds", "kelurahan", "kel")
_PREFIX_RE = re.compile(r"^(?:(?:" + "|".join(_PREFIXES) + r")\b\.?\s*)+")
# Sound-alike spellings seen across Indonesian code lists (BPS vs Kemendagri): (pattern, replacement).
_SPELLING_VARIANTS = ((r"\bpaser\b", "pasir"), (r"\bpasir\b", "paser"))


def normalise_name(name: object) -> str:
    """Lower case, ASCII, no punctuation, single spaces, no 'desa'/'kel.'/'kecamatan' prefixes."""
    if name is None:
        return ""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = text.lower().strip()
    text = re.sub(r"[\-_/.,'`\"()]+", " ", text.replace(".", ". "))
    text = re.sub(r"\s+", " ", text).strip()
    stripped = _PREFIX_RE.sub("", text).strip()
    return stripped or text


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
