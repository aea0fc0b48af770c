"""When a failed task is worth retrying: transient database trouble yes, bad input never."""

from __future__ import annotations

import psycopg
import sqlalchemy as sa
from prefect.cache_policies import NO_CACHE

from smartcity.platform.errors import DatabaseUnavailable

# the database went away or could not be reached: worth another try after a pause
TRANSIENT = (DatabaseUnavailable, sa.exc.OperationalError, sa.exc.InterfaceError, psycopg.OperationalError,
             ConnectionError)  # fmt: skip


def transient_only(task, task_run, state) -> bool:
    """Prefect ``retry_condition_fn``: retry only when the failure was the database being away."""
    try:
        state.result()
    except TRANSIENT:
        return True
    except Exception:  # noqa: BLE001 - any other failure is final
        return False
    return False


#: task options for work against the database: two retries, after 5 s and 30 s, on transient trouble only
ON_DATABASE = {"retries": 2, "retry_delay_seconds": [5, 30], "retry_condition_fn": transient_only}
#: the same, for tasks whose result must never come from Prefect's cache (they read or write live data)
UNCACHED_ON_DATABASE = {**ON_DATABASE, "cache_policy": NO_CACHE}
