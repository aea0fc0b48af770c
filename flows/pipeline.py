"""The pipeline as one parent flow, for one region or several.

Stages: database and schema -> reference geography of each region -> IKN boundary and zones -> new
worksheets from the inbox (every file of every region, fanned out on the task runner) -> priority
scores of each region whose inputs changed (fanned out) -> published pages of each region
(SMARTCITY_OUTPUT_DIR/site/<run_id>/index.html; offline pages, see maps/site.py).

Regions are isolated by their codes in one set of tables (migration 011): each has its own inbox
folder, submissions, scoring runs, pages and row in smartcity.pipeline_run, and a region whose
scoring or publishing fails does not stop the others (the run fails at the end, naming it). The
database going away stops the whole run, since every region needs it.

This flow only sequences the tasks and asks :mod:`smartcity.pipeline.decisions` the rest (did a region
change, can its pages be reused, how many files in flight, what error a failure ends with, what the
run log records); what it learns is kept in a typed :class:`~smartcity.pipeline.state.PipelineRun`,
which it returns.

Decisions (README, "Running the pipeline"): the stages are tasks of this one flow, not sub-flows (a
sub-flow costs 1.1-1.6 s of Prefect bookkeeping and cannot share this run's Dask task runner); what a
re-run may skip is decided by content already in the database (file sha256, scoring inputs), not by
Prefect's result cache.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, runtime
from prefect.artifacts import create_markdown_artifact
from prefect.futures import PrefectFuture, as_completed, wait
from prefect.task_runners import TaskRunner

from flows.runners import task_runner as make_task_runner
from smartcity.intake.inbox import InboxFile, inbox_files, regency_codes
from smartcity.pipeline import decisions
from smartcity.pipeline.state import PipelineRun, RegionRun
from smartcity.pipeline.summary import summary_markdown
from smartcity.platform import db
from smartcity.platform.errors import one_line
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
) -> PipelineRun:
    """Run every stage for each region and return the run (:class:`PipelineRun`, ``regions``: {code:
    :class:`RegionRun`}).

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
    output = Path(out) if out else settings.output_dir
    run = PipelineRun.start(regency_codes(regions or settings.run_regions), site=str(output / "site"))
    folder = Path(inbox) if inbox else settings.inbox_dir  # a deployment passes none
    kind, address = task_runner or settings.task_runner, dask_address or settings.dask_address
    try:
        _run(str(runtime.flow_run.id), run, folder, output, settings, kind, address)
        return run
    except BaseException as exc:
        run.error = one_line(exc)
        raise
    finally:
        _summary_artifact(run, settings.site_url)


def _summary_artifact(run: PipelineRun, site_url: str | None) -> None:
    """The run summary artifact; never the reason a run fails, nor a mask over the reason it did."""
    try:
        markdown = summary_markdown(run, site_url)
        create_markdown_artifact(
            key="pipeline-summary", markdown=markdown, description="Summary of the pipeline run"
        )
    except Exception as exc:  # noqa: BLE001 - the API may be the thing that failed
        get_run_logger().warning("the run summary artifact was not written: %s", one_line(exc))


def _run(
    run_id: str,
    run: PipelineRun,
    inbox: Path,
    output: Path,
    settings: Settings,
    kind: str,
    address: str | None,
) -> None:
    """The database, then every stage holding the regions' lock, on the task runner of ``kind``;
    raises the run's error when a region failed (decisions.run_error)."""
    run.database = ensure_database()
    codes = list(run.regions)
    # one run per region at a time (SMARTCITY_RUN_LOCK: wait behind the other, or fail)
    with db.region_lock(db.get_engine(settings), codes, settings.run_lock) as waited:
        if waited:
            print(f"waited for another pipeline run of {', '.join(codes)} to finish")
        runner = make_task_runner(kind, address, settings.dask_workers)
        in_flight = decisions.files_in_flight(kind, settings.dask_workers)
        for code in codes:
            record_start(run_id, code)
        try:
            with runner:
                errors = _stages(run_id, run, inbox, output, settings, runner, in_flight)
        except Exception as exc:
            for region in run.unfinished:
                _record_failure(run_id, region.code, exc)
            raise
    if (error := decisions.run_error(errors, codes)) is not None:
        raise error


def _stages(
    run_id: str,
    run: PipelineRun,
    inbox: Path,
    output: Path,
    settings: Settings,
    runner: TaskRunner,
    in_flight: int,
) -> dict[str, BaseException]:
    """Every stage in order, filling ``run``; returns the regions whose scoring or publishing failed."""
    _reference(run)
    _intake(run, inbox, output, settings, runner, in_flight)
    scoring = _score(run, settings, runner)
    pages = _publish(run, runner, scoring)
    wait([*scoring.values(), *pages.values()])
    errors = {}
    for code, region in run.regions.items():
        if (error := _finish_region(run_id, region, scoring.get(code), pages.get(code))) is not None:
            errors[code] = error
    return errors


def _reference(run: PipelineRun) -> None:
    """Each region's reference geography, then the IKN boundary, in place."""
    for region in run.regions.values():  # one after the other: loads replace a regency's rows
        region.reference = reference_in_place(region.code)
    run.ikn = ikn_in_place()


def _intake(
    run: PipelineRun, inbox: Path, output: Path, settings: Settings, runner: TaskRunner, in_flight: int
) -> None:
    """Every file of every region at once on the task runner (each file is its own transaction); an
    intake artifact for each region that read a new file."""
    files = inbox_files(inbox, list(run.regions), settings.region_code, output)
    for region in run.regions.values():
        region.intake = []
    for f, outcome in _ingest_files(runner, files, in_flight):
        run.regions[f.region_code].intake.append(outcome)
    for region in run.regions.values():
        if region.new_files:
            intake_artifact(region.intake, region.code)


def _score(run: PipelineRun, settings: Settings, runner: TaskRunner) -> dict[str, PrefectFuture]:
    """Submit the scoring of each region that changed or cannot reuse its last scoring run (fanned
    out); the others reuse it, and its pages when they are still there."""
    scoring = {}
    for code, region in run.regions.items():
        if not decisions.region_changed(region, run.ikn["loaded"]):
            region.reused = reusable_run(settings.scoring_config, code)
        if region.reused is None:
            parameters = {"config_path": settings.scoring_config, "region_code": code}
            scoring[code] = runner.submit(score, parameters)
        else:
            region.pages = decisions.reusable_pages(run.site, region.reused["run_id"])
    return scoring


def _publish(
    run: PipelineRun, runner: TaskRunner, scoring: dict[str, PrefectFuture]
) -> dict[str, PrefectFuture]:
    """Submit the pages of each region scored (after its scoring) and of each region reusing a scoring
    run whose pages are gone."""
    parameters = {"out": run.site, "offline": True, "lang": "id"}
    pages = {}
    for code, future in scoring.items():
        pages[code] = runner.submit(write_pages, {**parameters, "region_code": code}, wait_for=[future])
    for code, region in run.regions.items():
        if region.reused is not None and region.pages is None:
            pages[code] = runner.submit(write_pages, {**parameters, "region_code": code})
    return pages


def _ingest_files(runner: TaskRunner, files: list[InboxFile], in_flight: int) -> list[tuple[InboxFile, dict]]:
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


def _finish_region(
    run_id: str, region: RegionRun, scored: PrefectFuture | None, published: PrefectFuture | None
) -> BaseException | None:
    """Collect the region's scoring and publishing outcomes and complete its run-log row; return the
    error that failed the region, if one did (decisions.step_error)."""
    for step, future in (("score", scored), ("publish", published)):
        if future is None:
            continue
        state = future.state
        if not state.is_completed():
            result = state.result(raise_on_failure=False)
            error = decisions.step_error(step, region.code, result, state.message)
            region.outcome, region.error = "failed", one_line(error)
            _record_failure(run_id, region.code, error)
            return error
        if step == "score":
            region.score = state.result()
        else:
            region.pages = state.result()["index"]
    region.top = top_villages_artifact(region.scoring_run_id, region.code)  # this run's or the reused one's
    region.outcome = decisions.finished_outcome(region)
    record_finish(run_id, region.code, region.outcome, decisions.finish_counts(region))
    return None


def _record_failure(run_id: str, code: str, error: BaseException) -> None:
    """Mark the region's run failed; best effort (the database may be the thing that failed)."""
    state = record_finish.with_options(retries=0)(
        run_id, code, "failed", {"error": one_line(error)}, return_state=True
    )
    if not state.is_completed():
        get_run_logger().warning("could not record the failure of %s in smartcity.pipeline_run", code)
