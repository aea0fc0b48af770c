"""Tasks: the pipeline's run log, and whether the last scoring run can be reused as it is."""

from __future__ import annotations

from prefect import task

from smartcity.pipeline.run_log import finish_run, start_run
from smartcity.platform.settings import get_settings
from smartcity.scoring.model import load_config
from smartcity.scoring.runs import unchanged_since
from tasks.retry import UNCACHED_ON_DATABASE, task_engine


@task(name="run-log-start", **UNCACHED_ON_DATABASE)
def record_start(run_id: str, region_code: str) -> None:
    """Write the run's row for a region in smartcity.pipeline_run."""
    start_run(task_engine(), run_id, region_code)


@task(name="run-log-finish", **UNCACHED_ON_DATABASE)
def record_finish(run_id: str, region_code: str, outcome: str, counts: dict) -> None:
    """Complete the run's row for a region: outcome and counts."""
    finish_run(task_engine(), run_id, region_code, outcome, **counts)


@task(name="reusable-scoring-run", **UNCACHED_ON_DATABASE)
def reusable_run(config_path: str | None, region_code: str) -> dict | None:
    """The region's last scoring run, when the same model over the same worksheets would give it again."""
    settings = get_settings()
    previous = unchanged_since(task_engine(settings), region_code, load_config(config_path))
    return None if previous is None else {"run_id": previous["run_id"], "issues": previous["issue_count"]}
