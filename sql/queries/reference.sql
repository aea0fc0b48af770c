-- Questions the pipeline asks about the reference geography.

-- name: village_count
SELECT count(*) FROM ref.village WHERE left(code, 5) = :regency;

-- name: ikn_source
SELECT source FROM ref.ikn_boundary ORDER BY id LIMIT 1;

-- name: last_boundary_load
-- The newest boundary load that covered the regency: its file, when, its fingerprint, its attributes file.
SELECT source, loaded_at, sha256, report ->> 'attributes' AS attributes
FROM ref.boundary_load WHERE CAST(:regency AS text) = ANY(regency_codes)
ORDER BY id DESC LIMIT 1;
