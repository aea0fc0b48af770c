"""The pipeline flow's decisions and its typed state, pure: no Prefect, no database. The flow itself is
tested end to end (test_pipeline_flow, test_pipeline_runs, test_regions_pipeline, test_faults)."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest
import sqlalchemy as sa

from smartcity.pipeline.decisions import (
    files_in_flight,
    finish_counts,
    finished_outcome,
    region_changed,
    reusable_pages,
    run_error,
    step_error,
)
from smartcity.pipeline.state import PipelineRun, RegionRun
from smartcity.platform.errors import DatabaseUnavailable, InputError, SmartCityError
from tests.helpers import REPO

LOADED = {"file_name": "dlh.csv", "status": "loaded", "rows_total": 24, "accepted": 24, "rejected": 0}
PARTIAL = {"file_name": "pupr.xlsx", "status": "partial", "rows_total": 10, "accepted": 7, "rejected": 3}
FAILED = {"file_name": "rusak.xlsx", "sha256": "", "status": "failed", "error": "not a workbook"}
DUPLICATE = {"file_name": "bappeda.csv", "status": "duplicate", "rows_total": 5, "accepted": 5, "rejected": 0}
IN_PLACE = {"loaded": False}


def region(**fields) -> RegionRun:
    return RegionRun("64.01", **({"reference": IN_PLACE, "intake": []} | fields))


# --- did the region change ----------------------------------------------------------------------


def test_a_region_with_only_duplicate_files_and_nothing_loaded_is_unchanged():
    assert region_changed(region(intake=[DUPLICATE, DUPLICATE]), ikn_loaded=False) is False
    assert region_changed(region(intake=[]), ikn_loaded=False) is False  # an empty inbox


@pytest.mark.parametrize("new", [LOADED, PARTIAL, FAILED])
def test_a_new_file_changes_the_region_even_one_that_failed(new):
    assert region_changed(region(intake=[DUPLICATE, new]), ikn_loaded=False) is True


def test_reference_geography_or_ikn_loaded_by_this_run_changes_the_region():
    loaded = {"loaded": True, "features": 144, "source": "paser.geojson"}
    assert region_changed(region(reference=loaded, intake=[DUPLICATE]), ikn_loaded=False) is True
    assert region_changed(region(intake=[DUPLICATE]), ikn_loaded=True) is True


# --- can the last pages be reused ---------------------------------------------------------------


def test_the_reused_runs_pages_are_reused_when_its_index_page_exists(tmp_path):
    index = tmp_path / "site" / "abc" / "index.html"
    index.parent.mkdir(parents=True)
    index.write_text("<html></html>")
    assert reusable_pages(tmp_path / "site", "abc") == str(index)
    assert reusable_pages(str(tmp_path / "site"), "abc") == str(index)


def test_pages_are_written_again_when_the_reused_runs_index_page_is_missing(tmp_path):
    assert reusable_pages(tmp_path / "site", "abc") is None  # no folder at all
    (tmp_path / "site" / "abc").mkdir(parents=True)  # a folder without its index page
    (tmp_path / "site" / "abc" / "peta_prioritas.html").write_text("")
    assert reusable_pages(tmp_path / "site", "abc") is None
    (tmp_path / "site" / "other" / "index.html").parent.mkdir()
    (tmp_path / "site" / "other" / "index.html").write_text("")  # another run's pages are not these
    assert reusable_pages(tmp_path / "site", "abc") is None


# --- files in flight ----------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2, 8])
def test_files_in_flight_one_on_the_default_runner_two_per_dask_worker(workers):
    assert files_in_flight("default", workers) == 1
    assert files_in_flight("dask", workers) == 2 * workers


def test_files_in_flight_of_an_unknown_runner_is_a_one_line_error():
    with pytest.raises(InputError, match="task runner must be one of default, dask, not 'ray'"):
        files_in_flight("ray", 2)


# --- a failed step ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [psycopg.OperationalError("connection refused\nIs the server running?"), ConnectionResetError("reset"),
     sa.exc.OperationalError("SELECT 1", {}, psycopg.OperationalError("server closed the connection")),
     DatabaseUnavailable("the database at 127.0.0.1:5432 does not answer")],
)  # fmt: skip
def test_the_database_going_away_during_a_step_says_the_committed_work_stays(error):
    failed = step_error("score", "64.09", error, "Task run encountered an exception")
    assert type(failed) is DatabaseUnavailable
    first = " ".join(str(error).split())[:300]
    assert str(failed) == (
        f"the database went away during the score step of 64.09: {first}; what was committed stays, "
        "and the next run completes the work"
    )


def test_the_database_message_in_a_step_error_is_cut_at_300_characters():
    failed = step_error("publish", "64.01", psycopg.OperationalError("x" * 400), None)
    assert f": {'x' * 300}; what was committed stays" in str(failed) and "x" * 301 not in str(failed)


@pytest.mark.parametrize(
    "error",
    [InputError("criteria.ikn must be a number"), ValueError("bad value"), OSError(27, "File too large"),
     sa.exc.IntegrityError("INSERT", {}, psycopg.errors.UniqueViolation("duplicate key"))],
)  # fmt: skip
def test_a_final_error_of_a_step_is_the_regions_error_as_it_was_raised(error):
    assert step_error("publish", "64.01", error, "Task run encountered an exception") is error


@pytest.mark.parametrize("result", [None, "cancelled", {"index": "x"}])
def test_a_step_that_holds_no_exception_did_not_complete_with_its_states_message(result):
    failed = step_error("publish", "64.01", result, "Upstream task run 'score-region' did not complete")
    assert type(failed) is SmartCityError
    assert (
        str(failed) == "publish of 64.01 did not complete: Upstream task run 'score-region' did not complete"
    )
    assert str(step_error("score", "64.09", None, None)) == "score of 64.09 did not complete: None"


# --- the run's error ----------------------------------------------------------------------------


def test_a_run_without_failed_regions_has_no_error():
    assert run_error({}, ["64.01"]) is None and run_error({}, ["64.01", "64.09"]) is None


def test_a_single_regions_error_is_raised_as_it_is():
    error = DatabaseUnavailable("the database went away during the score step of 64.01: x")
    assert run_error({"64.01": error}, ["64.01"]) is error


def test_several_regions_name_each_failure_and_the_regions_that_completed():
    errors = {"64.09": SmartCityError("score of 64.09 did not complete: boom")}
    error = run_error(errors, ["64.01", "64.09", "64.11"])
    assert type(error) is SmartCityError
    assert str(error) == "64.09: score of 64.09 did not complete: boom (completed: 64.01, 64.11)"
    errors = {"64.01": ValueError("first\nline"), "64.09": OSError("no space")}
    error = run_error(errors, ["64.01", "64.09", "64.11"])
    assert str(error) == "64.01: first line; 64.09: no space (completed: 64.11)"


def test_several_regions_all_failing_name_no_completed_ones():
    errors = {"64.01": ValueError("a"), "64.09": ValueError("b")}
    assert str(run_error(errors, ["64.01", "64.09"])) == "64.01: a; 64.09: b"


# --- the finish: outcome and run-log counts -----------------------------------------------------


def test_a_scored_region_completed_with_its_new_files_counts():
    scored = region(
        intake=[LOADED, PARTIAL, FAILED, DUPLICATE], score={"run_id": "new"}, pages="site/new/index.html"
    )
    assert finished_outcome(scored) == "completed"
    counts = {"files_new": 3, "rows_loaded": 31, "rows_rejected": 3, "scoring_run_id": "new",
              "index_path": "site/new/index.html"}  # fmt: skip
    assert finish_counts(scored) == counts


def test_an_unchanged_region_records_the_reused_run_and_no_new_rows():
    unchanged = region(intake=[DUPLICATE], reused={"run_id": "old", "issues": 5}, pages="site/old/index.html")
    assert finished_outcome(unchanged) == "unchanged"
    counts = {"files_new": 0, "rows_loaded": 0, "rows_rejected": 0, "scoring_run_id": "old",
              "index_path": "site/old/index.html"}  # fmt: skip
    assert finish_counts(unchanged) == counts


def test_counts_take_missing_or_null_row_counts_as_zero():
    counts = finish_counts(region(intake=[FAILED, {**PARTIAL, "accepted": None}], score={"run_id": "r"}))
    assert (counts["files_new"], counts["rows_loaded"], counts["rows_rejected"]) == (2, 0, 3)


# --- the typed state ----------------------------------------------------------------------------


def test_a_region_before_its_intake_has_no_files_and_no_scoring_run():
    before = RegionRun("64.01")
    assert before.intake is None and before.new_files == [] and before.duplicates == 0
    assert (before.rows_total, before.rows_loaded, before.rows_rejected, before.files_failed) == (0, 0, 0, 0)
    assert before.scoring_run_id is None and before.outcome is None and before.top == []


def test_region_counts_of_new_files():
    counted = region(intake=[LOADED, PARTIAL, FAILED, DUPLICATE])
    assert [r["file_name"] for r in counted.new_files] == ["dlh.csv", "pupr.xlsx", "rusak.xlsx"]
    assert (counted.duplicates, counted.rows_total, counted.files_failed) == (1, 34, 1)


def test_a_run_knows_its_failed_and_unfinished_regions_in_run_order():
    run = PipelineRun.start(["64.01", "64.09", "64.11"], site="output/site")
    assert list(run.regions) == ["64.01", "64.09", "64.11"] and run.site == "output/site"
    assert all(run.regions[code].code == code for code in run.regions)
    assert run.database is None and run.ikn is None and run.error is None
    run.regions["64.11"].outcome, run.regions["64.11"].error = "failed", "boom"
    run.regions["64.01"].outcome = "completed"
    assert run.failed == ["64.11"] and [r.code for r in run.unfinished] == ["64.09"]


def test_the_state_and_the_decisions_do_not_import_prefect():
    code = (
        "import sys, smartcity.pipeline.decisions, smartcity.pipeline.state, smartcity.pipeline.summary; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'prefect'], 'prefect imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
