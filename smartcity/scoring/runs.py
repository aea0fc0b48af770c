"""Priority areas for a region: read what was placed, score it, find hot spots, test robustness, record.

A recipe (``score_region``):
1. read, in one consistent snapshot, the region's villages and districts (with IKN ring and IDM) and
   the issues tallied per place, dimension, SWOT category and urgency (SQL in sql/queries/scoring.sql);
2. score villages and districts (:mod:`smartcity.scoring.scores`);
3. Getis-Ord Gi* hot spots on the village scores (:mod:`smartcity.scoring.hotspots`);
4. Monte Carlo robustness of the ranks under perturbed weights (:mod:`smartcity.scoring.robustness`);
5. record in ONE transaction: the run (model, hash, submissions), the latest scores in
   mart.village_priority / mart.district_priority / mart.dimension_priority, and the history.
Readers never see half a run. Scoring the same inputs with the same model gives the same numbers
(every random draw is seeded from the model).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa

from smartcity.platform import copyformat, db
from smartcity.platform.queries import query
from smartcity.reference.provenance import region_provenance
from smartcity.scoring.hotspots import getis_ord
from smartcity.scoring.model import ScoringConfig
from smartcity.scoring.robustness import rank_stability
from smartcity.scoring.scores import Scores, score_areas, spread_district_issues


@dataclass
class Inputs:
    """What scoring reads from the database for one region."""

    region_code: str
    villages: pd.DataFrame
    districts: pd.DataFrame
    tallies: pd.DataFrame  # district_code, village_code, dimension, swot, severity, count
    village_geoms: np.ndarray  # shapely geometries, in the order of ``villages``
    submission_ids: list[int]
    issue_count: int


@dataclass
class ScoringResult:
    """A finished run: its id, the scores per level, and seconds per stage."""

    run_id: str
    region_code: str
    config_hash: str
    villages: Scores
    districts: Scores
    issue_count: int
    submission_ids: list[int]
    timings: dict[str, float] = field(default_factory=dict)

    def top(self, n: int = 10) -> pd.DataFrame:
        """The n highest villages: rank, code, name, score, class, issues, robustness, hot spot."""
        frame = self.villages.areas.sort_values(["rank", "code"]).head(n)
        return frame[["rank", "code", "name", "score", "priority_class", "issue_count", "p_top", "hotspot"]]


def read_inputs(engine: sa.Engine, region_code: str) -> Inputs:
    """The region's areas and tallied issues, read in one snapshot."""
    params = {"regency": region_code}
    with engine.connect() as conn:
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        villages = pd.DataFrame(conn.execute(query("scoring", "villages"), params).mappings().all())
        districts = pd.DataFrame(conn.execute(query("scoring", "districts"), params).mappings().all())
        tallies = pd.DataFrame(
            conn.execute(query("scoring", "tallies"), params).mappings().all(),
            columns=["district_code", "village_code", "dimension", "swot", "severity", "count"],
        )
        submissions = conn.execute(query("scoring", "submissions"), params).one()
        geoms = db.read_geoframe(conn, query("scoring", "village_geometries"), params).geometry.to_numpy()
    for frame in (villages, districts):
        for column in ("area_km2", "population", "ikn_distance_km", "ikn_ring", "idm_score"):
            if column in frame:
                frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return Inputs(
        region_code, villages, districts, tallies, geoms,
        list(submissions.ids), int(submissions.issues),
    )  # fmt: skip


def compute(inputs: Inputs, config: ScoringConfig, timings: dict[str, float] | None = None):
    """Scores, hot spots and robustness for both levels (pure; no database)."""
    timings = {} if timings is None else timings
    start = time.perf_counter()
    tallies = inputs.tallies
    if config.section("pressure")["district_issues"] == "spread":
        village_tallies = spread_district_issues(tallies, inputs.villages)
    else:
        village_tallies = tallies[tallies["village_code"].notna()].rename(columns={"village_code": "code"})
    district_tallies = tallies.rename(columns={"district_code": "code"})
    villages = score_areas(inputs.villages, village_tallies, config)
    districts = score_areas(inputs.districts, district_tallies, config)
    timings["score"] = time.perf_counter() - start

    start = time.perf_counter()
    hot = config.section("hotspots")
    areas = villages.areas
    if len(areas) >= 3:
        import geopandas as gpd

        spots = getis_ord(
            gpd.GeoSeries(inputs.village_geoms, crs="EPSG:4326"), areas["score"].to_numpy(),
            permutations=int(hot["permutations"]), seed=int(hot["seed"]), fdr_alpha=float(hot["fdr_alpha"]),
        )  # fmt: skip
        areas["gi_z"], areas["p_fdr"], areas["hotspot"] = (
            spots["gi_z"].to_numpy(),
            spots["p_fdr"].to_numpy(),
            spots["hotspot"].to_numpy(),
        )
    else:
        areas["gi_z"], areas["p_fdr"], areas["hotspot"] = np.nan, np.nan, "none"
    timings["hotspots"] = time.perf_counter() - start

    start = time.perf_counter()
    for scores in (villages, districts):
        _add_robustness(scores, config)
    timings["robustness"] = time.perf_counter() - start
    return villages, districts


def _add_robustness(scores: Scores, config: ScoringConfig) -> None:
    robust = config.section("robustness")
    frame = scores.areas
    if int(robust["draws"]) == 0 or frame.empty:
        frame["p_top"], frame["rank_p05"], frame["rank_p95"] = np.nan, pd.NA, pd.NA
        return
    stability = rank_stability(
        scores.criteria.to_numpy(), scores.weights.to_numpy(), draws=int(robust["draws"]),
        spread=float(robust["spread"]), top_n=int(robust["top_n"]), seed=int(robust["seed"]),
    )  # fmt: skip
    frame["p_top"] = stability["p_top"].to_numpy()
    frame["rank_p05"] = stability["rank_p05"].to_numpy()
    frame["rank_p95"] = stability["rank_p95"].to_numpy()


def score_region(
    engine: sa.Engine, region_code: str, config: ScoringConfig, *, flow_run_id: str | None = None
) -> ScoringResult:
    """Score a region and record the run in mart (see the module's recipe)."""
    started = datetime.now(UTC)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    inputs = read_inputs(engine, region_code)
    timings["read"] = time.perf_counter() - start
    villages, districts = compute(inputs, config, timings)
    result = ScoringResult(
        str(uuid.uuid4()), region_code, config.hash, villages, districts, inputs.issue_count,
        inputs.submission_ids, timings,
    )  # fmt: skip
    start = time.perf_counter()
    record_run(engine, result, config, started, flow_run_id)
    timings["record"] = time.perf_counter() - start
    return result


def record_run(
    engine: sa.Engine,
    result: ScoringResult,
    config: ScoringConfig,
    started: datetime,
    flow_run_id: str | None,
) -> None:
    """Run, latest scores and history in one transaction."""
    params = {"regency": result.region_code, "run_id": result.run_id}
    weights = {
        "village": result.villages.weights.round(6).to_dict(),
        "district": result.districts.weights.round(6).to_dict(),
    }
    dropped = sorted(set(result.villages.dropped) | set(result.districts.dropped))
    with engine.begin() as conn:
        provenance = {
            **region_provenance(conn, result.region_code),
            "model": {"config_source": config.source, "config_hash": config.hash},
            "run_id": str(result.run_id),
        }
        conn.execute(
            query("scoring", "insert_run"),
            {
                "run_id": result.run_id, "region_code": result.region_code, "started_at": started,
                "config": json.dumps(config.raw), "config_hash": config.hash, "config_source": config.source,
                "weights": json.dumps(weights), "dropped": dropped, "submission_ids": result.submission_ids,
                "issue_count": result.issue_count, "flow_run_id": flow_run_id,
                "provenance": json.dumps(provenance),
            },
        )  # fmt: skip
        conn.execute(query("scoring", "stage_area"))
        conn.execute(query("scoring", "stage_dimension"))
        _stage_areas(conn, "village", result.villages)
        _stage_areas(conn, "district", result.districts)
        for level, scores in (("village", result.villages), ("district", result.districts)):
            dims = scores.dimensions
            fields = [
                copyformat.repeat_field(level, len(dims)), copyformat.text_field(dims["code"]),
                copyformat.text_field(dims["dimension"]), copyformat.number_field(dims["issue_count"]),
                copyformat.number_field(dims["pressure"].astype(float)),
                copyformat.number_field(dims["score"].astype(float)), copyformat.number_field(dims["rank"]),
                copyformat.number_field(dims["class_no"]), copyformat.text_field(dims["priority_class"]),
                copyformat.repeat_field(result.run_id, len(dims)),
            ]  # fmt: skip
            columns = ["level", "code", "dimension", "issue_count", "pressure", "score", "rank", "class_no",
                       "priority_class", "run_id"]  # fmt: skip
            db.copy_payload(conn, "stage_dimension", columns, copyformat.payload(fields))
        for statement in (
            query("scoring", "clear_villages"), query("scoring", "record_villages"),
            query("scoring", "clear_districts"), query("scoring", "record_districts"),
            query("scoring", "clear_dimensions"), query("scoring", "record_dimensions"),
            query("scoring", "record_history"),
        ):  # fmt: skip
            conn.execute(statement, params)


AREA_STAGE_COLUMNS = [
    "level", "code", "issue_count", "problem_count", "asset_count", "severity_sum", "score", "rank",
    "class_no", "priority_class", "components", "gi_z", "p_fdr", "hotspot", "p_top", "rank_p05", "rank_p95",
]  # fmt: skip


def _stage_areas(conn: sa.Connection, level: str, scores: Scores) -> None:
    frame = scores.areas
    n = len(frame)

    def maybe(column: str, kind: str) -> list[str]:
        if column not in frame:
            return [copyformat.NULL] * n
        values = frame[column]
        return copyformat.text_field(values) if kind == "text" else copyformat.number_field(values)

    fields = [
        copyformat.repeat_field(level, n), copyformat.text_field(frame["code"]),
        *(copyformat.number_field(frame[c]) for c in ("issue_count", "problem_count", "asset_count",
                                                      "severity_sum")),
        copyformat.number_field(frame["score"].astype(float)), copyformat.number_field(frame["rank"]),
        copyformat.number_field(frame["class_no"]), copyformat.text_field(frame["priority_class"]),
        copyformat.json_field(list(frame["components"])), maybe("gi_z", "number"), maybe("p_fdr", "number"),
        maybe("hotspot", "text"), maybe("p_top", "number"), maybe("rank_p05", "number"),
        maybe("rank_p95", "number"),
    ]  # fmt: skip
    db.copy_payload(conn, "stage_area", AREA_STAGE_COLUMNS, copyformat.payload(fields))


def unchanged_since(engine: sa.Engine, region_code: str, config: ScoringConfig) -> dict | None:
    """The region's latest scoring run when scoring again could change nothing: same model (hash) and
    the same worksheet submissions. The pipeline then reuses it instead of scoring and publishing again.
    (A reloaded reference geography is checked by the caller: it changes the areas themselves.)"""
    params = {"regency": region_code}
    with engine.connect() as conn:
        latest = conn.execute(query("scoring", "latest_run"), params).mappings().first()
        current = conn.execute(query("scoring", "submissions"), params).one()
    if latest is None or latest["config_hash"] != config.hash:
        return None
    if sorted(latest["submission_ids"]) != sorted(current.ids) or latest["issue_count"] != current.issues:
        return None
    return dict(latest)


def top_areas(engine: sa.Engine, run_id: str, limit: int = 10) -> list[dict]:
    """The run's top villages as published (for the artifact and the terminal)."""
    with engine.connect() as conn:
        rows = (
            conn.execute(query("scoring", "top_areas"), {"run_id": run_id, "limit": limit}).mappings().all()
        )
    return [dict(r) for r in rows]


def top_rows(engine: sa.Engine, run_id: str, limit: int = 10) -> list[dict]:
    """The run's top villages as the terminal and the ``priority-top-villages`` artifact show them
    (names as written: each reader escapes for where it shows them)."""
    return [
        {
            "rank": r["rank"], "village": r["name"], "code": r["code"],
            "score": round(r["score"], 1), "class": r["priority_class"], "issues": r["issue_count"],
            "stays in top (share of draws)": None if r["p_top"] is None else round(r["p_top"], 2),
            "hot spot": r["hotspot"],
        }
        for r in top_areas(engine, run_id, limit)
    ]  # fmt: skip
