"""Shared fixtures: one real PostGIS cluster per test session, a fresh database per test.

The cluster is made by the product's own code (smartcity.localpg) in a temporary folder, in fast
mode (fsync off). A template database is migrated once; each test that needs the schema gets a copy
(``CREATE DATABASE ... TEMPLATE``), as pgstac's tests do, so tests never see each other's rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from smartcity import db, localpg
from smartcity.settings import Settings

TEMPLATE = "smartcity_template"
_counter = itertools.count()


def make_settings(**values) -> Settings:
    """Settings that ignore the developer's environment and .env file."""
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="session")
def pg_settings(tmp_path_factory) -> Iterator[Settings]:
    """Settings of the session's test cluster (started here, stopped at the end)."""
    settings = make_settings(state_dir=tmp_path_factory.mktemp("state"), local_pg_fast=True)
    localpg.ensure_running(settings)
    yield settings
    localpg.destroy(settings)


@pytest.fixture(scope="session")
def pg_creds(pg_settings) -> localpg.Credentials:
    return localpg.read_credentials(pg_settings.pg_dir)


def admin_url(creds: localpg.Credentials) -> str:
    return creds.url().rsplit("/", 1)[0] + "/postgres"


def db_url(creds: localpg.Credentials, name: str, *, driver: str = "postgresql+psycopg") -> str:
    return creds.url(driver=driver).rsplit("/", 1)[0] + "/" + name


def create_database(creds: localpg.Credentials, name: str, template: str | None = None) -> None:
    with psycopg.connect(admin_url(creds), autocommit=True) as conn:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
        conn.execute(statement)


def drop_database(creds: localpg.Credentials, name: str) -> None:
    with psycopg.connect(admin_url(creds), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def template_db(pg_creds) -> str:
    """A database with PostGIS and every migration applied, to copy from."""
    drop_database(pg_creds, TEMPLATE)
    create_database(pg_creds, TEMPLATE)
    engine = sa.create_engine(db_url(pg_creds, TEMPLATE), poolclass=sa.pool.NullPool)
    db.check_database(engine)
    db.apply_migrations(engine)
    engine.dispose()
    return TEMPLATE


@pytest.fixture
def empty_db(pg_creds) -> Iterator[str]:
    """Name of a new, empty database (no PostGIS, no schema), dropped afterwards."""
    name = f"t_empty_{next(_counter)}"
    create_database(pg_creds, name)
    yield name
    drop_database(pg_creds, name)


@pytest.fixture
def engine(pg_creds, template_db) -> Iterator[sa.Engine]:
    """Engine on a fresh copy of the migrated template database."""
    name = f"t_db_{next(_counter)}"
    create_database(pg_creds, name, template=template_db)
    eng = sa.create_engine(db_url(pg_creds, name), poolclass=sa.pool.NullPool)
    yield eng
    eng.dispose()
    drop_database(pg_creds, name)
