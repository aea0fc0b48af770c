"""The task runner the pipeline fans its per-file and per-region tasks out on.

- ``default``: Prefect's thread pool with one worker: one task at a time, in the flow's own process
  (predictable memory and logs; what a small regency needs).
- ``dask``: prefect-dask's DaskTaskRunner: on the scheduler at ``address`` when given (its workers
  must have this project installed and the same SMARTCITY_* and PREFECT_API_URL settings), else on a
  local cluster of ``workers`` processes with one thread each, started for the run and stopped after.

Dask workers report their task runs to the Prefect API named by PREFECT_API_URL; with Prefect's
ephemeral API each worker would start a temporary API of its own (about 30 s each, and the runs would
not be in the run history), so ``smartcity run`` starts one local Prefect API for the run when none is
configured (:func:`smartcity.platform.prefect_env.local_prefect_api`), which the workers inherit.
"""

from __future__ import annotations

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from smartcity.platform.settings import task_runner_kind


def task_runner(kind: str, address: str | None = None, workers: int = 2) -> TaskRunner:
    """A new (not yet started) task runner of this kind; enter it with ``with``."""
    if task_runner_kind(kind) == "default":
        return ThreadPoolTaskRunner(max_workers=1)
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_kwargs={
            "n_workers": workers,
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,
        }  # fmt: skip
    )
