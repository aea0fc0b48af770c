"""What the maps and reports show, read from the database in one snapshot (SQL in
sql/queries/publish.sql); the builders in ``maps/`` take this and never touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa

from smartcity.platform import db
from smartcity.platform.errors import InputError
from smartcity.platform.queries import query


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
    if not dimensions.empty:
        wide = dimensions.pivot(index="code", columns="dimension", values=["score", "class_no"])
        wide.columns = [f"{value}_{dim}" for value, dim in wide.columns]
        villages = villages.merge(wide, left_on="code", right_index=True, how="left")
    return MapData(
        region_code, name, dict(run), villages, districts, dimensions, boundary, zones, issues, intake, swot
    )
