"""The pipeline as data engineers re-run it: an unchanged inbox reuses the last run and says so, a new
worksheet is picked up, and every run (failed ones too) is in `smartcity status`."""

from __future__ import annotations

import re
import shutil

import pytest
import sqlalchemy as sa

from tests.helpers import REPO, latest_artifact, scalar

pytestmark = [pytest.mark.db, pytest.mark.e2e]
DEMO = REPO / "geodata" / "demo" / "worksheets"


def opened(output: str) -> str:
    """The report page a run points to (its "open:" line; Prefect's log lines interleave)."""
    return next(line for line in output.splitlines() if line.startswith("open: ")).removeprefix("open: ")


def test_an_unchanged_inbox_reuses_the_last_run_and_a_new_worksheet_is_picked_up(cli, engine, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO, inbox, ignore=shutil.ignore_patterns("dlh.csv"))
    first = cli("run", "--inbox", str(inbox))
    assert first.exit_code == 0, first.output
    assert "Top priority villages" in first.output
    index = opened(first.output)
    # the run's summary artifact: outcome, each file with its counts, the top villages, the maps
    summary = latest_artifact("pipeline-summary")
    assert "Outcome: **completed**" in summary
    # rows seen = loaded + rejected + skipped (headers, letterheads, signatures: not data)
    assert (
        "- worksheets: 7 new files, 197 rows, 172 loaded, 4 rejected, 21 skipped (not data), 0 files failed"
        in summary
    )
    assert "| dinas\\_pupr.xlsx | Dinas PUPR | partial | 38 | 33 | 1 | 4 |  |" in summary
    assert "| rank | village | score | class | issues |" in summary and "\n| 5 | " in summary
    top = scalar(engine, "SELECT name FROM mart.village_priority ORDER BY rank, code LIMIT 1")
    assert f"| 1 | {top} | " in summary
    assert f"- maps and report: [index.html]({(tmp_path / index).resolve().as_uri()})" in summary

    again = cli("run", "--inbox", str(inbox))
    assert again.exit_code == 0, again.output
    assert "nothing changed since scoring run" in again.output
    assert "7 duplicates" in again.output  # answered from the database, not read again
    assert opened(again.output) == index
    assert scalar(engine, "SELECT count(*) FROM mart.scoring_run") == 1
    # nothing to do: no flow run at all (so no new summary artifact); the run log still lists it
    assert "nothing to do: answered from the database, no flow run" in again.output
    assert "Outcome: **completed**" in latest_artifact("pipeline-summary")

    new = DEMO / "dlh.csv"
    shutil.copy(new, inbox / new.name)
    third = cli("run", "--inbox", str(inbox))
    assert third.exit_code == 0, third.output
    assert "7 duplicates" in third.output and "nothing changed" not in third.output
    assert scalar(engine, "SELECT count(*) FROM mart.scoring_run") == 2

    status = cli("status")
    assert status.exit_code == 0, status.output
    lines = [line for line in status.output.splitlines() if "completed" in line or "unchanged" in line]
    assert len(lines) == 3 and "completed" in lines[0] and "unchanged" in lines[1] and "completed" in lines[2]
    # newest first: start time, region, duration, outcome, files / loaded / rejected, scoring run
    scoring_runs = [str(r)[:8] for r in engine.connect().execute(sa.text(
        "SELECT run_id FROM mart.scoring_run ORDER BY started_at DESC")).scalars()]  # fmt: skip
    started = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
    newest = started + r".*64\.01.*\d+ s.*completed.*1 / 24 / 0 .*" + scoring_runs[0]
    assert re.search(newest, lines[0]), lines[0]
    assert re.search(r"unchanged.*0 / 0 / 0 .*" + scoring_runs[1], lines[1]), lines[1]
    assert re.search(r"completed.*7 / 172 / 4 .*" + scoring_runs[1], lines[2]), lines[2]
    assert scalar(engine, "SELECT count(*) FROM smartcity.pipeline_run WHERE finished_at IS NULL") == 0


def test_a_failed_run_is_logged_with_its_error(cli, engine, tmp_path):
    assert cli("status").output.splitlines()[2:] == ["no pipeline runs yet: smartcity run"]  # after the stack
    model = tmp_path / "broken.toml"
    model.write_text("[criteria]\nikn = 'far'\n", encoding="utf-8")
    result = cli("run", "--inbox", str(DEMO), SMARTCITY_SCORING_CONFIG=str(model))
    assert result.exit_code == 1
    assert any(
        line.startswith("error: ") and "broken.toml: criteria.ikn must be a number" in line
        for line in result.output.splitlines()
    )
    with engine.connect() as conn:
        outcome, error, finished = conn.execute(
            sa.text("SELECT outcome, error, finished_at FROM smartcity.pipeline_run")
        ).one()
    assert outcome == "failed" and "criteria.ikn must be a number" in error and finished is not None
    assert "failed" in cli("status").output
    summary = latest_artifact("pipeline-summary")
    assert "Outcome: **failed**: " in summary and "criteria.ikn must be a number" in summary
    assert "- worksheets: 8 new files" in summary  # what the run did before it failed


def test_two_runs_of_one_region_never_overlap(cli, engine):
    import threading
    import time
    from datetime import UTC, datetime

    holder = engine.connect()  # another pipeline run, as far as the lock is concerned
    key = {"key": "smartcity-run:64.01"}
    holder.execute(sa.text("SELECT pg_advisory_lock(hashtextextended(:key, 0))"), key)
    holder.commit()
    try:
        refused = cli("run", "--inbox", str(DEMO), SMARTCITY_RUN_LOCK="fail")
        assert refused.exit_code == 1
        assert any(line.startswith("error: another pipeline run for 64.01 is in progress") for line in
                   refused.output.splitlines())  # fmt: skip
        released = {}

        def release_later():
            time.sleep(3)
            released["at"] = datetime.now(UTC)
            holder.execute(sa.text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))"), key)
            holder.commit()

        thread = threading.Thread(target=release_later)
        thread.start()
        waited = cli("run", "--inbox", str(DEMO), SMARTCITY_RUN_LOCK="wait")
        thread.join()
    finally:
        holder.close()
    assert waited.exit_code == 0, waited.output
    with engine.connect() as conn:
        runs = conn.execute(sa.text("SELECT outcome, started_at FROM smartcity.pipeline_run")).all()
    # the refused run never started its stages; the waiting one started only once the lock was free
    assert len(runs) == 1 and runs[0].outcome == "completed" and runs[0].started_at >= released["at"]


def test_an_unwritable_output_folder_fails_the_publish_step_only(cli, engine, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    result = cli("run", "--inbox", str(DEMO), SMARTCITY_OUTPUT_DIR=str(blocker / "out"))
    assert result.exit_code == 1
    assert any(line.startswith(f"error: cannot write the pages to {blocker / 'out' / 'site'}")
               for line in result.output.splitlines())  # fmt: skip
    with engine.connect() as conn:
        kept = conn.execute(sa.text(
            "SELECT (SELECT count(*) FROM intake.submission), (SELECT count(*) FROM mart.scoring_run), "
            "(SELECT outcome FROM smartcity.pipeline_run)")).one()  # fmt: skip
    assert tuple(kept) == (8, 1, "failed")  # the worksheets and the scores stay; only the pages are missing
    # the agencies' feedback files could not be written either: each such submission says so
    noted = scalar(engine, "SELECT count(*) FROM intake.submission WHERE feedback_file IS NULL AND "
                           "error LIKE 'feedback file not written to %'")  # fmt: skip
    assert noted == 8  # every demo file has a rejected row or a warning, so each has feedback to give
    # with a writable folder (--out) the next run publishes the same scoring run there
    again = cli("run", "--inbox", str(DEMO), "--out", str(tmp_path / "elsewhere"))
    assert again.exit_code == 0 and "nothing changed since scoring run" in again.output
    assert opened(again.output).startswith(str(tmp_path / "elsewhere" / "site"))
    assert opened(again.output).endswith("index.html")


def test_an_inbox_that_does_not_exist_is_refused_in_one_line(cli, tmp_path):
    result = cli("run", "--inbox", str(tmp_path / "kotak_masuk"))
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last == f"error: --inbox {tmp_path / 'kotak_masuk'}: no such folder"


def test_an_unchanged_run_is_answered_without_a_flow_only_when_nothing_is_in_doubt(cli, engine, tmp_path):
    """Pages deleted since the last run, or the IKN boundary configured from another file: the flow
    runs (and writes the pages again, or loads the boundary); with nothing in doubt, no flow run."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(DEMO / "dlh.csv", inbox / "dlh.csv")
    first = cli("run", "--inbox", str(inbox))
    assert first.exit_code == 0, first.output
    index = tmp_path / opened(first.output)
    assert "no flow run" not in first.output

    shutil.rmtree(index.parent)
    again = cli("run", "--inbox", str(inbox))
    assert again.exit_code == 0, again.output
    assert "nothing changed since scoring run" in again.output and "no flow run" not in again.output
    assert (tmp_path / opened(again.output)).is_file()  # written again by the flow

    quick = cli("run", "--inbox", str(inbox))
    assert quick.exit_code == 0, quick.output
    assert "nothing to do: answered from the database, no flow run" in quick.output
    assert opened(quick.output) == opened(again.output)

    other_ikn = tmp_path / "ikn_official.geojson"
    shutil.copy(REPO / "geodata" / "ikn_approx.geojson", other_ikn)
    moved = cli("run", "--inbox", str(inbox), SMARTCITY_IKN_SOURCE=str(other_ikn))
    assert moved.exit_code == 0, moved.output
    assert "no flow run" not in moved.output and "IKN boundary: loaded from" in moved.output
    outcomes = [o for (o,) in engine.connect().execute(
        sa.text("SELECT outcome FROM smartcity.pipeline_run ORDER BY started_at"))]  # fmt: skip
    assert outcomes == ["completed", "unchanged", "unchanged", "completed"]
