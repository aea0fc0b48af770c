"""Who may do what in the local cluster, set up by its admin role; and the one-time split of a cluster
made before the admin role existed.

Three roles:

- ``smartcity_admin``: the cluster's bootstrap superuser. Used only here (and by the tests for their
  throwaway databases): it creates the roles, the databases and the PostGIS extension, which needs a
  superuser. The application never logs in as it.
- ``smartcity``: the application (NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION).
  It owns the database ``smartcity`` and everything the migrations make in it, so it runs the
  migrations and the intake's own DDL (``core.issue`` partitions) as before; it cannot make databases
  or roles (the admin makes them, owned by ``smartcity``).
- ``smartcity_reader``: read-only login (QGIS, psql, the feature server). The admin creates it, with
  its comment, before the migrations run, so migration 005 leaves its ``CREATE ROLE`` and
  ``COMMENT ON ROLE`` (both need CREATEROLE) aside; its grants come from the migrations.

Passwords come from ``credentials.json`` and are set again at every start, so the file stays the one
source of truth (a role that changed its own password gets the file's back).

A cluster made before this layout has one login, ``smartcity``, which is the bootstrap superuser. The
bootstrap role cannot stop being a superuser in PostgreSQL 16 and later, and even where it can (15),
it keeps owning the system catalogs, so the application cannot stay on it. :func:`split_bootstrap_role`
renames it to ``smartcity_admin`` (with a new password) and creates a new ``smartcity`` with the old
password in the same transaction; :func:`ensure_database` then hands the database and what is in it
over to the new role. The database, its data, the reader and the application's URL stay as they were.

The SQL is inline, as in ``local_cluster``: it runs on the admin's psycopg connections, before any
engine exists; names are composed as identifiers, values bound or quoted as literals by psycopg.
"""

from __future__ import annotations

import secrets

import psycopg
from psycopg import sql

from smartcity.platform.cluster_credentials import ADMIN, DATABASE, OWNER, PREFECT, READER, Credentials

# a superuser that exists only for the few milliseconds of the split (a role cannot rename itself)
SPLITTER = "smartcity_split"
BOOTSTRAP_ROLE_OID = 10  # the role initdb made (BOOTSTRAP_SUPERUSERID), in every PostgreSQL
FIRST_NORMAL_OID = 16384  # objects below it come with the cluster (FirstNormalObjectId)

_APP_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
READER_COMMENT = "Read-only access to what is published: the schemas ref and mart, and public.layer_styles."


def _admin(creds: Credentials, database: str) -> psycopg.Connection:
    return psycopg.connect(creds.url(admin=True, database=database), connect_timeout=10, autocommit=True)


def _role_sql(verb: str, role: str, password: str) -> sql.Composed:
    # Utility statements cannot take bind parameters; psycopg quotes the literal safely.
    return sql.SQL(verb + " ROLE {} WITH " + _APP_ATTRIBUTES + " PASSWORD {}").format(
        sql.Identifier(role), sql.Literal(password)
    )


def split_bootstrap_role(creds: Credentials) -> None:
    """Turn a cluster whose application logs in as the bootstrap superuser into the admin + app layout.

    Idempotent: once ``smartcity`` is no longer the bootstrap role, all that is left to do is to drop
    the temporary superuser a crash may have left behind.
    """
    with psycopg.connect(creds.url(database="postgres"), connect_timeout=10, autocommit=True) as conn:
        bootstrap = conn.execute(
            "SELECT rolname = current_user FROM pg_roles WHERE oid = %s", [BOOTSTRAP_ROLE_OID]
        ).fetchone()[0]
        if bootstrap:
            splitter_password = secrets.token_hex(16)
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(SPLITTER)))
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN SUPERUSER PASSWORD {}").format(
                    sql.Identifier(SPLITTER), sql.Literal(splitter_password)
                )
            )
    if bootstrap:
        splitter = {"host": "127.0.0.1", "port": creds.port, "dbname": "postgres", "user": SPLITTER,
                    "password": splitter_password, "connect_timeout": 10}  # fmt: skip
        with psycopg.connect(**splitter) as conn, conn.transaction():
            # one transaction: the old layout or the new one, never a cluster the file cannot log into
            rename = sql.SQL("ALTER ROLE {} RENAME TO {}")
            conn.execute(rename.format(sql.Identifier(OWNER), sql.Identifier(ADMIN)))
            conn.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(ADMIN), sql.Literal(creds.admin_password)
                )
            )
            conn.execute(_role_sql("CREATE", OWNER, creds.password))
    with _admin(creds, "postgres") as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(SPLITTER)))


def ensure_roles(conn: psycopg.Connection, creds: Credentials) -> None:
    """Create the application and reader logins, or set their attributes and passwords back, and drop
    the session defaults the reader gave itself (any role may set its own; the reader login is shared,
    so a ``statement_timeout`` it set would stop every GIS client)."""
    roles = {name for (name,) in conn.execute(
        "SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)", [OWNER, READER]
    )}  # fmt: skip
    conn.execute(_role_sql("ALTER" if OWNER in roles else "CREATE", OWNER, creds.password))
    # The owner role shares its name with the bookkeeping schema; keep "$user" out of the way.
    conn.execute(sql.SQL("ALTER ROLE {} SET search_path = public").format(sql.Identifier(OWNER)))
    conn.execute(_role_sql("ALTER" if READER in roles else "CREATE", READER, creds.reader_password))
    own_defaults = conn.execute(
        "SELECT d.datname FROM pg_db_role_setting s LEFT JOIN pg_database d ON d.oid = s.setdatabase "
        "WHERE s.setrole = %s::regrole",
        [READER],
    ).fetchall()
    for (database,) in own_defaults:
        where = (
            sql.SQL("") if database is None else sql.SQL(" IN DATABASE {}").format(sql.Identifier(database))
        )
        conn.execute(sql.SQL("ALTER ROLE {}{} RESET ALL").format(sql.Identifier(READER), where))
    conn.execute(  # every start: the text follows what the reader may read (migration 017 narrowed it)
        sql.SQL("COMMENT ON ROLE {} IS {}").format(sql.Identifier(READER), sql.Literal(READER_COMMENT))
    )


def ensure_database(conn: psycopg.Connection, creds: Credentials) -> None:
    """Make the database, owned by the application with PostGIS, or hand an older one over to it.

    ``conn`` is the admin's autocommit connection to the ``postgres`` database.
    """
    row = conn.execute(
        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [DATABASE]
    ).fetchone()
    if row is None:
        create_database(creds, DATABASE)
        return
    with _admin(creds, DATABASE) as db:
        if row[0] != OWNER:
            with db.transaction():
                hand_over(db, previous=row[0])
        db.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def ensure_prefect_database(conn: psycopg.Connection, creds: Credentials) -> None:
    """The local Prefect server's login and its database, which it owns (Prefect's server runs its own
    migrations there, and creates ``pg_trgm``, a trusted extension, as the owner). The role is granted
    nothing in the application's database, and no other role may connect to Prefect's: the flow runs'
    history and the planning data stay apart. ``conn``: the admin's autocommit connection."""
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [PREFECT]).fetchone()
    conn.execute(_role_sql("ALTER" if exists else "CREATE", PREFECT, creds.prefect_password))
    if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PREFECT]).fetchone() is None:
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(PREFECT), sql.Identifier(PREFECT))
        )
    conn.execute(
        sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE {} FROM PUBLIC").format(sql.Identifier(PREFECT))
    )


def create_database(
    creds: Credentials, name: str, *, template: str | None = None, postgis: bool = True
) -> None:
    """As the admin: a new database owned by the application role, with PostGIS unless told not to
    (a copy of ``template`` has what the template has)."""
    statement = sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(OWNER))
    if template:
        statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
    with _admin(creds, "postgres") as conn:
        conn.execute(statement)
        if template:
            copy_database_grants(conn, template, name)
    if template:
        return
    with _admin(creds, name) as conn:
        # Before PostgreSQL 15 the bootstrap role owns schema public, so the owner of the database
        # could not close it to others (migration 005) nor own what it creates there.
        conn.execute(
            sql.SQL("DO $$ BEGIN IF (SELECT nspowner FROM pg_namespace WHERE nspname = 'public') = {} "
                    "THEN ALTER SCHEMA public OWNER TO {}; END IF; END $$").format(
                sql.Literal(BOOTSTRAP_ROLE_OID), sql.Identifier(OWNER)
            )
        )  # fmt: skip
        if postgis:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def copy_database_grants(conn: psycopg.Connection, source: str, target: str) -> None:
    """Give ``target`` the database-level grants and settings of ``source``: ``CREATE DATABASE ...
    TEMPLATE`` copies what is inside a database, not its own ACL (``pg_database.datacl``: who may
    connect, create schemas, make temporary tables) nor its ``ALTER DATABASE/ROLE ... SET`` defaults.
    A copy must be the database the product makes (the tests' copies are checked against it)."""
    statements = conn.execute(_COPY_GRANTS, {"source": source, "target": target}).fetchall()
    for (statement,) in statements:
        conn.execute(statement)


# REVOKE everything the new database's ACL holds, GRANT what the source's holds, copy its settings.
_COPY_GRANTS = """
WITH src AS (SELECT oid, datdba, coalesce(datacl, acldefault('d', datdba)) AS acl FROM pg_database
             WHERE datname = %(source)s::text),
     dst AS (SELECT oid, datdba, coalesce(datacl, acldefault('d', datdba)) AS acl FROM pg_database
             WHERE datname = %(target)s::text),
     who AS (SELECT 0::oid AS oid, 'PUBLIC' AS name UNION ALL SELECT oid, quote_ident(rolname) FROM pg_roles)
SELECT statement FROM (
    SELECT 1 AS step, format('REVOKE ALL ON DATABASE %%I FROM %%s', %(target)s::text, who.name) AS statement
    FROM dst CROSS JOIN aclexplode(dst.acl) a JOIN who ON who.oid = a.grantee
    UNION
    SELECT 2, format('GRANT %%s ON DATABASE %%I TO %%s%%s', a.privilege_type, %(target)s::text, who.name,
                     CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
    FROM src CROSS JOIN aclexplode(src.acl) a JOIN who ON who.oid = a.grantee
    UNION
    SELECT 3, format('ALTER %%s SET %%s = %%L',
                     CASE s.setrole WHEN 0 THEN format('DATABASE %%I', %(target)s::text)
                         ELSE format('ROLE %%I IN DATABASE %%I', pg_get_userbyid(s.setrole), %(target)s::text)
                     END,
                     split_part(setting, '=', 1), substr(setting, strpos(setting, '=') + 1))
    FROM src JOIN pg_db_role_setting s ON s.setdatabase = src.oid CROSS JOIN unnest(s.setconfig) AS setting
) AS steps
ORDER BY step, statement
"""


def hand_over(conn: psycopg.Connection, previous: str) -> None:
    """Give the application role the current database and what ``previous`` owns in it, in the
    caller's transaction.

    Not ``REASSIGN OWNED``: PostgreSQL refuses it for the bootstrap role (it owns the system
    catalogs). Moved (see ``_HAND_OVER``): schemas, tables and partitions, views, materialized views,
    foreign tables, free-standing sequences and composite types (a column's sequence and a table's
    indexes follow the table), functions, procedures, aggregates, enums, domains, ranges, and the
    per-schema default privileges (``ALTER DEFAULT PRIVILEGES IN SCHEMA``, all the migrations use).
    Left with ``previous``: what came with the cluster and the members of extensions (PostGIS stays
    the admin's, as in a new cluster). Grants move with the ownership (PostgreSQL rewrites the grantor).
    """
    statements = conn.execute(_HAND_OVER, {"previous": previous, "owner": OWNER, "first": FIRST_NORMAL_OID})
    for (statement,) in statements.fetchall():
        conn.execute(statement)


# One ALTER per object, in order: objects, default privileges, the database last.
_HAND_OVER = """
WITH prev AS (SELECT oid FROM pg_roles WHERE rolname = %(previous)s::text)
SELECT statement FROM (
    SELECT 1 AS step, format('ALTER SCHEMA %%I OWNER TO %%I', n.nspname, %(owner)s::text) AS statement
    FROM pg_namespace n, prev
    WHERE n.nspowner = prev.oid AND (n.oid >= %(first)s::oid OR n.nspname = 'public')
      AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_namespace'::regclass
                      AND e.objid = n.oid AND e.deptype = 'e')
    UNION ALL
    SELECT 2, format('ALTER %%s %%I.%%I OWNER TO %%I',
                     CASE c.relkind WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'v' THEN 'VIEW'
                         WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'c' THEN 'TYPE'
                         ELSE 'TABLE' END, n.nspname, c.relname, %(owner)s::text)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, prev
    WHERE c.relowner = prev.oid AND c.oid >= %(first)s::oid
      AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S', 'c')
      AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                      AND e.objid = c.oid AND e.deptype = 'e')
      AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
               AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
    UNION ALL
    SELECT 3, format('ALTER %%s %%s OWNER TO %%I',
                     CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END,
                     p.oid::regprocedure, %(owner)s::text)
    FROM pg_proc p, prev
    WHERE p.proowner = prev.oid AND p.oid >= %(first)s::oid
      AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass
                      AND e.objid = p.oid AND e.deptype = 'e')
    UNION ALL
    SELECT 4, format('ALTER %%s %%s OWNER TO %%I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
                     t.oid::regtype, %(owner)s::text)
    FROM pg_type t, prev
    WHERE t.typowner = prev.oid AND t.oid >= %(first)s::oid AND t.typtype IN ('e', 'd', 'r')
      AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_type'::regclass
                      AND e.objid = t.oid AND e.deptype = 'e')
    UNION ALL
    SELECT 5, format('ALTER DEFAULT PRIVILEGES FOR ROLE %%I IN SCHEMA %%I %%s %%s ON %%s %%s %%s%%s',
                     role, d.defaclnamespace::regnamespace, verb, a.privilege_type,
                     CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
                         WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END,
                     CASE verb WHEN 'GRANT' THEN 'TO' ELSE 'FROM' END,
                     CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
                     CASE WHEN verb = 'GRANT' AND a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
    FROM pg_default_acl d CROSS JOIN aclexplode(d.defaclacl) a CROSS JOIN prev
         CROSS JOIN (VALUES ('GRANT', %(owner)s::text), ('REVOKE', %(previous)s::text)) AS change (verb, role)
    WHERE d.defaclrole = prev.oid AND d.defaclnamespace <> 0 AND a.grantee <> prev.oid
    UNION ALL
    SELECT 6, format('ALTER DATABASE %%I OWNER TO %%I', current_database(), %(owner)s::text)
) AS steps
ORDER BY step, statement
"""
