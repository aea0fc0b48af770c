"""``smartcity``: every command is a few lines that call a flow or a core function.

Errors meant for the user (:class:`~smartcity.platform.errors.SmartCityError`) print as one line on stderr
and exit non-zero, never as a traceback. Heavy imports (Prefect, GeoPandas) happen inside the
commands that need them, so ``smartcity db url`` answers fast.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartcity.platform.errors import SmartCityError, one_line, printable
from smartcity.platform.settings import get_settings, task_runner_kind

if TYPE_CHECKING:
    from smartcity.pipeline.state import RegionRun

app = typer.Typer(
    help="Paser Smart City spatial pipeline: worksheets in, explainable spatial priorities out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(
    help="The database: local PostGIS cluster, migrations, connection URLs.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
regions_app = typer.Typer(help="Reference geography: districts and villages.", no_args_is_help=True)
app.add_typer(regions_app, name="regions")
ikn_app = typer.Typer(help="The IKN boundary and its buffer zones.", no_args_is_help=True)
app.add_typer(ikn_app, name="ikn")


def _user_errors(func: Callable) -> Callable:
    """Turn SmartCityError (and a bad setting) into one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SmartCityError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except ValueError as exc:
            message = setting_error(exc)
            if message is None:
                raise
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(1) from None
        except Exception as exc:
            from smartcity.platform.db import is_transient

            if not is_transient(exc):
                raise
            first = one_line(getattr(exc, "orig", None) or exc, 300)
            typer.echo(f"error: the database went away or cannot be reached: {first}", err=True)
            raise typer.Exit(1) from None

    return wrapper


def setting_error(exc: ValueError) -> str | None:
    """One line naming the setting a pydantic ValidationError or pydantic-settings SettingsError is
    about, and what is wrong with it; None for any other ValueError (a bug: its traceback shows)."""
    kind = type(exc).__name__
    if kind == "ValidationError":
        first = exc.errors()[0]
        where = str(first["loc"][0]) if first["loc"] else "?"
        detail = str(first["msg"]).removeprefix("Value error, ")
        if len(first["loc"]) > 1:
            detail += f" (item {first['loc'][1]})"
        return one_line(f"setting SMARTCITY_{where.upper()}: {detail}")
    if kind == "SettingsError":  # pydantic-settings could not even parse the variable
        import re

        field = re.search(r'field "(\w+)"', str(exc))
        name = f"SMARTCITY_{field.group(1).upper()}" if field else "a SMARTCITY_* variable"
        return one_line(f"setting {name}: cannot be parsed ({exc.__cause__ or exc})")
    return None


def existing_database(settings) -> None:
    """Refuse, in one line, to go on where no local cluster exists: a command that only reads never
    creates one (run from another folder it would otherwise make a new, empty cluster there). A stopped
    cluster is started; a configured database (SMARTCITY_DATABASE_URL) is left to its server."""
    from smartcity.platform import local_cluster

    if settings.database_url is None and not local_cluster.status(settings)["created"]:
        folder = settings.state_dir.absolute()
        raise SmartCityError(
            f"no local database in {folder}: run from the project folder, set SMARTCITY_STATE_DIR, "
            "or run `smartcity db up`"
        )


@db_app.command("up")
@_user_errors
def db_up() -> None:
    """Start the database (the local cluster unless SMARTCITY_DATABASE_URL is set), apply migrations."""
    from smartcity.platform import db

    settings = get_settings()
    engine = db.ensure_database(settings)
    typer.echo(f"database ready: {db.describe(engine.url)}")
    typer.echo('connect with: psql "$(smartcity db url)"   (read-only: smartcity db url --reader)')


@db_app.command("down")
@_user_errors
def db_down() -> None:
    """Stop the local cluster (its data stays on disk). Does nothing for a configured database."""
    from smartcity.platform import local_cluster

    settings = get_settings()
    if settings.database_url is not None:
        typer.echo("SMARTCITY_DATABASE_URL is set: that server is not ours to stop.")
        return
    stopped = local_cluster.stop(settings)
    typer.echo("local database stopped" if stopped else "local database was not running")


@db_app.command("status")
@_user_errors
def db_status() -> None:
    """Say where the database is, whether it answers, and which migrations are applied."""
    from smartcity.platform import db, local_cluster

    settings = get_settings()
    existing_database(settings)
    if settings.database_url is None:
        info = local_cluster.status(settings)
        state = "running" if info["running"] else ("stopped" if info["created"] else "not created")
        typer.echo(f"local cluster: {state} at {info['path']} (port {info['port'] or '-'})")
        if not info["running"]:
            raise typer.Exit(3)
    engine = db.get_engine(settings)
    postgis = db.check_database(engine)
    applied, pending = db.migration_status(engine)
    typer.echo(f"database: {db.describe(engine.url)}, PostGIS {postgis}")
    typer.echo(
        f"migrations: {len(applied)} applied, {len(pending)} pending"
        + (f" ({', '.join(pending)})" if pending else "")
    )


@db_app.command("url")
@_user_errors
def db_url(
    reader: Annotated[bool, typer.Option("--reader", help="URL of the read-only role (for QGIS).")] = False,
    sqlalchemy: Annotated[bool, typer.Option("--sqlalchemy", help="SQLAlchemy form.")] = False,
) -> None:
    """Print the connection URL (starting the local cluster if needed), e.g. psql "$(smartcity db url)"."""
    from smartcity.platform import db, local_cluster

    settings = get_settings()
    if settings.database_url is not None:
        if reader:
            raise SmartCityError("--reader is only known for the local cluster; ask your DBA for it")
        url = db.to_sqlalchemy_url(settings.database_url.get_secret_value())
        typer.echo(
            url.render_as_string(hide_password=False)
            if sqlalchemy
            else url.set(drivername="postgresql").render_as_string(hide_password=False)
        )
        return
    existing_database(settings)
    creds = local_cluster.ensure_running(settings)
    typer.echo(creds.url(reader=reader, driver="postgresql+psycopg" if sqlalchemy else "postgresql"))


@db_app.command("migrate")
@_user_errors
def db_migrate() -> None:
    """Apply pending SQL migrations from sql/ (safe to run concurrently: an advisory lock serialises)."""
    from smartcity.platform import db

    settings = get_settings()
    db.bring_up(settings)
    engine = db.get_engine(settings)
    db.check_database(engine)
    applied = db.apply_migrations(engine)
    typer.echo(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))


@app.command("run")
@_user_errors
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
    """Run the whole pipeline once as a Prefect flow (ephemeral Prefect API, no server needed)."""
    from smartcity.intake.inbox import regency_codes

    if inbox is not None and not inbox.is_dir():  # the default inbox may not exist yet: then empty
        raise SmartCityError(f"--inbox {inbox}: no such folder")

    settings = _prefect_ready()
    codes = regency_codes(region or settings.run_regions)
    kind = task_runner_kind(task_runner or settings.task_runner)
    from smartcity.platform.prefect_env import api_configured, local_prefect_api

    folder = inbox or settings.inbox_dir
    with contextlib.ExitStack() as stack:
        api = None
        # No API configured: start Prefect's ephemeral API ourselves, now, so that it comes up while
        # the pipeline is imported (and Dask workers all reach it). Not when Prefect is already imported
        # in this process (its settings are read then): it then starts its own ephemeral API.
        if not api_configured() and "prefect" not in sys.modules:
            api = stack.enter_context(local_prefect_api(settings))
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
    for code, region_run in summary.regions.items():
        if len(codes) > 1:
            typer.echo(f"== region {code}")
        _print_region_run(region_run, folder)


def _print_region_run(region: RegionRun, folder: Path) -> None:
    """What ``smartcity run`` prints of a region that completed (or was unchanged)."""
    reference = region.reference
    typer.echo(
        f"reference geography: loaded {reference['features']} villages from {reference['source']}"
        if reference["loaded"] else f"reference geography of {region.code}: already in place"
    )  # fmt: skip
    if region.intake:
        from smartcity.intake.load import FileResult

        _print_intake([FileResult(**r) for r in region.intake])
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
        _print_top(region.top)
    typer.echo(f"open: {region.pages}")


@app.command("status")
@_user_errors
def status(
    limit: Annotated[int, typer.Option(help="How many runs to show.")] = 10,
    agencies: Annotated[
        bool, typer.Option("--agencies", help="Who has submitted (SMARTCITY_AGENCY_ROSTER) and who has not.")
    ] = False,
    region: RegionOption = None,
) -> None:
    """The last pipeline runs from the database: start, duration, outcome, counts, errors."""

    from smartcity.pipeline.run_log import describe, recent_runs
    from smartcity.platform import db

    settings = get_settings()
    existing_database(settings)
    engine = db.ensure_database(settings)
    if agencies:
        from smartcity.intake.roster import load_roster
        from smartcity.pipeline.agencies import agency_status, status_rows

        roster = load_roster(settings.agency_roster) if settings.agency_roster else None
        runs = status_rows(agency_status(engine, _one_region(settings, region), roster))
        if roster is None:
            typer.echo("no agency roster (SMARTCITY_AGENCY_ROSTER): submissions by agency as written")
        if not runs:
            typer.echo("no submissions yet: smartcity ingest PATH")
            return
        _print_table("Agencies' submissions (roster order)", runs, width=140)
        return
    runs = [describe(r) for r in recent_runs(engine, limit)]
    if not runs:
        typer.echo("no pipeline runs yet: smartcity run")
        return
    _print_table("Pipeline runs (newest first)", runs, width=120)


def _print_table(title: str, rows: list[dict], width: int) -> None:
    """Rows (dicts with the same keys) as a terminal table; text is printed as is, never as markup."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in rows[0]:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row.values())
    Console(markup=False, highlight=False, width=width).print(table)


@app.command("masterplan")
@_user_errors
def masterplan(
    out: Annotated[Path, typer.Option("--out", help="The document to write (.docx).")],
    lang: Annotated[str, typer.Option(help="Language: id (Bahasa Indonesia) or en.")] = "id",
    template: Annotated[
        Path | None, typer.Option(help="A .docx whose styles (Heading 1, 2, Title, Table Grid) to use.")
    ] = None,
    region: RegionOption = None,
) -> None:
    """Write the master plan analysis document of the latest scoring run (Word/LibreOffice .docx)."""
    import tempfile

    from maps.document.masterplan import write_masterplan
    from maps.figures.priority import figures_for_document
    from maps.site import roster_from_settings
    from smartcity.intake.roster import submission_status
    from smartcity.platform import db
    from smartcity.scoring.results import read_map_data

    if lang not in ("id", "en"):
        raise SmartCityError(f"--lang must be id or en, not {lang!r}")
    if template is not None and not template.is_file():
        raise SmartCityError(f"--template {template}: no such file")
    settings = get_settings()
    existing_database(settings)
    data = read_map_data(db.ensure_database(settings), _one_region(settings, region))
    roster = roster_from_settings()
    with tempfile.TemporaryDirectory(prefix="smartcity-figures-") as folder:
        figures = figures_for_document(data, Path(folder), lang)
        path = write_masterplan(
            data, out, lang=lang, agencies=submission_status(roster, data.submissions), figures=figures,
            template=template,
        )  # fmt: skip
    typer.echo(f"master plan document: {path}")


@app.command("serve")
@_user_errors
def serve() -> None:
    """Serve the pipeline on its schedule (SMARTCITY_SCHEDULE_CRON); needs a Prefect server."""
    settings = get_settings()
    from smartcity.platform.prefect_env import configure_prefect

    configure_prefect(settings)
    from prefect.schedules import Cron

    from flows.pipeline import pipeline

    pipeline.serve(
        name="smartcity-scheduled", schedules=[Cron(settings.schedule_cron, timezone=settings.timezone)]
    )


def _prefect_ready():
    """Settings, after making sure the database answers (fast, one line) and Prefect is configured."""
    from smartcity.platform import db
    from smartcity.platform.prefect_env import configure_prefect

    settings = get_settings()
    # Fail fast, in one line, on a database that is not there: before Prefect starts (~10-30 s).
    db.bring_up(settings)
    db.check_database(db.get_engine(settings))
    configure_prefect(settings)
    return settings


def _own_prefect_api(stack: contextlib.ExitStack, settings):
    """Start Prefect's API for this command's flow in a process of our own (as ``smartcity run`` does),
    when none is configured and Prefect is not imported yet: it dies with this process, even a killed
    one (``local_prefect_api``), where the ephemeral server Prefect starts itself would be orphaned.
    Returns the LocalApi (call ``.ready()`` before the flow) or None."""
    from smartcity.platform.prefect_env import api_configured, local_prefect_api

    if api_configured() or "prefect" in sys.modules:
        return None
    return stack.enter_context(local_prefect_api(settings))


def _print_report(report: dict) -> None:
    from smartcity.reference.load import LoadReport

    for line in LoadReport(**report).lines():
        typer.echo(line)


def _regions(settings, region: list[str] | None, all_regions: bool) -> list[str] | None:
    from smartcity.platform.vocabulary import regency_code

    if all_regions:
        return None
    try:
        return [regency_code(r) for r in (region or [settings.region_code])]
    except ValueError:
        raise SmartCityError(
            f"--region takes regency codes like 64.01, got {', '.join(region or [])}"
        ) from None


Level = Annotated[str, typer.Option("--level", help="district (kecamatan) or village (desa/kelurahan).")]
Region = Annotated[
    list[str] | None,
    typer.Option("--region", help="Regency code(s) to load from the file (default SMARTCITY_REGION_CODE)."),
]

Names = Annotated[
    Path | None,
    typer.Option(
        help="CSV of district/regency names (kode, nama) for regencies the shipped Kaltim code list lacks."
    ),
]


@regions_app.command("load")
@_user_errors
def regions_load(
    path: Annotated[
        Path, typer.Argument(help="GeoJSON, Shapefile, GeoPackage, FlatGeobuf or upstream .sql.")
    ],
    level: Level = "village",
    code_field: Annotated[str | None, typer.Option(help="Field with the Kemendagri code.")] = None,
    name_field: Annotated[str | None, typer.Option(help="Field with the name.")] = None,
    parent_field: Annotated[str | None, typer.Option(help="Field with the parent's code (checked).")] = None,
    crs: Annotated[
        str | None, typer.Option(help="CRS of a file that declares none, e.g. EPSG:32750.")
    ] = None,
    region: Region = None,
    all_regions: Annotated[bool, typer.Option(help="Load every regency in the file.")] = False,
    attributes: Annotated[
        Path | None, typer.Option(help="CSV keyed by code: population, area, IDM score/status.")
    ] = None,
    derive_districts: Annotated[
        bool | None,
        typer.Option(
            "--derive-districts/--keep-districts",
            help="Dissolve villages into districts (default: unless official districts are loaded).",
        ),
    ] = None,  # fmt: skip
    overlap_tolerance: Annotated[float, typer.Option(help="Report sibling overlaps above this, km².")] = 0.05,
    names: Names = None,
) -> None:
    """Load district or village boundaries (any format and CRS) into the reference geography."""
    settings = _prefect_ready()
    from flows.regions import load_regions

    options = {
        "level": level, "code_field": code_field, "name_field": name_field, "parent_field": parent_field,
        "crs": crs, "regions": _regions(settings, region, all_regions),
        "attributes": str(attributes) if attributes else None, "derive_districts": derive_districts,
        "overlap_tolerance_km2": overlap_tolerance, "names": str(names) if names else None,
    }  # fmt: skip
    _print_report(load_regions(str(path), options))


@regions_app.command("fetch")
@_user_errors
def regions_fetch(
    code: Annotated[str, typer.Argument(help="Kemendagri regency code, e.g. 64.01 (Paser) or 6409.")],
    base_url: Annotated[str | None, typer.Option(help="Mirror of cahyadsn/wilayah_boundaries.")] = None,
    attributes: Annotated[Path | None, typer.Option(help="CSV keyed by code (population, IDM).")] = None,
    names: Names = None,
) -> None:
    """Download a regency's public village boundaries (cahyadsn/wilayah_boundaries, MIT) and load them."""
    settings = _prefect_ready()
    from flows.regions import fetch_regions

    (regency,) = _regions(settings, [code], False)
    options = {"attributes": str(attributes) if attributes else None, "names": str(names) if names else None}
    _print_report(fetch_regions(regency, base_url or settings.boundaries_base_url, options))


RegionOption = Annotated[
    str | None, typer.Option("--region", help="Regency code (default SMARTCITY_REGION_CODE), e.g. 64.09.")
]


def _one_region(settings, region: str | None) -> str:
    from smartcity.intake.inbox import regency_codes

    return regency_codes([region])[0] if region else settings.region_code


@app.command("ingest")
@_user_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Worksheet files or folders (.xlsx .xls .ods .csv).")],
    replace: Annotated[
        bool, typer.Option(help="Replace each agency's earlier rows (history stays in intake.submission).")
    ] = False,
    region: RegionOption = None,
) -> None:
    """Ingest agency worksheets: validate, place every row, load; feedback files for the agencies."""
    settings = _prefect_ready()
    from smartcity.intake.load import FileResult, worksheet_files

    code = _one_region(settings, region)
    files = worksheet_files([str(p) for p in paths])
    if not files:
        shown = printable(", ".join(map(str, paths)))
        raise SmartCityError(f"no worksheet files (.xlsx .xls .ods .csv) in {shown}")
    # feedback mirrors the inbox: the home region's in feedback/, another region's in feedback/<code>/
    feedback = settings.output_dir / "feedback" / ("" if code == settings.region_code else code)
    with contextlib.ExitStack() as stack:
        api = _own_prefect_api(stack, settings)
        from flows.intake import ingest as ingest_flow

        if api is not None:
            api.ready()
        results = [FileResult(**r) for r in ingest_flow(files, replace, code, str(feedback))]
    _print_intake(results)
    typer.echo(f"feedback for agencies: {printable(feedback)}")
    not_loaded = sum(r.not_loaded for r in results)
    if not_loaded:  # a script or scheduler must see that files were not loaded
        typer.echo(f"error: {not_loaded} of {len(results)} files not loaded (see above)", err=True)
        raise typer.Exit(1)


PLACED_BY = ("code", "point", "name", "district", "regency")


def _print_intake(results) -> None:
    """A compact per-file table that fits an 80-column terminal (the Prefect artifact has every column)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title="Worksheet intake: rows = ok + rej + skip (not data: header, totals, signatures); "
        "ok placed by code, point, name, district, or regency-wide (kab)",
        title_justify="left", box=box.SIMPLE_HEAD,
    )  # fmt: skip
    table.add_column("file", width=16, no_wrap=True, overflow="ellipsis")
    table.add_column("status", no_wrap=True)
    for column in ("rows", "ok", "rej", "skip", "code", "point", "name", "dist", "kab"):
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    for r in results:
        counts = [r.rows_total, r.accepted, r.rejected, r.skipped, *(r.placed.get(m, 0) for m in PLACED_BY)]
        status = "failed before" if r.not_loaded and r.status == "duplicate" else r.status
        table.add_row(printable(r.file_name), status, *map(str, counts))
    Console(markup=False, highlight=False).print(table)
    for r in results:
        if r.status == "failed":
            typer.echo(f"failed: {printable(r.file_name)}: {printable(r.error)}")
        elif r.not_loaded:
            typer.echo(f"not loaded: {r.line()}")
        elif len(r.sheets) > 1 or any("skipped_sheet" in s for s in r.sheets):
            for s in r.sheets:
                name = printable(s["sheet"])
                if "skipped_sheet" in s:
                    typer.echo(f"  {printable(r.file_name)} / {name}: not read ({s['skipped_sheet']})")
                else:
                    typer.echo(
                        f"  {printable(r.file_name)} / {name}: {s['seen']} rows = {s['loaded']} loaded + "
                        f"{s['rejected']} rejected + {s['skipped']} skipped"
                    )
    total = sum(r.rows_total for r in results)
    loaded = sum(r.accepted for r in results)
    skipped = sum(r.skipped for r in results)
    failed = sum(r.status == "failed" for r in results)
    again = sum(r.status == "duplicate" and r.not_loaded for r in results)
    duplicates = sum(r.status == "duplicate" for r in results) - again
    typer.echo(
        f"{len(results)} files: {total} rows, {loaded} loaded, {total - loaded - skipped} rejected, "
        f"{skipped} skipped, "
        f"{failed} files failed, {duplicates} duplicates (already loaded)"
        + (f", {again} sent again after failing (not loaded)" if again else "")
    )


@app.command("score")
@_user_errors
def score(
    config: Annotated[
        Path | None,
        typer.Option(
            help="Scoring model (TOML) merged over the shipped default; see `smartcity score --help`."
        ),
    ] = None,
    top: Annotated[int, typer.Option(help="How many top villages to print.")] = 10,
    region: RegionOption = None,
) -> None:
    """Score priority areas (villages and districts), hot spots and robustness; record the run in mart."""
    from smartcity.scoring.model import load_config

    settings = get_settings()
    path = str(config) if config else settings.scoring_config
    model = load_config(path)  # a mistake in the model fails here, in one line, before Prefect starts
    _prefect_ready()
    with contextlib.ExitStack() as stack:
        api = _own_prefect_api(stack, settings)
        from flows.score import score_priorities

        if api is not None:
            api.ready()
        run = score_priorities(path, _one_region(settings, region))
    typer.echo(
        f"scoring run {run['run_id']}: {run['villages']} villages, {run['districts']} districts, "
        f"{run['issues']} issues; model {model.source} ({model.hash})"
    )
    if run["dropped"]:
        typer.echo(f"left out for lack of data: {', '.join(run['dropped'])}")
    _print_top(run["top"][:top])


def _print_top(rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Top priority villages", title_justify="left")
    for column in ("rank", "village", "score", "class", "issues", "p(top)", "hot spot"):
        table.add_column(
            column, no_wrap=True, justify="right" if column in ("rank", "score", "issues") else "left"
        )
    for r in rows:
        p_top = r["stays in top (share of draws)"]
        table.add_row(
            str(r["rank"]), printable(r["village"]), f"{r['score']:.1f}", r["class"], str(r["issues"]),
            "" if p_top is None else f"{p_top:.2f}", r["hot spot"] or "",
        )  # fmt: skip
    Console(markup=False, highlight=False).print(table)


@app.command("publish")
@_user_errors
def publish(
    out: Annotated[
        Path | None, typer.Option(help="Folder for the pages (default SMARTCITY_OUTPUT_DIR/site).")
    ] = None,
    offline: Annotated[
        bool, typer.Option(help="Pages that load nothing remote (assets next to them, no basemap).")
    ] = False,
    lang: Annotated[str, typer.Option(help="Language of the pages: id (Bahasa Indonesia) or en.")] = "id",
    region: RegionOption = None,
) -> None:
    """Publish the latest scoring run: priority map, report (index.html), figures, CSV and GeoJSON."""
    if lang not in ("id", "en"):
        raise SmartCityError(f"--lang must be id or en, not {lang!r}")
    settings = _prefect_ready()
    folder = out or settings.output_dir / "site"
    with contextlib.ExitStack() as stack:
        api = _own_prefect_api(stack, settings)
        from flows.publish import publish_maps

        if api is not None:
            api.ready()
        result = publish_maps(str(folder), offline, lang, _one_region(settings, region))
    typer.echo(f"map page: {result['map_bytes'] / 1e6:.1f} MB, {len(result['files'])} files")
    typer.echo(f"open: {result['index']}")


@app.command("features")
@_user_errors
def features(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port (default SMARTCITY_FEATURES_PORT, 8081).")] = None,
) -> None:
    """Serve mart and ref over OGC API Features (tipg) as the read-only role, for QGIS and web clients.

    The command becomes the server (exec): Ctrl-C or SIGTERM stops it, nothing is left listening, and
    the owner-role connection of the check is closed before serving."""
    import os

    from smartcity.platform import db
    from smartcity.platform.feature_server import install_catalog, server_command

    settings = get_settings()
    existing_database(settings)
    db.bring_up(settings)
    engine = db.get_engine(settings)
    db.check_database(engine)
    db.apply_migrations(engine)  # an older database gets what the server needs (017: the tipg schema)
    install_catalog(engine)  # tipg's catalogue functions, as the owner: the reader creates nothing
    engine.dispose()  # no owner-role connection while serving
    argv, env = server_command(settings, host, port or settings.features_port)
    typer.echo(
        f"OGC API Features on http://{host}:{port or settings.features_port}/collections (Ctrl-C stops)"
    )
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(argv[0], argv, env)


@app.command("template")
@_user_errors
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


@ikn_app.command("load")
@_user_errors
def ikn_load(
    path: Annotated[
        Path | None, typer.Argument(help="Official IKN boundary file; none: the shipped approximate one.")
    ] = None,
) -> None:
    """Load the IKN boundary, its buffer zones (SMARTCITY_IKN_RINGS_KM) and every area's distance to it."""
    settings = _prefect_ready()
    with contextlib.ExitStack() as stack:
        api = _own_prefect_api(stack, settings)
        from flows.ikn import load_ikn_flow

        if api is not None:
            api.ready()
        report = load_ikn_flow(str(path) if path else None)
    from smartcity.reference.ikn_load import IknReport

    for line in IknReport(**report).lines():
        typer.echo(line)
