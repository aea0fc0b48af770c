"""A throwaway PostGIS cluster for the benchmarks (fast mode: fsync off), destroyed afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from smartcity.platform import cluster_credentials, cluster_roles, local_cluster
from smartcity.platform.settings import Settings


@contextmanager
def scratch_cluster() -> Iterator[tuple[Settings, cluster_credentials.Credentials, Path]]:
    """Settings, credentials and a temporary folder of a new local cluster, removed on exit."""
    with tempfile.TemporaryDirectory(prefix="smartcity-bench-") as folder:
        settings = Settings(_env_file=None, state_dir=Path(folder) / "state", local_pg_fast=True)
        try:
            yield settings, local_cluster.ensure_running(settings), Path(folder)
        finally:
            local_cluster.destroy(settings)


def new_database(creds: cluster_credentials.Credentials, name: str) -> str:
    """Create database ``name`` with PostGIS (the admin makes it, owned by the application role, as in
    the product); return the application's SQLAlchemy URL for it."""
    cluster_roles.create_database(creds, name)
    return creds.url(driver="postgresql+psycopg", database=name)
