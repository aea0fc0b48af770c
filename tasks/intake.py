"""Tasks: the gazetteer for place matching, one worksheet file in, the intake summary out."""

from __future__ import annotations

import html
from dataclasses import asdict
from pathlib import Path

from prefect import get_run_logger, runtime, task
from prefect.artifacts import create_table_artifact

from smartcity import db
from smartcity.intake import FileResult, ingest_file, load_gazetteer, summary_table
from smartcity.matching import Gazetteer
from smartcity.settings import get_settings
from tasks.retry import UNCACHED_ON_DATABASE


@task(name="load-gazetteer", **UNCACHED_ON_DATABASE)
def gazetteer_for_region() -> Gazetteer:
    """Districts, villages and name variants of the configured region, for place matching."""
    settings = get_settings()
    return load_gazetteer(db.get_engine(settings), settings.region_code)


@task(name="ingest-file", **UNCACHED_ON_DATABASE)
def ingest_one(path: str, gazetteer: Gazetteer, replace: bool) -> dict:
    """One file: read, validate, place, load; bad content never fails the task (see the result)."""
    settings = get_settings()
    run_id = runtime.flow_run.id
    result = ingest_file(
        db.get_engine(settings), Path(path), gazetteer, replace=replace,
        feedback_dir=settings.output_dir / "feedback", flow_run_id=str(run_id) if run_id else None,
        partition_rows=settings.intake_partition_rows,
    )  # fmt: skip
    logger = get_run_logger()
    (logger.warning if result.status == "failed" or result.error else logger.info)(result.line())
    return asdict(result)


@task(name="intake-summary")
def publish_summary(results: list[dict]) -> list[dict]:
    """The per-file summary as a Prefect table artifact (file names and agencies HTML-escaped)."""
    table = summary_table([FileResult(**r) for r in results])
    escaped = [{k: html.escape(v) if isinstance(v, str) else v for k, v in row.items()} for row in table]
    create_table_artifact(key="intake-summary", table=escaped, description="Worksheet intake, per file")
    return table
