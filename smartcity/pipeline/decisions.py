"""The decisions the pipeline flow asks about, as pure functions of what the run knows so far.

The flow (``flows/pipeline.py``) only sequences tasks; whether a region changed, whether its last
pages can be reused, how many files are in flight, what error a failed step or a failed run ends
with, and what the run log records at the finish are decided here, and tested without Prefect or a
database (``tests/test_pipeline_decisions.py``).
"""

from __future__ import annotations

from pathlib import Path

from smartcity.pipeline.state import Outcome, RegionRun
from smartcity.platform.db import is_transient
from smartcity.platform.errors import DatabaseUnavailable, SmartCityError, one_line
from smartcity.platform.settings import task_runner_kind


def region_changed(region: RegionRun, ikn_loaded: bool) -> bool:
    """Whether the region must be scored again: a new file (loaded, partial or failed; a duplicate is
    not new), its reference geography loaded by this run, or the IKN boundary loaded by this run.

    Unchanged, the region's last scoring run may be reused (when the same model over the same
    worksheets would give it again; the database says, ``scoring.runs.unchanged_since``)."""
    reference_loaded = bool(region.reference and region.reference["loaded"])
    return bool(region.new_files) or reference_loaded or bool(ikn_loaded)


def reusable_pages(site: str | Path, run_id: str) -> str | None:
    """The index page of a reused scoring run's pages (``<site>/<run_id>/index.html``) when it exists;
    None when it does not (deleted, or never written because publishing failed), so the pages are
    written again."""
    index = Path(site) / str(run_id) / "index.html"
    return str(index) if index.is_file() else None


def files_in_flight(kind: str, dask_workers: int) -> int:
    """How many worksheets are submitted to the task runner at once.

    ``default`` (one thread): one at a time, in inbox order. ``dask``: two per Dask worker. Bounded
    so that when the database goes away the intake stops after the files in flight (each retries,
    then fails) instead of retrying every file of the inbox. ``kind`` is the runner's kind as
    configured (SMARTCITY_TASK_RUNNER or the flow parameter)."""
    return 1 if task_runner_kind(kind) == "default" else 2 * dask_workers


def step_error(step: str, code: str, result: object, message: str | None) -> BaseException:
    """The error a region's failed step (``score`` or ``publish``) ends the region with.

    ``result`` is what the step's final state holds, ``message`` the state's message. The database
    going away (after the task's retries) becomes DatabaseUnavailable saying the committed work stays;
    any other exception is the region's error as it is; a state holding no exception (cancelled,
    crashed, an upstream that never completed) becomes a SmartCityError with the state's message."""
    if isinstance(result, BaseException) and is_transient(result):
        return DatabaseUnavailable(
            f"the database went away during the {step} step of {code}: {one_line(result, 300)}; "
            "what was committed stays, and the next run completes the work"
        )
    if isinstance(result, BaseException):
        return result
    return SmartCityError(f"{step} of {code} did not complete: {message}")


def run_error(errors: dict[str, BaseException], codes: list[str]) -> BaseException | None:
    """The error the whole run fails with, given the regions that failed (None: it completed).

    A run of one region fails with that region's error as it was raised, exactly as it would alone.
    A run of several names every region that failed, in one line, and the ones that completed:
    ``64.01: ...; 64.09: ... (completed: 64.11)``."""
    if not errors:
        return None
    if len(codes) == 1:
        return next(iter(errors.values()))
    done = ", ".join(code for code in codes if code not in errors)
    failed = "; ".join(f"{code}: {one_line(error)}" for code, error in errors.items())
    return SmartCityError(f"{failed}" + (f" (completed: {done})" if done else ""))


def finished_outcome(region: RegionRun) -> Outcome:
    """How a region that did not fail ended: ``unchanged`` (its last scoring run reused) or
    ``completed`` (scored and published by this run)."""
    return "unchanged" if region.reused is not None else "completed"


def finish_counts(region: RegionRun) -> dict:
    """What the run log (smartcity.pipeline_run) records for a region that did not fail: its new
    files, their rows loaded and rejected, the scoring run its pages show, and the index page."""
    return {
        "files_new": len(region.new_files),
        "rows_loaded": region.rows_loaded,
        "rows_rejected": region.rows_rejected,
        "scoring_run_id": region.scoring_run_id,
        "index_path": region.pages,
    }
