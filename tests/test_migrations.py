"""Migrations against a real PostGIS: in order, once, recorded, safe to repeat and to run concurrently."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa

from smartcity.platform import db
from smartcity.platform.errors import MigrationError
from tests.conftest import db_url
from tests.helpers import clean_env

pytestmark = pytest.mark.db

SNAPSHOT = sa.text(
    """
    SELECT string_agg(line, E'\n' ORDER BY line) FROM (
        SELECT format('%s.%s.%s %s %s %s', table_schema, table_name, column_name, data_type,
                      is_nullable, column_default) AS line
        FROM information_schema.columns
        WHERE table_schema IN ('ref', 'intake', 'core', 'mart', 'smartcity')
        UNION ALL
        SELECT format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
        FROM pg_constraint WHERE connamespace::regnamespace::text IN ('ref', 'intake', 'core', 'mart')
        UNION ALL
        SELECT format('%s %s', schemaname, indexdef) FROM pg_indexes
        WHERE schemaname IN ('ref', 'intake', 'core', 'mart', 'smartcity')
        UNION ALL
        SELECT format('%s %s %s', table_schema, table_name, privilege_type)
        FROM information_schema.role_table_grants WHERE grantee = 'smartcity_reader'
    ) s
    """
)


def snapshot(engine: sa.Engine) -> str:
    with engine.connect() as conn:
        return conn.execute(SNAPSHOT).scalar_one()


def applied_versions(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(sa.text("SELECT version FROM smartcity.schema_migrations ORDER BY 1")).scalars()
        )


def test_first_migration_applies_every_file_in_order_and_records_it(pg_creds, empty_db):
    engine = sa.create_engine(db_url(pg_creds, empty_db), poolclass=sa.pool.NullPool)
    db.check_database(engine)
    applied = db.apply_migrations(engine)
    assert applied == [m.name for m in db.list_migrations()]
    assert applied_versions(engine) == [m.version for m in db.list_migrations()]


def test_migrating_again_changes_nothing(engine):
    before = snapshot(engine)
    assert db.apply_migrations(engine) == []
    assert snapshot(engine) == before


def test_each_migration_file_is_idempotent_by_itself(pg_creds, empty_db):
    """Running a SQL file by hand a second time (as a DBA might), right after it was applied, changes
    nothing. Checked at each file's own point in history: a later file may replace a view an earlier
    one creates (015 turns mart.district_swot's text arrays into jsonb), and running that earlier file
    again afterwards is not supported: `smartcity db migrate` is the way to bring a database up to date."""
    engine = sa.create_engine(db_url(pg_creds, empty_db), poolclass=sa.pool.NullPool)
    db.check_database(engine)
    migrations = db.list_migrations()
    for upto, migration in enumerate(migrations, start=1):
        db.apply_migrations(engine, migrations[:upto])
        before = snapshot(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql(migration.sql)
        assert snapshot(engine) == before, f"{migration.path.name} changes the schema when run again"
    engine.dispose()


def test_a_changed_migration_is_refused(engine, tmp_path):
    first = db.list_migrations()[0]
    edited = tmp_path / first.path.name
    edited.write_text(first.sql + "\n-- edited later\n")
    changed = [db.Migration(first.version, first.name, edited)]
    with pytest.raises(MigrationError, match="changed after it was applied"):
        db.apply_migrations(engine, changed)


def test_a_failing_migration_leaves_nothing_half_applied(engine, tmp_path):
    good = tmp_path / "900_good.sql"
    good.write_text("CREATE TABLE mart.should_not_stay (id int PRIMARY KEY);")
    bad = tmp_path / "901_bad.sql"
    bad.write_text("CREATE TABLE mart.broken (id int PRIMARY KEY, x no_such_type);")
    extra = [db.Migration("900", "900_good", good), db.Migration("901", "901_bad", bad)]
    with pytest.raises(MigrationError, match="901_bad.sql failed: .*no_such_type"):
        db.apply_migrations(engine, db.list_migrations() + extra)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT to_regclass('mart.should_not_stay')")).scalar() is None
    assert "900" not in applied_versions(engine)


def test_two_processes_migrating_at_once_apply_each_migration_once(pg_creds, empty_db, tmp_path):
    url = db_url(pg_creds, empty_db)
    env = clean_env(SMARTCITY_DATABASE_URL=url, SMARTCITY_STATE_DIR=str(tmp_path / "state"))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "smartcity", "db", "migrate"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    total = len(db.list_migrations())
    counts = sorted(int(out.split()[1]) for out, _ in outputs)  # "applied N migration(s)"
    assert counts == [0, total]
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    assert applied_versions(engine) == [m.version for m in db.list_migrations()]


def test_011_gives_files_received_before_it_the_region_their_rows_were_placed_in(pg_creds, empty_db):
    engine = sa.create_engine(db_url(pg_creds, empty_db), poolclass=sa.pool.NullPool)
    db.check_database(engine)
    before = [m for m in db.list_migrations() if m.version < "011"]
    db.apply_migrations(engine, before)
    with engine.begin() as conn:
        ids = conn.execute(sa.text(
            "INSERT INTO intake.submission (sha256, file_name, status) VALUES (repeat('a', 64), "
            "'placed.xlsx', 'loaded'), (repeat('b', 64), 'broken.xlsx', 'failed') RETURNING id"
        )).scalars().all()  # fmt: skip
        conn.execute(sa.text(
            "INSERT INTO core.issue (submission_id, row_number, agency, dimension, swot, description, "
            "severity, district_code, location_method, location_score) "
            "VALUES (:s, 2, 'DLH', 'living', 'weakness', 'Banjir', 3, '64.09.01', 'district', 1)"
        ), {"s": ids[0]})  # fmt: skip
    db.apply_migrations(engine)
    with engine.begin() as conn:
        regions = conn.execute(
            sa.text("SELECT file_name, region_code FROM intake.submission ORDER BY id")
        ).all()
        # the same content may now arrive once per region, and still only once per region
        insert = sa.text(
            "INSERT INTO intake.submission (region_code, sha256, file_name) VALUES "
            "(:r, repeat('a', 64), 'again.xlsx') ON CONFLICT DO NOTHING RETURNING id"
        )
        other_region = conn.execute(insert, {"r": "64.01"}).scalar()
        same_region = conn.execute(insert, {"r": "64.09"}).scalar()
    assert [tuple(r) for r in regions] == [("placed.xlsx", "64.09"), ("broken.xlsx", None)]
    assert other_region is not None and same_region is None
    engine.dispose()
