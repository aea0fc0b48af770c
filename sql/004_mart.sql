-- 004: published priority areas (mart). Filled by the scoring flow; one row per area for the latest run.
CREATE TABLE IF NOT EXISTS mart.village_priority (
    code text PRIMARY KEY,
    name text NOT NULL,
    geom geometry(MultiPolygon, 4326),
    issue_count integer NOT NULL DEFAULT 0 CHECK (issue_count >= 0),
    severity_sum integer NOT NULL DEFAULT 0 CHECK (severity_sum >= 0),
    score double precision CHECK (score BETWEEN 0 AND 100),
    rank integer CHECK (rank > 0),
    priority_class text,
    components jsonb NOT NULL DEFAULT '{}'::jsonb,
    run_id uuid
);
CREATE INDEX IF NOT EXISTS village_priority_geom_gist ON mart.village_priority USING gist (geom);
COMMENT ON TABLE mart.village_priority IS 'Priority score of each village (desa/kelurahan) from the latest scoring run, with its explanation.';
COMMENT ON COLUMN mart.village_priority.code IS 'Village Kemendagri code.';
COMMENT ON COLUMN mart.village_priority.name IS 'Village name.';
COMMENT ON COLUMN mart.village_priority.geom IS 'Village boundary, WGS 84 (EPSG:4326).';
COMMENT ON COLUMN mart.village_priority.issue_count IS 'Issues placed in the village.';
COMMENT ON COLUMN mart.village_priority.severity_sum IS 'Sum of their urgency (1-5).';
COMMENT ON COLUMN mart.village_priority.score IS 'Priority score 0-100; higher means act sooner.';
COMMENT ON COLUMN mart.village_priority.rank IS 'Rank by score, 1 = highest priority.';
COMMENT ON COLUMN mart.village_priority.priority_class IS 'Class label, Sangat Tinggi (very high) to Sangat Rendah (very low).';
COMMENT ON COLUMN mart.village_priority.components IS 'Why: each criterion''s raw value, normalised value, weight and contribution (contributions sum to the score).';
COMMENT ON COLUMN mart.village_priority.run_id IS 'Scoring run that produced the row.';

CREATE TABLE IF NOT EXISTS mart.district_priority (
    code text PRIMARY KEY,
    name text NOT NULL,
    geom geometry(MultiPolygon, 4326),
    issue_count integer NOT NULL DEFAULT 0 CHECK (issue_count >= 0),
    severity_sum integer NOT NULL DEFAULT 0 CHECK (severity_sum >= 0),
    score double precision CHECK (score BETWEEN 0 AND 100),
    rank integer CHECK (rank > 0),
    priority_class text,
    components jsonb NOT NULL DEFAULT '{}'::jsonb,
    run_id uuid
);
CREATE INDEX IF NOT EXISTS district_priority_geom_gist ON mart.district_priority USING gist (geom);
COMMENT ON TABLE mart.district_priority IS 'Priority score of each district (kecamatan) from the latest scoring run, with its explanation.';
COMMENT ON COLUMN mart.district_priority.code IS 'District Kemendagri code.';
COMMENT ON COLUMN mart.district_priority.name IS 'District name.';
COMMENT ON COLUMN mart.district_priority.geom IS 'District boundary, WGS 84 (EPSG:4326).';
COMMENT ON COLUMN mart.district_priority.issue_count IS 'Issues placed in the district, village-level ones included.';
COMMENT ON COLUMN mart.district_priority.severity_sum IS 'Sum of their urgency (1-5).';
COMMENT ON COLUMN mart.district_priority.score IS 'Priority score 0-100; higher means act sooner.';
COMMENT ON COLUMN mart.district_priority.rank IS 'Rank by score, 1 = highest priority.';
COMMENT ON COLUMN mart.district_priority.priority_class IS 'Class label, Sangat Tinggi (very high) to Sangat Rendah (very low).';
COMMENT ON COLUMN mart.district_priority.components IS 'Why: each criterion''s raw value, normalised value, weight and contribution (contributions sum to the score).';
COMMENT ON COLUMN mart.district_priority.run_id IS 'Scoring run that produced the row.';
