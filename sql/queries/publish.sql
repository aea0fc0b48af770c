-- Statements of publishing (smartcity/publication.py): what the maps and reports show.

-- name: latest_run
SELECT run_id::text AS run_id, region_code, started_at, finished_at, config_hash, config_source, weights,
       dropped_criteria, submission_ids, issue_count, flow_run_id::text AS flow_run_id, provenance
FROM mart.scoring_run WHERE region_code = :regency ORDER BY finished_at DESC LIMIT 1;

-- name: villages
SELECT code, name, district_code, score, rank, class_no, priority_class, issue_count, problem_count,
       asset_count, severity_sum, p_top, rank_p05, rank_p95, hotspot, gi_z, p_fdr, components,
       ST_AsBinary(geom) AS wkb
FROM mart.village_priority WHERE left(code, 5) = :regency ORDER BY rank, code;

-- name: districts
SELECT code, name, score, rank, class_no, priority_class, issue_count, problem_count, asset_count,
       p_top, rank_p05, rank_p95, components, ST_AsBinary(geom) AS wkb
FROM mart.district_priority WHERE left(code, 5) = :regency ORDER BY rank, code;

-- name: dimensions
SELECT code, dimension, score, rank, class_no, priority_class, issue_count
FROM mart.dimension_priority WHERE level = 'village' AND left(code, 5) = :regency;

-- name: ikn_zones
SELECT id, name, min_km, max_km, ST_AsBinary(geom) AS wkb FROM ref.ikn_zone ORDER BY min_km;

-- name: ikn_boundary
SELECT name, source, ST_AsBinary(geom) AS wkb FROM ref.ikn_boundary;

-- name: issues
-- Every issue with a point to show: its own, else a point inside its village, else its district.
WITH village_point AS (
    SELECT code, ST_PointOnSurface(geom) AS pt FROM ref.village WHERE left(code, 5) = :regency
), district_point AS (
    SELECT code, ST_PointOnSurface(geom) AS pt FROM ref.district WHERE regency_code = :regency
)
SELECT i.agency, i.dimension, i.swot, i.severity, i.description, i.location_method, i.location_score,
       i.village_code, i.district_code, i.geom IS NOT NULL AS exact,
       ST_X(coalesce(i.geom, v.pt, d.pt)) AS lon, ST_Y(coalesce(i.geom, v.pt, d.pt)) AS lat
FROM core.issue i
LEFT JOIN village_point v ON v.code = i.village_code
LEFT JOIN district_point d ON d.code = i.district_code
WHERE left(i.district_code, 5) = :regency;

-- name: intake_summary
SELECT s.file_name AS file, coalesce(s.agency, '') AS agency, s.status, coalesce(s.rows_total, 0) AS rows,
       coalesce(s.rows_accepted, 0) AS loaded, coalesce(s.rows_rejected, 0) AS rejected,
       coalesce(s.rows_skipped, 0) AS skipped,
       coalesce(p.by_code, 0) AS "by code", coalesce(p.by_point, 0) AS "by point",
       coalesce(p.by_name, 0) AS "by name", coalesce(p.by_district, 0) AS "by district",
       coalesce(p.by_regency, 0) AS "by regency", coalesce(s.error, '') AS error
FROM intake.submission s
LEFT JOIN (
    SELECT submission_id,
           count(*) FILTER (WHERE location_method = 'code') AS by_code,
           count(*) FILTER (WHERE location_method = 'point') AS by_point,
           count(*) FILTER (WHERE location_method = 'name') AS by_name,
           count(*) FILTER (WHERE location_method = 'district') AS by_district,
           count(*) FILTER (WHERE location_method = 'regency') AS by_regency
    FROM core.issue GROUP BY submission_id
) p ON p.submission_id = s.id
WHERE s.status <> 'superseded' AND s.region_code = :regency
ORDER BY s.received_at, s.id;

-- name: swot
-- SWOT per district and dimension, and the regency-wide issues (no district) as one more group.
SELECT district_code, district_name, dimension, strengths, weaknesses, opportunities, threats,
       strength_texts, weakness_texts, opportunity_texts, threat_texts, false AS regency_wide
FROM mart.district_swot WHERE left(district_code, 5) = :regency
UNION ALL
SELECT NULL, NULL, i.dimension,
       count(*) FILTER (WHERE i.swot = 'strength')::integer, count(*) FILTER (WHERE i.swot = 'weakness')::integer,
       count(*) FILTER (WHERE i.swot = 'opportunity')::integer, count(*) FILTER (WHERE i.swot = 'threat')::integer,
       coalesce(jsonb_agg(i.description ORDER BY i.severity DESC, i.submission_id, i.sheet, i.row_number)
           FILTER (WHERE i.swot = 'strength'), '[]'),
       coalesce(jsonb_agg(i.description ORDER BY i.severity DESC, i.submission_id, i.sheet, i.row_number)
           FILTER (WHERE i.swot = 'weakness'), '[]'),
       coalesce(jsonb_agg(i.description ORDER BY i.severity DESC, i.submission_id, i.sheet, i.row_number)
           FILTER (WHERE i.swot = 'opportunity'), '[]'),
       coalesce(jsonb_agg(i.description ORDER BY i.severity DESC, i.submission_id, i.sheet, i.row_number)
           FILTER (WHERE i.swot = 'threat'), '[]'),
       true
FROM core.issue i JOIN intake.submission s ON s.id = i.submission_id
WHERE i.district_code IS NULL AND s.region_code = :regency
GROUP BY i.dimension
ORDER BY 1 NULLS FIRST, 3;

-- name: regency_name
SELECT name FROM ref.regency WHERE code = :regency;
