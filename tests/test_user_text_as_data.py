"""No user text is ever code, and personal data is never published: one whole pipeline run, as users
run it (`smartcity regions load`, `ikn load`, `run` in subprocesses), with template payloads in every
user-controlled string at once (worksheet columns, agencies, file and sheet names, the boundary file's
names and attributes, the district names file, the IKN file, the roster, the scoring model's file
name) and an e-mail address and phone numbers planted as a Google Form would carry them.

Every output is then read the way its reader gets it (every file under the run's folder, zip members
of the document, workbooks and QGIS project, the GeoPackage's text, the agencies' feedback workbooks,
the Prefect artifacts, every relation the read-only role may select): each payload is there as written
(escaped as the format needs) and never evaluated; the personal data is in none of what others read.
"""

from __future__ import annotations

import csv
import json
import urllib.request
import zipfile
from pathlib import Path

import psycopg
import pytest

from tests.helpers import DATA, REPO, as_read, clean_env, run_cli

pytestmark = [pytest.mark.db, pytest.mark.e2e]

# payloads for Jinja (evaluated forms carry a marker: zqxw, QXIF), other engines, and unbalanced tags
EVALUATES_TO = {"{{ 'zq' ~ 'xw' }}": "zqxw", "{% if true %}QXIF{% endif %}": "QXIF"}
PAYLOADS = [*EVALUATES_TO, "{# c #}", "{{ 7*7 }}", "${7*7}", "#{7*7}", "{#", "{{", "{%"]
MARKERS = list(EVALUATES_TO.values())
EMAIL, PHONE, PHONE_IN_TEXT = "siti.rahma@contoh-opd.go.id", "0812-3456-7890", "0813 5555 1234"


def payload(i: int, what: str) -> str:
    """A name carrying payloads (each string holds several, so every class reaches every place)."""
    return f"{what} {PAYLOADS[i % len(PAYLOADS)]} {PAYLOADS[(i + 3) % len(PAYLOADS)]} {{#"


def boundary_file(folder: Path) -> tuple[Path, dict[str, str]]:
    """Paser's villages with three names carrying payloads and an extra attribute column of them."""
    collection = json.loads(
        (DATA / "boundaries" / "paser_desa_kelurahan.geojson").read_text(encoding="utf-8")
    )
    renamed = {}
    for i, feature in enumerate(collection["features"]):
        props = feature["properties"]
        props["catatan"] = payload(i, "atribut")
        if i < 3:
            props["nama"] = renamed[props["kode"]] = payload(i, f"Desa{i}")
    path = folder / "desa {{ 7*7 }}.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path, renamed


def worksheets(inbox: Path, codes: list[str]) -> None:
    """An XLSX with payload sheet names and cells, a CSV with payload file name, a Google-Form CSV."""
    from openpyxl import Workbook

    header = ["No", "Perangkat Daerah", "Uraian Permasalahan", "Dimensi", "Kategori", "Tingkat Urgensi",
              "Kode Wilayah", "Kecamatan", "Keterangan", "Catatan lain"]  # fmt: skip
    rows = [
        [i + 1, payload(i, "Dinas"), payload(i, f"Uraian {i}"), "Smart Living", "Kelemahan", 4,
         codes[i % len(codes)], None, payload(i + 1, "ket"), payload(i + 2, "lain")]
        for i in range(len(PAYLOADS))
    ] + [[99, "Dinas Ringkas", "Jalan rusak di ruas {# nomor 3", "Smart Economy", "Kelemahan", 3, None,
          "Tanah Grogot", None, None]]  # fmt: skip
    book = Workbook()
    for n, title in enumerate(["{{ 'zq' ~ 'xw' }} Living", "{% if true %}QXIF{% endif %}"]):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = title
        sheet.append(header)
        for row in rows[n::2]:
            sheet.append(row)
    book.save(inbox / "{# c #} dinas {{ 7*7 }}.xlsx")
    with open(inbox / "${7*7} #{7*7} opd.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    form = [["Timestamp", "Alamat email", "Nama Perangkat Daerah", "Nomor HP",
             "Uraian permasalahan / potensi", "Dimensi", "Kategori", "Kecamatan"],
            ["2026/11/02 9:14:03", EMAIL, "Dinas Sosial", PHONE,
             f"Bantuan belum merata, hubungi {PHONE_IN_TEXT} atau {EMAIL}", "Smart Society", "Kelemahan",
             "Long Ikis"]]  # fmt: skip
    with open(inbox / "formulir google.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(form)


@pytest.fixture(scope="module")
def published(pg_creds, template_db, prefect_server, tmp_path_factory):
    """One pipeline run over payload-laden inputs; the folders and database it left."""
    import sqlalchemy as sa

    from smartcity.reference.ikn_load import load_ikn
    from smartcity.reference.load import LoadOptions, load_reference
    from tests.conftest import create_database, db_url, drop_database, make_settings

    folder = tmp_path_factory.mktemp("payloads")
    name = "t_payloads_module"
    drop_database(pg_creds, name)
    create_database(pg_creds, name, template=template_db)
    boundaries, renamed = boundary_file(folder)
    districts = folder / "kecamatan {% if true %}QXIF{% endif %}.csv"
    districts.write_text("kode,nama\n64.01.01,Batu Sopang {{ 'zq' ~ 'xw' }}\n", encoding="utf-8")
    ikn = json.loads((REPO / "geodata" / "ikn_approx.geojson").read_text(encoding="utf-8"))
    for feature in ikn["features"]:
        feature["properties"]["name"] = payload(1, "IKN")
    ikn_path = folder / "ikn {{ 7*7 }}.geojson"
    ikn_path.write_text(json.dumps(ikn), encoding="utf-8")
    roster = folder / "roster.csv"
    roster.write_text(
        "name,short_name,aliases\n" + "".join(f'"{payload(i, "Dinas")}",D{i},\n' for i in range(4)),
        encoding="utf-8",
    )
    model = folder / "model {% if true %}QXIF{% endif %}.toml"
    model.write_text("version = 1\n[criteria]\npressure = 0.7\nikn = 0.3\nidm = 0\n", encoding="utf-8")
    inbox = folder / "inbox"
    inbox.mkdir()
    worksheets(inbox, list(renamed) + ["64.01.04.2005"])
    out = folder / "out"
    env = clean_env(
        SMARTCITY_DATABASE_URL=db_url(pg_creds, name, driver="postgresql"),
        SMARTCITY_STATE_DIR=str(folder / "state"),
        SMARTCITY_AGENCY_ROSTER=str(roster),
        SMARTCITY_SCORING_CONFIG=str(model),
        PREFECT_API_URL=prefect_server,
    )
    try:
        # the reference files through the functions `regions load` and `ikn load` run (their CLI is
        # tested elsewhere; each command would start a process), then the whole pipeline as users run it
        engine = sa.create_engine(db_url(pg_creds, name), poolclass=sa.pool.NullPool)
        options = LoadOptions(regions=["64.01"], names=districts)
        load_reference(engine, boundaries, make_settings(), options)
        load_ikn(engine, make_settings(), ikn_path)
        engine.dispose()
        done = run_cli("run", "--inbox", str(inbox), "--out", str(out), env=env, cwd=folder, timeout=600)
        assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-3000:])
        yield {"out": out, "run_output": done.stdout, "db": name, "renamed": renamed, "api": prefect_server}
    finally:
        drop_database(pg_creds, name)


def texts_of(path: Path) -> list[tuple[str, str]]:
    """(where, text) pairs a reader of ``path`` meets: the file, or each member of a zip; binary
    formats other than zip and SQLite (PNG) hold no text."""
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as archive:
            return [(f"{path.name}!{m}", archive.read(m).decode("utf-8", "replace"))
                    for m in archive.namelist() if not m.endswith((".png", ".jpg", ".jpeg"))]  # fmt: skip
    if path.suffix in (".png", ".jpg"):
        return []
    return [(path.name, data.decode("utf-8", "replace"))]


def outputs(published) -> list[tuple[str, str]]:
    found = []
    for path in sorted(p for p in published["out"].rglob("*") if p.is_file()):
        found += texts_of(path)
    return found


def artifacts(api: str) -> list[tuple[str, str]]:
    request = urllib.request.Request(
        f"{api}/artifacts/filter", data=json.dumps({"limit": 200}).encode(), method="POST",
        headers={"content-type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback test server
        return [(f"artifact {a['key']}", json.dumps(a["data"])) for a in json.load(response)]


def test_the_pipeline_ran_every_file_and_the_brace_row_published(published):
    assert "4 files" in published["run_output"] or "files" in published["run_output"]
    site = next(published["out"].glob("site/*/peta_prioritas.html"))
    assert "Jalan rusak di ruas {# nomor 3" in as_read(site.read_text(encoding="utf-8"))


def test_every_output_holds_each_payload_as_written_and_never_its_evaluation(published):
    everything = outputs(published) + artifacts(published["api"])
    kinds = {where.split("!")[0].rsplit(".", 1)[-1] for where, _ in everything}
    assert {"html", "csv", "geojson", "gpkg", "docx", "qgz", "xlsx", "json"} <= kinds, kinds
    seen = set()
    for where, text in everything:
        read = as_read(text)
        for item in sorted(PAYLOADS, key=len, reverse=True):
            if item in read:
                seen.add(item)
                read = read.replace(item, "")
        for marker in MARKERS:
            assert marker not in read, f"{where}: evaluated template ({marker})"
    assert seen == set(PAYLOADS)


def test_the_map_shows_every_kind_of_user_string_as_written(published):
    page = as_read(next(published["out"].glob("site/*/peta_prioritas.html")).read_text(encoding="utf-8"))
    for text in [*published["renamed"].values(), payload(0, "Uraian 0"), payload(1, "IKN"),
                 "model {% if true %}QXIF{% endif %}.toml", "Batu Sopang {{ 'zq' ~ 'xw' }}"]:  # fmt: skip
        assert text in page, text


def test_personal_data_is_in_no_published_output_and_no_relation_the_reader_can_select(published, pg_creds):
    planted = [EMAIL, PHONE, PHONE_IN_TEXT, "0812-3456", "siti.rahma"]
    for where, text in outputs(published) + artifacts(published["api"]):
        if "/feedback/" in where or where.startswith("formulir"):
            continue  # the agency's own file back to it
        for value in planted:
            assert value not in as_read(text), f"{value} in {where}"
    reader = pg_creds.url(reader=True).rsplit("/", 1)[0] + "/" + published["db"]
    with psycopg.connect(reader) as conn:
        relations = [r for (r,) in conn.execute(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname !~ '^pg_' AND "
            "n.nspname <> 'information_schema' AND has_table_privilege(c.oid, 'SELECT')"
        )]  # fmt: skip
        assert "mart.issue" in relations
        for relation in relations:
            rows = conn.execute(f"SELECT t::text FROM {relation} t").fetchall()  # noqa: S608 - catalogue names
            for (row,) in rows:
                for value in planted:
                    assert value not in row, f"{value} in {relation}"
        masked = conn.execute("SELECT description FROM mart.issue WHERE agency = 'Dinas Sosial'").fetchone()
    assert masked == ("Bantuan belum merata, hubungi [nomor telepon disamarkan] atau [surel disamarkan]",)


def test_the_agency_is_told_its_personal_columns_were_not_kept(published):
    from openpyxl import load_workbook

    (feedback,) = [p for p in published["out"].rglob("*.xlsx") if "formulir" in p.name]
    book = load_workbook(feedback, read_only=True)
    cells = [
        str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c
    ]
    assert "data pribadi (tidak disimpan)" in cells
    assert any("disamarkan sebelum disimpan" in c for c in cells)
