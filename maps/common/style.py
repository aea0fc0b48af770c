"""Colours shared by the web maps, the report and the printed figures, so a class looks the same everywhere.

The five priority classes use ColorBrewer's diverging RdBu scheme (colour-blind safe, prints in grey):
class 1 (highest priority) is the dark red. Text on a badge is white only where it stays readable
(contrast of at least 4.5:1, WCAG AA); on the light classes it is near-black.
"""

from __future__ import annotations

import math

#: class number (1 = highest priority) -> fill colour
CLASS_COLOURS: dict[int, str] = {
    1: "#b2182b",
    2: "#ef8a62",
    3: "#fddbc7",
    4: "#d1e5f0",
    5: "#67a9cf",
}

#: class number -> text colour readable on that fill
CLASS_TEXT_COLOURS: dict[int, str] = {1: "#ffffff", 2: "#1a1a1a", 3: "#1a1a1a", 4: "#1a1a1a", 5: "#1a1a1a"}

#: fill for an area without a class (no score)
NO_DATA_COLOUR = "#d9d9d9"
NO_DATA_TEXT_COLOUR = "#1a1a1a"

#: outlines
DISTRICT_EDGE_COLOUR = "#333333"
VILLAGE_EDGE_COLOUR = "#ffffff"

#: IKN's boundary and distance zones, wherever they are drawn: the web map, the figures, the QGIS styles
#: (and the database's copy of those, migration 015)
IKN_COLOUR = "#542788"
#: how much of IKN's colour fills its boundary on the web map (outlines elsewhere)
IKN_FILL_OPACITY = 0.15


def css_rgba(colour: str, alpha: float) -> str:
    """``#rrggbb`` with an opacity, as CSS writes it: ``rgba(r,g,b,alpha)``."""
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha:g})"


def class_number(value: object) -> int | None:
    """The class number 1-5 of ``value``, or None when it is missing or not a class."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or number != int(number) or int(number) not in CLASS_COLOURS:
        return None
    return int(number)


def class_colour(value: object) -> str:
    """Fill colour of a class number, grey when the area has no class."""
    number = class_number(value)
    return NO_DATA_COLOUR if number is None else CLASS_COLOURS[number]


def class_text_colour(value: object) -> str:
    """Text colour to write on :func:`class_colour` of the same class."""
    number = class_number(value)
    return NO_DATA_TEXT_COLOUR if number is None else CLASS_TEXT_COLOURS[number]


#: smart city dimension -> colour of its issue points (ColorBrewer Dark2, qualitative)
DIMENSION_COLOURS: dict[str, str] = {
    "governance": "#1b9e77",
    "branding": "#d95f02",
    "economy": "#7570b3",
    "living": "#e7298a",
    "society": "#66a61e",
    "environment": "#e6ab02",
}
