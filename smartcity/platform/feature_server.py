"""OGC API Features for QGIS and web clients: tipg (developmentseed) over the published schemas.

`smartcity features` runs tipg's app under uvicorn in a child process, connected as the read-only
role (never the owner), listing the spatial tables and views of ``mart`` and ``ref``. Views have no
primary key, so tipg takes their key from the first of ``code``, ``id`` found (every mart view has one).
Loopback by default: put it behind a reverse proxy to publish it.
"""

from __future__ import annotations

import json
import os
import sys

from smartcity.platform import db, local_cluster
from smartcity.platform.errors import SetupError
from smartcity.platform.settings import Settings

SCHEMAS = ["mart", "ref"]


def reader_url(settings: Settings) -> str:
    """The read-only role's URL (plain postgresql:// form, as tipg's asyncpg wants it)."""
    if settings.database_url is not None:
        if settings.reader_database_url is None:
            raise SetupError(
                "smartcity features connects as the read-only role: set SMARTCITY_READER_DATABASE_URL "
                "(a login granted smartcity_reader) for the configured database"
            )
        url = db.to_sqlalchemy_url(settings.reader_database_url.get_secret_value())
        return url.set(drivername="postgresql").render_as_string(hide_password=False)
    creds = local_cluster.read_credentials(settings.pg_dir)
    if creds is None:
        raise SetupError("the local database has not been created yet: run `smartcity db up`")
    return creds.url(reader=True)


def server_command(settings: Settings, host: str, port: int) -> tuple[list[str], dict[str, str]]:
    """The uvicorn command line and environment that serve tipg for this database."""
    env = {
        **os.environ,
        "DATABASE_URL": reader_url(settings),
        "TIPG_DB_SCHEMAS": json.dumps(SCHEMAS),
        "TIPG_FALLBACK_KEY_NAMES": json.dumps(["code", "id"]),
        "TIPG_NAME": "Smart City spatial priorities",
    }
    argv = [sys.executable, "-m", "uvicorn", "tipg.main:app", "--host", host, "--port", str(port),
            "--log-level", "warning"]  # fmt: skip
    return argv, env
