"""The real-world corpus: every file is valid in its own format, and its expectations name exactly the
non-blank rows that a reader of that format sees (so no expectation is off by one row)."""

from __future__ import annotations

import csv
import hashlib

import odf.opendocument
import pytest
import python_calamine
from odf.table import CoveredTableCell, TableCell

from tests.realworld.corpus import CorpusFile, Expect, corpus, write_all

STATUSES = {"loaded", "rejected", "skipped"}
SKIP_CODES = {"header", "title", "numbering", "total", "note", "signature"}
BLOCKING = {
    "missing_description", "invalid_dimension", "missing_dimension", "several_districts", "link_unreadable",
    "outside_region", "no_location", "unknown_district", "unknown_village", "other_regency",
}  # fmt: skip
WARNINGS = {
    "several_villages", "fuzzy_village", "fuzzy_district", "point_name_mismatch", "broken_code",
    "unreadable_severity", "default_severity", "default_swot",
}  # fmt: skip
DIMENSIONS = {"governance", "branding", "economy", "living", "society", "environment"}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, tuple[CorpusFile, object]]:
    folder = tmp_path_factory.mktemp("realworld")
    files = corpus()
    paths = write_all(folder)
    return {item.name: (item, path) for item, path in zip(files, paths, strict=True)}


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _nonblank_sheet_rows(book, sheet: str) -> set[int]:
    grid = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return {number for number, cells in enumerate(grid, start=1) if any(_filled(c) for c in cells)}


def _csv_record_lines(path) -> dict[int, list[str]]:
    """Physical line where each record starts -> its fields."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader, records, start = csv.reader(handle), {}, 1
        for fields in reader:
            records[start] = fields
            start = reader.line_num + 1
    return records


def test_the_corpus_has_at_least_twelve_files_with_distinct_names(written):
    assert len(written) >= 12
    assert {name.rsplit(".", 1)[1] for name in written} >= {"xlsx", "xls", "ods", "csv"}


def test_every_expectation_uses_the_agreed_vocabulary(written):
    for item, _ in written.values():
        for key, expect in item.rows.items():
            assert isinstance(expect, Expect) and expect.status in STATUSES, (item.name, key)
            if expect.status == "skipped":
                assert expect.code in SKIP_CODES, (item.name, key)
            elif expect.status == "rejected":
                assert expect.code in BLOCKING and expect.level is None, (item.name, key)
            else:
                assert expect.code is None or expect.code in WARNINGS, (item.name, key)
                assert expect.dimension in DIMENSIONS and expect.severity in range(1, 6), (item.name, key)
                placed = (expect.level, expect.village is not None, expect.district is not None)
                assert placed in {
                    ("village", True, True),
                    ("district", False, True),
                    ("regency", False, False),
                }
                if expect.village:
                    assert expect.village.startswith(expect.district + "."), (item.name, key)


@pytest.mark.parametrize("name", [c.name for c in corpus() if not c.name.endswith(".csv")])
def test_spreadsheet_opens_and_expectations_cover_exactly_its_nonblank_rows(written, name):
    item, path = written[name]
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    hidden = {m.name for m in book.sheets_metadata if m.visible != python_calamine.SheetVisibleEnum.Visible}
    assert {s for s, why in item.skipped_sheets.items() if why == "hidden"} == hidden
    assert set(item.skipped_sheets) <= set(book.sheet_names)
    # a file whose every sheet is passed over fails; one may also fail with a sheet read (no dimension)
    assert set(item.skipped_sheets) != set(book.sheet_names) or item.fails
    for sheet in book.sheet_names:
        expected = {row for (s, row) in item.rows if s == sheet}
        if item.fails and not expected:  # a failed file's rows are not judged, read sheet or not
            continue
        if sheet in item.skipped_sheets:
            assert not expected, sheet
            assert _nonblank_sheet_rows(book, sheet), f"{sheet}: a skipped sheet still has content"
        else:
            assert expected == _nonblank_sheet_rows(book, sheet), sheet
    assert {s for s, _ in item.rows} <= set(book.sheet_names)


@pytest.mark.parametrize("name", [c.name for c in corpus() if c.name.endswith(".csv")])
def test_csv_parses_and_expectations_name_each_record_by_its_first_physical_line(written, name):
    item, path = written[name]
    records = _csv_record_lines(path)
    assert {("", line) for line in records} == set(item.rows)
    assert all(any(_filled(f) for f in fields) for fields in records.values())
    widths = {len(fields) for fields in records.values()}
    assert len(widths) == 1, "every record has the header's number of fields"
    text = path.read_text(encoding="utf-8")
    assert max(records) <= text.count("\n")


def test_the_ods_merges_its_header_and_its_districts_down(written):
    """calamine reports no merged ranges for ODS: the spans are checked in the document itself."""
    path = next(path for name, (_, path) in written.items() if name.endswith(".ods"))
    document = odf.opendocument.load(str(path))
    spans = sorted(
        int(cell.getAttribute("numberrowsspanned") or 1)
        for cell in document.spreadsheet.getElementsByType(TableCell)
        if int(cell.getAttribute("numberrowsspanned") or 1) > 1
    )
    assert spans == [2, 2, 2, 2, 2, 2, 3]  # five header cells over two rows; districts over 3 and 2 rows
    assert document.spreadsheet.getElementsByType(CoveredTableCell)


def test_generation_is_deterministic(written, tmp_path):
    again = write_all(tmp_path)
    for path in again:
        _, first = written[path.name]
        assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(first.read_bytes()).digest(), path
