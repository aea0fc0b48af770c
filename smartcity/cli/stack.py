"""``smartcity up`` and ``down``: the local stack, PostGIS and a Prefect server with its UI, together.

``smartcity db up/down`` keep their meaning (the database alone). With the stack up, every command
that runs a flow uses the server (its runs, task runs, logs and artifacts stay in its UI); without it
each starts a temporary API of its own, as before.
"""

from __future__ import annotations

import typer

from smartcity.cli.app import app
from smartcity.cli.common import user_errors
from smartcity.platform.settings import get_settings


@app.command("up")
@user_errors
def up() -> None:
    """Start the local stack: PostGIS (migrated) and a Prefect server with its UI, on 127.0.0.1."""
    from smartcity.platform import db, prefect_server

    settings = get_settings()
    engine = db.ensure_database(settings)
    typer.echo(f'PostGIS: {db.describe(engine.url)}   psql "$(smartcity db url)"')
    prefect_db = prefect_server.database_url(settings)
    if prefect_server.recorded(settings) is None:
        typer.echo("starting the Prefect server (the first start prepares its database: up to a minute)")
    server = prefect_server.start(settings, prefect_db)
    where = "its own database in the local cluster" if server.database == "postgresql" else "SQLite"
    typer.echo(f"Prefect UI: {server.url}   (API {server.api_url}; history in {where})")
    typer.echo("every flow command now runs through it; `smartcity down` stops both")


@app.command("down")
@user_errors
def down() -> None:
    """Stop the local stack: the Prefect server, then the local PostGIS (data stays on disk)."""
    from smartcity.cli.database import stop_local_database
    from smartcity.platform import prefect_server

    settings = get_settings()
    typer.echo(
        "Prefect server stopped" if prefect_server.stop(settings) else "Prefect server was not running"
    )
    stop_local_database(settings)


def stack_lines(settings) -> list[str]:
    """Two lines for ``smartcity status``: where PostGIS and the Prefect server are, and whether up."""
    import os

    from smartcity.platform import local_cluster, prefect_server

    if settings.database_url is None:
        info = local_cluster.status(settings)
        database = f"PostGIS: local cluster {info['state']}, 127.0.0.1:{info['port'] or '-'} ({info['path']})"
    else:
        database = "PostGIS: SMARTCITY_DATABASE_URL (`smartcity db status` checks it)"
    if os.environ.get("PREFECT_API_URL"):
        return [database, f"Prefect: PREFECT_API_URL {os.environ['PREFECT_API_URL']} (yours)"]
    server = prefect_server.status(settings)
    if server["state"] == "running":
        line = f"Prefect server: running, UI {server['url']} (pid {server['pid']})"
    elif server["state"] == "starting":
        line = f"Prefect server: starting at {server['url']} (log {server['log']})"
    else:
        line = "Prefect server: stopped (each command starts a temporary API; `smartcity up` starts it)"
    return [database, line]
