"""The pipeline as one parent flow, for one region or several.

Stages: database and schema -> reference geography of each region -> IKN boundary and zones -> new
worksheets from the inbox (every file of every region, fanned out on the task runner) -> priority
scores of each region whose inputs changed (fanned out) -> published pages of each region
(SMARTCITY_OUTPUT_DIR/site/<run_id>/index.html; offline pages, see maps/site.py).

Regions are isolated by their codes in one set of tables (migration 011): each has its own inbox
folder, submissions, scoring runs, pages and row in smartcity.pipeline_run, and a region whose
scoring or publishing fails does not stop the others (the run fails at the end, naming it). The
database going away stops the whole run, since every region needs it.

Decisions (README, "Running the pipeline"): the stages are tasks of this one flow, not sub-flows (a
sub-flow costs 1.1-1.6 s of Prefect bookkeeping and cannot share this run's Dask task runner); what a
re-run may skip is decided by content already in the database (file sha256, scoring inputs), not by
Prefect's result cache.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, runtime
from prefect.artifacts import create_markdown_artifact
from prefect.futures import as_completed, wait
from prefect.task_runners import ThreadPoolTaskRunner

from flows.runners import task_runner as make_task_runner
from smartcity.intake.inbox import InboxFile, inbox_files, regency_codes
from smartcity.pipeline.summary import summary_markdown
from smartcity.platform import db
from smartcity.platform.db import is_transient
from smartcity.platform.errors import DatabaseUnavailable, SmartCityError, one_line
from smartcity.platform.settings import Settings, get_settings
from tasks.database import ensure_database
from tasks.intake import already_received, file_outcome, gazetteer_for_region, ingest_one, intake_artifact
from tasks.logs import use_log_format
from tasks.publish import write_pages
from tasks.reference import ikn_in_place, reference_in_place
from tasks.run_log import record_finish, record_start, reusable_run
from tasks.scoring import score, top_villages_artifact


@flow(name="smartcity-pipeline", log_prints=True)
def pipeline(
    inbox: str | None = None,
    regions: list[str] | None = None,
    task_runner: str | None = None,
    dask_address: str | None = None,
    out: str | None = None,
) -> dict:
    """Run every stage for each region and return a summary (``regions``: {code: ...}).

    ``out`` is the output folder (pages in ``out``/site/<run_id>/, agencies' feedback files in
    ``out``/feedback/), default SMARTCITY_OUTPUT_DIR. The run's summary is a markdown artifact
    (``pipeline-summary``), written whether the run succeeds or fails.

    ``regions`` defaults to SMARTCITY_REGIONS (else SMARTCITY_REGION_CODE), ``task_runner`` to
    SMARTCITY_TASK_RUNNER (default or dask), ``dask_address`` to SMARTCITY_DASK_ADDRESS. When nothing
    changed for a region since its last scoring run (no new worksheet, the same reference geography and
    model), its scoring and publishing are skipped and the last pages reused: an unchanged inbox
    re-runs in seconds and says so.
    """
    settings = get_settings()
    use_log_format(settings.log_format)  # a worker's flow run too (the CLI set it before Prefect loaded)
    codes = regency_codes(regions or settings.run_regions)
    run_id = str(runtime.flow_run.id)
    output = Path(out) if out else settings.output_dir
    summary: dict = {"regions": {code: {} for code in codes}, "site": str(output / "site")}
    try:
        return _run(run_id, inbox, output, codes, summary, settings, task_runner, dask_address)
    except BaseException as exc:
        summary["error"] = one_line(exc)
        raise
    finally:
        _summary_artifact(summary, settings.site_url)


def _summary_artifact(summary: dict, site_url: str | None) -> None:
    """The run summary artifact; never the reason a run fails, nor a mask over the reason it did."""
    try:
        markdown = summary_markdown(summary, site_url)
        create_markdown_artifact(
            key="pipeline-summary", markdown=markdown, description="Summary of the pipeline run"
        )
    except Exception as exc:  # noqa: BLE001 - the API may be the thing that failed
        get_run_logger().warning("the run summary artifact was not written: %s", one_line(exc))


def _run(run_id, inbox, output: Path, codes, summary: dict, settings: Settings, kind, address) -> dict:
    summary["database"] = ensure_database()
    # one run per region at a time (SMARTCITY_RUN_LOCK: wait behind the other, or fail)
    with db.region_lock(db.get_engine(settings), codes, settings.run_lock) as waited:
        if waited:
            print(f"waited for another pipeline run of {', '.join(codes)} to finish")
        runner = make_task_runner(kind or settings.task_runner, address or settings.dask_address,
                                  settings.dask_workers)  # fmt: skip
        for code in codes:
            record_start(run_id, code)
        try:
            with runner:
                errors = _stages(run_id, inbox, output, summary, settings, runner)
        except Exception as exc:
            for code, region in summary["regions"].items():
                if "outcome" not in region:
                    _record_failure(run_id, code, exc)
            raise
    if len(codes) == 1 and errors:  # as it was raised: a single region fails exactly as it would alone
        raise next(iter(errors.values()))
    if errors:  # the regions that failed, named; the others completed and are published
        done = ", ".join(code for code in codes if code not in errors)
        failed = "; ".join(f"{code}: {one_line(error)}" for code, error in errors.items())
        raise SmartCityError(f"{failed}" + (f" (completed: {done})" if done else ""))
    return summary


def _stages(
    run_id: str, inbox: str | None, output: Path, summary: dict, settings: Settings, runner
) -> dict[str, BaseException]:
    """Every stage, filling ``summary``; returns the regions whose scoring or publishing failed."""
    regions: dict[str, dict] = summary["regions"]
    for code, region in regions.items():  # one after the other: loads replace a regency's rows
        region["reference"] = reference_in_place(code)
    summary["ikn"] = ikn_in_place()

    # every file of every region at once on the task runner; each file is its own transaction
    folder = Path(inbox) if inbox else settings.inbox_dir  # a deployment passes none
    files = inbox_files(folder, list(regions), settings.region_code, output)
    for code in regions:
        regions[code]["intake"] = []
    in_flight = 1 if isinstance(runner, ThreadPoolTaskRunner) else 2 * settings.dask_workers
    for f, outcome in _ingest_files(runner, files, in_flight):
        regions[f.region_code]["intake"].append(outcome)
    for code, region in regions.items():
        if any(r["status"] != "duplicate" for r in region["intake"]):
            intake_artifact(region["intake"], code)

    # scoring, where something changed, then publishing, both fanned out over the regions
    site = summary["site"]
    scoring, pages = {}, {}
    for code, region in regions.items():
        new = [r for r in region["intake"] if r["status"] != "duplicate"]
        changed = bool(new) or region["reference"]["loaded"] or summary["ikn"]["loaded"]
        previous = None if changed else reusable_run(settings.scoring_config, code)
        if previous is None:
            parameters = {"config_path": settings.scoring_config, "region_code": code}
            scoring[code] = runner.submit(score, parameters)
            continue
        region["unchanged"] = previous
        index = Path(site) / previous["run_id"] / "index.html"
        if index.is_file():
            region["publish"] = {"index": str(index)}
    for code, future in scoring.items():
        pages[code] = runner.submit(
            write_pages, {"out": site, "offline": True, "lang": "id", "region_code": code}, wait_for=[future]
        )
    for code, region in regions.items():
        if "unchanged" in region and "publish" not in region:
            pages[code] = runner.submit(
                write_pages, {"out": site, "offline": True, "lang": "id", "region_code": code}
            )
    wait([*scoring.values(), *pages.values()])
    errors = {}
    for code, region in regions.items():
        error = _finish_region(run_id, code, region, scoring.get(code), pages.get(code))
        if error is not None:
            errors[code] = error
    return errors


def _ingest_files(runner, files: list[InboxFile], in_flight: int) -> list[tuple[InboxFile, dict]]:
    """Every file through ``ingest_one`` on the runner, at most ``in_flight`` at a time, in inbox order.

    Bounded so that when the database goes away the intake stops after the files in flight (each
    retries, then fails) instead of retrying every file of the inbox; file_outcome raises then.
    """
    outcomes = already_received([(f.path, f.region_code) for f in files]) if files else {}
    queue = [f for f in files if f.path not in outcomes]
    gazetteers = {code: gazetteer_for_region(code) for code in dict.fromkeys(f.region_code for f in queue)}
    pending = {}
    while queue or pending:
        while queue and len(pending) < in_flight:
            f = queue.pop(0)
            parameters = {"path": f.path, "gazetteer": gazetteers[f.region_code], "replace": False,
                          "feedback_dir": f.feedback_dir}  # fmt: skip
            pending[runner.submit(ingest_one, parameters)] = f
        done = next(as_completed(list(pending)))
        done.wait()  # the final state, not the API's possibly older view of it
        f = pending.pop(done)
        outcomes[f.path] = file_outcome(f.path, done.state)  # raises when the database went away
    return [(f, outcomes[f.path]) for f in files]


def _finish_region(run_id: str, code: str, region: dict, scored, published) -> BaseException | None:
    """Collect the region's scoring and publishing outcomes and complete its run-log row; return the
    error that failed the region, if one did."""
    for key, future in (("score", scored), ("publish", published)):
        if future is None:
            continue
        state = future.state
        if not state.is_completed():
            error = state.result(raise_on_failure=False)
            if isinstance(error, BaseException) and is_transient(error):
                error = DatabaseUnavailable(
                    f"the database went away during the {key} step of {code}: {one_line(error, 300)}; "
                    "what was committed stays, and the next run completes the work"
                )
            elif not isinstance(error, BaseException):
                error = SmartCityError(f"{key} of {code} did not complete: {state.message}")
            region["outcome"], region["error"] = "failed", one_line(error)
            _record_failure(run_id, code, error)
            return error
        region[key] = state.result()
    if scored is not None:
        region["top"] = region["score"]["top"] = top_villages_artifact(region["score"]["run_id"], code)
    else:  # the reused run's top villages, for the run summary
        region["top"] = top_villages_artifact(region["unchanged"]["run_id"], code)
    new = [r for r in region["intake"] if r["status"] != "duplicate"]
    region["outcome"] = "unchanged" if "unchanged" in region else "completed"
    scoring_run = region["unchanged"]["run_id"] if "unchanged" in region else region["score"]["run_id"]
    record_finish(run_id, code, region["outcome"], {
        "files_new": len(new), "rows_loaded": sum(r.get("accepted") or 0 for r in new),
        "rows_rejected": sum(r.get("rejected") or 0 for r in new), "scoring_run_id": scoring_run,
        "index_path": region["publish"]["index"],
    })  # fmt: skip
    return None


def _record_failure(run_id: str, code: str, error: BaseException) -> None:
    """Mark the region's run failed; best effort (the database may be the thing that failed)."""
    state = record_finish.with_options(retries=0)(
        run_id, code, "failed", {"error": one_line(error)}, return_state=True
    )
    if not state.is_completed():
        get_run_logger().warning("could not record the failure of %s in smartcity.pipeline_run", code)
