-- Statements of the pipeline's run log (smartcity/runlog.py).

-- name: start
INSERT INTO smartcity.pipeline_run (id, region_code) VALUES (:id, :region_code)
ON CONFLICT (id, region_code) DO NOTHING;

-- name: mark_interrupted
-- Runs of the region still 'running': dead, since the caller holds the region's lock.
UPDATE smartcity.pipeline_run SET outcome = 'interrupted'
WHERE region_code = :region_code AND outcome = 'running' AND id <> :id;

-- name: finish
UPDATE smartcity.pipeline_run
SET finished_at = now(), outcome = :outcome, files_new = :files_new, rows_loaded = :rows_loaded,
    rows_rejected = :rows_rejected, scoring_run_id = CAST(:scoring_run_id AS uuid), index_path = :index_path,
    error = :error
WHERE id = :id AND region_code = :region_code;

-- name: recent
SELECT id::text AS id, region_code, started_at, finished_at, outcome, files_new, rows_loaded, rows_rejected,
       scoring_run_id::text AS scoring_run_id, index_path, error
FROM smartcity.pipeline_run ORDER BY started_at DESC LIMIT :limit;
