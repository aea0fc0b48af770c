"""Task: the database is up, has PostGIS and the current schema."""

from __future__ import annotations

from prefect import task

from smartcity.platform import db
from smartcity.platform.settings import get_settings
from tasks.logs import log_event
from tasks.retry import transient_only


@task(name="ensure-database", retries=3, retry_delay_seconds=[2, 10, 30], retry_condition_fn=transient_only)
def ensure_database() -> dict:
    """Bring up (or reach) the database and apply pending migrations; return where it is."""
    settings = get_settings()
    db.bring_up(settings)  # the one place a run starts the local cluster (and again on a retry)
    engine = db.get_engine(settings)
    postgis = db.check_database(engine)
    applied = db.apply_migrations(engine)
    log_event(
        "database_ready", "database %s ready (PostGIS %s); migrations applied now: %s",
        db.describe(engine.url), postgis, ", ".join(applied) or "none",
        database=db.describe(engine.url), postgis=postgis, migrations_applied=applied,
    )  # fmt: skip
    return {"database": db.describe(engine.url), "postgis": postgis, "migrations_applied": applied}
