"""The pipeline run's summary as Markdown, for the Prefect artifact a data engineer reads on Monday:
the outcome, per region the files (rows loaded and rejected, why a file failed), the top areas and a
link to the maps. Every text that came from a worksheet, a file name or an error is shown as written:
HTML-escaped, its Markdown marks escaped, and unable to break a table."""

from __future__ import annotations

import html
from pathlib import Path

from smartcity.pipeline.state import PipelineRun, RegionRun

TOP = 5  # villages listed per region


def summary_markdown(run: PipelineRun, site_url: str | None = None) -> str:
    """The run summary (of the run the pipeline flow fills as it goes, complete or not).

    ``site_url``: where SMARTCITY_OUTPUT_DIR/site is served (https://.../site); links then point there,
    else to the pages as file:// URLs.
    """
    outcome = "**completed**"
    if run.error:
        outcome = f"**failed**: {_cell(run.error)}"
    elif run.failed:
        outcome = f"**failed** for {', '.join(run.failed)}"
    lines = ["# Smart City pipeline run", "", f"Outcome: {outcome}", ""]
    if run.database:
        lines += [
            f"- database: `{run.database['database']}`, PostGIS {run.database['postgis']}",
            f"- migrations applied in this run: {len(run.database['migrations_applied'])}",
        ]
    if run.ikn is not None:
        loaded = f"loaded from {_cell(run.ikn['source'])}" if run.ikn["loaded"] else "in place"
        lines.append(f"- IKN boundary: {loaded}")
    for code, region in run.regions.items():
        lines += ["", f"## {code}", "", *_region(region, run.site, site_url)]
    return "\n".join(lines) + "\n"


def _region(region: RegionRun, site: str | None, site_url: str | None) -> list[str]:
    lines = []
    reference = region.reference
    if reference and reference["loaded"]:
        loaded = f"loaded {reference['features']} villages from {_cell(reference['source'])}"
        lines.append(f"- reference geography: {loaded}")
    elif reference:
        lines.append("- reference geography: in place")
    if region.intake is not None:
        lines += [f"- worksheets: {intake_line(region)}", *_files_table(region.new_files)]
    if region.outcome == "failed":
        lines.append(f"- **failed**: {_cell(region.error or '')}")
    if region.reused is not None:
        lines.append(
            f"- priority scores: nothing changed since scoring run `{region.reused['run_id']}` "
            "(same worksheets, model and reference): reused"
        )
    elif region.score is not None:
        run = region.score
        lines.append(
            f"- priority scores: run `{run['run_id']}`, {run['villages']} villages, {run['issues']} issues, "
            f"model {_cell(run['config_source'])} `{run['config_hash']}`"
        )
    if region.top:
        header = _row("rank", "village", "score", "class", "issues")
        lines += ["", header, _row("---:", "---", "---:", "---", "---:")]
        lines += [
            _row(r["rank"], _cell(r["village"]), f"{r['score']:.1f}", r["class"], r["issues"])
            for r in region.top[:TOP]
        ]
        lines.append("")
    if region.pages:
        link = page_link(region.pages, site, site_url)
        lines.append(f"- maps and report: [{Path(region.pages).name}]({link})")
    return lines


def intake_line(region: RegionRun) -> str:
    """'3 new files, 70 rows, 65 loaded, 5 rejected, 0 files failed', or 'nothing new (...)'."""
    new = region.new_files
    if not new:
        return f"nothing new ({region.duplicates} files already loaded)"
    return (
        f"{len(new)} new files, {region.rows_total} rows, {region.rows_loaded} loaded, "
        f"{region.rows_rejected} rejected, "
        + (f"{region.rows_skipped} skipped (not data), " if region.rows_skipped else "")
        + f"{region.files_failed} files failed"
        + (f"; {region.duplicates} already loaded" if region.duplicates else "")
    )


def _files_table(new: list[dict]) -> list[str]:
    if not new:
        return []
    header = _row("file", "agency", "status", "rows", "loaded", "rejected", "skipped", "note")
    lines = ["", header, _row("---", "---", "---", "---:", "---:", "---:", "---:", "---")]
    for r in new:
        counts = (
            r.get("rows_total") or 0,
            r.get("accepted") or 0,
            r.get("rejected") or 0,
            r.get("skipped") or 0,
        )
        lines.append(_row(_cell(r["file_name"]), _cell(r.get("agency") or ""), r["status"], *counts,
                          _cell(r.get("error") or "")))  # fmt: skip
    return [*lines, ""]


def page_link(index: str, site: str | None, site_url: str | None) -> str:
    """The report page's address: under ``site_url`` when the site folder is served, else file://."""
    path = Path(index)
    if site_url and site:
        try:
            relative = path.resolve().relative_to(Path(site).resolve())
            return f"{site_url.rstrip('/')}/{relative.as_posix()}"
        except ValueError:  # a page outside the site folder (not made by the pipeline): its file
            pass
    return path.resolve().as_uri()


def _row(*cells: object) -> str:
    return "| " + " | ".join(map(str, cells)) + " |"


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]()!~"} | {"|": "&#124;"})


def _cell(text: object) -> str:
    """Text for a Markdown line or table cell, shown as written: HTML-escaped, Markdown's inline marks
    backslash-escaped (no link, image, emphasis or code from a worksheet), on one line, and no '|' to
    split a table cell."""
    value = html.escape(str(text))
    return " ".join(value.split()).translate(_MARKDOWN)
