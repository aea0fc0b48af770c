"""Benchmark: the whole pipeline (`smartcity run`) on the bundled demo data, as a user runs it.

Run: .venv/bin/python bench/pipeline.py
In a throwaway folder (its own local PostGIS in fast mode, its own Prefect home and output), it runs
`smartcity run --inbox geodata/demo/worksheets` three times in fresh processes:
  1. cold: empty database, fresh Prefect home (migrations, demo region, IKN, 8 worksheets, scoring,
     offline pages);
  2. warm, unchanged inbox: nothing new, the last run is reused;
  3. warm, one new worksheet (a copy of one demo file with one row changed): ingest, score, publish.
For each it prints the wall time and how much of it our own work took: the sum of the run times
Prefect recorded for the pipeline's tasks and sub-flows (the rest is process start, Prefect's
ephemeral API and its per-run bookkeeping).
"""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "geodata" / "demo" / "worksheets"


def run(folder: Path, inbox: Path) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMARTCITY_", "PREFECT_"))}
    env.update(SMARTCITY_STATE_DIR=str(folder / "state"), SMARTCITY_OUTPUT_DIR=str(folder / "output"),
               SMARTCITY_LOCAL_PG_FAST="true")  # fmt: skip
    start = time.perf_counter()
    command = [sys.executable, "-m", "smartcity", "run", "--inbox", str(inbox)]
    done = subprocess.run(command, env=env, cwd=folder, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return seconds, done.stdout


def own_work(folder: Path) -> float:
    """Seconds spent inside the tasks of the latest pipeline flow run (Prefect's own records)."""
    with sqlite3.connect(folder / "state" / "prefect" / "prefect.db") as db:
        flow_run = db.execute(
            "SELECT fr.id FROM flow_run fr JOIN flow f ON f.id = fr.flow_id "
            "WHERE f.name = 'smartcity-pipeline' ORDER BY fr.start_time DESC LIMIT 1"
        ).fetchone()[0]
        # the pipeline's own task runs; a sub-flow appears among them as one task run spanning it
        total = db.execute(
            "SELECT coalesce(sum(julianday(total_run_time) - julianday('1970-01-01')), 0) * 86400 "
            "FROM task_run WHERE flow_run_id = ?",
            [flow_run],
        ).fetchone()[0]
    return float(total)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="smartcity-bench-") as tmp:
        folder = Path(tmp)
        inbox = folder / "inbox"
        shutil.copytree(DEMO, inbox)
        try:
            print(f"{'run':<40} {'wall':>8} {'own work':>9} {'Prefect & start-up':>19}")
            for label in ("cold: empty database, fresh Prefect home", "warm: unchanged inbox",
                          "warm: one new worksheet"):  # fmt: skip
                if label.startswith("warm: one new"):
                    source = inbox / "dlh.csv"
                    rows = list(csv.reader(source.open(encoding="utf-8")))
                    rows[-1][0] = rows[-1][0] + " (revisi)"
                    with open(inbox / "dlh_revisi.csv", "w", newline="", encoding="utf-8") as handle:
                        csv.writer(handle).writerows(rows)
                seconds, _ = run(folder, inbox)
                work = own_work(folder)
                print(f"{label:<40} {seconds:>6.1f} s {work:>7.1f} s {seconds - work:>17.1f} s")
        finally:
            from smartcity import localpg
            from smartcity.settings import Settings

            localpg.destroy(Settings(_env_file=None, state_dir=folder / "state"))


if __name__ == "__main__":
    main()
