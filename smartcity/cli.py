"""``smartcity``: every command is a few lines that call a flow or a core function.

Errors meant for the user (:class:`~smartcity.errors.SmartCityError`) print as one line on stderr
and exit non-zero, never as a traceback. Heavy imports (Prefect, GeoPandas) happen inside the
commands that need them, so ``smartcity db url`` answers fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from smartcity.errors import SmartCityError
from smartcity.settings import get_settings

app = typer.Typer(
    help="Paser Smart City spatial pipeline: worksheets in, explainable spatial priorities out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(
    help="The database: local PostGIS cluster, migrations, connection URLs.", no_args_is_help=True
)
app.add_typer(db_app, name="db")


def _user_errors(func: Callable) -> Callable:
    """Turn SmartCityError (and a bad setting) into one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SmartCityError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except ValueError as exc:
            if type(exc).__name__ != "ValidationError":
                raise
            first = exc.errors()[0]  # pydantic: name the setting and what is wrong with it
            name = "SMARTCITY_" + "_".join(str(p) for p in first["loc"]).upper()
            typer.echo(f"error: setting {name}: {first['msg']}", err=True)
            raise typer.Exit(1) from None

    return wrapper


@db_app.command("up")
@_user_errors
def db_up() -> None:
    """Start the database (the local cluster unless SMARTCITY_DATABASE_URL is set), apply migrations."""
    from smartcity import db

    settings = get_settings()
    engine = db.ensure_database(settings)
    typer.echo(f"database ready: {db.describe(engine.url)}")
    typer.echo('connect with: psql "$(smartcity db url)"   (read-only: smartcity db url --reader)')


@db_app.command("down")
@_user_errors
def db_down() -> None:
    """Stop the local cluster (its data stays on disk). Does nothing for a configured database."""
    from smartcity import localpg

    settings = get_settings()
    if settings.database_url is not None:
        typer.echo("SMARTCITY_DATABASE_URL is set: that server is not ours to stop.")
        return
    stopped = localpg.stop(settings)
    typer.echo("local database stopped" if stopped else "local database was not running")


@db_app.command("status")
@_user_errors
def db_status() -> None:
    """Say where the database is, whether it answers, and which migrations are applied."""
    from smartcity import db, localpg

    settings = get_settings()
    if settings.database_url is None:
        info = localpg.status(settings)
        state = "running" if info["running"] else ("stopped" if info["created"] else "not created")
        typer.echo(f"local cluster: {state} at {info['path']} (port {info['port'] or '-'})")
        if not info["running"]:
            raise typer.Exit(3)
    engine = db.get_engine(settings, start_local=False)
    postgis = db.check_database(engine)
    applied, pending = db.migration_status(engine)
    typer.echo(f"database: {db.describe(engine.url)}, PostGIS {postgis}")
    typer.echo(
        f"migrations: {len(applied)} applied, {len(pending)} pending"
        + (f" ({', '.join(pending)})" if pending else "")
    )


@db_app.command("url")
@_user_errors
def db_url(
    reader: Annotated[bool, typer.Option("--reader", help="URL of the read-only role (for QGIS).")] = False,
    sqlalchemy: Annotated[bool, typer.Option("--sqlalchemy", help="SQLAlchemy form.")] = False,
) -> None:
    """Print the connection URL (starting the local cluster if needed), e.g. psql "$(smartcity db url)"."""
    from smartcity import db, localpg

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
    creds = localpg.ensure_running(settings)
    typer.echo(creds.url(reader=reader, driver="postgresql+psycopg" if sqlalchemy else "postgresql"))


@db_app.command("migrate")
@_user_errors
def db_migrate() -> None:
    """Apply pending SQL migrations from sql/ (safe to run concurrently: an advisory lock serialises)."""
    from smartcity import db

    settings = get_settings()
    engine = db.get_engine(settings)
    db.check_database(engine)
    applied = db.apply_migrations(engine)
    typer.echo(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))


@app.command("run")
@_user_errors
def run() -> None:
    """Run the whole pipeline once as a Prefect flow (ephemeral Prefect API, no server needed)."""
    from smartcity import db
    from smartcity.prefect_env import configure_prefect

    settings = get_settings()
    # Fail fast, in one line, on a database that is not there: before Prefect starts (~10-30 s).
    db.check_database(db.get_engine(settings))
    configure_prefect(settings)
    from flows.pipeline import pipeline

    summary = pipeline()
    typer.echo(f"database ready: {summary['database']['database']}")
    typer.echo(f"note: {summary['stages_pending']}; the pipeline stops here for now.")


@app.command("serve")
@_user_errors
def serve() -> None:
    """Serve the pipeline on its schedule (SMARTCITY_SCHEDULE_CRON); needs a Prefect server."""
    settings = get_settings()
    from smartcity.prefect_env import configure_prefect

    configure_prefect(settings)
    from prefect.schedules import Cron

    from flows.pipeline import pipeline

    pipeline.serve(
        name="smartcity-scheduled", schedules=[Cron(settings.schedule_cron, timezone=settings.timezone)]
    )


def main() -> None:  # pragma: no cover - console entry for `python -m smartcity`
    app(prog_name="smartcity")
    sys.exit(0)
