"""Errors a user can act on. Their message is one line, shown as is by the CLI (no traceback)."""

from __future__ import annotations


def one_line(error: object, limit: int | None = 500) -> str:
    """An error (or any text) as one line for a terminal, a log or a database column: white space,
    newlines included, folded to single spaces, then cut at ``limit`` characters (None: no cut)."""
    text = " ".join(str(error).split())
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
