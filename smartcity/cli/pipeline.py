"""``smartcity run``, ``status`` and ``serve``: the whole pipeline once, what ran, and on a schedule."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartcity.cli.app import RegionOption, app
from smartcity.cli.common import (
    existing_database,
    one_region,
    prefect_api,
    prefect_ready,
    print_intake,
    print_table,
    print_top,
    user_errors,
)
from smartcity.platform.errors import SmartCityError
from smartcity.platform.settings import get_settings, task_runner_kind

if TYPE_CHECKING:
    from smartcity.pipeline.state import RegionRun


@app.command("run")
@user_errors
def run(
    inbox: Annotated[
        Path | None, typer.Option(help="Folder of agency worksheets (default SMARTCITY_INBOX_DIR).")
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            help="Regency code to run; repeat for several (default SMARTCITY_REGIONS, else "
            "SMARTCITY_REGION_CODE). Worksheets of a region other than SMARTCITY_REGION_CODE are read "
            "from INBOX/<code>/.",
        ),
    ] = None,
    task_runner: Annotated[
        str | None,
        typer.Option(help="default (one task at a time) or dask (in parallel; SMARTCITY_TASK_RUNNER)."),
    ] = None,
    dask_address: Annotated[
        str | None, typer.Option(help="Existing Dask scheduler (tcp://host:8786); unset: a local cluster.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Output folder: pages in OUT/site/, feedback in OUT/feedback/ (default "
            "SMARTCITY_OUTPUT_DIR)."
        ),
    ] = None,
) -> None:
    """Run the whole pipeline once as a Prefect flow (through `smartcity up`'s server when it is up, else a
    temporary API of its own); an unchanged inbox is answered from the database, without a flow run."""
    from smartcity.intake.inbox import regency_codes

    if inbox is not None and not inbox.is_dir():  # the default inbox may not exist yet: then empty
        raise SmartCityError(f"--inbox {inbox}: no such folder")

    settings = prefect_ready()
    codes = regency_codes(region or settings.run_regions)
    kind = task_runner_kind(task_runner or settings.task_runner)
    folder = inbox or settings.inbox_dir
    if _answered_unchanged(settings, codes, folder, out or settings.output_dir):
        return
    with contextlib.ExitStack() as stack:
        # started now, so that it comes up while the pipeline is imported (and Dask workers reach it)
        api = prefect_api(stack, settings)
        from flows.pipeline import pipeline

        if api is not None:
            url = api.ready()
            if kind == "dask":
                typer.echo(f"local Prefect server for the Dask workers: {url}")
        summary = pipeline(str(folder) if folder.is_dir() else None, codes, kind, dask_address,
                           str(out) if out else None)  # fmt: skip
    typer.echo(f"database ready: {summary.database['database']}")
    ikn = summary.ikn
    typer.echo(
        f"IKN boundary: loaded from {ikn['source']}" if ikn["loaded"] else "IKN boundary: already in place"
    )
    _print_regions(summary.regions, folder)


def _print_regions(regions: dict[str, RegionRun], folder: Path) -> None:
    """Each region of a run (headed by its code when the run has several)."""
    for code, region_run in regions.items():
        if len(regions) > 1:
            typer.echo(f"== region {code}")
        _print_region_run(region_run, folder)


def _answered_unchanged(settings, codes: list[str], folder: Path, output: Path) -> bool:
    """Print the run and return True when nothing changed for any region (answered from the database,
    logged as an unchanged run, no flow run); False when the flow must run."""
    from smartcity.pipeline.unchanged import unchanged_run
    from smartcity.platform import db

    engine = db.get_engine(settings)
    db.apply_migrations(engine)  # as the flow would first (a changed migration file stops here too)
    regions = unchanged_run(engine, settings, codes, folder, output)
    if regions is None:
        return False
    typer.echo(f"database ready: {db.describe(engine.url)}")
    typer.echo("IKN boundary: already in place")
    _print_regions(regions, folder)
    typer.echo("nothing to do: answered from the database, no flow run (`smartcity status` lists it)")
    return True


def _print_region_run(region: RegionRun, folder: Path) -> None:
    """What ``smartcity run`` prints of a region that completed (or was unchanged)."""
    reference = region.reference
    typer.echo(
        f"reference geography: loaded {reference['features']} villages from {reference['source']}"
        if reference["loaded"] else f"reference geography of {region.code}: already in place"
    )  # fmt: skip
    if region.intake:
        from smartcity.intake.load import FileResult

        print_intake([FileResult(**r) for r in region.intake])
    else:
        typer.echo(f"worksheets: none in {folder} for {region.code}")
    if region.reused is not None:
        typer.echo(
            f"nothing changed since scoring run {region.reused['run_id']} (same worksheets, model and "
            "reference): scores and pages reused"
        )
    else:
        run = region.score
        typer.echo(
            f"priority scores: run {run['run_id']}, {run['villages']} villages, {run['issues']} issues"
        )
        print_top(region.top)
    typer.echo(f"open: {region.pages}")


@app.command("status")
@user_errors
def status(
    limit: Annotated[int, typer.Option(help="How many runs to show.")] = 10,
    agencies: Annotated[
        bool, typer.Option("--agencies", help="Who has submitted (SMARTCITY_AGENCY_ROSTER) and who has not.")
    ] = False,
    region: RegionOption = None,
) -> None:
    """The local stack (PostGIS, Prefect server), then the last pipeline runs: start, duration,
    outcome, counts, errors."""
    from smartcity.cli.stack import stack_lines

    settings = get_settings()
    if not agencies:
        for line in stack_lines(settings):
            typer.echo(line)
    from smartcity.pipeline.run_log import describe, recent_runs
    from smartcity.platform import db

    existing_database(settings)
    engine = db.ensure_database(settings)
    if agencies:
        from smartcity.intake.roster import load_roster
        from smartcity.pipeline.agencies import agency_status, status_rows

        roster = load_roster(settings.agency_roster) if settings.agency_roster else None
        runs = status_rows(agency_status(engine, one_region(settings, region), roster))
        if roster is None:
            typer.echo("no agency roster (SMARTCITY_AGENCY_ROSTER): submissions by agency as written")
        if not runs:
            typer.echo("no submissions yet: smartcity ingest PATH")
            return
        print_table("Agencies' submissions (roster order)", runs, width=140)
        return
    runs = [describe(r) for r in recent_runs(engine, limit)]
    if not runs:
        typer.echo("no pipeline runs yet: smartcity run")
        return
    print_table("Pipeline runs (newest first)", runs, width=120)


@app.command("serve")
@user_errors
def serve() -> None:
    """Serve the pipeline on its schedule (SMARTCITY_SCHEDULE_CRON); needs a Prefect server
    (`smartcity up`, or PREFECT_API_URL), whose UI then shows the deployment and its schedule."""
    settings = get_settings()
    from smartcity.platform.prefect_env import configure_prefect

    configure_prefect(settings)
    from prefect.schedules import Cron

    from flows.pipeline import pipeline

    pipeline.serve(
        name="smartcity-scheduled", schedules=[Cron(settings.schedule_cron, timezone=settings.timezone)]
    )
