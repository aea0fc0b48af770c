"""Benchmark: priority scoring of 1,000,000 issues, over the real 144 villages of Paser and over a
synthetic layer of 80,000 villages; seconds per stage.

Run: .venv/bin/python bench/score.py [--issues 1000000] [--grid 400 200] [--draws 1000]
Makes a throwaway PostGIS cluster (fast mode). For each layer it scatters random points over the
region, places them with a bare ``CREATE TABLE ... AS SELECT ... ST_Contains`` join (GiST-indexed
polygons: the yardstick the issue names), loads the placed points into core.issue as issues (random
dimension, SWOT category and urgency), then times ``smartcity score``'s stages: read (the SQL
aggregation, issues tallied per place, dimension, SWOT and urgency, plus the areas), score, hot spots
(Gi*, 999 permutations), robustness (Monte Carlo weight draws), publish. The SQL aggregation is
timed on its own too, and printed as a ratio to the bare join.

The 80,000 villages are a 400 x 200 grid of 0.01 degree squares (80 districts of 1,000 villages,
regency 99.01), written straight into ref with SQL (generating them is not what this measures), with
a distance to IKN growing eastward scored by distance decay. Paser gets the approximate IKN boundary.
"""

from __future__ import annotations

import argparse
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from _scratch import new_database, scratch_cluster

from smartcity.platform import db
from smartcity.platform.queries import query
from smartcity.reference.ensure import ensure_ikn
from smartcity.reference.load import LoadOptions, load_reference
from smartcity.scoring.model import load_config
from smartcity.scoring.runs import compute, read_inputs, record_run

REPO = Path(__file__).resolve().parents[1]
VILLAGES = REPO / "geodata" / "sources" / "boundaries" / "paser_desa_kelurahan.geojson"

GRID = """
INSERT INTO ref.regency (code, name, geom, source)
SELECT '99.01', 'Synthetic', ST_Multi(ST_MakeEnvelope(100, -1, 100 + :nx * 0.01, -1 + :ny * 0.01, 4326)), 'bench';
INSERT INTO ref.district (code, name, regency_code, area_km2, geom, source)
SELECT '99.01.' || lpad(d::text, 2, '0'), 'District ' || d, '99.01', 1.0,
       ST_Multi(ST_MakeEnvelope(100 + ((d - 1) % 20) * :nx / 20 * 0.01, -1 + ((d - 1) / 20) * :ny / 4 * 0.01,
                                100 + ((d - 1) % 20 + 1) * :nx / 20 * 0.01, -1 + ((d - 1) / 20 + 1) * :ny / 4 * 0.01,
                                4326)), 'bench'
FROM generate_series(1, 80) d;
INSERT INTO ref.village (code, name, kind, district_code, area_km2, geom, source, ikn_distance_km)
SELECT '99.01.' || lpad((1 + (x / (:nx / 20)) + 20 * (y / (:ny / 4)))::text, 2, '0') || '.'
           || lpad((2001 + (x % (:nx / 20)) + (:nx / 20) * (y % (:ny / 4)))::text, 4, '0'),
       'Village ' || x || '-' || y, 'desa',
       '99.01.' || lpad((1 + (x / (:nx / 20)) + 20 * (y / (:ny / 4)))::text, 2, '0'), 1.2,
       ST_Multi(ST_MakeEnvelope(100 + x * 0.01, -1 + y * 0.01, 100 + (x + 1) * 0.01, -1 + (y + 1) * 0.01, 4326)),
       'bench', (x * 0.7)::float8
FROM generate_series(0, :nx - 1) x, generate_series(0, :ny - 1) y;
"""  # noqa: E501


def timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def scatter_and_join(engine: sa.Engine, regency: str, issues: int) -> tuple[float, int]:
    """Random points over the regency, the bare ST_Contains join (timed), and issues made of them."""
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE TABLE public.bench_points AS "
                "SELECT g AS id, ST_SetSRID(ST_MakePoint("
                "ST_XMin(r.geom) + random() * (ST_XMax(r.geom) - ST_XMin(r.geom)), "
                "ST_YMin(r.geom) + random() * (ST_YMax(r.geom) - ST_YMin(r.geom))), 4326) AS geom "
                "FROM ref.regency r, generate_series(1, :n) g WHERE r.code = :regency"
            ),
            {"n": issues, "regency": regency},
        )
        conn.exec_driver_sql("ANALYZE public.bench_points")
    with engine.begin() as conn:
        _, t_join = timed(lambda: conn.execute(sa.text(
            "CREATE TABLE public.bench_join AS SELECT p.id, v.code, v.district_code, p.geom "
            "FROM public.bench_points p JOIN ref.village v ON ST_Contains(v.geom, p.geom) "
            "WHERE left(v.code, 5) = :regency"), {"regency": regency}))  # fmt: skip
    with engine.begin() as conn:
        submission = conn.execute(sa.text(
            "INSERT INTO intake.submission (sha256, file_name, status) "
            "VALUES (encode(sha256(convert_to(:regency, 'UTF8')), 'hex'), 'bench', 'loaded') RETURNING id"),
            {"regency": regency}).scalar()  # fmt: skip
        placed = conn.execute(sa.text(
            "INSERT INTO core.issue (submission_id, row_number, agency, dimension, swot, description, "
            "severity, district_code, village_code, geom, location_method, location_score) "
            "SELECT :s, row_number() OVER (), 'Bench', (ARRAY['governance','branding','economy','living',"
            "'society','environment'])[1 + id % 6], (ARRAY['weakness','threat','strength','opportunity',"
            "'weakness'])[1 + id % 5], 'issue ' || id, 1 + id % 5, district_code, code, geom, 'point', 1 "
            "FROM public.bench_join"), {"s": submission}).rowcount  # fmt: skip
        conn.exec_driver_sql("DROP TABLE public.bench_points, public.bench_join")
        conn.exec_driver_sql("ANALYZE core.issue")
    return t_join, placed


def bench_layer(engine: sa.Engine, regency: str, label: str, issues: int, draws: int, ikn: str) -> None:
    t_join, placed = scatter_and_join(engine, regency, issues)
    config = load_config()
    config.raw["robustness"]["draws"] = draws
    config.raw["ikn"]["method"] = ikn
    with engine.connect() as conn:
        _, t_tally = timed(lambda: conn.execute(query("scoring", "tallies"), {"regency": regency}).all())
    timings: dict[str, float] = {}
    inputs, timings["read (SQL aggregation + areas)"] = timed(lambda: read_inputs(engine, regency))
    stages: dict[str, float] = {}
    (villages, districts), t_compute = timed(lambda: compute(inputs, config, stages))
    timings.update(stages)

    from datetime import UTC, datetime

    from smartcity.scoring.runs import ScoringResult

    result = ScoringResult(str(uuid.uuid4()), regency, config.hash, villages, districts, inputs.issue_count,
                           inputs.submission_ids)  # fmt: skip
    _, timings["record"] = timed(lambda: record_run(engine, result, config, datetime.now(UTC), None))
    total = sum(timings.values())
    print(f"\n== {label}: {len(inputs.villages):,} villages, {placed:,} issues placed of {issues:,} points")
    print(f"  {'bare CTAS ST_Contains join (GiST)':<40} {t_join:8.2f} s")
    ratio = t_tally / t_join
    print(f"  {'SQL aggregation alone (tallies)':<40} {t_tally:8.2f} s   ratio to the bare join {ratio:.2f}x")
    for stage, seconds in timings.items():
        print(f"  {stage:<40} {seconds:8.2f} s")
    print(f"  {'whole scoring run':<40} {total:8.2f} s")
    statistics = stages["hotspots"] + stages["robustness"]
    print(f"  {'Gi* + robustness (' + str(draws) + ' draws)':<40} {statistics:8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, default=1_000_000)
    parser.add_argument("--grid", type=int, nargs=2, default=[400, 200], metavar=("NX", "NY"))
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    with scratch_cluster() as (settings, creds, _):
        engine = sa.create_engine(new_database(creds, "bench_score"), poolclass=sa.pool.NullPool)
        db.apply_migrations(engine)
        load_reference(engine, VILLAGES, settings, LoadOptions(regions=["64.01"]))
        ensure_ikn(engine, settings)
        bench_layer(engine, "64.01", "Paser, real polygons", args.issues, args.draws, "zone")
        nx, ny = args.grid
        with engine.begin() as conn:
            for statement in GRID.strip().split(";\n"):
                if statement.strip():
                    conn.execute(sa.text(statement), {"nx": nx, "ny": ny})
            conn.exec_driver_sql("ANALYZE ref.village")
        bench_layer(engine, "99.01", f"synthetic grid {nx} x {ny}", args.issues, args.draws, "decay")


if __name__ == "__main__":
    main()
