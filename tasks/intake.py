"""Tasks: the gazetteer for place matching, one worksheet file in, the intake summary out."""

from __future__ import annotations

import html
import logging
from dataclasses import asdict
from pathlib import Path

from prefect import runtime, task
from prefect.artifacts import create_table_artifact

from smartcity.intake.load import FileResult, ingest_file, load_gazetteer, received, summary_table
from smartcity.intake.locate.matching import Gazetteer
from smartcity.intake.read.limits import ReadLimits
from smartcity.platform.db import is_transient
from smartcity.platform.errors import DatabaseUnavailable, one_line
from smartcity.platform.settings import get_settings
from tasks.logs import log_event
from tasks.retry import UNCACHED_ON_DATABASE, task_engine


@task(name="load-gazetteer", **UNCACHED_ON_DATABASE)
def gazetteer_for_region(region_code: str | None = None) -> Gazetteer:
    """Districts, villages and name variants of the region (default: the configured one)."""
    settings = get_settings()
    return load_gazetteer(task_engine(settings), region_code or settings.region_code)


@task(name="ingest-file", task_run_name="ingest-{path}", **UNCACHED_ON_DATABASE)
def ingest_one(path: str, gazetteer: Gazetteer, replace: bool, feedback_dir: str | None = None) -> dict:
    """One file: read, validate, place, load; bad content never fails the task (see the result).

    Feedback files go to ``feedback_dir`` (default SMARTCITY_OUTPUT_DIR/feedback)."""
    settings = get_settings()
    run_id = runtime.flow_run.id
    result = ingest_file(
        task_engine(settings), Path(path), gazetteer, replace=replace,
        feedback_dir=Path(feedback_dir) if feedback_dir else settings.output_dir / "feedback",
        flow_run_id=str(run_id) if run_id else None, partition_rows=settings.intake_partition_rows,
        limits=ReadLimits.from_settings(settings),
    )  # fmt: skip
    level = logging.WARNING if result.not_loaded or result.error else logging.INFO
    log_event(
        "worksheet_ingested", "%s", result.line(), level=level, file=result.file_name,
        region=gazetteer.region_code, status=result.status, agency=result.agency, rows=result.rows_total,
        loaded=result.accepted, rejected=result.rejected, placed=result.placed,
        submission_id=result.submission_id,
    )  # fmt: skip
    return asdict(result)


@task(name="screen-inbox", **UNCACHED_ON_DATABASE)
def already_received(files: list[tuple[str, str]]) -> dict[str, dict]:
    """Of these (path, region) pairs, the files already received for their region, by path: their
    duplicate results. One task for the whole inbox, so an unchanged inbox costs one task run."""
    found = {path: asdict(known) for path, known in received(task_engine(), files).items()}
    if found:
        log_event("inbox_screened", "%d of %d files already received: not read again", len(found), len(files),
                  files=len(files), already_received=len(found))  # fmt: skip
    return found


@task(name="intake-summary")
def intake_artifact(results: list[dict], region_code: str | None = None) -> list[dict]:
    """The per-file summary as a Prefect table artifact (file names and agencies HTML-escaped)."""
    region_code = region_code or get_settings().region_code
    table = summary_table([FileResult(**r) for r in results])
    escaped = [{k: html.escape(v) if isinstance(v, str) else v for k, v in row.items()} for row in table]
    create_table_artifact(
        key=f"intake-summary-{artifact_slug(region_code)}", table=escaped,
        description=f"Worksheet intake of {region_code}, per file",
    )  # fmt: skip
    return table


def artifact_slug(region_code: str) -> str:
    """A region code as Prefect artifact keys allow it (lowercase letters, digits, dashes): 64-01."""
    return region_code.replace(".", "-")


def file_outcome(path: str, state) -> dict:
    """A file's result from its ingest task's final state.

    Completed: the task's result. Failed on something unexpected (a bug): a failed result, so the
    other files go on. Failed because the database stayed away after the retries: DatabaseUnavailable,
    which stops the intake; files not loaded yet stay in the inbox for the next run.
    """
    if state.is_completed():
        return state.result()
    error = state.result(raise_on_failure=False)
    name = Path(path).name
    if isinstance(error, BaseException) and is_transient(error):
        first = one_line(error, 300)
        raise DatabaseUnavailable(
            f"the database went away while {name} was loading ({first}); nothing of that file was kept, "
            "and the next run loads it and the other files not loaded yet"
        )
    return {
        "file_name": name,
        "sha256": "",
        "status": "failed",
        "error": one_line(state.message or error, 300),
    }
