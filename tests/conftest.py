"""Shared fixtures: one real PostGIS cluster per test session, a fresh database per test.

The cluster is made by the product's own code (smartcity.platform.local_cluster) in a temporary folder, in
fast mode (fsync off). A template database is migrated once; each test that needs the schema gets a copy
(``CREATE DATABASE ... TEMPLATE``), as pgstac's tests do, so tests never see each other's rows.

Roles as in the product: the cluster's admin (superuser) creates and drops the databases, owned by the
application role ``smartcity`` (not a superuser), which is the role every test engine logs in as and
which runs the migrations. A test that needs the admin's powers asks for ``admin_url`` explicitly.
"""

from __future__ import annotations

import os

# before any test module imports openpyxl (see smartcity/__init__.py: reproducible workbooks)
os.environ.setdefault("OPENPYXL_LXML", "False")

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from smartcity.platform import cluster_credentials, cluster_roles, db, local_cluster
from smartcity.platform.settings import Settings

TEMPLATE = "smartcity_template"
_counter = itertools.count()


def make_settings(**values) -> Settings:
    """Settings that ignore the developer's environment and .env file."""
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="session")
def pg_settings(tmp_path_factory) -> Iterator[Settings]:
    """Settings of the session's test cluster (started here, stopped at the end)."""
    settings = make_settings(state_dir=tmp_path_factory.mktemp("state"), local_pg_fast=True)
    local_cluster.ensure_running(settings)
    yield settings
    local_cluster.destroy(settings)


@pytest.fixture(scope="session")
def pg_creds(pg_settings) -> cluster_credentials.Credentials:
    return local_cluster.read_credentials(pg_settings.pg_dir)


def admin_url(creds: cluster_credentials.Credentials, database: str = "postgres") -> str:
    """The cluster's superuser: for creating and dropping databases, never for what a test checks."""
    return creds.url(admin=True, database=database)


def db_url(creds: cluster_credentials.Credentials, name: str, *, driver: str = "postgresql+psycopg") -> str:
    return creds.url(driver=driver).rsplit("/", 1)[0] + "/" + name


def create_database(creds: cluster_credentials.Credentials, name: str, template: str | None = None) -> None:
    """As the admin, as the product does: owned by the application role, with PostGIS."""
    cluster_roles.create_database(creds, name, template=template)


def drop_database(creds: cluster_credentials.Credentials, name: str) -> None:
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
    """Name of a new database with PostGIS (made by the admin, as a DBA would) and no schema, owned by
    the application role; dropped afterwards."""
    name = f"t_empty_{next(_counter)}"
    create_database(pg_creds, name)
    yield name
    drop_database(pg_creds, name)


def _filled_template(pg_creds, template_db: str, name: str, fill) -> str:
    """A template database: a copy of the migrated template with ``fill(engine)`` applied, once per
    session (and worker); tests get copies of it, as they get copies of the migrated template."""
    drop_database(pg_creds, name)
    create_database(pg_creds, name, template=template_db)
    engine = sa.create_engine(db_url(pg_creds, name), poolclass=sa.pool.NullPool)
    fill(engine)
    engine.dispose()
    return name


@pytest.fixture(scope="session")
def paser_template(pg_creds, template_db) -> str:
    """The migrated template plus Paser's 144 real villages (districts derived from them, no IDM)."""
    from smartcity.reference.load import LoadOptions, load_reference
    from tests.helpers import DATA

    villages = DATA / "boundaries" / "paser_desa_kelurahan.geojson"
    return _filled_template(
        pg_creds, template_db, "smartcity_template_paser",
        lambda engine: load_reference(engine, villages, make_settings(), LoadOptions(regions=["64.01"])),
    )  # fmt: skip


@pytest.fixture(scope="session")
def demo_template(pg_creds, template_db) -> str:
    """The migrated template plus the demo region as `./run.sh demo` loads it (reference data with IDM,
    IKN, the eight demo worksheets), not scored."""
    from tests.helpers import load_demo

    return _filled_template(pg_creds, template_db, "smartcity_template_demo", load_demo)


# Fixtures that say what the test's database holds: `engine` copies the template they name.
CONTENT_TEMPLATES = {"demo": "demo_template", "paser_reference": "paser_template"}


@pytest.fixture
def engine(request, pg_creds, template_db) -> Iterator[sa.Engine]:
    """Engine on a fresh copy of the migrated template database; of the demo's or Paser's template when
    the test (or a fixture it uses) asks for ``demo`` or ``paser_reference``."""
    wanted = [CONTENT_TEMPLATES[n] for n in request.fixturenames if n in CONTENT_TEMPLATES]
    template = request.getfixturevalue(wanted[0]) if wanted else template_db
    name = f"t_db_{next(_counter)}"
    create_database(pg_creds, name, template=template)
    eng = sa.create_engine(db_url(pg_creds, name), poolclass=sa.pool.NullPool)
    yield eng
    eng.dispose()
    drop_database(pg_creds, name)


@pytest.fixture
def demo(engine) -> sa.Engine:
    """The test's database holds the demo region and its eight worksheets (not scored): `engine` is a
    copy of the demo template, so `cli` and every fixture on `engine` see the same data."""
    return engine


@pytest.fixture
def paser_reference(engine) -> sa.Engine:
    """The test's database holds Paser's villages and derived districts (a copy of their template)."""
    return engine


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole session (it takes 10-30 s to start); flows run against it."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory) -> Iterator[str]:
    """A real Prefect server on loopback for the session: its API URL, for the tests that run
    `smartcity run` in several processes (each then starts in seconds instead of starting an
    ephemeral API of its own). The tests of the ephemeral mode itself do not use it."""
    import signal
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    from tests.helpers import clean_env

    with __import__("socket").socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    api = f"http://127.0.0.1:{port}/api"
    env = clean_env(PREFECT_HOME=str(tmp_path_factory.mktemp("prefect_server")),
                    PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_UI_ENABLED="false")  # fmt: skip
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1",
         "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{api}/health", timeout=2):  # noqa: S310 - loopback
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the test Prefect server did not start") from None
                time.sleep(0.5)
        yield api
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _prefect_logs_to_real_stderr() -> None:
    """Prefect's console handler keeps the stderr it found when logging was set up, which may be an
    earlier test's capsys stream (closed since); point it at the process's own stderr (fd 2)."""
    import sys

    from tasks.logs import console_handlers

    for handler in console_handlers():
        handler.setStream(sys.__stderr__)
        handler.console.file = sys.__stderr__


@dataclass
class CliResult:
    exit_code: int
    output: str


@pytest.fixture
def cli(prefect_harness, engine, tmp_path, monkeypatch, capsys):
    """Invoke the real ``smartcity`` CLI in-process, configured for this test's fresh database.

    Not typer's CliRunner: it closes its stream while Prefect's log handler still holds it.
    """
    from smartcity.cli import app
    from smartcity.platform.settings import get_settings

    for name in [n for n in os.environ if n.startswith("SMARTCITY_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SMARTCITY_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SMARTCITY_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("SMARTCITY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str, **env: str) -> CliResult:
        _prefect_logs_to_real_stderr()
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        capsys.readouterr()
        code = app(list(args), prog_name="smartcity", standalone_mode=False)
        captured = capsys.readouterr()
        return CliResult(code or 0, captured.out + captured.err)

    yield invoke
    get_settings.cache_clear()
