-- Statements of the planners' deliverable (issue 20): the submission roster, what changed since the
-- previous run, the master plan document. Read with smartcity.scoring.results in the same snapshot.

-- name: run_model
SELECT config FROM mart.scoring_run WHERE run_id = CAST(:run_id AS uuid);

-- name: submissions
-- Every submission of the region that counts (not superseded), for the roster: who sent what, when.
SELECT id, file_name AS file, coalesce(agency, '') AS agency, received_at, status,
       coalesce(rows_total, 0) AS rows, coalesce(rows_accepted, 0) AS loaded,
       coalesce(rows_rejected, 0) AS rejected
FROM intake.submission
WHERE status <> 'superseded' AND region_code = :regency
ORDER BY received_at, id;

-- name: rank_changes
-- Each village against the previous run of the region (mart.village_priority_change).
SELECT code, name, district_code, rank, previous_rank, rank_change, score, previous_score,
       previous_run_id::text AS previous_run_id
FROM mart.village_priority_change WHERE left(code, 5) = :regency;

-- name: previous_run
SELECT run_id::text AS run_id, finished_at, submission_ids, config_hash
FROM mart.scoring_run WHERE run_id = CAST(:previous_run_id AS uuid);

-- name: previous_hotspots
SELECT code, hotspot FROM mart.priority_history
WHERE run_id = CAST(:previous_run_id AS uuid) AND level = 'village';

-- name: new_submissions
SELECT id, file_name AS file, coalesce(agency, '') AS agency, received_at, coalesce(rows_total, 0) AS rows,
       coalesce(rows_rejected, 0) AS rejected
FROM intake.submission WHERE id = ANY(:ids) ORDER BY received_at, id;

-- name: issue_texts
-- The issues with their place names, for the master plan's SWOT, TOWS, quick wins and annex.
-- Regency-wide issues (no district) come with regency_wide true; readiness is the aspect the agency gave
-- ('suprastruktur', 'struktur', 'infrastruktur') or NULL.
SELECT i.agency, i.dimension, i.swot, i.severity, i.description, i.village_code, v.name AS village_name,
       i.district_code, d.name AS district_name, i.district_code IS NULL AS regency_wide, i.readiness
FROM core.issue i
JOIN intake.submission s ON s.id = i.submission_id
LEFT JOIN ref.village v ON v.code = i.village_code
LEFT JOIN ref.district d ON d.code = i.district_code
WHERE left(i.district_code, 5) = :regency OR (i.district_code IS NULL AND s.region_code = :regency)
ORDER BY i.dimension, i.severity DESC, i.district_code NULLS FIRST, i.submission_id, i.sheet, i.row_number;

-- name: district_profile
-- The regional profile of the master plan: per district its villages (desa and kelurahan), area,
-- population where a source was joined, IDM 2024 status counts and the distance of its nearest village
-- to IKN (ref.village.ikn_distance_km).
SELECT d.code, d.name, count(v.code) FILTER (WHERE v.kind = 'desa') AS desa,
       count(v.code) FILTER (WHERE v.kind = 'kelurahan') AS kelurahan,
       d.area_km2, d.population,
       count(v.code) FILTER (WHERE upper(v.idm_status) = 'MANDIRI') AS idm_mandiri,
       count(v.code) FILTER (WHERE upper(v.idm_status) = 'MAJU') AS idm_maju,
       count(v.code) FILTER (WHERE upper(v.idm_status) = 'BERKEMBANG') AS idm_berkembang,
       count(v.code) FILTER (WHERE upper(v.idm_status) = 'TERTINGGAL') AS idm_tertinggal,
       count(v.code) FILTER (WHERE upper(v.idm_status) = 'SANGAT TERTINGGAL') AS idm_sangat_tertinggal,
       min(v.ikn_distance_km) AS ikn_km_min, max(v.ikn_distance_km) AS ikn_km_max
FROM ref.district d
LEFT JOIN ref.village v ON v.district_code = d.code
WHERE d.regency_code = :regency
GROUP BY d.code, d.name, d.area_km2, d.population
ORDER BY d.code;
