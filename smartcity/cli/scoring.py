"""``smartcity score``, ``publish`` and ``masterplan``: priorities scored, pages and the document written."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from smartcity.cli.app import RegionOption, app
from smartcity.cli.common import (
    existing_database,
    one_region,
    prefect_api,
    prefect_ready,
    print_top,
    user_errors,
)
from smartcity.platform.errors import SmartCityError
from smartcity.platform.settings import get_settings


@app.command("score")
@user_errors
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
    prefect_ready()
    with contextlib.ExitStack() as stack:
        api = prefect_api(stack, settings)
        from flows.score import score_priorities

        if api is not None:
            api.ready()
        run = score_priorities(path, one_region(settings, region))
    typer.echo(
        f"scoring run {run['run_id']}: {run['villages']} villages, {run['districts']} districts, "
        f"{run['issues']} issues; model {model.source} ({model.hash})"
    )
    if run["dropped"]:
        typer.echo(f"left out for lack of data: {', '.join(run['dropped'])}")
    print_top(run["top"][:top])


@app.command("publish")
@user_errors
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
    settings = prefect_ready()
    folder = out or settings.output_dir / "site"
    with contextlib.ExitStack() as stack:
        api = prefect_api(stack, settings)
        from flows.publish import publish_maps

        if api is not None:
            api.ready()
        result = publish_maps(str(folder), offline, lang, one_region(settings, region))
    typer.echo(f"map page: {result['map_bytes'] / 1e6:.1f} MB, {len(result['files'])} files")
    typer.echo(f"open: {result['index']}")


@app.command("masterplan")
@user_errors
def masterplan(
    out: Annotated[Path, typer.Option("--out", help="The document to write (.docx).")],
    lang: Annotated[str, typer.Option(help="Language: id (Bahasa Indonesia) or en.")] = "id",
    template: Annotated[
        Path | None, typer.Option(help="A .docx whose styles (Heading 1, 2, Title, Table Grid) to use.")
    ] = None,
    paper: Annotated[
        str | None, typer.Option(help="a4 or f4 (21.5 x 33 cm); default: SMARTCITY_PAPER (a4).")
    ] = None,
    region: RegionOption = None,
) -> None:
    """Write the master plan analysis document of the latest scoring run (Word/LibreOffice .docx), and the
    complete list of issues beside it (lampiran_isu.xlsx; issues_annex.xlsx in English)."""
    import tempfile

    from maps.document.annex import annex_name, write_annex
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
    paper = (paper or settings.paper).lower()
    if paper not in ("a4", "f4"):
        raise SmartCityError(f"--paper must be a4 or f4, not {paper!r}")
    existing_database(settings)
    data = read_map_data(db.ensure_database(settings), one_region(settings, region))
    roster = roster_from_settings()
    with tempfile.TemporaryDirectory(prefix="smartcity-figures-") as folder:
        figures = figures_for_document(data, Path(folder), lang)
        annex = out.with_name(annex_name(lang))
        path = write_masterplan(
            data, out, lang=lang, agencies=submission_status(roster, data.submissions), figures=figures,
            template=template, paper=paper, timezone=settings.timezone, annex=annex.name,
        )  # fmt: skip
    write_annex(data.issue_texts, annex, lang, paper)
    typer.echo(f"master plan document: {path}")
    typer.echo(f"issue workbook: {annex}")
