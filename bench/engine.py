"""Benchmark: what a task's database call costs now that engines have no side effects.

Before (until 2026-12-05) every ``db.get_engine()`` without SMARTCITY_DATABASE_URL ran
``local_cluster.ensure_running``: a file lock, ``pg_ctl status``, two admin connections and an
``ALTER ROLE ... PASSWORD``. That is ``db.bring_up`` today, so both are measured in the same run:
"before" = bring_up + get_engine + SELECT 1, "after" = get_engine + SELECT 1 (the pooled engine).

Run: .venv/bin/python bench/engine.py   (prints its figures; makes and deletes a throwaway cluster)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._scratch import scratch_cluster  # noqa: E402
from smartcity.platform import db  # noqa: E402

CALLS = 200


def per_call_ms(func, calls: int = CALLS) -> tuple[float, float]:
    """Median and 95th percentile of one call, in milliseconds."""
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1]


def main() -> None:
    with scratch_cluster() as (settings, _creds, _folder):

        def select_one() -> None:
            with db.get_engine(settings).connect() as conn:
                conn.execute(sa.text("SELECT 1")).scalar_one()

        def before() -> None:  # what every task's call did until engines lost their side effects
            db.bring_up(settings)
            select_one()

        select_one()  # the pool holds a connection from here on, as in a task after its first call
        rows = [
            ("before: bring_up + get_engine + SELECT 1", per_call_ms(before)),
            ("after:  get_engine + SELECT 1 (pooled)", per_call_ms(select_one)),
            ("after:  get_engine alone", per_call_ms(lambda: db.get_engine(settings))),
        ]
    print(f"{'a task database call (local cluster, ' + str(CALLS) + ' calls)':<52} {'median':>9} {'p95':>9}")
    for label, (median, p95) in rows:
        print(f"{label:<52} {median:7.2f} ms {p95:7.2f} ms")


if __name__ == "__main__":
    main()
