-- 011: several regencies in one database, isolated by a region column (not a schema per region).
--
-- Why a column: every reference table is already keyed by nationwide Kemendagri codes (64.01.04.2005
-- says which regency it is in), core.issue is placed in a district whose code starts with its
-- regency's, and mart.scoring_run and smartcity.pipeline_run carry region_code. What was missing is
-- the intake's own bookkeeping: which region a file was ingested *for*. With it, the same file may be
-- ingested for two regions (a provincial agency's worksheet: each region keeps its own rows and
-- rejects the others'), a duplicate is a duplicate within its region, and --replace only supersedes an
-- agency's submissions of the same region. One set of tables keeps the published schema the same for
-- GIS teams whatever the number of regions; they filter on region_code (or left(code, 5)).

ALTER TABLE intake.submission ADD COLUMN IF NOT EXISTS region_code text
    CHECK (region_code ~ '^\d{2}\.\d{2}$');
COMMENT ON COLUMN intake.submission.region_code IS 'Regency (Kemendagri code, e.g. 64.01) the file was ingested for; its rows were placed against that region''s places. NULL only for files received before migration 011 with no row placed.';

-- Files received before: the regency their rows were placed in.
UPDATE intake.submission s SET region_code = placed.region_code
FROM (SELECT submission_id, min(left(district_code, 5)) AS region_code FROM core.issue GROUP BY submission_id) placed
WHERE placed.submission_id = s.id AND s.region_code IS NULL;

-- A duplicate is the same content for the same region.
ALTER TABLE intake.submission DROP CONSTRAINT IF EXISTS submission_sha256_key;
CREATE UNIQUE INDEX IF NOT EXISTS submission_region_sha256_key
    ON intake.submission (region_code, sha256) NULLS NOT DISTINCT;
CREATE INDEX IF NOT EXISTS submission_sha256_idx ON intake.submission (sha256);

-- One pipeline run may serve several regions: one row per run and region.
DO $migration$
BEGIN
IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'pipeline_run_pkey'
           AND conrelid = 'smartcity.pipeline_run'::regclass AND cardinality(conkey) = 1) THEN
    ALTER TABLE smartcity.pipeline_run DROP CONSTRAINT pipeline_run_pkey,
        ADD CONSTRAINT pipeline_run_pkey PRIMARY KEY (id, region_code);
END IF;
END
$migration$;
COMMENT ON TABLE smartcity.pipeline_run IS 'One row per pipeline run and region served (smartcity run / the served deployment): outcome and counts, for smartcity status.';
COMMENT ON COLUMN smartcity.pipeline_run.id IS 'Prefect flow run id of the pipeline run (shared by the regions it served).';

-- A run that ended without recording its outcome (killed, or the database went away under it) is
-- marked 'interrupted' by the next run of its region, which holds the region's lock and so knows
-- that no other run of it is alive.
ALTER TABLE smartcity.pipeline_run DROP CONSTRAINT IF EXISTS pipeline_run_outcome_check;
ALTER TABLE smartcity.pipeline_run ADD CONSTRAINT pipeline_run_outcome_check
    CHECK (outcome IN ('running', 'completed', 'unchanged', 'failed', 'interrupted'));
COMMENT ON COLUMN smartcity.pipeline_run.outcome IS 'running, completed, unchanged (nothing new: scoring and pages reused), failed, or interrupted (ended without recording an outcome: killed, or the database went away; set by the next run of the region).';
