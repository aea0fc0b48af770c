"""Flow: agency worksheets in; one file's failure never blocks the others."""

from __future__ import annotations

from prefect import flow

from smartcity.intake.load import worksheet_files
from smartcity.platform.progress import progress
from tasks.database import ensure_database
from tasks.intake import file_outcome, gazetteer_for_region, ingest_one, intake_artifact


@flow(name="ingest-worksheets", log_prints=True)
def ingest(
    paths: list[str], replace: bool = False, region_code: str | None = None, feedback_dir: str | None = None
) -> list[dict]:
    """Ingest worksheet files (folders are searched for .xlsx, .xls, .ods, .csv) for the region
    (default SMARTCITY_REGION_CODE) and summarise per file; feedback files go to ``feedback_dir``
    (default SMARTCITY_OUTPUT_DIR/feedback)."""
    ensure_database()
    gazetteer = gazetteer_for_region(region_code)
    results = []
    for path in progress(worksheet_files(paths), "worksheets"):
        state = ingest_one(path, gazetteer, replace, feedback_dir, return_state=True)
        results.append(file_outcome(path, state))
    intake_artifact(results, gazetteer.region_code)
    return results
