-- Bookkeeping of the migration runner (smartcity/db.py): applied before any numbered migration,
-- under the same lock. Not a migration itself (the name does not start with a number).
CREATE SCHEMA IF NOT EXISTS smartcity;
COMMENT ON SCHEMA smartcity IS 'Bookkeeping of the smartcity pipeline itself (migrations, runs). Not published.';
CREATE TABLE IF NOT EXISTS smartcity.schema_migrations (
    version    text PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE smartcity.schema_migrations IS 'SQL migrations from sql/ applied to this database, in order.';
COMMENT ON COLUMN smartcity.schema_migrations.version IS 'Three-digit number of the migration file.';
COMMENT ON COLUMN smartcity.schema_migrations.name IS 'File name without .sql.';
COMMENT ON COLUMN smartcity.schema_migrations.checksum IS 'SHA-256 of the file as applied; a changed file is refused.';
COMMENT ON COLUMN smartcity.schema_migrations.applied_at IS 'When it was applied.';
