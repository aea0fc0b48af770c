"""Benchmark: what a run publishes for GIS teams, the GeoPackage (layers, QGIS styles, provenance) and the
QGIS project beside it, for the real 144 villages of Paser with 10,000 and 100,000 issues: seconds to
write each and together (goal: under 5 s together at 100,000) and the files' sizes.

Run: .venv/bin/python bench/gis.py [--issues 10000 100000]
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


from maps.common.provenance import sources_document  # noqa: E402
from maps.gis.gpkg import write_geopackage  # noqa: E402
from maps.gis.layers import gpkg_name, project_name  # noqa: E402
from maps.gis.qgis_project import write_qgis_project  # noqa: E402
from tests.helpers import paser_villages  # noqa: E402
from tests.test_maps import issues_in, map_data  # noqa: E402

GOAL_SECONDS = 5.0
METRIC_CRS = "EPSG:32750"  # SMARTCITY_METRIC_CRS's default (UTM 50S), the site hands in the setting


def main() -> None:
    """Print seconds and megabytes per issue count."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, nargs="*", default=[10_000, 100_000])
    args = parser.parse_args()
    villages = paser_villages()
    print(f"{'issues':>8} {'GeoPackage':>11} {'size':>9} {'project':>9} {'size':>8} {'together':>9}")
    for count in args.issues:
        data = map_data(villages, issues_in(villages, count))
        document = sources_document(data.run, data.region_code, data.region_name)
        with tempfile.TemporaryDirectory() as folder:
            gpkg = Path(folder) / gpkg_name(data.region_code)
            project = Path(folder) / project_name(data.region_code)
            start = time.perf_counter()
            write_geopackage(data, gpkg, document)
            middle = time.perf_counter()
            write_qgis_project(data, project, document, gpkg.name, project_crs=METRIC_CRS)
            end = time.perf_counter()
            sizes = gpkg.stat().st_size, project.stat().st_size
        together = end - start
        verdict = "ok" if together < GOAL_SECONDS else f"over {GOAL_SECONDS:.0f} s"
        print(
            f"{count:>8,} {middle - start:>9.2f} s {sizes[0] / 1e6:>6.1f} MB {end - middle:>7.2f} s "
            f"{sizes[1] / 1e3:>5.0f} kB {together:>7.2f} s  {verdict}"
        )


if __name__ == "__main__":
    main()
