-- 013: where the numbers of a scoring run came from: the sources of the region's boundaries, attributes,
-- district names and IKN boundary (file, source, licence, date, approximate), and the model and run.
ALTER TABLE mart.scoring_run ADD COLUMN IF NOT EXISTS provenance jsonb NOT NULL DEFAULT '{}'::jsonb;

COMMENT ON COLUMN mart.scoring_run.provenance IS 'Sources of the inputs, as JSON: boundaries, attributes, names and ikn (each file, source, licence, date, approximate; boundaries also loaded_at and sha256), model (config_source, config_hash) and run_id. An approximate input (the shipped IKN boundary) has approximate = true.';
