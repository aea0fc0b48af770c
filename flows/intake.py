"""Flow: agency worksheets in; one file's failure never blocks the others."""

from __future__ import annotations

from prefect import flow

from smartcity.intake import worksheet_files
from smartcity.progress import progress
from tasks.database import ensure_database
from tasks.intake import gazetteer_for_region, ingest_one, publish_summary


@flow(name="ingest-worksheets", log_prints=True)
def ingest(paths: list[str], replace: bool = False) -> list[dict]:
    """Ingest worksheet files (folders are searched for .xlsx, .xls, .ods, .csv) and summarise per file."""
    ensure_database()
    gazetteer = gazetteer_for_region()
    results = []
    for path in progress(worksheet_files(paths), "worksheets"):
        state = ingest_one(path, gazetteer, replace, return_state=True)
        if state.is_completed():
            results.append(state.result())
        else:  # an unexpected failure of one file (a bug, the database gone): record it, go on
            results.append({"file_name": path.rsplit("/", 1)[-1], "sha256": "", "status": "failed",
                            "error": str(state.message or "task failed")})  # fmt: skip
    publish_summary(results)
    return results
