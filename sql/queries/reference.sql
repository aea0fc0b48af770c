-- Questions the pipeline asks about the reference geography.

-- name: village_count
SELECT count(*) FROM ref.village WHERE left(code, 5) = :regency;

-- name: ikn_source
SELECT source FROM ref.ikn_boundary ORDER BY id LIMIT 1;
