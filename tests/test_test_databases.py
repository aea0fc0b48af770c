"""The tests' databases are the product's: what a copy of the test template grants, to whom, and with
which settings, equals what `smartcity db up` makes. (``CREATE DATABASE ... TEMPLATE`` copies what is
inside a database but not its own ACL or settings: a copy that kept PostgreSQL's defaults let the
reader create temporary tables in the tests only, and hid a feature server that could not start.)"""

from __future__ import annotations

import psycopg
import pytest

from smartcity.platform import cluster_credentials, db

pytestmark = pytest.mark.db

# Everything about rights and settings that lives at the database's level or is compared by name.
RIGHTS = {
    "database acl": "SELECT coalesce(datacl, acldefault('d', datdba))::text[] FROM pg_database "
    "WHERE datname = current_database()",
    "database settings": "SELECT coalesce(array_agg(coalesce(r.rolname, '*') || ':' || c ORDER BY 1, 2), "
    "'{}') FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) c "
    "WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())",
    "owner": "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()",
    "schemas": "SELECT array_agg(nspname || ' ' || pg_get_userbyid(nspowner) || ' ' || "
    "coalesce(nspacl::text, '-') ORDER BY nspname) FROM pg_namespace WHERE nspname !~ '^pg_' "
    "AND nspname <> 'information_schema'",
    "default privileges": "SELECT coalesce(array_agg(pg_get_userbyid(defaclrole) || ' ' || "
    "coalesce(defaclnamespace::regnamespace::text, '-') || ' ' || defaclobjtype::text || ' ' || "
    "defaclacl::text "
    "ORDER BY 1), '{}') FROM pg_default_acl",
    "reader": "SELECT array_agg(c.oid::regclass::text || ' ' || has_table_privilege('smartcity_reader', "
    "c.oid, 'SELECT') ORDER BY 1) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'",
    "reader may": "SELECT array[has_database_privilege('smartcity_reader', current_database(), 'TEMP'), "
    "has_database_privilege('smartcity_reader', current_database(), 'CREATE'), "
    "has_database_privilege('smartcity_reader', current_database(), 'CONNECT')]",
    "extensions": "SELECT array_agg(extname || ' ' || pg_get_userbyid(extowner) ORDER BY 1) "
    "FROM pg_extension",
}


def rights(url: str) -> dict[str, object]:
    with psycopg.connect(url) as conn:
        return {name: conn.execute(statement).fetchone()[0] for name, statement in RIGHTS.items()}


def test_a_test_database_grants_what_a_db_up_database_grants(pg_settings, pg_creds, engine):
    # the product's path: `smartcity db up` is bring_up + migrations on the database `smartcity`
    product = db.ensure_database(pg_settings)
    product.dispose()
    made = rights(pg_creds.url(database=cluster_credentials.DATABASE))
    copy = rights(pg_creds.url(database=engine.url.database))
    assert made["reader may"] == [False, False, True]  # the product: the reader creates nothing
    for name in RIGHTS:
        assert copy[name] == made[name], name
