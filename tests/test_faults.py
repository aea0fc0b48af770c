"""Faults with real processes: `smartcity run` killed with SIGKILL in the middle of the intake and of
the publishing; the database stays consistent and the next run completes the work."""

from __future__ import annotations

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


@pytest.fixture
def setup(tmp_path, pg_creds, engine):
    env = clean_env(
        SMARTCITY_DATABASE_URL=db_url(pg_creds, engine.url.database, driver="postgresql"),
        SMARTCITY_STATE_DIR=str(tmp_path / "state"),
    )
    inbox = tmp_path / "inbox"
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
    return env, inbox


def test_killed_during_the_intake_the_next_run_completes_it(setup, engine, tmp_path):
    env, inbox = setup
    run = start_run(env, tmp_path, inbox)
    kill_when(run, lambda: 3 <= scalar(engine, "SELECT count(*) FROM intake.submission") < 24)
    consistent(engine)
    loaded_before = scalar(engine, "SELECT count(*) FROM intake.submission")
    assert scalar(engine, "SELECT count(*) FROM smartcity.pipeline_run WHERE finished_at IS NULL") == 1
    again = run_cli("run", "--inbox", str(inbox), env=env, cwd=tmp_path, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"{loaded_before} duplicates" in again.stdout
    consistent(engine)
    assert scalar(engine, "SELECT count(*) FROM intake.submission") == 24
    assert scalar(engine, "SELECT count(*) FROM core.issue") == 24_000
    assert scalar(engine, "SELECT count(*) FROM smartcity.pipeline_run WHERE outcome = 'completed'") == 1


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
