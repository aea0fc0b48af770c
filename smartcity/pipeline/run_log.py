"""The pipeline's run log (smartcity.pipeline_run): written at the start and end of each run, read by
`smartcity status`. A run killed outright stays ``running`` with no end time until the next run of its
region marks it ``interrupted`` (that run holds the region's lock, so it knows the other is dead);
the log never guesses an end time."""

from __future__ import annotations

import sqlalchemy as sa

from smartcity.platform.queries import query


def start_run(engine: sa.Engine, run_id: str, region_code: str) -> None:
    """Record that a pipeline run started for a region (idempotent for a retried flow run), and mark
    the region's runs that never recorded their end as interrupted. Call it holding the region's lock."""
    params = {"id": run_id, "region_code": region_code}
    with engine.begin() as conn:
        conn.execute(query("pipeline", "mark_interrupted"), params)
        conn.execute(query("pipeline", "start"), params)


def finish_run(engine: sa.Engine, run_id: str, region_code: str, outcome: str, **counts) -> None:
    """Record how a run ended for one region: completed, unchanged or failed, with its counts."""
    params = {"files_new": None, "rows_loaded": None, "rows_rejected": None, "scoring_run_id": None,
              "index_path": None, "error": None, **counts, "id": run_id, "region_code": region_code,
              "outcome": outcome}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(query("pipeline", "finish"), params)


def recent_runs(engine: sa.Engine, limit: int = 10) -> list[dict]:
    """The last runs, newest first."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query("pipeline", "recent"), {"limit": limit}).mappings()]


def describe(run: dict) -> dict[str, str]:
    """One run as the columns `smartcity status` prints."""
    started, finished = run["started_at"], run["finished_at"]
    duration = f"{(finished - started).total_seconds():.0f} s" if finished else "-"
    counts = (
        ""
        if run["files_new"] is None
        else f"{run['files_new']} / {run['rows_loaded']} / {run['rows_rejected']}"
    )
    return {
        "started (UTC)": started.strftime("%Y-%m-%d %H:%M:%S"), "region": run["region_code"],
        "duration": duration,
        "outcome": run["outcome"] if finished or run["outcome"] != "running" else "running (or killed)",
        "files / loaded / rejected": counts, "scoring run": (run["scoring_run_id"] or "")[:8],
        "error": run["error"] or "",
    }  # fmt: skip
