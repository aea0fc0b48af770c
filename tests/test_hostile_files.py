"""Issue 21: no single file can stop the intake, slow it to a crawl or write outside its folders.

Real files, real processes and a real PostGIS; each test first reproduces what broke.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from smartcity.intake.answer.feedback import write_feedback
from smartcity.intake.answer.reasons import Reason
from smartcity.intake.load import ingest_file, load_gazetteer, worksheet_files
from smartcity.intake.read.limits import ReadLimits
from smartcity.intake.read.worksheets import read_worksheet
from smartcity.platform.errors import InputError, one_line, printable
from smartcity.platform.files import write_text
from tests.helpers import DATA, clean_env, run_cli, scalar

VILLAGES = DATA / "boundaries" / "paser_desa_kelurahan.geojson"
HEADER = "Uraian Permasalahan;Dimensi;Kategori;Urgensi;Kode Wilayah;OPD\n"
ROW = "Jalan rusak;Smart Living;Kelemahan;4;64.01.04.2005;{agency}\n"


def csv_file(path: Path, rows: int = 3, agency: str = "Dinas Uji", extra: str = "") -> Path:
    path.write_text(HEADER + ROW.format(agency=agency) * rows + extra, encoding="utf-8")
    return path


@pytest.fixture
def paser(paser_reference):
    """Paser's villages in the test's database (a copy of their template) and its gazetteer."""
    return paser_reference, load_gazetteer(paser_reference, "64.01")


# -- 1. one cell stops everything ------------------------------------------------------------------
@pytest.mark.db
def test_an_agency_name_of_3000_characters_loads(paser, tmp_path):
    engine, gazetteer = paser
    long = csv_file(tmp_path / "panjang.csv", agency="Dinas " + "x" * 3000)
    result = ingest_file(engine, long, gazetteer)
    assert result.status == "loaded", result.line()
    assert (
        scalar(engine, "SELECT length(agency) FROM intake.submission WHERE id = :id", id=result.submission_id)
        > 3000
    )


@pytest.mark.db
def test_a_file_the_database_refuses_is_a_failed_submission_and_the_next_file_loads(paser, tmp_path):
    engine, gazetteer = paser
    with engine.begin() as conn:  # a real final error from the server (SQLSTATE 54000), for one file only
        conn.exec_driver_sql(
            "CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.file_name = 'ditolak.csv' AND NEW.status = 'received' THEN "
            "RAISE EXCEPTION 'index row size 3016 exceeds btree maximum' USING ERRCODE = '54000'; END IF; "
            "RETURN NEW; END $$; CREATE TRIGGER refuse BEFORE INSERT ON intake.submission "
            "FOR EACH ROW EXECUTE FUNCTION public.refuse()"
        )
    refused = ingest_file(engine, csv_file(tmp_path / "ditolak.csv"), gazetteer)
    good = ingest_file(engine, csv_file(tmp_path / "baik.csv", rows=4), gazetteer)
    assert refused.status == "failed" and "SQLSTATE 54000" in refused.error and "\n" not in refused.error
    assert (
        scalar(engine, "SELECT status FROM intake.submission WHERE id = :id", id=refused.submission_id)
        == "failed"
    )
    assert good.status == "loaded" and good.accepted == 4


# -- 7. unexpected errors leave a trace -----------------------------------------------------------
@pytest.mark.db
def test_utf16_without_bom_loads_and_a_reader_crash_is_a_failed_submission(paser, tmp_path, monkeypatch):
    engine, gazetteer = paser
    text = HEADER + ROW.format(agency="Dinas Uji") * 2
    utf16 = tmp_path / "unicode.csv"
    utf16.write_bytes(text.encode("utf-16-le"))  # Excel's "Unicode text" without its BOM
    assert ingest_file(engine, utf16, gazetteer).status == "loaded"

    def crash(path, limits, names=None):
        raise ValueError("boom\nwith a second line")

    monkeypatch.setattr("smartcity.intake.load.read_workbook", crash)  # a bug in the reader, not the DB
    result = ingest_file(engine, csv_file(tmp_path / "aneh.csv", rows=1), gazetteer)
    assert result.status == "failed" and result.submission_id is not None
    assert result.error == "aneh.csv: could not be read (ValueError: boom); please report it with the file"


@pytest.mark.db
def test_a_failed_file_sent_again_is_not_reported_as_loaded(paser, tmp_path):
    engine, gazetteer = paser
    empty = tmp_path / "kosong.csv"
    empty.write_text("")
    first = ingest_file(engine, empty, gazetteer)
    again = ingest_file(engine, empty, gazetteer)
    assert first.status == "failed" and first.not_loaded
    assert again.status == "duplicate" and again.earlier_status == "failed" and again.not_loaded
    assert "which failed (kosong.csv: the file is empty)" in again.line()


# -- 2. symbolic links and special files are never read or written through ------------------------
@pytest.mark.db
def test_links_and_special_files_in_the_inbox_are_refused_unread(paser, tmp_path):
    engine, gazetteer = paser
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    outside = csv_file(tmp_path / "outside.csv")
    (inbox / "link.csv").symlink_to(outside)
    (inbox / "passwd.csv").symlink_to("/etc/passwd")
    (inbox / "environ.txt").symlink_to("/proc/self/environ")
    os.mkfifo(inbox / "pipe.csv")
    files = worksheet_files([str(inbox)])
    assert len(files) == 4
    results = [ingest_file(engine, Path(f), gazetteer) for f in files]
    assert all(r.status == "failed" and r.submission_id is None for r in results)
    assert sum("symbolic link" in r.error for r in results) == 3
    assert any("not a regular file (a pipe)" in r.error for r in results)
    assert scalar(engine, "SELECT count(*) FROM intake.submission") == 0
    zero = ingest_file(engine, Path("/dev/zero"), gazetteer)  # `smartcity ingest /dev/zero` ran until killed
    assert zero.status == "failed" and "not a regular file (a character device)" in zero.error
    dev = tmp_path / "dev.csv"
    dev.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="symbolic link"):
        read_worksheet(dev)


def test_feedback_and_latest_page_replace_a_planted_link_and_leave_its_target(tmp_path):
    import pandas as pd

    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = tmp_path / "feedback"
    out.mkdir()
    (out / "x_catatan_validasi.xlsx").symlink_to(target)
    table = pd.DataFrame({"row_number": [2], "Uraian": ["a"]})
    written = write_feedback(
        out / "x_catatan_validasi.xlsx", table, ["Uraian"], {2: [Reason("missing_description")]}
    )
    assert target.read_text() == "keep me" and not written.is_symlink()
    sheet = openpyxl.load_workbook(written)["Data"]
    assert [c.value for c in sheet["A"]][-2:] == [
        "Catatan validasi",
        "Uraian permasalahan kosong: isi kolom -",
    ]
    (tmp_path / "latest.html").symlink_to(target)
    write_text(tmp_path / "latest.html", "<p>new</p>")
    assert target.read_text() == "keep me" and (tmp_path / "latest.html").read_text() == "<p>new</p>"
    assert oct((tmp_path / "latest.html").stat().st_mode & 0o777) == "0o644"


# -- 3. the feedback writer streams ---------------------------------------------------------------
def test_feedback_for_200000_rows_with_every_seventh_flagged_is_complete(tmp_path):
    """The streamed writer at scale: every flagged row and its note is there, with its row number, read
    back by calamine (a sheet this large is answered with its flagged rows only). Its cost, linear in the
    rows, is measured by bench/ingest.py: tests assert no timings."""
    import numpy as np
    import pandas as pd
    from python_calamine import CalamineWorkbook

    n = 200_000
    table = pd.DataFrame({"row_number": np.arange(2, n + 2), "Uraian": ["Jalan rusak"] * n, "OPD": ["D"] * n})
    findings = {int(k): [Reason("missing_description")] for k in range(2, n + 2, 7)}  # ~14 % flagged
    path = write_feedback(tmp_path / "f.xlsx", table, ["Uraian", "OPD"], findings)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    rows = rows[next(i for i, row in enumerate(rows) if row[0] == "Catatan validasi") :]  # under the key
    assert rows[0][:2] == ["Catatan validasi", "Baris asal"]
    assert [int(row[1]) for row in rows[1:]] == list(range(2, n + 2, 7))
    assert {row[0] for row in rows[1:]} == {"Uraian permasalahan kosong: isi kolom -"}


# -- 5. limits on what a spreadsheet expands to ---------------------------------------------------
def test_limits_refuse_rows_columns_cells_size_and_bombs_with_one_line(tmp_path):
    limits = ReadLimits(max_file_bytes=2_000_000, max_expanded_bytes=50_000_000, max_rows=100, max_columns=20,
                        max_cell_chars=1000)  # fmt: skip
    cases = {
        "rows.csv": (csv_file(tmp_path / "rows.csv", rows=150), "more than 100 rows"),
        "cols.csv": (tmp_path / "cols.csv", "columns, more than 20"),
        "cell.csv": (
            csv_file(tmp_path / "cell.csv", agency="x" * 5000),
            "row 2, column 'OPD': a cell of 5,000",
        ),
        "big.csv": (csv_file(tmp_path / "big.csv", rows=40_000), "over the limit of 2 MB"),
    }
    (tmp_path / "cols.csv").write_text(HEADER.rstrip("\n") + ";x" * 30 + "\n" + "a;b\n")
    for name, (path, expected) in cases.items():
        with pytest.raises(InputError, match=expected) as caught:
            read_worksheet(path, limits)
        assert "\n" not in str(caught.value) and "SMARTCITY_INTAKE_MAX_" in str(caught.value), name
    # a 100 MB cell in a workbook of about 100 KB: refused from the zip directory, before it is opened
    bomb = tmp_path / "bomb.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Uraian Permasalahan", "Dimensi"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
                                    + b"A" * 100_000_000 + b"</t></is></c></row></sheetData>")  # fmt: skip
            out.writestr(item, data)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(InputError, match="expands to 100 MB, over the limit of 50 MB"):
        read_worksheet(bomb, limits)


# -- 10. printed names are safe -------------------------------------------------------------------
def test_control_characters_are_escaped_for_the_terminal():
    assert printable("a\x1b]0;pwned\x07b.csv") == "a\\x1b]0;pwned\\x07b.csv"
    assert one_line("x\x1b[2J\ny") == "x\\x1b[2J y"
    assert printable("Dinas Kesehatan – é ✓") == "Dinas Kesehatan – é ✓"


# -- 4. a million issues publish within budget ----------------------------------------------------
def test_a_million_issues_make_a_page_within_budget():
    import geopandas as gpd

    from maps.web.priority_map import BudgetError, MapOptions, build_priority_map, check_budget, render
    from smartcity.platform.errors import PublishError
    from tests.test_maps import issues_in, map_data

    frame = gpd.read_file(VILLAGES).rename(columns={"kode": "code", "nama": "name"})
    frame["district_code"] = frame["code"].str[:8]
    villages = frame[["code", "name", "district_code", "geometry"]]
    page = render(
        build_priority_map(map_data(villages, issues_in(villages, 1_000_000)), MapOptions(offline=True))
    )
    assert check_budget(page, 1_000_000) < 25_000_000  # its time: bench/maps.py
    assert "IssueCountLayer" not in page or "circleMarker" in page
    with pytest.raises(BudgetError) as caught:
        check_budget("x" * 6_000_000, 10)
    assert isinstance(caught.value, PublishError) and "SMARTCITY_MAP_MARKER_LIMIT" in str(caught.value)


# -- 9 and 6. settings: one line naming the setting, never a traceback -----------------------------
BAD_SETTINGS = {
    "SMARTCITY_DATABASE_URL": ("", "is empty"),
    "SMARTCITY_REGIONS": ("notjson", "not a regency code"),
    "SMARTCITY_IKN_RINGS_KM": ("abc", "SMARTCITY_IKN_RINGS_KM"),
    "SMARTCITY_METRIC_CRS": ("EPSG:0", "not a known CRS"),
    "SMARTCITY_LOCAL_PG_PORT": ("70000", "less than or equal to 65535"),
    "SMARTCITY_CONNECT_TIMEOUT": ("-1", "greater than or equal to 1"),
    "SMARTCITY_TIMEZONE": ("Mars/Olympus", "unknown timezone"),
    "SMARTCITY_OUTPUT_DIR": ("", "is empty"),
    "SMARTCITY_STATE_DIR": ("", "is empty"),
}


@pytest.mark.parametrize("name", sorted(BAD_SETTINGS))
def test_a_bad_setting_is_one_line(name, tmp_path):
    value, expected = BAD_SETTINGS[name]
    done = run_cli("db", "url", env=clean_env(**{name: value}), cwd=tmp_path, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"error: setting {name}: ") and expected in line, line


def test_a_geographic_crs_is_refused_as_the_metric_crs(tmp_path):
    done = run_cli("ikn", "load", env=clean_env(SMARTCITY_METRIC_CRS="EPSG:4326"), cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "error: setting SMARTCITY_METRIC_CRS: EPSG:4326 (WGS 84) is not a projected CRS in metres: "
        "distances and areas need one, e.g. EPSG:32750 (UTM zone 50S)"
    )


def test_a_scoring_model_with_nan_or_negative_values_is_one_line(tmp_path):
    from smartcity.scoring.model import load_config

    for text, expected in (("criteria = { pressure = nan }", "criteria.pressure must be a finite number"),
                           ("criteria = { ikn = -1 }", "criteria.ikn must be at least 0.0"),
                           ("pressure = 3", "pressure must be a table"),
                           ("hotspots = { seed = -5 }", "hotspots.seed must be a whole number")):  # fmt: skip
        (tmp_path / "m.toml").write_text(text + "\n")
        with pytest.raises(InputError, match=expected):
            load_config(tmp_path / "m.toml")


# -- 7, 9 and 10 through the real CLI --------------------------------------------------------------
@pytest.mark.db
@pytest.mark.e2e
def test_cli_ingest_exits_1_when_a_file_failed_prints_no_traceback_and_escapes_names(cli, engine, tmp_path):
    assert cli("regions", "load", str(VILLAGES)).exit_code == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    csv_file(inbox / "baik.csv")
    (inbox / "kosong\x1b[2J.csv").write_text("")
    result = cli("ingest", str(inbox))
    assert result.exit_code == 1, result.output
    assert "kosong\\x1b[2J.csv" in result.output and "\x1b[2J" not in result.output
    assert "1 files failed" in result.output and "Traceback" not in result.output
    assert scalar(engine, "SELECT count(*) FROM intake.submission WHERE status = 'failed'") == 1
    again = cli("ingest", str(inbox / "kosong\x1b[2J.csv"))
    assert again.exit_code == 1 and "1 sent again after failing (not loaded)" in again.output


@pytest.mark.e2e
def test_an_input_error_inside_a_flow_prints_no_prefect_traceback(cli, engine, tmp_path):
    csv_file(tmp_path / "a.csv")
    result = cli("ingest", str(tmp_path / "a.csv"))  # no reference geography loaded: InputError in a task
    assert result.exit_code == 1
    assert "no reference geography for 64.01" in result.output and "Traceback" not in result.output


@pytest.mark.db
@pytest.mark.e2e
def test_killing_smartcity_ingest_takes_its_prefect_api_with_it(engine, tmp_path):
    import signal
    import subprocess
    import sys

    csv_file(tmp_path / "a.csv")
    env = clean_env(
        SMARTCITY_DATABASE_URL=engine.url.render_as_string(hide_password=False),
        SMARTCITY_STATE_DIR=str(tmp_path / "state"),
    )  # no PREFECT_API_URL: it starts its own
    cli = subprocess.Popen([sys.executable, "-m", "smartcity", "ingest", str(tmp_path / "a.csv")], env=env,
                           cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    api = None
    while api is None and time.monotonic() < deadline and cli.poll() is None:
        children = Path(f"/proc/{cli.pid}/task/{cli.pid}/children").read_text().split()
        api = next((int(c) for c in children if b"uvicorn" in _cmdline(int(c))), None)
        time.sleep(0.1)
    assert api is not None, "smartcity ingest started no Prefect API of its own"
    cli.send_signal(signal.SIGKILL)
    cli.wait()
    deadline = time.monotonic() + 30
    while _alive(api):
        if time.monotonic() > deadline:
            os.kill(api, signal.SIGKILL)
            pytest.fail("the Prefect API outlived the smartcity ingest that started it")
        time.sleep(0.2)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


assert sa  # imported for the helpers of other tests


# -- 8 and 2. published folders are readable by a web server; a planted link is replaced ------------
@pytest.mark.db
def test_a_published_run_is_0755_0644_and_latest_replaces_a_planted_link(demo, tmp_path):
    from maps.site import write_site
    from maps.web.priority_map import MapOptions
    from smartcity.scoring.model import load_config
    from smartcity.scoring.results import read_map_data
    from smartcity.scoring.runs import score_region

    score_region(demo, "64.01", load_config())
    target = tmp_path / "precious.html"
    target.write_text("keep me")
    site = tmp_path / "site"
    site.mkdir()
    (site / "latest.html").symlink_to(target)
    old_umask = os.umask(0o077)  # even a private umask publishes readable pages
    try:
        result = write_site(read_map_data(demo, "64.01"), site, MapOptions(offline=True))
    finally:
        os.umask(old_umask)
    assert target.read_text() == "keep me" and not (site / "latest.html").is_symlink()
    modes = {p.stat().st_mode & 0o777 for p in [result.folder, *result.folder.rglob("*")] if p.is_dir()}
    files = {p.stat().st_mode & 0o777 for p in result.folder.rglob("*") if p.is_file()}
    assert modes == {0o755} and files == {0o644}


# -- 8. the read-only role creates nothing --------------------------------------------------------
@pytest.mark.db
def test_the_reader_can_create_no_temporary_table_nor_schema(pg_creds, engine):
    import psycopg

    from smartcity.platform import db
    from tests.test_reader_role import reader_connection

    # database rights are not copied from a template database: apply 014 to this copy as a migration would
    (migration,) = [m for m in db.list_migrations() if m.version == "014"]
    with engine.begin() as conn:
        conn.exec_driver_sql(migration.sql)
    with reader_connection(pg_creds, engine) as conn:
        for statement in (
            "CREATE TEMP TABLE t (x int)",
            "CREATE SCHEMA mine",
            "CREATE TABLE public.t (x int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with engine.begin() as conn:  # the application keeps its temporary tables (scoring stages in them)
        conn.exec_driver_sql("CREATE TEMP TABLE stage (x int) ON COMMIT DROP")


def test_a_region_folder_that_is_a_link_is_listed_once_to_be_refused_not_followed(tmp_path):
    from smartcity.intake.inbox import inbox_files

    outside = tmp_path / "outside"
    outside.mkdir()
    csv_file(outside / "secret.csv")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "64.09").symlink_to(outside, target_is_directory=True)
    files = inbox_files(inbox, ["64.01", "64.09"], "64.01", tmp_path / "output")
    assert [(Path(f.path).name, f.region_code) for f in files] == [("64.09", "64.09")]
