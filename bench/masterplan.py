"""Benchmark: the master plan analysis document (.docx) and its issue workbook (lampiran_isu.xlsx) for the
real 144 villages of Paser with the demo's size (about 200 issues) and with 100,000 issues: seconds to
build and save each (figures excluded: they are drawn once per run for the pages too), and the files'
sizes. Goals (issue 29): document and workbook under 3 s for the demo, under 10 s for 100,000 issues.

Run: .venv/bin/python bench/masterplan.py [--issues 200 100000]
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

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from maps.document.annex import write_annex  # noqa: E402
from maps.document.masterplan import write_masterplan  # noqa: E402
from tests.helpers import paser_villages  # noqa: E402
from tests.test_maps import issues_in, map_data  # noqa: E402

DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")
SWOT = ("strength", "weakness", "opportunity", "threat")


def issue_texts(villages: gpd.GeoDataFrame, count: int) -> pd.DataFrame:
    """``count`` issues with place names, spread over the villages, dimensions and SWOT categories."""
    rng = np.random.default_rng(6401)
    at = rng.integers(0, len(villages), count)
    return pd.DataFrame({
        "agency": [f"Dinas {i % 12}" for i in range(count)],
        "dimension": [DIMENSIONS[i % 6] for i in range(count)],
        "swot": [SWOT[i % 4] for i in rng.integers(0, 4, count)],
        "severity": rng.integers(1, 6, count),
        "description": [f"Uraian masalah nomor {i} di desa" for i in range(count)],
        "village_code": villages["code"].to_numpy()[at],
        "village_name": villages["name"].to_numpy()[at],
        "district_code": villages["district_code"].to_numpy()[at],
        "district_name": ["Kecamatan " + c for c in villages["district_code"].to_numpy()[at]],
        "regency_wide": False,
        "readiness": [(None, "suprastruktur", "struktur", "infrastruktur")[i % 4] for i in range(count)],
    }).sort_values(["dimension", "severity"], ascending=[True, False], kind="stable")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, nargs="*", default=[200, 100_000])
    args = parser.parse_args()
    villages = paser_villages()
    print(f"{'issues':>8} {'document':>9} {'workbook':>9} {'both':>7} {'docx':>8} {'xlsx':>8}")
    for count in args.issues:
        data = map_data(villages, issues_in(villages, min(count, 1_000)))
        data.issue_texts = issue_texts(villages, count)
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            document = write_masterplan(data, Path(folder) / "analisis_masterplan.docx")
            middle = time.perf_counter()
            workbook = write_annex(data.issue_texts, Path(folder) / "lampiran_isu.xlsx")
            end = time.perf_counter()
            sizes = document.stat().st_size / 1e6, workbook.stat().st_size / 1e6
        print(
            f"{count:>8,} {middle - start:>8.2f}s {end - middle:>8.2f}s {end - start:>6.2f}s "
            f"{sizes[0]:>5.2f} MB {sizes[1]:>5.2f} MB"
        )


if __name__ == "__main__":
    main()
