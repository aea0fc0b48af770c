"""Worksheets as agency staff really make them (tests/realworld/corpus.py): every row of every sheet ends
where the corpus says (placed right, rejected with the right reason, or skipped as not data), and for
every sheet rows seen = loaded + rejected + skipped, in the reader and in the database."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from smartcity.intake.answer.feedback import PASSED_OVER_LABELS
from smartcity.intake.load import ingest_file, judged
from smartcity.intake.locate.matching import Gazetteer
from smartcity.intake.read.limits import WorkbookProblem
from smartcity.intake.read.worksheets import read_workbook
from tests.helpers import DATA, REPO
from tests.realworld.corpus import CorpusFile, corpus

FILES = corpus()
BLOCKING_FIRST = True


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    for item in FILES:
        item.make(out)
    return out


@pytest.fixture(scope="module")
def paser() -> Gazetteer:
    boundaries = DATA / "boundaries"
    villages = gpd.read_file(boundaries / "paser_desa_kelurahan.geojson").rename(
        columns={"kode": "code", "nama": "name", "kec_kode": "district_code"}
    )
    districts = gpd.read_file(boundaries / "paser_kecamatan.geojson").rename(
        columns={"kode": "code", "nama": "name"}
    )
    aliases = pd.read_csv(REPO / "geodata" / "sources" / "paser_aliases.csv", dtype=str)
    return Gazetteer.from_frames("64.01", districts, villages, aliases, regency_name="Paser")


def outcomes(path: Path, gazetteer: Gazetteer) -> dict[tuple[str, int], dict]:
    """Every row seen in the file: (sheet, row) -> status, place, codes (blocking first), values."""
    book = read_workbook(path)
    found: dict[tuple[str, int], dict] = {}
    for sheet in book.sheets:
        for number, reason in zip(sheet.skipped["row_number"], sheet.skipped["reason"], strict=True):
            found[(sheet.sheet, int(number))] = {"status": "skipped", "codes": [reason]}
        table = sheet.table.reset_index(drop=True)
        for rows in judged(sheet, table, gazetteer, book.agency_hint or path.stem):
            for row in rows.itertuples():
                reasons = list(row.reasons)
                blocking = [r.code for r in reasons if r.blocking]
                codes = blocking + [r.code for r in reasons if not r.blocking]
                found[(sheet.sheet, int(row.row_number))] = {
                    "status": "rejected" if blocking else "loaded", "codes": codes,
                    "village": row.village_code, "district": row.district_code, "method": row.location_method,
                    "dimension": row.dimension, "severity": row.severity, "swot": row.swot,
                }  # fmt: skip
    return found


def _level(got: dict) -> str | None:
    if got["village"]:
        return "village"
    return "district" if got["district"] else "regency"


@pytest.mark.parametrize("item", FILES, ids=[f.name for f in FILES])
def test_every_row_of_the_corpus_lands_where_it_should(item: CorpusFile, folder: Path, paser: Gazetteer):
    path = folder / item.name
    if item.fails:
        with pytest.raises(WorkbookProblem) as refused:
            read_workbook(path)
        assert refused.value.code == item.fails
        return
    got = outcomes(path, paser)
    assert set(got) == set(item.rows), "rows seen differ from the corpus"
    wrong = []
    for key, expect in sorted(item.rows.items()):
        row = got[key]
        problems = []
        if row["status"] != expect.status:
            problems.append(f"status {row['status']} (codes {row['codes']})")
        elif expect.status == "skipped":
            if row["codes"] != [expect.code]:
                problems.append(f"skipped as {row['codes']}")
        elif expect.status == "rejected":
            if expect.code not in row["codes"][:1]:
                problems.append(f"rejected for {row['codes']}")
        else:
            if expect.code is None and row["codes"]:
                problems.append(f"warnings {row['codes']}")
            if expect.code is not None and expect.code not in row["codes"]:
                problems.append(f"warnings {row['codes']}, expected {expect.code}")
            if (row["village"], row["district"], _level(row)) != (
                expect.village,
                expect.district,
                expect.level,
            ):
                problems.append(f"placed {row['village']}/{row['district']} by {row['method']}")
            for attribute in ("dimension", "severity", "swot"):
                wanted = getattr(expect, attribute)
                if wanted is not None and row[attribute] != wanted:
                    problems.append(f"{attribute} {row[attribute]!r}")
        if problems:
            wrong.append(f"{key}: expected {expect}: " + "; ".join(problems))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "item", [f for f in FILES if not f.fails], ids=[f.name for f in FILES if not f.fails]
)
def test_sheets_passed_over_are_named_with_why(item: CorpusFile, folder: Path):
    assert dict(read_workbook(folder / item.name).passed_over) == item.skipped_sheets


@pytest.mark.db
def test_the_corpus_in_postgis_reconciles_per_sheet_and_answers_every_agency(engine, paser, folder, tmp_path):
    """Every file ingested for real: per sheet and per file, rows seen = loaded + rejected + skipped, in the
    result, in intake.submission.sheets and in the tables; every agency gets a feedback file, the failed
    workbook too, and each starts with the columns that were read."""
    feedback = tmp_path / "feedback"
    for item in FILES:
        result = ingest_file(engine, folder / item.name, paser, feedback_dir=feedback)
        if item.fails:
            assert result.status == "failed" and result.feedback_file, result.line()
            book = openpyxl.load_workbook(result.feedback_file)
            assert book.sheetnames == ["Masalah berkas", "Kolom yang dibaca"]
            problem = "\n".join(str(v) for row in book["Masalah berkas"].values for v in row if v)
            assert "Permasalahan, Uraian Permasalahan" in problem  # which headers are accepted
            read = [row[0] for row in book["Kolom yang dibaca"].values]
            assert all(sheet in read for sheet in item.skipped_sheets)  # the sheets seen, and why not read
            continue
        expected = pd.Series([e.status for e in item.rows.values()]).value_counts().to_dict()
        assert (result.accepted, result.rejected, result.skipped) == (
            expected.get("loaded", 0), expected.get("rejected", 0), expected.get("skipped", 0),
        ), result.line()  # fmt: skip
        assert result.rows_total == result.accepted + result.rejected + result.skipped
        with engine.connect() as conn:
            stored = conn.execute(
                sa.text("SELECT rows_total, rows_accepted, rows_rejected, rows_skipped, sheets "
                        "FROM intake.submission WHERE id = :id"), {"id": result.submission_id},
            ).one()  # fmt: skip
            tables = {
                table: dict(
                    conn.execute(
                        sa.text(
                            f"SELECT sheet, count(*) FROM {table} WHERE submission_id = :id GROUP BY sheet"  # noqa: S608
                        ),
                        {"id": result.submission_id},
                    ).all()
                )  # fmt: skip
                for table in ("core.issue", "intake.rejected_row", "intake.skipped_row")
            }
        assert stored.rows_total == stored.rows_accepted + stored.rows_rejected + stored.rows_skipped
        sheets = stored.sheets if isinstance(stored.sheets, list) else json.loads(stored.sheets)
        for sheet in sheets:
            if "skipped_sheet" in sheet:
                assert item.skipped_sheets[sheet["sheet"]] == sheet["skipped_sheet"]
                continue
            name = sheet["sheet"]
            mine = [e.status for (s, _), e in item.rows.items() if s == name]
            assert sheet["seen"] == len(mine) == sheet["loaded"] + sheet["rejected"] + sheet["skipped"], name
            assert (sheet["loaded"], sheet["rejected"], sheet["skipped"]) == (
                tables["core.issue"].get(name, 0), tables["intake.rejected_row"].get(name, 0),
                tables["intake.skipped_row"].get(name, 0),
            ), name  # fmt: skip
        if result.feedback_file:
            book = openpyxl.load_workbook(result.feedback_file)
            read_sheets = [s["sheet"] or "Data" for s in sheets if "skipped_sheet" not in s]
            assert book.sheetnames == [*read_sheets, "Ringkasan", "Kolom yang dibaca"]  # opens on the rows
            block = [tuple(row) for row in book["Kolom yang dibaca"].values]
            for sheet in sheets:  # each sheet's reconciliation, as the clerk reads it
                if "skipped_sheet" in sheet:
                    assert (sheet["sheet"], PASSED_OVER_LABELS[sheet["skipped_sheet"]]) in block
                else:
                    at = block.index((f"Lembar: {sheet['sheet']}" if sheet["sheet"] else "Berkas CSV", None))
                    counts = dict(r for r in block[at + 1 : at + 7] if isinstance(r[1], int))
                    assert counts["Baris terbaca"] == sheet["seen"]
                    assert (counts["Diterima"], counts["Ditolak"], counts["Dilewati (bukan data)"]) == (
                        sheet["loaded"], sheet["rejected"], sheet["skipped"],
                    )  # fmt: skip
