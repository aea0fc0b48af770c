-- 005: smartcity_reader, the read-only role for QGIS, psql and the OGC API server.
-- It may SELECT everything in the published schemas, including tables created later by the role
-- that runs the migrations (default privileges), and may write or create nothing.
-- Creating a role and commenting on one need CREATEROLE: a role without it (the local cluster's
-- application role, or an ordinary login a DBA gave) finds the reader made by whoever could, and
-- leaves the comment to them. (Edited after release; db.py accepts the earlier text's checksum.)
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'smartcity_reader') THEN
        CREATE ROLE smartcity_reader NOLOGIN;
    END IF;
    BEGIN
        COMMENT ON ROLE smartcity_reader IS 'Read-only access to the smartcity schemas (ref, intake, core, mart, smartcity).';
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;
    END;
END
$$;

GRANT USAGE ON SCHEMA ref, intake, core, mart, smartcity TO smartcity_reader;
REVOKE CREATE ON SCHEMA ref, intake, core, mart, smartcity FROM smartcity_reader;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA ref, intake, core, mart, smartcity TO smartcity_reader;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA ref, intake, core, mart, smartcity TO smartcity_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA ref, intake, core, mart, smartcity GRANT SELECT ON TABLES TO smartcity_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA ref, intake, core, mart, smartcity GRANT SELECT ON SEQUENCES TO smartcity_reader;
