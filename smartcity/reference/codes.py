"""Kemendagri region codes: the dotted form every table stores (``64.01.04.2012``).

Levels by number of parts: province ``64``, regency ``64.01``, district ``64.01.04``,
village ``64.01.04.2012``. Undotted input (``6401042012``) is accepted and split 2-2-2-4. BPS codes
(7-digit districts such as ``6401011``) are a different system and are not converted here.
"""

from __future__ import annotations

import re

_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_SPLITS = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}
LEVEL_BY_PARTS = {1: "province", 2: "regency", 3: "district", 4: "village"}


def normalise_code(value: object) -> str | None:
    """Return the dotted Kemendagri code for ``value``, or None when it is not one."""
    if value is None:
        return None
    text = re.sub(r"[\s_\-/]", ".", str(value).strip()).strip(".")
    text = re.sub(r"\.+", ".", text)
    if _DOTTED.match(text):
        return text
    if text.isdigit() and len(text) in _SPLITS:
        parts, start = [], 0
        for width in _SPLITS[len(text)]:
            parts.append(text[start : start + width])
            start += width
        return ".".join(parts)
    return None


def code_level(code: str) -> str:
    """'province', 'regency', 'district' or 'village' for a dotted code."""
    return LEVEL_BY_PARTS[code.count(".") + 1]
