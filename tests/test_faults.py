"""Faults with real processes: `smartcity run` killed with SIGKILL in the middle of the intake, of the
scoring and of the publishing, and PostgreSQL stopped under a run; the database stays consistent and
the next run completes the work. The runs report to one real Prefect server for the module (so each
process starts in seconds); the ephemeral mode has tests of its own (test_pipeline_flow)."""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from tests.conftest import db_url
from tests.helpers import clean_env, run_cli, scalar

pytestmark = [pytest.mark.db, pytest.mark.e2e]


def start_run(env: dict, cwd, inbox) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "smartcity", "run", "--inbox", str(inbox)],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def kill_when(process: subprocess.Popen, condition, timeout: float = 240) -> None:
    """SIGKILL the run (and the Prefect API process it started) as soon as ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, (
            "the run ended before the fault could be injected:\n" + process.stdout.read()
        )
        if condition():
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            return
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    raise TimeoutError("the condition never held")


def consistent(engine) -> None:
    """Every loaded submission has exactly its rows, in core.issue or intake.rejected_row."""
    with engine.connect() as conn:
        bad = (
            conn.execute(
                sa.text(
                    "SELECT s.file_name FROM intake.submission s "
                    "WHERE s.status IN ('loaded', 'partial') AND ("
                    " s.rows_accepted <> (SELECT count(*) FROM core.issue i WHERE i.submission_id = s.id) OR"
                    " s.rows_rejected <> "
                    "(SELECT count(*) FROM intake.rejected_row r WHERE r.submission_id = s.id))"
                )
            )
            .scalars()
            .all()
        )
    assert bad == []


def write_inbox(inbox) -> None:
    inbox.mkdir()
    header = ["Uraian Permasalahan", "Dimensi", "Kategori", "Urgensi", "Kode Wilayah", "OPD"]
    for n in range(24):  # enough files that the intake takes a few seconds
        with open(inbox / f"opd_{n:02d}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(
                [f"Masalah {n}-{i}", "Smart Living", "Kelemahan", "3", "64.01.04.2005", f"OPD {n}"]
                for i in range(1000)
            )


@pytest.fixture
def setup(tmp_path, pg_creds, engine, prefect_server):
    env = clean_env(
        SMARTCITY_DATABASE_URL=db_url(pg_creds, engine.url.database, driver="postgresql"),
        SMARTCITY_STATE_DIR=str(tmp_path / "state"),
        PREFECT_API_URL=prefect_server,
    )
    inbox = tmp_path / "inbox"
    write_inbox(inbox)
    return env, inbox


def scoring_waits_on(engine) -> bool:
    """A scoring run's transaction is open and waiting for the lock the test holds."""
    return bool(scalar(engine, "SELECT count(*) FROM pg_locks WHERE NOT granted "
                               "AND relation = 'mart.priority_history'::regclass"))  # fmt: skip


def test_killed_during_the_intake_then_during_the_scoring_the_next_run_completes_the_work(
    setup, engine, tmp_path
):
    env, inbox = setup
    run = start_run(env, tmp_path, inbox)
    kill_when(run, lambda: 3 <= scalar(engine, "SELECT count(*) FROM intake.submission") < 24)
    consistent(engine)
    assert scalar(engine, "SELECT count(*) FROM smartcity.pipeline_run WHERE finished_at IS NULL") == 1

    # the next run loads the rest; it is killed in the middle of its scoring transaction (held there by
    # a lock this test takes on a table the scoring writes)
    holder = engine.connect()
    holder.execute(sa.text("LOCK TABLE mart.priority_history IN SHARE MODE"))
    try:
        run = start_run(env, tmp_path, inbox)
        kill_when(run, lambda: scoring_waits_on(engine))
    finally:
        holder.rollback()
        holder.close()
    consistent(engine)
    assert scalar(engine, "SELECT count(*) FROM intake.submission") == 24
    assert scalar(engine, "SELECT count(*) FROM mart.scoring_run") == 0  # nothing of the killed scoring
    assert scalar(engine, "SELECT count(*) FROM mart.priority_history") == 0

    again = run_cli("run", "--inbox", str(inbox), env=env, cwd=tmp_path, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "24 duplicates" in again.stdout and "priority scores: run " in again.stdout
    consistent(engine)
    assert scalar(engine, "SELECT count(*) FROM core.issue") == 24_000
    assert scalar(engine, "SELECT count(*) FROM mart.scoring_run") == 1
    assert scalar(engine, "SELECT count(*) FROM mart.priority_history WHERE level = 'village'") == 144
    with engine.connect() as conn:
        outcomes = conn.execute(
            sa.text("SELECT outcome FROM smartcity.pipeline_run ORDER BY started_at")
        ).all()
    # the killed runs never recorded an end: the next run of the region marked them interrupted
    assert [o for (o,) in outcomes] == ["interrupted", "interrupted", "completed"]


def test_killed_while_publishing_no_half_written_pages_and_the_next_run_publishes(setup, engine, tmp_path):
    env, inbox = setup
    site = tmp_path / "output" / "site"
    run = start_run(env, tmp_path, inbox)
    kill_when(run, lambda: site.is_dir() and any(p.name.startswith(".") for p in site.iterdir()))
    assert not list(site.glob("*/index.html"))  # the folder only gets its name once complete
    runs = scalar(engine, "SELECT count(*) FROM mart.scoring_run")
    again = run_cli("run", "--inbox", str(inbox), env=env, cwd=tmp_path, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "nothing changed since scoring run" in again.stdout  # scoring had committed: reused
    assert scalar(engine, "SELECT count(*) FROM mart.scoring_run") == runs == 1
    assert len(list(site.glob("*/index.html"))) == 1
    assert not [p for p in site.iterdir() if p.name.startswith(".")]  # the killed run's leftovers are gone
    consistent(engine)


def test_postgresql_stopped_mid_run_retries_then_fails_in_one_line_and_the_next_run_completes(
    tmp_path, prefect_server
):
    from smartcity.platform import local_cluster
    from tests.conftest import make_settings

    # a cluster of its own, to stop (the session's stays up), given as SMARTCITY_DATABASE_URL: a
    # database the pipeline does not manage (its own local cluster it would start again itself)
    settings = make_settings(state_dir=tmp_path / "pg_state", local_pg_fast=True)
    creds = local_cluster.ensure_running(settings)
    engine = sa.create_engine(creds.url(driver="postgresql+psycopg"), poolclass=sa.pool.NullPool)
    env = clean_env(SMARTCITY_DATABASE_URL=creds.url(), SMARTCITY_STATE_DIR=str(tmp_path / "state"),
                    PREFECT_API_URL=prefect_server)  # fmt: skip
    inbox = tmp_path / "inbox"
    write_inbox(inbox)
    try:
        run = start_run(env, tmp_path, inbox)

        def loading() -> bool:
            with contextlib.suppress(sa.exc.ProgrammingError):  # before the migrations made the table
                return scalar(engine, "SELECT count(*) FROM intake.submission") >= 3
            return False

        deadline = time.monotonic() + 240
        while not loading():
            assert run.poll() is None and time.monotonic() < deadline, run.stdout.read()
            time.sleep(0.05)
        local_cluster.stop(settings)  # PostgreSQL goes away in the middle of the intake
        output, _ = run.communicate(timeout=300)
        assert run.returncode == 1, output[-3000:]
        assert "Retry 1/2 will start" in output and "Retry 2/2 will start" in output
        errors = [line for line in output.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1 and errors[0].startswith("error: the database went away"), output[-3000:]

        local_cluster.ensure_running(settings)
        consistent(engine)  # what was committed is whole; the file being loaded left nothing
        again = run_cli("run", "--inbox", str(inbox), env=env, cwd=tmp_path, timeout=600)
        assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
        consistent(engine)
        assert scalar(engine, "SELECT count(*) FROM core.issue") == 24_000
        with engine.connect() as conn:
            outcomes = conn.execute(sa.text("SELECT outcome FROM smartcity.pipeline_run ORDER BY started_at"))
            assert [o for (o,) in outcomes] == ["interrupted", "completed"]
    finally:
        engine.dispose()
        local_cluster.destroy(settings)


def test_two_runs_at_once_one_waits_for_the_other_and_the_data_stays_whole(setup, engine, tmp_path):
    """Both runs are started while the test holds the region's lock, so both are queued at once
    (whatever the machine's speed); released, one runs, the other waits for it, then finds nothing new."""
    env, inbox = setup
    holder = engine.connect()
    key = {"key": "smartcity-run:64.01"}
    holder.execute(sa.text("SELECT pg_advisory_lock(hashtextextended(:key, 0))"), key)
    holder.commit()
    try:
        runs = [start_run(env, tmp_path, inbox) for _ in range(2)]
        waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        deadline = time.monotonic() + 240
        while scalar(engine, waiting) < 2:
            assert all(run.poll() is None for run in runs) and time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        holder.execute(sa.text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))"), key)
        holder.commit()
        holder.close()
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output[-3000:]
        assert "waited for another pipeline run of 64.01" in output
    consistent(engine)
    assert scalar(engine, "SELECT count(*) FROM intake.submission") == 24  # no file twice
    assert scalar(engine, "SELECT count(*) FROM core.issue") == 24_000
    assert scalar(engine, "SELECT count(*) FROM mart.scoring_run") == 1
    with engine.connect() as conn:
        outcomes = conn.execute(sa.text("SELECT outcome FROM smartcity.pipeline_run ORDER BY started_at"))
        assert [o for (o,) in outcomes] == ["completed", "unchanged"]


def test_a_full_disk_fails_the_publish_step_only_and_the_next_run_publishes(setup, engine, tmp_path):
    """The run's files may not grow past 256 KiB (RLIMIT_FSIZE: writes fail with EFBIG, as on a full
    disk they fail with ENOSPC): the map page cannot be written; what the database holds is kept."""
    import resource

    env, inbox = setup

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    full = subprocess.run(
        [sys.executable, "-m", "smartcity", "run", "--inbox", str(inbox)], env=env, cwd=tmp_path,
        capture_output=True, text=True, timeout=600, preexec_fn=small_disk, check=False,
    )  # fmt: skip
    assert full.returncode == 1, full.stdout[-2000:] + full.stderr[-2000:]
    errors = [line for line in full.stderr.splitlines() if line.startswith("error: ")]
    site = tmp_path / "output" / "site"
    # (the output folder as configured: relative to where the run started)
    assert errors == ["error: cannot write the pages to output/site: File too large"], full.stderr[-2000:]
    consistent(engine)
    assert scalar(engine, "SELECT count(*) FROM intake.submission") == 24
    assert scalar(engine, "SELECT count(*) FROM mart.scoring_run") == 1
    assert scalar(engine, "SELECT outcome FROM smartcity.pipeline_run") == "failed"
    assert not list(site.iterdir())  # no half-written page folder
    again = run_cli("run", "--inbox", str(inbox), env=env, cwd=tmp_path, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "nothing changed since scoring run" in again.stdout
    assert len(list(site.glob("*/index.html"))) == 1
