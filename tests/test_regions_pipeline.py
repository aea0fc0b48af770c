"""Several regencies in one pipeline run, on their real public boundaries (Paser 64.01 and Penajam Paser
Utara 64.09, shipped in geodata/sources/cahyadsn_kel_64/), with the default task runner and
with Dask: each region keeps its own submissions, issues, scores, pages and run-log row, and Dask gives
the same mart as the default runner."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import create_database, db_url, drop_database
from tests.helpers import DATA, REPO, clean_env, run_cli, scalar

pytestmark = [pytest.mark.db, pytest.mark.e2e]

SOURCE = DATA / "cahyadsn_kel_64" / "wilayah_boundaries_kel_{region}.sql"
DEMO = REPO / "geodata" / "demo" / "worksheets"
HEADER = ["Uraian Permasalahan", "Dimensi", "Kategori", "Urgensi", "Kode Wilayah", "Desa", "OPD"]
# Penajam Paser Utara's villages by their official codes and names (public); the last row names a
# village of Paser, which is not a place of 64.09
PPU_ROWS = [
    ["Jalan poros rusak berat", "Smart Living", "Kelemahan", "5", "64.09.04.2004", "", "Dinas PUPR PPU"],
    ["Air bersih belum menjangkau", "Smart Living", "Kelemahan", "4", "64.09.04.1005", "", "Dinas PUPR PPU"],
    ["Potensi wisata mangrove", "Smart Branding", "Peluang", "3", "64.09.01.1004", "", "Dinas PUPR PPU"],
    ["Banjir musiman", "Smart Environment", "Ancaman", "4", "64.09.03.2001", "", "Dinas PUPR PPU"],
    ["Pasar desa sepi", "Ekonomi", "Kelemahan", "3", "", "Bumi Harapan", "Dinas PUPR PPU"],
    ["Puskesmas jauh", "Smart Living", "Kelemahan", "3", "64.01.04.2005", "", "Dinas PUPR PPU"],
]


@pytest.fixture
def inbox(tmp_path) -> Path:
    """The demo worksheets for the home region, a 64.09 sub-folder, and one file sent to both."""
    folder = tmp_path / "inbox"
    shutil.copytree(DEMO, folder)
    (folder / "64.09").mkdir()
    for target, agency in ((folder / "64.09" / "dinas_pupr_ppu.csv", "Dinas PUPR PPU"),
                           (folder / "provinsi_bersama.csv", "Bappeda Provinsi")):  # fmt: skip
        with open(target, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(HEADER)
            writer.writerows([*row[:-1], agency] for row in PPU_ROWS)
    shutil.copy(folder / "provinsi_bersama.csv", folder / "64.09" / "provinsi_bersama.csv")
    return folder


def mart(engine) -> list[tuple]:
    """Every region's latest village scores, without the run ids (which differ between runs)."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "SELECT left(code, 5), code, round(score::numeric, 6), rank, priority_class, p_top, hotspot, "
            "issue_count FROM mart.village_priority ORDER BY code"
        ))]  # fmt: skip


def test_two_regions_in_one_run_stay_apart_and_dask_gives_the_same_mart(
    cli, engine, inbox, pg_creds, tmp_path
):
    regions = ["--region", "64.01", "--region", "64.09"]
    first = cli("run", "--inbox", str(inbox), *regions, SMARTCITY_REFERENCE_SOURCE=str(SOURCE))
    assert first.exit_code == 0, first.output
    assert "reference geography: loaded 144 villages from wilayah_boundaries_kel_64.01.sql" in first.output
    assert "reference geography: loaded 54 villages from wilayah_boundaries_kel_64.09.sql" in first.output
    pages = [line.removeprefix("open: ") for line in first.output.splitlines() if line.startswith("open: ")]
    assert len(set(pages)) == 2

    with engine.connect() as conn:
        submissions = dict(conn.execute(sa.text(
            "SELECT region_code, count(*) FROM intake.submission GROUP BY 1")).all())  # fmt: skip
        issues = dict(conn.execute(sa.text(
            "SELECT s.region_code || ' ' || left(i.district_code, 5), count(*) FROM core.issue i "
            "JOIN intake.submission s ON s.id = i.submission_id GROUP BY 1")).all())  # fmt: skip
        scored = dict(conn.execute(sa.text(
            "SELECT r.region_code, count(*) FROM mart.scoring_run r JOIN mart.priority_history h "
            "USING (run_id) WHERE h.level = 'village' GROUP BY 1")).all())  # fmt: skip
        runs = conn.execute(sa.text("SELECT id, region_code, outcome FROM smartcity.pipeline_run")).all()
    # the file sent to both regions is a submission of each: each keeps its own places and rejects the
    # other's (64.01 keeps the Paser row; 64.09 keeps five rows, the name one placed in Sepaku)
    assert submissions == {"64.01": 9, "64.09": 2}
    assert issues == {"64.01 64.01": 196 + 1, "64.09 64.09": 5 + 5}
    assert scored == {"64.01": 144, "64.09": 54}
    assert {r.region_code for r in runs} == {"64.01", "64.09"} and len({r.id for r in runs}) == 1
    assert {r.outcome for r in runs} == {"completed"}
    # both regencies' districts carry their official names (the shipped Kaltim code list), no placeholder
    with engine.connect() as conn:
        districts = dict(conn.execute(sa.text("SELECT code, name FROM ref.district")).all())
        regencies = dict(conn.execute(sa.text("SELECT code, name FROM ref.regency")).all())
    assert len(districts) == 14 and not [n for n in districts.values() if n.startswith("Kecamatan ")]
    assert [districts[f"64.09.0{i}"] for i in range(1, 5)] == ["Penajam", "Waru", "Babulu", "Sepaku"]
    assert districts["64.01.04"] == "Tanah Grogot" and districts["64.01.03"] == "Paser Belengkong"
    assert regencies == {"64.01": "Paser", "64.09": "Penajam Paser Utara"}
    assert "placeholder names used" not in first.output
    assert scalar(engine, "SELECT village_code FROM core.issue WHERE description = 'Pasar desa sepi' "
                          "AND left(district_code, 5) = '64.09' LIMIT 1") == "64.09.04.2004"  # fmt: skip
    assert scalar(engine, "SELECT count(*) FROM intake.rejected_row r JOIN intake.submission s ON "
                          "s.id = r.submission_id WHERE s.region_code = '64.09'") == 2  # fmt: skip
    # each region's report lists its own files only; feedback mirrors the inbox folders
    report_ppu = next(Path(p) for p in pages if "dinas_pupr_ppu.csv" in Path(p).read_text(encoding="utf-8"))
    assert "dlh.csv" not in report_ppu.read_text(encoding="utf-8")
    assert (tmp_path / "output" / "feedback" / "64.09" / "dinas_pupr_ppu_catatan_validasi.xlsx").is_file()
    assert (tmp_path / "output" / "feedback" / "provinsi_bersama_catatan_validasi.xlsx").is_file()

    again = cli("run", "--inbox", str(inbox), *regions, SMARTCITY_REFERENCE_SOURCE=str(SOURCE))
    assert again.exit_code == 0, again.output
    assert again.output.count("nothing changed since scoring run") == 2

    # the same inbox through the Dask task runner (2 local worker processes, a real `smartcity run`
    # process with its own local Prefect server), into a fresh database: the same mart
    name = f"{engine.url.database}_dask"
    create_database(pg_creds, name, template="smartcity_template")
    dask_engine = sa.create_engine(db_url(pg_creds, name), poolclass=sa.pool.NullPool)
    try:
        env = clean_env(
            SMARTCITY_DATABASE_URL=db_url(pg_creds, name, driver="postgresql"),
            SMARTCITY_STATE_DIR=str(tmp_path / "dask_state"), SMARTCITY_OUTPUT_DIR=str(tmp_path / "dask_out"),
            SMARTCITY_REFERENCE_SOURCE=str(SOURCE), SMARTCITY_DASK_WORKERS="2",
        )  # fmt: skip
        done = run_cli("run", "--inbox", str(inbox), *regions, "--task-runner", "dask",
                       env=env, cwd=tmp_path, timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "local Prefect server for the Dask workers: http://127.0.0.1:" in done.stdout
        assert "Error logging to API" not in done.stdout + done.stderr
        assert mart(dask_engine) == mart(engine)
        assert len(mart(engine)) == 144 + 54
        # the workers reported their task runs to the run's own Prefect server, in the project's history
        with sqlite3.connect(tmp_path / "dask_state" / "prefect" / "prefect.db") as prefect_db:
            ingested = prefect_db.execute(
                "SELECT state_type, count(*) FROM task_run WHERE name LIKE 'ingest-%' GROUP BY 1"
            ).fetchall()
            on_workers = prefect_db.execute(
                "SELECT message FROM log WHERE message LIKE '%(on Dask worker tcp://%'"
            ).fetchall()
        assert ingested == [("COMPLETED", 11)]
        # ... and ran on the Dask workers, not in the flow's process
        assert len([m for (m,) in on_workers if " loaded, " in m]) == 11
        assert any(m.startswith("64.09: scored 54 villages") for (m,) in on_workers)
    finally:
        dask_engine.dispose()
        drop_database(pg_creds, name)

    # a region whose scoring fails (here: the database refuses its scoring run) does not stop the
    # other: 64.01 scores its new worksheet and publishes, 64.09 keeps its last scores, the run fails
    # naming 64.09, and each region's outcome is in the run log
    for folder, row in ((inbox, PPU_ROWS[5]), (inbox / "64.09", PPU_ROWS[0])):
        with open(folder / "susulan.csv", "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, delimiter=";").writerows([HEADER, row])
    with engine.begin() as conn:
        conn.execute(sa.text(
            "CREATE FUNCTION pg_temp_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.region_code = '64.09' THEN RAISE EXCEPTION 'no scoring for 64.09 today'; END IF; "
            "RETURN NEW; END $$"))  # fmt: skip
        conn.execute(sa.text("CREATE TRIGGER refuse BEFORE INSERT ON mart.scoring_run "
                             "FOR EACH ROW EXECUTE FUNCTION pg_temp_refuse()"))  # fmt: skip
    third = cli("run", "--inbox", str(inbox), *regions, SMARTCITY_REFERENCE_SOURCE=str(SOURCE))
    assert third.exit_code == 1
    last = third.output.strip().splitlines()[-1]
    assert last.startswith("error: 64.09: ") and "no scoring for 64.09 today" in last, last
    assert last.endswith("(completed: 64.01)")
    with engine.connect() as conn:
        outcomes = dict(conn.execute(sa.text(
            "SELECT region_code, outcome FROM smartcity.pipeline_run WHERE id = "
            "(SELECT id FROM smartcity.pipeline_run ORDER BY started_at DESC LIMIT 1)")).all())  # fmt: skip
        scoring_runs = dict(conn.execute(sa.text(
            "SELECT region_code, count(*) FROM mart.scoring_run GROUP BY 1")).all())  # fmt: skip
    assert outcomes == {"64.01": "completed", "64.09": "failed"}
    assert scoring_runs == {"64.01": 2, "64.09": 1}
    assert len(list((tmp_path / "output" / "site").glob("*/index.html"))) == 3
