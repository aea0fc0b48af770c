-- 018: rows that give a value for the rows below them are not data either (#27): a section row (a
-- district, village, dimension, SWOT category or the whole regency written once above its rows, or a
-- sub-title above a further table) and a legend's line (the key to a column's codes). Both are skipped
-- rows with their reason, never rejected rows.
ALTER TABLE intake.skipped_row DROP CONSTRAINT IF EXISTS skipped_row_reason_check;
ALTER TABLE intake.skipped_row ADD CONSTRAINT skipped_row_reason_check
    CHECK (reason IN ('header', 'title', 'numbering', 'total', 'note', 'signature', 'empty_template',
                      'section', 'legend'));
COMMENT ON COLUMN intake.skipped_row.reason IS 'header (the header row, or a further table''s header), title (letterhead or title line above it), numbering ((1) (2) (3) under the header), total (JUMLAH, TOTAL), note (Keterangan:, Catatan:), signature (place and date, office, name, NIP), empty_template (a template row with no problem written in: only a row number, agency, year or urgency), section (a value written once for the rows below: a district, village, dimension, SWOT category or the whole regency, or a sub-title above a further table) or legend (the key to a column''s codes, such as 1 = Smart Governance).';
