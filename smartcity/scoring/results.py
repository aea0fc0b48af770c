"""What the maps and reports show, read from the database in one snapshot (SQL in
sql/queries/publish.sql); the builders in ``maps/`` take this and never touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa

from smartcity.platform import db
from smartcity.platform.errors import InputError
from smartcity.platform.queries import query
from smartcity.reference.province import regency_facts


@dataclass
class MapData:
    """One region's latest scoring run and everything drawn from it (all geometry in EPSG:4326)."""

    region_code: str
    region_name: str
    run: dict  # mart.scoring_run row
    villages: gpd.GeoDataFrame  # mart.village_priority (+ score_<dim>, class_no_<dim>)
    districts: gpd.GeoDataFrame
    dimensions: pd.DataFrame  # long: code, dimension, score, rank, class_no, priority_class, issue_count
    ikn_boundary: gpd.GeoDataFrame
    ikn_zones: gpd.GeoDataFrame
    issues: pd.DataFrame  # lon, lat, agency, dimension, swot, severity, description, location_method, exact
    intake: list[dict]
    swot: pd.DataFrame
    # the planners' deliverable (issue 20): see sql/queries/planners.sql and smartcity.intake.roster
    submissions: list[dict] = field(default_factory=list)  # counted submissions: agency, when, rows
    changes: dict | None = None  # what changed since the previous run (see read_changes)
    issue_texts: pd.DataFrame = field(default_factory=pd.DataFrame)  # issues with place names
    # the master plan's regional profile: {"regency": official facts, "districts": per-district frame}
    profile: dict = field(default_factory=dict)


def _frame(conn: sa.Connection, statement: sa.TextClause, params: dict) -> pd.DataFrame:
    return pd.DataFrame(conn.execute(statement, params).mappings().all())


def read_map_data(engine: sa.Engine, region_code: str) -> MapData:
    """The region's latest run, its areas, IKN, issues, intake summary and SWOT (one snapshot)."""
    params = {"regency": region_code}
    with engine.connect() as conn:
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        run = conn.execute(query("publish", "latest_run"), params).mappings().first()
        if run is None:
            raise InputError(f"no scoring run for {region_code} yet: run `smartcity score` first")
        name = conn.execute(query("publish", "regency_name"), params).scalar() or region_code
        villages = db.read_geoframe(conn, query("publish", "villages"), params)
        districts = db.read_geoframe(conn, query("publish", "districts"), params)
        dimensions = _frame(conn, query("publish", "dimensions"), params)
        zones = db.read_geoframe(conn, query("publish", "ikn_zones"), params)
        boundary = db.read_geoframe(conn, query("publish", "ikn_boundary"), params)
        issues = _frame(conn, query("publish", "issues"), params)
        intake = [dict(r) for r in conn.execute(query("publish", "intake_summary"), params).mappings().all()]
        swot = _frame(conn, query("publish", "swot"), params)
        run = {
            **run,
            "config": conn.execute(query("planners", "run_model"), {"run_id": run["run_id"]}).scalar(),
        }
        submissions = [dict(r) for r in conn.execute(query("planners", "submissions"), params).mappings()]
        changes = read_changes(conn, region_code, run)
        texts = _frame(conn, query("planners", "issue_texts"), params)
        profile = {
            "regency": regency_facts(region_code),
            "districts": _frame(conn, query("planners", "district_profile"), params),
        }
    if not dimensions.empty:
        wide = dimensions.pivot(index="code", columns="dimension", values=["score", "class_no"])
        wide.columns = [f"{value}_{dim}" for value, dim in wide.columns]
        villages = villages.merge(wide, left_on="code", right_index=True, how="left")
    return MapData(
        region_code, name, dict(run), villages, districts, dimensions, boundary, zones, issues, intake, swot,
        submissions=submissions,
        changes=changes, issue_texts=texts, profile=profile,
    )  # fmt: skip


def read_changes(conn: sa.Connection, region_code: str, run: dict) -> dict:
    """What changed since the region's previous run (``mart.village_priority_change``): the previous run,
    submissions new in this run, villages that moved in rank, hot spots that appeared or vanished."""
    moved = _frame(conn, query("planners", "rank_changes"), {"regency": region_code})
    previous_id = None
    if not moved.empty and moved["previous_run_id"].notna().any():
        previous_id = moved["previous_run_id"].dropna().iloc[0]
    if previous_id is None:
        return {"previous": None, "new_submissions": [], "moved": [], "previous_hotspots": {}}
    previous = dict(
        conn.execute(query("planners", "previous_run"), {"previous_run_id": previous_id}).mappings().one()
    )
    new_ids = sorted(set(run.get("submission_ids") or []) - set(previous.get("submission_ids") or []))
    new = [dict(r) for r in conn.execute(query("planners", "new_submissions"), {"ids": new_ids}).mappings()]
    hot = conn.execute(query("planners", "previous_hotspots"), {"previous_run_id": previous_id}).all()
    moved = moved[moved["previous_rank"].notna()]
    return {
        "previous": previous, "new_submissions": new,
        "moved": moved.drop(columns="previous_run_id").to_dict("records"),
        "previous_hotspots": {code: hotspot for code, hotspot in hot},
    }  # fmt: skip
