"""``smartcity features``: the published schemas over OGC API Features, as the read-only role."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from smartcity.cli.app import app
from smartcity.cli.common import (
    existing_database,
    user_errors,
)
from smartcity.platform.settings import get_settings


@app.command("features")
@user_errors
def features(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port (default SMARTCITY_FEATURES_PORT, 8081).")] = None,
) -> None:
    """Serve mart and ref over OGC API Features (tipg) as the read-only role, for QGIS and web clients.

    The command becomes the server (exec): Ctrl-C or SIGTERM stops it, nothing is left listening, and
    the owner-role connection of the check is closed before serving."""
    import os

    from smartcity.platform import db
    from smartcity.platform.feature_server import install_catalog, server_command

    settings = get_settings()
    existing_database(settings)
    db.bring_up(settings)
    engine = db.get_engine(settings)
    db.check_database(engine)
    db.apply_migrations(engine)  # an older database gets what the server needs (017: the tipg schema)
    install_catalog(engine)  # tipg's catalogue functions, as the owner: the reader creates nothing
    engine.dispose()  # no owner-role connection while serving
    argv, env = server_command(settings, host, port or settings.features_port)
    typer.echo(
        f"OGC API Features on http://{host}:{port or settings.features_port}/collections (Ctrl-C stops)"
    )
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(argv[0], argv, env)
