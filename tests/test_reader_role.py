"""smartcity_reader: GIS teams read everything that is published (ref, mart, the QGIS styles), nothing
else (the intake's raw rows, core, bookkeeping), and can break nothing."""

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


PUBLISHED = ("ref", "mart")


def test_reader_logs_in_and_reads_every_published_table(pg_creds, engine):
    with reader_connection(pg_creds, engine) as conn:
        for table in [t for t in CONTRACT if t.split(".")[0] in PUBLISHED] + ["public.layer_styles"]:
            conn.execute(f"SELECT * FROM {table} LIMIT 1")  # noqa: S608 - table names from the test's own list


def test_reader_reads_nothing_that_is_not_published(pg_creds, engine):
    """Every relation the reader may select is in ref or mart (or QGIS's styles, or PostGIS's own
    catalogue tables); intake, core and smartcity are closed, including tables created there later."""
    with engine.begin() as conn:
        for schema in ("intake", "core", "smartcity"):
            conn.exec_driver_sql(f"CREATE TABLE {schema}.added_later (id int)")
    with reader_connection(pg_creds, engine) as conn:
        readable = {
            name for (name,) in conn.execute(
                "SELECT n.nspname || '.' || c.relname FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname !~ '^pg_' "
                "AND n.nspname <> 'information_schema' AND has_table_privilege(c.oid, 'SELECT')"
            )
        }  # fmt: skip
        postgis = {"public.spatial_ref_sys", "public.geometry_columns", "public.geography_columns"}
        assert readable, "the reader reads nothing"
        assert {r for r in readable if r.split(".")[0] not in PUBLISHED} <= {"public.layer_styles", *postgis}
        for table in ("intake.submission", "intake.rejected_row", "core.issue", "smartcity.pipeline_run",
                      "intake.added_later", "core.added_later", "smartcity.added_later"):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - the test's own names


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
