-- Statements of the worksheet intake (smartcity/intake.py). One transaction per file.

-- name: find_submission
-- The same content for the same region (files received before 011 without a region count everywhere).
SELECT id, status, error FROM intake.submission
WHERE sha256 = :sha256 AND (region_code = :region_code OR region_code IS NULL)
ORDER BY id LIMIT 1;

-- name: insert_submission
INSERT INTO intake.submission
    (region_code, sha256, file_name, agency, status, rows_total, rows_accepted, rows_rejected, error,
     flow_run_id, feedback_file)
VALUES (:region_code, :sha256, :file_name, :agency, :status, :rows_total, :rows_accepted, :rows_rejected,
        :error, :flow_run_id, :feedback_file)
ON CONFLICT (region_code, sha256) DO NOTHING
RETURNING id;

-- name: finish_submission
-- The submission row is inserted before its rows are judged (they load slice by slice) and completed
-- here, in the same transaction. error: what the operator should know of a loaded file (e.g. a
-- --replace that replaced nothing).
UPDATE intake.submission
SET agency = :agency, status = :status, rows_accepted = :rows_accepted, rows_rejected = :rows_rejected,
    error = :error, rows_skipped = :rows_skipped, sheets = CAST(:sheets AS jsonb)
WHERE id = :id;

-- name: record_feedback
-- The agency's feedback file, written after the load committed (or why it could not be written).
UPDATE intake.submission SET feedback_file = :feedback_file, error = :error WHERE id = :id;

-- name: supersede_agency
-- A corrected re-submission replaces the agency's earlier rows of the same region; the earlier
-- submissions stay as history. Agency names compare without case and surrounding or repeated spaces
-- ("DINAS KESEHATAN " is "Dinas Kesehatan").
UPDATE intake.submission SET status = 'superseded', superseded_by = :new_id
WHERE lower(regexp_replace(btrim(agency), '\s+', ' ', 'g')) = lower(regexp_replace(btrim(:agency), '\s+', ' ', 'g'))
  AND region_code = :region_code AND id <> :new_id AND status IN ('loaded', 'partial');

-- name: delete_superseded_issues
DELETE FROM core.issue i USING intake.submission s
WHERE i.submission_id = s.id AND s.superseded_by = :new_id;

-- name: gazetteer_districts
SELECT code, name FROM ref.district WHERE regency_code = :regency ORDER BY code;

-- name: gazetteer_villages
SELECT code, name, district_code, ST_AsBinary(geom) AS wkb FROM ref.village
WHERE left(code, 5) = :regency ORDER BY code;

-- name: gazetteer_aliases
SELECT alias, level, code FROM ref.place_alias WHERE left(code, 5) = :regency;

-- name: regency_name
SELECT name FROM ref.regency WHERE code = :regency;
