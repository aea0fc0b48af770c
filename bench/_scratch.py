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


def paser_database(creds: local_cluster.Credentials, settings: Settings, name: str):
    """A new database ``name``, migrated, with Paser's 144 real villages loaded (districts derived):
    its SQLAlchemy engine and the intake's gazetteer of it."""
    import sqlalchemy as sa

    from smartcity.intake.load import load_gazetteer
    from smartcity.platform import db
    from smartcity.reference.load import LoadOptions, load_reference

    villages = Path(__file__).resolve().parents[1] / "geodata/sources/boundaries/paser_desa_kelurahan.geojson"
    engine = sa.create_engine(new_database(creds, name), poolclass=sa.pool.NullPool)
    db.check_database(engine)
    db.apply_migrations(engine)
    load_reference(engine, villages, settings, LoadOptions(regions=["64.01"]))
    return engine, load_gazetteer(engine, "64.01")
