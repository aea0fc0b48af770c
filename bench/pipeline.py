"""Benchmark: the whole pipeline (`smartcity run`), as a user runs it, in fresh processes.

Run: .venv/bin/python bench/pipeline.py [--parts demo issues dask] [--issues 100000] [--worksheets 50]
Each part works in a throwaway folder (its own local PostGIS in fast mode, Prefect home and output):
- demo: `smartcity run --inbox geodata/demo/worksheets` three times:
  1. cold: empty database, fresh Prefect home (migrations, demo region, IKN, 8 worksheets, scoring,
     offline pages);
  2. warm, unchanged inbox: nothing new, the last run is reused;
  3. warm, one new worksheet (a copy of one demo file with one row changed): ingest, score, publish.
- issues: the demo region with --issues generated issues (20 worksheets), after a warm-up run that
  loads the region and creates Prefect's database.
- dask: --worksheets generated worksheets (200 rows each) with the default task runner and with
  `--task-runner dask` on a local cluster of 2 workers, each after its own warm-up run.
For each run it prints the wall time and our own work: the sum of the run times Prefect recorded for
the pipeline's tasks (the rest is process start, Prefect's API and its per-run bookkeeping; with
Dask, tasks overlap, so their sum can exceed the wall time).
"""

from __future__ import annotations

import argparse
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


def run(folder: Path, inbox: Path, *options: str) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMARTCITY_", "PREFECT_"))}
    env.update(SMARTCITY_STATE_DIR=str(folder / "state"), SMARTCITY_OUTPUT_DIR=str(folder / "output"),
               SMARTCITY_LOCAL_PG_FAST="true", SMARTCITY_DASK_WORKERS="2")  # fmt: skip
    start = time.perf_counter()
    command = [sys.executable, "-m", "smartcity", "run", "--inbox", str(inbox), *options]
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


def report(label: str, folder: Path, seconds: float) -> None:
    work = own_work(folder)
    print(f"{label:<44} {seconds:>6.1f} s {work:>7.1f} s {seconds - work:>17.1f} s", flush=True)


def write_worksheets(inbox: Path, files: int, rows: int) -> None:
    """``files`` CSV worksheets of ``rows`` generated rows each, every one with content of its own."""
    sys.path.insert(0, str(Path(__file__).parent))
    from ingest import HEADER, generated_rows

    inbox.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        with open(inbox / f"opd_{n:03d}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(HEADER)
            writer.writerows([*row[:-1], f"Dinas Uji {n}"] for row in generated_rows(rows))


def destroy(folder: Path) -> None:
    from smartcity.platform import local_cluster
    from smartcity.platform.settings import Settings

    local_cluster.destroy(Settings(_env_file=None, state_dir=folder / "state"))


def bench_demo() -> None:
    with tempfile.TemporaryDirectory(prefix="smartcity-bench-") as tmp:
        folder = Path(tmp)
        inbox = folder / "inbox"
        shutil.copytree(DEMO, inbox)
        try:
            for label in ("demo, cold: empty database, fresh Prefect home", "demo, warm: unchanged inbox",
                          "demo, warm: one new worksheet"):  # fmt: skip
                if label.endswith("one new worksheet"):
                    source = inbox / "dlh.csv"
                    rows = list(csv.reader(source.open(encoding="utf-8")))
                    rows[-1][0] = rows[-1][0] + " (revisi)"
                    with open(inbox / "dlh_revisi.csv", "w", newline="", encoding="utf-8") as handle:
                        csv.writer(handle).writerows(rows)
                seconds, _ = run(folder, inbox)
                report(label, folder, seconds)
        finally:
            destroy(folder)


def bench_generated(label: str, files: int, rows: int, *options: str) -> None:
    """A warm-up run on an empty inbox (region, IKN, Prefect's database), then the generated one."""
    with tempfile.TemporaryDirectory(prefix="smartcity-bench-") as tmp:
        folder = Path(tmp)
        try:
            (folder / "empty").mkdir()
            run(folder, folder / "empty", *options)
            write_worksheets(folder / "inbox", files, rows)
            seconds, _ = run(folder, folder / "inbox", *options)
            report(label, folder, seconds)
        finally:
            destroy(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parts", nargs="*", default=["demo", "issues", "dask"])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--worksheets", type=int, default=50)
    args = parser.parse_args()
    print(f"{'run':<44} {'wall':>8} {'own work':>9} {'Prefect & start-up':>19}")
    if "demo" in args.parts:
        bench_demo()
    if "issues" in args.parts:
        bench_generated(f"{args.issues:,} generated issues (20 files)", 20, args.issues // 20)
    if "dask" in args.parts:
        n = args.worksheets
        bench_generated(f"{n} worksheets x 200 rows, default runner", n, 200)
        bench_generated(f"{n} worksheets x 200 rows, dask (2 workers)", n, 200, "--task-runner", "dask")


if __name__ == "__main__":
    main()
