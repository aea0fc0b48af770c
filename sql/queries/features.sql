-- Statements of the OGC API Features server (smartcity/platform/feature_server.py).

-- name: collection_comments
-- Title and description of every table and view of the served schemas: their COMMENT ON text.
SELECT n.nspname || '.' || c.relname AS id, obj_description(c.oid, 'pg_class') AS description
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(:schemas) AND c.relkind IN ('r', 'p', 'v', 'm') AND obj_description(c.oid, 'pg_class') IS NOT NULL;
