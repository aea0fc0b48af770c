-- 014: no single cell can stop the intake, and the read-only role creates nothing.
--
-- A btree index entry holds at most about 2,700 bytes: an agency name of 3,000 characters made the
-- whole file's load fail on submission_agency_idx (SQLSTATE 54000). The index now covers the first 200
-- characters of the name (what any lookup by agency needs); the name itself is kept whole.
DROP INDEX IF EXISTS intake.submission_agency_idx;
CREATE INDEX IF NOT EXISTS submission_agency_prefix_idx ON intake.submission (left(agency, 200));
COMMENT ON INDEX intake.submission_agency_prefix_idx IS 'Submissions by agency: the first 200 characters of the name (a whole name could exceed the btree entry limit); filter on left(agency, 200) to use it.';

-- Temporary tables: PostgreSQL grants TEMPORARY on every database to PUBLIC, so smartcity_reader could
-- create them. Only the role that runs the migrations (the application's) keeps the right.
DO $migration$
BEGIN
    EXECUTE 'REVOKE TEMPORARY ON DATABASE ' || quote_ident(current_database()) || ' FROM PUBLIC';
    EXECUTE 'GRANT TEMPORARY ON DATABASE ' || quote_ident(current_database()) || ' TO ' || quote_ident(current_user);
    EXECUTE 'REVOKE CREATE, TEMPORARY ON DATABASE ' || quote_ident(current_database()) || ' FROM smartcity_reader';
END
$migration$;
REVOKE CREATE ON SCHEMA ref, intake, core, mart, smartcity, public FROM smartcity_reader;
