"""When a failed task is worth retrying: transient database trouble yes, bad input never."""

from __future__ import annotations

from smartcity.errors import DatabaseUnavailable


def transient_only(task, task_run, state) -> bool:
    """Prefect ``retry_condition_fn``: retry only when the failure was the database being away."""
    try:
        state.result()
    except DatabaseUnavailable:
        return True
    except Exception:  # noqa: BLE001 - any other failure is final
        return False
    return False
