"""``smartcity db``: the local PostGIS cluster (up, down, status), connection URLs, migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from smartcity.cli.app import db_app
from smartcity.cli.common import (
    existing_database,
    user_errors,
)
from smartcity.platform.errors import SmartCityError
from smartcity.platform.settings import get_settings


@db_app.command("up")
@user_errors
def db_up() -> None:
    """Start the database (the local cluster unless SMARTCITY_DATABASE_URL is set), apply migrations."""
    from smartcity.platform import db

    settings = get_settings()
    engine = db.ensure_database(settings)
    typer.echo(f"database ready: {db.describe(engine.url)}")
    typer.echo('connect with: psql "$(smartcity db url)"   (read-only: smartcity db url --reader)')


@db_app.command("down")
@user_errors
def db_down() -> None:
    """Stop the local cluster (its data stays on disk). Does nothing for a configured database."""
    stop_local_database(get_settings())


def stop_local_database(settings) -> None:
    """Stop the local cluster and say so (``db down``, ``down``); a configured database is left alone."""
    from smartcity.platform import local_cluster

    if settings.database_url is not None:
        typer.echo("SMARTCITY_DATABASE_URL is set: that server is not ours to stop.")
        return
    stopped = local_cluster.stop(settings)
    typer.echo("local database stopped" if stopped else "local database was not running")


@db_app.command("status")
@user_errors
def db_status() -> None:
    """Say where the database is, whether it answers, and which migrations are applied."""
    from smartcity.platform import db, local_cluster

    settings = get_settings()
    existing_database(settings)
    if settings.database_url is None:
        info = local_cluster.status(settings)
        typer.echo(f"local cluster: {info['state']} at {info['path']} (port {info['port'] or '-'})")
        if not info["running"]:
            raise typer.Exit(3)
    engine = db.get_engine(settings)
    postgis = db.check_database(engine)
    applied, pending = db.migration_status(engine)
    typer.echo(f"database: {db.describe(engine.url)}, PostGIS {postgis}")
    typer.echo(
        f"migrations: {len(applied)} applied, {len(pending)} pending"
        + (f" ({', '.join(pending)})" if pending else "")
    )


@db_app.command("url")
@user_errors
def db_url(
    reader: Annotated[bool, typer.Option("--reader", help="URL of the read-only role (for QGIS).")] = False,
    sqlalchemy: Annotated[bool, typer.Option("--sqlalchemy", help="SQLAlchemy form.")] = False,
) -> None:
    """Print the connection URL (starting the local cluster if needed), e.g. psql "$(smartcity db url)"."""
    from smartcity.platform import db, local_cluster

    settings = get_settings()
    if settings.database_url is not None:
        if reader:
            raise SmartCityError("--reader is only known for the local cluster; ask your DBA for it")
        url = db.to_sqlalchemy_url(settings.database_url.get_secret_value())
        typer.echo(
            url.render_as_string(hide_password=False)
            if sqlalchemy
            else url.set(drivername="postgresql").render_as_string(hide_password=False)
        )
        return
    existing_database(settings)
    creds = local_cluster.ensure_running(settings)
    typer.echo(creds.url(reader=reader, driver="postgresql+psycopg" if sqlalchemy else "postgresql"))


@db_app.command("migrate")
@user_errors
def db_migrate() -> None:
    """Apply pending SQL migrations from sql/ (safe to run concurrently: an advisory lock serialises)."""
    from smartcity.platform import db

    settings = get_settings()
    db.bring_up(settings)
    engine = db.get_engine(settings)
    db.check_database(engine)
    applied = db.apply_migrations(engine)
    typer.echo(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
