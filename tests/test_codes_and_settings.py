"""Pure logic: Kemendagri codes, settings, URL handling, migration discovery."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from smartcity.platform import db
from smartcity.platform.errors import DatabaseUnavailable, MigrationError
from smartcity.platform.vocabulary import broken_code, code_level, normalise_code
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
        (6401042012, "64.01.04.2012"),  # typed as a number
        (6401042012.0, "64.01.04.2012"),  # ... and read as a float
        ("6401042012.0", "64.01.04.2012"),
        ("6401.0", "64.01"),
        ("6.401.042.012", "64.01.04.2012"),  # an Indonesian spreadsheet's thousands separators
        ("6,401,042,012", "64.01.04.2012"),
        ("6.401042012E+09", "64.01.04.2012"),  # scientific notation that kept every digit
        ("6,401042012e9", "64.01.04.2012"),
        ("6,40103E+09", None),  # ... and that lost some: see broken_code
        ("6.4010420123E+09", None),  # not a whole number
        ("640104201", None),  # 9 digits: no code loses a leading zero (provinces are 11 to 94)
        (640104201, None),
        ("640.104", None),  # thousands separators only for a full village code
        ("64.0", None),
        ("64.1", None),
        ("Paser", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_code(raw, expected):
    assert normalise_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "broken"),
    [
        ("6,40103E+09", True),  # a village code of 64.01.03 as a spreadsheet shows it, decimal comma
        ("6.40103E+09", True),
        ("6.401042E9", True),
        (" 6,40104E+09 ", True),
        ("6E+09", True),
        ("6.4E+03", True),  # a regency code rounded
        ("6.401042012E+09", False),  # every digit kept: normalise_code reads it
        ("1.5E+02", False),  # three digits: no code has three
        ("6.4010420123E+09", False),
        ("6401042012", False),
        ("6401042012.0", False),
        ("64.01.04.2012", False),
        ("Paser", False),
        ("", False),
        (None, False),
        (6.40103e9, False),  # a float cell: the rounded number itself, refused as an unknown code
    ],
)
def test_broken_code_recognises_a_code_rounded_by_scientific_notation(raw, broken):
    assert broken_code(raw) is broken
    if broken:
        assert normalise_code(raw) is None


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
