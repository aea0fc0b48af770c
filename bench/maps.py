"""Benchmark: building the priority map page for the real 144 villages of Paser with 1,000, 10,000 and
100,000 issues: seconds to build and render, page size against its budget (5 MB up to 10,000 issues,
25 MB beyond), and the size of the offline assets folder.

Run: .venv/bin/python bench/maps.py [--issues 1000 10000 100000]
No database: the villages come from geodata/sources, scores and issues are generated (seeded).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


from maps.web.assets import make_offline  # noqa: E402
from maps.web.priority_map import MapOptions, budget_bytes, build_priority_map, render  # noqa: E402
from tests.helpers import paser_villages  # noqa: E402
from tests.test_maps import issues_in, map_data  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    args = parser.parse_args()
    villages = paser_villages()
    print(f"{'issues':>8} {'build+render':>13} {'page':>9} {'budget':>7} {'offline copy':>13}")
    for count in args.issues:
        data = map_data(villages, issues_in(villages, count))
        start = time.perf_counter()
        page = render(build_priority_map(data, MapOptions(offline=True)))
        seconds = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            make_offline(page, Path(folder))
            t_offline = time.perf_counter() - start
            assets = sum(p.stat().st_size for p in (Path(folder) / "assets").rglob("*") if p.is_file())
        size = len(page.encode())
        print(
            f"{count:>8,} {seconds:>11.2f} s {size / 1e6:>6.2f} MB {budget_bytes(count) / 1e6:>4.0f} MB"
            f" {t_offline:>9.2f} s   (assets folder {assets / 1e6:.1f} MB)"
        )


if __name__ == "__main__":
    main()
