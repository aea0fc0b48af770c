-- 012: intake.submission.error also carries what the operator should know of a file that did load
-- (a --replace that replaced nothing, a feedback file that could not be written); the status column
-- still says whether the file failed. Comment only: no data changes.
COMMENT ON COLUMN intake.submission.error IS 'One line: why the file could not be read (status failed), or what to know of a file that loaded (status loaded/partial: a --replace that replaced nothing, a feedback file that could not be written); NULL otherwise.';
