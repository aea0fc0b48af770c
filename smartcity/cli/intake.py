"""``smartcity ingest`` and ``template``: agencies' worksheets in, and the blank worksheet out."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from smartcity.cli.app import RegionOption, app
from smartcity.cli.common import (
    one_region,
    prefect_api,
    prefect_ready,
    print_intake,
    user_errors,
)
from smartcity.platform.errors import SmartCityError, printable
from smartcity.platform.settings import get_settings


@app.command("ingest")
@user_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Worksheet files or folders (.xlsx .xls .ods .csv).")],
    replace: Annotated[
        bool, typer.Option(help="Replace each agency's earlier rows (history stays in intake.submission).")
    ] = False,
    region: RegionOption = None,
) -> None:
    """Ingest agency worksheets: validate, place every row, load; feedback files for the agencies."""
    settings = prefect_ready()
    from smartcity.intake.load import FileResult, received_before, worksheet_files
    from smartcity.platform import db

    code = one_region(settings, region)
    files = worksheet_files([str(p) for p in paths])
    if not files:
        shown = printable(", ".join(map(str, paths)))
        raise SmartCityError(f"no worksheet files (.xlsx .xls .ods .csv) in {shown}")
    # feedback mirrors the inbox: the home region's in feedback/, another region's in feedback/<code>/
    feedback = settings.output_dir / "feedback" / ("" if code == settings.region_code else code)
    engine = db.get_engine(settings)
    db.apply_migrations(engine)  # as the flow would first: the answer below reads the intake's tables
    results = received_before(engine, files, code)
    if results is not None:  # nothing to do: answered from the database, before any Prefect API starts
        typer.echo("every file was received before: nothing read again, no flow run")
    else:
        with contextlib.ExitStack() as stack:
            api = prefect_api(stack, settings)
            from flows.intake import ingest as ingest_flow

            if api is not None:
                api.ready()
            results = [FileResult(**r) for r in ingest_flow(files, replace, code, str(feedback))]
    print_intake(results)
    typer.echo(f"feedback for agencies: {printable(feedback)}")
    not_loaded = sum(r.not_loaded for r in results)
    if not_loaded:  # a script or scheduler must see that files were not loaded
        typer.echo(f"error: {not_loaded} of {len(results)} files not loaded (see above)", err=True)
        raise typer.Exit(1)


@app.command("template")
@user_errors
def template(out: Annotated[Path, typer.Argument(help="Where to write the .xlsx worksheet.")]) -> None:
    """Write the official worksheet (kertas kerja) with drop-downs for the region's places."""
    from smartcity.intake.answer.template import write_template
    from smartcity.intake.load import load_gazetteer, regency_name
    from smartcity.platform import db

    settings = get_settings()
    engine = db.ensure_database(settings)
    gazetteer = load_gazetteer(engine, settings.region_code)
    names = dict(zip(gazetteer.districts["code"], gazetteer.districts["name"], strict=True))
    villages = gazetteer.villages[["code", "name", "district_code"]].assign(
        district_name=lambda f: f["district_code"].map(names)
    )
    write_template(
        out,
        region_name=regency_name(engine, settings.region_code),
        districts=gazetteer.districts[["code", "name"]],
        villages=villages,
    )
    typer.echo(f"template written: {out}")
