"""Worksheet intake through the real CLI and Prefect flow; properties over random worksheets."""

from __future__ import annotations

import csv

import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity.intake.load import ingest_file, load_gazetteer
from smartcity.reference.load import LoadOptions, load_reference
from tests.conftest import make_settings
from tests.helpers import DATA, REPO, latest_artifact, scalar

pytestmark = [pytest.mark.db, pytest.mark.e2e]

VILLAGES = DATA / "boundaries" / "paser_desa_kelurahan.geojson"
DEMO = REPO / "geodata" / "demo" / "worksheets"


def test_cli_ingest_runs_the_flow_on_the_demo_worksheets(cli, engine, tmp_path):
    assert cli("regions", "load", str(VILLAGES)).exit_code == 0
    result = cli("ingest", str(DEMO))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in DEMO.iterdir())
    assert len(files) == 8
    assert scalar(engine, "SELECT count(*) FROM intake.submission") == 8
    total = scalar(engine, "SELECT sum(rows_total) FROM intake.submission")
    placed = scalar(engine, "SELECT count(*) FROM core.issue")
    kept = scalar(engine, "SELECT count(*) FROM intake.rejected_row")
    skipped = scalar(engine, "SELECT count(*) FROM intake.skipped_row")  # headers, letterheads...
    assert 100 <= total <= 350 and placed + kept + skipped == total and kept > 0 and skipped > 0
    assert (
        f"8 files: {total} rows, {placed} loaded, {kept} rejected, {skipped} skipped, 0 files failed, 0 dup"
        in result.output
    )
    assert scalar(engine, "SELECT count(DISTINCT dimension) FROM core.issue") == 6
    assert scalar(engine, "SELECT count(*) FROM core.issue WHERE location_method = 'point'") > 0
    feedback = list((tmp_path / "output" / "feedback").glob("*_catatan_validasi.xlsx"))
    assert feedback, "agencies with rejected rows get their feedback file"
    # the planted mistakes (geodata/README.md), and only they, are rejected, each for its reason
    with engine.connect() as conn:
        rejected = conn.execute(
            sa.text(
                "SELECT s.file_name, r.row_number, array_to_string(r.reasons, ' | ') "
                "FROM intake.rejected_row r JOIN intake.submission s ON s.id = r.submission_id ORDER BY 1, 2"
            )
        ).all()
        warned = dict(
            conn.execute(
                sa.text(
                    "SELECT s.file_name || ':' || i.row_number, array_to_string(i.warnings, ' | ') "
                    "FROM core.issue i JOIN intake.submission s ON s.id = i.submission_id "
                    "WHERE i.warnings::text ~ '(village|code)'"
                )
            ).all()
        )
    assert [(f, n) for f, n, _ in rejected] == [
        ("dinas_kesehatan.xlsx", 7), ("dinas_pendidikan.xlsx", 14),
        ("dinas_pupr.xlsx", 10), ("diskominfostaper.xlsx", 11),
    ]  # fmt: skip
    reasons = [r for _, _, r in rejected]
    assert "'Kesehatan' is not a smart city dimension" in reasons[0]
    assert "description is empty" in reasons[1]
    assert "look swapped" in reasons[2] and "description is empty" in reasons[3]
    # an urgency that cannot be read never rejects a row: 3, with a warning
    with engine.connect() as conn:
        urgency = conn.execute(sa.text(
            "SELECT i.severity, array_to_string(i.warnings, ' | ') FROM core.issue i "
            "JOIN intake.submission s ON s.id = i.submission_id "
            "WHERE s.file_name = 'dinas_pendidikan.xlsx' AND i.row_number = 8")).one()  # fmt: skip
    assert urgency[0] == 3 and "'6' is not an urgency from 1 to 5: 3 assumed" in urgency[1]
    assert "'64.01.04.2099'" in warned["bappedalitbang.xlsx:13"]
    assert "'Desa Batu Kajan' -> 'Batu Kajang'" in warned["dinas_kesehatan.xlsx:14"]
    assert "'Desa Busui' is not in the named district" in warned["dinas_pariwisata.xlsx:11"]
    # the per-file summary is a Prefect table artifact: one row per file, placed by each method
    table = latest_artifact("intake-summary-64-01")
    assert sorted(r["file"] for r in table) == files
    assert sum(r["loaded"] for r in table) == placed and sum(r["rejected"] for r in table) == kept
    assert sum(r["by code"] + r["by point"] + r["by name"] + r["by district"] for r in table) == placed
    # the same inbox again: every file is a duplicate, nothing new
    again = cli("ingest", str(DEMO))
    assert again.exit_code == 0 and scalar(engine, "SELECT count(*) FROM core.issue") == placed
    assert "8 files: 0 rows, 0 loaded, 0 rejected, 0 skipped, 0 files failed, 8 duplicates" in again.output


def test_the_intake_summary_artifact_escapes_worksheet_text_and_replace_supersedes(cli, engine, tmp_path):
    assert cli("regions", "load", str(VILLAGES)).exit_code == 0
    path = tmp_path / "opd.csv"
    path.write_text("OPD;Uraian;Dimensi;Kecamatan\n<b onmouseover=x>Dinas</b>;Jalan rusak;Living;Kuaro\n")
    assert cli("ingest", str(path)).exit_code == 0
    (row,) = latest_artifact("intake-summary-64-01")
    assert row["agency"] == "&lt;b onmouseover=x&gt;Dinas&lt;/b&gt;" and row["by district"] == 1
    # a corrected file with --replace supersedes the agency's earlier submission
    fixed = tmp_path / "opd_v2.csv"
    fixed.write_text("OPD;Uraian;Dimensi;Kecamatan\n<b onmouseover=x>Dinas</b>;Jalan putus;Living;Kuaro\n")
    assert cli("ingest", "--replace", str(fixed)).exit_code == 0
    assert scalar(engine, "SELECT string_agg(description, ',') FROM core.issue") == "Jalan putus"
    assert scalar(engine, "SELECT count(*) FROM intake.submission WHERE status = 'superseded'") == 1


def test_cli_template_writes_the_worksheet_for_the_region(cli, tmp_path):
    assert cli("regions", "load", str(VILLAGES)).exit_code == 0
    out = tmp_path / "kertas_kerja.xlsx"
    result = cli("template", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert {"Petunjuk", "Data", "Referensi Wilayah"} <= set(book.sheetnames)
    # and a filled-in template is read back by the intake
    assert "Paser" in str(book["Data"]["A1"].value)


def test_cli_ingest_without_reference_geography_is_one_line(cli):
    result = cli("ingest", str(DEMO))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("error: no reference geography for 64.01")


CELL = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["Smart Living", "GOV", "Kesehatan", "3", "6", "tinggi", "Tanah Grogot", "Lolo",
                     "64.01.04.2005", "-1,91", "116,2", "<script>", "=1+1", "Kelemahan", ""]),
)  # fmt: skip
HEADERS = [
    "Uraian",
    "Dimensi",
    "Kategori",
    "Urgensi",
    "Kecamatan",
    "Desa",
    "Kode",
    "Lintang",
    "Bujur",
    "Tahun",
]


@pytest.fixture(scope="module")
def paser_db(pg_creds, template_db):
    """One database with Paser's villages for the property test (examples share it)."""
    from tests.conftest import create_database, db_url, drop_database

    create_database(pg_creds, "t_intake_property", template=template_db)
    engine = sa.create_engine(db_url(pg_creds, "t_intake_property"), poolclass=sa.pool.NullPool)
    load_reference(engine, VILLAGES, make_settings(), LoadOptions(regions=["64.01"]))
    yield engine, load_gazetteer(engine, "64.01")
    engine.dispose()
    drop_database(pg_creds, "t_intake_property")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=8))
def test_every_row_of_any_worksheet_lands_in_exactly_one_place(paser_db, tmp_path_factory, rows):
    engine, gazetteer = paser_db
    path = tmp_path_factory.mktemp("prop") / "random.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows([["" if c is None else c for c in r] for r in rows])
    result = ingest_file(engine, path, gazetteer)
    if result.status == "duplicate":
        return
    assert result.status in ("loaded", "partial", "failed")
    if result.status == "failed":
        assert "\n" not in result.error
        return
    with engine.connect() as conn:
        placed = (
            conn.execute(
                sa.text("SELECT row_number FROM core.issue WHERE submission_id = :s"),
                {"s": result.submission_id},
            )
            .scalars()
            .all()
        )
        kept = (
            conn.execute(
                sa.text("SELECT row_number FROM intake.rejected_row WHERE submission_id = :s"),
                {"s": result.submission_id},
            )
            .scalars()
            .all()
        )
        skipped = conn.execute(
            sa.text("SELECT count(*) FROM intake.skipped_row WHERE submission_id = :s"),
            {"s": result.submission_id},
        ).scalar()
    assert not set(placed) & set(kept)
    assert len(placed) + len(kept) + skipped == result.rows_total
    assert skipped == result.skipped
    assert (len(placed), len(kept)) == (result.accepted, result.rejected)
