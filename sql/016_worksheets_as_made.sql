-- 016: worksheets as agencies really make them. A workbook's rows may sit on several sheets, so a
-- row is identified by (submission, sheet, row number); rows that are not data (the header, a
-- letterhead, a numbering row, totals, notes, a signature block) are kept in intake.skipped_row with
-- their reason, so that for every sheet rows seen = loaded + rejected + skipped; and an issue may
-- concern the whole regency (no district, no village: level 'regency').
--
-- What changes for GIS teams: core.issue has a sheet column ('' for a CSV file) in its key, and a
-- regency-wide issue has location_method 'regency' and no district. The level of an issue is thus
-- village (a village code), district (a district only) or regency; mart.issue names it in a column
-- (not stored in core.issue: a million rows load 0.3-0.5 s faster without it). Area scores never
-- count regency-wide issues (they have no area); mart.issue shows them on a point inside the regency.
-- Existing rows keep their meaning (sheet ''). Sheet names compare byte by byte (COLLATE "C"): they
-- are keys, not text to sort for people, and the key's index builds faster.

-- intake.submission: what was skipped, and the reconciliation of every sheet.
ALTER TABLE intake.submission ADD COLUMN IF NOT EXISTS rows_skipped integer CHECK (rows_skipped >= 0);
ALTER TABLE intake.submission ADD COLUMN IF NOT EXISTS sheets jsonb NOT NULL DEFAULT '[]'::jsonb;
COMMENT ON COLUMN intake.submission.rows_total IS 'Rows seen: every non-blank row of the sheets read (header and letterhead lines included) = rows_accepted + rows_rejected + rows_skipped.';
COMMENT ON COLUMN intake.submission.rows_skipped IS 'Rows that are not data (header, letterhead, numbering, totals, notes, signature block), kept in intake.skipped_row; NULL for submissions before migration 016.';
COMMENT ON COLUMN intake.submission.sheets IS 'Per sheet read, in workbook order: {sheet, seen, loaded, rejected, skipped, header_row, columns (header -> what it was read as), dimension_from_name, swot_from_name}; sheets passed over (hidden, summaries, no table) as {sheet, skipped_sheet: reason}. A CSV file is one sheet named "".';

-- intake.rejected_row: the sheet joins the key.
ALTER TABLE intake.rejected_row ADD COLUMN IF NOT EXISTS sheet text COLLATE "C" NOT NULL DEFAULT '';
DO $migration$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.conrelid = 'intake.rejected_row'::regclass AND c.contype = 'p' AND a.attname = 'sheet'
    ) THEN
        ALTER TABLE intake.rejected_row DROP CONSTRAINT rejected_row_pkey;
        ALTER TABLE intake.rejected_row ADD CONSTRAINT rejected_row_pkey PRIMARY KEY (submission_id, sheet, row_number);
    END IF;
END
$migration$;
COMMENT ON COLUMN intake.rejected_row.sheet IS 'Sheet of the workbook the row is on ('''' for a CSV file).';
COMMENT ON COLUMN intake.rejected_row.row_number IS 'Row number as the agency sees it in that sheet (1-based, header rows included).';

-- intake.skipped_row: rows read but not data, with why.
CREATE TABLE IF NOT EXISTS intake.skipped_row (
    submission_id bigint NOT NULL REFERENCES intake.submission (id) ON DELETE CASCADE,
    sheet text COLLATE "C" NOT NULL DEFAULT '',
    row_number integer NOT NULL CHECK (row_number > 0),
    reason text NOT NULL
        CHECK (reason IN ('header', 'title', 'numbering', 'total', 'note', 'signature', 'empty_template')),
    raw jsonb NOT NULL,
    PRIMARY KEY (submission_id, sheet, row_number)
);
COMMENT ON TABLE intake.skipped_row IS 'Worksheet rows that are not data (the header, letterhead and title lines above it, a numbering row, totals, notes, signature blocks), with why: never loaded, never reported to the agency as rejected, never lost.';
COMMENT ON COLUMN intake.skipped_row.submission_id IS 'The file it came from (intake.submission.id).';
COMMENT ON COLUMN intake.skipped_row.sheet IS 'Sheet of the workbook the row is on ('''' for a CSV file).';
COMMENT ON COLUMN intake.skipped_row.row_number IS 'Row number as the agency sees it in that sheet (1-based).';
COMMENT ON COLUMN intake.skipped_row.reason IS 'header (the header row), title (letterhead or title line above it), numbering ((1) (2) (3) under the header), total (JUMLAH, TOTAL), note (Keterangan:, Catatan:) or signature (place and date, office, name, NIP) or empty_template (a template row with no problem written in: only a row number, agency, year or urgency).';
COMMENT ON COLUMN intake.skipped_row.raw IS 'The row as read: column letter or header to cell text.';
GRANT SELECT ON intake.skipped_row TO smartcity_reader;

-- core.issue: sheet in the key; regency-wide issues; level.
ALTER TABLE core.issue ADD COLUMN IF NOT EXISTS sheet text COLLATE "C" NOT NULL DEFAULT '';
DO $migration$
DECLARE
    method_check name;
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.conrelid = 'core.issue'::regclass AND c.contype = 'p' AND a.attname = 'sheet'
    ) THEN
        ALTER TABLE core.issue DROP CONSTRAINT issue_submission_idx;
        ALTER TABLE core.issue ADD CONSTRAINT issue_submission_idx PRIMARY KEY (submission_id, sheet, row_number);
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint WHERE conrelid = 'core.issue'::regclass AND conname = 'issue_regency_level'
    ) THEN
        ALTER TABLE core.issue ALTER COLUMN district_code DROP NOT NULL;
        -- the CHECK's generated name depends on the table's history (issue_location_method_check1)
        SELECT conname INTO method_check FROM pg_constraint
        WHERE conrelid = 'core.issue'::regclass AND contype = 'c'
          AND strpos(pg_get_constraintdef(oid), 'location_method') > 0;
        EXECUTE 'ALTER TABLE core.issue DROP CONSTRAINT ' || quote_ident(method_check);
        ALTER TABLE core.issue ADD CONSTRAINT issue_location_method_check
            CHECK (location_method IN ('code', 'point', 'name', 'district', 'regency'));
        ALTER TABLE core.issue ADD CONSTRAINT issue_regency_level
            CHECK ((location_method = 'regency') = (district_code IS NULL)
                   AND (district_code IS NOT NULL OR village_code IS NULL));
    END IF;
END
$migration$;
COMMENT ON COLUMN core.issue.sheet IS 'Sheet of the workbook the row is on ('''' for a CSV file); with submission_id and row_number, the key.';
COMMENT ON COLUMN core.issue.row_number IS 'Row number in that sheet as the agency sees it.';
COMMENT ON COLUMN core.issue.district_code IS 'District (kecamatan) code it was placed in; NULL for a regency-wide issue (level regency).';
COMMENT ON COLUMN core.issue.location_method IS 'How it was placed: code, point (in polygon), name (exact or fuzzy; from name columns or a location cell), district (district only) or regency (the whole regency: seluruh wilayah kabupaten; no district, no village, counted in no area score). The level is village when village_code is set, district when only district_code is, else regency (mart.issue.level).';

-- mart.issue: sheet and level; a regency-wide issue sits on a point inside the regency.
CREATE OR REPLACE VIEW mart.issue AS
WITH village_point AS (SELECT code, ST_PointOnSurface(geom) AS pt FROM ref.village),
     district_point AS (SELECT code, ST_PointOnSurface(geom) AS pt FROM ref.district),
     regency_point AS (SELECT code, ST_PointOnSurface(geom) AS pt FROM ref.regency)
SELECT i.id, i.submission_id, i.row_number, coalesce(left(i.district_code, 5), s.region_code) AS region_code,
       i.agency, i.dimension,
       i.swot, i.severity, i.year, i.description, i.notes, i.district_code, i.village_code, i.location_method,
       i.location_score, i.geom IS NOT NULL AS exact,
       array_to_string(i.warnings, '; ') AS warnings, i.raw::text AS raw,
       coalesce(i.geom, v.pt, d.pt, r.pt)::geometry(Point, 4326) AS geom,
       i.sheet,
       CASE WHEN i.village_code IS NOT NULL THEN 'village' WHEN i.district_code IS NOT NULL THEN 'district'
            ELSE 'regency' END AS level
FROM core.issue i
JOIN intake.submission s ON s.id = i.submission_id
LEFT JOIN village_point v ON v.code = i.village_code
LEFT JOIN district_point d ON d.code = i.district_code
LEFT JOIN regency_point r ON r.code = s.region_code AND i.district_code IS NULL;
COMMENT ON COLUMN mart.issue.row_number IS 'Row number in that sheet as the agency sees it.';
COMMENT ON COLUMN mart.issue.district_code IS 'District (kecamatan) code; NULL for a regency-wide issue.';
COMMENT ON COLUMN mart.issue.location_method IS 'How it was placed: code, point, name, district or regency.';
COMMENT ON COLUMN mart.issue.exact IS 'True: the agency''s own coordinates; false: a point inside its village, district or (regency-wide issue) regency.';
COMMENT ON COLUMN mart.issue.geom IS 'The point shown, WGS 84 (EPSG:4326).';
COMMENT ON COLUMN mart.issue.sheet IS 'Sheet of the workbook the row is on (empty for a CSV file).';
COMMENT ON COLUMN mart.issue.level IS 'village, district or regency (regency-wide: counted in no area score).';
GRANT SELECT ON mart.issue TO smartcity_reader;
