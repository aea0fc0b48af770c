"""The ``smartcity`` Typer app and its command groups (``db``, ``regions``, ``ikn``), shared option types."""

from __future__ import annotations

from typing import Annotated

import typer

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

RegionOption = Annotated[
    str | None, typer.Option("--region", help="Regency code (default SMARTCITY_REGION_CODE), e.g. 64.09.")
]
