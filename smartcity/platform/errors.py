"""Errors a user can act on. Their message is one line, shown as is by the CLI (no traceback)."""

from __future__ import annotations

import re

# C0 and C1 control characters and DEL: a file name or cell holding them could move a terminal's
# cursor, recolour it or retitle it (ESC sequences) when printed raw.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """``text`` safe to print on a terminal: control characters (ESC, BEL, CR, ...) shown as ``\\x1b``
    escapes, everything else as it is (Indonesian, accents and emoji stay readable)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def one_line(error: object, limit: int | None = 500) -> str:
    """An error (or any text) as one line for a terminal, a log or a database column: white space,
    newlines included, folded to single spaces, other control characters escaped (:func:`printable`),
    then cut at ``limit`` characters (None: no cut)."""
    text = printable(" ".join(str(error).split()))
    return text if limit is None else text[:limit]


class SmartCityError(Exception):
    """Base of every error whose message is meant for the person running the command."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        # One line, always: a user reads it in a terminal or a Prefect log.
        super().__init__(one_line(message, limit=None))


class SetupError(SmartCityError):
    """Something must be installed or configured on the machine (a package, a folder, a user)."""


class DatabaseUnavailable(SmartCityError):
    """The configured database does not answer, refuses us, or lacks PostGIS."""


class MigrationError(SmartCityError):
    """A migration failed or was changed after it was applied."""


class InputError(SmartCityError):
    """An input file cannot be used as given (format, fields, codes); the message names file and field."""


class FetchError(SmartCityError):
    """A download failed (offline, not found, server error) after its retries."""


class PublishError(SmartCityError):
    """The pages could not be written (folder unwritable, disk full); the data in the database is kept."""
