"""A value chosen by a mark in one of several columns: a worksheet that lays out the six dimensions (or the
four SWOT categories) as columns of their own, headed "Smart Governance", "Smart Economy", ... (or "S",
"W", "O", "T", "Kekuatan", ...), and ticks one of them per row ("√", "✓", "v", "x", "1", "ya").

A person reads the ticked column's header as the row's value; so does the reader. :func:`marked_value`
finds such a group among a table's columns and makes the one column of values the validator reads.

Decided:

- a group is at least two columns whose headers name **different** values of the kind (a dimension or a
  SWOT category), every filled cell of which is a mark; a column of words is no mark column;
- marks: ``√ ✓ ✔ ☑ ☒ v x * • ● ■ 1 ya y yes true``, in any case; ``0``, ``-``, ``tidak``, ``no``,
  ``false`` and an empty cell mark nothing;
- one mark in a row gives that column's value; none gives nothing (the row then asks for its value, as
  an empty cell would); marks in several columns give their values joined ("Smart Governance / Smart
  Economy"), which the validator rejects as naming more than one, with its reason;
- the reader's column is named "<Kind> (dari kolom centang)"; the mark columns stay in the row's raw
  record as the agency typed them.

Pure: no I/O. Speed: each distinct cell of a column is judged once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

MARK = re.compile(r"\s*(?:[√✓✔☑☒*•●■]|v|x|1|ya|y|yes|true)\s*", re.IGNORECASE)
NO_MARK = re.compile(r"\s*(?:0|-|–|tidak|no|false)\s*", re.IGNORECASE)
COLUMN_NAME = {"dimension": "Dimensi (dari kolom centang)", "swot": "Kategori (dari kolom centang)"}


def marked_value(
    headers: list[str | None], columns: list[np.ndarray], kind: str, reader: Callable[[str], str | None]
) -> tuple[np.ndarray, list[int]] | None:
    """(the value of each row, the mark columns) when ``columns`` hold a group of mark columns for
    ``kind`` (headers read by ``reader``, e.g. ``dimension_of``); None when they hold none."""
    named: dict[int, str] = {}
    for index, header in enumerate(headers):
        if index < len(columns) and header and reader(str(header)) is not None:
            named[index] = " ".join(str(header).split())
    values = {reader(label) for label in named.values()}
    if len(named) < 2 or len(values) < 2:
        return None
    ticks: dict[int, np.ndarray] = {}
    for index in named:
        which, distinct = pd.factorize(columns[index])
        if not len(distinct):
            continue
        texts = [str(v) for v in distinct]
        if not all(MARK.fullmatch(t) or NO_MARK.fullmatch(t) for t in texts):
            return None  # a column of words under a dimension's name: not a mark column
        ticks[index] = np.array([bool(MARK.fullmatch(t)) for t in texts] + [False], dtype=bool)[which]
    if len(ticks) < 2:
        return None
    order = sorted(ticks)
    marked = np.array([ticks[i] for i in order])  # columns x rows
    value = np.full(marked.shape[1], None, dtype=object)
    counts = marked.sum(axis=0)
    one = counts == 1
    value[one] = np.array([named[i] for i in order], dtype=object)[marked[:, one].argmax(axis=0)]
    for row in np.flatnonzero(counts > 1).tolist():
        value[row] = " / ".join(named[i] for k, i in enumerate(order) if marked[k, row])
    return value, order
