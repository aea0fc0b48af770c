-- 001: PostGIS and the published schemas. Idempotent: safe to run by hand again.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE SCHEMA IF NOT EXISTS ref;
CREATE SCHEMA IF NOT EXISTS intake;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS mart;

COMMENT ON SCHEMA ref IS 'Reference geography: regency, districts (kecamatan), villages (desa/kelurahan), IKN boundary and buffer zones.';
COMMENT ON SCHEMA intake IS 'What arrived from agencies (OPD): one row per worksheet file, and every row that could not be used, with its reasons.';
COMMENT ON SCHEMA core IS 'Validated, placed issues from the agency worksheets (kertas kerja).';
COMMENT ON SCHEMA mart IS 'Published results for maps, reports and GIS teams: priority areas and their explanation.';
