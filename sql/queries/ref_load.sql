-- Statements of the reference-geography loader (smartcity/refload.py). One transaction per load.

-- name: lock
SELECT pg_advisory_xact_lock(:key);

-- name: last_fingerprint
SELECT sha256 FROM ref.boundary_load
WHERE level = :level AND regency_codes = CAST(:regencies AS text[])
ORDER BY id DESC LIMIT 1;

-- name: districts_of
SELECT code, name, source, ST_AsBinary(geom) AS wkb FROM ref.district
WHERE left(code, 5) = ANY(CAST(:regencies AS text[]));

-- name: villages_of
SELECT code, district_code, ST_AsBinary(geom) AS wkb FROM ref.village
WHERE left(code, 5) = ANY(CAST(:regencies AS text[]));

-- name: known_names
SELECT code, name FROM ref.district WHERE left(code, 5) = ANY(CAST(:regencies AS text[]))
UNION ALL
SELECT code, name FROM ref.regency WHERE code = ANY(CAST(:regencies AS text[]));

-- name: create_stage_village
CREATE TEMP TABLE stage_village (LIKE ref.village INCLUDING DEFAULTS) ON COMMIT DROP;

-- name: create_stage_district
CREATE TEMP TABLE stage_district (LIKE ref.district INCLUDING DEFAULTS) ON COMMIT DROP;

-- name: create_stage_regency
CREATE TEMP TABLE stage_regency (LIKE ref.regency INCLUDING DEFAULTS) ON COMMIT DROP;

-- name: stash_villages
-- Attributes joined by an earlier load (population, IDM) stay with their code unless given anew.
CREATE TEMP TABLE old_village ON COMMIT DROP AS
SELECT code, population, idm_score, idm_status FROM ref.village
WHERE left(code, 5) = ANY(CAST(:regencies AS text[]));

-- name: delete_villages
DELETE FROM ref.village WHERE left(code, 5) = ANY(CAST(:regencies AS text[]));

-- name: insert_villages
INSERT INTO ref.village (code, name, kind, district_code, area_km2, population, idm_score, idm_status, geom, source)
SELECT s.code, s.name, s.kind, s.district_code, s.area_km2,
       coalesce(s.population, o.population), coalesce(s.idm_score, o.idm_score),
       coalesce(s.idm_status, o.idm_status), s.geom, s.source
FROM stage_village s LEFT JOIN old_village o USING (code);

-- name: stash_districts
CREATE TEMP TABLE old_district ON COMMIT DROP AS
SELECT code, population FROM ref.district WHERE left(code, 5) = ANY(CAST(:regencies AS text[]));

-- name: delete_districts
DELETE FROM ref.district WHERE left(code, 5) = ANY(CAST(:regencies AS text[]));

-- name: insert_districts
INSERT INTO ref.district (code, name, regency_code, area_km2, population, geom, source)
SELECT s.code, s.name, s.regency_code, s.area_km2, coalesce(s.population, o.population), s.geom, s.source
FROM stage_district s LEFT JOIN old_district o USING (code);

-- name: delete_regencies
DELETE FROM ref.regency WHERE code = ANY(CAST(:regencies AS text[]));

-- name: insert_regencies
INSERT INTO ref.regency (code, name, geom, source) SELECT code, name, geom, source FROM stage_regency;

-- name: delete_aliases
DELETE FROM ref.place_alias WHERE left(code, 5) = ANY(CAST(:regencies AS text[]));

-- name: names_of
SELECT 'village' AS level, code, name FROM ref.village WHERE left(code, 5) = ANY(CAST(:regencies AS text[]))
UNION ALL
SELECT 'district', code, name FROM ref.district WHERE left(code, 5) = ANY(CAST(:regencies AS text[]))
UNION ALL
SELECT 'regency', code, name FROM ref.regency WHERE code = ANY(CAST(:regencies AS text[]));

-- name: create_stage_alias
CREATE TEMP TABLE stage_alias (LIKE ref.place_alias) ON COMMIT DROP;

-- name: insert_aliases
INSERT INTO ref.place_alias (alias, level, code) SELECT DISTINCT alias, level, code FROM stage_alias
ON CONFLICT DO NOTHING;

-- name: no_jit
-- The planner's huge cost estimates for geometry work switch JIT on, which costs more than it saves.
SET LOCAL jit = off;

-- name: update_village_ikn
-- MATERIALIZED: otherwise PostgreSQL inlines d and computes the distance again for every zone tested.
WITH ikn AS MATERIALIZED (SELECT ST_Transform(ST_Union(geom), :srid) AS geom FROM ref.ikn_boundary),
d AS MATERIALIZED (
    SELECT v.code, ST_Distance(ST_Transform(v.geom, :srid), ikn.geom) / 1000.0 AS km
    FROM ref.village v, ikn
    WHERE cardinality(CAST(:regencies AS text[])) = 0 OR left(v.code, 5) = ANY(CAST(:regencies AS text[]))
)
UPDATE ref.village v
SET ikn_distance_km = d.km,
    ikn_zone_id = (SELECT z.id FROM ref.ikn_zone z
                   WHERE d.km >= z.min_km AND (z.max_km IS NULL OR d.km < z.max_km)
                   ORDER BY z.min_km LIMIT 1)
FROM d WHERE v.code = d.code;

-- name: update_district_ikn
-- MATERIALIZED: otherwise PostgreSQL inlines d and computes the distance again for every zone tested.
WITH ikn AS MATERIALIZED (SELECT ST_Transform(ST_Union(geom), :srid) AS geom FROM ref.ikn_boundary),
d AS MATERIALIZED (
    SELECT t.code, ST_Distance(ST_Transform(t.geom, :srid), ikn.geom) / 1000.0 AS km
    FROM ref.district t, ikn
    WHERE cardinality(CAST(:regencies AS text[])) = 0 OR left(t.code, 5) = ANY(CAST(:regencies AS text[]))
)
UPDATE ref.district t
SET ikn_distance_km = d.km,
    ikn_zone_id = (SELECT z.id FROM ref.ikn_zone z
                   WHERE d.km >= z.min_km AND (z.max_km IS NULL OR d.km < z.max_km)
                   ORDER BY z.min_km LIMIT 1)
FROM d WHERE t.code = d.code;

-- name: record_load
INSERT INTO ref.boundary_load
    (level, regency_codes, source, sha256, features, repaired, dropped, warnings, report, flow_run_id)
VALUES (:level, CAST(:regencies AS text[]), :source, :sha256, :features, :repaired, :dropped,
        CAST(:warnings AS text[]), CAST(:report AS jsonb), :flow_run_id)
RETURNING id;
