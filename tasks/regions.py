"""Tasks: load a boundary file into ``ref``, download a regency's village boundaries."""

from __future__ import annotations

import html
import logging
from dataclasses import asdict
from pathlib import Path

from prefect import runtime, task
from prefect.artifacts import create_markdown_artifact

from smartcity.platform.settings import get_settings
from smartcity.reference.load import LoadOptions, LoadReport, load_reference
from smartcity.reference.wilayah_boundaries import download_regency_villages
from tasks.logs import log_event
from tasks.retry import ON_DATABASE, task_engine


def report_markdown(report: LoadReport) -> str:
    """The load report as markdown; every string from the file is HTML-escaped."""
    lines = [f"# Reference geography: {html.escape(report.source)}", "", html.escape(report.summary()), ""]
    lines += [f"- {html.escape(line)}" for line in report.lines()[1:]]
    return "\n".join(lines)


@task(name="load-reference", **ON_DATABASE)
def load_reference_file(path: str, options: dict) -> dict:
    """Load one boundary file (see smartcity.reference.load) and publish its report."""
    settings = get_settings()
    flow_run_id = runtime.flow_run.id
    report = load_reference(
        task_engine(settings), Path(path), settings, LoadOptions(**options),
        flow_run_id=str(flow_run_id) if flow_run_id else None,
    )  # fmt: skip
    for line in report.lines():
        level = logging.WARNING if line.startswith("warning") else logging.INFO
        log_event("reference_loaded", "%s", line, level=level, source=Path(path).name)
    create_markdown_artifact(
        key="reference-load", markdown=report_markdown(report), description="Reference geography load"
    )
    return asdict(report)


@task(name="download-village-boundaries")
def download_villages(code: str, base_url: str) -> str:
    """Download a regency's village boundaries file (retries inside, on transient errors only)."""
    settings = get_settings()
    path = download_regency_villages(code, settings.data_dir / "downloads", base_url=base_url)
    log_event("boundaries_downloaded", "downloaded %s", path, region=code, path=str(path))
    return str(path)
