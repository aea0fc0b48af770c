"""smartcity_reader: GIS teams can read everything, and can break nothing."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from tests.conftest import db_url
from tests.test_schema_contract import CONTRACT

pytestmark = pytest.mark.db


def reader_connection(pg_creds, engine) -> psycopg.Connection:
    """Log in as the reader with its own password, as QGIS would."""
    base = pg_creds.url(reader=True)
    return psycopg.connect(base.rsplit("/", 1)[0] + "/" + engine.url.database, autocommit=True)


def test_reader_logs_in_and_reads_every_published_table(pg_creds, engine):
    with reader_connection(pg_creds, engine) as conn:
        for table in CONTRACT:
            conn.execute(f"SELECT * FROM {table} LIMIT 1")  # noqa: S608 - table names from the test's own list
        assert conn.execute("SELECT count(*) FROM smartcity.schema_migrations").fetchone()[0] > 0


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO ref.place_alias VALUES ('x', 'village', '64.01.04.2012')",
        "UPDATE ref.village SET name = 'x'",
        "DELETE FROM intake.submission",
        "TRUNCATE core.issue",
        "CREATE TABLE mart.mine (id int)",
        "CREATE TABLE public.mine (id int)",
        "CREATE SCHEMA mine",
        "DROP TABLE ref.village",
        "ALTER TABLE ref.village ADD COLUMN x int",
        "CREATE VIEW ref.v AS SELECT 1",
    ],
)
def test_reader_can_write_nothing(pg_creds, engine, statement):
    with reader_connection(pg_creds, engine) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def test_reader_can_read_tables_created_after_the_migrations(pg_creds, engine):
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE mart.added_later (id int PRIMARY KEY)")
        conn.exec_driver_sql("INSERT INTO mart.added_later VALUES (1)")
    with reader_connection(pg_creds, engine) as conn:
        assert conn.execute("SELECT id FROM mart.added_later").fetchall() == [(1,)]


def test_reader_url_from_the_cluster_is_read_only_through_sqlalchemy(pg_creds, engine):
    reader = sa.create_engine(
        db_url(pg_creds, engine.url.database).replace(
            f"smartcity:{pg_creds.password}", f"smartcity_reader:{pg_creds.reader_password}"
        ),
        poolclass=sa.pool.NullPool,
    )
    with reader.connect() as conn:
        assert conn.execute(sa.text("SELECT current_user")).scalar() == "smartcity_reader"
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            conn.execute(sa.text("INSERT INTO ref.place_alias VALUES ('x', 'village', '64.01.04.2012')"))
