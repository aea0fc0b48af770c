"""Benchmark: the intake over thousands of generated worksheets whose truth is known (#27 item 7).

Run: .venv/bin/python bench/worksheet_generator.py [--count 5000] [--seed 27] [--formats xlsx,csv,ods,docx]
     [--pure] [--keep DIR]

Each worksheet comes from tests/realworld/generator.py (a seeded correct table of real Paser places with
the transformations agency staff apply, in random combination), is ingested by the product's own intake
and scored row by row against its truth by tests/realworld/scoring.py. By default every file goes
through ``ingest_file`` into a throwaway PostGIS cluster (fast mode) with Paser's villages loaded;
``--pure`` reads, validates and places without a database instead (``read_workbook`` + ``judged``,
several times faster, same verdicts but for what only the database does). Files are deleted once
scored; ``--keep DIR`` keeps those with a row in a wrong place. PDF is slow (LibreOffice, a second or
more a file): ask for it with ``--formats ...,pdf``.

Prints: worksheets, rows, the share of rows right, rows in a wrong place (must be 0), the problems, the
share right per format, the transformations the wrong rows had (wrong rows / rows with it), the time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._scratch import paser_database, scratch_cluster  # noqa: E402
from tests.realworld.generator import FAST_FORMATS, FORMATS, file_seeds, generate  # noqa: E402
from tests.realworld.scoring import Summary, ingest_outcome, judge_outcome, paser_gazetteer, score  # noqa: E402


def run(seeds: list[int], formats: tuple[str, ...], outcome_of, keep: Path | None) -> tuple[Summary, dict]:
    """Generate, ingest and score each seed's worksheet; the summary and seconds spent per step."""
    summary, seconds = Summary(), {"generate": 0.0, "intake": 0.0}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="generated-") as folder:
        for done, seed in enumerate(seeds, start=1):
            t0 = time.perf_counter()
            generated = generate(seed, Path(folder), formats)
            t1 = time.perf_counter()
            scored = score(generated, outcome_of(generated.path))
            seconds["generate"] += t1 - t0
            seconds["intake"] += time.perf_counter() - t1
            summary.add(generated, scored)
            if keep is not None and scored.wrong_place:
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(generated.path, keep / generated.path.name)
            generated.path.unlink()
            if done % 500 == 0 or done == len(seeds):
                share = summary.rows_right / summary.rows_total if summary.rows_total else 0.0
                print(f"  {done}/{len(seeds)} worksheets, {share:.1%} of rows right, "
                      f"{summary.wrong_place} in a wrong place, {time.perf_counter() - started:.0f} s",
                      flush=True)  # fmt: skip
    return summary, seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=27)
    parser.add_argument("--formats", default=",".join(FAST_FORMATS), help=f"some of {','.join(FORMATS)}")
    parser.add_argument("--pure", action="store_true", help="read, validate and place without a database")
    parser.add_argument("--keep", type=Path, help="keep the worksheets with a row in a wrong place here")
    args = parser.parse_args()
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    seeds = file_seeds(args.seed, args.count)
    started = time.perf_counter()
    print(f"{args.count} worksheets from seed {args.seed}, formats {', '.join(formats)}, "
          f"{'pure (no database)' if args.pure else 'ingested into PostGIS'}")  # fmt: skip
    if args.pure:
        gazetteer = paser_gazetteer()
        summary, seconds = run(seeds, formats, lambda path: judge_outcome(gazetteer, path), args.keep)
    else:
        with scratch_cluster() as (settings, creds, _folder):
            engine, gazetteer = paser_database(creds, settings, "bench_generator")
            print(f"  database ready in {time.perf_counter() - started:.0f} s", flush=True)
            summary, seconds = run(
                seeds, formats, lambda path: ingest_outcome(engine, gazetteer, path), args.keep
            )
            engine.dispose()
    for line in summary.lines():
        print(line)
    total = time.perf_counter() - started
    each = 1000 * seconds["intake"] / max(args.count, 1)
    print(f"time: {total:.0f} s in all; generating {seconds['generate']:.0f} s, intake and scoring "
          f"{seconds['intake']:.0f} s ({each:.0f} ms a worksheet)")  # fmt: skip


if __name__ == "__main__":
    main()
