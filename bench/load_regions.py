"""Benchmark: loading village boundaries with ``refload.load_reference`` against a plain ogr2ogr copy.

Run: .venv/bin/python bench/load_regions.py [--villages 80000] [--skip-synthetic]
(prints its figures; makes and deletes a throwaway fast-mode cluster in a temporary folder)

Cases: A, the real villages of the upstream SQL files shipped in ``geodata/sources/cahyadsn_kel_64``
(Paser and Penajam Paser Utara, 198 villages) written to one GeoPackage; B, N synthetic villages on a
grid over Indonesia with well-formed Kemendagri codes. For each: a first load into a freshly migrated database
(with the shipped IKN boundary, so distances are computed), a second load of the same file
(unchanged), and ogr2ogr copying the file into an empty PostGIS database. Then where our time goes
for case B, by calling the loader's pieces one by one.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
import sqlalchemy as sa
from _scratch import new_database, scratch_cluster

from smartcity.platform import cluster_credentials, db
from smartcity.platform.settings import Settings
from smartcity.reference.boundaries import read_boundaries
from smartcity.reference.geometry_checks import dissolve, repair_polygons, sibling_overlaps
from smartcity.reference.ikn_load import load_ikn
from smartcity.reference.load import LoadOptions, load_reference, metric_srid, refresh_ikn_distances
from smartcity.reference.wilayah_boundaries import read_boundaries_sql

KALTIM_SQL = Path(__file__).resolve().parents[1] / "geodata" / "sources" / "cahyadsn_kel_64"
LON, LAT = (95.0, 141.0), (-11.0, 6.0)  # Indonesia's extent
BLOCK_COLS, BLOCK_ROWS = 25, 6  # a regency: 5 x 3 districts of 5 x 2 villages (15 districts, 150 villages)
EDGE_POINTS = 7  # extra vertices per cell edge: 4 * (7 + 1) + 1 = 33 coordinates per village
PROVINCES = 84  # codes 11..94
TITLES = {
    "kaltim": "Kalimantan Timur, real villages (64.01, 64.09)",
    "synthetic": "synthetic, national scale",
}


def timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def show(label: str, seconds: float, features: int | None = None) -> None:
    rate = f"{features / seconds:12,.0f} features/s" if features else ""
    print(f"{label:<62} {seconds:8.2f} s {rate}")


def kaltim_gpkg(folder: Path) -> Path:
    """The shipped regencies' village files as one GeoPackage (kode, nama; EPSG:4326)."""
    parts = [read_boundaries_sql(p) for p in sorted(KALTIM_SQL.glob("*.sql"))]
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True)[["kode", "nama", "geometry"]], crs=4326)
    path = folder / "kaltim_villages.gpkg"
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    return path


def synthetic_gpkg(folder: Path, count: int, seed: int = 20240817) -> Path:
    """``count`` grid villages with wavy shared edges (a valid coverage), codes xx.yy.zz.2nnn, one file."""
    regencies = math.ceil(count / (BLOCK_COLS * BLOCK_ROWS))
    aspect = ((LON[1] - LON[0]) / BLOCK_COLS) / ((LAT[1] - LAT[0]) / BLOCK_ROWS)  # blocks wide per tall
    blocks_y = math.ceil(math.sqrt(regencies / aspect))
    blocks_x = math.ceil(regencies / blocks_y)
    rows, cols = blocks_y * BLOCK_ROWS, blocks_x * BLOCK_COLS
    dx, dy = (LON[1] - LON[0]) / cols, (LAT[1] - LAT[0]) / rows
    rng = np.random.default_rng(seed)
    # One displacement per edge point, shared by both cells of the edge; 0.1 cell keeps rings simple.
    h_wave = rng.uniform(-0.1, 0.1, (rows + 1, cols, EDGE_POINTS))
    v_wave = rng.uniform(-0.1, 0.1, (rows, cols + 1, EDGE_POINTS))
    # Cells in code order: regency block, district within it, village within the district.
    index = np.arange(regencies * BLOCK_COLS * BLOCK_ROWS)[:count]
    regency, rest = np.divmod(index, BLOCK_COLS * BLOCK_ROWS)
    district, village = np.divmod(rest, 10)
    by, bx = np.divmod(regency, blocks_x)
    r = by * BLOCK_ROWS + (district // 5) * 2 + village // 5
    c = bx * BLOCK_COLS + (district % 5) * 5 + village % 5
    t = np.arange(1, EDGE_POINTS + 1) / (EDGE_POINTS + 1)
    zero, ts = np.zeros((count, 1)), np.broadcast_to(t, (count, EDGE_POINTS))
    back = ts[:, ::-1]
    # Vertices: corner, bottom edge, corner, right, corner, top, corner, left, closing corner. Whole and
    # fractional cell offsets are added separately so both cells of an edge get bit-identical points.
    sizes = [1, EDGE_POINTS] * 4 + [1]
    whole_x = np.repeat([0, 0, 1, 1, 1, 0, 0, 0, 0], sizes)
    whole_y = np.repeat([0, 0, 0, 0, 1, 1, 1, 0, 0], sizes)
    part_x = np.hstack([zero, ts, zero, v_wave[r, c + 1], zero, back, zero, v_wave[r, c][:, ::-1], zero])
    part_y = np.hstack([zero, h_wave[r, c], zero, ts, zero, h_wave[r + 1, c][:, ::-1], zero, back, zero])
    x = LON[0] + ((c[:, None] + whole_x) + part_x) * dx
    y = LAT[0] + ((r[:, None] + whole_y) + part_y) * dy
    per_province = math.ceil(regencies / PROVINCES)
    province, regency_no = np.divmod(regency, per_province)
    parts = zip(province, regency_no, district, village, strict=True)
    codes = [f"{11 + p:02d}.{k + 1:02d}.{d + 1:02d}.{2001 + v:04d}" for p, k, d, v in parts]
    names = [f"Desa {i + 1}" for i in index]
    polygons = shapely.polygons(np.stack([x, y], axis=2))
    frame = gpd.GeoDataFrame({"kode": codes, "nama": names}, geometry=polygons, crs=4326)
    path = folder / f"synthetic_{count}_villages.gpkg"
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    return path


def bench_load(
    creds: cluster_credentials.Credentials, settings: Settings, path: Path, case: str
) -> tuple[float, sa.Engine]:
    """First load and reload of ``path`` into a new migrated database (with the shipped IKN boundary)."""
    engine = sa.create_engine(new_database(creds, f"bench_{case}"), poolclass=sa.pool.NullPool)
    db.check_database(engine)
    db.apply_migrations(engine)
    load_ikn(engine, settings)
    options = LoadOptions(level="village", regions=None)
    seconds, report = timed(lambda: load_reference(engine, path, settings, options))
    show(f"[{case}] load_reference, first load", seconds, report.features)
    print(f"    {report.summary()[:300]}{' ...' if len(report.summary()) > 300 else ''}")
    again, report2 = timed(lambda: load_reference(engine, path, settings, options))
    show(f"[{case}] load_reference, same file again", again, report2.features)
    print(f"    unchanged: {report2.unchanged}")
    return seconds, engine


def bench_ogr2ogr(
    creds: cluster_credentials.Credentials, path: Path, case: str, features: int
) -> float | None:
    """ogr2ogr copying the file into an empty PostGIS database (password passed in the environment)."""
    if shutil.which("ogr2ogr") is None:
        print("ogr2ogr not found: `apt-get install gdal-bin` is needed; skipped")
        return None
    name = f"bench_ogr_{case}"
    new_database(creds, name)
    target = f"PG:host=127.0.0.1 port={creds.port} user={cluster_credentials.OWNER} dbname={name}"
    command = ["ogr2ogr", "-f", "PostgreSQL", target, str(path), "-nln", "bench_ogr",
               "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST", "-nlt", "PROMOTE_TO_MULTI",
               "-t_srs", "EPSG:4326", "--config", "PG_USE_COPY", "YES", "-overwrite"]  # fmt: skip
    env = {**os.environ, "PGPASSWORD": creds.password}
    seconds, _ = timed(lambda: subprocess.run(command, env=env, check=True, capture_output=True))
    show(f"[{case}] ogr2ogr -f PostgreSQL (copy + GiST index only)", seconds, features)
    return seconds


def breakdown(path: Path, settings: Settings, total: float, engine: sa.Engine) -> None:
    """Time the loader's pieces one by one on ``path``; the rest of ``total`` is the other database work."""
    print(f"where the first load of {path.name} goes ({total:.2f} s in all):")
    steps: list[tuple[str, float]] = []

    def step(label: str, func):
        took, result = timed(func)
        steps.append((label, took))
        return result

    read = step("read_boundaries (pyogrio, codes, names)", lambda: read_boundaries(path, "village"))
    frame, _ = step("repair_polygons", lambda: repair_polygons(read.frame))
    metric = step("to_crs(metric_crs)", lambda: frame.to_crs(settings.metric_crs))
    step("sibling_overlaps (metric frame)", lambda: sibling_overlaps(metric, "parent_code", 0.05))
    districts = step("dissolve villages -> districts", lambda: dissolve(frame, "parent_code", {}))
    districts["regency_code"] = districts["code"].str.slice(0, 5)
    step("dissolve districts -> regencies", lambda: dissolve(districts, "regency_code", {}))
    srid = metric_srid(settings.metric_crs)
    with engine.connect() as conn:  # again on the loaded rows, then rolled back
        step("refresh_ikn_distances (SQL)", lambda: refresh_ikn_distances(conn, srid, []))
        conn.rollback()
    steps.append(("rest: fingerprint, COPY staging, swap, aliases", total - sum(s for _, s in steps)))
    for label, seconds in steps:
        print(f"  {label:<60} {seconds:8.2f} s {seconds / total:6.1%}")


def run_case(
    creds: cluster_credentials.Credentials, settings: Settings, case: str, path: Path, made: float
) -> None:
    features = pyogrio.read_info(path)["features"]
    size = path.stat().st_size / 1e6
    print(f"== {TITLES[case]}: {path.name}, {features:,} villages, {size:.1f} MB (made in {made:.1f} s)")
    ours, engine = bench_load(creds, settings, path, case)
    theirs = bench_ogr2ogr(creds, path, case, features)
    if theirs:
        print(f"    ratio ours/ogr2ogr: {ours / theirs:.1f}x\n")
    if case == "synthetic":
        breakdown(path, settings, ours, engine)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=80_000, help="synthetic villages (case B)")
    parser.add_argument("--skip-synthetic", action="store_true", help="run case A only")
    args = parser.parse_args()
    print(
        "note: our load includes reading, validation/repair, overlap checks, derivation of districts and\n"
        "regencies, aliases and IKN distances, in one transaction; ogr2ogr only copies the features.\n"
    )
    with scratch_cluster() as (settings, creds, folder):
        made, path = timed(lambda: kaltim_gpkg(folder))
        run_case(creds, settings, "kaltim", path, made)
        if not args.skip_synthetic:
            made, path = timed(lambda: synthetic_gpkg(folder, args.villages))
            run_case(creds, settings, "synthetic", path, made)


if __name__ == "__main__":
    main()
