"""Tasks: score a region and record the run in mart; the top areas as a table artifact."""

from __future__ import annotations

import html
import logging

from prefect import runtime, task
from prefect.artifacts import create_table_artifact

from smartcity.platform.settings import get_settings
from smartcity.scoring.model import load_config
from smartcity.scoring.runs import score_region, top_rows
from tasks.intake import artifact_slug
from tasks.logs import log_event
from tasks.retry import UNCACHED_ON_DATABASE, task_engine


@task(name="score-region", **UNCACHED_ON_DATABASE)
def score(config_path: str | None = None, region_code: str | None = None) -> dict:
    """Score the region's villages and districts, hot spots and robustness; record the run in one
    transaction. The region defaults to the configured one."""
    settings = get_settings()
    config = load_config(config_path)
    run_id = runtime.flow_run.id
    result = score_region(
        task_engine(settings), region_code or settings.region_code, config,
        flow_run_id=str(run_id) if run_id else None,
    )  # fmt: skip
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items())
    log_event(
        "region_scored", "%s: scored %d villages and %d districts from %d issues (model %s, %s); %s",
        result.region_code, len(result.villages.areas), len(result.districts.areas), result.issue_count,
        config.source, config.hash, stages,
        region=result.region_code, scoring_run_id=str(result.run_id), villages=len(result.villages.areas),
        districts=len(result.districts.areas), issues=result.issue_count, model_hash=config.hash,
        seconds=result.timings,
    )  # fmt: skip
    if dropped := list(result.villages.dropped):
        log_event("criteria_dropped", "criteria left out (no data): %s", ", ".join(dropped),
                  level=logging.WARNING, region=result.region_code, criteria=dropped)  # fmt: skip
    return {
        "run_id": result.run_id, "region_code": result.region_code, "config_hash": config.hash,
        "config_source": config.source, "issues": result.issue_count,
        "villages": len(result.villages.areas), "districts": len(result.districts.areas),
        "dropped": result.villages.dropped, "timings": result.timings,
    }  # fmt: skip


@task(name="scoring-top-areas", **UNCACHED_ON_DATABASE)
def top_villages_artifact(run_id: str, region_code: str, limit: int = 10) -> list[dict]:
    """The run's top villages as a Prefect table artifact (names HTML-escaped there); returns the rows
    with names as written (each reader escapes for where it shows them)."""
    table = top_rows(task_engine(), run_id, limit)
    escaped = [{**row, "village": html.escape(row["village"])} for row in table]
    create_table_artifact(
        key=f"priority-top-villages-{artifact_slug(region_code)}", table=escaped,
        description=f"Top priority villages of {region_code}",
    )  # fmt: skip
    return table
