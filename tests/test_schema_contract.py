"""The published schema is a contract for GIS teams: these tests are its specification."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.db

SCHEMAS = ("ref", "intake", "core", "mart", "smartcity")

CONTRACT = {
    "ref.regency": {"code", "name", "geom", "source"},
    "ref.district": {
        "code", "name", "regency_code", "area_km2", "population", "geom", "source", "ikn_distance_km",
        "ikn_zone_id",
    },
    "ref.village": {
        "code", "name", "kind", "district_code", "area_km2", "population", "geom", "source",
        "ikn_distance_km", "ikn_zone_id", "idm_score", "idm_status",
    },
    "ref.boundary_load": {
        "id", "level", "regency_codes", "source", "sha256", "loaded_at", "features", "repaired", "dropped",
        "warnings", "report", "flow_run_id",
    },
    "ref.place_alias": {"alias", "level", "code"},
    "ref.ikn_boundary": {"id", "name", "source", "geom"},
    "ref.ikn_zone": {"id", "name", "min_km", "max_km", "geom"},
    "intake.submission": {
        "id", "sha256", "file_name", "agency", "received_at", "status", "rows_total",
        "rows_accepted", "rows_rejected", "error", "flow_run_id", "superseded_by", "feedback_file",
        "region_code", "rows_skipped", "sheets",
    },
    "intake.rejected_row": {"submission_id", "sheet", "row_number", "reasons", "raw"},
    "intake.skipped_row": {"submission_id", "sheet", "row_number", "reason", "raw"},
    "core.issue": {
        "id", "submission_id", "sheet", "row_number", "agency", "dimension", "swot", "description",
        "severity", "year", "district_code", "village_code", "geom", "location_method", "location_score",
        "notes", "warnings", "raw", "readiness",
    },
    "mart.village_priority": {
        "code", "name", "geom", "issue_count", "severity_sum", "score", "rank", "priority_class",
        "components", "run_id", "district_code", "problem_count", "asset_count", "class_no", "gi_z", "p_fdr",
        "hotspot", "p_top", "rank_p05", "rank_p95",
    },
    "mart.district_priority": {
        "code", "name", "geom", "issue_count", "severity_sum", "score", "rank", "priority_class",
        "components", "run_id", "problem_count", "asset_count", "class_no", "p_top", "rank_p05", "rank_p95",
    },
    "smartcity.pipeline_run": {
        "id", "region_code", "started_at", "finished_at", "outcome", "files_new", "rows_loaded",
        "rows_rejected", "scoring_run_id", "index_path", "error",
    },
    "mart.scoring_run": {
        "run_id", "region_code", "started_at", "finished_at", "config", "config_hash", "config_source",
        "weights", "dropped_criteria", "submission_ids", "issue_count", "flow_run_id", "provenance",
    },
    "mart.priority_history": {
        "run_id", "level", "code", "score", "rank", "class_no", "priority_class", "hotspot", "p_top",
        "components",
    },
    "mart.dimension_priority": {
        "level", "code", "dimension", "issue_count", "pressure", "score", "rank", "class_no",
        "priority_class", "run_id",
    },
}  # fmt: skip

GEOMETRY = {
    ("ref", "regency", "geom"): "MULTIPOLYGON",
    ("ref", "district", "geom"): "MULTIPOLYGON",
    ("ref", "village", "geom"): "MULTIPOLYGON",
    ("ref", "ikn_boundary", "geom"): "MULTIPOLYGON",
    ("ref", "ikn_zone", "geom"): "MULTIPOLYGON",
    ("core", "issue", "geom"): "POINT",
    ("mart", "village_priority", "geom"): "MULTIPOLYGON",
    ("mart", "district_priority", "geom"): "MULTIPOLYGON",
    # published views: typed geometry too (they select it from the tables above)
    **{
        ("mart", f"village_priority_{d}", "geom"): "MULTIPOLYGON"
        for d in ("governance", "branding", "economy", "living", "society", "environment")
    },
    ("mart", "district_swot", "geom"): "MULTIPOLYGON",
    ("mart", "village_priority_change", "geom"): "MULTIPOLYGON",
    ("mart", "issue", "geom"): "POINT",  # the issues layer for clients (015)
}

PRIMARY_KEYS = {
    "ref.regency": ["code"], "ref.district": ["code"], "ref.village": ["code"],
    "ref.place_alias": ["alias", "level", "code"], "ref.ikn_boundary": ["id"], "ref.ikn_zone": ["id"],
    "ref.boundary_load": ["id"],
    "intake.submission": ["id"], "intake.rejected_row": ["submission_id", "sheet", "row_number"],
    "intake.skipped_row": ["submission_id", "sheet", "row_number"],
    "core.issue": ["submission_id", "sheet", "row_number"],
    "mart.village_priority": ["code"], "mart.district_priority": ["code"],
    "mart.scoring_run": ["run_id"], "smartcity.pipeline_run": ["id", "region_code"],
    "mart.priority_history": ["run_id", "level", "code"],
    "mart.dimension_priority": ["level", "code", "dimension"],
}  # fmt: skip


def tables(conn) -> dict[str, set[str]]:
    rows = conn.execute(
        sa.text(
            "SELECT c.table_schema || '.' || c.table_name, c.column_name "
            "FROM information_schema.columns c JOIN information_schema.tables t "
            "USING (table_schema, table_name) "
            "WHERE c.table_schema = ANY(:schemas) AND t.table_type = 'BASE TABLE'"
        ),
        {"schemas": list(SCHEMAS)},
    )
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    return found


def test_every_contract_table_has_exactly_its_columns(engine):
    with engine.connect() as conn:
        found = tables(conn)
    for table, columns in CONTRACT.items():
        assert found.get(table) == columns, table


def test_every_table_has_the_primary_key_of_the_contract(engine):
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT n.nspname || '.' || c.relname, array_agg(a.attname ORDER BY k.ord) "
                "FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE i.indisprimary GROUP BY 1"
            )
        ).all()
        all_tables = tables(conn)
    pks = dict(rows)
    for table, key in PRIMARY_KEYS.items():
        assert pks[table] == key, table
    missing = [t for t in all_tables if t not in pks]
    assert missing == [], f"tables without a primary key: {missing}"


def test_geometry_columns_are_typed_4326_and_gist_indexed(engine):
    with engine.connect() as conn:
        columns = {
            (s, t, c): (kind, srid)
            for s, t, c, kind, srid in conn.execute(
                sa.text(
                    "SELECT f_table_schema, f_table_name, f_geometry_column, type, srid "
                    "FROM geometry_columns g WHERE f_table_schema = ANY(:schemas) AND NOT EXISTS ("
                    "SELECT FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = g.f_table_schema AND c.relname = g.f_table_name)"
                ),
                {"schemas": list(SCHEMAS)},
            )
        }
        gist = set(
            conn.execute(
                sa.text(
                    "SELECT n.nspname, t.relname, a.attname FROM pg_index i "
                    "JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam "
                    "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                    "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0] "
                    "WHERE am.amname = 'gist'"
                )
            ).all()
        )
    assert {k: v[0] for k, v in columns.items()} == GEOMETRY
    assert {v[1] for v in columns.values()} == {4326}
    view_names = ("district_swot", "issue")
    views = {(s, t) for s, t, _ in GEOMETRY if t.startswith("village_priority_") or t in view_names}
    views.discard(("core", "issue"))
    assert [c for c in columns if c not in gist and c[:2] not in views] == []


def test_every_table_and_column_is_described(engine):
    with engine.connect() as conn:
        undescribed_tables = (
            conn.execute(
                sa.text(
                    "SELECT n.nspname || '.' || c.relname FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = ANY(:schemas) AND c.relkind IN ('r', 'v', 'm', 'p') "
                    "AND coalesce(obj_description(c.oid, 'pg_class'), '') = ''"
                ),
                {"schemas": list(SCHEMAS)},
            )
            .scalars()
            .all()
        )
        undescribed_columns = (
            conn.execute(
                sa.text(
                    "SELECT n.nspname || '.' || c.relname || '.' || a.attname FROM pg_attribute a "
                    "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = ANY(:schemas) AND c.relkind IN ('r', 'v', 'm', 'p') "
                    "AND NOT c.relispartition "  # a partition's columns are described by its parent
                    "AND a.attnum > 0 AND NOT a.attisdropped "
                    "AND coalesce(col_description(c.oid, a.attnum), '') = ''"
                ),
                {"schemas": list(SCHEMAS)},
            )
            .scalars()
            .all()
        )
        undescribed_schemas = (
            conn.execute(
                sa.text(
                    "SELECT nspname FROM pg_namespace WHERE nspname = ANY(:schemas) "
                    "AND coalesce(obj_description(oid, 'pg_namespace'), '') = ''"
                ),
                {"schemas": list(SCHEMAS)},
            )
            .scalars()
            .all()
        )
    assert undescribed_tables == []
    assert undescribed_columns == []
    assert undescribed_schemas == []


SQUARE = "POLYGON((116 -2,116.1 -2,116.1 -1.9,116 -1.9,116 -2))"
VILLAGE = sa.text(
    "INSERT INTO ref.village VALUES (:code, 'X', :kind, :district, 1, 1, "
    "ST_Multi(ST_GeomFromText(:wkt, :srid)))"
)
GOOD_VILLAGE = {"code": "64.01.04.2012", "kind": "desa", "district": "64.01.04", "wkt": SQUARE, "srid": 4326}


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"code": "6401042012"}, "village_code_format"),
        ({"code": "64.01.05.2012"}, "village_in_its_district"),
        ({"kind": "dusun"}, "village_kind_check"),
        ({"wkt": "POLYGON((0 0,1 0,1 1,0 0))", "srid": 32750}, "SRID"),
        ({"wkt": "LINESTRING(116 -2,116.1 -2)"}, "Geometry type"),
    ],
)
def test_the_village_table_refuses_what_breaks_the_contract(engine, change, complaint):
    with engine.begin() as conn:  # the good row goes in, so each bad one fails for its own reason
        conn.execute(VILLAGE, {**GOOD_VILLAGE, "code": "64.01.04.2013"})
    with pytest.raises(sa.exc.DBAPIError, match=complaint), engine.begin() as conn:
        conn.execute(VILLAGE, {**GOOD_VILLAGE, **change})


def test_ikn_zones_must_ring_outward(engine):
    with pytest.raises(sa.exc.IntegrityError, match="ikn_zone_rings_outward"), engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO ref.ikn_zone (name, min_km, max_km, geom) "
                "VALUES ('bad', 50, 25, ST_Multi(ST_GeomFromText(:wkt, 4326)))"
            ),
            {"wkt": SQUARE},
        )


def test_issue_rows_are_checked_for_dimension_swot_severity_and_place(engine):
    with engine.begin() as conn:
        submission = conn.execute(
            sa.text("INSERT INTO intake.submission (sha256, file_name) VALUES (:h, 'a.xlsx') RETURNING id"),
            {"h": "a" * 64},
        ).scalar_one()
    good = {
        "s": submission, "agency": "Dinas Kesehatan", "dimension": "living", "swot": "weakness",
        "description": "Puskesmas kekurangan tenaga", "severity": 4, "district": "64.01.04",
        "village": "64.01.04.2012", "method": "code", "score": 1.0,
    }  # fmt: skip
    insert = sa.text(
        "INSERT INTO core.issue (submission_id, row_number, agency, dimension, swot, description, "
        "severity, district_code, village_code, location_method, location_score) VALUES "
        "(:s, :row, :agency, :dimension, :swot, :description, :severity, :district, :village, "
        ":method, :score)"
    )
    with engine.begin() as conn:
        conn.execute(insert, {**good, "row": 2})
    for row, bad in enumerate(
        [{"dimension": "health"}, {"swot": "risk"}, {"severity": 6}, {"village": "64.01.05.2012"},
         {"method": "guess"}, {"description": ""}],
        start=3,
    ):  # fmt: skip
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(insert, {**good, **bad, "row": row})
