"""docker-compose.yml, the docs and the settings name the same variables (Docker does not run here;
the postgis service's init script runs for real with psql)."""

from __future__ import annotations

import os
import re
import subprocess

import psycopg
import pytest
import yaml

from smartcity.platform.settings import ENV_PREFIX, Settings
from tests.helpers import REPO

SETTING_NAMES = {ENV_PREFIX + name.upper() for name in Settings.model_fields}


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_compose_has_postgis_prefect_and_the_served_pipeline():
    services = compose()["services"]
    assert set(services) == {"postgis", "prefect-server", "pipeline", "worker"}
    assert services["postgis"]["image"].startswith("postgis/postgis:")
    assert "pg_isready" in " ".join(services["postgis"]["healthcheck"]["test"])
    assert any(v.startswith("pgdata:") for v in services["postgis"]["volumes"])
    assert services["prefect-server"]["command"][:3] == ["prefect", "server", "start"]
    assert services["pipeline"]["command"] == ["smartcity", "serve"]
    assert services["pipeline"]["depends_on"]["postgis"]["condition"] == "service_healthy"


def test_compose_configures_the_pipeline_only_through_known_settings():
    env = compose()["services"]["pipeline"]["environment"]
    ours = {name for name in env if name.startswith(ENV_PREFIX)}
    assert ours, "the pipeline service must be configured through SMARTCITY_* variables"
    assert ours - SETTING_NAMES == set(), "compose names variables the settings do not know"
    assert env["SMARTCITY_DATABASE_URL"].endswith("@postgis:5432/smartcity")
    assert env["PREFECT_API_URL"] == "http://prefect-server:4200/api"


def test_compose_keeps_secrets_out_of_the_repository():
    text = (REPO / "docker-compose.yml").read_text()
    assert "${POSTGRES_PASSWORD:?" in text
    assert not re.search(r"POSTGRES_PASSWORD:\s*[\"']?\w", text.replace("${POSTGRES_PASSWORD", ""))


def test_configuration_table_lists_every_setting():
    """The table docs/hooks.py puts into docs/configuration.md at build time: each setting, once."""
    from tests.test_docs import load_module

    table = load_module("docs/hooks.py").configuration_table()
    names = [m.group(1) for m in re.finditer(r"^\| `(SMARTCITY_[A-Z_]+)` \|", table, re.M)]
    assert len(names) == len(set(names))
    assert set(names) == SETTING_NAMES


def test_readme_quickstart_is_the_two_commands_ci_runs():
    readme = (REPO / "README.md").read_text()
    assert "./run.sh demo" in readme and "./run.sh test" in readme
    assert "./run.sh test" in (REPO / ".ci" / "run").read_text()


def test_prefect_yaml_deploys_the_pipeline_on_the_settings_schedule_to_the_compose_work_pool():
    spec = yaml.safe_load((REPO / "prefect.yaml").read_text())
    (deployment,) = spec["deployments"]
    module, name = deployment["entrypoint"].split(":")
    assert module == "flows/pipeline.py" and name == "pipeline"
    from flows.pipeline import pipeline

    assert pipeline.name == "smartcity-pipeline"
    defaults = Settings(_env_file=None)
    (schedule,) = deployment["schedules"]
    assert (schedule["cron"], schedule["timezone"]) == (defaults.schedule_cron, defaults.timezone)
    assert deployment["concurrency_limit"] == 1
    worker = compose()["services"]["worker"]
    pool = deployment["work_pool"]["name"]
    assert (
        f"--pool {pool}" in worker["command"][-1]
        and "prefect --no-prompt deploy --all" in worker["command"][-1]
    )
    assert worker["profiles"] == ["pool"]
    assert {n for n in worker["environment"] if n.startswith(ENV_PREFIX)} <= SETTING_NAMES


def test_compose_prefect_server_keeps_its_history_in_the_postgis_service():
    services = compose()["services"]
    url = services["prefect-server"]["environment"]["PREFECT_API_DATABASE_CONNECTION_URL"]
    assert url.startswith("postgresql+asyncpg://smartcity_prefect:${PREFECT_DB_PASSWORD:?")
    assert url.endswith("@postgis:5432/smartcity_prefect")
    assert services["prefect-server"]["depends_on"]["postgis"]["condition"] == "service_healthy"
    # one file beside the image's own init script (10_postgis.sh), not the folder over it
    assert (
        "./docker/initdb/10-prefect.sh:/docker-entrypoint-initdb.d/20-prefect.sh:ro"
        in services["postgis"]["volumes"]
    )
    assert "prefect" not in compose()["volumes"]  # no SQLite file in a volume any more


@pytest.mark.db
def test_compose_init_script_makes_prefects_role_and_database(pg_creds):
    """The script the postgis image runs on an empty volume, run for real with psql against the test
    cluster (as its superuser, as in the image); a password with quotes stays a password."""
    password = 'it\'s a "pass"; DROP ROLE x; --'
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(pg_creds.port),
           "PGPASSWORD": pg_creds.admin_password, "POSTGRES_USER": "smartcity_admin",
           "PREFECT_DB_PASSWORD": password}  # fmt: skip
    try:
        for again in (False, True):  # run again on a volume that has them: the password is set anew
            if again:
                password = env["PREFECT_DB_PASSWORD"] = "a new one; with ' quotes"
            done = subprocess.run(["sh", str(REPO / "docker" / "initdb" / "10-prefect.sh")], env=env,
                                  capture_output=True, text=True, check=False)  # fmt: skip
            assert done.returncode == 0, done.stderr
        login = {"host": "127.0.0.1", "port": pg_creds.port, "dbname": "smartcity_prefect",
                 "user": "smartcity_prefect", "password": password, "connect_timeout": 10}  # fmt: skip
        with psycopg.connect(**login) as conn:
            assert conn.execute("SELECT current_user").fetchone()[0] == "smartcity_prefect"
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            psycopg.connect(pg_creds.url(database="smartcity_prefect"), connect_timeout=10).close()
    finally:
        with psycopg.connect(pg_creds.url(admin=True, database="postgres"), autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS smartcity_prefect")
            conn.execute("DROP ROLE IF EXISTS smartcity_prefect")
