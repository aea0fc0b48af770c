"""The benchmarks' generated worksheets are real worksheets: what Excel tools read, and what we read."""

from __future__ import annotations

import importlib

import openpyxl

from smartcity.intake.read.worksheets import read_worksheet
from tests.helpers import REPO


def test_the_benchmark_xlsx_writer_makes_a_workbook_openpyxl_and_the_intake_read_alike(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    bench = importlib.import_module("ingest")
    rows = bench.generated_rows(40)
    rows[3][0] = 'Tanda <&> "kutip" dan =1+1'  # text that XML and spreadsheets treat specially
    path = bench.write_xlsx(tmp_path / "rows.xlsx", rows)
    sheet = openpyxl.load_workbook(path, read_only=True)["Data"]
    as_read = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert as_read == [bench.HEADER, *rows]
    worksheet = read_worksheet(path)
    assert worksheet.table.drop(columns="row_number").fillna("").values.tolist() == rows
    assert worksheet.table["row_number"].tolist() == list(range(2, 42))
