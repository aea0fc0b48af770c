"""A progress bar in the terminal when there is one; silence in logs, cron and tests."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator


def progress(items: Iterable, label: str) -> Iterator:
    """Yield ``items``, drawing a rich progress bar on stderr only when it is a terminal."""
    items = list(items)
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import track

    yield from track(items, description=label, console=None, transient=True)
