"""Benchmark: the intake's pure readers on many rows, without a database.

Run: .venv/bin/python bench/intake_parsers.py
Prints, best of 5 runs (the machine may be shared): what one location cell of each form costs
(smartcity.intake.locate.locations.parse_location), a million location cells of which 20,000 are distinct
(parse_locations: each distinct value parsed once), and classify_rows (non-data rows) over a million
data rows and over a million rows that have neither a dimension nor a location (the slow path).
"""

from __future__ import annotations

import time
import timeit

import numpy as np

from smartcity.intake.locate.locations import parse_location, parse_locations
from smartcity.intake.read.rowkinds import classify_rows

SAMPLES = [
    "Jl. Jend. Sudirman No. 4 RT 12, Kelurahan Long Ikis",
    "Desa Lori Kec. Long Kali",
    "-1.912, 116.2",
    "1°52'10\"S 116°4'3\"E",
    "50M 412345 9791234",
    "https://www.google.com/maps/place/x/@-1.9123,116.2034,15z",
    "Lori / Long Kali",
]


def best(func, repeat: int = 5) -> float:
    return min(timeit.repeat(func, number=1, repeat=repeat))


def main() -> None:
    print("one location cell (best of 5 x 1,000):")
    for sample in SAMPLES:
        seconds = min(timeit.repeat(lambda s=sample: parse_location(s, regency_names=("paser",)), number=1000,
                                    repeat=5)) / 1000  # fmt: skip
        print(f"  {seconds * 1e6:7.1f} µs  {sample}")
    rng = np.random.default_rng(0)
    addresses = [f"Desa Nama{i} Kec. Distrik{i % 10}" for i in range(10_000)]
    points = [f"{-1 - i / 1e5:.6f}, {116 + i / 1e5:.6f}" for i in range(10_000)]
    distinct = np.array(addresses + points, dtype=object)
    cells = distinct[rng.integers(0, len(distinct), 1_000_000)]
    start = time.perf_counter()
    parse_locations(cells, regency_names=("paser",))
    seconds = time.perf_counter() - start
    print(f"parse_locations: {seconds:.2f} s for {len(cells):,} cells, {len(distinct):,} distinct")
    n, width = 1_000_000, 8
    roles = {"description": 1, "dimension": 2, "district": 3, "village": 4, "severity": 5}
    columns = [np.full(n, None, dtype=object) for _ in range(width)]
    columns[0] = np.array([str(k) for k in range(1, n + 1)], dtype=object)
    columns[1] = np.array([f"Masalah {k}" for k in range(n)], dtype=object)
    columns[2][:] = "Smart Living"
    columns[3][:] = "Long Ikis"
    columns[5][:] = "4"
    print(f"classify_rows, {n:,} data rows: {best(lambda: classify_rows(columns, roles)):.2f} s")
    bare = [c.copy() for c in columns]
    bare[2][:] = None
    bare[3][:] = None
    print(f"classify_rows, {n:,} rows without dimension or location (slow path): "
          f"{best(lambda: classify_rows(bare, roles), repeat=2):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
