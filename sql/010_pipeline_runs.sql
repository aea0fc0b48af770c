-- 010: the pipeline's own run log (smartcity status): one row per `smartcity run`, written at its
-- start and completed at its end, so data engineers see every run, its outcome and counts, in SQL.
CREATE TABLE IF NOT EXISTS smartcity.pipeline_run (
    id uuid PRIMARY KEY,
    region_code text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    outcome text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'completed', 'unchanged', 'failed')),
    files_new integer,
    rows_loaded integer,
    rows_rejected integer,
    scoring_run_id uuid,
    index_path text,
    error text
);
CREATE INDEX IF NOT EXISTS pipeline_run_started_idx ON smartcity.pipeline_run (started_at DESC);
COMMENT ON TABLE smartcity.pipeline_run IS 'One row per pipeline run (smartcity run / the served deployment): outcome and counts, for smartcity status.';
COMMENT ON COLUMN smartcity.pipeline_run.id IS 'Prefect flow run id of the pipeline run.';
COMMENT ON COLUMN smartcity.pipeline_run.region_code IS 'Regency the run served.';
COMMENT ON COLUMN smartcity.pipeline_run.started_at IS 'When it started.';
COMMENT ON COLUMN smartcity.pipeline_run.finished_at IS 'When it ended; NULL while running (or when the process was killed).';
COMMENT ON COLUMN smartcity.pipeline_run.outcome IS 'running, completed, unchanged (nothing new: scoring and pages reused) or failed.';
COMMENT ON COLUMN smartcity.pipeline_run.files_new IS 'Worksheet files ingested by the run (duplicates not counted).';
COMMENT ON COLUMN smartcity.pipeline_run.rows_loaded IS 'Worksheet rows loaded into core.issue.';
COMMENT ON COLUMN smartcity.pipeline_run.rows_rejected IS 'Worksheet rows kept in intake.rejected_row.';
COMMENT ON COLUMN smartcity.pipeline_run.scoring_run_id IS 'Scoring run published (mart.scoring_run), new or reused.';
COMMENT ON COLUMN smartcity.pipeline_run.index_path IS 'The report page of that scoring run.';
COMMENT ON COLUMN smartcity.pipeline_run.error IS 'One-line error of a failed run.';
