"""When a failed task is worth retrying: transient database trouble yes, bad input never."""

from __future__ import annotations

import sqlalchemy as sa
from prefect import runtime
from prefect.cache_policies import NO_CACHE

from smartcity.platform import db
from smartcity.platform.db import is_transient
from smartcity.platform.settings import Settings, get_settings


def transient_only(task, task_run, state) -> bool:
    """Prefect ``retry_condition_fn``: retry only when the failure was the database being away."""
    try:
        state.result()
    except Exception as error:  # noqa: BLE001 - classified, not swallowed: Prefect keeps the state
        return is_transient(error)
    return False


def task_engine(settings: Settings | None = None) -> sa.Engine:
    """The pooled engine a task works with. On a retry (the database went away: only transient
    failures are retried) the local cluster is brought up again first; the first attempt only builds
    or reuses the engine, without side effects (the pipeline's first task brought the cluster up)."""
    settings = settings or get_settings()
    if (runtime.task_run.run_count or 1) > 1:
        db.bring_up(settings)
    return db.get_engine(settings)


#: task options for work against the database: two retries, after 5 s and 30 s, on transient trouble only
ON_DATABASE = {"retries": 2, "retry_delay_seconds": [5, 30], "retry_condition_fn": transient_only}
#: the same, for tasks whose result must never come from Prefect's cache (they read or write live data)
UNCACHED_ON_DATABASE = {**ON_DATABASE, "cache_policy": NO_CACHE}
