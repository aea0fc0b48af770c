"""The `smartcity db` commands, run as a user runs them: a real subprocess, a real cluster."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import psycopg
import pytest

from smartcity.platform import db, local_cluster
from tests.conftest import db_url, make_settings
from tests.helpers import clean_env, run_cli

pytestmark = [pytest.mark.db, pytest.mark.e2e]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A project folder whose local cluster the CLI creates; stopped at the end."""
    folder = tmp_path_factory.mktemp("project")
    env = clean_env(SMARTCITY_LOCAL_PG_FAST="true")
    yield folder, env
    local_cluster.destroy(make_settings(state_dir=folder / ".smartcity"))


def postmaster_pid(folder: Path) -> str:
    return (folder / ".smartcity" / "pg" / "data" / "postmaster.pid").read_text().split()[0]


def test_db_up_creates_the_cluster_then_is_a_no_op(workdir):
    folder, env = workdir
    first = run_cli("db", "up", env=env, cwd=folder)
    assert first.returncode == 0, first.stderr
    assert "database ready: 127.0.0.1:" in first.stdout
    pid = postmaster_pid(folder)
    second = run_cli("db", "up", env=env, cwd=folder)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert postmaster_pid(folder) == pid  # the same server: nothing was restarted


def test_credentials_stay_private_and_out_of_git(workdir):
    folder, _ = workdir
    creds = folder / ".smartcity" / "pg" / "credentials.json"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    ignored = (Path(__file__).parent.parent / ".gitignore").read_text().split()
    assert ".smartcity/" in ignored


def test_db_url_connects_psql_style_and_shows_the_contract(workdir):
    folder, env = workdir
    url = run_cli("db", "url", env=env, cwd=folder).stdout.strip()
    assert url.startswith("postgresql://smartcity:")
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ref' ORDER BY 1"
        ).fetchall()
    assert [t for (t,) in tables] == [
        "boundary_load",
        "district",
        "ikn_boundary",
        "ikn_zone",
        "place_alias",
        "regency",
        "village",
    ]
    reader = run_cli("db", "url", "--reader", env=env, cwd=folder).stdout.strip()
    with psycopg.connect(reader) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("smartcity_reader",)


def test_db_down_then_up_keeps_the_data(workdir):
    folder, env = workdir
    url = run_cli("db", "url", env=env, cwd=folder).stdout.strip()
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO ref.place_alias VALUES ('tanahgrogot', 'district', '64.01.04')")
    down = run_cli("db", "down", env=env, cwd=folder)
    assert down.returncode == 0 and "stopped" in down.stdout
    status = run_cli("db", "status", env=env, cwd=folder)
    assert status.returncode == 3 and "local cluster: stopped" in status.stdout
    assert run_cli("db", "up", env=env, cwd=folder).returncode == 0
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT alias, level, code FROM ref.place_alias").fetchall()
    assert rows == [("tanahgrogot", "district", "64.01.04")]
    status = run_cli("db", "status", env=env, cwd=folder)
    assert status.returncode == 0
    assert f"migrations: {len(db.list_migrations())} applied, 0 pending" in status.stdout


def one_line_error(result) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("command", [["db", "up"], ["db", "migrate"], ["db", "status"], ["run"]])
def test_unreachable_database_gives_one_line_naming_the_host_not_the_password(tmp_path, command):
    env = clean_env(
        SMARTCITY_DATABASE_URL="postgresql://planner:s3cr3t-pw@127.0.0.1:9/smartcity",
        SMARTCITY_CONNECT_TIMEOUT="3",
        SMARTCITY_STATE_DIR=str(tmp_path / "state"),
    )
    line = one_line_error(run_cli(*command, env=env, cwd=tmp_path))
    assert "127.0.0.1:9" in line
    assert "s3cr3t-pw" not in line
    assert "SMARTCITY_DATABASE_URL" in line


def test_unknown_host_gives_one_line_naming_it(tmp_path):
    env = clean_env(
        SMARTCITY_DATABASE_URL="postgresql://u:pw-123@db.invalid:5432/x", SMARTCITY_CONNECT_TIMEOUT="3"
    )
    line = one_line_error(run_cli("db", "up", env=env, cwd=tmp_path))
    assert "db.invalid" in line and "pw-123" not in line


def test_wrong_password_names_the_host_and_hides_the_password(tmp_path, pg_creds, engine):
    url = db_url(pg_creds, engine.url.database, driver="postgresql").replace(
        pg_creds.password, "not-the-password"
    )
    env = clean_env(SMARTCITY_DATABASE_URL=url)
    line = one_line_error(run_cli("db", "migrate", env=env, cwd=tmp_path))
    assert f"127.0.0.1:{pg_creds.port}" in line
    assert "not-the-password" not in line and pg_creds.password not in line
    assert "password authentication failed" in line


def test_configured_database_is_migrated_by_db_up(tmp_path, pg_creds, empty_db):
    env = clean_env(SMARTCITY_DATABASE_URL=db_url(pg_creds, empty_db, driver="postgresql"))
    result = run_cli("db", "up", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"127.0.0.1:{pg_creds.port} (database '{empty_db}'" in result.stdout
    status = run_cli("db", "status", env=env, cwd=tmp_path)
    assert f"migrations: {len(db.list_migrations())} applied, 0 pending" in status.stdout
    assert not (tmp_path / ".smartcity").exists()  # no local cluster was made


def test_missing_server_programs_name_the_package_to_install(tmp_path):
    env = clean_env(SMARTCITY_PG_BINDIR=str(tmp_path / "nowhere"))
    line = one_line_error(run_cli("db", "up", env=env, cwd=tmp_path))
    assert "not found in" in line and "apt-get install postgresql" in line


def test_missing_postgis_names_the_package_for_that_postgresql_version(tmp_path):
    bindir = tmp_path / "pg99" / "bin"
    bindir.mkdir(parents=True)
    for tool in ("initdb", "pg_ctl", "postgres"):
        script = bindir / tool
        script.write_text("#!/bin/sh\necho 'postgres (PostgreSQL) 99.1'\n")
        script.chmod(0o755)
    env = clean_env(SMARTCITY_PG_BINDIR=str(bindir))
    line = one_line_error(run_cli("db", "up", env=env, cwd=tmp_path))
    assert "PostGIS is not installed for PostgreSQL 99" in line
    assert "apt-get install postgresql-99-postgis-3" in line


def test_bad_setting_names_the_variable(tmp_path):
    env = clean_env(SMARTCITY_REGION_CODE="Paser")
    line = one_line_error(run_cli("db", "url", env=env, cwd=tmp_path))
    assert "SMARTCITY_REGION_CODE" in line


def test_help_lists_the_commands(tmp_path):
    result = run_cli("--help", env=clean_env(), cwd=tmp_path)
    assert result.returncode == 0
    for command in ("db", "run", "serve"):
        assert command in result.stdout
    db_help = run_cli("db", "--help", env=clean_env(), cwd=tmp_path).stdout
    for command in ("up", "down", "status", "url", "migrate"):
        assert command in db_help
    assert os.sep not in result.stderr


def test_works_from_cron_with_a_minimal_path(workdir):
    """cron gives PATH=/usr/bin:/bin; runuser lives in /usr/sbin, pg_ctl in /usr/lib/postgresql."""
    folder, env = workdir
    result = run_cli("db", "status", env={**env, "PATH": "/usr/bin:/bin"}, cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "local cluster: running" in result.stdout


@pytest.mark.parametrize("command", [["db", "url"], ["db", "url", "--reader"], ["db", "status"], ["status"],
                                     ["features"]])  # fmt: skip
def test_commands_that_read_never_create_a_cluster(tmp_path, command):
    env = clean_env(SMARTCITY_LOCAL_PG_FAST="true")  # no SMARTCITY_DATABASE_URL: the local cluster
    line = one_line_error(run_cli(*command, env=env, cwd=tmp_path))
    assert line == (
        f"error: no local database in {tmp_path / '.smartcity'}: run from the project folder, set "
        "SMARTCITY_STATE_DIR, or run `smartcity db up`"
    )
    assert not (tmp_path / ".smartcity" / "pg" / "data").exists()
