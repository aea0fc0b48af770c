"""Benchmark: how long the local PostGIS takes to come up, cold and warm, and to migrate.

Run: .venv/bin/python bench/db_up.py   (prints its figures; makes and deletes throwaway clusters)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from smartcity.platform import db, local_cluster
from smartcity.platform.settings import Settings


def timed(label: str, func) -> None:
    start = time.perf_counter()
    func()
    print(f"{label:<60} {time.perf_counter() - start:7.2f} s")


def bench_cluster(settings: Settings, kind: str) -> None:
    timed(f"cold: initdb+start+createdb+postgis [{kind}]", lambda: local_cluster.ensure_running(settings))
    timed(f"warm: ensure_running, already up [{kind}]", lambda: local_cluster.ensure_running(settings))
    engine = sa.create_engine(db.resolve_url(settings), poolclass=sa.pool.NullPool)
    count = len(db.list_migrations())
    timed(f"migrate a fresh database, {count} files [{kind}]", lambda: db.apply_migrations(engine))
    timed(f"migrate again (nothing pending) [{kind}]", lambda: db.apply_migrations(engine))
    timed(f"stop [{kind}]", lambda: local_cluster.stop(settings))
    timed(f"start again [{kind}]", lambda: local_cluster.ensure_running(settings))
    command = [sys.executable, "-m", "smartcity", "db", "up"]
    env = {"SMARTCITY_STATE_DIR": str(settings.state_dir), "PATH": "/usr/bin:/bin"}
    timed(
        f"CLI `smartcity db up`, already up (whole process) [{kind}]",
        lambda: subprocess.run(command, env=env, check=True, capture_output=True),
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="smartcity-bench-") as folder:
        for fast in (False, True):
            settings = Settings(_env_file=None, state_dir=Path(folder) / f"state-{fast}", local_pg_fast=fast)
            try:
                bench_cluster(settings, "fast (fsync off)" if fast else "durable")
            finally:
                local_cluster.destroy(settings)


if __name__ == "__main__":
    main()
