-- 019: the readiness aspect (aspek kesiapan daerah) of an issue, an optional worksheet column.
--
-- Kominfo's master plan guide analyses a region's readiness in three aspects: suprastruktur (policies,
-- regulations, legal basis), struktur (institutions, organisation, people, budget) and infrastruktur (ICT
-- and physical). Agencies may say which one a row concerns; most rows say none (NULL). Not personal
-- data: published in mart.issue, appended as its last column (CREATE OR REPLACE keeps its grants and
-- comments, and the columns before it as they were).
ALTER TABLE core.issue ADD COLUMN IF NOT EXISTS readiness text
    CONSTRAINT issue_readiness_check CHECK (readiness IN ('suprastruktur', 'struktur', 'infrastruktur'));
COMMENT ON COLUMN core.issue.readiness IS 'Readiness aspect the agency gave, if any (aspek kesiapan daerah): suprastruktur (policies, regulations), struktur (institutions, people, budget) or infrastruktur (ICT, networks, facilities).';

CREATE OR REPLACE VIEW mart.issue AS
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
            ELSE 'regency' END AS level,
       i.readiness
FROM core.issue i
JOIN intake.submission s ON s.id = i.submission_id
LEFT JOIN village_point v ON v.code = i.village_code
LEFT JOIN district_point d ON d.code = i.district_code
LEFT JOIN regency_point r ON r.code = s.region_code AND i.district_code IS NULL;
COMMENT ON COLUMN mart.issue.readiness IS 'Readiness aspect the agency gave, if any: suprastruktur, struktur or infrastruktur (NULL when none).';
GRANT SELECT ON mart.issue TO smartcity_reader;
