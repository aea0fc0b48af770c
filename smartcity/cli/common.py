"""What every command shares: one-line user errors, the database and Prefect made ready, tables printed."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable

import typer

from smartcity.platform.errors import SmartCityError, one_line, printable
from smartcity.platform.settings import get_settings


def user_errors(func: Callable) -> Callable:
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


def prefect_ready():
    """Settings, after making sure the database answers (fast, one line) and Prefect is configured."""
    from smartcity.platform import db
    from smartcity.platform.prefect_env import configure_prefect

    settings = get_settings()
    # Fail fast, in one line, on a database that is not there: before Prefect starts (~10-30 s).
    db.bring_up(settings)
    db.check_database(db.get_engine(settings))
    configure_prefect(settings)
    return settings


def prefect_api(stack: contextlib.ExitStack, settings):
    """Start Prefect's API for this command's flow in a process of our own (as ``smartcity run`` does),
    when none is configured and Prefect is not imported yet: it dies with this process, even a killed
    one (``local_prefect_api``), where the ephemeral server Prefect starts itself would be orphaned.
    Its history goes where the local server's does (the local cluster's Prefect database).
    Returns the LocalApi (call ``.ready()`` before the flow) or None."""
    from smartcity.platform.prefect_env import api_configured, local_prefect_api

    if api_configured() or "prefect" in sys.modules:
        return None
    from smartcity.platform import prefect_server

    database = prefect_server.database_url(settings)  # where `smartcity up`'s server keeps its history
    first = contextlib.ExitStack()  # a fresh database: one API migrates it at a time, until it answers
    first.enter_context(prefect_server.first_migration(settings, database))
    stack.callback(first.close)
    api = stack.enter_context(local_prefect_api(settings, database))
    api.when_ready.push(first)
    return api


def print_table(title: str, rows: list[dict], width: int) -> None:
    """Rows (dicts with the same keys) as a terminal table; text is printed as is, never as markup."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in rows[0]:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row.values())
    Console(markup=False, highlight=False, width=width).print(table)


def one_region(settings, region: str | None) -> str:
    from smartcity.intake.inbox import regency_codes

    return regency_codes([region])[0] if region else settings.region_code


def print_top(rows: list[dict]) -> None:
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


PLACED_BY = ("code", "point", "name", "district", "regency")


def print_intake(results) -> None:
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


def print_report(report: dict) -> None:
    from smartcity.reference.load import LoadReport

    for line in LoadReport(**report).lines():
        typer.echo(line)
