"""Worksheet intake into PostGIS: given these files, these rows land, these are kept with reasons, why."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import psycopg
import pytest
import sqlalchemy as sa

from smartcity.intake.load import ingest_file, load_gazetteer, worksheet_files
from tests.helpers import DATA, scalar

pytestmark = pytest.mark.db

VILLAGES = DATA / "boundaries" / "paser_desa_kelurahan.geojson"
HEADER = [
    "No", "Perangkat Daerah", "Dimensi", "Kategori (SWOT)", "Uraian Permasalahan", "Tingkat Urgensi",
    "Kecamatan", "Desa/Kelurahan", "Kode Wilayah", "Lintang", "Bujur", "Tahun", "Keterangan",
]  # fmt: skip


@pytest.fixture
def paser(paser_reference):
    """Paser's villages in the test's database (a copy of their template) and its gazetteer."""
    return paser_reference, load_gazetteer(paser_reference, "64.01")


def xlsx(
    path: Path, rows: list[list], *, title: str | None = "Kertas Kerja Smart City", agency: str | None = None
):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    if title:
        sheet.append([title])
        sheet.merge_cells("A1:F1")
    if agency:
        sheet.append([f"Perangkat Daerah: {agency}"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:  # text that looks like a formula was typed as text (as Excel's '= does)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    book.save(path)
    return path


def row(n, dim="Smart Living", swot="Kelemahan", text="Jalan rusak", urg=3, kec="Tanah Grogot", desa=None,
        code=None, lat=None, lon=None, year=2025, note=None, agency=None):  # fmt: skip
    return [n, agency, dim, swot, text, urg, kec, desa, code, lat, lon, year, note]


def where(engine, file_name: str) -> dict[int, tuple]:
    """row number -> ('issue', method, village, district) or ('rejected', reasons)."""
    with engine.connect() as conn:
        issues = conn.execute(
            sa.text(
                "SELECT i.row_number, i.location_method, i.village_code, i.district_code FROM core.issue i "
                "JOIN intake.submission s ON s.id = i.submission_id WHERE s.file_name = :f"
            ),
            {"f": file_name},
        ).all()
        rejected = conn.execute(
            sa.text(
                "SELECT r.row_number, r.reasons FROM intake.rejected_row r "
                "JOIN intake.submission s ON s.id = r.submission_id WHERE s.file_name = :f"
            ),
            {"f": file_name},
        ).all()
    found = {n: ("issue", m, v, d) for n, m, v, d in issues}
    for n, reasons in rejected:
        assert n not in found, f"row {n} is both loaded and rejected"
        found[n] = ("rejected", reasons)
    return found


def test_every_row_ends_in_exactly_one_place(paser, tmp_path):
    engine, gazetteer = paser
    path = xlsx(tmp_path / "dinkes.xlsx", [
        row(1, code="64.01.04.2005"),                                   # by code (row 4 in the sheet)
        row(2, kec="Long Ikis", desa="Muara Adang"),                    # by name: not Muara Adang II
        row(3, kec="Tanah Grogot", desa=None),                          # district only
        row(4, dim="Kesehatan"),                                        # invalid dimension
        row(5, dim="?", text=""),                                       # two problems, both kept
        [None] * 13,                                                    # blank row: skipped
        row(7, kec=None, lat="-1,9125", lon="116,2010"),                # point, decimal commas
    ], agency="Dinas Kesehatan")  # fmt: skip
    result = ingest_file(engine, path, gazetteer)
    # rows seen: the title row, the agency line and the header (skipped), then six data rows
    assert (result.status, result.rows_total, result.accepted, result.rejected, result.skipped) == (
        "partial", 9, 4, 2, 3,
    )  # fmt: skip
    assert result.agency == "Dinas Kesehatan"
    places = where(engine, "dinkes.xlsx")
    first = 4  # title row, agency line, header, then data
    assert places[first][:3] == ("issue", "code", "64.01.04.2005")
    method, village = places[first + 1][1:3]
    assert method == "name" and village.startswith("64.01.06.")  # Muara Adang lies in Long Ikis (64.01.06)
    assert places[first + 2] == ("issue", "district", None, "64.01.04")
    assert places[first + 3][0] == "rejected" and "Kesehatan" in places[first + 3][1][0]
    assert places[first + 4][0] == "rejected" and len(places[first + 4][1]) == 2
    assert first + 5 not in places  # the blank row
    assert places[first + 6][1] == "point"
    assert len(places) == 6


def test_a_worksheet_of_traps_lands_row_by_row_where_it_should(paser, tmp_path):
    """Look-alike names, a village in the wrong district, an unknown village, swapped and far points,
    hostile and formula text: every row lands exactly where the rules say, as a worksheet in PostGIS."""
    engine, gazetteer = paser
    items = [
        (dict(kec="Long Kali", desa="Mendik"), ("issue", "name", "64.01.08.2005", "64.01.08")),
        (dict(kec="Long Kali", desa="Mendik Makmur"), ("issue", "name", "64.01.08.2013", "64.01.08")),
        (dict(kec="Long Ikis", desa="Muara Adang"), ("issue", "name", "64.01.06.2002", "64.01.06")),
        (dict(kec="Long Kali", desa="Muara Adang II"), ("issue", "name", "64.01.08.2020", "64.01.08")),
        (dict(kec="Batu Engau", desa="Kerang"), ("issue", "name", "64.01.09.2001", "64.01.09")),
        (dict(kec="Batu Engau", desa="Kerang Dayo"), ("issue", "name", "64.01.09.2009", "64.01.09")),
        (dict(kec="Paser Belengkong", desa="Suliliran"), ("issue", "name", "64.01.03.2005", "64.01.03")),
        (dict(kec="Paser Belengkong", desa="Suliliran Baru"), ("issue", "name", "64.01.03.2009", "64.01.03")),
        (dict(kec="Kuaro", desa="Kuaro"), ("issue", "name", "64.01.05.1001", "64.01.05")),  # shares its name
        (
            dict(kec="Long Kali", desa="Muara Adang"),
            ("issue", "district", None, "64.01.08"),
        ),  # wrong district
        (dict(kec="Kuaro", desa="Desa Antah Berantah"), ("issue", "district", None, "64.01.05")),  # not found
        (dict(kec=None, desa="Desa Antah Berantah"), ("rejected", "no village named")),
        (dict(kec="Kuaro", lat="116,193", lon="-1,9065"), ("rejected", "look swapped")),
        (dict(kec="Kuaro", lat=-0.5, lon=117.15), ("rejected", "outside the region")),
        (dict(text='<script>alert("x")</script>'), ("issue", "district", None, "64.01.04")),
        (dict(text="=1+1", note="@SUM(A1)"), ("issue", "district", None, "64.01.04")),
    ]
    path = xlsx(tmp_path / "traps.xlsx", [row(n, **kw) for n, (kw, _) in enumerate(items, start=1)])
    result = ingest_file(engine, path, gazetteer)
    places = where(engine, "traps.xlsx")
    first = 3  # title row, header, then data
    assert len(places) == len(items)
    for k, (_, expected) in enumerate(items):
        found = places[first + k]
        if expected[0] == "issue":
            assert found == expected, (k, found)
        else:
            assert found[0] == "rejected" and expected[1] in " ".join(found[1]), (k, found)
    assert (result.accepted, result.rejected, result.warnings) == (13, 3, 2)
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT description, notes FROM core.issue WHERE row_number >= :n ORDER BY row_number"),
            {"n": first + 14},
        ).all()
    assert [tuple(r) for r in stored] == [('<script>alert("x")</script>', None), ("=1+1", "@SUM(A1)")]


def test_nothing_is_lost_raw_values_and_all_reasons_are_kept(paser, tmp_path):
    engine, gazetteer = paser
    hostile = '<img src=x onerror=alert(1)> </script> `x` "q"'
    path = xlsx(tmp_path / "dlh.xlsx", [row(1, text=hostile, note="=HYPERLINK(\"http://x\")"),
                                        row(2, dim="?", urg="sangat sangat", text="")])  # fmt: skip
    ingest_file(engine, path, gazetteer)
    with engine.connect() as conn:
        description, notes, raw = conn.execute(
            sa.text("SELECT description, notes, raw FROM core.issue")
        ).one()
        reasons, rejected_raw = conn.execute(sa.text("SELECT reasons, raw FROM intake.rejected_row")).one()
    assert description == hostile  # stored as written; escaped where it is shown
    assert notes == '=HYPERLINK("http://x")'
    # an accepted row keeps the columns that were not mapped (its mapped ones are the typed columns)
    assert raw == {"No": "1"}
    assert len(reasons) == 3  # dimension, urgency, description: all of them
    assert rejected_raw["Dimensi"] == "?" and rejected_raw["Tingkat Urgensi"] == "sangat sangat"
    assert rejected_raw["No"] == "2" and rejected_raw["Kecamatan"] == "Tanah Grogot"


def test_the_same_file_twice_is_a_duplicate(paser, tmp_path):
    engine, gazetteer = paser
    path = xlsx(tmp_path / "pupr.xlsx", [row(1), row(2)])
    first = ingest_file(engine, path, gazetteer)
    copy = tmp_path / "pupr_copy.xlsx"
    copy.write_bytes(path.read_bytes())
    second = ingest_file(engine, copy, gazetteer)
    assert second.status == "duplicate" and second.submission_id == first.submission_id
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM core.issue")).scalar() == 2
        assert conn.execute(sa.text("SELECT count(*) FROM intake.submission")).scalar() == 1


def test_an_unreadable_file_fails_alone(paser, tmp_path):
    engine, gazetteer = paser
    good = xlsx(tmp_path / "good.xlsx", [row(1)])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    results = [ingest_file(engine, p, gazetteer) for p in (broken, empty, good)]
    assert [r.status for r in results] == ["failed", "failed", "loaded"]
    for result in results[:2]:
        assert "\n" not in result.error and result.file_name in result.error
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT file_name, status, error IS NOT NULL FROM intake.submission ORDER BY id")
        ).all()
    assert rows == [
        ("broken.xlsx", "failed", True),
        ("empty.csv", "failed", True),
        ("good.xlsx", "loaded", False),
    ]


def test_replace_swaps_an_agencys_rows_and_keeps_history(paser, tmp_path):
    engine, gazetteer = paser
    first = ingest_file(engine, xlsx(tmp_path / "v1.xlsx", [row(1), row(2), row(3)], agency="DLH"), gazetteer)
    other = ingest_file(engine, xlsx(tmp_path / "x.xlsx", [row(1)], agency="Dinas PUPR"), gazetteer)
    # without --replace, a new version adds its rows
    ingest_file(engine, xlsx(tmp_path / "v2.xlsx", [row(1, text="A")], agency="DLH"), gazetteer)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM core.issue WHERE agency = 'DLH'")).scalar() == 4
    third = ingest_file(engine, xlsx(tmp_path / "v3.xlsx", [row(1, text="B")], agency="DLH"), gazetteer,
                        replace=True)  # fmt: skip
    assert third.superseded == 2
    with engine.connect() as conn:
        texts = (
            conn.execute(sa.text("SELECT description FROM core.issue WHERE agency = 'DLH'")).scalars().all()
        )
        statuses = dict(conn.execute(sa.text("SELECT id, status FROM intake.submission")).all())
    assert texts == ["B"]
    assert statuses[first.submission_id] == "superseded" and statuses[other.submission_id] == "loaded"


def test_replace_matches_the_agency_without_case_or_spaces_and_never_with_nothing_to_load(paser, tmp_path):
    engine, gazetteer = paser
    first = ingest_file(
        engine, xlsx(tmp_path / "v1.xlsx", [row(1), row(2)], agency="Dinas Kesehatan"), gazetteer
    )
    # a "correction" in which no row can be used must not erase the agency's earlier rows
    empty = ingest_file(engine, xlsx(tmp_path / "v2.xlsx", [row(1, dim="?")], agency="Dinas Kesehatan"),
                        gazetteer, replace=True)  # fmt: skip
    assert (empty.status, empty.accepted, empty.superseded) == ("partial", 0, 0)
    assert "nothing replaced" in empty.line()
    # the operator reads it in the submission too
    note = scalar(engine, "SELECT error FROM intake.submission WHERE id = :i", i=empty.submission_id)
    assert note == "nothing replaced: no row of this file could be used, earlier rows kept"
    # the same agency typed otherwise is still the same agency
    fixed = ingest_file(engine, xlsx(tmp_path / "v3.xlsx", [row(1, text="B")], agency=" DINAS  kesehatan"),
                        gazetteer, replace=True)  # fmt: skip
    assert fixed.superseded == 2  # v1 and the empty v2
    with engine.connect() as conn:
        texts = conn.execute(sa.text("SELECT description FROM core.issue")).scalars().all()
        status = conn.execute(
            sa.text("SELECT status FROM intake.submission WHERE id = :i"), {"i": first.submission_id}
        ).scalar()
    assert (texts, status) == (["B"], "superseded")


def test_feedback_file_for_the_agency(paser, tmp_path):
    engine, gazetteer = paser
    path = xlsx(tmp_path / "dispar.xlsx", [row(1), row(2, dim="Pariwisata")])
    result = ingest_file(engine, path, gazetteer, feedback_dir=tmp_path / "out")
    book = openpyxl.load_workbook(result.feedback_file)
    sheet = book["Data"]
    head = next(c.row for c in sheet["A"] if c.value == "Catatan validasi")  # under what to do and the key
    assert book.sheetnames[0] == "Data" and [c.value for c in sheet[head]][:2] == [
        "Catatan validasi",
        "Baris asal",
    ]
    notes = [r[0] for r in sheet.iter_rows(min_row=head + 1, values_only=True)]
    assert notes[0] == "OK" and "Pariwisata" in notes[1] and "dimensi" in notes[1].lower()


def test_windows_1252_semicolon_csv(paser, tmp_path):
    engine, gazetteer = paser
    path = tmp_path / "dishub.csv"
    with open(path, "w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Uraian Masalah", "Dimensi", "Urgensi", "Kecamatan", "Desa", "OPD"])
        writer.writerow(
            ["Terminal kurang terawat — café", "Smart Economy", "tinggi", "Tanahgrogot", "", "Dishub"]
        )
        writer.writerow(["Halte rusak", "ECONOMY", "2", "Longikis", "Desa Long Ikis", "Dishub"])
    result = ingest_file(engine, path, gazetteer)
    assert (result.accepted, result.rejected) == (2, 0), result
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT description, severity, district_code FROM core.issue ORDER BY row_number")
        ).all()
    assert rows[0] == ("Terminal kurang terawat — café", 4, "64.01.04")
    assert rows[1][2] == "64.01.06"


def test_folders_are_searched_for_every_file_to_answer(tmp_path):
    """Every file of a folder is answered (read, or refused with why), whatever its kind; lock files,
    hidden files, file managers' files and sub-folders are not submissions."""
    (tmp_path / "a.xlsx").write_bytes(b"x")
    (tmp_path / "b.csv").write_text("x")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    (tmp_path / "notes.docx").write_bytes(b"x")
    (tmp_path / "foto.jpg").write_bytes(b"x")
    (tmp_path / ".hidden.xlsx").write_bytes(b"x")
    (tmp_path / "Thumbs.db").write_bytes(b"x")
    (tmp_path / "arsip").mkdir()
    listed = [Path(p).name for p in worksheet_files([str(tmp_path)])]
    assert listed == ["a.xlsx", "b.csv", "foto.jpg", "notes.docx"]


def test_a_word_worksheet_a_photo_and_a_scan_are_each_answered_in_postgis(paser, tmp_path):
    """#27: an inbox of a Word worksheet, a photo of a printed sheet and a scanned PDF: every file has its
    submission, the Word rows are loaded, the others failed with their reason in Indonesian."""
    import docx

    from tests.test_worksheets_read_like_a_person import _blank_pdf

    engine, gazetteer = paser
    document = docx.Document()
    document.add_paragraph("Perangkat Daerah: Dinas Perhubungan")
    table = document.add_table(rows=3, cols=4)
    for i, cells in enumerate([["Uraian Permasalahan", "Dimensi", "Kecamatan", "Urgensi"],
                               ["Terminal belum punya papan informasi", "Smart Living", "Tanah Grogot", "4"],
                               ["Halte rusak di depan pasar", "Smart Living", "Kuaro", "3"]]):  # fmt: skip
        for j, text in enumerate(cells):
            table.cell(i, j).text = text
    document.save(tmp_path / "dishub.docx")
    (tmp_path / "foto.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    (tmp_path / "pindaian.pdf").write_bytes(_blank_pdf())
    results = {p.name: ingest_file(engine, p, gazetteer) for p in map(Path, worksheet_files([str(tmp_path)]))}
    assert set(results) == {"dishub.docx", "foto.jpg", "pindaian.pdf"}
    with engine.connect() as conn:
        stored = dict(conn.execute(sa.text("SELECT file_name, status FROM intake.submission")).all())
        errors = dict(conn.execute(sa.text("SELECT file_name, error FROM intake.submission")).all())
    assert stored == {"dishub.docx": "loaded", "foto.jpg": "failed", "pindaian.pdf": "failed"}
    assert (results["dishub.docx"].accepted, results["dishub.docx"].agency) == (2, "Dinas Perhubungan")
    assert "kirim berkas Excel atau Word" in errors["foto.jpg"]
    assert "PDF hasil pindai" in errors["pindaian.pdf"]


def test_raw_json_is_valid_for_unicode_and_quotes(paser, tmp_path):
    engine, gazetteer = paser
    # \x85 and \u2028 are line breaks to str.splitlines (found by the property test)
    path = xlsx(
        tmp_path / "u.xlsx",
        [
            row(1, text='Ḑesa "x" \\ ok', note="a\x85b\u2028c"),
            row(2, dim="?", text='Ḑesa "x" \\ ok', note="a\x85b\u2028c\t\nd"),
        ],
    )
    ingest_file(engine, path, gazetteer)
    with engine.connect() as conn:
        description, notes = conn.execute(sa.text("SELECT description, notes FROM core.issue")).one()
        raw = conn.execute(sa.text("SELECT raw::text FROM intake.rejected_row")).scalar()
    assert (description, notes) == ('Ḑesa "x" \\ ok', "a\x85b\u2028c")
    assert json.loads(raw)["Uraian Permasalahan"] == 'Ḑesa "x" \\ ok'
    assert json.loads(raw)["Keterangan"] == "a\x85b\u2028c\t\nd"


def test_a_large_file_gets_a_partition_of_its_own_with_the_same_rows(paser, pg_creds, tmp_path):
    """Past SMARTCITY_INTAKE_PARTITION_ROWS a file's rows load into core.issue_s<id>, attached to core.issue:
    the same rows as through the default partition, readable by the reader through mart.issue (core and
    the partition are hidden from clients, migrations 015 and 017), removed with the submission."""
    engine, gazetteer = paser
    rows = [row(1, code="64.01.04.2005"), row(2, kec="Long Ikis", desa="Muara Adang"),
            row(3, lat=-1.9, lon=116.19, kec=None), row(4, dim="?"),
            row(5, urg=None, note="a\tb\\c")]  # fmt: skip
    small = ingest_file(engine, xlsx(tmp_path / "small.xlsx", rows), gazetteer, partition_rows=1000)
    big = ingest_file(
        engine, xlsx(tmp_path / "big.xlsx", rows, title="Kertas kerja (salinan)"), gazetteer, partition_rows=2
    )
    columns = (
        "row_number, dimension, severity, district_code, village_code, ST_AsText(geom), location_method, "
    )
    columns += "location_score, notes, warnings, raw"
    with engine.connect() as conn:

        def rows_of(sub):
            return conn.execute(
                sa.text(f"SELECT {columns} FROM core.issue WHERE submission_id = :s ORDER BY row_number"),  # noqa: S608
                {"s": sub},
            ).all()

        assert (
            rows_of(big.submission_id) == rows_of(small.submission_id)
            and len(rows_of(big.submission_id)) == 4
        )
        where_stored = dict(
            conn.execute(
                sa.text("SELECT submission_id, tableoid::regclass::text FROM core.issue GROUP BY 1, 2")
            ).all()
        )
        rejected = conn.execute(
            sa.text("SELECT count(*) FROM intake.rejected_row WHERE submission_id = :s"),
            {"s": big.submission_id},
        ).scalar()
    assert where_stored == {
        small.submission_id: "core.issue_default",
        big.submission_id: f"core.issue_s{big.submission_id}",
    }
    assert rejected == 1
    from tests.test_reader_role import reader_connection

    with reader_connection(
        pg_creds, engine
    ) as conn:  # through mart.issue; core and its partitions are hidden
        count = "SELECT count(*) FROM mart.issue WHERE submission_id = %s"
        assert conn.execute(count, [big.submission_id]).fetchone() == (4,)
    with reader_connection(pg_creds, engine) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(f"SELECT count(*) FROM core.issue_s{big.submission_id}")  # noqa: S608
    with engine.begin() as conn:  # the foreign key came along: deleting the submission removes its rows
        conn.execute(sa.text("DELETE FROM intake.submission WHERE id = :s"), {"s": big.submission_id})
        left = conn.execute(sa.text("SELECT count(*) FROM core.issue")).scalar()
    assert left == 4


def test_a_failed_large_load_leaves_no_partition_behind(paser, tmp_path, monkeypatch):
    engine, gazetteer = paser
    import smartcity.intake.load as intake

    def broken(*args, **kwargs):
        yield b"not\ta\tvalid\trow\n"

    monkeypatch.setattr(intake, "_issue_payload", broken)
    # issue 21: the file fails alone, recorded as a failed submission with the server's one-line reason
    result = ingest_file(engine, xlsx(tmp_path / "big.xlsx", [row(1), row(2)]), gazetteer, partition_rows=1)
    assert result.status == "failed" and "SQLSTATE 22P02" in result.error
    with engine.connect() as conn:
        partitions = partition_count(conn)
        counts = conn.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM intake.submission WHERE status = 'failed'), "
                "(SELECT count(*) FROM intake.submission), (SELECT count(*) FROM core.issue)"
            )
        ).one()
    assert partitions == 1  # core.issue_default only
    assert tuple(counts) == (1, 1, 0)


def partition_count(conn) -> int:
    """Partitions of core.issue (core.issue_default is one)."""
    query = "SELECT count(*) FROM pg_inherits WHERE inhparent = 'core.issue'::regclass"
    return conn.execute(sa.text(query)).scalar()


def test_slices_add_up_to_the_whole_file(paser, tmp_path):
    """Rows are judged and loaded a slice at a time: any slice size gives the same rows, reasons,
    counts, agency (most frequent, smallest of a tie), feedback and submission row as one slice."""
    engine, gazetteer = paser
    rows = [row(1, agency="Dinas B"), row(2, dim="?", agency="Dinas A"), row(3, agency="Dinas A"),
            row(4, urg=None, agency="Dinas B"), row(5, dim="??", agency="Dinas A"),
            row(6, code="64.01.04.2005", agency="Dinas A"), row(7, kec="Long Ikis", desa="Muara Adang"),
            row(8, text=None), row(9, lat=-1.9, lon=116.19, kec=None, agency="Dinas B")]  # fmt: skip
    # Dinas A: rows 3 and 6 accepted; Dinas B: rows 1, 4, 9; the file's name: row 7 -> Dinas B
    outcomes = []
    for size in (1, 2, 4, 100):
        path = xlsx(tmp_path / f"s{size}.xlsx", rows, title=f"Kertas kerja {size}")
        result = ingest_file(engine, path, gazetteer, slice_rows=size, feedback_dir=tmp_path / f"out{size}")
        with engine.connect() as conn:
            stored = conn.execute(
                sa.text(
                    "SELECT agency, status, rows_total, rows_accepted, rows_rejected,"
                    " feedback_file IS NOT NULL FROM intake.submission WHERE id = :s"
                ),
                {"s": result.submission_id},
            ).one()
        # the rows come first, on the sheet's name, each note in the first column under the header
        rows_back = openpyxl.load_workbook(result.feedback_file).worksheets[0]
        column = [c.value for c in rows_back["A"]]
        notes = column[column.index("Catatan validasi") :]
        outcomes.append(
            (
                where(engine, path.name), tuple(stored), notes, result.agency, result.accepted,
                result.rejected, result.warnings, result.placed,
            )
        )  # fmt: skip
    assert all(outcome == outcomes[0] for outcome in outcomes[1:]), outcomes
    places, stored, _, agency, accepted, rejected, warnings, placed = outcomes[0]
    # spreadsheet rows: the title is row 1, the header row 2, so item k is on row k + 2
    assert sorted(n for n, p in places.items() if p[0] == "rejected") == [4, 7, 10]
    # rows seen: the title and the header (skipped), then nine data rows
    assert stored == ("Dinas B", "partial", 11, 6, 3, True)
    assert (agency, accepted, rejected, warnings) == ("Dinas B", 6, 3, 1)  # row 4: urgency assumed 3
    assert placed == {"district": 3, "code": 1, "name": 1, "point": 1}, placed
    # a row without an agency value speaks for the file: its name, as no "Perangkat Daerah:" line is given
    with engine.connect() as conn:
        agencies = conn.execute(sa.text(
            "SELECT i.agency FROM core.issue i JOIN intake.submission s ON s.id = i.submission_id "
            "WHERE s.file_name = 's4.xlsx' AND i.row_number = 9")).scalars().all()  # fmt: skip
    assert agencies == ["s4"]


def test_a_large_file_with_no_usable_row_leaves_no_empty_partition(paser, tmp_path):
    engine, gazetteer = paser
    path = xlsx(tmp_path / "bad.xlsx", [row(1, dim="?"), row(2, text=None), row(3, dim="??")])
    result = ingest_file(engine, path, gazetteer, partition_rows=1, slice_rows=2)
    with engine.connect() as conn:
        partitions = partition_count(conn)
        tables = scalar(
            engine, "SELECT count(*) FROM pg_tables WHERE schemaname = 'core' AND tablename ~ '^issue_s'"
        )
        stored = conn.execute(
            sa.text("SELECT status, rows_accepted, rows_rejected FROM intake.submission WHERE id = :s"),
            {"s": result.submission_id},
        ).one()
    assert (partitions, tables) == (1, 0)
    assert tuple(stored) == ("partial", 0, 3)
    assert sorted(where(engine, path.name)) == [3, 4, 5]
