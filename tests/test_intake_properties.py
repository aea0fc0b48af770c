"""Property: any worksheet, whatever its headers, cells, format and encoding, reads without a traceback,
and every one of its data rows comes out of reading, validation and matching exactly once, either
placed or with a blocking reason (pure: no database; the database side is in test_intake_flows.py).

Headers are drawn from every alias of every role, decorated the way people type them (case, spaces,
punctuation, a "(...)" note), mixed with columns of random names; cells from random text and the
values worksheets really hold; files as CSV (three delimiters, three encodings) or XLSX, with title
rows above the header.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from smartcity.intake.answer.validation import validate_rows
from smartcity.intake.locate.matching import Gazetteer, match_places
from smartcity.intake.read.worksheet_headers import ROLE_ALIASES
from smartcity.intake.read.worksheets import read_worksheet
from smartcity.platform.errors import InputError
from tests.helpers import DATA, REPO

BOUNDARIES = DATA / "boundaries"
NUMBERING = re.compile(r"^\(?\d{1,2}\)?\.?$")


@pytest.fixture(scope="module")
def paser() -> Gazetteer:
    villages = gpd.read_file(BOUNDARIES / "paser_desa_kelurahan.geojson").rename(
        columns={"kode": "code", "nama": "name", "kec_kode": "district_code"}
    )
    districts = gpd.read_file(BOUNDARIES / "paser_kecamatan.geojson").rename(
        columns={"kode": "code", "nama": "name"}
    )
    aliases = pd.read_csv(REPO / "geodata" / "sources" / "paser_aliases.csv", dtype=str)
    return Gazetteer.from_frames("64.01", districts, villages, aliases, regency_name="Paser")


def decorated(alias: str) -> st.SearchStrategy[str]:
    """An alias as people type it: any case, padded, with a colon, a number or a note in brackets."""
    case = st.sampled_from([str.lower, str.upper, str.title, str])
    return st.tuples(
        case, st.sampled_from(["", " ", "  "]), st.sampled_from(["", ":", " (isian)", " *"])
    ).map(lambda t: f"{t[1]}{t[0](alias)}{t[2]}")


def role_header(role: str) -> st.SearchStrategy[str]:
    return st.sampled_from(ROLE_ALIASES[role]).flatmap(decorated)


OTHER_HEADER = st.one_of(
    st.sampled_from(["No", "Sumber Data", "Lampiran", "PIC", "Anggaran (Rp)"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=10),
)
OPTIONAL_ROLES = ["swot", "severity", "code", "village", "district", "lat", "lon", "agency", "year", "notes"]

CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="cp1252", exclude_categories=("Cs", "Cc")), max_size=14),
    st.sampled_from([
        "Smart Living", "living", "SMART LIVING", "Tata kelola", "GOV", "Kesehatan", "S", "Peluang", "threat",
        "1", "3", "6", "0", "sangat tinggi", "rendah", "Tanah Grogot", "Long Kali", "Mendik",
        "Muara Adang II",
        "Desa Antah Berantah", "64.01.04.2005", "6401042005", "64.99", "-1,91", "116,2", "116.193", "-1.9065",
        "2025", "dua ribu", "<script>alert(1)</script>", "=1+1", "@SUM(A1)", "-", "(1)", " ",
    ]),
)  # fmt: skip


@st.composite
def worksheets(draw):
    """(headers, data rows, title rows) of one random worksheet."""
    roles = ["description", "dimension"] + draw(st.lists(st.sampled_from(OPTIONAL_ROLES), unique=True))
    headers = [draw(role_header(role)) for role in roles] + draw(st.lists(OTHER_HEADER, max_size=3))
    headers = draw(st.permutations(headers))
    width = len(headers)
    rows = draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=0, max_size=12))
    titles = draw(
        st.lists(st.sampled_from(["KERTAS KERJA SMART CITY", "Perangkat Daerah: Dinas Uji", "Tahun 2025",
                                  ""]), max_size=4)
    )  # fmt: skip
    return list(headers), rows, titles


def write_csv(path, headers, rows, titles, delimiter, encoding) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    for title in titles:
        writer.writerow([title])
    writer.writerow(headers)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    text = buffer.getvalue()
    if encoding == "utf-8-bom":
        path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    else:
        path.write_bytes(text.encode(encoding, errors="replace"))


def write_xlsx(path, headers, rows, titles) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for title in titles:
        sheet.append([title or None])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:  # typed as text, as Excel stores '=1+1 typed with a quote
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    book.save(path)


def expected_rows(rows: list[list], encode) -> int:
    """Data rows that are not blank (a first '(1) (2) (3)' numbering row under the header is not data)."""
    texts = [[encode(c) for c in row] for row in rows]
    filled = [[c for c in row if c is not None and c.strip()] for row in texts]
    count = sum(1 for cells in filled if cells)
    first = next((cells for cells in filled if cells), None)
    if first and len(first) >= 3 and all(NUMBERING.match(c.strip()) for c in first):
        count -= 1
    return count


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sheet=worksheets(),
    kind=st.sampled_from(["csv", "xlsx"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-bom", "cp1252"]),
)
def test_any_worksheet_reads_and_every_row_comes_out_exactly_once(
    paser, tmp_path_factory, sheet, kind, delimiter, encoding
):
    headers, rows, titles = sheet
    path = tmp_path_factory.mktemp("anysheet") / f"opd.{kind}"
    if kind == "csv":
        write_csv(path, headers, rows, titles, delimiter, encoding)
        codec = "cp1252" if encoding == "cp1252" else "utf-8"
        expected = expected_rows(
            rows, lambda c: None if c is None else c.encode(codec, "replace").decode(codec)
        )
    else:
        write_xlsx(path, headers, rows, titles)
        expected = expected_rows(rows, lambda c: c)
    # every one of these files has a recognisable header (a description and a dimension column among
    # the first rows), so every one must be read: a refusal, one line or not, is a failure here
    try:
        worksheet = read_worksheet(path)
    except InputError as exc:
        pytest.fail(f"refused: {exc}")
    event(f"read: {'no' if not expected else 'some'} data rows")
    assert set(worksheet.roles) >= {"description", "dimension"}
    table = worksheet.table
    numbers = table["row_number"].tolist()
    # rows under the header that are not data (numbering, totals, template rows...) are skipped, once
    skipped = worksheet.skipped
    below = skipped.loc[skipped["row_number"] > worksheet.header_row, "row_number"].tolist()
    seen = numbers + below
    assert len(seen) == len(set(seen)) == expected, (numbers, below, expected)
    matched = match_places(validate_rows(table, worksheet.roles, "Dinas Uji"), paser)
    assert matched["row_number"].tolist() == numbers
    for placed, reasons in zip(matched["location_method"], matched["reasons"], strict=True):
        blocked = any(reason.blocking for reason in reasons)
        assert blocked or placed in ("code", "point", "name", "district", "regency")
