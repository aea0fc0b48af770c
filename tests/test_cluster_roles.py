"""The local cluster's roles: the application is not a superuser, the admin does what needs one, the
reader reads; and a cluster made before the admin role (the application logged in as the bootstrap
superuser) is split on its next start, keeping its data, its URL and its reader."""

from __future__ import annotations

import hashlib
import json
import socket
import stat

import psycopg
import pytest
import sqlalchemy as sa

from smartcity.platform import cluster_credentials, cluster_roles, db, local_cluster
from tests.conftest import admin_url, make_settings
from tests.helpers import REPO

pytestmark = pytest.mark.db

ATTRIBUTES = (
    "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
    "FROM pg_roles WHERE rolname = %s"
)
ORDINARY = (False, False, False, False, False)
APP_SCHEMAS = ("ref", "intake", "core", "mart", "smartcity")
# Objects of the application's schemas (and of public, PostGIS aside) whose owner is not the application.
NOT_OWNED = """
SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE (n.nspname = ANY(%(schemas)s) OR (n.nspname = 'public' AND c.relname = 'layer_styles'))
  AND c.relowner <> 'smartcity'::regrole
UNION ALL
SELECT nspname FROM pg_namespace WHERE nspname = ANY(%(schemas)s) AND nspowner <> 'smartcity'::regrole
UNION ALL
SELECT datname FROM pg_database WHERE datname = current_database() AND datdba <> 'smartcity'::regrole
"""
# sql/005_reader_role.sql as released (before the application role lost CREATEROLE): what the
# migrations of a cluster made by the earlier code recorded.
EARLIER_005 = (
    "-- 005: smartcity_reader, the read-only role for QGIS, psql and the OGC API server.\n"
    "-- It may SELECT everything in the published schemas, including tables created later by the role\n"
    "-- that runs the migrations (default privileges), and may write or create nothing.\n"
    "DO $$\nBEGIN\n    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'smartcity_reader') THEN\n"
    "        CREATE ROLE smartcity_reader NOLOGIN;\n    END IF;\nEND\n$$;\n"
    "COMMENT ON ROLE smartcity_reader IS 'Read-only access to the smartcity schemas "
    "(ref, intake, core, mart, smartcity).';\n\n"
    "GRANT USAGE ON SCHEMA ref, intake, core, mart, smartcity TO smartcity_reader;\n"
    "REVOKE CREATE ON SCHEMA ref, intake, core, mart, smartcity FROM smartcity_reader;\n"
    "REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n"
    "GRANT SELECT ON ALL TABLES IN SCHEMA ref, intake, core, mart, smartcity TO smartcity_reader;\n"
    "GRANT SELECT ON ALL SEQUENCES IN SCHEMA ref, intake, core, mart, smartcity TO smartcity_reader;\n"
    "ALTER DEFAULT PRIVILEGES IN SCHEMA ref, intake, core, mart, smartcity "
    "GRANT SELECT ON TABLES TO smartcity_reader;\n"
    "ALTER DEFAULT PRIVILEGES IN SCHEMA ref, intake, core, mart, smartcity "
    "GRANT SELECT ON SEQUENCES TO smartcity_reader;\n"
)


def attributes(conn: psycopg.Connection, role: str) -> tuple:
    return tuple(conn.execute(ATTRIBUTES, [role]).fetchone())


# --- a new cluster -------------------------------------------------------------------------------


def test_a_new_cluster_logs_the_application_in_as_an_ordinary_role(pg_creds):
    with psycopg.connect(pg_creds.url()) as conn:
        assert conn.execute("SELECT current_user, current_setting('is_superuser')").fetchone() == (
            "smartcity",
            "off",
        )
        assert attributes(conn, "smartcity") == ORDINARY
        assert attributes(conn, "smartcity_reader") == ORDINARY
        assert attributes(conn, "smartcity_admin")[0] is True
        bootstrap = conn.execute("SELECT rolname FROM pg_roles WHERE oid = 10").fetchone()[0]
        owner, postgis_owner = conn.execute(
            "SELECT pg_get_userbyid(datdba), (SELECT pg_get_userbyid(extowner) FROM pg_extension "
            "WHERE extname = 'postgis') FROM pg_database WHERE datname = current_database()"
        ).fetchone()
    assert bootstrap == "smartcity_admin"
    assert (owner, postgis_owner) == ("smartcity", "smartcity_admin")


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE DATABASE mine",
        "CREATE ROLE mine",
        "ALTER ROLE smartcity SUPERUSER",
        "ALTER ROLE smartcity CREATEROLE",
        "ALTER ROLE smartcity BYPASSRLS",
        "ALTER ROLE smartcity_reader PASSWORD 'taken'",
        "ALTER SYSTEM SET work_mem = '1GB'",
        "CREATE EXTENSION file_fdw",
        "SELECT pg_read_file('PG_VERSION')",
        "COPY (SELECT 1) TO PROGRAM 'true'",
        "SET session_replication_role = replica",
    ],
)
def test_the_application_role_may_not_do_what_needs_a_superuser(pg_creds, statement):
    with (
        psycopg.connect(pg_creds.url(), autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(statement)


def test_the_application_migrates_the_cluster_s_own_database_and_owns_what_it_made(pg_settings, pg_creds):
    engine = db.ensure_database(pg_settings)
    assert db.migration_status(engine)[1] == []
    with psycopg.connect(pg_creds.url()) as conn:
        assert conn.execute(NOT_OWNED, {"schemas": list(APP_SCHEMAS)}).fetchall() == []


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER ROLE smartcity_reader SUPERUSER",
        "ALTER ROLE smartcity_reader CREATEDB",
        "ALTER ROLE smartcity_reader CREATEROLE",
        "ALTER ROLE smartcity_reader BYPASSRLS",
        "ALTER ROLE smartcity NOLOGIN",
        "GRANT smartcity TO smartcity_reader",
        "CREATE TABLE public.mine (id int)",
    ],
)
def test_the_reader_cannot_raise_itself_nor_create_objects(pg_creds, engine, statement):
    url = pg_creds.url(reader=True, database=engine.url.database)
    with psycopg.connect(url, autocommit=True) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def test_what_the_reader_changes_about_itself_is_undone_by_the_next_start(pg_settings, pg_creds, engine):
    """PostgreSQL lets any role change its own password and session defaults; the reader login is
    shared (QGIS users, the feature server), so the credentials file and no defaults win at each start."""
    with psycopg.connect(pg_creds.url(reader=True), autocommit=True) as conn:
        conn.execute("ALTER ROLE smartcity_reader SET statement_timeout = 1")
        conn.execute(f"ALTER ROLE smartcity_reader IN DATABASE {engine.url.database} SET work_mem = '64kB'")
        conn.execute("ALTER ROLE smartcity_reader PASSWORD 'mine-now'")
    try:
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(pg_creds.url(reader=True))
    finally:
        local_cluster.ensure_running(pg_settings)
    with psycopg.connect(pg_creds.url(reader=True, database=engine.url.database)) as conn:
        timeout, work_mem = conn.execute(
            "SELECT current_setting('statement_timeout'), current_setting('work_mem')"
        ).fetchone()
    assert timeout == "0" and work_mem != "64kB"


def test_a_configured_database_whose_user_may_create_postgis_still_gets_it(pg_creds, tmp_path):
    """SMARTCITY_DATABASE_URL as before: a user who may create extensions (here the cluster's superuser)
    gets PostGIS and the migrations from the product itself, the reader role found as it is."""
    cluster_roles.create_database(pg_creds, "t_own_superuser", postgis=False)
    try:
        engine = sa.create_engine(
            admin_url(pg_creds, "t_own_superuser").replace("postgresql://", "postgresql+psycopg://"),
            poolclass=sa.pool.NullPool,
        )
        assert db.check_database(engine)
        assert db.apply_migrations(engine) == [m.name for m in db.list_migrations()]
        engine.dispose()
    finally:
        with psycopg.connect(admin_url(pg_creds), autocommit=True) as conn:
            conn.execute("DROP DATABASE t_own_superuser WITH (FORCE)")


# --- a cluster made before the admin role --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_cluster_of_before(settings) -> cluster_credentials.Credentials:
    """What ``ensure_running`` made before the admin role: ``initdb -U smartcity`` (the application is
    the bootstrap superuser), a reader login, the database with PostGIS, all made by that superuser,
    and a credentials file without an admin password. Started; migrated with the earlier 005."""
    bins = local_cluster.find_binaries(settings.pg_bindir)
    root = local_cluster.cluster_dir(settings)
    old = cluster_credentials.Credentials(_free_port(), "old-app-password", "old-reader-password")
    bootstrap = cluster_credentials.Credentials(
        old.port, old.password, old.reader_password, admin_password=old.password
    )
    local_cluster._initdb(bins, root, bootstrap, fast=True, superuser="smartcity")
    credentials = root / "credentials.json"
    credentials.write_text(json.dumps({"port": old.port, "password": old.password,
                                       "reader_password": old.reader_password}))  # fmt: skip
    credentials.chmod(0o600)
    local_cluster._write_runtime_conf(root, old.port)
    started = local_cluster._as_service(
        [bins.tool("pg_ctl"), "start", "-D", str(root / "data"), "-l", str(root / "postgres.log"), "-w"]
    )
    assert started.returncode == 0, started.stderr
    with psycopg.connect(old.url(database="postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE smartcity")
        conn.execute("ALTER ROLE smartcity SET search_path = public")
        conn.execute("CREATE ROLE smartcity_reader LOGIN PASSWORD 'old-reader-password'")
    with psycopg.connect(old.url(), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    earlier = REPO / "sql" / "005_reader_role.sql"
    released = settings.state_dir / "005_reader_role.sql"
    released.write_text(EARLIER_005, encoding="utf-8")
    migrations = [
        db.Migration(m.version, m.name, released if m.path == earlier else m.path)
        for m in db.list_migrations()
    ]
    engine = sa.create_engine(old.url(driver="postgresql+psycopg"), poolclass=sa.pool.NullPool)
    db.apply_migrations(engine, migrations)
    engine.dispose()
    return old


def test_the_earlier_text_of_005_is_the_one_the_migrations_accept():
    checksum = hashlib.sha256(EARLIER_005.encode()).hexdigest()
    assert checksum in db.EARLIER_CHECKSUMS["005"]


@pytest.fixture
def cluster_of_before(tmp_path):
    settings = make_settings(state_dir=tmp_path / "state", local_pg_fast=True)
    settings.state_dir.mkdir()
    try:
        yield settings, make_cluster_of_before(settings)
    finally:
        local_cluster.destroy(settings)


def owned_elsewhere(creds: cluster_credentials.Credentials) -> list:
    with psycopg.connect(creds.url()) as conn:
        return conn.execute(NOT_OWNED, {"schemas": list(APP_SCHEMAS)}).fetchall()


def test_a_cluster_of_before_is_split_and_keeps_its_data_url_and_reader(cluster_of_before, tmp_path):
    from smartcity.intake.load import ingest_file, load_gazetteer, worksheet_files
    from smartcity.reference.ensure import ensure_ikn, ensure_reference
    from smartcity.scoring.model import load_config
    from smartcity.scoring.runs import score_region

    settings, old = cluster_of_before
    files = worksheet_files([str(REPO / "geodata" / "demo" / "worksheets")])
    # the earlier code, as the superuser: reference, IKN, worksheets (one in a partition of its own), scores
    before = sa.create_engine(old.url(driver="postgresql+psycopg"), poolclass=sa.pool.NullPool)
    ensure_reference(before, make_settings())
    ensure_ikn(before, make_settings())
    gazetteer = load_gazetteer(before, "64.01")
    ingest_file(before, files[0], gazetteer, partition_rows=2)
    for path in files[1:-1]:
        ingest_file(before, path, gazetteer)
    score_region(before, "64.01", load_config())
    counts = "SELECT (SELECT count(*) FROM core.issue), (SELECT count(*) FROM mart.village_priority)"
    with before.connect() as conn:
        issues, villages = conn.execute(sa.text(counts)).one()
        assert conn.execute(sa.text("SELECT current_setting('is_superuser')")).scalar() == "on"
    before.dispose()

    creds = local_cluster.ensure_running(settings)

    # the same URL now logs in as an ordinary role; the bootstrap role is the admin, with a new password
    assert (creds.port, creds.password, creds.reader_password) == (
        old.port,
        old.password,
        old.reader_password,
    )
    assert creds.admin_password not in (None, old.password)
    saved = local_cluster.read_credentials(local_cluster.cluster_dir(settings))
    assert saved == creds and not saved.owner_is_bootstrap
    assert stat.S_IMODE((local_cluster.cluster_dir(settings) / "credentials.json").stat().st_mode) == 0o600
    with psycopg.connect(old.url()) as conn:
        assert conn.execute("SELECT current_user, current_setting('is_superuser')").fetchone() == (
            "smartcity",
            "off",
        )
        assert attributes(conn, "smartcity") == ORDINARY
        assert attributes(conn, "smartcity_reader") == ORDINARY
        roles = conn.execute(
            "SELECT oid, rolname, rolsuper FROM pg_roles WHERE rolname LIKE 'smartcity%' ORDER BY 1"
        )
        assert [tuple(r) for r in roles][0] == (10, "smartcity_admin", True)
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'smartcity%'").fetchone() == (
            3,
        )
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(old.url().replace("smartcity:old-app-password", "smartcity_admin:old-app-password"))
    with psycopg.connect(creds.url(admin=True)) as conn:
        assert conn.execute("SELECT current_setting('is_superuser')").fetchone() == ("on",)
    assert owned_elsewhere(creds) == []

    # the product carries on as the application role: nothing to migrate (the earlier 005 is accepted),
    # a new worksheet in a partition of its own (ATTACH needs core.issue's owner), a new scoring run
    engine = db.ensure_database(make_settings(state_dir=settings.state_dir))
    assert db.migration_status(engine)[1] == []
    gazetteer = load_gazetteer(engine, "64.01")
    result = ingest_file(engine, files[-1], gazetteer, partition_rows=2)
    score_region(engine, "64.01", load_config())
    with engine.begin() as conn:
        more_issues, same_villages = conn.execute(sa.text(counts)).one()
        conn.execute(sa.text("DELETE FROM intake.submission WHERE id = :s"), {"s": result.submission_id})
        conn.exec_driver_sql("CREATE TABLE mart.added_later (id int PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE core.added_later (id int PRIMARY KEY)")
    assert more_issues > issues > 0 and same_villages == villages == 144
    assert owned_elsewhere(creds) == []

    # the reader reads as before, also what the application made since (default privileges moved),
    # core's new tables excepted (migration 015), and may change nothing
    with psycopg.connect(creds.url(reader=True), autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM mart.village_priority").fetchone() == (144,)
        assert conn.execute("SELECT count(*) FROM mart.added_later").fetchone() == (0,)
        for statement in ("SELECT * FROM core.added_later", "DELETE FROM core.issue",
                          "CREATE TABLE mart.mine (id int)", "CREATE TEMPORARY TABLE mine (id int)",
                          "ALTER ROLE smartcity_reader CREATEDB"):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)

    # and the next start changes nothing
    assert local_cluster.ensure_running(settings) == creds
    assert owned_elsewhere(creds) == []


def test_a_split_interrupted_before_it_was_recorded_is_finished_by_the_next_start(cluster_of_before):
    """The file got the admin's password, the roles were split, then the process died: before the
    database was handed over, with the temporary superuser still there."""
    settings, old = cluster_of_before
    interrupted = cluster_credentials.Credentials(
        old.port, old.password, old.reader_password, "new-admin-password", True
    )
    local_cluster._write_credentials(local_cluster.cluster_dir(settings), interrupted)
    cluster_roles.split_bootstrap_role(interrupted)
    with psycopg.connect(interrupted.url(admin=True, database="postgres"), autocommit=True) as conn:
        conn.execute("CREATE ROLE smartcity_split LOGIN SUPERUSER")
    assert owned_elsewhere(interrupted) != []  # the application cannot use its tables yet

    creds = local_cluster.ensure_running(settings)

    assert creds == cluster_credentials.Credentials(
        old.port, old.password, old.reader_password, "new-admin-password"
    )
    assert owned_elsewhere(creds) == []
    with psycopg.connect(creds.url()) as conn:
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'smartcity_split'").fetchone() == (
            0,
        )
        assert conn.execute("SELECT count(*) FROM smartcity.schema_migrations").fetchone()[0] > 0
        assert attributes(conn, "smartcity") == ORDINARY


def test_a_cluster_whose_port_was_taken_meanwhile_starts_on_a_free_one(pg_creds, tmp_path):
    """Two clusters on one machine (the demo's and a test run's, or two test workers): one started while
    the other was stopped took its port. The stopped one moves to a free port when it starts again, and
    says so in its credentials (the URL `smartcity db url` prints)."""
    from dataclasses import replace

    settings = make_settings(state_dir=tmp_path / "state", local_pg_fast=True)
    try:
        first = local_cluster.ensure_running(settings)
        assert local_cluster.stop(settings)
        root = local_cluster.cluster_dir(settings)
        local_cluster._write_credentials(
            root, replace(first, port=pg_creds.port)
        )  # the session's cluster has it
        moved = local_cluster.ensure_running(settings)
        assert moved.port != pg_creds.port
        assert local_cluster.read_credentials(root).port == moved.port
        with psycopg.connect(moved.url()) as conn:
            assert conn.execute("SELECT current_user").fetchone() == ("smartcity",)
    finally:
        local_cluster.destroy(settings)
