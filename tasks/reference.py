"""Tasks: reference geography and IKN in place before the pipeline goes on; IKN loads."""

from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import Path

from prefect import runtime, task

from smartcity.platform.settings import get_settings
from smartcity.reference.ensure import ensure_ikn, ensure_reference
from smartcity.reference.ikn_load import load_ikn
from tasks.logs import log_event
from tasks.retry import ON_DATABASE, task_engine


def _log(lines: list[str], event: str, **fields: object) -> None:
    for line in lines:
        level = logging.WARNING if line.startswith("warning") else logging.INFO
        log_event(event, "%s", line, level=level, **fields)


@task(name="ensure-reference", **ON_DATABASE)
def reference_in_place(region_code: str | None = None) -> dict:
    """Villages, districts and the regency of the region (default: the configured one) are loaded."""
    settings = get_settings()
    region_code = region_code or settings.region_code
    run_id = runtime.flow_run.id
    report = ensure_reference(task_engine(settings), settings, region_code, str(run_id) if run_id else None)
    if report is None:
        _log(
            [f"reference geography of {region_code} already loaded"], "reference_checked", region=region_code
        )
        return {"loaded": False}
    _log(report.lines(), "reference_loaded", region=region_code)
    return {"loaded": not report.unchanged, **asdict(report)}


@task(name="ensure-ikn", **ON_DATABASE)
def ikn_in_place() -> dict:
    """The IKN boundary and zones are loaded, and every area knows its distance to IKN."""
    settings = get_settings()
    report = ensure_ikn(task_engine(settings), settings)
    if report is None:
        _log(["IKN boundary already loaded"], "ikn_checked")
        return {"loaded": False}
    _log(report.lines(), "ikn_loaded")
    return {"loaded": True, **asdict(report)}


@task(name="load-ikn", **ON_DATABASE)
def load_ikn_file(path: str | None) -> dict:
    """Load an IKN boundary file (None: the shipped approximate one) and its zones."""
    settings = get_settings()
    report = load_ikn(task_engine(settings), settings, Path(path) if path else None)
    _log(report.lines(), "ikn_loaded")
    return asdict(report)
