"""The one-line error text and the one classifier of transient database trouble, on real errors."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import errors as pg_errors

from smartcity.platform.db import is_transient
from smartcity.platform.errors import DatabaseUnavailable, InputError, one_line
from smartcity.platform.settings import task_runner_kind


def test_one_line_folds_white_space_and_cuts():
    assert one_line("a\n  b\tc ") == "a b c"
    assert one_line(ValueError("x" * 900)) == "x" * 500
    assert one_line("abcdef", 3) == "abc"
    assert one_line("a\nb", None) == "a b"
    assert str(InputError("two\nlines")) == "two lines"


def wrapped(error: Exception) -> sa.exc.DBAPIError:
    """The error as SQLAlchemy raises it around the driver's."""
    return sa.exc.DBAPIError.instance("SELECT 1", {}, error, psycopg.Error)


@pytest.mark.parametrize(
    "error",
    [
        DatabaseUnavailable("cannot connect"),
        ConnectionResetError(),
        psycopg.OperationalError("connection refused"),  # no SQLSTATE: the server never answered
        pg_errors.AdminShutdown("terminating connection due to administrator command"),
        pg_errors.CannotConnectNow("the database system is starting up"),
        pg_errors.TooManyConnections("too many clients"),
        psycopg.InterfaceError("the connection is closed"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_the_database_going_away_is_transient(error):
    assert is_transient(error)
    if isinstance(error, psycopg.Error):
        assert is_transient(wrapped(error))


@pytest.mark.parametrize(
    "error",
    [
        pg_errors.ProgramLimitExceeded("index row size 3016 exceeds btree version 4 maximum"),
        pg_errors.UniqueViolation("duplicate key"),
        pg_errors.SyntaxError("syntax error"),
        pg_errors.DivisionByZero("division by zero"),
        InputError("bad file"),
        ValueError("bug"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_with_a_cause_of_their_own_are_final(error):
    assert not is_transient(error)
    if isinstance(error, psycopg.Error):
        assert not is_transient(wrapped(error))


def test_a_program_limit_from_a_real_server_is_final(engine):
    """What an agency name of 3,000 random characters does to a btree index: final, not a retry."""
    import secrets

    with pytest.raises(sa.exc.DBAPIError) as caught, engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE t (v text PRIMARY KEY)")
        conn.execute(sa.text("INSERT INTO t VALUES (:v)"), {"v": secrets.token_hex(4000)})
    assert not is_transient(caught.value)


def test_task_runner_kinds():
    assert task_runner_kind("dask") == "dask"
    with pytest.raises(InputError, match="task runner must be one of default, dask, not 'ray'"):
        task_runner_kind("ray")
