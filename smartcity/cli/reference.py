"""``smartcity regions`` and ``smartcity ikn``: reference geography into ``ref``."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from smartcity.cli.app import ikn_app, regions_app
from smartcity.cli.common import (
    prefect_api,
    prefect_ready,
    print_report,
    user_errors,
)
from smartcity.platform.errors import SmartCityError


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
@user_errors
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
    settings = prefect_ready()
    from flows.regions import load_regions

    options = {
        "level": level, "code_field": code_field, "name_field": name_field, "parent_field": parent_field,
        "crs": crs, "regions": _regions(settings, region, all_regions),
        "attributes": str(attributes) if attributes else None, "derive_districts": derive_districts,
        "overlap_tolerance_km2": overlap_tolerance, "names": str(names) if names else None,
    }  # fmt: skip
    print_report(load_regions(str(path), options))


@regions_app.command("fetch")
@user_errors
def regions_fetch(
    code: Annotated[str, typer.Argument(help="Kemendagri regency code, e.g. 64.01 (Paser) or 6409.")],
    base_url: Annotated[str | None, typer.Option(help="Mirror of cahyadsn/wilayah_boundaries.")] = None,
    attributes: Annotated[Path | None, typer.Option(help="CSV keyed by code (population, IDM).")] = None,
    names: Names = None,
) -> None:
    """Download a regency's public village boundaries (cahyadsn/wilayah_boundaries, MIT) and load them."""
    settings = prefect_ready()
    from flows.regions import fetch_regions

    (regency,) = _regions(settings, [code], False)
    options = {"attributes": str(attributes) if attributes else None, "names": str(names) if names else None}
    print_report(fetch_regions(regency, base_url or settings.boundaries_base_url, options))


@ikn_app.command("load")
@user_errors
def ikn_load(
    path: Annotated[
        Path | None, typer.Argument(help="Official IKN boundary file; none: the shipped approximate one.")
    ] = None,
) -> None:
    """Load the IKN boundary, its buffer zones (SMARTCITY_IKN_RINGS_KM) and every area's distance to it."""
    settings = prefect_ready()
    with contextlib.ExitStack() as stack:
        api = prefect_api(stack, settings)
        from flows.ikn import load_ikn_flow

        if api is not None:
            api.ready()
        report = load_ikn_flow(str(path) if path else None)
    from smartcity.reference.ikn_load import IknReport

    for line in IknReport(**report).lines():
        typer.echo(line)
