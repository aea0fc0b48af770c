"""Flow: priority scores for a region, recorded in mart, top villages as an artifact."""

from __future__ import annotations

from prefect import flow

from tasks.database import ensure_database
from tasks.scoring import score, top_villages_artifact


@flow(name="score-priorities", log_prints=True)
def score_priorities(config_path: str | None = None, region_code: str | None = None) -> dict:
    """Score villages and districts with the model (the shipped default, or ``config_path`` over it),
    for the region (default SMARTCITY_REGION_CODE)."""
    ensure_database()
    run = score(config_path, region_code)
    run["top"] = top_villages_artifact(run["run_id"], run["region_code"])
    return run
