-- Statements of priority scoring (smartcity/priority.py). The heavy lifting (joins, aggregates)
-- happens here; Python does the statistics.

-- name: villages
SELECT v.code, v.name, v.district_code, v.area_km2, v.population, v.ikn_distance_km, z.ring AS ikn_ring,
       v.idm_score
FROM ref.village v
LEFT JOIN (SELECT id, row_number() OVER (ORDER BY min_km) - 1 AS ring FROM ref.ikn_zone) z
    ON z.id = v.ikn_zone_id
WHERE left(v.code, 5) = :regency
ORDER BY v.code;

-- name: districts
SELECT d.code, d.name, d.area_km2,
       coalesce(d.population, (SELECT sum(population) FROM ref.village v WHERE v.district_code = d.code))
           AS population,
       d.ikn_distance_km, z.ring AS ikn_ring,
       (SELECT avg(idm_score) FROM ref.village v WHERE v.district_code = d.code) AS idm_score
FROM ref.district d
LEFT JOIN (SELECT id, row_number() OVER (ORDER BY min_km) - 1 AS ring FROM ref.ikn_zone) z
    ON z.id = d.ikn_zone_id
WHERE d.regency_code = :regency
ORDER BY d.code;

-- name: tallies
-- Issues per place, dimension, SWOT category and urgency: a few thousand rows at most, whatever the
-- number of issues (issues were placed in their village or district when they were ingested).
SELECT district_code, village_code, dimension, swot, severity::integer AS severity, count(*)::float8 AS count
FROM core.issue
WHERE left(district_code, 5) = :regency
GROUP BY district_code, village_code, dimension, swot, severity;

-- name: submissions
SELECT coalesce(array_agg(DISTINCT submission_id ORDER BY submission_id), '{}') AS ids, count(*) AS issues
FROM core.issue
WHERE left(district_code, 5) = :regency;

-- name: village_geometries
SELECT code, ST_AsBinary(geom) AS wkb FROM ref.village WHERE left(code, 5) = :regency ORDER BY code;

-- name: insert_run
INSERT INTO mart.scoring_run (run_id, region_code, started_at, config, config_hash, config_source, weights,
                              dropped_criteria, submission_ids, issue_count, flow_run_id, provenance)
VALUES (:run_id, :region_code, :started_at, CAST(:config AS jsonb), :config_hash, :config_source,
        CAST(:weights AS jsonb), :dropped, :submission_ids, :issue_count, :flow_run_id,
        CAST(:provenance AS jsonb));

-- name: stage_area
CREATE TEMP TABLE stage_area (
    level text, code text, issue_count integer, problem_count integer, asset_count integer,
    severity_sum integer, score double precision, rank integer, class_no smallint, priority_class text,
    components jsonb, gi_z double precision, p_fdr double precision, hotspot text, p_top double precision,
    rank_p05 integer, rank_p95 integer
) ON COMMIT DROP;

-- name: stage_dimension
CREATE TEMP TABLE stage_dimension (LIKE mart.dimension_priority) ON COMMIT DROP;

-- name: clear_villages
DELETE FROM mart.village_priority WHERE left(code, 5) = :regency;

-- name: record_villages
INSERT INTO mart.village_priority (code, name, district_code, geom, issue_count, problem_count, asset_count,
    severity_sum, score, rank, class_no, priority_class, components, gi_z, p_fdr, hotspot, p_top, rank_p05,
    rank_p95, run_id)
SELECT s.code, v.name, v.district_code, v.geom, s.issue_count, s.problem_count, s.asset_count,
       s.severity_sum, s.score, s.rank, s.class_no, s.priority_class, s.components, s.gi_z, s.p_fdr,
       s.hotspot, s.p_top, s.rank_p05, s.rank_p95, CAST(:run_id AS uuid)
FROM stage_area s JOIN ref.village v ON v.code = s.code
WHERE s.level = 'village';

-- name: clear_districts
DELETE FROM mart.district_priority WHERE left(code, 5) = :regency;

-- name: record_districts
INSERT INTO mart.district_priority (code, name, geom, issue_count, problem_count, asset_count, severity_sum,
    score, rank, class_no, priority_class, components, p_top, rank_p05, rank_p95, run_id)
SELECT s.code, d.name, d.geom, s.issue_count, s.problem_count, s.asset_count, s.severity_sum, s.score,
       s.rank, s.class_no, s.priority_class, s.components, s.p_top, s.rank_p05, s.rank_p95,
       CAST(:run_id AS uuid)
FROM stage_area s JOIN ref.district d ON d.code = s.code
WHERE s.level = 'district';

-- name: clear_dimensions
DELETE FROM mart.dimension_priority WHERE left(code, 5) = :regency;

-- name: record_dimensions
INSERT INTO mart.dimension_priority SELECT * FROM stage_dimension;

-- name: record_history
INSERT INTO mart.priority_history (run_id, level, code, score, rank, class_no, priority_class, hotspot,
                                   p_top, components)
SELECT CAST(:run_id AS uuid), level, code, score, rank, class_no, priority_class, hotspot, p_top, components
FROM stage_area;

-- name: top_areas
SELECT code, name, score, rank, priority_class, issue_count, p_top, hotspot
FROM mart.village_priority
WHERE run_id = CAST(:run_id AS uuid)
ORDER BY rank, code
LIMIT :limit;

-- name: latest_run
SELECT run_id::text AS run_id, config_hash, submission_ids, issue_count, finished_at
FROM mart.scoring_run WHERE region_code = :regency ORDER BY finished_at DESC LIMIT 1;
