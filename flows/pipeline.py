"""The pipeline as one parent flow.

Stages: database and schema -> reference geography -> IKN boundary and zones -> new worksheets from
the inbox -> priority scores (the shipped model, or SMARTCITY_SCORING_CONFIG) -> published pages
(SMARTCITY_OUTPUT_DIR/site/<run_id>/index.html; offline pages, which open anywhere, see maps/site.py).
"""

from __future__ import annotations

import html
from pathlib import Path

from prefect import flow, runtime
from prefect.artifacts import create_markdown_artifact

from flows.intake import ingest
from flows.publish import publish_maps
from flows.score import score_priorities
from smartcity import db
from smartcity.intake import worksheet_files
from smartcity.settings import Settings, get_settings
from tasks.database import ensure_database
from tasks.reference import ikn_in_place, reference_in_place
from tasks.runlog import record_finish, record_start, reusable_run


def summary_markdown(summary: dict) -> str:
    """The run summary shown as a Prefect artifact (no worksheet text reaches it yet)."""
    database, reference, ikn = summary["database"], summary["reference"], summary["ikn"]
    lines = [
        "# Smart City pipeline run",
        "",
        f"- database: `{database['database']}`, PostGIS {database['postgis']}",
        f"- migrations applied in this run: {len(database['migrations_applied'])}",
        "- reference geography: "
        + (f"loaded {reference['features']} villages from {reference['source']}" if reference["loaded"]
           else "already in place"),
        "- IKN boundary: " + (f"loaded from {ikn['source']}" if ikn["loaded"] else "already in place"),
        f"- worksheets: {_intake_line(summary['intake'])}",
        "- priority scores: " + (
            f"nothing changed since scoring run `{summary['unchanged']['run_id']}` (same worksheets, model "
            "and reference): reused" if "unchanged" in summary else _score_line(summary["score"])
        ),
        f"- published: `{html.escape(summary['publish']['index'])}`",
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def _score_line(run: dict) -> str:
    top = ", ".join(f"{r['rank']}. {r['village']} ({r['score']:.0f})" for r in run["top"][:5])
    return (
        f"run `{run['run_id']}`, {run['villages']} villages, {run['issues']} issues, model "
        f"{html.escape(run['config_source'])} `{run['config_hash']}`; top: {top}"
    )


def _intake_line(results: list[dict]) -> str:
    new = [r for r in results if r["status"] != "duplicate"]
    if not new:
        return f"nothing new ({len(results)} files already loaded)"
    rows = sum(r.get("rows_total") or 0 for r in new)
    loaded = sum(r.get("accepted") or 0 for r in new)
    failed = sum(r["status"] == "failed" for r in new)
    return (
        f"{len(new)} new files, {rows} rows, {loaded} loaded, {rows - loaded} rejected, {failed} files failed"
    )


@flow(name="smartcity-pipeline", log_prints=True)
def pipeline(inbox: str | None = None) -> dict:
    """Run every stage of the pipeline in order and return a summary.

    When nothing changed since the last scoring run (no new worksheet, the same reference geography
    and model), scoring and publishing are skipped and the last run's pages are reused: an unchanged
    inbox re-runs in seconds and says so. Every run is logged in smartcity.pipeline_run.
    """
    run_id = str(runtime.flow_run.id)
    summary = {"database": ensure_database()}
    settings = get_settings()
    # one run per region at a time (SMARTCITY_RUN_LOCK: wait behind the other, or fail)
    with db.region_lock(db.get_engine(settings), settings.region_code, settings.run_lock) as waited:
        if waited:
            print(f"waited for another pipeline run of {settings.region_code} to finish")
        return _stages(run_id, inbox, summary, settings)


def _stages(run_id: str, inbox: str | None, summary: dict, settings: Settings) -> dict:
    record_start(run_id)
    try:
        summary["reference"] = reference_in_place()
        summary["ikn"] = ikn_in_place()
        folder = Path(inbox) if inbox else settings.inbox_dir  # a deployment passes none
        files = worksheet_files([str(folder)]) if folder.is_dir() else []
        summary["intake"] = ingest(files) if files else []
        new = [r for r in summary["intake"] if r["status"] != "duplicate"]
        changed = bool(new) or summary["reference"]["loaded"] or summary["ikn"]["loaded"]
        previous = None if changed else reusable_run(settings.scoring_config)
        site = settings.output_dir / "site"
        if previous is not None:
            summary["unchanged"] = previous
            index = site / previous["run_id"] / "index.html"
            summary["publish"] = (
                {"index": str(index)} if index.is_file() else publish_maps(str(site), True, "id")
            )
        else:
            summary["score"] = score_priorities(settings.scoring_config)
            summary["publish"] = publish_maps(str(site), True, "id")
    except Exception as exc:
        record_finish(run_id, "failed", {"error": " ".join(str(exc).split())[:500]})
        raise
    scoring_run = previous["run_id"] if previous else summary["score"]["run_id"]
    record_finish(run_id, "unchanged" if previous else "completed", {
        "files_new": len(new), "rows_loaded": sum(r.get("accepted") or 0 for r in new),
        "rows_rejected": sum(r.get("rejected") or 0 for r in new), "scoring_run_id": scoring_run,
        "index_path": summary["publish"]["index"],
    })  # fmt: skip
    create_markdown_artifact(
        key="pipeline-summary", markdown=summary_markdown(summary), description="Summary of the pipeline run"
    )
    return summary
