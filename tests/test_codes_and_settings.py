"""Pure logic: Kemendagri codes, settings, URL handling, migration discovery."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from smartcity.platform import db
from smartcity.platform.errors import DatabaseUnavailable, MigrationError
from smartcity.reference.codes import code_level, normalise_code
from tests.conftest import make_settings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("64.01", "64.01"),
        ("6401", "64.01"),
        ("640104", "64.01.04"),
        ("6401042012", "64.01.04.2012"),
        (" 64.01.04.2012 ", "64.01.04.2012"),
        ("64 01 04 2012", "64.01.04.2012"),
        (6401, "64.01"),
        ("64", "64"),
        ("6401011", None),  # a 7-digit BPS district code: another system
        ("64.1", None),
        ("Paser", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_code(raw, expected):
    assert normalise_code(raw) == expected


def test_code_level():
    assert [code_level(c) for c in ("64", "64.01", "64.01.04", "64.01.04.2012")] == [
        "province", "regency", "district", "village",
    ]  # fmt: skip


def test_settings_defaults_are_paser():
    settings = make_settings()
    assert settings.region_code == "64.01"
    assert settings.metric_crs == "EPSG:32750"
    assert settings.database_url is None


def test_settings_read_prefixed_environment_and_dotenv(monkeypatch, tmp_path):
    monkeypatch.setenv("SMARTCITY_REGION_CODE", "6409")
    (tmp_path / ".env").write_text("SMARTCITY_METRIC_CRS=EPSG:23835\nSMARTCITY_OUTPUT_DIR=/srv/out\n")
    monkeypatch.chdir(tmp_path)
    from smartcity.platform.settings import Settings

    settings = Settings()
    assert settings.region_code == "64.09"
    assert settings.metric_crs == "EPSG:23835"
    assert str(settings.output_dir) == "/srv/out"


def test_settings_refuse_a_village_code_as_region():
    with pytest.raises(ValidationError, match="not a regency code"):
        make_settings(region_code="64.01.04")


def test_database_url_is_secret_in_repr():
    settings = make_settings(database_url="postgresql://u:hunter2@db.example/x")
    assert "hunter2" not in repr(settings)


@pytest.mark.parametrize(
    "raw",
    ["postgres://u:p@h:5433/d", "postgresql://u:p@h:5433/d", "postgresql+psycopg://u:p@h:5433/d"],
)
def test_urls_use_psycopg3(raw):
    url = db.to_sqlalchemy_url(raw)
    assert url.drivername == "postgresql+psycopg"
    assert db.describe(url) == "h:5433 (database 'd', user 'u')"


def test_non_postgres_url_is_refused():
    with pytest.raises(DatabaseUnavailable, match="must be a PostgreSQL URL"):
        db.to_sqlalchemy_url("mysql://u:p@h/d")


def test_shipped_migrations_are_numbered_in_order():
    migrations = db.list_migrations()
    assert [m.version for m in migrations] == [f"{i:03d}" for i in range(1, len(migrations) + 1)]


def test_two_migrations_with_one_number_are_refused(tmp_path):
    (tmp_path / "001_a.sql").write_text("SELECT 1;")
    (tmp_path / "001_b.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match="two migrations numbered 001"):
        db.list_migrations(tmp_path)
