-- 007: what the worksheet intake keeps besides the contract columns: the agency's notes, warnings
-- about how a row was read or placed, and the raw record (every column as the agency wrote it).
ALTER TABLE core.issue ADD COLUMN IF NOT EXISTS notes text;
ALTER TABLE core.issue ADD COLUMN IF NOT EXISTS warnings text[] NOT NULL DEFAULT '{}';
ALTER TABLE core.issue ADD COLUMN IF NOT EXISTS raw jsonb NOT NULL DEFAULT '{}'::jsonb;
COMMENT ON COLUMN core.issue.notes IS 'The agency''s notes (keterangan), as written.';
COMMENT ON COLUMN core.issue.warnings IS 'What was assumed or corrected when the row was read and placed (default urgency, fuzzy name, village in another district, ...).';
COMMENT ON COLUMN core.issue.raw IS 'The row as read: column header to cell text, other columns included.';

ALTER TABLE intake.submission ADD COLUMN IF NOT EXISTS superseded_by bigint REFERENCES intake.submission (id);
ALTER TABLE intake.submission ADD COLUMN IF NOT EXISTS feedback_file text;
COMMENT ON COLUMN intake.submission.superseded_by IS 'The later submission of the same agency that replaced this one (--replace).';
COMMENT ON COLUMN intake.submission.feedback_file IS 'Copy of the rows with a Catatan validasi column written back for the agency, if any.';
CREATE INDEX IF NOT EXISTS submission_agency_idx ON intake.submission (agency);
CREATE INDEX IF NOT EXISTS issue_submission_idx ON core.issue (submission_id);
