"""Engines without side effects: building one never starts, creates or alters a database; the local
cluster is brought up where a run starts, and again by a task retrying after the connection was lost."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from prefect import flow, task

from smartcity.platform import db, local_cluster
from smartcity.platform.errors import DatabaseUnavailable
from tasks.retry import ON_DATABASE, task_engine
from tests.conftest import make_settings


def test_an_engine_for_a_local_database_that_does_not_exist_creates_nothing(tmp_path):
    settings = make_settings(state_dir=tmp_path / "state")
    with pytest.raises(DatabaseUnavailable, match="has not been created yet: run `smartcity db up`"):
        db.get_engine(settings)
    assert not (tmp_path / "state").exists() or not any((tmp_path / "state").rglob("*"))


def test_the_same_engine_is_returned_without_touching_the_server(pg_settings):
    """Twice the same pooled engine, and no login happened to build it (the pool is still empty)."""
    first, second = db.get_engine(pg_settings), db.get_engine(pg_settings)
    assert first is second
    first.dispose()
    again = db.get_engine(pg_settings)
    assert again.pool.checkedin() == 0 and again.pool.checkedout() == 0


def test_a_task_retrying_after_the_cluster_stopped_brings_it_up_again(tmp_path, prefect_harness):
    """First attempt: the engine is built, the connection is refused (nothing starts the server);
    the retry brings the local cluster up and succeeds."""
    settings = make_settings(state_dir=tmp_path / "state", local_pg_fast=True)
    local_cluster.ensure_running(settings)
    local_cluster.stop(settings)
    attempts = []

    @task(**{**ON_DATABASE, "retries": 1, "retry_delay_seconds": 0})
    def select_one() -> int:
        engine = task_engine(settings)
        attempts.append(local_cluster.is_running(settings))
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT 1")).scalar_one()

    @flow
    def run() -> int:
        return select_one()

    try:
        assert run() == 1
        assert attempts == [False, True]  # the first attempt found it stopped and did not start it
    finally:
        db.get_engine(settings).dispose()
        local_cluster.destroy(settings)
