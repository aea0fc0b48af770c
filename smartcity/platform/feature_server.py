"""OGC API Features for QGIS and web clients: tipg (developmentseed) over the published schemas.

`smartcity features` runs tipg's app under uvicorn in a child process, connected as the read-only
role (never the owner), listing the spatial tables and views of ``mart`` and ``ref``. Views have no
primary key, so tipg takes their key from the first of ``code``, ``id`` found (every mart view has one).
Loopback by default: put it behind a reverse proxy to publish it.

What clients get beyond tipg's defaults (:func:`create_app`, served with ``uvicorn --factory``): each
collection's title and description from its table comment (``COMMENT ON``; the catalogue is read once
at start, so a new table or view shows after a restart, new rows at once), a default page of
``DEFAULT_LIMIT`` features (all of a regency's villages in one request), ``cache-control: no-cache`` (a
new run is visible at once), and the CQL2 conformance classes tipg implements (``filter-lang=cql2-text``
or ``cql2-json``, basic spatial functions) declared on ``/conformance``.

What it never does (docs/security.md): run SQL a visitor wrote (:mod:`feature_guard` accepts only
CQL2's own operators in a filter), show a database error to a visitor (a generic message with a
request id; details in the log), run a statement longer than ``SMARTCITY_FEATURES_STATEMENT_TIMEOUT_S``
or hold more than ``SMARTCITY_FEATURES_MAX_CONNECTIONS`` connections, or see more than the reader may
(the published schemas ``mart`` and ``ref``: migration 017). tipg defines its catalogue functions in
``pg_temp`` at every connection, which needs TEMPORARY; here :func:`install_catalog` puts them, as the
application role, in the schema ``tipg`` (migration 017) before serving, and the pool's connections only
set their search path: the reader creates nothing, not even temporary objects.
"""

from __future__ import annotations

import json
import os
import sys

from smartcity.platform import db, local_cluster
from smartcity.platform.errors import SetupError
from smartcity.platform.settings import Settings

SCHEMAS = ["mart", "ref"]
CATALOG_SCHEMA = "tipg"  # migration 017; filled by install_catalog
DEFAULT_LIMIT, MAX_LIMIT = 1000, 100_000
CQL2_CONFORMANCE = [
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
]


def reader_url(settings: Settings) -> str:
    """The read-only role's URL (plain postgresql:// form, as tipg's asyncpg wants it)."""
    if settings.database_url is not None:
        if settings.reader_database_url is None:
            raise SetupError(
                "smartcity features connects as the read-only role: set SMARTCITY_READER_DATABASE_URL "
                "(a login granted smartcity_reader) for the configured database"
            )
        url = db.to_sqlalchemy_url(settings.reader_database_url.get_secret_value())
        return url.set(drivername="postgresql").render_as_string(hide_password=False)
    creds = local_cluster.read_credentials(settings.pg_dir)
    if creds is None:
        raise SetupError("the local database has not been created yet: run `smartcity db up`")
    return creds.url(reader=True)


def server_command(settings: Settings, host: str, port: int) -> tuple[list[str], dict[str, str]]:
    """The uvicorn command line and environment that serve tipg for this database."""
    env = {
        **os.environ,
        "DATABASE_URL": reader_url(settings),
        "TIPG_DB_SCHEMAS": json.dumps(SCHEMAS),
        "TIPG_FALLBACK_KEY_NAMES": json.dumps(["code", "id"]),
        "TIPG_NAME": "Smart City spatial priorities",
        "TIPG_DEFAULT_FEATURES_LIMIT": str(DEFAULT_LIMIT),
        "TIPG_MAX_FEATURES_PER_QUERY": str(MAX_LIMIT),
        "TIPG_CACHECONTROL": "no-cache",
        "TIPG_CATALOG_TTL": "0",  # the catalogue (with its titles) is read once, at start
        "TIPG_DB_APPLICATION_SCHEMA": CATALOG_SCHEMA,  # where tipg looks its catalogue functions up
        "TIPG_DB_EXCLUDE_FUNCTION_SCHEMAS": json.dumps(SCHEMAS),  # tables and views only, no functions
        "TIPG_DB_MAX_CONN_SIZE": str(settings.features_max_connections),
        "TIPG_DB_MIN_CONN_SIZE": "1",
        "SMARTCITY_FEATURES_STATEMENT_TIMEOUT_S": str(settings.features_statement_timeout_s),
    }
    argv = [sys.executable, "-m", "uvicorn", "--factory", "smartcity.platform.feature_server:create_app",
            "--host", host, "--port", str(port), "--log-level", "warning"]  # fmt: skip
    return argv, env


def title_of(description: str | None, fallback: str) -> str:
    """A collection's title: the first sentence of its table comment (at most 80 characters)."""
    if not description:
        return fallback
    first = description.split(". ", 1)[0].split(" (key", 1)[0].rstrip(".")
    return first if len(first) <= 80 else first[:79].rstrip() + "…"


#: collection id -> title, filled when the catalogue is read (the collections list looks titles up here)
TITLES: dict[str, str] = {}


def describe_collections(collections: dict, comments: dict[str, str]) -> None:
    """Give every collection of a tipg catalogue its title and description from the table comments."""
    for key, collection in collections.items():
        description = comments.get(key)
        collection.title = TITLES[key] = title_of(description, key)
        collection.description = description or collection.description


def catalog_sql() -> str:
    """tipg's catalogue functions (its ``dbcatalog.sql``), defined in :data:`CATALOG_SCHEMA` instead of
    ``pg_temp``."""
    from tipg.database import DB_CATALOG_FILE

    return DB_CATALOG_FILE.read_text(encoding="utf-8").replace("pg_temp.", CATALOG_SCHEMA + ".")


def install_catalog(engine) -> None:
    """As the application role: (re)define tipg's catalogue functions in their schema (idempotent: the
    installed tipg's own SQL, ``CREATE OR REPLACE``), so the reader only calls them."""
    with engine.begin() as conn:
        # on the driver's connection with no parameters: the SQL's own % signs are not placeholders
        conn.connection.driver_connection.execute(catalog_sql())


async def _connect_to_db(app, *, schemas, tipg_schema=None, user_sql_files=None, settings=None, **kwargs):
    """tipg's pool, without tipg's per-connection ``CREATE FUNCTION pg_temp...`` (see the module
    docstring): each connection gets its codecs, a search path and a statement timeout."""
    import asyncpg
    import orjson
    from tipg.settings import PostgresSettings

    settings = settings or PostgresSettings()
    timeout_ms = round(float(os.environ.get("SMARTCITY_FEATURES_STATEMENT_TIMEOUT_S", "5")) * 1000)

    async def init(conn):
        for kind in ("json", "jsonb"):
            await conn.set_type_codec(kind, encoder=orjson.dumps, decoder=orjson.loads, schema="pg_catalog")

    app.state.pool = await asyncpg.create_pool(
        str(settings.database_url),
        min_size=settings.db_min_conn_size,
        max_size=settings.db_max_conn_size,
        max_queries=settings.db_max_queries,
        max_inactive_connection_lifetime=settings.db_max_inactive_conn_lifetime,
        init=init,
        server_settings={
            "search_path": ",".join([CATALOG_SCHEMA, *SCHEMAS, "public"]),
            "statement_timeout": str(timeout_ms),
            "application_name": "smartcity-features",
        },
        **kwargs,
    )


def create_app():
    """tipg's app with titles and descriptions from the comments, the CQL2 classes declared, its pool
    made without temporary objects, and every request through :class:`feature_guard.Guard`."""
    import logging

    import tipg.factory
    import tipg.main

    from smartcity.platform.feature_guard import Guard
    from smartcity.platform.queries import query

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("tipg").setLevel(logging.CRITICAL)  # tipg logs tracebacks; the Guard logs a line
    tipg.main.connect_to_db = _connect_to_db  # the lifespan calls it by this name

    for conformance in CQL2_CONFORMANCE:  # tipg parses CQL2 (filter, filter-lang) but does not say so
        if conformance not in tipg.factory.FEATURES_CONFORMS:
            tipg.factory.FEATURES_CONFORMS.append(conformance)
    register = tipg.main.register_collection_catalog
    statement = query("features", "collection_comments").text.replace(":schemas", "$1")

    async def register_described(app, db_settings=None):
        await register(app, db_settings=db_settings)
        async with app.state.pool.acquire() as conn:
            rows = await conn.fetch(statement, SCHEMAS)
        describe_collections(
            app.state.collection_catalog["collections"], {r["id"]: r["description"] for r in rows}
        )

    tipg.main.register_collection_catalog = register_described  # the lifespan calls it by this name
    _titles_in_lists(tipg.model)
    return Guard(tipg.main.app)


def _titles_in_lists(model) -> None:
    """tipg's /collections list writes each collection's id as its title: give it the comment's title."""
    import pydantic

    titles: dict[str, str] = TITLES

    class Described(model.Collection):
        @pydantic.model_validator(mode="before")
        @classmethod
        def _title(cls, values):
            known = isinstance(values, dict) and values.get("id") in titles
            if known and values.get("title") == values["id"]:
                values = {**values, "title": titles[values["id"]]}
            return values

    model.Collection = Described
