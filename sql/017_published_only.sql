-- 017: the read-only role sees what is published, and nothing else (docs/security.md).
--
-- What is published: the schemas ref (reference geography) and mart (results, issues as one point
-- layer), and QGIS's public.layer_styles. Not published: intake (files, rejected and skipped rows with
-- every cell as written), core (issues with their unmapped columns) and smartcity (bookkeeping). The
-- reader (QGIS, psql, the feature server) loses them, including the tables created there later.
REVOKE SELECT ON ALL TABLES IN SCHEMA intake, core, smartcity FROM smartcity_reader;
REVOKE SELECT ON ALL SEQUENCES IN SCHEMA ref, intake, core, mart, smartcity FROM smartcity_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA intake, core, smartcity REVOKE SELECT ON TABLES FROM smartcity_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA ref, intake, core, mart, smartcity REVOKE SELECT ON SEQUENCES FROM smartcity_reader;
REVOKE USAGE ON SCHEMA intake, core, smartcity FROM smartcity_reader;
DO $$
BEGIN
    COMMENT ON ROLE smartcity_reader IS 'Read-only access to what is published: the schemas ref and mart, and public.layer_styles.';
EXCEPTION WHEN insufficient_privilege THEN
    NULL;  -- commenting on a role needs CREATEROLE: the local cluster's admin sets the same text
END
$$;
COMMENT ON SCHEMA intake IS 'What arrived from agencies (OPD): one row per worksheet file, and every row that could not be used, with its reasons. Not published: the read-only role cannot read it.';
COMMENT ON SCHEMA core IS 'Validated, placed issues from the agency worksheets (kertas kerja). Not published: GIS clients read mart.issue.';

-- mart.issue keeps no raw worksheet row: the unmapped columns of a row (where a form's e-mail or phone
-- column would be) stay in core.issue.raw, which the reader cannot see.
DROP VIEW IF EXISTS mart.issue;
CREATE VIEW mart.issue AS
WITH village_point AS (SELECT code, ST_PointOnSurface(geom) AS pt FROM ref.village),
     district_point AS (SELECT code, ST_PointOnSurface(geom) AS pt FROM ref.district),
     regency_point AS (SELECT code, ST_PointOnSurface(geom) AS pt FROM ref.regency)
SELECT i.id, i.submission_id, i.row_number, coalesce(left(i.district_code, 5), s.region_code) AS region_code,
       i.agency, i.dimension, i.swot, i.severity, i.year, i.description, i.notes, i.district_code,
       i.village_code, i.location_method, i.location_score, i.geom IS NOT NULL AS exact,
       array_to_string(i.warnings, '; ') AS warnings,
       coalesce(i.geom, v.pt, d.pt, r.pt)::geometry(Point, 4326) AS geom,
       i.sheet,
       CASE WHEN i.village_code IS NOT NULL THEN 'village' WHEN i.district_code IS NOT NULL THEN 'district'
            ELSE 'regency' END AS level
FROM core.issue i
JOIN intake.submission s ON s.id = i.submission_id
LEFT JOIN village_point v ON v.code = i.village_code
LEFT JOIN district_point d ON d.code = i.district_code
LEFT JOIN regency_point r ON r.code = s.region_code AND i.district_code IS NULL;
COMMENT ON VIEW mart.issue IS 'Every issue as one point layer for GIS clients (key: id): the agency''s own point, else a point inside its village, else inside its district (exact says which); arrays as text; no raw worksheet row. Query this, not core.issue or its partitions.';
COMMENT ON COLUMN mart.issue.id IS 'Issue number (key; core.issue.id).';
COMMENT ON COLUMN mart.issue.submission_id IS 'The worksheet file it came from (intake.submission.id).';
COMMENT ON COLUMN mart.issue.row_number IS 'Row number in that sheet as the agency sees it.';
COMMENT ON COLUMN mart.issue.region_code IS 'Regency (Kemendagri code, e.g. 64.01).';
COMMENT ON COLUMN mart.issue.agency IS 'Agency (perangkat daerah, OPD) that reported it.';
COMMENT ON COLUMN mart.issue.dimension IS 'Smart city dimension: governance, branding, economy, living, society or environment.';
COMMENT ON COLUMN mart.issue.swot IS 'strength, weakness, opportunity or threat.';
COMMENT ON COLUMN mart.issue.severity IS 'Urgency 1 (very low) to 5 (very high).';
COMMENT ON COLUMN mart.issue.year IS 'Year the agency gave, if any.';
COMMENT ON COLUMN mart.issue.description IS 'Text as written by the agency, with e-mail addresses, phone numbers and identity numbers masked at intake; escape before showing in HTML.';
COMMENT ON COLUMN mart.issue.notes IS 'The agency''s notes, as written (personal data masked as in description).';
COMMENT ON COLUMN mart.issue.district_code IS 'District (kecamatan) code; NULL for a regency-wide issue.';
COMMENT ON COLUMN mart.issue.village_code IS 'Village (desa/kelurahan) code, NULL for a district-level issue.';
COMMENT ON COLUMN mart.issue.location_method IS 'How it was placed: code, point, name, district or regency.';
COMMENT ON COLUMN mart.issue.location_score IS 'Confidence of the placement, 0-1.';
COMMENT ON COLUMN mart.issue.exact IS 'True: the agency''s own coordinates; false: a point inside its village, district or (regency-wide issue) regency.';
COMMENT ON COLUMN mart.issue.warnings IS 'What was assumed or corrected when the row was read, separated by semicolons (core.issue.warnings as text).';
COMMENT ON COLUMN mart.issue.geom IS 'The point shown, WGS 84 (EPSG:4326).';
COMMENT ON COLUMN mart.issue.sheet IS 'Sheet of the workbook the row is on (empty for a CSV file).';
COMMENT ON COLUMN mart.issue.level IS 'village, district or regency (regency-wide: counted in no area score).';
GRANT SELECT ON mart.issue TO smartcity_reader;

-- The feature server (tipg) defines its catalogue functions at every connection, in pg_temp by
-- default, which needs TEMPORARY (the reader has none since 014). Here they live in a schema of their
-- own, owned by the application and (re)filled by `smartcity features` before it serves
-- (smartcity/platform/feature_server.py); the reader may only call them (SECURITY INVOKER: they run
-- with the reader's own rights).
CREATE SCHEMA IF NOT EXISTS tipg;
COMMENT ON SCHEMA tipg IS 'Catalogue functions of the feature server (tipg), installed by smartcity features; not data.';
REVOKE ALL ON SCHEMA tipg FROM PUBLIC;
GRANT USAGE ON SCHEMA tipg TO smartcity_reader;
