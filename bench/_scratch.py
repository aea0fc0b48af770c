"""A throwaway PostGIS cluster for the benchmarks (fast mode: fsync off), destroyed afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from smartcity.platform import local_cluster
from smartcity.platform.settings import Settings


@contextmanager
def scratch_cluster() -> Iterator[tuple[Settings, local_cluster.Credentials, Path]]:
    """Settings, credentials and a temporary folder of a new local cluster, removed on exit."""
    with tempfile.TemporaryDirectory(prefix="smartcity-bench-") as folder:
        settings = Settings(_env_file=None, state_dir=Path(folder) / "state", local_pg_fast=True)
        try:
            yield settings, local_cluster.ensure_running(settings), Path(folder)
        finally:
            local_cluster.destroy(settings)


def new_database(creds: local_cluster.Credentials, name: str) -> str:
    """Create database ``name`` with PostGIS; return its SQLAlchemy URL."""
    with psycopg.connect(creds.url().rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(creds.url().rsplit("/", 1)[0] + "/" + name, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return creds.url(driver="postgresql+psycopg").rsplit("/", 1)[0] + "/" + name
