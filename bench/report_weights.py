"""Benchmark: the report's weights panel for the real 144 villages of Paser in headless Chromium: how long one
re-rank takes (re-score, classify, reorder the table, recolour the small map), measured by the page itself
with the Performance API (``performance.measure("sc-rerank")``); goal < 50 ms. Also the page's size.

Run: .venv/bin/python bench/report_weights.py [--moves 50]
No database: the villages come from geodata/sources, normalised criteria are generated (seeded).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402

from maps.site import write_site  # noqa: E402
from maps.web.priority_map import MapOptions  # noqa: E402
from maps.web.weights import COMPONENT_ORDER  # noqa: E402
from tests.browser import open_page  # noqa: E402
from tests.test_maps import issues_in, map_data  # noqa: E402

VILLAGES = REPO / "geodata" / "sources" / "boundaries" / "paser_desa_kelurahan.geojson"
MOVE = """var s = document.getElementById(arguments[0]); s.value = arguments[1];
s.dispatchEvent(new Event('input'));"""


def villages_with_components() -> gpd.GeoDataFrame:
    """Paser's villages with every criterion normalised at random (seeded) and the default weights."""
    frame = gpd.read_file(VILLAGES).rename(columns={"kode": "code", "nama": "name"})
    frame["district_code"] = frame["code"].str[:8]
    return frame[["code", "name", "district_code", "geometry"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moves", type=int, default=50)
    args = parser.parse_args()
    villages = villages_with_components()
    data = map_data(villages, issues_in(villages, 1_000))
    rng = np.random.default_rng(6401)
    weights = dict.fromkeys(COMPONENT_ORDER, 0.1)
    data.villages["components"] = [
        {c: {"raw": float(v), "normalised": float(v), "weight": weights[c], "contribution": 10.0 * float(v)}
         for c, v in zip(COMPONENT_ORDER, rng.uniform(0, 1, len(COMPONENT_ORDER)), strict=True)}
        for _ in range(len(villages))
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(data, Path(folder), MapOptions(offline=True))
        size = site.index.stat().st_size
        with open_page(site.index) as driver:
            time.sleep(0.5)
            ids = driver.execute_script(
                "return Array.prototype.map.call(document.querySelectorAll('#sc-weights input[type=range]')"
                ", function (s) { return s.disabled ? null : s.id; }).filter(Boolean);"
            )
            for i in range(args.moves):
                driver.execute_script(MOVE, ids[i % len(ids)], float(rng.uniform(0, 100)))
            durations = driver.execute_script(
                "return performance.getEntriesByName('sc-rerank').map(function (e) { return e.duration; });"
            )
    print(f"villages: {len(villages)}, report page: {size / 1e3:,.0f} kB, slider moves: {len(durations)}")
    print(
        f"re-rank (Performance API, ms): median {statistics.median(durations):.2f}, "
        f"p95 {np.percentile(durations, 95):.2f}, max {max(durations):.2f}, first {durations[0]:.2f} "
        "(goal < 50)"
    )


if __name__ == "__main__":
    main()
