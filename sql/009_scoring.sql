-- 009: priority scoring (smartcity score): its runs and their lineage, the history of every run's
-- scores, per-dimension scores, hot spots and robustness, and the views published for GIS teams.

CREATE TABLE IF NOT EXISTS mart.scoring_run (
    run_id uuid PRIMARY KEY,
    region_code text NOT NULL CHECK (region_code ~ '^\d{2}\.\d{2}$'),
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now(),
    config jsonb NOT NULL,
    config_hash text NOT NULL,
    config_source text NOT NULL,
    weights jsonb NOT NULL,
    dropped_criteria text[] NOT NULL DEFAULT '{}',
    submission_ids bigint[] NOT NULL,
    issue_count integer NOT NULL CHECK (issue_count >= 0),
    flow_run_id uuid
);
CREATE INDEX IF NOT EXISTS scoring_run_region_idx ON mart.scoring_run (region_code, finished_at DESC);
COMMENT ON TABLE mart.scoring_run IS 'One row per scoring run (smartcity score): the model it used and the worksheets it read, so every score can be traced.';
COMMENT ON COLUMN mart.scoring_run.run_id IS 'Identifier of the run; mart rows carry it.';
COMMENT ON COLUMN mart.scoring_run.region_code IS 'Regency scored (Kemendagri code, e.g. 64.01).';
COMMENT ON COLUMN mart.scoring_run.started_at IS 'When the run started.';
COMMENT ON COLUMN mart.scoring_run.finished_at IS 'When its results were published (they are published all at once).';
COMMENT ON COLUMN mart.scoring_run.config IS 'The effective scoring model (the shipped default merged with the file given).';
COMMENT ON COLUMN mart.scoring_run.config_hash IS 'SHA-256 (16 hex digits) of the effective model: equal hashes, equal models.';
COMMENT ON COLUMN mart.scoring_run.config_source IS 'File name of the model given, or scoring_default.toml.';
COMMENT ON COLUMN mart.scoring_run.weights IS 'Criterion weights actually used (summing to 1), per level: village and district.';
COMMENT ON COLUMN mart.scoring_run.dropped_criteria IS 'Criteria left out because no area had data for them (e.g. idm when no IDM is loaded).';
COMMENT ON COLUMN mart.scoring_run.submission_ids IS 'Worksheet submissions (intake.submission.id) whose issues were scored.';
COMMENT ON COLUMN mart.scoring_run.issue_count IS 'Issues scored.';
COMMENT ON COLUMN mart.scoring_run.flow_run_id IS 'Prefect flow run, when run as a flow.';

ALTER TABLE mart.village_priority
    ADD COLUMN IF NOT EXISTS district_code text,
    ADD COLUMN IF NOT EXISTS problem_count integer,
    ADD COLUMN IF NOT EXISTS asset_count integer,
    ADD COLUMN IF NOT EXISTS class_no smallint CHECK (class_no BETWEEN 1 AND 5),
    ADD COLUMN IF NOT EXISTS gi_z double precision,
    ADD COLUMN IF NOT EXISTS p_fdr double precision CHECK (p_fdr BETWEEN 0 AND 1),
    ADD COLUMN IF NOT EXISTS hotspot text CHECK (hotspot IN ('hot_99', 'hot_95', 'hot_90', 'cold_99', 'cold_95', 'cold_90', 'none')),
    ADD COLUMN IF NOT EXISTS p_top double precision CHECK (p_top BETWEEN 0 AND 1),
    ADD COLUMN IF NOT EXISTS rank_p05 integer,
    ADD COLUMN IF NOT EXISTS rank_p95 integer;
ALTER TABLE mart.district_priority
    ADD COLUMN IF NOT EXISTS problem_count integer,
    ADD COLUMN IF NOT EXISTS asset_count integer,
    ADD COLUMN IF NOT EXISTS class_no smallint CHECK (class_no BETWEEN 1 AND 5),
    ADD COLUMN IF NOT EXISTS p_top double precision CHECK (p_top BETWEEN 0 AND 1),
    ADD COLUMN IF NOT EXISTS rank_p05 integer,
    ADD COLUMN IF NOT EXISTS rank_p95 integer;
COMMENT ON COLUMN mart.village_priority.district_code IS 'District (kecamatan) the village is in.';
COMMENT ON COLUMN mart.village_priority.problem_count IS 'Issues counted as problems (weaknesses and threats by default).';
COMMENT ON COLUMN mart.village_priority.asset_count IS 'Strengths and opportunities reported.';
COMMENT ON COLUMN mart.village_priority.class_no IS 'Priority class number, 1 = Sangat Tinggi (very high) to 5 = Sangat Rendah (very low).';
COMMENT ON COLUMN mart.village_priority.gi_z IS 'Getis-Ord Gi* z-score of the score (queen contiguity): high = among high-scoring neighbours.';
COMMENT ON COLUMN mart.village_priority.p_fdr IS 'Permutation p-value of Gi*, corrected for the false discovery rate (Benjamini-Hochberg).';
COMMENT ON COLUMN mart.village_priority.hotspot IS 'hot_99/95/90 or cold_99/95/90 (confidence level in percent), none otherwise.';
COMMENT ON COLUMN mart.village_priority.p_top IS 'Share of the Monte Carlo weight draws in which the village stays in the top N (robustness).';
COMMENT ON COLUMN mart.village_priority.rank_p05 IS 'Best rank over the weight draws (5th percentile).';
COMMENT ON COLUMN mart.village_priority.rank_p95 IS 'Worst rank over the weight draws (95th percentile).';
COMMENT ON COLUMN mart.district_priority.problem_count IS 'Issues counted as problems (weaknesses and threats by default).';
COMMENT ON COLUMN mart.district_priority.asset_count IS 'Strengths and opportunities reported.';
COMMENT ON COLUMN mart.district_priority.class_no IS 'Priority class number, 1 = Sangat Tinggi (very high) to 5 = Sangat Rendah (very low).';
COMMENT ON COLUMN mart.district_priority.p_top IS 'Share of the Monte Carlo weight draws in which the district stays in the top N (robustness).';
COMMENT ON COLUMN mart.district_priority.rank_p05 IS 'Best rank over the weight draws (5th percentile).';
COMMENT ON COLUMN mart.district_priority.rank_p95 IS 'Worst rank over the weight draws (95th percentile).';

CREATE TABLE IF NOT EXISTS mart.priority_history (
    run_id uuid NOT NULL REFERENCES mart.scoring_run (run_id) ON DELETE CASCADE,
    level text NOT NULL CHECK (level IN ('village', 'district')),
    code text NOT NULL,
    score double precision NOT NULL CHECK (score BETWEEN 0 AND 100),
    rank integer NOT NULL CHECK (rank > 0),
    class_no smallint NOT NULL CHECK (class_no BETWEEN 1 AND 5),
    priority_class text NOT NULL,
    hotspot text,
    p_top double precision,
    components jsonb NOT NULL,
    PRIMARY KEY (run_id, level, code)
);
COMMENT ON TABLE mart.priority_history IS 'Every scoring run''s result per area (villages and districts), to compare runs.';
COMMENT ON COLUMN mart.priority_history.run_id IS 'The run (mart.scoring_run).';
COMMENT ON COLUMN mart.priority_history.level IS 'village or district.';
COMMENT ON COLUMN mart.priority_history.code IS 'Area code (Kemendagri).';
COMMENT ON COLUMN mart.priority_history.score IS 'Score 0-100 in that run.';
COMMENT ON COLUMN mart.priority_history.rank IS 'Rank in that run, 1 = highest.';
COMMENT ON COLUMN mart.priority_history.class_no IS 'Class number in that run (1 = Sangat Tinggi).';
COMMENT ON COLUMN mart.priority_history.priority_class IS 'Class label in that run.';
COMMENT ON COLUMN mart.priority_history.hotspot IS 'Hot spot label in that run (villages).';
COMMENT ON COLUMN mart.priority_history.p_top IS 'Robustness (share of draws in the top N) in that run.';
COMMENT ON COLUMN mart.priority_history.components IS 'Score breakdown in that run.';

CREATE TABLE IF NOT EXISTS mart.dimension_priority (
    level text NOT NULL CHECK (level IN ('village', 'district')),
    code text NOT NULL,
    dimension text NOT NULL
        CHECK (dimension IN ('governance', 'branding', 'economy', 'living', 'society', 'environment')),
    issue_count integer NOT NULL CHECK (issue_count >= 0),
    pressure double precision NOT NULL CHECK (pressure >= 0),
    score double precision NOT NULL CHECK (score BETWEEN 0 AND 100),
    rank integer NOT NULL CHECK (rank > 0),
    class_no smallint NOT NULL CHECK (class_no BETWEEN 1 AND 5),
    priority_class text NOT NULL,
    run_id uuid NOT NULL,
    PRIMARY KEY (level, code, dimension)
);
COMMENT ON TABLE mart.dimension_priority IS 'Priority of each area within one smart city dimension, from the latest run (the per-dimension views read it).';
COMMENT ON COLUMN mart.dimension_priority.level IS 'village or district.';
COMMENT ON COLUMN mart.dimension_priority.code IS 'Area code (Kemendagri).';
COMMENT ON COLUMN mart.dimension_priority.dimension IS 'Smart city dimension.';
COMMENT ON COLUMN mart.dimension_priority.issue_count IS 'Issues of this dimension in the area (all SWOT categories).';
COMMENT ON COLUMN mart.dimension_priority.pressure IS 'Urgency-weighted problems of this dimension (per km2 or per 1,000 people if so configured).';
COMMENT ON COLUMN mart.dimension_priority.score IS 'Pressure normalised across the areas, 0-100.';
COMMENT ON COLUMN mart.dimension_priority.rank IS 'Rank within the dimension, 1 = highest.';
COMMENT ON COLUMN mart.dimension_priority.class_no IS 'Class number, 1 = Sangat Tinggi.';
COMMENT ON COLUMN mart.dimension_priority.priority_class IS 'Class label, Sangat Tinggi to Sangat Rendah.';
COMMENT ON COLUMN mart.dimension_priority.run_id IS 'Scoring run that produced the row.';

-- Per-dimension village views, one per dimension (QGIS layers; key: code). Built with || and
-- quote_ident/quote_literal rather than format(): migration text must not contain percent signs.
DO $views$
DECLARE
    dim text;
    view text;
    descriptions text[][] := ARRAY[
        ['code', 'Village code (key).'], ['name', 'Village name.'], ['district_code', 'District code.'],
        ['issue_count', 'Issues of the dimension in the village.'],
        ['pressure', 'Urgency-weighted problems of the dimension.'],
        ['score', 'Score within the dimension, 0-100.'], ['rank', 'Rank within the dimension.'],
        ['class_no', 'Class number, 1 = Sangat Tinggi.'], ['priority_class', 'Class label.'],
        ['run_id', 'Scoring run.'], ['geom', 'Village boundary, WGS 84.']];
    i integer;
BEGIN
    FOREACH dim IN ARRAY ARRAY['governance', 'branding', 'economy', 'living', 'society', 'environment'] LOOP
        view := 'mart.' || quote_ident('village_priority_' || dim);
        EXECUTE 'CREATE OR REPLACE VIEW ' || view || ' AS '
            'SELECT v.code, v.name, v.district_code, d.issue_count, d.pressure, d.score, d.rank, d.class_no, '
            'd.priority_class, d.run_id, v.geom '
            'FROM mart.dimension_priority d JOIN mart.village_priority v ON v.code = d.code '
            'WHERE d.level = ''village'' AND d.dimension = ' || quote_literal(dim);
        EXECUTE 'COMMENT ON VIEW ' || view || ' IS '
            || quote_literal('Village priority within the ' || dim || ' dimension, latest run (key: code).');
        FOR i IN 1 .. array_length(descriptions, 1) LOOP
            EXECUTE 'COMMENT ON COLUMN ' || view || '.' || quote_ident(descriptions[i][1]) || ' IS '
                || quote_literal(descriptions[i][2]);
        END LOOP;
    END LOOP;
END
$views$;

-- What the agencies reported, per district and dimension, for the master plan's SWOT tables.
CREATE OR REPLACE VIEW mart.district_swot AS
SELECT
    i.district_code || ':' || i.dimension AS id,
    i.district_code,
    d.name AS district_name,
    i.dimension,
    count(*) FILTER (WHERE i.swot = 'strength')::integer AS strengths,
    count(*) FILTER (WHERE i.swot = 'weakness')::integer AS weaknesses,
    count(*) FILTER (WHERE i.swot = 'opportunity')::integer AS opportunities,
    count(*) FILTER (WHERE i.swot = 'threat')::integer AS threats,
    coalesce(array_agg(i.description ORDER BY i.severity DESC, i.submission_id, i.row_number)
        FILTER (WHERE i.swot = 'strength'), '{}') AS strength_texts,
    coalesce(array_agg(i.description ORDER BY i.severity DESC, i.submission_id, i.row_number)
        FILTER (WHERE i.swot = 'weakness'), '{}') AS weakness_texts,
    coalesce(array_agg(i.description ORDER BY i.severity DESC, i.submission_id, i.row_number)
        FILTER (WHERE i.swot = 'opportunity'), '{}') AS opportunity_texts,
    coalesce(array_agg(i.description ORDER BY i.severity DESC, i.submission_id, i.row_number)
        FILTER (WHERE i.swot = 'threat'), '{}') AS threat_texts,
    d.geom
FROM core.issue i
JOIN ref.district d ON d.code = i.district_code
GROUP BY i.district_code, d.name, i.dimension, d.geom;
COMMENT ON VIEW mart.district_swot IS 'SWOT per district and dimension: counts and texts (most urgent first) of strengths, weaknesses, opportunities and threats reported (key: id). Texts are as written: escape before showing in HTML.';
COMMENT ON COLUMN mart.district_swot.id IS 'district_code:dimension (key).';
COMMENT ON COLUMN mart.district_swot.district_code IS 'District code.';
COMMENT ON COLUMN mart.district_swot.district_name IS 'District name.';
COMMENT ON COLUMN mart.district_swot.dimension IS 'Smart city dimension.';
COMMENT ON COLUMN mart.district_swot.strengths IS 'Strengths (kekuatan) reported.';
COMMENT ON COLUMN mart.district_swot.weaknesses IS 'Weaknesses (kelemahan) reported.';
COMMENT ON COLUMN mart.district_swot.opportunities IS 'Opportunities (peluang) reported.';
COMMENT ON COLUMN mart.district_swot.threats IS 'Threats (ancaman) reported.';
COMMENT ON COLUMN mart.district_swot.strength_texts IS 'Their descriptions, most urgent first.';
COMMENT ON COLUMN mart.district_swot.weakness_texts IS 'Their descriptions, most urgent first.';
COMMENT ON COLUMN mart.district_swot.opportunity_texts IS 'Their descriptions, most urgent first.';
COMMENT ON COLUMN mart.district_swot.threat_texts IS 'Their descriptions, most urgent first.';
COMMENT ON COLUMN mart.district_swot.geom IS 'District boundary, WGS 84.';

-- What changed since the previous run of the same region (key: code).
CREATE OR REPLACE VIEW mart.village_priority_change AS
WITH previous AS (
    SELECT DISTINCT ON (r.region_code) r.region_code, r.run_id
    FROM mart.scoring_run r
    WHERE r.run_id NOT IN (SELECT DISTINCT v.run_id FROM mart.village_priority v WHERE v.run_id IS NOT NULL)
    ORDER BY r.region_code, r.finished_at DESC
)
SELECT
    v.code, v.name, v.district_code, v.score, h.score AS previous_score, v.score - h.score AS score_change,
    v.rank, h.rank AS previous_rank, h.rank - v.rank AS rank_change,
    v.priority_class, h.priority_class AS previous_class, v.run_id, p.run_id AS previous_run_id, v.geom
FROM mart.village_priority v
LEFT JOIN previous p ON p.region_code = left(v.code, 5)
LEFT JOIN mart.priority_history h ON h.run_id = p.run_id AND h.level = 'village' AND h.code = v.code;
COMMENT ON VIEW mart.village_priority_change IS 'Each village''s latest score against the previous run of its region (key: code); NULL previous values when there is no previous run.';
COMMENT ON COLUMN mart.village_priority_change.code IS 'Village code (key).';
COMMENT ON COLUMN mart.village_priority_change.name IS 'Village name.';
COMMENT ON COLUMN mart.village_priority_change.district_code IS 'District code.';
COMMENT ON COLUMN mart.village_priority_change.score IS 'Latest score.';
COMMENT ON COLUMN mart.village_priority_change.previous_score IS 'Score in the previous run.';
COMMENT ON COLUMN mart.village_priority_change.score_change IS 'Latest minus previous score.';
COMMENT ON COLUMN mart.village_priority_change.rank IS 'Latest rank.';
COMMENT ON COLUMN mart.village_priority_change.previous_rank IS 'Rank in the previous run.';
COMMENT ON COLUMN mart.village_priority_change.rank_change IS 'Places moved up (positive) or down (negative).';
COMMENT ON COLUMN mart.village_priority_change.priority_class IS 'Latest class.';
COMMENT ON COLUMN mart.village_priority_change.previous_class IS 'Class in the previous run.';
COMMENT ON COLUMN mart.village_priority_change.run_id IS 'Latest run.';
COMMENT ON COLUMN mart.village_priority_change.previous_run_id IS 'Previous run compared with.';
COMMENT ON COLUMN mart.village_priority_change.geom IS 'Village boundary, WGS 84.';

GRANT SELECT ON ALL TABLES IN SCHEMA mart TO smartcity_reader;
