"""The only gate to the database: where it is, engines, transactions and migrations.

Engines have no side effects: :func:`get_engine` only builds (or returns the pooled) engine for the
configured database or the local cluster's credentials; it never starts a server, creates a role or
runs DDL. The local cluster (:mod:`smartcity.platform.local_cluster`) is brought up by
:func:`bring_up`, called once where a run starts: :func:`ensure_database` (``smartcity db up``, the
pipeline's first task, every command that needs the database), and again by a task retrying after
the connection was lost (``tasks.retry.engine``). :func:`ensure_database` also checks PostGIS and
applies pending migrations from ``sql/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from smartcity.platform import local_cluster
from smartcity.platform.errors import DatabaseUnavailable, MigrationError
from smartcity.platform.paths import sql_dir
from smartcity.platform.settings import Settings

MIGRATION_LOCK_KEY = 7_460_101  # pg_advisory lock id for migrations ("64.01" + 01)
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Migrations edited after release in a way that changes nothing for a database that applied the
# earlier text: the checksums of those earlier texts are accepted as the file's own.
EARLIER_CHECKSUMS = {
    # 005 comments on the reader role only when the migrating role may (CREATEROLE), so the local
    # cluster's application role, which may not, can run it; the comment itself is the same.
    "005": frozenset({"58ea3c8f6780c95cb9ab4f496c42ba1e75c3792a4bc84a8bbe82562c095594a2"}),
}


# --- where the database is -----------------------------------------------------------------------


def to_sqlalchemy_url(raw: str) -> URL:
    """Accept postgres://, postgresql:// and postgresql+psycopg:// URLs; use the psycopg 3 driver."""
    url = make_url(raw.replace("postgres://", "postgresql://", 1))
    if url.get_backend_name() != "postgresql":
        raise DatabaseUnavailable(f"SMARTCITY_DATABASE_URL must be a PostgreSQL URL, got {url.drivername}")
    return url.set(drivername="postgresql+psycopg")


def describe(url: URL) -> str:
    """Host, port, database and user of a URL: safe to print (never the password)."""
    return f"{url.host or 'localhost'}:{url.port or 5432} (database {url.database!r}, user {url.username!r})"


def resolve_url(settings: Settings) -> URL:
    """The SQLAlchemy URL to use: the configured one, or the local cluster's (read, never started)."""
    if settings.database_url is not None:
        return to_sqlalchemy_url(settings.database_url.get_secret_value())
    creds = local_cluster.read_credentials(settings.pg_dir)
    if creds is None:
        raise DatabaseUnavailable("the local database has not been created yet: run `smartcity db up`")
    return make_url(creds.url(driver="postgresql+psycopg"))


def bring_up(settings: Settings) -> None:
    """Start the local cluster (creating it the first time) when no SMARTCITY_DATABASE_URL is set.

    Idempotent but not free (a file lock, ``pg_ctl status``, admin connections; about 35 ms when the
    cluster already runs): call it where a run or command starts, not per query.
    """
    if settings.database_url is None:
        local_cluster.ensure_running(settings)


@lru_cache(maxsize=8)
def _engine_for(url: URL, connect_timeout: int) -> Engine:
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": connect_timeout, "application_name": "smartcity"},
    )


def get_engine(settings: Settings) -> Engine:
    """A pooled engine for the configured database (one per URL per process); no side effects."""
    return _engine_for(resolve_url(settings), settings.connect_timeout)


def check_database(engine: Engine) -> str:
    """Connect, make sure PostGIS is there (create it if we may), return the PostGIS version."""
    try:
        with engine.connect() as conn:
            has_postgis = conn.execute(
                sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
            ).first()
            conn.commit()
            if not has_postgis:
                # Two processes creating the extension at once collide: serialise them.
                with _schema_lock(conn), conn.begin():
                    conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
            return conn.execute(sa.text("SELECT postgis_lib_version()")).scalar_one()
    except sa.exc.OperationalError as exc:
        raise DatabaseUnavailable(
            f"cannot connect to PostgreSQL at {describe(engine.url)}: {_first_line(exc, engine.url)}. "
            "Check that the server runs and SMARTCITY_DATABASE_URL is right, "
            "or unset SMARTCITY_DATABASE_URL to use the project-local database."
        ) from None
    except sa.exc.DBAPIError as exc:
        raise DatabaseUnavailable(
            f"PostgreSQL at {describe(engine.url)} has no PostGIS and we may not create it: "
            f"{_first_line(exc, engine.url)}. Ask its administrator to run CREATE EXTENSION postgis."
        ) from None


def _first_line(exc: Exception, url: URL) -> str:
    """The driver's message, first meaningful line, with the password (if any) blanked out."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    text = lines[0] if lines else type(original).__name__
    if url.password:
        text = text.replace(str(url.password), "***")
    return text


# --- which failures are the database going away -------------------------------------------------

# SQLSTATEs that mean the server went away or cannot take us now (connection exceptions, shutdowns,
# too many connections): worth another try. An error with any other SQLSTATE (a value too long for an
# index, a constraint, a syntax error) is final, even when the driver files it under OperationalError.
_TRANSIENT_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


def is_transient(error: BaseException) -> bool:
    """Whether a failure is the database being away (retry later), not a fault of the input or code.

    The one classifier of the project: task retries, the pipeline's per-region outcome, the intake's
    per-file outcome and the CLI's one-line message all ask it.
    """
    import psycopg

    if isinstance(error, DatabaseUnavailable | ConnectionError):
        return True
    if isinstance(error, sa.exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if not isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError):
            return False
        error = error.orig if error.orig is not None else error
    if isinstance(error, psycopg.InterfaceError):
        return True
    if isinstance(error, psycopg.OperationalError):
        state = getattr(error, "sqlstate", None)
        return state is None or state.startswith(_TRANSIENT_SQLSTATES)
    return isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError)


# --- migrations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def list_migrations(folder: Path | None = None) -> list[Migration]:
    """The numbered ``NNN_name.sql`` files of ``sql/``, in order; duplicate numbers are an error."""
    folder = folder or sql_dir()
    found: dict[str, Migration] = {}
    for path in sorted(folder.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            continue
        version = match.group(1)
        if version in found:
            raise MigrationError(
                f"two migrations numbered {version}: {found[version].path.name}, {path.name}"
            )
        found[version] = Migration(version, path.stem, path)
    return list(found.values())


@contextlib.contextmanager
def _schema_lock(conn: sa.Connection) -> Iterator[None]:
    """Hold the session-level advisory lock for schema changes, outside any transaction.

    Taken before the transaction begins, so the transaction that follows sees every catalog change
    the previous holder committed (an xact lock taken mid-transaction can leave stale catalog caches,
    and then CREATE ... IF NOT EXISTS collides).
    """
    if conn.in_transaction():
        conn.commit()
    conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    conn.commit()
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()
        conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        conn.commit()


def apply_migrations(engine: Engine, migrations: list[Migration] | None = None) -> list[str]:
    """Apply pending migrations in order, in one transaction, under an advisory lock.

    A second process waits for the lock, then finds nothing left to do. A migration file whose
    content changed after it was applied is refused: add a new numbered file instead.
    """
    migrations = list_migrations() if migrations is None else migrations
    applied_now: list[str] = []
    with engine.connect() as session, _schema_lock(session), session.begin():
        conn = session
        conn.exec_driver_sql((sql_dir() / "_bookkeeping.sql").read_text(encoding="utf-8"))
        done = dict(conn.execute(sa.text("SELECT version, checksum FROM smartcity.schema_migrations")).all())
        for migration in migrations:
            if migration.version in done:
                accepted = {migration.checksum, *EARLIER_CHECKSUMS.get(migration.version, ())}
                if done[migration.version] not in accepted:
                    raise MigrationError(
                        f"migration {migration.path.name} changed after it was applied; "
                        "migrations are append-only: put the change in a new numbered file"
                    )
                continue
            try:
                conn.exec_driver_sql(migration.sql)
            except sa.exc.DBAPIError as exc:
                raise MigrationError(
                    f"migration {migration.path.name} failed: {_first_line(exc, engine.url)}"
                ) from None
            conn.execute(
                sa.text(
                    "INSERT INTO smartcity.schema_migrations (version, name, checksum) "
                    "VALUES (:version, :name, :checksum)"
                ),
                {"version": migration.version, "name": migration.name, "checksum": migration.checksum},
            )
            applied_now.append(migration.name)
    return applied_now


def ensure_database(settings: Settings) -> Engine:
    """Bring the database up (local or configured), check PostGIS, apply pending migrations."""
    bring_up(settings)
    engine = get_engine(settings)
    check_database(engine)
    apply_migrations(engine)
    return engine


def migration_status(engine: Engine) -> tuple[list[str], list[str]]:
    """Names of applied and pending migrations."""
    with engine.connect() as conn:
        has_table = conn.execute(sa.text("SELECT to_regclass('smartcity.schema_migrations')")).scalar()
        done = set()
        if has_table:
            done = set(conn.execute(sa.text("SELECT version FROM smartcity.schema_migrations")).scalars())
    migrations = list_migrations()
    return (
        [m.name for m in migrations if m.version in done],
        [m.name for m in migrations if m.version not in done],
    )


# --- bulk rows -----------------------------------------------------------------------------------


def copy_rows(conn: sa.Connection, table: str, columns: list[str], rows) -> int:
    """Stream ``rows`` into ``table`` with COPY (text format; geometries as hex EWKB). Returns the count.

    Runs on the connection's own transaction. Table and column names are composed as identifiers.
    """
    from psycopg import sql

    raw = conn.connection.driver_connection
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(*table.split(".")), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def copy_payload(conn: sa.Connection, table: str, columns: list[str], chunks) -> None:
    """Send ready-made COPY text (``smartcity.platform.copyformat.payload``) into ``table``, in the
    connection's transaction. Table and column names are composed as identifiers.

    A writer thread sends each chunk while the caller builds the next one, so the server parses and
    Python formats at the same time.
    """
    from psycopg import sql
    from psycopg.copy import QueuedLibpqWriter

    raw = conn.connection.driver_connection
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(*table.split(".")), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with raw.cursor() as cursor, cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
        for chunk in chunks:
            copy.write(chunk)


def column_values(frame, name: str) -> list:
    """A DataFrame column as Python values with None for missing ones (what COPY wants), vectorised."""
    # object dtype first: numpy scalars become Python values, and None can replace NaN/<NA> in any
    # column (a pandas string column cannot hold None)
    values = frame[name].astype(object)
    return values.where(values.notna(), None).tolist()


def read_geoframe(conn: sa.Connection, statement: sa.TextClause, params: dict):
    """Rows of a query whose ``wkb`` column holds ST_AsBinary(geom), as a GeoDataFrame in EPSG:4326."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    frame = pd.DataFrame(conn.execute(statement, params).mappings().all())
    if frame.empty:
        return gpd.GeoDataFrame({"code": []}, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    geoms = shapely.from_wkb(frame.pop("wkb").map(bytes).to_numpy())
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


class RunLocked(DatabaseUnavailable):
    """Another pipeline run for the same region holds its lock."""


@contextlib.contextmanager
def region_lock(engine: Engine, region_codes: str | list[str], mode: str = "wait") -> Iterator[bool]:
    """Hold the pipeline lock of each region (session-level advisory locks) for the block.

    ``mode="wait"`` queues behind a running pipeline of any of these regions (yields True when it had
    to wait); ``mode="fail"`` raises RunLocked at once. Regions are locked in code order, so two runs
    over overlapping regions never deadlock. The locks live on their own connection: if the process
    dies, PostgreSQL drops the connection and the locks with it, so a killed run never leaves a
    region locked.
    """
    codes = sorted({region_codes} if isinstance(region_codes, str) else set(region_codes))
    conn = engine.connect()
    held: list[str] = []
    waited = False
    try:
        for code in codes:
            key = {"key": f"smartcity-run:{code}"}
            try_lock = sa.text("SELECT pg_try_advisory_lock(hashtextextended(:key, 0))")
            got = conn.execute(try_lock, key).scalar()
            conn.commit()
            if not got:
                if mode == "fail":
                    holder = conn.execute(
                        sa.text(
                            "SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted "
                            "AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(:key, 0)"
                        ),
                        key,
                    ).scalar()
                    raise RunLocked(
                        f"another pipeline run for {code} is in progress (database process {holder}); "
                        "try again when it ends, or set SMARTCITY_RUN_LOCK=wait to queue behind it"
                    )
                waited = True
                conn.execute(sa.text("SELECT pg_advisory_lock(hashtextextended(:key, 0))"), key)
                conn.commit()
            held.append(code)
        yield waited
    finally:
        with contextlib.suppress(sa.exc.DBAPIError):
            for code in held:
                key = {"key": f"smartcity-run:{code}"}
                conn.execute(sa.text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))"), key)
            conn.commit()
        conn.close()
