#!/bin/sh
# Run once by the postgis image on an empty volume (docker-entrypoint-initdb.d): the Prefect server's
# own role and database, as `smartcity up` makes them in the local cluster. The password comes in a
# psql variable (quoted by psql as a literal), never pasted into the SQL.
# An existing volume: docker compose exec postgis sh /docker-entrypoint-initdb.d/20-prefect.sh
# Run again, it sets the role's password to PREFECT_DB_PASSWORD (changed in .env, say).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v password="$PREFECT_DB_PASSWORD" <<'SQL'
SELECT format('%s ROLE smartcity_prefect LOGIN PASSWORD %L',
              CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = 'smartcity_prefect')
                   THEN 'ALTER' ELSE 'CREATE' END, :'password') \gexec
SELECT 'CREATE DATABASE smartcity_prefect OWNER smartcity_prefect'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'smartcity_prefect') \gexec
REVOKE CONNECT, TEMPORARY ON DATABASE smartcity_prefect FROM PUBLIC;
SQL
